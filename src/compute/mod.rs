//! Compute: a month's checked inputs and its salary standard → each active manager's pay.
//!
//! Pure functions, no I/O. Every figure is exact until the end of its own rule, where it is
//! rounded once by the standard's rounding; the total is the sum of the rounded components, so
//! every report foots to the fen. Each manager carries a trace of every rule's inputs (计算明细,
//! `explain`).

pub mod rules;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::config::{Config, Standard};
use crate::error::ConfigError;
use crate::ingest::month::{AccountStatus, MonthInput, Person, RosterRow};
use crate::money::exact;
use crate::money::Rounding;

/// The pay components of §4, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Component {
    BaseSalary,
    MinimumPenalty,
    NetCommissionPay,
    OtherRevenuePay,
    AccountBonus,
    AssetBonus,
    LeaderOverride,
    CapDeduction,
    Adjustments,
}

impl Component {
    pub const ALL: [Component; 9] = [
        Component::BaseSalary,
        Component::MinimumPenalty,
        Component::NetCommissionPay,
        Component::OtherRevenuePay,
        Component::AccountBonus,
        Component::AssetBonus,
        Component::LeaderOverride,
        Component::CapDeduction,
        Component::Adjustments,
    ];
    /// The payroll CSV column name.
    pub fn key(self) -> &'static str {
        match self {
            Component::BaseSalary => "base_salary",
            Component::MinimumPenalty => "minimum_penalty",
            Component::NetCommissionPay => "net_commission_pay",
            Component::OtherRevenuePay => "other_revenue_pay",
            Component::AccountBonus => "account_bonus",
            Component::AssetBonus => "asset_bonus",
            Component::LeaderOverride => "leader_override",
            Component::CapDeduction => "cap_deduction",
            Component::Adjustments => "adjustments",
        }
    }
}

/// One line of a manager's calculation: which rule, what, the working, the result.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceLine {
    pub rule: &'static str,
    pub item: String,
    pub working: String,
    pub value: Option<Decimal>,
}

/// Why a new account is not valid (有效户 test of §4.5).
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    LowDeposit { deposit: Decimal, min: Decimal },
    NotInCrm,
    LowAssets { assets: Decimal, min: Decimal },
}

/// The outcome of one new account.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountOutcome {
    /// Index into `MonthInput::accounts`.
    pub row: usize,
    pub valid: Result<(), Invalid>,
    pub bonus: Decimal,
}

/// One active manager's month.
#[derive(Debug, Clone)]
pub struct ManagerPay {
    pub person: Person,
    /// The level code, resolved from the roster's code or label.
    pub level: String,
    pub level_label: String,
    /// Exact credited sums (§4.1).
    pub net_commission: Decimal,
    pub other_revenue: Decimal,
    pub net_inflow: Decimal,
    pub month_end_assets: Decimal,
    pub avg_daily_assets: Decimal,
    pub new_accounts: u32,
    pub valid_accounts: u32,
    /// Rounded components, in [`Component::ALL`] order.
    pub components: [Decimal; 9],
    pub total: Decimal,
    pub trace: Vec<TraceLine>,
}

/// The metrics as every report and the payroll show them: the exact credited sums of §4.1,
/// each rounded on its own by the standard's rounding (net revenue from the exact sum too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Metrics {
    pub net_commission: Decimal,
    pub other_revenue: Decimal,
    pub net_revenue: Decimal,
    pub net_inflow: Decimal,
    pub month_end_assets: Decimal,
}

