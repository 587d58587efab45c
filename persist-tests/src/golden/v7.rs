//! The golden archives of format 7: format 6's set written again (none of it is an overwrite, so
//! its files are format 6's, byte for byte, but the DataSet `sweep`'s `__init__.py`, which
//! format 7 made faster), and `second_npy`, `second_npz`, `second_hdf5` and
//! `second_zarr`: module archives saved twice, so that the second save put their arrays under
//! the second name format 7 added (`second_npy_arrays.2/`, `second_npz_arrays.2.npz`,
//! `second_hdf5_data.2.h5`, `second_zarr_arrays.2.zarr`), each with an array and a record
//! table.

#[cfg(all(feature = "hdf5", feature = "zarr"))]
use persist_core::ArrayStore;
use persist_core::Persist;

/// One sample of a sweep: the record of the tables.
#[derive(Persist, Debug, PartialEq, Clone)]
pub struct Point {
    /// The step.
    pub step: u32,
    /// The value.
    pub value: f64,
}

/// The array threshold of the archives: small, so that the golden files stay small.
pub const THRESHOLD: usize = 4;

/// The values of `second_*` after their second save: a field of 8 floats and 6 points.
pub fn second() -> (Vec<f64>, Vec<Point>) {
    let field = (0..8).map(|i| f64::from(i) * 0.5 - 1.0).collect();
    let points = (0..6)
        .map(|step| Point {
            step,
            value: f64::from(step) * 1.25,
        })
        .collect();
    (field, points)
}

/// The entries of format 7's folder beyond those of format 6.
pub const ENTRIES: [&str; 8] = [
    "second_hdf5.py",
    "second_hdf5_data.2.h5",
    "second_npy.py",
    "second_npy_arrays.2",
    "second_npz.py",
    "second_npz_arrays.2.npz",
    "second_zarr.py",
    "second_zarr_arrays.2.zarr",
];

/// The archives of [`ENTRIES`] by name, with their stores.
#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub fn stores() -> [(&'static str, ArrayStore); 4] {
    [
        ("second_npy", ArrayStore::Npy),
        ("second_npz", ArrayStore::Npz),
        ("second_hdf5", ArrayStore::Hdf5(Default::default())),
        ("second_zarr", ArrayStore::Zarr(Default::default())),
    ]
}

/// Every entry of the folder (`__pycache__` aside), sorted.
pub fn entries() -> Vec<&'static str> {
    let mut all = super::v6::entries();
    all.extend(ENTRIES);
    all.sort_unstable();
    all
}

/// Write the golden archives of format 7 into `dir` (which must not exist yet).
///
/// # Errors
/// `dir` exists, or an archive cannot be written.
#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub fn write(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use persist_core::{Archive, SaveOptions};
    super::v6::write(dir)?;
    let (field, points) = second();
    for (name, store) in stores() {
        // A first version, overwritten: the second save takes the second name.
        let mut first = Archive::new()
            .with_array_threshold(THRESHOLD)
            .with_array_store(store.clone());
        first.insert("field", vec![0.0; 8])?;
        first.save(dir.join(format!("{name}.py")), SaveOptions::module())?;
        let mut archive = Archive::new()
            .with_array_threshold(THRESHOLD)
            .with_array_store(store);
        archive.insert("field", ndarray::Array1::from(field.clone()))?;
        archive.insert("points", &points)?;
        archive.save(
            dir.join(format!("{name}.py")),
            SaveOptions::module().overwrite(true),
        )?;
    }
    Ok(())
}
