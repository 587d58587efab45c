//! Record tables: long lists of records stored column-wise. Python imports them as the same
//! list of records (npy, HDF5 and inline), Rust reads them back, short lists and lists of
//! non-column records keep the per-record form, and hostile columns are refused.

use num_complex::Complex64;
use persist_core::{Archive, ArchiveReader, Persist, SaveOptions};
use persist_tests::{code_points, run_python, save_package};

#[derive(Persist, Clone, Debug, PartialEq)]
struct Position {
    x: f64,
    y: f64,
    z: f32,
}

#[derive(Persist, Clone, Debug, PartialEq)]
struct Particle {
    name: String,
    id: u64,
    charge: i32,
    mass: f64,
    alive: bool,
    tag: Option<String>,
    weight: Option<f64>,
    small: i8,
    phase: Complex64,
    position: Position,
}

/// A record with a field that is no column: its lists are written record by record.
#[derive(Persist, Clone, Debug, PartialEq)]
struct Sample {
    t: f64,
    values: Vec<Vec<f64>>,
}

const NAMES: [&str; 6] = [
    "proton",
    "",
    "π⁺ meson",
    "nul\0inside",
    "e\u{301}",
    "🦀 crab",
];

fn particles(n: usize) -> Vec<Particle> {
    (0..n)
        .map(|i| Particle {
            name: format!("{}{i}", NAMES[i % NAMES.len()]),
            id: u64::MAX - i as u64,
            charge: if i % 2 == 0 { -(i as i32) } else { i as i32 },
            mass: 0.1 * i as f64 + 1e-300,
            alive: i % 3 == 0,
            tag: (i % 4 != 1).then(|| format!("tag-{}", NAMES[(i + 2) % NAMES.len()])),
            weight: match i % 5 {
                0 => None,
                1 => Some(f64::NAN),
                2 => Some(-0.0),
                3 => Some(f64::INFINITY),
                _ => Some(i as f64 / 7.0),
            },
            small: (i % 256) as u8 as i8,
            phase: Complex64::new(i as f64, -1.5),
            position: Position {
                x: i as f64,
                y: -(i as f64) / 3.0,
                z: 0.1f32 * i as f32,
            },
        })
        .collect()
}

/// `t`: a table of `n` particles; `chunks`: the same particles in lists of two (per-record).
fn archive(n: usize) -> (Archive<'static>, Vec<Particle>) {
    let ps = particles(n);
    let chunks: Vec<Vec<Particle>> = ps.chunks(2).map(<[Particle]>::to_vec).collect();
    let mut archive = Archive::new().with_array_threshold(10);
    archive.insert("t", ps.clone()).unwrap();
    archive.insert("chunks", chunks).unwrap();
    (archive, ps)
}

/// Python compares every row of the table with the per-record particles, value by value.
const PYTHON_CHECK: &str = "import math
rows = a.t
ref = [p for c in a.chunks for p in c]
assert type(rows) is list and len(rows) == len(ref), (type(rows), len(rows))
for p, q in zip(rows, ref):
    assert type(p) is type(q) and type(p).__name__ == 'Particle', type(p)
    assert type(p.position).__name__ == 'Position', type(p.position)
    assert p.__dict__.keys() == q.__dict__.keys(), (p.__dict__.keys(), q.__dict__.keys())
    for k in q.__dict__:
        x, y = getattr(p, k), getattr(q, k)
        assert type(x) is type(y), (k, x, y)
        if isinstance(y, float) and math.isnan(y):
            assert math.isnan(x), (k, x)
        elif isinstance(y, float):
            assert x == y and math.copysign(1, x) == math.copysign(1, y), (k, x, y)
        else:
            assert x == y, (k, x, y)
assert rows[1].tag is None and rows[0].weight is None, (rows[1].tag, rows[0].weight)
assert rows[2].name == '\\u03c0\\u207a meson2', rows[2].name
assert rows[3].name == 'nul\\x00inside3' and rows[5].name == '\\U0001f980 crab5', rows[5].name
assert rows[7].id == 2**64 - 8 and rows[7].small == 7 and rows[7].phase == complex(7, -1.5)
assert repr(rows[0]) == repr(ref[0]), (repr(rows[0]), repr(ref[0]))
assert dir(a) == ['chunks', 't'], dir(a)
print(len(rows))
";

