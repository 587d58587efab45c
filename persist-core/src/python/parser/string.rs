//! Decoding string and bytes literals: escapes, raw strings and newlines, as Python reads them.

use crate::python::lexer::StrLit;

/// A decoding error: the byte offset of the offending escape in the literal's body, and a message.
pub(super) type DecodeError = (usize, String);

/// The value of an escape that means the same in `str` and `bytes`, or `None`.
fn simple_escape(c: u8) -> Option<u8> {
    Some(match c {
        b'\\' => b'\\',
        b'\'' => b'\'',
        b'"' => b'"',
        b'a' => 0x07,
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 0x0b,
        _ => return None,
    })
}

/// Read up to `max` digits of `radix` at `i`: the value and the end, `None` without `min` digits.
fn number(b: &[u8], i: usize, radix: u32, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut end = i;
    while end < b.len() && end - i < max {
        let Some(d) = char::from(b[end]).to_digit(radix) else {
            break;
        };
        value = value * radix + d;
        end += 1;
    }
    (end - i >= min).then_some((value, end))
}

/// The length of the line break at `i` of `b` (`\n`, `\r\n`, `\r`), or 0.
fn line_break(b: &[u8], i: usize) -> usize {
    match (b.get(i), b.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\n' | b'\r'), _) => 1,
        _ => 0,
    }
}

/// Append the value of a `str` literal to `out`.
pub(super) fn decode_str(lit: &StrLit<'_>, out: &mut String) -> Result<(), DecodeError> {
    let body = lit.body;
    if lit.plain {
        out.push_str(body);
        return Ok(());
    }
    let b = body.as_bytes();
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\r' => {
                out.push_str(&body[run..i]);
                out.push('\n');
                i += line_break(b, i);
                run = i;
            }
            b'\\' if lit.raw => {
                // Kept, and so is what follows (a quote, or a line break, normalised).
                i += 1;
            }
            b'\\' => {
                out.push_str(&body[run..i]);
                let start = i;
                i += 1;
                let Some(&c) = b.get(i) else {
                    out.push('\\');
                    break;
                };
                if let Some(v) = simple_escape(c) {
                    out.push(char::from(v));
                    i += 1;
                } else if line_break(b, i) > 0 {
                    i += line_break(b, i);
                } else if let Some((v, end)) = number(b, i, 8, 1, 3) {
                    out.push(char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER));
                    i = end;
                } else if let Some(len) = match c {
                    b'x' => Some(2),
                    b'u' => Some(4),
                    b'U' => Some(8),
                    _ => None,
                } {
                    let Some((v, end)) = number(b, i + 1, 16, len, len) else {
                        return Err((
                            start,
                            format!(
                                "truncated `\\{}` escape; expected {len} hexadecimal digits",
                                char::from(c)
                            ),
                        ));
                    };
                    let Some(ch) = char::from_u32(v) else {
                        return Err((
                            start,
                            format!(
                                "the escape `{}` is not a Unicode scalar value (a surrogate or beyond U+10FFFF)",
                                &body[start..end]
                            ),
                        ));
                    };
                    out.push(ch);
                    i = end;
                } else if c == b'N' {
                    return Err((
                        start,
                        "named escapes `\\N{...}` are not supported in an archive; write the character itself or a `\\u` escape".to_owned(),
                    ));
                } else {
                    // Not an escape: Python keeps the backslash (and warns).
                    out.push('\\');
                }
                run = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&body[run..]);
    Ok(())
}

/// Append the value of a `bytes` literal to `out`.
pub(super) fn decode_bytes(lit: &StrLit<'_>, out: &mut Vec<u8>) -> Result<(), DecodeError> {
    let body = lit.body;
    if let Some(at) = body.bytes().position(|c| !c.is_ascii()) {
        return Err((
            at,
            "a bytes literal may contain only ASCII characters; write other bytes as `\\xNN` escapes"
                .to_owned(),
        ));
    }
    let b = body.as_bytes();
    if lit.plain {
        out.extend_from_slice(b);
        return Ok(());
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' => {
                out.push(b'\n');
                i += line_break(b, i);
            }
            b'\\' if lit.raw => {
                out.push(b'\\');
                i += 1;
            }
            b'\\' => {
                let start = i;
                i += 1;
                let Some(&c) = b.get(i) else {
                    out.push(b'\\');
                    break;
                };
                if let Some(v) = simple_escape(c) {
                    out.push(v);
                    i += 1;
                } else if line_break(b, i) > 0 {
                    i += line_break(b, i);
                } else if let Some((v, end)) = number(b, i, 8, 1, 3) {
                    let Ok(v) = u8::try_from(v) else {
                        return Err((
                            start,
                            format!(
                                "the octal escape `{}` is larger than `\\377`, the largest byte",
                                &body[start..end]
                            ),
                        ));
                    };
                    out.push(v);
                    i = end;
                } else if c == b'x' {
                    let Some((v, end)) = number(b, i + 1, 16, 2, 2) else {
                        return Err((
                            start,
                            "truncated `\\x` escape; expected 2 hexadecimal digits".to_owned(),
                        ));
                    };
                    out.push(v as u8);
                    i = end;
                } else {
                    // Not an escape in bytes (`\u`, `\N` included): the backslash is kept.
                    out.push(b'\\');
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(())
}
