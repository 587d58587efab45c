//! Reading HDF5 arrays back into Rust: every element type, layout and shape, in both layouts and
//! in lazy mode; a wrong element type is a clear error naming the file and the dataset.

use ndarray::{Array0, Array1, Array2, Array3, ArrayD, IxDyn, ShapeBuilder};
use num_complex::Complex;
use persist_core::{ArchiveReader, Hdf5Options, SaveOptions};

use super::hdf5_archive;

#[derive(persist_core::Persist, Debug, PartialEq)]
struct Fields {
    flags: Array1<bool>,
    counts: Array2<i8>,
    wide: Array1<i64>,
    bytes: Array1<u8>,
    big: Array1<u64>,
    small: Array1<f32>,
    field: Array2<f64>,
    fortran: Array2<f64>,
    cube: Array3<i32>,
    waves: Array1<Complex<f64>>,
    narrow: Array1<Complex<f32>>,
    scalar: Array0<u16>,
    empty: ArrayD<f64>,
    shorts: Array1<i16>,
    mids: Array1<u32>,
}

fn fields() -> Fields {
    Fields {
        flags: Array1::from(vec![true, false, true]),
        counts: Array2::from_shape_fn((2, 3), |(i, j)| (i * 3 + j) as i8 - 3),
        wide: Array1::from(vec![i64::MIN, 0, i64::MAX]),
        bytes: Array1::from(vec![0, 255]),
        big: Array1::from(vec![u64::MAX, 1]),
        small: Array1::from(vec![0.1, -0.0, f32::MAX]),
        field: Array2::from_shape_fn((4, 5), |(i, j)| i as f64 * 10.0 + j as f64),
        fortran: Array2::from_shape_fn((3, 4).f(), |(i, j)| i as f64 - j as f64 / 8.0),
        cube: Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i * 100 + j * 10 + k) as i32),
        waves: Array1::from(vec![Complex::new(1.0, -2.5), Complex::new(-0.0, 3.0)]),
        narrow: Array1::from(vec![Complex::new(0.5f32, 0.25)]),
        scalar: Array0::from_elem((), 7),
        empty: ArrayD::zeros(IxDyn(&[0, 3])),
        shorts: Array1::from(vec![i16::MIN, i16::MAX]),
        mids: Array1::from(vec![u32::MAX]),
    }
}

#[test]
fn every_element_type_and_layout_reads_back_from_hdf5() {
    let value = fields();
    for (options, lazy) in [
        (Hdf5Options::default(), false),
        (Hdf5Options::default().gzip(4).lazy(true), true),
    ] {
        for (layout, name) in [
            (SaveOptions::package(), "arch"),
            (SaveOptions::module(), "arch.py"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let mut archive = hdf5_archive(options);
            archive.insert("run", &value).unwrap();
            archive.save(dir.path().join(name), layout).unwrap();
            let read: Fields = ArchiveReader::open(dir.path().join(name))
                .and_then(|r| r.read("run"))
                .unwrap_or_else(|e| panic!("lazy={lazy} {name}: {e}"));
            assert_eq!(read, value, "lazy={lazy} {name}");
            assert!(
                read.fortran.t().is_standard_layout(),
                "Fortran order is kept"
            );
            assert!(read.field.is_standard_layout());
        }
    }
}

#[test]
fn a_wrong_element_type_is_an_error_naming_file_and_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = hdf5_archive(Hdf5Options::default());
    archive.insert("field", Array1::<f64>::zeros(8)).unwrap();
    archive
        .save(dir.path().join("arch"), SaveOptions::package())
        .unwrap();
    let reader = ArchiveReader::open(dir.path().join("arch")).unwrap();
    let message = match reader.read::<Array1<f32>>("field") {
        Ok(v) => panic!("read f64 data as f32: {v:?}"),
        Err(e) => e.to_string(),
    };
    assert!(message.contains("_data.h5/field"), "{message}");
    assert!(message.contains("Rust element type"), "{message}");
    assert_eq!(
        reader.read::<Array1<f64>>("field").unwrap(),
        Array1::<f64>::zeros(8)
    );
}
