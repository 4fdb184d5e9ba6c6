//! One month's road, and the only one: sources → ingest → compute → analysis → report → publish.
//!
//! Takes the loaded [`Settings`] and a [`Ledger`] (every other month a month needs); gives a
//! [`Generated`] month (its source, context, computed figures and analysis), its report context,
//! and its publication (the ledger records it, the report replaces the month's outputs as a set).
//! The ledger has earlier months computed through the same road ([`ROAD`], its [`Producer`]), so
//! a month is computed the same way whether it is being run or only needed by a later one. Every
//! command (`run`, `check`, `explain`, `close`, `verify`, `whatif` …) takes its months from here
//! and never from another command. Prints nothing.

pub mod error;

use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

pub use error::RunError;

use crate::analysis::checks::{run_checks, CheckOutcome, CrmTotals, MonthFigures};
use crate::analysis::{self, summarize, Analysis, MonthSummary};
use crate::calendar::YearMonth;
use crate::compute::compute_month;
use crate::compute::ComputedMonth;
use crate::config::{Config, StandardSet};
use crate::ingest::{ingest_month, AccountStatus};
use crate::ledger::{Ledger, LedgerError, MonthContext, Produced, Producer, Source};
use crate::report::{self, labels::labels, ReportCtx};

/// How a command ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Written, no exceptions (exit 0).
    Clean,
    /// Written, with data exceptions; or, for `verify`, outputs that differ (exit 1).
    Exceptions,
}

impl Status {
    pub fn exit_code(self) -> i32 {
        match self {
            Status::Clean => 0,
            Status::Exceptions => 1,
        }
    }
}

/// The loaded settings of a command: configuration, standards, data and reports folders.
pub struct Settings {
    pub config_file: PathBuf,
    pub config: Config,
    pub standards: StandardSet,
    pub data: PathBuf,
    pub reports: PathBuf,
}

impl Settings {
    /// The configuration at `config_file`, every standard version, the data folder (`data`, else
    /// `paths.data`) and the reports folder (`reports`, else `paths.reports`).
    ///
    /// # Errors
    /// A configuration error.
    pub fn load(config_file: PathBuf, data: Option<PathBuf>, reports: Option<PathBuf>) -> Result<Self, RunError> {
        let config = Config::load(&config_file)?;
        let standards = StandardSet::load(&config.standards_dir)?;
        let data = data.unwrap_or_else(|| config.data_dir.clone());
        let reports = reports.unwrap_or_else(|| config.reports_dir.clone());
        Ok(Settings { config_file, config, standards, data, reports })
    }

    /// The ledger of these settings, which writes its cache.
    pub fn ledger(&self) -> Ledger<'_> {
        Ledger::new(&ROAD, &self.config, &self.standards, &self.data, &self.reports)
    }

    /// The ledger of these settings, reading its cache but never writing to the reports folder.
    pub fn read_only_ledger(&self) -> Ledger<'_> {
        Ledger::read_only(&ROAD, &self.config, &self.standards, &self.data, &self.reports)
    }
}

/// The first two stages of the road, sources → ingest → compute, as the ledger asks for them.
pub struct Road;

/// The road every month takes.
pub static ROAD: Road = Road;

impl Producer for Road {
    fn produce(&self, source: &Source, context: &MonthContext) -> Result<Produced, LedgerError> {
        let t0 = Instant::now();
        let input = ingest_month(&source.config, &source.data_dir, source.month, &context.earlier_lookup())?;
        let (read, check) = (input.read_time, t0.elapsed().saturating_sub(input.read_time));
        let t1 = Instant::now();
        let crm_totals =
            CrmTotals { net_commission: input.crm_recon[0].file_total, month_end_assets: input.crm_assets_total };
        let mut clients: Vec<String> = input
            .accounts
            .iter()
            .filter(|a| a.status != AccountStatus::Rejected)
            .map(|a| a.client_id.clone())
            .collect();
        clients.sort();
        clients.dedup();
        let computed = compute_month(&source.config, &source.standard, input, &context.carried())?;
        let figures = MonthFigures::of(&computed, crm_totals);
        Ok(Produced { computed, figures, clients, read, check, compute: t1.elapsed() })
    }
}

/// Read and compute a month from its source, in its context (the road's first stages).
///
/// # Errors
/// A file-level or configuration error of the month.
pub fn produce(source: &Source, context: &MonthContext) -> Result<Produced, RunError> {
    Ok(ROAD.produce(source, context)?)
}

/// Time spent per stage of a month.
#[derive(Debug, Default)]
pub struct Timings {
    /// Working out the month's context from the other months (the ledger).
    pub context: Duration,
    pub produce: Duration,
    pub analyse: Duration,
    pub write: Duration,
}

/// A month generated: computed, with its context and analysis.
pub struct Generated {
    pub source: Rc<Source>,
    pub context: MonthContext,
    pub produced: Produced,
    /// What later months and a manager's file keep of it (the ledger records it).
    pub summary: MonthSummary,
    pub analysis: Analysis,
    /// The completeness checks of the month against its history (SPEC §4.11).
    pub checks: CheckOutcome,
}

