//! Reading a [`DataSet`]: its item names, whether it has an item, an item's value and its
//! metadata. Nothing here writes.

use std::fs;

use super::error::io;
use super::{DataSet, DataSetError, INFO_DIR, layout};
use crate::persist::Persist;
use crate::read::ArchiveReader;

impl DataSet {
    /// The item names, sorted. Only complete items are listed (in a folder of another layout:
    /// every `ITEM.py` beside `__init__.py`).
    ///
    /// # Errors
    /// The metadata folder cannot be read.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// ds.insert("run_b", &1, &())?;
    /// ds.insert("run_a", &2, &())?;
    /// assert_eq!(ds.items()?, ["run_a", "run_b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn items(&self) -> Result<Vec<String>, DataSetError> {
        let listed = if self.foreign.is_some() {
            self.dir.clone()
        } else {
            self.dir.join(INFO_DIR)
        };
        let mut names = Vec::new();
        for entry in fs::read_dir(&listed).map_err(io("list", &listed))? {
            let entry = entry.map_err(io("list", &listed))?;
            let file = entry.file_name();
            let Some(file) = file.to_str() else { continue };
            if let Some(name) = file.strip_suffix(".py")
                && layout::item_name_problem(name).is_none()
            {
                names.push(name.to_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Whether the DataSet has a complete item `name` (never for an invalid item name).
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// ds.insert("run_0", &1, &())?;
    /// assert!(ds.contains("run_0") && !ds.contains("run_1") && !ds.contains("../x"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        if layout::item_name_problem(name).is_some() {
            return false;
        }
        match &self.foreign {
            Some(_) => self.dir.join(format!("{name}.py")).is_file(),
            None => self.info_path(name).is_file(),
        }
    }

    /// Read item `name` as a `T`.
    ///
    /// # Errors
    /// An invalid name; no such item, or it does not read as a `T`.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// ds.insert("run_0", &vec![1.5, 2.5], &())?;
    /// assert_eq!(ds.read::<Vec<f64>>("run_0")?, [1.5, 2.5]);
    /// assert!(ds.read::<Vec<f64>>("run_1").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read<T: Persist>(&self, name: &str) -> Result<T, DataSetError> {
        self.check_item_name(name)?;
        self.check_exists(name)?;
        let item = self.dir.join(format!("{name}.py"));
        let reader = ArchiveReader::open_dataset_item_with(&item, &self.read_options)
            .map_err(|source| self.read_error(name, source))?;
        reader
            .read(name)
            .map_err(|source| self.read_error(name, source))
    }

    /// Read the metadata of item `name` as an `I`.
    ///
    /// # Errors
    /// An invalid name; no such item, or its metadata does not read as an `I`; a folder not laid
    /// out as this crate writes DataSets.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// let dir = tempfile::tempdir()?;
    /// let ds = persist_core::DataSet::create(dir.path().join("sweep"))?;
    /// ds.insert("run_0", &[1, 2], &BTreeMap::from([("alpha", 0.5)]))?;
    /// let info: BTreeMap<String, f64> = ds.info("run_0")?;
    /// assert_eq!(info["alpha"], 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn info<I: Persist>(&self, name: &str) -> Result<I, DataSetError> {
        self.check_item_name(name)?;
        self.check_layout("read the metadata of an item")?;
        self.check_exists(name)?;
        ArchiveReader::open_with(self.info_path(name), &self.read_options)
            .and_then(|r| r.read("info"))
            .map_err(|source| self.read_error(name, source))
    }
}
