//! `ArrayStore::NpyMmap`: Python maps the `.npy` files read-only (`numpy.memmap`, lazy, not
//! writable); Rust reads the archive as any npy archive; a record table's columns work from the
//! maps; the archive is format 4 (5 with records, as here) and `verify` accepts it; DataSet items map too.

use ndarray::{Array1, Array2, ShapeBuilder};
use persist_core::{Archive, ArchiveReader, ArrayStore, DataSet, Persist, verify};
use persist_tests::{run_python, save_package};

#[derive(Persist, Debug, Clone, PartialEq)]
struct Hit {
    channel: u16,
    energy: f64,
    label: String,
}

#[test]
fn python_maps_the_files_read_only_and_rust_reads_them_as_npy() {
    let field = Array2::from_shape_vec((300, 4).f(), (0..1200).map(f64::from).collect()).unwrap();
    let hits: Vec<Hit> = (0..150)
        .map(|i| Hit {
            channel: i,
            energy: f64::from(i) * 0.5,
            label: format!("h{i}"),
        })
        .collect();
    let mut archive = Archive::new().with_array_store(ArrayStore::NpyMmap);
    archive.insert("field", &field).unwrap();
    archive.insert("hits", hits.clone()).unwrap();
    archive
        .insert("small", Array1::from(vec![1, 2, 3]))
        .unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.starts_with("# persist archive, format 5,"),
        "{source}"
    );
    assert!(source.contains("mmap_mode='r', allow_pickle=False"));
    let out = saved.check(
        r#"
f = a.field
assert type(f) is np.memmap and not f.flags.writeable, (type(f), f.flags)
assert f.shape == (300, 4) and f.flags.f_contiguous and f[299, 3] == 1199.0
try:
    f[0, 0] = 1.0
    raise SystemExit('a mapped array was writable')
except ValueError:
    pass
assert [h.channel for h in a.hits[:3]] == [0, 1, 2] and a.hits[149].label == 'h149'
assert type(a.small) is np.ndarray and a.small.tolist() == [1, 2, 3]  # inline: small
print('ok')
"#,
    );
    assert_eq!(out.trim(), "ok");
    let path = saved.dir.path().join("arch");
    let reader = ArchiveReader::open(&path).unwrap();
    assert_eq!(reader.read::<Array2<f64>>("field").unwrap(), field);
    assert_eq!(reader.read::<Vec<Hit>>("hits").unwrap(), hits);
    verify(&path, &Default::default()).unwrap();
}

#[test]
fn dataset_items_map_their_arrays() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = DataSet::create(tmp.path().join("sweep"))
        .unwrap()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::NpyMmap)
        .with_sync(false);
    sweep
        .insert("run_0", &Array1::from(vec![1.5, 2.5]), &0.5)
        .unwrap();
    let back: Array1<f64> = sweep.read("run_0").unwrap();
    assert_eq!(back.to_vec(), [1.5, 2.5]);
    let out = run_python(
        tmp.path(),
        "import numpy as np\nfrom sweep import run_0\nassert type(run_0) is np.memmap and run_0.tolist() == [1.5, 2.5]\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
}
