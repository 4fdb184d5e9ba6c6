//! The half-year and annual team reports (SPEC §5 item 4, guideline article 6), read back and
//! checked against the months' payroll CSVs — summed here, independently of the analysis.
//!
//! History: `brokercomp sample` months 2025-03 to 2026-06 (10 managers, 300 clients) with 2026-03
//! removed, run month by month. So 2026H1 (in June's folder) has a month without inputs and the
//! same period a year earlier in part (2025-03 to 2025-06); 2025H2 and 2025 (in December's) have
//! no inputs a year earlier, and 2025 has months without inputs (January, February).

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::Data;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A cell as an exact amount (the workbook holds each figure to the fen as a float).
fn amount(c: &Data) -> Decimal {
    Decimal::from_f64_retain(num(c)).unwrap().round_dp(2)
}

struct History {
    dir: tempfile::TempDir,
}

impl History {
    fn config(&self) -> PathBuf {
        self.dir.path().join("brokercomp.toml")
    }
    fn reports(&self) -> PathBuf {
        self.dir.path().join("reports")
    }
    fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
            .args(args)
            .arg("--config")
            .arg(self.config())
            .output()
            .unwrap()
    }
}

fn history() -> &'static History {
    static H: OnceLock<History> = OnceLock::new();
    H.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
            .args(["sample", "--from", "2025-03", "--to", "2026-06", "--managers", "10", "--clients", "300", "--out"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::remove_dir_all(data.join("2026-03")).unwrap();
        let shipped = std::fs::read_to_string(repo().join("config/brokercomp.toml")).unwrap();
        let config = shipped
            .replace("data = \"../sample_data\"", "data = \"data\"")
            .replace("reports = \"../reports\"", "reports = \"reports\"")
            .replace(
                "standards = \"standards\"",
                &format!("standards = \"{}\"", repo().join("config/standards").display()),
            );
        std::fs::write(dir.path().join("brokercomp.toml"), config).unwrap();
        let h = History { dir };
        for (from, to) in [("2025-03", "2026-02"), ("2026-04", "2026-06")] {
            let o = h.run(&["run", "--from", from, "--to", to]);
            assert!(matches!(o.status.code(), Some(0 | 1)), "{from}..{to}: {}", stderr(&o));
        }
        h
    })
}

/// The flows of the payroll rows of `months` (those that have a payroll), per team and for the
/// branch (""): new accounts, valid accounts, net inflow, net commission, net revenue, total.
fn payroll_flows(h: &History, months: &[&str]) -> BTreeMap<String, [Decimal; 6]> {
    let mut out: BTreeMap<String, [Decimal; 6]> = BTreeMap::new();
    for m in months {
        let path = h.reports().join(m).join(format!("payroll_{m}.csv"));
        if !path.exists() {
            continue;
        }
        let rows = payroll(&path);
        let col = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
        let cols = ["new_accounts", "valid_accounts", "net_inflow", "net_commission", "net_revenue", "total"].map(col);
        for r in &rows[1..] {
            for team in [r[col("team")].clone(), String::new()] {
                let sums = out.entry(team).or_default();
                for (k, c) in cols.iter().enumerate() {
                    sums[k] += d(&r[*c]);
                }
            }
        }
    }
    out
}

/// Payroll rows per team (and "" for the branch) of one month.
fn headcount(h: &History, m: &str) -> BTreeMap<String, usize> {
    let rows = payroll(&h.reports().join(m).join(format!("payroll_{m}.csv")));
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows[1..] {
        *out.entry(r[2].clone()).or_default() += 1;
        *out.entry(String::new()).or_default() += 1;
    }
    out
}

/// The blocks of a sheet of figures: block name ("" for the branch, 全营业部) → figure → cells
/// after the figure's name.
fn blocks(path: &Path, sheet_index: usize) -> BTreeMap<String, BTreeMap<String, Vec<Data>>> {
    let rows = sheet(path, sheet_index);
    let mut out: BTreeMap<String, BTreeMap<String, Vec<Data>>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (i, r) in rows.iter().enumerate() {
        let first = r.first().map(text).unwrap_or_default();
        let next_is_header = rows.get(i + 1).and_then(|n| n.first()).map(text).as_deref() == Some("指标");
        if next_is_header {
            current = Some(if first == "全营业部" { String::new() } else { first });
            continue;
        }
        if first == "指标" || first.is_empty() {
            continue;
        }
        if let Some(block) = &current {
            out.entry(block.clone()).or_default().insert(first, r[1..].to_vec());
        }
    }
    out
}

