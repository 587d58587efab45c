//! Arrays that do not match: `.npy` files of another dtype or dimensionality, truncated, missing
//! or named outside the array folder, and inline arrays of another dtype or shape, are errors
//! naming the file or pointing at the array; a missing item lists the available ones.

use std::fmt::Debug;
use std::path::Path;

use ndarray::{Array1, Array2, ArrayD};
use num_complex::Complex;
use persist_core::{ArchiveReader, Persist};

use super::{npy_archive, position, position_of, within};

/// The error reading `field` of the archive at `path` as a `T`.
#[track_caller]
fn field_error<T: Persist + Debug>(path: &Path) -> String {
    let reader = ArchiveReader::open(path).expect("open");
    match reader.read::<T>("field") {
        Ok(value) => panic!("read `field` as {value:?}"),
        Err(err) => {
            let source = std::fs::read_to_string(path.join("__init__.py")).expect("source");
            assert_eq!(
                position(&err),
                position_of(&source, "_load('field.npy')"),
                "{err}"
            );
            err.to_string()
        }
    }
}

#[test]
fn an_npy_file_of_another_dtype_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    let message = field_error::<Array1<f32>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
    assert!(message.contains("f32"), "names the Rust type: {message}");
    let message = field_error::<Array1<Complex<f64>>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
    let message = field_error::<Array1<i64>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
}

#[test]
fn an_npy_file_of_another_dimensionality_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    let message = field_error::<Array2<f64>>(&path);
    assert!(
        message.contains("the Rust type has 2 dimensions, the archive's array has 1"),
        "{message}"
    );
    assert!(message.contains(&npy.display().to_string()), "{message}");
    // Any dimensionality reads it.
    let reader = ArchiveReader::open(&path).expect("open");
    let any: ArrayD<f64> = reader.read("field").expect("read as ArrayD");
    assert_eq!(any.shape(), [10]);
}

#[test]
fn a_truncated_npy_file_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    let bytes = std::fs::read(&npy).expect("read npy");
    for keep in [bytes.len() - 1, bytes.len() - 8, 140, 60, 10, 0] {
        std::fs::write(&npy, &bytes[..keep]).expect("truncate npy");
        let message = field_error::<Array1<f64>>(&path);
        assert!(
            message.contains(&format!("cannot read array file {}", npy.display())),
            "{keep} bytes kept: {message}"
        );
    }
    // With extra bytes at the end, too.
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0; 8]);
    std::fs::write(&npy, &longer).expect("extend npy");
    let message = field_error::<Array1<f64>>(&path);
    assert!(message.contains(&npy.display().to_string()), "{message}");
}

#[test]
fn a_missing_npy_file_is_an_error_naming_it() {
    let (_dir, path, npy) = npy_archive();
    std::fs::remove_file(&npy).expect("remove npy");
    let message = field_error::<Array1<f64>>(&path);
    assert!(
        message.contains(&format!("cannot read array file {}", npy.display())),
        "{message}"
    );
    // The other item still reads.
    let reader = ArchiveReader::open(&path).expect("open");
    let alpha: f64 = reader.read("alpha").expect("alpha");
    assert_eq!(alpha, 0.5);
}

#[test]
fn an_npy_file_name_outside_the_array_folder_is_refused() {
    let (_dir, path, _npy) = npy_archive();
    let init = path.join("__init__.py");
    let source = std::fs::read_to_string(&init).expect("source");
    // Names that leave the folder are refused when the archive is opened.
    for name in [
        "../__init__.py",
        "/etc/passwd",
        ".hidden.npy",
        "a/../../b.npy",
    ] {
        let edited = source.replace("'field.npy'", &format!("'{name}'"));
        std::fs::write(&init, &edited).expect("write source");
        let err = ArchiveReader::open(&path).unwrap_err();
        assert_eq!(
            position(&err),
            position_of(&edited, &format!("_load('{name}')")),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("names a file outside the archive's arrays"),
            "{name}: {err}"
        );
    }
    // A plain name that is no `.npy` file is refused when read.
    let edited = source.replace("'field.npy'", "'field.txt'");
    std::fs::write(&init, &edited).expect("write source");
    let reader = ArchiveReader::open(&path).expect("open");
    let err = reader.read::<Array1<f64>>("field").unwrap_err();
    assert_eq!(
        position(&err),
        position_of(&edited, "_load('field.txt')"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("not a plain `.npy` file name of the archive's array folder"),
        "{err}"
    );
}

#[test]
fn inline_arrays_of_another_dtype_or_shape_are_errors_at_their_position() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "x = _np.array([1.5, 2.5], dtype='float64')\n",
            "'float64'",
            "dtype 'float64' where the Rust type needs 'float32'",
        ),
        (
            "x = _np.array([[1.0, 2.0], [3.0]], dtype='float32')\n",
            "[3.0]",
            "a ragged array: a row of 1 elements where 2 were expected",
        ),
        (
            "x = _np.array([1.0, 2.0], dtype='float32')\n",
            "_np.array",
            "the Rust type has 2 dimensions, the archive's array has 1",
        ),
        (
            "x = _np.zeros((2, 2, 2), dtype='float32')\n",
            "_np.zeros",
            "the Rust type has 2 dimensions, the archive's array has 3",
        ),
        (
            "x = _np.array([[1.0, 'a']], dtype='float32')\n",
            "'a'",
            "expected a float, found a str",
        ),
        (
            "x = _np.zeros((2, -1), dtype='float32')\n",
            "-1",
            "-1 does not fit in usize",
        ),
        (
            "x = _np.array([[1.0, 2.0]])\n",
            "_np.array",
            "expected `_np.array(data, dtype=...)`",
        ),
    ];
    for (item, at, words) in cases {
        let source = format!("import numpy as _np\n{item}");
        let err = persist_core::from_str::<Array2<f32>>(&source, "x").unwrap_err();
        assert_eq!(position(&err), position_of(&source, at), "{source}: {err}");
        assert!(err.to_string().contains(words), "{source}: {err}");
    }
}

/// A shape whose element count overflows must be an error, not a panic in `ndarray`.
#[test]
fn an_overflowing_array_shape_is_an_error() {
    let source = "import numpy as _np\nx = _np.zeros((4611686018427387904, 4611686018427387904), dtype='float64')\n";
    let result = within("reading an array of 2**124 elements", move || {
        persist_core::from_str::<ArrayD<f64>>(source, "x").map_err(|e| e.to_string())
    });
    let err = result.expect_err("an array of 2**124 elements");
    assert!(err.starts_with("<memory>:2:5: item `x`"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Items and names
// ---------------------------------------------------------------------------------------------

#[test]
fn a_missing_item_lists_the_available_ones() {
    let (_dir, path, _npy) = npy_archive();
    let reader = ArchiveReader::open(&path).expect("open");
    let err = reader.read::<f64>("beta").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "archive {} has no item `beta`; it has: field, alpha",
            path.join("__init__.py").display()
        )
    );
    // Helper names are no items.
    for helper in ["_np", "_load", "_arrays", "_os"] {
        let err = reader.read::<f64>(helper).unwrap_err();
        assert!(
            err.to_string().ends_with("it has: field, alpha"),
            "{helper}: {err}"
        );
    }
    let err = persist_core::from_str::<i32>("a = 1\nb = 2\ndel b\n", "b").unwrap_err();
    assert_eq!(
        err.to_string(),
        "archive <memory> has no item `b`; it has: a"
    );
}
