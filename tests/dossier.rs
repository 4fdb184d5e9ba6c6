//! `dossier` (SPEC §6, §5 item 9): each client manager's file over a range of months, read back
//! and checked against what the months themselves wrote — their payroll CSVs, their confirmation
//! slips and pay statements (serials) — never against the ledger the file is made from.
//!
//! - The shipped sample's 13 months: every manager's file, every month's figures and components
//!   and total to the fen, the serials, the months not active, the totals.
//! - The story of `common::story` (2026-01 to 2026-04): a manager who joins (A03), one who leaves
//!   (B01), one promoted at the quarter (A02), one with recoveries, adjustments, an exception and a
//!   prior-period line (A01); January is closed and its data folder corrected since, so its
//!   figures must be those of its archive.
//! - What it writes: only `<reports>/档案/`, every other file (outputs, cache, archive) the same.

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

/// The sheet of a workbook by name.
fn sheet_named(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let i = sheet_names(path)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("{}: no sheet {name}", path.display()));
    sheet(path, i)
}

/// The rows of one of a file's month tables (month → cells), and its totals row.
fn table(path: &Path, name: &str) -> (BTreeMap<String, Vec<Data>>, Vec<Data>) {
    let rows = sheet_named(path, name);
    let mut months = BTreeMap::new();
    let mut totals = Vec::new();
    for r in rows.iter().skip(4) {
        let first = r.first().map(text).unwrap_or_default();
        if first == "期间合计" {
            totals = r.clone();
        } else if first.len() == 7 && first.as_bytes()[4] == b'-' {
            months.insert(first, r.clone());
        }
    }
    (months, totals)
}

/// A file's month rows (month → cells) and totals row, its two tables side by side as one row
/// in the payroll's order: month, status, level, the 7 metrics (月度业绩), the 11 components and
/// the total (月度薪酬), then the slip's and statement's serials and the exceptions and warnings
/// naming the manager (月度业绩).
fn month_rows(path: &Path) -> (BTreeMap<String, Vec<Data>>, Vec<Data>) {
    let (figures, figure_totals) = table(path, "月度业绩");
    let (pay, pay_totals) = table(path, "月度薪酬");
    let join = |a: &[Data], b: &[Data]| -> Vec<Data> {
        let cell = |v: &[Data], i: usize| v.get(i).cloned().unwrap_or(Data::Empty);
        let mut row: Vec<Data> = (0..10).map(|i| cell(a, i)).collect();
        row.extend((3..15).map(|i| cell(b, i)));
        row.extend((10..13).map(|i| cell(a, i)));
        row
    };
    assert_eq!(figures.keys().collect::<Vec<_>>(), pay.keys().collect::<Vec<_>>(), "{}", path.display());
    let months = figures.iter().map(|(m, a)| (m.clone(), join(a, &pay[m]))).collect();
    (months, join(&figure_totals, &pay_totals))
}

/// The serial printed on each manager's slip and pay statement of a month folder: manager →
/// (slip serial, statement serial).
fn printed_serials(dir: &Path, month: &str) -> BTreeMap<String, (Option<String>, String)> {
    let mut out: BTreeMap<String, (Option<String>, String)> = BTreeMap::new();
    let rows = sheet(&dir.join(format!("薪酬明细单_{month}.xlsx")), 0);
    for (i, r) in rows.iter().enumerate() {
        if let Some(serial) = r.first().map(text).and_then(|t| t.strip_prefix("编号：").map(str::to_string)) {
            let who = text(&rows[i + 1][0]);
            let id = who.strip_prefix("工号：").unwrap().split(' ').next().unwrap().to_string();
            out.insert(id, (None, serial));
        }
    }
    let rows = sheet(&dir.join(format!("营销客户确认单_{month}.xlsx")), 0);
    for (i, r) in rows.iter().enumerate() {
        if let Some(serial) = r.first().map(text).and_then(|t| t.strip_prefix("编号：").map(str::to_string)) {
            let who = text(&rows[i + 1][0]);
            let id = who.rsplit('（').next().unwrap().trim_end_matches('）').to_string();
            out.get_mut(&id).unwrap_or_else(|| panic!("{month}: a slip of {id} without a statement")).0 = Some(serial);
        }
    }
    out
}

