//! Report: a computed month → its files (SPEC §5), replaced as a set under a per-month lock.
//!
//! Every output is rendered into a staging folder beside the month's folder (files created
//! 0600), hashed, the manifest last; then the staging folder takes the month folder's place in
//! one step ([`publish`]). A run that fails or is killed leaves the previous outputs of the month
//! whole; the next run removes what it left behind. Two runs of one month never interleave: the
//! second waits on the lock in the month's folder.

pub mod compensation;
pub mod consolidation;
pub mod detail;
pub mod dossier;
pub mod explain;
pub mod labels;
pub mod manifest;
pub mod payroll;
pub mod period;
pub mod publish;
pub mod reasons;
pub mod recon;
pub mod review;
pub mod row;
pub mod slips;
pub mod statements;
pub mod style;
pub mod team;
pub mod whatif;
pub mod words;
pub mod working;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::analysis::checks::CheckOutcome;
use crate::analysis::period::{Period, PeriodKind};
use crate::analysis::review::quarter_of;
use crate::analysis::Analysis;
use crate::calendar::YearMonth;
use crate::compute::ComputedMonth;
use crate::config::{Config, Locale};
pub use labels::Labels;
pub use manifest::Manifest;

/// Why a month's outputs could not be written (the month's earlier outputs are left whole), or
/// an earlier run's manifest not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    Write {
        path: PathBuf,
        message: String,
    },
    /// A month's manifest that cannot be read or is not one ([`Manifest::read`]).
    Read {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Write { path, message } => {
                write!(f, "cannot write {}: {message} (earlier outputs left as they were)", path.display())
            }
            ReportError::Read { path, message } => write!(f, "cannot read {}: {message}", path.display()),
        }
    }
}

impl std::error::Error for ReportError {}

/// What every report of a month is made from.
#[derive(Clone, Copy)]
pub struct ReportCtx<'a> {
    pub config: &'a Config,
    pub month: &'a ComputedMonth,
    pub labels: &'static Labels,
    /// The team analysis and, at quarter and year end, the reviews.
    pub analysis: Option<&'a Analysis>,
    /// The completeness checks of the month against its history (SPEC §4.11).
    pub checks: Option<&'a CheckOutcome>,
}

impl ReportCtx<'_> {
    pub fn ym(&self) -> YearMonth {
        self.month.month
    }
    pub fn rounding(&self) -> crate::money::Rounding {
        self.month.standard.rounding
    }
}

/// A written output: its name and SHA-256.
#[derive(Debug, Clone)]
pub struct Written {
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

/// The file names of a month's outputs (SPEC §5), in the words of the report's locale; the
/// payroll CSV's is always English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNames {
    /// 薪酬月报表 (item 1).
    pub report: String,
    /// 业务明细 (item 2).
    pub detail: String,
    /// 营销客户确认单 (item 3).
    pub slips: String,
    /// The payroll CSV (item 6).
    pub payroll: String,
    /// 薪酬明细单.
    pub statements: String,
    /// 团队分析 (item 4).
    pub team: String,
    /// 季度考核 (item 5): in the last month of a quarter only.
    pub quarterly: Option<String>,
    /// 年度考评 (item 5): in December only.
    pub annual: Option<String>,
    /// The half-year team report (item 4): the first half's in June, the second half's in
    /// December.
    pub half_year: Option<String>,
    /// The annual team report (item 4): in December only.
    pub year: Option<String>,
}

impl FileNames {
    /// The names of `month`'s outputs in `locale`. The reviews are named by the rule the
    /// analysis makes them by: a quarter's in its last month ([`quarter_of`]), the year's in
    /// December.
    pub fn new(locale: Locale, month: YearMonth) -> Self {
        let l = labels::labels(locale);
        let al = labels::analysis_labels(locale);
        FileNames {
            report: format!("{}_{month}.xlsx", l.compensation_file),
            detail: format!("{}_{month}.xlsx", l.detail_file),
            slips: format!("{}_{month}.xlsx", l.slips_file),
            payroll: format!("payroll_{month}.csv"),
            statements: format!("{}_{month}.xlsx", l.statements_file),
            team: format!("{}_{month}.xlsx", al.team_file),
            quarterly: quarter_of(month).map(|(q, _)| format!("{}_{}Q{q}.xlsx", al.quarterly_file, month.year)),
            annual: (month.month == 12).then(|| format!("{}_{}.xlsx", al.annual_file, month.year)),
            half_year: Self::period(locale, month, |p| p.kind != PeriodKind::Year),
            year: Self::period(locale, month, |p| p.kind == PeriodKind::Year),
        }
    }

    /// The name of the team report of the period `month` ends that `which` picks, if any
    /// ([`Period::ending_in`]).
    fn period(locale: Locale, month: YearMonth, which: fn(&Period) -> bool) -> Option<String> {
        let al = labels::analysis_labels(locale);
        Period::ending_in(month).into_iter().find(which).map(|p| Self::of_period(p, al))
    }

