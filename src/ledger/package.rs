//! Head office's side of filing (SPEC §4.13, §7): a branch's package read as the untrusted input it
//! is, and the month's consolidation of every registered branch.
//!
//! [`read_package`] takes one `*.zip` and gives what it files ([`PackageRead`]): the branch and
//! month it is for (from its filing.json; its file name `<code>_<YYYYMM>.zip` only attributes a
//! package whose filing.json cannot be read — the name is no condition of validity), and either
//! the figures of a valid filing or every reason it is not one. Nothing of the package is trusted for its names or
//! sizes: a package above [`MAX_PACKAGE`], a zip directory with more than [`MAX_ENTRIES`]
//! entries, a member path that is absolute or climbs out, a link, a member declaring more than
//! [`MAX_MEMBER`], a zip that does not open, a filing.json that does not parse — each makes the
//! package 无效 before any member is used. Each member is then read through `take(listed + 1)`
//! and checked against filing.json's size and SHA-256 before it is used; the JSON members are
//! read into memory (at most [`MAX_RECORD`]), the payroll CSV is spooled into `scratch` (the
//! consolidation's own temporary folder, the only place anything is written) and summed; the
//! workbooks are only hashed. Then: manifest.json, close.json and filing.json agree (branch,
//! month, every packed file's SHA-256, who closed it and when), the payroll sums to filing.json's
//! totals and to the manifest's, and — when head office registers signers for the branch — the
//! chain of approvals.jsonl verifies against those keys (never the keys the package brings) over
//! the packed manifest, complete, in the turn of the packed configuration's `report.signoff`
//! (which holds every role head office registers signers for), and as close.json keeps it. When
//! head office registers none, the chain is only read to name who approved (unverified: see
//! [`Filed::verified`]). A package is read in one pass and dropped: memory does not grow with
//! the number of packages.
//!
//! [`consolidate`] takes the registry and every package read: each registered branch 已备案,
//! 缺失 or 无效 (two packages of one branch and month make both 无效), 超限 above the registry's
//! `max_pay_ratio`, each package of an unregistered code 未登记, and each package attributed to
//! no branch and month listed apart with its reasons.

use std::io::{BufReader, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::approvals::{chain_roles, Approval, Chain, ChainState, Rules, APPROVALS_FILE};
use super::filing::{payroll_sums, totals_differ, Filing, PackedFile, CONFIG_DIR, FILING_FILE, STANDARDS_DIR};
use super::source::{CloseRecord, CLOSE_FILE};
use crate::calendar::YearMonth;
use crate::config::branches::{Branch, Registry};
use crate::config::{Config, Locale};
use crate::output::{OutputFile, Temporary};
use crate::report::consolidation::{above, pay_ratio, Consolidation, Filed, Finding, Line, Part, Problem, Status};
use crate::report::{FileNames, Manifest};

/// A package larger than this is refused unread.
pub const MAX_PACKAGE: u64 = 2 << 30;
/// A member declaring more than this (in the zip or in filing.json) is refused.
pub const MAX_MEMBER: u64 = 512 << 20;
/// A zip directory with more entries than this is refused before it is read (a filing holds a
/// dozen files; each entry the zip reader keeps costs memory).
pub const MAX_ENTRIES: u64 = 1000;
/// The JSON members (filing.json, manifest.json, close.json, approvals.jsonl) are read into
/// memory up to this size; a larger one is refused.
pub const MAX_RECORD: u64 = 64 << 20;

/// What one package files, or why it files nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRead {
    /// The package's file name.
    pub file: String,
    /// The branch it is for: filing.json's code, else its file name's; none when neither says.
    pub code: Option<String>,
    /// The branch's name as filing.json gives it.
    pub name: Option<String>,
    /// The month it is for: filing.json's, else its file name's.
    pub month: Option<YearMonth>,
    /// Why it is not a valid filing (empty when it is).
    pub findings: Vec<Finding>,
    /// The filing, when valid.
    pub filed: Option<Filed>,
}

/// `<code>_<YYYYMM>.zip` → code and month.
fn from_name(file: &str) -> (Option<String>, Option<YearMonth>) {
    let stem = file.strip_suffix(".zip").or_else(|| file.strip_suffix(".ZIP")).unwrap_or(file);
    match stem.rsplit_once('_') {
        Some((code, ym)) if ym.len() == 6 && ym.bytes().all(|b| b.is_ascii_digit()) && !code.is_empty() => {
            let month = YearMonth::new(ym[..4].parse().unwrap_or(0), ym[4..].parse().unwrap_or(0));
            (Some(code.to_string()), month)
        }
        _ => (None, None),
    }
}