#[test]
fn python_imports_an_npy_table_as_the_records_written() {
    let (archive, _) = archive(50);
    let saved = save_package(&archive);
    let source = saved.source();
    // An archive with record classes is of format 5; one without is still format 2.
    assert!(
        source.starts_with("# persist archive, format 5, "),
        "{source}"
    );
    assert!(source.contains("t = _table(_Particle, ('name', 'id', 'charge', 'mass', 'alive', 'tag', 'weight', 'small', 'phase', ('position', _Position, ('x', 'y', 'z'))), (\n"), "{source}");
    assert!(
        source.contains("    ('str', _load('t.name.npy'), _load('t.name.offsets.npy')),\n"),
        "{source}"
    );
    assert!(
        source.contains("    ('?float64', _load('t.weight.npy'), _load('t.weight.mask.npy')),\n"),
        "{source}"
    );
    assert!(
        source.contains("    ('float32', _load('t.position.z.npy')),\n"),
        "{source}"
    );
    let arrays = saved.dir.path().join("arch/_arrays");
    for file in [
        "t.mass.npy",
        "t.name.npy",
        "t.name.offsets.npy",
        "t.position.x.npy",
        "t.tag.mask.npy",
    ] {
        assert!(arrays.join(file).is_file(), "{file}");
    }
    assert_eq!(saved.check(PYTHON_CHECK).trim(), "50");
    // The columns as numpy arrays, without building objects (as the README shows).
    saved.check(
        "m = np.load('arch/_arrays/t.mass.npy')\n\
         assert m.dtype == np.float64 and m.shape == (50,) and m[3] == a.t[3].mass\n\
         assert np.load('arch/_arrays/t.id.npy').dtype == np.uint64\n",
    );
}

#[test]
fn rust_reads_an_npy_table_back() {
    let (archive, ps) = archive(50);
    let saved = save_package(&archive);
    let back: Vec<Particle> = persist_core::load(saved.dir.path().join("arch"), "t").unwrap();
    assert_same(&back, &ps);
    let chunks: Vec<Vec<Particle>> =
        persist_core::load(saved.dir.path().join("arch"), "chunks").unwrap();
    assert_same(&chunks.concat(), &ps);
    persist_core::verify(saved.dir.path().join("arch"), &Default::default()).unwrap();
}

/// Equal values, NaN included (`PartialEq` says NaN != NaN).
#[track_caller]
fn assert_same(a: &[Particle], b: &[Particle]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        let (wx, wy) = (x.weight.map(f64::to_bits), y.weight.map(f64::to_bits));
        assert_eq!(wx, wy, "{x:?} {y:?}");
        let (mut x, mut y) = (x.clone(), y.clone());
        x.weight = None;
        y.weight = None;
        assert_eq!(x, y);
    }
}

#[test]
fn inline_tables_are_column_lists_that_python_and_rust_read() {
    let (archive, ps) = archive(30);
    let source = archive.to_python_source().unwrap();
    assert!(source.contains("t = _table(_Particle, "), "{source}");
    assert!(source.contains("    [0, 1, -2, 3, -4,"), "{source}");
    assert!(!source.contains("_load("), "{source}");
    let back: Vec<Particle> = persist_core::from_str(&source, "t").unwrap();
    assert_same(&back, &ps);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("arch.py"), &source).unwrap();
    let out = run_python(dir.path(), &format!("import arch as a\n{PYTHON_CHECK}"));
    assert_eq!(out.trim(), "30");
    // Hand edits of the inline form load: a renamed particle, a mass in another spelling.
    let edited = source.replacen("'proton0'", "\"edited\"", 1);
    assert_ne!(edited, source);
    let back: Vec<Particle> = persist_core::from_str(&edited, "t").unwrap();
    assert_eq!(back[0].name, "edited");
    assert_eq!(code_points(&back[2].name), code_points(&ps[2].name));
}

