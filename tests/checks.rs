//! SPEC §4.11: a month that is incomplete or stale is noticed before anyone pays from it.
//!
//! Each test generates months with `brokercomp sample`, plants one defect in the last month (a
//! team's export missing, a CRM file cut to half, last month's file sent again …) and reads the
//! warning back from the manifest, 数据异常 and stderr: its check, subject, file and figures.

mod common;

use std::path::{Path, PathBuf};

use calamine::Data;
use common::*;
use serde_json::Value;

const MONTHS: [&str; 5] = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"];
const LAST: &str = "2026-05";

/// A workspace with five generated months (2026-01 … 2026-05) and `extra` in its configuration.
fn generated(extra: &str) -> Workspace {
    let ws = Workspace::with_config_extra(extra);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["sample", "--out"])
        .arg(ws.data())
        .args(["--from", MONTHS[0], "--to", LAST, "--managers", "16", "--clients", "900", "--seed", "11"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    ws
}

/// The text of a cell as the readers see it (dates as ISO dates).
fn cell_text(d: &Data) -> String {
    match d {
        Data::DateTime(x) => {
            // Excel's serial day 25569 is 1970-01-01.
            let days = x.as_f64().floor() as i64 - 25_569;
            let (y, m, d) = civil_from_days(days);
            format!("{y:04}-{m:02}-{d:02}")
        }
        other => text(other),
    }
}

/// Howard Hinnant's days → civil date.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A generated workbook's header row and data rows (the title rows above and the 合计 row left
/// out), as text.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, rows) = table_with_total(path);
    (header, rows.into_iter().filter(|r| r[0] != "合计").collect())
}

/// The header row and every row below it (the 合计 row included), as text.
fn table_with_total(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let rows: Vec<Vec<String>> = sheet(path, 0).iter().map(|r| r.iter().map(cell_text).collect()).collect();
    let h = rows.iter().position(|r| r.iter().filter(|c| !c.is_empty()).count() > 3).expect("a header row");
    let data = rows[h + 1..].iter().filter(|r| r.first().is_some_and(|c| !c.is_empty())).cloned().collect();
    (rows[h].clone(), data)
}

/// Write a CSV (quoted as RFC 4180 asks) with optional title lines above the header.
fn write_csv(path: &Path, titles: &[&str], header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::WriterBuilder::new().flexible(true).from_path(path).unwrap();
    for t in titles {
        w.write_record([*t]).unwrap();
    }
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn month_file(ws: &Workspace, month: &str, kind: &str) -> PathBuf {
    ws.data().join(month).join(format!("{kind}_{month}.xlsx"))
}

/// Replace a month's file of `kind` by a CSV of its rows that `keep` keeps.
fn rewrite(ws: &Workspace, month: &str, kind: &str, keep: impl Fn(&[String], &[String]) -> bool) {
    let xlsx = month_file(ws, month, kind);
    let (header, rows) = table(&xlsx);
    let kept: Vec<Vec<String>> = rows.into_iter().filter(|r| keep(&header, r)).collect();
    std::fs::remove_file(&xlsx).unwrap();
    write_csv(&ws.data().join(month).join(format!("{kind}_{month}.csv")), &[], &header, &kept);
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h.contains(name)).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn manifest(ws: &Workspace, month: &str) -> Value {
    serde_json::from_slice(&std::fs::read(ws.reports(month).join("manifest.json")).unwrap()).unwrap()
}

fn warnings(ws: &Workspace, month: &str) -> Vec<Value> {
    manifest(ws, month)["checks"].as_array().cloned().unwrap_or_default()
}

fn of_check<'a>(w: &'a [Value], check: &str) -> Vec<&'a Value> {
    w.iter().filter(|x| x["check"] == check).collect()
}

/// Run every month; the last one's exit status and stderr.
fn run_all(ws: &Workspace, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["run", "--from", MONTHS[0], "--to", LAST];
    args.extend_from_slice(extra);
    let out = ws.run(&args);
    (out.status.code(), stderr(&out))
}

