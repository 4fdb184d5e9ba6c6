//! Clawback of account bonuses (SPEC §4.9), boundary by boundary, on months built here.
//!
//! Standards: `early.toml` (in force from 2026-01: `[clawback] months = 2`, threshold 1,000,
//! A股 bonus 100) and `late.toml` (from 2026-06: threshold 5,000, A股 bonus 200). Managers A01,
//! A02 (甲队) and B01 (乙队, gone from 2026-04). The watched accounts, all A股:
//!
//! | client | paid    | manager | assets after                     | expected                               |
//! |--------|---------|---------|----------------------------------|----------------------------------------|
//! | X1     | 2026-01 | A01     | 02: 5,000; 03: 500               | recovered in 03 (exactly 2 months on)  |
//! | X2     | 2026-01 | A01     | 02, 03: 5,000; 04: 0             | never (04 is 3 months on)              |
//! | X3     | 2026-01 | A02     | 02: exactly 1,000; 03: absent    | kept in 02; recovered in 03 ("absent") |
//! | X4     | 2026-01 | A02     | 02: its only row rejected; 03: 10 | not judged in 02 (info); recovered 03 |
//! | X5     | 2026-01 | A02     | 02: 100; 03: 100                 | recovered in 02 only (lost twice)      |
//! | X6     | 2026-02 | B01     | 03: 5,000; 04: absent            | lost in 04, B01 gone: info, not charged|
//! | X7     | 2026-04 | A01     | 05: no inputs; 06: 3,000         | recovered in 06 under late.toml's 5,000 threshold, amount 100 (paid), not 200 |
//! | X8     | 2026-04 | A01     | 05: no inputs; 06: 5,000; 07: 0  | never: 07's window is 05–06 by the calendar (05 has no inputs but counts) |

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn standards() -> [(String, String); 2] {
    let base = std::fs::read_to_string(repo().join("config/standards/2026.toml")).unwrap();
    let early = base.clone() + "\n[clawback]\nmonths = 2\nmin_month_end_assets = 1000\n";
    let late = base
        .replace("effective_from = \"2026-01\"", "effective_from = \"2026-06\"")
        .replace("name = \"2026年客户经理薪酬标准\"", "name = \"2026年6月起薪酬标准\"")
        .replace("\"A股\" = 100", "\"A股\" = 200")
        + "\n[clawback]\nmonths = 2\nmin_month_end_assets = 5000\n";
    [("early.toml".into(), early), ("late.toml".into(), late)]
}

