//! The configuration layer's error: the file, the key and the bad value, in one message.

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
