//! The golden archives of format 6: format 5's set written again (none of it uses what format
//! 6 added, so its files are format 5's, byte for byte), and `lists`, a package with the layouts
//! format 6 added for many short lists: a dict table (`_table(dict, ...)`) of a
//! `BTreeMap<String, Vec<f64>>`, a record table whose fields are lists (columns of lists,
//! `'[float64]'`), and a one-column table of lists (`Vec<Vec<i32>>`).

use std::collections::BTreeMap;

use persist_core::Persist;

/// One trace of a run: a record with list fields.
#[derive(Persist, Debug, PartialEq, Clone)]
pub struct Trace {
    /// The channel.
    pub channel: u16,
    /// The samples (some empty).
    pub samples: Vec<f64>,
    /// Which samples were saturated.
    pub saturated: Vec<bool>,
}

/// The array threshold of `lists`: small, so that the golden files stay small.
pub const THRESHOLD: usize = 4;

/// Spectra by name: a dict table.
pub type Spectra = BTreeMap<String, Vec<f64>>;

/// The values of `lists`: spectra by name, traces, and lists of lists.
pub fn lists() -> (Spectra, Vec<Trace>, Vec<Vec<i32>>) {
    let spectra = (0..6)
        .map(|k| {
            let values = (0..k % 4)
                .map(|i| f64::from(k) + f64::from(i) / 8.0)
                .collect();
            (format!("s{k}"), values)
        })
        .collect();
    let traces = (0..6)
        .map(|c| Trace {
            channel: c,
            samples: (0..c % 3).map(|i| f64::from(i) * 0.1 - 1.0).collect(),
            saturated: (0..c % 3).map(|i| i == 1).collect(),
        })
        .collect();
    let nested = (0..6)
        .map(|n| (0..n).map(|i| i * i - 3).collect())
        .collect();
    (spectra, traces, nested)
}

/// The entries of format 6's folder beyond those of format 5.
pub const ENTRIES: [&str; 1] = ["lists"];

/// Every entry of the folder (`__pycache__` aside), sorted.
pub fn entries() -> Vec<&'static str> {
    let mut all = super::v5::entries();
    all.extend(ENTRIES);
    all.sort_unstable();
    all
}

/// Write the golden archives of format 6 into `dir` (which must not exist yet).
///
/// # Errors
/// `dir` exists, or an archive cannot be written.
#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub fn write(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    super::v5::write(dir)?;
    let (spectra, traces, nested) = lists();
    let mut archive = persist_core::Archive::new().with_array_threshold(THRESHOLD);
    archive.insert("spectra", spectra)?;
    archive.insert("traces", traces)?;
    archive.insert("nested", nested)?;
    archive.save(dir.join("lists"), persist_core::SaveOptions::package())?;
    Ok(())
}
