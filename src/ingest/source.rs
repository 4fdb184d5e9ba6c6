//! Opening an input file, whatever its format, and handing its rows over one by one.
//!
//! Takes a path (a symbolic link is followed like any file); gives every row of the sheet or text
//! with its physical 1-based row number (line number for text). The format is sniffed from the
//! first bytes, not the extension: `D0 CF 11 E0` is an OLE (BIFF .xls) workbook, `50 4B 03 04` a
//! zip (xlsx, xlsm, xlsb or ods), anything else is text ([`super::text`]). Workbooks are read by
//! [`super::workbook`], in a child process when [`super::isolate`] is enabled (the binary enables
//! it), so that no workbook can abort the run.
//!
//! Refuses (file-level): a path that is not a regular file (a dangling link, a folder, a device or
//! a pipe), text larger than [`MAX_TEXT_BYTES`], and whatever the format readers refuse.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::cells::Visit;
use super::error::{file_err, FileError};
use super::workbook::{self, Container};
use super::{isolate, text};

/// A text input larger than this is refused (a CRM month of a million rows is about 150 MB).
pub const MAX_TEXT_BYTES: u64 = 1 << 30;

/// What the sniffing found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Workbook(Container),
    Text,
}

/// Sniff the format from the first bytes.
pub fn sniff(head: &[u8]) -> Format {
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Format::Workbook(Container::Ole)
    } else if head.starts_with(b"PK\x03\x04") {
        Format::Workbook(Container::Zip)
    } else {
        Format::Text
    }
}

/// Why a path cannot be read as a file, or `None` when it is a regular file (after following
/// symbolic links).
pub fn not_a_file(path: &Path) -> Option<String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => None,
        Ok(m) if m.is_dir() => Some("a folder, not a file".into()),
        Ok(_) => Some("not a regular file (a device, a pipe or a socket)".into()),
        Err(e) => match std::fs::symlink_metadata(path) {
            Ok(l) if l.file_type().is_symlink() => {
                let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
                Some(format!("a symbolic link to {target}, which cannot be read: {e}"))
            }
            _ => Some(format!("cannot open: {e}")),
        },
    }
}

/// Read the rows of one file. `sheet` names the sheet to read (default: the first visible one).
/// Returns the name of the sheet read (empty for text files).
///
/// # Errors
/// A [`FileError`] when the file cannot be opened or decoded, or the sheet does not exist.
pub fn read_rows(path: &Path, label: &str, sheet: Option<&str>, visit: &mut Visit<'_>) -> Result<String, FileError> {
    if let Some(why) = not_a_file(path) {
        return Err(file_err(label, None, why));
    }
    let mut head = [0u8; 8];
    let mut f = File::open(path).map_err(|e| file_err(label, None, format!("cannot open: {e}")))?;
    let n = f.read(&mut head).map_err(|e| file_err(label, None, format!("cannot read: {e}")))?;
    match sniff(&head[..n]) {
        Format::Text => {
            let mut bytes = Vec::new();
            File::open(path)
                .and_then(|f| f.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes))
                .map_err(|e| file_err(label, None, format!("cannot read: {e}")))?;
            if bytes.len() as u64 > MAX_TEXT_BYTES {
                return Err(file_err(
                    label,
                    None,
                    format!(
                        "refused: a text input of more than {MAX_TEXT_BYTES} bytes (send a month this large as xlsx)"
                    ),
                ));
            }
            text::read_text(&bytes, label, visit).map(|()| String::new())
        }
        Format::Workbook(container) => match isolate::reader() {
            Some(exe) => isolate::read(exe, path, label, container, sheet, visit),
            None => {
                // In-process (library use without a reader process): a panic inside calamine
                // becomes a file-level error naming the file.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    workbook::read(path, label, container, sheet, visit)
                }));
                r.unwrap_or_else(|_| {
                    Err(file_err(label, sheet, "the file is corrupt (the spreadsheet reader failed on it)"))
                })
            }
        },
    }
}
