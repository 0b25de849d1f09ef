//! The native edge's file system for the core's [`files::locate`]: real paths by
//! `std::fs::canonicalize`, and the read of the file it finds.

use std::path::Path;

use cube_sandbox_core::files::{self, Disk};

pub struct StdDisk;

impl Disk for StdDisk {
    fn real_path(&self, path: &str) -> Option<String> {
        let real = std::fs::canonicalize(path).ok()?;
        real.into_os_string().into_string().ok()
    }

    fn is_dir(&self, real: &str) -> bool {
        Path::new(real).is_dir()
    }
}

/// The bytes and name (for the type) of the file `path` below `dir`, or `None` (the 404)
/// when [`files::locate`] finds none or it cannot be read. Blocking: call it off the runtime.
pub fn read(dir: &Path, path: &str) -> Option<(Vec<u8>, String)> {
    let found = files::locate(dir.to_str()?, path, &StdDisk)?;
    let bytes = std::fs::read(&found.read).ok()?;
    Some((bytes, found.name))
}
