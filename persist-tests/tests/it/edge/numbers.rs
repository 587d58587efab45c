//! Numbers: non-finite and extreme floats (also in arrays, inline and external) and extreme
//! integers everywhere.

use std::collections::{BTreeMap, HashMap, HashSet};

use ndarray::array;
use num_complex::Complex;
use persist_core::Archive;
use persist_tests::save_package;

#[test]
fn non_finite_and_extreme_floats() {
    let f64s = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        0.0,
        5e-324,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        2.225_073_858_507_201e-308,
        -5e-324,
    ];
    let f32s = [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0_f32,
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        f32::from_bits(0x007F_FFFF),
    ];
    let mut archive = Archive::new();
    archive.insert("nan", f64::NAN).unwrap();
    archive.insert("inf", f64::INFINITY).unwrap();
    archive.insert("ninf", f64::NEG_INFINITY).unwrap();
    archive.insert("nzero", -0.0_f64).unwrap();
    archive.insert("tiny", 5e-324_f64).unwrap();
    archive.insert("min_pos", f64::MIN_POSITIVE).unwrap();
    archive.insert("max", f64::MAX).unwrap();
    archive.insert("f32_max", f32::MAX).unwrap();
    archive.insert("f32_tiny", f32::from_bits(1)).unwrap();
    archive.insert("f32_nan", f32::NAN).unwrap();
    archive.insert("f32_nzero", -0.0_f32).unwrap();
    archive.insert("f64s", f64s).unwrap();
    archive.insert("f32s", f32s).unwrap();
    archive
        .insert(
            "in_containers",
            (
                vec![f64::NAN, -0.0],
                (f64::INFINITY,),
                BTreeMap::from([("k", f64::NAN)]),
            ),
        )
        .unwrap();
    archive
        .insert(
            "complexes",
            vec![
                Complex::new(f64::NAN, -0.0),
                Complex::new(f64::INFINITY, f64::NEG_INFINITY),
                Complex::new(-0.0, 5e-324),
            ],
        )
        .unwrap();
    archive
        .insert("complex32", Complex::new(f32::NAN, -0.0_f32))
        .unwrap();
    let f64_bits: Vec<String> = f64s.iter().map(|x| x.to_bits().to_string()).collect();
    let f32_bits: Vec<String> = f32s.iter().map(|x| x.to_bits().to_string()).collect();
    let code = format!(
        "import math, struct\n\
         def bits64(x):\n    return struct.unpack('<Q', struct.pack('<d', x))[0]\n\
         def bits32(x):\n    return int(np.float32(x).view(np.uint32))\n\
         assert type(a.nan) is float and math.isnan(a.nan), a.nan\n\
         assert a.inf == math.inf and a.ninf == -math.inf, (a.inf, a.ninf)\n\
         assert a.nzero == 0 and math.copysign(1, a.nzero) == -1, a.nzero\n\
         assert a.tiny == 5e-324 and a.tiny > 0 and a.tiny / 2 == 0, a.tiny\n\
         assert a.min_pos == 2.2250738585072014e-308 == __import__('sys').float_info.min, a.min_pos\n\
         assert a.max == 1.7976931348623157e308 == __import__('sys').float_info.max, a.max\n\
         assert np.float32(a.f32_max) == np.finfo(np.float32).max and a.f32_max == 3.4028234663852886e38, a.f32_max  # the f32's exact value\n\
         assert bits32(a.f32_tiny) == 1 and a.f32_tiny > 0, a.f32_tiny\n\
         assert math.isnan(a.f32_nan)\n\
         assert math.copysign(1, a.f32_nzero) == -1\n\
         assert math.isnan(a.f64s[0])\n\
         assert [bits64(x) for x in a.f64s[1:]] == [{f64_rest}], a.f64s\n\
         assert math.isnan(a.f32s[0])\n\
         assert [bits32(x) for x in a.f32s[1:]] == [{f32_rest}], a.f32s\n\
         l, t, d = a.in_containers\n\
         assert math.isnan(l[0]) and math.copysign(1, l[1]) == -1 and t == (math.inf,) and math.isnan(d['k'])\n\
         c0, c1, c2 = a.complexes\n\
         assert math.isnan(c0.real) and math.copysign(1, c0.imag) == -1, c0\n\
         assert c1.real == math.inf and c1.imag == -math.inf, c1\n\
         assert math.copysign(1, c2.real) == -1 and c2.imag == 5e-324, c2\n\
         assert math.isnan(a.complex32.real) and math.copysign(1, a.complex32.imag) == -1, a.complex32\n",
        f64_rest = f64_bits[1..].join(", "),
        f32_rest = f32_bits[1..].join(", "),
    );
    save_package(&archive).check(&code);
}

