//! What-if (SPEC §6 `whatif`): the months of a range computed under the standard in force and
//! under a draft, side by side.
//!
//! Takes each month's two [`ComputedMonth`]s (same inputs, same context, two standards); gives a
//! [`WhatIf`]: one [`Line`] per month and manager with both sets of components (without
//! `prior_period`, which no standard changes), and the sums per manager over the range, per
//! team, per month and for the branch. Pure: no I/O.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::compute::ComputedMonth;
use crate::config::Config;
use crate::model::order::natural_cmp;
use crate::model::{Component, Components};

/// The components a standard changes, in report order: every one but `prior_period`.
pub fn components() -> impl Iterator<Item = Component> {
    Component::ALL.into_iter().filter(|c| *c != Component::PriorPeriod)
}

/// Σ of [`components`].
pub fn total(c: &Components) -> Decimal {
    components().map(|k| c.get(k)).sum()
}

/// Anything computed both ways: its totals, the difference and the change.
pub trait TwoWays {
    fn current(&self) -> &Components;
    fn draft(&self) -> &Components;
    fn current_total(&self) -> Decimal {
        total(self.current())
    }
    fn draft_total(&self) -> Decimal {
        total(self.draft())
    }
    fn difference(&self) -> Decimal {
        self.draft_total() - self.current_total()
    }
    /// The change as a share of the current total; `None` when that is 0.
    fn change(&self) -> Option<Decimal> {
        let c = self.current_total();
        (!c.is_zero()).then(|| self.difference() / c.abs())
    }
}

/// The standard a side of the comparison was computed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardId {
    pub name: String,
    pub file: String,
    pub sha256: String,
    /// Decimal places of its amounts.
    pub scale: u32,
}

/// One manager in one month, both ways.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub month: YearMonth,
    pub manager_id: String,
    pub name: String,
    pub team: String,
    pub group: Option<String>,
    /// The roster's level code.
    pub level: String,
    pub current: Components,
    pub draft: Components,
    /// Decimal places of the current and the draft side.
    pub current_scale: u32,
    pub draft_scale: u32,
}

/// A manager over the range: the latest identity and the sums of the months they were paid in.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerSum {
    pub manager_id: String,
    pub name: String,
    pub team: String,
    pub group: Option<String>,
    pub level: String,
    pub months: u32,
    pub current: Components,
    pub draft: Components,
}

impl TwoWays for ManagerSum {
    fn current(&self) -> &Components {
        &self.current
    }
    fn draft(&self) -> &Components {
        &self.draft
    }
}

/// A team, a month or the branch: the sums both ways.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sum {
    pub current: Components,
    pub draft: Components,
    /// Managers paid in it (distinct over the range for a team or the branch).
    pub managers: u32,
}

impl TwoWays for Sum {
    fn current(&self) -> &Components {
        &self.current
    }
    fn draft(&self) -> &Components {
        &self.draft
    }
}

/// How many managers gain or lose how much (by their totals over the range).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Distribution {
    /// More than +10% (or from 0 to more).
    pub gain_over_10: u32,
    /// Up to +10%.
    pub gain_up_to_10: u32,
    pub unchanged: u32,
    /// Up to −10%.
    pub lose_up_to_10: u32,
    /// More than −10% (or from 0 to less).
    pub lose_over_10: u32,
}

/// The whole comparison.
#[derive(Debug, Clone)]
pub struct WhatIf {
    pub from: YearMonth,
    pub to: YearMonth,
    /// The months computed (with inputs), ascending.
    pub months: Vec<YearMonth>,
    /// Months of the range without inputs (not computed).
    pub skipped: Vec<YearMonth>,
    pub draft: StandardId,
    /// The standards in force over the computed months, in order of first use.
    pub current: Vec<StandardId>,
    /// Month order, then report order.
    pub lines: Vec<Line>,
    /// Report order of the latest month each manager appears in.
    pub managers: Vec<ManagerSum>,
    /// Per team (configured order, then natural), then the branch.
    pub teams: Vec<(String, Sum)>,
    pub branch: Sum,
    pub by_month: Vec<(YearMonth, Sum)>,
    pub distribution: Distribution,
    /// Row-level exceptions over the months (the same rows are excluded both ways).
    pub exceptions: usize,
}

fn id(month: &ComputedMonth) -> StandardId {
    let s = &month.standard;
    StandardId { name: s.name.clone(), file: s.file_name(), sha256: s.sha256.clone(), scale: s.rounding.scale }
}

fn without_prior(c: &Components) -> Components {
    let mut c = *c;
    c.prior_period = Decimal::ZERO;
    c
}

