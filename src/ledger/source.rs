//! Where a month comes from: its data folder (an open month) or its archive (a closed one).
//!
//! Takes the configuration, the standards and the folders; gives a [`Source`]: the folder that
//! holds the month's input folder, the configuration and the standard to read and compute it
//! with, and for a closed month its close record and archived context. A closed month is always
//! read from `<reports>/<YYYY-MM>/archive/`, never from the data folder, so it regenerates
//! byte-identically forever (SPEC §4.10).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::context::MonthContext;
use super::LedgerError;
use crate::analysis::checks::Warning;
use crate::calendar::YearMonth;
use crate::config::{Config, ConfigError, Standard, StandardSet};
use crate::ingest::FileError;
use crate::model::{Components, Person};

/// The file that marks a month closed.
pub const CLOSE_FILE: &str = "close.json";
/// The folder of a closed month's archive.
pub const ARCHIVE: &str = "archive";

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    pub file: String,
    pub sha256: String,
}

/// A manager as closed: identity, components and total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosedManager {
    pub person: Person,
    pub level: String,
    pub level_label: String,
    pub components: Components,
    pub total: rust_decimal::Decimal,
}

/// A prior-period amount a month carried for an earlier closed month and a manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarriedAmount {
    pub month: YearMonth,
    pub manager_id: String,
    pub amount: rust_decimal::Decimal,
}

/// `close.json`: what was closed, by whom, when, and every figure and hash of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseRecord {
    pub month: YearMonth,
    pub closed_by: String,
    /// UTC, `2026-11-05T08:30:00Z`.
    pub closed_at: String,
    /// The build that closed it (verify regenerates with the build it runs as).
    pub build: String,
    /// The outputs as closed (relative to the month's folder).
    pub outputs: Vec<FileHash>,
    /// The archived files (relative to the month's folder).
    pub archived: Vec<FileHash>,
    pub managers: Vec<ClosedManager>,
    /// The prior-period amounts this month carried for earlier closed months.
    pub prior_period: Vec<CarriedAmount>,
    /// The completeness warnings the month was closed with, and why (SPEC §4.11); absent when
    /// it had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_warnings: Option<AcceptedWarnings>,
    /// Set when the record was reopened (`close.reopened-<n>.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopened: Option<Reopened>,
}

/// Completeness warnings acknowledged at close (复核确认): the warnings as in the manifest, the
/// reason the month is right as it is, who and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptedWarnings {
    pub warnings: Vec<Warning>,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// Why and when a closed month was reopened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reopened {
    pub at: String,
    pub reason: String,
    pub by: String,
}

/// A closed month: its record and the context it was closed with.
#[derive(Debug, Clone)]
pub struct Closed {
    pub record: CloseRecord,
    pub context: MonthContext,
    /// The month's folder under the reports folder.
    pub dir: PathBuf,
}

/// Where a month is read from and with what.
#[derive(Debug, Clone)]
pub struct Source {
    pub month: YearMonth,
    /// The folder that holds the month's `<YYYY-MM>/` folder.
    pub data_dir: PathBuf,
    pub config: Config,
    pub standard: Standard,
    pub closed: Option<Closed>,
}

fn cannot(path: &Path, message: impl Into<String>) -> LedgerError {
    LedgerError::Input(FileError { file: path.display().to_string(), sheet: None, message: message.into() })
}

