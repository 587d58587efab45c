//! CPython's `marshal` encoding of plain data, written from a parsed module of `NAME = VALUE`
//! lines: the bytes that `marshal.loads` turns into the dict `{'NAME': VALUE, ...}` that
//! running the module's source builds. This is the data cache of a DataSet's metadata index
//! (`dataset/index.rs`): Python loads it in one C call, without compiling or running code.
//!
//! Only plain values are encoded (`None`, `bool`, `int`, `float`, `complex`, `str`, `bytes`,
//! `tuple`, `list`, `dict`, `set`), and only as this crate spells them: literals, `-` before a
//! number, `float('nan')`, `float('inf')`, `-float('inf')`, `complex(re, im)` and `set()`.
//! Anything else (a name, another call, `1 + 2j`) yields `None`: Python then runs the source,
//! as before. The bytes never hold a code object, so loading them runs nothing.
//!
//! The type codes are those of CPython's `Python/marshal.c`, the same from Python 3.8 to 3.13
//! (`marshal.loads` reads every version's data): strings that repeat are written once with
//! `FLAG_REF` and referred to after, as `marshal.dumps` does for shared objects.

use std::collections::HashMap;

use super::ast::{Call, Expr, ExprKind, Module, Stmt};

const FLAG_REF: u8 = 0x80;

/// The names whose calls the encoder evaluates; a module that binds one of them is not
/// encoded, since its calls would then call the bound value.
const CALLED: [&str; 3] = ["float", "complex", "set"];

/// The `marshal` bytes of the dict a module of `NAME = VALUE` statements builds, in statement
/// order (a later statement's value replaces an earlier one of the same name, as running it
/// does), or `None` if a statement is anything else or a value is not plain data.
pub(crate) fn module_dict(module: &Module) -> Option<Vec<u8>> {
    let mut assigns = Vec::with_capacity(module.statements.len());
    for statement in &module.statements {
        let Stmt::Assign { target, value, .. } = statement else {
            return None;
        };
        if CALLED.contains(&target.as_str()) {
            return None;
        }
        assigns.push((target.as_str(), value));
    }
    // Strings that occur more than once are written once and then referred to.
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for (target, value) in &assigns {
        *counts.entry(target).or_default() += 1;
        count_strings(value, &mut counts);
    }
    let mut encoder = Encoder {
        out: Vec::with_capacity(16 * assigns.len() + 2),
        repeated: counts,
        refs: HashMap::new(),
    };
    encoder.out.push(b'{');
    for (target, value) in &assigns {
        encoder.str(target);
        encoder.value(value)?;
    }
    encoder.out.push(b'0');
    Some(encoder.out)
}

fn count_strings<'a>(expr: &'a Expr, counts: &mut HashMap<&'a str, u32>) {
    match &expr.kind {
        ExprKind::Str(s) => *counts.entry(s).or_default() += 1,
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
            items.iter().for_each(|item| count_strings(item, counts));
        }
        ExprKind::Dict(entries) => {
            for (key, value) in entries {
                count_strings(key, counts);
                count_strings(value, counts);
            }
        }
        _ => {}
    }
}

struct Encoder<'a> {
    out: Vec<u8>,
    /// How often each string occurs in the module.
    repeated: HashMap<&'a str, u32>,
    /// The reference number of each repeated string written so far.
    refs: HashMap<&'a str, u32>,
}

impl<'a> Encoder<'a> {
    fn value(&mut self, expr: &'a Expr) -> Option<()> {
        match &expr.kind {
            ExprKind::None => self.out.push(b'N'),
            ExprKind::Bool(true) => self.out.push(b'T'),
            ExprKind::Bool(false) => self.out.push(b'F'),
            ExprKind::Str(s) => self.str(s),
            ExprKind::Bytes(b) => {
                self.out.push(b's');
                self.len(b.len())?;
                self.out.extend_from_slice(b);
            }
            ExprKind::List(items) => {
                self.out.push(b'[');
                self.len(items.len())?;
                self.values(items)?;
            }
            ExprKind::Tuple(items) => {
                match u8::try_from(items.len()) {
                    Ok(n) => self.out.extend_from_slice(&[b')', n]),
                    Err(_) => {
                        self.out.push(b'(');
                        self.len(items.len())?;
                    }
                }
                self.values(items)?;
            }
            ExprKind::Set(items) => {
                self.out.push(b'<');
                self.len(items.len())?;
                self.values(items)?;
            }
            ExprKind::Dict(entries) => {
                self.out.push(b'{');
                for (key, value) in entries {
                    self.value(key)?;
                    self.value(value)?;
                }
                self.out.push(b'0');
            }
            ExprKind::Call(call) if is_call_of(call, "set") && call.args.is_empty() => {
                self.out.extend_from_slice(&[b'<', 0, 0, 0, 0]);
            }
            ExprKind::Call(call) if is_call_of(call, "complex") => {
                let [re, im] = &call.args[..] else {
                    return None;
                };
                self.complex(float(re)?, float(im)?);
            }
            ExprKind::Complex(..) => {
                let (re, im) = complex_literal(expr)?;
                self.complex(re, im);
            }
            ExprKind::UnaryMinus(inner) if matches!(inner.kind, ExprKind::Complex(..)) => {
                let (re, im) = complex_literal(expr)?;
                self.complex(re, im);
            }
            _ => match number(expr)? {
                Number::Int {
                    negative,
                    magnitude,
                } => self.int(negative, magnitude),
                Number::Float(f) => {
                    self.out.push(b'g');
                    self.out.extend_from_slice(&f.to_bits().to_le_bytes());
                }
            },
        }
        Some(())
    }

