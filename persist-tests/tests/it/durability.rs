//! Saving never leaves the path without a complete archive: writers frozen (SIGSTOP) and killed
//! (SIGKILL) mid-overwrite, leftovers of dead writers removed, and Python's bytecode cache never
//! serving a replaced archive's old code.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ndarray::Array1;
use persist_core::{Archive, ArchiveReader, SaveOptions};
use rustix::process::{Pid, Signal, kill_process};

use persist_tests::python;

const WORKER: &str = env!("CARGO_BIN_EXE_archive_worker");

fn spawn_saver(dir: &Path, layout: &str, elements: usize, first: u64, count: u64) -> Child {
    Command::new(WORKER)
        .args([
            "save",
            dir.to_str().unwrap(),
            layout,
            &elements.to_string(),
            &first.to_string(),
            &count.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start archive_worker")
}

fn signal(child: &Child, signal: Signal) {
    let pid = Pid::from_raw(child.id() as i32).expect("a child's pid");
    kill_process(pid, signal).expect("signal the child");
    if signal == Signal::STOP {
        // `kill` returns before the child has stopped: wait until it has, so that it does
        // nothing more while the test looks at the archive.
        rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::UNTRACED)
            .expect("wait for the child to stop");
    }
}

/// A pseudo-random number below `n` (xorshift; the seed varies between runs).
fn random(state: &mut u64, n: u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state % n
}

fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1
}

/// Load `arch` from `dir` in Rust: its version, checked against its array (every element equal
/// to the version).
#[track_caller]
fn load_version(dir: &Path, layout: &str) -> u64 {
    let path = match layout {
        "module" => dir.join("arch.py"),
        _ => dir.join("arch"),
    };
    let reader = ArchiveReader::open(&path).unwrap_or_else(|e| panic!("open {path:?}: {e}"));
    let version: u64 = reader.read("version").unwrap();
    let data: Array1<f64> = reader.read("data").unwrap();
    assert!(
        data.iter().all(|&x| x == version as f64),
        "archive of version {version} holds the data of another version"
    );
    version
}

/// The entries of `dir` that a save leaves only while it runs.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".arch.persist-"))
        .collect()
}

fn options_of(layout: &str) -> (&'static str, SaveOptions) {
    match layout {
        "module" => ("arch.py", SaveOptions::module()),
        _ => ("arch", SaveOptions::package()),
    }
}

/// Import `arch` in a fresh Python (bytecode on): its version, checked against its array.
#[track_caller]
fn python_version(dir: &Path) -> u64 {
    let seen = fresh_import(
        dir,
        "import arch\nassert (arch.data == arch.version).all(), arch.version\nprint(arch.version)",
    );
    seen.parse()
        .unwrap_or_else(|_| panic!("Python printed {seen:?}"))
}

/// The array parts of a module archive `arch.py` on disk: its first and second names.
fn module_array_parts(dir: &Path) -> Vec<String> {
    ["arch_arrays", "arch_arrays.2"]
        .into_iter()
        .filter(|name| dir.join(name).exists())
        .map(str::to_owned)
        .collect()
}

/// Freeze a writer that overwrites `arch` in a loop at `moments` random instants: every time
/// the path holds a complete archive of one version, never older than the one seen before, and
/// every 30th time Python imports it (bytecode on) with its own arrays.
fn frozen_writer_never_leaves_the_path_empty(layout: &str, moments: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut first = Archive::new();
    first.insert("version", 0_u64).unwrap();
    first.insert("data", Array1::from_elem(1000, 0.0)).unwrap();
    let (target, options) = options_of(layout);
    first.save(dir.join(target), options).unwrap();
    let mut child = spawn_saver(dir, layout, 1000, 1, 1_000_000);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.next().unwrap().unwrap().starts_with("saved "));
    let mut state = seed();
    let mut newest = 0;
    for moment in 0..moments {
        std::thread::sleep(Duration::from_micros(random(&mut state, 3000)));
        signal(&child, Signal::STOP);
        let source = match layout {
            "module" => dir.join("arch.py"),
            _ => dir.join("arch/__init__.py"),
        };
        assert!(
            source.is_file(),
            "moment {moment}: {source:?} is missing while the writer is frozen"
        );
        // Its source and its arrays are always of one version (a module archive's new arrays
        // go under the name the old source does not use).
        let version = load_version(dir, layout);
        assert!(version >= newest, "went back from {newest} to {version}");
        newest = version;
        if moment % 30 == 0 {
            let seen = python_version(dir);
            assert!(seen >= version, "Python saw {seen}, Rust {version}");
        }
        signal(&child, Signal::CONT);
    }
    signal(&child, Signal::KILL);
    child.wait().unwrap();
    assert!(newest > 0, "the writer never got to save");
}

