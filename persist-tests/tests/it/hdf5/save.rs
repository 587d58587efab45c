//! Saving HDF5 archives: the module layout, byte-identical saves, a failed save that leaves the
//! old archive intact, clear errors, and HDF5's file lock.

use ndarray::{Array1, Array2, Array3, ShapeBuilder};
use num_complex::Complex;
use persist_core::{Archive, Element, Hdf5Options, Persist, SaveOptions, WriteError, Writer};
use persist_tests::{file_names, run_python, save_module, save_package, snapshot};

use super::{Fields, PY_HELPERS, Run, hdf5_archive};

/// The module layout: `arch.py` with `arch_data.h5` beside it; saving with one store replaces
/// the arrays of the other.
#[test]
fn module_layout_puts_the_file_beside_the_module() {
    let field = Array2::from_shape_fn((10, 20), |(i, j)| (i * 20 + j) as f64);
    let mut archive = hdf5_archive(Hdf5Options::default());
    archive.insert("field", &field).unwrap();
    let saved = save_module(&archive);
    let dir = saved.dir.path();
    assert_eq!(file_names(dir), ["arch.py", "arch_data.h5"]);
    saved.check(&format!(
        "{PY_HELPERS}
same(a.field, np.arange(200.0).reshape(10, 20), 'float64')
assert tree('arch_data.h5') == ['field']
"
    ));

    // npy over HDF5, then HDF5 over npy: only the new store's arrays remain (an overwrite
    // takes the name the archive on disk does not use, here the second npy name).
    let overwrite = SaveOptions::module().overwrite(true);
    let mut npy = Archive::new().with_array_threshold(0);
    npy.insert("field", &field).unwrap();
    npy.save(dir.join("arch.py"), overwrite).unwrap();
    assert_eq!(file_names(dir), ["arch.py", "arch_arrays.2"]);
    archive.save(dir.join("arch.py"), overwrite).unwrap();
    assert_eq!(file_names(dir), ["arch.py", "arch_data.h5"]);
    saved.check("assert a.field[9, 19] == 199.0");

    // Without overwrite, an HDF5 file left beside a module counts as an existing archive.
    std::fs::remove_file(dir.join("arch.py")).unwrap();
    let err = archive
        .save(dir.join("arch.py"), SaveOptions::module())
        .unwrap_err();
    assert!(err.to_string().contains("arch_data.h5"), "{err}");
}

/// Two saves of one value, a second apart and in different folders, give byte-identical files:
/// no timestamps, no paths, a fixed order of groups and datasets.
#[test]
fn saves_are_byte_identical() {
    let fortran = Array3::from_shape_fn((20, 30, 40).f(), |(i, j, k)| (i * j + k) as f32);
    let run = Run {
        fields: Fields {
            temperature: Array2::from_shape_fn((50, 60), |(i, j)| (i + j) as f64),
            pressure: Array2::from_elem((20, 30), 1.0),
        },
        steps: vec![Array1::from_elem(200, 1)],
        label: "same".into(),
    };
    let flags = Array1::from_iter((0..500).map(|i| i % 7 == 0));
    let waves = Array1::from_iter((0..500).map(|i| Complex::new(i as f32, -(i as f32))));
    let mut snapshots = Vec::new();
    for options in [
        Hdf5Options::default(),
        Hdf5Options::default().gzip(6),
        Hdf5Options::default().lazy(true),
    ] {
        let mut archive = hdf5_archive(options);
        archive.insert("run", &run).unwrap();
        archive.insert("fortran", &fortran).unwrap();
        archive.insert("flags", &flags).unwrap();
        archive.insert("waves", &waves).unwrap();
        let first = save_package(&archive);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let second = save_package(&archive);
        let (a, b) = (snapshot(first.dir.path()), snapshot(second.dir.path()));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            ["arch/", "arch/__init__.py", "arch/_data.h5"]
        );
        assert!(a == b, "two saves differ with {options:?}");
        // Saving over the archive gives the same bytes too.
        archive
            .save(
                first.dir.path().join("arch"),
                SaveOptions::package().overwrite(true),
            )
            .unwrap();
        assert!(
            snapshot(first.dir.path()) == a,
            "overwrite differs with {options:?}"
        );
        snapshots.push(a);
    }
    assert!(snapshots[0]["arch/_data.h5"] != snapshots[1]["arch/_data.h5"]);
    assert!(snapshots[0]["arch/_data.h5"] == snapshots[2]["arch/_data.h5"]);
}

/// A value whose writing fails on purpose.
struct Fails;

impl Persist for Fails {
    fn to_python_source(&self, _: &mut Writer) -> Result<(), WriteError> {
        Err(WriteError::custom("forced failure"))
    }
}

/// An element type of our own that does not name its concrete type ([`Element::elements`]):
/// the npy store writes it, the HDF5 store refuses it.
#[derive(Debug, Clone, Copy, Default)]
struct Celsius(f64);

