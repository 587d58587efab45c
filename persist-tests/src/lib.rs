//! Shared helpers of the integration tests: finding a Python with numpy and running it on an
//! archive. The tests themselves live in `tests/it/`.
//!
//! Python is `$PERSIST_PYTHON` if set, else the workspace's `.venv/bin/python` (made by
//! `scripts/test`). A test that needs Python fails, loudly and with the fix, when neither has
//! numpy: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use persist_core::{Archive, SaveOptions};

/// The Python interpreter the tests use, checked once to have numpy.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let python = std::env::var_os("PERSIST_PYTHON").map(PathBuf::from).unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python")
        });
        let check = Command::new(&python).args(["-c", "import numpy"]).output();
        match check {
            Ok(out) if out.status.success() => python,
            Ok(out) => panic!(
                "{} cannot import numpy:\n{}\nfix: run `scripts/test` (it makes .venv with numpy and h5py), \
                 or set PERSIST_PYTHON to a python3 that has numpy",
                python.display(),
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => panic!(
                "cannot run {}: {e}\nfix: run `scripts/test` (it makes .venv with numpy and h5py), \
                 or set PERSIST_PYTHON to a python3 that has numpy",
                python.display()
            ),
        }
    })
}

/// Run `code` with the test Python in `dir` (so archives there import by name); its stdout.
/// Panics with Python's stderr when the code fails (a failed `assert` included).
#[track_caller]
pub fn run_python(dir: &Path, code: &str) -> String {
    let out = Command::new(python())
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONPATH", dir)
        .args(["-c", code])
        .output()
        .expect("run python");
    if !out.status.success() {
        panic!(
            "python failed in {}:\n--- code ---\n{code}\n--- stderr ---\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8(out.stdout).expect("python printed UTF-8")
}

/// A temporary folder holding one archive named `arch`, saved with `options`.
pub struct Saved {
    /// The folder; `import arch` works with it as the working directory.
    pub dir: tempfile::TempDir,
}

impl Saved {
    /// Run `code` in the archive's folder after `import numpy as np` and `import arch as a`.
    #[track_caller]
    pub fn check(&self, code: &str) -> String {
        run_python(self.dir.path(), &format!("import numpy as np\nimport arch as a\n{code}"))
    }

    /// The archive's Python source.
    pub fn source(&self) -> String {
        let package = self.dir.path().join("arch/__init__.py");
        let module = self.dir.path().join("arch.py");
        std::fs::read_to_string(if package.exists() { package } else { module }).expect("read source")
    }
}

/// Save `archive` as the package `arch` in a new temporary folder.
#[track_caller]
pub fn save_package(archive: &Archive<'_>) -> Saved {
    save(archive, SaveOptions::package(), "arch")
}

/// Save `archive` as the module `arch.py` in a new temporary folder.
#[track_caller]
pub fn save_module(archive: &Archive<'_>) -> Saved {
    save(archive, SaveOptions::module(), "arch.py")
}

#[track_caller]
fn save(archive: &Archive<'_>, options: SaveOptions, name: &str) -> Saved {
    let dir = tempfile::tempdir().expect("temporary folder");
    archive.save(dir.path().join(name), options).unwrap_or_else(|e| panic!("save failed: {e}"));
    Saved { dir }
}

/// An archive of one item `x`, saved as a package; the Python `code` sees it as `a.x`.
#[track_caller]
pub fn check_value<T: persist_core::Persist>(value: &T, code: &str) -> String {
    let mut archive = Archive::new();
    archive.insert("x", value).expect("insert");
    save_package(&archive).check(code)
}
