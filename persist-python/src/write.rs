//! Writing archives from Python: `save(path, items, **more)` (an archive of Python values, by
//! the Rust writer: atomic, deterministic, read by Rust with derived types) and `DataSet`
//! (`DataSet(path).insert(name, value, info)`, items written as the Rust `DataSet` writes them,
//! safe with other writing processes).

use std::path::PathBuf;

use persist_core::{Archive, ArchiveError, ArrayStore, DataSetError, SaveOptions, ZarrOptions};
use pyo3::exceptions::{PyFileExistsError, PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::save::{Convert, PyValue};

/// The array store named `name` (`"npy"`, `"mmap"`, `"npz"`, `"zarr"`, `"hdf5"`).
fn store_named(name: &str) -> PyResult<ArrayStore> {
    Ok(match name {
        "npy" => ArrayStore::Npy,
        "mmap" => ArrayStore::NpyMmap,
        "npz" => ArrayStore::Npz,
        "zarr" => ArrayStore::Zarr(ZarrOptions::default()),
        #[cfg(feature = "hdf5")]
        "hdf5" => ArrayStore::Hdf5(persist_core::Hdf5Options::default()),
        other => {
            return Err(PyValueError::new_err(format!(
                "no array store `{other}` in this build; the stores are {}",
                crate::stores().join(", ")
            )));
        }
    })
}

/// The items of `items` then `more`, in order, converted (shared objects found across all).
fn converted(
    py: Python<'_>,
    items: Option<&Bound<'_, PyDict>>,
    more: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<(String, PyValue)>> {
    let mut all = Vec::new();
    for dict in [items, more].into_iter().flatten() {
        for (name, value) in dict.iter() {
            let name: String = name
                .extract()
                .map_err(|_| PyTypeError::new_err("item names are str"))?;
            if all
                .iter()
                .any(|(n, _): &(String, Bound<'_, PyAny>)| *n == name)
            {
                return Err(PyValueError::new_err(format!(
                    "the item `{name}` is given twice"
                )));
            }
            all.push((name, value));
        }
    }
    let mut convert = Convert::new(py)?;
    for (_, value) in &all {
        convert.count(value)?;
    }
    all.iter()
        .map(|(name, value)| Ok((name.clone(), convert.convert(value, name)?)))
        .collect()
}

/// Save Python values as an archive at `path` (a package folder `path/`, or with
/// `package=False` a module `path.py`), written by this crate's Rust writer: atomically (the
/// path holds the old archive or the new one, whole), deterministic, and read by Rust with
/// derived types. `items` (a dict) and the keyword arguments are the items, in order. Values:
/// None, bool, int (up to 128 bits), float, complex, str, bytes, list, tuple, dict, set, numpy
/// arrays of bool, int8-int64, uint8-uint64, float32/64, complex64/128, timedelta, aware
/// datetime, and records (an archive's record classes, and any dataclass, written as the
/// record of its class's name). An object reached twice is written once, as Rust's `Arc`.
/// `store` is the array store of arrays larger than `threshold` elements; `overwrite=True`
/// replaces an existing archive.
#[pyfunction]
#[pyo3(signature = (path, items = None, *, package = true, overwrite = false, store = "npy", threshold = None, **more))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn save(
    py: Python<'_>,
    path: PathBuf,
    items: Option<&Bound<'_, PyDict>>,
    package: bool,
    overwrite: bool,
    store: &str,
    threshold: Option<usize>,
    more: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    let values = converted(py, items, more)?;
    let mut archive = Archive::new().with_array_store(store_named(store)?);
    if let Some(threshold) = threshold {
        archive = archive.with_array_threshold(threshold);
    }
    for (name, value) in &values {
        archive.insert(name, value).map_err(archive_error)?;
    }
    let options = if package {
        SaveOptions::package()
    } else {
        SaveOptions::module()
    }
    .overwrite(overwrite);
    archive.save(&path, options).map_err(archive_error)
}

/// The Python exception of an archive error.
fn archive_error(e: ArchiveError) -> PyErr {
    match &e {
        ArchiveError::Exists { .. } | ArchiveError::OtherLayoutExists { .. } => {
            PyFileExistsError::new_err(e.to_string())
        }
        ArchiveError::Io { source, .. } => {
            PyOSError::new_err((source.raw_os_error().unwrap_or(0), e.to_string()))
        }
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// The Python exception of a DataSet error.
fn dataset_error(e: DataSetError) -> PyErr {
    match &e {
        DataSetError::ItemExists { .. } | DataSetError::Exists { .. } => {
            PyFileExistsError::new_err(e.to_string())
        }
        DataSetError::NoItem { .. } => PyKeyError::new_err(e.to_string()),
        DataSetError::Io { .. }
        | DataSetError::LockTimeout { .. }
        | DataSetError::ReadOnly { .. } => PyOSError::new_err(e.to_string()),
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// A DataSet (a folder of items, each its own module, with small metadata per item), opened
/// or created at `path`; several processes may insert at once. `insert(name, value, info)`
/// writes one item as the Rust `DataSet` does; `items()` lists them; `persist_rs.load(path,
/// name)` reads one back.
#[pyclass(module = "persist_rs", unsendable)]
pub(crate) struct DataSet {
    inner: persist_core::DataSet,
}

#[pymethods]
impl DataSet {
    /// Open the DataSet at `path`, creating it if it does not exist; `store` and `threshold`
    /// as for `save`.
    #[new]
    #[pyo3(signature = (path, *, store = "npy", threshold = None))]
    fn new(path: PathBuf, store: &str, threshold: Option<usize>) -> PyResult<Self> {
        let mut inner = persist_core::DataSet::open_or_create(&path)
            .map_err(dataset_error)?
            .with_array_store(store_named(store)?);
        if let Some(threshold) = threshold {
            inner = inner.with_array_threshold(threshold);
        }
        Ok(DataSet { inner })
    }

    /// Write the item `name` holding `value`, with the metadata `info` (a small value: a dict
    /// of numbers and strings, say; `{}` when not given) in the DataSet's `_info_dict`. An item
    /// of that name already there is a `FileExistsError`.
    #[pyo3(signature = (name, value, info = None))]
    fn insert(
        &self,
        py: Python<'_>,
        name: &str,
        value: &Bound<'_, PyAny>,
        info: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut convert = Convert::new(py)?;
        convert.count(value)?;
        let value = convert.convert(value, name)?;
        let info = match info {
            Some(info) => {
                let mut convert = Convert::new(py)?;
                convert.count(info)?;
                convert.convert(info, &format!("the info of {name}"))?
            }
            None => PyValue::Dict(Vec::new()),
        };
        self.inner
            .insert(name, &value, &info)
            .map_err(dataset_error)
    }

    /// The names of the DataSet's items, sorted.
    fn items(&self) -> PyResult<Vec<String>> {
        self.inner.items().map_err(dataset_error)
    }

    /// The DataSet's folder.
    #[getter]
    fn path(&self) -> String {
        self.inner.path().display().to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "persist_rs.DataSet({:?})",
            self.inner.path().display().to_string()
        )
    }
}
