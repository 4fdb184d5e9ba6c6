//! `approve` and `status` (SPEC §4.12): the sign-off chain of article 15, recorded as SSH
//! signatures over the month's manifest, and where a month stands.
//!
//! `approve` signs in three ways — with a private key file (`--key`), or for a key that never
//! leaves its holder by printing the statement (`--signer NAME --print-statement`) that
//! `ssh-keygen -Y sign -n brokercomp` signs and recording it (`--statement FILE --signature
//! FILE`) — and appends the record to the month's `approvals.jsonl` under the month's lock, or
//! refuses with the reason (exit 2) and records nothing. `status` prints the month's state on
//! stdout: open or closed, its exceptions and warnings, and each role of the chain. The rules
//! and the files are [`crate::ledger::approvals`]'s; this module only says what happened.

use std::io::Write;
use std::path::PathBuf;

use unicode_width::UnicodeWidthStr;
use zeroize::Zeroizing;

use crate::calendar::{utc_now, YearMonth};
use crate::ledger::approvals::{
    self, read_private_key, read_submission, record, short, sign, signer_of_key, ApprovalError, Chain, ChainState,
    Decision, RoleState, PASSPHRASE_VAR,
};
use crate::pipeline::{RunError, Settings, Status};

/// How `approve` signs.
#[derive(Debug, Clone)]
pub enum How {
    /// `--key FILE`: sign with this private key file.
    Key(PathBuf),
    /// `--signer NAME --print-statement`: print the statement NAME would sign next.
    Print(String),
    /// `--statement FILE --signature FILE`: record a statement signed elsewhere.
    Submit { statement: PathBuf, signature: PathBuf },
}

fn refused(e: ApprovalError) -> RunError {
    RunError::Usage(e.to_string())
}

/// A warning on stderr: signing goes on.
fn warn(warning: Option<String>) {
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
}

/// What comes next in the month's chain, in words.
fn next_words(month: YearMonth, chain: &Chain, config_changed: bool) -> String {
    match chain.state() {
        ChainState::Complete if config_changed => {
            format!("{month}: the sign-off chain is complete, over outputs of the configuration as it was")
        }
        ChainState::Complete => format!("{month}: the sign-off chain is complete; the month can be closed"),
        ChainState::Rejected(_) => {
            format!("{month}: the chain of these outputs has ended in a reject; run the month again, corrected")
        }
        ChainState::Pending(roles) => format!("{month}: next to sign: {}", roles.join(" → ")),
    }
}

/// `approve --month M (--key FILE | --signer NAME --print-statement | --statement FILE
/// --signature FILE) [--reject --reason TEXT]`. A recorded statement carries its own decision and
/// reason: `--reject` and `--reason` given with it must agree with them. A changed configuration
/// or a key file open to others is warned about on stderr, and signing goes on.
///
/// # Errors
/// Exit 2, nothing recorded: the month is closed or has no outputs, no signers are configured,
/// or the approval is refused (its reason).
pub fn approve(
    s: &Settings,
    month: YearMonth,
    how: How,
    reject: bool,
    reason: Option<&str>,
) -> Result<Status, RunError> {
    let ledger = s.read_only_ledger();
    let dir = ledger.month_dir(month);
    if let Some(r) = ledger.closed(month)? {
        return Err(RunError::Usage(format!(
            "{month} is closed (on {} by {}): its chain is kept in close.json and nothing more is signed",
            r.closed_at, r.closed_by
        )));
    }
    let cfg = &s.config;
    if cfg.signers.is_empty() {
        return Err(refused(ApprovalError::NoSigners));
    }
    let decision = if reject { Decision::Reject } else { Decision::Approve };
    let wait = || eprintln!("{}: another run or approval of this month is writing; waiting", dir.display());
    let (signed, warning) = match how {
        How::Print(name) => {
            let signer = cfg.signers.iter().find(|x| x.name == name).ok_or_else(|| {
                let names: Vec<&str> = cfg.signers.iter().map(|x| x.name.as_str()).collect();
                RunError::Usage(format!("{name} is not a registered signer; [[signers]] names: {}", names.join(", ")))
            })?;
            let (statement, warning) =
                approvals::print_statement(cfg, month, &dir, signer, decision, reason).map_err(refused)?;
            warn(warning);
            let mut out = std::io::stdout().lock();
            out.write_all(&statement.message())
                .and_then(|()| out.flush())
                .map_err(|e| RunError::Usage(e.to_string()))?;
            eprintln!(
                "{month}: the statement {} ({}) signs next; save it to a file, sign it with\n  ssh-keygen -Y sign -n brokercomp -f KEY FILE\nand record it with\n  brokercomp approve --month {month} --statement FILE --signature FILE.sig",
                signer.name, signer.role
            );
            return Ok(Status::Clean);
        }
        How::Key(path) => {
            let passphrase = std::env::var(PASSPHRASE_VAR).ok().map(Zeroizing::new);
            let (key, warning) = read_private_key(&path, passphrase.as_ref().map(|p| p.as_str())).map_err(refused)?;
            warn(warning);
            let signer = signer_of_key(cfg, key.public_key()).map_err(refused)?;
            let make = |chain: &Chain| {
                let statement =
                    chain.next_statement(signer, decision, reason, utc_now()).map_err(ApprovalError::Refused)?;
                sign(&statement, &key)
            };
            record(cfg, month, &dir, &wait, &make).map_err(refused)?
        }
        How::Submit { statement, signature } => {
            let submitted = read_submission(&statement, &signature).map_err(refused)?;
            approvals::agrees(&submitted.statement, reject, reason).map_err(refused)?;
            record(cfg, month, &dir, &wait, &|_| Ok(submitted.clone())).map_err(refused)?
        }
    };
    warn(warning);
    let st = &signed.statement;
    eprintln!(
        "{month}: {} {} {} manifest {} at {}{} (line {} of {})",
        st.role,
        st.name,
        st.decision.past(),
        short(&st.manifest_sha256),
        st.at,
        st.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default(),
        signed.line,
        approvals::APPROVALS_FILE
    );
    let state = approvals::load(cfg, month, &dir).map_err(refused)?;
    eprintln!("{}", next_words(month, &state.chain, state.config_changed));
    Ok(Status::Clean)
}

