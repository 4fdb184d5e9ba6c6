//! The sign-off chain of a month (SPEC §4.12, article 15): statements over the month's manifest,
//! signed in turn with OpenSSH keys.
//!
//! Takes the configuration's `[[signers]]` and `report.signoff`, a month's `manifest.json` and its
//! `approvals.jsonl`; gives the month's [`Chain`] (every line that checks out, and every line that
//! does not, with what is wrong), the next [`Statement`] a signer may sign, a signature made with
//! an OpenSSH ed25519 private key, and the record appended under the month's lock. A statement is
//! one line of JSON with the SPEC's keys in the SPEC's order (brokercomp writes it compact; one
//! signed elsewhere may be spelled in any JSON way, and its exact text is what counts); the
//! signed message is that line and one line feed, signed in the `sshsig` format (namespace
//! `brokercomp`) exactly as `ssh-keygen -Y sign -n brokercomp` signs a file holding it, so either
//! side verifies the other. `previous` is the SHA-256 of the previous statement over the same
//! manifest (its exact text as stored, without the line feed), or null for the first: one chain
//! per manifest, and a rerun that changes the manifest starts a new one (the old statements stay
//! in the file as history).
//!
//! Refuses, with the reason and writing nothing: a statement or signature that does not parse,
//! is for another organization, month or manifest, is signed with a key not registered (or
//! registered to another person or role), does not verify, repeats a role, skips one, follows a
//! reject or does not follow the chain's last statement; a reject without a reason; a key that is
//! not ed25519, an encrypted key without its passphrase. Where the SPEC is silent it warns and
//! goes on: a private key file that others may read, a configuration changed since the month was
//! run (close then asks for the month to be run again).
//! Parsing and checking work on bytes; the files are opened in [`load`], [`record`],
//! [`read_private_key`], [`read_submission`], [`closed_chain`] and [`verify_month`] alone. Key material is never
//! written, logged or copied: the key file is wiped from memory once parsed.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use zeroize::Zeroizing;

use super::source::{CloseRecord, CLOSE_FILE};
use crate::calendar::YearMonth;
use crate::config::signers::fingerprint;
use crate::config::{Config, Signer};
use crate::digest::sha256_bytes;
use crate::report::publish::lock_month;

/// The chain's file in a month's folder: one `{"statement", "signature"}` per line, appended.
pub const APPROVALS_FILE: &str = "approvals.jsonl";
/// The `sshsig` namespace of every signature (`ssh-keygen -Y sign -n brokercomp`).
pub const NAMESPACE: &str = "brokercomp";
/// The only place a private key's passphrase comes from.
pub const PASSPHRASE_VAR: &str = "BROKERCOMP_KEY_PASSPHRASE";

/// Why an approval, a status or a close could not go on (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalError {
    /// The month has no outputs to sign.
    NoOutputs { month: YearMonth, dir: PathBuf },
    /// No `[[signers]]`: there is no chain.
    NoSigners,
    /// Refused, and why.
    Refused(String),
    /// Lines of `approvals.jsonl` that do not check out: the chain cannot be trusted.
    Untrusted { file: PathBuf, problems: Vec<Problem> },
    /// A file that cannot be read or written.
    File { path: PathBuf, message: String },
}

impl fmt::Display for ApprovalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApprovalError::NoOutputs { month, dir } => {
                write!(
                    f,
                    "{month} has no outputs to sign ({} has no manifest.json): run the month first",
                    dir.display()
                )
            }
            ApprovalError::NoSigners => {
                write!(f, "no [[signers]] are configured: there is no sign-off chain to record (SPEC §4.12)")
            }
            ApprovalError::Refused(why) => write!(f, "{why}"),
            ApprovalError::Untrusted { file, problems } => {
                write!(f, "{} cannot be trusted; restore it from a backup:", file.display())?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            ApprovalError::File { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for ApprovalError {}

fn file_err(path: &Path, e: impl fmt::Display) -> ApprovalError {
    ApprovalError::File { path: path.to_path_buf(), message: e.to_string() }
}

/// A signer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn word(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }

    /// `approved`, `rejected`.
    pub fn past(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Reject => "rejected",
        }
    }
}

/// What a signer signs: one line of JSON, the keys in exactly this order (SPEC §4.12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// `organization.code`.
    pub organization: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Hex SHA-256 of the month's manifest.json: the files the statement approves.
    pub manifest_sha256: String,
    pub role: String,
    pub name: String,
    pub decision: Decision,
    /// Why, for a reject; null for an approval.
    pub reason: Option<String>,
    /// Hex SHA-256 of the previous statement over the same manifest, or null for the first.
    pub previous: Option<String>,
    /// UTC, RFC 3339 to the second: `2026-11-03T08:30:00Z`.
    pub at: String,
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `YYYY-MM-DDTHH:MM:SSZ` with plausible fields.
fn is_utc_second(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok()).unwrap_or(99);
    b.len() == 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'Z'
        && (1..=12).contains(&num(5..7))
        && (1..=31).contains(&num(8..10))
        && num(11..13) < 24
        && num(14..16) < 60
        && num(17..19) < 61
}

impl Statement {
    /// The statement as brokercomp writes it: one line of compact JSON, no line feed. (A
    /// statement signed elsewhere may be spelled otherwise: its own text is what counts.)
    pub fn text(&self) -> String {
        serde_json::to_string(self).expect("a statement always serializes")
    }

    /// The signed message of [`Statement::text`]: it and one line feed (what `--print-statement`
    /// writes).
    pub fn message(&self) -> Vec<u8> {
        message_of(&self.text())
    }

    /// A statement from its text: one line holding one JSON object whose keys are exactly the
    /// SPEC's, in the SPEC's order, spelled in any JSON way (spacing, `\uXXXX` escapes: what
    /// `json.dumps` writes as well as what brokercomp writes). The text itself is what is signed
    /// and chained: see [`message_of`] and [`hash_of`].
    ///
    /// # Errors
    /// More than one line, not JSON, other keys, keys in another order, a field that is not of
    /// its form.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.contains(['\n', '\r']) {
            return Err("the statement is not one line".into());
        }
        let KeyOrder(keys) =
            serde_json::from_str(text).map_err(|e| format!("the statement is not one JSON object: {e}"))?;
        if keys != STATEMENT_KEYS {
            return Err(format!(
                "the statement's keys are {}; a statement has exactly {}, in this order",
                keys.join(", "),
                STATEMENT_KEYS.join(", ")
            ));
        }
        let s: Statement = serde_json::from_str(text).map_err(|e| format!("the statement is not one: {e}"))?;
        if YearMonth::parse(&s.month).is_none() {
            return Err(format!("the statement's month {:?} is not YYYY-MM", s.month));
        }
        if !is_hex64(&s.manifest_sha256) {
            return Err(format!("the statement's manifest_sha256 {:?} is not a SHA-256", s.manifest_sha256));
        }
        if let Some(p) = s.previous.as_deref().filter(|p| !is_hex64(p)) {
            return Err(format!("the statement's previous {p:?} is not a SHA-256"));
        }
        if !is_utc_second(&s.at) {
            return Err(format!("the statement's time {:?} is not UTC to the second (2026-11-03T08:30:00Z)", s.at));
        }
        Ok(s)
    }

    /// A reject gives its reason (an approval may give one too: the SPEC does not forbid it).
    ///
    /// # Errors
    /// A reject without a reason.
    pub fn reasoned(&self) -> Result<(), String> {
        match (self.decision, self.reason.as_deref()) {
            (Decision::Reject, None) => Err("a reject needs a reason".into()),
            (Decision::Reject, Some(r)) if r.trim().is_empty() => Err("a reject needs a reason".into()),
            _ => Ok(()),
        }
    }
}

