//! Edge cases of values: strings with every kind of character, non-finite and extreme floats,
//! extreme integers, empty containers, deep nesting, item names that are Python builtins.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use ndarray::{Array1, array};
use num_complex::Complex;
use persist_core::{Archive, Container, Persist, WriteError, Writer};
use persist_tests::{HandRecord, code_points, save_package};

/// Strings that need escaping, or that look like Python syntax.
const TRICKY: &[&str] = &[
    "",
    "it's",
    "say \"hi\"",
    "'\"",
    "'''",
    "\"\"\"",
    "\\",
    "end\\",
    "\\'",
    "C:\\path\\new",
    "\0",
    "a\0b",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x01\x1b[31m\x1f",
    "\x0b\x0c",
    "\x1c\x1d\x1e",
    "\x7f",
    "\u{80}\u{85}\u{9f}",
    "\u{a0}\u{ad}",
    "\u{2028}\u{2029}",
    "\u{feff}",
    "\u{200b}\u{200e}\u{202e}",
    "\u{d7ff}\u{e000}\u{fffd}\u{ffff}",
    "😀",
    "\u{10ffff}",
    "e\u{301}",
    "{x} %s # not a comment",
    "\n# a line that looks like a comment\nimport os\n",
    "tab\tnew\nline\rcr\0nul\x7fdel\u{85}nel\u{2028}ls😀",
];

/// Python code defining `S`, the list of `TRICKY` strings built from their code points.
fn tricky_in_python() -> String {
    let lists: Vec<String> = TRICKY.iter().map(|s| code_points(s)).collect();
    format!(
        "S = [''.join(map(chr, cps)) for cps in [{}]]\n",
        lists.join(", ")
    )
}

#[test]
fn strings_with_quotes_escapes_and_control_characters() {
    let map: BTreeMap<&str, usize> = TRICKY.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let set: HashSet<&str> = TRICKY.iter().copied().collect();
    let mut archive = Archive::new();
    archive.insert("strs", TRICKY).unwrap();
    archive.insert("map", &map).unwrap();
    archive.insert("hset", &set).unwrap();
    archive
        .insert(
            "tuple_keys",
            TRICKY
                .iter()
                .map(|s| ((*s, 1), *s))
                .collect::<BTreeMap<_, _>>(),
        )
        .unwrap();
    archive.insert("quote", "it's \"quoted\"").unwrap();
    archive.insert("backslash", "a\\b\\").unwrap();
    archive
        .insert("controls", "\0\n\r\t\x7f\u{85}\u{2028}")
        .unwrap();
    archive.insert("empty", "").unwrap();
    let code = format!(
        "{}\
         assert len(a.strs) == len(S)\n\
         for i, (got, want) in enumerate(zip(a.strs, S)):\n\
         \x20   assert type(got) is str and got == want, (i, [ord(c) for c in got], [ord(c) for c in want])\n\
         assert a.map == {{s: i for i, s in enumerate(S)}}\n\
         assert type(a.hset) is set and a.hset == set(S)\n\
         assert a.tuple_keys == {{(s, 1): s for s in S}}\n\
         assert a.quote == 'it\\'s \"quoted\"' == \"it's \\\"quoted\\\"\", a.quote\n\
         assert a.backslash == 'a' + chr(92) + 'b' + chr(92), a.backslash\n\
         assert a.controls == '\\x00\\n\\r\\t\\x7f\\x85\\u2028', [ord(c) for c in a.controls]\n\
         assert a.empty == '' and type(a.empty) is str\n",
        tricky_in_python()
    );
    save_package(&archive).check(&code);
}

#[test]
fn chars_that_need_escaping() {
    let chars = [
        '\0',
        '\'',
        '"',
        '\\',
        '\n',
        '\r',
        '\t',
        '\x7f',
        '\u{85}',
        '\u{2028}',
        '\u{feff}',
        '😀',
        '\u{10ffff}',
    ];
    let expected: String = chars.iter().collect();
    let mut archive = Archive::new();
    archive.insert("chars", chars).unwrap();
    archive.insert("nul", '\0').unwrap();
    let code = format!(
        "assert all(type(c) is str and len(c) == 1 for c in a.chars), a.chars\n\
         assert [ord(c) for c in a.chars] == {}\n\
         assert a.nul == chr(0)\n",
        code_points(&expected)
    );
    save_package(&archive).check(&code);
}

#[test]
fn a_string_of_every_unicode_scalar_value() {
    let all: String = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
    let mut archive = Archive::new();
    archive.insert("all", &all).unwrap();
    let saved = save_package(&archive);
    saved.check(
        "want = ''.join(map(chr, range(0xD800))) + ''.join(map(chr, range(0xE000, 0x110000)))\n\
         assert len(a.all) == len(want), len(a.all)\n\
         if a.all != want:\n\
         \x20   bad = next(i for i, (x, y) in enumerate(zip(a.all, want)) if x != y)\n\
         \x20   assert False, (bad, ord(a.all[bad]), ord(want[bad]))\n",
    );
    // The source stays valid UTF-8 text with no raw control characters but newlines.
    let source = saved.source();
    assert!(
        !source
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{2028}' || c == '\u{2029}'),
        "a raw control character or line separator in the source"
    );
}

#[test]
fn non_finite_and_extreme_floats() {
    let f64s = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        0.0,
        5e-324,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        2.225_073_858_507_201e-308,
        -5e-324,
    ];
    let f32s = [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0_f32,
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        f32::from_bits(0x007F_FFFF),
    ];
    let mut archive = Archive::new();
    archive.insert("nan", f64::NAN).unwrap();
    archive.insert("inf", f64::INFINITY).unwrap();
    archive.insert("ninf", f64::NEG_INFINITY).unwrap();
    archive.insert("nzero", -0.0_f64).unwrap();
    archive.insert("tiny", 5e-324_f64).unwrap();
    archive.insert("min_pos", f64::MIN_POSITIVE).unwrap();
    archive.insert("max", f64::MAX).unwrap();
    archive.insert("f32_max", f32::MAX).unwrap();
    archive.insert("f32_tiny", f32::from_bits(1)).unwrap();
    archive.insert("f32_nan", f32::NAN).unwrap();
    archive.insert("f32_nzero", -0.0_f32).unwrap();
    archive.insert("f64s", f64s).unwrap();
    archive.insert("f32s", f32s).unwrap();
    archive
        .insert(
            "in_containers",
            (
                vec![f64::NAN, -0.0],
                (f64::INFINITY,),
                BTreeMap::from([("k", f64::NAN)]),
            ),
        )
        .unwrap();
    archive
        .insert(
            "complexes",
            vec![
                Complex::new(f64::NAN, -0.0),
                Complex::new(f64::INFINITY, f64::NEG_INFINITY),
                Complex::new(-0.0, 5e-324),
            ],
        )
        .unwrap();
    archive
        .insert("complex32", Complex::new(f32::NAN, -0.0_f32))
        .unwrap();
    let f64_bits: Vec<String> = f64s.iter().map(|x| x.to_bits().to_string()).collect();
    let f32_bits: Vec<String> = f32s.iter().map(|x| x.to_bits().to_string()).collect();
    let code = format!(
        "import math, struct\n\
         def bits64(x):\n    return struct.unpack('<Q', struct.pack('<d', x))[0]\n\
         def bits32(x):\n    return int(np.float32(x).view(np.uint32))\n\
         assert type(a.nan) is float and math.isnan(a.nan), a.nan\n\
         assert a.inf == math.inf and a.ninf == -math.inf, (a.inf, a.ninf)\n\
         assert a.nzero == 0 and math.copysign(1, a.nzero) == -1, a.nzero\n\
         assert a.tiny == 5e-324 and a.tiny > 0 and a.tiny / 2 == 0, a.tiny\n\
         assert a.min_pos == 2.2250738585072014e-308 == __import__('sys').float_info.min, a.min_pos\n\
         assert a.max == 1.7976931348623157e308 == __import__('sys').float_info.max, a.max\n\
         assert np.float32(a.f32_max) == np.finfo(np.float32).max and a.f32_max == 3.4028234663852886e38, a.f32_max  # the f32's exact value\n\
         assert bits32(a.f32_tiny) == 1 and a.f32_tiny > 0, a.f32_tiny\n\
         assert math.isnan(a.f32_nan)\n\
         assert math.copysign(1, a.f32_nzero) == -1\n\
         assert math.isnan(a.f64s[0])\n\
         assert [bits64(x) for x in a.f64s[1:]] == [{f64_rest}], a.f64s\n\
         assert math.isnan(a.f32s[0])\n\
         assert [bits32(x) for x in a.f32s[1:]] == [{f32_rest}], a.f32s\n\
         l, t, d = a.in_containers\n\
         assert math.isnan(l[0]) and math.copysign(1, l[1]) == -1 and t == (math.inf,) and math.isnan(d['k'])\n\
         c0, c1, c2 = a.complexes\n\
         assert math.isnan(c0.real) and math.copysign(1, c0.imag) == -1, c0\n\
         assert c1.real == math.inf and c1.imag == -math.inf, c1\n\
         assert math.copysign(1, c2.real) == -1 and c2.imag == 5e-324, c2\n\
         assert math.isnan(a.complex32.real) and math.copysign(1, a.complex32.imag) == -1, a.complex32\n",
        f64_rest = f64_bits[1..].join(", "),
        f32_rest = f32_bits[1..].join(", "),
    );
    save_package(&archive).check(&code);
}

