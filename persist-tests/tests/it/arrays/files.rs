//! External `.npy` files: the inclusive threshold, file names after the item path (apart when
//! they collide, also ignoring case, valid for long keys), a shared array written once, and
//! module archives keeping their arrays beside the module.

use std::collections::BTreeMap;
use std::rc::Rc;

use ndarray::{Array1, Array2, ShapeBuilder};
use persist_core::{
    Archive, DEFAULT_ARRAY_THRESHOLD, Persist, Record, RecordKind, WriteError, Writer,
};
use persist_tests::{file_names, run_python, save_module, save_package};

use super::arange;

#[test]
fn the_threshold_is_inclusive() {
    // Default threshold: exactly 100 elements inline, 101 external.
    let mut archive = Archive::new();
    archive
        .insert("at", Array1::from_iter(0..DEFAULT_ARRAY_THRESHOLD as i64))
        .unwrap();
    archive
        .insert(
            "over",
            Array1::from_iter(0..=DEFAULT_ARRAY_THRESHOLD as i64),
        )
        .unwrap();
    archive.insert("at2", arange(ndarray::Ix2(10, 10))).unwrap();
    archive
        .insert("over2", arange(ndarray::Ix2(1, 101)))
        .unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(source.contains("\nat = _np.array("), "{source}");
    assert!(source.contains("\nat2 = _np.array("), "{source}");
    assert!(source.contains("\nover = _load("), "{source}");
    assert!(source.contains("\nover2 = _load("), "{source}");
    // Inline arrays are readable numbers a person can edit.
    assert!(source.contains("97, 98, 99]"), "{source}");
    assert_eq!(
        file_names(&saved.dir.path().join("arch/_arrays")),
        ["over.npy", "over2.npy"]
    );
    saved.check(
        "assert a.at.tolist() == list(range(100)) and a.at.dtype == np.int64, a.at\n\
         assert a.over.tolist() == list(range(101)) and a.over.dtype == np.int64, a.over\n\
         assert np.array_equal(a.at2, np.arange(100).reshape(10, 10)), a.at2\n\
         assert np.array_equal(a.over2, np.arange(101).reshape(1, 101)), a.over2\n",
    );

    // A threshold of the archive's own.
    let mut archive = Archive::new().with_array_threshold(6);
    archive.insert("at", Array2::<f32>::ones((2, 3))).unwrap();
    archive.insert("over", Array1::<f32>::ones(7)).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.contains("\nat = _np.array(") && source.contains("\nover = _load("),
        "{source}"
    );
    assert!(!saved.dir.path().join("arch/_arrays/at.npy").exists());
    assert!(saved.dir.path().join("arch/_arrays/over.npy").is_file());
    saved.check(
        "assert a.at.shape == (2, 3) and a.over.shape == (7,) and a.over.dtype == np.float32",
    );

    // An archive without external arrays has no arrays folder, and no loader.
    let mut archive = Archive::new();
    archive.insert("small", Array1::<u8>::zeros(3)).unwrap();
    let saved = save_package(&archive);
    assert_eq!(file_names(&saved.dir.path().join("arch")), ["__init__.py"]);
    assert!(!saved.source().contains("_load"));
}

/// A struct written by hand (this module does not depend on the derive): `Run(field=...)`.
struct Run {
    field: Array2<f64>,
    parts: Vec<Array1<u8>>,
}

impl Persist for Run {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        static RECORD: Record =
            Record::new("arrays::Run", "Run", RecordKind::Named(&["field", "parts"]));
        out.begin_record(&RECORD)?;
        out.field("field", &self.field)?;
        out.field("parts", &self.parts)?;
        out.end_record()
    }
}

#[test]
fn external_files_are_named_after_the_item_path() {
    let big = || Array1::<u8>::from_elem(5, 9);
    let run = Run {
        field: Array2::zeros((3, 3)),
        parts: vec![big(), Array1::zeros(1), big()],
    };
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("run", &run).unwrap();
    archive.insert("field", big()).unwrap();
    archive.insert("many", vec![big(), big()]).unwrap();
    archive.insert("pair", (big(), (1, big()))).unwrap();
    archive
        .insert(
            "by_key",
            BTreeMap::from([("alpha", big()), ("beta gamma", big()), ("it's", big())]),
        )
        .unwrap();
    archive
        .insert("by_int", BTreeMap::from([(-3, big()), (7, big())]))
        .unwrap();
    archive
        .insert("nested", vec![BTreeMap::from([(7_u8, vec![big()])])])
        .unwrap();
    archive.insert("maybe", Some(Box::new(big()))).unwrap();
    let saved = save_package(&archive);
    assert_eq!(
        file_names(&saved.dir.path().join("arch/_arrays")),
        [
            "by_int.-3.npy",
            "by_int.7.npy",
            "by_key.alpha.npy",
            "by_key.beta_gamma.npy",
            "by_key.it__s.npy",
            "field.npy",
            "many.0.npy",
            "many.1.npy",
            "maybe.npy",
            "nested.0.7.0.npy",
            "pair.0.npy",
            "pair.1.1.npy",
            "run.field.npy",
            "run.parts.0.npy",
            "run.parts.2.npy",
        ]
    );
    saved.check(
        "assert type(a.run).__name__ == 'Run' and a.run.field.shape == (3, 3), a.run\n\
         assert [p.tolist() for p in a.run.parts] == [[9] * 5, [0], [9] * 5], a.run.parts\n\
         assert a.by_key['it\\'s'].tolist() == [9] * 5 and a.by_int[-3].tolist() == [9] * 5\n\
         assert a.nested[0][7][0].tolist() == [9] * 5 and a.pair[1][1].dtype == np.uint8\n\
         assert a.maybe.tolist() == [9] * 5\n",
    );
}

