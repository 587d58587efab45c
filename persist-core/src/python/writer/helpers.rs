//! The names an archive module defines for itself (helpers, record classes, temporaries), and
//! the `_X = _record(...)` and `from m import C as _X` lines that define record classes.

use std::collections::{HashMap, HashSet};

use super::Writer;
use crate::python::literal;
use crate::record::{Record, RecordKind};

/// How many record classes [`Helpers::by_address`] keeps.
const RECENT_CLASSES: usize = 16;

/// Names the archive module defines for itself (all start with `_`, all deleted at the end).
#[derive(Debug, Default)]
pub(super) struct Helpers {
    /// Every name taken in the module: items and helpers.
    pub(super) taken: HashSet<String>,
    /// Helper names to delete at the end of the module, in order of definition.
    pub(super) defined: Vec<String>,
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
    /// The helper names of the classes made with `_record`, which format 5 keeps.
    pub(super) records: HashSet<String>,
    /// The items written, in order (format 5's `__all__`).
    pub(super) items: Vec<String>,
    /// The roots of the qualified names of the `_record` classes (`Point`, `Shape` of
    /// `Shape.Circle`), with the Rust type each stands for: `__getattr__` finds a class by it.
    pub(super) roots: HashMap<String, &'static str>,
}

impl Helpers {
    /// A fresh helper name starting with `base`, unique in the module.
    pub(super) fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.taken.insert(name.clone());
        self.defined.push(name.clone());
        name
    }

    pub(super) fn temp(&mut self, prefix: &str) -> String {
        loop {
            let name = format!("{prefix}{}", self.temps);
            self.temps += 1;
            if !self.taken.contains(&name) {
                self.taken.insert(name.clone());
                self.defined.push(name.clone());
                return name;
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
            let name = h.fresh(&format!("_{class}"));
            h.import_lines
                .push_str(&format!("from {module} import {class} as {name}\n"));
            name
        } else {
            let mut qualname = match record.variant {
                Some(variant) => format!("{}.{variant}", record.name),
                None => record.name.to_owned(),
            };
            let name = h.fresh(&format!("_{}", qualname.replace('.', "_")));
            // `pickle` finds a class by its qualified name (the module's `__getattr__`): one
            // whose root another Rust type or an item has is named by its helper name instead.
            let root = h.roots.entry(record.name.to_owned()).or_insert(record.rust);
            if *root != record.rust || h.taken.contains(record.name) {
                qualname.clone_from(&name);
            }
            h.records.insert(name.clone());
            let line = &mut h.class_lines;
            line.push_str(&name);
            line.push_str(" = _record(");
            literal::push_str(line, &qualname);
            line.push_str(", (");
            let fields: Vec<String> = match record.kind {
                RecordKind::Named(fields) => fields.iter().map(|f| (*f).to_owned()).collect(),
                RecordKind::Tuple(n) => (0..n).map(|i| format!("_{i}")).collect(),
                RecordKind::Unit => Vec::new(),
            };
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    line.push_str(", ");
                }
                literal::push_str(line, f);
            }
            if fields.len() == 1 {
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
