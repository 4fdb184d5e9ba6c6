//! `whatif` (SPEC §6): a draft salary standard against the one in force, month by month.
//!
//! Every month of the range with inputs is computed twice from the same source and context (a
//! closed month from its archive): under the standard in force, exactly as `run` computes it, and
//! under the draft as if it were in force (its `effective_from` ignored). Under the draft, the
//! clawback watches the accounts of its own window: bonuses and losses of months inside the range
//! as the draft gives them, of months before it as they were. Writes only
//! `<reports>/whatif/whatif_<from>_<to>.csv` and the workbook beside it; reads the ledger's cache
//! but never writes it, and never touches a month's outputs.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use super::print_checks;
use crate::analysis::whatif::{compare, StandardId, TwoWays, WhatIf};
use crate::analysis::{summarize, MonthSummary};
use crate::calendar::YearMonth;
use crate::compute::ComputedMonth;
use crate::config::Standard;
use crate::ledger::{remove_stale_temporaries, watch_from};
use crate::money::display;
use crate::output::Temporary;
use crate::pipeline::{self, produce, RunError, Settings, Status};
use crate::report::whatif::{file_names, write_csv, write_workbook};
use crate::report::ReportError;

/// Only what the comparison needs of a computed month (a month's credited rows and accounts
/// are dropped at once: a range of million-row months stays small).
fn slim(mut c: ComputedMonth) -> ComputedMonth {
    for m in &mut c.managers {
        m.rows = Vec::new();
    }
    c.accounts = Vec::new();
    c
}

/// Compute the comparison of `months` (ascending) under the draft at `draft_path`.
///
/// # Errors
/// The draft's configuration errors (file, key, value); a roster level the draft does not define
/// (naming the level and the draft, with its levels); what `run` refuses of a month.
pub fn build(s: &Settings, draft_path: &Path, months: &[YearMonth]) -> Result<(WhatIf, usize), RunError> {
    let draft = Standard::load(draft_path)?;
    let mut ledger = s.read_only_ledger();
    let mut pairs = Vec::new();
    let mut skipped = Vec::new();
    let mut drafted: BTreeMap<YearMonth, Rc<MonthSummary>> = BTreeMap::new();
    let mut warnings = 0;
    for &m in months {
        if !ledger.has_inputs(m) {
            skipped.push(m);
            continue;
        }
        let source = ledger.source(m)?;
        let context = ledger.context(m, false)?;
        let produced = produce(&source, &context)?;
        // The current side is the month as `run` computes it: its completeness checks too.
        let checks = pipeline::check(&mut ledger, &source, &produced.figures)?;
        warnings += print_checks(m, &checks, false);
        let current = slim(produced.computed);

        let mut draft_source = (*source).clone();
        draft_source.standard = draft.clone();
        let mut draft_context = context.clone();
        draft_context.clawback = match draft.clawback {
            None => Vec::new(),
            Some(cb) => {
                let mut entries = Vec::new();
                for p in ledger.window(m, cb.months) {
                    match drafted.get(&p) {
                        Some(e) => entries.push(e.clone()),
                        None => entries.extend(ledger.clawback_entry(p)?),
                    }
                }
                watch_from(&entries)
            }
        };
        let under_draft = produce(&draft_source, &draft_context)?.computed;
        drafted.insert(m, Rc::new(summarize(&under_draft, &source.config.organization.code)));
        pairs.push((current, slim(under_draft)));
    }
    let id = StandardId {
        name: draft.name.clone(),
        file: draft.file_name(),
        sha256: draft.sha256.clone(),
        scale: draft.rounding.scale,
    };
    let (from, to) = (months[0], months[months.len() - 1]);
    Ok((compare(&s.config, from, to, &pairs, skipped, id), warnings))
}

/// Write the CSV and the workbook into `<reports>/whatif/`: both are written to temporary files
/// first, then each takes its name, so that a failed write leaves the earlier pair as it was.
/// Temporary files of a killed earlier run (an hour old) are removed.
///
/// # Errors
/// A file that cannot be written (nothing else is touched).
pub fn write(s: &Settings, w: &WhatIf) -> Result<Vec<std::path::PathBuf>, RunError> {
    let dir = s.reports.join("whatif");
    let werr = |path: &Path, e: String| RunError::Report(ReportError::Write { path: path.to_path_buf(), message: e });
    std::fs::create_dir_all(&dir).map_err(|e| werr(&dir, e.to_string()))?;
    remove_stale_temporaries(&dir, TEMPORARY);
    let (csv_name, xlsx_name) = file_names(&s.config, w);
    let (csv_path, xlsx_path) = (dir.join(csv_name), dir.join(xlsx_name));
    let temporary = |path: &Path| Temporary::new_in(&dir, TEMPORARY).map_err(|e| werr(path, e.to_string()));
    let mut csv = temporary(&csv_path)?;
    write_csv(csv.file(), w).map_err(|e| werr(&csv_path, e.to_string()))?;
    let xlsx = temporary(&xlsx_path)?;
    write_workbook(xlsx.path(), &s.config, w).map_err(|e| werr(&xlsx_path, e.to_string()))?;
    for (tmp, path) in [(csv, &csv_path), (xlsx, &xlsx_path)] {
        tmp.commit(path).map_err(|e| werr(path, e.to_string()))?;
    }
    Ok(vec![csv_path, xlsx_path])
}

/// The prefix of the what-if's temporary files.
const TEMPORARY: &str = ".whatif-";

/// `brokercomp whatif`: build, write, and say what it found.
///
/// # Errors
/// As [`build`] and [`write`].
pub fn run(s: &Settings, draft_path: &Path, months: &[YearMonth]) -> Result<Status, RunError> {
    let (w, warnings) = build(s, draft_path, months)?;
    for m in &w.skipped {
        eprintln!("info: {m}: no inputs; not computed");
    }
    if w.months.is_empty() {
        return Err(RunError::Usage(format!("no month from {} to {} has inputs", w.from, w.to)));
    }
    let written = write(s, &w)?;
    let b = &w.branch;
    let change = b
        .change()
        .map(|c| format!(" ({:+.2}%)", (c * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2)))
        .unwrap_or_default();
    eprintln!(
        "whatif {} to {}: {} month(s), {} manager(s); current {}, draft {} ({}), difference {}{change}; written to {}",
        w.from,
        w.to,
        w.months.len(),
        w.managers.len(),
        display(b.current_total()),
        display(b.draft_total()),
        w.draft.name,
        display(b.difference()),
        written.first().and_then(|p| p.parent()).map(|p| p.display().to_string()).unwrap_or_default(),
    );
    if w.exceptions > 0 {
        eprintln!("{} data exception(s) in these months (excluded both ways; see each month's 数据异常)", w.exceptions);
    }
    if warnings > 0 {
        eprintln!("{warnings} completeness warning(s) (预警) in these months: their inputs may be incomplete or stale");
    }
    if w.exceptions + warnings > 0 {
        return Ok(Status::Exceptions);
    }
    Ok(Status::Clean)
}
