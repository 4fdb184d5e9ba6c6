//! A month's context: everything its outputs take from other months.
//!
//! The returning clients (accounts opened in earlier months), the prior-period adjustments
//! carried into it, the accounts watched for clawback, and the summaries of the months its analysis compares it with. An open
//! month's context is worked out by the ledger from the other months as they are now; a closed
//! month's is the one archived when it was closed, so that it regenerates identically forever.

use serde::{Deserialize, Serialize};

use crate::analysis::MonthSummary;
use crate::calendar::YearMonth;
use crate::compute::{BonusAccount, Carried, PriorPeriodLine};
use crate::lookup::Lookup;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthContext {
    pub month: Option<YearMonth>,
    /// Each client with an accepted account row in an earlier month, with the first such month,
    /// sorted by client.
    pub earlier_clients: Vec<(String, YearMonth)>,
    /// The prior-period lines carried into the month.
    pub prior_period: Vec<PriorPeriodLine>,
    /// The accounts watched for clawback in the month (SPEC §4.9), sorted.
    #[serde(default)]
    pub clawback: Vec<BonusAccount>,
    /// The months the analysis compares the month with, `None` where a month has no inputs.
    pub neighbours: Vec<(YearMonth, Option<MonthSummary>)>,
}

impl MonthContext {
    /// The earlier clients as a lookup for ingestion.
    pub fn earlier_lookup(&self) -> Lookup<&str, YearMonth> {
        self.earlier_clients.iter().map(|(c, m)| (c.as_str(), *m)).collect()
    }

    /// What earlier months carry into the month, for compute.
    pub fn carried(&self) -> Carried {
        Carried { prior_period: self.prior_period.clone(), clawback: self.clawback.clone() }
    }

    /// A neighbour's summary (`None`: no inputs, or not a neighbour).
    pub fn neighbour(&self, m: YearMonth) -> Option<&MonthSummary> {
        self.neighbours.iter().find(|(k, _)| *k == m).and_then(|(_, s)| s.as_ref())
    }
}
