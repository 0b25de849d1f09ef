//! Which pages to fetch, and when a multi-page read is complete.
//!
//! Page `start` is fetched first. Its `count` and its number of records (the page size) give
//! the last page; the pages after it are then fetched up to `concurrency` at a time and
//! delivered strictly in order. A page whose `next` is null (or that is empty) ends the read;
//! pages planned past it are dropped. If the planned last page still has a `next` (records
//! were added during the read), pages are fetched one by one, within a bound, until one
//! ends the read.

use crate::errors::CubeError;

/// What a page said about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFacts {
    pub page: u32,
    pub count: Option<u64>,
    pub next: Option<String>,
    pub len: usize,
    /// The body was a bare array (legacy single-page answer), not an envelope.
    pub bare: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Deliver this page; more follow.
    More,
    /// Deliver this page (its first `take` records when a limit cuts it); the read is complete.
    Last { take: usize },
}

#[derive(Debug, Clone)]
pub struct Planner {
    start: u32,
    limit: Option<u64>,
    /// Next page number to hand out for fetching.
    next_fetch: u32,
    /// Next page number to be delivered.
    next_deliver: u32,
    /// Last page to fetch (known after the first page).
    last_planned: Option<u32>,
    /// The last page the first page's count announced.
    announced_last: u32,
    delivered: u64,
    total: Option<u64>,
    done: bool,
}

/// Pages fetched past the announced last one before the read is declared broken.
const MAX_EXTRA_PAGES: u32 = 1000;

impl Planner {
    pub fn new(start: u32, limit: Option<u64>) -> Planner {
        Planner {
            start,
            limit,
            next_fetch: start,
            next_deliver: start,
            last_planned: None,
            announced_last: start,
            delivered: 0,
            total: None,
            done: false,
        }
    }

    /// The next page number to request, if any may be requested now. Before the first page
    /// is delivered only the first page may be; afterwards, the planned pages in order.
    pub fn next_to_fetch(&mut self) -> Option<u32> {
        if self.done {
            return None;
        }
        let allowed = match self.last_planned {
            None => self.next_fetch == self.start,
            Some(last) => self.next_fetch <= last,
        };
        if !allowed {
            return None;
        }
        let page = self.next_fetch;
        self.next_fetch += 1;
        Some(page)
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Records delivered so far.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// The server's `count` (from the first page), for progress.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The page to deliver next (the one to resume from after a failure).
    #[cfg(any(test, feature = "reference"))]
    pub fn resume_page(&self) -> u32 {
        self.next_deliver
    }

    /// Check a page, in delivery order, and say whether the read goes on.
    pub fn accept(&mut self, facts: &PageFacts, url: &str) -> Result<Verdict, CubeError> {
        assert_eq!(facts.page, self.next_deliver, "pages are accepted in order");
        if facts.bare && facts.page != self.start {
            return Err(CubeError::invalid_response(
                url,
                format!("page {} is a bare list although the read began with paginated pages: the server's answer changed shape", facts.page),
            ));
        }
        if let Some(next) = &facts.next {
            if let Some(n) = page_of(next) {
                if n <= facts.page {
                    return Err(CubeError::invalid_response(
                        url,
                        format!("the `next` link of page {} points back to page {n}: the server's pagination loops", facts.page),
                    ));
                }
            }
        }
        if facts.page == self.start {
            self.total = facts.count;
            self.plan(facts, url)?;
        }
        let mut take = facts.len;
        if let Some(limit) = self.limit {
            take = take.min(limit.saturating_sub(self.delivered) as usize);
        }
        let ends = facts.next.is_none()
            || facts.len == 0
            || self
                .limit
                .is_some_and(|l| self.delivered + take as u64 >= l);
        let last = self.last_planned.unwrap_or(facts.page);
        // Checked before any state changes, so a refused page is not counted as delivered.
        if !ends && facts.page >= last && facts.page >= self.announced_last + MAX_EXTRA_PAGES {
            return Err(CubeError::invalid_response(
                url,
                format!("the server keeps announcing pages past page {} although its count said {} pages", facts.page, self.announced_last),
            ));
        }
        self.next_deliver += 1;
        self.delivered += take as u64;
        if ends {
            self.done = true;
            return Ok(Verdict::Last { take });
        }
        if facts.page >= last {
            // The server has more than it announced: go on one page at a time, within a bound.
            self.last_planned = Some(facts.page + 1);
        }
        Ok(Verdict::More)
    }

    fn plan(&mut self, first: &PageFacts, url: &str) -> Result<(), CubeError> {
        if first.next.is_some() && first.len == 0 {
            return Err(CubeError::invalid_response(
                url,
                format!("page {} is empty yet announces a next page", first.page),
            ));
        }
        let size = first.len.max(1) as u64;
        let mut last = match first.count {
            Some(count) => u32::try_from(count.div_ceil(size))
                .unwrap_or(u32::MAX)
                .max(first.page),
            None => first.page + u32::from(first.next.is_some()),
        };
        if let Some(limit) = self.limit {
            let needed = u32::try_from(limit.div_ceil(size))
                .unwrap_or(u32::MAX)
                .max(1);
            last = last.min(first.page.saturating_add(needed - 1));
        }
        self.announced_last = last;
        self.last_planned = Some(last);
        Ok(())
    }
}

/// The `page` query parameter of a link, if it has one.
fn page_of(link: &str) -> Option<u32> {
    let query = link.split_once('?')?.1;
    let query = query.split('#').next()?;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))
        .and_then(|v| v.parse().ok())
}
