//! The ingestion layer's error: a file-level input error (SPEC §7), positioned by file and sheet.

use std::fmt;

/// A file-level input error (SPEC §7): the run stops before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file, relative to the data folder where possible.
    pub file: String,
    /// The sheet, when the file has sheets.
    pub sheet: Option<String>,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(f, "{}: sheet {}: {}", self.file, s, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// A file-level error of `label` (and `sheet`, when known).
pub(crate) fn file_err(label: &str, sheet: Option<&str>, msg: impl Into<String>) -> FileError {
    FileError { file: label.to_string(), sheet: sheet.map(str::to_string), message: msg.into() }
}
