//! The golden archives of format 8: format 7's set written again (byte for byte but the DataSet
//! `sweep`, whose `__init__.py` is format 8's and whose metadata index now has a data cache
//! beside each segment, `_index/FIRST_LAST.marshal`), and `meta`: a DataSet whose items'
//! metadata touches every plain value the writer spells, so that every supported Python loads
//! the caches' `marshal` encoding of them.

use std::collections::{BTreeMap, BTreeSet};

use num_complex::Complex64;

/// The metadata of `meta`'s items: special floats and a signed zero, integers past 32, 64 and
/// 127 bits, a non-ASCII and a long string, `None` and a `bool`, a set (empty for even items),
/// a nested dict with a repeated key, a complex number with a NaN part and an `f32`.
pub type Meta = (
    (f64, f64, f64, f64, f64),
    (i64, u64, i128, i32),
    (String, String, Option<bool>, bool),
    BTreeSet<i32>,
    BTreeMap<String, Vec<i64>>,
    (Complex64, f32),
);

/// The metadata of item `m{k}`.
pub fn meta(k: i32) -> Meta {
    let set = if k % 2 == 0 {
        BTreeSet::new()
    } else {
        BTreeSet::from([k, -k, 7])
    };
    (
        (f64::NAN, f64::NEG_INFINITY, -0.0, 1e300, 5e-324),
        (i64::MIN, u64::MAX, i128::MIN + i128::from(k), -k),
        (format!("naïve ☃ {k}"), "x".repeat(300), None, k % 3 == 0),
        set,
        BTreeMap::from([("alpha".to_owned(), vec![i64::from(k), 1 << 40])]),
        (Complex64::new(-0.0, f64::NAN), 0.1),
    )
}

/// How many items `meta` holds (`m0` to `m3`).
pub const META_ITEMS: i32 = 4;

/// Every entry of the folder (`__pycache__` aside), sorted.
pub fn entries() -> Vec<&'static str> {
    let mut all = super::v7::entries();
    all.push("meta");
    all.sort_unstable();
    all
}

/// Write the golden archives of format 8 into `dir` (which must not exist yet).
///
/// # Errors
/// `dir` exists, or an archive cannot be written.
#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub fn write(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    super::v7::write(dir)?;
    let ds = persist_core::DataSet::create(dir.join("meta"))?;
    for k in 0..META_ITEMS {
        ds.insert(&format!("m{k}"), &k, &meta(k))?;
    }
    Ok(())
}