impl Generated {
    /// The report context of the month.
    pub fn report_ctx(&self) -> ReportCtx<'_> {
        ReportCtx {
            config: &self.source.config,
            month: &self.produced.computed,
            labels: labels(self.source.config.report.locale),
            analysis: Some(&self.analysis),
            checks: Some(&self.checks),
        }
    }
}

/// Compute a month in its context (from its archive when closed) and analyse it.
///
/// # Errors
/// What the month or the months it needs refuse.
pub fn generate(ledger: &mut Ledger<'_>, month: YearMonth, t: &mut Timings) -> Result<Generated, RunError> {
    let t0 = Instant::now();
    let source = ledger.source(month)?;
    let context = ledger.context(month, true)?;
    t.context = t0.elapsed();
    let t0 = Instant::now();
    let produced = produce(&source, &context)?;
    t.produce = t0.elapsed();
    let t1 = Instant::now();
    let checks = check(ledger, &source, &produced.figures)?;
    let summary = summarize(&produced.computed, &source.config.organization.code);
    let analysis = analysis::analyse(&source.config, &source.standard, &summary, &|m| context.neighbour(m))?;
    t.analyse = t1.elapsed();
    Ok(Generated { source, context, produced, summary, analysis, checks })
}

/// What `run` shows of a month before its outputs are written, and may stop it with
/// (`--strict`): its computed figures, its context and its completeness checks.
pub type Gate<'g> = dyn Fn(&ComputedMonth, &MonthContext, &CheckOutcome) -> Result<(), RunError> + 'g;

/// The whole road of an open month being run, the last stage overlapped with the analysis: the
/// ledger records the month (later months need not compute it again) and its outputs replace the
/// month's folder as a set ([`report::write_month_while`]). Once the month is computed its detail
/// (the largest output, which needs nothing else) is written on a second core, while this thread
/// loads the months the analysis compares it with, checks it against its history, analyses it,
/// asks `gate` and records it in the ledger; the other outputs follow. The outputs are the bytes [`report::render_into`] writes for
/// a [`generate`]d month; when anything before them refuses (`gate` included), nothing of the
/// month is replaced.
///
/// # Errors
/// As [`generate`]; what `gate` refuses; a failed write (the earlier outputs stay).
pub fn generate_and_publish(
    ledger: &mut Ledger<'_>,
    month: YearMonth,
    t: &mut Timings,
    on_wait: &dyn Fn(),
    gate: &Gate<'_>,
) -> Result<Generated, RunError> {
    let t0 = Instant::now();
    let source = ledger.source(month)?;
    let mut context = ledger.context(month, false)?;
    t.context = t0.elapsed();
    let t0 = Instant::now();
    let produced = produce(&source, &context)?;
    t.produce = t0.elapsed();
    let dir = ledger.month_dir(month);
    let labels = labels(source.config.report.locale);
    let computed =
        ReportCtx { config: &source.config, month: &produced.computed, labels, analysis: None, checks: None };
    let t1 = Instant::now();
    let mut analyse = Duration::ZERO;
    let ((summary, analysis, checks), _) = report::write_month_while(
        &computed,
        &dir,
        on_wait,
        || -> Result<_, RunError> {
            let t2 = Instant::now();
            context.neighbours = ledger.neighbours(month)?;
            let checks = check(ledger, &source, &produced.figures)?;
            let summary = summarize(&produced.computed, &source.config.organization.code);
            let analysis = analysis::analyse(&source.config, &source.standard, &summary, &|m| context.neighbour(m))?;
            analyse = t2.elapsed();
            gate(&produced.computed, &context, &checks)?;
            ledger.record(&produced, &summary)?;
            Ok((summary, analysis, checks))
        },
        |(_, analysis, checks)| (Some(analysis), Some(checks)),
    )?;
    t.analyse = analyse;
    t.write = t1.elapsed().saturating_sub(analyse);
    Ok(Generated { source, context, produced, summary, analysis, checks })
}

/// The completeness checks of a month (SPEC §4.11) with the configuration it is computed with (a
/// closed month's archived one), against the figures the ledger holds of its history.
///
/// # Errors
/// What an earlier month refuses.
pub fn check(ledger: &mut Ledger<'_>, source: &Source, figures: &MonthFigures) -> Result<CheckOutcome, RunError> {
    let cfg = &source.config.checks;
    if !cfg.enabled {
        return Ok(CheckOutcome::default());
    }
    let (history, window) = ledger.check_history(source.month, cfg.history_months as usize)?;
    let history: Vec<(YearMonth, &MonthFigures)> = history.iter().map(|(m, f)| (*m, &**f)).collect();
    let window: Vec<(YearMonth, &MonthFigures)> = window.iter().map(|(m, f)| (*m, &**f)).collect();
    Ok(run_checks(cfg, source.month, figures, &history, &window))
}
