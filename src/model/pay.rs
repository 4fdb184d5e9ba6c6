//! The pay components of SPEC §4 and the columns of the payroll and the report, by name.
//!
//! Takes nothing; gives [`Component`] (one exhaustive list, in report order), [`Components`] (a
//! manager's rounded amounts, one named field each), [`Metric`] and [`Metrics`] (the figures shown
//! beside them) and [`Column`], from which the payroll header, the report's columns and their
//! labels are all derived. Adding a component is a compile error everywhere it is not yet handled:
//! in [`Components::get`], in the labels of each locale, and in the rules that set it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A pay component (SPEC §4.6), in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    /// 基本工资 (§4.2).
    BaseSalary,
    /// 考核扣减 (§4.3), ≤ 0.
    MinimumPenalty,
    /// 净佣金提成 (§4.4).
    NetCommissionPay,
    /// 其他收入提成 (§4.6).
    OtherRevenuePay,
    /// 开户奖励 (§4.5).
    AccountBonus,
    /// 资产奖励 (§4.6).
    AssetBonus,
    /// 管理津贴 (§4.6), group leaders only.
    LeaderOverride,
    /// 封顶扣减 (§4.6), ≤ 0.
    CapDeduction,
    /// 手工调整 (§4.6).
    Adjustments,
    /// 开户奖励回收 (§4.9), ≤ 0, outside the cap.
    Clawback,
    /// 以前月份调整 (§4.10), outside the cap.
    PriorPeriod,
}

impl Component {
    /// Every component, in report order: the one list the payroll, the report and the labels
    /// follow.
    pub const ALL: [Component; 11] = [
        Component::BaseSalary,
        Component::MinimumPenalty,
        Component::NetCommissionPay,
        Component::OtherRevenuePay,
        Component::AccountBonus,
        Component::AssetBonus,
        Component::LeaderOverride,
        Component::CapDeduction,
        Component::Adjustments,
        Component::Clawback,
        Component::PriorPeriod,
    ];

    /// The payroll CSV's column name.
    pub fn key(self) -> &'static str {
        match self {
            Component::BaseSalary => "base_salary",
            Component::MinimumPenalty => "minimum_penalty",
            Component::NetCommissionPay => "net_commission_pay",
            Component::OtherRevenuePay => "other_revenue_pay",
            Component::AccountBonus => "account_bonus",
            Component::AssetBonus => "asset_bonus",
            Component::LeaderOverride => "leader_override",
            Component::CapDeduction => "cap_deduction",
            Component::Adjustments => "adjustments",
            Component::Clawback => "clawback",
            Component::PriorPeriod => "prior_period",
        }
    }

    /// The components the cap of §4.6 applies to.
    pub fn is_variable(self) -> bool {
        match self {
            Component::NetCommissionPay
            | Component::OtherRevenuePay
            | Component::AccountBonus
            | Component::AssetBonus
            | Component::LeaderOverride => true,
            Component::BaseSalary
            | Component::MinimumPenalty
            | Component::CapDeduction
            | Component::Adjustments
            | Component::Clawback
            | Component::PriorPeriod => false,
        }
    }
}

/// One value per component, by name: adding a component to [`Component`] makes every table of
/// this shape (amounts, labels) a compile error until it has the new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByComponent<T> {
    pub base_salary: T,
    pub minimum_penalty: T,
    pub net_commission_pay: T,
    pub other_revenue_pay: T,
    pub account_bonus: T,
    pub asset_bonus: T,
    pub leader_override: T,
    pub cap_deduction: T,
    pub adjustments: T,
    pub clawback: T,
    pub prior_period: T,
}

/// A manager's components, each rounded once by the standard's rounding.
pub type Components = ByComponent<Decimal>;

impl<T: Copy> ByComponent<T> {
    pub fn get(&self, c: Component) -> T {
        *self.at(c)
    }

    fn at(&self, c: Component) -> &T {
        match c {
            Component::BaseSalary => &self.base_salary,
            Component::MinimumPenalty => &self.minimum_penalty,
            Component::NetCommissionPay => &self.net_commission_pay,
            Component::OtherRevenuePay => &self.other_revenue_pay,
            Component::AccountBonus => &self.account_bonus,
            Component::AssetBonus => &self.asset_bonus,
            Component::LeaderOverride => &self.leader_override,
            Component::CapDeduction => &self.cap_deduction,
            Component::Adjustments => &self.adjustments,
            Component::Clawback => &self.clawback,
            Component::PriorPeriod => &self.prior_period,
        }
    }

    pub fn get_mut(&mut self, c: Component) -> &mut T {
        match c {
            Component::BaseSalary => &mut self.base_salary,
            Component::MinimumPenalty => &mut self.minimum_penalty,
            Component::NetCommissionPay => &mut self.net_commission_pay,
            Component::OtherRevenuePay => &mut self.other_revenue_pay,
            Component::AccountBonus => &mut self.account_bonus,
            Component::AssetBonus => &mut self.asset_bonus,
            Component::LeaderOverride => &mut self.leader_override,
            Component::CapDeduction => &mut self.cap_deduction,
            Component::Adjustments => &mut self.adjustments,
            Component::Clawback => &mut self.clawback,
            Component::PriorPeriod => &mut self.prior_period,
        }
    }
}

impl ByComponent<Decimal> {
    /// The total: the sum of the rounded components, so every row foots to the fen.
    pub fn total(&self) -> Decimal {
        Component::ALL.iter().map(|c| self.get(*c)).sum()
    }

    /// The sum of the variable components (what the cap of §4.6 limits).
    pub fn variable(&self) -> Decimal {
        Component::ALL.iter().filter(|c| c.is_variable()).map(|c| self.get(*c)).sum()
    }

