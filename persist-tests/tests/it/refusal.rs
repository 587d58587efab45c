//! Refusals: code and unsupported constructs in an archive are errors at their exact line and
//! column, and nothing in an archive is ever executed; broken array files are clear errors naming
//! the file; no input makes loading panic or hang.
//!
//! Every malicious payload would create a marker file if it ran. The Rust side asserts that the
//! marker never exists; a control test runs the same sources in real Python and asserts that
//! there they do create it, so the payloads are known to be live.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use ndarray::{Array1, Array2, ArrayD, array};
use num_complex::Complex;
use persist_core::__private::parse_module;
use persist_core::{Archive, ArchiveReader, LoadError, Persist, SaveOptions};
use persist_tests::run_python;
use proptest::collection::vec;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The line and column an error points at.
#[track_caller]
fn position(err: &LoadError) -> (u32, u32) {
    match err {
        LoadError::Parse(e) => (e.line, e.column),
        LoadError::Module { pos, .. } => (pos.line, pos.column),
        LoadError::Item { source, .. } => (source.pos().line, source.pos().column),
        other => panic!("the error has no position: {other}"),
    }
}

/// Where the first `needle` starts in `source`, as (line, column), both from 1, columns counted
/// in characters.
#[track_caller]
fn position_of(source: &str, needle: &str) -> (u32, u32) {
    let offset = source
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in {source:?}"));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line as u32, column as u32)
}

/// Run `f` on a thread of its own and return its result; fail if it panics or runs longer than
/// ten seconds (an endless loop), naming `what`.
#[track_caller]
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = send.send(result);
    });
    match receive.recv_timeout(Duration::from_secs(10)) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(not a string)");
            panic!("{what} panicked instead of returning an error: {message}")
        }
        Err(_) => panic!("{what} did not finish within 10 s (an endless loop?)"),
    }
}

/// `Python`-quoted `path`.
fn quoted(path: &Path) -> String {
    let text = path.to_str().expect("UTF-8 temporary path");
    assert!(
        !text.contains(['\'', '\\', '"']),
        "temporary path {text} needs no quoting"
    );
    format!("'{text}'")
}

/// A one-field tuple struct: `system('touch ...')` has that shape.
#[derive(Persist, Debug, PartialEq)]
struct Command(String);

#[derive(Persist, Debug, PartialEq)]
struct Point {
    a: f64,
}

/// One refused construct.
struct Case {
    /// What it is, for messages.
    what: &'static str,
    /// The archive source; `{M}` stands for the quoted marker path, `{P}` for the path alone.
    source: &'static str,
    /// Where the error must point: the first occurrence of this text in the source.
    at: &'static str,
    /// Words the message must contain.
    words: &'static str,
    /// Whether the source, run by Python, creates the marker (checked by the control test).
    live: bool,
}