#[test]
fn non_finite_floats_in_arrays_inline_and_external() {
    let f64s = array![
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        5e-324,
        f64::MAX
    ];
    let f32s = array![
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0,
        f32::from_bits(1),
        f32::MAX
    ];
    let c64s = array![
        Complex::new(f64::NAN, -0.0),
        Complex::new(f64::NEG_INFINITY, 5e-324)
    ];
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("f64_ext", &f64s).unwrap();
    archive.insert("f32_ext", &f32s).unwrap();
    archive
        .insert("f64_in", f64s.slice(ndarray::s![..4]))
        .unwrap();
    archive
        .insert("f32_in", f32s.slice(ndarray::s![..4]))
        .unwrap();
    archive.insert("c64_in", &c64s).unwrap();
    let f64_bits: Vec<String> = f64s.iter().map(|x| x.to_bits().to_string()).collect();
    let f32_bits: Vec<String> = f32s.iter().map(|x| x.to_bits().to_string()).collect();
    let saved = save_package(&archive);
    assert!(saved.dir.path().join("arch/_arrays/f64_ext.npy").is_file());
    saved.check(&format!(
        "assert a.f64_ext.view(np.uint64).tolist() == [{f64}], a.f64_ext\n\
         assert a.f32_ext.view(np.uint32).tolist() == [{f32}], a.f32_ext\n\
         assert a.f64_in.view(np.uint64).tolist() == [{f64_4}], a.f64_in\n\
         assert a.f32_in.view(np.uint32).tolist() == [{f32_4}], a.f32_in\n\
         assert a.c64_in.dtype == np.complex128\n\
         assert np.isnan(a.c64_in[0].real) and np.signbit(a.c64_in[0].imag), a.c64_in\n\
         assert a.c64_in[1].real == -np.inf and a.c64_in[1].imag == 5e-324, a.c64_in\n",
        // NaN payloads: Rust's f64::NAN and numpy's nan are both the quiet NaN 0x7ff8...
        f64 = f64_bits.join(", "),
        f32 = f32_bits.join(", "),
        f64_4 = f64_bits[..4].join(", "),
        f32_4 = f32_bits[..4].join(", "),
    ));
}

