//! Opening an input file, whatever its format, and handing its rows over one by one.
//!
//! The format is sniffed from the first bytes, not the extension: `D0 CF 11 E0` is an OLE
//! (BIFF .xls) workbook, `50 4B 03 04` a zip (xlsx, xlsm, xlsb or ods), anything else is text —
//! an HTML table (CRM ".xls" exports often are) or delimited text in UTF-8, UTF-16 or
//! GBK/GB18030. xlsx is streamed cell by cell, so a million-row sheet is never held as a grid.
//! Each row reaches the caller with its physical 1-based row number (line number for text).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{open_workbook_from_rs, Data, DataRef, Ods, Reader, Xls, Xlsb, Xlsx};

use crate::error::FileError;

/// Columns beyond this are ignored (no input has a needed column that far right).
pub const MAX_COLS: usize = 512;

/// What the sniffing found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Zip,
    Ole,
    Text,
}

/// Sniff the format from the first bytes.
pub fn sniff(head: &[u8]) -> Format {
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Format::Ole
    } else if head.starts_with(b"PK\x03\x04") {
        Format::Zip
    } else {
        Format::Text
    }
}

/// Called for each row: `(row number, cells)`; return `false` to stop reading.
pub type Visit<'a> = dyn FnMut(u32, &[Data]) -> bool + 'a;

fn file_err(label: &str, sheet: Option<&str>, msg: impl Into<String>) -> FileError {
    FileError { file: label.to_string(), sheet: sheet.map(str::to_string), message: msg.into() }
}

/// Read the rows of one file. `sheet` names the sheet to read (default: the first).
/// Returns the name of the sheet read (empty for text files).
///
/// # Errors
/// A [`FileError`] when the file cannot be opened or decoded, or the sheet does not exist.
pub fn read_rows(path: &Path, label: &str, sheet: Option<&str>, visit: &mut Visit<'_>) -> Result<String, FileError> {
    let mut head = [0u8; 8];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| file_err(label, None, format!("cannot open: {e}")))?;
    let head = &head[..n];
    // calamine must not take the process down on a corrupt file: a panic inside it becomes a
    // file-level error naming the file.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match sniff(head) {
        Format::Zip => read_zip(path, label, sheet, visit),
        Format::Ole => read_ole(path, label, sheet, visit),
        Format::Text => {
            let bytes = std::fs::read(path).map_err(|e| file_err(label, None, format!("cannot read: {e}")))?;
            read_text(&bytes, label, visit).map(|_| String::new())
        }
    }));
    match result {
        Ok(r) => r,
        Err(_) => Err(file_err(label, sheet, "the file is corrupt (the spreadsheet reader failed on it)")),
    }
}

fn pick_sheet(names: &[String], want: Option<&str>, label: &str) -> Result<String, FileError> {
    match want {
        Some(w) => names
            .iter()
            .find(|n| n.as_str() == w)
            .cloned()
            .ok_or_else(|| file_err(label, Some(w), format!("sheet not found; the file has: {}", names.join(", ")))),
        None => names.first().cloned().ok_or_else(|| file_err(label, None, "the workbook has no sheet")),
    }
}

fn read_zip(path: &Path, label: &str, sheet: Option<&str>, visit: &mut Visit<'_>) -> Result<String, FileError> {
    let open = || File::open(path).map(BufReader::new).map_err(|e| file_err(label, None, format!("cannot open: {e}")));
    let xlsx_err = match stream_xlsx(path, label, sheet, visit) {
        Ok(name) => return Ok(name),
        Err(Streamed::File(e)) => return Err(e),
        Err(Streamed::NotXlsx(e)) => e,
    };
    if let Ok(mut wb) = open_workbook_from_rs::<Ods<_>, _>(open()?) {
        let name = pick_sheet(&wb.sheet_names(), sheet, label)?;
        let range = wb.worksheet_range(&name).map_err(|e| file_err(label, Some(&name), format!("cannot read: {e}")))?;
        visit_range(&range, visit);
        return Ok(name);
    }
    if let Ok(mut wb) = open_workbook_from_rs::<Xlsb<_>, _>(open()?) {
        let name = pick_sheet(&wb.sheet_names(), sheet, label)?;
        let range = wb.worksheet_range(&name).map_err(|e| file_err(label, Some(&name), format!("cannot read: {e}")))?;
        visit_range(&range, visit);
        return Ok(name);
    }
    Err(file_err(label, None, format!("not a readable workbook (zip, but neither xlsx, ods nor xlsb): {xlsx_err}")))
}

