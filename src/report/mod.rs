//! Report: a computed month → its files (SPEC §5), replaced as a set under a per-month lock.
//!
//! Every output is rendered into a staging folder beside the month's folder (files created
//! 0600), hashed, the manifest last; then the staging folder takes the month folder's place in
//! one step ([`publish`]). A run that fails or is killed leaves the previous outputs of the month
//! whole; the next run removes what it left behind. Two runs of one month never interleave: the
//! second waits on the lock in the month's folder.

pub mod compensation;
pub mod detail;
pub mod explain;
pub mod labels;
pub mod payroll;
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
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::analysis::Analysis;
use crate::calendar::YearMonth;
use crate::compute::ComputedMonth;
use crate::config::Config;
use crate::model::{Component, Metrics};
pub use labels::Labels;

/// Why a month's outputs could not be written (the month's earlier outputs are left whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    Write { path: PathBuf, message: String },
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Write { path, message } => {
                write!(f, "cannot write {}: {message} (earlier outputs left as they were)", path.display())
            }
        }
    }
}

impl std::error::Error for ReportError {}

/// What every report of a month is made from.
pub struct ReportCtx<'a> {
    pub config: &'a Config,
    pub month: &'a ComputedMonth,
    pub labels: &'static Labels,
    /// The team analysis and, at quarter and year end, the reviews.
    pub analysis: Option<&'a Analysis>,
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

/// The file names of a month's outputs.
pub fn file_names(labels: &Labels, month: YearMonth) -> [String; 5] {
    [
        format!("{}_{month}.xlsx", labels.compensation_file),
        format!("{}_{month}.xlsx", labels.detail_file),
        format!("{}_{month}.xlsx", labels.slips_file),
        format!("payroll_{month}.csv"),
        format!("{}_{month}.xlsx", labels.statements_file),
    ]
}

use crate::digest::sha256_file as hash_file;
pub use publish::{lock_month, MonthLock};

/// Create an empty file readable by the owner only, for a writer to fill.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = File::options();
    options.create(true).truncate(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(|_| ())
}

