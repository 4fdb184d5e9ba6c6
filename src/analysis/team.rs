//! 团队分析 (SPEC §5 item 4; guideline article 22): the month's figures per team, group and
//! outlet, against the previous month, the year to date and the same month last year; plan vs
//! actual; personnel changes; rankings; the year's trend.
//!
//! The group-bys run in polars on integer fen (exact sums); ratios are computed afterwards in
//! rust_decimal. Group-by output keeps the order of first appearance, and the managers come in
//! report order, so every table comes out in report order.

use polars::prelude::*;
use rust_decimal::Decimal;

use super::{AccountFigure, ManagerFigures, MonthSummary};
use crate::calendar::{Date, YearMonth};
use crate::config::Config;
use crate::model::order::natural_cmp;
use crate::model::{Employment, TeamMetric};

/// The figures of one team, group, outlet or the branch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aggregate {
    /// team; team and group; or outlet — empty for the branch total.
    pub key: Vec<String>,
    pub headcount: u32,
    pub employees: u32,
    pub probation: u32,
    pub part_time: u32,
    pub new_accounts: u32,
    pub valid_accounts: u32,
    pub net_inflow: Decimal,
    pub month_end_assets: Decimal,
    pub net_commission: Decimal,
    pub net_revenue: Decimal,
    pub total_pay: Decimal,
}

impl Aggregate {
    /// Total pay ÷ net revenue; none when net revenue is not positive.
    pub fn pay_ratio(&self) -> Option<Decimal> {
        (self.net_revenue > Decimal::ZERO).then(|| self.total_pay / self.net_revenue)
    }
    /// Net revenue per head; none without people.
    pub fn revenue_per_head(&self) -> Option<Decimal> {
        (self.headcount > 0).then(|| self.net_revenue / Decimal::from(self.headcount))
    }
}

const NO_GROUP: &str = "";

/// An amount in integer units of the last decimal place (fen at scale 2), `None` when it does
/// not fit in an i64.
fn fen(v: Decimal, scale: u32) -> Option<i64> {
    let mut r = v;
    r.rescale(scale);
    i64::try_from(r.mantissa()).ok()
}

/// Every amount of every manager in fen; refused (never saturated) when the sum of their
/// magnitudes would not fit in an i64, so that no group sum in polars can overflow.
fn amounts_in_fen(managers: &[ManagerFigures], scale: u32) -> PolarsResult<[Vec<i64>; 5]> {
    let mut out: [Vec<i64>; 5] = Default::default();
    let mut magnitude: i64 = 0;
    for m in managers {
        let values = [
            m.metrics.net_inflow,
            m.metrics.month_end_assets,
            m.metrics.net_commission,
            m.metrics.net_revenue,
            m.total,
        ];
        for (k, v) in values.into_iter().enumerate() {
            let f = fen(v, scale).and_then(|f| magnitude.checked_add(f.checked_abs()?).map(|s| (f, s))).ok_or_else(
                || {
                    PolarsError::ComputeError(
                        format!("amounts too large for the team analysis (manager {})", m.person.manager_id).into(),
                    )
                },
            )?;
            magnitude = f.1;
            out[k].push(f.0);
        }
    }
    Ok(out)
}

