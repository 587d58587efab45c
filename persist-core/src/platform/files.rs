//! The file safety every store's reader stands on: an array file is opened only as a regular
//! file inside a plain folder, never through a symbolic link (which could lead outside the
//! archive), never a FIFO or a device (which could block a read forever); and a file name is
//! plain (no separator, no leading dot) before it is joined to a folder.

use std::fs::{self, File};
use std::path::Path;

/// A file name without separators that does not start with a dot: `run.field.npy`.
pub(crate) fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Open the array file `path` inside the archive's array folder `dir`: the folder must be a real
/// folder and the file a regular file, neither a symbolic link.
pub(crate) fn open_array_file(dir: &Path, path: &Path) -> Result<File, String> {
    let dir_meta = fs::symlink_metadata(dir).map_err(|e| format!("cannot open its folder: {e}"))?;
    if dir_meta.file_type().is_symlink() || !dir_meta.is_dir() {
        return Err(format!(
            "the array folder {} is not a plain folder (a symbolic link could lead outside the archive)",
            dir.display()
        ));
    }
    regular_file_no_follow(path)
}

/// Open `path`, refusing a symbolic link, and check that what was opened is a regular file.
pub(crate) fn regular_file_no_follow(path: &Path) -> Result<File, String> {
    let file = super::open_read(path, false).map_err(|e| {
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            "it is a symbolic link, which could lead outside the archive".to_owned()
        } else {
            e.to_string()
        }
    })?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file (a folder, FIFO or device is never an array file)".into());
    }
    Ok(file)
}
