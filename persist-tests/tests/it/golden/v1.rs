//! The golden archives of format 1, read back in Rust with the types of
//! `persist_tests::golden::v1`: every item equals what the generator wrote.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use ndarray::{Array0, Array1, Array2, Array3, ArrayD};
use num_complex::Complex;
use persist_core::{ArchiveReader, DataSet, Persist, ReadErrorKind, ReadOptions};
use persist_tests::golden::v1::schema::*;
use persist_tests::golden::v1::values::*;
use persist_tests::golden::v1::{ENTRIES, THRESHOLD};

/// Check every archive of the format-1 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::assert_entries(dir, &ENTRIES);
    check_items(dir);
}

/// Check every archive of format 1's set in `dir` (which may hold more).
#[track_caller]
pub fn check_items(dir: &Path) {
    scalars(dir);
    text(dir);
    containers(dir);
    arrays(dir);
    records(dir);
    attributes(dir);
    assert_eq!(read::<Run>(&open(dir, "heat_run"), "run"), heat_run());
    #[cfg(feature = "hdf5")]
    hdf5(dir);
    sweep(dir);
}

#[track_caller]
fn open(dir: &Path, name: &str) -> ArchiveReader {
    // The attribute archive builds records with the user classes of `golden_classes.py`.
    let options = ReadOptions::new().trust_module("golden_classes");
    persist_core::verify(dir.join(name), &options)
        .unwrap_or_else(|e| panic!("verify golden archive {name}: {e}"));
    ArchiveReader::open_with(dir.join(name), &options)
        .unwrap_or_else(|e| panic!("open golden archive {name}: {e}"))
}

#[track_caller]
fn read<T: Persist>(archive: &ArchiveReader, item: &str) -> T {
    archive
        .read(item)
        .unwrap_or_else(|e| panic!("read golden item `{item}`: {e}"))
}

/// The items of `archive`, in order.
fn items(archive: &ArchiveReader) -> Vec<&str> {
    archive.items().collect()
}

#[track_caller]
fn same_f64(found: &[f64], expected: &[f64]) {
    let bits = |v: &[f64]| -> Vec<u64> {
        v.iter()
            .map(|x| {
                if x.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    x.to_bits()
                }
            })
            .collect()
    };
    assert_eq!(bits(found), bits(expected), "{found:?} vs {expected:?}");
}

#[track_caller]
fn same_f32(found: &[f32], expected: &[f32]) {
    let bits = |v: &[f32]| -> Vec<u32> {
        v.iter()
            .map(|x| {
                if x.is_nan() {
                    f32::NAN.to_bits()
                } else {
                    x.to_bits()
                }
            })
            .collect()
    };
    assert_eq!(bits(found), bits(expected), "{found:?} vs {expected:?}");
}

#[track_caller]
fn same_c64(found: &[Complex<f64>], expected: &[Complex<f64>]) {
    let parts = |v: &[Complex<f64>]| -> Vec<f64> { v.iter().flat_map(|c| [c.re, c.im]).collect() };
    same_f64(&parts(found), &parts(expected));
}

fn scalars(dir: &Path) {
    let a = open(dir, "scalars.py");
    assert_eq!(
        items(&a),
        ["yes", "no", "integers", "doubles", "singles", "nothing"]
    );
    assert!(read::<bool>(&a, "yes"));
    assert!(!read::<bool>(&a, "no"));
    assert_eq!(read::<Integers>(&a, "integers"), integers());
    same_f64(&read::<Vec<f64>>(&a, "doubles"), &doubles());
    same_f32(&read::<Vec<f32>>(&a, "singles"), &singles());
    read::<()>(&a, "nothing");
}

