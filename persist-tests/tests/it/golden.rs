//! The golden archives (`persist-tests/golden/v<N>/`, written by `scripts/golden`): this code
//! reads every one of every format version back in Rust and Python imports them; the folder of
//! the current format is what the generator writes; a newer format is refused clearly, and an
//! archive without a header is read as the oldest format. Every supported Python is in
//! `pythons.rs`.

mod v1;
mod v3;
mod v4;
mod v5;
mod v6;
mod v7;
mod v8;

use std::path::{Path, PathBuf};
use std::process::Command;

use persist_core::{ArchiveReader, DataSet, FORMAT_VERSION, LoadError};
use persist_tests::golden;
use persist_tests::python;

/// The check of a version folder in Rust: every archive read with that version's types.
#[track_caller]
fn check_in_rust(version: u32, dir: &Path) {
    match version {
        // Format 2 holds the values of format 1 (see `golden::write_current`).
        1 | 2 => v1::check(dir),
        3 => v3::check(dir),
        4 => v4::check(dir),
        5 => v5::check(dir),
        6 => v6::check(dir),
        7 => v7::check(dir),
        8 => v8::check(dir),
        n => panic!(
            "golden folder v{n} has no Rust check: add tests/it/golden/v{n}.rs (reading each \
             archive with the types of persist_tests::golden::v{n}) and dispatch to it here"
        ),
    }
}

/// Assert that the golden folder `dir` holds exactly `expected` (`__pycache__` aside).
#[track_caller]
pub fn assert_entries(dir: &Path, expected: &[&str]) {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("read golden folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "__pycache__")
        .collect();
    found.sort();
    assert_eq!(found, expected, "the entries of {}", dir.display());
}

/// The Python script that asserts what Python sees in the golden folder of `version`.
#[track_caller]
pub fn python_check(version: u32) -> PathBuf {
    let script = golden::root().join(format!("check_v{version}.py"));
    assert!(
        script.is_file(),
        "{} is missing: every golden folder has a Python check beside it",
        script.display()
    );
    script
}

/// A copy of the golden folder `dir` in a new temporary folder (so importing it writes
/// `__pycache__` there, not into the source tree): the copy's path and its guard.
#[track_caller]
pub fn copy_of(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
        for entry in std::fs::read_dir(from).expect("read golden folder") {
            let path = entry.expect("folder entry").path();
            let target = to.join(path.file_name().expect("a name"));
            if path.file_name().is_some_and(|n| n == "__pycache__") {
                continue;
            } else if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).expect("copy a golden file");
            }
        }
    }
    let tmp = tempfile::tempdir().expect("temporary folder");
    let target = tmp.path().join(dir.file_name().expect("a version folder"));
    copy(dir, &target);
    (tmp, target)
}

