//! [`verify`]: the check a person runs on an archive from someone else before importing it in
//! Python. It applies the reader's statement rules to every file Python would run and checks
//! every array file the archive loads, plus what Python's import system would use instead of
//! the verified files (bytecode caches here; the folders' other importable entries and the
//! archive's name in `shadow.rs`).

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

pub(crate) mod command;
mod shadow;

use crate::dataset::DATASET_MARKER;
use crate::dataset::{
    INDEX_FOLDER as INDEX_DIR, INFO_FOLDER as INFO_DIR, index_cache_of, index_cached_segment,
    index_pending_item, is_dataset_init, is_index_segment,
};
use crate::read::{ArchiveReader, LoadError, ReadOptions, read_source};
use shadow::Layout;

/// What [`verify`] checked.
///
/// ```no_run
/// let report = persist_core::verify("downloads/run_2026_11_22", &Default::default())?;
/// println!("{} files checked", report.files.len());
/// # Ok::<(), persist_core::LoadError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// Every file checked: sources and array files.
    pub files: Vec<PathBuf>,
    /// Entries of the archive's folder that Python imports for a module trusted with
    /// [`ReadOptions::trust_module`] (`mylab/` for `mylab.models`): they run when the archive
    /// is imported, so read them (the trust covers what Python finds under the name, and it
    /// looks in the archive's folder first).
    pub trusted_beside: Vec<PathBuf>,
}

