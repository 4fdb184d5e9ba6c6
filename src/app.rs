//! The commands: flags → settings → the pipeline, and the outcome of each month.
//!
//! `run` reads, checks, computes and writes a month (or a range, oldest first, stopping at the
//! first file-level error, skipping closed months); `check` does all of that but the writing;
//! `explain` prints one manager's calculation; `sample` writes generated months; `close`,
//! `reopen` and `verify` are in [`crate::closing`]. Every other month a month needs comes from
//! the [`Ledger`]. This is the only module that prints to the terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::analysis::{self, summarize, Analysis};
use crate::calendar::{Date, YearMonth};
use crate::cli::{Cli, Command, ConfigArg, FoldersArg, MonthsArg};
use crate::compute::ComputedMonth;
use crate::config::{Config, StandardSet};
use crate::error::RunError;
use crate::ledger::{produce, Ledger, MonthContext, Produced, Source};
use crate::model::Unread;
use crate::money::display;
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

fn config_path(arg: &ConfigArg) -> PathBuf {
    arg.config
        .clone()
        .or_else(|| std::env::var_os("BROKERCOMP_CONFIG").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("config/brokercomp.toml"))
}

/// The loaded settings of a command: configuration, standards, data and reports folders.
pub struct Settings {
    pub config_file: PathBuf,
    pub config: Config,
    pub standards: StandardSet,
    pub data: PathBuf,
    pub reports: PathBuf,
}

/// The configuration, every standard version, the data folder (`--data` or `paths.data`) and
/// the reports folder (`--out` or `paths.reports`).
///
/// # Errors
/// A configuration error.
pub fn load(arg: &ConfigArg, folders: FoldersArg) -> Result<Settings, RunError> {
    let FoldersArg { data, out } = folders;
    let config_file = config_path(arg);
    let config = Config::load(&config_file)?;
    let standards = StandardSet::load(&config.standards_dir)?;
    let data = data.unwrap_or_else(|| config.data_dir.clone());
    let reports = out.unwrap_or_else(|| config.reports_dir.clone());
    Ok(Settings { config_file, config, standards, data, reports })
}

/// A month from the command line.
///
/// # Errors
/// Anything but `YYYY-MM`.
pub fn parse_month(s: &str, flag: &str) -> Result<YearMonth, RunError> {
    YearMonth::parse(s).ok_or_else(|| RunError::Usage(format!("{flag} {s:?} is not a month YYYY-MM")))
}

/// The previous calendar month of today (UTC).
pub fn previous_month() -> YearMonth {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let today = Date::from_days((secs / 86_400) as i64);
    today.year_month().prev()
}

/// The months of `--month`, or of `--from`/`--to` (both included, ascending), or the previous
/// calendar month.
///
/// # Errors
/// A flag that is not a month; `--from` after `--to`.
fn months_of(arg: MonthsArg) -> Result<Vec<YearMonth>, RunError> {
    Ok(match (arg.month, arg.from, arg.to) {
        (Some(m), _, _) => vec![parse_month(&m, "--month")?],
        (None, Some(f), Some(t)) => {
            let (f, t) = (parse_month(&f, "--from")?, parse_month(&t, "--to")?);
            if f > t {
                return Err(RunError::Usage(format!("--from {f} is after --to {t}")));
            }
            let mut v = vec![f];
            while *v.last().expect("non-empty") < t {
                let n = v.last().expect("non-empty").next();
                v.push(n);
            }
            v
        }
        _ => vec![previous_month()],
    })
}

