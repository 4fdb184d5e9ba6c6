//! Finding the header row and mapping columns to the fields of a kind.
//!
//! Takes the rows of one file (from `source`); the header is the first row, within the first
//! 20, that contains every required column. Headers are normalised (spaces, full-width spaces,
//! line breaks and a trailing unit in brackets removed; `万元` remembered as ×10,000). Below the
//! header, blank rows and summary rows (合计, 总计, 小计) are skipped and counted; every other
//! row goes to the caller with a [`RowCells`] view.

use std::path::Path;

use calamine::Data;
use sha2::Digest;

use super::error::FileError;
use super::source;
use super::values::{is_blank, raw, shorten, trim, MAX_CELL_CHARS};
use crate::config::InputSpec;
use crate::lookup::Lookup;
use crate::model::{Field, Kind, Reason};

/// The header must be within this many rows.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// Where a field's values are.
#[derive(Debug, Clone)]
pub struct Column {
    pub index: usize,
    /// The header text as found.
    pub header: String,
    /// The header carried a 万元 unit: values are multiplied by 10,000.
    pub wan: bool,
}

/// The columns of a file, per field of its kind.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub columns: Vec<Option<Column>>,
    /// Fields of the header row (a record of delimited text may not have more).
    pub header_fields: usize,
}

/// A problem of a whole row found while reading it: the reason and the row as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub reason: Reason,
    pub raw: String,
}

/// One data row, seen through the mapping.
pub struct RowCells<'a> {
    pub cells: &'a [Data],
    pub mapping: &'a Mapping,
    /// The row is an exception as a whole (too many fields, a stray quote).
    pub problem: Option<RowProblem>,
}

static EMPTY: Data = Data::Empty;

impl RowCells<'_> {
    pub fn get(&self, field: usize) -> &Data {
        match &self.mapping.columns[field] {
            Some(c) => self.cells.get(c.index).unwrap_or(&EMPTY),
            None => &EMPTY,
        }
    }
    pub fn wan(&self, field: usize) -> bool {
        self.mapping.columns[field].as_ref().is_some_and(|c| c.wan)
    }
    pub fn header(&self, field: usize, fields: &[Field]) -> String {
        match &self.mapping.columns[field] {
            Some(c) => c.header.clone(),
            None => fields[field].name.to_string(),
        }
    }
}

/// Counts of one file, for the reconciliation. Each is counted row by row, none derived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCounts {
    pub header_row: u32,
    /// Rows below the header up to the last non-empty row: `blank + summary + data`.
    pub rows_read: u64,
    pub blank: u64,
    pub summary: u64,
    /// Rows handed to the caller.
    pub data: u64,
    /// The SHA-256 (hex) of the rows read below the header but blank ones — summary and data
    /// rows, each cell as read, in order ([`super::values::digest_row`]): the same for an export
    /// sent again under another name or title (SPEC §4.11 `same_data`).
    pub data_sha256: String,
}

/// The units a header may carry in trailing brackets (SPEC §2); any other bracketed text is part
/// of the name, so that `净佣金（上月）` is not `净佣金`.
const UNITS: [&str; 7] = ["元", "万元", "%", "％", "户", "笔", "人"];
const BRACKETS: [(char, char); 4] = [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')];

/// Normalise a header: spaces of every width and line breaks removed, ASCII lowercased, and a
/// trailing unit in brackets cut off. Returns the name and whether the unit was 万元.
pub fn normalize_header(h: &str) -> (String, bool) {
    let mut s: String = h
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '\u{3000}' || *c == '\u{a0}' || *c == '\u{feff}'))
        .collect::<String>()
        .to_ascii_lowercase();
    for (open, close) in BRACKETS {
        if let Some(inner) = s.strip_suffix(close) {
            if let Some(pos) = inner.rfind(open) {
                let unit = &inner[pos + open.len_utf8()..];
                if pos > 0 && UNITS.contains(&unit) {
                    let wan = unit == "万元";
                    s.truncate(pos);
                    return (s, wan);
                }
            }
        }
    }
    (s, false)
}

/// Is this row a summary row (合计, 总计, 小计 in the key cell or the first non-empty cell)?
fn is_summary(cells: &[Data], key: Option<usize>) -> bool {
    // The cell's first two characters that are not spaces (no allocation: this runs per row).
    let says = |d: &Data| {
        if let Data::String(s) = d {
            let mut first = trim(s).chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}');
            let pair = (first.next(), first.next());
            matches!(pair, (Some('合' | '总' | '小'), Some('计')))
        } else {
            false
        }
    };
    if let Some(k) = key {
        if cells.get(k).is_some_and(says) {
            return true;
        }
    }
    cells.iter().find(|c| !is_blank(c)).is_some_and(says)
}

