//! The Zarr v3 array store (feature `zarr`): every external array of an archive in one Zarr
//! group beside the source (`NAME/_arrays.zarr`, `NAME_arrays.zarr`, `ITEM_data.zarr`), one
//! array per item path, written with the `zarrs` crate.
//!
//! Layout, chosen so that a stock `pip install zarr` (3.x), dask and xarray read it:
//! - the group holds the arrays directly, each named as the npy store names its files (the item
//!   path joined by `.`, `run.field`), so `xarray.open_zarr` of the group opens them all;
//! - regular chunks of about 1 MiB ([`ZarrOptions::chunk_bytes`]; see [`super::chunk_shape`]),
//!   the default chunk key encoding (`c/0/1`), the `bytes` codec and then zstd, gzip or nothing;
//! - the array's logical shape in C order (a Fortran-ordered array is written in C order);
//! - `dimension_names` on every array (`NAME_0`, `NAME_1`, ... unless the options name them),
//!   which xarray needs;
//! - no `_zarrs` attributes, so that the same value gives the same files.
//!
//! Python's `_load` opens the array read-only and lazily (a `zarr.Array`). Reading back into
//! Rust, with the metadata checked against what this module writes and every chunk decoded
//! behind a size limit, is `zarr/read.rs`.

mod files;
mod meta;
pub(crate) mod parts;
mod read;
mod stream;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ndarray::{ArrayBase, ArrayD, ArrayView, Axis, Data, Dimension, IxDyn, Slice};
use ndarray_npy::ReadableElement;
use zarrs::array::codec::{GzipCodec, ZstdCodec};
use zarrs::array::{
    Array, ArrayBuilder, ArrayMetadataOptions, ArraySubset, BytesToBytesCodecTraits, FillValue,
};

use self::files::DeferredStore;

pub use self::parts::{ZarrPart, ZarrParts};
pub use self::read::{ZARR_MAX_CHUNKS, ZARR_READ_LIMIT};
use super::npy::unique_name;
use super::traits::{ReadStore, WriteStore};
use super::zarr_layout::ZarrLayout;
use super::{ArrayStore, StoreError};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError, WriteErrorKind};
use crate::python::encoding::excerpt;

/// The largest chunk [`ZarrOptions::chunk_bytes`] accepts (256 MiB): a chunk is held whole in
/// memory while it is encoded or decoded.
///
/// ```
/// let options = persist_core::ZarrOptions::default().chunk_bytes(persist_core::ZARR_MAX_CHUNK_BYTES);
/// assert_eq!(options.chunk_size(), 256 << 20);
/// ```
pub const ZARR_MAX_CHUNK_BYTES: usize = 256 << 20;

/// How the Zarr store compresses each chunk (after the `bytes` codec).
///
/// ```
/// use persist_core::{ZarrCompression, ZarrOptions};
/// assert_eq!(ZarrOptions::default().compression(), ZarrCompression::Zstd(3));
/// assert_eq!(ZarrOptions::default().gzip(6).compression(), ZarrCompression::Gzip(6));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZarrCompression {
    /// No compression: chunks are the array's bytes.
    None,
    /// gzip at a level from 0 to 9 (zarr-python's `GzipCodec`).
    Gzip(u8),
    /// zstd at a level from 1 to 22 (zarr-python's `ZstdCodec`, through numcodecs).
    Zstd(u8),
}

/// How the Zarr array store ([`ArrayStore::Zarr`](crate::ArrayStore::Zarr)) writes arrays.
/// Feature `zarr`.
///
/// The default: chunks of about 1 MiB, compressed with zstd at level 3 (what zarr-python itself
/// uses by default is zstd too), dimensions named after the array (`field_0`, `field_1`).
///
/// ```
/// use persist_core::ZarrOptions;
/// let options = ZarrOptions::default()
///     .chunk_bytes(4 << 20)
///     .gzip(4)
///     .dimension_names("run.field", ["time", "y", "x"]);
/// assert_eq!(options.chunk_size(), 4 << 20);
/// assert_eq!(options.names_of("run.field").unwrap(), ["time", "y", "x"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZarrOptions {
    chunk_bytes: usize,
    compression: ZarrCompression,
    dimension_names: BTreeMap<String, Vec<String>>,
    /// The approximate size of a shard, when chunks are gathered into shards.
    shard_bytes: Option<u64>,
}

