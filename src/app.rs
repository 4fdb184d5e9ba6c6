//! The commands: flags → settings → the pipeline, and the outcome of each month.
//!
//! `run` reads, checks, computes and writes a month (or a range, oldest first, stopping at the
//! first file-level error); `check` does all of that but the writing; `explain` prints one
//! manager's calculation; `sample` writes generated months.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::io::IsTerminal;

use crate::analysis::history::History;
use crate::analysis::review::{annual_review, quarter_of, quarterly_review};
use crate::analysis::team::team_analysis;
use crate::analysis::{summarize, MonthSummary};
use crate::calendar::{Date, YearMonth};
use crate::cli::{Cli, Command, ConfigArg};
use crate::compute::{compute_month, Component, MonthResult};
use crate::config::{Config, StandardSet};
use crate::error::RunError;
use crate::ingest::month::{ingest_month, MonthInput, Unread};
use crate::ingest::Severity;
use crate::money::display;
use crate::report::{self, labels::labels, ReportCtx};

/// How a command ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Written, no exceptions (exit 0).
    Clean,
    /// Written, with data exceptions (exit 1).
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

/// The configuration, every standard version, and the data folder (`--data` or `paths.data`).
fn load(arg: &ConfigArg, data: Option<PathBuf>) -> Result<(Config, StandardSet, PathBuf), RunError> {
    let cfg = Config::load(&config_path(arg))?;
    let standards = StandardSet::load(&cfg.standards_dir)?;
    let data = data.unwrap_or_else(|| cfg.data_dir.clone());
    Ok((cfg, standards, data))
}

fn parse_month(s: &str, flag: &str) -> Result<YearMonth, RunError> {
    YearMonth::parse(s).ok_or_else(|| RunError::Usage(format!("{flag} {s:?} is not a month YYYY-MM")))
}

/// The previous calendar month of today (UTC).
pub fn previous_month() -> YearMonth {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let today = Date::from_days((secs / 86_400) as i64);
    today.year_month().prev()
}

