//! The golden archives of format 5: format 4's set written again. Format 5 made records
//! standard dataclasses that the module keeps (so that they pickle and deep-copy), which makes
//! every archive with records format 5; the others keep the oldest format that holds them.

pub use super::v4::entries;

#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub use super::v4::write;
