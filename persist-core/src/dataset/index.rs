//! The metadata index of a DataSet (format 3): what lets Python build `_info_dict` of many
//! items from a few modules with cached bytecode instead of compiling one file per item.
//!
//! ```text
//! _index/FIRST_LAST.py   a segment: `NAME = VALUE` for the items changed by changes FIRST to
//!                        LAST (zero-padded numbers), each VALUE the text of _info/NAME.py's
//!                        `info = VALUE`; when values hold records, the writer's `_record`
//!                        helper and each class line they need come first, once (a segment of
//!                        format 5; `index/entry.rs`); written once under a new name, never
//!                        rewritten
//! _index/FIRST_LAST.marshal
//!                        the segment's data cache (format 8): the dict it builds, in CPython's
//!                        `marshal` encoding of plain data (`python/marshal.rs`), which
//!                        Python loads instead of running the segment; absent when a value is
//!                        not plain data, then Python runs the segment
//! _index/NAME.pending    _info/NAME.py is newer than the index (or NAME was removed, or its
//!                        metadata is more than one data statement and its record classes, or
//!                        a class of its name is another item's): Python reads the file
//! ```
//!
//! Every change (insert, metadata update, removal) is numbered and, under the DataSet's lock,
//! marks its item pending before its renames and then appends a one-change segment and drops
//! the mark. Segments are merged now and then (eight of one size class into one, and all of
//! them into one when the small ones reach a quarter of the base), always from the per-item
//! files, which stay the source of truth: so an insert costs O(1) amortised and Python reads
//! a few dozen segments at most. A merged segment's inputs are deleted by the next change.
//! Python reads the segments covering 1, 2, ... without a gap (else it lists again) and then
//! the pending items' files.
//!
//! No stale bytecode: a segment's name is the range of changes it holds, and a range is never
//! written twice with other content (numbers only grow; if `_index/` is lost and restarts at
//! 1, the new file's mtime is set past every bytecode recorded for that name, as for every
//! source this crate writes: [`crate::archive::bytecode`]). A data cache is renamed in after
//! its segment and deleted before it (and a stale one of the segment's name before the segment
//! is renamed in), so that a cache is never older than the segment beside it; the verifier
//! accepts one only if it is byte for byte the encoding of its segment. The index is a cache:
//! a failure while updating it leaves the item pending and never fails the change.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::layout::{INDEX_DIR, INFO_DIR, item_name_problem};
use crate::read::ArchiveReader;
use entry::{Entry, compatible, compose, entry};

mod entry;

/// The suffix of a pending item's mark.
const PENDING: &str = ".pending";
/// How many segments of one size class are merged into one.
const FAN: usize = 8;
/// The suffix of a segment's data cache.
const CACHE: &str = ".marshal";

/// A segment: the changes `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Segment {
    first: u64,
    last: u64,
}

impl Segment {
    fn file_name(self) -> String {
        format!("{:010}_{:010}.py", self.first, self.last)
    }

    fn cache_name(self) -> String {
        format!("{:010}_{:010}{CACHE}", self.first, self.last)
    }

    fn len(self) -> u64 {
        self.last - self.first + 1
    }

    fn parse(file: &str) -> Option<Segment> {
        let (first, last) = file.strip_suffix(".py")?.split_once('_')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(first) && digits(last)).then_some(())?;
        let (first, last) = (first.parse().ok()?, last.parse().ok()?);
        (first >= 1 && first <= last).then_some(Segment { first, last })
    }

    /// `floor(log_FAN(len))`.
    fn class(self) -> u32 {
        let (mut len, mut class) = (self.len(), 0);
        while len >= FAN as u64 {
            len /= FAN as u64;
            class += 1;
        }
        class
    }
}

/// Whether `file` in `_index/` is a segment Python imports.
pub(crate) fn is_segment(file: &str) -> bool {
    Segment::parse(file).is_some()
}

/// The segment file (`FIRST_LAST.py`) whose data cache `file` in `_index/` is, if it is one.
pub(crate) fn cached_segment(file: &str) -> Option<String> {
    let segment = Segment::parse(&format!("{}.py", file.strip_suffix(CACHE)?))?;
    Some(segment.file_name())
}

/// The data cache of the segment source `text`: the `marshal` bytes of the dict it builds, if
/// every value is plain data (else Python runs the segment).
pub(crate) fn cache_of(text: &str) -> Option<Vec<u8>> {
    crate::python::marshal::module_dict(&crate::python::parser::parse_module(text).ok()?)
}

