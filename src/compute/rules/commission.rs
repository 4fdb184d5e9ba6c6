//! §4.4 净佣金提成: the level's commission schedule applied to the credited net commission.
//! `marginal` (超额累进): each tier's rate applies to the part of NC inside it; `whole` (全额累进):
//! the rate of the tier that contains NC applies to all of it. Tiers are half-open,
//! `(previous up_to, up_to]`; NC ≤ 0 earns nothing.
//!
//! Takes the schedule and NC; gives each tier's part and the rounded commission.

use rust_decimal::Decimal;

pub use crate::compute::working::{Commission, TierPart};
use crate::config::{Schedule, ScheduleMode};
use crate::money::Rounding;

/// The exact commission of NC under a schedule, tier by tier.
pub fn tiers(schedule: &Schedule, nc: Decimal) -> (Decimal, Vec<TierPart>) {
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

/// 净佣金提成 of §4.4.
pub fn commission(schedule: &Schedule, nc: Decimal, r: Rounding) -> Commission {
    let (exact, parts) = tiers(schedule, nc);
    Commission {
        schedule: schedule.name.clone(),
        mode: schedule.mode,
        net_commission: nc,
        parts,
        exact,
        value: r.round(exact),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Tier;
    use crate::testing::d;

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
        assert_eq!(tiers(&employee(ScheduleMode::Marginal), d("45000")).0, d("10500.00"));
        assert_eq!(tiers(&employee(ScheduleMode::Whole), d("45000")).0, d("13500.00"));
    }

    #[test]
    fn a_tier_includes_its_exact_up_to() {
        // (0, 30000] at 20%: 30,000 is still wholly in the first tier.
        assert_eq!(tiers(&employee(ScheduleMode::Whole), d("30000")).0, d("6000"));
        assert_eq!(tiers(&employee(ScheduleMode::Whole), d("30000.01")).0, d("9000.003"));
        assert_eq!(tiers(&employee(ScheduleMode::Marginal), d("30000")).0, d("6000"));
        assert_eq!(tiers(&employee(ScheduleMode::Marginal), d("30000.01")).0, d("6000.003"));
        assert_eq!(tiers(&employee(ScheduleMode::Marginal), d("100000")).0, d("27000"));
        assert_eq!(tiers(&employee(ScheduleMode::Whole), d("100000")).0, d("30000"));
        assert_eq!(tiers(&employee(ScheduleMode::Whole), d("100000.01")).0, d("40000.004"));
        assert_eq!(tiers(&employee(ScheduleMode::Marginal), d("150000")).0, d("47000"));
    }

    #[test]
    fn no_commission_on_zero_or_negative_nc() {
        for m in [ScheduleMode::Marginal, ScheduleMode::Whole] {
            assert_eq!(tiers(&employee(m), d("0")).0, d("0"));
            assert_eq!(tiers(&employee(m), d("-500")).0, d("0"));
        }
    }
}
