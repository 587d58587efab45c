//! The serde bridge (feature `serde`): `#[persist(serde)]` fields of foreign types (chrono's
//! `DateTime<Utc>`, `uuid::Uuid`, a serde-derived struct and enum) are plain Python data in the
//! archive and come back through serde; what serde's data model cannot hold is an error naming
//! the field.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use persist_core::{Archive, Persist, from_str};
use persist_tests::save_package;
use uuid::Uuid;

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
#[serde(rename_all = "lowercase")]
enum Status {
    Queued,
    Done { exit_code: i32 },
}

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
struct Meta {
    owner: String,
    tags: Vec<String>,
    limits: BTreeMap<String, f64>,
    status: Status,
    note: Option<String>,
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Run {
    #[persist(serde)]
    started: DateTime<Utc>,
    #[persist(serde)]
    id: Uuid,
    #[persist(serde)]
    meta: Meta,
    steps: u32,
}

fn run() -> Run {
    Run {
        started: Utc.with_ymd_and_hms(2026, 12, 2, 3, 4, 5).unwrap(),
        id: Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap(),
        meta: Meta {
            owner: "ada".into(),
            tags: vec!["sweep".into(), "β".into()],
            limits: BTreeMap::from([("cpu".into(), 2.5), ("mem".into(), 16.0)]),
            status: Status::Done { exit_code: 0 },
            note: None,
        },
        steps: 40,
    }
}

#[test]
fn foreign_types_are_plain_python_data_and_come_back_through_serde() {
    let mut archive = Archive::new();
    archive.insert("run", run()).unwrap();
    let saved = save_package(&archive);
    let out = saved.check(
        r#"
r = a.run
assert r.started == '2026-12-02T03:04:05Z', r.started
assert r.id == '67e55044-10b1-426f-9247-bb680e5fe0c8', r.id
m = r.meta
assert type(m) is dict, type(m)
assert m == {'owner': 'ada', 'tags': ['sweep', 'β'], 'limits': {'cpu': 2.5, 'mem': 16.0},
             'status': {'done': {'exit_code': 0}}, 'note': None}, m
assert r.steps == 40
print('ok')
"#,
    );
    assert_eq!(out.trim(), "ok");
    let back: Run = persist_core::ArchiveReader::open(saved.dir.path().join("arch"))
        .unwrap()
        .read("run")
        .unwrap();
    assert_eq!(back, run());
}

#[test]
fn what_serde_cannot_hold_or_refuses_is_an_error_naming_the_field() {
    let source = {
        let mut archive = Archive::new();
        archive.insert("run", run()).unwrap();
        archive.to_python_source().unwrap()
    };
    // serde's own message, at the field.
    let edited = source.replace("'2026-12-02T03:04:05Z'", "'yesterday'");
    let err = from_str::<Run>(&edited, "run").unwrap_err().to_string();
    assert!(err.contains("started") && err.contains("serde"), "{err}");
    // Not plain data, or beyond serde's data model.
    for (from, to, needle) in [
        (
            "'cpu': 2.5",
            "'cpu': float('nan')",
            "has no place in serde's data model",
        ),
        (
            "'cpu': 2.5",
            "'cpu': 1000000000000000000000000000000",
            "beyond what serde's data model holds",
        ),
        ("'cpu': 2.5", "1: 2.5", "must be a str"),
        ("'owner': 'ada'", "'owner': 1j", "not plain data"),
    ] {
        let edited = source.replace(from, to);
        assert_ne!(edited, source, "{from}");
        let err = from_str::<Run>(&edited, "run").unwrap_err().to_string();
        assert!(err.contains(needle) && err.contains("meta"), "{to}: {err}");
    }
    // Nesting deeper than serde reads.
    let deep = format!("x = {}0{}\n", "[".repeat(200), "]".repeat(200));
    let err = from_str::<DeepValue>(&deep, "x").unwrap_err().to_string();
    assert!(err.contains("deeper than 128"), "{err}");
}

/// Any value read through serde: a transparent struct of one serde field.
#[derive(Persist, Debug)]
#[persist(transparent)]
struct DeepValue(#[persist(serde)] serde_json::Value);