/// Compare the months: `pairs` holds, per month with inputs in ascending order, the month as
/// computed under the standard in force and under the draft.
pub fn compare(
    config: &Config,
    from: YearMonth,
    to: YearMonth,
    pairs: &[(ComputedMonth, ComputedMonth)],
    skipped: Vec<YearMonth>,
    draft: StandardId,
) -> WhatIf {
    let mut lines = Vec::new();
    let mut current: Vec<StandardId> = Vec::new();
    let mut by_month = Vec::new();
    let mut exceptions = 0;
    for (cur, dr) in pairs {
        let sid = id(cur);
        if !current.contains(&sid) {
            current.push(sid);
        }
        exceptions += cur.exception_count();
        let drafted: BTreeMap<&str, &Components> =
            dr.managers.iter().map(|m| (m.person.manager_id.as_str(), &m.components)).collect();
        let mut month_sum = Sum::default();
        for m in &cur.managers {
            let d = drafted.get(m.person.manager_id.as_str()).map(|c| without_prior(c)).unwrap_or_default();
            let line = Line {
                month: cur.month,
                manager_id: m.person.manager_id.clone(),
                name: m.person.name.clone(),
                team: m.person.team.clone(),
                group: m.person.group.clone(),
                level: m.level.clone(),
                current: without_prior(&m.components),
                draft: d,
                current_scale: cur.standard.rounding.scale,
                draft_scale: dr.standard.rounding.scale,
            };
            month_sum.current.add(&line.current);
            month_sum.draft.add(&line.draft);
            month_sum.managers += 1;
            lines.push(line);
        }
        by_month.push((cur.month, month_sum));
    }

    // Per manager over the range: identity from the latest month they appear in.
    let mut managers: BTreeMap<String, ManagerSum> = BTreeMap::new();
    for l in &lines {
        let e = managers.entry(l.manager_id.clone()).or_insert_with(|| ManagerSum {
            manager_id: l.manager_id.clone(),
            name: String::new(),
            team: String::new(),
            group: None,
            level: String::new(),
            months: 0,
            current: Components::default(),
            draft: Components::default(),
        });
        e.name = l.name.clone();
        e.team = l.team.clone();
        e.group = l.group.clone();
        e.level = l.level.clone();
        e.months += 1;
        e.current.add(&l.current);
        e.draft.add(&l.draft);
    }
    let mut managers: Vec<ManagerSum> = managers.into_values().collect();
    managers.sort_by(|a, b| {
        crate::compute::report_order_key(config, &a.team, a.group.as_deref(), &a.manager_id)
            .cmp(&crate::compute::report_order_key(config, &b.team, b.group.as_deref(), &b.manager_id))
    });

    // Teams by each month's team (a manager who moves counts in each team they were paid in),
    // so that a team's figures are the sums of its payroll subtotals.
    let mut teams: Vec<(String, Sum)> = Vec::new();
    let mut branch = Sum::default();
    let mut members: std::collections::BTreeSet<(&str, &str)> = Default::default();
    for l in &lines {
        let t = match teams.iter_mut().find(|(t, _)| *t == l.team) {
            Some(t) => t,
            None => {
                teams.push((l.team.clone(), Sum::default()));
                teams.last_mut().expect("just pushed")
            }
        };
        let new_member = members.insert((l.team.as_str(), l.manager_id.as_str()));
        for s in [&mut t.1, &mut branch] {
            s.current.add(&l.current);
            s.draft.add(&l.draft);
        }
        t.1.managers += u32::from(new_member);
    }
    branch.managers = managers.len() as u32;
    let mut distribution = Distribution::default();
    for m in &managers {
        let diff = m.difference();
        let ten = Decimal::new(1, 1);
        match m.change() {
            _ if diff.is_zero() => distribution.unchanged += 1,
            None if diff > Decimal::ZERO => distribution.gain_over_10 += 1,
            None => distribution.lose_over_10 += 1,
            Some(c) if c > ten => distribution.gain_over_10 += 1,
            Some(c) if c > Decimal::ZERO => distribution.gain_up_to_10 += 1,
            Some(c) if c >= -ten => distribution.lose_up_to_10 += 1,
            Some(_) => distribution.lose_over_10 += 1,
        }
    }
    teams.sort_by(|a, b| config.team_rank(&a.0).cmp(&config.team_rank(&b.0)).then_with(|| natural_cmp(&a.0, &b.0)));
    WhatIf {
        from,
        to,
        months: pairs.iter().map(|(c, _)| c.month).collect(),
        skipped,
        draft,
        current,
        lines,
        managers,
        teams,
        branch,
        by_month,
        distribution,
        exceptions,
    }
}

impl WhatIf {
    /// The managers who gain most (largest difference first) and who lose most (most negative
    /// first), at most `n` each; ties by manager id in natural order; nobody unchanged.
    pub fn movers(&self, n: usize) -> (Vec<&ManagerSum>, Vec<&ManagerSum>) {
        let mut gain: Vec<&ManagerSum> = self.managers.iter().filter(|m| m.difference() > Decimal::ZERO).collect();
        gain.sort_by(|a, b| {
            b.difference().cmp(&a.difference()).then_with(|| natural_cmp(&a.manager_id, &b.manager_id))
        });
        gain.truncate(n);
        let mut lose: Vec<&ManagerSum> = self.managers.iter().filter(|m| m.difference() < Decimal::ZERO).collect();
        lose.sort_by(|a, b| {
            a.difference().cmp(&b.difference()).then_with(|| natural_cmp(&a.manager_id, &b.manager_id))
        });
        lose.truncate(n);
        (gain, lose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(current: i64, draft: i64) -> ManagerSum {
        let c = Components { base_salary: Decimal::from(current), ..Default::default() };
        let d =
            Components { base_salary: Decimal::from(draft), prior_period: Decimal::from(999), ..Default::default() };
        ManagerSum {
            manager_id: "M".into(),
            name: String::new(),
            team: String::new(),
            group: None,
            level: String::new(),
            months: 1,
            current: c,
            draft: d,
        }
    }

    #[test]
    fn totals_leave_out_prior_period_and_change_is_against_the_current_total() {
        let m = sum(1000, 1100);
        assert_eq!(m.draft_total(), Decimal::from(1100));
        assert_eq!(m.difference(), Decimal::from(100));
        assert_eq!(m.change(), Some(Decimal::new(1, 1)));
        assert_eq!(sum(0, 5).change(), None);
    }
}
