//! Attacks through an archive's HDF5 file (feature `hdf5`): h5py replaces a dataset of an archive
//! this crate wrote with one that makes libhdf5 read outside the file (external storage, external
//! and soft links, a virtual dataset, a plugin filter, a symlinked file) or announce far more than the file holds
//! (a sparse chunked dataset of 10^11 elements). Each is refused with its exact message, before
//! anything is read, and the process goes on to read the archive's honest items.

use ndarray::Array1;
use persist_core::{
    Archive, ArchiveReader, ArrayStore, HDF5_MAX_EXPANSION, HDF5_MIN_READ_LIMIT, Hdf5Options,
    Persist, SaveOptions,
};
use persist_tests::run_python;

/// An item whose array is the dataset `run/field`, inside the group `run`.
#[derive(Persist, Debug, PartialEq)]
struct Holder {
    field: Array1<f64>,
}

/// An archive `arch` whose every array is in `arch/_data.h5`: datasets `x`, `run/field` and
/// `kept`; and beside the archive (outside it) `secret.bin` and `other.h5`, which hold 1234.5
/// eight times, what an attack would read.
struct Victim {
    dir: tempfile::TempDir,
}

const SETUP: &str = r#"
import os, h5py, numpy as np
secret = os.path.abspath('secret.bin')
other = os.path.abspath('other.h5')
np.full(8, 1234.5).tofile(secret)
with h5py.File(other, 'w') as o:
    o['x'] = np.full(8, 1234.5)
"#;

impl Victim {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let x = Array1::from_shape_fn(8, |i| i as f64);
        let run = Holder {
            field: Array1::from_shape_fn(8, |i| -(i as f64)),
        };
        let kept = Array1::from(vec![1.0, 2.0]);
        let mut archive = Archive::new()
            .with_array_threshold(0)
            .with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
        archive.insert("x", &x).unwrap();
        archive.insert("run", &run).unwrap();
        archive.insert("kept", &kept).unwrap();
        archive
            .save(dir.path().join("arch"), SaveOptions::package())
            .unwrap();
        run_python(dir.path(), SETUP);
        Victim { dir }
    }

    /// Run `code` with h5py on the archive's HDF5 file, open as `f` for writing, after
    /// [`SETUP`]. The code asserts that h5py reads the attack's data (so the attack is real).
    #[track_caller]
    fn alter(&self, code: &str) {
        let indented: String = code.lines().map(|l| format!("    {l}\n")).collect();
        run_python(
            self.dir.path(),
            &format!("{SETUP}\nwith h5py.File('arch/_data.h5', 'r+') as f:\n{indented}"),
        );
    }

    /// Read `item` (`T`), expecting a refusal: its message. Then check that the process goes on
    /// and reads an honest item of the same archive.
    #[track_caller]
    fn refusal<T: Persist + std::fmt::Debug>(&self, item: &str) -> String {
        let reader = ArchiveReader::open(self.dir.path().join("arch")).unwrap();
        let message = match reader.read::<T>(item) {
            Ok(value) => panic!("the attack was read: {value:?}"),
            Err(e) => e.to_string(),
        };
        assert!(!message.contains("1234.5"), "{message}");
        assert_eq!(
            reader.read::<Array1<f64>>("kept").unwrap(),
            Array1::from(vec![1.0, 2.0])
        );
        message
    }

    /// The message an HDF5 refusal of `item` (dataset `dataset`) has: the archive's source at
    /// the item's line, the HDF5 file and the dataset, then `reason`.
    fn expected(&self, item: &str, dataset: &str, reason: &str) -> String {
        let source_path = self.dir.path().join("arch/__init__.py");
        let source = std::fs::read_to_string(&source_path).unwrap();
        let needle = format!("_load('{dataset}')");
        let (line, text) = source
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(&needle))
            .expect("the source loads the dataset");
        let column = text.find(&needle).unwrap() + 1;
        let h5 = self.dir.path().join("arch/_data.h5").join(dataset);
        let field = if item == "run" { ", at `.field`" } else { "" };
        format!(
            "{}:{}:{column}: item `{item}`{field}: cannot read array file {}: {reason}",
            source_path.display(),
            line + 1,
            h5.display(),
        )
    }
}

const STAYS: &str = "refused: an archive's data stays inside its HDF5 file";

