//! Reading workbooks in a child process, so that no input file can end the run.
//!
//! calamine reads what a workbook declares: a hostile or broken file can make it reserve memory
//! for billions of cells (an allocation failure aborts a Rust process; it cannot be caught), loop,
//! or exhaust memory. The binary therefore reads each workbook in a child process — itself, run
//! as `brokercomp __read-sheet` — with limits on its memory and CPU time, which the child puts on
//! itself before it opens the file (`setrlimit` on Unix; on Windows a job object of its own, which
//! also keeps a crash from opening an error dialog that would hold a scheduled run); a child that
//! cannot limit itself reads nothing and says so, a file-level error. The child streams the
//! rows back over a pipe while the parent checks them (the two cores work at once, as the reader
//! thread of a single process would). When the child dies, the parent reports a file-level error
//! naming the file; nothing else of the run is affected.
//!
//! Library use (tests) reads in-process unless [`enable`] was called.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use calamine::{CellErrorType, Data, DataRef, ExcelDateTime, ExcelDateTimeType};

use super::cells::{RawRow, Visit, MAX_COLS};
use super::error::{file_err, FileError};
use super::workbook::{self, Container};

/// The first argument that makes the binary a reader process.
pub const CHILD_ARG: &str = "__read-sheet";

/// Address space of a reader process: a million-row xlsx needs a few hundred MB.
const CHILD_MEMORY: u64 = 3 << 30;
/// CPU seconds of a reader process: a million-row xlsx needs about ten.
const CHILD_CPU_SECONDS: u64 = 600;
/// No cell the protocol carries is longer than this.
const MAX_STRING: usize = 1 << 30;

static READER: OnceLock<PathBuf> = OnceLock::new();

/// Read workbooks through `exe` (this program) from now on.
pub fn enable(exe: PathBuf) {
    let _ = READER.set(exe);
}

/// The reader program, when enabled.
pub fn reader() -> Option<&'static Path> {
    READER.get().map(PathBuf::as_path)
}

/// Read one workbook in a child process, handing its rows to `visit`.
///
/// # Errors
/// The child's file-level error, or one saying the child could not finish.
pub fn read(
    exe: &Path,
    path: &Path,
    label: &str,
    container: Container,
    sheet: Option<&str>,
    visit: &mut Visit<'_>,
) -> Result<String, FileError> {
    let mut cmd = Command::new(exe);
    cmd.arg(CHILD_ARG)
        .arg(match container {
            Container::Zip => "zip",
            Container::Ole => "ole",
        })
        .arg(label)
        .arg(sheet.unwrap_or(""))
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().map_err(|e| file_err(label, sheet, format!("cannot start the reader: {e}")))?;
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        return Err(file_err(label, sheet, "cannot start the reader: no pipe"));
    };
    widen_pipe(&stdout);
    let mut input = BufReader::with_capacity(1 << 16, stdout);
    let outcome = receive(&mut input, label, visit);
    if matches!(outcome, Received::Stopped(_)) {
        let _ = child.kill();
    }
    drop(input);
    let status = child.wait().map_err(|e| file_err(label, sheet, format!("the reader failed: {e}")))?;
    match outcome {
        Received::Done(name) | Received::Stopped(name) => Ok(name),
        Received::Error(e) => Err(e),
        Received::Broken(sheet_seen) => {
            let how = describe(&status);
            Err(file_err(
                label,
                sheet_seen.as_deref().or(sheet),
                format!(
                    "the spreadsheet reader could not finish this file ({how}); it is corrupt or built to exhaust the reader (a zip bomb, a table declaring billions of entries)"
                ),
            ))
        }
    }
}

