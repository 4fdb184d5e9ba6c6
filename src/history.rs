//! Earlier months, exactly as regenerating them gives (the application's cross-month memory).
//!
//! A month's summary is computed from its own inputs with its own standard version. It is kept
//! in memory for the run and on disk under `<reports>/.cache/`, keyed by the SHA-256 of
//! everything the month's figures depend on: the build of the tool, the configuration file, the
//! standard file, every input file of the month, and the accounts and roster files of every
//! earlier month (returning clients). Change any of them and the key changes, so a cached month
//! is recomputed rather than reused: the cache can never go stale silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::MonthSummary;
use crate::calendar::YearMonth;
use crate::config::{Config, StandardSet};
use crate::error::RunError;
use crate::ingest::discover;
use crate::ingest::FileError;
use crate::model::Kind;

#[derive(Serialize, Deserialize)]
struct Cached {
    key: String,
    summary: MonthSummary,
}

/// Summaries of months, computed once per run and cached on disk.
/// Computes a month's summary from its own inputs (the run's pipeline, supplied by the caller).
pub type Loader<'a> = dyn Fn(YearMonth) -> Result<MonthSummary, RunError> + 'a;

pub struct History<'a> {
    cfg: &'a Config,
    loader: &'a Loader<'a>,
    standards: &'a StandardSet,
    data: PathBuf,
    cache_dir: Option<PathBuf>,
    memo: BTreeMap<YearMonth, Option<MonthSummary>>,
    /// Months computed (not taken from the cache) in this run, for the log.
    pub computed: Vec<YearMonth>,
}

impl<'a> History<'a> {
    pub fn new(
        cfg: &'a Config,
        standards: &'a StandardSet,
        data: &Path,
        cache_dir: Option<PathBuf>,
        loader: &'a Loader<'a>,
    ) -> Self {
        if let Some(dir) = &cache_dir {
            remove_stale_temporaries(dir);
        }
        Self {
            cfg,
            loader,
            standards,
            data: data.to_path_buf(),
            cache_dir,
            memo: BTreeMap::new(),
            computed: Vec::new(),
        }
    }

    /// The folder of month folders.
    pub fn data(&self) -> &Path {
        &self.data
    }

    /// Record a month just computed by the run (and cache it).
    pub fn insert(&mut self, summary: MonthSummary) {
        if let Ok(key) = self.key(summary.month) {
            self.store(&key, &summary);
        }
        self.memo.insert(summary.month, Some(summary));
    }

    /// Make the summaries of `months` available to [`History::peek`].
    ///
    /// # Errors
    /// A file-level or configuration error of one of those months.
    pub fn load_all(&mut self, months: &[YearMonth]) -> Result<(), RunError> {
        for &month in months {
            if !self.memo.contains_key(&month) {
                let s = self.load(month)?;
                self.memo.insert(month, s);
            }
        }
        Ok(())
    }

    /// The summary of a loaded month; `None` when it has no input folder (or was not loaded).
    pub fn peek(&self, month: YearMonth) -> Option<&MonthSummary> {
        self.memo.get(&month).and_then(Option::as_ref)
    }

    fn load(&mut self, month: YearMonth) -> Result<Option<MonthSummary>, RunError> {
        if !self.data.join(month.to_string()).is_dir() {
            return Ok(None);
        }
        let key = self.key(month)?;
        if let Some(dir) = &self.cache_dir {
            if let Ok(bytes) = std::fs::read(dir.join(format!("{month}.json"))) {
                if let Ok(c) = serde_json::from_slice::<Cached>(&bytes) {
                    if c.key == key && c.summary.month == month {
                        return Ok(Some(c.summary));
                    }
                }
            }
        }
        let summary = (self.loader)(month)?;
        self.store(&key, &summary);
        self.computed.push(month);
        Ok(Some(summary))
    }

    fn store(&self, key: &str, summary: &MonthSummary) {
        let Some(dir) = &self.cache_dir else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let cached = Cached { key: key.to_string(), summary: summary.clone() };
        let Ok(text) = serde_json::to_vec(&cached) else { return };
        // A cache write that fails costs only time later; it never changes a figure.
        if let Ok(tmp) = tempfile::Builder::new().prefix(".cache-").tempfile_in(dir) {
            if std::fs::write(tmp.path(), &text).is_ok() {
                let _ = tmp.persist(dir.join(format!("{}.json", summary.month)));
            }
        }
    }

