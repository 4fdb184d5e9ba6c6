//! Shared helpers of the integration tests: months built as files, the binary, reading back.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook_auto, Data, Reader};

pub const ROSTER_HEADER: &str = "工号,姓名,团队,小组,网点,级别,用工性质,入职日期,转正日期,离职日期,是否组长";
pub const CRM_HEADER: &str =
    "客户号,客户姓名,客户经理编号,关系类型,分配比例,月末资产,日均资产,资金净流入,交易量,净佣金,其他净收入";
pub const ACCOUNTS_HEADER: &str = "资金账号,客户姓名,开户日期,账户类型,开发人员编号,营业网点,首次入金";
pub const ADJ_HEADER: &str = "工号,金额,类别,说明";
pub const SCORES_HEADER: &str = "工号,职责得分";

/// A configuration table that turns the completeness checks (SPEC §4.11) off: for tests that
/// repeat the same hand-made month (which `same_data` rightly calls an old export sent again)
/// and are about something else.
pub const NO_CHECKS: &str = "[checks]\nenabled = false\n";

/// The repository's own folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary workspace with a config pointing at its own data and reports folders and at the
/// shipped salary standards.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        Self::with_config_extra("")
    }

    pub fn with_config_extra(extra: &str) -> Self {
        Self::custom(extra, &[])
    }

    /// A workspace with its own standards folder (files given as name, text) when any are given.
    pub fn custom(extra: &str, standards_files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        let standards = if standards_files.is_empty() {
            repo().join("config/standards")
        } else {
            let s = dir.path().join("standards");
            std::fs::create_dir_all(&s).unwrap();
            for (name, text) in standards_files {
                std::fs::write(s.join(name), text).unwrap();
            }
            s
        };
        let cfg = format!(
            r#"[organization]
name = "测试营业部"
code = "TEST"
[paths]
data = "data"
reports = "reports"
standards = "{}"
[review]
min_duty_score_to_promote = 60
annual_grades = [ {{ grade = "A", top_percent = 20 }}, {{ grade = "B", top_percent = 50 }}, {{ grade = "C", top_percent = 90 }}, {{ grade = "D", top_percent = 100 }} ]
[[teams]]
name = "甲队"
[[teams]]
name = "乙队"
{extra}
"#,
            standards.display()
        );
        std::fs::write(dir.path().join("brokercomp.toml"), cfg).unwrap();
        Workspace { dir }
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("brokercomp.toml")
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    pub fn reports(&self, month: &str) -> PathBuf {
        self.dir.path().join("reports").join(month)
    }

    /// Write `name` into the month folder.
    pub fn file(&self, month: &str, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let d = self.data().join(month);
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Write a CSV of the header and lines.
    pub fn csv(&self, month: &str, name: &str, header: &str, lines: &[&str]) -> PathBuf {
        let mut s = String::from(header);
        s.push('\n');
        for l in lines {
            s.push_str(l);
            s.push('\n');
        }
        self.file(month, name, s)
    }

    /// Run the binary with `args` plus `--config`.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        let cfg = self.config();
        let cfg = cfg.to_str().unwrap();
        all.push("--config");
        all.push(cfg);
        Command::new(env!("CARGO_BIN_EXE_brokercomp")).args(&all).output().expect("run brokercomp")
    }
}

