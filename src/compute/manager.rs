//! §4.2–4.5 for each active manager: the rules that need only the manager's own figures.
//!
//! Takes the active managers in report order and their tallies of §4.1 (by value: the credited
//! rows move into the result); gives each one's [`ManagerPay`] with its base salary, minimum
//! penalty, net-commission pay, other-revenue pay, account bonus, asset bonus and adjustments,
//! and the working of each. The rules that need the whole month (prior period, clawback, leader
//! override, cap) come after, and the total last. Refuses a roster level the standard does not
//! define ([`ComputeError`]).

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::config::{Level, Standard};
use crate::ingest::{InputFile, RosterRow};
use crate::model::Components;

use super::attribution::{Active, Tally};
use super::month::{ComputeError, ManagerPay, Working};
use super::rules::base_salary::{base_salary, employed_days};
use super::rules::cap::cap_deduction;
use super::rules::commission::commission;
use super::rules::minimum::minimum_penalty;
use super::rules::other_pay::{asset_bonus, other_revenue_pay};

/// Each active manager's pay before the rules that need the whole month, in report order.
///
/// # Errors
/// The first manager, in report order, whose roster level the standard does not know.
pub(crate) fn pay_each(
    standard: &Standard,
    month: YearMonth,
    files: &[InputFile],
    active: &Active,
    tally: Vec<Tally>,
) -> Result<Vec<ManagerPay>, ComputeError> {
    let mut managers: Vec<ManagerPay> = Vec::with_capacity(active.len());
    for (r, t) in active.rows().iter().zip(tally) {
        let level = standard.find_level(&r.level).ok_or_else(|| ComputeError::UnknownLevel {
            standard: standard.file.clone().into_boxed_path(),
            file: super::file_label(files, r.file),
            row: r.row,
            level: r.level.clone(),
            manager: r.person.manager_id.clone(),
            levels: standard.levels.values().map(|l| format!("{} {}", l.code, l.label)).collect(),
        })?;
        let (components, working) = manager_month(standard, month, r, level, &t);
        managers.push(ManagerPay {
            person: r.person.clone(),
            level: level.code.clone(),
            level_label: level.label.clone(),
            credited: t.credited,
            new_accounts: t.accounts.new,
            valid_accounts: t.accounts.valid,
            components,
            total: Decimal::ZERO,
            working,
            rows: t.rows,
            duty_score: t.duty_score,
            active: true,
        });
    }
    Ok(managers)
}

/// The pay of one manager before the rules that need the whole group (leader override, cap).
fn manager_month(
    standard: &Standard,
    month: YearMonth,
    r: &RosterRow,
    level: &Level,
    tally: &Tally,
) -> (Components, Working) {
    let rnd = standard.rounding;
    let schedule = &standard.schedules[&level.schedule];
    let credited = &tally.credited;
    let days = employed_days(month, r.person.hire_date, r.person.regular_date, r.person.leave_date);
    let base = base_salary(level.base_salary, standard.probation_base_ratio, days, rnd);
    let minimum = minimum_penalty(
        standard.minimum.as_ref(),
        month,
        r.person.hire_date,
        base.value,
        tally.accounts.valid,
        credited.net_revenue(),
        rnd,
    );
    let commission = commission(schedule, credited.net_commission, rnd);
    let other = other_revenue_pay(credited.other_revenue, standard.other_revenue_rate, rnd);
    let assets = asset_bonus(credited.net_inflow, standard.asset_bonus_rate, standard.asset_bonus_cap, rnd);
    let components = Components {
        base_salary: base.value,
        minimum_penalty: minimum.value,
        net_commission_pay: commission.value,
        other_revenue_pay: other.value,
        account_bonus: rnd.round(tally.accounts.bonus),
        asset_bonus: assets.value,
        leader_override: Decimal::ZERO,
        cap_deduction: Decimal::ZERO,
        adjustments: rnd.round(tally.adjustments.amount),
        clawback: Decimal::ZERO,
        prior_period: Decimal::ZERO,
    };
    let working = Working {
        base_salary: base,
        minimum_penalty: minimum,
        commission,
        other_revenue_pay: other,
        account_bonus_exact: tally.accounts.bonus,
        asset_bonus: assets,
        adjustment_rows: tally.adjustments.rows,
        adjustments_exact: tally.adjustments.amount,
        leader_override: None,
        cap_deduction: cap_deduction(Decimal::ZERO, None, rnd),
    };
    (components, working)
}
