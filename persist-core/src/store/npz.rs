//! The npz array store: every external array of an archive a member of one `.npz` file,
//! numpy's own single-file format (`NAME_arrays.npz` beside a module, `NAME/_arrays.npz` in a
//! package, `ITEM_data.npz` for a DataSet item): writing (uncompressed members, as
//! `numpy.savez` writes them), the `_load` it emits (`numpy.load` of the file, never
//! unpickling), reading back and verifying.
//!
//! Reading is bounded by the file: a member must be stored (not compressed), not a link, and no
//! larger than the file; its npy header must announce no more data than the member holds.

use crate::python::names;
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use ndarray::{Array, ArrayBase, ArrayD, Data, Dimension, IxDyn};
use ndarray_npy::{NpzWriter, ReadNpyExt, ReadableElement};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive};

use super::npy::{check_ndim, read_error, read_header, unique_name};
use super::traits::{ReadStore, StoreLayout, WriteStore};
use super::{ArrayStore, StoreError};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError, WriteErrorKind};

/// `_load(name)` of the npz store: the member `name` of the npz file `_arrays`, never
/// unpickling, the file closed again.
pub(crate) const NPZ_LOAD: &str = "def _load(name):
    with _np.load(_arrays, allow_pickle=False) as f:
        return f[name]
";

/// The npz file of one archive being written.
pub(crate) struct NpzStore {
    /// Where the file is written now (inside the temporary copy of the archive).
    path: PathBuf,
    sync: bool,
    /// Created with the first array.
    writer: Option<NpzWriter<BufWriter<File>>>,
    /// The member names given out, lowercased (as the npy store does, so that the two agree).
    names: HashSet<String>,
}

impl std::fmt::Debug for NpzStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpzStore")
            .field("path", &self.path)
            .field("arrays", &self.names.len())
            .finish_non_exhaustive()
    }
}

impl StoreLayout for NpzStore {
    const WHAT: &'static str = "npz";
    const PATH_NAME: &'static str = names::ARRAYS;

    const LOADER_NAMES: &'static [&'static str] = &[names::OS, names::ARRAYS, names::LOAD];

    const NEEDS: &'static str = "numpy is needed";

    const FIRST_FORMAT: u32 = crate::format::FORMAT_WITH_NPZ;

    fn load_defs(format: u32) -> &'static [&'static str] {
        if format >= Self::FIRST_FORMAT {
            &[NPZ_LOAD]
        } else {
            &[]
        }
    }

    fn file_name(base: &str, item: bool) -> String {
        if item {
            format!("{base}_data.npz")
        } else {
            format!("{base}_arrays.npz")
        }
    }
}

impl WriteStore for NpzStore {
    type Options = ();

    fn chosen(choice: &ArrayStore) -> Option<()> {
        matches!(choice, ArrayStore::Npz).then_some(())
    }

    fn create(path: PathBuf, _: &(), sync: bool) -> Self {
        NpzStore {
            path,
            sync,
            writer: None,
            names: HashSet::new(),
        }
    }

    fn has_files(&self) -> bool {
        !self.names.is_empty()
    }

    /// Write `array` as the member `<path>.npy` (made unique), returning the name without
    /// `.npy`, which numpy's `NpzFile` takes.
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
        let name = unique_name(&mut self.names, path, "");
        let io_error = |source| {
            WriteError::new(WriteErrorKind::ArrayFile {
                path: self.path.join(format!("{name}.npy")),
                source,
            })
        };
        if self.writer.is_none() {
            let file = File::create_new(&self.path).map_err(io_error)?;
            let options =
                SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
            self.writer = Some(NpzWriter::new_with_options(
                BufWriter::with_capacity(1 << 20, file),
                options,
            ));
        }
        let writer = self.writer.as_mut().expect("just created");
        // Members above 4 GiB need zip64 records, which Python's zipfile reads.
        let bytes = (array.len() as u64).saturating_mul(std::mem::size_of::<A>() as u64);
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .large_file(bytes >= u64::from(u32::MAX) - (1 << 20));
        writer
            .add_array_with_options(name.clone(), array, options)
            .map_err(|e| io_error(std::io::Error::other(e)))?;
        Ok(name)
    }

    fn loader(&self, path_expr: &str) -> String {
        format!("import os as _os\n_arrays = {path_expr}\n\n\n{NPZ_LOAD}\n\n")
    }

    fn close(self) -> Result<bool, ArchiveError> {
        let Some(writer) = self.writer else {
            return Ok(false);
        };
        let io_error = |action, source| ArchiveError::Io {
            action,
            path: self.path.clone(),
            source,
        };
        let buffered = writer
            .finish()
            .map_err(|e| io_error("finish the npz file", std::io::Error::other(e)))?;
        let mut file = buffered
            .into_inner()
            .map_err(|e| io_error("write", e.into_error()))?;
        file.flush().map_err(|e| io_error("write", e))?;
        if self.sync {
            file.sync_all().map_err(|e| io_error("sync", e))?;
        }
        Ok(true)
    }

    /// A zip member is written whole: the npz store cannot stream.
    fn stream<A: Element>(
        &mut self,
        _: &[String],
        _: &[usize],
        _: Option<usize>,
    ) -> Result<(String, super::stream::Slabs<A>), String> {
        Err("the npz store cannot stream an array (a zip member is written whole); stream with ArrayStore::Npy, Hdf5 or Zarr".into())
    }
}