const FLOWS: [&str; 6] = ["新开户", "有效户", "资金净流入", "净佣金", "净收入", "应发薪酬"];

fn months(from: &str, n: u32) -> Vec<String> {
    let (y, m): (i32, u32) = (from[..4].parse().unwrap(), from[5..].parse().unwrap());
    (0..n)
        .map(|k| {
            let i = m - 1 + k;
            format!("{}-{:02}", y + (i / 12) as i32, i % 12 + 1)
        })
        .collect()
}

#[test]
fn june_and_december_write_their_period_reports_as_part_of_the_month() {
    let h = history();
    let has = |m: &str, name: &str| h.reports().join(m).join(name).exists();
    assert!(has("2026-06", "团队分析_2026H1.xlsx"));
    assert!(has("2025-12", "团队分析_2025H2.xlsx") && has("2025-12", "团队分析_2025.xlsx"));
    assert!(!has("2026-05", "团队分析_2026H1.xlsx") && !has("2025-09", "团队分析_2025H2.xlsx"));
    // In the manifest, with the hash of the file written.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(h.reports().join("2025-12/manifest.json")).unwrap()).unwrap();
    let outputs: Vec<&str> =
        manifest["outputs"].as_array().unwrap().iter().map(|o| o["file"].as_str().unwrap()).collect();
    assert!(outputs.contains(&"团队分析_2025H2.xlsx") && outputs.contains(&"团队分析_2025.xlsx"), "{outputs:?}");
}

#[test]
fn the_period_reports_team_totals_are_the_sums_of_the_months_payroll_subtotals() {
    let h = history();
    for (month, file, first, n) in [
        ("2026-06", "团队分析_2026H1.xlsx", "2026-01", 6),
        ("2025-12", "团队分析_2025H2.xlsx", "2025-07", 6),
        ("2025-12", "团队分析_2025.xlsx", "2025-01", 12),
    ] {
        let path = h.reports().join(month).join(file);
        let period: Vec<String> = months(first, n);
        let refs: Vec<&str> = period.iter().map(String::as_str).collect();
        let want = payroll_flows(h, &refs);
        let got = blocks(&path, 0);
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{file}: teams");
        for (team, sums) in &want {
            for (k, figure) in FLOWS.iter().enumerate() {
                assert_eq!(amount(&got[team][*figure][0]), sums[k], "{file}: {team} {figure}");
            }
            // Stocks at the period's last month.
            let heads = headcount(h, month).get(team).copied().unwrap_or(0);
            assert_eq!(num(&got[team]["人数"][0]) as usize, heads, "{file}: {team} 人数");
        }
        // The months side by side: each month's column is that month's payroll, the period's the sum.
        let side = blocks(&path, 7);
        for (team, sums) in &want {
            let cells = &side[team]["应发薪酬"];
            let mut total = Decimal::ZERO;
            for (i, m) in refs.iter().enumerate() {
                let one = payroll_flows(h, &[m]);
                match one.get(team) {
                    Some(s) => {
                        assert_eq!(amount(&cells[i]), s[5], "{file}: {team} {m}");
                        total += amount(&cells[i]);
                    }
                    None if h.reports().join(m).join(format!("payroll_{m}.csv")).exists() => {
                        assert_eq!(amount(&cells[i]), Decimal::ZERO, "{file}: {team} {m}")
                    }
                    None => assert_eq!(text(&cells[i]), "无数据", "{file}: {team} {m}"),
                }
            }
            assert_eq!(amount(&cells[refs.len()]), total, "{file}: {team}: the period is the sum of its months");
            assert_eq!(total, sums[5]);
        }
    }
}