/// Client, manager, month-end assets.
type Crm<'a> = &'a [(&'a str, &'a str, &'a str)];

fn month(ws: &Workspace, m: &str, b01: bool, crm: Crm<'_>, opened: &[(&str, &str)]) {
    let mut roster = vec![
        "A01,甲一,甲队,一组,JT,L2,员工,2020-01-01,2020-04-01,,是".to_string(),
        "A02,甲二,甲队,一组,JT,L1,员工,2021-01-01,2021-04-01,,否".to_string(),
    ];
    if b01 {
        roster.push("B01,乙一,乙队,一组,ZS,L1,员工,2022-01-01,2022-04-01,,否".to_string());
    }
    let roster: Vec<&str> = roster.iter().map(String::as_str).collect();
    ws.csv(m, "roster.csv", ROSTER_HEADER, &roster);
    let mut lines = vec![
        "K1,老客一,A01,开发,1,500000,500000,0,4000000,3000,0".to_string(),
        "K2,老客二,A02,开发,1,500000,500000,0,4000000,3000,0".to_string(),
    ];
    if b01 {
        lines.push("K3,老客三,B01,开发,1,500000,500000,0,4000000,3000,0".to_string());
    }
    for (client, manager, assets) in crm {
        lines.push(format!("{client},客户{client},{manager},开发,1,{assets},{assets},0,0,0,0"));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    ws.csv(m, "crm.csv", CRM_HEADER, &lines);
    let accounts: Vec<String> =
        opened.iter().map(|(client, manager)| format!("{client},客户{client},{m}-05,A股,{manager},JT,20000")).collect();
    let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    ws.csv(m, "accounts.csv", ACCOUNTS_HEADER, &accounts);
}

/// The months of the table above, run from 2026-01 to 2026-04, then 2026-06 to 2026-07 (2026-05
/// has no inputs).
fn scenario() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(|| {
        let files = standards();
        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        let ws = Workspace::custom("", &files);
        let opened_01 = [("X1", "A01"), ("X2", "A01"), ("X3", "A02"), ("X4", "A02"), ("X5", "A02")];
        let funded: Vec<(&str, &str, &str)> = opened_01.iter().map(|(c, m)| (*c, *m, "20000")).collect();
        month(&ws, "2026-01", true, &funded, &opened_01);
        month(
            &ws,
            "2026-02",
            true,
            &[
                ("X1", "A01", "5000"),
                ("X2", "A01", "5000"),
                ("X3", "A02", "1000"),
                ("X4", "Z99", "50000"),
                ("X5", "A02", "100"),
                ("X6", "B01", "20000"),
            ],
            &[("X6", "B01")],
        );
        month(
            &ws,
            "2026-03",
            true,
            &[
                ("X1", "A01", "500"),
                ("X2", "A01", "5000"),
                ("X4", "A02", "10"),
                ("X5", "A02", "100"),
                ("X6", "B01", "5000"),
            ],
            &[],
        );
        month(
            &ws,
            "2026-04",
            false,
            &[("X2", "A01", "0"), ("X7", "A01", "20000"), ("X8", "A01", "20000")],
            &[("X7", "A01"), ("X8", "A01")],
        );
        month(&ws, "2026-06", false, &[("X7", "A01", "3000"), ("X8", "A01", "5000")], &[]);
        month(&ws, "2026-07", false, &[("X8", "A01", "0")], &[]);
        for args in
            [&["run", "--from", "2026-01", "--to", "2026-04"][..], &["run", "--from", "2026-06", "--to", "2026-07"]]
        {
            let out = ws.run(args);
            assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        }
        ws
    })
}

fn report(ws: &Workspace, m: &str) -> std::path::PathBuf {
    ws.reports(m).join(format!("薪酬月报表_{m}.xlsx"))
}

/// manager_id → clawback of the month's payroll.
fn clawback_column(ws: &Workspace, m: &str) -> BTreeMap<String, Decimal> {
    let rows = payroll(&ws.reports(m).join(format!("payroll_{m}.csv")));
    let c = rows[0].iter().position(|h| h == "clawback").unwrap();
    rows[1..].iter().map(|r| (r[0].clone(), d(&r[c]))).collect()
}

/// The lines of the 开户奖励回收 sheet (month paid, client, assets, manager, recovered, note),
/// and its total; empty when the report has no such sheet.
fn clawback_sheet(path: &Path) -> (Vec<[String; 6]>, Option<f64>) {
    let names = sheet_names(path);
    let Some(i) = names.iter().position(|n| n == "开户奖励回收") else { return (Vec::new(), None) };
    let rows = sheet(path, i);
    assert_eq!(text(&rows[0][0]), "发放月份");
    let mut lines = Vec::new();
    let mut total = None;
    for r in &rows[1..] {
        if text(&r[0]) == "合计" {
            total = Some(num(&r[7]));
            break;
        }
        lines.push([text(&r[0]), text(&r[1]), text(&r[4]), text(&r[5]), text(&r[7]), text(&r[8])]);
    }
    (lines, total)
}

fn clients(lines: &[[String; 6]]) -> Vec<&str> {
    lines.iter().map(|l| l[1].as_str()).collect()
}

/// The month's 数据异常 reasons that mention clawback.
fn clawback_info(ws: &Workspace, m: &str) -> Vec<String> {
    let path = report(ws, m);
    let i = sheet_names(&path).iter().position(|n| n == "数据异常").unwrap();
    sheet(&path, i)
        .iter()
        .map(|r| r.iter().map(text).collect::<Vec<_>>().join("|"))
        .filter(|l| l.contains("开户奖励回收"))
        .collect()
}

#[test]
fn recovered_exactly_months_after_payment_and_not_one_month_later() {
    let ws = scenario();
    let (l3, _) = clawback_sheet(&report(ws, "2026-03"));
    assert!(clients(&l3).contains(&"X1"), "X1 lost 2 months after payment is recovered: {l3:?}");
    let (l4, _) = clawback_sheet(&report(ws, "2026-04"));
    assert!(!clients(&l4).contains(&"X2"), "X2 lost 3 months after payment is not: {l4:?}");
    assert_eq!(clawback_column(ws, "2026-04")["A01"], Decimal::ZERO);
}

#[test]
fn assets_exactly_at_the_threshold_are_kept_and_absence_is_lost() {
    let ws = scenario();
    let (l2, _) = clawback_sheet(&report(ws, "2026-02"));
    assert!(!clients(&l2).contains(&"X3"), "X3 at exactly 1,000 is kept: {l2:?}");
    let (l3, _) = clawback_sheet(&report(ws, "2026-03"));
    let x3 = l3.iter().find(|l| l[1] == "X3").expect("X3 recovered in 03");
    assert_eq!(x3[2], "无 CRM 记录");
    assert_eq!((x3[3].as_str(), x3[4].as_str()), ("A02", "-100"));
}

#[test]
fn a_client_whose_rows_were_all_rejected_is_not_judged() {
    let ws = scenario();
    let (l2, _) = clawback_sheet(&report(ws, "2026-02"));
    assert!(!clients(&l2).contains(&"X4"));
    let info = clawback_info(ws, "2026-02");
    // It points at the client's rejected row (line 8 of crm.csv: header, K1–K3, X1–X3, X4).
    assert!(
        info.iter().any(|l| l.contains("X4") && l.contains("不作判断") && l.contains("crm.csv|") && l.contains("|8|")),
        "{info:?}"
    );
    let (l3, _) = clawback_sheet(&report(ws, "2026-03"));
    assert!(clients(&l3).contains(&"X4"), "judged and lost the month after: {l3:?}");
}

#[test]
fn lost_twice_is_recovered_once() {
    let ws = scenario();
    let (l2, _) = clawback_sheet(&report(ws, "2026-02"));
    assert_eq!(clients(&l2), ["X5"]);
    assert_eq!(clawback_column(ws, "2026-02")["A02"], d("-100.00"));
    let (l3, _) = clawback_sheet(&report(ws, "2026-03"));
    assert!(!clients(&l3).contains(&"X5"), "{l3:?}");
}

#[test]
fn the_manager_gone_is_information_and_nobody_is_charged() {
    let ws = scenario();
    let (l4, total) = clawback_sheet(&report(ws, "2026-04"));
    assert_eq!(l4.len(), 1, "{l4:?}");
    assert_eq!((l4[0][1].as_str(), l4[0][3].as_str(), l4[0][4].as_str()), ("X6", "B01", "0"));
    assert!(l4[0][5].contains("不回收"));
    assert_eq!(total, Some(0.0));
    assert!(clawback_column(ws, "2026-04").values().all(|v| v.is_zero()), "nobody else is charged");
    let info = clawback_info(ws, "2026-04");
    assert!(info.iter().any(|l| l.contains("X6") && l.contains("B01")), "{info:?}");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.reports("2026-04").join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["clawback"]["recovered"], 0);
    assert_eq!(m["clawback"]["not_recovered"], 1);
}

#[test]
fn a_window_month_without_inputs_is_skipped_and_the_standard_of_the_month_decides() {
    let ws = scenario();
    assert!(!ws.reports("2026-05").exists());
    let (l6, total) = clawback_sheet(&report(ws, "2026-06"));
    // 3,000 is above early.toml's 1,000 but below late.toml's 5,000: lost under 06's standard;
    // the amount is the bonus paid in 04 (100), not late.toml's 200.
    assert_eq!(l6.len(), 1, "{l6:?}");
    assert_eq!((l6[0][0].as_str(), l6[0][1].as_str(), l6[0][2].as_str()), ("2026-04", "X7", "3000"));
    assert_eq!(l6[0][4], "-100");
    assert_eq!(total, Some(-100.0));
    assert_eq!(clawback_column(ws, "2026-06")["A01"], d("-100.00"));
    // The window is counted in calendar months: 2026-05 without inputs does not stretch 2026-07's
    // window back to 2026-04, so X8, lost in 07, is not recovered.
    let (l7, _) = clawback_sheet(&report(ws, "2026-07"));
    assert!(l7.is_empty(), "{l7:?}");
    assert!(clawback_column(ws, "2026-07").values().all(|v| v.is_zero()));
}

#[test]
fn totals_foot_sheet_payroll_and_report_and_every_line_is_explained() {
    let ws = scenario();
    let expected: [(&str, &[(&str, &str)]); 4] = [
        ("2026-02", &[("A02", "-100.00")]),
        ("2026-03", &[("A01", "-100.00"), ("A02", "-200.00")]),
        ("2026-04", &[]),
        ("2026-06", &[("A01", "-100.00")]),
    ];
    for (m, charged) in expected {
        let column = clawback_column(ws, m);
        for (id, v) in column.iter() {
            let want = charged.iter().find(|(i, _)| i == id).map(|(_, v)| d(v)).unwrap_or_default();
            assert_eq!(*v, want, "{m} {id}");
        }
        let sum: Decimal = column.values().sum();
        let (lines, total) = clawback_sheet(&report(ws, m));
        let lines_sum: f64 = lines.iter().map(|l| l[4].parse::<f64>().unwrap()).sum();
        assert_eq!(total.unwrap_or(0.0), lines_sum, "{m}: sheet total = Σ lines");
        assert_eq!(Decimal::try_from(lines_sum).unwrap(), sum, "{m}: sheet = payroll column");
        // The report's 对账 still holds (accounts included).
        let path = report(ws, m);
        let names = sheet_names(&path);
        let recon = sheet(&path, names.iter().position(|n| n == "对账").unwrap());
        let all: String = recon.iter().flatten().map(text).collect::<Vec<_>>().join("|");
        assert!(all.contains("相符") && !all.contains("不符"), "{m}: {all}");
    }
    // explain and the pay statement carry the lines of the manager.
    let out = ws.run(&["explain", "--month", "2026-03", "--manager", "A02"]);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("X3") && said.contains("本月无 CRM 记录") && said.contains("X4"), "{said}");
    let statements = ws.reports("2026-03").join("薪酬明细单_2026-03.xlsx");
    let cells: String = sheet(&statements, 0).iter().flatten().map(text).collect::<Vec<_>>().join("|");
    assert!(cells.contains("回收开户奖励") && cells.contains("X1"), "statement lines");
    // The team analysis lists the recoveries per team.
    let team = ws.reports("2026-03").join("团队分析_2026-03.xlsx");
    let names = sheet_names(&team);
    let found = (0..names.len()).any(|i| {
        let rows = sheet(&team, i);
        let at = rows.iter().position(|r| r.first().map(text).as_deref() == Some("开户奖励回收"));
        at.is_some_and(|k| {
            let r = &rows[k + 2];
            text(&r[0]) == "甲队" && num(&r[1]) == 3.0 && num(&r[2]) == -300.0
        })
    });
    assert!(found, "recoveries per team in the team analysis");
}

