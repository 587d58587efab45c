//! Element types: every element type keeps its dtype and exact values, inline, external and in
//! Fortran order.

use ndarray::{Array1, Array2, ShapeBuilder};
use num_complex::Complex;
use persist_core::Archive;
use persist_tests::save_package;

/// The five values and the first again, for a (2, 3) array in Fortran order.
fn fortran<T: Copy>(v: &[T]) -> Vec<T> {
    vec![v[0], v[1], v[2], v[3], v[4], v[0]]
}

/// For each element type: a 1-d inline array, a 1-d external array and a 2-d Fortran external
/// array; Python checks dtype, shape, order and the exact values.
#[test]
fn every_element_type_keeps_its_dtype_and_values() {
    let mut archive = Archive::new().with_array_threshold(4);
    let mut code = String::new();
    macro_rules! ints {
        ($($t:ident => $dtype:literal),*) => {$(
            let values: Vec<$t> = vec![$t::MIN, 0, 1, $t::MAX / 2, $t::MAX];
            let python = format!("[{}]", values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", "));
            archive.insert(concat!("inline_", stringify!($t)), Array1::from(values[..3].to_vec())).unwrap();
            archive.insert(concat!("external_", stringify!($t)), Array1::from(values.clone())).unwrap();
            let fortran = Array2::from_shape_vec((2, 3).f(), vec![values[0], values[1], values[2], values[3], values[4], values[0]]).unwrap();
            archive.insert(concat!("fortran_", stringify!($t)), fortran).unwrap();
            code.push_str(&format!(
                "check('{t}', '{dtype}', {python})\n",
                t = stringify!($t), dtype = $dtype,
            ));
        )*};
    }
    ints!(i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64",
          u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64");
    let bools = vec![true, false, true, true, false];
    archive
        .insert("inline_bool", Array1::from(bools[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_bool", Array1::from(bools.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_bool",
            Array2::from_shape_vec((2, 3).f(), vec![true, false, true, true, false, true]).unwrap(),
        )
        .unwrap();
    code.push_str("check('bool', 'bool', [True, False, True, True, False])\n");

    // Floats and complex numbers: compared bit for bit.
    let f32s = vec![0.1_f32, -0.0, f32::MAX, f32::from_bits(1), 1.0 / 3.0];
    let f64s = vec![0.1_f64, -0.0, f64::MAX, 5e-324, 1.0 / 3.0];
    let c32s: Vec<Complex<f32>> = f32s
        .iter()
        .zip(f32s.iter().rev())
        .map(|(&re, &im)| Complex::new(re, im))
        .collect();
    let c64s: Vec<Complex<f64>> = f64s
        .iter()
        .zip(f64s.iter().rev())
        .map(|(&re, &im)| Complex::new(re, im))
        .collect();
    archive
        .insert("inline_f32", Array1::from(f32s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_f32", Array1::from(f32s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_f32",
            Array2::from_shape_vec((2, 3).f(), fortran(&f32s)).unwrap(),
        )
        .unwrap();
    archive
        .insert("inline_f64", Array1::from(f64s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_f64", Array1::from(f64s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_f64",
            Array2::from_shape_vec((2, 3).f(), fortran(&f64s)).unwrap(),
        )
        .unwrap();
    archive
        .insert("inline_c32", Array1::from(c32s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_c32", Array1::from(c32s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_c32",
            Array2::from_shape_vec((2, 3).f(), fortran(&c32s)).unwrap(),
        )
        .unwrap();
    archive
        .insert("inline_c64", Array1::from(c64s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_c64", Array1::from(c64s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_c64",
            Array2::from_shape_vec((2, 3).f(), fortran(&c64s)).unwrap(),
        )
        .unwrap();
    let bits32 = |v: &[f32]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| x.to_bits().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let bits64 = |v: &[f64]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| x.to_bits().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let parts32: Vec<f32> = c32s.iter().flat_map(|c| [c.re, c.im]).collect();
    let parts64: Vec<f64> = c64s.iter().flat_map(|c| [c.re, c.im]).collect();
    code.push_str(&format!(
        "check('f32', 'float32', {}, lambda x: x.view(np.uint32).tolist())\n\
         check('f64', 'float64', {}, lambda x: x.view(np.uint64).tolist())\n\
         check('c32', 'complex64', {}, lambda x: x.view(np.float32).view(np.uint32).tolist())\n\
         check('c64', 'complex128', {}, lambda x: x.view(np.float64).view(np.uint64).tolist())\n",
        bits32(&f32s),
        bits64(&f64s),
        bits32(&parts32),
        bits64(&parts64),
    ));

    let saved = save_package(&archive);
    let source = saved.source();
    for t in ["i8", "u64", "bool", "f32", "c64"] {
        assert!(
            source.contains(&format!("inline_{t} = _np.array(")),
            "inline_{t} is not inline:\n{source}"
        );
        assert!(
            source.contains(&format!("external_{t} = _load(")),
            "external_{t} is not external"
        );
    }
    let prelude = "def check(t, dtype, want, raw=lambda x: x.tolist()):\n\
        \x20   n = 2 if dtype.startswith('complex') else 1\n\
        \x20   inline, external, fortran = (getattr(a, k + '_' + t) for k in ('inline', 'external', 'fortran'))\n\
        \x20   for x, shape, values in [(inline, (3,), want[:3 * n]), (external, (5,), want)]:\n\
        \x20       assert type(x) is np.ndarray, (t, type(x))\n\
        \x20       assert x.dtype == np.dtype(dtype), (t, x.dtype)\n\
        \x20       assert x.shape == shape, (t, x.shape)\n\
        \x20       assert raw(x) == values, (t, x, raw(x), values)\n\
        \x20   assert fortran.dtype == np.dtype(dtype) and fortran.shape == (2, 3), (t, fortran.dtype, fortran.shape)\n\
        \x20   assert fortran.flags['F_CONTIGUOUS'] and not fortran.flags['C_CONTIGUOUS'], (t, fortran.flags)\n\
        \x20   flat = np.concatenate([external, external[:1]])\n\
        \x20   assert raw(np.ascontiguousarray(fortran.T).reshape(-1)) == raw(flat), (t, fortran)\n";
    saved.check(&format!("{prelude}{code}"));
}
