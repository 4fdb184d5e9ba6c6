//! Money and rates: exact decimals from the cell to the report, and the one rounding policy.
//!
//! Takes numbers from Excel (binary floats), from text cells and from the configuration, and
//! gives `rust_decimal::Decimal` values. A float from Excel is converted once here and rounded to
//! four decimal places; text is parsed exactly. f64 appears again only when a cell is written.

use rust_decimal::prelude::*;
use rust_decimal::RoundingStrategy;

/// Amounts of this many yuan or more are refused, in inputs and in the configuration (SPEC §2
/// "range"): no real figure of a branch comes near, and sums of many such amounts stay far
/// inside what a decimal holds, so no arithmetic on accepted amounts can overflow.
pub const AMOUNT_LIMIT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// The rounding rule of a salary standard (`[rounding] mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundingMode {
    /// 四舍五入: a midpoint goes away from zero.
    HalfUp,
    /// Banker's rounding: a midpoint goes to the even neighbour.
    HalfEven,
}

/// The standard's rounding: mode and scale (decimal places, 2 = to the fen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rounding {
    pub mode: RoundingMode,
    pub scale: u32,
}

impl Rounding {
    /// Round a value once, at the end of a rule. The result never reads as `-0.00`.
    pub fn round(&self, v: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        let mut r = v.round_dp_with_strategy(self.scale, strategy);
        if r.is_zero() {
            r = Decimal::ZERO;
        }
        r.rescale(self.scale);
        r
    }

    /// Text with exactly `scale` decimals, no separators, zero as `0.00` (payroll CSV).
    pub fn format(&self, v: Decimal) -> String {
        let r = self.round(v);
        format!("{r}")
    }
}

/// Convert a float read from a spreadsheet to an exact decimal, rounded to 4 decimal places.
/// Returns `None` for NaN or infinities or magnitudes beyond what a decimal holds.
pub fn from_excel_float(f: f64) -> Option<Decimal> {
    if !f.is_finite() || f.abs() > 7.9e27 {
        return None;
    }
    // Fast path for the common case, a value on (or within float noise of) the 4-decimal grid:
    // the same result as the exact conversion below, without the base-2 expansion.
    let scaled = f * 10_000.0;
    let grid = scaled.round();
    if grid.abs() < 9.0e15 && (scaled - grid).abs() < 1e-3 {
        return Some(Decimal::new(grid as i64, 4).normalize());
    }
    Decimal::from_f64(f).map(|d| d.round_dp(4).normalize())
}

/// Parse a decimal written plainly (`-12.5`) or in scientific notation (`1.5e3`), exactly and with
/// checked arithmetic: `None` for anything else, and for a value beyond what a decimal holds
/// (never an overflow). Used for the configuration and, after separators and currency signs are
/// removed, for amounts in cells.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let Some((mantissa, exp)) = s.split_once(['e', 'E']) else {
        return Decimal::from_str_exact(s).ok();
    };
    let m = Decimal::from_str_exact(mantissa).ok()?;
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let digits = exp.strip_prefix('-').unwrap_or(exp);
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let e: i64 = exp.parse().ok()?;
    if m.is_zero() {
        return Some(Decimal::ZERO);
    }
    if e > 0 {
        let mut v = m;
        for _ in 0..e.min(40) {
            v = v.checked_mul(Decimal::TEN)?;
        }
        Some(v)
    } else {
        let places = i64::from(m.scale()) + e.abs();
        let mut v = m;
        v.set_scale(u32::try_from(places).ok().filter(|p| *p <= 28)?).ok()?;
        Some(v)
    }
}

