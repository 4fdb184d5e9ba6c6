//! The build's fingerprint: a SHA-256 of the sources, the manifest, the lock file and the
//! compiler, given to the code as `BROKERCOMP_BUILD`. The history cache is keyed on it and the
//! manifest names it, so a build with a changed rule never reuses figures an earlier build
//! computed (SPEC §7 "Derived data is never trusted beyond its source").

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let mut paths = Vec::new();
    files(&root.join("src"), &mut paths);
    for f in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        paths.push(root.join(f));
    }
    paths.sort();
    let mut h = Sha256::new();
    for p in &paths {
        let rel = p.strip_prefix(&root).unwrap_or(p).to_string_lossy().replace('\\', "/");
        h.update(rel.as_bytes());
        h.update([0]);
        h.update(std::fs::read(p).unwrap_or_default());
        h.update([0]);
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    if let Ok(out) = std::process::Command::new(rustc).arg("-vV").output() {
        h.update(&out.stdout);
    }
    h.update(std::env::var("PROFILE").unwrap_or_default().as_bytes());
    let digest = hex::encode(h.finalize());
    println!("cargo:rustc-env=BROKERCOMP_BUILD={}", &digest[..16]);
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build.rs");
}
