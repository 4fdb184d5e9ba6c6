//! The command line (SPEC §6): raw flags only, turned into settings by the dispatcher (`app`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_STATUSES: &str = "Exit status:
  0  written (or checked, verified), no exceptions
  1  written, with data exceptions or completeness warnings (SPEC §4.11; listed in 数据异常 and
     on stderr); verify: outputs differ
  2  nothing written: usage, configuration, a file-level input error, a closed month,
     or any exception or warning under --strict";

const APPROVE_EXIT: &str = "Exit status:
  0  the statement was signed and recorded in <reports>/<month>/approvals.jsonl
     (--print-statement: printed on stdout, nothing recorded)
  2  refused, with the reason, and nothing recorded: out of turn, a second time, after a
     reject, a reject without a reason, a key not registered, a statement for another
     organization, month or manifest, a signature that does not verify, --reject or --reason
     that disagree with the recorded statement
A key file open to group or others, or a configuration changed since the month was run, is
warned about on stderr, and the statement is signed all the same (close asks for a month whose
configuration changed to be run again and signed anew).";

const STATUS_EXIT: &str = "Exit status:
  0  the sign-off chain of the month's current outputs is complete (or no [[signers]] are configured)
  1  the chain is incomplete, rejected or stale (the outputs changed after it was signed)
  2  cannot tell: the month has no outputs, or approvals.jsonl has a line that does not check out";

const FILE_EXIT: &str = "Exit status:
  0  the package <code>_<YYYYMM>.zip was written into --to
  2  nothing written: the month is not closed, its archive or a file to pack is not as closed,
     its sign-off chain is incomplete (with signers configured), or the package cannot be written";

const CONSOLIDATE_EXIT: &str = "Exit status:
  0  every registered branch is 已备案 (a valid package) and none is 超限
  1  written, and a branch is 缺失 (no package), 无效 (each reason in 问题 and on stderr) or 超限
  2  nothing written: branches.toml is not valid, a folder cannot be read or written";