    /// The name of a period's team report: `团队分析_2026H1.xlsx`, `团队分析_2026.xlsx`.
    pub fn of_period(p: Period, al: &labels::AnalysisLabels) -> String {
        format!("{}_{}.xlsx", al.team_file, p.code())
    }
}

use crate::digest::sha256_file as hash_file;
pub use publish::{lock_month, MonthLock};

/// Names of the outputs an earlier run listed in the month's manifest: none when the folder has
/// no manifest, or one this build cannot read (its files are then kept as somebody's own).
fn earlier_outputs(dir: &Path) -> Vec<String> {
    Manifest::read(&dir.join(Manifest::FILE))
        .map(|m| m.outputs.into_iter().map(|o| o.file).collect())
        .unwrap_or_default()
}

/// Render every output of the month and replace the month's folder's outputs with them as a
/// set (see [`publish`]); `on_wait` is called when another run holds the month's lock. The
/// analysis of the month may still be in the making: the detail, which needs only the computed
/// month (`computed`), is written on a second core at once, while `meanwhile` makes on this thread
/// what the other outputs need; `parts` takes the analysis and the checks from it. When
/// `meanwhile` fails, nothing is written and the month's outputs stay as they were (a month never
/// written before is left with no folder).
///
/// # Errors
/// What `meanwhile` refuses; [`ReportError::Write`] when any output cannot be written.
pub fn write_month_while<T, E: From<ReportError>>(
    computed: &ReportCtx<'_>,
    dir: &Path,
    on_wait: &dyn Fn(),
    meanwhile: impl FnOnce() -> Result<T, E>,
    parts: impl FnOnce(&T) -> Parts<'_>,
) -> Result<(T, Vec<Written>), E> {
    // A month never written before leaves no folder behind when nothing is written.
    let fresh = !dir.exists();
    let lock = lock_month(dir, on_wait)?;
    publish::recover(dir)?;
    let staging = publish::staging_folder(dir)?;
    let result = render_into_while(computed, &staging, meanwhile, parts).and_then(|(made, written)| {
        let mut ours: Vec<String> = earlier_outputs(dir);
        ours.extend(written.iter().map(|w| w.name.clone()));
        ours.push(Manifest::FILE.into());
        publish::carry_over(dir, &staging, &|n| ours.iter().any(|o| o == n))?;
        publish::fault("carried").map_err(|e| ReportError::Write { path: dir.to_path_buf(), message: e })?;
        publish::swap(&staging, dir)?;
        Ok((made, written))
    });
    match result {
        Ok(done) => {
            if let Err(e) = publish::fault("swapped") {
                // The new set is in place; only the old one is left for the next run to remove.
                return Err(ReportError::Write { path: dir.to_path_buf(), message: e }.into());
            }
            publish::discard(&staging);
            Ok(done)
        }
        Err(e) => {
            publish::discard(&staging);
            if fresh {
                publish::remove_fresh(dir, lock);
            }
            Err(e)
        }
    }
}

/// Render every output of the month into `dir` (a fresh folder), the manifest last.
///
/// # Errors
/// [`ReportError::Write`] when any output cannot be written.
pub fn render_into(ctx: &ReportCtx<'_>, dir: &Path) -> Result<Vec<Written>, ReportError> {
    render_into_while(ctx, dir, || Ok::<_, ReportError>((ctx.analysis, ctx.checks)), |made| *made).map(|(_, w)| w)
}

/// The parts of a month's report context made after it is computed: its analysis and checks.
pub type Parts<'a> = (Option<&'a Analysis>, Option<&'a CheckOutcome>);

