//! Reading one sheet of a workbook (xlsx, xlsm, xlsb, BIFF .xls, ods) with calamine.
//!
//! Takes a file that sniffs as a zip or an OLE container; gives its rows, one by one, with their
//! physical 1-based row numbers. The sheet read is the one `[inputs.<kind>] sheet` names, else the
//! first *visible* sheet (exports keep stale copies in hidden sheets). xlsx is streamed cell by
//! cell; the other formats are read by calamine as a whole sheet. Before calamine sees a zip, its
//! directory is checked: a part declaring more than [`MAX_PART_BYTES`] uncompressed (a zip bomb)
//! or a shared-strings table declaring more entries than its size can hold is refused with a
//! file-level error. What calamine does with the rest of a hostile file is contained by
//! [`super::isolate`], which runs this module in a child process.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{open_workbook_from_rs, Data, DataRef, Ods, Reader, Sheet, SheetVisible, Xls, Xlsb, Xlsx};

use super::cells::{RawRow, Visit, MAX_COLS};
use super::error::{file_err, FileError};

/// No part of a workbook we read is this large uncompressed; a part declaring more is refused.
pub const MAX_PART_BYTES: u64 = 2 << 30;
/// Nor the sum of its parts.
pub const MAX_TOTAL_BYTES: u64 = 6 << 30;
/// A shared-strings table is held in memory whole: a real one of a million-row export is tens of
/// megabytes.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 512 << 20;
/// The smallest shared-string entry (`<si/>`) takes five bytes.
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// Which container the first bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Zip,
    Ole,
}

/// Read the sheet of a workbook, handing every row to `visit`. Returns the sheet's name.
///
/// # Errors
/// A [`FileError`] when the file is not a readable workbook, the sheet does not exist, or the
/// container is refused by the checks above.
pub fn read(
    path: &Path,
    label: &str,
    container: Container,
    sheet: Option<&str>,
    visit: &mut Visit<'_>,
) -> Result<String, FileError> {
    read_any(path, label, container, sheet, &mut |_| {}, visit, None)
}

/// As [`read`], telling `on_sheet` the sheet's name once it is chosen (before the first row),
/// and an xlsx sheet's rows going to `raw` as calamine gives them (the reader process), the
/// other formats' to `visit`.
///
/// # Errors
/// As [`read`].
pub fn read_any(
    path: &Path,
    label: &str,
    container: Container,
    sheet: Option<&str>,
    on_sheet: &mut dyn FnMut(&str),
    visit: &mut Visit<'_>,
    raw: Option<&mut dyn RowSink>,
) -> Result<String, FileError> {
    match container {
        Container::Zip => read_zip(path, label, sheet, on_sheet, visit, raw),
        Container::Ole => read_ole(path, label, sheet, on_sheet, visit),
    }
}

/// The sheet to read: the one named, else the first visible worksheet.
fn pick_sheet(sheets: &[Sheet], want: Option<&str>, label: &str) -> Result<String, FileError> {
    let names = || sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ");
    match want {
        Some(w) => sheets
            .iter()
            .find(|s| s.name == w)
            .map(|s| s.name.clone())
            .ok_or_else(|| file_err(label, Some(w), format!("sheet not found; the file has: {}", names()))),
        None => sheets.iter().find(|s| s.visible == SheetVisible::Visible).map(|s| s.name.clone()).ok_or_else(|| {
            if sheets.is_empty() {
                file_err(label, None, "the workbook has no sheet")
            } else {
                file_err(label, None, format!("the workbook has no visible sheet (hidden: {})", names()))
            }
        }),
    }
}

/// What a zip holds, by its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZipBook {
    Xlsx,
    Xlsb,
    Ods,
    Unknown,
}

