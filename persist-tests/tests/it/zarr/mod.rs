//! The Zarr v3 array store (feature `zarr`): archives whose arrays Python opens lazily with
//! zarr-python, dask and xarray read, Rust loads back with dtype and shape checked, and
//! hostile groups are refused (`attack.rs`).

mod attack;
mod parallel;
mod shards;
mod store;

use ndarray::{Array1, Array2, Array3, ShapeBuilder};
use num_complex::Complex;
use persist_core::{Archive, ArrayStore, ZarrOptions};

/// An archive with every array (threshold 0) in one Zarr group, one array of each kind of
/// element, chunked small so that arrays have several chunks.
pub(super) fn zarr_archive<'a>(options: ZarrOptions) -> Archive<'a> {
    let mut archive = Archive::new()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Zarr(options));
    archive
        .insert(
            "field",
            Array2::from_shape_vec((30, 40).f(), (0..1200).map(f64::from).collect()).unwrap(),
        )
        .unwrap();
    archive
        .insert("counts", Array1::from(vec![i64::MIN, -1, 0, i64::MAX]))
        .unwrap();
    archive
        .insert("small", Array1::from(vec![-3i8, 0, 7]))
        .unwrap();
    archive
        .insert("unsigned", Array1::from(vec![0u16, 1, u16::MAX]))
        .unwrap();
    archive
        .insert("mask", Array1::from(vec![true, false, true, true]))
        .unwrap();
    archive
        .insert(
            "wave",
            Array1::from(vec![Complex::new(1.5f32, -2.0), Complex::new(-0.0, 1e30)]),
        )
        .unwrap();
    archive
        .insert("cube", Array3::<f32>::from_elem((5, 6, 7), 0.25))
        .unwrap();
    archive
        .insert("empty", Array2::<f64>::zeros((0, 3)))
        .unwrap();
    archive
}

/// Options with chunks of 256 bytes: every array above has several chunks, and partial ones.
pub(super) fn small_chunks() -> ZarrOptions {
    ZarrOptions::default().chunk_bytes(256)
}
