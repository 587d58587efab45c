//! The HDF5 array store (feature `hdf5`): every external array of an archive in one file,
//! `NAME/_data.h5` or `NAME_data.h5`, one dataset per array named after its item path.
//!
//! Layout, chosen so that plain h5py (no plugins) reads it and `h5ls -r` shows a readable tree:
//! - dataset `run/fields/temperature` for the array at `run.fields.temperature`, inside groups
//!   `run` and `run/fields`; names are made unique by a `_2`, `_3`, ... suffix;
//! - the array's logical shape, in C order: a Fortran-ordered array is stored with its values in
//!   C order and a boolean attribute `fortran_order`, and the loader hands it back Fortran-ordered;
//! - bool as h5py stores it (an enum of int8, `FALSE = 0`, `TRUE = 1`), complex as h5py does
//!   (a compound of `r` and `i`), so h5py returns numpy's bool and complex dtypes;
//! - with [`Hdf5Options::gzip`] or [`Hdf5Options::chunked`], chunks of about 1 MiB (see
//!   [`super::chunk_shape`]) compressed with the deflate filter built into every HDF5;
//! - no timestamps (`track_times` off for the root group, groups and datasets), so the same value
//!   gives a byte-identical file.
//!
//! Reading a dataset back into Rust, with the checks that keep it inside the file and within a
//! size limit, is `hdf5/read.rs`.

mod read;
mod stream;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use ::hdf5::types::TypeDescriptor;
use ::hdf5::{Dataset, File, H5Type, Hyperslab, SliceOrIndex};
use ndarray::{ArrayBase, ArrayD, ArrayView, Axis, Data, Dimension, IxDyn, Slice};
use ndarray_npy::ReadableElement;

use crate::array::{Element, Elements};
use crate::error::{ArchiveError, WriteError, WriteErrorKind};

pub use self::read::{HDF5_MAX_EXPANSION, HDF5_MIN_READ_LIMIT};
use self::read::{check_path, read_checked};
use super::hdf5_layout::Hdf5Layout;
use super::hdf5_layout::{HDF5_LOAD_EAGER, HDF5_LOAD_LAZY};
use super::traits::{ReadStore, WriteStore};
use super::{ArrayStore, StoreError};
use crate::python::encoding::excerpt;

/// A non-contiguous or Fortran-ordered array is copied into C order this many bytes at a time
/// (at least one row) while it is written.
const SLAB_BYTES: usize = 8 << 20;

/// How the HDF5 array store ([`ArrayStore::Hdf5`](crate::ArrayStore::Hdf5)) writes datasets and
/// how the archive loads them in Python. Feature `hdf5`.
///
/// The default: contiguous datasets, no compression, and the archive reads every dataset into a
/// numpy array at import and closes the file.
///
/// ```
/// use persist_core::Hdf5Options;
/// let options = Hdf5Options::default().gzip(4).chunked(true);
/// assert_eq!(options.gzip_level(), Some(4));
/// assert!(options.is_chunked());
/// assert!(!options.is_lazy());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hdf5Options {
    gzip: Option<u8>,
    chunked: bool,
    lazy: bool,
}

impl Hdf5Options {
    /// Compress every dataset with gzip (HDF5's deflate filter, which h5py reads without plugins)
    /// at `level`, from 0 (fastest) to 9 (smallest). Compression needs chunks, so this implies
    /// [`chunked`](Hdf5Options::chunked).
    ///
    /// # Panics
    /// If `level` is above 9 (zlib has no such level).
    ///
    /// ```
    /// let options = persist_core::Hdf5Options::default().gzip(9);
    /// assert_eq!(options.gzip_level(), Some(9));
    /// ```
    #[must_use]
    pub fn gzip(mut self, level: u8) -> Self {
        assert!(
            level <= 9,
            "persist: gzip level {level} does not exist; use 0 (fastest) to 9 (smallest)"
        );
        self.gzip = Some(level);
        self
    }

