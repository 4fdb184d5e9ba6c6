//! A month's inputs, read and checked together (SPEC §2 and §7).
//!
//! Takes the month folder; gives [`MonthInput`]: every row of every file with its location and
//! whether it is accepted, the issues of 数据异常, the per-file counts and the crm
//! reconciliation figures. A row is rejected for a bad or missing value, as a duplicate, for
//! shares above 100% or client-level fields that disagree, or for a manager not active in the
//! month; nothing is dropped without an [`Issue`].

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::table::{read_table, FileCounts, RowCells};
use super::values::{self, raw};
use super::{accounts as A, adjustments as J, crm as C, roster as R, scores as S};
use super::{Issue, Kind, Severity};
use crate::calendar::{Date, YearMonth};
use crate::config::Config;
use crate::error::FileError;

/// One input file of the month.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub kind: Kind,
    pub path: PathBuf,
    /// Path relative to the data folder, with `/`.
    pub label: String,
    pub sheet: String,
    /// The header of each field of the kind in this file (the field name when absent).
    pub headers: Vec<String>,
    pub size: u64,
    pub sha256: String,
    pub counts: FileCounts,
    pub accepted: u64,
    pub rejected: u64,
}

/// 开发 or 服务.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Development,
    Service,
}

/// A crm row. Client-level values are kept even on rejected rows (for the reconciliation).
#[derive(Debug, Clone)]
pub struct CrmRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    pub client_id: Option<String>,
    pub client_name: String,
    pub manager_id: Option<String>,
    pub relation: Option<Relation>,
    pub share: Option<Decimal>,
    pub month_end_assets: Option<Decimal>,
    pub avg_daily_assets: Option<Decimal>,
    pub net_inflow: Option<Decimal>,
    pub trade_volume: Option<Decimal>,
    pub net_commission: Option<Decimal>,
    pub other_revenue: Option<Decimal>,
}

/// What an account row turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Rejected,
    /// The client had an accepted account in an earlier month: not new.
    Returning(YearMonth),
    New,
}

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub file: u16,
    pub row: u32,
    pub status: AccountStatus,
    pub client_id: String,
    pub client_name: String,
    pub open_date: Option<Date>,
    pub account_type: String,
    pub manager_id: String,
    pub outlet: String,
    pub first_deposit: Decimal,
}

/// 用工性质.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Employment {
    Employee,
    PartTime,
}

impl Employment {
    pub fn code(self) -> &'static str {
        match self {
            Employment::Employee => "employee",
            Employment::PartTime => "part_time",
        }
    }
}

/// Who a manager is, as the roster of the month says (人员名册). Carried unchanged into the
/// computed month and the history.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    pub manager_id: String,
    pub name: String,
    pub team: String,
    pub group: Option<String>,
    pub outlet: Option<String>,
    pub employment: Employment,
    pub hire_date: Date,
    pub regular_date: Option<Date>,
    pub leave_date: Option<Date>,
    /// 组长.
    pub leader: bool,
}

#[derive(Debug, Clone)]
pub struct RosterRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    /// Accepted and employed on at least one day of the month.
    pub active: bool,
    pub person: Person,
    /// The level cell as written (code or label); resolved against the standard in compute.
    pub level: String,
}

#[derive(Debug, Clone)]
pub struct AdjustmentRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    pub manager_id: String,
    pub amount: Decimal,
    pub category: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    pub manager_id: String,
    pub score: Decimal,
}

/// One crm money field's reconciliation: file total = credited + unattributed + rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoneyRecon {
    pub file_total: Decimal,
    pub credited: Decimal,
    pub unattributed: Decimal,
    pub rejected: Decimal,
}

/// Everything read for one month.
#[derive(Debug, Clone)]
pub struct MonthInput {
    pub month: YearMonth,
    pub files: Vec<InputFile>,
    pub crm: Vec<CrmRow>,
    pub accounts: Vec<AccountRow>,
    pub roster: Vec<RosterRow>,
    pub adjustments: Vec<AdjustmentRow>,
    pub scores: Vec<ScoreRow>,
    pub issues: Vec<Issue>,
    /// Month-end assets of clients with accepted crm rows (client-level figure).
    pub client_assets: HashMap<String, Decimal>,
    /// net_commission, other_revenue, net_inflow.
    pub crm_recon: [MoneyRecon; 3],
    /// Files of the month folder that were not read, with the reason (listed in 数据异常).
    pub unread: Vec<(String, Unread)>,
    /// Time spent reading and parsing the files (the rest of ingestion is checking).
    pub read_time: std::time::Duration,
}

impl MonthInput {
    /// Row-level exceptions (not information).
    pub fn exception_count(&self) -> usize {
        self.issues.iter().filter(|i| i.severity == Severity::Exception).count()
    }
    pub fn active_roster(&self) -> impl Iterator<Item = &RosterRow> {
        self.roster.iter().filter(|r| r.active)
    }
}

/// Case-insensitive wildcard match (`*` any run, `?` one character) on a file name.
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let (mut pi, mut ni, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

const INPUT_EXTENSIONS: [&str; 7] = ["xlsx", "xlsm", "xls", "ods", "csv", "txt", "xlsb"];

/// A file of the month folder that is not read, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Its name matches the patterns of no input kind.
    NoPattern,
    /// Its extension is not one of a spreadsheet or text file.
    NotSpreadsheet,
    /// A folder inside the month folder.
    Folder,
}

