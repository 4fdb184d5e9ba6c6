//! Replacing a month's outputs as a set (SPEC §7 "Writes are atomic as a set").
//!
//! Takes the month's folder and a function that renders every output into a folder; gives the
//! month's folder holding either every previous output or every new one, never a mix — whatever
//! fails and whenever the process is killed. The outputs are rendered into a sibling staging
//! folder `<reports>/.<month>.staging-<pid>`; every file of the month's folder that is not an
//! output of this tool (the lock, an archive, a scanned signature someone put there) is carried
//! into it by hard link; then the two folders are exchanged in one step (`renameat2` with
//! `RENAME_EXCHANGE` on Linux; elsewhere, Windows included, two renames: the month's folder
//! aside as `.<month>.old-<pid>`, the staging folder in its place, recovered on the next run) and
//! the old set is deleted. A run begins by removing what killed runs left behind, under the
//! month's lock.
//!
//! Two runs of one month never interleave: the month's lock is held for the whole replacement.
//! On Unix it is the file `.brokercomp.lock` in the month's folder, carried into the new folder
//! by hard link, so that a run waiting on it waits on the same file. Windows renames no folder
//! that has a file open inside it (a waiting run's lock, a workbook open in Excel): there the
//! lock is `<reports>/.<month>.lock`, beside the month's folder, and this module opens nothing
//! inside a folder it renames.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::{Manifest, ReportError};

/// The lock file in a month's folder (Unix).
pub const LOCK_FILE: &str = ".brokercomp.lock";

/// The month's lock file: in the month's folder on Unix, beside it on Windows (see the module's
/// documentation).
pub fn lock_path(dir: &Path) -> PathBuf {
    if cfg!(windows) {
        reports_of(dir).join(format!(".{}.lock", month_name(dir)))
    } else {
        dir.join(LOCK_FILE)
    }
}

/// Holds the month's lock until dropped.
pub struct MonthLock {
    _file: File,
}

fn werr(p: &Path, e: impl std::fmt::Display) -> ReportError {
    ReportError::Write { path: p.to_path_buf(), message: e.to_string() }
}

