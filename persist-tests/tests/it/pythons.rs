//! Every supported Python, numpy and h5py: each Python of `persist-tests/pythons.txt` (virtualenvs
//! `.venv-NAME/` made by `scripts/pythons`, which `scripts/test` runs) imports every golden
//! archive and a fresh archive of the quickstart example's kind, asserting the values; the
//! oldest supported Python compiles every file of the golden folders.

use std::path::{Path, PathBuf};
use std::process::Command;

use persist_core::{Archive, SaveOptions};
use persist_tests::golden;

use crate::golden::{copy_of, python_check, run_script};

/// The supported Python minor versions (3.X): the README states this range.
const SUPPORTED_MINORS: std::ops::RangeInclusive<u32> = 8..=13;

/// One line of `pythons.txt`: a virtualenv and what it was made with.
pub(crate) struct Venv {
    pub(crate) name: String,
    /// `3.8`.
    version: String,
    /// `version requirements...`, as `scripts/pythons` stamps the venv with.
    line: String,
}

impl Venv {
    fn dir(&self) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../.venv-{}", self.name))
    }

    pub(crate) fn python(&self) -> PathBuf {
        self.dir().join("bin/python")
    }

    pub(crate) fn minor(&self) -> u32 {
        let minor = self.version.strip_prefix("3.").and_then(|m| m.parse().ok());
        minor.unwrap_or_else(|| panic!("pythons.txt: `{}` is not 3.X", self.version))
    }
}

/// The venvs of `pythons.txt`, each checked to exist as that line made it; panics naming the
/// fix (`scripts/pythons`) for every one that does not.
#[track_caller]
pub(crate) fn venvs() -> Vec<Venv> {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("pythons.txt");
    let text = std::fs::read_to_string(&list).expect("read persist-tests/pythons.txt");
    let normal = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut venvs = Vec::new();
    let mut problems = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(name), Some(version)) = (words.next(), words.next()) else {
            panic!("pythons.txt: `{line}` is not `NAME PYTHON REQUIREMENTS...`");
        };
        let venv = Venv {
            name: name.to_owned(),
            version: version.to_owned(),
            line: normal(&line[line.find(version).expect("version in line")..]),
        };
        let stamp = std::fs::read_to_string(venv.dir().join("persist-requirements"));
        match stamp {
            Ok(s) if normal(&s) == venv.line && venv.python().exists() => {}
            Ok(_) => problems.push(format!(".venv-{name} was made for another line")),
            Err(_) => problems.push(format!(".venv-{name} is missing")),
        }
        venvs.push(venv);
    }
    assert!(
        problems.is_empty(),
        "{}\nfix: run scripts/pythons (it makes one venv per line of persist-tests/pythons.txt \
         from ~/.pyenv/versions; scripts/test runs it)",
        problems.join("\n")
    );
    venvs
}

/// `(python, numpy, h5py)` versions of a venv, as `(minor, "1.24.4", "3.11.0")`.
#[track_caller]
fn versions(venv: &Venv) -> (u32, String, String) {
    let code =
        "import sys, numpy, h5py; print(sys.version_info[1], numpy.__version__, h5py.__version__)";
    let out = Command::new(venv.python())
        .args(["-c", code])
        .output()
        .expect("run a venv's python");
    assert!(
        out.status.success(),
        ".venv-{}: {}\nfix: run scripts/pythons",
        venv.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).expect("UTF-8");
    let words: Vec<&str> = out.split_whitespace().collect();
    let minor = words[0].parse().expect("a minor version");
    assert_eq!(
        minor,
        venv.minor(),
        ".venv-{} is not Python {}",
        venv.name,
        venv.version
    );
    (minor, words[1].to_owned(), words[2].to_owned())
}

fn major(version: &str) -> u32 {
    version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .expect("a version")
}

/// What Python must see in the fresh archives `fresh_run` (npy) and `fresh_run_h5` (HDF5).
const FRESH_CHECK: &str = r#"
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
names = ['fresh_run'] + (['fresh_run_h5'] if sys.argv[2] == 'hdf5' else [])
for name in names:
    r = __import__(name)
    run = r.run
    assert repr(run.params) == 'HeatParams(alpha=0.25, dx=0.1, dt=0.01, steps=5, grid=(8, 8))', repr(run.params)
    assert type(run.boundary).__name__ == 'Dirichlet' and run.boundary.value == 0.0
    t = run.temperature
    assert isinstance(t, np.ndarray) and t.dtype == np.float64 and t.shape == (8, 8), (name, t)
    assert (t == np.arange(64.0).reshape(8, 8) / 4.0).all(), t
    assert run.energy == [16.0, 15.5, 15.25, 15.125, 15.0625], run.energy
    assert run.note == 'Gaussian pulse on an 8x8 plate, cold edges'
    assert [n for n in dir(r) if not n.startswith('__')] == ['run'], dir(r)
print('ok: %d fresh archives' % len(names))
"#;

