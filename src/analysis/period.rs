//! 团队分析 of a half-year or a year (SPEC §5 item 4; guideline article 6: the team's monthly,
//! half-year and annual business analysis): in June the first half, in December the second half
//! and the year.
//!
//! Takes the summaries of the period's months and of the same months a year earlier (`None`
//! where a month has no inputs); gives a [`PeriodAnalysis`]: per team, group and outlet the flows
//! summed over the period's months with inputs and the stocks at its last month, against the same
//! period a year earlier where its months have inputs; the accounts by type, the recoveries and
//! the plan over the period; every personnel change of the period (each month against the month
//! before it); the managers ranked over the period; the months side by side. Pure, like the
//! monthly analysis ([`super::team`]), whose group-bys it reuses month by month: every figure is
//! a sum of the months' figures as their own reports show them, so the period's team totals are
//! the sums of the months' payroll subtotals.

use std::collections::BTreeMap;

use polars::prelude::PolarsResult;
use rust_decimal::Decimal;

use super::team::{
    accounts_by_type, add_flows, by_key, clawback_by_team, personnel_changes, Aggregate, Change, PlanLine,
};
use super::{ManagerFigures, MonthSummary};
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::model::order::natural_cmp;
use crate::model::TeamMetric;

/// Which part of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeriodKind {
    /// January to June (上半年), reported in June.
    FirstHalf,
    /// July to December (下半年), reported in December.
    SecondHalf,
    /// January to December (全年), reported in December.
    Year,
}

/// A half-year or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
}

impl Period {
    /// The periods whose report a month's run writes: June ends the first half, December the
    /// second half and the year; any other month none.
    pub fn ending_in(m: YearMonth) -> Vec<Period> {
        match m.month {
            6 => vec![Period { year: m.year, kind: PeriodKind::FirstHalf }],
            12 => vec![
                Period { year: m.year, kind: PeriodKind::SecondHalf },
                Period { year: m.year, kind: PeriodKind::Year },
            ],
            _ => Vec::new(),
        }
    }

    /// Its months, in order.
    pub fn months(&self) -> Vec<YearMonth> {
        let (first, last) = match self.kind {
            PeriodKind::FirstHalf => (1, 6),
            PeriodKind::SecondHalf => (7, 12),
            PeriodKind::Year => (1, 12),
        };
        (first..=last).filter_map(|m| YearMonth::new(self.year, m)).collect()
    }

    /// The same period a year earlier.
    pub fn a_year_earlier(&self) -> Period {
        Period { year: self.year - 1, kind: self.kind }
    }

    /// As file names write it: `2026H1`, `2026H2`, `2026`.
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::FirstHalf => format!("{}H1", self.year),
            PeriodKind::SecondHalf => format!("{}H2", self.year),
            PeriodKind::Year => self.year.to_string(),
        }
    }
}

/// The earlier months the period reports of `month` need besides the monthly analysis's: the
/// months of the same periods a year earlier, and the month before each period (its first
/// month's personnel changes are against it).
pub fn months_needed(month: YearMonth) -> Vec<YearMonth> {
    let mut v = Vec::new();
    for p in Period::ending_in(month) {
        v.extend(p.a_year_earlier().months());
        v.extend(p.months().into_iter().filter(|m| *m < month));
        if let Some(first) = p.months().first() {
            v.push(first.prev());
        }
    }
    v.sort();
    v.dedup();
    v
}

/// The figures of one team, group, outlet or the branch over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodAggregate {
    /// team; team and group; or outlet — empty for the branch.
    pub key: Vec<String>,
    /// The flows ([`TeamMetric::is_flow`]) summed over the period's months with inputs (its stock
    /// fields are 0).
    pub flows: Aggregate,
    /// At the period's last month (zeros when the key has nobody then); `None` when that month
    /// has no inputs.
    pub stocks: Option<Aggregate>,
    /// The headcount averaged over the period's months with inputs (net revenue per head is the
    /// period's net revenue over it); `None` without people.
    pub average_headcount: Option<Decimal>,
}

