//! Streaming arrays into a build, slab by slab, for each store that streams (npy, HDF5, Zarr):
//! Python sees the whole array with its dtype, shape and values; Rust reads it back; slabs of
//! one row, many rows, no row and non-contiguous views all land in order; misuse (a wrong slab,
//! a stream left unfinished or unused, a handle of another build, the npz store) is an error
//! that leaves the previous archive untouched.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2, Array3, Axis, s};
use persist_core::{Archive, ArchiveReader, ArrayStore, SaveOptions, Streamed, verify};
use persist_tests::{run_python, snapshot};

/// The stores that stream.
fn stores() -> Vec<ArrayStore> {
    #[allow(unused_mut)]
    let mut stores = vec![ArrayStore::Npy];
    #[cfg(feature = "hdf5")]
    stores.push(ArrayStore::Hdf5(
        persist_core::Hdf5Options::default().gzip(1),
    ));
    #[cfg(feature = "zarr")]
    stores.push(ArrayStore::Zarr(
        persist_core::ZarrOptions::default().chunk_bytes(5 * 3 * 8 * 4),
    ));
    #[cfg(feature = "zarr")]
    stores.push(ArrayStore::Zarr(
        persist_core::ZarrOptions::default()
            .chunk_bytes(5 * 3 * 8 * 4)
            .shards(5 * 3 * 8 * 4 * 3),
    ));
    stores
}

/// 37 rows of 5 x 3: element (t, i, j) is t * 100 + i * 10 + j.
fn expected() -> Array3<f64> {
    Array3::from_shape_fn((37, 5, 3), |(t, i, j)| (t * 100 + i * 10 + j) as f64)
}

/// Stream [`expected`] in slabs of 1, 7, 0, 1 (a transposed view) and the rest.
fn stream_field(stream: &mut persist_core::ArrayStream<f64>) {
    let all = expected();
    stream.push(&all.index_axis(Axis(0), 0)).unwrap();
    stream.push(&all.slice(s![1..8, .., ..])).unwrap();
    stream.push(&all.slice(s![8..8, .., ..])).unwrap();
    // A row as a non-contiguous view: the transpose of a Fortran copy.
    let row = all.index_axis(Axis(0), 8).t().to_owned();
    stream.push(&row.t()).unwrap();
    stream.push(&all.slice(s![9.., .., ..])).unwrap();
    assert_eq!(stream.rows(), 37);
}

#[test]
fn every_streaming_store_gives_python_and_rust_the_whole_array() {
    for store in stores() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("run");
        let mut archive = Archive::new().with_array_store(store.clone());
        archive.insert("dt", 0.5).unwrap();
        let mut build = archive.build(&path, SaveOptions::package()).unwrap();
        let mut field = build.stream::<f64>("run.field", &[5, 3]).unwrap();
        stream_field(&mut field);
        let mut trace = build.stream_rows::<i32>("trace", 2500, &[]).unwrap();
        for k in 0..5 {
            trace
                .push(&Array1::from_shape_fn(500, |i| (k * 500 + i) as i32 - 1000))
                .unwrap();
        }
        let mut mask = build.stream::<bool>("mask", &[2]).unwrap();
        mask.push(&ndarray::arr2(&[[true, false], [false, true]]))
            .unwrap();
        let field = field.finish().unwrap();
        assert_eq!(field.shape(), [37, 5, 3]);
        // A streamed array in a value: a map holding the handle.
        let run: BTreeMap<&str, Streamed> = BTreeMap::from([("field", field)]);
        build.insert("run", run).unwrap();
        build.insert("trace", trace.finish().unwrap()).unwrap();
        build.insert("mask", mask.finish().unwrap()).unwrap();
        assert!(!path.exists(), "{store:?}: visible before the commit");
        build.commit().unwrap();

        let reader = ArchiveReader::open(&path).unwrap();
        let run: BTreeMap<String, Array3<f64>> = reader.read("run").unwrap();
        assert_eq!(run["field"], expected(), "{store:?}");
        let trace: Array1<i32> = reader.read("trace").unwrap();
        assert_eq!(trace, Array1::from_shape_fn(2500, |i| i as i32 - 1000));
        let mask: Array2<bool> = reader.read("mask").unwrap();
        assert_eq!(mask, ndarray::arr2(&[[true, false], [false, true]]));
        assert_eq!(reader.read::<f64>("dt").unwrap(), 0.5);
        verify(&path, &Default::default()).unwrap();
        let out = run_python(
            tmp.path(),
            r#"
import numpy as np, run
f = np.asarray(run.run['field'][...])
t, i, j = np.meshgrid(np.arange(37), np.arange(5), np.arange(3), indexing='ij')
assert f.dtype == np.float64 and f.shape == (37, 5, 3), (f.dtype, f.shape)
assert (f == t * 100 + i * 10 + j).all()
trace = np.asarray(run.trace[...])
assert trace.dtype == np.int32 and (trace == np.arange(2500) - 1000).all()
mask = np.asarray(run.mask[...])
assert mask.dtype == np.bool_ and mask.tolist() == [[True, False], [False, True]]
assert run.dt == 0.5
print('ok')
"#,
        );
        assert_eq!(out.trim(), "ok", "{store:?}");
    }
}

