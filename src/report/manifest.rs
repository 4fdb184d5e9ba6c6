//! manifest.json (SPEC §5 item 7): what a month's outputs were made from and what they are.
//!
//! Takes a rendered month ([`ReportCtx`] and its [`Written`] outputs); gives one typed
//! [`Manifest`], which the report writes and every reader (publishing, closing and `verify`, the
//! completeness checks, the sign-off chain, filing and consolidation) reads back with
//! [`Manifest::read`] instead of picking at untyped JSON.
//!
//! The bytes are part of the month's outputs: sign-off statements name the manifest's SHA-256
//! and `verify` compares a regenerated manifest byte for byte. So the text is fixed: pretty JSON
//! with two-space indents and a final line feed, the keys of every object in alphabetical order
//! (the order earlier builds wrote, through serde_json's sorted map), counts as integers, amounts
//! as decimal strings with the standard's decimals. Every struct here declares its fields in
//! alphabetical order and [`Totals`] sorts its keys itself; a test holds both, whatever features
//! serde_json is built with.
//!
//! Reading refuses a file that is not JSON or lacks a key this build writes; a key it does not
//! know (a later build's) is ignored.

use std::path::Path;

use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::{ReportCtx, ReportError, Written};
use crate::analysis::checks::{NotRun, NotRunReason, Warning};
use crate::calendar::YearMonth;
use crate::model::{Component, Components, Kind, Metrics};

/// A month's manifest.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The completeness warnings of the month (预警, SPEC §4.11), in the SPEC's check order.
    #[serde(default)]
    pub checks: Vec<CheckWarning>,
    /// The completeness checks that did not run for want of history (information).
    #[serde(default)]
    pub checks_not_run: Vec<CheckNotRun>,
    /// The month's clawback lines (SPEC §4.9).
    pub clawback: ClawbackTotals,
    /// The configuration file applied.
    pub configuration: Configuration,
    /// Entries of 数据异常 that are exceptions (the exit status is 1 when any).
    pub exceptions: u64,
    /// Entries of 数据异常 that are information only.
    pub information: u64,
    /// Every input file read, in the order read.
    pub inputs: Vec<Input>,
    pub month: YearMonth,
    pub organization: Organization,
    /// Every output of the month but the manifest itself, in the order written: the files the
    /// month's folder holds as its outputs, each with its SHA-256.
    pub outputs: Vec<Output>,
    /// The salary standard applied.
    pub standard: StandardApplied,
    /// The build of the tool that wrote the month.
    pub tool: Tool,
    /// The grand totals of every metric and component.
    pub totals: Totals,
    /// Files of the month's folder not read (their names, relative to the data folder).
    pub unread_files: Vec<String>,
}

/// A completeness warning as SPEC §4.11 records it: `{"check", "subject", "value", "expected",
/// "months", "file"}` (written, like every object here, with its keys in alphabetical order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckWarning {
    /// `same_data`, `rows`, `totals`, `missing_team`, `missing_manager` or `headcount`.
    pub check: String,
    /// The history's figure (a decimal string; for `same_data` the earlier file).
    pub expected: String,
    /// The file of the month concerned, when one is.
    pub file: Option<String>,
    /// The months compared, oldest first.
    pub months: Vec<YearMonth>,
    pub subject: String,
    /// The month's figure (a decimal string).
    pub value: String,
}

impl From<&Warning> for CheckWarning {
    fn from(w: &Warning) -> Self {
        CheckWarning {
            check: w.check.key().to_string(),
            expected: w.expected.clone(),
            file: w.file.clone(),
            months: w.months.clone(),
            subject: w.subject.clone(),
            value: w.value.clone(),
        }
    }
}

/// A completeness check that did not run: it needs `needed` earlier months with inputs and the
/// month has `history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckNotRun {
    pub check: String,
    pub history: u64,
    pub needed: u64,
}

impl From<&NotRun> for CheckNotRun {
    fn from(n: &NotRun) -> Self {
        let (history, needed) = match n.reason {
            NotRunReason::TooFewMonths { months, needed } => (months as u64, needed as u64),
            NotRunReason::NoEarlierMonth => (0, 1),
        };
        CheckNotRun { check: n.check.key().to_string(), history, needed }
    }
}