/// The malicious and unsupported constructs of issue 4, each with where it is refused.
const CASES: &[Case] = &[
    Case {
        what: "__import__('os').system(...)",
        source: "x = __import__('os').system('touch {P}')\n",
        at: ".system",
        words: "an attribute of the result of a call is not allowed",
        live: true,
    },
    Case {
        what: "exec(...)",
        source: "x = exec(\"open({M}, 'w')\")\n",
        at: "exec",
        words: "a call of `exec` is not allowed",
        live: true,
    },
    Case {
        what: "eval(...)",
        source: "y = 1\nx = eval(\"open({M}, 'w')\")\n",
        at: "eval",
        words: "a call of `eval` is not allowed",
        live: true,
    },
    Case {
        what: "open(...)",
        source: "x = open({M}, 'w')\n",
        at: "open",
        words: "a call of `open` is not allowed",
        live: true,
    },
    Case {
        what: "a lambda",
        source: "x = (lambda: open({M}, 'w'))()\n",
        at: "lambda",
        words: "a lambda is not allowed",
        live: true,
    },
    Case {
        what: "a list comprehension",
        source: "x = [open({M}, 'w') for i in range(3)]\n",
        at: "for",
        words: "a comprehension is not allowed",
        live: true,
    },
    Case {
        what: "a dict comprehension",
        source: "x = {k: open({M}, 'w') for k in range(1)}\n",
        at: "for",
        words: "a comprehension is not allowed",
        live: true,
    },
    Case {
        what: "a subscript",
        source: "a = [1]\nx = [a, open({M}, 'w')][0]\n",
        at: "[0]",
        words: "a subscript `x[...]` is not allowed",
        live: true,
    },
    Case {
        what: "an f-string",
        source: "x = f\"{open({M}, 'w')}\"\n",
        at: "f\"",
        words: "an f-string is not allowed",
        live: true,
    },
    Case {
        what: "import subprocess",
        source: "import numpy as _np\nimport subprocess\nx = subprocess.run(['touch', {M}])\n",
        at: "import subprocess",
        words: "`import subprocess` is not an import this crate writes",
        live: true,
    },
    Case {
        what: "a call of a function of an allowed module",
        source: "import os as _os\nx = _os.system('touch {P}')\n",
        at: "_os.system",
        words: "a call of `_os.system` is not allowed",
        live: true,
    },
    Case {
        what: "getattr(...)",
        source: "import os as _os\nx = getattr(_os, 'system')('touch {P}')\n",
        at: "('touch",
        words: "a call of the result of a call",
        live: true,
    },
    Case {
        what: "getattr(...) alone",
        source: "import os as _os\nx = getattr(_os, 'system')\n",
        at: "getattr",
        words: "a call of `getattr` is not allowed",
        live: false,
    },
    Case {
        what: "a numpy function that is not one of the archive's helpers",
        source: "import numpy as _np\nx = _np.save({M}, [1])\n",
        at: "_np.save",
        words: "a call of `_np.save` is not allowed",
        live: true,
    },
    Case {
        what: "a class statement",
        source: "class A:\n    x = open({M}, 'w')\n",
        at: "class",
        words: "a class definition is not allowed",
        live: true,
    },
    Case {
        what: "an if statement",
        source: "y = 1\nif True:\n    x = open({M}, 'w')\n",
        at: "if",
        words: "an `if` statement is not allowed",
        live: true,
    },
    Case {
        what: "a for statement",
        source: "for i in range(1):\n    x = open({M}, 'w')\n",
        at: "for",
        words: "a `for` statement is not allowed",
        live: true,
    },
    Case {
        what: "a while statement",
        source: "while True:\n    x = open({M}, 'w')\n    break\n",
        at: "while",
        words: "a `while` statement is not allowed",
        live: true,
    },
    Case {
        what: "a with statement",
        source: "with open({M}, 'w') as f:\n    pass\n",
        at: "with",
        words: "a `with` statement is not allowed",
        live: true,
    },
    Case {
        what: "a try statement",
        source: "try:\n    x = open({M}, 'w')\nexcept Exception:\n    pass\n",
        at: "try",
        words: "a `try` statement is not allowed",
        live: true,
    },
    Case {
        what: "a chained assignment",
        source: "x = y = open({M}, 'w')\n",
        at: "= open",
        words: "a chained assignment `a = b = ...` is not allowed",
        live: true,
    },
    Case {
        what: "an expression statement",
        source: "x = 1\nopen({M}, 'w')\n",
        at: "open",
        words: "an expression statement (`open...`) is not allowed",
        live: true,
    },
    Case {
        what: "two statements on one line",
        source: "x = 1; open({M}, 'w')\n",
        at: ";",
        words: "`;` (several statements on one line) is not allowed",
        live: true,
    },
    Case {
        what: "a call of a helper function the archive defines",
        source: "def _f():\n    return open({M}, 'w')\n\n\nx = _f()\n",
        at: "def _f",
        words: "`def _f` is not a helper this crate writes",
        live: true,
    },
    Case {
        what: "a method call on a value",
        source: "import numpy as _np\nx = _np.array([1], dtype='int64').tofile({M})\n",
        at: ".tofile",
        words: "an attribute of the result of a call is not allowed",
        live: true,
    },
    Case {
        what: "a name used before it is defined",
        source: "x = y\ny = 1\n",
        at: "y\n",
        words: "`y` is not defined in the archive",
        live: false,
    },
    Case {
        what: "an unknown record class",
        source: "x = Point(a=1.0)\n",
        at: "Point",
        words: "a call of `Point` is not allowed",
        live: false,
    },
    Case {
        what: "a record class the module never defines, with a helper's name",
        source: "x = _Point(a=1.0)\n",
        at: "_Point",
        words: "a call of `_Point` is not allowed",
        live: false,
    },
];

impl Case {
    fn source_with(&self, marker: &Path) -> String {
        self.source
            .replace("{M}", &quoted(marker))
            .replace("{P}", &marker.display().to_string())
    }
}

