//! Write the seed corpora of the fuzz targets from archives this crate saves:
//! `fuzz/seeds/load_archive/` (a package's `__init__.py` and its `.npy` files joined as the load
//! target splits them), `fuzz/seeds/parse_archive/` (the sources alone) and
//! `fuzz/seeds/load_zarr/` (Zarr arrays: an array's `zarr.json` and its chunk files) and
//! `fuzz/seeds/load_dataset/` (a DataSet's files).
//!
//! Run from the repository root: `cargo run --manifest-path fuzz/Cargo.toml --example make_seeds`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::rc::Rc;

use ndarray::{Array1, Array2, Array3, ShapeBuilder};
use num_complex::Complex;
use persist_core::{Archive, ArrayStore, Persist, SaveOptions, ZarrOptions};
use persist_fuzz::{Run, Shape, dataset_template, files_under, join_input, join_zarr_input};

fn main() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let scratch = std::env::temp_dir().join(format!("persist-seeds-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let emit = |name: &str, archive: &Archive<'_, dyn persist_core::Persist + '_>| {
        write_seed(&out, &scratch, name, archive)
    };

    let text = "run \"1\"\n é".to_owned();
    let flags = Some(vec![(true, 'x'), (false, '\'')]);
    let mut scalars = Archive::local();
    scalars.insert("alpha", 0.5_f64).unwrap();
    scalars.insert("steps", 42_u32).unwrap();
    scalars.insert("name", &text).unwrap();
    scalars.insert("big", u128::MAX).unwrap();
    scalars.insert("flags", &flags).unwrap();
    emit("scalars", &scalars);

    let tags: HashMap<String, Vec<f64>> = [
        ("a".to_owned(), vec![1.0, f64::NAN]),
        ("b".to_owned(), vec![]),
    ]
    .into();
    let nested = vec![vec![vec![1, 2], vec![3]], vec![]];
    let waves = BTreeMap::from([(1, Complex::new(0.5, -1.0))]);
    let shared = Rc::new(vec!["x".to_owned()]);
    let mut collections = Archive::local();
    collections.insert("tags", &tags).unwrap();
    collections.insert("nested", &nested).unwrap();
    collections.insert("waves", &waves).unwrap();
    collections.insert("shared", &shared).unwrap();
    collections.insert("again", &shared).unwrap();
    emit("collections", &collections);

    let small = Array1::from(vec![1.0, 2.0]);
    let field = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as i32);
    let fortran = Array2::from_shape_fn((2, 3).f(), |(i, j)| i as f64 - j as f64);
    let cube = Array3::from_shape_fn((2, 2, 2), |(i, j, k)| (i + j + k) as u8);
    let bools = Array1::from(vec![true, false, true, true, false]);
    let complex = Array1::from(vec![Complex::new(1.0_f32, 2.0); 5]);
    let mut arrays = Archive::local().with_array_threshold(4);
    arrays.insert("small", &small).unwrap();
    arrays.insert("field", &field).unwrap();
    arrays.insert("fortran", &fortran).unwrap();
    arrays.insert("cube", &cube).unwrap();
    arrays.insert("flags", &bools).unwrap();
    arrays.insert("waves", &complex).unwrap();
    emit("arrays", &arrays);

    let run = Run {
        name: "root".into(),
        steps: vec![1, -2, 3],
        field: Array2::from_shape_fn((2, 3), |(i, j)| i as f64 + j as f64 / 2.0),
        tags: [("k".to_owned(), 7)].into(),
        shape: Some(Shape::Circle { radius: 1.5 }),
        children: vec![Run {
            name: "child".into(),
            steps: vec![],
            field: Array2::zeros((0, 2)),
            tags: HashMap::new(),
            shape: Some(Shape::Grid(Array1::from(vec![1, 2, 3, 4, 5, 6]))),
            children: vec![],
        }],
    };
    let shapes = vec![
        Shape::Empty,
        Shape::Rect(1.0, 2.0),
        Shape::Circle { radius: 0.0 },
    ];
    let mut records = Archive::local().with_array_threshold(5);
    records.insert("run", &run).unwrap();
    records.insert("shapes", &shapes).unwrap();
    emit("records", &records);

    let field = Array2::from_shape_fn((8, 8), |(i, j)| i as f64 - j as f64 / 4.0);
    let ints = Array1::from_shape_fn(20, |i| i as i32 * 7 - 50);
    let bytes = Array3::from_shape_fn((3, 4, 5), |(i, j, k)| (i * 20 + j * 5 + k) as u8);
    let waves = Array1::from(vec![Complex::new(1.0_f32, -2.0); 9]);
    let partial = Array2::from_shape_fn((8, 8), |(i, _)| if i < 4 { 0.0 } else { 1.5 });
    let zarr: [(&str, &dyn Persist, ZarrOptions); 6] = [
        ("f64", &field, ZarrOptions::default().chunk_bytes(4 * 4 * 8)),
        (
            "f64_gzip",
            &field,
            ZarrOptions::default().chunk_bytes(4 * 4 * 8).gzip(5),
        ),
        (
            "i32_zstd",
            &ints,
            ZarrOptions::default().chunk_bytes(8 * 4).zstd(3),
        ),
        (
            "u8_3d",
            &bytes,
            ZarrOptions::default().chunk_bytes(2 * 2 * 5),
        ),
        ("c64", &waves, ZarrOptions::default()),
        // Chunks of zeros are not written: the fill value stands for them.
        (
            "missing_chunks",
            &partial,
            ZarrOptions::default().chunk_bytes(4 * 4 * 8),
        ),
    ];
    for (name, value, options) in zarr {
        write_zarr_seed(&out, &scratch, name, value, options);
    }

    let files = dataset_template(&scratch.join("dataset"));
    let contents: Vec<&[u8]> = files.iter().map(|(_, bytes)| bytes.as_slice()).collect();
    let dir = out.join("load_dataset");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("dataset"), join_input(contents[0], &contents[1..])).unwrap();

    std::fs::remove_dir_all(&scratch).unwrap();
    println!("wrote the seeds into {}", out.display());
}

