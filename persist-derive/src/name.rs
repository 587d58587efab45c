//! Which names Python accepts as identifiers.
//!
//! This file is the one place that knows Python's keywords. `persist-derive` compiles this same
//! file as a module of its own (`#[path = ...]`), so that names coming from Rust types are
//! checked at compile time by the very rules that check item names at run time. It must stay
//! free of dependencies.

/// Python's hard keywords (`keyword.kwlist` of Python 3.8 to 3.14). Soft keywords (`match`, `case`,
/// `type`, `_`) are valid names and are not listed.
pub const PYTHON_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Why a string cannot be used as a Python name, or `None` when it can.
///
/// Names are restricted to ASCII identifiers: Python normalises non-ASCII identifiers (NFKC), so
/// a non-ASCII Rust name could reach Python spelled differently from how it was written.
pub fn python_name_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Some("is empty"),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return Some("must start with an ASCII letter or `_`");
        }
        Some(_) => {}
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Some("may contain only ASCII letters, digits and `_`");
    }
    if PYTHON_KEYWORDS.contains(&name) {
        return Some("is a Python keyword");
    }
    if name == "__debug__" {
        return Some("is `__debug__`, which Python does not let a program assign");
    }
    None
}
