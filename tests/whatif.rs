//! `whatif` (SPEC §6): the current side is what `run` pays, a one-rate draft differs by what a
//! hand count gives, nothing outside `<reports>/whatif/` changes (closed months and the ledger's
//! cache included), and a bad draft gets the errors of a real standard.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// (month, manager, component) → (current, draft, difference) from the what-if CSV.
type Long = BTreeMap<(String, String, String), (Decimal, Decimal, Decimal)>;

fn long(path: &Path) -> Long {
    let rows = payroll(path);
    assert_eq!(rows[0].join(","), "month,manager_id,name,team,group,level,component,current,draft,difference");
    rows[1..].iter().map(|r| ((r[0].clone(), r[1].clone(), r[6].clone()), (d(&r[7]), d(&r[8]), d(&r[9])))).collect()
}

fn draft(ws: &Workspace, name: &str, text: &str) -> PathBuf {
    let p = ws.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn shipped_2026() -> String {
    std::fs::read_to_string(repo().join("config/standards/2026.toml")).unwrap()
}

#[test]
fn the_current_side_is_the_payroll_run_writes_to_the_fen() {
    let ws = Workspace::with_config_extra(NO_CHECKS);
    for m in ["2026-09", "2026-10"] {
        standard_month(&ws, m);
    }
    let out = ws.run(&["run", "--from", "2026-09", "--to", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let draft = repo().join("config/standards/2025.toml");
    let out = ws.run(&["whatif", "--standard", draft.to_str().unwrap(), "--from", "2026-09", "--to", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = long(&ws.dir.path().join("reports/whatif/whatif_2026-09_2026-10.csv"));
    let mut checked = 0;
    for m in ["2026-09", "2026-10"] {
        let rows = payroll(&ws.reports(m).join(format!("payroll_{m}.csv")));
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
        // The components a standard sets: the payroll's columns from base_salary to clawback.
        let components = &rows[0][col("base_salary")..=col("clawback")];
        assert_eq!(components.len(), 10);
        for r in &rows[1..] {
            for c in components.iter().map(String::as_str).chain(["total"]) {
                let paid = d(&r[col(c)]);
                let paid = if c == "total" { paid - d(&r[col("prior_period")]) } else { paid };
                let (current, _, _) = lines[&(m.to_string(), r[0].clone(), c.to_string())];
                assert_eq!(current, paid, "{m} {} {c}", r[0]);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * 5 * 11);
    assert_eq!(lines.len(), checked, "one row per month, manager and component");
    // The draft side differs somewhere (2025.toml has other tiers and an A股 bonus of 80).
    assert!(lines.values().any(|(c, dr, diff)| c != dr && *diff == dr - c));
    let book = ws.dir.path().join("reports/whatif/测算_2026-09_2026-10.xlsx");
    let first = sheet(&book, 0);
    let cells: String = first.iter().flatten().map(text).collect::<Vec<_>>().join("|");
    assert!(cells.contains("2025年客户经理薪酬标准") && cells.contains("SHA-256"), "{cells}");
}

#[test]
fn a_draft_that_changes_one_rate_differs_by_the_hand_count() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    // Other revenue at 15% instead of 10%. Credited other revenue (standard_month): A01 70% of
    // C001's 1,000 = 700; A02 30% of it = 300; B01 C003's 200; A03 and B02 none.
    // Difference = 5% of each: A01 +35.00, A02 +15.00, B01 +10.00; nothing else moves.
    let one_rate = shipped_2026().replace("[other_revenue]\nrate = \"0.10\"", "[other_revenue]\nrate = \"0.15\"");
    assert!(one_rate.contains("rate = \"0.15\""));
    let p = draft(&ws, "draft.toml", &one_rate);
    let out = ws.run(&["whatif", "--standard", p.to_str().unwrap(), "--month", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let lines = long(&ws.dir.path().join("reports/whatif/whatif_2026-10_2026-10.csv"));
    let want: BTreeMap<&str, Decimal> = [("A01", d("35.00")), ("A02", d("15.00")), ("B01", d("10.00"))].into();
    for ((_, id, c), (cur, dr, diff)) in &lines {
        assert_eq!(*diff, dr - cur);
        let expected = match c.as_str() {
            "other_revenue_pay" | "total" => want.get(id.as_str()).copied().unwrap_or_default(),
            _ => Decimal::ZERO,
        };
        assert_eq!(*diff, expected, "{id} {c}");
    }
    // The workbook's branch total says the same: +60.00.
    let book = ws.dir.path().join("reports/whatif/测算_2026-10_2026-10.xlsx");
    let by_team = sheet(&book, 1);
    let branch = by_team.iter().find(|r| r.first().map(text).as_deref() == Some("全营业部")).expect("branch row");
    assert_eq!(num(&branch[4]), 60.0);
}

/// Every file under `dir` but `skip`, with its SHA-256 and mode.
fn hashes(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, (String, u32)> {
    let mut out = BTreeMap::new();
    fn walk(d: &Path, skip: &Path, out: &mut BTreeMap<PathBuf, (String, u32)>) {
        for e in std::fs::read_dir(d).unwrap().map(Result::unwrap) {
            let p = e.path();
            if p == skip {
                continue;
            }
            let meta = std::fs::symlink_metadata(&p).unwrap();
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
            #[cfg(not(unix))]
            let mode = 0;
            if meta.is_dir() {
                out.insert(p.clone(), (String::new(), mode));
                walk(&p, skip, out);
            } else {
                let h = hex::encode(Sha256::digest(std::fs::read(&p).unwrap()));
                out.insert(p.clone(), (h, mode));
            }
        }
    }
    walk(dir, skip, &mut out);
    out
}

#[test]
fn nothing_outside_the_whatif_folder_changes_and_a_closed_month_comes_from_its_archive() {
    let ws = Workspace::new();
    for m in ["2026-09", "2026-10", "2026-11"] {
        standard_month(&ws, m);
    }
    let out = ws.run(&["run", "--from", "2026-09", "--to", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = ws.run(&["close", "--month", "2026-09", "--by", "测试"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let closed = payroll(&ws.reports("2026-09").join("payroll_2026-09.csv"));
    // A correction of the closed month's data folder: the archive, not this, is 2026-09's figure.
    let crm = ws.data().join("2026-09").join("crm.csv");
    let corrected = std::fs::read_to_string(&crm).unwrap().replace(
        "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000",
        "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,95000",
    );
    assert!(corrected.contains("10000000,95000"));
    std::fs::write(&crm, corrected).unwrap();

    // Without the ledger's cache, any cache write of whatif would show as a new file.
    std::fs::remove_dir_all(ws.dir.path().join("reports").join(".ledger")).unwrap();
    let whatif = ws.dir.path().join("reports").join("whatif");
    let before = hashes(ws.dir.path(), &whatif);
    let draft = repo().join("config/standards/2025.toml");
    let out = ws.run(&["whatif", "--standard", draft.to_str().unwrap(), "--from", "2026-09", "--to", "2026-11"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let after = hashes(ws.dir.path(), &whatif);
    assert_eq!(before, after, "whatif changed a file outside reports/whatif/");
    let mut written: Vec<String> =
        std::fs::read_dir(&whatif).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    written.sort();
    assert_eq!(written, ["whatif_2026-09_2026-11.csv", "测算_2026-09_2026-11.xlsx"]);

    let lines = long(&whatif.join("whatif_2026-09_2026-11.csv"));
    let col = |name: &str| closed[0].iter().position(|h| h == name).unwrap();
    for r in &closed[1..] {
        let (current, _, _) = lines[&("2026-09".to_string(), r[0].clone(), "net_commission_pay".to_string())];
        assert_eq!(current, d(&r[col("net_commission_pay")]), "{}: as closed, not as corrected", r[0]);
    }
}

#[test]
fn a_bad_draft_gets_the_errors_of_a_real_standard() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let bad = shipped_2026().replace("{ up_to = 100000, rate = \"0.30\" }", "{ up_to = 20000, rate = \"0.30\" }");
    let p = draft(&ws, "bad.toml", &bad);
    let out = ws.run(&["whatif", "--standard", p.to_str().unwrap(), "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(e.contains("bad.toml") && e.contains("schedules.employee.tiers[1]") && e.contains("20000"), "{e}");

    // A draft without the level L1 that the roster uses.
    let no_l1 = shipped_2026().replace("[levels.L1]", "[levels.X1]");
    let p = draft(&ws, "no_l1.toml", &no_l1);
    let out = ws.run(&["whatif", "--standard", p.to_str().unwrap(), "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(e.contains("no_l1.toml") && e.contains("\"L1\"") && e.contains("X1"), "{e}");
    assert!(!ws.dir.path().join("reports/whatif").join("whatif_2026-10_2026-10.csv").exists());
}

#[test]
fn the_drafts_clawback_applies_as_in_run() {
    let ws = Workspace::new();
    for m in ["2026-09", "2026-10", "2026-11"] {
        standard_month(&ws, m);
    }
    // C005 opens A股 and 创业板 with A03 in 2026-09 (bonuses 100 + 30; in later months it is a
    // returning client) and has no CRM row in 2026-11: lost, two months after payment.
    let crm = ws.data().join("2026-11").join("crm.csv");
    let kept: Vec<String> =
        std::fs::read_to_string(&crm).unwrap().lines().filter(|l| !l.starts_with("C005,")).map(String::from).collect();
    std::fs::write(&crm, kept.join("\n") + "\n").unwrap();
    let with = shipped_2026() + "\n[clawback]\nmonths = 2\nmin_month_end_assets = 1000\n";
    let p = draft(&ws, "with_clawback.toml", &with);
    let out = ws.run(&["whatif", "--standard", p.to_str().unwrap(), "--from", "2026-09", "--to", "2026-11"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let lines = long(&ws.dir.path().join("reports/whatif/whatif_2026-09_2026-11.csv"));
    for ((m, id, c), (cur, dr, _)) in &lines {
        if c == "clawback" {
            let want = if m == "2026-11" && id == "A03" { d("-130.00") } else { Decimal::ZERO };
            assert_eq!((*cur, *dr), (Decimal::ZERO, want), "{m} {id}");
        }
    }
    // 2026-11 alone: its window (2026-09, 2026-10) is before the range, taken as paid.
    let out = ws.run(&["whatif", "--standard", p.to_str().unwrap(), "--month", "2026-11"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let lines = long(&ws.dir.path().join("reports/whatif/whatif_2026-11_2026-11.csv"));
    let (_, dr, diff) = lines[&("2026-11".to_string(), "A03".to_string(), "clawback".to_string())];
    assert_eq!((dr, diff), (d("-130.00"), d("-130.00")));
}
