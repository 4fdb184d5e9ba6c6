//! The working of every rule of a manager's month, in words: the lines of 计算明细 and of
//! `explain`.
//!
//! Takes a computed manager ([`ManagerPay`]); gives one [`TraceLine`] per input and result of
//! each rule of SPEC §4, in the order the rules apply.

use rust_decimal::Decimal;

use crate::compute::rules::leader::LeaderOverride;
use crate::compute::rules::minimum::MinimumOutcome;
use crate::compute::{ManagerPay, PriorPeriodLine};
use crate::config::ScheduleMode;
use crate::model::Component;
use crate::money::exact;

/// One line of a manager's calculation: which rule, what, the working, the result.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceLine {
    pub rule: &'static str,
    pub item: String,
    pub working: String,
    pub value: Option<Decimal>,
}

/// Adds one line: rule, item, working, result.
type AddLine<'a> = dyn FnMut(&'static str, &str, String, Option<Decimal>) + 'a;

/// Every line of a manager's calculation; `prior` holds the month's prior-period lines (those
/// of the manager are shown).
pub fn trace(m: &ManagerPay, prior: &[PriorPeriodLine]) -> Vec<TraceLine> {
    let mut out = Vec::new();
    let mut line = |rule: &'static str, item: &str, working: String, value: Option<Decimal>| {
        out.push(TraceLine { rule, item: item.to_string(), working, value });
    };
    let prior_lines = |line: &mut AddLine<'_>| {
        for l in prior.iter().filter(|l| l.manager_id == m.person.manager_id) {
            line(
                "prior_period",
                "prior_period",
                format!(
                    "{}: recomputed {} − closed {} − carried before {} = {}",
                    l.month,
                    exact(l.recomputed.total()),
                    exact(l.closed.total()),
                    exact(l.carried_before),
                    exact(l.amount)
                ),
                Some(l.amount),
            );
        }
    };
    if !m.active {
        line("prior_period", "not active", "not active in the month: only the prior-period adjustment".into(), None);
        prior_lines(&mut line);
        line("total", "total", exact(m.total), Some(m.total));
        return out;
    }
    let c = &m.credited;
    let w = &m.working;
    let nr = c.net_revenue();
    line("attribution", "crm rows credited", format!("{}", c.rows), None);
    line("attribution", "net_commission (NC)", exact(c.net_commission), Some(c.net_commission));
    line("attribution", "other_revenue (OR)", exact(c.other_revenue), Some(c.other_revenue));
    line("attribution", "net_revenue (NR = NC + OR)", exact(nr), Some(nr));
    line("attribution", "net_inflow (NI)", exact(c.net_inflow), Some(c.net_inflow));
    line("attribution", "month_end_assets", exact(c.month_end_assets), Some(c.month_end_assets));

    // §4.2
    let b = &w.base_salary;
    let days = b.days;
    line("base_salary", "level", format!("{} {} base {}", m.level, m.level_label, exact(b.level_base)), None);
    line(
        "base_salary",
        "days",
        format!(
            "{} employed of {} (hire {}, 转正 {}, leave {}); {} on probation × {}",
            days.employed,
            days.days_in_month,
            m.person.hire_date,
            m.person.regular_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            m.person.leave_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            days.probation,
            exact(b.probation_ratio)
        ),
        None,
    );
    line(
        "base_salary",
        "base_salary",
        format!(
            "{} / {} × ({} + {} × {}) = {}",
            exact(b.level_base),
            days.days_in_month,
            days.employed - days.probation,
            days.probation,
            exact(b.probation_ratio),
            exact(b.exact)
        ),
        Some(b.value),
    );

    // §4.3
    let p = &w.minimum_penalty;
    match &p.test {
        None => line("minimum_penalty", "minimum_penalty", "no [minimum] in the standard".into(), Some(p.value)),
        Some(t) => {
            let why = format!(
                "valid accounts {} {} {}, NR {} {} {}",
                t.valid_accounts,
                if t.valid_accounts_missed() { "<" } else { "≥" },
                t.min_valid_accounts,
                exact(t.net_revenue),
                if t.net_revenue_missed() { "<" } else { "≥" },
                exact(t.min_net_revenue)
            );
            let text = match &t.outcome {
                MinimumOutcome::ExemptHired(month) => format!("{why}; exempt: hired in {month}"),
                MinimumOutcome::ExemptBaseZero => format!("{why}; exempt: base salary 0"),
                MinimumOutcome::BothMissed { base, ratio } => {
                    format!("{why}: both missed: −{} × {}", exact(*base), exact(*ratio))
                }
                MinimumOutcome::NotBothMissed => format!("{why}: not both missed"),
            };
            line("minimum_penalty", "minimum_penalty", text, Some(p.value));
        }
    }

    // §4.4
    let k = &w.commission;
    let mode = match k.mode {
        ScheduleMode::Marginal => "marginal",
        ScheduleMode::Whole => "whole",
    };
    if k.parts.is_empty() {
        line(
            "net_commission_pay",
            "schedule",
            format!("{} ({mode}): NC {} ≤ 0", k.schedule, exact(k.net_commission)),
            None,
        );
    }
    for t in &k.parts {
        let bounds = match t.up_to {
            Some(u) => format!("({}, {}]", exact(t.from), exact(u)),
            None => format!("({}, ∞)", exact(t.from)),
        };
        line(
            "net_commission_pay",
            "tier",
            format!("{} ({mode}) tier {bounds}: {} × {} = {}", k.schedule, exact(t.base), t.rate, exact(t.amount)),
            None,
        );
    }
    line("net_commission_pay", "net_commission_pay", exact(k.exact), Some(k.value));

    // §4.6
    let o = &w.other_revenue_pay;
    line(
        "other_revenue_pay",
        "other_revenue_pay",
        format!("max({}, 0) × {} = {}", exact(o.other_revenue), exact(o.rate), exact(o.exact)),
        Some(o.value),
    );
    line("account_bonus", "accounts", format!("{} new, {} valid", m.new_accounts, m.valid_accounts), None);
    line(
        "account_bonus",
        "account_bonus",
        exact(w.account_bonus_exact),
        Some(m.components.get(Component::AccountBonus)),
    );
    let a = &w.asset_bonus;
    line(
        "asset_bonus",
        "asset_bonus",
        format!(
            "min(max({}, 0) × {}, {}) = {}",
            exact(a.net_inflow),
            exact(a.rate),
            a.cap.map(exact).unwrap_or_else(|| "no cap".into()),
            exact(a.exact)
        ),
        Some(a.value),
    );
    line(
        "adjustments",
        "adjustments",
        format!("{} row(s): {}", w.adjustment_rows, exact(w.adjustments_exact)),
        Some(m.components.get(Component::Adjustments)),
    );
    match &w.leader_override {
        None => {}
        Some(LeaderOverride::Group { team, group, members, others_pay, rate, exact: e, value }) => line(
            "leader_override",
            "leader_override",
            format!(
                "{} × Σ net_commission_pay of {members} other member(s) of {team}/{group} {} = {}",
                exact(*rate),
                exact(*others_pay),
                exact(*e)
            ),
            Some(*value),
        ),
        Some(LeaderOverride::NoGroup) => {
            line("leader_override", "leader_override", "group leader without a group".into(), Some(Decimal::ZERO))
        }
    }
    let cap = &w.cap_deduction;
    line(
        "cap_deduction",
        "cap_deduction",
        format!("variable pay {} vs cap {}", exact(cap.variable), cap.cap.map(exact).unwrap_or_else(|| "none".into())),
        Some(cap.value),
    );
    prior_lines(&mut line);
    let parts: Vec<String> = Component::ALL.iter().map(|c| exact(m.components.get(*c))).collect();
    line("total", "total", parts.join(" + "), Some(m.total));
    out
}
