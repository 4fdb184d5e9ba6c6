//! The month's workbooks as finance gets them: locale, text safety, serials, the lock.

mod common;
use common::*;

use std::ops::Range;

use calamine::{open_workbook_auto, Data, Reader};

#[test]
fn english_locale_gives_the_same_numbers_under_english_names() {
    let zh = Workspace::new();
    standard_month(&zh, "2026-10");
    assert_eq!(zh.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    let en = Workspace::with_config_extra("[report]\nlocale = \"en\"\nprepared_by = \"Payroll clerk\"\nsignoff = [\"Prepared\", \"Chief accountant\", \"Manager\"]\n");
    standard_month(&en, "2026-10");
    let out = en.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let zd = zh.reports("2026-10");
    let ed = en.reports("2026-10");
    for f in [
        "compensation_2026-10.xlsx",
        "business_detail_2026-10.xlsx",
        "client_confirmation_2026-10.xlsx",
        "payroll_2026-10.csv",
        "manifest.json",
    ] {
        assert!(ed.join(f).exists(), "{f}");
    }
    assert_eq!(
        std::fs::read(zd.join("payroll_2026-10.csv")).unwrap(),
        std::fs::read(ed.join("payroll_2026-10.csv")).unwrap()
    );
    let zbook = zd.join("薪酬月报表_2026-10.xlsx");
    let ebook = ed.join("compensation_2026-10.xlsx");
    assert_eq!(sheet_names(&ebook), ["Compensation", "Calculation", "Adjustments", "Exceptions", "Reconciliation"]);
    let (znames, enames) = (sheet_names(&zbook), sheet_names(&ebook));
    assert_eq!(znames.len(), enames.len());
    for i in 0..znames.len() {
        let (zs, es) = (sheet(&zbook, i), sheet(&ebook, i));
        same_size((&znames[i], &zs), (&enames[i], &es)).unwrap_or_else(|e| panic!("{e}"));
    }
    let (zs, es) = (sheet(&zbook, 0), sheet(&ebook, 0));
    assert_eq!(text(&es[2][0]), "ID");
    assert_eq!(text(&es[2][23]), "Total");
    // Every amount of the managers, the team subtotals and the grand total (G4:X11).
    same_cells((&znames[0], &zs), (&enames[0], &es), 3..11, 6..24).unwrap_or_else(|e| panic!("{e}"));
    let all: Vec<String> = es.iter().flatten().map(text).collect();
    assert!(all.iter().any(|t| t.starts_with("Chief accountant")), "{all:?}");
    assert!(all.iter().any(|t| t == "Grand total"));
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    ws.csv(
        "2026-10",
        "crm.csv",
        CRM_HEADER,
        &[
            "C001,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",A01,开发,1,500000,480000,100000,40000000,20000,1000",
            "C002,+1-2,A02,开发,1,200000,190000,-5000,10000000,45000,0",
            "C003,@SUM(A1),B01,开发,1,50000,50000,20000,4000000,3000,200",
        ],
    );
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    let book = ws.reports("2026-10").join("业务明细_2026-10.xlsx");
    let rows = sheet(&book, 0);
    let names: Vec<String> = rows.iter().skip(2).map(|r| text(&r[4])).collect();
    for want in ["=HYPERLINK(\"http://x\",\"y\")", "+1-2", "@SUM(A1)"] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    let mut wb = open_workbook_auto(&book).unwrap();
    let name = wb.sheet_names()[0].clone();
    let formulas = wb.worksheet_formula(&name).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula cell in the detail");
}

#[test]
fn detail_lists_every_credited_row_with_subtotals_that_match_the_report() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    let rows = sheet(&ws.reports("2026-10").join("业务明细_2026-10.xlsx"), 0);
    let body: Vec<&Vec<calamine::Data>> = rows.iter().skip(2).filter(|r| !r.is_empty()).collect();
    let data: Vec<_> = body.iter().filter(|r| text(&r[2]) != "小计" && text(&r[0]) != "合计").collect();
    let subs: Vec<_> = body.iter().filter(|r| text(&r[2]) == "小计").collect();
    assert_eq!(data.len(), 6, "every accepted crm row");
    assert_eq!(subs.len(), 5, "one subtotal per manager with rows");
    let payroll = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    for s in subs {
        let id = text(&s[0]);
        let credited: f64 = data.iter().filter(|r| text(&r[0]) == id).map(|r| num(&r[13])).sum();
        assert_eq!((num(&s[13]) * 100.0).round(), (credited * 100.0).round(), "{id}");
        let p = payroll.iter().find(|r| r[0] == id).unwrap();
        assert_eq!(format!("{:.2}", num(&s[13])), p[6], "{id}: detail subtotal = payroll net_commission");
    }
}