/// How many central-directory headers (`PK\x01\x02`) the file holds, counting up to `limit + 1`:
/// the zip reader reads no more entries than there are, whatever the directory's end declares.
fn central_entries(path: &Path, limit: u64) -> std::io::Result<u64> {
    const SIG: &[u8; 4] = b"PK\x01\x02";
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut keep = 0usize;
    let mut count = 0u64;
    loop {
        let n = f.read(&mut buf[keep..])?;
        if n == 0 {
            return Ok(count);
        }
        let end = keep + n;
        count += buf[..end].windows(4).filter(|w| w == SIG).count() as u64;
        if count > limit {
            return Ok(count);
        }
        // Keep the last three bytes: a signature may straddle two reads (and is never counted twice,
        // three bytes being shorter than it).
        keep = end.min(3);
        buf.copy_within(end - keep..end, 0);
    }
}

/// A member path that is absolute (`/x`, `\\x`, `C:x`) or has a `..` component. The zip
/// crate's `enclosed_name()` refuses a path that climbs out, but reads a rooted one as relative
/// (`/etc/x` → `etc/x`); a filing has neither.
fn absolute_or_climbing(name: &str) -> bool {
    let b = name.as_bytes();
    name.starts_with(['/', '\\'])
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
        || name.split(['/', '\\']).any(|c| c == "..")
}

/// A reader that hashes and counts what passes through it.
struct Digesting<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// A member of the zip, as its directory declares it.
struct Entry {
    index: usize,
    name: String,
}

/// Where a member's bytes go while they are checked.
enum Sink<'a> {
    /// Only hashed.
    Nowhere,
    /// Kept in memory (a JSON member).
    Memory(&'a mut Vec<u8>),
    /// Spooled to a file (the payroll CSV).
    File(&'a mut OutputFile),
}

/// Read member `index` through `take(limit + 1)` into `sink`: its size (up to `limit + 1`) and
/// SHA-256.
fn read_member(
    zip: &mut ZipArchive<BufReader<std::fs::File>>,
    index: usize,
    limit: u64,
    sink: Sink<'_>,
) -> Result<(u64, String), String> {
    let file = zip.by_index(index).map_err(|e| e.to_string())?;
    let mut d = Digesting { inner: file.take(limit.saturating_add(1)), hasher: Sha256::new(), read: 0 };
    let copied = match sink {
        Sink::Nowhere => std::io::copy(&mut d, &mut std::io::sink()),
        Sink::Memory(v) => std::io::copy(&mut d, v),
        Sink::File(f) => std::io::copy(&mut d, f),
    };
    copied.map_err(|e| e.to_string())?;
    Ok((d.read, hex::encode(d.hasher.finalize())))
}

/// What the checks of one package gather.
struct Checked {
    findings: Vec<Finding>,
}

impl Checked {
    fn add(&mut self, f: Finding) {
        if !self.findings.contains(&f) {
            self.findings.push(f);
        }
    }
}

/// Read one package for `month` (see the module's notes). `scratch` is the consolidation's own
/// temporary folder.
pub fn read_package(path: &Path, month: YearMonth, registry: &Registry, scratch: &Path) -> PackageRead {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (name_code, name_month) = from_name(&file);
    let mut read = PackageRead {
        file: file.clone(),
        code: name_code,
        name: None,
        month: name_month,
        findings: Vec::new(),
        filed: None,
    };
    let mut c = Checked { findings: Vec::new() };
    match inspect(path, month, registry, scratch, &mut read, &mut c) {
        Some(filed) if c.findings.is_empty() => read.filed = Some(filed),
        _ => {}
    }
    read.findings = c.findings;
    read
}

/// The checks of [`read_package`]: the figures when every check passes so far; `read` learns the
/// branch and month as soon as they are known.
fn inspect(
    path: &Path,
    month: YearMonth,
    registry: &Registry,
    scratch: &Path,
    read: &mut PackageRead,
    c: &mut Checked,
) -> Option<Filed> {
    // The package as a file, before anything reads its directory.
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            c.add(Finding::NotAZip { error: e.to_string() });
            return None;
        }
    };
    if size > MAX_PACKAGE {
        c.add(Finding::PackageTooLarge { size, limit: MAX_PACKAGE });
        return None;
    }
    match central_entries(path, MAX_ENTRIES) {
        Ok(n) if n > MAX_ENTRIES => {
            c.add(Finding::TooManyMembers { limit: MAX_ENTRIES });
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            c.add(Finding::NotAZip { error: e.to_string() });
            return None;
        }
    }
    let opened = std::fs::File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| ZipArchive::new(BufReader::new(f)).map_err(|e| e.to_string()));
    let mut zip = match opened {
        Ok(z) => z,
        Err(error) => {
            c.add(Finding::NotAZip { error });
            return None;
        }
    };
    if zip.has_duplicate_names() {
        c.add(Finding::NotAZip { error: "its directory names one member twice".into() });
        return None;
    }

    // Every member as the directory declares it: a path that stays inside, no link, a size within
    // bounds. The package is not read further when one is not.
    let mut entries: Vec<Entry> = Vec::new();
    let mut safe = true;
    for index in 0..zip.len() {
        let m = match zip.by_index_raw(index) {
            Ok(m) => m,
            Err(e) => {
                c.add(Finding::NotAZip { error: e.to_string() });
                return None;
            }
        };
        let name =
            m.name().map(|n| n.into_owned()).unwrap_or_else(|_| String::from_utf8_lossy(m.name_raw()).into_owned());
        let mut ok = true;
        if m.enclosed_name().is_none() || absolute_or_climbing(&name) {
            c.add(Finding::PathOutside { member: name.clone() });
            ok = false;
        }
        if m.is_symlink() || m.unix_mode().is_some_and(|mode| mode & 0o170000 == 0o120000) {
            c.add(Finding::Link { member: name.clone() });
            ok = false;
        }
        if m.size() > MAX_MEMBER {
            c.add(Finding::MemberTooLarge { member: name.clone(), size: m.size(), limit: MAX_MEMBER });
            ok = false;
        }
        safe &= ok;
        if ok {
            entries.push(Entry { index, name });
        }
    }

    // filing.json: who the package is for.
    let Some(fj) = entries.iter().find(|e| e.name == FILING_FILE) else {
        if safe {
            c.add(Finding::NoFilingJson);
        }
        return None;
    };
    let mut bytes = Vec::new();
    let filing = match read_member(&mut zip, fj.index, MAX_RECORD, Sink::Memory(&mut bytes)) {
        Err(error) => Err(error),
        Ok((n, _)) if n > MAX_RECORD => Err(format!("larger than {} MiB", MAX_RECORD >> 20)),
        Ok(_) => Filing::parse(&bytes),
    };
    drop(bytes);
    let filing = match filing {
        Ok(f) => f,
        Err(error) => {
            c.add(Finding::FilingUnreadable { error });
            return None;
        }
    };
    read.code = Some(filing.organization.code.clone());
    read.name = Some(filing.organization.name.clone());
    read.month = Some(filing.month);
    if filing.month != month {
        return None;
    }
    if !safe {
        return None;
    }
    let branch = registry.branch(&filing.organization.code);
    check_members(&mut zip, &entries, &filing, branch, scratch, c)
}

