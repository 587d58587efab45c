//! Round trips: every row of SPEC §3 written with `Archive` and read back into Rust, three ways
//! (`to_python_source` + `from_str`, a saved module archive, a saved package archive), compared
//! equal. Values come from proptest (a modest number of cases each) plus the edge cases of the
//! npy archives issue.
//!
//! Floats are compared by bit pattern, except NaN: Python source spells every NaN
//! `float('nan')`, so a NaN's sign and payload are not kept by inline values (an external `.npy`
//! file keeps them, but the tests do not rely on it). A NaN must come back as a NaN; every other
//! float, `-0.0` and subnormals included, must come back with the same bits.
//!
//! This module holds the helpers every submodule uses: the proptest configuration, `read_back`
//! (the three ways), `round_trip` and `round_trip_same` (with the bitwise [`Same`]), and the
//! strategies for any float and any string.

mod arrays;
mod containers;
mod derived;
mod scalars;
mod shared;

use std::fmt::Debug;

use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, Persist, SaveOptions, from_str};
use proptest::collection::vec;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A small number of cases per property, so that the whole suite stays fast (each case saves
/// two archives to disk and reads three).
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // Failures print their shrunk input; no regression files are written into the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// `value` inserted as `x` into an archive with the array threshold `threshold`, read back as a
/// `T` three ways: from `to_python_source` with `from_str`, from a saved module archive
/// (`arch.py`, arrays in `arch_arrays/`) and from a saved package archive (`pkg/__init__.py`,
/// arrays in `pkg/_arrays/`). Each result is labelled with its way.
#[track_caller]
fn read_back<T: Persist, V: Persist>(value: &V, threshold: usize) -> Vec<(&'static str, T)> {
    let mut archive = Archive::local().with_array_threshold(threshold);
    if let Err(err) = archive.insert("x", value) {
        panic!("insert failed: {err}");
    }
    let source = archive
        .to_python_source()
        .unwrap_or_else(|err| panic!("to_python_source failed: {err}"));
    let in_memory: T = from_str(&source, "x").unwrap_or_else(|err| {
        panic!("reading the in-memory source failed: {err}\n--- source ---\n{source}")
    });
    let dir = tempfile::tempdir().expect("temporary folder");
    let module = dir.path().join("arch.py");
    let package = dir.path().join("pkg");
    for (path, options) in [
        (&module, SaveOptions::module()),
        (&package, SaveOptions::package()),
    ] {
        if let Err(err) = archive.save(path, options) {
            panic!("saving {} failed: {err}", path.display());
        }
    }
    let open = |path: &std::path::Path, source_file: &std::path::Path| -> T {
        let result = match ArchiveReader::open(path) {
            Ok(reader) => reader.read::<T>("x"),
            Err(err) => Err(err),
        };
        match result {
            Ok(value) => value,
            Err(err) => panic!(
                "reading {} failed: {err}\n--- source ---\n{}",
                path.display(),
                std::fs::read_to_string(source_file).unwrap_or_default()
            ),
        }
    };
    let from_module = open(&module, &module);
    let from_package = open(&package, &package.join("__init__.py"));
    vec![
        ("to_python_source + from_str", in_memory),
        ("module archive", from_module),
        ("package archive", from_package),
    ]
}

/// `value` comes back equal (`==`) every way.
#[track_caller]
fn round_trip<T: Persist + PartialEq + Debug>(value: &T) {
    for (way, back) in read_back::<T, T>(value, persist_core::DEFAULT_ARRAY_THRESHOLD) {
        assert_eq!(&back, value, "read back through {way}");
    }
}

/// Equality that tells every float bit pattern apart, except the NaNs among themselves (see the
/// module docs).
trait Same {
    fn same(&self, other: &Self) -> bool;
}

macro_rules! same_by_eq {
    ($($t:ty)*) => {$(
        impl Same for $t {
            fn same(&self, other: &Self) -> bool {
                self == other
            }
        }
    )*};
}
same_by_eq!(bool i8 i16 i32 i64 u8 u16 u32 u64);

impl Same for f64 {
    fn same(&self, other: &Self) -> bool {
        if self.is_nan() {
            other.is_nan()
        } else {
            self.to_bits() == other.to_bits()
        }
    }
}

impl Same for f32 {
    fn same(&self, other: &Self) -> bool {
        if self.is_nan() {
            other.is_nan()
        } else {
            self.to_bits() == other.to_bits()
        }
    }
}

impl<T: Same> Same for Complex<T> {
    fn same(&self, other: &Self) -> bool {
        self.re.same(&other.re) && self.im.same(&other.im)
    }
}

impl<T: Same> Same for Vec<T> {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same(b))
    }
}

impl<T: Same> Same for Option<T> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same(b),
            (None, None) => true,
            _ => false,
        }
    }
}

/// `value` comes back the [`Same`] every way.
#[track_caller]
fn round_trip_same<T: Persist + Same + Debug>(value: &T) {
    for (way, back) in read_back::<T, T>(value, persist_core::DEFAULT_ARRAY_THRESHOLD) {
        assert!(
            back.same(value),
            "read back through {way}:\n  wrote {value:?}\n  read  {back:?}"
        );
    }
}

/// Any `f64` bit pattern (NaN payloads, subnormals, both zeros), plus proptest's float classes
/// for the special values random bits rarely hit.
fn any_f64() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        proptest::num::f64::ANY,
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 2.0),
    ]
}

/// Any `f32` bit pattern, as [`any_f64`].
fn any_f32() -> impl Strategy<Value = f32> + Clone {
    prop_oneof![
        any::<u32>().prop_map(f32::from_bits),
        proptest::num::f32::ANY,
        Just(-0.0_f32),
        Just(f32::MIN_POSITIVE / 2.0),
    ]
}

/// Any string of any characters: control characters, quotes, backslashes, NUL, non-BMP.
fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<char>(), 0..24).prop_map(|chars| chars.into_iter().collect()),
        vec(
            prop_oneof![
                Just('\''),
                Just('"'),
                Just('\\'),
                Just('\0'),
                Just('\n'),
                Just('\r'),
                Just('\t'),
                Just('#'),
                Just('😀'),
                Just('\u{10ffff}'),
                Just('\u{2028}'),
                Just('\u{85}'),
                any::<char>(),
            ],
            0..24
        )
        .prop_map(|chars| chars.into_iter().collect()),
    ]
}