fn read_ole(path: &Path, label: &str, sheet: Option<&str>, visit: &mut Visit<'_>) -> Result<String, FileError> {
    let f = File::open(path).map(BufReader::new).map_err(|e| file_err(label, None, format!("cannot open: {e}")))?;
    let mut wb: Xls<_> =
        open_workbook_from_rs(f).map_err(|e| file_err(label, None, format!("not a readable .xls workbook: {e}")))?;
    let name = pick_sheet(&wb.sheet_names(), sheet, label)?;
    let range = wb.worksheet_range(&name).map_err(|e| file_err(label, Some(&name), format!("cannot read: {e}")))?;
    visit_range(&range, visit);
    Ok(name)
}

fn visit_range(range: &calamine::Range<Data>, visit: &mut Visit<'_>) {
    let Some((r0, c0)) = range.start() else { return };
    let pad = (c0 as usize).min(MAX_COLS);
    let mut buf: Vec<Data> = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let rowno = r0 as usize + i + 1;
        let keep = MAX_COLS.saturating_sub(pad).min(row.len());
        let cont = if pad == 0 {
            visit(rowno as u32, &row[..keep])
        } else {
            buf.clear();
            buf.resize(pad, Data::Empty);
            buf.extend_from_slice(&row[..keep]);
            visit(rowno as u32, &buf)
        };
        if !cont {
            break;
        }
    }
}

enum Streamed {
    /// The zip is not an xlsx workbook (try the other zip formats).
    NotXlsx(String),
    File(FileError),
}

/// Rows of one sheet, handed from the reader thread to the parsing thread.
struct Batch {
    cells: Vec<Data>,
    /// (row number, start in `cells`, length)
    rows: Vec<(u32, usize, usize)>,
}

const BATCH_ROWS: usize = 4096;

/// Stream an xlsx sheet cell by cell: the XML is inflated and parsed on a second thread while
/// this one hands the rows to `visit`. Constant memory whatever the sheet's size.
fn stream_xlsx(path: &Path, label: &str, sheet: Option<&str>, visit: &mut Visit<'_>) -> Result<String, Streamed> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
    std::thread::scope(|s| {
        let producer = s.spawn(move || -> Result<String, Streamed> {
            let f = File::open(path)
                .map(BufReader::new)
                .map_err(|e| Streamed::File(file_err(label, None, format!("cannot open: {e}"))))?;
            let mut wb: Xlsx<_> =
                open_workbook_from_rs(f).map_err(|e: calamine::XlsxError| Streamed::NotXlsx(e.to_string()))?;
            let name = pick_sheet(&wb.sheet_names(), sheet, label).map_err(Streamed::File)?;
            let cannot =
                |e: calamine::XlsxError| Streamed::File(file_err(label, Some(&name), format!("cannot read: {e}")));
            let mut reader = wb.worksheet_cells_reader(&name).map_err(cannot)?;
            let mut batch = Batch { cells: Vec::with_capacity(BATCH_ROWS * 12), rows: Vec::with_capacity(BATCH_ROWS) };
            let mut current: Option<(u32, usize)> = None;
            while let Some(cell) = reader.next_cell().map_err(cannot)? {
                let (r, c) = cell.get_position();
                if current.map(|(row, _)| row) != Some(r) {
                    if let Some((prev, start)) = current {
                        batch.rows.push((prev + 1, start, batch.cells.len() - start));
                        if batch.rows.len() >= BATCH_ROWS {
                            let full = std::mem::replace(
                                &mut batch,
                                Batch {
                                    cells: Vec::with_capacity(BATCH_ROWS * 12),
                                    rows: Vec::with_capacity(BATCH_ROWS),
                                },
                            );
                            if tx.send(full).is_err() {
                                return Ok(name); // the reader stopped early
                            }
                        }
                    }
                    current = Some((r, batch.cells.len()));
                }
                let c = c as usize;
                let start = current.map(|(_, s)| s).unwrap_or(0);
                if c >= MAX_COLS {
                    continue;
                }
                if batch.cells.len() - start <= c {
                    batch.cells.resize(start + c + 1, Data::Empty);
                }
                batch.cells[start + c] = match cell.get_value() {
                    DataRef::SharedString(s) => Data::String((*s).to_string()),
                    DataRef::String(s) => Data::String(s.clone()),
                    DataRef::Float(f) => Data::Float(*f),
                    DataRef::Int(i) => Data::Int(*i),
                    DataRef::Bool(b) => Data::Bool(*b),
                    DataRef::DateTime(d) => Data::DateTime(*d),
                    DataRef::DateTimeIso(s) => Data::DateTimeIso(s.clone()),
                    DataRef::DurationIso(s) => Data::DurationIso(s.clone()),
                    DataRef::Error(e) => Data::Error(e.clone()),
                    DataRef::Empty => Data::Empty,
                };
            }
            if let Some((prev, start)) = current {
                batch.rows.push((prev + 1, start, batch.cells.len() - start));
            }
            let _ = tx.send(batch);
            Ok(name)
        });
        for batch in rx.iter() {
            let mut stop = false;
            for &(row, start, len) in &batch.rows {
                if !visit(row, &batch.cells[start..start + len]) {
                    stop = true;
                    break;
                }
            }
            if stop {
                break;
            }
        }
        drop(rx);
        producer.join().unwrap_or_else(|_| {
            Err(Streamed::File(file_err(label, sheet, "the file is corrupt (the spreadsheet reader failed on it)")))
        })
    })
}