impl Default for ZarrOptions {
    fn default() -> Self {
        ZarrOptions {
            chunk_bytes: super::CHUNK_BYTES,
            compression: ZarrCompression::Zstd(3),
            dimension_names: BTreeMap::new(),
            shard_bytes: None,
        }
    }
}

impl ZarrOptions {
    /// Chunks hold about `bytes` bytes (the array's axes are halved in turn, from the first,
    /// until a chunk fits; one element at least).
    ///
    /// # Panics
    /// If `bytes` is 0 or above [`ZARR_MAX_CHUNK_BYTES`].
    ///
    /// ```
    /// let options = persist_core::ZarrOptions::default().chunk_bytes(8 << 20);
    /// assert_eq!(options.chunk_size(), 8 << 20);
    /// ```
    #[must_use]
    pub fn chunk_bytes(mut self, bytes: usize) -> Self {
        assert!(
            bytes > 0 && bytes <= ZARR_MAX_CHUNK_BYTES,
            "persist: a Zarr chunk of {bytes} bytes; use 1 to {ZARR_MAX_CHUNK_BYTES} bytes"
        );
        self.chunk_bytes = bytes;
        self
    }

    /// Compress chunks with gzip at `level`, 0 (fastest) to 9 (smallest).
    ///
    /// # Panics
    /// If `level` is above 9.
    ///
    /// ```
    /// use persist_core::{ZarrCompression, ZarrOptions};
    /// assert_eq!(ZarrOptions::default().gzip(9).compression(), ZarrCompression::Gzip(9));
    /// ```
    #[must_use]
    pub fn gzip(mut self, level: u8) -> Self {
        assert!(
            level <= 9,
            "persist: gzip level {level} does not exist; use 0 (fastest) to 9 (smallest)"
        );
        self.compression = ZarrCompression::Gzip(level);
        self
    }

    /// Compress chunks with zstd at `level`, 1 (fastest) to 22 (smallest).
    ///
    /// # Panics
    /// If `level` is 0 or above 22.
    ///
    /// ```
    /// use persist_core::{ZarrCompression, ZarrOptions};
    /// assert_eq!(ZarrOptions::default().zstd(1).compression(), ZarrCompression::Zstd(1));
    /// ```
    #[must_use]
    pub fn zstd(mut self, level: u8) -> Self {
        assert!(
            (1..=22).contains(&level),
            "persist: zstd level {level} does not exist; use 1 (fastest) to 22 (smallest)"
        );
        self.compression = ZarrCompression::Zstd(level);
        self
    }

    /// Write chunks uncompressed: the fastest to write and read, the largest on disk.
    ///
    /// ```
    /// use persist_core::{ZarrCompression, ZarrOptions};
    /// let options = ZarrOptions::default().uncompressed();
    /// assert_eq!(options.compression(), ZarrCompression::None);
    /// ```
    #[must_use]
    pub fn uncompressed(mut self) -> Self {
        self.compression = ZarrCompression::None;
        self
    }

    /// Name the dimensions of the array at `item_path` (its item path joined by `.`, as the
    /// array is named: `"field"`, `"run.field"`), for xarray. Arrays not named here get
    /// `NAME_0`, `NAME_1`, ... Saving fails if the count differs from the array's dimensions.
    ///
    /// ```
    /// let options = persist_core::ZarrOptions::default().dimension_names("temperature", ["y", "x"]);
    /// assert_eq!(options.names_of("temperature").unwrap(), ["y", "x"]);
    /// ```
    #[must_use]
    pub fn dimension_names<S: Into<String>>(
        mut self,
        item_path: impl Into<String>,
        names: impl IntoIterator<Item = S>,
    ) -> Self {
        self.dimension_names.insert(
            item_path.into(),
            names.into_iter().map(Into::into).collect(),
        );
        self
    }

    /// Gather the chunks into shards of about `bytes` bytes each (Zarr's `sharding_indexed`
    /// codec, which zarr-python 3, dask and xarray read): one file (one object in object
    /// storage) per shard instead of one per chunk, so that a 10 GiB array in chunks of 1 MiB
    /// is 40 files of 256 MiB, not 10 240; chunks stay the unit of compression and of partial
    /// reads. A shard is a whole number of chunks, at most as many as fit in `bytes` (one at
    /// least), taken along the last axes first and split evenly along an axis the array spans
    /// in several shards. Writing holds one shard in memory at a time, and
    /// streamed rows and [`ZarrParts`](crate::ZarrParts) ranges align to shard edges.
    ///
    /// # Panics
    /// If `bytes` is 0.
    ///
    /// ```
    /// let options = persist_core::ZarrOptions::default().shards(256 << 20);
    /// assert_eq!(options.shard_size(), Some(256 << 20));
    /// assert_eq!(persist_core::ZarrOptions::default().shard_size(), None);
    /// ```
    #[must_use]
    pub fn shards(mut self, bytes: u64) -> Self {
        assert!(
            bytes > 0,
            "persist: a Zarr shard of 0 bytes; give its size in bytes"
        );
        self.shard_bytes = Some(bytes);
        self
    }

