//! Closing, reopening and verifying a month (SPEC §4.10): what was paid stays paid.
//!
//! `close` freezes a month whose outputs are exactly what its current inputs, configuration and
//! standard give: it archives the input files, the configuration, the standard and the month's
//! context (what it took from other months) under `<reports>/<M>/archive/`, writes
//! `close.json` (who, when, the SHA-256 of every output and archived file, each manager's
//! components and total as closed), appends to `<reports>/close-log.jsonl` and makes the files
//! read-only. From then on the month is regenerated from its archive only. `reopen` undoes a
//! close (the latest one only), keeping the archive and the record. `verify` regenerates a month
//! into a temporary folder and compares every output byte for byte, and every hash on record.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::calendar::{utc_now, YearMonth};
use crate::ingest::discover;
use crate::ledger::approvals;
use crate::ledger::source::{
    altered_archive, AcceptedWarnings, CarriedAmount, CloseRecord, ClosedManager, FileHash, Reopened, ARCHIVE,
    CLOSE_FILE,
};
use crate::ledger::{Ledger, FIGURES_FILE};
use crate::money::display;
use crate::output::{self, OutputFile};
use crate::pipeline::{generate, Generated, RunError, Settings, Status, Timings};
use crate::report::manifest::Manifest;
use crate::report::publish::lock_month;

/// The append-only log of closes and reopens, in the reports folder.
pub const CLOSE_LOG: &str = "close-log.jsonl";

fn io_err(path: &Path, e: impl std::fmt::Display) -> RunError {
    RunError::Report(crate::report::ReportError::Write { path: path.to_path_buf(), message: e.to_string() })
}

fn sha(path: &Path) -> Result<String, RunError> {
    crate::digest::sha256_file(path).map(|(s, _)| s).map_err(|e| io_err(path, e))
}

/// The outputs a month's manifest lists, and the manifest itself.
fn manifest_outputs(dir: &Path) -> Result<Vec<FileHash>, RunError> {
    let path = dir.join(Manifest::FILE);
    if !path.is_file() {
        return Err(RunError::Usage(format!(
            "{} has no outputs (no manifest.json): run the month first",
            dir.display()
        )));
    }
    let manifest = Manifest::read(&path)?;
    let mut out: Vec<FileHash> =
        manifest.outputs.into_iter().map(|o| FileHash { file: o.file, sha256: o.sha256 }).collect();
    out.push(FileHash { file: Manifest::FILE.into(), sha256: sha(&path)? });
    Ok(out)
}

/// Regenerate `month` into a fresh folder beside the reports folder's month folders and compare
/// it with `dir`: the files that differ (missing on either side, or other bytes).
fn regenerate_and_compare(
    ledger: &mut Ledger<'_>,
    month: YearMonth,
    dir: &Path,
    expected: &[FileHash],
) -> Result<(Generated, Vec<String>), RunError> {
    let g = generate(ledger, month, &mut Timings::default())?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{month}.verify-"))
        .tempdir_in(ledger.reports())
        .map_err(|e| io_err(ledger.reports(), e))?;
    let written = crate::report::render_into(&g.report_ctx(), tmp.path())?;
    let mut made: Vec<String> = written.iter().map(|w| w.name.clone()).collect();
    made.push("manifest.json".into());
    made.sort();
    let mut want: Vec<String> = expected.iter().map(|f| f.file.clone()).collect();
    want.sort();
    let mut differ = Vec::new();
    for name in want.iter().filter(|n| !made.contains(n)) {
        differ.push(format!("{name}: not produced by the regeneration"));
    }
    for name in &made {
        let new = std::fs::read(tmp.path().join(name)).map_err(|e| io_err(&tmp.path().join(name), e))?;
        match std::fs::read(dir.join(name)) {
            Err(_) => differ.push(format!("{name}: missing from {}", dir.display())),
            Ok(old) if old != new => differ.push(format!("{name}: differs from what the inputs give now")),
            Ok(_) => {}
        }
    }
    Ok((g, differ))
}

