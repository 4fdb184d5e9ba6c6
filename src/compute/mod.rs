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

pub mod carried;
pub mod clawback;
mod month;
pub mod rules;

pub use carried::{Carried, PriorPeriodLine};
pub use clawback::{BonusAccount, ClawbackLine};
pub use month::{
    totals, AccountOutcome, AccountsRecon, AdjustmentLine, ComputeError, ComputedMonth, Credited, CreditedRow,
    ManagerPay, Reconciliation, RowsRecon, Working,
};

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::config::{Config, Standard};
use crate::ingest::{AccountStatus, InputFile, MonthInput, RosterRow};
use crate::model::order::Natural;
use crate::model::{Components, Issue, Kind, Person, Reason, Severity};
use month::reconcile;
use rules::account_bonus;
use rules::base_salary::{base_salary, employed_days};
use rules::cap::cap_deduction;
use rules::commission::commission;
use rules::leader::{leader_override, LeaderOverride};
use rules::minimum::{minimum_penalty, MinimumPenalty};
use rules::other_pay::{asset_bonus, other_revenue_pay};

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

/// The pay of one manager before the rules that need the whole group (leader override, cap).
fn manager_month(
    standard: &Standard,
    month: YearMonth,
    r: &RosterRow,
    level: &crate::config::Level,
    credited: Credited,
    accounts: (u32, u32, Decimal),
    adjustments: (Decimal, u32),
) -> (Components, Working) {
    let rnd = standard.rounding;
    let schedule = &standard.schedules[&level.schedule];
    let (_, valid_accounts, bonus_exact) = accounts;
    let days = employed_days(month, r.person.hire_date, r.person.regular_date, r.person.leave_date);
    let base = base_salary(level.base_salary, standard.probation_base_ratio, days, rnd);
    let minimum = minimum_penalty(
        standard.minimum.as_ref(),
        month,
        r.person.hire_date,
        base.value,
        valid_accounts,
        credited.net_revenue(),
        rnd,
    );
    let commission = commission(schedule, credited.net_commission, rnd);
    let other = other_revenue_pay(credited.other_revenue, standard.other_revenue_rate, rnd);
    let assets = asset_bonus(credited.net_inflow, standard.asset_bonus_rate, standard.asset_bonus_cap, rnd);
    let (adj_exact, adj_rows) = adjustments;
    let components = Components {
        base_salary: base.value,
        minimum_penalty: minimum.value,
        net_commission_pay: commission.value,
        other_revenue_pay: other.value,
        account_bonus: rnd.round(bonus_exact),
        asset_bonus: assets.value,
        leader_override: Decimal::ZERO,
        cap_deduction: Decimal::ZERO,
        adjustments: rnd.round(adj_exact),
        clawback: Decimal::ZERO,
        prior_period: Decimal::ZERO,
    };
    let working = Working {
        base_salary: base,
        minimum_penalty: minimum,
        commission,
        other_revenue_pay: other,
        account_bonus_exact: bonus_exact,
        asset_bonus: assets,
        adjustment_rows: adj_rows,
        adjustments_exact: adj_exact,
        leader_override: None,
        cap_deduction: cap_deduction(Decimal::ZERO, None, rnd),
    };
    (components, working)
}