    /// The approximate size of a shard in bytes, when chunks are gathered into shards.
    ///
    /// ```
    /// assert_eq!(persist_core::ZarrOptions::default().shards(1 << 30).shard_size(), Some(1 << 30));
    /// ```
    pub fn shard_size(&self) -> Option<u64> {
        self.shard_bytes
    }

    /// The approximate size of a chunk in bytes.
    ///
    /// ```
    /// assert_eq!(persist_core::ZarrOptions::default().chunk_size(), 1 << 20);
    /// ```
    pub fn chunk_size(&self) -> usize {
        self.chunk_bytes
    }

    /// How chunks are compressed.
    ///
    /// ```
    /// use persist_core::{ZarrCompression, ZarrOptions};
    /// assert_eq!(ZarrOptions::default().compression(), ZarrCompression::Zstd(3));
    /// ```
    pub fn compression(&self) -> ZarrCompression {
        self.compression
    }

    /// The dimension names set for the array at `item_path`, if any.
    ///
    /// ```
    /// assert!(persist_core::ZarrOptions::default().names_of("field").is_none());
    /// ```
    pub fn names_of(&self, item_path: &str) -> Option<&[String]> {
        self.dimension_names.get(item_path).map(Vec::as_slice)
    }
}

/// The Zarr group of one archive being written.
pub(crate) struct ZarrStore {
    /// The group's folder (inside the staging copy of the archive).
    path: PathBuf,
    options: ZarrOptions,
    /// Whether files are synced before the archive is renamed into place.
    sync: bool,
    /// Created with the first array.
    store: Option<Arc<DeferredStore>>,
    /// The array names given out, lowercased (names differing in case are one folder on macOS
    /// and Windows).
    names: HashSet<String>,
}

impl std::fmt::Debug for ZarrStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZarrStore")
            .field("path", &self.path)
            .field("arrays", &self.names.len())
            .finish_non_exhaustive()
    }
}

/// The shape of an array as zarrs takes it.
fn shape_u64(shape: &[usize]) -> Vec<u64> {
    shape.iter().map(|&n| n as u64).collect()
}

super::traits::layout_of!([] ZarrStore => ZarrLayout);

impl WriteStore for ZarrStore {
    type Options = ZarrOptions;

    fn chosen(choice: &ArrayStore) -> Option<ZarrOptions> {
        match choice {
            ArrayStore::Zarr(options) => Some(options.clone()),
            _ => None,
        }
    }

    fn create(path: PathBuf, options: &ZarrOptions, sync: bool) -> Self {
        ZarrStore {
            path,
            options: options.clone(),
            sync,
            store: None,
            names: HashSet::new(),
        }
    }

    fn has_files(&self) -> bool {
        !self.names.is_empty()
    }

    fn store<A, S, D>(
        &mut self,
        path: &[String],
        array: &ArrayBase<S, D>,
    ) -> Result<String, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        let view = array.view().into_dyn();
        let (name, zarr, band) = self.create_array::<A>(path, view.shape())?;
        write_rows(&zarr, &view, 0, band).map_err(|e| self.error(&name, e))?;
        Ok(name)
    }

    fn loader(&self, path_expr: &str) -> String {
        format!(
            "import os as _os\nimport zarr as _zarr\n_arrays = {path_expr}\n\n\n{}\n\n",
            super::zarr_layout::ZARR_LOAD
        )
    }

    /// Sync every file the arrays were written to (a save that is not durable skips it).
    fn close(self) -> Result<bool, ArchiveError> {
        if let (Some(store), true) = (&self.store, self.sync) {
            store.sync().map_err(|e| ArchiveError::Io {
                action: "sync the Zarr group",
                path: self.path.clone(),
                source: std::io::Error::other(e),
            })?;
        }
        Ok(self.has_files())
    }

    fn stream<A: Element>(
        &mut self,
        path: &[String],
        row_shape: &[usize],
        rows: Option<usize>,
    ) -> Result<(String, super::stream::Slabs<A>), String> {
        self.start_stream(path, row_shape, rows)
    }
}

