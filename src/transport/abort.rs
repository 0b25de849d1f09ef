//! Cancellation. Each call owns an `AbortController` linked to the caller's `signal`; each
//! attempt owns one linked to the call's, plus its timeout. Aborting the call (the caller's
//! signal, or `break` out of a pager) therefore stops every request and retry wait under it.

use super::bindings::{clear_timeout, set_timeout, AbortController, AbortSignal};
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

/// `controller.abort` bound to its controller, usable as an event listener or timer callback.
fn bound_abort(controller: &AbortController) -> Function {
    let abort: Function = js_sys::Reflect::get(controller, &"abort".into())
        .expect("AbortController has abort")
        .unchecked_into();
    abort.bind0(controller)
}

/// A child controller that aborts when `parent` does; unlinked on drop.
pub struct Linked {
    pub controller: AbortController,
    parent: Option<(AbortSignal, Function)>,
}

impl Linked {
    pub fn new(parent: Option<&AbortSignal>) -> Linked {
        let controller = AbortController::new();
        let parent = parent.map(|p| {
            let listener = bound_abort(&controller);
            if p.aborted() {
                controller.abort();
            } else {
                p.add_event_listener("abort", &listener);
            }
            (AbortSignal::clone(p), listener)
        });
        Linked { controller, parent }
    }

    pub fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }
}

impl Drop for Linked {
    fn drop(&mut self) {
        if let Some((parent, listener)) = &self.parent {
            parent.remove_event_listener("abort", listener);
        }
    }
}

/// The cancellation scope of one client call.
pub struct CallSignal {
    linked: Linked,
    user: Option<AbortSignal>,
}

impl CallSignal {
    /// The scope of a call given the caller's `signal` option (`undefined`/`null`: none).
    pub fn from_js(signal: JsValue) -> CallSignal {
        if signal.is_undefined() || signal.is_null() {
            CallSignal::new(None)
        } else {
            CallSignal::new(Some(signal.unchecked_into()))
        }
    }

    pub fn new(user: Option<AbortSignal>) -> CallSignal {
        CallSignal {
            linked: Linked::new(user.as_ref()),
            user,
        }
    }

    pub fn signal(&self) -> AbortSignal {
        self.linked.signal()
    }

    /// Stop everything under this call (used by `break` and by a finished read).
    pub fn cancel(&self) {
        self.linked.controller.abort();
    }

    pub fn is_cancelled(&self) -> bool {
        self.linked.signal().aborted()
    }

    /// Whether the caller's own signal fired (as opposed to a timeout).
    pub fn user_aborted(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.aborted()) || self.is_cancelled()
    }
}

/// An attempt's scope: linked to its call, and aborted by its own timeout.
pub struct AttemptSignal {
    linked: Linked,
    timer: wasm_bindgen::JsValue,
}

impl AttemptSignal {
    pub fn new(call: &AbortSignal, timeout_ms: u32) -> AttemptSignal {
        let linked = Linked::new(Some(call));
        let timer = set_timeout(&bound_abort(&linked.controller), f64::from(timeout_ms));
        AttemptSignal { linked, timer }
    }

    pub fn signal(&self) -> AbortSignal {
        self.linked.signal()
    }
}

impl Drop for AttemptSignal {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
    }
}
