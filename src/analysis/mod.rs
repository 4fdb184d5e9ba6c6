//! Analysis: the month among its neighbours — team figures, history, and the level reviews.
//!
//! Takes each month's computed result and reduces it to a [`MonthSummary`] (the figures a team
//! report and a review need, rounded as on the payroll). Earlier months come from [`history`]:
//! regenerated from their own inputs and their own standard version, through a cache whose key
//! is the SHA-256 of everything the month depends on, so a cached month can never be stale.
//! `team` builds the team analysis (polars group-bys); `review` the quarterly and annual reviews.

pub mod history;
pub mod review;
pub mod team;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::compute::{Metrics, MonthResult};
use crate::config::Standard;
use crate::ingest::month::{Employment, MonthInput, Person};

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
    pub components: [Decimal; 9],
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
}

/// What later months need of a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthSummary {
    pub month: YearMonth,
    pub standard: String,
    pub managers: Vec<ManagerFigures>,
    pub accounts: Vec<AccountFigure>,
}

impl MonthSummary {
    pub fn manager(&self, id: &str) -> Option<&ManagerFigures> {
        self.managers.iter().find(|m| m.person.manager_id == id)
    }
}

/// Reduce a computed month to its summary.
pub fn summarize(standard: &Standard, input: &MonthInput, result: &MonthResult) -> MonthSummary {
    let r = standard.rounding;
    let scores: BTreeMap<&str, Decimal> =
        input.scores.iter().filter(|s| s.accepted).map(|s| (s.manager_id.as_str(), s.score)).collect();
    let last = result.month.last_day();
    let managers = result
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
                duty_score: scores.get(m.person.manager_id.as_str()).copied(),
            }
        })
        .collect();
    let team_of: BTreeMap<&str, &str> =
        result.managers.iter().map(|m| (m.person.manager_id.as_str(), m.person.team.as_str())).collect();
    let accounts = result
        .accounts
        .iter()
        .map(|o| {
            let a = &input.accounts[o.row];
            AccountFigure {
                manager_id: a.manager_id.clone(),
                team: team_of.get(a.manager_id.as_str()).map(|t| t.to_string()).unwrap_or_default(),
                account_type: a.account_type.clone(),
                valid: o.valid.is_ok(),
            }
        })
        .collect();
    MonthSummary { month: result.month, standard: standard.name.clone(), managers, accounts }
}