/// A pipe of 1 MiB instead of 64 KiB: with small writes on one side and reads on the other,
/// the reader process parses while this one checks rows, instead of taking turns (a full pipe
/// stops the writer, an empty one the reader).
fn widen_pipe(stdout: &std::process::ChildStdout) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: F_SETPIPE_SZ on a pipe this process owns; a failure leaves the default size.
        unsafe {
            libc::fcntl(stdout.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stdout;
}

fn describe(status: &std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return match sig {
                6 => "it ran out of memory or aborted".into(),
                9 => "it was killed".into(),
                24 => "it used too much CPU time".into(),
                11 => "it crashed".into(),
                s => format!("signal {s}"),
            };
        }
    }
    match status.code() {
        #[cfg(windows)]
        Some(c) if c < 0 => describe_windows(c as u32),
        Some(c) => format!("exit status {c}"),
        None => "no exit status".into(),
    }
}

/// A Windows process's end, from the NTSTATUS it died with (a Rust abort, an allocation that
/// failed included, is a fast fail: `STATUS_STACK_BUFFER_OVERRUN`).
#[cfg(windows)]
fn describe_windows(code: u32) -> String {
    match code {
        0xC000_0409 | 0xC000_0017 => "it ran out of memory or aborted".into(),
        0xC000_0005 | 0xC000_001D | 0xC000_00FD => "it crashed".into(),
        0xC000_013A => "it was interrupted".into(),
        c => format!("exit status 0x{c:08X}"),
    }
}

enum Received {
    Done(String),
    /// The visitor stopped early.
    Stopped(String),
    Error(FileError),
    /// The stream ended without `Done`: the child died. The sheet name, when it was sent.
    Broken(Option<String>),
}

fn receive(input: &mut impl BufRead, label: &str, visit: &mut Visit<'_>) -> Received {
    let mut cells: Vec<Data> = Vec::new();
    let mut sheet: Option<String> = None;
    loop {
        let Ok(tag) = read_u8(input) else { return Received::Broken(sheet) };
        match tag {
            b'S' => match read_string(input) {
                Ok(s) => sheet = Some(s),
                Err(()) => return Received::Broken(sheet),
            },
            b'R' => {
                let (Ok(number), Ok(fields), Ok(n)) = (read_u32(input), read_u32(input), read_u32(input)) else {
                    return Received::Broken(sheet);
                };
                if n as usize > MAX_COLS {
                    return Received::Broken(sheet);
                }
                cells.clear();
                for _ in 0..n {
                    match read_cell(input) {
                        Ok(c) => cells.push(c),
                        Err(()) => return Received::Broken(sheet),
                    }
                }
                let row = RawRow { number, cells: &cells, fields: fields as usize, delimited: false, problem: None };
                if !visit(&row) {
                    return Received::Stopped(sheet.unwrap_or_default());
                }
            }
            b'D' => return Received::Done(sheet.unwrap_or_default()),
            b'E' => {
                let (Ok(s), Ok(message)) = (read_string(input), read_string(input)) else {
                    return Received::Broken(sheet);
                };
                let sheet = (!s.is_empty()).then_some(s);
                return Received::Error(FileError { file: label.to_string(), sheet, message });
            }
            _ => return Received::Broken(sheet),
        }
    }
}

fn read_u8(r: &mut impl Read) -> Result<u8, ()> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b).map_err(|_| ())?;
    Ok(b[0])
}
fn read_u32(r: &mut impl Read) -> Result<u32, ()> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b).map_err(|_| ())?;
    Ok(u32::from_le_bytes(b))
}
fn read_u64(r: &mut impl Read) -> Result<u64, ()> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).map_err(|_| ())?;
    Ok(u64::from_le_bytes(b))
}
fn read_string(r: &mut impl Read) -> Result<String, ()> {
    let n = read_u32(r)? as usize;
    if n > MAX_STRING {
        return Err(());
    }
    let mut b = vec![0u8; n];
    r.read_exact(&mut b).map_err(|_| ())?;
    String::from_utf8(b).map_err(|_| ())
}

const ERRORS: [CellErrorType; 8] = [
    CellErrorType::Div0,
    CellErrorType::NA,
    CellErrorType::Name,
    CellErrorType::Null,
    CellErrorType::Num,
    CellErrorType::Ref,
    CellErrorType::Value,
    CellErrorType::GettingData,
];

