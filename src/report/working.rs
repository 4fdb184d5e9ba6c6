//! The working of every rule of a manager's month, in the report's words: the lines of
//! 计算明细, of `explain` and of the pay statements.
//!
//! Takes a computed month and one of its managers ([`ManagerPay`]); gives one [`TraceLine`] per
//! input and result of each rule of SPEC §4, in the order the rules apply. Amounts carry
//! thousands separators and the standard's decimals, rates read as rates, every term of a sum is
//! labelled; the sentences are the locale's ([`Words`]).

use rust_decimal::Decimal;

use super::labels::{labels, Labels};
use super::words::{fill, month_zh, words, Words};
use crate::calendar::{Date, YearMonth};
use crate::compute::rules::leader::LeaderOverride;
use crate::compute::rules::minimum::MinimumOutcome;
use crate::compute::{AccountOutcome, AdjustmentLine, ComputedMonth, ManagerPay};
use crate::config::{Locale, ScheduleMode};
use crate::lookup::Lookup;
use crate::model::{Component, Metric};
use crate::money::{grouped, percent, Rounding};

/// Which rule a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Attribution,
    /// A manager not active in the month (a row only for a prior-period adjustment).
    Status,
    Component(Component),
    Total,
}

/// One line of a manager's calculation: which rule, what, the working, the result.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceLine {
    pub rule: Rule,
    pub item: String,
    pub working: String,
    pub value: Option<Decimal>,
}

/// How figures are written in one locale under one standard.
#[derive(Debug, Clone, Copy)]
pub struct Speaker {
    pub locale: Locale,
    pub words: &'static Words,
    pub labels: &'static Labels,
    pub rounding: Rounding,
}

impl Speaker {
    pub fn new(locale: Locale, rounding: Rounding) -> Self {
        Speaker { locale, words: words(locale), labels: labels(locale), rounding }
    }
    /// An amount with separators and the standard's decimals (intermediate figures are shown
    /// rounded as the rule will round them; the computation keeps them exact).
    pub fn amount(&self, v: Decimal) -> String {
        grouped(self.rounding.round(v))
    }
    pub fn rate(&self, v: Decimal) -> String {
        percent(v)
    }
    pub fn month(&self, m: YearMonth) -> String {
        match self.locale {
            Locale::ZhCn => month_zh(m),
            Locale::En => m.to_string(),
        }
    }
    fn date(&self, d: Option<Date>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| self.words.no_date.to_string())
    }
    /// The name of a rule.
    pub fn rule(&self, r: Rule) -> &'static str {
        match r {
            Rule::Attribution => self.words.rule_attribution,
            Rule::Status => self.words.rule_status,
            Rule::Component(c) => self.labels.columns.component(c),
            Rule::Total => self.words.rule_total,
        }
    }
    /// `label value + label value … = total`, the zero terms left out.
    pub fn labelled_sum(&self, terms: &[(&str, Decimal)], total: Decimal) -> String {
        let parts: Vec<String> =
            terms.iter().filter(|(_, v)| !v.is_zero()).map(|(l, v)| format!("{l} {}", self.amount(*v))).collect();
        if parts.is_empty() {
            return format!("{} = {}", self.words.all_zero, self.amount(total));
        }
        format!("{} = {}", parts.join(" + "), self.amount(total))
    }
}

/// Adds one line: rule, item, working, result.
type AddLine<'a> = dyn FnMut(Rule, &str, String, Option<Decimal>) + 'a;

/// A month's new accounts and adjustment rows by manager, each in file order: made once for a
/// report, so that the working of 5,000 managers does not walk the month's accounts 5,000 times.
pub struct ByManager<'a> {
    accounts: Lookup<&'a str, Vec<&'a AccountOutcome>>,
    adjustments: Lookup<&'a str, Vec<&'a AdjustmentLine>>,
}

impl<'a> ByManager<'a> {
    pub fn of(month: &'a ComputedMonth) -> Self {
        let mut accounts: Lookup<&str, Vec<&AccountOutcome>> = Lookup::new();
        for a in &month.accounts {
            accounts.get_or_insert_with(a.manager_id.as_str(), Vec::new).push(a);
        }
        let mut adjustments: Lookup<&str, Vec<&AdjustmentLine>> = Lookup::new();
        for a in &month.adjustments {
            adjustments.get_or_insert_with(a.manager_id.as_str(), Vec::new).push(a);
        }
        ByManager { accounts, adjustments }
    }

