//! The entries of 数据异常 (SPEC §7): where a problem is, what was there and why.
//!
//! Takes nothing; gives [`Issue`], which ingestion collects row by row ("collect, don't stop")
//! and every later stage carries unchanged to the reports and the terminal.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::fields::Kind;
use crate::calendar::{Date, YearMonth};

/// How serious an entry of 数据异常 is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Excluded from pay; exit status 1.
    Exception,
    /// Listed for the reader; does not change the exit status.
    Information,
}

/// One entry of 数据异常: where, what was there and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub reason: Reason,
    /// The manager the row belongs to, when it names one that could be read (`explain` lists a
    /// manager's own rejected rows by it).
    pub manager_id: Option<String>,
}

/// Why a cell cannot be read as what its field is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// An error cell (`#DIV/0!`, …).
    ErrorCell(String),
    NotAmount,
    NotFinite,
    BoolNotAmount,
    DateNotAmount,
    /// An amount of 10^15 yuan or more (after a 万元 unit).
    OutOfRange,
    NotRatio,
    RatioOutside,
    NotDate,
    NotYesNo,
    /// An id stored as a number too long to be exact (the number as written).
    IdTooLong(String),
    NotRelation,
    NotEmployment,
    DutyScoreRange,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::ErrorCell(e) => write!(f, "error cell {e}"),
            Problem::NotAmount => f.write_str("unparseable amount: not an amount"),
            Problem::NotFinite => f.write_str("unparseable amount: not a finite number"),
            Problem::BoolNotAmount => f.write_str("unparseable amount: a TRUE/FALSE cell is not an amount"),
            Problem::DateNotAmount => f.write_str("unparseable amount: a date cell is not an amount"),
            Problem::OutOfRange => f.write_str("out of range: an amount of 10^15 yuan or more"),
            Problem::NotRatio => f.write_str("not a ratio"),
            Problem::RatioOutside => f.write_str("ratio outside [0, 1]"),
            Problem::NotDate => f.write_str("unparseable date: not a date"),
            Problem::NotYesNo => f.write_str("not yes/no (是/否, Y/N, true/false)"),
            Problem::IdTooLong(n) => {
                write!(f, "the number {n} is too long to be exact: its last digits are lost; store ids as text")
            }
            Problem::NotRelation => f.write_str("not 开发 or 服务"),
            Problem::NotEmployment => f.write_str("not 员工/employee or 兼职/part_time"),
            Problem::DutyScoreRange => f.write_str("duty score outside 0–100"),
        }
    }
}

/// What was duplicated (SPEC §7 "Duplicates").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Duplicated {
    ClientManager { client: String, manager: String },
    Manager(String),
    ClientType { client: String, account_type: String },
    Score(String),
}

