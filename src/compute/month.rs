//! The month's result: what [`super::compute_month`] gives and every report is made of.
//!
//! Types only, and the sums over them (the totals and the 对账 figures); the rules that fill
//! them live beside their formulas. Re-exported from [`super`] under the same names.

use std::fmt;
use std::path::Path;

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
use crate::config::Standard;
use crate::ingest::{InputFile, MoneyRecon, Unread};
use crate::model::{Component, Components, Issue, Kind, Metrics, Person, Relation};
use crate::money::Rounding;

use super::carried::PriorPeriodLine;
use super::working::{
    AssetBonus, BaseSalary, CapDeduction, ClawbackLine, Commission, Invalid, LeaderOverride, MinimumPenalty,
    OtherRevenuePay,
};

/// Why a month cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComputeError {
    /// A roster level the standard does not define (a configuration error, SPEC §3).
    UnknownLevel {
        /// Boxed: a `PathBuf` is wider on Windows, and the error stays small on both platforms.
        standard: Box<Path>,
        file: String,
        row: u32,
        level: String,
        manager: String,
        /// The standard's levels, "code label".
        levels: Vec<String>,
    },
}

impl fmt::Display for ComputeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComputeError::UnknownLevel { standard, file, row, level, manager, levels } => write!(
                f,
                "{}: levels: {file} row {row}: level {level:?} of manager {manager} is not a level of this standard; levels: {}",
                standard.display(),
                levels.join(", ")
            ),
        }
    }
}

impl std::error::Error for ComputeError {}

/// A manager's credited sums of §4.1, exact.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Credited {
    pub net_commission: Decimal,
    pub other_revenue: Decimal,
    pub net_inflow: Decimal,
    pub month_end_assets: Decimal,
    pub avg_daily_assets: Decimal,
    /// Accepted CRM rows credited.
    pub rows: u32,
}

impl Credited {
    /// 净收入: NC + OR.
    pub fn net_revenue(&self) -> Decimal {
        self.net_commission + self.other_revenue
    }
}

/// One accepted CRM row as the business detail shows it: the client-level figures and what the
/// row credits its manager (value × share).
#[derive(Debug, Clone, PartialEq)]
pub struct CreditedRow {
    pub client_id: String,
    pub client_name: String,
    pub relation: Option<Relation>,
    pub share: Decimal,
    pub month_end_assets: Option<Decimal>,
    pub avg_daily_assets: Option<Decimal>,
    pub net_inflow: Option<Decimal>,
    pub trade_volume: Option<Decimal>,
    pub net_commission: Option<Decimal>,
    pub other_revenue: Option<Decimal>,
    pub credited_net_commission: Decimal,
    pub credited_other_revenue: Decimal,
    pub credited_net_inflow: Decimal,
}

/// A new account of the month (not a returning client's) and what §4.5 made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountOutcome {
    pub manager_id: String,
    pub client_id: String,
    pub client_name: String,
    pub open_date: Option<Date>,
    pub account_type: String,
    pub outlet: String,
    pub first_deposit: Decimal,
    pub valid: Result<(), Invalid>,
    pub bonus: Decimal,
}

/// An accepted adjustment row (手工调整).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdjustmentLine {
    /// The file, relative to the data folder.
    pub file: String,
    pub row: u32,
    pub manager_id: String,
    pub amount: Decimal,
    pub category: String,
    pub reason: String,
}

/// What every rule of a manager's month was made of (计算明细, `explain`).
#[derive(Debug, Clone, PartialEq)]
pub struct Working {
    pub base_salary: BaseSalary,
    pub minimum_penalty: MinimumPenalty,
    pub commission: Commission,
    pub other_revenue_pay: OtherRevenuePay,
    /// Σ of the bonuses of the valid new accounts, before rounding.
    pub account_bonus_exact: Decimal,
    pub asset_bonus: AssetBonus,
    /// Accepted adjustment rows and their exact sum.
    pub adjustment_rows: u32,
    pub adjustments_exact: Decimal,
    /// `None` for a manager who is not a group leader.
    pub leader_override: Option<LeaderOverride>,
    pub cap_deduction: CapDeduction,
}

/// One active manager's month.
#[derive(Debug, Clone)]
pub struct ManagerPay {
    pub person: Person,
    /// The level code, resolved from the roster's code or label.
    pub level: String,
    pub level_label: String,
    pub credited: Credited,
    pub new_accounts: u32,
    pub valid_accounts: u32,
    /// Rounded components.
    pub components: Components,
    pub total: Decimal,
    pub working: Working,
    /// The accepted CRM rows credited to the manager, in file order.
    pub rows: Vec<CreditedRow>,
    /// The month's duty score (职责考核), when the scores file lists the manager.
    pub duty_score: Option<Decimal>,
    /// Active in the month. A manager who is not, but has a prior-period adjustment, still gets
    /// a row (SPEC §4.10) with every other amount 0.
    pub active: bool,
}