/// Check the directory of a zip before calamine opens it, and say which workbook it holds.
fn check_zip(path: &Path, label: &str) -> Result<ZipBook, FileError> {
    let f = File::open(path).map_err(|e| file_err(label, None, format!("cannot open: {e}")))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f))
        .map_err(|e| file_err(label, None, format!("not a readable workbook (a damaged zip): {e}")))?;
    let mut total = 0u64;
    let mut shared: Option<(usize, u64)> = None;
    let mut book = ZipBook::Unknown;
    let mut content: Option<usize> = None;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| file_err(label, None, format!("not a readable workbook (a damaged zip): {e}")))?;
        let size = entry.size();
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if size > MAX_PART_BYTES {
            return Err(file_err(
                label,
                None,
                format!(
                    "refused: part {} declares {size} bytes uncompressed, more than any workbook this tool reads ({MAX_PART_BYTES}); a zip bomb?",
                    name
                ),
            ));
        }
        total = total.saturating_add(size);
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("sharedstrings.xml") {
            if size > MAX_SHARED_STRINGS_BYTES {
                return Err(file_err(
                    label,
                    None,
                    format!(
                        "refused: its shared-strings table declares {size} bytes uncompressed, more than {MAX_SHARED_STRINGS_BYTES} (a zip bomb?)"
                    ),
                ));
            }
            shared = Some((i, size));
        }
        match lower.as_str() {
            "xl/workbook.xml" => book = ZipBook::Xlsx,
            "xl/workbook.bin" => book = ZipBook::Xlsb,
            "content.xml" if book == ZipBook::Unknown => {
                book = ZipBook::Ods;
                content = Some(i);
            }
            _ => {}
        }
    }
    if total > MAX_TOTAL_BYTES {
        return Err(file_err(
            label,
            None,
            format!("refused: the parts declare {total} bytes uncompressed in all, more than {MAX_TOTAL_BYTES}; a zip bomb?"),
        ));
    }
    if let Some((i, size)) = shared {
        let entry = zip.by_index(i).map_err(|e| file_err(label, None, format!("not a readable workbook: {e}")))?;
        let mut head = Vec::with_capacity(4096);
        entry
            .take(4096)
            .read_to_end(&mut head)
            .map_err(|e| file_err(label, None, format!("not a readable workbook: {e}")))?;
        let head = String::from_utf8_lossy(&head);
        // `uniqueCount` is the number of entries (calamine reserves room for it); `count` is
        // the number of cells that use them and may be far larger.
        for attr in ["uniqueCount"] {
            if let Some(n) = declared_count(&head, attr) {
                if n.saturating_mul(MIN_SHARED_STRING_BYTES) > size {
                    return Err(file_err(
                        label,
                        None,
                        format!(
                            "refused: its shared-strings table declares {attr}={n} entries in {size} bytes, which cannot hold them (a corrupt or hostile file)"
                        ),
                    ));
                }
            }
        }
    }
    if let (ZipBook::Ods, Some(i)) = (book, content) {
        check_ods_content_is_whole(&mut zip, i, label)?;
    }
    Ok(book)
}

/// An OpenDocument content.xml cut short between two rows (a file copied while it was being
/// written) makes calamine's table reader loop until the reader process's CPU limit; a whole one
/// ends with `</office:document-content>`. The part is inflated once more to see its end (its size
/// was checked above).
fn check_ods_content_is_whole<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    index: usize,
    label: &str,
) -> Result<(), FileError> {
    const END: &[u8] = b"</office:document-content>";
    let mut entry = zip.by_index(index).map_err(|e| file_err(label, None, format!("not a readable workbook: {e}")))?;
    let mut tail: Vec<u8> = Vec::with_capacity(2 * 4096);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = entry
            .read(&mut buf)
            .map_err(|e| file_err(label, None, format!("not a readable OpenDocument workbook: content.xml: {e}")))?;
        if n == 0 {
            break;
        }
        tail.extend_from_slice(&buf[..n]);
        if tail.len() > 4096 {
            tail.drain(..tail.len() - 4096);
        }
    }
    if tail.trim_ascii_end().ends_with(END) {
        Ok(())
    } else {
        Err(file_err(
            label,
            None,
            "not a readable OpenDocument workbook: its content.xml is cut short (it does not end with </office:document-content>); the file was probably copied while it was being written: export it again",
        ))
    }
}

/// The number in `attr="…"` of the `<sst …>` element at the start of a shared-strings part.
fn declared_count(head: &str, attr: &str) -> Option<u64> {
    let sst = head.find("<sst")?;
    let tag_end = head[sst..].find('>').map(|e| sst + e).unwrap_or(head.len());
    let tag = &head[sst..tag_end];
    let mut at = 0;
    while let Some(p) = tag[at..].find(attr) {
        let start = at + p;
        let before_ok = tag[..start].ends_with(|c: char| c.is_whitespace());
        let rest = tag[start + attr.len()..].trim_start();
        if before_ok {
            if let Some(rest) = rest.strip_prefix('=') {
                let rest = rest.trim_start().trim_start_matches(['"', '\'']);
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                // More digits than u64 holds is certainly too many.
                return Some(digits.parse().unwrap_or(u64::MAX));
            }
        }
        at = start + attr.len();
    }
    None
}