/// The files of a month folder: those of each kind in name order, and those not read.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub by_kind: BTreeMap<Kind, Vec<PathBuf>>,
    /// Names (relative to the data folder) of files not read, with the reason.
    pub unread: Vec<(String, Unread)>,
}

impl Found {
    pub fn paths(&self, kind: Kind) -> &[PathBuf] {
        self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Find the files of each kind in a month folder. Hidden files and Office lock files (`~$…`)
/// are skipped; every other file that is not read is listed in [`Found::unread`].
///
/// # Errors
/// A missing folder, a file matching two kinds, or a required kind without a file.
pub fn discover(config: &Config, data_dir: &Path, month: YearMonth) -> Result<Found, FileError> {
    let dir = data_dir.join(month.to_string());
    let label = month.to_string();
    let entries = std::fs::read_dir(&dir).map_err(|e| FileError {
        file: dir.display().to_string(),
        sheet: None,
        message: format!("no input folder for {month}: {e}"),
    })?;
    let mut names: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| !n.starts_with('.') && !n.starts_with("~$"))
        .collect();
    names.sort();
    let mut found = Found::default();
    for (name, path) in &names {
        // What the entry is, following symbolic links: a linked file is read like any file.
        let meta = std::fs::metadata(path);
        if meta.is_err() {
            // A link that points nowhere (or an entry that cannot be examined): never skipped.
            return Err(FileError {
                file: format!("{label}/{name}"),
                sheet: None,
                message: super::source::not_a_file(path).unwrap_or_else(|| "cannot be read".into()),
            });
        }
        let is_file = meta.as_ref().is_ok_and(std::fs::Metadata::is_file);
        if meta.as_ref().is_ok_and(std::fs::Metadata::is_dir) {
            found.unread.push((format!("{label}/{name}"), Unread::Folder));
            continue;
        }
        let spreadsheet =
            Path::new(name).extension().is_some_and(|x| INPUT_EXTENSIONS.iter().any(|e| x.eq_ignore_ascii_case(e)));
        if !spreadsheet {
            found.unread.push((format!("{label}/{name}"), Unread::NotSpreadsheet));
            continue;
        }
        let kinds: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| config.inputs[k].patterns.iter().any(|p| matches_pattern(p, name)))
            .collect();
        if kinds.len() > 1 {
            let ks: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
            return Err(FileError {
                file: format!("{label}/{name}"),
                sheet: None,
                message: format!(
                    "the name matches the patterns of several kinds ({}); rename it or change [inputs] patterns",
                    ks.join(", ")
                ),
            });
        }
        match kinds.first() {
            Some(_) if !is_file => {
                return Err(FileError {
                    file: format!("{label}/{name}"),
                    sheet: None,
                    message: super::source::not_a_file(path).unwrap_or_else(|| "not a regular file".into()),
                });
            }
            Some(k) => found.by_kind.entry(*k).or_default().push(path.clone()),
            None => found.unread.push((format!("{label}/{name}"), Unread::NoPattern)),
        }
    }
    for k in Kind::ALL.into_iter().filter(|k| k.required()) {
        if !found.by_kind.contains_key(&k) {
            let listed: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
            return Err(FileError {
                file: format!("{label}/"),
                sheet: None,
                message: format!(
                    "no {k} file (patterns {}); found: {}",
                    config.inputs[&k].patterns.join(", "),
                    if listed.is_empty() { "no file".to_string() } else { listed.join(", ") }
                ),
            });
        }
    }
    Ok(found)
}

/// Collects the issues of a row while its cells are parsed.
struct RowParse<'a, 'c> {
    cells: &'a RowCells<'c>,
    kind: Kind,
    file: &'a str,
    sheet: &'a str,
    row: u32,
    issues: &'a mut Vec<Issue>,
    ok: bool,
}

impl<'a, 'c> RowParse<'a, 'c> {
    /// Start parsing a row; a problem of the whole row (too many fields, a stray quote) makes
    /// it an exception before any cell is read.
    fn new(
        cells: &'a RowCells<'c>,
        kind: Kind,
        file: &'a str,
        sheet: &'a str,
        row: u32,
        issues: &'a mut Vec<Issue>,
    ) -> Self {
        let mut p = RowParse { cells, kind, file, sheet, row, issues, ok: true };
        if let Some(problem) = &cells.problem {
            p.issues.push(Issue {
                severity: Severity::Exception,
                kind,
                file: file.to_string(),
                sheet: sheet.to_string(),
                row,
                column: String::new(),
                raw: problem.raw.clone(),
                reason: problem.reason.clone(),
            });
            p.ok = false;
        }
        p
    }

