//! §4.9 开户奖励回收: recover an account bonus when its client is soon lost.
//!
//! Takes the accounts that earned a bonus in the months of the window and have not been judged
//! lost since ([`BonusAccount`], worked out by the ledger from earlier months and carried in);
//! gives, for the month being computed, each account lost in it ([`ClawbackLine`]): recovered
//! from the manager credited with it when that manager is active, listed otherwise. Outside the
//! cap. [`judge`] is the rule; `Watch` and `charge` apply it to the month.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::config::standard::Clawback;
use crate::config::Standard;
use crate::ingest::{CrmRow, InputFile};
use crate::lookup::Lookup;
use crate::model::{Issue, Kind, Reason, Severity};
use crate::money::Rounding;

use super::attribution::Active;
use super::month::ManagerPay;
pub use crate::compute::working::{BonusAccount, ClawbackLine};

/// What the month's CRM export says of a watched client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Judgement {
    /// Month-end assets at or above the threshold.
    Kept,
    /// Below the threshold (`Some`), or no CRM row at all (`None`).
    Lost(Option<Decimal>),
    /// Every CRM row of the client was rejected: not judged this month.
    NotJudged,
}

/// The judgement of a watched client: `assets` its client-level month-end assets when it has
/// accepted CRM rows, `in_crm` whether it has any CRM row at all (accepted or not).
pub fn judge(assets: Option<Decimal>, in_crm: bool, min: Decimal) -> Judgement {
    match assets {
        Some(a) if a < min => Judgement::Lost(Some(a)),
        Some(_) => Judgement::Kept,
        None if in_crm => Judgement::NotJudged,
        None => Judgement::Lost(None),
    }
}

/// Where a CRM row is: its file (index into the month's files) and row.
pub type At = (u16, u32);

/// The watched clients of `watch` that `rows` (the month's CRM rows, every one: client, where)
/// holds, each with its first row.
pub fn in_crm<'a>(watch: &[BonusAccount], rows: impl Iterator<Item = (&'a str, At)>) -> BTreeMap<String, At> {
    let mut found = BTreeMap::new();
    if watch.is_empty() {
        return found;
    }
    let watched: std::collections::BTreeSet<&str> = watch.iter().map(|a| a.client_id.as_str()).collect();
    for (client, at) in rows.filter(|(c, _)| watched.contains(c)) {
        found.entry(client.to_string()).or_insert(at);
    }
    found
}

/// The month's watched accounts (none when its standard has no clawback), and the first CRM row
/// of each watched client.
pub(crate) struct Watch<'a> {
    rule: Option<Clawback>,
    accounts: &'a [BonusAccount],
    in_crm: BTreeMap<String, At>,
}

impl<'a> Watch<'a> {
    /// The accounts of `carried` watched under `standard`, and where their clients are among the
    /// month's CRM rows, accepted or not (found before the rows move into attribution).
    pub(crate) fn new(standard: &Standard, carried: &'a [BonusAccount], crm: &[CrmRow]) -> Self {
        let accounts: &[BonusAccount] = if standard.clawback.is_some() { carried } else { &[] };
        let in_crm = in_crm(accounts, crm.iter().filter_map(|r| r.client_id.as_deref().map(|c| (c, (r.file, r.row)))));
        Watch { rule: standard.clawback, accounts, in_crm }
    }

