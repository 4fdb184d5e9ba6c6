//! A manager's row, column by column: what the payroll CSV and the compensation report show in
//! each [`Column`].

use rust_decimal::Decimal;

use crate::compute::ManagerPay;
use crate::model::{Column, Identity, Metric};
use crate::money::Rounding;

/// One cell of a manager's row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    Money(Decimal),
    Count(u32),
}

impl Value<'_> {
    /// The cell as a number (a count as a whole number), for totals; text is 0.
    pub fn number(&self) -> Decimal {
        match self {
            Value::Text(_) => Decimal::ZERO,
            Value::Money(v) => *v,
            Value::Count(n) => Decimal::from(*n),
        }
    }
}

/// The value of `col` for `m`. `level` is the level as the report shows it (code in the payroll,
/// label in the workbook); `employment` likewise. Metrics are the credited sums rounded each on
/// its own.
pub fn value<'a>(m: &'a ManagerPay, col: Column, r: Rounding, level: &'a str, employment: &'a str) -> Value<'a> {
    match col {
        Column::Identity(i) => Value::Text(match i {
            Identity::ManagerId => &m.person.manager_id,
            Identity::Name => &m.person.name,
            Identity::Team => &m.person.team,
            Identity::Group => m.person.group.as_deref().unwrap_or(""),
            Identity::Level => level,
            Identity::Employment => employment,
        }),
        Column::Metric(k) => {
            let x = m.metrics(r);
            match k {
                Metric::NetCommission => Value::Money(x.net_commission),
                Metric::OtherRevenue => Value::Money(x.other_revenue),
                Metric::NetRevenue => Value::Money(x.net_revenue),
                Metric::NetInflow => Value::Money(x.net_inflow),
                Metric::MonthEndAssets => Value::Money(x.month_end_assets),
                Metric::NewAccounts => Value::Count(m.new_accounts),
                Metric::ValidAccounts => Value::Count(m.valid_accounts),
            }
        }
        Column::Component(c) => Value::Money(m.components.get(c)),
        Column::Total => Value::Money(m.total),
    }
}
