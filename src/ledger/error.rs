//! The ledger's [`LedgerError`]: why another month could not be had — its configuration or
//! standard, its input files or archive, or its computation refused. Each carries the error of the
//! layer that refused, whose message is its own; the commands map it to their exit status.

use std::fmt;

use crate::compute::ComputeError;
use crate::config::ConfigError;
use crate::ingest::FileError;

/// Why a month the ledger needed could not be had.
#[derive(Debug)]
pub enum LedgerError {
    /// Its configuration or standard (an archived one included).
    Config(ConfigError),
    /// Its input files, archive or close record, or the ledger's own files.
    Input(FileError),
    /// Its computation (an unknown roster level).
    Compute(Box<ComputeError>),
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::Config(e) => write!(f, "configuration error: {e}"),
            LedgerError::Input(e) => write!(f, "input error: {e}"),
            LedgerError::Compute(e) => write!(f, "configuration error: {e}"),
        }
    }
}

impl std::error::Error for LedgerError {}

impl From<ConfigError> for LedgerError {
    fn from(e: ConfigError) -> Self {
        LedgerError::Config(e)
    }
}

impl From<FileError> for LedgerError {
    fn from(e: FileError) -> Self {
        LedgerError::Input(e)
    }
}

impl From<ComputeError> for LedgerError {
    fn from(e: ComputeError) -> Self {
        LedgerError::Compute(Box::new(e))
    }
}
