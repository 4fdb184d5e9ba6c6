//! Property tests on generated months and on the parsers.
//!
//! * Every payroll row's total is the sum of its components; the grand total is the sum of the
//!   rows and of the team subtotals; every reconciliation equation holds — on months with random
//!   shares, duplicates, unparseable cells, unknown managers and disagreeing client rows.
//! * The value parsers and the file readers never panic, whatever they are given.

mod common;
use common::*;

use brokercomp::calendar::YearMonth;
use brokercomp::compute::compute_month;
use brokercomp::config::{Config, StandardSet};
use brokercomp::ingest::ingest_month;
use brokercomp::model::{Column, Component, Kind};
use brokercomp::report::{labels, recon, row};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
struct GenRow {
    client: u8,
    manager: u8,
    share: u8,
    nc: i32,
    or: i16,
    ni: i32,
    assets: u32,
    bad: u8,
}

fn gen_row() -> impl Strategy<Value = GenRow> {
    (0u8..25, 0u8..9, 0u8..=110, -2000i32..200_000, -50i16..3000, -500_000i32..900_000, 0u32..2_000_000, 0u8..40)
        .prop_map(|(client, manager, share, nc, or, ni, assets, bad)| GenRow {
            client,
            manager,
            share,
            nc,
            or,
            ni,
            assets,
            bad,
        })
}

/// Managers M0..M7 are on the roster (two teams, groups, a leader, a probationer, a part-timer);
/// M8 is not.
fn roster_lines() -> Vec<String> {
    vec![
        "M0,零,甲队,一组,,L2,员工,2020-01-01,2020-04-01,,是".into(),
        "M1,一,甲队,一组,,L1,员工,2021-01-01,2021-04-01,,否".into(),
        "M2,二,甲队,二组,,L3,员工,2019-01-01,2019-04-01,,是".into(),
        "M3,三,甲队,,,T,员工,2026-10-31,,,否".into(),
        "M4,四,乙队,一组,,L1,员工,2022-01-01,2022-04-01,2026-10-01,否".into(),
        "M5,五,乙队,一组,,P,兼职,2023-01-01,,,否".into(),
        "M6,六,丙队,,,L1,员工,2021-06-01,2026-10-11,,否".into(),
        "M7,七,丙队,一组,,L2,员工,2021-06-01,2021-09-01,,是".into(),
    ]
}

fn crm_line(r: &GenRow) -> String {
    // The client-level values derive from the client, so that they agree across its rows,
    // unless `bad` plants a disagreement or another problem.
    let c = r.client as i64;
    let nc = if r.bad == 1 { r.nc as i64 + 1 } else { (c * 7919 % 90_000) + r.nc as i64 % 3 };
    let ni = (c * 104_729 % 1_400_000) - 500_000;
    let assets = c * 31_337 % 2_000_000;
    let or = c * 13 % 2_000;
    let share = format!("{}%", r.share);
    let nc_text = if r.bad == 2 { "n/a".to_string() } else { format!("{nc}.{:02}", r.or.unsigned_abs() % 100) };
    let manager = if r.bad == 3 { String::new() } else { format!("M{}", r.manager) };
    let share = if r.bad == 4 { "abc".to_string() } else { share };
    let _ = (r.ni, r.assets);
    format!("C{c:03},客户,{manager},开发,{share},{assets},{assets},{ni},0,{nc_text},{or}")
}

