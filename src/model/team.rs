//! The figures of the team analysis (团队分析, SPEC §5 item 4), by name.
//!
//! Takes nothing; gives [`TeamMetric`] (one exhaustive list, in the order the report shows
//! them, each knowing whether it is a flow that adds up over months) and [`ByMetric`] (one
//! value per figure, one named field each). Adding a figure is a compile error everywhere it is
//! not yet handled: in [`ByMetric::get`], in the labels of each locale, in the report's values
//! and in the year to date of the analysis.
//!
//! These are the figures of a team, group, outlet or the branch; a manager's own figures are
//! [`super::Metric`].

/// A figure of an aggregate of the team analysis, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TeamMetric {
    /// 人数: managers of the month.
    Headcount,
    /// 员工.
    Employees,
    /// 见习: on probation.
    Probation,
    /// 兼职.
    PartTime,
    /// 新开户.
    NewAccounts,
    /// 有效户.
    ValidAccounts,
    /// 资金净流入.
    NetInflow,
    /// 月末资产.
    MonthEndAssets,
    /// 净佣金.
    NetCommission,
    /// 净收入.
    NetRevenue,
    /// 应发薪酬.
    TotalPay,
    /// 薪酬/净收入: total pay ÷ net revenue.
    PayRatio,
    /// 人均净收入: net revenue per head.
    RevenuePerHead,
}

impl TeamMetric {
    /// Every figure, in report order.
    pub const ALL: [TeamMetric; 13] = [
        TeamMetric::Headcount,
        TeamMetric::Employees,
        TeamMetric::Probation,
        TeamMetric::PartTime,
        TeamMetric::NewAccounts,
        TeamMetric::ValidAccounts,
        TeamMetric::NetInflow,
        TeamMetric::MonthEndAssets,
        TeamMetric::NetCommission,
        TeamMetric::NetRevenue,
        TeamMetric::TotalPay,
        TeamMetric::PayRatio,
        TeamMetric::RevenuePerHead,
    ];

    /// A flow adds up over months (its year to date is the sum of the months); a stock
    /// (headcount, month-end assets) and a ratio do not, and have no year to date.
    pub fn is_flow(self) -> bool {
        match self {
            TeamMetric::NewAccounts
            | TeamMetric::ValidAccounts
            | TeamMetric::NetInflow
            | TeamMetric::NetCommission
            | TeamMetric::NetRevenue
            | TeamMetric::TotalPay => true,
            TeamMetric::Headcount
            | TeamMetric::Employees
            | TeamMetric::Probation
            | TeamMetric::PartTime
            | TeamMetric::MonthEndAssets
            | TeamMetric::PayRatio
            | TeamMetric::RevenuePerHead => false,
        }
    }
}

/// One value per [`TeamMetric`], by name: adding a figure makes every table of this shape
/// (labels, values) a compile error until it has the new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByMetric<T> {
    pub headcount: T,
    pub employees: T,
    pub probation: T,
    pub part_time: T,
    pub new_accounts: T,
    pub valid_accounts: T,
    pub net_inflow: T,
    pub month_end_assets: T,
    pub net_commission: T,
    pub net_revenue: T,
    pub total_pay: T,
    pub pay_ratio: T,
    pub revenue_per_head: T,
}

impl<T> ByMetric<T> {
    /// The value of `m`.
    pub fn at(&self, m: TeamMetric) -> &T {
        match m {
            TeamMetric::Headcount => &self.headcount,
            TeamMetric::Employees => &self.employees,
            TeamMetric::Probation => &self.probation,
            TeamMetric::PartTime => &self.part_time,
            TeamMetric::NewAccounts => &self.new_accounts,
            TeamMetric::ValidAccounts => &self.valid_accounts,
            TeamMetric::NetInflow => &self.net_inflow,
            TeamMetric::MonthEndAssets => &self.month_end_assets,
            TeamMetric::NetCommission => &self.net_commission,
            TeamMetric::NetRevenue => &self.net_revenue,
            TeamMetric::TotalPay => &self.total_pay,
            TeamMetric::PayRatio => &self.pay_ratio,
            TeamMetric::RevenuePerHead => &self.revenue_per_head,
        }
    }