    /// Judge each watched account on the month's client-level assets: the lost ones, in the
    /// order watched, each charged when its manager is active. An account not judged, or lost
    /// by a manager who is not active, is an information line of `issues` (sorted again).
    pub(crate) fn judge(
        &self,
        month: YearMonth,
        client_assets: &Lookup<String, Decimal>,
        active: &Active,
        files: &[InputFile],
        issues: &mut Vec<Issue>,
    ) -> Vec<ClawbackLine> {
        let mut lines = Vec::new();
        let Some(cb) = &self.rule else { return lines };
        // An information line points at the client's first CRM row, or at the CRM file when the
        // client has none.
        let first_crm = files.iter().position(|f| f.kind == Kind::Crm).map(|i| (i as u16, 0));
        let at = |client: &str| {
            self.in_crm.get(client).copied().or(first_crm).and_then(|(f, row)| files.get(f as usize).map(|f| (f, row)))
        };
        for a in self.accounts {
            let assets = client_assets.get(&a.client_id).copied();
            let lost = match judge(assets, self.in_crm.contains_key(&a.client_id), cb.min_month_end_assets) {
                Judgement::Kept => continue,
                Judgement::Lost(assets) => assets,
                Judgement::NotJudged => {
                    issues.push(clawback_issue(at(&a.client_id), a, Reason::ClawbackNotJudged { paid: a.month }));
                    continue;
                }
            };
            let charged = active.contains(&a.manager_id);
            if !charged {
                let reason = Reason::ClawbackNotCharged { paid: a.month, manager: a.manager_id.clone(), month };
                issues.push(clawback_issue(at(&a.client_id), a, reason));
            }
            lines.push(ClawbackLine { account: a.clone(), assets: lost, charged });
        }
        Issue::sort(issues);
        lines
    }
}

/// Recover the charged lines from their managers: each manager's bonuses summed, rounded once,
/// as a negative `clawback` component.
pub(crate) fn charge(lines: &[ClawbackLine], rnd: Rounding, managers: &mut [ManagerPay]) {
    let mut recovered: BTreeMap<&str, Decimal> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.charged) {
        *recovered.entry(l.account.manager_id.as_str()).or_default() += l.account.bonus;
    }
    for m in managers {
        if let Some(v) = recovered.get(m.person.manager_id.as_str()) {
            let r = rnd.round(*v);
            if !r.is_zero() {
                m.components.clawback = -r;
            }
        }
    }
}

/// An information line of §4.9 about a watched account (raw: its client), at a CRM file's row.
fn clawback_issue(at: Option<(&InputFile, u32)>, a: &BonusAccount, reason: Reason) -> Issue {
    Issue {
        severity: Severity::Information,
        kind: Kind::Crm,
        file: at.map(|(f, _)| f.label.clone()).unwrap_or_default(),
        sheet: at.map(|(f, _)| f.sheet.clone()).unwrap_or_default(),
        row: at.map(|(_, row)| row).unwrap_or(0),
        column: String::new(),
        raw: a.client_id.clone(),
        reason,
        manager_id: Some(a.manager_id.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    #[test]
    fn lost_below_the_threshold_or_absent_and_not_judged_when_every_row_was_rejected() {
        let min = d("1000");
        assert_eq!(judge(Some(d("1000")), true, min), Judgement::Kept, "exactly the threshold is kept");
        assert_eq!(judge(Some(d("999.99")), true, min), Judgement::Lost(Some(d("999.99"))));
        assert_eq!(judge(Some(d("0")), true, min), Judgement::Lost(Some(d("0"))), "emptied");
        assert_eq!(judge(None, true, min), Judgement::NotJudged, "rows all rejected");
        assert_eq!(judge(None, false, min), Judgement::Lost(None), "absent from the CRM");
    }

    #[test]
    fn only_watched_clients_are_collected() {
        let a = |c: &str| BonusAccount {
            month: YearMonth::new(2026, 1).unwrap(),
            client_id: c.into(),
            account_type: "A股".into(),
            manager_id: "M1".into(),
            bonus: d("100"),
        };
        let rows = [("C1", (0, 4)), ("C2", (0, 5)), ("C1", (1, 9))];
        let got = in_crm(&[a("C1"), a("C3")], rows.into_iter());
        assert_eq!(got.into_iter().collect::<Vec<_>>(), vec![("C1".to_string(), (0, 4))], "the first row");
        assert!(in_crm(&[], rows.into_iter()).is_empty());
    }
}
