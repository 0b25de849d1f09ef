//! Pagination, sans I/O: parsing a page body, and deciding which page numbers to fetch and
//! when a read is complete. The transport drives it; these rules never touch the network.
//!
//! The client never *follows* a server's `next` link: it requests `page=N` on the configured
//! origin itself. `next` is read only to learn whether another page exists (and to catch a
//! link that points backwards — a loop). A `next` on another host or scheme, as servers
//! behind a TLS proxy hand out, therefore can never receive credentials.

mod envelope;
mod page_text;
mod planner;

pub use envelope::{check_envelope, check_top, not_json, Field, Kind, TopLevel};
#[cfg(any(test, feature = "reference"))]
pub use envelope::{count_items, parse_body, ParsedBody};
pub use page_text::{parse_page_text, PageText};
pub use planner::{PageFacts, Planner, Verdict};

#[cfg(test)]
mod tests;
