//! [`SaveOptions`]: how [`Archive::save`](super::Archive::save) writes: the layout, whether an
//! existing archive may be replaced, whether the save waits for the disk.

use super::Layout;

/// How [`Archive::save`](crate::Archive::save) writes: the layout and whether an existing archive may be replaced.
///
/// ```
/// use persist_core::SaveOptions;
/// let options = SaveOptions::package().overwrite(true);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveOptions {
    pub(super) layout: Layout,
    pub(super) overwrite: bool,
    pub(super) durable: bool,
}

impl SaveOptions {
    /// Save as a module archive: the target path is `dir/NAME.py`, its external arrays beside
    /// it (`NAME_arrays/` for npy). An overwrite puts the new arrays under the name the old
    /// archive does not use (`NAME_arrays.2/`, then `NAME_arrays/` again), so that the source
    /// is swapped in one step and always finds its own arrays.
    ///
    /// ```
    /// use persist_core::{Archive, ArchiveReader, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let mut archive = Archive::new().with_array_threshold(2);
    /// archive.insert("alpha", 0.5)?;
    /// archive.insert("field", ndarray::Array1::<f64>::zeros(4))?;
    /// archive.save(dir.path().join("run"), SaveOptions::module())?;
    /// assert!(dir.path().join("run.py").is_file());
    /// assert!(dir.path().join("run_arrays/field.npy").is_file());
    /// archive.save(dir.path().join("run"), SaveOptions::module().overwrite(true))?;
    /// assert!(dir.path().join("run_arrays.2/field.npy").is_file());
    /// assert!(!dir.path().join("run_arrays").exists());
    /// let alpha: f64 = ArchiveReader::open(dir.path().join("run.py"))?.read("alpha")?;
    /// assert_eq!(alpha, 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module() -> Self {
        SaveOptions {
            layout: Layout::Module,
            overwrite: false,
            durable: true,
        }
    }

    /// Save as a package archive: the target path is the folder `dir/NAME`.
    ///
    /// ```
    /// use persist_core::{Archive, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let mut archive = Archive::new();
    /// archive.insert("alpha", 0.5)?;
    /// archive.save(dir.path().join("run"), SaveOptions::package())?;
    /// assert!(dir.path().join("run/__init__.py").is_file());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn package() -> Self {
        SaveOptions {
            layout: Layout::Package,
            overwrite: false,
            durable: true,
        }
    }

    /// Whether the save waits until its files are on disk before the archive appears at its
    /// path (default `true`: it survives a power failure or a crash of the machine). With
    /// `false`, for scratch results, saving skips the `fsync`s: it is still atomic against a
    /// crash of the process (the path holds the old archive or the new one, never a mix), but
    /// after a crash of the machine the latest save may be lost or hold empty files.
    ///
    /// ```
    /// use persist_core::{Archive, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let mut archive = Archive::new();
    /// archive.insert("scratch", vec![1.5; 1000])?;
    /// archive.save(dir.path().join("tmp_run"), SaveOptions::package().durable(false))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn durable(mut self, durable: bool) -> Self {
        self.durable = durable;
        self
    }

    /// Replace an existing archive at the target (by default that is an error).
    #[must_use]
    ///
    /// ```
    /// use persist_core::{Archive, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("run");
    /// let mut archive = Archive::new();
    /// archive.insert("alpha", 0.5)?;
    /// archive.save(&path, SaveOptions::package())?;
    /// assert!(archive.save(&path, SaveOptions::package()).is_err()); // exists
    /// archive.save(&path, SaveOptions::package().overwrite(true))?; // replaced atomically
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }
}
