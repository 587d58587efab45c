//! The data caches of a DataSet's metadata index (format 8): `_index/FIRST_LAST.marshal` holds
//! what its segment `FIRST_LAST.py` builds, and Python's `__init__.py` loads it instead of
//! running the segment. What Python sees is exactly what running the segments and the per-item
//! files gives, for every plain value the writer spells; a cache that differs from its segment
//! by one byte, or has none, is refused by the verifier; without caches Python runs the
//! segments and sees the same.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use num_complex::{Complex32, Complex64};
use persist_core::{DataSet, LoadError};
use persist_tests::run_python_with_bytecode;

/// Metadata that touches every plain value the writer spells: special floats and signed zeros,
/// integers past 32, 64 and 127 bits, non-ASCII and long strings, sets (empty ones are
/// `set()`), nested dicts, complex numbers with NaN parts, `f32`s, repeated strings.
type Rich = (
    (f64, f64, f64, f64, f64, f64),
    (i64, u64, i128, i32, u8),
    (String, String, Option<bool>, bool),
    Vec<f64>,
    BTreeSet<i32>,
    BTreeMap<String, Vec<i64>>,
    (Complex64, Complex32, f32),
    Vec<(String, Option<i32>)>,
);

fn rich(k: i32) -> Rich {
    let set = if k % 2 == 0 {
        BTreeSet::new()
    } else {
        BTreeSet::from([k, -k, 7])
    };
    (
        (
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            1e300 * f64::from(k),
            5e-324,
        ),
        (i64::MIN, u64::MAX, i128::MIN + i128::from(k), -k, 255),
        (format!("naïve ☃ {k}"), "x".repeat(300), None, k % 3 == 0),
        vec![1.5, f64::from(k) / 7.0],
        set,
        BTreeMap::from([
            ("alpha".to_owned(), vec![i64::from(k), 1 << 40]),
            ("béta".to_owned(), vec![]),
        ]),
        (
            Complex64::new(-0.0, f64::NAN),
            Complex32::new(0.1, -2.5),
            0.1,
        ),
        vec![("alpha".to_owned(), Some(k)), ("alpha".to_owned(), None)],
    )
}

/// A DataSet `sweep` in `dir` with `n` items of [`rich`] metadata (enough changes for the index
/// to merge segments).
fn rich_data_set(dir: &Path, n: i32) -> DataSet {
    let ds = DataSet::create(dir.join("sweep")).unwrap().with_sync(false);
    for k in 0..n {
        ds.insert(&format!("r{k}"), &k, &rich(k)).unwrap();
    }
    ds
}

