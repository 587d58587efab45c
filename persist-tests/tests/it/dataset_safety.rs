//! DataSets never lose data: a failed or killed insert, removal or metadata update leaves what
//! was there; folders of another layout are opened read-only; names never reach outside the
//! DataSet; Python's bytecode cache never serves a replaced item.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use persist_core::{DataSet, DataSetError};
use persist_tests::dataset::{Point, point, point_info};
use persist_tests::{run_python, snapshot};

const WORKER: &str = env!("CARGO_BIN_EXE_dataset_worker");

/// The steps of an insert a fault can hit, in order (`aside` only runs when a killed insert
/// left files behind).
const INSERT_STEPS: [&str; 6] = [
    "dataset-insert-staged",
    "dataset-index-mark",
    "dataset-insert-aside",
    "dataset-insert-data",
    "dataset-insert-item",
    "dataset-insert-info",
];

/// Run `dataset_worker write DIR 0 1` (insert `w0_0`) with the environment variable `var` set
/// to `step`; its exit status and stderr.
fn insert_with_fault(dir: &Path, var: &str, step: &str) -> (std::process::ExitStatus, String) {
    let out = Command::new(WORKER)
        .args(["write", dir.to_str().unwrap(), "0", "1"])
        .env(var, step)
        .output()
        .expect("run dataset_worker");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A DataSet `sweep` in `tmp` holding the complete item `w1_0`.
fn data_set_with_one_item(tmp: &Path) -> DataSet {
    let ds = DataSet::create(tmp.join("sweep")).unwrap();
    ds.insert("w1_0", &point(1, 0), &point_info(1, 0)).unwrap();
    ds
}

#[track_caller]
fn assert_only_w1_0(ds: &DataSet) {
    assert_eq!(ds.items().unwrap(), ["w1_0"]);
    assert_eq!(ds.read::<Point>("w1_0").unwrap(), point(1, 0));
    assert_eq!(
        ds.info::<BTreeMap<String, f64>>("w1_0").unwrap(),
        point_info(1, 0)
    );
}

#[test]
fn a_failure_at_any_step_of_an_insert_leaves_the_data_set_as_it_was() {
    for step in INSERT_STEPS {
        let tmp = tempfile::tempdir().unwrap();
        let ds = data_set_with_one_item(tmp.path());
        if step == "dataset-insert-aside" {
            // Files of an insert killed before its metadata: set aside, then put back.
            let (status, _) =
                insert_with_fault(ds.path(), "PERSIST_FAULT_ABORT", "dataset-insert-info");
            assert!(!status.success());
            DataSet::open(ds.path()).unwrap();
            assert!(ds.path().join("w0_0.py").is_file());
        }
        let before = snapshot(ds.path());
        let fault = if step == "dataset-insert-aside" {
            "dataset-insert-info"
        } else {
            step
        };
        let (status, stderr) = insert_with_fault(ds.path(), "PERSIST_FAULT", fault);
        assert!(!status.success(), "{step}: the insert succeeded");
        assert!(
            stderr.contains("fault injected") && stderr.contains("w0_0"),
            "{step}: {stderr}"
        );
        assert!(stderr.contains("as it was before"), "{step}: {stderr}");
        assert_eq!(
            snapshot(ds.path()),
            before,
            "{step}: the failed insert changed the DataSet"
        );
        assert_only_w1_0(&ds);
    }
}

#[test]
fn a_kill_at_any_step_of_an_insert_loses_nothing_and_the_item_can_be_inserted_again() {
    for step in INSERT_STEPS {
        let tmp = tempfile::tempdir().unwrap();
        let ds = data_set_with_one_item(tmp.path());
        if step == "dataset-insert-aside" {
            let (status, _) =
                insert_with_fault(ds.path(), "PERSIST_FAULT_ABORT", "dataset-insert-info");
            assert!(!status.success());
        }
        let (status, stderr) = insert_with_fault(ds.path(), "PERSIST_FAULT_ABORT", step);
        assert!(
            !status.success(),
            "{step}: the worker was not killed: {stderr}"
        );
        // Readers see the complete item only, in Rust and in Python.
        let ds = DataSet::open(ds.path()).unwrap();
        assert_only_w1_0(&ds);
        let left: Vec<String> = persist_tests::file_names(ds.path())
            .into_iter()
            .filter(|n| n.starts_with(".persist-tmp-"))
            .collect();
        assert!(
            left.is_empty(),
            "{step}: the dead writer's leftovers remain: {left:?}"
        );
        let out = run_python(tmp.path(), "import sweep\nprint(sorted(sweep._info_dict))");
        assert_eq!(out.trim(), "['w1_0']", "{step}");
        ds.insert("w0_0", &point(0, 0), &point_info(0, 0)).unwrap();
        assert_eq!(ds.items().unwrap(), ["w0_0", "w1_0"]);
        assert_eq!(ds.read::<Point>("w0_0").unwrap(), point(0, 0));
    }
}

#[test]
fn failed_removal_and_metadata_update_leave_the_item_whole() {
    for (step, action) in [
        ("dataset-index-mark", "remove"),
        ("dataset-remove-info", "remove"),
        ("dataset-remove-file", "remove"),
        ("dataset-set-info", "set_info"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let ds = data_set_with_one_item(tmp.path());
        let before = snapshot(ds.path());
        let out = Command::new(WORKER)
            .args([action, ds.path().to_str().unwrap(), "w1_0"])
            .env("PERSIST_FAULT", step)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{step}: it succeeded");
        assert!(stderr.contains("fault injected"), "{step}: {stderr}");
        assert_eq!(snapshot(ds.path()), before, "{step}");
        assert_only_w1_0(&ds);
    }
}

/// A small tmpfs mounted for a test, unmounted on drop.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(path: &Path, size: &str) -> SmallDisk {
        std::fs::create_dir_all(path).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs to fill the disk and needs the right to mount \
             (root, or a container with CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk(path.to_path_buf())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_an_insert_before_anything_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(&tmp.path().join("disk"), "512k");
    let ds = data_set_with_one_item(&disk.0);
    let before = snapshot(ds.path());
    let big = vec![1.5_f64; 200_000]; // 1.6 MB of npy
    let err = ds
        .insert("big", &ndarray::Array1::from(big), &())
        .unwrap_err();
    assert!(
        err.to_string().contains("big") && err.to_string().contains("No space left"),
        "{err}"
    );
    assert_eq!(
        snapshot(ds.path()),
        before,
        "the failed insert changed the DataSet"
    );
    assert_only_w1_0(&ds);
    ds.insert("w0_0", &point(0, 0), &point_info(0, 0)).unwrap();
    assert_eq!(ds.items().unwrap(), ["w0_0", "w1_0"]);
}

/// The original Python package's own DataSet: `_info_dict` in `__init__.py`, no `_info/`.
fn original_package_data_set(dir: &Path) {
    std::fs::create_dir(dir).unwrap();
    std::fs::write(dir.join("_this_dir_is_a_DataSet"), "").unwrap();
    std::fs::write(
        dir.join("__init__.py"),
        "_info_dict = {'d': {'alpha': 1.0}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("d.py"),
        "d = [1, 2, 3]\nimport sys as _sys\n_sys.modules[__name__] = d\n",
    )
    .unwrap();
}

#[test]
fn a_data_set_of_another_layout_is_opened_read_only_and_never_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("orig");
    original_package_data_set(&dir);
    let before = snapshot(&dir);
    let ds = DataSet::open(&dir).unwrap();
    assert!(!ds.is_writable());
    assert_eq!(ds.items().unwrap(), ["d"]);
    assert!(ds.contains("d"));
    assert_eq!(ds.read::<Vec<i64>>("d").unwrap(), [1, 2, 3]);
    for err in [
        ds.insert("d", &vec![4, 5, 6], &()).unwrap_err(),
        ds.insert("e", &vec![4, 5, 6], &()).unwrap_err(),
        ds.remove("d").unwrap_err(),
        ds.set_info("d", &1).unwrap_err(),
        DataSet::open_or_create(&dir)
            .unwrap()
            .insert("e", &1, &())
            .unwrap_err(),
    ] {
        assert!(matches!(err, DataSetError::ForeignLayout { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("read-only") && message.contains("_info") && message.contains("orig"),
            "{message}"
        );
    }
    assert_eq!(snapshot(&dir), before, "the foreign DataSet was changed");
    // Half-copied: our __init__.py, no _info/.
    let half = tmp.path().join("half");
    DataSet::create(&half)
        .unwrap()
        .insert("d", &1, &())
        .unwrap();
    std::fs::rename(half.join("_info"), tmp.path().join("elsewhere")).unwrap();
    let ds = DataSet::open(&half).unwrap();
    let err = ds.insert("d", &2, &()).unwrap_err();
    assert!(matches!(err, DataSetError::ForeignLayout { .. }), "{err}");
    assert_eq!(ds.read::<i64>("d").unwrap(), 1, "the old d.py was damaged");
}

#[test]
fn every_method_refuses_a_name_that_would_leave_the_data_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    let ds = DataSet::create(&dir).unwrap();
    ds.insert("victim", &1, &()).unwrap();
    // Beside the DataSet: what `../victim` would reach.
    std::fs::create_dir(tmp.path().join("victim_data")).unwrap();
    std::fs::write(tmp.path().join("victim.py"), "victim = 2\n").unwrap();
    let before = snapshot(tmp.path());
    for name in ["../victim", "_info/../../victim", "a/b", "", "victim.py"] {
        let errors = [
            ds.remove(name).unwrap_err(),
            ds.read::<i64>(name).unwrap_err(),
            ds.info::<()>(name).unwrap_err(),
            ds.set_info(name, &()).unwrap_err(),
            ds.insert(name, &1, &()).unwrap_err(),
        ];
        for err in errors {
            assert!(
                matches!(err, DataSetError::InvalidName { .. }),
                "{name}: {err}"
            );
            assert!(err.to_string().contains(&format!("{name:?}")), "{err}");
        }
        assert!(!ds.contains(name));
    }
    assert_eq!(snapshot(tmp.path()), before);
    assert_eq!(ds.read::<i64>("victim").unwrap(), 1);
}

#[test]
fn the_lock_file_is_never_followed_through_a_link_nor_a_fifo() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::write(&outside, "precious").unwrap();
    for (what, make) in [("symbolic link", 0), ("folder", 1), ("FIFO", 2)] {
        let dir = tmp.path().join(format!("ds{make}"));
        let ds = DataSet::create(&dir).unwrap();
        let lock = dir.join(".lock");
        std::fs::remove_file(&lock).unwrap();
        match make {
            0 => std::os::unix::fs::symlink(&outside, &lock).unwrap(),
            1 => std::fs::create_dir(&lock).unwrap(),
            _ => {
                let status = Command::new("mkfifo").arg(&lock).status().unwrap();
                assert!(status.success());
            }
        }
        let err = ds.insert("x", &1, &()).unwrap_err();
        assert!(
            matches!(err, DataSetError::NotAFile { .. }),
            "{what}: {err}"
        );
        assert!(
            err.to_string().contains(".lock") && err.to_string().contains(what),
            "{what}: {err}"
        );
        assert!(ds.items().unwrap().is_empty());
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
}

/// Run `code` with the test Python in `dir`, bytecode writing ON, in a fresh process.
fn fresh_python(dir: &Path, code: &str) -> String {
    persist_tests::run_python_with_bytecode(dir, code)
        .trim()
        .to_owned()
}

/// Load a DataSet file as the original package does: a standalone file, bytecode cached.
const LOAD_LIKE_ORIGINAL: &str = "\
import importlib.util, sys
def load(path):
    spec = importlib.util.spec_from_file_location('_persist_item', path)
    module = importlib.util.module_from_spec(spec)
    sys.modules['_persist_item'] = module
    spec.loader.exec_module(module)
    return sys.modules.pop('_persist_item')
";

#[test]
fn an_item_replaced_within_the_same_second_is_never_served_from_stale_bytecode() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = DataSet::create(tmp.path().join("sweep"))
        .unwrap()
        .with_sync(false);
    for round in 0..12_i64 {
        // Same-size sources and metadata: only the modification time tells them apart.
        let value = vec![round % 10, (round + 3) % 10];
        let info = BTreeMap::from([("round".to_owned(), round % 10)]);
        if round > 0 {
            if round % 2 == 0 {
                ds.remove("x").unwrap();
                ds.insert("x", &value, &info).unwrap();
            } else {
                ds.remove("x").unwrap();
                ds.insert("x", &value, &info).unwrap();
                ds.set_info("x", &info).unwrap();
            }
        } else {
            ds.insert("x", &value, &info).unwrap();
        }
        let seen = fresh_python(
            tmp.path(),
            &format!(
                "{LOAD_LIKE_ORIGINAL}import sweep.x as x, sweep\n\
                 print(x, sweep._info_dict['x']['round'], load('sweep/x.py'))"
            ),
        );
        assert_eq!(
            seen,
            format!("{value:?} {} {value:?}", round % 10),
            "round {round}"
        );
    }
    assert!(
        tmp.path().join("sweep/__pycache__").is_dir(),
        "Python wrote no bytecode: the test proved nothing"
    );
}

#[test]
fn records_of_two_loads_compare_equal() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = DataSet::create(tmp.path().join("sweep")).unwrap();
    ds.insert("p", &point(1, 2), &point_info(1, 2)).unwrap();
    let out = fresh_python(
        tmp.path(),
        &format!(
            "{LOAD_LIKE_ORIGINAL}a = load('sweep/p.py')\nb = load('sweep/p.py')\n\
             assert type(a) is not type(b)\n\
             print(a == b, a != b, a == load('sweep/p.py'), a.samples is not b.samples)"
        ),
    );
    assert_eq!(out, "True False True True");
}