    /// A `complex`: `y` and the bits of both parts.
    fn complex(&mut self, re: f64, im: f64) {
        self.out.push(b'y');
        self.out.extend_from_slice(&re.to_bits().to_le_bytes());
        self.out.extend_from_slice(&im.to_bits().to_le_bytes());
    }

    fn values(&mut self, items: &'a [Expr]) -> Option<()> {
        items.iter().try_for_each(|item| self.value(item))
    }

    fn len(&mut self, len: usize) -> Option<()> {
        let len = i32::try_from(len).ok()?;
        self.out.extend_from_slice(&len.to_le_bytes());
        Some(())
    }

    /// A `str`: a reference if written before, else its bytes (flagged for reference if it
    /// repeats). `z` is a short ASCII string, `a` a longer one, `u` any other (UTF-8).
    fn str(&mut self, s: &'a str) {
        if let Some(&index) = self.refs.get(s) {
            self.out.push(b'r');
            self.out.extend_from_slice(&index.to_le_bytes());
            return;
        }
        let flag = if self.repeated.get(s).is_some_and(|&n| n > 1) {
            let index = u32::try_from(self.refs.len()).unwrap_or(u32::MAX);
            self.refs.insert(s, index);
            FLAG_REF
        } else {
            0
        };
        match u8::try_from(s.len()) {
            Ok(n) if s.is_ascii() => self.out.extend_from_slice(&[b'z' | flag, n]),
            _ => {
                self.out.push(if s.is_ascii() { b'a' } else { b'u' } | flag);
                // A module's text is far below 2 GiB (the reading budget), so its strings are.
                let n = u32::try_from(s.len()).unwrap_or(u32::MAX);
                self.out.extend_from_slice(&n.to_le_bytes());
            }
        }
        self.out.extend_from_slice(s.as_bytes());
    }

    /// An `int`: `i` and 32 bits if it fits, else `l`, the count of 15-bit digits (negative
    /// for a negative number) and the digits, least significant first.
    fn int(&mut self, negative: bool, mut magnitude: u128) {
        let small = i32::try_from(magnitude)
            .ok()
            .or_else(|| (negative && magnitude == 1 << 31).then_some(i32::MIN));
        if let Some(small) = small {
            let small = if negative {
                small.wrapping_neg()
            } else {
                small
            };
            self.out.push(b'i');
            self.out.extend_from_slice(&small.to_le_bytes());
            return;
        }
        let mut digits = Vec::with_capacity(9);
        while magnitude > 0 {
            digits.push((magnitude & 0x7fff) as u16);
            magnitude >>= 15;
        }
        let count = digits.len() as i32;
        self.out.push(b'l');
        let count = if negative { -count } else { count };
        self.out.extend_from_slice(&count.to_le_bytes());
        for digit in digits {
            self.out.extend_from_slice(&digit.to_le_bytes());
        }
    }
}

fn is_call_of(call: &Call, name: &str) -> bool {
    call.kwargs.is_empty() && matches!(&call.func.kind, ExprKind::Name(n) if n == name)
}

enum Number {
    /// An integer of up to 128 bits and its sign (`-0` is `0`).
    Int {
        negative: bool,
        magnitude: u128,
    },
    Float(f64),
}

