//! What finance hands to signers, managers and auditors (issue "Finance-ready"): every word of
//! a zh-CN workbook and of `explain` in Chinese, the pay statements, the detail's grand total,
//! leavers counted once, natural order.

mod common;
use common::*;

use std::io::Read;

/// A CJK ideograph.
fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// English words of four letters or more, file names (`adjustments.csv`) left out.
fn english_words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .filter(|w| !w.contains(".csv") && !w.contains(".xlsx") && !w.contains(".toml"))
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphabetic()).map(str::to_string).collect::<Vec<_>>())
        .filter(|w| w.len() >= 4 && !["TRUE", "FALSE"].contains(&w.as_str()))
        .collect()
}

/// Text a Chinese reader reads: it has Chinese words, or is only figures.
fn assert_chinese(what: &str, s: &str) {
    let figures_only = s.chars().all(|c| c.is_ascii_digit() || ",.-+% =×÷()".contains(c));
    assert!(has_chinese(s) || figures_only || s.is_empty(), "{what}: no Chinese in {s:?}");
    assert!(english_words(s).is_empty(), "{what}: English words {:?} in {s:?}", english_words(s));
}

/// A quarter (2026-07..09) of the standard month, with a few exceptions in September.
fn quarter() -> Workspace {
    let ws = Workspace::new();
    for m in ["2026-07", "2026-08", "2026-09"] {
        standard_month(&ws, m);
    }
    let text = std::fs::read_to_string(ws.data().join("2026-09/crm.csv")).unwrap();
    let text = text + "C006,客户六,A01,开发,1,1000,1000,abc,0,0,0\nC001,客户一,A01,开发,70%,500000,480000,100000,40000000,20000,1000\n合计,,,,,,,,,,\n";
    ws.file("2026-09", "crm.csv", text);
    ws
}

