//! The ledger of months: the one way anything reaches into another month (SPEC §4.10).
//!
//! Takes the configuration, the standards, the data folder and the reports folder; gives, for
//! any month, where it comes from ([`Source`]: its data folder, or its archive when closed), the
//! accepted account clients it contributes (returning clients of later months), its figures
//! ([`MonthSummary`], for the analysis and the reviews of later months), and the context of a
//! month about to be computed ([`MonthContext`]: earlier clients, prior-period adjustments from
//! corrected closed months, neighbours for the analysis). Each is computed once per process and
//! kept on disk under `<reports>/.ledger/`, keyed by the SHA-256 of everything it depends on —
//! the build of the tool, the configuration, the standard, the month's input files and the
//! earlier months that matter — so that a changed rule or file never reuses stale figures. A
//! closed month's entries come from its archive and never change. Refuses what an earlier month
//! refuses (its file-level or configuration error stops the run).

pub mod approvals;
pub mod context;
pub mod error;
pub mod filing;
pub mod package;
pub mod source;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use context::MonthContext;
pub use error::LedgerError;

pub use source::{CloseRecord, Source};

use crate::analysis::checks::MonthFigures;
use crate::analysis::{summarize, MonthSummary};
use crate::calendar::YearMonth;
use crate::compute::{BonusAccount, ComputedMonth, PriorPeriodLine};
use crate::config::{Config, StandardSet};
use crate::ingest::{discover, FileError};
use crate::model::{Components, Kind, Person};
use source::FileHash;

/// A computed month and the accepted account clients it contributes.
pub struct Produced {
    pub computed: ComputedMonth,
    /// What the completeness checks of later months compare of it (SPEC §4.11).
    pub figures: MonthFigures,
    /// Clients of the month's accepted account rows (new or returning), sorted.
    pub clients: Vec<String>,
    /// Time reading the files, checking the rows, and computing.
    pub read: std::time::Duration,
    pub check: std::time::Duration,
    pub compute: std::time::Duration,
}

/// How the ledger has a month computed: the pipeline's road from a source to a computed month
/// (ingest and compute), given to the ledger by the pipeline that owns it, so that every month —
/// the one being run and each earlier one the ledger needs — takes the same road.
pub trait Producer {
    /// Read and compute a month from its source, in its context.
    ///
    /// # Errors
    /// A file-level or configuration error of the month.
    fn produce(&self, source: &Source, context: &MonthContext) -> Result<Produced, LedgerError>;
}

