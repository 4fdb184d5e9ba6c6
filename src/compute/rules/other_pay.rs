//! §4.6 其他收入提成 and 资产奖励: a rate on the positive credited other revenue, and a rate on
//! the positive credited net inflow up to a cap.

use rust_decimal::Decimal;

pub use crate::compute::working::{AssetBonus, OtherRevenuePay};
use crate::money::Rounding;

/// `max(OR, 0) × rate`.
pub fn other_revenue_pay(or: Decimal, rate: Decimal, r: Rounding) -> OtherRevenuePay {
    let exact = or.max(Decimal::ZERO) * rate;
    OtherRevenuePay { other_revenue: or, rate, exact, value: r.round(exact) }
}

/// `min(max(NI, 0) × rate, cap)`.
pub fn asset_bonus(ni: Decimal, rate: Decimal, cap: Option<Decimal>, r: Rounding) -> AssetBonus {
    let v = ni.max(Decimal::ZERO) * rate;
    let exact = match cap {
        Some(c) => v.min(c),
        None => v,
    };
    AssetBonus { net_inflow: ni, rate, cap, exact, value: r.round(exact) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::RoundingMode;
    use crate::testing::d;

    const R: Rounding = Rounding { mode: RoundingMode::HalfUp, scale: 2 };

    #[test]
    fn asset_bonus_floor_and_cap() {
        let ab = |ni: &str| asset_bonus(d(ni), d("0.0005"), Some(d("10000")), R).exact;
        assert_eq!(ab("-100"), d("0"));
        assert_eq!(ab("1000000"), d("500"));
        assert_eq!(ab("20000000"), d("10000"));
        assert_eq!(ab("30000000"), d("10000"));
        assert_eq!(asset_bonus(d("30000000"), d("0.0005"), None, R).exact, d("15000"));
    }

    #[test]
    fn other_revenue_pay_is_on_the_positive_part() {
        assert_eq!(other_revenue_pay(d("-50"), d("0.10"), R).value, d("0"));
        assert_eq!(other_revenue_pay(d("1234.55"), d("0.10"), R).value, d("123.46"), "123.455 half up");
    }
}