    fn fail(&mut self, field: usize, reason: String) {
        let f = self.kind.fields();
        self.issues.push(Issue {
            severity: Severity::Exception,
            kind: self.kind,
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            row: self.row,
            column: self.cells.header(field, f),
            raw: raw(self.cells.get(field)),
            reason,
        });
        self.ok = false;
    }
    fn missing(&mut self, field: usize) {
        let name = self.kind.fields()[field].name;
        self.fail(field, format!("missing required value ({name})"));
    }
    fn text(&mut self, field: usize) -> Option<String> {
        match values::text(self.cells.get(field)) {
            Ok(v) => v,
            Err(e) => {
                self.fail(field, e);
                None
            }
        }
    }
    fn req_text(&mut self, field: usize) -> Option<String> {
        let v = self.text(field);
        if v.is_none() && self.ok_cell(field) {
            self.missing(field);
        }
        v
    }
    /// The cell is empty (not an error cell already reported).
    fn ok_cell(&self, field: usize) -> bool {
        values::is_blank(self.cells.get(field))
    }
    fn money(&mut self, field: usize) -> Option<Decimal> {
        match values::money(self.cells.get(field), self.cells.wan(field)) {
            Ok(v) => v,
            Err(e) => {
                self.fail(field, e.to_string());
                None
            }
        }
    }
    fn req_money(&mut self, field: usize) -> Option<Decimal> {
        let v = self.money(field);
        if v.is_none() && self.ok_cell(field) {
            self.missing(field);
        }
        v
    }
    fn ratio(&mut self, field: usize) -> Option<Decimal> {
        match values::ratio(self.cells.get(field)) {
            Ok(v) => v,
            Err(e) => {
                self.fail(field, e);
                None
            }
        }
    }
    fn date(&mut self, field: usize) -> Option<Date> {
        match values::date(self.cells.get(field)) {
            Ok(v) => v,
            Err(e) => {
                self.fail(field, format!("unparseable date: {e}"));
                None
            }
        }
    }
    fn req_date(&mut self, field: usize) -> Option<Date> {
        let v = self.date(field);
        if v.is_none() && self.ok_cell(field) {
            self.missing(field);
        }
        v
    }
}

fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let (sha, size) = crate::digest::sha256_file(path)?;
    Ok((size, sha))
}

fn relabel(data_dir: &Path, path: &Path) -> String {
    path.strip_prefix(data_dir).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Called for each data row: (file index, file label, sheet, row number, cells, issues).
type RowParser<'a> = dyn FnMut(u16, &str, &str, u32, &RowCells<'_>, &mut Vec<Issue>) + 'a;

/// Reads the files of one kind, handing each row to `parse`.
fn read_kind(
    config: &Config,
    data_dir: &Path,
    kind: Kind,
    paths: &[PathBuf],
    files: &mut Vec<InputFile>,
    issues: &mut Vec<Issue>,
    parse: &mut RowParser<'_>,
) -> Result<std::time::Duration, FileError> {
    let started = std::time::Instant::now();
    let spec = &config.inputs[&kind];
    for path in paths {
        let label = relabel(data_dir, path);
        let idx = files.len() as u16;
        let (size, sha256) = sha256_file(path).map_err(|e| FileError {
            file: label.clone(),
            sheet: None,
            message: format!("cannot read: {e}"),
        })?;
        let mut pending_summary: Vec<(u32, String)> = Vec::new();
        // The sheet name is only known once the reader has opened the file; rows keep the
        // label and get the sheet afterwards.
        let mut row_issues: Vec<Issue> = Vec::new();
        let table = read_table(
            path,
            &label,
            kind,
            spec,
            &mut |rowno, cells| parse(idx, &label, "", rowno, cells, &mut row_issues),
            &mut |rowno, text| pending_summary.push((rowno, text)),
        )?;
        let sheet = table.sheet.clone();
        // An optional field without a column is named once, so that a misspelt header never
        // turns into silent zeros.
        for f in table.missing_optional(kind) {
            let field = &kind.fields()[f];
            issues.push(Issue {
                severity: Severity::Information,
                kind,
                file: label.clone(),
                sheet: sheet.clone(),
                row: table.counts.header_row,
                column: String::new(),
                raw: String::new(),
                reason: format!("no column for {} ({}); {}", field.name, field.aliases[0], field.when_absent()),
            });
        }
        let (counts, mapping) = (table.counts, table.mapping);
        for mut i in row_issues {
            i.sheet = sheet.clone();
            issues.push(i);
        }
        for (rowno, text) in pending_summary {
            issues.push(Issue {
                severity: Severity::Information,
                kind,
                file: label.clone(),
                sheet: sheet.clone(),
                row: rowno,
                column: String::new(),
                raw: text,
                reason: "summary row skipped".into(),
            });
        }
        let headers = kind
            .fields()
            .iter()
            .zip(&mapping.columns)
            .map(|(f, c)| c.as_ref().map(|c| c.header.clone()).unwrap_or_else(|| f.name.to_string()))
            .collect();
        files.push(InputFile {
            kind,
            path: path.clone(),
            label,
            sheet,
            headers,
            size,
            sha256,
            counts,
            accepted: 0,
            rejected: 0,
        });
    }
    Ok(started.elapsed())
}

/// A checked input row: where it is, whether it still counts, and how it is rejected.
trait Checked {
    /// Still accepted (for accounts: a new account not yet rejected).
    fn live(&self) -> bool;
    fn reject(&mut self);
    /// (file index, row number)
    fn at(&self) -> (u16, u32);
}

macro_rules! checked_by_flag {
    ($($t:ty),*) => {$(
        impl Checked for $t {
            fn live(&self) -> bool { self.accepted }
            fn reject(&mut self) { self.accepted = false }
            fn at(&self) -> (u16, u32) { (self.file, self.row) }
        }
    )*};
}
checked_by_flag!(CrmRow, RosterRow, AdjustmentRow, ScoreRow);

impl Checked for AccountRow {
    fn live(&self) -> bool {
        self.status == AccountStatus::New
    }
    fn reject(&mut self) {
        self.status = AccountStatus::Rejected
    }
    fn at(&self) -> (u16, u32) {
        (self.file, self.row)
    }
}

