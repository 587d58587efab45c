//! Array stores: where an archive's large arrays go, behind three traits (`traits.rs`: the
//! layout a store declares, its writing side, its reading side), and the registry of every
//! store this crate has (`registry.rs`, one line per store).
//!
//! Each store is one module that owns everything about its files: how an array is written, the
//! Python `_load` helper the archive defines to load it, the helper value naming its file or
//! folder (`_arrays`, `_data`), how Rust reads an array back with its safety checks, and what
//! [`verify`](crate::verify) checks. Archives, DataSets and the reader know only this module:
//! [`ArrayStore`] (the user's choice), [`ArraySink`] (writing, `sink.rs`), [`StoreKind`]
//! (reading, decided from what an archive's source binds) and [`Place`] (where an archive's
//! files are).
//!
//! - npy (the default, `npy.rs`): one `.npy` file per array in `NAME/_arrays/` (package) or
//!   `NAME_arrays/` (module).
//! - npz (`npz.rs`): every array a member of one `NAME/_arrays.npz` or `NAME_arrays.npz`.
//! - HDF5 (feature `hdf5`, `hdf5.rs`): every array in one file, `NAME/_data.h5` or `NAME_data.h5`,
//!   one dataset per array named after its item path.
//! - Zarr v3 (feature `zarr`, `zarr.rs`): every array in one Zarr group, `NAME/_arrays.zarr` or
//!   `NAME_arrays.zarr`, one chunked array per item path.
//!
//! A store behind a feature has a stand-in without it (`missing.rs`), which recognises its
//! archives and refuses to read them with a message naming the feature.

mod error;
mod missing;
mod npy;
mod npz;
mod registry;
mod sink;
pub(crate) mod stream;
pub(crate) mod traits;

#[cfg(feature = "hdf5")]
mod hdf5;
mod hdf5_layout;
#[cfg(feature = "zarr")]
mod zarr;
mod zarr_layout;

use std::path::PathBuf;

#[cfg(feature = "hdf5")]
pub use self::hdf5::Hdf5Options;
#[cfg(feature = "hdf5")]
pub(crate) use self::hdf5::Hdf5Store;
#[cfg(feature = "hdf5")]
pub use self::hdf5::{HDF5_MAX_EXPANSION, HDF5_MIN_READ_LIMIT};
#[cfg(not(feature = "hdf5"))]
pub(crate) type Hdf5Store = missing::Missing<hdf5_layout::Hdf5Layout>;
#[cfg(feature = "zarr")]
pub(crate) use self::zarr::ZarrStore;
#[cfg(feature = "zarr")]
pub(crate) use self::zarr::parts as zarr_parts;
#[cfg(feature = "zarr")]
pub use self::zarr::{
    ZARR_MAX_CHUNK_BYTES, ZARR_MAX_CHUNKS, ZARR_READ_LIMIT, ZarrCompression, ZarrOptions, ZarrPart,
    ZarrParts,
};
#[cfg(not(feature = "zarr"))]
pub(crate) type ZarrStore = missing::Missing<zarr_layout::ZarrLayout>;
pub(crate) use self::error::StoreError;
pub(crate) use self::registry::{Open, StoreKind};
pub(crate) use self::sink::ArraySink;

