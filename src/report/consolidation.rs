//! Head office's consolidation of its branches' filings (SPEC §4.13, article 15: 报经纪业务综合室备案):
//! `汇总_YYYY-MM.xlsx` and `consolidated_YYYY-MM.csv`.
//!
//! Takes a [`Consolidation`] — each registered branch in the registry's order with its status
//! (已备案, 缺失, 无效) and, when filed, the sums of its payroll CSV, then each package of a code
//! head office does not register (未登记) — and gives the two files. The workbook's 汇总 sheet has
//! one row per registered branch and the totals of the valid ones (each total the sum of the
//! figures shown above it), head office's own sign-off lines, and prints on A4 landscape one page
//! wide; its 问题 sheet lists every reason of every branch not 已备案, every 超限 and every 未登记
//! package, and every reason of a package attributed to no branch and month (无法归属). A chain's
//! names head office did not verify are marked so in 汇总, with a note under the totals. The CSV has the SPEC's header, one row per registered branch, then one per 未登记
//! package; amounts with the payroll's decimals, figures only for a branch that is 已备案.
//!
//! Every reason is a [`Finding`]: in Chinese in the workbook ([`Finding::zh`]), in English on the
//! terminal (its `Display`). Money becomes a cell's f64 only as it is written.

use std::fmt;
use std::io::Write;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::labels::{ConsolidationLabels, CONSOLIDATION, ZH};
use super::manifest::Totals;
use super::payroll::formula_safe;
use super::style::{fit, header_text, print_setup, properties, Styles, Widths};
use super::words::fill;
use crate::calendar::YearMonth;
use crate::model::{Column, Metric};
use crate::money::{to_cell, Rounding, RoundingMode};

/// The CSV's header (SPEC §4.13).
pub const CSV_HEADER: &str = "branch_code,branch_name,status,managers,net_commission,other_revenue,net_revenue,net_inflow,month_end_assets,new_accounts,valid_accounts,base_salary,minimum_penalty,net_commission_pay,other_revenue_pay,account_bonus,asset_bonus,leader_override,cap_deduction,adjustments,clawback,prior_period,total,pay_ratio,standard,standard_sha256,closed_at,approved_by";

/// The consolidation's two files for `month`: the workbook and the CSV.
pub fn file_names(month: YearMonth) -> (String, String) {
    (format!("{}_{month}.xlsx", CONSOLIDATION.file), format!("consolidated_{month}.csv"))
}

/// A branch's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 已备案: a valid package.
    Filed,
    /// 缺失: no package for the month.
    Missing,
    /// 无效: a package that fails a check, or two packages.
    Invalid,
    /// 未登记: a package whose code head office does not register.
    Unregistered,
}

impl Status {
    /// The status in Chinese, as the workbook and the CSV write it.
    pub fn word(self) -> &'static str {
        let s = &CONSOLIDATION.statuses;
        match self {
            Status::Filed => s.filed,
            Status::Missing => s.missing,
            Status::Invalid => s.invalid,
            Status::Unregistered => s.unregistered,
        }
    }
}

/// What a valid package files: the sums of its payroll CSV and who closed and signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    /// The sums of the payroll CSV's columns (managers: its rows).
    pub totals: Totals,
    /// The payroll's decimals (`rounding.scale` of the branch's standard).
    pub scale: u32,
    /// The standard applied: its name and SHA-256 (manifest.json).
    pub standard: String,
    pub standard_sha256: String,
    /// close.json's.
    pub closed_at: String,
    pub closed_by: String,
    /// The chain's names in order: the approving statements over the packed manifest, in the
    /// turn of the packed report.signoff (empty when there are none, or the chain was rejected).
    pub approved_by: Vec<String>,
    /// `approved_by` was verified against the keys head office registers for the branch; false
    /// when it registers none: the names are the statements' own, unverified.
    pub verified: bool,
}

/// A part a package must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Report,
    Payroll,
    Manifest,
    Close,
    Configuration,
    Standard,
}