/// How a writer keeps the index up to date.
#[derive(Debug, Clone, Copy)]
pub(super) struct Upkeep {
    /// Whether files are synced before they are renamed in.
    pub(super) sync: bool,
    /// Whether segments get a data cache (a format 8 `__init__.py` reads it; older ones
    /// never do, and their DataSets get none).
    pub(super) cached: bool,
}

/// The item a pending mark `file` names, if it is one.
pub(crate) fn pending_item(file: &str) -> Option<&str> {
    file.strip_suffix(PENDING)
}

/// `_index/` of a new DataSet (built in `dir`, its staging folder): one empty segment, so that
/// a reader always finds change 1.
pub(super) fn create(dir: &Path) -> io::Result<()> {
    let index = dir.join(INDEX_DIR);
    fs::create_dir(&index)?;
    let first = Segment { first: 1, last: 1 };
    write_segment(
        &index,
        dir,
        first,
        &[],
        Upkeep {
            sync: false,
            cached: true,
        },
    )
}

/// Mark `name` pending before the renames of a change: from now on Python reads its file. The
/// mark's path if it is new (the change removes it again if it fails), `None` if it was there.
pub(super) fn mark(dir: &Path, name: &str) -> io::Result<Option<PathBuf>> {
    let index = dir.join(INDEX_DIR);
    if !index.is_dir() {
        fs::create_dir(&index)?;
    }
    let path = index.join(format!("{name}{PENDING}"));
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(_) => Ok(Some(path)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

/// After a change of `name` (its metadata file text `info`, `None` once removed): append its
/// segment, drop its mark when the index holds it, merge segments when due. `staging` is a
/// folder of the writer on the same file system. Call under the DataSet's lock.
pub(super) fn record(
    dir: &Path,
    staging: &Path,
    name: &str,
    info: Option<&str>,
    how: Upkeep,
) -> io::Result<()> {
    let index = dir.join(INDEX_DIR);
    let mut live = match live_segments(&index, true) {
        Ok(live) => live,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir(&index)?;
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let Some(newest) = live.last().copied() else {
        // The index was lost: build it again from the metadata files.
        return rebuild(dir, staging, 1, how);
    };
    let change = Segment {
        first: newest.last + 1,
        last: newest.last + 1,
    };
    let entry = info.and_then(|text| entry(name, text));
    write_segment(&index, staging, change, entry.as_slice(), how)?;
    if entry.is_some() {
        let _ = fs::remove_file(index.join(format!("{name}{PENDING}")));
    }
    live.push(change);
    compact(dir, staging, live, how)
}

/// The segments Python reads (those no other one covers), oldest first; with `clean`, the
/// covered ones (inputs of a merge done by an earlier change) are deleted.
fn live_segments(index: &Path, clean: bool) -> io::Result<Vec<Segment>> {
    let mut all: Vec<Segment> = Vec::new();
    for entry in fs::read_dir(index)? {
        if let Some(segment) = entry?.file_name().to_str().and_then(Segment::parse) {
            all.push(segment);
        }
    }
    // Ranges are nested or disjoint: by first change, the widest first.
    all.sort_by_key(|s| (s.first, std::cmp::Reverse(s.last)));
    let mut live: Vec<Segment> = Vec::new();
    for segment in all {
        match live.last() {
            Some(l) if segment.last <= l.last => {
                if clean {
                    // The cache first: a cache is never left without its segment.
                    let _ = fs::remove_file(index.join(segment.cache_name()));
                    let _ = fs::remove_file(index.join(segment.file_name()));
                }
            }
            _ => live.push(segment),
        }
    }
    Ok(live)
}

/// Merge the newest `FAN` segments of one size class while there are; then everything into one
/// segment when the segments after the first cover a quarter as many changes as it does.
fn compact(dir: &Path, staging: &Path, mut live: Vec<Segment>, how: Upkeep) -> io::Result<()> {
    let index = dir.join(INDEX_DIR);
    while live.len() > FAN {
        let tail = &live[live.len() - FAN..];
        if tail.iter().any(|s| s.class() != tail[0].class()) {
            break;
        }
        let merged = Segment {
            first: tail[0].first,
            last: tail[FAN - 1].last,
        };
        let mut names = BTreeSet::new();
        for segment in tail {
            match ArchiveReader::open(index.join(segment.file_name())) {
                Ok(reader) => names.extend(reader.items().map(str::to_owned)),
                // Not as written (edited?): build the index again from the metadata files.
                Err(_) => return rebuild(dir, staging, live[live.len() - 1].last, how),
            }
        }
        let entries = entries_of(dir, names.iter().map(String::as_str))?;
        write_segment(&index, staging, merged, &entries, how)?;
        live.truncate(live.len() - FAN);
        live.push(merged);
    }
    let rest: u64 = live.iter().skip(1).map(|s| s.len()).sum();
    if rest >= FAN as u64 && rest * 4 >= live[0].len() {
        return rebuild(dir, staging, live[live.len() - 1].last, how);
    }
    Ok(())
}

/// One segment `1..=last` from every metadata file; then the marks of the items it holds (and
/// of removed items) are dropped.
fn rebuild(dir: &Path, staging: &Path, last: u64, how: Upkeep) -> io::Result<()> {
    let index = dir.join(INDEX_DIR);
    let mut names = Vec::new();
    for entry in fs::read_dir(dir.join(INFO_DIR))? {
        let file = entry?.file_name();
        if let Some(name) = file.to_str().and_then(|f| f.strip_suffix(".py"))
            && item_name_problem(name).is_none()
        {
            names.push(name.to_owned());
        }
    }
    names.sort();
    let entries = entries_of(dir, names.iter().map(String::as_str))?;
    write_segment(&index, staging, Segment { first: 1, last }, &entries, how)?;
    let held: BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    for entry in fs::read_dir(&index)? {
        let file = entry?.file_name();
        if let Some(name) = file.to_str().and_then(pending_item)
            && (held.contains(name) || !dir.join(INFO_DIR).join(format!("{name}.py")).exists())
        {
            let _ = fs::remove_file(index.join(&file));
        }
    }
    Ok(())
}

/// The index entries of the items `names`, from their metadata files; an item the index cannot
/// hold (its file is more than one data statement and its record classes, or a class of its
/// name is another entry's) is marked pending instead, a removed one is left out (its mark
/// stays).
fn entries_of<'n>(dir: &Path, names: impl Iterator<Item = &'n str>) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for name in names {
        match fs::read_to_string(dir.join(INFO_DIR).join(format!("{name}.py"))) {
            Ok(text) => match entry(name, &text) {
                Some(e) => entries.push(e),
                None => drop(mark(dir, name)?),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    let (entries, left) = compatible(entries);
    for name in left {
        mark(dir, &name)?;
    }
    Ok(entries)
}

/// Write the segment `segment` holding `entries` into `index`, through a file in `staging`,
/// and then its data cache (a failure to write the cache only leaves it out: Python then runs
/// the segment).
fn write_segment(
    index: &Path,
    staging: &Path,
    segment: Segment,
    entries: &[Entry],
    how: Upkeep,
) -> io::Result<()> {
    let head = format!(
        "# persist archive, format {{FORMAT}}, written by persist-core {}.\n\
         # A DataSet's metadata index (changes {} to {}): each item's value in _info/ITEM.py.\n\n",
        env!("CARGO_PKG_VERSION"),
        segment.first,
        segment.last
    );
    let text = compose(entries, &head)
        .ok_or_else(|| io::Error::other("two record classes of one name in one index segment"))?;
    let destination = index.join(segment.file_name());
    let cache = index.join(segment.cache_name());
    // A segment of this name written before (the index was rebuilt) may have left its cache.
    match fs::remove_file(&cache) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let path = staging.join(format!(".index-{}", segment.file_name()));
    let mut file = fs::File::create(&path)?;
    file.write_all(text.as_bytes())?;
    crate::archive::bytecode::set_fresh_mtime(&file, &destination)?;
    if how.sync {
        file.sync_all()?;
    }
    drop(file);
    fs::rename(&path, &destination)?;
    if how.cached
        && let Some(bytes) = cache_of(&text)
    {
        let path = staging.join(format!(".index-{}", segment.cache_name()));
        let written = fs::File::create(&path).and_then(|mut file| {
            file.write_all(&bytes)?;
            if how.sync {
                file.sync_all()?;
            }
            Ok(())
        });
        if written.and_then(|()| fs::rename(&path, &cache)).is_err() {
            let _ = fs::remove_file(&path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_names_parse_back_and_sort_by_change() {
        let s = Segment { first: 3, last: 10 };
        assert_eq!(Segment::parse(&s.file_name()), Some(s));
        assert_eq!(Segment::parse("0000000003_0000000002.py"), None);
        assert_eq!(Segment::parse("x_1.py"), None);
        assert_eq!(Segment { first: 1, last: 64 }.class(), 2);
    }
}