/// A folder with the fresh archives of [`FRESH_CHECK`], written by this code, and which stores
/// it has (`npy`, or `hdf5` too with the feature `hdf5`).
fn fresh_archives() -> (tempfile::TempDir, &'static str) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut archive = Archive::new().with_array_threshold(golden::v1::THRESHOLD);
    archive
        .insert("run", golden::v1::schema::heat_run())
        .expect("insert");
    archive
        .save(dir.path().join("fresh_run"), SaveOptions::package())
        .expect("save");
    assert!(dir.path().join("fresh_run/_arrays").is_dir());
    let stores = save_fresh_hdf5(dir.path());
    (dir, stores)
}

#[cfg(feature = "hdf5")]
fn save_fresh_hdf5(dir: &Path) -> &'static str {
    let mut archive = Archive::new()
        .with_array_threshold(golden::v1::THRESHOLD)
        .with_array_store(persist_core::ArrayStore::Hdf5(Default::default()));
    archive
        .insert("run", golden::v1::schema::heat_run())
        .expect("insert");
    archive
        .save(dir.join("fresh_run_h5"), SaveOptions::package())
        .expect("save");
    assert!(dir.join("fresh_run_h5/_data.h5").is_file());
    "hdf5"
}

#[cfg(not(feature = "hdf5"))]
fn save_fresh_hdf5(_dir: &Path) -> &'static str {
    "npy"
}

#[test]
fn every_supported_python_numpy_and_h5py_imports_every_golden_archive_and_a_fresh_one() {
    let venvs = venvs();
    let mut minors = Vec::new();
    let mut numpys = Vec::new();
    let mut h5pys = Vec::new();
    let (fresh, stores) = fresh_archives();
    let fresh_check = fresh.path().join("check_fresh.py");
    std::fs::write(&fresh_check, FRESH_CHECK).expect("write the check");
    // One copy of each golden folder for all Pythons: each writes its own `__pycache__` files
    // beside the others', as when colleagues share a folder.
    let copies: Vec<_> = golden::versions()
        .into_iter()
        .map(|(version, dir)| (version, copy_of(&dir)))
        .collect();
    for venv in &venvs {
        let (minor, numpy, h5py) = versions(venv);
        for (version, (_tmp, copy)) in &copies {
            let out = run_script(&venv.python(), &python_check(*version), &[copy]);
            assert!(
                out.starts_with("ok: "),
                ".venv-{} on v{version}: {out}",
                venv.name
            );
        }
        let out = run_script(
            &venv.python(),
            &fresh_check,
            &[fresh.path(), Path::new(stores)],
        );
        assert!(out.starts_with("ok: "), ".venv-{}: {out}", venv.name);
        minors.push(minor);
        numpys.push(major(&numpy));
        h5pys.push(major(&h5py));
    }
    for minor in SUPPORTED_MINORS {
        assert!(
            minors.contains(&minor),
            "pythons.txt has no Python 3.{minor}"
        );
    }
    for (what, majors, lines) in [("numpy", &numpys, [1, 2]), ("h5py", &h5pys, [2, 3])] {
        for line in lines {
            assert!(
                majors.contains(&line),
                "no venv of pythons.txt has {what} {line}.x"
            );
        }
    }
}

/// Archives use no syntax newer than the oldest supported Python: it compiles (`compile()`, not
/// `exec`) every Python file of every golden folder, DataSet files included, and imports them.
#[test]
fn the_oldest_supported_python_compiles_and_imports_every_golden_file() {
    let venvs = venvs();
    let oldest = venvs
        .iter()
        .min_by_key(|v| v.minor())
        .expect("pythons.txt lists Pythons");
    assert_eq!(
        oldest.minor(),
        *SUPPORTED_MINORS.start(),
        "the oldest supported Python"
    );
    let compile = "\
import os, sys
count = 0
for root in sys.argv[1:]:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                with open(path, encoding='utf-8') as f:
                    compile(f.read(), path, 'exec', dont_inherit=True)
                count += 1
print(count)
";
    let (fresh, _) = fresh_archives();
    let script = fresh.path().join("compile_all.py");
    std::fs::write(&script, compile).expect("write the script");
    for (version, dir) in golden::versions() {
        let (_tmp, copy) = copy_of(&dir);
        let out = run_script(&oldest.python(), &script, &[&copy, fresh.path()]);
        let count: usize = out.trim().parse().expect("a count");
        let python_files = |dir: &Path| {
            let files = golden::files(dir);
            files.keys().filter(|p| p.ends_with(".py")).count()
        };
        // Every module, package, DataSet file (`_info/` too) and the classes' module.
        assert_eq!(
            count,
            python_files(&copy) + python_files(fresh.path()),
            "v{version}"
        );
        let out = run_script(&oldest.python(), &python_check(version), &[&copy]);
        assert!(out.starts_with("ok: "), "v{version}: {out}");
    }
}
