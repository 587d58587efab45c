//! The items and the module text around them: each item's statement (after the statements it
//! needs), and at the end the imports and helper definitions that go before the items and the
//! `del` lines (and format 5's `__all__`) that go after them.

use super::{Writer, names};
use crate::error::WriteError;
use crate::format::helpers;
use crate::persist::Persist;
use crate::python::literal;
use crate::store::ArraySink;

impl Writer {
    /// Reserve item names so that no helper takes them.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.helpers.taken.insert(name.to_owned());
    }

    /// Write `name = <value>` (after the statements the value needs) into `body`.
    pub(crate) fn write_item(
        &mut self,
        name: &str,
        value: &dyn Persist,
        body: &mut String,
    ) -> Result<(), WriteError> {
        self.item.clear();
        self.item.push_str(name);
        self.out.clear();
        self.stmts.clear();
        self.frames.clear();
        self.children.clear();
        self.floor = 0;
        // The statement is written whole in `out` (positions in it stay positions in `out`).
        self.out.push_str(name);
        self.out.push_str(" = ");
        self.write_child(value)?;
        self.helpers.items.push(name.to_owned());
        self.out.push('\n');
        if body.is_empty() && self.stmts.is_empty() {
            // The first item's statement becomes the body where it stands: a large value is
            // not copied into a new buffer.
            std::mem::swap(body, &mut self.out);
        } else {
            body.push_str(&self.stmts);
            body.push_str(&self.out);
        }
        Ok(())
    }

    /// Whether a table has a column of lists or is a dict table (the archive is then of
    /// format 6).
    pub(crate) fn needs_format_6(&self) -> bool {
        self.helpers.table_v6
    }

    /// Whether a record class was made with `_record`, a table or a `timedelta` or `datetime`
    /// written (the archive is then of format 5).
    pub(crate) fn needs_format_5(&self) -> bool {
        self.keeps_classes() || self.helpers.datetime || self.helpers.table
    }

    /// Whether the module keeps record classes (made with `_record`, format 5), which pickle
    /// finds through it.
    pub(crate) fn keeps_classes(&self) -> bool {
        self.helpers.records > 0
    }

    /// The array sink, for what the module's header says about its arrays.
    pub(crate) fn arrays(&self) -> &ArraySink {
        &self.arrays
    }

    /// Push the helper definitions that go before the items onto `head` (with a blank line
    /// after them, if any); return the `del` lines that go after the items (and, with record
    /// classes, format 5's `__all__`).
    pub(crate) fn finish(self, head: &mut String) -> (String, ArraySink) {
        let h = self.helpers;
        // Format 5 (the only one written with `_record` classes or tables): the classes stay,
        // found by pickle through `__getattr__` and kept out of `dir()` by `__dir__`.
        let records = h.records > 0;
        let record_texts = [
            helpers::RECORD_HELPER_V5,
            helpers::MODULE_GETATTR,
            helpers::MODULE_DIR,
        ];
        let table_text = if h.table_v6 {
            helpers::TABLE_HELPER_V6
        } else {
            helpers::TABLE_HELPER_V5
        };
        let loader = self.arrays.loader();
        let start = head.len();
        let mut dels: Vec<&str> = Vec::new();
        for (used, module, alias) in [
            (h.numpy, "numpy", names::NUMPY),
            (h.datetime, "datetime", names::DATETIME),
        ] {
            if used {
                for piece in ["import ", module, " as ", alias, "\n"] {
                    head.push_str(piece);
                }
                dels.push(alias);
            }
        }
        if let Some(loader) = &loader {
            head.push_str(loader);
            dels.extend(self.arrays.loader_names().iter().copied());
        }
        head.push_str(&h.import_lines);
        if records {
            for text in record_texts {
                head.push_str(text);
                head.push_str("\n\n");
            }
            dels.push(names::RECORD);
        }
        if h.table {
            head.push_str(table_text);
            head.push_str("\n\n");
            dels.push(names::TABLE);
        }
        head.push_str(&h.class_lines);
        if head.len() > start {
            head.push('\n');
        }
        dels.extend(
            h.defined
                .iter()
                .filter(|(_, record)| !record)
                .map(|(name, _)| name.as_str()),
        );
        let mut tail = String::new();
        for chunk in dels.chunks(16) {
            tail.push_str("del ");
            tail.push_str(&chunk.join(", "));
            tail.push('\n');
        }
        if records {
            tail.push_str("__all__ = [");
            for (i, item) in h.items.iter().enumerate() {
                if i > 0 {
                    tail.push_str(", ");
                }
                literal::push_str(&mut tail, item);
            }
            tail.push_str("]\n");
        }
        (tail, self.arrays)
    }
}
