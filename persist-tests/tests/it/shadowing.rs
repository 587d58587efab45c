//! What Python imports from an archive's folders besides the archive: the shadowing corpus
//! (`tests/shadowing.txt`), each entry first shown to run code in a real Python started in the
//! archive's folder (bytecode writing on, no `PYTHONPATH`), then refused by `verify` naming it;
//! archives named like a module their folder's Python imports; item names that shadow nothing.
//! `tests/it/finder.rs` holds `verify` against CPython's own finder on generated folders.

use std::path::{Path, PathBuf};
use std::process::Command;

use ndarray::Array1;
use persist_core::{
    Archive, ArchiveError, DataSet, DataSetError, LoadError, Persist, ReadOptions, SaveOptions,
    verify,
};
use persist_tests::{import_as_a_colleague, run_python};

#[derive(Persist)]
struct Probe {
    depth: f64,
    label: String,
}

/// The archive of a corpus line, saved into `results` as this crate writes it; the path
/// `verify` takes.
pub(crate) fn save_archive(kind: &str, results: &Path) -> PathBuf {
    let field = Array1::from(vec![1.0f64, 2.0, 3.0]);
    let probe = Probe {
        depth: 2.5,
        label: "north".into(),
    };
    match kind {
        "module" | "package" => {
            let mut archive = Archive::new().with_array_threshold(2);
            archive.insert("probe", &probe).expect("insert");
            archive.insert("field", &field).expect("insert");
            let (path, options) = if kind == "module" {
                (results.join("run.py"), SaveOptions::module())
            } else {
                (results.join("run"), SaveOptions::package())
            };
            archive.save(&path, options).expect("save");
            path
        }
        "dataset" => {
            let path = results.join("sweep");
            let sweep = DataSet::create(&path)
                .expect("create")
                .with_array_threshold(2);
            sweep.insert("point_1", &field, &1.0f64).expect("insert");
            sweep.insert("point_2", &probe, &2.0f64).expect("insert");
            path
        }
        other => panic!("shadowing.txt: unknown archive kind `{other}`"),
    }
}

/// One line of the corpus.
struct Case {
    archive: String,
    entry: String,
    refused: String,
    python: String,
}

/// The corpus, with `{EXT}` replaced by `ext`.
fn corpus(ext: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shadowing.txt");
    let text = std::fs::read_to_string(&path).expect("read tests/shadowing.txt");
    let cases: Vec<Case> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            assert!(
                words.len() >= 4,
                "shadowing.txt: `{line}` has too few columns"
            );
            Case {
                archive: words[0].to_owned(),
                entry: words[1].replace("{EXT}", ext),
                refused: words[2].replace("{EXT}", ext),
                python: words[3..].join(" "),
            }
        })
        .collect();
    assert!(cases.len() >= 10, "the corpus has {} lines", cases.len());
    cases
}

/// The extension-module suffix of the test Python (`.cpython-311-x86_64-linux-gnu.so`).
fn ext_suffix() -> String {
    let code = "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))";
    run_python(Path::new("."), code).trim().to_owned()
}

