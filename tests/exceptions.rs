//! Bad input (SPEC §7): every row-level exception is collected with its file, row, column, raw
//! value and reason, the run goes on and exits 1; every file-level error stops before anything is
//! written, names the file and what it found, exits 2, and leaves the month's outputs as they were.

mod common;
use common::*;

fn issues(ws: &Workspace, month: &str) -> Vec<Vec<String>> {
    let book = ws.reports(month).join(format!("薪酬月报表_{month}.xlsx"));
    sheet(&book, 3).iter().skip(1).map(|r| r.iter().map(text).collect()).collect()
}

/// Run the month, expect exit 1 and an exception on `file` row `row` whose reason contains `why`.
fn expect_exception(ws: &Workspace, file: &str, row: u32, column: &str, why: &str) -> Vec<Vec<String>> {
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The terminal log is English (SPEC §7's wording); the sheet speaks the report's language.
    let err = stderr(&out);
    let at = format!("exception: 2026-10/{file}:{row}:");
    assert!(err.contains(&at), "stderr lacks {at:?}: {err}");
    let all = issues(ws, "2026-10");
    let hit = all
        .iter()
        .find(|r| r[0] == "异常" && r[2] == format!("2026-10/{file}") && r[4] == row.to_string() && r[7].contains(why));
    let hit = hit.unwrap_or_else(|| panic!("no exception {file}:{row} {why:?} in {all:?}"));
    assert_eq!(hit[5], column, "column of {hit:?}");
    all
}

fn month_with(ws: &Workspace, kind: &str, lines: &[&str]) {
    standard_month(ws, "2026-10");
    let (name, header) = match kind {
        "crm" => ("crm.csv", CRM_HEADER),
        "accounts" => ("accounts.csv", ACCOUNTS_HEADER),
        "roster" => ("roster.csv", ROSTER_HEADER),
        "adjustments" => ("adjustments.csv", ADJ_HEADER),
        _ => ("scores.csv", SCORES_HEADER),
    };
    ws.csv("2026-10", name, header, lines);
}

const CLEAN_CRM: [&str; 6] = [
    "C001,客户一,A01,开发,70%,500000,480000,100000,40000000,20000,1000",
    "C001,客户一,A02,服务,30%,500000,480000,100000,40000000,20000,1000",
    "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000,0",
    "C003,客户三,B01,开发,1,50000,50000,20000,4000000,3000,200",
    "C004,客户四,B02,开发,1,80000,80000,0,2000000,1000,0",
    "C005,客户五,A03,开发,1,30000,30000,30000,0,0,0",
];

fn crm_with(ws: &Workspace, replace: usize, line: &str, extra: &[&str]) {
    let mut lines: Vec<&str> = CLEAN_CRM.to_vec();
    lines[replace] = line;
    lines.extend_from_slice(extra);
    month_with(ws, "crm", &lines);
}

#[test]
fn unparseable_amount() {
    let ws = Workspace::new();
    crm_with(&ws, 3, "C003,客户三,B01,开发,1,50000,50000,20000,4000000,3千,200", &[]);
    expect_exception(&ws, "crm.csv", 5, "净佣金", "金额无法识别");
    // The row is out of pay: B01 has no net commission any more.
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    let b01 = rows.iter().find(|r| r[0] == "B01").unwrap();
    assert_eq!(b01[6], "0.00");
}

#[test]
fn a_cell_longer_than_a_spreadsheet_holds_is_a_row_exception_not_a_failed_run() {
    // No spreadsheet cell holds more than 32,767 characters: a longer field is a broken export,
    // and written into 数据异常 whole it would stop the report from being written at all.
    let ws = Workspace::new();
    let long = "名".repeat(40_000);
    let line = format!("C003,{long},B01,开发,1,50000,50000,20000,4000000,3000,200");
    crm_with(&ws, 3, &line, &[]);
    let all = expect_exception(&ws, "crm.csv", 5, "", "超过表格单元格的上限（32,767）");
    let hit = all.iter().find(|r| r[7].contains("32,767")).unwrap();
    assert!(hit[7].contains("第 B 列有 40000 个字符"), "{hit:?}");
    assert!(hit[6].chars().count() <= 201 && hit[6].ends_with('…'), "the value quoted, cut: {}", hit[6].len());
    // Rejected, never dropped: the reconciliation counts it and every equation holds.
    let recon = sheet(&ws.reports("2026-10").join("薪酬月报表_2026-10.xlsx"), 4);
    for r in &recon[1..] {
        assert_eq!(text(&r[5]), "相符", "{}", text(&r[1]));
    }
    let eq: Vec<String> = recon.iter().map(|r| text(&r[1])).collect();
    assert!(eq.iter().any(|e| e.starts_with("读入 6 = 接受 5 + 拒绝 1")), "{eq:?}");
    // The row is out of pay.
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    let b01 = rows.iter().find(|r| r[0] == "B01").unwrap();
    assert_eq!(b01[6], "0.00");
}

#[test]
fn text_amounts_in_every_listed_form_are_read() {
    let ws = Workspace::new();
    crm_with(
        &ws,
        3,
        "C003,客户三,B01,开发,100%,\"50,000.00\",\"５００００\",￥20000元,4000000,\"（3,000.00）\",200",
        &[],
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    let b01 = rows.iter().find(|r| r[0] == "B01").unwrap();
    assert_eq!(&b01[6..11], ["-3000.00", "200.00", "-2800.00", "20000.00", "50000.00"]);
}

#[test]
fn missing_required_value() {
    let ws = Workspace::new();
    crm_with(&ws, 3, "C003,客户三,,开发,1,50000,50000,20000,4000000,3000,200", &[]);
    expect_exception(&ws, "crm.csv", 5, "客户经理编号", "缺少必填值");
}

#[test]
fn duplicate_crm_row_keeps_the_first() {
    let ws = Workspace::new();
    crm_with(&ws, 0, CLEAN_CRM[0], &["C003,客户三,B01,开发,1,50000,50000,20000,4000000,3000,200"]);
    expect_exception(&ws, "crm.csv", 8, "客户号", "重复");
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    assert_eq!(rows.iter().find(|r| r[0] == "B01").unwrap()[6], "3000.00");
}

#[test]
fn shares_above_100_percent_reject_every_row_of_the_client() {
    let ws = Workspace::new();
    crm_with(&ws, 1, "C001,客户一,A02,服务,40%,500000,480000,100000,40000000,20000,1000", &[]);
    let all = expect_exception(&ws, "crm.csv", 2, "客户号", "超过 100%");
    assert!(all.iter().any(|r| r[4] == "3" && r[7].contains("超过 100%")));
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    assert_eq!(rows.iter().find(|r| r[0] == "A01").unwrap()[6], "0.00");
}

#[test]
fn client_level_fields_that_disagree_reject_the_client() {
    let ws = Workspace::new();
    crm_with(&ws, 1, "C001,客户一,A02,服务,30%,500000,480000,100000,40000000,25000,1000", &[]);
    let all = expect_exception(&ws, "crm.csv", 3, "客户号", "不一致");
    assert!(all.iter().any(|r| r[4] == "2" && r[7].contains("净佣金不一致")));
}

#[test]
fn ratio_outside_zero_to_one() {
    let ws = Workspace::new();
    crm_with(&ws, 3, "C003,客户三,B01,开发,130%,50000,50000,20000,4000000,3000,200", &[]);
    expect_exception(&ws, "crm.csv", 5, "分配比例", "比例不在 0 到 1 之间");
}

#[test]
fn crm_row_of_a_manager_not_on_the_roster() {
    let ws = Workspace::new();
    crm_with(&ws, 3, "C003,客户三,Z99,开发,1,50000,50000,20000,4000000,3000,200", &[]);
    expect_exception(&ws, "crm.csv", 5, "客户经理编号", "不在2026年10月的花名册上");
}

#[test]
fn duplicate_account_and_inactive_manager_in_accounts() {
    let ws = Workspace::new();
    month_with(
        &ws,
        "accounts",
        &[
            "C005,客户五,2026-10-08,A股,A03,JT,20000",
            "C005,客户五,2026-10-09,A股,A03,JT,20000",
            "C006,客户六,2026-10-10,A股,Z99,JT,20000",
        ],
    );
    // The column is named as the file names it.
    expect_exception(&ws, "accounts.csv", 3, "资金账号", "重复");
    expect_exception(&ws, "accounts.csv", 4, "开发人员编号", "不在2026年10月的花名册上");
}

#[test]
fn duplicate_roster_row_and_bad_date() {
    let ws = Workspace::new();
    month_with(
        &ws,
        "roster",
        &[
            "A01,甲一,甲队,一组,JT,L2,员工,2020-01-01,2020-04-01,,是",
            "A02,甲二,甲队,一组,JT,L1,员工,2021-01-01,2021-04-01,,否",
            "A03,甲三,甲队,,JT,见习客户经理,员工,2026-09-15,,,否",
            "B01,乙一,乙队,一组,ZS,L1,员工,2022-01-01,2022-04-01,,否",
            "B02,乙二,乙队,一组,ZS,P,兼职,2023-05-01,,,否",
            "B01,乙一,乙队,一组,ZS,L1,员工,2022-01-01,2022-04-01,,否",
            "B03,乙三,乙队,一组,ZS,L1,员工,2022-13-01,,,否",
        ],
    );
    expect_exception(&ws, "roster.csv", 7, "工号", "重复");
    expect_exception(&ws, "roster.csv", 8, "入职日期", "日期无法识别");
}

#[test]
fn adjustments_and_scores_of_unknown_managers() {
    let ws = Workspace::new();
    month_with(&ws, "adjustments", &["A02,100,奖励,x", "Q01,-50,考勤扣款,y"]);
    ws.csv("2026-10", "scores.csv", SCORES_HEADER, &["A01,90", "Q02,80", "A02,120"]);
    expect_exception(&ws, "adjustments.csv", 3, "工号", "不在2026年10月的花名册上");
    expect_exception(&ws, "scores.csv", 3, "工号", "不在2026年10月的花名册上");
    expect_exception(&ws, "scores.csv", 4, "职责得分", "职责得分不在 0–100 之间");
}

#[test]
fn information_does_not_change_the_exit_status() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    // A leaver of last month still listed, and a 合计 row.
    ws.csv(
        "2026-10",
        "roster.csv",
        ROSTER_HEADER,
        &[
            "A01,甲一,甲队,一组,JT,L2,员工,2020-01-01,2020-04-01,,是",
            "A02,甲二,甲队,一组,JT,L1,员工,2021-01-01,2021-04-01,,否",
            "A03,甲三,甲队,,JT,见习客户经理,员工,2026-09-15,,,否",
            "B01,乙一,乙队,一组,ZS,L1,员工,2022-01-01,2022-04-01,,否",
            "B02,乙二,乙队,一组,ZS,P,兼职,2023-05-01,,,否",
            "B09,乙九,乙队,一组,ZS,L1,员工,2022-01-01,2022-04-01,2026-09-30,否",
            "合计,6人,,,,,,,,,",
        ],
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = issues(&ws, "2026-10");
    assert!(all.iter().any(|r| r[0] == "信息" && r[4] == "7" && r[7].contains("不在职")), "{all:?}");
    assert!(all.iter().any(|r| r[0] == "信息" && r[4] == "8" && r[7].contains("合计行")), "{all:?}");
}

#[test]
fn returning_clients_are_not_new_accounts() {
    let ws = Workspace::with_config_extra(NO_CHECKS);
    standard_month(&ws, "2026-09");
    standard_month(&ws, "2026-10");
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = issues(&ws, "2026-10");
    // C005 ×2, C004 and C009 opened (accepted) in 2026-09: all four are returning in 2026-10.
    assert_eq!(all.iter().filter(|r| r[7].contains("老客户")).count(), 4, "{all:?}");
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    assert!(rows[1..].iter().all(|r| r[11] == "0"), "no new accounts");
}

#[test]
fn strict_writes_nothing() {
    let ws = Workspace::new();
    crm_with(&ws, 3, "C003,客户三,,开发,1,50000,50000,20000,4000000,3000,200", &[]);
    let out = ws.run(&["run", "--month", "2026-10", "--strict"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!ws.reports("2026-10").join("payroll_2026-10.csv").exists());
    // Not even the month's folder: its detail was being written while the month was checked.
    assert!(!ws.reports("2026-10").exists(), "a month never written leaves no folder");
    let reports = ws.reports("2026-10").parent().unwrap().to_path_buf();
    let left: Vec<_> = std::fs::read_dir(&reports).map(|d| d.filter_map(Result::ok).collect()).unwrap_or_default();
    assert!(left.iter().all(|e| !e.file_name().to_string_lossy().contains("staging")), "{left:?}");
    let check = ws.run(&["check", "--month", "2026-10"]);
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn reconciliation_holds_with_every_kind_of_planted_problem() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    ws.csv(
        "2026-10",
        "crm.csv",
        CRM_HEADER,
        &[
            "C001,客户一,A01,开发,70%,500000,480000,100000,40000000,20000,1000",
            "C001,客户一,A02,服务,20%,500000,480000,100000,40000000,20000,1000",
            "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000,0",
            "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000,0",
            "C003,客户三,B01,开发,1,50000,50000,20000,4000000,abc,200",
            "C004,客户四,B02,开发,60%,80000,80000,777,2000000,1000,0",
            "C004,客户四,B01,服务,50%,80000,80000,777,2000000,1000,0",
            "C006,客户六,Z99,开发,1,10000,10000,555,0,99,1",
            "C007,客户七,A01,开发,1,10000,10000,5,0,12.5,1",
            "C007,客户七,A02,服务,1,10000,10000,6,0,12.5,1",
            ",无号,A01,开发,1,1,1,1,1,1,1",
            "",
            "合计,,,,,,,,,,",
        ],
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let recon = sheet(&ws.reports("2026-10").join("薪酬月报表_2026-10.xlsx"), 4);
    for r in &recon[1..] {
        assert_eq!(text(&r[5]), "相符", "{}", text(&r[1]));
    }
    let eq: Vec<String> = recon.iter().map(|r| text(&r[1])).collect();
    // net commission: file total counts each client once (C003's 'abc' does not parse).
    assert!(eq.contains(&"文件合计 66111.5 = 已计入 63000 + 未分配 2000 + 已拒绝 1111.5".to_string()), "{eq:?}");
    assert!(eq.contains(&"读入 13 = 接受 3 + 拒绝 8 + 跳过(空行/合计行) 2".to_string()), "{eq:?}");
}

// ---- file-level errors: exit 2, message names the file, earlier outputs untouched ----

fn outputs(ws: &Workspace) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(ws.reports("2026-10"))
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

fn expect_file_error(ws: &Workspace, wants: &[&str]) {
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for w in wants {
        assert!(err.contains(w), "stderr lacks {w:?}: {err}");
    }
}

fn after_a_good_run(ws: &Workspace, breakage: impl FnOnce(&Workspace), wants: &[&str]) {
    standard_month(ws, "2026-10");
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    let before = outputs(ws);
    breakage(ws);
    expect_file_error(ws, wants);
    assert_eq!(outputs(ws), before, "earlier outputs of the month untouched");
}

#[test]
fn missing_required_kind() {
    let ws = Workspace::new();
    after_a_good_run(
        &ws,
        |ws| std::fs::remove_file(ws.data().join("2026-10/accounts.csv")).unwrap(),
        &["2026-10/", "no accounts file", "found: adjustments.csv, crm.csv"],
    );
}

#[test]
fn missing_required_column() {
    let ws = Workspace::new();
    after_a_good_run(
        &ws,
        |ws| {
            ws.csv("2026-10", "crm.csv", "客户号,客户姓名,客户经理编号,月末资产,资金净流入,佣金", &["C1,x,A01,1,1,1"]);
        },
        &[
            "2026-10/crm.csv",
            "no column for net_commission (净佣金)",
            "found: 客户号, 客户姓名, 客户经理编号, 月末资产, 资金净流入, 佣金",
        ],
    );
}

#[test]
fn sheet_not_found() {
    let ws = Workspace::with_config_extra("[inputs.roster]\nsheet = \"名册\"\n");
    // A CSV has no sheets: the first run reads roster.csv; then the roster becomes a workbook
    // whose only sheet is "Sheet1".
    after_a_good_run(
        &ws,
        |ws| {
            std::fs::remove_file(ws.data().join("2026-10/roster.csv")).unwrap();
            let mut wb = rust_xlsxwriter::Workbook::new();
            wb.add_worksheet().write_string(0, 0, "工号").unwrap();
            wb.save(ws.data().join("2026-10/roster.xlsx")).unwrap();
        },
        &["2026-10/roster.xlsx", "sheet 名册", "sheet not found; the file has: Sheet1"],
    );
}

#[test]
fn undecodable_text() {
    let ws = Workspace::new();
    after_a_good_run(
        &ws,
        |ws| {
            ws.file("2026-10", "crm.csv", [0x81u8, 0x20, 0xFF, 0xFE, 0x30, b'\n']);
        },
        &["2026-10/crm.csv", "undecodable text"],
    );
}

#[test]
fn corrupt_workbook() {
    let ws = Workspace::new();
    after_a_good_run(
        &ws,
        |ws| {
            std::fs::remove_file(ws.data().join("2026-10/crm.csv")).unwrap();
            ws.file("2026-10", "crm.xlsx", b"PK\x03\x04 this is not a zip archive");
        },
        &["2026-10/crm.xlsx", "not a readable workbook"],
    );
}

#[test]
fn a_file_matching_two_kinds() {
    let ws = Workspace::new();
    after_a_good_run(
        &ws,
        |ws| {
            ws.file("2026-10", "crm_开户.csv", "x\n");
        },
        &["2026-10/crm_开户.csv", "several kinds (crm, accounts)"],
    );
}

#[test]
fn unknown_roster_level_is_a_configuration_error() {
    let ws = Workspace::new();
    after_a_good_run(
        &ws,
        |ws| {
            ws.csv(
                "2026-10",
                "roster.csv",
                ROSTER_HEADER,
                &["A01,甲一,甲队,一组,JT,L9,员工,2020-01-01,2020-04-01,,是"],
            );
        },
        &["roster.csv row 2", "level \"L9\"", "levels: L1 客户经理"],
    );
}

#[test]
fn every_corpus_file_gives_a_result_or_a_clear_file_error() {
    // calamine's own test files (MIT, tests/fixtures/calamine-corpus/LICENSE-MIT.md).
    let corpus = repo().join("tests/fixtures/calamine-corpus");
    let entries = std::fs::read_dir(&corpus).unwrap_or_else(|e| panic!("{}: {e}", corpus.display()));
    let mut n = 0;
    for e in entries {
        let path = e.unwrap().path();
        let ext = path.extension().map(|x| x.to_string_lossy().to_lowercase()).unwrap_or_default();
        if !["xls", "xlsx", "xlsm", "xlsb", "ods"].contains(&ext.as_str()) {
            continue;
        }
        for kind in ["crm", "roster"] {
            let ws = Workspace::new();
            standard_month(&ws, "2026-10");
            std::fs::remove_file(ws.data().join(format!("2026-10/{kind}.csv"))).unwrap();
            std::fs::copy(&path, ws.data().join(format!("2026-10/{kind}_x.{ext}"))).unwrap();
            let out = ws.run(&["check", "--month", "2026-10"]);
            let code = out.status.code();
            assert!(matches!(code, Some(0..=2)), "{}: exit {code:?}: {}", path.display(), stderr(&out));
            if code == Some(2) {
                assert!(stderr(&out).contains(&format!("{kind}_x.{ext}")), "{}: {}", path.display(), stderr(&out));
            }
            n += 1;
        }
    }
    assert!(n > 200, "{n} corpus runs");
}

#[test]
fn files_that_are_not_read_are_named_not_dropped_silently() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    ws.file("2026-10", "客户导出.csv", "客户号\nC1\n");
    ws.file("2026-10", "说明.pdf", "%PDF");
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "information only: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning: 2026-10/客户导出.csv: not read: its name matches no input kind"), "{err}");
    assert!(err.contains("warning: 2026-10/说明.pdf: not read: not a spreadsheet or text file"), "{err}");
    let all = issues(&ws, "2026-10");
    assert!(all.iter().any(|r| r[0] == "信息" && r[2] == "2026-10/客户导出.csv" && r[7].contains("未读取")), "{all:?}");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.reports("2026-10").join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["unread_files"], serde_json::json!(["2026-10/客户导出.csv", "2026-10/说明.pdf"]));
}
