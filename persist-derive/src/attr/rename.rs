//! `rename_all = "..."`: serde's case conventions ([`CASES`]) and how a [`RenameRule`] makes a
//! Python name of a Rust identifier.

use proc_macro2::Span;

/// `rename_all = "..."`: serde's case conventions, applied to the fields of a struct or the
/// variants of an enum that have no `rename` of their own.
#[derive(Clone)]
pub struct RenameRule {
    pub(super) case: Case,
    pub(super) span: Span,
}

/// serde's case names.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// Every case name `rename_all` accepts, as serde spells them.
pub(super) const CASES: [(&str, Case); 8] = [
    ("lowercase", Case::Lower),
    ("UPPERCASE", Case::Upper),
    ("PascalCase", Case::Pascal),
    ("camelCase", Case::Camel),
    ("snake_case", Case::Snake),
    ("SCREAMING_SNAKE_CASE", Case::ScreamingSnake),
    ("kebab-case", Case::Kebab),
    ("SCREAMING-KEBAB-CASE", Case::ScreamingKebab),
];

impl RenameRule {
    /// The name under this rule of a Rust identifier: `snake_case` (fields) or `PascalCase`
    /// (variants), split into words at `_` and before capitals.
    pub fn apply(&self, ident: &str) -> String {
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in ident.chars() {
            if c == '_' {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            } else if c.is_uppercase() && !word.is_empty() && !word.chars().all(char::is_uppercase)
            {
                words.push(std::mem::take(&mut word));
                word.push(c);
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let capitalized = || {
            lower.iter().map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            })
        };
        match self.case {
            Case::Lower => lower.concat(),
            Case::Upper => lower.concat().to_uppercase(),
            Case::Pascal => capitalized().collect(),
            Case::Camel => {
                let mut out = lower.first().cloned().unwrap_or_default();
                out.extend(capitalized().skip(1));
                out
            }
            Case::Snake => lower.join("_"),
            Case::ScreamingSnake => lower.join("_").to_uppercase(),
            Case::Kebab => lower.join("-"),
            Case::ScreamingKebab => lower.join("-").to_uppercase(),
        }
    }
}
