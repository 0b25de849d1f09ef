//! The streaming sync's page reader: one native pass over a page body checks it with the
//! rules of [`super::envelope`] and finds where each record is, so that the sync engine then
//! reads each record once (and a truncated body is still caught, and fetched again).

use super::envelope::{check_envelope, check_top, field, not_json, Kind};
use crate::endpoints::Shape;
use crate::errors::CubeError;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// A checked page body: where each record is, and the envelope's facts.
#[derive(Debug, PartialEq)]
pub struct PageText {
    /// The byte range of each record (a JSON object) in the body.
    pub items: Vec<Range<usize>>,
    pub count: Option<u64>,
    pub next: Option<String>,
    /// A bare array where a page was expected (a legacy single-page list).
    pub bare: bool,
}

/// A list read in the same pass as the envelope: its kind, and each item's place when it is
/// an array of objects (`None` when an item is not an object).
struct Items {
    kind: Kind,
    items: Option<Vec<Range<usize>>>,
}

impl Items {
    fn of(kind: Kind) -> Items {
        Items { kind, items: None }
    }

    /// The records of a checked list: each must be an object.
    fn records(self, url: &str) -> Result<Vec<Range<usize>>, CubeError> {
        self.items.ok_or_else(|| {
            CubeError::invalid_response(
                url,
                format!("the page from {url} has a record that is not an object"),
            )
        })
    }
}

/// Reads a value as [`Items`]; `base` is the body's address, for the byte ranges.
struct ItemsSeed {
    base: usize,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Items;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Items, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed {
    type Value = Items;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut items = Some(Vec::with_capacity(seq.size_hint().unwrap_or(500)));
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            let text = item.get();
            match items.as_mut() {
                Some(list) if text.starts_with('{') => {
                    let start = text.as_ptr() as usize - self.base;
                    list.push(start..start + text.len());
                }
                _ => items = None,
            }
        }
        Ok(Items {
            kind: Kind::Array,
            items,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Items, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Items::of(Kind::Object))
    }

    fn visit_str<E>(self, _: &str) -> Result<Items, E> {
        Ok(Items::of(Kind::String))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Items, E> {
        Ok(Items::of(Kind::Bool))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Items, E> {
        Ok(Items::of(Kind::Number))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Items, E> {
        Ok(Items::of(Kind::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Items, E> {
        Ok(Items::of(Kind::Number))
    }
    fn visit_unit<E>(self) -> Result<Items, E> {
        Ok(Items::of(Kind::Null))
    }
}

/// The envelope with its `results` read by [`ItemsSeed`].
struct PageEnvelope<'a> {
    count: Option<&'a RawValue>,
    next: Option<&'a RawValue>,
    results: Option<Items>,
}

struct PageEnvelopeSeed {
    base: usize,
}

impl<'de> DeserializeSeed<'de> for PageEnvelopeSeed {
    type Value = PageEnvelope<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PageEnvelope<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PageEnvelopeSeed {
    type Value = PageEnvelope<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a page")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PageEnvelope<'de>, A::Error> {
        let mut page = PageEnvelope {
            count: None,
            next: None,
            results: None,
        };
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "count" => page.count = Some(map.next_value()?),
                "next" => page.next = Some(map.next_value()?),
                "results" => {
                    page.results = Some(map.next_value_seed(ItemsSeed { base: self.base })?)
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(page)
    }
}

/// Check a page body with the same rules as [`super::parse_body`], reading it once.
pub fn parse_page_text(text: &str, url: &str) -> Result<PageText, CubeError> {
    let not_json = || not_json(text.as_bytes(), url);
    let base = text.as_ptr() as usize;
    let mut de = serde_json::Deserializer::from_str(text);
    if Kind::of_json(text) == Kind::Object {
        let env = PageEnvelopeSeed { base }
            .deserialize(&mut de)
            .and_then(|env| de.end().map(|_| env))
            .map_err(|_| not_json())?;
        let kind = env.results.as_ref().map(|r| r.kind);
        let (count, next) = check_envelope(field(env.count), field(env.next), kind, url)?;
        let items = match env.results {
            Some(items) => items.records(url)?,
            None => Vec::new(),
        };
        return Ok(PageText {
            items,
            count,
            next,
            bare: false,
        });
    }
    let whole = ItemsSeed { base }
        .deserialize(&mut de)
        .and_then(|w| de.end().map(|_| w))
        .map_err(|_| not_json())?;
    check_top(Shape::Pages, whole.kind, url)?;
    Ok(PageText {
        items: whole.records(url)?,
        count: None,
        next: None,
        bare: true,
    })
}
