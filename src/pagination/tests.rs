use super::*;
use crate::endpoints::Shape;

const URL: &str = "http://127.0.0.1/api/v1/x/";

fn facts(page: u32, count: Option<u64>, next: Option<&str>, len: usize) -> PageFacts {
    PageFacts {
        page,
        count,
        next: next.map(String::from),
        len,
        bare: false,
    }
}

fn link(page: u32) -> Option<String> {
    Some(format!("https://other.host/api/v1/x/?page={page}"))
}

/// Walk a server of `count` records in pages of `size`, fetching as the planner says, and
/// return the pages fetched and the records delivered.
fn walk(count: u64, size: u64, start: u32, limit: Option<u64>) -> (Vec<u32>, u64) {
    let mut planner = Planner::new(start, limit);
    let pages = count.div_ceil(size).max(1) as u32;
    let mut fetched = vec![];
    let mut delivered = 0;
    while let Some(p) = planner.next_to_fetch() {
        fetched.push(p);
        let len = if p > pages {
            0
        } else {
            (count - (u64::from(p) - 1) * size).min(size)
        } as usize;
        let next = if p < pages { link(p + 1) } else { None };
        match planner
            .accept(
                &PageFacts {
                    page: p,
                    count: Some(count),
                    next,
                    len,
                    bare: false,
                },
                URL,
            )
            .unwrap()
        {
            Verdict::More => delivered += len as u64,
            Verdict::Last { take } => {
                delivered += take as u64;
                break;
            }
        }
    }
    (fetched, delivered)
}

#[test]
fn only_the_first_page_is_fetched_before_it_is_seen() {
    let mut p = Planner::new(1, None);
    assert_eq!(p.next_to_fetch(), Some(1));
    assert_eq!(p.next_to_fetch(), None);
    p.accept(&facts(1, Some(1200), link(2).as_deref(), 500), URL)
        .unwrap();
    assert_eq!(p.next_to_fetch(), Some(2));
    assert_eq!(p.next_to_fetch(), Some(3));
    assert_eq!(
        p.next_to_fetch(),
        None,
        "1200 records in pages of 500 are 3 pages"
    );
    assert_eq!(p.total(), Some(1200));
}

#[test]
fn a_full_walk_delivers_exactly_count_records() {
    for (count, size) in [
        (0, 500),
        (1, 500),
        (500, 500),
        (501, 500),
        (100_000, 500),
        (1234, 7),
    ] {
        let (pages, delivered) = walk(count, size, 1, None);
        assert_eq!(delivered, count, "count {count} size {size}");
        assert_eq!(
            pages,
            (1..=count.div_ceil(size).max(1) as u32).collect::<Vec<_>>()
        );
    }
}

#[test]
fn resuming_starts_at_the_given_page() {
    let (pages, delivered) = walk(1200, 500, 2, None);
    assert_eq!(pages, vec![2, 3]);
    assert_eq!(delivered, 700);
}

#[test]
fn a_limit_fetches_only_the_pages_it_needs() {
    let (pages, delivered) = walk(100_000, 500, 1, Some(1001));
    assert_eq!(pages, vec![1, 2, 3]);
    assert_eq!(delivered, 1001);
    let (pages, delivered) = walk(100_000, 500, 1, Some(10));
    assert_eq!((pages, delivered), (vec![1], 10));
}

#[test]
fn a_null_next_ends_the_read_even_if_count_promised_more() {
    let mut p = Planner::new(1, None);
    p.next_to_fetch();
    p.accept(&facts(1, Some(2000), link(2).as_deref(), 500), URL)
        .unwrap();
    assert_eq!(
        p.accept(&facts(2, Some(2000), None, 500), URL).unwrap(),
        Verdict::Last { take: 500 }
    );
    assert!(p.is_done());
    assert_eq!(p.next_to_fetch(), None);
}