#[test]
fn every_word_a_finance_reader_sees_is_chinese() {
    let ws = quarter();
    for m in ["2026-07", "2026-08", "2026-09"] {
        let out = ws.run(&["run", "--month", m]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    }
    let dir = ws.reports("2026-09");
    let report = dir.join("薪酬月报表_2026-09.xlsx");
    let names = sheet_names(&report);
    let trace = sheet(&report, names.iter().position(|n| n == "计算明细").unwrap());
    assert!(trace.len() > 20);
    for r in trace.iter().skip(1) {
        assert_chinese("计算明细 rule", &text(&r[2]));
        assert_chinese("计算明细 item", &text(&r[3]));
        assert_chinese("计算明细 working", &text(&r[4]));
    }
    let issues = sheet(&report, names.iter().position(|n| n == "数据异常").unwrap());
    assert!(issues.len() >= 4, "{issues:?}");
    for r in issues.iter().skip(1) {
        assert_chinese("数据异常 reason", &text(&r[7]));
        assert_chinese("数据异常 severity", &text(&r[0]));
    }
    let review = sheet(&dir.join("季度考核_2026Q3.xlsx"), 0);
    let rows: Vec<_> = review.iter().skip(4).filter(|r| r.len() > 13).collect();
    assert!(!rows.is_empty());
    for r in rows {
        assert_chinese("季度考核 level", &text(&r[4]));
        assert!(text(&r[4]).contains('（'), "a level by its label with its code: {:?}", r[4]);
        assert_chinese("季度考核 建议", &text(&r[12]));
        let why = text(&r[13]);
        assert!(!why.is_empty(), "every proposal has its reason: {r:?}");
        assert_chinese("季度考核 说明", &why);
    }
    let statements = sheet(&dir.join("薪酬明细单_2026-09.xlsx"), 0);
    for r in &statements {
        // The serial carries the organization's code.
        for c in r.iter().map(text).filter(|c| !c.starts_with("编号：")) {
            assert_chinese("薪酬明细单", &c);
        }
    }
    let out = ws.run(&["explain", "--month", "2026-09", "--manager", "A01"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let explain = String::from_utf8(out.stdout).unwrap();
    assert!(explain.contains("本人以下数据行未计入薪酬"), "A01's own rejected rows: {explain}");
    for line in explain.lines().filter(|l| !l.trim().is_empty()) {
        assert!(has_chinese(line), "explain: no Chinese in {line:?}");
        let words: Vec<String> =
            english_words(line).into_iter().filter(|w| w != "SHA" && !line.contains("SHA-256")).collect();
        assert!(words.is_empty(), "explain: English {words:?} in {line:?}");
    }
    assert!(explain.contains("1,000.00") || explain.contains(",000"), "thousands separators: {explain}");
    assert!(!explain.contains("0967741935"), "no unrounded figure: {explain}");
}

/// The payroll's rows by manager: header and fields.
fn payroll_rows(ws: &Workspace, month: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rows = payroll(&ws.reports(month).join(format!("payroll_{month}.csv")));
    let header = rows.remove(0);
    (header, rows)
}

#[test]
fn one_pay_statement_per_payroll_row_each_foots_to_the_payroll() {
    let ws = quarter();
    let out = ws.run(&["run", "--month", "2026-09"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let dir = ws.reports("2026-09");
    let (header, payroll) = payroll_rows(&ws, "2026-09");
    // The compensation report's header row names the payroll's columns in the same order, but
    // month-end assets (payroll column 10).
    let main = sheet(&dir.join("薪酬月报表_2026-09.xlsx"), 0);
    let mut labels: Vec<String> = main[2].iter().map(text).collect();
    labels.insert(10, "月末资产".into());
    assert_eq!(labels.len(), header.len());
    let book = dir.join("薪酬明细单_2026-09.xlsx");
    let rows = sheet(&book, 0);
    // Statements by manager: the rows from one title to the next.
    let starts: Vec<usize> =
        rows.iter().enumerate().filter(|(_, r)| text(&r[0]).ends_with("薪酬明细单")).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), payroll.len(), "one statement per payroll row");
    let mut serials = Vec::new();
    for (k, p) in payroll.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(rows.len());
        let page = &rows[starts[k]..end];
        let cells: Vec<String> = page.iter().flatten().map(text).collect();
        assert!(cells.iter().any(|c| c.contains(&format!("工号：{}", p[0]))), "in report order: {} {cells:?}", p[0]);
        serials.push(cells.iter().find(|c| c.starts_with("编号：")).cloned().unwrap());
        assert!(cells.iter().any(|c| c == "本人确认："), "a signature line");
        let amount_of = |label: &str| -> Vec<f64> {
            page.iter()
                .filter(|r| text(&r[0]) == label && r.len() > 2 && !text(&r[2]).is_empty())
                .map(|r| num(&r[2]))
                .collect()
        };
        let total: f64 = p.last().unwrap().parse().unwrap();
        assert_eq!(amount_of("应发合计"), vec![total], "{} total", p[0]);
        for (c, key) in header.iter().enumerate().take(header.len() - 1).skip(13) {
            let v: f64 = p[c].parse().unwrap();
            if v != 0.0 {
                let found = amount_of(&labels[c]);
                assert!(found.contains(&v), "{} {key} {v} on the statement: {found:?}", p[0]);
            }
        }
    }
    for (k, s) in serials.iter().enumerate() {
        assert!(s.ends_with(&format!("-202609-XC{:03}", k + 1)), "serials numbered in report order: {serials:?}");
    }
    // Each statement its own printed page: a manual page break before every one but the first.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains(&format!("<rowBreaks count=\"{}\"", payroll.len() - 1)), "page breaks");
    assert!(xml.contains("orientation=\"portrait\""));
}

#[test]
fn the_detail_grand_total_ties_to_the_report() {
    let ws = quarter();
    let out = ws.run(&["run", "--month", "2026-09"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let dir = ws.reports("2026-09");
    let detail = sheet(&dir.join("业务明细_2026-09.xlsx"), 0);
    let last = detail.last().unwrap();
    assert_eq!(text(&last[0]), "合计");
    let main = sheet(&dir.join("薪酬月报表_2026-09.xlsx"), 0);
    let grand = main.iter().find(|r| text(&r[0]) == "合计").expect("the report's grand total");
    let header: Vec<String> = main[2].iter().map(text).collect();
    for (detail_col, label) in [(13, "净佣金"), (14, "其他净收入"), (15, "资金净流入")] {
        let c = header.iter().position(|h| h == label).unwrap();
        assert_eq!(num(&last[detail_col]), num(&grand[c]), "{label}");
    }
    // And it is the sum of the managers' subtotals.
    let subtotal: f64 = detail.iter().filter(|r| text(&r[2]) == "小计").map(|r| num(&r[13])).sum();
    assert!((subtotal - num(&last[13])).abs() < 0.005);
}

#[test]
fn a_leaver_is_counted_once_across_three_months() {
    let ws = Workspace::new();
    for m in ["2026-08", "2026-09", "2026-10"] {
        standard_month(&ws, m);
    }
    // A02 leaves on 2026-09-20 and is gone from October's roster; B02 drops off October's
    // roster without a leave date.
    let roster_sep = std::fs::read_to_string(ws.data().join("2026-09/roster.csv")).unwrap().replace(
        "A02,甲二,甲队,一组,JT,L1,员工,2021-01-01,2021-04-01,,否",
        "A02,甲二,甲队,一组,JT,L1,员工,2021-01-01,2021-04-01,2026-09-20,否",
    );
    ws.file("2026-09", "roster.csv", roster_sep.clone());
    let roster_oct: String = roster_sep
        .lines()
        .filter(|l| !l.starts_with("A02") && !l.starts_with("B02"))
        .map(|l| format!("{l}\n"))
        .collect();
    ws.file("2026-10", "roster.csv", roster_oct);
    for m in ["2026-08", "2026-09", "2026-10"] {
        let out = ws.run(&["run", "--month", m]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{m}: {}", stderr(&out));
    }
    let left = |m: &str| -> Vec<String> {
        let book = ws.reports(m).join(format!("团队分析_{m}.xlsx"));
        let names = sheet_names(&book);
        let changes = sheet(&book, names.iter().position(|n| n == "人员变动").unwrap());
        changes.iter().skip(1).filter(|r| text(&r[0]) == "离职").map(|r| text(&r[1])).collect()
    };
    assert_eq!(left("2026-08"), Vec::<String>::new());
    assert_eq!(left("2026-09"), vec!["A02"], "in the month of the leave date");
    assert_eq!(left("2026-10"), vec!["B02"], "A02 not again; B02 in the first month missing");
}

#[test]
fn names_and_ids_in_natural_order() {
    let ws = Workspace::new();
    ws.csv(
        "2026-10",
        "roster.csv",
        ROSTER_HEADER,
        &[
            "10001,甲一,甲队,十组,JT,L1,员工,2020-01-01,2020-04-01,,否",
            "9001,甲二,甲队,十组,JT,L1,员工,2020-01-01,2020-04-01,,否",
            "9002,甲三,甲队,二组,JT,L1,员工,2020-01-01,2020-04-01,,否",
            "A10,甲四,甲队,二组,JT,L1,员工,2020-01-01,2020-04-01,,否",
            "A9,甲五,甲队,二组,JT,L1,员工,2020-01-01,2020-04-01,,否",
        ],
    );
    ws.csv("2026-10", "crm.csv", CRM_HEADER, &["C1,客户,9001,开发,1,50000,50000,0,0,100,0"]);
    ws.csv(
        "2026-10",
        "accounts.csv",
        ACCOUNTS_HEADER,
        &["C1,客户,2026-10-08,A股,10001,JT,50000", "C1,客户,2026-10-08,创业板,9001,JT,50000"],
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let (_, payroll) = payroll_rows(&ws, "2026-10");
    let ids: Vec<&str> = payroll.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["9002", "A9", "A10", "9001", "10001"], "二组 before 十组, 9001 before 10001, A9 before A10");
    // Slip serials in manager_id order: 9001 before 10001.
    let slips = sheet(&ws.reports("2026-10").join("营销客户确认单_2026-10.xlsx"), 0);
    let cells: Vec<String> = slips.iter().flatten().map(text).collect();
    let serial_of = |id: &str| {
        let at = cells.iter().position(|c| c.contains(&format!("（{id}）"))).unwrap();
        cells[..at].iter().rev().find(|c| c.starts_with("编号：")).unwrap().clone()
    };
    assert!(serial_of("9001").ends_with("-001"), "{cells:?}");
    assert!(serial_of("10001").ends_with("-002"));
}