#[test]
fn short_lists_and_non_column_records_stay_per_record() {
    let mut archive = Archive::new().with_array_threshold(10);
    archive.insert("short", particles(10)).unwrap();
    let samples: Vec<Sample> = (0..20)
        .map(|i| Sample {
            t: f64::from(i),
            values: vec![vec![1.0, 2.0]],
        })
        .collect();
    archive.insert("samples", samples.clone()).unwrap();
    let source = archive.to_python_source().unwrap();
    assert!(!source.contains("_table"), "{source}");
    assert!(
        source.contains("_Particle(") && source.contains("name='proton0'"),
        "{source}"
    );
    let back: Vec<Sample> = persist_core::from_str(&source, "samples").unwrap();
    assert_eq!(back, samples);
    let saved = save_package(&archive);
    assert!(!saved.source().contains("_table"));
}

#[test]
fn a_nested_table_is_hoisted_into_its_own_statement() {
    #[derive(Persist, Debug, PartialEq)]
    struct Run {
        label: String,
        particles: Vec<Particle>,
    }
    let run = Run {
        label: "run 1".into(),
        particles: particles(20),
    };
    let mut archive = Archive::new().with_array_threshold(10);
    archive.insert("run", &run).unwrap();
    let dir = tempfile::tempdir().unwrap();
    archive
        .save(dir.path().join("arch"), SaveOptions::package())
        .unwrap();
    let source = std::fs::read_to_string(dir.path().join("arch/__init__.py")).unwrap();
    assert!(source.contains("_t0 = _table(_Particle, "), "{source}");
    assert!(
        source.contains("_load('run.particles.mass.npy')"),
        "{source}"
    );
    let reader = ArchiveReader::open(dir.path().join("arch")).unwrap();
    let back: Run = reader.read("run").unwrap();
    assert_eq!(back.label, run.label);
    assert_same(&back.particles, &run.particles);
    run_python(
        dir.path(),
        "import arch\nassert len(arch.run.particles) == 20 and arch.run.particles[4].charge == -4",
    );
}

#[cfg(feature = "hdf5")]
#[test]
fn python_and_rust_read_an_hdf5_table() {
    use persist_core::{ArrayStore, Hdf5Options};
    let ps = particles(40);
    let chunks: Vec<Vec<Particle>> = ps.chunks(2).map(<[Particle]>::to_vec).collect();
    let mut archive = Archive::new()
        .with_array_threshold(10)
        .with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
    archive.insert("t", ps.clone()).unwrap();
    archive.insert("chunks", chunks).unwrap();
    let saved = save_package(&archive);
    assert!(saved.dir.path().join("arch/_data.h5").is_file());
    assert_eq!(saved.check(PYTHON_CHECK).trim(), "40");
    let back: Vec<Particle> = persist_core::load(saved.dir.path().join("arch"), "t").unwrap();
    assert_same(&back, &ps);
}

/// Save 20 particles as a package, let `tamper` rewrite its array folder, and return the
/// refusals of `verify` and of the Rust reader (which must agree on the reason).
fn tampered(tamper: impl FnOnce(&std::path::Path)) -> (String, String) {
    let mut archive = Archive::new().with_array_threshold(10);
    archive.insert("t", particles(20)).unwrap();
    let saved = save_package(&archive);
    let root = saved.dir.path().join("arch");
    tamper(&root.join("_arrays"));
    let verified = persist_core::verify(&root, &Default::default())
        .expect_err("verify must refuse a hostile table")
        .to_string();
    let read = persist_core::load::<Vec<Particle>>(&root, "t")
        .expect_err("the reader must refuse a hostile table")
        .to_string();
    (verified, read)
}

#[track_caller]
fn refused(tamper: impl FnOnce(&std::path::Path), words: &[&str]) {
    let (verified, read) = tampered(tamper);
    for text in [&verified, &read] {
        for word in words {
            assert!(text.contains(word), "`{word}` not in: {text}");
        }
    }
}

