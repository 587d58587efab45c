//! Round trips of shared values: an `Rc` or `Arc` shared within and across items comes back as
//! one allocation, also inside collections.

use std::fmt::Debug;
use std::rc::Rc;
use std::sync::Arc;

use persist_core::{Archive, ArchiveReader, Persist, SaveOptions};

use super::read_back;

#[derive(Persist, Debug, PartialEq)]
struct Twice {
    first: Rc<Vec<i32>>,
    second: Rc<Vec<i32>>,
    label: Arc<str>,
    again: Arc<str>,
}

/// A value shared twice in one item, and across two items, comes back as one allocation per
/// pointer type when read through one `ArchiveReader`, whichever item is inserted (and read)
/// first.
#[test]
fn shared_values_come_back_shared() {
    let list = Rc::new(vec![1, 2, 3]);
    let label: Arc<str> = Arc::from("shared label");
    let twice = Twice {
        first: Rc::clone(&list),
        second: Rc::clone(&list),
        label: Arc::clone(&label),
        again: Arc::clone(&label),
    };
    for twice_first in [true, false] {
        let order = if twice_first {
            ["twice", "list"]
        } else {
            ["list", "twice"]
        };
        let mut archive = Archive::local();
        for name in order {
            let result = match name {
                "twice" => archive.insert("twice", &twice),
                _ => archive.insert("list", &list),
            };
            if let Err(err) = result {
                panic!("insert failed: {err}");
            }
        }
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("arch");
        archive
            .save(&path, SaveOptions::package())
            .unwrap_or_else(|e| panic!("save failed: {e}"));
        let source = archive.to_python_source().expect("source");
        for reader in [
            ArchiveReader::open(&path).expect("open"),
            ArchiveReader::from_source(&source).expect("parse"),
        ] {
            // Read in both orders too: the first read makes the allocation, the second finds it
            // (reads of one session share what the archive shares).
            let session = reader.session();
            let (back, alone): (Twice, Rc<Vec<i32>>) = if twice_first {
                let back = session.read("twice").expect("read twice");
                (back, session.read("list").expect("read list"))
            } else {
                let alone = session.read("list").expect("read list");
                (session.read("twice").expect("read twice"), alone)
            };
            assert_eq!(back, twice, "{source}");
            assert!(Rc::ptr_eq(&back.first, &back.second), "{source}");
            assert!(Arc::ptr_eq(&back.label, &back.again), "{source}");
            assert!(Rc::ptr_eq(&back.first, &alone), "{source}");
            // The same value read as another pointer type is a separate allocation.
            let as_arc: Arc<Vec<i32>> = session.read("list").expect("read list as Arc");
            assert_eq!(*as_arc, *list);
            // Readers do not share allocations with each other, nor with what was written.
            assert!(!Rc::ptr_eq(&alone, &list));
        }
    }
}

#[test]
fn shared_values_inside_collections() {
    let leaf = Rc::new(String::from("leaf"));
    let value: Vec<Rc<String>> = vec![Rc::clone(&leaf), Rc::clone(&leaf), Rc::new("own".into())];
    for (way, back) in read_back::<Vec<Rc<String>>, _>(&value, 100) {
        assert_eq!(back, value, "{way}");
        assert!(Rc::ptr_eq(&back[0], &back[1]), "{way}");
        assert!(!Rc::ptr_eq(&back[0], &back[2]), "{way}");
    }
}
