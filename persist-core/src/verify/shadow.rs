//! What Python could import from an archive's folders instead of, or beside, the files
//! [`verify`](super::verify) checked: the rules for the folder Python imports the archive from
//! and, for a package archive or a DataSet, for the package folder itself.
//!
//! - **The import folder** (a module archive's folder; a package archive's or DataSet's
//!   parent): for every name the archive's import reaches (its own name; every module of
//!   Python's standard library and of numpy, h5py, zarr and what they import, from the lists of
//!   `python/finder.rs`), Python's path finder must find nothing in the folder but the archive
//!   itself, in any form any supported Python loads. A trusted module's package found there is
//!   allowed (trusting a module trusts what Python imports under its name) and reported.
//! - **The package folder**: it holds nothing Python could import as a submodule but the
//!   archive's own files (`__init__.py`, a DataSet's items) and its own data folders.
//! - **The name**: an archive is not named like a module of those lists, which it would
//!   replace for every import of that name in a Python started in its folder.

use std::path::{Path, PathBuf};

use crate::python::finder::{Form, Importable, importables, reserved_module};
use crate::read::{LoadError, ReadOptions};

/// How an archive sits in its import folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// `NAME.py` beside its arrays.
    Module,
    /// A folder `NAME/` with `__init__.py` (a package archive or a DataSet).
    Package,
}

/// An archive named like a module its folder's Python imports is refused.
pub(super) fn check_archive_name(path: &Path, name: &str) -> Result<(), LoadError> {
    match reserved_module(name) {
        Some(owner) => Err(refused(
            path,
            format!(
                "the archive is named `{name}`, {owner}: a Python started in this folder imports the archive for every `import {name}` (its own and its libraries'); rename it"
            ),
        )),
        None => Ok(()),
    }
}

/// The import folder `parent` holds nothing Python would import, for a name the import of the
/// archive `own` reaches, but the archive itself. Returns the entries Python would import for a
/// trusted module: allowed, since trusting a module trusts what Python imports under its name
/// from this folder, and reported, since they run.
pub(super) fn check_import_folder(
    parent: &Path,
    own: &str,
    layout: Layout,
    options: &ReadOptions,
) -> Result<Vec<PathBuf>, LoadError> {
    let trusted: Vec<&str> = options
        .trusted_modules
        .iter()
        .map(|m| m.split('.').next().unwrap_or(m))
        .collect();
    let mut trusted_beside = Vec::new();
    for found in list(parent)? {
        let path = parent.join(&found.entry);
        if found.name.eq_ignore_ascii_case(own) {
            check_own_name(parent, &found, own, layout)?;
        } else if let Some(owner) = reserved_module(&found.name) {
            return Err(refused(
                &path,
                format!(
                    "{}, named `{}`, {owner}: Python looks in the archive's folder first, so the archive's import would use this instead of the real `{}`; move the archive into a folder of its own (or this away)",
                    found.form.describe(),
                    found.name,
                    found.name
                ),
            ));
        } else if trusted.contains(&found.name.as_str()) {
            trusted_beside.push(path);
        }
    }
    Ok(trusted_beside)
}

/// An entry with the archive's own name: what some supported Python would import for it must
/// be the archive. A package wins over a file of its name, an extension module over source,
/// source over bytecode and a namespace folder; names differing only in case are ambiguous on
/// case-insensitive file systems.
fn check_own_name(
    parent: &Path,
    found: &Importable,
    own: &str,
    layout: Layout,
) -> Result<(), LoadError> {
    let path = parent.join(&found.entry);
    let archive = match layout {
        Layout::Module => format!("{own}.py"),
        Layout::Package => own.to_owned(),
    };
    if found.name != own {
        return Err(refused(
            &path,
            format!(
                "{}, whose name differs from the archive `{archive}` only in case: on macOS and Windows Python may import either; remove it or rename the archive",
                found.form.describe()
            ),
        ));
    }
    let wins = match (layout, found.form) {
        (Layout::Module, Form::Package | Form::Extension) => true,
        (Layout::Module, _) => false,
        (Layout::Package, Form::Package) if found.entry == own => {
            // The archive's own folder: its `__init__.py` must be what Python runs.
            if let Some(init) = found.init.as_deref().filter(|i| *i != "__init__.py") {
                return Err(refused(
                    &path.join(init),
                    format!(
                        "{} in the archive's folder, which Python loads for the package instead of its __init__.py; remove it",
                        Form::Extension.describe()
                    ),
                ));
            }
            false
        }
        // A folder of the name is searched before any file of it.
        (Layout::Package, _) => false,
    };
    if wins {
        return Err(refused(
            &path,
            format!(
                "{}, named like the archive `{archive}`: `import {own}` in this folder imports it instead of the archive; remove it, or move the archive into a folder of its own",
                found.form.describe()
            ),
        ));
    }
    Ok(())
}

/// The package folder `dir` (a package archive's or DataSet's) holds nothing Python could
/// import as a submodule of `package` but `own_modules` (each as `NAME.py`, `__init__` included) and the
/// folders `own_data` (the archive's data, which must not be packages). `__pycache__` is
/// checked by the bytecode rule.
pub(super) fn check_package_folder(
    dir: &Path,
    package: &str,
    own_modules: &[String],
    own_data: &[String],
) -> Result<(), LoadError> {
    for found in list(dir)? {
        let path = dir.join(&found.entry);
        if let Some(own) = own_modules
            .iter()
            .find(|m| m.eq_ignore_ascii_case(&found.name))
        {
            let (item, python) = if own == "__init__" {
                (
                    "the package's __init__.py".to_owned(),
                    "for the package".to_owned(),
                )
            } else {
                (format!("the item `{own}.py`"), format!("for `{own}`"))
            };
            if found.name != *own {
                return Err(refused(
                    &path,
                    format!(
                        "{}, whose name differs from {item} only in case: on macOS and Windows Python may import either; remove it",
                        found.form.describe()
                    ),
                ));
            }
            if matches!(found.form, Form::Package | Form::Extension) {
                return Err(refused(
                    &path,
                    format!(
                        "{}, which Python imports {python} instead of {item}; remove it",
                        found.form.describe()
                    ),
                ));
            }
            continue;
        }
        if found.entry == "__pycache__" {
            continue;
        }
        if own_data.contains(&found.entry) {
            if found.form == Form::Namespace {
                continue;
            }
            return Err(refused(
                &path.join(found.init.as_deref().unwrap_or("")),
                "an `__init__` file in the archive's data folder, which would make it a package Python runs; remove it".to_owned(),
            ));
        }
        return Err(refused(
            &path,
            format!(
                "{}, inside the archive's folder, where `from {package} import {}` imports it; only the archive's own files belong there: move it out",
                found.form.describe(),
                found.name
            ),
        ));
    }
    Ok(())
}

fn list(dir: &Path) -> Result<Vec<Importable>, LoadError> {
    importables(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

fn refused(path: &Path, reason: String) -> LoadError {
    LoadError::Refused {
        path: path.to_path_buf(),
        reason,
    }
}