/// The rows of 数据异常 marked 预警, as text.
fn warning_rows(ws: &Workspace, month: &str) -> Vec<String> {
    let report = ws.reports(month).join(format!("薪酬月报表_{month}.xlsx"));
    let names = sheet_names(&report);
    let i = names.iter().position(|n| n == "数据异常").expect("a 数据异常 sheet");
    sheet(&report, i)
        .iter()
        .map(|r| r.iter().map(text).collect::<Vec<_>>().join("|"))
        .filter(|r| r.contains("预警"))
        .collect()
}

#[test]
fn generated_months_give_no_warning() {
    let ws = generated("");
    let (code, err) = run_all(&ws, &[]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    for m in MONTHS {
        assert_eq!(warnings(&ws, m), Vec::<Value>::new(), "{m}: {err}");
    }
    assert!(!err.contains("warning: 2026"), "{err}");
    // The first months have too little history: they say which checks did not run, as information.
    let first = manifest(&ws, MONTHS[0]);
    let not_run = first["checks_not_run"].as_array().expect("checks_not_run");
    assert!(not_run.iter().any(|n| n["check"] == "rows"), "{not_run:?}");
    let last = manifest(&ws, LAST);
    assert_eq!(last["checks_not_run"].as_array().map(Vec::len), Some(0), "four earlier months are enough");
}

#[test]
fn a_missing_team_export_is_named_with_its_history() {
    let ws = generated("");
    let roster = table(&month_file(&ws, LAST, "roster"));
    let team_col = col(&roster.0, "团队");
    let team = roster.1[0][team_col].clone();
    let of_team: Vec<String> = roster.1.iter().filter(|r| r[team_col] == team).map(|r| r[0].clone()).collect();
    rewrite(&ws, LAST, "crm", |h, r| !of_team.contains(&r[col(h, "客户经理")]));
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let w = warnings(&ws, LAST);
    let missing = of_check(&w, "missing_team");
    assert_eq!(missing.len(), 1, "{w:?}");
    assert_eq!(missing[0]["subject"], team.as_str());
    assert_eq!(missing[0]["value"], "0");
    assert_eq!(missing[0]["months"], serde_json::json!(["2026-02", "2026-03", "2026-04"]));
    assert_eq!(missing[0]["file"], Value::Null);
    // The team's managers are not named one by one.
    assert!(of_check(&w, "missing_manager").is_empty(), "{w:?}");
    assert!(err.contains(&format!("warning: {LAST}: missing_team")), "{err}");
    let rows = warning_rows(&ws, LAST);
    assert!(rows.iter().any(|r| r.contains(&team) && r.contains("无客户业绩记录")), "{rows:?}");
}

#[test]
fn a_crm_file_cut_to_half_warns_on_its_rows() {
    let ws = generated("");
    let n = table(&month_file(&ws, LAST, "crm")).1.len();
    let kept = std::cell::Cell::new(0);
    rewrite(&ws, LAST, "crm", |_, _| {
        kept.set(kept.get() + 1);
        kept.get() <= n / 2
    });
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let w = warnings(&ws, LAST);
    let rows = of_check(&w, "rows");
    assert_eq!(rows.len(), 1, "{w:?}");
    assert_eq!(rows[0]["subject"], "crm");
    let value: u64 = rows[0]["value"].as_str().unwrap().parse().unwrap();
    assert!(value <= (n / 2) as u64 + 3, "rows read {value} (header, title and summary rows aside)");
    assert_eq!(rows[0]["months"].as_array().unwrap().len(), 4);
}

#[test]
fn last_months_crm_sent_again_under_this_months_name_is_the_same_data() {
    let ws = generated("");
    // Every row below the header as the export has it, its 合计 row included.
    let (header, rows) = table_with_total(&month_file(&ws, "2026-04", "crm"));
    std::fs::remove_file(month_file(&ws, LAST, "crm")).unwrap();
    // A new title row, another format and another file name: the data rows decide, not the bytes.
    write_csv(&ws.data().join(LAST).join("crm_2026-05.csv"), &["客户业绩明细（2026年5月）"], &header, &rows);
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let w = warnings(&ws, LAST);
    let same = of_check(&w, "same_data");
    assert_eq!(same.len(), 1, "{w:?}");
    assert_eq!(same[0]["subject"], "2026-05/crm_2026-05.csv");
    assert_eq!(same[0]["file"], "2026-05/crm_2026-05.csv");
    assert_eq!(same[0]["expected"], "2026-04/crm_2026-04.xlsx");
    assert_eq!(same[0]["months"], serde_json::json!(["2026-04"]));
}

#[test]
fn an_accounts_file_sent_again_is_the_same_data() {
    let ws = generated("");
    std::fs::copy(month_file(&ws, "2026-03", "accounts"), month_file(&ws, LAST, "accounts")).unwrap();
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let w = warnings(&ws, LAST);
    let same = of_check(&w, "same_data");
    assert_eq!(same.len(), 1, "{w:?}");
    assert_eq!(same[0]["expected"], "2026-03/accounts_2026-03.xlsx");
}

#[test]
fn net_commission_labelled_in_ten_thousands_by_mistake_warns_on_the_totals() {
    let ws = generated("");
    let xlsx = month_file(&ws, LAST, "crm");
    let (mut header, rows) = table(&xlsx);
    let nc = col(&header, "净佣金");
    header[nc] = "净佣金（万元）".into();
    std::fs::remove_file(&xlsx).unwrap();
    write_csv(&ws.data().join(LAST).join("crm_2026-05.csv"), &[], &header, &rows);
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let w = warnings(&ws, LAST);
    let totals = of_check(&w, "totals");
    assert_eq!(totals.len(), 1, "{w:?}");
    assert_eq!(totals[0]["subject"], "net_commission");
}

#[test]
fn one_managers_rows_missing_names_the_manager() {
    let ws = generated("");
    // A manager employed all along with rows in every month.
    let (rh, roster) = table(&month_file(&ws, "2026-02", "roster"));
    let hire = col(&rh, "入职");
    let veteran = roster.iter().find(|r| r[hire].as_str() < "2025-01-01").expect("a veteran")[0].clone();
    let name = roster.iter().find(|r| r[0] == veteran).unwrap()[1].clone();
    rewrite(&ws, LAST, "crm", |h, r| r[col(h, "客户经理")] != veteran);
    let (code, err) = run_all(&ws, &["--strict"]);
    assert_eq!(code, Some(2), "--strict stops the month: {err}");
    assert!(err.contains("completeness warning(s) and --strict"), "{err}");
    assert!(!ws.reports(LAST).join("manifest.json").exists(), "nothing written for the month");
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let w = warnings(&ws, LAST);
    let m = of_check(&w, "missing_manager");
    assert_eq!(m.len(), 1, "{w:?}");
    assert_eq!(m[0]["subject"], format!("{veteran} {name}"));
}

#[test]
fn a_third_of_the_roster_gone_warns_on_the_headcount() {
    let ws = generated("");
    let (_, roster) = table(&month_file(&ws, LAST, "roster"));
    let gone: Vec<String> = roster.iter().step_by(3).map(|r| r[0].clone()).collect();
    rewrite(&ws, LAST, "roster", |_, r| !gone.contains(&r[0]));
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let w = warnings(&ws, LAST);
    assert_eq!(of_check(&w, "headcount").len(), 1, "{w:?}");
    assert_eq!(of_check(&w, "headcount")[0]["months"], serde_json::json!(["2026-04"]));
}

#[test]
fn checks_can_be_turned_off() {
    let ws = generated("[checks]\nenabled = false\n");
    std::fs::copy(month_file(&ws, "2026-04", "crm"), month_file(&ws, LAST, "crm")).unwrap();
    let (code, err) = run_all(&ws, &[]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    assert_eq!(warnings(&ws, LAST), Vec::<Value>::new());
    assert_eq!(manifest(&ws, LAST)["checks_not_run"], serde_json::json!([]));
}

#[test]
fn too_little_history_says_which_checks_did_not_run() {
    let ws = generated("[checks]\nmin_history = 5\nhistory_months = 6\n");
    let (code, err) = run_all(&ws, &[]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    let m = manifest(&ws, LAST);
    let not_run: Vec<&str> =
        m["checks_not_run"].as_array().unwrap().iter().map(|n| n["check"].as_str().unwrap()).collect();
    assert_eq!(not_run, ["rows", "totals", "missing_team", "missing_manager", "headcount"]);
    let report = ws.reports(LAST).join(format!("薪酬月报表_{LAST}.xlsx"));
    let i = sheet_names(&report).iter().position(|n| n == "数据异常").unwrap();
    let text_of: String = sheet(&report, i)
        .iter()
        .map(|r| r.iter().map(text).collect::<Vec<_>>().join("|"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text_of.contains("检查未运行"), "{text_of}");
}

#[test]
fn close_refuses_a_month_with_warnings_until_accepted_with_a_reason() {
    let ws = generated("");
    std::fs::copy(month_file(&ws, "2026-04", "accounts"), month_file(&ws, LAST, "accounts")).unwrap();
    let (code, err) = run_all(&ws, &[]);
    assert_eq!(code, Some(1), "{err}");
    let out = ws.run(&["close", "--month", LAST, "--by", "会计甲"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("same_data"), "{}", stderr(&out));
    assert!(!ws.reports(LAST).join("close.json").exists());
    let reason = "开户数据经核对无误";
    let out = ws.run(&["close", "--month", LAST, "--by", "会计甲", "--accept", reason]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let close: Value = serde_json::from_slice(&std::fs::read(ws.reports(LAST).join("close.json")).unwrap()).unwrap();
    let a = &close["accepted_warnings"];
    assert_eq!(a["reason"], reason);
    assert_eq!(a["by"], "会计甲");
    assert_eq!(a["warnings"][0]["check"], "same_data");
    assert_eq!(a["warnings"], manifest(&ws, LAST)["checks"]);
    let log = std::fs::read_to_string(ws.dir.path().join("reports/close-log.jsonl")).unwrap();
    assert!(log.contains(reason), "{log}");
}

#[test]
fn a_closed_month_in_the_history_is_compared_from_its_archive() {
    let ws = generated("");
    let out = ws.run(&["run", "--from", MONTHS[0], "--to", "2026-04"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = ws.run(&["close", "--month", "2026-04", "--by", "会计甲"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The closed month's data folder changes afterwards (its crm file cut to a few rows): the
    // history still holds its figures as closed, so 2026-05 raises no alarm about its rows.
    let n = std::cell::Cell::new(0);
    rewrite(&ws, "2026-04", "crm", |_, _| {
        n.set(n.get() + 1);
        n.get() <= 5
    });
    std::fs::remove_dir_all(ws.dir.path().join("reports/.ledger")).ok();
    let out = ws.run(&["run", "--month", LAST]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(of_check(&warnings(&ws, LAST), "rows").is_empty(), "{:?}", warnings(&ws, LAST));
    assert!(ws.reports("2026-04").join("archive/figures.json").is_file());
}

#[test]
fn seventy_two_generated_months_give_no_warning() {
    // The shipped 2026 standard, in force from 2021 (as scripts/bench_history.sh does).
    let standard = std::fs::read_to_string(repo().join("config/standards/2026.toml")).unwrap();
    let standard: String = standard
        .lines()
        .map(|l| if l.starts_with("effective_from") { "effective_from = \"2021-01\"" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let ws = Workspace::custom("", &[("2021.toml", standard.as_str())]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["sample", "--out"])
        .arg(ws.data())
        .args(["--from", "2021-01", "--to", "2026-12", "--managers", "8", "--clients", "300", "--seed", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = ws.run(&["run", "--from", "2021-01", "--to", "2026-12"]);
    let err = stderr(&out);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{err}");
    let checks = ["same_data", "rows", "totals", "missing_team", "missing_manager", "headcount"];
    let warned: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("warning: ") && checks.iter().any(|c| l.contains(&format!(": {c}: "))))
        .collect();
    assert!(warned.is_empty(), "{warned:#?}");
    let mut total = 0;
    for y in 2021..=2026 {
        for m in 1..=12 {
            total += warnings(&ws, &format!("{y}-{m:02}")).len();
        }
    }
    assert_eq!(total, 0);
}