/// The reads of `x`, as a few types, that succeed (none should, for a refused construct).
fn successful_reads(reader: &ArchiveReader) -> Vec<String> {
    let mut successes = Vec::new();
    if let Ok(v) = reader.read::<f64>("x") {
        successes.push(format!("f64 {v:?}"));
    }
    if let Ok(v) = reader.read::<String>("x") {
        successes.push(format!("String {v:?}"));
    }
    if let Ok(v) = reader.read::<Command>("x") {
        successes.push(format!("Command {v:?}"));
    }
    if let Ok(v) = reader.read::<Point>("x") {
        successes.push(format!("Point {v:?}"));
    }
    successes
}

// ---------------------------------------------------------------------------------------------
// Refused constructs
// ---------------------------------------------------------------------------------------------

/// Each construct is refused at its position, from a string and from a file (whose error names
/// the file), and its payload never runs.
#[test]
fn code_is_refused_at_its_position_and_never_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut failures = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let marker = dir.path().join(format!("marker_{i}"));
        let source = case.source_with(&marker);
        let expected = position_of(&source, case.at);
        let file = dir.path().join(format!("case_{i}.py"));
        std::fs::write(&file, &source).expect("write case");
        for (origin, result) in [
            ("from_source", ArchiveReader::from_source(&source)),
            ("open", ArchiveReader::open(&file)),
        ] {
            let err = match result {
                Ok(reader) => {
                    failures.push(format!(
                        "{}: {origin} accepted it (reads that succeed: {:?})\n{source}",
                        case.what,
                        successful_reads(&reader)
                    ));
                    continue;
                }
                Err(err) => err,
            };
            let message = err.to_string();
            if position(&err) != expected || !message.contains(case.words) {
                failures.push(format!(
                    "{}: {origin}: expected {}:{} and {:?}, got: {message}\n{source}",
                    case.what, expected.0, expected.1, case.words
                ));
            }
            if origin == "open" {
                let prefix = format!("{}:{}:{}: ", file.display(), expected.0, expected.1);
                if !message.starts_with(&prefix) {
                    failures.push(format!(
                        "{}: the error does not start with `{prefix}`: {message}",
                        case.what
                    ));
                }
            }
        }
        assert!(
            !marker.exists(),
            "{}: the payload ran: {} exists",
            case.what,
            marker.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The control: Python, which executes an archive, does run each live payload (so the Rust test
/// above proves something).
#[test]
fn the_payloads_are_live_in_python() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut imports = String::from("import importlib\n");
    for (i, case) in CASES.iter().enumerate() {
        let marker = dir.path().join(format!("marker_{i}"));
        std::fs::write(
            dir.path().join(format!("case_{i}.py")),
            case.source_with(&marker),
        )
        .expect("write case");
        imports.push_str(&format!(
            "try:\n    importlib.import_module('case_{i}')\nexcept Exception:\n    pass\n"
        ));
    }
    run_python(dir.path(), &imports);
    for (i, case) in CASES.iter().enumerate() {
        let marker = dir.path().join(format!("marker_{i}"));
        // `_np.save` appends `.npy` to the name it is given.
        let made = marker.exists() || marker.with_extension("npy").exists();
        assert_eq!(made, case.live, "{}: marker made by Python", case.what);
    }
}

/// `from os import system` has the shape of the import the writer emits for
/// `python = "module:Class"`: importing a module runs its code in Python, so the reader refuses
/// it unless the module is trusted; and even then `system(...)` is no record of a type without
/// that attribute: reading it fails at the call. (It never runs.)
#[test]
fn an_imported_function_is_not_a_record() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let marker = dir.path().join("marker");
    let source = format!(
        "from os import system as _system
x = _system('touch {}')
y = _system(a=1.0)
",
        marker.display()
    );
    let err = ArchiveReader::from_source(&source).unwrap_err();
    assert_eq!(position(&err), (1, 1), "{err}");
    assert!(
        err.to_string()
            .contains("imports `os`, which runs that module's code"),
        "{err}"
    );
    let unaliased = source
        .replace(" as _system", "")
        .replace("_system(", "system(");
    let err = ArchiveReader::from_source_with(
        &unaliased,
        &persist_core::ReadOptions::new().trust_module("os"),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("binds a name this crate never imports a class as"),
        "{err}"
    );
    let trusting = persist_core::ReadOptions::new().trust_module("os");
    let reader = ArchiveReader::from_source_with(&source, &trusting).expect("trusted import");
    let command = reader.read::<Command>("x");
    let point = reader.read::<Point>("y");
    assert!(!marker.exists(), "the payload ran");
    // The control: Python runs it.
    std::fs::write(
        dir.path().join("imported.py"),
        source.replace("y = _system(a=1.0)\n", ""),
    )
    .expect("write module");
    run_python(dir.path(), "import imported");
    assert!(marker.exists(), "the control payload did not run");
    for (item, result, at) in [
        ("x", command.map(|v| format!("{v:?}")), "_system('touch"),
        ("y", point.map(|v| format!("{v:?}")), "_system(a="),
    ] {
        match result {
            Ok(value) => panic!(
                "`{item}`, a call of the imported function `os.system`, was read as the record {value}"
            ),
            Err(err) => {
                assert_eq!(position(&err), position_of(&source, at), "{err}");
                assert!(err.to_string().contains("system"), "{err}");
            }
        }
    }
}

