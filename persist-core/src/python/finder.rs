//! What CPython's path-based finder would import from one folder, and which module names an
//! archive's import reaches there.
//!
//! Python's `importlib.machinery.FileFinder` (the finder of every folder on `sys.path`, the
//! archive's own folder first) looks for a name `N` in a folder in this order: a folder `N`
//! holding `__init__` with a loader suffix is a package; else a file `N` plus an extension
//! suffix, then `N.py`, then `N.pyc` (sourceless bytecode); else a folder `N` without
//! `__init__` is a namespace portion. The loader suffixes differ by version and platform
//! (`.cpython-311-x86_64-linux-gnu.so`, `.abi3.so`, `.cp312-win_amd64.pyd`, `.pyw`, ...): this
//! module recognises those of every supported Python on every platform, so a verdict made on
//! Linux holds for a colleague's Mac or Windows machine too. Names are compared ignoring ASCII
//! case, as Python does with `PYTHONCASEOK` on a case-insensitive file system.
//!
//! The module names an archive's import reaches are two committed lists, written by
//! `scripts/module-names`: `stdlib_modules.txt` (the standard library of Python 3.8 to 3.13) and
//! `imported_modules.txt` (numpy, h5py, zarr, numcodecs and the modules they import).

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

/// How an entry of a folder is imported, in the order `FileFinder` prefers them for one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Form {
    /// A folder with an `__init__` file of a loader suffix (`__init__.py`, an extension, ...).
    Package,
    /// An extension module: native code its import runs (`N.so`, `N.cpython-311-....so`,
    /// `N.pyd`).
    Extension,
    /// Python source (`N.py`; `N.pyw` on Windows).
    Source,
    /// Sourceless bytecode (`N.pyc` in the folder itself, not in `__pycache__`).
    Bytecode,
    /// A folder without `__init__`: a portion of a namespace package, used when no other form
    /// of the name is found anywhere on `sys.path`, and then its files import as submodules.
    Namespace,
}

impl Form {
    /// What this form is, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Form::Package => "a package (a folder with an `__init__` file), which Python runs",
            Form::Extension => "an extension module, whose native code Python runs",
            Form::Source => "a Python source file, which Python runs",
            Form::Bytecode => "Python bytecode, which Python runs",
            Form::Namespace => {
                "a folder Python imports as a namespace package, whose files it then runs as submodules"
            }
        }
    }
}

/// One entry of a folder that Python could import, and the name it answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Importable {
    /// The module name (`json` for `json.cpython-311-x86_64-linux-gnu.so`).
    pub name: String,
    /// The entry's file or folder name.
    pub entry: String,
    pub form: Form,
    /// For a package, the `__init__` file Python would run first.
    pub init: Option<String>,
}

/// The module name a file name gives, and how it is imported, for any supported Python on any
/// platform; `None` for a file no Python imports (`notes.txt`, `x.npy`, `a.b.py`).
pub(crate) fn file_module(file: &str) -> Option<(&str, Form)> {
    let (name, form) = if let Some(stem) = file.strip_suffix(".py") {
        (stem, Form::Source)
    } else if let Some(stem) = file.strip_suffix(".pyw") {
        (stem, Form::Source)
    } else if let Some(stem) = file.strip_suffix(".pyc") {
        (stem, Form::Bytecode)
    } else {
        (extension_stem(file)?, Form::Extension)
    };
    module_name_like(name).then_some((name, form))
}

/// The module name of an extension module's file name: `N.so`, `N.pyd`, or either behind one
/// platform tag (`N.abi3.so`, `N.cpython-311-x86_64-linux-gnu.so`, `N.cpython-313t-darwin.so`,
/// `N.cp312-win_amd64.pyd`), and Windows debug builds' `N_d.pyd` / `N_d.cp312-win_amd64.pyd`.
fn extension_stem(file: &str) -> Option<&str> {
    let stem = file
        .strip_suffix(".so")
        .or_else(|| file.strip_suffix(".pyd"))?;
    let stem = match stem.rsplit_once('.') {
        Some((name, tag))
            if tag == "abi3" || tag.starts_with("cpython-") || tag.starts_with("cp3") =>
        {
            name
        }
        _ => stem,
    };
    if let Some(release) = stem
        .strip_suffix("_d")
        .filter(|r| file.ends_with(".pyd") && !r.is_empty())
    {
        // Both `N_d.pyd` (module `N` in a debug build) and `N_d` itself: the caller gets `N`,
        // the stricter reading for a name of the lists.
        return Some(release);
    }
    Some(stem)
}

/// Whether Python could import `name` at all: no dot, no character outside identifiers, not
/// starting with a digit. Non-ASCII names count (Python identifiers may be Unicode).
pub(crate) fn module_name_like(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c == '_' || c.is_ascii_alphanumeric() || !c.is_ascii())
}