impl ReadStore for NpzStore {
    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        ndim: Option<usize>,
        _max_bytes: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        let mut zip = open(path, name)?;
        let fail = |message: String| StoreError::refused(path.join(name), message);
        let file_len = zip_len(path)?;
        let mut member = zip
            .by_name(&format!("{name}.npy"))
            .map_err(|e| fail(member_error(name, e)))?;
        check_member(member.name(), &member, file_len).map_err(fail)?;
        let size = member.size();
        let (header, shape) = read_header(&mut member, size).map_err(fail)?;
        check_ndim(&shape, ndim).map_err(fail)?;
        let reader = std::io::Cursor::new(header).chain(member);
        Array::<A, IxDyn>::read_npy(reader).map_err(|e| fail(read_error::<A>(e)))
    }

    /// Every member must be a stored `.npy` file with a plain name (what Python may read), and
    /// the member `name` must exist with a header that fits it.
    fn check(path: &Path, name: &str, _max_bytes: Option<u64>) -> Result<PathBuf, StoreError> {
        let mut zip = open(path, name)?;
        let file_len = zip_len(path)?;
        for index in 0..zip.len() {
            let member = zip
                .by_index_raw(index)
                .map_err(|e| StoreError::refused(path, format!("unreadable npz member: {e}")))?;
            let member_name = member.name().to_owned();
            let stem = member_name.strip_suffix(".npy").unwrap_or("");
            if !crate::platform::is_plain_file_name(stem) {
                return Err(StoreError::refused(
                    path,
                    format!(
                        "the member `{}` is not a plain `.npy` file name; this crate writes no such member",
                        crate::python::encoding::excerpt(&member_name)
                    ),
                ));
            }
            check_member(&member_name, &member, file_len)
                .map_err(|m| StoreError::refused(path.join(stem), m))?;
        }
        let fail = |message: String| StoreError::refused(path.join(name), message);
        let mut member = zip
            .by_name(&format!("{name}.npy"))
            .map_err(|e| fail(member_error(name, e)))?;
        let size = member.size();
        read_header(&mut member, size).map_err(fail)?;
        Ok(path.to_path_buf())
    }
}

/// Open the npz file `path` for the member `name`: a plain name, a regular file (no link, no
/// FIFO), a zip archive.
fn open(path: &Path, name: &str) -> Result<ZipArchive<BufReader<File>>, StoreError> {
    if !crate::platform::is_plain_file_name(name) {
        return Err(StoreError::Name {
            path: path.join(crate::python::encoding::excerpt(name)),
            what: "member",
            within: "npz file",
        });
    }
    let file = crate::platform::regular_file_no_follow(path)
        .map_err(|m| StoreError::unsafe_file(path, m))?;
    ZipArchive::new(BufReader::new(file))
        .map_err(|e| StoreError::refused(path, format!("not an npz (zip) file numpy reads: {e}")))
}

/// The npz file's length in bytes.
fn zip_len(path: &Path) -> Result<u64, StoreError> {
    std::fs::symlink_metadata(path)
        .map(|m| m.len())
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Why the member `name.npy` cannot be opened.
fn member_error(name: &str, e: zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::FileNotFound => {
            format!(
                "the npz file has no member `{name}.npy`: it is incomplete or not this archive's"
            )
        }
        e => format!("the member `{name}.npy`: {e}"),
    }
}

/// A member this crate reads: a regular file, stored uncompressed and unencrypted, whose
/// announced size is what its stored bytes hold and fits in the file.
fn check_member<R: Read>(
    name: &str,
    member: &zip::read::ZipFile<'_, R>,
    file_len: u64,
) -> Result<(), String> {
    let name = crate::python::encoding::excerpt(name);
    if member.is_symlink() || member.is_dir() {
        return Err(format!(
            "the member `{name}` is a link or a folder, not an array"
        ));
    }
    if member.encrypted() {
        return Err(format!("the member `{name}` is encrypted"));
    }
    if member.compression() != CompressionMethod::Stored {
        return Err(format!(
            "the member `{name}` is compressed ({}); this crate writes and reads stored members only",
            member.compression()
        ));
    }
    if member.size() != member.compressed_size() || member.compressed_size() > file_len {
        return Err(format!(
            "the member `{name}` announces {} bytes but stores {} in a file of {file_len} bytes: it is corrupt",
            member.size(),
            member.compressed_size()
        ));
    }
    Ok(())
}
