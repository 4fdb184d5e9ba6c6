//! Closed months (SPEC §4.10): what was paid stays paid, and corrections flow into the next open
//! month. The whole story on months built here: run and close two months; a closed month is
//! refused and left byte- and mode-identical; a corrected closed month's difference per manager
//! is carried into the next open month — worked out here from payrolls of the corrected month run
//! on its own, independently of the ledger; a second correction carries only the new difference;
//! `verify` proves every closed month and catches one changed byte; `reopen` only for the latest.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

/// Every file under `dir` with its bytes and mode.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    fn walk(d: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, u32)>) {
        for e in std::fs::read_dir(d).unwrap().map(Result::unwrap) {
            let p = e.path();
            let meta = std::fs::metadata(&p).unwrap();
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
            #[cfg(not(unix))]
            let mode = 0;
            if meta.is_dir() {
                out.insert(p.clone(), (Vec::new(), mode));
                walk(&p, out);
            } else {
                out.insert(p.clone(), (std::fs::read(&p).unwrap(), mode));
            }
        }
    }
    walk(dir, &mut out);
    out
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// manager_id → (total, prior_period) from a payroll CSV.
fn totals(path: &Path) -> BTreeMap<String, (Decimal, Decimal)> {
    let rows = payroll(path);
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (t, p) = (col("total"), col("prior_period"));
    rows[1..].iter().map(|r| (r[0].clone(), (d(&r[t]), d(&r[p])))).collect()
}

/// The totals (without prior_period) of `month` computed from `data`'s folder of that month
/// alone, in a workspace of its own: what the month gives on these files, independently of the
/// ledger that carried the correction.
fn alone(month: &str, folder: &Path) -> BTreeMap<String, Decimal> {
    let ws = Workspace::new();
    for e in std::fs::read_dir(folder).unwrap().map(Result::unwrap) {
        ws.file(month, &e.file_name().to_string_lossy(), std::fs::read(e.path()).unwrap());
    }
    let out = ws.run(&["run", "--month", month]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    totals(&ws.reports(month).join(format!("payroll_{month}.csv"))).into_iter().map(|(k, (t, p))| (k, t - p)).collect()
}

/// Replace a line of a month's crm.csv.
fn correct(ws: &Workspace, month: &str, from: &str, to: &str) {
    let p = ws.data().join(month).join("crm.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(&p, text.replace(from, to)).unwrap();
}

/// The months: 2026-09 to 2026-12, B02 (a part-timer) gone from 2026-11 on.
fn months(ws: &Workspace) {
    for m in ["2026-09", "2026-10", "2026-11", "2026-12"] {
        standard_month(ws, m);
    }
    for m in ["2026-11", "2026-12"] {
        let p = ws.data().join(m).join("roster.csv");
        let text = std::fs::read_to_string(&p).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("B02,")).collect();
        std::fs::write(&p, kept.join("\n") + "\n").unwrap();
        let p = ws.data().join(m).join("crm.csv");
        let text = std::fs::read_to_string(&p).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.contains(",B02,")).collect();
        std::fs::write(&p, kept.join("\n") + "\n").unwrap();
    }
    // Each month's accounts are new clients of their own (no returning clients).
    for m in ["2026-09", "2026-10", "2026-11", "2026-12"] {
        let tag = &m[5..];
        ws.csv(m, "accounts.csv", ACCOUNTS_HEADER, &[&format!("N{tag},新客户,{m}-08,A股,A03,JT,20000")]);
    }
}

fn ok(o: &std::process::Output) {
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(o));
}