/// Why a row is excluded from pay, or what is noted about it: each locale says it in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// A required value is missing (the field's name).
    Missing(Cow<'static, str>),
    /// A cell that cannot be read.
    Cell(Problem),
    /// A record of delimited text with more fields than the header row.
    TooManyFields {
        fields: usize,
        header: usize,
    },
    /// A cell longer than any spreadsheet cell can hold (32,767 characters): a broken export;
    /// `column` is its column's letters.
    CellTooLong {
        column: String,
        chars: usize,
    },
    /// A quoted field that runs over lines and holds what look like whole rows.
    StrayQuote {
        from: u32,
        to: u32,
    },
    /// A later copy; `first_file` is set when the first copy is in another file.
    Duplicate {
        what: Duplicated,
        first_file: Option<String>,
        first_row: u32,
    },
    NotActive {
        manager: String,
        month: YearMonth,
    },
    NotOnRoster {
        manager: String,
        month: YearMonth,
    },
    ClientDisagrees {
        field: Cow<'static, str>,
        first: String,
        first_row: u32,
        other: String,
        other_row: u32,
    },
    /// Shares of a client above 100% (the total, in percent).
    SharesAbove(String),
    LeaveBeforeHire {
        leave: Date,
        hire: Date,
    },
    /// A roster row of a person not employed in the month (information).
    HiredLater {
        month: YearMonth,
        hire: Date,
    },
    LeftBefore {
        month: YearMonth,
        leave: Option<Date>,
    },
    OpenDateOutside {
        date: Date,
        month: YearMonth,
    },
    /// A returning client (information).
    Returning(YearMonth),
    /// An account's client absent from the CRM export while a CRM id equals it but for leading
    /// zeros (information).
    LeadingZeros {
        client: String,
        other: String,
    },
    /// An optional field without a column (information).
    NoColumn {
        field: Cow<'static, str>,
        alias: Cow<'static, str>,
        absent: Cow<'static, str>,
    },
    /// A 合计/总计/小计 row (information).
    Summary,
    /// §4.9: a watched client (the issue's raw value) whose CRM rows were all rejected: its
    /// account paid in `paid` is not judged this month (information).
    ClawbackNotJudged {
        paid: YearMonth,
    },
    /// §4.9: a watched account lost in `month` whose manager is not active then: its bonus is not
    /// recovered from anyone (information).
    ClawbackNotCharged {
        paid: YearMonth,
        manager: String,
        month: YearMonth,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Missing(field) => write!(f, "missing required value ({field})"),
            Reason::Cell(p) => write!(f, "{p}"),
            Reason::TooManyFields { fields, header } => write!(
                f,
                "{fields} fields where the header row has {header}: an unquoted 1,234.50 or a stray delimiter shifts every later field"
            ),
            Reason::CellTooLong { column, chars } => write!(
                f,
                "column {column} holds {chars} characters, more than a spreadsheet cell can (32,767): a broken export; the row is not read"
            ),
            Reason::StrayQuote { from, to } => write!(
                f,
                "a quoted field opens on line {from} and runs to line {to}, holding what look like whole rows: a stray quote?"
            ),
            Reason::Duplicate { what, first_file, first_row } => {
                let what = match what {
                    Duplicated::ClientManager { client, manager } => format!("client {client} and manager {manager}"),
                    Duplicated::Manager(m) => format!("manager {m}"),
                    Duplicated::ClientType { client, account_type } => format!("client {client} opening {account_type}"),
                    Duplicated::Score(m) => format!("a score of manager {m}"),
                };
                match first_file {
                    Some(file) => write!(f, "duplicate: {what} already on {file} row {first_row}"),
                    None => write!(f, "duplicate: {what} already on row {first_row}"),
                }
            }
            Reason::NotActive { manager, month } => write!(f, "manager {manager} is not active in {month}"),
            Reason::NotOnRoster { manager, month } => write!(f, "manager {manager} is not on the roster of {month}"),
            Reason::ClientDisagrees { field, first, first_row, other, other_row } => write!(
                f,
                "client-level {field} disagrees across the client's rows: {first} on row {first_row}, {other} on row {other_row}"
            ),
            Reason::SharesAbove(p) => write!(f, "shares of the client total {p}%, above 100%: all its rows rejected"),
            Reason::LeaveBeforeHire { leave, hire } => write!(f, "leave date {leave} is before the hire date {hire}"),
            Reason::HiredLater { month, hire } => write!(f, "not active in {month}: hired {hire}"),
            Reason::LeftBefore { month, leave } => {
                write!(f, "not active in {month}: left {}", leave.map(|d| d.to_string()).unwrap_or_default())
            }
            Reason::OpenDateOutside { date, month } => write!(f, "open date {date} is not in {month}"),
            Reason::Returning(m) => write!(f, "returning client: opened an account in {m}; not a new account"),
            Reason::LeadingZeros { client, other } => write!(
                f,
                "client {client} is not in the CRM export, but client {other} is: leading zeros lost in one of the exports? (the account is judged as absent from the CRM)"
            ),
            Reason::NoColumn { field, alias, absent } => write!(f, "no column for {field} ({alias}); {absent}"),
            Reason::Summary => f.write_str("summary row skipped"),
            Reason::ClawbackNotJudged { paid } => write!(
                f,
                "clawback: every CRM row of the client was rejected, so its account bonus paid in {paid} is not judged this month"
            ),
            Reason::ClawbackNotCharged { paid, manager, month } => write!(
                f,
                "clawback: the client is lost, but manager {manager}, credited with its account bonus paid in {paid}, is not active in {month}: not recovered"
            ),
        }
    }
}

impl Issue {
    pub fn is_exception(&self) -> bool {
        self.severity == Severity::Exception
    }

    /// Sort 数据异常 as every report lists it: by kind, file and row, an exception before
    /// information on the same row (stable: a row's issues keep their order).
    pub fn sort(issues: &mut [Issue]) {
        issues.sort_by(|a, b| (a.kind, &a.file, a.row, a.severity).cmp(&(b.kind, &b.file, b.row, b.severity)));
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
