//! Where an archive goes, and how a staged archive replaces the previous one so that the path
//! always holds a complete archive.
//!
//! On Linux every part that exists on both sides is swapped with `renameat2(RENAME_EXCHANGE)`:
//! one atomic step in which the path holds the old part, then the new one, never nothing. A
//! package archive is one folder, so it is swapped whole. A module archive has two parts, the
//! source `NAME.py` and its array folder (or file). An overwrite writes its arrays under the
//! name the archive on disk does not use (`NAME_arrays` or `NAME_arrays.2`, see
//! [`second_name`](crate::store::second_name)), renames them in beside the old ones, then swaps
//! the source, then moves the old arrays out: whenever Python or the reader opens `NAME.py`, the
//! arrays it names are there and are its own. Elsewhere, or on a file system without the
//! exchange, the old source is first hard-linked into the staging folder and the new one renamed
//! over it (one atomic step again); a folder, or a file where links fail, is moved into the
//! staging folder and the new one renamed in: a short moment when that path is empty. Every
//! step can be undone, and is, when a later one fails.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::staging::Staging;
use super::{Layout, fault, io_error};
use crate::error::ArchiveError;
use crate::python::finder::reserved_module;
use crate::python::name::python_file_name_problem;
use crate::store::{StoreKind, array_parts, module_array_parts, second_name};

/// Where an archive goes: its parent folder, its Python name, its files.
pub(super) struct Target {
    pub(super) layout: Layout,
    pub(super) parent: PathBuf,
    pub(super) name: String,
    /// `dir/NAME.py` or `dir/NAME`.
    pub(super) path: PathBuf,
}

/// One step of a commit, to undo it.
enum Done {
    /// `a` and `b` were exchanged (Linux only).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Exchanged(PathBuf, PathBuf),
    /// `from` was renamed to `to`.
    Moved { from: PathBuf, to: PathBuf },
}

impl Target {
    pub(super) fn new(path: &Path, layout: Layout) -> Result<Self, ArchiveError> {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let name = match layout {
            Layout::Module => file_name.strip_suffix(".py").unwrap_or(file_name),
            Layout::Package => file_name,
        };
        if let Some(reason) = python_file_name_problem(name) {
            return Err(ArchiveError::InvalidArchiveName {
                path: path.to_path_buf(),
                name: name.to_owned(),
                reason: reason.to_owned(),
            });
        }
        if let Some(owner) = reserved_module(name) {
            return Err(ArchiveError::ShadowsModule {
                path: path.to_path_buf(),
                name: name.to_owned(),
                owner,
            });
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(io_error(
                "save into",
                &parent,
                io::Error::new(io::ErrorKind::NotFound, "the parent folder does not exist"),
            ));
        }
        let path = match layout {
            Layout::Module => parent.join(format!("{name}.py")),
            Layout::Package => parent.join(name),
        };
        Ok(Target {
            layout,
            parent,
            name: name.to_owned(),
            path,
        })
    }

    /// The prefix of this archive's staging folders (and their lock files) in the parent.
    pub(super) fn staging_prefix(&self) -> String {
        format!(".{}.persist-", self.name)
    }

    /// The file Python compiles for this archive, where the staged source will be.
    pub(super) fn source_path(&self) -> PathBuf {
        match self.layout {
            Layout::Module => self.path.clone(),
            Layout::Package => self.path.join("__init__.py"),
        }
    }

    /// The paths that make up this archive on disk: the source (or folder), then the arrays of
    /// every store.
    fn parts(&self) -> Vec<(String, PathBuf)> {
        match self.layout {
            Layout::Module => {
                let mut parts = vec![(format!("{}.py", self.name), self.path.clone())];
                parts.extend(
                    module_array_parts(&self.name)
                        .into_iter()
                        .map(|file_name| (file_name.clone(), self.parent.join(file_name))),
                );
                parts
            }
            Layout::Package => vec![(self.name.clone(), self.path.clone())],
        }
    }