/// Take the month's lock, waiting for another run of the same month to finish (`on_wait` is
/// called once before waiting).
///
/// # Errors
/// When the folder or lock file cannot be created.
pub fn lock_month(dir: &Path, on_wait: &dyn Fn()) -> Result<MonthLock, ReportError> {
    let path = lock_path(dir);
    let mut waited = false;
    loop {
        std::fs::create_dir_all(dir).map_err(|e| werr(dir, e))?;
        let file = crate::output::lock_file(&path).map_err(|e| werr(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                if !std::mem::replace(&mut waited, true) {
                    on_wait();
                }
                file.lock().map_err(|e| werr(&path, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(werr(&path, e)),
        }
        // The run we waited for may have removed the month's folder it had made (it wrote
        // nothing): the lock is then on a file no longer there, and is taken again.
        if still_there(&file, &path) {
            return Ok(MonthLock { _file: file });
        }
    }
}

/// Whether `path` is still the file `file` has open.
#[cfg(unix)]
fn still_there(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// Whether `path` is still the file `file` has open (beside the month's folder on Windows, the
/// lock file is never removed).
#[cfg(not(unix))]
fn still_there(_file: &File, _path: &Path) -> bool {
    true
}

/// Remove the month's folder `dir` that this run made and wrote nothing into (it held only the
/// lock), with the lock inside it on Unix; the lock is given up.
pub fn remove_fresh(dir: &Path, lock: MonthLock) {
    if cfg!(unix) {
        let _ = std::fs::remove_file(lock_path(dir));
    }
    drop(lock);
    let _ = std::fs::remove_dir(dir);
}

/// A step of the replacement at which a test may make the run fail (`BROKERCOMP_FAULT=<step>`)
/// or die on the spot (`BROKERCOMP_FAULT=<step>!`, as `kill -9` would): `stage:<file name>`
/// after that output is rendered, `carried` after the other files are linked, `aside` between
/// the two renames (Windows' way; naming this step makes Linux take it too), `swapped` after
/// the exchange and before the old set is deleted.
///
/// # Errors
/// The simulated failure.
pub fn fault(step: &str) -> Result<(), String> {
    let Some(want) = std::env::var_os("BROKERCOMP_FAULT") else {
        // The older single-purpose switch: fail after rendering one output.
        if let Some(name) = std::env::var_os("BROKERCOMP_FAIL_WRITE") {
            if step.strip_prefix("stage:").is_some_and(|n| name == n) {
                return Err("simulated write failure (BROKERCOMP_FAIL_WRITE)".into());
            }
        }
        return Ok(());
    };
    let want = want.to_string_lossy();
    if want.strip_suffix('!') == Some(step) {
        std::process::abort();
    }
    if want == step {
        return Err(format!("simulated failure at {step} (BROKERCOMP_FAULT)"));
    }
    Ok(())
}

fn month_name(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn reports_of(dir: &Path) -> PathBuf {
    dir.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Remove what killed runs of this month left behind (call under the month's lock): staging
/// folders, set-aside old folders and temporary files. When the month's folder has no manifest
/// but a set-aside folder has one (a run died between the two renames where the exchange is not
/// available), that set is put back.
///
/// # Errors
/// When a leftover cannot be removed.
pub fn recover(dir: &Path) -> Result<(), ReportError> {
    let reports = reports_of(dir);
    let name = month_name(dir);
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    let mut leftovers: Vec<PathBuf> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&reports) {
        for e in entries.filter_map(Result::ok) {
            let n = e.file_name().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
                leftovers.push(e.path());
            }
        }
    }
    leftovers.sort();
    if !dir.join(Manifest::FILE).exists() {
        if let Some(i) = leftovers.iter().position(|p| p.join(Manifest::FILE).exists()) {
            let old = &leftovers[i];
            let empty = std::fs::read_dir(dir).map(|mut es| es.next().is_none()).unwrap_or(true);
            if empty {
                // The whole folder back in one rename (where the lock is not inside it).
                let _ = std::fs::remove_dir(dir);
                rename(old, dir)?;
                leftovers.remove(i);
            } else {
                for e in std::fs::read_dir(old).map_err(|e| werr(old, e))?.filter_map(Result::ok) {
                    let target = dir.join(e.file_name());
                    if !target.exists() {
                        std::fs::rename(e.path(), &target).map_err(|e| werr(&target, e))?;
                    }
                }
            }
        }
    }
    for p in leftovers {
        make_writable(&p);
        std::fs::remove_dir_all(&p).map_err(|e| werr(&p, e))?;
    }
    // Temporary files of earlier versions of this tool, in the month's folder itself.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.filter_map(Result::ok) {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(".brokercomp-") && n.ends_with(".tmp") {
                std::fs::remove_file(e.path()).map_err(|err| werr(&e.path(), err))?;
            }
        }
    }
    Ok(())
}

/// Let the owner delete a folder tree that holds read-only files or folders (an archive).
fn make_writable(p: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::symlink_metadata(p) {
            if m.is_dir() {
                let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o700));
                if let Ok(entries) = std::fs::read_dir(p) {
                    for e in entries.filter_map(Result::ok) {
                        make_writable(&e.path());
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = p;
}

/// A new, empty staging folder beside the month's folder, readable by the owner only.
///
/// # Errors
/// When it cannot be created.
pub fn staging_folder(dir: &Path) -> Result<PathBuf, ReportError> {
    let reports = reports_of(dir);
    let path = reports.join(format!(".{}.staging-{}", month_name(dir), std::process::id()));
    if path.exists() {
        make_writable(&path);
        std::fs::remove_dir_all(&path).map_err(|e| werr(&path, e))?;
    }
    #[cfg(unix)]
    let b = {
        let mut b = std::fs::DirBuilder::new();
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b
    };
    // On Windows the folder takes the access list the reports folder passes on.
    #[cfg(not(unix))]
    let b = std::fs::DirBuilder::new();
    b.create(&path).map_err(|e| werr(&path, e))?;
    Ok(path)
}

/// Link into `staging` every entry of `dir` whose name is not in `ours` (outputs of this tool,
/// old or new): files by hard link (a copy where links are not possible), folders recursively.
///
/// # Errors
/// When an entry cannot be linked or copied.
pub fn carry_over(dir: &Path, staging: &Path, ours: &dyn Fn(&str) -> bool) -> Result<(), ReportError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name();
        let n = name.to_string_lossy();
        if ours(&n) || staging.join(&name).exists() {
            continue;
        }
        link_tree(&e.path(), &staging.join(&name))?;
    }
    Ok(())
}

fn link_tree(from: &Path, to: &Path) -> Result<(), ReportError> {
    let meta = std::fs::symlink_metadata(from).map_err(|e| werr(from, e))?;
    if meta.is_dir() {
        std::fs::create_dir(to).map_err(|e| werr(to, e))?;
        for e in std::fs::read_dir(from).map_err(|e| werr(from, e))?.filter_map(Result::ok) {
            link_tree(&e.path(), &to.join(e.file_name()))?;
        }
        std::fs::set_permissions(to, meta.permissions()).map_err(|e| werr(to, e))?;
        Ok(())
    } else if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(|e| werr(from, e))?;
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, to).map_err(|e| werr(to, e))?;
        #[cfg(not(unix))]
        let _ = target;
        Ok(())
    } else {
        match std::fs::hard_link(from, to) {
            Ok(()) => Ok(()),
            Err(_) => crate::output::copy(from, to).map(|_| ()).map_err(|e| werr(to, e)),
        }
    }
}

