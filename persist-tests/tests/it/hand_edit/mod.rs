//! Hand edits: an archive saved to disk, its source edited with text operations as a person
//! would edit it in a text editor, then loaded back into Rust (and, for some, imported by
//! Python, to show the edit is plain valid Python that keeps its meaning).
//!
//! This module holds the shared helpers (reading and editing a saved archive's source, error
//! positions), the rich archive the formatting tests edit, and the `Params` record.

mod arrays;
mod layout;
mod schema;
mod spelling;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::PathBuf;

use ndarray::{Array2, ShapeBuilder, array};
use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, LoadError, Persist};
use persist_tests::{Saved, save_package};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The package archive's source file.
fn init(saved: &Saved) -> PathBuf {
    saved.dir.path().join("arch/__init__.py")
}

/// Replace the archive's source with `source`.
#[track_caller]
fn write_source(saved: &Saved, source: &str) {
    std::fs::write(init(saved), source).expect("write the edited source");
}

/// `source` with its one occurrence of `from` replaced by `to`.
#[track_caller]
fn edit(source: &str, from: &str, to: &str) -> String {
    assert_eq!(
        source.matches(from).count(),
        1,
        "`{from}` is not in the source exactly once:\n{source}"
    );
    source.replacen(from, to, 1)
}

/// Item `item` of the saved (and maybe edited) archive, read as a `T`.
#[track_caller]
fn read<T: Persist>(saved: &Saved, item: &str) -> T {
    let path = saved.dir.path().join("arch");
    // (`and_then` with a closure would trip clippy's `result_large_err`: `LoadError` is large.)
    let result = match ArchiveReader::open(&path) {
        Ok(reader) => reader.read::<T>(item),
        Err(err) => Err(err),
    };
    match result {
        Ok(value) => value,
        Err(err) => panic!(
            "reading `{item}` failed: {err}\n--- source ---\n{}",
            saved.source()
        ),
    }
}

/// The error reading item `item` of the saved archive as a `T`.
#[track_caller]
fn read_error<T: Persist + Debug>(saved: &Saved, item: &str) -> LoadError {
    let path = saved.dir.path().join("arch");
    // (`and_then` with a closure would trip clippy's `result_large_err`: `LoadError` is large.)
    let result = match ArchiveReader::open(&path) {
        Ok(reader) => reader.read::<T>(item),
        Err(err) => Err(err),
    };
    match result {
        Ok(value) => panic!(
            "reading `{item}` succeeded: {value:?}\n--- source ---\n{}",
            saved.source()
        ),
        Err(err) => err,
    }
}

/// Where the first `needle` starts in `source`, as `line:column` (columns in characters).
#[track_caller]
fn position_of(source: &str, needle: &str) -> String {
    let offset = source
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the source:\n{source}"));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    format!("{line}:{column}")
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

#[derive(Persist, Debug, PartialEq, Clone)]
enum Shape {
    Empty,
    Circle { radius: f64 },
    Rect(f64, f64),
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Run {
    name: String,
    alpha: f64,
    steps: u32,
    tags: Vec<String>,
    shapes: Vec<Shape>,
    field: Array2<f64>,
    lookup: BTreeMap<String, (i32, bool)>,
    seen: BTreeSet<u8>,
    pair: (Option<i64>, Complex<f64>),
}

fn run_value() -> Run {
    Run {
        name: "first run".into(),
        alpha: 0.5,
        steps: 1000,
        tags: vec!["a".into(), "b c".into()],
        shapes: vec![
            Shape::Empty,
            Shape::Circle { radius: 1.5 },
            Shape::Rect(2.0, -3.0),
        ],
        field: array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        lookup: BTreeMap::from([("one".into(), (1, true)), ("two".into(), (2, false))]),
        seen: BTreeSet::from([3, 1, 2]),
        pair: (None, Complex::new(1.0, -2.0)),
    }
}

/// An archive of several items, all inline.
fn rich_archive() -> (Run, Vec<f64>, Array2<i32>, (u8,), String) {
    (
        run_value(),
        (0..40).map(|i| f64::from(i) * 1.5).collect(),
        Array2::from_shape_fn((3, 12).f(), |(i, j)| (i * 100 + j) as i32),
        (7,),
        "line one\nline 'two'\t\"end\"".into(),
    )
}

fn save_rich() -> Saved {
    let (run, long, matrix, one, note) = rich_archive();
    let mut archive = Archive::new().with_array_threshold(1000);
    archive.insert("run", run).expect("insert");
    archive.insert("long", long).expect("insert");
    archive.insert("matrix", matrix).expect("insert");
    archive.insert("one", one).expect("insert");
    archive.insert("note", note).expect("insert");
    save_package(&archive)
}

/// Every item of [`save_rich`]'s archive reads back equal.
#[track_caller]
fn assert_rich_items(saved: &Saved) {
    let (run, long, matrix, one, note) = rich_archive();
    assert_eq!(read::<Run>(saved, "run"), run);
    assert_eq!(read::<Vec<f64>>(saved, "long"), long);
    let back: Array2<i32> = read(saved, "matrix");
    assert_eq!(back, matrix);
    assert!(
        back.t().is_standard_layout(),
        "Fortran order is kept: {back:?}"
    );
    assert_eq!(read::<(u8,)>(saved, "one"), one);
    assert_eq!(read::<String>(saved, "note"), note);
}

/// Python imports the edited archive and sees the same values.
#[track_caller]
fn assert_python_sees_rich_items(saved: &Saved) {
    saved.check(
        "assert a.run.name == 'first run' and a.run.alpha == 0.5 and a.run.steps == 1000\n\
         assert a.run.shapes[1].radius == 1.5 and a.run.pair == (None, 1-2j)\n\
         assert a.run.field.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]\n\
         assert a.long[-1] == 58.5 and a.matrix.flags['F_CONTIGUOUS'] and a.matrix[2, 11] == 211\n\
         assert a.one == (7,) and a.note == 'line one\\nline \\'two\\'\\t\"end\"'\n",
    );
}

// ---------------------------------------------------------------------------------------------
// Parameters (edited in `schema.rs` and `arrays.rs`)
// ---------------------------------------------------------------------------------------------

#[derive(Persist, Debug, PartialEq)]
struct Params {
    alpha: f64,
    steps: u32,
    label: String,
}

fn params() -> Params {
    Params {
        alpha: 0.5,
        steps: 3,
        label: "first".into(),
    }
}