impl PeriodAggregate {
    /// A figure over the period: a flow's sum, a stock at the last month, the pay ratio of the
    /// sums, the net revenue per average head; `None` where it is not defined.
    pub fn value(&self, m: TeamMetric) -> Option<Decimal> {
        let stock = |f: fn(&Aggregate) -> Decimal| self.stocks.as_ref().map(f);
        match m {
            TeamMetric::Headcount => stock(|a| a.headcount.into()),
            TeamMetric::Employees => stock(|a| a.employees.into()),
            TeamMetric::Probation => stock(|a| a.probation.into()),
            TeamMetric::PartTime => stock(|a| a.part_time.into()),
            TeamMetric::MonthEndAssets => stock(|a| a.month_end_assets),
            TeamMetric::NewAccounts => Some(self.flows.new_accounts.into()),
            TeamMetric::ValidAccounts => Some(self.flows.valid_accounts.into()),
            TeamMetric::NetInflow => Some(self.flows.net_inflow),
            TeamMetric::NetCommission => Some(self.flows.net_commission),
            TeamMetric::NetRevenue => Some(self.flows.net_revenue),
            TeamMetric::TotalPay => Some(self.flows.total_pay),
            TeamMetric::PayRatio => self.flows.pay_ratio(),
            TeamMetric::RevenuePerHead => {
                self.average_headcount.filter(|h| *h > Decimal::ZERO).map(|h| self.flows.net_revenue / h)
            }
        }
    }
}

/// One side of the comparison: the period, or the same period a year earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodSide {
    pub period: Period,
    /// Its months with inputs, and those without.
    pub with_inputs: Vec<YearMonth>,
    pub missing: Vec<YearMonth>,
    /// Teams then the branch.
    pub teams: Vec<PeriodAggregate>,
    pub groups: Vec<PeriodAggregate>,
    pub outlets: Vec<PeriodAggregate>,
}

/// A manager over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodRank {
    /// The manager's latest month of the period (identity, team, level).
    pub manager: ManagerFigures,
    /// Months of the period with a payroll row.
    pub months: u32,
    pub net_revenue: Decimal,
    pub net_commission: Decimal,
    pub valid_accounts: u32,
    pub net_inflow: Decimal,
    pub total: Decimal,
}

/// Everything a half-year or annual team report shows.
#[derive(Debug, Clone)]
pub struct PeriodAnalysis {
    pub current: PeriodSide,
    /// The same period a year earlier; `None` when none of its months has inputs.
    pub last_year: Option<PeriodSide>,
    /// (team, account type, new, valid) over the period.
    pub accounts_by_type: Vec<(String, String, u32, u32)>,
    /// (team, accounts recovered, amount) over the period (§4.9); empty when none.
    pub clawback: Vec<(String, u32, Decimal)>,
    /// Plan vs actual over the period: the months' plans summed (`None`: no month of the period
    /// has a plan for the item).
    pub plan: Vec<PlanLine>,
    /// Each month of the period with inputs and its personnel changes against the month before
    /// it (`None` when that month has no inputs).
    pub changes: Vec<(YearMonth, Option<Vec<Change>>)>,
    /// The managers by the period's net revenue, highest first (ties by manager_id, natural).
    pub ranking: Vec<PeriodRank>,
    /// The period's months side by side: teams then the branch (`None`: no inputs).
    pub by_month: Vec<(YearMonth, Option<Vec<Aggregate>>)>,
}

/// The aggregates of one month, by team (and the branch), group and outlet.
#[derive(Debug, Clone)]
struct MonthAggregates {
    teams: Vec<Aggregate>,
    groups: Vec<Aggregate>,
    outlets: Vec<Aggregate>,
}

/// The months' aggregates, each grouped once however many periods and sides use it.
pub struct Aggregates<'g, 'a> {
    get: &'g dyn Fn(YearMonth) -> Option<&'a MonthSummary>,
    scale: u32,
    done: BTreeMap<YearMonth, Option<MonthAggregates>>,
}

impl<'g, 'a> Aggregates<'g, 'a> {
    /// `get` gives a month's summary, `None` when it has no inputs; `scale` the decimals of the
    /// amounts (grouped in integer units of the last place, exactly).
    pub fn new(get: &'g dyn Fn(YearMonth) -> Option<&'a MonthSummary>, scale: u32) -> Self {
        Aggregates { get, scale, done: BTreeMap::new() }
    }

    fn of(&mut self, m: YearMonth) -> PolarsResult<Option<&MonthAggregates>> {
        if !self.done.contains_key(&m) {
            let a = match (self.get)(m) {
                None => None,
                Some(s) => Some(MonthAggregates {
                    teams: by_key(&s.managers, &[], self.scale)?,
                    groups: by_key(&s.managers, &["team", "group"], self.scale)?,
                    outlets: by_key(&s.managers, &["outlet"], self.scale)?,
                }),
            };
            self.done.insert(m, a);
        }
        Ok(self.done.get(&m).and_then(Option::as_ref))
    }
}

/// Which aggregates of a month.
#[derive(Clone, Copy)]
enum By {
    Teams,
    Groups,
    Outlets,
}

