//! The filing package of a closed month (SPEC §4.13, article 15: 报经纪业务综合室备案): what a
//! branch sends head office, in the one format `file` writes and `consolidate` reads.
//!
//! `<organization code>_<YYYYMM>.zip` holds the month's 薪酬月报表, payroll CSV, 团队分析 (with the
//! half-year and annual ones in June and December) and the
//! review workbooks of the month if any, manifest.json, close.json, approvals.jsonl (when any),
//! the archived configuration and standard (under their archive paths, `archive/config/…` and
//! `archive/standards/…`, as close.json lists them) and `filing.json` ([`Filing`]): who the
//! branch is, the month, who closed it and when, the build, every other file of the package with
//! its size and SHA-256, and the totals as the payroll CSV gives them.
//!
//! [`pack`] takes a closed month's folder and its close record; it refuses (writing nothing) a
//! month whose packed files are not byte for byte as closed, or whose payroll does not sum to its
//! manifest's totals. The package is deterministic — members in name order, each deflated with
//! the timestamp of the close and mode 0600 of a Unix host, whatever the platform — and written
//! atomically: a temporary file beside it, renamed into place. [`payroll_sums`] re-reads a
//! payroll CSV and sums it, for `file` and for head office alike.

use std::fmt;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use super::approvals::APPROVALS_FILE;
use super::source::{CloseRecord, FileHash, CLOSE_FILE};
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::digest::sha256_file;
use crate::model::{Column, Component, Components, Metric, Metrics};
use crate::money::AMOUNT_LIMIT;
use crate::output::Temporary;
use crate::report::consolidation::{figures, Figure};
use crate::report::manifest::{Organization, Totals};
use crate::report::{FileNames, Manifest};

/// The package's own description.
pub const FILING_FILE: &str = "filing.json";
/// Where a closed month's configuration is archived (and packed).
pub const CONFIG_DIR: &str = "archive/config/";
/// Where a closed month's standard is archived (and packed).
pub const STANDARDS_DIR: &str = "archive/standards/";

/// `filing.json`: the branch, the month, the close, the build, every other file of the package
/// and the payroll's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    /// The branch's `organization` (code and name).
    pub organization: Organization,
    pub month: YearMonth,
    /// close.json's.
    pub closed_at: String,
    pub closed_by: String,
    /// The build of the tool that made the package.
    pub build: String,
    /// Every other file of the package, in name order.
    pub files: Vec<PackedFile>,
    /// The totals as the payroll CSV gives them (the sums of its columns; managers: its rows).
    pub totals: Totals,
}

/// A file of the package: its name in the package, size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

impl Filing {
    /// The text of filing.json: pretty JSON, keys in the struct's order, a final line feed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a filing always serializes") + "\n"
    }

    /// A filing from its bytes.
    ///
    /// # Errors
    /// Not UTF-8 JSON of this form (a key this build writes missing, a value of the wrong kind).
    pub fn parse(bytes: &[u8]) -> Result<Filing, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

/// The package's file name: `<code>_<YYYYMM>.zip`.
pub fn package_name(code: &str, month: YearMonth) -> String {
    format!("{code}_{}.zip", month.compact())
}

/// Why `file` wrote no package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilingError {
    /// The month cannot be filed as it is, and why.
    Refused(String),
    /// A file that cannot be read or written.
    File { path: PathBuf, message: String },
}

impl fmt::Display for FilingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilingError::Refused(why) => write!(f, "{why}"),
            FilingError::File { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for FilingError {}

fn file_err(path: &Path, e: impl fmt::Display) -> FilingError {
    FilingError::File { path: path.to_path_buf(), message: e.to_string() }
}

/// The sums of a payroll CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayrollSums {
    /// Each column summed (amounts with the payroll's decimals); `managers`: the rows.
    pub totals: Totals,
    /// The payroll's decimals; none when it has no row.
    pub scale: Option<u32>,
}

/// An amount of the payroll as brokercomp writes it: `-`, digits, `.` and digits; below the
/// amount limit.
fn amount(s: &str) -> Option<Decimal> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || (body.contains('.') && frac.is_empty()) || frac.len() > 10 {
        return None;
    }
    let v = Decimal::from_str_exact(s).ok()?;
    (v.abs() < AMOUNT_LIMIT).then_some(v)
}

