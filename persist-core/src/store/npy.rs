//! The npy array store: one `.npy` file per external array, in a folder beside the source
//! (`NAME_arrays/`, `NAME/_arrays/`, a DataSet item's `ITEM_data/`): writing, the `_load` it
//! emits, reading back (header checked against the file size, no links) and verifying. The npy
//! header reader here serves the npz store too.

mod stream;

use std::collections::HashSet;
use std::fs;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};

use ndarray::{Array, ArrayBase, ArrayD, Data, Dimension, IxDyn};
use ndarray_npy::{ReadNpyExt, ReadableElement, WriteNpyExt};

use super::traits::{ReadStore, StoreLayout, WriteStore};
use super::{ArrayStore, StoreError};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError, WriteErrorKind};
use crate::python::ast::ExprKind;
use crate::python::names;

/// `_load(name)` of the npy store: reads `name` from the folder `_arrays`, never unpickling.
pub(crate) const NPY_LOAD: &str = "def _load(name):
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)
";

/// `_load(name)` of the npy store mapping its files (`ArrayStore::NpyMmap`, format 4 on): the
/// file `name` of the folder `_arrays`, mapped read-only, never unpickling.
pub(crate) const NPY_LOAD_MMAP: &str = "def _load(name):
    return _np.load(_os.path.join(_arrays, name), mmap_mode='r', allow_pickle=False)
";

/// External `.npy` files of one archive being written.
#[derive(Debug)]
pub(crate) struct NpyStore {
    /// Where the files are written now (inside the temporary copy of the archive).
    pub(super) dir: PathBuf,
    /// Whether files are synced to disk before the archive is renamed into place.
    pub(super) sync: bool,
    /// Whether Python maps the files (`mmap_mode='r'`) instead of reading them.
    mmap: bool,
    /// The file names written, lowercased: names that differ only in case would be one file on
    /// macOS and Windows.
    pub(super) names: HashSet<String>,
}

impl StoreLayout for NpyStore {
    const WHAT: &'static str = "npy";
    const PATH_NAME: &'static str = names::ARRAYS;

    const LOADER_NAMES: &'static [&'static str] = &[names::OS, names::ARRAYS, names::LOAD];

    const NEEDS: &'static str = "numpy is needed";

    fn load_defs(format: u32) -> &'static [&'static str] {
        if format >= crate::format::FORMAT_WITH_MMAP {
            &[NPY_LOAD, NPY_LOAD_MMAP]
        } else {
            &[NPY_LOAD]
        }
    }

    fn file_name(base: &str, item: bool) -> String {
        if item {
            format!("{base}_data")
        } else {
            format!("{base}_arrays")
        }
    }
}

impl WriteStore for NpyStore {
    /// Whether Python maps the files read-only (`ArrayStore::NpyMmap`).
    type Options = bool;