fn files_with(dir: &Path, suffix: &str) -> Vec<String> {
    let mut files: Vec<String> = persist_tests::file_names(dir)
        .into_iter()
        .filter(|n| n.ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// Python: every cache equals what running its segment builds (types, float bits, order), and
/// `_info_dict` equals what running each `_info/ITEM.py` builds. Prints the counts.
const SAME_AS_RUNNING: &str = r#"
import marshal, os, struct, sys
def same(a, b):
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return struct.pack('<d', a) == struct.pack('<d', b)
    if type(a) is complex:
        return same(a.real, b.real) and same(a.imag, b.imag)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return same(list(a), list(b)) and all(same(a[k], b[k]) for k in a)
    if type(a) is set:
        return same(sorted(a), sorted(b))
    return a == b
def run(path):
    values = {}
    with open(path, encoding='utf-8') as f:
        exec(compile(f.read(), path, 'exec'), values)
    del values['__builtins__']
    return values
index = os.path.join('sweep', '_index')
caches = 0
for file in sorted(os.listdir(index)):
    if file.endswith('.marshal'):
        with open(os.path.join(index, file), 'rb') as f:
            loaded = marshal.loads(f.read())
        ran = run(os.path.join(index, file[:-8] + '.py'))
        assert same(loaded, ran), (file, loaded, ran)
        caches += 1
import sweep
info = sweep._info_dict
for name in info:
    ran = run(os.path.join('sweep', '_info', name + '.py'))['info']
    assert same(info[name], ran), (name, info[name], ran)
r1 = info['r1']
assert repr(r1[0]) == '(nan, inf, -inf, -0.0, 1e+300, 5e-324)', r1[0]
assert r1[1] == (-2**63, 2**64 - 1, -2**127 + 1, -1, 255), r1[1]
assert r1[2][0] == 'naïve ☃ 1' and r1[4] == {1, -1, 7} and info['r0'][4] == set(), r1
assert r1[6][1] == complex(0.10000000149011612, -2.5) and r1[6][2] == 0.10000000149011612, r1
print(caches, len(info), 'bytecode' if os.path.isdir(os.path.join(index, '__pycache__')) else 'none')
"#;

#[test]
fn python_loads_from_the_caches_exactly_what_the_segments_build() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = rich_data_set(tmp.path(), 20);
    let index = ds.path().join("_index");
    let segments = files_with(&index, ".py");
    let caches = files_with(&index, ".marshal");
    assert!(!segments.is_empty());
    assert_eq!(
        caches,
        segments
            .iter()
            .map(|s| s.replace(".py", ".marshal"))
            .collect::<Vec<_>>(),
        "every segment has its cache"
    );
    let out = run_python_with_bytecode(tmp.path(), SAME_AS_RUNNING);
    // Every segment loaded from its cache: Python compiled none of them.
    assert_eq!(out.trim(), format!("{} 20 none", caches.len()));
    std::fs::remove_dir_all(ds.path().join("__pycache__")).unwrap();
    persist_core::verify(ds.path(), &Default::default()).unwrap();
    for k in 0..20 {
        let read: Rich = ds.info(&format!("r{k}")).unwrap();
        assert_eq!(format!("{read:?}"), format!("{:?}", rich(k)), "r{k}");
    }

    // Without the caches Python runs the segments (from cached bytecode) and sees the same.
    for cache in &caches {
        std::fs::remove_file(index.join(cache)).unwrap();
    }
    let out = run_python_with_bytecode(tmp.path(), SAME_AS_RUNNING);
    assert_eq!(out.trim(), "0 20 bytecode");
    let _ = std::fs::remove_dir_all(index.join("__pycache__"));
    let _ = std::fs::remove_dir_all(ds.path().join("__pycache__"));
    persist_core::verify(ds.path(), &Default::default()).unwrap();
    // The next changes write caches again, for their segments.
    ds.insert("r20", &20, &rich(20)).unwrap();
    assert!(!files_with(&index, ".marshal").is_empty());
    let out = run_python_with_bytecode(tmp.path(), SAME_AS_RUNNING);
    assert!(out.trim().ends_with(" 21 bytecode"), "{out}");
}

#[track_caller]
fn assert_refused(ds: &DataSet, file: &Path, says: &str) {
    let _ = std::fs::remove_dir_all(ds.path().join("__pycache__"));
    match persist_core::verify(ds.path(), &Default::default()) {
        Err(LoadError::Refused { path, reason }) => {
            assert_eq!(path, file, "{reason}");
            assert!(reason.contains(says), "{reason}");
        }
        other => panic!("{}: not refused: {other:?}", file.display()),
    }
}

#[test]
fn a_cache_that_is_not_its_segment_byte_for_byte_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = rich_data_set(tmp.path(), 3);
    let index = ds.path().join("_index");
    let cache = index.join(files_with(&index, ".marshal").pop().unwrap());
    let good = std::fs::read(&cache).unwrap();

    // One byte changed, one byte more, one less.
    let mut changed = good.clone();
    changed[good.len() / 2] ^= 1;
    for bytes in [
        changed,
        [&good[..], b"0"].concat(),
        good[..good.len() - 1].to_vec(),
    ] {
        std::fs::write(&cache, bytes).unwrap();
        assert_refused(&ds, &cache, "does not hold what its segment");
    }

    // A cache holding a code object, which `marshal.loads` makes (never runs) but no segment
    // spells.
    let evil = run_python_with_bytecode(
        tmp.path(),
        "import marshal, sys\n\
         sys.stdout.write(marshal.dumps({'r2': compile('print(1)', 'x', 'exec')}).hex())",
    );
    let evil: Vec<u8> = (0..evil.trim().len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&evil.trim()[i..i + 2], 16).unwrap())
        .collect();
    std::fs::write(&cache, evil).unwrap();
    assert_refused(&ds, &cache, "does not hold what its segment");

    // A cache whose segment is gone, and one that is a symbolic link to a good cache.
    std::fs::write(&cache, &good).unwrap();
    let orphan = index.join("0000009999_0000009999.marshal");
    std::fs::write(&orphan, &good).unwrap();
    assert_refused(&ds, &orphan, "without its segment");
    std::fs::remove_file(&orphan).unwrap();
    #[cfg(unix)]
    {
        let aside = tmp.path().join("aside.marshal");
        std::fs::rename(&cache, &aside).unwrap();
        std::os::unix::fs::symlink(&aside, &cache).unwrap();
        assert_refused(&ds, &cache, "symbolic link");
        std::fs::remove_file(&cache).unwrap();
        std::fs::rename(&aside, &cache).unwrap();
    }
    // As written, it verifies, and Python reads it.
    persist_core::verify(ds.path(), &Default::default()).unwrap();
    let out = run_python_with_bytecode(tmp.path(), SAME_AS_RUNNING);
    assert!(out.trim().ends_with(" 3 none"), "{out}");
}

/// A DataSet of format 7 (its `__init__.py` never reads caches) keeps its `__init__.py` and
/// gets no caches from this crate's writers; Python reads the new item from its segments.
#[test]
fn a_format_7_data_set_keeps_its_layout_and_gets_no_caches() {
    let golden = persist_tests::golden::root().join("v7");
    let (_copy, dir) = crate::golden::copy_of(&golden);
    let sweep = dir.join("sweep");
    let init = std::fs::read(sweep.join("__init__.py")).unwrap();
    let ds = DataSet::open(&sweep).unwrap();
    for k in 0..10 {
        ds.insert(&format!("r{k}"), &k, &rich(k)).unwrap();
    }
    assert_eq!(std::fs::read(sweep.join("__init__.py")).unwrap(), init);
    assert!(files_with(&sweep.join("_index"), ".marshal").is_empty());
    let out = run_python_with_bytecode(
        &dir,
        "import sweep\nprint(sorted(k for k in sweep._info_dict if k.startswith('r')), \
         sweep._info_dict['r3'][1][2])",
    );
    assert_eq!(
        out.trim(),
        format!(
            "['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'] {}",
            i128::MIN + 3
        )
    );
}
