//! The golden archives of format 7, read back in Rust: format 6's set and the `second_*` module
//! archives of `persist_tests::golden::v7`, whose arrays are under their second name (what Python
//! sees of them is `check_v7.py`'s).

use std::path::Path;

use persist_core::{ArchiveReader, ReadOptions, verify};
use persist_tests::golden::v7::{Point, entries, second};

/// Check every archive of the format-7 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::assert_entries(dir, &entries());
    check_set(dir);
}

/// Check the archives of format 7's set in `dir` (format 8's folder holds them too).
#[track_caller]
pub fn check_set(dir: &Path) {
    super::v6::check_set(dir);
    let (field, points) = second();
    for (name, arrays) in [
        ("second_npy", "second_npy_arrays.2"),
        ("second_npz", "second_npz_arrays.2.npz"),
        ("second_hdf5", "second_hdf5_data.2.h5"),
        ("second_zarr", "second_zarr_arrays.2.zarr"),
    ] {
        let path = dir.join(format!("{name}.py"));
        let source = std::fs::read_to_string(&path).expect("read a golden archive");
        assert!(
            source.starts_with("# persist archive, format 7,"),
            "{source}"
        );
        assert!(source.contains(&format!("'{arrays}'")), "{source}");
        verify(&path, &ReadOptions::new()).unwrap();
        let reader = ArchiveReader::open(&path).unwrap();
        let read: ndarray::Array1<f64> = reader.read("field").unwrap();
        assert_eq!(read.to_vec(), field, "{name}");
        assert_eq!(
            reader.read::<Vec<Point>>("points").unwrap(),
            points,
            "{name}"
        );
    }
}
