//! The sign-off chain of article 15 (SPEC §4.12), with OpenSSH's own `ssh-keygen` on the other
//! side: keys made here in a temporary folder; a statement signed by `approve --key` verifies
//! with `ssh-keygen -Y verify`, and one signed by `ssh-keygen -Y sign` is accepted by `approve
//! --statement --signature`. Then the month-end routine (run → 主办会计, 副经理, 经理 → close →
//! verify), every refusal (exit 2, its reason, nothing recorded), a rerun that carries the chain
//! as history and makes it stale, a reject, a hand-edited approvals.jsonl, two approvals at once,
//! and a configuration without signers behaving as before.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MONTH: &str = "2026-10";
const ROLES: [&str; 3] = ["主办会计", "副经理（经理助理）", "经理"];
const NAMES: [&str; 3] = ["张会计", "李副经理", "王经理"];
/// ASCII principals for ssh-keygen's allowed_signers file.
const IDS: [&str; 3] = ["zhang", "li", "wang"];

fn ssh_keygen(args: &[&str], stdin: Option<&Path>) -> Output {
    let mut c = Command::new("ssh-keygen");
    c.args(args);
    if let Some(p) = stdin {
        c.stdin(std::fs::File::open(p).unwrap());
    }
    c.output().expect("ssh-keygen is installed (OpenSSH client)")
}

/// A new ed25519 key pair `dir/name` (with `passphrase`, or none): the private key file and the
/// public key line.
fn keygen(dir: &Path, name: &str, passphrase: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let o = ssh_keygen(&["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", path.to_str().unwrap()], None);
    assert!(o.status.success(), "ssh-keygen: {}", String::from_utf8_lossy(&o.stderr));
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap().trim().to_string();
    (path, public)
}

/// A workspace whose chain is signed by three people, each with a key of their own.
struct Branch {
    ws: Workspace,
    keys: Vec<PathBuf>,
    publics: Vec<String>,
    _keydir: tempfile::TempDir,
}

fn signers_toml(publics: &[String]) -> String {
    (0..3)
        .map(|i| format!("[[signers]]\nname = \"{}\"\nrole = \"{}\"\nkey = \"{}\"\n", NAMES[i], ROLES[i], publics[i]))
        .collect()
}

impl Branch {
    fn new() -> Self {
        let keydir = tempfile::tempdir().unwrap();
        let (keys, publics): (Vec<PathBuf>, Vec<String>) = IDS.iter().map(|id| keygen(keydir.path(), id, "")).unzip();
        let ws = Workspace::with_config_extra(&signers_toml(&publics));
        standard_month(&ws, MONTH);
        Branch { ws, keys, publics, _keydir: keydir }
    }

    fn dir(&self) -> PathBuf {
        self.ws.reports(MONTH)
    }