/// The verified bytes of the members the checks read.
#[derive(Default)]
struct Contents {
    manifest: Option<(Vec<u8>, String)>,
    close: Option<Vec<u8>>,
    approvals: Option<Vec<u8>>,
    /// The archived configuration files (one in a filing): name and bytes.
    config: Vec<(String, Vec<u8>)>,
    /// The payroll CSV spooled to a file of the scratch folder.
    payroll: Option<Temporary>,
    /// Every packed file and its SHA-256, as verified.
    hashes: Vec<(String, String)>,
}

fn check_members(
    zip: &mut ZipArchive<BufReader<std::fs::File>>,
    entries: &[Entry],
    filing: &Filing,
    branch: Option<&Branch>,
    scratch: &Path,
    c: &mut Checked,
) -> Option<Filed> {
    let month = filing.month;
    // The names of this month's outputs, in either locale (the branch's is its own).
    let names: Vec<FileNames> = [Locale::ZhCn, Locale::En].into_iter().map(|l| FileNames::new(l, month)).collect();
    let payroll_name = names[0].payroll.clone();

    // filing.json's list against the members (no longer than the zip's directory can be: a list
    // of millions would cost time to match, and could never match).
    if filing.files.len() as u64 > MAX_ENTRIES {
        c.add(Finding::FilingUnreadable {
            error: format!("it lists {} files, more than a package holds ({MAX_ENTRIES})", filing.files.len()),
        });
        return None;
    }
    let mut listed: Vec<&PackedFile> = Vec::new();
    for f in &filing.files {
        if listed.iter().any(|l| l.name == f.name) || f.name == FILING_FILE {
            c.add(Finding::ListedTwice { member: f.name.clone() });
        } else {
            listed.push(f);
        }
    }
    for e in entries.iter().filter(|e| e.name != FILING_FILE) {
        if !listed.iter().any(|l| l.name == e.name) {
            c.add(Finding::MemberUnlisted { member: e.name.clone() });
        }
    }
    let mut contents = Contents::default();
    for f in &listed {
        let Some(e) = entries.iter().find(|e| e.name == f.name) else {
            c.add(Finding::MemberMissing { member: f.name.clone() });
            continue;
        };
        if f.size > MAX_MEMBER {
            c.add(Finding::MemberTooLarge { member: f.name.clone(), size: f.size, limit: MAX_MEMBER });
            continue;
        }
        let json = [Manifest::FILE, CLOSE_FILE, APPROVALS_FILE].contains(&f.name.as_str());
        // The archived configuration is kept too (its report.signoff orders the chain), when it
        // is no larger than a record; a larger one is only hashed, and read by nothing.
        let keep_config = f.name.starts_with(CONFIG_DIR) && f.size <= MAX_RECORD;
        let mut bytes = Vec::new();
        let mut spool = None;
        let result = if json {
            if f.size > MAX_RECORD {
                c.add(Finding::Unparsable {
                    member: f.name.clone(),
                    error: format!("larger than {} MiB", MAX_RECORD >> 20),
                });
                continue;
            }
            read_member(zip, e.index, f.size, Sink::Memory(&mut bytes))
        } else if keep_config {
            read_member(zip, e.index, f.size, Sink::Memory(&mut bytes))
        } else if f.name == payroll_name {
            match Temporary::new_in(scratch, ".payroll-") {
                Ok(mut t) => {
                    let r = read_member(zip, e.index, f.size, Sink::File(t.file()));
                    let flushed = t.file().flush().map_err(|e| format!("cannot spool it: {e}"));
                    spool = Some(t);
                    r.and_then(|x| flushed.map(|()| x))
                }
                Err(e) => Err(format!("cannot spool it: {e}")),
            }
        } else {
            read_member(zip, e.index, f.size, Sink::Nowhere)
        };
        let (size, sha256) = match result {
            Ok(x) => x,
            Err(error) => {
                c.add(Finding::MemberUnreadable { member: f.name.clone(), error });
                continue;
            }
        };
        if size != f.size {
            c.add(Finding::SizeDiffers { member: f.name.clone(), listed: f.size, actual: size });
            continue;
        }
        if sha256 != f.sha256 {
            c.add(Finding::HashDiffers { member: f.name.clone() });
            continue;
        }
        // Verified: from here on it may be used.
        contents.hashes.push((f.name.clone(), sha256.clone()));
        match f.name.as_str() {
            n if n == Manifest::FILE => contents.manifest = Some((bytes, sha256)),
            CLOSE_FILE => contents.close = Some(bytes),
            APPROVALS_FILE => contents.approvals = Some(bytes),
            _ if keep_config => contents.config.push((f.name.clone(), bytes)),
            n if n == payroll_name => contents.payroll = spool,
            _ => {}
        }
    }
    if !c.findings.is_empty() {
        return None;
    }

    // The parts every filing has.
    let listed_name = |n: &str| listed.iter().any(|l| l.name == n);
    let report = names.iter().map(|n| n.report.as_str()).find(|n| listed_name(n));
    let config = listed.iter().filter(|l| l.name.starts_with(CONFIG_DIR)).collect::<Vec<_>>();
    let standard = listed.iter().filter(|l| l.name.starts_with(STANDARDS_DIR)).collect::<Vec<_>>();
    for (missing, part) in [
        (report.is_none(), Part::Report),
        (contents.payroll.is_none(), Part::Payroll),
        (contents.manifest.is_none(), Part::Manifest),
        (contents.close.is_none(), Part::Close),
        (config.len() != 1, Part::Configuration),
        (standard.len() != 1, Part::Standard),
    ] {
        if missing {
            c.add(Finding::Lacks { part });
        }
    }
    let (Some((manifest_bytes, manifest_sha)), Some(close_bytes), Some(payroll)) =
        (&contents.manifest, &contents.close, &contents.payroll)
    else {
        return None;
    };
    let manifest = match std::str::from_utf8(manifest_bytes)
        .map_err(|e| e.to_string())
        .and_then(|t| Manifest::parse(t).map_err(|e| e.to_string()))
    {
        Ok(m) => Some(m),
        Err(error) => {
            c.add(Finding::Unparsable { member: Manifest::FILE.into(), error });
            None
        }
    };
    let close = match serde_json::from_slice::<CloseRecord>(close_bytes) {
        Ok(r) => Some(r),
        Err(e) => {
            c.add(Finding::Unparsable { member: CLOSE_FILE.into(), error: e.to_string() });
            None
        }
    };
    let sums = match std::fs::File::open(payroll.path()).map_err(|e| e.to_string()).and_then(payroll_sums) {
        Ok(s) => Some(s),
        Err(error) => {
            c.add(Finding::Unparsable { member: payroll_name.clone(), error });
            None
        }
    };
    let (Some(manifest), Some(close), Some(sums)) = (manifest, close, sums) else {
        return None;
    };

    // One branch, one month.
    let code = &filing.organization.code;
    if manifest.organization.code != *code {
        c.add(Finding::OtherOrganization {
            member: Manifest::FILE.into(),
            found: manifest.organization.code.clone(),
            expected: code.clone(),
        });
    }
    if manifest.month != month {
        c.add(Finding::OtherMonth { member: Manifest::FILE.into(), found: manifest.month.to_string() });
    }
    if close.month != month {
        c.add(Finding::OtherMonth { member: CLOSE_FILE.into(), found: close.month.to_string() });
    }
    // Each packed file as the month made it and as it was closed.
    for (name, sha) in &contents.hashes {
        if name == CLOSE_FILE || name == APPROVALS_FILE {
            continue;
        }
        let archived = name.starts_with(CONFIG_DIR) || name.starts_with(STANDARDS_DIR);
        if !archived && name != Manifest::FILE {
            match manifest.outputs.iter().find(|o| &o.file == name) {
                None => c.add(Finding::NotAnOutput { member: name.clone() }),
                Some(o) if &o.sha256 != sha => c.add(Finding::OutputDiffers { member: name.clone() }),
                Some(_) => {}
            }
        }
        let recorded = close.outputs.iter().chain(&close.archived).find(|f| &f.file == name);
        if recorded.is_none_or(|f| &f.sha256 != sha) {
            c.add(Finding::NotAsClosed { member: name.clone() });
        }
    }
    let sha_of = |name: &str| contents.hashes.iter().find(|(n, _)| n == name).map(|(_, s)| s.as_str());
    if config.first().and_then(|f| sha_of(&f.name)) != Some(manifest.configuration.sha256.as_str()) {
        c.add(Finding::ConfigurationDiffers);
    }
    if standard.first().and_then(|f| sha_of(&f.name)) != Some(manifest.standard.sha256.as_str()) {
        c.add(Finding::StandardDiffers);
    }
    if filing.closed_at != close.closed_at {
        c.add(Finding::ClosedDiffers {
            field: "closed_at",
            filing: filing.closed_at.clone(),
            close: close.closed_at.clone(),
        });
    }
    if filing.closed_by != close.closed_by {
        c.add(Finding::ClosedDiffers {
            field: "closed_by",
            filing: filing.closed_by.clone(),
            close: close.closed_by.clone(),
        });
    }
    // The payroll's sums, against filing.json and against the manifest.
    for (record, totals) in [(FILING_FILE, &filing.totals), (Manifest::FILE, &manifest.totals)] {
        for (key, payroll, recorded) in totals_differ(&sums.totals, totals) {
            c.add(Finding::TotalsDiffer { record, key, payroll, recorded });
        }
    }
    // The chain, in the turn of the packed configuration's report.signoff (read only when there
    // is a chain to read): against the keys head office registers for the branch; when it
    // registers none, only read for who signed, unverified.
    let approvals = contents.approvals.as_deref();
    let registered = branch.filter(|b| !b.signers.is_empty());
    let (approved_by, verified) = match (registered, approvals) {
        (Some(_), None) => {
            c.add(Finding::NoChain);
            (Vec::new(), true)
        }
        (None, None) => (Vec::new(), false),
        (Some(b), Some(approvals)) => match packed_roles(&config, &contents.config, c) {
            Some(roles) => (check_chain(b, roles, month, manifest_sha, approvals, close_bytes, c), true),
            None => (Vec::new(), true),
        },
        // Unverified, the chain is no condition: a configuration that does not parse names nobody
        // here, and is no reason (it is one only where it orders a chain that must verify).
        (None, Some(approvals)) => match packed_roles(&config, &contents.config, &mut Checked { findings: Vec::new() })
        {
            Some(roles) => (unverified_chain(code, roles, month, manifest_sha, approvals), false),
            None => (Vec::new(), false),
        },
    };
    if !c.findings.is_empty() {
        return None;
    }
    Some(Filed {
        scale: sums.scale.unwrap_or_else(|| manifest.totals.total.scale()),
        totals: sums.totals,
        standard: manifest.standard.name.clone(),
        standard_sha256: manifest.standard.sha256.clone(),
        closed_at: close.closed_at,
        closed_by: close.closed_by,
        approved_by,
        verified,
    })
}