/// Decode text strictly: UTF-8 (BOM or not), UTF-16 with a BOM, else GBK/GB18030.
///
/// # Errors
/// When the bytes are none of these.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|e| format!("undecodable text: has a UTF-8 BOM but is not UTF-8 ({e})"));
    }
    for (bom, enc) in [(&[0xFF, 0xFE][..], encoding_rs::UTF_16LE), (&[0xFE, 0xFF][..], encoding_rs::UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return enc
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|c| c.into_owned())
                .ok_or_else(|| "undecodable text: has a UTF-16 BOM but is not UTF-16".to_string());
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
        .ok_or_else(|| "undecodable text: neither UTF-8 nor GBK/GB18030".to_string())
}

/// Read delimited text or an HTML table from bytes.
///
/// # Errors
/// When the bytes cannot be decoded or parsed.
pub fn read_text(bytes: &[u8], label: &str, visit: &mut Visit<'_>) -> Result<(), FileError> {
    let text = decode(bytes).map_err(|m| file_err(label, None, m))?;
    if text.contains('\0') {
        return Err(file_err(label, None, "not a spreadsheet or text file (binary content)"));
    }
    let head: String = text.chars().take(4096).collect::<String>().to_ascii_lowercase();
    if head.contains("<table")
        || head.trim_start().starts_with("<html")
        || head.trim_start().starts_with("<!doctype html")
    {
        for (i, row) in html_rows(&text).iter().enumerate() {
            if !visit(i as u32 + 1, row) {
                break;
            }
        }
        return Ok(());
    }
    let delim = sniff_delimiter(&text);
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delim).from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut buf: Vec<Data> = Vec::new();
    // Line numbers from byte offsets: the csv reader skips blank lines without counting them.
    let bytes = text.as_bytes();
    let (mut seen, mut line) = (0usize, 1u32);
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let mut at = rec.position().map(|p| p.byte() as usize).unwrap_or(seen).min(bytes.len());
                // The reported start includes the blank lines skipped before the record.
                while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
                    at += 1;
                }
                line += bytes[seen..at].iter().filter(|&&b| b == b'\n').count() as u32;
                seen = at;
                buf.clear();
                buf.extend(rec.iter().take(MAX_COLS).map(|s| {
                    if s.is_empty() {
                        Data::Empty
                    } else {
                        Data::String(s.to_string())
                    }
                }));
                if !visit(line, &buf) {
                    break;
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(file_err(label, None, format!("line {line}: cannot parse the delimited text: {e}")));
            }
        }
    }
    Ok(())
}

