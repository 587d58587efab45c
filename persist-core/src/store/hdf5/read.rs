//! Reading a dataset of an archive's HDF5 file back into Rust, after checking that reading it
//! stays inside that file and within a memory limit.
//!
//! An HDF5 file can make libhdf5 open other files or read far more than it holds: links to
//! other files or to other paths, datasets whose data lives in external raw files or is mapped
//! from other datasets (virtual layout), filters loaded as plugins, and chunked datasets whose
//! unwritten chunks read as the fill value, so a file of a few kilobytes can announce terabytes.
//! [`check_dataset`] refuses all of these before a single element is read; [`read_checked`]
//! reads only what it accepted. What it cannot do is make libhdf5 itself safe on a malformed file
//! (see the README's safety section).

use std::any::Any;
use std::path::Path;

use ::hdf5::filters::Filter;
use ::hdf5::plist::dataset_create::Layout;
use ::hdf5::{Dataset, Extents, File, Group, H5Type, LinkType};
use ndarray::ArrayD;

use crate::array::Element;
use crate::python::encoding::excerpt;

/// How many times its file's size one HDF5 dataset may unpack to when Rust reads it, unless the
/// reader is given another limit (at least [`HDF5_MIN_READ_LIMIT`] in any case).
///
/// 1032 is the largest ratio deflate (the only compression this crate writes) can reach, so every
/// dataset this crate writes is within it; a larger ratio means unwritten chunks read as the fill
/// value (a sparse dataset), which this crate never writes and a hostile file uses to announce
/// terabytes in a few kilobytes.
///
/// ```
/// assert_eq!(persist_core::HDF5_MAX_EXPANSION, 1032);
/// ```
pub const HDF5_MAX_EXPANSION: u64 = 1032;

/// One HDF5 dataset may always unpack to this many bytes (64 MiB), however small its file: a
/// floor under [`HDF5_MAX_EXPANSION`], harmless to allocate and generous for hand-made files.
///
/// ```
/// assert_eq!(persist_core::HDF5_MIN_READ_LIMIT, 64 << 20);
/// ```
pub const HDF5_MIN_READ_LIMIT: u64 = 64 << 20;

/// The default limit on the bytes one dataset of an HDF5 file of `file_len` bytes may unpack to:
/// `max(file_len × HDF5_MAX_EXPANSION, HDF5_MIN_READ_LIMIT)`.
pub(crate) fn default_max_bytes(file_len: u64) -> u64 {
    file_len
        .saturating_mul(HDF5_MAX_EXPANSION)
        .max(HDF5_MIN_READ_LIMIT)
}

/// Read the dataset `name` of the HDF5 file `path` with the default size limit
/// ([`default_max_bytes`] of the file's size). See [`read_checked`].
#[cfg(test)]
pub(crate) fn read_dataset<A: Element>(path: &Path, name: &str) -> Result<ArrayD<A>, String> {
    read_checked(path, name, None)
}

