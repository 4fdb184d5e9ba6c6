//! The monthly run end to end on a hand-built month whose every figure was worked out by hand
//! (SPEC §4), read back from the payroll CSV and from the workbook.

mod common;
use common::*;

/// (manager_id, base, penalty, nc_pay, or_pay, account_bonus, asset_bonus, leader, cap, adj, total)
const EXPECTED: [(&str, [&str; 10]); 5] = [
    ("A01", ["5000.00", "0.00", "2800.00", "70.00", "0.00", "35.00", "615.00", "0.00", "0.00", "8520.00"]),
    ("A02", ["3500.00", "0.00", "12300.00", "30.00", "0.00", "12.50", "0.00", "0.00", "400.00", "16242.50"]),
    ("A03", ["2000.00", "0.00", "0.00", "0.00", "130.00", "15.00", "0.00", "0.00", "0.00", "2145.00"]),
    ("B01", ["3500.00", "-700.00", "600.00", "20.00", "0.00", "10.00", "0.00", "0.00", "0.00", "3430.00"]),
    ("B02", ["0.00", "0.00", "400.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "400.00"]),
];

#[test]
fn a_hand_worked_month_pays_every_component_to_the_fen() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    assert_eq!(
        rows[0].join(","),
        "manager_id,name,team,group,level,employment,net_commission,other_revenue,net_revenue,net_inflow,month_end_assets,new_accounts,valid_accounts,base_salary,minimum_penalty,net_commission_pay,other_revenue_pay,account_bonus,asset_bonus,leader_override,cap_deduction,adjustments,clawback,prior_period,total"
    );
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["A01", "A02", "A03", "B01", "B02"], "report order: team, group (none last), id");
    for (row, (id, want)) in rows[1..].iter().zip(EXPECTED) {
        assert_eq!(row[0], id);
        assert_eq!(&row[13..22], &want[..9], "components of {id}");
        assert_eq!(&row[22..24], ["0.00", "0.00"], "no clawback or prior-period adjustment of {id}");
        assert_eq!(row[24], want[9], "total of {id}");
    }
    // Metrics: credited sums, each rounded on its own; counts as integers.
    assert_eq!(&rows[1][6..13], ["14000.00", "700.00", "14700.00", "70000.00", "350000.00", "0", "0"]);
    assert_eq!(&rows[3][4..6], ["T", "employee"]);
    assert_eq!(&rows[3][11..13], ["2", "2"]);
    assert_eq!(&rows[5][4..6], ["P", "part_time"]);
    assert_eq!(rows[3][3], "", "no group is an empty field");
}

#[test]
fn the_workbook_agrees_with_the_payroll_csv_and_foots() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = ws.reports("2026-10");
    let rows = payroll(&dir.join("payroll_2026-10.csv"));
    let book = dir.join("薪酬月报表_2026-10.xlsx");
    assert_eq!(sheet_names(&book), ["薪酬月报表", "计算明细", "手工调整", "数据异常", "对账"]);
    let main = sheet(&book, 0);
    assert_eq!(text(&main[2][0]), "工号");
    assert_eq!(text(&main[2][23]), "应发合计");
    // Rows: 甲队 ×3, 小计, 乙队 ×2, 小计, 合计.
    let body: Vec<&Vec<calamine::Data>> =
        main[3..].iter().take_while(|r| !r.is_empty() && text(&r[0]) != "合计").collect();
    let people: Vec<_> = body.iter().filter(|r| text(&r[0]) != "小计").collect();
    assert_eq!(people.len(), 5);
    for (r, csv) in people.iter().zip(&rows[1..]) {
        assert_eq!(text(&r[0]), csv[0]);
        // metrics 净佣金…资金净流入 and every component: the same figures to the fen.
        let pairs = [(6, 6), (7, 7), (8, 8), (9, 9)].into_iter().chain((12..24).map(|c| (c, c + 1)));
        for (wc, cc) in pairs {
            let w = (num(&r[wc]) * 100.0).round() as i64;
            let c = (csv[cc].parse::<f64>().unwrap() * 100.0).round() as i64;
            assert_eq!(w, c, "{} column {wc}", csv[0]);
        }
    }
    // Team subtotals and the grand total are the sums of their rows.
    let subtotals: Vec<_> = body.iter().filter(|r| text(&r[0]) == "小计").collect();
    assert_eq!(subtotals.len(), 2);
    let grand = main.iter().find(|r| !r.is_empty() && text(&r[0]) == "合计").expect("grand total row");
    for c in 6..24 {
        let rows_sum: i64 = people.iter().map(|r| (num(&r[c]) * 100.0).round() as i64).sum();
        let sub_sum: i64 = subtotals.iter().map(|r| (num(&r[c]) * 100.0).round() as i64).sum();
        assert_eq!(rows_sum, (num(&grand[c]) * 100.0).round() as i64, "column {c}");
        assert_eq!(sub_sum, rows_sum, "column {c}");
    }
    assert_eq!((num(&grand[23]) * 100.0).round() as i64, 3_073_750);
    // The standard's name and hash are on the report; the sign-off chain at the end.
    let subtitle = text(&main[1][0]);
    assert!(subtitle.contains("2026年客户经理薪酬标准"), "{subtitle}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert!(subtitle.contains(manifest["standard"]["sha256"].as_str().unwrap()));
    let all_text: Vec<String> = main.iter().flatten().map(text).collect();
    for role in ["制表", "主办会计", "副经理（经理助理）", "经理"] {
        assert!(all_text.iter().any(|t| t.starts_with(role)), "sign-off {role}");
    }
    assert_eq!(manifest["totals"]["total"], "30737.50");
    assert_eq!(manifest["month"], "2026-10");
}