fn pick(a: &MonthAggregates, by: By) -> &[Aggregate] {
    match by {
        By::Teams => &a.teams,
        By::Groups => &a.groups,
        By::Outlets => &a.outlets,
    }
}

/// The period's aggregates by `by`: the keys of its latest month with inputs first (in report
/// order), then those only earlier months have, latest month first; the branch last.
fn side_by(agg: &mut Aggregates<'_, '_>, months: &[YearMonth], by: By) -> PolarsResult<Vec<PeriodAggregate>> {
    let last = *months.last().expect("a period has months");
    let mut keys: Vec<Vec<String>> = Vec::new();
    let mut with_inputs = 0u32;
    let mut heads: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    let mut flows: BTreeMap<Vec<String>, Aggregate> = BTreeMap::new();
    for m in months.iter().rev() {
        let Some(a) = agg.of(*m)? else { continue };
        with_inputs += 1;
        for x in pick(a, by) {
            if !keys.contains(&x.key) {
                keys.push(x.key.clone());
            }
            *heads.entry(x.key.clone()).or_default() += u64::from(x.headcount);
            add_flows(
                flows.entry(x.key.clone()).or_insert_with(|| Aggregate { key: x.key.clone(), ..Default::default() }),
                x,
            );
        }
    }
    // The branch (the empty key) goes last, as in the monthly report.
    if let Some(i) = keys.iter().position(Vec::is_empty) {
        let branch = keys.remove(i);
        keys.push(branch);
    }
    let last_aggs: Option<Vec<Aggregate>> = agg.of(last)?.map(|a| pick(a, by).to_vec());
    Ok(keys
        .into_iter()
        .map(|key| {
            let stocks = last_aggs.as_ref().map(|v| {
                v.iter().find(|a| a.key == key).cloned().unwrap_or(Aggregate { key: key.clone(), ..Default::default() })
            });
            let heads = heads.get(&key).copied().unwrap_or(0);
            let average_headcount =
                (heads > 0 && with_inputs > 0).then(|| Decimal::from(heads) / Decimal::from(with_inputs));
            PeriodAggregate {
                flows: flows.remove(&key).unwrap_or(Aggregate { key: key.clone(), ..Default::default() }),
                key,
                stocks,
                average_headcount,
            }
        })
        .collect())
}

fn side(agg: &mut Aggregates<'_, '_>, period: Period) -> PolarsResult<PeriodSide> {
    let months = period.months();
    let mut with_inputs = Vec::new();
    let mut missing = Vec::new();
    for m in &months {
        if agg.of(*m)?.is_some() {
            with_inputs.push(*m);
        } else {
            missing.push(*m);
        }
    }
    Ok(PeriodSide {
        period,
        with_inputs,
        missing,
        teams: side_by(agg, &months, By::Teams)?,
        groups: side_by(agg, &months, By::Groups)?,
        outlets: side_by(agg, &months, By::Outlets)?,
    })
}