/// Write the hostile entry `entry` under `results`: code that creates `marker` when Python
/// runs it, as source, compiled bytecode or a native library whose constructor runs.
fn plant(results: &Path, entry: &str, ext: &str, marker: &Path) {
    let path = results.join(entry);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("make the entry's folder");
    let payload = format!("open({:?}, 'w').close()\n", marker.display().to_string());
    if entry.ends_with(".py") {
        std::fs::write(&path, payload).expect("write the source");
    } else if entry.ends_with(".pyc") {
        let scratch = tempfile::tempdir().expect("scratch");
        let source = scratch.path().join("payload.py");
        std::fs::write(&source, payload).expect("write the payload");
        let code = format!(
            "import py_compile; py_compile.compile({:?}, cfile={:?}, doraise=True)",
            source.display().to_string(),
            path.display().to_string()
        );
        run_python(scratch.path(), &code);
    } else if entry.ends_with(ext) {
        let scratch = tempfile::tempdir().expect("scratch");
        let source = scratch.path().join("payload.c");
        std::fs::write(
            &source,
            format!(
                "#include <stdio.h>\n__attribute__((constructor)) static void payload(void) {{\n    FILE *f = fopen({:?}, \"w\");\n    if (f) fclose(f);\n}}\n",
                marker.display().to_string()
            ),
        )
        .expect("write the C payload");
        let out = Command::new("cc")
            .args(["-shared", "-fPIC", "-o"])
            .arg(&path)
            .arg(&source)
            .output()
            .expect("run cc (a C compiler; Debian: apt-get install gcc)");
        assert!(
            out.status.success(),
            "cc failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        panic!("shadowing.txt: no payload for the entry `{entry}`");
    }
}

#[test]
fn every_entry_of_the_corpus_runs_code_in_python_and_is_refused_naming_it() {
    let ext = ext_suffix();
    let mut failures = Vec::new();
    for case in corpus(&ext) {
        let scratch = tempfile::tempdir().expect("temporary folder");
        let results = scratch.path().join("results");
        std::fs::create_dir(&results).expect("results");
        let archive = save_archive(&case.archive, &results);
        let label = format!("{} + {}", case.archive, case.entry);
        if let Err(e) = verify(&archive, &ReadOptions::new()) {
            failures.push(format!("{label}: the archive alone is refused: {e}"));
            continue;
        }
        let marker = scratch.path().join("marker");
        plant(&results, &case.entry, &ext, &marker);
        match verify(&archive, &ReadOptions::new()) {
            Err(LoadError::Refused { path, reason }) if path == results.join(&case.refused) => {
                assert!(reason.len() < 400, "{label}: a long message: {reason}");
            }
            other => failures.push(format!(
                "{label}: expected a refusal naming {}, got {other:?}",
                case.refused
            )),
        }
        import_as_a_colleague(&results, &case.python);
        if !marker.exists() {
            failures.push(format!(
                "{label}: the control failed: `{}` did not run the entry",
                case.python
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The refusal says what the entry is, whose name it takes and what to do.
#[test]
fn a_refusal_says_what_the_entry_is_and_what_to_move() {
    let scratch = tempfile::tempdir().expect("temporary folder");
    let archive = save_archive("module", scratch.path());
    std::fs::write(scratch.path().join("dataclasses.py"), "").expect("write");
    let err = verify(&archive, &ReadOptions::new()).unwrap_err();
    let text = err.to_string();
    for words in [
        "dataclasses.py: a Python source file, which Python runs, named `dataclasses`,",
        "a module of Python's standard library",
        "instead of the real `dataclasses`",
        "move the archive into a folder of its own",
    ] {
        assert!(text.contains(words), "{words:?} not in: {text}");
    }
}

/// A module the user trusts is looked for in the archive's folder first too: trusting it trusts
/// what Python imports under its name there (a lab's own package beside its archives), which
/// `verify` reports so that the user reads it.
#[test]
fn a_trusted_module_beside_the_archive_is_reported() {
    #[derive(Persist, Debug, PartialEq)]
    #[persist(python = "mylab.models:Point")]
    struct Point {
        x: i32,
    }
    let scratch = tempfile::tempdir().expect("temporary folder");
    let mut archive = Archive::new();
    archive.insert("p", &Point { x: 3 }).expect("insert");
    let path = scratch.path().join("run.py");
    archive.save(&path, SaveOptions::module()).expect("save");
    let trusting = ReadOptions::new().trust_module("mylab.models");
    let report = verify(&path, &trusting).expect("trusted, and nothing beside it");
    assert!(report.trusted_beside.is_empty());
    let marker = scratch.path().join("marker");
    let mylab = scratch.path().join("mylab");
    std::fs::create_dir(&mylab).expect("mylab");
    std::fs::write(
        mylab.join("__init__.py"),
        format!("open({:?}, 'w').close()\n", marker.display().to_string()),
    )
    .expect("write");
    let report = verify(&path, &trusting).expect("a trusted module may live beside");
    assert_eq!(report.trusted_beside, vec![mylab.clone()]);
    // Untrusted, the record's import of `mylab.models` is refused as before.
    assert!(verify(&path, &ReadOptions::new()).is_err());
    import_as_a_colleague(scratch.path(), "import run");
    assert!(marker.exists(), "Python ran mylab/__init__.py, as reported");
}

/// An archive named like a module its folder's Python imports replaces that module for every
/// library there; saving one is refused, and `verify` refuses one made by hand.
#[test]
fn archives_named_like_a_module_python_imports_are_refused() {
    let scratch = tempfile::tempdir().expect("temporary folder");
    let results = scratch.path();
    let mut archive = Archive::new();
    archive.insert("x", 1u8).expect("insert");
    for (name, options) in [
        ("copy", SaveOptions::module()),
        ("inspect", SaveOptions::package()),
        ("numpy", SaveOptions::module()),
        ("packaging", SaveOptions::package()),
    ] {
        let err = archive.save(results.join(name), options).unwrap_err();
        match &err {
            ArchiveError::ShadowsModule { name: n, .. } => assert_eq!(n, name),
            other => panic!("{name}: {other:?}"),
        }
        assert!(err.to_string().contains("choose another name"), "{err}");
        assert!(!results.join(name).exists() && !results.join(format!("{name}.py")).exists());
    }
    let err = DataSet::create(results.join("signal")).unwrap_err();
    assert!(
        matches!(&err, DataSetError::ShadowsModule { name, .. } if name == "signal"),
        "{err:?}"
    );
    assert!(!results.join("signal").exists());

    // Made by hand (a saved archive renamed): live, then refused.
    archive
        .save(results.join("copy_run.py"), SaveOptions::module())
        .expect("save");
    std::fs::rename(results.join("copy_run.py"), results.join("copy.py")).expect("rename");
    let out = run_python(results, "import copy, json; print(hasattr(copy, 'x'))");
    assert_eq!(
        out.trim(),
        "True",
        "the control: `import copy` gave the archive"
    );
    let err = verify(results.join("copy.py"), &ReadOptions::new()).unwrap_err();
    assert!(
        err.to_string()
            .contains("the archive is named `copy`, a module of Python's standard library"),
        "{err}"
    );
}

/// Items are submodules and attributes: named like a module of the standard library they
/// shadow nothing, and archives and DataSets with such items verify and import.
#[test]
fn items_named_like_standard_modules_are_fine() {
    let scratch = tempfile::tempdir().expect("temporary folder");
    let mut archive = Archive::new();
    for (name, value) in [("time", 1.5f64), ("signal", 2.5), ("array", 3.5)] {
        archive.insert(name, value).expect("insert");
    }
    let run = scratch.path().join("run");
    archive.save(&run, SaveOptions::package()).expect("save");
    verify(&run, &ReadOptions::new()).expect("verify the package");
    let sweep = DataSet::create(scratch.path().join("sweep")).expect("create");
    sweep.insert("time", &1.5f64, &0.0f64).expect("insert");
    sweep.insert("signal", &2.5f64, &0.0f64).expect("insert");
    verify(scratch.path().join("sweep"), &ReadOptions::new()).expect("verify the DataSet");
    let out = run_python(
        scratch.path(),
        "import time as t, signal as s\n\
         from run import time, signal, array\n\
         from sweep import time as st, signal as ss\n\
         assert (time, signal, array) == (1.5, 2.5, 3.5)\n\
         assert (st, ss) == (1.5, 2.5)\n\
         assert hasattr(t, 'sleep') and hasattr(s, 'SIGINT')\n\
         print('ok')",
    );
    assert_eq!(out.trim(), "ok");
}