    pub fn get_mut(&mut self, m: TeamMetric) -> &mut T {
        match m {
            TeamMetric::Headcount => &mut self.headcount,
            TeamMetric::Employees => &mut self.employees,
            TeamMetric::Probation => &mut self.probation,
            TeamMetric::PartTime => &mut self.part_time,
            TeamMetric::NewAccounts => &mut self.new_accounts,
            TeamMetric::ValidAccounts => &mut self.valid_accounts,
            TeamMetric::NetInflow => &mut self.net_inflow,
            TeamMetric::MonthEndAssets => &mut self.month_end_assets,
            TeamMetric::NetCommission => &mut self.net_commission,
            TeamMetric::NetRevenue => &mut self.net_revenue,
            TeamMetric::TotalPay => &mut self.total_pay,
            TeamMetric::PayRatio => &mut self.pay_ratio,
            TeamMetric::RevenuePerHead => &mut self.revenue_per_head,
        }
    }

    /// Every figure with its value, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (TeamMetric, &T)> + '_ {
        TeamMetric::ALL.into_iter().map(move |m| (m, self.at(m)))
    }

    /// A table of the same shape: `f` of each figure and its value.
    pub fn map<U>(&self, mut f: impl FnMut(TeamMetric, &T) -> U) -> ByMetric<U> {
        ByMetric {
            headcount: f(TeamMetric::Headcount, &self.headcount),
            employees: f(TeamMetric::Employees, &self.employees),
            probation: f(TeamMetric::Probation, &self.probation),
            part_time: f(TeamMetric::PartTime, &self.part_time),
            new_accounts: f(TeamMetric::NewAccounts, &self.new_accounts),
            valid_accounts: f(TeamMetric::ValidAccounts, &self.valid_accounts),
            net_inflow: f(TeamMetric::NetInflow, &self.net_inflow),
            month_end_assets: f(TeamMetric::MonthEndAssets, &self.month_end_assets),
            net_commission: f(TeamMetric::NetCommission, &self.net_commission),
            net_revenue: f(TeamMetric::NetRevenue, &self.net_revenue),
            total_pay: f(TeamMetric::TotalPay, &self.total_pay),
            pay_ratio: f(TeamMetric::PayRatio, &self.pay_ratio),
            revenue_per_head: f(TeamMetric::RevenuePerHead, &self.revenue_per_head),
        }
    }
}

impl<T: Copy> ByMetric<T> {
    pub fn get(&self, m: TeamMetric) -> T {
        *self.at(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant's place in [`TeamMetric::ALL`]; a new variant fails to compile here until
    /// it is given one (and the test then fails until it is in `ALL`).
    fn place(m: TeamMetric) -> usize {
        match m {
            TeamMetric::Headcount => 0,
            TeamMetric::Employees => 1,
            TeamMetric::Probation => 2,
            TeamMetric::PartTime => 3,
            TeamMetric::NewAccounts => 4,
            TeamMetric::ValidAccounts => 5,
            TeamMetric::NetInflow => 6,
            TeamMetric::MonthEndAssets => 7,
            TeamMetric::NetCommission => 8,
            TeamMetric::NetRevenue => 9,
            TeamMetric::TotalPay => 10,
            TeamMetric::PayRatio => 11,
            TeamMetric::RevenuePerHead => 12,
        }
    }

    #[test]
    fn every_team_metric_is_listed_once_in_order() {
        for (i, m) in TeamMetric::ALL.iter().enumerate() {
            assert_eq!(place(*m), i, "{m:?}");
        }
    }

    #[test]
    fn each_field_answers_for_its_own_metric() {
        let places = ByMetric::<usize>::default().map(|m, _| place(m));
        for m in TeamMetric::ALL {
            assert_eq!(places.get(m), place(m), "{m:?}");
        }
        let mut t = places;
        for m in TeamMetric::ALL {
            *t.get_mut(m) += 100;
        }
        let seen: Vec<(TeamMetric, usize)> = t.iter().map(|(m, v)| (m, *v)).collect();
        assert_eq!(seen, TeamMetric::ALL.map(|m| (m, place(m) + 100)).to_vec());
    }

    #[test]
    fn the_flows_are_the_figures_that_add_up_over_months() {
        let flows: Vec<TeamMetric> = TeamMetric::ALL.into_iter().filter(|m| m.is_flow()).collect();
        assert_eq!(
            flows,
            [
                TeamMetric::NewAccounts,
                TeamMetric::ValidAccounts,
                TeamMetric::NetInflow,
                TeamMetric::NetCommission,
                TeamMetric::NetRevenue,
                TeamMetric::TotalPay
            ]
        );
    }
}