/// One thing wrong with a branch's filing, or worth head office's eye (超限, 未登记).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// 缺失: no package for the month.
    NotFiled,
    /// 未登记: the package's code is not in branches.toml.
    Unregistered {
        code: String,
    },
    /// 超限: total pay ÷ net revenue above `max_pay_ratio` (`ratio` None: no net revenue).
    OverLimit {
        ratio: Option<Decimal>,
        max: Decimal,
    },
    /// The package file is larger than any filing may be.
    PackageTooLarge {
        size: u64,
        limit: u64,
    },
    /// Not a zip archive that opens.
    NotAZip {
        error: String,
    },
    /// The zip holds more directory entries than any filing has.
    TooManyMembers {
        limit: u64,
    },
    /// A member whose path is absolute or climbs out (`../`).
    PathOutside {
        member: String,
    },
    /// A member that is a symbolic link.
    Link {
        member: String,
    },
    /// A member declaring (in the zip or in filing.json) more than a member may hold.
    MemberTooLarge {
        member: String,
        size: u64,
        limit: u64,
    },
    NoFilingJson,
    /// filing.json does not parse (or is not one).
    FilingUnreadable {
        error: String,
    },
    /// Another package of the same branch and month.
    SecondPackage {
        others: Vec<String>,
    },
    /// filing.json lists a file twice.
    ListedTwice {
        member: String,
    },
    /// filing.json lists a file the package does not hold.
    MemberMissing {
        member: String,
    },
    /// The package holds a file filing.json does not list.
    MemberUnlisted {
        member: String,
    },
    /// A member's bytes are not as many as filing.json says (`actual` above `listed`: at least).
    SizeDiffers {
        member: String,
        listed: u64,
        actual: u64,
    },
    /// A member's SHA-256 is not filing.json's.
    HashDiffers {
        member: String,
    },
    /// A member that cannot be decompressed.
    MemberUnreadable {
        member: String,
        error: String,
    },
    /// The package lacks a part every filing has.
    Lacks {
        part: Part,
    },
    /// manifest.json, close.json, the payroll CSV or the archived configuration does not parse.
    Unparsable {
        member: String,
        error: String,
    },
    /// A file of the package is for another organization than filing.json.
    OtherOrganization {
        member: String,
        found: String,
        expected: String,
    },
    /// A file of the package is for another month than filing.json.
    OtherMonth {
        member: String,
        found: String,
    },
    /// A packed output that manifest.json does not list.
    NotAnOutput {
        member: String,
    },
    /// A packed output whose SHA-256 is not the one manifest.json records.
    OutputDiffers {
        member: String,
    },
    /// A packed file whose SHA-256 close.json records otherwise, or not at all.
    NotAsClosed {
        member: String,
    },
    /// The packed configuration is not the one manifest.json names.
    ConfigurationDiffers,
    /// The packed standard is not the one manifest.json names.
    StandardDiffers,
    /// filing.json says otherwise than close.json of who closed the month or when.
    ClosedDiffers {
        field: &'static str,
        filing: String,
        close: String,
    },
    /// A sum of the payroll CSV is not what `record` (filing.json or manifest.json) says.
    TotalsDiffer {
        record: &'static str,
        key: &'static str,
        payroll: String,
        recorded: String,
    },
    /// Head office registers signers for the branch and the package has no approvals.jsonl.
    NoChain,
    /// The packed configuration's report.signoff leaves out roles head office registers signers
    /// for (`signoff`: its roles that sign).
    SignoffLacks {
        roles: Vec<String>,
        signoff: Vec<String>,
    },
    /// A line of approvals.jsonl that does not check out against head office's keys.
    ChainLine {
        line: usize,
        what: String,
    },
    /// Roles that have not approved the packed manifest.
    ChainIncomplete {
        missing: Vec<String>,
    },
    /// The packed manifest was rejected.
    ChainRejected {
        name: String,
        role: String,
        reason: String,
    },
    /// close.json keeps another chain than approvals.jsonl's.
    ChainNotAsClosed,
}

impl Part {
    fn zh(self) -> &'static str {
        match self {
            Part::Report => "薪酬月报表",
            Part::Payroll => "payroll CSV",
            Part::Manifest => "manifest.json",
            Part::Close => "close.json",
            Part::Configuration => "归档的配置文件（archive/config/）",
            Part::Standard => "归档的薪酬标准文件（archive/standards/）",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Part::Report => "the compensation report",
            Part::Payroll => "the payroll CSV",
            Part::Manifest => "manifest.json",
            Part::Close => "close.json",
            Part::Configuration => "the archived configuration (archive/config/)",
            Part::Standard => "the archived standard (archive/standards/)",
        }
    }
}

/// The roles of a chain in turn, or `-` when none signs.
fn chain_words(roles: &[String], sep: &str) -> String {
    if roles.is_empty() {
        "-".into()
    } else {
        roles.join(sep)
    }
}

/// A size in bytes with its MiB.
fn bytes(n: u64) -> String {
    format!("{n} bytes ({} MiB)", n >> 20)
}

impl Finding {
    /// Does this finding make the branch's package 无效 (not 超限 or 未登记, which are not
    /// about validity)?
    pub fn invalidates(&self) -> bool {
        !matches!(self, Finding::OverLimit { .. } | Finding::Unregistered { .. } | Finding::NotFiled)
    }

