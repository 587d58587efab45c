//! `verify` against CPython's own finder: generated folders (an archive this crate wrote, plus
//! random entries named from the module lists, the archive's own names and others, of every
//! kind Python's path finder loads or skips, beside the archive or inside its package folder),
//! each judged by `verify` and by `importlib.machinery.PathFinder.find_spec` in every supported
//! Python (`pythons.txt`); the verdicts must agree. And the module lists `verify` uses cover
//! every module each supported Python imports with an archive, numpy, h5py and zarr.
//!
//! `PERSIST_FINDER_SEED` and `PERSIST_FINDER_CASES` choose other folders (the default seed is
//! fixed, so a failure repeats); a failure prints the seed and each disagreeing folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use persist_core::{ReadOptions, verify};

use crate::pythons::venvs;
use crate::shadowing::save_archive;

/// splitmix64: a small deterministic generator, so that a seed names a set of folders.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Names for entries beside the archive: modules the import reaches, the archive's own name and
/// its data, and names nothing imports.
const BESIDE: &[&str] = &[
    "dataclasses",
    "numpy",
    "textwrap",
    "inspect",
    "copy",
    "json",
    "os",
    "h5py",
    "zarr",
    "packaging",
    "yaml",
    "typing_extensions",
    "encodings",
    "sitecustomize",
    "gc",
    "marshal",
    "importlib",
    "datetime",
    "OWN",
    "OWN",
    "OWN",
    "run_arrays",
    "helper",
    "notes",
    "point_1",
    "my-notes",
    "3d",
];

/// Names for entries inside a package archive's or DataSet's folder.
const INSIDE: &[&str] = &[
    "__init__",
    "__init__",
    "point_1",
    "point_2",
    "point_1_data",
    "point_2_data",
    "_arrays",
    "_info",
    "_index",
    "helper",
    "extra",
    "time",
    "numpy",
    "my-notes",
    "3d",
];

/// File endings: every extension suffix of the supported Pythons on Linux x86-64, source,
/// bytecode, and endings Python never imports.
const FILE_ENDINGS: &[&str] = &[
    ".py",
    ".py",
    ".pyc",
    ".so",
    ".abi3.so",
    ".cpython-38-x86_64-linux-gnu.so",
    ".cpython-39-x86_64-linux-gnu.so",
    ".cpython-310-x86_64-linux-gnu.so",
    ".cpython-311-x86_64-linux-gnu.so",
    ".cpython-312-x86_64-linux-gnu.so",
    ".cpython-313-x86_64-linux-gnu.so",
    ".txt",
    ".npy",
    ".cpython-311.pyc",
    ".json",
];

/// `__init__` endings of a generated package folder.
const INIT_ENDINGS: &[&str] = &[
    ".py",
    ".pyc",
    ".so",
    ".cpython-38-x86_64-linux-gnu.so",
    ".cpython-312-x86_64-linux-gnu.so",
];

/// Add one random entry to `results` (beside the archive) or, for a package or DataSet, inside
/// it; never over a file that is there (the archive's own files stay as written).
fn plant_random(rng: &mut Rng, results: &Path, kind: &str, item_text: &str) -> Option<String> {
    let own = if kind == "dataset" { "sweep" } else { "run" };
    let inside = kind != "module" && rng.next().is_multiple_of(2);
    let (dir, name) = if inside {
        (results.join(own), rng.pick(INSIDE).to_owned())
    } else {
        (results.to_path_buf(), rng.pick(BESIDE).replace("OWN", own))
    };
    let entry = match rng.next() % 4 {
        0 | 1 => {
            let path = dir.join(format!("{name}{}", rng.pick(FILE_ENDINGS)));
            if path.exists() {
                return None;
            }
            // A source in a DataSet's folder is checked as an item by `verify` (as Python
            // could import it): there it is a valid item, so that only where it sits decides.
            let text = if path.extension().is_some_and(|e| e == "py") {
                if inside && kind == "dataset" {
                    item_text
                } else {
                    "import os\n"
                }
            } else {
                "x"
            };
            std::fs::write(&path, text).expect("write an entry");
            path
        }
        2 => {
            // A folder without `__init__`: a namespace portion (or an archive's data folder).
            let path = dir.join(&name);
            if path.exists() {
                return None;
            }
            std::fs::create_dir(&path).expect("make a folder");
            std::fs::write(path.join("notes.txt"), "x").expect("write");
            path
        }
        _ => {
            let path = dir.join(&name);
            let init = path.join(format!("__init__{}", rng.pick(INIT_ENDINGS)));
            if path.is_file() || init.exists() {
                return None;
            }
            std::fs::create_dir_all(&path).expect("make a package");
            std::fs::write(&init, "import os\n").expect("write __init__");
            init
        }
    };
    Some(
        entry
            .strip_prefix(results)
            .expect("under results")
            .display()
            .to_string(),
    )
}

