//! `#[persist(write_only)]`: the archive is byte for byte what the full derive writes (a record
//! table too), Python imports it as always, and reading the type back in Rust is an error that
//! names it. Its misuse (a key that only says how to read) is in `tests/ui/container/`.

use persist_core::{Archive, LoadError, Persist, ReadErrorKind, from_str};
use persist_tests::save_package;

#[derive(Persist)]
#[persist(write_only, rename = "Stage")]
enum Stage {
    Warmup,
    Run { steps: u32 },
}

#[derive(Persist)]
#[persist(write_only, rename = "Report")]
struct Report {
    peak: f64,
    samples: Vec<u32>,
    stage: Stage,
    note: Option<String>,
}

/// The same types with everything derived.
#[derive(Persist, Debug, PartialEq)]
#[persist(rename = "Stage")]
enum FullStage {
    Warmup,
    Run { steps: u32 },
}

#[derive(Persist, Debug, PartialEq)]
#[persist(rename = "Report")]
struct FullReport {
    peak: f64,
    samples: Vec<u32>,
    stage: FullStage,
    note: Option<String>,
}

/// A record with scalar fields only: a long list of it is a record table.
#[derive(Persist)]
#[persist(write_only, rename = "Point")]
struct Point {
    x: f64,
    label: String,
}

#[derive(Persist)]
#[persist(rename = "Point")]
struct FullPoint {
    x: f64,
    label: String,
}

fn reports() -> (Vec<Report>, Vec<FullReport>) {
    let write_only = vec![
        Report {
            peak: 2.5,
            samples: vec![1, 2, 3],
            stage: Stage::Run { steps: 40 },
            note: Some("first".into()),
        },
        Report {
            peak: -0.125,
            samples: vec![],
            stage: Stage::Warmup,
            note: None,
        },
    ];
    let full = vec![
        FullReport {
            peak: 2.5,
            samples: vec![1, 2, 3],
            stage: FullStage::Run { steps: 40 },
            note: Some("first".into()),
        },
        FullReport {
            peak: -0.125,
            samples: vec![],
            stage: FullStage::Warmup,
            note: None,
        },
    ];
    (write_only, full)
}

/// The source of an archive holding `value` as `x`, with the Rust type names of the full twins
/// spelled as the write-only types'.
fn source_of<T: Persist>(value: &T) -> String {
    let mut archive = Archive::local();
    archive.insert("x", value).unwrap();
    archive
        .to_python_source()
        .unwrap()
        .replace("FullReport", "Report")
        .replace("FullStage", "Stage")
        .replace("FullPoint", "Point")
}

#[test]
fn a_write_only_type_writes_what_the_full_derive_writes() {
    let (write_only, full) = reports();
    assert_eq!(source_of(&write_only), source_of(&full));
    let points: Vec<Point> = (0..300)
        .map(|i| Point {
            x: f64::from(i) / 4.0,
            label: format!("p{i}"),
        })
        .collect();
    let full_points: Vec<FullPoint> = (0..300)
        .map(|i| FullPoint {
            x: f64::from(i) / 4.0,
            label: format!("p{i}"),
        })
        .collect();
    let table = source_of(&points);
    assert!(
        table.contains("_table("),
        "a long list of records is a table:\n{table}"
    );
    assert_eq!(table, source_of(&full_points));
}

#[test]
fn python_imports_a_write_only_archive() {
    let (write_only, _) = reports();
    let mut archive = Archive::new();
    archive.insert("reports", &write_only).unwrap();
    let saved = save_package(&archive);
    let out = saved.check(
        "r = a.reports\n\
         assert [type(x).__name__ for x in r] == ['Report', 'Report'], r\n\
         assert r[0].peak == 2.5 and type(r[0].peak) is float\n\
         assert r[0].samples == [1, 2, 3] and r[1].samples == []\n\
         assert type(r[0].stage).__qualname__ == 'Stage.Run' and r[0].stage.steps == 40\n\
         assert type(r[1].stage).__qualname__ == 'Stage.Warmup'\n\
         assert r[0].note == 'first' and r[1].note is None\n\
         print('ok')",
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn reading_a_write_only_type_is_an_error_naming_it() {
    let (_, full) = reports();
    let source = source_of(&full);
    // What the full twin reads back, the write-only type refuses, naming itself.
    assert_eq!(from_str::<Vec<FullReport>>(&source, "x").unwrap(), full);
    let Err(err) = from_str::<Vec<Report>>(&source, "x") else {
        panic!("a write_only type was read");
    };
    let LoadError::Item { source: read, .. } = &err else {
        panic!("{err}");
    };
    assert!(
        matches!(read.kind(), ReadErrorKind::WriteOnly(name) if name.ends_with("write_only::Report")),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("write_only"), "{message}");
    assert!(message.contains("Report"), "{message}");
}