#[test]
fn slip_serials_are_sequential_by_manager_id_and_stable() {
    let serials = |accounts: &[&str]| {
        let ws = Workspace::new();
        standard_month(&ws, "2026-10");
        ws.csv("2026-10", "accounts.csv", ACCOUNTS_HEADER, accounts);
        assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
        let rows = sheet(&ws.reports("2026-10").join("营销客户确认单_2026-10.xlsx"), 0);
        let cells: Vec<String> = rows.iter().flatten().map(text).collect();
        let s: Vec<String> = cells.iter().filter(|t| t.starts_with("编号：")).cloned().collect();
        let m: Vec<String> = cells.iter().filter(|t| t.starts_with("客户经理：")).cloned().collect();
        s.into_iter().zip(m).collect::<Vec<_>>()
    };
    let a = [
        "C005,客户五,2026-10-08,A股,A03,JT,20000",
        "C004,客户四,2026-10-09,A股,B02,ZS,5000",
        "C009,客户九,2026-10-10,A股,B01,ZS,50000",
        "C001,客户一,2026-10-10,基金,A01,JT,50000",
    ];
    let mut b = a;
    b.reverse();
    let first = serials(&a);
    assert_eq!(first, serials(&b), "the same inputs in another order give the same serials");
    let want = [
        ("编号：TEST-202610-001", "A01"),
        ("编号：TEST-202610-002", "A03"),
        ("编号：TEST-202610-003", "B01"),
        ("编号：TEST-202610-004", "B02"),
    ];
    assert_eq!(first.len(), 4);
    for ((s, m), (ws, wm)) in first.iter().zip(want) {
        assert_eq!(s, ws);
        assert!(m.contains(wm), "{m} is {wm}");
    }
}

#[test]
fn a_second_run_of_the_month_waits_for_the_first() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let dir = ws.reports("2026-10");
    std::fs::create_dir_all(&dir).unwrap();
    // In the month's folder on Unix, beside it on Windows.
    let lock = std::fs::File::create(brokercomp::report::publish::lock_path(&dir)).unwrap();
    lock.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["run", "--month", "2026-10", "--config", ws.config().to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the run waits while the month is locked");
    assert!(!dir.join("payroll_2026-10.csv").exists(), "nothing written while locked");
    lock.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another run of this month is writing"));
    assert!(dir.join("payroll_2026-10.csv").exists());
}

#[test]
fn print_setup_of_the_compensation_report() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    assert_eq!(ws.run(&["run", "--month", "2026-10"]).status.code(), Some(0));
    // The worksheet XML carries A4 landscape, fit to one page wide, repeated header rows and
    // the page X of Y footer.
    let f = std::fs::File::open(ws.reports("2026-10").join("薪酬月报表_2026-10.xlsx")).unwrap();
    let mut zip = zip_entries(f);
    let sheet1 = zip.remove("xl/worksheets/sheet1.xml").expect("sheet1");
    assert!(sheet1.contains("paperSize=\"9\""), "A4");
    assert!(sheet1.contains("orientation=\"landscape\""));
    assert!(sheet1.contains("fitToWidth=\"1\"") || sheet1.contains("fitToPage=\"1\""), "one page wide");
    assert!(sheet1.contains("fitToHeight=\"0\""));
    assert!(sheet1.contains("第 &amp;P 页 / 共 &amp;N 页"), "footer");
    assert!(sheet1.contains("<pane"), "frozen panes");
    let workbook = zip.remove("xl/workbook.xml").unwrap();
    assert!(workbook.contains("_xlnm.Print_Titles"), "repeated header rows");
}

fn zip_entries(f: std::fs::File) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let mut s = String::new();
        if e.read_to_string(&mut s).is_ok() {
            out.insert(e.name().unwrap().to_string(), s);
        }
    }
    out
}

/// A sheet as `common::sheet` reads it back, with the name it has in its workbook.
type Named<'a> = (&'a str, &'a [Vec<Data>]);

/// Excel's name of a cell, from 0-based row and column: (3, 6) is "G4".
fn cell_name(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap(), row + 1)
}