/// Where an archive saves the arrays that are above its threshold
/// ([`Archive::with_array_threshold`](crate::Archive::with_array_threshold)); smaller arrays are
/// always written inline in the source.
///
/// Chosen per archive with [`Archive::with_array_store`](crate::Archive::with_array_store), per
/// DataSet with [`DataSet::with_array_store`](crate::DataSet::with_array_store).
///
/// ```
/// use persist_core::{Archive, ArrayStore};
/// let archive = Archive::new().with_array_store(ArrayStore::Npz);
/// assert_eq!(archive.array_store(), &ArrayStore::Npz);
/// assert_eq!(ArrayStore::default(), ArrayStore::Npy);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ArrayStore {
    /// One `.npy` file per array: `NAME/_arrays/` for a package, `NAME_arrays/` beside a module
    /// `NAME.py`. Python needs only numpy. The default.
    #[default]
    Npy,
    /// As [`Npy`](ArrayStore::Npy), and Python maps the files read-only instead of reading
    /// them (`numpy.load(..., mmap_mode='r')`): arrays are lazy (pages are read when touched),
    /// shared between processes that open the same archive, and may be larger than memory.
    /// They are `numpy.memmap` objects that cannot be written to. Rust reads the archive as any
    /// npy archive. An archive with such arrays is format 4.
    ///
    /// ```
    /// use persist_core::{Archive, ArrayStore, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let mut archive = Archive::new().with_array_store(ArrayStore::NpyMmap);
    /// archive.insert("field", ndarray::Array1::<f64>::zeros(1000))?;
    /// archive.save(dir.path().join("run"), SaveOptions::package())?;
    /// let source = std::fs::read_to_string(dir.path().join("run/__init__.py"))?;
    /// assert!(source.contains("mmap_mode='r'"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    NpyMmap,
    /// Every array a member of one `.npz` file, numpy's own single-file format (what
    /// `numpy.savez` writes, uncompressed): `NAME/_arrays.npz` for a package, `NAME_arrays.npz`
    /// beside a module `NAME.py`. Python needs only numpy. One file to copy or mail instead of
    /// a folder of many.
    ///
    /// ```no_run
    /// use persist_core::{Archive, ArrayStore, SaveOptions};
    /// let field = ndarray::Array2::<f64>::zeros((512, 512));
    /// let mut archive = Archive::new().with_array_store(ArrayStore::Npz);
    /// archive.insert("field", &field)?;
    /// archive.save("run_1", SaveOptions::package())?; // run_1/__init__.py, run_1/_arrays.npz
    /// // python3 -c "import run_1; print(run_1.field.shape)"
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    Npz,
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
    /// Every array in one Zarr v3 group: `NAME/_arrays.zarr` for a package, `NAME_arrays.zarr`
    /// beside a module `NAME.py`, one chunked, compressed array per item path (`run.field`).
    /// Python gets lazy `zarr.Array` objects (no data read until indexed), which dask
    /// (`dask.array.from_zarr`) and xarray (`xarray.open_zarr` of the group) read in parallel;
    /// Python needs zarr 3. For arrays larger than memory, and with
    /// [`Build::stream`](crate::Build::stream), written slab by slab. Feature `zarr`.
    ///
    /// ```no_run
    /// use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions};
    /// let field = ndarray::Array3::<f64>::zeros((100, 256, 256));
    /// let mut archive = Archive::new()
    ///     .with_array_store(ArrayStore::Zarr(ZarrOptions::default().dimension_names("field", ["t", "y", "x"])));
    /// archive.insert("field", &field)?;
    /// archive.save("run_1", SaveOptions::package())?; // run_1/__init__.py, run_1/_arrays.zarr
    /// // python3 -c "import run_1, dask.array as da; print(da.from_zarr(run_1.field).mean().compute())"
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    #[cfg(feature = "zarr")]
    Zarr(ZarrOptions),
    /// A registered store by its name, for the stores without a variant of their own: the
    /// ones only this crate's tests register (`store/memory.rs`).
    #[cfg(test)]
    #[doc(hidden)]
    Named(&'static str),
}

/// Where an archive's source is, as the stores need it to name their files: the folder that
/// holds the source, and the name the stores' file names start with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The package folder, the folder of a module archive, or the DataSet's (staging) folder.
    pub dir: PathBuf,
    /// `NAME` for a module archive `NAME.py`, `ITEM` for a DataSet item, empty for a package.
    pub base: String,
    /// A DataSet item, whose arrays are named `ITEM_data...` as the original `persist` did.
    pub item: bool,
    /// A module archive whose arrays are under their second name ([`second_name`]).
    pub second: bool,
}

impl Place {
    /// The file or folder name of `kind` at this place.
    pub(crate) fn file_name(&self, kind: StoreKind) -> String {
        self.file_name_as(kind, self.second)
    }

    /// The file or folder name of `kind` at this place, under its [`second_name`] if `second`.
    pub(crate) fn file_name_as(&self, kind: StoreKind, second: bool) -> String {
        let name = kind.file_name(&self.base, self.item);
        if second { second_name(&name) } else { name }
    }

    /// The file or folder of `kind` at this place.
    pub(crate) fn path_of(&self, kind: StoreKind) -> PathBuf {
        self.dir.join(self.file_name(kind))
    }
}

