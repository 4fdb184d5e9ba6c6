//! 客户经理档案 (SPEC §5 item 9; guideline articles 20–21): one client manager's file over a range
//! of months — who they are and every change of team, group, level and employment; each month's
//! figures and pay exactly as that month's payroll, its serials and the exceptions and warnings
//! naming them; the quarterly proposals and annual grades; every adjustment, recovery and
//! prior-period line; the range's totals.
//!
//! Takes the months' summaries (the ledger's entries: `None` for a month without inputs), each
//! month's completeness warnings and the reviews the range's months made; gives a
//! [`ManagerFile`], made of references into them: nothing is computed again, every monthly
//! figure is the month's own. Pure.

use rust_decimal::Decimal;

use super::checks::{Check, Warning};
use super::review::{AnnualReview, AnnualRow, QuarterReview, QuarterRow};
use super::{LostAccount, ManagerFigures, MonthSummary};
use crate::calendar::YearMonth;
use crate::compute::{AdjustmentLine, PriorPeriodLine};
use crate::model::order::natural_cmp;
use crate::model::{Components, Issue, Metrics};

/// One month of the range, as the file needs it: its summary (`None`: no inputs) and its
/// completeness warnings.
#[derive(Debug, Clone, Copy)]
pub struct RangeMonth<'a> {
    pub month: YearMonth,
    pub summary: Option<&'a MonthSummary>,
    pub warnings: &'a [Warning],
}

/// What a month of the range was for the manager.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MonthState<'a> {
    /// The month has no inputs (无数据).
    NoInputs,
    /// The month has inputs but no payroll row of the manager (not active).
    NotActive,
    /// The manager's payroll row: active, or only carrying a prior-period adjustment
    /// (`active` false).
    Row(&'a ManagerFigures),
}

/// One month of the manager's file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileMonth<'a> {
    pub month: YearMonth,
    pub state: MonthState<'a>,
    /// The month's data exceptions naming the manager (rows of theirs rejected).
    pub exceptions: Vec<&'a Issue>,
    /// The month's completeness warnings naming the manager (`missing_manager`).
    pub warnings: Vec<&'a Warning>,
}

/// What of a manager's identity changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Team,
    Group,
    Level,
    Employment,
}

/// A change of team, group, level or employment, in the month the roster first shows it: the
/// manager's rows of the month before (the latest active one) and of that month.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityChange<'a> {
    pub month: YearMonth,
    pub what: Changed,
    pub before: &'a ManagerFigures,
    pub after: &'a ManagerFigures,
}

/// The range's totals: the sums of the monthly figures shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileTotals {
    /// Months in which the manager was active.
    pub months_active: u32,
    pub metrics: Metrics,
    pub new_accounts: u32,
    pub valid_accounts: u32,
    pub components: Components,
    pub total: Decimal,
}