    /// The SHA-256 of everything the month's figures depend on.
    fn key(&self, month: YearMonth) -> Result<String, RunError> {
        self.key_for_build(crate::BUILD, month)
    }

    /// As [`History::key`], for the build `build`: a changed rule (another build) must never
    /// reuse figures an earlier build computed.
    fn key_for_build(&self, build: &str, month: YearMonth) -> Result<String, RunError> {
        let mut h = Sha256::new();
        h.update(build.as_bytes());
        h.update(read(&self.cfg.file)?);
        let standard = self.standards.for_month(month, &self.cfg.standards_dir)?;
        h.update(standard.sha256.as_bytes());
        let found = discover(self.cfg, &self.data, month)?;
        for paths in found.by_kind.values() {
            for p in paths {
                hash_file(&mut h, &self.data, p)?;
            }
        }
        if let Ok(entries) = std::fs::read_dir(&self.data) {
            let mut earlier: Vec<YearMonth> = entries
                .filter_map(Result::ok)
                .filter_map(|e| YearMonth::parse(&e.file_name().to_string_lossy()))
                .filter(|m| *m < month)
                .collect();
            earlier.sort();
            for m in earlier {
                let found = discover(self.cfg, &self.data, m)?;
                for kind in [Kind::Accounts, Kind::Roster] {
                    for p in found.paths(kind) {
                        hash_file(&mut h, &self.data, p)?;
                    }
                }
            }
        }
        Ok(hex::encode(h.finalize()))
    }
}

/// Temporary files of cache writes that a killed run left (an hour old: no live run is still
/// writing them).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in entries.filter_map(Result::ok) {
        let old = e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < hour_ago);
        if e.file_name().to_string_lossy().starts_with(".cache-") && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, RunError> {
    std::fs::read(path).map_err(|e| {
        RunError::Input(FileError {
            file: path.display().to_string(),
            sheet: None,
            message: format!("cannot read: {e}"),
        })
    })
}

fn hash_file(h: &mut Sha256, data: &Path, p: &Path) -> Result<(), RunError> {
    let rel = p.strip_prefix(data).unwrap_or(p).to_string_lossy().into_owned();
    h.update(rel.as_bytes());
    h.update([0]);
    let (sha, _) = crate::digest::sha256_file(p).map_err(|e| {
        RunError::Input(FileError { file: p.display().to_string(), sheet: None, message: format!("cannot read: {e}") })
    })?;
    h.update(sha.as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_key_changes_with_the_build_and_the_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("data/2026-10")).unwrap();
        std::fs::create_dir_all(root.join("standards")).unwrap();
        let standard = include_str!("../config/standards/2026.toml");
        std::fs::write(root.join("standards/2026.toml"), standard).unwrap();
        let cfg_text = "[organization]\nname = \"x\"\ncode = \"X\"\n[paths]\ndata = \"data\"\nreports = \"reports\"\nstandards = \"standards\"\n";
        std::fs::write(root.join("c.toml"), cfg_text).unwrap();
        for f in ["crm.csv", "accounts.csv", "roster.csv"] {
            std::fs::write(root.join("data/2026-10").join(f), "x\n").unwrap();
        }
        let cfg = Config::load(&root.join("c.toml")).unwrap();
        let standards = StandardSet::load(&cfg.standards_dir).unwrap();
        let loader = |_m: YearMonth| -> Result<MonthSummary, RunError> { unreachable!() };
        let h = History::new(&cfg, &standards, &cfg.data_dir, None, &loader);
        let m = YearMonth::parse("2026-10").unwrap();
        let a = h.key_for_build("0.1.0+aaaa", m).unwrap();
        assert_eq!(a, h.key_for_build("0.1.0+aaaa", m).unwrap());
        assert_ne!(a, h.key_for_build("0.1.0+bbbb", m).unwrap(), "another build, another key");
        std::fs::write(root.join("data/2026-10/crm.csv"), "y\n").unwrap();
        assert_ne!(a, h.key_for_build("0.1.0+aaaa", m).unwrap(), "another input, another key");
    }
}