/// The row of a manager who is not active in the month but has a prior-period adjustment: every
/// amount 0 but that one.
fn inactive_row(
    standard: &Standard,
    month: YearMonth,
    person: Person,
    level: String,
    level_label: String,
) -> ManagerPay {
    let rnd = standard.rounding;
    let days = rules::base_salary::EmployedDays { days_in_month: month.days(), employed: 0, probation: 0 };
    let zero = Decimal::ZERO;
    let schedule =
        crate::config::Schedule { name: String::new(), mode: crate::config::ScheduleMode::Marginal, tiers: Vec::new() };
    ManagerPay {
        person,
        level,
        level_label,
        credited: Credited::default(),
        new_accounts: 0,
        valid_accounts: 0,
        components: Components::default(),
        total: zero,
        working: Working {
            base_salary: base_salary(zero, standard.probation_base_ratio, days, rnd),
            minimum_penalty: MinimumPenalty { test: None, value: zero },
            commission: commission(&schedule, zero, rnd),
            other_revenue_pay: other_revenue_pay(zero, standard.other_revenue_rate, rnd),
            account_bonus_exact: zero,
            asset_bonus: asset_bonus(zero, standard.asset_bonus_rate, standard.asset_bonus_cap, rnd),
            adjustment_rows: 0,
            adjustments_exact: zero,
            leader_override: None,
            cap_deduction: cap_deduction(zero, None, rnd),
        },
        rows: Vec::new(),
        duty_score: None,
        active: false,
    }
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
        accounts: account_rows,
        roster,
        adjustments: adjustment_rows,
        scores,
        issues,
        client_assets,
        crm_recon,
        unread,
        read_time: _,
    } = input;
    let rnd = standard.rounding;
    let mut active: Vec<&RosterRow> = roster.iter().filter(|r| r.active).collect();
    active.sort_by_key(|r| report_order_key(config, &r.person.team, r.person.group.as_deref(), &r.person.manager_id));
    let place: crate::lookup::Lookup<&str, usize> =
        active.iter().enumerate().map(|(i, r)| (r.person.manager_id.as_str(), i)).collect();

    // §4.1 attribution: each accepted row credits its share to its manager. Most rows credit
    // 100%: their values are taken as they are (the same result as × 1, without the work).
    let share_of = |v: Option<Decimal>, s: Decimal| {
        let v = v.unwrap_or_default();
        if s == Decimal::ONE {
            v
        } else {
            v * s
        }
    };
    // §4.9: the watched clients with any CRM row (accepted or not), before the rows move.
    let watch: &[BonusAccount] = if standard.clawback.is_some() { &carried.clawback } else { &[] };
    let in_crm =
        clawback::in_crm(watch, crm.iter().filter_map(|r| r.client_id.as_deref().map(|c| (c, (r.file, r.row)))));
    let mut counts = vec![0usize; active.len()];
    for r in crm.iter().filter(|r| r.accepted) {
        if let Some(&i) = r.manager_id.as_deref().and_then(|m| place.get(m)) {
            counts[i] += 1;
        }
    }
    let mut credited = vec![Credited::default(); active.len()];
    let mut rows: Vec<Vec<CreditedRow>> = counts.iter().map(|n| Vec::with_capacity(*n)).collect();
    for r in crm.into_iter().filter(|r| r.accepted) {
        let Some(&i) = r.manager_id.as_deref().and_then(|m| place.get(m)) else { continue };
        let s = r.share.unwrap_or(Decimal::ONE);
        let c = &mut credited[i];
        let line = CreditedRow {
            credited_net_commission: share_of(r.net_commission, s),
            credited_other_revenue: share_of(r.other_revenue, s),
            credited_net_inflow: share_of(r.net_inflow, s),
            client_id: r.client_id.unwrap_or_default(),
            client_name: r.client_name,
            relation: r.relation,
            share: s,
            month_end_assets: r.month_end_assets,
            avg_daily_assets: r.avg_daily_assets,
            net_inflow: r.net_inflow,
            trade_volume: r.trade_volume,
            net_commission: r.net_commission,
            other_revenue: r.other_revenue,
        };
        c.net_commission += line.credited_net_commission;
        c.other_revenue += line.credited_other_revenue;
        c.net_inflow += line.credited_net_inflow;
        c.month_end_assets += share_of(r.month_end_assets, s);
        c.avg_daily_assets += share_of(r.avg_daily_assets, s);
        c.rows += 1;
        rows[i].push(line);
    }

    // §4.5 accounts.
    let mut outcomes = Vec::new();
    let mut acc_count = vec![(0u32, 0u32, Decimal::ZERO); active.len()];
    let mut recon = AccountsRecon::default();
    for a in account_rows {
        recon.rows += 1;
        match a.status {
            AccountStatus::Rejected => recon.rejected += 1,
            AccountStatus::Returning(_) => recon.returning += 1,
            AccountStatus::New => {
                let valid =
                    account_bonus::validity(a.first_deposit, client_assets.get(&a.client_id).copied(), standard);
                let bonus = if valid.is_ok() { account_bonus::bonus(&a.account_type, standard) } else { Decimal::ZERO };
                if let Some(&i) = place.get(a.manager_id.as_str()) {
                    let e = &mut acc_count[i];
                    e.0 += 1;
                    e.1 += u32::from(valid.is_ok());
                    e.2 += bonus;
                }
                if valid.is_ok() {
                    recon.valid += 1;
                } else {
                    recon.not_valid += 1;
                }
                outcomes.push(AccountOutcome {
                    manager_id: a.manager_id,
                    client_id: a.client_id,
                    client_name: a.client_name,
                    open_date: a.open_date,
                    account_type: a.account_type,
                    outlet: a.outlet,
                    first_deposit: a.first_deposit,
                    valid,
                    bonus,
                });
            }
        }
    }

    let label = |file: u16| files.get(file as usize).map(|f| f.label.clone()).unwrap_or_default();
    let mut adjust = vec![(Decimal::ZERO, 0u32); active.len()];
    let mut adjustments = Vec::new();
    for a in adjustment_rows.into_iter().filter(|a| a.accepted) {
        if let Some(&i) = place.get(a.manager_id.as_str()) {
            adjust[i].0 += a.amount;
            adjust[i].1 += 1;
        }
        adjustments.push(AdjustmentLine {
            file: label(a.file),
            row: a.row,
            manager_id: a.manager_id,
            amount: a.amount,
            category: a.category,
            reason: a.reason,
        });
    }
    let scores: BTreeMap<&str, Decimal> =
        scores.iter().filter(|s| s.accepted).map(|s| (s.manager_id.as_str(), s.score)).collect();

    let mut managers: Vec<ManagerPay> = Vec::with_capacity(active.len());
    for (i, r) in active.iter().enumerate() {
        let level = standard.find_level(&r.level).ok_or_else(|| ComputeError::UnknownLevel {
            standard: standard.file.clone(),
            file: label(r.file),
            row: r.row,
            level: r.level.clone(),
            manager: r.person.manager_id.clone(),
            levels: standard.levels.values().map(|l| format!("{} {}", l.code, l.label)).collect(),
        })?;
        let (components, working) = manager_month(standard, month, r, level, credited[i], acc_count[i], adjust[i]);
        managers.push(ManagerPay {
            person: r.person.clone(),
            level: level.code.clone(),
            level_label: level.label.clone(),
            credited: credited[i],
            new_accounts: acc_count[i].0,
            valid_accounts: acc_count[i].1,
            components,
            total: Decimal::ZERO,
            working,
            rows: std::mem::take(&mut rows[i]),
            duty_score: scores.get(r.person.manager_id.as_str()).copied(),
            active: true,
        });
    }

    // §4.10 prior-period adjustments: outside the cap. A manager not active in the month gets a
    // row of its own, identity from this month's roster when it lists them, else from the line.
    let mut prior: BTreeMap<&str, Decimal> = BTreeMap::new();
    for l in &carried.prior_period {
        *prior.entry(l.manager_id.as_str()).or_default() += l.amount;
    }
    for (id, amount) in &prior {
        if place.contains_key(id) || amount.is_zero() {
            continue;
        }
        let listed = roster.iter().find(|r| r.accepted && r.person.manager_id == *id);
        let line = carried.prior_period.iter().find(|l| l.manager_id == *id).expect("a line of this manager");
        let (person, level, label) = match listed {
            Some(r) => match standard.find_level(&r.level) {
                Some(l) => (r.person.clone(), l.code.clone(), l.label.clone()),
                None => (r.person.clone(), r.level.clone(), r.level.clone()),
            },
            None => (line.person.clone(), line.level.clone(), line.level_label.clone()),
        };
        managers.push(inactive_row(standard, month, person, level, label));
    }
    managers.sort_by_key(|m| report_order_key(config, &m.person.team, m.person.group.as_deref(), &m.person.manager_id));
    for m in &mut managers {
        if let Some(v) = prior.get(m.person.manager_id.as_str()) {
            m.components.prior_period = rnd.round(*v);
        }
    }

    // §4.9 clawback: outside the cap, charged only to the manager credited with the account.
    let mut issues = issues;
    let mut clawback_lines = Vec::new();
    if let Some(cb) = &standard.clawback {
        // An information line points at the client's first CRM row, or at the CRM file when the
        // client has none.
        let first_crm = files.iter().position(|f| f.kind == Kind::Crm).map(|i| (i as u16, 0));
        let at = |client: &str| {
            in_crm.get(client).copied().or(first_crm).and_then(|(f, row)| files.get(f as usize).map(|f| (f, row)))
        };
        let mut recovered: BTreeMap<&str, Decimal> = BTreeMap::new();
        for a in watch {
            let assets = client_assets.get(&a.client_id).copied();
            let lost = match clawback::judge(assets, in_crm.contains_key(&a.client_id), cb.min_month_end_assets) {
                clawback::Judgement::Kept => continue,
                clawback::Judgement::Lost(assets) => assets,
                clawback::Judgement::NotJudged => {
                    issues.push(clawback_issue(at(&a.client_id), a, Reason::ClawbackNotJudged { paid: a.month }));
                    continue;
                }
            };
            let charged = place.contains_key(a.manager_id.as_str());
            if charged {
                *recovered.entry(a.manager_id.as_str()).or_default() += a.bonus;
            } else {
                let reason = Reason::ClawbackNotCharged { paid: a.month, manager: a.manager_id.clone(), month };
                issues.push(clawback_issue(at(&a.client_id), a, reason));
            }
            clawback_lines.push(ClawbackLine { account: a.clone(), assets: lost, charged });
        }
        for m in &mut managers {
            if let Some(v) = recovered.get(m.person.manager_id.as_str()) {
                let r = rnd.round(*v);
                if !r.is_zero() {
                    m.components.clawback = -r;
                }
            }
        }
        Issue::sort(&mut issues);
    }

    // §4.6 leader override: needs every member's rounded net-commission pay; then the cap.
    let mut group_pay: BTreeMap<(String, String), Vec<(String, Decimal)>> = BTreeMap::new();
    for m in managers.iter().filter(|m| m.active) {
        if let Some(g) = &m.person.group {
            group_pay
                .entry((m.person.team.clone(), g.clone()))
                .or_default()
                .push((m.person.manager_id.clone(), m.components.net_commission_pay));
        }
    }
    for m in managers.iter_mut().filter(|m| m.active) {
        if m.person.leader {
            let lo = match &m.person.group {
                Some(g) => {
                    let members = &group_pay[&(m.person.team.clone(), g.clone())];
                    let others: Decimal =
                        members.iter().filter(|(id, _)| *id != m.person.manager_id).map(|(_, v)| *v).sum();
                    leader_override(&m.person.team, g, members.len() - 1, others, standard.leader_override_rate, rnd)
                }
                None => LeaderOverride::NoGroup,
            };
            m.components.leader_override = lo.value();
            m.working.leader_override = Some(lo);
        }
        let cap = cap_deduction(m.components.variable(), standard.cap_variable_pay, rnd);
        m.components.cap_deduction = cap.value;
        m.working.cap_deduction = cap;
    }
    for m in &mut managers {
        m.total = m.components.total();
    }

    let reconciliation = reconcile(&files, crm_recon, recon, &managers);
    Ok(ComputedMonth {
        month,
        standard: standard.clone(),
        managers,
        accounts: outcomes,
        adjustments,
        prior_period: carried.prior_period.clone(),
        clawback: clawback_lines,
        reconciliation,
        files,
        issues,
        unread,
    })
}

/// An information line of §4.9 about a watched account (raw: its client), at a CRM file's row.
fn clawback_issue(at: Option<(&InputFile, u32)>, a: &BonusAccount, reason: Reason) -> Issue {
    Issue {
        severity: Severity::Information,
        kind: Kind::Crm,
        file: at.map(|(f, _)| f.label.clone()).unwrap_or_default(),
        sheet: at.map(|(f, _)| f.sheet.clone()).unwrap_or_default(),
        row: at.map(|(_, row)| row).unwrap_or(0),
        column: String::new(),
        raw: a.client_id.clone(),
        reason,
        manager_id: Some(a.manager_id.clone()),
    }
}

#[cfg(test)]
mod tests {
    //! `compute_month` on a hand-built month (no files): every component of four managers worked
    //! out by hand under the shipped 2026 standard (marginal tiers 20/30/40%, probation 0.8,
    //! minimum 2 valid accounts or NR 5,000 at 20%, other revenue 10%, asset bonus 0.05% capped
    //! at 10,000, leader override 5%, cap 60,000).
    use super::*;
    use crate::ingest::{AccountRow, AdjustmentRow, CrmRow, ScoreRow};
    use crate::lookup::Lookup;
    use crate::model::Employment;
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