/// A client manager's file over a range of months.
#[derive(Debug, Clone)]
pub struct ManagerFile<'a> {
    pub manager_id: String,
    pub from: YearMonth,
    pub to: YearMonth,
    /// The manager's latest payroll row of the range (identity from the latest roster that lists
    /// them), and its month.
    pub latest: &'a ManagerFigures,
    pub latest_month: YearMonth,
    pub changes: Vec<IdentityChange<'a>>,
    pub months: Vec<FileMonth<'a>>,
    /// The quarterly reviews of the range that reviewed the manager, and their row.
    pub reviews: Vec<(&'a QuarterReview, &'a QuarterRow)>,
    /// The annual reviews of the range that graded the manager, and their row.
    pub grades: Vec<(&'a AnnualReview, &'a AnnualRow)>,
    /// Every adjustment row of the manager, by month.
    pub adjustments: Vec<(YearMonth, &'a AdjustmentLine)>,
    /// Every account bonus judged lost that the manager was credited with, by month judged
    /// (recovered, or listed when the manager was not active then).
    pub clawbacks: Vec<(YearMonth, &'a LostAccount)>,
    /// Every prior-period line of the manager, by the month that carried it.
    pub prior_period: Vec<(YearMonth, &'a PriorPeriodLine)>,
    pub totals: FileTotals,
}

/// The managers with a payroll row in any month of the range, in manager_id order (natural).
pub fn managers_in(months: &[RangeMonth<'_>]) -> Vec<String> {
    let mut ids: Vec<String> = months
        .iter()
        .filter_map(|m| m.summary)
        .flat_map(|s| s.managers.iter().map(|m| m.person.manager_id.clone()))
        .collect();
    ids.sort_by(|a, b| natural_cmp(a, b));
    ids.dedup();
    ids
}

/// A warning that names the manager `id` (`missing_manager`: its subject is `id name`).
fn names(w: &Warning, id: &str) -> bool {
    w.check == Check::MissingManager && w.subject.split(' ').next() == Some(id)
}

/// The file of manager `id` over `months` (ascending, each month of the range once); `None` when
/// the manager has no payroll row in any of them.
pub fn manager_file<'a>(
    id: &str,
    months: &[RangeMonth<'a>],
    reviews: &'a [QuarterReview],
    annual: &'a [AnnualReview],
) -> Option<ManagerFile<'a>> {
    let (from, to) = (months.first()?.month, months.last()?.month);
    let mut file_months = Vec::new();
    let mut totals = FileTotals::default();
    let mut adjustments = Vec::new();
    let mut clawbacks = Vec::new();
    let mut prior_period = Vec::new();
    let mut latest: Option<(YearMonth, &'a ManagerFigures)> = None;
    let mut changes = Vec::new();
    let mut before: Option<&'a ManagerFigures> = None;
    for m in months {
        let Some(s) = m.summary else {
            file_months.push(FileMonth {
                month: m.month,
                state: MonthState::NoInputs,
                exceptions: Vec::new(),
                warnings: Vec::new(),
            });
            continue;
        };
        let row = s.manager(id);
        if let Some(r) = row {
            latest = Some((m.month, r));
            totals.components.add(&r.components);
            totals.total += r.total;
            totals.metrics.add(&r.metrics);
            totals.new_accounts += r.new_accounts;
            totals.valid_accounts += r.valid_accounts;
            if r.active {
                totals.months_active += 1;
                if let Some(b) = before {
                    changes.extend(identity_changes(m.month, b, r));
                }
                before = Some(r);
            }
        }
        adjustments.extend(s.adjustments.iter().filter(|a| a.manager_id == id).map(|a| (m.month, a)));
        clawbacks.extend(s.lost.iter().filter(|l| l.manager_id == id).map(|l| (m.month, l)));
        prior_period.extend(s.prior_period.iter().filter(|l| l.manager_id == id).map(|l| (m.month, l)));
        file_months.push(FileMonth {
            month: m.month,
            state: row.map(MonthState::Row).unwrap_or(MonthState::NotActive),
            exceptions: s.exceptions.iter().filter(|i| i.manager_id.as_deref() == Some(id)).collect(),
            warnings: m.warnings.iter().filter(|w| names(w, id)).collect(),
        });
    }
    let (latest_month, latest) = latest?;
    let in_range = |m: YearMonth| from <= m && m <= to;
    let reviews = reviews
        .iter()
        .filter(|q| in_range(q.months[2]))
        .filter_map(|q| q.rows.iter().find(|r| r.manager.person.manager_id == id).map(|r| (q, r)))
        .collect();
    let grades = annual
        .iter()
        .filter(|a| YearMonth::new(a.year, 12).is_some_and(in_range))
        .filter_map(|a| a.rows.iter().find(|r| r.manager.person.manager_id == id).map(|r| (a, r)))
        .collect();
    Some(ManagerFile {
        manager_id: id.to_string(),
        from,
        to,
        latest,
        latest_month,
        changes,
        months: file_months,
        reviews,
        grades,
        adjustments,
        clawbacks,
        prior_period,
        totals,
    })
}

/// What changed between two months' rows of the manager.
fn identity_changes<'a>(
    month: YearMonth,
    before: &'a ManagerFigures,
    after: &'a ManagerFigures,
) -> Vec<IdentityChange<'a>> {
    let (b, a) = (&before.person, &after.person);
    let mut v = Vec::new();
    for (what, changed) in [
        (Changed::Team, b.team != a.team),
        (Changed::Group, b.group != a.group),
        (Changed::Level, before.level != after.level),
        (Changed::Employment, b.employment != a.employment),
    ] {
        if changed {
            v.push(IdentityChange { month, what, before, after });
        }
    }
    v
}
