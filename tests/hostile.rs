//! Hostile and sloppy months (issue "Nothing lost, nothing trusted blindly"): each class of
//! input that once paid wrong with exit 0 now either reads correctly, or is a row exception, or
//! stops the month with a file-level error naming the file — and never changes anything else.
//!
//! The base month is `tests/fixtures/formats/csv-utf8-bom/2026-10` (five managers, five clients);
//! the hostile files are in `tests/fixtures/hostile/` (see its README: made by Python's csv
//! module, openpyxl, LibreOffice and by hand).

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

const MONTH: &str = "2026-10";

fn fixture(rel: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// A workspace holding the base month, with its crm file replaced by `crm` (a fixture path
/// relative to tests/fixtures) when given.
fn base_month(crm: Option<&str>) -> Workspace {
    let ws = Workspace::new();
    let base = fixture("formats/csv-utf8-bom/2026-10");
    for f in ["accounts.csv", "roster.csv", "crm.csv"] {
        ws.file(MONTH, f, std::fs::read(base.join(f)).unwrap());
    }
    if let Some(c) = crm {
        std::fs::remove_file(ws.data().join(MONTH).join("crm.csv")).unwrap();
        let name = Path::new(c).file_name().unwrap();
        std::fs::copy(fixture(c), ws.data().join(MONTH).join(name)).unwrap();
    }
    ws
}

fn payroll_bytes(ws: &Workspace) -> Vec<u8> {
    std::fs::read(ws.reports(MONTH).join(format!("payroll_{MONTH}.csv"))).unwrap()
}

fn run(ws: &Workspace) -> std::process::Output {
    ws.run(&["run", "--month", MONTH])
}

/// The payroll of the untouched base month.
fn base_payroll() -> Vec<u8> {
    let ws = base_month(None);
    assert_eq!(run(&ws).status.code(), Some(0), "{}", stderr(&run(&ws)));
    payroll_bytes(&ws)
}

/// Every file of the month's output folder with its bytes (for "nothing else changed").
fn outputs(ws: &Workspace) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(ws.reports(MONTH)) {
        for e in entries.map(Result::unwrap) {
            if e.path().is_file() {
                m.insert(e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap());
            }
        }
    }
    m
}

/// Run the base month, then replace its crm by `crm` and run again: exit 2, stderr holds every
/// `wants`, and every output of the month is byte for byte what the first run wrote.
fn refused_and_nothing_changed(crm: &str, wants: &[&str]) {
    let ws = base_month(None);
    assert_eq!(run(&ws).status.code(), Some(0));
    let before = outputs(&ws);
    std::fs::remove_file(ws.data().join(MONTH).join("crm.csv")).unwrap();
    let name = Path::new(crm).file_name().unwrap();
    std::fs::copy(fixture(crm), ws.data().join(MONTH).join(name)).unwrap();
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(2), "{crm}: {}", stderr(&out));
    let err = stderr(&out);
    for w in wants {
        assert!(err.contains(w), "{crm}: stderr lacks {w:?}: {err}");
    }
    assert_eq!(outputs(&ws), before, "{crm}: the month's outputs are untouched");
}

/// Rows of a sheet of the compensation report, as text.
fn report_sheet(ws: &Workspace, index: usize) -> Vec<Vec<String>> {
    sheet(&ws.reports(MONTH).join(format!("薪酬月报表_{MONTH}.xlsx")), index)
        .iter()
        .map(|r| r.iter().map(text).collect())
        .collect()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|_| panic!("not a decimal: {s:?}"))
}

/// Check every equation of the 对账 sheet with its own printed figures: each `A = B + C + …`
/// is re-added here, in decimals, from the text the sheet shows.
fn equations_foot(ws: &Workspace) -> Vec<String> {
    let recon = report_sheet(ws, 4);
    let mut eqs = Vec::new();
    for row in &recon[1..] {
        let eq = &row[1];
        let (left, right) = eq.split_once(" = ").unwrap_or_else(|| panic!("not an equation: {eq}"));
        let number = |part: &str| d(part.rsplit(' ').next().unwrap());
        let l = number(left);
        let r: Decimal = right.split(" + ").map(number).sum();
        assert_eq!(l, r, "{}: {eq} does not foot", row[0]);
        assert_eq!(row[5], "相符", "{eq}");
        eqs.push(eq.clone());
    }
    eqs
}

