//! Zarr shards (`ZarrOptions::shards`): chunks gathered into one file per shard, which
//! zarr-python, dask and xarray read and Rust reads back; fewer files than chunks; streamed
//! arrays and parallel writers (whole shards each) sharded too; a shard whose index is damaged,
//! or points outside the shard, is refused.

use std::fs;
use std::path::{Path, PathBuf};

use ndarray::{Array1, Array2};
use persist_core::{Archive, ArchiveReader, ArrayStore, SaveOptions, ZarrOptions, verify};
use persist_tests::save_package;

use super::{small_chunks, zarr_archive};

/// The files under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// The shape, shard shape and chunk shape in the metadata of the Zarr array folder `array`.
fn shapes(array: &Path) -> [Vec<usize>; 3] {
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(array.join("zarr.json")).unwrap()).unwrap();
    let list = |v: &serde_json::Value| -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap() as usize)
            .collect()
    };
    let sharding = &meta["codecs"][0];
    assert_eq!(sharding["name"], "sharding_indexed", "{meta}");
    [
        list(&meta["shape"]),
        list(&meta["chunk_grid"]["configuration"]["chunk_shape"]),
        list(&sharding["configuration"]["chunk_shape"]),
    ]
}

/// How many cells of `cell` cover `shape`.
fn cells(shape: &[usize], cell: &[usize]) -> usize {
    shape
        .iter()
        .zip(cell)
        .map(|(n, c)| n.div_ceil(*c))
        .product()
}

#[test]
fn every_array_sharded_reads_back_in_python_and_rust_from_fewer_files() {
    // Chunks of 256 bytes, shards of 4 of them.
    let saved = save_package(&zarr_archive(small_chunks().shards(1024)));
    let arch = saved.dir.path().join("arch");
    verify(&arch, &Default::default()).unwrap();
    super::store::load_back(&arch);
    // `field` (30 x 40 f64, 9 600 bytes): chunks of at most 256 bytes, 4 to a shard file.
    let array = arch.join("_arrays.zarr/field");
    let [shape, shard, chunk] = shapes(&array);
    assert_eq!(cells(&shard, &chunk), 4, "{shard:?} {chunk:?}");
    let (shards, chunks) = (cells(&shape, &shard), cells(&shape, &chunk));
    assert!(chunks > 3 * shards, "{chunks} chunks in {shards} shards");
    assert_eq!(files(&array.join("c")).len(), shards);
    let check = format!(
        "{}\nassert a.field.shards == {:?} and a.field.chunks == {:?}, (a.field.shards, a.field.chunks)\nprint('sharded')\n",
        super::store::PY_CHECK,
        (shard[0], shard[1]),
        (chunk[0], chunk[1]),
    );
    let out = saved.check(&check);
    assert_eq!(
        out.split_whitespace().collect::<Vec<_>>(),
        ["ok", "sharded"]
    );
}

#[test]
fn dask_and_xarray_compute_on_a_sharded_array() {
    let mut archive = Archive::new().with_array_store(ArrayStore::Zarr(
        ZarrOptions::default()
            .chunk_bytes(32 << 10)
            .shards(256 << 10)
            .dimension_names("field", ["time", "x"]),
    ));
    let field = Array2::from_shape_fn((512, 256), |(t, x)| (t * 256 + x) as f64 * 0.25);
    archive.insert("field", field.clone()).unwrap();
    let saved = save_package(&archive);
    let out = saved.check(
        r#"
import dask.array as da, xarray as xr, os
expected = np.arange(512 * 256, dtype='float64').reshape(512, 256) * 0.25
d = da.from_zarr(a.field)
assert d.mean().compute(scheduler='threads', num_workers=2) == expected.mean()
ds = xr.open_zarr(os.path.join(os.path.dirname(a.__file__), '_arrays.zarr'), consolidated=False)
assert ds['field'].dims == ('time', 'x'), ds['field'].dims
assert float(ds['field'][100:300, 7].sum()) == expected[100:300, 7].sum()
print(len(os.listdir(os.path.join(os.path.dirname(a.__file__), '_arrays.zarr', 'field', 'c'))))
"#,
    );
    // 1 MiB in shards of 256 KiB: 4 shard files along the first axis, each of 8 chunks.
    assert_eq!(out.trim(), "4");
    let back: Array2<f64> = ArrayReader(saved.dir.path().join("arch")).read("field");
    assert_eq!(back, field);
}

/// Read an item of the archive at a path (panics on an error).
struct ArrayReader(PathBuf);

impl ArrayReader {
    fn read<T: persist_core::Persist>(&self, item: &str) -> T {
        ArchiveReader::open(&self.0).unwrap().read(item).unwrap()
    }
}

#[test]
fn a_streamed_array_is_written_shard_by_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("run");
    let archive = Archive::new().with_array_store(ArrayStore::Zarr(
        ZarrOptions::default().chunk_bytes(800).shards(4000),
    ));
    let mut build = archive.build(&path, SaveOptions::package()).unwrap();
    let mut trace = build.stream_rows::<f64>("trace", 1000, &[]).unwrap();
    for k in 0..10 {
        trace
            .push(&Array1::from_shape_fn(100, |i| (k * 100 + i) as f64))
            .unwrap();
    }
    build.insert("trace", trace.finish().unwrap()).unwrap();
    build.commit().unwrap();
    // 8 000 bytes in shards of about 4 000: a few files, each of several chunks.
    let array = path.join("_arrays.zarr/trace");
    let [shape, shard, chunk] = shapes(&array);
    assert!(cells(&shard, &chunk) >= 4, "{shard:?} {chunk:?}");
    assert_eq!(files(&array.join("c")).len(), cells(&shape, &shard));
    let back: Array1<f64> = ArrayReader(path).read("trace");
    assert_eq!(back, Array1::from_shape_fn(1000, |i| i as f64));
}

