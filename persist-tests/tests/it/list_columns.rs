//! Format 6's table layouts for many short lists: a column of lists (`'[float64]'`: one array
//! of all the lists' values plus offsets) in record tables and one-column tables, and dict
//! tables (`_table(dict, (), (keys, values))`) for maps with more entries than the threshold
//! whose keys and values are columns, such as a `HashMap<String, Vec<f64>>`. Python gets the
//! same `dict`s and `list`s of Python values as from literals; Rust and `verify` read them back;
//! hand edits of the inline form load; hostile offsets and dict tables in older formats are
//! refused.

use std::collections::{BTreeMap, HashMap};

use persist_core::{Archive, ArchiveReader, ArrayStore, Persist, ReadOptions, SaveOptions, verify};
use persist_tests::{Saved, run_python, run_python_with_bytecode, save_package};

/// `code` run after `import arch as a` in a fresh Python with bytecode writing on.
fn import_arch(saved: &Saved, code: &str) -> String {
    run_python_with_bytecode(
        saved.dir.path(),
        &format!("import numpy as np\nimport arch as a\n{code}"),
    )
}

/// 150 keys, each with 100 floats: more entries than the default threshold, each list at it.
fn spectra() -> HashMap<String, Vec<f64>> {
    (0..150)
        .map(|k| {
            let values = (0..100)
                .map(|i| f64::from(k) + f64::from(i) / 7.0)
                .collect();
            (format!("k{k:03}"), values)
        })
        .collect()
}

const SPECTRA: &str = "d = a.spectra\n\
     assert type(d) is dict and len(d) == 150, type(d)\n\
     assert list(d) == ['k%03d' % k for k in range(150)], list(d)[:3]\n\
     assert all(type(v) is list and len(v) == 100 for v in d.values())\n\
     assert all(v == [k + i / 7.0 for i in range(100)] for k, v in enumerate(d.values()))\n\
     assert type(d['k007'][3]) is float\n\
     print('ok')\n";

#[test]
fn a_map_of_many_short_lists_is_one_dict_table() {
    let mut archive = Archive::new();
    archive.insert("spectra", spectra()).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.starts_with("# persist archive, format 6,"),
        "{source}"
    );
    assert!(
        source.contains(
            "spectra = _table(dict, (), (\n    ('str', _load('spectra.keys.npy'), _load('spectra.keys.offsets.npy')),\n    ('[float64]', _load('spectra.values.npy'), _load('spectra.values.offsets.npy')),\n))"
        ),
        "{source}"
    );
    // Four array files, not one per key.
    let files = std::fs::read_dir(saved.dir.path().join("arch/_arrays"))
        .unwrap()
        .count();
    assert_eq!(files, 4);
    let path = saved.dir.path().join("arch");
    verify(&path, &ReadOptions::new()).unwrap();
    // A fresh Python, bytecode on, twice (the second import reads the cached bytecode).
    for _ in 0..2 {
        let out =
            run_python_with_bytecode(saved.dir.path(), &format!("import arch as a\n{SPECTRA}"));
        assert_eq!(out.trim(), "ok");
    }
    let reader = ArchiveReader::open(&path).unwrap();
    assert_eq!(
        reader.read::<HashMap<String, Vec<f64>>>("spectra").unwrap(),
        spectra()
    );
    // Any map type reads a dict table.
    let sorted: BTreeMap<String, Vec<f64>> = reader.read("spectra").unwrap();
    assert_eq!(sorted.len(), 150);
}

#[test]
fn every_store_holds_dict_tables_and_lists() {
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
        archive.insert("spectra", spectra()).unwrap();
        archive.insert("samples", samples()).unwrap();
        archive
            .save(dir.path().join("arch"), SaveOptions::package())
            .unwrap();
        let out =
            run_python_with_bytecode(dir.path(), &format!("import arch as a\n{SPECTRA}{SAMPLES}"));
        assert_eq!(out.trim(), "ok\nok", "{name}");
        let reader = ArchiveReader::open(dir.path().join("arch")).unwrap();
        let back: HashMap<String, Vec<f64>> = reader.read("spectra").unwrap();
        assert_eq!(back, spectra(), "{name}");
        assert_eq!(reader.read::<Vec<Sample>>("samples").unwrap(), samples());
    }
}

