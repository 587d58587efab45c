//! ZREAD: reading a Zarr array of an archive back, Rust (`ArchiveReader::read`, the checked
//! reader: chunk files read and decoded by a few threads at once) against zarr-python reading
//! the same array whole (`array[...]`) in a fresh process, uncompressed and with zstd, medians
//! of alternating rounds on a warm page cache.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use ndarray::Array2;
use persist_bench::{Row, Table, Target};
use persist_core::{Archive, ArchiveReader, ArrayStore, ReadOptions, SaveOptions, ZarrOptions};

use crate::stream::binary;
use crate::{Config, median, secs};

/// ZREAD: a 512 MiB f64 array (64 MiB quick) in 1 MiB chunks, raw and zstd 3.
pub fn run(config: &Config, table: &mut Table) {
    let Some(python) = crate::python::find() else {
        table.push(Row::skipped(
            "ZREAD",
            "Zarr read vs zarr-python",
            "no Python with numpy",
        ));
        return;
    };
    let rows = if config.quick { 1 << 13 } else { 1 << 16 };
    let field = Array2::from_shape_fn((rows, 1024), |(i, j)| ((i * 1024 + j) as f64).sin());
    let bytes = (field.len() * 8) as u64;
    let dir = config.scratch("zread");
    let rounds = config.reps(5, 1);
    for (label, options) in [
        ("uncompressed", ZarrOptions::default().uncompressed()),
        ("zstd 3", ZarrOptions::default()),
    ] {
        let path = dir.join(if label == "zstd 3" { "zstd" } else { "raw" });
        let mut archive = Archive::new().with_array_store(ArrayStore::Zarr(options));
        archive.insert("field", &field).expect("insert");
        archive
            .save(&path, SaveOptions::package().durable(false))
            .expect("save");
        let group = path.join("_arrays.zarr/field");
        let script = format!(
            "import time, zarr\na = zarr.open_array({:?}, mode='r')\nt = time.perf_counter()\n\
             x = a[...]\nprint(time.perf_counter() - t)\nassert x.shape == {:?}",
            group.display().to_string(),
            (rows, 1024)
        );
        let options = ReadOptions::new().zarr_limit(bytes);
        let (mut rust, mut zarr_python) = (Vec::new(), Vec::new());
        eprintln!(
            "ZREAD: {rounds} rounds of reading {} ({label})",
            binary(bytes)
        );
        for _ in 0..rounds {
            let t = Instant::now();
            let back: Array2<f64> = ArchiveReader::open_with(&path, &options)
                .and_then(|r| r.read("field"))
                .expect("read");
            rust.push(t.elapsed().as_secs_f64());
            assert_eq!(back.dim(), field.dim());
            drop(back);
            match python_read(&python, &script) {
                Ok(s) => zarr_python.push(s),
                Err(why) => {
                    table.push(Row::skipped("ZREAD", format!("read {label}"), why));
                    return;
                }
            }
        }
        let (rust, zarr_python) = (median(rust), median(zarr_python));
        let rate = |s: f64| format!("{} ({:.0} MB/s)", secs(s), bytes as f64 / s / 1e6);
        table.push(Row::new(
            "ZREAD",
            format!(
                "read a {} f64 array from a Zarr archive in Rust, 1 MiB chunks, {label}",
                binary(bytes)
            ),
            rate(rust),
            format!("zarr-python `array[...]` {}", rate(zarr_python)),
            zarr_python / rust,
            Target::AtLeast(1.0),
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Seconds zarr-python takes for `script`'s read, in a fresh process.
fn python_read(python: &Path, script: &str) -> Result<f64, String> {
    let out = Command::new(python)
        .args(["-c", script])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "python failed (needs zarr 3): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("{e}"))
}
