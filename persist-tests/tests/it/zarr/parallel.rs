//! Four real processes write disjoint chunk ranges of one Zarr array of an archive being built;
//! one finishing step makes the archive visible; a writer that died is an error naming the rows
//! it did not write, and the archive stays invisible.

use std::process::Command;

use ndarray::Array2;
use persist_core::{Archive, ArchiveReader, ArrayStore, SaveOptions, ZarrOptions, verify};
use persist_tests::run_python;

const WORKER: &str = env!("CARGO_BIN_EXE_zarr_worker");

/// Rows of 300 f64 (2400 bytes), chunks of 25 rows (60 000 bytes): 1000 rows are 40 bands.
fn options() -> ZarrOptions {
    ZarrOptions::default().chunk_bytes(25 * 300 * 8)
}

fn spawn(token: &str, start: usize, end: usize, fail: bool) -> std::process::Child {
    let mut command = Command::new(WORKER);
    command.args([token, &start.to_string(), &end.to_string()]);
    if fail {
        command.arg("fail");
    }
    command
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start zarr_worker")
}

#[test]
fn four_processes_fill_one_array_and_one_commit_makes_it_visible() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sim");
    let mut archive = Archive::new().with_array_store(ArrayStore::Zarr(options()));
    archive.insert("cols", 300).unwrap();
    let mut build = archive.build(&path, SaveOptions::package()).unwrap();
    let parts = build.zarr_parts::<f64>("field", &[1000, 300]).unwrap();
    // Four ranges on chunk edges; the last ends at the array's end.
    let ranges = [(0, 250), (250, 500), (500, 775), (775, 1000)];
    let children: Vec<_> = ranges
        .iter()
        .map(|&(start, end)| spawn(parts.token(), start, end, false))
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert!(!path.exists(), "nothing is visible before the commit");
    let field = parts.finish().unwrap();
    assert_eq!(field.shape(), [1000, 300]);
    build.insert("field", field).unwrap();
    build.commit().unwrap();
    assert!(
        !path.join(".persist-parts").exists(),
        "the markers are gone"
    );

    let expected = Array2::from_shape_fn((1000, 300), |(r, c)| (r * 300 + c) as f64);
    let back: Array2<f64> = ArchiveReader::open(&path).unwrap().read("field").unwrap();
    assert_eq!(back, expected);
    verify(&path, &Default::default()).unwrap();
    let out = run_python(
        tmp.path(),
        r#"
import numpy as np, dask.array as da, sim
expected = np.arange(1000 * 300, dtype='float64').reshape(1000, 300)
assert sim.field.shape == (1000, 300) and sim.field.chunks == (25, 300), sim.field.chunks
assert da.from_zarr(sim.field).mean().compute(scheduler='threads', num_workers=2) == expected.mean()
assert (sim.field[...] == expected).all()
print('ok')
"#,
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn a_writer_that_died_is_an_error_naming_its_rows_and_nothing_becomes_visible() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sim");
    let archive = Archive::new().with_array_store(ArrayStore::Zarr(options()));
    let mut build = archive.build(&path, SaveOptions::package()).unwrap();
    let parts = build.zarr_parts::<f64>("field", &[1000, 300]).unwrap();
    let children: Vec<_> = [(0, 250, false), (250, 500, true), (500, 1000, false)]
        .iter()
        .map(|&(start, end, fail)| spawn(parts.token(), start, end, fail))
        .collect();
    let codes: Vec<Option<i32>> = children
        .into_iter()
        .map(|mut c| c.wait().unwrap().code())
        .collect();
    assert_eq!(codes, [Some(0), Some(3), Some(0)]);
    let err = parts.finish().unwrap_err().to_string();
    assert!(
        err.contains("field") && err.contains("rows 250 to 1000"),
        "{err}"
    );
    // The build cannot commit with the array unfinished, and leaves nothing behind.
    let err = build.commit().unwrap_err().to_string();
    assert!(err.contains("never finished"), "{err}");
    assert!(!path.exists());
    assert_eq!(persist_tests::file_names(tmp.path()), Vec::<String>::new());
}

#[test]
fn writers_refuse_ranges_off_chunk_edges_and_the_wrong_element_type() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::new().with_array_store(ArrayStore::Zarr(options()));
    let mut build = archive
        .build(tmp.path().join("sim"), SaveOptions::package())
        .unwrap();
    let parts = build.zarr_parts::<f64>("field", &[1000, 300]).unwrap();
    let mut part = persist_core::ZarrPart::<f64>::open(parts.token()).unwrap();
    let err = part
        .write(10, &Array2::zeros((15, 300)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("chunk edges"), "{err}");
    let err = part
        .write(0, &Array2::zeros((25, 299)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("do not fit"), "{err}");
    let err = part
        .write(990, &Array2::zeros((25, 300)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("past the array"), "{err}");
    let err = persist_core::ZarrPart::<f32>::open(parts.token())
        .unwrap_err()
        .to_string();
    assert!(err.contains("float64"), "{err}");
    // Only the Zarr store has parallel writers.
    let mut npy = Archive::new()
        .build(tmp.path().join("other"), SaveOptions::package())
        .unwrap();
    let err = npy.zarr_parts::<f64>("x", &[10]).unwrap_err().to_string();
    assert!(err.contains("Zarr store"), "{err}");
}