/// Build the alias table of a kind: normalised alias → field index.
pub fn alias_table(kind: Kind, spec: &InputSpec) -> Lookup<String, usize> {
    let mut t = Lookup::new();
    for (i, f) in kind.fields().iter().enumerate() {
        let extra = spec.columns.get(f.name).map(Vec::as_slice).unwrap_or(&[]);
        for a in f.aliases.iter().copied().map(str::to_string).chain(extra.iter().cloned()) {
            t.get_or_insert_with(normalize_header(&a).0, || i);
        }
    }
    t
}

/// Column letters of a 0-based column index (A, B, …, Z, AA, …), as a spreadsheet shows them.
pub fn column_letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A header row candidate: the columns found, how many fields matched, and the first field two
/// columns match (field, first column, second column).
struct Candidate {
    mapping: Mapping,
    hits: usize,
    twice: Option<(usize, Column, Column)>,
}

fn try_header(cells: &[Data], fields: usize, aliases: &Lookup<String, usize>, nfields: usize) -> Candidate {
    let mut columns: Vec<Option<Column>> = vec![None; nfields];
    let mut hits = 0;
    let mut twice = None;
    for (idx, c) in cells.iter().enumerate() {
        let Data::String(s) = c else { continue };
        let (norm, wan) = normalize_header(s);
        if let Some(&f) = aliases.get(&norm) {
            let col = Column { index: idx, header: trim(s).to_string(), wan };
            match &columns[f] {
                None => {
                    columns[f] = Some(col);
                    hits += 1;
                }
                Some(first) => {
                    if twice.is_none() {
                        twice = Some((f, first.clone(), col));
                    }
                }
            }
        }
    }
    Candidate { mapping: Mapping { columns, header_fields: fields }, hits, twice }
}

/// What a file's table gave: the sheet read, its counts and its column mapping.
#[derive(Debug, Clone)]
pub struct TableRead {
    pub sheet: String,
    pub counts: FileCounts,
    pub mapping: Mapping,
}

impl TableRead {
    /// The optional fields of the kind with no column in this file.
    pub fn missing_optional(&self, kind: Kind) -> Vec<usize> {
        kind.fields()
            .iter()
            .enumerate()
            .filter(|(i, f)| !f.required && self.mapping.columns[*i].is_none())
            .map(|(i, _)| i)
            .collect()
    }
}

