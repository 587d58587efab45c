//! The derive's expansion does not depend on the names in scope where it is used: it derives in a
//! module that shadows the prelude, the runtime crate and the expansion's own names, under
//! `deny(warnings)`.

#[deny(warnings)]
mod shadowed {
    #![allow(dead_code, non_camel_case_types, non_upper_case_globals, unused_macros)]

    // The prelude's names, in the type and the value namespaces.
    pub struct Result;
    pub struct Ok;
    pub struct Err;
    pub type Option = ();
    pub struct Some;
    pub const None: () = ();
    pub struct Vec;
    pub struct Box;
    pub struct String;
    pub trait Default {}
    pub trait From {}
    pub trait Into {}

    // The runtime crate's name and what it exports.
    pub mod persist_core {}
    pub struct Persist;
    pub struct Writer;
    pub struct WriteError;
    pub struct Record;
    pub struct RecordKind;

    // Names the expansion uses itself (its bindings, `__field0`, ..., are reserved, like any
    // name starting with `__`).
    pub struct _persist;
    pub const RECORD: u8 = 0;

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

    #[derive(::persist_core::Persist)]
    pub struct Named {
        pub a: i32,
        #[persist(rename = "bee")]
        pub b: ::std::string::String,
        #[persist(skip)]
        pub c: Result,
    }

    #[derive(::persist_core::Persist)]
    pub struct Tuple(pub i32, #[persist(skip)] pub Vec, pub bool);

    #[derive(::persist_core::Persist)]
    pub struct Unit;

    #[derive(::persist_core::Persist)]
    pub enum Choice {
        First,
        Second(i32, #[persist(skip)] Box),
        Third {
            x: ::core::option::Option<u8>,
            #[persist(skip)]
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
}

use persist_core::{Persist, Writer};
use shadowed::{Choice, Generic, Named, Tuple, Unit};

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
