//! Analysis: the month among its neighbours — team figures and the level reviews.
//!
//! Takes the computed month reduced to a [`MonthSummary`] (the figures a team report and a
//! review need, rounded as on the payroll) and the summaries of the months it is compared with;
//! gives an [`Analysis`]: the team analysis (SPEC §5 item 4, polars group-bys in [`team`]) and,
//! at quarter and year end, the reviews (§4.7, §4.8, [`review`]). Pure: where the earlier months
//! come from is the caller's business (see `crate::history`); [`months_needed`] says which.
//! Refuses ([`AnalysisError`]) figures too large to group exactly.

pub mod checks;
pub mod dossier;
pub mod period;
pub mod review;
pub mod serials;
pub mod team;
pub mod whatif;

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::compute::{AdjustmentLine, ComputedMonth, PriorPeriodLine};
use crate::config::{Config, Standard};
use crate::model::{Components, Employment, Issue, Metrics, Person};
use period::{period_analysis, Aggregates, Period, PeriodAnalysis};
use review::{annual_review, quarter_of, quarterly_review, AnnualReview, QuarterReview};
use team::{team_analysis, TeamAnalysis};

/// Why the analysis of a month cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisError {
    /// A group-by failed (polars' message).
    Grouping(String),
}

impl fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnalysisError::Grouping(m) => write!(f, "the team analysis could not be made: {m}"),
        }
    }
}

impl std::error::Error for AnalysisError {}

/// One active manager's month, as the reports show it (metrics rounded each on its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagerFigures {
    pub person: Person,
    pub level: String,
    pub level_label: String,
    /// The level is outside the quarterly review (probation, part-time).
    pub reviewed: bool,
    pub level_order: i64,
    /// On probation on the month's last day.
    pub probation: bool,
    pub metrics: Metrics,
    pub new_accounts: u32,
    pub valid_accounts: u32,
    pub components: Components,
    pub total: Decimal,
    /// The month's duty score, when the scores file lists the manager.
    pub duty_score: Option<Decimal>,
    /// Active in the month; `false` for a row that only carries a prior-period adjustment
    /// (SPEC §4.10).
    #[serde(default = "yes")]
    pub active: bool,
    /// The serial of the manager's pay statement (SPEC §5 item 8), as the month printed it.
    #[serde(default)]
    pub statement_serial: String,
    /// The serial of the manager's confirmation slip (item 3), when the month printed one.
    #[serde(default)]
    pub slip_serial: Option<String>,
}

fn yes() -> bool {
    true
}

/// One new account of the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountFigure {
    pub manager_id: String,
    pub team: String,
    pub account_type: String,
    pub valid: bool,
    /// The client, and the bonus the account earned (§4.5, before any cap): what a later
    /// month's clawback recovers (§4.9).
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub bonus: Decimal,
}

/// What later months need of a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthSummary {
    pub month: YearMonth,
    pub standard: String,
    pub managers: Vec<ManagerFigures>,
    pub accounts: Vec<AccountFigure>,
    /// The accounts judged lost in the month (§4.9), recovered or not.
    #[serde(default)]
    pub lost: Vec<LostAccount>,
    /// The accepted adjustment rows (手工调整), in file order.
    #[serde(default)]
    pub adjustments: Vec<AdjustmentLine>,
    /// The prior-period lines the month carried (以前月份调整, §4.10).
    #[serde(default)]
    pub prior_period: Vec<PriorPeriodLine>,
    /// The month's data exceptions that name a manager (a row of theirs rejected), in the order
    /// of 数据异常.
    #[serde(default)]
    pub exceptions: Vec<Issue>,
    /// How many data exceptions the month has in all.
    #[serde(default)]
    pub exception_count: usize,
}

/// An account judged lost in a month (§4.9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LostAccount {
    /// The month that paid the bonus.
    pub paid: YearMonth,
    pub client_id: String,
    pub account_type: String,
    pub manager_id: String,
    /// The manager's team in the month (empty when the manager is not active then).
    pub team: String,
    pub bonus: Decimal,
    /// The client's month-end assets in the month; `None`: no CRM row.
    #[serde(default)]
    pub assets: Option<Decimal>,
    /// Recovered from the manager (else listed only).
    pub charged: bool,
}

impl MonthSummary {
    pub fn manager(&self, id: &str) -> Option<&ManagerFigures> {
        self.managers.iter().find(|m| m.person.manager_id == id)
    }
}

