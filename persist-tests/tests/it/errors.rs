//! Bad input and failed saves: each is a clear error that names the item and the path, and a
//! failed save leaves the folder exactly as it was (the previous archive intact, no temporary
//! files).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use ndarray::Array1;
use persist_core::{Archive, ArchiveError, Persist, SaveOptions, WriteErrorKind};
use persist_tests::{file_names, run_python, snapshot};

/// A map key holding a float, hashed by its bits: Rust can hold a NaN key, Python could never
/// look one up.
#[derive(Persist, Clone, Copy)]
struct Key {
    x: f64,
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.x.to_bits() == other.x.to_bits()
    }
}
impl Eq for Key {}
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.x.to_bits().hash(state);
    }
}

/// The two layouts, with the path to save each at inside `dir`.
fn layouts(dir: &Path) -> [(SaveOptions, PathBuf); 2] {
    [
        (SaveOptions::package(), dir.join("arch")),
        (SaveOptions::module(), dir.join("arch.py")),
    ]
}

/// A folder holding a good archive `arch` saved with `options` (with an external array).
fn with_previous_archive(options: SaveOptions, target: &Path) {
    let mut archive = Archive::new().with_array_threshold(2);
    archive
        .insert("old", Array1::from_elem(5, 1.5_f64))
        .unwrap();
    archive.insert("tag", "previous").unwrap();
    archive.save(target, options).unwrap();
}

/// Saving `archive` over a previous archive (of each layout) fails; the folder is byte for byte
/// what it was (so no temporary file is left either). Returns the errors and the targets.
#[track_caller]
pub(crate) fn assert_failed_save_changes_nothing<V: ?Sized + persist_core::Persist>(
    archive: &Archive<'_, V>,
    overwrite: bool,
) -> Vec<(ArchiveError, PathBuf)> {
    let mut errors = Vec::new();
    {
        let dir = tempfile::tempdir().unwrap();
        for (options, target) in layouts(dir.path()) {
            let options = options.overwrite(overwrite);
            let sub = dir.path().join(if target.extension().is_some() {
                "module"
            } else {
                "package"
            });
            std::fs::create_dir(&sub).unwrap();
            let target = sub.join(target.file_name().unwrap());
            with_previous_archive(options, &target);
            let before = snapshot(&sub);
            let err = match archive.save(&target, options) {
                Ok(()) => panic!("saving to {} succeeded", target.display()),
                Err(err) => err,
            };
            let after = snapshot(&sub);
            assert!(
                before == after,
                "a failed save changed the folder ({err}):\nbefore: {:?}\nafter:  {:?}",
                before.keys().collect::<Vec<_>>(),
                after.keys().collect::<Vec<_>>()
            );
            let leftovers: Vec<String> = file_names(&sub)
                .into_iter()
                .filter(|n| n.contains(".persist-"))
                .collect();
            assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
            run_python(
                &sub,
                "import arch\nassert arch.tag == 'previous' and arch.old.tolist() == [1.5] * 5\n",
            );
            errors.push((err, target));
        }
    }
    errors
}

#[test]
fn invalid_item_names_are_refused() {
    for name in [
        "1x",
        "a-b",
        "",
        "a b",
        "e\u{301}",
        "\u{fb01}",
        "\u{2192}",
        "x.y",
        "class",
        "None",
        "True",
        "lambda",
        "_private",
        "__init__",
        "_",
        "__debug__",
        "float",
        "complex",
        "set",
        "a/b",
        "a\\b",
        "../x",
    ] {
        let mut archive = Archive::new();
        archive.insert("ok", 1).unwrap();
        let err = match archive.insert(name, 2) {
            Ok(_) => panic!("the item name {name:?} was accepted"),
            Err(err) => err,
        };
        assert!(
            matches!(&err, ArchiveError::InvalidName { name: n, .. } if n == name),
            "{name:?}: {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains(&format!("{name:?}")),
            "the message does not quote the name: {message}"
        );
        assert_eq!(
            archive.names().collect::<Vec<_>>(),
            ["ok"],
            "a refused name was added"
        );
    }
    // Each refusal says why.
    let reason = |name: &str| Archive::new().insert(name, 1).unwrap_err().to_string();
    assert!(reason("class").contains("keyword"), "{}", reason("class"));
    assert!(
        reason("a/b").contains("path separator"),
        "{}",
        reason("a/b")
    );
    assert!(reason("_x").contains('_'), "{}", reason("_x"));
    assert!(reason("float").contains("builtin"), "{}", reason("float"));
    // Soft keywords and other builtins are fine.
    let mut archive = Archive::new();
    for name in [
        "match",
        "case",
        "type",
        "len",
        "list",
        "print",
        "x1",
        "CamelCase",
    ] {
        archive.insert(name, 1).unwrap();
    }
}

