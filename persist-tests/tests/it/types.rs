//! Every row of SPEC §3 for the standard library's types: real Python imports a real archive and
//! checks values and Python types.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use num_complex::Complex;
use persist_core::Archive;
use persist_tests::{check_value, code_points, save_package};

/// A deterministic stream of pseudo-random 64-bit numbers (SplitMix64).
fn random_bits(seed: u64, n: usize) -> Vec<u64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        })
        .collect()
}

/// A Python list literal of the given numbers.
fn py_list<T: std::fmt::Display>(values: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = values.into_iter().map(|v| v.to_string()).collect();
    format!("[{}]", items.join(", "))
}

const BITS: &str = "import struct\n\
def bits64(x):\n    return struct.unpack('<Q', struct.pack('<d', x))[0]\n\
def bits32(x):\n    return int(np.float32(x).view(np.uint32))\n";

#[test]
fn bools() {
    let mut archive = Archive::new();
    archive.insert("yes", true).unwrap();
    archive.insert("no", false).unwrap();
    archive.insert("both", vec![true, false]).unwrap();
    save_package(&archive).check(
        "assert a.yes is True, a.yes\n\
         assert a.no is False, a.no\n\
         assert a.both == [True, False] and all(type(b) is bool for b in a.both), a.both\n",
    );
}

#[test]
fn integers_of_every_width_at_their_extremes() {
    let mut archive = Archive::new();
    let mut code = String::new();
    macro_rules! extremes {
        ($($t:ident)*) => {$(
            archive.insert(concat!(stringify!($t), "_min"), $t::MIN).unwrap();
            archive.insert(concat!(stringify!($t), "_max"), $t::MAX).unwrap();
            archive.insert(concat!(stringify!($t), "_one"), 1 as $t).unwrap();
            for (suffix, value) in [("min", $t::MIN.to_string()), ("max", $t::MAX.to_string()), ("one", "1".to_owned())] {
                let name = format!("{}_{suffix}", stringify!($t));
                code.push_str(&format!(
                    "assert type(a.{name}) is int and a.{name} == {value}, ('{name}', a.{name})\n"
                ));
            }
        )*};
    }
    extremes!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);
    // The exact values, spelled independently of Rust's formatting.
    code.push_str(
        "assert a.i8_min == -2**7 and a.i8_max == 2**7 - 1\n\
         assert a.i16_min == -2**15 and a.u16_max == 2**16 - 1\n\
         assert a.i32_min == -2**31 and a.u32_max == 2**32 - 1\n\
         assert a.i64_min == -2**63 and a.u64_max == 2**64 - 1\n\
         assert a.i128_min == -2**127 and a.i128_max == 2**127 - 1 and a.u128_max == 2**128 - 1\n\
         assert a.u8_min == 0 and a.u128_min == 0 and a.usize_min == 0\n",
    );
    code.push_str(&format!(
        "assert a.isize_max == 2**{} - 1 and a.usize_max == 2**{} - 1\n",
        usize::BITS - 1,
        usize::BITS
    ));
    save_package(&archive).check(&code);
}

#[test]
fn non_zero_integers_are_ints() {
    let mut archive = Archive::new();
    archive
        .insert("nz", std::num::NonZeroU64::new(u64::MAX).unwrap())
        .unwrap();
    archive
        .insert("nzi", std::num::NonZeroI8::new(i8::MIN).unwrap())
        .unwrap();
    save_package(&archive).check(
        "assert type(a.nz) is int and a.nz == 2**64 - 1, a.nz\n\
         assert type(a.nzi) is int and a.nzi == -128, a.nzi\n",
    );
}

