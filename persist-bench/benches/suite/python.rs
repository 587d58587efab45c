//! P3: the first Python import of the records archive vs `pickle.loads` of the same objects, its
//! peak memory vs `pickle.load`'s, the archive's size on disk vs JSON's and pickle's, and the
//! Python side of the HDF5 figures.

use std::path::{Path, PathBuf};
use std::process::Command;

use persist_bench::{Row, Table, Target};
use persist_core::{Archive, SaveOptions};
use serde::Deserialize;

use crate::records::Particle;
use crate::{Config, disk_size, mb, median, mib, secs};

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
pub fn fresh_python(python: &Path, dir: &Path) -> Command {
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
    let archive_bytes = disk_size(&dir.join(name));
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
    let pickle = dir.join("particles.pickle");
    let rss = peak_rss(config, &python, &dir, name, &pickle, particles.len());
    sizes(
        table,
        particles,
        archive_bytes,
        pickle.is_file().then_some(&*pickle),
    );
    match rss {
        Ok(row) => table.push(row),
        Err(why) => table.push(Row::skipped("P3", "peak RSS of the first import", why)),
    }
}

/// What `py/peak_rss.py` measures in one fresh process, in bytes: `VmRSS` and `VmHWM` after
/// `import numpy`, `VmHWM` after the load, and `ru_maxrss` before the load (for information:
/// it starts at the suite's own peak, inherited across exec; the script also prints it after).
#[derive(Deserialize, Debug, Clone, Copy)]
struct Memory {
    rss_before: u64,
    peak_before: u64,
    peak: u64,
    maxrss_before: u64,
    items: usize,
}

impl Memory {
    /// How far the load raised the peak RSS (`VmHWM`) above the RSS after `import numpy`.
    fn growth(&self) -> u64 {
        self.peak.saturating_sub(self.rss_before)
    }
}

/// Run `py/peak_rss.py MODE ARGS...` in a fresh Python in `dir`: its standard output.
fn peak_rss_script(python: &Path, dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("py/peak_rss.py");
    let out = fresh_python(python, dir)
        .arg(&script)
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// P3 memory: the pickle of the records as plain objects written once to `pickle`, then fresh
/// processes, interleaved, 3 rounds (1 quick), each doing one load after `import numpy`: the
/// first import of the archive `name` in `dir` against `pickle.load`; the medians of how far
/// each raised the peak RSS (`VmHWM`) over the RSS after `import numpy`.
fn peak_rss(
    config: &Config,
    python: &Path,
    dir: &Path,
    name: &str,
    pickle: &Path,
    n: usize,
) -> Result<Row, String> {
    let pickle_arg = pickle.display().to_string();
    peak_rss_script(python, dir, &["dump", ".", name, "particles", &pickle_arg])?;
    let pycache = dir.join(name).join("__pycache__");
    eprintln!("P3: fresh Python processes importing and unpickling {n} records, for their memory");
    let mut runs = [Vec::new(), Vec::new()];
    for _ in 0..config.reps(3, 1) {
        let modes: [&[&str]; 2] = [
            &["import", ".", name, "particles"],
            &["pickle", &pickle_arg],
        ];
        for (args, runs) in modes.into_iter().zip(&mut runs) {
            let _ = std::fs::remove_dir_all(&pycache);
            let out = peak_rss_script(python, dir, args)?;
            let memory: Memory =
                serde_json::from_slice(&out).map_err(|e| format!("the script's JSON: {e}"))?;
            if memory.items != n {
                return Err(format!("{} records loaded, not {n}", memory.items));
            }
            runs.push(memory);
        }
    }
    let [import, load] = runs.map(|mut r| {
        r.sort_by_key(Memory::growth);
        r[r.len() / 2]
    });
    Ok(Row::new(
        "P3",
        format!(
            "peak RSS of the first `import` of the {n} records archive, fresh process: growth of `VmHWM` over `VmRSS` after `import numpy` (that was {}, `VmHWM` {}; `ru_maxrss` is not used, it starts at the suite's {})",
            mib(import.rss_before),
            mib(import.peak_before),
            mib(import.maxrss_before)
        ),
        format!("+{} (`VmHWM` {})", mib(import.growth()), mib(import.peak)),
        format!(
            "`pickle.load(open(f, 'rb'))` +{} (`VmHWM` {}, from {})",
            mib(load.growth()),
            mib(load.peak),
            mib(load.rss_before)
        ),
        import.growth() as f64 / load.growth() as f64,
        Target::AtMost(1.5),
    ))
}

/// The archive's size on disk (`archive_bytes`: its files' lengths) against the JSON of the same
/// values and against the pickle file `pickle` (highest protocol), if written.
fn sizes(table: &mut Table, particles: &[Particle], archive_bytes: u64, pickle: Option<&Path>) {
    let n = particles.len();
    let json = serde_json::to_vec(particles).expect("serde_json").len() as u64;
    let what = format!("size on disk of the {n} records package archive (all its files)");
    let persist = format!("{:.2} MB", mb(archive_bytes));
    table.push(Row::new(
        "P3",
        &what,
        &persist,
        format!("`serde_json::to_vec` {:.2} MB", mb(json)),
        archive_bytes as f64 / json as f64,
        Target::None,
    ));
    let Some(pickle) = pickle else {
        table.push(Row::skipped(
            "P3",
            format!("{what}, vs pickle"),
            "no pickle file",
        ));
        return;
    };
    let pickled = disk_size(pickle);
    table.push(Row::new(
        "P3",
        format!("{what}, vs pickle"),
        persist,
        format!(
            "pickle, highest protocol, of plain objects {:.2} MB",
            mb(pickled)
        ),
        archive_bytes as f64 / pickled as f64,
        Target::None,
    ));
}
