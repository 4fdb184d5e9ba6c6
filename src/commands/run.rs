//! `run` (a month or a range, oldest first, stopping at the first file-level error, skipping
//! closed months), `check` (all of `run` but the writing), `explain` (one manager's calculation)
//! and `sample` (generated months).

use std::io::IsTerminal;
use std::path::Path;

use super::{info_note, print_checks, print_issues, print_prior_period};
use crate::analysis::checks::CheckOutcome;
use crate::calendar::YearMonth;
use crate::compute::ComputedMonth;
use crate::ledger::{Ledger, MonthContext};
use crate::money::display;
use crate::pipeline::{self, generate_and_publish, produce, RunError, Settings, Status, Timings};
use crate::report;

/// `run`: every month of `months`, oldest first; the worst status of them.
///
/// # Errors
/// The first month that stops (file-level error, configuration, `--strict`, a closed month named
/// alone, a failed write); earlier months stay written.
pub fn run(s: &Settings, months: Vec<YearMonth>, strict: bool, timings: bool) -> Result<Status, RunError> {
    let mut ledger = s.ledger();
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
    // The process ends here: the months the ledger holds need not be freed one by one (its
    // cache is written as each entry is made).
    std::mem::forget(ledger);
    Ok(worst)
}

/// One open month of `run`.
///
/// # Errors
/// As [`run`].
fn run_month(
    ledger: &mut Ledger<'_>,
    month: YearMonth,
    strict: bool,
    timings: bool,
    last: bool,
) -> Result<Status, RunError> {
    let mut t = Timings::default();
    let dir = ledger.month_dir(month);
    let on_wait = || eprintln!("{}: another run of this month is writing; waiting for it to finish", dir.display());
    // What the month found is said before its outputs are written; --strict stops it there.
    let found = std::cell::Cell::new((0, 0, 0));
    let gate = |computed: &ComputedMonth, context: &MonthContext, checks: &CheckOutcome| {
        print_prior_period(context);
        let info = print_issues(computed, false);
        let exceptions = computed.exception_count();
        let warnings = print_checks(month, checks, false);
        found.set((info, exceptions, warnings));
        if strict && exceptions + warnings > 0 {
            return Err(RunError::Strict { month: month.to_string(), exceptions, warnings });
        }
        Ok(())
    };
    let g = generate_and_publish(ledger, month, &mut t, &on_wait, &gate)?;
    let (info, exceptions, warnings) = found.get();
    let computed = &g.produced.computed;
    let total = computed.totals().1;
    eprintln!(
        "{month}: {} managers, total pay {}, {exceptions} exception(s){}{}; written to {}",
        computed.managers.len(),
        display(total),
        warning_note(warnings),
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
    let status = if exceptions + warnings > 0 { Status::Exceptions } else { Status::Clean };
    if last {
        // The process ends with this month: its million rows need not be freed one by one.
        std::mem::forget(g);
    }
    Ok(status)
}

/// `check`: read, check and compute the month as `run` would; write nothing.
///
/// # Errors
/// As `run`, but nothing is written.
pub fn check(s: &Settings, month: YearMonth) -> Result<Status, RunError> {
    let mut ledger = s.read_only_ledger();
    if let Some(r) = ledger.closed(month)? {
        eprintln!("info: {month} is closed on {}: checking its archive", r.closed_at);
    }
    let source = ledger.source(month)?;
    let context = ledger.context(month, false)?;
    print_prior_period(&context);
    let produced = produce(&source, &context)?;
    let checks = pipeline::check(&mut ledger, &source, &produced.figures)?;
    let computed = &produced.computed;
    let _ = print_issues(computed, true);
    let warnings = print_checks(month, &checks, true);
    let total = computed.totals().1;
    eprintln!(
        "{month}: configuration and inputs checked with {} ({}): {} managers, total pay {}, {} exception(s){}; nothing written",
        source.standard.name,
        source.standard.file_name(),
        computed.managers.len(),
        display(total),
        computed.exception_count(),
        warning_note(warnings)
    );
    let status = if computed.exception_count() + warnings > 0 { Status::Exceptions } else { Status::Clean };
    // The process ends here: the month's rows need not be freed one by one.
    std::mem::forget(produced);
    Ok(status)
}

/// `explain`: one manager's calculation, in the report's language, on stdout.
///
/// # Errors
/// The manager is not active in the month; what `check` refuses.
pub fn explain(s: &Settings, month: YearMonth, manager: &str) -> Result<Status, RunError> {
    let mut ledger = s.read_only_ledger();
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

/// `sample`: generated months under `out`.
///
/// # Errors
/// `--from` after `--to`; a file that cannot be written.
pub fn sample(
    out: &Path,
    f: YearMonth,
    t: YearMonth,
    managers: u32,
    clients: u32,
    seed: u64,
) -> Result<Status, RunError> {
    if f > t {
        return Err(RunError::Usage(format!("--from {f} is after --to {t}")));
    }
    crate::sample::generate(out, f, t, managers, clients, seed)
        .map_err(|e| RunError::Sample { path: out.to_path_buf(), message: e })?;
    eprintln!("sample months {f} to {t} written to {}", out.display());
    Ok(Status::Clean)
}

/// ", 2 completeness warning(s)" when there are any.
fn warning_note(warnings: usize) -> String {
    if warnings > 0 {
        format!(", {warnings} completeness warning(s) (预警)")
    } else {
        String::new()
    }
}
