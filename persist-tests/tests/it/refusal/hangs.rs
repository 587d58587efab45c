//! Never an endless loop, a stack overflow or an abort: self-referring names, a record that
//! would contain itself and arrays too large to allocate are loaded in a child process (this
//! test binary) with a time limit.

use std::fmt::Debug;
use std::path::Path;
use std::time::Duration;

use ndarray::Array1;
use persist_core::{Archive, ArchiveReader, LoadError};

use super::{Node, npy_archive};

/// The environment variable that makes this test binary a child running one case of
/// [`child_case`], and the one that passes it a path.
const CHILD_CASE: &str = "PERSIST_TESTS_REFUSAL_CHILD_CASE";
const CHILD_PATH: &str = "PERSIST_TESTS_REFUSAL_CHILD_PATH";

/// The name of the test that runs [`child_case`] in children.
const CHILD_TEST: &str = "refusal::hangs::loading_never_hangs_overflows_or_aborts";

/// The writer's `_record` helper, taken from an archive it writes.
fn record_helper() -> String {
    let mut archive = Archive::new();
    archive
        .insert("n", Node { children: vec![] })
        .expect("insert");
    let source = archive.to_python_source().expect("render");
    let start = source.find("def _record").expect("the helper");
    let end = source.find("_Node = ").expect("the class line");
    source[start..end].to_owned()
}

/// What the child does: read item `x` of an archive and describe the result.
fn child_case(case: &str, path: &str) -> String {
    fn describe<T: Debug>(result: Result<T, LoadError>) -> String {
        match result {
            Ok(value) => format!("ok {value:?}"),
            Err(err) => format!("err {err}"),
        }
    }
    let source = |source: &str| ArchiveReader::from_source(source).expect("parse");
    match case {
        "self" => describe(source("x = 1\nx = x\n").read::<f64>("x")),
        "cycle" => describe(source("_a = 1\n_b = _a\n_a = _b\nx = _a\n").read::<f64>("x")),
        "list" => describe(source("_a = 1\n_a = [_a]\nx = _a\n").read::<Vec<f64>>("x")),
        "record" => describe(
            source(&format!(
                "{}_Node = _record('Node', ('children',), 'it::refusal::Node')\n\
                     _a = 1\n_a = _Node(children=[_a])\nx = _a\n",
                record_helper()
            ))
            .read::<Node>("x"),
        ),
        "zeros" => describe(
            source("import numpy as _np\nx = _np.zeros((1099511627776,), dtype='float64')\n")
                .read::<Array1<f64>>("x"),
        ),
        "npy" => describe(match ArchiveReader::open(path) {
            Ok(reader) => reader.read::<Array1<f64>>("field"),
            Err(err) => Err(err),
        }),
        other => panic!("no child case {other}"),
    }
}

/// Run [`child_case`] `case` in a child process (this test binary, filtered to [`CHILD_TEST`]),
/// killed after 60 seconds: an endless loop, a stack overflow or an abort fails the test instead
/// of hanging or killing the whole suite. (The bound is a hang guard, far above what a load
/// takes even on a loaded machine: no test asserts on time.) Returns what the child printed after `RESULT `.
#[track_caller]
fn in_child(case: &str, path: &Path) -> String {
    use std::process::{Command, Stdio};
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads", "1"])
        .env(CHILD_CASE, case)
        .env(CHILD_PATH, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the child");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().expect("kill the child");
            let _ = child.wait();
            panic!("case `{case}`: loading did not finish within 60 s (an endless loop?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = child.wait_with_output().expect("the child's output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result = stdout
        .lines()
        .find_map(|line| line.split_once("RESULT ").map(|(_, result)| result))
        .map(str::to_owned);
    match result {
        Some(result) if status.success() => result,
        _ => panic!(
            "case `{case}`: the child process crashed ({status}) instead of returning an error:\n{}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .filter(
                    |l| !l.trim_start().starts_with(|c: char| c.is_ascii_digit())
                        && !l.trim_start().starts_with("at ")
                )
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// Names assigned from themselves or from each other (which Python reads as their earlier
/// values), a record that would contain itself, and arrays too large to allocate: loading ends
/// with a value or an error, never loops forever, overflows the stack or aborts.
#[test]
fn loading_never_hangs_overflows_or_aborts() {
    if let Ok(case) = std::env::var(CHILD_CASE) {
        let path = std::env::var(CHILD_PATH).unwrap_or_default();
        println!("RESULT {}", child_case(&case, &path));
        return;
    }
    let last: f64 = persist_core::from_str("x = 1\nx = 2.5\n", "x").expect("read x");
    assert_eq!(last, 2.5, "the last assignment wins");
    let nowhere = Path::new("");
    let mut failures = Vec::new();
    let mut check = |case: &str, path: &Path, ok: &str, err: &str| {
        let result = std::panic::catch_unwind(|| in_child(case, path));
        match result {
            Ok(result) if result == ok || result.starts_with(err) => {}
            Ok(result) => failures.push(format!("case `{case}`: {result}")),
            Err(panic) => failures.push(
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| format!("case `{case}` panicked")),
            ),
        }
    };
    // What Python reads, or an error at the reassignment.
    check("self", nowhere, "ok 1.0", "err <memory>:2:");
    check("cycle", nowhere, "ok 1.0", "err <memory>:3:");
    check("list", nowhere, "ok [1.0]", "err <memory>:2:");
    // Python reads `Node(children=[1])`, which is no `Node`: an error.
    check("record", nowhere, "(no value)", "err <memory>:");
    // 2**40 float64 elements (8 TiB): an error, not an allocation failure.
    check("zeros", nowhere, "(no value)", "err <memory>:2:5: item `x`");
    // A tiny `.npy` file whose header claims 2**40 float64 elements.
    let (_dir, path, npy) = npy_archive();
    let bytes = std::fs::read(&npy).expect("read npy");
    assert_eq!(
        &bytes[..8],
        b"\x93NUMPY\x01\x00",
        "an npy file of format 1.0"
    );
    let header_end = 10 + usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let header = String::from_utf8_lossy(&bytes[10..header_end]).into_owned();
    assert!(header.contains("'shape': (10,)"), "{header}");
    let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }";
    let mut tiny = bytes[..10].to_vec();
    tiny.extend_from_slice(format!("{dict:<width$}\n", width = header.len() - 1).as_bytes());
    tiny.extend_from_slice(&bytes[header_end..]);
    assert_eq!(tiny.len(), bytes.len(), "the header keeps its length");
    std::fs::write(&npy, tiny).expect("write npy");
    check(
        "npy",
        &path,
        "(no value)",
        &format!("err {}", path.join("__init__.py").display()),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
