//! A DataSet's layout on disk: its file names, its `__init__.py`, the check that a folder is
//! laid out as this crate writes DataSets, item names, and the lock file.

use std::fs::{self, File, OpenOptions};
use std::path::Path;
use std::time::{Duration, Instant};

use super::error::{DataSetError, io};
use super::init_py::{INIT_PY, INIT_PY_V2, INIT_PY_V3, INIT_PY_V7};
use crate::format::helpers_v1;
use crate::python::finder::reserved_module;
use crate::python::name::python_file_name_problem;

/// The marker file of a DataSet folder.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// persist_core::DataSet::create(dir.path().join("sweep"))?;
/// assert!(dir.path().join("sweep").join(persist_core::DATASET_MARKER).is_file());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DATASET_MARKER: &str = "_this_dir_is_a_DataSet";

pub(crate) const INFO_DIR: &str = "_info";
/// The folder of the metadata index (format 3 on; see [`super::index`]).
pub(crate) const INDEX_DIR: &str = "_index";
pub(super) const LOCK_FILE: &str = ".lock";
/// The prefix of staging folders (and their lock files) inside a DataSet.
pub(super) const TEMP_PREFIX: &str = ".persist-tmp-";

/// Whether the folder `dir` (which has the marker) is laid out as this crate writes DataSets:
/// `None` if it is, else what differs.
pub(super) fn foreign_reason(dir: &Path) -> Option<String> {
    let info = dir.join(INFO_DIR);
    match fs::symlink_metadata(&info) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Some(format!("{} is not a folder", info.display())),
        Err(_) => return Some(format!("it has no metadata folder {}", info.display())),
    }
    let init = dir.join("__init__.py");
    match fs::symlink_metadata(&init) {
        Ok(m) if m.is_file() => {}
        _ => {
            return Some(format!(
                "{} is missing or not a regular file",
                init.display()
            ));
        }
    }
    match fs::read_to_string(&init) {
        Ok(text) if is_dataset_init(&text) => None,
        Ok(_) => Some(format!(
            "{} is not the __init__.py persist-core writes (the original Python package's?)",
            init.display()
        )),
        Err(e) => Some(format!("{} cannot be read: {e}", init.display())),
    }
}

/// Why `name` cannot be an item name, if it cannot: it must be a Python identifier (so no path
/// separator, no `..`), not a keyword, and not start with `_`.
pub(super) fn item_name_problem(name: &str) -> Option<String> {
    if let Some(problem) = python_file_name_problem(name) {
        Some(problem.to_owned())
    } else if name.starts_with('_') {
        Some("starts with `_`, which is reserved for the DataSet's own files".to_owned())
    } else {
        None
    }
}

/// Open (creating it if needed) the lock file `path`, never through a symbolic link, and check
/// that it is a regular file.
pub(super) fn open_lock(path: &Path) -> Result<File, DataSetError> {
    let file = crate::platform::open_no_follow(
        OpenOptions::new().create(true).truncate(false).write(true),
        path,
    );
    let file = match file {
        Ok(file) => file,
        Err(e) => {
            let Some(what) = crate::platform::refused_open(&e) else {
                return Err(io("open the lock file", path)(e));
            };
            return Err(DataSetError::NotAFile {
                path: path.to_path_buf(),
                what,
            });
        }
    };
    let kind = file
        .metadata()
        .map_err(io("inspect the lock file", path))?
        .file_type();
    let what = if kind.is_file() {
        return Ok(file);
    } else if kind.is_dir() {
        "it is a folder"
    } else {
        match crate::platform::special_kind(&kind) {
            Some("FIFO") => "it is a FIFO",
            Some("device") => "it is a device",
            _ => "it is not a regular file",
        }
    };
    Err(DataSetError::NotAFile {
        path: path.to_path_buf(),
        what,
    })
}

/// Take the exclusive lock of the DataSet `dir`, waiting at most `timeout`.
pub(super) fn lock(dir: &Path, timeout: Duration) -> Result<File, DataSetError> {
    let path = dir.join(LOCK_FILE);
    let file = open_lock(&path)?;
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(e)) => return Err(io("lock", &path)(e)),
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(DataSetError::LockTimeout {
                path: dir.to_path_buf(),
                waited,
            });
        }
        std::thread::sleep(pause.min(timeout - waited));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// The files of item `name` beside `__init__.py`: its module and every array store's part.
pub(super) fn item_files(name: &str) -> Vec<String> {
    let mut files = vec![format!("{name}.py")];
    files.extend(crate::store::array_parts(name, true));
    files
}

pub(super) fn check_dataset_name(dir: &Path) -> Result<(), DataSetError> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match python_file_name_problem(name) {
        Some(reason) => Err(DataSetError::InvalidName {
            path: dir.to_path_buf(),
            name: name.to_owned(),
            reason: format!("{reason}, so Python could not import the DataSet"),
        }),
        None => match reserved_module(name) {
            Some(owner) => Err(DataSetError::ShadowsModule {
                path: dir.to_path_buf(),
                name: name.to_owned(),
                owner,
            }),
            None => Ok(()),
        },
    }
}

pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), DataSetError> {
    fs::write(path, bytes).map_err(io("write", path))
}

pub(super) fn sync_dir(dir: &Path) {
    if let Ok(file) = fs::File::open(dir) {
        let _ = file.sync_all();
    }
}

/// Whether `text` is the `__init__.py` of a DataSet of some format this crate wrote.
pub(crate) fn is_dataset_init(text: &str) -> bool {
    text == INIT_PY
        || text == INIT_PY_V7
        || text == INIT_PY_V3
        || text == INIT_PY_V2
        || text == helpers_v1::DATASET_INIT_PY
}

/// How a DataSet keeps its metadata index, by its `__init__.py`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Indexing {
    /// An older DataSet (format 1 or 2): it keeps its layout and gets no index.
    None,
    /// Format 3 or 7: segments only.
    Segments,
    /// Format 8: segments and their data caches.
    Cached,
}

/// How the DataSet `dir` keeps its metadata index (see [`Indexing`]).
pub(super) fn indexing(dir: &Path) -> Indexing {
    match fs::read_to_string(dir.join("__init__.py")) {
        Ok(text) if text == INIT_PY => Indexing::Cached,
        Ok(text) if text == INIT_PY_V7 || text == INIT_PY_V3 => Indexing::Segments,
        _ => Indexing::None,
    }
}
