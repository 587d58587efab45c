//! The golden archives: one folder per format version, `persist-tests/golden/v<N>/`, written by
//! `scripts/golden` (the `golden` binary) with the code of the time, and never edited after. The
//! values and types of each version live in a module of their own ([`v1`], [`v3`]), shared by the
//! generator and the tests that read every version back.

pub mod v1;
pub mod v3;
pub mod v4;
pub mod v5;
pub mod v6;
pub mod v7;
pub mod v8;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder holding every `v<N>/` folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}

/// Every version folder under [`root`], by format version, oldest first.
///
/// # Panics
/// The root cannot be read, or holds a `v...` entry that is not `v<number>`.
pub fn versions() -> Vec<(u32, PathBuf)> {
    let mut found = Vec::new();
    let entries =
        std::fs::read_dir(root()).unwrap_or_else(|e| panic!("read {}: {e}", root().display()));
    for entry in entries {
        let path = entry.expect("folder entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if let Some(number) = name.strip_prefix('v') {
            let version = number
                .parse()
                .unwrap_or_else(|_| panic!("{}: not a format version folder", path.display()));
            found.push((version, path));
        }
    }
    found.sort();
    found
}

/// Write the golden set of the current [`persist_core::FORMAT_VERSION`] into `dir` (which must
/// not exist yet).
///
/// # Errors
/// No golden set is defined for the current format, or writing fails.
#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub fn write_current(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    match persist_core::FORMAT_VERSION {
        // Format 2 changed how records compare, and spells f32 values as the f64 of the same
        // value: the values and types of format 1 are the golden set of format 2 too.
        1 | 2 => v1::write(dir),
        // Format 3 added record tables and the DataSet metadata index: the set of format 1
        // (its DataSet now with an index), and tables.
        3 => v3::write(dir),
        // Format 4 added the Zarr store: the set of format 3, and a Zarr archive.
        4 => v4::write(dir),
        // Format 5 made records dataclasses the module keeps: the set of format 4 again.
        5 => v5::write(dir),
        // Format 6 added dict tables and columns of lists: the set of format 5, and `lists`.
        6 => v6::write(dir),
        // Format 7 named a module archive's arrays by a second name on overwrite: the set of
        // format 6, and one overwritten module archive per store.
        7 => v7::write(dir),
        // Format 8 added the data caches of a DataSet's metadata index: the set of format 7
        // (its DataSet with caches), and `meta`, a DataSet of every plain metadata value.
        8 => v8::write(dir),
        n => Err(format!(
            "no golden set for format {n}: add persist-tests/src/golden/v{n}/ (start from a copy \
             of the newest one) and dispatch to it here"
        )
        .into()),
    }
}

/// Every file under `dir` by `/`-separated relative path, with its bytes; `__pycache__` folders
/// (made by importing) are left out.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("folder entry").path();
            if path.file_name().is_some_and(|n| n == "__pycache__") {
                continue;
            }
            let rel = path.strip_prefix(root).expect("under root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// How the folder `expected` differs from `actual`: one line per file added, missing or changed;
/// empty when they are the same. The writer's version in a header (`written by persist-core
/// 0.1.0.`) is not compared: a release that changes nothing else leaves the folder valid.
pub fn differences(expected: &Path, actual: &Path) -> Vec<String> {
    let (expected, actual) = (files(expected), files(actual));
    let mut out = Vec::new();
    for (path, bytes) in &expected {
        match actual.get(path) {
            None => out.push(format!("missing: {path}")),
            Some(other) if without_writer(other) != without_writer(bytes) => {
                out.push(format!("changed: {path}"));
            }
            Some(_) => {}
        }
    }
    for path in actual.keys().filter(|p| !expected.contains_key(*p)) {
        out.push(format!("new: {path}"));
    }
    out
}

/// `bytes` with the version of a header's `written by persist-core X.` cut out.
fn without_writer(bytes: &[u8]) -> Vec<u8> {
    const WRITER: &[u8] = b", written by persist-core ";
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let first = &bytes[..line_end];
    match first.windows(WRITER.len()).position(|w| w == WRITER) {
        Some(at) if first.starts_with(b"# persist ") => {
            let mut out = bytes[..at + WRITER.len()].to_vec();
            out.extend_from_slice(&bytes[line_end..]);
            out
        }
        _ => bytes.to_vec(),
    }
}
