//! Every Cube endpoint, current (`/api/v1`) and legacy: its path, its query, the shape of its
//! answer, and the checks on its parameters — all done before any request is made.

mod catalogue;
pub mod dates;
pub mod params;
pub mod query;
pub mod table;

pub use catalogue::build;
pub use table::{
    param_kind, Endpoint, Handle, Method, ParamKind, PathTemplate, Rule, ENDPOINTS, PARAM_KINDS,
};

/// What a successful response body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JSON object (who-am-i, one customer, a created customer).
    Object,
    /// A bare JSON array (campaigns, custom fields).
    Array,
    /// A paginated list (`{count, next, previous, results}`); a bare array is taken as a
    /// single page, since legacy installations answer that way.
    Pages,
}

/// A request the client is about to make, checked and ready.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSpec {
    pub http_method: &'static str,
    /// Path and query, without `page` (the pager adds it).
    pub path_and_query: String,
    pub shape: Shape,
    /// JSON body for POST.
    pub body: Option<String>,
    /// Page to start from (lists only).
    pub start_page: u32,
}

#[cfg(test)]
mod tests;
