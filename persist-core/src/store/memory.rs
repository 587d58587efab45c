//! A store only this crate's tests build: it keeps each archive's arrays in the memory of the
//! process, and its file beside the source (`NAME/_arrays.mem`) holds only the key they are
//! kept under. It is registered by one line in `registry.rs` and chosen with
//! `ArrayStore::Named("memory")`; its tests below prove that a store is this one file and that
//! line: the writer, the reader, the verifier and the file names of an archive know it through
//! the registry alone.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use ndarray::{ArrayBase, ArrayD, Data, Dimension};
use ndarray_npy::{ReadNpyExt, ReadableElement, WriteNpyExt};

use crate::store::traits::{ReadStore, StoreLayout, WriteStore};
use crate::store::{ArrayStore, StoreError};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};
use crate::python::names;

/// `_load(name)` of the memory store: Python cannot reach the arrays of another process.
const MEMORY_LOAD: &str = "def _load(name):
    raise LookupError('this archive kept its arrays in the memory of a test: ' + name)
";

/// The arrays of one store's file: by name, as npy bytes.
type Arrays = HashMap<String, Vec<u8>>;

/// Every kept array: by the key in a store's file, then by its name.
static KEPT: Mutex<Vec<(String, Arrays)>> = Mutex::new(Vec::new());

/// The arrays of one archive being written.
#[derive(Debug)]
pub(crate) struct MemoryStore {
    path: PathBuf,
    key: String,
    arrays: Arrays,
}

impl StoreLayout for MemoryStore {
    const WHAT: &'static str = "memory";
    const PATH_NAME: &'static str = names::ARRAYS;
    const LOADER_NAMES: &'static [&'static str] = &[names::OS, names::ARRAYS, names::LOAD];
    const NEEDS: &'static str = "the process that wrote it is needed";
    const FIRST_FORMAT: u32 = crate::format::FORMAT_VERSION;

    fn load_defs(format: u32) -> &'static [&'static str] {
        if format >= Self::FIRST_FORMAT {
            &[MEMORY_LOAD]
        } else {
            &[]
        }
    }

    fn file_name(base: &str, item: bool) -> String {
        if item {
            format!("{base}_data.mem")
        } else {
            format!("{base}_arrays.mem")
        }
    }
}

impl WriteStore for MemoryStore {
    type Options = ();

    fn chosen(choice: &ArrayStore) -> Option<()> {
        matches!(choice, ArrayStore::Named(name) if *name == Self::WHAT).then_some(())
    }

    fn create(path: PathBuf, _: &(), _: bool) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let key = format!("{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        MemoryStore {
            path,
            key,
            arrays: HashMap::new(),
        }
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
        let name = format!("{}.{}", path.join("."), self.arrays.len());
        let mut bytes = Vec::new();
        array
            .write_npy(&mut bytes)
            .map_err(|e| WriteError::custom(format_args!("the memory store: {e}")))?;
        self.arrays.insert(name.clone(), bytes);
        Ok(name)
    }

    fn has_files(&self) -> bool {
        !self.arrays.is_empty()
    }

    fn loader(&self, path_expr: &str) -> String {
        format!("import os as _os\n_arrays = {path_expr}\n\n\n{MEMORY_LOAD}\n\n")
    }

    fn close(self) -> Result<bool, ArchiveError> {
        if self.arrays.is_empty() {
            return Ok(false);
        }
        std::fs::write(&self.path, &self.key).map_err(|source| ArchiveError::Io {
            action: "write the memory store's key",
            path: self.path.clone(),
            source,
        })?;
        let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
        kept.push((self.key, self.arrays));
        Ok(true)
    }
}

impl ReadStore for MemoryStore {
    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        ndim: Option<usize>,
        _: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        let bytes = kept(path, name)?;
        let array = ArrayD::<A>::read_npy(&bytes[..])
            .map_err(|e| StoreError::refused(path.join(name), e.to_string()))?;
        match ndim {
            Some(n) if n != array.ndim() => Err(StoreError::refused(
                path.join(name),
                format!("{} dimensions, not {n}", array.ndim()),
            )),
            _ => Ok(array),
        }
    }

    fn check(path: &Path, name: &str, _: Option<u64>) -> Result<PathBuf, StoreError> {
        kept(path, name)?;
        Ok(path.to_path_buf())
    }
}

/// The npy bytes of the array `name` of the store whose file is `path`.
fn kept(path: &Path, name: &str) -> Result<Vec<u8>, StoreError> {
    let mut key = String::new();
    crate::platform::regular_file_no_follow(path)
        .and_then(|f| {
            f.take(64)
                .read_to_string(&mut key)
                .map_err(|e| e.to_string())
        })
        .map_err(|m| StoreError::unsafe_file(path, m))?;
    let kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    kept.iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, arrays)| arrays.get(name).cloned())
        .ok_or_else(|| StoreError::refused(path.join(name), "no such array in this process's memory"))
}

#[cfg(test)]
mod tests {
    use ndarray::{Array1, Array2};

    use crate::{Archive, ArchiveReader, ArrayStore, LoadError, SaveOptions, verify};

    fn saved(dir: &std::path::Path) -> std::path::PathBuf {
        let mut archive = Archive::new()
            .with_array_store(ArrayStore::Named("memory"))
            .with_array_threshold(4);
        archive.insert("field", Array2::<f64>::from_elem((3, 5), 1.5)).unwrap();
        archive.insert("small", Array1::<i32>::from(vec![1, 2])).unwrap();
        let path = dir.join("run");
        archive.save(&path, SaveOptions::package()).unwrap();
        path
    }

    #[test]
    fn an_archive_written_to_a_registered_store_reads_back_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved(dir.path());
        // The writer asked the store for its file, its loader and the format it needs.
        let source = std::fs::read_to_string(path.join("__init__.py")).unwrap();
        assert!(source.contains("_arrays = _os.path.join("), "{source}");
        assert!(source.contains("'_arrays.mem')"), "{source}");
        assert!(source.contains("raise LookupError("), "{source}");
        assert!(source.starts_with("# persist archive, format 8,"), "{source}");
        assert!(source.contains("small = _np.array([1, 2], dtype='int32')"), "{source}");
        assert!(path.join("_arrays.mem").is_file());
        // The reader found the store by its `_load` and read the array from it.
        let reader = ArchiveReader::open(&path).unwrap();
        let field: Array2<f64> = reader.read("field").unwrap();
        assert_eq!(field, Array2::from_elem((3, 5), 1.5));
        // The verifier checked the array through the store.
        let report = verify(&path, &Default::default()).unwrap();
        assert!(report.files.contains(&path.join("_arrays.mem")), "{report:?}");
    }

    #[test]
    fn a_changed_loader_or_a_missing_array_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved(dir.path());
        let init = path.join("__init__.py");
        let source = std::fs::read_to_string(&init).unwrap();
        std::fs::write(&init, source.replace("raise LookupError(", "print(")).unwrap();
        let err = verify(&path, &Default::default()).unwrap_err();
        assert!(err.to_string().contains("differs here from the one this crate writes"), "{err}");
        std::fs::write(&init, &source).unwrap();
        std::fs::write(path.join("_arrays.mem"), "no-such-key").unwrap();
        let err = verify(&path, &Default::default()).unwrap_err();
        assert!(matches!(err, LoadError::Module { .. }), "{err}");
        assert!(err.to_string().contains("no such array in this process's memory"), "{err}");
    }
}
