//! What each rule records of its calculation (the working of 计算明细, the pay statements and
//! `explain`), and the accounts the clawback watches: the vocabulary the rules' formulas return
//! and the month's result carries. A leaf of `compute`: the rule files (formula and application)
//! and the month's result types (`month.rs`) both import it, so neither imports the other.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::config::ScheduleMode;

/// How the test came out.
#[derive(Debug, Clone, PartialEq)]
pub enum MinimumOutcome {
    /// Hired within the month: exempt.
    ExemptHired(YearMonth),
    /// A base salary of 0: exempt.
    ExemptBaseZero,
    /// Both floors missed: `−base × ratio`.
    BothMissed { base: Decimal, ratio: Decimal },
    /// At least one floor met.
    NotBothMissed,
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

/// The commission and what it was made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Commission {
    pub schedule: String,
    pub mode: ScheduleMode,
    pub net_commission: Decimal,
    /// Empty when NC ≤ 0.
    pub parts: Vec<TierPart>,
    pub exact: Decimal,
    pub value: Decimal,
}

/// The figures compared with the floors.
#[derive(Debug, Clone, PartialEq)]
pub struct MinimumTest {
    pub valid_accounts: u32,
    pub min_valid_accounts: u32,
    pub net_revenue: Decimal,
    pub min_net_revenue: Decimal,
    pub outcome: MinimumOutcome,
}

impl MinimumTest {
    pub fn valid_accounts_missed(&self) -> bool {
        self.valid_accounts < self.min_valid_accounts
    }
    pub fn net_revenue_missed(&self) -> bool {
        self.net_revenue < self.min_net_revenue
    }
}

/// The penalty and its test (`None` when the standard has no `[minimum]`).
#[derive(Debug, Clone, PartialEq)]
pub struct MinimumPenalty {
    pub test: Option<MinimumTest>,
    pub value: Decimal,
}

/// The base salary of a month and what it was made of.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseSalary {
    /// The level's monthly base.
    pub level_base: Decimal,
    pub probation_ratio: Decimal,
    pub days: EmployedDays,
    /// `level_base / days_in_month × (regular days + probation days × ratio)`, unrounded.
    pub exact: Decimal,
    /// Rounded once: the component.
    pub value: Decimal,
}

/// The days of a month a person is employed, and how many of them are on probation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmployedDays {
    pub days_in_month: u32,
    pub employed: u32,
    pub probation: u32,
}

/// 封顶扣减 and what it was made of.
#[derive(Debug, Clone, PartialEq)]
pub struct CapDeduction {
    pub variable: Decimal,
    pub cap: Option<Decimal>,
    pub value: Decimal,
}

/// 管理津贴 and what it was made of.
#[derive(Debug, Clone, PartialEq)]
pub enum LeaderOverride {
    /// A leader with a group: `rate × Σ` of the other members' net-commission pay.
    Group {
        team: String,
        group: String,
        members: usize,
        others_pay: Decimal,
        rate: Decimal,
        exact: Decimal,
        value: Decimal,
    },
    /// Marked as leader, but in no group.
    NoGroup,
}

impl LeaderOverride {
    pub fn value(&self) -> Decimal {
        match self {
            LeaderOverride::Group { value, .. } => *value,
            LeaderOverride::NoGroup => Decimal::ZERO,
        }
    }
}

/// 资产奖励 and what it was made of.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetBonus {
    pub net_inflow: Decimal,
    pub rate: Decimal,
    pub cap: Option<Decimal>,
    pub exact: Decimal,
    pub value: Decimal,
}

/// 其他收入提成 and what it was made of.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherRevenuePay {
    pub other_revenue: Decimal,
    pub rate: Decimal,
    pub exact: Decimal,
    pub value: Decimal,
}

/// Why a new account is not valid.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    LowDeposit { deposit: Decimal, min: Decimal },
    NotInCrm,
    LowAssets { assets: Decimal, min: Decimal },
}

/// An account that earned an account bonus (> 0) in month `month` (the bonus as §4.5 computed
/// it then, under that month's standard, before any cap).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BonusAccount {
    pub month: YearMonth,
    pub client_id: String,
    pub account_type: String,
    /// The manager credited with the account in `month`.
    pub manager_id: String,
    pub bonus: Decimal,
}

impl BonusAccount {
    /// What identifies the account across months: the month paid, the client and the type.
    pub fn key(&self) -> (YearMonth, &str, &str) {
        (self.month, &self.client_id, &self.account_type)
    }
}

/// An account lost in the month.
#[derive(Debug, Clone, PartialEq)]
pub struct ClawbackLine {
    pub account: BonusAccount,
    /// The client's month-end assets in this month's accepted CRM rows; `None`: no CRM row.
    pub assets: Option<Decimal>,
    /// Recovered from the manager (active in the month); otherwise listed as information only.
    pub charged: bool,
}