impl ManagerPay {
    pub fn net_revenue(&self) -> Decimal {
        self.net_commission + self.other_revenue
    }
    /// The metrics rounded for reports (the one place this rounding happens).
    pub fn metrics(&self, r: Rounding) -> Metrics {
        Metrics {
            net_commission: r.round(self.net_commission),
            other_revenue: r.round(self.other_revenue),
            net_revenue: r.round(self.net_revenue()),
            net_inflow: r.round(self.net_inflow),
            month_end_assets: r.round(self.month_end_assets),
        }
    }
    pub fn component(&self, c: Component) -> Decimal {
        self.components[c as usize]
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

/// The month's result.
#[derive(Debug, Clone)]
pub struct MonthResult {
    pub month: YearMonth,
    /// In report order.
    pub managers: Vec<ManagerPay>,
    pub accounts: Vec<AccountOutcome>,
    pub accounts_recon: AccountsRecon,
}

impl MonthResult {
    /// Σ of each component and of the total over `managers`.
    pub fn totals<'a>(managers: impl IntoIterator<Item = &'a ManagerPay>) -> ([Decimal; 9], Decimal) {
        let mut c = [Decimal::ZERO; 9];
        let mut t = Decimal::ZERO;
        for m in managers {
            for (i, v) in m.components.iter().enumerate() {
                c[i] += v;
            }
            t += m.total;
        }
        (c, t)
    }
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

/// Compute every active manager's pay for the month.
///
/// # Errors
/// A roster level that the standard does not know (a configuration error, SPEC §3).
pub fn compute_month(config: &Config, standard: &Standard, input: &MonthInput) -> Result<MonthResult, ConfigError> {
    let month = input.month;
    let rnd = standard.rounding;
    let mut active: Vec<&RosterRow> = input.active_roster().collect();
    active.sort_by_key(|r| report_order_key(config, &r.person.team, r.person.group.as_deref(), &r.person.manager_id));

    // §4.1 attribution.
    #[derive(Default, Clone)]
    struct Credit {
        nc: Decimal,
        or: Decimal,
        ni: Decimal,
        a: Decimal,
        ada: Decimal,
        rows: u32,
    }
    let mut credit: HashMap<&str, Credit> = HashMap::default();
    for r in input.crm.iter().filter(|r| r.accepted) {
        let s = r.share.unwrap_or(Decimal::ONE);
        let c = credit.entry(r.manager_id.as_deref().unwrap_or("")).or_default();
        c.nc += r.net_commission.unwrap_or_default() * s;
        c.or += r.other_revenue.unwrap_or_default() * s;
        c.ni += r.net_inflow.unwrap_or_default() * s;
        c.a += r.month_end_assets.unwrap_or_default() * s;
        c.ada += r.avg_daily_assets.unwrap_or_default() * s;
        c.rows += 1;
    }

    // §4.5 accounts.
    let mut outcomes = Vec::new();
    let mut acc_count: HashMap<&str, (u32, u32, Decimal)> = HashMap::default();
    let mut recon = AccountsRecon::default();
    for (i, a) in input.accounts.iter().enumerate() {
        recon.rows += 1;
        match a.status {
            AccountStatus::Rejected => recon.rejected += 1,
            AccountStatus::Returning(_) => recon.returning += 1,
            AccountStatus::New => {
                let valid = if a.first_deposit < standard.min_first_deposit {
                    Err(Invalid::LowDeposit { deposit: a.first_deposit, min: standard.min_first_deposit })
                } else {
                    match input.client_assets.get(&a.client_id) {
                        None => Err(Invalid::NotInCrm),
                        Some(&v) if v < standard.min_month_end_assets => {
                            Err(Invalid::LowAssets { assets: v, min: standard.min_month_end_assets })
                        }
                        Some(_) => Ok(()),
                    }
                };
                let bonus = if valid.is_ok() {
                    standard.account_bonus.get(a.account_type.trim()).copied().unwrap_or_default()
                } else {
                    Decimal::ZERO
                };
                let e = acc_count.entry(a.manager_id.as_str()).or_default();
                e.0 += 1;
                if valid.is_ok() {
                    e.1 += 1;
                    recon.valid += 1;
                } else {
                    recon.not_valid += 1;
                }
                e.2 += bonus;
                outcomes.push(AccountOutcome { row: i, valid, bonus });
            }
        }
    }

    let mut adjust: HashMap<&str, (Decimal, u32)> = HashMap::default();
    for a in input.adjustments.iter().filter(|a| a.accepted) {
        let e = adjust.entry(a.manager_id.as_str()).or_default();
        e.0 += a.amount;
        e.1 += 1;
    }

    let mut out: Vec<ManagerPay> = Vec::with_capacity(active.len());
    for r in &active {
        let level = standard.find_level(&r.level).ok_or_else(|| {
            let file = input.files.get(r.file as usize).map(|f| f.label.clone()).unwrap_or_default();
            let known: Vec<String> = standard.levels.values().map(|l| format!("{} {}", l.code, l.label)).collect();
            ConfigError::new(
                &standard.file,
                "levels",
                format!(
                    "{file} row {}: level {:?} of manager {} is not a level of this standard; levels: {}",
                    r.row,
                    r.level,
                    r.person.manager_id,
                    known.join(", ")
                ),
            )
        })?;
        let schedule = &standard.schedules[&level.schedule];
        let c = credit.get(r.person.manager_id.as_str()).cloned().unwrap_or_default();
        let nr = c.nc + c.or;
        let (new_accounts, valid_accounts, bonus_exact) =
            acc_count.get(r.person.manager_id.as_str()).copied().unwrap_or_default();
        let mut trace = Vec::new();
        let mut line = |rule: &'static str, item: &str, working: String, value: Option<Decimal>| {
            trace.push(TraceLine { rule, item: item.to_string(), working, value });
        };
        line("attribution", "crm rows credited", format!("{}", c.rows), None);
        line("attribution", "net_commission (NC)", exact(c.nc), Some(c.nc));
        line("attribution", "other_revenue (OR)", exact(c.or), Some(c.or));
        line("attribution", "net_revenue (NR = NC + OR)", exact(nr), Some(nr));
        line("attribution", "net_inflow (NI)", exact(c.ni), Some(c.ni));
        line("attribution", "month_end_assets", exact(c.a), Some(c.a));

        // §4.2
        let days = rules::employed_days(month, r.person.hire_date, r.person.regular_date, r.person.leave_date);
        let base_exact = rules::base_salary(level.base_salary, standard.probation_base_ratio, days);
        let base = rnd.round(base_exact);
        line("base_salary", "level", format!("{} {} base {}", level.code, level.label, exact(level.base_salary)), None);
        line(
            "base_salary",
            "days",
            format!(
                "{} employed of {} (hire {}, 转正 {}, leave {}); {} on probation × {}",
                days.employed,
                days.days_in_month,
                r.person.hire_date,
                r.person.regular_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                r.person.leave_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                days.probation,
                exact(standard.probation_base_ratio)
            ),
            None,
        );
        line(
            "base_salary",
            "base_salary",
            format!(
                "{} / {} × ({} + {} × {}) = {}",
                exact(level.base_salary),
                days.days_in_month,
                days.employed - days.probation,
                days.probation,
                exact(standard.probation_base_ratio),
                exact(base_exact)
            ),
            Some(base),
        );

        // §4.3
        let penalty = match &standard.minimum {
            None => {
                line("minimum_penalty", "minimum_penalty", "no [minimum] in the standard".into(), Some(Decimal::ZERO));
                Decimal::ZERO
            }
            Some(m) => {
                let missed = valid_accounts < m.valid_accounts && nr < m.net_revenue;
                let hired_in_month = month.contains(r.person.hire_date);
                let why = format!(
                    "valid accounts {valid_accounts} {} {}, NR {} {} {}",
                    if valid_accounts < m.valid_accounts { "<" } else { "≥" },
                    m.valid_accounts,
                    exact(nr),
                    if nr < m.net_revenue { "<" } else { "≥" },
                    exact(m.net_revenue)
                );
                let p = if hired_in_month {
                    line(
                        "minimum_penalty",
                        "minimum_penalty",
                        format!("{why}; exempt: hired in {month}"),
                        Some(Decimal::ZERO),
                    );
                    Decimal::ZERO
                } else if base.is_zero() {
                    line(
                        "minimum_penalty",
                        "minimum_penalty",
                        format!("{why}; exempt: base salary 0"),
                        Some(Decimal::ZERO),
                    );
                    Decimal::ZERO
                } else if missed {
                    let p = rnd.round(-(base * m.penalty_ratio));
                    line(
                        "minimum_penalty",
                        "minimum_penalty",
                        format!("{why}: both missed: −{} × {}", exact(base), exact(m.penalty_ratio)),
                        Some(p),
                    );
                    p
                } else {
                    line("minimum_penalty", "minimum_penalty", format!("{why}: not both missed"), Some(Decimal::ZERO));
                    Decimal::ZERO
                };
                p
            }
        };

        // §4.4
        let (nc_exact, parts) = rules::commission(schedule, c.nc);
        let nc_pay = rnd.round(nc_exact);
        let mode = match schedule.mode {
            crate::config::ScheduleMode::Marginal => "marginal",
            crate::config::ScheduleMode::Whole => "whole",
        };
        if parts.is_empty() {
            line("net_commission_pay", "schedule", format!("{} ({mode}): NC {} ≤ 0", schedule.name, exact(c.nc)), None);
        }
        for p in &parts {
            let bounds = match p.up_to {
                Some(u) => format!("({}, {}]", exact(p.from), exact(u)),
                None => format!("({}, ∞)", exact(p.from)),
            };
            line(
                "net_commission_pay",
                "tier",
                format!(
                    "{} ({mode}) tier {bounds}: {} × {} = {}",
                    schedule.name,
                    exact(p.base),
                    p.rate,
                    exact(p.amount)
                ),
                None,
            );
        }
        line("net_commission_pay", "net_commission_pay", exact(nc_exact), Some(nc_pay));

        // §4.6
        let or_exact = c.or.max(Decimal::ZERO) * standard.other_revenue_rate;
        let or_pay = rnd.round(or_exact);
        line(
            "other_revenue_pay",
            "other_revenue_pay",
            format!("max({}, 0) × {} = {}", exact(c.or), exact(standard.other_revenue_rate), exact(or_exact)),
            Some(or_pay),
        );

        let account_bonus = rnd.round(bonus_exact);
        line("account_bonus", "accounts", format!("{new_accounts} new, {valid_accounts} valid"), None);
        line("account_bonus", "account_bonus", exact(bonus_exact), Some(account_bonus));

        let ab_exact = rules::asset_bonus(c.ni, standard.asset_bonus_rate, standard.asset_bonus_cap);
        let asset_bonus = rnd.round(ab_exact);
        line(
            "asset_bonus",
            "asset_bonus",
            format!(
                "min(max({}, 0) × {}, {}) = {}",
                exact(c.ni),
                exact(standard.asset_bonus_rate),
                standard.asset_bonus_cap.map(exact).unwrap_or_else(|| "no cap".into()),
                exact(ab_exact)
            ),
            Some(asset_bonus),
        );

        let (adj_exact, adj_rows) = adjust.get(r.person.manager_id.as_str()).copied().unwrap_or_default();
        let adjustments = rnd.round(adj_exact);
        line("adjustments", "adjustments", format!("{adj_rows} row(s): {}", exact(adj_exact)), Some(adjustments));

        out.push(ManagerPay {
            person: r.person.clone(),
            level: level.code.clone(),
            level_label: level.label.clone(),
            net_commission: c.nc,
            other_revenue: c.or,
            net_inflow: c.ni,
            month_end_assets: c.a,
            avg_daily_assets: c.ada,
            new_accounts,
            valid_accounts,
            components: [
                base,
                penalty,
                nc_pay,
                or_pay,
                account_bonus,
                asset_bonus,
                Decimal::ZERO,
                Decimal::ZERO,
                adjustments,
            ],
            total: Decimal::ZERO,
            trace,
        });
    }

    // Leader override needs every member's rounded net_commission_pay.
    let mut group_pay: BTreeMap<(String, String), Vec<(String, Decimal)>> = BTreeMap::new();
    for m in &out {
        if let Some(g) = &m.person.group {
            group_pay
                .entry((m.person.team.clone(), g.clone()))
                .or_default()
                .push((m.person.manager_id.clone(), m.component(Component::NetCommissionPay)));
        }
    }
    for m in &mut out {
        let lo = if !m.person.leader {
            None
        } else if let Some(g) = &m.person.group {
            let members = &group_pay[&(m.person.team.clone(), g.clone())];
            let others: Decimal = members.iter().filter(|(id, _)| *id != m.person.manager_id).map(|(_, v)| *v).sum();
            let n = members.len() - 1;
            let v = rnd.round(others * standard.leader_override_rate);
            m.trace.push(TraceLine {
                rule: "leader_override",
                item: "leader_override".into(),
                working: format!(
                    "{} × Σ net_commission_pay of {n} other member(s) of {}/{g} {} = {}",
                    exact(standard.leader_override_rate),
                    m.person.team,
                    exact(others),
                    exact(others * standard.leader_override_rate)
                ),
                value: Some(v),
            });
            Some(v)
        } else {
            m.trace.push(TraceLine {
                rule: "leader_override",
                item: "leader_override".into(),
                working: "group leader without a group".into(),
                value: Some(Decimal::ZERO),
            });
            Some(Decimal::ZERO)
        };
        m.components[Component::LeaderOverride as usize] = lo.unwrap_or(Decimal::ZERO);
        let variable: Decimal = [
            Component::NetCommissionPay,
            Component::OtherRevenuePay,
            Component::AccountBonus,
            Component::AssetBonus,
            Component::LeaderOverride,
        ]
        .iter()
        .map(|&c| m.component(c))
        .sum();
        let cap = rnd.round(rules::cap_deduction(variable, standard.cap_variable_pay));
        m.components[Component::CapDeduction as usize] = cap;
        m.trace.push(TraceLine {
            rule: "cap_deduction",
            item: "cap_deduction".into(),
            working: format!(
                "variable pay {} vs cap {}",
                exact(variable),
                standard.cap_variable_pay.map(exact).unwrap_or_else(|| "none".into())
            ),
            value: Some(cap),
        });
        m.total = m.components.iter().copied().sum();
        let parts: Vec<String> = m.components.iter().map(|v| exact(*v)).collect();
        m.trace.push(TraceLine {
            rule: "total",
            item: "total".into(),
            working: parts.join(" + "),
            value: Some(m.total),
        });
    }

    Ok(MonthResult { month, managers: out, accounts: outcomes, accounts_recon: recon })
}
