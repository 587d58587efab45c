//! [`DataSet`]: a directory of many items, each loaded on its own, safe for many processes.
//!
//! The layout is the one of the original Python `persist` package, so that package can open it:
//!
//! ```text
//! NAME/
//!   _this_dir_is_a_DataSet   empty marker
//!   __init__.py              defines _info_dict from _index/ and _info/ when imported
//!   _info/ITEM.py            the metadata of one item (one small file per item): the truth
//!   _index/                  the same metadata in a few modules Python imports fast ([`index`])
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
//!
//! All or nothing: the renames of an insert or a removal are journaled ([`commit`]) and undone
//! when a later one fails. Temporary folders carry a lock of their writer, so a later writer
//! removes only those of dead writers ([`crate::archive::staging`]). A folder with the marker
//! but another layout ([`layout`]) is opened read-only. Errors: [`error`].

mod change;
mod commit;
mod error;
mod index;
mod init_py;
mod layout;
mod read;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::archive::Archive;
use crate::archive::fault;
use crate::archive::staging::{self, Staging};
use crate::error::ArchiveError;
use crate::persist::Persist;
use crate::read::LoadError;
use commit::Journal;
pub use error::DataSetError;
use error::io;
pub(crate) use index::{
    cache_of as index_cache_of, cached_segment as index_cached_segment,
    is_segment as is_index_segment, pending_item as index_pending_item,
};
use init_py::INIT_PY;
pub use layout::DATASET_MARKER;
pub(crate) use layout::{INDEX_DIR as INDEX_FOLDER, INFO_DIR as INFO_FOLDER, is_dataset_init};
use layout::{
    INFO_DIR, LOCK_FILE, TEMP_PREFIX, check_dataset_name, item_files, sync_dir, write_file,
};

const NOTHING_CHANGED: &str = "nothing was changed: the DataSet is as it was before";

/// How long a writer waits for the lock by default.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?
///     .with_lock_timeout(persist_core::DEFAULT_LOCK_TIMEOUT / 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// A directory of many items with small metadata each; items load one at a time, and several
/// processes may insert and read at once. See the README's "DataSets" section for the layout and the
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
    /// Set when the folder has the marker but not this crate's layout: what differs.
    foreign: Option<String>,
    /// How the DataSet keeps a metadata index (format 3 on; with data caches from format 8):
    /// see [`index`].
    indexing: layout::Indexing,
    lock_timeout: Duration,
    threshold: usize,
    store: crate::store::ArrayStore,
    sync: bool,
    read_options: crate::read::ReadOptions,
}