/// The input files of a month folder as discovery sees them, each with its SHA-256
/// (`YYYY-MM/name`), in name order; `kinds` limits them to some kinds.
///
/// # Errors
/// A file-level error of discovery, or a file that cannot be read.
pub fn input_hashes(
    config: &Config,
    data_dir: &Path,
    month: YearMonth,
    kinds: Option<&[Kind]>,
) -> Result<Vec<FileHash>, LedgerError> {
    let found = discover(config, data_dir, month)?;
    let mut out = Vec::new();
    for (kind, paths) in &found.by_kind {
        if kinds.is_some_and(|ks| !ks.contains(kind)) {
            continue;
        }
        for p in paths {
            let label = crate::ingest::read::relabel(data_dir, p);
            let (sha256, _) = crate::digest::sha256_file(p).map_err(|e| FileError {
                file: label.clone(),
                sheet: None,
                message: format!("cannot read: {e}"),
            })?;
            out.push(FileHash { file: label, sha256 });
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(out)
}

/// The accepted account clients of a month, and the key they are cached under.
struct ClientSet {
    key: String,
    clients: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct CachedClients {
    key: String,
    clients: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct CachedEntry {
    key: String,
    summary: MonthSummary,
    figures: MonthFigures,
}

/// `running` (sorted by client) with the clients of `sets` (months after all of its, ascending;
/// each set sorted) merged in: each client once, with its first month, sorted by client. One
/// merge of sorted lists: years of months cost a pass over their clients, not a tree insert each.
fn first_months(running: Vec<(String, YearMonth)>, sets: &[(YearMonth, Rc<ClientSet>)]) -> Vec<(String, YearMonth)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let total = running.len() + sets.iter().map(|(_, s)| s.clients.len()).sum::<usize>();
    let mut out: Vec<(String, YearMonth)> = Vec::with_capacity(total);
    // The head of each list: (client, month, list); the earliest month first among equals.
    let mut heads = BinaryHeap::new();
    let mut lists: Vec<std::slice::Iter<'_, String>> = Vec::with_capacity(sets.len());
    for (i, (m, set)) in sets.iter().enumerate() {
        let mut it = set.clients.iter();
        if let Some(c) = it.next() {
            heads.push(Reverse((c.as_str(), *m, i)));
        }
        lists.push(it);
    }
    let mut old = running.into_iter().peekable();
    loop {
        let next_new = heads.peek().map(|Reverse((c, _, _))| *c);
        // An earlier pass's client comes first among equals: its months are all earlier.
        match (old.peek(), next_new) {
            (Some((c, _)), Some(n)) if c.as_str() <= n => {
                let (c, m) = old.next().expect("peeked");
                if out.last().is_none_or(|(l, _)| *l != c) {
                    out.push((c, m));
                }
            }
            (Some(_), None) => out.extend(old.by_ref()),
            (_, Some(_)) => {
                let Some(Reverse((c, m, i))) = heads.pop() else { break };
                if out.last().is_none_or(|(l, _)| l != c) {
                    out.push((c.to_string(), m));
                }
                if let Some(n) = lists[i].next() {
                    heads.push(Reverse((n.as_str(), sets[i].0, i)));
                }
            }
            (None, None) => break,
        }
    }
    out
}

/// The file of a closed month's archive that holds its [`MonthFigures`].
pub const FIGURES_FILE: &str = "figures.json";

/// A closed month recomputed from the current files of its data folder.
struct Recomputed {
    managers: BTreeMap<String, (Person, String, String, Components)>,
    /// Its figures as recomputed (its accounts' bonuses and the accounts it judged lost).
    summary: Rc<MonthSummary>,
}

pub struct Ledger<'a> {
    producer: &'a dyn Producer,
    cfg: &'a Config,
    standards: &'a StandardSet,
    data: PathBuf,
    reports: PathBuf,
    cache: Option<PathBuf>,
    /// Whether the cache is written (a what-if only reads it: it writes nothing outside its folder).
    writes: bool,
    months: Option<Vec<YearMonth>>,
    sources: BTreeMap<YearMonth, Rc<Source>>,
    client_sets: BTreeMap<YearMonth, Rc<ClientSet>>,
    entries: BTreeMap<YearMonth, Rc<MonthSummary>>,
    figures: BTreeMap<YearMonth, Rc<MonthFigures>>,
    priors: BTreeMap<YearMonth, Rc<Vec<PriorPeriodLine>>>,
    changes: BTreeMap<YearMonth, Rc<Vec<String>>>,
    recomputed: BTreeMap<YearMonth, Rc<Recomputed>>,
    /// Every client seen in the months before `clients_until`, with its first month, sorted by
    /// client.
    running: Vec<(String, YearMonth)>,
    clients_until: Option<YearMonth>,
    /// After each month folded into `running`: the digest of the client sets up to it.
    client_digests: BTreeMap<YearMonth, String>,
    /// Months whose figures were computed (not taken from the cache) by this process.
    pub computed: Vec<YearMonth>,
}

fn hash_parts(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}

fn hashes_bytes(files: &[FileHash]) -> Vec<u8> {
    let mut v = Vec::new();
    for f in files {
        v.extend_from_slice(f.file.as_bytes());
        v.push(0);
        v.extend_from_slice(f.sha256.as_bytes());
        v.push(0);
    }
    v
}

impl<'a> Ledger<'a> {
    /// A ledger over the data folder `data`, with closed months and the cache under `reports`.
    pub fn new(
        producer: &'a dyn Producer,
        cfg: &'a Config,
        standards: &'a StandardSet,
        data: &Path,
        reports: &Path,
    ) -> Self {
        let mut ledger = Self::read_only(producer, cfg, standards, data, reports);
        ledger.writes = true;
        if let Some(cache) = &ledger.cache {
            remove_stale_temporaries(cache, ".cache-");
        }
        ledger
    }

    /// A ledger that reads the cache but never writes to the reports folder.
    pub fn read_only(
        producer: &'a dyn Producer,
        cfg: &'a Config,
        standards: &'a StandardSet,
        data: &Path,
        reports: &Path,
    ) -> Self {
        let cache = reports.join(".ledger");
        Ledger {
            producer,
            cfg,
            standards,
            data: data.to_path_buf(),
            reports: reports.to_path_buf(),
            cache: Some(cache),
            writes: false,
            months: None,
            sources: BTreeMap::new(),
            client_sets: BTreeMap::new(),
            entries: BTreeMap::new(),
            figures: BTreeMap::new(),
            priors: BTreeMap::new(),
            changes: BTreeMap::new(),
            recomputed: BTreeMap::new(),
            running: Vec::new(),
            clients_until: None,
            client_digests: BTreeMap::new(),
            computed: Vec::new(),
        }
    }

    pub fn config(&self) -> &Config {
        self.cfg
    }
    pub fn data(&self) -> &Path {
        &self.data
    }
    pub fn reports(&self) -> &Path {
        &self.reports
    }

    /// The month's folder under the reports folder.
    pub fn month_dir(&self, month: YearMonth) -> PathBuf {
        self.reports.join(month.to_string())
    }

    /// The months that have inputs: a folder under the data folder, or an archive (closed).
    pub fn months(&mut self) -> &[YearMonth] {
        if self.months.is_none() {
            let mut v = Vec::new();
            for dir in [&self.data, &self.reports] {
                if let Ok(entries) = std::fs::read_dir(dir) {
                    for e in entries.filter_map(Result::ok) {
                        if let Some(m) = YearMonth::parse(&e.file_name().to_string_lossy()) {
                            let has = if dir == &self.data {
                                e.path().is_dir()
                            } else {
                                e.path().join(source::CLOSE_FILE).is_file()
                            };
                            if has {
                                v.push(m);
                            }
                        }
                    }
                }
            }
            v.sort();
            v.dedup();
            self.months = Some(v);
        }
        self.months.as_deref().unwrap_or(&[])
    }

    pub fn has_inputs(&mut self, month: YearMonth) -> bool {
        self.months().binary_search(&month).is_ok()
    }

    /// The close record of a month, when it is closed.
    ///
    /// # Errors
    /// A record that cannot be read.
    pub fn closed(&self, month: YearMonth) -> Result<Option<CloseRecord>, LedgerError> {
        source::close_record(&self.month_dir(month))
    }

    /// Where a month is read from: its archive when closed, else its data folder.
    ///
    /// # Errors
    /// An archive or close record that cannot be read; no standard in force.
    pub fn source(&mut self, month: YearMonth) -> Result<Rc<Source>, LedgerError> {
        if let Some(s) = self.sources.get(&month) {
            return Ok(s.clone());
        }
        let dir = self.month_dir(month);
        let s = match source::close_record(&dir)? {
            Some(record) => source::closed(&dir, record)?,
            None => source::open(self.cfg, self.standards, &self.data, month)?,
        };
        let s = Rc::new(s);
        self.sources.insert(month, s.clone());
        Ok(s)
    }

    fn read_cache<T: for<'de> Deserialize<'de>>(&self, name: &str) -> Option<T> {
        let dir = self.cache.as_ref()?;
        let bytes = std::fs::read(dir.join(name)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn write_cache<T: Serialize>(&self, name: &str, value: &T) {
        let Some(dir) = self.cache.as_ref().filter(|_| self.writes) else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(text) = serde_json::to_vec(value) else { return };
        // A cache write that fails costs only time later; it never changes a figure.
        use std::io::Write;
        if let Ok(mut tmp) = crate::output::Temporary::new_in(dir, ".cache-") {
            if tmp.file().write_all(&text).is_ok() {
                let _ = tmp.commit(&dir.join(name));
            }
        }
    }

    /// The key of a month's accepted account clients: the build, the configuration and the
    /// month's roster and accounts files.
    fn clients_key(&mut self, month: YearMonth) -> Result<String, LedgerError> {
        let src = self.source(month)?;
        let files = input_hashes(&src.config, &src.data_dir, month, Some(&[Kind::Roster, Kind::Accounts]))?;
        Ok(hash_parts(&[
            crate::BUILD.as_bytes(),
            b"clients",
            src.config.sha256.as_bytes(),
            month.to_string().as_bytes(),
            &hashes_bytes(&files),
        ]))
    }

    /// The accepted account clients of a month with inputs.
    fn client_set(&mut self, month: YearMonth) -> Result<Rc<ClientSet>, LedgerError> {
        if let Some(c) = self.client_sets.get(&month) {
            return Ok(c.clone());
        }
        let src = self.source(month)?;
        let key = self.clients_key(month)?;
        let name = format!("{month}.clients.json");
        let clients = match self.read_cache::<CachedClients>(&name) {
            Some(c) if c.key == key => c.clients,
            _ => {
                let mut clients = crate::ingest::earlier::accepted_account_clients(&src.config, &src.data_dir, month)?;
                clients.sort();
                clients.dedup();
                self.write_cache(&name, &CachedClients { key: key.clone(), clients: clients.clone() });
                clients
            }
        };
        let set = Rc::new(ClientSet { key, clients });
        self.client_sets.insert(month, set.clone());
        Ok(set)
    }

    /// Each client with an accepted account row in a month before `month`, with the first such
    /// month (sorted by client), and a digest of what they depend on.
    ///
    /// # Errors
    /// A file-level error of an earlier month's roster or accounts.
    pub fn earlier_clients(&mut self, month: YearMonth) -> Result<(Vec<(String, YearMonth)>, String), LedgerError> {
        let digest = self.earlier_digest(month)?;
        let clients = self.running.iter().filter(|(_, f)| *f < month).cloned().collect();
        Ok((clients, digest))
    }

    /// The digest of the earlier clients of `month`: of the client sets of every month before
    /// it, in order (their keys cover the files they come from).
    fn earlier_digest(&mut self, month: YearMonth) -> Result<String, LedgerError> {
        // One running union for the process, extended month by month in ascending order: a
        // client's first month is final once recorded, so any earlier bound is a filter of it.
        let earlier: Vec<YearMonth> = self.months().iter().copied().filter(|m| *m < month).collect();
        let until = self.clients_until;
        let fresh: Vec<YearMonth> = earlier.iter().copied().filter(|m| until.is_none_or(|u| *m >= u)).collect();
        let mut sets = Vec::new();
        for m in fresh {
            let set = self.client_set(m)?;
            let mut h = Sha256::new();
            h.update(self.client_digests.values().next_back().map(String::as_bytes).unwrap_or_default());
            h.update(m.to_string().as_bytes());
            h.update(set.key.as_bytes());
            let digest = hex::encode(h.finalize());
            self.client_digests.insert(m, digest);
            self.clients_until = Some(m.next());
            sets.push((m, set));
        }
        if !sets.is_empty() {
            let running = std::mem::take(&mut self.running);
            self.running = first_months(running, &sets);
        }
        Ok(earlier.last().and_then(|m| self.client_digests.get(m)).cloned().unwrap_or_default())
    }

    /// The input files of a closed month's data folder that differ from its archive: added,
    /// removed or changed (empty when its data folder is gone: nothing to correct).
    fn changes(&mut self, month: YearMonth) -> Result<Rc<Vec<String>>, LedgerError> {
        if let Some(c) = self.changes.get(&month) {
            return Ok(c.clone());
        }
        let src = self.source(month)?;
        let mut out = Vec::new();
        if self.data.join(month.to_string()).is_dir() {
            let archived = input_hashes(&src.config, &src.data_dir, month, None)?;
            let current = input_hashes(self.cfg, &self.data, month, None)?;
            let name = |f: &FileHash| f.file.rsplit('/').next().unwrap_or("").to_string();
            let a: BTreeMap<String, &str> = archived.iter().map(|f| (name(f), f.sha256.as_str())).collect();
            let c: BTreeMap<String, &str> = current.iter().map(|f| (name(f), f.sha256.as_str())).collect();
            for (n, sha) in &c {
                match a.get(n) {
                    None => out.push(format!("{n} (added)")),
                    Some(s) if s != sha => out.push(format!("{n} (changed)")),
                    _ => {}
                }
            }
            for n in a.keys().filter(|n| !c.contains_key(*n)) {
                out.push(format!("{n} (removed)"));
            }
        }
        let out = Rc::new(out);
        self.changes.insert(month, out.clone());
        Ok(out)
    }

    /// A closed month recomputed from the current files of its data folder, with the standard
    /// the standards folder now gives it and the context it was closed with (its own
    /// prior-period adjustment left out: it belongs to the months before it).
    fn recompute(&mut self, month: YearMonth) -> Result<Rc<Recomputed>, LedgerError> {
        if let Some(r) = self.recomputed.get(&month) {
            return Ok(r.clone());
        }
        let closed = self.source(month)?;
        let mut context = closed.closed.as_ref().map(|c| c.context.clone()).unwrap_or_default();
        context.prior_period.clear();
        let live = source::open(self.cfg, self.standards, &self.data, month)?;
        let produced = self.producer.produce(&live, &context)?;
        let summary = Rc::new(summarize(&produced.computed, &live.config.organization.code));
        let managers = produced
            .computed
            .managers
            .into_iter()
            .map(|m| {
                let mut c = m.components;
                c.prior_period = Decimal::ZERO;
                (m.person.manager_id.clone(), (m.person, m.level, m.level_label, c))
            })
            .collect();
        let r = Rc::new(Recomputed { managers, summary });
        self.recomputed.insert(month, r.clone());
        Ok(r)
    }

    /// The prior-period lines carried into the open month `month` (SPEC §4.10): for each closed
    /// month before it whose input files changed, per manager, the recomputed total less the
    /// closed total less what closed months in between already carried.
    ///
    /// # Errors
    /// A file-level or configuration error of a corrected closed month.
    pub fn prior_period(&mut self, month: YearMonth) -> Result<Rc<Vec<PriorPeriodLine>>, LedgerError> {
        if let Some(p) = self.priors.get(&month) {
            return Ok(p.clone());
        }
        let mut closed: Vec<(YearMonth, CloseRecord)> = Vec::new();
        for m in self.months().to_vec() {
            if m >= month {
                break;
            }
            // From the month's source, read once per process (every earlier month's source is
            // needed for its clients anyway), not its close record again for every later month.
            if let Some(c) = &self.source(m)?.closed {
                closed.push((m, c.record.clone()));
            }
        }
        let mut lines = Vec::new();
        for (c, record) in &closed {
            let changed = self.changes(*c)?;
            if changed.is_empty() {
                continue;
            }
            let rec = self.recompute(*c)?;
            let mut carried: BTreeMap<&str, Decimal> = BTreeMap::new();
            for (_, later) in closed.iter().filter(|(k, _)| k > c) {
                for a in later.prior_period.iter().filter(|a| a.month == *c) {
                    *carried.entry(a.manager_id.as_str()).or_default() += a.amount;
                }
            }
            let was: BTreeMap<&str, &source::ClosedManager> =
                record.managers.iter().map(|m| (m.person.manager_id.as_str(), m)).collect();
            let mut ids: Vec<&str> = was.keys().copied().chain(rec.managers.keys().map(String::as_str)).collect();
            ids.sort();
            ids.dedup();
            for id in ids {
                let closed_c = was
                    .get(id)
                    .map(|m| {
                        let mut c = m.components;
                        c.prior_period = Decimal::ZERO;
                        c
                    })
                    .unwrap_or_default();
                let (person, level, label, recomputed) = match (rec.managers.get(id), was.get(id)) {
                    (Some((p, l, ll, c)), _) => (p.clone(), l.clone(), ll.clone(), *c),
                    (None, Some(m)) => {
                        (m.person.clone(), m.level.clone(), m.level_label.clone(), Components::default())
                    }
                    (None, None) => continue,
                };
                let before = carried.get(id).copied().unwrap_or_default();
                let amount = recomputed.total() - closed_c.total() - before;
                if recomputed != closed_c || !amount.is_zero() {
                    lines.push(PriorPeriodLine {
                        month: *c,
                        manager_id: id.to_string(),
                        person,
                        level,
                        level_label: label,
                        closed: closed_c,
                        recomputed,
                        carried_before: before,
                        amount,
                        files_changed: changed.to_vec(),
                    });
                }
            }
        }
        let lines = Rc::new(lines);
        self.priors.insert(month, lines.clone());
        Ok(lines)
    }

    /// The accounts watched for clawback in `month` (SPEC §4.9), when its standard has
    /// `[clawback]`: every account that earned a bonus in a month P of the window
    /// (`month` − months ≤ P < `month`, months with inputs only) and was not judged lost in a
    /// month between P and `month`; sorted by month paid, client and type.
    ///
    /// # Errors
    /// What an earlier month of the window refuses.
    pub fn clawback_watch(&mut self, month: YearMonth) -> Result<Vec<BonusAccount>, LedgerError> {
        let Some(cb) = self.source(month)?.standard.clawback else { return Ok(Vec::new()) };
        let mut entries = Vec::new();
        for m in self.window(month, cb.months) {
            entries.extend(self.clawback_entry(m)?);
        }
        Ok(watch_from(&entries))
    }

    /// A month of a clawback window as the open months after it see it: its figures, or, for a
    /// closed month whose inputs were corrected, its figures as recomputed — the prior-period
    /// adjustment already pays or recovers the difference in its bonuses and recoveries, so an
    /// account it now judges lost is not recovered again, and one it no longer judges lost is
    /// watched again.
    ///
    /// # Errors
    /// What the month refuses.
    pub fn clawback_entry(&mut self, month: YearMonth) -> Result<Option<Rc<MonthSummary>>, LedgerError> {
        let corrected = self.source(month)?.closed.is_some() && !self.changes(month)?.is_empty();
        if corrected {
            return Ok(Some(self.recompute(month)?.summary.clone()));
        }
        self.entry(month)
    }

    /// The months with inputs of the clawback window of `month`: `month` − `months` ≤ P < `month`.
    pub fn window(&mut self, month: YearMonth, months: u32) -> Vec<YearMonth> {
        let mut first = month;
        for _ in 0..months {
            first = first.prev();
        }
        self.months().iter().copied().filter(|m| first <= *m && *m < month).collect()
    }

    /// The context of a month about to be computed: the archived one when it is closed, else
    /// worked out from the other months as they are now (`neighbours`: also the summaries its
    /// analysis compares it with).
    ///
    /// # Errors
    /// What an earlier month refuses.
    pub fn context(&mut self, month: YearMonth, neighbours: bool) -> Result<MonthContext, LedgerError> {
        let src = self.source(month)?;
        if let Some(c) = &src.closed {
            return Ok(c.context.clone());
        }
        let (earlier_clients, _) = self.earlier_clients(month)?;
        let prior_period = self.prior_period(month)?.to_vec();
        let clawback = self.clawback_watch(month)?;
        let mut context =
            MonthContext { month: Some(month), earlier_clients, prior_period, clawback, neighbours: Vec::new() };
        if neighbours {
            context.neighbours = self.neighbours(month)?;
        }
        Ok(context)
    }

    /// The summaries of the months the analysis of `month` compares it with (`None` where a
    /// month has no inputs), as now.
    ///
    /// # Errors
    /// What an earlier month refuses.
    pub fn neighbours(&mut self, month: YearMonth) -> Result<Vec<(YearMonth, Option<MonthSummary>)>, LedgerError> {
        let mut out = Vec::new();
        for m in crate::analysis::months_needed(month) {
            out.push((m, self.entry(m)?.map(|s| (*s).clone())));
        }
        Ok(out)
    }

    /// The key of an open month's figures: the build, the configuration, the standard, its input
    /// files, the earlier clients and the prior-period lines it carries.
    fn open_key(&mut self, month: YearMonth) -> Result<String, LedgerError> {
        let src = self.source(month)?;
        let files = input_hashes(&src.config, &src.data_dir, month, None)?;
        let earlier = self.earlier_digest(month)?;
        let prior = serde_json::to_vec(&*self.prior_period(month)?).unwrap_or_default();
        let watch = serde_json::to_vec(&self.clawback_watch(month)?).unwrap_or_default();
        Ok(hash_parts(&[
            crate::BUILD.as_bytes(),
            b"open",
            src.config.sha256.as_bytes(),
            src.standard.sha256.as_bytes(),
            month.to_string().as_bytes(),
            &hashes_bytes(&files),
            earlier.as_bytes(),
            &prior,
            &watch,
        ]))
    }

    /// The key of a closed month's figures: the build and its close record (which holds the
    /// hash of every archived file).
    fn closed_key(&self, month: YearMonth) -> Result<String, LedgerError> {
        let path = self.month_dir(month).join(source::CLOSE_FILE);
        let (sha, _) = crate::digest::sha256_file(&path).map_err(|e| FileError {
            file: path.display().to_string(),
            sheet: None,
            message: format!("cannot read: {e}"),
        })?;
        Ok(hash_parts(&[crate::BUILD.as_bytes(), b"closed", month.to_string().as_bytes(), sha.as_bytes()]))
    }

    /// The figures of a month (`None` when it has no inputs), computed once per process and
    /// cached on disk.
    ///
    /// # Errors
    /// A file-level or configuration error of the month.
    pub fn entry(&mut self, month: YearMonth) -> Result<Option<Rc<MonthSummary>>, LedgerError> {
        if let Some(e) = self.entries.get(&month) {
            return Ok(Some(e.clone()));
        }
        if !self.has_inputs(month) {
            return Ok(None);
        }
        let closed = self.source(month)?.closed.is_some();
        let key = if closed { self.closed_key(month)? } else { self.open_key(month)? };
        let name = format!("{month}.entry.json");
        let (summary, figures) = match self.read_cache::<CachedEntry>(&name) {
            Some(c) if c.key == key && c.summary.month == month => (c.summary, c.figures),
            _ => {
                let src = self.source(month)?;
                let context = self.context(month, false)?;
                let produced = self.producer.produce(&src, &context)?;
                self.computed.push(month);
                let summary = summarize(&produced.computed, &src.config.organization.code);
                let entry = CachedEntry { key, summary, figures: produced.figures };
                self.write_cache(&name, &entry);
                (entry.summary, entry.figures)
            }
        };
        let e = Rc::new(summary);
        self.entries.insert(month, e.clone());
        self.figures.entry(month).or_insert_with(|| Rc::new(figures));
        Ok(Some(e))
    }

    /// What the completeness checks compare of a month (`None` when it has no inputs): a closed
    /// month's from its archive (written at close), any other from its ledger entry — never by
    /// reading the month's input files again when the entry is cached.
    ///
    /// # Errors
    /// An archived figures file that cannot be read; what computing the month refuses.
    pub fn figures(&mut self, month: YearMonth) -> Result<Option<Rc<MonthFigures>>, LedgerError> {
        if let Some(f) = self.figures.get(&month) {
            return Ok(Some(f.clone()));
        }
        if !self.has_inputs(month) {
            return Ok(None);
        }
        if self.source(month)?.closed.is_some() {
            let path = self.month_dir(month).join(source::ARCHIVE).join(FIGURES_FILE);
            if let Ok(bytes) = std::fs::read(&path) {
                let f: MonthFigures = serde_json::from_slice(&bytes).map_err(|e| FileError {
                    file: path.display().to_string(),
                    sheet: None,
                    message: format!("the archived figures cannot be read: {e}"),
                })?;
                let f = Rc::new(f);
                self.figures.insert(month, f.clone());
                return Ok(Some(f));
            }
        }
        self.entry(month)?;
        Ok(self.figures.get(&month).cloned())
    }

    /// The months a month's completeness checks compare it with (SPEC §4.11): the latest
    /// `history_months` earlier months with inputs (oldest first), and every earlier month with
    /// inputs within the 12 calendar months before it (`same_data`), each with its figures.
    ///
    /// # Errors
    /// What an earlier month refuses.
    #[allow(clippy::type_complexity)]
    pub fn check_history(
        &mut self,
        month: YearMonth,
        history_months: usize,
    ) -> Result<(Vec<(YearMonth, Rc<MonthFigures>)>, Vec<(YearMonth, Rc<MonthFigures>)>), LedgerError> {
        let earlier: Vec<YearMonth> = self.months().iter().copied().filter(|m| *m < month).collect();
        let mut first = month;
        for _ in 0..crate::analysis::checks::SAME_DATA_MONTHS {
            first = first.prev();
        }
        let history_from = earlier.len().saturating_sub(history_months);
        let (mut history, mut window) = (Vec::new(), Vec::new());
        for (i, m) in earlier.iter().copied().enumerate() {
            let (in_history, in_window) = (i >= history_from, m >= first);
            if !in_history && !in_window {
                continue;
            }
            let Some(f) = self.figures(m)? else { continue };
            if in_history {
                history.push((m, f.clone()));
            }
            if in_window {
                window.push((m, f));
            }
        }
        Ok((history, window))
    }

    /// Record a month the run has just computed (its figures, its summary and clients), in
    /// memory and in the cache, so that later months need not compute it again.
    ///
    /// # Errors
    /// What computing the month's key refuses.
    pub fn record(&mut self, produced: &Produced, summary: &MonthSummary) -> Result<(), LedgerError> {
        let month = produced.computed.month;
        let summary = summary.clone();
        let closed = self.source(month)?.closed.is_some();
        let key = if closed { self.closed_key(month)? } else { self.open_key(month)? };
        let entry = CachedEntry { key, summary, figures: produced.figures.clone() };
        self.write_cache(&format!("{month}.entry.json"), &entry);
        self.entries.insert(month, Rc::new(entry.summary));
        self.figures.insert(month, Rc::new(entry.figures));
        if !self.client_sets.contains_key(&month) {
            let key = self.clients_key(month)?;
            let clients = produced.clients.clone();
            self.write_cache(
                &format!("{month}.clients.json"),
                &CachedClients { key: key.clone(), clients: clients.clone() },
            );
            self.client_sets.insert(month, Rc::new(ClientSet { key, clients }));
        }
        Ok(())
    }
}

/// The accounts watched for clawback, from the summaries of the window's months with inputs
/// (ascending): every account that earned a bonus (> 0) in one of them and was not judged lost
/// in a later one; sorted by month paid, client and type.
pub fn watch_from<S: std::ops::Deref<Target = MonthSummary>>(entries: &[S]) -> Vec<BonusAccount> {
    let mut watch = Vec::new();
    for (i, paid) in entries.iter().enumerate() {
        let lost_since: std::collections::BTreeSet<(&str, &str)> = entries[i + 1..]
            .iter()
            .flat_map(|later| later.lost.iter())
            .filter(|l| l.paid == paid.month)
            .map(|l| (l.client_id.as_str(), l.account_type.as_str()))
            .collect();
        for a in paid.accounts.iter().filter(|a| a.valid && a.bonus > Decimal::ZERO) {
            if !lost_since.contains(&(a.client_id.as_str(), a.account_type.as_str())) {
                watch.push(BonusAccount {
                    month: paid.month,
                    client_id: a.client_id.clone(),
                    account_type: a.account_type.clone(),
                    manager_id: a.manager_id.clone(),
                    bonus: a.bonus,
                });
            }
        }
    }
    watch.sort();
    watch.dedup();
    watch
}

/// Temporary files named `prefix…` in `dir` that a killed run left (an hour old: no live run is
/// still writing them).
pub fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in entries.filter_map(Result::ok) {
        let old = e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < hour_ago);
        if e.file_name().to_string_lossy().starts_with(prefix) && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(clients: &[&str]) -> Rc<ClientSet> {
        let mut clients: Vec<String> = clients.iter().map(|c| c.to_string()).collect();
        clients.sort();
        clients.dedup();
        Rc::new(ClientSet { key: String::new(), clients })
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    #[test]
    fn a_client_keeps_its_first_month_across_passes() {
        let first = first_months(Vec::new(), &[(ym(2026, 1), set(&["B", "D"])), (ym(2026, 2), set(&["A", "B"]))]);
        assert_eq!(first, vec![("A".into(), ym(2026, 2)), ("B".into(), ym(2026, 1)), ("D".into(), ym(2026, 1))]);
        let later = first_months(first, &[(ym(2026, 3), set(&["A", "C", "E"]))]);
        let months: Vec<(&str, u32)> = later.iter().map(|(c, m)| (c.as_str(), m.month)).collect();
        assert_eq!(months, [("A", 2), ("B", 1), ("C", 3), ("D", 1), ("E", 3)]);
    }

    proptest! {
        /// The merge gives what one ordered map, filled month by month, gives; in one pass or
        /// in several.
        #[test]
        fn the_merge_is_a_first_month_map(
            months in proptest::collection::vec(proptest::collection::vec(0u8..40, 0..30), 1..8),
            split in 0usize..8,
        ) {
            let sets: Vec<(YearMonth, Rc<ClientSet>)> = months
                .iter()
                .enumerate()
                .map(|(i, cs)| {
                    let names: Vec<String> = cs.iter().map(|c| format!("C{c:02}")).collect();
                    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                    (ym(2020, i as u32 + 1), set(&refs))
                })
                .collect();
            let mut want: BTreeMap<String, YearMonth> = BTreeMap::new();
            for (m, s) in &sets {
                for c in &s.clients {
                    want.entry(c.clone()).or_insert(*m);
                }
            }
            let want: Vec<(String, YearMonth)> = want.into_iter().collect();
            prop_assert_eq!(&first_months(Vec::new(), &sets), &want);
            let cut = split.min(sets.len());
            let two = first_months(first_months(Vec::new(), &sets[..cut]), &sets[cut..]);
            prop_assert_eq!(&two, &want);
        }
    }
}