/// Execute a parsed command line.
///
/// # Errors
/// Whatever stops the command: usage, configuration, a file-level input error, `--strict`, or
/// a failed write.
pub fn execute(cli: Cli) -> Result<Status, RunError> {
    match cli.command {
        Command::Run { config, month, from, to, data, out, strict, timings } => {
            let months = match (month, from, to) {
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
            };
            let (cfg, standards, data) = load(&config, data)?;
            let out = out.unwrap_or_else(|| cfg.reports_dir.clone());
            let mut history = History::new(&cfg, &standards, &data, Some(out.join(".cache")));
            let mut worst = Status::Clean;
            let bar = (months.len() > 1 && std::io::stderr().is_terminal()).then(|| {
                let b = indicatif::ProgressBar::new(months.len() as u64);
                b.set_style(
                    indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} months {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                b
            });
            for m in months {
                if let Some(b) = &bar {
                    b.set_message(m.to_string());
                }
                let s = match &bar {
                    Some(b) => b.suspend(|| run_month(&cfg, &standards, &mut history, &out, m, strict, timings)),
                    None => run_month(&cfg, &standards, &mut history, &out, m, strict, timings),
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
        Command::Check { config, month, data } => {
            let month = match month {
                Some(m) => parse_month(&m, "--month")?,
                None => previous_month(),
            };
            let (cfg, standards, data) = load(&config, data)?;
            let (input, result) = prepare(&cfg, &standards, &data, month, &mut Timings::default())?;
            print_issues(&input, true);
            let total = MonthResult::totals(&result.managers).1;
            eprintln!(
                "{month}: configuration and inputs checked: {} active managers, total pay {}, {} exception(s); nothing written",
                result.managers.len(),
                display(total),
                input.exception_count()
            );
            Ok(if input.exception_count() > 0 { Status::Exceptions } else { Status::Clean })
        }
        Command::Explain { config, month, manager, data } => {
            let month = parse_month(&month, "--month")?;
            let (cfg, standards, data) = load(&config, data)?;
            let (input, result) = prepare(&cfg, &standards, &data, month, &mut Timings::default())?;
            let standard = standards.for_month(month, &cfg.standards_dir)?;
            let Some(m) = result.managers.iter().find(|m| m.person.manager_id == manager) else {
                return Err(RunError::Usage(format!(
                    "manager {manager:?} is not active in {month} (not on its roster, or not employed that month)"
                )));
            };
            print!("{}", explain_text(m, standard, month));
            let own: Vec<_> =
                input.issues.iter().filter(|i| i.raw == manager && i.severity == Severity::Exception).collect();
            if !own.is_empty() {
                println!("\nrows of this manager excluded from pay:");
                for i in own {
                    println!("  {i}");
                }
            }
            Ok(Status::Clean)
        }
        Command::Sample { out, from, to, managers, clients, seed } => {
            let (f, t) = (parse_month(&from, "--from")?, parse_month(&to, "--to")?);
            if f > t {
                return Err(RunError::Usage(format!("--from {f} is after --to {t}")));
            }
            crate::sample::generate(&out, f, t, managers, clients, seed)
                .map_err(|e| RunError::Write { path: out.clone(), message: e })?;
            eprintln!("sample months {f} to {t} written to {}", out.display());
            Ok(Status::Clean)
        }
    }
}

/// Time spent per stage of a month.
#[derive(Debug, Default)]
pub struct Timings {
    pub read: Duration,
    pub validate: Duration,
    pub compute: Duration,
    pub analyse: Duration,
    pub write: Duration,
}

/// Read, check and compute a month.
///
/// # Errors
/// A file-level input error or a configuration error.
pub fn prepare(
    cfg: &Config,
    standards: &StandardSet,
    data: &Path,
    month: YearMonth,
    t: &mut Timings,
) -> Result<(MonthInput, MonthResult), RunError> {
    let standard = standards.for_month(month, &cfg.standards_dir)?;
    let t0 = Instant::now();
    let input = ingest_month(cfg, data, month)?;
    t.read = input.read_time;
    t.validate = t0.elapsed().saturating_sub(input.read_time);
    let t1 = Instant::now();
    let result = compute_month(cfg, standard, &input)?;
    t.compute = t1.elapsed();
    Ok((input, result))
}

fn print_issues(input: &MonthInput, with_information: bool) {
    for (file, why) in &input.unread {
        let why = match why {
            Unread::NoPattern => "its name matches no input kind",
            Unread::NotSpreadsheet => "not a spreadsheet or text file",
        };
        eprintln!("warning: {file}: not read: {why}");
    }
    let mut info = 0;
    for i in &input.issues {
        if i.severity == Severity::Exception || with_information {
            eprintln!("{i}");
        }
        if i.severity == Severity::Information {
            info += 1;
        }
    }
    if info > 0 && !with_information {
        eprintln!("({info} information line(s) in 数据异常)");
    }
}

/// One month of `run`.
///
/// # Errors
/// As [`execute`].
pub fn run_month(
    cfg: &Config,
    standards: &StandardSet,
    history: &mut History<'_>,
    out: &Path,
    month: YearMonth,
    strict: bool,
    timings: bool,
) -> Result<Status, RunError> {
    let mut t = Timings::default();
    let data = history.data().to_path_buf();
    let (input, result) = prepare(cfg, standards, &data, month, &mut t)?;
    let standard = standards.for_month(month, &cfg.standards_dir)?;
    print_issues(&input, false);
    let exceptions = input.exception_count();
    if strict && exceptions > 0 {
        return Err(RunError::Strict { month: month.to_string(), exceptions });
    }
    let t1 = Instant::now();
    let analysis = analyse(cfg, standard, history, &input, &result)?;
    t.analyse = t1.elapsed();
    let ctx = ReportCtx {
        config: cfg,
        standard,
        input: &input,
        result: &result,
        labels: labels(cfg.report.locale),
        analysis: Some(&analysis),
    };
    let dir = out.join(month.to_string());
    let t2 = Instant::now();
    report::write_month(&ctx, &dir)?;
    t.write = t2.elapsed();
    let total = MonthResult::totals(&result.managers).1;
    eprintln!(
        "{month}: {} managers, total pay {}, {exceptions} exception(s); written to {}",
        result.managers.len(),
        display(total),
        dir.display()
    );
    if timings {
        eprintln!(
            "{month}: timings: read {:.3}s, validate {:.3}s, compute {:.3}s, analyse {:.3}s, write {:.3}s",
            t.read.as_secs_f64(),
            t.validate.as_secs_f64(),
            t.compute.as_secs_f64(),
            t.analyse.as_secs_f64(),
            t.write.as_secs_f64()
        );
    }
    Ok(if exceptions > 0 { Status::Exceptions } else { Status::Clean })
}

/// The team analysis of the month and, at quarter and year end, the reviews.
///
/// # Errors
/// A file-level or configuration error of an earlier month the analysis needs.
pub fn analyse(
    cfg: &Config,
    standard: &crate::config::Standard,
    history: &mut History<'_>,
    input: &MonthInput,
    result: &MonthResult,
) -> Result<report::Analysis, RunError> {
    let month = result.month;
    history.insert(summarize(standard, input, result));
    let year: Vec<YearMonth> = (1..=month.month).filter_map(|m| YearMonth::new(month.year, m)).collect();
    let last_year = YearMonth { year: month.year - 1, month: month.month };
    let quarter = quarter_of(month);
    let mut needed = year.clone();
    needed.push(month.prev());
    needed.push(last_year);
    if let Some((_, q)) = quarter {
        needed.extend(q);
    }
    history.load_all(&needed)?;
    let current = history.peek(month).expect("inserted above");
    let by_month: Vec<(YearMonth, Option<&MonthSummary>)> = year.iter().map(|m| (*m, history.peek(*m))).collect();
    let team = team_analysis(
        cfg,
        standard.rounding.scale,
        current,
        history.peek(month.prev()),
        history.peek(last_year),
        &by_month,
    )
    .map_err(|e| RunError::Usage(format!("team analysis of {month}: {e}")))?;
    let quarter = quarter
        .map(|(_, q)| quarterly_review(cfg, standard, q, [history.peek(q[0]), history.peek(q[1]), history.peek(q[2])]));
    let annual = (month.month == 12).then(|| annual_review(cfg, &by_month));
    Ok(report::Analysis { team, quarter, annual })
}

/// The terminal text of `explain`.
pub fn explain_text(m: &crate::compute::ManagerPay, standard: &crate::config::Standard, month: YearMonth) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{} {} — {month}", m.person.manager_id, m.person.name);
    let _ = writeln!(
        s,
        "team {} / group {} / level {} {} / {} / leader {}",
        m.person.team,
        m.person.group.as_deref().unwrap_or("-"),
        m.level,
        m.level_label,
        m.person.employment.code(),
        if m.person.leader { "yes" } else { "no" }
    );
    let _ = writeln!(s, "standard {} ({}, sha256 {})", standard.name, standard.file_name(), standard.sha256);
    let mut last = "";
    for t in &m.trace {
        if t.rule != last {
            let _ = writeln!(s, "\n[{}]", t.rule);
            last = t.rule;
        }
        match t.value {
            Some(v) => {
                let _ = writeln!(s, "  {:<28} {}  → {}", t.item, t.working, standard.rounding.format(v));
            }
            None => {
                let _ = writeln!(s, "  {:<28} {}", t.item, t.working);
            }
        }
    }
    let _ = writeln!(s, "\ncomponents:");
    for c in Component::ALL {
        let _ = writeln!(s, "  {:<20} {:>14}", c.key(), standard.rounding.format(m.component(c)));
    }
    let _ = writeln!(s, "  {:<20} {:>14}", "total", standard.rounding.format(m.total));
    s
}
