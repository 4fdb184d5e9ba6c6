//! The dispatcher: a parsed command line → its settings → the command that does it. Nothing
//! else lives here: each command is a module of [`crate::commands`], built on
//! [`crate::pipeline`].

use std::path::PathBuf;

use crate::cli::{Cli, Command, ConfigArg, FoldersArg};
use crate::commands::{self, month_or_previous, months_of, parse_month, who};
use crate::pipeline::{RunError, Settings, Status};

/// `--config`, else `$BROKERCOMP_CONFIG`, else `config/brokercomp.toml`.
fn config_path(arg: &ConfigArg) -> PathBuf {
    arg.config
        .clone()
        .or_else(|| std::env::var_os("BROKERCOMP_CONFIG").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("config/brokercomp.toml"))
}

/// The settings of a command's flags.
///
/// # Errors
/// A configuration error.
fn load(arg: &ConfigArg, folders: FoldersArg) -> Result<Settings, RunError> {
    Settings::load(config_path(arg), folders.data, folders.out)
}

/// Execute a parsed command line.
///
/// # Errors
/// Whatever stops the command: usage, configuration, a file-level input error, `--strict`, a
/// closed month, or a failed write.
pub fn execute(cli: Cli) -> Result<Status, RunError> {
    match cli.command {
        Command::Run { config, months, folders, strict, timings } => {
            let months = months_of(months)?;
            commands::run::run(&load(&config, folders)?, months, strict, timings)
        }
        Command::Check { config, month, folders } => {
            let month = month_or_previous(month)?;
            commands::run::check(&load(&config, folders)?, month)
        }
        Command::Explain { config, month, manager, folders } => {
            let month = parse_month(&month, "--month")?;
            commands::run::explain(&load(&config, folders)?, month, &manager)
        }
        Command::Sample { out, from, to, managers, clients, seed } => {
            let (f, t) = (parse_month(&from, "--from")?, parse_month(&to, "--to")?);
            commands::run::sample(&out, f, t, managers, clients, seed)
        }
        Command::Whatif { config, standard, months, folders } => {
            let months = months_of(months)?;
            commands::whatif::run(&load(&config, folders)?, &standard, &months)
        }
        Command::Dossier { config, months, manager, folders } => {
            let months = months_of(months)?;
            commands::dossier::run(&load(&config, folders)?, &months, manager.as_deref())
        }
        Command::Close { config, month, by, accept, folders } => {
            let month = parse_month(&month, "--month")?;
            commands::closing::close(&load(&config, folders)?, month, &who(by), accept.as_deref())
        }
        Command::Reopen { config, month, reason, by, out } => {
            let month = parse_month(&month, "--month")?;
            commands::closing::reopen(&load(&config, FoldersArg { data: None, out })?, month, &reason, &who(by))
        }
        Command::Verify { config, month, folders } => {
            let month = parse_month(&month, "--month")?;
            commands::closing::verify(&load(&config, folders)?, month)
        }
        Command::Approve {
            config,
            month,
            key,
            signer,
            print_statement: _,
            statement,
            signature,
            reject,
            reason,
            out,
        } => {
            let month = parse_month(&month, "--month")?;
            let how = match (key, signer, statement, signature) {
                (Some(key), ..) => commands::approve::How::Key(key),
                (None, None, Some(statement), Some(signature)) => {
                    commands::approve::How::Submit { statement, signature }
                }
                (None, Some(signer), ..) => commands::approve::How::Print(signer),
                _ => {
                    return Err(RunError::Usage(
                        "approve: give --key, --signer with --print-statement, or --statement with --signature".into(),
                    ))
                }
            };
            let s = load(&config, FoldersArg { data: None, out })?;
            commands::approve::approve(&s, month, how, reject, reason.as_deref())
        }
        Command::File { config, month, to, out } => {
            let month = parse_month(&month, "--month")?;
            commands::file::file(&load(&config, FoldersArg { data: None, out })?, month, &to)
        }
        Command::Consolidate { branches, month, filings, out } => {
            let month = parse_month(&month, "--month")?;
            commands::consolidate::consolidate(&branches, month, &filings, &out)
        }
        Command::Status { config, month, out } => {
            let month = parse_month(&month, "--month")?;
            commands::approve::status(&load(&config, FoldersArg { data: None, out })?, month)
        }
    }
}
