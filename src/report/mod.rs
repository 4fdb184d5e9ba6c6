//! Report: a computed month → its files (SPEC §5), written atomically under a per-month lock.
//!
//! Every output is rendered into a temporary file in the month's folder (created 0600), hashed,
//! and only when all of them are complete renamed into place; the manifest comes last. A run
//! that fails leaves the previous outputs of the month whole. Two runs of one month never
//! interleave: the second waits on the lock in the month's folder.

pub mod compensation;
pub mod detail;
pub mod labels;
pub mod payroll;
pub mod recon;
pub mod review;
pub mod slips;
pub mod style;
pub mod team;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;
use tempfile::NamedTempFile;

use crate::calendar::YearMonth;
use crate::compute::{Component, MonthResult};
use crate::config::{Config, Standard};
use crate::error::RunError;
use crate::ingest::month::MonthInput;
use crate::ingest::Severity;
pub use labels::Labels;

/// What every report of a month is made from.
pub struct ReportCtx<'a> {
    pub config: &'a Config,
    pub standard: &'a Standard,
    pub input: &'a MonthInput,
    pub result: &'a MonthResult,
    pub labels: &'static Labels,
    /// The team analysis and, at quarter and year end, the reviews.
    pub analysis: Option<&'a Analysis>,
}

/// The month's analysis workbooks' contents.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub team: crate::analysis::team::TeamAnalysis,
    pub quarter: Option<crate::analysis::review::QuarterReview>,
    pub annual: Option<crate::analysis::review::AnnualReview>,
}

impl ReportCtx<'_> {
    pub fn month(&self) -> YearMonth {
        self.result.month
    }
}

