//! Shared helpers of the integration tests: finding a Python with numpy and running it on an
//! archive; the values of the golden archives ([`golden`]), shared by their generator
//! (`src/bin/golden.rs`) and the tests. The tests themselves live in `tests/it/`.
//!
//! Python is `$PERSIST_PYTHON` if set, else the workspace's `.venv/bin/python` (made by
//! `scripts/test`). A test that needs Python fails, loudly and with the fix, when neither has
//! numpy: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use persist_core::{Archive, SaveOptions};

pub mod golden;

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

/// Run `code` with the test Python in `dir` as users run it, bytecode writing on (the
/// `__pycache__` it writes is then used by the next run), in a fresh process; its stdout.
/// Panics with Python's stderr when the code fails.
#[track_caller]
pub fn run_python_with_bytecode(dir: &Path, code: &str) -> String {
    let out = Command::new(python())
        .current_dir(dir)
        .env_remove("PYTHONDONTWRITEBYTECODE")
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

/// Run `code` as a colleague does who imports an archive: a fresh Python started in `dir`,
/// bytecode writing on, no `PYTHONPATH`, any exception caught and printed (an attack's payload
/// may break the import after it ran); `; ` in `code` separates statements. Panics only if
/// Python itself fails.
#[track_caller]
pub fn import_as_a_colleague(dir: &Path, code: &str) {
    let code = code.replace("; ", "\n    ");
    let out = Command::new(python())
        .current_dir(dir)
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .env_remove("PYTHONPATH")
        .args([
            "-c",
            &format!("try:\n    {code}\nexcept BaseException as e:\n    print(type(e).__name__)"),
        ])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python crashed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
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
        run_python(
            self.dir.path(),
            &format!("import numpy as np\nimport arch as a\n{code}"),
        )
    }

    /// The archive's Python source.
    pub fn source(&self) -> String {
        let package = self.dir.path().join("arch/__init__.py");
        let module = self.dir.path().join("arch.py");
        std::fs::read_to_string(if package.exists() { package } else { module })
            .expect("read source")
    }
}

/// Save `archive` as the package `arch` in a new temporary folder.
#[track_caller]
pub fn save_package<V: ?Sized + persist_core::Persist>(archive: &Archive<'_, V>) -> Saved {
    save(archive, SaveOptions::package(), "arch")
}

/// Save `archive` as the module `arch.py` in a new temporary folder.
#[track_caller]
pub fn save_module<V: ?Sized + persist_core::Persist>(archive: &Archive<'_, V>) -> Saved {
    save(archive, SaveOptions::module(), "arch.py")
}

#[track_caller]
fn save<V: ?Sized + persist_core::Persist>(
    archive: &Archive<'_, V>,
    options: SaveOptions,
    name: &str,
) -> Saved {
    let dir = tempfile::tempdir().expect("temporary folder");
    archive
        .save(dir.path().join(name), options)
        .unwrap_or_else(|e| panic!("save failed: {e}"));
    Saved { dir }
}

/// An archive of one item `x`, saved as a package; the Python `code` sees it as `a.x`.
#[track_caller]
pub fn check_value<T: persist_core::Persist>(value: &T, code: &str) -> String {
    let mut archive = Archive::local();
    archive.insert("x", value).expect("insert");
    save_package(&archive).check(code)
}

/// Every file and folder under `dir`, by path relative to it (`/`-separated, folders ending in
/// `/`), with the bytes of each file: compare two of these to prove that nothing changed.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read folder") {
            let path = entry.expect("folder entry").path();
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names of the entries of `dir` (not recursive), sorted.
#[track_caller]
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| {
            e.expect("folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// A Python list literal of the code points of `s`, to compare strings without trusting any
/// escaping: `[ord(c) for c in a.x] == <this>`.
pub fn code_points(s: &str) -> String {
    let points: Vec<String> = s.chars().map(|c| (c as u32).to_string()).collect();
    format!("[{}]", points.join(", "))
}

/// A record written by hand through the public [`persist_core::Record`] API, with any names:
/// for testing what the writer and the Python helpers do with names the derive would also let
/// through (`rename = "np"`, a field renamed `self`, ...).
pub struct HandRecord {
    /// The description of the record's class.
    pub record: &'static persist_core::Record,
    /// The field values, in order (names come from `record.kind` when it is `Named`).
    pub values: Vec<i64>,
}

impl HandRecord {
    /// A record of class `name` (in Rust module `hand`) with named `fields`.
    pub fn named(name: &str, fields: &[&str], values: Vec<i64>) -> Self {
        let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
        let fields: Vec<&'static str> = fields.iter().map(|f| leak(f)).collect();
        let record = Box::leak(Box::new(persist_core::Record::new(
            leak(&format!("hand::{name}")),
            leak(name),
            persist_core::RecordKind::Named(Box::leak(fields.into_boxed_slice())),
        )));
        HandRecord { record, values }
    }
}

impl persist_core::Persist for HandRecord {
    fn to_python_source(
        &self,
        out: &mut persist_core::Writer,
    ) -> Result<(), persist_core::WriteError> {
        out.begin_record(self.record)?;
        match self.record.kind() {
            persist_core::RecordKind::Named(names) => {
                for (name, value) in names.iter().zip(&self.values) {
                    out.field(name, value)?;
                }
            }
            _ => {
                for value in &self.values {
                    out.element(value)?;
                }
            }
        }
        out.end_record()
    }
}

/// The values the DataSet tests and their helper processes (`dataset_worker`) write and check.
pub mod dataset {
    use std::collections::BTreeMap;

    use ndarray::Array1;
    use persist_core::Persist;

    /// One computed point of a parameter sweep.
    #[derive(Persist, Debug, Clone, PartialEq)]
    pub struct Point {
        /// Which process wrote it.
        pub writer: u32,
        /// Its index among that process's inserts.
        pub index: u32,
        /// A parameter.
        pub alpha: f64,
        /// A result large enough to go to an external `.npy` file.
        pub samples: Array1<f64>,
    }

    /// The point `index` of writer `writer`.
    pub fn point(writer: u32, index: u32) -> Point {
        let alpha = f64::from(writer) + f64::from(index) / 1000.0;
        Point {
            writer,
            index,
            alpha,
            samples: Array1::from_shape_fn(256, |i| alpha * i as f64),
        }
    }

    /// Its metadata: what Python sees in `_info_dict`.
    pub fn point_info(writer: u32, index: u32) -> BTreeMap<String, f64> {
        BTreeMap::from([
            ("writer".to_owned(), f64::from(writer)),
            ("index".to_owned(), f64::from(index)),
        ])
    }

    /// `wW_I` → `(W, I)`.
    pub fn parse_name(name: &str) -> Option<(u32, u32)> {
        let (w, i) = name.strip_prefix('w')?.split_once('_')?;
        Some((w.parse().ok()?, i.parse().ok()?))
    }
}