fn text(dir: &Path) {
    let a = open(dir, "text.py");
    assert_eq!(read::<Vec<char>>(&a, "chars"), chars());
    assert_eq!(read::<String>(&a, "tricky"), tricky());
    assert_eq!(read::<String>(&a, "empty"), "");
    assert_eq!(read::<String>(&a, "borrowed"), tricky());
    assert_eq!(read::<Cow<'static, str>>(&a, "cow_borrowed"), tricky());
    assert_eq!(read::<Cow<'static, str>>(&a, "cow_owned"), "owned");
    assert_eq!(read::<PathBuf>(&a, "path_buf"), path());
    assert_eq!(read::<PathBuf>(&a, "path"), path());
}

fn containers(dir: &Path) {
    let a = open(dir, "containers");
    assert_eq!(read::<Option<i32>>(&a, "some"), Some(3));
    assert_eq!(read::<Option<i32>>(&a, "none"), None);
    assert_eq!(read::<Sequences>(&a, "sequences"), sequences());
    assert_eq!(read::<Vec<f64>>(&a, "slice"), [1.5, -2.5]);
    assert_eq!(read::<Box<[f64]>>(&a, "slice").as_ref(), [1.5, -2.5]);
    assert_eq!(read::<Tuples>(&a, "tuples"), tuples());
    assert_eq!(read::<Maps>(&a, "maps"), maps());
    let p: Pointers = read(&a, "pointers");
    assert_eq!(p, pointers());
    assert!(
        Rc::ptr_eq(&p.rc_a, &p.rc_b),
        "shared through Rc in the archive: one value"
    );
    assert!(Arc::ptr_eq(&p.arc_a, &p.arc_b));
    assert!(!Arc::ptr_eq(&p.arc_a, &p.arc_other), "equal but not shared");
    assert_eq!(read::<i32>(&a, "reference"), 7);
    let c: Complexes = read(&a, "complexes");
    let expected = complexes();
    assert_eq!((c.single, c.double), (expected.single, expected.double));
    same_c64(&c.special, &expected.special);
}

fn arrays(dir: &Path) {
    let a = open(dir, "arrays");
    macro_rules! ints {
        ($($t:ident),*) => {$(
            assert_eq!(read::<Array1<$t>>(&a, stringify!($t)), <$t>::range());
        )*};
    }
    ints!(i8, i16, i32, i64, u8, u16, u32, u64);
    assert_eq!(read::<Array1<bool>>(&a, "bools"), bools());
    same_f32(
        read::<Array1<f32>>(&a, "f32").as_slice().unwrap(),
        floats32().as_slice().unwrap(),
    );
    same_f64(
        read::<Array1<f64>>(&a, "f64").as_slice().unwrap(),
        special_doubles().as_slice().unwrap(),
    );
    assert_eq!(read::<Array1<Complex<f32>>>(&a, "c64"), complex64s());
    let c128: Array1<Complex<f64>> = read(&a, "c128");
    same_c64(c128.as_slice().unwrap(), complex128s().as_slice().unwrap());
    assert_eq!(
        read::<Array1<bool>>(&a, "small_bools"),
        Array1::from(vec![true, false])
    );
    assert_eq!(
        read::<Array1<i64>>(&a, "small_ints"),
        Array1::from(vec![i64::MIN, i64::MAX])
    );
    assert_eq!(
        read::<Array1<u64>>(&a, "small_u64"),
        Array1::from(vec![u64::MAX])
    );
    same_f64(
        read::<Array1<f64>>(&a, "small_doubles").as_slice().unwrap(),
        &[-0.0, f64::NAN, f64::INFINITY],
    );
    assert_eq!(
        read::<Array1<Complex<f32>>>(&a, "small_complex").to_vec(),
        complex64s().to_vec()[..2]
    );
    assert_eq!(read::<Array2<f64>>(&a, "small_matrix"), small_matrix());
    assert_eq!(read::<Array2<f64>>(&a, "matrix"), matrix());
    assert_eq!(read::<Array2<f64>>(&a, "fortran"), fortran());
    assert_eq!(read::<Array2<i32>>(&a, "fortran_small"), fortran_small());
    assert_eq!(read::<Array3<i32>>(&a, "cube"), cube());
    assert_eq!(read::<ArrayD<u8>>(&a, "dynamic"), dynamic());
    assert_eq!(read::<Array0<f64>>(&a, "scalar"), scalar_array());
    assert_eq!(read::<Array2<f32>>(&a, "empty"), empty_array());
    assert_eq!(read::<Array2<i64>>(&a, "view"), strided_view());
    assert!(
        dir.join("arrays/_arrays/matrix.npy").is_file() && matrix().len() > THRESHOLD,
        "arrays above the threshold are external files"
    );
    let m = open(dir, "arrays_module.py");
    assert_eq!(read::<Array2<f64>>(&m, "matrix"), matrix());
    assert_eq!(read::<Array2<f64>>(&m, "small"), small_matrix());
    assert_eq!(read::<Array2<f64>>(&m, "fortran"), fortran());
}

#[cfg(feature = "hdf5")]
fn hdf5(dir: &Path) {
    let a = open(dir, "hdf5_package");
    assert_eq!(read::<Array1<i8>>(&a, "i8"), i8::range());
    assert_eq!(read::<Array1<u64>>(&a, "u64"), u64::range());
    assert_eq!(read::<Array1<bool>>(&a, "bools"), bools());
    same_f32(
        read::<Array1<f32>>(&a, "f32").as_slice().unwrap(),
        floats32().as_slice().unwrap(),
    );
    same_f64(
        read::<Array1<f64>>(&a, "f64").as_slice().unwrap(),
        special_doubles().as_slice().unwrap(),
    );
    assert_eq!(read::<Array1<Complex<f32>>>(&a, "c64"), complex64s());
    let c128: Array1<Complex<f64>> = read(&a, "c128");
    same_c64(c128.as_slice().unwrap(), complex128s().as_slice().unwrap());
    assert_eq!(read::<Array2<f64>>(&a, "fortran"), fortran());
    assert_eq!(read::<Array3<i32>>(&a, "cube"), cube());
    assert_eq!(read::<Array2<f64>>(&a, "small"), small_matrix());
    assert_eq!(read::<Run>(&a, "run"), heat_run());
    let m = open(dir, "hdf5_module.py");
    assert_eq!(read::<Array2<f64>>(&m, "matrix"), matrix());
    assert_eq!(read::<Array1<i32>>(&m, "i32"), i32::range());
    let lazy = open(dir, "hdf5_lazy");
    assert_eq!(read::<Array3<i32>>(&lazy, "cube"), cube());
    same_f64(
        read::<Array1<f64>>(&lazy, "f64").as_slice().unwrap(),
        special_doubles().as_slice().unwrap(),
    );
}

fn records(dir: &Path) {
    let a = open(dir, "records");
    assert_eq!(read::<Point>(&a, "point"), Point { x: 1.5, y: -2.0 });
    assert_eq!(read::<Pair>(&a, "pair"), Pair(7, "seven".to_owned()));
    assert_eq!(read::<Marker>(&a, "marker"), Marker);
    assert_eq!(
        read::<Wrapper<Vec<u8>>>(&a, "wrapper"),
        Wrapper {
            inner: vec![1, 2],
            label: "bytes".to_owned()
        }
    );
    assert_eq!(read::<Vec<Shape>>(&a, "shapes"), shapes());
    assert_eq!(read::<Node>(&a, "tree"), tree());
    assert_eq!(
        read::<Keywords>(&a, "keywords"),
        Keywords {
            r#type: 1,
            r#match: 2,
            r#loop: true
        }
    );
}

fn attributes(dir: &Path) {
    let a = open(dir, "attributes.py");
    assert_eq!(
        read::<Renamed>(&a, "renamed"),
        Renamed {
            cache: vec![],
            ..renamed()
        },
        "a skipped field reads back as its default"
    );
    assert_eq!(read::<Vec<Figure>>(&a, "figures"), figures());
    assert_eq!(
        read::<UserPoint>(&a, "user_point"),
        UserPoint { x: 3, y: -4 }
    );
    assert_eq!(
        read::<ThroughReexport>(&a, "reexported"),
        ThroughReexport { value: 11 }
    );
    assert_eq!(
        read::<Strict>(&a, "strict"),
        Strict {
            a: 1,
            b: "bee".to_owned()
        }
    );
    assert_eq!(read::<OldParams>(&a, "old_params"), old_params());
    // A newer program's type reads the old record: alias, default, default = "...", and the
    // unknown field ignored...
    assert_eq!(read::<NewParams>(&a, "old_params"), new_params());
    // ...unless it denies unknown fields.
    let err = a
        .read::<StrictParams>("old_params")
        .expect_err("deny_unknown_fields refuses `retired`");
    let persist_core::LoadError::Item { source, .. } = &err else {
        panic!("expected an item error, got {err:?}");
    };
    assert!(
        matches!(source.kind(), ReadErrorKind::UnknownField { field, .. } if field == "retired"),
        "{err}"
    );
}

fn sweep(dir: &Path) {
    let report = persist_core::verify(dir.join("sweep"), &ReadOptions::new())
        .expect("verify the golden DataSet");
    assert!(
        report.files.len() > SWEEP_ITEMS.len() * 2,
        "{:?}",
        report.files
    );
    let sweep = DataSet::open_read_only(dir.join("sweep")).expect("open the golden DataSet");
    assert_eq!(sweep.items().expect("items"), SWEEP_ITEMS);
    for (index, name) in SWEEP_ITEMS.iter().enumerate() {
        let point: SweepPoint = sweep.read(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(point, sweep_point(index));
        let info: BTreeMap<String, f64> = sweep.info(name).expect("info");
        assert_eq!(info, sweep_info(index));
    }
}