    fn approvals(&self) -> Vec<String> {
        match std::fs::read_to_string(self.dir().join("approvals.jsonl")) {
            Ok(t) => t.lines().map(str::to_string).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn run(&self) {
        let o = self.ws.run(&["run", "--month", MONTH]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    }

    fn approve_key(&self, key: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["approve", "--month", MONTH, "--key", key.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.ws.run(&args)
    }

    /// `approve --signer NAME --print-statement`, saved to a file.
    fn print_statement(&self, name: &str, extra: &[&str]) -> PathBuf {
        let mut args = vec!["approve", "--month", MONTH, "--signer", name, "--print-statement"];
        args.extend_from_slice(extra);
        let o = self.ws.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let path = self.ws.dir.path().join(format!("statement-{}.txt", self.approvals().len()));
        std::fs::write(&path, &o.stdout).unwrap();
        path
    }

    /// `approve --statement FILE --signature FILE.sig`.
    fn submit(&self, statement: &Path) -> Output {
        self.submit_with(statement, &[])
    }

    /// `approve --statement FILE --signature FILE.sig` and more flags.
    fn submit_with(&self, statement: &Path, extra: &[&str]) -> Output {
        let sig = sig_of(statement);
        let mut args = vec!["approve", "--month", MONTH, "--statement", statement.to_str().unwrap(), "--signature"];
        args.push(sig.to_str().unwrap());
        args.extend_from_slice(extra);
        self.ws.run(&args)
    }

    fn status(&self) -> Output {
        self.ws.run(&["status", "--month", MONTH])
    }
}

fn sig_of(statement: &Path) -> PathBuf {
    PathBuf::from(format!("{}.sig", statement.display()))
}

/// `ssh-keygen -Y sign -n brokercomp -f KEY FILE`: writes FILE.sig.
fn ssh_sign(key: &Path, file: &Path) {
    let _ = std::fs::remove_file(sig_of(file));
    let o = ssh_keygen(&["-Y", "sign", "-n", "brokercomp", "-f", key.to_str().unwrap(), file.to_str().unwrap()], None);
    assert!(o.status.success(), "ssh-keygen -Y sign: {}", String::from_utf8_lossy(&o.stderr));
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn refused(o: &Output, why: &str) {
    assert_eq!(o.status.code(), Some(2), "refused with exit 2: {}", stderr(o));
    assert!(stderr(o).contains(why), "the reason {why:?}, got: {}", stderr(o));
}

/// A line of approvals.jsonl as its two fields.
fn record(line: &str) -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 2, "{line}");
    (v["statement"].as_str().unwrap().to_string(), v["signature"].as_str().unwrap().to_string())
}

/// The keys of a statement, in the SPEC's order.
const KEYS: [&str; 9] =
    ["organization", "month", "manifest_sha256", "role", "name", "decision", "reason", "previous", "at"];

/// A JSON value as Python's `json.dumps` writes it by default: every character beyond ASCII as
/// `\uXXXX` (UTF-16, so a surrogate pair beyond the BMP).
fn ascii_json(v: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in serde_json::to_string(v).unwrap().chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

/// A statement re-spelled as Python's `json.dumps(statement)` writes it (", " and ": " between
/// the items, `\uXXXX` escapes), its keys in the order `keys`.
fn python_dumps(compact: &str, keys: &[&str]) -> String {
    let v: serde_json::Value = serde_json::from_str(compact).unwrap();
    let items: Vec<String> =
        keys.iter().map(|k| format!("{}: {}", ascii_json(&serde_json::json!(k)), ascii_json(&v[*k]))).collect();
    format!("{{{}}}", items.join(", "))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn the_month_end_routine_with_ssh_keygen_on_both_sides() {
    let b = Branch::new();
    b.run();
    let o = b.status();
    assert_eq!(o.status.code(), Some(1), "nothing signed yet: {}", stdout(&o));
    assert!(stdout(&o).contains("pending") && stdout(&o).contains("2026-10 (TEST): open"), "{}", stdout(&o));

    // 主办会计 signs with a key file; OpenSSH verifies the record.
    let o = b.approve_key(&b.keys[0], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = b.approvals();
    assert_eq!(lines.len(), 1);
    let (statement, signature) = record(&lines[0]);
    let manifest = std::fs::read(b.dir().join("manifest.json")).unwrap();
    let prefix = format!(
        "{{\"organization\":\"TEST\",\"month\":\"2026-10\",\"manifest_sha256\":\"{}\",\"role\":\"主办会计\",\"name\":\"张会计\",\"decision\":\"approve\",\"reason\":null,\"previous\":null,\"at\":\"",
        sha256_hex(&manifest)
    );
    assert!(statement.starts_with(&prefix) && statement.ends_with("Z\"}"), "{statement}");
    assert!(signature.starts_with("-----BEGIN SSH SIGNATURE-----\n") && !signature.contains('\r'), "{signature}");
    let dir = b.ws.dir.path();
    std::fs::write(dir.join("s1"), format!("{statement}\n")).unwrap();
    std::fs::write(dir.join("s1.sig"), &signature).unwrap();
    std::fs::write(dir.join("allowed"), format!("zhang namespaces=\"brokercomp\" {}\n", b.publics[0])).unwrap();
    let allowed = dir.join("allowed");
    let s1sig = dir.join("s1.sig");
    let o = ssh_keygen(
        &[
            "-Y",
            "verify",
            "-f",
            allowed.to_str().unwrap(),
            "-I",
            "zhang",
            "-n",
            "brokercomp",
            "-s",
            s1sig.to_str().unwrap(),
        ],
        Some(&dir.join("s1")),
    );
    assert!(o.status.success(), "ssh-keygen -Y verify: {}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    // … and only for the namespace brokercomp.
    let o = ssh_keygen(
        &["-Y", "verify", "-f", allowed.to_str().unwrap(), "-I", "zhang", "-n", "git", "-s", s1sig.to_str().unwrap()],
        Some(&dir.join("s1")),
    );
    assert!(!o.status.success());

    // 副经理 keeps the key in ssh-agent: print the statement, sign it with ssh-keygen, record it.
    let st = b.print_statement(NAMES[1], &[]);
    let printed = std::fs::read_to_string(&st).unwrap();
    assert!(printed.ends_with("}\n") && printed.lines().count() == 1, "{printed:?}");
    assert!(printed.contains(&format!("\"previous\":\"{}\"", sha256_hex(statement.as_bytes()))), "{printed}");
    assert_eq!(b.approvals().len(), 1, "printing records nothing");
    ssh_sign(&b.keys[1], &st);
    let o = b.submit(&st);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(record(&b.approvals()[1]).0, printed.trim_end_matches('\n'), "stored exactly as signed");

    let o = b.approve_key(&b.keys[2], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("the sign-off chain is complete"), "{}", stderr(&o));
    let o = b.status();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    for name in NAMES {
        assert!(stdout(&o).contains(&format!("approved by {name} at ")), "{}", stdout(&o));
    }

    // close keeps the chain in close.json; verify checks it; nothing more is signed.
    let o = b.ws.run(&["close", "--month", MONTH, "--by", "张会计"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let close: serde_json::Value = serde_json::from_slice(&std::fs::read(b.dir().join("close.json")).unwrap()).unwrap();
    let kept: Vec<String> = close["approvals"].as_array().unwrap().iter().map(|a| a.to_string()).collect();
    let lines: Vec<String> =
        b.approvals().iter().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap().to_string()).collect();
    assert_eq!(kept, lines);
    let o = b.ws.run(&["verify", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = b.status();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("closed on") && stdout(&o).contains("closed with its sign-off chain complete"));
    refused(&b.approve_key(&b.keys[2], &[]), "2026-10 is closed");

    // Reopened, the record keeps its chain; the outputs are unchanged, so the chain still holds.
    let o = b.ws.run(&["reopen", "--month", MONTH, "--reason", "补签"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(b.dir().join("close.reopened-1.json")).unwrap()).unwrap();
    assert_eq!(kept["approvals"], close["approvals"]);
    let o = b.status();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("2026-10 (TEST): open"), "{}", stdout(&o));
}

#[test]
fn every_refusal_says_why_and_records_nothing() {
    let b = Branch::new();
    // Nothing to sign before the month is run.
    refused(&b.approve_key(&b.keys[0], &[]), "has no outputs to sign");
    b.run();
    let o = b.ws.run(&["close", "--month", MONTH]);
    refused(&o, "the sign-off chain of manifest");
    assert!(stderr(&o).contains("missing 主办会计, 副经理（经理助理）, 经理"), "{}", stderr(&o));

    // A role out of order.
    refused(&b.approve_key(&b.keys[2], &[]), "主办会计 must sign before 经理");
    // A key that is not registered.
    let keydir = tempfile::tempdir().unwrap();
    let (stranger, _) = keygen(keydir.path(), "stranger", "");
    refused(&b.approve_key(&stranger, &[]), "not a registered signer: SHA256:");
    // A reject without a reason, a reason without a reject.
    refused(&b.approve_key(&b.keys[0], &["--reject"]), "a reject needs a reason");
    refused(&b.approve_key(&b.keys[0], &["--reason", "x"]), "--reason goes with --reject");
    assert!(b.approvals().is_empty(), "nothing recorded: {:?}", b.approvals());

    // Statements signed with ssh-keygen, each wrong in one way.
    let good = b.print_statement(NAMES[0], &[]);
    let text = std::fs::read_to_string(&good).unwrap();
    let manifest = sha256_hex(&std::fs::read(b.dir().join("manifest.json")).unwrap());
    let wrong = |from: &str, to: &str, key: usize, why: &str| {
        assert!(text.contains(from), "{from}");
        let p = b.ws.dir.path().join("wrong.txt");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        ssh_sign(&b.keys[key], &p);
        refused(&b.submit(&p), why);
    };
    wrong("\"organization\":\"TEST\"", "\"organization\":\"SZNS\"", 0, "is for organization SZNS but this is TEST");
    wrong("\"month\":\"2026-10\"", "\"month\":\"2026-09\"", 0, "is for 2026-09 but this is 2026-10");
    let other = "0".repeat(64);
    wrong(
        &manifest,
        &other,
        0,
        &format!("is for manifest 000000000000… but 2026-10's manifest is {}…", &manifest[..12]),
    );
    // A registered key signing for another role, and under another name.
    wrong("\"role\":\"主办会计\"", "\"role\":\"经理\"", 0, "张会计 signs as 主办会计, not as 经理");
    wrong(
        "\"role\":\"主办会计\",\"name\":\"张会计\"",
        "\"role\":\"经理\",\"name\":\"王经理\"",
        0,
        "the statement names 王经理 but is signed with the key of 张会计",
    );
    wrong(
        "\"name\":\"张会计\"",
        "\"name\":\"张会计\"",
        2,
        "the statement names 张会计 but is signed with the key of 王经理",
    );
    // Any one field altered after signing.
    ssh_sign(&b.keys[0], &good);
    let alterations = [
        ("\"organization\":\"TEST\"", "\"organization\":\"TESX\""),
        ("\"month\":\"2026-10\"", "\"month\":\"2026-11\""),
        (&manifest[..], &other[..]),
        ("\"role\":\"主办会计\"", "\"role\":\"经理\""),
        ("\"name\":\"张会计\"", "\"name\":\"张会记\""),
        ("\"decision\":\"approve\",\"reason\":null", "\"decision\":\"reject\",\"reason\":\"x\""),
        ("\"previous\":null", &format!("\"previous\":\"{other}\"")[..]),
        ("\"at\":\"20", "\"at\":\"19"),
    ];
    for (from, to) in alterations {
        assert!(text.contains(from), "{from}");
        std::fs::write(&good, text.replacen(from, to, 1)).unwrap();
        refused(&b.submit(&good), "the signature does not verify for 张会计");
    }
    std::fs::write(&good, &text).unwrap();
    // A signature file that is not one, and a statement file that is not one line.
    std::fs::write(sig_of(&good), "not a signature").unwrap();
    refused(&b.submit(&good), "is not an armored SSH signature");
    ssh_sign(&b.keys[0], &good);
    std::fs::write(&good, text.replace('\n', "\r\n")).unwrap();
    refused(&b.submit(&good), "is not one line ending in one line feed");
    assert!(b.approvals().is_empty(), "nothing recorded: {:?}", b.approvals());

    // The real statement goes in; then a role twice, a stale previous, a reject, after a reject.
    std::fs::write(&good, &text).unwrap();
    assert_eq!(b.submit(&good).status.code(), Some(0));
    refused(&b.submit(&good), "主办会计 has already signed this manifest (张会计");
    refused(&b.approve_key(&b.keys[0], &[]), "主办会计 has already signed this manifest");
    let late = b.print_statement(NAMES[1], &[]);
    let o = b.approve_key(&b.keys[1], &["--reject", "--reason", "C002 的净佣金与 CRM 不符"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    ssh_sign(&b.keys[1], &late);
    refused(&b.submit(&late), "was rejected by 李副经理");
    refused(&b.approve_key(&b.keys[2], &[]), "was rejected by 李副经理 (副经理（经理助理）)");
    let o = b.status();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("rejected by 李副经理 (副经理（经理助理）): C002 的净佣金与 CRM 不符"),
        "{}",
        stdout(&o)
    );
    refused(&b.ws.run(&["close", "--month", MONTH]), "李副经理 (副经理（经理助理）) rejected manifest");
    assert_eq!(b.approvals().len(), 2, "only the two accepted statements: {:?}", b.approvals());
}

#[test]
fn an_encrypted_key_opens_only_with_its_passphrase_from_the_environment() {
    let keydir = tempfile::tempdir().unwrap();
    let (plain0, p0) = keygen(keydir.path(), "zhang", "");
    let (plain1, p1) = keygen(keydir.path(), "li", "");
    let (locked, p2) = keygen(keydir.path(), "wang", "月底签字 2026");
    let ws = Workspace::with_config_extra(&signers_toml(&[p0, p1, p2]));
    standard_month(&ws, MONTH);
    assert!(matches!(ws.run(&["run", "--month", MONTH]).status.code(), Some(0 | 1)));
    for k in [&plain0, &plain1] {
        assert_eq!(ws.run(&["approve", "--month", MONTH, "--key", k.to_str().unwrap()]).status.code(), Some(0));
    }
    let approve = |passphrase: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_brokercomp"));
        c.args(["approve", "--month", MONTH, "--key", locked.to_str().unwrap(), "--config"]).arg(ws.config());
        c.env_remove("BROKERCOMP_KEY_PASSPHRASE");
        if let Some(p) = passphrase {
            c.env("BROKERCOMP_KEY_PASSPHRASE", p);
        }
        c.output().unwrap()
    };
    refused(&approve(None), "is encrypted: give its passphrase in BROKERCOMP_KEY_PASSPHRASE");
    let o = approve(Some("月底签字 2025"));
    refused(&o, "the passphrase in BROKERCOMP_KEY_PASSPHRASE does not open");
    assert!(!stderr(&o).contains("月底签字"), "the passphrase is never printed: {}", stderr(&o));
    let o = approve(Some("月底签字 2026"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(ws.run(&["status", "--month", MONTH]).status.code(), Some(0));
    // No key material anywhere in the reports.
    for key in [&plain0, &plain1, &locked] {
        let text = std::fs::read_to_string(key).unwrap();
        for body in text.lines().filter(|l| !l.starts_with("-----")) {
            for e in std::fs::read_dir(ws.reports(MONTH)).unwrap().map(Result::unwrap) {
                if e.path().is_file() {
                    let bytes = std::fs::read(e.path()).unwrap();
                    assert!(!String::from_utf8_lossy(&bytes).contains(body), "{}", e.path().display());
                }
            }
        }
    }
}

#[test]
fn a_rerun_carries_the_chain_as_history_and_a_changed_month_needs_a_new_one() {
    let b = Branch::new();
    b.run();
    assert_eq!(b.approve_key(&b.keys[0], &[]).status.code(), Some(0));
    let manifest = std::fs::read(b.dir().join("manifest.json")).unwrap();
    let chain = std::fs::read(b.dir().join("approvals.jsonl")).unwrap();
    let listed = |m: &[u8]| {
        let v: serde_json::Value = serde_json::from_slice(m).unwrap();
        v["outputs"].as_array().unwrap().iter().map(|o| o["file"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert!(!listed(&manifest).contains(&"approvals.jsonl".to_string()));

    // The same inputs again: the same manifest, the chain carried unchanged and still valid.
    b.run();
    assert_eq!(std::fs::read(b.dir().join("manifest.json")).unwrap(), manifest, "approving changes no output");
    assert_eq!(std::fs::read(b.dir().join("approvals.jsonl")).unwrap(), chain);
    let o = b.status();
    assert!(stdout(&o).contains("approved by 张会计") && stdout(&o).contains("valid for the current outputs"));
    assert_eq!(b.approve_key(&b.keys[1], &[]).status.code(), Some(0), "the chain goes on");

    // A corrected input: a new manifest; the old statements stay as history, stale.
    let chain = std::fs::read(b.dir().join("approvals.jsonl")).unwrap();
    b.ws.csv(MONTH, "adjustments.csv", ADJ_HEADER, &["A02,-100,考勤扣款,迟到", "A02,800,奖励,优秀"]);
    b.run();
    let now = std::fs::read(b.dir().join("manifest.json")).unwrap();
    assert_ne!(now, manifest);
    assert!(!listed(&now).contains(&"approvals.jsonl".to_string()));
    assert_eq!(std::fs::read(b.dir().join("approvals.jsonl")).unwrap(), chain, "carried into the new set unchanged");
    let o = b.status();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("stale: 张会计 approved manifest") && stdout(&o).contains("stale: 李副经理"),
        "{}",
        stdout(&o)
    );
    let o = b.ws.run(&["close", "--month", MONTH]);
    refused(&o, "missing 主办会计, 副经理（经理助理）, 经理");
    // A new chain starts with 主办会计, its previous null.
    refused(&b.approve_key(&b.keys[1], &[]), "主办会计 must sign before 副经理（经理助理）");
    assert_eq!(b.approve_key(&b.keys[0], &[]).status.code(), Some(0));
    let (last, _) = record(b.approvals().last().unwrap());
    assert!(
        last.contains(&format!("\"manifest_sha256\":\"{}\"", sha256_hex(&now))) && last.contains("\"previous\":null")
    );

    // The configuration changed after the run. The SPEC does not forbid signing then (a statement
    // names the exact manifest it approves): each signer is warned, the chain completes and
    // status exits 0; close regenerates the month and refuses outputs the configuration no
    // longer gives.
    let mut text = std::fs::read_to_string(b.ws.config()).unwrap();
    text.push_str("\n# 2026-11-03: 新增一个团队计划\n");
    std::fs::write(b.ws.config(), text).unwrap();
    let warning = "warning: the configuration has changed since 2026-10 was run; close will ask for the month to be run again and signed anew";
    let o = b.approve_key(&b.keys[1], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));
    let o = b.ws.run(&["approve", "--month", MONTH, "--signer", NAMES[2], "--print-statement"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(warning) && !stdout(&o).contains("warning"), "{}", stderr(&o));
    let st = b.ws.dir.path().join("manager.statement");
    std::fs::write(&st, &o.stdout).unwrap();
    ssh_sign(&b.keys[2], &st);
    let o = b.submit(&st);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));
    let o = b.status();
    assert_eq!(o.status.code(), Some(0), "a complete chain: {}", stdout(&o));
    assert!(
        stdout(&o).contains("the configuration has changed since 2026-10 was run")
            && stdout(&o).contains("2026-10: the sign-off chain is complete"),
        "{}",
        stdout(&o)
    );
    refused(&b.ws.run(&["close", "--month", MONTH]), "its outputs are not what its current inputs, configuration");
}

#[test]
fn verify_and_status_name_a_hand_edited_line() {
    let b = Branch::new();
    b.run();
    for k in &b.keys {
        assert_eq!(b.approve_key(k, &[]).status.code(), Some(0));
    }
    assert_eq!(b.ws.run(&["close", "--month", MONTH]).status.code(), Some(0));
    assert_eq!(b.ws.run(&["verify", "--month", MONTH]).status.code(), Some(0));
    let path = b.dir().join("approvals.jsonl");
    let original = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = original.lines().collect();

    // An altered statement (the 副经理's time moved by a second).
    let (st, sig) = record(lines[1]);
    let at = st.rfind("Z\"}").unwrap() - 1;
    let digit = st.as_bytes()[at];
    let altered = format!("{}{}{}", &st[..at], if digit == b'0' { '1' } else { '0' }, &st[at + 1..]);
    let line = serde_json::json!({ "statement": altered, "signature": sig }).to_string();
    std::fs::write(&path, format!("{}\n{line}\n{}\n", lines[0], lines[2])).unwrap();
    let o = b.ws.run(&["verify", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("approvals.jsonl line 2: the signature does not verify for 李副经理"),
        "{}",
        stderr(&o)
    );
    let o = b.status();
    assert_eq!(o.status.code(), Some(2), "cannot tell: {}", stderr(&o));
    assert!(stderr(&o).contains("line 2: the signature does not verify for 李副经理"), "{}", stderr(&o));

    // Two lines swapped: out of order.
    std::fs::write(&path, format!("{}\n{}\n{}\n", lines[1], lines[0], lines[2])).unwrap();
    let o = b.ws.run(&["verify", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("approvals.jsonl line 1: 主办会计 must sign before 副经理（经理助理）"),
        "{}",
        stderr(&o)
    );

    // A forged line: a statement over the closed manifest signed by a key nobody registered.
    let keydir = tempfile::tempdir().unwrap();
    let (forger, _) = keygen(keydir.path(), "forger", "");
    let (st, _) = record(lines[0]);
    let forged = b.ws.dir.path().join("forged.txt");
    std::fs::write(&forged, format!("{st}\n")).unwrap();
    ssh_sign(&forger, &forged);
    let sig = std::fs::read_to_string(sig_of(&forged)).unwrap();
    let line = serde_json::json!({ "statement": st, "signature": sig }).to_string();
    std::fs::write(&path, format!("{line}\n{}\n{}\n", lines[1], lines[2])).unwrap();
    let o = b.ws.run(&["verify", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("approvals.jsonl line 1: not a registered signer: SHA256:"), "{}", stderr(&o));

    // close.json's own copy of the chain, altered.
    std::fs::write(&path, &original).unwrap();
    let close_path = b.dir().join("close.json");
    let close = std::fs::read_to_string(&close_path).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&close_path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    std::fs::write(&close_path, close.replacen("王经理", "王经埋", 1)).unwrap();
    let o = b.ws.run(&["verify", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("close.json approvals[2]: the signature does not verify"), "{}", stderr(&o));
    std::fs::write(&close_path, &close).unwrap();
    assert_eq!(b.ws.run(&["verify", "--month", MONTH]).status.code(), Some(0));
}

#[test]
fn two_approvals_at_once_never_write_two_lines_for_one_role() {
    let b = Branch::new();
    b.run();
    let key = b.keys[0].to_str().unwrap().to_string();
    let config = b.ws.config();
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_brokercomp"))
                .args(["approve", "--month", MONTH, "--key", &key, "--config"])
                .arg(&config)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<Option<i32>> = children.into_iter().map(|c| c.wait_with_output().unwrap().status.code()).collect();
    assert_eq!(codes.iter().filter(|c| **c == Some(0)).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == Some(2)).count(), 3, "{codes:?}");
    assert_eq!(b.approvals().len(), 1);
}

#[test]
fn signers_are_checked_when_the_configuration_loads() {
    let keydir = tempfile::tempdir().unwrap();
    let publics: Vec<String> = IDS.iter().map(|id| keygen(keydir.path(), id, "").1).collect();
    let cases = [
        (signers_toml(&publics).replacen("role = \"主办会计\"", "role = \"制表\"", 1), "signers[0].role: \"制表\""),
        (
            signers_toml(&publics).replacen(&publics[1], "ssh-ed25519 AAAAbroken", 1),
            "signers[1].key: \"ssh-ed25519 AAAAbroken\"",
        ),
        (signers_toml(&publics).replacen(&publics[2], &publics[0], 1), "is already the key of 张会计 (signers[0])"),
    ];
    for (toml, why) in cases {
        let ws = Workspace::with_config_extra(&toml);
        let o = ws.run(&["status", "--month", MONTH]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("configuration error") && stderr(&o).contains(why), "{why}: {}", stderr(&o));
    }
}

#[test]
fn without_signers_close_and_status_are_as_before() {
    let ws = Workspace::new();
    standard_month(&ws, MONTH);
    assert!(matches!(ws.run(&["run", "--month", MONTH]).status.code(), Some(0 | 1)));
    let o = ws.run(&["status", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("no [[signers]] configured"), "{}", stdout(&o));
    refused(
        &ws.run(&["approve", "--month", MONTH, "--signer", "x", "--print-statement"]),
        "no [[signers]] are configured",
    );
    assert_eq!(ws.run(&["close", "--month", MONTH]).status.code(), Some(0));
    let close: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.reports(MONTH).join("close.json")).unwrap()).unwrap();
    assert!(close.get("approvals").is_none(), "no approvals field without signers");
    assert!(!ws.reports(MONTH).join("approvals.jsonl").exists());
    assert_eq!(ws.run(&["verify", "--month", MONTH]).status.code(), Some(0));
}

#[test]
fn status_shows_the_month_s_warnings_and_whether_they_were_accepted() {
    let b = Branch::new();
    // September's CRM export sent again as October's: a same_data warning (SPEC §4.11).
    standard_month(&b.ws, "2026-09");
    let o = b.ws.run(&["run", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = b.status();
    assert!(stdout(&o).contains("1 completeness warning(s) (not accepted)"), "{}", stdout(&o));
    for k in &b.keys {
        assert_eq!(b.approve_key(k, &[]).status.code(), Some(0));
    }
    refused(&b.ws.run(&["close", "--month", MONTH]), "completeness warning");
    let o = b.ws.run(&["close", "--month", MONTH, "--accept", "两个月的业绩恰好相同，已核对"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = b.status();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("1 completeness warning(s) (accepted: 两个月的业绩恰好相同，已核对)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_private_key_file_others_may_read_signs_with_a_warning() {
    let b = Branch::new();
    b.run();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&b.keys[0], std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = b.approve_key(&b.keys[0], &[]);
        assert_eq!(o.status.code(), Some(0), "the SPEC asks only for a key file: {}", stderr(&o));
        let shown = b.keys[0].display().to_string();
        assert!(
            stderr(&o).contains(&format!("warning: {shown} is open to group or others (mode 0644)"))
                && stderr(&o).contains(&format!("chmod 600 {shown}")),
            "{}",
            stderr(&o)
        );
        assert_eq!(b.approvals().len(), 1);
        // A key file of its owner's alone signs without a word of warning.
        let o = b.approve_key(&b.keys[1], &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    }
}

#[test]
fn a_statement_spelled_as_python_writes_json_is_recorded_and_chained_as_signed() {
    let b = Branch::new();
    b.run();
    // 主办会计's tool re-spells the printed statement with json.dumps before signing it.
    let printed = std::fs::read_to_string(b.print_statement(NAMES[0], &[])).unwrap();
    let python = python_dumps(printed.trim_end_matches('\n'), &KEYS);
    assert!(
        python.starts_with("{\"organization\": \"TEST\", \"month\": \"2026-10\", ")
            && python.contains("\"role\": \"\\u4e3b\\u529e\\u4f1a\\u8ba1\"")
            && python.contains("\"reason\": null, \"previous\": null"),
        "{python}"
    );
    let st = b.ws.dir.path().join("python.statement");
    std::fs::write(&st, format!("{python}\n")).unwrap();
    ssh_sign(&b.keys[0], &st);
    let o = b.submit(&st);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("主办会计 张会计 approved manifest"), "{}", stderr(&o));
    assert_eq!(record(&b.approvals()[0]).0, python, "stored exactly as signed");

    // The next statement chains to the text as signed.
    let o = b.approve_key(&b.keys[1], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (second, _) = record(&b.approvals()[1]);
    assert!(second.contains(&format!("\"previous\":\"{}\"", sha256_hex(python.as_bytes()))), "{second}");

    // The same spelling with two keys swapped is refused, and recorded nowhere.
    let printed = std::fs::read_to_string(b.print_statement(NAMES[2], &[])).unwrap();
    let compact = printed.trim_end_matches('\n');
    let mut swapped = KEYS;
    swapped.swap(7, 8);
    let st = b.ws.dir.path().join("swapped.statement");
    std::fs::write(&st, format!("{}\n", python_dumps(compact, &swapped))).unwrap();
    ssh_sign(&b.keys[2], &st);
    refused(
        &b.submit(&st),
        "the statement's keys are organization, month, manifest_sha256, role, name, decision, reason, at, previous",
    );
    assert_eq!(b.approvals().len(), 2);

    // In the SPEC's order it completes the chain; close keeps it and verify checks it.
    let st = b.ws.dir.path().join("manager.statement");
    std::fs::write(&st, format!("{}\n", python_dumps(compact, &KEYS))).unwrap();
    ssh_sign(&b.keys[2], &st);
    let o = b.submit(&st);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = b.status();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    for name in NAMES {
        assert!(stdout(&o).contains(&format!("approved by {name} at ")), "{}", stdout(&o));
    }
    let o = b.ws.run(&["close", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = b.ws.run(&["verify", "--month", MONTH]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_recorded_statement_keeps_its_own_decision_and_reason() {
    let b = Branch::new();
    b.run();
    // An approval that gives a reason: the SPEC's statement has a reason, required only of a reject.
    let st = b.print_statement(NAMES[0], &[]);
    let text = std::fs::read_to_string(&st).unwrap();
    assert!(text.contains("\"decision\":\"approve\",\"reason\":null"), "{text}");
    std::fs::write(&st, text.replacen("\"reason\":null", "\"reason\":\"已与 CRM 核对\"", 1)).unwrap();
    ssh_sign(&b.keys[0], &st);
    let o = b.submit(&st);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = b.status();
    assert!(stdout(&o).contains("approved by 张会计 at ") && stdout(&o).contains("(已与 CRM 核对)"), "{}", stdout(&o));
    // From the command line a reason still goes with --reject.
    refused(&b.approve_key(&b.keys[1], &["--reason", "x"]), "--reason goes with --reject");

    // --reject and --reason given with a recorded statement must say what it says.
    let st = b.print_statement(NAMES[1], &[]);
    ssh_sign(&b.keys[1], &st);
    refused(&b.submit_with(&st, &["--reject", "--reason", "x"]), "--reject was given but the statement approves");
    let why = "C002 的净佣金与 CRM 不符";
    let st = b.print_statement(NAMES[1], &["--reject", "--reason", why]);
    ssh_sign(&b.keys[1], &st);
    refused(
        &b.submit_with(&st, &["--reject", "--reason", "另一个原因"]),
        "--reason \"另一个原因\" is not the statement's reason (\"C002 的净佣金与 CRM 不符\")",
    );
    assert_eq!(b.approvals().len(), 1, "nothing refused is recorded: {:?}", b.approvals());
    let o = b.submit_with(&st, &["--reject", "--reason", why]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = b.status();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("rejected by 李副经理 (副经理（经理助理）): {why}")), "{}", stdout(&o));
}
