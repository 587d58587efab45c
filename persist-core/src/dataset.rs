//! [`DataSet`]: a directory of many items, each loaded on its own, safe for many processes.
//!
//! The layout is the one of the original Python `persist` package, so that package can open it:
//!
//! ```text
//! NAME/
//!   _this_dir_is_a_DataSet   empty marker
//!   __init__.py              defines _info_dict by gathering _info/*.py when imported
//!   _info/ITEM.py            the metadata of one item (one small file per item)
//!   ITEM.py                  the item: a module archive ending with sys.modules[__name__] = value
//!   ITEM_data/               its external arrays (.npy)
//!   .lock                    the file OS locks are taken on (its existence means nothing)
//! ```
//!
//! Concurrency: every change of the directory (insert, metadata update, removal) happens under an
//! exclusive OS file lock (`File::lock`) on `.lock`; the OS releases it when a process dies, so no
//! lock is ever stale. Item files are written under temporary names outside the lock and renamed
//! into place under it; the metadata file is renamed last, so an item is listed only once it is
//! complete. Readers take no lock: every file they see is complete.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::archive::{Archive, SaveOptions};
use crate::error::ArchiveError;
use crate::persist::Persist;
use crate::python::name::python_name_problem;
use crate::read::{ArchiveReader, LoadError};

/// The marker file of a DataSet folder.
pub const DATASET_MARKER: &str = "_this_dir_is_a_DataSet";

pub(crate) const INFO_DIR: &str = "_info";
const LOCK_FILE: &str = ".lock";
const TEMP_PREFIX: &str = ".persist-tmp-";

/// How long a writer waits for the lock by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// The `__init__.py` of every DataSet: gathers the per-item metadata files into `_info_dict`.
/// It needs only the standard library and executes nothing but the metadata files themselves.
pub(crate) const INIT_PY: &str = r#"# persist DataSet, format 1, written by persist-core.
# Each item is a module beside this file: `import NAME.ITEM` loads that item alone.
# Each item's metadata is a small file in _info/, gathered here into _info_dict
# (a dict keyed by item name) without loading any item.


def _gather_info():
    import os
    info_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_info')
    try:
        files = sorted(os.listdir(info_dir))
    except FileNotFoundError:
        files = []
    info = {}
    for file in files:
        if not file.endswith('.py') or file.startswith('.'):
            continue
        path = os.path.join(info_dir, file)
        try:
            with open(path, encoding='utf-8') as f:
                code = compile(f.read(), path, 'exec')
        except FileNotFoundError:
            continue  # removed while we were listing
        namespace = {'__file__': path, '__name__': '_persist_info'}
        exec(code, namespace)
        info[file[:-3]] = namespace['info']
    return info


_info_dict = _gather_info()
del _gather_info
"#;

/// An error of a [`DataSet`] operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataSetError {
    /// The folder exists but is not a DataSet (it has no `_this_dir_is_a_DataSet` marker).
    #[error("{path} is not a DataSet: it has no `_this_dir_is_a_DataSet` marker")]
    NotADataSet {
        /// The folder.
        path: PathBuf,
    },
    /// `create` found something at the path already.
    #[error("cannot create DataSet {path}: it already exists; open it with DataSet::open")]
    Exists {
        /// The path.
        path: PathBuf,
    },
    /// An insert of an item that exists already.
    #[error("DataSet {path} already has an item `{name}`; remove it first")]
    ItemExists {
        /// The DataSet.
        path: PathBuf,
        /// The item.
        name: String,
    },
    /// No item of that name.
    #[error("DataSet {path} has no item `{name}`")]
    NoItem {
        /// The DataSet.
        path: PathBuf,
        /// The item asked for.
        name: String,
    },
    /// An item name that cannot be a Python module name.
    #[error("invalid item name {name:?} for DataSet {path}: it {reason}")]
    InvalidName {
        /// The DataSet.
        path: PathBuf,
        /// The name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A write through a read-only handle.
    #[error(
        "cannot {action} in DataSet {path}: it was opened read-only; use DataSet::open to write"
    )]
    ReadOnly {
        /// The DataSet.
        path: PathBuf,
        /// What was attempted.
        action: &'static str,
    },
    /// The lock was held by another process for longer than the timeout.
    #[error(
        "timed out after {waited:?} waiting for the lock of DataSet {path}; another process holds it"
    )]
    LockTimeout {
        /// The DataSet.
        path: PathBuf,
        /// How long this process waited.
        waited: Duration,
    },
    /// Writing an item or its metadata failed.
    #[error("cannot write item `{name}` of DataSet {path}: {source}")]
    Write {
        /// The DataSet.
        path: PathBuf,
        /// The item.
        name: String,
        /// The underlying error.
        #[source]
        source: Box<ArchiveError>,
    },
    /// Reading an item or its metadata failed.
    #[error("cannot read item `{name}` of DataSet {path}: {source}")]
    Read {
        /// The DataSet.
        path: PathBuf,
        /// The item.
        name: String,
        /// The underlying error.
        #[source]
        source: Box<LoadError>,
    },
    /// A file system operation failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> DataSetError {
    let path = path.to_path_buf();
    move |source| DataSetError::Io {
        action,
        path,
        source,
    }
}

