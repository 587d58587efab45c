//! A DataSet's reading path: a fuzz input replaces the contents of the files of a DataSet this
//! crate saved (see `persist_fuzz::dataset_template`: its `__init__.py`, its metadata index
//! segments and their data caches, its item modules and array files). `verify` checks the
//! DataSet, then a read-only handle lists its items and reads each item and its metadata as
//! several types. Neither may panic, abort or hang; errors are fine.

#![no_main]

use std::collections::{BTreeMap, HashMap};

use libfuzzer_sys::fuzz_target;
use ndarray::Array1;
use persist_core::DataSet;
use persist_fuzz::Scratch;

fuzz_target!(|data: &[u8]| {
    let dataset = Scratch::get().write_dataset(data);
    let _ = persist_core::verify(&dataset, &Default::default());
    let Ok(ds) = DataSet::open_read_only(&dataset) else {
        return;
    };
    let Ok(items) = ds.items() else {
        return;
    };
    for item in items.iter().take(4) {
        let _ = ds.contains(item);
        let _ = ds.read::<Vec<f64>>(item);
        let _ = ds.read::<Array1<f64>>(item);
        let _ = ds.info::<BTreeMap<String, f64>>(item);
        let _ = ds.info::<HashMap<String, String>>(item);
    }
});