/// Read the dataset `name` of the HDF5 file `path` as an array of `A`, in Fortran order when the
/// writer marked it so. Refused, before anything is read: a `path` that is not a regular file (a
/// symlink, a FIFO), a dataset [`check_dataset`] refuses, a dataset type other than `A`'s (no
/// silent conversion), and a dataset of more than `max_bytes` bytes in memory (`None`: the
/// default, [`default_max_bytes`] of the file's size).
pub(crate) fn read_checked<A: Element>(
    path: &Path,
    name: &str,
    max_bytes: Option<u64>,
) -> Result<ArrayD<A>, String> {
    fn typed<T: H5Type + 'static>(
        dataset: &Dataset,
        name: &str,
        limit: Limit,
    ) -> Result<Box<dyn Any>, String> {
        let found = dataset
            .dtype()
            .and_then(|t| t.to_descriptor())
            .map_err(|e| format!("dataset `{}`: {e}", excerpt(name)))?;
        if found != T::type_descriptor() {
            return Err(format!(
                "dataset `{}`: dataset type {} where the Rust element type needs {}",
                excerpt(name),
                excerpt(&found.to_string()),
                T::type_descriptor()
            ));
        }
        check_size(dataset, name, size_of::<T>() as u64, limit)?;
        Ok(Box::new(dataset.read_dyn::<T>().map_err(|e| {
            format!("dataset `{}`: {e}", excerpt(name))
        })?))
    }

    let file = open(path)?;
    let file_len = file.size();
    let limit = Limit {
        max_bytes: max_bytes.unwrap_or_else(|| default_max_bytes(file_len)),
        file_len,
    };
    let dataset = check_dataset(&file, name)?;
    let read = match A::DTYPE {
        "bool" => typed::<bool>(&dataset, name, limit),
        "int8" => typed::<i8>(&dataset, name, limit),
        "int16" => typed::<i16>(&dataset, name, limit),
        "int32" => typed::<i32>(&dataset, name, limit),
        "int64" => typed::<i64>(&dataset, name, limit),
        "uint8" => typed::<u8>(&dataset, name, limit),
        "uint16" => typed::<u16>(&dataset, name, limit),
        "uint32" => typed::<u32>(&dataset, name, limit),
        "uint64" => typed::<u64>(&dataset, name, limit),
        "float32" => typed::<f32>(&dataset, name, limit),
        "float64" => typed::<f64>(&dataset, name, limit),
        "complex64" => typed::<num_complex::Complex<f32>>(&dataset, name, limit),
        "complex128" => typed::<num_complex::Complex<f64>>(&dataset, name, limit),
        other => Err(format!(
            "the HDF5 store does not read numpy dtype '{other}'"
        )),
    }?;
    let array = *read.downcast::<ArrayD<A>>().map_err(|_| {
        format!(
            "the Rust element type does not match numpy dtype '{}'",
            A::DTYPE
        )
    })?;
    let fortran = dataset
        .attr("fortran_order")
        .and_then(|a| a.read_scalar::<bool>())
        .unwrap_or(false);
    Ok(if fortran {
        let data: Vec<A> = array.t().iter().copied().collect();
        ArrayD::from_shape_vec(ndarray::ShapeBuilder::f(array.raw_dim()), data)
            .expect("the shape of the data read")
    } else {
        array
    })
}

/// Check, without reading any data, what [`read_checked`] checks before it reads: the file's
/// kind, the dataset's links, storage and layout, and its size in memory against `max_bytes`
/// (`None`: [`default_max_bytes`] of the file's size). For `verify`.
pub(crate) fn check_path(path: &Path, name: &str, max_bytes: Option<u64>) -> Result<(), String> {
    let file = open(path)?;
    let file_len = file.size();
    let limit = Limit {
        max_bytes: max_bytes.unwrap_or_else(|| default_max_bytes(file_len)),
        file_len,
    };
    let dataset = check_dataset(&file, name)?;
    let element_size = dataset
        .dtype()
        .map_err(|e| format!("dataset `{}`: {e}", excerpt(name)))?
        .size() as u64;
    check_size(&dataset, name, element_size, limit)
}

/// Open the HDF5 file `path` for reading, if it is a regular file (not a symlink, which could
/// point out of the archive, nor a FIFO or device, which could block forever).
fn open(path: &Path) -> Result<File, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !meta.file_type().is_file() {
        return Err(format!(
            "the HDF5 file is a {}, not a regular file; refused",
            describe_file_type(&meta.file_type())
        ));
    }
    File::open(path).map_err(|e| e.to_string())
}

fn describe_file_type(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "FIFO";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "device";
        }
        if file_type.is_socket() {
            return "socket";
        }
    }
    if file_type.is_symlink() {
        "symbolic link"
    } else if file_type.is_dir() {
        "folder"
    } else {
        "special file"
    }
}