/// The keys of a statement, in the SPEC's order.
const STATEMENT_KEYS: [&str; 9] =
    ["organization", "month", "manifest_sha256", "role", "name", "decision", "reason", "previous", "at"];

/// The keys of a JSON object in the order they are written (their values skipped).
struct KeyOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeyOrder {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = KeyOrder;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(KeyOrder(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// The signed message of a statement's text: the text and one line feed.
pub fn message_of(text: &str) -> Vec<u8> {
    let mut m = text.as_bytes().to_vec();
    m.push(b'\n');
    m
}

/// Hex SHA-256 of a statement's text as stored (what the next statement's `previous` holds).
pub fn hash_of(text: &str) -> String {
    sha256_bytes(text.as_bytes())
}

/// A line of `approvals.jsonl`, and an entry of close.json's `approvals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The exact statement text that was signed (without its line feed).
    pub statement: String,
    /// The armored SSH signature (`-----BEGIN SSH SIGNATURE-----`, LF line ends).
    pub signature: String,
}

/// A statement that checks out, with where it stands.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Its line in `approvals.jsonl` (1-based), or its place in close.json's chain.
    pub line: usize,
    pub record: Approval,
    pub statement: Statement,
    /// The signature's key fingerprint, `SHA256:…`.
    pub fingerprint: String,
}

/// A line that does not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.what)
    }
}

/// What a chain is checked against: the organization, the month, the roles in turn, the signers
/// and the manifest the month has now.
#[derive(Debug, Clone)]
pub struct Rules {
    pub organization: String,
    pub month: YearMonth,
    /// `report.signoff` after its first entry (the preparer).
    pub roles: Vec<String>,
    pub signers: Vec<Signer>,
    /// Hex SHA-256 of the month's manifest.json now.
    pub manifest: String,
    /// Statements over the current manifest may be signed with any key, each checked only
    /// against the key its own signature carries: head office reading the chain of a branch
    /// whose signers it does not register (SPEC §4.13), to name who signed, unverified. Never
    /// for a branch's own chain.
    pub any_key: bool,
}

impl Rules {
    pub fn new(cfg: &Config, month: YearMonth, manifest: &str) -> Self {
        Rules {
            organization: cfg.organization.code.clone(),
            month,
            roles: chain_roles(cfg).to_vec(),
            signers: cfg.signers.clone(),
            manifest: manifest.to_string(),
            any_key: false,
        }
    }
}

/// The roles that sign, in turn: `report.signoff` after its first entry.
pub fn chain_roles(cfg: &Config) -> &[String] {
    cfg.report.signoff.get(1..).unwrap_or_default()
}

/// The first 12 hex digits of a hash, for messages.
pub fn short(hash: &str) -> String {
    format!("{}…", hash.get(..12).unwrap_or(hash))
}

/// Where the statements over one manifest stand.
#[derive(Debug, Default, Clone)]
struct Group {
    /// Indices into the chain's entries, in order.
    entries: Vec<usize>,
    rejected: bool,
}

/// The statements of a month in file order: those that check out and those that do not.
#[derive(Debug, Clone)]
pub struct Chain {
    pub rules: Rules,
    pub entries: Vec<Signed>,
    pub problems: Vec<Problem>,
    groups: BTreeMap<String, Group>,
}

/// Where the chain of the current manifest stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainState {
    /// Every role approved.
    Complete,
    /// A role rejected it (the entry's index): the month must be run again, corrected.
    Rejected(usize),
    /// These roles have not signed yet, in turn.
    Pending(Vec<String>),
}

