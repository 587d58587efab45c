//! Archives, readers and DataSets across threads: `Archive::new()` and `ArchiveReader` are
//! `Send` (and the reader `Sync`), proven at compile time and by using them from other threads.

use std::rc::Rc;
use std::sync::Arc;

use persist_core::{Archive, ArchiveReader, DataSet, SaveOptions};

/// Compile-time proof: these types cross threads.
const _: fn() = || {
    fn send<T: Send>() {}
    fn sync<T: Sync>() {}
    send::<Archive<'static>>();
    send::<ArchiveReader>();
    sync::<ArchiveReader>();
    send::<DataSet>();
};

#[test]
fn an_archive_built_on_one_thread_is_saved_on_another() {
    let field = ndarray::Array1::from_iter((0..200).map(f64::from));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("arch");
    let mut archive = Archive::new();
    archive.insert("field", &field).unwrap();
    archive.insert("label", "run 1").unwrap();
    let path = &path;
    std::thread::scope(|s| {
        s.spawn(move || archive.save(path, SaveOptions::package()).unwrap())
            .join()
            .unwrap();
    });
    let out = persist_tests::run_python(
        dir.path(),
        "import arch\nprint(arch.field.dtype, arch.field.shape, arch.field[-1], arch.label)",
    );
    assert_eq!(out.trim(), "float64 (200,) 199.0 run 1");
}

#[test]
fn one_reader_serves_several_threads() {
    let values: Vec<Vec<u32>> = (0..4).map(|t| (0..100).map(|i| i * t).collect()).collect();
    let mut archive = Archive::new();
    for (t, v) in values.iter().enumerate() {
        archive.insert(&format!("v{t}"), v).unwrap();
    }
    let reader = ArchiveReader::from_source(&archive.to_python_source().unwrap()).unwrap();
    let read: Vec<Vec<u32>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let reader = &reader;
                s.spawn(move || reader.read::<Vec<u32>>(&format!("v{t}")).unwrap())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(read, values);
}

/// Each read shares within itself; a session shares across its reads; separate reads of the
/// reader (which may run on separate threads) do not.
#[test]
fn sharing_is_per_read_or_per_session() {
    let shared = Rc::new(vec![1, 2, 3]);
    let mut archive = Archive::local();
    archive
        .insert("a", (shared.clone(), shared.clone()))
        .unwrap();
    archive.insert("b", shared.clone()).unwrap();
    let reader = ArchiveReader::from_source(&archive.to_python_source().unwrap()).unwrap();
    let (x, y): (Rc<Vec<i32>>, Rc<Vec<i32>>) = reader.read("a").unwrap();
    assert!(Rc::ptr_eq(&x, &y), "one read keeps what the archive shares");
    let b: Rc<Vec<i32>> = reader.read("b").unwrap();
    assert!(
        !Rc::ptr_eq(&x, &b),
        "separate reads make separate allocations"
    );
    let session = reader.session();
    let (x, _): (Rc<Vec<i32>>, Rc<Vec<i32>>) = session.read("a").unwrap();
    let b: Rc<Vec<i32>> = session.read("b").unwrap();
    assert!(Rc::ptr_eq(&x, &b), "a session keeps it across reads");
    let arc: Arc<Vec<i32>> = session.read("b").unwrap();
    assert_eq!(*arc, *b);
}