    fn accounts(&self, id: &str) -> &[&'a AccountOutcome] {
        self.accounts.get(id).map_or(&[], Vec::as_slice)
    }

    fn adjustments(&self, id: &str) -> &[&'a AdjustmentLine] {
        self.adjustments.get(id).map_or(&[], Vec::as_slice)
    }
}

/// Every line of a manager's calculation (`by`: the month's rows by manager, [`ByManager::of`]
/// the month).
pub fn trace(month: &ComputedMonth, by: &ByManager<'_>, m: &ManagerPay, s: &Speaker) -> Vec<TraceLine> {
    let w = s.words;
    let cols = &s.labels.columns;
    let mut out = Vec::new();
    let mut line = |rule: Rule, item: &str, working: String, value: Option<Decimal>| {
        out.push(TraceLine { rule, item: item.to_string(), working, value });
    };
    let id = m.person.manager_id.as_str();
    let prior_item = cols.component(Component::PriorPeriod);
    let prior_lines = |line: &mut AddLine<'_>| {
        for l in month.prior_period.iter().filter(|l| l.manager_id == id) {
            let text = fill(
                w.prior_working,
                &[
                    ("month", &s.month(l.month)),
                    ("recomputed", &s.amount(l.recomputed.total())),
                    ("closed", &s.amount(l.closed.total())),
                    ("carried", &s.amount(l.carried_before)),
                    ("amount", &s.amount(l.amount)),
                ],
            );
            line(Rule::Component(Component::PriorPeriod), prior_item, text, Some(l.amount));
        }
    };
    if !m.active {
        line(Rule::Status, w.not_active, w.not_active_working.to_string(), None);
        prior_lines(&mut line);
        let text = s.labelled_sum(&[(prior_item, m.components.get(Component::PriorPeriod))], m.total);
        line(Rule::Total, cols.total, text, Some(m.total));
        return out;
    }
    let c = &m.credited;
    let wk = &m.working;
    let nr = c.net_revenue();

    // §4.1
    let a = Rule::Attribution;
    line(a, w.crm_rows, fill(w.crm_rows_working, &[("rows", &c.rows.to_string())]), None);
    // The metrics as the payroll shows them: each rounded on its own.
    let r = |v: Decimal| Some(s.rounding.round(v));
    line(a, cols.metric(Metric::NetCommission), s.amount(c.net_commission), r(c.net_commission));
    line(a, cols.metric(Metric::OtherRevenue), s.amount(c.other_revenue), r(c.other_revenue));
    let text = fill(
        w.net_revenue_working,
        &[
            ("nc_label", cols.metric(Metric::NetCommission)),
            ("nc", &s.amount(c.net_commission)),
            ("or_label", cols.metric(Metric::OtherRevenue)),
            ("or", &s.amount(c.other_revenue)),
            ("nr", &s.amount(nr)),
        ],
    );
    line(a, cols.metric(Metric::NetRevenue), text, r(nr));
    line(a, cols.metric(Metric::NetInflow), s.amount(c.net_inflow), r(c.net_inflow));
    line(a, cols.metric(Metric::MonthEndAssets), s.amount(c.month_end_assets), r(c.month_end_assets));

    // §4.2
    let rule = Rule::Component(Component::BaseSalary);
    let b = &wk.base_salary;
    let days = b.days;
    let text =
        fill(w.level_working, &[("label", &m.level_label), ("code", &m.level), ("base", &s.amount(b.level_base))]);
    line(rule, w.level, text, None);
    let text = fill(
        w.days_working,
        &[
            ("days", &days.days_in_month.to_string()),
            ("employed", &days.employed.to_string()),
            ("hire", &m.person.hire_date.to_string()),
            ("regular", &s.date(m.person.regular_date)),
            ("leave", &s.date(m.person.leave_date)),
            ("probation", &days.probation.to_string()),
            ("ratio", &s.rate(b.probation_ratio)),
        ],
    );
    line(rule, w.days, text, None);
    let text = fill(
        w.base_working,
        &[
            ("base", &s.amount(b.level_base)),
            ("days", &days.days_in_month.to_string()),
            ("regular_days", &(days.employed - days.probation).to_string()),
            ("probation", &days.probation.to_string()),
            ("ratio", &s.rate(b.probation_ratio)),
            ("exact", &s.amount(b.exact)),
        ],
    );
    line(rule, cols.components.base_salary, text, Some(b.value));

    // §4.3
    let rule = Rule::Component(Component::MinimumPenalty);
    let p = &wk.minimum_penalty;
    let text = match &p.test {
        None => w.minimum_none.to_string(),
        Some(t) => {
            let result = |missed: bool| if missed { w.missed } else { w.met };
            let test = fill(
                w.minimum_test,
                &[
                    ("valid", &t.valid_accounts.to_string()),
                    ("min_valid", &t.min_valid_accounts.to_string()),
                    ("valid_result", result(t.valid_accounts_missed())),
                    ("nr", &s.amount(t.net_revenue)),
                    ("min_nr", &s.amount(t.min_net_revenue)),
                    ("nr_result", result(t.net_revenue_missed())),
                ],
            );
            let outcome = match &t.outcome {
                MinimumOutcome::ExemptHired(hired) => fill(w.exempt_hired, &[("month", &s.month(*hired))]),
                MinimumOutcome::ExemptBaseZero => w.exempt_base_zero.to_string(),
                MinimumOutcome::BothMissed { base, ratio } => {
                    fill(w.both_missed, &[("base", &s.amount(*base)), ("ratio", &s.rate(*ratio))])
                }
                MinimumOutcome::NotBothMissed => w.not_both_missed.to_string(),
            };
            format!("{test}{}{outcome}", w.then)
        }
    };
    line(rule, cols.components.minimum_penalty, text, Some(p.value));

    // §4.4
    let rule = Rule::Component(Component::NetCommissionPay);
    let k = &wk.commission;
    let mode = match k.mode {
        ScheduleMode::Marginal => w.marginal,
        ScheduleMode::Whole => w.whole,
    };
    if k.parts.is_empty() {
        let text = fill(
            w.schedule_nothing,
            &[("schedule", w.schedule_name(&k.schedule)), ("mode", mode), ("nc", &s.amount(k.net_commission))],
        );
        line(rule, w.schedule, text, None);
    }
    for (n, t) in k.parts.iter().enumerate() {
        let to = t.up_to.map(|u| s.amount(u)).unwrap_or_else(|| w.tier_open.to_string());
        let text = fill(
            w.tier_working,
            &[
                ("schedule", w.schedule_name(&k.schedule)),
                ("mode", mode),
                ("from", &s.amount(t.from)),
                ("to", &to),
                ("base", &s.amount(t.base)),
                ("rate", &s.rate(t.rate)),
                ("amount", &s.amount(t.amount)),
            ],
        );
        line(rule, &fill(w.tier, &[("n", &(n + 1).to_string())]), text, None);
    }
    line(rule, cols.components.net_commission_pay, fill(w.tiers_sum, &[("exact", &s.amount(k.exact))]), Some(k.value));

    // §4.6
    let o = &wk.other_revenue_pay;
    let text = fill(
        w.other_pay_working,
        &[("or", &s.amount(o.other_revenue)), ("rate", &s.rate(o.rate)), ("exact", &s.amount(o.exact))],
    );
    line(Rule::Component(Component::OtherRevenuePay), cols.components.other_revenue_pay, text, Some(o.value));

    // §4.5: the valid accounts by type, each type's bonus.
    let rule = Rule::Component(Component::AccountBonus);
    let text =
        fill(w.accounts_working, &[("new", &m.new_accounts.to_string()), ("valid", &m.valid_accounts.to_string())]);
    line(rule, w.accounts, text, None);
    let mut by_type: Vec<(&str, u32, Decimal, Decimal)> = Vec::new();
    for acc in by.accounts(id).iter().filter(|a| a.valid.is_ok()) {
        match by_type.iter_mut().find(|t| t.0 == acc.account_type) {
            Some(t) => {
                t.1 += 1;
                t.3 += acc.bonus;
            }
            None => by_type.push((acc.account_type.as_str(), 1, acc.bonus, acc.bonus)),
        }
    }
    let bonus = m.components.get(Component::AccountBonus);
    let text = if by_type.is_empty() {
        w.no_valid_accounts.to_string()
    } else {
        by_type
            .iter()
            .map(|(ty, n, each, sum)| {
                fill(
                    w.account_type_working,
                    &[("type", ty), ("n", &n.to_string()), ("bonus", &s.amount(*each)), ("amount", &s.amount(*sum))],
                )
            })
            .collect::<Vec<_>>()
            .join(w.then)
    };
    line(rule, cols.components.account_bonus, text, Some(bonus));

    let ab = &wk.asset_bonus;
    let raw = ab.net_inflow.max(Decimal::ZERO) * ab.rate;
    let cap = ab.cap.map(|c| s.amount(c)).unwrap_or_else(|| w.asset_no_cap.to_string());
    let text = fill(
        w.asset_working,
        &[("ni", &s.amount(ab.net_inflow)), ("rate", &s.rate(ab.rate)), ("raw", &s.amount(raw)), ("cap", &cap)],
    );
    line(Rule::Component(Component::AssetBonus), cols.components.asset_bonus, text, Some(ab.value));

    let rule = Rule::Component(Component::Adjustments);
    for a in by.adjustments(id) {
        let text = fill(
            w.adjustment_row,
            &[("file", &a.file), ("row", &a.row.to_string()), ("category", &a.category), ("reason", &a.reason)],
        );
        line(rule, cols.components.adjustments, text, Some(a.amount));
    }
    let text = fill(
        w.adjustments_working,
        &[("n", &wk.adjustment_rows.to_string()), ("exact", &s.amount(wk.adjustments_exact))],
    );
    line(rule, cols.components.adjustments, text, Some(m.components.get(Component::Adjustments)));

    let rule = Rule::Component(Component::LeaderOverride);
    match &wk.leader_override {
        None => {}
        Some(LeaderOverride::Group { team, group, members, others_pay, rate, exact, value }) => {
            let text = fill(
                w.leader_working,
                &[
                    ("team", team),
                    ("group", group),
                    ("members", &members.to_string()),
                    ("others", &s.amount(*others_pay)),
                    ("rate", &s.rate(*rate)),
                    ("exact", &s.amount(*exact)),
                ],
            );
            line(rule, cols.components.leader_override, text, Some(*value));
        }
        Some(LeaderOverride::NoGroup) => {
            line(rule, cols.components.leader_override, w.leader_no_group.to_string(), Some(Decimal::ZERO))
        }
    }

    let cap = &wk.cap_deduction;
    let text = match cap.cap {
        Some(limit) => fill(
            w.cap_working,
            &[
                ("variable", &s.amount(cap.variable)),
                ("cap", &s.amount(limit)),
                ("over", &s.amount((cap.variable - limit).max(Decimal::ZERO))),
            ],
        ),
        None => w.cap_none.to_string(),
    };
    line(Rule::Component(Component::CapDeduction), cols.components.cap_deduction, text, Some(cap.value));

    let rule = Rule::Component(Component::Clawback);
    let min = month.standard.clawback.as_ref().map(|c| s.amount(c.min_month_end_assets)).unwrap_or_default();
    for l in month.clawback.iter().filter(|l| l.charged && l.account.manager_id == id) {
        let a = &l.account;
        let (paid, bonus) = (s.month(a.month), s.amount(a.bonus));
        let mut words =
            vec![("month", paid.as_str()), ("client", &a.client_id), ("type", &a.account_type), ("bonus", &bonus)];
        let assets = l.assets.map(|v| s.amount(v)).unwrap_or_default();
        let template = match l.assets {
            Some(_) => {
                words.extend([("assets", assets.as_str()), ("min", min.as_str())]);
                w.clawback_low
            }
            None => w.clawback_absent,
        };
        line(rule, cols.components.clawback, fill(template, &words), Some(-a.bonus));
    }

    prior_lines(&mut line);

    let terms: Vec<(&str, Decimal)> =
        Component::ALL.iter().map(|c| (cols.component(*c), m.components.get(*c))).collect();
    line(Rule::Total, cols.total, s.labelled_sum(&terms, m.total), Some(m.total));
    out
}
