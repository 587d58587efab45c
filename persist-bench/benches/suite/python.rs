//! P3: the first Python import of the records archive vs `pickle.loads` of the same objects, and
//! the Python side of the HDF5 figures.

use std::path::{Path, PathBuf};
use std::process::Command;

use persist_bench::{Row, Table, Target};
use persist_core::{Archive, SaveOptions};
use serde::Deserialize;

use crate::records::Particle;
use crate::{Config, mb, secs};

/// A Python with numpy: `$PERSIST_PYTHON`, the workspace's `.venv`, or `python3`.
pub fn find() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    std::env::var_os("PERSIST_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([venv, PathBuf::from("python3")])
        .find(|python| {
            Command::new(python)
                .args(["-c", "import numpy"])
                .output()
                .is_ok_and(|out| out.status.success())
        })
}

/// A Python command in a fresh process that writes no bytecode, with `dir`'s `__pycache__`
/// removed first.
fn fresh_python(python: &Path, dir: &Path) -> Command {
    let _ = std::fs::remove_dir_all(dir.join("__pycache__"));
    let mut cmd = Command::new(python);
    cmd.current_dir(dir).env("PYTHONDONTWRITEBYTECODE", "1");
    cmd
}

/// Seconds that a fresh Python takes to `import name` from `dir` (numpy and, if present, h5py
/// imported first and not counted).
#[cfg(feature = "hdf5")]
pub fn time_import(python: &Path, dir: &Path, name: &str) -> Option<f64> {
    let _ = std::fs::remove_dir_all(dir.join(name).join("__pycache__"));
    let code = format!(
        "import sys, time, numpy\n\
         try:\n    import h5py\nexcept ImportError:\n    pass\n\
         sys.path.insert(0, '.')\n\
         t = time.perf_counter()\nimport {name}\nprint(time.perf_counter() - t)"
    );
    let out = fresh_python(python, dir)
        .args(["-c", &code])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("python failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// What `py/import_vs_pickle.py` measures in one fresh process.
#[derive(Deserialize, Debug, Clone, Copy)]
struct Figures {
    numpy_import: f64,
    import: f64,
    pickle_loads: f64,
    compile: f64,
    exec: f64,
    pickle_bytes: u64,
    source_bytes: u64,
    items: usize,
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// P3: a fresh process imports the archive of the records (no `__pycache__`), then times
/// `pickle.loads` of the equivalent plain Python objects.
pub fn import(config: &Config, table: &mut Table, particles: &[Particle]) {
    let Some(python) = find() else {
        table.push(Row::skipped(
            "P3",
            "first import vs pickle.loads",
            "no Python with numpy (set PERSIST_PYTHON or run scripts/test)",
        ));
        return;
    };
    let dir = config.scratch("p3");
    let name = "particles_archive";
    let mut archive = Archive::new();
    archive.insert("particles", particles).expect("insert");
    archive
        .save(dir.join(name), SaveOptions::package())
        .expect("save");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("py/import_vs_pickle.py");
    let reps = config.reps(5, 1);
    eprintln!(
        "P3: {reps} fresh Python processes importing {} records",
        particles.len()
    );
    let mut runs = Vec::new();
    for _ in 0..reps {
        let _ = std::fs::remove_dir_all(dir.join(name).join("__pycache__"));
        let out = fresh_python(&python, &dir)
            .arg(&script)
            .args([".", name, "particles"])
            .output()
            .expect("run python");
        if !out.status.success() {
            table.push(Row::skipped(
                "P3",
                "first import vs pickle.loads",
                format!(
                    "python failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ));
            return;
        }
        let figures: Figures = serde_json::from_slice(&out.stdout).expect("the script's JSON");
        assert_eq!(figures.items, particles.len());
        runs.push(figures);
    }
    let pick = |f: fn(&Figures) -> f64| median(runs.iter().map(f));
    let (import, loads) = (pick(|f| f.import), pick(|f| f.pickle_loads));
    let (compile, exec) = (pick(|f| f.compile), pick(|f| f.exec));
    let numpy = pick(|f| f.numpy_import);
    let first = runs[0];
    let baseline = format!(
        "`pickle.loads` {} ({:.1} MB pickle)",
        secs(loads),
        mb(first.pickle_bytes)
    );
    table.push(Row::new(
        "P3",
        format!(
            "first `import` of the {} records archive, a record table (npy columns; no `__pycache__`; numpy already imported, {})",
            particles.len(),
            secs(numpy)
        ),
        format!("{} ({:.1} MB source)", secs(import), mb(first.source_bytes)),
        baseline.clone(),
        import / loads,
        Target::AtMost(1.0),
    ));
    table.push(Row::new(
        "P3",
        "of which compiling the source (`compile`)",
        secs(compile),
        baseline.clone(),
        compile / loads,
        Target::None,
    ));
    table.push(Row::new(
        "P3",
        "of which running the compiled module (`exec`)",
        secs(exec),
        baseline,
        exec / loads,
        Target::None,
    ));
}
