//! Staging folders: the temporary siblings a writer fills before it renames them into place, and
//! the cleanup of those a dead writer left behind.
//!
//! Liveness is decided by a lock, not by process ids: every staging folder `PREFIXrandom` has a
//! lock file `PREFIXrandom.lock` beside it, created and locked (`flock`, exclusive) *before* the
//! folder and removed only after it. The OS drops the lock when its process dies, on every unix,
//! so a later writer that can take the lock knows the writer is gone and removes both. A folder
//! without its lock file was left by a writer of an older version (which named its folders after
//! its process id); it is removed once it is an hour old.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The suffix of a staging folder's lock file.
const LOCK_SUFFIX: &str = ".lock";

/// A folder without its lock file is removed once it is this old.
const LEGACY_AGE: Duration = Duration::from_secs(3600);

/// A staging folder, removed (with its lock file) on drop unless it was renamed away.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    lock_path: PathBuf,
    /// Held locked for the folder's whole life.
    _lock: File,
}

impl Staging {
    /// Make a staging folder `parent/PREFIXrandom` (mode 0777 less the umask), with its lock.
    pub(crate) fn new_in(parent: &Path, prefix: &str) -> io::Result<Staging> {
        loop {
            // The lock file first: a folder never exists without its lock held.
            let file = tempfile::Builder::new()
                .prefix(prefix)
                .suffix(LOCK_SUFFIX)
                .tempfile_in(parent)?;
            let (file, lock_path) = file.keep().map_err(|e| e.error)?;
            file.lock()?;
            // A cleaner may have taken the lock in the instant before we did and removed the
            // file: then ours is the lock of nothing; start again.
            let ours = file.metadata()?;
            match fs::symlink_metadata(&lock_path) {
                Ok(now) if crate::platform::same_file(&now, &ours) => {}
                _ => continue,
            }
            let name = lock_path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(LOCK_SUFFIX))
                .unwrap_or_default()
                .to_owned();
            let dir = parent.join(&name);
            if let Err(e) = crate::platform::dir_builder().create(&dir) {
                let _ = fs::remove_file(&lock_path);
                return Err(e);
            }
            return Ok(Staging {
                dir,
                lock_path,
                _lock: file,
            });
        }
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The folder first, then its lock file: a folder never outlives its lock file.
        match fs::symlink_metadata(&self.dir) {
            Ok(m) if m.is_dir() => {
                let _ = fs::remove_dir_all(&self.dir);
            }
            Ok(_) => {
                let _ = fs::remove_file(&self.dir);
            }
            Err(_) => {}
        }
        let _ = fs::remove_file(&self.lock_path);
    }
}

/// Remove the staging folders (and lock files) under `parent` whose names start with `prefix`
/// and whose writers are no longer running. Best effort: errors are ignored, a live writer's
/// folder is never touched.
pub(crate) fn clean_dead(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with(prefix) {
            continue;
        }
        let path = entry.path();
        if let Some(stem) = name.strip_suffix(LOCK_SUFFIX) {
            clean_locked(&path, &parent.join(stem));
        } else if !parent.join(format!("{name}{LOCK_SUFFIX}")).exists() {
            clean_legacy(&path);
        }
    }
}

/// `lock_path` is the lock of `dir`: if its writer is dead, remove both.
fn clean_locked(lock_path: &Path, dir: &Path) {
    let Ok(file) = crate::platform::open_no_follow(OpenOptions::new().write(true), lock_path)
    else {
        return;
    };
    if file.try_lock().is_err() {
        return; // its writer is alive
    }
    // We hold the dead writer's lock: nobody else can be using the folder.
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {
            if fs::remove_dir_all(dir).is_err() {
                return;
            }
        }
        Ok(_) => {
            if fs::remove_file(dir).is_err() {
                return;
            }
        }
        Err(_) => {}
    }
    let _ = fs::remove_file(lock_path);
}

/// A folder without a lock file: an older writer's; removed once it is old enough that no
/// writer can still be filling it.
fn clean_legacy(path: &Path) {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    let old = meta
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age >= LEGACY_AGE);
    if old && meta.is_dir() {
        let _ = fs::remove_dir_all(path);
    }
}
