//! Shared helpers of the runnable examples (`quickstart.rs`, `dataset.rs`, `arrays_hdf5.rs`) and
//! of their tests (`tests/readme.rs`, which runs `getting_started.rs`).

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

/// Run Python `code` with `python` in `dir` (where the example saved its archive), without
/// writing `__pycache__`.
///
/// # Errors
/// Python cannot be started, or exits with an error.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// if let Some(python) = persist_examples::find_python(&["numpy"]) {
///     persist_examples::run_python(&python, std::path::Path::new("."), "import numpy")?;
/// }
/// # Ok(())
/// # }
/// ```
pub fn run_python(python: &Path, dir: &Path, code: &str) -> Result<(), Box<dyn std::error::Error>> {
    let status = Command::new(python)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-c", code])
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("python exited with {status}").into())
    }
}
