//! What the Zarr store (feature `zarr`) and its stand-in without the feature agree on, so that a
//! Zarr archive is recognised and verified the same either way: the name its source binds, the
//! helper names and text it defines, and where its group is.

use super::StoreLimits;
use super::missing::Gated;
use super::traits::StoreLayout;
use crate::python::names;

/// `_load(name)` of the Zarr store: the array `name` of the Zarr group `_arrays`, opened
/// read-only and lazily (a `zarr.Array`: no data is read until it is indexed).
pub(crate) const ZARR_LOAD: &str = "def _load(name):
    return _zarr.open_array(_arrays, path=name, mode='r', zarr_format=3)
";

/// The Zarr store's layout.
#[derive(Debug)]
pub(crate) struct ZarrLayout;

impl StoreLayout for ZarrLayout {
    const WHAT: &'static str = "Zarr";
    /// `_arrays`: the path of the Zarr group (the npy and npz stores bind it too; the reader
    /// tells them apart by the file name it names and by `_load`).
    const PATH_NAME: &'static str = names::ARRAYS;
    const LOADER_NAMES: &'static [&'static str] =
        &[names::OS, names::ZARR, names::ARRAYS, names::LOAD];
    const NEEDS: &'static str = "numpy and zarr 3 are needed";
    const FIRST_FORMAT: u32 = crate::format::FORMAT_WITH_ZARR;

    fn load_defs(format: u32) -> &'static [&'static str] {
        if format >= Self::FIRST_FORMAT {
            &[ZARR_LOAD]
        } else {
            &[]
        }
    }

    /// `NAME_arrays.zarr` beside a module, `_arrays.zarr` in a package, `ITEM_data.zarr` for a
    /// DataSet item.
    fn file_name(base: &str, item: bool) -> String {
        if item {
            format!("{base}_data.zarr")
        } else {
            format!("{base}_arrays.zarr")
        }
    }

    fn max_bytes(limits: &StoreLimits) -> Option<u64> {
        limits.zarr
    }
}

impl Gated for ZarrLayout {
    const FEATURE: &'static str = "zarr";
}
