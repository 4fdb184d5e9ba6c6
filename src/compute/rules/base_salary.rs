//! §4.2 基本工资: the level's base, by the days of the month the manager is employed, at the
//! probation ratio before 转正.
//!
//! Takes the level's base, the standard's probation ratio and the person's dates; gives the
//! exact base and its rounded value, with the days it was made of.

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
pub use crate::compute::working::{BaseSalary, EmployedDays};
use crate::money::Rounding;

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

/// 基本工资 of §4.2.
pub fn base_salary(level_base: Decimal, probation_ratio: Decimal, days: EmployedDays, r: Rounding) -> BaseSalary {
    let exact = if days.days_in_month == 0 {
        Decimal::ZERO
    } else {
        let regular_days = Decimal::from(days.employed - days.probation);
        let weighted = regular_days + Decimal::from(days.probation) * probation_ratio;
        level_base * weighted / Decimal::from(days.days_in_month)
    };
    BaseSalary { level_base, probation_ratio, days, exact, value: r.round(exact) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::RoundingMode;
    use crate::testing::{d, date, ym};

    const R: Rounding = Rounding { mode: RoundingMode::HalfUp, scale: 2 };

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
            assert_eq!(base_salary(d("3500"), r, full, R).exact, d("3500"));
            let prob = employed_days(month, date("2020-01-01"), None, None);
            assert_eq!(base_salary(d("3500"), r, prob, R).exact, d("2800"));
            // Hired on the last day: one day of probation.
            let one = employed_days(month, month.last_day(), None, None);
            assert_eq!(base_salary(d("3500"), r, one, R).exact, d("2800") / Decimal::from(days));
        }
        // Regularised on 2026-10-11: 10 days × 0.8 + 21 days, of 31.
        let mixed = employed_days(ym("2026-10"), date("2026-07-11"), Some(date("2026-10-11")), None);
        assert_eq!((mixed.employed, mixed.probation), (31, 10));
        assert_eq!(base_salary(d("3100"), r, mixed, R).value, d("2900.00"));
    }
}
