//! `[checks]` of `brokercomp.toml`: the completeness checks of a month against its own history
//! (SPEC §3, §4.11).
//!
//! Takes the raw table (every key optional); gives [`Checks`] with the SPEC's defaults. Ratios are
//! decimal strings, read exactly like the standard's rates (a TOML float is refused: `0.6` as a
//! binary float is not 0.6). Refuses, naming the key and the value: a ratio that is not a decimal
//! or is negative; a low ratio above its high one (no month could pass); `history_months` or
//! `min_history` below 1 (there is no median of no months: `enabled = false` is how checks are
//! switched off); `manager_min_rows` below 1. The SPEC sets no other range: a low ratio above 1, a
//! high one below 1 or `min_history` above `history_months` is taken as written (every month then
//! warns, or the ratio checks never run and each month says so in 数据异常).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{ConfigError, NumRaw};

/// `[checks]` as written; every key optional.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ChecksRaw {
    enabled: Option<bool>,
    history_months: Option<i64>,
    min_history: Option<i64>,
    rows_low: Option<NumRaw>,
    rows_high: Option<NumRaw>,
    totals_low: Option<NumRaw>,
    totals_high: Option<NumRaw>,
    headcount_low: Option<NumRaw>,
    manager_min_rows: Option<i64>,
}

/// The validated `[checks]` (SPEC §4.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checks {
    /// `false`: no check runs, and none is reported as not run.
    pub enabled: bool,
    /// Compare with up to this many latest earlier months that have inputs (at least 1).
    pub history_months: u32,
    /// The checks against the history (all but `same_data`) need at least this many of them
    /// (at least 1, at most `history_months`).
    pub min_history: u32,
    /// Rows read of a kind below `rows_low` × the history's median: warning (0 ≤ low ≤ 1).
    pub rows_low: Decimal,
    /// Rows read of a kind above `rows_high` × the history's median: warning (high ≥ 1).
    pub rows_high: Decimal,
    /// A crm file total below `totals_low` × the history's median: warning.
    pub totals_low: Decimal,
    /// A crm file total above `totals_high` × the history's median: warning.
    pub totals_high: Decimal,
    /// Active managers below `headcount_low` × the latest earlier month's: warning.
    pub headcount_low: Decimal,
    /// A manager missing from the CRM export is named when they had at least this many accepted
    /// rows in each of the 3 latest earlier months.
    pub manager_min_rows: u64,
}

impl Default for Checks {
    /// The SPEC's defaults (§3).
    fn default() -> Self {
        Self {
            enabled: true,
            history_months: 6,
            min_history: 3,
            rows_low: Decimal::new(6, 1),
            rows_high: Decimal::new(18, 1),
            totals_low: Decimal::new(4, 1),
            totals_high: Decimal::new(25, 1),
            headcount_low: Decimal::new(8, 1),
            manager_min_rows: 10,
        }
    }
}

