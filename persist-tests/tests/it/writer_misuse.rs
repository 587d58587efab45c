//! Hand-written `Persist` impls that call the `Writer`'s container methods out of order: each
//! misuse is a `WriteError` naming the method (and the item path where known), never a panic,
//! and a save that meets one leaves the previous archive exactly as it was.

use persist_core::{
    Archive, ArchiveError, Container, Persist, Record, RecordKind, WriteError, WriteErrorKind,
    Writer,
};

use crate::errors::assert_failed_save_changes_nothing;

/// A value whose `to_python_source` is the given function: one misuse each.
struct Misuse(fn(&mut Writer) -> Result<(), WriteError>);

impl Persist for Misuse {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (self.0)(out)
    }
}

/// A record with one named field, `x`.
static POINT: Record = Record::new(
    "it::writer_misuse::Point",
    "Point",
    RecordKind::Named(&["x"]),
);

/// A well-behaved record holding a value of its own in its field `inner`.
struct Holder<T>(T);

static HOLDER: Record = Record::new(
    "it::writer_misuse::Holder",
    "Holder",
    RecordKind::Named(&["inner"]),
);

impl<T: Persist> Persist for Holder<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.begin_record(&HOLDER)?;
        out.field("inner", &self.0)?;
        out.end_record()
    }
}

/// Saving an archive holding `good` and then `value` (as the item `bad`) fails with a misuse
/// error over each layout, leaving the previous archive untouched; the error names `bad`, has
/// the item path `path` and its message contains `words`.
#[track_caller]
fn assert_misuse(value: impl Persist, path: &str, words: &str) {
    let mut archive = Archive::local();
    archive.insert("good", vec![1, 2, 3]).unwrap();
    archive.insert("bad", value).unwrap();
    for (err, target) in assert_failed_save_changes_nothing(&archive, true) {
        let message = err.to_string();
        let ArchiveError::Item { item, source, .. } = &err else {
            panic!("not an item error: {err:?}");
        };
        assert_eq!(item, "bad", "{message}");
        assert!(
            matches!(source.kind(), WriteErrorKind::Misuse(m) if m.contains(words)),
            "{message}"
        );
        assert_eq!(source.path(), path, "{message}");
        assert!(
            message.contains("misuses the Writer")
                && message.contains(&target.display().to_string()),
            "{message}"
        );
    }
    // The same error in memory, without a panic.
    let err = archive.to_python_source().unwrap_err();
    assert!(err.to_string().contains(words), "{err}");
}

#[test]
fn end_without_begin_is_an_error() {
    assert_misuse(
        Misuse(|w| {
            w.write_int(1);
            w.end()
        }),
        "",
        "`Writer::end` was called with no container of its own open",
    );
}

#[test]
fn end_record_without_begin_record_is_an_error() {
    assert_misuse(
        Misuse(|w| w.end_record()),
        "",
        "`Writer::end_record` was called with no container of its own open",
    );
}

#[test]
fn end_may_not_close_the_container_of_an_outer_value() {
    // The record `Holder` is open while its field is written; the field's impl did not open it.
    assert_misuse(
        Holder(Misuse(|w| {
            w.write_int(1);
            w.end_record()
        })),
        ".inner",
        "`Writer::end_record` was called with no container of its own open",
    );
    assert_misuse(
        vec![Misuse(|w| w.end())],
        "[0]",
        "`Writer::end` was called with no container of its own open",
    );
}

#[test]
fn element_outside_a_container_is_an_error() {
    assert_misuse(
        Misuse(|w| w.element(&1)),
        "",
        "`Writer::element` was called with no container of its own open",
    );
    // Inside a list of someone else's, too: the element would land in the outer list.
    assert_misuse(
        vec![Misuse(|w| w.element(&1))],
        "[0]",
        "`Writer::element` was called with no container of its own open",
    );
}

#[test]
fn element_in_a_dict_is_an_error() {
    assert_misuse(
        Misuse(|w| {
            w.begin(Container::Dict)?;
            w.element(&1)?;
            w.end()
        }),
        "",
        "`Writer::element` was called inside a dict; open a list",
    );
}

#[test]
fn entry_outside_a_dict_is_an_error() {
    assert_misuse(
        Misuse(|w| {
            w.begin(Container::List)?;
            w.entry(&1, &2)?;
            w.end()
        }),
        "",
        "`Writer::entry` was called inside a list; open a dict",
    );
    assert_misuse(
        Misuse(|w| w.entry(&1, &2)),
        "",
        "`Writer::entry` was called with no container of its own open",
    );
}

#[test]
fn field_outside_a_record_is_an_error() {
    assert_misuse(
        Misuse(|w| {
            w.begin(Container::List)?;
            w.field("x", &1)?;
            w.end()
        }),
        "",
        "`Writer::field` was called inside a list; open a record with `begin_record` first",
    );
    assert_misuse(
        Holder(Misuse(|w| w.field("x", &1))),
        ".inner",
        "`Writer::field` was called with no container of its own open",
    );
}

#[test]
fn end_record_on_a_list_is_an_error() {
    assert_misuse(
        Misuse(|w| {
            w.begin(Container::List)?;
            w.element(&1)?;
            w.end_record()
        }),
        "",
        "`Writer::end_record` was called on a list; close it with `end`",
    );
}

#[test]
fn end_on_a_record_is_an_error() {
    assert_misuse(
        Misuse(|w| {
            w.begin_record(&POINT)?;
            w.field("x", &1)?;
            w.end()
        }),
        "",
        "`Writer::end` was called on a record; close it with `end_record`",
    );
}

#[test]
fn returning_with_a_container_open_is_an_error() {
    assert_misuse(
        Misuse(|w| {
            w.begin(Container::List)?;
            w.element(&1)
        }),
        "",
        "`to_python_source` returned with a list still open",
    );
    // Inside a record, the error names the field.
    assert_misuse(
        Holder(Misuse(|w| {
            w.begin_record(&POINT)?;
            w.field("x", &1)
        })),
        ".inner",
        "`to_python_source` returned with a record still open; close every container it opens (with `end_record`)",
    );
    // Inside a dict's value and a tuple's element.
    assert_misuse(
        std::collections::BTreeMap::from([(
            "k",
            (
                0,
                Misuse(|w| {
                    w.begin(Container::Set)?;
                    Ok(())
                }),
            ),
        )]),
        "['k'][1]",
        "returned with a set still open",
    );
}

#[test]
fn a_writer_used_directly_reports_misuse_too() {
    let mut w = Writer::inline();
    let err = Misuse(|w| w.end()).to_python_source(&mut w);
    // Called directly (not as a child), the impl's calls are checked the same way.
    assert!(
        matches!(
            err.as_ref().map_err(WriteError::kind),
            Err(WriteErrorKind::Misuse(_))
        ),
        "{err:?}"
    );
    let w = Writer::inline();
    let err = w
        .sort_key(&Misuse(|w| w.begin(Container::Tuple)))
        .unwrap_err();
    assert!(
        err.to_string().contains("returned with a tuple still open"),
        "{err}"
    );
}
