//! The completeness checks of a month against its own history (完整性检查, SPEC §4.11).
//!
//! Takes the month's [`MonthFigures`] and those of earlier months (the caller finds them: the
//! ledger's cache, a closed month's archive); gives a [`CheckOutcome`]: the warnings (预警), in
//! the SPEC's check order, and the checks that could not run for want of history. Pure and
//! exact: no I/O, every comparison in `Decimal` (a ratio exactly at its bound passes, anything
//! past it warns), every list in a fixed order, so the same figures always give the same
//! warnings. [`Warning::words`] and [`NotRun::words`] say them in Chinese (数据异常) or English
//! (stderr). Refuses nothing: figures it cannot compare (a bound beyond what a decimal holds)
//! give no warning.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::config::Checks;
use crate::model::order::natural_cmp;
use crate::model::Kind;
use crate::money;

/// How many latest months of the history `missing_team` and `missing_manager` look at.
pub const MISSING_MONTHS: usize = 3;

/// How many calendar months before M `same_data` looks back.
pub const SAME_DATA_MONTHS: i64 = 12;

/// The input kinds the checks count, in their order (crm, accounts, roster).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckedKind {
    Crm,
    Accounts,
    Roster,
}

impl CheckedKind {
    pub const ALL: [CheckedKind; 3] = [CheckedKind::Crm, CheckedKind::Accounts, CheckedKind::Roster];

    pub fn kind(self) -> Kind {
        match self {
            CheckedKind::Crm => Kind::Crm,
            CheckedKind::Accounts => Kind::Accounts,
            CheckedKind::Roster => Kind::Roster,
        }
    }

    /// The kind's name, as in the configuration (`crm`).
    pub fn name(self) -> &'static str {
        self.kind().name()
    }
}

impl TryFrom<Kind> for CheckedKind {
    type Error = Kind;
    fn try_from(k: Kind) -> Result<Self, Kind> {
        match k {
            Kind::Crm => Ok(CheckedKind::Crm),
            Kind::Accounts => Ok(CheckedKind::Accounts),
            Kind::Roster => Ok(CheckedKind::Roster),
            other => Err(other),
        }
    }
}

/// Rows read of each kind, all files of the kind together (SPEC §2 "rows read").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsRead {
    pub crm: u64,
    pub accounts: u64,
    pub roster: u64,
}

impl RowsRead {
    pub fn get(&self, kind: CheckedKind) -> u64 {
        match kind {
            CheckedKind::Crm => self.crm,
            CheckedKind::Accounts => self.accounts,
            CheckedKind::Roster => self.roster,
        }
    }
}

/// One crm or accounts file of a month, as `same_data` compares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFigures {
    /// The file's path relative to `<data>`, month folder first: `2026-10/crm_2026-10.xlsx`.
    pub label: String,
    pub kind: CheckedKind,
    /// Rows read of the file; a file without data rows is never the same data as another.
    pub rows: u64,
    /// Hex SHA-256 of the file's data rows: every row read below the header, each cell as read,
    /// in order (so neither the title rows nor the file name nor the format change it).
    pub data_sha256: String,
}

/// A manager active on every day of a month, as that month's roster names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullMonthManager {
    pub name: String,
    pub team: String,
}

/// The crm file totals of §7 (each client's value counted once), summed over the month's crm
/// files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmTotals {
    /// 净佣金.
    pub net_commission: Decimal,
    /// 月末资产.
    pub month_end_assets: Decimal,
}

/// Everything the checks compare of one month. Kept per month in the ledger's cache and in a
/// closed month's archive, so that a month's history can be checked without reading its inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub rows_read: RowsRead,
    pub crm_totals: CrmTotals,
    /// Accepted crm rows per team (the team of the row's manager); teams without rows may be
    /// absent.
    pub team_rows: BTreeMap<String, u64>,
    /// Accepted crm rows per manager id; managers without rows may be absent.
    pub manager_rows: BTreeMap<String, u64>,
    /// The managers active on every day of the month, by id.
    pub full_month_managers: BTreeMap<String, FullMonthManager>,
    /// Managers active in the month (on any day).
    pub active_managers: u64,
    /// The month's crm and accounts files.
    pub files: Vec<FileFigures>,
}

/// The checks of §4.11, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    SameData,
    Rows,
    Totals,
    MissingTeam,
    MissingManager,
    Headcount,
}

impl Check {
    pub const ALL: [Check; 6] =
        [Check::SameData, Check::Rows, Check::Totals, Check::MissingTeam, Check::MissingManager, Check::Headcount];

    /// The name in `manifest.json` (`same_data`).
    pub fn key(self) -> &'static str {
        match self {
            Check::SameData => "same_data",
            Check::Rows => "rows",
            Check::Totals => "totals",
            Check::MissingTeam => "missing_team",
            Check::MissingManager => "missing_manager",
            Check::Headcount => "headcount",
        }
    }

    /// The check's name for a reader.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Check::SameData, true) => "重复数据",
            (Check::Rows, true) => "行数",
            (Check::Totals, true) => "文件合计",
            (Check::MissingTeam, true) => "团队缺失",
            (Check::MissingManager, true) => "客户经理缺失",
            (Check::Headcount, true) => "在岗人数",
            (Check::SameData, false) => "same data",
            (Check::Rows, false) => "rows read",
            (Check::Totals, false) => "file totals",
            (Check::MissingTeam, false) => "missing team",
            (Check::MissingManager, false) => "missing manager",
            (Check::Headcount, false) => "headcount",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The subject of a `totals` warning on net commission.
pub const NET_COMMISSION: &str = "net_commission";
/// The subject of a `totals` warning on month-end assets.
pub const MONTH_END_ASSETS: &str = "month_end_assets";
/// The subject of a `headcount` warning.
pub const ACTIVE_MANAGERS: &str = "active_managers";

/// A failed check (预警), as `manifest.json` records it under `checks`.
///
/// `value` is M's figure and `expected` the history's, as exact decimal strings without trailing
/// zeros: for `rows` and `totals` the median of the history, for `headcount` the latest month's
/// count, for `missing_team` and `missing_manager` the rows of each of the 3 months, oldest first,
/// joined by commas (`812,790,805`; `value` is `0`); for `same_data` `value` is the file's rows
/// read and `expected` the earlier file (`2026-03/crm_2026-03.xlsx`, its month in `months`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub check: Check,
    /// The file (`same_data`), the kind (`rows`: `crm`), the total (`totals`: `net_commission`,
    /// `month_end_assets`), the team, `id name` of the manager, or `active_managers`.
    pub subject: String,
    pub value: String,
    pub expected: String,
    /// The months compared, oldest first.
    pub months: Vec<YearMonth>,
    /// The file of M concerned, when one is (`same_data`).
    pub file: Option<String>,
}

