//! The shape of the house, as a test (a fitness function in the ArchUnit sense).
//!
//! Reads every `.rs` file under `src/`, builds the graph of `crate::…` paths between top-level
//! modules (`use` lines and paths written inline, comments left out), and fails on:
//! - an import that climbs the layer order model → config → ingest → compute → analysis → report
//!   → ledger → pipeline → commands (`app`, `cli`, `commands`, `sample`);
//! - a shared leaf (money, calendar, lookup, digest, output, testing) that imports anything but leaves;
//! - a cycle between top-level modules, or between the sibling files of one module (`ingest::source`
//!   ↔ `ingest::text`);
//! - a command that imports another command or the dispatcher (`app`);
//! - a top-level module with no layer (a new module must be given one here).
//!
//! The reader is a text scan, not a parser: it sees `crate::x`, `crate::{x, y::z}` and, inside a
//! module, `super::sibling` and `crate::module::sibling`. It is good enough to hold the line, and
//! the tests at the bottom show that it catches what it must (a planted upward import, a cycle).

use std::collections::{BTreeMap, BTreeSet};
mod source;

use std::path::{Path, PathBuf};

use source::{rust_files, strip_comments};

/// Modules everyone may import; they import only each other.
const LEAVES: &[&str] = &["money", "calendar", "lookup", "digest", "output", "testing"];

/// The layers, bottom first; a module may import its own layer and those below it.
const LAYERS: &[&[&str]] = &[
    &["model"],
    &["config"],
    &["ingest"],
    &["compute"],
    &["analysis"],
    &["report"],
    &["ledger"],
    &["pipeline"],
    &["app", "cli", "commands", "sample"],
];

/// The layer that holds the commands: its `commands/` files never import each other or `app`.
const COMMANDS: &str = "commands";

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// A `.rs` file under `src/`: its top-level module, its sibling name inside that module (None for
/// the module's own `mod.rs` / `name.rs` and for `lib.rs`/`main.rs`), and its text without comments.
struct SourceFile {
    path: PathBuf,
    top: Option<String>,
    sibling: Option<String>,
    code: String,
}

fn read_tree(src: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    rust_files(src, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let rel: Vec<String> = path
                .strip_prefix(src)
                .expect("below src")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let stem = |s: &str| s.trim_end_matches(".rs").to_string();
            let (top, sibling) = match rel.as_slice() {
                [one] if one == "lib.rs" || one == "main.rs" => (None, None),
                [one] => (Some(stem(one)), None),
                [dir, file] if file == "mod.rs" => (Some(dir.clone()), None),
                [dir, file, ..] if rel.len() == 2 => (Some(dir.clone()), Some(stem(file))),
                [dir, sub, ..] => (Some(dir.clone()), Some(sub.clone())),
                [] => (None, None),
            };
            let code = strip_comments(&std::fs::read_to_string(&path).expect("readable source"));
            SourceFile { path, top, sibling, code }
        })
        .collect()
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths named after each `prefix` (`crate::`, `super::`): `a::b` for `crate::a::b`, and each
/// item's path inside `crate::{a, b::{c}}`, as lists of segments.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find(prefix) {
        let at = from + i;
        from = at + prefix.len();
        if at > 0 && code[..at].chars().next_back().is_some_and(is_ident_char) {
            continue; // `mycrate::` or `self.super::`
        }
        out.extend(tree_paths(&code[from..]));
    }
    out
}

/// The paths of a use tree starting at `text` (`a::b::{c, d}` or `{a, b}` or `a`).
fn tree_paths(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        let mut depth = 1;
        let mut end = inner.len();
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &inner[..end];
        let mut items = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&body[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.push(&body[start..]);
        return items.into_iter().filter(|s| !s.trim().is_empty()).flat_map(tree_paths).collect();
    }
    let ident: String = text.chars().take_while(|c| is_ident_char(*c)).collect();
    if ident.is_empty() {
        return Vec::new();
    }
    let rest = &text[ident.len()..];
    match rest.strip_prefix("::") {
        Some(more) => {
            let subs = tree_paths(more);
            if subs.is_empty() {
                vec![vec![ident]]
            } else {
                subs.into_iter()
                    .map(|mut p| {
                        p.insert(0, ident.clone());
                        p
                    })
                    .collect()
            }
        }
        None => vec![vec![ident]],
    }
}

