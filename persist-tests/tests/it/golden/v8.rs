//! The golden archives of format 8, read back in Rust: format 7's set and the DataSet `meta` of
//! `persist_tests::golden::v8`, whose metadata index has a data cache beside each segment (what
//! Python sees of them is `check_v8.py`'s).

use std::path::Path;

use persist_core::{DataSet, ReadOptions, verify};
use persist_tests::golden::v8::{META_ITEMS, Meta, entries, meta};

/// Check every archive of the format-8 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::assert_entries(dir, &entries());
    super::v7::check_set(dir);
    for name in ["sweep", "meta"] {
        let init = std::fs::read_to_string(dir.join(name).join("__init__.py")).unwrap();
        assert!(init.starts_with("# persist DataSet, format 8,"), "{init}");
        let index = dir.join(name).join("_index");
        let mut segments = 0;
        for entry in std::fs::read_dir(&index).unwrap() {
            let file = entry.unwrap().file_name().to_string_lossy().into_owned();
            if let Some(stem) = file.strip_suffix(".py") {
                assert!(
                    index.join(format!("{stem}.marshal")).is_file(),
                    "{name}: {file} has no data cache"
                );
                segments += 1;
            }
        }
        assert!(segments > 0, "{name}: no segment");
    }
    let report = verify(dir.join("meta"), &ReadOptions::new()).unwrap();
    assert!(
        report
            .files
            .iter()
            .any(|f| f.extension().is_some_and(|x| x == "marshal")),
        "{report:?}"
    );
    let ds = DataSet::open_read_only(dir.join("meta")).unwrap();
    for k in 0..META_ITEMS {
        let name = format!("m{k}");
        assert_eq!(ds.read::<i32>(&name).unwrap(), k);
        let info: Meta = ds.info(&name).unwrap();
        // NaN parts: compared by their spelling.
        assert_eq!(format!("{info:?}"), format!("{:?}", meta(k)), "{name}");
    }
}