/// Open the dataset `name` of `file` if reading it reads only this file: every component of
/// `name` is a hard link (a soft link could lead anywhere in the file, an external or
/// user-defined link into another file), and the dataset has no external raw data files, no
/// virtual layout and no filters but deflate, shuffle and fletcher32 (built into every libhdf5;
/// any other is a plugin libhdf5 would load from disk).
fn check_dataset(file: &File, name: &str) -> Result<Dataset, String> {
    let components: Vec<&str> = name.split('/').collect();
    if name.len() > 4096 || components.iter().any(|c| c.is_empty() || *c == ".") {
        return Err(format!(
            "`{}` is not a dataset path of the archive's HDF5 file (names separated by single `/`)",
            excerpt(name)
        ));
    }
    let mut group: Group = (**file).clone();
    let mut walked = String::new();
    for (i, component) in components.iter().enumerate() {
        if !walked.is_empty() {
            walked.push('/');
        }
        walked.push_str(component);
        let link = link_type(&group, component)
            .map_err(|e| format!("dataset `{}`: `{walked}`: {e}", excerpt(name)))?;
        match link {
            None => return Err(format!("no dataset `{}` (no `{walked}`)", excerpt(name))),
            Some(LinkType::Hard) => {}
            Some(LinkType::Soft) => {
                return Err(format!(
                    "dataset `{}`: `{walked}` is a soft link; refused: an archive's datasets are \
                     reached through hard links only",
                    excerpt(name)
                ));
            }
            Some(LinkType::External) => {
                return Err(format!(
                    "dataset `{}`: `{walked}` is an external (or user-defined) link to another \
                     file; refused: an archive's data stays inside its HDF5 file",
                    excerpt(name)
                ));
            }
        }
        if i + 1 < components.len() {
            group = group.group(component).map_err(|e| {
                format!(
                    "dataset `{}`: `{walked}` is not a group: {e}",
                    excerpt(name)
                )
            })?;
        }
    }
    let dataset = group
        .dataset(components[components.len() - 1])
        .map_err(|e| format!("no dataset `{}`: {e}", excerpt(name)))?;
    let dcpl = dataset
        .dcpl()
        .map_err(|e| format!("dataset `{}`: {e}", excerpt(name)))?;
    let refuse = |what: &str| {
        Err(format!(
            "dataset `{}` {what}; refused: an archive's data stays inside its HDF5 file",
            excerpt(name)
        ))
    };
    match dcpl.get_external() {
        Ok(external) if external.is_empty() => {}
        Ok(external) => {
            return refuse(&format!(
                "has external storage (its data is in {} raw file(s) outside the HDF5 file)",
                external.len()
            ));
        }
        Err(e) => return refuse(&format!("has an unreadable external storage list ({e})")),
    }
    #[allow(unreachable_patterns)] // `Layout::Virtual` exists with libhdf5 1.10 and later.
    match dcpl.get_layout() {
        Ok(Layout::Compact | Layout::Contiguous | Layout::Chunked) => {}
        Ok(_) => {
            return refuse("has a virtual layout (its data is mapped from other datasets)");
        }
        Err(e) => return refuse(&format!("has an unreadable layout ({e})")),
    }
    match dcpl.get_filters() {
        Ok(filters) => {
            if let Some(filter) = filters
                .iter()
                .find(|f| !matches!(f, Filter::Deflate(_) | Filter::Shuffle | Filter::Fletcher32))
            {
                return Err(format!(
                    "dataset `{}` uses the HDF5 filter {}; refused: only deflate, shuffle and \
                     fletcher32 (built into every libhdf5) are read",
                    excerpt(name),
                    filter.id()
                ));
            }
        }
        Err(e) => return refuse(&format!("has an unreadable filter pipeline ({e})")),
    }
    Ok(dataset)
}

/// The type of the link `name` in `group`, or `None` if the group has no such link.
fn link_type(group: &Group, name: &str) -> ::hdf5::Result<Option<LinkType>> {
    if !group.link_exists(name) {
        return Ok(None);
    }
    group.find_link(
        ::hdf5::IndexType::Name,
        ::hdf5::IterationOrder::Native,
        |link, info| Ok((link == name).then_some(info.link_type)),
    )
}