#[test]
fn more_pages_than_announced_are_read_one_by_one() {
    let mut p = Planner::new(1, None);
    p.next_to_fetch();
    p.accept(&facts(1, Some(1000), link(2).as_deref(), 500), URL)
        .unwrap();
    assert_eq!(p.next_to_fetch(), Some(2));
    assert_eq!(p.next_to_fetch(), None);
    assert_eq!(
        p.accept(&facts(2, Some(1001), link(3).as_deref(), 500), URL)
            .unwrap(),
        Verdict::More
    );
    assert_eq!(p.next_to_fetch(), Some(3));
    assert_eq!(
        p.accept(&facts(3, Some(1001), None, 1), URL).unwrap(),
        Verdict::Last { take: 1 }
    );
}

#[test]
fn a_looping_next_link_is_an_error() {
    let mut p = Planner::new(1, None);
    p.next_to_fetch();
    let e = p
        .accept(
            &facts(1, Some(1000), Some("http://127.0.0.1/x/?page=1"), 500),
            URL,
        )
        .unwrap_err();
    assert_eq!(e.code.as_str(), "invalid_response");
    assert!(e.message.contains("loop"));
}

#[test]
fn an_empty_page_that_announces_more_is_an_error() {
    let mut p = Planner::new(1, None);
    p.next_to_fetch();
    assert!(p
        .accept(&facts(1, Some(10), link(2).as_deref(), 0), URL)
        .is_err());
}

#[test]
fn endless_extra_pages_are_bounded() {
    let mut p = Planner::new(1, None);
    p.next_to_fetch();
    p.accept(&facts(1, Some(10), link(2).as_deref(), 10), URL)
        .unwrap();
    let mut page = 2;
    let err = loop {
        assert_eq!(p.next_to_fetch(), Some(page));
        match p.accept(&facts(page, Some(10), link(page + 1).as_deref(), 10), URL) {
            Ok(_) => page += 1,
            Err(e) => break e,
        }
        assert!(page < 5000, "never ends");
    };
    assert_eq!(err.code.as_str(), "invalid_response");
    assert_eq!(
        p.resume_page(),
        page,
        "the refused page is still the one to resume from"
    );
}

