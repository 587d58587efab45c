//! Opening the files of an archive for reading: regular files only, never through a symbolic
//! link inside the archive, never a FIFO or a device (which could block a read forever).

use std::fs;
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
