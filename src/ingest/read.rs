//! The per-file loop: every file of a kind, read in name order, each row handed to the kind's
//! parser; what each file was (its sheet, header, counts, hash) kept as an [`InputFile`].
//!
//! Takes the month's files of one kind; gives the parsed rows and adds to the month's files and
//! issues: summary rows skipped, optional columns missing, and every row-level problem the
//! parser found.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::FileError;
use super::rows::RowParse;
use super::table::{read_table, FileCounts};
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::lookup::LookupSet;
use crate::model::{Issue, Kind, Reason, Severity};

/// One input file of the month.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub kind: Kind,
    pub path: PathBuf,
    /// Path relative to the data folder, with `/`.
    pub label: String,
    pub sheet: String,
    /// The header of each field of the kind in this file (the field name when absent).
    pub headers: Vec<String>,
    pub size: u64,
    pub sha256: String,
    pub counts: FileCounts,
    pub accepted: u64,
    pub rejected: u64,
}

impl InputFile {
    /// A file of `kind` named `label`, with every header the field's name (for tests).
    pub fn for_tests(kind: Kind, label: &str) -> Self {
        InputFile {
            kind,
            path: PathBuf::from(label),
            label: label.into(),
            sheet: String::new(),
            headers: kind.fields().iter().map(|f| f.name.to_string()).collect(),
            size: 0,
            sha256: String::new(),
            counts: FileCounts::default(),
            accepted: 0,
            rejected: 0,
        }
    }
}

/// Who is active in the month (the roster decides every other kind's rows).
#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub month: Option<YearMonth>,
    active: LookupSet<String>,
    on_roster: LookupSet<String>,
}

impl Activity {
    pub fn new(month: YearMonth, active: LookupSet<String>, on_roster: LookupSet<String>) -> Self {
        Activity { month: Some(month), active, on_roster }
    }
    pub fn is_active(&self, manager: &str) -> bool {
        self.active.contains(manager)
    }
    /// Why a row of `manager` is rejected.
    pub fn not_active_reason(&self, m: &str) -> Reason {
        let (manager, month) = (m.to_string(), self.month.expect("the activity of a month"));
        if self.on_roster.contains(m) {
            Reason::NotActive { manager, month }
        } else {
            Reason::NotOnRoster { manager, month }
        }
    }
    /// Activity with these managers active and on the roster (for tests).
    pub fn for_tests(active: &[&str], on_roster: &[&str], month: &str) -> Self {
        Activity {
            month: YearMonth::parse(month),
            active: active.iter().map(|s| s.to_string()).collect(),
            on_roster: on_roster.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The state of reading one month: where, what has been read and found.
pub struct Reading<'a> {
    pub config: &'a Config,
    pub data_dir: &'a Path,
    pub month: YearMonth,
    pub files: Vec<InputFile>,
    pub issues: Vec<Issue>,
    /// Time spent reading and parsing files (the rest of ingestion is checking).
    pub read_time: Duration,
}

/// The file's path relative to the data folder, with `/`.
pub fn relabel(data_dir: &Path, path: &Path) -> String {
    path.strip_prefix(data_dir).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

impl<'a> Reading<'a> {
    pub fn new(config: &'a Config, data_dir: &'a Path, month: YearMonth) -> Self {
        Reading { config, data_dir, month, files: Vec::new(), issues: Vec::new(), read_time: Duration::ZERO }
    }

    /// Read the files of one kind, handing each data row to `parse` (with the row's file index
    /// and row number); the parsed rows come back in file order.
    ///
    /// # Errors
    /// A file-level error of any of the files.
    pub fn kind<T>(
        &mut self,
        kind: Kind,
        paths: &[PathBuf],
        parse: impl Fn(&mut RowParse<'_, '_>, u16, u32) -> T,
    ) -> Result<Vec<T>, FileError> {
        let started = Instant::now();
        let spec = &self.config.inputs[&kind];
        let mut out = Vec::new();
        for path in paths {
            let label = relabel(self.data_dir, path);
            let idx = self.files.len() as u16;
            let (sha256, size) = crate::digest::sha256_file(path).map_err(|e| FileError {
                file: label.clone(),
                sheet: None,
                message: format!("cannot read: {e}"),
            })?;
            let mut pending_summary: Vec<(u32, String)> = Vec::new();
            // The sheet name is only known once the reader has opened the file; rows keep the
            // label and get the sheet afterwards.
            let mut row_issues: Vec<Issue> = Vec::new();
            let table = read_table(
                path,
                &label,
                kind,
                spec,
                &mut |rowno, cells| {
                    let mut p = RowParse::new(cells, kind, &label, "", rowno, &mut row_issues);
                    let row = parse(&mut p, idx, rowno);
                    p.finish();
                    out.push(row);
                },
                &mut |rowno, text| pending_summary.push((rowno, text)),
            )?;
            let sheet = table.sheet.clone();
            // An optional field without a column is named once, so that a misspelt header
            // never turns into silent zeros.
            for f in table.missing_optional(kind) {
                let field = &kind.fields()[f];
                self.issues.push(Issue {
                    severity: Severity::Information,
                    kind,
                    file: label.clone(),
                    sheet: sheet.clone(),
                    row: table.counts.header_row,
                    column: String::new(),
                    raw: String::new(),
                    reason: Reason::NoColumn {
                        field: field.name.into(),
                        alias: field.aliases[0].into(),
                        absent: field.when_absent().into(),
                    },
                    manager_id: None,
                });
            }
            for mut i in row_issues {
                i.sheet = sheet.clone();
                self.issues.push(i);
            }
            for (rowno, text) in pending_summary {
                self.issues.push(Issue {
                    severity: Severity::Information,
                    kind,
                    file: label.clone(),
                    sheet: sheet.clone(),
                    row: rowno,
                    column: String::new(),
                    raw: text,
                    reason: Reason::Summary,
                    manager_id: None,
                });
            }
            let headers = kind
                .fields()
                .iter()
                .zip(&table.mapping.columns)
                .map(|(f, c)| c.as_ref().map(|c| c.header.clone()).unwrap_or_else(|| f.name.to_string()))
                .collect();
            self.files.push(InputFile {
                kind,
                path: path.clone(),
                label,
                sheet,
                headers,
                size,
                sha256,
                counts: table.counts,
                accepted: 0,
                rejected: 0,
            });
        }
        self.read_time += started.elapsed();
        Ok(out)
    }

    /// Count a row of `file` as accepted or rejected (the reconciliation's per-file figures).
    pub fn tally(&mut self, file: u16, accepted: bool) {
        let f = &mut self.files[file as usize];
        if accepted {
            f.accepted += 1;
        } else {
            f.rejected += 1;
        }
    }
}
