//! Every file this tool writes goes through here: created, written, flushed to the disk through
//! the handle that wrote it, and closed.
//!
//! Takes a path and the bytes (or a writer's output); gives a file that is on the disk whole when
//! the call returns. It refuses nothing itself; an error of the system is returned as it is.
//!
//! Why one place: a file's data is flushed to the disk (`fsync`, `FlushFileBuffers`) through a
//! handle, and Windows flushes only through a handle with write access — a file flushed through
//! a handle opened to read it (`File::open(path)?.sync_all()`) is `Access denied` there, though
//! Linux allows it. Here the only handle ever flushed is the one [`OutputFile`] opened to write,
//! and no other module opens a file for writing or flushes one (`tests/outputs.rs` reads `src/`
//! and fails on any that does).
//!
//! Files carry pay data: on Unix each is created readable by the owner only (0600). On Windows a
//! new file takes the access list its folder passes on (nothing here sets one): the reports folder
//! must allow finance only (README, "Windows").

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

/// A file being written. [`OutputFile::finish`] flushes it to the disk and closes it; dropped
/// without it, whatever it holds may be incomplete (a failed write leaves it so, and the caller
/// removes or never publishes it).
#[must_use = "an output is on the disk only after finish()"]
pub struct OutputFile {
    out: BufWriter<File>,
}

fn options() -> std::fs::OpenOptions {
    let mut options = File::options();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

impl OutputFile {
    fn of(file: File) -> Self {
        OutputFile { out: BufWriter::with_capacity(1 << 16, file) }
    }

    /// Create `path`, or empty it when it exists, for writing.
    ///
    /// # Errors
    /// When it cannot be created or opened for writing.
    pub fn create(path: &Path) -> io::Result<Self> {
        options().create(true).truncate(true).open(path).map(Self::of)
    }

    /// Create `path`, which must not exist yet (a temporary file's fresh name).
    ///
    /// # Errors
    /// When it exists or cannot be created.
    pub fn create_new(path: &Path) -> io::Result<Self> {
        options().create_new(true).open(path).map(Self::of)
    }

    /// Open `path` to add to its end, creating it when it does not exist (an append-only log).
    ///
    /// # Errors
    /// When it cannot be opened for writing.
    pub fn append(path: &Path) -> io::Result<Self> {
        options().create(true).append(true).open(path).map(Self::of)
    }

    /// Write what is buffered, then flush the file's data and size to the disk through this
    /// handle (opened to write: the one Windows flushes), leaving the file open.
    ///
    /// # Errors
    /// When the data cannot be written or flushed.
    pub fn flush_to_disk(&mut self) -> io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_all()
    }

    /// [`flush_to_disk`](Self::flush_to_disk), then close the file.
    ///
    /// # Errors
    /// When the data cannot be written or flushed.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush_to_disk()
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Seek for OutputFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.out.seek(pos)
    }
}

/// Write `bytes` as the whole of `path`.
///
/// # Errors
/// When the file cannot be created, written or flushed.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OutputFile::create(path)?;
    f.write_all(bytes)?;
    f.finish()
}

/// Write `path` through `fill`.
///
/// # Errors
/// `fill`'s error, or when the file cannot be created, written or flushed.
pub fn write_with<E: From<io::Error>>(
    path: &Path,
    fill: impl FnOnce(&mut OutputFile) -> Result<(), E>,
) -> Result<(), E> {
    let mut f = OutputFile::create(path)?;
    fill(&mut f)?;
    f.finish()?;
    Ok(())
}

/// Open (creating it empty when missing) a lock file, to be locked with `File::lock`; it is
/// never written.
///
/// # Errors
/// When it cannot be created or opened.
pub fn lock_file(path: &Path) -> io::Result<File> {
    options().create(true).truncate(false).open(path)
}