fn write<A: ndarray_npy::WritableElement>(path: std::path::PathBuf, data: Vec<A>) {
    ndarray_npy::write_npy(path, &ndarray::Array1::from(data)).unwrap();
}

#[test]
fn hostile_tables_are_refused_naming_item_and_column() {
    refused(
        |a| write(a.join("t.mass.npy"), vec![1.0f64; 19]),
        &["table `t`", "column `t.", "rows", "one length"],
    );
    refused(
        |a| {
            let mut offsets: Vec<i64> = (0..=20).map(|i| i * 2).collect();
            offsets[5] = 3;
            write(a.join("t.name.npy"), vec![b'a'; 40]);
            write(a.join("t.name.offsets.npy"), offsets);
        },
        &["table `t`", "column `t.name`", "out of order"],
    );
    refused(
        |a| {
            let offsets: Vec<i64> = (0..=20).map(|i| i * 3).collect();
            write(a.join("t.name.npy"), vec![b'a'; 40]);
            write(a.join("t.name.offsets.npy"), offsets);
        },
        &["column `t.name`", "beyond its 40 bytes"],
    );
    refused(
        |a| {
            write(a.join("t.name.npy"), vec![0xffu8; 40]);
            write(
                a.join("t.name.offsets.npy"),
                (0..=20).map(|i| i * 2).collect::<Vec<i64>>(),
            );
        },
        &["column `t.name`", "not UTF-8"],
    );
    refused(
        |a| write(a.join("t.tag.mask.npy"), vec![true; 21]),
        &["column `t.tag`", "a mask of 21 rows for 20 values"],
    );
    refused(
        |a| write(a.join("t.id.npy"), vec![1.0f64; 20]),
        &["t.id.npy"],
    );
}

#[test]
fn a_table_statement_must_be_a_statement_value() {
    let (archive, _) = archive(20);
    let source = archive.to_python_source().unwrap();
    let nested = source.replacen("t = _table(", "t = [_table(", 1);
    let nested = nested.replacen("\n))\n", "\n))]\n", 1);
    let err = ArchiveReader::from_source(&nested).unwrap_err().to_string();
    assert!(
        err.contains("`_table(...)` must be the whole value of an assignment"),
        "{err}"
    );
    // Columns edited by hand to different lengths are refused when read, naming the column.
    let short = source.replacen("['proton0', ", "[", 1);
    let err = persist_core::from_str::<Vec<Particle>>(&short, "t")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("table `t`, column `t.id`: 20 rows, but the column `t.name` has 19"),
        "{err}"
    );
}

#[test]
fn a_table_in_an_archive_of_format_2_is_refused() {
    // A format-3 archive (written by an earlier release) claiming format 2.
    let path = persist_tests::golden::root().join("v4/tables_inline.py");
    let source = std::fs::read_to_string(path).unwrap();
    let older = source.replacen("format 3,", "format 2,", 1);
    let err = ArchiveReader::from_source(&older).unwrap_err().to_string();
    assert!(
        err.contains("`def _table` is not a helper this crate writes"),
        "{err}"
    );
}

#[test]
fn the_derive_describes_records_of_columns_and_nothing_else() {
    use persist_core::{Column, ColumnType};
    #[derive(Persist)]
    struct Generic<T> {
        value: T,
        label: String,
    }
    #[derive(Persist)]
    #[persist(python = "fractions:Fraction")]
    struct Fraction {
        numerator: i64,
        denominator: i64,
    }
    #[derive(Persist)]
    struct Pair(f64, f64);
    #[derive(Persist)]
    enum Choice {
        A,
    }
    let Some(Column::Record { record, fields }) = Particle::column() else {
        panic!("a record of columns")
    };
    assert_eq!(record.name(), "Particle");
    assert_eq!(fields[0], Column::scalar(ColumnType::Str));
    assert_eq!(
        fields[5],
        Column::Scalar {
            ty: ColumnType::Str,
            optional: true
        }
    );
    assert!(matches!(&fields[9], Column::Record { record, .. } if record.name() == "Position"));
    assert!(matches!(
        Generic::<u16>::column(),
        Some(Column::Record { .. })
    ));
    // Lists of numbers are columns of lists (format 6); lists of strings or lists are not.
    assert!(matches!(
        Generic::<Vec<u16>>::column(),
        Some(Column::Record { fields, .. }) if fields[0] == Column::List { ty: ColumnType::U16 }
    ));
    assert_eq!(Generic::<Vec<String>>::column(), None);
    assert_eq!(Generic::<Vec<Vec<u16>>>::column(), None);
    assert_eq!(Generic::<u128>::column(), None);
    assert_eq!(Generic::<Option<Option<u8>>>::column(), None);
    assert_eq!(Fraction::column(), None);
    assert_eq!(Pair::column(), None);
    assert_eq!(Choice::column(), None);
    assert_eq!(Sample::column(), None);
}