    /// The finding in Chinese (the workbook's 问题).
    pub fn zh(&self) -> String {
        match self {
            Finding::NotFiled => "未收到本月备案包".into(),
            Finding::Unregistered { code } => format!("机构代码 {code} 未在 branches.toml 登记"),
            Finding::OverLimit { ratio: Some(r), max } => {
                format!("超限：薪酬占净收入比 {} 高于上限 {}", percent(*r), percent(*max))
            }
            Finding::OverLimit { ratio: None, max } => {
                format!("超限：净收入为 0，应发合计不为 0（上限 {}）", percent(*max))
            }
            Finding::PackageTooLarge { size, limit } => {
                format!("备案包 {size} 字节，超过 {} MiB 上限", limit >> 20)
            }
            Finding::NotAZip { error } => format!("不是可以打开的 zip 文件（{error}）"),
            Finding::TooManyMembers { limit } => format!("zip 目录条目超过 {limit} 个上限"),
            Finding::PathOutside { member } => format!("成员 {member:?} 的路径为绝对路径或越出备案包（../）"),
            Finding::Link { member } => format!("成员 {member:?} 是符号链接"),
            Finding::MemberTooLarge { member, size, limit } => {
                format!("成员 {member:?} 声明大小 {size} 字节，超过 {} MiB 上限", limit >> 20)
            }
            Finding::NoFilingJson => "备案包中没有 filing.json".into(),
            Finding::FilingUnreadable { error } => format!("filing.json 无法解析（{error}）"),
            Finding::SecondPackage { others } => {
                format!("同一营业部同一月份另有备案包 {}：两个均无效", others.join("、"))
            }
            Finding::ListedTwice { member } => format!("filing.json 重复列出 {member}"),
            Finding::MemberMissing { member } => format!("filing.json 列出的 {member} 不在备案包中"),
            Finding::MemberUnlisted { member } => format!("备案包中的 {member:?} 未列入 filing.json"),
            Finding::SizeDiffers { member, listed, actual } if actual > listed => {
                format!("{member} 的大小超过 filing.json 记录的 {listed} 字节")
            }
            Finding::SizeDiffers { member, listed, actual } => {
                format!("{member} 的大小为 {actual} 字节，filing.json 记录为 {listed} 字节")
            }
            Finding::HashDiffers { member } => {
                format!("{member} 的 SHA-256 与 filing.json 记录的不同：文件在备案后被改动")
            }
            Finding::MemberUnreadable { member, error } => format!("{member} 无法解压（{error}）"),
            Finding::Lacks { part } => format!("备案包缺少{}", part.zh()),
            Finding::Unparsable { member, error } => format!("{member} 无法解析（{error}）"),
            Finding::OtherOrganization { member, found, expected } => {
                format!("{member} 的机构代码为 {found}，filing.json 为 {expected}")
            }
            Finding::OtherMonth { member, found } => format!("{member} 的月份为 {found}，与 filing.json 不符"),
            Finding::NotAnOutput { member } => format!("{member} 不是 manifest.json 列出的输出文件"),
            Finding::OutputDiffers { member } => {
                format!("{member} 的 SHA-256 与 manifest.json 记录的不同：不是该月生成的文件")
            }
            Finding::NotAsClosed { member } => {
                format!("{member} 与 close.json 记录的 SHA-256 不同（或未记录）：不是结账时的文件")
            }
            Finding::ConfigurationDiffers => "归档的配置文件与 manifest.json 记录的 SHA-256 不同".into(),
            Finding::StandardDiffers => "归档的薪酬标准文件与 manifest.json 记录的 SHA-256 不同".into(),
            Finding::ClosedDiffers { field, filing, close } => {
                format!("filing.json 的 {field} 为 {filing}，close.json 为 {close}")
            }
            Finding::TotalsDiffer { record, key, payroll, recorded } => {
                format!("payroll CSV 的 {key} 合计为 {payroll}，{record} 记录为 {recorded}")
            }
            Finding::NoChain => "总部为该营业部登记了签字人，但备案包中没有 approvals.jsonl（签字链）".into(),
            Finding::SignoffLacks { roles, signoff } => format!(
                "归档配置文件的签字链（report.signoff：{}）缺少总部为该营业部登记了签字人的角色 {}",
                chain_words(signoff, " → "),
                roles.join("、")
            ),
            Finding::ChainLine { line, what } => {
                format!("签字链 approvals.jsonl 第 {line} 行不能以总部登记的公钥验证：{what}")
            }
            Finding::ChainIncomplete { missing } => {
                format!("签字链不完整：{} 未审核通过所备案的 manifest.json", missing.join("、"))
            }
            Finding::ChainRejected { name, role, reason } => {
                format!("所备案的 manifest.json 已被 {name}（{role}）驳回：{reason}")
            }
            Finding::ChainNotAsClosed => "close.json 保存的签字链与 approvals.jsonl 的不同".into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::NotFiled => write!(f, "no package for the month"),
            Finding::Unregistered { code } => write!(f, "code {code} is not registered in branches.toml"),
            Finding::OverLimit { ratio: Some(r), max } => {
                write!(f, "over the limit: total pay ÷ net revenue {} above {}", percent(*r), percent(*max))
            }
            Finding::OverLimit { ratio: None, max } => {
                write!(f, "over the limit: pay with no net revenue (limit {})", percent(*max))
            }
            Finding::PackageTooLarge { size, limit } => {
                write!(f, "the package is {}, above the limit of {}", bytes(*size), bytes(*limit))
            }
            Finding::NotAZip { error } => write!(f, "not a zip archive that opens ({error})"),
            Finding::TooManyMembers { limit } => write!(f, "the zip directory holds more than {limit} entries"),
            Finding::PathOutside { member } => write!(f, "member {member:?} is absolute or climbs out (../)"),
            Finding::Link { member } => write!(f, "member {member:?} is a symbolic link"),
            Finding::MemberTooLarge { member, size, limit } => {
                write!(f, "member {member:?} declares {}, more than {}", bytes(*size), bytes(*limit))
            }
            Finding::NoFilingJson => write!(f, "the package has no filing.json"),
            Finding::FilingUnreadable { error } => write!(f, "filing.json does not parse ({error})"),
            Finding::SecondPackage { others } => {
                write!(f, "another package of the same branch and month: {} (both are invalid)", others.join(", "))
            }
            Finding::ListedTwice { member } => write!(f, "filing.json lists {member} twice"),
            Finding::MemberMissing { member } => write!(f, "{member} is listed in filing.json but not in the package"),
            Finding::MemberUnlisted { member } => write!(f, "{member:?} is in the package but not in filing.json"),
            Finding::SizeDiffers { member, listed, actual } if actual > listed => {
                write!(f, "{member} holds more than the {listed} bytes filing.json lists")
            }
            Finding::SizeDiffers { member, listed, actual } => {
                write!(f, "{member} holds {actual} bytes, filing.json lists {listed}")
            }
            Finding::HashDiffers { member } => {
                write!(f, "{member}: its SHA-256 is not filing.json's (altered after filing)")
            }
            Finding::MemberUnreadable { member, error } => write!(f, "{member} cannot be decompressed ({error})"),
            Finding::Lacks { part } => write!(f, "the package lacks {}", part.en()),
            Finding::Unparsable { member, error } => write!(f, "{member} does not parse ({error})"),
            Finding::OtherOrganization { member, found, expected } => {
                write!(f, "{member} is for organization {found}, filing.json for {expected}")
            }
            Finding::OtherMonth { member, found } => write!(f, "{member} is for {found}, not filing.json's month"),
            Finding::NotAnOutput { member } => write!(f, "{member} is not an output manifest.json lists"),
            Finding::OutputDiffers { member } => {
                write!(f, "{member}: its SHA-256 is not the one manifest.json records")
            }
            Finding::NotAsClosed { member } => {
                write!(f, "{member}: its SHA-256 is not the one close.json records (or none is)")
            }
            Finding::ConfigurationDiffers => {
                write!(f, "the archived configuration is not the one manifest.json names (SHA-256)")
            }
            Finding::StandardDiffers => write!(f, "the archived standard is not the one manifest.json names (SHA-256)"),
            Finding::ClosedDiffers { field, filing, close } => {
                write!(f, "filing.json's {field} is {filing}, close.json's {close}")
            }
            Finding::TotalsDiffer { record, key, payroll, recorded } => {
                write!(f, "the payroll CSV's {key} sums to {payroll}, {record} says {recorded}")
            }
            Finding::NoChain => {
                write!(f, "head office registers signers for the branch, but the package has no approvals.jsonl")
            }
            Finding::SignoffLacks { roles, signoff } => write!(
                f,
                "the archived configuration's sign-off chain (report.signoff: {}) leaves out {}, for which head office registers signers",
                chain_words(signoff, " → "),
                roles.join(", ")
            ),
            Finding::ChainLine { line, what } => {
                write!(f, "approvals.jsonl line {line} does not verify against head office's keys: {what}")
            }
            Finding::ChainIncomplete { missing } => {
                write!(
                    f,
                    "the sign-off chain is incomplete: {} did not approve the packed manifest",
                    missing.join(", ")
                )
            }
            Finding::ChainRejected { name, role, reason } => {
                write!(f, "the packed manifest was rejected by {name} ({role}): {reason}")
            }
            Finding::ChainNotAsClosed => write!(f, "close.json keeps another chain than approvals.jsonl"),
        }
    }
}