/// The roles of the chain in turn: the packed configuration's `report.signoff` after its first
/// entry (the preparer), the configuration parsed as `brokercomp.toml` is — untrusted: one that
/// does not parse makes the package 无效. `listed`: the configuration files filing.json lists (a
/// filing has one; without it the package already lacks it); `kept`: their bytes, as verified.
fn packed_roles(listed: &[&&PackedFile], kept: &[(String, Vec<u8>)], c: &mut Checked) -> Option<Vec<String>> {
    let [file] = listed else {
        return None;
    };
    let Some((_, bytes)) = kept.iter().find(|(n, _)| *n == file.name) else {
        c.add(Finding::Unparsable {
            member: file.name.clone(),
            error: format!("larger than {} MiB", MAX_RECORD >> 20),
        });
        return None;
    };
    let parsed = std::str::from_utf8(bytes).map_err(|e| e.to_string()).and_then(|text| {
        Config::parse(text, Path::new(&file.name), Path::new(""))
            .map_err(|e| bounded(if e.key.is_empty() { e.message } else { format!("{}: {}", e.key, e.message) }))
    });
    match parsed {
        Ok(cfg) => Some(chain_roles(&cfg).to_vec()),
        Err(error) => {
            c.add(Finding::Unparsable { member: file.name.clone(), error });
            None
        }
    }
}