#[test]
fn an_impl_that_writes_other_values_than_its_column_says_is_a_misuse() {
    use persist_core::{Column, ColumnType, WriteError, WriteErrorKind, Writer};
    /// Says it is an `f64` column, writes a string.
    struct Liar;
    impl Persist for Liar {
        fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
            out.write_str("not a float");
            Ok(())
        }
        fn column() -> Option<Column> {
            Some(Column::scalar(ColumnType::F64))
        }
    }
    #[derive(Persist)]
    struct Holder {
        liar: Liar,
    }
    let mut archive = Archive::new().with_array_threshold(2);
    archive
        .insert(
            "h",
            (0..3).map(|_| Holder { liar: Liar }).collect::<Vec<_>>(),
        )
        .unwrap();
    let err = archive.to_python_source().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("`liar`") && text.contains("float64"),
        "{text}"
    );
    let persist_core::ArchiveError::Item { source, .. } = err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(source.kind(), WriteErrorKind::Misuse(_)),
        "{source:?}"
    );
}

#[test]
fn reading_a_table_counts_against_the_budget_and_kind_says_list() {
    use persist_core::{Kind, ReadError, ReadOptions, Reader, Value};
    let (archive, _) = archive(50);
    let source = archive.to_python_source().unwrap();
    let tight = ReadOptions::new().expansion_limit(0, 200);
    let err = ArchiveReader::from_source_with(&source, &tight)
        .unwrap()
        .read::<Vec<Particle>>("t")
        .unwrap_err()
        .to_string();
    assert!(err.contains("touches more than 200 values"), "{err}");
    /// Reads only the kind of a value.
    struct KindOf(Kind);
    impl Persist for KindOf {
        fn to_python_source(
            &self,
            _: &mut persist_core::Writer,
        ) -> Result<(), persist_core::WriteError> {
            unreachable!()
        }
        fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
            r.kind(v).map(KindOf)
        }
    }
    let kind: KindOf = persist_core::from_str(&source, "t").unwrap();
    assert_eq!(kind.0, Kind::List);
}

#[test]
fn stored_cells_add_to_the_budget_once_per_read() {
    use persist_core::ReadOptions;
    let mut archive = Archive::new().with_array_threshold(10);
    archive.insert("t", particles(50)).unwrap();
    let saved = save_package(&archive);
    let root = saved.dir.path().join("arch");
    // The source is small, the budget too: the columns' cells are what the array files hold.
    let tight = ReadOptions::new().expansion_limit(0, 200);
    let back: Vec<Particle> = ArchiveReader::open_with(&root, &tight)
        .unwrap()
        .read("t")
        .unwrap();
    assert_same(&back, &particles(50));
    // A table named many times is read many times: that spends the budget.
    let init = root.join("__init__.py");
    let source = std::fs::read_to_string(&init).unwrap();
    let many = source.replacen("\ndel ", "\nu = [t, t, t, t, t, t, t, t]\ndel ", 1);
    std::fs::write(&init, many).unwrap();
    let err = ArchiveReader::open_with(&root, &tight)
        .unwrap()
        .read::<Vec<Vec<Particle>>>("u")
        .unwrap_err()
        .to_string();
    assert!(err.contains("touches more than"), "{err}");
}