/// Check the archive or DataSet at `path` before importing it in Python: if this returns `Ok`,
/// importing it runs nothing but the archive's own helpers exactly as this crate writes them,
/// and reads no file outside it.
///
/// It checks every statement of every source file Python would run (as
/// [`ArchiveReader::open_with`] does), every array file the sources load (a regular file inside
/// the archive, not a link; an `.npy` header this crate reads), and that nothing would be used
/// instead of them or beside them:
/// - no `__pycache__` bytecode (which Python runs instead of a source whose size and time it
///   records);
/// - in the folder Python imports the archive from (a module archive's folder, a package's or
///   DataSet's parent), nothing Python's path finder would import, in any form a supported
///   Python loads (source, bytecode, extension module, package, namespace folder), under a name
///   the import reaches: the archive's own, every module of the standard library of Python 3.8
///   to 3.13, numpy, h5py, zarr, numcodecs and the modules they import (a trusted module found
///   there is allowed, and listed in [`Verified::trusted_beside`]);
/// - in a package archive's or DataSet's folder, nothing importable as a submodule but the
///   archive's own files;
/// - and the archive is not itself named like one of those modules.
///
/// A DataSet's `__init__.py` must be the writer's, and every item and metadata file is
/// checked. SECURITY.md states what this guarantees and what it does not.
///
/// # Errors
/// The first refusal, with the file and, for a source, the line and column.
///
/// ```no_run
/// use persist_core::{verify, ReadOptions};
/// verify("downloads/run_2026_11_22", &ReadOptions::new())?;
/// // now `import run_2026_11_22` in Python runs nothing but the archive's helpers
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub fn verify(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Verified, LoadError> {
    let mut path = path.as_ref();
    // `run/__init__.py` names the package archive (or DataSet) `run`.
    if path.file_name().is_some_and(|n| n == "__init__.py") {
        path = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
    }
    let mut report = Verified::default();
    let module = path.extension().is_some_and(|e| e == "py");
    let (name, parent) = archive_name(path, module);
    let layout = if path.is_dir() {
        Layout::Package
    } else {
        Layout::Module
    };
    shadow::check_archive_name(path, &name)?;
    report.trusted_beside = shadow::check_import_folder(&parent, &name, layout, options)?;
    if path.is_dir() && path.join(DATASET_MARKER).exists() {
        verify_dataset(path, &name, options, &mut report)?;
    } else if path.is_dir() {
        no_bytecode(&path.join("__pycache__"), None)?;
        let data = crate::store::array_parts("", false);
        shadow::check_package_folder(path, &name, &["__init__".to_owned()], &data)?;
        let reader = ArchiveReader::open_with(path, options)?;
        add_files(&mut report, reader.check_arrays()?);
        report.files.insert(0, path.join("__init__.py"));
    } else {
        no_bytecode(&parent.join("__pycache__"), Some(&name))?;
        let source = if module {
            path.to_path_buf()
        } else {
            path.with_extension("py")
        };
        let reader = ArchiveReader::open_with(&source, options)?;
        add_files(&mut report, reader.check_arrays()?);
        report.files.insert(0, source);
    }
    Ok(report)
}

/// The archive's module name and the folder Python finds it in.
fn archive_name(path: &Path, module: bool) -> (String, PathBuf) {
    let name = if module {
        path.file_stem()
    } else {
        path.file_name()
    };
    let name = name.and_then(|n| n.to_str()).unwrap_or("").to_owned();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    (name, parent)
}

fn verify_dataset(
    dir: &Path,
    name: &str,
    options: &ReadOptions,
    report: &mut Verified,
) -> Result<(), LoadError> {
    let init = dir.join("__init__.py");
    let source = read_source(&init)?;
    if !is_dataset_init(&source) {
        return Err(refused(
            &init,
            "the DataSet's __init__.py is not the one this crate writes, and Python runs it on import; restore it or write the DataSet again",
        ));
    }
    report.files.push(init);
    no_bytecode(&dir.join("__pycache__"), None)?;
    let items = python_files(dir)?;
    let mut modules = Vec::new();
    let mut data = vec![INFO_DIR.to_owned(), INDEX_DIR.to_owned()];
    for item in &items {
        let stem = item.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        modules.push(stem.to_owned());
        data.extend(crate::store::array_parts(stem, true));
    }
    shadow::check_package_folder(dir, name, &modules, &data)?;
    let info = dir.join(INFO_DIR);
    no_bytecode(&info.join("__pycache__"), None)?;
    // `__init__.py` runs every `_info/*.py` not starting with a dot.
    for file in python_files(&info)? {
        check_metadata_source(&file, options)?;
        report.files.push(file);
    }
    verify_index(&dir.join(INDEX_DIR), options, report)?;
    for file in items {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem == "__init__" {
            continue;
        }
        let reader = ArchiveReader::open_dataset_item_with(&file, options)?;
        add_files(report, reader.check_arrays()?);
        report.files.push(file);
    }
    Ok(())
}

/// A DataSet's metadata index (format 3): `__init__.py` imports its segments (checked as every
/// source is), and for each pending mark runs `_info/NAME.py` (checked with `_info/`), so a
/// mark must name an item. No bytecode, no other Python file.
fn verify_index(
    index: &Path,
    options: &ReadOptions,
    report: &mut Verified,
) -> Result<(), LoadError> {
    match fs::symlink_metadata(index) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Ok(m) if m.is_dir() => {}
        _ => {
            return Err(refused(
                index,
                "the DataSet's metadata index is not a folder",
            ));
        }
    }
    no_bytecode(&index.join("__pycache__"), None)?;
    let mut caches = Vec::new();
    for entry in fs::read_dir(index).map_err(|source| LoadError::Io {
        path: index.to_path_buf(),
        source,
    })? {
        let entry = entry.map_err(|source| LoadError::Io {
            path: index.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(segment) = index_cached_segment(&name) {
            caches.push((entry.path(), index.join(segment)));
            continue;
        }
        if let Some(item) = index_pending_item(&name) {
            if crate::python::name::python_file_name_problem(item).is_some() {
                return Err(refused(&entry.path(), "a pending mark that names no item"));
            }
            continue;
        }
        if name.ends_with(".py") && !is_index_segment(&name) && !name.starts_with('.') {
            return Err(refused(
                &entry.path(),
                "a Python file in the metadata index that is not one of its segments",
            ));
        }
    }
    for file in python_files(index)? {
        check_metadata_source(&file, options)?;
        report.files.push(file);
    }
    caches.sort();
    for (cache, segment) in caches {
        verify_index_cache(&cache, &segment)?;
        report.files.push(cache);
    }
    Ok(())
}

/// A segment's data cache, which `__init__.py` loads with `marshal.loads` instead of running
/// the segment: it must be exactly the encoding of the segment (checked above) that this
/// crate writes, so that it builds the same values and nothing else.
fn verify_index_cache(cache: &Path, segment: &Path) -> Result<(), LoadError> {
    let fix = "delete it (Python then runs the segment) or write the DataSet's item again";
    let text = match read_source(segment) {
        Ok(text) => text,
        Err(_) => {
            return Err(refused(
                cache,
                &format!("a data cache of the metadata index without its segment; {fix}"),
            ));
        }
    };
    let Some(expected) = index_cache_of(&text) else {
        return Err(refused(
            cache,
            &format!("a data cache of a segment that holds more than plain values; {fix}"),
        ));
    };
    let mut found = Vec::new();
    crate::platform::regular_file_no_follow(cache)
        .and_then(|f| {
            f.take(expected.len() as u64 + 1)
                .read_to_end(&mut found)
                .map_err(|e| e.to_string())
        })
        .map_err(|e| refused(cache, &format!("the metadata index's data cache: {e}")))?;
    if found != expected {
        return Err(refused(
            cache,
            &format!(
                "the data cache does not hold what its segment {} holds (Python loads the cache instead of the segment); {fix}",
                segment.display()
            ),
        ));
    }
    Ok(())
}

/// A metadata file or index segment: only data and the writer's helpers.
fn check_metadata_source(file: &Path, options: &ReadOptions) -> Result<(), LoadError> {
    ArchiveReader::from_source_with(&read_source(file)?, options)
        .map(drop)
        .map_err(|e| match e {
            LoadError::Module { pos, message, .. } => LoadError::Module {
                path: file.display().to_string(),
                pos,
                message,
            },
            LoadError::Parse(p) => LoadError::Parse(p.with_path(file)),
            other => other,
        })
}

/// The `.py` files of `dir` that do not start with a dot, sorted.
fn python_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(LoadError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".py") && !n.starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// No bytecode Python would run instead of the verified source: the folder `cache` must not
/// exist (for a module archive `name`: hold no `name.*.pyc`).
fn no_bytecode(cache: &Path, name: Option<&str>) -> Result<(), LoadError> {
    let Ok(entries) = fs::read_dir(cache) else {
        return Ok(());
    };
    let found = match name {
        None => true,
        Some(name) => entries.filter_map(Result::ok).any(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|f| f.starts_with(&format!("{name}.")) && f.ends_with(".pyc"))
        }),
    };
    if found {
        return Err(refused(
            cache,
            "Python bytecode, which Python may run instead of the checked source; an archive from someone else never needs it: delete the `__pycache__` folder and check again (importing an archive writes one: check before importing, or import with PYTHONDONTWRITEBYTECODE=1)",
        ));
    }
    Ok(())
}

/// Add `files` to the report's, each once.
fn add_files(report: &mut Verified, files: Vec<PathBuf>) {
    for file in files {
        if !report.files.contains(&file) {
            report.files.push(file);
        }
    }
}

fn refused(path: &Path, reason: &str) -> LoadError {
    LoadError::Refused {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    }
}