/// Group the managers' figures by `by` ("team", "group", "outlet"; several for a composite key).
///
/// # Errors
/// A polars error (none is expected on these frames).
pub fn aggregate(managers: &[ManagerFigures], by: &[&str], scale: u32) -> PolarsResult<Vec<Aggregate>> {
    let s = |f: &dyn Fn(&ManagerFigures) -> String| managers.iter().map(f).collect::<Vec<String>>();
    let i = |f: &dyn Fn(&ManagerFigures) -> i64| managers.iter().map(f).collect::<Vec<i64>>();
    let [net_inflow, month_end_assets, net_commission, net_revenue, total_pay] = amounts_in_fen(managers, scale)?;
    let df = df!(
        "team" => s(&|m| m.person.team.clone()),
        "group" => s(&|m| m.person.group.clone().unwrap_or_else(|| NO_GROUP.into())),
        "outlet" => s(&|m| m.person.outlet.clone().unwrap_or_default()),
        "employees" => i(&|m| i64::from(m.person.employment == Employment::Employee)),
        "probation" => i(&|m| i64::from(m.probation)),
        "part_time" => i(&|m| i64::from(m.person.employment == Employment::PartTime)),
        "new_accounts" => i(&|m| i64::from(m.new_accounts)),
        "valid_accounts" => i(&|m| i64::from(m.valid_accounts)),
        "net_inflow" => net_inflow,
        "month_end_assets" => month_end_assets,
        "net_commission" => net_commission,
        "net_revenue" => net_revenue,
        "total_pay" => total_pay,
    )?;
    const SUMS: [&str; 10] = [
        "employees",
        "probation",
        "part_time",
        "new_accounts",
        "valid_accounts",
        "net_inflow",
        "month_end_assets",
        "net_commission",
        "net_revenue",
        "total_pay",
    ];
    let mut aggs: Vec<Expr> = SUMS.iter().map(|c| col(*c).sum()).collect();
    aggs.push(len().alias("headcount"));
    let keys: Vec<Expr> = by.iter().map(|k| col(*k)).collect();
    let out = if by.is_empty() {
        df.lazy().select(aggs).collect()?
    } else {
        df.lazy().group_by_stable(keys).agg(aggs).collect()?
    };
    let n = out.height();
    let key_cols: Vec<&StringChunked> =
        by.iter().map(|k| out.column(k).and_then(|c| c.str())).collect::<PolarsResult<_>>()?;
    // Each sum by its column's name.
    let sum = |c: &str| -> PolarsResult<Vec<i64>> {
        let col = out.column(c)?.cast(&DataType::Int64)?;
        let ca = col.i64()?;
        Ok((0..n).map(|r| ca.get(r).unwrap_or(0)).collect())
    };
    let headcount = sum("headcount")?;
    let employees = sum("employees")?;
    let probation = sum("probation")?;
    let part_time = sum("part_time")?;
    let new_accounts = sum("new_accounts")?;
    let valid_accounts = sum("valid_accounts")?;
    let net_inflow = sum("net_inflow")?;
    let month_end_assets = sum("month_end_assets")?;
    let net_commission = sum("net_commission")?;
    let net_revenue = sum("net_revenue")?;
    let total_pay = sum("total_pay")?;
    let money = |v: i64| Decimal::new(v, scale);
    let count = |v: i64| u32::try_from(v).unwrap_or(0);
    Ok((0..n)
        .map(|r| Aggregate {
            key: key_cols.iter().map(|k| k.get(r).unwrap_or("").to_string()).collect(),
            headcount: count(headcount[r]),
            employees: count(employees[r]),
            probation: count(probation[r]),
            part_time: count(part_time[r]),
            new_accounts: count(new_accounts[r]),
            valid_accounts: count(valid_accounts[r]),
            net_inflow: money(net_inflow[r]),
            month_end_assets: money(month_end_assets[r]),
            net_commission: money(net_commission[r]),
            net_revenue: money(net_revenue[r]),
            total_pay: money(total_pay[r]),
        })
        .filter(|a| a.headcount > 0 || by.is_empty())
        .collect())
}

/// One line of the plan table.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLine {
    pub team: String,
    /// new_hires, regularized, net_inflow, outlets
    pub item: &'static str,
    pub plan: Option<Decimal>,
    pub actual: Decimal,
}

impl PlanLine {
    pub fn completion(&self) -> Option<Decimal> {
        self.plan.filter(|p| !p.is_zero()).map(|p| self.actual / p)
    }
}

/// A personnel change against the previous month's roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    pub manager_id: String,
    pub name: String,
    pub team: String,
}

/// A level as the report shows it: label and code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelName {
    pub code: String,
    pub label: String,
}

/// What changed.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeKind {
    Joined {
        hire: Date,
        level: LevelName,
    },
    /// Left on this date, within the month (counted once: in the month of the leave date).
    Left(Date),
    /// On the previous month's roster, absent from this one and without a leave date before
    /// this month: counted as left now.
    Missing,
    Regularized {
        date: Date,
        from: LevelName,
        to: LevelName,
    },
    LevelChanged {
        from: LevelName,
        to: LevelName,
    },
}

/// A month's figures next to the months it is compared with.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub current: Vec<Aggregate>,
    /// The same keys in the previous month, or `None` when that month has no inputs.
    pub previous: Option<Vec<Aggregate>>,
    pub last_year: Option<Vec<Aggregate>>,
    /// Year to date over the months whose inputs exist.
    pub ytd: Vec<Aggregate>,
}

