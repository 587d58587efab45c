//! Which names Python accepts as identifiers.
//!
//! This file is the one place that knows Python's keywords. `persist-derive` compiles this same
//! file as a module of its own (`#[path = ...]`), so that names coming from Rust types are
//! checked at compile time by the very rules that check item names at run time. It depends only
//! on `unicode-ident` and `unicode-normalization`, which both crates have.

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
/// A name is a Python identifier (PEP 3131: a letter or `_`, then letters, digits and `_`, as
/// Unicode's XID classes say) already in the NFKC form Python normalises identifiers to, so that
/// Python reads it as the very name written (`größe` is one; the ligature in `ﬁeld` Python would
/// read as `field`, so it is refused); and not a keyword.
pub fn python_name_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Some("is empty"),
        Some(c) if !(c == '_' || unicode_ident::is_xid_start(c)) => {
            return Some("must start with a letter or `_`");
        }
        Some(_) => {}
    }
    if !chars.all(unicode_ident::is_xid_continue) {
        return Some("may contain only letters, digits and `_`");
    }
    if !name.is_ascii() && !unicode_normalization::is_nfkc(name) {
        return Some(
            "is not in the NFKC form Python normalises names to, so Python would read it as another name",
        );
    }
    if PYTHON_KEYWORDS.contains(&name) {
        return Some("is a Python keyword");
    }
    if name == "__debug__" {
        return Some("is `__debug__`, which Python does not let a program assign");
    }
    None
}

/// Why a Python name cannot also be a file or folder name (an archive's, a DataSet's or a
/// DataSet item's, which Python imports by it), or `None` when it can: the rules of
/// [`python_name_problem`], and ASCII only, since file systems store non-ASCII names in
/// different normal forms (macOS's HFS+ in NFD), which Python's import would not find.
pub fn python_file_name_problem(name: &str) -> Option<&'static str> {
    python_name_problem(name).or_else(|| {
        (!name.is_ascii()).then_some(
            "is not ASCII; names of archives, DataSets and their items become file names, which file systems spell in different Unicode forms (items and fields inside an archive may be any Python name)",
        )
    })
}
