//! Wrappers of one value (`Cell`, `RefCell`, `Mutex`, `RwLock`, `Wrapping`, `Reverse`) and
//! `PhantomData`, through Python and back; `Result` as records of class `Ok` or `Err`.

use std::collections::BTreeSet;
use std::rc::Rc;

use persist_core::Archive;
use persist_tests::save_package;

/// `Cell`, `RefCell`, `Mutex`, `RwLock`, `Wrapping` and `Reverse` are their inner value in
/// Python and read back into the same wrapper; `PhantomData` is `None`. A `RefCell` borrowed
/// mutably while it is written and a poisoned `Mutex` are errors naming the item.
#[test]
fn cells_locks_and_wrappers_are_the_inner_value() {
    use std::cell::{Cell, RefCell};
    use std::cmp::Reverse;
    use std::marker::PhantomData;
    use std::num::Wrapping;
    use std::sync::{Mutex, RwLock};

    #[derive(persist_core::Persist)]
    struct State {
        count: Cell<u32>,
        log: RefCell<Vec<String>>,
        total: Mutex<f64>,
        names: RwLock<BTreeSet<String>>,
        wrapped: Wrapping<u8>,
        rank: Reverse<i32>,
        marker: PhantomData<fn() -> Rc<u8>>,
    }
    let state = State {
        count: Cell::new(3),
        log: RefCell::new(vec!["start".into(), "stop".into()]),
        total: Mutex::new(2.5),
        names: RwLock::new(BTreeSet::from(["a".to_owned(), "b".to_owned()])),
        wrapped: Wrapping(250),
        rank: Reverse(-4),
        marker: PhantomData,
    };
    let mut archive = Archive::local(); // Cell and RefCell are not Sync
    archive.insert("state", &state).unwrap();
    let saved = save_package(&archive);
    saved.check(
        "s = a.state\n\
         assert (s.count, s.log, s.total, s.names) == (3, ['start', 'stop'], 2.5, {'a', 'b'}), s\n\
         assert (s.wrapped, s.rank, s.marker) == (250, -4, None), s\n\
         assert type(s.count) is int and type(s.total) is float and type(s.names) is set\n",
    );
    let back: State = persist_core::load(saved.dir.path().join("arch"), "state").unwrap();
    assert_eq!(back.count.get(), 3);
    assert_eq!(*back.log.borrow(), ["start", "stop"]);
    assert_eq!(*back.total.lock().unwrap(), 2.5);
    assert_eq!(back.names.read().unwrap().len(), 2);
    assert_eq!((back.wrapped, back.rank), (Wrapping(250), Reverse(-4)));
    // PhantomData reads only from None.
    assert!(persist_core::from_str::<PhantomData<u8>>("x = 1\n", "x").is_err());

    let cell = RefCell::new(vec![1]);
    let _borrowed = cell.borrow_mut();
    let mut archive = Archive::local();
    archive.insert("cell", &cell).unwrap();
    let err = archive.to_python_source().unwrap_err().to_string();
    assert!(
        err.contains("`cell`") && err.contains("mutably borrowed"),
        "{err}"
    );

    let poisoned = std::sync::Arc::new(Mutex::new(1));
    let inner = poisoned.clone();
    let _ = std::thread::spawn(move || {
        let _guard = inner.lock().unwrap();
        panic!("poison the mutex (this panic is expected)");
    })
    .join();
    let mut archive = Archive::new();
    archive.insert("m", &*poisoned).unwrap();
    let err = archive.to_python_source().unwrap_err().to_string();
    assert!(err.contains("`m`") && err.contains("poisoned"), "{err}");
}

#[test]
fn results_are_records_of_class_ok_or_err() {
    let runs: Vec<Result<u32, String>> = vec![Ok(5), Err("no data".into()), Ok(0)];
    let mut archive = Archive::new();
    archive.insert("runs", runs.clone()).unwrap();
    let saved = save_package(&archive);
    assert!(
        saved.source().contains("_Result_Ok(5)")
            && saved.source().contains("_Result_Err('no data')"),
        "{}",
        saved.source()
    );
    let out = saved.check(
        "r = a.runs\nassert [type(x).__name__ for x in r] == ['Ok', 'Err', 'Ok'], r\nassert (r[0][0], r[1][0]) == (5, 'no data')\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let reader = persist_core::ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    let back: Vec<Result<u32, String>> = reader.read("runs").unwrap();
    assert_eq!(back, runs);
    // The wrong payload type and a class of no variant are errors naming the path.
    let err = reader
        .read::<Vec<Result<String, String>>>("runs")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`[0][0]`") && err.contains("expected a str"),
        "{err}"
    );
    let err = persist_core::from_str::<Result<u32, u32>>("x = (1,)\n", "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("record"), "{err}");
}