#[test]
fn a_period_names_its_months_without_inputs() {
    let h = history();
    let line = |m: &str, f: &str, row: usize| text(&sheet(&h.reports().join(m).join(f), 0)[row][0]);
    let h1 = line("2026-06", "团队分析_2026H1.xlsx", 1);
    assert!(h1.contains("有输入数据的月份：2026-01, 2026-02, 2026-04, 2026-05, 2026-06"), "{h1}");
    assert!(h1.contains("缺少输入数据的月份：2026-03"), "{h1}");
    let year = line("2025-12", "团队分析_2025.xlsx", 1);
    assert!(year.contains("缺少输入数据的月份：2025-01, 2025-02"), "{year}");
    let h2 = line("2025-12", "团队分析_2025H2.xlsx", 1);
    assert!(!h2.contains("缺少"), "{h2}");
}

#[test]
fn the_same_period_a_year_earlier_is_compared_where_its_months_have_inputs() {
    let h = history();
    // 2026H1 against 2025-01..06, of which 2025-03..06 have inputs.
    let path = h.reports().join("2026-06/团队分析_2026H1.xlsx");
    let earlier = text(&sheet(&path, 0)[2][0]);
    assert!(earlier.contains("有输入数据的月份：2025-03, 2025-04, 2025-05, 2025-06"), "{earlier}");
    assert!(earlier.contains("缺少输入数据的月份：2025-01, 2025-02"), "{earlier}");
    let then = payroll_flows(h, &["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]);
    let now = payroll_flows(h, &["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]);
    let got = blocks(&path, 0);
    for (team, sums) in &then {
        let Some(block) = got.get(team) else { continue };
        for (k, figure) in FLOWS.iter().enumerate() {
            assert_eq!(amount(&block[*figure][1]), sums[k], "2025H1 {team} {figure}");
            if !sums[k].is_zero() {
                let change = (now[team][k] - sums[k]) / sums[k].abs();
                let cell = Decimal::from_f64_retain(num(&block[*figure][2])).unwrap();
                assert!((cell - change).abs() < d("0.000001"), "{team} {figure}: {cell} vs {change}");
            }
        }
        let heads = headcount(h, "2025-06").get(team).copied().unwrap_or(0);
        assert_eq!(num(&block["人数"][1]) as usize, heads, "2025H1 {team}: headcount at its last month");
    }
    // 2025H2 and 2025: no month of 2024 has inputs.
    for f in ["团队分析_2025H2.xlsx", "团队分析_2025.xlsx"] {
        let path = h.reports().join("2025-12").join(f);
        let rows = sheet(&path, 0);
        assert!(text(&rows[2][0]).contains("上年同期各月均无输入数据"), "{f}: {}", text(&rows[2][0]));
        let got = blocks(&path, 0);
        assert!(got.values().all(|b| b.values().all(|cells| text(&cells[1]) == "无数据")), "{f}");
    }
}

#[test]
fn every_personnel_change_of_the_period_is_listed_month_by_month() {
    let h = history();
    let path = h.reports().join("2026-06/团队分析_2026H1.xlsx");
    let rows = sheet(&path, 5);
    let listed: Vec<(String, String)> =
        rows[1..].iter().filter(|r| r.len() > 2).map(|r| (text(&r[0]), text(&r[2]))).collect();
    // Each month's own report lists the same changes (against its previous month); March has
    // no inputs, and April's previous month none either.
    let mut want = Vec::new();
    for m in ["2026-01", "2026-02", "2026-05", "2026-06"] {
        let monthly = sheet(&h.reports().join(m).join(format!("团队分析_{m}.xlsx")), 5);
        for r in monthly[1..].iter().filter(|r| r.len() > 1) {
            want.push((m.to_string(), text(&r[1])));
        }
    }
    let got: Vec<(String, String)> = listed.iter().filter(|(m, _)| m != "2026-04").cloned().collect();
    assert_eq!(got, want);
    let april: Vec<String> =
        rows.iter().filter(|r| r.first().map(text).as_deref() == Some("2026-04")).map(|r| text(&r[1])).collect();
    assert_eq!(april, ["上月无输入数据，2026-04的人员变动无法比较"]);
}

#[test]
fn december_verifies_byte_for_byte_with_its_period_reports() {
    let h = history();
    let o = h.run(&["verify", "--month", "2025-12"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