/// A helper `def` is never run by the reader, and one that differs from the writer's (here: a
/// default argument that opens a file, and another body) is refused where it differs, both
/// from disk and from memory.
#[test]
fn helper_functions_are_never_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let marker = dir.path().join("marker");
    let source = format!(
        "import numpy as _np\n\ndef _load(name, mode=open({m}, 'w')):\n    return open({m}, 'w')\n\n\nx = _load('x.npy')\n",
        m = quoted(&marker)
    );
    std::fs::create_dir(dir.path().join("arch_arrays")).expect("array folder");
    ndarray_npy::write_npy(dir.path().join("arch_arrays/x.npy"), &array![1.0, 2.0])
        .expect("write npy");
    std::fs::write(dir.path().join("arch.py"), &source).expect("write archive");
    let err = ArchiveReader::open(dir.path().join("arch.py")).unwrap_err();
    assert_eq!(position(&err), position_of(&source, ", mode="), "{err}");
    assert!(
        err.to_string()
            .contains("the helper `_load` differs here from the one this crate writes"),
        "{err}"
    );
    let err = ArchiveReader::from_source(&source).unwrap_err();
    assert_eq!(position(&err), position_of(&source, ", mode="), "{err}");
    // The writer's own helper is accepted, and `_load` reads the file itself.
    let source = "import numpy as _np\nimport os as _os\n_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'arch_arrays')\n\n\ndef _load(name):\n    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)\n\n\nx = _load('x.npy')\n";
    std::fs::write(dir.path().join("arch.py"), source).expect("write archive");
    let reader = ArchiveReader::open(dir.path().join("arch.py")).expect("open");
    let x: Array1<f64> = reader.read("x").expect("read x");
    assert_eq!(x, array![1.0, 2.0]);
    let in_memory = ArchiveReader::from_source(source).expect("parse");
    let err = in_memory.read::<Array1<f64>>("x").unwrap_err();
    assert_eq!(position(&err), position_of(source, "_load('x.npy')"));
    assert!(
        err.to_string().contains(
            "`_load('x.npy')` needs the archive's array files; open the archive from disk"
        ),
        "{err}"
    );
    assert!(!marker.exists(), "the helper ran");
}

/// A pickled object array: `numpy.load(..., allow_pickle=True)` runs its payload in Python; the
/// archive refuses that call, and `_load` of such a file is an error naming it.
#[test]
fn pickled_arrays_are_never_unpickled() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let rust_marker = dir.path().join("rust_marker");
    let python_marker = dir.path().join("python_marker");
    let arrays = dir.path().join("arch_arrays");
    std::fs::create_dir(&arrays).expect("array folder");
    run_python(
        dir.path(),
        &format!(
            "import os, numpy as np\n\
             class Evil:\n    def __init__(self, m):\n        self.m = m\n    \
             def __reduce__(self):\n        return (os.system, ('touch ' + self.m,))\n\
             np.save('arch_arrays/x.npy', np.array([Evil({r})], dtype=object), allow_pickle=True)\n\
             np.save('control.npy', np.array([Evil({p})], dtype=object), allow_pickle=True)\n",
            r = quoted(&rust_marker),
            p = quoted(&python_marker)
        ),
    );
    // Python runs the payload of the control file.
    run_python(
        dir.path(),
        "import numpy as np\nnp.load('control.npy', allow_pickle=True)",
    );
    assert!(python_marker.exists(), "the control payload did not run");

    let source = "import numpy as _np\nx = _np.load('arch_arrays/x.npy', allow_pickle=True)\n";
    std::fs::write(dir.path().join("arch.py"), source).expect("write archive");
    let err = ArchiveReader::open(dir.path().join("arch.py")).unwrap_err();
    assert_eq!(position(&err), (2, 5), "{err}");
    assert!(
        err.to_string()
            .contains("a call of `_np.load` is not allowed"),
        "{err}"
    );

    let source = "x = _load('x.npy')\n";
    std::fs::write(dir.path().join("arch.py"), format!("import numpy as _np\nimport os as _os\n_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'arch_arrays')\n\n\ndef _load(name):\n    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)\n\n\n{source}")).expect("write archive");
    let reader = ArchiveReader::open(dir.path().join("arch.py")).expect("open");
    let err = reader.read::<Array1<f64>>("x").unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(&arrays.join("x.npy").display().to_string()),
        "{message}"
    );
    assert!(!rust_marker.exists(), "the pickled payload ran in Rust");
}