/// Judges each folder of stdin (`RESULTS<TAB>KIND` lines) as CPython's path finder of this
/// Python resolves it: `bad NAME ORIGIN` when a name the archive's import reaches resolves to
/// something not the archive's own, else `ok`.
const ORACLE: &str = r#"
import os, sys
from importlib.machinery import PathFinder, all_suffixes

def listed(path):
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith('#')}

reach = listed(sys.argv[1]) | listed(sys.argv[2])
suffixes = all_suffixes()

def derived(entry):
    names = {entry} | {entry[:-len(s)] for s in suffixes if entry.endswith(s)}
    return {n for n in names if n.isidentifier()}

def judge(results, kind):
    own = 'sweep' if kind == 'dataset' else 'run'
    if kind == 'module':
        own_origin = os.path.join(results, 'run.py')
    else:
        own_origin = os.path.join(results, own, '__init__.py')
    for entry in sorted(os.listdir(results)):
        for name in derived(entry):
            if name != own and name not in reach:
                continue
            spec = PathFinder.find_spec(name, [results])
            if spec is not None and not (name == own and spec.origin == own_origin):
                return 'bad %s %s' % (name, spec.origin)
    if kind == 'module':
        return 'ok'
    package = os.path.join(results, own)
    if kind == 'package':
        own_files, own_dirs = {'__init__.py'}, {'_arrays'}
    else:
        # verify checks every source of a DataSet's folder as an item
        own_files = {'__init__.py'} | {f for f in os.listdir(package) if f.endswith('.py')}
        own_dirs = {'_info', '_index', 'point_1_data', 'point_2_data'}
    own_files = {os.path.join(package, f) for f in own_files}
    own_dirs = {os.path.join(package, d) for d in own_dirs}
    for entry in sorted(os.listdir(package)):
        for name in derived(entry):
            if name == '__pycache__':
                continue
            spec = PathFinder.find_spec(name, [package])
            if spec is None or spec.origin in own_files:
                continue
            if spec.origin in (None, 'namespace') and set(spec.submodule_search_locations) <= own_dirs:
                continue
            return 'bad %s %s' % (name, spec.origin)
    return 'ok'

for line in sys.stdin:
    results, kind = line.rstrip('\n').split('\t')
    print(judge(results, kind))
"#;

fn list_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../persist-core/src/python/{name}"))
}