impl DataSet {
    /// Create a new, empty DataSet at `path` (its parent must exist).
    ///
    /// # Errors
    /// Something exists at `path` already; the folder cannot be made.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// assert!(ds.items()?.is_empty());
    /// assert!(persist_core::DataSet::create(dir.path().join("sweep")).is_err()); // exists
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        let dir = path.as_ref().to_path_buf();
        check_dataset_name(&dir)?;
        // Build it under a temporary name and rename it into place, so that no process ever
        // sees a DataSet folder without its marker and __init__.py.
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let staging =
            Staging::new_in(&parent, TEMP_PREFIX).map_err(io("create a folder in", &parent))?;
        write_file(&staging.path().join(DATASET_MARKER), b"")?;
        write_file(&staging.path().join("__init__.py"), INIT_PY.as_bytes())?;
        fs::create_dir(staging.path().join(INFO_DIR))
            .map_err(io("create", &staging.path().join(INFO_DIR)))?;
        write_file(&staging.path().join(LOCK_FILE), b"")?;
        index::create(staging.path())
            .map_err(io("create the metadata index in", staging.path()))?;
        // `rename` onto an existing folder fails (unless it is empty), so two processes creating
        // the same DataSet cannot both succeed.
        match fs::rename(staging.path(), &dir) {
            Ok(()) => Ok(Self {
                indexing: layout::Indexing::Cached,
                ..Self::handle(dir, true, None)
            }),
            Err(_) if dir.exists() => Err(DataSetError::Exists { path: dir }),
            Err(e) => Err(io("create", &dir)(e)),
        }
    }

    /// Open an existing DataSet for reading and writing, removing what writers that died left
    /// behind.
    ///
    /// A folder that has the marker but not the layout this crate writes (the original Python
    /// package's DataSet, a half-copied folder) is opened read-only instead, so that nothing in
    /// it is damaged: its items are the `ITEM.py` files, and every write returns
    /// [`DataSetError::ForeignLayout`] saying what differs.
    ///
    /// # Errors
    /// The folder does not exist or is not a DataSet.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// let ds = persist_core::DataSet::open(dir.path().join("sweep"))?;
    /// assert!(ds.is_writable());
    /// assert!(persist_core::DataSet::open(dir.path().join("other")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        let ds = Self::open_read_only(path)?;
        if ds.foreign.is_some() {
            return Ok(ds);
        }
        let ds = Self {
            writable: true,
            ..ds
        };
        staging::clean_dead(&ds.dir, TEMP_PREFIX);
        Ok(ds)
    }

    /// Open an existing DataSet for reading only: every writing method returns
    /// [`DataSetError::ReadOnly`] and nothing on disk is ever changed through this handle.
    ///
    /// # Errors
    /// The folder does not exist or is not a DataSet.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// let ds = persist_core::DataSet::open_read_only(dir.path().join("sweep"))?;
    /// assert!(ds.insert("x", &1, &()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        let dir = path.as_ref().to_path_buf();
        fs::metadata(&dir).map_err(io("open", &dir))?;
        if !dir.join(DATASET_MARKER).is_file() {
            return Err(DataSetError::NotADataSet { path: dir });
        }
        let foreign = layout::foreign_reason(&dir);
        let indexing = match foreign {
            None => layout::indexing(&dir),
            Some(_) => layout::Indexing::None,
        };
        Ok(Self {
            indexing,
            ..Self::handle(dir, false, foreign)
        })
    }

    /// Open the DataSet at `path`, creating it if it does not exist; safe when several processes
    /// do it at once.
    ///
    /// # Errors
    /// As [`create`](DataSet::create) and [`open`](DataSet::open).
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let a = persist_core::DataSet::open_or_create(dir.path().join("sweep"))?;
    /// let b = persist_core::DataSet::open_or_create(dir.path().join("sweep"))?; // opens it
    /// assert_eq!(a.path(), b.path());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Self, DataSetError> {
        match Self::create(path.as_ref()) {
            Err(DataSetError::Exists { .. }) => Self::open(path),
            other => other,
        }
    }

    fn handle(dir: PathBuf, writable: bool, foreign: Option<String>) -> Self {
        DataSet {
            dir,
            writable,
            foreign,
            indexing: layout::Indexing::None,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            threshold: crate::archive::DEFAULT_ARRAY_THRESHOLD,
            store: crate::store::ArrayStore::Npy,
            sync: true,
            read_options: crate::read::ReadOptions::default(),
        }
    }

    /// How long writers wait for the lock before giving up with
    /// [`DataSetError::LockTimeout`] (default 60 s).
    #[must_use]
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?
    ///     .with_lock_timeout(std::time::Duration::from_secs(5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// Arrays with more elements than this are saved in external files (by default `.npy`
    /// files in `ITEM_data/`; see [`with_array_store`](DataSet::with_array_store)).
    ///
    /// ```no_run
    /// let sweep = persist_core::DataSet::open_or_create("results/sweep")?.with_array_threshold(1000);
    /// # Ok::<(), persist_core::DataSetError>(())
    /// ```
    #[must_use]
    pub fn with_array_threshold(mut self, threshold: usize) -> Self {
        self.threshold = threshold;
        self
    }

    /// Where inserts save the arrays above the threshold, as
    /// [`Archive::with_array_store`](crate::Archive::with_array_store) does for an archive:
    /// `.npy` files in `ITEM_data/` (the default), one `ITEM_data.npz`, or one `ITEM_data.h5`
    /// (feature `hdf5`; Python then needs h5py). Items already in the DataSet keep their
    /// store; reading finds each item's store from its module.
    ///
    /// ```no_run
    /// # #[cfg(feature = "hdf5")] {
    /// use persist_core::{ArrayStore, DataSet, Hdf5Options};
    /// let sweep = DataSet::open_or_create("results/sweep")?
    ///     .with_array_store(ArrayStore::Hdf5(Hdf5Options::default().gzip(4)));
    /// let field = ndarray::Array2::<f64>::zeros((1024, 1024));
    /// sweep.insert("run_0", &field, &0.5)?; // results/sweep/run_0.py, run_0_data.h5
    /// // python3 -c "from sweep import run_0; print(run_0.shape)"
    /// # }
    /// # Ok::<(), persist_core::DataSetError>(())
    /// ```
    #[must_use]
    pub fn with_array_store(mut self, store: crate::store::ArrayStore) -> Self {
        self.store = store;
        self
    }

    /// Whether inserts sync their files to disk before making the item visible (default
    /// `true`). Without it inserts are much faster; a crashed *process* still loses nothing, but
    /// a power failure may lose the latest inserts. For scratch data and tests.
    #[must_use]
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// // Scratch results: faster inserts, still safe against a crash of the process.
    /// let ds = persist_core::DataSet::create(dir.path().join("scratch"))?.with_sync(false);
    /// ds.insert("x", &1, &())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_sync(mut self, sync: bool) -> Self {
        self.sync = sync;
        self
    }

    /// Read items and metadata with `options` (modules to trust, the expansion budget, the HDF5
    /// limit); see [`ReadOptions`](crate::read::ReadOptions).
    ///
    /// ```no_run
    /// use persist_core::{DataSet, ReadOptions};
    /// let sweep = DataSet::open_read_only("results/sweep")?
    ///     .with_read_options(ReadOptions::new().trust_module("mylab.models"));
    /// # Ok::<(), persist_core::DataSetError>(())
    /// ```
    pub fn with_read_options(mut self, options: crate::read::ReadOptions) -> Self {
        self.read_options = options;
        self
    }

    /// The DataSet's folder.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// assert!(ds.path().ends_with("sweep"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Whether writes through this handle are possible: `false` for
    /// [`open_read_only`](DataSet::open_read_only) and for a folder not laid out as this crate
    /// writes DataSets.
    ///
    /// ```no_run
    /// use persist_core::DataSet;
    /// // A DataSet written by the original Python package: read-only, never changed.
    /// let old = DataSet::open("results/from_python")?;
    /// assert!(!old.is_writable());
    /// for name in old.items()? {
    ///     let values: Vec<f64> = old.read(&name)?;
    /// }
    /// # Ok::<(), persist_core::DataSetError>(())
    /// ```
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// Insert `value` as item `name`, with its metadata `info` (what Python sees in
    /// `_info_dict[name]`).
    ///
    /// All or nothing: the item and its metadata are written under temporary names first; then,
    /// under the lock, they are renamed into place with the metadata last (the item is listed
    /// once it is complete). If a step fails, the steps before it are undone and the error says
    /// so; a process killed at any step leaves every listed item intact.
    ///
    /// # Errors
    /// A read-only handle; an invalid name; an item of that name exists; the lock times out; a
    /// value cannot be written; a file system step fails ([`DataSetError::Interrupted`]).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// ds.insert("run_0", &vec![1.0, 2.0], &BTreeMap::from([("alpha", 0.5)]))?;
    /// assert!(ds.insert("run_0", &vec![3.0], &()).is_err()); // taken: remove it first
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert<T: Persist + ?Sized, I: Persist + ?Sized>(
        &self,
        name: &str,
        value: &T,
        info: &I,
    ) -> Result<(), DataSetError> {
        self.check_writable("insert an item")?;
        self.check_item_name(name)?;
        // Write everything under temporary names first, without holding the lock: a bad value
        // or a full disk fails here, before anything visible changes.
        let staging = self.staging()?;
        self.write_item(staging.path(), name, value)?;
        self.write_info(staging.path(), name, info)?;
        fault::point("dataset-insert-staged").map_err(|source| {
            self.interrupted(name, "insert", staging.path(), source, NOTHING_CHANGED)
        })?;
        let _lock = self.lock()?;
        if self.contains(name) {
            return Err(DataSetError::ItemExists {
                path: self.dir.clone(),
                name: name.to_owned(),
            });
        }
        let info_path = self.info_path(name);
        if fs::symlink_metadata(&info_path).is_ok() {
            return Err(self.interrupted(
                name,
                "insert",
                &info_path,
                std::io::Error::other("it exists but is not a metadata file; remove it by hand"),
                NOTHING_CHANGED,
            ));
        }
        // What the index will hold (read now: the file is renamed below).
        let info_text = fs::read_to_string(staging.path().join("info.py")).ok();
        let mark = self.mark_pending(name, "insert", NOTHING_CHANGED)?;
        let mut journal = Journal::default();
        let result = (|| {
            // Files of an insert killed before its metadata was written: never listed, kept
            // aside until this insert is complete.
            for file in item_files(name) {
                let path = self.dir.join(&file);
                if fs::symlink_metadata(&path).is_ok() {
                    journal.rename(
                        "dataset-insert-aside",
                        &path,
                        &staging.path().join(format!(".old-{file}")),
                    )?;
                }
            }
            // The item's arrays, in whichever store's file or folder they are.
            for data in crate::store::array_parts(name, true) {
                if staging.path().join(&data).exists() {
                    journal.rename(
                        "dataset-insert-data",
                        &staging.path().join(&data),
                        &self.dir.join(&data),
                    )?;
                }
            }
            journal.rename(
                "dataset-insert-item",
                &staging.path().join(format!("{name}.py")),
                &self.dir.join(format!("{name}.py")),
            )?;
            // The metadata file makes the item visible: it goes last.
            journal.rename(
                "dataset-insert-info",
                &staging.path().join("info.py"),
                &info_path,
            )
        })();
        if let Err((file, source)) = result {
            let outcome = journal.undo();
            Self::unmark(mark);
            return Err(self.interrupted(name, "insert", &file, source, outcome));
        }
        if self.sync {
            sync_dir(&self.dir);
            sync_dir(&self.dir.join(INFO_DIR));
        }
        self.record_change(staging.path(), name, info_text.as_deref());
        Ok(())
    }

    // ----- internals --------------------------------------------------------------------------

    fn info_path(&self, name: &str) -> PathBuf {
        self.dir.join(INFO_DIR).join(format!("{name}.py"))
    }

    fn check_writable(&self, action: &'static str) -> Result<(), DataSetError> {
        self.check_layout(action)?;
        if self.writable {
            Ok(())
        } else {
            Err(DataSetError::ReadOnly {
                path: self.dir.clone(),
                action,
            })
        }
    }

    fn check_layout(&self, action: &'static str) -> Result<(), DataSetError> {
        match &self.foreign {
            None => Ok(()),
            Some(reason) => Err(DataSetError::ForeignLayout {
                path: self.dir.clone(),
                action,
                reason: reason.clone(),
            }),
        }
    }

    /// Every method checks the name before it touches the file system: a name is a Python
    /// identifier, so it can never be a path (`../victim`).
    fn check_item_name(&self, name: &str) -> Result<(), DataSetError> {
        match layout::item_name_problem(name) {
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

    fn interrupted(
        &self,
        name: &str,
        action: &'static str,
        file: &Path,
        source: std::io::Error,
        outcome: &'static str,
    ) -> DataSetError {
        DataSetError::Interrupted {
            path: self.dir.clone(),
            name: name.to_owned(),
            action,
            file: file.to_path_buf(),
            outcome,
            source,
        }
    }

    /// A temporary folder inside the DataSet, with the lock that tells a later writer whether
    /// its writer still runs (see [`staging`]).
    fn staging(&self) -> Result<Staging, DataSetError> {
        Staging::new_in(&self.dir, TEMP_PREFIX)
            .map_err(io("create a temporary folder in", &self.dir))
    }

    /// `ITEM.py` (ending with the `sys.modules` replacement) and its arrays (`ITEM_data/` or
    /// the store's `ITEM_data...` file) in `staging`.
    fn write_item<T: Persist + ?Sized>(
        &self,
        staging: &Path,
        name: &str,
        value: &T,
    ) -> Result<(), DataSetError> {
        let mut archive = Archive::local()
            .with_array_threshold(self.threshold)
            .with_array_store(self.store.clone())
            .with_sync(self.sync);
        archive
            .insert(name, value)
            .map_err(|e| self.write_error(name, e))?;
        archive
            .save_dataset_item(
                &staging.join(format!("{name}.py")),
                &self.dir.join(format!("{name}.py")),
            )
            .map_err(|e| self.write_error(name, e))
    }

    /// `info.py` in `staging`: a module whose item `info` is the metadata.
    fn write_info<I: Persist + ?Sized>(
        &self,
        staging: &Path,
        name: &str,
        info: &I,
    ) -> Result<(), DataSetError> {
        let mut archive = Archive::local().with_sync(self.sync);
        archive
            .insert("info", info)
            .map_err(|e| self.write_error(name, e))?;
        archive
            .save_inline_module(&staging.join("info.py"), &self.info_path(name))
            .map_err(|e| self.write_error(name, e))
    }

    /// Take the DataSet's exclusive lock, waiting at most the lock timeout.
    fn lock(&self) -> Result<fs::File, DataSetError> {
        layout::lock(&self.dir, self.lock_timeout)
    }
}

#[cfg(test)]
mod tests;
