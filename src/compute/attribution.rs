//! §4.1 Attribution: to which active manager each accepted row of the month counts, and what it
//! credits them with.
//!
//! Takes the roster's active managers, placed in report order ([`Active`]), and the month's
//! accepted rows; gives, by that place, each manager's [`Tally`]: the credited sums of their CRM
//! rows (value × share) and those rows themselves (the CRM rows move in: nothing is copied), the
//! tally of their new accounts (filled by §4.5, [`super::rules::account_bonus::apply`]), of their
//! adjustment rows, and their duty score. A row whose manager is not active credits nobody
//! (ingestion has listed it in 数据异常).

use rust_decimal::Decimal;

use crate::config::Config;
use crate::ingest::{AdjustmentRow, CrmRow, InputFile, RosterRow, ScoreRow};
use crate::lookup::Lookup;

use super::month::{AdjustmentLine, Credited, CreditedRow};
use super::report_order_key;

/// The month's active managers in report order, each at its place (the index of its [`Tally`]).
pub(crate) struct Active<'a> {
    rows: Vec<&'a RosterRow>,
    place: Lookup<&'a str, usize>,
}

impl<'a> Active<'a> {
    /// The active managers of `roster`, in the report order of §5 item 1.
    pub(crate) fn new(config: &Config, roster: &'a [RosterRow]) -> Self {
        let mut rows: Vec<&RosterRow> = roster.iter().filter(|r| r.active).collect();
        rows.sort_by_key(|r| report_order_key(config, &r.person.team, r.person.group.as_deref(), &r.person.manager_id));
        let place = rows.iter().enumerate().map(|(i, r)| (r.person.manager_id.as_str(), i)).collect();
        Active { rows, place }
    }

    /// The roster rows, in report order.
    pub(crate) fn rows(&self) -> &[&'a RosterRow] {
        &self.rows
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The place of an active manager; `None` for anyone else.
    pub(crate) fn place(&self, manager_id: &str) -> Option<usize> {
        self.place.get(manager_id).copied()
    }

    pub(crate) fn contains(&self, manager_id: &str) -> bool {
        self.place.contains_key(manager_id)
    }
}

/// A manager's new accounts of §4.5 (returning clients' accounts are not new).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct AccountTally {
    /// 新开户.
    pub new: u32,
    /// 有效户.
    pub valid: u32,
    /// Σ of the valid accounts' bonuses, before rounding.
    pub bonus: Decimal,
}

/// A manager's accepted adjustment rows (手工调整).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct AdjustmentTally {
    /// Their exact sum.
    pub amount: Decimal,
    pub rows: u32,
}

/// Everything the month's rows credit one active manager with, counted where it arises.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    pub credited: Credited,
    /// The accepted CRM rows credited, in file order.
    pub rows: Vec<CreditedRow>,
    pub accounts: AccountTally,
    pub adjustments: AdjustmentTally,
    /// 职责考核, when the scores file lists the manager.
    pub duty_score: Option<Decimal>,
}

/// `v × s`, 0 for a missing value. Most rows credit 100%: their values are taken as they are
/// (the same result as × 1, without the work).
fn share_of(v: Option<Decimal>, s: Decimal) -> Decimal {
    let v = v.unwrap_or_default();
    if s == Decimal::ONE {
        v
    } else {
        v * s
    }
}

/// §4.1: each accepted CRM row credits its share to its manager. One tally per active manager,
/// by place, each holding its credited rows (sized before they move in).
pub(crate) fn credit_crm(crm: Vec<CrmRow>, active: &Active) -> Vec<Tally> {
    let mut counts = vec![0usize; active.len()];
    for r in crm.iter().filter(|r| r.accepted) {
        if let Some(i) = r.manager_id.as_deref().and_then(|m| active.place(m)) {
            counts[i] += 1;
        }
    }
    let mut tally: Vec<Tally> =
        counts.iter().map(|n| Tally { rows: Vec::with_capacity(*n), ..Tally::default() }).collect();
    for r in crm.into_iter().filter(|r| r.accepted) {
        let Some(i) = r.manager_id.as_deref().and_then(|m| active.place(m)) else { continue };
        let s = r.share.unwrap_or(Decimal::ONE);
        let t = &mut tally[i];
        let line = CreditedRow {
            credited_net_commission: share_of(r.net_commission, s),
            credited_other_revenue: share_of(r.other_revenue, s),
            credited_net_inflow: share_of(r.net_inflow, s),
            client_id: r.client_id.unwrap_or_default(),
            client_name: r.client_name,
            relation: r.relation,
            share: s,
            month_end_assets: r.month_end_assets,
            avg_daily_assets: r.avg_daily_assets,
            net_inflow: r.net_inflow,
            trade_volume: r.trade_volume,
            net_commission: r.net_commission,
            other_revenue: r.other_revenue,
        };
        let c = &mut t.credited;
        c.net_commission += line.credited_net_commission;
        c.other_revenue += line.credited_other_revenue;
        c.net_inflow += line.credited_net_inflow;
        c.month_end_assets += share_of(r.month_end_assets, s);
        c.avg_daily_assets += share_of(r.avg_daily_assets, s);
        c.rows += 1;
        t.rows.push(line);
    }
    tally
}

/// The accepted adjustment rows, in file order, each counted to its manager when active.
pub(crate) fn credit_adjustments(
    rows: Vec<AdjustmentRow>,
    files: &[InputFile],
    active: &Active,
    tally: &mut [Tally],
) -> Vec<AdjustmentLine> {
    let mut lines = Vec::new();
    for a in rows.into_iter().filter(|a| a.accepted) {
        if let Some(i) = active.place(&a.manager_id) {
            let t = &mut tally[i].adjustments;
            t.amount += a.amount;
            t.rows += 1;
        }
        lines.push(AdjustmentLine {
            file: super::file_label(files, a.file),
            row: a.row,
            manager_id: a.manager_id,
            amount: a.amount,
            category: a.category,
            reason: a.reason,
        });
    }
    lines
}

/// Each active manager's duty score: the last accepted score row that names them.
pub(crate) fn credit_scores(scores: &[ScoreRow], active: &Active, tally: &mut [Tally]) {
    for s in scores.iter().filter(|s| s.accepted) {
        if let Some(i) = active.place(&s.manager_id) {
            tally[i].duty_score = Some(s.score);
        }
    }
}