/// The second name of a module archive's array file or folder (format 7): `NAME_arrays.2`,
/// `NAME_arrays.2.npz`, `NAME_data.2.h5`, `NAME_arrays.2.zarr`.
///
/// A module archive is two paths, `NAME.py` and its arrays. An overwrite writes its arrays under
/// the name the archive on disk does not use, renames them in beside the old ones, and only then
/// swaps the source: at every moment `NAME.py` names arrays that are there and are its own
/// (`archive/target.rs`). A fresh archive uses the first name, as formats before 7 did.
pub(crate) fn second_name(file_name: &str) -> String {
    match file_name.split_once('.') {
        Some((stem, extension)) => format!("{stem}.2.{extension}"),
        None => format!("{file_name}.2"),
    }
}

/// The reader's limits on the memory one array of a compressed store may take
/// ([`ReadOptions::hdf5_limit`](crate::ReadOptions::hdf5_limit),
/// [`ReadOptions::zarr_limit`](crate::ReadOptions::zarr_limit)); `None` is the store's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StoreLimits {
    pub hdf5: Option<u64>,
    pub zarr: Option<u64>,
}

#[cfg_attr(not(any(feature = "hdf5", feature = "zarr")), allow(dead_code))]
/// Chunks hold about this many bytes by default (the last chunk along an axis may be partly
/// empty).
pub(crate) const CHUNK_BYTES: usize = 1 << 20;

/// The chunk shape of an array of `shape`: the shape, its axes halved in turn from the first
/// (rounding up) until a chunk holds at most `chunk_bytes` bytes or is a single element.
#[cfg_attr(not(any(feature = "hdf5", feature = "zarr")), allow(dead_code))]
pub(crate) fn chunk_shape(shape: &[usize], element_size: usize, chunk_bytes: usize) -> Vec<usize> {
    let mut chunk = shape.to_vec();
    let mut axis = 0;
    while chunk.iter().product::<usize>() * element_size > chunk_bytes
        && chunk.iter().any(|&n| n > 1)
    {
        chunk[axis] = chunk[axis].div_ceil(2);
        axis = (axis + 1) % chunk.len();
    }
    chunk
}

/// The elements of `view` in C order: its own memory when that is contiguous in C order, else
/// a copy (what the stores write slabs and bands from).
pub(crate) fn c_order<'a, A: Copy>(
    view: &'a ndarray::ArrayViewD<'_, A>,
) -> std::borrow::Cow<'a, [A]> {
    match view.as_slice() {
        Some(slice) => std::borrow::Cow::Borrowed(slice),
        None => std::borrow::Cow::Owned(view.iter().copied().collect()),
    }
}

/// The file and folder names every store may use beside the source at `base` (see
/// [`StoreLayout::file_name`](traits::StoreLayout::file_name)), so that saving with one store replaces what another store left.
pub(crate) fn array_parts(base: &str, item: bool) -> Vec<String> {
    StoreKind::ALL
        .iter()
        .map(|kind| kind.file_name(base, item))
        .collect()
}

/// [`array_parts`] of the module archive `NAME.py`, under their first and their
/// [`second_name`].
pub(crate) fn module_array_parts(base: &str) -> Vec<String> {
    let first = array_parts(base, false);
    let second = first
        .iter()
        .map(|name| second_name(name))
        .collect::<Vec<_>>();
    first.into_iter().chain(second).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_store_load_text_defines_load() {
        for format in crate::format::OLDEST_FORMAT..=crate::format::FORMAT_VERSION {
            for store in StoreKind::ALL {
                for text in store.load_defs(format) {
                    let def = format!("def {}(", crate::python::names::LOAD);
                    assert!(text.starts_with(&def), "{store:?}: {text}");
                }
            }
        }
    }

    #[test]
    fn chunks_hold_at_most_a_mebibyte() {
        let chunk = |shape: &[usize], size| chunk_shape(shape, size, CHUNK_BYTES);
        assert_eq!(chunk(&[10, 10], 8), vec![10, 10]);
        assert_eq!(chunk(&[1024, 1024], 8), vec![256, 512]);
        assert_eq!(chunk(&[1 << 30], 1), vec![1 << 20]);
        assert_eq!(chunk(&[3, 1 << 20], 16), vec![1, 1 << 16]);
        assert_eq!(chunk_shape(&[1024, 1024], 8, 4 << 20), vec![512, 1024]);
    }
}