impl ChecksRaw {
    /// Validate the table; `err` makes an error naming the file.
    pub(super) fn validate(self, err: impl Fn(&str, String) -> ConfigError) -> Result<Checks, ConfigError> {
        let d = Checks::default();
        let ratio = |name: &str, n: &Option<NumRaw>, default: Decimal| -> Result<Decimal, ConfigError> {
            let key = format!("checks.{name}");
            let Some(n) = n else { return Ok(default) };
            if let NumRaw::Float(f) = n {
                return Err(err(&key, format!("{f} is a binary float: write ratios as decimal strings, e.g. \"{f}\"")));
            }
            let v = n.to_decimal().map_err(|e| err(&key, e))?;
            if v < Decimal::ZERO {
                return Err(err(&key, format!("ratio {} must not be negative", n.raw())));
            }
            Ok(v)
        };
        let count = |name: &str, n: Option<i64>, default: u32| -> Result<u32, ConfigError> {
            let key = format!("checks.{name}");
            match n {
                None => Ok(default),
                Some(v) if v < 1 => Err(err(
                    &key,
                    format!("{v} must be at least 1 (there is no median of no months; to switch the checks off write enabled = false)"),
                )),
                Some(v) => u32::try_from(v).map_err(|_| err(&key, format!("{v} is out of range"))),
            }
        };
        // A low/high pair: low ≤ high. Bounds on the wrong side of 1 are the user's choice (every
        // month then warns, visibly); the SPEC sets no range.
        let pair = |low_name: &str,
                    low: &Option<NumRaw>,
                    high_name: &str,
                    high: &Option<NumRaw>,
                    defaults: (Decimal, Decimal)|
         -> Result<(Decimal, Decimal), ConfigError> {
            let l = ratio(low_name, low, defaults.0)?;
            let h = ratio(high_name, high, defaults.1)?;
            let shown = |n: &Option<NumRaw>, v: Decimal| {
                n.as_ref().map(NumRaw::raw).unwrap_or_else(|| format!("\"{v}\" (the default)"))
            };
            if l > h {
                return Err(err(
                    &format!("checks.{low_name}"),
                    format!("{} is above checks.{high_name} = {}", shown(low, l), shown(high, h)),
                ));
            }
            Ok((l, h))
        };

        let history_months = count("history_months", self.history_months, d.history_months)?;
        let min_history = count("min_history", self.min_history, d.min_history)?;
        let (rows_low, rows_high) =
            pair("rows_low", &self.rows_low, "rows_high", &self.rows_high, (d.rows_low, d.rows_high))?;
        let (totals_low, totals_high) =
            pair("totals_low", &self.totals_low, "totals_high", &self.totals_high, (d.totals_low, d.totals_high))?;
        let headcount_low = ratio("headcount_low", &self.headcount_low, d.headcount_low)?;
        let manager_min_rows = match self.manager_min_rows {
            None => d.manager_min_rows,
            Some(v) if v < 1 => {
                return Err(err(
                    "checks.manager_min_rows",
                    format!("{v} must be at least 1 (a manager with no rows in the history was never in the export)"),
                ))
            }
            Some(v) => u64::try_from(v).map_err(|_| err("checks.manager_min_rows", format!("{v} is out of range")))?,
        };
        Ok(Checks {
            enabled: self.enabled.unwrap_or(d.enabled),
            history_months,
            min_history,
            rows_low,
            rows_high,
            totals_low,
            totals_high,
            headcount_low,
            manager_min_rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::testing::d;

    const MIN: &str = r#"
[organization]
name = "测试营业部"
code = "TEST"
[paths]
data = "../data"
reports = "../reports"
standards = "standards"
"#;

    fn parse(checks: &str) -> Result<Checks, ConfigError> {
        let t = format!("{MIN}\n[checks]\n{checks}\n");
        Config::parse(&t, Path::new("c.toml"), Path::new(".")).map(|c| c.checks)
    }

    /// The error's key and message, for a `[checks]` table that must be refused.
    fn refused(checks: &str) -> (String, String) {
        let e = parse(checks).unwrap_err();
        assert_eq!(e.file, Path::new("c.toml"));
        (e.key, e.message)
    }

    #[test]
    fn defaults_are_the_specs_when_the_table_is_absent_or_empty() {
        let c = Config::parse(MIN, Path::new("c.toml"), Path::new(".")).unwrap();
        let want = Checks {
            enabled: true,
            history_months: 6,
            min_history: 3,
            rows_low: d("0.6"),
            rows_high: d("1.8"),
            totals_low: d("0.4"),
            totals_high: d("2.5"),
            headcount_low: d("0.8"),
            manager_min_rows: 10,
        };
        assert_eq!(c.checks, want);
        assert_eq!(parse("").unwrap(), want);
        assert_eq!(Checks::default(), want);
    }

    #[test]
    fn every_key_is_read() {
        let c = parse(
            "enabled = false\nhistory_months = 12\nmin_history = 4\nrows_low = \"0.5\"\nrows_high = \"2\"\n\
             totals_low = \"0.25\"\ntotals_high = \"3.125\"\nheadcount_low = \"0.75\"\nmanager_min_rows = 1",
        )
        .unwrap();
        assert_eq!(
            c,
            Checks {
                enabled: false,
                history_months: 12,
                min_history: 4,
                rows_low: d("0.5"),
                rows_high: d("2"),
                totals_low: d("0.25"),
                totals_high: d("3.125"),
                headcount_low: d("0.75"),
                manager_min_rows: 1,
            }
        );
    }

    #[test]
    fn ratios_are_exact_decimals_and_integers_are_accepted() {
        let c = parse("rows_low = \"0.6000000000000000000000001\"\nrows_high = 2").unwrap();
        assert_eq!(c.rows_low, d("0.6000000000000000000000001"));
        assert_eq!(c.rows_high, d("2"));
    }

    #[test]
    fn a_float_ratio_is_refused_like_a_rate() {
        let (key, msg) = refused("rows_low = 0.6");
        assert_eq!(key, "checks.rows_low");
        assert!(msg.contains("0.6") && msg.contains("decimal string"), "{msg}");
    }

    #[test]
    fn a_non_numeric_ratio_is_refused() {
        let (key, msg) = refused("totals_high = \"2.5倍\"");
        assert_eq!(key, "checks.totals_high");
        assert!(msg.contains("\"2.5倍\""), "{msg}");
    }

    #[test]
    fn a_negative_ratio_is_refused() {
        let (key, msg) = refused("headcount_low = \"-0.8\"");
        assert_eq!(key, "checks.headcount_low");
        assert!(msg.contains("-0.8") && msg.contains("negative"), "{msg}");
        let (key, _) = refused("totals_low = -1");
        assert_eq!(key, "checks.totals_low");
    }

    #[test]
    fn a_low_ratio_above_its_high_is_refused_naming_both() {
        let (key, msg) = refused("rows_low = \"0.9\"\nrows_high = \"0.8\"");
        assert_eq!(key, "checks.rows_low");
        assert!(msg.contains("\"0.9\"") && msg.contains("checks.rows_high") && msg.contains("\"0.8\""), "{msg}");
        // Against the other key's default.
        let (key, msg) = refused("totals_high = \"0.3\"");
        assert_eq!(key, "checks.totals_low");
        assert!(msg.contains("\"0.4\" (the default)") && msg.contains("\"0.3\""), "{msg}");
    }

    #[test]
    fn a_low_ratio_equal_to_its_high_is_accepted() {
        let c = parse("rows_low = \"1\"\nrows_high = \"1.0\"").unwrap();
        assert_eq!((c.rows_low, c.rows_high), (d("1"), d("1")));
    }

    #[test]
    fn bounds_on_the_wrong_side_of_one_and_a_long_min_history_are_taken_as_written() {
        // The SPEC sets no range: each is a choice whose effect shows in every month's 数据异常.
        let c = parse("rows_low = \"1.2\"\nrows_high = \"2\"\ntotals_low = \"0.1\"\ntotals_high = \"0.9\"").unwrap();
        assert_eq!((c.rows_low, c.rows_high, c.totals_low, c.totals_high), (d("1.2"), d("2"), d("0.1"), d("0.9")));
        assert_eq!(parse("headcount_low = \"1.01\"").unwrap().headcount_low, d("1.01"));
        let c = parse("history_months = 2").unwrap();
        assert_eq!((c.history_months, c.min_history), (2, 3));
    }

    #[test]
    fn history_months_zero_is_refused() {
        let (key, msg) = refused("history_months = 0\nmin_history = 0");
        assert_eq!(key, "checks.history_months");
        assert!(msg.contains('0') && msg.contains("enabled = false"), "{msg}");
        let (key, _) = refused("min_history = 0");
        assert_eq!(key, "checks.min_history");
    }

    #[test]
    fn a_manager_min_rows_below_one_is_refused() {
        let (key, msg) = refused("manager_min_rows = -1");
        assert_eq!(key, "checks.manager_min_rows");
        assert!(msg.contains("-1"), "{msg}");
        let (key, msg) = refused("manager_min_rows = 0");
        assert_eq!(key, "checks.manager_min_rows");
        assert!(msg.contains("0 must be at least 1"), "{msg}");
    }

    #[test]
    fn unknown_keys_of_checks_are_refused() {
        let e = parse("row_low = \"0.6\"").unwrap_err();
        assert!(e.to_string().contains("row_low"), "{e}");
    }
}
