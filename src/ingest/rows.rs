//! The cell-to-issue adapter: a row's cells parsed field by field, each problem an issue.
//!
//! Takes one data row seen through its file's column mapping; gives typed values, and for each
//! value that cannot be read (or is required and missing) an [`Issue`] with the file, sheet,
//! Excel row number, column as the file names it, raw value and reason — never a silent zero.

use rust_decimal::Decimal;

use super::table::RowCells;
use super::values::{self, raw, shorten};
use crate::calendar::Date;
use crate::model::{Issue, Kind, Problem, Reason, Severity};

/// Collects the issues of a row while its cells are parsed: each parser asks for its fields
/// by index and gets a value or `None`, the reason going to 数据异常 with the file, sheet, row,
/// column and raw value.
pub struct RowParse<'a, 'c> {
    cells: &'a RowCells<'c>,
    kind: Kind,
    file: &'a str,
    sheet: &'a str,
    row: u32,
    issues: &'a mut Vec<Issue>,
    pub ok: bool,
    /// Issues before this row's.
    first_issue: usize,
}

impl<'a, 'c> RowParse<'a, 'c> {
    /// Start parsing a row; a problem of the whole row (too many fields, a stray quote) makes
    /// it an exception before any cell is read.
    pub fn new(
        cells: &'a RowCells<'c>,
        kind: Kind,
        file: &'a str,
        sheet: &'a str,
        row: u32,
        issues: &'a mut Vec<Issue>,
    ) -> Self {
        let first_issue = issues.len();
        let mut p = RowParse { cells, kind, file, sheet, row, issues, ok: true, first_issue };
        if let Some(problem) = &cells.problem {
            p.issues.push(Issue {
                severity: Severity::Exception,
                kind,
                file: file.to_string(),
                sheet: sheet.to_string(),
                row,
                column: String::new(),
                raw: problem.raw.clone(),
                reason: problem.reason.clone(),
                manager_id: None,
            });
            p.ok = false;
        }
        p
    }

    /// A required value: read by `read`, and reported missing when the cell is empty (a cell that
    /// cannot be read is reported once, by `read`).
    fn required<T>(&mut self, field: usize, read: fn(&mut Self, usize) -> Option<T>) -> Option<T> {
        let v = read(self, field);
        if v.is_none() && self.is_empty(field) {
            self.missing(field);
        }
        v
    }

    /// The cell of `field` as read.
    pub fn cell(&self, field: usize) -> &calamine::Data {
        self.cells.get(field)
    }

    /// Reject the row for `field`, with `reason`.
    pub fn fail(&mut self, field: usize, reason: Reason) {
        let f = self.kind.fields();
        self.issues.push(Issue {
            severity: Severity::Exception,
            kind: self.kind,
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            row: self.row,
            column: self.cells.header(field, f),
            raw: shorten(&raw(self.cells.get(field))),
            reason,
            manager_id: None,
        });
        self.ok = false;
    }
    pub fn missing(&mut self, field: usize) {
        let name = self.kind.fields()[field].name;
        self.fail(field, Reason::Missing(name.into()));
    }
    /// The value a cell parser gave, or `None` with the row rejected for its reason.
    fn parsed<T>(&mut self, field: usize, r: Result<Option<T>, Problem>) -> Option<T> {
        r.unwrap_or_else(|e| {
            self.fail(field, Reason::Cell(e));
            None
        })
    }
    pub fn text(&mut self, field: usize) -> Option<String> {
        let r = values::text(self.cells.get(field));
        self.parsed(field, r)
    }
    pub fn req_text(&mut self, field: usize) -> Option<String> {
        self.required(field, Self::text)
    }
    /// The cell is empty (so a missing required value is reported once, not over an error).
    pub fn is_empty(&self, field: usize) -> bool {
        values::is_blank(self.cells.get(field))
    }
    pub fn money(&mut self, field: usize) -> Option<Decimal> {
        let r = values::money(self.cells.get(field), self.cells.wan(field));
        self.parsed(field, r)
    }
    pub fn req_money(&mut self, field: usize) -> Option<Decimal> {
        self.required(field, Self::money)
    }
    pub fn ratio(&mut self, field: usize) -> Option<Decimal> {
        let r = values::ratio(self.cells.get(field));
        self.parsed(field, r)
    }
    pub fn date(&mut self, field: usize) -> Option<Date> {
        let r = values::date(self.cells.get(field));
        self.parsed(field, r)
    }
    pub fn req_date(&mut self, field: usize) -> Option<Date> {
        self.required(field, Self::date)
    }

    /// The row's manager, on every issue this row raised (`explain` lists them by it).
    pub fn finish(&mut self) {
        if self.issues.len() == self.first_issue {
            return;
        }
        let manager = values::text(self.cells.get(self.kind.manager_field())).ok().flatten();
        if manager.is_some() {
            for i in &mut self.issues[self.first_issue..] {
                i.manager_id = manager.clone();
            }
        }
    }
}
