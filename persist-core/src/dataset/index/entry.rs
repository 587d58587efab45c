//! What of an item's metadata file goes into the index: [`Entry`], the item's `NAME = VALUE`
//! line and the record classes the value calls, and [`compose`], the text of a segment of
//! entries (their classes defined once, after the writer's `_record` helper).

use crate::format::helpers::record_helper;
use crate::format::{FORMAT_WITH_DATACLASSES, FORMAT_WITH_TABLES};
use crate::read::ArchiveReader;

/// One item of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) name: String,
    /// `NAME = VALUE\n`.
    pub(super) line: String,
    /// The class lines the value needs (`_Info = _record('Info', ...)`), as the item's file
    /// has them.
    pub(super) classes: Vec<String>,
}

/// The entry of item `name` whose metadata file text is `info`, if the file is the writer's
/// `info = VALUE` with, at most, the record helper and the class lines of the records the
/// value holds (no shared value, no import, no other statement: those stay in the file).
pub(super) fn entry(name: &str, info: &str) -> Option<Entry> {
    let helper = record_helper(FORMAT_WITH_DATACLASSES).trim_end();
    let mut classes = Vec::new();
    let mut value = None;
    let mut has_helper = false;
    for statement in statements(info) {
        let text = statement.trim_end();
        if text.starts_with("def _record(") {
            // Only the helper of the format the segment will declare.
            if text != helper {
                return None;
            }
            has_helper = true;
        } else if text.starts_with("def __getattr__(") || text.starts_with("def __dir__(") {
            // The module's own lookup helpers: an index segment does not need them.
        } else if let Some(v) = text.strip_prefix("info = ") {
            if value.replace(v).is_some() {
                return None;
            }
        } else if text.starts_with('_') && text.contains(" = _record(") && !text.contains('\n') {
            classes.push(format!("{text}\n"));
        } else if !(text.starts_with("del ") || text.starts_with("__all__ = ")) {
            return None;
        }
    }
    if !classes.is_empty() && !has_helper {
        return None;
    }
    let entry = Entry {
        name: name.to_owned(),
        line: format!("{name} = {}\n", value?),
        classes,
    };
    // It must read back as one item of data, as a segment holding it would.
    let text = compose(std::slice::from_ref(&entry), "")?;
    let reader = ArchiveReader::from_source(&text).ok()?;
    (reader.items().eq([name])).then_some(entry)
}

/// The top-level statements of `text`: each from a line that starts with a name at column 0
/// to the next one (the writer indents what continues a statement, but for the closing
/// bracket of a broken value).
fn statements(text: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            starts.push(at);
        }
        at += line.len();
    }
    starts.push(text.len());
    starts.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

/// The text of a segment holding `entries` after the header `head`: the record helper and each
/// class line once when a value holds records (a segment of format 5), then the values, then
/// (with records) a `del` of the helper and the classes, since `__init__.py` takes every name
/// the segment leaves for an item. `None` if two entries define one class name differently.
pub(super) fn compose(entries: &[Entry], head: &str) -> Option<String> {
    let mut classes: Vec<&str> = Vec::new();
    for class in entries.iter().flat_map(|e| &e.classes) {
        let name = class.split(" = ").next().unwrap_or("");
        match classes.iter().find(|c| c.split(" = ").next() == Some(name)) {
            Some(known) if *known != class.as_str() => return None,
            Some(_) => {}
            None => classes.push(class),
        }
    }
    let format = if classes.is_empty() {
        FORMAT_WITH_TABLES
    } else {
        FORMAT_WITH_DATACLASSES
    };
    let mut text = head.replace("{FORMAT}", &format.to_string());
    if !classes.is_empty() {
        text.push_str(record_helper(FORMAT_WITH_DATACLASSES).trim_end());
        text.push_str("\n\n\n");
        classes.iter().for_each(|c| text.push_str(c));
        text.push('\n');
    }
    entries.iter().for_each(|e| text.push_str(&e.line));
    if !classes.is_empty() {
        // `__init__.py` takes every name a segment leaves as an item's metadata.
        let names: Vec<&str> = classes
            .iter()
            .filter_map(|c| c.split(" = ").next())
            .collect();
        text.push_str(&format!("del _record, {}\n", names.join(", ")));
    }
    Some(text)
}

/// `entries` split into those one segment can hold together and the names of those it cannot
/// (a class name another entry defines otherwise), which stay pending.
pub(super) fn compatible(entries: Vec<Entry>) -> (Vec<Entry>, Vec<String>) {
    let mut kept: Vec<Entry> = Vec::new();
    let mut left = Vec::new();
    for entry in entries {
        kept.push(entry);
        if compose(&kept, "").is_none() {
            left.push(kept.pop().map(|e| e.name).unwrap_or_default());
        }
    }
    (kept, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metadata_file_of_one_data_statement_becomes_an_entry() {
        let info = "# persist archive, format 3, written by persist-core 0.1.0.\n# Items:\n\n\
                    info = {'alpha': 0.5}\n";
        let e = entry("run_1", info).unwrap();
        assert_eq!(
            (e.name.as_str(), e.line.as_str()),
            ("run_1", "run_1 = {'alpha': 0.5}\n")
        );
        assert!(e.classes.is_empty());
        assert!(entry("run_1", "_t0 = [1]\ninfo = [_t0]\n").is_none());
        assert!(entry("run_1", "info = 1\nx = 2\n").is_none());
        assert!(entry("run_1", "import os\ninfo = 1\n").is_none());
        let broken = entry("run_1", "info = {\n    'a': 1,\n}\n").expect("a broken value");
        assert_eq!(broken.line, "run_1 = {\n    'a': 1,\n}\n");
    }

    #[test]
    fn record_classes_go_with_their_entry_and_are_defined_once() {
        let helper = record_helper(FORMAT_WITH_DATACLASSES);
        let class = "_Info = _record('Info', ('a',), 'm::Info')";
        let info = format!("# head\n\n{helper}\n\n{class}\n\ninfo = _Info(a=1)\ndel _record\n");
        let one = entry("x", &info).expect("an entry");
        assert_eq!(one.classes, [format!("{class}\n")]);
        let two = entry("y", &info.replace("a=1", "a=2")).expect("an entry");
        let text = compose(&[one.clone(), two.clone()], "# {FORMAT}\n").expect("composed");
        assert_eq!(text.matches(class).count(), 1, "{text}");
        assert!(text.starts_with("# 5\n"), "{text}");
        // Another class of the same helper name cannot share the segment.
        let other = info.replace("'m::Info'", "'n::Info'");
        let three = entry("z", &other).expect("an entry");
        let (kept, left) = compatible(vec![one, two, three]);
        assert_eq!((kept.len(), left), (2, vec!["z".to_owned()]));
    }
}
