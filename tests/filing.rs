//! Filing with head office and consolidation across branches (SPEC §4.13, §7).
//!
//! Three branches are generated once by `sample` (different organizations, sizes and seeds; 南山
//! with a sign-off chain of real `ssh-keygen` keys), run, closed and filed. Each test copies their
//! packages into a filings folder of its own, plants what it is about — a hostile package of each
//! class, a member of each kind tampered with, a branch missing, one unregistered, one over the
//! limit — consolidates, and reads the CSV and the workbook back: every amount of a valid branch
//! is the sum of its payroll CSV to the fen, every other branch says why, and nothing is ever
//! written outside the output folder.

mod common;
use common::*;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

const MONTH: &str = "2026-10";
const ROLES: [&str; 3] = ["主办会计", "副经理（经理助理）", "经理"];
const NAMES: [&str; 3] = ["张会计", "李副经理", "王经理"];

/// A generated branch: code, name, the sample's size and seed.
struct Spec {
    code: &'static str,
    name: &'static str,
    managers: &'static str,
    clients: &'static str,
    seed: &'static str,
    signed: bool,
}

const BRANCHES: [Spec; 3] = [
    Spec { code: "SZNS", name: "深圳南山营业部", managers: "12", clients: "500", seed: "101", signed: true },
    Spec { code: "SZFT", name: "深圳福田营业部", managers: "8", clients: "300", seed: "202", signed: false },
    Spec { code: "GZTH", name: "广州天河营业部", managers: "20", clients: "800", seed: "303", signed: false },
];

/// What the branches left behind: their folders, their packages and 南山's signers' keys.
struct Fixture {
    root: PathBuf,
    /// `<code>_202610.zip` of each branch, in [`BRANCHES`]' order.
    packages: Vec<PathBuf>,
    /// 南山's three public keys, in the chain's order.
    publics: Vec<String>,
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_brokercomp"))
}

fn ok(o: &Output) {
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(o));
}

fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let o = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path.to_str().unwrap()])
        .output()
        .expect("ssh-keygen is installed (OpenSSH client)");
    assert!(o.status.success(), "ssh-keygen: {}", String::from_utf8_lossy(&o.stderr));
    (path.clone(), std::fs::read_to_string(path.with_extension("pub")).unwrap().trim().to_string())
}

/// The shipped configuration made a branch's own: its organization, its folders, its signers.
fn branch_config(dir: &Path, spec: &Spec, signers: &str) -> PathBuf {
    let shipped = std::fs::read_to_string(repo().join("config/brokercomp.toml")).unwrap();
    let text = shipped
        .replace("示例证券股份有限公司深圳福田营业部", &format!("示例证券股份有限公司{}", spec.name))
        .replace("code = \"SZFT\"", &format!("code = \"{}\"", spec.code))
        .replace("\"../sample_data\"", &format!("{:?}", dir.join("data").to_str().unwrap()))
        .replace("\"../reports\"", &format!("{:?}", dir.join("reports").to_str().unwrap()))
        .replace(
            "standards = \"standards\"",
            &format!("standards = {:?}", repo().join("config/standards").to_str().unwrap()),
        );
    let path = dir.join("brokercomp.toml");
    std::fs::write(&path, format!("{text}\n{signers}")).unwrap();
    path
}

fn signers_toml(publics: &[String]) -> String {
    (0..3)
        .map(|i| format!("[[signers]]\nname = \"{}\"\nrole = \"{}\"\nkey = \"{}\"\n", NAMES[i], ROLES[i], publics[i]))
        .collect()
}