#[test]
fn envelopes_are_checked() {
    let ok = parse_body(br#"{"count":2,"next":"http://x/?page=2","previous":null,"results":[{"a":1},{"a":"\u00e6"}]}"#, Shape::Pages, URL).unwrap();
    assert_eq!(ok.count, Some(2));
    assert_eq!(ok.next.as_deref(), Some("http://x/?page=2"));
    assert_eq!(count_items(ok.records).unwrap(), 2);
    let last = parse_body(
        br#"{"count":0,"next":null,"results":[]}"#,
        Shape::Pages,
        URL,
    )
    .unwrap();
    assert_eq!(last.next, None);
    let bare = parse_body(br#"[{"a":1}]"#, Shape::Pages, URL).unwrap();
    assert_eq!((bare.count, bare.next), (None, None));
    for (body, needle) in [
        (&b"<html><body>Log in</body></html>"[..], "HTML"),
        (
            br#"{"count":1,"results":{"a":1}}"#,
            "`results` to be a list",
        ),
        (br#"{"count":1}"#, "no `results`"),
        (br#"{"count":-1,"results":[]}"#, "count"),
        (br#"{"count":1.5,"results":[]}"#, "count"),
        (br#"{"count":1,"next":5,"results":[]}"#, "next"),
        (b"{\"count\":1,\"results\":[{\"a\":\"\xff\"}]}", "UTF-8"),
        (br#"{"count":1,"results":[{"a":1}"#, "truncated"),
        (b"", "empty"),
        (br#"nonsense"#, "not valid JSON"),
    ] {
        let e = parse_body(body, Shape::Pages, URL).unwrap_err();
        assert_eq!(e.code.as_str(), "invalid_response");
        assert!(e.message.contains(needle), "{needle}: {}", e.message);
    }
    assert!(
        parse_body(br#"{"count":1,"results":[{"a":1}"#, Shape::Pages, URL)
            .unwrap_err()
            .transient
    );
    assert!(
        !parse_body(b"<html></html>", Shape::Pages, URL)
            .unwrap_err()
            .transient
    );
}

#[test]
fn objects_and_arrays_are_checked() {
    assert!(parse_body(br#"{"username":"a"}"#, Shape::Object, URL).is_ok());
    assert!(parse_body(br#"[1]"#, Shape::Object, URL).is_err());
    assert!(parse_body(br#"[{"id":1}]"#, Shape::Array, URL).is_ok());
    assert!(parse_body(br#"{"detail":"x"}"#, Shape::Array, URL).is_err());
}

#[test]
fn a_bare_list_after_enveloped_pages_is_an_error() {
    let mut p = Planner::new(1, None);
    p.next_to_fetch();
    p.accept(&facts(1, Some(1000), link(2).as_deref(), 500), URL)
        .unwrap();
    let bare = PageFacts {
        page: 2,
        count: None,
        next: None,
        len: 500,
        bare: true,
    };
    assert_eq!(
        p.accept(&bare, URL).unwrap_err().code.as_str(),
        "invalid_response"
    );
    let mut first = Planner::new(1, None);
    first.next_to_fetch();
    let single = PageFacts {
        page: 1,
        count: None,
        next: None,
        len: 3,
        bare: true,
    };
    assert_eq!(
        first.accept(&single, URL).unwrap(),
        Verdict::Last { take: 3 }
    );
}

/// The one-pass reader of the streaming sync follows the same rules as `parse_body`.
#[test]
fn page_text_agrees_with_parse_body() {
    // The sync reads records: an item that is not an object is refused (a list read passes it on).
    let e = parse_page_text(r#"{"count":2,"results":[{"a":1}, 7]}"#, URL).unwrap_err();
    assert!(e.message.contains("not an object"), "{}", e.message);
    let bodies: [&[u8]; 15] = [
        b"{\n  \"count\": 1,\n  \"results\": [\n    {\"a\": [1, {\"b\": \"}\"}]}\n  ]\n}",
        br#"{"count":2,"next":"http://x/?page=2","previous":null,"results":[{"a":1},{"a":"\u00e6"}]}"#,
        br#" {"count":0,"next":null,"results":[]} "#,
        br#"[{"a":1}]"#,
        b"<html><body>Log in</body></html>",
        br#"{"count":1,"results":{"a":1}}"#,
        br#"{"count":1}"#,
        br#"{"count":-1,"results":[]}"#,
        br#"{"count":1.5,"results":[]}"#,
        br#"{"count":1,"next":5,"results":[]}"#,
        br#"{"count":1,"results":[{"a":1}"#,
        b"",
        br#"nonsense"#,
        br#""a string""#,
        br#"{"count":1,"results":[{"a":1}]} trailing"#,
    ];
    for body in bodies {
        let text = std::str::from_utf8(body).unwrap();
        let expected = parse_body(body, Shape::Pages, URL);
        match (parse_page_text(text, URL), expected) {
            (Ok(got), Ok(want)) => {
                let items: Vec<&serde_json::value::RawValue> =
                    serde_json::from_str(want.records).unwrap();
                let got_items: Vec<&str> = got.items.iter().map(|r| &text[r.clone()]).collect();
                let want_items: Vec<&str> = items.iter().map(|i| i.get()).collect();
                assert_eq!(got_items, want_items, "{text}");
                assert_eq!((got.count, got.next), (want.count, want.next), "{text}");
            }
            (Err(got), Err(want)) => {
                assert_eq!(got.message, want.message, "{text}");
                assert_eq!(got.transient, want.transient, "{text}");
            }
            (got, want) => panic!("{text}: {got:?} vs {want:?}"),
        }
    }
}