fn set_read_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o400));
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn set_owner_writable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Every file below `dir`, relative to `base`, with its SHA-256, in name order.
fn tree_hashes(dir: &Path, base: &Path, out: &mut Vec<FileHash>) -> Result<(), RunError> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            tree_hashes(&p, base, out)?;
        } else {
            let rel = p.strip_prefix(base).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            out.push(FileHash { file: rel, sha256: sha(&p)? });
        }
    }
    Ok(())
}

fn append_log(reports: &Path, line: serde_json::Value) -> Result<(), RunError> {
    let path = reports.join(CLOSE_LOG);
    let mut f = OutputFile::append(&path).map_err(|e| io_err(&path, e))?;
    writeln!(f, "{line}").and_then(|()| f.finish()).map_err(|e| io_err(&path, e))
}

/// How many times the month was reopened (its `close.reopened-<n>.json` records).
fn reopened_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|es| {
            es.filter_map(Result::ok)
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.starts_with("close.reopened-") && n.ends_with(".json")
                })
                .count()
        })
        .unwrap_or(0)
}

/// `close --month M`.
///
/// # Errors
/// Exit 2: the month is closed already, has no outputs, or its outputs are not what its inputs
/// give now (each differing file named); or an archive cannot be written.
pub fn close(s: &Settings, month: YearMonth, by: &str, accept: Option<&str>) -> Result<Status, RunError> {
    let mut ledger = s.ledger();
    let dir = ledger.month_dir(month);
    if let Some(r) = ledger.closed(month)? {
        return Err(RunError::Usage(format!("{month} is already closed (on {} by {})", r.closed_at, r.closed_by)));
    }
    let expected = manifest_outputs(&dir)?;
    let _lock = lock_month(&dir, &|| eprintln!("{}: another run of this month is writing; waiting", dir.display()))?;
    // With [[signers]], the complete sign-off chain of the current outputs (SPEC §4.12).
    let chain = approvals::complete_chain(&s.config, month, &dir).map_err(|e| RunError::Usage(e.to_string()))?;
    let (g, differ) = regenerate_and_compare(&mut ledger, month, &dir, &expected)?;
    if !differ.is_empty() {
        return Err(RunError::Usage(format!(
            "{month} cannot be closed: its outputs are not what its current inputs, configuration and standard give; run it again, check and sign the new outputs, then close:\n  {}",
            differ.join("\n  ")
        )));
    }
    let warnings = &g.checks.warnings;
    let accept = accept.map(str::trim).filter(|a| !a.is_empty());
    if !warnings.is_empty() && accept.is_none() {
        let listed: Vec<String> = warnings.iter().map(|w| format!("{}: {}", w.check.key(), w.words(false))).collect();
        return Err(RunError::Usage(format!(
            "{month} cannot be closed: it has {} completeness warning(s) (预警); fix the inputs and run it again, or close with --accept \"why the month is right as it is\":\n  {}",
            warnings.len(),
            listed.join("\n  ")
        )));
    }

    // The archive, built aside and moved into place; an archive of an earlier close (the month
    // was reopened) is kept beside it.
    let archive = dir.join(ARCHIVE);
    if archive.exists() {
        let kept = dir.join(format!("{ARCHIVE}.reopened-{}", reopened_count(&dir).max(1)));
        std::fs::rename(&archive, &kept).map_err(|e| io_err(&archive, e))?;
    }
    let staging = dir.join(format!(".{ARCHIVE}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let data_dir = staging.join("data").join(month.to_string());
    for sub in [data_dir.as_path(), &staging.join("config"), &staging.join("standards")] {
        std::fs::create_dir_all(sub).map_err(|e| io_err(sub, e))?;
    }
    let found = discover(&s.config, &s.data, month)?;
    for paths in found.by_kind.values() {
        for p in paths {
            let name = p.file_name().unwrap_or_default();
            output::copy(p, &data_dir.join(name)).map_err(|e| io_err(p, e))?;
        }
    }
    let config_name = s.config_file.file_name().unwrap_or_default();
    output::copy(&s.config_file, &staging.join("config").join(config_name)).map_err(|e| io_err(&s.config_file, e))?;
    let standard = &g.source.standard;
    let standard_name = standard.file.file_name().unwrap_or_default();
    output::copy(&standard.file, &staging.join("standards").join(standard_name))
        .map_err(|e| io_err(&standard.file, e))?;
    let context = serde_json::to_vec_pretty(&g.context).map_err(|e| io_err(&staging, e))?;
    output::write(&staging.join("context.json"), &context).map_err(|e| io_err(&staging, e))?;
    // What later months' completeness checks compare of it, so they never read its files again.
    let figures = serde_json::to_vec_pretty(&g.produced.figures).map_err(|e| io_err(&staging, e))?;
    output::write(&staging.join(FIGURES_FILE), &figures).map_err(|e| io_err(&staging, e))?;
    std::fs::rename(&staging, &archive).map_err(|e| io_err(&archive, e))?;

    let mut archived = Vec::new();
    tree_hashes(&archive, &dir, &mut archived)?;
    let computed = &g.produced.computed;
    let managers = computed
        .managers
        .iter()
        .map(|m| ClosedManager {
            person: m.person.clone(),
            level: m.level.clone(),
            level_label: m.level_label.clone(),
            components: m.components,
            total: m.total,
        })
        .collect();
    let mut carried: BTreeMap<(YearMonth, String), rust_decimal::Decimal> = BTreeMap::new();
    for l in &g.context.prior_period {
        *carried.entry((l.month, l.manager_id.clone())).or_default() += l.amount;
    }
    let closed_at = utc_now();
    let accepted_warnings = match accept {
        Some(reason) if !warnings.is_empty() => Some(AcceptedWarnings {
            warnings: warnings.clone(),
            reason: reason.to_string(),
            by: by.to_string(),
            at: closed_at.clone(),
        }),
        _ => None,
    };
    let record = CloseRecord {
        month,
        closed_by: by.to_string(),
        closed_at,
        build: crate::BUILD.to_string(),
        outputs: expected.clone(),
        archived: archived.clone(),
        managers,
        prior_period: carried
            .into_iter()
            .map(|((month, manager_id), amount)| CarriedAmount { month, manager_id, amount })
            .collect(),
        accepted_warnings,
        reopened: None,
    };
    let text = approvals::close_json(&record, &chain).map_err(|e| io_err(&dir, e))?;
    let close_path = dir.join(CLOSE_FILE);
    let tmp = dir.join(format!(".{CLOSE_FILE}-{}", std::process::id()));
    output::write(&tmp, &text).map_err(|e| io_err(&tmp, e))?;
    std::fs::rename(&tmp, &close_path).map_err(|e| io_err(&close_path, e))?;
    for f in expected.iter().map(|f| dir.join(&f.file)).chain(archived.iter().map(|f| dir.join(&f.file))) {
        set_read_only(&f);
    }
    set_read_only(&close_path);
    let mut line = serde_json::json!({
        "action": "close",
        "month": month.to_string(),
        "by": by,
        "at": record.closed_at,
        "build": crate::BUILD,
        "close_json_sha256": sha(&close_path)?,
    });
    if let Some(a) = &record.accepted_warnings {
        line["accepted_warnings"] = serde_json::json!(a.warnings.len());
        line["reason"] = serde_json::json!(a.reason);
    }
    append_log(&s.reports, line)?;
    if let Some(a) = &record.accepted_warnings {
        eprintln!("{month}: {} completeness warning(s) accepted by {by}: {}", a.warnings.len(), a.reason);
    }
    eprintln!(
        "{month}: closed by {by} at {}: {} outputs and {} archived files frozen; total pay {}",
        record.closed_at,
        expected.len(),
        archived.len(),
        display(computed.totals().1)
    );
    Ok(Status::Clean)
}

/// `reopen --month M --reason TEXT`.
///
/// # Errors
/// Exit 2: the month is not closed, or a later month is.
pub fn reopen(s: &Settings, month: YearMonth, reason: &str, by: &str) -> Result<Status, RunError> {
    let mut ledger = s.ledger();
    let dir = ledger.month_dir(month);
    let Some(mut record) = ledger.closed(month)? else {
        return Err(RunError::Usage(format!("{month} is not closed")));
    };
    let later: Vec<YearMonth> = ledger.months().iter().copied().filter(|m| *m > month).rev().collect();
    for m in later {
        if ledger.closed(m)?.is_some() {
            return Err(RunError::Usage(format!(
                "{month} cannot be reopened: {m} is closed after it (only the latest closed month, {m}, can be reopened)"
            )));
        }
    }
    if reason.trim().is_empty() {
        return Err(RunError::Usage("--reason must say why the month is reopened".into()));
    }
    let _lock = lock_month(&dir, &|| eprintln!("{}: another run of this month is writing; waiting", dir.display()))?;
    let n = reopened_count(&dir) + 1;
    let at = utc_now();
    record.reopened = Some(Reopened { at: at.clone(), reason: reason.to_string(), by: by.to_string() });
    let kept = dir.join(format!("close.reopened-{n}.json"));
    let chain = approvals::closed_chain(&dir, CLOSE_FILE).map_err(|e| RunError::Usage(e.to_string()))?;
    let text = approvals::close_json(&record, &chain).map_err(|e| io_err(&kept, e))?;
    output::write(&kept, &text).map_err(|e| io_err(&kept, e))?;
    set_read_only(&kept);
    let close_path = dir.join(CLOSE_FILE);
    std::fs::remove_file(&close_path).map_err(|e| io_err(&close_path, e))?;
    for f in &record.outputs {
        set_owner_writable(&dir.join(&f.file));
    }
    append_log(
        &s.reports,
        serde_json::json!({ "action": "reopen", "month": month.to_string(), "by": by, "at": at, "reason": reason }),
    )?;
    eprintln!("{month}: reopened by {by} at {at} ({reason}); the archive and close.reopened-{n}.json are kept");
    Ok(Status::Clean)
}

/// `verify --month M`: exit 0 when every output regenerates byte for byte and every hash on
/// record matches, 1 when anything differs (each file named on stderr).
///
/// # Errors
/// Exit 2: the month cannot be regenerated.
pub fn verify(s: &Settings, month: YearMonth) -> Result<Status, RunError> {
    let mut ledger = s.read_only_ledger();
    let dir = ledger.month_dir(month);
    let record = ledger.closed(month)?;
    let mut differ = Vec::new();
    let expected = match &record {
        Some(r) => {
            // Every archived file and every output as closed.
            for (file, what) in altered_archive(&dir, r) {
                differ.push(format!("{file}: {what}"));
            }
            r.outputs.clone()
        }
        None => manifest_outputs(&dir)?,
    };
    for f in &expected {
        match sha(&dir.join(&f.file)) {
            Ok(h) if h == f.sha256 => {}
            Ok(_) => differ.push(format!("{}: its SHA-256 is not the one on record", f.file)),
            Err(_) => differ.push(format!("{}: missing", f.file)),
        }
    }
    // A closed month whose archive is not whole cannot be regenerated from it: what differs is
    // said already.
    let whole = differ.iter().all(|d| !d.starts_with(ARCHIVE));
    if whole {
        let (_, regenerated) = regenerate_and_compare(&mut ledger, month, &dir, &expected)?;
        differ.extend(regenerated);
        // The sign-off chain, against the month's own configuration (the archived one when closed).
        let cfg = &ledger.source(month)?.config;
        differ.extend(approvals::verify_month(cfg, month, &dir).map_err(|e| RunError::Usage(e.to_string()))?);
    }
    differ.sort();
    differ.dedup();
    let from = if record.is_some() { "its archive" } else { "the data folder" };
    if differ.is_empty() {
        eprintln!("{month}: verified: {} files regenerate byte for byte from {from}", expected.len());
        Ok(Status::Clean)
    } else {
        for d in &differ {
            eprintln!("{month}: differs: {d}");
        }
        eprintln!("{month}: NOT verified: {} difference(s) with what {from} gives", differ.len());
        Ok(Status::Exceptions)
    }
}
