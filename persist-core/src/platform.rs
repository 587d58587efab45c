//! The operating system's file calls that differ between platforms, in one place: opening a
//! file without following a final symbolic link (and without blocking on a FIFO), the identity
//! of a file, the kind of a special file, the codes of a refused open, folder modes, and
//! starting the writeback of a large file while it is written (`Writeback`).
//!
//! On unix these are exact (`O_NOFOLLOW | O_NONBLOCK` through rustix, inode and device numbers).
//! Elsewhere (Windows) they are the best std offers: a symbolic link is refused by looking at
//! the path first (not atomic with the open), and a file's identity is its length and
//! modification time; there are no FIFOs or devices in a folder there.

mod files;
mod stack;

pub(crate) use files::{is_plain_file_name, open_array_file, regular_file_no_follow};
pub(crate) use stack::with_stack;

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

/// How much of a file is written before its writeback is started.
const WRITEBACK_PIECE: usize = 16 << 20;

/// A writer into a file that, when `start` is set, starts the writeback of every 16 MiB it has
/// written (Linux: `sync_file_range(SYNC_FILE_RANGE_WRITE)`, which returns at once), so that the
/// disk writes while the rest is still being written and the final `fsync` waits only for the
/// tail. A durable save of a large array then costs about the write plus a fraction of the
/// sync, not their sum (BENCHMARKS.md, P1). Elsewhere, and with `start` unset, a plain writer.
///
/// ```text
/// let file = std::fs::File::create(path)?;
/// array.write_npy(BufWriter::new(Writeback::new(&file, sync)))?;
/// if sync { file.sync_all()?; }
/// ```
pub(crate) struct Writeback<'f> {
    file: &'f File,
    start: bool,
    /// Bytes written, and the offset up to which writeback was started.
    written: u64,
    started: u64,
}

impl<'f> Writeback<'f> {
    pub(crate) fn new(file: &'f File, start: bool) -> Self {
        Writeback {
            file,
            start,
            written: 0,
            started: 0,
        }
    }
}

impl io::Write for Writeback<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.start {
            return io::Write::write(&mut self.file, buf);
        }
        // Pieces of at most 16 MiB, so that one large write does not reach the kernel whole.
        let room = WRITEBACK_PIECE - (self.written - self.started) as usize;
        let n = io::Write::write(&mut self.file, &buf[..buf.len().min(room)])?;
        self.written += n as u64;
        if self.written - self.started >= WRITEBACK_PIECE as u64 {
            start_writeback(self.file, self.started, self.written - self.started);
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        io::Write::flush(&mut self.file)
    }
}

/// Start writing back `len` bytes of `file` from `offset`, without waiting. A failure is left to
/// the final `fsync`, which reports it.
fn start_writeback(file: &File, offset: u64, len: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
            return;
        };
        // SAFETY: `sync_file_range` only reads its integer arguments; the descriptor is
        // borrowed from a `File` that stays open for the call. A save of 100 MB with it is
        // 1.3x faster than without (BENCHMARKS.md, P1), and rustix does not wrap this call.
        let _ = unsafe {
            libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE)
        };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, offset, len);
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

    #[test]
    fn a_writeback_writer_writes_every_byte_in_pieces() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..(40 << 20) + 17).map(|i: u32| (i % 251) as u8).collect();
        for start in [true, false] {
            let path = dir.path().join(format!("{start}.bin"));
            let file = File::create(&path).unwrap();
            let mut writer = io::BufWriter::new(super::Writeback::new(&file, start));
            writer.write_all(&data[..100]).unwrap();
            writer.write_all(&data[100..]).unwrap();
            writer.flush().unwrap();
            drop(writer);
            file.sync_all().unwrap();
            assert!(std::fs::read(&path).unwrap() == data, "start: {start}");
        }
    }
}
