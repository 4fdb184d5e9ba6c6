//! §4.3 考核扣减: the monthly floor of the job-duty assessment. When a manager misses BOTH the
//! valid-account floor and the net-revenue floor, a share of the (rounded) base salary is
//! deducted. Exempt: a manager hired within the month, and a base of 0 (part-time).
//!
//! Takes the standard's `[minimum]`, the manager's valid accounts, net revenue, hire date and
//! rounded base; gives the penalty (≤ 0) and the test that decided it.

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
pub use crate::compute::working::{MinimumOutcome, MinimumPenalty, MinimumTest};
use crate::config::standard::Minimum;
use crate::money::Rounding;

/// 考核扣减 of §4.3.
pub fn minimum_penalty(
    rule: Option<&Minimum>,
    month: YearMonth,
    hire_date: Date,
    base: Decimal,
    valid_accounts: u32,
    net_revenue: Decimal,
    r: Rounding,
) -> MinimumPenalty {
    let Some(m) = rule else {
        return MinimumPenalty { test: None, value: Decimal::ZERO };
    };
    let missed = valid_accounts < m.valid_accounts && net_revenue < m.net_revenue;
    let (outcome, value) = if month.contains(hire_date) {
        (MinimumOutcome::ExemptHired(month), Decimal::ZERO)
    } else if base.is_zero() {
        (MinimumOutcome::ExemptBaseZero, Decimal::ZERO)
    } else if missed {
        (MinimumOutcome::BothMissed { base, ratio: m.penalty_ratio }, r.round(-(base * m.penalty_ratio)))
    } else {
        (MinimumOutcome::NotBothMissed, Decimal::ZERO)
    };
    let test = MinimumTest {
        valid_accounts,
        min_valid_accounts: m.valid_accounts,
        net_revenue,
        min_net_revenue: m.net_revenue,
        outcome,
    };
    MinimumPenalty { test: Some(test), value }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::RoundingMode;
    use crate::testing::d;

    const R: Rounding = Rounding { mode: RoundingMode::HalfUp, scale: 2 };
    fn rule() -> Minimum {
        Minimum { valid_accounts: 2, net_revenue: d("5000"), penalty_ratio: d("0.2") }
    }
    fn oct() -> YearMonth {
        YearMonth::parse("2026-10").unwrap()
    }
    fn hired(s: &str) -> Date {
        let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap()).collect();
        Date::new(p[0] as i32, p[1], p[2]).unwrap()
    }

    #[test]
    fn only_when_both_floors_are_missed() {
        let old = hired("2020-01-01");
        let pen = |valid, nr: &str| minimum_penalty(Some(&rule()), oct(), old, d("3500"), valid, d(nr), R).value;
        assert_eq!(pen(1, "4999.99"), d("-700.00"), "both missed");
        assert_eq!(pen(2, "4999.99"), d("0"), "valid accounts exactly at the floor");
        assert_eq!(pen(1, "5000"), d("0"), "net revenue exactly at the floor");
        assert_eq!(pen(0, "-100"), d("-700.00"));
    }

    #[test]
    fn new_hires_and_a_zero_base_are_exempt() {
        let p = minimum_penalty(Some(&rule()), oct(), hired("2026-10-31"), d("3500"), 0, d("0"), R);
        assert_eq!((p.value, p.test.unwrap().outcome), (d("0"), MinimumOutcome::ExemptHired(oct())));
        let p = minimum_penalty(Some(&rule()), oct(), hired("2026-09-30"), d("0"), 0, d("0"), R);
        assert_eq!((p.value, p.test.unwrap().outcome), (d("0"), MinimumOutcome::ExemptBaseZero));
        let p = minimum_penalty(Some(&rule()), oct(), hired("2026-09-30"), d("3500"), 0, d("0"), R);
        assert_eq!(p.value, d("-700.00"), "hired the month before: not exempt");
    }

    #[test]
    fn the_penalty_is_on_the_rounded_base_and_rounded_once() {
        let p = minimum_penalty(Some(&rule()), oct(), hired("2020-01-01"), d("2258.07"), 0, d("0"), R);
        assert_eq!(p.value, d("-451.61"), "2258.07 × 0.2 = 451.614");
        assert_eq!(minimum_penalty(None, oct(), hired("2020-01-01"), d("3500"), 0, d("0"), R).value, d("0"));
    }
}