/// Exchange `staging` (the new set) with `dir` (the old one), in one step where the system
/// allows it. Afterwards `staging` holds the old set.
///
/// # Errors
/// When neither the exchange nor the renames succeed; the month's folder is then unchanged (or,
/// when the process dies between the renames, put back by the next run's [`recover`]).
pub fn swap(staging: &Path, dir: &Path) -> Result<(), ReportError> {
    #[cfg(target_os = "linux")]
    if !two_renames_asked() {
        use std::os::unix::ffi::OsStrExt;
        let a = std::ffi::CString::new(staging.as_os_str().as_bytes()).map_err(|e| werr(staging, e))?;
        let b = std::ffi::CString::new(dir.as_os_str().as_bytes()).map_err(|e| werr(dir, e))?;
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        let r =
            unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
        if r == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        // Filesystems without the exchange say EINVAL (or ENOSYS on old kernels): fall back.
        if !matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(werr(dir, e));
        }
    }
    // Two renames: between them the month's folder is missing, and `recover` puts the set-aside
    // folder back if the run dies there.
    let aside = reports_of(dir).join(format!(".{}.old-{}", month_name(dir), std::process::id()));
    rename(dir, &aside)?;
    let second = fault("aside").map_err(|e| werr(dir, e)).and_then(|()| rename(staging, dir));
    if let Err(e) = second {
        let _ = rename(&aside, dir);
        return Err(e);
    }
    rename(&aside, staging)
}

/// Whether a test asked for the two renames on Linux (a `BROKERCOMP_FAULT` at their step).
#[cfg(target_os = "linux")]
fn two_renames_asked() -> bool {
    std::env::var_os("BROKERCOMP_FAULT").is_some_and(|f| f.to_string_lossy().trim_end_matches('!') == "aside")
}

/// Rename a folder. On Windows a rename is refused while a file inside is open — by a person
/// (a workbook of the month open in Excel or WPS) or, for a moment, by a virus scanner reading a
/// new file: it is tried again for about two seconds, then the error says what to do.
fn rename(from: &Path, to: &Path) -> Result<(), ReportError> {
    let mut tries = 0;
    loop {
        let Err(e) = std::fs::rename(from, to) else { return Ok(()) };
        // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION.
        let in_use = cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32));
        if !in_use {
            return Err(werr(from, e));
        }
        if tries == 10 {
            return Err(werr(
                from,
                format!("{e}; a file in it is open (a workbook in Excel or WPS?): close it and run again"),
            ));
        }
        tries += 1;
        std::thread::sleep(std::time::Duration::from_millis(40 * tries));
    }
}

/// Delete the old set (now in `staging`); a failure leaves a leftover for the next run.
pub fn discard(staging: &Path) {
    make_writable(staging);
    let _ = std::fs::remove_dir_all(staging);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_run_waiting_on_a_month_whose_folder_was_removed_locks_the_new_one() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("2026-10");
        let first = lock_month(&dir, &|| {}).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.clone();
        let waiting = std::thread::spawn(move || lock_month(&d, &|| tx.send(()).unwrap()).unwrap());
        rx.recv().unwrap();
        remove_fresh(&dir, first);
        let second = waiting.join().unwrap();
        // The lock held is the one at the path: a third run must wait for it.
        let third = File::open(lock_path(&dir)).unwrap();
        assert!(matches!(third.try_lock(), Err(std::fs::TryLockError::WouldBlock)));
        drop(second);
        assert!(third.try_lock().is_ok());
    }

    #[test]
    fn a_fresh_folder_is_removed_with_its_lock_and_one_with_outputs_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("2026-10");
        remove_fresh(&dir, lock_month(&dir, &|| {}).unwrap());
        assert!(!dir.exists());
        let lock = lock_month(&dir, &|| {}).unwrap();
        std::fs::write(dir.join("payroll_2026-10.csv"), "x").unwrap();
        remove_fresh(&dir, lock);
        assert!(dir.join("payroll_2026-10.csv").exists(), "a folder with files in it stays");
    }
}