/// Why a check did not run (information, not a warning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotRunReason {
    /// Fewer earlier months with inputs than the check needs.
    TooFewMonths { months: usize, needed: usize },
    /// No month with inputs in the 12 calendar months before M (`same_data`).
    NoEarlierMonth,
}

/// A check that did not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotRun {
    pub check: Check,
    pub reason: NotRunReason,
}

/// What the checks of a month found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOutcome {
    /// In the SPEC's check order, then in a stable order within each check.
    pub warnings: Vec<Warning>,
    /// In the SPEC's check order.
    pub not_run: Vec<NotRun>,
}

/// Run the checks of §4.11 on month `month`.
///
/// `history`: the latest `cfg.history_months` earlier months that have inputs, newest last;
/// `same_data_window`: every earlier month with inputs within the 12 calendar months before
/// `month`. Both are taken as given but for what would break the SPEC: months not before
/// `month` are ignored, `history` is cut to its latest `history_months` and the window to its 12
/// months. With `cfg.enabled = false` nothing runs and nothing is reported as not run.
pub fn run_checks(
    cfg: &Checks,
    month: YearMonth,
    this: &MonthFigures,
    history: &[(YearMonth, &MonthFigures)],
    same_data_window: &[(YearMonth, &MonthFigures)],
) -> CheckOutcome {
    let mut out = CheckOutcome::default();
    if !cfg.enabled {
        return out;
    }

    let mut window: Vec<(YearMonth, &MonthFigures)> = same_data_window
        .iter()
        .copied()
        .filter(|(m, _)| (1..=SAME_DATA_MONTHS).contains(&months_before(*m, month)))
        .collect();
    window.sort_by_key(|(m, _)| *m);
    if window.is_empty() {
        out.not_run.push(NotRun { check: Check::SameData, reason: NotRunReason::NoEarlierMonth });
    } else {
        same_data(this, &window, &mut out.warnings);
    }

    let mut hist: Vec<(YearMonth, &MonthFigures)> = history.iter().copied().filter(|(m, _)| *m < month).collect();
    hist.sort_by_key(|(m, _)| *m);
    hist.dedup_by_key(|(m, _)| *m);
    let keep = cfg.history_months as usize;
    if hist.len() > keep {
        hist.drain(..hist.len() - keep);
    }

    let needed = cfg.min_history as usize;
    if hist.len() < needed {
        for check in [Check::Rows, Check::Totals, Check::MissingTeam, Check::MissingManager, Check::Headcount] {
            out.not_run.push(NotRun { check, reason: NotRunReason::TooFewMonths { months: hist.len(), needed } });
        }
        return out;
    }
    rows(cfg, this, &hist, &mut out.warnings);
    totals(cfg, this, &hist, &mut out.warnings);
    let needed = needed.max(MISSING_MONTHS);
    if hist.len() < needed {
        for check in [Check::MissingTeam, Check::MissingManager] {
            out.not_run.push(NotRun { check, reason: NotRunReason::TooFewMonths { months: hist.len(), needed } });
        }
    } else {
        let latest = &hist[hist.len() - MISSING_MONTHS..];
        let missing = missing_teams(this, latest, &mut out.warnings);
        missing_managers(cfg, this, latest, &missing, &mut out.warnings);
    }
    headcount(cfg, this, &hist, &mut out.warnings);
    out
}

/// Calendar months from `earlier` to `month` (1 for the month before).
fn months_before(earlier: YearMonth, month: YearMonth) -> i64 {
    let n = |m: YearMonth| i64::from(m.year) * 12 + i64::from(m.month);
    n(month) - n(earlier)
}

/// Check 1: a crm or accounts file of M whose data rows are those of a file of the same kind in
/// an earlier month of the window; the latest such month is named (its first such file).
fn same_data(this: &MonthFigures, window: &[(YearMonth, &MonthFigures)], out: &mut Vec<Warning>) {
    let compared = |f: &&FileFigures| {
        matches!(f.kind, CheckedKind::Crm | CheckedKind::Accounts) && f.rows > 0 && !f.data_sha256.is_empty()
    };
    let by_file =
        |a: &&FileFigures, b: &&FileFigures| a.kind.cmp(&b.kind).then_with(|| natural_cmp(&a.label, &b.label));
    let mut files: Vec<&FileFigures> = this.files.iter().filter(compared).collect();
    files.sort_by(by_file);
    for f in files {
        let earlier = window.iter().rev().find_map(|(m, fig)| {
            let mut same: Vec<&FileFigures> = fig
                .files
                .iter()
                .filter(compared)
                .filter(|e| e.kind == f.kind && e.data_sha256 == f.data_sha256)
                .collect();
            same.sort_by(by_file);
            same.first().map(|e| (*m, e.label.clone()))
        });
        if let Some((m, label)) = earlier {
            out.push(Warning {
                check: Check::SameData,
                subject: f.label.clone(),
                value: f.rows.to_string(),
                expected: label,
                months: vec![m],
                file: Some(f.label.clone()),
            });
        }
    }
}

/// Check 2: rows read of each kind outside [rows_low, rows_high] × the history's median.
fn rows(cfg: &Checks, this: &MonthFigures, hist: &[(YearMonth, &MonthFigures)], out: &mut Vec<Warning>) {
    for kind in CheckedKind::ALL {
        let past: Vec<Decimal> = hist.iter().map(|(_, f)| Decimal::from(f.rows_read.get(kind))).collect();
        let value = Decimal::from(this.rows_read.get(kind));
        ratio_check(Check::Rows, kind.name(), value, &past, (cfg.rows_low, cfg.rows_high), hist, out);
    }
}

/// Check 3: the crm file totals outside [totals_low, totals_high] × the history's median.
fn totals(cfg: &Checks, this: &MonthFigures, hist: &[(YearMonth, &MonthFigures)], out: &mut Vec<Warning>) {
    type Figure = fn(&CrmTotals) -> Decimal;
    let figures: [(&str, Figure); 2] =
        [(NET_COMMISSION, |t| t.net_commission), (MONTH_END_ASSETS, |t| t.month_end_assets)];
    for (subject, get) in figures {
        let past: Vec<Decimal> = hist.iter().map(|(_, f)| get(&f.crm_totals)).collect();
        ratio_check(Check::Totals, subject, get(&this.crm_totals), &past, (cfg.totals_low, cfg.totals_high), hist, out);
    }
}

