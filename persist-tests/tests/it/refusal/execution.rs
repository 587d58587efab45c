//! Nothing is executed: an imported function is no record, helper functions are never run (and
//! one that differs from the writer's is refused), pickled arrays are never unpickled.

use ndarray::{Array1, array};
use persist_core::ArchiveReader;
use persist_tests::run_python;

use super::{Command, Point, npy_archive, position, position_of, quoted};

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

/// The reader goes past a helper that is the writer's text word for word without tokenizing
/// it, but a body goes on as long as its lines are indented: the writer's `_load` and
/// `_record` followed by one more line of body (its own, or after blank and comment lines) are
/// refused at that line, in memory and from disk; followed by blank lines and comments only,
/// they are the writer's and the archive reads.
#[test]
fn a_helper_with_more_lines_after_the_writers_text_is_refused() {
    let (_dir, path, _npy) = npy_archive();
    let init = path.join("__init__.py");
    let source = std::fs::read_to_string(&init).expect("read the archive");
    let mut archive = persist_core::Archive::new();
    archive.insert("p", Point { a: 1.5 }).expect("insert");
    let with_record = archive.to_python_source().expect("render");
    for (source, helper, next) in [
        (&source, "_load", "\n\n\n"),
        (&with_record, "_record", "\n\n\n"),
    ] {
        // The helper's text ends before the blank lines that end its body.
        let start = source.find(&format!("def {helper}(")).expect("the helper");
        let end = start + source[start..].find(next).expect("the end of the helper") + 1;
        for added in [
            "    open('marker', 'w')\n",
            "\n# a comment\n    open('marker', 'w')\n",
        ] {
            let tampered = format!("{}{added}{}", &source[..end], &source[end..]);
            let err = ArchiveReader::from_source(&tampered).unwrap_err();
            assert_eq!(
                position(&err),
                position_of(&tampered, "open('marker'"),
                "{helper} + {added:?}: {err}"
            );
            assert!(
                err.to_string().contains(&format!(
                    "the helper `{helper}` differs here from the one this crate writes"
                )),
                "{err}"
            );
            if helper == "_load" {
                std::fs::write(&init, &tampered).expect("write the archive");
                let err = ArchiveReader::open(&path).unwrap_err();
                assert!(err.to_string().contains("differs here"), "{err}");
            }
        }
        let commented = format!("{}\n    # a comment\n\n{}", &source[..end], &source[end..]);
        if helper == "_load" {
            std::fs::write(&init, &commented).expect("write the archive");
            let reader = ArchiveReader::open(&path).expect("a comment is no body");
            let field: Array1<f64> = reader.read("field").expect("read field");
            assert_eq!(field, Array1::from_shape_fn(10, |i| i as f64 / 4.0));
        } else {
            let reader = ArchiveReader::from_source(&commented).expect("a comment is no body");
            assert_eq!(reader.read::<Point>("p").expect("read p"), Point { a: 1.5 });
        }
    }
}