/// Where a row's issue is reported: its kind, the column and the raw value of that column.
struct Blame<'a, T> {
    kind: Kind,
    field: usize,
    raw: &'a dyn Fn(&T) -> String,
}

/// The later copies of a key among the rows still live, with where the first copy is; the first
/// (in file order, a month's files in name order) is kept (SPEC §7 "Duplicates"). Keys may
/// borrow from the rows: no allocation per row.
fn later_copies<'a, T: Checked, K: std::hash::Hash + Eq>(
    rows: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Vec<(usize, (u16, u32))> {
    let mut seen: HashMap<K, (u16, u32)> = HashMap::default();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.live()) {
        match seen.entry(key(r)) {
            std::collections::hash_map::Entry::Occupied(e) => out.push((i, *e.get())),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(r.at());
            }
        }
    }
    out
}

/// Reject the rows [`later_copies`] found. `what` names the duplicated thing for the message
/// ("client C001 and manager A01").
fn reject_duplicates<T: Checked>(
    rows: &mut [T],
    copies: Vec<(usize, (u16, u32))>,
    blame: Blame<'_, T>,
    what: impl Fn(&T) -> String,
    files: &[InputFile],
    issues: &mut Vec<Issue>,
) {
    for (i, first) in copies {
        let r = &mut rows[i];
        let (file, row) = r.at();
        let why = format!("duplicate: {} already on {}", what(r), place(files, file, first));
        issues.push(reject_issue(blame.kind, files, file, row, blame.field, (blame.raw)(r), why));
        r.reject();
    }
}

/// Reject the live rows whose manager is not active in the month.
fn reject_inactive<T: Checked>(
    rows: &mut [T],
    manager: impl Fn(&T) -> &str,
    blame: (Kind, usize),
    active: &HashSet<String>,
    not_active_reason: &dyn Fn(&str) -> String,
    files: &[InputFile],
    issues: &mut Vec<Issue>,
) {
    for r in rows.iter_mut().filter(|r| r.live()) {
        let m = manager(r);
        if !active.contains(m) {
            let (file, row) = r.at();
            issues.push(reject_issue(blame.0, files, file, row, blame.1, m.to_string(), not_active_reason(m)));
            r.reject();
        }
    }
}

/// "row 4", or "crm_a.csv row 4" when the first copy is in another file than `file`.
fn place(files: &[InputFile], file: u16, (first_file, row): (u16, u32)) -> String {
    if first_file == file {
        format!("row {row}")
    } else {
        format!("{} row {row}", files[first_file as usize].label)
    }
}

/// For an issue that concerns the whole row rather than one column.
const NO_COLUMN: usize = usize::MAX;

fn reject_issue(
    kind: Kind,
    files: &[InputFile],
    file: u16,
    row: u32,
    field: usize,
    raw: String,
    reason: String,
) -> Issue {
    let f = &files[file as usize];
    let column = f.headers.get(field).map(String::as_str).unwrap_or("");
    Issue {
        severity: Severity::Exception,
        kind,
        file: f.label.clone(),
        sheet: f.sheet.clone(),
        row,
        column: column.into(),
        raw,
        reason,
    }
}

