//! Ingestion of files written by other programs: LibreOffice's .xls, .ods and .xlsx, a GBK CSV,
//! a UTF-8 CSV with BOM, and ".xls" files that are really an HTML table (GBK), tab-separated GBK
//! text and UTF-16 text. Every format of the same month must give the same pay, to the byte.
//! The fixtures under tests/fixtures/formats were made from one CSV month with
//! `soffice --headless --infilter=CSV:44,34,76,1 --convert-to xls|ods|xlsx` and Python's codecs.

mod common;
use common::*;

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn run_fixture(name: &str) -> (Vec<u8>, serde_json::Value) {
    let ws = Workspace::new();
    copy_dir(&repo().join("tests/fixtures/formats").join(name), &ws.data());
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
    let dir = ws.reports("2026-10");
    let payroll = std::fs::read(dir.join("payroll_2026-10.csv")).unwrap();
    let manifest = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    (payroll, manifest)
}

#[test]
fn every_format_gives_the_same_pay() {
    let (baseline, manifest) = run_fixture("csv-utf8-bom");
    // The hand-worked month of tests/run_month.rs without its adjustments file (A02: +400).
    assert_eq!(manifest["totals"]["total"], "30337.50");
    for name in ["csv-gbk", "libreoffice-xls", "libreoffice-ods", "libreoffice-xlsx", "disguised-xls"] {
        let (payroll, manifest) = run_fixture(name);
        assert_eq!(String::from_utf8_lossy(&payroll), String::from_utf8_lossy(&baseline), "{name}");
        // Counts: the crm has a title, an export-date line, a blank row and a 合计 row.
        let crm = manifest["inputs"].as_array().unwrap().iter().find(|i| i["kind"] == "crm").unwrap();
        assert_eq!(crm["header_row"], 3, "{name}");
        assert_eq!(crm["rows_read"], 8, "{name}");
        assert_eq!(crm["accepted"], 6, "{name}");
        assert_eq!(crm["skipped"], 2, "{name}");
    }
}
