//! [`python_value`]: a canonical text of a dict key's (or set element's) Python value, so that
//! keys that are distinct in Rust but equal in Python can be refused before they are written.
//!
//! Python's `==` on the keys the writer emits equates numbers of any spelling with the same
//! value (`1 == 1.0 == True == complex(1, 0)`, `0.0 == -0.0`) and compares tuples and records
//! element by element. The canonical text writes every number once, as its exact value, and
//! keeps strings and class names as written. Text this module does not understand (hoisted
//! statements, a shape the writer does not emit) is kept as it is. A user's class (the
//! `python = "module:Class"` attribute) is assumed to compare by value, like the archive's own
//! records.

/// The canonical text of the Python value of `source` (a key as the writer wrote it).
pub(crate) fn python_value(source: &str) -> String {
    if source.contains('\n') {
        return source.to_owned();
    }
    let mut parser = Parser {
        s: source.as_bytes(),
        i: 0,
    };
    match parser.value() {
        Some(v) if parser.at_end() => v,
        _ => source.to_owned(),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn at_end(&mut self) -> bool {
        self.skip_space();
        self.i == self.s.len()
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn text(&self, from: usize) -> &str {
        std::str::from_utf8(&self.s[from..self.i]).unwrap_or("")
    }

    fn value(&mut self) -> Option<String> {
        match self.peek()? {
            b'-' => {
                self.i += 1;
                let v = self.value()?;
                Some(match v.strip_prefix('-') {
                    Some(rest) => rest.to_owned(),
                    None if v == "0" => v,
                    None => format!("-{v}"),
                })
            }
            b'\'' | b'"' => self.string(),
            b'(' => {
                self.i += 1;
                let items = self.list(b')', false)?;
                Some(format!("T({items})"))
            }
            c if c.is_ascii_digit() || c == b'.' => self.number(),
            c if c.is_ascii_alphabetic() || c == b'_' => self.name_or_call(),
            _ => None,
        }
    }

    /// A quoted string, kept as written (the writer spells equal strings alike).
    fn string(&mut self) -> Option<String> {
        let quote = self.s[self.i];
        let start = self.i;
        self.i += 1;
        loop {
            match *self.s.get(self.i)? {
                b'\\' => self.i += 2,
                c if c == quote => {
                    self.i += 1;
                    return Some(self.text(start).to_owned());
                }
                _ => self.i += 1,
            }
        }
    }

    fn number(&mut self) -> Option<String> {
        let start = self.i;
        while let Some(&c) = self.s.get(self.i) {
            let exponent_sign =
                (c == b'-' || c == b'+') && matches!(self.s[self.i - 1], b'e' | b'E');
            if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exponent_sign {
                self.i += 1;
            } else {
                break;
            }
        }
        let text = self.text(start).replace('_', "");
        if text.bytes().all(|c| c.is_ascii_digit()) {
            let trimmed = text.trim_start_matches('0');
            return Some(if trimmed.is_empty() { "0" } else { trimmed }.to_owned());
        }
        real(text.parse::<f64>().ok()?)
    }

    fn name_or_call(&mut self) -> Option<String> {
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.i += 1;
        }
        let name = self.text(start).to_owned();
        match name.as_str() {
            "True" => return Some("1".into()),
            "False" => return Some("0".into()),
            "None" => return Some(name),
            _ => {}
        }
        if self.peek() != Some(b'(') {
            return Some(name);
        }
        self.i += 1;
        match name.as_str() {
            "float" => {
                let arg = self.string()?;
                self.eat(b')')?;
                real(arg.trim_matches(['\'', '"']).parse::<f64>().ok()?)
            }
            "complex" => {
                let re = self.value()?;
                self.eat(b',')?;
                let im = self.value()?;
                self.eat(b')')?;
                Some(if im == "0" {
                    re
                } else {
                    format!("complex({re},{im})")
                })
            }
            _ => {
                let args = self.list(b')', true)?;
                Some(format!("{name}({args})"))
            }
        }
    }

    /// Comma-separated values up to `close` (keyword arguments allowed in calls).
    fn list(&mut self, close: u8, keywords: bool) -> Option<String> {
        let mut items = Vec::new();
        loop {
            if self.eat(close).is_some() {
                return Some(items.join(","));
            }
            let start = self.i;
            let mut item = None;
            if keywords
                && self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
            {
                let name = self.name_or_call()?;
                if self.eat(b'=').is_some() {
                    item = Some(format!("{name}={}", self.value()?));
                } else {
                    self.i = start;
                }
            }
            items.push(match item {
                Some(item) => item,
                None => self.value()?,
            });
            if self.eat(b',').is_none() {
                self.eat(close)?;
                return Some(items.join(","));
            }
        }
    }
}

/// A real number's canonical text: integral values as their exact integer (so `1.0` is `1`,
/// `-0.0` is `0`), others in Rust's shortest round-trip form.
fn real(v: f64) -> Option<String> {
    if v.is_nan() {
        return None;
    }
    if v.is_infinite() {
        return Some(if v > 0.0 { "inf" } else { "-inf" }.into());
    }
    if v.fract() == 0.0 {
        let text = format!("{v:.0}");
        return Some(if text == "-0" { "0".into() } else { text });
    }
    Some(format!("{v:?}"))
}

#[cfg(test)]
mod tests {
    use super::python_value as v;

    #[test]
    fn numbers_equal_in_python_have_one_text() {
        assert_eq!(v("0.0"), v("-0.0"));
        assert_eq!(v("1"), v("1.0"));
        assert_eq!(v("True"), v("1"));
        assert_eq!(v("complex(2.0, -0.0)"), v("2"));
        assert_eq!(v("1e300"), v(&format!("{:.0}", 1e300)));
        assert_eq!(v("(1, 'a')"), v("(1.0, 'a')"));
        assert_eq!(v("_P(x=0.0)"), v("_P(x=-0.0)"));
        assert_eq!(v("-float('inf')"), "-inf");
    }

    #[test]
    fn values_distinct_in_python_stay_distinct() {
        for (a, b) in [
            ("0.1", "0.2"),
            ("'a'", "'b'"),
            ("1", "'1'"),
            ("(1,)", "1"),
            ("_P(x=1)", "_Q(x=1)"),
            ("complex(1.0, 2.0)", "1"),
            ("0.1", "0.10000000000000002"),
            ("9007199254740993", "9007199254740992.0"),
        ] {
            assert_ne!(v(a), v(b), "{a} vs {b}");
        }
    }
}
