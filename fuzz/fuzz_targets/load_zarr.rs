//! The Zarr store's reading path: a fuzz input becomes the array `field` of an archive package
//! whose source and group this crate saved (see `persist_fuzz::split_zarr_input`): the input's
//! first part is the array's `zarr.json`, each later part a chunk file, its key on its first
//! line. `verify` checks the archive, then `ArchiveReader::open` reads the array as one of
//! several element types and shapes. Neither may panic, abort or hang, or allocate past the
//! store's limits; errors are fine.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ndarray::{Array2, ArrayD};
use num_complex::Complex;
use persist_core::ArchiveReader;
use persist_fuzz::{Scratch, split_zarr_input};

fuzz_target!(|data: &[u8]| {
    let (meta, chunks) = split_zarr_input(data);
    let archive = Scratch::get().write_zarr(meta, &chunks);
    let _ = persist_core::verify(&archive, &Default::default());
    let Ok(reader) = ArchiveReader::open(&archive) else {
        return;
    };
    match data.len() % 5 {
        0 => drop(reader.read::<ArrayD<f64>>("field")),
        1 => drop(reader.read::<Array2<f64>>("field")),
        2 => drop(reader.read::<ArrayD<i32>>("field")),
        3 => drop(reader.read::<ArrayD<u8>>("field")),
        _ => drop(reader.read::<ArrayD<Complex<f32>>>("field")),
    }
});