/// The recoveries of account bonuses in the month (SPEC §4.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClawbackTotals {
    /// Lines not recovered: the manager was not active in the month.
    pub not_recovered: u64,
    /// Lines recovered from the manager's pay.
    pub recovered: u64,
    /// The clawback component's total (≤ 0).
    pub total: Decimal,
}

/// The configuration file applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configuration {
    /// Its file name.
    pub file: String,
    /// SHA-256 of the file as read, in hex.
    pub sha256: String,
}

/// One input file as read (SPEC §7 counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// Data rows accepted.
    pub accepted: u64,
    /// The header's row number, as Excel shows it.
    pub header_row: u32,
    /// The input kind.
    #[serde(with = "kind_name")]
    pub kind: Kind,
    /// Path relative to the data folder, with `/`.
    pub path: String,
    /// Data rows rejected (listed in 数据异常).
    pub rejected: u64,
    /// Rows below the header up to the last non-empty row.
    pub rows_read: u64,
    /// SHA-256 of the file, in hex.
    pub sha256: String,
    /// The sheet read; empty for a text file.
    pub sheet: String,
    /// Size in bytes.
    pub size: u64,
    /// Blank and summary rows skipped.
    pub skipped: u64,
}

/// The organization of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub code: String,
    pub name: String,
}

/// One output file of the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// Its file name in the month's folder.
    pub file: String,
    /// SHA-256 of the file, in hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// The salary standard applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardApplied {
    pub effective_from: YearMonth,
    /// Its file name.
    pub file: String,
    pub name: String,
    /// SHA-256 of the file, in hex.
    pub sha256: String,
}

/// The build of the tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// The version and the fingerprint of the code ([`crate::BUILD`]).
    pub build: String,
    pub name: String,
    pub version: String,
}

/// The grand totals of the month: as the payroll shows each manager's figures (each rounded on
/// its own by the standard's rounding), summed. Written as one object, keys in alphabetical
/// order, the metrics and components among the others.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Totals {
    /// Managers on the payroll.
    pub managers: u64,
    /// The amounts of the metrics.
    #[serde(flatten)]
    pub metrics: Metrics,
    /// 新开户.
    pub new_accounts: u64,
    /// 有效户.
    pub valid_accounts: u64,
    /// Every component, by its payroll key.
    #[serde(flatten)]
    pub components: Components,
    /// 应发合计.
    pub total: Decimal,
}

/// A value of [`Totals`] as written: a count or an amount.
#[derive(Serialize)]
#[serde(untagged)]
enum TotalValue {
    Count(u64),
    Amount(Decimal),
}

impl Serialize for Totals {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use TotalValue::{Amount, Count};
        let m = &self.metrics;
        let mut entries: Vec<(&str, TotalValue)> = vec![
            ("managers", Count(self.managers)),
            ("net_commission", Amount(m.net_commission)),
            ("other_revenue", Amount(m.other_revenue)),
            ("net_revenue", Amount(m.net_revenue)),
            ("net_inflow", Amount(m.net_inflow)),
            ("month_end_assets", Amount(m.month_end_assets)),
            ("new_accounts", Count(self.new_accounts)),
            ("valid_accounts", Count(self.valid_accounts)),
            ("total", Amount(self.total)),
        ];
        entries.extend(Component::ALL.map(|c| (c.key(), Amount(self.components.get(c)))));
        entries.sort_by_key(|(k, _)| *k);
        let mut map = s.serialize_map(Some(entries.len()))?;
        for (k, v) in &entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// An input kind by its name in the manifest (`crm`, `accounts`, …).
mod kind_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::model::Kind;

    pub fn serialize<S: Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(k.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let s = String::deserialize(d)?;
        Kind::from_name(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not an input kind")))
    }
}

impl Manifest {
    /// The manifest's file name in a month's folder.
    pub const FILE: &'static str = "manifest.json";