#[test]
fn extreme_integers_everywhere() {
    let mut archive = Archive::new();
    archive.insert("i128_min", i128::MIN).unwrap();
    archive.insert("u128_max", u128::MAX).unwrap();
    archive
        .insert(
            "keys",
            BTreeMap::from([(i128::MIN, "min"), (0, "zero"), (i128::MAX, "max")]),
        )
        .unwrap();
    archive
        .insert("ukeys", HashMap::from([(u128::MAX, 1), (0, 2)]))
        .unwrap();
    archive
        .insert("hset", HashSet::from([i128::MIN, -1, i128::MAX]))
        .unwrap();
    archive
        .insert("tuple", (i64::MIN, u64::MAX, i128::MIN, u128::MAX))
        .unwrap();
    save_package(&archive).check(
        "assert a.i128_min == -2**127 and type(a.i128_min) is int, a.i128_min\n\
         assert a.u128_max == 2**128 - 1, a.u128_max\n\
         assert a.keys == {-2**127: 'min', 0: 'zero', 2**127 - 1: 'max'}, a.keys\n\
         assert a.ukeys == {2**128 - 1: 1, 0: 2}, a.ukeys\n\
         assert a.hset == {-2**127, -1, 2**127 - 1}, a.hset\n\
         assert a.tuple == (-2**63, 2**64 - 1, -2**127, 2**128 - 1), a.tuple\n",
    );
}

/// The empty tuple, which no Rust type writes: only a hand-written impl can.
struct EmptyTuple;

impl Persist for EmptyTuple {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.begin(Container::Tuple)?;
        out.end()
    }
}

#[test]
fn the_empty_tuple_through_the_writer_api() {
    let mut w = Writer::inline();
    w.begin(Container::Tuple).unwrap();
    w.end().unwrap();
    assert_eq!(w.take_expression(), "()");
    let mut w = Writer::inline();
    (EmptyTuple, (EmptyTuple,))
        .to_python_source(&mut w)
        .unwrap();
    assert_eq!(w.take_expression(), "((), ((),))");
    let mut w = Writer::inline();
    w.begin(Container::Set).unwrap();
    w.end().unwrap();
    assert_eq!(w.take_expression(), "set()");
}

