//! Earlier months' accounts: which clients already opened an account before the month
//! (returning clients of SPEC §4.5).
//!
//! Takes the data folder and the month; gives, for each client with an accepted account row in
//! an earlier month's folder, the first such month. An earlier month is read with the same
//! roster and account checks as the month's own run.

use std::collections::BTreeSet;
use std::path::Path;

use super::discover::discover;
use super::error::FileError;
use super::parse::accounts::AccountStatus;
use super::read::Reading;
use super::{read_accounts, read_roster};
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::lookup::Lookup;
use crate::model::Kind;

/// Clients with an accepted account row in a month before `month`, with the first such month.
///
/// # Errors
/// A file-level error of an earlier month's accounts or roster.
pub fn earlier_account_clients(
    config: &Config,
    data_dir: &Path,
    month: YearMonth,
) -> Result<Lookup<String, YearMonth>, FileError> {
    let mut out: Lookup<String, YearMonth> = Lookup::new();
    let Ok(entries) = std::fs::read_dir(data_dir) else { return Ok(out) };
    let mut months: BTreeSet<YearMonth> = BTreeSet::new();
    for e in entries.filter_map(Result::ok) {
        if let Some(m) = YearMonth::parse(&e.file_name().to_string_lossy()) {
            if m < month && e.path().is_dir() {
                months.insert(m);
            }
        }
    }
    for m in months {
        for c in accepted_account_clients(config, data_dir, m)? {
            out.get_or_insert_with(c, || m);
        }
    }
    Ok(out)
}

/// Clients of the accepted account rows of one month (parsed, not duplicates, manager active).
///
/// # Errors
/// A file-level error of the month's accounts or roster.
pub fn accepted_account_clients(config: &Config, data_dir: &Path, month: YearMonth) -> Result<Vec<String>, FileError> {
    let found = discover(config, data_dir, month)?;
    let mut reading = Reading::new(config, data_dir, month);
    let (_, activity) = read_roster(&mut reading, found.paths(Kind::Roster))?;
    let accounts = read_accounts(&mut reading, found.paths(Kind::Accounts), &activity)?;
    Ok(accounts.into_iter().filter(|a| a.status == AccountStatus::New).map(|a| a.client_id).collect())
}