#[test]
fn the_story_of_closed_months_and_corrections() {
    let ws = Workspace::with_config_extra(NO_CHECKS);
    months(&ws);
    ok(&ws.run(&["run", "--month", "2026-09"]));
    ok(&ws.run(&["run", "--month", "2026-10"]));
    let closed_09 = totals(&ws.reports("2026-09").join("payroll_2026-09.csv"));
    for m in ["2026-09", "2026-10"] {
        let o = ws.run(&["close", "--month", m, "--by", "主办会计"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(ws.reports(m).join("close.json").exists());
        assert!(ws.reports(m).join("archive/data").join(m).join("crm.csv").exists());
    }
    let log = std::fs::read_to_string(ws.dir.path().join("reports/close-log.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 2);

    // A closed month is refused and left as it was, byte for byte and mode for mode.
    let before = snapshot(&ws.reports("2026-10"));
    let o = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("2026-10 is closed on") && stderr(&o).contains("corrections go into the next open month")
    );
    assert_eq!(snapshot(&ws.reports("2026-10")), before, "every file untouched");
    #[cfg(unix)]
    {
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(ws.reports("2026-10").join("payroll_2026-10.csv")).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o400, "a closed month's files are read-only");
    }

    // First correction of September: A02's client C002 falls from 45,000 to 20,000 of net
    // commission (crossing down from the 30% tier; A01's leader override falls with it), and
    // B02, gone by November, is owed more (1,000 → 3,000).
    correct(
        &ws,
        "2026-09",
        "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000,0",
        "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,20000,0",
    );
    correct(
        &ws,
        "2026-09",
        "C004,客户四,B02,开发,1,80000,80000,0,2000000,1000,0",
        "C004,客户四,B02,开发,1,80000,80000,0,2000000,3000,0",
    );
    let corrected_1 = alone("2026-09", &ws.data().join("2026-09"));
    let o = ws.run(&["run", "--month", "2026-11"]);
    ok(&o);
    assert!(
        stderr(&o).contains("warning: 2026-09 was closed and its inputs have changed since (crm.csv (changed))"),
        "{}",
        stderr(&o)
    );
    let nov = totals(&ws.reports("2026-11").join("payroll_2026-11.csv"));
    let mut moved = 0;
    for (id, (closed, closed_prior)) in &closed_09 {
        let want = corrected_1.get(id).copied().unwrap_or_default() - (*closed - *closed_prior);
        let got = nov.get(id).map(|(_, p)| *p).unwrap_or_default();
        assert_eq!(got, want, "prior_period of {id} in 2026-11");
        moved += usize::from(!want.is_zero());
    }
    assert_eq!(moved, 3, "A02's tier, A01's override, B02's commission");
    assert_eq!(nov["A02"].1, d("-7100.00"), "12,300 → 5,200");
    assert_eq!(nov["A01"].1, d("-355.00"), "5% of 12,300 → 5% of 5,200");
    assert_eq!(nov["B02"], (d("800.00"), d("800.00")), "not active: a row with only the prior-period adjustment");
    // The report lists it, and still foots.
    let book = ws.reports("2026-11").join("薪酬月报表_2026-11.xlsx");
    assert!(sheet_names(&book).contains(&"以前月份调整".to_string()));
    let payroll_total: Decimal = nov.values().map(|(t, _)| *t).sum();
    let main = sheet(&book, 0);
    let grand = main.iter().find(|r| !r.is_empty() && text(&r[0]) == "合计").unwrap();
    assert_eq!(Decimal::try_from(num(grand.last().unwrap())).unwrap().round_dp(2), payroll_total);

    // Close November; correct September again: only the new difference is carried into December.
    assert_eq!(ws.run(&["close", "--month", "2026-11"]).status.code(), Some(0));
    correct(
        &ws,
        "2026-09",
        "C003,客户三,B01,开发,1,50000,50000,20000,4000000,3000,200",
        "C003,客户三,B01,开发,1,50000,50000,20000,4000000,40000,200",
    );
    let corrected_2 = alone("2026-09", &ws.data().join("2026-09"));
    ok(&ws.run(&["run", "--month", "2026-12"]));
    let dec = totals(&ws.reports("2026-12").join("payroll_2026-12.csv"));
    for id in closed_09.keys() {
        let want = corrected_2.get(id).copied().unwrap_or_default() - corrected_1.get(id).copied().unwrap_or_default();
        assert_eq!(dec.get(id).map(|(_, p)| *p).unwrap_or_default(), want, "prior_period of {id} in 2026-12");
    }
    // B01: 3,000 → 40,000 of net commission: 30,000 × 20% + 10,000 × 30% − 600 = 8,400, and
    // net revenue now meets the minimum, so the −700 penalty goes: 9,100.
    assert_eq!(dec["B01"].1, d("9100.00"));
    assert!(!dec.contains_key("B02"), "B02 was paid in November; nothing new for B02");

    // verify: every closed month regenerates byte for byte from its archive …
    for m in ["2026-09", "2026-10", "2026-11"] {
        let o = ws.run(&["verify", "--month", m]);
        assert_eq!(o.status.code(), Some(0), "{m}: {}", stderr(&o));
    }
    // … and one changed byte of an archived output is found and named.
    let victim = ws.reports("2026-10").join("payroll_2026-10.csv");
    #[cfg(unix)]
    std::fs::set_permissions(&victim, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let mut bytes = std::fs::read(&victim).unwrap();
    let at = bytes.len() - 3;
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&victim, bytes).unwrap();
    let o = ws.run(&["verify", "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("payroll_2026-10.csv"), "{}", stderr(&o));

    // reopen: refused for all but the latest closed month.
    for m in ["2026-09", "2026-10"] {
        let o = ws.run(&["reopen", "--month", m, "--reason", "一笔更正"]);
        assert_eq!(o.status.code(), Some(2), "{m}: {}", stderr(&o));
        assert!(stderr(&o).contains("2026-11 is closed after it"), "{}", stderr(&o));
    }
    let o = ws.run(&["reopen", "--month", "2026-11", "--reason", "补发工资单"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(ws.reports("2026-11").join("close.reopened-1.json").exists());
    assert!(ws.reports("2026-11").join("archive").exists(), "the archive is kept");
    ok(&ws.run(&["run", "--month", "2026-11"]));
    let log = std::fs::read_to_string(ws.dir.path().join("reports/close-log.jsonl")).unwrap();
    assert!(log.lines().last().unwrap().contains("\"action\":\"reopen\""));
}

#[test]
fn a_range_skips_closed_months_and_close_refuses_outputs_that_are_not_what_the_inputs_give() {
    let ws = Workspace::with_config_extra(NO_CHECKS);
    months(&ws);
    ok(&ws.run(&["run", "--from", "2026-09", "--to", "2026-10"]));
    // The inputs changed after the run: the outputs are no longer what they give.
    ws.csv("2026-10", "adjustments.csv", ADJ_HEADER, &["A02,100,奖励,x"]);
    let o = ws.run(&["close", "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("payroll_2026-10.csv"), "{}", stderr(&o));
    assert!(!ws.reports("2026-10").join("close.json").exists());
    assert_eq!(ws.run(&["close", "--month", "2026-09"]).status.code(), Some(0));
    let o = ws.run(&["run", "--from", "2026-09", "--to", "2026-10"]);
    ok(&o);
    assert!(stderr(&o).contains("info: 2026-09 is closed on"), "{}", stderr(&o));
    assert!(stderr(&o).contains("2026-10: 5 managers"), "{}", stderr(&o));
    // An open month verifies against its data folder.
    assert_eq!(ws.run(&["verify", "--month", "2026-10"]).status.code(), Some(0));
}

/// Make a read-only archived file writable again, to alter it as someone with access might.
fn writable(p: &Path) {
    #[cfg(unix)]
    std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    // Windows: closed files are not made read-only (README, "Windows").
    #[cfg(not(unix))]
    let _ = p;
}

#[test]
fn a_closed_month_is_used_only_while_its_archive_matches_close_json() {
    let ws = Workspace::with_config_extra(NO_CHECKS);
    months(&ws);
    ok(&ws.run(&["run", "--month", "2026-09"]));
    let o = ws.run(&["close", "--month", "2026-09", "--by", "主办会计"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    ok(&ws.run(&["run", "--month", "2026-10"]));
    let archived = ws.reports("2026-09").join("archive/data/2026-09/crm.csv");
    let original = std::fs::read(&archived).unwrap();

    // One byte of an archived input changed: October needs September (returning clients), so it
    // stops, naming the month and the file, instead of falling back to the data folder.
    writable(&archived);
    let mut altered = original.clone();
    let at = altered.iter().rposition(|b| b.is_ascii_digit()).unwrap();
    altered[at] = if altered[at] == b'9' { b'8' } else { altered[at] + 1 };
    std::fs::write(&archived, &altered).unwrap();
    let before = snapshot(&ws.reports("2026-10"));
    let o = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("2026-09 is closed") && err.contains("archive/data/2026-09/crm.csv"), "{err}");
    assert!(err.contains("has changed since the month was closed"), "{err}");
    assert_eq!(snapshot(&ws.reports("2026-10")), before, "October's outputs stay as they were");
    let o = ws.run(&["verify", "--month", "2026-09"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("archive/data/2026-09/crm.csv: has changed since the month was closed"),
        "{}",
        stderr(&o)
    );

    // A file slipped into the archive is refused the same way.
    std::fs::write(&archived, &original).unwrap();
    ok(&ws.run(&["run", "--month", "2026-10"]));
    let extra = ws.reports("2026-09").join("archive/data/2026-09/crm_extra.csv");
    std::fs::write(&extra, "客户号\n").unwrap();
    let o = ws.run(&["check", "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("crm_extra.csv was added since the month was closed"), "{}", stderr(&o));
    std::fs::remove_file(&extra).unwrap();

    // The archive gone: refused, naming it.
    let archive = ws.reports("2026-09").join("archive");
    let aside = ws.reports("2026-09").join("archive-moved");
    std::fs::rename(&archive, &aside).unwrap();
    let o = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("2026-09 is closed, but archive/ is gone"), "{}", stderr(&o));
    let o = ws.run(&["verify", "--month", "2026-09"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    std::fs::rename(&aside, &archive).unwrap();
    let o = ws.run(&["verify", "--month", "2026-09"]);
    assert_eq!(o.status.code(), Some(0), "whole again: {}", stderr(&o));
}