    /// The manifest of the month of `ctx`, whose outputs are `written`.
    pub fn new(ctx: &ReportCtx<'_>, written: &[Written]) -> Manifest {
        let month = ctx.month;
        let r = ctx.rounding();
        let inputs = month
            .files
            .iter()
            .map(|f| Input {
                accepted: f.accepted,
                header_row: f.counts.header_row,
                kind: f.kind,
                path: f.label.clone(),
                rejected: f.rejected,
                rows_read: f.counts.rows_read,
                sha256: f.sha256.clone(),
                sheet: f.sheet.clone(),
                size: f.size,
                skipped: f.counts.blank + f.counts.summary,
            })
            .collect();
        let outputs =
            written.iter().map(|w| Output { file: w.name.clone(), sha256: w.sha256.clone(), size: w.size }).collect();
        let (components, total) = month.totals();
        // The metrics as the payroll shows them (each manager's figure rounded on its own), summed.
        let mut metrics = Metrics::default();
        let (mut new_accounts, mut valid_accounts) = (0u64, 0u64);
        for m in &month.managers {
            metrics.add(&m.metrics(r));
            new_accounts += u64::from(m.new_accounts);
            valid_accounts += u64::from(m.valid_accounts);
        }
        let round_metrics = Metrics {
            net_commission: r.round(metrics.net_commission),
            other_revenue: r.round(metrics.other_revenue),
            net_revenue: r.round(metrics.net_revenue),
            net_inflow: r.round(metrics.net_inflow),
            month_end_assets: r.round(metrics.month_end_assets),
        };
        let mut rounded = Components::default();
        for c in Component::ALL {
            *rounded.get_mut(c) = r.round(components.get(c));
        }
        let exceptions = month.exception_count();
        let standard = &month.standard;
        let config = ctx.config;
        let checks = ctx.checks;
        Manifest {
            checks: checks.map(|c| c.warnings.iter().map(CheckWarning::from).collect()).unwrap_or_default(),
            checks_not_run: checks.map(|c| c.not_run.iter().map(CheckNotRun::from).collect()).unwrap_or_default(),
            clawback: ClawbackTotals {
                not_recovered: month.clawback.iter().filter(|l| !l.charged).count() as u64,
                recovered: month.clawback.iter().filter(|l| l.charged).count() as u64,
                total: r.round(components.clawback),
            },
            configuration: Configuration {
                file: config.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                sha256: config.sha256.clone(),
            },
            exceptions: exceptions as u64,
            information: (month.issues.len() - exceptions) as u64,
            inputs,
            month: ctx.ym(),
            organization: Organization {
                code: config.organization.code.clone(),
                name: config.organization.name.clone(),
            },
            outputs,
            standard: StandardApplied {
                effective_from: standard.effective_from,
                file: standard.file_name(),
                name: standard.name.clone(),
                sha256: standard.sha256.clone(),
            },
            tool: Tool {
                build: crate::BUILD.to_string(),
                name: env!("CARGO_PKG_NAME").to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            totals: Totals {
                managers: month.managers.len() as u64,
                metrics: round_metrics,
                new_accounts,
                valid_accounts,
                components: rounded,
                total: r.round(total),
            },
            unread_files: month.unread.iter().map(|(f, _)| f.clone()).collect(),
        }
    }

    /// The text of manifest.json (see the module's notes on its bytes).
    ///
    /// # Errors
    /// An error of serde_json (none is expected: every value here is a string or an integer).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|text| text + "\n")
    }

