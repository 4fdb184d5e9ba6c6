//! Salary standards (薪酬标准): one TOML file per approved version, chosen by `effective_from`.
//!
//! Takes the files of `paths.standards`; gives validated [`Standard`]s whose rates are exact
//! decimals. Refuses tiers out of order, rates outside [0, 1], unknown schedules, duplicate
//! review orders and two versions with one `effective_from`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::error::ConfigError;
use super::{toml_error, NumRaw};
use crate::calendar::YearMonth;
use crate::money::{Rounding, RoundingMode};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardRaw {
    name: String,
    effective_from: String,
    rounding: Option<RoundingRaw>,
    probation: Option<ProbationRaw>,
    valid_account: Option<ValidAccountRaw>,
    levels: BTreeMap<String, LevelRaw>,
    schedules: BTreeMap<String, ScheduleRaw>,
    other_revenue: Option<RateRaw>,
    #[serde(default)]
    account_bonus: BTreeMap<String, NumRaw>,
    asset_bonus: Option<AssetBonusRaw>,
    leader_override: Option<RateRaw>,
    minimum: Option<MinimumRaw>,
    cap: Option<CapRaw>,
    clawback: Option<ClawbackRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClawbackRaw {
    months: u32,
    min_month_end_assets: NumRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundingRaw {
    mode: String,
    scale: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProbationRaw {
    base_ratio: NumRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidAccountRaw {
    min_first_deposit: NumRaw,
    min_month_end_assets: NumRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BarsRaw {
    net_revenue: Option<NumRaw>,
    valid_accounts: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelRaw {
    label: String,
    base_salary: NumRaw,
    order: i64,
    #[serde(default = "yes")]
    reviewed: bool,
    schedule: Option<String>,
    promote_if: Option<BarsRaw>,
    demote_if_below: Option<BarsRaw>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TierRaw {
    up_to: Option<NumRaw>,
    rate: NumRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleRaw {
    mode: String,
    tiers: Vec<TierRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateRaw {
    rate: NumRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetBonusRaw {
    rate: NumRaw,
    cap: Option<NumRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MinimumRaw {
    valid_accounts: u32,
    net_revenue: NumRaw,
    penalty_ratio: NumRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CapRaw {
    variable_pay: NumRaw,
}

/// Quarter totals a level's review compares with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bars {
    pub net_revenue: Option<Decimal>,
    pub valid_accounts: Option<u32>,
}

/// A level (职级) of the standard.
#[derive(Debug, Clone)]
pub struct Level {
    pub code: String,
    pub label: String,
    pub base_salary: Decimal,
    pub order: i64,
    pub reviewed: bool,
    pub schedule: String,
    pub promote_if: Option<Bars>,
    pub demote_if_below: Option<Bars>,
}

/// 超额累进 (marginal) or 全额累进 (whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleMode {
    Marginal,
    Whole,
}

/// One tier: `(previous up_to, up_to]`; the last has no `up_to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub up_to: Option<Decimal>,
    pub rate: Decimal,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    pub mode: ScheduleMode,
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Clone)]
pub struct Minimum {
    pub valid_accounts: u32,
    pub net_revenue: Decimal,
    pub penalty_ratio: Decimal,
}

/// One validated salary standard version.
#[derive(Debug, Clone)]
pub struct Standard {
    pub file: PathBuf,
    pub name: String,
    pub effective_from: YearMonth,
    pub sha256: String,
    pub rounding: Rounding,
    pub probation_base_ratio: Decimal,
    pub min_first_deposit: Decimal,
    pub min_month_end_assets: Decimal,
    pub levels: BTreeMap<String, Level>,
    pub schedules: BTreeMap<String, Schedule>,
    pub other_revenue_rate: Decimal,
    pub account_bonus: BTreeMap<String, Decimal>,
    pub asset_bonus_rate: Decimal,
    pub asset_bonus_cap: Option<Decimal>,
    pub leader_override_rate: Decimal,
    pub minimum: Option<Minimum>,
    pub cap_variable_pay: Option<Decimal>,
    /// SPEC §4.9; `None`: no clawback in a month under this standard.
    pub clawback: Option<Clawback>,
}

/// The recovery of account bonuses when the client is soon lost (开户奖励回收, SPEC §4.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clawback {
    /// An account that earned a bonus in P is watched in the months M with M − months ≤ P < M.
    pub months: u32,
    /// The client's month-end assets below this (or no CRM row at all): lost.
    pub min_month_end_assets: Decimal,
}

impl Standard {
    /// Read and validate one standard file.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the key and the bad value.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| ConfigError::new(path, "", format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| ConfigError::new(path, "", "is not UTF-8 text"))?;
        let mut s = Self::parse(&text, path)?;
        s.sha256 = hex::encode(Sha256::digest(&bytes));
        Ok(s)
    }

    /// Validate standard text. `sha256` is left empty (set by [`Standard::load`]).
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the key and the bad value.
    pub fn parse(text: &str, file: &Path) -> Result<Self, ConfigError> {
        let raw: StandardRaw = toml::from_str(text).map_err(|e| toml_error(file, &e))?;
        let err = |key: &str, msg: String| ConfigError::new(file, key, msg);
        let money = |key: &str, n: &NumRaw| -> Result<Decimal, ConfigError> {
            let v = n.to_decimal().map_err(|e| err(key, e))?;
            if v < Decimal::ZERO {
                return Err(err(key, format!("{} must not be negative", n.raw())));
            }
            if v >= crate::money::AMOUNT_LIMIT {
                return Err(err(key, format!("{} is out of range (10^15 yuan or more)", n.raw())));
            }
            Ok(v)
        };
        let rate = |key: &str, n: &NumRaw| -> Result<Decimal, ConfigError> {
            if let NumRaw::Float(f) = n {
                return Err(err(key, format!("{f} is a binary float: write rates as decimal strings, e.g. \"{f}\"")));
            }
            let v = n.to_decimal().map_err(|e| err(key, e))?;
            if v < Decimal::ZERO || v > Decimal::ONE {
                return Err(err(key, format!("rate {} is outside [0, 1]", n.raw())));
            }
            Ok(v)
        };

        let effective_from = YearMonth::parse(&raw.effective_from)
            .ok_or_else(|| err("effective_from", format!("{:?} is not a month YYYY-MM", raw.effective_from)))?;
        let rounding = match &raw.rounding {
            None => Rounding { mode: RoundingMode::HalfUp, scale: 2 },
            Some(r) => {
                let mode = match r.mode.as_str() {
                    "half_up" => RoundingMode::HalfUp,
                    "half_even" => RoundingMode::HalfEven,
                    m => return Err(err("rounding.mode", format!("{m:?} is not half_up or half_even"))),
                };
                if r.scale > 6 {
                    return Err(err("rounding.scale", format!("{} is more than 6 decimal places", r.scale)));
                }
                Rounding { mode, scale: r.scale }
            }
        };

        let mut schedules = BTreeMap::new();
        for (name, s) in &raw.schedules {
            let key = format!("schedules.{name}");
            let mode = match s.mode.as_str() {
                "marginal" => ScheduleMode::Marginal,
                "whole" => ScheduleMode::Whole,
                m => return Err(err(&format!("{key}.mode"), format!("{m:?} is not marginal or whole"))),
            };
            if s.tiers.is_empty() {
                return Err(err(&format!("{key}.tiers"), "has no tier".into()));
            }
            let mut tiers = Vec::new();
            let mut prev: Option<Decimal> = None;
            for (i, t) in s.tiers.iter().enumerate() {
                let tkey = format!("{key}.tiers[{i}]");
                let last = i + 1 == s.tiers.len();
                let up_to = match &t.up_to {
                    Some(u) => {
                        let v = money(&format!("{tkey}.up_to"), u)?;
                        if let Some(p) = prev {
                            if v <= p {
                                return Err(err(
                                    &tkey,
                                    format!("up_to {} is not above the previous tier's {p}", u.raw().trim_matches('"')),
                                ));
                            }
                        } else if v <= Decimal::ZERO {
                            return Err(err(&tkey, format!("up_to {} must be above 0", u.raw())));
                        }
                        prev = Some(v);
                        Some(v)
                    }
                    None if !last => {
                        return Err(err(&tkey, "only the last tier may be open-ended (no up_to)".into()));
                    }
                    None => None,
                };
                if last && up_to.is_some() {
                    return Err(err(&tkey, "the last tier must be open-ended (no up_to)".into()));
                }
                tiers.push(Tier { up_to, rate: rate(&format!("{tkey}.rate"), &t.rate)? });
            }
            schedules.insert(name.clone(), Schedule { name: name.clone(), mode, tiers });
        }

        let mut levels = BTreeMap::new();
        let mut orders: BTreeMap<i64, String> = BTreeMap::new();
        let bars = |key: &str, b: &Option<BarsRaw>| -> Result<Option<Bars>, ConfigError> {
            Ok(match b {
                None => None,
                Some(b) => Some(Bars {
                    net_revenue: match &b.net_revenue {
                        Some(n) => Some(money(&format!("{key}.net_revenue"), n)?),
                        None => None,
                    },
                    valid_accounts: b.valid_accounts,
                }),
            })
        };
        for (code, l) in &raw.levels {
            let key = format!("levels.{code}");
            let schedule = l.schedule.clone().unwrap_or_else(|| "employee".into());
            if !schedules.contains_key(&schedule) {
                return Err(err(
                    &format!("{key}.schedule"),
                    format!("schedule {schedule:?} is not defined under [schedules]"),
                ));
            }
            if l.reviewed {
                if let Some(other) = orders.insert(l.order, code.clone()) {
                    return Err(err(
                        &format!("{key}.order"),
                        format!("order {} is also the order of reviewed level {other}", l.order),
                    ));
                }
            }
            levels.insert(
                code.clone(),
                Level {
                    code: code.clone(),
                    label: l.label.clone(),
                    base_salary: money(&format!("{key}.base_salary"), &l.base_salary)?,
                    order: l.order,
                    reviewed: l.reviewed,
                    schedule,
                    promote_if: bars(&format!("{key}.promote_if"), &l.promote_if)?,
                    demote_if_below: bars(&format!("{key}.demote_if_below"), &l.demote_if_below)?,
                },
            );
        }
        if levels.is_empty() {
            return Err(err("levels", "no level is defined".into()));
        }

        let mut account_bonus = BTreeMap::new();
        for (t, v) in &raw.account_bonus {
            account_bonus.insert(t.trim().to_string(), money(&format!("account_bonus.\"{t}\""), v)?);
        }
        let (min_first_deposit, min_month_end_assets) = match &raw.valid_account {
            Some(v) => (
                money("valid_account.min_first_deposit", &v.min_first_deposit)?,
                money("valid_account.min_month_end_assets", &v.min_month_end_assets)?,
            ),
            None => (Decimal::ZERO, Decimal::ZERO),
        };
        let (asset_bonus_rate, asset_bonus_cap) = match &raw.asset_bonus {
            Some(a) => (
                rate("asset_bonus.rate", &a.rate)?,
                match &a.cap {
                    Some(c) => Some(money("asset_bonus.cap", c)?),
                    None => None,
                },
            ),
            None => (Decimal::ZERO, None),
        };
        let clawback = match &raw.clawback {
            Some(c) => {
                if c.months == 0 || c.months > 120 {
                    return Err(err("clawback.months", format!("{} is not between 1 and 120", c.months)));
                }
                Some(Clawback {
                    months: c.months,
                    min_month_end_assets: money("clawback.min_month_end_assets", &c.min_month_end_assets)?,
                })
            }
            None => None,
        };
        let minimum = match &raw.minimum {
            Some(m) => Some(Minimum {
                valid_accounts: m.valid_accounts,
                net_revenue: money("minimum.net_revenue", &m.net_revenue)?,
                penalty_ratio: rate("minimum.penalty_ratio", &m.penalty_ratio)?,
            }),
            None => None,
        };

        Ok(Standard {
            file: file.to_path_buf(),
            name: raw.name.clone(),
            effective_from,
            sha256: String::new(),
            rounding,
            probation_base_ratio: match &raw.probation {
                Some(p) => rate("probation.base_ratio", &p.base_ratio)?,
                None => Decimal::ONE,
            },
            min_first_deposit,
            min_month_end_assets,
            levels,
            schedules,
            other_revenue_rate: match &raw.other_revenue {
                Some(r) => rate("other_revenue.rate", &r.rate)?,
                None => Decimal::ZERO,
            },
            account_bonus,
            asset_bonus_rate,
            asset_bonus_cap,
            leader_override_rate: match &raw.leader_override {
                Some(r) => rate("leader_override.rate", &r.rate)?,
                None => Decimal::ZERO,
            },
            minimum,
            clawback,
            cap_variable_pay: match &raw.cap {
                Some(c) => Some(money("cap.variable_pay", &c.variable_pay)?),
                None => None,
            },
        })
    }

    /// A roster's level cell (code or label) to the level code.
    pub fn find_level(&self, raw: &str) -> Option<&Level> {
        let t = raw.trim();
        self.levels.get(t).or_else(|| self.levels.values().find(|l| l.label == t || l.code.eq_ignore_ascii_case(t)))
    }

    /// The file name of the standard, for reports.
    pub fn file_name(&self) -> String {
        self.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Every standard version in `paths.standards`, by `effective_from`.
#[derive(Debug, Clone)]
pub struct StandardSet {
    pub versions: BTreeMap<YearMonth, Standard>,
}

impl StandardSet {
    /// Load every `*.toml` of the folder.
    ///
    /// # Errors
    /// Any version's error, or two versions with one `effective_from`.
    pub fn load(dir: &Path) -> Result<Self, ConfigError> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| ConfigError::new(dir, "paths.standards", format!("cannot read the folder: {e}")))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
            .collect();
        files.sort();
        let mut versions: BTreeMap<YearMonth, Standard> = BTreeMap::new();
        for f in files {
            let s = Standard::load(&f)?;
            if let Some(other) = versions.get(&s.effective_from) {
                return Err(ConfigError::new(
                    &f,
                    "effective_from",
                    format!("{} is also the effective_from of {}", s.effective_from, other.file.display()),
                ));
            }
            versions.insert(s.effective_from, s);
        }
        Ok(Self { versions })
    }

    /// The version in force in `month`: the latest `effective_from` ≤ month.
    ///
    /// # Errors
    /// When no version is in force yet.
    pub fn for_month(&self, month: YearMonth, dir: &Path) -> Result<&Standard, ConfigError> {
        self.versions.range(..=month).next_back().map(|(_, s)| s).ok_or_else(|| {
            let found: Vec<String> = self.versions.keys().map(|k| k.to_string()).collect();
            ConfigError::new(
                dir,
                "effective_from",
                format!(
                    "no salary standard is in force in {month}; versions found take effect from: {}",
                    if found.is_empty() { "(none)".to_string() } else { found.join(", ") }
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"
name = "测试标准"
effective_from = "2026-01"
[rounding]
mode = "half_up"
scale = 2
[probation]
base_ratio = "0.8"
[valid_account]
min_first_deposit = 10000
min_month_end_assets = 10000
[levels.L1]
label = "客户经理"
base_salary = 3500
order = 1
[schedules.employee]
mode = "marginal"
tiers = [ { up_to = 30000, rate = "0.20" }, { up_to = 100000, rate = "0.30" }, { rate = "0.40" } ]
"#;

    fn parse(t: &str) -> Result<Standard, ConfigError> {
        Standard::parse(t, Path::new("standards/2026.toml"))
    }

    #[test]
    fn sample_parses() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.schedules["employee"].tiers.len(), 3);
        assert_eq!(s.find_level("客户经理").unwrap().code, "L1");
    }

    #[test]
    fn tiers_out_of_order_name_the_tier_and_values() {
        let t = SAMPLE.replace("up_to = 100000", "up_to = 20000");
        let e = parse(&t).unwrap_err();
        assert_eq!(
            e.to_string(),
            "standards/2026.toml: schedules.employee.tiers[1]: up_to 20000 is not above the previous tier's 30000"
        );
    }

    #[test]
    fn open_tier_before_the_last_is_refused() {
        let t = SAMPLE.replace("{ up_to = 30000, rate = \"0.20\" }", "{ rate = \"0.20\" }");
        assert_eq!(parse(&t).unwrap_err().key, "schedules.employee.tiers[0]");
    }

    #[test]
    fn rate_above_one_is_refused() {
        let t = SAMPLE.replace("rate = \"0.40\"", "rate = \"1.5\"");
        let e = parse(&t).unwrap_err();
        assert_eq!(e.key, "schedules.employee.tiers[2].rate");
    }

    #[test]
    fn float_rates_are_refused() {
        let t = SAMPLE.replace("base_ratio = \"0.8\"", "base_ratio = 0.8");
        assert_eq!(parse(&t).unwrap_err().key, "probation.base_ratio");
    }

    #[test]
    fn unknown_schedule_is_refused() {
        let t = SAMPLE.replace("order = 1", "order = 1\nschedule = \"nope\"");
        assert_eq!(parse(&t).unwrap_err().key, "levels.L1.schedule");
    }

    #[test]
    fn duplicate_review_order_is_refused() {
        let t = format!("{SAMPLE}\n[levels.L2]\nlabel = \"x\"\nbase_salary = 1\norder = 1\n");
        assert_eq!(parse(&t).unwrap_err().key, "levels.L2.order");
    }
}