#[test]
fn non_finite_floats_in_arrays_inline_and_external() {
    let f64s = array![
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        5e-324,
        f64::MAX
    ];
    let f32s = array![
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0,
        f32::from_bits(1),
        f32::MAX
    ];
    let c64s = array![
        Complex::new(f64::NAN, -0.0),
        Complex::new(f64::NEG_INFINITY, 5e-324)
    ];
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("f64_ext", &f64s).unwrap();
    archive.insert("f32_ext", &f32s).unwrap();
    archive
        .insert("f64_in", f64s.slice(ndarray::s![..4]))
        .unwrap();
    archive
        .insert("f32_in", f32s.slice(ndarray::s![..4]))
        .unwrap();
    archive.insert("c64_in", &c64s).unwrap();
    let f64_bits: Vec<String> = f64s.iter().map(|x| x.to_bits().to_string()).collect();
    let f32_bits: Vec<String> = f32s.iter().map(|x| x.to_bits().to_string()).collect();
    let saved = save_package(&archive);
    assert!(saved.dir.path().join("arch/_arrays/f64_ext.npy").is_file());
    saved.check(&format!(
        "assert a.f64_ext.view(np.uint64).tolist() == [{f64}], a.f64_ext\n\
         assert a.f32_ext.view(np.uint32).tolist() == [{f32}], a.f32_ext\n\
         assert a.f64_in.view(np.uint64).tolist() == [{f64_4}], a.f64_in\n\
         assert a.f32_in.view(np.uint32).tolist() == [{f32_4}], a.f32_in\n\
         assert a.c64_in.dtype == np.complex128\n\
         assert np.isnan(a.c64_in[0].real) and np.signbit(a.c64_in[0].imag), a.c64_in\n\
         assert a.c64_in[1].real == -np.inf and a.c64_in[1].imag == 5e-324, a.c64_in\n",
        // NaN payloads: Rust's f64::NAN and numpy's nan are both the quiet NaN 0x7ff8...
        f64 = f64_bits.join(", "),
        f32 = f32_bits.join(", "),
        f64_4 = f64_bits[..4].join(", "),
        f32_4 = f32_bits[..4].join(", "),
    ));
}

#[test]
fn extreme_integers_everywhere() {
    let mut archive = Archive::new();
    archive.insert("i128_min", i128::MIN).unwrap();
    archive.insert("u128_max", u128::MAX).unwrap();
    archive
        .insert(
            "keys",
            BTreeMap::from([(i128::MIN, "min"), (0, "zero"), (i128::MAX, "max")]),
        )
        .unwrap();
    archive
        .insert("ukeys", HashMap::from([(u128::MAX, 1), (0, 2)]))
        .unwrap();
    archive
        .insert("hset", HashSet::from([i128::MIN, -1, i128::MAX]))
        .unwrap();
    archive
        .insert("tuple", (i64::MIN, u64::MAX, i128::MIN, u128::MAX))
        .unwrap();
    save_package(&archive).check(
        "assert a.i128_min == -2**127 and type(a.i128_min) is int, a.i128_min\n\
         assert a.u128_max == 2**128 - 1, a.u128_max\n\
         assert a.keys == {-2**127: 'min', 0: 'zero', 2**127 - 1: 'max'}, a.keys\n\
         assert a.ukeys == {2**128 - 1: 1, 0: 2}, a.ukeys\n\
         assert a.hset == {-2**127, -1, 2**127 - 1}, a.hset\n\
         assert a.tuple == (-2**63, 2**64 - 1, -2**127, 2**128 - 1), a.tuple\n",
    );
}