#[test]
fn f64_round_trips_exactly() {
    let special: Vec<f64> = vec![
        0.1,
        1.0 / 3.0,
        -2.5,
        1e300,
        1e-300,
        1e16,
        1e15,
        123_456_789.123_456_78,
        std::f64::consts::PI,
        std::f64::consts::E,
        9_007_199_254_740_993.0,
        f64::EPSILON,
        0.0,
    ];
    let random: Vec<f64> = random_bits(1, 2000)
        .into_iter()
        .map(f64::from_bits)
        .filter(|x| x.is_finite())
        .collect();
    let mut archive = Archive::new();
    archive.insert("special", &special).unwrap();
    archive.insert("random", &random).unwrap();
    archive.insert("tenth", 0.1_f64).unwrap();
    archive.insert("third", 1.0_f64 / 3.0).unwrap();
    let code = format!(
        "{BITS}\
         assert type(a.tenth) is float and a.tenth == 0.1, a.tenth\n\
         assert a.third == 1 / 3, a.third\n\
         assert all(type(x) is float for x in a.special + a.random)\n\
         got = [bits64(x) for x in a.special]\n\
         assert got == {special}, got\n\
         got = [bits64(x) for x in a.random]\n\
         want = {random}\n\
         bad = [(i, hex(g), hex(w)) for i, (g, w) in enumerate(zip(got, want)) if g != w]\n\
         assert len(got) == len(want) and not bad, bad[:5]\n",
        special = py_list(special.iter().map(|x| x.to_bits())),
        random = py_list(random.iter().map(|x| x.to_bits())),
    );
    save_package(&archive).check(&code);
}

/// Python's float holds the `f32`'s exact value (written as that `f64`'s shortest decimal).
#[test]
fn f32_round_trips_exactly() {
    let special: Vec<f32> = vec![
        0.1,
        1.0 / 3.0,
        -2.5,
        16_777_217.0,
        f32::EPSILON,
        3.0e38,
        1.0e-38,
        7.0e-45,
    ];
    let random: Vec<f32> = random_bits(2, 4000)
        .into_iter()
        .map(|b| f32::from_bits(b as u32))
        .filter(|x| x.is_finite())
        .collect();
    let mut archive = Archive::new();
    archive.insert("special", &special).unwrap();
    archive.insert("random", &random).unwrap();
    archive.insert("tenth", 0.1_f32).unwrap();
    archive.insert("third", 1.0_f32 / 3.0).unwrap();
    let code = format!(
        "{BITS}\
         assert type(a.tenth) is float and a.tenth == float(np.float32(0.1)) == 0.10000000149011612, a.tenth\n\
         assert a.third == float(np.float32(0.33333334)), a.third\n\
         assert bits32(a.third) == {third}, a.third\n\
         got = [bits32(x) for x in a.special]\n\
         assert got == {special}, got\n\
         got = [bits32(x) for x in a.random]\n\
         want = {random}\n\
         bad = [(i, hex(g), hex(w)) for i, (g, w) in enumerate(zip(got, want)) if g != w]\n\
         assert len(got) == len(want) and not bad, bad[:5]\n",
        third = (1.0_f32 / 3.0).to_bits(),
        special = py_list(special.iter().map(|x| x.to_bits())),
        random = py_list(random.iter().map(|x| x.to_bits())),
    );
    save_package(&archive).check(&code);
}

#[test]
fn strings_and_chars() {
    let owned = String::from("héllo wörld");
    let borrowed: &str = "plain";
    let cow_borrowed: Cow<'_, str> = Cow::Borrowed("cow");
    let cow_owned: Cow<'_, str> = Cow::Owned("moo".to_owned());
    let mut archive = Archive::new();
    archive.insert("owned", &owned).unwrap();
    archive.insert("borrowed", borrowed).unwrap();
    archive.insert("cow_b", &cow_borrowed).unwrap();
    archive.insert("cow_o", cow_owned).unwrap();
    archive.insert("ch", 'é').unwrap();
    archive.insert("emoji", '😀').unwrap();
    archive
        .insert("boxed", Box::<str>::from("boxed str"))
        .unwrap();
    let code = format!(
        "for name, want in [('owned', {owned}), ('borrowed', {borrowed}), ('cow_b', {cow}), \
                            ('cow_o', {moo}), ('ch', {e}), ('emoji', {emoji}), ('boxed', {boxed})]:\n\
         \x20   got = getattr(a, name)\n\
         \x20   assert type(got) is str, (name, type(got))\n\
         \x20   assert [ord(c) for c in got] == want, (name, got)\n\
         assert a.owned == 'h\\u00e9llo w\\u00f6rld'\n\
         assert a.emoji == '\\U0001F600' and len(a.emoji) == 1\n",
        owned = code_points(&owned),
        borrowed = code_points(borrowed),
        cow = code_points("cow"),
        moo = code_points("moo"),
        e = code_points("é"),
        emoji = code_points("😀"),
        boxed = code_points("boxed str"),
    );
    save_package(&archive).check(&code);
}

