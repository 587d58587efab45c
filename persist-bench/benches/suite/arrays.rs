//! P1 (saving and loading one large array), its peak memory (RSS), and the HDF5 store.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use ndarray::Array2;
use persist_bench::{Row, Table, Target, rounds, time};
use persist_core::{Archive, SaveOptions};

use crate::{Config, mb, secs};

/// Columns of the benchmark arrays; rows make up the size.
const COLUMNS: usize = 4000;

/// The first argument that makes the suite a child process of the RSS figure.
pub const RSS_CHILD: &str = "--rss-child";

/// A 2-D f64 array of about `bytes` bytes, every element written (so its pages are resident)
/// with values that do not compress to nothing.
fn field(bytes: usize) -> Array2<f64> {
    let rows = (bytes / 8).div_ceil(COLUMNS);
    Array2::from_shape_fn((rows, COLUMNS), |(i, j)| {
        ((i * COLUMNS + j) as f64 * 1e-4).sin() * 300.0
    })
}

/// The bytes of `array`'s elements, in memory order.
fn raw_bytes(array: &Array2<f64>) -> Vec<u8> {
    array.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// Save `array` as the item `field` of a package archive `path` (replaced if there).
fn save_archive(array: &Array2<f64>, path: &Path, archive: Archive<'_>) {
    save_archive_with(array, path, archive, true);
}

/// [`save_archive`], durable (synced) or not (`SaveOptions::durable(false)`).
fn save_archive_with(array: &Array2<f64>, path: &Path, archive: Archive<'_>, durable: bool) {
    let mut archive = archive;
    archive.insert("field", array).expect("insert");
    archive
        .save(
            path,
            SaveOptions::package().overwrite(true).durable(durable),
        )
        .expect("save the archive");
}

fn remove(path: &Path) {
    if path.is_dir() {
        let _ = fs::remove_dir_all(path);
    } else {
        let _ = fs::remove_file(path);
    }
}

/// Time `f` after removing `path`, so every contender writes a new file.
fn fresh(path: &Path, f: impl FnOnce()) -> Duration {
    remove(path);
    time(f).0
}

/// P1: saving one 100 MB f64 array through an archive vs `fs::write` of the same bytes vs
/// `ndarray_npy::write_npy`.
pub fn save(config: &Config, table: &mut Table) {
    let bytes = if config.quick {
        20_000_000
    } else {
        100_000_000
    };
    let array = field(bytes);
    let raw = raw_bytes(&array);
    let size = raw.len() as u64;
    let dir = config.scratch("p1");
    let (archive_path, scratch_path, raw_path, synced_path, npy_path) = (
        dir.join("field_archive"),
        dir.join("field_scratch"),
        dir.join("raw.bin"),
        dir.join("synced.bin"),
        dir.join("direct.npy"),
    );
    eprintln!("P1: saving a {:.0} MB f64 array", mb(size));
    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| {
                fresh(&archive_path, || {
                    save_archive(&array, &archive_path, Archive::new())
                })
            }),
            Box::new(|| fresh(&raw_path, || fs::write(&raw_path, &raw).expect("fs::write"))),
            Box::new(|| {
                fresh(&scratch_path, || {
                    save_archive_with(&array, &scratch_path, Archive::new(), false)
                })
            }),
            Box::new(|| {
                fresh(&synced_path, || {
                    let mut file = fs::File::create(&synced_path).expect("create");
                    file.write_all(&raw).expect("write");
                    file.sync_all().expect("sync");
                })
            }),
            Box::new(|| {
                fresh(&npy_path, || {
                    ndarray_npy::write_npy(&npy_path, &array).expect("write_npy");
                })
            }),
        ],
    );
    let [archive, write, scratch, synced, npy] = [0, 1, 2, 3, 4].map(|i| samples[i].median());
    let rate = |t: f64| format!("{} ({:.0} MB/s)", secs(t), mb(size) / t);
    let what = format!("save {:.0} MB f64 array, package archive (npy)", mb(size));
    table.push(Row::new(
        "P1",
        &what,
        rate(archive),
        format!("`fs::write` {}", rate(write)),
        write / archive,
        Target::AtLeast(0.8),
    ));
    table.push(Row::new(
        "P1",
        format!("{what}, `durable(false)`"),
        rate(scratch),
        format!("`fs::write` {}", rate(write)),
        write / scratch,
        Target::AtLeast(0.95),
    ));
    table.push(Row::new(
        "P1",
        format!("{what}, vs the same durability"),
        rate(archive),
        format!("`write_all` + `sync_all` {}", rate(synced)),
        synced / archive,
        Target::None,
    ));
    table.push(Row::new(
        "P1",
        &what,
        rate(archive),
        format!("`ndarray_npy::write_npy` {}", rate(npy)),
        npy / archive,
        Target::None,
    ));
}