/// The crm file totals computed here from the raw lines of a CSV (independently of the code
/// that computes the credited amounts): each client's value counted once, from its first row.
fn file_totals_from_raw_csv(text: &str) -> [Decimal; 3] {
    let mut seen = std::collections::BTreeSet::new();
    let mut totals = [Decimal::ZERO; 3];
    let mut header: Option<Vec<&str>> = None;
    for line in text.trim_start_matches('\u{feff}').lines() {
        let cells: Vec<&str> = line.split(',').collect();
        let Some(h) = &header else {
            if cells.contains(&"净佣金") {
                header = Some(cells);
            }
            continue;
        };
        let col = |name: &str| h.iter().position(|c| *c == name).unwrap();
        let client = cells[0];
        if client.is_empty() || client.starts_with("合计") || cells.len() != h.len() || !seen.insert(client) {
            continue;
        }
        for (k, name) in ["净佣金", "其他净收入", "资金净流入"].iter().enumerate() {
            totals[k] += d(cells[col(name)]);
        }
    }
    totals
}

// ---- a CSV that ends early in silence ----

#[test]
fn an_unclosed_quote_stops_the_month_naming_the_line_where_it_opens() {
    refused_and_nothing_changed(
        "hostile/crm-unclosed-quote.csv",
        &["2026-10/crm-unclosed-quote.csv", "line 6", "never closed"],
    );
}

#[test]
fn a_record_with_one_field_too_many_is_a_row_exception_and_the_rest_is_read() {
    let ws = base_month(Some("hostile/crm-unquoted-thousands.csv"));
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let issues = report_sheet(&ws, 3);
    let hit = issues
        .iter()
        .find(|r| r[0] == "异常" && r[2] == "2026-10/crm-unquoted-thousands.csv" && r[4] == "6")
        .unwrap_or_else(|| panic!("no exception on line 6: {issues:?}"));
    assert!(hit[7].contains("该行有 12 个字段，而表头只有 11 个"), "{hit:?}");
    assert!(hit[6].contains("1,234.50"), "the raw record is shown: {hit:?}");
    // Pay is that of the month without C002's row (the rejected row is simply out of pay).
    let without = base_month(None);
    let base = std::fs::read_to_string(fixture("formats/csv-utf8-bom/2026-10/crm.csv")).unwrap();
    let kept: Vec<&str> = base.lines().filter(|l| !l.starts_with("C002,")).collect();
    without.file(MONTH, "crm.csv", kept.join("\n") + "\n");
    assert_eq!(run(&without).status.code(), Some(0));
    assert_eq!(payroll_bytes(&ws), payroll_bytes(&without));
    let eqs = equations_foot(&ws);
    // rows: 8 below the header up to 合计 = 5 accepted + 1 rejected + 2 skipped (blank + 合计),
    // counted here from the file: lines 4..=11.
    assert!(eqs.contains(&"读入 8 = 接受 5 + 拒绝 1 + 跳过(空行/合计行) 2".to_string()), "{eqs:?}");
}

#[test]
fn lone_cr_line_ends_give_the_same_pay_and_the_right_line_numbers() {
    let ws = base_month(Some("hostile/crm-lone-cr.csv"));
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(payroll_bytes(&ws), base_payroll());
    let issues = report_sheet(&ws, 3);
    assert!(
        issues.iter().any(|r| r[2] == "2026-10/crm-lone-cr.csv" && r[4] == "11" && r[6] == "合计"),
        "the 合计 row is on line 11: {issues:?}"
    );
    let eqs = equations_foot(&ws);
    assert!(eqs.contains(&"读入 8 = 接受 6 + 拒绝 0 + 跳过(空行/合计行) 2".to_string()), "{eqs:?}");
}

// ---- files that are there but not read, or not there but read ----