/// What a role of the chain has done.
#[derive(Debug, Clone)]
pub enum RoleState<'a> {
    /// Signed the current manifest.
    Signed(&'a Signed),
    /// Signed only earlier manifests (the latest such statement): no longer counts.
    Stale(&'a Signed),
    Pending,
}

impl Chain {
    pub fn new(rules: Rules) -> Self {
        Chain { rules, entries: Vec::new(), problems: Vec::new(), groups: BTreeMap::new() }
    }

    /// The chain of `approvals.jsonl`'s bytes: each line checked in order against the rules and
    /// the lines before it. A line over an earlier manifest is history: it must parse, verify
    /// with its own key and keep its chain's order, but its signer need not be registered now
    /// (a change of signers changes the configuration, and so the manifest).
    pub fn read(rules: Rules, bytes: &[u8]) -> Self {
        let mut chain = Chain::new(rules);
        if bytes.is_empty() {
            return chain;
        }
        let body = bytes.strip_suffix(b"\n");
        let lines: Vec<&[u8]> = body.unwrap_or(bytes).split(|b| *b == b'\n').collect();
        let last = lines.len();
        for (i, raw) in lines.into_iter().enumerate() {
            let line = i + 1;
            let result = std::str::from_utf8(raw)
                .map_err(|_| "is not UTF-8 text".to_string())
                .and_then(|t| {
                    if t.trim().is_empty() {
                        return Err("is empty".to_string());
                    }
                    serde_json::from_str::<Approval>(t)
                        .map_err(|e| format!("is not a record {{\"statement\", \"signature\"}}: {e}"))
                })
                .and_then(|record| {
                    if line == last && body.is_none() {
                        return Err("has no line end: the file was edited by hand".into());
                    }
                    chain.admit(line, record, false)
                });
            if let Err(what) = result {
                chain.problems.push(Problem { line, what });
            }
        }
        chain
    }

    /// Check a record as the next statement of its manifest's chain and take it in. `submitted`:
    /// a new statement, which must be over the current manifest.
    ///
    /// # Errors
    /// Why it does not check out.
    pub fn admit(&mut self, line: usize, record: Approval, submitted: bool) -> Result<(), String> {
        let r = &self.rules;
        let statement = Statement::parse(&record.statement)?;
        let sig = SshSig::from_pem(record.signature.trim_end())
            .map_err(|e| format!("the signature is not an armored SSH signature: {e}"))?;
        let key = PublicKey::new(sig.public_key().clone(), "");
        let fp = fingerprint(&key);
        let current = statement.manifest_sha256 == r.manifest;
        let signer = r.signers.iter().find(|s| s.key.key_data() == key.key_data());
        if signer.is_none() && (current || submitted) && !r.any_key {
            return Err(format!("not a registered signer: {fp}"));
        }
        if sig.namespace() != NAMESPACE {
            return Err(format!("the signature is for namespace {:?}, not {NAMESPACE:?}", sig.namespace()));
        }
        if key.verify(NAMESPACE, &message_of(&record.statement), &sig).is_err() {
            let who = signer.map(|s| s.name.as_str()).unwrap_or(&statement.name);
            return Err(format!(
                "the signature does not verify for {who}: the statement was altered after signing, or other bytes were signed"
            ));
        }
        if statement.organization != r.organization {
            return Err(format!(
                "the statement is for organization {} but this is {}",
                statement.organization, r.organization
            ));
        }
        if statement.month != r.month.to_string() {
            return Err(format!("the statement is for {} but this is {}", statement.month, r.month));
        }
        statement.reasoned()?;
        if submitted && !current {
            return Err(format!(
                "the statement is for manifest {} but {}'s manifest is {}",
                short(&statement.manifest_sha256),
                r.month,
                short(&r.manifest)
            ));
        }
        if let Some(s) = signer.filter(|_| current || submitted) {
            if s.name != statement.name {
                return Err(format!(
                    "the statement names {} but is signed with the key of {} ({fp})",
                    statement.name, s.name
                ));
            }
            if !r.signers.iter().any(|x| x.name == statement.name && x.role == statement.role) {
                return Err(format!("{} signs as {}, not as {}", s.name, s.role, statement.role));
            }
        }
        let group = self.groups.get(&statement.manifest_sha256).cloned().unwrap_or_default();
        self.order(&group, &statement.role)?;
        let want_previous = group.entries.last().map(|i| hash_of(&self.entries[*i].record.statement));
        if statement.previous != want_previous {
            let after = match group.entries.last() {
                Some(i) => {
                    let e = &self.entries[*i];
                    format!(
                        "the chain of this manifest ends with line {} ({} {})",
                        e.line, e.statement.role, e.statement.name
                    )
                }
                None => "it is the first statement over this manifest".into(),
            };
            return Err(format!(
                "its previous is {} but {after}, whose hash is {}{}",
                statement.previous.as_deref().map(short).unwrap_or_else(|| "null".into()),
                want_previous.as_deref().map(short).unwrap_or_else(|| "null".into()),
                if submitted { ": print a new statement and sign it" } else { "" }
            ));
        }
        let index = self.entries.len();
        let g = self.groups.entry(statement.manifest_sha256.clone()).or_default();
        g.entries.push(index);
        g.rejected |= statement.decision == Decision::Reject;
        self.entries.push(Signed { line, record, statement, fingerprint: fp });
        Ok(())
    }

    /// Whether `role` may sign next in a group: not after a reject, once, in turn.
    fn order(&self, group: &Group, role: &str) -> Result<(), String> {
        let roles = &self.rules.roles;
        let signed: Vec<&Signed> = group.entries.iter().map(|i| &self.entries[*i]).collect();
        if group.rejected {
            let last = signed.last().expect("a reject is an entry");
            return Err(format!(
                "the chain of manifest {} was rejected by {} ({}) at {}: run the month again, corrected; a new chain starts",
                short(&last.statement.manifest_sha256),
                last.statement.name,
                last.statement.role,
                last.statement.at
            ));
        }
        if !roles.iter().any(|r| r == role) {
            return Err(format!("{role} is not a role of the chain ({})", roles.join(" → ")));
        }
        if let Some(first) = signed.iter().find(|s| s.statement.role == role) {
            return Err(format!(
                "{role} has already signed this manifest ({} at {}, line {}); a role signs once",
                first.statement.name, first.statement.at, first.line
            ));
        }
        match roles.get(signed.len()) {
            Some(next) if next != role => Err(format!("{next} must sign before {role}")),
            _ => Ok(()),
        }
    }

    /// The statements over the current manifest, in order.
    pub fn current(&self) -> Vec<&Signed> {
        self.groups
            .get(&self.rules.manifest)
            .map(|g| g.entries.iter().map(|i| &self.entries[*i]).collect())
            .unwrap_or_default()
    }

    /// Where the chain of the current manifest stands.
    pub fn state(&self) -> ChainState {
        let current = self.current();
        if let Some(i) = current.iter().position(|s| s.statement.decision == Decision::Reject) {
            return ChainState::Rejected(self.entries.iter().position(|e| e.line == current[i].line).unwrap_or(0));
        }
        let signed: Vec<&str> = current.iter().map(|s| s.statement.role.as_str()).collect();
        let pending: Vec<String> = self.rules.roles.iter().filter(|r| !signed.contains(&r.as_str())).cloned().collect();
        if pending.is_empty() {
            ChainState::Complete
        } else {
            ChainState::Pending(pending)
        }
    }

    /// Each role of the chain with what it has done.
    pub fn roles(&self) -> Vec<(String, RoleState<'_>)> {
        let current = self.current();
        self.rules
            .roles
            .iter()
            .map(|role| {
                let state = match current.iter().find(|s| &s.statement.role == role) {
                    Some(s) => RoleState::Signed(s),
                    None => match self.entries.iter().rev().find(|s| &s.statement.role == role) {
                        Some(s) => RoleState::Stale(s),
                        None => RoleState::Pending,
                    },
                };
                (role.clone(), state)
            })
            .collect()
    }

    /// The next statement `signer` may sign over the current manifest.
    ///
    /// # Errors
    /// Out of turn, a second time, after a reject; a reject without a reason.
    pub fn next_statement(
        &self,
        signer: &Signer,
        decision: Decision,
        reason: Option<&str>,
        at: String,
    ) -> Result<Statement, String> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        match (decision, &reason) {
            (Decision::Reject, None) => return Err("a reject needs a reason: --reason TEXT".into()),
            (Decision::Approve, Some(_)) => {
                return Err("--reason goes with --reject: an approval carries no reason".into())
            }
            _ => {}
        }
        let group = self.groups.get(&self.rules.manifest).cloned().unwrap_or_default();
        self.order(&group, &signer.role)?;
        Ok(Statement {
            organization: self.rules.organization.clone(),
            month: self.rules.month.to_string(),
            manifest_sha256: self.rules.manifest.clone(),
            role: signer.role.clone(),
            name: signer.name.clone(),
            decision,
            reason,
            previous: group.entries.last().map(|i| hash_of(&self.entries[*i].record.statement)),
            at,
        })
    }

    /// The chain as a whole is to be trusted: no line fails.
    ///
    /// # Errors
    /// [`ApprovalError::Untrusted`] naming every line that fails.
    pub fn trusted(&self, file: &Path) -> Result<(), ApprovalError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ApprovalError::Untrusted { file: file.to_path_buf(), problems: self.problems.clone() })
        }
    }
}

/// A month's manifest and chain, as read from its folder.
#[derive(Debug, Clone)]
pub struct MonthApprovals {
    pub dir: PathBuf,
    /// The manifest as JSON (exceptions, checks, the configuration's hash …).
    pub manifest: serde_json::Value,
    pub chain: Chain,
    /// The configuration's SHA-256 differs from the one the month was run with.
    pub config_changed: bool,
    /// close.json as JSON, when the month is closed (who, when, accepted warnings …).
    pub close: Option<serde_json::Value>,
}

impl MonthApprovals {
    pub fn file(&self) -> PathBuf {
        self.dir.join(APPROVALS_FILE)
    }
}