/// A written output: its name and SHA-256.
#[derive(Debug, Clone)]
pub struct Written {
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

/// The file names of a month's outputs.
pub fn file_names(labels: &Labels, month: YearMonth) -> [String; 4] {
    [
        format!("{}_{month}.xlsx", labels.compensation_file),
        format!("{}_{month}.xlsx", labels.detail_file),
        format!("{}_{month}.xlsx", labels.slips_file),
        format!("payroll_{month}.csv"),
    ]
}

/// Holds the month's lock until dropped.
pub struct MonthLock {
    _file: File,
}

/// Take the month's lock, waiting for another run of the same month to finish.
///
/// # Errors
/// When the folder or lock file cannot be created.
pub fn lock_month(dir: &Path) -> Result<MonthLock, RunError> {
    let werr = |p: &Path, e: std::io::Error| RunError::Write { path: p.to_path_buf(), message: e.to_string() };
    std::fs::create_dir_all(dir).map_err(|e| werr(dir, e))?;
    let path = dir.join(".brokercomp.lock");
    let mut options = File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path).map_err(|e| werr(&path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("{}: another run of this month is writing; waiting for it to finish", dir.display());
            file.lock().map_err(|e| werr(&path, e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(werr(&path, e)),
    }
    Ok(MonthLock { _file: file })
}

use crate::digest::sha256_file as hash_file;

/// A temporary file in `dir`, readable by the owner only.
fn temp_in(dir: &Path) -> std::io::Result<NamedTempFile> {
    tempfile::Builder::new().prefix(".brokercomp-").suffix(".tmp").tempfile_in(dir)
}

/// Render every output of the month into `dir` (the month's folder), atomically.
///
/// # Errors
/// [`RunError::Write`] when any output cannot be written; nothing of the month is replaced then.
pub fn write_month(ctx: &ReportCtx<'_>, dir: &Path) -> Result<Vec<Written>, RunError> {
    let _lock = lock_month(dir)?;
    let names = file_names(ctx.labels, ctx.month());
    let werr = |name: &str, e: String| RunError::Write { path: dir.join(name), message: e };
    let mut staged: Vec<(String, NamedTempFile)> = Vec::new();

    type Render<'r> = &'r (dyn Fn(&Path) -> Result<(), String> + Sync);
    let stage = |name: &str, render: Render<'_>| -> Result<(String, NamedTempFile), RunError> {
        let tmp = temp_in(dir).map_err(|e| werr(name, e.to_string()))?;
        render(tmp.path()).map_err(|e| werr(name, e))?;
        if std::env::var_os("BROKERCOMP_FAIL_WRITE").is_some_and(|v| v == name) {
            return Err(werr(name, "simulated write failure (BROKERCOMP_FAIL_WRITE)".into()));
        }
        Ok((name.to_string(), tmp))
    };
    // The million-row detail is written on a second core while the other files are written.
    let (detail, others) = std::thread::scope(|s| {
        let detail = s.spawn(|| stage(&names[1], &|p| detail::write(p, ctx).map_err(|e| e.to_string())));
        let others = (|| -> Result<Vec<(String, NamedTempFile)>, RunError> {
            let mut v = vec![
                stage(&names[0], &|p| compensation::write(p, ctx).map_err(|e| e.to_string()))?,
                stage(&names[2], &|p| slips::write(p, ctx).map_err(|e| e.to_string()))?,
                stage(&names[3], &|p| {
                    let f = File::create(p).map_err(|e| e.to_string())?;
                    let mut w = BufWriter::new(f);
                    payroll::write(&mut w, ctx).map_err(|e| e.to_string())?;
                    w.flush().map_err(|e| e.to_string())
                })?,
            ];
            if let Some(a) = ctx.analysis {
                let al = labels::analysis_labels(ctx.config.report.locale);
                let cfg = ctx.config;
                let m = ctx.month();
                let name = format!("{}_{m}.xlsx", al.team_file);
                v.push(stage(&name, &|p| team::write(p, cfg, &a.team, al).map_err(|e| e.to_string()))?);
                if let Some(q) = &a.quarter {
                    let name = format!("{}_{}Q{}.xlsx", al.quarterly_file, q.year, q.quarter);
                    v.push(stage(&name, &|p| review::write_quarter(p, cfg, q, al).map_err(|e| e.to_string()))?);
                }
                if let Some(y) = &a.annual {
                    let name = format!("{}_{}.xlsx", al.annual_file, y.year);
                    v.push(stage(&name, &|p| review::write_annual(p, cfg, y, al, m).map_err(|e| e.to_string()))?);
                }
            }
            Ok(v)
        })();
        (detail.join(), others)
    });
    let detail = detail.map_err(|_| werr(&names[1], "the writer thread failed".into()))??;
    let mut others = others?;
    staged.push(others.remove(0));
    staged.push(detail);
    staged.append(&mut others);

    let mut written = Vec::new();
    for (name, tmp) in &staged {
        let (sha256, size) = hash_file(tmp.path()).map_err(|e| werr(name, e.to_string()))?;
        written.push(Written { name: name.clone(), sha256, size });
    }
    let manifest = manifest(ctx, &written);
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| werr("manifest.json", e.to_string()))? + "\n";
    staged.push(stage("manifest.json", &|p| std::fs::write(p, text.as_bytes()).map_err(|e| e.to_string()))?);
    for (name, tmp) in staged {
        let target: PathBuf = dir.join(&name);
        tmp.as_file().sync_all().map_err(|e| werr(&name, e.to_string()))?;
        tmp.persist(&target).map_err(|e| werr(&name, e.error.to_string()))?;
    }
    Ok(written)
}

fn manifest(ctx: &ReportCtx<'_>, written: &[Written]) -> serde_json::Value {
    let r = ctx.standard.rounding;
    let inputs: Vec<_> = ctx
        .input
        .files
        .iter()
        .map(|f| {
            json!({
                "kind": f.kind.name(),
                "path": f.label,
                "sheet": f.sheet,
                "size": f.size,
                "sha256": f.sha256,
                "header_row": f.counts.header_row,
                "rows_read": f.counts.rows_read,
                "accepted": f.accepted,
                "rejected": f.rejected,
                "skipped": f.counts.blank + f.counts.summary,
            })
        })
        .collect();
    let outputs: Vec<_> =
        written.iter().map(|w| json!({ "file": w.name, "size": w.size, "sha256": w.sha256 })).collect();
    let (components, total) = MonthResult::totals(&ctx.result.managers);
    let mut totals = serde_json::Map::new();
    totals.insert("managers".into(), json!(ctx.result.managers.len()));
    for c in Component::ALL {
        totals.insert(c.key().into(), json!(r.format(components[c as usize])));
    }
    totals.insert("total".into(), json!(r.format(total)));
    let exceptions = ctx.input.issues.iter().filter(|i| i.severity == Severity::Exception).count();
    json!({
        "month": ctx.month().to_string(),
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "organization": { "name": ctx.config.organization.name, "code": ctx.config.organization.code },
        "standard": {
            "name": ctx.standard.name,
            "file": ctx.standard.file_name(),
            "effective_from": ctx.standard.effective_from.to_string(),
            "sha256": ctx.standard.sha256,
        },
        "inputs": inputs,
        "outputs": outputs,
        "totals": totals,
        "unread_files": ctx.input.unread.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
        "exceptions": exceptions,
        "information": ctx.input.issues.len() - exceptions,
    })
}
