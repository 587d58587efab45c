//! DataSets: many items, real processes writing and reading at once, crashes, growth.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use persist_core::{DataSet, DataSetError};
use persist_tests::dataset::{Point, point, point_info};
use persist_tests::{python, run_python};

const WORKER: &str = env!("CARGO_BIN_EXE_dataset_worker");

/// Load a DataSet the way the original Python `persist` package does: `__init__.py` and each
/// `ITEM.py` as standalone files under made-up module names, taking the item from `sys.modules`.
const PY_LOAD_LIKE_ORIGINAL: &str = "\
import importlib.util, os, sys, time
import numpy as np
_count = [0]
def load(path):
    _count[0] += 1
    name = '_persist_test_%d' % _count[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return sys.modules.pop(name)
def check_all(ds):
    info = load(os.path.join(ds, '__init__.py'))._info_dict
    for item, meta in info.items():
        value = load(os.path.join(ds, item + '.py'))
        assert type(value).__name__ == 'Point', (item, type(value))
        assert (value.writer, value.index) == (int(meta['writer']), int(meta['index'])), (item, value, meta)
        assert value.samples.dtype == np.float64 and value.samples.shape == (256,), item
        assert value.samples[3] == value.alpha * 3, item
    return len(info)
";

fn spawn_worker(args: &[&str]) -> Child {
    Command::new(WORKER)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dataset_worker")
}

#[track_caller]
fn wait_ok(child: Child, what: &str) -> String {
    let out = child.wait_with_output().expect("wait for a child process");
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[track_caller]
fn assert_point(ds: &DataSet, writer: u32, index: u32) {
    let name = format!("w{writer}_{index}");
    let value: Point = ds
        .read(&name)
        .unwrap_or_else(|e| panic!("read {name}: {e}"));
    assert_eq!(value, point(writer, index), "{name}");
    let info: BTreeMap<String, f64> = ds
        .info(&name)
        .unwrap_or_else(|e| panic!("info {name}: {e}"));
    assert_eq!(info, point_info(writer, index), "{name}");
}

#[test]
fn eight_writers_at_once_lose_no_insert_and_readers_never_see_half_an_item() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sweep");
    DataSet::create(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap();

    let readers: Vec<Child> = (0..2)
        .map(|_| spawn_worker(&["read", dir_arg, "3000"]))
        .collect();
    let py_reader = Command::new(python())
        .current_dir(tmp.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args([
            "-c",
            &format!(
                "{PY_LOAD_LIKE_ORIGINAL}\nend = time.time() + 3\nrounds = 0\n\
                 while time.time() < end:\n    check_all('sweep')\n    rounds += 1\nprint('rounds', rounds)\n"
            ),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let writers: Vec<Child> = (0..8)
        .map(|w| spawn_worker(&["write", dir_arg, &w.to_string(), "50"]))
        .collect();
    for (w, child) in writers.into_iter().enumerate() {
        let out = wait_ok(child, &format!("writer {w}"));
        assert_eq!(out.lines().count(), 50, "writer {w} reported {out}");
    }
    for child in readers {
        let out = wait_ok(child, "a Rust reader");
        assert!(out.starts_with("reads "), "{out}");
    }
    let out = wait_ok(py_reader, "the Python reader");
    assert!(out.starts_with("rounds "), "{out}");

    let ds = DataSet::open_read_only(&dir).unwrap();
    let items = ds.items().unwrap();
    assert_eq!(items.len(), 400, "{items:?}");
    for writer in 0..8 {
        for index in 0..50 {
            assert_point(&ds, writer, index);
        }
    }
    let out = run_python(
        tmp.path(),
        &format!(
            "{PY_LOAD_LIKE_ORIGINAL}\nassert check_all('sweep') == 400\n\
             import sweep\nassert len(sweep._info_dict) == 400\n\
             assert sweep._info_dict['w7_49'] == {{'index': 49.0, 'writer': 7.0}}, sweep._info_dict['w7_49']\n\
             from sweep import w3_17\nassert (w3_17.writer, w3_17.index) == (3, 17)\nprint('ok')\n"
        ),
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn a_writer_killed_mid_insert_leaves_a_readable_data_set_with_every_returned_insert() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("crashed");
    let dir_arg = dir.to_str().unwrap();
    let mut child = spawn_worker(&["write", dir_arg, "9", "100000"]);
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut inserted = Vec::new();
    while inserted.len() < 25 {
        let line = lines.next().expect("the writer stopped early").unwrap();
        inserted.push(line.strip_prefix("inserted ").unwrap().to_owned());
    }
    child.kill().unwrap(); // SIGKILL, in the middle of some insert
    child.wait().unwrap();
    // Inserts that returned after we stopped reading are still in the pipe.
    inserted.extend(
        lines
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix("inserted ").map(str::to_owned)),
    );

    let ds = DataSet::open(&dir).unwrap();
    let items = ds.items().unwrap();
    for name in &inserted {
        assert!(
            items.contains(name),
            "{name} returned but is missing: {items:?}"
        );
    }
    for name in &items {
        let (writer, index) = persist_tests::dataset::parse_name(name).unwrap();
        assert_point(&ds, writer, index);
    }
    // Opening read-write removed the dead process's temporary folder.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".persist-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // And the DataSet still takes inserts.
    ds.insert("w9_999999", &point(9, 999_999), &point_info(9, 999_999))
        .unwrap();
    let out = run_python(
        tmp.path(),
        &format!(
            "{PY_LOAD_LIKE_ORIGINAL}\nprint(check_all('crashed'))\nimport crashed\nprint(len(crashed._info_dict))\n"
        ),
    );
    let counts: Vec<usize> = out.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(counts, [items.len() + 1, items.len() + 1]);
}

#[test]
fn items_metadata_removal_and_read_only_handles() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sweep");
    let ds = DataSet::create(&dir).unwrap();
    assert!(matches!(
        DataSet::create(&dir),
        Err(DataSetError::Exists { .. })
    ));
    ds.insert("w0_0", &point(0, 0), &point_info(0, 0)).unwrap();
    ds.insert("w0_1", &point(0, 1), &point_info(0, 1)).unwrap();
    let err = ds
        .insert("w0_1", &point(0, 1), &point_info(0, 1))
        .unwrap_err();
    assert!(matches!(err, DataSetError::ItemExists { .. }), "{err}");
    assert!(
        err.to_string().contains("w0_1") && err.to_string().contains("sweep"),
        "{err}"
    );
    let err = ds.insert("class", &1, &()).unwrap_err();
    assert!(
        err.to_string().contains("\"class\"") && err.to_string().contains("keyword"),
        "{err}"
    );
    let err = ds.insert("_private", &1, &()).unwrap_err();
    assert!(matches!(err, DataSetError::InvalidName { .. }), "{err}");
    assert_eq!(ds.items().unwrap(), ["w0_0", "w0_1"]);

    let mut new_info = point_info(0, 1);
    new_info.insert("checked".into(), 1.0);
    ds.set_info("w0_1", &new_info).unwrap();
    assert_eq!(ds.info::<BTreeMap<String, f64>>("w0_1").unwrap(), new_info);

    ds.remove("w0_0").unwrap();
    assert_eq!(ds.items().unwrap(), ["w0_1"]);
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("w0_0"))
        .collect();
    assert!(left.is_empty(), "files of a removed item remain: {left:?}");
    assert!(matches!(
        ds.read::<Point>("w0_0"),
        Err(DataSetError::NoItem { .. })
    ));

    let before = persist_tests::snapshot(&dir);
    let ro = DataSet::open_read_only(&dir).unwrap();
    for err in [
        ro.insert("w1_0", &point(1, 0), &point_info(1, 0))
            .unwrap_err(),
        ro.set_info("w0_1", &point_info(0, 1)).unwrap_err(),
        ro.remove("w0_1").unwrap_err(),
    ] {
        assert!(matches!(err, DataSetError::ReadOnly { .. }), "{err}");
        assert!(err.to_string().contains("read-only"), "{err}");
    }
    assert_eq!(ro.read::<Point>("w0_1").unwrap(), point(0, 1));
    assert_eq!(
        persist_tests::snapshot(&dir),
        before,
        "a read-only handle changed the DataSet"
    );

    let err = DataSet::open(tmp.path()).unwrap_err();
    assert!(matches!(err, DataSetError::NotADataSet { .. }), "{err}");

    let out = run_python(
        tmp.path(),
        "import sweep, numpy as np\n\
         assert sweep._info_dict == {'w0_1': {'checked': 1.0, 'index': 1.0, 'writer': 0.0}}, sweep._info_dict\n\
         import sweep.w0_1 as p\n\
         assert type(p).__name__ == 'Point' and p.index == 1 and p.samples.dtype == np.float64\n\
         print(sorted(n for n in dir(sweep) if not n.startswith('__')))\n",
    );
    assert_eq!(out.trim(), "['_info_dict', 'w0_1']");
}

#[test]
fn waiting_for_the_lock_times_out_with_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("busy");
    DataSet::create(&dir).unwrap();
    // Another process holds the lock for a while.
    let mut holder = Command::new(python())
        .args([
            "-c",
            "import fcntl, sys, time\nf = open(sys.argv[1], 'w')\nfcntl.flock(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(5)\n",
            dir.join(".lock").to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(holder.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    let ds = DataSet::open(&dir)
        .unwrap()
        .with_lock_timeout(Duration::from_millis(300));
    let err = ds
        .insert("w0_0", &point(0, 0), &point_info(0, 0))
        .unwrap_err();
    assert!(matches!(err, DataSetError::LockTimeout { .. }), "{err}");
    assert!(
        err.to_string().contains("timed out") && err.to_string().contains("busy"),
        "{err}"
    );
    // What the error reports, not a clock reading of the test: it gave up after its timeout.
    let DataSetError::LockTimeout { waited, .. } = err else {
        unreachable!()
    };
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(ds.items().unwrap().is_empty());
    holder.kill().unwrap();
    holder.wait().unwrap();
    // The OS released the dead holder's lock.
    ds.insert("w0_0", &point(0, 0), &point_info(0, 0)).unwrap();
    assert_point(&ds, 0, 0);
}

/// Functional checks only: what an insert costs at 1 000 and 10 000 items is a benchmark
/// (`scripts/bench --only DS`), never a test.
#[test]
fn ten_thousand_inserts_are_all_listed_readable_and_importable() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("many");
    let ds = DataSet::create(&dir).unwrap().with_sync(false);
    for n in 0..10_000u32 {
        ds.insert(&format!("item_{n}"), &n, &()).unwrap();
    }
    assert_eq!(ds.items().unwrap().len(), 10_000);
    assert_eq!(ds.read::<u32>("item_9999").unwrap(), 9999);
    let out = run_python(
        tmp.path(),
        "import many\nprint(len(many._info_dict))\nfrom many import item_9999\nprint(item_9999)\n",
    );
    assert_eq!(
        out.split_whitespace().collect::<Vec<_>>(),
        ["10000", "9999"]
    );
}