/// Read and check every input of `month`.
///
/// # Errors
/// A [`FileError`] for anything that stops the month before writing (SPEC §7, file-level).
pub fn ingest_month(config: &Config, data_dir: &Path, month: YearMonth) -> Result<MonthInput, FileError> {
    let found = discover(config, data_dir, month)?;
    let mut read_time = std::time::Duration::ZERO;
    let mut files: Vec<InputFile> = Vec::new();
    let mut issues: Vec<Issue> = Vec::new();
    let paths = |k: Kind| found.paths(k);

    // --- roster first: activity decides the other kinds' rows.
    let (roster, t) = read_roster(config, data_dir, month, paths(Kind::Roster), &mut files, &mut issues)?;
    read_time += t;
    let active: HashSet<String> = roster.iter().filter(|r| r.active).map(|r| r.person.manager_id.clone()).collect();
    let on_roster: HashSet<String> =
        roster.iter().filter(|r| r.accepted).map(|r| r.person.manager_id.clone()).collect();
    let not_active_reason = |m: &str| {
        if on_roster.contains(m) {
            format!("manager {m} is not active in {month}")
        } else {
            format!("manager {m} is not on the roster of {month}")
        }
    };

    // --- crm
    let mut crm: Vec<CrmRow> = Vec::new();
    read_time += read_kind(
        config,
        data_dir,
        Kind::Crm,
        paths(Kind::Crm),
        &mut files,
        &mut issues,
        &mut |file, label, sheet, row, cells, iss| {
            let mut p = RowParse::new(cells, Kind::Crm, label, sheet, row, iss);
            let client_id = p.req_text(C::CLIENT_ID);
            let client_name = p.text(C::CLIENT_NAME).unwrap_or_default();
            let manager_id = p.req_text(C::MANAGER_ID);
            let relation = match p.text(C::RELATION) {
                None => None,
                Some(t) => match t.to_lowercase().as_str() {
                    x if x.starts_with("开发") || x.starts_with("develop") => Some(Relation::Development),
                    x if x.starts_with("服务") || x.starts_with("service") => Some(Relation::Service),
                    _ => {
                        p.fail(C::RELATION, "not 开发 or 服务".into());
                        None
                    }
                },
            };
            let share = if p.ok_cell(C::SHARE) { Some(Decimal::ONE) } else { p.ratio(C::SHARE) };
            let month_end_assets = p.req_money(C::MONTH_END_ASSETS);
            let avg_daily_assets = p.money(C::AVG_DAILY_ASSETS);
            let net_inflow = p.req_money(C::NET_INFLOW);
            let trade_volume = p.money(C::TRADE_VOLUME);
            let net_commission = p.req_money(C::NET_COMMISSION);
            let other_revenue =
                if p.ok_cell(C::OTHER_REVENUE) { Some(Decimal::ZERO) } else { p.money(C::OTHER_REVENUE) };
            let accepted = p.ok;
            crm.push(CrmRow {
                file,
                row,
                accepted,
                client_id,
                client_name,
                manager_id,
                relation,
                share,
                month_end_assets,
                avg_daily_assets,
                net_inflow,
                trade_volume,
                net_commission,
                other_revenue,
            });
        },
    )?;
    let (client_assets, crm_recon) = check_crm(&mut crm, &files, &mut issues, &active, &not_active_reason);

    // --- accounts
    let (mut accounts, t) = read_accounts(
        config,
        data_dir,
        month,
        paths(Kind::Accounts),
        &mut files,
        &mut issues,
        &active,
        &not_active_reason,
    )?;
    read_time += t;
    let earlier = earlier_account_clients(config, data_dir, month)?;
    for a in accounts.iter_mut().filter(|a| a.status == AccountStatus::New) {
        if let Some(m) = earlier.get(&a.client_id) {
            a.status = AccountStatus::Returning(*m);
            issues.push(Issue {
                severity: Severity::Information,
                ..reject_issue(
                    Kind::Accounts,
                    &files,
                    a.file,
                    a.row,
                    A::CLIENT_ID,
                    a.client_id.clone(),
                    format!("returning client: opened an account in {m}; not a new account"),
                )
            });
        }
    }

    // An account whose client is absent from the CRM export while a CRM client id equals it
    // but for leading zeros: one export lost them (the account stays not valid; say why).
    let crm_ids: HashSet<&str> = crm.iter().filter_map(|r| r.client_id.as_deref()).collect();
    let mut by_digits: HashMap<&str, &str> = HashMap::default();
    for id in crm.iter().filter_map(|r| r.client_id.as_deref()) {
        by_digits.entry(id.trim_start_matches('0')).or_insert(id);
    }
    for a in accounts.iter().filter(|a| a.status == AccountStatus::New) {
        if crm_ids.contains(a.client_id.as_str()) {
            continue;
        }
        if let Some(other) = by_digits.get(a.client_id.trim_start_matches('0')).filter(|o| !o.is_empty()) {
            issues.push(Issue {
                severity: Severity::Information,
                ..reject_issue(
                    Kind::Accounts,
                    &files,
                    a.file,
                    a.row,
                    A::CLIENT_ID,
                    a.client_id.clone(),
                    format!(
                        "client {} is not in the CRM export, but client {other} is: leading zeros lost in one of the exports? (the account is judged as absent from the CRM)",
                        a.client_id
                    ),
                )
            });
        }
    }

    // --- adjustments
    let mut adjustments: Vec<AdjustmentRow> = Vec::new();
    read_time += read_kind(
        config,
        data_dir,
        Kind::Adjustments,
        paths(Kind::Adjustments),
        &mut files,
        &mut issues,
        &mut |file, label, sheet, row, cells, iss| {
            let mut p = RowParse::new(cells, Kind::Adjustments, label, sheet, row, iss);
            let manager_id = p.req_text(J::MANAGER_ID);
            let amount = p.req_money(J::AMOUNT);
            let category = p.text(J::CATEGORY).unwrap_or_default();
            let reason = p.text(J::REASON).unwrap_or_default();
            let accepted = p.ok;
            adjustments.push(AdjustmentRow {
                file,
                row,
                accepted,
                manager_id: manager_id.unwrap_or_default(),
                amount: amount.unwrap_or_default(),
                category,
                reason,
            });
        },
    )?;
    let blame = (Kind::Adjustments, J::MANAGER_ID);
    reject_inactive(&mut adjustments, |a| &a.manager_id, blame, &active, &not_active_reason, &files, &mut issues);

    // --- scores
    let mut scores: Vec<ScoreRow> = Vec::new();
    read_time += read_kind(
        config,
        data_dir,
        Kind::Scores,
        paths(Kind::Scores),
        &mut files,
        &mut issues,
        &mut |file, label, sheet, row, cells, iss| {
            let mut p = RowParse::new(cells, Kind::Scores, label, sheet, row, iss);
            let manager_id = p.req_text(S::MANAGER_ID);
            let score = p.req_money(S::DUTY_SCORE);
            if let Some(s) = score {
                if s < Decimal::ZERO || s > Decimal::ONE_HUNDRED {
                    p.fail(S::DUTY_SCORE, "duty score outside 0–100".into());
                }
            }
            let accepted = p.ok;
            scores.push(ScoreRow {
                file,
                row,
                accepted,
                manager_id: manager_id.unwrap_or_default(),
                score: score.unwrap_or_default(),
            });
        },
    )?;
    let raw = |s: &ScoreRow| s.manager_id.clone();
    let blame = Blame { kind: Kind::Scores, field: S::MANAGER_ID, raw: &raw };
    let copies = later_copies(&scores, |s| s.manager_id.as_str());
    let what = |s: &ScoreRow| format!("a score of manager {}", s.manager_id);
    reject_duplicates(&mut scores, copies, blame, what, &files, &mut issues);
    let blame = (Kind::Scores, S::MANAGER_ID);
    reject_inactive(&mut scores, |s| &s.manager_id, blame, &active, &not_active_reason, &files, &mut issues);

    // --- per-file accepted / rejected
    let mut tally = |file: u16, ok: bool| {
        let f = &mut files[file as usize];
        if ok {
            f.accepted += 1
        } else {
            f.rejected += 1
        }
    };
    for r in &roster {
        tally(r.file, r.accepted);
    }
    for r in &crm {
        tally(r.file, r.accepted);
    }
    for r in &accounts {
        tally(r.file, r.status != AccountStatus::Rejected);
    }
    for r in &adjustments {
        tally(r.file, r.accepted);
    }
    for r in &scores {
        tally(r.file, r.accepted);
    }

    issues.sort_by(|a, b| (a.kind, &a.file, a.row, a.severity).cmp(&(b.kind, &b.file, b.row, b.severity)));
    Ok(MonthInput {
        month,
        files,
        crm,
        accounts,
        roster,
        adjustments,
        scores,
        issues,
        client_assets,
        crm_recon,
        unread: found.unread,
        read_time,
    })
}