/// What is wrong with the tree under `src`, one line each (empty: the house holds).
fn violations(src: &Path) -> Vec<String> {
    let files = read_tree(src);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| f.top.clone()).collect();
    let mut problems = Vec::new();
    for m in &modules {
        if !LEAVES.contains(&m.as_str()) && layer_of(m).is_none() {
            problems.push(format!("module `{m}` has no layer: give it one in tests/architecture.rs"));
        }
    }
    // Top-level edges, and sibling edges inside each module, with the file that makes each.
    let mut top_edges: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    let mut sibling_edges: BTreeMap<(String, String, String), PathBuf> = BTreeMap::new();
    let siblings_of = |top: &str| -> BTreeSet<String> {
        files.iter().filter(|f| f.top.as_deref() == Some(top)).filter_map(|f| f.sibling.clone()).collect()
    };
    for f in &files {
        let Some(top) = &f.top else { continue };
        for p in paths_after(&f.code, "crate::") {
            let target = &p[0];
            if !modules.contains(target) {
                continue; // an item of the crate root (BUILD), not a module
            }
            if target != top {
                top_edges.entry((top.clone(), target.clone())).or_insert_with(|| f.path.clone());
            } else if let (Some(from), Some(to)) = (&f.sibling, p.get(1)) {
                if from != to && siblings_of(top).contains(to) {
                    sibling_edges.entry((top.clone(), from.clone(), to.clone())).or_insert_with(|| f.path.clone());
                }
            }
        }
        // `super::x` from a sibling file (`src/m/a.rs`) names a sibling `x` of the same module.
        let direct_child = f.path.parent().and_then(|d| d.file_name()).is_some_and(|d| *d == **top)
            && f.path.file_name().is_some_and(|n| n != "mod.rs");
        if let (Some(from), true) = (&f.sibling, direct_child) {
            for p in paths_after(&f.code, "super::") {
                if &p[0] != from && siblings_of(top).contains(&p[0]) {
                    sibling_edges.entry((top.clone(), from.clone(), p[0].clone())).or_insert_with(|| f.path.clone());
                }
            }
        }
    }
    for ((from, to), file) in &top_edges {
        let (fl, tl) = (LEAVES.contains(&from.as_str()), LEAVES.contains(&to.as_str()));
        if fl && !tl {
            problems.push(format!("{}: the shared leaf `{from}` imports `{to}`", file.display()));
        }
        if let (Some(a), Some(b)) = (layer_of(from), layer_of(to)) {
            if b > a {
                problems
                    .push(format!("{}: `{from}` imports `{to}`, which is above it in the layer order", file.display()));
            }
        }
        if from == COMMANDS && to == "app" {
            problems.push(format!("{}: a command imports the dispatcher `app`", file.display()));
        }
    }
    for ((top, from, to), file) in &sibling_edges {
        if top == COMMANDS {
            problems.push(format!("{}: the command `{from}` imports the command `{to}`", file.display()));
        }
    }
    let graph: BTreeMap<String, BTreeSet<String>> = top_edges.keys().fold(BTreeMap::new(), |mut g, (a, b)| {
        g.entry(a.clone()).or_default().insert(b.clone());
        g
    });
    for cycle in cycles(&graph) {
        problems.push(format!("a cycle between modules: {}", cycle.join(" → ")));
    }
    let mut inner: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (top, a, b) in sibling_edges.keys() {
        inner.entry(top.clone()).or_default().entry(a.clone()).or_default().insert(b.clone());
    }
    for (top, g) in &inner {
        for cycle in cycles(g) {
            let named: Vec<String> = cycle.iter().map(|s| format!("{top}::{s}")).collect();
            problems.push(format!("a cycle inside `{top}`: {}", named.join(" → ")));
        }
    }
    problems
}

/// Every elementary cycle's first sighting, by a depth-first search from each node in order: a
/// path back to a node on the current path (reported once per set of nodes).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn walk(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<BTreeSet<String>>,
        out: &mut Vec<Vec<String>>,
    ) {
        if let Some(i) = path.iter().position(|p| p == node) {
            let cycle: Vec<String> = path[i..].to_vec();
            if seen.insert(cycle.iter().cloned().collect()) {
                let mut shown = cycle;
                shown.push(node.to_string());
                out.push(shown);
            }
            return;
        }
        if path.len() > 32 {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            walk(next, graph, path, seen, out);
        }
        path.pop();
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for node in graph.keys() {
        walk(node, graph, &mut Vec::new(), &mut seen, &mut out);
    }
    out
}

#[test]
fn the_modules_import_only_down_the_layers_and_in_no_circle() {
    // ARCHITECTURE_SRC points the test at another tree (say, an older commit's `src/`).
    let src = std::env::var_os("ARCHITECTURE_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let problems = violations(&src);
    assert!(problems.is_empty(), "the architecture does not hold:\n  {}", problems.join("\n  "));
}

/// A small tree under a temporary folder: `(path below src, text)`.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("folders");
        std::fs::write(p, text).expect("a file");
    }
    dir
}

#[test]
fn a_planted_upward_import_fails() {
    let ok = tree(&[
        ("model/mod.rs", "pub struct A;"),
        ("report/mod.rs", "use crate::model::A;\nuse crate::{money, model::A as B};"),
        ("money.rs", "//! uses crate::report only in a comment\n"),
    ]);
    assert_eq!(violations(ok.path()), Vec::<String>::new());
    let planted = tree(&[
        ("model/mod.rs", "use crate::{calendar, report::X};"),
        ("report/mod.rs", "pub struct X;"),
        ("calendar.rs", ""),
    ]);
    let found = violations(planted.path());
    assert!(found.iter().any(|p| p.contains("`model` imports `report`")), "{found:?}");
}

#[test]
fn a_leaf_that_imports_a_layer_a_cycle_and_a_command_importing_a_command_fail() {
    let bad = tree(&[
        ("money.rs", "fn f() { crate::model::g(); }"),
        ("model/mod.rs", ""),
        ("ingest/mod.rs", "mod a; mod b;"),
        ("ingest/a.rs", "use super::b::X;"),
        ("ingest/b.rs", "use crate::ingest::a::Y;"),
        ("commands/mod.rs", "pub mod run; pub mod close;"),
        ("commands/run.rs", "use super::close::f;"),
        ("commands/close.rs", "use crate::app::g;"),
        ("app.rs", "use crate::commands::run;"),
        ("newthing.rs", ""),
    ]);
    let found = violations(bad.path()).join("\n");
    assert!(found.contains("the shared leaf `money` imports `model`"), "{found}");
    assert!(found.contains("a cycle inside `ingest`"), "{found}");
    assert!(found.contains("the command `run` imports the command `close`"), "{found}");
    assert!(found.contains("a command imports the dispatcher `app`"), "{found}");
    assert!(found.contains("a cycle between modules: app → commands → app"), "{found}");
    assert!(found.contains("module `newthing` has no layer"), "{found}");
}