#[derive(Debug, Parser)]
#[command(
    name = "brokercomp",
    version,
    about = "Month-end compensation close of a brokerage branch's sales force",
    after_help = EXIT_STATUSES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct ConfigArg {
    /// The configuration file (default: $BROKERCOMP_CONFIG, else config/brokercomp.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The folders a command reads and writes, when not those of the configuration.
#[derive(Debug, Args, Clone)]
pub struct FoldersArg {
    /// The folder of month folders (replaces paths.data).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The reports folder (replaces paths.reports): where months are written and closed months
    /// read from; whatif writes into its whatif/ folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// A month, or a range of months.
#[derive(Debug, Args, Clone)]
pub struct MonthsArg {
    /// The month, YYYY-MM (default: the previous calendar month).
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
    pub month: Option<String>,
    /// First month of a range, YYYY-MM (with --to); `run` skips closed months in it, `whatif`
    /// months without inputs.
    #[arg(long, value_name = "YYYY-MM", requires = "to")]
    pub from: Option<String>,
    /// Last month of a range, YYYY-MM (with --from).
    #[arg(long, value_name = "YYYY-MM", requires = "from")]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute a month (or a range) and write its reports.
    #[command(after_help = EXIT_STATUSES)]
    Run {
        #[command(flatten)]
        config: ConfigArg,
        #[command(flatten)]
        months: MonthsArg,
        #[command(flatten)]
        folders: FoldersArg,
        /// Any data exception or completeness warning stops the month: nothing written, exit 2.
        #[arg(long)]
        strict: bool,
        /// Print the time of each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Validate the configuration and a month's inputs; write nothing.
    #[command(after_help = EXIT_STATUSES)]
    Check {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM (default: the previous calendar month).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        #[command(flatten)]
        folders: FoldersArg,
    },
    /// Show every rule's inputs and result for one manager, in the terminal.
    #[command(after_help = EXIT_STATUSES)]
    Explain {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The manager's ID (工号).
        #[arg(long, value_name = "ID")]
        manager: String,
        #[command(flatten)]
        folders: FoldersArg,
    },
    /// Generate realistic sample months (the same seed gives the same files).
    #[command(after_help = EXIT_STATUSES)]
    Sample {
        /// The folder to write the month folders into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// First month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM", default_value = "2025-10")]
        from: String,
        /// Last month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM", default_value = "2026-10")]
        to: String,
        /// How many client managers.
        #[arg(long, default_value_t = 40)]
        managers: u32,
        /// How many clients.
        #[arg(long, default_value_t = 4000)]
        clients: u32,
        /// The random seed.
        #[arg(long, default_value_t = 20261027)]
        seed: u64,
    },
    /// Close a signed month: archive its inputs, configuration and standard, freeze its outputs
    /// (SPEC §4.10). Later corrections go into the next open month.
    #[command(after_help = EXIT_STATUSES)]
    Close {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Who closes it (default: $USER).
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// Close a month that has completeness warnings (预警, SPEC §4.11), saying why it is right
        /// as it is; recorded in close.json with the warnings, who and when.
        #[arg(long, value_name = "TEXT")]
        accept: Option<String>,
        #[command(flatten)]
        folders: FoldersArg,
    },
    /// Compare a draft salary standard with the one in force over a month or a range: writes
    /// only <reports>/whatif/whatif_<from>_<to>.csv and 测算_<from>_<to>.xlsx.
    #[command(after_help = EXIT_STATUSES)]
    Whatif {
        #[command(flatten)]
        config: ConfigArg,
        /// The draft standard (a salary-standard TOML file; its effective_from is ignored).
        #[arg(long, value_name = "FILE")]
        standard: PathBuf,
        #[command(flatten)]
        months: MonthsArg,
        #[command(flatten)]
        folders: FoldersArg,
    },
    /// Write each client manager's file (客户经理档案) over a month or a range: writes only
    /// <reports>/档案/客户经理档案_<ID>_<from>_<to>.xlsx, one per manager with a payroll row in the
    /// range (or the one named), from the months' figures (closed months from their archive).
    #[command(after_help = EXIT_STATUSES)]
    Dossier {
        #[command(flatten)]
        config: ConfigArg,
        #[command(flatten)]
        months: MonthsArg,
        /// Only this manager's file (工号); exit 2 when they have no payroll row in the range.
        #[arg(long, value_name = "ID")]
        manager: Option<String>,
        #[command(flatten)]
        folders: FoldersArg,
    },
    /// Reopen the latest closed month (its archive is kept), so that it can be run again.
    #[command(after_help = EXIT_STATUSES)]
    Reopen {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Why it is reopened (kept in the close log).
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// Who reopens it (default: $USER).
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// The reports folder (replaces paths.reports).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Regenerate a month (from its archive when closed) and compare every output byte for byte.
    #[command(after_help = EXIT_STATUSES)]
    Verify {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        #[command(flatten)]
        folders: FoldersArg,
    },
    /// Sign the month's report in your role of the sign-off chain (SPEC §4.12): a statement
    /// over the month's manifest, signed with your OpenSSH key, appended to
    /// <reports>/<month>/approvals.jsonl. The roles of report.signoff sign in turn, once each.
    #[command(after_help = APPROVE_EXIT)]
    #[command(group(clap::ArgGroup::new("how").required(true).args(["key", "print_statement", "statement"])))]
    Approve {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Sign with this OpenSSH ed25519 private key file (keep it mode 600: a warning otherwise;
        /// an encrypted one is opened with $BROKERCOMP_KEY_PASSPHRASE). The signer is the
        /// [[signers]] entry of its public key.
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// With --print-statement: the registered signer (their [[signers]] name) the statement is for.
        #[arg(long, value_name = "NAME", requires = "print_statement")]
        signer: Option<String>,
        /// Print the statement --signer would sign next, for a key that never leaves its holder:
        /// save it to a file, sign it with `ssh-keygen -Y sign -n brokercomp -f KEY FILE`, and
        /// record it with --statement FILE --signature FILE.sig.
        #[arg(long, requires = "signer")]
        print_statement: bool,
        /// Record a statement printed by --print-statement (the file as printed, or the same
        /// statement in another JSON spelling, one line): its decision and reason are its own, and
        /// --reject or --reason given with it must agree with them …
        #[arg(long, value_name = "FILE", requires = "signature")]
        statement: Option<PathBuf>,
        /// … with its signature made by `ssh-keygen -Y sign -n brokercomp` (the .sig file).
        #[arg(long, value_name = "FILE", requires = "statement")]
        signature: Option<PathBuf>,
        /// Reject the month's outputs instead of approving them (needs --reason); this ends the
        /// chain of these outputs: the month is run again, corrected, and a new chain starts.
        #[arg(long)]
        reject: bool,
        /// Why the outputs are rejected (with --statement: the statement's reason).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// The reports folder (replaces paths.reports).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// File a closed (and, with signers, fully approved) month with head office (SPEC §4.13, 备案):
    /// writes DIR/<organization code>_<YYYYMM>.zip — the report, the payroll, the team analysis,
    /// the month's reviews, manifest.json, close.json, approvals.jsonl, the archived configuration
    /// and standard, and filing.json. The same closed month gives a byte-identical package.
    #[command(after_help = FILE_EXIT)]
    File {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The folder to write the package into (created when missing).
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// The reports folder (replaces paths.reports).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Head office: check every branch's package of a month and consolidate them (SPEC §4.13):
    /// writes OUT/汇总_YYYY-MM.xlsx and OUT/consolidated_YYYY-MM.csv. Packages are untrusted:
    /// each is 已备案 only when every check passes; branches without one are 缺失.
    #[command(after_help = CONSOLIDATE_EXIT)]
    Consolidate {
        /// Head office's registry of branches (branches.toml): codes, names, signers' keys, [limits].
        #[arg(long, value_name = "FILE")]
        branches: PathBuf,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The folder the branches' packages (*.zip) are in.
        #[arg(long, value_name = "DIR")]
        filings: PathBuf,
        /// The folder to write the consolidation into (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Show where a month stands: open or closed, its exceptions and warnings, and each role of the
    /// sign-off chain with who signed, when and what, and whether it holds for the current outputs.
    #[command(after_help = STATUS_EXIT)]
    Status {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The reports folder (replaces paths.reports).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_exit_statuses_count_completeness_warnings_with_exceptions() {
        let mut cli = Cli::command();
        let top = cli.render_help().to_string();
        for (name, help) in ["run", "check", "close"]
            .into_iter()
            .map(|n| (n, cli.find_subcommand_mut(n).unwrap().render_help().to_string()))
            .chain([("brokercomp", top)])
        {
            assert!(
                help.contains("1  written, with data exceptions or completeness warnings (SPEC §4.11"),
                "{name}: {help}"
            );
            assert!(help.contains("or any exception or warning under --strict"), "{name}: {help}");
        }
        let run = cli.find_subcommand_mut("run").unwrap().render_help().to_string();
        assert!(run.contains("Any data exception or completeness warning stops the month"), "{run}");
    }

    #[test]
    fn a_recorded_statement_may_come_with_reject_and_reason() {
        let args = ["brokercomp", "approve", "--month", "2026-10", "--statement", "s", "--signature", "s.sig"];
        let with = [&args[..], &["--reject", "--reason", "C002 有误"]].concat();
        match Cli::try_parse_from(with).unwrap().command {
            Command::Approve { statement, reject, reason, .. } => {
                assert_eq!(statement, Some(PathBuf::from("s")));
                assert!(reject);
                assert_eq!(reason.as_deref(), Some("C002 有误"));
            }
            other => panic!("{other:?}"),
        }
        // Still one way of signing at a time.
        let both = [&args[..], &["--key", "k"]].concat();
        assert!(Cli::try_parse_from(both).is_err());
    }
}