    /// A manifest from its text.
    ///
    /// # Errors
    /// The text is not JSON, or lacks a key this build writes, or holds a value of the wrong kind.
    pub fn parse(text: &str) -> Result<Manifest, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Read a month's manifest, `<month folder>/`[`Manifest::FILE`].
    ///
    /// # Errors
    /// [`ReportError::Read`] when the file cannot be read (absent, say) or [`Manifest::parse`]
    /// refuses it; the message says which.
    pub fn read(path: &Path) -> Result<Manifest, ReportError> {
        let err = |message: String| ReportError::Read { path: path.to_path_buf(), message };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Manifest::parse(&text).map_err(|e| err(format!("not a manifest: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ym;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A manifest with a value in every place, each amount with two decimals.
    fn sample() -> Manifest {
        let mut components = Components::default();
        for (i, c) in Component::ALL.iter().enumerate() {
            *components.get_mut(*c) = d(&format!("{}.{:02}", 1000 + i, i));
        }
        components.clawback = d("-120.00");
        Manifest {
            checks: vec![CheckWarning {
                check: "rows".into(),
                expected: "805".into(),
                file: None,
                months: vec![YearMonth::parse("2026-02").unwrap()],
                subject: "crm".into(),
                value: "412".into(),
            }],
            checks_not_run: vec![CheckNotRun { check: "missing_team".into(), history: 1, needed: 3 }],
            clawback: ClawbackTotals { not_recovered: 1, recovered: 2, total: d("-120.00") },
            configuration: Configuration { file: "brokercomp.toml".into(), sha256: "c7f6".into() },
            exceptions: 3,
            information: 7,
            inputs: vec![Input {
                accepted: 42,
                header_row: 3,
                kind: Kind::Roster,
                path: "2026-03/roster_2026-03.xlsx".into(),
                rejected: 0,
                rows_read: 43,
                sha256: "9ef7".into(),
                sheet: "人员名册".into(),
                size: 8319,
                skipped: 1,
            }],
            month: ym("2026-03"),
            organization: Organization { code: "SZFT".into(), name: "示例营业部".into() },
            outputs: vec![
                Output { file: "薪酬月报表_2026-03.xlsx".into(), sha256: "b240".into(), size: 48904 },
                Output { file: "payroll_2026-03.csv".into(), sha256: "e265".into(), size: 7551 },
            ],
            standard: StandardApplied {
                effective_from: ym("2026-01"),
                file: "2026.toml".into(),
                name: "2026年客户经理薪酬标准".into(),
                sha256: "bb19".into(),
            },
            tool: Tool { build: "0.1.0+abc".into(), name: "brokercomp".into(), version: "0.1.0".into() },
            totals: Totals {
                managers: 42,
                metrics: Metrics {
                    net_commission: d("804748.82"),
                    other_revenue: d("165322.40"),
                    net_revenue: d("970071.22"),
                    net_inflow: d("-41688094.58"),
                    month_end_assets: d("1949479235.35"),
                },
                new_accounts: 217,
                valid_accounts: 143,
                components,
                total: components.total(),
            },
            unread_files: vec!["2026-03/说明.docx".into()],
        }
    }

    #[test]
    fn every_object_is_written_with_its_keys_in_alphabetical_order() {
        // serde_json's own map sorts its keys (without its `preserve_order` feature, which this
        // crate does not use): the text through it is the text with every object sorted.
        let text = sample().to_json().unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(text, serde_json::to_string_pretty(&value).unwrap() + "\n");
        // And by hand, for the totals, whose keys are merged from three tables.
        let keys: Vec<&str> = text
            .split("\"totals\": {")
            .nth(1)
            .unwrap()
            .split('}')
            .next()
            .unwrap()
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
        assert_eq!(keys.len(), 9 + Component::ALL.len());
    }

    #[test]
    fn counts_are_integers_and_amounts_decimal_strings() {
        let text = sample().to_json().unwrap();
        for line in [
            r#"    "managers": 42,"#,
            r#"    "net_inflow": "-41688094.58","#,
            r#"    "clawback": "-120.00","#,
            r#"    "valid_accounts": 143"#,
            r#"  "month": "2026-03","#,
            r#"      "kind": "roster","#,
            r#"    "effective_from": "2026-01","#,
            r#"    "total": "-120.00""#,
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let m = sample();
        assert_eq!(Manifest::parse(&m.to_json().unwrap()).unwrap(), m);
    }

    #[test]
    fn reading_ignores_a_later_builds_keys_and_refuses_a_missing_one() {
        let text = sample().to_json().unwrap();
        let later = text.replacen("{\n", "{\n  \"approvals_of_a_later_build\": [],\n", 1);
        assert_eq!(Manifest::parse(&later).unwrap(), sample());
        let without = text.replace("\"unread_files\"", "\"unread\"");
        assert!(Manifest::parse(&without).unwrap_err().to_string().contains("unread_files"));
        let bad_kind = text.replace("\"roster\"", "\"payroll\"");
        assert!(Manifest::parse(&bad_kind).unwrap_err().to_string().contains("not an input kind"));
    }

    #[test]
    fn read_names_the_file_it_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(Manifest::FILE);
        let e = Manifest::read(&path).unwrap_err();
        assert!(matches!(&e, ReportError::Read { path: p, .. } if *p == path), "{e}");
        std::fs::write(&path, "{\"outputs\": []}").unwrap();
        let e = Manifest::read(&path).unwrap_err();
        assert!(e.to_string().contains("manifest.json") && e.to_string().contains("not a manifest"), "{e}");
        std::fs::write(&path, sample().to_json().unwrap()).unwrap();
        assert_eq!(Manifest::read(&path).unwrap(), sample());
    }
}
