//! The rules of SPEC §4 on their boundaries, through the whole pipeline: each case builds a month,
//! runs the binary and reads the payroll CSV back.

mod common;
use common::*;
use std::collections::BTreeMap;

const COMPONENTS: [&str; 10] = [
    "base_salary",
    "minimum_penalty",
    "net_commission_pay",
    "other_revenue_pay",
    "account_bonus",
    "asset_bonus",
    "leader_override",
    "cap_deduction",
    "adjustments",
    "total",
];

/// Run a month and return each manager's payroll row as column → value.
fn pay(ws: &Workspace, month: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let out = ws.run(&["run", "--month", month]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let rows = payroll(&ws.reports(month).join(format!("payroll_{month}.csv")));
    let header = rows[0].clone();
    rows[1..].iter().map(|r| (r[0].clone(), header.iter().cloned().zip(r.iter().cloned()).collect())).collect()
}

fn month(ws: &Workspace, m: &str, roster: &[&str], crm: &[&str], accounts: &[&str]) {
    ws.csv(m, "roster.csv", ROSTER_HEADER, roster);
    ws.csv(m, "crm.csv", CRM_HEADER, crm);
    ws.csv(m, "accounts.csv", ACCOUNTS_HEADER, accounts);
}

fn crm(id: &str, manager: &str, share: &str, nc: &str, or: &str, ni: &str) -> String {
    format!("{id},x,{manager},开发,{share},100000,100000,{ni},0,{nc},{or}")
}

#[test]
fn worked_example_marginal_is_10500_and_whole_is_13500() {
    let marginal = std::fs::read_to_string(repo().join("config/standards/2026.toml")).unwrap();
    let whole = marginal.replace("[schedules.employee]\nmode = \"marginal\"", "[schedules.employee]\nmode = \"whole\"");
    assert_ne!(marginal, whole);
    for (text, want) in [(&marginal, "10500.00"), (&whole, "13500.00")] {
        let ws = Workspace::custom("", &[("s.toml", text)]);
        let c = crm("C1", "A", "1", "45000", "0", "0");
        month(&ws, "2026-10", &["A,甲,甲队,,,L1,员工,2020-01-01,2020-02-01,,否"], &[&c], &[]);
        assert_eq!(pay(&ws, "2026-10")["A"]["net_commission_pay"], want);
    }
}

#[test]
fn tiers_include_their_exact_up_to() {
    let ws = Workspace::new();
    let rows: Vec<String> =
        [("C1", "A", "30000"), ("C2", "B", "30000.01"), ("C3", "C", "100000"), ("C4", "D", "0"), ("C5", "E", "-800")]
            .iter()
            .map(|(c, m, nc)| crm(c, m, "1", nc, "0", "0"))
            .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let roster: Vec<String> =
        ["A", "B", "C", "D", "E"].iter().map(|m| format!("{m},x,甲队,,,L1,员工,2020-01-01,2020-02-01,,否")).collect();
    let roster: Vec<&str> = roster.iter().map(String::as_str).collect();
    month(&ws, "2026-10", &roster, &rows, &[]);
    let p = pay(&ws, "2026-10");
    assert_eq!(p["A"]["net_commission_pay"], "6000.00");
    assert_eq!(p["B"]["net_commission_pay"], "6000.00"); // 6000.003 rounds to the fen
    assert_eq!(p["C"]["net_commission_pay"], "27000.00");
    assert_eq!(p["D"]["net_commission_pay"], "0.00");
    assert_eq!(p["E"]["net_commission_pay"], "0.00");
    assert_eq!(p["E"]["net_commission"], "-800.00");
}

#[test]
fn half_up_and_half_even_on_a_five_at_the_third_decimal() {
    let up = std::fs::read_to_string(repo().join("config/standards/2026.toml")).unwrap();
    let even = up.replace("mode = \"half_up\"", "mode = \"half_even\"");
    for (text, want) in [(&up, "0.03"), (&even, "0.02")] {
        let ws = Workspace::custom("", &[("s.toml", text)]);
        // other_revenue 0.25 × 0.10 = 0.025
        let c = crm("C1", "A", "1", "0", "0.25", "0");
        month(&ws, "2026-10", &["A,甲,甲队,,,L1,员工,2020-01-01,2020-02-01,,否"], &[&c], &[]);
        assert_eq!(pay(&ws, "2026-10")["A"]["other_revenue_pay"], want);
    }
}

#[test]
fn base_salary_on_the_first_and_last_day_in_28_30_and_31_day_months() {
    // (month, hire, regular, leave, expected base of an L1 at 3500 with probation 0.8)
    let cases = [
        ("2026-02", "2026-02-01", "", "", "2800.00"),
        ("2026-02", "2026-02-28", "", "", "100.00"),
        ("2026-02", "2020-01-01", "2020-02-01", "2026-02-01", "125.00"),
        ("2026-02", "2020-01-01", "2020-02-01", "2026-02-28", "3500.00"),
        ("2026-09", "2026-09-30", "", "", "93.33"),
        ("2026-09", "2020-01-01", "2020-02-01", "2026-09-01", "116.67"),
        ("2026-10", "2026-07-01", "2026-10-01", "", "3500.00"),
        ("2026-10", "2026-07-01", "2026-10-31", "", "2822.58"),
        ("2026-10", "2020-01-01", "2020-02-01", "2026-10-31", "3500.00"),
        ("2026-10", "2026-10-31", "", "", "90.32"),
    ];
    for (m, hire, regular, leave, want) in cases {
        let ws = Workspace::new();
        let r = format!("A,甲,甲队,,,L1,员工,{hire},{regular},{leave},否");
        month(&ws, m, &[&r], &[], &[]);
        assert_eq!(pay(&ws, m)["A"]["base_salary"], want, "{m} hire {hire} regular {regular} leave {leave}");
    }
}

#[test]
fn minimum_penalty_only_when_both_are_missed_and_not_for_new_hires_or_base_zero() {
    let ws = Workspace::new();
    let roster = [
        "A,x,甲队,,,L1,员工,2020-01-01,2020-02-01,,否", // NR 4999.99, no accounts: penalised
        "B,x,甲队,,,L1,员工,2020-01-01,2020-02-01,,否", // NR 5000: not penalised
        "C,x,甲队,,,L1,员工,2020-01-01,2020-02-01,,否", // NR 0 but 2 valid accounts
        "D,x,甲队,,,L1,员工,2026-10-15,,,否",           // hired this month: exempt
        "E,x,甲队,,,P,兼职,2020-01-01,,,否",            // base 0: exempt
        "F,x,甲队,,,T,员工,2026-08-01,,,否",            // probationer: −20% of the prorated base
    ];
    let crm = [
        crm("C1", "A", "1", "4999.99", "0", "0"),
        crm("C2", "B", "1", "4000", "1000", "0"),
        crm("C3", "C", "1", "0", "0", "0"),
    ];
    let crm: Vec<&str> = crm.iter().map(String::as_str).collect();
    let accounts = ["C3,x,2026-10-02,A股,C,网点,20000", "C3,x,2026-10-02,创业板,C,网点,20000"];
    month(&ws, "2026-10", &roster, &crm, &accounts);
    let p = pay(&ws, "2026-10");
    assert_eq!(p["A"]["minimum_penalty"], "-700.00");
    assert_eq!(p["B"]["minimum_penalty"], "0.00");
    assert_eq!(p["C"]["minimum_penalty"], "0.00");
    assert_eq!(p["C"]["valid_accounts"], "2");
    assert_eq!(p["D"]["minimum_penalty"], "0.00");
    assert_eq!(p["E"]["minimum_penalty"], "0.00");
    assert_eq!(p["F"]["base_salary"], "2000.00");
    assert_eq!(p["F"]["minimum_penalty"], "-400.00");
}

#[test]
fn leader_override_cap_and_the_floors() {
    let ws = Workspace::new();
    let roster = [
        "L,组长,甲队,一组,,L3,员工,2015-01-01,2015-04-01,,是",
        "M,组员,甲队,一组,,L1,员工,2020-01-01,2020-02-01,,否",
        "N,组员,甲队,一组,,L1,员工,2020-01-01,2020-02-01,,否",
        "O,别组,甲队,二组,,L1,员工,2020-01-01,2020-02-01,,否",
        "X,无组组长,乙队,,,L2,员工,2015-01-01,2015-04-01,,是",
    ];
    let crm = [
        crm("C1", "L", "1", "250000", "-300", "-100000"), // capped; negative OR and NI earn nothing
        crm("C2", "M", "1", "10000", "0", "30000000"),    // asset bonus at its cap
        crm("C3", "N", "1", "40000", "0", "0"),
        crm("C4", "O", "1", "90000", "0", "0"),
        crm("C5", "X", "1", "1000", "0", "0"),
    ];
    let crm: Vec<&str> = crm.iter().map(String::as_str).collect();
    month(&ws, "2026-10", &roster, &crm, &[]);
    let p = pay(&ws, "2026-10");
    // M: 10000 × 0.2 = 2000; N: 6000 + 3000 = 9000; leader: 5% of 11000 = 550 (O is in another group).
    assert_eq!(p["L"]["leader_override"], "550.00");
    assert_eq!(p["M"]["leader_override"], "0.00");
    assert_eq!(p["X"]["leader_override"], "0.00");
    // L: 6000 + 21000 + 150000 × 0.4 = 87000 commission + 550 override − 60000 cap = −27550.
    assert_eq!(p["L"]["net_commission_pay"], "87000.00");
    assert_eq!(p["L"]["cap_deduction"], "-27550.00");
    assert_eq!(p["L"]["other_revenue_pay"], "0.00");
    assert_eq!(p["L"]["asset_bonus"], "0.00");
    assert_eq!(p["L"]["total"], "67000.00");
    assert_eq!(p["M"]["asset_bonus"], "10000.00");
    for (id, row) in &p {
        let sum: f64 = COMPONENTS[..9].iter().map(|c| row[*c].parse::<f64>().unwrap()).sum();
        assert_eq!(format!("{sum:.2}"), row["total"], "{id}");
    }
}

#[test]
fn shares_below_100_percent_credit_only_the_share() {
    let ws = Workspace::new();
    let roster = ["A,x,甲队,,,L1,员工,2020-01-01,2020-02-01,,否", "B,x,甲队,,,L1,员工,2020-01-01,2020-02-01,,否"];
    let crm = [crm("C1", "A", "50%", "10000", "100", "1000"), crm("C1", "B", "0.3", "10000", "100", "1000")];
    let crm: Vec<&str> = crm.iter().map(String::as_str).collect();
    month(&ws, "2026-10", &roster, &crm, &[]);
    let p = pay(&ws, "2026-10");
    assert_eq!(p["A"]["net_commission"], "5000.00");
    assert_eq!(p["B"]["net_commission"], "3000.00");
    let recon = sheet(&ws.reports("2026-10").join("薪酬月报表_2026-10.xlsx"), 4);
    let eq: Vec<String> = recon.iter().map(|r| text(&r[1])).collect();
    assert!(eq.contains(&"文件合计 10000 = 已计入 8000 + 未分配 2000 + 已拒绝 0".to_string()), "{eq:?}");
}

#[test]
fn account_validity_thresholds_and_bonus_by_type() {
    let ws = Workspace::new();
    let roster = ["A,x,甲队,,,L1,员工,2020-01-01,2020-02-01,,否"];
    let crm = [
        "C1,x,A,开发,1,10000,0,0,0,0,0",   // assets exactly at the threshold
        "C2,x,A,开发,1,9999.99,0,0,0,0,0", // just below
    ];
    let accounts = [
        "C1,x,2026-10-02,A股,A,网点,10000",      // valid: 100
        "C1,x,2026-10-02,机构,A,网点,10000",     // valid: 800
        "C1,x,2026-10-02,港股通,A,网点,10000",   // valid, type not listed: 0
        "C2,x,2026-10-02,A股,A,网点,50000",      // assets below
        "C3,x,2026-10-02,A股,A,网点,50000",      // not in the CRM export
        "C1,x,2026-10-02,创业板,A,网点,9999.99", // deposit below
    ];
    month(&ws, "2026-10", &roster, &crm, &accounts);
    let p = pay(&ws, "2026-10");
    assert_eq!(p["A"]["new_accounts"], "6");
    assert_eq!(p["A"]["valid_accounts"], "3");
    assert_eq!(p["A"]["account_bonus"], "900.00");
    let slips = sheet(&ws.reports("2026-10").join("营销客户确认单_2026-10.xlsx"), 0);
    let all: Vec<String> = slips.iter().flatten().map(text).collect();
    assert!(all.iter().any(|t| t == "编号：TEST-202610-001"), "{all:?}");
    assert!(all.iter().any(|t| t.contains("月末资产不足 9,999.99 < 10,000")));
    assert!(all.iter().any(|t| t.contains("月末无资产记录")));
    assert!(all.iter().any(|t| t.contains("首次入金不足 9,999.99 < 10,000")));
}

#[test]
fn the_standard_in_force_is_chosen_by_effective_from() {
    let ws = Workspace::new();
    for m in ["2025-12", "2026-01"] {
        let c = crm("C1", "A", "1", "45000", "0", "0");
        month(&ws, m, &["A,甲,甲队,,,L1,员工,2020-01-01,2020-02-01,,否"], &[&c], &[]);
    }
    // 2025: whole, 45000 in (20000, 80000] at 25%; 2026: marginal.
    assert_eq!(pay(&ws, "2025-12")["A"]["net_commission_pay"], "11250.00");
    assert_eq!(pay(&ws, "2026-01")["A"]["net_commission_pay"], "10500.00");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.reports("2025-12").join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["standard"]["file"], "2025.toml");
    let none = ws.run(&["run", "--month", "2024-12"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no salary standard is in force in 2024-12"), "{}", stderr(&none));
}
