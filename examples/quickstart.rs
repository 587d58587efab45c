//! Quickstart: run a small heat-diffusion simulation, archive its result as a Python package,
//! and read it back from Python.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! The archive is written to `target/examples/heat_run/` (override with the first argument). If a
//! Python 3 with numpy is found (`$PERSIST_PYTHON`, the workspace's `.venv`, or `python3`), the
//! example imports the archive with it and prints what Python sees; otherwise it prints the
//! command to do so.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use persist_core::{Archive, Persist, SaveOptions};

/// The parameters of the run.
#[derive(Persist)]
struct Params {
    /// Thermal diffusivity.
    alpha: f64,
    /// Grid spacing and time step.
    dx: f64,
    dt: f64,
    steps: u32,
    grid: (usize, usize),
}

/// What happens at the edges of the plate.
#[derive(Persist)]
#[allow(dead_code)]
enum Boundary {
    Periodic,
    Dirichlet { value: f64 },
    Neumann(f64),
}

/// The archived result.
#[derive(Persist)]
struct Run {
    params: Params,
    boundary: Boundary,
    /// The final temperature field (above the array threshold: saved as an `.npy` file).
    temperature: Array2<f64>,
    /// Total heat after each step (a time series).
    energy: Vec<f64>,
    note: String,
}

/// Explicit finite differences for `dT/dt = alpha * laplacian(T)` with fixed edges.
fn simulate(params: &Params, edge: f64) -> (Array2<f64>, Vec<f64>) {
    let (nx, ny) = params.grid;
    let mut t = Array2::from_shape_fn((nx, ny), |(i, j)| {
        let (x, y) = (i as f64 - nx as f64 / 2.0, j as f64 - ny as f64 / 2.0);
        (-(x * x + y * y) / 20.0).exp()
    });
    let r = params.alpha * params.dt / (params.dx * params.dx);
    let mut energy = Vec::with_capacity(params.steps as usize);
    for _ in 0..params.steps {
        let old = t.clone();
        for i in 1..nx - 1 {
            for j in 1..ny - 1 {
                let lap = old[[i + 1, j]] + old[[i - 1, j]] + old[[i, j + 1]] + old[[i, j - 1]]
                    - 4.0 * old[[i, j]];
                t[[i, j]] = old[[i, j]] + r * lap;
            }
        }
        for i in 0..nx {
            t[[i, 0]] = edge;
            t[[i, ny - 1]] = edge;
        }
        for j in 0..ny {
            t[[0, j]] = edge;
            t[[nx - 1, j]] = edge;
        }
        energy.push(t.sum() * params.dx * params.dx);
    }
    (t, energy)
}

const PYTHON_SNIPPET: &str = "\
import heat_run as r
print('params:     ', r.run.params)
print('boundary:   ', r.run.boundary, '-> variant', type(r.run.boundary).__name__)
print('temperature:', r.run.temperature.shape, r.run.temperature.dtype, 'mean %.6f' % r.run.temperature.mean())
print('energy:     ', len(r.run.energy), 'steps, first %.6f, last %.6f' % (r.run.energy[0], r.run.energy[-1]))
print('note:       ', r.run.note)";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/examples"));
    std::fs::create_dir_all(&out_dir)?;

    let params = Params {
        alpha: 0.25,
        dx: 0.1,
        dt: 0.01,
        steps: 200,
        grid: (64, 64),
    };
    let boundary = Boundary::Dirichlet { value: 0.0 };
    let (temperature, energy) = simulate(&params, 0.0);
    let run = Run {
        params,
        boundary,
        temperature,
        energy,
        note: "Gaussian pulse diffusing on a 64x64 plate with cold edges".to_owned(),
    };

    let path = out_dir.join("heat_run");
    let mut archive = Archive::new();
    archive.insert("run", &run)?;
    archive.save(&path, SaveOptions::package().overwrite(true))?;
    println!("saved {}", path.display());
    for entry in std::fs::read_dir(path.join("_arrays"))? {
        println!("  _arrays/{}", entry?.file_name().to_string_lossy());
    }

    match persist_examples::find_python(&["numpy"]) {
        Some(python) => {
            println!("\nPython ({}) reads it back:", python.display());
            persist_examples::run_python(&python, &out_dir, PYTHON_SNIPPET)?;
        }
        None => {
            println!("\nNo python3 with numpy found. To read the archive from Python, run:");
            println!(
                "  cd {} && python3 -c \"{}\"",
                out_dir.display(),
                PYTHON_SNIPPET.replace('\n', "; ")
            );
        }
    }
    Ok(())
}
