//! Pages kept as their checked JSON text, for the streaming sync: the records module reads
//! them in Rust, so no record becomes a JS object on the way.

use super::body::Body;
use super::pages::PageKind;
use crate::errors::CubeError;
use crate::pagination::{not_json, parse_page_text, PageFacts};
use std::ops::Range;

/// A page body and where each of its records is.
pub struct PageText {
    pub text: String,
    pub items: Vec<Range<usize>>,
}

impl PageText {
    /// Each record's JSON text (only the first `take` when a limit cut the page).
    pub fn records(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|r| &self.text[r.clone()])
    }
}

pub struct TextPages;

impl PageKind for TextPages {
    type Records = PageText;

    /// One pass over the body checks it (a truncated one is fetched again) and finds each
    /// record; the sync engine then reads each record once.
    fn parse(body: Body, page: u32, url: &str) -> Result<(PageText, PageFacts), CubeError> {
        let text = String::from_utf8(body.into_vec()).map_err(|e| not_json(e.as_bytes(), url))?;
        let checked = parse_page_text(&text, url)?;
        let facts = PageFacts {
            page,
            count: checked.count,
            next: checked.next,
            len: checked.items.len(),
            bare: checked.bare,
        };
        let items = checked.items;
        Ok((PageText { text, items }, facts))
    }

    fn truncate(mut records: PageText, take: usize) -> PageText {
        records.items.truncate(take);
        records
    }

    fn failed(mut e: CubeError, page: u32, _first: u32) -> CubeError {
        e.message.push_str(&format!(
            " (the sync stopped at page {page} and returned no snapshot: the previous snapshot \
             is still valid, run the sync again)"
        ));
        e
    }
}
