//! What Python sees is exactly what Rust wrote: `f32` values, and dict keys or set elements that
//! are distinct in Rust but would collapse into one in Python (refused when writing).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use num_complex::Complex;
use persist_core::{Archive, Persist, from_str};
use persist_tests::check_value;

#[test]
fn python_floats_hold_the_exact_value_of_each_f32() {
    let values = [
        0.1_f32,
        f32::from_bits(1),
        f32::MIN_POSITIVE,
        f32::MAX,
        -1.0 / 3.0,
        16_777_217.0,
        -0.0,
        f32::INFINITY,
    ];
    let out = check_value(
        &values.to_vec(),
        "expected = np.array([0.1, 1e-45, 1.1754944e-38, 3.4028235e38, -1 / 3, 16777217, -0.0, \
         float('inf')], dtype=np.float32)\n\
         assert all(type(v) is float for v in a.x)\n\
         assert a.x == [float(v) for v in expected], (a.x, [float(v) for v in expected])\n\
         assert a.x[1] == 1.401298464324817e-45 and a.x[0] == 0.10000000149011612\n\
         assert str(a.x[6]) == '-0.0'\n\
         print('ok')",
    );
    assert_eq!(out.trim(), "ok");
    // Rust reads every one back bit for bit.
    let mut archive = Archive::new();
    archive.insert("x", values.to_vec()).unwrap();
    let source = archive.to_python_source().unwrap();
    assert!(source.contains("0.10000000149011612"), "{source}");
    let back: Vec<f32> = from_str(&source, "x").unwrap();
    assert_eq!(
        back.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
    // Format 1 wrote the shortest f32 decimal: it still reads back as the same f32.
    let old: Vec<f32> = from_str("x = [0.1, 1e-45]\n", "x").unwrap();
    assert_eq!(old, [0.1, f32::from_bits(1)]);
}

#[test]
fn complex_f32_parts_are_exact_too() {
    let z = Complex::new(0.1_f32, -0.2_f32);
    let out = check_value(
        &z,
        "assert a.x == complex(float(np.float32(0.1)), float(np.float32(-0.2))), a.x\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
}

/// An `f64` compared and hashed by its bits, as a user would to key a map by floats.
#[derive(Persist, Debug, Clone, Copy)]
struct FBits(f64);

impl PartialEq for FBits {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}
impl Eq for FBits {}
impl Hash for FBits {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}
impl PartialOrd for FBits {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for FBits {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// A key written as a bare float, by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RawBits(u64);

impl Persist for RawBits {
    fn to_python_source(
        &self,
        out: &mut persist_core::Writer,
    ) -> Result<(), persist_core::WriteError> {
        out.write_f64(f64::from_bits(self.0))
    }
}

#[track_caller]
fn assert_refused<T: Persist>(value: &T, first: &str, second: &str) {
    let mut archive = Archive::local();
    archive.insert("x", value).unwrap();
    let err = archive.to_python_source().unwrap_err().to_string();
    assert!(
        err.contains("equal in Python") && err.contains(first) && err.contains(second),
        "{err}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let err = archive
        .save(
            tmp.path().join("arch"),
            persist_core::SaveOptions::package(),
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("equal in Python") && err.contains("x"),
        "{err}"
    );
    assert!(
        !tmp.path().join("arch").exists(),
        "a refused archive was written"
    );
}

#[test]
fn keys_distinct_in_rust_but_equal_in_python_are_refused() {
    let hashed = HashMap::from([(FBits(0.0), 1), (FBits(-0.0), 2)]);
    assert_refused(&hashed, "_FBits(0.0)", "_FBits(-0.0)");
    let sorted = BTreeMap::from([(FBits(0.0), 1), (FBits(-0.0), 2)]);
    assert_refused(&sorted, "_FBits(0.0)", "_FBits(-0.0)");
    let raw = BTreeMap::from([
        (RawBits(0.0_f64.to_bits()), 1),
        (RawBits((-0.0_f64).to_bits()), 2),
    ]);
    assert_refused(&raw, "`0.0`", "`-0.0`");
    let set: HashSet<(i32, FBits)> = HashSet::from([(1, FBits(0.0)), (1, FBits(-0.0))]);
    assert_refused(&set, "0.0", "-0.0");
    let set: BTreeSet<RawBits> =
        BTreeSet::from([RawBits(0.0_f64.to_bits()), RawBits((-0.0_f64).to_bits())]);
    assert_refused(&set, "0.0", "-0.0");
}

#[test]
fn keys_distinct_in_python_are_kept() {
    let map = HashMap::from([(FBits(0.0), 1), (FBits(0.5), 2), (FBits(-0.5), 3)]);
    let out = check_value(&map, "print(len(a.x), sorted(k._0 for k in a.x))");
    assert_eq!(out.trim(), "3 [-0.5, 0.0, 0.5]");
    let strings = BTreeMap::from([("1".to_owned(), 1), ("1.0".to_owned(), 2)]);
    let out = check_value(&strings, "print(len(a.x))");
    assert_eq!(out.trim(), "2");
}

/// A float between 1e-4 and 1e16 is spelled in the archive exactly as Python's `repr` spells
/// it, ties of two shortest decimals included (`1780087066521218.25` is `...218.2`, rounded to
/// even; Rust's `{:?}` says `...218.3`). (Outside that range only the exponent's spelling
/// differs: `1e-05` in Python, `1e-5` in the archive.)
#[test]
fn floats_are_spelled_as_python_repr_spells_them() {
    let mut values = vec![
        // 1780087066521218.25, exactly halfway between two shortest decimals.
        f64::from_bits(4_834_979_148_807_256_585),
        -499160.125,
        0.1,
        0.30000000000000004,
        1e-4,
        123456.789,
        2.5,
        -0.0,
        9007199254740993.0,
        1e15,
    ];
    // Pseudo-random bits (xorshift), kept to the fraction range.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    while values.len() < 400 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let v = f64::from_bits(state);
        if v.is_finite() && (1e-4..1e16).contains(&v.abs()) {
            values.push(v);
        }
    }
    let spelled: Vec<String> = values
        .iter()
        .map(|&v| {
            let mut w = persist_core::Writer::inline();
            w.write_f64(v).unwrap();
            w.take_expression()
        })
        .collect();
    assert_eq!(spelled[0], "1780087066521218.2");
    let out = check_value(&values, "print('\\n'.join(repr(v) for v in a.x))");
    let seen: Vec<&str> = out.lines().collect();
    assert_eq!(seen, spelled);
}
