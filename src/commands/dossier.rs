//! `dossier` (SPEC §6, §5 item 9; guideline articles 20–21): each client manager's file over a
//! month or a range, from the months' figures as the ledger holds them (closed months from their
//! archive) — never by computing a month another way than `run` does.
//!
//! For every month of the range with inputs it takes the month's ledger entry (its summary: the
//! payroll's figures, serials, adjustments, recoveries, prior-period lines, exceptions naming a
//! manager), its completeness warnings (as `run` would give them) and, at quarter and year end,
//! the reviews the month made (with the neighbours it was made with: a closed month's archived
//! ones). Writes only `<reports>/档案/客户经理档案_<id>_<from>_<to>.xlsx`, one per manager with a
//! payroll row in the range (or the one named); reads the ledger's cache but never writes it, and
//! never touches a month's outputs.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::print_checks;
use crate::analysis::checks::Warning;
use crate::analysis::dossier::{manager_file, managers_in, ManagerFile, RangeMonth};
use crate::analysis::review::{quarter_of, AnnualReview, QuarterReview};
use crate::analysis::{reviews, MonthSummary};
use crate::calendar::YearMonth;
use crate::ledger::remove_stale_temporaries;
use crate::output::Temporary;
use crate::pipeline::{self, RunError, Settings, Status};
use crate::report::dossier::{file_name, folder, write};
use crate::report::ReportError;

/// The prefix of the files' temporary names.
const TEMPORARY: &str = ".dossier-";

/// The months of a range as the ledger holds them.
pub struct Range {
    /// Each month: its summary (`None`: no inputs) and its completeness warnings.
    pub months: Vec<(YearMonth, Option<Rc<MonthSummary>>, Vec<Warning>)>,
    pub quarters: Vec<QuarterReview>,
    pub years: Vec<AnnualReview>,
    /// Data exceptions and warnings of the range's months (exit status 1 when any).
    pub findings: usize,
}

/// The months of `months` (ascending) from the ledger, read only.
///
/// # Errors
/// What a month of the range (or a month it needs) refuses: its file-level or configuration
/// error, a closed month whose archive is no longer whole.
pub fn gather(s: &Settings, months: &[YearMonth]) -> Result<Range, RunError> {
    let mut ledger = s.read_only_ledger();
    let mut range = Range { months: Vec::new(), quarters: Vec::new(), years: Vec::new(), findings: 0 };
    for &m in months {
        if !ledger.has_inputs(m) {
            range.months.push((m, None, Vec::new()));
            continue;
        }
        let source = ledger.source(m)?;
        let summary = ledger.entry(m)?;
        let checks = match ledger.figures(m)? {
            Some(f) => pipeline::check(&mut ledger, &source, &f)?,
            None => Default::default(),
        };
        print_checks(m, &checks, false);
        if let Some(s) = &summary {
            range.findings += s.exception_count;
            if quarter_of(m).is_some() || m.month == 12 {
                // The reviews as the month's run made them: with its own configuration and
                // standard, against the neighbours of its context (a closed month's archived one).
                let context = ledger.context(m, true)?;
                let (q, y) = reviews(&source.config, &source.standard, s, &|x| context.neighbour(x));
                range.quarters.extend(q);
                range.years.extend(y);
            }
        }
        range.findings += checks.warnings.len();
        range.months.push((m, summary, checks.warnings));
    }
    Ok(range)
}

/// Write the files of `manager` (or of every manager with a payroll row in the range) into
/// `<reports>/档案/`; gives the paths written, in manager_id order.
///
/// # Errors
/// No month of the range with inputs; the manager named has no payroll row in the range; a file
/// that cannot be written (the files already written stay).
pub fn write_files(s: &Settings, range: &Range, manager: Option<&str>) -> Result<Vec<PathBuf>, RunError> {
    let (from, to) = match (range.months.first(), range.months.last()) {
        (Some(f), Some(t)) => (f.0, t.0),
        _ => return Err(RunError::Usage("no month to write a file for".into())),
    };
    if range.months.iter().all(|(_, s, _)| s.is_none()) {
        return Err(RunError::Usage(format!("no month from {from} to {to} has inputs: no file written")));
    }
    let months: Vec<RangeMonth<'_>> =
        range.months.iter().map(|(m, s, w)| RangeMonth { month: *m, summary: s.as_deref(), warnings: w }).collect();
    let ids = match manager {
        Some(id) => vec![id.to_string()],
        None => managers_in(&months),
    };
    let locale = s.config.report.locale;
    let dir = s.reports.join(folder(locale));
    let werr = |path: &Path, e: String| RunError::Report(ReportError::Write { path: path.to_path_buf(), message: e });
    std::fs::create_dir_all(&dir).map_err(|e| werr(&dir, e.to_string()))?;
    remove_stale_temporaries(&dir, TEMPORARY);
    let mut files = Vec::new();
    for id in &ids {
        let Some(file) = manager_file(id, &months, &range.quarters, &range.years) else {
            return Err(RunError::Usage(format!(
                "manager {id:?} has no payroll row in any month from {from} to {to}: no file written"
            )));
        };
        files.push(file);
    }
    // Each file written to a temporary file first, then renamed (a failed write leaves the
    // earlier file); the files shared among the cores, each flushed to the disk while the others
    // are written.
    let one = |file: &ManagerFile<'_>| -> Result<PathBuf, RunError> {
        let path = dir.join(file_name(locale, file));
        let tmp = Temporary::new_in(&dir, TEMPORARY).map_err(|e| werr(&path, e.to_string()))?;
        write(tmp.path(), &s.config, file).map_err(|e| werr(&path, e.to_string()))?;
        tmp.commit(&path).map_err(|e| werr(&path, e.to_string()))?;
        Ok(path)
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let share = files.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<PathBuf>, RunError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files.chunks(share).map(|part| scope.spawn(|| part.iter().map(one).collect())).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(werr(&dir, "a writer thread failed".into()))))
            .collect()
    });
    let mut written = Vec::new();
    for part in parts {
        written.extend(part?);
    }
    Ok(written)
}

/// `brokercomp dossier`: gather the range, write the files, say what was written.
///
/// # Errors
/// As [`gather`] and [`write_files`].
pub fn run(s: &Settings, months: &[YearMonth], manager: Option<&str>) -> Result<Status, RunError> {
    let range = gather(s, months)?;
    for (m, summary, _) in &range.months {
        if summary.is_none() {
            eprintln!("info: {m}: no inputs; shown as such in each file");
        }
    }
    let written = write_files(s, &range, manager)?;
    let (from, to) = (months[0], months[months.len() - 1]);
    eprintln!(
        "dossier {from} to {to}: {} file(s) written to {}",
        written.len(),
        written.first().and_then(|p| p.parent()).map(|p| p.display().to_string()).unwrap_or_default()
    );
    if range.findings > 0 {
        eprintln!(
            "{} data exception(s) and warning(s) in these months (see each month's 数据异常; those naming a manager are in their file)",
            range.findings
        );
        return Ok(Status::Exceptions);
    }
    Ok(Status::Clean)
}
