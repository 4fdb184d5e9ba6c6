//! Reference outputs of the shipped months: the safety net of every change.
//!
//! For 2025-12, 2026-03 and 2026-10 of `sample_data/` with the shipped configuration, every
//! payroll CSV and every sheet of every workbook, cell by cell as text, must equal what is kept
//! in `tests/expected/<month>/`. A figure that changes fails here with the file, the sheet, the
//! cell and both values. `UPDATE_EXPECTED=1 cargo test --test reference` rewrites the expected
//! files on purpose, so that the change shows in the diff (and in the commit message).
//!
//! The manifest is not kept: it names the build of the tool, which changes with every commit.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

const MONTHS: [&str; 3] = ["2025-12", "2026-03", "2026-10"];

use brokercomp::ingest::table::column_letters as column_name;

/// A cell as one line of text: numbers in their shortest exact form, text with tabs and line
/// breaks escaped.
fn cell_text(d: &Data) -> String {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r");
    match d {
        Data::Empty => String::new(),
        Data::String(s) => escape(s),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::Bool(b) => format!("{b}"),
        other => escape(&format!("{other:?}")),
    }
}

/// Every sheet of a workbook as text: `## <sheet>` then one line per non-empty row,
/// `<row number>\t<cell>\t<cell>…` (row numbers as Excel shows them).
fn workbook_text(path: &Path) -> String {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = String::new();
    for name in wb.sheet_names().to_vec() {
        out.push_str(&format!("## {name}\n"));
        let range = wb.worksheet_range(&name).unwrap();
        let Some((r0, c0)) = range.start() else { continue };
        for (i, row) in range.rows().enumerate() {
            if row.iter().all(|c| matches!(c, Data::Empty)) {
                continue;
            }
            let mut cells: Vec<String> = vec![String::new(); c0 as usize];
            cells.extend(row.iter().map(cell_text));
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            out.push_str(&format!("{}\t{}\n", r0 as usize + i + 1, cells.join("\t")));
        }
    }
    out
}

/// Parse the text of [`workbook_text`] back: sheet → row number → cells.
fn parse(text: &str) -> BTreeMap<String, BTreeMap<usize, Vec<String>>> {
    let mut out: BTreeMap<String, BTreeMap<usize, Vec<String>>> = BTreeMap::new();
    let mut sheet = String::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            sheet = name.to_string();
            out.entry(sheet.clone()).or_default();
        } else if let Some((n, cells)) = line.split_once('\t') {
            let cells = cells.split('\t').map(str::to_string).collect();
            out.entry(sheet.clone()).or_default().insert(n.parse().unwrap(), cells);
        }
    }
    out
}

/// The first difference between two workbook texts: file, sheet, cell and both values.
fn first_difference(file: &str, want: &str, got: &str) -> Option<String> {
    let (want, got) = (parse(want), parse(got));
    let names = |m: &BTreeMap<String, _>| m.keys().cloned().collect::<Vec<_>>();
    if names(&want) != names(&got) {
        return Some(format!("{file}: sheets differ: expected {:?}, got {:?}", names(&want), names(&got)));
    }
    for (sheet, rows) in &want {
        let other = &got[sheet];
        let last = rows.keys().chain(other.keys()).copied().max().unwrap_or(0);
        for r in 1..=last {
            let (a, b) = (rows.get(&r), other.get(&r));
            let (a, b) = (a.map(Vec::as_slice).unwrap_or(&[]), b.map(Vec::as_slice).unwrap_or(&[]));
            for c in 0..a.len().max(b.len()) {
                let (x, y) = (a.get(c).map(String::as_str).unwrap_or(""), b.get(c).map(String::as_str).unwrap_or(""));
                if x != y {
                    return Some(format!(
                        "{file}: sheet {sheet}: cell {}{r}: expected {x:?}, got {y:?}",
                        column_name(c)
                    ));
                }
            }
        }
    }
    None
}

fn first_line_difference(file: &str, want: &str, got: &str) -> Option<String> {
    for (i, (a, b)) in want.lines().zip(got.lines()).enumerate() {
        if a != b {
            return Some(format!("{file}: line {}: expected {a:?}, got {b:?}", i + 1));
        }
    }
    let (n, m) = (want.lines().count(), got.lines().count());
    (n != m).then(|| format!("{file}: expected {n} lines, got {m}"))
}

/// Run the shipped months into a temporary folder and compare (or rewrite) the references.
#[test]
fn shipped_months_equal_their_reference_outputs() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some_and(|v| v == "1");
    let out = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for month in MONTHS {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
            .args(["run", "--month", month, "--config"])
            .arg(repo().join("config/brokercomp.toml"))
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        assert!(matches!(o.status.code(), Some(0 | 1)), "{month}: {}", stderr(&o));
        let dir = out.path().join(month);
        let expected = repo().join("tests/expected").join(month);
        let mut produced: Vec<(String, String)> = Vec::new();
        let mut names: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            if name.ends_with(".xlsx") {
                produced.push((format!("{name}.txt"), workbook_text(&path)));
            } else if name.ends_with(".csv") {
                produced.push((name.clone(), String::from_utf8(std::fs::read(&path).unwrap()).unwrap()));
            }
        }
        if update {
            let _ = std::fs::remove_dir_all(&expected);
            std::fs::create_dir_all(&expected).unwrap();
            for (name, text) in &produced {
                std::fs::write(expected.join(name), text).unwrap();
            }
            continue;
        }
        let mut kept: Vec<String> = std::fs::read_dir(&expected)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_EXPECTED=1 writes it)", expected.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        kept.sort();
        let made: Vec<String> = produced.iter().map(|(n, _)| n.clone()).collect();
        if kept != made {
            problems.push(format!("{month}: outputs differ: expected {kept:?}, got {made:?}"));
            continue;
        }
        for (name, got) in &produced {
            let want = std::fs::read_to_string(expected.join(name)).unwrap();
            let file = format!("{month}/{name}");
            let diff = if name.ends_with(".txt") {
                first_difference(&file, &want, got)
            } else {
                first_line_difference(&file, &want, got)
            };
            problems.extend(diff);
        }
    }
    assert!(problems.is_empty(), "reference outputs differ:\n{}", problems.join("\n"));
}

#[test]
fn a_changed_cell_is_named_with_its_sheet_and_both_values() {
    let want = "## 薪酬月报表\n4\t8001\t王伟\t1234.5\n";
    let got = "## 薪酬月报表\n4\t8001\t王伟\t1234.51\n";
    assert_eq!(
        first_difference("m/x.xlsx.txt", want, got).unwrap(),
        "m/x.xlsx.txt: sheet 薪酬月报表: cell C4: expected \"1234.5\", got \"1234.51\""
    );
    assert_eq!(first_difference("f", want, want), None);
    assert_eq!(column_name(0), "A");
    assert_eq!(column_name(25), "Z");
    assert_eq!(column_name(26), "AA");
    assert_eq!(column_name(701), "ZZ");
    assert_eq!(column_name(702), "AAA");
}