/// Re-read a payroll CSV (SPEC §5 item 6: UTF-8 with BOM, the payroll's header, amounts with
/// one number of decimals) and sum every column; each row's total must be the sum of its
/// components.
///
/// # Errors
/// Where it is not a payroll brokercomp writes: the BOM, the header, a record's number of fields,
/// a count or an amount that does not parse (or is out of range), decimals that differ, a row
/// that does not foot; each with its line.
pub fn payroll_sums(input: impl Read) -> Result<PayrollSums, String> {
    let mut input = BufReader::new(input);
    let mut bom = [0u8; 3];
    input.read_exact(&mut bom).map_err(|_| "it is empty".to_string())?;
    if bom != *b"\xEF\xBB\xBF" {
        return Err("it does not begin with the UTF-8 BOM".into());
    }
    // Each record's length is compared with the header's below, with its line.
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let columns = Column::payroll();
    let mut rec = csv::StringRecord::new();
    let header = |e: csv::Error| format!("line 1: {e}");
    if !rdr.read_record(&mut rec).map_err(header)? {
        return Err("it has no header".into());
    }
    let keys: Vec<&str> = columns.iter().map(|c| c.key()).collect();
    if rec.iter().collect::<Vec<_>>() != keys {
        return Err(format!("line 1: the header is not the payroll's ({})", keys.join(",")));
    }
    let mut metrics = Metrics::default();
    let mut components = Components::default();
    let (mut total, mut managers, mut new_accounts, mut valid_accounts) = (Decimal::ZERO, 0u64, 0u64, 0u64);
    let mut scale: Option<u32> = None;
    let overflow = |line: u64| format!("line {line}: the sums are out of range");
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("{e}")),
        }
        // The record's line as an editor shows it (the header is line 1; a field holding a line
        // break, which no payroll has, would shift the count).
        let line = rec.position().map(|p| p.record() + 1).unwrap_or(0);
        if rec.len() != columns.len() {
            return Err(format!("line {line}: {} fields, the header has {}", rec.len(), columns.len()));
        }
        // A quote that never closes swallows the line ends after it, and may leave a record of
        // the right length: no field of a payroll holds a line break.
        if let Some((col, _)) = columns.iter().zip(rec.iter()).find(|(_, f)| f.contains(['\r', '\n'])) {
            return Err(format!("line {line}: {} holds a line break (a quote that never closes?)", col.key()));
        }
        let mut row = Components::default();
        let mut row_total = Decimal::ZERO;
        for (col, field) in columns.iter().zip(rec.iter()) {
            if matches!(col, Column::Identity(_)) {
                continue;
            }
            if let Column::Metric(m) = col {
                if m.is_count() {
                    let n: u64 =
                        field.parse().map_err(|_| format!("line {line}: {}: {field:?} is not a count", col.key()))?;
                    let sum = if *m == Metric::NewAccounts { &mut new_accounts } else { &mut valid_accounts };
                    *sum = sum.checked_add(n).ok_or_else(|| overflow(line))?;
                    continue;
                }
            }
            let v = amount(field).ok_or_else(|| format!("line {line}: {}: {field:?} is not an amount", col.key()))?;
            match scale {
                None => scale = Some(v.scale()),
                Some(s) if s != v.scale() => {
                    return Err(format!(
                        "line {line}: {}: {field:?} has {} decimals, the payroll's amounts {s}",
                        col.key(),
                        v.scale()
                    ))
                }
                Some(_) => {}
            }
            let sum = match col {
                Column::Metric(Metric::NetCommission) => &mut metrics.net_commission,
                Column::Metric(Metric::OtherRevenue) => &mut metrics.other_revenue,
                Column::Metric(Metric::NetRevenue) => &mut metrics.net_revenue,
                Column::Metric(Metric::NetInflow) => &mut metrics.net_inflow,
                Column::Metric(_) => &mut metrics.month_end_assets,
                Column::Component(c) => {
                    *row.get_mut(*c) = v;
                    row_total = row_total.checked_add(v).ok_or_else(|| overflow(line))?;
                    components.get_mut(*c)
                }
                _ => {
                    if v != row_total {
                        return Err(format!(
                            "line {line}: total {field} is not the sum of its components ({row_total})",
                        ));
                    }
                    &mut total
                }
            };
            *sum = sum.checked_add(v).ok_or_else(|| overflow(line))?;
        }
        managers += 1;
    }
    // The sums with the payroll's decimals (an empty payroll's are plain zeros).
    let s = scale.unwrap_or(0);
    let mut metrics_out = metrics;
    for v in [
        &mut metrics_out.net_commission,
        &mut metrics_out.other_revenue,
        &mut metrics_out.net_revenue,
        &mut metrics_out.net_inflow,
        &mut metrics_out.month_end_assets,
        &mut total,
    ] {
        v.rescale(s);
    }
    for c in Component::ALL {
        components.get_mut(c).rescale(s);
    }
    Ok(PayrollSums {
        totals: Totals { managers, metrics: metrics_out, new_accounts, valid_accounts, components, total },
        scale,
    })
}