/// Read a month's manifest and chain from its folder `dir`, checked against `cfg` (the month's
/// configuration: the archived one of a closed month).
///
/// # Errors
/// No manifest (the month was not run); a file that cannot be read.
pub fn load(cfg: &Config, month: YearMonth, dir: &Path) -> Result<MonthApprovals, ApprovalError> {
    let manifest_path = dir.join("manifest.json");
    let bytes = match std::fs::read(&manifest_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ApprovalError::NoOutputs { month, dir: dir.to_path_buf() })
        }
        Err(e) => return Err(file_err(&manifest_path, e)),
    };
    let manifest: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| file_err(&manifest_path, format!("the manifest cannot be read: {e}")))?;
    let sha = sha256_bytes(&bytes);
    let path = dir.join(APPROVALS_FILE);
    let text = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(file_err(&path, e)),
    };
    let config_changed = manifest["configuration"]["sha256"].as_str().is_some_and(|s| s != cfg.sha256);
    let close = std::fs::read(dir.join(CLOSE_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok());
    Ok(MonthApprovals {
        dir: dir.to_path_buf(),
        manifest,
        chain: Chain::read(Rules::new(cfg, month, &sha), &text),
        config_changed,
        close,
    })
}

/// What to say when the configuration has changed since the month was run. Signing goes on (the
/// SPEC does not forbid it, and a statement approves the exact manifest it names); `close`
/// regenerates the month and refuses outputs the configuration no longer gives.
fn config_warning(state: &MonthApprovals, month: YearMonth) -> Option<String> {
    state.config_changed.then(|| {
        format!(
            "the configuration has changed since {month} was run; close will ask for the month to be run again and signed anew"
        )
    })
}

/// The statement `signer` would sign next for the month in `dir` (`--print-statement`), and a
/// warning when the configuration has changed since the month was run.
///
/// # Errors
/// No signers, no outputs, an untrusted chain, out of turn.
pub fn print_statement(
    cfg: &Config,
    month: YearMonth,
    dir: &Path,
    signer: &Signer,
    decision: Decision,
    reason: Option<&str>,
) -> Result<(Statement, Option<String>), ApprovalError> {
    let state = load(cfg, month, dir)?;
    state.chain.trusted(&state.file())?;
    let statement = state
        .chain
        .next_statement(signer, decision, reason, crate::calendar::utc_now())
        .map_err(ApprovalError::Refused)?;
    Ok((statement, config_warning(&state, month)))
}

/// The signer a key belongs to.
///
/// # Errors
/// A key that is not registered.
pub fn signer_of_key<'c>(cfg: &'c Config, key: &PublicKey) -> Result<&'c Signer, ApprovalError> {
    cfg.signers
        .iter()
        .find(|s| s.key.key_data() == key.key_data())
        .ok_or_else(|| ApprovalError::Refused(format!("not a registered signer: {}", fingerprint(key))))
}

/// Sign a statement with a private key: the armored `sshsig` of the statement and one line feed.
///
/// # Errors
/// The key cannot sign.
pub fn sign(statement: &Statement, key: &PrivateKey) -> Result<Approval, ApprovalError> {
    let sig = key
        .sign(NAMESPACE, HashAlg::Sha512, &statement.message())
        .map_err(|e| ApprovalError::Refused(format!("the key cannot sign: {e}")))?;
    let pem = sig
        .to_pem(LineEnding::LF)
        .map_err(|e| ApprovalError::Refused(format!("the signature cannot be written: {e}")))?;
    Ok(Approval { statement: statement.text(), signature: pem })
}

/// Record an approval under the month's lock: read the month as it is now, let `make` give the
/// record (signing a statement built from that state, or one submitted), check it as the next
/// statement of the current manifest, and append it. Two approvals at once never write two
/// lines for one role: the second sees the first. Gives the record as admitted, and a warning
/// when the configuration has changed since the month was run.
///
/// # Errors
/// No outputs, an untrusted chain, whatever `make` refuses, a record that does not check out; a
/// failed write (nothing is recorded then).
pub fn record(
    cfg: &Config,
    month: YearMonth,
    dir: &Path,
    on_wait: &dyn Fn(),
    make: &dyn Fn(&Chain) -> Result<Approval, ApprovalError>,
) -> Result<(Signed, Option<String>), ApprovalError> {
    if !dir.join("manifest.json").exists() {
        return Err(ApprovalError::NoOutputs { month, dir: dir.to_path_buf() });
    }
    let _lock = lock_month(dir, on_wait).map_err(|e| file_err(dir, e))?;
    let state = load(cfg, month, dir)?;
    state.chain.trusted(&state.file())?;
    let approval = make(&state.chain)?;
    let mut chain = state.chain.clone();
    let line = chain.entries.len() + 1;
    chain.admit(line, approval.clone(), true).map_err(ApprovalError::Refused)?;
    let path = state.file();
    let mut text = serde_json::to_string(&approval).map_err(|e| file_err(&path, e))?;
    text.push('\n');
    let mut f = crate::output::OutputFile::append(&path).map_err(|e| file_err(&path, e))?;
    f.write_all(text.as_bytes()).and_then(|()| f.finish()).map_err(|e| file_err(&path, e))?;
    Ok((chain.entries.pop().expect("just admitted"), config_warning(&state, month)))
}

/// Read an OpenSSH ed25519 private key file for signing; `passphrase` opens an encrypted one.
/// The file's bytes are wiped from memory once parsed. Gives the key, and a warning when group or
/// others may access the file (Unix): OpenSSH refuses such a file, but the SPEC asks only for a
/// key file, so brokercomp signs with it and says so.
///
/// # Errors
/// A file that cannot be read, is not an OpenSSH private key or not ed25519; an encrypted key
/// without its passphrase, or with another.
pub fn read_private_key(path: &Path, passphrase: Option<&str>) -> Result<(PrivateKey, Option<String>), ApprovalError> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| file_err(path, format!("cannot read the key: {e}")))?;
    #[cfg(unix)]
    let warning = {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then(|| {
            format!(
                "{shown} is open to group or others (mode {mode:04o}): a private key should be its owner's alone (chmod 600 {shown}); signing with it all the same"
            )
        })
    };
    #[cfg(not(unix))]
    let warning = None;
    if !meta.is_file() {
        return Err(ApprovalError::Refused(format!("{shown} is not a key file")));
    }
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| file_err(path, format!("cannot read the key: {e}")))?);
    let key = PrivateKey::from_openssh(&*bytes)
        .map_err(|e| ApprovalError::Refused(format!("{shown} is not an OpenSSH private key ({e})")))?;
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(ApprovalError::Refused(format!(
            "{shown} holds a {} key; approve --key signs with ssh-ed25519 keys (others: --print-statement and ssh-keygen -Y sign)",
            key.algorithm()
        )));
    }
    if !key.is_encrypted() {
        return Ok((key, warning));
    }
    let Some(pass) = passphrase else {
        return Err(ApprovalError::Refused(format!("{shown} is encrypted: give its passphrase in {PASSPHRASE_VAR}")));
    };
    let key = key
        .decrypt(pass.as_bytes())
        .map_err(|_| ApprovalError::Refused(format!("the passphrase in {PASSPHRASE_VAR} does not open {shown}")))?;
    Ok((key, warning))
}

