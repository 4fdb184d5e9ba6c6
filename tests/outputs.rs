//! Every file the product writes goes through `src/output.rs`, the one place that opens a file
//! to write, flushes it to the disk and closes it (issue 24).
//!
//! Regression: outputs were flushed through a handle opened to read them
//! (`File::open(path)?.sync_all()`). Linux allows it; Windows refuses it (`FlushFileBuffers`
//! needs write access), so every command that wrote stopped at its first output with `Access
//! denied`. Linux cannot show that failure, so this test reads `src/` (comments and the unit-test
//! modules left out) and fails on any other file that flushes a handle, opens a file to write or
//! creates one another way (`std::fs::write`, `std::fs::copy`, `File::create`, a workbook's own
//! `save`, a `tempfile` file): each of those is an output written around the helper. The unit
//! tests of `src/output.rs` check that every handle it flushes was opened to write.

mod source;

use std::path::Path;

use source::{rust_files, strip_comments};

/// What only `src/output.rs` may say, and why.
const FORBIDDEN: &[(&str, &str)] = &[
    ("sync_all", "flushes a handle"),
    ("sync_data", "flushes a handle"),
    ("FlushFileBuffers", "flushes a handle"),
    ("fs::write(", "writes a file"),
    ("fs::copy(", "writes a file"),
    ("File::create", "creates a file"),
    ("File::options", "opens a file to write"),
    ("OpenOptions", "opens a file to write"),
    (".write(true)", "opens a file to write"),
    (".append(true)", "opens a file to write"),
    (".save(", "saves a workbook by its own path"),
    ("tempfile_in(", "creates a temporary file"),
    (".tempfile(", "creates a temporary file"),
];

/// The one file allowed to write.
const HELPER: &str = "output.rs";

/// The code of a file as shipped: `//` comments and `/* */` blocks removed, and everything from
/// the unit-test module (`#[cfg(test)]` followed by `mod`) on, which the binary does not hold.
fn shipped_code(text: &str) -> String {
    let mut out = strip_comments(text);
    let mut cut = out.len();
    let mut from = 0;
    while let Some(i) = out[from..].find("#[cfg(test)]") {
        let at = from + i;
        if out[at + "#[cfg(test)]".len()..].trim_start().starts_with("mod ") {
            cut = at;
            break;
        }
        from = at + 1;
    }
    out.truncate(cut);
    out
}

/// Each forbidden use in `code`: (line, what it does, the line's text).
fn findings(code: &str) -> Vec<(usize, &'static str, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for (pattern, what) in FORBIDDEN {
            if line.contains(pattern) {
                out.push((n + 1, *what, line.trim().to_string()));
            }
        }
    }
    out
}

#[test]
fn only_the_output_helper_writes_or_flushes_a_file() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "src/ read: {}", files.len());
    let mut bad = Vec::new();
    for f in &files {
        if f == &src.join(HELPER) {
            continue;
        }
        let code = shipped_code(&std::fs::read_to_string(f).unwrap());
        for (line, what, text) in findings(&code) {
            bad.push(format!(
                "{}:{line}: {what} outside src/{HELPER}: {text}",
                f.strip_prefix(&src).unwrap().display()
            ));
        }
    }
    assert!(bad.is_empty(), "write every output through crate::output (see its documentation):\n{}", bad.join("\n"));
    // The helper is there and does flush, through the handle it opened to write.
    let helper = shipped_code(&std::fs::read_to_string(src.join(HELPER)).unwrap());
    let syncs: Vec<&str> = helper.lines().filter(|l| l.contains("sync_all") || l.contains("sync_data")).collect();
    assert_eq!(syncs, ["        self.out.get_ref().sync_all()"], "the helper flushes one handle: its own");
}

#[test]
fn the_scan_catches_a_read_only_flush_and_every_other_way_around_the_helper() {
    let planted = r#"
fn publish(path: &Path) -> io::Result<()> {
    // File::open(path)?.sync_all() in a comment is no code.
    File::open(path)?.sync_all()?;
    std::fs::write(path, b"x")?;
    wb.save(path)?;
    let f = std::fs::File::options().write(true).open(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    fn fixture() { std::fs::write("a", "b").unwrap(); }
}
"#;
    let found = findings(&shipped_code(planted));
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, [4, 5, 6, 7, 7], "{found:?}");
    assert_eq!(found[0].1, "flushes a handle");
    assert!(findings(&shipped_code("let f = File::open(p)?; // .sync_all()")).is_empty());
}