fn read_zip(
    path: &Path,
    label: &str,
    sheet: Option<&str>,
    on_sheet: &mut dyn FnMut(&str),
    visit: &mut Visit<'_>,
    raw: Option<&mut dyn RowSink>,
) -> Result<String, FileError> {
    let book = check_zip(path, label)?;
    let open = || File::open(path).map(BufReader::new).map_err(|e| file_err(label, None, format!("cannot open: {e}")));
    let cannot_open = |what: &str, e: String| file_err(label, None, format!("not a readable {what} workbook: {e}"));
    match book {
        ZipBook::Xlsx => {
            let wb = open_workbook_from_rs::<Xlsx<_>, _>(open()?).map_err(|e| cannot_open("xlsx", e.to_string()))?;
            match raw {
                Some(sink) => stream_xlsx(wb, label, sheet, on_sheet, sink),
                None => stream_xlsx(wb, label, sheet, on_sheet, &mut ToVisit { visit, cells: Vec::with_capacity(32) }),
            }
        }
        ZipBook::Ods => {
            let wb =
                open_workbook_from_rs::<Ods<_>, _>(open()?).map_err(|e| cannot_open("OpenDocument", e.to_string()))?;
            read_whole_sheet(wb, label, sheet, on_sheet, visit)
        }
        ZipBook::Xlsb => {
            let wb = open_workbook_from_rs::<Xlsb<_>, _>(open()?).map_err(|e| cannot_open("xlsb", e.to_string()))?;
            read_whole_sheet(wb, label, sheet, on_sheet, visit)
        }
        ZipBook::Unknown => {
            Err(file_err(label, None, "not a readable workbook: a zip archive, but neither xlsx, xlsb nor ods"))
        }
    }
}

fn read_ole(
    path: &Path,
    label: &str,
    sheet: Option<&str>,
    on_sheet: &mut dyn FnMut(&str),
    visit: &mut Visit<'_>,
) -> Result<String, FileError> {
    let f = File::open(path).map(BufReader::new).map_err(|e| file_err(label, None, format!("cannot open: {e}")))?;
    let wb: Xls<_> =
        open_workbook_from_rs(f).map_err(|e| file_err(label, None, format!("not a readable .xls workbook: {e}")))?;
    read_whole_sheet(wb, label, sheet, on_sheet, visit)
}

/// Read a sheet that calamine gives as a whole range (ods, xlsb, xls).
fn read_whole_sheet<RS, R>(
    mut wb: R,
    label: &str,
    sheet: Option<&str>,
    on_sheet: &mut dyn FnMut(&str),
    visit: &mut Visit<'_>,
) -> Result<String, FileError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let name = pick_sheet(wb.sheets_metadata(), sheet, label)?;
    on_sheet(&name);
    let range = wb.worksheet_range(&name).map_err(|e| file_err(label, Some(&name), format!("cannot read: {e}")))?;
    visit_range(&range, visit);
    Ok(name)
}

/// A date cell in the 1900 date system, whichever system the workbook uses (a workbook in the
/// 1904 system would otherwise put every date four years early).
fn in_1900_system(d: &calamine::ExcelDateTime) -> Data {
    if d.is_datetime() {
        let (y, m, day, ..) = d.to_ymd_hms_milli();
        if let Some(date) = crate::calendar::Date::new(i32::from(y), u32::from(m), u32::from(day)) {
            let serial = date.to_excel_serial() + d.as_f64().fract();
            return Data::DateTime(calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, false));
        }
    }
    Data::DateTime(*d)
}

fn visit_range(range: &calamine::Range<Data>, visit: &mut Visit<'_>) {
    let Some((r0, c0)) = range.start() else { return };
    let pad = (c0 as usize).min(MAX_COLS);
    let mut buf: Vec<Data> = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let number = u32::try_from(r0 as usize + i + 1).unwrap_or(u32::MAX);
        buf.clear();
        buf.resize(pad, Data::Empty);
        let keep = MAX_COLS.saturating_sub(pad).min(row.len());
        buf.extend(row[..keep].iter().map(|c| match c {
            Data::DateTime(d) => in_1900_system(d),
            other => other.clone(),
        }));
        let fields = pad + row.len();
        if !visit(&RawRow { number, cells: &buf, fields, delimited: false, problem: None }) {
            break;
        }
    }
}

