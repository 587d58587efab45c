//! Refusals: code and unsupported constructs in an archive are errors at their exact line and
//! column, and nothing in an archive is ever executed; broken array files are clear errors naming
//! the file; no input makes loading panic or hang.
//!
//! Every malicious payload would create a marker file if it ran. The Rust side asserts that the
//! marker never exists; a control test runs the same sources in real Python and asserts that
//! there they do create it, so the payloads are known to be live.
//!
//! This module holds the helpers the submodules share: where an error points, a time limit, the
//! small records a refused source is read as, and a package archive with one `.npy` file.

mod arrays;
mod constructs;
mod execution;
mod hangs;
mod panics;

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use ndarray::Array1;
use persist_core::{Archive, LoadError, Persist, SaveOptions};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The line and column an error points at.
#[track_caller]
fn position(err: &LoadError) -> (u32, u32) {
    match err {
        LoadError::Parse(e) => (e.line, e.column),
        LoadError::Module { pos, .. } => (pos.line, pos.column),
        LoadError::Item { source, .. } => (source.pos().line, source.pos().column),
        other => panic!("the error has no position: {other}"),
    }
}

/// Where the first `needle` starts in `source`, as (line, column), both from 1, columns counted
/// in characters.
#[track_caller]
fn position_of(source: &str, needle: &str) -> (u32, u32) {
    let offset = source
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in {source:?}"));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line as u32, column as u32)
}

/// Run `f` on a thread of its own and return its result; fail if it panics or runs longer than
/// a minute (an endless loop: a hang guard far above any load's time, not a timing), naming
/// `what`.
#[track_caller]
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = send.send(result);
    });
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(not a string)");
            panic!("{what} panicked instead of returning an error: {message}")
        }
        Err(_) => panic!("{what} did not finish within 60 s (an endless loop?)"),
    }
}

/// `Python`-quoted `path`.
fn quoted(path: &Path) -> String {
    let text = path.to_str().expect("UTF-8 temporary path");
    assert!(
        !text.contains(['\'', '\\', '"']),
        "temporary path {text} needs no quoting"
    );
    format!("'{text}'")
}

/// A one-field tuple struct: `system('touch ...')` has that shape.
#[derive(Persist, Debug, PartialEq)]
struct Command(String);

#[derive(Persist, Debug, PartialEq)]
struct Point {
    a: f64,
}

/// A package archive `arch` holding `field` (10 float64 values in `arch/_arrays/field.npy`) and
/// `alpha`.
fn npy_archive() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let field = Array1::from_shape_fn(10, |i| i as f64 / 4.0);
    let mut archive = Archive::new().with_array_threshold(2);
    archive.insert("field", &field).expect("insert");
    archive.insert("alpha", 0.5).expect("insert");
    let path = dir.path().join("arch");
    archive
        .save(&path, SaveOptions::package())
        .expect("save archive");
    let npy = path.join("_arrays/field.npy");
    assert!(npy.exists(), "the writer put `field` in {}", npy.display());
    (dir, path, npy)
}

/// A record that can contain itself (`hangs.rs`); it stays here because a source there names
/// its Rust path, `it::refusal::Node`.
#[derive(Persist, Debug, PartialEq)]
struct Node {
    children: Vec<Node>,
}