    fn chosen(choice: &ArrayStore) -> Option<bool> {
        match choice {
            ArrayStore::Npy => Some(false),
            ArrayStore::NpyMmap => Some(true),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Format 4 for mapped files: older readers do not know that `_load`.
    fn format(&self) -> u32 {
        if self.mmap {
            crate::format::FORMAT_WITH_MMAP
        } else {
            Self::FIRST_FORMAT
        }
    }

    fn create(dir: PathBuf, mmap: &bool, sync: bool) -> Self {
        NpyStore {
            dir,
            sync,
            mmap: *mmap,
            names: HashSet::new(),
        }
    }

    fn has_files(&self) -> bool {
        !self.names.is_empty()
    }

    /// Write `array` as `<path>.npy` (made unique), returning the file name.
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
        let name = unique_name(&mut self.names, path, ".npy");
        let file_path = self.dir.join(&name);
        let io_error = |source| {
            WriteError::new(WriteErrorKind::ArrayFile {
                path: file_path.clone(),
                source,
            })
        };
        if self.names.len() == 1 {
            fs::create_dir_all(&self.dir).map_err(io_error)?;
        }
        let file = fs::File::create(&file_path).map_err(io_error)?;
        array
            .write_npy(BufWriter::with_capacity(
                1 << 20,
                crate::platform::Writeback::new(&file, self.sync),
            ))
            .map_err(|e| io_error(std::io::Error::other(e)))?;
        if self.sync {
            file.sync_all().map_err(io_error)?;
        }
        Ok(name)
    }

    fn loader(&self, path_expr: &str) -> String {
        let load = if self.mmap { NPY_LOAD_MMAP } else { NPY_LOAD };
        format!("import os as _os\n_arrays = {path_expr}\n\n\n{load}\n\n")
    }

    fn close(self) -> Result<bool, ArchiveError> {
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

impl ReadStore for NpyStore {
    /// The header is checked first: its shape must have `ndim` dimensions (when given) and its
    /// data must fit in the file, so a corrupt or hostile header cannot make us allocate more
    /// than the file holds.
    fn read<A: Element + ReadableElement>(
        dir: &Path,
        name: &str,
        ndim: Option<usize>,
        _max_bytes: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        let (path, file, header, shape) = open_checked(dir, name)?;
        let fail = |message: String| StoreError::refused(&path, message);
        check_ndim(&shape, ndim).map_err(fail)?;
        let reader = std::io::Cursor::new(header).chain(file);
        Array::<A, IxDyn>::read_npy(std::io::BufReader::with_capacity(1 << 20, reader))
            .map_err(|e| fail(read_error::<A>(e)))
    }

    fn check(dir: &Path, name: &str, _max_bytes: Option<u64>) -> Result<PathBuf, StoreError> {
        open_checked(dir, name).map(|(path, ..)| path)
    }
}

/// The file `name` of the folder `dir` ([`open`]) with its header read and checked against the
/// file's size: its path, the file (after the header), the header's bytes and the shape.
#[allow(clippy::type_complexity)]
fn open_checked(
    dir: &Path,
    name: &str,
) -> Result<(PathBuf, fs::File, Vec<u8>, Vec<usize>), StoreError> {
    let (path, mut file) = open(dir, name)?;
    let len = file
        .metadata()
        .map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?
        .len();
    let (header, shape) = read_header(&mut file, len).map_err(|m| StoreError::refused(&path, m))?;
    Ok((path, file, header, shape))
}

/// Open the `.npy` file `name` of the folder `dir`: a plain file name, a regular file, no link.
fn open(dir: &Path, name: &str) -> Result<(PathBuf, fs::File), StoreError> {
    let path = dir.join(name);
    if !crate::platform::is_plain_file_name(name) || !name.ends_with(".npy") {
        return Err(StoreError::Name {
            path,
            what: "`.npy` file",
            within: "array folder",
        });
    }
    let file = crate::platform::open_array_file(dir, &path)
        .map_err(|m| StoreError::unsafe_file(&path, m))?;
    Ok((path, file))
}

/// An npy header (format 1.0) for C-ordered data of `descr` (`'<f8'`) and `shape`, padded with
/// spaces to at least `min_len` bytes and to a multiple of 64, as numpy pads: a header can be
/// rewritten in place with another shape of no more digits.
pub(super) fn npy_header(descr: &str, shape: &[usize], min_len: usize) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(ToString::to_string).collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let mut dict = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    let total = (10 + dict.len() + 1).max(min_len).next_multiple_of(64);
    dict.extend(std::iter::repeat_n(' ', total - 10 - dict.len() - 1));
    dict.push('\n');
    let mut header = b"\x93NUMPY\x01\x00".to_vec();
    header.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    header.extend_from_slice(dict.as_bytes());
    header
}

/// The message of an npy error while reading as `A`.
pub(super) fn read_error<A>(e: impl std::fmt::Display) -> String {
    format!(
        "{e} (the Rust element type is {})",
        std::any::type_name::<A>()
    )
}

/// `shape` has `ndim` dimensions, when given.
pub(super) fn check_ndim(shape: &[usize], ndim: Option<usize>) -> Result<(), String> {
    match ndim {
        Some(n) if n != shape.len() => Err(format!(
            "array mismatch: the Rust type has {n} dimensions, the archive's array has {} (shape {shape:?})",
            shape.len()
        )),
        _ => Ok(()),
    }
}

/// Read an `.npy` header from the start of `reader`, whose whole length (header and data) is
/// `len`, and check that the data it announces fits: the header's bytes and the shape.
pub(super) fn read_header(
    reader: &mut impl Read,
    len: u64,
) -> Result<(Vec<u8>, Vec<usize>), String> {
    let mut start = [0u8; 10];
    reader
        .read_exact(&mut start)
        .map_err(|_| "not an .npy file: too short".to_owned())?;
    if &start[..6] != b"\x93NUMPY" {
        return Err("not an .npy file: no magic string".into());
    }
    let mut header = start.to_vec();
    let header_len = match start[6] {
        1 => u64::from(u16::from_le_bytes([start[8], start[9]])),
        2 | 3 => {
            let mut rest = [0u8; 2];
            reader
                .read_exact(&mut rest)
                .map_err(|_| "truncated .npy header".to_owned())?;
            header.extend_from_slice(&rest);
            u64::from(u32::from_le_bytes([start[8], start[9], rest[0], rest[1]]))
        }
        v => return Err(format!("unsupported .npy format version {v}")),
    };
    let offset = header.len() as u64;
    if offset + header_len > len || header_len > 1 << 20 {
        return Err("truncated .npy header".into());
    }
    let mut dict_bytes = vec![0u8; header_len as usize];
    reader
        .read_exact(&mut dict_bytes)
        .map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&dict_bytes)
        .map_err(|_| "an .npy header that is not text".to_owned())?;
    let dict = crate::python::parser::parse_expression(text.trim_end())
        .map_err(|e| format!("unreadable .npy header: {e}"))?;
    let ExprKind::Dict(entries) = &dict.kind else {
        return Err("an .npy header that is not a dict".into());
    };
    let get = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, ExprKind::Str(s) if s == key))
            .map(|(_, v)| v)
    };
    let itemsize = match get("descr").map(|d| &d.kind) {
        Some(ExprKind::Str(descr)) => descr
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse::<u64>()
            .map_err(|_| format!("an .npy dtype {descr:?} this crate does not read"))?,
        _ => return Err("an .npy header without a plain 'descr'".into()),
    };
    let shape = match get("shape").map(|s| &s.kind) {
        Some(ExprKind::Tuple(dims)) => dims
            .iter()
            .map(|d| match d.kind {
                ExprKind::Int(n) => {
                    usize::try_from(n).map_err(|_| "an .npy shape too large".to_owned())
                }
                _ => Err("an .npy shape that is not a tuple of ints".to_owned()),
            })
            .collect::<Result<Vec<usize>, String>>()?,
        _ => return Err("an .npy header without a 'shape'".into()),
    };
    let bytes = shape
        .iter()
        .try_fold(itemsize, |acc, &n| acc.checked_mul(n as u64))
        .ok_or_else(|| format!("an .npy shape {shape:?} too large to exist"))?;
    let available = len - offset - header_len;
    if bytes > available {
        return Err(format!(
            "the header announces shape {shape:?} ({bytes} bytes) but the file holds {available} bytes of data: it is truncated or corrupt"
        ));
    }
    header.extend_from_slice(&dict_bytes);
    Ok((header, shape))
}

/// File names stay under the 255 bytes most file systems allow: the stem is cut to this many
/// bytes, leaving room for a uniqueness suffix and `.npy`.
const MAX_STEM: usize = 200;

/// The name `<stem><suffix>` for the item path `path` (see [`file_stem`]), or `<stem>_2<suffix>`,
/// `<stem>_3<suffix>`, ... when `taken` holds it already (compared without case, for file
/// systems that ignore it); the name is added to `taken`.
pub(super) fn unique_name(taken: &mut HashSet<String>, path: &[String], suffix: &str) -> String {
    let stem = file_stem(path);
    let mut name = format!("{stem}{suffix}");
    let mut n = 1;
    while !taken.insert(name.to_lowercase()) {
        n += 1;
        name = format!("{stem}_{n}{suffix}");
    }
    name
}

/// A file name from an item path: the segments joined by `.`, characters other than ASCII
/// letters, digits, `_` and `-` replaced by `_`, cut to [`MAX_STEM`] bytes.
pub(super) fn file_stem(path: &[String]) -> String {
    let mut stem = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            stem.push('.');
        }
        stem.extend(seg.chars().map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        }));
    }
    // Only ASCII is left, so any byte index is a character boundary.
    stem.truncate(MAX_STEM);
    stem
}