#[test]
fn external_storage_is_refused() {
    let victim = Victim::new();
    victim.alter(
        "del f['x']\n\
         f.create_dataset('x', shape=(8,), dtype='f8', external=[(secret, 0, 64)])\n\
         assert (f['x'][()] == 1234.5).all()",
    );
    assert_eq!(
        victim.refusal::<Array1<f64>>("x"),
        victim.expected(
            "x",
            "x",
            &format!(
                "dataset `x` has external storage (its data is in 1 raw file(s) outside the \
                 HDF5 file); {STAYS}"
            )
        )
    );
}

#[test]
fn an_external_link_is_refused() {
    let victim = Victim::new();
    victim.alter(
        "del f['x']\n\
         f['x'] = h5py.ExternalLink(other, '/x')\n\
         assert (f['x'][()] == 1234.5).all()",
    );
    assert_eq!(
        victim.refusal::<Array1<f64>>("x"),
        victim.expected(
            "x",
            "x",
            &format!(
                "dataset `x`: `x` is an external (or user-defined) link to another file; {STAYS}"
            )
        )
    );
}

#[test]
fn soft_links_are_refused_for_the_dataset_and_for_its_groups() {
    let victim = Victim::new();
    victim.alter(
        "f['real'] = np.full(8, 1234.5)\n\
         del f['x']\n\
         f['x'] = h5py.SoftLink('/real')\n\
         assert (f['x'][()] == 1234.5).all()\n\
         g = f.create_group('elsewhere')\n\
         g['field'] = np.full(8, 1234.5)\n\
         del f['run']\n\
         f['run'] = h5py.SoftLink('/elsewhere')\n\
         assert (f['run/field'][()] == 1234.5).all()",
    );
    let linked =
        "is a soft link; refused: an archive's datasets are reached through hard links only";
    assert_eq!(
        victim.refusal::<Array1<f64>>("x"),
        victim.expected("x", "x", &format!("dataset `x`: `x` {linked}"))
    );
    assert_eq!(
        victim.refusal::<Holder>("run"),
        victim.expected(
            "run",
            "run/field",
            &format!("dataset `run/field`: `run` {linked}")
        )
    );
}

#[test]
fn a_virtual_dataset_is_refused() {
    let victim = Victim::new();
    victim.alter(
        "layout = h5py.VirtualLayout(shape=(8,), dtype='f8')\n\
         layout[:] = h5py.VirtualSource(other, 'x', shape=(8,))\n\
         del f['x']\n\
         f.create_virtual_dataset('x', layout)\n\
         assert (f['x'][()] == 1234.5).all()",
    );
    assert_eq!(
        victim.refusal::<Array1<f64>>("x"),
        victim.expected(
            "x",
            "x",
            &format!(
                "dataset `x` has a virtual layout (its data is mapped from other datasets); \
                 {STAYS}"
            )
        )
    );
}

/// A filter libhdf5 would have to load as a plugin (h5py's own LZF, which h5py registers but the
/// system libhdf5 does not have) is refused before libhdf5 looks for it.
#[test]
fn a_plugin_filter_is_refused() {
    let victim = Victim::new();
    victim.alter(
        "del f['x']\n\
         f.create_dataset('x', data=np.full(8, 1234.5), compression='lzf')\n\
         assert (f['x'][()] == 1234.5).all()",
    );
    assert_eq!(
        victim.refusal::<Array1<f64>>("x"),
        victim.expected(
            "x",
            "x",
            "dataset `x` uses the HDF5 filter 32000; refused: only deflate, shuffle and \
             fletcher32 (built into every libhdf5) are read"
        )
    );
}

/// 10^11 float64 (800 GB) announced by a file of a few kilobytes: every chunk is unwritten and
/// would read as the fill value. Refused from its shape, before any allocation.
#[test]
fn a_sparse_dataset_out_of_proportion_to_its_file_is_refused() {
    let victim = Victim::new();
    victim.alter(
        "del f['x']\n\
         f.create_dataset('x', shape=(10**11,), dtype='f8', chunks=(1024,))\n\
         assert f['x'][10**11 - 3:].tolist() == [0.0, 0.0, 0.0]",
    );
    let file_len = std::fs::metadata(victim.dir.path().join("arch/_data.h5"))
        .unwrap()
        .len();
    assert!(file_len < 100_000, "the attack file has {file_len} bytes");
    let limit = (file_len * HDF5_MAX_EXPANSION).max(HDF5_MIN_READ_LIMIT);
    assert_eq!(limit, 64 << 20);
    assert_eq!(
        victim.refusal::<Array1<f64>>("x"),
        victim.expected(
            "x",
            "x",
            &format!(
                "dataset `x` has shape [100000000000] of 8-byte elements (800000000000 bytes in \
                 memory), more than the limit of {limit} bytes for this HDF5 file of {file_len} \
                 bytes; refused: it is out of proportion to the file"
            )
        )
    );
}

