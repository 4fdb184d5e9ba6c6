//! `consolidate` (SPEC §4.13): head office's month — every branch's package checked, and the
//! consolidation written.
//!
//! Reads `branches.toml` (a configuration error is exit 2), then every `*.zip` of the filings
//! folder in name order, one at a time ([`crate::ledger::package::read_package`]: untrusted input,
//! never an abort); writes `汇总_YYYY-MM.xlsx` and `consolidated_YYYY-MM.csv` into a temporary
//! folder inside the output folder and moves each into place. Nothing is written outside the
//! output folder, and nothing of the temporary folder is left once the command ends. Exit 0 when
//! every registered branch is 已备案 and none is 超限, 1 when not, 2 when nothing could be written.
//! A package attributed to no branch and month is named on stderr and in 问题 with its reasons,
//! and changes neither the rows nor the exit status: the SPEC's rule counts registered branches.

use std::path::{Path, PathBuf};

use crate::calendar::YearMonth;
use crate::config::branches::Registry;
use crate::ledger::package::{consolidate as build, read_package};
use crate::output;
use crate::pipeline::{RunError, Status};
use crate::report::consolidation::{file_names, write_csv, write_workbook, Finding, Status as BranchStatus};
use crate::report::ReportError;

fn write_err(path: &Path, e: impl std::fmt::Display) -> RunError {
    RunError::Report(ReportError::Write { path: path.to_path_buf(), message: e.to_string() })
}

/// The `*.zip` files of `dir` (any case of the extension), in name order; folders and other
/// files are not packages.
fn packages(dir: &Path) -> Result<Vec<PathBuf>, RunError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| RunError::Usage(format!("--filings {}: cannot read the folder: {e}", dir.display())))?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("zip")))
        .filter(|p| !std::fs::metadata(p).is_ok_and(|m| m.is_dir()))
        .collect();
    out.sort();
    Ok(out)
}

/// `consolidate --branches FILE --month M --filings DIR --out DIR2`.
///
/// # Errors
/// Exit 2: branches.toml is not valid, the filings folder cannot be read, or the outputs cannot
/// be written.
pub fn consolidate(branches: &Path, month: YearMonth, filings: &Path, out: &Path) -> Result<Status, RunError> {
    let registry = Registry::load(branches)?;
    let found = packages(filings)?;
    std::fs::create_dir_all(out).map_err(|e| write_err(out, e))?;
    let scratch = tempfile::Builder::new().prefix(".consolidate-").tempdir_in(out).map_err(|e| write_err(out, e))?;
    let mut reads = Vec::new();
    for path in &found {
        let r = read_package(path, month, &registry, scratch.path());
        match r.month {
            Some(m) if m != month => eprintln!("info: {}: filed for {m}, not {month}: left out", r.file),
            _ => reads.push(r),
        }
    }
    let c = build(&registry, month, reads);

    let (book, csv) = file_names(month);
    // Both written whole (and on the disk) in the temporary folder, then moved into place.
    let book_tmp = scratch.path().join(&book);
    write_workbook(&book_tmp, &c).map_err(|e| write_err(&book_tmp, e))?;
    let csv_tmp = scratch.path().join(&csv);
    output::write_with(&csv_tmp, |f| write_csv(f, &c)).map_err(|e| write_err(&csv_tmp, e))?;
    for (tmp, name) in [(&csv_tmp, &csv), (&book_tmp, &book)] {
        let dest = out.join(name);
        std::fs::rename(tmp, &dest).map_err(|e| write_err(&dest, e))?;
    }
    scratch.close().map_err(|e| write_err(out, e))?;

    for line in &c.lines {
        let status =
            if line.over_limit() { format!("{} (超限)", line.status.word()) } else { line.status.word().into() };
        let name = if line.name.is_empty() { String::new() } else { format!(" {}", line.name) };
        eprintln!("{month}: {}{name}: {status}", line.code);
        for p in line.problems.iter().filter(|p| !matches!(p.finding, Finding::NotFiled)) {
            let from = p.package.as_deref().map(|f| format!("{f}: ")).unwrap_or_default();
            eprintln!("  {from}{}", p.finding);
        }
    }
    for p in &c.unattributed {
        let file = p.package.as_deref().unwrap_or_default();
        eprintln!("{month}: {file}: attributed to no branch (nothing of it reads, and its name is not <code>_<YYYYMM>.zip): {}", p.finding);
    }
    eprintln!(
        "{month}: {} branches registered: {} 已备案, {} 缺失, {} 无效; {} 未登记 package(s){}; written to {}",
        c.registered,
        c.count(BranchStatus::Filed),
        c.count(BranchStatus::Missing),
        c.count(BranchStatus::Invalid),
        c.unregistered().len(),
        match c.unattributed_packages() {
            0 => String::new(),
            n => format!(", {n} attributed to no branch"),
        },
        out.display()
    );
    Ok(if c.complete() { Status::Clean } else { Status::Exceptions })
}
