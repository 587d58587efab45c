//! Opening the files of an archive for reading: regular files only, never through a symbolic
//! link inside the archive, never a FIFO or a device (which could block a read forever).

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use super::LoadError;

/// Read the archive source at `path` (as the user named it: a link there is followed), which must
/// be a regular UTF-8 file.
pub(crate) fn read_source(path: &Path) -> Result<String, LoadError> {
    let io = |source: std::io::Error| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::other(
            "not a regular file (an archive's source is a plain .py file)",
        )));
    }
    let file = crate::platform::open_read(path, true).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(meta.len().saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::other(format!(
            "the source is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )))
    })
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
    let file = crate::platform::open_read(path, false).map_err(|e| {
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