#[test]
fn a_module_archive_streams_beside_its_source() {
    let tmp = tempfile::tempdir().unwrap();
    let mut build = Archive::new()
        .build(tmp.path().join("run.py"), SaveOptions::module())
        .unwrap();
    let mut field = build.stream::<f64>("field", &[5, 3]).unwrap();
    stream_field(&mut field);
    build.insert("field", field.finish().unwrap()).unwrap();
    build.commit().unwrap();
    assert!(tmp.path().join("run_arrays/field.npy").is_file());
    let back: Array3<f64> = ArchiveReader::open(tmp.path().join("run.py"))
        .unwrap()
        .read("field")
        .unwrap();
    assert_eq!(back, expected());
    let out = run_python(
        tmp.path(),
        "import numpy as np, run\nassert run.field.shape == (37, 5, 3) and run.field[36, 4, 2] == 3642\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn misuse_is_an_error_and_the_previous_archive_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("run");
    let mut before = Archive::new();
    before.insert("version", 1).unwrap();
    before.save(&path, SaveOptions::package()).unwrap();
    let old = snapshot(&path);
    let overwrite = || SaveOptions::package().overwrite(true);

    // A slab of the wrong shape; too many and too few rows.
    let mut build = Archive::new().build(&path, overwrite()).unwrap();
    let mut s = build.stream::<f64>("x", &[3]).unwrap();
    let err = s.push(&Array1::<f64>::zeros(4)).unwrap_err().to_string();
    assert!(
        err.contains("`x`") && err.contains("[4]") && err.contains("[3]"),
        "{err}"
    );
    let mut s = build.stream_rows::<f64>("y", 2, &[3]).unwrap();
    let err = s
        .push(&Array2::<f64>::zeros((3, 3)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("3 rows pushed") && err.contains("for 2"),
        "{err}"
    );
    s.push(&Array1::<f64>::zeros(3)).unwrap();
    let err = s.finish().unwrap_err().to_string();
    assert!(err.contains("1 rows pushed"), "{err}");
    // Unfinished streams refuse the commit.
    let err = build.commit().unwrap_err().to_string();
    assert!(err.contains("never finished"), "{err}");
    assert_eq!(snapshot(&path), old);

    // A finished stream in no item.
    let mut build = Archive::new().build(&path, overwrite()).unwrap();
    let _lost = build.stream::<f64>("lost", &[2]).unwrap().finish().unwrap();
    let err = build.commit().unwrap_err().to_string();
    assert!(
        err.contains("`lost`") && err.contains("in no item"),
        "{err}"
    );
    assert_eq!(snapshot(&path), old);

    // A handle of another build, and a handle in a plain archive.
    let mut first = Archive::new()
        .build(tmp.path().join("a"), SaveOptions::package())
        .unwrap();
    let handle = first.stream::<f64>("x", &[1]).unwrap().finish().unwrap();
    let mut second = Archive::new().build(&path, overwrite()).unwrap();
    second.insert("x", handle.clone()).unwrap();
    let err = second.commit().unwrap_err().to_string();
    assert!(err.contains("another archive build"), "{err}");
    let mut plain = Archive::new();
    plain.insert("x", handle).unwrap();
    assert!(
        plain
            .to_python_source()
            .unwrap_err()
            .to_string()
            .contains("another archive build")
    );
    assert_eq!(snapshot(&path), old);
    drop(first);
    assert!(
        !tmp.path().join("a").exists(),
        "a dropped build leaves nothing"
    );

    // The npz store cannot stream.
    let mut build = Archive::new()
        .with_array_store(ArrayStore::Npz)
        .build(&path, overwrite())
        .unwrap();
    let err = build.stream::<f64>("x", &[1]).unwrap_err().to_string();
    assert!(err.contains("npz store cannot stream"), "{err}");
    drop(build);
    assert_eq!(snapshot(&path), old);
    // Streamed handles are written only.
    let mut ok = Archive::new().build(&path, overwrite()).unwrap();
    let h = ok.stream::<f64>("x", &[]).unwrap().finish().unwrap();
    ok.insert("x", h).unwrap();
    ok.commit().unwrap();
    let err = ArchiveReader::open(&path)
        .unwrap()
        .read::<Streamed>("x")
        .unwrap_err();
    assert!(err.to_string().contains("written only"), "{err}");
    let back: Array1<f64> = ArchiveReader::open(&path).unwrap().read("x").unwrap();
    assert_eq!(back.len(), 0);
}
