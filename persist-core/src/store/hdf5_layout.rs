//! What the HDF5 store (feature `hdf5`) and its stand-in without the feature agree on, so that
//! an HDF5 archive is recognised and verified the same either way: the name its source binds,
//! the helper names and texts it defines, and where its file is.

use crate::python::names;
use crate::python::prelude::{HDF5_LOAD_EAGER, HDF5_LOAD_LAZY};

/// The name the source binds to the HDF5 file's path (`_data`).
pub(super) const PATH_NAME: &str = names::DATA;

/// The names the store's loader defines.
pub(super) const LOADER_NAMES: &[&str] = &[names::OS, names::H5PY, names::DATA, names::LOAD];

/// What the archive's header says Python needs.
pub(super) const NEEDS: &str = "numpy and h5py are needed";

/// The `_load` texts of every format: eager and lazy.
pub(super) const LOAD_DEFS: &[&str] = &[HDF5_LOAD_EAGER, HDF5_LOAD_LAZY];

/// `NAME_data.h5`, `_data.h5`, and for a DataSet item `ITEM_data.h5` too.
pub(super) fn file_name(base: &str) -> String {
    format!("{base}_data.h5")
}