    /// The archive of the other layout and the same name, if there is one: `import NAME` would
    /// find the package before the module.
    pub(super) fn other_layout(&self) -> Option<PathBuf> {
        let other = match self.layout {
            Layout::Module => self.parent.join(&self.name),
            Layout::Package => self.parent.join(format!("{}.py", self.name)),
        };
        other.symlink_metadata().is_ok().then_some(other)
    }

    /// Whether this save writes its arrays under their second name: a module archive whose
    /// source on disk uses the first (see the module docs). Decided by which names are on disk;
    /// where both are (a writer died between renaming its arrays in and swapping the source),
    /// by the name the source's loader line gives.
    pub(super) fn second_name_is_free(&self) -> bool {
        if self.layout != Layout::Module {
            return false;
        }
        let first = array_parts(&self.name, false);
        let second: Vec<String> = first.iter().map(|name| second_name(name)).collect();
        let on_disk = |names: &[String]| {
            names
                .iter()
                .any(|name| self.parent.join(name).symlink_metadata().is_ok())
        };
        match (on_disk(&first), on_disk(&second)) {
            (true, true) => !self.source_names_second().unwrap_or(false),
            (first, _) => first,
        }
    }

    /// Whether the loader line of the source on disk (`_arrays = ...`, `_data = ...`, among its
    /// first 256 KiB) names arrays under their second name; `None` if no such line is found.
    fn source_names_second(&self) -> Option<bool> {
        use std::io::{BufRead, Read};
        let file = fs::File::open(&self.path).ok()?;
        let lines = io::BufReader::new(file.take(256 << 10)).lines();
        let line = lines.map_while(Result::ok).find(|l| {
            StoreKind::ALL.iter().any(|kind| {
                l.strip_prefix(kind.path_name())
                    .is_some_and(|r| r.starts_with(" = "))
            })
        })?;
        Some(
            array_parts(&self.name, false)
                .iter()
                .any(|name| line.contains(&format!("'{}'", second_name(name)))),
        )
    }

    pub(super) fn existing(&self) -> Vec<PathBuf> {
        self.parts()
            .into_iter()
            .map(|(_, p)| p)
            .filter(|p| p.symlink_metadata().is_ok())
            .collect()
    }

    /// Put the staged archive in place of the previous one (see the module docs). On failure
    /// every step already taken is undone, so the previous archive is back as it was.
    pub(super) fn commit(&self, staging: Staging) -> Result<(), ArchiveError> {
        let mut done = Vec::new();
        // A backup folder holds the previous archive until the commit is over: it must outlive
        // the undoing of a failed one.
        let mut backup = None;
        let result = match self.layout {
            Layout::Package => self.commit_package(&staging, &mut done, &mut backup),
            Layout::Module => self.commit_module(&staging, &mut done),
        };
        if let Err(err) = result {
            undo(done);
            return Err(err);
        }
        drop(backup);
        if let Ok(dir) = fs::File::open(&self.parent) {
            let _ = dir.sync_all();
        }
        // Dropping the staging folder removes what it holds now: the previous archive.
        drop(staging);
        Ok(())
    }

    fn commit_package(
        &self,
        staging: &Staging,
        done: &mut Vec<Done>,
        backup: &mut Option<Staging>,
    ) -> Result<(), ArchiveError> {
        let staged = staging.path();
        if self.path.symlink_metadata().is_err() {
            return step(done, "rename into place", &self.path, || {
                move_to(staged, &self.path)
            });
        }
        match step(done, "swap into place", &self.path, || {
            exchange(staged, &self.path)
        }) {
            Err(ArchiveError::Io { source, .. }) if exchange_unsupported(&source) => {}
            other => return other,
        }
        // No exchange here: move the previous archive into a backup folder, then the new one in.
        let saved = backup
            .insert(
                Staging::new_in(&self.parent, &self.staging_prefix())
                    .map_err(|e| io_error("create a backup folder in", &self.parent, e))?,
            )
            .path()
            .join(&self.name);
        step(done, "move aside", &self.path, || {
            move_to(&self.path, &saved)
        })?;
        step(done, "rename into place", &self.path, || {
            move_to(staged, &self.path)
        })
    }

