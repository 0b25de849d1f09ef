//! `BaseUrl::parse`: an accepted base URL is https, or http to a loopback host only; it has no
//! credentials; and the URLs the client builds from it, read by an independent WHATWG parser
//! (what `fetch` uses), go to the same scheme, host and port. A refusal names `baseUrl` and
//! never repeats a password given in the URL.
#![no_main]

use cube_integration::config::BaseUrl;
use cube_integration::ErrorCode;
use libfuzzer_sys::fuzz_target;
use url::{Host, Url};

fn loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => *d == "localhost" || d.ends_with(".localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

fuzz_target!(|input: &str| {
    match BaseUrl::parse(input) {
        Ok(base) => {
            let origin = base.origin();
            assert!(
                origin.starts_with("https://") || origin.starts_with("http://"),
                "{origin}"
            );
            if origin.starts_with("http://") {
                assert!(
                    base.is_loopback(),
                    "plain http to a non-loopback host: {input:?}"
                );
            }
            let built = base.join("/api/v1/campaigns");
            // What fetch would do with it. (A URL the WHATWG parser refuses fails in fetch as a
            // network error, before anything is sent: not a leak.)
            if let Ok(u) = Url::parse(&built) {
                assert!(
                    u.username().is_empty() && u.password().is_none(),
                    "credentials in {built}"
                );
                assert!(u.query().is_none() && u.fragment().is_none(), "{built}");
                match u.scheme() {
                    "https" => {}
                    "http" => assert!(
                        u.host().as_ref().is_some_and(loopback),
                        "{input:?} is accepted as loopback, but fetch would go to {:?}",
                        u.host_str()
                    ),
                    other => panic!("scheme {other} from {input:?}"),
                }
                let expected = Url::parse(&origin).expect("origin parses when the full URL does");
                assert_eq!(
                    u.origin(),
                    expected.origin(),
                    "{input:?}: built URL leaves the origin"
                );
                assert!(
                    u.path().ends_with("/api/v1/campaigns"),
                    "{input:?} → {}",
                    u.path()
                );
            }
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidArgument);
            assert_eq!(e.param.as_deref(), Some("baseUrl"));
            // user:password@ in the input: the password is never repeated.
            if let Some((scheme_end, at)) = input.find("://").zip(input.rfind('@')) {
                if at > scheme_end {
                    if let Some((_, password)) = input[scheme_end + 3..at].split_once(':') {
                        if password.len() >= 4 {
                            // The message shows the input Debug-escaped with the user-info cut:
                            // `baseUrl "…[redacted]@…" is not usable: why`.
                            let shown = e
                                .message
                                .strip_prefix("baseUrl ")
                                .and_then(|m| m.rsplit_once(" is not usable"))
                                .map_or(e.message.as_str(), |(shown, _)| shown);
                            // Unless the password also shows in what is left of the input.
                            let rest = format!(
                                "{:?}",
                                format!("{}[redacted]{}", &input[..scheme_end + 3], &input[at..])
                            );
                            if !rest.contains(password) {
                                assert!(!shown.contains(password), "{input:?} → {}", e.message);
                            }
                        }
                    }
                }
            }
        }
    }
});