impl ReadStore for ZarrStore {
    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        ndim: Option<usize>,
        max_bytes: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        read::read_array::<A>(path, name, ndim, max_bytes)
            .map_err(|m| StoreError::refused(path.join(excerpt(name)), m))
    }

    fn check(path: &Path, name: &str, max_bytes: Option<u64>) -> Result<PathBuf, StoreError> {
        read::check_array(path, name, max_bytes)
            .map_err(|m| StoreError::refused(path.join(excerpt(name)), m))?;
        Ok(path.to_path_buf())
    }
}

impl ZarrStore {
    /// A write error about the array `name` of this group.
    fn error(&self, name: &str, message: impl std::fmt::Display) -> WriteError {
        WriteError::new(WriteErrorKind::ArrayFile {
            path: self.path.join(name),
            source: std::io::Error::other(message.to_string()),
        })
    }

    /// The group, created (with its metadata) on first use.
    fn group(&mut self) -> Result<Arc<DeferredStore>, String> {
        if let Some(store) = &self.store {
            return Ok(store.clone());
        }
        std::fs::create_dir_all(&self.path).map_err(|e| e.to_string())?;
        let store = Arc::new(DeferredStore::new(&self.path)?);
        let meta = self.path.join("zarr.json");
        let mut file = std::fs::File::create(&meta).map_err(|e| e.to_string())?;
        std::io::Write::write_all(&mut file, meta::GROUP_METADATA.as_bytes())
            .and_then(|()| if self.sync { file.sync_all() } else { Ok(()) })
            .map_err(|e| format!("{}: {e}", meta.display()))?;
        self.store = Some(store.clone());
        Ok(store)
    }

    /// Create the array for the item path `path`, of element `A` and shape `shape` (its first
    /// axis may grow later), with its metadata written: its name, the array, and its chunks'
    /// length along the first axis.
    pub(crate) fn create_array<A: Element>(
        &mut self,
        path: &[String],
        shape: &[usize],
    ) -> Result<(String, Array<DeferredStore>, usize), WriteError> {
        let chunk = super::chunk_shape(shape, std::mem::size_of::<A>(), self.options.chunk_bytes);
        self.create_array_chunked::<A>(path, shape, chunk)
    }

    /// [`create_array`](Self::create_array) with chunks of `chunk` (an empty axis becomes 1).
    pub(crate) fn create_array_chunked<A: Element>(
        &mut self,
        path: &[String],
        shape: &[usize],
        chunk: Vec<usize>,
    ) -> Result<(String, Array<DeferredStore>, usize), WriteError> {
        let joined = path.join(".");
        let data_type = zarr_data_type::<A>().ok_or_else(|| {
            WriteError::custom(format_args!(
                "the Zarr array store cannot write arrays of `{}` (numpy dtype '{}'); save with ArrayStore::Npy",
                std::any::type_name::<A>(),
                A::DTYPE
            ))
        })?;
        let mut name = unique_name(&mut self.names, path, "");
        if name.is_empty() || name.starts_with("__") || name == "zarr.json" {
            self.names.remove(&name.to_lowercase());
            name = unique_name(&mut self.names, &[format!("a{name}")], "");
        }
        let dims: Vec<String> = match self.options.names_of(&joined) {
            Some(given) if given.len() != shape.len() => {
                return Err(WriteError::custom(format_args!(
                    "ZarrOptions names {} dimensions of `{joined}`, but it has {}",
                    given.len(),
                    shape.len()
                )));
            }
            Some(given) => given.to_vec(),
            None => (0..shape.len()).map(|k| format!("{name}_{k}")).collect(),
        };
        let store = self.group().map_err(|e| self.error(&name, e))?;
        let element_size = std::mem::size_of::<A>();
        // Zarr chunks have no empty axis, even where the array has.
        let chunk: Vec<usize> = chunk.into_iter().map(|n| n.max(1)).collect();
        let codecs: Vec<Arc<dyn BytesToBytesCodecTraits>> = match self.options.compression {
            ZarrCompression::None => Vec::new(),
            ZarrCompression::Gzip(level) => vec![Arc::new(
                GzipCodec::new(u32::from(level)).map_err(|e| self.error(&name, e))?,
            )],
            ZarrCompression::Zstd(level) => vec![Arc::new(ZstdCodec::new(i32::from(level), false))],
        };
        // With shards, the grid's cells are the shards and the chunks are inside them.
        let cell = match self.options.shard_bytes {
            Some(bytes) if !shape.is_empty() => {
                Some(shard_shape(shape, &chunk, element_size, bytes))
            }
            _ => None,
        };
        let mut builder = ArrayBuilder::new(
            shape_u64(shape),
            shape_u64(cell.as_ref().unwrap_or(&chunk)),
            data_type,
            FillValue::new(vec![0; element_size]),
        );
        builder
            .bytes_to_bytes_codecs(codecs)
            .dimension_names(Some(dims));
        if cell.is_some() {
            builder.subchunk_shape(shape_u64(&chunk));
        }
        let zarr = builder
            .build(store, &format!("/{name}"))
            .map_err(|e| self.error(&name, e))?;
        store_metadata(&zarr).map_err(|e| self.error(&name, e))?;
        let band = cell
            .as_ref()
            .unwrap_or(&chunk)
            .first()
            .copied()
            .unwrap_or(1);
        Ok((name, zarr, band))
    }
}

