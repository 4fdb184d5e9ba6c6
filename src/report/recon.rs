//! 对账: the reconciliation equations of SPEC §7 in words, each with its exact figures.
//!
//! Takes the month's [`Reconciliation`] (counted and summed where the figures arise, in ingest
//! and compute); gives one [`Equation`] per input kind's rows, per crm money field, for the
//! accounts, and for the pay totals.

use rust_decimal::Decimal;

use super::labels::ReconLabels;
use crate::compute::Reconciliation;
use crate::model::Kind;
use crate::money::exact;

/// One equation: `left = right`, with the working written out.
#[derive(Debug, Clone)]
pub struct Equation {
    pub item: String,
    pub equation: String,
    pub left: Decimal,
    pub right: Decimal,
}

impl Equation {
    pub fn holds(&self) -> bool {
        self.left == self.right
    }
}

/// Every equation of the month.
pub fn equations(r: &Reconciliation, w: &ReconLabels) -> Vec<Equation> {
    let mut out = Vec::new();
    let d = |n: u64| Decimal::from(n);

    for k in &r.rows {
        out.push(Equation {
            item: format!("{}: {}", w.kind(k.kind), w.rows),
            equation: format!(
                "{} {} = {} {} + {} {} + {} {}",
                w.read, k.read, w.accepted, k.accepted, w.rejected, k.rejected, w.skipped, k.skipped
            ),
            left: d(k.read),
            right: d(k.accepted) + d(k.rejected) + d(k.skipped),
        });
    }

    for (m, name) in r.money.iter().zip(w.money) {
        out.push(Equation {
            item: format!("{}: {name}", w.kind(Kind::Crm)),
            equation: format!(
                "{} {} = {} {} + {} {} + {} {}",
                w.file_total,
                exact(m.file_total),
                w.credited,
                exact(m.credited),
                w.unattributed,
                exact(m.unattributed),
                w.rejected_clients,
                exact(m.rejected)
            ),
            left: m.file_total,
            right: m.credited + m.unattributed + m.rejected,
        });
    }

    let a = &r.accounts;
    out.push(Equation {
        item: format!("{}: {}", w.kind(Kind::Accounts), w.accounts),
        equation: format!(
            "{} {} = {} {} + {} {} + {} {} + {} {}",
            w.rows,
            a.rows,
            w.valid,
            a.valid,
            w.not_valid,
            a.not_valid,
            w.returning,
            a.returning,
            w.rejected,
            a.rejected
        ),
        left: d(a.rows),
        right: d(a.valid) + d(a.not_valid) + d(a.returning) + d(a.rejected),
    });

    // Pay: the grand total against the components and against the team subtotals.
    out.push(Equation {
        item: w.total_pay.to_string(),
        equation: format!("{} {} = {} {}", w.sum_rows, exact(r.pay_rows), w.sum_components, exact(r.pay_components)),
        left: r.pay_rows,
        right: r.pay_components,
    });
    let teams_total: Decimal = r.team_totals.iter().map(|(_, v)| *v).sum();
    out.push(Equation {
        item: w.team_subtotals.to_string(),
        equation: format!("{} {} = {} {}", w.sum_subtotals, exact(teams_total), w.grand_total, exact(r.pay_rows)),
        left: teams_total,
        right: r.pay_rows,
    });
    out
}