/// A record with list fields: a record table with columns of lists.
#[derive(Persist, Debug, PartialEq, Clone)]
struct Sample {
    id: u32,
    trace: Vec<f32>,
    hits: Vec<i64>,
    flags: Vec<bool>,
}

fn samples() -> Vec<Sample> {
    (0..120)
        .map(|i| Sample {
            id: i,
            trace: (0..i % 5).map(|j| (f64::from(j) * 0.1) as f32).collect(),
            hits: (0..i % 3).map(|j| (i64::from(j) - 1) << 40).collect(),
            flags: vec![i % 2 == 0; (i % 4) as usize],
        })
        .collect()
}

const SAMPLES: &str = "s = a.samples\n\
     assert type(s) is list and len(s) == 120 and type(s[0]).__name__ == 'Sample'\n\
     import numpy as np\n\
     for i, r in enumerate(s):\n\
     \x20   assert r.id == i and type(r.trace) is list and type(r.hits) is list, r\n\
     \x20   assert r.trace == [float(np.float32(j * 0.1)) for j in range(i % 5)], (r.trace, i)\n\
     \x20   assert r.hits == [(j - 1) << 40 for j in range(i % 3)], r.hits\n\
     \x20   assert r.flags == [i % 2 == 0] * (i % 4) and all(type(f) is bool for f in r.flags)\n\
     assert s[4].trace[3] == float(np.float32(0.3)) and s[0].trace == []\n\
     print('ok')\n";

#[test]
fn records_with_list_fields_are_tables_with_columns_of_lists() {
    let mut archive = Archive::new();
    archive.insert("samples", samples()).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.starts_with("# persist archive, format 6,"),
        "{source}"
    );
    assert!(
        source.contains(
            "('[float32]', _load('samples.trace.npy'), _load('samples.trace.offsets.npy'))"
        ),
        "{source}"
    );
    assert!(
        source.contains("('[bool]', _load('samples.flags.npy')"),
        "{source}"
    );
    let path = saved.dir.path().join("arch");
    verify(&path, &ReadOptions::new()).unwrap();
    assert_eq!(import_arch(&saved, SAMPLES).trim(), "ok");
    assert_eq!(
        ArchiveReader::open(&path)
            .unwrap()
            .read::<Vec<Sample>>("samples")
            .unwrap(),
        samples()
    );
}

#[test]
fn inline_tables_of_lists_are_list_literals_and_load_after_hand_edits() {
    let mut archive = Archive::new();
    archive.insert("samples", samples()).unwrap();
    let source = archive.to_python_source().unwrap();
    assert!(
        source.starts_with("# persist archive, format 6,"),
        "{source}"
    );
    let first = "    [[], [0.0], [0.0, 0.10000000149011612], [0.0, 0.10000000149011612,";
    assert!(source.contains(first), "{source}");
    let back: Vec<Sample> = ArchiveReader::from_source(&source)
        .unwrap()
        .read("samples")
        .unwrap();
    assert_eq!(back, samples());
    // A hand edit of one list of the inline column.
    let edited = source.replacen(
        "[[], [0.0], [0.0, 0.10000000149011612],",
        "[[], [0.0], [0.0, 0.10000000149011612, 9.5],",
        1,
    );
    assert_ne!(edited, source);
    let back: Vec<Sample> = ArchiveReader::from_source(&edited)
        .unwrap()
        .read("samples")
        .unwrap();
    assert_eq!(back[2].trace, [0.0, 0.1, 9.5]);
    assert_eq!(back[3], samples()[3]);
    // Without an array store, a map stays a dict literal (a dict table needs arrays).
    let mut maps = Archive::new();
    maps.insert("spectra", spectra()).unwrap();
    let source = maps.to_python_source().unwrap();
    assert!(!source.contains("_table("), "{}", &source[..300]);
}

