//! P4's memory figures: child processes read the records from disk, with persist and with
//! serde_json, and report their peak RSS and how much memory they give back once the values
//! are dropped.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use persist_bench::{Row, Table, Target, current_rss, peak_rss};
use persist_core::ArchiveReader;

use crate::records::Particle;
use crate::{Config, mib};

/// The first argument that makes the suite a child process of P4's memory figures.
pub const READ_CHILD: &str = "--read-child";

/// What one reading child measured, in bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    /// RSS before reading (the process started, nothing read yet).
    before: u64,
    /// RSS holding the values, the reader or the bytes dropped.
    holding: u64,
    /// Peak RSS of the whole process (`VmHWM`).
    peak: u64,
    /// RSS after dropping the values too.
    after: u64,
}

/// In a child process: read the `n` records in `dir` with `how` (`persist`: the package archive
/// `particles_archive`; `json`: the file `particles.json`) and print its [`Memory`] figures.
pub fn read_child(args: Vec<String>) -> ExitCode {
    let [how, n, dir] = &args[..] else {
        eprintln!("{READ_CHILD} HOW N DIR");
        return ExitCode::from(2);
    };
    let n: usize = n.parse().expect("a record count");
    let dir = Path::new(dir);
    let before = current_rss().unwrap_or(0);
    let values: Vec<Particle> = match how.as_str() {
        "persist" => match ArchiveReader::open(dir.join("particles_archive"))
            .and_then(|reader| reader.read("particles"))
        {
            Ok(values) => values,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        },
        "json" => {
            let bytes = fs::read(dir.join("particles.json")).expect("read the JSON file");
            serde_json::from_slice(&bytes).expect("serde_json")
        }
        other => {
            eprintln!("no reader `{other}`");
            return ExitCode::from(2);
        }
    };
    assert_eq!(values.len(), n, "the child read another number of records");
    let holding = current_rss().unwrap_or(0);
    drop(values);
    let after = current_rss().unwrap_or(0);
    let peak = peak_rss().unwrap_or(0);
    println!("{before} {holding} {peak} {after}");
    ExitCode::SUCCESS
}

/// Run a child reading the `n` records in `dir` with `how`: its figures, or why it failed.
fn run_child(how: &str, n: usize, dir: &Path) -> Result<Memory, String> {
    let text = crate::child_output(READ_CHILD, how, n, dir)?;
    let figures: Vec<u64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("the child printed `{}`", text.trim()))?;
    let [before, holding, peak, after] = figures[..] else {
        return Err(format!("the child printed `{}`", text.trim()));
    };
    Ok(Memory {
        before,
        holding,
        peak,
        after,
    })
}

/// The median of each figure over the children's runs.
fn median(runs: &[Memory]) -> Memory {
    let pick = |f: fn(&Memory) -> u64| {
        let mut v: Vec<u64> = runs.iter().map(f).collect();
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    };
    Memory {
        before: pick(|m| m.before),
        holding: pick(|m| m.holding),
        peak: pick(|m| m.peak),
        after: pick(|m| m.after),
    }
}

/// P4 memory: children read the `n` records of `dir` (the archive and the JSON file P4 wrote),
/// interleaved, 3 rounds (1 quick); the medians of their peak RSS, and of their RSS after
/// dropping everything against the RSS they had before reading.
pub fn run(config: &Config, table: &mut Table, dir: &Path, n: usize) {
    eprintln!("P4: child processes reading {n} records, for their memory");
    let what = format!("peak RSS of a child reading {n} records from disk");
    let mut runs = [Vec::new(), Vec::new()];
    for _ in 0..config.reps(3, 1) {
        for (how, runs) in ["persist", "json"].into_iter().zip(&mut runs) {
            match run_child(how, n, dir) {
                Ok(memory) => runs.push(memory),
                Err(why) => {
                    table.push(Row::skipped("P4", &what, format!("{how}: {why}")));
                    return;
                }
            }
        }
    }
    let [persist, json] = runs.map(|r| median(&r));
    table.push(Row::new(
        "P4",
        format!(
            "{what} (`VmHWM`: `ArchiveReader::open` + `read`; before reading {}, holding the values {})",
            mib(persist.before),
            mib(persist.holding)
        ),
        mib(persist.peak),
        format!(
            "`fs::read` + `serde_json::from_slice` {} (before {}, holding {})",
            mib(json.peak),
            mib(json.before),
            mib(json.holding)
        ),
        persist.peak as f64 / json.peak as f64,
        Target::AtMost(2.0),
    ));
    table.push(Row::new(
        "P4",
        format!(
            "memory given back: `VmRSS` of the persist child after dropping the reader and the {n} values, vs before reading"
        ),
        format!("{} after drop", mib(persist.after)),
        format!(
            "{} before reading; serde_json child: {} after dropping the bytes and the values, {} before",
            mib(persist.before),
            mib(json.after),
            mib(json.before)
        ),
        persist.after as f64 / persist.before as f64,
        Target::None,
    ));
}
