//! DRF page-number pagination: `page=N` (1-based, or `last`), absolute `next`/`previous`
//! links built from the Host header with the query parameters kept (sorted, like DRF),
//! and 404 `Invalid page.` for a page that does not exist.

use std::ops::Range;

use crate::envelope::{write_envelope, Envelope, Shape};
use crate::error::ApiError;
use crate::faults::envelope;
use crate::faults::FaultKind;
use crate::http::{Request, Response};
use crate::params::{encode, parse_query};
use crate::record::Record;

/// What a list handler needs from its request.
pub struct ListRequest {
    /// `scheme://host[:port]` of the links.
    pub origin: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub page_size: usize,
    /// An envelope fault to apply to this page.
    pub fault: Option<FaultKind>,
}

impl ListRequest {
    pub fn new(req: &Request<'_>, page_size: usize, fault: Option<FaultKind>) -> Self {
        ListRequest {
            origin: req.origin.trim_end_matches('/').to_string(),
            path: req.path.to_string(),
            query: parse_query(req.query),
            page_size: page_size.max(1),
            fault,
        }
    }
}

/// The selected page.
#[derive(Debug, Clone)]
pub struct PageSlice {
    pub range: Range<usize>,
    pub page: usize,
    pub last: usize,
}

impl ListRequest {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Picks the requested page of `total` records.
    pub fn page(&self, total: usize) -> Result<PageSlice, ApiError> {
        let last = total.div_ceil(self.page_size).max(1);
        let page = match self.param("page") {
            None => 1,
            Some("last") => last,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|p| *p >= 1 && raw.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(ApiError::invalid_page)?,
        };
        if page > last {
            return Err(ApiError::invalid_page());
        }
        let start = (page - 1) * self.page_size;
        Ok(PageSlice {
            range: start..(start + self.page_size).min(total),
            page,
            last,
        })
    }

    /// The URL of page `page` (`None`: without a page parameter, as DRF links page 1).
    fn url(&self, page: Option<usize>) -> String {
        let mut pairs: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, _)| k != "page")
            .cloned()
            .collect();
        if let Some(p) = page {
            pairs.push(("page".into(), p.to_string()));
        }
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let mut url = format!("{}{}", self.origin, self.path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        url
    }

    /// The paginated answer, with any envelope fault applied.
    pub fn respond(&self, slice: &PageSlice, total: usize, results: Vec<Record<'_>>) -> Response {
        let next = (slice.page < slice.last).then(|| self.url(Some(slice.page + 1)));
        let previous = match slice.page {
            1 => None,
            2 => Some(self.url(None)),
            p => Some(self.url(Some(p - 1))),
        };
        let mut env = Envelope {
            count: total as u64,
            next,
            previous,
            this_page: self.url(Some(slice.page)),
            origin: self.origin.clone(),
            results,
            shape: Shape::Normal,
        };
        if let Some(f) = &self.fault {
            envelope::apply(f, &mut env);
        }
        let mut response = json_response(write_envelope(&env));
        response.fault = self.fault.as_ref().map(FaultKind::name);
        response
    }
}

/// 200 `application/json` with these bytes.
pub fn json_response(bytes: Vec<u8>) -> Response {
    Response::json(200, bytes)
}