/// An error about untrusted text, cut to its first and last [`ERROR_KEEP`] characters: a TOML
/// error quotes the whole offending line, a configuration error the whole value, and a package
/// may make either megabytes long (a workbook's cell holds 32,767 characters).
fn bounded(text: String) -> String {
    let n = text.chars().count();
    if n <= 2 * ERROR_KEEP + 1 {
        return text;
    }
    let head: String = text.chars().take(ERROR_KEEP).collect();
    let tail: String = text.chars().skip(n - ERROR_KEEP).collect();
    format!("{head}…{tail}")
}

/// How much of each end of an untrusted error [`bounded`] keeps.
const ERROR_KEEP: usize = 240;

/// The chain of approvals.jsonl checked against `branch`'s registered signers, in the turn of
/// `roles` (the packed report.signoff), over the packed manifest (`manifest_sha`): the signers'
/// names in order when complete, and as close.json keeps it. Every role head office registers
/// signers for must be one of `roles`: a package does not choose to leave a role out.
fn check_chain(
    branch: &Branch,
    roles: Vec<String>,
    month: YearMonth,
    manifest_sha: &str,
    approvals: &[u8],
    close: &[u8],
    c: &mut Checked,
) -> Vec<String> {
    let lacking: Vec<String> = branch.roles().into_iter().filter(|r| !roles.contains(r)).collect();
    if !lacking.is_empty() {
        c.add(Finding::SignoffLacks { roles: lacking, signoff: roles.clone() });
    }
    let rules = Rules {
        organization: branch.code.clone(),
        month,
        roles,
        signers: branch.signers.clone(),
        manifest: manifest_sha.to_string(),
        any_key: false,
    };
    let chain = Chain::read(rules, approvals);
    for p in &chain.problems {
        c.add(Finding::ChainLine { line: p.line, what: p.what.clone() });
    }
    match chain.state() {
        ChainState::Complete => {}
        ChainState::Rejected(i) => {
            let s = &chain.entries[i].statement;
            c.add(Finding::ChainRejected {
                name: s.name.clone(),
                role: s.role.clone(),
                reason: s.reason.clone().unwrap_or_default(),
            });
        }
        ChainState::Pending(missing) => c.add(Finding::ChainIncomplete { missing }),
    }
    let current: Vec<Approval> = chain.current().into_iter().map(|s| s.record.clone()).collect();
    let kept: Option<Vec<Approval>> = serde_json::from_slice::<serde_json::Value>(close)
        .ok()
        .and_then(|v| v.get("approvals").cloned())
        .map(|a| serde_json::from_value(a).unwrap_or_default());
    if kept.unwrap_or_default() != current {
        c.add(Finding::ChainNotAsClosed);
    }
    chain.current().iter().map(|s| s.statement.name.clone()).collect()
}