/// Names of the outputs an earlier run listed in the month's manifest.
fn earlier_outputs(dir: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(dir.join("manifest.json")) else { return Vec::new() };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return Vec::new() };
    v["outputs"]
        .as_array()
        .map(|a| a.iter().filter_map(|o| o["file"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Render every output of the month and replace the month's folder's outputs with them as a
/// set (see [`publish`]). `on_wait` is called when another run holds the month's lock.
///
/// # Errors
/// [`ReportError::Write`] when any output cannot be written; nothing of the month is replaced then.
pub fn write_month(ctx: &ReportCtx<'_>, dir: &Path, on_wait: &dyn Fn()) -> Result<Vec<Written>, ReportError> {
    let _lock = lock_month(dir, on_wait)?;
    publish::recover(dir)?;
    let staging = publish::staging_folder(dir)?;
    let result = render_into(ctx, &staging).and_then(|written| {
        let mut ours: Vec<String> = earlier_outputs(dir);
        ours.extend(written.iter().map(|w| w.name.clone()));
        ours.push("manifest.json".into());
        publish::carry_over(dir, &staging, &|n| ours.iter().any(|o| o == n))?;
        publish::fault("carried").map_err(|e| ReportError::Write { path: dir.to_path_buf(), message: e })?;
        publish::swap(&staging, dir)?;
        Ok(written)
    });
    match result {
        Ok(written) => {
            if let Err(e) = publish::fault("swapped") {
                // The new set is in place; only the old one is left for the next run to remove.
                return Err(ReportError::Write { path: dir.to_path_buf(), message: e });
            }
            publish::discard(&staging);
            Ok(written)
        }
        Err(e) => {
            publish::discard(&staging);
            Err(e)
        }
    }
}

/// Render every output of the month into `dir` (a fresh folder), the manifest last.
///
/// # Errors
/// [`ReportError::Write`] when any output cannot be written.
pub fn render_into(ctx: &ReportCtx<'_>, dir: &Path) -> Result<Vec<Written>, ReportError> {
    let names = file_names(ctx.labels, ctx.ym());
    let werr = |name: &str, e: String| ReportError::Write { path: dir.join(name), message: e };

    type Render<'r> = &'r (dyn Fn(&Path) -> Result<(), String> + Sync);
    let stage = |name: &str, render: Render<'_>| -> Result<String, ReportError> {
        let path = dir.join(name);
        create_private(&path).map_err(|e| werr(name, e.to_string()))?;
        render(&path).map_err(|e| werr(name, e))?;
        publish::fault(&format!("stage:{name}")).map_err(|e| werr(name, e))?;
        Ok(name.to_string())
    };
    // The million-row detail is written on a second core while the other files are written.
    let (detail, others) = std::thread::scope(|s| {
        let detail = s.spawn(|| stage(&names[1], &|p| detail::write(p, ctx).map_err(|e| e.to_string())));
        let others = (|| -> Result<Vec<String>, ReportError> {
            let mut v = vec![
                stage(&names[0], &|p| compensation::write(p, ctx).map_err(|e| e.to_string()))?,
                stage(&names[2], &|p| slips::write(p, ctx).map_err(|e| e.to_string()))?,
                stage(&names[3], &|p| {
                    let f = File::options().write(true).truncate(true).open(p).map_err(|e| e.to_string())?;
                    let mut w = BufWriter::new(f);
                    payroll::write(&mut w, ctx).map_err(|e| e.to_string())?;
                    w.flush().map_err(|e| e.to_string())
                })?,
                stage(&names[4], &|p| statements::write(p, ctx).map_err(|e| e.to_string()))?,
            ];
            if let Some(a) = ctx.analysis {
                let al = labels::analysis_labels(ctx.config.report.locale);
                let cfg = ctx.config;
                let m = ctx.ym();
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
    let mut staged = vec![others.remove(0), detail];
    staged.append(&mut others);

    let mut written = Vec::new();
    for name in &staged {
        let path = dir.join(name);
        let (sha256, size) = hash_file(&path).map_err(|e| werr(name, e.to_string()))?;
        File::open(&path).and_then(|f| f.sync_all()).map_err(|e| werr(name, e.to_string()))?;
        written.push(Written { name: name.clone(), sha256, size });
    }
    let manifest = manifest(ctx, &written);
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| werr("manifest.json", e.to_string()))? + "\n";
    stage("manifest.json", &|p| std::fs::write(p, text.as_bytes()).map_err(|e| e.to_string()))?;
    File::open(dir.join("manifest.json"))
        .and_then(|f| f.sync_all())
        .map_err(|e| werr("manifest.json", e.to_string()))?;
    Ok(written)
}

fn manifest(ctx: &ReportCtx<'_>, written: &[Written]) -> serde_json::Value {
    let month = ctx.month;
    let r = ctx.rounding();
    let inputs: Vec<_> = month
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
    let (components, total) = month.totals();
    let mut totals = serde_json::Map::new();
    totals.insert("managers".into(), json!(month.managers.len()));
    // The metrics as the payroll shows them (each manager's figure rounded on its own), summed.
    let mut metrics = Metrics::default();
    let (mut new_accounts, mut valid_accounts) = (0u64, 0u64);
    for m in &month.managers {
        metrics.add(&m.metrics(r));
        new_accounts += u64::from(m.new_accounts);
        valid_accounts += u64::from(m.valid_accounts);
    }
    totals.insert("net_commission".into(), json!(r.format(metrics.net_commission)));
    totals.insert("other_revenue".into(), json!(r.format(metrics.other_revenue)));
    totals.insert("net_revenue".into(), json!(r.format(metrics.net_revenue)));
    totals.insert("net_inflow".into(), json!(r.format(metrics.net_inflow)));
    totals.insert("month_end_assets".into(), json!(r.format(metrics.month_end_assets)));
    totals.insert("new_accounts".into(), json!(new_accounts));
    totals.insert("valid_accounts".into(), json!(valid_accounts));
    for c in Component::ALL {
        totals.insert(c.key().into(), json!(r.format(components.get(c))));
    }
    totals.insert("total".into(), json!(r.format(total)));
    let exceptions = month.exception_count();
    let standard = &month.standard;
    json!({
        "month": ctx.ym().to_string(),
        "tool": {
            "name": env!("CARGO_PKG_NAME"),
            "version": env!("CARGO_PKG_VERSION"),
            "build": crate::BUILD,
        },
        "configuration": {
            "file": ctx.config.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            "sha256": ctx.config.sha256,
        },
        "organization": { "name": ctx.config.organization.name, "code": ctx.config.organization.code },
        "standard": {
            "name": standard.name,
            "file": standard.file_name(),
            "effective_from": standard.effective_from.to_string(),
            "sha256": standard.sha256,
        },
        "inputs": inputs,
        "outputs": outputs,
        "totals": totals,
        "clawback": {
            "recovered": month.clawback.iter().filter(|l| l.charged).count(),
            "not_recovered": month.clawback.iter().filter(|l| !l.charged).count(),
            "total": r.format(components.clawback),
        },
        "unread_files": month.unread.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
        "exceptions": exceptions,
        "information": month.issues.len() - exceptions,
    })
}
