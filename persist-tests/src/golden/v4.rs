//! The golden archives of format 4: the set of format 3 (written as formats 2 and 3, the oldest
//! formats that hold them) plus what format 4 added, the Zarr store and record tables whose
//! columns load lazily, and npy files that Python maps: `zarr_run` (a package whose arrays, a
//! field and a record table's columns, are in `_arrays.zarr`), `tables_hdf5_lazy` (a table in a
//! lazy HDF5 file) and `arrays_mmap` (the field and the table in mapped npy files).

/// The entries of format 4's folder beyond those of format 3.
pub const ZARR_ENTRIES: [&str; 3] = ["arrays_mmap", "tables_hdf5_lazy", "zarr_run"];

/// Every entry of the folder (`__pycache__` aside), sorted.
pub fn entries() -> Vec<&'static str> {
    let mut all = super::v3::entries();
    all.extend(ZARR_ENTRIES);
    all.sort_unstable();
    all
}

/// The field of the Zarr archive: 40 x 30, element (i, j) is `i * 30 + j` halved, in chunks of
/// 20 x 15 (2400 bytes).
pub fn field() -> ndarray::Array2<f64> {
    ndarray::Array2::from_shape_fn((40, 30), |(i, j)| (i * 30 + j) as f64 * 0.5)
}

/// The Zarr store's options of the golden archive.
#[cfg(feature = "zarr")]
pub fn options() -> persist_core::ZarrOptions {
    persist_core::ZarrOptions::default()
        .chunk_bytes(10 * 30 * 8)
        .dimension_names("field", ["y", "x"])
}

#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub use write::write;

#[cfg(all(feature = "hdf5", feature = "zarr"))]
mod write {
    use std::path::Path;

    use persist_core::{Archive, ArrayStore, Hdf5Options, SaveOptions};

    use super::{field, options};
    use crate::golden::v1::THRESHOLD;
    use crate::golden::v3::events;

    /// Write the golden archives of format 4 into `dir` (which must not exist yet).
    ///
    /// # Errors
    /// `dir` exists, or an archive cannot be written.
    pub fn write(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
        crate::golden::v3::write(dir)?;
        let mut zarr = Archive::new()
            .with_array_threshold(THRESHOLD)
            .with_array_store(ArrayStore::Zarr(options()));
        zarr.insert("field", field())?;
        zarr.insert("events", events())?;
        zarr.save(dir.join("zarr_run"), SaveOptions::package())?;
        let mut lazy = Archive::new()
            .with_array_threshold(THRESHOLD)
            .with_array_store(ArrayStore::Hdf5(Hdf5Options::default().lazy(true)));
        lazy.insert("events", events())?;
        lazy.save(dir.join("tables_hdf5_lazy"), SaveOptions::package())?;
        let mut mmap = Archive::new()
            .with_array_threshold(THRESHOLD)
            .with_array_store(ArrayStore::NpyMmap);
        mmap.insert("field", field())?;
        mmap.insert("events", events())?;
        mmap.save(dir.join("arrays_mmap"), SaveOptions::package())?;
        Ok(())
    }
}