    /// Add `other` into `self`, component by component.
    pub fn add(&mut self, other: &Components) {
        for c in Component::ALL {
            *self.get_mut(c) += other.get(c);
        }
    }
}

/// The metrics as every report and the payroll show them: the exact credited sums of §4.1,
/// each rounded on its own by the standard's rounding (net revenue from the exact sum too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metrics {
    pub net_commission: Decimal,
    pub other_revenue: Decimal,
    pub net_revenue: Decimal,
    pub net_inflow: Decimal,
    pub month_end_assets: Decimal,
}

impl Metrics {
    pub fn add(&mut self, o: &Metrics) {
        self.net_commission += o.net_commission;
        self.other_revenue += o.other_revenue;
        self.net_revenue += o.net_revenue;
        self.net_inflow += o.net_inflow;
        self.month_end_assets += o.month_end_assets;
    }
}

/// A figure shown beside the components: an amount of [`Metrics`] or a count of accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// 净佣金.
    NetCommission,
    /// 其他净收入.
    OtherRevenue,
    /// 净收入.
    NetRevenue,
    /// 资金净流入.
    NetInflow,
    /// 月末资产.
    MonthEndAssets,
    /// 新开户.
    NewAccounts,
    /// 有效户.
    ValidAccounts,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::NetCommission,
        Metric::OtherRevenue,
        Metric::NetRevenue,
        Metric::NetInflow,
        Metric::MonthEndAssets,
        Metric::NewAccounts,
        Metric::ValidAccounts,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Metric::NetCommission => "net_commission",
            Metric::OtherRevenue => "other_revenue",
            Metric::NetRevenue => "net_revenue",
            Metric::NetInflow => "net_inflow",
            Metric::MonthEndAssets => "month_end_assets",
            Metric::NewAccounts => "new_accounts",
            Metric::ValidAccounts => "valid_accounts",
        }
    }

    /// A count (written without decimals), not an amount.
    pub fn is_count(self) -> bool {
        matches!(self, Metric::NewAccounts | Metric::ValidAccounts)
    }
}

/// Who a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    ManagerId,
    Name,
    Team,
    Group,
    Level,
    Employment,
}

impl Identity {
    pub const ALL: [Identity; 6] =
        [Identity::ManagerId, Identity::Name, Identity::Team, Identity::Group, Identity::Level, Identity::Employment];

    pub fn key(self) -> &'static str {
        match self {
            Identity::ManagerId => "manager_id",
            Identity::Name => "name",
            Identity::Team => "team",
            Identity::Group => "group",
            Identity::Level => "level",
            Identity::Employment => "employment",
        }
    }
}

/// A column of a manager's row, in the payroll CSV and in the compensation report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Identity(Identity),
    Metric(Metric),
    Component(Component),
    /// 应发合计.
    Total,
}

impl Column {
    /// The payroll CSV's header name (always English, SPEC §5 item 6).
    pub fn key(self) -> &'static str {
        match self {
            Column::Identity(i) => i.key(),
            Column::Metric(m) => m.key(),
            Column::Component(c) => c.key(),
            Column::Total => "total",
        }
    }

    /// The payroll CSV's columns: identity, every metric, every component, the total.
    pub fn payroll() -> Vec<Column> {
        let mut v: Vec<Column> = Identity::ALL.iter().map(|i| Column::Identity(*i)).collect();
        v.extend(Metric::ALL.iter().map(|m| Column::Metric(*m)));
        v.extend(Component::ALL.iter().map(|c| Column::Component(*c)));
        v.push(Column::Total);
        v
    }

    /// The compensation report's columns (SPEC §5 item 1): identity, the metrics but month-end
    /// assets, every component, the total.
    pub fn report() -> Vec<Column> {
        Column::payroll().into_iter().filter(|c| *c != Column::Metric(Metric::MonthEndAssets)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant's place in [`Component::ALL`]; a new variant fails to compile here until
    /// it is given one (and the list below then fails until it is in `ALL`).
    fn place(c: Component) -> usize {
        match c {
            Component::BaseSalary => 0,
            Component::MinimumPenalty => 1,
            Component::NetCommissionPay => 2,
            Component::OtherRevenuePay => 3,
            Component::AccountBonus => 4,
            Component::AssetBonus => 5,
            Component::LeaderOverride => 6,
            Component::CapDeduction => 7,
            Component::Adjustments => 8,
            Component::Clawback => 9,
            Component::PriorPeriod => 10,
        }
    }

    #[test]
    fn every_component_is_listed_once_in_order() {
        for (i, c) in Component::ALL.iter().enumerate() {
            assert_eq!(place(*c), i, "{c:?}");
        }
    }

    #[test]
    fn the_payroll_header_is_the_one_of_the_spec() {
        let header: Vec<&str> = Column::payroll().iter().map(|c| c.key()).collect();
        assert_eq!(
            header.join(","),
            "manager_id,name,team,group,level,employment,net_commission,other_revenue,net_revenue,net_inflow,month_end_assets,new_accounts,valid_accounts,base_salary,minimum_penalty,net_commission_pay,other_revenue_pay,account_bonus,asset_bonus,leader_override,cap_deduction,adjustments,clawback,prior_period,total"
        );
        assert_eq!(Column::report().len(), 24);
    }

    #[test]
    fn the_total_is_the_sum_of_the_components() {
        let mut c = Components::default();
        for (i, k) in Component::ALL.iter().enumerate() {
            *c.get_mut(*k) = Decimal::from(i as i64 + 1);
        }
        assert_eq!(c.total(), Decimal::from(66));
        assert_eq!(c.variable(), Decimal::from(3 + 4 + 5 + 6 + 7));
    }
}