    fn commit_module(&self, staging: &Staging, done: &mut Vec<Done>) -> Result<(), ArchiveError> {
        let mut parts = self.parts();
        // The source last: a fresh archive is never visible without its arrays.
        parts.rotate_left(1);
        let mut old_only = Vec::new();
        for (file_name, path) in parts {
            let staged = staging.path().join(&file_name);
            let new = staged.symlink_metadata().is_ok();
            let old = path.symlink_metadata().is_ok();
            match (new, old) {
                (true, false) => {
                    step(done, "rename into place", &path, || move_to(&staged, &path))?;
                }
                (true, true) => {
                    match step(done, "swap into place", &path, || exchange(&staged, &path)) {
                        Err(ArchiveError::Io { source, .. }) if exchange_unsupported(&source) => {
                            let saved = staging.path().join(format!(".old-{file_name}"));
                            if !path.is_dir() && fs::hard_link(&path, &saved).is_ok() {
                                // The old file stays linked for undoing; the rename replaces
                                // it in one step.
                                step(done, "rename into place", &path, || {
                                    fs::rename(&staged, &path)?;
                                    Ok(Done::Moved {
                                        from: path.clone(),
                                        to: saved,
                                    })
                                })?;
                                continue;
                            }
                            step(done, "move aside", &path, || move_to(&path, &saved))?;
                            step(done, "rename into place", &path, || move_to(&staged, &path))?;
                        }
                        other => other?,
                    }
                }
                (false, true) => old_only.push((file_name, path)),
                (false, false) => {}
            }
        }
        // Parts of the previous archive the new one does not have (another array store's).
        for (file_name, path) in old_only {
            let saved = staging.path().join(format!(".old-{file_name}"));
            step(done, "move aside", &path, || move_to(&path, &saved))?;
        }
        Ok(())
    }
}

/// Run one step (after its fault point), recording it for [`undo`].
fn step(
    done: &mut Vec<Done>,
    action: &'static str,
    path: &Path,
    f: impl FnOnce() -> io::Result<Done>,
) -> Result<(), ArchiveError> {
    #[cfg(test)]
    if FAIL_STEP.get() == done.len() + 1 {
        return Err(io_error(
            action,
            path,
            io::Error::other("a test failed this step"),
        ));
    }
    fault::point("archive-commit-step")
        .and_then(|()| f())
        .map(|d| done.push(d))
        .map_err(|e| io_error(action, path, e))
}

/// Undo the steps of a failed commit, last first.
fn undo(done: Vec<Done>) {
    for d in done.into_iter().rev() {
        let _ = match d {
            Done::Exchanged(a, b) => exchange(&a, &b).map(drop),
            Done::Moved { from, to } => fs::rename(to, from),
        };
    }
}

fn move_to(from: &Path, to: &Path) -> io::Result<Done> {
    fs::rename(from, to)?;
    Ok(Done::Moved {
        from: from.to_path_buf(),
        to: to.to_path_buf(),
    })
}

