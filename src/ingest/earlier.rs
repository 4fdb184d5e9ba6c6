//! A month's accepted account clients: what the month contributes to the returning clients of
//! later months (SPEC §4.5).
//!
//! Takes a month folder; gives the clients of its accepted account rows, read with the same
//! roster and account checks as the month's own run (only the roster and the accounts are read).

use std::path::Path;

use super::discover::discover;
use super::error::FileError;
use super::parse::accounts::AccountStatus;
use super::read::Reading;
use super::{read_accounts, read_roster};
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::model::Kind;

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
