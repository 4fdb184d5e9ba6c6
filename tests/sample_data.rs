//! The shipped sample: the generator makes exactly what is in sample_data/, and the month
//! 2026-10 runs with the shipped configuration; the payroll CSV and the workbook agree to the fen.

mod common;
use common::*;

#[test]
fn sample_2026_10_payroll_and_workbook_agree_to_the_fen() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["run", "--month", "2026-10", "--config"])
        .arg(repo().join("config/brokercomp.toml"))
        .arg("--out")
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = out_dir.path().join("2026-10");
    let rows = payroll(&dir.join("payroll_2026-10.csv"));
    let main = sheet(&dir.join("薪酬月报表_2026-10.xlsx"), 0);
    let people: Vec<_> = main[3..]
        .iter()
        .filter(|r| !r.is_empty() && text(&r[0]) != "小计" && text(&r[0]) != "合计")
        .take(rows.len() - 1)
        .collect();
    assert!(rows.len() > 30, "about 40 managers");
    assert_eq!(people.len(), rows.len() - 1);
    let fen = |s: &str| (s.parse::<f64>().unwrap() * 100.0).round() as i64;
    let mut total = 0i64;
    for (r, p) in people.iter().zip(&rows[1..]) {
        assert_eq!(text(&r[0]), p[0]);
        for (wc, cc) in [(6, 6), (7, 7), (8, 8), (9, 9)].into_iter().chain((12..24).map(|c| (c, c + 1))) {
            assert_eq!((num(&r[wc]) * 100.0).round() as i64, fen(&p[cc]), "{} column {wc}", p[0]);
        }
        let parts: i64 = (13..24).map(|c| fen(&p[c])).sum();
        assert_eq!(parts, fen(&p[24]), "{}: total is the sum of its components", p[0]);
        total += fen(&p[24]);
    }
    let grand = main.iter().find(|r| !r.is_empty() && text(&r[0]) == "合计").unwrap();
    assert_eq!((num(&grand[23]) * 100.0).round() as i64, total);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(fen(manifest["totals"]["total"].as_str().unwrap()), total);
    assert_eq!(manifest["standard"]["name"], "2026年客户经理薪酬标准");
    // The sample has the parts the guideline talks about.
    let kinds: Vec<&str> = rows[1..].iter().map(|r| r[5].as_str()).collect();
    assert!(kinds.contains(&"part_time") && kinds.contains(&"employee"));
    assert!(rows[1..].iter().any(|r| r[4] == "T"), "probationers");
    assert!(rows[1..].iter().any(|r| r[19] != "0.00"), "group leaders' override");
}

#[test]
fn the_generator_makes_the_shipped_sample_data() {
    let out = tempfile::tempdir().unwrap();
    // The generator starts its branch at --from: a fresh start at 2025-10 gives the shipped months.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["sample", "--out"])
        .arg(out.path().join("full"))
        .args(["--from", "2025-10", "--to", "2025-11"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    for m in ["2025-10", "2025-11"] {
        for e in std::fs::read_dir(repo().join("sample_data").join(m)).unwrap() {
            let e = e.unwrap();
            let fresh = std::fs::read(out.path().join("full").join(m).join(e.file_name())).unwrap();
            assert!(fresh == std::fs::read(e.path()).unwrap(), "{m}/{:?} differs from the generator's", e.file_name());
        }
    }
}