/// A finding and the package it is about (none: the branch as a whole, e.g. 缺失).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub package: Option<String>,
    pub finding: Finding,
}

/// One row of the consolidation: a registered branch, or a package of an unregistered code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub code: String,
    pub name: String,
    pub status: Status,
    /// The filing, when 已备案.
    pub filed: Option<Filed>,
    /// Why it is not 已备案, and 超限 / 未登记 (in the order found).
    pub problems: Vec<Problem>,
}

impl Line {
    /// Above `max_pay_ratio`.
    pub fn over_limit(&self) -> bool {
        self.problems.iter().any(|p| matches!(p.finding, Finding::OverLimit { .. }))
    }
}

/// Head office's month: each registered branch, then each unregistered package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consolidation {
    pub month: YearMonth,
    /// The registered branches in the registry's order, then the 未登记 packages.
    pub lines: Vec<Line>,
    /// How many of `lines` are registered branches (they come first).
    pub registered: usize,
    /// The packages attributed to no branch and month (nothing of them reads, and their names
    /// are not `<code>_<YYYYMM>.zip`): each reason, listed in 问题 alone — no row, no status.
    pub unattributed: Vec<Problem>,
    pub max_pay_ratio: Option<Decimal>,
}

impl Consolidation {
    /// The registered branches, in the registry's order.
    pub fn branches(&self) -> &[Line] {
        &self.lines[..self.registered]
    }

    /// The packages of codes head office does not register.
    pub fn unregistered(&self) -> &[Line] {
        &self.lines[self.registered..]
    }

    /// Every registered branch is 已备案 and none is 超限 (exit 0).
    pub fn complete(&self) -> bool {
        self.branches().iter().all(|l| l.status == Status::Filed && !l.over_limit())
    }

    /// How many packages are attributed to no branch and month.
    pub fn unattributed_packages(&self) -> usize {
        let mut files: Vec<&str> = self.unattributed.iter().filter_map(|p| p.package.as_deref()).collect();
        files.dedup();
        files.len()
    }

    /// How many registered branches have `status`.
    pub fn count(&self, status: Status) -> usize {
        self.branches().iter().filter(|l| l.status == status).count()
    }

    /// The sums of the valid branches' figures (and the largest of their scales), when any.
    pub fn totals(&self) -> Option<(Totals, u32)> {
        let mut filed = self.branches().iter().filter_map(|l| l.filed.as_ref());
        let first = filed.next()?;
        let mut sum = first.totals.clone();
        let mut scale = first.scale;
        for f in filed {
            add(&mut sum, &f.totals);
            scale = scale.max(f.scale);
        }
        Some((sum, scale))
    }
}