/// Save a workbook as `path` (what `Workbook::save` does, through an [`OutputFile`]: the same
/// bytes, flushed to the disk).
///
/// # Errors
/// The workbook's error, or when the file cannot be written.
pub fn save_workbook(wb: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<(), rust_xlsxwriter::XlsxError> {
    write_with(path, |f| wb.save_to_writer(f))
}

/// Copy the file `from` as `to` (an archive's copy of an input): the bytes, not the source's
/// permissions or access list, so that the copy is private as every output is.
///
/// # Errors
/// When `from` cannot be read or `to` written.
pub fn copy(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = File::open(from)?;
    let mut f = OutputFile::create(to)?;
    let n = io::copy(&mut source, &mut f)?;
    f.finish()?;
    Ok(n)
}

/// A file written under a temporary name in its final folder, that takes its final name only
/// once whole and on the disk ([`Temporary::commit`]); dropped before that, it is removed.
pub struct Temporary {
    file: tempfile::NamedTempFile<OutputFile>,
}

impl Temporary {
    /// A new temporary file in `dir`, its name starting with `prefix` (so that a later run can
    /// find what a killed one left behind).
    ///
    /// # Errors
    /// When it cannot be created.
    pub fn new_in(dir: &Path, prefix: &str) -> io::Result<Self> {
        let file = tempfile::Builder::new().prefix(prefix).make_in(dir, OutputFile::create_new)?;
        Ok(Temporary { file })
    }

    /// Where it is written for now.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The file, to write into.
    pub fn file(&mut self) -> &mut OutputFile {
        self.file.as_file_mut()
    }

    /// Flush it to the disk, give it the name `path` (replacing a file of that name) and close it.
    ///
    /// # Errors
    /// When it cannot be flushed or renamed; it is removed then.
    pub fn commit(mut self, path: &Path) -> io::Result<()> {
        self.file.as_file_mut().flush_to_disk()?;
        self.file.persist(path).map(drop).map_err(|e| e.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::read;

    #[test]
    fn a_written_file_is_whole_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("薪酬.csv");
        write(&p, b"a,b\r\n").unwrap();
        assert_eq!(read(&p).unwrap(), b"a,b\r\n");
        write(&p, b"c").unwrap();
        assert_eq!(read(&p).unwrap(), b"c", "an existing file is replaced whole");
        let log = dir.path().join("log.jsonl");
        for line in ["1\n", "2\n"] {
            let mut f = OutputFile::append(&log).unwrap();
            f.write_all(line.as_bytes()).unwrap();
            f.finish().unwrap();
        }
        assert_eq!(read(&log).unwrap(), b"1\n2\n");
        let copy_to = dir.path().join("copy");
        assert_eq!(copy(&log, &copy_to).unwrap(), 4);
        #[cfg(unix)]
        for f in [&p, &log, &copy_to] {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(f).unwrap().permissions().mode() & 0o777, 0o600, "{}", f.display());
        }
    }

    /// Regression (issue 24): outputs were flushed through a handle opened to read them, which
    /// Windows refuses (`Access denied`); every handle this module flushes was opened to write.
    #[cfg(unix)]
    #[test]
    fn every_handle_flushed_here_was_opened_to_write() {
        use std::os::fd::AsRawFd;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let mut t = Temporary::new_in(dir.path(), ".t-").unwrap();
        let handles = [
            OutputFile::create(&p).unwrap(),
            OutputFile::append(&p).unwrap(),
            OutputFile::create_new(&dir.path().join("g")).unwrap(),
        ];
        let mut fds: Vec<i32> = handles.iter().map(|h| h.out.get_ref().as_raw_fd()).collect();
        fds.push(t.file().out.get_ref().as_raw_fd());
        for fd in fds {
            // SAFETY: F_GETFL on a descriptor this test owns.
            let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
            assert_ne!(flags & libc::O_ACCMODE, libc::O_RDONLY, "descriptor {fd} is read-only");
        }
        for h in handles {
            h.finish().unwrap();
        }
    }

    #[test]
    fn a_temporary_takes_its_name_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("whatif.csv");
        write(&target, b"old").unwrap();
        let mut t = Temporary::new_in(dir.path(), ".whatif-").unwrap();
        t.file().write_all(b"new").unwrap();
        let tmp = t.path().to_path_buf();
        assert!(tmp.file_name().unwrap().to_string_lossy().starts_with(".whatif-"));
        assert_eq!(read(&target).unwrap(), b"old");
        t.commit(&target).unwrap();
        assert_eq!(read(&target).unwrap(), b"new");
        assert!(!tmp.exists());
        let mut dropped = Temporary::new_in(dir.path(), ".whatif-").unwrap();
        dropped.file().write_all(b"half").unwrap();
        let tmp = dropped.path().to_path_buf();
        drop(dropped);
        assert!(!tmp.exists(), "an uncommitted temporary is removed");
        assert_eq!(read(&target).unwrap(), b"new");
    }

    #[test]
    fn a_workbook_saved_here_has_the_bytes_save_gives() {
        let dir = tempfile::tempdir().unwrap();
        let make = || {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 10, 31).unwrap();
            wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date));
            wb.add_worksheet().write(0, 0, "净佣金").unwrap();
            wb
        };
        let mut wb = make();
        let buffer = wb.save_to_buffer().unwrap();
        let p = dir.path().join("b.xlsx");
        save_workbook(&mut make(), &p).unwrap();
        assert_eq!(read(&p).unwrap(), buffer);
    }
}