/// Everything the team analysis workbook shows.
#[derive(Debug, Clone)]
pub struct TeamAnalysis {
    pub month: YearMonth,
    /// Teams then the branch.
    pub teams: Comparison,
    pub groups: Comparison,
    pub outlets: Comparison,
    /// (team, account type, new, valid)
    pub accounts_by_type: Vec<(String, String, u32, u32)>,
    /// §4.9 recoveries per team (team, accounts recovered, amount recovered), in team order;
    /// empty when nothing was lost in the month.
    pub clawback: Vec<(String, u32, Decimal)>,
    pub plan: Vec<PlanLine>,
    /// `None` when the previous month has no inputs.
    pub changes: Option<Vec<Change>>,
    pub ranking: Vec<ManagerFigures>,
    /// Months of the year to date; the figures of each team per month (None: no inputs).
    pub trend_months: Vec<YearMonth>,
    pub trend: Vec<(String, Vec<Option<Decimal>>)>,
    pub ytd_months: Vec<YearMonth>,
    pub ytd_missing: Vec<YearMonth>,
}

/// Teams then the branch total.
fn by_team_and_branch(m: &[ManagerFigures], scale: u32) -> PolarsResult<Vec<Aggregate>> {
    let mut v = aggregate(m, &["team"], scale)?;
    v.extend(aggregate(m, &[], scale)?);
    Ok(v)
}

/// The aggregates by `by` (empty `by`: teams then the branch).
pub(super) fn by_key(m: &[ManagerFigures], by: &[&str], scale: u32) -> PolarsResult<Vec<Aggregate>> {
    if by.is_empty() {
        by_team_and_branch(m, scale)
    } else {
        aggregate(m, by, scale)
    }
}

/// This month by `by` against the previous month, the same month last year and the year to
/// date (`year`: January..M, `None` where a month has no inputs).
fn compare(
    by: &[&str],
    scale: u32,
    current: &MonthSummary,
    previous: Option<&MonthSummary>,
    last_year: Option<&MonthSummary>,
    year: &[(YearMonth, Option<&MonthSummary>)],
) -> PolarsResult<Comparison> {
    let cur = by_key(&current.managers, by, scale)?;
    let previous = previous.map(|p| by_key(&p.managers, by, scale)).transpose()?;
    let last_year = last_year.map(|p| by_key(&p.managers, by, scale)).transpose()?;
    let mut ytd: Vec<Aggregate> = cur.iter().map(|a| Aggregate { key: a.key.clone(), ..Default::default() }).collect();
    for (_, s) in year {
        let Some(s) = s else { continue };
        let aggs = by_key(&s.managers, by, scale)?;
        for y in ytd.iter_mut() {
            if let Some(a) = aggs.iter().find(|a| a.key == y.key) {
                add_flows(y, a);
            }
        }
    }
    Ok(Comparison { current: cur, previous, last_year, ytd })
}

/// Add the flows of `b` into `a`: the figures [`TeamMetric::is_flow`] names, the one list the
/// report's year to date follows too. Stocks such as assets and headcount are not summed over
/// months; the ratios follow from the sums.
pub(super) fn add_flows(a: &mut Aggregate, b: &Aggregate) {
    for m in TeamMetric::ALL.into_iter().filter(|m| m.is_flow()) {
        match m {
            TeamMetric::Headcount => a.headcount += b.headcount,
            TeamMetric::Employees => a.employees += b.employees,
            TeamMetric::Probation => a.probation += b.probation,
            TeamMetric::PartTime => a.part_time += b.part_time,
            TeamMetric::NewAccounts => a.new_accounts += b.new_accounts,
            TeamMetric::ValidAccounts => a.valid_accounts += b.valid_accounts,
            TeamMetric::NetInflow => a.net_inflow += b.net_inflow,
            TeamMetric::MonthEndAssets => a.month_end_assets += b.month_end_assets,
            TeamMetric::NetCommission => a.net_commission += b.net_commission,
            TeamMetric::NetRevenue => a.net_revenue += b.net_revenue,
            TeamMetric::TotalPay => a.total_pay += b.total_pay,
            TeamMetric::PayRatio | TeamMetric::RevenuePerHead => {}
        }
    }
}

