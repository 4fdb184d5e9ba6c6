//! Compute: a month's checked inputs and its salary standard → each active manager's pay.
//!
//! Takes the [`MonthInput`] of ingestion (by value: its rows move into the result, nothing is
//! copied) and the standard in force; gives a [`ComputedMonth`] that holds everything the reports
//! need — each active manager's identity, credited figures, components and the working of every
//! rule of SPEC §4, their credited CRM rows, the month's new accounts with their outcome, the
//! adjustment rows, the reconciliation figures, and the month's files and issues. Pure: no I/O.
//! Every figure is exact until the end of its own rule (one file each in [`rules`]), where it is
//! rounded once by the standard's rounding; the total is the sum of the rounded components, so
//! every report foots to the fen. Refuses a roster level the standard does not define
//! ([`ComputeError`]).

pub mod rules;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
use crate::config::{Config, Standard};
use crate::ingest::{AccountStatus, InputFile, MonthInput, MoneyRecon, RosterRow, Unread};
use crate::model::{Component, Components, Issue, Kind, Metrics, Person, Relation};
use crate::money::Rounding;
use rules::account_bonus::{self, Invalid};
use rules::base_salary::{base_salary, employed_days, BaseSalary};
use rules::cap::{cap_deduction, CapDeduction};
use rules::commission::{commission, Commission};
use rules::leader::{leader_override, LeaderOverride};
use rules::minimum::{minimum_penalty, MinimumPenalty};
use rules::other_pay::{asset_bonus, other_revenue_pay, AssetBonus, OtherRevenuePay};

