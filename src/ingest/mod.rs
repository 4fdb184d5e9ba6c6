//! Ingestion: a month's input files → typed rows with their locations, and every exception.
//!
//! Takes the month folder and the configuration; gives [`MonthInput`]: every row of every file
//! with its location and whether it is accepted, the issues of 数据异常, the per-file counts and
//! the crm reconciliation figures. Nothing is dropped without an [`Issue`]. Refuses, with a
//! [`FileError`], what cannot be read at all; row problems are collected, never fatal.
//!
//! The road through it, one file per job:
//!
//! ```text
//! discover ─► source ─┬─ text      (CSV, TSV, HTML: our own RFC 4180 reader)
//!  (which      (open, └─ workbook  (calamine; in a reader process: isolate)
//!   files)     sniff)        │
//!                        table      header row, aliases, units, blank and summary rows
//!                            │
//!                        rows       cells → values (values), each problem an issue
//!                            │
//!                        parse/<kind>   one parser per kind, and the kind's own checks
//!                            │
//!                        checks     duplicates, inactive managers (every kind)
//!                        reconcile  crm client-level agreement, shares, file totals
//!                        earlier    a month's accepted account clients (returning clients)
//! ```
//!
//! `source` imports the readers (`text`, `workbook`, `isolate`); they share only the leaf `cells`
//! (a row as a file holds it) and `error`, never the dispatcher.

pub mod cells;
pub mod checks;
pub mod discover;
pub mod earlier;
pub mod error;
pub mod isolate;
pub mod parse;
pub mod read;
pub mod reconcile;
pub mod rows;
pub mod source;
pub mod table;
pub mod text;
pub mod values;
pub mod workbook;

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

pub use crate::model::Unread;
pub use discover::{discover, Found};
pub use error::FileError;
pub use parse::accounts::{AccountRow, AccountStatus};
pub use parse::adjustments::AdjustmentRow;
pub use parse::crm::CrmRow;
pub use parse::roster::RosterRow;
pub use parse::scores::ScoreRow;
pub use read::{Activity, InputFile};
pub use reconcile::MoneyRecon;

use crate::calendar::YearMonth;
use crate::config::Config;
use crate::lookup::{Lookup, LookupSet};
use crate::model::fields::{accounts as A, scores as S};
use crate::model::{Duplicated, Issue, Kind, Reason, Severity};
use checks::{later_copies, reject_duplicates, reject_inactive, row_issue, Blame};
use read::Reading;

/// Everything read for one month.
#[derive(Debug, Clone)]
pub struct MonthInput {
    pub month: YearMonth,
    pub files: Vec<InputFile>,
    pub crm: Vec<CrmRow>,
    pub accounts: Vec<AccountRow>,
    pub roster: Vec<RosterRow>,
    pub adjustments: Vec<AdjustmentRow>,
    pub scores: Vec<ScoreRow>,
    /// 数据异常, sorted by kind, file and row.
    pub issues: Vec<Issue>,
    /// Month-end assets of clients with accepted crm rows (client-level figure).
    pub client_assets: Lookup<String, Decimal>,
    /// net_commission, other_revenue, net_inflow.
    pub crm_recon: [MoneyRecon; 3],
    /// The crm file total of month-end assets (each client once, SPEC §4.11 `totals`).
    pub crm_assets_total: Decimal,
    /// Files of the month folder that were not read, with the reason (listed in 数据异常).
    pub unread: Vec<(String, Unread)>,
    /// Time spent reading and parsing the files (the rest of ingestion is checking).
    pub read_time: std::time::Duration,
}

impl MonthInput {
    /// Row-level exceptions (not information).
    pub fn exception_count(&self) -> usize {
        self.issues.iter().filter(|i| i.is_exception()).count()
    }
}

/// The roster of the month, parsed and checked, and who is active in it.
pub(crate) fn read_roster(
    reading: &mut Reading<'_>,
    paths: &[PathBuf],
) -> Result<(Vec<RosterRow>, Activity), FileError> {
    let month = reading.month;
    let mut roster = reading.kind(Kind::Roster, paths, |p, file, row| parse::roster::parse(p, file, row, month))?;
    parse::roster::check(&mut roster, month, &reading.files, &mut reading.issues);
    let active: LookupSet<String> = roster.iter().filter(|r| r.active).map(|r| r.person.manager_id.clone()).collect();
    let on_roster: LookupSet<String> =
        roster.iter().filter(|r| r.accepted).map(|r| r.person.manager_id.clone()).collect();
    Ok((roster, Activity::new(month, active, on_roster)))
}

/// The account rows of the month, parsed and checked (returning clients not yet marked).
pub(crate) fn read_accounts(
    reading: &mut Reading<'_>,
    paths: &[PathBuf],
    activity: &Activity,
) -> Result<Vec<AccountRow>, FileError> {
    let mut accounts = reading.kind(Kind::Accounts, paths, parse::accounts::parse)?;
    parse::accounts::check(&mut accounts, reading.month, activity, &reading.files, &mut reading.issues);
    Ok(accounts)
}

