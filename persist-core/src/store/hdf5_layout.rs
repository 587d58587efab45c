//! What the HDF5 store (feature `hdf5`) and its stand-in without the feature agree on, so that
//! an HDF5 archive is recognised and verified the same either way: the name its source binds,
//! the helper names and texts it defines, and where its file is.

use super::StoreLimits;
use super::missing::Gated;
use super::traits::{Opener, StoreLayout};
use crate::python::names;

/// `_load(name)` of the HDF5 store, eager: reads the dataset `name` of the file `_data` into
/// numpy and closes the file.
pub(crate) const HDF5_LOAD_EAGER: &str = "def _load(name):
    with _h5py.File(_data, 'r') as f:
        d = f[name]
        a = _np.asarray(d[()])
        if d.attrs.get('fortran_order', False):
            a = _np.asfortranarray(a)
    return a
";

/// `_load(name)` of the HDF5 store, lazy: the dataset `name` of the open file `_data`.
pub(crate) const HDF5_LOAD_LAZY: &str = "def _load(name):
    return _data[name]
";

/// The HDF5 store's layout.
#[derive(Debug)]
pub(crate) struct Hdf5Layout;

impl StoreLayout for Hdf5Layout {
    const WHAT: &'static str = "HDF5";
    /// `_data`: the HDF5 file's path (or, lazy, the open file).
    const PATH_NAME: &'static str = names::DATA;
    const LOADER_NAMES: &'static [&'static str] =
        &[names::OS, names::H5PY, names::DATA, names::LOAD];
    const NEEDS: &'static str = "numpy and h5py are needed";
    const FIRST_FORMAT: u32 = crate::format::OLDEST_FORMAT;
    const OPENER: Option<Opener> = Some(Opener {
        call: "_h5py.File",
        mode: "r",
        module: (names::H5PY, "h5py"),
    });

    /// The `_load` texts of every format: eager and lazy.
    fn load_defs(_format: u32) -> &'static [&'static str] {
        &[HDF5_LOAD_EAGER, HDF5_LOAD_LAZY]
    }

    /// `NAME_data.h5`, `_data.h5`, and for a DataSet item `ITEM_data.h5` too.
    fn file_name(base: &str, _item: bool) -> String {
        format!("{base}_data.h5")
    }

    fn max_bytes(limits: &StoreLimits) -> Option<u64> {
        limits.hdf5
    }
}

impl Gated for Hdf5Layout {
    const FEATURE: &'static str = "hdf5";
}
