//! Python's bytecode cache never serves a replaced file's old code.
//!
//! CPython caches a compiled module in `__pycache__/NAME.TAG.pyc` and trusts it while the
//! source's modification time, in whole seconds, and its size match the ones it recorded. A file
//! replaced within the same second by one of the same size would be served from the old
//! bytecode. So every source file this crate writes gets a modification time, in whole seconds,
//! later than that of the file it replaces and than every time recorded in a cached bytecode
//! file for that path: `max(now, newest + 1)`. It runs ahead of the clock only when one path is
//! replaced several times in a second.
//!
//! Not covered (the README says so): bytecode kept elsewhere with `PYTHONPYCACHEPREFIX`, and a
//! reader that compiled the *removed* file of a DataSet item while it was being removed and
//! re-inserted in the same second.

use std::fs::File;
use std::io::{self, Read as _};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The CPython versions whose cache tags are looked for (`cpython-36` to `cpython-320`).
const MINOR_VERSIONS: std::ops::RangeInclusive<u32> = 6..=20;

/// Give `file`, about to be renamed to (or swapped with) `target`, a modification time that no
/// bytecode cached for `target` can match.
pub(crate) fn set_fresh_mtime(file: &File, target: &Path) -> io::Result<()> {
    let mut newest = std::fs::metadata(target)
        .ok()
        .and_then(|m| m.modified().ok())
        .map(whole_seconds);
    if let Some(recorded) = cached_mtimes(target).max() {
        newest = Some(newest.map_or(recorded, |n| n.max(recorded)));
    }
    let now = whole_seconds(SystemTime::now());
    let fresh = match newest {
        Some(n) if n >= now => n + 1,
        _ => now,
    };
    file.set_modified(UNIX_EPOCH + Duration::from_secs(fresh))
}

fn whole_seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The source modification times recorded in the timestamp-based `.pyc` files of `target`.
fn cached_mtimes(target: &Path) -> impl Iterator<Item = u64> {
    let stem = target.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let cache = target
        .parent()
        .unwrap_or(Path::new("."))
        .join("__pycache__");
    let present = !stem.is_empty() && cache.is_dir();
    let stem = stem.to_owned();
    MINOR_VERSIONS
        .filter(move |_| present)
        .flat_map(move |minor| {
            ["", ".opt-1", ".opt-2"]
                .map(|opt| cache.join(format!("{stem}.cpython-3{minor}{opt}.pyc")))
        })
        .filter_map(|pyc| recorded_mtime(&pyc))
}

/// A `.pyc` header: magic, flags (0: checked by timestamp), source mtime, source size.
fn recorded_mtime(pyc: &Path) -> Option<u64> {
    let mut header = [0u8; 16];
    File::open(pyc).ok()?.read_exact(&mut header).ok()?;
    let flags = u32::from_le_bytes(header[4..8].try_into().ok()?);
    (flags == 0).then(|| {
        u64::from(u32::from_le_bytes(
            header[8..12].try_into().unwrap_or_default(),
        ))
    })
}