/// A warning when `value` is outside [low, high] × the median of `past` (strictly: a value
/// exactly at a bound passes).
fn ratio_check(
    check: Check,
    subject: &str,
    value: Decimal,
    past: &[Decimal],
    (low, high): (Decimal, Decimal),
    hist: &[(YearMonth, &MonthFigures)],
    out: &mut Vec<Warning>,
) {
    let Some(median) = median(past) else { return };
    if outside(value, median, low, high) {
        out.push(Warning {
            check,
            subject: subject.to_string(),
            value: money::exact(value),
            expected: money::exact(median),
            months: hist.iter().map(|(m, _)| *m).collect(),
            file: None,
        });
    }
}

/// Whether `value` lies outside the interval between `low × median` and `high × median` (for a
/// negative median the products change places); a bound that overflows bounds nothing.
fn outside(value: Decimal, median: Decimal, low: Decimal, high: Decimal) -> bool {
    let a = low.checked_mul(median);
    let b = high.checked_mul(median);
    let (lo, hi) = if median.is_sign_negative() { (b, a) } else { (a, b) };
    lo.is_some_and(|lo| value < lo) || hi.is_some_and(|hi| value > hi)
}

/// The median, exactly; of an even count the mean of the two middle values. `None` when empty
/// (or, for values beyond what a decimal holds, when the mean cannot be made).
pub fn median(values: &[Decimal]) -> Option<Decimal> {
    let mut v = values.to_vec();
    v.sort();
    let n = v.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        return Some(v[n / 2]);
    }
    let (a, b) = (v[n / 2 - 1], v[n / 2]);
    let two = Decimal::TWO;
    match a.checked_add(b) {
        Some(s) => s.checked_div(two),
        None => (a / two).checked_add(b / two),
    }
    .map(|m| m.normalize())
}

/// Check 4: the teams with accepted crm rows in each of the latest 3 months and none in M, in
/// natural order; returns them.
fn missing_teams(
    this: &MonthFigures,
    latest: &[(YearMonth, &MonthFigures)],
    out: &mut Vec<Warning>,
) -> BTreeSet<String> {
    let Some((_, first)) = latest.first() else { return BTreeSet::new() };
    let mut teams: Vec<(&String, Vec<u64>)> = first
        .team_rows
        .keys()
        .filter(|t| this.team_rows.get(*t).copied().unwrap_or(0) == 0)
        .map(|t| (t, latest.iter().map(|(_, f)| f.team_rows.get(t).copied().unwrap_or(0)).collect::<Vec<_>>()))
        .filter(|(_, counts)| counts.iter().all(|c| *c > 0))
        .collect();
    teams.sort_by(|a, b| natural_cmp(a.0, b.0));
    let mut missing = BTreeSet::new();
    for (team, counts) in teams {
        out.push(Warning {
            check: Check::MissingTeam,
            subject: team.clone(),
            value: "0".into(),
            expected: join_counts(&counts),
            months: latest.iter().map(|(m, _)| *m).collect(),
            file: None,
        });
        missing.insert(team.clone());
    }
    missing
}

/// Check 5: the managers active on every day of M and of the latest 3 months, with at least
/// `manager_min_rows` accepted crm rows in each of those months and none in M — but not those
/// of a team reported by check 4 (M's team) — in natural order of id.
fn missing_managers(
    cfg: &Checks,
    this: &MonthFigures,
    latest: &[(YearMonth, &MonthFigures)],
    missing_teams: &BTreeSet<String>,
    out: &mut Vec<Warning>,
) {
    let min = cfg.manager_min_rows.max(1);
    let mut found: Vec<(&String, &FullMonthManager, Vec<u64>)> = Vec::new();
    for (id, who) in &this.full_month_managers {
        if this.manager_rows.get(id).copied().unwrap_or(0) > 0 || missing_teams.contains(&who.team) {
            continue;
        }
        if !latest.iter().all(|(_, f)| f.full_month_managers.contains_key(id)) {
            continue;
        }
        let counts: Vec<u64> = latest.iter().map(|(_, f)| f.manager_rows.get(id).copied().unwrap_or(0)).collect();
        if counts.iter().all(|c| *c >= min) {
            found.push((id, who, counts));
        }
    }
    found.sort_by(|a, b| natural_cmp(a.0, b.0));
    for (id, who, counts) in found {
        out.push(Warning {
            check: Check::MissingManager,
            subject: format!("{id} {}", who.name),
            value: "0".into(),
            expected: join_counts(&counts),
            months: latest.iter().map(|(m, _)| *m).collect(),
            file: None,
        });
    }
}

/// Check 6: M's active managers below `headcount_low` × those of the latest month of the history.
fn headcount(cfg: &Checks, this: &MonthFigures, hist: &[(YearMonth, &MonthFigures)], out: &mut Vec<Warning>) {
    let Some((m, latest)) = hist.last() else { return };
    let value = Decimal::from(this.active_managers);
    let before = Decimal::from(latest.active_managers);
    if cfg.headcount_low.checked_mul(before).is_some_and(|bound| value < bound) {
        out.push(Warning {
            check: Check::Headcount,
            subject: ACTIVE_MANAGERS.into(),
            value: money::exact(value),
            expected: money::exact(before),
            months: vec![*m],
            file: None,
        });
    }
}

fn join_counts(counts: &[u64]) -> String {
    counts.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
}