#[test]
fn a_frozen_overwriting_writer_never_leaves_a_package_archive_path_empty() {
    frozen_writer_never_leaves_the_path_empty("package", 300);
}

#[test]
fn a_frozen_overwriting_writer_never_leaves_a_module_archive_path_empty() {
    frozen_writer_never_leaves_the_path_empty("module", 300);
}

/// Kill a writer overwriting a large archive at random points, `kills` times: the archive
/// always loads in Rust with one whole version (and, every tenth kill, imports in Python with
/// the same), and the next save removes what the dead writers left. The kills fall anywhere in
/// the first 1.5 saves of each writer (timed by its first save: the moments are random, nothing
/// is asserted on time).
fn killed_writer_leaves_a_whole_archive(layout: &str, kills: usize, elements: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut state = seed();
    let mut next = 0_u64;
    let mut died_mid_save = 0;
    let mut one_save = Duration::from_millis(400);
    for kill in 0..kills {
        let started = std::time::Instant::now();
        let mut child = spawn_saver(dir, layout, elements, next, 1_000);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        if kill == 0 {
            // A first complete archive to overwrite.
            assert!(lines.next().unwrap().unwrap().starts_with("saved "));
            one_save = started.elapsed();
        }
        let window = one_save.as_micros() as u64 * 3 / 2;
        std::thread::sleep(Duration::from_micros(random(&mut state, window.max(1))));
        signal(&child, Signal::KILL);
        child.wait().unwrap();
        // The versions it said it saved (the first, read above, was `next`), and the one it was
        // saving when killed: that one may have been committed before it could say so.
        let last = lines
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix("saved ").and_then(|v| v.parse::<u64>().ok()))
            .last()
            .or((kill == 0).then_some(next));
        let in_flight = last.map_or(next, |v| v + 1);
        next = in_flight + 1;
        if !leftovers(dir).is_empty() {
            died_mid_save += 1;
        }
        let version = load_version(dir, layout);
        assert!(version <= in_flight, "version {version} was never written");
        if kill % 10 == 9 {
            assert_eq!(python_version(dir), version, "kill {kill}");
        }
    }
    assert!(
        died_mid_save > 0,
        "no kill hit a save: the test proved nothing"
    );
    // The next save removes the dead writers' staging folders (and a module archive's arrays
    // of the version it replaces).
    let mut archive = Archive::new();
    archive.insert("version", next).unwrap();
    archive
        .insert("data", Array1::from_elem(elements, next as f64))
        .unwrap();
    let (target, options) = options_of(layout);
    archive
        .save(dir.join(target), options.overwrite(true))
        .unwrap();
    assert_eq!(leftovers(dir), Vec::<String>::new());
    assert_eq!(load_version(dir, layout), next);
    assert_eq!(python_version(dir), next);
    if layout == "module" {
        assert_eq!(
            module_array_parts(dir).len(),
            1,
            "{:?}",
            module_array_parts(dir)
        );
    }
}

#[test]
fn a_killed_writer_leaves_a_whole_package_archive_and_the_next_save_cleans_up() {
    // 200 MB archives (25 M f64), 100 kills.
    killed_writer_leaves_a_whole_archive("package", 100, 25_000_000);
}

#[test]
fn a_killed_writer_leaves_a_whole_module_archive_and_the_next_save_cleans_up() {
    killed_writer_leaves_a_whole_archive("module", 100, 25_000_000);
}