#[test]
fn empty_containers() {
    let mut archive = Archive::new();
    archive.insert("vec", Vec::<i32>::new()).unwrap();
    archive
        .insert("map", HashMap::<String, i32>::new())
        .unwrap();
    archive.insert("bmap", BTreeMap::<i32, i32>::new()).unwrap();
    archive.insert("hset", HashSet::<i32>::new()).unwrap();
    archive.insert("bset", BTreeSet::<String>::new()).unwrap();
    archive.insert("string", String::new()).unwrap();
    archive.insert("one", (1,)).unwrap();
    archive.insert("one_empty", (Vec::<u8>::new(),)).unwrap();
    archive.insert("empty_tuple", EmptyTuple).unwrap();
    archive
        .insert("nested", vec![vec![Vec::<i32>::new()], vec![]])
        .unwrap();
    archive
        .insert(
            "sets",
            (
                HashSet::<u8>::new(),
                BTreeSet::<u8>::new(),
                HashMap::<u8, u8>::new(),
            ),
        )
        .unwrap();
    archive.insert("array", Array1::<f64>::zeros(0)).unwrap();
    save_package(&archive).check(
        "assert a.vec == [] and type(a.vec) is list, a.vec\n\
         assert a.map == {} and type(a.map) is dict, a.map\n\
         assert a.bmap == {} and type(a.bmap) is dict, a.bmap\n\
         assert a.hset == set() and type(a.hset) is set, a.hset\n\
         assert a.bset == set() and type(a.bset) is set, a.bset\n\
         assert a.string == '', a.string\n\
         assert a.one == (1,) and type(a.one) is tuple and len(a.one) == 1, a.one\n\
         assert a.one_empty == ([],), a.one_empty\n\
         assert a.empty_tuple == () and type(a.empty_tuple) is tuple, a.empty_tuple\n\
         assert a.nested == [[[]], []], a.nested\n\
         assert a.sets == (set(), set(), {}) and type(a.sets[0]) is set and type(a.sets[1]) is set, a.sets\n\
         assert a.array.shape == (0,) and a.array.dtype == np.float64, a.array\n",
    );
}

#[test]
fn dicts_with_tuple_keys() {
    let flat: HashMap<(i32, String, bool), i32> = [
        ((1, "a".to_owned(), true), 1),
        ((-1, "it's".to_owned(), false), 2),
        ((0, String::new(), true), 3),
    ]
    .into_iter()
    .collect();
    let nested: BTreeMap<((i8, u8), (char,)), &str> =
        [(((-1, 2), ('x',)), "a"), (((3, 4), ('\n',)), "b")]
            .into_iter()
            .collect();
    let one: HashMap<(i64,), i64> = [((1,), 10), ((2,), 20)].into_iter().collect();
    let mut archive = Archive::new();
    archive.insert("flat", &flat).unwrap();
    archive.insert("nested", &nested).unwrap();
    archive.insert("one", &one).unwrap();
    archive
        .insert("set_of_tuples", HashSet::from([(1, (2, 3)), (4, (5, 6))]))
        .unwrap();
    save_package(&archive).check(
        "assert a.flat == {(1, 'a', True): 1, (-1, \"it's\", False): 2, (0, '', True): 3}, a.flat\n\
         assert a.nested == {((-1, 2), ('x',)): 'a', ((3, 4), ('\\n',)): 'b'}, a.nested\n\
         assert a.one == {(1,): 10, (2,): 20}, a.one\n\
         assert all(type(k) is tuple and len(k) == 1 for k in a.one)\n\
         assert a.set_of_tuples == {(1, (2, 3)), (4, (5, 6))}, a.set_of_tuples\n",
    );
}

/// Containers nested `depth` deep around a leaf, written by hand as plain Python containers.
enum Deep {
    List(usize),
    Tuple(usize),
    Dict(usize),
    /// A dict whose one key is a tuple nested this deep.
    TupleKey(usize),
}

struct Nested(u32);

impl Persist for Nested {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.begin(Container::Tuple)?;
        if self.0 > 0 {
            out.element(&Nested(self.0 - 1))?;
        } else {
            out.element(&7)?;
        }
        out.end()
    }
}

