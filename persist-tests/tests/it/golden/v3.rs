//! The golden archives of format 3, read back in Rust: format 1's set, and the record tables
//! of `persist_tests::golden::v3` (npy, HDF5 and inline columns).

use std::path::Path;

use persist_core::ArchiveReader;
use persist_tests::golden::v3::{Event, entries, events};

/// Check every archive of the format-3 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::assert_entries(dir, &entries());
    check_contents(dir, 3);
}

/// Check the archives of format 3's set in `dir` (which may hold more); the table archives
/// were written as format `format` (3, or 5 from format 5 on, where records are dataclasses).
#[track_caller]
pub fn check_contents(dir: &Path, format: u32) {
    super::v1::check_items(dir);
    let mut names = vec!["tables", "tables_inline.py"];
    if cfg!(feature = "hdf5") {
        names.push("tables_hdf5");
    }
    for name in names {
        let source = std::fs::read_to_string(if name.ends_with(".py") {
            dir.join(name)
        } else {
            dir.join(name).join("__init__.py")
        })
        .expect("read a table archive");
        assert!(
            source.starts_with(&format!("# persist archive, format {format},"))
                && source.contains("events = _table("),
            "{name}"
        );
        let read: Vec<Event> = ArchiveReader::open(dir.join(name))
            .and_then(|r| r.read("events"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(read, events(), "{name}");
    }
}