/// A module archive overwritten puts its arrays under the name the archive on disk does not
/// use, so that one rename of the source swaps the whole archive: the names alternate, the
/// other name's files go, and a writer that died between renaming its arrays in and swapping
/// the source (both names on disk) is followed by a save that keeps the source's own arrays
/// until its source is swapped.
#[test]
fn an_overwritten_module_archive_alternates_its_array_names_and_keeps_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let save = |version: u64| {
        let mut archive = Archive::new();
        archive.insert("version", version).unwrap();
        archive
            .insert("data", Array1::from_elem(1000, version as f64))
            .unwrap();
        archive
            .save(dir.join("arch.py"), SaveOptions::module().overwrite(true))
            .unwrap();
    };
    let header = || {
        let source = std::fs::read_to_string(dir.join("arch.py")).unwrap();
        source.lines().next().unwrap().to_owned()
    };
    save(1);
    assert_eq!(module_array_parts(dir), ["arch_arrays"]);
    assert!(header().contains("format 2"), "{}", header());
    save(2);
    assert_eq!(module_array_parts(dir), ["arch_arrays.2"]);
    assert!(header().contains("format 7"), "{}", header());
    assert_eq!((load_version(dir, "module"), python_version(dir)), (2, 2));
    save(3);
    assert_eq!(module_array_parts(dir), ["arch_arrays"]);
    assert_eq!((load_version(dir, "module"), python_version(dir)), (3, 3));
    // A dead writer's arrays under the other name, never swapped in: the next save must not
    // take the name the source uses.
    std::fs::create_dir(dir.join("arch_arrays.2")).unwrap();
    std::fs::write(dir.join("arch_arrays.2/data.npy"), b"stale").unwrap();
    save(4);
    assert_eq!(module_array_parts(dir), ["arch_arrays.2"]);
    // Checked before Python leaves bytecode, which `verify` refuses.
    std::fs::remove_dir_all(dir.join("__pycache__")).unwrap();
    persist_core::verify(dir.join("arch.py"), &Default::default()).unwrap();
    assert_eq!((load_version(dir, "module"), python_version(dir)), (4, 4));
    assert_eq!(leftovers(dir), Vec::<String>::new());
    // An archive without arrays leaves none behind.
    let mut archive = Archive::new();
    archive.insert("version", 5_u64).unwrap();
    archive
        .save(dir.join("arch.py"), SaveOptions::module().overwrite(true))
        .unwrap();
    assert_eq!(module_array_parts(dir), Vec::<String>::new());
}

/// Import `module` in a fresh Python process in `dir`, bytecode writing on; print `expr`.
fn fresh_import(dir: &Path, code: &str) -> String {
    persist_tests::run_python_with_bytecode(dir, code)
        .trim()
        .to_owned()
}

#[test]
fn an_archive_overwritten_within_the_same_second_imports_its_new_value_with_bytecode_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (layout, options) in [
        ("arch_m.py", SaveOptions::module()),
        ("arch_p", SaveOptions::package()),
    ] {
        let name = layout.trim_end_matches(".py");
        let mut previous_size = None;
        // Values whose sources have the same size: only the modification time can tell them
        // apart, and several replacements fall within one second.
        for round in 0..12_i64 {
            let value = vec![round % 10, (round + 3) % 10, (round + 7) % 10];
            let mut archive = Archive::new();
            archive.insert("x", &value).unwrap();
            archive
                .save(dir.join(layout), options.overwrite(true))
                .unwrap();
            let source = if layout.ends_with(".py") {
                dir.join(layout)
            } else {
                dir.join(layout).join("__init__.py")
            };
            let size = std::fs::metadata(&source).unwrap().len();
            assert!(previous_size.is_none_or(|s| s == size), "sizes differ");
            previous_size = Some(size);
            let seen = fresh_import(dir, &format!("import {name}\nprint({name}.x)"));
            assert_eq!(seen, format!("{value:?}"), "{layout}, round {round}");
        }
        assert!(
            dir.join("__pycache__").is_dir() || dir.join(name).join("__pycache__").is_dir(),
            "Python wrote no bytecode: the test proved nothing"
        );
    }
}

#[test]
fn folders_of_older_writers_without_a_lock_are_removed_once_an_hour_old() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // What a writer of format 1 left: no lock file beside its folders.
    let old = dir.join(".arch.persist-AbC123");
    let fresh = dir.join(".arch.persist-old-XyZ789");
    for folder in [&old, &fresh] {
        std::fs::create_dir(folder).unwrap();
        std::fs::write(folder.join("__init__.py"), "x = 1\n").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let mut archive = Archive::new();
    archive.insert("version", 1_u64).unwrap();
    archive
        .save(dir.join("arch"), SaveOptions::package())
        .unwrap();
    assert!(!old.exists(), "an hour-old leftover remains");
    assert!(
        fresh.exists(),
        "a recent folder without a lock may be a live writer's"
    );
    assert_eq!(
        ArchiveReader::open(dir.join("arch"))
            .unwrap()
            .read::<u64>("version")
            .unwrap(),
        1
    );
}