// ---------------------------------------------------------------------------------------------
// Arrays: dtype, shape, broken files
// ---------------------------------------------------------------------------------------------

/// A package archive `arch` holding `field` (10 float64 values in `arch/_arrays/field.npy`) and
/// `alpha`.
fn npy_archive() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let field = Array1::from_shape_fn(10, |i| i as f64 / 4.0);
    let mut archive = Archive::new().with_array_threshold(2);
    archive.insert("field", &field).expect("insert");
    archive.insert("alpha", 0.5).expect("insert");
    let path = dir.path().join("arch");
    archive
        .save(&path, SaveOptions::package())
        .expect("save archive");
    let npy = path.join("_arrays/field.npy");
    assert!(npy.exists(), "the writer put `field` in {}", npy.display());
    (dir, path, npy)
}

/// The error reading `field` of the archive at `path` as a `T`.
#[track_caller]
fn field_error<T: Persist + Debug>(path: &Path) -> String {
    let reader = ArchiveReader::open(path).expect("open");
    match reader.read::<T>("field") {
        Ok(value) => panic!("read `field` as {value:?}"),
        Err(err) => {
            let source = std::fs::read_to_string(path.join("__init__.py")).expect("source");
            assert_eq!(
                position(&err),
                position_of(&source, "_load('field.npy')"),
                "{err}"
            );
            err.to_string()
        }
    }
}

#[test]
fn an_npy_file_of_another_dtype_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    let message = field_error::<Array1<f32>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
    assert!(message.contains("f32"), "names the Rust type: {message}");
    let message = field_error::<Array1<Complex<f64>>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
    let message = field_error::<Array1<i64>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
}

#[test]
fn an_npy_file_of_another_dimensionality_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    let message = field_error::<Array2<f64>>(&path);
    assert!(
        message.contains("the Rust type has 2 dimensions, the archive's array has 1"),
        "{message}"
    );
    assert!(message.contains(&npy.display().to_string()), "{message}");
    // Any dimensionality reads it.
    let reader = ArchiveReader::open(&path).expect("open");
    let any: ArrayD<f64> = reader.read("field").expect("read as ArrayD");
    assert_eq!(any.shape(), [10]);
}

#[test]
fn a_truncated_npy_file_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    let bytes = std::fs::read(&npy).expect("read npy");
    for keep in [bytes.len() - 1, bytes.len() - 8, 140, 60, 10, 0] {
        std::fs::write(&npy, &bytes[..keep]).expect("truncate npy");
        let message = field_error::<Array1<f64>>(&path);
        assert!(
            message.contains(&format!("cannot read array file {}", npy.display())),
            "{keep} bytes kept: {message}"
        );
    }
    // With extra bytes at the end, too.
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0; 8]);
    std::fs::write(&npy, &longer).expect("extend npy");
    let message = field_error::<Array1<f64>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
}

#[test]
fn a_missing_npy_file_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    std::fs::remove_file(&npy).expect("remove npy");
    let message = field_error::<Array1<f64>>(&path);
    assert!(
        message.contains(&format!("cannot read array file {}", npy.display())),
        "{message}"
    );
    // The other item still reads.
    let reader = ArchiveReader::open(&path).expect("open");
    let alpha: f64 = reader.read("alpha").expect("alpha");
    assert_eq!(alpha, 0.5);
}

