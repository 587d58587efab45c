//! `persist_rs`, the Python package of this workspace (distribution `persist-rs`, built by
//! maturin from `pyproject.toml`): the safety check where the Python colleague is, without a
//! Rust toolchain. `verify(path, trust=[...])` is `persist_core::verify`, raising
//! [`RefusedError`] (with the file, line and column) on a refusal; the console command
//! `persist-check` is the Rust `persist-check` (the same arguments, lines and exit codes: both
//! run `persist_core`'s command line). `load(path)` / `load(path, item)` (`load.rs`) gives what
//! `import` gives without executing the archive; its records pickle by value (`pickle.rs`).
//!
//! ```python
//! import persist_rs
//! report = persist_rs.verify("downloads/run_2026_11_22")
//! print(len(report.files), "files checked")
//! import run_2026_11_22   # now runs nothing but the archive's own helpers
//! run = persist_rs.load("downloads/run_2026_11_22")   # the same values, nothing executed
//! ```

mod load;
mod pickle;
mod save;
mod write;

use std::path::PathBuf;

use persist_core::{LoadError, ReadOptions};
use pyo3::exceptions::{PyException, PySystemExit};
use pyo3::prelude::*;

pyo3::create_exception!(
    persist_rs,
    RefusedError,
    PyException,
    "`verify` refused an archive or DataSet: importing it could run something else than the \
     archive's own helpers, or read a file outside it. `str(e)` is the whole message; `e.path` \
     is the file refused, `e.line` and `e.column` where in it (`None` when the refusal is of a \
     whole file), `e.reason` what is wrong and what to do."
);

/// What `verify` checked: `files`, every file it checked (sources and array files), and
/// `trusted_beside`, the modules beside the archive that Python imports for a module you trust
/// (they run with the archive: read them).
#[pyclass(frozen, module = "persist_rs", get_all)]
struct Verified {
    /// Every file checked, as paths.
    files: Vec<String>,
    /// The trusted modules' files found beside the archive.
    trusted_beside: Vec<String>,
}

#[pymethods]
impl Verified {
    fn __repr__(&self) -> String {
        format!(
            "Verified(files=<{} files>, trusted_beside={:?})",
            self.files.len(),
            self.trusted_beside
        )
    }
}

/// Check the archive or DataSet at `path` as `persist-check` does, before importing it:
/// every file Python would run must be one this crate writes, every array file it loads a
/// plain file inside it, and nothing beside it may stand in for what it imports. `trust`
/// names modules whose classes an archive's records may be built with (they run when Python
/// imports the archive). Returns a `Verified`; raises `RefusedError` on a refusal, `OSError`
/// when a file cannot be read.
#[pyfunction]
#[pyo3(signature = (path, trust = None))]
fn verify(py: Python<'_>, path: PathBuf, trust: Option<Vec<String>>) -> PyResult<Verified> {
    let options = trust
        .unwrap_or_default()
        .into_iter()
        .fold(ReadOptions::new(), ReadOptions::trust_module);
    match py.detach(|| persist_core::verify(&path, &options)) {
        Ok(report) => Ok(Verified {
            files: report
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            trusted_beside: report
                .trusted_beside
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        }),
        Err(e) => Err(refusal(py, &e)),
    }
}

/// The Python exception of `e`: `OSError` for a file that cannot be read, else a
/// `RefusedError` with the file, line, column and reason as attributes.
pub(crate) fn refusal(py: Python<'_>, e: &LoadError) -> PyErr {
    let (path, line, column, reason) = match e {
        LoadError::Io { path, source } => {
            // OSError(errno, text, filename) is FileNotFoundError, PermissionError, ...
            return match source.raw_os_error() {
                Some(errno) => pyo3::exceptions::PyOSError::new_err((
                    errno,
                    e.to_string(),
                    path.display().to_string(),
                )),
                None => pyo3::exceptions::PyOSError::new_err(e.to_string()),
            };
        }
        LoadError::Parse(p) => (
            p.path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            Some(p.line),
            Some(p.column),
            p.message.clone(),
        ),
        LoadError::Module { path, pos, message } => (
            path.clone(),
            Some(pos.line),
            Some(pos.column),
            message.clone(),
        ),
        LoadError::Refused { path, reason } => {
            (path.display().to_string(), None, None, reason.clone())
        }
        other => (String::new(), None, None, other.to_string()),
    };
    let err = RefusedError::new_err(e.to_string());
    let value = err.value(py);
    let set = [
        value.setattr("path", path),
        value.setattr("line", line),
        value.setattr("column", column),
        value.setattr("reason", reason),
    ];
    match set.into_iter().find_map(Result::err) {
        Some(failed) => failed,
        None => err,
    }
}

/// The `persist-check` console command: `persist-check [--trust MODULE]... PATH...`, with
/// `sys.argv`'s arguments; exits as the Rust `persist-check` does (0 accepted, 1 refused, 2
/// usage).
#[pyfunction]
fn check_main(py: Python<'_>) -> PyResult<()> {
    let sys = py.import("sys")?;
    let argv: Vec<String> = sys.getattr("argv")?.extract()?;
    // What Python printed so far goes first.
    for stream in ["stdout", "stderr"] {
        sys.getattr(stream)?.call_method0("flush")?;
    }
    let code = py.detach(|| {
        persist_core::__private::persist_check(
            argv.into_iter().skip(1),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )
    });
    Err(PySystemExit::new_err(code))
}

/// The array stores whose files `verify` can check and `save` can write in this build: every
/// other store's archives are refused, naming the cargo feature that would check them.
pub(crate) fn stores() -> Vec<&'static str> {
    let mut stores = vec!["npy", "mmap", "npz", "zarr"];
    if cfg!(feature = "hdf5") {
        stores.push("hdf5");
    }
    stores
}

/// The module `persist_rs`.
#[pymodule]
fn persist_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The array stores whose files `verify` can check in this build: every other store's
    // archives are refused, naming the cargo feature that would check them.
    m.add("stores", stores())?;
    m.add("RefusedError", m.py().get_type::<RefusedError>())?;
    m.add_class::<Verified>()?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(load::load, m)?)?;
    m.add_function(wrap_pyfunction!(pickle::_rebuild, m)?)?;
    m.add_function(wrap_pyfunction!(write::save, m)?)?;
    m.add_class::<write::DataSet>()?;
    // `migrate`, written in Python (it runs the original package's archives): run into this
    // module's namespace, where it finds `save` and `DataSet`.
    let migrate = std::ffi::CString::new(include_str!("migrate.py")).expect("no NUL in the text");
    m.py().run(&migrate, Some(&m.dict()), None)?;
    m.add("migrate", m.getattr("migrate")?)?;
    m.add_function(wrap_pyfunction!(check_main, m)?)?;
    Ok(())
}
