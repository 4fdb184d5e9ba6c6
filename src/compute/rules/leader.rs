//! §4.6 管理津贴: a group leader earns a rate of the other active members' rounded
//! net-commission pay, members of the same team and group; a leader without a group earns 0.
//! `apply` pays it to the month's leaders.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::compute::month::ManagerPay;
pub use crate::compute::working::LeaderOverride;
use crate::config::Standard;
use crate::money::Rounding;

/// The override of a leader of `team`/`group` whose other members' pay is `others_pay`.
pub fn leader_override(
    team: &str,
    group: &str,
    members: usize,
    others_pay: Decimal,
    rate: Decimal,
    r: Rounding,
) -> LeaderOverride {
    let exact = others_pay * rate;
    LeaderOverride::Group {
        team: team.to_string(),
        group: group.to_string(),
        members,
        others_pay,
        rate,
        exact,
        value: r.round(exact),
    }
}

/// §4.6 applied to the month: each active leader's override, from every active member's rounded
/// net-commission pay (so after every rule that sets it, and before the cap).
pub(crate) fn apply(managers: &mut [ManagerPay], standard: &Standard) {
    let mut group_pay: BTreeMap<(String, String), Vec<(String, Decimal)>> = BTreeMap::new();
    for m in managers.iter().filter(|m| m.active) {
        if let Some(g) = &m.person.group {
            group_pay
                .entry((m.person.team.clone(), g.clone()))
                .or_default()
                .push((m.person.manager_id.clone(), m.components.net_commission_pay));
        }
    }
    for m in managers.iter_mut().filter(|m| m.active && m.person.leader) {
        let lo = match &m.person.group {
            Some(g) => {
                let members = &group_pay[&(m.person.team.clone(), g.clone())];
                let others: Decimal =
                    members.iter().filter(|(id, _)| *id != m.person.manager_id).map(|(_, v)| *v).sum();
                leader_override(
                    &m.person.team,
                    g,
                    members.len() - 1,
                    others,
                    standard.leader_override_rate,
                    standard.rounding,
                )
            }
            None => LeaderOverride::NoGroup,
        };
        m.components.leader_override = lo.value();
        m.working.leader_override = Some(lo);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::RoundingMode;
    use std::str::FromStr;

    #[test]
    fn five_percent_of_the_others_rounded_pay() {
        let r = Rounding { mode: RoundingMode::HalfUp, scale: 2 };
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let lo = leader_override("甲队", "一组", 2, d("10500.30"), d("0.05"), r);
        assert_eq!(lo.value(), d("525.02"), "525.015 half up");
        assert_eq!(LeaderOverride::NoGroup.value(), d("0"));
    }
}