/// `SaveOptions::durable(false)` (scratch results: no fsync) saves and overwrites like a durable
/// save, atomically for other processes: Python (bytecode writing on) and Rust see each version
/// whole.
#[test]
fn a_save_that_is_not_durable_is_still_whole_and_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scratch");
    for version in 1..=3_u64 {
        let field = Array1::from_elem(1000, version as f64);
        let mut archive = Archive::new();
        archive.insert("version", version).unwrap();
        archive.insert("field", &field).unwrap();
        archive
            .save(&path, SaveOptions::package().overwrite(true).durable(false))
            .unwrap();
        let reader = ArchiveReader::open(&path).unwrap();
        assert_eq!(reader.read::<u64>("version").unwrap(), version);
        assert_eq!(reader.read::<Array1<f64>>("field").unwrap(), field);
        // A fresh Python each time, bytecode writing on: replaced within the same second, the
        // cached bytecode of the previous version must not be used.
        let out = fresh_import(
            dir.path(),
            "import scratch\nprint(scratch.version, scratch.field.shape, float(scratch.field.sum()))",
        );
        assert_eq!(out, format!("{version} (1000,) {}.0", version * 1000));
    }
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

/// Kill a writer streaming an archive at random rows, `kills` times per store: the path always
/// holds one whole archive (the first, or a streamed one that committed), and the next save
/// removes what the dead writers left.
#[test]
fn a_killed_streaming_writer_leaves_the_previous_archive_whole() {
    let mut stores = vec!["npy"];
    if cfg!(feature = "hdf5") {
        stores.push("hdf5");
    }
    if cfg!(feature = "zarr") {
        stores.push("zarr");
    }
    let mut state = seed();
    for store in stores {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let mut first = Archive::new();
        first.insert("version", 0_u64).unwrap();
        first
            .insert("data", ndarray::Array2::<f64>::zeros((3, 10_000)))
            .unwrap();
        first
            .save(dir.join("arch"), SaveOptions::package())
            .unwrap();
        let mut committed = 0_u64;
        let mut killed_mid_stream = 0;
        for version in 1..=8_u64 {
            let rows = 200;
            let mut child = Command::new(WORKER)
                .args([
                    "stream",
                    dir.to_str().unwrap(),
                    store,
                    &version.to_string(),
                    &rows.to_string(),
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start archive_worker");
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            // Kill after a random number of rows, or (the last try) let it finish.
            let at = if version == 8 {
                None
            } else {
                Some(random(&mut state, rows))
            };
            let mut saved = false;
            for line in lines.by_ref() {
                let line = line.unwrap();
                if line.starts_with("saved ") {
                    saved = true;
                    break;
                }
                if at.is_some_and(|at| line == format!("row {at}")) {
                    signal(&child, Signal::KILL);
                    killed_mid_stream += 1;
                    break;
                }
            }
            let status = child.wait().unwrap();
            if saved || status.success() {
                committed = version;
            }
            let reader = ArchiveReader::open(dir.join("arch")).unwrap();
            let found: u64 = reader.read("version").unwrap();
            let data: ndarray::Array2<f64> = reader.read("data").unwrap();
            assert!(
                found == committed || found == version,
                "{store}: version {found}"
            );
            committed = found;
            let expected_rows = if found == 0 { 3 } else { rows as usize };
            assert_eq!(
                data.shape(),
                [expected_rows, 10_000],
                "{store}: version {found}"
            );
            assert!(
                data.iter().all(|&x| x == found as f64),
                "{store}: mixed data"
            );
        }
        assert!(killed_mid_stream > 0, "{store}: no kill hit a stream");
        assert_eq!(committed, 8, "{store}: the last writer was not killed");
        let out = Command::new(python())
            .current_dir(dir)
            .args(["-c", "import arch, numpy as np\nd = np.asarray(arch.data[...])\nassert d.shape == (200, 10000) and (d == arch.version).all()\nprint(arch.version)"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{store}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "8");
        // The next save removes the dead writers' staging folders.
        let mut next = Archive::new();
        next.insert("version", 9_u64).unwrap();
        next.save(dir.join("arch"), SaveOptions::package().overwrite(true))
            .unwrap();
        assert_eq!(leftovers(dir), Vec::<String>::new(), "{store}");
    }
}
