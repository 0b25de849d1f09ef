//! Waiting between retries, cut short by an abort.

use super::bindings::{clear_timeout, set_timeout, AbortSignal};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_futures::JsFuture;

/// Sleep `ms`, or until `signal` aborts, whichever is first.
pub async fn sleep(ms: u64, signal: &AbortSignal) {
    if signal.aborted() {
        return;
    }
    let resolver: Rc<RefCell<Option<Function>>> = Rc::default();
    let timer: Rc<RefCell<Option<wasm_bindgen::JsValue>>> = Rc::default();
    let promise = {
        let (resolver, timer, signal) = (resolver.clone(), timer.clone(), signal.clone());
        Promise::new(&mut move |resolve, _reject| {
            signal.add_event_listener("abort", &resolve);
            *timer.borrow_mut() = Some(set_timeout(&resolve, ms as f64));
            *resolver.borrow_mut() = Some(resolve);
        })
    };
    let _ = JsFuture::from(promise).await;
    if let Some(resolve) = resolver.borrow_mut().take() {
        signal.remove_event_listener("abort", &resolve);
    }
    let id = timer.borrow_mut().take();
    if let Some(id) = id {
        clear_timeout(&id);
    }
}
