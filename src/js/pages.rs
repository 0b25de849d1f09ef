//! `RawPages`: one multi-page read, pulled page by page by the JS pager.

use super::progress::progress;
use crate::transport::PageStream;
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct RawPages {
    stream: PageStream,
}

impl RawPages {
    pub fn new(stream: PageStream) -> RawPages {
        RawPages { stream }
    }
}

#[wasm_bindgen]
impl RawPages {
    /// The next page `{ page, records, total, loaded }`, or `null` when the read is complete.
    pub fn next(&self) -> Promise {
        let stream = self.stream.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            match stream.next().await? {
                None => Ok(JsValue::NULL),
                Some(page) => {
                    let o = progress(&page);
                    let _ = Reflect::set(&o, &"records".into(), &page.records);
                    Ok(o.into())
                }
            }
        })
    }

    /// Stop the read: requests in flight are aborted, nothing more is fetched.
    pub fn cancel(&self) {
        self.stream.cancel();
    }
}
