//! [`DataSetError`]: what can go wrong in a DataSet operation.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::ArchiveError;
use crate::read::LoadError;

/// An error of a [`DataSet`](crate::DataSet) operation.
///
/// ```
/// use persist_core::{DataSet, DataSetError};
/// let dir = tempfile::tempdir()?;
/// let ds = DataSet::create(dir.path().join("sweep"))?;
/// let err = ds.read::<u8>("missing").unwrap_err();
/// assert!(matches!(err, DataSetError::NoItem { .. }), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(thiserror::Error)]
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
    /// The DataSet's name is a module of Python's standard library, or one numpy, h5py or zarr
    /// imports: a Python started in its parent folder would import the DataSet for every
    /// `import NAME`. Item names are submodules and shadow nothing (`time` is a fine item).
    ///
    /// ```
    /// use persist_core::{DataSet, DataSetError};
    /// let dir = tempfile::tempdir()?;
    /// let err = DataSet::create(dir.path().join("signal")).unwrap_err();
    /// assert!(matches!(err, DataSetError::ShadowsModule { ref name, .. } if name == "signal"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[error(
        "cannot create DataSet {path}: its name `{name}` is {owner}, and a Python started in its parent folder would import the DataSet for every `import {name}`; choose another name (for example `{name}_sweep`)"
    )]
    ShadowsModule {
        /// The DataSet.
        path: PathBuf,
        /// Its name, which is the module's.
        name: String,
        /// Whose module it is ("a module of Python's standard library", ...).
        owner: &'static str,
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
    /// A write to a folder that has the DataSet marker but not this crate's layout (the original
    /// Python package's DataSet, a half-copied folder): it is opened read-only so that nothing in
    /// it is damaged.
    #[error(
        "cannot {action} in DataSet {path}: {reason}; it is not laid out as persist-core writes \
         DataSets, so it was opened read-only and nothing in it was changed"
    )]
    ForeignLayout {
        /// The DataSet.
        path: PathBuf,
        /// What was attempted.
        action: &'static str,
        /// What is missing or different.
        reason: String,
    },
    /// An insert, metadata update or removal failed part way; what it had changed was undone.
    #[error(
        "cannot {action} `{name}` in DataSet {path}: {}: {source}; {outcome}",
        file.display()
    )]
    Interrupted {
        /// The DataSet.
        path: PathBuf,
        /// The item.
        name: String,
        /// What was attempted.
        action: &'static str,
        /// The file of the step that failed.
        file: PathBuf,
        /// Whether the previous state was restored.
        outcome: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file of the DataSet's own (the lock file) is a symbolic link, a folder, a FIFO or a
    /// device instead of a regular file.
    #[error("refusing {path}: {what}; it must be a regular file")]
    NotAFile {
        /// The file.
        path: PathBuf,
        /// What it is.
        what: &'static str,
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

pub(super) fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> DataSetError {
    let path = path.to_path_buf();
    move |source| DataSetError::Io {
        action,
        path,
        source,
    }
}

crate::error::debug_is_the_message!(DataSetError);