    /// Store datasets in chunks of about 1 MiB instead of one contiguous block: h5py can then
    /// read a slice of a large lazy dataset without reading the rest. Scalars (0-d arrays) and
    /// empty arrays are never chunked.
    ///
    /// ```
    /// let options = persist_core::Hdf5Options::default().chunked(true);
    /// assert!(options.is_chunked());
    /// ```
    #[must_use]
    pub fn chunked(mut self, chunked: bool) -> Self {
        self.chunked = chunked;
        self
    }

    /// In Python, keep the datasets lazy: the archive's arrays are `h5py.Dataset` objects, read
    /// only when indexed (`r.field[10:20]`, `r.field[()]` for everything), and the file stays open
    /// while any of them is alive. For arrays larger than memory.
    ///
    /// By default (`false`) the archive reads every dataset into a `numpy.ndarray` at import and
    /// closes the file. A lazy dataset has the array's shape and dtype; Fortran order, a property
    /// of numpy memory, applies only to arrays read eagerly.
    ///
    /// ```
    /// let options = persist_core::Hdf5Options::default().lazy(true);
    /// assert!(options.is_lazy());
    /// ```
    #[must_use]
    pub fn lazy(mut self, lazy: bool) -> Self {
        self.lazy = lazy;
        self
    }

    /// The gzip level, if datasets are compressed.
    ///
    /// ```
    /// assert_eq!(persist_core::Hdf5Options::default().gzip_level(), None);
    /// ```
    pub fn gzip_level(&self) -> Option<u8> {
        self.gzip
    }

    /// Whether datasets are chunked: asked for, or needed by compression.
    ///
    /// ```
    /// assert!(persist_core::Hdf5Options::default().gzip(1).is_chunked());
    /// ```
    pub fn is_chunked(&self) -> bool {
        self.chunked || self.gzip.is_some()
    }

    /// Whether Python gets lazy `h5py.Dataset` objects instead of numpy arrays.
    ///
    /// ```
    /// assert!(!persist_core::Hdf5Options::default().is_lazy());
    /// ```
    pub fn is_lazy(&self) -> bool {
        self.lazy
    }
}

/// The HDF5 file of one archive being written.
#[derive(Debug)]
pub(crate) struct Hdf5Store {
    /// Where the file is written now (inside the temporary copy of the archive).
    path: PathBuf,
    options: Hdf5Options,
    /// Created with the first dataset.
    file: Option<File>,
    /// Dataset names given out, and the groups they need.
    datasets: HashSet<String>,
    groups: HashSet<String>,
    /// Groups created in the file.
    created: HashSet<String>,
}

/// An HDF5 library error, with the dataset it happened to.
#[derive(Debug, thiserror::Error)]
#[error("HDF5 dataset `{dataset}`: {source}")]
struct DatasetError {
    dataset: String,
    source: ::hdf5::Error,
}

super::traits::layout_of!([] Hdf5Store => Hdf5Layout);

impl WriteStore for Hdf5Store {
    type Options = Hdf5Options;

    fn chosen(choice: &ArrayStore) -> Option<Hdf5Options> {
        match choice {
            ArrayStore::Hdf5(options) => Some(*options),
            _ => None,
        }
    }

    fn create(path: PathBuf, options: &Hdf5Options, _sync: bool) -> Self {
        Hdf5Store {
            path,
            options: *options,
            file: None,
            datasets: HashSet::new(),
            groups: HashSet::new(),
            created: HashSet::new(),
        }
    }

    fn has_files(&self) -> bool {
        !self.datasets.is_empty()
    }