/// P1, the other way: loading the array back in Rust (the page cache is warm for all three).
pub fn load(config: &Config, table: &mut Table) {
    let dir = config.work.join("p1");
    let (archive_path, raw_path, npy_path) = (
        dir.join("field_archive"),
        dir.join("raw.bin"),
        dir.join("direct.npy"),
    );
    if !archive_path.is_dir() {
        return;
    }
    let size = fs::metadata(&raw_path).map_or(0, |m| m.len());
    eprintln!("P1: loading it back");
    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| {
                time(|| {
                    let a: Array2<f64> = persist_core::load(&archive_path, "field").expect("load");
                    assert_eq!(a.len() as u64 * 8, size);
                })
                .0
            }),
            Box::new(|| time(|| fs::read(&raw_path).expect("fs::read").len()).0),
            Box::new(|| {
                time(|| {
                    let a: Array2<f64> = ndarray_npy::read_npy(&npy_path).expect("read_npy");
                    a.len()
                })
                .0
            }),
        ],
    );
    let [archive, read, npy] = [0, 1, 2].map(|i| samples[i].median());
    let rate = |t: f64| format!("{} ({:.0} MB/s)", secs(t), mb(size) / t);
    let what = format!(
        "load {:.0} MB f64 array in Rust (`persist_core::load`)",
        mb(size)
    );
    table.push(Row::new(
        "P1",
        &what,
        rate(archive),
        format!("`fs::read` {}", rate(read)),
        read / archive,
        Target::None,
    ));
    table.push(Row::new(
        "P1",
        &what,
        rate(archive),
        format!("`ndarray_npy::read_npy` {}", rate(npy)),
        npy / archive,
        Target::None,
    ));
}

/// In a child process: make a `bytes`-byte array, save it with `how` into `dir`, print the peak
/// RSS before and after saving.
pub fn rss_child(args: Vec<String>) -> ExitCode {
    let [how, bytes, dir] = &args[..] else {
        eprintln!("{RSS_CHILD} HOW BYTES DIR");
        return ExitCode::from(2);
    };
    let bytes: usize = bytes.parse().expect("a byte count");
    let dir = Path::new(dir);
    let array = field(bytes);
    let before = persist_bench::peak_rss().unwrap_or(0);
    match how.as_str() {
        "archive" => save_archive(&array, &dir.join("big_archive"), Archive::new()),
        "fs-write" => {
            let slice = array.as_slice().expect("standard layout");
            let mut file = fs::File::create(dir.join("big.bin")).expect("create");
            for x in slice.chunks(1 << 16) {
                let chunk: Vec<u8> = x.iter().flat_map(|v| v.to_ne_bytes()).collect();
                file.write_all(&chunk).expect("write");
            }
        }
        other => panic!("unknown child task {other}"),
    }
    let after = persist_bench::peak_rss().unwrap_or(0);
    println!("{before} {after} {}", array.len() * 8);
    ExitCode::SUCCESS
}