#[test]
fn an_npy_file_name_outside_the_array_folder_is_refused() {
    let (_dir, path, _npy) = npy_archive();
    let init = path.join("__init__.py");
    let source = std::fs::read_to_string(&init).expect("source");
    // Names that leave the folder are refused when the archive is opened.
    for name in [
        "../__init__.py",
        "/etc/passwd",
        ".hidden.npy",
        "a/../../b.npy",
    ] {
        let edited = source.replace("'field.npy'", &format!("'{name}'"));
        std::fs::write(&init, &edited).expect("write source");
        let err = ArchiveReader::open(&path).unwrap_err();
        assert_eq!(
            position(&err),
            position_of(&edited, &format!("_load('{name}')")),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("names a file outside the archive's arrays"),
            "{name}: {err}"
        );
    }
    // A plain name that is no `.npy` file is refused when read.
    let edited = source.replace("'field.npy'", "'field.txt'");
    std::fs::write(&init, &edited).expect("write source");
    let reader = ArchiveReader::open(&path).expect("open");
    let err = reader.read::<Array1<f64>>("field").unwrap_err();
    assert_eq!(
        position(&err),
        position_of(&edited, "_load('field.txt')"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("not a plain `.npy` file name of the archive's array folder"),
        "{err}"
    );
}

#[test]
fn inline_arrays_of_another_dtype_or_shape_are_errors_at_their_position() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "x = _np.array([1.5, 2.5], dtype='float64')\n",
            "'float64'",
            "dtype 'float64' where the Rust type needs 'float32'",
        ),
        (
            "x = _np.array([[1.0, 2.0], [3.0]], dtype='float32')\n",
            "[3.0]",
            "a ragged array: a row of 1 elements where 2 were expected",
        ),
        (
            "x = _np.array([1.0, 2.0], dtype='float32')\n",
            "_np.array",
            "the Rust type has 2 dimensions, the archive's array has 1",
        ),
        (
            "x = _np.zeros((2, 2, 2), dtype='float32')\n",
            "_np.zeros",
            "the Rust type has 2 dimensions, the archive's array has 3",
        ),
        (
            "x = _np.array([[1.0, 'a']], dtype='float32')\n",
            "'a'",
            "expected a float, found a str",
        ),
        (
            "x = _np.zeros((2, -1), dtype='float32')\n",
            "-1",
            "-1 does not fit in usize",
        ),
        (
            "x = _np.array([[1.0, 2.0]])\n",
            "_np.array",
            "expected `_np.array(data, dtype=...)`",
        ),
    ];
    for (item, at, words) in cases {
        let source = format!("import numpy as _np\n{item}");
        let err = persist_core::from_str::<Array2<f32>>(&source, "x").unwrap_err();
        assert_eq!(position(&err), position_of(&source, at), "{source}: {err}");
        assert!(err.to_string().contains(words), "{source}: {err}");
    }
}