#[test]
fn options_and_unit() {
    let mut archive = Archive::new();
    archive.insert("some", Some(3_i32)).unwrap();
    archive.insert("none", None::<i32>).unwrap();
    archive.insert("unit", ()).unwrap();
    archive
        .insert("mixed", vec![Some("a"), None, Some("b")])
        .unwrap();
    archive.insert("some_vec", Some(vec![1_u8, 2])).unwrap();
    archive.insert("units", ((), ())).unwrap();
    save_package(&archive).check(
        "assert type(a.some) is int and a.some == 3, a.some\n\
         assert a.none is None, a.none\n\
         assert a.unit is None, a.unit\n\
         assert a.mixed == ['a', None, 'b'], a.mixed\n\
         assert a.some_vec == [1, 2], a.some_vec\n\
         assert a.units == (None, None), a.units\n",
    );
}

#[test]
fn sequences_are_lists() {
    let slice_owner = [4_i16, 5, 6];
    let slice: &[i16] = &slice_owner[..];
    let deque: VecDeque<u32> = {
        let mut d = VecDeque::new();
        d.push_back(2);
        d.push_back(3);
        d.push_front(1);
        d
    };
    let linked: LinkedList<&str> = ["x", "y"].into_iter().collect();
    let mut archive = Archive::new();
    archive.insert("vec", vec![1_i64, -2, 3]).unwrap();
    archive.insert("deque", &deque).unwrap();
    archive.insert("slice", slice).unwrap();
    archive.insert("array", [7_u8; 4]).unwrap();
    archive.insert("empty_array", [0_u8; 0]).unwrap();
    archive.insert("linked", &linked).unwrap();
    archive
        .insert("nested", vec![vec![1, 2], vec![], vec![3]])
        .unwrap();
    archive
        .insert("boxed_slice", vec![1.5_f64, 2.5].into_boxed_slice())
        .unwrap();
    save_package(&archive).check(
        "for name, want in [('vec', [1, -2, 3]), ('deque', [1, 2, 3]), ('slice', [4, 5, 6]), \
                            ('array', [7, 7, 7, 7]), ('empty_array', []), ('linked', ['x', 'y']), \
                            ('nested', [[1, 2], [], [3]]), ('boxed_slice', [1.5, 2.5])]:\n\
         \x20   got = getattr(a, name)\n\
         \x20   assert type(got) is list, (name, type(got))\n\
         \x20   assert got == want, (name, got)\n\
         assert all(type(x) is list for x in a.nested)\n",
    );
}