/// A decimal as f64, only for writing a number cell.
pub fn to_cell(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

/// A Decimal shown exactly, without trailing zeros (reconciliation figures).
pub fn exact(v: Decimal) -> String {
    let n = v.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// A decimal with thousands separators and two decimals, for terminal output.
pub fn display(v: Decimal) -> String {
    let mut r = v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    grouped(r)
}

/// A decimal with thousands separators and the decimals it has (`1234567.5` → `1,234,567.5`);
/// never `-0`.
pub fn grouped(v: Decimal) -> String {
    let s = v.abs().to_string();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A ratio as a percentage with the decimals it needs (`0.015` → `1.5%`).
pub fn percent(v: Decimal) -> String {
    format!("{}%", exact(v * Decimal::ONE_HUNDRED))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    #[test]
    fn half_up_and_half_even_differ_on_a_five_at_the_third_decimal() {
        let up = Rounding { mode: RoundingMode::HalfUp, scale: 2 };
        let even = Rounding { mode: RoundingMode::HalfEven, scale: 2 };
        assert_eq!(up.round(d("2.345")), d("2.35"));
        assert_eq!(even.round(d("2.345")), d("2.34"));
        assert_eq!(up.round(d("2.355")), d("2.36"));
        assert_eq!(even.round(d("2.355")), d("2.36"));
        assert_eq!(up.round(d("-2.345")), d("-2.35"));
        assert_eq!(even.round(d("-2.345")), d("-2.34"));
        assert_eq!(up.round(d("2.3449")), d("2.34"));
    }

    #[test]
    fn zero_is_never_negative_and_always_has_the_scale() {
        let up = Rounding { mode: RoundingMode::HalfUp, scale: 2 };
        assert_eq!(up.format(d("-0.001")), "0.00");
        assert_eq!(up.format(d("0")), "0.00");
        assert_eq!(up.format(d("12")), "12.00");
        assert_eq!(up.format(d("-12.5")), "-12.50");
    }

    #[test]
    fn excel_floats_are_rounded_to_four_places() {
        assert_eq!(from_excel_float(0.1 + 0.2), Some(d("0.3")));
        assert_eq!(from_excel_float(1234.56789), Some(d("1234.5679")));
        assert_eq!(from_excel_float(f64::NAN), None);
    }

    #[test]
    fn the_fast_path_agrees_with_the_exact_conversion() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let cents = (x % 10_000_000_000) as i64 - 5_000_000_000;
            let f = match x % 4 {
                0 => cents as f64 / 100.0,
                1 => cents as f64 / 10_000.0,
                2 => f64::from_bits(x >> 2) % 1e9,
                _ => cents as f64 / 7.0,
            };
            if !f.is_finite() {
                continue;
            }
            let exact = Decimal::from_f64(f).map(|d| d.round_dp(4).normalize());
            assert_eq!(from_excel_float(f), exact, "{f:?}");
        }
    }

    #[test]
    fn the_amount_limit_is_ten_to_the_fifteen() {
        assert_eq!(AMOUNT_LIMIT, d("1000000000000000"));
    }

    #[test]
    fn decimals_plain_and_scientific_never_overflow() {
        assert_eq!(parse_decimal("12.50"), Some(d("12.50")));
        assert_eq!(parse_decimal("1.5e3"), Some(d("1500")));
        assert_eq!(parse_decimal("25E-3"), Some(d("0.025")));
        assert_eq!(parse_decimal("-2e+2"), Some(d("-200")));
        assert_eq!(parse_decimal("5e28"), Some(d("50000000000000000000000000000")));
        assert_eq!(parse_decimal("8e28"), None, "beyond what a decimal holds");
        assert_eq!(parse_decimal("1e999999"), None);
        assert_eq!(parse_decimal("1e-40"), None);
        assert_eq!(parse_decimal("99999999999999999999999999999999"), None);
        assert_eq!(parse_decimal("0e999999"), Some(Decimal::ZERO));
        for bad in ["", "e5", "1e", "1e+", "1.2.3", "1e5.5", "abc"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn display_groups_thousands() {
        assert_eq!(display(d("1234567.891")), "1,234,567.89");
        assert_eq!(display(d("-1000")), "-1,000.00");
        assert_eq!(display(d("999.995")), "1,000.00");
    }

    #[test]
    fn grouped_and_percent_read_as_finance_writes_them() {
        assert_eq!(grouped(d("1234567.50")), "1,234,567.50");
        assert_eq!(grouped(d("-419.35")), "-419.35");
        assert_eq!(grouped(d("-1000")), "-1,000");
        assert_eq!(grouped(d("-0.00")), "0.00");
        assert_eq!(grouped(d("999")), "999");
        assert_eq!(display(d("2096.7741935")), "2,096.77");
        assert_eq!(percent(d("0.015")), "1.5%");
        assert_eq!(percent(d("0.80")), "80%");
        assert_eq!(percent(d("0")), "0%");
    }
}
