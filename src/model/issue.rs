//! The entries of 数据异常 (SPEC §7): where a problem is, what was there and why.
//!
//! Takes nothing; gives [`Issue`], which ingestion collects row by row ("collect, don't stop")
//! and every later stage carries unchanged to the reports and the terminal.

use std::fmt;

use super::fields::Kind;

/// How serious an entry of 数据异常 is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Excluded from pay; exit status 1.
    Exception,
    /// Listed for the reader; does not change the exit status.
    Information,
}

/// One entry of 数据异常: where, what was there and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub kind: Kind,
    /// The file, relative to the data folder.
    pub file: String,
    pub sheet: String,
    /// Excel row number (1-based physical row), or line number for text files.
    pub row: u32,
    /// The column as the file names it (empty for the row as a whole).
    pub column: String,
    /// The cell as written.
    pub raw: String,
    pub reason: String,
    /// The manager the row belongs to, when it names one that could be read (`explain` lists a
    /// manager's own rejected rows by it).
    pub manager_id: Option<String>,
}

impl Issue {
    pub fn is_exception(&self) -> bool {
        self.severity == Severity::Exception
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Exception => "exception",
            Severity::Information => "info",
        };
        write!(f, "{tag}: {}", self.file)?;
        if !self.sheet.is_empty() {
            write!(f, ":{}", self.sheet)?;
        }
        write!(f, ":{}", self.row)?;
        if !self.column.is_empty() {
            write!(f, ":{}", self.column)?;
        }
        write!(f, ": {}", self.reason)?;
        if !self.raw.is_empty() {
            write!(f, " (value {:?})", self.raw)?;
        }
        Ok(())
    }
}