/// Run `python script args...`, with bytecode writing on; its stdout. Panics with stderr on failure.
#[track_caller]
pub fn run_script(python: &Path, script: &Path, args: &[&Path]) -> String {
    let out = Command::new(python)
        .arg(script)
        .args(args)
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .env_remove("PYTHONPATH")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", python.display()));
    assert!(
        out.status.success(),
        "{} {} failed:\n{}",
        python.display(),
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn there_is_a_golden_folder_for_the_current_format() {
    let versions: Vec<u32> = golden::versions().into_iter().map(|(v, _)| v).collect();
    assert!(
        versions.contains(&FORMAT_VERSION),
        "no golden folder for format {FORMAT_VERSION} (found {versions:?}): run scripts/golden"
    );
    assert!(
        versions.contains(&1),
        "the folder of format 1 is never removed: {versions:?}"
    );
    assert!(
        versions.iter().all(|&v| v <= FORMAT_VERSION),
        "{versions:?}"
    );
}

#[test]
fn rust_reads_every_golden_archive_of_every_format() {
    for (version, dir) in golden::versions() {
        check_in_rust(version, &dir);
    }
}

#[test]
fn python_imports_every_golden_archive_of_every_format() {
    for (version, dir) in golden::versions() {
        let (_tmp, copy) = copy_of(&dir);
        // Twice: the second import runs from the `__pycache__` the first one wrote.
        for _ in 0..2 {
            let out = run_script(python(), &python_check(version), &[&copy]);
            assert!(out.starts_with("ok: "), "v{version}: {out}");
            // The test Python has zarr 3 (scripts/test installs it): Zarr archives are imported.
            assert!(
                version < 4 || out.contains("ok: the Zarr archive of format 4"),
                "v{version}: {out}"
            );
            assert!(
                version < 5 || out.contains("ok: records pickle in a fresh process"),
                "v{version}: {out}"
            );
            assert!(
                version < 7 || out.contains("ok: second_zarr reads its arrays"),
                "v{version}: {out}"
            );
        }
        assert!(
            copy.join("records/__pycache__").is_dir(),
            "bytecode was written"
        );
    }
}

/// The folder of the current format is exactly what the generator writes today: it was made by
/// `scripts/golden`, and the writer's output has not changed under it.
#[cfg(all(feature = "hdf5", feature = "zarr"))]
#[test]
fn the_current_golden_folder_is_what_the_generator_writes() {
    let dir = golden::root().join(format!("v{FORMAT_VERSION}"));
    let tmp = tempfile::tempdir().expect("temporary folder");
    let fresh = tmp.path().join("fresh");
    golden::write_current(&fresh).unwrap_or_else(|e| panic!("generate: {e}"));
    let differences = golden::differences(&dir, &fresh);
    assert!(
        differences.is_empty(),
        "{} differs from what this code writes:\n  {}\nIf older readers cannot read the new \
         output, raise FORMAT_VERSION and run scripts/golden to add a folder; never edit an old one",
        dir.display(),
        differences.join("\n  ")
    );
}

/// `text` (a golden archive) with the number of its header's format raised to
/// `FORMAT_VERSION + 1`.
fn bump_format(text: &str) -> String {
    const PREFIX: &str = "# persist archive, format ";
    let rest = text
        .strip_prefix(PREFIX)
        .expect("a golden archive starts with its header");
    let number = rest.find(',').expect("`format N,`");
    format!("{PREFIX}{}{}", FORMAT_VERSION + 1, &rest[number..])
}

#[track_caller]
fn assert_newer_format_refused(err: &str, file: &str) {
    let newer = FORMAT_VERSION + 1;
    for part in [
        file,
        &format!("archive format {newer} (written by persist-core "),
        &format!("newer than format {FORMAT_VERSION}, the newest this persist-core"),
        "upgrade persist-core to read it",
    ] {
        assert!(err.contains(part), "missing `{part}` in: {err}");
    }
}

#[test]
fn an_archive_of_a_newer_format_is_refused_naming_both_versions() {
    let v = golden::root().join("v1");
    let (_tmp, copy) = copy_of(&v);
    // A module, a package, and from a string.
    for (archive, file) in [
        ("attributes.py", "attributes.py"),
        ("heat_run", "heat_run/__init__.py"),
    ] {
        let path = copy.join(file);
        let text = std::fs::read_to_string(&path).expect("read golden archive");
        std::fs::write(&path, bump_format(&text)).expect("write");
        let err = ArchiveReader::open(copy.join(archive)).expect_err("a newer format is refused");
        assert!(
            matches!(err, LoadError::NewerFormat { found, supported, .. }
            if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION),
            "{err:?}"
        );
        assert_newer_format_refused(&err.to_string(), file);
    }
    let text = std::fs::read_to_string(v.join("text.py")).expect("read");
    let err = ArchiveReader::from_source(&bump_format(&text)).expect_err("refused");
    assert_newer_format_refused(&err.to_string(), "<memory>");
    // An item of a DataSet.
    let item = copy.join("sweep/point_1.py");
    let text = std::fs::read_to_string(&item).expect("read");
    std::fs::write(&item, bump_format(&text)).expect("write");
    let sweep = DataSet::open_read_only(copy.join("sweep")).expect("open the DataSet");
    let err = sweep
        .read::<golden::v1::schema::SweepPoint>("point_1")
        .expect_err("a newer item is refused");
    assert_newer_format_refused(&chain(&err), "point_1.py");
    assert!(
        sweep
            .read::<golden::v1::schema::SweepPoint>("point_0")
            .is_ok()
    );
}

#[test]
fn an_archive_without_a_header_is_read_as_the_oldest_format() {
    let v1 = golden::root().join("v1");
    let (_tmp, copy) = copy_of(&v1);
    let path = copy.join("records/__init__.py");
    let text = std::fs::read_to_string(&path).expect("read");
    let body: String = text
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!body.contains("# persist archive"), "header removed");
    std::fs::write(&path, format!("# written by hand\n{body}")).expect("write");
    let archive = ArchiveReader::open(copy.join("records")).expect("read as format 1");
    let point: golden::v1::values::Point = archive.read("point").expect("point");
    assert_eq!(point, golden::v1::values::Point { x: 1.5, y: -2.0 });
    // A hand-written module of one line.
    let reader = ArchiveReader::from_source("x = [1, 2]\n").expect("no header: format 1");
    assert_eq!(reader.read::<Vec<u8>>("x").expect("x"), vec![1, 2]);
}

/// An error and its sources, joined by `: `.
fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(&format!(": {s}"));
        source = s.source();
    }
    out
}