/// A statement file (`--print-statement`'s output: one line and its line feed) and a signature
/// file (`ssh-keygen -Y sign`'s `.sig`) as a record, the signature in its armored LF form.
///
/// # Errors
/// A file that cannot be read, a statement file that is not one line ending in one line feed,
/// a signature that is not an armored SSH signature.
pub fn read_submission(statement: &Path, signature: &Path) -> Result<Approval, ApprovalError> {
    let bytes = std::fs::read(statement).map_err(|e| file_err(statement, e))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| file_err(statement, "is not UTF-8 text"))?;
    let line = text.strip_suffix('\n').filter(|l| !l.contains(['\n', '\r'])).ok_or_else(|| {
        file_err(
            statement,
            "is not one line ending in one line feed (the signed message is the statement and one line feed)",
        )
    })?;
    let sig_text = std::fs::read_to_string(signature).map_err(|e| file_err(signature, e))?;
    let sig = SshSig::from_pem(sig_text.trim_end())
        .map_err(|e| file_err(signature, format!("is not an armored SSH signature: {e}")))?;
    let pem = sig.to_pem(LineEnding::LF).map_err(|e| file_err(signature, e))?;
    Ok(Approval { statement: line.to_string(), signature: pem })
}

/// A submitted statement against the `--reject` and `--reason` given with it: the decision and
/// the reason are the statement's own, and flags that are given must say the same. A statement
/// that does not parse passes here; [`record`] refuses it with its reason.
///
/// # Errors
/// `--reject` with a statement that approves; a `--reason` that is not the statement's.
pub fn agrees(statement: &str, reject: bool, reason: Option<&str>) -> Result<(), ApprovalError> {
    let Ok(st) = Statement::parse(statement) else {
        return Ok(());
    };
    if reject && st.decision != Decision::Reject {
        return Err(ApprovalError::Refused(format!(
            "--reject was given but the statement {}s: the decision is the signed statement's own",
            st.decision.word()
        )));
    }
    let given = reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = given {
        if st.reason.as_deref().map(str::trim) != Some(r) {
            return Err(ApprovalError::Refused(format!(
                "--reason {r:?} is not the statement's reason ({}): the reason is the signed statement's own",
                st.reason.as_deref().map(|x| format!("{x:?}")).unwrap_or_else(|| "it gives none".into())
            )));
        }
    }
    Ok(())
}

/// The chain a close requires: with `[[signers]]`, every role's approval of the current manifest
/// (what close.json keeps); with none, nothing (a close as before signers existed).
///
/// # Errors
/// An untrusted chain; a chain incomplete or rejected, naming the roles missing.
pub fn complete_chain(cfg: &Config, month: YearMonth, dir: &Path) -> Result<Vec<Approval>, ApprovalError> {
    if cfg.signers.is_empty() {
        return Ok(Vec::new());
    }
    let state = load(cfg, month, dir)?;
    state.chain.trusted(&state.file())?;
    let manifest = short(&state.chain.rules.manifest);
    match state.chain.state() {
        ChainState::Complete => Ok(state.chain.current().into_iter().map(|s| s.record.clone()).collect()),
        ChainState::Rejected(i) => {
            let s = &state.chain.entries[i].statement;
            Err(ApprovalError::Refused(format!(
                "{month} cannot be closed: {} ({}) rejected manifest {manifest} at {}: {}; run the month again, corrected, and sign the new outputs",
                s.name,
                s.role,
                s.at,
                s.reason.as_deref().unwrap_or_default()
            )))
        }
        ChainState::Pending(missing) => Err(ApprovalError::Refused(format!(
            "{month} cannot be closed: the sign-off chain of manifest {manifest} is incomplete: missing {} (brokercomp status --month {month})",
            missing.join(", ")
        ))),
    }
}

/// close.json: the record, and the chain it was closed with under `approvals` (left out when
/// empty, so that a close without signers writes the record exactly as before).
///
/// # Errors
/// A record that cannot be serialized.
pub fn close_json(record: &CloseRecord, chain: &[Approval]) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    struct WithChain<'a> {
        #[serde(flatten)]
        record: &'a CloseRecord,
        #[serde(skip_serializing_if = "<[Approval]>::is_empty")]
        approvals: &'a [Approval],
    }
    serde_json::to_vec_pretty(&WithChain { record, approvals: chain })
}

/// The chain a closed month's close.json (or a reopened record, `file`) keeps; empty when none.
///
/// # Errors
/// A record that cannot be read, or whose `approvals` are not records.
pub fn closed_chain(dir: &Path, file: &str) -> Result<Vec<Approval>, ApprovalError> {
    let path = dir.join(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(file_err(&path, e)),
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| file_err(&path, e))?;
    match v.get("approvals") {
        None => Ok(Vec::new()),
        Some(a) => serde_json::from_value(a.clone()).map_err(|e| file_err(&path, format!("approvals: {e}"))),
    }
}