/// Run `brokercomp` with the shipped configuration and `--out`.
fn shipped(out: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(args)
        .arg("--config")
        .arg(repo().join("config/brokercomp.toml"))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

const SHIPPED: [&str; 13] = [
    "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
    "2026-08", "2026-09", "2026-10",
];

#[test]
fn every_manager_of_the_shipped_months_has_each_months_payroll_to_the_fen() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("reports");
    let o = shipped(&out, &["run", "--from", "2025-10", "--to", "2026-10"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let o = shipped(&out, &["dossier", "--from", "2025-10", "--to", "2026-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // manager → month → payroll row; and the serials each month printed.
    let mut payrolls: Payrolls = BTreeMap::new();
    let mut serials: BTreeMap<String, BTreeMap<String, (Option<String>, String)>> = BTreeMap::new();
    let mut header = Vec::new();
    for m in SHIPPED {
        let dir = out.join(m);
        let rows = payroll(&dir.join(format!("payroll_{m}.csv")));
        header = rows[0].clone();
        for r in &rows[1..] {
            payrolls.entry(r[0].clone()).or_default().insert(m.to_string(), r.clone());
        }
        serials.insert(m.to_string(), printed_serials(&dir, m));
    }
    let first_figure = header.iter().position(|h| h == "net_commission").unwrap();
    assert_eq!(header.len() - first_figure, 19, "7 metrics, 11 components, the total");

    let folder = out.join("档案");
    let mut files: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    let want: Vec<String> = payrolls.keys().map(|id| format!("客户经理档案_{id}_2025-10_2026-10.xlsx")).collect();
    assert_eq!(files, want, "one file per manager with a payroll row in the range");
    assert!(payrolls.len() >= 48);

    for (id, by_month) in &payrolls {
        let path = folder.join(format!("客户经理档案_{id}_2025-10_2026-10.xlsx"));
        let (months, totals) = month_rows(&path);
        assert_eq!(months.keys().map(String::as_str).collect::<Vec<_>>(), SHIPPED, "{id}: one row per month");
        let mut sums = vec![Decimal::ZERO; 19];
        for m in SHIPPED {
            let row = &months[m];
            match by_month.get(m) {
                None => {
                    assert_eq!(text(&row[1]), "未在岗", "{id} {m}");
                    assert!(
                        row[3..22].iter().all(|c| matches!(c, Data::Empty) || text(c).is_empty()),
                        "{id} {m}: {row:?}"
                    );
                }
                Some(p) => {
                    assert_eq!(text(&row[1]), "在岗", "{id} {m}");
                    assert!(
                        text(&row[2]).ends_with(&format!("（{}）", p[4])),
                        "{id} {m}: level {:?} vs {}",
                        row[2],
                        p[4]
                    );
                    for k in 0..19 {
                        assert_eq!(
                            amount(&row[3 + k]),
                            d(&p[first_figure + k]),
                            "{id} {m} {}",
                            header[first_figure + k]
                        );
                        sums[k] += d(&p[first_figure + k]);
                    }
                    let (slip, statement) = &serials[m][id];
                    assert_eq!(text(&row[22]), slip.clone().unwrap_or_default(), "{id} {m}: slip serial");
                    assert_eq!(&text(&row[23]), statement, "{id} {m}: statement serial");
                }
            }
        }
        // The range's totals: sums of the months (month-end assets, a stock, has none).
        for k in (0..19).filter(|k| *k != 4) {
            assert_eq!(amount(&totals[3 + k]), sums[k], "{id}: total of {}", header[first_figure + k]);
        }
        assert_eq!(text(&totals[7]), "—");
    }
}

/// The story, run, and its dossier over 2026-01..2026-04 written once.
fn story_with_files() -> &'static (Workspace, std::process::Output) {
    static S: OnceLock<(Workspace, std::process::Output)> = OnceLock::new();
    S.get_or_init(|| {
        let ws = story();
        let o = ws.run(&["dossier", "--from", "2026-01", "--to", "2026-04"]);
        (ws, o)
    })
}

fn story_file(ws: &Workspace, id: &str) -> PathBuf {
    ws.dir.path().join("reports/档案").join(format!("客户经理档案_{id}_2026-01_2026-04.xlsx"))
}

/// manager → month → payroll row.
type Payrolls = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// The payroll header, and manager → month → payroll row of the story.
fn story_payrolls(ws: &Workspace) -> (Vec<String>, Payrolls) {
    let mut out: Payrolls = BTreeMap::new();
    let mut header = Vec::new();
    for m in ["2026-01", "2026-02", "2026-03", "2026-04"] {
        let rows = payroll(&ws.reports(m).join(format!("payroll_{m}.csv")));
        header = rows[0].clone();
        for r in &rows[1..] {
            out.entry(r[0].clone()).or_default().insert(m.to_string(), r.clone());
        }
    }
    (header, out)
}

#[test]
fn the_storys_files_have_each_months_payroll_and_the_closed_month_from_its_archive() {
    let (ws, o) = story_with_files();
    // February has an exception (A01's adjustment row whose amount cannot be read): exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    let (header, payrolls) = story_payrolls(ws);
    assert_eq!(payrolls.keys().collect::<Vec<_>>(), ["A01", "A02", "A03", "B01", "B02"]);
    let first = header.iter().position(|h| h == "net_commission").unwrap();
    for (id, by_month) in &payrolls {
        let (months, _) = month_rows(&story_file(ws, id));
        for (m, p) in by_month {
            for k in 0..19 {
                assert_eq!(amount(&months[m][3 + k]), d(&p[first + k]), "{id} {m} {}", header[first + k]);
            }
        }
    }
    // January is closed; its data folder was corrected since (A02's commission 40,000 → 45,000,
    // A01's adjustment 500 → 800): the file shows January as closed — from its archive.
    let (a02, _) = month_rows(&story_file(ws, "A02"));
    assert_eq!(amount(&a02["2026-01"][3]), d("40000"));
    let lines = sheet_named(&story_file(ws, "A01"), "调整与回收");
    let january: Vec<String> =
        lines.iter().filter(|r| r.first().map(text).as_deref() == Some("2026-01")).map(|r| text(&r[2])).collect();
    assert_eq!(january, ["开门红"]);
    let row = lines.iter().find(|r| r.first().map(text).as_deref() == Some("2026-01")).unwrap();
    assert_eq!(amount(&row[3]), d("500"));
}

#[test]
fn one_who_joins_and_one_who_leaves() {
    let (ws, _) = story_with_files();
    let (a03, _) = month_rows(&story_file(ws, "A03"));
    let states: Vec<String> = a03.values().map(|r| text(&r[1])).collect();
    assert_eq!(states, ["未在岗", "在岗", "在岗", "在岗"]);
    let identity = sheet_named(&story_file(ws, "A03"), "基本情况");
    let field = |rows: &[Vec<Data>], k: &str| {
        rows.iter().find(|r| r.first().map(text).as_deref() == Some(k)).map(|r| text(&r[1])).unwrap()
    };
    assert_eq!(field(&identity, "入职日期"), "2026-02-10");
    assert_eq!(field(&identity, "级别"), "见习客户经理（T）");

    let (b01, totals) = month_rows(&story_file(ws, "B01"));
    let states: Vec<String> = b01.values().map(|r| text(&r[1])).collect();
    assert_eq!(states, ["在岗", "在岗", "在岗", "未在岗"]);
    let identity = sheet_named(&story_file(ws, "B01"), "基本情况");
    assert_eq!(field(&identity, "离职日期"), "2026-03-15");
    assert!(text(&identity[2][0]).contains("2026-03"), "identity from the latest roster that lists B01");
    // Three months of pay in the totals.
    let (_, payrolls) = story_payrolls(ws);
    let paid: Decimal = payrolls["B01"].values().map(|p| d(&p[24])).sum();
    assert_eq!(amount(&totals[21]), paid);
}

#[test]
fn one_promoted_at_the_quarter() {
    let (ws, _) = story_with_files();
    let path = story_file(ws, "A02");
    let reviews = sheet_named(&path, "考核记录");
    let q1 = reviews.iter().find(|r| r.first().map(text).as_deref() == Some("2026Q1")).expect("Q1's review");
    assert_eq!(text(&q1[1]), "客户经理（L1）");
    assert_eq!(text(&q1[5]), "晋级至 高级客户经理（L2）");
    let reason = text(&q1[6]);
    assert!(reason.contains("达到晋级线") && reason.contains("全季保持本级别"), "{reason}");
    // The quarterly review workbook of March says the same.
    let march = sheet(&ws.reports("2026-03").join("季度考核_2026Q1.xlsx"), 0);
    let row = march.iter().find(|r| r.first().map(text).as_deref() == Some("A02")).unwrap();
    assert_eq!((text(&row[12]), text(&row[13])), (text(&q1[5]), reason));
    // April's roster has L2: a change of level in April.
    let identity = sheet_named(&path, "基本情况");
    let change = identity.iter().find(|r| r.first().map(text).as_deref() == Some("2026-04")).expect("a change");
    assert_eq!(
        (text(&change[1]), text(&change[2]), text(&change[3])),
        ("级别".into(), "客户经理（L1）".into(), "高级客户经理（L2）".into())
    );
}

#[test]
fn one_with_recoveries_adjustments_an_exception_and_prior_period_lines() {
    let (ws, _) = story_with_files();
    let (_, payrolls) = story_payrolls(ws);
    let path = story_file(ws, "A01");
    let lines = sheet_named(&path, "调整与回收");
    let block = |title: &str| -> Vec<Vec<Data>> {
        let start = lines.iter().position(|r| r.first().map(text).as_deref() == Some(title)).unwrap() + 2;
        lines[start..].iter().take_while(|r| r.first().map(text).as_deref() != Some("合计")).cloned().collect()
    };
    // Every adjustment row with its category and reason; the total of the rows that reached pay.
    let adjustments = block("手工调整");
    let feb: Vec<(String, String)> =
        adjustments.iter().filter(|r| text(&r[0]) == "2026-02").map(|r| (text(&r[1]), text(&r[2]))).collect();
    assert_eq!(feb.len(), 6);
    assert_eq!(feb[0], ("奖励".to_string(), "季度营销竞赛第一名".to_string()));
    assert_eq!(feb[2], ("物品赔偿".to_string(), "遗失工牌".to_string()));
    let paid: Decimal = payrolls["A01"].values().map(|p| d(&p[21])).sum();
    let listed: Decimal = adjustments.iter().map(|r| amount(&r[3])).sum();
    assert_eq!(listed, paid, "the adjustments listed are those paid");
    // Recoveries: X1–X3 (paid in January) lost in February; Z1's two accounts (February) in March.
    let clawback = block("开户奖励回收");
    let got: Vec<(String, String, String, Decimal)> =
        clawback.iter().map(|r| (text(&r[0]), text(&r[1]), text(&r[2]), amount(&r[6]))).collect();
    assert_eq!(
        got,
        [
            ("2026-02".into(), "2026-01".into(), "X1".into(), d("-100")),
            ("2026-02".into(), "2026-01".into(), "X2".into(), d("-100")),
            ("2026-02".into(), "2026-01".into(), "X3".into(), d("-100")),
            ("2026-03".into(), "2026-02".into(), "Z1".into(), d("-100")),
            ("2026-03".into(), "2026-02".into(), "Z1".into(), d("-30")),
        ]
    );
    let recovered: Decimal = payrolls["A01"].values().map(|p| d(&p[22])).sum();
    assert_eq!(got.iter().map(|g| g.3).sum::<Decimal>(), recovered);
    // The prior-period lines for the corrected January: each open month after it carries the
    // difference until a month that carried it is closed (SPEC §4.10), as each payroll says.
    let prior = block("以前月份调整");
    let got: Vec<(String, String, Decimal)> = prior.iter().map(|r| (text(&r[0]), text(&r[1]), amount(&r[5]))).collect();
    let want: Vec<(String, String, Decimal)> = ["2026-02", "2026-03", "2026-04"]
        .iter()
        .map(|m| (m.to_string(), "2026-01".to_string(), d(&payrolls["A01"][*m][23])))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got[0].2, d("300"));
    let a02 = sheet_named(&story_file(ws, "A02"), "调整与回收");
    let row =
        a02.iter().find(|r| r.first().map(text).as_deref() == Some("2026-02") && text(&r[1]) == "2026-01").unwrap();
    assert_eq!(amount(&row[5]), d(&payrolls["A02"]["2026-02"][23]));
    assert!(amount(&row[5]) > Decimal::ZERO);
    // The exception naming A01, in its words, and counted in February's row.
    let issues = sheet_named(&path, "数据异常");
    let exception = issues.iter().find(|r| r.first().map(text).as_deref() == Some("2026-02")).expect("an exception");
    assert_eq!(text(&exception[1]), "异常");
    assert!(text(&exception[2]).ends_with("adjustments.csv"));
    assert_eq!(text(&exception[6]), "abc");
    assert!(text(&exception[7]).contains("金额无法识别"), "{}", text(&exception[7]));
    let (months, _) = month_rows(&path);
    assert_eq!(num(&months["2026-02"][24]), 1.0);
    assert_eq!(num(&months["2026-03"][24]), 0.0);
}

/// Every file under `dir` but those under `except`, with its bytes.
fn files_under(dir: &Path, except: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(d: &Path, except: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap().map(Result::unwrap) {
            let p = e.path();
            if p.starts_with(except) {
                continue;
            }
            if p.is_dir() {
                walk(&p, except, out);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, except, &mut out);
    out
}

#[test]
fn dossier_writes_only_its_folder() {
    let (ws, _) = story_with_files();
    let folder = ws.dir.path().join("reports/档案");
    let before = files_under(ws.dir.path(), &folder);
    assert!(before.keys().any(|p| p.to_string_lossy().contains(".ledger")), "the cache is there to be read");
    assert!(before.keys().any(|p| p.to_string_lossy().contains("2026-01/archive")), "and January's archive");
    let o = ws.run(&["dossier", "--from", "2026-01", "--to", "2026-04", "--manager", "A03"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(files_under(ws.dir.path(), &folder), before, "every file outside 档案/ hashes the same");
    let mut names: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["A01", "A02", "A03", "B01", "B02"].map(|id| format!("客户经理档案_{id}_2026-01_2026-04.xlsx")),
        "one file per manager, no temporary file left"
    );
}

#[test]
fn nothing_is_written_for_a_manager_without_a_payroll_row_or_a_range_without_inputs() {
    let (ws, _) = story_with_files();
    let folder = ws.dir.path().join("reports/档案");
    let o = ws.run(&["dossier", "--from", "2026-01", "--to", "2026-04", "--manager", "Z99"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("Z99"), "{}", stderr(&o));
    let o = ws.run(&["dossier", "--from", "2025-01", "--to", "2025-06"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!folder.join("客户经理档案_Z99_2026-01_2026-04.xlsx").exists());
    assert!(!std::fs::read_dir(&folder).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("2025-01")));
}