/// Add `b` into `a`, figure by figure.
fn add(a: &mut Totals, b: &Totals) {
    a.managers += b.managers;
    a.metrics.add(&b.metrics);
    a.new_accounts += b.new_accounts;
    a.valid_accounts += b.valid_accounts;
    a.components.add(&b.components);
    a.total += b.total;
}

/// A figure of a branch's totals: a count or an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Count(u64),
    Amount(Decimal),
}

/// The figures of `t` by their payroll keys, in the payroll's column order: `managers`, the
/// metrics, every component, `total`.
pub fn figures(t: &Totals) -> Vec<(&'static str, Figure)> {
    let mut v = vec![("managers", Figure::Count(t.managers))];
    for col in Column::payroll() {
        let fig = match col {
            Column::Identity(_) => continue,
            Column::Metric(m) => match m {
                Metric::NetCommission => Figure::Amount(t.metrics.net_commission),
                Metric::OtherRevenue => Figure::Amount(t.metrics.other_revenue),
                Metric::NetRevenue => Figure::Amount(t.metrics.net_revenue),
                Metric::NetInflow => Figure::Amount(t.metrics.net_inflow),
                Metric::MonthEndAssets => Figure::Amount(t.metrics.month_end_assets),
                Metric::NewAccounts => Figure::Count(t.new_accounts),
                Metric::ValidAccounts => Figure::Count(t.valid_accounts),
            },
            Column::Component(c) => Figure::Amount(t.components.get(c)),
            Column::Total => Figure::Amount(t.total),
        };
        v.push((col.key(), fig));
    }
    v
}

/// An amount with exactly `scale` decimals, never `-0.00`.
pub fn fixed(v: Decimal, scale: u32) -> String {
    let mut r = if v.is_zero() { Decimal::ZERO } else { v };
    r.rescale(scale);
    r.to_string()
}

/// Total pay ÷ net revenue to 4 decimals, rounded half up; none when net revenue is 0.
pub fn pay_ratio(total: Decimal, net_revenue: Decimal) -> Option<Decimal> {
    if net_revenue.is_zero() {
        return None;
    }
    let r = total.checked_div(net_revenue)?;
    Some(Rounding { mode: RoundingMode::HalfUp, scale: 4 }.round(r))
}

/// Total pay above `max` × net revenue (exactly, not the rounded ratio); pay with no (or
/// negative) net revenue is above any limit.
pub fn above(total: Decimal, net_revenue: Decimal, max: Decimal) -> bool {
    if net_revenue <= Decimal::ZERO {
        return total > Decimal::ZERO;
    }
    match max.checked_mul(net_revenue) {
        Some(limit) => total > limit,
        None => false,
    }
}

/// `0.4512` → `45.12%`.
fn percent(r: Decimal) -> String {
    let mut p = r * Decimal::ONE_HUNDRED;
    p = p.normalize();
    format!("{p}%")
}

/// Write consolidated_YYYY-MM.csv: UTF-8 with BOM, the SPEC's header, a row per registered
/// branch, then per unregistered package; text fields that a spreadsheet would run get a `'`.
///
/// # Errors
/// Any I/O error of `out`.
pub fn write_csv(out: &mut dyn Write, c: &Consolidation) -> std::io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(CSV_HEADER.split(','))?;
    let width = CSV_HEADER.split(',').count();
    for line in &c.lines {
        let mut rec: Vec<String> = vec![formula_safe(&line.code), formula_safe(&line.name), line.status.word().into()];
        match &line.filed {
            Some(f) => {
                for (_, fig) in figures(&f.totals) {
                    rec.push(match fig {
                        Figure::Count(n) => n.to_string(),
                        Figure::Amount(v) => fixed(v, f.scale),
                    });
                }
                rec.push(
                    pay_ratio(f.totals.total, f.totals.metrics.net_revenue).map(|r| fixed(r, 4)).unwrap_or_default(),
                );
                rec.push(formula_safe(&f.standard));
                rec.push(formula_safe(&f.standard_sha256));
                rec.push(formula_safe(&f.closed_at));
                rec.push(formula_safe(&f.approved_by.join("/")));
            }
            None => rec.resize(width, String::new()),
        }
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

/// Write 汇总_YYYY-MM.xlsx to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write_workbook(path: &Path, c: &Consolidation) -> Result<(), XlsxError> {
    let l = &CONSOLIDATION;
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(c.month, l.title, l.branch)?);
    summary_sheet(wb.add_worksheet(), c, l, &st)?;
    problems_sheet(wb.add_worksheet(), c, l, &st)?;
    crate::output::save_workbook(&mut wb, path)
}

/// The columns of 汇总 between the status and the pay ratio: `managers` and the payroll's figures.
fn figure_labels() -> Vec<&'static str> {
    let mut v = vec![CONSOLIDATION.managers];
    for col in Column::payroll() {
        if !matches!(col, Column::Identity(_)) {
            v.push(ZH.columns.get(col));
        }
    }
    v
}

/// The formats of 汇总's rows: a branch's row is up to four lines tall (the standard's SHA-256 in
/// four groups of sixteen, the standard's name, the time of the close and the signers wrapped),
/// so that the sheet stays narrow enough to print one page wide with legible figures.
struct RowFormats {
    text: Format,
    money: Format,
    count: Format,
    ratio: Format,
    sha: Format,
}