/// The value of a number as this crate spells it: a literal, `-` before one, `float('nan')`,
/// `float('inf')` or `-float('inf')`. CPython's `float('nan')` is the positive quiet NaN, and
/// `-` flips the sign bit of a float, NaN or zero, as Rust's `-` does.
fn number(expr: &Expr) -> Option<Number> {
    match &expr.kind {
        ExprKind::Int(n) => Some(Number::Int {
            negative: false,
            magnitude: u128::from(*n),
        }),
        ExprKind::BigInt { digits, radix } => Some(Number::Int {
            negative: false,
            magnitude: u128::from_str_radix(digits, *radix).ok()?,
        }),
        ExprKind::Float(f) => Some(Number::Float(*f)),
        ExprKind::UnaryMinus(inner) => match number(inner)? {
            Number::Int {
                negative,
                magnitude,
            } => Some(Number::Int {
                negative: !negative && magnitude != 0,
                magnitude,
            }),
            Number::Float(f) => Some(Number::Float(-f)),
        },
        ExprKind::Call(call) if is_call_of(call, "float") => {
            let [arg] = &call.args[..] else {
                return None;
            };
            match &arg.kind {
                ExprKind::Str(s) if s == "nan" => Some(Number::Float(f64::from_bits(NAN_BITS))),
                ExprKind::Str(s) if s == "inf" => Some(Number::Float(f64::INFINITY)),
                ExprKind::Str(s) if s == "-inf" => Some(Number::Float(f64::NEG_INFINITY)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// CPython's `float('nan')`: the positive quiet NaN with no payload.
const NAN_BITS: u64 = 0x7ff8_0000_0000_0000;

/// A float argument of `complex(re, im)` (never an int, whose conversion this does not model).
fn float(expr: &Expr) -> Option<f64> {
    match number(expr)? {
        Number::Float(f) => Some(f),
        Number::Int { .. } => None,
    }
}

/// An imaginary literal (`2j` is `complex(0.0, 2.0)`) or its negation (both parts negated).
fn complex_literal(expr: &Expr) -> Option<(f64, f64)> {
    match &expr.kind {
        ExprKind::Complex(re, im) => Some((*re, *im)),
        ExprKind::UnaryMinus(inner) => complex_literal(inner).map(|(re, im)| (-re, -im)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::module_dict;
    use crate::python::parser::parse_module;

    fn encode(source: &str) -> Option<Vec<u8>> {
        module_dict(&parse_module(source).unwrap())
    }

    #[test]
    fn plain_values_are_encoded_as_marshal_writes_them() {
        // marshal.dumps({'a': 1, 'b': 'x'}) in CPython 3.8 to 3.13, but for FLAG_REF, which
        // marshal.dumps sets on every object with more than one reference.
        let bytes = encode("a = 1\nb = 'x'\n").unwrap();
        assert_eq!(bytes, b"{z\x01ai\x01\x00\x00\x00z\x01bz\x01x0");
        let bytes = encode("a = 'a'\n").unwrap();
        assert_eq!(bytes, b"{\xfa\x01ar\x00\x00\x00\x000");
    }

    #[test]
    fn large_ints_are_15_bit_digits() {
        let bytes = encode("a = -4294967296\n").unwrap();
        // 2**32 = 4 * 2**30: digits 0, 0, 4.
        assert_eq!(&bytes[4..], b"l\xfd\xff\xff\xff\x00\x00\x00\x00\x04\x000");
    }

    #[test]
    fn ints_of_every_width_and_long_tuples() {
        let bytes = encode("a = -2147483648\nb = 2147483648\n").unwrap();
        assert_eq!(&bytes[4..9], b"i\x00\x00\x00\x80");
        assert_eq!(&bytes[12..17], b"l\x03\x00\x00\x00");
        let min = encode("a = -170141183460469231731687303715884105728\n").unwrap();
        // 2**127 = 2**(15 * 8) * 2**7: nine digits, the last 128.
        assert_eq!(&min[4..9], b"l\xf7\xff\xff\xff");
        assert_eq!(&min[min.len() - 3..], b"\x80\x000");
        assert!(
            encode(&format!("a = {}0\n", u128::MAX)).is_none(),
            "past 128 bits"
        );
        let tuple = encode(&format!("a = ({})\n", "1, ".repeat(300))).unwrap();
        assert_eq!(&tuple[4..9], b"(\x2c\x01\x00\x00");
        assert_eq!(encode("a = -0\n").unwrap()[4..9], *b"i\x00\x00\x00\x00");
    }

    #[test]
    fn anything_but_plain_data_is_not_encoded() {
        for source in [
            "a = b\n",
            "a = _np.array([1])\n",
            "import numpy as _np\n",
            "float = 1.0\n",
            "a = float('1.5')\n",
            "a = complex(1, 2)\n",
            "a = 1 + 2j\n",
        ] {
            assert!(encode(source).is_none(), "{source}");
        }
    }
}