/// Every entry of `dir` that some supported Python could import, with its name and form,
/// sorted by entry name. Links are followed (Python follows them); entries that cannot be
/// read as a file or folder are left out, as Python leaves them out.
pub(crate) fn importables(dir: &Path) -> std::io::Result<Vec<Importable>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let Some(file) = entry.file_name().to_str().map(str::to_owned) else {
            continue; // not UTF-8: no `import` statement names it
        };
        let Ok(meta) = fs::metadata(entry.path()) else {
            continue;
        };
        if meta.is_dir() {
            if !module_name_like(&file) {
                continue;
            }
            let init = package_init(&entry.path());
            found.push(Importable {
                name: file.clone(),
                form: if init.is_some() {
                    Form::Package
                } else {
                    Form::Namespace
                },
                entry: file,
                init,
            });
        } else if let Some((name, form)) = file_module(&file) {
            found.push(Importable {
                name: name.to_owned(),
                entry: file.clone(),
                form,
                init: None,
            });
        }
    }
    found.sort_by(|a, b| a.entry.cmp(&b.entry));
    Ok(found)
}

/// The `__init__` file of the folder `dir` that some Python would run for the package, the one
/// any Python prefers first (an extension before source before bytecode), if there is one.
pub(crate) fn package_init(dir: &Path) -> Option<String> {
    let entries = fs::read_dir(dir).ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file = e.file_name().to_str()?.to_owned();
            let (name, form) = file_module(&file)?;
            (name == "__init__" && fs::metadata(e.path()).is_ok_and(|m| m.is_file()))
                .then_some((form, file))
        })
        .min()
        .map(|(_, file)| file)
}

/// Who an importable top-level name belongs to, when an archive's import can reach it: Python's
/// standard library, or the packages numpy, h5py and zarr import (`None` otherwise). Compared
/// ignoring ASCII case.
///
/// The lists are written by `scripts/module-names` from every supported Python.
pub(crate) fn reserved_module(name: &str) -> Option<&'static str> {
    static STDLIB_NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    static IMPORTED_NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    let lower = name.to_ascii_lowercase();
    if STDLIB_NAMES
        .get_or_init(|| lowered(STDLIB))
        .contains(&lower)
    {
        Some("a module of Python's standard library")
    } else if IMPORTED_NAMES
        .get_or_init(|| lowered(IMPORTED))
        .contains(&lower)
    {
        Some("a module that numpy, h5py or zarr is or imports")
    } else {
        None
    }
}

static STDLIB: &str = include_str!("stdlib_modules.txt");
static IMPORTED: &str = include_str!("imported_modules.txt");

/// The names of a list (one a line, `#` lines are comments), lowercased: made once, so that
/// each entry of a folder is one lookup.
fn lowered(list: &str) -> HashSet<String> {
    list.lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_ascii_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_the_module_python_imports() {
        let cases = [
            ("json.py", Some(("json", Form::Source))),
            ("json.pyw", Some(("json", Form::Source))),
            ("json.pyc", Some(("json", Form::Bytecode))),
            ("json.so", Some(("json", Form::Extension))),
            ("json.abi3.so", Some(("json", Form::Extension))),
            (
                "json.cpython-38-x86_64-linux-gnu.so",
                Some(("json", Form::Extension)),
            ),
            (
                "json.cpython-313t-aarch64-linux-musl.so",
                Some(("json", Form::Extension)),
            ),
            (
                "json.cpython-311-darwin.so",
                Some(("json", Form::Extension)),
            ),
            ("json.cp312-win_amd64.pyd", Some(("json", Form::Extension))),
            ("json.pyd", Some(("json", Form::Extension))),
            ("json_d.pyd", Some(("json", Form::Extension))),
            (
                "json_d.cp311-win_amd64.pyd",
                Some(("json", Form::Extension)),
            ),
            ("json.cpython-311.pyc", None),
            ("json.other.so", None),
            ("run_arrays.2.npz", None),
            ("x.npy", None),
            ("notes.txt", None),
            ("3d.py", None),
            ("my-module.py", None),
        ];
        for (file, expected) in cases {
            assert_eq!(file_module(file), expected, "{file}");
        }
    }

    #[test]
    fn the_lists_hold_what_an_archive_imports() {
        for name in [
            "numpy",
            "h5py",
            "zarr",
            "numcodecs",
            "dataclasses",
            "os",
            "copy",
        ] {
            assert!(reserved_module(name).is_some(), "{name}");
        }
        for name in [
            "inspect",
            "tomllib",
            "distutils",
            "packaging",
            "typing_extensions",
        ] {
            assert!(reserved_module(name).is_some(), "{name}");
        }
        assert!(reserved_module("JSON").is_some(), "compared ignoring case");
        for name in ["run", "sweep", "heat_run", "point_1", "results"] {
            assert_eq!(reserved_module(name), None, "{name}");
        }
    }
}
