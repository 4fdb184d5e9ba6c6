//! What the source-reading tests share (`tests/architecture.rs`, `tests/outputs.rs`): the `.rs`
//! files below a folder, and a file's code without its comments.

use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`, in name order.
pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text with `//` comments and `/* */` blocks removed (string literals kept as they are, so
/// a `"//"` inside a string cuts the rest of its line: harmless for import paths).
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map(|i| &after[i + 2..]).unwrap_or("");
        } else if rest.starts_with("//") {
            rest = rest.find('\n').map(|i| &rest[i..]).unwrap_or("");
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}
