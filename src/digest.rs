//! SHA-256 of files, streamed: the manifest, the inputs and the history cache key use it.

use std::fs::File;
use std::path::Path;

use sha2::{Digest, Sha256};

/// Hex SHA-256 and size of a file, read in a stream (a 100 MB export is never held whole).
///
/// # Errors
/// When the file cannot be read.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut h = Sha256::new();
    let n = std::io::copy(&mut File::open(path)?, &mut h)?;
    Ok((hex::encode(h.finalize()), n))
}

/// Hex SHA-256 of bytes in memory.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
