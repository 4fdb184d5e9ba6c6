//! The command line (SPEC §6): raw flags only, turned into settings by [`crate::app`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "brokercomp", version, about = "Month-end compensation close of a brokerage branch's sales force")]
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute a month (or a range) and write its reports.
    Run {
        #[command(flatten)]
        config: ConfigArg,
        /// The month, YYYY-MM (default: the previous calendar month).
        #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
        month: Option<String>,
        /// First month of a range (with --to).
        #[arg(long, value_name = "YYYY-MM", requires = "to")]
        from: Option<String>,
        /// Last month of a range (with --from).
        #[arg(long, value_name = "YYYY-MM", requires = "from")]
        to: Option<String>,
        /// The folder of month folders (replaces paths.data).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The reports folder (replaces paths.reports).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Any data exception stops the month: nothing written, exit 2.
        #[arg(long)]
        strict: bool,
        /// Print the time of each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Validate the configuration and a month's inputs; write nothing.
    Check {
        #[command(flatten)]
        config: ConfigArg,
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// Show every rule's inputs and result for one manager.
    Explain {
        #[command(flatten)]
        config: ConfigArg,
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        #[arg(long, value_name = "ID")]
        manager: String,
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// Generate realistic sample months.
    Sample {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_name = "YYYY-MM", default_value = "2025-10")]
        from: String,
        #[arg(long, value_name = "YYYY-MM", default_value = "2026-10")]
        to: String,
        #[arg(long, default_value_t = 40)]
        managers: u32,
        #[arg(long, default_value_t = 4000)]
        clients: u32,
        #[arg(long, default_value_t = 20261027)]
        seed: u64,
    },
}
