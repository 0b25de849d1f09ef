//! Pages kept as their checked JSON text, for the streaming sync: the records module reads
//! them in Rust, so no record becomes a JS object on the way.

use super::body::Body;
use super::pages::PageKind;
use crate::errors::CubeError;
use crate::pagination::{not_json, parse_page_text, PageFacts};
use std::ops::Range;

/// A page body and where its records are.
pub struct PageText {
    pub text: String,
    pub records: Range<usize>,
    /// Only the first `take` records belong to the read.
    pub take: Option<usize>,
}

impl PageText {
    /// The records' JSON array.
    pub fn records(&self) -> &str {
        &self.text[self.records.clone()]
    }
}

pub struct TextPages;

impl PageKind for TextPages {
    type Records = PageText;

    fn parse(body: &Body, page: u32, url: &str) -> Result<(PageText, PageFacts), CubeError> {
        let text = String::from_utf8(body.to_vec()).map_err(|e| not_json(e.as_bytes(), url))?;
        let checked = parse_page_text(&text, url)?;
        let len =
            crate::pagination::count_items(&text[checked.records.clone()]).map_err(|why| {
                CubeError::invalid_response(
                    url,
                    format!("the page from {url} has a record that is not an object ({why})"),
                )
            })?;
        let facts = PageFacts {
            page,
            count: checked.count,
            next: checked.next,
            len,
            bare: checked.bare,
        };
        Ok((
            PageText {
                text,
                records: checked.records,
                take: None,
            },
            facts,
        ))
    }

    fn truncate(mut records: PageText, take: usize) -> PageText {
        records.take = Some(take);
        records
    }

    fn failed(mut e: CubeError, page: u32) -> CubeError {
        e.message.push_str(&format!(
            " (the sync stopped at page {page} and returned no snapshot: the previous snapshot \
             is still valid, run the sync again)"
        ));
        e
    }
}