/// A shape whose element count overflows must be an error, not a panic in `ndarray`.
#[test]
fn an_overflowing_array_shape_is_an_error() {
    let source = "import numpy as _np\nx = _np.zeros((4611686018427387904, 4611686018427387904), dtype='float64')\n";
    let result = within("reading an array of 2**124 elements", move || {
        persist_core::from_str::<ArrayD<f64>>(source, "x").map_err(|e| e.to_string())
    });
    let err = result.expect_err("an array of 2**124 elements");
    assert!(err.starts_with("<memory>:2:5: item `x`"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Items and names
// ---------------------------------------------------------------------------------------------

#[test]
fn a_missing_item_lists_the_available_ones() {
    let (_dir, path, _npy) = npy_archive();
    let reader = ArchiveReader::open(&path).expect("open");
    let err = reader.read::<f64>("beta").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "archive {} has no item `beta`; it has: field, alpha",
            path.join("__init__.py").display()
        )
    );
    // Helper names are no items.
    for helper in ["_np", "_load", "_arrays", "_os"] {
        let err = reader.read::<f64>(helper).unwrap_err();
        assert!(
            err.to_string().ends_with("it has: field, alpha"),
            "{helper}: {err}"
        );
    }
    let err = persist_core::from_str::<i32>("a = 1\nb = 2\ndel b\n", "b").unwrap_err();
    assert_eq!(
        err.to_string(),
        "archive <memory> has no item `b`; it has: a"
    );
}

// ---------------------------------------------------------------------------------------------
// Never an endless loop, a stack overflow or an abort (checked in a child process)
// ---------------------------------------------------------------------------------------------

/// The environment variable that makes this test binary a child running one case of
/// [`child_case`], and the one that passes it a path.
const CHILD_CASE: &str = "PERSIST_TESTS_REFUSAL_CHILD_CASE";
const CHILD_PATH: &str = "PERSIST_TESTS_REFUSAL_CHILD_PATH";

/// The name of the test that runs [`child_case`] in children.
const CHILD_TEST: &str = "refusal::loading_never_hangs_overflows_or_aborts";

#[derive(Persist, Debug, PartialEq)]
struct Node {
    children: Vec<Node>,
}

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
/// killed after 5 seconds: an endless loop, a stack overflow or an abort fails the test instead
/// of hanging or killing the whole suite. Returns what the child printed after `RESULT `.
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
        if started.elapsed() > Duration::from_secs(5) {
            child.kill().expect("kill the child");
            let _ = child.wait();
            panic!("case `{case}`: loading did not finish within 5 s (an endless loop?)");
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

// ---------------------------------------------------------------------------------------------
// Never a panic
// ---------------------------------------------------------------------------------------------

#[derive(Persist, Debug, PartialEq, Clone)]
enum Shape {
    Empty,
    Circle { radius: f64 },
    Rect(f64, f64),
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Run {
    name: String,
    alpha: f64,
    steps: u32,
    tags: Vec<String>,
    shapes: Vec<Shape>,
    field: Array2<f64>,
    lookup: BTreeMap<String, i64>,
    shared: Rc<Vec<i32>>,
    again: Rc<Vec<i32>>,
}

fn run_value() -> Run {
    let shared = Rc::new(vec![1, 2, 3]);
    Run {
        name: "it's a \"run\"\n\t\0😀".into(),
        alpha: -0.0,
        steps: 1000,
        tags: vec!["a".into(), String::new()],
        shapes: vec![
            Shape::Empty,
            Shape::Circle { radius: f64::NAN },
            Shape::Rect(1.0, f64::INFINITY),
        ],
        field: Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f64),
        lookup: BTreeMap::from([("k".into(), -1), ("é".into(), i64::MIN)]),
        shared: Rc::clone(&shared),
        again: shared,
    }
}

/// The source of a module archive with records, enums, arrays, shared values, escapes.
fn rich_source() -> String {
    let mut archive = Archive::local();
    archive.insert("run", run_value()).expect("insert");
    archive.insert("x", 1.5).expect("insert");
    archive
        .insert("grid", Array2::<i32>::zeros((2, 3)))
        .expect("insert");
    archive
        .insert(
            "pairs",
            vec![(1u8, Complex::new(1.0, -2.0)), (2, Complex::new(0.0, 0.5))],
        )
        .expect("insert");
    archive
        .insert("flags", HashSet::from([1i8, -2]))
        .expect("insert");
    archive.to_python_source().expect("source")
}

/// Open `source` and read every item (and a made-up one) as many types; errors are fine.
fn read_everything(reader: &ArchiveReader) {
    let items: Vec<String> = reader.items().map(str::to_owned).collect();
    for item in items.iter().map(String::as_str).chain(["nope"]) {
        let _ = reader.read::<f64>(item);
        let _ = reader.read::<i64>(item);
        let _ = reader.read::<u8>(item);
        let _ = reader.read::<bool>(item);
        let _ = reader.read::<char>(item);
        let _ = reader.read::<String>(item);
        let _ = reader.read::<()>(item);
        let _ = reader.read::<Vec<f64>>(item);
        let _ = reader.read::<Option<Vec<i32>>>(item);
        let _ = reader.read::<[u8; 2]>(item);
        let _ = reader.read::<(i32, String)>(item);
        let _ = reader.read::<Vec<(u8, Complex<f64>)>>(item);
        let _ = reader.read::<BTreeMap<String, i64>>(item);
        let _ = reader.read::<HashSet<i8>>(item);
        let _ = reader.read::<Complex<f32>>(item);
        let _ = reader.read::<Rc<Vec<i32>>>(item);
        let _ = reader.read::<Array2<f64>>(item);
        let _ = reader.read::<ArrayD<i32>>(item);
        let _ = reader.read::<Array1<bool>>(item);
        let _ = reader.read::<Shape>(item);
        let _ = reader.read::<Run>(item);
        let _ = reader.read::<Command>(item);
    }
}

/// Parse `source` and read everything from it, on a thread with a time limit.
#[track_caller]
fn load_never_panics(source: String) {
    within("loading a mutated source", move || {
        let _ = parse_module(&source);
        if let Ok(reader) = ArchiveReader::from_source(&source) {
            read_everything(&reader);
        }
    });
}

/// One edit of a source.
#[derive(Debug, Clone)]
enum Mutation {
    /// Set the byte at this fraction of the length to this value.
    Flip(f64, u8),
    /// Keep this fraction of the bytes.
    Truncate(f64),
    /// Duplicate the line at this fraction of the lines.
    DuplicateLine(f64),
    /// Delete the line at this fraction of the lines.
    DeleteLine(f64),
    /// Insert this text at this fraction of the length.
    Insert(f64, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (
            0.0..1.0,
            prop::sample::select(&b"()[]{},:='\"\\#\n -+.0j_"[..])
        )
            .prop_map(|(at, b)| Mutation::Flip(at, b)),
        (0.0..1.0).prop_map(Mutation::Truncate),
        (0.0..1.0).prop_map(Mutation::DuplicateLine),
        (0.0..1.0).prop_map(Mutation::DeleteLine),
        (0.0..1.0, prop::sample::select(TOKENS)).prop_map(|(at, t)| Mutation::Insert(at, t)),
    ]
}

/// Bits of Python the mutations insert.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "=",
    "'",
    "\"",
    "'''",
    "\\",
    "\n",
    "#",
    " ",
    "-",
    "+",
    "1e999",
    "0x",
    "1_",
    "2j",
    "float('nan')",
    "_np.array(",
    "dtype='int8'",
    "_load(",
    "x",
    "_s0",
    "None",
    "True",
    "lambda",
    "for",
    "\\N{DASH}",
    "\\x",
    "\\u12",
    "\r",
    "\t",
    "\u{0}",
    "😀",
    "_np.zeros((3, 3), dtype='float64')",
    "_np.asfortranarray(",
    "set()",
    "complex(1, 2)",
];

fn apply(source: &str, mutations: &[Mutation]) -> String {
    let mut bytes = source.as_bytes().to_vec();
    let at = |fraction: f64, len: usize| ((fraction * len as f64) as usize).min(len);
    for m in mutations {
        match m {
            Mutation::Flip(f, b) => {
                if !bytes.is_empty() {
                    let i = at(*f, bytes.len() - 1);
                    bytes[i] = *b;
                }
            }
            Mutation::Truncate(f) => bytes.truncate(at(*f, bytes.len())),
            Mutation::DuplicateLine(f) | Mutation::DeleteLine(f) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = at(*f, lines.len() - 1);
                    if matches!(m, Mutation::DeleteLine(_)) {
                        lines.remove(i);
                    } else {
                        lines.insert(i, lines[i]);
                    }
                }
                bytes = lines.concat().into_bytes();
            }
            Mutation::Insert(f, text) => {
                let i = at(*f, bytes.len());
                bytes.splice(i..i, text.bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..400)) {
        load_never_panics(String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn random_python_tokens_never_panic(tokens in vec(prop::sample::select(TOKENS), 0..60)) {
        load_never_panics(format!("x = {}", tokens.concat()));
    }

    #[test]
    fn mutated_archives_never_panic(mutations in vec(mutation(), 1..6)) {
        load_never_panics(apply(&rich_source(), &mutations));
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A saved package archive with its source and its `.npy` files mutated: opening and
    /// reading from disk never panics.
    #[test]
    fn mutated_archives_on_disk_never_panic(
        source_mutations in vec(mutation(), 0..4),
        npy_mutations in vec(mutation(), 0..4),
    ) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("arch");
        let mut archive = Archive::local().with_array_threshold(4);
        archive.insert("run", run_value()).expect("insert");
        archive.insert("grid", Array2::<i32>::zeros((3, 3))).expect("insert");
        archive.save(&path, SaveOptions::package()).expect("save");
        let init = path.join("__init__.py");
        let source = std::fs::read_to_string(&init).expect("source");
        std::fs::write(&init, apply(&source, &source_mutations)).expect("write source");
        for entry in std::fs::read_dir(path.join("_arrays")).expect("array folder") {
            let file = entry.expect("entry").path();
            let bytes = std::fs::read(&file).expect("read npy");
            // Mutate the raw bytes (not through UTF-8).
            let mut mutated = bytes;
            for m in &npy_mutations {
                match m {
                    Mutation::Flip(f, b) if !mutated.is_empty() => {
                        let i = ((f * mutated.len() as f64) as usize).min(mutated.len() - 1);
                        mutated[i] = *b;
                    }
                    Mutation::Truncate(f) => {
                        let keep = (f * mutated.len() as f64) as usize;
                        mutated.truncate(keep);
                    }
                    _ => {}
                }
            }
            std::fs::write(&file, mutated).expect("write npy");
        }
        within("loading a mutated archive from disk", move || {
            if let Ok(reader) = ArchiveReader::open(&path) {
                read_everything(&reader);
            }
        });
    }
}