fn read_cell(r: &mut impl Read) -> Result<Data, ()> {
    Ok(match read_u8(r)? {
        0 => Data::Empty,
        1 => Data::String(read_string(r)?),
        2 => Data::Float(f64::from_bits(read_u64(r)?)),
        3 => Data::Int(read_u64(r)? as i64),
        4 => Data::Bool(read_u8(r)? != 0),
        5 => Data::DateTime(ExcelDateTime::new(f64::from_bits(read_u64(r)?), ExcelDateTimeType::DateTime, false)),
        6 => Data::DateTime(ExcelDateTime::new(f64::from_bits(read_u64(r)?), ExcelDateTimeType::TimeDelta, false)),
        7 => Data::DateTimeIso(read_string(r)?),
        8 => Data::DurationIso(read_string(r)?),
        9 => Data::Error(ERRORS.get(usize::from(read_u8(r)?)).cloned().ok_or(())?),
        _ => return Err(()),
    })
}

fn write_string(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    let mut end = s.len().min(MAX_STRING);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let s = &s[..end];
    w.write_all(&(s.len() as u32).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn write_cell(w: &mut impl Write, c: &Data) -> std::io::Result<()> {
    match c {
        Data::Empty => w.write_all(&[0]),
        Data::String(s) => {
            w.write_all(&[1])?;
            write_string(w, s)
        }
        Data::Float(f) => {
            w.write_all(&[2])?;
            w.write_all(&f.to_bits().to_le_bytes())
        }
        Data::Int(i) => {
            w.write_all(&[3])?;
            w.write_all(&(*i as u64).to_le_bytes())
        }
        Data::Bool(b) => w.write_all(&[4, u8::from(*b)]),
        Data::DateTime(d) => {
            w.write_all(&[if d.is_duration() { 6 } else { 5 }])?;
            w.write_all(&d.as_f64().to_bits().to_le_bytes())
        }
        Data::DateTimeIso(s) => {
            w.write_all(&[7])?;
            write_string(w, s)
        }
        Data::DurationIso(s) => {
            w.write_all(&[8])?;
            write_string(w, s)
        }
        Data::Error(e) => {
            let code = ERRORS.iter().position(|x| x == e).unwrap_or(ERRORS.len() - 1);
            w.write_all(&[9, code as u8])
        }
    }
}

/// Write a cell as calamine gives it, without copying its text.
fn write_cell_ref(w: &mut impl Write, c: &DataRef<'_>) -> std::io::Result<()> {
    match c {
        DataRef::SharedString(s) => {
            w.write_all(&[1])?;
            write_string(w, s)
        }
        DataRef::String(s) => {
            w.write_all(&[1])?;
            write_string(w, s)
        }
        DataRef::DateTime(_) => write_cell(w, &workbook::data_of(c)),
        DataRef::Empty => w.write_all(&[0]),
        DataRef::Float(f) => {
            w.write_all(&[2])?;
            w.write_all(&f.to_bits().to_le_bytes())
        }
        other => write_cell(w, &workbook::data_of(other)),
    }
}

/// The reader process's rows, written to the pipe.
struct Pipe<'a, W: Write> {
    out: &'a std::cell::RefCell<W>,
    failed: &'a std::cell::Cell<bool>,
}

impl<W: Write> Pipe<'_, W> {
    fn header(&self, out: &mut W, number: u32, fields: usize, n: usize) -> std::io::Result<()> {
        out.write_all(b"R")?;
        out.write_all(&number.to_le_bytes())?;
        out.write_all(&(u32::try_from(fields).unwrap_or(u32::MAX)).to_le_bytes())?;
        out.write_all(&(n as u32).to_le_bytes())
    }
}

impl<W: Write> workbook::RowSink for Pipe<'_, W> {
    fn row(&mut self, number: u32, fields: usize, cells: &[DataRef<'_>]) -> bool {
        let mut out = self.out.borrow_mut();
        let r = self.header(&mut out, number, fields, cells.len()).and_then(|()| {
            for c in cells {
                write_cell_ref(&mut *out, c)?;
            }
            Ok(())
        });
        self.failed.set(self.failed.get() || r.is_err());
        r.is_ok()
    }
}