/// Execute a parsed command line.
///
/// # Errors
/// Whatever stops the command: usage, configuration, a file-level input error, `--strict`, a
/// closed month, or a failed write.
pub fn execute(cli: Cli) -> Result<Status, RunError> {
    match cli.command {
        Command::Run { config, months, folders, strict, timings } => {
            let months = months_of(months)?;
            let s = load(&config, folders)?;
            let mut ledger = Ledger::new(&s.config, &s.standards, &s.data, &s.reports);
            let range = months.len() > 1;
            let mut worst = Status::Clean;
            let bar = (range && std::io::stderr().is_terminal()).then(|| {
                let b = indicatif::ProgressBar::new(months.len() as u64);
                b.set_style(
                    indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} months {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                b
            });
            let final_month = months.last().copied();
            for m in months {
                if let Some(b) = &bar {
                    b.set_message(m.to_string());
                }
                let one = |ledger: &mut Ledger<'_>| -> Result<Status, RunError> {
                    if let Some(r) = ledger.closed(m)? {
                        if range {
                            eprintln!("info: {m} is closed on {}: skipped (its archive is used)", r.closed_at);
                            return Ok(Status::Clean);
                        }
                        return Err(RunError::Closed { month: m.to_string(), at: r.closed_at });
                    }
                    run_month(ledger, m, strict, timings, Some(m) == final_month)
                };
                let s = match &bar {
                    Some(b) => b.suspend(|| one(&mut ledger)),
                    None => one(&mut ledger),
                };
                let s = s.inspect_err(|_| {
                    if let Some(b) = &bar {
                        b.abandon();
                    }
                })?;
                if let Some(b) = &bar {
                    b.inc(1);
                }
                worst = worst.max(s);
            }
            if let Some(b) = &bar {
                b.finish_with_message("done");
            }
            Ok(worst)
        }
        Command::Check { config, month, folders } => {
            let month = match month {
                Some(m) => parse_month(&m, "--month")?,
                None => previous_month(),
            };
            let s = load(&config, folders)?;
            let mut ledger = Ledger::read_only(&s.config, &s.standards, &s.data, &s.reports);
            if let Some(r) = ledger.closed(month)? {
                eprintln!("info: {month} is closed on {}: checking its archive", r.closed_at);
            }
            let source = ledger.source(month)?;
            let context = ledger.context(month, false)?;
            print_prior_period(&context);
            let produced = produce(&source, &context)?;
            let computed = &produced.computed;
            let _ = print_issues(computed, true);
            let total = computed.totals().1;
            eprintln!(
                "{month}: configuration and inputs checked with {} ({}): {} managers, total pay {}, {} exception(s); nothing written",
                source.standard.name,
                source.standard.file_name(),
                computed.managers.len(),
                display(total),
                computed.exception_count()
            );
            let status = if computed.exception_count() > 0 { Status::Exceptions } else { Status::Clean };
            // The process ends here: the month's rows need not be freed one by one.
            std::mem::forget(produced);
            Ok(status)
        }
        Command::Explain { config, month, manager, folders } => {
            let month = parse_month(&month, "--month")?;
            let s = load(&config, folders)?;
            let mut ledger = Ledger::read_only(&s.config, &s.standards, &s.data, &s.reports);
            let source = ledger.source(month)?;
            let context = ledger.context(month, false)?;
            let produced = produce(&source, &context)?;
            let computed = &produced.computed;
            let Some(m) = computed.managers.iter().find(|m| m.person.manager_id == manager) else {
                return Err(RunError::Usage(format!(
                    "manager {manager:?} is not active in {month} (not on its roster, or not employed that month)"
                )));
            };
            print!("{}", report::explain::text(computed, m, s.config.report.locale));
            Ok(Status::Clean)
        }
        Command::Sample { out, from, to, managers, clients, seed } => {
            let (f, t) = (parse_month(&from, "--from")?, parse_month(&to, "--to")?);
            if f > t {
                return Err(RunError::Usage(format!("--from {f} is after --to {t}")));
            }
            crate::sample::generate(&out, f, t, managers, clients, seed)
                .map_err(|e| RunError::Sample { path: out.clone(), message: e })?;
            eprintln!("sample months {f} to {t} written to {}", out.display());
            Ok(Status::Clean)
        }
        Command::Whatif { config, standard, months, folders } => {
            let months = months_of(months)?;
            let s = load(&config, folders)?;
            crate::whatif::run(&s, &standard, &months)
        }
        Command::Close { config, month, by, folders } => {
            let month = parse_month(&month, "--month")?;
            let s = load(&config, folders)?;
            crate::closing::close(&s, month, &who(by))
        }
        Command::Reopen { config, month, reason, by, out } => {
            let month = parse_month(&month, "--month")?;
            let s = load(&config, FoldersArg { data: None, out })?;
            crate::closing::reopen(&s, month, &reason, &who(by))
        }
        Command::Verify { config, month, folders } => {
            let month = parse_month(&month, "--month")?;
            let s = load(&config, folders)?;
            crate::closing::verify(&s, month)
        }
    }
}

/// Who acts: the given name, else `$USER`.
fn who(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok()).filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "unknown".into())
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
    pub source: std::rc::Rc<Source>,
    pub context: MonthContext,
    pub produced: Produced,
    pub analysis: Analysis,
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
    let summary = summarize(&produced.computed);
    let analysis = analysis::analyse(&source.config, &source.standard, &summary, &|m| context.neighbour(m))?;
    t.analyse = t1.elapsed();
    Ok(Generated { source, context, produced, analysis })
}

