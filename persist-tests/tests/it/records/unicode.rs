//! Names beyond ASCII (PEP 3131): fields, items and types named `größe`, `données`, `Mesure` go
//! to Python as written (they are in the NFKC form Python normalises names to) and read back in
//! Rust; a name Python would read as another (`ﬁeld`, whose ligature Python reads as `fi`) is
//! refused when writing and when reading; archive, DataSet and DataSet item names, which become
//! file names, stay ASCII.

use persist_core::{Archive, ArchiveReader, DataSet, Persist, SaveOptions};
use persist_tests::save_package;

#[derive(Persist, Debug, PartialEq, Clone)]
struct Maß {
    größe: f64,
    température: Vec<f64>,
    名前: String,
}

fn maß() -> Maß {
    Maß {
        größe: 1.5,
        température: vec![20.5, 21.0],
        名前: "温度計".into(),
    }
}

#[test]
fn non_ascii_names_reach_python_as_written_and_read_back() {
    let mut archive = Archive::new();
    archive.insert("données", maß()).unwrap();
    archive.insert("λ", 0.5_f64).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.contains("données = _Maß(größe=1.5, température=[20.5, 21.0], 名前='温度計')"),
        "{source}"
    );
    let out = saved.check(
        "import dataclasses, pickle, unicodedata\n\
         d = a.données\n\
         assert d.größe == 1.5 and d.température == [20.5, 21.0] and d.名前 == '温度計', d\n\
         assert type(d).__name__ == 'Maß' and type(d) is a.Maß\n\
         assert [f.name for f in dataclasses.fields(d)] == ['größe', 'température', '名前']\n\
         assert pickle.loads(pickle.dumps(d)) == d and a.λ == 0.5\n\
         assert dir(a) == sorted(['données', 'λ']), dir(a)\n\
         assert all(unicodedata.normalize('NFKC', n) == n for n in dir(a))\n\
         print(repr(d))\n",
    );
    assert_eq!(
        out.trim(),
        "Maß(größe=1.5, température=[20.5, 21.0], 名前='温度計')"
    );
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    assert_eq!(reader.read::<Maß>("données").unwrap(), maß());
    assert_eq!(reader.read::<f64>("λ").unwrap(), 0.5);
}

#[test]
fn a_name_python_would_read_as_another_is_refused() {
    let mut archive = Archive::new();
    let err = archive.insert("\u{fb01}eld", 1).unwrap_err().to_string();
    assert!(err.contains("NFKC"), "{err}");
    // A hand edit binding `_ｒecord` (fullwidth r), which Python would bind as `_record`.
    let err = ArchiveReader::from_source("_\u{ff52}ecord = 1\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 1, column 1: the name `_\u{ff52}ecord` is not in the NFKC form")
            && err.contains("Python would read it as `_record`"),
        "{err}"
    );
    let err = ArchiveReader::from_source("x = \u{fb01}\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("Python would read it as `fi`"), "{err}");
    // A name of letters Python has, in NFKC form, reads.
    let reader = ArchiveReader::from_source("ünicøde = [1]\nx = ünicøde\n").unwrap();
    assert_eq!(reader.read::<Vec<i32>>("x").unwrap(), [1]);
}

#[test]
fn archive_dataset_and_item_names_stay_ascii() {
    let tmp = tempfile::tempdir().unwrap();
    let mut archive = Archive::new();
    archive.insert("x", 1).unwrap();
    let err = archive
        .save(tmp.path().join("données"), SaveOptions::package())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is not ASCII") && err.contains("file names"),
        "{err}"
    );
    let err = DataSet::create(tmp.path().join("expériences"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not ASCII"), "{err}");
    let ds = DataSet::create(tmp.path().join("runs")).unwrap();
    let err = ds.insert("mesure_é", &1, &()).unwrap_err().to_string();
    assert!(err.contains("is not ASCII"), "{err}");
}
