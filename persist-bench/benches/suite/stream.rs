//! STREAM: streaming one large array into each array store slab by slab (`Build::stream`), in a
//! child process, its throughput beside `fs::write` of the same bytes and its peak memory
//! beside the array's size; and summing a streamed Zarr array in Python with dask beside
//! `numpy.load` of the npy store's file.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use ndarray::Array2;
use persist_bench::{Row, Samples, Table, Target};
use persist_core::{Archive, ArchiveError, SaveOptions};
use serde::Deserialize;

use crate::{Config, disk_size, mb, secs};

/// The first argument that makes the suite a child process of the STREAM figures.
pub const STREAM_CHILD: &str = "--stream-child";

/// The shape of a row of the streamed array, which is also the slab pushed: 4 MiB of f64.
const ROW: [usize; 2] = [512, 1024];

/// The bytes of one slab.
const SLAB_BYTES: usize = ROW[0] * ROW[1] * 8;

/// The peak RSS a streaming child may reach: this fraction of the array.
const RSS_FRACTION: u64 = 16;

/// Why the store `how` is not in this build, if it is not.
fn missing(how: &str) -> Option<&'static str> {
    match how {
        "hdf5" if !cfg!(feature = "hdf5") => Some("built without `--features hdf5`"),
        "zarr" | "zarr-zstd" if !cfg!(feature = "zarr") => Some("built without `--features zarr`"),
        _ => None,
    }
}

/// The archive that streams with the store `how`, if this build has that store.
fn archive_for(how: &str) -> Option<Archive<'static>> {
    use persist_core::ArrayStore;
    let store = match how {
        "npy" => ArrayStore::Npy,
        #[cfg(feature = "hdf5")]
        "hdf5" => ArrayStore::Hdf5(persist_core::Hdf5Options::default()),
        #[cfg(feature = "zarr")]
        "zarr" => ArrayStore::Zarr(persist_core::ZarrOptions::default().uncompressed()),
        #[cfg(feature = "zarr")]
        "zarr-zstd" => ArrayStore::Zarr(persist_core::ZarrOptions::default()),
        _ => return None,
    };
    Some(Archive::new().with_array_store(store))
}

/// Stream `steps` slabs as the array `field` of a package archive at `path` (durable, the
/// default), one slab buffer reused: each step adds 1 to every element, so no two slabs are
/// alike and no chunk is the fill value. The time from `build` to `commit` returning, less
/// the time spent changing the slab (the baseline's bytes are made before its timer too).
fn stream_archive(archive: Archive<'_>, path: &Path, steps: usize) -> Result<f64, ArchiveError> {
    let mut slab = Array2::from_shape_fn((ROW[0], ROW[1]), |(i, j)| {
        ((i * ROW[1] + j) as f64 * 1e-4).sin() * 300.0
    });
    let start = Instant::now();
    let mut filling = Duration::ZERO;
    let mut build = archive.build(path, SaveOptions::package())?;
    let mut stream = build.stream::<f64>("field", &ROW)?;
    for step in 0..steps {
        if step > 0 {
            let t = Instant::now();
            slab += 1.0;
            filling += t.elapsed();
        }
        stream.push(&slab)?;
    }
    let field = stream.finish()?;
    build.insert("field", field)?;
    build.commit()?;
    Ok((start.elapsed() - filling).as_secs_f64())
}