fn build(ws: &Workspace, rows: &[GenRow]) {
    let roster: Vec<String> = roster_lines();
    let roster: Vec<&str> = roster.iter().map(String::as_str).collect();
    ws.csv("2026-10", "roster.csv", ROSTER_HEADER, &roster);
    let crm: Vec<String> = rows.iter().map(crm_line).collect();
    let crm: Vec<&str> = crm.iter().map(String::as_str).collect();
    ws.csv("2026-10", "crm.csv", CRM_HEADER, &crm);
    let mut accounts = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.bad % 3 == 0) {
        let t = ["A股", "创业板", "基金", "机构", "港股通"][i % 5];
        accounts.push(format!("C{:03},客户,2026-10-05,{t},M{},网点,{}", r.client, r.manager, (r.assets % 30_000) + 1));
    }
    let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    ws.csv("2026-10", "accounts.csv", ACCOUNTS_HEADER, &accounts);
    ws.csv("2026-10", "adjustments.csv", ADJ_HEADER, &["M1,-33.335,考勤扣款,x", "M1,12.5,奖励,y", "M8,5,奖励,z"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_report_foots_and_every_equation_holds(rows in proptest::collection::vec(gen_row(), 0..60)) {
        let ws = Workspace::new();
        build(&ws, &rows);
        let cfg = Config::load(&ws.config()).unwrap();
        let standards = StandardSet::load(&cfg.standards_dir).unwrap();
        let month = YearMonth::parse("2026-10").unwrap();
        let standard = standards.for_month(month, &cfg.standards_dir).unwrap();
        let input = ingest_month(&cfg, &ws.data(), month, &Default::default()).unwrap();
        // What compute consumes, kept for the checks below.
        let crm_recon = input.crm_recon.clone();
        let rejected_rows = input.crm.iter().filter(|r| !r.accepted).count();
        let result = compute_month(&cfg, standard, input, &Default::default()).unwrap();
        let r = standard.rounding;

        // Each row: total = Σ components; each component already at the standard's scale.
        for m in &result.managers {
            prop_assert_eq!(m.total, m.components.total());
            for c in Component::ALL {
                let v = m.components.get(c);
                prop_assert_eq!(v, r.round(v));
            }
        }
        // Grand total = Σ rows = Σ team subtotals, column by column of the report.
        let (components, total) = result.totals();
        prop_assert_eq!(total, components.total());
        let columns = Column::report();
        let mut by_team: std::collections::BTreeMap<&str, Vec<Decimal>> = Default::default();
        let mut grand = vec![Decimal::ZERO; columns.len()];
        for m in &result.managers {
            let t = by_team.entry(m.person.team.as_str()).or_insert_with(|| vec![Decimal::ZERO; columns.len()]);
            for (k, col) in columns.iter().enumerate() {
                let v = row::value(m, *col, r, "", "").number();
                t[k] += v;
                grand[k] += v;
            }
        }
        for k in 0..columns.len() {
            let subs: Decimal = by_team.values().map(|t| t[k]).sum();
            prop_assert_eq!(subs, grand[k]);
        }
        prop_assert_eq!(grand[columns.len() - 1], total);
        // Every reconciliation equation holds exactly.
        for e in recon::equations(&result.reconciliation, &labels::labels(cfg.report.locale).recon) {
            prop_assert!(e.holds(), "{}: {}", e.item, e.equation);
        }
        // The crm file totals, computed here from the generated cells (not by the code that
        // computes the credited amounts): each client's value once, from its first row where
        // it parses.
        let lines: Vec<String> = rows.iter().map(crm_line).collect();
        let mut first: std::collections::BTreeMap<String, [Option<Decimal>; 3]> = Default::default();
        for l in &lines {
            let c: Vec<&str> = l.split(',').collect();
            let e = first.entry(c[0].to_string()).or_default();
            for (k, col) in [(0, 9), (1, 10), (2, 7)] {
                if e[k].is_none() {
                    e[k] = c[col].parse::<Decimal>().ok();
                }
            }
        }
        for (k, m) in crm_recon.iter().enumerate() {
            let want: Decimal = first.values().filter_map(|v| v[k]).sum();
            prop_assert_eq!(m.file_total, want, "file total {} from the raw cells", k);
        }
        // The credited net commission of the reconciliation is what compute credited.
        let credited: Decimal = result.managers.iter().map(|m| m.credited.net_commission).sum();
        prop_assert_eq!(crm_recon[0].credited, credited);
        // Rows read are the rows written (no blank or summary row is generated here).
        let crm_file = result.files.iter().find(|f| f.kind == Kind::Crm).unwrap();
        prop_assert_eq!(crm_file.counts.rows_read, lines.len() as u64);
        prop_assert_eq!(crm_file.accepted + crm_file.rejected, lines.len() as u64);
        // Nothing dropped silently: every crm row is accepted, or rejected with an exception.
        let crm_exceptions: std::collections::BTreeSet<u32> = result.issues.iter()
            .filter(|i| i.kind == Kind::Crm && i.is_exception())
            .map(|i| i.row).collect();
        prop_assert_eq!(rejected_rows, crm_exceptions.len());
    }

    #[test]
    fn value_parsers_never_panic(s in "\\PC{0,40}", f in proptest::num::f64::ANY, i in any::<i64>()) {
        use brokercomp::ingest::values::*;
        use calamine::Data;
        for d in [Data::String(s.clone()), Data::Float(f), Data::Int(i)] {
            let _ = money(&d, false);
            let _ = money(&d, true);
            let _ = ratio(&d);
            let _ = date(&d);
            let _ = text(&d);
            let _ = yes_no(&d);
            let _ = raw(&d);
        }
        let _ = parse_money_text(&s);
        let _ = parse_date_text(&s);
    }

    #[test]
    fn text_and_html_readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), s in "(<t[rdh]>|</t[rdh]>|&[a-z#0-9]{0,5};?|[^<&]{0,8}|\\PC{0,3})*") {
        use brokercomp::ingest::text::{html_rows, read_text};
        let _ = read_text(&bytes, "fuzz", &mut |_| true);
        let _ = html_rows(&s);
        let mut table = String::from("<table>");
        table.push_str(&s);
        let _ = read_text(table.as_bytes(), "fuzz", &mut |_| true);
    }

    #[test]
    fn workbook_readers_never_panic(body in proptest::collection::vec(any::<u8>(), 0..600), kind in 0u8..2) {
        use brokercomp::ingest::source::read_rows;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        let mut bytes = if kind == 0 { b"PK\x03\x04".to_vec() } else { vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] };
        bytes.extend_from_slice(&body);
        std::fs::write(&path, &bytes).unwrap();
        let mut last = 0u32;
        let r = read_rows(&path, "x.xlsx", None, &mut |row| {
            assert!(row.number > last, "rows come in order");
            last = row.number;
            true
        });
        if let Err(e) = r {
            prop_assert_eq!(e.file.as_str(), "x.xlsx", "a file-level error names the file");
            prop_assert!(!e.message.is_empty());
        }
    }
}

/// Mutations of a real workbook (bytes flipped inside the zip) never panic and never hang.
#[test]
fn mutated_workbooks_give_a_result_or_an_error() {
    use brokercomp::ingest::source::read_rows;
    let original = std::fs::read(repo().join("tests/fixtures/formats/libreoffice-xlsx/2026-10/crm.xlsx")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.xlsx");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..300 {
        let mut b = original.clone();
        for _ in 0..4 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % b.len();
            b[at] = (state >> 32) as u8;
        }
        std::fs::write(&path, &b).unwrap();
        if let Err(e) = read_rows(&path, "crm.xlsx", None, &mut |_| true) {
            // The reader turns a panic inside calamine into this message; none may occur here.
            assert!(!e.message.contains("reader failed"), "{e}");
        }
    }
}
