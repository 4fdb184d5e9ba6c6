//! Compute: a month's checked inputs and its salary standard → each active manager's pay.
//!
//! Takes the [`MonthInput`] of ingestion (by value: its rows move into the result, nothing is
//! copied) and the standard in force; gives a [`ComputedMonth`] that holds everything the reports
//! need — each active manager's identity, credited figures, components and the working of every
//! rule of SPEC §4, their credited CRM rows, the month's new accounts with their outcome, the
//! adjustment rows, the reconciliation figures, and the month's files and issues. Pure: no I/O.
//! Every figure is exact until the end of its own rule (one file each in [`rules`]), where it is
//! rounded once by the standard's rounding; the total is the sum of the rounded components, so
//! every report foots to the fen. Refuses a roster level the standard does not define
//! ([`ComputeError`]).
//!
//! [`compute_month`] is the order of the rules, one step each, every step beside its rule:
//! attribution (§4.1, `attribution`), the accounts (§4.5, [`rules::account_bonus`]), each
//! manager's own rules (§4.2–4.5, `manager`), the prior period (§4.10, `prior_period`), the
//! clawback (§4.9, [`clawback`]), the leader override (§4.6, [`rules::leader`]), the cap
//! ([`rules::cap`]), the total, and the reconciliation. The result's types are in `month`.

mod attribution;
pub mod carried;
pub mod clawback;
mod manager;
mod month;
mod prior_period;
pub mod rules;
pub mod working;

pub use carried::{Carried, PriorPeriodLine};
pub use clawback::{BonusAccount, ClawbackLine};
pub use month::{
    totals, AccountOutcome, AccountsRecon, AdjustmentLine, ComputeError, ComputedMonth, Credited, CreditedRow,
    ManagerPay, Reconciliation, RowsRecon, Working,
};

use crate::config::{Config, Standard};
use crate::ingest::{InputFile, MonthInput};
use crate::model::order::Natural;
use attribution::Active;
use clawback::Watch;
use month::reconcile;
use rules::{account_bonus, cap, leader};

/// The report order of §5 item 1: team (configured order, then by name), group (by name, none
/// last), manager_id — names and ids in natural order (`9001` before `10001`, 二组 before 十组).
pub fn report_order_key(
    config: &Config,
    team: &str,
    group: Option<&str>,
    id: &str,
) -> (usize, Natural, u8, Natural, Natural) {
    (
        config.team_rank(team),
        Natural(team.to_string()),
        u8::from(group.is_none()),
        Natural(group.unwrap_or("").to_string()),
        Natural(id.to_string()),
    )
}

/// Compute every active manager's pay for the month, with what earlier months carry into it.
///
/// # Errors
/// A roster level that the standard does not know (a configuration error, SPEC §3).
pub fn compute_month(
    config: &Config,
    standard: &Standard,
    input: MonthInput,
    carried: &Carried,
) -> Result<ComputedMonth, ComputeError> {
    let MonthInput {
        month,
        files,
        crm,
        accounts,
        roster,
        adjustments,
        scores,
        mut issues,
        client_assets,
        crm_recon,
        crm_assets_total: _,
        unread,
        read_time: _,
    } = input;
    let active = Active::new(config, &roster);
    // §4.9 looks at every CRM row of a watched client, accepted or not: before §4.1 moves them.
    let watch = Watch::new(standard, &carried.clawback, &crm);

    // §4.1 attribution, and what the accounts (§4.5), adjustments and scores add to it.
    let mut tally = attribution::credit_crm(crm, &active);
    let (accounts, accounts_recon) = account_bonus::apply(accounts, &client_assets, standard, &active, &mut tally);
    let adjustments = attribution::credit_adjustments(adjustments, &files, &active, &mut tally);
    attribution::credit_scores(&scores, &active, &mut tally);

    // §4.2–4.5 on each manager's own figures; then the rules that need the whole month.
    let mut managers = manager::pay_each(standard, month, &files, &active, tally)?;
    prior_period::apply(config, standard, month, &roster, &active, &carried.prior_period, &mut managers);
    let clawback = watch.judge(month, &client_assets, &active, &files, &mut issues);
    clawback::charge(&clawback, standard.rounding, &mut managers);
    leader::apply(&mut managers, standard);
    cap::apply(&mut managers, standard);
    for m in &mut managers {
        m.total = m.components.total();
    }

    let reconciliation = reconcile(&files, crm_recon, accounts_recon, &managers);
    Ok(ComputedMonth {
        month,
        standard: standard.clone(),
        managers,
        accounts,
        adjustments,
        prior_period: carried.prior_period.clone(),
        clawback,
        reconciliation,
        files,
        issues,
        unread,
    })
}