/// Who approved the packed manifest (`manifest_sha`) by approvals.jsonl, for a branch head office
/// registers no signers for: the names of the approving statements of the current chain, in the
/// turn of `roles`; none when the chain was rejected. Each statement is checked only against the
/// key its own signature carries — not against any key head office knows — and nothing here makes
/// the package 无效 (the SPEC checks a chain only against registered signers).
fn unverified_chain(
    code: &str,
    roles: Vec<String>,
    month: YearMonth,
    manifest_sha: &str,
    approvals: &[u8],
) -> Vec<String> {
    let rules = Rules {
        organization: code.to_string(),
        month,
        roles,
        signers: Vec::new(),
        manifest: manifest_sha.to_string(),
        any_key: true,
    };
    let chain = Chain::read(rules, approvals);
    match chain.state() {
        ChainState::Rejected(_) => Vec::new(),
        ChainState::Complete | ChainState::Pending(_) => {
            chain.current().iter().map(|s| s.statement.name.clone()).collect()
        }
    }
}

/// The month's consolidation from every package read (in the order read: the packages' names).
/// Packages for another month are left out; a package attributed to no month (nothing of it
/// reads, and its name is not `<code>_<YYYYMM>.zip`) is listed apart with its reasons.
pub fn consolidate(registry: &Registry, month: YearMonth, reads: Vec<PackageRead>) -> Consolidation {
    let unattributed: Vec<Problem> = reads
        .iter()
        .filter(|r| r.month.is_none())
        .flat_map(|r| r.findings.iter().map(|f| Problem { package: Some(r.file.clone()), finding: f.clone() }))
        .collect();
    let reads: Vec<PackageRead> = reads.into_iter().filter(|r| r.month == Some(month)).collect();
    let mut lines = Vec::new();
    for b in &registry.branches {
        let ours: Vec<&PackageRead> = reads.iter().filter(|r| r.code.as_deref() == Some(b.code.as_str())).collect();
        let mut line = Line {
            code: b.code.clone(),
            name: b.name.clone(),
            status: Status::Missing,
            filed: None,
            problems: Vec::new(),
        };
        match ours.as_slice() {
            [] => line.problems.push(Problem { package: None, finding: Finding::NotFiled }),
            [one] if one.findings.is_empty() && one.filed.is_some() => {
                line.status = Status::Filed;
                line.filed = one.filed.clone();
                if let (Some(max), Some(f)) = (registry.limits.max_pay_ratio, &line.filed) {
                    let t = &f.totals;
                    if above(t.total, t.metrics.net_revenue, max) {
                        line.problems.push(Problem {
                            package: Some(one.file.clone()),
                            finding: Finding::OverLimit { ratio: pay_ratio(t.total, t.metrics.net_revenue), max },
                        });
                    }
                }
            }
            several => {
                line.status = Status::Invalid;
                for r in several {
                    for f in &r.findings {
                        line.problems.push(Problem { package: Some(r.file.clone()), finding: f.clone() });
                    }
                    if several.len() > 1 {
                        let others = several.iter().filter(|o| o.file != r.file).map(|o| o.file.clone()).collect();
                        line.problems.push(Problem {
                            package: Some(r.file.clone()),
                            finding: Finding::SecondPackage { others },
                        });
                    }
                }
            }
        }
        lines.push(line);
    }
    let registered = lines.len();
    for r in &reads {
        let known = r.code.as_deref().is_some_and(|c| registry.branch(c).is_some());
        if known {
            continue;
        }
        let code = r.code.clone().unwrap_or_else(|| r.file.strip_suffix(".zip").unwrap_or(&r.file).to_string());
        let mut problems =
            vec![Problem { package: Some(r.file.clone()), finding: Finding::Unregistered { code: code.clone() } }];
        problems.extend(r.findings.iter().map(|f| Problem { package: Some(r.file.clone()), finding: f.clone() }));
        lines.push(Line {
            code,
            name: r.name.clone().unwrap_or_default(),
            status: Status::Unregistered,
            filed: None,
            problems,
        });
    }
    Consolidation { month, lines, registered, unattributed, max_pay_ratio: registry.limits.max_pay_ratio }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ym;

    /// A registry of one branch, 南山 (SZNS).
    fn nanshan() -> Registry {
        Registry::parse("[[branches]]\ncode = \"SZNS\"\nname = \"南山\"\n", Path::new("b.toml")).unwrap()
    }

    /// A file named `name` that is not a zip, read as a package of 2026-10 against [`nanshan`].
    fn unread(name: &str) -> (PackageRead, Registry) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, b"not a zip").unwrap();
        let registry = nanshan();
        (read_package(&p, ym("2026-10"), &registry, dir.path()), registry)
    }

    #[test]
    fn a_package_name_gives_its_code_and_month() {
        assert_eq!(from_name("SZNS_202610.zip"), (Some("SZNS".into()), Some(ym("2026-10"))));
        assert_eq!(from_name("SZ_NS_202610.zip"), (Some("SZ_NS".into()), Some(ym("2026-10"))));
        assert_eq!(from_name("SZNS_202613.zip"), (Some("SZNS".into()), None));
        assert_eq!(from_name("南山.zip"), (None, None));
        assert_eq!(from_name("_202610.zip"), (None, None));
    }

    #[test]
    fn a_path_that_is_absolute_or_climbs_is_seen_whatever_its_separators() {
        for bad in ["/etc/passwd", "\\\\server\\x", "C:x", "c:\\x", "../x", "a/../../x", "a\\..\\x", "a/.."] {
            assert!(absolute_or_climbing(bad), "{bad}");
        }
        for good in ["payroll_2026-10.csv", "archive/config/brokercomp.toml", "a..b", "..x", "薪酬月报表_2026-10.xlsx"]
        {
            assert!(!absolute_or_climbing(good), "{good}");
        }
    }

    #[test]
    fn central_headers_are_counted_across_reads() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.zip");
        // A signature straddling the 1 MiB boundary, one inside, and the start of one at the end.
        let mut bytes = vec![0u8; (1 << 20) + 100];
        bytes[(1 << 20) - 2..(1 << 20) + 2].copy_from_slice(b"PK\x01\x02");
        bytes[10..14].copy_from_slice(b"PK\x01\x02");
        bytes.extend_from_slice(b"PK\x01");
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(central_entries(&p, 10).unwrap(), 2);
        assert_eq!(central_entries(&p, 1).unwrap(), 2);
    }

    #[test]
    fn a_zip_with_more_entries_than_a_filing_has_is_refused_before_its_directory_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("SZNS_202610.zip");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
        for i in 0..=MAX_ENTRIES {
            z.start_file(format!("{i}.txt"), zip::write::SimpleFileOptions::default()).unwrap();
        }
        z.finish().unwrap();
        let r = read_package(&p, ym("2026-10"), &nanshan(), dir.path());
        assert_eq!(r.findings, [Finding::TooManyMembers { limit: MAX_ENTRIES }]);
    }

    #[test]
    fn a_package_lists_where_it_comes_from_even_when_unread() {
        let (r, registry) = unread("SZNS_202610.zip");
        assert_eq!((r.code.as_deref(), r.month), (Some("SZNS"), Some(ym("2026-10"))));
        assert!(matches!(r.findings.as_slice(), [Finding::NotAZip { .. }]), "{:?}", r.findings);
        let c = consolidate(&registry, ym("2026-10"), vec![r.clone()]);
        assert_eq!(c.lines[0].status, Status::Invalid);
        let other = consolidate(&registry, ym("2026-09"), vec![r]);
        assert_eq!(other.lines[0].status, Status::Missing, "a package of another month is left out");
        assert!(other.unattributed.is_empty());
    }

    #[test]
    fn a_package_that_says_nothing_of_whose_it_is_is_listed_apart_with_its_reason() {
        let (r, registry) = unread("junk.zip");
        assert_eq!((r.code.as_deref(), r.month), (None, None));
        let c = consolidate(&registry, ym("2026-10"), vec![r]);
        assert_eq!(c.lines.len(), 1, "no line of its own");
        assert_eq!(c.lines[0].status, Status::Missing);
        assert_eq!(c.unattributed_packages(), 1);
        assert_eq!(c.unattributed[0].package.as_deref(), Some("junk.zip"));
        assert!(matches!(c.unattributed[0].finding, Finding::NotAZip { .. }), "{:?}", c.unattributed);
        assert!(!c.complete());
    }

    #[test]
    fn the_packed_signoff_gives_the_chains_roles_and_a_hostile_configuration_a_short_reason() {
        let file = PackedFile { name: "archive/config/brokercomp.toml".into(), size: 0, sha256: String::new() };
        let listed = [&file];
        let roles = |text: &str| {
            let mut c = Checked { findings: Vec::new() };
            let r = packed_roles(
                &listed[..].iter().collect::<Vec<_>>(),
                &[(file.name.clone(), text.as_bytes().to_vec())],
                &mut c,
            );
            (r, c.findings)
        };
        let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/brokercomp.toml")).unwrap();
        let (r, f) =
            roles(&shipped.replace("\"主办会计\", \"副经理（经理助理）\", \"经理\"", "\"经理\", \"主办会计\""));
        assert_eq!((r, f), (Some(vec!["经理".to_string(), "主办会计".to_string()]), vec![]));
        // Nested past the parser's depth on one line of a megabyte: refused, in a few hundred characters.
        let deep = format!("{shipped}\nx = {}{}\n", "[".repeat(500_000), "]".repeat(500_000));
        let (r, f) = roles(&deep);
        assert_eq!(r, None);
        let [Finding::Unparsable { member, error }] = f.as_slice() else { panic!("{f:?}") };
        assert_eq!(member, "archive/config/brokercomp.toml");
        assert!(error.chars().count() <= 2 * ERROR_KEEP + 1, "{} characters", error.chars().count());
        assert!(error.starts_with("TOML parse error") && error.contains("recursion"), "{error}");
        // Not UTF-8.
        let mut c = Checked { findings: Vec::new() };
        assert_eq!(
            packed_roles(&listed[..].iter().collect::<Vec<_>>(), &[(file.name.clone(), vec![0xff, 0xfe])], &mut c),
            None
        );
        assert!(matches!(c.findings.as_slice(), [Finding::Unparsable { .. }]));
        // Larger than a record: not kept, so not read.
        let mut c = Checked { findings: Vec::new() };
        assert_eq!(packed_roles(&listed[..].iter().collect::<Vec<_>>(), &[], &mut c), None);
        assert!(matches!(&c.findings[..], [Finding::Unparsable { error, .. }] if error.contains("larger than")));
    }
}
