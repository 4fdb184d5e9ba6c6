//! A month's outputs are replaced as a set (SPEC §7): a run that fails, or is killed, at any step
//! of the replacement leaves the month's folder holding every old output or every new one, each
//! matching its manifest; the next run removes what the killed run left behind.
//!
//! The steps are reached with the test switch `BROKERCOMP_FAULT=<step>` (fail there) or
//! `<step>!` (abort there, as `kill -9` would). `aside` is the step between the two renames that
//! replace the month's folder where no exchange exists (Windows; `scripts/windows.sh` runs these
//! steps there under wine): naming it makes Linux take that path instead of `renameat2`.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::process::Command;

const MONTH: &str = "2026-10";

/// The month folder's files (the lock aside), name → bytes.
fn folder(ws: &Workspace) -> BTreeMap<String, Vec<u8>> {
    files_of(&ws.reports(MONTH))
}

/// A folder's files (the lock aside), name → bytes.
fn files_of(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(Result::unwrap)
        .filter(|e| e.file_name() != ".brokercomp.lock")
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// The folder holds exactly the outputs its manifest lists (and the manifest), each with the
/// SHA-256 the manifest gives.
fn matches_its_manifest(files: &BTreeMap<String, Vec<u8>>) {
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let listed: BTreeMap<String, String> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["file"].as_str().unwrap().to_string(), o["sha256"].as_str().unwrap().to_string()))
        .collect();
    let mut names: Vec<&String> = files.keys().filter(|n| *n != "manifest.json").collect();
    names.sort();
    assert_eq!(names, listed.keys().collect::<Vec<_>>(), "the folder holds exactly the manifest's outputs");
    for (name, sha) in &listed {
        let got = brokercomp::digest::sha256_bytes(&files[name]);
        assert_eq!(&got, sha, "{name} matches the manifest");
    }
}

fn leftovers(ws: &Workspace) -> Vec<String> {
    std::fs::read_dir(ws.dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{MONTH}.")))
        .collect()
}

fn run_with_fault(ws: &Workspace, fault: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brokercomp"))
        .args(["run", "--month", MONTH, "--config", ws.config().to_str().unwrap()])
        .env("BROKERCOMP_FAULT", fault)
        .output()
        .unwrap()
}

#[test]
fn failing_or_dying_at_every_step_leaves_one_whole_set() {
    let names = [
        format!("薪酬月报表_{MONTH}.xlsx"),
        format!("业务明细_{MONTH}.xlsx"),
        format!("营销客户确认单_{MONTH}.xlsx"),
        format!("payroll_{MONTH}.csv"),
        format!("团队分析_{MONTH}.xlsx"),
        "manifest.json".to_string(),
    ];
    let mut steps: Vec<String> = names.iter().map(|n| format!("stage:{n}")).collect();
    steps.push("carried".into());
    // Between the two renames of Windows' path (naming this step makes Linux take it too).
    steps.push("aside".into());
    steps.push("swapped".into());
    for step in &steps {
        for kill in [false, true] {
            let ws = Workspace::new();
            standard_month(&ws, MONTH);
            assert_eq!(ws.run(&["run", "--month", MONTH]).status.code(), Some(0));
            // A file somebody keeps in the month's folder (a scan of the signed report).
            std::fs::write(ws.reports(MONTH).join("签字扫描.pdf"), b"%PDF scan").unwrap();
            let old = folder(&ws);
            // New inputs: the new set differs from the old one.
            ws.csv(MONTH, "adjustments.csv", ADJ_HEADER, &["A02,999,奖励,x"]);
            let fault = if kill { format!("{step}!") } else { step.clone() };
            let out = run_with_fault(&ws, &fault);
            if kill {
                assert_eq!(out.status.code(), None, "{fault}: the run died ({})", stderr(&out));
            } else {
                assert_eq!(out.status.code(), Some(2), "{fault}: {}", stderr(&out));
            }
            let now = if kill && step == "aside" {
                // Died between the two renames: the month's folder is set aside whole, and the
                // next run puts it back.
                assert!(!ws.reports(MONTH).exists(), "{fault}: the month's folder is set aside");
                let left = leftovers(&ws);
                let aside = left.iter().find(|n| n.starts_with(&format!(".{MONTH}.old-"))).expect("set aside");
                files_of(&ws.dir.path().join("reports").join(aside))
            } else {
                folder(&ws)
            };
            let mut outputs = now.clone();
            assert_eq!(outputs.remove("签字扫描.pdf").as_deref(), Some(&b"%PDF scan"[..]), "{fault}: kept");
            matches_its_manifest(&outputs);
            if step == "swapped" {
                assert_ne!(now, old, "{fault}: the new set is in place");
                let payroll = String::from_utf8(outputs[&format!("payroll_{MONTH}.csv")].clone()).unwrap();
                assert!(payroll.contains("999.00"), "{fault}: the new payroll");
            } else {
                assert_eq!(now, old, "{fault}: every old output, untouched");
            }
            // The next run cleans up and writes the new set.
            let again = ws.run(&["run", "--month", MONTH]);
            assert_eq!(again.status.code(), Some(0), "{fault}: {}", stderr(&again));
            assert_eq!(leftovers(&ws), Vec::<String>::new(), "{fault}: leftovers removed");
            let after = folder(&ws);
            assert_eq!(after["签字扫描.pdf"], b"%PDF scan", "{fault}: still kept");
            let mut outputs = after.clone();
            outputs.remove("签字扫描.pdf");
            matches_its_manifest(&outputs);
        }
    }
}

#[test]
fn a_killed_run_leaves_a_staging_folder_that_the_next_run_removes() {
    let ws = Workspace::new();
    standard_month(&ws, MONTH);
    let out = run_with_fault(&ws, &format!("stage:payroll_{MONTH}.csv!"));
    assert_eq!(out.status.code(), None);
    let left = leftovers(&ws);
    assert_eq!(left.len(), 1, "the killed run's staging folder, with pay data in it: {left:?}");
    assert!(left[0].starts_with(&format!(".{MONTH}.staging-")));
    assert_eq!(ws.run(&["run", "--month", MONTH]).status.code(), Some(0));
    assert!(leftovers(&ws).is_empty());
    matches_its_manifest(&folder(&ws));
}