#[test]
fn tuples_of_every_arity() {
    let mut archive = Archive::new();
    archive.insert("t1", (1,)).unwrap();
    archive.insert("t2", (1, "two")).unwrap();
    archive.insert("t3", (1, 2, 3)).unwrap();
    archive.insert("t4", (1, 2, 3, 4)).unwrap();
    archive.insert("t5", (1, 2, 3, 4, 5)).unwrap();
    archive.insert("t6", (1, 2, 3, 4, 5, 6)).unwrap();
    archive.insert("t7", (1, 2, 3, 4, 5, 6, 7)).unwrap();
    archive.insert("t8", (1, 2, 3, 4, 5, 6, 7, 8)).unwrap();
    archive.insert("t9", (1, 2, 3, 4, 5, 6, 7, 8, 9)).unwrap();
    archive
        .insert("t10", (1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
        .unwrap();
    archive
        .insert("t11", (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))
        .unwrap();
    archive
        .insert(
            "t12",
            (
                true,
                2_u8,
                -3_i64,
                4.5_f64,
                "five",
                'x',
                None::<i32>,
                (),
                vec![9],
                (10,),
                11_u128,
                'z',
            ),
        )
        .unwrap();
    archive.insert("nested", ((1,), ((2,),))).unwrap();
    archive.insert("in_list", vec![(1,), (2,)]).unwrap();
    save_package(&archive).check(
        "for n in range(1, 12):\n\
         \x20   t = getattr(a, f't{n}')\n\
         \x20   assert type(t) is tuple, (n, type(t))\n\
         \x20   want = (1, 'two') if n == 2 else tuple(range(1, n + 1))\n\
         \x20   assert t == want, (n, t)\n\
         assert a.t1 == (1,) and len(a.t1) == 1\n\
         assert a.t12 == (True, 2, -3, 4.5, 'five', 'x', None, None, [9], (10,), 11, 'z'), a.t12\n\
         assert type(a.t12) is tuple and len(a.t12) == 12 and type(a.t12[9]) is tuple\n\
         assert a.nested == ((1,), ((2,),)), a.nested\n\
         assert a.in_list == [(1,), (2,)], a.in_list\n",
    );
}

#[test]
fn maps_are_dicts() {
    let str_keys: HashMap<String, i32> = [("alpha", 1), ("beta", 2), ("it's", 3), ("", 4)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    let int_keys: BTreeMap<i64, &str> = [(-5, "minus five"), (0, "zero"), (i64::MAX, "max")]
        .into_iter()
        .collect();
    let bool_keys: HashMap<bool, Vec<u8>> =
        [(true, vec![1]), (false, vec![])].into_iter().collect();
    let tuple_keys: HashMap<(i32, String), f64> =
        [((1, "a".to_owned()), 0.5), ((-1, "b".to_owned()), 1.5)]
            .into_iter()
            .collect();
    let nested_tuple_keys: BTreeMap<(bool, (u8, &str)), i32> =
        [((true, (1, "x")), 1), ((false, (2, "y")), 2)]
            .into_iter()
            .collect();
    let char_keys: BTreeMap<char, u128> = [('a', u128::MAX), ('é', 0)].into_iter().collect();
    let u128_keys: HashMap<u128, i8> = [(u128::MAX, 1), (0, 2), (7, 3)].into_iter().collect();
    let nested: BTreeMap<&str, HashMap<i32, Vec<&str>>> =
        [("outer", [(1, vec!["a"]), (2, vec![])].into_iter().collect())]
            .into_iter()
            .collect();
    let mut archive = Archive::new();
    archive.insert("str_keys", &str_keys).unwrap();
    archive.insert("int_keys", &int_keys).unwrap();
    archive.insert("bool_keys", &bool_keys).unwrap();
    archive.insert("tuple_keys", &tuple_keys).unwrap();
    archive
        .insert("nested_tuple_keys", &nested_tuple_keys)
        .unwrap();
    archive.insert("char_keys", &char_keys).unwrap();
    archive.insert("u128_keys", &u128_keys).unwrap();
    archive.insert("nested", &nested).unwrap();
    save_package(&archive).check(
        "for name, want in [\n\
         \x20       ('str_keys', {'alpha': 1, 'beta': 2, \"it's\": 3, '': 4}),\n\
         \x20       ('int_keys', {-5: 'minus five', 0: 'zero', 2**63 - 1: 'max'}),\n\
         \x20       ('bool_keys', {True: [1], False: []}),\n\
         \x20       ('tuple_keys', {(1, 'a'): 0.5, (-1, 'b'): 1.5}),\n\
         \x20       ('nested_tuple_keys', {(True, (1, 'x')): 1, (False, (2, 'y')): 2}),\n\
         \x20       ('char_keys', {'a': 2**128 - 1, '\\u00e9': 0}),\n\
         \x20       ('u128_keys', {2**128 - 1: 1, 0: 2, 7: 3}),\n\
         \x20       ('nested', {'outer': {1: ['a'], 2: []}})]:\n\
         \x20   got = getattr(a, name)\n\
         \x20   assert type(got) is dict, (name, type(got))\n\
         \x20   assert got == want, (name, got)\n\
         assert all(type(k) is bool for k in a.bool_keys)\n\
         assert all(type(k) is tuple for k in a.tuple_keys)\n\
         assert list(a.int_keys) == [-5, 0, 2**63 - 1], list(a.int_keys)\n",
    );
}

#[test]
fn sets_are_sets() {
    let hash: HashSet<i32> = [3, -1, 2, 100].into_iter().collect();
    let btree: BTreeSet<String> = ["b", "a", "it's"].into_iter().map(str::to_owned).collect();
    let tuples: HashSet<(i32, bool)> = [(1, true), (1, false)].into_iter().collect();
    let strs: HashSet<&str> = ["x", "y\n"].into_iter().collect();
    let mut archive = Archive::new();
    archive.insert("hash", &hash).unwrap();
    archive.insert("btree", &btree).unwrap();
    archive.insert("tuples", &tuples).unwrap();
    archive.insert("strs", &strs).unwrap();
    archive
        .insert("in_list", vec![BTreeSet::from([1, 2]), BTreeSet::new()])
        .unwrap();
    save_package(&archive).check(
        "for name, want in [('hash', {3, -1, 2, 100}), ('btree', {'a', 'b', \"it's\"}), \
                            ('tuples', {(1, True), (1, False)}), ('strs', {'x', 'y\\n'})]:\n\
         \x20   got = getattr(a, name)\n\
         \x20   assert type(got) is set, (name, type(got))\n\
         \x20   assert got == want, (name, got)\n\
         assert a.in_list == [{1, 2}, set()] and type(a.in_list[1]) is set, a.in_list\n",
    );
}

#[test]
fn boxes_and_pointers_are_the_inner_value() {
    let nine = 9_i64;
    let nine_ref = &nine;
    let by_ref = &nine_ref;
    let rc_str: Rc<str> = Rc::from("shared str");
    let arc_slice: Arc<[i32]> = Arc::from(vec![1, 2, 3]);
    let mut archive = Archive::local();
    archive.insert("boxed", Box::new(5_i32)).unwrap();
    archive.insert("boxed_vec", Box::new(vec![1, 2])).unwrap();
    archive.insert("rc", Rc::new(String::from("rc"))).unwrap();
    archive.insert("arc", Arc::new(vec![1.5_f64])).unwrap();
    archive.insert("rc_str", rc_str).unwrap();
    archive.insert("arc_slice", arc_slice).unwrap();
    archive
        .insert("nested", Box::new(Rc::new(Arc::new(Some(Box::new(7_u8))))))
        .unwrap();
    archive.insert("by_ref", by_ref).unwrap();
    save_package(&archive).check(
        "assert type(a.boxed) is int and a.boxed == 5, a.boxed\n\
         assert a.boxed_vec == [1, 2], a.boxed_vec\n\
         assert a.rc == 'rc', a.rc\n\
         assert a.arc == [1.5], a.arc\n\
         assert a.rc_str == 'shared str', a.rc_str\n\
         assert a.arc_slice == [1, 2, 3], a.arc_slice\n\
         assert a.nested == 7, a.nested\n\
         assert a.by_ref == 9, a.by_ref\n",
    );
}

#[test]
fn shared_rc_and_arc_values_are_one_python_object() {
    let rc = Rc::new(vec![1, 2, 3]);
    let other_rc = Rc::new(vec![1, 2, 3]);
    let arc = Arc::new(BTreeMap::from([("k", 1)]));
    let other_arc = Arc::new(BTreeMap::from([("k", 1)]));
    let mut archive = Archive::local();
    // Twice in one item, and a distinct allocation with an equal value.
    archive
        .insert("t", (rc.clone(), rc.clone(), other_rc.clone()))
        .unwrap();
    // Across items.
    archive.insert("u", rc.clone()).unwrap();
    archive.insert("many", vec![rc.clone(); 5]).unwrap();
    archive
        .insert("arcs", (arc.clone(), arc.clone(), other_arc.clone()))
        .unwrap();
    archive.insert("arc_again", arc.clone()).unwrap();
    // A shared value inside a shared value.
    let inner = Rc::new(vec![0_u8]);
    let outer = Rc::new((inner.clone(), inner.clone()));
    archive
        .insert("outer", (outer.clone(), outer.clone(), inner.clone()))
        .unwrap();
    let saved = save_package(&archive);
    saved.check(
        "x, y, z = a.t\n\
         assert x is y, 'the same Rc twice in one item must be one object'\n\
         assert x is not z, 'two distinct Rc with equal values must be two objects'\n\
         assert x == z == [1, 2, 3], (x, z)\n\
         assert a.u is x, 'the same Rc in two items must be one object'\n\
         assert all(m is x for m in a.many)\n\
         x.append(4)\n\
         assert a.u == [1, 2, 3, 4] and z == [1, 2, 3]\n\
         p, q, r = a.arcs\n\
         assert p is q and p is not r and p == r == {'k': 1}, (p, r)\n\
         assert a.arc_again is p\n\
         o1, o2, i = a.outer\n\
         assert o1 is o2 and o1[0] is o1[1] is i, a.outer\n",
    );
    // Written once: the list literal appears once in the source.
    let source = saved.source();
    assert_eq!(
        source.matches("[1, 2, 3]").count(),
        2,
        "one for each Rc allocation:\n{source}"
    );
}

#[test]
fn paths_are_strs() {
    let path_buf = PathBuf::from("data/run 1/é.npy");
    let path: &Path = Path::new("/abs/it's");
    let mut archive = Archive::new();
    archive.insert("path_buf", &path_buf).unwrap();
    archive.insert("path", path).unwrap();
    archive
        .insert("paths", vec![PathBuf::from("a"), PathBuf::new()])
        .unwrap();
    save_package(&archive).check(
        "assert type(a.path_buf) is str and a.path_buf == 'data/run 1/\\u00e9.npy', a.path_buf\n\
         assert type(a.path) is str and a.path == \"/abs/it's\", a.path\n\
         assert a.paths == ['a', ''], a.paths\n",
    );
}

#[test]
fn complex_numbers_are_complex() {
    let mut archive = Archive::new();
    archive.insert("c64", Complex::new(1.5_f64, -2.25)).unwrap();
    archive
        .insert("c32", Complex::new(0.1_f32, 0.2_f32))
        .unwrap();
    archive
        .insert("neg_zero", Complex::new(-0.0_f64, -0.0))
        .unwrap();
    archive
        .insert("precise", Complex::new(0.1_f64, 1.0 / 3.0))
        .unwrap();
    archive
        .insert(
            "list",
            vec![Complex::new(1.0_f64, 0.0), Complex::new(0.0, 1.0)],
        )
        .unwrap();
    save_package(&archive).check(
        "import math\n\
         assert type(a.c64) is complex and a.c64 == complex(1.5, -2.25), a.c64\n\
         assert type(a.c32) is complex and a.c32 == complex(float(np.float32(0.1)), float(np.float32(0.2))), a.c32\n\
         assert np.complex64(a.c32) == np.complex64(np.float32(0.1) + 1j * np.float32(0.2)), a.c32\n\
         assert math.copysign(1, a.neg_zero.real) == -1 and math.copysign(1, a.neg_zero.imag) == -1, a.neg_zero\n\
         assert a.precise.real == 0.1 and a.precise.imag == 1 / 3, a.precise\n\
         assert a.list == [1 + 0j, 1j] and all(type(c) is complex for c in a.list), a.list\n",
    );
}

#[test]
fn check_value_helper_sees_one_item() {
    check_value(&vec![("a", 1)], "assert a.x == [('a', 1)], a.x");
}
