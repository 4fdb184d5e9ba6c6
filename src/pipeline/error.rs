//! The pipeline's and the commands' [`RunError`]: it carries any layer's error to `main`, which
//! alone formats it and maps it to an exit code. Each layer has its own error beside its code
//! ([`crate::config::ConfigError`], [`crate::ingest::FileError`], [`crate::compute::ComputeError`],
//! [`crate::analysis::AnalysisError`], [`crate::report::ReportError`],
//! [`crate::ledger::LedgerError`]).

use std::fmt;
use std::path::PathBuf;

use crate::config::ConfigError;
use crate::ingest::FileError;
use crate::ledger::LedgerError;

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
    /// The month is closed: nothing of it is rewritten.
    Closed {
        month: String,
        at: String,
    },
    /// `--strict` and the month has row-level exceptions or completeness warnings.
    Strict {
        month: String,
        exceptions: usize,
        warnings: usize,
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
            RunError::Closed { month, at } => {
                write!(f, "{month} is closed on {at}; corrections go into the next open month")
            }
            RunError::Strict { month, exceptions, warnings: 0 } => {
                write!(f, "{month}: {exceptions} data exception(s) and --strict: nothing written")
            }
            RunError::Strict { month, exceptions, warnings } => write!(
                f,
                "{month}: {exceptions} data exception(s), {warnings} completeness warning(s) and --strict: nothing written"
            ),
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

impl From<LedgerError> for RunError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Config(e) => RunError::Config(e),
            LedgerError::Input(e) => RunError::Input(e),
            LedgerError::Compute(e) => RunError::Compute(e),
        }
    }
}
