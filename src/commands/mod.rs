//! The commands of SPEC §6, one module each (or a few small ones together), on top of the
//! [`crate::pipeline`]: each takes the loaded settings and the parsed flags, asks the pipeline for
//! its months, and says on the terminal what it did. A command never imports another command (or
//! `app`, which only dispatches); what two of them share is here, and `tests/architecture.rs`
//! holds that line.

pub mod approve;
pub mod closing;
pub mod consolidate;
pub mod dossier;
pub mod file;
pub mod run;
pub mod whatif;

use crate::analysis::checks::CheckOutcome;
use crate::calendar::{Date, YearMonth};
use crate::cli::MonthsArg;
use crate::compute::ComputedMonth;
use crate::ledger::MonthContext;
use crate::model::Unread;
use crate::money::display;
use crate::pipeline::RunError;

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

/// `--month`, else the previous calendar month.
///
/// # Errors
/// A flag that is not a month.
pub fn month_or_previous(month: Option<String>) -> Result<YearMonth, RunError> {
    match month {
        Some(m) => parse_month(&m, "--month"),
        None => Ok(previous_month()),
    }
}

/// The months of `--month`, or of `--from`/`--to` (both included, ascending), or the previous
/// calendar month.
///
/// # Errors
/// A flag that is not a month; `--from` after `--to`.
pub fn months_of(arg: MonthsArg) -> Result<Vec<YearMonth>, RunError> {
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

/// Who acts: the given name, else `$USER`.
pub fn who(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok()).filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "unknown".into())
}

/// The prior-period adjustments a month carries, one warning per corrected closed month.
pub fn print_prior_period(context: &MonthContext) {
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
pub fn print_issues(month: &ComputedMonth, with_information: bool) -> usize {
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

/// The completeness warnings of a month (SPEC §4.11) on stderr, and, `with_information`, the
/// checks that did not run; gives the number of warnings.
pub fn print_checks(month: YearMonth, checks: &CheckOutcome, with_information: bool) -> usize {
    for w in &checks.warnings {
        eprintln!("warning: {month}: {}: {}", w.check.key(), w.words(false));
    }
    if with_information {
        for n in &checks.not_run {
            eprintln!("info: {month}: {}", n.words(false));
        }
    }
    checks.warnings.len()
}

/// ", 3 information line(s) in 数据异常" when the lines were not printed.
pub fn info_note(info: usize) -> String {
    if info > 0 {
        format!(", {info} information line(s) in 数据异常")
    } else {
        String::new()
    }
}
