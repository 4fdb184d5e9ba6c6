//! What earlier months carry into a month: prior-period adjustments (SPEC §4.10) and the
//! accounts whose bonus may be recovered (SPEC §4.9).
//!
//! Takes nothing from files: the application works these out from the closed months and hands
//! them to [`super::compute_month`]; gives the lines the 以前月份调整 sheet lists and the
//! `prior_period` component sums.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::YearMonth;
use crate::model::{Components, Person};

/// One closed month's correction for one manager, carried into the month being computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorPeriodLine {
    /// The closed month whose inputs changed.
    pub month: YearMonth,
    pub manager_id: String,
    /// Who the manager is, from the latest roster that lists them (used when the manager is not
    /// active in the month that carries the line).
    pub person: Person,
    pub level: String,
    pub level_label: String,
    /// The components as closed, without the closed month's own prior-period adjustment.
    pub closed: Components,
    /// The components recomputed from the month's current files.
    pub recomputed: Components,
    /// What closed months between the two already carried for this month and manager.
    pub carried_before: Decimal,
    /// recomputed total − closed total − carried before: the prior-period amount of this line.
    pub amount: Decimal,
    /// The month's input files that were added, removed or changed since it was closed.
    pub files_changed: Vec<String>,
}

/// Everything earlier months carry into the month being computed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Carried {
    pub prior_period: Vec<PriorPeriodLine>,
    /// The accounts watched for clawback (empty when the month's standard has none).
    pub clawback: Vec<super::BonusAccount>,
}