/// attack.rs's package (a 100 x 100 f64 array `field` in chunks of 50 x 50) with its chunks in
/// two shards of 50 x 100.
fn sharded() -> (tempfile::TempDir, PathBuf) {
    super::attack::archive(ZarrOptions::default().shards(2 * 50 * 50 * 8))
}

/// The reading error of `field`.
fn read_error(arch: &Path) -> String {
    ArchiveReader::open(arch)
        .unwrap()
        .read::<Array2<f64>>("field")
        .unwrap_err()
        .to_string()
}

#[test]
fn a_damaged_or_lying_shard_index_is_refused() {
    let (_dir, arch) = sharded();
    let shard = arch.join("_arrays.zarr/field/c/1/0");
    let [_, cell, chunk] = shapes(&arch.join("_arrays.zarr/field"));
    let count = cells(&cell, &chunk);
    let mut bytes = fs::read(&shard).unwrap();
    let index = bytes.len() - count * 16 - 4;
    // One bit of the index flipped: its checksum no longer matches.
    bytes[index] ^= 1;
    fs::write(&shard, &bytes).unwrap();
    let err = read_error(&arch);
    assert!(
        err.contains("shard c/1/0") && err.contains("checksum"),
        "{err}"
    );
    // An index whose checksum matches but which points past the chunks.
    bytes[index] ^= 1;
    bytes[index..index + 8].copy_from_slice(&u64::MAX.wrapping_sub(7).to_le_bytes());
    let sum = crc32c::crc32c(&bytes[index..index + count * 16]);
    let end = bytes.len();
    bytes[end - 4..].copy_from_slice(&sum.to_le_bytes());
    fs::write(&shard, &bytes).unwrap();
    let err = read_error(&arch);
    assert!(
        err.contains("outside the") && err.contains("field"),
        "{err}"
    );
    // A shard shorter than its index.
    fs::write(&shard, [0u8; 10]).unwrap();
    assert!(read_error(&arch).contains("shorter than its index"));
}

#[test]
fn shard_metadata_this_crate_never_writes_is_refused() {
    let (_dir, arch) = sharded();
    let meta = arch.join("_arrays.zarr/field/zarr.json");
    let text: String = fs::read_to_string(&meta)
        .unwrap()
        .split_whitespace()
        .collect();
    let [_, _, chunk] = shapes(&arch.join("_arrays.zarr/field"));
    let (inner, other) = (
        format!(r#""chunk_shape":[{},{}]"#, chunk[0], chunk[1]),
        format!(r#""chunk_shape":[{},{}]"#, chunk[0] + 1, chunk[1]),
    );
    for (from, to, needle) in [
        (
            r#""index_location":"end""#,
            r#""index_location":"start""#,
            "not at their end",
        ),
        (
            r#"{"name":"crc32c"}"#,
            r#"{"name":"zstd"}"#,
            r#"not "crc32c""#,
        ),
        (&inner, &other, "does not divide"),
    ] {
        assert!(text.contains(from), "{from} in {text}");
        fs::write(&meta, text.replacen(from, to, 1)).unwrap();
        let err = verify(&arch, &Default::default()).unwrap_err().to_string();
        assert!(
            err.contains(needle) && err.contains("_arrays.zarr"),
            "{err}"
        );
        assert!(read_error(&arch).contains(needle));
    }
    fs::write(&meta, text).unwrap();
    verify(&arch, &Default::default()).unwrap();
}

#[test]
fn parallel_writers_of_a_sharded_array_write_whole_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sim");
    // Rows of 300 f64; chunks of 25 rows; shards of 4 chunks, 100 rows.
    let archive = Archive::new().with_array_store(ArrayStore::Zarr(
        ZarrOptions::default()
            .chunk_bytes(25 * 300 * 8)
            .shards(100 * 300 * 8),
    ));
    let mut build = archive.build(&path, SaveOptions::package()).unwrap();
    let parts = build.zarr_parts::<f64>("field", &[1000, 300]).unwrap();
    let token = parts.token().to_owned();
    let value = |r: usize, c: usize| (r * 300 + c) as f64;
    // A range on chunk edges but inside a shard would share the shard's file: refused.
    let mut part = persist_core::ZarrPart::<f64>::open(&token).unwrap();
    let err = part
        .write(25, &Array2::zeros((25, 300)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("chunk edges (every 100 rows)"), "{err}");
    // Five writers at once, each two whole shards.
    std::thread::scope(|scope| {
        for k in 0..5 {
            let token = &token;
            scope.spawn(move || {
                let start = k * 200;
                let rows = Array2::from_shape_fn((200, 300), |(r, c)| value(start + r, c));
                persist_core::ZarrPart::<f64>::open(token)
                    .unwrap()
                    .write(start, &rows)
                    .unwrap();
            });
        }
    });
    build.insert("field", parts.finish().unwrap()).unwrap();
    build.commit().unwrap();
    let array = path.join("_arrays.zarr/field");
    let [shape, shard, _] = shapes(&array);
    assert_eq!(shard[0], 100);
    assert_eq!(files(&array.join("c")).len(), cells(&shape, &shard));
    let back: Array2<f64> = ArrayReader(path).read("field");
    assert_eq!(
        back,
        Array2::from_shape_fn((1000, 300), |(r, c)| value(r, c))
    );
}
