//! The golden archives of format 6, read back in Rust: format 5's set (still format 5 where it
//! uses nothing of format 6) and `lists`, the dict table, columns of lists and one-column table
//! of lists of `persist_tests::golden::v6` (what Python sees of them is `check_v6.py`'s).

use std::collections::BTreeMap;
use std::path::Path;

use persist_core::{ArchiveReader, ReadOptions, verify};
use persist_tests::golden::v6::{Trace, entries, lists};

/// Check every archive of the format-6 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::assert_entries(dir, &entries());
    check_set(dir);
}

/// Check the archives of format 6's set in `dir` (format 7's folder holds them too).
#[track_caller]
pub fn check_set(dir: &Path) {
    super::v5::check_set(dir);
    let path = dir.join("lists");
    let source = std::fs::read_to_string(path.join("__init__.py")).expect("read lists");
    assert!(
        source.starts_with("# persist archive, format 6,"),
        "{source}"
    );
    assert!(source.contains("spectra = _table(dict, (), ("), "{source}");
    verify(&path, &ReadOptions::new()).unwrap();
    let reader = ArchiveReader::open(&path).unwrap();
    let (spectra, traces, nested) = lists();
    assert_eq!(
        reader
            .read::<BTreeMap<String, Vec<f64>>>("spectra")
            .unwrap(),
        spectra
    );
    assert_eq!(reader.read::<Vec<Trace>>("traces").unwrap(), traces);
    assert_eq!(reader.read::<Vec<Vec<i32>>>("nested").unwrap(), nested);
}