impl Persist for Deep {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match *self {
            Deep::List(0) | Deep::Tuple(0) | Deep::Dict(0) => out.write_int(7),
            Deep::List(n) => {
                out.begin(Container::List)?;
                out.element(&Deep::List(n - 1))?;
                out.end()?;
            }
            Deep::Tuple(n) => {
                out.begin(Container::Tuple)?;
                out.element(&Deep::Tuple(n - 1))?;
                out.end()?;
            }
            Deep::Dict(n) => {
                out.begin(Container::Dict)?;
                out.entry(&(n as u64), &Deep::Dict(n - 1))?;
                out.end()?;
            }
            Deep::TupleKey(n) => {
                out.begin(Container::Dict)?;
                out.entry(&Nested(n as u32 - 1), "value")?;
                out.end()?;
            }
        }
        Ok(())
    }
}

#[test]
fn deeply_nested_containers_import() {
    let mut archive = Archive::new();
    archive.insert("lists", Deep::List(300)).unwrap();
    archive.insert("tuples", Deep::Tuple(300)).unwrap();
    archive.insert("dicts", Deep::Dict(300)).unwrap();
    archive.insert("key", Deep::TupleKey(300)).unwrap();
    archive
        .insert("many", vec![Deep::List(120), Deep::List(60), Deep::List(0)])
        .unwrap();
    let saved = save_package(&archive);
    saved.check(
        "def depth(x, kind):\n\
         \x20   n = 0\n\
         \x20   while type(x) is kind:\n\
         \x20       assert len(x) == 1, (n, len(x))\n\
         \x20       x = next(iter(x.values())) if kind is dict else x[0]\n\
         \x20       n += 1\n\
         \x20   return n, x\n\
         assert depth(a.lists, list) == (300, 7)\n\
         assert depth(a.tuples, tuple) == (300, 7)\n\
         assert depth(a.dicts, dict) == (300, 7)\n\
         x = a.dicts\n\
         for n in range(300, 0, -1):\n\
         \x20   (k, x), = x.items()\n\
         \x20   assert k == n, (n, k)\n\
         (k, v), = a.key.items()\n\
         assert v == 'value' and depth(k, tuple) == (300, 7)\n\
         assert [depth(x, list) for x in a.many] == [(120, 7), (60, 7), (0, 7)]\n",
    );
    // No line nests anywhere near Python's limit of 200 brackets.
    for line in saved.source().lines() {
        let mut depth = 0_i32;
        let mut max = 0;
        for c in line.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
            max = max.max(depth);
        }
        assert!(
            max < 100,
            "a line nests {max} brackets: {}",
            &line[..line.len().min(200)]
        );
    }
}

/// Item names that are Python builtins (but not ones the archive's own code needs) work, and
/// the record helpers still work after the module has run.
#[test]
fn items_named_like_python_builtins() {
    let names = [
        "len",
        "type",
        "list",
        "dict",
        "str",
        "int",
        "bool",
        "tuple",
        "print",
        "object",
        "isinstance",
        "getattr",
        "hasattr",
        "hash",
        "repr",
        "id",
        "map",
        "zip",
        "all",
        "range",
        "iter",
        "next",
        "super",
        "ValueError",
        "TypeError",
        "np",
        "os",
        "numpy",
        "builtins",
        "b",
        "load",
        "arrays",
        "record",
        "fields",
        "qualname",
        "name",
        "match",
        "case",
        "print_function",
    ];
    let mut archive = Archive::new().with_array_threshold(4);
    for (i, name) in names.iter().enumerate() {
        let value = (
            HandRecord::named("Point", &["x", "y"], vec![i as i64, 2]),
            Array1::from_elem(3, i as i64),
            Array1::from_elem(5, i as f64),
            HashSet::from([i]),
            Complex::new(f64::NAN, i as f64),
        );
        archive.insert(name, value).unwrap();
    }
    let code = format!(
        "names = {names:?}\n\
         import math\n\
         for i, name in enumerate(names):\n\
         \x20   p, small, big, s, c = getattr(a, name)\n\
         \x20   assert type(p).__name__ == 'Point' and (p.x, p.y) == (i, 2), (name, p)\n\
         \x20   assert repr(p) == f'Point(x={{i}}, y=2)', (name, repr(p))\n\
         \x20   assert p == p and not (p != p), name\n\
         \x20   assert small.dtype == np.int64 and small.tolist() == [i] * 3, (name, small)\n\
         \x20   assert big.dtype == np.float64 and big.tolist() == [float(i)] * 5, (name, big)\n\
         \x20   assert s == {{i}} and type(s) is set, (name, s)\n\
         \x20   assert math.isnan(c.real) and c.imag == i, (name, c)\n\
         p0 = a.len[0]\n\
         assert p0 != a.type[0] and hash(p0) == hash(p0), (p0, a.type[0])\n\
         assert (p0 == 3) is False and (p0 != 3) is True, 'a record compared with an int'\n"
    );
    save_package(&archive).check(&code);
}