/// The first sheet of a generated file as rows of text from the header row (row 3) on, without
/// the 合计 row.
fn generated(path: &Path) -> Vec<Vec<String>> {
    let rows = sheet(path, 0);
    rows[3..].iter().map(|r| r.iter().map(text).collect::<Vec<String>>()).filter(|r| r[0] != "合计").collect()
}

#[test]
fn four_generated_months_recover_what_a_hand_count_of_their_files_gives() {
    let months = ["2026-01", "2026-02", "2026-03", "2026-04"];
    let base = std::fs::read_to_string(repo().join("config/standards/2026.toml")).unwrap();
    let standard = base + "\n[clawback]\nmonths = 3\nmin_month_end_assets = 1000\n";
    let ws = Workspace::custom("", &[("2026.toml", standard.as_str())]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["sample", "--out"])
        .arg(ws.data())
        .args(["--from", "2026-01", "--to", "2026-04", "--managers", "12", "--clients", "2000", "--seed", "7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = ws.run(&["run", "--from", "2026-01", "--to", "2026-04"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));

    // The hand count, from the generated files only: SPEC §4.5 for the bonuses (a client's first
    // account row in these months, first deposit and the month's CRM assets both ≥ 10,000, the
    // type's bonus of 2026.toml), §4.9 for the recoveries (3 months, 1,000).
    let bonus_of = |t: &str| match t {
        "A股" => d("100"),
        "创业板" => d("30"),
        "B股" => d("50"),
        "基金" => d("20"),
        "机构" => d("800"),
        _ => Decimal::ZERO,
    };
    let mut assets: Vec<BTreeMap<String, Decimal>> = Vec::new();
    let mut roster: Vec<Vec<String>> = Vec::new();
    let mut paid: Vec<Vec<(String, String, String, Decimal)>> = Vec::new();
    let mut seen: std::collections::BTreeSet<String> = Default::default();
    for m in months {
        let dir = ws.data().join(m);
        let crm = generated(&dir.join(format!("crm_{m}.xlsx")));
        assets.push(crm.iter().map(|r| (r[0].clone(), d(&r[5]))).collect());
        roster.push(generated(&dir.join(format!("roster_{m}.xlsx"))).into_iter().map(|r| r[0].clone()).collect());
        let mut bonuses = Vec::new();
        let accounts = generated(&dir.join(format!("accounts_{m}.xlsx")));
        for r in &accounts {
            let (client, kind, manager, deposit) = (&r[0], &r[3], &r[4], d(&r[6]));
            let funded = assets.last().unwrap().get(client).is_some_and(|a| *a >= d("10000"));
            if !seen.contains(client) && deposit >= d("10000") && funded && bonus_of(kind) > Decimal::ZERO {
                bonuses.push((client.clone(), kind.clone(), manager.clone(), bonus_of(kind)));
            }
        }
        seen.extend(accounts.iter().map(|r| r[0].clone()));
        paid.push(bonuses);
    }
    let mut recovered: std::collections::BTreeSet<(usize, String, String)> = Default::default();
    let mut lines = 0;
    for (k, m) in months.iter().enumerate() {
        let mut expected: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut month_lines = 0;
        for (p, bonuses) in paid.iter().enumerate().take(k).skip(k.saturating_sub(3)) {
            for (client, kind, manager, bonus) in bonuses {
                let key = (p, client.clone(), kind.clone());
                let lost = assets[k].get(client).is_none_or(|a| *a < d("1000"));
                if lost && !recovered.contains(&key) {
                    recovered.insert(key);
                    lines += 1;
                    month_lines += 1;
                    if roster[k].contains(manager) {
                        *expected.entry(manager.clone()).or_default() -= *bonus;
                    }
                }
            }
        }
        let column = clawback_column(&ws, m);
        let got: BTreeMap<String, Decimal> = column.into_iter().filter(|(_, v)| !v.is_zero()).collect();
        assert_eq!(got, expected, "{m}");
        let (sheet_lines, total) = clawback_sheet(&report(&ws, m));
        let sum: Decimal = expected.values().sum();
        assert_eq!(Decimal::try_from(total.unwrap_or(0.0)).unwrap(), sum, "{m}");
        assert_eq!(sheet_lines.len(), month_lines, "{m}: one line per account lost");
    }
    assert!(lines >= 3, "the generated months empty a few accounts: {lines} lost");
}

/// Months 2026-01 (X opened by A01) and 2026-02 (X's assets `feb`), run and closed; then 2026-02's
/// CRM corrected to `feb_corrected` and 2026-03 (X's assets `mar`) run. Gives A01's
/// (prior_period, clawback) of 2026-03.
fn corrected_closed_month(feb: &str, feb_corrected: &str, mar: &str) -> (Decimal, Decimal) {
    let files = standards();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let ws = Workspace::custom("", &files);
    month(&ws, "2026-01", true, &[("X", "A01", "20000")], &[("X", "A01")]);
    month(&ws, "2026-02", true, &[("X", "A01", feb)], &[]);
    month(&ws, "2026-03", true, &[("X", "A01", mar)], &[]);
    let out = ws.run(&["run", "--from", "2026-01", "--to", "2026-02"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    for m in ["2026-01", "2026-02"] {
        let out = ws.run(&["close", "--month", m, "--by", "测试"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    month(&ws, "2026-02", true, &[("X", "A01", feb_corrected)], &[]);
    let out = ws.run(&["run", "--month", "2026-03"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let rows = payroll(&ws.reports("2026-03").join("payroll_2026-03.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let a01 = rows.iter().find(|r| r[0] == "A01").unwrap();
    (d(&a01[col("prior_period")]), d(&a01[col("clawback")]))
}

#[test]
fn a_loss_found_by_correcting_a_closed_month_is_recovered_once() {
    // Closed as kept (5,000); corrected to 500: the prior-period adjustment recovers the bonus,
    // and the month after, still below, does not recover it again.
    assert_eq!(corrected_closed_month("5000", "500", "500"), (d("-100.00"), Decimal::ZERO));
}

#[test]
fn a_loss_undone_by_correcting_a_closed_month_is_refunded_and_watched_again() {
    // Closed as lost (recovered); corrected to kept: the prior-period adjustment refunds the
    // bonus, and a real loss the month after recovers it.
    assert_eq!(corrected_closed_month("500", "5000", "500"), (d("100.00"), d("-100.00")));
}