#[cfg(unix)]
#[test]
fn a_month_file_that_is_a_symbolic_link_is_read_like_any_file() {
    let ws = base_month(None);
    let elsewhere = ws.dir.path().join("exports");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::rename(ws.data().join(MONTH).join("crm.csv"), elsewhere.join("crm.csv")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("crm.csv"), ws.data().join(MONTH).join("crm.csv")).unwrap();
    assert_eq!(run(&ws).status.code(), Some(0));
    assert_eq!(payroll_bytes(&ws), base_payroll());
}

#[cfg(unix)]
#[test]
fn a_link_that_points_nowhere_stops_the_month_naming_the_link() {
    let ws = base_month(None);
    assert_eq!(run(&ws).status.code(), Some(0));
    let before = outputs(&ws);
    std::os::unix::fs::symlink("/nowhere/crm_outlet2.csv", ws.data().join(MONTH).join("crm_outlet2.csv")).unwrap();
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2026-10/crm_outlet2.csv: a symbolic link to /nowhere/crm_outlet2.csv"),
        "{}",
        stderr(&out)
    );
    assert_eq!(outputs(&ws), before);
}

#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_is_refused_without_waiting_on_it() {
    let ws = base_month(None);
    std::os::unix::fs::symlink("/dev/zero", ws.data().join(MONTH).join("crm_outlet2.csv")).unwrap();
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("crm_outlet2.csv: not a regular file"), "{}", stderr(&out));
}

#[test]
fn a_hidden_stale_first_sheet_is_never_read() {
    let base = base_payroll();
    for f in ["hostile/crm-hidden-first-sheet.xlsx", "hostile/crm-hidden-first-sheet.ods"] {
        let ws = base_month(Some(f));
        let out = run(&ws);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
        assert_eq!(payroll_bytes(&ws), base, "{f}: read from the visible sheet 明细");
    }
}

// ---- headers that match the wrong column ----

#[test]
fn a_bracketed_suffix_that_is_not_a_unit_is_part_of_the_name() {
    // 净佣金（上月） holds last month's figures; 净佣金(元) the real ones.
    let ws = base_month(Some("hostile/crm-bracket-suffix.xlsx"));
    assert_eq!(run(&ws).status.code(), Some(0), "{}", stderr(&run(&ws)));
    assert_eq!(payroll_bytes(&ws), base_payroll());
}

#[test]
fn two_columns_matching_one_field_stop_the_month_naming_both() {
    refused_and_nothing_changed(
        "hostile/crm-two-matching-columns.xlsx",
        &[
            "crm-two-matching-columns.xlsx",
            "two columns match net_commission",
            "column J “净佣金”",
            "column L “净佣金（元）”",
        ],
    );
}

#[test]
fn the_variant_other_revenue_header_is_read() {
    let ws = base_month(Some("hostile/crm-qita-variant.xlsx"));
    assert_eq!(run(&ws).status.code(), Some(0));
    assert_eq!(payroll_bytes(&ws), base_payroll());
}

#[test]
fn a_missing_optional_column_is_named_never_a_silent_zero() {
    let ws = base_month(None);
    let text = std::fs::read_to_string(ws.data().join(MONTH).join("crm.csv")).unwrap();
    // A misspelt header: 其他净收人 (人 for 入).
    ws.file(MONTH, "crm.csv", text.replace("其他净收入", "其他净收人"));
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(0), "information only: {}", stderr(&out));
    let issues = report_sheet(&ws, 3);
    let info: Vec<_> = issues.iter().filter(|r| r[7].contains("（other_revenue）")).collect();
    assert_eq!(info.len(), 1, "named once: {issues:?}");
    assert_eq!(info[0][0], "信息");
    assert_eq!(info[0][7], "没有“其他净收入”列（other_revenue）；按 0 计", "{:?}", info[0]);
    assert!(stderr(&out).contains("no column for other_revenue"), "and on stderr: {}", stderr(&out));
}

// ---- numbers that crash ----