/// The roster of the month, checked: parsed, duplicates rejected, activity in `month` marked.
fn read_roster(
    config: &Config,
    data_dir: &Path,
    month: YearMonth,
    paths: &[PathBuf],
    files: &mut Vec<InputFile>,
    issues: &mut Vec<Issue>,
) -> Result<(Vec<RosterRow>, std::time::Duration), FileError> {
    let mut roster: Vec<RosterRow> = Vec::new();
    let read_time =
        read_kind(config, data_dir, Kind::Roster, paths, files, issues, &mut |file, label, sheet, row, cells, iss| {
            let mut p = RowParse::new(cells, Kind::Roster, label, sheet, row, iss);
            let manager_id = p.req_text(R::MANAGER_ID);
            let name = p.req_text(R::NAME);
            let team = p.req_text(R::TEAM);
            let group = p.text(R::GROUP);
            let outlet = p.text(R::OUTLET);
            let level = p.req_text(R::LEVEL);
            let employment = match p.req_text(R::EMPLOYMENT) {
                None => None,
                Some(e) => match e.to_lowercase().as_str() {
                    "员工" | "employee" | "正式" | "正式员工" | "全职" => Some(Employment::Employee),
                    "兼职" | "part_time" | "part-time" | "兼职经纪人" | "经纪人" => {
                        Some(Employment::PartTime)
                    }
                    _ => {
                        p.fail(R::EMPLOYMENT, "not 员工/employee or 兼职/part_time".into());
                        None
                    }
                },
            };
            let hire_date = p.req_date(R::HIRE_DATE);
            let regular_date = p.date(R::REGULAR_DATE);
            let leave_date = p.date(R::LEAVE_DATE);
            let leader = match values::yes_no(cells.get(R::LEADER)) {
                Ok(v) => v.unwrap_or(false),
                Err(e) => {
                    p.fail(R::LEADER, e);
                    false
                }
            };
            let ok = p.ok;
            if let (Some(manager_id), Some(name), Some(team), Some(level), Some(employment), Some(hire_date)) =
                (manager_id, name, team, level, employment, hire_date)
            {
                let person = Person {
                    manager_id,
                    name,
                    team,
                    group,
                    outlet,
                    employment,
                    hire_date,
                    regular_date,
                    leave_date,
                    leader,
                };
                roster.push(RosterRow { file, row, accepted: ok, active: false, person, level });
            } else {
                // Kept (rejected) so that the file's counts and the reconciliation see the row.
                let person = Person {
                    manager_id: String::new(),
                    name: String::new(),
                    team: String::new(),
                    group: None,
                    outlet: None,
                    employment: Employment::Employee,
                    hire_date: month.first_day(),
                    regular_date: None,
                    leave_date: None,
                    leader: false,
                };
                roster.push(RosterRow { file, row, accepted: false, active: false, person, level: String::new() });
            }
        })?;
    let raw = |r: &RosterRow| r.person.manager_id.clone();
    let blame = Blame { kind: Kind::Roster, field: R::MANAGER_ID, raw: &raw };
    let copies = later_copies(&roster, |r| r.person.manager_id.as_str());
    reject_duplicates(&mut roster, copies, blame, |r| format!("manager {}", r.person.manager_id), files, issues);
    for r in roster.iter_mut().filter(|r| r.accepted) {
        if let Some(l) = r.person.leave_date {
            if l < r.person.hire_date {
                r.accepted = false;
                issues.push(reject_issue(
                    Kind::Roster,
                    files,
                    r.file,
                    r.row,
                    R::LEAVE_DATE,
                    l.to_string(),
                    format!("leave date {l} is before the hire date {}", r.person.hire_date),
                ));
                continue;
            }
        }
        r.active = r.person.hire_date <= month.last_day() && r.person.leave_date.is_none_or(|l| l >= month.first_day());
        if !r.active {
            let why = if r.person.hire_date > month.last_day() {
                format!("not active in {month}: hired {}", r.person.hire_date)
            } else {
                format!(
                    "not active in {month}: left {}",
                    r.person.leave_date.map(|d| d.to_string()).unwrap_or_default()
                )
            };
            issues.push(Issue {
                severity: Severity::Information,
                ..reject_issue(Kind::Roster, files, r.file, r.row, NO_COLUMN, r.person.manager_id.clone(), why)
            });
        }
    }
    Ok((roster, read_time))
}