#[cfg(test)]
thread_local! {
    /// Makes [`exchange`] unsupported on this thread: the unit tests of the backup swap.
    static NO_EXCHANGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Makes the step of this number (1 for the first) of the next commits fail on this thread.
    static FAIL_STEP: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Swap two existing paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<Done> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    #[cfg(test)]
    if NO_EXCHANGE.get() {
        return Err(io::ErrorKind::Unsupported.into());
    }
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?;
    Ok(Done::Exchanged(a.to_path_buf(), b.to_path_buf()))
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<Done> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The exchange is not available here (the kernel or the file system lacks it).
fn exchange_unsupported(e: &io::Error) -> bool {
    crate::platform::exchange_unsupported(e)
}

#[cfg(test)]
mod tests {
    use super::{FAIL_STEP, NO_EXCHANGE};
    use crate::{Archive, ArchiveReader, SaveOptions};

    fn save(dir: &std::path::Path, target: &str, options: SaveOptions, value: i64, arrays: bool) {
        let mut archive = Archive::new().with_array_threshold(2);
        archive.insert("v", value).unwrap();
        if arrays {
            archive.insert("a", vec![value; 3]).unwrap();
            archive
                .insert("big", ndarray::Array1::from_elem(5, value as f64))
                .unwrap();
        }
        archive
            .save(dir.join(target), options.overwrite(true))
            .unwrap();
    }

    fn leftovers(dir: &std::path::Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with('.'))
            .collect()
    }

    /// Where the exchange is missing, the backup swap replaces every part and leaves nothing
    /// behind; a module archive's parts of another store are moved out.
    #[test]
    fn the_backup_swap_replaces_module_and_package_archives() {
        for exchange in [true, false] {
            NO_EXCHANGE.set(!exchange);
            let tmp = tempfile::tempdir().unwrap();
            for (target, options) in [
                ("m.py", SaveOptions::module()),
                ("p", SaveOptions::package()),
            ] {
                save(tmp.path(), target, options, 1, true);
                save(tmp.path(), target, options, 2, true);
                let reader = ArchiveReader::open(tmp.path().join(target)).unwrap();
                assert_eq!(reader.read::<i64>("v").unwrap(), 2);
                let big: ndarray::Array1<f64> = reader.read("big").unwrap();
                assert_eq!(big.to_vec(), [2.0; 5]);
                // The new archive has no external arrays: the old array folder goes.
                save(tmp.path(), target, options, 3, false);
                let reader = ArchiveReader::open(tmp.path().join(target)).unwrap();
                assert_eq!(reader.read::<i64>("v").unwrap(), 3);
                assert!(!tmp.path().join("m_arrays").exists());
                assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "{target}");
            }
        }
        NO_EXCHANGE.set(false);
    }

    /// A commit that fails at any of its steps puts the previous archive back, whole.
    #[test]
    fn a_failed_step_of_a_commit_restores_the_previous_archive() {
        for exchange in [true, false] {
            NO_EXCHANGE.set(!exchange);
            // A module archive with arrays: up to four steps (two swaps, or two moves aside and
            // two renames in).
            for fail in 1..=4 {
                let tmp = tempfile::tempdir().unwrap();
                for (target, options) in [
                    ("m.py", SaveOptions::module()),
                    ("p", SaveOptions::package()),
                ] {
                    save(tmp.path(), target, options, 1, true);
                    FAIL_STEP.set(fail);
                    let mut archive = Archive::new().with_array_threshold(2);
                    archive.insert("v", 2).unwrap();
                    archive
                        .insert("big", ndarray::Array1::from_elem(5, 2.0))
                        .unwrap();
                    let result = archive.save(tmp.path().join(target), options.overwrite(true));
                    FAIL_STEP.set(0);
                    let reader = ArchiveReader::open(tmp.path().join(target)).unwrap();
                    let v: i64 = reader.read("v").unwrap();
                    let big: ndarray::Array1<f64> = reader.read("big").unwrap();
                    match result {
                        Err(e) => {
                            assert!(e.to_string().contains("a test failed"), "{e}");
                            assert_eq!((v, big.to_vec()), (1, vec![1.0; 5]), "{target} {fail}");
                        }
                        // Fewer steps than `fail`: the save went through.
                        Ok(()) => assert_eq!((v, big.to_vec()), (2, vec![2.0; 5])),
                    }
                    assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "{target}");
                }
            }
        }
        NO_EXCHANGE.set(false);
    }
}
