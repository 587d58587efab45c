//! Errors print well where users print them: every public error's `Debug` is its message, so
//! `fn main() -> Result<(), Box<dyn Error>>` (which prints `Error: {:?}`) shows the hint.

use std::error::Error;
use std::process::Command;

use persist_core::{
    Archive, ArchiveReader, DataSet, LoadError, ReadOptions, SaveOptions, WriteError,
};

const MAIN: &str = env!("CARGO_BIN_EXE_main_error");

/// `main_error MISTAKE PATH`: fails, and what it printed to stderr.
#[track_caller]
fn run_main(mistake: &str, path: &std::path::Path) -> String {
    let out = Command::new(MAIN)
        .arg(mistake)
        .arg(path)
        .output()
        .expect("run main_error");
    assert!(!out.status.success(), "the mistake must fail");
    String::from_utf8(out.stderr).expect("UTF-8")
}

#[test]
fn a_main_returning_box_dyn_error_prints_the_hint() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("run.py");
    let printed = run_main("save-twice", &path);
    assert_eq!(
        printed.trim(),
        format!(
            "Error: cannot save to {}: it already exists; use SaveOptions::overwrite(true) to replace it",
            path.display()
        ),
        "{printed}"
    );
    let printed = run_main("insert-twice", &dir.path().join("sweep"));
    assert!(printed.starts_with("Error: "), "{printed}");
    assert!(
        printed.contains("`T160`") || printed.contains("\"T160\""),
        "{printed}"
    );
    assert!(!printed.contains("ItemExists {"), "{printed}");
}

/// Each kind of public error, made the way a user makes it: its `Debug` is its `Display`.
#[test]
fn every_public_error_debugs_as_its_message() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut errors: Vec<Box<dyn Error>> = Vec::new();

    let mut archive = Archive::new();
    archive.insert("x", 1u8).expect("insert");
    let path = dir.path().join("run.py");
    archive.save(&path, SaveOptions::module()).expect("save");
    errors.push(Box::new(
        archive.save(&path, SaveOptions::module()).unwrap_err(),
    ));
    errors.push(Box::new(archive.insert("x", 2u8).unwrap_err()));
    errors.push(Box::new(WriteError::custom("no negative masses")));
    errors.push(Box::new(
        ArchiveReader::open(dir.path().join("missing.py")).unwrap_err(),
    ));
    let reader = ArchiveReader::open(&path).expect("open");
    errors.push(Box::new(reader.read::<String>("x").unwrap_err()));
    errors.push(Box::new(persist_core::ReadError::custom(
        "no negative masses",
        persist_core::Pos::default(),
    )));
    let LoadError::Parse(parse) = ArchiveReader::from_source("x = [1, 2\n").unwrap_err() else {
        panic!("a parse error");
    };
    errors.push(Box::new(parse));
    let sweep = DataSet::create(dir.path().join("sweep")).expect("create");
    sweep.insert("a", &1.0f64, &1.0f64).expect("insert");
    errors.push(Box::new(sweep.insert("a", &1.0f64, &1.0f64).unwrap_err()));
    errors.push(Box::new(
        persist_core::verify(dir.path().join("nothing"), &ReadOptions::new()).unwrap_err(),
    ));
    for err in &errors {
        let debug = format!("{err:?}");
        assert_eq!(debug, err.to_string());
        assert!(
            !debug.contains(" {") && !debug.contains("path: "),
            "{debug}"
        );
    }
}
