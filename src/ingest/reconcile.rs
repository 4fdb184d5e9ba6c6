//! The crm's cross-row checks and the money of the reconciliation (SPEC §7).
//!
//! Takes the month's parsed crm rows; rejects, in place, the later copies of a client–manager
//! pair, every row of a client whose client-level fields disagree across its rows or whose
//! shares total more than 100%, and the rows of managers not active. Gives, for net commission,
//! other revenue and net inflow, the file total (each client once, from its first row where the
//! value parses), the credited amount, the unattributed rest and the rejected clients' amounts —
//! computed exactly — and the month-end assets of the clients with accepted rows (§4.5).

use rust_decimal::Decimal;

use super::checks::{later_copies, reject_duplicates, reject_inactive, row_issue, Blame};
use super::parse::crm::CrmRow;
use super::read::{Activity, InputFile};
use crate::lookup::Lookup;
use crate::model::fields::crm as C;
use crate::model::{Duplicated, Issue, Kind, Reason};

/// One crm money field's reconciliation: file total = credited + unattributed + rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoneyRecon {
    pub file_total: Decimal,
    pub credited: Decimal,
    pub unattributed: Decimal,
    pub rejected: Decimal,
}

pub fn check_crm(
    crm: &mut [CrmRow],
    files: &[InputFile],
    issues: &mut Vec<Issue>,
    activity: &Activity,
) -> (Lookup<String, Decimal>, [MoneyRecon; 3], Decimal) {
    // Rows of each client, in file order: one array of row indexes grouped by client (no
    // allocation per client; a million-row month has nearly as many clients).
    let mut index: Lookup<&str, usize> = Lookup::with_capacity(crm.len());
    let mut client_of: Vec<usize> = vec![usize::MAX; crm.len()];
    let mut n_clients = 0usize;
    for (i, r) in crm.iter().enumerate() {
        if let Some(c) = r.client_id.as_deref() {
            let n = n_clients;
            let ci = *index.get_or_insert_with(c, || n);
            if ci == n {
                n_clients += 1;
            }
            client_of[i] = ci;
        }
    }
    drop(index);
    let mut starts = vec![0usize; n_clients + 1];
    for &c in client_of.iter().filter(|c| **c != usize::MAX) {
        starts[c + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut order = vec![0usize; starts[n_clients]];
    let mut fill = starts.clone();
    for (i, &c) in client_of.iter().enumerate().filter(|(_, c)| **c != usize::MAX) {
        order[fill[c]] = i;
        fill[c] += 1;
    }
    drop((client_of, fill));
    let clients = || (0..n_clients).map(|k| &order[starts[k]..starts[k + 1]]);

    type Getter = fn(&CrmRow) -> Option<Decimal>;
    const CLIENT_FIELDS: [(&str, Getter); 6] = [
        ("month_end_assets", |r| r.month_end_assets),
        ("avg_daily_assets", |r| r.avg_daily_assets),
        ("net_inflow", |r| r.net_inflow),
        ("trade_volume", |r| r.trade_volume),
        ("net_commission", |r| r.net_commission),
        ("other_revenue", |r| r.other_revenue),
    ];
    const RECON: [Getter; 3] = [|r| r.net_commission, |r| r.other_revenue, |r| r.net_inflow];

    // Duplicates: the same client and manager twice (rows without a client are rejected already).
    let raw = |r: &CrmRow| r.client_id.clone().unwrap_or_default();
    let blame = Blame { kind: Kind::Crm, field: C::CLIENT_ID, raw: &raw };
    let copies = later_copies(crm, |r| (r.client_id.as_deref(), r.manager_id.as_deref()));
    let what = |r: &CrmRow| Duplicated::ClientManager {
        client: r.client_id.clone().unwrap_or_default(),
        manager: r.manager_id.clone().unwrap_or_default(),
    };
    reject_duplicates(crm, copies, blame, what, files, issues);

    for rows in clients() {
        // Client-level fields must agree on every row where they parse.
        let mut disagreement: Option<Reason> = None;
        for (name, get) in CLIENT_FIELDS {
            let mut first: Option<(Decimal, u32)> = None;
            for &i in rows {
                if let Some(v) = get(&crm[i]) {
                    match first {
                        None => first = Some((v, crm[i].row)),
                        Some((f, frow)) if f != v => {
                            disagreement.get_or_insert_with(|| Reason::ClientDisagrees {
                                field: (*name).into(),
                                first: f.normalize().to_string(),
                                first_row: frow,
                                other: v.normalize().to_string(),
                                other_row: crm[i].row,
                            });
                        }
                        _ => {}
                    }
                }
            }
        }
        let shares: Decimal = rows.iter().filter(|&&i| crm[i].accepted).filter_map(|&i| crm[i].share).sum();
        let reject_all = match disagreement {
            Some(d) => Some(d),
            None if shares > Decimal::ONE => {
                Some(Reason::SharesAbove((shares * Decimal::ONE_HUNDRED).normalize().to_string()))
            }
            None => None,
        };
        if let Some(why) = reject_all {
            for &i in rows {
                let r = &mut crm[i];
                if r.accepted {
                    r.accepted = false;
                    let raw = r.client_id.clone().unwrap_or_default();
                    issues.push(row_issue(Kind::Crm, files, r, C::CLIENT_ID, raw, why.clone()));
                }
            }
        }
    }
    // The manager's activity, row by row: a rejected row's share becomes unattributed.
    reject_inactive(crm, (Kind::Crm, C::MANAGER_ID), activity, files, issues);

    let mut recon: [MoneyRecon; 3] = Default::default();
    let mut client_assets = Lookup::with_capacity(n_clients);
    // The file total of month-end assets (§4.11 `totals`): each client once, from its first row
    // where the value parses, like the money of the reconciliation.
    let mut assets_total = Decimal::ZERO;
    for rows in clients() {
        if let Some(a) = rows.iter().find_map(|&i| crm[i].month_end_assets) {
            assets_total += a;
        }
        // Reconciliation: file total, credited, unattributed, rejected.
        let any_accepted = rows.iter().any(|&i| crm[i].accepted);
        let accepted_shares: Decimal = rows.iter().filter(|&&i| crm[i].accepted).filter_map(|&i| crm[i].share).sum();
        for (k, get) in RECON.iter().enumerate() {
            let Some(v) = rows.iter().find_map(|&i| get(&crm[i])) else { continue };
            recon[k].file_total += v;
            if any_accepted {
                for &i in rows.iter().filter(|&&i| crm[i].accepted) {
                    let s = crm[i].share.unwrap_or(Decimal::ONE);
                    recon[k].credited += if s == Decimal::ONE { v } else { v * s };
                }
                if accepted_shares != Decimal::ONE {
                    recon[k].unattributed += v * (Decimal::ONE - accepted_shares);
                }
            } else {
                recon[k].rejected += v;
            }
        }
        if any_accepted {
            if let (Some(c), Some(a)) =
                (crm[rows[0]].client_id.clone(), rows.iter().find_map(|&i| crm[i].month_end_assets))
            {
                client_assets.insert(c, a);
            }
        }
    }
    (client_assets, recon, assets_total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn row(n: u32, client: &str, manager: &str, share: &str, nc: &str) -> CrmRow {
        CrmRow {
            file: 0,
            row: n,
            accepted: true,
            client_id: Some(client.into()),
            client_name: String::new(),
            manager_id: Some(manager.into()),
            relation: None,
            share: Some(d(share)),
            month_end_assets: Some(d("1000")),
            avg_daily_assets: None,
            net_inflow: Some(d("0")),
            trade_volume: None,
            net_commission: Some(d(nc)),
            other_revenue: Some(d("0")),
        }
    }

    #[test]
    fn client_rows_that_disagree_or_exceed_100_percent_are_rejected_and_the_money_foots() {
        let mut crm = vec![
            row(2, "C1", "A", "0.7", "100"),
            row(3, "C1", "B", "0.2", "100"),
            row(4, "C2", "A", "0.6", "50"),
            row(5, "C2", "B", "0.5", "50"),
            row(6, "C3", "A", "1", "10"),
            row(7, "C3", "B", "1", "11"),
            row(8, "C4", "Z", "1", "7"),
            row(9, "C1", "A", "0.7", "100"),
        ];
        let files = vec![InputFile::for_tests(Kind::Crm, "crm.csv")];
        let mut issues = Vec::new();
        let activity = Activity::for_tests(&["A", "B"], &["A", "B"], "2026-10");
        let (assets, money, assets_total) = check_crm(&mut crm, &files, &mut issues, &activity);
        assert_eq!(assets_total, d("4000"), "every client once, rejected ones included");
        let accepted: Vec<u32> = crm.iter().filter(|r| r.accepted).map(|r| r.row).collect();
        assert_eq!(accepted, [2, 3], "C2 over 100%, C3 disagrees, C4's manager is unknown, row 9 a duplicate");
        let nc = &money[0];
        // File total: each client once (100 + 50 + 10 + 7); C1 credits 90% and leaves 10%.
        assert_eq!(nc.file_total, d("167"));
        assert_eq!((nc.credited, nc.unattributed, nc.rejected), (d("90.0"), d("10.0"), d("67")));
        assert_eq!(nc.file_total, nc.credited + nc.unattributed + nc.rejected);
        assert_eq!(assets.get("C1"), Some(&d("1000")));
        assert_eq!(assets.get("C2"), None, "a client whose rows were all rejected has no assets");
        let reasons: Vec<String> = issues.iter().map(|i| i.reason.to_string()).collect();
        assert!(reasons.iter().any(|r| r.starts_with("duplicate: client C1 and manager A")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("above 100%")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("net_commission disagrees")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("manager Z is not on the roster")), "{reasons:?}");
    }
}