/// Where the rows of a streamed xlsx sheet go, cells as calamine gives them (shared strings
/// borrowed, not copied): the reader process writes them to its pipe without an allocation.
pub trait RowSink {
    /// One row: its number, how many fields it has, its cells (at most [`MAX_COLS`], `Empty`
    /// where a cell is missing). Return `false` to stop.
    fn row(&mut self, number: u32, fields: usize, cells: &[DataRef<'_>]) -> bool;
}

/// A date cell of a streamed sheet in the 1900 date system.
pub fn data_of(cell: &DataRef<'_>) -> Data {
    match cell {
        DataRef::SharedString(s) => Data::String((*s).to_string()),
        DataRef::String(s) => Data::String(s.clone()),
        DataRef::Float(f) => Data::Float(*f),
        DataRef::Int(i) => Data::Int(*i),
        DataRef::Bool(b) => Data::Bool(*b),
        DataRef::DateTime(d) => in_1900_system(d),
        DataRef::DateTimeIso(s) => Data::DateTimeIso(s.clone()),
        DataRef::DurationIso(s) => Data::DurationIso(s.clone()),
        DataRef::Error(e) => Data::Error(e.clone()),
        DataRef::Empty => Data::Empty,
    }
}

/// Rows of a streamed sheet handed to a [`Visit`] as owned cells.
struct ToVisit<'v, 'w> {
    visit: &'v mut Visit<'w>,
    cells: Vec<Data>,
}

impl RowSink for ToVisit<'_, '_> {
    fn row(&mut self, number: u32, fields: usize, cells: &[DataRef<'_>]) -> bool {
        self.cells.clear();
        self.cells.extend(cells.iter().map(data_of));
        (self.visit)(&RawRow { number, cells: &self.cells, fields, delimited: false, problem: None })
    }
}

/// Stream an xlsx sheet cell by cell: constant memory whatever the sheet's size.
fn stream_xlsx<R: std::io::Read + std::io::Seek>(
    mut wb: Xlsx<R>,
    label: &str,
    sheet: Option<&str>,
    on_sheet: &mut dyn FnMut(&str),
    sink: &mut dyn RowSink,
) -> Result<String, FileError> {
    let name = pick_sheet(wb.sheets_metadata(), sheet, label)?;
    on_sheet(&name);
    let cannot = |e: calamine::XlsxError| file_err(label, Some(&name), format!("cannot read: {e}"));
    let mut reader = wb.worksheet_cells_reader(&name).map_err(cannot)?;
    let mut cells: Vec<DataRef<'_>> = Vec::with_capacity(32);
    let mut current: Option<u32> = None;
    let mut fields = 0usize;
    while let Some(cell) = reader.next_cell().map_err(cannot)? {
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if let Some(prev) = current {
                if !sink.row(prev.saturating_add(1), fields, &cells) {
                    return Ok(name);
                }
            }
            cells.clear();
            fields = 0;
            current = Some(r);
        }
        let c = c as usize;
        fields = fields.max(c + 1);
        if c >= MAX_COLS {
            continue;
        }
        if cells.len() <= c {
            cells.resize(c + 1, DataRef::Empty);
        }
        cells[c] = cell.get_value().clone();
    }
    if let Some(prev) = current {
        sink.row(prev.saturating_add(1), fields, &cells);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_shared_string_count_is_found() {
        let head = r#"<?xml version="1.0"?><sst xmlns="x" count="12" uniqueCount="4000000000"><si>"#;
        assert_eq!(declared_count(head, "uniqueCount"), Some(4_000_000_000));
        assert_eq!(declared_count(head, "count"), Some(12));
        assert_eq!(declared_count("<sst>", "count"), None);
        assert_eq!(declared_count(r#"<sst count="99999999999999999999999">"#, "count"), Some(u64::MAX));
    }

    #[test]
    fn the_first_visible_sheet_is_read_unless_one_is_named() {
        let s = |name: &str, visible| Sheet { name: name.into(), typ: calamine::SheetType::WorkSheet, visible };
        let sheets =
            [s("旧数据", SheetVisible::Hidden), s("x", SheetVisible::VeryHidden), s("明细", SheetVisible::Visible)];
        assert_eq!(pick_sheet(&sheets, None, "f").unwrap(), "明细");
        assert_eq!(pick_sheet(&sheets, Some("旧数据"), "f").unwrap(), "旧数据");
        assert!(pick_sheet(&sheets[..2], None, "f").unwrap_err().message.contains("no visible sheet"));
    }
}