/// The most bytes one dataset may take in memory, and the size of its file (for messages).
#[derive(Debug, Clone, Copy)]
struct Limit {
    max_bytes: u64,
    file_len: u64,
}

/// Refuse `dataset` if its elements, `element_size` bytes each in memory, take more than
/// `limit.max_bytes` bytes; every product checked.
fn check_size(
    dataset: &Dataset,
    name: &str,
    element_size: u64,
    limit: Limit,
) -> Result<(), String> {
    let space = dataset
        .space()
        .map_err(|e| format!("dataset `{}`: {e}", excerpt(name)))?;
    let shape = match space
        .extents()
        .map_err(|e| format!("dataset `{}`: {e}", excerpt(name)))?
    {
        Extents::Null => vec![0],
        Extents::Scalar => Vec::new(),
        Extents::Simple(simple) => simple.dims(),
    };
    let elements = shape
        .iter()
        .try_fold(1u64, |acc, &n| acc.checked_mul(u64::try_from(n).ok()?));
    let bytes = elements.and_then(|n| n.checked_mul(element_size));
    match bytes {
        Some(bytes) if bytes <= limit.max_bytes => {}
        _ => {
            let bytes = bytes.map_or_else(|| "more than 2^64".to_owned(), |b| b.to_string());
            return Err(format!(
                "dataset `{}` has shape {shape:?} of {element_size}-byte elements ({bytes} bytes \
                 in memory), more than the limit of {} bytes for this HDF5 file of {} bytes; \
                 refused: it is out of proportion to the file",
                excerpt(name),
                limit.max_bytes,
                limit.file_len
            ));
        }
    }
    // What libhdf5 will allocate for (its element count) must be what was checked.
    if elements.and_then(|n| usize::try_from(n).ok()) != Some(space.size()) {
        return Err(format!(
            "dataset `{}`: its dataspace holds {} elements, not the {elements:?} its shape \
             {shape:?} announces; refused",
            excerpt(name),
            space.size()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_limit_is_the_callers_or_proportional_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.h5");
        let file = File::create(&path).unwrap();
        file.new_dataset::<f64>()
            .shape([1000])
            .create("x")
            .unwrap()
            .write_raw(&[0.5; 1000])
            .unwrap();
        file.close().unwrap();
        let read = read_checked::<f64>(&path, "x", Some(8000)).unwrap();
        assert_eq!(read.shape(), &[1000]);
        let message = read_checked::<f64>(&path, "x", Some(7999)).unwrap_err();
        assert!(
            message.starts_with(
                "dataset `x` has shape [1000] of 8-byte elements (8000 bytes in memory), \
                 more than the limit of 7999 bytes"
            ),
            "{message}"
        );
        assert_eq!(read_dataset::<f64>(&path, "x").unwrap(), read);
        assert_eq!(default_max_bytes(1), HDF5_MIN_READ_LIMIT);
        assert_eq!(default_max_bytes(1 << 20), HDF5_MAX_EXPANSION << 20);
        assert_eq!(default_max_bytes(u64::MAX), u64::MAX);
    }

    #[test]
    fn dataset_paths_are_plain_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.h5");
        File::create(&path).unwrap().create_group("g").unwrap();
        let file = File::open(&path).unwrap();
        for name in ["", "/g", "g//x", "./g", "g/."] {
            let message = check_dataset(&file, name).unwrap_err();
            assert!(
                message.contains("is not a dataset path"),
                "{name}: {message}"
            );
        }
        assert_eq!(
            check_dataset(&file, "h").unwrap_err(),
            "no dataset `h` (no `h`)"
        );
        assert!(
            check_dataset(&file, "g")
                .unwrap_err()
                .starts_with("no dataset `g`")
        );
        let long = "y".repeat(5000);
        assert!(check_dataset(&file, &long).unwrap_err().len() < 200);
    }
}