/// The figures in which two totals differ: `(key, a's, b's)`, in the payroll's column order.
pub fn totals_differ(a: &Totals, b: &Totals) -> Vec<(&'static str, String, String)> {
    let show = |f: Figure| match f {
        Figure::Count(n) => n.to_string(),
        Figure::Amount(v) => v.to_string(),
    };
    figures(a)
        .into_iter()
        .zip(figures(b))
        .filter(|((_, x), (_, y))| x != y)
        .map(|((k, x), (_, y))| (k, show(x), show(y)))
        .collect()
}

/// A package written by [`pack`].
#[derive(Debug, Clone)]
pub struct Packed {
    pub path: PathBuf,
    pub filing: Filing,
}

/// The timestamp of every member: the close's time (`2026-11-05T08:30:00Z`), else the zip epoch.
fn member_time(closed_at: &str) -> DateTime {
    let num = |r: std::ops::Range<usize>| closed_at.get(r).and_then(|s| s.parse::<u16>().ok());
    let parts = (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16), num(17..19));
    if let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = parts {
        if let Ok(t) = DateTime::from_date_and_time(y, mo as u8, d as u8, h as u8, mi as u8, s as u8) {
            return t;
        }
    }
    DateTime::default()
}

/// Pack the closed month in `dir` (its record `record`, its own configuration `cfg`: the
/// archived one) into `to/<code>_<YYYYMM>.zip`.
///
/// # Errors
/// [`FilingError::Refused`]: a packed file that is not as close.json records it, a month without
/// its report or payroll, a payroll that does not parse or whose sums are not the manifest's;
/// [`FilingError::File`]: a file that cannot be read, a package that cannot be written (no
/// package is left half written).
pub fn pack(cfg: &Config, dir: &Path, record: &CloseRecord, to: &Path) -> Result<Packed, FilingError> {
    let month = record.month;
    let manifest = Manifest::read(&dir.join(Manifest::FILE)).map_err(|e| FilingError::Refused(e.to_string()))?;
    let names = FileNames::new(cfg.report.locale, month);
    let listed = |name: &str| manifest.outputs.iter().any(|o| o.file == name);
    for required in [&names.report, &names.payroll] {
        if !listed(required) {
            return Err(FilingError::Refused(format!("{month}'s manifest.json lists no {required}: nothing to file")));
        }
    }
    let mut members: Vec<String> = [
        Some(names.report.clone()),
        Some(names.payroll.clone()),
        Some(names.team),
        names.half_year,
        names.year,
        names.quarterly,
        names.annual,
    ]
    .into_iter()
    .flatten()
    .filter(|n| listed(n))
    .collect();
    members.push(Manifest::FILE.into());
    members.push(CLOSE_FILE.into());
    if dir.join(APPROVALS_FILE).is_file() {
        members.push(APPROVALS_FILE.into());
    }
    for prefix in [CONFIG_DIR, STANDARDS_DIR] {
        let archived: Vec<&FileHash> = record.archived.iter().filter(|f| f.file.starts_with(prefix)).collect();
        match archived.as_slice() {
            [one] => members.push(one.file.clone()),
            _ => {
                return Err(FilingError::Refused(format!(
                    "{month}'s close.json does not list exactly one archived file under {prefix}"
                )))
            }
        }
    }
    members.sort();

    // Every file as closed (close.json records each but itself and approvals.jsonl, which the
    // chain's signatures vouch for).
    let mut files = Vec::new();
    for name in &members {
        let path = dir.join(name);
        let (sha256, size) = sha256_file(&path).map_err(|e| file_err(&path, e))?;
        if name != CLOSE_FILE && name != APPROVALS_FILE {
            let recorded = record.outputs.iter().chain(&record.archived).find(|f| &f.file == name);
            if recorded.is_none_or(|f| f.sha256 != sha256) {
                return Err(FilingError::Refused(format!(
                    "{month}: {name} is not as it was closed (its SHA-256 is not close.json's): restore the month's files from a backup"
                )));
            }
        }
        files.push(PackedFile { name: name.clone(), size, sha256 });
    }
    let payroll_path = dir.join(&names.payroll);
    let f = std::fs::File::open(&payroll_path).map_err(|e| file_err(&payroll_path, e))?;
    let sums = payroll_sums(f).map_err(|e| FilingError::Refused(format!("{}: {e}", names.payroll)))?;
    let differ = totals_differ(&sums.totals, &manifest.totals);
    if !differ.is_empty() {
        let shown: Vec<String> = differ.iter().map(|(k, p, m)| format!("{k}: payroll {p}, manifest {m}")).collect();
        return Err(FilingError::Refused(format!(
            "{month}: the payroll CSV does not sum to manifest.json's totals: {}",
            shown.join("; ")
        )));
    }
    let filing = Filing {
        organization: Organization { code: cfg.organization.code.clone(), name: cfg.organization.name.clone() },
        month,
        closed_at: record.closed_at.clone(),
        closed_by: record.closed_by.clone(),
        build: crate::BUILD.to_string(),
        files,
        totals: sums.totals,
    };
    let path = write_zip(dir, &filing, &members, to)?;
    Ok(Packed { path, filing })
}