    /// Write `array` as a dataset named after `path` (made unique), returning its name.
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
        let Some(kind) = A::elements(&[]) else {
            return Err(WriteError::custom(format_args!(
                "the HDF5 array store cannot write arrays of `{}` (numpy dtype '{}'): \
                 its Element impl does not name a concrete type (Element::elements); \
                 implement that, or save with ArrayStore::Npy",
                std::any::type_name::<A>(),
                A::DTYPE
            )));
        };
        let name = self.unique_name(path);
        self.write(&name, descriptor(&kind), &array.view().into_dyn())
            .map_err(|source| {
                WriteError::new(WriteErrorKind::ArrayFile {
                    path: self.path.clone(),
                    source: std::io::Error::other(DatasetError {
                        dataset: name.clone(),
                        source,
                    }),
                })
            })?;
        Ok(name)
    }

    /// Python lines defining `_load(name)`: eager (read into numpy, close the file) or lazy.
    fn loader(&self, path_expr: &str) -> String {
        if self.options.lazy {
            format!(
                "import os as _os\nimport h5py as _h5py\n_data = _h5py.File({path_expr}, 'r')\n\n\n{HDF5_LOAD_LAZY}\n\n"
            )
        } else {
            format!(
                "import os as _os\nimport h5py as _h5py\n_data = {path_expr}\n\n\n{HDF5_LOAD_EAGER}\n\n"
            )
        }
    }

    /// Close the file and sync it to disk. Whether any array was written.
    fn close(self) -> Result<bool, ArchiveError> {
        let Some(file) = self.file else {
            return Ok(false);
        };
        let io_error = |action, source| ArchiveError::Io {
            action,
            path: self.path.clone(),
            source,
        };
        #[cfg(unix)]
        release_lock(&file).map_err(|e| io_error("unlock the HDF5 file", e))?;
        file.close()
            .map_err(|e| io_error("close the HDF5 file", std::io::Error::other(e)))?;
        fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error("sync", e))?;
        Ok(true)
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

impl ReadStore for Hdf5Store {
    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        _ndim: Option<usize>,
        max_bytes: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        read_checked::<A>(path, name, max_bytes)
            .map_err(|m| StoreError::refused(path.join(excerpt(name)), m))
    }

    fn check(path: &Path, name: &str, max_bytes: Option<u64>) -> Result<PathBuf, StoreError> {
        check_path(path, name, max_bytes).map_err(|m| StoreError::refused(path, m))?;
        Ok(path.to_path_buf())
    }
}