/// Read one file of a kind: find the header, then hand every data row to `on_row` together with
/// its row number. Summary rows go to `on_summary` (row number, text).
///
/// # Errors
/// A [`FileError`] when the file cannot be read, no row within the first 20 holds every
/// required column (the message lists what was missing and what was found), or two columns of
/// the header row match one field.
pub fn read_table(
    path: &Path,
    label: &str,
    kind: Kind,
    spec: &InputSpec,
    on_row: &mut dyn FnMut(u32, &RowCells<'_>),
    on_summary: &mut dyn FnMut(u32, String),
) -> Result<TableRead, FileError> {
    let fields = kind.fields();
    let aliases = alias_table(kind, spec);
    let required: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].required).collect();
    let mut mapping: Option<Mapping> = None;
    let mut best: Option<(usize, Vec<String>, Mapping)> = None;
    let mut counts = FileCounts::default();
    let mut twice: Option<(usize, Column, Column)> = None;
    // The last row number seen below the header, and blank rows not yet followed by a
    // non-empty one (trailing blank rows are not read).
    let mut last_row = 0u32;
    let mut pending_blank = 0u64;
    let mut digest = sha2::Sha256::new();

    let sheet = source::read_rows(path, label, spec.sheet.as_deref(), &mut |row| match &mapping {
        None => {
            if row.number > HEADER_SEARCH_ROWS {
                return false;
            }
            let c = try_header(row.cells, row.fields, &aliases, fields.len());
            if required.iter().all(|&r| c.mapping.columns[r].is_some()) {
                if c.twice.is_some() {
                    twice = c.twice;
                    return false;
                }
                counts.header_row = row.number;
                last_row = row.number;
                mapping = Some(c.mapping);
            } else if row.cells.iter().any(|c| !is_blank(c)) && best.as_ref().is_none_or(|b| c.hits > b.0) {
                let found = row
                    .cells
                    .iter()
                    .filter(|c| !is_blank(c))
                    .take(40)
                    .map(|c| {
                        raw(c).chars().map(|ch| if ch.is_control() { ' ' } else { ch }).take(40).collect::<String>()
                    })
                    .collect();
                best = Some((c.hits, found, c.mapping));
            }
            true
        }
        Some(m) => {
            if !row.delimited && row.number > last_row.saturating_add(1) {
                pending_blank += u64::from(row.number - last_row - 1);
            }
            last_row = last_row.max(row.number);
            if row.cells.iter().all(is_blank) && row.problem.is_none() {
                pending_blank += 1;
                return true;
            }
            counts.blank += std::mem::take(&mut pending_blank);
            super::values::digest_row(&mut digest, row.cells);
            let key = m.columns[kind.key_field()].as_ref().map(|c| c.index);
            if is_summary(row.cells, key) {
                counts.summary += 1;
                let text = row.cells.iter().find(|c| !is_blank(c)).map(raw).unwrap_or_default();
                on_summary(row.number, text);
                return true;
            }
            counts.data += 1;
            let whole = || shorten(&row.cells.iter().map(raw).collect::<Vec<_>>().join(","));
            let too_long = row.cells.iter().enumerate().find_map(|(i, c)| match c {
                Data::String(t) if t.len() > MAX_CELL_CHARS && t.chars().count() > MAX_CELL_CHARS => {
                    Some((i, t.chars().count()))
                }
                _ => None,
            });
            let problem = if let Some((i, chars)) = too_long {
                Some(RowProblem { reason: Reason::CellTooLong { column: column_letters(i), chars }, raw: whole() })
            } else if let Some(p) = &row.problem {
                Some(RowProblem { reason: p.clone(), raw: whole() })
            } else if row.delimited && row.fields > m.header_fields {
                Some(RowProblem {
                    reason: Reason::TooManyFields { fields: row.fields, header: m.header_fields },
                    raw: whole(),
                })
            } else {
                None
            };
            on_row(row.number, &RowCells { cells: row.cells, mapping: m, problem });
            true
        }
    })?;
    let sheet_opt = (!sheet.is_empty()).then(|| sheet.clone());
    if let Some((f, a, b)) = twice {
        return Err(FileError {
            file: label.to_string(),
            sheet: sheet_opt,
            message: format!(
                "two columns match {} ({}): column {} “{}” and column {} “{}”; keep one of them or rename the other",
                fields[f].name,
                fields[f].aliases[0],
                column_letters(a.index),
                a.header,
                column_letters(b.index),
                b.header
            ),
        });
    }
    let Some(mapping) = mapping else {
        let (missing, found) = match &best {
            Some((_, found, m)) => {
                (required.iter().filter(|&&r| m.columns[r].is_none()).copied().collect::<Vec<_>>(), found.clone())
            }
            None => (required.clone(), Vec::new()),
        };
        let missing: Vec<String> =
            missing.iter().map(|&i| format!("{} ({})", fields[i].name, fields[i].aliases[0])).collect();
        let found = if found.is_empty() { "nothing in the first 20 rows".to_string() } else { found.join(", ") };
        return Err(FileError {
            file: label.to_string(),
            sheet: sheet_opt,
            message: format!(
                "no column for {} within the first {HEADER_SEARCH_ROWS} rows; found: {found}",
                missing.join(", ")
            ),
        });
    };
    counts.rows_read = counts.blank + counts.summary + counts.data;
    counts.data_sha256 = hex::encode(digest.finalize());
    Ok(TableRead { sheet, counts, mapping })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_normalised() {
        assert_eq!(normalize_header(" 净佣金（元）"), ("净佣金".into(), false));
        assert_eq!(normalize_header("净佣金（上月）"), ("净佣金（上月）".into(), false));
        assert_eq!(normalize_header("净佣金(上月)(元)"), ("净佣金(上月)".into(), false));
        assert_eq!(normalize_header("分配比例[%]"), ("分配比例".into(), false));
        assert_eq!(normalize_header("新开户【户】"), ("新开户".into(), false));
        assert_eq!(normalize_header("(元)"), ("(元)".into(), false));
        assert_eq!(normalize_header("月末资产\n(万元)"), ("月末资产".into(), true));
        assert_eq!(normalize_header("客户\u{3000}号"), ("客户号".into(), false));
        assert_eq!(normalize_header("Net_Commission"), ("net_commission".into(), false));
    }

    #[test]
    fn column_letters_as_a_spreadsheet_shows_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
    }

    #[test]
    fn summary_rows() {
        let s = |x: &str| Data::String(x.into());
        assert!(is_summary(&[s("合计"), Data::Float(1.0)], Some(0)));
        assert!(is_summary(&[Data::Empty, s("总 计：")], Some(0)));
        assert!(is_summary(&[s("x"), s("小计")], Some(1)));
        assert!(!is_summary(&[s("C001"), s("合计")], Some(0)));
    }
}
