//! Arbitrary bytes (as UTF-8, lossily) given to the archive parser and reader: neither may panic,
//! hang or crash, whatever they are given. Errors are fine.

#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use ndarray::{Array2, ArrayD};
use num_complex::Complex;
use persist_core::__private::parse_module;
use persist_core::ArchiveReader;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let _ = parse_module(&source);
    let Ok(reader) = ArchiveReader::from_source(&source) else {
        return;
    };
    let Some(item) = reader.items().next().map(str::to_owned) else {
        return;
    };
    let _ = reader.read::<f64>(&item);
    let _ = reader.read::<i64>(&item);
    let _ = reader.read::<u128>(&item);
    let _ = reader.read::<String>(&item);
    let _ = reader.read::<Option<Vec<(bool, char)>>>(&item);
    let _ = reader.read::<BTreeMap<String, Complex<f64>>>(&item);
    let _ = reader.read::<Array2<f64>>(&item);
    let _ = reader.read::<ArrayD<i32>>(&item);
});
