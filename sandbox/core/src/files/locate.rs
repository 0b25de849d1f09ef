//! Which file a [`crate::Body::File`] answer reads, once the edge's file system has resolved
//! its symlinks: only a file whose real path lies inside the real path of the served
//! directory. A symlink that stays inside works; one that leads out is the same 404 as a
//! missing file. The core decides; the edge does the I/O through [`Disk`].

/// The edge's file system, as far as [`locate`] needs it.
pub trait Disk {
    /// `path` with every symlink resolved (`std::fs::canonicalize`, `fs.realpathSync`);
    /// `None` when it does not exist or cannot be resolved.
    fn real_path(&self, path: &str) -> Option<String>;
    /// Whether `real` (a real path) is a directory.
    fn is_dir(&self, real: &str) -> bool;
}

/// The file to read for an answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Located {
    /// Its real path: the one to read.
    pub read: String,
    /// The path as asked (a directory's `index.html`), which gives the type.
    pub name: String,
}

/// The file `path` (decoded, no `..`: the answer's) below `dir` (the served directory as
/// configured) — a directory means its `index.html` — or `None` (the 404) when it does not
/// exist or its real path is not inside `dir`'s real path.
pub fn locate(dir: &str, path: &str, disk: &impl Disk) -> Option<Located> {
    let root = disk.real_path(dir)?;
    let mut name = join(dir, path);
    let mut read = disk.real_path(&name)?;
    if disk.is_dir(&read) {
        // Joined to the path as asked, not to the real one: a Windows real path
        // (`\\?\C:\…`) takes no `/`.
        name = join(&name, "index.html");
        read = disk.real_path(&name)?;
    }
    inside(&root, &read).then_some(Located { read, name })
}

fn join(dir: &str, rest: &str) -> String {
    if rest.is_empty() {
        dir.to_string()
    } else {
        format!("{}/{rest}", dir.trim_end_matches(['/', '\\']))
    }
}

/// Whether the real path `real` is `root` or below it (either separator: the Node edge may
/// run on Windows).
fn inside(root: &str, real: &str) -> bool {
    match real.strip_prefix(root) {
        Some("") => true,
        Some(rest) => root.ends_with(['/', '\\']) || rest.starts_with(['/', '\\']),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A file system of real paths (`/srv/www/…`) and symlinks (a path prefix → its target).
    struct FakeDisk {
        files: Vec<&'static str>,
        dirs: Vec<&'static str>,
        links: HashMap<&'static str, &'static str>,
    }

    impl Disk for FakeDisk {
        fn real_path(&self, path: &str) -> Option<String> {
            let mut real = String::new();
            for part in path.split('/').filter(|p| !p.is_empty()) {
                real = format!("{real}/{part}");
                while let Some(target) = self.links.get(real.as_str()) {
                    real = target.to_string();
                }
            }
            let real = if real.is_empty() { "/".into() } else { real };
            let exists = self.files.contains(&real.as_str()) || self.is_dir(&real);
            exists.then_some(real)
        }
        fn is_dir(&self, real: &str) -> bool {
            self.dirs.contains(&real)
        }
    }

    fn disk() -> FakeDisk {
        FakeDisk {
            files: vec![
                "/srv/www/index.html",
                "/srv/www/app.js",
                "/srv/www/sub/index.html",
                "/srv/secret.txt",
                "/srv/secret/index.html",
                "/srv/secret/key",
                "/srv/www-old/app.js",
            ],
            dirs: vec!["/", "/srv", "/srv/www", "/srv/www/sub", "/srv/secret"],
            links: HashMap::from([
                ("/srv/www/latest.js", "/srv/www/app.js"),
                ("/srv/www/inner", "/srv/www/sub"),
                ("/srv/www/out.txt", "/srv/secret.txt"),
                ("/srv/www/outdir", "/srv/secret"),
                ("/srv/www/sibling", "/srv/www-old"),
                ("/srv/www/sub/escape", "/srv/secret"),
                ("/srv/link-to-www", "/srv/www"),
            ]),
        }
    }

    fn read(dir: &str, path: &str) -> Option<String> {
        locate(dir, path, &disk()).map(|l| l.read)
    }

    #[test]
    fn files_and_directories_inside_are_read_at_their_real_paths() {
        assert_eq!(read("/srv/www", "app.js").unwrap(), "/srv/www/app.js");
        assert_eq!(read("/srv/www", "").unwrap(), "/srv/www/index.html");
        assert_eq!(read("/srv/www/", "sub").unwrap(), "/srv/www/sub/index.html");
        assert_eq!(read("/srv/www", "missing.js"), None);
    }

    #[test]
    fn symlinks_that_stay_inside_work_and_keep_the_asked_name() {
        let found = locate("/srv/www", "latest.js", &disk()).unwrap();
        assert_eq!(found.read, "/srv/www/app.js");
        assert_eq!(found.name, "/srv/www/latest.js");
        let found = locate("/srv/www", "inner", &disk()).unwrap();
        assert_eq!(found.read, "/srv/www/sub/index.html");
        assert_eq!(found.name, "/srv/www/inner/index.html");
    }

    #[test]
    fn symlinks_that_lead_out_are_not_found() {
        assert_eq!(read("/srv/www", "out.txt"), None);
        assert_eq!(read("/srv/www", "outdir"), None);
        assert_eq!(read("/srv/www", "outdir/key"), None);
        assert_eq!(read("/srv/www", "sub/escape/key"), None);
        // a sibling whose name starts with the directory's is not inside it
        assert_eq!(read("/srv/www", "sibling/app.js"), None);
    }

    #[test]
    fn a_served_directory_that_is_a_symlink_is_taken_at_its_real_path() {
        assert_eq!(
            read("/srv/link-to-www", "app.js").unwrap(),
            "/srv/www/app.js"
        );
        assert_eq!(read("/srv/link-to-www", "out.txt"), None);
        assert_eq!(read("/srv/missing", "app.js"), None);
    }

    #[test]
    fn inside_is_by_whole_components() {
        assert!(inside("/srv/www", "/srv/www"));
        assert!(inside("/srv/www", "/srv/www/a"));
        assert!(inside("/", "/etc/passwd"));
        assert!(inside(r"C:\www", r"C:\www\a.js"));
        assert!(!inside("/srv/www", "/srv/www-old/a"));
        assert!(!inside("/srv/www", "/srv"));
        assert!(!inside(r"C:\www", r"C:\www2\a.js"));
    }
}
