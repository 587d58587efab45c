//! The format floor: every archive format version this crate knows, what each added, and the
//! header line that names it. Writing, reading and the stores all take their format numbers from
//! here; nothing above this module defines one.

pub(crate) mod helpers;
pub(crate) mod helpers_v1;

/// The oldest format: what a source without a header line is read as.
pub(crate) const OLDEST_FORMAT: u32 = 1;

/// The newest version of the archive format, which this crate reads and writes. A header names
/// the oldest format that holds the archive: an archive with record classes is format 5, one
/// with arrays in the Zarr store format 4, any other format 2 (byte for byte what format 2
/// always wrote).
///
/// Format 2 changed the record helper (records of two loads compare equal); format 3 added
/// record tables (the `_table` helper) and the DataSet metadata index (`_index/`, a new
/// DataSet `__init__.py`); format 4 added the Zarr array store (its `_load`); format 5 made
/// records dataclasses that the module keeps, so that they pickle (`__getattr__`, `__dir__`,
/// `__all__`, and `_item` in DataSet items); format 6 added dict tables and columns of lists;
/// format 7 let an overwritten module archive keep its arrays under a second name; format 8
/// added the data caches of a DataSet's metadata index (`_index/FIRST_LAST.marshal`, read by
/// a new DataSet `__init__.py`). Archives of every older format still load, and an older
/// reader refuses a newer format by name.
///
/// ```
/// use persist_core::{Archive, FORMAT_VERSION};
/// // An archive without record classes is written as format 2, which older readers read too.
/// let source = Archive::new().to_python_source()?;
/// assert!(source.starts_with("# persist archive, format 2,"));
/// assert_eq!(FORMAT_VERSION, 8);
/// # Ok::<(), persist_core::ArchiveError>(())
/// ```
pub const FORMAT_VERSION: u32 = 8;

/// The format of a module archive whose arrays are under their second name (`NAME_arrays.2`,
/// written by an overwrite so that the source is swapped in one step; see
/// `store::second_name`).
pub(crate) const FORMAT_WITH_SECOND_NAMES: u32 = 7;

/// The format of an archive with tables of lists (columns of kind `'[float64]'`) or dict tables
/// (`_table(dict, ...)`).
pub(crate) const FORMAT_WITH_LIST_COLUMNS: u32 = 6;

/// The format of an archive with record classes made by `_record` (dataclasses the module
/// keeps, found by `pickle`).
pub(crate) const FORMAT_WITH_DATACLASSES: u32 = 5;

/// The format of a DataSet's metadata index (and of the archives with record tables this crate
/// wrote before format 5).
pub(crate) const FORMAT_WITH_TABLES: u32 = 3;

/// The format of an archive without record tables and without Zarr arrays.
pub(crate) const FORMAT_WITHOUT_TABLES: u32 = 2;

/// The first format with the npz array store: format 1 archives never had npz files.
pub(crate) const FORMAT_WITH_NPZ: u32 = 2;

/// The first format with the Zarr array store: no earlier archive had Zarr arrays, and a reader
/// of format 3 refuses such an archive as newer instead of as a helper it does not know.
pub(crate) const FORMAT_WITH_ZARR: u32 = 4;

/// The first format with mapped npy files (`ArrayStore::NpyMmap`'s `_load`).
pub(crate) const FORMAT_WITH_MMAP: u32 = 4;

/// The starts of a header line, before the format number: an archive module's and a DataSet's
/// `__init__.py`'s (`# persist archive, format N, written by persist-core X.`).
pub(crate) const HEADER_PREFIXES: [&str; 2] =
    ["# persist archive, format ", "# persist DataSet, format "];