/// A directory of many items with small metadata each; items load one at a time, and several
/// processes may insert and read at once. See the [module docs](self) for the layout and the
/// guarantees.
///
/// ```no_run
/// use persist_core::DataSet;
/// use std::collections::BTreeMap;
///
/// let sweep = DataSet::open_or_create("results/sweep")?;
/// let mut info = BTreeMap::new();
/// info.insert("alpha", 0.5);
/// sweep.insert("run_0", &vec![1.0, 2.0, 3.0], &info)?;
/// for name in sweep.items()? {
///     let values: Vec<f64> = sweep.read(&name)?;
///     let info: BTreeMap<String, f64> = sweep.info(&name)?;
/// }
/// // python3 -c "import sweep; print(sweep._info_dict); from sweep import run_0; print(run_0)"
/// # Ok::<(), persist_core::DataSetError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DataSet {
    dir: PathBuf,
    writable: bool,
    lock_timeout: Duration,
    threshold: usize,
    sync: bool,
}

impl DataSet {
    /// Create a new, empty DataSet at `path` (its parent must exist).
    ///
    /// # Errors
    /// Something exists at `path` already; the folder cannot be made.
    pub fn create(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        let dir = path.as_ref().to_path_buf();
        check_dataset_name(&dir)?;
        // Build it under a temporary name and rename it into place, so that no process ever
        // sees a DataSet folder without its marker and __init__.py.
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let staging = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .tempdir_in(&parent)
            .map_err(io("create a folder in", &parent))?;
        write_file(&staging.path().join(DATASET_MARKER), b"")?;
        write_file(&staging.path().join("__init__.py"), INIT_PY.as_bytes())?;
        fs::create_dir(staging.path().join(INFO_DIR))
            .map_err(io("create", &staging.path().join(INFO_DIR)))?;
        write_file(&staging.path().join(LOCK_FILE), b"")?;
        // `rename` onto an existing folder fails (unless it is empty), so two processes creating
        // the same DataSet cannot both succeed.
        match fs::rename(staging.path(), &dir) {
            Ok(()) => Ok(Self::handle(dir, true)),
            Err(_) if dir.exists() => Err(DataSetError::Exists { path: dir }),
            Err(e) => Err(io("create", &dir)(e)),
        }
    }

