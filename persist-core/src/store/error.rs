//! [`StoreError`]: why a store refused an array while reading or checking it, with the file (or
//! the array inside it) it is about. The reading layer turns it into
//! `ReadErrorKind::ArrayFile`, the verifier into `LoadError::Module`; both show the path, then
//! the reason.

use std::path::{Path, PathBuf};

/// A refusal of a store while reading or checking an array. `Display` is the reason alone;
/// [`path`](StoreError::path) is where.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    /// The array's name is not one the store writes (a separator, a leading dot, another
    /// extension): nothing was opened.
    #[error("not a plain {what} name of the archive's {within}")]
    Name {
        /// The file or array named.
        path: PathBuf,
        /// What the name should be: "`.npy` file", "member".
        what: &'static str,
        /// What it should be inside: "array folder", "npz file".
        within: &'static str,
    },
    /// The file cannot be opened safely: a symbolic link, a FIFO or device, a folder that is
    /// not plain (the platform's file checks).
    #[error("{reason}")]
    Unsafe {
        /// The file or folder.
        path: PathBuf,
        /// Why, as the platform's file checks say it.
        reason: String,
    },
    /// The file could not be read.
    #[error("{source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file or the array is not what the store writes: a header, metadata, member or size
    /// the store refuses, or an array it does not hold.
    #[error("{reason}")]
    Refused {
        /// The file, or the array's path inside it (`NAME_data.h5/run/field`).
        path: PathBuf,
        /// What is wrong, naming what was expected.
        reason: String,
    },
    /// Reading the store needs a cargo feature this build lacks.
    #[error(
        "the archive stores this array in {store}; enable persist-core's `{feature}` feature to {action} it"
    )]
    NeedsFeature {
        /// The store's file, or the array inside it.
        path: PathBuf,
        /// The store: "HDF5", "Zarr".
        store: &'static str,
        /// The feature: "hdf5", "zarr".
        feature: &'static str,
        /// "read" or "check".
        action: &'static str,
    },
}

impl StoreError {
    /// A refusal of what the file or array at `path` holds.
    pub(crate) fn refused(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        StoreError::Refused {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// A file at `path` that the platform's file checks refuse, for `reason`.
    pub(crate) fn unsafe_file(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        StoreError::Unsafe {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// The file (or the array inside it) the error is about.
    pub(crate) fn path(&self) -> &Path {
        match self {
            StoreError::Name { path, .. }
            | StoreError::Unsafe { path, .. }
            | StoreError::Io { path, .. }
            | StoreError::Refused { path, .. }
            | StoreError::NeedsFeature { path, .. } => path,
        }
    }
}
