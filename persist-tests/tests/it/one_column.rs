//! The one-column case of record tables: a list of more plain values than the archive's
//! threshold (`Vec<f64>`, `Vec<String>`, `Vec<Option<i32>>`, unit enums as strings...) going to
//! an array store is one array, `_table(None, (), (column,))`, and still a Python `list` of
//! Python values on import; Rust reads it back, and so does `verify`. Short lists, lists inside
//! dict keys and archives without a store keep their list literals.

use std::collections::BTreeMap;

use persist_core::{Archive, ArchiveReader, ArrayStore, Persist, ReadOptions, SaveOptions, verify};
use persist_tests::{run_python, save_package};

#[derive(Persist, Debug, PartialEq, Clone, Copy)]
#[persist(repr = "str")]
enum Mode {
    Fast,
    Careful,
}

#[derive(Persist, Debug, PartialEq)]
struct Run {
    energy: Vec<f64>,
    labels: Vec<String>,
    hits: Vec<Option<i32>>,
    modes: Vec<Mode>,
    short: Vec<f64>,
    bytes: Vec<u8>,
}

fn run() -> Run {
    Run {
        energy: (0..200).map(|i| f64::from(i) * 0.1 - 3.0).collect(),
        labels: (0..150).map(|i| format!("π{i}\n'")).collect(),
        hits: (0..120).map(|i| (i % 3 != 0).then_some(i - 60)).collect(),
        modes: (0..101)
            .map(|i| {
                if i % 2 == 0 {
                    Mode::Fast
                } else {
                    Mode::Careful
                }
            })
            .collect(),
        short: vec![1.5, 2.5],
        bytes: (0..=255).collect(),
    }
}

const CHECK: &str = "r = a.run\n\
     assert type(r.energy) is list and len(r.energy) == 200 and type(r.energy[0]) is float\n\
     assert r.energy[7] == 7 * 0.1 - 3.0 and r.energy == [i * 0.1 - 3.0 for i in range(200)]\n\
     assert r.labels == ['\\u03c0%d\\n\\'' % i for i in range(150)], r.labels[:3]\n\
     assert r.hits == [None if i % 3 == 0 else i - 60 for i in range(120)], r.hits[:4]\n\
     assert type(r.hits[1]) is int\n\
     assert r.modes == ['Fast' if i % 2 == 0 else 'Careful' for i in range(101)]\n\
     assert r.short == [1.5, 2.5] and r.bytes == list(range(256)) and type(r.bytes[3]) is int\n\
     print('ok')\n";

#[test]
fn long_lists_of_plain_values_are_arrays_and_python_lists() {
    let mut archive = Archive::new();
    archive.insert("run", run()).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.starts_with("# persist archive, format 5,"),
        "{source}"
    );
    assert!(
        source.contains("_table(None, (), (\n    ('float64', _load('run.energy.npy')),\n))"),
        "{source}"
    );
    assert!(source.contains("('str', _load('run.labels.npy'), _load('run.labels.offsets.npy'))"));
    assert!(source.contains("('?int32', _load('run.hits.npy'), _load('run.hits.mask.npy'))"));
    assert!(source.contains("short=[1.5, 2.5]"), "{source}");
    assert_eq!(saved.check(CHECK).trim(), "ok");
    let path = saved.dir.path().join("arch");
    verify(&path, &ReadOptions::new()).unwrap();
    let reader = ArchiveReader::open(&path).unwrap();
    assert_eq!(reader.read::<Run>("run").unwrap(), run());
}

#[test]
fn every_store_holds_one_column_lists() {
    for (name, store) in [
        ("npz", ArrayStore::Npz),
        ("mmap", ArrayStore::NpyMmap),
        #[cfg(feature = "hdf5")]
        ("hdf5", ArrayStore::Hdf5(Default::default())),
        #[cfg(feature = "zarr")]
        ("zarr", ArrayStore::Zarr(Default::default())),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::new().with_array_store(store);
        archive.insert("run", run()).unwrap();
        archive
            .save(dir.path().join("arch"), SaveOptions::package())
            .unwrap();
        let out = run_python(dir.path(), &format!("import arch as a\n{CHECK}"));
        assert_eq!(out.trim(), "ok", "{name}");
        let reader = ArchiveReader::open(dir.path().join("arch")).unwrap();
        assert_eq!(reader.read::<Run>("run").unwrap(), run(), "{name}");
    }
}

#[test]
fn maps_of_long_lists_and_inline_archives() {
    let map: BTreeMap<String, Vec<f64>> = (0..20)
        .map(|k| {
            (
                format!("k{k}"),
                (0..150).map(|i| f64::from(k * i)).collect(),
            )
        })
        .collect();
    let mut archive = Archive::new();
    archive.insert("map", &map).unwrap();
    let saved = save_package(&archive);
    assert!(saved.source().contains("'k1': _t1,"), "{}", saved.source());
    let out = saved.check(
        "assert sorted(a.map) == sorted('k%d' % k for k in range(20))\n\
         assert all(v == [float(int(k[1:]) * i) for i in range(150)] for k, v in a.map.items())\n\
         assert type(a.map['k3']) is list\n\
         print(len(a.map))\n",
    );
    assert_eq!(out.trim(), "20");
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    assert_eq!(
        reader.read::<BTreeMap<String, Vec<f64>>>("map").unwrap(),
        map
    );
    // Without an array store, the list literal.
    let source = archive.to_python_source().unwrap();
    assert!(
        !source.contains("_table(") && source.contains("'k1': [\n        0.0, 1.0, 2.0,"),
        "{source}"
    );
    let back: BTreeMap<String, Vec<f64>> = ArchiveReader::from_source(&source)
        .unwrap()
        .read("map")
        .unwrap();
    assert_eq!(back, map);
}

#[test]
fn a_one_column_table_with_fields_is_refused() {
    let mut archive = Archive::new();
    archive.insert("xs", vec![0.5_f64; 300]).unwrap();
    let source = save_package(&archive).source();
    let edited = source.replacen("_table(None, (), (", "_table(None, ('a',), (", 1);
    assert_ne!(edited, source);
    let err = ArchiveReader::from_source(&edited).unwrap_err().to_string();
    assert!(
        err.contains("a one-column table (`_table(None, ...)`) has no fields"),
        "{err}"
    );
}
