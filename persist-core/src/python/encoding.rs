//! What CPython decodes a source file to, before any token: the checks that make our reading of
//! an archive's bytes the same as CPython's, or refuse the file.
//!
//! CPython reads a source file in the encoding its first two lines declare (PEP 263). A
//! `raw_unicode_escape` cookie turns `\u000a` inside a comment into a real line break, so a line
//! we would read as a comment runs as code; a `latin-1` cookie changes every non-ASCII string.
//! We read UTF-8 only, so any other declared encoding is refused. NUL bytes are refused by
//! CPython itself; form feeds reset CPython's indentation count, so they are refused outside
//! strings and comments (the lexer does that); decimal integer literals longer than CPython's
//! limit (4 300 digits since 3.11) are refused by the lexer, as CPython refuses them.

use super::ast::Pos;
use super::error::ParseError;

/// CPython's limit on the digits of a decimal integer literal (`sys.int_info.default_max_str_digits`).
pub(crate) const MAX_DECIMAL_DIGITS: usize = 4300;

/// The longest excerpt of the source an error message quotes.
pub(crate) const MAX_EXCERPT: usize = 40;

/// Refuse what CPython would decode differently from us: a coding declaration other than UTF-8
/// on the first two lines, and NUL bytes.
pub(crate) fn check_source(src: &str) -> Result<(), ParseError> {
    if let Some(at) = memchr::memchr(0, src.as_bytes()) {
        return Err(ParseError::new(
            pos_of(src, at),
            "the source contains a NUL byte, which Python refuses; an archive is plain text",
        ));
    }
    let body = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut start = 0;
    for line_no in 1..=2u32 {
        let rest = &body[start..];
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        if let Some(name) = coding_cookie(line)
            && !is_utf8_name(name)
        {
            return Err(ParseError::new(
                Pos::new(line_no, 1),
                format!(
                    "the coding declaration `{}` makes Python read this file as something other than UTF-8; an archive is UTF-8: remove the declaration or make it `utf-8`",
                    excerpt(name)
                ),
            ));
        }
        // PEP 263: the second line counts only when the first is blank or a comment.
        let first = line.trim_start_matches([' ', '\t', '\x0c']);
        if line_no == 1 && !(first.is_empty() || first.starts_with('#')) {
            break;
        }
        if end == rest.len() {
            break;
        }
        start += end
            + if rest[end..].starts_with("\r\n") {
                2
            } else {
                1
            };
    }
    Ok(())
}

/// The encoding name a line declares, by CPython's rule: a comment matching
/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`.
fn coding_cookie(line: &str) -> Option<&str> {
    let comment = line
        .trim_start_matches([' ', '\t', '\x0c'])
        .strip_prefix('#')?;
    let mut from = 0;
    while let Some(found) = comment[from..].find("coding") {
        let after = from + found + "coding".len();
        let rest = &comment[after..];
        if let Some(value) = rest.strip_prefix([':', '=']) {
            let value = value.trim_start_matches([' ', '\t']);
            let len = value
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(value.len());
            if len > 0 {
                return Some(&value[..len]);
            }
        }
        from = after;
    }
    None
}

/// Whether Python decodes with `name` exactly as UTF-8 (`utf-8`, `utf8`, `UTF_8`, `utf-8-...`).
fn is_utf8_name(name: &str) -> bool {
    let normal = name.to_ascii_lowercase().replace('_', "-");
    normal == "utf-8" || normal == "utf8" || normal.starts_with("utf-8-")
}

/// At most [`MAX_EXCERPT`] characters of `text`, with how much was left out.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(MAX_EXCERPT) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}... ({} bytes in all)", &text[..cut], text.len()),
    }
}

/// The position of byte `at` of `src`.
fn pos_of(src: &str, at: usize) -> Pos {
    super::ast::advance(src.as_bytes(), 0, Pos::new(1, 1), at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_other_than_utf8_are_refused_on_the_first_two_lines_only() {
        assert!(check_source("# -*- coding: latin-1 -*-\nx = 1\n").is_err());
        assert!(
            check_source("#!/usr/bin/env python\n# vim: set fileencoding=raw_unicode_escape :\n")
                .is_err()
        );
        assert!(check_source("x = 1\n# coding: latin-1\n").is_ok());
        assert!(check_source("\n\n# coding: latin-1\n").is_ok());
        assert!(check_source("# coding: utf-8\n# coding=UTF_8\n").is_ok());
        assert!(check_source("\u{feff}# coding: utf8\nx = 1\n").is_ok());
        assert!(check_source("# the coding is fine\n").is_ok());
    }

    #[test]
    fn nul_bytes_are_refused_with_their_position() {
        let err = check_source("x = 1\ny = '\0'\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 6));
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "9".repeat(100_000);
        assert!(excerpt(&long).len() < 80);
        assert_eq!(excerpt("short"), "short");
    }
}