/// The close record of the month in `dir` (its folder under the reports folder), if closed.
///
/// # Errors
/// A record that cannot be read.
pub fn close_record(dir: &Path) -> Result<Option<CloseRecord>, LedgerError> {
    let path = dir.join(CLOSE_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| cannot(&path, format!("the close record cannot be read: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(cannot(&path, format!("cannot read: {e}"))),
    }
}

/// An open month: read from the data folder with the configuration and the standard in force.
///
/// # Errors
/// No standard in force for the month.
pub fn open(cfg: &Config, standards: &StandardSet, data: &Path, month: YearMonth) -> Result<Source, LedgerError> {
    let standard = standards.for_month(month, &cfg.standards_dir)?.clone();
    Ok(Source { month, data_dir: data.to_path_buf(), config: cfg.clone(), standard, closed: None })
}

/// What is no longer as it was closed in a closed month's archive (SPEC §4.10, "a closed month is
/// used only while it is whole"): each archived file whose SHA-256 is not the one close.json
/// records, each one missing, each file in the archive that close.json does not list, or the
/// archive folder gone — as `(file relative to the month's folder, what: "is missing" …)`, in
/// name order.
pub fn altered_archive(dir: &Path, record: &CloseRecord) -> Vec<(String, String)> {
    let archive = dir.join(ARCHIVE);
    if !archive.is_dir() {
        return vec![(format!("{ARCHIVE}/"), "is gone".into())];
    }
    let mut out = Vec::new();
    for f in &record.archived {
        match crate::digest::sha256_file(&dir.join(&f.file)) {
            Ok((h, _)) if h == f.sha256 => {}
            Ok(_) => out.push((f.file.clone(), "has changed since the month was closed".into())),
            Err(_) => out.push((f.file.clone(), "is missing".into())),
        }
    }
    let mut present = Vec::new();
    list_files(&archive, dir, &mut present);
    for p in present {
        if !record.archived.iter().any(|f| f.file == p) {
            out.push((p, "was added since the month was closed (close.json does not list it)".into()));
        }
    }
    out.sort();
    out
}

fn list_files(folder: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            list_files(&p, base, out);
        } else {
            out.push(p.strip_prefix(base).unwrap_or(&p).to_string_lossy().replace('\\', "/"));
        }
    }
}

/// A closed month: read from its archive, with the archived configuration (its paths set to the
/// archive) and standard, and the archived context — only while the archive is whole.
///
/// # Errors
/// An archived file altered, missing or added since the close, or the archive gone (naming the
/// month and the file); an archive that cannot be read.
pub fn closed(dir: &Path, record: CloseRecord) -> Result<Source, LedgerError> {
    if let Some((file, what)) = altered_archive(dir, &record).into_iter().next() {
        let path = dir.join(&file);
        return Err(cannot(
            &path,
            format!(
                "{} is closed, but {file} {what}: a closed month is used only while its archive matches close.json (restore it from a backup)",
                record.month
            ),
        ));
    }
    let archive = dir.join(ARCHIVE);
    let one_file = |sub: &str| -> Result<PathBuf, LedgerError> {
        let folder = archive.join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(|e| cannot(&folder, format!("the archive is incomplete: {e}")))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        match files.as_slice() {
            [one] => Ok(one.clone()),
            _ => Err(cannot(&folder, "the archive should hold exactly one file here")),
        }
    };
    let config_file = one_file("config")?;
    let text = std::fs::read_to_string(&config_file).map_err(|e| cannot(&config_file, format!("cannot read: {e}")))?;
    let mut config = Config::parse(&text, &config_file, &archive).map_err(|e: ConfigError| LedgerError::Config(e))?;
    config.sha256 = crate::digest::sha256_bytes(text.as_bytes());
    config.data_dir = archive.join("data");
    config.standards_dir = archive.join("standards");
    let standard = Standard::load(&one_file("standards")?)?;
    let context_file = archive.join("context.json");
    let bytes = std::fs::read(&context_file).map_err(|e| cannot(&context_file, format!("cannot read: {e}")))?;
    let context: MonthContext = serde_json::from_slice(&bytes)
        .map_err(|e| cannot(&context_file, format!("the archived context cannot be read: {e}")))?;
    Ok(Source {
        month: record.month,
        data_dir: archive.join("data"),
        config,
        standard,
        closed: Some(Closed { record, context, dir: dir.to_path_buf() }),
    })
}
