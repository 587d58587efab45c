//! Python spellings of scalar literals: the only place that knows how numbers and strings are
//! written in Python source.

use std::fmt::Write as _;

/// Append the Python literal for an `f64`: the shortest text that reads back to the same bits,
/// `float('nan')`, `float('inf')` or `-float('inf')`.
pub fn push_f64(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("float('nan')");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 {
            "float('inf')"
        } else {
            "-float('inf')"
        });
    } else {
        let mut buffer = zmij::Buffer::new();
        let text = buffer.format_finite(v);
        // zmij writes a fraction from 1e-5 up to 1e16 and an exponent (`e-324` at the longest)
        // elsewhere; from 1e-4 up, its fraction is already the spelling `push_shortest` lays out
        // (a test compares the two on many values).
        let exponent = text.as_bytes()[text.len().saturating_sub(5)..].contains(&b'e');
        if v.abs() >= 1e-4 && !exponent {
            out.push_str(text);
        } else {
            push_shortest(out, text);
        }
    }
}

/// Append a finite float given as its shortest round-trip text (zmij's: an optional `-`,
/// digits with an optional `.`, an optional exponent `e-7`/`e16`) in the spelling of Rust's
/// `{:?}`, which the archives have always used and Python reads: a fraction (`0.0001`,
/// `1.0`, `123.5`) from 1e-4 up to 1e16, else one digit, the rest, and the exponent (`1e-5`,
/// `1.5e16`, `5e-324`).
fn push_shortest(out: &mut String, text: &str) {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The significant digits, and the power of ten of the first: value = d.ddd x 10^point.
    let mut digits = [0_u8; 40];
    let mut n = 0;
    let mut point = exponent + whole.len() as i32 - 1;
    for &b in whole.as_bytes().iter().chain(fraction.as_bytes()) {
        if n == 0 && b == b'0' {
            point -= 1; // a leading zero
        } else if n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    while n > 1 && digits[n - 1] == b'0' {
        n -= 1;
    }
    if negative {
        out.push('-');
    }
    if n == 0 {
        out.push_str("0.0");
        return;
    }
    let digits = std::str::from_utf8(&digits[..n]).unwrap_or("0");
    if !(-4..16).contains(&point) {
        out.push_str(&digits[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push_str(itoa::Buffer::new().format(point));
    } else if point < 0 {
        out.push_str("0.");
        for _ in 0..(-point - 1) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let int_len = point as usize + 1;
        if n <= int_len {
            out.push_str(digits);
            for _ in n..int_len {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
}

/// Append the Python literal for an `f32`: the shortest decimal that reads back to the same `f32`
/// (so `0.1f32` is written `0.1`, which is what a person means and what numpy's float32 gives).
pub fn push_f32(out: &mut String, v: f32) {
    if v.is_nan() || v.is_infinite() {
        push_f64(out, f64::from(v));
    } else {
        // Not zmij: of two shortest decimals equally near an `f32` (`499160.12` and
        // `499160.13` for 499160.125), zmij and `{:?}` pick differently, and the archives have
        // always had `{:?}`'s.
        let _ = write!(out, "{v:?}");
    }
}

/// Append `complex(re, im)`: the one spelling that keeps the sign of zero and NaN parts.
pub fn push_complex(out: &mut String, re: f64, im: f64) {
    out.push_str("complex(");
    push_f64(out, re);
    out.push_str(", ");
    push_f64(out, im);
    out.push(')');
}

/// Append `complex(re, im)` for a `Complex<f32>`, each part in its shortest `f32` form.
pub fn push_complex32(out: &mut String, re: f32, im: f32) {
    out.push_str("complex(");
    push_f32(out, re);
    out.push_str(", ");
    push_f32(out, im);
    out.push(')');
}

/// Append any integer in decimal.
pub fn push_int(out: &mut String, v: impl Integer) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// A primitive integer (`i8` to `i128`, `u8` to `u128`, `isize`, `usize`): what
/// [`Writer::write_int`](crate::Writer::write_int) writes, in decimal, or captures as a number
/// into a record table's integer column. Only the primitive types implement it.
///
/// ```
/// use persist_core::{Integer, Writer};
/// fn write_count(w: &mut Writer, n: impl Integer) {
///     w.write_int(n);
/// }
/// let mut w = Writer::inline();
/// write_count(&mut w, -3_i16);
/// assert_eq!(w.take_expression(), "-3");
/// ```
pub trait Integer: Copy + itoa::Integer {
    /// The value as an `i128`, if it fits (every integer but a `u128` above `i128::MAX`).
    fn to_i128(self) -> Option<i128>;
}

macro_rules! integer {
    ($($t:ty)*) => {$(
        impl Integer for $t {
            fn to_i128(self) -> Option<i128> {
                i128::try_from(self).ok()
            }
        }
    )*};
}
integer!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

/// Append a Python `str` literal in single quotes. Printable characters (non-ASCII included) are
/// written as themselves; quotes, backslashes, control characters and line separators are escaped.
pub fn push_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('\'');
    let mut rest = s;
    loop {
        // Printable ASCII but quote and backslash is pushed as one run.
        let clean = rest
            .bytes()
            .position(|b| !(0x20..=0x7e).contains(&b) || b == b'\\' || b == b'\'')
            .unwrap_or(rest.len());
        out.push_str(&rest[..clean]);
        rest = &rest[clean..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out.push('\'');
}

/// Append a Python `bytes` literal in single quotes: printable ASCII as itself, quotes and
/// backslashes escaped, `\n`, `\r`, `\t`, and every other byte as `\xNN`.
pub fn push_bytes(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() + 3);
    out.push_str("b'");
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_text(v: f64) -> String {
        let mut s = String::new();
        push_f64(&mut s, v);
        s
    }

    #[test]
    fn floats_are_python_literals() {
        assert_eq!(f64_text(1.0), "1.0");
        assert_eq!(f64_text(-0.0), "-0.0");
        assert_eq!(f64_text(f64::NAN), "float('nan')");
        assert_eq!(f64_text(f64::NEG_INFINITY), "-float('inf')");
        assert_eq!(f64_text(5e-324), "5e-324");
        assert_eq!(f64_text(f64::MAX), "1.7976931348623157e308");
    }

    #[test]
    fn zmij_fractions_need_no_layout() {
        // Every float the fast path of `push_f64` passes through as zmij wrote it is spelled
        // exactly as `push_shortest` lays it out: random bit patterns, and values near each
        // power of ten from 1e-6 to 1e17 (where the spelling switches).
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values: Vec<f64> = (0..200_000).map(|_| f64::from_bits(next())).collect();
        for exp in -6..=17 {
            let p = 10f64.powi(exp);
            for k in 0..200 {
                let bits = p.to_bits() as i64 + k - 100;
                values.push(f64::from_bits(bits as u64));
                values.push(p * (1.0 + (next() >> 11) as f64 / (1u64 << 53) as f64 * 9.0));
            }
        }
        for v in values.into_iter().filter(|v| v.is_finite()) {
            for v in [v, -v] {
                let (mut fast, mut laid_out) = (String::new(), String::new());
                push_f64(&mut fast, v);
                push_shortest(&mut laid_out, zmij::Buffer::new().format_finite(v));
                assert_eq!(fast, laid_out, "{v:e}");
            }
        }
    }

    #[test]
    fn strings_escape_what_python_needs() {
        let mut s = String::new();
        push_str(&mut s, "a'b\\c\n\0\u{7f}\u{85}é😀\u{2028}");
        assert_eq!(s, "'a\\'b\\\\c\\n\\x00\\x7f\\x85é😀\\u2028'");
    }
}
