//! Where an archive's large arrays go: the user's choice ([`ArrayStore`]) and the sink that
//! writes them while the archive is saved ([`ArraySink`]).
//!
//! - npy (the default, `npy.rs`): one `.npy` file per array in `NAME/_arrays/` (package) or
//!   `NAME_arrays/` (module).
//! - HDF5 (feature `hdf5`, `hdf5.rs`): every array in one file, `NAME/_data.h5` or `NAME_data.h5`,
//!   one dataset per array named after its item path.

mod npy;

#[cfg(feature = "hdf5")]
mod hdf5;

use std::path::Path;

use ndarray::{ArrayBase, Data, Dimension};

#[cfg(feature = "hdf5")]
pub use self::hdf5::Hdf5Options;
#[cfg(feature = "hdf5")]
use self::hdf5::Hdf5Store;
#[cfg(feature = "hdf5")]
pub use self::hdf5::{HDF5_MAX_EXPANSION, HDF5_MIN_READ_LIMIT};
#[cfg(feature = "hdf5")]
pub(crate) use self::hdf5::{check_path as check_dataset, read_checked};
pub(crate) use self::npy::NpyStore;
use crate::archive::Layout;
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};

/// Where an archive saves the arrays that are above its threshold
/// ([`Archive::with_array_threshold`](crate::Archive::with_array_threshold)); smaller arrays are
/// always written inline in the source.
///
/// Chosen per archive with [`Archive::with_array_store`](crate::Archive::with_array_store).
///
/// ```
/// use persist_core::{Archive, ArrayStore};
/// let archive = Archive::new().with_array_store(ArrayStore::Npy);
/// assert_eq!(archive.array_store(), &ArrayStore::default());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ArrayStore {
    /// One `.npy` file per array: `NAME/_arrays/` for a package, `NAME_arrays/` beside a module
    /// `NAME.py`. Python needs only numpy. The default.
    #[default]
    Npy,
    /// Every array in one HDF5 file: `NAME/_data.h5` for a package, `NAME_data.h5` beside a
    /// module `NAME.py`, one dataset per array named after its item path
    /// (`run/fields/temperature`). Python needs h5py. Feature `hdf5`.
    ///
    /// ```no_run
    /// use persist_core::{Archive, ArrayStore, Hdf5Options, SaveOptions};
    /// let field = ndarray::Array3::<f32>::zeros((256, 256, 256));
    /// let mut archive = Archive::new()
    ///     .with_array_store(ArrayStore::Hdf5(Hdf5Options::default().gzip(4)));
    /// archive.insert("field", &field)?;
    /// archive.save("run_1", SaveOptions::package())?;
    /// // python3 -c "import run_1; print(run_1.field.shape)"
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    #[cfg(feature = "hdf5")]
    Hdf5(Hdf5Options),
}

/// The names of the parts of a module archive `NAME.py` that hold its arrays, beside it: every
/// store's, so that saving with one store replaces what another store left.
pub(crate) fn module_array_parts(name: &str) -> [String; 2] {
    [format!("{name}_arrays"), format!("{name}_data.h5")]
}

/// Where the arrays of an archive go while it is written.
#[derive(Debug)]
pub(crate) enum ArraySink {
    /// Every array inline in the source.
    Inline,
    /// Arrays above the threshold as `.npy` files.
    Npy(NpyStore),
    /// Arrays above the threshold as datasets of one HDF5 file.
    #[cfg(feature = "hdf5")]
    Hdf5(Hdf5Store),
}

impl ArraySink {
    /// The sink of an archive `name` being saved into the folder `staging` (which becomes the
    /// package, or holds the module's files until they are renamed into place).
    pub(crate) fn for_save(
        store: &ArrayStore,
        layout: Layout,
        staging: &Path,
        name: &str,
        threshold: usize,
    ) -> Self {
        // The Python expression that finds a file or folder beside (module) or inside (package)
        // the archive's source, at import time.
        let beside = |suffix: &str, file_name: &str| match layout {
            Layout::Module => (
                staging.join(format!("{name}{suffix}")),
                crate::python::prelude::beside_source(&format!("{name}{suffix}")),
            ),
            Layout::Package => (
                staging.join(file_name),
                crate::python::prelude::beside_source(file_name),
            ),
        };
        match store {
            ArrayStore::Npy => {
                let (dir, expr) = beside("_arrays", "_arrays");
                ArraySink::Npy(NpyStore::new(dir, expr, threshold))
            }
            #[cfg(feature = "hdf5")]
            ArrayStore::Hdf5(options) => {
                let (file, expr) = beside("_data.h5", "_data.h5");
                ArraySink::Hdf5(Hdf5Store::new(file, expr, threshold, *options))
            }
        }
    }

    /// Store `array` externally if this sink does so for its size; the name `_load` takes if it
    /// did.
    pub(crate) fn store<A, S, D>(
        &mut self,
        path: impl FnOnce() -> Vec<String>,
        array: &ArrayBase<S, D>,
    ) -> Result<Option<String>, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        match self {
            ArraySink::Npy(store) if array.len() > store.threshold => {
                store.store(&path(), array).map(Some)
            }
            #[cfg(feature = "hdf5")]
            ArraySink::Hdf5(store) if array.len() > store.threshold() => {
                store.store(&path(), array).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Python lines defining `_load(name)` (and what it needs), if any array was stored.
    pub(crate) fn loader(&self) -> Option<String> {
        match self {
            ArraySink::Npy(store) if store.has_files() => Some(store.loader()),
            #[cfg(feature = "hdf5")]
            ArraySink::Hdf5(store) if store.has_files() => Some(store.loader()),
            _ => None,
        }
    }

    /// The helper names [`loader`](ArraySink::loader) defines.
    pub(crate) fn loader_names(&self) -> &'static [&'static str] {
        match self {
            #[cfg(feature = "hdf5")]
            ArraySink::Hdf5(_) => Hdf5Store::LOADER_NAMES,
            _ => &["_os", "_arrays", "_load"],
        }
    }

    /// Whether Python needs h5py to import the archive.
    pub(crate) fn needs_h5py(&self) -> bool {
        match self {
            #[cfg(feature = "hdf5")]
            ArraySink::Hdf5(store) => store.has_files(),
            _ => false,
        }
    }

    /// Whether any array went to an external file.
    pub(crate) fn has_files(&self) -> bool {
        match self {
            ArraySink::Inline => false,
            ArraySink::Npy(store) => store.has_files(),
            #[cfg(feature = "hdf5")]
            ArraySink::Hdf5(store) => store.has_files(),
        }
    }

    /// Finish writing: close and sync what is still open. Whether any array went to a file.
    pub(crate) fn close(self) -> Result<bool, ArchiveError> {
        match self {
            #[cfg(feature = "hdf5")]
            ArraySink::Hdf5(store) => store.close(),
            sink => Ok(sink.has_files()),
        }
    }
}
