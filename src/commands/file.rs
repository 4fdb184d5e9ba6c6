//! `file` (SPEC §4.13, 备案): a closed month packed for head office.
//!
//! Refuses (exit 2, writing nothing) a month that is not closed, whose archive is no longer as
//! closed, or — when signers are configured, in the month's own (archived) configuration or in
//! the current one — whose sign-off chain of the closed manifest is not complete. The package
//! and its checks are [`crate::ledger::filing`]'s; this module says what happened.

use std::path::Path;

use crate::calendar::YearMonth;
use crate::ledger::approvals;
use crate::ledger::filing::{pack, package_name};
use crate::money::display;
use crate::pipeline::{RunError, Settings, Status};

/// `file --month M --to DIR`.
///
/// # Errors
/// Exit 2: the month is not closed, its archive or a packed file is not as closed, its chain is
/// incomplete, or the package cannot be written.
pub fn file(s: &Settings, month: YearMonth, to: &Path) -> Result<Status, RunError> {
    let mut ledger = s.read_only_ledger();
    let dir = ledger.month_dir(month);
    let Some(record) = ledger.closed(month)? else {
        return Err(RunError::Usage(format!(
            "{month} is not closed: only a closed month is filed (brokercomp close --month {month})"
        )));
    };
    // A closed month is used only while its archive is whole; its own configuration is the
    // archived one.
    let source = ledger.source(month)?;
    let cfg = &source.config;
    let refused = |e: approvals::ApprovalError| RunError::Usage(format!("{month} cannot be filed: {e}"));
    let chain = approvals::complete_chain(cfg, month, &dir).map_err(refused)?;
    if chain.is_empty() && !s.config.signers.is_empty() {
        return Err(RunError::Usage(format!(
            "{month} cannot be filed: signers are configured, but it was closed without a sign-off chain; reopen it, have it signed, close it again"
        )));
    }
    let packed = pack(cfg, &dir, &record, to).map_err(|e| RunError::Usage(format!("{month} cannot be filed: {e}")))?;
    let f = &packed.filing;
    eprintln!(
        "{month}: filed as {} ({} files; {} managers, total pay {}{}) in {}",
        package_name(&f.organization.code, month),
        f.files.len() + 1,
        f.totals.managers,
        display(f.totals.total),
        if chain.is_empty() { String::new() } else { format!(", signed by {}", chain_names(&chain).join(" → ")) },
        to.display()
    );
    Ok(Status::Clean)
}

/// The names of a chain's statements, in order.
fn chain_names(chain: &[approvals::Approval]) -> Vec<String> {
    chain.iter().filter_map(|a| approvals::Statement::parse(&a.statement).ok()).map(|s| s.name).collect()
}