/// The label of the month's file `file` (its path relative to the data folder).
fn file_label(files: &[InputFile], file: u16) -> String {
    files.get(file as usize).map(|f| f.label.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    //! `compute_month` on a hand-built month (no files): every component of four managers worked
    //! out by hand under the shipped 2026 standard (marginal tiers 20/30/40%, probation 0.8,
    //! minimum 2 valid accounts or NR 5,000 at 20%, other revenue 10%, asset bonus 0.05% capped
    //! at 10,000, leader override 5%, cap 60,000).
    use super::*;
    use crate::calendar::YearMonth;
    use crate::ingest::{AccountRow, AccountStatus, AdjustmentRow, CrmRow, RosterRow, ScoreRow};
    use crate::lookup::Lookup;
    use crate::model::{Employment, Kind, Person};
    use crate::testing::{d, date};
    use std::path::Path;

    fn month() -> YearMonth {
        YearMonth::parse("2026-10").unwrap()
    }
    fn config() -> Config {
        let t = "[organization]\nname = \"x\"\ncode = \"X\"\n[paths]\ndata = \"d\"\nreports = \"r\"\nstandards = \"s\"\n[[teams]]\nname = \"甲队\"\n";
        Config::parse(t, Path::new("c.toml"), Path::new(".")).unwrap()
    }
    fn standard() -> Standard {
        Standard::parse(include_str!("../../config/standards/2026.toml"), Path::new("2026.toml")).unwrap()
    }
    fn person(id: &str, team: &str, group: Option<&str>, hire: &str, regular: Option<&str>, leader: bool) -> RosterRow {
        RosterRow {
            file: 0,
            row: 2,
            accepted: true,
            active: true,
            person: Person {
                manager_id: id.into(),
                name: id.into(),
                team: team.into(),
                group: group.map(str::to_string),
                outlet: None,
                employment: Employment::Employee,
                hire_date: date(hire),
                regular_date: regular.map(date),
                leave_date: None,
                leader,
            },
            level: String::new(),
        }
    }
    fn crm(client: &str, manager: &str, share: &str, nc: &str, or: &str, ni: &str, assets: &str) -> CrmRow {
        CrmRow {
            file: 1,
            row: 2,
            accepted: true,
            client_id: Some(client.into()),
            client_name: String::new(),
            manager_id: Some(manager.into()),
            relation: None,
            share: Some(d(share)),
            month_end_assets: Some(d(assets)),
            avg_daily_assets: None,
            net_inflow: Some(d(ni)),
            trade_volume: None,
            net_commission: Some(d(nc)),
            other_revenue: Some(d(or)),
        }
    }
    fn account(client: &str, kind: &str, manager: &str, deposit: &str) -> AccountRow {
        AccountRow {
            file: 2,
            row: 2,
            status: AccountStatus::New,
            client_id: client.into(),
            client_name: String::new(),
            open_date: Some(date("2026-10-08")),
            account_type: kind.into(),
            manager_id: manager.into(),
            outlet: String::new(),
            first_deposit: d(deposit),
        }
    }

    fn input() -> MonthInput {
        let mut roster = vec![
            person("A01", "甲队", Some("一组"), "2020-01-01", Some("2020-04-01"), true),
            person("A02", "甲队", Some("一组"), "2021-01-01", Some("2021-04-01"), false),
            person("B01", "乙队", None, "2026-10-17", None, false),
            person("C01", "丙队", None, "2019-01-01", Some("2019-04-01"), false),
        ];
        for (r, level) in roster.iter_mut().zip(["L2", "客户经理", "T", "L3"]) {
            r.level = level.into();
        }
        let mut rejected = crm("C9", "A01", "1", "99999", "0", "0", "1");
        rejected.accepted = false;
        let mut client_assets = Lookup::new();
        client_assets.insert("C2".to_string(), d("200000"));
        MonthInput {
            month: month(),
            files: [Kind::Roster, Kind::Crm, Kind::Accounts, Kind::Adjustments, Kind::Scores]
                .iter()
                .map(|k| InputFile::for_tests(*k, &format!("2026-10/{k}.csv")))
                .collect(),
            crm: vec![
                crm("C1", "A01", "1", "45000", "1000", "100000", "500000"),
                crm("C2", "A02", "0.5", "20000", "0", "-10000", "200000"),
                rejected,
                crm("C3", "C01", "1", "300000", "0", "0", "0"),
            ],
            accounts: vec![
                account("C2", "A股", "A02", "20000"),
                account("C2", "创业板", "A02", "20000"),
                account("C7", "A股", "B01", "50000"),
            ],
            roster,
            adjustments: vec![AdjustmentRow {
                file: 3,
                row: 2,
                accepted: true,
                manager_id: "A02".into(),
                amount: d("-100.555"),
                category: "考勤扣款".into(),
                reason: String::new(),
            }],
            scores: vec![ScoreRow { file: 4, row: 2, accepted: true, manager_id: "A01".into(), score: d("88") }],
            issues: Vec::new(),
            client_assets,
            crm_recon: Default::default(),
            crm_assets_total: rust_decimal::Decimal::ZERO,
            unread: Vec::new(),
            read_time: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn a_hand_built_month_pays_every_component_to_the_fen() {
        let m = compute_month(&config(), &standard(), input(), &Carried::default()).unwrap();
        let ids: Vec<&str> = m.managers.iter().map(|m| m.person.manager_id.as_str()).collect();
        // Report order: the configured team, then the others by name (丙 U+4E19 before 乙 U+4E59).
        assert_eq!(ids, ["A01", "A02", "C01", "B01"]);
        let pay = |id: &str| m.managers.iter().find(|x| x.person.manager_id == id).unwrap();

        // A01, L2 leader of 甲队/一组: NC 45,000 marginal = 30,000 × 20% + 15,000 × 30%.
        let a01 = pay("A01");
        assert_eq!(a01.components.base_salary, d("5000.00"));
        assert_eq!(a01.components.net_commission_pay, d("10500.00"), "the worked example");
        assert_eq!(a01.components.other_revenue_pay, d("100.00"));
        assert_eq!(a01.components.asset_bonus, d("50.00"), "100,000 × 0.05%");
        assert_eq!(a01.components.leader_override, d("100.00"), "5% of A02's 2,000.00");
        assert_eq!(a01.components.minimum_penalty, d("0"), "NR 46,000 meets the floor");
        assert_eq!(a01.total, d("15750.00"));
        assert_eq!(a01.credited.rows, 1, "the rejected row credits nothing");
        assert_eq!(a01.duty_score, Some(d("88")));

        // A02, L1 by its label: half of C2 (NC 10,000 at 20%), two valid accounts of C2.
        let a02 = pay("A02");
        assert_eq!(a02.level, "L1");
        assert_eq!(a02.components.net_commission_pay, d("2000.00"));
        assert_eq!((a02.new_accounts, a02.valid_accounts), (2, 2));
        assert_eq!(a02.components.account_bonus, d("130.00"), "A股 100 + 创业板 30");
        assert_eq!(a02.components.asset_bonus, d("0"), "negative inflow earns nothing");
        assert_eq!(a02.components.adjustments, d("-100.56"), "−100.555 rounded once, half up");
        assert_eq!(a02.total, d("5529.44"));
        assert_eq!(a02.rows[0].credited_net_inflow, d("-5000.0"));

        // B01, on probation, hired on the 17th: 15 of 31 days at 80%; exempt from the minimum.
        let b01 = pay("B01");
        assert_eq!(b01.components.base_salary, d("967.74"), "2,500 / 31 × 15 × 0.8 = 967.7419…");
        assert_eq!(b01.components.minimum_penalty, d("0"));
        assert_eq!(b01.valid_accounts, 0, "C7 is absent from the CRM export");

        // C01, L3: NC 300,000 = 6,000 + 21,000 + 80,000; the variable pay above 60,000 is capped.
        let c01 = pay("C01");
        assert_eq!(c01.components.net_commission_pay, d("107000.00"));
        assert_eq!(c01.components.cap_deduction, d("-47000.00"));
        assert_eq!(c01.total, d("67000.00"));

        let (components, total) = m.totals();
        assert_eq!(total, d("89247.18"));
        assert_eq!(components.total(), total);
        assert_eq!(
            m.reconciliation.accounts,
            AccountsRecon { rows: 3, valid: 2, not_valid: 1, returning: 0, rejected: 0 }
        );
        assert_eq!(m.reconciliation.team_totals.len(), 3);
        assert_eq!(m.adjustments.len(), 1);
        assert_eq!(m.adjustments[0].file, "2026-10/adjustments.csv");
    }

    #[test]
    fn a_roster_level_the_standard_does_not_know_is_refused() {
        let mut i = input();
        i.roster[1].level = "L9".into();
        let e = compute_month(&config(), &standard(), i, &Carried::default()).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("level \"L9\" of manager A02") && text.contains("levels: L1 客户经理"), "{text}");
    }
}