/// A small, clean month: two teams, a leader, a probationer, a part-timer. Its accounts are
/// opened on the 8th to 10th of `month`.
pub fn standard_month(ws: &Workspace, month: &str) {
    ws.csv(
        month,
        "roster.csv",
        ROSTER_HEADER,
        &[
            "A01,甲一,甲队,一组,JT,L2,员工,2020-01-01,2020-04-01,,是",
            "A02,甲二,甲队,一组,JT,L1,员工,2021-01-01,2021-04-01,,否",
            "A03,甲三,甲队,,JT,见习客户经理,员工,2026-09-15,,,否",
            "B01,乙一,乙队,一组,ZS,L1,员工,2022-01-01,2022-04-01,,否",
            "B02,乙二,乙队,一组,ZS,P,兼职,2023-05-01,,,否",
        ],
    );
    ws.csv(
        month,
        "crm.csv",
        CRM_HEADER,
        &[
            "C001,客户一,A01,开发,70%,500000,480000,100000,40000000,20000,1000",
            "C001,客户一,A02,服务,30%,500000,480000,100000,40000000,20000,1000",
            "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000,0",
            "C003,客户三,B01,开发,1,50000,50000,20000,4000000,3000,200",
            "C004,客户四,B02,开发,1,80000,80000,0,2000000,1000,0",
            "C005,客户五,A03,开发,1,30000,30000,30000,0,0,0",
        ],
    );
    let accounts = [
        "C005,客户五,2026-10-08,A股,A03,JT,20000",
        "C005,客户五,2026-10-08,创业板,A03,JT,20000",
        "C004,客户四,2026-10-09,A股,B02,ZS,5000",
        "C009,客户九,2026-10-10,A股,B01,ZS,50000",
    ]
    .map(|l| l.replace("2026-10-", &format!("{month}-")));
    let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    ws.csv(month, "accounts.csv", ACCOUNTS_HEADER, &accounts);
    ws.csv(month, "adjustments.csv", ADJ_HEADER, &["A02,-100,考勤扣款,迟到", "A02,500,奖励,优秀"]);
    ws.csv(month, "scores.csv", SCORES_HEADER, &["A01,90", "A02,80"]);
}

/// Every cell of a sheet as text (numbers as calamine gives them).
pub fn sheet(path: &Path, index: usize) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = wb.sheet_names()[index].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    // Pad so that indices are absolute (row 0 = Excel row 1).
    let mut rows = vec![vec![]; r0 as usize];
    for r in range.rows() {
        let mut v = vec![Data::Empty; c0 as usize];
        v.extend_from_slice(r);
        rows.push(v);
    }
    rows
}

pub fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names().to_vec()
}

pub fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

pub fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// Rows of the payroll CSV (after the BOM), as fields.
pub fn payroll(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "payroll CSV starts with a UTF-8 BOM");
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A story of four months (2026-01 to 2026-04) in a workspace whose 2026 standard recovers lost
/// account bonuses (`[clawback]` months = 3, below 1,000 of assets):
///
/// - A01 甲一, 甲队 一组's leader (L3): net commission in every tier, capped, adjustment rows
///   (six in February, and one whose amount cannot be read: an exception naming A01), three A股
///   accounts opened in January (X1–X3) whose clients are lost in February (clawback), and a
///   prior-period line in February (January, closed, had its adjustment corrected); in February
///   also an A股 and a 创业板 account of one client (Z1) and one not valid (Z2).
/// - A02 甲二 (L1, 甲队 一组): six valid accounts a month; Q1's bars met, so 2026-03's review
///   proposes L2, and 2026-04's roster has L2. January's CRM corrected after the close: a
///   prior-period line in February.
/// - A03 甲三 joins on 2026-02-10 (probation); B01 乙一 (乙队) leaves on 2026-03-15 and is gone
///   from April's roster; B02 乙二 is a part-timer throughout.
pub fn story() -> Workspace {
    let base = std::fs::read_to_string(repo().join("config/standards/2026.toml")).unwrap();
    let standard = base + "\n[clawback]\nmonths = 3\nmin_month_end_assets = 1000\n";
    let ws = Workspace::custom(NO_CHECKS, &[("2026.toml", standard.as_str())]);
    for m in ["2026-01", "2026-02", "2026-03", "2026-04"] {
        story_month(&ws, m);
    }
    let ok = |o: Output, what: &str| assert!(matches!(o.status.code(), Some(0 | 1)), "{what}: {}", stderr(&o));
    ok(ws.run(&["run", "--month", "2026-01"]), "run 2026-01");
    ok(ws.run(&["close", "--month", "2026-01", "--by", "测试"]), "close 2026-01");
    // Corrections of the closed January: A01's adjustment, A02's commission.
    let fix = |name: &str, from: &str, to: &str| {
        let p = ws.data().join("2026-01").join(name);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{name}: {from}");
        std::fs::write(&p, text.replace(from, to)).unwrap();
    };
    fix("adjustments.csv", "A01,500,奖励,开门红", "A01,800,奖励,开门红");
    fix(
        "crm.csv",
        "K2,老客二,A02,开发,1,1000000,1000000,200000,8000000,40000,2000",
        "K2,老客二,A02,开发,1,1000000,1000000,200000,8000000,45000,2000",
    );
    ok(ws.run(&["run", "--from", "2026-02", "--to", "2026-04"]), "run 2026-02..04");
    ws
}