/// Tab when the first lines have more tabs than commas, else semicolon or comma likewise.
fn sniff_delimiter(text: &str) -> u8 {
    let (mut tabs, mut commas, mut semis) = (0usize, 0usize, 0usize);
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(30) {
        tabs += line.matches('\t').count();
        commas += line.matches(',').count();
        semis += line.matches(';').count();
    }
    if tabs > 0 && tabs >= commas {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// The rows of every table in an HTML document, each cell's text with tags removed and entities
/// decoded; a `colspan` is expanded to empty cells so that columns stay aligned.
pub fn html_rows(html: &str) -> Vec<Vec<Data>> {
    let lower = html.to_ascii_lowercase();
    let bytes = html.as_bytes();
    let mut rows: Vec<Vec<Data>> = Vec::new();
    let mut row: Option<Vec<Data>> = None;
    let mut cell: Option<(String, usize)> = None;
    let mut i = 0;
    let close_cell = |row: &mut Option<Vec<Data>>, cell: &mut Option<(String, usize)>| {
        if let Some((text, span)) = cell.take() {
            let t = decode_entities(&text);
            let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
            let r = row.get_or_insert_with(Vec::new);
            r.push(if t.is_empty() { Data::Empty } else { Data::String(t) });
            for _ in 1..span.min(MAX_COLS) {
                r.push(Data::Empty);
            }
        }
    };
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if lower[i..].starts_with("<!--") {
                i = lower[i..].find("-->").map(|j| i + j + 3).unwrap_or(bytes.len());
                continue;
            }
            let end = match lower[i..].find('>') {
                Some(j) => i + j,
                None => break,
            };
            let tag = &lower[i + 1..end];
            let closing = tag.starts_with('/');
            let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            match (name.as_str(), closing) {
                ("script" | "style", false) => {
                    let close = format!("</{name}");
                    i = lower[end..].find(&close).map(|j| end + j).unwrap_or(bytes.len());
                    continue;
                }
                ("tr", false) => {
                    close_cell(&mut row, &mut cell);
                    if let Some(r) = row.take() {
                        rows.push(r);
                    }
                    row = Some(Vec::new());
                }
                ("tr", true) | ("table", true) => {
                    close_cell(&mut row, &mut cell);
                    if let Some(r) = row.take() {
                        rows.push(r);
                    }
                }
                ("td" | "th", false) => {
                    close_cell(&mut row, &mut cell);
                    let span = tag
                        .split("colspan")
                        .nth(1)
                        .and_then(|s| {
                            s.trim_start_matches(|c: char| c == '=' || c == '"' || c == '\'' || c.is_whitespace())
                                .split(|c: char| !c.is_ascii_digit())
                                .next()
                        })
                        .and_then(|s| s.parse::<usize>().ok())
                        .unwrap_or(1)
                        .max(1);
                    cell = Some((String::new(), span));
                }
                ("td" | "th", true) => close_cell(&mut row, &mut cell),
                ("br" | "p" | "div", _) => {
                    if let Some((t, _)) = cell.as_mut() {
                        t.push(' ');
                    }
                }
                _ => {}
            }
            i = end + 1;
        } else {
            let next = lower[i..].find('<').map(|j| i + j).unwrap_or(bytes.len());
            if let Some((t, _)) = cell.as_mut() {
                t.push_str(&html[i..next]);
            }
            i = next;
        }
    }
    close_cell(&mut row, &mut cell);
    if let Some(r) = row.take() {
        rows.push(r);
    }
    rows
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let semi = rest.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i);
        let decoded = semi.and_then(|q| {
            let ent = &rest[1..q];
            let ch = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse::<u32>().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, q))
        });
        match decoded {
            Some((c, q)) => {
                out.push(c);
                rest = &rest[q + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect_text(bytes: &[u8]) -> Vec<(u32, Vec<String>)> {
        let mut out = Vec::new();
        read_text(bytes, "t", &mut |r, cells| {
            out.push((r, cells.iter().map(crate::ingest::values::raw).collect()));
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("客户号,净佣金\nC1,\"1,234.50\"\n");
        let rows = collect_text(&bytes);
        assert_eq!(rows[0].1, vec!["客户号", "净佣金"]);
        assert_eq!(rows[1], (2, vec!["C1".to_string(), "1,234.50".to_string()]));
    }

    #[test]
    fn bom_and_tabs() {
        let rows = collect_text("\u{feff}客户号\t净佣金\r\nC1\t5\r\n".as_bytes());
        assert_eq!(rows[0].1, vec!["客户号", "净佣金"]);
        assert_eq!(rows[1].1, vec!["C1", "5"]);
    }

    #[test]
    fn html_table_with_entities_and_colspan() {
        let html = "<html><body><table><tr><td colspan=2>标题</td></tr><tr><th>客户号</th><th>名称</th></tr>\
                    <tr><td>001</td><td>A&amp;B<br>公司</td></tr></table></body></html>";
        let rows = collect_text(html.as_bytes());
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].1, vec!["标题", ""]);
        assert_eq!(rows[2], (3, vec!["001".to_string(), "A&B 公司".to_string()]));
    }

    #[test]
    fn undecodable_bytes_are_a_file_error() {
        let bytes = [0x81u8, 0x20, 0xFF, 0xFE, 0x30];
        assert!(decode(&bytes[..]).is_err());
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn line_numbers_count_blank_lines_and_quoted_newlines() {
        let mut seen = Vec::new();
        read_text(b"h1,h2\na,1\n\nb,\"x\ny\"\nc,3\n", "t", &mut |r, cells| {
            seen.push((r, crate::ingest::values::raw(&cells[0])));
            true
        })
        .unwrap();
        let want: Vec<(u32, String)> = vec![(1, "h1".into()), (2, "a".into()), (4, "b".into()), (6, "c".into())];
        assert_eq!(seen, want);
    }
}
