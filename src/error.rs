//! The errors of the configuration and ingestion layers, and the command's [`RunError`] that
//! carries any layer's error to `main`, which alone formats it and maps it to an exit code.
//! (compute, analysis and report have their own enums beside their code.)

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

/// Why a command stopped (exit status 2): the error of the layer that refused, or of the
/// command line. Each layer's message is its own; this only says which kind it is.
#[derive(Debug)]
pub enum RunError {
    Usage(String),
    Config(ConfigError),
    Input(FileError),
    Compute(Box<crate::compute::ComputeError>),
    Analysis(crate::analysis::AnalysisError),
    Report(crate::report::ReportError),
    /// `--strict` and the month has row-level exceptions.
    Strict {
        month: String,
        exceptions: usize,
    },
    /// The sample generator could not write its files.
    Sample {
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
            // An unknown roster level is a configuration error (SPEC §3).
            RunError::Compute(e) => write!(f, "configuration error: {e}"),
            RunError::Analysis(e) => write!(f, "analysis error: {e}"),
            RunError::Report(e) => write!(f, "{e}"),
            RunError::Strict { month, exceptions } => {
                write!(f, "{month}: {exceptions} data exception(s) and --strict: nothing written")
            }
            RunError::Sample { path, message } => write!(f, "cannot write {}: {message}", path.display()),
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

impl From<crate::compute::ComputeError> for RunError {
    fn from(e: crate::compute::ComputeError) -> Self {
        RunError::Compute(Box::new(e))
    }
}

impl From<crate::analysis::AnalysisError> for RunError {
    fn from(e: crate::analysis::AnalysisError) -> Self {
        RunError::Analysis(e)
    }
}

impl From<crate::report::ReportError> for RunError {
    fn from(e: crate::report::ReportError) -> Self {
        RunError::Report(e)
    }
}
