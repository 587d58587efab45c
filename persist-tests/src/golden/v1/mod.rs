//! The golden archives of format 1: what [`write`] puts into `persist-tests/golden/v1/`, made
//! from the values of [`values`] and [`schema`]. The tests read them back with the same types.

pub mod schema;
pub mod values;

/// The archives' array threshold: arrays of more elements go to external files, so the golden
/// set exercises them while staying small.
pub const THRESHOLD: usize = 4;

/// Every entry of the folder (`__pycache__` aside), sorted: the archives, their array files, the
/// DataSet `sweep` and the user classes' module `golden_classes.py`.
pub const ENTRIES: [&str; 15] = [
    "arrays",
    "arrays_module.py",
    "arrays_module_arrays",
    "attributes.py",
    "containers",
    "golden_classes.py",
    "hdf5_lazy",
    "hdf5_module.py",
    "hdf5_module_data.h5",
    "hdf5_package",
    "heat_run",
    "records",
    "scalars.py",
    "sweep",
    "text.py",
];

#[cfg(feature = "hdf5")]
pub use write::write;

#[cfg(feature = "hdf5")]
mod write {
    use std::borrow::Cow;
    use std::path::Path;

    use ndarray::{Array1, s};
    use persist_core::{Archive, ArrayStore, DataSet, Hdf5Options, Persist, SaveOptions};

    use super::schema::*;
    use super::values::*;
    use super::{ENTRIES, THRESHOLD};

    type Result = std::result::Result<(), Box<dyn std::error::Error>>;

