//! DataSet metadata that is a record (the README's `Info(...)`) takes the metadata index like
//! plain values: no item stays pending, the index segments define each class once, `verify`
//! accepts them, and Python's `_info_dict` holds the same dataclass records.

use persist_core::{DataSet, Persist, ReadOptions, verify};
use persist_tests::run_python_with_bytecode;

#[derive(Persist, Debug, PartialEq, Clone)]
struct Info {
    damping: f64,
    worker: String,
}

fn pending(dir: &std::path::Path) -> Vec<String> {
    let mut marks: Vec<String> = std::fs::read_dir(dir.join("_index"))
        .expect("the index")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|f| f.ends_with(".pending"))
        .collect();
    marks.sort();
    marks
}

#[test]
fn record_metadata_is_indexed_and_python_sees_the_same_records() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let path = tmp.path().join("sweep");
    let sweep = DataSet::create(&path).expect("create");
    // Enough inserts for segments to be merged (eight of a size), and one update.
    for i in 0..20u32 {
        let info = Info {
            damping: f64::from(i) / 100.0,
            worker: format!("w{}", i % 3),
        };
        sweep
            .insert(&format!("p{i:02}"), &f64::from(i), &info)
            .expect("insert");
    }
    sweep
        .set_info(
            "p03",
            &Info {
                damping: 9.5,
                worker: "again".into(),
            },
        )
        .expect("set_info");
    assert_eq!(
        pending(&path),
        Vec::<String>::new(),
        "no item left to its file"
    );
    let mut segments = 0;
    for entry in std::fs::read_dir(path.join("_index")).expect("the index") {
        let file = entry.expect("an entry").path();
        if file.extension().is_some_and(|e| e == "py") {
            let text = std::fs::read_to_string(&file).expect("a segment");
            if text.contains("_Info(") {
                segments += 1;
                assert!(text.starts_with("# persist archive, format 5,"), "{text}");
                assert_eq!(text.matches("_Info = _record(").count(), 1, "{text}");
            }
        }
    }
    assert!(segments >= 1, "the records are in the index");
    verify(&path, &ReadOptions::new()).expect("verify");
    assert_eq!(
        sweep.info::<Info>("p03").expect("info"),
        Info {
            damping: 9.5,
            worker: "again".into()
        }
    );
    // Twice, bytecode writing on, as users run it: the second import runs the record
    // segments from the bytecode the first one cached.
    for _ in 0..2 {
        let out = run_python_with_bytecode(
            tmp.path(),
            "import sweep, dataclasses\n\
         d = sweep._info_dict\n\
         assert sorted(d) == ['p%02d' % i for i in range(20)], sorted(d)\n\
         assert type(d['p07']).__name__ == 'Info' and dataclasses.is_dataclass(d['p07'])\n\
         assert (d['p07'].damping, d['p07'].worker) == (0.07, 'w1'), d['p07']\n\
         assert (d['p03'].damping, d['p03'].worker) == (9.5, 'again'), d['p03']\n\
         assert d['p07'] == d['p07'] and d['p07'] != d['p08']\n\
         print('ok')\n",
        );
        assert_eq!(out.trim(), "ok");
    }
    assert!(
        path.join("_index/__pycache__").is_dir(),
        "the segments' bytecode"
    );
}

/// Two Rust types whose records are both `Info`: one segment cannot define both classes under
/// one name, so one item stays pending (read from its own file) and Python still sees both.
#[test]
fn clashing_classes_leave_an_item_pending_and_python_still_right() {
    mod other {
        #[derive(persist_core::Persist)]
        pub struct Info {
            pub label: String,
        }
    }
    let tmp = tempfile::tempdir().expect("temporary folder");
    let path = tmp.path().join("sweep");
    let sweep = DataSet::create(&path).expect("create");
    let info = Info {
        damping: 0.5,
        worker: "w".into(),
    };
    for i in 0..10u32 {
        sweep
            .insert(&format!("a{i}"), &f64::from(i), &info)
            .expect("insert");
    }
    sweep
        .insert(
            "b",
            &1.0f64,
            &other::Info {
                label: "other".into(),
            },
        )
        .expect("insert");
    for i in 0..10u32 {
        sweep
            .insert(&format!("c{i}"), &f64::from(i), &info)
            .expect("insert");
    }
    verify(&path, &ReadOptions::new()).expect("verify");
    let out = run_python_with_bytecode(
        tmp.path(),
        "import sweep\n\
         d = sweep._info_dict\n\
         assert len(d) == 21 and d['b'].label == 'other' and d['a3'].damping == 0.5, d\n\
         assert d['c9'].worker == 'w'\n\
         print('ok')\n",
    );
    assert_eq!(out.trim(), "ok");
}