/// The report context of a generated month.
pub fn report_ctx(g: &Generated) -> ReportCtx<'_> {
    ReportCtx {
        config: &g.source.config,
        month: &g.produced.computed,
        labels: labels(g.source.config.report.locale),
        analysis: Some(&g.analysis),
    }
}

fn print_prior_period(context: &MonthContext) {
    let mut months: Vec<YearMonth> = context.prior_period.iter().map(|l| l.month).collect();
    months.dedup();
    for c in months {
        let lines: Vec<_> = context.prior_period.iter().filter(|l| l.month == c).collect();
        let total: rust_decimal::Decimal = lines.iter().map(|l| l.amount).sum();
        eprintln!(
            "warning: {c} was closed and its inputs have changed since ({}): prior-period adjustments of {} manager(s), total {}, carried into {}",
            lines[0].files_changed.join(", "),
            lines.iter().filter(|l| !l.amount.is_zero()).count(),
            display(total),
            context.month.map(|m| m.to_string()).unwrap_or_default()
        );
    }
}

/// The month's exceptions (and, `with_information`, its information lines) on stderr; gives the
/// number of information lines, for the month's own summary line.
fn print_issues(month: &ComputedMonth, with_information: bool) -> usize {
    for (file, why) in &month.unread {
        let why = match why {
            Unread::NoPattern => "its name matches no input kind",
            Unread::NotSpreadsheet => "not a spreadsheet or text file",
            Unread::Folder => "a folder",
        };
        eprintln!("warning: {file}: not read: {why}");
    }
    let mut info = 0;
    for i in &month.issues {
        if i.is_exception() || with_information {
            eprintln!("{i}");
        } else if matches!(i.reason, crate::model::Reason::NoColumn { .. }) {
            // A missing optional column changes pay for everyone: say it even in a short log.
            eprintln!("warning: {}", i.to_string().trim_start_matches("info: "));
        }
        if !i.is_exception() {
            info += 1;
        }
    }
    info
}

/// ", 3 information line(s) in 数据异常" when the lines were not printed.
fn info_note(info: usize) -> String {
    if info > 0 {
        format!(", {info} information line(s) in 数据异常")
    } else {
        String::new()
    }
}

/// One open month of `run`.
///
/// # Errors
/// As [`execute`].
pub fn run_month(
    ledger: &mut Ledger<'_>,
    month: YearMonth,
    strict: bool,
    timings: bool,
    last: bool,
) -> Result<Status, RunError> {
    let mut t = Timings::default();
    let g = generate(ledger, month, &mut t)?;
    let computed = &g.produced.computed;
    print_prior_period(&g.context);
    let info = print_issues(computed, false);
    let exceptions = computed.exception_count();
    if strict && exceptions > 0 {
        return Err(RunError::Strict { month: month.to_string(), exceptions });
    }
    ledger.record(&g.produced)?;
    let dir = ledger.month_dir(month);
    let t2 = Instant::now();
    report::write_month(&report_ctx(&g), &dir, &|| {
        eprintln!("{}: another run of this month is writing; waiting for it to finish", dir.display())
    })?;
    t.write = t2.elapsed();
    let total = computed.totals().1;
    eprintln!(
        "{month}: {} managers, total pay {}, {exceptions} exception(s){}; written to {}",
        computed.managers.len(),
        display(total),
        info_note(info),
        dir.display()
    );
    if timings {
        eprintln!(
            "{month}: timings: context {:.3}s, read {:.3}s, check {:.3}s, compute {:.3}s, analyse {:.3}s, write {:.3}s (earlier months computed: {})",
            t.context.as_secs_f64(),
            g.produced.read.as_secs_f64(),
            g.produced.check.as_secs_f64(),
            g.produced.compute.as_secs_f64(),
            t.analyse.as_secs_f64(),
            t.write.as_secs_f64(),
            ledger.computed.len()
        );
    }
    let status = if exceptions > 0 { Status::Exceptions } else { Status::Clean };
    if last {
        // The process ends with this month: its million rows need not be freed one by one.
        std::mem::forget(g);
    }
    Ok(status)
}

/// The month's outputs in `dir` (for `close` and `verify`): every file but the lock, the archive
/// and the close records.
pub fn output_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|es| {
            es.filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.') && !n.starts_with("close"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
