//! The storage the Zarr store writes through: zarrs' `FilesystemStore` for everything but
//! whole-value writes (`set`: a chunk, a `zarr.json`), which are written without an fsync of
//! their own and remembered; [`DeferredStore::sync`] syncs them all once the arrays are written
//! (a save that is not durable skips it). zarrs' `FilesystemStore` syncs every file it writes,
//! which made streaming wait on one fsync per chunk (BENCHMARKS.md, STREAM).

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

use zarrs::filesystem::FilesystemStore;
use zarrs::storage::byte_range::ByteRangeIterator;
use zarrs::storage::{
    Bytes, MaybeBytesIterator, OffsetBytesIterator, ReadableStorageTraits, StorageError, StoreKey,
    StorePrefix, WritableStorageTraits,
};

/// A filesystem store whose whole-value writes are synced later, all at once.
#[derive(Debug)]
pub(crate) struct DeferredStore {
    inner: FilesystemStore,
    /// The files written and not yet synced.
    written: Mutex<Vec<PathBuf>>,
}

impl DeferredStore {
    /// The store of the folder `root`.
    pub(crate) fn new(root: &std::path::Path) -> Result<Self, String> {
        Ok(DeferredStore {
            inner: FilesystemStore::new(root).map_err(|e| e.to_string())?,
            written: Mutex::new(Vec::new()),
        })
    }

    /// Sync every file written since the last call, and (as far as the system allows) the
    /// folders they are in.
    pub(crate) fn sync(&self) -> Result<(), String> {
        let written = std::mem::take(
            &mut *self
                .written
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut folders = std::collections::BTreeSet::new();
        for path in written {
            fs::File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(parent) = path.parent() {
                folders.insert(parent.to_path_buf());
            }
        }
        for folder in folders {
            // Best effort, as for the archive's other folders: not every system opens a folder.
            if let Ok(dir) = fs::File::open(&folder) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    }
}

impl ReadableStorageTraits for DeferredStore {
    fn get_partial_many<'a>(
        &'a self,
        key: &StoreKey,
        byte_ranges: ByteRangeIterator<'a>,
    ) -> Result<MaybeBytesIterator<'a>, StorageError> {
        self.inner.get_partial_many(key, byte_ranges)
    }

    fn size_key(&self, key: &StoreKey) -> Result<Option<u64>, StorageError> {
        self.inner.size_key(key)
    }

    fn supports_get_partial(&self) -> bool {
        self.inner.supports_get_partial()
    }
}

impl WritableStorageTraits for DeferredStore {
    /// Write the whole value to its file (its folders made), without syncing it yet.
    fn set(&self, key: &StoreKey, value: Bytes) -> Result<(), StorageError> {
        let path = self.inner.key_to_fspath(key);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut file = fs::File::create(&path)?;
        file.write_all(&value)?;
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(path);
        Ok(())
    }

    fn set_partial_many(
        &self,
        key: &StoreKey,
        offset_values: OffsetBytesIterator,
    ) -> Result<(), StorageError> {
        self.inner.set_partial_many(key, offset_values)
    }

    fn erase(&self, key: &StoreKey) -> Result<(), StorageError> {
        self.inner.erase(key)
    }

    fn erase_prefix(&self, prefix: &StorePrefix) -> Result<(), StorageError> {
        self.inner.erase_prefix(prefix)
    }

    fn supports_set_partial(&self) -> bool {
        self.inner.supports_set_partial()
    }
}