impl ManagerPay {
    /// The metrics rounded for reports (the one place this rounding happens).
    pub fn metrics(&self, r: Rounding) -> Metrics {
        Metrics {
            net_commission: r.round(self.credited.net_commission),
            other_revenue: r.round(self.credited.other_revenue),
            net_revenue: r.round(self.credited.net_revenue()),
            net_inflow: r.round(self.credited.net_inflow),
            month_end_assets: r.round(self.credited.month_end_assets),
        }
    }
}

/// Accounts reconciliation: rows = valid + not valid + returning + rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountsRecon {
    pub rows: u64,
    pub valid: u64,
    pub not_valid: u64,
    pub returning: u64,
    pub rejected: u64,
}

/// One input kind's rows: read = accepted + rejected + skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsRecon {
    pub kind: Kind,
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub skipped: u64,
}

/// The figures of the 对账 sheet (SPEC §7), each counted or summed where it arises.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciliation {
    /// Per input kind with files, in [`Kind::ALL`] order.
    pub rows: Vec<RowsRecon>,
    /// crm: net commission, other revenue, net inflow.
    pub money: [MoneyRecon; 3],
    pub accounts: AccountsRecon,
    /// Σ of the managers' totals, and Σ of every component over the managers.
    pub pay_rows: Decimal,
    pub pay_components: Decimal,
    /// Each team's subtotal of the totals, in report order.
    pub team_totals: Vec<(String, Decimal)>,
}

/// A computed month: everything its reports are made of.
#[derive(Debug, Clone)]
pub struct ComputedMonth {
    pub month: YearMonth,
    pub standard: Standard,
    /// Active managers, in report order.
    pub managers: Vec<ManagerPay>,
    /// The new accounts (returning clients' accounts are not new), in file order.
    pub accounts: Vec<AccountOutcome>,
    /// Accepted adjustment rows, in file order.
    pub adjustments: Vec<AdjustmentLine>,
    /// The prior-period lines carried into the month (以前月份调整).
    pub prior_period: Vec<PriorPeriodLine>,
    /// The accounts lost in the month (开户奖励回收), by month paid, client and type.
    pub clawback: Vec<ClawbackLine>,
    pub reconciliation: Reconciliation,
    pub files: Vec<InputFile>,
    /// 数据异常, sorted by kind, file and row.
    pub issues: Vec<Issue>,
    /// Files of the month folder that were not read.
    pub unread: Vec<(String, Unread)>,
}

impl ComputedMonth {
    /// Row-level exceptions (not information).
    pub fn exception_count(&self) -> usize {
        self.issues.iter().filter(|i| i.is_exception()).count()
    }

    /// Σ of each component and of the total over the managers.
    pub fn totals(&self) -> (Components, Decimal) {
        totals(&self.managers)
    }
}

/// Σ of each component and of the total over `managers`.
pub fn totals<'a>(managers: impl IntoIterator<Item = &'a ManagerPay>) -> (Components, Decimal) {
    let mut c = Components::default();
    let mut t = Decimal::ZERO;
    for m in managers {
        c.add(&m.components);
        t += m.total;
    }
    (c, t)
}

/// The figures of the 对账 sheet.
pub(super) fn reconcile(
    files: &[InputFile],
    money: [MoneyRecon; 3],
    accounts: AccountsRecon,
    managers: &[ManagerPay],
) -> Reconciliation {
    let mut rows = Vec::new();
    for kind in Kind::ALL {
        let of: Vec<&InputFile> = files.iter().filter(|f| f.kind == kind).collect();
        if of.is_empty() {
            continue;
        }
        rows.push(RowsRecon {
            kind,
            read: of.iter().map(|f| f.counts.rows_read).sum(),
            accepted: of.iter().map(|f| f.accepted).sum(),
            rejected: of.iter().map(|f| f.rejected).sum(),
            skipped: of.iter().map(|f| f.counts.blank + f.counts.summary).sum(),
        });
    }
    let pay_rows: Decimal = managers.iter().map(|m| m.total).sum();
    let pay_components: Decimal = {
        let (c, _) = totals(managers);
        Component::ALL.iter().map(|k| c.get(*k)).sum()
    };
    let mut team_totals: Vec<(String, Decimal)> = Vec::new();
    for m in managers {
        match team_totals.last_mut() {
            Some((t, v)) if *t == m.person.team => *v += m.total,
            _ => team_totals.push((m.person.team.clone(), m.total)),
        }
    }
    Reconciliation { rows, money, accounts, pay_rows, pay_components, team_totals }
}