impl Hdf5Store {
    /// The dataset name of an item path: its segments joined by `/` (a `/` inside a segment
    /// becomes `_`, as do the names `.` and `..` and an empty segment). A name already taken, or
    /// a group that is already a dataset, gets the first free suffix `_2`, `_3`, ...
    fn unique_name(&mut self, path: &[String]) -> String {
        let mut name = String::new();
        for (i, segment) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            let segment = match segment.as_str() {
                "" | "." => "_".to_owned(),
                ".." => "__".to_owned(),
                s => s.replace('/', "_"),
            };
            let base = if name.is_empty() {
                segment
            } else {
                format!("{name}/{segment}")
            };
            let taken = |candidate: &String| {
                self.datasets.contains(candidate) || (last && self.groups.contains(candidate))
            };
            let mut candidate = base.clone();
            let mut n = 1;
            while taken(&candidate) {
                n += 1;
                candidate = format!("{base}_{n}");
            }
            if !last {
                self.groups.insert(candidate.clone());
            }
            name = candidate;
        }
        self.datasets.insert(name.clone());
        name
    }

    /// The open file, created on first use with timestamps off.
    fn file(&mut self) -> ::hdf5::Result<&File> {
        if self.file.is_none() {
            let mut builder = File::with_options();
            builder.with_fcpl(|fcpl| fcpl.obj_track_times(false));
            self.file = Some(builder.create_excl(&self.path)?);
        }
        Ok(self.file.as_ref().expect("just created"))
    }

    /// The open file, with the groups the dataset `name` is in created.
    fn create_groups(&mut self, name: &str) -> ::hdf5::Result<File> {
        let file = self.file()?.clone();
        let mut group_name = String::new();
        for segment in name
            .split('/')
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            if !group_name.is_empty() {
                group_name.push('/');
            }
            group_name.push_str(segment);
            if self.created.insert(group_name.clone()) {
                file.create_group_builder()
                    .obj_track_times(false)
                    .create_intermediate_group(false)
                    .char_encoding(::hdf5::plist::link_create::CharEncoding::Utf8)
                    .create(group_name.as_str())?;
            }
        }

        Ok(file)
    }
    /// Create the dataset `name` (and its groups) and write the array into it.
    fn write<A: Element>(
        &mut self,
        name: &str,
        descriptor: TypeDescriptor,
        array: &ArrayView<'_, A, IxDyn>,
    ) -> ::hdf5::Result<()> {
        let options = self.options;
        let file = self.create_groups(name)?;
        let shape = array.shape();
        let element_size = descriptor.size();
        let chunk = (options.is_chunked() && !shape.is_empty() && !array.is_empty())
            .then(|| super::chunk_shape(shape, element_size, super::CHUNK_BYTES));
        let mut builder = file
            .new_dataset_builder()
            .empty_as(descriptor)
            .shape(shape)
            .obj_track_times(false)
            .create_intermediate_group(false)
            .char_encoding(::hdf5::plist::link_create::CharEncoding::Utf8);
        if let Some(chunk) = &chunk {
            builder = builder.chunk(chunk.as_slice());
            if let Some(level) = options.gzip {
                builder = builder.deflate(level);
            }
        }
        let dataset = builder.create(name)?;
        let fortran =
            array.ndim() > 1 && !array.is_standard_layout() && array.t().is_standard_layout();
        if fortran {
            dataset
                .new_attr::<bool>()
                .create("fortran_order")?
                .write_scalar(&true)?;
        }
        if array.is_empty() {
            return Ok(());
        }
        if let Some(slice) = array.as_slice() {
            return write_elements(&dataset, slice, None);
        }
        // Not C-contiguous (Fortran order, a strided view): copy slabs of whole rows into C
        // order, as many rows as a chunk holds if chunked, so that no chunk is written twice.
        let row_len: usize = shape[1..].iter().product();
        let row_bytes = row_len * element_size;
        let mut rows = (SLAB_BYTES / row_bytes.max(1)).max(1);
        if let Some(chunk) = &chunk {
            rows = (rows / chunk[0]).max(1) * chunk[0];
        }
        let mut buffer: Vec<A> = Vec::with_capacity(rows.min(shape[0]) * row_len);
        let mut start = 0;
        while start < shape[0] {
            let end = (start + rows).min(shape[0]);
            buffer.clear();
            buffer.extend(
                array
                    .slice_axis(Axis(0), Slice::from(start..end))
                    .iter()
                    .copied(),
            );
            let selection: Vec<SliceOrIndex> = std::iter::once((start..end).into())
                .chain(shape[1..].iter().map(|_| (..).into()))
                .collect();
            let mut slab_shape = shape.to_vec();
            slab_shape[0] = end - start;
            write_elements(
                &dataset,
                &buffer,
                Some((slab_shape, Hyperslab::from(selection))),
            )?;
            start = end;
        }
        Ok(())
    }
}

/// Release HDF5's lock on the file before it is closed.
///
/// HDF5 `flock`s the files it writes, and opens them without close-on-exec: a process spawned by
/// any thread while the file is open inherits the descriptor, and with it the lock, which then
/// outlives our close, so h5py refuses to open the saved archive ("unable to lock file") until
/// that process exits. Unlocking through HDF5's own descriptor releases the lock for every copy
/// of it. (Nobody else opens the file while it is written: it is in the save's private staging
/// folder.) Only the default driver's (sec2) handle is a descriptor; other drivers are left as
/// they are.
#[cfg(unix)]
fn release_lock(file: &File) -> std::io::Result<()> {
    use std::os::fd::FromRawFd;

    use ::hdf5::file::FileDriver;

    let driver = file.access_plist().map_err(std::io::Error::other)?.driver();
    if !matches!(driver, FileDriver::Sec2) {
        return Ok(());
    }
    file.flush().map_err(std::io::Error::other)?;
    let mut handle: *mut std::ffi::c_void = std::ptr::null_mut();
    // SAFETY: `file` is an open file; the call runs under the HDF5 library's global lock, as
    // every call of the `hdf5` crate does.
    let status = ::hdf5::sync::sync(|| unsafe {
        hdf5_sys::h5f::H5Fget_vfd_handle(file.id(), hdf5_sys::h5p::H5P_DEFAULT, &mut handle)
    });
    if status < 0 || handle.is_null() {
        return Err(std::io::Error::other("HDF5 gave no file handle"));
    }
    // SAFETY: the sec2 driver's handle points to the `int` file descriptor of the open file,
    // which stays open until `file` is closed; `ManuallyDrop` leaves closing it to HDF5.
    let descriptor = std::mem::ManuallyDrop::new(unsafe {
        fs::File::from_raw_fd(*handle.cast::<std::ffi::c_int>())
    });
    descriptor.unlock()
}