/// [`render_into`], the detail written on a second core from the start while `meanwhile` runs
/// on this thread (see [`write_month_while`]).
///
/// # Errors
/// What `meanwhile` refuses; [`ReportError::Write`] when any output cannot be written.
pub fn render_into_while<T, E: From<ReportError>>(
    computed: &ReportCtx<'_>,
    dir: &Path,
    meanwhile: impl FnOnce() -> Result<T, E>,
    parts: impl FnOnce(&T) -> Parts<'_>,
) -> Result<(T, Vec<Written>), E> {
    let names = FileNames::new(computed.config.report.locale, computed.ym());
    let werr = |name: &str, e: String| ReportError::Write { path: dir.join(name), message: e };

    type Render<'r> = &'r (dyn Fn(&Path) -> Result<(), String> + Sync);
    let stage = |name: &str, render: Render<'_>| -> Result<String, ReportError> {
        let path = dir.join(name);
        // Each writer writes through `crate::output`: created private, flushed, closed.
        render(&path).map_err(|e| werr(name, e))?;
        publish::fault(&format!("stage:{name}")).map_err(|e| werr(name, e))?;
        Ok(name.to_string())
    };
    // The million-row detail is written on a second core from the start: while what the other
    // outputs need is made, and while they are written.
    std::thread::scope(|s| {
        let detail = s.spawn(|| stage(&names.detail, &|p| detail::write(p, computed).map_err(|e| e.to_string())));
        let made = match meanwhile() {
            Ok(made) => made,
            Err(e) => {
                let _ = detail.join();
                return Err(e);
            }
        };
        let (analysis, checks) = parts(&made);
        let ctx = ReportCtx { analysis, checks, ..*computed };
        let others = render_others(&ctx, &names, &stage);
        let detail = detail.join().map_err(|_| werr(&names.detail, "the writer thread failed".into()))?;
        let (detail, mut others) = (detail?, others?);
        let mut staged = vec![others.remove(0), detail];
        staged.append(&mut others);

        let mut written = Vec::new();
        for name in &staged {
            let path = dir.join(name);
            let (sha256, size) = hash_file(&path).map_err(|e| werr(name, e.to_string()))?;
            written.push(Written { name: name.clone(), sha256, size });
        }
        let text = Manifest::new(&ctx, &written).to_json().map_err(|e| werr(Manifest::FILE, e.to_string()))?;
        stage(Manifest::FILE, &|p| crate::output::write(p, text.as_bytes()).map_err(|e| e.to_string()))?;
        Ok((made, written))
    })
}

type Stage<'s> = dyn Fn(&str, &(dyn Fn(&Path) -> Result<(), String> + Sync)) -> Result<String, ReportError> + 's;

/// Every output but the detail and the manifest, in the manifest's order; gives their names.
fn render_others(ctx: &ReportCtx<'_>, names: &FileNames, stage: &Stage<'_>) -> Result<Vec<String>, ReportError> {
    let mut v = vec![
        stage(&names.report, &|p| compensation::write(p, ctx).map_err(|e| e.to_string()))?,
        stage(&names.slips, &|p| slips::write(p, ctx).map_err(|e| e.to_string()))?,
        stage(&names.payroll, &|p| {
            crate::output::write_with(p, |f| payroll::write(f, ctx)).map_err(|e| e.to_string())
        })?,
        stage(&names.statements, &|p| statements::write(p, ctx).map_err(|e| e.to_string()))?,
    ];
    if let Some(a) = ctx.analysis {
        let al = labels::analysis_labels(ctx.config.report.locale);
        let cfg = ctx.config;
        let m = ctx.ym();
        v.push(stage(&names.team, &|p| team::write(p, cfg, &a.team, al).map_err(|e| e.to_string()))?);
        if let (Some(q), Some(name)) = (&a.quarter, &names.quarterly) {
            v.push(stage(name, &|p| review::write_quarter(p, cfg, q, al).map_err(|e| e.to_string()))?);
        }
        if let (Some(y), Some(name)) = (&a.annual, &names.annual) {
            v.push(stage(name, &|p| review::write_annual(p, cfg, y, al, m).map_err(|e| e.to_string()))?);
        }
        for pa in &a.periods {
            let name = FileNames::of_period(pa.current.period, al);
            v.push(stage(&name, &|p| period::write(p, cfg, pa, al).map_err(|e| e.to_string()))?);
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ym;

    #[test]
    fn a_month_names_its_outputs_and_its_reviews_only_when_it_ends_a_quarter_or_the_year() {
        let october = FileNames::new(Locale::ZhCn, ym("2026-10"));
        assert_eq!(
            october,
            FileNames {
                report: "薪酬月报表_2026-10.xlsx".into(),
                detail: "业务明细_2026-10.xlsx".into(),
                slips: "营销客户确认单_2026-10.xlsx".into(),
                payroll: "payroll_2026-10.csv".into(),
                statements: "薪酬明细单_2026-10.xlsx".into(),
                team: "团队分析_2026-10.xlsx".into(),
                quarterly: None,
                annual: None,
                half_year: None,
                year: None,
            }
        );
        let march = FileNames::new(Locale::ZhCn, ym("2026-03"));
        assert_eq!((march.quarterly.as_deref(), march.annual), (Some("季度考核_2026Q1.xlsx"), None));
        let december = FileNames::new(Locale::En, ym("2025-12"));
        assert_eq!(december.report, "compensation_2025-12.xlsx");
        assert_eq!(december.payroll, "payroll_2025-12.csv");
        assert_eq!(december.quarterly.as_deref(), Some("quarterly_review_2025Q4.xlsx"));
        assert_eq!(december.annual.as_deref(), Some("annual_review_2025.xlsx"));
        assert_eq!(december.half_year.as_deref(), Some("team_analysis_2025H2.xlsx"));
        assert_eq!(december.year.as_deref(), Some("team_analysis_2025.xlsx"));
        let june = FileNames::new(Locale::ZhCn, ym("2026-06"));
        assert_eq!((june.half_year.as_deref(), june.year), (Some("团队分析_2026H1.xlsx"), None));
    }
}