/// Reduce a computed month to its summary; `code` is the organization code its serials carry.
pub fn summarize(month: &ComputedMonth, code: &str) -> MonthSummary {
    let standard: &Standard = &month.standard;
    let r = standard.rounding;
    let last = month.month.last_day();
    let slips: std::collections::BTreeMap<&str, String> = serials::slip_holders(month)
        .into_iter()
        .enumerate()
        .map(|(i, (m, _))| (m.person.manager_id.as_str(), serials::slip_serial(code, month.month, i)))
        .collect();
    let managers = month
        .managers
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let level = standard.levels.get(&m.level);
            ManagerFigures {
                person: m.person.clone(),
                level: m.level.clone(),
                level_label: m.level_label.clone(),
                reviewed: level.is_some_and(|l| l.reviewed),
                level_order: level.map(|l| l.order).unwrap_or(0),
                probation: m.person.employment == Employment::Employee
                    && m.person.regular_date.is_none_or(|d| d > last),
                metrics: m.metrics(r),
                new_accounts: m.new_accounts,
                valid_accounts: m.valid_accounts,
                components: m.components,
                total: m.total,
                duty_score: m.duty_score,
                active: m.active,
                statement_serial: serials::statement_serial(code, month.month, i),
                slip_serial: slips.get(m.person.manager_id.as_str()).cloned(),
            }
        })
        .collect();
    let team_of: std::collections::BTreeMap<&str, &str> =
        month.managers.iter().map(|m| (m.person.manager_id.as_str(), m.person.team.as_str())).collect();
    let accounts = month
        .accounts
        .iter()
        .map(|a| AccountFigure {
            manager_id: a.manager_id.clone(),
            team: team_of.get(a.manager_id.as_str()).map(|t| t.to_string()).unwrap_or_default(),
            account_type: a.account_type.clone(),
            valid: a.valid.is_ok(),
            client_id: a.client_id.clone(),
            bonus: a.bonus,
        })
        .collect();
    let lost = month
        .clawback
        .iter()
        .map(|l| LostAccount {
            paid: l.account.month,
            client_id: l.account.client_id.clone(),
            account_type: l.account.account_type.clone(),
            manager_id: l.account.manager_id.clone(),
            team: team_of.get(l.account.manager_id.as_str()).map(|t| t.to_string()).unwrap_or_default(),
            bonus: l.account.bonus,
            assets: l.assets,
            charged: l.charged,
        })
        .collect();
    let exceptions = month.issues.iter().filter(|i| i.is_exception() && i.manager_id.is_some()).cloned().collect();
    MonthSummary {
        month: month.month,
        standard: standard.name.clone(),
        managers,
        accounts,
        lost,
        adjustments: month.adjustments.clone(),
        prior_period: month.prior_period.clone(),
        exceptions,
        exception_count: month.exception_count(),
    }
}

/// The month's analysis workbooks' contents.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub team: TeamAnalysis,
    pub quarter: Option<QuarterReview>,
    pub annual: Option<AnnualReview>,
    /// The half-year and annual team reports the month ends (June: the first half; December:
    /// the second half, then the year).
    pub periods: Vec<PeriodAnalysis>,
}

/// The earlier months the analysis of `month` compares it with: January to the month before,
/// the previous month, the same month last year, the quarter at quarter end, and in June and
/// December the months of the half-year and annual reports ([`period::months_needed`]).
pub fn months_needed(month: YearMonth) -> Vec<YearMonth> {
    let mut needed: Vec<YearMonth> = (1..month.month).filter_map(|m| YearMonth::new(month.year, m)).collect();
    needed.push(month.prev());
    needed.push(YearMonth { year: month.year - 1, month: month.month });
    if let Some((_, q)) = quarter_of(month) {
        needed.extend(q.iter().filter(|m| **m < month));
    }
    needed.extend(period::months_needed(month));
    needed.sort();
    needed.dedup();
    needed
}

/// The reviews a month ends, as its run makes them: the quarter's at quarter end (§4.7), the
/// year's in December (§4.8). `earlier` gives the summary of an earlier month, `None` when that
/// month has no inputs.
pub fn reviews<'a>(
    cfg: &Config,
    standard: &Standard,
    current: &'a MonthSummary,
    earlier: &dyn Fn(YearMonth) -> Option<&'a MonthSummary>,
) -> (Option<QuarterReview>, Option<AnnualReview>) {
    let month = current.month;
    let get = |m: YearMonth| if m == month { Some(current) } else { earlier(m) };
    let year: Vec<YearMonth> = (1..=month.month).filter_map(|m| YearMonth::new(month.year, m)).collect();
    let by_month: Vec<(YearMonth, Option<&MonthSummary>)> = year.iter().map(|m| (*m, get(*m))).collect();
    let quarter = quarter_of(month).map(|(_, q)| quarterly_review(cfg, standard, q, [get(q[0]), get(q[1]), get(q[2])]));
    let annual = (month.month == 12).then(|| annual_review(cfg, &by_month));
    (quarter, annual)
}

/// The team analysis of `current`, at quarter and year end the reviews, and in June and
/// December the period reports. `earlier` gives the summary of an earlier month, `None` when that
/// month has no inputs.
///
/// # Errors
/// [`AnalysisError`] when the figures cannot be grouped.
pub fn analyse<'a>(
    cfg: &Config,
    standard: &Standard,
    current: &'a MonthSummary,
    earlier: &dyn Fn(YearMonth) -> Option<&'a MonthSummary>,
) -> Result<Analysis, AnalysisError> {
    let month = current.month;
    let get = |m: YearMonth| if m == month { Some(current) } else { earlier(m) };
    let year: Vec<YearMonth> = (1..=month.month).filter_map(|m| YearMonth::new(month.year, m)).collect();
    let last_year = YearMonth { year: month.year - 1, month: month.month };
    let by_month: Vec<(YearMonth, Option<&MonthSummary>)> = year.iter().map(|m| (*m, get(*m))).collect();
    let grouping = |e: polars::prelude::PolarsError| AnalysisError::Grouping(e.to_string());
    let scale = standard.rounding.scale;
    let team = team_analysis(cfg, scale, current, get(month.prev()), get(last_year), &by_month).map_err(grouping)?;
    let (quarter, annual) = reviews(cfg, standard, current, earlier);
    let mut aggregates = Aggregates::new(&get, scale);
    let periods = Period::ending_in(month)
        .into_iter()
        .map(|p| period_analysis(cfg, &mut aggregates, p))
        .collect::<Result<_, _>>()
        .map_err(grouping)?;
    Ok(Analysis { team, quarter, annual, periods })
}