/// One Python's verdicts on the folders.
#[track_caller]
fn oracle(python: &Path, folders: &[(PathBuf, &str)]) -> Vec<String> {
    let mut child = Command::new(python)
        .args(["-c", ORACLE])
        .arg(list_file("stdlib_modules.txt"))
        .arg(list_file("imported_modules.txt"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run a venv's python");
    let input: String = folders
        .iter()
        .map(|(dir, kind)| format!("{}\t{kind}\n", dir.display()))
        .collect();
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes())
        .expect("write the folders");
    let out = child.wait_with_output().expect("the oracle");
    assert!(
        out.status.success(),
        "{}: {}",
        python.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), folders.len(), "one verdict a folder");
    lines
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

#[test]
fn verify_agrees_with_cpythons_finder_on_generated_folders() {
    let seed = std::env::var("PERSIST_FINDER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(34u64);
    let count: usize = std::env::var("PERSIST_FINDER_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let mut rng = Rng(seed);
    let scratch = tempfile::tempdir().expect("temporary folder");
    let kinds = ["module", "package", "dataset"];
    let bases: Vec<PathBuf> = kinds
        .iter()
        .map(|kind| {
            let base = scratch.path().join(format!("base_{kind}"));
            std::fs::create_dir(&base).expect("base");
            save_archive(kind, &base);
            base
        })
        .collect();
    let item_text =
        std::fs::read_to_string(bases[2].join("sweep/point_2.py")).expect("a DataSet item");
    let mut folders = Vec::new();
    let mut planted = Vec::new();
    for case in 0..count {
        let which = (rng.next() % 3) as usize;
        let results = scratch.path().join(format!("case_{case}/results"));
        copy_tree(&bases[which], &results);
        let entries: Vec<String> = (0..1 + rng.next() % 2)
            .filter_map(|_| plant_random(&mut rng, &results, kinds[which], &item_text))
            .collect();
        folders.push((results, kinds[which]));
        planted.push(entries);
    }
    // One verdict per distinct supported Python: a folder is unsafe if any of them resolves a
    // reached name to something that is not the archive's.
    let mut pythons = venvs();
    let mut minors = BTreeSet::new();
    pythons.retain(|v| minors.insert(v.minor()));
    let verdicts: Vec<Vec<String>> = pythons
        .iter()
        .map(|v| oracle(&v.python(), &folders))
        .collect();
    let mut disagreements = Vec::new();
    let mut refused = 0;
    for (i, (results, kind)) in folders.iter().enumerate() {
        let own = if *kind == "dataset" { "sweep" } else { "run" };
        let archive = match *kind {
            "module" => results.join("run.py"),
            _ => results.join(own),
        };
        let ours = verify(&archive, &ReadOptions::new());
        let theirs: Vec<String> = pythons
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| v[i] != "ok")
            .map(|(p, v)| format!("{} says {}", p.name, v[i]))
            .collect();
        refused += usize::from(ours.is_err());
        if ours.is_err() == theirs.is_empty() {
            disagreements.push(format!(
                "{kind} + {:?}: verify says {:?}; CPython: {}",
                planted[i],
                ours.map(|_| "ok").map_err(|e| e.to_string()),
                if theirs.is_empty() {
                    "every Python resolves nothing else".to_owned()
                } else {
                    theirs.join("; ")
                }
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "seed {seed}: {} of {count} folders judged differently:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // The generator must exercise both verdicts.
    assert!(
        refused > count / 10 && count - refused > count / 10,
        "{refused} of {count} refused"
    );
}

/// Prints every top-level module in `sys.modules` (and, from 3.10, the standard library's own
/// list) that the lists lack, after importing an archive, numpy, h5py and, where installed,
/// zarr.
const COVERAGE: &str = r#"
import sys
def listed(path):
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith('#')}
known = listed(sys.argv[1]) | listed(sys.argv[2])
sys.path.insert(0, sys.argv[3])
import run, numpy, h5py
try:
    import zarr, numcodecs
except ImportError:
    pass
names = {n.split('.')[0] for n in list(sys.modules)} | set(getattr(sys, 'stdlib_module_names', ()))
print(' '.join(sorted(n for n in names - known - {'run', '__main__'} if n.isidentifier())))
"#;

#[test]
fn the_module_lists_cover_what_each_python_imports() {
    let scratch = tempfile::tempdir().expect("temporary folder");
    save_archive("module", scratch.path());
    let mut pythons: Vec<(String, PathBuf)> = venvs()
        .iter()
        .map(|v| (format!(".venv-{}", v.name), v.python()))
        .collect();
    pythons.push((".venv".into(), persist_tests::python().to_path_buf()));
    let mut missing = Vec::new();
    for (name, python) in pythons {
        let out = Command::new(&python)
            .current_dir(scratch.path())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .args(["-c", COVERAGE])
            .arg(list_file("stdlib_modules.txt"))
            .arg(list_file("imported_modules.txt"))
            .arg(scratch.path())
            .output()
            .expect("run python");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lacking = String::from_utf8(out.stdout).expect("UTF-8");
        if !lacking.trim().is_empty() {
            missing.push(format!("{name}: {}", lacking.trim()));
        }
    }
    assert!(
        missing.is_empty(),
        "modules the lists lack (run scripts/module-names and commit its output):\n{}",
        missing.join("\n")
    );
}
