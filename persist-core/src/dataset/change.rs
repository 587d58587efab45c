//! Changes of existing items: [`DataSet::set_info`] and [`DataSet::remove`], journaled as
//! inserts are, and the metadata index's part of every change ([`super::index`]).

use std::fs;
use std::path::{Path, PathBuf};

use super::commit::Journal;
use super::layout::item_files;
use super::{DataSet, DataSetError, NOTHING_CHANGED, index, layout};
use crate::archive::fault;
use crate::persist::Persist;

impl DataSet {
    /// Replace the metadata of item `name`.
    ///
    /// # Errors
    /// A read-only handle; an invalid name; no such item; the lock times out; the metadata
    /// cannot be written.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// ds.insert("run_0", &1, &"pending")?;
    /// ds.set_info("run_0", &"done")?;
    /// assert_eq!(ds.info::<String>("run_0")?, "done");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_info<I: Persist + ?Sized>(&self, name: &str, info: &I) -> Result<(), DataSetError> {
        self.check_writable("update metadata")?;
        self.check_item_name(name)?;
        let staging = self.staging()?;
        self.write_info(staging.path(), name, info)?;
        let info_text = fs::read_to_string(staging.path().join("info.py")).ok();
        let _lock = self.lock()?;
        self.check_exists(name)?;
        let mark = self.mark_pending(name, "update the metadata of", NOTHING_CHANGED)?;
        // One rename replaces the old file: readers see the old metadata or the new.
        let info_path = self.info_path(name);
        fault::point("dataset-set-info")
            .and_then(|()| fs::rename(staging.path().join("info.py"), &info_path))
            .map_err(|source| {
                Self::unmark(mark.clone());
                self.interrupted(
                    name,
                    "update the metadata of",
                    &info_path,
                    source,
                    NOTHING_CHANGED,
                )
            })?;
        self.record_change(staging.path(), name, info_text.as_deref());
        Ok(())
    }

    /// Remove item `name`, its metadata and its data files.
    ///
    /// All or nothing: the metadata file goes first (the item is no longer listed), then its
    /// files; they are moved into a temporary folder before being deleted, so a failure puts
    /// them all back.
    ///
    /// # Errors
    /// A read-only handle; an invalid name; no such item; the lock times out; a file cannot be
    /// moved.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// ds.insert("run_0", &1, &())?;
    /// ds.remove("run_0")?;
    /// assert!(!ds.contains("run_0"));
    /// assert!(ds.remove("run_0").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&self, name: &str) -> Result<(), DataSetError> {
        self.check_writable("remove an item")?;
        self.check_item_name(name)?;
        let staging = self.staging()?;
        let _lock = self.lock()?;
        self.check_exists(name)?;
        let mark = self.mark_pending(name, "remove", NOTHING_CHANGED)?;
        let mut journal = Journal::default();
        let result = (|| {
            journal.rename(
                "dataset-remove-info",
                &self.info_path(name),
                &staging.path().join("info.py"),
            )?;
            for file in item_files(name) {
                let path = self.dir.join(&file);
                if fs::symlink_metadata(&path).is_ok() {
                    journal.rename("dataset-remove-file", &path, &staging.path().join(&file))?;
                }
            }
            Ok(())
        })();
        if let Err((file, source)) = result {
            let outcome = journal.undo();
            Self::unmark(mark);
            return Err(self.interrupted(name, "remove", &file, source, outcome));
        }
        self.record_change(staging.path(), name, None);
        // Dropping the staging folder deletes the item's files.
        Ok(())
    }

    /// Before the renames of a change of `name` (under the lock): mark it pending in the index,
    /// so that Python reads its metadata file from now on. The new mark, which
    /// [`unmark`](DataSet::unmark) removes when the change fails.
    pub(super) fn mark_pending(
        &self,
        name: &str,
        action: &'static str,
        outcome: &'static str,
    ) -> Result<Option<PathBuf>, DataSetError> {
        if self.indexing == layout::Indexing::None {
            return Ok(None);
        }
        fault::point("dataset-index-mark")
            .and_then(|()| index::mark(&self.dir, name))
            .map_err(|source| {
                let mark = self.dir.join(super::INDEX_FOLDER);
                self.interrupted(name, action, &mark, source, outcome)
            })
    }

    /// After a failed change, whose steps were undone: the index holds the item as it did.
    pub(super) fn unmark(mark: Option<PathBuf>) {
        if let Some(mark) = mark {
            let _ = fs::remove_file(mark);
        }
    }

    /// After a change of `name` is complete (under the lock): bring the index up to date. The
    /// index is a cache: if this fails, the item stays pending and Python reads its file.
    pub(super) fn record_change(&self, staging: &Path, name: &str, info: Option<&str>) {
        let how = index::Upkeep {
            sync: self.sync,
            cached: self.indexing == layout::Indexing::Cached,
        };
        if self.indexing != layout::Indexing::None {
            let _ = index::record(&self.dir, staging, name, info, how);
        }
    }
}