#[test]
fn long_lists_of_lists_and_maps_of_scalars_are_tables() {
    let lists: Vec<Vec<i32>> = (0..300).map(|i| (0..i % 7).collect()).collect();
    let counts: BTreeMap<u32, String> = (0..500).map(|i| (i * 3, format!("n{i}"))).collect();
    let mut archive = Archive::new();
    archive.insert("lists", &lists).unwrap();
    archive.insert("counts", &counts).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.contains("lists = _table(None, (), (\n    ('[int32]', _load('lists.npy'), _load('lists.offsets.npy')),\n))"),
        "{source}"
    );
    assert!(
        source.contains("counts = _table(dict, (), (\n    ('uint32', _load('counts.keys.npy')),"),
        "{source}"
    );
    let out = import_arch(
        &saved,
        "assert a.lists == [list(range(i % 7)) for i in range(300)]\n\
         assert a.counts == {i * 3: 'n%d' % i for i in range(500)} and type(a.counts) is dict\n\
         assert type(next(iter(a.counts))) is int\n\
         print('ok')\n",
    );
    assert_eq!(out.trim(), "ok");
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    assert_eq!(reader.read::<Vec<Vec<i32>>>("lists").unwrap(), lists);
    assert_eq!(
        reader.read::<BTreeMap<u32, String>>("counts").unwrap(),
        counts
    );
    // A dict table is not a list, and a list is not a dict.
    let err = reader
        .read::<Vec<String>>("counts")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected a list or tuple, found a dict"),
        "{err}"
    );
}

#[test]
fn an_item_named_dict_keeps_later_maps_as_literals() {
    let mut archive = Archive::new();
    archive.insert("dict", 1).unwrap();
    archive.insert("spectra", spectra()).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(!source.contains("_table(dict"), "{}", &source[..400]);
    assert_eq!(
        import_arch(&saved, &format!("assert a.dict == 1\n{SPECTRA}")).trim(),
        "ok"
    );
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    let back: HashMap<String, Vec<f64>> = reader.read("spectra").unwrap();
    assert_eq!(back, spectra());
}

#[test]
fn bad_offsets_and_older_formats_are_refused() {
    let mut archive = Archive::new();
    archive.insert("spectra", spectra()).unwrap();
    let saved = save_package(&archive);
    let path = saved.dir.path().join("arch");
    // Offsets out of order, written by numpy.
    let out = run_python(
        &path.join("_arrays"),
        "import numpy as np\n\
         o = np.load('spectra.values.offsets.npy')\n\
         o[5], o[6] = o[6], o[5]\n\
         np.save('spectra.values.offsets.npy', o)\n\
         print('edited')\n",
    );
    assert_eq!(out.trim(), "edited");
    let err = verify(&path, &ReadOptions::new()).unwrap_err().to_string();
    assert!(err.contains("spectra.values"), "{err}");
    assert!(err.contains("out of order"), "{err}");
    let err = ArchiveReader::open(&path)
        .unwrap()
        .read::<HashMap<String, Vec<f64>>>("spectra")
        .unwrap_err()
        .to_string();
    assert!(err.contains("out of order"), "{err}");

    // `dict` bound by the archive is no longer the builtin: not a dict table.
    let source = std::fs::read_to_string(path.join("__init__.py")).unwrap();
    let edited = source.replacen(
        "spectra = _table(dict",
        "dict = 1\nspectra = _table(dict",
        1,
    );
    assert_ne!(edited, source);
    let err = ArchiveReader::from_source(&edited).unwrap_err().to_string();
    assert!(
        err.contains("`dict` is not a record class of the archive"),
        "{err}"
    );

    // A format 5 archive (its `_table` has no dict tables) that says `_table(dict, ...)`.
    let mut old = Archive::new();
    old.insert("xs", vec![0.5_f64; 300]).unwrap();
    let source = save_package(&old).source();
    assert!(source.starts_with("# persist archive, format 5,"));
    let edited = source.replacen("_table(None, (), (", "_table(dict, (), (('int64', [1]),", 1);
    assert_ne!(edited, source);
    let err = ArchiveReader::from_source(&edited).unwrap_err().to_string();
    assert!(err.contains("needs format 6's `_table`"), "{err}");
    let edited = source.replacen("('float64',", "('[float64]',", 1);
    let err = ArchiveReader::from_source(&edited).unwrap_err().to_string();
    assert!(err.contains("needs format 6's `_table`"), "{err}");
}
