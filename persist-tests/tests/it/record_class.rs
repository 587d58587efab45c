//! Records are read as the types that wrote them: a struct reads only records of its own Python
//! name (or of the names it lists with `#[persist(alias = "OldName")]`), an enum only records of
//! its own variants; `ReadOptions::structural_records(true)` reads by fields alone. And schema
//! errors lead to the fix: a missing field names the archive's fields nothing read, with the
//! likely old name; an unknown field names the nearest known one.

use persist_core::{
    Archive, ArchiveReader, LoadError, Persist, ReadErrorKind, ReadOptions, SaveOptions,
};

#[derive(Persist, Debug, PartialEq)]
struct Params {
    temperature: f64,
    steps: u32,
}

const PARAMS: Params = Params {
    temperature: 300.0,
    steps: 10,
};

fn params_source() -> String {
    let mut archive = Archive::new();
    archive.insert("params", PARAMS).expect("insert");
    archive.to_python_source().expect("render")
}

/// The read error's kind, from a `LoadError::Item`.
#[track_caller]
fn kind_of(err: &LoadError) -> &ReadErrorKind {
    match err {
        LoadError::Item { source, .. } => source.kind(),
        other => panic!("not an item error: {other}"),
    }
}

#[test]
fn a_record_of_another_struct_is_refused_naming_both_classes() {
    #[derive(Persist, Debug)]
    struct Budget {
        #[allow(dead_code)]
        steps: u32,
    }
    let reader = ArchiveReader::from_source(&params_source()).expect("open");
    let err = reader.read::<Budget>("params").unwrap_err();
    match kind_of(&err) {
        ReadErrorKind::WrongRecord { expected, found } => {
            assert_eq!((expected.as_str(), found.as_str()), ("Budget", "Params"));
        }
        other => panic!("{other}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("expected a record `Budget`, found a record `Params`"),
        "{text}"
    );
    assert!(text.contains("#[persist(alias = \"Params\")]"), "{text}");
    assert!(
        text.contains("ReadOptions::structural_records(true)"),
        "{text}"
    );
}

#[test]
fn a_struct_record_is_no_variant_of_an_enum_with_its_name() {
    #[derive(Persist, Debug)]
    #[allow(dead_code)]
    enum Mode {
        Params { temperature: f64 },
        Other,
    }
    let reader = ArchiveReader::from_source(&params_source()).expect("open");
    let err = reader.read::<Mode>("params").unwrap_err();
    assert!(
        matches!(kind_of(&err), ReadErrorKind::WrongRecord { expected, found }
            if expected == "a variant of Mode" && found == "Params"),
        "{err}"
    );
}

#[test]
fn a_variant_of_another_enum_is_refused() {
    #[derive(Persist)]
    #[allow(dead_code)]
    enum Figure {
        Disc(f64),
    }
    #[derive(Persist, Debug)]
    #[allow(dead_code)]
    enum Shape {
        Disc(f64),
    }
    let mut archive = Archive::new();
    archive.insert("f", Figure::Disc(1.0)).expect("insert");
    let reader =
        ArchiveReader::from_source(&archive.to_python_source().expect("render")).expect("open");
    let err = reader.read::<Shape>("f").unwrap_err();
    assert!(
        matches!(kind_of(&err), ReadErrorKind::WrongRecord { found, .. } if found == "Figure.Disc"),
        "{err}"
    );
}

/// A renamed type lists its old name; an enum's alias covers its variants. Files on disk too.
#[test]
fn renamed_types_read_their_old_records_through_an_alias() {
    #[derive(Persist, Debug, PartialEq)]
    #[persist(alias = "Params")]
    struct Settings {
        temperature: f64,
        steps: u32,
    }
    #[derive(Persist)]
    #[allow(dead_code)]
    enum Figure {
        Disc(f64),
    }
    #[derive(Persist, Debug, PartialEq)]
    #[persist(alias = "Figure", alias = "Form")]
    enum Shape {
        Disc(f64),
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut archive = Archive::new();
    archive.insert("params", PARAMS).expect("insert");
    archive.insert("figure", Figure::Disc(2.0)).expect("insert");
    let path = dir.path().join("run.py");
    archive.save(&path, SaveOptions::module()).expect("save");
    let reader = ArchiveReader::open(&path).expect("open");
    assert_eq!(
        reader.read::<Settings>("params").expect("read"),
        Settings {
            temperature: 300.0,
            steps: 10
        }
    );
    assert_eq!(
        reader.read::<Shape>("figure").expect("read"),
        Shape::Disc(2.0)
    );
    // The type's own name still reads.
    assert_eq!(reader.read::<Params>("params").expect("read").steps, 10);
}

#[test]
fn structural_reading_is_a_switch() {
    #[derive(Persist, Debug)]
    struct Budget {
        steps: u32,
    }
    #[derive(Persist, Debug, PartialEq)]
    enum Mode {
        Params { temperature: f64, steps: u32 },
    }
    let options = ReadOptions::new().structural_records(true);
    let reader = ArchiveReader::from_source_with(&params_source(), &options).expect("open");
    assert_eq!(reader.read::<Budget>("params").expect("read").steps, 10);
    assert_eq!(
        reader.read::<Mode>("params").expect("read"),
        Mode::Params {
            temperature: 300.0,
            steps: 10
        }
    );
}

/// Record tables are records too: their rows are checked the same way.
#[test]
fn a_record_table_of_another_struct_is_refused() {
    #[derive(Persist, Debug, PartialEq)]
    struct Hit {
        x: f64,
    }
    #[derive(Persist, Debug)]
    struct Miss {
        #[allow(dead_code)]
        x: f64,
    }
    let hits: Vec<Hit> = (0..200).map(|i| Hit { x: f64::from(i) }).collect();
    let mut archive = Archive::new();
    archive.insert("hits", &hits).expect("insert");
    let source = archive.to_python_source().expect("render");
    assert!(source.contains("_table("), "a record table");
    let reader = ArchiveReader::from_source(&source).expect("open");
    assert_eq!(reader.read::<Vec<Hit>>("hits").expect("read"), hits);
    let err = reader.read::<Vec<Miss>>("hits").unwrap_err();
    assert!(
        matches!(kind_of(&err), ReadErrorKind::WrongRecord { found, .. } if found == "Hit"),
        "{err}"
    );
}

/// A field renamed in Rust: the error names the archive's old name and suggests the alias, and
/// following the suggestion reads the value (where `default` would have dropped it).
#[test]
fn a_renamed_field_gets_the_alias_suggested() {
    #[derive(Persist, Debug)]
    #[persist(rename = "Params")]
    struct Renamed {
        #[allow(dead_code)]
        temp_k: f64,
        #[allow(dead_code)]
        steps: u32,
    }
    let reader = ArchiveReader::from_source(&params_source()).expect("open");
    let err = reader.read::<Renamed>("params").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("missing field `temp_k` of `Params`; the archive also has `temperature`"),
        "{text}"
    );
    assert!(text.contains("#[persist(alias = \"...\")]"), "{text}");
    // `steps`, which a later field reads, is not offered.
    assert!(!text.contains("`steps`"), "{text}");

    #[derive(Persist, Debug)]
    #[persist(rename = "Params")]
    struct Close {
        #[allow(dead_code)]
        temperatures: f64,
        #[allow(dead_code)]
        steps: u32,
    }
    let err = reader.read::<Close>("params").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("the archive has `temperature`, which no field reads: if `temperatures` was renamed from it, add #[persist(alias = \"temperature\")]"),
        "{text}"
    );
    #[derive(Persist, Debug)]
    #[persist(rename = "Params")]
    struct Fixed {
        #[persist(alias = "temperature")]
        temperatures: f64,
    }
    assert_eq!(
        reader.read::<Fixed>("params").expect("read").temperatures,
        300.0
    );
}

/// A field misspelled in a hand-edited archive is named, both as the missing field's likely
/// cause and, under `deny_unknown_fields`, with the field it likely means.
#[test]
fn a_misspelled_field_in_the_archive_is_named() {
    let source = params_source().replace("steps=10", "stpes=10");
    assert!(source.contains("stpes=10"), "{source}");
    let reader = ArchiveReader::from_source(&source).expect("open");
    let err = reader.read::<Params>("params").unwrap_err();
    assert!(
        err.to_string().contains(
            "missing field `steps` of `Params`; the archive has `stpes`, which no field reads"
        ),
        "{err}"
    );
    #[derive(Persist, Debug)]
    #[persist(rename = "Params", deny_unknown_fields)]
    struct Strict {
        #[allow(dead_code)]
        temperature: f64,
        #[persist(default)]
        #[allow(dead_code)]
        steps: u32,
    }
    let err = reader.read::<Strict>("params").unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown field `stpes` of `Params` (did you mean `steps`?)"),
        "{err}"
    );
}