/// The account rows of the month, checked: parsed, duplicates and rows of managers not active
/// rejected. Returning clients are marked by the caller.
#[allow(clippy::too_many_arguments)]
fn read_accounts(
    config: &Config,
    data_dir: &Path,
    month: YearMonth,
    paths: &[PathBuf],
    files: &mut Vec<InputFile>,
    issues: &mut Vec<Issue>,
    active: &HashSet<String>,
    not_active_reason: &dyn Fn(&str) -> String,
) -> Result<(Vec<AccountRow>, std::time::Duration), FileError> {
    let mut accounts: Vec<AccountRow> = Vec::new();
    let read_time = read_kind(
        config,
        data_dir,
        Kind::Accounts,
        paths,
        files,
        issues,
        &mut |file, label, sheet, row, cells, iss| {
            let mut p = RowParse::new(cells, Kind::Accounts, label, sheet, row, iss);
            let client_id = p.req_text(A::CLIENT_ID);
            let client_name = p.text(A::CLIENT_NAME).unwrap_or_default();
            let open_date = p.req_date(A::OPEN_DATE);
            let account_type = p.req_text(A::ACCOUNT_TYPE);
            let manager_id = p.req_text(A::MANAGER_ID);
            let outlet = p.text(A::OUTLET).unwrap_or_default();
            let first_deposit = p.req_money(A::FIRST_DEPOSIT);
            let status = if p.ok { AccountStatus::New } else { AccountStatus::Rejected };
            accounts.push(AccountRow {
                file,
                row,
                status,
                client_id: client_id.unwrap_or_default(),
                client_name,
                open_date,
                account_type: account_type.unwrap_or_default(),
                manager_id: manager_id.unwrap_or_default(),
                outlet,
                first_deposit: first_deposit.unwrap_or_default(),
            });
        },
    )?;
    // An account opened outside the month is not the month's (a stale or mistyped row).
    for a in accounts.iter_mut().filter(|a| a.status == AccountStatus::New) {
        if let Some(d) = a.open_date.filter(|d| !month.contains(*d)) {
            a.status = AccountStatus::Rejected;
            let why = format!("open date {d} is not in {month}");
            issues.push(reject_issue(Kind::Accounts, files, a.file, a.row, A::OPEN_DATE, d.to_string(), why));
        }
    }
    let raw = |a: &AccountRow| a.client_id.clone();
    let blame = Blame { kind: Kind::Accounts, field: A::CLIENT_ID, raw: &raw };
    let copies = later_copies(&accounts, |a| (a.client_id.as_str(), a.account_type.as_str()));
    let what = |a: &AccountRow| format!("client {} opening {}", a.client_id, a.account_type);
    reject_duplicates(&mut accounts, copies, blame, what, files, issues);
    let blame = (Kind::Accounts, A::MANAGER_ID);
    reject_inactive(&mut accounts, |a| &a.manager_id, blame, active, not_active_reason, files, issues);
    Ok((accounts, read_time))
}

