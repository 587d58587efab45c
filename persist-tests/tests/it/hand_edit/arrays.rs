//! Hand edits of arrays and shared values: editing an archive with `.npy` files keeps its
//! arrays, editing a shared value changes every reference, inline arrays edited by hand.

use std::fmt::Debug;
use std::rc::Rc;

use ndarray::{Array1, Array2, Array3, ShapeBuilder, array};
use persist_core::{Archive, ArchiveReader, Persist};
use persist_tests::save_package;

use super::{Params, edit, params, read, write_source};

#[derive(Persist, Debug, PartialEq)]
struct Simulation {
    params: Params,
    field: Array2<f64>,
    cube: Array3<i16>,
    series: Array1<f32>,
}

#[test]
fn editing_an_archive_with_npy_files_keeps_its_arrays() {
    let simulation = Simulation {
        params: params(),
        field: Array2::from_shape_fn((20, 30).f(), |(i, j)| i as f64 * 0.25 - j as f64),
        cube: Array3::from_shape_fn((4, 5, 6), |(i, j, k)| (i * 100 + j * 10 + k) as i16),
        series: Array1::from_shape_fn(200, |i| i as f32 / 3.0),
    };
    let mut archive = Archive::new().with_array_threshold(50);
    archive.insert("sim", &simulation).expect("insert");
    archive.insert("alpha", 0.5).expect("insert");
    archive
        .insert("notes", vec!["first".to_owned()])
        .expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    assert_eq!(source.matches("_load('").count(), 3, "{source}");
    let edited = edit(&source, "alpha = 0.5\n", "alpha = 0.75  # tuned by hand\n");
    let edited = edit(
        &edited,
        "notes = ['first']\n",
        "notes = [\n    'first',\n    \"second, added by hand\",\n]\nbeta = 2\n",
    );
    let edited = edit(&edited, "steps=3", "steps=30");
    write_source(&saved, &edited);
    assert_eq!(read::<f64>(&saved, "alpha"), 0.75);
    assert_eq!(
        read::<Vec<String>>(&saved, "notes"),
        ["first", "second, added by hand"]
    );
    assert_eq!(read::<i32>(&saved, "beta"), 2);
    let back: Simulation = read(&saved, "sim");
    assert_eq!(back.params.steps, 30);
    assert_eq!(back.field, simulation.field);
    assert!(back.field.t().is_standard_layout(), "Fortran stays Fortran");
    assert_eq!(back.cube, simulation.cube);
    assert_eq!(back.series, simulation.series);
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).expect("open");
    assert_eq!(
        reader.items().collect::<Vec<_>>(),
        ["sim", "alpha", "notes", "beta"]
    );
    saved.check(
        "assert a.alpha == 0.75 and a.beta == 2 and a.sim.params.steps == 30\n\
         assert a.sim.field.flags['F_CONTIGUOUS'] and a.sim.field[19, 29] == 19 * 0.25 - 29\n\
         assert a.sim.cube[3, 4, 5] == 345 and a.notes[1] == 'second, added by hand'\n",
    );
}

#[derive(Persist, Debug, PartialEq)]
struct Shared {
    a: Rc<Vec<i32>>,
    b: Rc<Vec<i32>>,
}

#[test]
fn editing_a_shared_value_changes_every_reference() {
    let list = Rc::new(vec![1, 2, 3]);
    let mut archive = Archive::local();
    archive
        .insert(
            "s",
            Shared {
                a: Rc::clone(&list),
                b: Rc::clone(&list),
            },
        )
        .expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    let edited = edit(&source, "[1, 2, 3]", "[1, 2, 3, 4]  # one more");
    write_source(&saved, &edited);
    let back: Shared = read(&saved, "s");
    assert_eq!(*back.a, [1, 2, 3, 4]);
    assert!(Rc::ptr_eq(&back.a, &back.b), "{edited}");
    saved.check("assert a.s.a is a.s.b and a.s.a == [1, 2, 3, 4]");
}

#[test]
fn inline_arrays_edited_by_hand() {
    let mut archive = Archive::new();
    archive
        .insert("m", array![[1.0, 2.0], [3.0, 4.0]])
        .expect("insert");
    archive
        .insert(
            "f",
            Array2::<i64>::from_shape_vec((2, 2).f(), vec![1, 2, 3, 4]).expect("shape"),
        )
        .expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    // A row added, the numbers respelled, the layout changed.
    let edited = edit(
        &source,
        "[[1.0, 2.0], [3.0, 4.0]]",
        "[\n    [1, 2.0],  # first row\n    [3e0, 4.],\n    [5, 0x6],\n]",
    );
    write_source(&saved, &edited);
    let m: Array2<f64> = read(&saved, "m");
    assert_eq!(m, array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    let f: Array2<i64> = read(&saved, "f");
    assert_eq!(f, array![[1, 3], [2, 4]]);
    assert!(f.t().is_standard_layout(), "Fortran stays Fortran");
    saved.check("assert a.m.shape == (3, 2) and a.m[2, 1] == 6.0 and a.f.flags['F_CONTIGUOUS']");
}