/// Build the analysis of `current` with its neighbours. `year` holds the months January..M of
/// M's year (None where a month has no inputs).
///
/// # Errors
/// A polars error (none is expected).
pub fn team_analysis(
    cfg: &Config,
    scale: u32,
    current: &MonthSummary,
    previous: Option<&MonthSummary>,
    last_year: Option<&MonthSummary>,
    year: &[(YearMonth, Option<&MonthSummary>)],
) -> PolarsResult<TeamAnalysis> {
    let month = current.month;
    let teams = compare(&[], scale, current, previous, last_year, year)?;
    let groups = compare(&["team", "group"], scale, current, previous, last_year, year)?;
    let outlets = compare(&["outlet"], scale, current, previous, last_year, year)?;
    let cur = &teams.current;
    let mut trend: Vec<(String, Vec<Option<Decimal>>)> =
        cur.iter().filter(|a| !a.key.is_empty()).map(|a| (a.key[0].clone(), Vec::new())).collect();
    for (_, s) in year {
        let aggs = s.map(|s| aggregate(&s.managers, &["team"], scale)).transpose()?;
        for (team, values) in trend.iter_mut() {
            values.push(aggs.as_ref().map(|v| {
                v.iter().find(|a| a.key.first() == Some(team)).map(|a| a.net_revenue).unwrap_or(Decimal::ZERO)
            }));
        }
    }

    let by_type = accounts_by_type(cfg, current.accounts.iter());
    let clawback = clawback_by_team(cfg, &[current]);

    // Plan vs actual.
    let mut plan = Vec::new();
    for a in cur.iter().filter(|a| !a.key.is_empty()) {
        let team = &a.key[0];
        let p =
            cfg.teams.iter().find(|t| &t.name == team).and_then(|t| t.plan.get(&month)).cloned().unwrap_or_default();
        let joined =
            current.managers.iter().filter(|m| &m.person.team == team && month.contains(m.person.hire_date)).count();
        let regularized = current
            .managers
            .iter()
            .filter(|m| &m.person.team == team && m.person.regular_date.is_some_and(|d| month.contains(d)))
            .count();
        let outlets = cfg.outlets.iter().filter(|o| &o.team == team && o.since == Some(month)).count();
        let d = |n: usize| Decimal::from(n);
        plan.push(PlanLine {
            team: team.clone(),
            item: "new_hires",
            plan: p.new_hires.map(Decimal::from),
            actual: d(joined),
        });
        plan.push(PlanLine {
            team: team.clone(),
            item: "regularized",
            plan: p.regularized.map(Decimal::from),
            actual: d(regularized),
        });
        plan.push(PlanLine { team: team.clone(), item: "net_inflow", plan: p.net_inflow, actual: a.net_inflow });
        plan.push(PlanLine {
            team: team.clone(),
            item: "outlets",
            plan: p.outlets.map(Decimal::from),
            actual: d(outlets),
        });
    }

    // Personnel changes against the previous month's roster.
    let changes = previous.map(|p| personnel_changes(month, current, p));

    let mut ranking = current.managers.clone();
    ranking.sort_by(|a, b| {
        b.metrics
            .net_revenue
            .cmp(&a.metrics.net_revenue)
            .then_with(|| natural_cmp(&a.person.manager_id, &b.person.manager_id))
    });

    Ok(TeamAnalysis {
        month,
        teams,
        groups,
        outlets,
        accounts_by_type: by_type,
        clawback,
        plan,
        changes,
        ranking,
        trend_months: year.iter().map(|(m, _)| *m).collect(),
        trend,
        ytd_months: year.iter().filter(|(_, s)| s.is_some()).map(|(m, _)| *m).collect(),
        ytd_missing: year.iter().filter(|(_, s)| s.is_none()).map(|(m, _)| *m).collect(),
    })
}

/// New and valid accounts by team and account type, in team order then type (natural).
pub(super) fn accounts_by_type<'a>(
    cfg: &Config,
    accounts: impl Iterator<Item = &'a AccountFigure>,
) -> Vec<(String, String, u32, u32)> {
    let mut by_type: Vec<(String, String, u32, u32)> = Vec::new();
    for a in accounts {
        match by_type.iter_mut().find(|x| x.0 == a.team && x.1 == a.account_type) {
            Some(x) => {
                x.2 += 1;
                x.3 += u32::from(a.valid);
            }
            None => by_type.push((a.team.clone(), a.account_type.clone(), 1, u32::from(a.valid))),
        }
    }
    by_type.sort_by(|a, b| {
        (cfg.team_rank(&a.0).cmp(&cfg.team_rank(&b.0)))
            .then_with(|| natural_cmp(&a.0, &b.0))
            .then_with(|| natural_cmp(&a.1, &b.1))
    });
    by_type
}