/// Duplicates, client-level agreement, shares and activity for the crm rows; then the
/// reconciliation figures. Returns the month-end assets of clients with accepted rows.
fn check_crm(
    crm: &mut [CrmRow],
    files: &[InputFile],
    issues: &mut Vec<Issue>,
    active: &HashSet<String>,
    not_active_reason: &dyn Fn(&str) -> String,
) -> (HashMap<String, Decimal>, [MoneyRecon; 3]) {
    // Rows of each client, in file order.
    let mut index: HashMap<&str, usize> = HashMap::default();
    let mut clients: Vec<Vec<usize>> = Vec::new();
    for (i, r) in crm.iter().enumerate() {
        if let Some(c) = r.client_id.as_deref() {
            let n = clients.len();
            let ci = *index.entry(c).or_insert(n);
            if ci == n {
                clients.push(Vec::new());
            }
            clients[ci].push(i);
        }
    }
    drop(index);

    type Getter = fn(&CrmRow) -> Option<Decimal>;
    const CLIENT_FIELDS: [(&str, Getter); 6] = [
        ("month_end_assets", |r| r.month_end_assets),
        ("avg_daily_assets", |r| r.avg_daily_assets),
        ("net_inflow", |r| r.net_inflow),
        ("trade_volume", |r| r.trade_volume),
        ("net_commission", |r| r.net_commission),
        ("other_revenue", |r| r.other_revenue),
    ];
    const RECON: [Getter; 3] = [|r| r.net_commission, |r| r.other_revenue, |r| r.net_inflow];

    // Duplicates: the same client and manager twice (rows without a client are rejected already).
    let raw = |r: &CrmRow| r.client_id.clone().unwrap_or_default();
    let blame = Blame { kind: Kind::Crm, field: C::CLIENT_ID, raw: &raw };
    let copies = later_copies(crm, |r| (r.client_id.as_deref(), r.manager_id.as_deref()));
    let what = |r: &CrmRow| {
        format!("client {} and manager {}", r.client_id.as_deref().unwrap_or(""), r.manager_id.as_deref().unwrap_or(""))
    };
    reject_duplicates(crm, copies, blame, what, files, issues);

    for rows in &clients {
        // Client-level fields must agree on every row where they parse.
        let mut disagreement: Option<String> = None;
        for (name, get) in CLIENT_FIELDS {
            let mut first: Option<(Decimal, u32)> = None;
            for &i in rows {
                if let Some(v) = get(&crm[i]) {
                    match first {
                        None => first = Some((v, crm[i].row)),
                        Some((f, frow)) if f != v => {
                            disagreement.get_or_insert_with(|| {
                                format!("client-level {name} disagrees across the client's rows: {} on row {frow}, {} on row {}", f.normalize(), v.normalize(), crm[i].row)
                            });
                        }
                        _ => {}
                    }
                }
            }
        }
        let shares: Decimal = rows.iter().filter(|&&i| crm[i].accepted).filter_map(|&i| crm[i].share).sum();
        let reject_all = match disagreement {
            Some(d) => Some(d),
            None if shares > Decimal::ONE => Some(format!(
                "shares of the client total {}%, above 100%: all its rows rejected",
                (shares * Decimal::ONE_HUNDRED).normalize()
            )),
            None => None,
        };
        if let Some(why) = reject_all {
            for &i in rows {
                let r = &mut crm[i];
                if r.accepted {
                    r.accepted = false;
                    issues.push(reject_issue(
                        Kind::Crm,
                        files,
                        r.file,
                        r.row,
                        C::CLIENT_ID,
                        r.client_id.clone().unwrap_or_default(),
                        why.clone(),
                    ));
                }
            }
        }
    }
    // The manager's activity, row by row: a rejected row's share becomes unattributed.
    let blame = (Kind::Crm, C::MANAGER_ID);
    reject_inactive(crm, |r| r.manager_id.as_deref().unwrap_or(""), blame, active, not_active_reason, files, issues);

    let mut recon: [MoneyRecon; 3] = Default::default();
    let mut client_assets = HashMap::default();
    for rows in &clients {
        // Reconciliation: file total, credited, unattributed, rejected.
        let any_accepted = rows.iter().any(|&i| crm[i].accepted);
        let accepted_shares: Decimal = rows.iter().filter(|&&i| crm[i].accepted).filter_map(|&i| crm[i].share).sum();
        for (k, get) in RECON.iter().enumerate() {
            let Some(v) = rows.iter().find_map(|&i| get(&crm[i])) else { continue };
            recon[k].file_total += v;
            if any_accepted {
                for &i in rows.iter().filter(|&&i| crm[i].accepted) {
                    recon[k].credited += v * crm[i].share.unwrap_or(Decimal::ONE);
                }
                recon[k].unattributed += v * (Decimal::ONE - accepted_shares);
            } else {
                recon[k].rejected += v;
            }
        }
        if any_accepted {
            if let (Some(c), Some(a)) =
                (crm[rows[0]].client_id.clone(), rows.iter().find_map(|&i| crm[i].month_end_assets))
            {
                client_assets.insert(c, a);
            }
        }
    }
    (client_assets, recon)
}

/// Clients with an accepted account row in a month before `month`, with the first such month.
///
/// # Errors
/// A file-level error of an earlier month's accounts or roster.
pub fn earlier_account_clients(
    config: &Config,
    data_dir: &Path,
    month: YearMonth,
) -> Result<HashMap<String, YearMonth>, FileError> {
    let mut out: HashMap<String, YearMonth> = HashMap::default();
    let Ok(entries) = std::fs::read_dir(data_dir) else { return Ok(out) };
    let mut months: BTreeSet<YearMonth> = BTreeSet::new();
    for e in entries.filter_map(Result::ok) {
        if let Some(m) = YearMonth::parse(&e.file_name().to_string_lossy()) {
            if m < month && e.path().is_dir() {
                months.insert(m);
            }
        }
    }
    for m in months {
        for c in accepted_account_clients(config, data_dir, m)? {
            out.entry(c).or_insert(m);
        }
    }
    Ok(out)
}

/// Clients of the accepted account rows of one month (parsed, not duplicates, manager active).
fn accepted_account_clients(config: &Config, data_dir: &Path, month: YearMonth) -> Result<Vec<String>, FileError> {
    let found = discover(config, data_dir, month)?;
    let (mut files, mut issues) = (Vec::new(), Vec::new());
    let (roster, _) = read_roster(config, data_dir, month, found.paths(Kind::Roster), &mut files, &mut issues)?;
    let active: HashSet<String> = roster.iter().filter(|r| r.active).map(|r| r.person.manager_id.clone()).collect();
    let (accounts, _) =
        read_accounts(config, data_dir, month, found.paths(Kind::Accounts), &mut files, &mut issues, &active, &|_| {
            String::new()
        })?;
    Ok(accounts.into_iter().filter(|a| a.status == AccountStatus::New).map(|a| a.client_id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_case_insensitively() {
        assert!(matches_pattern("crm*", "CRM_2026-10.xlsx"));
        assert!(matches_pattern("*业绩*", "客户业绩明细.xls"));
        assert!(!matches_pattern("crm*", "my_crm.xlsx"));
        assert!(matches_pattern("a?c*", "abc.csv"));
    }
}
