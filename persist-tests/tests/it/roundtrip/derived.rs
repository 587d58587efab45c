//! Round trips of derived types: structs (named, tuple, unit), enums of every variant kind and
//! generic records, alone and together in one archive.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use persist_core::Persist;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

use super::{any_string, config, round_trip};

#[derive(Persist, Debug, PartialEq, Clone)]
struct Params {
    alpha: f64,
    steps: u32,
    name: String,
    tags: Vec<String>,
    limits: (i64, Option<i64>),
    lookup: BTreeMap<String, u8>,
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Position(f64, f64, i8);

#[derive(Persist, Debug, PartialEq, Clone)]
struct Origin;

#[derive(Persist, Debug, PartialEq, Clone)]
enum Event {
    Start,
    Tick(u64),
    Move(Position, Origin),
    Note { text: String, level: u8 },
    Nested(Box<Event>),
    Empty {},
    Unit(),
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Tagged<T, U> {
    value: T,
    others: Vec<U>,
    pair: Option<(T, U)>,
}

#[derive(Persist, Debug, PartialEq, Clone)]
enum Either<L, R> {
    Left(L),
    Right { value: R },
}

fn params() -> impl Strategy<Value = Params> {
    (
        any::<f64>(),
        any::<u32>(),
        any_string(),
        vec(any_string(), 0..3),
        any::<(i64, Option<i64>)>(),
        btree_map(any_string(), any::<u8>(), 0..3),
    )
        .prop_map(|(alpha, steps, name, tags, limits, lookup)| Params {
            alpha,
            steps,
            name,
            tags,
            limits,
            lookup,
        })
}

fn event() -> impl Strategy<Value = Event> {
    let leaf = prop_oneof![
        Just(Event::Start),
        any::<u64>().prop_map(Event::Tick),
        (any::<f64>(), any::<f64>(), any::<i8>())
            .prop_map(|(x, y, z)| Event::Move(Position(x, y, z), Origin)),
        (any_string(), any::<u8>()).prop_map(|(text, level)| Event::Note { text, level }),
        Just(Event::Empty {}),
        Just(Event::Unit()),
    ];
    leaf.prop_recursive(3, 8, 1, |inner| {
        inner.prop_map(|e| Event::Nested(Box::new(e)))
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn derived_structs(p in params(), pos in any::<(f64, f64, i8)>()) {
        round_trip(&p);
        round_trip(&Position(pos.0, pos.1, pos.2));
        round_trip(&Origin);
        round_trip(&vec![p.clone(), p]);
    }

    #[test]
    fn derived_enums(events in vec(event(), 0..6)) {
        for e in &events {
            round_trip(e);
        }
        round_trip(&events);
    }

    #[test]
    fn derived_generics(
        t in any::<i32>(),
        u in vec(any_string(), 0..3),
        pair in any::<Option<(i32, bool)>>(),
        left in any::<bool>(),
    ) {
        round_trip(&Tagged { value: t, others: u.clone(), pair: None::<(i32, String)> });
        round_trip(&Tagged { value: u.clone(), others: vec![pair], pair: None });
        let either: Either<i32, Vec<String>> = if left {
            Either::Left(t)
        } else {
            Either::Right { value: u }
        };
        round_trip(&either);
        round_trip(&Tagged { value: either.clone(), others: vec![either], pair: None });
    }
}

/// Every variant kind, and generic records holding records, in one archive.
#[test]
fn derived_values_together() {
    let events = vec![
        Event::Start,
        Event::Tick(u64::MAX),
        Event::Move(Position(-0.0, 1e-300, -128), Origin),
        Event::Note {
            text: "it's \"quoted\"\n".into(),
            level: 3,
        },
        Event::Nested(Box::new(Event::Nested(Box::new(Event::Empty {})))),
        Event::Unit(),
    ];
    round_trip(&events);
    let mut by_name = HashMap::new();
    by_name.insert(
        "origin".to_owned(),
        Either::<Origin, Position>::Left(Origin),
    );
    by_name.insert(
        "end".to_owned(),
        Either::Right {
            value: Position(1.0, 2.0, 3),
        },
    );
    round_trip(&by_name);
}
