//! The whole load path from disk: a fuzz input becomes an archive package (its `__init__.py`
//! and `.npy` files, see `persist_fuzz::split_input`), opened with `ArchiveReader::open`, and
//! every item read as many types (the array type it is read as picked by the input's length). Neither may panic, abort or hang; errors are fine.

#![no_main]

use libfuzzer_sys::fuzz_target;
use persist_core::ArchiveReader;
use persist_fuzz::{Scratch, read_all, split_input};

fuzz_target!(|data: &[u8]| {
    let (source, files) = split_input(data);
    let archive = Scratch::get().write(source, &files);
    let Ok(reader) = ArchiveReader::open(&archive) else {
        return;
    };
    let items: Vec<String> = reader.items().take(8).map(str::to_owned).collect();
    for (i, item) in items.iter().enumerate() {
        read_all(&reader, item, data.len() + i);
    }
});
