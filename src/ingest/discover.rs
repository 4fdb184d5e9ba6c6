//! File discovery: which files of a month folder are inputs of which kind.
//!
//! Takes the month folder and the configured patterns; gives the files of each kind in name
//! order and the files that are not read, with the reason. A symbolic link is followed like any
//! file. Refuses (file-level): a missing folder, a link that points nowhere, a name matching two
//! kinds, an input name that is not a regular file, a required kind without a file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::FileError;
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::model::{Kind, Unread};

/// Case-insensitive wildcard match (`*` any run, `?` one character) on a file name.
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let (mut pi, mut ni, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

const INPUT_EXTENSIONS: [&str; 7] = ["xlsx", "xlsm", "xls", "ods", "csv", "txt", "xlsb"];

/// The files of a month folder: those of each kind in name order, and those not read.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub by_kind: BTreeMap<Kind, Vec<PathBuf>>,
    /// Names (relative to the data folder) of files not read, with the reason.
    pub unread: Vec<(String, Unread)>,
}

impl Found {
    pub fn paths(&self, kind: Kind) -> &[PathBuf] {
        self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Find the files of each kind in a month folder. Hidden files and Office lock files (`~$…`)
/// are skipped; every other file that is not read is listed in [`Found::unread`].
///
/// # Errors
/// A missing folder, a file matching two kinds, or a required kind without a file.
pub fn discover(config: &Config, data_dir: &Path, month: YearMonth) -> Result<Found, FileError> {
    let dir = data_dir.join(month.to_string());
    let label = month.to_string();
    let entries = std::fs::read_dir(&dir).map_err(|e| FileError {
        file: dir.display().to_string(),
        sheet: None,
        message: format!("no input folder for {month}: {e}"),
    })?;
    let mut names: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| !n.starts_with('.') && !n.starts_with("~$"))
        .collect();
    names.sort();
    let mut found = Found::default();
    for (name, path) in &names {
        // What the entry is, following symbolic links: a linked file is read like any file.
        let meta = std::fs::metadata(path);
        if meta.is_err() {
            // A link that points nowhere (or an entry that cannot be examined): never skipped.
            return Err(FileError {
                file: format!("{label}/{name}"),
                sheet: None,
                message: super::source::not_a_file(path).unwrap_or_else(|| "cannot be read".into()),
            });
        }
        let is_file = meta.as_ref().is_ok_and(std::fs::Metadata::is_file);
        if meta.as_ref().is_ok_and(std::fs::Metadata::is_dir) {
            found.unread.push((format!("{label}/{name}"), Unread::Folder));
            continue;
        }
        let spreadsheet =
            Path::new(name).extension().is_some_and(|x| INPUT_EXTENSIONS.iter().any(|e| x.eq_ignore_ascii_case(e)));
        if !spreadsheet {
            found.unread.push((format!("{label}/{name}"), Unread::NotSpreadsheet));
            continue;
        }
        let kinds: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| config.inputs[k].patterns.iter().any(|p| matches_pattern(p, name)))
            .collect();
        if kinds.len() > 1 {
            let ks: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
            return Err(FileError {
                file: format!("{label}/{name}"),
                sheet: None,
                message: format!(
                    "the name matches the patterns of several kinds ({}); rename it or change [inputs] patterns",
                    ks.join(", ")
                ),
            });
        }
        match kinds.first() {
            Some(_) if !is_file => {
                return Err(FileError {
                    file: format!("{label}/{name}"),
                    sheet: None,
                    message: super::source::not_a_file(path).unwrap_or_else(|| "not a regular file".into()),
                });
            }
            Some(k) => found.by_kind.entry(*k).or_default().push(path.clone()),
            None => found.unread.push((format!("{label}/{name}"), Unread::NoPattern)),
        }
    }
    for k in Kind::ALL.into_iter().filter(|k| k.required()) {
        if !found.by_kind.contains_key(&k) {
            let listed: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
            return Err(FileError {
                file: format!("{label}/"),
                sheet: None,
                message: format!(
                    "no {k} file (patterns {}); found: {}",
                    config.inputs[&k].patterns.join(", "),
                    if listed.is_empty() { "no file".to_string() } else { listed.join(", ") }
                ),
            });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_case_insensitively() {
        assert!(matches_pattern("crm*", "CRM_2026-10.xlsx"));
        assert!(matches_pattern("*业绩*", "客户业绩明细.xls"));
        assert!(!matches_pattern("crm*", "my_crm.xlsx"));
        assert!(matches_pattern("a?c*", "abc.csv"));
    }
}