#[test]
fn colliding_file_names_stay_apart() {
    let mut map = BTreeMap::new();
    for (i, key) in ["a b", "a_b", "a/b", "a.b", "a_b_2", "..", "A_B"]
        .into_iter()
        .enumerate()
    {
        map.insert(key, Array1::from_elem(5, i as i32));
    }
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("m", &map).unwrap();
    let saved = save_package(&archive);
    let files = file_names(&saved.dir.path().join("arch/_arrays"));
    assert_eq!(files.len(), map.len(), "{files:?}");
    saved.check(
        "keys = ['a b', 'a_b', 'a/b', 'a.b', 'a_b_2', '..', 'A_B']\n\
         assert sorted(a.m) == sorted(keys), list(a.m)\n\
         for i, k in enumerate(keys):\n\
         \x20   assert a.m[k].tolist() == [i] * 5, (k, a.m[k])\n",
    );
}

/// Keys that differ only in case get files whose names differ in more than case: on macOS and
/// Windows `m.a.npy` and `m.A.npy` are one file, and a copied archive would lose an array.
#[test]
fn file_names_differ_ignoring_case() {
    let map = BTreeMap::from([
        ("a", Array1::from_elem(5, 1_u8)),
        ("A", Array1::from_elem(5, 2_u8)),
    ]);
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("m", &map).unwrap();
    archive.insert("M", Array1::from_elem(5, 3_u8)).unwrap();
    archive.insert("m_", Array1::from_elem(5, 4_u8)).unwrap();
    let saved = save_package(&archive);
    let files = file_names(&saved.dir.path().join("arch/_arrays"));
    let mut folded: Vec<String> = files.iter().map(|f| f.to_lowercase()).collect();
    folded.sort();
    folded.dedup();
    assert_eq!(
        folded.len(),
        files.len(),
        "file names that differ only in case: {files:?}"
    );
    saved.check(
        "assert a.m['a'].tolist() == [1] * 5 and a.m['A'].tolist() == [2] * 5, a.m\n\
         assert a.M.tolist() == [3] * 5 and a.m_.tolist() == [4] * 5\n",
    );
}

/// A dict key longer than a file name may be (255 bytes on most file systems) still gives its
/// array a file.
#[test]
fn a_long_dict_key_gives_a_valid_file_name() {
    let long_key = "k".repeat(300);
    let mut archive = Archive::new().with_array_threshold(4);
    archive
        .insert(
            "m",
            BTreeMap::from([(long_key.as_str(), Array1::from_elem(5, 1_i32))]),
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let saved = archive.save(
        dir.path().join("arch"),
        persist_core::SaveOptions::package(),
    );
    assert!(
        saved.is_ok(),
        "an array under a 300-character key cannot be saved: {}",
        saved.unwrap_err()
    );
    let files = file_names(&dir.path().join("arch/_arrays"));
    assert!(files.len() == 1 && files[0].len() <= 255, "{files:?}");
    run_python(
        dir.path(),
        "import arch\nassert arch.m['k' * 300].tolist() == [1] * 5\n",
    );
}

#[test]
fn a_shared_array_is_written_once() {
    let shared = Rc::new(Array1::<f64>::linspace(0.0, 1.0, 11));
    let mut archive = Archive::local().with_array_threshold(10);
    archive
        .insert("x", (shared.clone(), shared.clone()))
        .unwrap();
    archive.insert("y", shared.clone()).unwrap();
    let saved = save_package(&archive);
    assert_eq!(
        file_names(&saved.dir.path().join("arch/_arrays")),
        ["x.0.npy"]
    );
    saved.check(
        "assert a.x[0] is a.x[1] is a.y, 'one array object'\n\
         assert np.allclose(a.y, np.linspace(0, 1, 11)), a.y\n",
    );
}

#[test]
fn module_archives_keep_arrays_beside_the_module() {
    let mut archive = Archive::new().with_array_threshold(4);
    archive
        .insert(
            "big",
            Array2::from_shape_fn((3, 5).f(), |(i, j)| (i * 5 + j) as u16),
        )
        .unwrap();
    archive.insert("small", Array1::<u16>::zeros(2)).unwrap();
    let saved = save_module(&archive);
    let dir = saved.dir.path();
    assert_eq!(file_names(dir), ["arch.py", "arch_arrays"]);
    assert_eq!(file_names(&dir.join("arch_arrays")), ["big.npy"]);
    // Imported from another working directory: the module finds its arrays by its own path.
    let check = "import os, sys\n\
         os.chdir('/')\n\
         import numpy as np\n\
         import arch as a\n\
         assert a.big.dtype == np.uint16 and a.big.shape == (3, 5), a.big\n\
         assert a.big.flags['F_CONTIGUOUS'], a.big.flags\n\
         assert np.array_equal(a.big, np.arange(15).reshape(3, 5)), a.big\n\
         assert a.small.tolist() == [0, 0]\n";
    run_python(dir, check);
    // Moved to another folder together with its arrays, it still imports.
    let moved = tempfile::tempdir().unwrap();
    std::fs::rename(dir.join("arch.py"), moved.path().join("arch.py")).unwrap();
    std::fs::rename(dir.join("arch_arrays"), moved.path().join("arch_arrays")).unwrap();
    run_python(moved.path(), check);

    // The same for a package.
    let saved = save_package(&archive);
    let moved = tempfile::tempdir().unwrap();
    std::fs::rename(saved.dir.path().join("arch"), moved.path().join("arch")).unwrap();
    run_python(moved.path(), check);
}