/// The original Python `persist` package (forbes-group, on PyPI as `persist`) opens our DataSet
/// and reads every item and its metadata. Needs it in the test Python: `pip install persist`.
#[test]
fn the_original_python_package_reads_every_item_and_its_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = DataSet::create(tmp.path().join("sweep")).unwrap();
    for index in 0..5 {
        ds.insert(
            &format!("w2_{index}"),
            &point(2, index),
            &point_info(2, index),
        )
        .unwrap();
    }
    let out = fresh_python(
        tmp.path(),
        "try:\n    import persist.archive\nexcept ImportError as e:\n    \
         raise SystemExit('the original persist package is missing: pip install persist ' + str(e))\n\
         import numpy as np\n\
         ds = persist.archive.DataSet('sweep', 'r', path='.')\n\
         names = sorted(ds)\n\
         for name in names:\n    \
             p = getattr(ds, name)\n    \
             assert ds[name] == {'writer': 2.0, 'index': float(p.index)}, (name, ds[name])\n    \
             assert p.writer == 2 and p.samples.shape == (256,) and p.samples[3] == p.alpha * 3\n\
         print(names)",
    );
    assert_eq!(out, "['w2_0', 'w2_1', 'w2_2', 'w2_3', 'w2_4']");
}

/// Issue 15, metadata at Python speed: `_info_dict` comes from the metadata index (`_index/`,
/// loaded from its data caches, or run from cached bytecode where a round deleted them) and
/// never shows stale or removed metadata, through many
/// same-second, same-size replacements, removals and the merges of the index they cause.
#[test]
fn the_metadata_index_never_serves_stale_or_removed_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = DataSet::create(tmp.path().join("sweep"))
        .unwrap()
        .with_sync(false);
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    let info = |v: i64| BTreeMap::from([("v".to_owned(), v)]);
    for round in 0..30_i64 {
        // New items (which make the index merge its segments), a same-size update, a removal
        // and a re-insert of the same name.
        for k in 0..5 {
            let name = format!("n{}", round * 5 + k);
            ds.insert(&name, &k, &info(round % 10)).unwrap();
            expected.insert(name, round % 10);
        }
        let updated = format!("n{}", round * 5);
        ds.set_info(&updated, &info(9 - round % 10)).unwrap();
        expected.insert(updated, 9 - round % 10);
        let gone = format!("n{}", round * 3);
        if expected.remove(&gone).is_some() {
            ds.remove(&gone).unwrap();
        }
        if round % 3 == 0 && round > 0 {
            let back = format!("n{}", (round - 1) * 3);
            if let std::collections::btree_map::Entry::Vacant(slot) = expected.entry(back) {
                ds.insert(slot.key(), &0, &info(9 - round % 10)).unwrap();
                slot.insert(9 - round % 10);
            }
        }
        if round % 4 == 2 {
            // Without the data caches (format 8), Python runs the segments from bytecode.
            for entry in std::fs::read_dir(tmp.path().join("sweep/_index")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|x| x == "marshal") {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }
        let seen = fresh_python(
            tmp.path(),
            "import sweep\nprint(' '.join(f'{k}={v[\"v\"]}' for k, v in sorted(sweep._info_dict.items())))",
        );
        let want: Vec<String> = expected.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut seen: Vec<&str> = seen.split(' ').collect();
        seen.sort();
        let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
        want.sort();
        assert_eq!(seen, want, "round {round}");
    }
    let index = tmp.path().join("sweep/_index");
    assert!(
        index.join("__pycache__").is_dir(),
        "Python wrote no bytecode of the index: the test proved nothing"
    );
    assert!(
        persist_tests::file_names(&index)
            .iter()
            .any(|n| n.ends_with(".marshal")),
        "no data cache in the index: the test proved nothing of them"
    );
    let segments = std::fs::read_dir(&index)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "py")
        })
        .count();
    assert!(
        segments < 40,
        "{segments} segments: the index was not merged"
    );
    for name in ds.items().unwrap() {
        let got: BTreeMap<String, i64> = ds.info(&name).unwrap();
        assert_eq!(got["v"], expected[&name], "{name}");
    }
    // The index is checked like every file Python runs: with its bytecode gone, it verifies.
    for cache in [
        "sweep/__pycache__",
        "sweep/_index/__pycache__",
        "sweep/_info/__pycache__",
    ] {
        let _ = std::fs::remove_dir_all(tmp.path().join(cache));
    }
    persist_core::verify(ds.path(), &Default::default()).unwrap();
}