/// Lower this process's limits on memory and CPU time (a reader process), before it reads.
///
/// # Errors
/// What the system said when a limit could not be set.
fn limit_resources() -> Result<(), String> {
    #[cfg(unix)]
    // SAFETY: setrlimit only reads the struct passed by reference; lowering a limit of this
    // process cannot affect memory safety.
    unsafe {
        let mem = libc::rlimit { rlim_cur: CHILD_MEMORY as libc::rlim_t, rlim_max: CHILD_MEMORY as libc::rlim_t };
        if libc::setrlimit(libc::RLIMIT_AS, &mem) != 0 {
            return Err(format!("setrlimit(RLIMIT_AS): {}", std::io::Error::last_os_error()));
        }
        let cpu =
            libc::rlimit { rlim_cur: CHILD_CPU_SECONDS as libc::rlim_t, rlim_max: CHILD_CPU_SECONDS as libc::rlim_t };
        if libc::setrlimit(libc::RLIMIT_CPU, &cpu) != 0 {
            return Err(format!("setrlimit(RLIMIT_CPU): {}", std::io::Error::last_os_error()));
        }
    }
    #[cfg(windows)]
    windows_job::limit_this_process(CHILD_MEMORY, CHILD_CPU_SECONDS)?;
    Ok(())
}

/// The reader process's job object on Windows: a job of its own (Windows 8 and later nest jobs,
/// so a reader started by Task Scheduler, itself in a job, gets one too) with a limit on the
/// memory it commits and on its CPU time, one process at most, killed when the job's last handle
/// closes, and no error dialog on a crash (`DIE_ON_UNHANDLED_EXCEPTION`: a scheduled run must not
/// wait for somebody to click it away).
#[cfg(windows)]
mod windows_job {
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation, SetInformationJobObject,
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
        JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
        JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOB_OBJECT_LIMIT_PROCESS_TIME,
    };
    use windows_sys::Win32::System::Threading::GetCurrentProcess;

    const FLAGS: u32 = JOB_OBJECT_LIMIT_PROCESS_MEMORY
        | JOB_OBJECT_LIMIT_PROCESS_TIME
        | JOB_OBJECT_LIMIT_ACTIVE_PROCESS
        | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;

    fn os_error(what: &str) -> String {
        format!("{what}: {}", std::io::Error::last_os_error())
    }

    /// Put this process in a new job with the limits. The job's handle is kept open for the
    /// life of the process (it ends with it).
    pub fn limit_this_process(memory: u64, cpu_seconds: u64) -> Result<(), String> {
        let size = std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32;
        let mut info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
        info.BasicLimitInformation.LimitFlags = FLAGS;
        // In units of 100 ns.
        info.BasicLimitInformation.PerProcessUserTimeLimit =
            i64::try_from(cpu_seconds * 10_000_000).unwrap_or(i64::MAX);
        info.BasicLimitInformation.ActiveProcessLimit = 1;
        info.ProcessMemoryLimit = usize::try_from(memory).unwrap_or(usize::MAX);
        // SAFETY: the pointer passed is to a live value of the size given; a null job handle is
        // checked before use; the handles are this process's own.
        unsafe {
            let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
            if job.is_null() {
                return Err(os_error("CreateJobObject"));
            }
            if SetInformationJobObject(job, JobObjectExtendedLimitInformation, (&raw const info).cast(), size) == 0 {
                return Err(os_error("SetInformationJobObject"));
            }
            if AssignProcessToJobObject(job, GetCurrentProcess()) == 0 {
                return Err(os_error("AssignProcessToJobObject"));
            }
        }
        Ok(())
    }
}

