//! What the readers hand over: one row as a file holds it, the visitor it goes to, and the
//! column cut.
//!
//! A leaf shared by the format readers ([`super::text`], [`super::workbook`], [`super::isolate`])
//! and the dispatcher that picks one of them ([`super::source`]): the readers import only this
//! module (and [`super::error`]), never the dispatcher.

use calamine::Data;

/// Columns beyond this are ignored (no input has a needed column that far right).
pub const MAX_COLS: usize = 512;

/// One row as the file holds it.
#[derive(Debug)]
pub struct RawRow<'a> {
    /// The physical 1-based row number (for text, the line on which the record starts).
    pub number: u32,
    /// The cells, at most [`MAX_COLS`].
    pub cells: &'a [Data],
    /// How many fields the row has (before the [`MAX_COLS`] cut; for text, the record's fields).
    pub fields: usize,
    /// A record of delimited text: more fields than the header row is a row exception, and
    /// row numbers it skips are lines of a multi-line record, not blank rows.
    pub delimited: bool,
    /// Something wrong with the row as a whole, found while reading it (a row exception).
    pub problem: Option<crate::model::Reason>,
}

/// Called for each row; return `false` to stop reading.
pub type Visit<'a> = dyn FnMut(&RawRow<'_>) -> bool + 'a;