/// A shape whose byte count does not fit in 64 bits is refused without overflowing.
#[test]
fn a_shape_too_large_to_count_is_refused() {
    let victim = Victim::new();
    victim.alter(
        "del f['x']\n\
         f.create_dataset('x', shape=(2**31, 2**31, 2**31), dtype='f8', chunks=(1, 1, 1024))",
    );
    let file_len = std::fs::metadata(victim.dir.path().join("arch/_data.h5"))
        .unwrap()
        .len();
    let n = 1u64 << 31;
    assert_eq!(
        victim.refusal::<ndarray::Array3<f64>>("x"),
        victim.expected(
            "x",
            "x",
            &format!(
                "dataset `x` has shape [{n}, {n}, {n}] of 8-byte elements (more than 2^64 bytes \
                 in memory), more than the limit of {} bytes for this HDF5 file of {file_len} \
                 bytes; refused: it is out of proportion to the file",
                (file_len * HDF5_MAX_EXPANSION).max(HDF5_MIN_READ_LIMIT)
            )
        )
    );
}

/// The HDF5 file itself replaced by a symlink to a file outside the archive.
#[cfg(unix)]
#[test]
fn a_symlinked_hdf5_file_is_refused() {
    let victim = Victim::new();
    let h5 = victim.dir.path().join("arch/_data.h5");
    let outside = victim.dir.path().join("outside.h5");
    std::fs::rename(&h5, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &h5).unwrap();
    let reader = ArchiveReader::open(victim.dir.path().join("arch")).unwrap();
    let message = reader.read::<Array1<f64>>("x").unwrap_err().to_string();
    assert_eq!(
        message,
        victim.expected(
            "x",
            "x",
            "the HDF5 file is a symbolic link, not a regular file; refused"
        )
    );
}

/// What this crate writes stays within the limit, however compressible: 80 MiB of zeros
/// deflated at level 9 (near deflate's largest ratio, 1032) read back.
#[test]
fn the_most_compressed_array_this_crate_writes_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = Array1::<u8>::zeros(80 << 20);
    let mut archive = Archive::new()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Hdf5(Hdf5Options::default().gzip(9)));
    archive.insert("zeros", &zeros).unwrap();
    archive
        .save(dir.path().join("arch"), SaveOptions::package())
        .unwrap();
    let file_len = std::fs::metadata(dir.path().join("arch/_data.h5"))
        .unwrap()
        .len();
    // Compressed more than 800 times, and the limit is the ratio here, not the 64 MiB floor.
    assert!(
        (80 << 20) / file_len > 800 && file_len * HDF5_MAX_EXPANSION > HDF5_MIN_READ_LIMIT,
        "{file_len}"
    );
    let reader = ArchiveReader::open(dir.path().join("arch")).unwrap();
    assert!(reader.read::<Array1<u8>>("zeros").unwrap() == zeros);
}

/// `verify` runs the same HDF5 checks as reading, without reading data; the limit of
/// `ReadOptions::hdf5_limit` applies to both.
#[test]
fn verify_checks_hdf5_datasets_and_the_limit_is_configurable() {
    use persist_core::{ArchiveReader, ArrayStore, Hdf5Options, ReadOptions, SaveOptions, verify};
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut archive = persist_core::Archive::new()
        .with_array_threshold(2)
        .with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
    archive
        .insert("x", ndarray::Array1::from(vec![1.0f64; 1000]))
        .expect("insert");
    let path = dir.path().join("arch");
    archive.save(&path, SaveOptions::package()).expect("save");
    let report = verify(&path, &ReadOptions::new()).expect("verify");
    assert!(
        report.files.contains(&path.join("_data.h5")),
        "{:?}",
        report.files
    );
    let tight = ReadOptions::new().hdf5_limit(100);
    let err = verify(&path, &tight).unwrap_err();
    assert!(err.to_string().contains("_data.h5"), "{err}");
    let err = ArchiveReader::open_with(&path, &tight)
        .expect("open")
        .read::<ndarray::Array1<f64>>("x")
        .unwrap_err();
    assert!(err.to_string().contains("100"), "{err}");
}
