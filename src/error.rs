//! The error types of each layer, with messages written by hand.
//!
//! Library code returns these; only `main` formats them and maps them to exit codes.

use std::fmt;
use std::path::PathBuf;

/// A configuration or salary-standard error: the file, the key and the bad value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub key: String,
    pub message: String,
}

impl ConfigError {
    pub fn new(file: impl Into<PathBuf>, key: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.into(), key: key.into(), message: message.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}: {}: {}", self.file.display(), self.key, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

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

/// Why a command stopped without writing (exit status 2), or failed while writing.
#[derive(Debug)]
pub enum RunError {
    Usage(String),
    Config(ConfigError),
    Input(FileError),
    /// `--strict` and the month has row-level exceptions.
    Strict {
        month: String,
        exceptions: usize,
    },
    /// Writing an output failed; the previous outputs of the month are whole.
    Write {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Usage(m) => write!(f, "{m}"),
            RunError::Config(e) => write!(f, "configuration error: {e}"),
            RunError::Input(e) => write!(f, "input error: {e}"),
            RunError::Strict { month, exceptions } => {
                write!(f, "{month}: {exceptions} data exception(s) and --strict: nothing written")
            }
            RunError::Write { path, message } => {
                write!(f, "cannot write {}: {message} (earlier outputs left as they were)", path.display())
            }
        }
    }
}

impl std::error::Error for RunError {}

impl From<ConfigError> for RunError {
    fn from(e: ConfigError) -> Self {
        RunError::Config(e)
    }
}

impl From<FileError> for RunError {
    fn from(e: FileError) -> Self {
        RunError::Input(e)
    }
}