/// sample → run → (approve ×3) → close → file, for one branch.
fn make_branch(root: &Path, spec: &Spec, publics: &[String], keys: &[PathBuf]) -> PathBuf {
    let dir = root.join(spec.code);
    std::fs::create_dir_all(&dir).unwrap();
    let o = bin()
        .args(["sample", "--out"])
        .arg(dir.join("data"))
        .args([
            "--from",
            MONTH,
            "--to",
            MONTH,
            "--managers",
            spec.managers,
            "--clients",
            spec.clients,
            "--seed",
            spec.seed,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cfg = branch_config(&dir, spec, &if spec.signed { signers_toml(publics) } else { String::new() });
    let run = |args: &[&str]| bin().args(args).arg("--config").arg(&cfg).output().unwrap();
    ok(&run(&["run", "--month", MONTH]));
    if spec.signed {
        for key in keys {
            let o = run(&["approve", "--month", MONTH, "--key", key.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
    }
    let o = run(&["close", "--month", MONTH, "--by", "结账员"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["file", "--month", MONTH, "--to", root.join("filed").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("filed as {}_202610.zip", spec.code)), "{}", stderr(&o));
    root.join("filed").join(format!("{}_202610.zip", spec.code))
}

/// The three branches, generated once for every test of this file.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("filing-fixture");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("keys")).unwrap();
        let (keys, publics): (Vec<PathBuf>, Vec<String>) =
            ["zhang", "li", "wang"].iter().map(|id| keygen(&root.join("keys"), id)).unzip();
        let packages = BRANCHES.iter().map(|s| make_branch(&root, s, &publics, &keys)).collect();
        Fixture { root, packages, publics }
    })
}

/// A branch's payroll CSV as its reports folder holds it.
fn payroll_of(code: &str) -> PathBuf {
    fixture().root.join(code).join("reports").join(MONTH).join(format!("payroll_{MONTH}.csv"))
}

/// A test's own head office: a filings folder with copies of the packages, an output folder.
struct HeadOffice {
    dir: tempfile::TempDir,
}

impl HeadOffice {
    /// Every branch's package, copied.
    fn new() -> Self {
        let h = HeadOffice { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(h.filings()).unwrap();
        for p in &fixture().packages {
            std::fs::copy(p, h.filings().join(p.file_name().unwrap())).unwrap();
        }
        h
    }

    fn filings(&self) -> PathBuf {
        self.dir.path().join("filings")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn package(&self, code: &str) -> PathBuf {
        self.filings().join(format!("{code}_202610.zip"))
    }

    /// branches.toml registering `codes` (南山 with its signers' keys `publics`) and `extra`.
    fn registry(&self, codes: &[&str], publics: &[String], extra: &str) -> PathBuf {
        self.registry_listing(codes, publics, &[0, 1, 2], extra)
    }

    /// branches.toml registering `codes` and `extra`, 南山 with the signers `order` (indices into
    /// the chain's order; none: no signers registered) and their keys `publics`.
    fn registry_listing(&self, codes: &[&str], publics: &[String], order: &[usize], extra: &str) -> PathBuf {
        let mut text = String::new();
        for code in codes {
            let name = BRANCHES.iter().find(|b| b.code == *code).map(|b| b.name).unwrap_or("深圳宝安营业部");
            text.push_str(&format!("[[branches]]\ncode = \"{code}\"\nname = \"{name}\"\n"));
            if *code == "SZNS" {
                for &i in order {
                    text.push_str(&format!(
                        "[[branches.signers]]\nname = \"{}\"\nrole = \"{}\"\nkey = \"{}\"\n",
                        NAMES[i], ROLES[i], publics[i]
                    ));
                }
            }
        }
        text.push_str(extra);
        let path = self.dir.path().join("branches.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The usual registry: the three branches, 南山 with its signers.
    fn all(&self) -> PathBuf {
        self.registry(&["SZNS", "SZFT", "GZTH"], &fixture().publics, "")
    }

    fn consolidate(&self, branches: &Path) -> Output {
        self.consolidate_into(branches, &self.out())
    }

    fn consolidate_into(&self, branches: &Path, out: &Path) -> Output {
        bin()
            .args(["consolidate", "--branches"])
            .arg(branches)
            .args(["--month", MONTH, "--filings"])
            .arg(self.filings())
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    }

    /// consolidated_2026-10.csv's rows (after the header), by code.
    fn rows(&self) -> Vec<Vec<String>> {
        let path = self.out().join(format!("consolidated_{MONTH}.csv"));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM");
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
        let rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(rows[0].join(","), HEADER);
        rows[1..].to_vec()
    }

    fn row(&self, code: &str) -> Vec<String> {
        self.rows().into_iter().find(|r| r[0] == code).unwrap_or_else(|| panic!("no row for {code}"))
    }

    fn workbook(&self) -> PathBuf {
        self.out().join(format!("汇总_{MONTH}.xlsx"))
    }

    /// 问题's rows: code, name, status, package, problem.
    fn problems(&self) -> Vec<Vec<String>> {
        sheet(&self.workbook(), 1).iter().skip(1).map(|r| r.iter().map(text).collect()).collect()
    }

    /// The problems of `code`, as text.
    /// A second copy of `code`'s package `kept` saved as `copy`: two packages of one branch and
    /// month, whatever their names, make both 无效, and 问题 names each one's other.
    fn expect_two_copies_invalid(&self, code: &str, kept: &str, copy: &str) {
        std::fs::copy(self.filings().join(kept), self.filings().join(copy)).unwrap();
        self.expect_invalid(code, &format!("同一营业部同一月份另有备案包 {copy}"));
        let problems = self.problems();
        for (one, other) in [(kept, copy), (copy, kept)] {
            assert!(
                problems.iter().any(|r| r[3] == one && r[4].contains(&format!("同一营业部同一月份另有备案包 {other}"))),
                "{one} names {other}: {problems:?}"
            );
        }
    }

    fn problems_of(&self, code: &str) -> Vec<String> {
        self.problems().into_iter().filter(|r| r[0] == code).map(|r| r[4].clone()).collect()
    }

    /// Expect `code` 无效 with a problem saying `words`, the other branches 已备案, exit 1,
    /// and nothing but the two outputs written.
    fn expect_invalid(&self, code: &str, words: &str) {
        let o = self.consolidate(&self.all());
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        for b in &BRANCHES {
            let row = self.row(b.code);
            let want = if b.code == code { "无效" } else { "已备案" };
            assert_eq!(row[2], want, "{}: {row:?}\n{}", b.code, stderr(&o));
            if b.code == code {
                assert!(row[3..].iter().all(String::is_empty), "no figures for an invalid branch: {row:?}");
            }
        }
        let problems = self.problems_of(code);
        assert!(problems.iter().any(|p| p.contains(words)), "{words:?} among {problems:?}");
        self.only_outputs();
    }

    /// The output folder holds the two outputs and nothing else; the head office folder nothing new.
    fn only_outputs(&self) {
        let mut names: Vec<String> = std::fs::read_dir(self.out())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [format!("consolidated_{MONTH}.csv"), format!("汇总_{MONTH}.xlsx")]);
        let mut top: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        top.sort();
        assert_eq!(top, ["branches.toml", "filings", "out"], "nothing written beside the output folder");
    }
}

const HEADER: &str = "branch_code,branch_name,status,managers,net_commission,other_revenue,net_revenue,net_inflow,month_end_assets,new_accounts,valid_accounts,base_salary,minimum_penalty,net_commission_pay,other_revenue_pay,account_bonus,asset_bonus,leader_override,cap_deduction,adjustments,clawback,prior_period,total,pay_ratio,standard,standard_sha256,closed_at,approved_by";

/// An amount with two decimals as fen.
fn fen(s: &str) -> i128 {
    let (int, frac) = s.split_once('.').unwrap_or_else(|| panic!("{s:?} has no decimals"));
    assert_eq!(frac.len(), 2, "{s:?}: the payroll's two decimals");
    let neg = int.starts_with('-');
    let v = int.trim_start_matches('-').parse::<i128>().unwrap() * 100 + frac.parse::<i128>().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

/// The sums of a payroll CSV's columns from net_commission to total (counts as counts, amounts
/// in fen) and its number of rows.
fn payroll_sums(path: &Path) -> (usize, Vec<i128>) {
    let rows = payroll(path);
    let header = &rows[0];
    let first = header.iter().position(|h| h == "net_commission").unwrap();
    let mut sums = vec![0i128; header.len() - first];
    for r in &rows[1..] {
        for (i, v) in r[first..].iter().enumerate() {
            let key = &header[first + i];
            sums[i] += if key.ends_with("accounts") { v.parse::<i128>().unwrap() } else { fen(v) };
        }
    }
    (rows.len() - 1, sums)
}

// --- zip surgery on copies of the packages --------------------------------------------------

/// Every member of a zip: name and bytes, in order.
fn members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

fn write_zip(path: &Path, members: &[(String, Vec<u8>)]) {
    let mut z = ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in members {
        z.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// Replace member `name` of the package with `edit(bytes)`; with `refile`, filing.json's size and
/// SHA-256 of it are made to agree (an attacker who knows the format).
fn tamper(package: &Path, name: &str, refile: bool, edit: impl Fn(Vec<u8>) -> Vec<u8>) {
    let mut ms = members(package);
    let m = ms.iter_mut().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no member {name}"));
    m.1 = edit(std::mem::take(&mut m.1));
    let new = m.1.clone();
    if refile {
        let fj = ms.iter_mut().find(|(n, _)| n == "filing.json").unwrap();
        let mut v: serde_json::Value = serde_json::from_slice(&fj.1).unwrap();
        for f in v["files"].as_array_mut().unwrap() {
            if f["name"] == name {
                f["size"] = serde_json::json!(new.len());
                f["sha256"] = serde_json::json!(sha256_hex(&new));
            }
        }
        fj.1 = (serde_json::to_string_pretty(&v).unwrap() + "\n").into_bytes();
    }
    write_zip(package, &ms);
}

fn replace_text(bytes: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains(from), "{from:?} in the member");
    text.replacen(from, to, 1).into_bytes()
}

// --- the branch's side ------------------------------------------------------------------------

#[test]
fn a_closed_month_is_filed_as_the_spec_lists_it_and_byte_identically() {
    let f = fixture();
    let ns = &f.packages[0];
    let names: Vec<String> = members(ns).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "approvals.jsonl",
            "archive/config/brokercomp.toml",
            "archive/standards/2026.toml",
            "close.json",
            "filing.json",
            "manifest.json",
            "payroll_2026-10.csv",
            "团队分析_2026-10.xlsx",
            "薪酬月报表_2026-10.xlsx",
        ],
        "members in name order"
    );
    // Without signers there is no approvals.jsonl.
    assert!(!members(&f.packages[1]).iter().any(|(n, _)| n == "approvals.jsonl"));
    // filing.json: the branch, the month, the close, every other file with its size and hash as
    // the month's folder holds it, and the payroll's totals.
    let ms = members(ns);
    let filing: serde_json::Value =
        serde_json::from_slice(&ms.iter().find(|(n, _)| n == "filing.json").unwrap().1).unwrap();
    assert_eq!(filing["organization"]["code"], "SZNS");
    assert_eq!(filing["organization"]["name"], "示例证券股份有限公司深圳南山营业部");
    assert_eq!(filing["month"], MONTH);
    assert_eq!(filing["closed_by"], "结账员");
    let dir = f.root.join("SZNS/reports").join(MONTH);
    let files = filing["files"].as_array().unwrap();
    assert_eq!(files.len(), names.len() - 1);
    for file in files {
        let name = file["name"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(file["size"], bytes.len(), "{name}");
        assert_eq!(file["sha256"], sha256_hex(&bytes), "{name}");
        assert_eq!(ms.iter().find(|(n, _)| n == name).unwrap().1, bytes, "{name} packed as it is");
    }
    let (rows, sums) = payroll_sums(&dir.join("payroll_2026-10.csv"));
    assert_eq!(filing["totals"]["managers"], rows);
    assert_eq!(fen(filing["totals"]["total"].as_str().unwrap()), *sums.last().unwrap());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(filing["totals"], manifest["totals"], "the payroll sums to the manifest's totals");

    // The same closed month gives the same bytes, wherever and whenever it is filed.
    let again = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["file", "--month", MONTH, "--to"])
        .arg(again.path().join("new folder"))
        .arg("--config")
        .arg(f.root.join("SZNS/brokercomp.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let second = again.path().join("new folder/SZNS_202610.zip");
    assert_eq!(std::fs::read(&second).unwrap(), std::fs::read(ns).unwrap(), "byte-identical");
    let entries: Vec<_> = std::fs::read_dir(again.path().join("new folder")).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&second).unwrap().permissions().mode() & 0o777, 0o600, "pay data: 0600");
    }
}

#[test]
fn file_refuses_an_open_month_and_a_closed_one_that_changed() {
    let ws = Workspace::new();
    standard_month(&ws, MONTH);
    ok(&ws.run(&["run", "--month", MONTH]));
    let to = ws.dir.path().join("to head office");
    let o = ws.run(&["file", "--month", MONTH, "--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("2026-10 is not closed"), "{}", stderr(&o));
    assert!(!to.join("TEST_202610.zip").exists(), "nothing written");

    let o = ws.run(&["close", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The payroll altered after the close: refused, naming it.
    let payroll = ws.reports(MONTH).join("payroll_2026-10.csv");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&payroll, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let original = std::fs::read(&payroll).unwrap();
    std::fs::write(&payroll, [&original[..], b"X"].concat()).unwrap();
    let o = ws.run(&["file", "--month", MONTH, "--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("payroll_2026-10.csv is not as it was closed"), "{}", stderr(&o));
    assert!(!to.join("TEST_202610.zip").exists());
    std::fs::write(&payroll, &original).unwrap();
    // An archived file altered: a closed month is used only while its archive is whole.
    let archived = ws.reports(MONTH).join("archive/data/2026-10/roster.csv");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&archived, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let roster = std::fs::read(&archived).unwrap();
    std::fs::write(&archived, [&roster[..], b"\n"].concat()).unwrap();
    let o = ws.run(&["file", "--month", MONTH, "--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("archive/data/2026-10/roster.csv has changed"), "{}", stderr(&o));
    std::fs::write(&archived, &roster).unwrap();
    let o = ws.run(&["file", "--month", MONTH, "--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "whole again: {}", stderr(&o));
    assert!(to.join("TEST_202610.zip").is_file());
}

// --- head office: a clean month ----------------------------------------------------------------

#[test]
fn a_clean_consolidation_sums_every_branch_to_the_fen() {
    let h = HeadOffice::new();
    let o = h.consolidate(&h.all());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = h.rows();
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["SZNS", "SZFT", "GZTH"], "registry order");
    let mut grand = vec![0i128; 19];
    for (b, row) in BRANCHES.iter().zip(&rows) {
        assert_eq!(row[1], b.name, "the registry's name");
        assert_eq!(row[2], "已备案");
        let (managers, sums) = payroll_sums(&payroll_of(b.code));
        assert_eq!(row[3], managers.to_string(), "{}: managers", b.code);
        let header: Vec<&str> = HEADER.split(',').collect();
        for (i, sum) in sums.iter().enumerate() {
            let key = header[4 + i];
            let shown = if key.ends_with("accounts") { row[4 + i].parse::<i128>().unwrap() } else { fen(&row[4 + i]) };
            assert_eq!(shown, *sum, "{} {key}: the payroll's sum to the fen", b.code);
            grand[i] += sum;
        }
        // pay_ratio = total ÷ net revenue, 4 decimals, half up.
        let (total, revenue) = (sums[sums.len() - 1], sums[2]);
        let ratio = row[23].parse::<f64>().unwrap();
        assert!((ratio - total as f64 / revenue as f64).abs() <= 0.00005 + 1e-12, "{}: {ratio}", b.code);
        assert_eq!(row[23].split('.').nth(1).unwrap().len(), 4);
        assert_eq!(row[24], "2026年客户经理薪酬标准");
        assert_eq!(row[25].len(), 64);
        assert!(row[26].ends_with('Z'), "{}", row[26]);
        let want = if b.signed { NAMES.join("/") } else { String::new() };
        assert_eq!(row[27], want, "approved_by: the chain verified against head office's keys");
    }
    // The workbook: the same figures, the totals of the valid branches, nothing in 问题.
    let book = sheet(&h.workbook(), 0);
    let header_row = book.iter().position(|r| r.first().map(text).as_deref() == Some("机构代码")).unwrap();
    for (i, b) in BRANCHES.iter().enumerate() {
        let r = &book[header_row + 1 + i];
        assert_eq!(text(&r[0]), b.code);
        assert_eq!(text(&r[2]), "已备案");
        let (_, sums) = payroll_sums(&payroll_of(b.code));
        assert!((num(&r[22]) * 100.0 - sums[18] as f64).abs() < 0.5, "{}: 应发合计 {}", b.code, num(&r[22]));
    }
    let totals = &book[header_row + 4];
    assert_eq!(text(&totals[0]), "合计（已备案）");
    for (i, sum) in grand.iter().enumerate() {
        let shown = num(&totals[4 + i]);
        let want =
            if HEADER.split(',').nth(4 + i).unwrap().ends_with("accounts") { *sum as f64 } else { *sum as f64 / 100.0 };
        assert!((shown - want).abs() < 0.005, "totals column {i}: {shown} vs {want}");
    }
    let all_text: String = book.iter().flatten().map(text).collect::<Vec<_>>().join("|");
    for words in ["制表（签字）", "复核（签字）", "经纪业务综合室负责人（签字）"] {
        assert!(all_text.contains(words), "head office's sign-off: {words}");
    }
    assert_eq!(sheet_names(&h.workbook()), ["汇总", "问题"]);
    assert_eq!(h.problems()[0][0], "无问题：所有登记营业部均已备案，且无超限");
    // Print-ready: A4 landscape, one page wide, header rows repeated, page X of Y.
    let mut z = ZipArchive::new(std::fs::File::open(h.workbook()).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains("paperSize=\"9\"") && xml.contains("orientation=\"landscape\""), "A4 landscape");
    assert!(xml.contains("fitToHeight=\"0\"") && xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "one page wide");
    assert!(xml.contains("第 &amp;P 页 / 共 &amp;N 页"), "page X of Y");
    let mut wb = String::new();
    z.by_name("xl/workbook.xml").unwrap().read_to_string(&mut wb).unwrap();
    assert!(wb.contains("_xlnm.Print_Titles"), "header rows repeated");
    h.only_outputs();
}

#[test]
fn the_same_packages_give_byte_identical_outputs() {
    let h = HeadOffice::new();
    let branches =
        h.registry(&["SZNS", "SZFT", "GZTH", "SZBA"], &fixture().publics, "[limits]\nmax_pay_ratio = \"0.3\"\n");
    assert_eq!(h.consolidate(&branches).status.code(), Some(1));
    let other = h.dir.path().join("again");
    assert_eq!(h.consolidate_into(&branches, &other).status.code(), Some(1));
    for name in [format!("汇总_{MONTH}.xlsx"), format!("consolidated_{MONTH}.csv")] {
        assert_eq!(std::fs::read(h.out().join(&name)).unwrap(), std::fs::read(other.join(&name)).unwrap(), "{name}");
    }
}

// --- head office: branches that are not as they should be --------------------------------------

#[test]
fn a_branch_without_a_package_is_missing() {
    let h = HeadOffice::new();
    let o = h.consolidate(&h.registry(&["SZNS", "SZFT", "SZBA", "GZTH"], &fixture().publics, ""));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let rows = h.rows();
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["SZNS", "SZFT", "SZBA", "GZTH"]);
    assert_eq!(rows[2][..3], ["SZBA", "深圳宝安营业部", "缺失"]);
    assert!(rows[2][3..].iter().all(String::is_empty));
    assert_eq!(h.problems_of("SZBA"), ["未收到本月备案包"]);
    assert!(rows.iter().filter(|r| r[0] != "SZBA").all(|r| r[2] == "已备案"));
}

#[test]
fn a_package_of_an_unregistered_code_is_listed_apart() {
    let h = HeadOffice::new();
    let o = h.consolidate(&h.registry(&["SZNS", "SZFT"], &fixture().publics, ""));
    assert_eq!(o.status.code(), Some(0), "every registered branch is filed: {}", stderr(&o));
    let rows = h.rows();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2][..3], ["GZTH", "示例证券股份有限公司广州天河营业部", "未登记"], "name from filing.json");
    assert!(rows[2][3..].iter().all(String::is_empty));
    let problems = h.problems();
    assert!(
        problems.iter().any(|r| r[0] == "GZTH"
            && r[2] == "未登记"
            && r[3] == "GZTH_202610.zip"
            && r[4].contains("未在 branches.toml 登记")),
        "{problems:?}"
    );
    // It is not in 汇总's rows of branches.
    let book = sheet(&h.workbook(), 0);
    assert!(!book.iter().any(|r| r.first().map(text).as_deref() == Some("GZTH")));
}

#[test]
fn a_branch_over_the_pay_ratio_limit_stays_filed_and_is_flagged() {
    let h = HeadOffice::new();
    assert_eq!(h.consolidate(&h.all()).status.code(), Some(0));
    let mut ratios: Vec<(String, String)> = h.rows().iter().map(|r| (r[0].clone(), r[23].clone())).collect();
    ratios.sort_by(|a, b| a.1.parse::<f64>().unwrap().total_cmp(&b.1.parse::<f64>().unwrap()));
    assert!(ratios[1].1 != ratios[2].1, "distinct ratios: {ratios:?}");
    // The limit at the second highest ratio: only the highest is above it.
    let (highest, limit) = (&ratios[2].0, &ratios[1].1);
    let o = h.consolidate(&h.all_with(&format!("[limits]\nmax_pay_ratio = \"{limit}\"\n")));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    for r in h.rows() {
        assert_eq!(r[2], "已备案", "{r:?}");
        assert!(!r[4].is_empty(), "its figures are there");
    }
    let problems = h.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0][0].as_str(), problems[0][2].as_str()), (highest.as_str(), "超限"));
    assert!(problems[0][4].starts_with("超限：薪酬占净收入比"), "{:?}", problems[0][4]);
    let book = sheet(&h.workbook(), 0);
    let row = book.iter().find(|r| r.first().map(text).as_deref() == Some(highest.as_str())).unwrap();
    assert_eq!(text(&row[2]), "已备案\n（超限）");
}

impl HeadOffice {
    fn all_with(&self, extra: &str) -> PathBuf {
        self.registry(&["SZNS", "SZFT", "GZTH"], &fixture().publics, extra)
    }
}

#[test]
fn the_chain_is_verified_against_head_offices_keys_not_the_packages() {
    let h = HeadOffice::new();
    // Head office registers another key for 王经理: the package's chain, signed with the key the
    // branch's own configuration registers, does not verify.
    let keys = tempfile::tempdir().unwrap();
    let (_, stranger) = keygen(keys.path(), "stranger");
    let mut publics = fixture().publics.clone();
    publics[2] = stranger;
    let o = h.consolidate(&h.registry(&["SZNS", "SZFT", "GZTH"], &publics, ""));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(h.row("SZNS")[2], "无效");
    let problems = h.problems_of("SZNS");
    assert!(problems.iter().any(|p| p.contains("第 3 行") && p.contains("not a registered signer")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("签字链不完整") && p.contains("经理")), "{problems:?}");
}

#[test]
fn a_registry_that_is_not_valid_stops_before_anything_is_written() {
    let h = HeadOffice::new();
    let path = h.dir.path().join("branches.toml");
    for (text, words) in [
        ("[[branches]]\ncode = \"SZNS\"\nname = \"南山\"\n[[branches]]\ncode = \"SZNS\"\nname = \"又是南山\"\n", "branches[1].code: \"SZNS\" is listed twice"),
        ("[[branches]]\ncode = \"SZNS\"\nname = \"南山\"\nmanager = \"x\"\n", "unknown field `manager`"),
        ("[[branches]]\ncode = \"SZNS\"\nname = \"南山\"\n[limits]\nmax_pay_ratio = \"0.4x\"\n", "limits.max_pay_ratio: \"0.4x\" is not a decimal"),
        ("[[branches]]\ncode = \"SZNS\"\nname = \"南山\"\n[[branches.signers]]\nname = \"张\"\nrole = \"主办会计\"\nkey = \"ssh-rsa AAAA\"\n", "branches[0].signers[0].key"),
    ] {
        std::fs::write(&path, text).unwrap();
        let o = h.consolidate(&path);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(words), "{words:?} in {}", stderr(&o));
        assert!(!h.out().exists(), "nothing written");
    }
}

// --- hostile packages: one test per class --------------------------------------------------------

/// 福田's package with `extra` members added after its own.
fn with_extra(h: &HeadOffice, extra: impl Fn(&mut ZipWriter<std::fs::File>)) {
    let p = h.package("SZFT");
    let ms = members(&p);
    let mut z = ZipWriter::new(std::fs::File::create(&p).unwrap());
    for (name, bytes) in &ms {
        z.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    extra(&mut z);
    z.finish().unwrap();
}

#[test]
fn hostile_a_member_path_that_is_absolute_or_climbs_out() {
    for evil in ["../../outside.txt", "/tmp/brokercomp-absolute.txt"] {
        let h = HeadOffice::new();
        with_extra(&h, |z| {
            z.start_file(evil, SimpleFileOptions::default()).unwrap();
            z.write_all(b"written where it should not be").unwrap();
        });
        h.expect_invalid("SZFT", &format!("成员 {evil:?} 的路径为绝对路径或越出备案包"));
        assert!(!h.dir.path().join("outside.txt").exists() && !h.out().join("../../outside.txt").exists());
    }
}

#[test]
fn hostile_a_member_that_is_a_link() {
    let h = HeadOffice::new();
    with_extra(&h, |z| z.add_symlink("passwd", "/etc/passwd", SimpleFileOptions::default()).unwrap());
    h.expect_invalid("SZFT", "成员 \"passwd\" 是符号链接");
}

#[test]
fn hostile_a_member_declaring_more_than_512_mib() {
    let h = HeadOffice::new();
    with_extra(&h, |z| {
        z.start_file("big.bin", SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored))
            .unwrap();
        z.write_all(b"small").unwrap();
    });
    // The central directory declares 600 MiB for it: a size is declared, not true.
    let p = h.package("SZFT");
    let mut bytes = std::fs::read(&p).unwrap();
    let at = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .find(|i| bytes[i + 46..].starts_with(b"big.bin"))
        .expect("big.bin's central header");
    bytes[at + 24..at + 28].copy_from_slice(&(600u32 << 20).to_le_bytes());
    std::fs::write(&p, bytes).unwrap();
    h.expect_invalid("SZFT", "成员 \"big.bin\" 声明大小 629145600 字节，超过 512 MiB 上限");
}

#[test]
fn hostile_a_package_above_2_gib() {
    let h = HeadOffice::new();
    // A sparse file: more than 2 GiB long, hardly any of it on disk, never read.
    let f = std::fs::OpenOptions::new().write(true).open(h.package("SZFT")).unwrap();
    f.set_len((2u64 << 30) + 1).unwrap();
    drop(f);
    h.expect_invalid("SZFT", "备案包 2147483649 字节，超过 2048 MiB 上限");
}

#[test]
fn hostile_a_zip_that_does_not_open() {
    let h = HeadOffice::new();
    let bytes = std::fs::read(h.package("SZFT")).unwrap();
    std::fs::write(h.package("SZFT"), &bytes[..bytes.len() / 2]).unwrap();
    h.expect_invalid("SZFT", "不是可以打开的 zip 文件");
}

#[test]
fn hostile_a_filing_json_that_does_not_parse() {
    let h = HeadOffice::new();
    tamper(&h.package("SZFT"), "filing.json", false, |_| b"{\"organization\": ".to_vec());
    h.expect_invalid("SZFT", "filing.json 无法解析");
}

#[test]
fn hostile_a_filing_json_listing_more_files_than_a_package_holds() {
    let h = HeadOffice::new();
    tamper(&h.package("SZFT"), "filing.json", false, |b| {
        let mut v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        let files = v["files"].as_array_mut().unwrap();
        for i in 0..1001 {
            files.push(serde_json::json!({ "name": format!("x{i}"), "size": 1, "sha256": "00" }));
        }
        serde_json::to_vec(&v).unwrap()
    });
    h.expect_invalid("SZFT", "lists 1008 files, more than a package holds (1000)");
}

#[test]
fn hostile_two_packages_of_one_branch_and_month_make_both_invalid() {
    let h = HeadOffice::new();
    h.expect_two_copies_invalid("SZFT", "SZFT_202610.zip", "SZFT_202610 (2).zip");
}

#[test]
fn a_package_for_another_month_is_left_out() {
    let h = HeadOffice::new();
    tamper(&h.package("GZTH"), "filing.json", false, |b| {
        replace_text(b, "\"month\": \"2026-10\"", "\"month\": \"2026-09\"")
    });
    let o = h.consolidate(&h.all());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("GZTH_202610.zip: filed for 2026-09, not 2026-10: left out"), "{}", stderr(&o));
    assert_eq!(h.row("GZTH")[2], "缺失");
}

// --- what identifies a package, and who signed it --------------------------------------------------

#[test]
fn a_package_is_identified_by_its_filing_json_whatever_its_file_name() {
    let h = HeadOffice::new();
    // 福田's package as a clerk saved it: the name is not a validity condition (SPEC §4.13).
    std::fs::rename(h.package("SZFT"), h.filings().join("szft-july.zip")).unwrap();
    let o = h.consolidate(&h.all());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let row = h.row("SZFT");
    assert_eq!(row[2], "已备案", "{row:?}\n{}", stderr(&o));
    let (managers, sums) = payroll_sums(&payroll_of("SZFT"));
    assert_eq!(row[3], managers.to_string());
    assert_eq!(fen(&row[22]), *sums.last().unwrap(), "its figures are its payroll's");
    assert_eq!(h.problems()[0][0], "无问题：所有登记营业部均已备案，且无超限");
    // A second copy of it under yet another name: two packages of one branch and month, whatever
    // their names, make both 无效.
    h.expect_two_copies_invalid("SZFT", "szft-july.zip", "福田 十月.zip");
}

#[test]
fn a_package_attributed_to_no_branch_is_named_on_stderr_and_in_problems_not_dropped() {
    let h = HeadOffice::new();
    // Neither reads, and neither name is <code>_<YYYYMM>.zip: nothing says whose they are.
    std::fs::write(h.filings().join("junk.zip"), b"not a zip at all").unwrap();
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file("notes.txt", SimpleFileOptions::default()).unwrap();
    z.write_all(b"a zip, but no filing").unwrap();
    std::fs::write(h.filings().join("notes.zip"), z.finish().unwrap().into_inner()).unwrap();
    let o = h.consolidate(&h.all());
    // The exit status is the SPEC's: every registered branch is 已备案 and none 超限.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("junk.zip: attributed to no branch") && err.contains("not a zip archive that opens"), "{err}");
    assert!(err.contains("notes.zip: attributed to no branch") && err.contains("has no filing.json"), "{err}");
    assert!(err.contains("2 attributed to no branch"), "{err}");
    // No CSV row for them.
    assert_eq!(h.rows().iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["SZNS", "SZFT", "GZTH"]);
    // 问题: the file and the reason.
    let problems = h.problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0][..4], ["", "", "无法归属", "junk.zip"]);
    assert!(problems[0][4].contains("不是可以打开的 zip 文件"), "{problems:?}");
    assert_eq!(problems[1][..4], ["", "", "无法归属", "notes.zip"]);
    assert_eq!(problems[1][4], "备案包中没有 filing.json");
    h.only_outputs();
}

/// 南山's row of 汇总: its 审核签字 cell, and the sheet's text.
fn signed_cell(h: &HeadOffice) -> (String, String) {
    let book = sheet(&h.workbook(), 0);
    let header = book.iter().find(|r| r.first().map(text).as_deref() == Some("机构代码")).unwrap();
    let col = header.iter().position(|c| text(c) == "审核签字").unwrap();
    let row = book.iter().find(|r| r.first().map(text).as_deref() == Some("SZNS")).unwrap();
    (text(&row[col]), book.iter().flatten().map(text).collect::<Vec<_>>().join("|"))
}

#[test]
fn without_registered_signers_approved_by_names_the_packed_chain_unverified() {
    let h = HeadOffice::new();
    let o = h.consolidate(&h.registry_listing(&["SZNS", "SZFT", "GZTH"], &[], &[], ""));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let row = h.row("SZNS");
    assert_eq!(row[2], "已备案");
    assert_eq!(row[27], "张会计/李副经理/王经理", "the chain's names in order");
    assert_eq!(h.row("SZFT")[27], "", "福田 packs no chain");
    // 汇总 does not claim more than that.
    let (cell, all) = signed_cell(&h);
    assert_eq!(cell, "张会计/\n李副经理/\n王经理\n（未经总部验证）");
    assert!(all.contains("总部未在 branches.toml 登记其签字人"), "the note under the totals");
    // With the signers registered the same names are verified, and say nothing more.
    assert_eq!(h.consolidate(&h.all()).status.code(), Some(0));
    assert_eq!(h.row("SZNS")[27], "张会计/李副经理/王经理");
    let (cell, all) = signed_cell(&h);
    assert_eq!(cell, "张会计/\n李副经理/\n王经理");
    assert!(!all.contains("未经总部验证"), "{all}");

    // A chain whose last statement rejects the packed manifest approves nothing: approved_by is
    // empty (the package stays 已备案: without registered signers the chain is no condition).
    let package = h.package("SZNS");
    let approvals = members(&package).into_iter().find(|(n, _)| n == "approvals.jsonl").unwrap().1;
    let jsonl = String::from_utf8(approvals).unwrap();
    let lines: Vec<&str> = jsonl.lines().collect();
    let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    let second = second["statement"].as_str().unwrap();
    let manifest = serde_json::from_str::<serde_json::Value>(second).unwrap()["manifest_sha256"].clone();
    let reject = format!(
        r#"{{"organization":"SZNS","month":"2026-10","manifest_sha256":{manifest},"role":"经理","name":"王经理","decision":"reject","reason":"数据有误","previous":"{}","at":"2026-12-06T08:00:00Z"}}"#,
        sha256_hex(second.as_bytes())
    );
    let dir = tempfile::tempdir().unwrap();
    let message = dir.path().join("statement");
    std::fs::write(&message, format!("{reject}\n")).unwrap();
    let key = fixture().root.join("keys/wang");
    let o = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", "brokercomp", "-f"])
        .arg(&key)
        .arg(&message)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let signature = std::fs::read_to_string(dir.path().join("statement.sig")).unwrap();
    let record = serde_json::json!({ "statement": reject, "signature": signature }).to_string();
    tamper(&package, "approvals.jsonl", true, |_| format!("{}\n{}\n{record}\n", lines[0], lines[1]).into_bytes());
    let o = h.consolidate(&h.registry_listing(&["SZNS", "SZFT", "GZTH"], &[], &[], ""));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let row = h.row("SZNS");
    assert_eq!((row[2].as_str(), row[27].as_str()), ("已备案", ""), "a rejected chain names nobody");
    // Head office registering the signers finds the same package 无效: rejected.
    h.expect_invalid("SZNS", "已被 王经理（经理）驳回：数据有误");
}

#[test]
fn the_chains_turn_is_the_packed_signoff_not_the_registrys_order() {
    let h = HeadOffice::new();
    // 南山's signers listed 经理 first: who may sign for which role is all the registry says.
    let o = h.consolidate(&h.registry_listing(&["SZNS", "SZFT", "GZTH"], &fixture().publics, &[2, 1, 0], ""));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let row = h.row("SZNS");
    assert_eq!(row[2], "已备案", "{row:?}\n{}", stderr(&o));
    assert_eq!(row[27], "张会计/李副经理/王经理", "in the turn of report.signoff");
}

/// Replace the package's archived configuration with `config`, and reseal what records it as an
/// attacker who knows the format would: the manifest's SHA-256 of it, close.json's of both, and
/// filing.json's sizes and SHA-256s. The chain, signed over the old manifest, is then stale.
fn reseal_config(package: &Path, config: &[u8]) {
    let ms = members(package);
    let get = |name: &str| ms.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let name = "archive/config/brokercomp.toml";
    let (old_config, new_config) = (sha256_hex(&get(name)), sha256_hex(config));
    let old_manifest = sha256_hex(&get("manifest.json"));
    let manifest = String::from_utf8(get("manifest.json")).unwrap().replace(&old_config, &new_config);
    let new_manifest = sha256_hex(manifest.as_bytes());
    let close = String::from_utf8(get("close.json"))
        .unwrap()
        .replace(&old_config, &new_config)
        .replace(&old_manifest, &new_manifest);
    tamper(package, name, true, |_| config.to_vec());
    tamper(package, "manifest.json", true, |_| manifest.clone().into_bytes());
    tamper(package, "close.json", true, |_| close.clone().into_bytes());
}

#[test]
fn a_packed_configuration_that_does_not_parse_is_a_reason_only_where_it_orders_a_chain_to_verify() {
    let h = HeadOffice::new();
    for code in ["SZNS", "SZFT"] {
        reseal_config(&h.package(code), b"[organization\nname = ");
    }
    // Without registered signers nothing needs its report.signoff: both 已备案, naming nobody.
    let o = h.consolidate(&h.registry_listing(&["SZNS", "SZFT", "GZTH"], &[], &[], ""));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for code in ["SZNS", "SZFT"] {
        let row = h.row(code);
        assert_eq!((row[2].as_str(), row[27].as_str()), ("已备案", ""), "{row:?}");
    }
    // With 南山's signers registered, its chain must be ordered and verified: 无效, saying why.
    h.expect_invalid("SZNS", "archive/config/brokercomp.toml 无法解析（TOML parse error");
}

#[test]
fn a_package_whose_signoff_leaves_out_a_registered_role_is_invalid() {
    // 罗湖 signs with two roles only (主办会计 → 经理), closes and files; the package is whole.
    let f = fixture();
    let root = tempfile::tempdir().unwrap();
    let spec =
        Spec { code: "SZLH", name: "深圳罗湖营业部", managers: "4", clients: "100", seed: "505", signed: true };
    let dir = root.path().join(spec.code);
    let o = bin()
        .args(["sample", "--out"])
        .arg(dir.join("data"))
        .args(["--from", MONTH, "--to", MONTH, "--managers", spec.managers, "--clients", spec.clients])
        .args(["--seed", spec.seed])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let signers = [0, 2]
        .iter()
        .map(|&i| {
            format!("[[signers]]\nname = \"{}\"\nrole = \"{}\"\nkey = \"{}\"\n", NAMES[i], ROLES[i], f.publics[i])
        })
        .collect::<String>();
    let cfg = branch_config(&dir, &spec, &signers);
    let shipped = std::fs::read_to_string(&cfg).unwrap();
    let full = "signoff = [\"制表\", \"主办会计\", \"副经理（经理助理）\", \"经理\"]";
    assert!(shipped.contains(full), "the shipped signoff");
    std::fs::write(&cfg, shipped.replace(full, "signoff = [\"制表\", \"主办会计\", \"经理\"]")).unwrap();
    let run = |args: &[&str]| bin().args(args).arg("--config").arg(&cfg).output().unwrap();
    ok(&run(&["run", "--month", MONTH]));
    for key in ["zhang", "wang"] {
        let o = run(&["approve", "--month", MONTH, "--key", f.root.join("keys").join(key).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let o = run(&["close", "--month", MONTH, "--by", "结账员"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let filings = root.path().join("filed");
    let o = run(&["file", "--month", MONTH, "--to", filings.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let consolidate = |order: &[usize]| {
        let mut toml = format!("[[branches]]\ncode = \"{}\"\nname = \"{}\"\n", spec.code, spec.name);
        for &i in order {
            toml.push_str(&format!(
                "[[branches.signers]]\nname = \"{}\"\nrole = \"{}\"\nkey = \"{}\"\n",
                NAMES[i], ROLES[i], f.publics[i]
            ));
        }
        let registry = root.path().join("branches.toml");
        std::fs::write(&registry, toml).unwrap();
        let out = root.path().join("out");
        let o = bin()
            .args(["consolidate", "--branches"])
            .arg(&registry)
            .args(["--month", MONTH, "--filings"])
            .arg(&filings)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let csv = std::fs::read_to_string(out.join(format!("consolidated_{MONTH}.csv"))).unwrap();
        let row: Vec<String> = csv.lines().nth(1).unwrap().split(',').map(str::to_string).collect();
        let problems: Vec<String> =
            sheet(&out.join(format!("汇总_{MONTH}.xlsx")), 1).iter().skip(1).map(|r| text(&r[4])).collect();
        (o, row, problems)
    };
    // Head office registers the two who sign: 已备案, in the branch's turn.
    let (o, row, _) = consolidate(&[2, 0]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!((row[2].as_str(), row[27].as_str()), ("已备案", "张会计/王经理"));
    // Head office registers a signer for 副经理（经理助理） too: a package does not leave out a
    // role head office expects to sign.
    let (o, row, problems) = consolidate(&[0, 1, 2]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(row[2], "无效");
    assert!(
        problems.iter().any(|p| p.contains("report.signoff：主办会计 → 经理")
            && p.contains("缺少")
            && p.contains("副经理（经理助理）")),
        "{problems:?}"
    );
}

// --- a member of each kind tampered with -------------------------------------------------------------

#[test]
fn tampered_payroll_even_with_filing_json_made_to_agree() {
    let h = HeadOffice::new();
    // One fen more for the first manager, and filing.json's size and hash updated to match.
    tamper(&h.package("SZFT"), "payroll_2026-10.csv", true, |b| {
        let text = String::from_utf8(b).unwrap();
        let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
        let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
        let last = fields.len() - 1;
        for i in [13, last] {
            fields[i] = format!("{:.2}", fen(&fields[i]) as f64 / 100.0 + 0.01);
        }
        lines[1] = fields.join(",");
        lines.join("\r\n").into_bytes()
    });
    h.expect_invalid("SZFT", "payroll_2026-10.csv 的 SHA-256 与 manifest.json 记录的不同");
    let problems = h.problems_of("SZFT");
    assert!(
        problems.iter().any(|p| p.contains("payroll_2026-10.csv 与 close.json 记录的 SHA-256 不同")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("payroll CSV 的 base_salary 合计为") && p.contains("filing.json 记录为")),
        "{problems:?}"
    );
}

#[test]
fn tampered_report() {
    let h = HeadOffice::new();
    tamper(&h.package("GZTH"), "薪酬月报表_2026-10.xlsx", false, |mut b| {
        let n = b.len();
        b[n / 2] ^= 0x01;
        b
    });
    h.expect_invalid("GZTH", "薪酬月报表_2026-10.xlsx 的 SHA-256 与 filing.json 记录的不同");
}

#[test]
fn tampered_manifest_breaks_the_close_and_the_chain() {
    let h = HeadOffice::new();
    // The manifest's total raised, filing.json made to agree: close.json and the signatures do not.
    let package = h.package("SZNS");
    let manifest: serde_json::Value =
        serde_json::from_slice(&members(&package).into_iter().find(|(n, _)| n == "manifest.json").unwrap().1).unwrap();
    let total = manifest["totals"]["total"].as_str().unwrap().to_string();
    tamper(&package, "manifest.json", true, |b| {
        replace_text(b, &format!("\"total\": \"{total}\""), &format!("\"total\": \"{}\"", fen(&total) / 100 + 1000))
    });
    h.expect_invalid("SZNS", "manifest.json 与 close.json 记录的 SHA-256 不同");
    let problems = h.problems_of("SZNS");
    assert!(problems.iter().any(|p| p.contains("签字链不完整")), "the chain signed another manifest: {problems:?}");
    assert!(problems.iter().any(|p| p.contains("manifest.json 记录为")), "{problems:?}");
}

#[test]
fn tampered_approvals() {
    let h = HeadOffice::new();
    // 经理's statement edited (another name), filing.json made to agree: the signature does not.
    tamper(&h.package("SZNS"), "approvals.jsonl", true, |b| {
        replace_text(b, r#"\"name\":\"王经理\""#, r#"\"name\":\"王总经理\""#)
    });
    h.expect_invalid("SZNS", "签字链 approvals.jsonl 第 3 行不能以总部登记的公钥验证");
    let problems = h.problems_of("SZNS");
    assert!(problems.iter().any(|p| p.contains("the signature does not verify")), "{problems:?}");
}

#[test]
fn tampered_filing_json() {
    let h = HeadOffice::new();
    let package = h.package("SZFT");
    let filing: serde_json::Value =
        serde_json::from_slice(&members(&package).into_iter().find(|(n, _)| n == "filing.json").unwrap().1).unwrap();
    let total = filing["totals"]["total"].as_str().unwrap().to_string();
    let raised = format!("{:.2}", fen(&total) as f64 / 100.0 + 100.0);
    tamper(&package, "filing.json", false, |b| {
        replace_text(b, &format!("\"total\": \"{total}\""), &format!("\"total\": \"{raised}\""))
    });
    h.expect_invalid("SZFT", &format!("payroll CSV 的 total 合计为 {total}，filing.json 记录为 {raised}"));
}

#[test]
fn one_hostile_package_among_many_does_not_stop_the_others() {
    // Every class at once, each in its own unregistered package, beside the three good ones.
    let h = HeadOffice::new();
    std::fs::write(h.filings().join("AAAA_202610.zip"), b"PK\x03\x04 truncated").unwrap();
    std::fs::write(h.filings().join("readme.txt"), b"not a package").unwrap();
    std::fs::create_dir(h.filings().join("folder.zip")).unwrap();
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file("../../../x", SimpleFileOptions::default()).unwrap();
    z.write_all(b"x").unwrap();
    std::fs::write(h.filings().join("BBBB_202610.zip"), z.finish().unwrap().into_inner()).unwrap();
    let o = h.consolidate(&h.all());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = h.rows();
    assert_eq!(
        rows.iter().map(|r| (r[0].as_str(), r[2].as_str())).collect::<Vec<_>>(),
        [("SZNS", "已备案"), ("SZFT", "已备案"), ("GZTH", "已备案"), ("AAAA", "未登记"), ("BBBB", "未登记"),]
    );
    h.only_outputs();
}

#[test]
fn a_december_package_carries_the_half_year_and_annual_team_reports() {
    // December's run writes 团队分析_YYYYH2 and 团队分析_YYYY beside the month's (SPEC §5 item 4);
    // they are 团队分析 of the month, so head office receives them with it.
    let root = tempfile::tempdir().unwrap();
    let spec =
        Spec { code: "SZLH", name: "深圳罗湖营业部", managers: "6", clients: "200", seed: "404", signed: false };
    let dir = root.path().join(spec.code);
    let o = bin()
        .args(["sample", "--out"])
        .arg(dir.join("data"))
        .args(["--from", "2025-12", "--to", "2025-12", "--managers", spec.managers, "--clients", spec.clients])
        .args(["--seed", spec.seed])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cfg = branch_config(&dir, &spec, "");
    let run = |args: &[&str]| bin().args(args).arg("--config").arg(&cfg).output().unwrap();
    ok(&run(&["run", "--month", "2025-12"]));
    let o = run(&["close", "--month", "2025-12", "--by", "结账员"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let filed = root.path().join("filed");
    let o = run(&["file", "--month", "2025-12", "--to", filed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let package = filed.join("SZLH_202512.zip");
    let names: Vec<String> = members(&package).into_iter().map(|(n, _)| n).collect();
    for want in ["团队分析_2025-12.xlsx", "团队分析_2025H2.xlsx", "团队分析_2025.xlsx", "薪酬月报表_2025-12.xlsx"]
    {
        assert!(names.iter().any(|n| n == want), "{want} packed: {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("季度考核_")), "the quarter's review: {names:?}");
    assert!(names.iter().any(|n| n.starts_with("年度考评_")), "the year's review: {names:?}");
    // Head office finds the package whole.
    let registry = root.path().join("branches.toml");
    std::fs::write(&registry, "[[branches]]\ncode = \"SZLH\"\nname = \"深圳罗湖营业部\"\n").unwrap();
    let o = bin()
        .args(["consolidate", "--branches"])
        .arg(&registry)
        .args(["--month", "2025-12", "--filings"])
        .arg(&filed)
        .arg("--out")
        .arg(root.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn hostile_text_too_long_for_a_cell_does_not_stop_the_consolidation() {
    // A cell holds at most 32,767 characters; a package quoting more (here who closed the month,
    // 100,000 characters in filing.json) must still give both outputs, the text cut.
    let h = HeadOffice::new();
    let long = "结".repeat(100_000);
    tamper(&h.package("SZFT"), "filing.json", false, |b| {
        replace_text(b, "\"closed_by\": \"结账员\"", &format!("\"closed_by\": \"{long}\""))
    });
    h.expect_invalid("SZFT", "closed_by");
    let problems = h.problems_of("SZFT");
    assert!(problems.iter().all(|p| p.chars().count() <= 1_001), "cut to 1,000 characters and …");
}
