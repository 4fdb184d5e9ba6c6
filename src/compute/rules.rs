//! The rules of SPEC §4.2–4.6, one pure function each, on exact decimals.
//!
//! Each function returns the exact value of its rule (and what it was made of); the caller
//! rounds once, by the standard's rounding, at the end of the rule.

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
use crate::config::{Schedule, ScheduleMode};

/// The days of a month a person is employed, and how many of them are on probation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmployedDays {
    pub days_in_month: u32,
    pub employed: u32,
    pub probation: u32,
}

/// Employment days count hire_date and leave_date themselves; a day is on probation when it is
/// before `regular_date` or there is no `regular_date`.
pub fn employed_days(month: YearMonth, hire: Date, regular: Option<Date>, leave: Option<Date>) -> EmployedDays {
    let first = month.first_day().to_days();
    let last = month.last_day().to_days();
    let start = hire.to_days().max(first);
    let end = leave.map(|l| l.to_days()).unwrap_or(last).min(last);
    let employed = if end >= start { (end - start + 1) as u32 } else { 0 };
    let probation = match regular {
        None => employed,
        Some(r) => {
            let p_end = (r.to_days() - 1).min(end);
            if p_end >= start {
                (p_end - start + 1) as u32
            } else {
                0
            }
        }
    };
    EmployedDays { days_in_month: month.days(), employed, probation }
}

/// 基本工资, exact: `base / days_in_M × (regular days + probation days × ratio)`.
pub fn base_salary(base: Decimal, probation_ratio: Decimal, d: EmployedDays) -> Decimal {
    if d.days_in_month == 0 {
        return Decimal::ZERO;
    }
    let regular_days = Decimal::from(d.employed - d.probation);
    let weighted = regular_days + Decimal::from(d.probation) * probation_ratio;
    base * weighted / Decimal::from(d.days_in_month)
}

/// One tier's part of a commission.
#[derive(Debug, Clone, PartialEq)]
pub struct TierPart {
    pub from: Decimal,
    pub up_to: Option<Decimal>,
    pub base: Decimal,
    pub rate: Decimal,
    pub amount: Decimal,
}

/// 净佣金提成, exact. NC ≤ 0 gives 0. Tiers are half-open `(previous up_to, up_to]`.
pub fn commission(schedule: &Schedule, nc: Decimal) -> (Decimal, Vec<TierPart>) {
    if nc <= Decimal::ZERO {
        return (Decimal::ZERO, Vec::new());
    }
    let mut parts = Vec::new();
    match schedule.mode {
        ScheduleMode::Marginal => {
            let mut from = Decimal::ZERO;
            for t in &schedule.tiers {
                if nc <= from {
                    break;
                }
                let top = match t.up_to {
                    Some(u) => nc.min(u),
                    None => nc,
                };
                let base = top - from;
                parts.push(TierPart { from, up_to: t.up_to, base, rate: t.rate, amount: base * t.rate });
                match t.up_to {
                    Some(u) => from = u,
                    None => break,
                }
            }
        }
        ScheduleMode::Whole => {
            let mut from = Decimal::ZERO;
            for t in &schedule.tiers {
                if t.up_to.is_none_or(|u| nc <= u) {
                    parts.push(TierPart { from, up_to: t.up_to, base: nc, rate: t.rate, amount: nc * t.rate });
                    break;
                }
                from = t.up_to.unwrap_or(from);
            }
        }
    }
    (parts.iter().map(|p| p.amount).sum(), parts)
}

/// 资产奖励, exact: `min(max(NI, 0) × rate, cap)`.
pub fn asset_bonus(net_inflow: Decimal, rate: Decimal, cap: Option<Decimal>) -> Decimal {
    let v = net_inflow.max(Decimal::ZERO) * rate;
    match cap {
        Some(c) => v.min(c),
        None => v,
    }
}

