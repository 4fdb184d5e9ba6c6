//! Configuration: `brokercomp.toml` and the salary standards it points to.
//!
//! Raw serde structs (`…Raw`, unknown keys refused) are turned into validated types once, at
//! load; every cross-field check happens here, and every error names the file, the key and the
//! bad value. Relative paths in the file are relative to the file.

pub mod branches;
pub mod checks;
pub mod error;
pub mod signers;
pub mod standard;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::calendar::YearMonth;
use crate::model::Kind;
pub use branches::Registry;
pub use checks::Checks;
pub use error::ConfigError;
pub use signers::Signer;

pub use standard::{Level, Schedule, ScheduleMode, Standard, StandardSet, Tier};

/// A number written in TOML as an integer, a float or a decimal string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum NumRaw {
    Int(i64),
    Float(f64),
    Str(String),
}

impl NumRaw {
    /// The exact decimal; floats go through their shortest text form, never binary.
    pub fn to_decimal(&self) -> Result<Decimal, String> {
        use std::str::FromStr;
        match self {
            NumRaw::Int(i) => Ok(Decimal::from(*i)),
            NumRaw::Float(f) => Decimal::from_str(&f.to_string()).map_err(|_| format!("{f} is not a decimal number")),
            NumRaw::Str(s) => crate::money::parse_decimal(s).ok_or_else(|| format!("{s:?} is not a decimal number")),
        }
    }
    pub fn raw(&self) -> String {
        match self {
            NumRaw::Int(i) => i.to_string(),
            NumRaw::Float(f) => f.to_string(),
            NumRaw::Str(s) => format!("{s:?}"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigRaw {
    organization: OrganizationRaw,
    paths: PathsRaw,
    #[serde(default)]
    report: ReportRaw,
    #[serde(default)]
    teams: Vec<TeamRaw>,
    #[serde(default)]
    outlets: Vec<OutletRaw>,
    #[serde(default)]
    inputs: BTreeMap<String, InputRaw>,
    #[serde(default)]
    review: ReviewRaw,
    #[serde(default)]
    checks: checks::ChecksRaw,
    #[serde(default)]
    signers: Vec<signers::SignerRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationRaw {
    name: String,
    code: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathsRaw {
    data: String,
    reports: String,
    standards: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportRaw {
    #[serde(default = "default_locale")]
    locale: String,
    #[serde(default)]
    prepared_by: String,
    #[serde(default = "default_signoff")]
    signoff: Vec<String>,
    #[serde(default = "default_paper")]
    paper: String,
}

impl Default for ReportRaw {
    fn default() -> Self {
        Self {
            locale: default_locale(),
            prepared_by: String::new(),
            signoff: default_signoff(),
            paper: default_paper(),
        }
    }
}

fn default_paper() -> String {
    "A4".into()
}

fn default_locale() -> String {
    "zh-CN".into()
}
fn default_signoff() -> Vec<String> {
    ["制表", "主办会计", "副经理（经理助理）", "经理"].iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamRaw {
    name: String,
    #[serde(default)]
    plan: BTreeMap<String, PlanRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanRaw {
    new_hires: Option<u32>,
    regularized: Option<u32>,
    net_inflow: Option<NumRaw>,
    outlets: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutletRaw {
    code: String,
    name: String,
    team: String,
    since: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputRaw {
    patterns: Option<Vec<String>>,
    sheet: Option<String>,
    #[serde(default)]
    columns: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReviewRaw {
    min_duty_score_to_promote: Option<NumRaw>,
    #[serde(default)]
    annual_grades: Vec<GradeRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GradeRaw {
    grade: String,
    top_percent: NumRaw,
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    ZhCn,
    En,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub name: String,
    pub code: String,
}

/// The paper the compensation report's main sheet is printed on (landscape, one page wide).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    /// For a branch with so many large figures that A4 would print them below 6 pt.
    A3,
}

impl Paper {
    /// The paper size code of the spreadsheet format.
    pub fn code(self) -> u8 {
        match self {
            Paper::A4 => 9,
            Paper::A3 => 8,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReportSettings {
    pub locale: Locale,
    pub prepared_by: String,
    pub signoff: Vec<String>,
    pub paper: Paper,
}

/// A team's monthly plan (the plan table of the guideline).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub new_hires: Option<u32>,
    pub regularized: Option<u32>,
    pub net_inflow: Option<Decimal>,
    pub outlets: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub name: String,
    pub plan: BTreeMap<YearMonth, Plan>,
}

#[derive(Debug, Clone)]
pub struct Outlet {
    pub code: String,
    pub name: String,
    pub team: String,
    pub since: Option<YearMonth>,
}

/// How files of one input kind are found and read.
#[derive(Debug, Clone)]
pub struct InputSpec {
    pub patterns: Vec<String>,
    pub sheet: Option<String>,
    /// Extra header aliases per field name.
    pub columns: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub grade: String,
    pub top_percent: Decimal,
}

#[derive(Debug, Clone)]
pub struct ReviewSettings {
    pub min_duty_score_to_promote: Option<Decimal>,
    pub annual_grades: Vec<Grade>,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: PathBuf,
    /// SHA-256 of the configuration file as read (the manifest names it).
    pub sha256: String,
    pub organization: Organization,
    pub data_dir: PathBuf,
    pub reports_dir: PathBuf,
    pub standards_dir: PathBuf,
    pub report: ReportSettings,
    pub teams: Vec<Team>,
    pub outlets: Vec<Outlet>,
    pub inputs: BTreeMap<Kind, InputSpec>,
    pub review: ReviewSettings,
    /// `[checks]`: the completeness checks of a month (SPEC §4.11); the defaults when absent.
    pub checks: Checks,
    /// `[[signers]]`: who signs the month's report in turn (SPEC §4.12); empty when none.
    pub signers: Vec<Signer>,
}

impl Config {
    /// Read and validate the configuration file.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the key and the bad value.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| ConfigError::new(path, "", format!("cannot read: {e}")))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut c = Self::parse(&text, path, &dir)?;
        c.sha256 = crate::digest::sha256_bytes(text.as_bytes());
        Ok(c)
    }

    /// Validate configuration text; `dir` anchors relative paths.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the key and the bad value.
    pub fn parse(text: &str, file: &Path, dir: &Path) -> Result<Self, ConfigError> {
        let raw: ConfigRaw = toml::from_str(text).map_err(|e| toml_error(file, &e))?;
        let err = |key: &str, msg: String| ConfigError::new(file, key, msg);

        let code = raw.organization.code.trim().to_string();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(err(
                "organization.code",
                format!("{:?} must be letters, digits, - or _", raw.organization.code),
            ));
        }
        let locale = match raw.report.locale.as_str() {
            "zh-CN" | "zh" => Locale::ZhCn,
            "en" => Locale::En,
            other => return Err(err("report.locale", format!("{other:?} is not \"zh-CN\" or \"en\""))),
        };
        let paper = match raw.report.paper.as_str() {
            "A4" | "a4" => Paper::A4,
            "A3" | "a3" => Paper::A3,
            other => return Err(err("report.paper", format!("{other:?} is not \"A4\" or \"A3\""))),
        };
        let resolve = |p: &str| {
            let p = Path::new(p);
            lexical_normalize(&if p.is_absolute() { p.to_path_buf() } else { dir.join(p) })
        };

        let mut teams = Vec::new();
        for (i, t) in raw.teams.iter().enumerate() {
            if t.name.trim().is_empty() {
                return Err(err(&format!("teams[{i}].name"), "is empty".into()));
            }
            if teams.iter().any(|x: &Team| x.name == t.name.trim()) {
                return Err(err(&format!("teams[{i}].name"), format!("{:?} is listed twice", t.name)));
            }
            let mut plan = BTreeMap::new();
            for (m, p) in &t.plan {
                let key = format!("teams[{i}].plan.\"{m}\"");
                let ym = YearMonth::parse(m).ok_or_else(|| err(&key, format!("{m:?} is not a month YYYY-MM")))?;
                let net_inflow = match &p.net_inflow {
                    Some(n) => {
                        let v = n.to_decimal().map_err(|e| err(&format!("{key}.net_inflow"), e))?;
                        if v.abs() >= crate::money::AMOUNT_LIMIT {
                            return Err(err(&format!("{key}.net_inflow"), format!("{} is out of range", n.raw())));
                        }
                        Some(v)
                    }
                    None => None,
                };
                plan.insert(
                    ym,
                    Plan { new_hires: p.new_hires, regularized: p.regularized, net_inflow, outlets: p.outlets },
                );
            }
            teams.push(Team { name: t.name.trim().to_string(), plan });
        }

        let mut outlets = Vec::new();
        for (i, o) in raw.outlets.iter().enumerate() {
            let since = match &o.since {
                Some(s) => Some(
                    YearMonth::parse(s)
                        .ok_or_else(|| err(&format!("outlets[{i}].since"), format!("{s:?} is not a month YYYY-MM")))?,
                ),
                None => None,
            };
            outlets.push(Outlet {
                code: o.code.trim().into(),
                name: o.name.trim().into(),
                team: o.team.trim().into(),
                since,
            });
        }

        let mut inputs = BTreeMap::new();
        for kind in Kind::ALL {
            inputs.insert(
                kind,
                InputSpec {
                    patterns: kind.default_patterns().iter().map(|s| s.to_string()).collect(),
                    sheet: None,
                    columns: BTreeMap::new(),
                },
            );
        }
        for (name, inp) in raw.inputs {
            let kind = Kind::from_name(&name).ok_or_else(|| {
                err(
                    &format!("inputs.{name}"),
                    "is not an input kind (crm, accounts, roster, adjustments, scores)".into(),
                )
            })?;
            let spec = inputs.get_mut(&kind).expect("every kind has a default");
            if let Some(p) = inp.patterns {
                if p.is_empty() {
                    return Err(err(&format!("inputs.{name}.patterns"), "is empty".into()));
                }
                spec.patterns = p;
            }
            spec.sheet = inp.sheet;
            for (field, aliases) in inp.columns {
                if !kind.fields().iter().any(|f| f.name == field) {
                    let known: Vec<_> = kind.fields().iter().map(|f| f.name).collect();
                    return Err(err(
                        &format!("inputs.{name}.columns.{field}"),
                        format!("{field:?} is not a column of {name}; columns are {}", known.join(", ")),
                    ));
                }
                spec.columns.insert(field, aliases);
            }
        }

        let min_duty_score_to_promote = match &raw.review.min_duty_score_to_promote {
            Some(n) => Some(n.to_decimal().map_err(|e| err("review.min_duty_score_to_promote", e))?),
            None => None,
        };
        let mut annual_grades = Vec::new();
        let mut last = Decimal::ZERO;
        for (i, g) in raw.review.annual_grades.iter().enumerate() {
            let key = format!("review.annual_grades[{i}].top_percent");
            let p = g.top_percent.to_decimal().map_err(|e| err(&key, e))?;
            if p <= last || p > Decimal::from(100) {
                return Err(err(
                    &key,
                    format!("{} must be above the previous grade's {} and at most 100", g.top_percent.raw(), last),
                ));
            }
            last = p;
            annual_grades.push(Grade { grade: g.grade.clone(), top_percent: p });
        }
        if !annual_grades.is_empty() && last != Decimal::from(100) {
            return Err(err(
                "review.annual_grades",
                format!("the last grade must cover top_percent = 100, not {last}"),
            ));
        }

        let checks = raw.checks.validate(err)?;
        let signers = signers::validate(raw.signers, &raw.report.signoff, err)?;

        Ok(Config {
            file: file.to_path_buf(),
            sha256: String::new(),
            organization: Organization { name: raw.organization.name, code },
            data_dir: resolve(&raw.paths.data),
            reports_dir: resolve(&raw.paths.reports),
            standards_dir: resolve(&raw.paths.standards),
            report: ReportSettings { locale, prepared_by: raw.report.prepared_by, signoff: raw.report.signoff, paper },
            teams,
            outlets,
            inputs,
            review: ReviewSettings { min_duty_score_to_promote, annual_grades },
            checks,
            signers,
        })
    }

    /// Position of a team in report order: listed teams first, in their order.
    pub fn team_rank(&self, team: &str) -> usize {
        self.teams.iter().position(|t| t.name == team).unwrap_or(usize::MAX)
    }
}

/// `config/../reports` → `reports`, without touching the file system.
fn lexical_normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// A TOML syntax or schema error, with the key path and line toml gives, on one line.
pub(crate) fn toml_error(file: &Path, e: &toml::de::Error) -> ConfigError {
    let full = e.to_string();
    let text: Vec<&str> = full.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    ConfigError::new(file, "", text.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = r#"
[organization]
name = "测试营业部"
code = "TEST"
[paths]
data = "../data"
reports = "../reports"
standards = "standards"
"#;

    #[test]
    fn minimal_config_loads_with_defaults() {
        let c = Config::parse(MIN, Path::new("c.toml"), Path::new("/x/config")).unwrap();
        assert_eq!(c.report.locale, Locale::ZhCn);
        assert_eq!(c.data_dir, Path::new("/x/data"));
        assert_eq!(c.inputs[&Kind::Crm].patterns, vec!["crm*", "*业绩*"]);
    }

    #[test]
    fn unknown_keys_are_errors() {
        let t = format!("{MIN}\n[review]\nmin_duty = 3\n");
        let e = Config::parse(&t, Path::new("c.toml"), Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("min_duty"), "{e}");
    }

    #[test]
    fn unknown_column_field_names_the_key() {
        let t = format!("{MIN}\n[inputs.crm.columns]\nnet_comission = [\"x\"]\n");
        let e = Config::parse(&t, Path::new("c.toml"), Path::new(".")).unwrap_err();
        assert_eq!(e.key, "inputs.crm.columns.net_comission");
    }

    #[test]
    fn bad_locale_names_the_value() {
        let t = MIN.replace("[paths]", "[report]\nlocale = \"fr\"\n[paths]");
        let e = Config::parse(&t, Path::new("c.toml"), Path::new(".")).unwrap_err();
        assert_eq!(e.key, "report.locale");
        assert!(e.message.contains("fr"));
    }
}