/// The reader process: `__read-sheet zip|ole LABEL SHEET PATH`. Writes the protocol to stdout and
/// returns the exit status.
pub fn child_main(args: &[String]) -> i32 {
    let [kind, label, sheet, path] = args else { return 2 };
    if let Err(e) = limit_resources() {
        // Never read a file without the limits: say why, as the file's error.
        let mut out = std::io::stdout().lock();
        let said = out
            .write_all(b"E")
            .and_then(|()| write_string(&mut out, ""))
            .and_then(|()| {
                write_string(
                    &mut out,
                    &format!("the reader process could not limit its memory and CPU time ({e}); the file was not read"),
                )
            })
            .and_then(|()| out.flush());
        return if said.is_ok() { 1 } else { 2 };
    }
    let container = if kind == "ole" { Container::Ole } else { Container::Zip };
    let sheet = (!sheet.is_empty()).then_some(sheet.as_str());
    let stdout = std::io::stdout();
    // Small writes, so that the pipe never holds up the parent (see `widen_pipe`).
    let out = std::cell::RefCell::new(BufWriter::with_capacity(1 << 16, stdout.lock()));
    let io_failed = std::cell::Cell::new(false);
    let mut pipe = Pipe { out: &out, failed: &io_failed };
    let result = workbook::read_any(
        Path::new(path),
        label,
        container,
        sheet,
        &mut |name: &str| {
            let mut out = out.borrow_mut();
            let r = out.write_all(b"S").and_then(|()| write_string(&mut *out, name));
            io_failed.set(io_failed.get() || r.is_err());
        },
        &mut |row: &RawRow<'_>| {
            let mut out = out.borrow_mut();
            let r = (|| -> std::io::Result<()> {
                out.write_all(b"R")?;
                out.write_all(&row.number.to_le_bytes())?;
                out.write_all(&(u32::try_from(row.fields).unwrap_or(u32::MAX)).to_le_bytes())?;
                out.write_all(&(row.cells.len() as u32).to_le_bytes())?;
                for c in row.cells {
                    write_cell(&mut *out, c)?;
                }
                Ok(())
            })();
            io_failed.set(io_failed.get() || r.is_err());
            // The parent stopped reading (it closed the pipe): stop too.
            r.is_ok()
        },
        Some(&mut pipe),
    );
    let mut out = out.into_inner();
    let end = match result {
        Ok(_) => out.write_all(b"D"),
        Err(e) => out
            .write_all(b"E")
            .and_then(|()| write_string(&mut out, e.sheet.as_deref().unwrap_or("")))
            .and_then(|()| write_string(&mut out, &e.message)),
    };
    if end.and_then(|()| out.flush()).is_err() || io_failed.get() {
        return 1;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_survive_the_protocol() {
        let cells = vec![
            Data::Empty,
            Data::String("客户号".into()),
            Data::Float(1234.5),
            Data::Int(-7),
            Data::Bool(true),
            Data::DateTime(ExcelDateTime::new(46303.0, ExcelDateTimeType::DateTime, false)),
            Data::DateTimeIso("2026-10-08".into()),
            Data::Error(CellErrorType::Div0),
        ];
        let mut buf = Vec::new();
        buf.push(b'S');
        write_string(&mut buf, "明细").unwrap();
        buf.push(b'R');
        buf.extend_from_slice(&5u32.to_le_bytes());
        buf.extend_from_slice(&8u32.to_le_bytes());
        buf.extend_from_slice(&(cells.len() as u32).to_le_bytes());
        for c in &cells {
            write_cell(&mut buf, c).unwrap();
        }
        buf.push(b'D');
        let mut got = Vec::new();
        let r = receive(&mut &buf[..], "f", &mut |row| {
            got.push((row.number, row.fields, row.cells.to_vec()));
            true
        });
        assert!(matches!(r, Received::Done(ref s) if s == "明细"));
        assert_eq!(got, vec![(5, 8, cells)]);
        // A stream cut anywhere is a broken child, never a row.
        for cut in 0..buf.len() {
            let r = receive(&mut &buf[..cut], "f", &mut |_| true);
            assert!(matches!(r, Received::Broken(_)), "cut at {cut}");
        }
    }
}
