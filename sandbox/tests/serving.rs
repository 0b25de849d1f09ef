//! Static files, the package dir, the request log.

mod common;

use common::{Sandbox, DEMO_TOKEN};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cube-sandbox-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn serves_static_and_pkg_files_with_types() {
    let www = temp_dir("www");
    let pkg = temp_dir("pkg");
    std::fs::write(www.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(www.join("app.mjs"), "export {}").unwrap();
    std::fs::write(www.join("style.css"), "body{}").unwrap();
    std::fs::create_dir_all(pkg.join("web")).unwrap();
    std::fs::write(pkg.join("web/cube_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("web/cube.js"), "export default 1").unwrap();
    std::fs::write(pkg.join("package.json"), "{}").unwrap();
    let (w, p) = (www.clone(), pkg.clone());
    let sb = Sandbox::with_config(move |c| {
        c.static_dir = Some(w);
        c.pkg_dir = Some(p);
    });
    let cases = [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/app.mjs", "text/javascript"),
        ("/style.css", "text/css"),
        ("/pkg/web/cube_bg.wasm", "application/wasm"),
        ("/pkg/web/cube.js", "text/javascript"),
        ("/pkg/package.json", "application/json"),
    ];
    for (path, ty) in cases {
        let r = sb.get_as(path, None);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with(ty), "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
    }
    assert_eq!(
        sb.get_as("/pkg/web/cube_bg.wasm", None).body,
        b"\0asm\x01\0\0\0"
    );
    assert_eq!(sb.get_as("/missing.js", None).status, 404);
    assert_eq!(sb.get_as("/../Cargo.toml", None).status, 404);
    assert_eq!(sb.get_as("/pkg/%2e%2e/Cargo.toml", None).status, 404);
    // static files are not logged
    let log = sb.control("GET", "/_sandbox/requests", None).json();
    assert_eq!(log, serde_json::json!([]));
    let _ = std::fs::remove_dir_all(www);
    let _ = std::fs::remove_dir_all(pkg);
}

/// The answer without the headers each HTTP server adds by itself, to compare two answers.
fn answer_of(r: &cube_sandbox::http_client::HttpResponse) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut headers: Vec<_> = r
        .headers
        .iter()
        .filter(|(n, _)| !["date", "connection", "keep-alive"].contains(&n.as_str()))
        .cloned()
        .collect();
    headers.sort();
    (r.status, headers, r.body.clone())
}

#[cfg(unix)]
#[test]
fn only_files_whose_real_path_is_inside_the_directory_are_served() {
    use std::os::unix::fs::symlink;
    let base = temp_dir("confined");
    let (www, pkg, outside) = (base.join("www"), base.join("pkg"), base.join("outside"));
    for dir in [&www, &pkg, &outside, &www.join("sub")] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(www.join("app.js"), "export const app = 1").unwrap();
    std::fs::write(www.join("sub/index.html"), "<h1>sub</h1>").unwrap();
    std::fs::write(pkg.join("package.json"), "{}").unwrap();
    std::fs::write(outside.join("secret.txt"), "SECRET").unwrap();
    std::fs::write(outside.join("index.html"), "SECRET").unwrap();
    // inward: a file and a directory, by relative links
    symlink("app.js", www.join("latest.js")).unwrap();
    symlink("sub", www.join("inner")).unwrap();
    // outward: a file and a directory outside, from the top and from a subdirectory
    symlink(outside.join("secret.txt"), www.join("out.txt")).unwrap();
    symlink(&outside, www.join("outdir")).unwrap();
    symlink("../../outside", www.join("sub/up")).unwrap();
    symlink(outside.join("secret.txt"), pkg.join("out.txt")).unwrap();
    // the served directory itself is a link: it is taken at its real path
    symlink(&www, base.join("www-link")).unwrap();
    let (w, p) = (base.join("www-link"), pkg.clone());
    let sb = Sandbox::with_config(move |c| {
        c.static_dir = Some(w);
        c.pkg_dir = Some(p);
    });

    for (path, body) in [
        ("/app.js", "export const app = 1"),
        ("/latest.js", "export const app = 1"),
        ("/inner", "<h1>sub</h1>"),
        ("/inner/index.html", "<h1>sub</h1>"),
        ("/pkg/package.json", "{}"),
    ] {
        let r = sb.get_as(path, None);
        assert_eq!((r.status, r.text().as_str()), (200, body), "{path}");
    }
    let r = sb.get_as("/latest.js", None);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));

    // Out of the directory: the very answer of a missing file, no hint that it exists.
    let missing = answer_of(&sb.get_as("/missing.txt", None));
    assert_eq!(missing.0, 404);
    for path in [
        "/out.txt",
        "/outdir",
        "/outdir/",
        "/outdir/secret.txt",
        "/sub/up/secret.txt",
        "/inner/up/secret.txt",
        "/pkg/out.txt",
        // refused before any file system: `..`, encoded or not, backslashes, NUL
        "/../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/%2E%2E%2Foutside%2Fsecret.txt",
        "/sub/..%2f..%2foutside/secret.txt",
        "/sub%5c..%5c..%5coutside%5csecret.txt",
        "/app.js%00",
        "/app.js%00.html",
    ] {
        let r = sb.get_as(path, None);
        assert_eq!(answer_of(&r), missing, "{path}: {}", r.text());
    }
    // a raw backslash: refused (by the core, or the HTTP server's own 400), never the file
    let r = sb.get_as("/sub\\..\\..\\outside\\secret.txt", None);
    assert!(matches!(r.status, 400 | 404), "{}", r.status);
    assert!(!r.text().contains("SECRET"));
    drop(sb);
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn request_log_records_api_requests_and_clears() {
    let sb = Sandbox::start();
    sb.get_as("/account/who_am_i?x=1", Some(DEMO_TOKEN));
    sb.get_as("/account/who_am_i", None);
    let r = sb.control("GET", "/_sandbox/requests", None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let log = r.json();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log}");
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[0]["path"], "/account/who_am_i");
    assert_eq!(entries[0]["query"], "x=1");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[0]["headers"]["authorization"], DEMO_TOKEN);
    assert_eq!(entries[0]["headers"]["accept"], "application/json");
    assert_eq!(entries[1]["status"], 401);
    assert!(entries[1]["at"].as_str().unwrap().ends_with('Z'));
    // preflights are logged; the control API and the spec are not
    sb.request(
        "OPTIONS",
        "/api/v1/campaigns",
        &[("Access-Control-Request-Method", "GET")],
        None,
    );
    sb.get_as("/openapi.json", None);
    let log = sb.control("GET", "/_sandbox/requests", None).json();
    assert_eq!(log.as_array().unwrap().len(), 3, "{log}");
    assert_eq!(log[2]["method"], "OPTIONS");
    assert_eq!(log[2]["status"], 204);
    assert_eq!(sb.control("DELETE", "/_sandbox/requests", None).status, 204);
    assert_eq!(
        sb.control("GET", "/_sandbox/requests", None).json(),
        serde_json::json!([])
    );
}

#[test]
fn request_bodies_over_2_mib_are_refused_with_413() {
    let sb = Sandbox::start();
    let size = 3 * 1024 * 1024;
    let received = sb.raw(&format!(
        "POST /crm/customers HTTP/1.1\r\nHost: {}\r\nAuthorization: {DEMO_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n",
        sb.running.addr()
    ));

    // Only the head: the length alone is refused, before any byte of the body is read, so the
    // answer cannot be lost to a reset of unread data.
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 413 "), "{text}");
    assert!(text.ends_with("\r\n\r\nrequest body too large\n"), "{text}");
    let head = text.to_ascii_lowercase();
    assert!(
        head.contains("\r\naccess-control-allow-origin: *\r\n"),
        "a page can read it: {text}"
    );
    assert!(head.contains("\r\nconnection: close\r\n"), "{text}");
    // nothing was created, and the sandbox still answers
    assert_eq!(sb.get("/account/who_am_i").status, 200);
}
