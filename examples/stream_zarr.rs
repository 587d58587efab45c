//! Streaming a simulation into a Zarr archive: a 2-d heat equation whose field is pushed into
//! the archive one time step at a time (the whole history never exists in memory), then opened
//! from Python lazily with zarr, computed on with dask and opened as a labelled dataset with
//! xarray.
//!
//! ```text
//! cargo run --example stream_zarr --features zarr
//! ```
//!
//! The archive is written to `target/examples/heat_run/` (override with the first argument):
//! `__init__.py` and `_arrays.zarr/`, the group holding the arrays `field` (time x y x x, with
//! those dimension names) and `energy`. If a Python 3 with numpy, zarr, dask and xarray is found
//! (`$PERSIST_PYTHON`, the workspace's `.venv`, or `python3`), the example reads the archive with
//! it; otherwise it prints the command to do so.

use std::path::{Path, PathBuf};

use ndarray::{Array1, Array2};
use persist_core::{Archive, ArrayStore, Persist, SaveOptions, Streamed, ZarrOptions};

/// What the simulation was run with.
#[derive(Persist)]
struct Params {
    n: usize,
    steps: usize,
    diffusivity: f64,
}

/// The archived run: the parameters, and the streamed arrays.
#[derive(Persist)]
struct Run {
    params: Params,
    /// The field at every step: shape (steps, n, n).
    field: Streamed,
    /// The total heat at every step.
    energy: Streamed,
}

/// One explicit step of `u_t = d laplacian(u)` with the edges held at 0.
fn step(u: &Array2<f64>, d: f64) -> Array2<f64> {
    let n = u.nrows();
    let mut next = u.clone();
    for i in 1..n - 1 {
        for j in 1..n - 1 {
            let lap =
                u[[i + 1, j]] + u[[i - 1, j]] + u[[i, j + 1]] + u[[i, j - 1]] - 4.0 * u[[i, j]];
            next[[i, j]] = u[[i, j]] + d * lap;
        }
    }
    next
}

const PYTHON: &str = "\
import numpy as np, zarr, dask.array as da, xarray as xr
import heat_run as r
f = r.run.field
print('field:      ', type(f).__name__, f.shape, f.dtype, 'chunks', f.chunks)
print('params:     ', r.run.params)
print('mean (dask):', round(float(da.from_zarr(f).mean().compute()), 6))
ds = xr.open_zarr('heat_run/_arrays.zarr', consolidated=False)
print('xarray:     ', dict(ds['run.field'].sizes))
print('heat lost:  ', round(float(r.run.energy[0] - r.run.energy[-1]), 4))";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/examples"));
    std::fs::create_dir_all(&out_dir)?;

    let params = Params {
        n: 128,
        steps: 400,
        diffusivity: 0.2,
    };
    let n = params.n;
    let options = ZarrOptions::default().dimension_names("run.field", ["time", "y", "x"]);
    let archive = Archive::new().with_array_store(ArrayStore::Zarr(options));
    let path = out_dir.join("heat_run");
    let mut build = archive.build(&path, SaveOptions::package().overwrite(true))?;
    let mut field = build.stream_rows::<f64>("run.field", params.steps, &[n, n])?;
    let mut energy = build.stream::<f64>("run.energy", &[])?;
    let mut u = Array2::from_shape_fn((n, n), |(i, j)| {
        let (x, y) = (i as f64 - n as f64 / 2.0, j as f64 - n as f64 / 2.0);
        (-(x * x + y * y) / 40.0).exp()
    });
    for _ in 0..params.steps {
        field.push(&u)?; // one time step: a row of n x n
        energy.push(&Array1::from_elem(1, u.sum()))?;
        u = step(&u, params.diffusivity);
    }
    let run = Run {
        params,
        field: field.finish()?,
        energy: energy.finish()?,
    };
    build.insert("run", run)?;
    build.commit()?;
    println!(
        "saved {} (field streamed one step at a time)",
        path.display()
    );

    match persist_examples::find_python(&["numpy", "zarr", "dask", "xarray"]) {
        Some(python) => {
            println!("\nPython ({}) reads it back:", python.display());
            persist_examples::run_python(&python, &out_dir, PYTHON)?;
        }
        None => {
            println!(
                "\nNo python3 with numpy, zarr, dask and xarray found. To read the archive, run:"
            );
            println!(
                "  cd {} && python3 -c \"import heat_run as r; print(r.run.field.shape)\"",
                out_dir.display(),
            );
        }
    }
    Ok(())
}