impl RowFormats {
    fn new(st: &Styles, total: bool) -> Self {
        let center = |f: &Format| f.clone().set_align(FormatAlign::VerticalCenter);
        let text = if total { center(&st.total_text) } else { center(&st.text).set_text_wrap() };
        let ratio = if total {
            center(&st.ratio).set_bold().set_background_color(rust_xlsxwriter::Color::RGB(0xF2F2F2))
        } else {
            center(&st.ratio)
        };
        RowFormats {
            money: center(if total { &st.total_money } else { &st.money }),
            count: center(if total { &st.total_count } else { &st.count }),
            ratio,
            sha: center(&st.text).set_text_wrap().set_font_size(8),
            text,
        }
    }
}

/// A branch's row height: four lines.
const FILED_ROW_HEIGHT: f64 = 48.0;
/// The SHA-256 column: sixteen hex digits a line at 8 pt.
const SHA_WIDTH: f64 = 13.0;

/// The SHA-256 as four lines of sixteen.
fn sha_lines(sha: &str) -> String {
    let chars: Vec<char> = sha.chars().collect();
    chars.chunks(16).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("\n")
}

fn summary_sheet(ws: &mut Worksheet, c: &Consolidation, l: &ConsolidationLabels, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(l.sheets.summary)?;
    let figure_names = figure_labels();
    let mut headers = vec![l.code, l.branch, l.status];
    headers.extend(&figure_names);
    let ratio_col = headers.len() as u16;
    headers.extend([l.pay_ratio, l.standard, l.standard_sha256, l.closed_at, l.closed_by, l.approved_by]);
    let sha_col = ratio_col + 2;
    let ncol = headers.len() as u16;
    let month = c.month.to_string();
    ws.merge_range(0, 0, 0, ncol - 1, &format!("{month} {}", l.title), &st.title)?;
    let limit = c.max_pay_ratio.map(percent).unwrap_or_else(|| l.no_limit.to_string());
    let counts = [Status::Filed, Status::Missing, Status::Invalid]
        .iter()
        .map(|s| format!("{}{}{}", s.word(), l.colon, c.count(*s)))
        .collect::<Vec<_>>()
        .join("    ");
    let over = c.branches().iter().filter(|b| b.over_limit()).count();
    ws.merge_range(
        1,
        0,
        1,
        ncol - 1,
        &format!(
            "{}{c0}{month}    {}{c0}{}    {counts}    {}{c0}{}    {}{c0}{over}    {}{c0}{limit}",
            l.month,
            l.registered,
            c.registered,
            Status::Unregistered.word(),
            c.unregistered().len(),
            l.over_limit,
            l.limit,
            c0 = l.colon
        ),
        &st.subtitle,
    )?;
    let mut widths = Widths::new(ncol as usize, 40);
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *h, &st.header)?;
        widths.see_header(i, h);
    }
    ws.set_row_height(2, 30)?;
    let rf = RowFormats::new(st, false);
    let mut row = 3u32;
    let first_figure = 3u16;
    for line in c.branches() {
        let status = if line.over_limit() {
            format!("{}\n（{}）", line.status.word(), l.over_limit)
        } else {
            line.status.word().to_string()
        };
        for (i, t) in [line.code.as_str(), line.name.as_str(), status.as_str()].iter().enumerate() {
            let t = fit(t);
            ws.write_string_with_format(row, i as u16, &*t, &rf.text)?;
            widths.see(i, &t);
        }
        match &line.filed {
            Some(f) => {
                ws.set_row_height(row, FILED_ROW_HEIGHT)?;
                write_figures(ws, row, first_figure, &f.totals, &rf, &mut widths)?;
                write_ratio(ws, row, ratio_col, &f.totals, &rf.ratio)?;
                let texts = [
                    (ratio_col + 1, wrap_words(&f.standard, 12)),
                    (ratio_col + 3, f.closed_at.replacen('T', "\n", 1)),
                    (ratio_col + 4, f.closed_by.clone()),
                    (ratio_col + 5, approved_cell(f, l)),
                ];
                for (col, t) in &texts {
                    let t = fit(t);
                    ws.write_string_with_format(row, *col, &*t, &rf.text)?;
                    widths.see(*col as usize, &t);
                }
                ws.write_string_with_format(row, sha_col, sha_lines(&f.standard_sha256), &rf.sha)?;
            }
            None => {
                for col in first_figure..ncol {
                    ws.write_blank(row, col, &rf.text)?;
                }
            }
        }
        row += 1;
    }
    // The totals of the valid branches: the sums of the figures shown above.
    let tf = RowFormats::new(st, true);
    ws.merge_range(row, 0, row, first_figure - 1, l.totals, &tf.text)?;
    match c.totals() {
        Some((t, _)) => {
            write_figures(ws, row, first_figure, &t, &tf, &mut widths)?;
            write_ratio(ws, row, ratio_col, &t, &tf.ratio)?;
        }
        None => {
            for col in first_figure..=ratio_col {
                ws.write_blank(row, col, &tf.text)?;
            }
        }
    }
    for col in ratio_col + 1..ncol {
        ws.write_blank(row, col, &tf.text)?;
    }
    // Names head office did not verify say so, here and in their cell.
    if c.branches().iter().filter_map(|b| b.filed.as_ref()).any(unverified) {
        ws.merge_range(row + 1, 0, row + 1, ncol - 1, l.unverified_note, &st.text)?;
    }
    row += 3;
    // Head office's own sign-off: each role with a signature line and a date line.
    let bold_right = st.bold.clone().set_align(FormatAlign::Right);
    for role in l.signoff {
        let label = fill(l.signature_of, &[("role", role)]);
        ws.merge_range(row, 0, row, 2, &format!("{label}{}", l.colon), &bold_right)?;
        ws.merge_range(row, 3, row, 6, "", &st.sign_line)?;
        ws.write_string_with_format(row, 7, format!("{}{}", l.date, l.colon), &bold_right)?;
        ws.merge_range(row, 8, row, 10, "", &st.sign_line)?;
        row += 2;
    }
    widths.apply_with(ws, 1)?;
    ws.set_column_width(sha_col, SHA_WIDTH)?;
    ws.set_freeze_panes(3, 3)?;
    print_setup(
        ws,
        &format!("&L{}&R{} {month}", header_text(l.title), header_text(l.month)),
        l.page_footer,
        Some((0, 2)),
    )?;
    Ok(())
}

