//! The golden archives of format 4, read back in Rust: format 3's set, the Zarr archive of
//! `persist_tests::golden::v4` (a field and a record table in `_arrays.zarr`; without the
//! `zarr` feature, reading it is an error naming the feature), and a record table in a lazy HDF5
//! file.

use std::path::Path;

use persist_core::ArchiveReader;
use persist_tests::golden::v3::{Event, events};
use persist_tests::golden::v4::{entries, field};

/// Check every archive of the format-4 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::assert_entries(dir, &entries());
    check_set(dir, 3, 4);
}

/// Check format 4's set in `dir` (which may hold more): its table archives written as format
/// `tables`, the others with records (Zarr, mapped npy, lazy HDF5) as format `records` (both 5
/// from format 5 on).
#[track_caller]
pub fn check_set(dir: &Path, tables: u32, records: u32) {
    super::v3::check_contents(dir, tables);
    let header = format!("# persist archive, format {records},");
    let path = dir.join("zarr_run");
    let source = std::fs::read_to_string(path.join("__init__.py")).expect("read the Zarr archive");
    assert!(source.starts_with(&header), "{source}");
    assert!(path.join("_arrays.zarr/field/zarr.json").is_file());
    let reader = ArchiveReader::open(&path).unwrap_or_else(|e| panic!("zarr_run: {e}"));
    let read = reader.read::<ndarray::Array2<f64>>("field");
    if cfg!(feature = "zarr") {
        assert_eq!(read.unwrap(), field());
        let table: Vec<Event> = reader.read("events").unwrap();
        assert_eq!(table, events());
    } else {
        let err = read.unwrap_err().to_string();
        assert!(err.contains("`zarr` feature"), "{err}");
    }
    let mmap = dir.join("arrays_mmap");
    let source = std::fs::read_to_string(mmap.join("__init__.py")).expect("read the mapped npy");
    assert!(source.starts_with(&header) && source.contains("mmap_mode='r'"));
    let reader = ArchiveReader::open(&mmap).unwrap();
    assert_eq!(
        reader.read::<ndarray::Array2<f64>>("field").unwrap(),
        field()
    );
    assert_eq!(reader.read::<Vec<Event>>("events").unwrap(), events());
    let lazy = dir.join("tables_hdf5_lazy");
    let source = std::fs::read_to_string(lazy.join("__init__.py")).expect("read the lazy table");
    assert!(source.starts_with(&header) && source.contains("events = _table("));
    if cfg!(feature = "hdf5") {
        let table: Vec<Event> = ArchiveReader::open(&lazy)
            .and_then(|r| r.read("events"))
            .unwrap();
        assert_eq!(table, events());
    }
}
