//! Shared helpers of the runnable examples (`quickstart.rs`, `dataset.rs`, `arrays_hdf5.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python that can `import` each of `modules`: `$PERSIST_PYTHON`, the workspace's `.venv`
/// (made by `scripts/test`), or `python3`; `None` if none can.
///
/// ```no_run
/// if let Some(python) = persist_examples::find_python(&["numpy"]) {
///     println!("using {}", python.display());
/// }
/// ```
pub fn find_python(modules: &[&str]) -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    let check = format!("import {}", modules.join(", "));
    std::env::var_os("PERSIST_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([venv, PathBuf::from("python3")])
        .find(|python| {
            Command::new(python)
                .args(["-c", &check])
                .output()
                .is_ok_and(|out| out.status.success())
        })
}