impl Persist for Celsius {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        self.0.to_python_source(out)
    }
}

impl ndarray_npy::ReadableElement for Celsius {
    fn read_to_end_exact_vec<R: std::io::Read>(
        reader: R,
        type_desc: &py_literal::Value,
        len: usize,
    ) -> Result<Vec<Self>, ndarray_npy::ReadDataError> {
        f64::read_to_end_exact_vec(reader, type_desc, len)
            .map(|values| values.into_iter().map(Celsius).collect())
    }
}

impl ndarray_npy::WritableElement for Celsius {
    fn type_descriptor() -> py_literal::Value {
        f64::type_descriptor()
    }
    fn write<W: std::io::Write>(&self, writer: W) -> Result<(), ndarray_npy::WriteDataError> {
        self.0.write(writer)
    }
    fn write_slice<W: std::io::Write>(
        slice: &[Self],
        mut writer: W,
    ) -> Result<(), ndarray_npy::WriteDataError> {
        slice.iter().try_for_each(|c| c.0.write(&mut writer))
    }
}

impl Element for Celsius {
    const DTYPE: &'static str = "float64";
    fn push_inline(self, out: &mut String) {
        self.0.push_inline(out);
    }
}

/// Saving over an HDF5 archive fails midway (after arrays went to the new file): the old
/// archive stays byte-identical and no temporary file is left.
#[test]
fn a_failed_save_leaves_the_old_archive_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("arch");
    let old = Array1::from_iter((0..1000).map(f64::from));
    let mut archive = hdf5_archive(Hdf5Options::default().gzip(2));
    archive.insert("field", &old).unwrap();
    archive.save(&path, SaveOptions::package()).unwrap();
    let before = snapshot(dir.path());

    let new = Array1::from_elem(2000, -1.0_f64);
    let temps = Array1::from_elem(300, Celsius(20.0));
    let overwrite = SaveOptions::package().overwrite(true);

    let mut forced = hdf5_archive(Hdf5Options::default());
    forced.insert("field", &new).unwrap();
    forced.insert("broken", Fails).unwrap();
    let err = forced.save(&path, overwrite).unwrap_err();
    assert!(
        err.to_string().contains("`broken`") && err.to_string().contains("forced failure"),
        "{err}"
    );
    assert!(snapshot(dir.path()) == before, "the old archive changed");
    assert_eq!(file_names(dir.path()), ["arch"]);

    let mut rejected = hdf5_archive(Hdf5Options::default());
    rejected.insert("field", &new).unwrap();
    rejected.insert("temps", (1, vec![temps.view()])).unwrap();
    let err = rejected.save(&path, overwrite).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("cannot write item `temps`")
            && message.contains("[1][0]")
            && message.contains("HDF5 array store cannot write arrays of")
            && message.contains("Celsius")
            && message.contains("ArrayStore::Npy"),
        "{message}"
    );
    assert!(snapshot(dir.path()) == before, "the old archive changed");
    assert_eq!(file_names(dir.path()), ["arch"]);
    run_python(
        dir.path(),
        "import arch\nassert arch.field.tolist() == list(map(float, range(1000)))",
    );

    // The npy store takes the same element type.
    let mut npy = Archive::new().with_array_threshold(0);
    npy.insert("temps", &temps).unwrap();
    npy.save(&path, overwrite).unwrap();
    run_python(dir.path(), "import arch\nassert (arch.temps == 20).all()");
}

/// Spawns a process while it is written, that is while the archive's HDF5 file is open, as
/// another thread of the user's program could.
struct SpawnsProcess(std::cell::RefCell<Option<std::process::Child>>);

impl Persist for SpawnsProcess {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        let child = std::process::Command::new(persist_tests::python())
            .args(["-c", "import time; time.sleep(60)"])
            .spawn()
            .expect("spawn python");
        *self.0.borrow_mut() = Some(child);
        out.write_none();
        Ok(())
    }
}

/// A process spawned while the file was written inherits HDF5's descriptor of it, and with it
/// HDF5's lock: the save releases the lock, so h5py opens the archive while that process runs.
#[test]
fn a_process_spawned_during_the_save_does_not_lock_the_file() {
    let spawns = SpawnsProcess(std::cell::RefCell::new(None));
    let mut archive = hdf5_archive(Hdf5Options::default());
    archive
        .insert("field", Array1::from_elem(100, 1.5_f64))
        .unwrap();
    archive.insert("spawns", &spawns).unwrap();
    let saved = save_package(&archive);
    let mut child = spawns
        .0
        .borrow_mut()
        .take()
        .expect("the process was spawned");
    let imported = std::panic::catch_unwind(|| saved.check("assert a.field.sum() == 150"));
    child.kill().expect("end the spawned process");
    child.wait().expect("wait for the spawned process");
    if let Err(panic) = imported {
        std::panic::resume_unwind(panic);
    }
}