#[test]
fn reconciliation_sheet_holds_on_a_clean_month() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recon = sheet(&ws.reports("2026-10").join("薪酬月报表_2026-10.xlsx"), 4);
    assert!(recon.len() > 8);
    for r in &recon[1..] {
        assert_eq!(text(&r[5]), "相符", "{}", text(&r[1]));
    }
    let eq: Vec<String> = recon.iter().map(|r| text(&r[1])).collect();
    assert!(eq.iter().any(|e| e == "行数 4 = 有效 2 + 无效 2 + 老客户 0 + 拒绝 0"), "{eq:?}");
    assert!(eq.iter().any(|e| e.starts_with("文件合计 69000 = 已计入 69000")), "{eq:?}");
}

#[test]
fn explain_shows_the_tiers_and_the_result() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let out = ws.run(&["explain", "--month", "2026-10", "--manager", "A02"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = String::from_utf8(out.stdout).unwrap();
    // In the report's language: labelled terms, separators, rates as rates.
    assert!(s.contains("第 1 档：员工提成表（超额累进）区间 (0.00, 30,000.00]：30,000.00 × 20% = 6,000.00"), "{s}");
    assert!(s.contains("区间 (30,000.00, 100,000.00]：21,000.00 × 30% = 6,300.00"), "{s}");
    assert!(s.contains("【应发合计】") && s.contains("= 16,242.50  → 16,242.50"), "{s}");
    assert!(s.contains("基本工资 3,500.00 + "), "every term labelled: {s}");
    let missing = ws.run(&["explain", "--month", "2026-10", "--manager", "ZZZ"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn check_and_explain_write_nothing() {
    let ws = Workspace::new();
    // An earlier month too: its figures are computed for the returning clients but not cached.
    standard_month(&ws, "2026-09");
    standard_month(&ws, "2026-10");
    let out = ws.run(&["check", "--month", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = ws.run(&["explain", "--month", "2026-10", "--manager", "A01"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!ws.dir.path().join("reports").exists(), "nothing written, not even the ledger's cache");
}

#[test]
fn two_runs_give_byte_identical_outputs() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let dir = ws.reports("2026-10");
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    let first: Vec<(String, Vec<u8>)> = files(&dir);
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    let second = files(&dir);
    assert_eq!(first.len(), 7, "the outputs of SPEC §5 items 1-3, 6-8 and the team analysis");
    for ((n1, b1), (n2, b2)) in first.iter().zip(&second) {
        assert_eq!(n1, n2);
        assert!(b1 == b2, "{n1} differs between two runs");
    }
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn outputs_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    for e in std::fs::read_dir(ws.reports("2026-10")).unwrap() {
        let e = e.unwrap();
        let mode = e.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{:?}", e.file_name());
    }
}

#[test]
fn a_failed_write_leaves_the_previous_outputs_whole() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    let dir = ws.reports("2026-10");
    let before = files(&dir);
    // Change the inputs, then make the last workbook fail: nothing of the month may change.
    ws.csv("2026-10", "adjustments.csv", ADJ_HEADER, &["A02,999,奖励,x"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["run", "--month", "2026-10", "--config", ws.config().to_str().unwrap()])
        .env("BROKERCOMP_FAIL_WRITE", "payroll_2026-10.csv")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("simulated write failure"));
    assert_eq!(files(&dir), before, "outputs unchanged and no temporary file left");
}
