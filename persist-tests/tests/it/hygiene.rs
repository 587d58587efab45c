//! The derive's expansion does not depend on the names in scope where it is used: it derives in a
//! module that shadows the prelude, the runtime crate and the expansion's own names, under
//! `deny(warnings)`, and the values it writes there read back.

#[deny(warnings)]
mod shadowed {
    #![allow(dead_code, non_camel_case_types, non_upper_case_globals, unused_macros)]

    // The prelude's names, in the type and the value namespaces. Those that stand in skipped
    // fields have a default, which reading fills them with.
    #[derive(::core::default::Default, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub struct Result;
    pub struct Ok;
    pub struct Err;
    pub type Option = ();
    pub struct Some;
    pub const None: () = ();
    #[derive(::core::default::Default, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub struct Vec;
    #[derive(::core::default::Default, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub struct Box;
    #[derive(::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub struct String;
    pub trait Default {}
    pub trait From {}
    pub trait Into {}

    // The runtime crate's name and what it exports.
    pub mod persist_core {}
    pub struct Persist;
    #[derive(::core::default::Default)]
    pub struct Writer;
    pub struct WriteError;
    pub struct Record;
    pub struct RecordKind;
    pub struct Reader;
    pub struct ReadError;
    pub struct ClassRef;
    pub struct RecordArgs;
    pub struct Expr;
    pub mod python {}
    pub mod core {}

    // Names the expansion uses itself (its statics `__RECORD`, ..., its locals `__args`, ...
    // and bindings `__field0`, ... are reserved, like any name starting with `__`), and names it
    // might have used.
    pub struct _persist;
    pub const RECORD: u8 = 0;
    pub const out: usize = 1;
    pub const expr: usize = 1;
    pub const reader: usize = 1;
    pub const args: usize = 1;
    pub const class: usize = 1;
    pub const value: usize = 1;
    pub const v: usize = 1;

    // Macros the expansion calls.
    macro_rules! concat {
        ($($t:tt)*) => {
            "shadowed"
        };
    }
    macro_rules! module_path {
        () => {
            "shadowed"
        };
    }

    /// Fills `y` of `Choice::Third`.
    pub fn string() -> String {
        String
    }

    /// Fills `label` of `Evolving`.
    pub fn label() -> ::std::string::String {
        "none".into()
    }

    #[derive(::persist_core::Persist, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub struct Named {
        pub a: i32,
        #[persist(rename = "bee")]
        pub b: ::std::string::String,
        #[persist(skip)]
        pub c: Result,
    }

    #[derive(::persist_core::Persist, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub struct Tuple(pub i32, #[persist(skip)] pub Vec, pub bool);

    #[derive(::persist_core::Persist, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub struct Unit;

    #[derive(::persist_core::Persist, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub enum Choice {
        First,
        Second(i32, #[persist(skip)] Box),
        Third {
            x: ::core::option::Option<u8>,
            #[persist(skip, default = "string")]
            y: String,
        },
        #[persist(skip)]
        Fourth,
    }

    #[derive(::persist_core::Persist)]
    pub struct Generic<'a, T, U>
    where
        T: ::core::clone::Clone,
    {
        pub value: T,
        pub list: &'a [T],
        #[persist(skip)]
        pub other: U,
    }

    #[derive(::persist_core::Persist)]
    pub enum Empty {}

    /// The reading attributes, a lifetime named like the one of `Persist::from_python` in the
    /// trait (`'m`), and field types that name the constants above.
    #[derive(::persist_core::Persist, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    #[persist(deny_unknown_fields)]
    pub struct Evolving<'m, T> {
        #[persist(alias = "old_name", alias = "older_name")]
        pub name: ::std::borrow::Cow<'m, str>,
        #[persist(default)]
        pub count: T,
        #[persist(default = "label")]
        pub label: ::std::string::String,
        pub sizes: [u8; expr],
        pub more: [u8; args],
        #[persist(skip)]
        pub cache: Vec,
    }
}

use persist_core::{Archive, Persist, Writer};
use shadowed::{Choice, Evolving, Generic, Named, Tuple, Unit};