/// Run a child that saves a `bytes`-byte array with `how`: its peak RSS before and after saving
/// and the array's size.
fn run_rss_child(how: &str, bytes: usize, dir: &Path) -> Option<(u64, u64, u64)> {
    let text = crate::child_output(RSS_CHILD, how, bytes, dir)
        .map_err(|e| eprintln!("RSS child: {e}"))
        .ok()?;
    let mut nums = text.split_whitespace().map(|s| s.parse::<u64>().ok());
    Some((nums.next()??, nums.next()??, nums.next()??))
}

/// Peak RSS of a process saving a 1 GB array: at most the array's size + 16 MiB.
pub fn rss(config: &Config, table: &mut Table) {
    let bytes = if config.quick {
        200_000_000
    } else {
        1_000_000_000
    };
    let dir = config.scratch("rss");
    eprintln!(
        "RSS: child processes saving a {:.0} MB array",
        mb(bytes as u64)
    );
    let mib = |b: u64| b as f64 / (1u64 << 20) as f64;
    let mut peaks = Vec::new();
    let mut last = None;
    for _ in 0..config.reps(3, 1) {
        if let Some(r) = run_rss_child("archive", bytes, &dir) {
            peaks.push(r.1);
            last = Some(r);
        }
        remove(&dir.join("big_archive"));
    }
    let baseline = run_rss_child("fs-write", bytes, &dir);
    remove(&dir.join("big.bin"));
    let Some((before, _, size)) = last else {
        table.push(Row::skipped(
            "RSS",
            "peak RSS saving a large array",
            "the child process failed",
        ));
        return;
    };
    peaks.sort_unstable();
    let peak = peaks[peaks.len() / 2];
    let limit = size + (16 << 20);
    table.push(Row::new(
        "RSS",
        format!("peak RSS of a child saving a {:.0} MB array", mb(size)),
        format!(
            "{:.1} MiB = array + {:.1} MiB (before saving: array + {:.1} MiB)",
            mib(peak),
            mib(peak.saturating_sub(size)),
            mib(before.saturating_sub(size))
        ),
        format!(
            "limit array + 16 MiB = {:.1} MiB{}",
            mib(limit),
            baseline.map_or(String::new(), |(_, p, _)| format!(
                "; `File::write_all` in 512 KiB chunks: array + {:.1} MiB",
                mib(p.saturating_sub(size))
            ))
        ),
        peak as f64 / limit as f64,
        Target::AtMost(1.0),
    ));
}

