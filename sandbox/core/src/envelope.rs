//! A page's envelope, `{"count", "next", "previous", "results"}`, before it is written: the
//! list handlers fill it, envelope faults edit it, [`write_envelope`] writes it.

use crate::record::{write_array, Record};

/// The envelope before it is written (envelope faults edit it).
pub struct Envelope<'a> {
    pub count: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    /// This page's own URL.
    pub this_page: String,
    /// The `http://host` prefix of the links.
    pub origin: String,
    pub results: Vec<Record<'a>>,
    pub shape: Shape,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    Normal,
    ResultsObject,
    ResultsMissing,
    BareArray,
}

pub fn write_envelope(env: &Envelope<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + env.results.len() * 640);
    if env.shape == Shape::BareArray {
        write_array(&mut out, &env.results);
        return out;
    }
    let link = |l: &Option<String>| match l {
        Some(u) => {
            let mut s = Vec::new();
            crate::record::write_str(&mut s, u);
            s
        }
        None => b"null".to_vec(),
    };
    out.extend_from_slice(format!("{{\"count\":{},\"next\":", env.count).as_bytes());
    out.extend_from_slice(&link(&env.next));
    out.extend_from_slice(b",\"previous\":");
    out.extend_from_slice(&link(&env.previous));
    match env.shape {
        Shape::ResultsMissing => {}
        Shape::ResultsObject => {
            out.extend_from_slice(b",\"results\":{");
            for (i, r) in env.results.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(format!("\"{i}\":").as_bytes());
                r.write_json(&mut out);
            }
            out.push(b'}');
        }
        _ => {
            out.extend_from_slice(b",\"results\":");
            write_array(&mut out, &env.results);
        }
    }
    out.push(b'}');
    out
}