/// Why a month cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComputeError {
    /// A roster level the standard does not define (a configuration error, SPEC §3).
    UnknownLevel {
        standard: PathBuf,
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
#[derive(Debug, Clone, PartialEq)]
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

/// The report order of §5 item 1: team (configured order, then by name), group (by name, none
/// last), manager_id — compared by code point.
pub fn report_order_key(
    config: &Config,
    team: &str,
    group: Option<&str>,
    id: &str,
) -> (usize, String, u8, String, String) {
    (
        config.team_rank(team),
        team.to_string(),
        u8::from(group.is_none()),
        group.unwrap_or("").to_string(),
        id.to_string(),
    )
}

/// The pay of one manager before the rules that need the whole group (leader override, cap).
fn manager_month(
    standard: &Standard,
    month: YearMonth,
    r: &RosterRow,
    level: &crate::config::Level,
    credited: Credited,
    accounts: (u32, u32, Decimal),
    adjustments: (Decimal, u32),
) -> (Components, Working) {
    let rnd = standard.rounding;
    let schedule = &standard.schedules[&level.schedule];
    let (new_accounts, valid_accounts, bonus_exact) = accounts;
    let days = employed_days(month, r.person.hire_date, r.person.regular_date, r.person.leave_date);
    let base = base_salary(level.base_salary, standard.probation_base_ratio, days, rnd);
    let minimum = minimum_penalty(
        standard.minimum.as_ref(),
        month,
        r.person.hire_date,
        base.value,
        valid_accounts,
        credited.net_revenue(),
        rnd,
    );
    let _ = new_accounts;
    let commission = commission(schedule, credited.net_commission, rnd);
    let other = other_revenue_pay(credited.other_revenue, standard.other_revenue_rate, rnd);
    let assets = asset_bonus(credited.net_inflow, standard.asset_bonus_rate, standard.asset_bonus_cap, rnd);
    let (adj_exact, adj_rows) = adjustments;
    let components = Components {
        base_salary: base.value,
        minimum_penalty: minimum.value,
        net_commission_pay: commission.value,
        other_revenue_pay: other.value,
        account_bonus: rnd.round(bonus_exact),
        asset_bonus: assets.value,
        leader_override: Decimal::ZERO,
        cap_deduction: Decimal::ZERO,
        adjustments: rnd.round(adj_exact),
    };
    let working = Working {
        base_salary: base,
        minimum_penalty: minimum,
        commission,
        other_revenue_pay: other,
        account_bonus_exact: bonus_exact,
        asset_bonus: assets,
        adjustment_rows: adj_rows,
        adjustments_exact: adj_exact,
        leader_override: None,
        cap_deduction: cap_deduction(Decimal::ZERO, None, rnd),
    };
    (components, working)
}

/// Compute every active manager's pay for the month.
///
/// # Errors
/// A roster level that the standard does not know (a configuration error, SPEC §3).
pub fn compute_month(config: &Config, standard: &Standard, input: MonthInput) -> Result<ComputedMonth, ComputeError> {
    let MonthInput {
        month,
        files,
        crm,
        accounts: account_rows,
        roster,
        adjustments: adjustment_rows,
        scores,
        issues,
        client_assets,
        crm_recon,
        unread,
        read_time: _,
    } = input;
    let rnd = standard.rounding;
    let mut active: Vec<&RosterRow> = roster.iter().filter(|r| r.active).collect();
    active.sort_by_key(|r| report_order_key(config, &r.person.team, r.person.group.as_deref(), &r.person.manager_id));
    let place: BTreeMap<&str, usize> =
        active.iter().enumerate().map(|(i, r)| (r.person.manager_id.as_str(), i)).collect();

    // §4.1 attribution: each accepted row credits its share to its manager.
    let mut credited = vec![Credited::default(); active.len()];
    let mut rows: Vec<Vec<CreditedRow>> = vec![Vec::new(); active.len()];
    for r in crm.into_iter().filter(|r| r.accepted) {
        let Some(&i) = r.manager_id.as_deref().and_then(|m| place.get(m)) else { continue };
        let s = r.share.unwrap_or(Decimal::ONE);
        let c = &mut credited[i];
        let line = CreditedRow {
            credited_net_commission: r.net_commission.unwrap_or_default() * s,
            credited_other_revenue: r.other_revenue.unwrap_or_default() * s,
            credited_net_inflow: r.net_inflow.unwrap_or_default() * s,
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
        c.net_commission += line.credited_net_commission;
        c.other_revenue += line.credited_other_revenue;
        c.net_inflow += line.credited_net_inflow;
        c.month_end_assets += r.month_end_assets.unwrap_or_default() * s;
        c.avg_daily_assets += r.avg_daily_assets.unwrap_or_default() * s;
        c.rows += 1;
        rows[i].push(line);
    }

    // §4.5 accounts.
    let mut outcomes = Vec::new();
    let mut acc_count = vec![(0u32, 0u32, Decimal::ZERO); active.len()];
    let mut recon = AccountsRecon::default();
    for a in account_rows {
        recon.rows += 1;
        match a.status {
            AccountStatus::Rejected => recon.rejected += 1,
            AccountStatus::Returning(_) => recon.returning += 1,
            AccountStatus::New => {
                let valid = account_bonus::validity(a.first_deposit, client_assets.get(&a.client_id).copied(), standard);
                let bonus = if valid.is_ok() { account_bonus::bonus(&a.account_type, standard) } else { Decimal::ZERO };
                if let Some(&i) = place.get(a.manager_id.as_str()) {
                    let e = &mut acc_count[i];
                    e.0 += 1;
                    e.1 += u32::from(valid.is_ok());
                    e.2 += bonus;
                }
                if valid.is_ok() {
                    recon.valid += 1;
                } else {
                    recon.not_valid += 1;
                }
                outcomes.push(AccountOutcome {
                    manager_id: a.manager_id,
                    client_id: a.client_id,
                    client_name: a.client_name,
                    open_date: a.open_date,
                    account_type: a.account_type,
                    outlet: a.outlet,
                    first_deposit: a.first_deposit,
                    valid,
                    bonus,
                });
            }
        }
    }

    let label = |file: u16| files.get(file as usize).map(|f| f.label.clone()).unwrap_or_default();
    let mut adjust = vec![(Decimal::ZERO, 0u32); active.len()];
    let mut adjustments = Vec::new();
    for a in adjustment_rows.into_iter().filter(|a| a.accepted) {
        if let Some(&i) = place.get(a.manager_id.as_str()) {
            adjust[i].0 += a.amount;
            adjust[i].1 += 1;
        }
        adjustments.push(AdjustmentLine {
            file: label(a.file),
            row: a.row,
            manager_id: a.manager_id,
            amount: a.amount,
            category: a.category,
            reason: a.reason,
        });
    }
    let scores: BTreeMap<&str, Decimal> =
        scores.iter().filter(|s| s.accepted).map(|s| (s.manager_id.as_str(), s.score)).collect();

    let mut managers: Vec<ManagerPay> = Vec::with_capacity(active.len());
    for (i, r) in active.iter().enumerate() {
        let level = standard.find_level(&r.level).ok_or_else(|| ComputeError::UnknownLevel {
            standard: standard.file.clone(),
            file: label(r.file),
            row: r.row,
            level: r.level.clone(),
            manager: r.person.manager_id.clone(),
            levels: standard.levels.values().map(|l| format!("{} {}", l.code, l.label)).collect(),
        })?;
        let (components, working) =
            manager_month(standard, month, r, level, credited[i], acc_count[i], adjust[i]);
        managers.push(ManagerPay {
            person: r.person.clone(),
            level: level.code.clone(),
            level_label: level.label.clone(),
            credited: credited[i],
            new_accounts: acc_count[i].0,
            valid_accounts: acc_count[i].1,
            components,
            total: Decimal::ZERO,
            working,
            rows: std::mem::take(&mut rows[i]),
            duty_score: scores.get(r.person.manager_id.as_str()).copied(),
        });
    }

    // §4.6 leader override: needs every member's rounded net-commission pay; then the cap.
    let mut group_pay: BTreeMap<(String, String), Vec<(String, Decimal)>> = BTreeMap::new();
    for m in &managers {
        if let Some(g) = &m.person.group {
            group_pay
                .entry((m.person.team.clone(), g.clone()))
                .or_default()
                .push((m.person.manager_id.clone(), m.components.net_commission_pay));
        }
    }
    for m in &mut managers {
        if m.person.leader {
            let lo = match &m.person.group {
                Some(g) => {
                    let members = &group_pay[&(m.person.team.clone(), g.clone())];
                    let others: Decimal =
                        members.iter().filter(|(id, _)| *id != m.person.manager_id).map(|(_, v)| *v).sum();
                    leader_override(&m.person.team, g, members.len() - 1, others, standard.leader_override_rate, rnd)
                }
                None => LeaderOverride::NoGroup,
            };
            m.components.leader_override = lo.value();
            m.working.leader_override = Some(lo);
        }
        let cap = cap_deduction(m.components.variable(), standard.cap_variable_pay, rnd);
        m.components.cap_deduction = cap.value;
        m.working.cap_deduction = cap;
        m.total = m.components.total();
    }

    let reconciliation = reconcile(&files, crm_recon, recon, &managers);
    Ok(ComputedMonth {
        month,
        standard: standard.clone(),
        managers,
        accounts: outcomes,
        adjustments,
        reconciliation,
        files,
        issues,
        unread,
    })
}

/// The figures of the 对账 sheet.
fn reconcile(files: &[InputFile], money: [MoneyRecon; 3], accounts: AccountsRecon, managers: &[ManagerPay]) -> Reconciliation {
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
