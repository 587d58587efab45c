//! Schema evolution by hand edits: a field renamed in the file (read through its alias) or in
//! the code, deleted fields filled by their defaults, unknown fields ignored unless denied.

use std::fmt::Debug;

use persist_core::{Archive, Persist};
use persist_tests::{Saved, save_package};

use super::{Params, edit, init, params, position_of, read, read_error, write_source};

/// The same struct after the code renamed `alpha` (old archives still read).
#[derive(Persist, Debug, PartialEq)]
#[persist(rename = "Params")]
struct ParamsRenamed {
    #[persist(alias = "alpha", alias = "rate")]
    learning_rate: f64,
    steps: u32,
    label: String,
}

/// `alpha` read under a name a person gave it in the file.
#[derive(Persist, Debug, PartialEq)]
#[persist(alias = "Params")]
struct ParamsAliased {
    #[persist(alias = "rate")]
    alpha: f64,
    steps: u32,
    label: String,
}

fn default_steps() -> u32 {
    7
}

mod defaults {
    pub fn label() -> String {
        "unnamed".into()
    }
}

#[derive(Persist, Debug, PartialEq)]
#[persist(alias = "Params")]
struct ParamsWithDefaults {
    alpha: f64,
    #[persist(default = "default_steps")]
    steps: u32,
    #[persist(default = "defaults::label")]
    label: String,
    #[persist(default)]
    extra: Option<Vec<u8>>,
    #[persist(default)]
    count: u64,
}

#[derive(Persist, Debug, PartialEq)]
#[persist(deny_unknown_fields, alias = "Params")]
struct StrictParams {
    alpha: f64,
    #[persist(alias = "n")]
    steps: u32,
    label: String,
}

/// A package archive holding `p` (a `Params`) and `others` (two more, in a list).
fn save_params() -> Saved {
    let mut archive = Archive::new();
    archive.insert("p", params()).expect("insert");
    archive
        .insert(
            "others",
            vec![
                Params {
                    alpha: 1.0,
                    steps: 1,
                    label: "a".into(),
                },
                Params {
                    alpha: 2.0,
                    steps: 2,
                    label: "b".into(),
                },
            ],
        )
        .expect("insert");
    save_package(&archive)
}

#[test]
fn a_field_renamed_in_the_file_reads_through_its_alias() {
    let saved = save_params();
    let source = saved.source();
    let renamed = source.replace("alpha=", "rate=");
    assert_eq!(renamed.matches("rate=").count(), 3, "{renamed}");
    write_source(&saved, &renamed);
    assert_eq!(
        read::<ParamsAliased>(&saved, "p"),
        ParamsAliased {
            alpha: 0.5,
            steps: 3,
            label: "first".into()
        }
    );
    let others: Vec<ParamsAliased> = read(&saved, "others");
    assert_eq!(
        others.iter().map(|p| p.alpha).collect::<Vec<_>>(),
        [1.0, 2.0]
    );
    // Without the alias the field is missing.
    let err = read_error::<Params>(&saved, "p");
    assert!(
        err.to_string().contains(
            "missing field `alpha` of `Params`; the archive also has `rate`, which no field reads"
        ),
        "{err}"
    );
    // Python sees the new name.
    saved.check("assert a.p.rate == 0.5 and not hasattr(a.p, 'alpha')");
}

#[test]
fn a_field_renamed_in_the_code_reads_old_archives() {
    let saved = save_params();
    let renamed: ParamsRenamed = read(&saved, "p");
    assert_eq!(
        renamed,
        ParamsRenamed {
            learning_rate: 0.5,
            steps: 3,
            label: "first".into()
        }
    );
    // Each alias works, and positional arguments are matched through the class's field names.
    let source = saved.source();
    write_source(&saved, &source.replace("alpha=", "rate="));
    assert_eq!(read::<ParamsRenamed>(&saved, "p").learning_rate, 0.5);
    write_source(
        &saved,
        &edit(
            &source,
            "p = _Params(alpha=0.5, steps=3, label='first')",
            "p = _Params(0.5, 3, 'first')",
        ),
    );
    assert_eq!(read::<ParamsRenamed>(&saved, "p"), renamed);
}

#[test]
fn deleted_fields_are_filled_by_their_defaults() {
    let saved = save_params();
    let source = saved.source();
    let deleted = edit(&source, ", steps=3, label='first'", "");
    write_source(&saved, &deleted);
    assert_eq!(
        read::<ParamsWithDefaults>(&saved, "p"),
        ParamsWithDefaults {
            alpha: 0.5,
            steps: 7,
            label: "unnamed".into(),
            extra: None,
            count: 0
        }
    );
    // Present fields win over defaults.
    let others: Vec<ParamsWithDefaults> = read(&saved, "others");
    assert_eq!(
        others
            .iter()
            .map(|p| (p.steps, p.label.as_str()))
            .collect::<Vec<_>>(),
        [(1, "a"), (2, "b")]
    );
    let added = edit(&source, "steps=3,", "steps=3, extra=[1, 2], count=9,");
    write_source(&saved, &added);
    let back: ParamsWithDefaults = read(&saved, "p");
    assert_eq!((back.extra, back.count), (Some(vec![1, 2]), 9));
    // A deleted field without a default is an error that names it, at the record.
    write_source(&saved, &deleted);
    let err = read_error::<Params>(&saved, "p");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:{}: item `p`: missing field `steps` of `Params`; add it to the archive, or give the Rust field #[persist(default)]",
            init(&saved).display(),
            position_of(&deleted, "_Params(alpha=0.5)")
        )
    );
    // Inside a list, the error says where.
    let deleted_inner = edit(&source, "alpha=2.0, steps=2, ", "alpha=2.0, ");
    write_source(&saved, &deleted_inner);
    let err = read_error::<Vec<Params>>(&saved, "others");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:{}: item `others`, at `[1]`: missing field `steps` of `Params`; add it to the archive, or give the Rust field #[persist(default)]",
            init(&saved).display(),
            position_of(&deleted_inner, "_Params(alpha=2.0")
        )
    );
}

#[test]
fn unknown_fields_are_ignored_unless_denied() {
    let saved = save_params();
    let source = saved.source();
    let added = edit(&source, "steps=3, ", "steps=3, comment='tuned by hand', ");
    write_source(&saved, &added);
    assert_eq!(read::<Params>(&saved, "p"), params());
    let err = read_error::<StrictParams>(&saved, "p");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:{}: item `p`: unknown field `comment` of `Params`; expected one of alpha, steps, label",
            init(&saved).display(),
            position_of(&added, "comment=")
        )
    );
    // An alias is no unknown field.
    write_source(&saved, &edit(&source, "steps=3", "n=3"));
    assert_eq!(read::<StrictParams>(&saved, "p").steps, 3);
    // Python keeps the added field as an attribute.
    write_source(&saved, &added);
    saved.check("assert a.p.comment == 'tuned by hand' and a.p.steps == 3");
}
