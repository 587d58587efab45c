//! LOAD: the Python package's `persist_rs.load` (verify, the Rust parser, evaluation; nothing
//! compiled) vs the first `import` of the same archive, for the record table of P3 and for a
//! per-record archive, each beside `pickle.loads` of the same objects.

use std::path::Path;

use persist_bench::{Row, Table, Target};
use persist_core::{Archive, SaveOptions};
use serde::Deserialize;

use crate::records::Particle;
use crate::{Config, median, secs};

/// What `py/load_vs_import.py` measures in one fresh process.
#[derive(Deserialize, Debug, Clone, Copy)]
struct Figures {
    seconds: f64,
    pickle_loads: f64,
    items: usize,
}

/// LOAD: the two archives, each loaded and imported by fresh Python processes.
pub fn run(config: &Config, table: &mut Table, particles: &[Particle]) {
    let Some(python) = crate::python::find() else {
        table.push(Row::skipped(
            "LOAD",
            "load vs import",
            "no Python with numpy",
        ));
        return;
    };
    let has_package = std::process::Command::new(&python)
        .args(["-c", "import persist_rs"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_package {
        table.push(Row::skipped(
            "LOAD",
            "load vs import",
            "persist_rs is not installed in that Python (scripts/bench builds and installs it)",
        ));
        return;
    }
    let dir = config.scratch("load");
    let mut table_archive = Archive::new();
    table_archive
        .insert("particles", particles)
        .expect("insert");
    table_archive
        .save(dir.join("particles_table"), SaveOptions::package())
        .expect("save");
    // `Option<Particle>` has no column form: one `_Particle(...)` call per record.
    let few = &particles[..particles.len().min(20_000)];
    let wrapped: Vec<Option<Particle>> = few.iter().cloned().map(Some).collect();
    let mut per_record = Archive::new();
    per_record.insert("particles", &wrapped).expect("insert");
    per_record
        .save(dir.join("particles_records"), SaveOptions::package())
        .expect("save");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("py/load_vs_import.py");
    let reps = config.reps(5, 1);
    for (name, n, what, target) in [
        (
            "particles_table",
            particles.len(),
            "a record table (npy columns)",
            1.0,
        ),
        (
            "particles_records",
            few.len(),
            "record by record, inline",
            1.0,
        ),
    ] {
        eprintln!("LOAD: {reps} fresh Python processes loading and {reps} importing {name}");
        // Loads and imports alternate, one per fresh process.
        let (mut loads_s, mut imports_s, mut pickles_s) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..2 * reps {
            let mode = if round % 2 == 0 { "load" } else { "import" };
            let out = crate::python::fresh_python(&python, &dir)
                .arg(&script)
                .args([".", name, "particles", mode])
                .output()
                .expect("run python");
            if !out.status.success() {
                table.push(Row::skipped(
                    "LOAD",
                    format!("`persist_rs.load` of {n} records, {what}"),
                    format!(
                        "python failed: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ),
                ));
                return;
            }
            let figures: Figures = serde_json::from_slice(&out.stdout).expect("the script's JSON");
            assert_eq!(figures.items, n);
            let _ = std::fs::remove_dir_all(dir.join(name).join("__pycache__"));
            if mode == "load" {
                loads_s.push(figures.seconds);
            } else {
                imports_s.push(figures.seconds);
                pickles_s.push(figures.pickle_loads);
            }
        }
        let load = median(loads_s);
        let import = median(imports_s);
        let loads = median(pickles_s);
        table.push(Row::new(
            "LOAD",
            format!("`persist_rs.load` of {n} records, {what} (verify included)"),
            secs(load),
            format!("first `import` {}", secs(import)),
            load / import,
            Target::AtMost(target),
        ));
        table.push(Row::new(
            "LOAD",
            format!("`persist_rs.load` of {n} records, {what}, vs `pickle.loads`"),
            secs(load),
            format!("`pickle.loads` {}", secs(loads)),
            load / loads,
            Target::None,
        ));
    }
}