/// The analysis of `period`, which ends with the month being run (its summary among those `agg`
/// gives).
///
/// # Errors
/// A polars error (none is expected).
pub fn period_analysis(cfg: &Config, agg: &mut Aggregates<'_, '_>, period: Period) -> PolarsResult<PeriodAnalysis> {
    let get = agg.get;
    let months = period.months();
    let current = side(agg, period)?;
    let earlier = side(agg, period.a_year_earlier())?;
    let last_year = (!earlier.with_inputs.is_empty()).then_some(earlier);
    let summaries: Vec<&MonthSummary> = months.iter().filter_map(|m| get(*m)).collect();

    let accounts_by_type = accounts_by_type(cfg, summaries.iter().flat_map(|s| s.accounts.iter()));
    let clawback = clawback_by_team(cfg, &summaries);

    // Plan vs actual over the period: each item's monthly targets summed, against the months'
    // actual figures summed (new hires and 转正 as each month's analysis counts them).
    let mut plan = Vec::new();
    for a in current.teams.iter().filter(|a| !a.key.is_empty()) {
        let team = &a.key[0];
        let plans: Vec<&crate::config::Plan> = cfg
            .teams
            .iter()
            .filter(|t| &t.name == team)
            .flat_map(|t| months.iter().filter_map(|m| t.plan.get(m)))
            .collect();
        let sum = |f: fn(&crate::config::Plan) -> Option<Decimal>| -> Option<Decimal> {
            plans.iter().filter_map(|p| f(p)).fold(None, |acc, v| Some(acc.unwrap_or(Decimal::ZERO) + v))
        };
        let count = |f: &dyn Fn(&ManagerFigures, YearMonth) -> bool| -> Decimal {
            let n: usize = summaries
                .iter()
                .map(|s| s.managers.iter().filter(|m| &m.person.team == team && f(m, s.month)).count())
                .sum();
            Decimal::from(n)
        };
        let joined = count(&|m, month| month.contains(m.person.hire_date));
        let regularized = count(&|m, month| m.person.regular_date.is_some_and(|d| month.contains(d)));
        let outlets =
            cfg.outlets.iter().filter(|o| &o.team == team && o.since.is_some_and(|s| months.contains(&s))).count();
        plan.push(PlanLine {
            team: team.clone(),
            item: "new_hires",
            plan: sum(|p| p.new_hires.map(Decimal::from)),
            actual: joined,
        });
        plan.push(PlanLine {
            team: team.clone(),
            item: "regularized",
            plan: sum(|p| p.regularized.map(Decimal::from)),
            actual: regularized,
        });
        plan.push(PlanLine {
            team: team.clone(),
            item: "net_inflow",
            plan: sum(|p| p.net_inflow),
            actual: a.flows.net_inflow,
        });
        plan.push(PlanLine {
            team: team.clone(),
            item: "outlets",
            plan: sum(|p| p.outlets.map(Decimal::from)),
            actual: Decimal::from(outlets),
        });
    }

    // Every personnel change of the period, month by month.
    let changes =
        summaries.iter().map(|s| (s.month, get(s.month.prev()).map(|p| personnel_changes(s.month, s, p)))).collect();

    // The managers over the period, identified by their latest month.
    let mut ranks: Vec<PeriodRank> = Vec::new();
    for s in summaries.iter().rev() {
        for m in &s.managers {
            let r = match ranks.iter_mut().find(|r| r.manager.person.manager_id == m.person.manager_id) {
                Some(r) => r,
                None => {
                    ranks.push(PeriodRank {
                        manager: m.clone(),
                        months: 0,
                        net_revenue: Decimal::ZERO,
                        net_commission: Decimal::ZERO,
                        valid_accounts: 0,
                        net_inflow: Decimal::ZERO,
                        total: Decimal::ZERO,
                    });
                    ranks.last_mut().expect("just pushed")
                }
            };
            r.months += 1;
            r.net_revenue += m.metrics.net_revenue;
            r.net_commission += m.metrics.net_commission;
            r.valid_accounts += m.valid_accounts;
            r.net_inflow += m.metrics.net_inflow;
            r.total += m.total;
        }
    }
    ranks.sort_by(|a, b| {
        b.net_revenue
            .cmp(&a.net_revenue)
            .then_with(|| natural_cmp(&a.manager.person.manager_id, &b.manager.person.manager_id))
    });

    let mut by_month = Vec::new();
    for m in &months {
        by_month.push((*m, agg.of(*m)?.map(|a| a.teams.clone())));
    }
    Ok(PeriodAnalysis { current, last_year, accounts_by_type, clawback, plan, changes, ranking: ranks, by_month })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ym;

    #[test]
    fn june_ends_the_first_half_and_december_the_second_half_and_the_year() {
        assert_eq!(Period::ending_in(ym("2026-05")), vec![]);
        let june = Period::ending_in(ym("2026-06"));
        assert_eq!(june.iter().map(Period::code).collect::<Vec<_>>(), ["2026H1"]);
        assert_eq!(june[0].months().first().copied(), Some(ym("2026-01")));
        assert_eq!(june[0].months().len(), 6);
        let december = Period::ending_in(ym("2026-12"));
        assert_eq!(december.iter().map(Period::code).collect::<Vec<_>>(), ["2026H2", "2026"]);
        assert_eq!(december[0].months().first().copied(), Some(ym("2026-07")));
        assert_eq!(december[1].months().len(), 12);
        assert_eq!(december[1].a_year_earlier().code(), "2025");
    }

    #[test]
    fn a_period_needs_its_months_the_month_before_it_and_the_same_months_a_year_earlier() {
        assert!(months_needed(ym("2026-10")).is_empty());
        let june = months_needed(ym("2026-06"));
        let want: Vec<YearMonth> = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-12"]
            .iter()
            .map(|m| ym(m))
            .chain(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"].iter().map(|m| ym(m)))
            .collect();
        assert_eq!(june, want);
        let december = months_needed(ym("2026-12"));
        assert_eq!(december.first().copied(), Some(ym("2025-01")));
        assert_eq!(december.last().copied(), Some(ym("2026-11")));
        assert_eq!(december.len(), 23);
    }
}
