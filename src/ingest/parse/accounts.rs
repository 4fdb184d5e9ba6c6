//! 开户明细: one account opened in the month (SPEC §2 accounts), with the checks of its own: an
//! open date outside the month is rejected (before duplicates, so a stale row never shadows the
//! month's own), then the same client and type twice, then a manager not active.

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
use crate::ingest::checks::{later_copies, reject_duplicates, reject_inactive, row_issue, Blame, Checked};
use crate::ingest::read::{Activity, InputFile};
use crate::ingest::rows::RowParse;
use crate::model::fields::accounts as A;
use crate::model::{Duplicated, Issue, Kind, Reason};

/// What an account row turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Rejected,
    /// The client had an accepted account in an earlier month: not new.
    Returning(YearMonth),
    New,
}

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub file: u16,
    pub row: u32,
    pub status: AccountStatus,
    pub client_id: String,
    pub client_name: String,
    pub open_date: Option<Date>,
    pub account_type: String,
    pub manager_id: String,
    pub outlet: String,
    pub first_deposit: Decimal,
}

impl Checked for AccountRow {
    fn live(&self) -> bool {
        self.status == AccountStatus::New
    }
    fn reject(&mut self) {
        self.status = AccountStatus::Rejected;
    }
    fn at(&self) -> (u16, u32) {
        (self.file, self.row)
    }
    fn manager(&self) -> Option<&str> {
        Some(&self.manager_id)
    }
}

/// Parse one account row.
pub fn parse(p: &mut RowParse<'_, '_>, file: u16, row: u32) -> AccountRow {
    let client_id = p.req_text(A::CLIENT_ID);
    let client_name = p.text(A::CLIENT_NAME).unwrap_or_default();
    let open_date = p.req_date(A::OPEN_DATE);
    let account_type = p.req_text(A::ACCOUNT_TYPE);
    let manager_id = p.req_text(A::MANAGER_ID);
    let outlet = p.text(A::OUTLET).unwrap_or_default();
    let first_deposit = p.req_money(A::FIRST_DEPOSIT);
    AccountRow {
        file,
        row,
        status: if p.ok { AccountStatus::New } else { AccountStatus::Rejected },
        client_id: client_id.unwrap_or_default(),
        client_name,
        open_date,
        account_type: account_type.unwrap_or_default(),
        manager_id: manager_id.unwrap_or_default(),
        outlet,
        first_deposit: first_deposit.unwrap_or_default(),
    }
}

/// The accounts' own checks (returning clients are marked by the caller, who knows the earlier
/// months).
pub fn check(
    accounts: &mut [AccountRow],
    month: YearMonth,
    activity: &Activity,
    files: &[InputFile],
    issues: &mut Vec<Issue>,
) {
    // An account opened outside the month is not the month's (a stale or mistyped row).
    for a in accounts.iter_mut().filter(|a| a.status == AccountStatus::New) {
        if let Some(d) = a.open_date.filter(|d| !month.contains(*d)) {
            a.status = AccountStatus::Rejected;
            let why = Reason::OpenDateOutside { date: d, month };
            issues.push(row_issue(Kind::Accounts, files, a, A::OPEN_DATE, d.to_string(), why));
        }
    }
    let raw = |a: &AccountRow| a.client_id.clone();
    let blame = Blame { kind: Kind::Accounts, field: A::CLIENT_ID, raw: &raw };
    let copies = later_copies(accounts, |a| (a.client_id.as_str(), a.account_type.as_str()));
    let what =
        |a: &AccountRow| Duplicated::ClientType { client: a.client_id.clone(), account_type: a.account_type.clone() };
    reject_duplicates(accounts, copies, blame, what, files, issues);
    reject_inactive(accounts, (Kind::Accounts, A::MANAGER_ID), activity, files, issues);
}