    fn archive<'a>() -> Archive<'a, dyn Persist + 'a> {
        Archive::local().with_array_threshold(THRESHOLD)
    }

    fn hdf5<'a>(options: Hdf5Options) -> Archive<'a, dyn Persist + 'a> {
        archive().with_array_store(ArrayStore::Hdf5(options))
    }

    /// Write the golden archives of format 1 into `dir` (which must not exist yet).
    ///
    /// # Errors
    /// `dir` exists, or an archive cannot be written.
    pub fn write(dir: &Path) -> Result {
        std::fs::create_dir(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        std::fs::write(dir.join("golden_classes.py"), GOLDEN_CLASSES_PY)?;
        scalars(dir)?;
        text(dir)?;
        containers(dir)?;
        arrays(dir)?;
        arrays_module(dir)?;
        hdf5_archives(dir)?;
        records(dir)?;
        attributes(dir)?;
        let mut run = archive();
        run.insert("run", heat_run())?;
        run.save(dir.join("heat_run"), SaveOptions::package())?;
        let sweep = DataSet::create(dir.join("sweep"))?.with_array_threshold(THRESHOLD);
        for (index, name) in SWEEP_ITEMS.iter().enumerate() {
            sweep.insert(name, &sweep_point(index), &sweep_info(index))?;
        }
        let mut found: Vec<String> = std::fs::read_dir(dir)?
            .map(|e| Ok(e?.file_name().to_string_lossy().into_owned()))
            .collect::<std::io::Result<_>>()?;
        found.sort();
        // From format 5 on, the long lists of `scalars.py` are arrays beside it.
        let mut expected = ENTRIES.to_vec();
        if persist_core::FORMAT_VERSION >= 5 {
            expected.push("scalars_arrays");
            expected.sort_unstable();
        }
        if found != expected {
            return Err(
                format!("the golden folder has {found:?}, the set says {expected:?}").into(),
            );
        }
        Ok(())
    }

    fn scalars(dir: &Path) -> Result {
        let mut a = archive();
        a.insert("yes", true)?;
        a.insert("no", false)?;
        a.insert("integers", integers())?;
        a.insert("doubles", doubles())?;
        a.insert("singles", singles())?;
        a.insert("nothing", ())?;
        a.save(dir.join("scalars.py"), SaveOptions::module())?;
        Ok(())
    }

    fn text(dir: &Path) -> Result {
        let tricky = tricky();
        let path = path();
        let mut a = archive();
        a.insert("chars", chars())?;
        a.insert("tricky", tricky.clone())?;
        a.insert("empty", String::new())?;
        a.insert("borrowed", tricky.as_str())?;
        a.insert("cow_borrowed", Cow::Borrowed(tricky.as_str()))?;
        a.insert("cow_owned", Cow::<str>::Owned("owned".to_owned()))?;
        a.insert("path_buf", path.clone())?;
        a.insert("path", path.as_path())?;
        a.save(dir.join("text.py"), SaveOptions::module())?;
        Ok(())
    }

    fn containers(dir: &Path) -> Result {
        let slice = [1.5, -2.5];
        let referenced = 7_i32;
        let mut a = archive();
        a.insert("some", Some(3_i32))?;
        a.insert("none", None::<i32>)?;
        a.insert("sequences", sequences())?;
        a.insert("slice", &slice[..])?;
        a.insert("tuples", tuples())?;
        a.insert("maps", maps())?;
        a.insert("pointers", pointers())?;
        // The `&T` row of the type mapping: the item is a reference on purpose.
        #[allow(clippy::needless_borrows_for_generic_args)]
        a.insert("reference", &referenced)?;
        a.insert("complexes", complexes())?;
        a.save(dir.join("containers"), SaveOptions::package())?;
        Ok(())
    }

    fn arrays(dir: &Path) -> Result {
        let wide = wide();
        let mut a = archive();
        a.insert("i8", i8::range())?;
        a.insert("i16", i16::range())?;
        a.insert("i32", i32::range())?;
        a.insert("i64", i64::range())?;
        a.insert("u8", u8::range())?;
        a.insert("u16", u16::range())?;
        a.insert("u32", u32::range())?;
        a.insert("u64", u64::range())?;
        a.insert("bools", bools())?;
        a.insert("f32", floats32())?;
        a.insert("f64", special_doubles())?;
        a.insert("c64", complex64s())?;
        a.insert("c128", complex128s())?;
        a.insert("small_bools", Array1::from(vec![true, false]))?;
        a.insert("small_ints", Array1::from(vec![i64::MIN, i64::MAX]))?;
        a.insert("small_u64", Array1::from(vec![u64::MAX]))?;
        a.insert(
            "small_doubles",
            Array1::from(vec![-0.0, f64::NAN, f64::INFINITY]),
        )?;
        a.insert(
            "small_complex",
            Array1::from(complex64s().to_vec()[..2].to_vec()),
        )?;
        a.insert("small_matrix", small_matrix())?;
        a.insert("matrix", matrix())?;
        a.insert("fortran", fortran())?;
        a.insert("fortran_small", fortran_small())?;
        a.insert("cube", cube())?;
        a.insert("dynamic", dynamic())?;
        a.insert("scalar", scalar_array())?;
        a.insert("empty", empty_array())?;
        a.insert("view", wide.slice(s![.., ..;2]))?;
        a.save(dir.join("arrays"), SaveOptions::package())?;
        Ok(())
    }

    fn arrays_module(dir: &Path) -> Result {
        let mut a = archive();
        a.insert("matrix", matrix())?;
        a.insert("small", small_matrix())?;
        a.insert("fortran", fortran())?;
        a.save(dir.join("arrays_module.py"), SaveOptions::module())?;
        Ok(())
    }

    fn hdf5_archives(dir: &Path) -> Result {
        let mut a = hdf5(Hdf5Options::default());
        a.insert("i8", i8::range())?;
        a.insert("u64", u64::range())?;
        a.insert("bools", bools())?;
        a.insert("f32", floats32())?;
        a.insert("f64", special_doubles())?;
        a.insert("c64", complex64s())?;
        a.insert("c128", complex128s())?;
        a.insert("fortran", fortran())?;
        a.insert("cube", cube())?;
        a.insert("small", small_matrix())?;
        a.insert("run", heat_run())?;
        a.save(dir.join("hdf5_package"), SaveOptions::package())?;

        let mut a = hdf5(Hdf5Options::default().gzip(4).chunked(true));
        a.insert("matrix", matrix())?;
        a.insert("i32", i32::range())?;
        a.save(dir.join("hdf5_module.py"), SaveOptions::module())?;

        let mut a = hdf5(Hdf5Options::default().lazy(true));
        a.insert("cube", cube())?;
        a.insert("f64", special_doubles())?;
        a.save(dir.join("hdf5_lazy"), SaveOptions::package())?;
        Ok(())
    }

    fn records(dir: &Path) -> Result {
        let mut a = archive();
        a.insert("point", Point { x: 1.5, y: -2.0 })?;
        a.insert("pair", Pair(7, "seven".to_owned()))?;
        a.insert("marker", Marker)?;
        a.insert(
            "wrapper",
            Wrapper {
                inner: vec![1_u8, 2],
                label: "bytes".to_owned(),
            },
        )?;
        a.insert("shapes", shapes())?;
        a.insert("tree", tree())?;
        a.insert(
            "keywords",
            Keywords {
                r#type: 1,
                r#match: 2,
                r#loop: true,
            },
        )?;
        a.save(dir.join("records"), SaveOptions::package())?;
        Ok(())
    }

    fn attributes(dir: &Path) -> Result {
        let mut a = archive();
        a.insert("renamed", renamed())?;
        a.insert("figures", figures())?;
        a.insert("user_point", UserPoint { x: 3, y: -4 })?;
        a.insert("reexported", ThroughReexport { value: 11 })?;
        a.insert(
            "strict",
            Strict {
                a: 1,
                b: "bee".to_owned(),
            },
        )?;
        a.insert("old_params", old_params())?;
        a.save(dir.join("attributes.py"), SaveOptions::module())?;
        Ok(())
    }
}
