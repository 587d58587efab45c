//! Numbers: integer (any base, underscores, arbitrarily long), float and imaginary literals, with
//! a fast path for the plain decimals archives are mostly made of.

use super::{Lexer, Tok, is_name_byte};
use crate::python::encoding::MAX_DECIMAL_DIGITS;
use crate::python::error::ParseError;

impl<'a> Lexer<'a> {
    /// The fast path of [`scan_number`](Lexer::scan_number): `123` (up to 19 digits, no leading
    /// zero) or `1.5`, `1.`, `.5`, without `_`, exponent or `j`. `None` for anything else.
    fn scan_plain_decimal(&mut self, start: usize) -> Option<Tok<'a>> {
        let b = self.bytes;
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let rest = &b[start..];
        let digits = rest
            .iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let value = rest[..digits].iter().fold(0u64, |v, &d| {
            v.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))
        });
        let i = start + digits;
        if at(i) != b'.' {
            let plain = digits > 0 && digits <= 19 && (digits == 1 || at(start) != b'0');
            if !plain || is_name_byte(at(i)) {
                return None;
            }
            self.i = i;
            return Some(Tok::Int(value));
        }
        let fraction = &b[i + 1..];
        let j = i
            + 1
            + fraction
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
        if is_name_byte(at(j)) || (digits == 0 && j == i + 1) {
            return None;
        }
        let value = self.src[start..j].parse::<f64>().ok()?;
        self.i = j;
        Some(Tok::Float(value))
    }

    /// Scan a number literal starting at `start` (a digit, or a `.` before a digit).
    pub(super) fn scan_number(&mut self, start: usize) -> Result<Tok<'a>, ParseError> {
        let b = self.bytes;
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        if at(start) == b'0' && matches!(at(start + 1) | 0x20, b'x' | b'o' | b'b') {
            let (radix, name) = match at(start + 1) | 0x20 {
                b'x' => (16, "hexadecimal"),
                b'o' => (8, "octal"),
                _ => (2, "binary"),
            };
            let end = digit_part(b, start + 2, radix, true);
            if end == start + 2 || is_name_byte(at(end)) {
                let found = self.src[end..].chars().next().map_or_else(
                    || "the end of the file".to_owned(),
                    |c| format!("`{}`", c.escape_debug()),
                );
                return Err(self.error(
                    end,
                    format!("invalid {name} literal: found {found}; expected a {name} digit"),
                ));
            }
            self.i = end;
            return Ok(int_value(&self.src[start + 2..end], radix));
        }
        if let Some(tok) = self.scan_plain_decimal(start) {
            return Ok(tok);
        }
        let mut i = digit_part(b, start, 10, false);
        let mut float = false;
        if at(i) == b'.' {
            float = true;
            i = digit_part(b, i + 1, 10, false);
        }
        if at(i) | 0x20 == b'e' {
            let k = if matches!(at(i + 1), b'+' | b'-') {
                i + 2
            } else {
                i + 1
            };
            if !at(k).is_ascii_digit() {
                return Err(self.error(i, "invalid number: expected digits after the exponent `e`"));
            }
            i = digit_part(b, k, 10, false);
            float = true;
        }
        let end = i;
        let imaginary = at(i) | 0x20 == b'j';
        if imaginary {
            i += 1;
        }
        if is_name_byte(at(i)) {
            let c = at(i) as char;
            let message = if c == '_' {
                "invalid number: `_` must stand between two digits".to_owned()
            } else {
                format!(
                    "invalid number: `{c}` cannot follow a number; expected a digit or an operator"
                )
            };
            return Err(self.error(i, message));
        }
        self.i = i;
        let text = &self.src[start..end];
        if float || imaginary {
            let value = if text.contains('_') {
                text.replace('_', "").parse::<f64>()
            } else {
                text.parse::<f64>()
            };
            let value = value.map_err(|_| self.error(start, "invalid float literal"))?;
            return Ok(if imaginary {
                Tok::Imag(value)
            } else {
                Tok::Float(value)
            });
        }
        if text.starts_with('0') && text.bytes().any(|c| matches!(c, b'1'..=b'9')) {
            return Err(self.error(
                start,
                "leading zeros are not allowed in a decimal integer; write `0o` for an octal one",
            ));
        }
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        if digits > MAX_DECIMAL_DIGITS {
            return Err(self.error(
                start,
                format!(
                    "a decimal integer of {digits} digits; Python refuses more than {MAX_DECIMAL_DIGITS} (write it in hexadecimal, which has no limit)"
                ),
            ));
        }
        Ok(int_value(text, 10))
    }
}

/// The end of `digit (["_"] digit)*` in base `radix` starting at `i` (`(["_"] digit)*` if `lead`,
/// after a base prefix), or `i` when there is no digit.
fn digit_part(bytes: &[u8], mut i: usize, radix: u32, lead: bool) -> usize {
    let start = i;
    let is_digit = |i: usize| bytes.get(i).is_some_and(|&d| char::from(d).is_digit(radix));
    loop {
        if is_digit(i) {
            i += 1;
        } else if bytes.get(i) == Some(&b'_') && (i > start || lead) && is_digit(i + 1) {
            i += 2;
        } else {
            return i;
        }
    }
}

/// The token of the integer spelled by `digits` (underscores allowed) in base `radix`.
fn int_value(digits: &str, radix: u32) -> Tok<'static> {
    let mut value: u64 = 0;
    for c in digits.bytes() {
        let Some(d) = char::from(c).to_digit(radix) else {
            continue;
        };
        match value
            .checked_mul(u64::from(radix))
            .and_then(|v| v.checked_add(u64::from(d)))
        {
            Some(v) => value = v,
            None => return Tok::BigInt(digits.replace('_', ""), radix),
        }
    }
    Tok::Int(value)
}