/// One month of [`story`].
fn story_month(ws: &Workspace, m: &str) {
    let month: u32 = m[5..].parse().unwrap();
    let mut roster = vec!["A01,甲一,甲队,一组,JT,L3,员工,2019-01-01,2019-04-01,,是".to_string()];
    roster
        .push(format!("A02,甲二,甲队,一组,JT,{},员工,2021-01-01,2021-04-01,,否", if month >= 4 { "L2" } else { "L1" }));
    if month >= 2 {
        roster.push("A03,甲三,甲队,一组,JT,T,员工,2026-02-10,,,否".into());
    }
    if month <= 3 {
        roster.push("B01,乙一,乙队,一组,ZS,L1,员工,2020-01-01,2020-04-01,2026-03-15,否".into());
    }
    roster.push("B02,乙二,乙队,一组,ZS,P,兼职,2023-05-01,,,否".into());
    let roster: Vec<&str> = roster.iter().map(String::as_str).collect();
    ws.csv(m, "roster.csv", ROSTER_HEADER, &roster);

    let mut crm = vec![
        "K1,老客一,A01,开发,1,5000000,5000000,3000000,90000000,200000,20000".to_string(),
        "K2,老客二,A02,开发,1,1000000,1000000,200000,8000000,40000,2000".to_string(),
        "K5,老客五,B02,开发,1,300000,300000,0,1000000,5000,0".to_string(),
    ];
    if month >= 2 {
        crm.push("K3,老客三,A03,开发,1,50000,50000,10000,100000,1000,0".into());
    }
    if month <= 3 {
        crm.push("K4,老客四,B01,开发,1,800000,800000,0,5000000,20000,500".into());
    }
    // A01's January accounts: funded in January, emptied in February.
    for c in ["X1", "X2", "X3"] {
        let assets = match month {
            1 => "20000",
            _ => "500",
        };
        crm.push(format!("{c},客户{c},A01,开发,1,{assets},{assets},0,0,0,0"));
    }
    let mut accounts: Vec<String> = Vec::new();
    if month == 1 {
        for c in ["X1", "X2", "X3"] {
            accounts.push(format!("{c},客户{c},{m}-05,A股,A01,JT,20000"));
        }
    }
    // In February A01 opens an A股 and a 创业板 account for one client, and one that is not valid.
    if month == 2 {
        crm.push("Z1,客户Z1,A01,开发,1,50000,50000,50000,0,0,0".into());
        accounts.push(format!("Z1,客户Z1,{m}-07,A股,A01,JT,50000"));
        accounts.push(format!("Z1,客户Z1,{m}-07,创业板,A01,JT,50000"));
        accounts.push(format!("Z2,客户Z2,{m}-08,A股,A01,JT,5000"));
    }
    // A02's six valid accounts of the month; their clients stay (in the CRM of later months).
    for opened in 1..=month {
        for i in 1..=6 {
            let c = format!("Y{opened}{i}");
            crm.push(format!("{c},客户{c},A02,开发,1,20000,20000,0,0,0,0"));
            if opened == month {
                accounts.push(format!("{c},客户{c},{m}-06,A股,A02,JT,20000"));
            }
        }
    }
    let crm: Vec<&str> = crm.iter().map(String::as_str).collect();
    ws.csv(m, "crm.csv", CRM_HEADER, &crm);
    let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    ws.csv(m, "accounts.csv", ACCOUNTS_HEADER, &accounts);
    let adjustments: &[&str] = match month {
        1 => &["A01,500,奖励,开门红"],
        2 => &[
            "A01,1000,奖励,季度营销竞赛第一名",
            "A01,-200,考勤扣款,迟到两次",
            "A01,-150,物品赔偿,遗失工牌",
            "A01,300,奖励,客户表扬",
            "A01,-50,考勤扣款,未打卡",
            "A01,88.88,其他,交通补贴",
            "A01,abc,奖励,金额写错",
            "A02,200,奖励,客户表扬",
        ],
        _ => &["A02,100,奖励,带新人"],
    };
    ws.csv(m, "adjustments.csv", ADJ_HEADER, adjustments);
}
