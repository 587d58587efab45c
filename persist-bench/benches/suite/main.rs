//! The comparison table of BENCHMARKS.md: every figure of the benchmark issue, each measured
//! side by side with its baseline in the same run, repeated, the median kept.
//!
//! ```text
//! scripts/bench                                   # everything, then the micro figures
//! cargo bench -p persist-bench --features hdf5,zarr --bench suite -- [OPTIONS]
//!
//!   --only P1,RSS,HDF5,STREAM,ZREAD,P2,P3,P4,SMALL,LOAD,P5,DS,DEEP,MAP  run only these sections (case-insensitive)
//!   --quick                           one or two repetitions and smaller inputs: a smoke run
//!   --records N                       records in P2-P4 (default 100000)
//!   --markdown FILE                   also write the table to FILE
//! ```
//!
//! The suite never fails on timing: a missed target is printed as such, and the exit status is
//! 0 unless something could not run at all.

mod arrays;
mod compile;
mod dataset;
mod deep;
mod load;
mod map;
mod python;
mod records;
mod records_io;
mod records_rss;
mod stream;
mod zread;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use persist_bench::{Machine, Table};

/// What to run and where.
pub struct Config {
    only: Option<Vec<String>>,
    /// Smaller inputs and fewer repetitions.
    pub quick: bool,
    /// Records in P2–P4.
    pub records: usize,
    /// Scratch space: `target/persist-bench/`.
    pub work: PathBuf,
    markdown: Option<PathBuf>,
}

impl Config {
    fn from_args() -> Result<Self, String> {
        let mut config = Config {
            only: None,
            quick: false,
            records: 100_000,
            work: target_dir().join("persist-bench"),
            markdown: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = |what: &str| args.next().ok_or(format!("{arg} needs {what}"));
            match arg.as_str() {
                // What `cargo bench` passes to a harness-less bench.
                "--bench" => {}
                "--quick" => config.quick = true,
                "--only" => {
                    let list = value("a list of sections")?;
                    config.only = Some(list.split(',').map(str::to_lowercase).collect());
                }
                "--records" => {
                    config.records = value("a number")?
                        .parse()
                        .map_err(|e| format!("--records: {e}"))?;
                }
                "--markdown" => config.markdown = Some(PathBuf::from(value("a file")?)),
                other => {
                    return Err(format!(
                        "unknown argument `{other}`; see benches/suite/main.rs"
                    ));
                }
            }
        }
        Ok(config)
    }

    /// Whether the section `id` runs.
    pub fn runs(&self, id: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|s| s.eq_ignore_ascii_case(id)))
    }

    /// `full` repetitions, or `quick` in a quick run.
    pub fn reps(&self, full: usize, quick: usize) -> usize {
        if self.quick { quick } else { full }
    }

    /// A scratch folder `name` inside the work folder, emptied.
    pub fn scratch(&self, name: &str) -> PathBuf {
        let dir = self.work.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch folder under target/");
        dir
    }
}

/// The workspace's target folder (`$CARGO_TARGET_DIR` if set).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    )
}

fn main() -> ExitCode {
    // A child process of the RSS figure: it saves one array and reports its peak memory.
    if std::env::args().nth(1).as_deref() == Some(arrays::RSS_CHILD) {
        return arrays::rss_child(std::env::args().skip(2).collect());
    }
    // A child process of the STREAM figures: it streams one array and reports time and memory.
    if std::env::args().nth(1).as_deref() == Some(stream::STREAM_CHILD) {
        return stream::stream_child(std::env::args().skip(2).collect());
    }
    // A child process of P4's memory figures: it reads the records and reports its memory.
    if std::env::args().nth(1).as_deref() == Some(records_rss::READ_CHILD) {
        return records_rss::read_child(std::env::args().skip(2).collect());
    }
    let config = match Config::from_args() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("suite: {message}");
            return ExitCode::from(2);
        }
    };
    let machine = Machine::this();
    eprintln!("persist benchmarks on {machine}");
    let mut table = Table::default();
    if config.runs("p1") {
        arrays::save(&config, &mut table);
        arrays::load(&config, &mut table);
    }
    if config.runs("rss") {
        arrays::rss(&config, &mut table);
    }
    if config.runs("hdf5") {
        arrays::hdf5(&config, &mut table);
    }
    if config.runs("stream") {
        stream::run(&config, &mut table);
    }
    if config.runs("zread") {
        zread::run(&config, &mut table);
    }
    let particles = records::particles(config.records);
    if config.runs("p2") {
        records_io::write(&config, &mut table, &particles);
        records_io::save(&config, &mut table, &particles);
    }
    if config.runs("p4") {
        records_io::read(&config, &mut table, &particles);
    }
    if config.runs("small") {
        records_io::small(&config, &mut table);
    }
    if config.runs("p3") {
        python::import(&config, &mut table, &particles);
    }
    if config.runs("load") {
        load::run(&config, &mut table, &particles);
    }
    if config.runs("p5") {
        compile::derive(&config, &mut table);
    }
    if config.runs("ds") {
        dataset::run(&config, &mut table);
    }
    if config.runs("deep") {
        deep::run(&config, &mut table);
    }
    if config.runs("map") {
        map::run(&config, &mut table);
    }

    // The large arrays' scratch folders (hundreds of MB; STREAM removes its GBs as it goes);
    // the records archives and P5's dependency builds stay, to inspect and to reuse.
    for big in ["p1", "rss", "hdf5", "stream", "zread", "ds"] {
        let _ = std::fs::remove_dir_all(config.work.join(big));
    }

    let markdown = table.markdown();
    println!("\npersist benchmarks on {machine}");
    println!(
        "(median of repeated runs; ratios are persist / baseline, throughput ratios baseline time / persist time)\n"
    );
    println!("{markdown}");
    let missed: Vec<_> = table
        .missed()
        .map(|r| format!("{} {}", r.id, r.what))
        .collect();
    if missed.is_empty() {
        println!("Every target is met.");
    } else {
        println!(
            "Targets missed ({}): {}. See BENCHMARKS.md for the profiles and the plan.",
            missed.len(),
            missed.join("; ")
        );
    }
    if let Some(path) = &config.markdown
        && let Err(e) = std::fs::write(path, format!("Machine: {machine}\n\n{markdown}"))
    {
        eprintln!("suite: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Run this suite again as a child process (`flag HOW SIZE DIR`, the RSS, STREAM and P4 memory
/// figures; SIZE is bytes or records): its standard output, or why it failed.
pub fn child_output(flag: &str, how: &str, size: usize, dir: &Path) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = std::process::Command::new(exe)
        .args([flag, how, &size.to_string(), &dir.display().to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "the child failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The bytes of the files under `path` (their lengths, recursively), or of the file `path`.
pub fn disk_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return std::fs::metadata(path).map_or(0, |m| m.len());
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => disk_size(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

/// `bytes` in MiB (2^20), as memory is quoted.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
}

/// `bytes` in MB (10^6), as throughputs are quoted.
pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// The median of `values` (the upper one of an even count), for the suite's repeated runs.
pub fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A duration in seconds, with a unit that keeps three significant digits.
pub fn secs(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}