/// Mark the new accounts whose client opened an account in an earlier month as returning
/// (information, SPEC §4.5).
fn mark_returning(
    accounts: &mut [AccountRow],
    earlier: &Lookup<&str, YearMonth>,
    files: &[InputFile],
    issues: &mut Vec<Issue>,
) {
    for a in accounts.iter_mut().filter(|a| a.status == AccountStatus::New) {
        if let Some(m) = earlier.get(a.client_id.as_str()) {
            a.status = AccountStatus::Returning(*m);
            let why = Reason::Returning(*m);
            let issue = row_issue(Kind::Accounts, files, a, A::CLIENT_ID, a.client_id.clone(), why);
            issues.push(Issue { severity: Severity::Information, ..issue });
        }
    }
}

/// An account whose client is absent from the CRM export while a CRM client id equals it but
/// for leading zeros: one export lost them (the account stays not valid; say why). One pass over
/// the crm rows against the few accounts whose client has no accepted crm row.
fn leading_zeros_hint(
    crm: &[CrmRow],
    accounts: &[AccountRow],
    client_assets: &Lookup<String, Decimal>,
    files: &[InputFile],
    issues: &mut Vec<Issue>,
) {
    let candidates: Vec<&AccountRow> = accounts
        .iter()
        .filter(|a| a.status == AccountStatus::New && !client_assets.contains_key(a.client_id.as_str()))
        .collect();
    if candidates.is_empty() {
        return;
    }
    let ids: LookupSet<&str> = candidates.iter().map(|a| a.client_id.as_str()).collect();
    let stripped: LookupSet<&str> = candidates.iter().map(|a| a.client_id.trim_start_matches('0')).collect();
    let mut present: LookupSet<&str> = LookupSet::new();
    let mut by_digits: Lookup<&str, &str> = Lookup::new();
    for id in crm.iter().filter_map(|r| r.client_id.as_deref()) {
        if ids.contains(id) {
            present.insert(id);
        }
        let digits = id.trim_start_matches('0');
        if stripped.contains(digits) {
            by_digits.get_or_insert_with(digits, || id);
        }
    }
    for a in candidates.into_iter().filter(|a| !present.contains(a.client_id.as_str())) {
        if let Some(other) = by_digits.get(a.client_id.trim_start_matches('0')) {
            let why = Reason::LeadingZeros { client: a.client_id.clone(), other: other.to_string() };
            let issue = row_issue(Kind::Accounts, files, a, A::CLIENT_ID, a.client_id.clone(), why);
            issues.push(Issue { severity: Severity::Information, ..issue });
        }
    }
}

/// Read and check every input of `month`. `earlier` gives, for each client with an accepted
/// account row in an earlier month, the first such month (its accounts of `month` are not new).
///
/// # Errors
/// A [`FileError`] for anything that stops the month before writing (SPEC §7, file-level).
pub fn ingest_month(
    config: &Config,
    data_dir: &Path,
    month: YearMonth,
    earlier: &Lookup<&str, YearMonth>,
) -> Result<MonthInput, FileError> {
    let found = discover(config, data_dir, month)?;
    let mut reading = Reading::new(config, data_dir, month);

    // The roster first: activity decides the other kinds' rows.
    let (roster, activity) = read_roster(&mut reading, found.paths(Kind::Roster))?;

    let mut crm = reading.kind(Kind::Crm, found.paths(Kind::Crm), parse::crm::parse)?;
    let (client_assets, crm_recon, crm_assets_total) =
        reconcile::check_crm(&mut crm, &reading.files, &mut reading.issues, &activity);

    let mut accounts = read_accounts(&mut reading, found.paths(Kind::Accounts), &activity)?;
    mark_returning(&mut accounts, earlier, &reading.files, &mut reading.issues);
    leading_zeros_hint(&crm, &accounts, &client_assets, &reading.files, &mut reading.issues);

    let mut adjustments = reading.kind(Kind::Adjustments, found.paths(Kind::Adjustments), parse::adjustments::parse)?;
    reject_inactive(
        &mut adjustments,
        (Kind::Adjustments, crate::model::fields::adjustments::MANAGER_ID),
        &activity,
        &reading.files,
        &mut reading.issues,
    );

    let mut scores = reading.kind(Kind::Scores, found.paths(Kind::Scores), parse::scores::parse)?;
    let raw = |s: &ScoreRow| s.manager_id.clone();
    let blame = Blame { kind: Kind::Scores, field: S::MANAGER_ID, raw: &raw };
    let copies = later_copies(&scores, |s| s.manager_id.as_str());
    let what = |s: &ScoreRow| Duplicated::Score(s.manager_id.clone());
    reject_duplicates(&mut scores, copies, blame, what, &reading.files, &mut reading.issues);
    reject_inactive(&mut scores, (Kind::Scores, S::MANAGER_ID), &activity, &reading.files, &mut reading.issues);

    // Per-file accepted / rejected.
    for r in &roster {
        reading.tally(r.file, r.accepted);
    }
    for r in &crm {
        reading.tally(r.file, r.accepted);
    }
    for r in &accounts {
        reading.tally(r.file, r.status != AccountStatus::Rejected);
    }
    for r in &adjustments {
        reading.tally(r.file, r.accepted);
    }
    for r in &scores {
        reading.tally(r.file, r.accepted);
    }

    let Reading { files, mut issues, read_time, .. } = reading;
    Issue::sort(&mut issues);
    Ok(MonthInput {
        month,
        files,
        crm,
        accounts,
        roster,
        adjustments,
        scores,
        issues,
        client_assets,
        crm_recon,
        crm_assets_total,
        unread: found.unread,
        read_time,
    })
}
