//! §4.6 封顶扣减: the variable components (net-commission pay, other-revenue pay, account
//! bonus, asset bonus, leader override) above the standard's cap are deducted (≤ 0).
//! `apply` caps the month's active managers.

use rust_decimal::Decimal;

use crate::compute::month::ManagerPay;
pub use crate::compute::working::CapDeduction;
use crate::config::Standard;
use crate::money::Rounding;

/// `−max(0, variable − cap)`; 0 without a cap.
pub fn cap_deduction(variable: Decimal, cap: Option<Decimal>, r: Rounding) -> CapDeduction {
    let exact = match cap {
        Some(c) => -(variable - c).max(Decimal::ZERO),
        None => Decimal::ZERO,
    };
    CapDeduction { variable, cap, value: r.round(exact) }
}

/// The cap applied to the month: each active manager's variable components, leader override
/// included (so after §4.6); a manager who is not active keeps the working of no cap.
pub(crate) fn apply(managers: &mut [ManagerPay], standard: &Standard) {
    for m in managers.iter_mut().filter(|m| m.active) {
        let cap = cap_deduction(m.components.variable(), standard.cap_variable_pay, standard.rounding);
        m.components.cap_deduction = cap.value;
        m.working.cap_deduction = cap;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::RoundingMode;
    use std::str::FromStr;

    #[test]
    fn only_above_the_cap() {
        let r = Rounding { mode: RoundingMode::HalfUp, scale: 2 };
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let cap = |v: &str| cap_deduction(d(v), Some(d("60000")), r).value;
        assert_eq!(cap("59999.99"), d("0"));
        assert_eq!(cap("60000"), d("0"));
        assert_eq!(cap("60000.01"), d("-0.01"));
        assert_eq!(cap_deduction(d("1000000"), None, r).value, d("0"));
    }
}
