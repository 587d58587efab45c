//! MAP: the first Python import of an archive holding a map of float series (a
//! `HashMap<String, Vec<f64>>`) vs reading and `json.loads` of the same data from a JSON file.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use persist_bench::{Row, Table, Target};
use persist_core::{Archive, SaveOptions};
use serde::Deserialize;

use crate::records::Rng;
use crate::{Config, disk_size, mb, secs};

/// Keys of the map.
const KEYS: usize = 10_000;

/// Floats under each key.
const LEN: usize = 100;

/// `keys` series of `len` full-precision floats in [-1, 1), under the keys `k00000`,
/// `k00001`, ...; the same in every run.
pub fn series(keys: usize, len: usize) -> HashMap<String, Vec<f64>> {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    (0..keys)
        .map(|i| {
            let values = (0..len).map(|_| rng.unit() * 2.0 - 1.0).collect();
            (format!("k{i:05}"), values)
        })
        .collect()
}

/// What `py/map_import_vs_json.py` measures in one fresh process.
#[derive(Deserialize, Debug, Clone)]
struct Figures {
    numpy_import: f64,
    import: f64,
    json_load: f64,
    keys: usize,
    mapping_type: String,
    value_type: String,
}

/// MAP: the map saved as a package archive (npy store, default options) and as a JSON file;
/// 5 fresh Python processes (1 quick) each time the first import against reading the file and
/// `json.loads` (median of 5 in the process), and check that both give the same data.
pub fn run(config: &Config, table: &mut Table) {
    let what = format!(
        "first `import` of a `HashMap<String, Vec<f64>>` archive, {KEYS} keys × {LEN} floats"
    );
    let Some(python) = crate::python::find() else {
        table.push(Row::skipped("MAP", what, "no Python with numpy"));
        return;
    };
    let dir = config.scratch("map");
    let (name, json_name) = ("map_archive", "series.json");
    let map = series(KEYS, LEN);
    let mut archive = Archive::new();
    archive.insert("series", &map).expect("insert");
    archive
        .save(dir.join(name), SaveOptions::package())
        .expect("save");
    let json = serde_json::to_vec(&map).expect("serde_json");
    fs::write(dir.join(json_name), &json).expect("write JSON");
    let archive_bytes = disk_size(&dir.join(name));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("py/map_import_vs_json.py");
    let reps = config.reps(5, 1);
    eprintln!("MAP: {reps} fresh Python processes importing {KEYS} series of {LEN} floats");
    let mut runs = Vec::new();
    for _ in 0..reps {
        let _ = fs::remove_dir_all(dir.join(name).join("__pycache__"));
        let out = crate::python::fresh_python(&python, &dir)
            .arg(&script)
            .args([".", name, "series", json_name])
            .output()
            .expect("run python");
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr).trim().to_owned();
            table.push(Row::skipped("MAP", what, format!("python failed: {why}")));
            return;
        }
        let figures: Figures = serde_json::from_slice(&out.stdout).expect("the script's JSON");
        assert_eq!(figures.keys, KEYS);
        runs.push(figures);
    }
    let pick = |f: fn(&Figures) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (import, load) = (pick(|f| f.import), pick(|f| f.json_load));
    let first = &runs[0];
    table.push(Row::new(
        "MAP",
        format!(
            "{what}, package archive (npy store, default options; imported as `{}` of `{}`, equal to the JSON; no `__pycache__`; numpy already imported, {})",
            first.mapping_type,
            first.value_type,
            secs(pick(|f| f.numpy_import))
        ),
        format!("{} ({:.1} MB on disk)", secs(import), mb(archive_bytes)),
        format!(
            "read + `json.loads` {} ({:.1} MB JSON)",
            secs(load),
            mb(json.len() as u64)
        ),
        import / load,
        Target::AtMost(2.0),
    ));
}
