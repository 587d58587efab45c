//! The golden archives of format 3: the set of format 1 (whose archives hold no record table, so
//! they are written as format 2, the oldest format that reads them) plus record tables (format
//! 3): `tables` (a package, npy columns), `tables_hdf5` (a package, HDF5 columns) and
//! `tables_inline.py` (list literals, as `to_python_source` writes them).

use persist_core::Persist;

/// The entries of format 3's folder beyond those of format 1.
pub const TABLE_ENTRIES: [&str; 3] = ["tables", "tables_hdf5", "tables_inline.py"];

/// Every entry of the folder (`__pycache__` aside), sorted.
pub fn entries() -> Vec<&'static str> {
    let mut all: Vec<&str> = super::v1::ENTRIES.to_vec();
    all.extend(TABLE_ENTRIES);
    all.sort_unstable();
    all
}

/// A nested record of a table row.
#[derive(Persist, Debug, Clone, PartialEq)]
pub struct Spot {
    pub x: f64,
    pub y: f32,
}

/// One row of the golden tables: a field of every column kind.
#[derive(Persist, Debug, Clone, PartialEq)]
pub struct Event {
    pub name: String,
    pub id: u64,
    pub charge: i32,
    pub small: i8,
    pub energy: f64,
    pub hit: bool,
    pub note: Option<String>,
    pub weight: Option<f64>,
    pub phase: num_complex::Complex<f64>,
    pub spot: Spot,
}

/// The rows of every golden table (more than the threshold, so they are a table).
pub fn events() -> Vec<Event> {
    const NAMES: [&str; 4] = ["muon", "", "π⁺", "tab\there"];
    (0..9u32)
        .map(|i| Event {
            name: format!("{}{i}", NAMES[i as usize % 4]),
            id: u64::MAX - u64::from(i),
            charge: if i % 2 == 0 { -(i as i32) } else { i as i32 },
            small: i8::MIN + i as i8,
            energy: f64::from(i) * 0.25 - 1.0,
            hit: i % 3 == 0,
            note: (i % 3 != 1).then(|| format!("note {i}")),
            weight: (i % 4 != 2).then(|| f64::from(i) / 3.0),
            phase: num_complex::Complex::new(f64::from(i), -0.5),
            spot: Spot {
                x: -f64::from(i),
                y: 0.1 * i as f32,
            },
        })
        .collect()
}

#[cfg(feature = "hdf5")]
pub use write::write;

#[cfg(feature = "hdf5")]
mod write {
    use std::path::Path;

    use persist_core::{Archive, ArrayStore, Hdf5Options, SaveOptions};

    use super::events;
    use crate::golden::v1::THRESHOLD;

    /// Write the golden archives of format 3 into `dir` (which must not exist yet).
    ///
    /// # Errors
    /// `dir` exists, or an archive cannot be written.
    pub fn write(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
        crate::golden::v1::write(dir)?;
        let mut npy = Archive::new().with_array_threshold(THRESHOLD);
        npy.insert("events", events())?;
        npy.save(dir.join("tables"), SaveOptions::package())?;
        let mut hdf5 = Archive::new()
            .with_array_threshold(THRESHOLD)
            .with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
        hdf5.insert("events", events())?;
        hdf5.save(dir.join("tables_hdf5"), SaveOptions::package())?;
        std::fs::write(dir.join("tables_inline.py"), npy.to_python_source()?)?;
        Ok(())
    }
}