/// Recoveries per team over `months` (team, accounts recovered, the clawback its managers are
/// paid — negative; lines of managers not active are listed in the report, not recovered), in
/// team order; empty when nothing was recovered.
pub(super) fn clawback_by_team(cfg: &Config, months: &[&MonthSummary]) -> Vec<(String, u32, Decimal)> {
    let mut clawback: Vec<(String, u32, Decimal)> = Vec::new();
    for current in months {
        let mut month: Vec<(String, u32, Decimal)> = Vec::new();
        for l in current.lost.iter().filter(|l| l.charged) {
            match month.iter_mut().find(|x| x.0 == l.team) {
                Some(x) => x.1 += 1,
                None => month.push((l.team.clone(), 1, Decimal::ZERO)),
            }
        }
        for m in &current.managers {
            if let Some(x) = month.iter_mut().find(|x| x.0 == m.person.team) {
                x.2 += m.components.clawback;
            }
        }
        for (team, n, amount) in month {
            match clawback.iter_mut().find(|x| x.0 == team) {
                Some(x) => {
                    x.1 += n;
                    x.2 += amount;
                }
                None => clawback.push((team, n, amount)),
            }
        }
    }
    clawback.sort_by(|a, b| cfg.team_rank(&a.0).cmp(&cfg.team_rank(&b.0)).then_with(|| natural_cmp(&a.0, &b.0)));
    clawback
}

/// The personnel changes of `month` against the previous month's roster (`previous`): joined,
/// left, regularised, level changed. A leaver is counted once: in the month of the leave date,
/// or, without one, in the first month they are missing.
pub fn personnel_changes(month: YearMonth, current: &MonthSummary, previous: &MonthSummary) -> Vec<Change> {
    let p = previous;
    let level = |m: &ManagerFigures| LevelName { code: m.level.clone(), label: m.level_label.clone() };
    let mut v = Vec::new();
    let mut push = |m: &ManagerFigures, kind: ChangeKind| {
        v.push(Change {
            kind,
            manager_id: m.person.manager_id.clone(),
            name: m.person.name.clone(),
            team: m.person.team.clone(),
        })
    };
    for m in &current.managers {
        match p.manager(&m.person.manager_id) {
            None => push(m, ChangeKind::Joined { hire: m.person.hire_date, level: level(m) }),
            Some(before) => match m.person.regular_date.filter(|d| month.contains(*d)) {
                Some(date) => push(m, ChangeKind::Regularized { date, from: level(before), to: level(m) }),
                None if before.level != m.level => {
                    push(m, ChangeKind::LevelChanged { from: level(before), to: level(m) })
                }
                None => {}
            },
        }
        if let Some(l) = m.person.leave_date.filter(|l| month.contains(*l)) {
            push(m, ChangeKind::Left(l));
        }
    }
    for m in p.managers.iter().filter(|m| current.manager(&m.person.manager_id).is_none()) {
        match m.person.leave_date {
            // Left in an earlier month: counted then.
            Some(l) if l < month.first_day() => {}
            Some(l) if month.contains(l) => push(m, ChangeKind::Left(l)),
            _ => push(m, ChangeKind::Missing),
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_to_date_adds_the_flows_and_leaves_the_stocks() {
        let one = Aggregate {
            key: vec!["甲队".into()],
            headcount: 1,
            employees: 1,
            probation: 1,
            part_time: 1,
            new_accounts: 1,
            valid_accounts: 1,
            net_inflow: Decimal::ONE,
            month_end_assets: Decimal::ONE,
            net_commission: Decimal::ONE,
            net_revenue: Decimal::ONE,
            total_pay: Decimal::ONE,
        };
        let mut ytd = one.clone();
        add_flows(&mut ytd, &one);
        let two = Decimal::TWO;
        let want = Aggregate {
            new_accounts: 2,
            valid_accounts: 2,
            net_inflow: two,
            net_commission: two,
            net_revenue: two,
            total_pay: two,
            ..one
        };
        assert_eq!(ytd, want);
    }
}
