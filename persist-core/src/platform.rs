//! The operating system's file calls that differ between platforms, in one place: opening a
//! file without following a final symbolic link (and without blocking on a FIFO), the identity
//! of a file, the kind of a special file, the codes of a refused open, and folder modes.
//!
//! On unix these are exact (`O_NOFOLLOW | O_NONBLOCK` through rustix, inode and device numbers).
//! Elsewhere (Windows) they are the best std offers: a symbolic link is refused by looking at
//! the path first (not atomic with the open), and a file's identity is its length and
//! modification time; there are no FIFOs or devices in a folder there.

use std::fs::{DirBuilder, File, FileType, Metadata, OpenOptions};
use std::io;
use std::path::Path;

/// Open `path` with `options`, never through a final symbolic link, and without blocking when
/// it is a FIFO.
pub(crate) fn open_no_follow(options: &mut OpenOptions, path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt as _;
        options
            .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32)
            .open(path)
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::other("it is a symbolic link"));
        }
        options.open(path)
    }
}

/// Open `path` for reading without blocking when it is a FIFO, following a final symbolic
/// link only if `follow`.
pub(crate) fn open_read(path: &Path, follow: bool) -> io::Result<File> {
    if !follow {
        return open_no_follow(OpenOptions::new().read(true), path);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(path)
    }
    #[cfg(not(unix))]
    {
        File::open(path)
    }
}

/// What a refused open of a path that must be a regular file met instead, when the error says
/// so: "it is a symbolic link", "it is a folder", "it is a FIFO".
pub(crate) fn refused_open(e: &io::Error) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        match e.raw_os_error() {
            Some(c) if c == Errno::LOOP.raw_os_error() => Some("it is a symbolic link"),
            Some(c) if c == Errno::ISDIR.raw_os_error() => Some("it is a folder"),
            // Opening a FIFO for writing without blocking, with no reader.
            Some(c) if c == Errno::NXIO.raw_os_error() => Some("it is a FIFO"),
            _ => None,
        }
    }
    #[cfg(not(unix))]
    {
        (e.kind() == io::ErrorKind::Other && e.to_string().contains("symbolic link"))
            .then_some("it is a symbolic link")
    }
}

/// "FIFO", "device" or "socket" for a special file; `None` for files, folders and links.
pub(crate) fn special_kind(kind: &FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return Some("FIFO");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("device");
        }
        if kind.is_socket() {
            return Some("socket");
        }
    }
    let _ = kind;
    None
}

/// Whether two metadata describe the same file (one opened, one looked up by path).
pub(crate) fn same_file(a: &Metadata, b: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        a.ino() == b.ino() && a.dev() == b.dev()
    }
    #[cfg(not(unix))]
    {
        a.len() == b.len() && a.modified().ok() == b.modified().ok()
    }
}

/// A folder builder giving every user the access the process's umask allows (as `mkdir` does),
/// so that an archive's folder has the usual permissions and not a temporary folder's `0o700`.
pub(crate) fn dir_builder() -> DirBuilder {
    #[allow(unused_mut)]
    let mut builder = DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o777);
    builder
}

/// Whether `e` says that an atomic exchange of two paths is not available (the platform, the
/// kernel or the file system lacks it).
pub(crate) fn exchange_unsupported(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        matches!(e.raw_os_error(), Some(c) if c == Errno::INVAL.raw_os_error()
            || c == Errno::NOSYS.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_link_is_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, b"x").unwrap();
        let link = dir.path().join("link");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, &link).unwrap();
        #[cfg(unix)]
        {
            let e = open_read(&link, false).unwrap_err();
            assert_eq!(refused_open(&e), Some("it is a symbolic link"), "{e}");
            assert!(open_read(&link, true).is_ok());
        }
        let a = File::open(&target).unwrap().metadata().unwrap();
        let b = fs::symlink_metadata(&target).unwrap();
        assert!(same_file(&a, &b));
    }
}