/// 封顶扣减 (≤ 0): the variable pay above the cap, negated.
pub fn cap_deduction(variable: Decimal, cap: Option<Decimal>) -> Decimal {
    match cap {
        Some(c) => -(variable - c).max(Decimal::ZERO),
        None => Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Tier;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }
    fn date(s: &str) -> Date {
        crate::ingest::values::parse_date_text(s).unwrap()
    }
    fn employee(mode: ScheduleMode) -> Schedule {
        Schedule {
            name: "employee".into(),
            mode,
            tiers: vec![
                Tier { up_to: Some(d("30000")), rate: d("0.20") },
                Tier { up_to: Some(d("100000")), rate: d("0.30") },
                Tier { up_to: None, rate: d("0.40") },
            ],
        }
    }

    #[test]
    fn worked_example_marginal_and_whole() {
        assert_eq!(commission(&employee(ScheduleMode::Marginal), d("45000")).0, d("10500.00"));
        assert_eq!(commission(&employee(ScheduleMode::Whole), d("45000")).0, d("13500.00"));
    }

    #[test]
    fn a_tier_includes_its_exact_up_to() {
        // (0, 30000] at 20%: 30,000 is still wholly in the first tier.
        assert_eq!(commission(&employee(ScheduleMode::Whole), d("30000")).0, d("6000"));
        assert_eq!(commission(&employee(ScheduleMode::Whole), d("30000.01")).0, d("9000.003"));
        assert_eq!(commission(&employee(ScheduleMode::Marginal), d("30000")).0, d("6000"));
        assert_eq!(commission(&employee(ScheduleMode::Marginal), d("30000.01")).0, d("6000.003"));
        assert_eq!(commission(&employee(ScheduleMode::Marginal), d("100000")).0, d("27000"));
        assert_eq!(commission(&employee(ScheduleMode::Whole), d("100000")).0, d("30000"));
        assert_eq!(commission(&employee(ScheduleMode::Whole), d("100000.01")).0, d("40000.004"));
        assert_eq!(commission(&employee(ScheduleMode::Marginal), d("150000")).0, d("47000"));
    }

    #[test]
    fn no_commission_on_zero_or_negative_nc() {
        for m in [ScheduleMode::Marginal, ScheduleMode::Whole] {
            assert_eq!(commission(&employee(m), d("0")).0, d("0"));
            assert_eq!(commission(&employee(m), d("-500")).0, d("0"));
        }
    }

    #[test]
    fn employment_days_at_the_month_edges() {
        let oct = ym("2026-10");
        let full = employed_days(oct, date("2020-01-01"), Some(date("2020-04-01")), None);
        assert_eq!((full.employed, full.probation), (31, 0));
        let hired_first = employed_days(oct, date("2026-10-01"), None, None);
        assert_eq!((hired_first.employed, hired_first.probation), (31, 31));
        let hired_last = employed_days(oct, date("2026-10-31"), None, None);
        assert_eq!(hired_last.employed, 1);
        let left_first = employed_days(oct, date("2020-01-01"), Some(date("2020-02-01")), Some(date("2026-10-01")));
        assert_eq!(left_first.employed, 1);
        let left_last = employed_days(oct, date("2020-01-01"), Some(date("2020-02-01")), Some(date("2026-10-31")));
        assert_eq!(left_last.employed, 31);
        let reg_first = employed_days(oct, date("2026-07-01"), Some(date("2026-10-01")), None);
        assert_eq!(reg_first.probation, 0);
        let reg_last = employed_days(oct, date("2026-07-01"), Some(date("2026-10-31")), None);
        assert_eq!(reg_last.probation, 30);
        let reg_next = employed_days(oct, date("2026-07-01"), Some(date("2026-11-01")), None);
        assert_eq!(reg_next.probation, 31);
    }

    #[test]
    fn base_salary_by_days_in_28_30_31_day_months() {
        let r = d("0.8");
        for (m, days) in [("2026-02", 28u32), ("2026-09", 30), ("2026-10", 31)] {
            let month = ym(m);
            assert_eq!(month.days(), days);
            let full = employed_days(month, date("2020-01-01"), Some(date("2020-02-01")), None);
            assert_eq!(base_salary(d("3500"), r, full), d("3500"));
            let prob = employed_days(month, date("2020-01-01"), None, None);
            assert_eq!(base_salary(d("3500"), r, prob), d("2800"));
            // Hired on the last day: one day of probation.
            let last = month.last_day();
            let one = employed_days(month, last, None, None);
            assert_eq!(base_salary(d("3500"), r, one), d("2800") / Decimal::from(days));
        }
        // Regularised on 2026-10-11: 10 days × 0.8 + 21 days, of 31.
        let mixed = employed_days(ym("2026-10"), date("2026-07-11"), Some(date("2026-10-11")), None);
        assert_eq!((mixed.employed, mixed.probation), (31, 10));
        let b = base_salary(d("3100"), r, mixed);
        assert_eq!(b, d("2900"));
    }

    #[test]
    fn asset_bonus_floor_and_cap() {
        assert_eq!(asset_bonus(d("-100"), d("0.0005"), Some(d("10000"))), d("0"));
        assert_eq!(asset_bonus(d("1000000"), d("0.0005"), Some(d("10000"))), d("500"));
        assert_eq!(asset_bonus(d("20000000"), d("0.0005"), Some(d("10000"))), d("10000"));
        assert_eq!(asset_bonus(d("30000000"), d("0.0005"), Some(d("10000"))), d("10000"));
    }

    #[test]
    fn cap_deduction_only_above_the_cap() {
        assert_eq!(cap_deduction(d("59999.99"), Some(d("60000"))), d("0"));
        assert_eq!(cap_deduction(d("60000"), Some(d("60000"))), d("0"));
        assert_eq!(cap_deduction(d("60000.01"), Some(d("60000"))), d("-0.01"));
        assert_eq!(cap_deduction(d("1000000"), None), d("0"));
    }
}