#[test]
fn a_duplicate_item_name_is_refused() {
    let mut archive = Archive::new();
    archive.insert("x", 1).unwrap();
    let err = archive.insert("x", 2).unwrap_err();
    assert!(
        matches!(&err, ArchiveError::DuplicateName { name } if name == "x"),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"x\""), "{err}");
    let dir = tempfile::tempdir().unwrap();
    archive
        .save(dir.path().join("arch"), SaveOptions::package())
        .unwrap();
    run_python(dir.path(), "import arch\nassert arch.x == 1, arch.x\n");
}

/// The `WriteErrorKind` of an item error, with the item's name and the archive path it gives.
#[track_caller]
fn item_error(err: &ArchiveError) -> (&WriteErrorKind, &str, Option<&Path>, String) {
    match err {
        ArchiveError::Item { item, path, source } => {
            (source.kind(), item.as_str(), path.as_deref(), source.path())
        }
        other => panic!("not an item error: {other:?}"),
    }
}

#[test]
fn a_nan_map_key_is_refused() {
    let nan: HashMap<Key, i32> = HashMap::from([(Key { x: 1.0 }, 1), (Key { x: f64::NAN }, 2)]);
    let nan_in_tuple: HashMap<(i32, Key), i32> = HashMap::from([((1, Key { x: f64::NAN }), 1)]);
    for (value, name) in [(&nan as &dyn Persist, "counts"), (&nan_in_tuple, "pairs")] {
        let mut archive = Archive::local();
        archive.insert("fine", 1).unwrap();
        archive.insert(name, value).unwrap();
        for (err, target) in assert_failed_save_changes_nothing(&archive, true) {
            let (kind, item, path, _) = item_error(&err);
            assert!(matches!(kind, WriteErrorKind::NanKey), "{err:?}");
            assert_eq!(item, name);
            assert_eq!(path, Some(target.as_path()), "the error names the archive");
            let message = err.to_string();
            assert!(
                message.contains(&format!("`{name}`")),
                "the message names the item: {message}"
            );
            assert!(
                message.contains(&target.display().to_string()),
                "the message names the archive: {message}"
            );
            assert!(message.contains("NaN"), "{message}");
        }
    }
    // A NaN value (not key) is fine.
    let mut archive = Archive::new();
    archive
        .insert("values", HashMap::from([(1, Key { x: f64::NAN })]))
        .unwrap();
    assert!(archive.to_python_source().is_ok());
}

#[test]
fn an_unhashable_map_key_is_refused() {
    let list_keys: BTreeMap<Vec<i32>, i32> = BTreeMap::from([(vec![1, 2], 1)]);
    let nested: BTreeMap<(i32, Vec<i32>), i32> = BTreeMap::from([((1, vec![2]), 1)]);
    let set_keys: BTreeMap<BTreeSet<i32>, i32> = BTreeMap::from([(BTreeSet::from([1]), 1)]);
    let map_keys: BTreeMap<BTreeMap<i32, i32>, i32> = BTreeMap::from([(BTreeMap::new(), 1)]);
    for (value, what) in [
        (&list_keys as &dyn Persist, "list"),
        (&nested, "list"),
        (&set_keys, "set"),
        (&map_keys, "dict"),
    ] {
        let mut archive = Archive::local();
        archive.insert("table", value).unwrap();
        for (err, _) in assert_failed_save_changes_nothing(&archive, true) {
            let (kind, item, _, _) = item_error(&err);
            assert!(matches!(kind, WriteErrorKind::UnhashableKey(_)), "{err:?}");
            assert_eq!(item, "table");
            let message = err.to_string();
            assert!(
                message.contains("`table`") && message.contains(what),
                "{message}"
            );
        }
    }
}

/// A list reached through an `Rc` is written once and then referenced by name: used again as a
/// dict key, it must still be refused (Python cannot hash a list).
#[test]
fn an_unhashable_key_shared_through_rc_is_refused() {
    let list = std::rc::Rc::new(vec![1, 2]);
    let mut archive = Archive::local();
    archive.insert("first", list.clone()).unwrap();
    archive
        .insert("table", HashMap::from([(list.clone(), 1)]))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    match archive.save(dir.path().join("arch"), SaveOptions::package()) {
        Err(err) => {
            let (kind, item, _, _) = item_error(&err);
            assert!(matches!(kind, WriteErrorKind::UnhashableKey(_)), "{err:?}");
            assert_eq!(item, "table");
        }
        Ok(()) => {
            // Written: then Python must be able to import it.
            run_python(dir.path(), "import arch\nassert arch.first == [1, 2]\n");
            panic!("saved a dict keyed by a shared list");
        }
    }
}