/// `2026-04…2026-09`, or the one month.
fn span(months: &[YearMonth]) -> String {
    match (months.first(), months.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}…{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// A figure of a warning for a reader: amounts with thousands separators, as they are.
fn shown(s: &str) -> String {
    match Decimal::from_str_exact(s) {
        Ok(v) => money::grouped(v),
        Err(_) => s.to_string(),
    }
}

/// `value ÷ expected`, to two decimals, when the history's figure is positive.
fn times(value: &str, expected: &str) -> Option<String> {
    let v = Decimal::from_str_exact(value).ok()?;
    let e = Decimal::from_str_exact(expected).ok()?;
    if e <= Decimal::ZERO {
        return None;
    }
    let r = v.checked_div(e)?.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    Some(money::exact(r))
}

impl Warning {
    /// The warning in words, for 数据异常 (`zh`) or stderr: which check, its subject, M's
    /// figure, the history's figure and the months compared.
    pub fn words(&self, zh: bool) -> String {
        let months = span(&self.months);
        let n = self.months.len();
        let below = match (Decimal::from_str_exact(&self.value), Decimal::from_str_exact(&self.expected)) {
            (Ok(v), Ok(e)) => v < e,
            _ => false,
        };
        let ratio = times(&self.value, &self.expected);
        let counts = |sep: &str| self.expected.split(',').collect::<Vec<_>>().join(sep);
        match (self.check, zh) {
            (Check::SameData, true) => format!(
                "文件 {} 的数据行（{} 行）与 {} 的文件 {} 完全相同：疑为重发的旧导出",
                self.subject, self.value, months, self.expected
            ),
            (Check::SameData, false) => format!(
                "file {}: its data rows ({} rows) are identical to those of {} ({}): an old export sent again?",
                self.subject, self.value, self.expected, months
            ),
            (Check::Rows | Check::Totals, true) => {
                let what = match self.subject.as_str() {
                    NET_COMMISSION => "crm 净佣金合计".to_string(),
                    MONTH_END_ASSETS => "crm 月末资产合计".to_string(),
                    kind => format!("{kind} 行数"),
                };
                let ratio = ratio.map(|r| format!("为其 {r} 倍；")).unwrap_or_default();
                format!(
                    "{what} {}，{}近 {n} 个月中位数 {}（{ratio}{months}）",
                    shown(&self.value),
                    if below { "低于" } else { "高于" },
                    shown(&self.expected)
                )
            }
            (Check::Rows | Check::Totals, false) => {
                let what = match self.subject.as_str() {
                    NET_COMMISSION => "crm file total of net commission".to_string(),
                    MONTH_END_ASSETS => "crm file total of month-end assets".to_string(),
                    kind => format!("{kind} rows read"),
                };
                let ratio = ratio.map(|r| format!("{r} times it; ")).unwrap_or_default();
                format!(
                    "{what} {}, {} the median {} of the latest {n} months ({ratio}{months})",
                    shown(&self.value),
                    if below { "below" } else { "above" },
                    shown(&self.expected)
                )
            }
            (Check::MissingTeam, true) => {
                format!("{}本月无客户业绩记录（近 {n} 个月 {months}：{} 行）", self.subject, counts("、"))
            }
            (Check::MissingTeam, false) => format!(
                "team {} has no CRM rows this month (latest {n} months {months}: {} rows)",
                self.subject,
                counts(", ")
            ),
            (Check::MissingManager, true) => format!(
                "客户经理 {} 全月在岗，本月无客户业绩记录（近 {n} 个月 {months}：{} 行）",
                self.subject,
                counts("、")
            ),
            (Check::MissingManager, false) => format!(
                "manager {}, active all month, has no CRM rows this month (latest {n} months {months}: {} rows)",
                self.subject,
                counts(", ")
            ),
            (Check::Headcount, true) => {
                let ratio = ratio.map(|r| format!("（为其 {r} 倍）")).unwrap_or_default();
                format!("在岗客户经理 {} 人，低于 {months} 的 {} 人{ratio}", self.value, self.expected)
            }
            (Check::Headcount, false) => {
                let ratio = ratio.map(|r| format!(" ({r} times)")).unwrap_or_default();
                format!("active managers {}, below {} in {months}{ratio}", self.value, self.expected)
            }
        }
    }
}

impl NotRun {
    /// Why the check did not run, in words (information).
    pub fn words(&self, zh: bool) -> String {
        let label = self.check.label(zh);
        match (&self.reason, zh) {
            (NotRunReason::TooFewMonths { months, needed }, true) => {
                format!("{label}检查未运行：需要至少 {needed} 个此前有数据的月份，现有 {months} 个")
            }
            (NotRunReason::TooFewMonths { months, needed }, false) => format!(
                "{label} check not run: it needs at least {needed} earlier months with inputs; there {} {months}",
                if *months == 1 { "is" } else { "are" }
            ),
            (NotRunReason::NoEarlierMonth, true) => {
                format!("{label}检查未运行：此前 {SAME_DATA_MONTHS} 个月内没有有数据的月份")
            }
            (NotRunReason::NoEarlierMonth, false) => {
                format!("{label} check not run: no month with inputs in the {SAME_DATA_MONTHS} months before")
            }
        }
    }
}

impl MonthFigures {
    /// The figures of a computed month; `crm_totals` are its crm file totals (ingest's
    /// reconciliation: each client's value counted once).
    pub fn of(month: &crate::compute::ComputedMonth, crm_totals: CrmTotals) -> Self {
        let mut rows_read = RowsRead::default();
        let mut files = Vec::new();
        for f in &month.files {
            let Ok(kind) = CheckedKind::try_from(f.kind) else { continue };
            match kind {
                CheckedKind::Crm => rows_read.crm += f.counts.rows_read,
                CheckedKind::Accounts => rows_read.accounts += f.counts.rows_read,
                CheckedKind::Roster => rows_read.roster += f.counts.rows_read,
            }
            if kind != CheckedKind::Roster {
                files.push(FileFigures {
                    label: f.label.clone(),
                    kind,
                    rows: f.counts.rows_read,
                    data_sha256: f.counts.data_sha256.clone(),
                });
            }
        }
        let (first, last) = (month.month.first_day(), month.month.last_day());
        let mut team_rows: BTreeMap<String, u64> = BTreeMap::new();
        let mut manager_rows = BTreeMap::new();
        let mut full_month_managers = BTreeMap::new();
        let mut active_managers = 0;
        for m in month.managers.iter().filter(|m| m.active) {
            active_managers += 1;
            let p = &m.person;
            let rows = u64::from(m.credited.rows);
            if rows > 0 {
                *team_rows.entry(p.team.clone()).or_default() += rows;
                manager_rows.insert(p.manager_id.clone(), rows);
            }
            if p.hire_date <= first && p.leave_date.is_none_or(|l| l >= last) {
                full_month_managers
                    .insert(p.manager_id.clone(), FullMonthManager { name: p.name.clone(), team: p.team.clone() });
            }
        }
        MonthFigures { rows_read, crm_totals, team_rows, manager_rows, full_month_managers, active_managers, files }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{d, ym};

    /// An ordinary month: 800 crm rows, two teams, four managers active all month.
    fn normal(month: &str) -> MonthFigures {
        let managers = [
            ("9001", "张三", "东区团队", 20),
            ("9002", "李四", "东区团队", 15),
            ("900", "王五", "西区团队", 12),
            ("1000", "赵六", "西区团队", 11),
        ];
        MonthFigures {
            rows_read: RowsRead { crm: 800, accounts: 50, roster: 40 },
            crm_totals: CrmTotals { net_commission: d("100000.00"), month_end_assets: d("50000000.00") },
            team_rows: [("东区团队".to_string(), 400), ("西区团队".to_string(), 400)].into_iter().collect(),
            manager_rows: managers.iter().map(|(id, _, _, n)| (id.to_string(), *n)).collect(),
            full_month_managers: managers
                .iter()
                .map(|(id, name, team, _)| {
                    (id.to_string(), FullMonthManager { name: name.to_string(), team: team.to_string() })
                })
                .collect(),
            active_managers: 40,
            files: vec![
                FileFigures {
                    label: format!("{month}/crm_{month}.xlsx"),
                    kind: CheckedKind::Crm,
                    rows: 800,
                    data_sha256: format!("crm{month}"),
                },
                FileFigures {
                    label: format!("{month}/accounts_{month}.xlsx"),
                    kind: CheckedKind::Accounts,
                    rows: 50,
                    data_sha256: format!("acc{month}"),
                },
            ],
        }
    }

    /// `n` ordinary months before `month`, oldest first.
    fn months_before(month: &str, n: usize) -> Vec<(YearMonth, MonthFigures)> {
        let mut m = ym(month);
        let mut v = Vec::new();
        for _ in 0..n {
            m = m.prev();
            v.push((m, normal(&m.to_string())));
        }
        v.reverse();
        v
    }

    fn refs(v: &[(YearMonth, MonthFigures)]) -> Vec<(YearMonth, &MonthFigures)> {
        v.iter().map(|(m, f)| (*m, f)).collect()
    }

    /// The checks of `this` in 2026-10 against `hist` (also the same-data window), default config.
    fn run(this: &MonthFigures, hist: &[(YearMonth, MonthFigures)]) -> CheckOutcome {
        run_with(&Checks::default(), this, hist)
    }

    fn run_with(cfg: &Checks, this: &MonthFigures, hist: &[(YearMonth, MonthFigures)]) -> CheckOutcome {
        let h = refs(hist);
        run_checks(cfg, ym("2026-10"), this, &h, &h)
    }

    fn of(out: CheckOutcome, check: Check) -> Vec<Warning> {
        out.warnings.into_iter().filter(|w| w.check == check).collect()
    }

    #[test]
    fn an_ordinary_month_gives_no_warning_and_every_check_runs() {
        let out = run(&normal("2026-10"), &months_before("2026-10", 6));
        assert_eq!(out, CheckOutcome::default());
    }

    #[test]
    fn disabled_nothing_runs_and_nothing_is_reported_as_not_run() {
        let mut this = normal("2026-10");
        this.rows_read.crm = 0;
        this.active_managers = 0;
        let cfg = Checks { enabled: false, ..Checks::default() };
        assert_eq!(run_with(&cfg, &this, &months_before("2026-10", 6)), CheckOutcome::default());
        assert_eq!(run_with(&cfg, &this, &[]), CheckOutcome::default());
        // The same month with the checks on warns.
        assert!(!run(&this, &months_before("2026-10", 6)).warnings.is_empty());
    }

    #[test]
    fn too_little_history_says_which_checks_did_not_run_and_why() {
        let mut this = normal("2026-10");
        this.rows_read.crm = 1; // would warn with enough history
        let out = run(&this, &months_before("2026-10", 2));
        assert!(out.warnings.is_empty());
        let reason = NotRunReason::TooFewMonths { months: 2, needed: 3 };
        let want: Vec<NotRun> =
            [Check::Rows, Check::Totals, Check::MissingTeam, Check::MissingManager, Check::Headcount]
                .into_iter()
                .map(|check| NotRun { check, reason: reason.clone() })
                .collect();
        assert_eq!(out.not_run, want);
        assert_eq!(out.not_run[0].words(true), "行数检查未运行：需要至少 3 个此前有数据的月份，现有 2 个");
        assert_eq!(
            out.not_run[0].words(false),
            "rows read check not run: it needs at least 3 earlier months with inputs; there are 2"
        );
    }

    #[test]
    fn no_earlier_month_nothing_runs_and_same_data_says_why() {
        let out = run(&normal("2026-10"), &[]);
        assert!(out.warnings.is_empty());
        assert_eq!(out.not_run.len(), 6);
        assert_eq!(out.not_run[0], NotRun { check: Check::SameData, reason: NotRunReason::NoEarlierMonth });
        assert_eq!(out.not_run[1].reason, NotRunReason::TooFewMonths { months: 0, needed: 3 });
        assert_eq!(out.not_run[0].words(true), "重复数据检查未运行：此前 12 个月内没有有数据的月份");
    }

    #[test]
    fn with_less_than_three_months_the_missing_checks_do_not_run_even_if_min_history_allows() {
        let cfg = Checks { min_history: 2, ..Checks::default() };
        let mut this = normal("2026-10");
        this.rows_read.crm = 1;
        this.team_rows.clear();
        let out = run_with(&cfg, &this, &months_before("2026-10", 2));
        assert_eq!(out.warnings.iter().map(|w| w.check).collect::<Vec<_>>(), [Check::Rows]);
        let reason = NotRunReason::TooFewMonths { months: 2, needed: 3 };
        assert_eq!(
            out.not_run,
            [
                NotRun { check: Check::MissingTeam, reason: reason.clone() },
                NotRun { check: Check::MissingManager, reason }
            ]
        );
    }

    #[test]
    fn rows_exactly_at_a_bound_pass_and_one_row_past_warns() {
        // Median 800: bounds 480 (0.6×) and 1440 (1.8×).
        let hist = months_before("2026-10", 6);
        for (rows, warns) in [(480, false), (479, true), (1440, false), (1441, true), (800, false), (0, true)] {
            let mut this = normal("2026-10");
            this.rows_read.crm = rows;
            let w = of(run(&this, &hist), Check::Rows);
            assert_eq!(w.len(), usize::from(warns), "{rows} rows");
            if warns {
                assert_eq!(w[0].subject, "crm");
                assert_eq!(w[0].value, rows.to_string());
                assert_eq!(w[0].expected, "800");
            }
        }
    }

    #[test]
    fn rows_bounds_for_every_kind() {
        let hist = months_before("2026-10", 6);
        let mut this = normal("2026-10");
        this.rows_read = RowsRead { crm: 479, accounts: 30, roster: 72 }; // crm < 480; accounts = 30 = 0.6×50; roster = 1.8×40
        let w = of(run(&this, &hist), Check::Rows);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].subject.as_str(), w[0].value.as_str(), w[0].expected.as_str()), ("crm", "479", "800"));
        this.rows_read = RowsRead { crm: 1441, accounts: 29, roster: 73 };
        let w = of(run(&this, &hist), Check::Rows);
        assert_eq!(w.iter().map(|w| w.subject.as_str()).collect::<Vec<_>>(), ["crm", "accounts", "roster"]);
        assert_eq!(w[0].months, hist.iter().map(|(m, _)| *m).collect::<Vec<_>>());
        assert_eq!(w[0].file, None);
    }

    #[test]
    fn an_even_median_is_the_exact_mean_of_the_two_middle_values() {
        // 100, 200, 301, 400 → 250.5; 0.6 × 250.5 = 150.3.
        let mut hist = months_before("2026-10", 4);
        for ((_, f), rows) in hist.iter_mut().zip([301, 100, 400, 200]) {
            f.rows_read.crm = rows;
        }
        let cfg = Checks { min_history: 3, history_months: 4, ..Checks::default() };
        for (rows, warns) in [(150, true), (151, false)] {
            let mut this = normal("2026-10");
            this.rows_read.crm = rows;
            let w = of(run_with(&cfg, &this, &hist), Check::Rows);
            assert_eq!(w.len(), usize::from(warns), "{rows}");
            if warns {
                assert_eq!(w[0].expected, "250.5");
            }
        }
        assert_eq!(median(&[d("100"), d("200"), d("300"), d("400")]).map(money::exact), Some("250".into()));
        assert_eq!(median(&[d("100.10"), d("100.30")]).map(money::exact), Some("100.2".into()));
        assert_eq!(median(&[d("0.01"), d("0.02")]), Some(d("0.015")));
        assert_eq!(median(&[d("3"), d("1"), d("2")]), Some(d("2")));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn a_median_of_an_even_count_is_stored_without_trailing_zeros() {
        let mut hist = months_before("2026-10", 6);
        for ((_, f), nc) in hist.iter_mut().zip(["100.10", "100.30", "100.10", "100.30", "100.10", "100.30"]) {
            f.crm_totals.net_commission = d(nc);
        }
        let mut this = normal("2026-10");
        this.crm_totals.net_commission = d("1000.00");
        let w = of(run(&this, &hist), Check::Totals);
        assert_eq!((w[0].value.as_str(), w[0].expected.as_str()), ("1000", "100.2"));
    }

    #[test]
    fn totals_exactly_at_a_bound_pass_and_one_fen_past_warns() {
        // Median 100,000.00: bounds 40,000.00 (0.4×) and 250,000.00 (2.5×).
        let hist = months_before("2026-10", 6);
        for (nc, warns) in [("40000.00", false), ("39999.99", true), ("250000.00", false), ("250000.01", true)] {
            let mut this = normal("2026-10");
            this.crm_totals.net_commission = d(nc);
            let w = of(run(&this, &hist), Check::Totals);
            assert_eq!(w.len(), usize::from(warns), "{nc}");
            if warns {
                assert_eq!(w[0].subject, NET_COMMISSION);
                assert_eq!(w[0].value, money::exact(d(nc)));
                assert_eq!(w[0].expected, "100000");
            }
        }
        // Month-end assets: median 50,000,000.00.
        for (assets, warns) in
            [("20000000.00", false), ("19999999.99", true), ("125000000", false), ("125000000.01", true)]
        {
            let mut this = normal("2026-10");
            this.crm_totals.month_end_assets = d(assets);
            let w = of(run(&this, &hist), Check::Totals);
            assert_eq!(w.len(), usize::from(warns), "{assets}");
            if warns {
                assert_eq!(w[0].subject, MONTH_END_ASSETS);
            }
        }
    }

    #[test]
    fn totals_net_commission_comes_before_month_end_assets() {
        let mut this = normal("2026-10");
        this.crm_totals = CrmTotals { net_commission: d("0"), month_end_assets: d("0") };
        let w = of(run(&this, &months_before("2026-10", 6)), Check::Totals);
        assert_eq!(w.iter().map(|w| w.subject.as_str()).collect::<Vec<_>>(), [NET_COMMISSION, MONTH_END_ASSETS]);
    }

    #[test]
    fn a_negative_median_bounds_the_interval_it_spans() {
        // Median −100: the interval is [−250, −40].
        assert!(!outside(d("-40"), d("-100"), d("0.4"), d("2.5")));
        assert!(!outside(d("-250"), d("-100"), d("0.4"), d("2.5")));
        assert!(outside(d("-39.99"), d("-100"), d("0.4"), d("2.5")));
        assert!(outside(d("-250.01"), d("-100"), d("0.4"), d("2.5")));
        // A bound that overflows bounds nothing; the other still does.
        assert!(!outside(Decimal::MAX, Decimal::MAX, d("0.4"), d("2.5")));
        assert!(outside(d("0"), Decimal::MAX, d("0.4"), d("2.5")));
    }

    #[test]
    fn only_the_latest_history_months_are_compared() {
        // Eight earlier months given; the two oldest, with 10 rows each, fall outside the 6.
        let mut hist = months_before("2026-10", 8);
        hist[0].1.rows_read.crm = 10;
        hist[1].1.rows_read.crm = 10;
        let mut this = normal("2026-10");
        this.rows_read.crm = 480;
        assert!(run(&this, &hist).warnings.is_empty());
        let cfg = Checks { history_months: 8, ..Checks::default() };
        let out = run_with(&cfg, &this, &hist);
        assert!(out.warnings.is_empty(), "median of 8 is still 800");
        this.rows_read.crm = 479;
        let w = of(run(&this, &hist), Check::Rows);
        assert_eq!(w[0].months, hist[2..].iter().map(|(m, _)| *m).collect::<Vec<_>>());
    }

    #[test]
    fn months_not_before_m_are_ignored() {
        let mut hist = months_before("2026-10", 6);
        hist.push((ym("2026-10"), normal("2026-10")));
        hist.push((ym("2026-11"), normal("2026-11")));
        let out = run(&normal("2026-10"), &hist);
        assert!(out.warnings.is_empty(), "M's own files are not the same data as an earlier month's");
        assert_eq!(of(run(&normal("2026-10"), &hist[6..]), Check::SameData), Vec::<Warning>::new());
        assert_eq!(run(&normal("2026-10"), &hist[6..]).not_run.len(), 6);
    }

    #[test]
    fn same_data_names_the_latest_earlier_month_and_file() {
        let hist = months_before("2026-10", 6);
        let mut this = normal("2026-10");
        // The crm file re-sends 2026-05's export under this month's name.
        this.files[0].data_sha256 = "crm2026-05".into();
        let w = of(run(&this, &hist), Check::SameData);
        assert_eq!(
            w,
            [Warning {
                check: Check::SameData,
                subject: "2026-10/crm_2026-10.xlsx".into(),
                value: "800".into(),
                expected: "2026-05/crm_2026-05.xlsx".into(),
                months: vec![ym("2026-05")],
                file: Some("2026-10/crm_2026-10.xlsx".into()),
            }]
        );
        assert_eq!(
            w[0].words(true),
            "文件 2026-10/crm_2026-10.xlsx 的数据行（800 行）与 2026-05 的文件 2026-05/crm_2026-05.xlsx 完全相同：疑为重发的旧导出"
        );
        // Sent twice before: the latest is named.
        let mut hist2 = hist.clone();
        hist2[4].1.files[0].data_sha256 = "crm2026-05".into(); // 2026-08
        let w = run(&this, &hist2).warnings;
        assert_eq!((w[0].months.clone(), w[0].expected.as_str()), (vec![ym("2026-08")], "2026-08/crm_2026-08.xlsx"));
    }

    #[test]
    fn same_data_looks_back_twelve_calendar_months_and_no_further() {
        let mut this = normal("2026-10");
        this.files[1].data_sha256 = "old".into();
        for (back, warns) in [(12, true), (13, false)] {
            let mut m = ym("2026-10");
            for _ in 0..back {
                m = m.prev();
            }
            let mut old = normal(&m.to_string());
            old.files[1].data_sha256 = "old".into();
            let window = [(m, &old)];
            let hist = months_before("2026-10", 6);
            let out = run_checks(&Checks::default(), ym("2026-10"), &this, &refs(&hist), &window);
            let w: Vec<_> = out.warnings.iter().filter(|w| w.check == Check::SameData).collect();
            assert_eq!(w.len(), usize::from(warns), "{back} months back");
            if warns {
                assert_eq!(w[0].subject, "2026-10/accounts_2026-10.xlsx");
                assert_eq!(w[0].months, [ym("2025-10")]);
            } else {
                assert_eq!(out.not_run, [NotRun { check: Check::SameData, reason: NotRunReason::NoEarlierMonth }]);
            }
        }
    }

    #[test]
    fn same_data_compares_within_a_kind_skips_empty_files_and_orders_by_kind_then_label() {
        let hist = months_before("2026-10", 6);
        let mut this = normal("2026-10");
        // An accounts file with the data of 2026-09's crm file: another kind, no warning.
        this.files[1].data_sha256 = "crm2026-09".into();
        assert!(run(&this, &hist).warnings.is_empty());
        // Two crm files (natural order: crm_2 before crm_10) and the accounts file, all re-sent.
        this.files = vec![
            FileFigures {
                label: "2026-10/crm_10.xlsx".into(),
                kind: CheckedKind::Crm,
                rows: 5,
                data_sha256: "crm2026-07".into(),
            },
            FileFigures {
                label: "2026-10/accounts.xlsx".into(),
                kind: CheckedKind::Accounts,
                rows: 7,
                data_sha256: "acc2026-06".into(),
            },
            FileFigures {
                label: "2026-10/crm_2.xlsx".into(),
                kind: CheckedKind::Crm,
                rows: 6,
                data_sha256: "crm2026-09".into(),
            },
        ];
        let w = run(&this, &hist).warnings;
        assert_eq!(
            w.iter().map(|w| w.subject.as_str()).collect::<Vec<_>>(),
            ["2026-10/crm_2.xlsx", "2026-10/crm_10.xlsx", "2026-10/accounts.xlsx"]
        );
        // Files without data rows have the same (empty) data every month: never compared.
        let mut empty = hist.clone();
        for (_, f) in &mut empty {
            f.files[1].rows = 0;
            f.files[1].data_sha256 = "empty".into();
        }
        let mut this = normal("2026-10");
        this.files[1].rows = 0;
        this.files[1].data_sha256 = "empty".into();
        assert!(of(run(&this, &empty), Check::SameData).is_empty());
    }

    #[test]
    fn missing_team_needs_rows_in_each_of_the_three_latest_months() {
        let mut hist = months_before("2026-10", 6);
        for ((_, f), n) in hist[3..].iter_mut().zip([812, 790, 805]) {
            f.team_rows.insert("西区团队".into(), n);
        }
        let mut this = normal("2026-10");
        this.team_rows.remove("西区团队");
        let w = of(run(&this, &hist), Check::MissingTeam);
        assert_eq!(
            w,
            [Warning {
                check: Check::MissingTeam,
                subject: "西区团队".into(),
                value: "0".into(),
                expected: "812,790,805".into(),
                months: vec![ym("2026-07"), ym("2026-08"), ym("2026-09")],
                file: None,
            }]
        );
        assert_eq!(w[0].words(true), "西区团队本月无客户业绩记录（近 3 个月 2026-07…2026-09：812、790、805 行）");
        assert_eq!(
            w[0].words(false),
            "team 西区团队 has no CRM rows this month (latest 3 months 2026-07…2026-09: 812, 790, 805 rows)"
        );
        // A zero count in M is none, like an absent team.
        this.team_rows.insert("西区团队".into(), 0);
        assert_eq!(of(run(&this, &hist), Check::MissingTeam).len(), 1);
        // One row in M: not missing.
        this.team_rows.insert("西区团队".into(), 1);
        assert!(of(run(&this, &hist), Check::MissingTeam).is_empty());
        // No rows in one of the three months (even with rows in older months): not reported.
        this.team_rows.remove("西区团队");
        hist[4].1.team_rows.insert("西区团队".into(), 0);
        assert!(of(run(&this, &hist), Check::MissingTeam).is_empty());
        hist[4].1.team_rows.remove("西区团队");
        assert!(of(run(&this, &hist), Check::MissingTeam).is_empty());
    }

    #[test]
    fn missing_teams_in_natural_order() {
        let mut hist = months_before("2026-10", 3);
        for (_, f) in &mut hist {
            for t in ["十组", "二组"] {
                f.team_rows.insert(t.into(), 3);
            }
        }
        let w = run(&normal("2026-10"), &hist).warnings;
        assert_eq!(w.iter().map(|w| w.subject.as_str()).collect::<Vec<_>>(), ["二组", "十组"]);
    }

    #[test]
    fn missing_manager_at_exactly_the_minimum_rows_warns_one_row_less_does_not() {
        let mut hist = months_before("2026-10", 6);
        for (_, f) in &mut hist[3..] {
            f.manager_rows.insert("9002".into(), 10);
        }
        let mut this = normal("2026-10");
        this.manager_rows.remove("9002");
        let w = of(run(&this, &hist), Check::MissingManager);
        assert_eq!(
            w,
            [Warning {
                check: Check::MissingManager,
                subject: "9002 李四".into(),
                value: "0".into(),
                expected: "10,10,10".into(),
                months: vec![ym("2026-07"), ym("2026-08"), ym("2026-09")],
                file: None,
            }]
        );
        assert_eq!(
            w[0].words(true),
            "客户经理 9002 李四 全月在岗，本月无客户业绩记录（近 3 个月 2026-07…2026-09：10、10、10 行）"
        );
        hist[3].1.manager_rows.insert("9002".into(), 9);
        assert!(of(run(&this, &hist), Check::MissingManager).is_empty());
        // Older months do not count.
        hist[3].1.manager_rows.insert("9002".into(), 10);
        hist[2].1.manager_rows.insert("9002".into(), 0);
        assert_eq!(of(run(&this, &hist), Check::MissingManager).len(), 1);
        // With the configured minimum.
        let cfg = Checks { manager_min_rows: 11, ..Checks::default() };
        assert!(of(run_with(&cfg, &this, &hist), Check::MissingManager).is_empty());
    }

    #[test]
    fn missing_manager_must_be_active_all_month_in_m_and_the_three_months() {
        let hist = months_before("2026-10", 6);
        let mut this = normal("2026-10");
        this.manager_rows.remove("9001");
        assert_eq!(of(run(&this, &hist), Check::MissingManager).len(), 1);
        // Not active every day of M (joined or left during it).
        let mut part = this.clone();
        part.full_month_managers.remove("9001");
        assert!(of(run(&part, &hist), Check::MissingManager).is_empty());
        // Not active every day of one of the three months.
        let mut h = hist.clone();
        h[5].1.full_month_managers.remove("9001");
        assert!(of(run(&this, &h), Check::MissingManager).is_empty());
        // ...but an older month does not matter.
        let mut h = hist.clone();
        h[0].1.full_month_managers.remove("9001");
        assert_eq!(of(run(&this, &h), Check::MissingManager).len(), 1);
        // Rows in M (a zero count is none).
        this.manager_rows.insert("9001".into(), 0);
        assert_eq!(of(run(&this, &hist), Check::MissingManager).len(), 1);
        this.manager_rows.insert("9001".into(), 1);
        assert!(of(run(&this, &hist), Check::MissingManager).is_empty());
    }

    #[test]
    fn managers_of_a_missing_team_are_not_reported_and_the_rest_are_in_natural_order() {
        let hist = months_before("2026-10", 6);
        let mut this = normal("2026-10");
        this.team_rows.remove("西区团队");
        this.manager_rows.clear();
        let out = run(&this, &hist);
        assert_eq!(
            out.warnings.iter().map(|w| (w.check, w.subject.as_str())).collect::<Vec<_>>(),
            [
                (Check::MissingTeam, "西区团队"),
                (Check::MissingManager, "9001 张三"),
                (Check::MissingManager, "9002 李四")
            ]
        );
        // Without the missing team, its managers in natural order of id: 900 before 1000.
        this.team_rows.insert("西区团队".into(), 400);
        let w = of(run(&this, &hist), Check::MissingManager);
        assert_eq!(
            w.iter().map(|w| w.subject.as_str()).collect::<Vec<_>>(),
            ["900 王五", "1000 赵六", "9001 张三", "9002 李四"]
        );
    }

    #[test]
    fn headcount_exactly_at_the_bound_passes_one_manager_less_warns() {
        // Latest month 40 managers: bound 0.8 × 40 = 32. The median is not used.
        let mut hist = months_before("2026-10", 6);
        for (_, f) in &mut hist[..5] {
            f.active_managers = 100;
        }
        for (n, warns) in [(32, false), (31, true), (40, false)] {
            let mut this = normal("2026-10");
            this.active_managers = n;
            let w = of(run(&this, &hist), Check::Headcount);
            assert_eq!(w.len(), usize::from(warns), "{n}");
            if warns {
                assert_eq!(
                    w[0],
                    Warning {
                        check: Check::Headcount,
                        subject: ACTIVE_MANAGERS.into(),
                        value: "31".into(),
                        expected: "40".into(),
                        months: vec![ym("2026-09")],
                        file: None,
                    }
                );
                assert_eq!(w[0].words(true), "在岗客户经理 31 人，低于 2026-09 的 40 人（为其 0.78 倍）");
            }
        }
        // One fractional step: 0.75 × 41 = 30.75; 30 warns, 31 passes.
        let cfg = Checks { headcount_low: d("0.75"), ..Checks::default() };
        hist[5].1.active_managers = 41;
        for (n, warns) in [(31, false), (30, true)] {
            let mut this = normal("2026-10");
            this.active_managers = n;
            assert_eq!(of(run_with(&cfg, &this, &hist), Check::Headcount).len(), usize::from(warns), "{n}");
        }
    }

    #[test]
    fn warnings_come_in_the_specs_check_order() {
        let hist = months_before("2026-10", 6);
        let mut this = normal("2026-10");
        this.files[0].data_sha256 = "crm2026-09".into();
        this.rows_read.roster = 10;
        this.crm_totals.month_end_assets = d("1");
        this.team_rows.remove("东区团队");
        this.manager_rows.remove("900");
        this.active_managers = 10;
        let checks: Vec<Check> = run(&this, &hist).warnings.iter().map(|w| w.check).collect();
        assert_eq!(checks, Check::ALL);
    }

    #[test]
    fn rows_and_totals_in_words() {
        let hist = months_before("2026-10", 6);
        let mut this = normal("2026-10");
        this.rows_read.crm = 412;
        this.crm_totals.net_commission = d("300000.5");
        let w = run(&this, &hist).warnings;
        assert_eq!(w[0].words(true), "crm 行数 412，低于近 6 个月中位数 800（为其 0.52 倍；2026-04…2026-09）");
        assert_eq!(
            w[0].words(false),
            "crm rows read 412, below the median 800 of the latest 6 months (0.52 times it; 2026-04…2026-09)"
        );
        assert_eq!(
            w[1].words(true),
            "crm 净佣金合计 300,000.5，高于近 6 个月中位数 100,000（为其 3 倍；2026-04…2026-09）"
        );
    }

    #[test]
    fn check_names_in_serde_and_display_and_the_manifest_shape() {
        let names: Vec<String> = Check::ALL.iter().map(|c| c.to_string()).collect();
        assert_eq!(names, ["same_data", "rows", "totals", "missing_team", "missing_manager", "headcount"]);
        for c in Check::ALL {
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
        }
        let mut sorted = Check::ALL;
        sorted.sort();
        assert_eq!(sorted, Check::ALL);
        let w = Warning {
            check: Check::Rows,
            subject: "crm".into(),
            value: "412".into(),
            expected: "805".into(),
            months: vec![ym("2026-08"), ym("2026-09")],
            file: None,
        };
        let json = serde_json::to_value(&w).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"check": "rows", "subject": "crm", "value": "412", "expected": "805",
                               "months": ["2026-08", "2026-09"], "file": null})
        );
        assert_eq!(serde_json::from_value::<Warning>(json).unwrap(), w);
    }

    #[test]
    fn month_figures_round_trip_through_json() {
        let f = normal("2026-10");
        let back: MonthFigures = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
        let out = run(&MonthFigures::default(), &months_before("2026-10", 6));
        let back: CheckOutcome = serde_json::from_str(&serde_json::to_string(&out).unwrap()).unwrap();
        assert_eq!(back, out);
    }
}
