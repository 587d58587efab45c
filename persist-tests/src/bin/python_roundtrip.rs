//! The Rust side of the Python package's round trip (persist-python/tests/test_save.py): reads
//! the archive Python saved with `persist_rs.save` as this file's derived types, checks a few
//! values, and saves them again as a Rust program would, for Python to compare.
//!
//! ```text
//! python_roundtrip FROM TO
//!     read the items `run`, `shapes`, `table` and `shared` of the archive FROM; save them
//!     to the package archive TO; print "read run <name> with <n> samples"
//! ```
//! Any error ends the process with status 1 and the error on stderr.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ndarray::{Array1, Array2};
use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, Persist, SaveOptions};

/// A run's parameters: a nested record.
#[derive(Persist, Debug, Clone, PartialEq)]
struct Params {
    alpha: f64,
    steps: u32,
    label: String,
}

/// An enum: a unit variant and a variant with a field.
#[derive(Persist, Debug, Clone, PartialEq)]
enum Shape {
    Empty,
    Circle { r: f64 },
}

/// A run, with a field of every kind the Python side writes.
#[derive(Persist, Debug, Clone, PartialEq)]
struct Run {
    name: String,
    params: Params,
    seed: Option<u64>,
    missing: Option<i32>,
    weights: Vec<f64>,
    counts: HashMap<String, i64>,
    tags: BTreeSet<u8>,
    pair: (i32, String),
    z: Complex<f64>,
    elapsed: Duration,
    started: SystemTime,
    field: Array2<f64>,
    samples: Array1<i32>,
    huge: u128,
    negative: i128,
}

/// A long list of flat records (a record table when written).
#[derive(Persist, Debug, Clone, PartialEq)]
struct Point {
    x: f64,
    y: f64,
    label: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Err(e) = run(&args) {
        eprintln!("python_roundtrip: {e}");
        std::process::exit(1);
    }
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let [_, from, to] = args else {
        return Err("usage: python_roundtrip FROM TO".into());
    };
    let reader = ArchiveReader::open(from)?;
    let session = reader.session();
    let run: Run = session.read("run")?;
    let shapes: Vec<Shape> = session.read("shapes")?;
    let table: Vec<Point> = session.read("table")?;
    let shared: Vec<Arc<Vec<u8>>> = session.read("shared")?;
    if !Arc::ptr_eq(&shared[0], &shared[1]) {
        return Err("the list Python shared is two lists in Rust".into());
    }
    let mut archive = Archive::new();
    archive
        .insert("run", &run)?
        .insert("shapes", &shapes)?
        .insert("table", &table)?
        .insert("shared", &shared)?;
    archive.save(to, SaveOptions::package())?;
    println!("read run {} with {} samples", run.name, run.samples.len());
    Ok(())
}