/// Save `archive` as a package, then write its seed for each target.
fn write_seed(
    out: &Path,
    scratch: &Path,
    name: &str,
    archive: &Archive<'_, dyn persist_core::Persist + '_>,
) {
    let package = scratch.join(name);
    archive.save(&package, SaveOptions::package()).unwrap();
    let source = std::fs::read(package.join("__init__.py")).unwrap();
    // The array files in the order the source first names them, as the target names them.
    let text = String::from_utf8_lossy(&source).into_owned();
    let mut files: Vec<(usize, Vec<u8>)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(package.join("_arrays")) {
        for entry in entries {
            let entry = entry.unwrap();
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let at = text
                .find(&format!("_load('{file_name}')"))
                .expect("the source loads every array file");
            files.push((at, std::fs::read(entry.path()).unwrap()));
        }
    }
    files.sort();
    let files: Vec<&[u8]> = files.iter().map(|(_, bytes)| bytes.as_slice()).collect();
    for (target, bytes) in [
        ("load_archive", join_input(&source, &files)),
        ("parse_archive", source.clone()),
    ] {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Save `value` as the array `field` of a package with the Zarr store, then write the Zarr
/// target's seed: the array's `zarr.json` and every file under its folder, by key.
fn write_zarr_seed(
    out: &Path,
    scratch: &Path,
    name: &str,
    value: &dyn Persist,
    options: ZarrOptions,
) {
    let package = scratch.join(format!("zarr_{name}"));
    let mut archive = Archive::local()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Zarr(options));
    archive.insert("field", value).unwrap();
    archive.save(&package, SaveOptions::package()).unwrap();
    let array = package.join("_arrays.zarr/field");
    let meta = std::fs::read(array.join("zarr.json")).unwrap();
    let chunks: Vec<(String, Vec<u8>)> = files_under(&array)
        .into_iter()
        .filter(|(path, _)| path.as_os_str() != "zarr.json")
        .map(|(path, bytes)| (path.to_string_lossy().into_owned(), bytes))
        .collect();
    let dir = out.join("load_zarr");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), join_zarr_input(&meta, &chunks)).unwrap();
}