/// Names of a chain head office did not verify (it registers no signers for the branch).
fn unverified(f: &Filed) -> bool {
    !f.verified && !f.approved_by.is_empty()
}

/// 汇总's 审核签字 cell: the chain's names, one a line; unverified ones marked so.
fn approved_cell(f: &Filed, l: &ConsolidationLabels) -> String {
    let names = f.approved_by.join("/\n");
    if unverified(f) {
        format!("{names}\n{}", l.unverified)
    } else {
        names
    }
}

/// Text broken into lines of at most `width` display columns (a CJK character is two), at any
/// character: a standard's name has no spaces to break at.
fn wrap_words(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = super::style::text_width(ch.encode_utf8(&mut [0u8; 4]));
        if used + w > width && used > 0 {
            out.push('\n');
            used = 0;
        }
        out.push(ch);
        used += w;
    }
    out
}

/// `managers` and the payroll's figures of `t` from column `first`.
fn write_figures(
    ws: &mut Worksheet,
    row: u32,
    first: u16,
    t: &Totals,
    rf: &RowFormats,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    for (i, (_, fig)) in figures(t).into_iter().enumerate() {
        let col = first + i as u16;
        let (v, fmt): (f64, &Format) = match fig {
            Figure::Count(n) => (n as f64, &rf.count),
            Figure::Amount(a) => (to_cell(a), &rf.money),
        };
        ws.write_number_with_format(row, col, v, fmt)?;
        widths.see_money(col as usize, v);
    }
    Ok(())
}

fn write_ratio(ws: &mut Worksheet, row: u32, col: u16, t: &Totals, fmt: &Format) -> Result<(), XlsxError> {
    match pay_ratio(t.total, t.metrics.net_revenue) {
        Some(r) => ws.write_number_with_format(row, col, to_cell(r), fmt).map(|_| ()),
        None => ws.write_blank(row, col, fmt).map(|_| ()),
    }
}

/// One line of 问题: code, branch, status, package and the problem in words (wrapped), each cut
/// to what a cell shows ([`fit`]: a package's text is untrusted).
fn problem_row(
    ws: &mut Worksheet,
    row: u32,
    cells: [&str; 5],
    (text, wrap): (&Format, &Format),
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    for (i, t) in cells.iter().enumerate() {
        let t = fit(t);
        ws.write_string_with_format(row, i as u16, &*t, if i == 4 { wrap } else { text })?;
        widths.see(i, &t);
    }
    Ok(())
}

