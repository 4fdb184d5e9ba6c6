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