/// Python's set elements must be hashable just as dict keys must: a set of lists is either a
/// clear error when saving, or written so that Python can import it.
#[test]
fn a_set_of_unhashable_elements_is_refused_or_imports() {
    let sets: BTreeSet<Vec<i32>> = BTreeSet::from([vec![1, 2], vec![3]]);
    let mut archive = Archive::new();
    archive.insert("sets", &sets).unwrap();
    let dir = tempfile::tempdir().unwrap();
    match archive.save(dir.path().join("arch"), SaveOptions::package()) {
        Err(err) => {
            let message = err.to_string();
            assert!(message.contains("`sets`"), "{message}");
            assert!(snapshot(dir.path()).is_empty(), "a failed save left files");
        }
        Ok(()) => {
            run_python(
                dir.path(),
                "import arch\nassert len(arch.sets) == 2, arch.sets\n",
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_non_utf8_path_is_refused() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    let bad = PathBuf::from(OsStr::from_bytes(b"data/\xff.npy"));
    let mut archive = Archive::new();
    archive
        .insert("files", vec![PathBuf::from("ok"), bad.clone()])
        .unwrap();
    for (err, target) in assert_failed_save_changes_nothing(&archive, true) {
        let (kind, item, path, inner) = item_error(&err);
        assert!(
            matches!(kind, WriteErrorKind::NonUtf8Path(p) if *p == bad),
            "{err:?}"
        );
        assert_eq!(
            (item, path, inner.as_str()),
            ("files", Some(target.as_path()), "[1]")
        );
        let message = err.to_string();
        assert!(
            message.contains("`files`") && message.contains("UTF-8"),
            "{message}"
        );
    }
}

#[test]
fn errors_give_the_path_inside_the_item() {
    #[derive(Persist)]
    struct Params {
        names: Vec<PathBuf>,
        table: BTreeMap<String, HashMap<Key, u8>>,
    }
    let params = Params {
        names: vec![],
        table: BTreeMap::from([(
            "alpha".to_owned(),
            HashMap::from([(Key { x: f64::NAN }, 1)]),
        )]),
    };
    let mut archive = Archive::new();
    archive.insert("run", (1, vec![&params])).unwrap();
    let err = archive.to_python_source().unwrap_err();
    let (kind, item, path, inner) = item_error(&err);
    assert!(matches!(kind, WriteErrorKind::NanKey));
    assert_eq!((item, path), ("run", None));
    assert!(inner.starts_with("[1][0].table['alpha']"), "{inner}");
    assert!(err.to_string().contains("[1][0].table['alpha']"), "{err}");
}

#[test]
fn an_existing_archive_is_not_replaced_without_overwrite() {
    let mut archive = Archive::new();
    archive.insert("tag", "new").unwrap();
    for (err, target) in assert_failed_save_changes_nothing(&archive, false) {
        assert!(
            matches!(&err, ArchiveError::Exists { path } if *path == target),
            "{err:?}"
        );
        assert!(
            err.to_string().contains(&target.display().to_string()),
            "the error names the archive: {err}"
        );
        assert!(
            err.to_string().contains("overwrite"),
            "the error says how to replace it: {err}"
        );
    }
    // A stale `arch_arrays/` alone also blocks a module archive.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("arch_arrays")).unwrap();
    let err = archive
        .save(dir.path().join("arch.py"), SaveOptions::module())
        .unwrap_err();
    assert!(
        matches!(&err, ArchiveError::Exists { path } if *path == dir.path().join("arch_arrays")),
        "{err:?}"
    );
    assert_eq!(file_names(dir.path()), ["arch_arrays"]);
}

#[test]
fn overwrite_replaces_the_whole_archive() {
    let mut archive = Archive::new();
    archive.insert("tag", "new").unwrap();
    archive.insert("small", Array1::from_elem(2, 3_u8)).unwrap();
    for layout in ["package", "module"] {
        let dir = tempfile::tempdir().unwrap();
        let (options, target) = if layout == "package" {
            (SaveOptions::package(), dir.path().join("arch"))
        } else {
            (SaveOptions::module(), dir.path().join("arch.py"))
        };
        with_previous_archive(options, &target);
        archive.save(&target, options.overwrite(true)).unwrap();
        let expected: Vec<&str> = if layout == "package" {
            vec!["arch/", "arch/__init__.py"]
        } else {
            vec!["arch.py"]
        };
        let tree = snapshot(dir.path());
        assert_eq!(
            tree.keys().map(String::as_str).collect::<Vec<_>>(),
            expected,
            "{layout}: stale files or temporary files"
        );
        run_python(
            dir.path(),
            "import arch\nassert arch.tag == 'new' and arch.small.tolist() == [3, 3]\nassert not hasattr(arch, 'old')\n",
        );
        // And back again: the new archive has external arrays.
        let mut big = Archive::new().with_array_threshold(1);
        big.insert("tag", "newer").unwrap();
        big.insert("arr", Array1::from_elem(3, 2_i8)).unwrap();
        big.save(&target, options.overwrite(true)).unwrap();
        run_python(
            dir.path(),
            "import arch\nassert arch.tag == 'newer' and arch.arr.tolist() == [2, 2, 2]\n",
        );
        assert!(
            file_names(dir.path())
                .iter()
                .all(|n| !n.contains(".persist-")),
            "{:?}",
            file_names(dir.path())
        );
    }
}

#[test]
fn an_archive_name_python_cannot_import_is_refused() {
    let mut archive = Archive::new();
    archive.insert("x", 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, options) in [
        ("my-run", SaveOptions::package()),
        ("my-run.py", SaveOptions::module()),
        ("1run", SaveOptions::package()),
        ("class", SaveOptions::package()),
        ("class.py", SaveOptions::module()),
        ("run 2", SaveOptions::package()),
        ("é", SaveOptions::package()),
    ] {
        let target = dir.path().join(name);
        let err = archive.save(&target, options).unwrap_err();
        let bare = name.trim_end_matches(".py");
        assert!(
            matches!(&err, ArchiveError::InvalidArchiveName { name: n, .. } if n == bare),
            "{name}: {err:?}"
        );
        let message = err.to_string();
        assert!(message.contains(&format!("{bare:?}")), "{message}");
        assert!(
            message.contains(&dir.path().display().to_string()),
            "the message names the path: {message}"
        );
    }
    assert!(snapshot(dir.path()).is_empty(), "a refused save left files");
}

#[test]
fn saving_into_a_missing_folder_is_a_clear_error() {
    let mut archive = Archive::new();
    archive.insert("x", 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    for (options, target) in layouts(&missing) {
        let err = archive.save(&target, options).unwrap_err();
        assert!(matches!(&err, ArchiveError::Io { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains(&missing.display().to_string()),
            "the message names the folder: {message}"
        );
        assert!(
            std::error::Error::source(&err).is_some(),
            "the io error is the source"
        );
    }
    assert!(snapshot(dir.path()).is_empty(), "a refused save left files");
}

#[test]
fn a_failing_item_after_external_arrays_leaves_nothing() {
    let bad: HashMap<Key, i32> = HashMap::from([(Key { x: f64::NAN }, 1)]);
    let mut archive = Archive::new().with_array_threshold(1);
    archive
        .insert(
            "arrays",
            vec![Array1::from_elem(10, 1_u8), Array1::from_elem(10, 2_u8)],
        )
        .unwrap();
    archive.insert("bad", &bad).unwrap();
    for (err, _) in assert_failed_save_changes_nothing(&archive, true) {
        assert_eq!(item_error(&err).1, "bad");
    }
    // Without a previous archive: nothing at all.
    let dir = tempfile::tempdir().unwrap();
    for (options, target) in layouts(dir.path()) {
        assert!(archive.save(&target, options).is_err());
    }
    assert!(
        snapshot(dir.path()).is_empty(),
        "{:?}",
        snapshot(dir.path()).keys().collect::<Vec<_>>()
    );
}

/// Python imports a package `arch/` before a module `arch.py` of the same folder, so a module
/// archive saved beside a package archive of the same name would never be imported: refused.
#[test]
fn a_module_archive_beside_a_package_of_the_same_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    with_previous_archive(SaveOptions::package(), &dir.path().join("arch"));
    let before = snapshot(dir.path());
    let mut archive = Archive::new();
    archive.insert("tag", "new").unwrap();
    let saved = archive.save(dir.path().join("arch.py"), SaveOptions::module());
    let after = snapshot(dir.path());
    let imported = run_python(dir.path(), "import arch\nprint(arch.tag)\n");
    assert!(
        saved.is_err(),
        "saved arch.py beside the package arch/, but `import arch` gives the package: tag = {}",
        imported.trim()
    );
    let message = saved.unwrap_err().to_string();
    assert!(
        message.contains(&dir.path().join("arch").display().to_string()),
        "{message}"
    );
    assert!(before == after, "a refused save changed the folder");
}