/// The shape of a shard of about `bytes` bytes for an array of `shape` in chunks of `chunk`
/// (elements of `size` bytes): a whole number of chunks, at most as many as fit (one at
/// least), taken along the last axes first; along an axis the array spans in several shards,
/// shards of equal numbers of chunks (8 chunks across in shards of at most 6: two of 4).
fn shard_shape(shape: &[usize], chunk: &[usize], size: usize, bytes: u64) -> Vec<usize> {
    let chunk_bytes = chunk.iter().product::<usize>().max(1) as u64 * size as u64;
    let mut room = (bytes / chunk_bytes).max(1);
    let mut shard = chunk.to_vec();
    for axis in (0..shape.len()).rev() {
        let across = shape[axis].div_ceil(chunk[axis]).max(1) as u64;
        let take = across.div_ceil(across.div_ceil(room));
        shard[axis] = chunk[axis] * take as usize;
        room /= take;
    }
    shard
}

/// Write the array's metadata (`zarr.json`), without zarrs' own attributes.
pub(crate) fn store_metadata(zarr: &Array<DeferredStore>) -> Result<(), String> {
    zarr.store_metadata_opt(&ArrayMetadataOptions::default().with_include_zarrs_metadata(false))
        .map_err(|e| e.to_string())
}

/// The Zarr data type of `A`: numpy's dtype names are Zarr v3's for every dtype this crate has.
fn zarr_data_type<A: Element>() -> Option<&'static str> {
    crate::array::DTYPES
        .iter()
        .copied()
        .find(|&d| d == A::DTYPE)
}

/// Write `rows` (C order, whatever its memory layout) into `zarr` from row `start` of its first
/// axis, one band of whole chunks (`band` rows) at a time, so that no chunk is written twice
/// and at most one band is copied at once.
pub(crate) fn write_rows<A: Element>(
    zarr: &Array<DeferredStore>,
    rows: &ArrayView<'_, A, IxDyn>,
    start: usize,
    band: usize,
) -> Result<(), String> {
    let shape = rows.shape();
    if rows.is_empty() {
        return Ok(());
    }
    if shape.is_empty() {
        return write_band(zarr, rows, &[]);
    }
    let mut at = 0;
    while at < shape[0] {
        // Bands start at chunk boundaries of the whole array.
        let end = ((start + at) / band * band + band - start).min(shape[0]);
        let part = rows.slice_axis(Axis(0), Slice::from(at..end));
        let mut origin = vec![0; shape.len()];
        origin[0] = start + at;
        write_band(zarr, &part, &origin)?;
        at = end;
    }
    Ok(())
}

/// Write `part` at `origin` of `zarr`.
fn write_band<A: Element>(
    zarr: &Array<DeferredStore>,
    part: &ArrayView<'_, A, IxDyn>,
    origin: &[usize],
) -> Result<(), String> {
    let mut bytes = Vec::with_capacity(part.len() * std::mem::size_of::<A>());
    A::write_slice(&super::c_order(part), &mut bytes).map_err(|e| e.to_string())?;
    let subset = ArraySubset::new_with_start_shape(shape_u64(origin), shape_u64(part.shape()))
        .map_err(|e| e.to_string())?;
    zarr.store_array_subset(&subset, zarrs::array::ArrayBytes::new_flen(bytes))
        .map_err(|e| e.to_string())
}