/// In a child process: write `bytes` bytes with `how` into `dir` (a store streaming into the
/// archive `dir/archive`, or a baseline writing `dir/raw.bin` from a buffer filled before its
/// timer) and print the seconds it took and the peak RSS.
pub fn stream_child(args: Vec<String>) -> ExitCode {
    let [how, bytes, dir] = &args[..] else {
        eprintln!("{STREAM_CHILD} HOW BYTES DIR");
        return ExitCode::from(2);
    };
    let bytes: usize = bytes.parse().expect("a byte count");
    let dir = Path::new(dir);
    let elapsed = match how.as_str() {
        "fs-write" | "fs-write-sync" => {
            let data: Vec<u8> = (0..bytes).map(|i| (i % 251) as u8).collect();
            let path = dir.join("raw.bin");
            let start = Instant::now();
            if how == "fs-write" {
                fs::write(&path, &data).expect("fs::write");
            } else {
                use std::io::Write as _;
                let mut file = fs::File::create(&path).expect("create");
                file.write_all(&data).expect("write_all");
                file.sync_all().expect("sync_all");
            }
            start.elapsed().as_secs_f64()
        }
        how => {
            let Some(archive) = archive_for(how) else {
                eprintln!("no store `{how}` in this build");
                return ExitCode::from(2);
            };
            match stream_archive(archive, &dir.join("archive"), bytes / SLAB_BYTES) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    println!("{elapsed} {}", persist_bench::peak_rss().unwrap_or(0));
    ExitCode::SUCCESS
}

/// Run a child writing `bytes` bytes with `how` into `dir`: its seconds and peak RSS, or why it
/// failed.
fn run_stream_child(how: &str, bytes: usize, dir: &Path) -> Result<(f64, u64), String> {
    let text = crate::child_output(STREAM_CHILD, how, bytes, dir)?;
    let mut words = text.split_whitespace();
    let (Some(Ok(t)), Some(Ok(rss))) = (
        words.next().map(str::parse::<f64>),
        words.next().map(str::parse::<u64>),
    ) else {
        return Err(format!("the child printed `{}`", text.trim()));
    };
    Ok((t, rss))
}

/// Remove what a child wrote into `dir`.
fn remove(dir: &Path) {
    let _ = fs::remove_dir_all(dir.join("archive"));
    let _ = fs::remove_file(dir.join("raw.bin"));
}

/// The time to write `size` bytes, and the throughput.
fn rate(size: u64, t: f64) -> String {
    format!("{} ({:.0} MB/s)", secs(t), mb(size) / t)
}

/// `bytes` in MiB or GiB.
pub fn binary(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
    }
}

/// The children's figures of one contender over the rounds.
#[derive(Default)]
struct Figures {
    times: Samples,
    peaks: Vec<u64>,
    disk: u64,
    failure: Option<String>,
}

impl Figures {
    fn peak(&mut self) -> u64 {
        self.peaks.sort_unstable();
        self.peaks.get(self.peaks.len() / 2).copied().unwrap_or(0)
    }
}

/// Throughput and peak RSS of children streaming a 4 GiB array (256 MiB quick) into each store,
/// against children writing the same bytes from memory; then the Python read.
pub fn run(config: &Config, table: &mut Table) {
    let bytes: usize = if config.quick { 256 << 20 } else { 4 << 30 };
    let size = bytes as u64;
    // The child's task, what the rows call it, the target of its throughput.
    let uncompressed = Target::AtLeast(0.7);
    let writers = [
        ("fs-write", "`fs::write`", Target::None),
        ("fs-write-sync", "`write_all` + `sync_all`", Target::None),
        ("npy", "npy store", uncompressed),
        ("hdf5", "HDF5 store", uncompressed),
        ("zarr", "Zarr store, uncompressed", uncompressed),
        ("zarr-zstd", "Zarr store, zstd 3 (default)", Target::None),
    ];
    let dir = config.scratch("stream");
    eprintln!(
        "STREAM: child processes streaming a {} f64 array in {} slabs",
        binary(size),
        binary(SLAB_BYTES as u64)
    );
    let mut figures: Vec<Figures> = writers.iter().map(|_| Figures::default()).collect();
    for _ in 0..config.reps(3, 1) {
        for (&(how, ..), f) in writers.iter().zip(&mut figures) {
            if missing(how).is_some() || f.failure.is_some() {
                continue;
            }
            match run_stream_child(how, bytes, &dir) {
                Ok((t, rss)) => {
                    f.times.push(Duration::from_secs_f64(t));
                    f.peaks.push(rss);
                    f.disk = disk_size(&dir.join("archive"));
                }
                Err(e) => f.failure = Some(e),
            }
            remove(&dir);
        }
    }
    let rate = |t: f64| rate(size, t);
    let [write, synced] = [0, 1].map(|i| {
        let f = &figures[i];
        (f.failure.is_none() && !f.times.is_empty()).then(|| f.times.median())
    });
    let write_rss = figures[0].peak();
    for (&(how, label, target), f) in writers.iter().zip(&mut figures).skip(2) {
        let what = format!("stream {} f64 array, {label}", binary(size));
        let why = missing(how)
            .map(str::to_owned)
            .or(f.failure.clone())
            .or(write
                .is_none()
                .then(|| "the `fs::write` child failed".to_owned()));
        if let Some(why) = why {
            table.push(Row::skipped("STREAM", &what, why));
            continue;
        }
        let (t, write) = (f.times.median(), write.unwrap_or_default());
        let compressed = match how {
            "zarr-zstd" => format!(" ({:.0} MB on disk)", mb(f.disk)),
            _ => String::new(),
        };
        table.push(Row::new(
            "STREAM",
            format!("{what}{compressed}"),
            rate(t),
            format!("`fs::write` {}", rate(write)),
            write / t,
            target,
        ));
        if let Some(synced) = synced {
            table.push(Row::new(
                "STREAM",
                format!("{what}, vs the same durability"),
                rate(t),
                format!("`write_all` + `sync_all` {}", rate(synced)),
                synced / t,
                Target::None,
            ));
        }
        let peak = f.peak();
        let limit = size / RSS_FRACTION;
        table.push(Row::new(
            "STREAM",
            format!("peak RSS of the child streaming {}, {label}", binary(size)),
            binary(peak),
            format!(
                "limit array / {RSS_FRACTION} = {}; the `fs::write` child: {}",
                binary(limit),
                binary(write_rss)
            ),
            peak as f64 / limit as f64,
            Target::AtMost(1.0),
        ));
    }
    python_read(config, table, &dir);
}

/// What the Python script prints: the medians of the two sums, in seconds.
#[derive(Deserialize)]
struct PythonFigures {
    dask: f64,
    numpy: f64,
    chunks: u64,
}

/// One Python process imports the Zarr archive and times, 3 times each and interleaved, a dask
/// sum of its array against `numpy.load` + `sum` of the npy archive's file; both sums agree.
const PYTHON_READ: &str = r#"
import json, statistics, sys, time
import numpy, dask.array
sys.path.insert(0, '.')
import zarr_archive
npy_path = sys.argv[1]
def dask_sum():
    a = dask.array.from_zarr(zarr_archive.field)
    return a.sum().compute(scheduler='threads', num_workers=2)
def numpy_sum():
    return numpy.load(npy_path).sum()
times = {'dask': [], 'numpy': []}
sums = {}
for _ in range(3):
    for name, f in (('dask', dask_sum), ('numpy', numpy_sum)):
        t = time.perf_counter()
        sums[name] = float(f())
        times[name].append(time.perf_counter() - t)
if abs(sums['dask'] - sums['numpy']) > 1e-9 * abs(sums['numpy']):
    sys.exit(f"the sums differ: {sums}")
figures = {k: statistics.median(v) for k, v in times.items()}
figures['chunks'] = zarr_archive.field.nchunks
print(json.dumps(figures))
"#;

/// Python: a 1 GiB array (128 MiB quick) streamed once into the Zarr store (default options)
/// and once into the npy store, summed with dask from Zarr and with numpy from the `.npy`.
fn python_read(config: &Config, table: &mut Table, dir: &Path) {
    let bytes: usize = if config.quick { 128 << 20 } else { 1 << 30 };
    let what = format!(
        "Python: sum a streamed {} f64 array, Zarr zstd 3 with `dask.array.from_zarr` (2 threads)",
        binary(bytes as u64)
    );
    eprintln!("STREAM: Python summing a {} array", binary(bytes as u64));
    let row =
        python_sums(bytes, dir, &what).unwrap_or_else(|why| Row::skipped("STREAM", &what, why));
    table.push(row);
}

/// The row of [`python_read`], or why it could not be measured.
fn python_sums(bytes: usize, dir: &Path, what: &str) -> Result<Row, String> {
    let zarr = archive_for("zarr-zstd").ok_or("built without `--features zarr`")?;
    let python = crate::python::find().ok_or("no Python with numpy")?;
    let (zarr_path, npy_path) = (dir.join("zarr_archive"), dir.join("npy_archive"));
    let steps = bytes / SLAB_BYTES;
    let out = stream_archive(zarr, &zarr_path, steps)
        .and_then(|_| stream_archive(Archive::new(), &npy_path, steps))
        .map_err(|e| format!("streaming failed: {e}"))
        .and_then(|_| {
            let npy_file = npy_path.join("_arrays").join("field.npy");
            Command::new(&python)
                .current_dir(dir)
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .args(["-c", PYTHON_READ, &npy_file.display().to_string()])
                .output()
                .map_err(|e| e.to_string())
        });
    let zarr_disk = disk_size(&zarr_path);
    let _ = fs::remove_dir_all(&zarr_path);
    let _ = fs::remove_dir_all(&npy_path);
    let out = out?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or("");
        return Err(format!("python failed (needs zarr 3 and dask): {last}"));
    }
    let f: PythonFigures = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("the script printed no figures: {e}"))?;
    let size = bytes as u64;
    Ok(Row::new(
        "STREAM",
        format!(
            "{what}; {} chunks, {:.0} MB on disk",
            f.chunks,
            mb(zarr_disk)
        ),
        rate(size, f.dask),
        format!(
            "npy store, `numpy.load(path).sum()` {}",
            rate(size, f.numpy)
        ),
        f.numpy / f.dask,
        Target::None,
    ))
}
