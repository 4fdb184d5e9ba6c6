//! Finding the header row and mapping columns to the fields of a kind.
//!
//! Takes the rows of one file (from `source`); the header is the first row, within the first
//! 20, that contains every required column. Headers are normalised (spaces, full-width spaces,
//! line breaks and a trailing unit in brackets removed; `万元` remembered as ×10,000). Below the
//! header, blank rows and summary rows (合计, 总计, 小计) are skipped and counted; every other
//! row goes to the caller with a [`RowCells`] view.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use calamine::Data;

use super::values::{is_blank, raw, trim};
use super::{source, Field, Kind};
use crate::config::InputSpec;
use crate::error::FileError;

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
}

/// One data row, seen through the mapping.
pub struct RowCells<'a> {
    pub cells: &'a [Data],
    pub mapping: &'a Mapping,
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

/// Counts of one file, for the reconciliation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCounts {
    pub header_row: u32,
    /// Rows below the header up to the last non-empty row.
    pub rows_read: u64,
    pub blank: u64,
    pub summary: u64,
    /// Rows handed to the caller (rows_read − blank − summary).
    pub data: u64,
}

/// Normalise a header: spaces of every width and line breaks removed, ASCII lowercased, and a
/// trailing unit in brackets cut off. Returns the name and whether the unit was 万元.
pub fn normalize_header(h: &str) -> (String, bool) {
    let mut s: String = h
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '\u{3000}' || *c == '\u{a0}' || *c == '\u{feff}'))
        .collect::<String>()
        .to_ascii_lowercase();
    let mut wan = false;
    // Cut trailing bracketed units, innermost last: `月末资产（万元）`, `金额(元)`.
    while s.ends_with([')', '）']) {
        let Some(pos) = s.rfind(['(', '（']) else { break };
        if pos == 0 {
            break;
        }
        if s[pos..].contains('万') {
            wan = true;
        }
        s.truncate(pos);
    }
    (s, wan)
}

/// Is this row a summary row (合计, 总计, 小计 in the key cell or the first non-empty cell)?
fn is_summary(cells: &[Data], key: Option<usize>) -> bool {
    let says = |d: &Data| {
        if let Data::String(s) = d {
            let t: String = trim(s).chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
            ["合计", "总计", "小计"].iter().any(|w| t.starts_with(w))
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
pub fn alias_table(kind: Kind, spec: &InputSpec) -> HashMap<String, usize> {
    let mut t = HashMap::default();
    for (i, f) in kind.fields().iter().enumerate() {
        let extra = spec.columns.get(f.name).map(Vec::as_slice).unwrap_or(&[]);
        for a in f.aliases.iter().copied().map(str::to_string).chain(extra.iter().cloned()) {
            t.entry(normalize_header(&a).0).or_insert(i);
        }
    }
    t
}

fn try_header(cells: &[Data], aliases: &HashMap<String, usize>, nfields: usize) -> (Mapping, usize) {
    let mut columns: Vec<Option<Column>> = vec![None; nfields];
    let mut hits = 0;
    for (idx, c) in cells.iter().enumerate() {
        let Data::String(s) = c else { continue };
        let (norm, wan) = normalize_header(s);
        if let Some(&f) = aliases.get(&norm) {
            if columns[f].is_none() {
                columns[f] = Some(Column { index: idx, header: trim(s).to_string(), wan });
                hits += 1;
            }
        }
    }
    (Mapping { columns }, hits)
}

/// Read one file of a kind: find the header, then hand every data row to `on_row` together with
/// its row number. Summary rows go to `on_summary` (row number, text).
///
/// # Errors
/// A [`FileError`] when the file cannot be read or no row within the first 20 holds every
/// required column (the message lists what was missing and what was found).
pub fn read_table(
    path: &Path,
    label: &str,
    kind: Kind,
    spec: &InputSpec,
    on_row: &mut dyn FnMut(u32, &RowCells<'_>),
    on_summary: &mut dyn FnMut(u32, String),
) -> Result<(String, FileCounts, Mapping), FileError> {
    let fields = kind.fields();
    let aliases = alias_table(kind, spec);
    let required: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].required).collect();
    let mut mapping: Option<Mapping> = None;
    let mut best: Option<(usize, u32, Vec<String>, Mapping)> = None;
    let mut counts = FileCounts::default();
    let mut last_nonempty = 0u32;

    let sheet = source::read_rows(path, label, spec.sheet.as_deref(), &mut |rowno, cells| match &mapping {
        None => {
            if rowno > HEADER_SEARCH_ROWS {
                return false;
            }
            let (m, hits) = try_header(cells, &aliases, fields.len());
            if required.iter().all(|&r| m.columns[r].is_some()) {
                counts.header_row = rowno;
                last_nonempty = rowno;
                mapping = Some(m);
            } else if cells.iter().any(|c| !is_blank(c)) && best.as_ref().is_none_or(|b| hits > b.0) {
                let found = cells
                    .iter()
                    .filter(|c| !is_blank(c))
                    .take(40)
                    .map(|c| {
                        raw(c).chars().map(|ch| if ch.is_control() { ' ' } else { ch }).take(40).collect::<String>()
                    })
                    .collect();
                best = Some((hits, rowno, found, m));
            }
            true
        }
        Some(m) => {
            if cells.iter().all(is_blank) {
                return true;
            }
            last_nonempty = rowno;
            let key = m.columns[kind.key_field()].as_ref().map(|c| c.index);
            if is_summary(cells, key) {
                counts.summary += 1;
                let text = cells.iter().find(|c| !is_blank(c)).map(raw).unwrap_or_default();
                on_summary(rowno, text);
            } else {
                counts.data += 1;
                on_row(rowno, &RowCells { cells, mapping: m });
            }
            true
        }
    })?;
    let sheet_opt = (!sheet.is_empty()).then(|| sheet.clone());
    let Some(mapping) = mapping else {
        let (missing, found) = match &best {
            Some((_, _, found, m)) => {
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
    counts.rows_read = u64::from(last_nonempty - counts.header_row);
    counts.blank = counts.rows_read - counts.data - counts.summary;
    Ok((sheet, counts, mapping))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_normalised() {
        assert_eq!(normalize_header(" 净佣金（元）"), ("净佣金".into(), false));
        assert_eq!(normalize_header("月末资产\n(万元)"), ("月末资产".into(), true));
        assert_eq!(normalize_header("客户\u{3000}号"), ("客户号".into(), false));
        assert_eq!(normalize_header("Net_Commission"), ("net_commission".into(), false));
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
