//! [`ReadOptions`]: what a reader trusts and how much it may expand.

/// Options of [`ArchiveReader::open_with`](crate::ArchiveReader::open_with): the modules an
/// archive may import its record classes from, and the expansion budget.
///
/// **Trusted modules.** An archive written with `#[persist(python = "mylab.models:Params")]`
/// imports `mylab.models` when Python imports it, which runs that module's code. The reader
/// refuses such an archive unless the module is trusted here.
///
/// **Expansion budget.** A name used many times is read again at each use, so a small file can
/// stand for a huge value (`b = [a, a, a]`, `c = [b, b, b]`, ...). Reading one item may touch at
/// most `floor + per_byte × (size of the source in bytes)` values; past that the read is refused
/// with the item's position. An archive as the writer makes it needs about one value per byte
/// of source at most; the default (`per_byte` 16, `floor` 1 000 000) leaves room for hand edits
/// and for values shared through `Rc` written once and read into a type without `Rc`.
///
/// ```
/// use persist_core::ReadOptions;
/// let options = ReadOptions::new()
///     .trust_module("mylab.models")
///     .expansion_limit(64, 10_000_000);
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub(crate) trusted_modules: Vec<String>,
    per_byte: u64,
    floor: u64,
    pub(crate) limits: crate::store::StoreLimits,
    pub(crate) structural: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            trusted_modules: Vec::new(),
            per_byte: 16,
            floor: 1_000_000,
            limits: crate::store::StoreLimits::default(),
            structural: false,
        }
    }
}

impl ReadOptions {
    /// The defaults: no module trusted; an expansion budget of 16 values per source byte plus
    /// 1 000 000.
    ///
    /// ```
    /// let options = persist_core::ReadOptions::new();
    /// # let _ = options;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Trust the module `module` (a dotted name, `mylab.models`): archives may import record
    /// classes from it (`from mylab.models import Params as _Params`).
    ///
    /// ```
    /// let options = persist_core::ReadOptions::new().trust_module("mylab.models");
    /// # let _ = options;
    /// ```
    pub fn trust_module(mut self, module: impl Into<String>) -> Self {
        self.trusted_modules.push(module.into());
        self
    }

    /// Reading one item may touch at most `floor + per_byte × source bytes` values.
    ///
    /// ```
    /// let options = persist_core::ReadOptions::new().expansion_limit(100, 0);
    /// # let _ = options;
    /// ```
    pub fn expansion_limit(mut self, per_byte: u64, floor: u64) -> Self {
        self.per_byte = per_byte;
        self.floor = floor;
        self
    }

    /// An HDF5 dataset may take at most `bytes` bytes in memory once read. By default the limit
    /// is in proportion to the HDF5 file (`HDF5_MAX_EXPANSION` times its size, at least
    /// `HDF5_MIN_READ_LIMIT`), so that a tiny file cannot announce a huge sparse dataset.
    ///
    /// ```
    /// // Read archives whose compressed HDF5 data expands more than the default allows.
    /// let options = persist_core::ReadOptions::new().hdf5_limit(64 << 30);
    /// # let _ = options;
    /// ```
    pub fn hdf5_limit(mut self, bytes: u64) -> Self {
        self.limits.hdf5 = Some(bytes);
        self
    }

    /// A Zarr array may take at most `bytes` bytes in memory once read (default
    /// [`ZARR_READ_LIMIT`](crate::ZARR_READ_LIMIT), 1 GiB). Compressed chunks say nothing of the
    /// size they decode to, and an array of zeros needs no chunk file at all, so the limit is
    /// fixed rather than in proportion to the files: raise it to read larger arrays into memory.
    ///
    /// ```
    /// let options = persist_core::ReadOptions::new().zarr_limit(16 << 30);
    /// # let _ = options;
    /// ```
    pub fn zarr_limit(mut self, bytes: u64) -> Self {
        self.limits.zarr = Some(bytes);
        self
    }

    /// Read records by their fields alone, whatever their class (the behaviour before records'
    /// classes were compared): a struct then reads any record of the archive's own classes
    /// whose fields it finds, and an enum any record whose class ends in one of its variants'
    /// names. By default a struct reads only records of its own Python name (or of the names
    /// it lists with `#[persist(alias = "OldName")]`), and an enum only records of its own
    /// variants, so that an item read as the wrong type is an error, not a silent success.
    ///
    /// ```
    /// use persist_core::{Persist, ReadOptions};
    /// #[derive(Persist)]
    /// struct Params { steps: u32 }
    /// #[derive(Persist, Debug)]
    /// struct Budget { steps: u32 }
    /// let mut archive = persist_core::Archive::new();
    /// archive.insert("params", Params { steps: 10 })?;
    /// let source = archive.to_python_source()?;
    /// let strict = persist_core::ArchiveReader::from_source(&source)?;
    /// assert!(strict.read::<Budget>("params").is_err()); // a `Params` is no `Budget`
    /// let loose = ReadOptions::new().structural_records(true);
    /// let reader = persist_core::ArchiveReader::from_source_with(&source, &loose)?;
    /// assert_eq!(reader.read::<Budget>("params")?.steps, 10);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn structural_records(mut self, yes: bool) -> Self {
        self.structural = yes;
        self
    }

    /// The budget of one read from a source of `len` bytes.
    pub(crate) fn budget_for(&self, len: usize) -> u64 {
        self.per_byte
            .saturating_mul(len as u64)
            .saturating_add(self.floor)
    }
}