/// The month's completeness warnings as its manifest records them (`None`: it records none).
fn warnings(manifest: &serde_json::Value) -> Option<usize> {
    match &manifest["checks"] {
        serde_json::Value::Array(a) => Some(a.len()),
        serde_json::Value::Object(o) => o.get("warnings").and_then(|w| w.as_array()).map(Vec::len),
        _ => None,
    }
}

/// `status --month M`: exit 0 when the chain of the current outputs is complete (or no signers
/// are configured), 1 when it is incomplete, rejected or stale. A configuration changed since the
/// run is said, and does not change the exit status (close regenerates the month and refuses it).
///
/// # Errors
/// Exit 2, cannot tell: no outputs, a configuration or archive that cannot be read, a line of
/// approvals.jsonl that does not check out (each named).
pub fn status(s: &Settings, month: YearMonth) -> Result<Status, RunError> {
    let mut ledger = s.read_only_ledger();
    let dir = ledger.month_dir(month);
    // A closed month is checked against its archived configuration's signers.
    let source = ledger.source(month)?;
    let cfg = &source.config;
    let state = approvals::load(cfg, month, &dir).map_err(refused)?;
    let manifest = &state.manifest;
    let mut out = Vec::<String>::new();
    match &state.close {
        Some(c) => out.push(format!(
            "{month} ({}): closed on {} by {}",
            cfg.organization.code,
            c["closed_at"].as_str().unwrap_or("?"),
            c["closed_by"].as_str().unwrap_or("?")
        )),
        None => out.push(format!("{month} ({}): open", cfg.organization.code)),
    }
    let exceptions = manifest["exceptions"].as_u64().unwrap_or(0);
    let warned = match warnings(manifest) {
        Some(n) => {
            let accepted = state.close.as_ref().and_then(|c| c.get("accepted_warnings")).filter(|a| !a.is_null());
            let accepted = match accepted {
                Some(a) => format!(" (accepted: {})", a["reason"].as_str().unwrap_or("at close")),
                None if n > 0 => " (not accepted)".into(),
                None => String::new(),
            };
            format!("{n} completeness warning(s){accepted}")
        }
        None => "no completeness warnings recorded".into(),
    };
    out.push(format!(
        "  outputs: manifest.json {}; {exceptions} data exception(s), {warned}",
        short(&state.chain.rules.manifest)
    ));
    if cfg.signers.is_empty() {
        out.push("  sign-off: no [[signers]] configured; brokercomp keeps no chain for this month".into());
        println!("{}", out.join("\n"));
        return Ok(Status::Clean);
    }
    if !state.chain.problems.is_empty() {
        println!("{}", out.join("\n"));
        return Err(refused(ApprovalError::Untrusted { file: state.file(), problems: state.chain.problems.clone() }));
    }
    out.push(format!("  sign-off chain ({}):", approvals::chain_roles(cfg).join(" → ")));
    let width = state.chain.rules.roles.iter().map(|r| r.width()).max().unwrap_or(0);
    let mut stale = 0;
    for (role, st) in state.chain.roles() {
        let pad = " ".repeat(width - role.width());
        let line = match st {
            RoleState::Signed(x) => format!(
                "{} by {} at {}{}: {} the current outputs",
                x.statement.decision.past(),
                x.statement.name,
                x.statement.at,
                x.statement.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(),
                if x.statement.decision == Decision::Approve { "valid for" } else { "over" }
            ),
            RoleState::Stale(x) => {
                stale += 1;
                format!(
                    "stale: {} {} manifest {} at {}; the outputs have changed since: sign again",
                    x.statement.name,
                    x.statement.decision.past(),
                    short(&x.statement.manifest_sha256),
                    x.statement.at
                )
            }
            RoleState::Pending => "pending".into(),
        };
        out.push(format!("    {role}{pad}  {line}"));
    }
    if state.config_changed {
        out.push(format!(
            "  the configuration has changed since {month} was run: close will ask for the month to be run again and signed anew"
        ));
    }
    let (verdict, status) = match state.chain.state() {
        ChainState::Complete => (
            if state.close.is_some() {
                format!("{month}: closed with its sign-off chain complete")
            } else if state.config_changed {
                format!("{month}: the sign-off chain is complete, over outputs of the configuration as it was")
            } else {
                format!("{month}: the sign-off chain is complete; the month can be closed")
            },
            Status::Clean,
        ),
        ChainState::Rejected(i) => {
            let x = &state.chain.entries[i].statement;
            (
                format!(
                    "{month}: rejected by {} ({}): {}; run the month again, corrected: a new chain starts",
                    x.name,
                    x.role,
                    x.reason.as_deref().unwrap_or_default()
                ),
                Status::Exceptions,
            )
        }
        ChainState::Pending(missing) => (
            format!(
                "{month}: incomplete: {} to sign, next {}{}",
                missing.join(", "),
                missing[0],
                if stale > 0 { " (stale approvals of earlier outputs no longer count)" } else { "" }
            ),
            Status::Exceptions,
        ),
    };
    out.push(verdict);
    println!("{}", out.join("\n"));
    Ok(status)
}
