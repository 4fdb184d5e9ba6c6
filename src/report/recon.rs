//! 对账: the reconciliation equations of SPEC §7, each with its exact figures.

use rust_decimal::Decimal;

use super::compensation::row_figures;
use super::ReportCtx;
use crate::compute::MonthResult;
use crate::ingest::Kind;
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
pub fn equations(ctx: &ReportCtx<'_>) -> Vec<Equation> {
    let w = &ctx.labels.recon;
    let kind = |k: Kind| w.kinds[Kind::ALL.iter().position(|x| *x == k).unwrap_or(0)];
    let mut out = Vec::new();
    let d = |n: u64| Decimal::from(n);

    for k in Kind::ALL {
        let files: Vec<_> = ctx.input.files.iter().filter(|f| f.kind == k).collect();
        if files.is_empty() {
            continue;
        }
        let read: u64 = files.iter().map(|f| f.counts.rows_read).sum();
        let acc: u64 = files.iter().map(|f| f.accepted).sum();
        let rej: u64 = files.iter().map(|f| f.rejected).sum();
        let skip: u64 = files.iter().map(|f| f.counts.blank + f.counts.summary).sum();
        out.push(Equation {
            item: format!("{}: {}", kind(k), w.rows),
            equation: format!("{} {read} = {} {acc} + {} {rej} + {} {skip}", w.read, w.accepted, w.rejected, w.skipped),
            left: d(read),
            right: d(acc + rej + skip),
        });
    }

    for (r, name) in ctx.input.crm_recon.iter().zip(w.money) {
        out.push(Equation {
            item: format!("{}: {name}", kind(Kind::Crm)),
            equation: format!(
                "{} {} = {} {} + {} {} + {} {}",
                w.file_total,
                exact(r.file_total),
                w.credited,
                exact(r.credited),
                w.unattributed,
                exact(r.unattributed),
                w.rejected_clients,
                exact(r.rejected)
            ),
            left: r.file_total,
            right: r.credited + r.unattributed + r.rejected,
        });
    }

    let a = &ctx.result.accounts_recon;
    out.push(Equation {
        item: format!("{}: {}", kind(Kind::Accounts), w.accounts),
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
        right: d(a.valid + a.not_valid + a.returning + a.rejected),
    });

    // Pay: the grand total against the rows and against the team subtotals.
    let rows_total: Decimal = ctx.result.managers.iter().map(|m| m.total).sum();
    let components_total: Decimal = MonthResult::totals(&ctx.result.managers).0.iter().copied().sum();
    out.push(Equation {
        item: w.total_pay.to_string(),
        equation: format!("{} {} = {} {}", w.sum_rows, exact(rows_total), w.sum_components, exact(components_total)),
        left: rows_total,
        right: components_total,
    });
    let mut teams: Vec<Decimal> = Vec::new();
    let mut last: Option<&str> = None;
    for m in &ctx.result.managers {
        if last != Some(m.person.team.as_str()) {
            teams.push(Decimal::ZERO);
            last = Some(m.person.team.as_str());
        }
        *teams.last_mut().expect("pushed") += row_figures(ctx, m)[15];
    }
    let teams_total: Decimal = teams.iter().copied().sum();
    out.push(Equation {
        item: w.team_subtotals.to_string(),
        equation: format!("{} {} = {} {}", w.sum_subtotals, exact(teams_total), w.grand_total, exact(rows_total)),
        left: teams_total,
        right: rows_total,
    });
    out
}
