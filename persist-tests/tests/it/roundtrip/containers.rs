//! Round trips of containers: options, sequences, tuples of every length, maps with every key
//! kind, sets, boxes and shared pointers, empty containers and the one-tuple; nested `None`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use proptest::collection::{btree_map, btree_set, hash_map, hash_set, vec, vec_deque};
use proptest::prelude::*;

use super::{any_f64, any_string, config, read_back, round_trip, round_trip_same};

proptest! {
    #![proptest_config(config())]

    #[test]
    fn option_and_sequences(
        v in vec(any::<Option<i32>>(), 0..8),
        d in vec_deque(any_string(), 0..5),
        nested in vec(vec(any::<u8>(), 0..4), 0..4),
        floats in vec(any_f64(), 0..8),
        array in any::<[i16; 5]>(),
    ) {
        round_trip(&v);
        round_trip(&d);
        round_trip(&nested);
        round_trip_same(&floats);
        round_trip_same(&floats.iter().map(|f| Some(*f)).collect::<Vec<_>>());
        round_trip(&array);
        round_trip(&[array, array]);
        round_trip(&nested.iter().cloned().collect::<LinkedList<_>>());
        round_trip(&v.clone().into_boxed_slice());
        round_trip(&Some(Some(v.clone())));
    }

    #[test]
    fn tuples_of_every_length(
        t1 in any::<(u8,)>(),
        t2 in any::<(i64, bool)>(),
        t3 in any::<(char, u16, Option<i8>)>(),
        t10 in any::<(u8, i8, u16, i16, u32, i32, u64, i64, bool, char)>(),
        tail in any::<(u128, i128)>(),
        s in any_string(),
    ) {
        round_trip(&t1);
        round_trip(&t2);
        round_trip(&t3);
        round_trip(&(t2.0, t2.1, s.clone(), ()));
        round_trip(&(1u8, 2u16, 3u32, 4u64, s.clone()));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, t1));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, 6i8, 7i16));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, 6i8, 7i16, s.clone()));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, 6i8, 7i16, 8i32, t3));
        round_trip(&t10);
        let (a, b, c, d, e, f, g, h, i, j) = t10;
        round_trip(&(a, b, c, d, e, f, g, h, i, j, tail.0));
        round_trip(&(a, b, c, d, e, f, g, h, i, j, tail.0, tail.1));
        round_trip(&((t1,), ((t2,),)));
    }

    #[test]
    fn maps_with_every_key_kind(
        by_str in hash_map(any_string(), any::<i32>(), 0..6),
        by_int in btree_map(any::<i64>(), any_string(), 0..6),
        by_big in hash_map(any::<u128>(), any::<bool>(), 0..4),
        by_bool in btree_map(any::<bool>(), vec(any::<u8>(), 0..3), 0..3),
        by_tuple in hash_map(any::<(i32, bool)>(), any::<Option<u8>>(), 0..6),
        by_nested in btree_map(any::<(u8, (char, i8))>(), any::<()>(), 0..4),
    ) {
        round_trip(&by_str);
        round_trip(&by_str.iter().map(|(k, v)| (k.clone(), *v)).collect::<BTreeMap<_, _>>());
        round_trip(&by_int);
        round_trip(&by_big);
        round_trip(&by_bool);
        round_trip(&by_tuple);
        round_trip(&by_nested);
        round_trip(&vec![by_int.clone(), BTreeMap::new()]);
    }

    #[test]
    fn sets(
        ints in hash_set(any::<i64>(), 0..8),
        strings in btree_set(any_string(), 0..6),
        tuples in hash_set(any::<(u8, bool, char)>(), 0..6),
    ) {
        round_trip(&ints);
        round_trip(&ints.iter().copied().collect::<BTreeSet<_>>());
        round_trip(&strings);
        round_trip(&tuples);
        round_trip(&(ints.clone(), strings.clone()));
    }

    #[test]
    fn boxes_and_shared_pointers(v in vec(any::<i32>(), 0..6), s in any_string()) {
        round_trip(&Box::new(v.clone()));
        round_trip(&Box::new(Box::new(s.clone())));
        round_trip(&Rc::new(v.clone()));
        round_trip(&Arc::new(s.clone()));
        round_trip::<Rc<str>>(&Rc::from(s.as_str()));
        round_trip::<Arc<[i32]>>(&Arc::from(v.as_slice()));
    }
}

#[test]
fn empty_containers_and_the_one_tuple() {
    round_trip(&Vec::<i32>::new());
    round_trip(&Vec::<Vec<u8>>::new());
    round_trip(&vec![Vec::<u8>::new()]);
    round_trip(&VecDeque::<String>::new());
    round_trip(&HashMap::<String, i32>::new());
    round_trip(&BTreeMap::<(i32, bool), u8>::new());
    round_trip(&HashSet::<i32>::new());
    round_trip(&BTreeSet::<String>::new());
    round_trip(&[0u8; 0]);
    round_trip(&(1u8,));
    round_trip(&((),));
    round_trip(&(Vec::<u8>::new(),));
    round_trip(&Option::<i32>::None);
    round_trip(&(
        HashSet::<u8>::new(),
        BTreeMap::<u8, u8>::new(),
        (Vec::<u8>::new(),),
    ));
}

// ---------------------------------------------------------------------------------------------
// Nested options
// ---------------------------------------------------------------------------------------------

/// Python has one `None`: `Some(())` and `Some(None)` are written as `None`, so they read back as
/// `None` (a limitation of the mapping, SPEC §3, not of the reader).
#[test]
fn nested_none_reads_back_as_the_outer_none() {
    for (way, back) in read_back::<Option<()>, _>(&Some(()), 100) {
        assert_eq!(back, None, "{way}");
    }
    for (way, back) in read_back::<Option<Option<u8>>, _>(&Some(None::<u8>), 100) {
        assert_eq!(back, None, "{way}");
    }
    round_trip(&Some(Some(1u8)));
    round_trip(&vec![Some(1u8), None]);
}