#[test]
fn huge_amounts_are_row_exceptions_never_a_crash() {
    let ws = base_month(None);
    let text = std::fs::read_to_string(ws.data().join(MONTH).join("crm.csv")).unwrap();
    let text = text
        .replace(
            "C003,客户三,B01,开发,1,50000,50000,20000,4000000,3000,200",
            "C003,客户三,B01,开发,1,50000,50000,20000,4000000,5e28,200",
        )
        .replace(
            "C004,客户四,B02,开发,1,80000,80000,0,2000000,1000,0",
            "C004,客户四,B02,开发,1,80000,80000,0,2000000,1000,1e400",
        );
    ws.file(MONTH, "crm.csv", text);
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let issues = report_sheet(&ws, 3);
    for (line, raw) in [("8", "5e28"), ("9", "1e400")] {
        assert!(
            issues.iter().any(|r| r[4] == line && r[6] == raw && r[7].contains("超出范围")),
            "line {line}: {issues:?}"
        );
    }
    equations_foot(&ws);
}

#[test]
fn a_wan_yuan_column_that_goes_out_of_range_is_a_row_exception() {
    let ws = base_month(None);
    let text = std::fs::read_to_string(ws.data().join(MONTH).join("crm.csv")).unwrap();
    let text = text
        .replace("月末资产（元）", "月末资产（万元）")
        .replace("C005,客户五,A03,开发,1,30000,", "C005,客户五,A03,开发,1,1e25,");
    ws.file(MONTH, "crm.csv", text);
    let out = run(&ws);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let issues = report_sheet(&ws, 3);
    assert!(
        issues.iter().any(|r| r[4] == "10" && r[5] == "月末资产（万元）" && r[7].contains("超出范围")),
        "{issues:?}"
    );
}

/// The hostile workbooks: refused with a file-level error naming the file, earlier outputs
/// untouched — run with the whole process tree limited to 4 GiB of address space.
#[test]
fn hostile_workbooks_are_refused_within_bounded_memory() {
    for (f, want) in [
        ("hostile/crm-sst-billions.xlsx", "declares uniqueCount=4000000000"),
        ("hostile/crm-sst-giant-string.xlsx", "shared-strings table declares 1500001781 bytes"),
        ("hostile/crm-declared-huge.xlsx", "declares 4000000000 bytes uncompressed"),
        ("hostile/crm-ods-repeat-bomb.ods", "crm-ods-repeat-bomb.ods"),
        ("hostile/crm-xls-huge-dimensions.xls", "crm-xls-huge-dimensions.xls"),
    ] {
        let ws = base_month(None);
        assert_eq!(run(&ws).status.code(), Some(0));
        let before = outputs(&ws);
        std::fs::remove_file(ws.data().join(MONTH).join("crm.csv")).unwrap();
        let name = Path::new(f).file_name().unwrap();
        std::fs::copy(fixture(f), ws.data().join(MONTH).join(name)).unwrap();
        let script = format!(
            "ulimit -v 4194304; exec '{}' run --month {MONTH} --config '{}'",
            env!("CARGO_BIN_EXE_brokercomp"),
            ws.config().display()
        );
        let out = std::process::Command::new("sh").arg("-c").arg(&script).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{f}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(&format!("2026-10/{}", name.to_string_lossy())) && err.contains(want), "{f}: {err}");
        assert_eq!(outputs(&ws), before, "{f}");
    }
}

// ---- smaller traps ----