/// The HDF5 type of an element kind.
fn descriptor(kind: &Elements<'_>) -> TypeDescriptor {
    fn of<T: H5Type>(_: &[T]) -> TypeDescriptor {
        T::type_descriptor()
    }
    match kind {
        Elements::Bool(s) => of(s),
        Elements::I8(s) => of(s),
        Elements::I16(s) => of(s),
        Elements::I32(s) => of(s),
        Elements::I64(s) => of(s),
        Elements::U8(s) => of(s),
        Elements::U16(s) => of(s),
        Elements::U32(s) => of(s),
        Elements::U64(s) => of(s),
        Elements::F32(s) => of(s),
        Elements::F64(s) => of(s),
        Elements::ComplexF32(s) => of(s),
        Elements::ComplexF64(s) => of(s),
    }
}

/// Write `data` (C order) into the whole dataset, or into `slab`: its shape and where it goes.
fn write_elements<A: Element>(
    dataset: &Dataset,
    data: &[A],
    slab: Option<(Vec<usize>, Hyperslab)>,
) -> ::hdf5::Result<()> {
    fn typed<T: H5Type>(
        dataset: &Dataset,
        data: &[T],
        slab: Option<(Vec<usize>, Hyperslab)>,
    ) -> ::hdf5::Result<()> {
        match slab {
            None => dataset.write_raw(data),
            Some((shape, selection)) => {
                dataset.write_slice(ArrayView::from_shape(shape, data)?, selection)
            }
        }
    }
    let elements = A::elements(data).ok_or("the element type changed its HDF5 type")?;
    match elements {
        Elements::Bool(s) => typed(dataset, s, slab),
        Elements::I8(s) => typed(dataset, s, slab),
        Elements::I16(s) => typed(dataset, s, slab),
        Elements::I32(s) => typed(dataset, s, slab),
        Elements::I64(s) => typed(dataset, s, slab),
        Elements::U8(s) => typed(dataset, s, slab),
        Elements::U16(s) => typed(dataset, s, slab),
        Elements::U32(s) => typed(dataset, s, slab),
        Elements::U64(s) => typed(dataset, s, slab),
        Elements::F32(s) => typed(dataset, s, slab),
        Elements::F64(s) => typed(dataset, s, slab),
        Elements::ComplexF32(s) => typed(dataset, s, slab),
        Elements::ComplexF64(s) => typed(dataset, s, slab),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_errors_name_the_file_and_the_dataset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/_data.h5");
        let mut store = Hdf5Store::create(path.clone(), &Hdf5Options::default(), false);
        let array = ndarray::Array1::from_elem(3, 1.0_f64);
        let err = store
            .store(&["run".into(), "x".into()], &array)
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(&path.display().to_string())
                && message.contains("HDF5 dataset `run/x`"),
            "{message}"
        );
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn dataset_names_follow_the_item_path_and_are_unique() {
        let mut store = Hdf5Store::create(PathBuf::new(), &Hdf5Options::default(), false);
        let path = |s: &str| s.split('.').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(store.unique_name(&path("run.fields.t")), "run/fields/t");
        assert_eq!(store.unique_name(&path("run.fields.t")), "run/fields/t_2");
        // `run/fields` is a group: a dataset cannot take its name.
        assert_eq!(store.unique_name(&path("run.fields")), "run/fields_2");
        // `run/fields/t` is a dataset: it cannot become a group.
        assert_eq!(
            store.unique_name(&path("run.fields.t.x")),
            "run/fields/t_3/x"
        );
        assert_eq!(
            store.unique_name(&["a/b".into(), "..".into(), String::new()]),
            "a_b/__/_"
        );
    }
}