    /// Open an existing DataSet for reading and writing.
    ///
    /// # Errors
    /// The folder does not exist or is not a DataSet.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        let ds = Self::open_read_only(path)?;
        let ds = Self {
            writable: true,
            ..ds
        };
        ds.clean_stale_temporaries();
        Ok(ds)
    }

    /// Open an existing DataSet for reading only: every writing method returns
    /// [`DataSetError::ReadOnly`] and nothing on disk is ever changed through this handle.
    ///
    /// # Errors
    /// The folder does not exist or is not a DataSet.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        let dir = path.as_ref().to_path_buf();
        fs::metadata(&dir).map_err(io("open", &dir))?;
        if !dir.join(DATASET_MARKER).is_file() {
            return Err(DataSetError::NotADataSet { path: dir });
        }
        Ok(Self::handle(dir, false))
    }

    /// Open the DataSet at `path`, creating it if it does not exist; safe when several processes
    /// do it at once.
    ///
    /// # Errors
    /// As [`create`](DataSet::create) and [`open`](DataSet::open).
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        match Self::create(path.as_ref()) {
            Err(DataSetError::Exists { .. }) => Self::open(path),
            other => other,
        }
    }

    fn handle(dir: PathBuf, writable: bool) -> Self {
        DataSet {
            dir,
            writable,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            threshold: crate::DEFAULT_ARRAY_THRESHOLD,
            sync: true,
        }
    }

    /// How long writers wait for the lock before giving up with
    /// [`DataSetError::LockTimeout`] (default 60 s).
    #[must_use]
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// Arrays with more elements than this are saved as `.npy` files in `ITEM_data/`.
    #[must_use]
    pub fn with_array_threshold(mut self, threshold: usize) -> Self {
        self.threshold = threshold;
        self
    }

    /// Whether inserts sync their files to disk before making the item visible (default
    /// `true`). Without it inserts are much faster; a crashed *process* still loses nothing, but
    /// a power failure may lose the latest inserts. For scratch data and tests.
    #[must_use]
    pub fn with_sync(mut self, sync: bool) -> Self {
        self.sync = sync;
        self
    }

    /// The DataSet's folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The item names, sorted. Only complete items are listed.
    ///
    /// # Errors
    /// The metadata folder cannot be read.
    pub fn items(&self) -> Result<Vec<String>, DataSetError> {
        let info_dir = self.dir.join(INFO_DIR);
        let mut names = Vec::new();
        for entry in fs::read_dir(&info_dir).map_err(io("list", &info_dir))? {
            let entry = entry.map_err(io("list", &info_dir))?;
            let file = entry.file_name();
            let Some(file) = file.to_str() else { continue };
            if let Some(name) = file.strip_suffix(".py")
                && !name.starts_with('.')
            {
                names.push(name.to_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Whether the DataSet has a complete item `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.info_path(name).is_file()
    }

    /// Insert `value` as item `name`, with its metadata `info` (what Python sees in
    /// `_info_dict[name]`).
    ///
    /// # Errors
    /// A read-only handle; an invalid name; an item of that name exists; the lock times out; a
    /// value cannot be written.
    pub fn insert<T: Persist + ?Sized, I: Persist + ?Sized>(
        &self,
        name: &str,
        value: &T,
        info: &I,
    ) -> Result<(), DataSetError> {
        self.check_writable("insert an item")?;
        self.check_item_name(name)?;
        // Write everything under temporary names first, without holding the lock.
        let staging = self.staging()?;
        self.write_item(staging.path(), name, value)?;
        self.write_info(staging.path(), name, info)?;
        let _lock = self.lock()?;
        if self.contains(name) {
            return Err(DataSetError::ItemExists {
                path: self.dir.clone(),
                name: name.to_owned(),
            });
        }
        // Leftovers of an insert that was killed before its metadata was written.
        self.remove_item_files(name)?;
        let data = format!("{name}_data");
        if staging.path().join(&data).exists() {
            rename(&staging.path().join(&data), &self.dir.join(&data))?;
        }
        rename(
            &staging.path().join(format!("{name}.py")),
            &self.dir.join(format!("{name}.py")),
        )?;
        // The metadata file makes the item visible: it goes last.
        rename(&staging.path().join("info.py"), &self.info_path(name))?;
        if self.sync {
            sync_dir(&self.dir.join(INFO_DIR));
        }
        Ok(())
    }

    /// Read item `name` as a `T`.
    ///
    /// # Errors
    /// No such item, or it does not read as a `T`.
    pub fn read<T: Persist>(&self, name: &str) -> Result<T, DataSetError> {
        self.check_exists(name)?;
        let reader = ArchiveReader::open_dataset_item(&self.dir.join(format!("{name}.py")))
            .map_err(|source| self.read_error(name, source))?;
        reader
            .read(name)
            .map_err(|source| self.read_error(name, source))
    }

    /// Read the metadata of item `name` as an `I`.
    ///
    /// # Errors
    /// No such item, or its metadata does not read as an `I`.
    pub fn info<I: Persist>(&self, name: &str) -> Result<I, DataSetError> {
        self.check_exists(name)?;
        ArchiveReader::open(self.info_path(name))
            .and_then(|r| r.read("info"))
            .map_err(|source| self.read_error(name, source))
    }

    /// Replace the metadata of item `name`.
    ///
    /// # Errors
    /// A read-only handle; no such item; the lock times out; the metadata cannot be written.
    pub fn set_info<I: Persist + ?Sized>(&self, name: &str, info: &I) -> Result<(), DataSetError> {
        self.check_writable("update metadata")?;
        let staging = self.staging()?;
        self.write_info(staging.path(), name, info)?;
        let _lock = self.lock()?;
        self.check_exists(name)?;
        rename(&staging.path().join("info.py"), &self.info_path(name))
    }

    /// Remove item `name`, its metadata and its data files.
    ///
    /// # Errors
    /// A read-only handle; no such item; the lock times out; a file cannot be removed.
    pub fn remove(&self, name: &str) -> Result<(), DataSetError> {
        self.check_writable("remove an item")?;
        let _lock = self.lock()?;
        self.check_exists(name)?;
        let info = self.info_path(name);
        // The item disappears from listings first, then its files go.
        fs::remove_file(&info).map_err(io("remove", &info))?;
        self.remove_item_files(name)
    }

    // ----- internals --------------------------------------------------------------------------

    fn info_path(&self, name: &str) -> PathBuf {
        self.dir.join(INFO_DIR).join(format!("{name}.py"))
    }

    fn check_writable(&self, action: &'static str) -> Result<(), DataSetError> {
        if self.writable {
            Ok(())
        } else {
            Err(DataSetError::ReadOnly {
                path: self.dir.clone(),
                action,
            })
        }
    }

    fn check_item_name(&self, name: &str) -> Result<(), DataSetError> {
        let reason = if let Some(problem) = python_name_problem(name) {
            Some(problem.to_owned())
        } else if name.starts_with('_') {
            Some("starts with `_`, which is reserved for the DataSet's own files".to_owned())
        } else {
            None
        };
        match reason {
            Some(reason) => Err(DataSetError::InvalidName {
                path: self.dir.clone(),
                name: name.to_owned(),
                reason,
            }),
            None => Ok(()),
        }
    }

    fn check_exists(&self, name: &str) -> Result<(), DataSetError> {
        if self.contains(name) {
            Ok(())
        } else {
            Err(DataSetError::NoItem {
                path: self.dir.clone(),
                name: name.to_owned(),
            })
        }
    }

    fn read_error(&self, name: &str, source: LoadError) -> DataSetError {
        DataSetError::Read {
            path: self.dir.clone(),
            name: name.to_owned(),
            source: Box::new(source),
        }
    }

    fn write_error(&self, name: &str, source: ArchiveError) -> DataSetError {
        DataSetError::Write {
            path: self.dir.clone(),
            name: name.to_owned(),
            source: Box::new(source),
        }
    }

    /// A temporary folder inside the DataSet, named after this process so that a later writer
    /// can tell a dead process's leftovers from a live one's.
    fn staging(&self) -> Result<tempfile::TempDir, DataSetError> {
        tempfile::Builder::new()
            .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .tempdir_in(&self.dir)
            .map_err(io("create a temporary folder in", &self.dir))
    }

    /// `ITEM.py` (ending with the `sys.modules` replacement) and `ITEM_data/` in `staging`.
    fn write_item<T: Persist + ?Sized>(
        &self,
        staging: &Path,
        name: &str,
        value: &T,
    ) -> Result<(), DataSetError> {
        let mut archive = Archive::new()
            .with_array_threshold(self.threshold)
            .with_sync(self.sync);
        archive
            .insert(name, value)
            .map_err(|e| self.write_error(name, e))?;
        archive
            .save_dataset_item(&staging.join(format!("{name}.py")))
            .map_err(|e| self.write_error(name, e))
    }

    /// `info.py` in `staging`: a module archive whose item `info` is the metadata.
    fn write_info<I: Persist + ?Sized>(
        &self,
        staging: &Path,
        name: &str,
        info: &I,
    ) -> Result<(), DataSetError> {
        let mut archive = Archive::new()
            .with_array_threshold(usize::MAX)
            .with_sync(self.sync);
        archive
            .insert("info", info)
            .map_err(|e| self.write_error(name, e))?;
        archive
            .save(staging.join("info.py"), SaveOptions::module())
            .map_err(|e| self.write_error(name, e))
    }

    fn remove_item_files(&self, name: &str) -> Result<(), DataSetError> {
        let module = self.dir.join(format!("{name}.py"));
        if module.exists() {
            fs::remove_file(&module).map_err(io("remove", &module))?;
        }
        for data in [format!("{name}_data"), format!("{name}_data.h5")] {
            let data = self.dir.join(data);
            if data.is_dir() {
                fs::remove_dir_all(&data).map_err(io("remove", &data))?;
            } else if data.exists() {
                fs::remove_file(&data).map_err(io("remove", &data))?;
            }
        }
        Ok(())
    }

    /// Take the DataSet's exclusive lock, waiting at most the lock timeout.
    fn lock(&self) -> Result<fs::File, DataSetError> {
        let path = self.dir.join(LOCK_FILE);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io("open the lock file", &path))?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => return Err(io("lock", &path)(e)),
            }
            let waited = start.elapsed();
            if waited >= self.lock_timeout {
                return Err(DataSetError::LockTimeout {
                    path: self.dir.clone(),
                    waited,
                });
            }
            std::thread::sleep(pause.min(self.lock_timeout - waited));
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Remove temporary folders left by processes that died mid-insert. A folder is named after
    /// the process that made it, and only folders of processes that no longer run are removed.
    fn clean_stale_temporaries(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
                continue;
            };
            let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
                continue;
            };
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn check_dataset_name(dir: &Path) -> Result<(), DataSetError> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match python_name_problem(name) {
        Some(reason) => Err(DataSetError::InvalidName {
            path: dir.to_path_buf(),
            name: name.to_owned(),
            reason: format!("{reason}, so Python could not import the DataSet"),
        }),
        None => Ok(()),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), DataSetError> {
    fs::write(path, bytes).map_err(io("write", path))
}

fn rename(from: &Path, to: &Path) -> Result<(), DataSetError> {
    fs::rename(from, to).map_err(io("rename into place", to))
}

fn sync_dir(dir: &Path) {
    if let Ok(file) = fs::File::open(dir) {
        let _ = file.sync_all();
    }
}