/// HDF5: save and load of the 100 MB array, with and without gzip, beside the npy store.
#[cfg(feature = "hdf5")]
pub fn hdf5(config: &Config, table: &mut Table) {
    use persist_core::{ArrayStore, Hdf5Options};

    let bytes = if config.quick {
        20_000_000
    } else {
        100_000_000
    };
    let array = field(bytes);
    let raw = raw_bytes(&array);
    let size = raw.len() as u64;
    let dir = config.scratch("hdf5");
    let paths = ["npy_archive", "h5_archive", "h5gz_archive"].map(|n| dir.join(n));
    let raw_path = dir.join("raw.bin");
    let h5 = || Archive::new().with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
    let h5gz = || Archive::new().with_array_store(ArrayStore::Hdf5(Hdf5Options::default().gzip(4)));
    eprintln!("HDF5: saving a {:.0} MB f64 array", mb(size));
    let samples = rounds(
        config.reps(3, 1),
        &mut [
            Box::new(|| fresh(&raw_path, || fs::write(&raw_path, &raw).expect("fs::write"))),
            Box::new(|| {
                fresh(&paths[0], || {
                    save_archive(&array, &paths[0], Archive::new())
                })
            }),
            Box::new(|| fresh(&paths[1], || save_archive(&array, &paths[1], h5()))),
            Box::new(|| fresh(&paths[2], || save_archive(&array, &paths[2], h5gz()))),
        ],
    );
    let [write, npy, plain, gz] = [0, 1, 2, 3].map(|i| samples[i].median());
    let rate = |t: f64| format!("{} ({:.0} MB/s)", secs(t), mb(size) / t);
    let file_size = |p: &Path| fs::metadata(p.join("_data.h5")).map_or(0, |m| m.len());
    table.push(Row::new(
        "HDF5",
        format!("save {:.0} MB f64 array, HDF5 store, contiguous", mb(size)),
        rate(plain),
        format!("`fs::write` {}; npy archive {}", rate(write), rate(npy)),
        write / plain,
        Target::None,
    ));
    table.push(Row::new(
        "HDF5",
        format!(
            "save {:.0} MB f64 array, HDF5 store, gzip level 4 ({:.0} MB file)",
            mb(size),
            mb(file_size(&paths[2]))
        ),
        rate(gz),
        format!("`fs::write` {}", rate(write)),
        write / gz,
        Target::None,
    ));

    // Loading: in Rust, and in Python (a fresh process importing the archive).
    let rust_load = |p: &Path| -> Result<Duration, String> {
        let (t, r) = time(|| {
            persist_core::load::<Array2<f64>>(p, "field")
                .map(|a| a.len())
                .map_err(|e| e.to_string())
        });
        r.map(|_| t)
    };
    for (label, path) in [("contiguous", &paths[1]), ("gzip level 4", &paths[2])] {
        match rust_load(path) {
            Ok(_) => {
                let s = rounds(
                    config.reps(5, 1),
                    &mut [
                        Box::new(|| rust_load(&paths[0]).unwrap_or_default()),
                        Box::new(|| rust_load(path).unwrap_or_default()),
                    ],
                );
                table.push(Row::new(
                    "HDF5",
                    format!("load in Rust, HDF5 {label}"),
                    rate(s[1].median()),
                    format!("npy archive {}", rate(s[0].median())),
                    s[0].median() / s[1].median(),
                    Target::None,
                ));
            }
            Err(e) => table.push(Row::skipped(
                "HDF5",
                format!("load in Rust, HDF5 {label}"),
                format!("the Rust reader refuses: {}", last_clause(&e)),
            )),
        }
    }
    let Some(python) = crate::python::find() else {
        table.push(Row::skipped(
            "HDF5",
            "load in Python",
            "no Python with numpy and h5py",
        ));
        return;
    };
    let import = |name: &str| crate::python::time_import(&python, &dir, name);
    // Importing 100 MB is short and noisy (page faults of fresh memory): more repeats.
    let reps = config.reps(7, 1);
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..reps {
        for (i, name) in ["npy_archive", "h5_archive", "h5gz_archive"]
            .iter()
            .enumerate()
        {
            if let Some(t) = import(name) {
                times[i].push(t);
            }
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    let [mut a, mut b, mut c] = times;
    let (Some(npy), Some(plain), Some(gz)) = (median(&mut a), median(&mut b), median(&mut c))
    else {
        table.push(Row::skipped(
            "HDF5",
            "load in Python",
            "importing an archive failed",
        ));
        return;
    };
    for (label, t) in [("contiguous", plain), ("gzip level 4", gz)] {
        table.push(Row::new(
            "HDF5",
            format!("load in Python (`import`, h5py), HDF5 {label}"),
            rate(t),
            format!("npy archive (`numpy.load`) {}", rate(npy)),
            npy / t,
            Target::None,
        ));
    }
}

/// Without the feature `hdf5`, say how to get these figures.
#[cfg(not(feature = "hdf5"))]
pub fn hdf5(_config: &Config, table: &mut Table) {
    table.push(Row::skipped(
        "HDF5",
        "save and load of the array in HDF5",
        "built without `--features hdf5`",
    ));
}

/// The last clause of an error message (after its last `: `), which says what went wrong
/// without the paths before it.
#[cfg(feature = "hdf5")]
fn last_clause(s: &str) -> &str {
    s.rsplit(": ").next().unwrap_or(s)
}