#[track_caller]
fn written<T: Persist + ?Sized>(value: &T) -> String {
    let mut w = Writer::inline();
    if let Err(err) = value.to_python_source(&mut w) {
        panic!("writing failed: {err}");
    }
    w.take_expression()
}

#[test]
fn derives_in_a_shadowed_module() {
    let named = Named {
        a: 1,
        b: "two".into(),
        c: shadowed::Result,
    };
    assert_eq!(written(&named), "_Named(a=1, bee='two')");
    assert_eq!(written(&Tuple(3, shadowed::Vec, true)), "_Tuple(3, True)");
    assert_eq!(written(&Unit), "_Unit()");
    assert_eq!(written(&Choice::First), "_Choice_First()");
    assert_eq!(
        written(&Choice::Second(5, shadowed::Box)),
        "_Choice_Second(5)"
    );
    let third = Choice::Third {
        x: Some(6),
        y: shadowed::String,
    };
    assert_eq!(written(&third), "_Choice_Third(x=6)");
    let mut w = Writer::inline();
    let err = Choice::Fourth.to_python_source(&mut w).unwrap_err();
    assert_eq!(
        err.to_string(),
        "variant `Choice::Fourth` is marked `#[persist(skip)]` and cannot be archived"
    );
    let generic = Generic {
        value: 7_u8,
        list: &[8, 9],
        other: shadowed::Writer,
    };
    assert_eq!(written(&generic), "_Generic(value=7, list=[8, 9])");
}

/// `value` written into an archive as `x` and read back.
#[track_caller]
fn read_back<T: Persist>(value: &T) -> T {
    let mut archive = Archive::local();
    archive.insert("x", value).expect("insert");
    let source = archive.to_python_source().expect("render");
    match persist_core::from_str(&source, "x") {
        Ok(value) => value,
        Err(err) => panic!("reading failed: {err}\n{source}"),
    }
}

#[test]
fn reads_back_in_a_shadowed_module() {
    let named = Named {
        a: 1,
        b: "two".into(),
        c: shadowed::Result,
    };
    assert_eq!(read_back(&named), named);
    let tuple = Tuple(3, shadowed::Vec, true);
    assert_eq!(read_back(&tuple), tuple);
    assert_eq!(read_back(&Unit), Unit);
    for choice in [
        Choice::First,
        Choice::Second(5, shadowed::Box),
        Choice::Third {
            x: Some(6),
            y: shadowed::String,
        },
    ] {
        assert_eq!(read_back(&choice), choice);
    }
    let evolving = Evolving {
        name: "run".into(),
        count: 2_u32,
        label: "label".into(),
        sizes: [1],
        more: [2],
        cache: shadowed::Vec,
    };
    assert_eq!(read_back(&evolving), evolving);
    // Through an alias, with the defaulted fields deleted.
    let mut archive = Archive::new();
    archive.insert("x", &evolving).expect("insert");
    let source = archive.to_python_source().expect("render");
    let line = "x = _Evolving(name='run', count=2, label='label', sizes=[1], more=[2])";
    assert!(source.contains(line), "{source}");
    let edited = source.replace(line, "x = _Evolving(older_name='run', sizes=[1], more=[2])");
    let read: Evolving<'_, u32> = persist_core::from_str(&edited, "x").expect("read edited");
    let expected = Evolving {
        name: "run".into(),
        count: 0,
        label: "none".into(),
        sizes: [1],
        more: [2],
        cache: shadowed::Vec,
    };
    assert_eq!(read, expected);
}

#[test]
fn record_paths_use_the_real_module_path() {
    let mut archive = persist_core::Archive::new();
    archive.insert("x", Unit).unwrap();
    let source = archive.to_python_source().unwrap();
    assert!(
        source
            .lines()
            .any(|l| l == "_Unit = _record('Unit', (), 'it::hygiene::shadowed::Unit')"),
        "{source}"
    );
}

fn _empty_enum_is_persist(value: &shadowed::Empty) -> &dyn Persist {
    value
}
