//! §4.10 applied to the month: the prior-period adjustments (以前月份调整) carried in from
//! corrected closed months, outside the cap.
//!
//! Takes the lines of [`PriorPeriodLine`] (worked out by the ledger) and the month's managers;
//! gives each manager the rounded sum of their lines as the `prior_period` component. A manager
//! not active in the month but with a non-zero sum gets a row of their own (every other amount
//! 0), placed in report order, so that the payroll and the report still foot.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::config::{Config, Schedule, ScheduleMode, Standard};
use crate::ingest::RosterRow;
use crate::model::{Components, Person};

use super::attribution::Active;
use super::carried::PriorPeriodLine;
use super::month::{Credited, ManagerPay, Working};
use super::report_order_key;
use super::rules::base_salary::{base_salary, EmployedDays};
use super::rules::cap::cap_deduction;
use super::rules::commission::commission;
use super::rules::minimum::MinimumPenalty;
use super::rules::other_pay::{asset_bonus, other_revenue_pay};

/// Add the prior-period lines to `managers` (the active ones, in report order): a row for each
/// manager not active in the month whose lines do not sum to 0 — identity from this month's
/// roster when it lists them, else from the line — then the report order again, then each
/// manager's rounded sum.
pub(crate) fn apply(
    config: &Config,
    standard: &Standard,
    month: YearMonth,
    roster: &[RosterRow],
    active: &Active,
    lines: &[PriorPeriodLine],
    managers: &mut Vec<ManagerPay>,
) {
    let mut prior: BTreeMap<&str, Decimal> = BTreeMap::new();
    for l in lines {
        *prior.entry(l.manager_id.as_str()).or_default() += l.amount;
    }
    for (id, amount) in &prior {
        if active.contains(id) || amount.is_zero() {
            continue;
        }
        let listed = roster.iter().find(|r| r.accepted && r.person.manager_id == *id);
        let line = lines.iter().find(|l| l.manager_id == *id).expect("a line of this manager");
        let (person, level, label) = match listed {
            Some(r) => match standard.find_level(&r.level) {
                Some(l) => (r.person.clone(), l.code.clone(), l.label.clone()),
                None => (r.person.clone(), r.level.clone(), r.level.clone()),
            },
            None => (line.person.clone(), line.level.clone(), line.level_label.clone()),
        };
        managers.push(inactive_row(standard, month, person, level, label));
    }
    managers.sort_by_key(|m| report_order_key(config, &m.person.team, m.person.group.as_deref(), &m.person.manager_id));
    let rnd = standard.rounding;
    for m in managers {
        if let Some(v) = prior.get(m.person.manager_id.as_str()) {
            m.components.prior_period = rnd.round(*v);
        }
    }
}

/// The row of a manager who is not active in the month but has a prior-period adjustment: every
/// amount 0 but that one.
fn inactive_row(
    standard: &Standard,
    month: YearMonth,
    person: Person,
    level: String,
    level_label: String,
) -> ManagerPay {
    let rnd = standard.rounding;
    let days = EmployedDays { days_in_month: month.days(), employed: 0, probation: 0 };
    let zero = Decimal::ZERO;
    let schedule = Schedule { name: String::new(), mode: ScheduleMode::Marginal, tiers: Vec::new() };
    ManagerPay {
        person,
        level,
        level_label,
        credited: Credited::default(),
        new_accounts: 0,
        valid_accounts: 0,
        components: Components::default(),
        total: zero,
        working: Working {
            base_salary: base_salary(zero, standard.probation_base_ratio, days, rnd),
            minimum_penalty: MinimumPenalty { test: None, value: zero },
            commission: commission(&schedule, zero, rnd),
            other_revenue_pay: other_revenue_pay(zero, standard.other_revenue_rate, rnd),
            account_bonus_exact: zero,
            asset_bonus: asset_bonus(zero, standard.asset_bonus_rate, standard.asset_bonus_cap, rnd),
            adjustment_rows: 0,
            adjustments_exact: zero,
            leader_override: None,
            cap_deduction: cap_deduction(zero, None, rnd),
        },
        rows: Vec::new(),
        duty_score: None,
        active: false,
    }
}