/// Both sheets have the same number of rows, and each row the same number of cells.
fn same_size((an, a): Named<'_>, (bn, b): Named<'_>) -> Result<(), String> {
    if a.len() != b.len() {
        return Err(format!("sheet {an} has {} rows, sheet {bn} has {}", a.len(), b.len()));
    }
    for (r, (x, y)) in a.iter().zip(b).enumerate() {
        if x.len() != y.len() {
            return Err(format!("row {}: sheet {an} has {} cells, sheet {bn} has {}", r + 1, x.len(), y.len()));
        }
    }
    Ok(())
}

/// The cells `rows` × `cols` (0-based) of two sheets are equal. A cell missing on either side is
/// a mismatch too, named by sheet and cell: a truncated sheet fails instead of passing.
fn same_cells((an, a): Named<'_>, (bn, b): Named<'_>, rows: Range<usize>, cols: Range<usize>) -> Result<(), String> {
    for r in rows {
        for c in cols.clone() {
            let at = cell_name(r, c);
            match (a.get(r).and_then(|x| x.get(c)), b.get(r).and_then(|x| x.get(c))) {
                (Some(x), Some(y)) if x == y => {}
                (Some(x), Some(y)) => return Err(format!("{an}!{at} is {x:?}, {bn}!{at} is {y:?}")),
                (None, _) => return Err(format!("{an}!{at} is missing (the sheet has {} rows)", a.len())),
                (_, None) => return Err(format!("{bn}!{at} is missing (the sheet has {} rows)", b.len())),
            }
        }
    }
    Ok(())
}

#[test]
fn sheet_comparison_fails_on_a_missing_cell_or_a_different_size() {
    assert_eq!(cell_name(0, 0), "A1");
    assert_eq!(cell_name(3, 6), "G4");
    assert_eq!(cell_name(10, 23), "X11");
    assert_eq!(cell_name(0, 25), "Z1");
    assert_eq!(cell_name(0, 26), "AA1");
    assert_eq!(cell_name(1, 701), "ZZ2");
    assert_eq!(cell_name(1, 702), "AAA2");
    let n = |v: f64| Data::Float(v);
    let full = vec![vec![n(1.0), n(2.0)], vec![n(3.0), n(4.0)]];
    assert_eq!(same_cells(("a", &full), ("b", &full), 0..2, 0..2), Ok(()));
    assert_eq!(same_size(("a", &full), ("b", &full)), Ok(()));
    // The second row cut off: missing, not skipped.
    let truncated = vec![vec![n(1.0), n(2.0)]];
    assert_eq!(
        same_cells(("a", &full), ("b", &truncated), 0..2, 0..2),
        Err("b!A2 is missing (the sheet has 1 rows)".to_string())
    );
    assert_eq!(
        same_cells(("a", &truncated), ("b", &full), 0..2, 0..2),
        Err("a!A2 is missing (the sheet has 1 rows)".to_string())
    );
    assert_eq!(same_size(("a", &full), ("b", &truncated)), Err("sheet a has 2 rows, sheet b has 1".to_string()));
    // A row one cell short.
    let short = vec![vec![n(1.0), n(2.0)], vec![n(3.0)]];
    assert_eq!(
        same_cells(("a", &full), ("b", &short), 0..2, 0..2),
        Err("b!B2 is missing (the sheet has 2 rows)".to_string())
    );
    assert_eq!(same_size(("a", &full), ("b", &short)), Err("row 2: sheet a has 2 cells, sheet b has 1".to_string()));
    // A different value, and a blank where a number was.
    let other = vec![vec![n(1.0), n(2.0)], vec![n(3.0), n(4.5)]];
    assert_eq!(
        same_cells(("a", &full), ("b", &other), 0..2, 0..2),
        Err("a!B2 is Float(4.0), b!B2 is Float(4.5)".to_string())
    );
    let blank = vec![vec![n(1.0), Data::Empty], vec![n(3.0), n(4.0)]];
    assert!(same_cells(("a", &full), ("b", &blank), 0..2, 0..2).unwrap_err().starts_with("a!B1 is Float(2.0)"));
    // Outside the compared block, sizes still count.
    assert_eq!(same_cells(("a", &full), ("b", &truncated), 0..1, 0..2), Ok(()));
    assert!(same_size(("a", &full), ("b", &truncated)).is_err());
}
