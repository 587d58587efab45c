//! DS: DataSets. What an insert costs at 1 000 and at 10 000 items (it must not grow with the
//! DataSet), and how long Python takes to import `_info_dict` of a 10 000-item DataSet against a
//! `pickle.load` of the same metadata dict, for plain metadata and for metadata that is a
//! record. These were once timed tests; timings belong here.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use persist_bench::{Row, Table, Target, time};
use persist_core::{DataSet, Persist};

use crate::{Config, secs};

/// The metadata of item `n`, as a sweep would record it.
fn info(n: u32) -> BTreeMap<&'static str, f64> {
    BTreeMap::from([("alpha", f64::from(n) / 7.0), ("index", f64::from(n))])
}

/// Metadata that is a record, as the README's DataSet example keeps it.
#[derive(Persist)]
struct Info {
    alpha: f64,
    index: u32,
}

/// The median of blocks of 100 inserts, starting at item `first`: per insert, in seconds.
fn median_block(ds: &DataSet, first: u32, blocks: u32) -> f64 {
    let mut times: Vec<Duration> = (0..blocks)
        .map(|block| {
            time(|| {
                for i in 0..100 {
                    let n = first + block * 100 + i;
                    ds.insert(&format!("item_{n}"), &n, &info(n)).unwrap();
                }
            })
            .0
        })
        .collect();
    times.sort();
    times[times.len() / 2].as_secs_f64() / 100.0
}

/// Insert cost at 1 000 and 10 000 items, and the Python import of the metadata.
pub fn run(config: &Config, table: &mut Table) {
    let scratch = config.scratch("ds");
    let dir = scratch.join("many");
    let ds = DataSet::create(&dir).unwrap().with_sync(false);
    let (small, large, blocks) = if config.quick {
        (500, 2_000, 3)
    } else {
        (1_000, 10_000, 10)
    };
    // Fill up to `small`, time a block there, fill up to `large`, time a block there.
    for n in 0..small - 100 * blocks / 2 {
        ds.insert(&format!("item_{n}"), &n, &info(n)).unwrap();
    }
    let early = median_block(&ds, small - 100 * blocks / 2, blocks);
    for n in small + 100 * blocks / 2..large - 100 * blocks / 2 {
        ds.insert(&format!("item_{n}"), &n, &info(n)).unwrap();
    }
    let late = median_block(&ds, large - 100 * blocks / 2, blocks);
    table.push(Row::new(
        "DS",
        format!("one insert at item {large} (`with_sync(false)`)"),
        secs(late),
        format!("one insert at item {small}: {}", secs(early)),
        late / early,
        Target::AtMost(1.5),
    ));
    // The same number of items whose metadata is a record.
    let records = scratch.join("records");
    let rds = DataSet::create(&records).unwrap().with_sync(false);
    for n in 0..large {
        let info = Info {
            alpha: f64::from(n) / 7.0,
            index: n,
        };
        rds.insert(&format!("item_{n}"), &n, &info).unwrap();
    }
    match crate::python::find() {
        Some(python) => {
            info_import(&python, &dir, ds.items().unwrap().len(), false, table);
            info_import(&python, &records, large as usize, true, table);
        }
        None => table.push(Row::skipped(
            "DS",
            "import `_info_dict`",
            "no Python with numpy",
        )),
    }
}

/// A fresh Python imports `_info_dict` with the index's bytecode cached (one import before
/// writes it, as a user's first import does), then pickles the same dict and times
/// `pickle.load` of it; with `records`, of the same values as instances of a dataclass the
/// script defines (the DataSet's own record classes are not importable by pickle).
fn info_import(python: &Path, dir: &Path, items: usize, records: bool, table: &mut Table) {
    let parent = dir.parent().unwrap();
    let module = dir.file_name().unwrap().to_str().unwrap();
    let plain = if records {
        "import dataclasses\n\
         @dataclasses.dataclass\nclass Info:\n    alpha: float\n    index: int\n\
         info = {k: Info(v.alpha, v.index) for k, v in info.items()}\n"
    } else {
        ""
    };
    let code = format!(
        "import pickle, sys, time, io\n\
                t = time.perf_counter()\nimport {module}\ninfo = {module}._info_dict\n\
                imported = time.perf_counter() - t\n{plain}\
                data = pickle.dumps(info, protocol=pickle.HIGHEST_PROTOCOL)\n\
                loads = []\n\
                for _ in range(5):\n    t = time.perf_counter()\n    pickle.load(io.BytesIO(data))\n    loads.append(time.perf_counter() - t)\n\
                loads.sort()\nprint(len(info), imported, loads[2])"
    );
    let mut runs = Vec::new();
    for run in 0..4 {
        let out = Command::new(python)
            .current_dir(parent)
            .env_remove("PYTHONDONTWRITEBYTECODE")
            .args(["-c", &code])
            .output()
            .expect("run python");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let fields: Vec<f64> = text
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        if !out.status.success() || fields.len() != 3 || fields[0] as usize != items {
            table.push(Row::skipped(
                "DS",
                "import `_info_dict`",
                format!(
                    "python failed: {}{}",
                    text.trim(),
                    String::from_utf8_lossy(&out.stderr)
                ),
            ));
            return;
        }
        if run > 0 {
            runs.push((fields[1], fields[2])); // the first one wrote the bytecode
        }
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (import, pickle) = runs[1];
    let what = if records { " (record metadata)" } else { "" };
    table.push(Row::new(
        "DS",
        format!("Python: import `_info_dict` of {items} items{what}"),
        secs(import),
        format!("`pickle.load` of the same dict {}", secs(pickle)),
        import / pickle,
        Target::AtMost(1.5),
    ));
}
