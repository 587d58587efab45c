//! The names an archive module defines for itself (helpers, record classes, temporaries), and
//! the `_X = _record(...)` and `from m import C as _X` lines that define record classes.

use foldhash::{HashMap, HashSet};

use super::Writer;
use crate::python::literal;
use crate::python::names;
use crate::record::{Record, RecordKind};

/// How many record classes [`Helpers::by_address`] keeps.
const RECENT_CLASSES: usize = 16;

/// Names the archive module defines for itself (all start with `_`, all deleted at the end).
#[derive(Debug, Default)]
pub(super) struct Helpers {
    /// Every name taken in the module besides [`names::reserved`]: items, record classes and
    /// temporaries.
    pub(super) taken: HashSet<String>,
    /// Helper names to delete at the end of the module, in order of definition, each with
    /// whether it is a class made with `_record` (which format 5 keeps).
    pub(super) defined: Vec<(String, bool)>,
    /// Record classes by (Rust path, variant), with their helper name.
    pub(super) classes: HashMap<(&'static str, Option<&'static str>), String>,
    /// The first [`RECENT_CLASSES`] records written, by their `Record`'s address, with their
    /// class's helper name: records find their class by a short scan, without hashing or
    /// copying a name.
    pub(super) by_address: Vec<(usize, String)>,
    /// `_X = _record(...)` lines and `from m import C as _X` lines.
    pub(super) class_lines: String,
    pub(super) import_lines: String,
    pub(super) temps: usize,
    /// Shared values by address: their name, and whether they hold something unhashable.
    pub(super) shared: HashMap<usize, (String, bool)>,
    pub(super) numpy: bool,
    /// Whether a `timedelta` or `datetime` was written (`import datetime as _dt`; format 5).
    pub(super) datetime: bool,
    /// Whether a record table was written (the module then defines `_table`).
    pub(super) table: bool,
    /// Whether a table has a column of lists or is a dict table (format 6's `_table`).
    pub(super) table_v6: bool,
    /// How many classes were made with `_record`.
    pub(super) records: usize,
    /// The items written, in order (format 5's `__all__`).
    pub(super) items: Vec<String>,
    /// The roots of the qualified names of the `_record` classes (`Point`, `Shape` of
    /// `Shape.Circle`), with the Rust type each stands for: `__getattr__` finds a class by it.
    pub(super) roots: HashMap<&'static str, &'static str>,
}

impl Helpers {
    /// Whether `name` is taken in the module: one of [`names::reserved`], or taken since.
    pub(super) fn is_taken(&self, name: &str) -> bool {
        names::reserved().any(|reserved| reserved == name) || self.taken.contains(name)
    }

    /// Take `name` in the module, as a helper deleted at its end (`record`: a class made
    /// with `_record`).
    fn define(&mut self, name: String, record: bool) -> String {
        self.taken.insert(name.clone());
        self.defined.push((name.clone(), record));
        self.records += usize::from(record);
        name
    }

    /// A fresh helper name: `name`, or `name_2`, `name_3`... if it is taken.
    pub(super) fn fresh(&mut self, mut name: String, record: bool) -> String {
        let mut n = 1;
        let stem = name.len();
        while self.is_taken(&name) {
            n += 1;
            name.truncate(stem);
            name.push('_');
            name.push_str(&n.to_string());
        }
        self.define(name, record)
    }

    pub(super) fn temp(&mut self, prefix: &str) -> String {
        loop {
            let name = format!("{prefix}{}", self.temps);
            self.temps += 1;
            if !self.is_taken(&name) {
                return self.define(name, false);
            }
        }
    }
}

impl Writer {
    /// Push the helper name of a record's class onto the text, defining the class on first use.
    pub(super) fn push_class(&mut self, record: &'static Record) {
        let address = std::ptr::from_ref(record) as usize;
        if let Some((_, name)) = self.helpers.by_address.iter().find(|(a, _)| *a == address) {
            self.out.push_str(name);
            return;
        }
        let name = self.class_for(record);
        self.out.push_str(&name);
        // The few classes a value alternates between (a record and its nested ones) stay here;
        // past that, `class_for`'s map answers.
        if self.helpers.by_address.len() < RECENT_CLASSES {
            self.helpers.by_address.push((address, name));
        }
    }

    /// The helper name of a record's class, defining it on first use.
    pub(super) fn class_for(&mut self, record: &'static Record) -> String {
        let key = (record.rust, record.variant);
        if let Some(name) = self.helpers.classes.get(&key) {
            return name.clone();
        }
        let h = &mut self.helpers;
        let name = if let Some(python) = record.python {
            let (module, class) = python.split_once(':').unwrap_or(("__main__", python));
            let name = h.fresh(format!("_{class}"), false);
            for piece in ["from ", module, " import ", class, " as ", &name, "\n"] {
                h.import_lines.push_str(piece);
            }
            name
        } else {
            let mut qualname = match record.variant {
                Some(variant) => format!("{}.{variant}", record.name),
                None => record.name.to_owned(),
            };
            let mut name = String::with_capacity(qualname.len() + 1);
            name.push('_');
            name.extend(qualname.chars().map(|c| if c == '.' { '_' } else { c }));
            let name = h.fresh(name, true);
            // `pickle` finds a class by its qualified name (the module's `__getattr__`): one
            // whose root another Rust type or an item has is named by its helper name instead.
            let root = *h.roots.entry(record.name).or_insert(record.rust);
            if root != record.rust || h.is_taken(record.name) {
                qualname.clone_from(&name);
            }
            let line = &mut h.class_lines;
            line.push_str(&name);
            line.push_str(" = _record(");
            literal::push_str(line, &qualname);
            line.push_str(", (");
            let count = match record.kind {
                RecordKind::Named(fields) => fields.len(),
                RecordKind::Tuple(n) => n,
                RecordKind::Unit => 0,
            };
            for i in 0..count {
                if i > 0 {
                    line.push_str(", ");
                }
                match record.kind {
                    RecordKind::Named(fields) => literal::push_str(line, fields[i]),
                    _ => literal::push_str(line, &format!("_{i}")),
                }
            }
            if count == 1 {
                line.push(',');
            }
            line.push_str("), ");
            literal::push_str(line, record.rust);
            if matches!(record.kind, RecordKind::Tuple(_)) {
                line.push_str(", positional=True");
            }
            line.push_str(")\n");
            name
        };
        h.classes.insert(key, name.clone());
        name
    }
}
