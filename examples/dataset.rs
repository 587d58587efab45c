//! A parameter sweep computed by several workers at once (threads of this process and a second
//! process), each writing its points into one DataSet; then Python lists and loads them.
//!
//! ```text
//! cargo run --example dataset
//! ```
//!
//! The DataSet is written to `target/examples/sweep/` (override with the first argument).

use std::path::{Path, PathBuf};
use std::process::Command;

use ndarray::Array1;
use persist_core::{DataSet, Persist};

/// One point of the sweep: a damped oscillator's response for one damping ratio.
#[derive(Persist)]
struct Point {
    damping: f64,
    frequency: f64,
    /// The displacement over time (above the array threshold: an `.npy` file in `ITEM_data/`).
    response: Array1<f64>,
}

/// The metadata of a point: what Python sees in `_info_dict` without loading the point.
#[derive(Persist)]
struct Info {
    damping: f64,
    worker: String,
    peak: f64,
}

const DAMPINGS: [f64; 12] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5, 2.0];

fn compute(damping: f64) -> Point {
    let frequency = 2.0;
    let omega = 2.0 * std::f64::consts::PI * frequency;
    let response = Array1::from_shape_fn(500, |i| {
        let t = i as f64 * 0.005;
        // A simple model response: an exponentially damped cosine.
        (-damping * omega * t).exp() * (omega * t).cos()
    });
    Point {
        damping,
        frequency,
        response,
    }
}

/// Compute the points `index % workers == worker` and insert them.
fn work(
    dir: &Path,
    worker: usize,
    workers: usize,
    label: &str,
) -> Result<(), persist_core::DataSetError> {
    let ds = DataSet::open_or_create(dir)?;
    for (index, &damping) in DAMPINGS
        .iter()
        .enumerate()
        .filter(|(i, _)| i % workers == worker)
    {
        let point = compute(damping);
        let peak = point
            .response
            .iter()
            .skip(1)
            .fold(f64::MIN, |m, &v| m.max(v));
        let info = Info {
            damping,
            worker: label.to_owned(),
            peak,
        };
        ds.insert(&format!("point_{index:02}"), &point, &info)?;
    }
    Ok(())
}

const PYTHON_SNIPPET: &str = "\
import importlib
import sweep
for name, info in sorted(sweep._info_dict.items()):
    print(name, info)
point = importlib.import_module('sweep.point_03')
print('point_03:', point.damping, point.response.shape, point.response[:3])";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    // The second process: `dataset --worker DIR WORKER WORKERS`.
    if args.get(1).map(String::as_str) == Some("--worker") {
        work(
            Path::new(&args[2]),
            args[3].parse()?,
            args[4].parse()?,
            "process",
        )?;
        return Ok(());
    }
    let out_dir = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/examples"));
    std::fs::create_dir_all(&out_dir)?;
    let dir = out_dir.join("sweep");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    DataSet::create(&dir)?;

    // Four workers: three threads here and one other process, all inserting at once.
    let workers = 4;
    let child = Command::new(std::env::current_exe()?)
        .args([
            "--worker",
            dir.to_str().ok_or("non-UTF-8 path")?,
            "3",
            &workers.to_string(),
        ])
        .spawn()?;
    std::thread::scope(|scope| {
        for worker in 0..3 {
            let dir = &dir;
            scope.spawn(move || {
                work(dir, worker, workers, &format!("thread {worker}")).expect("worker")
            });
        }
    });
    let status = child.wait_with_output()?.status;
    if !status.success() {
        return Err(format!("the worker process failed: {status}").into());
    }

    let ds = DataSet::open_read_only(&dir)?;
    println!("{} points in {}", ds.items()?.len(), dir.display());
    let point: Array1<f64> = ds.read::<PointResponse>("point_03")?.response;
    println!(
        "read back in Rust: point_03 response[..3] = {:?}",
        &point.as_slice().unwrap()[..3]
    );

    match persist_examples::find_python(&["numpy"]) {
        Some(python) => {
            println!("\nPython ({}) lists and loads them:", python.display());
            persist_examples::run_python(&python, &out_dir, PYTHON_SNIPPET)?;
        }
        None => {
            println!("\nNo python3 with numpy found. To list and load the points, run:");
            println!(
                "  cd {} && python3 -c \"{}\"",
                out_dir.display(),
                PYTHON_SNIPPET.replace('\n', "; ")
            );
        }
    }
    Ok(())
}

/// Reading back only the fields we need: the others are ignored.
#[derive(Persist)]
struct PointResponse {
    response: Array1<f64>,
}