/// What `verify` finds wrong with a month's chain (each line named; empty when nothing): every
/// line of `approvals.jsonl`, and for a closed month the chain close.json keeps — complete, in
/// order, each statement signed by a key its configuration (`cfg`: the archived one) registers
/// for its role, over the manifest as closed, and each still in `approvals.jsonl`.
///
/// # Errors
/// A file that cannot be read.
pub fn verify_month(cfg: &Config, month: YearMonth, dir: &Path) -> Result<Vec<String>, ApprovalError> {
    let closed = closed_chain(dir, CLOSE_FILE)?;
    if cfg.signers.is_empty() && closed.is_empty() {
        return Ok(Vec::new());
    }
    // The manifest as closed (close.json records its hash), else as it is.
    let close_path = dir.join(CLOSE_FILE);
    let recorded: Option<String> = std::fs::read(&close_path)
        .ok()
        .and_then(|b| serde_json::from_slice::<CloseRecord>(&b).ok())
        .and_then(|r| r.outputs.into_iter().find(|f| f.file == "manifest.json").map(|f| f.sha256));
    let manifest = match recorded {
        Some(h) => h,
        None => {
            let p = dir.join("manifest.json");
            sha256_bytes(&std::fs::read(&p).map_err(|e| file_err(&p, e))?)
        }
    };
    let rules = Rules::new(cfg, month, &manifest);
    let path = dir.join(APPROVALS_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(file_err(&path, e)),
    };
    let file = Chain::read(rules.clone(), &bytes);
    let mut out: Vec<String> = file.problems.iter().map(|p| format!("{APPROVALS_FILE} {p}")).collect();
    if !close_path.exists() {
        return Ok(out);
    }
    // Every record of the file as written, whether or not it checks out there.
    let present: Vec<Approval> =
        bytes.split(|b| *b == b'\n').filter_map(|l| serde_json::from_slice::<Approval>(l).ok()).collect();
    let mut kept = Chain::new(rules);
    for (i, record) in closed.iter().enumerate() {
        if let Err(what) = kept.admit(i + 1, record.clone(), true) {
            out.push(format!("{CLOSE_FILE} approvals[{i}]: {what}"));
        }
        if !present.contains(record) {
            out.push(format!("{CLOSE_FILE} approvals[{i}]: not in {APPROVALS_FILE} as it was signed"));
        }
    }
    match kept.state() {
        ChainState::Complete => {}
        ChainState::Rejected(_) => out.push(format!("{CLOSE_FILE}: the chain it keeps was rejected")),
        ChainState::Pending(missing) if !cfg.signers.is_empty() => {
            out.push(format!("{CLOSE_FILE}: the chain it keeps is incomplete: missing {}", missing.join(", ")))
        }
        ChainState::Pending(_) => {}
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use ssh_key::private::Ed25519Keypair;

    const ROLES: [&str; 3] = ["主办会计", "副经理（经理助理）", "经理"];
    const NAMES: [&str; 3] = ["张会计", "李副经理", "王经理"];
    const MANIFEST: &str = "3f2a000000000000000000000000000000000000000000000000000000000001";
    const OTHER: &str = "9c41000000000000000000000000000000000000000000000000000000000002";

    /// A key from a fixed seed (no randomness, no files).
    fn key(i: u8) -> PrivateKey {
        PrivateKey::from(Ed25519Keypair::from_seed(&[i + 1; 32]))
    }

    /// A configuration whose signers are keys 0, 1 and 2 for the three roles.
    fn cfg() -> Config {
        let mut text = "[organization]\nname = \"测试营业部\"\ncode = \"TEST\"\n[paths]\ndata = \"d\"\nreports = \"r\"\nstandards = \"s\"\n".to_string();
        for i in 0..3 {
            let public = key(i as u8).public_key().to_openssh().unwrap();
            text.push_str(&format!(
                "[[signers]]\nname = \"{}\"\nrole = \"{}\"\nkey = \"{public}\"\n",
                NAMES[i], ROLES[i]
            ));
        }
        Config::parse(&text, Path::new("c.toml"), Path::new(".")).unwrap()
    }

    fn month() -> YearMonth {
        YearMonth::parse("2026-10").unwrap()
    }

    fn rules(manifest: &str) -> Rules {
        Rules::new(&cfg(), month(), manifest)
    }

    /// Signer i's next statement on `chain`, signed with key `k`.
    fn next(chain: &Chain, i: usize, k: u8, decision: Decision, reason: Option<&str>) -> Approval {
        let c = cfg();
        let st = chain.next_statement(&c.signers[i], decision, reason, "2026-11-03T08:30:00Z".into()).unwrap();
        sign(&st, &key(k)).unwrap()
    }

    /// A statement as given, signed with key `k`.
    fn signed(st: &Statement, k: u8) -> Approval {
        sign(st, &key(k)).unwrap()
    }

    fn statement(role: usize, previous: Option<String>) -> Statement {
        Statement {
            organization: "TEST".into(),
            month: "2026-10".into(),
            manifest_sha256: MANIFEST.into(),
            role: ROLES[role].into(),
            name: NAMES[role].into(),
            decision: Decision::Approve,
            reason: None,
            previous,
            at: "2026-11-03T08:30:00Z".into(),
        }
    }

    fn jsonl(records: &[&Approval]) -> Vec<u8> {
        records.iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect::<String>().into_bytes()
    }

    #[test]
    fn the_statement_is_one_line_with_the_spec_keys_in_the_spec_order() {
        let st = statement(0, None);
        assert_eq!(
            st.text(),
            format!(
                "{{\"organization\":\"TEST\",\"month\":\"2026-10\",\"manifest_sha256\":\"{MANIFEST}\",\"role\":\"主办会计\",\"name\":\"张会计\",\"decision\":\"approve\",\"reason\":null,\"previous\":null,\"at\":\"2026-11-03T08:30:00Z\"}}"
            )
        );
        assert_eq!(st.message(), format!("{}\n", st.text()).into_bytes());
        assert_eq!(Statement::parse(&st.text()).unwrap(), st);
    }

    /// `text` signed as it is, with key `k` (as `ssh-keygen -Y sign` signs a file holding it).
    fn sign_text(text: &str, k: u8) -> Approval {
        let sig = key(k).sign(NAMESPACE, HashAlg::Sha512, &message_of(text)).unwrap();
        Approval { statement: text.to_string(), signature: sig.to_pem(LineEnding::LF).unwrap() }
    }

    /// `text` as Python's `json.dumps` spells it by default: ", " and ": " between the items, and
    /// every character beyond ASCII as `\uXXXX` (the values here hold no quote, backslash or
    /// control character).
    fn python_spelling(text: &str) -> String {
        let spaced = text.replace("\",\"", "\", \"").replace("\":", "\": ").replace("null,\"", "null, \"");
        spaced.chars().map(|c| if c.is_ascii() { c.to_string() } else { format!("\\u{:04x}", c as u32) }).collect()
    }

    #[test]
    fn any_key_reads_a_chain_no_signer_is_registered_for_but_keeps_its_order_and_signatures() {
        let mut chain = Chain::new(rules(MANIFEST));
        let a = next(&chain, 0, 0, Decision::Approve, None);
        chain.admit(1, a.clone(), false).unwrap();
        let b = next(&chain, 1, 1, Decision::Approve, None);
        let bytes = jsonl(&[&a, &b]);
        let unregistered = Rules { signers: Vec::new(), ..rules(MANIFEST) };
        // Without registered signers and without any_key: every current line is refused.
        let strict = Chain::read(unregistered.clone(), &bytes);
        assert!(strict.current().is_empty());
        assert!(strict.problems[0].what.starts_with("not a registered signer"), "{:?}", strict.problems);
        // With any_key: read in turn, each against the key its signature carries.
        let any = Rules { any_key: true, ..unregistered };
        let read = Chain::read(any.clone(), &bytes);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let names: Vec<&str> = read.current().iter().map(|s| s.statement.name.as_str()).collect();
        assert_eq!(names, ["张会计", "李副经理"]);
        assert_eq!(read.state(), ChainState::Pending(vec!["经理".into()]));
        // Still refused: a statement altered after signing, one out of turn.
        let mut altered = b.clone();
        altered.statement = altered.statement.replace("李副经理", "赵副经理");
        let read = Chain::read(any.clone(), &jsonl(&[&a, &altered]));
        assert!(read.problems[0].what.contains("does not verify"), "{:?}", read.problems);
        let skip = signed(&statement(2, Some(hash_of(&statement(0, None).text()))), 9);
        let skip = Chain::read(any, &jsonl(&[&signed(&statement(0, None), 9), &skip]));
        assert!(skip.problems[0].what.contains("must sign before"), "{:?}", skip.problems);
    }

    #[test]
    fn a_statement_not_of_the_spec_s_keys_in_the_spec_s_order_is_refused() {
        let text = statement(0, None).text();
        let reordered = text.replacen(
            "\"organization\":\"TEST\",\"month\":\"2026-10\"",
            "\"month\":\"2026-10\",\"organization\":\"TEST\"",
            1,
        );
        let e = Statement::parse(&reordered).unwrap_err();
        assert!(e.starts_with("the statement's keys are month, organization, manifest_sha256"), "{e}");
        let extra = text.replace("}", ",\"x\":1}");
        assert!(Statement::parse(&extra).unwrap_err().contains("exactly organization, month"));
        let twice = text.replace("}", ",\"at\":\"2026-11-03T08:30:00Z\"}");
        assert!(Statement::parse(&twice).unwrap_err().contains("exactly organization, month"));
        let missing = text.replace(",\"previous\":null", "");
        assert!(Statement::parse(&missing).unwrap_err().contains("exactly organization, month"));
        assert!(Statement::parse(&format!("[{text}]")).unwrap_err().contains("not one JSON object"));
        assert!(Statement::parse(&text.replace(",\"at\"", ",\n\"at\"")).unwrap_err().contains("not one line"));
        assert!(Statement::parse(&text.replace(",\"at\"", ",\r\"at\"")).unwrap_err().contains("not one line"));
        let no_reason = text.replace("\"decision\":\"approve\"", "\"decision\":\"reject\"");
        assert!(Statement::parse(&no_reason).unwrap().reasoned().unwrap_err().contains("a reject needs a reason"));
        let bad_time = text.replace("08:30:00Z", "08:30Z");
        assert!(Statement::parse(&bad_time).unwrap_err().contains("UTC to the second"));
        let bad_decision = text.replace("\"approve\"", "\"Approve\"");
        assert!(Statement::parse(&bad_decision).is_err());
    }

    #[test]
    fn a_statement_in_another_json_spelling_is_signed_and_chained_as_written() {
        let compact = statement(0, None).text();
        let python = python_spelling(&compact);
        assert!(python.starts_with("{\"organization\": \"TEST\", \"month\": \"2026-10\"") && python.is_ascii());
        assert!(python.contains("\"role\": \"\\u4e3b\\u529e\\u4f1a\\u8ba1\""), "{python}");
        let tabbed = compact.replace(",", " ,\t").replace("{", " { ");
        for text in [&python, &tabbed] {
            assert_eq!(Statement::parse(text).unwrap(), statement(0, None), "{text}");
            let mut chain = Chain::new(rules(MANIFEST));
            chain.admit(1, sign_text(text, 0), true).unwrap();
            assert_eq!(chain.entries[0].record.statement, *text, "kept exactly as signed");
            // The next statement chains to the text as written, not to brokercomp's spelling of it.
            let next = chain
                .next_statement(&cfg().signers[1], Decision::Approve, None, "2026-11-03T09:00:00Z".into())
                .unwrap();
            assert_eq!(next.previous.as_deref(), Some(sha256_bytes(text.as_bytes()).as_str()));
            assert_ne!(next.previous.as_deref(), Some(sha256_bytes(compact.as_bytes()).as_str()));
            chain.admit(2, sign(&next, &key(1)).unwrap(), true).unwrap();
            // A statement chained to the compact spelling instead is refused.
            let mut wrong = Chain::new(rules(MANIFEST));
            wrong.admit(1, sign_text(text, 0), true).unwrap();
            let e = wrong.admit(2, signed(&statement(1, Some(sha256_bytes(compact.as_bytes()))), 1), true);
            assert!(e.unwrap_err().contains("its previous is"));
            // Read back from the file: the same chain, no problem.
            let records: Vec<&Approval> = chain.entries.iter().map(|e| &e.record).collect();
            let again = Chain::read(rules(MANIFEST), &jsonl(&records));
            assert!(again.problems.is_empty(), "{:?}", again.problems);
            assert_eq!(again.current().len(), 2);
        }
        // Signed in one spelling, recorded in another: other bytes were signed.
        let mut moved = sign_text(&python, 0);
        moved.statement = compact.clone();
        let e = Chain::new(rules(MANIFEST)).admit(1, moved, true).unwrap_err();
        assert!(e.contains("does not verify for 张会计"), "{e}");
    }

    #[test]
    fn an_approval_may_give_a_reason() {
        let mut st = statement(0, None);
        st.reason = Some("已与 CRM 核对".into());
        let parsed = Statement::parse(&st.text()).unwrap();
        assert_eq!(parsed.reason.as_deref(), Some("已与 CRM 核对"));
        parsed.reasoned().unwrap();
        let mut chain = Chain::new(rules(MANIFEST));
        chain.admit(1, signed(&st, 0), true).unwrap();
        assert_eq!(chain.state(), ChainState::Pending(ROLES[1..].iter().map(|r| r.to_string()).collect()));
        // The command line still pairs --reason with --reject.
        let e = chain
            .next_statement(&cfg().signers[1], Decision::Approve, Some("x"), "2026-11-03T09:00:00Z".into())
            .unwrap_err();
        assert!(e.contains("--reason goes with --reject"), "{e}");
    }

    #[test]
    fn reject_and_reason_given_with_a_recorded_statement_must_agree_with_it() {
        let approve = statement(0, None).text();
        let mut r = statement(0, None);
        r.decision = Decision::Reject;
        r.reason = Some("C002 的净佣金有误".into());
        let reject = r.text();
        agrees(&approve, false, None).unwrap();
        agrees(&reject, false, None).unwrap();
        agrees(&reject, true, None).unwrap();
        agrees(&reject, true, Some(" C002 的净佣金有误 ")).unwrap();
        agrees(&reject, false, Some("C002 的净佣金有误")).unwrap();
        let e = agrees(&approve, true, Some("x")).unwrap_err().to_string();
        assert_eq!(e, "--reject was given but the statement approves: the decision is the signed statement's own");
        let e = agrees(&reject, true, Some("另一个原因")).unwrap_err().to_string();
        assert!(e.starts_with("--reason \"另一个原因\" is not the statement's reason (\"C002 的净佣金有误\")"), "{e}");
        let e = agrees(&approve, false, Some("x")).unwrap_err().to_string();
        assert!(e.contains("(it gives none)"), "{e}");
        // What does not parse is left to the chain's own checks.
        agrees("not json", true, Some("x")).unwrap();
    }

    #[test]
    fn a_chain_signed_in_order_is_complete() {
        let mut chain = Chain::new(rules(MANIFEST));
        for i in 0..3 {
            assert_eq!(chain.state(), ChainState::Pending(ROLES[i..].iter().map(|r| r.to_string()).collect()));
            let a = next(&chain, i, i as u8, Decision::Approve, None);
            chain.admit(i + 1, a, true).unwrap();
        }
        assert_eq!(chain.state(), ChainState::Complete);
        let c = chain.current();
        assert_eq!(c[1].statement.previous.as_deref(), Some(sha256_bytes(c[0].record.statement.as_bytes()).as_str()));
        // Read back from the file's bytes: the same chain, no problem.
        let records: Vec<&Approval> = chain.entries.iter().map(|e| &e.record).collect();
        let again = Chain::read(rules(MANIFEST), &jsonl(&records));
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert_eq!(again.state(), ChainState::Complete);
    }

    #[test]
    fn out_of_order_twice_and_after_a_reject_are_refused() {
        let c = cfg();
        let mut chain = Chain::new(rules(MANIFEST));
        let e =
            chain.next_statement(&c.signers[2], Decision::Approve, None, "2026-11-03T08:30:00Z".into()).unwrap_err();
        assert_eq!(e, "主办会计 must sign before 经理");
        let skip = signed(&statement(1, None), 1);
        assert_eq!(chain.admit(1, skip, true).unwrap_err(), "主办会计 must sign before 副经理（经理助理）");
        let first = next(&chain, 0, 0, Decision::Approve, None);
        chain.admit(1, first.clone(), true).unwrap();
        let e =
            chain.next_statement(&c.signers[0], Decision::Approve, None, "2026-11-03T08:31:00Z".into()).unwrap_err();
        assert!(e.starts_with("主办会计 has already signed this manifest (张会计"), "{e}");
        let e = chain
            .next_statement(&c.signers[1], Decision::Reject, Some("  "), "2026-11-03T08:31:00Z".into())
            .unwrap_err();
        assert!(e.contains("a reject needs a reason"), "{e}");
        let reject = next(&chain, 1, 1, Decision::Reject, Some("C002 的净佣金有误"));
        chain.admit(2, reject, true).unwrap();
        assert!(matches!(chain.state(), ChainState::Rejected(1)));
        let e =
            chain.next_statement(&c.signers[2], Decision::Approve, None, "2026-11-03T08:32:00Z".into()).unwrap_err();
        assert!(
            e.contains("was rejected by 李副经理 (副经理（经理助理）)") && e.contains("run the month again"),
            "{e}"
        );
        // A new manifest starts a new chain; the old statements are stale history.
        let fresh = Chain::read(rules(OTHER), &jsonl(&chain.entries.iter().map(|e| &e.record).collect::<Vec<_>>()));
        assert!(fresh.problems.is_empty());
        assert_eq!(fresh.state(), ChainState::Pending(ROLES.iter().map(|r| r.to_string()).collect()));
        assert!(matches!(fresh.roles()[0].1, RoleState::Stale(_)));
        assert!(matches!(fresh.roles()[2].1, RoleState::Pending));
    }

    #[test]
    fn keys_names_roles_and_the_statement_s_subject_are_checked() {
        let mut chain = Chain::new(rules(MANIFEST));
        let stranger = signed(&statement(0, None), 7);
        let e = chain.admit(1, stranger, true).unwrap_err();
        assert_eq!(e, format!("not a registered signer: {}", fingerprint(key(7).public_key())));
        // 张会计's key signing as 经理, under their own name, and under the 经理's name.
        let mut as_manager = statement(2, None);
        as_manager.name = NAMES[0].into();
        assert_eq!(chain.admit(1, signed(&as_manager, 0), true).unwrap_err(), "张会计 signs as 主办会计, not as 经理");
        let e = chain.admit(1, signed(&statement(2, None), 0), true).unwrap_err();
        assert!(e.starts_with("the statement names 王经理 but is signed with the key of 张会计"), "{e}");
        let mut other = statement(0, None);
        other.organization = "SZNS".into();
        assert_eq!(
            chain.admit(1, signed(&other, 0), true).unwrap_err(),
            "the statement is for organization SZNS but this is TEST"
        );
        let mut other = statement(0, None);
        other.month = "2026-09".into();
        assert_eq!(
            chain.admit(1, signed(&other, 0), true).unwrap_err(),
            "the statement is for 2026-09 but this is 2026-10"
        );
        let mut other = statement(0, None);
        other.manifest_sha256 = OTHER.into();
        assert_eq!(
            chain.admit(1, signed(&other, 0), true).unwrap_err(),
            "the statement is for manifest 9c4100000000… but 2026-10's manifest is 3f2a00000000…"
        );
        let wrong_previous = signed(&statement(0, Some(OTHER.into())), 0);
        assert!(chain
            .admit(1, wrong_previous, true)
            .unwrap_err()
            .contains("it is the first statement over this manifest"));
        assert!(chain.entries.is_empty(), "nothing refused was taken in");
    }

    #[test]
    fn any_field_altered_after_signing_does_not_verify() {
        let good = signed(&statement(0, None), 0);
        let alterations = [
            ("\"decision\":\"approve\"", "\"decision\":\"reject\""),
            ("08:30:00Z", "08:30:01Z"),
            ("\"month\":\"2026-10\"", "\"month\":\"2026-11\""),
            ("3f2a", "3f2b"),
            ("张会计", "张会记"),
            ("\"previous\":null", &format!("\"previous\":\"{OTHER}\"")),
        ];
        for (from, to) in alterations {
            let mut bad = good.clone();
            bad.statement = bad.statement.replacen(from, to, 1);
            assert_ne!(bad.statement, good.statement);
            let mut chain = Chain::new(rules(MANIFEST));
            let e = chain.admit(1, bad, false).unwrap_err();
            assert!(e.contains("does not verify for 张会计"), "{from} → {to}: {e}");
        }
    }

    #[test]
    fn a_hand_edited_file_names_each_bad_line() {
        let mut chain = Chain::new(rules(MANIFEST));
        let a0 = next(&chain, 0, 0, Decision::Approve, None);
        chain.admit(1, a0.clone(), true).unwrap();
        let a1 = next(&chain, 1, 1, Decision::Approve, None);
        chain.admit(2, a1.clone(), true).unwrap();
        let a2 = next(&chain, 2, 2, Decision::Approve, None);
        // Line 1 altered: it no longer verifies, and line 2 no longer follows it.
        let mut t0 = a0.clone();
        t0.statement = t0.statement.replace("08:30:00Z", "07:30:00Z");
        let read = Chain::read(rules(MANIFEST), &jsonl(&[&t0, &a1, &a2]));
        let lines: Vec<usize> = read.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![1, 2, 3], "{:?}", read.problems);
        assert!(read.problems[0].what.contains("does not verify"), "{}", read.problems[0]);
        // Lines swapped: out of order.
        let read = Chain::read(rules(MANIFEST), &jsonl(&[&a1, &a0]));
        assert_eq!(read.problems[0].what, "主办会计 must sign before 副经理（经理助理）");
        // Garbage, a blank line, and a last line without its line end.
        let mut bytes = b"not json\n\n".to_vec();
        bytes.extend(serde_json::to_string(&a0).unwrap().as_bytes());
        let read = Chain::read(rules(MANIFEST), &bytes);
        let what: Vec<String> = read.problems.iter().map(|p| p.to_string()).collect();
        assert!(what[0].starts_with("line 1: is not a record"), "{what:?}");
        assert_eq!(what[1], "line 2: is empty");
        assert_eq!(what[2], "line 3: has no line end: the file was edited by hand");
    }

    #[test]
    fn history_over_an_earlier_manifest_need_not_be_registered_now() {
        // Signed by key 7 (not registered) over another manifest: stale history, not a problem.
        let mut old = statement(0, None);
        old.manifest_sha256 = OTHER.into();
        let read = Chain::read(rules(MANIFEST), &jsonl(&[&signed(&old, 7)]));
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert!(matches!(read.roles()[0].1, RoleState::Stale(_)));
        // The same over the current manifest is named.
        let read = Chain::read(rules(MANIFEST), &jsonl(&[&signed(&statement(0, None), 7)]));
        assert!(read.problems[0].what.starts_with("not a registered signer: SHA256:"));
    }

    #[test]
    fn close_json_without_a_chain_is_the_record_as_before() {
        let record: CloseRecord = serde_json::from_str(
            r#"{"month":"2026-10","closed_by":"x","closed_at":"2026-11-05T08:30:00Z","build":"b","outputs":[{"file":"manifest.json","sha256":"ab"}],"archived":[],"managers":[],"prior_period":[]}"#,
        )
        .unwrap();
        assert_eq!(close_json(&record, &[]).unwrap(), serde_json::to_vec_pretty(&record).unwrap());
        let chain = [Approval { statement: "s".into(), signature: "g".into() }];
        let with: serde_json::Value = serde_json::from_slice(&close_json(&record, &chain).unwrap()).unwrap();
        assert_eq!(with["approvals"][0]["statement"], "s");
        assert_eq!(
            serde_json::from_value::<CloseRecord>(with).unwrap(),
            record,
            "close.json still reads as the record"
        );
    }
}