#[test]
fn an_account_dated_outside_the_month_earns_nothing() {
    let ws = Workspace::new();
    standard_month(&ws, MONTH);
    ws.csv(
        MONTH,
        "accounts.csv",
        ACCOUNTS_HEADER,
        &["C005,客户五,2026-09-30,A股,A03,JT,20000", "C005,客户五,2026-10-08,创业板,A03,JT,20000"],
    );
    let out = ws.run(&["run", "--month", MONTH]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let book = ws.reports(MONTH).join(format!("薪酬月报表_{MONTH}.xlsx"));
    let issues: Vec<Vec<String>> = sheet(&book, 3).iter().map(|r| r.iter().map(text).collect()).collect();
    assert!(
        issues.iter().any(|r| r[0] == "异常" && r[4] == "2" && r[5] == "开户日期" && r[7].contains("不在2026年10月")),
        "{issues:?}"
    );
    let rows = payroll(&ws.reports(MONTH).join(format!("payroll_{MONTH}.csv")));
    let a03 = rows.iter().find(|r| r[0] == "A03").unwrap();
    assert_eq!((a03[11].as_str(), a03[17].as_str()), ("1", "30.00"), "only the 创业板 account counts");
}

#[test]
fn a_client_id_that_lost_its_leading_zeros_is_named_with_both_ids() {
    let ws = Workspace::new();
    standard_month(&ws, MONTH);
    let crm = std::fs::read_to_string(ws.data().join(MONTH).join("crm.csv")).unwrap();
    ws.file(MONTH, "crm.csv", crm.replace("C005,客户五", "000123,客户五"));
    ws.csv(MONTH, "accounts.csv", ACCOUNTS_HEADER, &["123,客户五,2026-10-08,A股,A03,JT,20000"]);
    let out = ws.run(&["run", "--month", MONTH]);
    assert_eq!(out.status.code(), Some(0), "information only: {}", stderr(&out));
    let book = ws.reports(MONTH).join(format!("薪酬月报表_{MONTH}.xlsx"));
    let issues: Vec<Vec<String>> = sheet(&book, 3).iter().map(|r| r.iter().map(text).collect()).collect();
    assert!(
        issues.iter().any(|r| r[0] == "信息" && r[7].contains("客户 123") && r[7].contains("客户 000123")),
        "{issues:?}"
    );
}

#[test]
fn names_a_spreadsheet_would_run_as_formulas_get_a_quote_in_the_payroll() {
    let ws = Workspace::new();
    standard_month(&ws, MONTH);
    let roster = std::fs::read_to_string(ws.data().join(MONTH).join("roster.csv")).unwrap();
    ws.file(
        MONTH,
        "roster.csv",
        roster.replace("A02,甲二,", "A02,=HYPERLINK(\"x\"),").replace("B01,乙一,乙队,一组", "B01,@乙一,乙队,-组"),
    );
    assert_eq!(ws.run(&["run", "--month", MONTH]).status.code(), Some(0));
    let rows = payroll(&ws.reports(MONTH).join(format!("payroll_{MONTH}.csv")));
    let a02 = rows.iter().find(|r| r[0] == "A02").unwrap();
    assert_eq!(a02[1], "'=HYPERLINK(\"x\")");
    let b01 = rows.iter().find(|r| r[0] == "B01").unwrap();
    assert_eq!((b01[1].as_str(), b01[3].as_str()), ("'@乙一", "'-组"));
}

// ---- the reconciliation, checked independently ----

#[test]
fn the_crm_file_totals_equal_the_raw_cells_summed_here() {
    let text = std::fs::read_to_string(fixture("formats/csv-utf8-bom/2026-10/crm.csv")).unwrap();
    let ws = base_month(None);
    assert_eq!(run(&ws).status.code(), Some(0));
    let eqs = equations_foot(&ws);
    let totals = file_totals_from_raw_csv(&text);
    for (k, t) in totals.iter().enumerate() {
        let want = format!("文件合计 {} ", t.normalize());
        assert!(eqs.iter().any(|e| e.starts_with(&want)), "field {k}: no equation starts {want:?}: {eqs:?}");
    }
    // And they are what a person adds up: 20000 + 45000 + 3000 + 1000 + 0 net commission.
    assert_eq!(totals[0], d("69000"));
}

/// Regression: a shared-strings table whose `count` (cells using the strings) is far above its
/// size is an ordinary workbook — only `uniqueCount` bounds the entries. The shipped benchmark's
/// roster was refused as hostile by a check that read `count`.
#[test]
fn a_workbook_whose_strings_repeat_many_times_is_read() {
    let ws = Workspace::new();
    standard_month(&ws, MONTH);
    std::fs::remove_file(ws.data().join(MONTH).join("crm.csv")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in CRM_HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for r in 1..=3000u32 {
        let client = format!("X{r}");
        let values = [client.as_str(), "同名客户", "A01", "开发", "100%", "1", "1", "0", "0", "1", "0"];
        for (c, v) in values.iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
    wb.save(ws.data().join(MONTH).join("crm.xlsx")).unwrap();
    let out = ws.run(&["run", "--month", MONTH]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = payroll(&ws.reports(MONTH).join(format!("payroll_{MONTH}.csv")));
    let a01 = rows.iter().find(|r| r[0] == "A01").unwrap();
    assert_eq!(a01[6], "3000.00", "3,000 rows of 1 yuan net commission");
}
