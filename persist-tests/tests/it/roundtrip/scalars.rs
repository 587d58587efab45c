//! Round trips of scalars: integers of every width and their extremes, floats by bit pattern
//! (and their edge cases), complex numbers, `bool`, `char`, `()`, strings and paths.

use std::borrow::Cow;
use std::num::NonZeroU32;
use std::path::PathBuf;

use num_complex::Complex;
use proptest::prelude::*;

use super::{any_f32, any_f64, any_string, config, round_trip, round_trip_same};

proptest! {
    #![proptest_config(config())]

    #[test]
    fn integers_of_every_width(
        a in any::<i8>(), b in any::<i16>(), c in any::<i32>(), d in any::<i64>(),
        e in any::<i128>(), f in any::<isize>(),
        g in any::<u8>(), h in any::<u16>(), i in any::<u32>(), j in any::<u64>(),
        k in any::<u128>(), l in any::<usize>(),
    ) {
        round_trip(&(a, b, c, d, e, f, g, h, i, j, k, l));
        round_trip(&e);
        round_trip(&k);
    }

    #[test]
    fn f64_by_bit_pattern(x in any_f64()) {
        round_trip_same(&x);
    }

    #[test]
    fn f32_by_bit_pattern(x in any_f32()) {
        round_trip_same(&x);
    }

    #[test]
    fn complex_numbers(re in any_f64(), im in any_f64(), re32 in any_f32(), im32 in any_f32()) {
        round_trip_same(&Complex::new(re, im));
        round_trip_same(&Complex::new(re32, im32));
    }

    #[test]
    fn bool_char_and_unit(b in any::<bool>(), c in any::<char>()) {
        round_trip(&b);
        round_trip(&c);
        round_trip(&());
    }

    #[test]
    fn strings_and_paths(s in any_string()) {
        round_trip(&s);
        round_trip(&PathBuf::from(&s));
        round_trip::<Cow<'static, str>>(&Cow::Owned(s.clone()));
        round_trip::<Box<str>>(&s.clone().into_boxed_str());
    }
}

#[test]
fn integer_extremes() {
    round_trip(&i128::MIN);
    round_trip(&i128::MAX);
    round_trip(&u128::MAX);
    round_trip(&u128::MIN);
    round_trip(&i64::MIN);
    round_trip(&u64::MAX);
    round_trip(&(i8::MIN, i8::MAX, u8::MAX, i16::MIN, u16::MAX, i32::MIN));
    round_trip(&(isize::MIN, usize::MAX));
    round_trip(&NonZeroU32::new(7).expect("non-zero"));
}

#[test]
fn float_edge_cases_by_bit_pattern() {
    let specials = [
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        f64::MIN_POSITIVE,
        f64::MIN_POSITIVE / 2.0,
        -f64::MIN_POSITIVE / 3.0,
        f64::from_bits(1),
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        0.1,
        1.0 / 3.0,
        1e22,
        1e-7,
        123_456_789.0,
        9_007_199_254_740_993.0,
    ];
    for x in specials {
        round_trip_same(&x);
    }
    round_trip_same(&specials.to_vec());
    let specials32 = [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0,
        f32::MIN_POSITIVE / 2.0,
        f32::from_bits(1),
        f32::MAX,
        f32::MIN,
        0.1,
        16_777_217.0,
    ];
    for x in specials32 {
        round_trip_same(&x);
    }
    round_trip_same(&specials32.to_vec());
    round_trip_same(&Complex::new(f64::NAN, -0.0));
    round_trip_same(&Complex::new(f64::NEG_INFINITY, f64::MIN_POSITIVE / 2.0));
    round_trip_same(&Complex::new(-0.0_f32, f32::INFINITY));
}

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
    "\x7f",
    "\u{80}\u{85}\u{9f}",
    "\u{2028}\u{2029}",
    "\u{feff}",
    "\u{d7ff}\u{e000}\u{fffd}\u{ffff}",
    "😀",
    "\u{10ffff}",
    "e\u{301}",
    "{x} %s # not a comment",
    "\n# a line that looks like a comment\nimport os\n",
    "tab\tnew\nline\rcr\0nul\x7fdel\u{85}nel\u{2028}ls😀",
];

#[test]
fn string_edge_cases() {
    for s in TRICKY {
        round_trip(&(*s).to_owned());
        if let [c] = s.chars().collect::<Vec<_>>().as_slice() {
            round_trip(c);
        }
    }
    round_trip(&TRICKY.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    for c in [
        '\0',
        '\'',
        '"',
        '\\',
        '\n',
        '\u{85}',
        '\u{ffff}',
        '😀',
        char::MAX,
    ] {
        round_trip(&c);
    }
}
