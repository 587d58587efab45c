//! Format 1 stays readable: a DataSet and an archive laid out exactly as format-1 writers wrote
//! them (their helper texts from [`helpers_v1`]) open, read and take inserts.

use std::collections::BTreeMap;

use super::DataSet;
use crate::archive::Archive;
use crate::format::{helpers, helpers_v1};
use crate::read::ArchiveReader;

/// A format-1 module source: today's (format 5) source with the format-1 header and record
/// helper, without format 5's module helpers and `__all__`.
fn as_format_1(source: &str) -> String {
    assert!(source.contains(helpers::RECORD_HELPER_V5), "{source}");
    let source = source
        .replace(
            &format!(
                "# persist archive, format {},",
                crate::format::FORMAT_WITH_DATACLASSES
            ),
            "# persist archive, format 1,",
        )
        .replace(helpers::RECORD_HELPER_V5, helpers_v1::RECORD_HELPER)
        .replace(&format!("{}\n\n", helpers::MODULE_GETATTR), "")
        .replace(&format!("{}\n\n", helpers::MODULE_DIR), "");
    source
        .lines()
        .filter(|line| !line.starts_with("__all__ = "))
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// An archive with a record class, so that the record helper is written.
fn with_record(name: &str) -> String {
    static P: crate::record::Record = crate::record::Record {
        name: "P",
        rust: "tests::P",
        variant: None,
        python: None,
        kind: crate::record::RecordKind::Named(&["a"]),
        aliases: &[],
    };
    struct WithRecord;
    impl crate::persist::Persist for WithRecord {
        fn to_python_source(
            &self,
            out: &mut crate::write::Writer,
        ) -> Result<(), crate::error::WriteError> {
            out.begin_record(&P)?;
            out.field("a", &1)?;
            out.end_record()
        }
    }
    let mut archive = Archive::new();
    archive.insert(name, vec![1_i64, 2, 3]).unwrap();
    archive.insert("rec", WithRecord).unwrap();
    as_format_1(&archive.to_python_source().unwrap())
}

#[test]
fn a_format_1_archive_loads() {
    let source = with_record("x");
    assert!(source.starts_with("# persist archive, format 1,"));
    let reader = ArchiveReader::from_source(&source).unwrap();
    assert_eq!(reader.read::<Vec<i64>>("x").unwrap(), [1, 2, 3]);
}

#[test]
fn a_format_1_data_set_opens_reads_and_takes_inserts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("old");
    std::fs::create_dir_all(dir.join("_info")).unwrap();
    std::fs::write(dir.join(super::DATASET_MARKER), "").unwrap();
    std::fs::write(dir.join("__init__.py"), helpers_v1::DATASET_INIT_PY).unwrap();
    std::fs::write(dir.join(".lock"), "").unwrap();
    let item = with_record("d") + "import sys as _sys\n_sys.modules[__name__] = d\n";
    std::fs::write(dir.join("d.py"), item).unwrap();
    let mut info = Archive::new();
    info.insert("info", BTreeMap::from([("alpha", 0.5)]))
        .unwrap();
    let info = info.to_python_source().unwrap().replace(
        &format!("format {}", crate::format::FORMAT_WITHOUT_TABLES),
        "format 1",
    );
    std::fs::write(dir.join("_info/d.py"), info).unwrap();

    let ds = DataSet::open(&dir).unwrap();
    assert!(ds.is_writable(), "a format-1 DataSet is ours");
    assert_eq!(ds.items().unwrap(), ["d"]);
    assert_eq!(ds.read::<Vec<i64>>("d").unwrap(), [1, 2, 3]);
    assert_eq!(
        ds.info::<BTreeMap<String, f64>>("d").unwrap(),
        BTreeMap::from([("alpha".to_owned(), 0.5)])
    );
    ds.insert("e", &7, &()).unwrap();
    assert_eq!(ds.items().unwrap(), ["d", "e"]);
    assert_eq!(ds.read::<i64>("e").unwrap(), 7);
    // Its __init__.py is left as it was.
    assert_eq!(
        std::fs::read_to_string(dir.join("__init__.py")).unwrap(),
        helpers_v1::DATASET_INIT_PY
    );
}
