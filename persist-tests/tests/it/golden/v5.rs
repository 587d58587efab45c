//! The golden archives of format 5, read back in Rust: format 4's set (every archive with
//! records now of format 5) and `stamps.py`, the `Duration`, `SystemTime` and bytes of
//! `persist_tests::golden::v5` (what Python sees of them is `check_v5.py`'s).

use std::path::Path;
use std::time::{Duration, SystemTime};

use persist_core::ArchiveReader;
use persist_tests::golden::v5::{Stamp, entries, stamps};

/// Check every archive of the format-5 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::assert_entries(dir, &entries());
    check_set(dir);
}

/// Check the archives of format 5's set in `dir` (a later folder holds them too).
#[track_caller]
pub fn check_set(dir: &Path) {
    super::v4::check_set(dir, 5, 5);
    let path = dir.join("stamps.py");
    let source = std::fs::read_to_string(&path).expect("read stamps.py");
    assert!(
        source.starts_with("# persist archive, format 5,"),
        "{source}"
    );
    let reader = ArchiveReader::open(&path).unwrap();
    let (stamp, before, durations) = stamps();
    assert_eq!(reader.read::<Stamp>("stamp").unwrap(), stamp);
    assert_eq!(reader.read::<SystemTime>("before").unwrap(), before);
    assert_eq!(
        reader.read::<Vec<Duration>>("durations").unwrap(),
        durations
    );
}
