//! Arrays in HDF5: a 2-d wave simulation whose large arrays (snapshots of the field, a mask, a
//! complex spectrum) all go into one compressed HDF5 file, then read back from Python.
//!
//! ```text
//! cargo run --example arrays_hdf5 --features hdf5
//! ```
//!
//! The archive is written to `target/examples/wave_run/` (override with the first argument):
//! `__init__.py` and `_data.h5`, one dataset per array, named after where the array is in the
//! value (`run/snapshots/0/field`, ...). If a Python 3 with numpy and h5py is found
//! (`$PERSIST_PYTHON`, the workspace's `.venv`, or `python3`), the example imports the archive
//! with it, once as numpy arrays and once lazily as `h5py.Dataset` objects; otherwise it prints
//! the command to do so.

use std::path::{Path, PathBuf};

use ndarray::{Array1, Array2, Zip};
use num_complex::Complex;
use persist_core::{Archive, ArrayStore, Hdf5Options, Persist, SaveOptions};

/// The field at one time.
#[derive(Persist)]
struct Snapshot {
    time: f64,
    field: Array2<f64>,
}

/// The archived run.
#[derive(Persist)]
struct Run {
    /// Grid size and wave speed.
    n: usize,
    speed: f64,
    /// Where the medium is solid (no wave).
    mask: Array2<bool>,
    snapshots: Vec<Snapshot>,
    /// The discrete Fourier transform of the centre row of the last snapshot.
    spectrum: Array1<Complex<f64>>,
}

/// Leapfrog steps of `u_tt = c^2 laplacian(u)` on an `n x n` grid with a solid square inside.
fn simulate(n: usize, speed: f64, steps: usize, every: usize) -> (Array2<bool>, Vec<Snapshot>) {
    let mask = Array2::from_shape_fn((n, n), |(i, j)| {
        (n / 4..n / 4 + n / 8).contains(&i) && (n / 2..n / 2 + n / 8).contains(&j)
    });
    let mut u = Array2::from_shape_fn((n, n), |(i, j)| {
        let (x, y) = (i as f64 - n as f64 / 2.0, j as f64 - n as f64 / 3.0);
        (-(x * x + y * y) / 50.0).exp()
    });
    let mut previous = u.clone();
    let (dt, dx) = (0.2, 1.0);
    let r = (speed * dt / dx).powi(2);
    let mut snapshots = Vec::new();
    for step in 0..=steps {
        if step % every == 0 {
            snapshots.push(Snapshot {
                time: step as f64 * dt,
                field: u.clone(),
            });
        }
        let mut next = Array2::zeros((n, n));
        for i in 1..n - 1 {
            for j in 1..n - 1 {
                let lap =
                    u[[i + 1, j]] + u[[i - 1, j]] + u[[i, j + 1]] + u[[i, j - 1]] - 4.0 * u[[i, j]];
                next[[i, j]] = 2.0 * u[[i, j]] - previous[[i, j]] + r * lap;
            }
        }
        Zip::from(&mut next).and(&mask).for_each(|v, &solid| {
            if solid {
                *v = 0.0;
            }
        });
        previous = std::mem::replace(&mut u, next);
    }
    (mask, snapshots)
}

/// A naive discrete Fourier transform.
fn dft(row: &[f64]) -> Array1<Complex<f64>> {
    let n = row.len();
    Array1::from_shape_fn(n, |k| {
        row.iter()
            .enumerate()
            .fold(Complex::new(0.0, 0.0), |sum, (t, &x)| {
                let angle = -2.0 * std::f64::consts::PI * (k * t) as f64 / n as f64;
                sum + Complex::from_polar(x, angle)
            })
    })
}

const PYTHON_EAGER: &str = "\
import h5py
import wave_run as r
print('datasets in _data.h5 (what `h5ls -r` lists):')
with h5py.File('wave_run/_data.h5', 'r') as f:
    f.visititems(lambda name, obj: print('   ', name, obj.shape, obj.dtype, obj.compression or '')
                 if isinstance(obj, h5py.Dataset) else None)
print('n, speed:   ', r.run.n, r.run.speed)
print('mask:       ', type(r.run.mask).__name__, r.run.mask.dtype, r.run.mask.sum(), 'solid cells')
print('snapshots:  ', [s.time for s in r.run.snapshots])
print('last field: ', r.run.snapshots[-1].field.shape, 'max %.4f' % r.run.snapshots[-1].field.max())
print('spectrum:   ', r.run.spectrum.dtype, 'peak at k =', abs(r.run.spectrum[1:len(r.run.spectrum) // 2]).argmax() + 1)";

const PYTHON_LAZY: &str = "\
import wave_lazy as r
field = r.run.snapshots[-1].field
print('lazy field: ', type(field).__name__, field.shape, '- row 100, first 3 values:', field[100, :3])";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/examples"));
    std::fs::create_dir_all(&out_dir)?;

    let (n, speed) = (256, 1.0);
    let (mask, snapshots) = simulate(n, speed, 200, 50);
    let last = &snapshots[snapshots.len() - 1].field;
    let spectrum = dft(&last.row(n / 2).to_vec());
    let run = Run {
        n,
        speed,
        mask,
        snapshots,
        spectrum,
    };

    // Every array above the threshold goes into one gzip-compressed, chunked HDF5 file.
    let options = Hdf5Options::default().gzip(4).chunked(true);
    let mut archive = Archive::new().with_array_store(ArrayStore::Hdf5(options));
    archive.insert("run", &run)?;
    let path = out_dir.join("wave_run");
    archive.save(&path, SaveOptions::package().overwrite(true))?;
    let size = std::fs::metadata(path.join("_data.h5"))?.len();
    println!("saved {} (_data.h5: {} KiB)", path.display(), size / 1024);

    // The same value, loaded lazily in Python: arrays stay in the file until indexed.
    let mut lazy = Archive::new().with_array_store(ArrayStore::Hdf5(options.lazy(true)));
    lazy.insert("run", &run)?;
    lazy.save(
        out_dir.join("wave_lazy"),
        SaveOptions::package().overwrite(true),
    )?;

    match persist_examples::find_python(&["numpy", "h5py"]) {
        Some(python) => {
            println!("\nPython ({}) reads it back:", python.display());
            for code in [PYTHON_EAGER, PYTHON_LAZY] {
                persist_examples::run_python(&python, &out_dir, code)?;
            }
        }
        None => {
            println!(
                "\nNo python3 with numpy and h5py found. To read the archive from Python, run:"
            );
            println!(
                "  cd {} && python3 -c \"import wave_run as r; print(r.run.snapshots[-1].field.shape)\"",
                out_dir.display(),
            );
        }
    }
    Ok(())
}
