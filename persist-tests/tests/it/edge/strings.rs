//! Strings and chars: quotes, escapes and control characters, chars that need escaping, and a
//! string of every Unicode scalar value.

use std::collections::{BTreeMap, HashSet};

use persist_core::Archive;
use persist_tests::{code_points, save_package};

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