/// Write the package: `members` (files of `dir`, in name order) and filing.json, in name order,
/// into a temporary file in `to`, then renamed to its name.
fn write_zip(dir: &Path, filing: &Filing, members: &[String], to: &Path) -> Result<PathBuf, FilingError> {
    std::fs::create_dir_all(to).map_err(|e| file_err(to, e))?;
    let name = package_name(&filing.organization.code, filing.month);
    let dest = to.join(&name);
    let mut tmp = Temporary::new_in(to, &format!(".{name}.")).map_err(|e| file_err(to, e))?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(member_time(&filing.closed_at))
        .unix_permissions(0o600)
        .system(System::Unix);
    let mut all: Vec<&str> = members.iter().map(String::as_str).chain([FILING_FILE]).collect();
    all.sort_unstable();
    let json = filing.to_json();
    let zerr = |e: &dyn fmt::Display| file_err(&dest, e);
    let mut zip = ZipWriter::new(tmp.file());
    for member in all {
        zip.start_file(member, options).map_err(|e| zerr(&e))?;
        if member == FILING_FILE {
            zip.write_all(json.as_bytes()).map_err(|e| zerr(&e))?;
        } else {
            let path = dir.join(member);
            let mut f = std::fs::File::open(&path).map_err(|e| file_err(&path, e))?;
            std::io::copy(&mut f, &mut zip).map_err(|e| file_err(&path, e))?;
        }
    }
    zip.finish().map_err(|e| zerr(&e))?;
    tmp.commit(&dest).map_err(|e| zerr(&e))?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    const HEADER: &str = "manager_id,name,team,group,level,employment,net_commission,other_revenue,net_revenue,net_inflow,month_end_assets,new_accounts,valid_accounts,base_salary,minimum_penalty,net_commission_pay,other_revenue_pay,account_bonus,asset_bonus,leader_override,cap_deduction,adjustments,clawback,prior_period,total";

    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut s = format!("\u{feff}{HEADER}\r\n");
        for r in rows {
            s.push_str(r);
            s.push_str("\r\n");
        }
        s.into_bytes()
    }

    const A: &str = "8001,杨建华,天琪团队,一组,L2,employee,5761.29,943.32,6704.60,-757709.75,14854883.62,1,1,5000.00,0.00,1152.26,94.33,100.00,0.00,94.28,0.00,0.00,0.00,0.00,6440.87";
    const B: &str = "8007,\"'-朱明\",天琪团队,一组,L2,employee,9428.28,792.43,10220.71,-455135.18,29129537.33,2,0,5000.00,-100.00,1885.66,79.24,0.00,0.00,0.00,0.00,0.00,0.00,0.00,6864.90";

    #[test]
    fn a_payroll_sums_column_by_column_with_its_decimals() {
        let s = payroll_sums(&csv(&[A, B])[..]).unwrap();
        let t = &s.totals;
        assert_eq!(s.scale, Some(2));
        assert_eq!((t.managers, t.new_accounts, t.valid_accounts), (2, 3, 1));
        assert_eq!(t.metrics.net_revenue, d("16925.31"));
        assert_eq!(t.metrics.net_inflow, d("-1212844.93"));
        assert_eq!(t.components.minimum_penalty.to_string(), "-100.00");
        assert_eq!(t.components.clawback.to_string(), "0.00");
        assert_eq!(t.total, d("13305.77"));
        let empty = payroll_sums(&csv(&[])[..]).unwrap();
        assert_eq!((empty.totals.managers, empty.scale, empty.totals.total), (0, None, Decimal::ZERO));
    }

    #[test]
    fn a_payroll_that_is_not_one_is_refused_with_its_line() {
        let refused = |bytes: Vec<u8>, words: &str| {
            let e = payroll_sums(&bytes[..]).unwrap_err();
            assert!(e.contains(words), "{words:?} in {e}");
        };
        refused(csv(&[A])[3..].to_vec(), "BOM");
        refused(Vec::new(), "empty");
        refused(
            String::from_utf8(csv(&[A])).unwrap().replacen("manager_id", "工号", 1).into_bytes(),
            "line 1: the header",
        );
        refused(csv(&[A, &B.replace(",6864.90", ",6864.91")]), "line 3: total 6864.91 is not the sum");
        refused(
            csv(&[&A.replace("943.32", "943.3")]),
            "line 2: other_revenue: \"943.3\" has 1 decimals, the payroll's amounts 2",
        );
        refused(csv(&[&A.replace(",1,1,", ",1,-1,")]), "valid_accounts: \"-1\" is not a count");
        refused(csv(&[&A.replace("5761.29", "5.76129e3")]), "is not an amount");
        refused(csv(&[&A.replace("5761.29", "1000000000000000.00")]), "is not an amount");
        refused(csv(&[&A.replace(",6440.87", "")]), "line 2: 24 fields");
        // A quote that never closes reads on to the next quote: here a record of the right length.
        refused(csv(&[&A.replace("杨建华", "\"杨建华"), B]), "line 2: name holds a line break");
        refused(csv(&[&A.replace("杨建华", "\"杨建华")]), "line 2: 2 fields");
    }

    #[test]
    fn totals_that_differ_are_named_by_key() {
        let a = payroll_sums(&csv(&[A])[..]).unwrap().totals;
        let mut b = a.clone();
        assert!(totals_differ(&a, &b).is_empty());
        b.components.base_salary = d("5000.01");
        b.managers = 3;
        let keys: Vec<&str> = totals_differ(&a, &b).into_iter().map(|(k, _, _)| k).collect();
        assert_eq!(keys, ["managers", "base_salary"]);
    }

    #[test]
    fn a_member_carries_the_time_of_the_close() {
        let t = member_time("2026-11-05T08:30:12Z");
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()), (2026, 11, 5, 8, 30, 12));
        assert_eq!(member_time("yesterday"), DateTime::default());
        assert_eq!(package_name("SZNS", crate::testing::ym("2026-10")), "SZNS_202610.zip");
    }
}