fn problems_sheet(
    ws: &mut Worksheet,
    c: &Consolidation,
    l: &ConsolidationLabels,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(l.sheets.problems)?;
    let headers = [l.code, l.branch, l.status, l.package, l.problem];
    let mut widths = Widths::new(headers.len(), 80);
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &st.header)?;
        widths.see(i, h);
    }
    let wrap = st.text.clone().set_text_wrap();
    let mut row = 1u32;
    for line in &c.lines {
        for p in &line.problems {
            let status = if matches!(p.finding, Finding::OverLimit { .. }) { l.over_limit } else { line.status.word() };
            let package = p.package.clone().unwrap_or_default();
            let cells = [line.code.as_str(), line.name.as_str(), status, package.as_str(), &p.finding.zh()];
            problem_row(ws, row, cells, (&st.text, &wrap), &mut widths)?;
            row += 1;
        }
    }
    // The packages attributed to no branch: no code, no branch, the package and its reason.
    for p in &c.unattributed {
        let package = p.package.clone().unwrap_or_default();
        let cells = ["", "", l.unattributed, package.as_str(), &p.finding.zh()];
        problem_row(ws, row, cells, (&st.text, &wrap), &mut widths)?;
        row += 1;
    }
    if row == 1 {
        ws.merge_range(1, 0, 1, 4, l.no_problems, &st.text)?;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(
        ws,
        &format!("&L{}&R{} {}", header_text(l.title), header_text(l.month), c.month),
        l.page_footer,
        Some((0, 0)),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Components, Metrics};
    use crate::testing::{d, ym};

    fn totals(net_revenue: &str, total: &str) -> Totals {
        Totals {
            managers: 2,
            metrics: Metrics { net_revenue: d(net_revenue), ..Metrics::default() },
            new_accounts: 3,
            valid_accounts: 1,
            components: Components { base_salary: d(total), ..Components::default() },
            total: d(total),
        }
    }

    fn filed(net_revenue: &str, total: &str) -> Filed {
        Filed {
            totals: totals(net_revenue, total),
            scale: 2,
            standard: "2026年标准".into(),
            standard_sha256: "ab".repeat(32),
            closed_at: "2026-11-05T08:30:00Z".into(),
            closed_by: "张会计".into(),
            approved_by: vec!["张会计".into(), "王经理".into()],
            verified: true,
        }
    }

    fn line(code: &str, status: Status, filed: Option<Filed>, problems: Vec<Finding>) -> Line {
        Line {
            code: code.into(),
            name: format!("{code}营业部"),
            status,
            filed,
            problems: problems.into_iter().map(|finding| Problem { package: None, finding }).collect(),
        }
    }

    #[test]
    fn the_ratio_is_rounded_half_up_to_four_decimals_and_absent_without_revenue() {
        assert_eq!(pay_ratio(d("1"), d("3")), Some(d("0.3333")));
        assert_eq!(pay_ratio(d("0.45125"), d("1")), Some(d("0.4513")));
        assert_eq!(pay_ratio(d("5"), d("0")), None);
        assert!(above(d("45.01"), d("100"), d("0.45")));
        assert!(!above(d("45.00"), d("100"), d("0.45")));
        assert!(above(d("1"), d("0"), d("0.45")));
        assert!(!above(d("0"), d("0"), d("0.45")));
    }

    #[test]
    fn amounts_keep_the_payrolls_decimals_and_never_read_minus_zero() {
        assert_eq!(fixed(d("12.3"), 2), "12.30");
        assert_eq!(fixed(d("-0.00"), 2), "0.00");
        assert_eq!(fixed(d("0"), 2), "0.00");
        assert_eq!(fixed(d("0.45"), 4), "0.4500");
    }

    #[test]
    fn the_csv_fills_figures_only_for_a_filed_branch_and_quotes_what_a_spreadsheet_would_run() {
        let c = Consolidation {
            month: ym("2026-10"),
            lines: vec![
                line("SZNS", Status::Filed, Some(filed("1000.00", "450.00")), vec![]),
                line("SZFT", Status::Missing, None, vec![Finding::NotFiled]),
                Line {
                    code: "GZTH".into(),
                    name: "=HYPERLINK(\"x\")".into(),
                    status: Status::Unregistered,
                    filed: None,
                    problems: vec![],
                },
            ],
            registered: 2,
            unattributed: vec![],
            max_pay_ratio: None,
        };
        let mut out = Vec::new();
        write_csv(&mut out, &c).unwrap();
        let text = String::from_utf8(out).unwrap();
        let text = text.strip_prefix('\u{feff}').expect("a BOM");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(
            lines[1],
            "SZNS,SZNS营业部,已备案,2,0.00,0.00,1000.00,0.00,0.00,3,1,450.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,450.00,0.4500,2026年标准,abababababababababababababababababababababababababababababababab,2026-11-05T08:30:00Z,张会计/王经理"
        );
        assert_eq!(lines[2], format!("SZFT,SZFT营业部,缺失{}", ",".repeat(25)));
        assert_eq!(lines[3], format!("GZTH,\"'=HYPERLINK(\"\"x\"\")\",未登记{}", ",".repeat(25)));
        assert_eq!(lines[4], "");
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn totals_are_of_the_filed_branches_only_and_completeness_needs_every_branch_filed_within_the_limit() {
        let over = Finding::OverLimit { ratio: Some(d("0.5")), max: d("0.45") };
        let mut c = Consolidation {
            month: ym("2026-10"),
            lines: vec![
                line("A", Status::Filed, Some(filed("1000.00", "450.00")), vec![]),
                line("B", Status::Filed, Some(filed("200.00", "100.00")), vec![over]),
                line("C", Status::Invalid, None, vec![Finding::NoFilingJson]),
            ],
            registered: 3,
            unattributed: vec![],
            max_pay_ratio: Some(d("0.45")),
        };
        let (t, scale) = c.totals().unwrap();
        assert_eq!((t.managers, t.total, t.metrics.net_revenue, scale), (4, d("550.00"), d("1200.00"), 2));
        assert!(!c.complete());
        c.lines.truncate(2);
        c.registered = 2;
        assert!(!c.complete(), "超限 is not complete");
        c.lines[1].problems.clear();
        assert!(c.complete());
        assert!(!Finding::OverLimit { ratio: None, max: d("1") }.invalidates());
        assert!(Finding::HashDiffers { member: "x".into() }.invalidates());
    }

    #[test]
    fn every_finding_has_chinese_words() {
        let f = Finding::SizeDiffers { member: "payroll_2026-10.csv".into(), listed: 10, actual: 11 };
        assert!(f.zh().contains("超过"), "{}", f.zh());
        assert!(f.to_string().contains("more than"), "{f}");
        let f = Finding::TotalsDiffer {
            record: "manifest.json",
            key: "total",
            payroll: "1.00".into(),
            recorded: "2.00".into(),
        };
        assert_eq!(f.zh(), "payroll CSV 的 total 合计为 1.00，manifest.json 记录为 2.00");
    }
}
