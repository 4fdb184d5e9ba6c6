//! Analysis: the month among its neighbours — team figures and the level reviews.
//!
//! Takes the computed month reduced to a [`MonthSummary`] (the figures a team report and a
//! review need, rounded as on the payroll) and the summaries of the months it is compared with;
//! gives an [`Analysis`]: the team analysis (SPEC §5 item 4, polars group-bys in [`team`]) and,
//! at quarter and year end, the reviews (§4.7, §4.8, [`review`]). Pure: where the earlier months
//! come from is the caller's business (see `crate::history`); [`months_needed`] says which.
//! Refuses ([`AnalysisError`]) figures too large to group exactly.

pub mod checks;
pub mod review;
pub mod team;
pub mod whatif;

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::compute::ComputedMonth;
use crate::config::{Config, Standard};
use crate::model::{Components, Employment, Metrics, Person};
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
    /// Recovered from the manager (else listed only).
    pub charged: bool,
}

impl MonthSummary {
    pub fn manager(&self, id: &str) -> Option<&ManagerFigures> {
        self.managers.iter().find(|m| m.person.manager_id == id)
    }
}

/// Reduce a computed month to its summary.
pub fn summarize(month: &ComputedMonth) -> MonthSummary {
    let standard: &Standard = &month.standard;
    let r = standard.rounding;
    let last = month.month.last_day();
    let managers = month
        .managers
        .iter()
        .map(|m| {
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
            charged: l.charged,
        })
        .collect();
    MonthSummary { month: month.month, standard: standard.name.clone(), managers, accounts, lost }
}

/// The month's analysis workbooks' contents.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub team: TeamAnalysis,
    pub quarter: Option<QuarterReview>,
    pub annual: Option<AnnualReview>,
}

/// The earlier months the analysis of `month` compares it with: January to the month before,
/// the previous month, the same month last year, and the quarter at quarter end.
pub fn months_needed(month: YearMonth) -> Vec<YearMonth> {
    let mut needed: Vec<YearMonth> = (1..month.month).filter_map(|m| YearMonth::new(month.year, m)).collect();
    needed.push(month.prev());
    needed.push(YearMonth { year: month.year - 1, month: month.month });
    if let Some((_, q)) = quarter_of(month) {
        needed.extend(q.iter().filter(|m| **m < month));
    }
    needed.sort();
    needed.dedup();
    needed
}

/// The team analysis of `current` and, at quarter and year end, the reviews. `earlier` gives
/// the summary of an earlier month, `None` when that month has no inputs.
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
    let team = team_analysis(cfg, standard.rounding.scale, current, get(month.prev()), get(last_year), &by_month)
        .map_err(|e| AnalysisError::Grouping(e.to_string()))?;
    let quarter = quarter_of(month).map(|(_, q)| quarterly_review(cfg, standard, q, [get(q[0]), get(q[1]), get(q[2])]));
    let annual = (month.month == 12).then(|| annual_review(cfg, &by_month));
    Ok(Analysis { team, quarter, annual })
}
