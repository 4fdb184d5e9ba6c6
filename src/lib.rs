//! brokercomp: the month-end compensation close of a brokerage branch's sales force.
//!
//! Each month it reads the CRM export, the account-opening export and the staff roster (plus
//! manual adjustments and duty scores), applies the salary standard in force that month, and
//! writes the workbooks finance signs, a payroll CSV and a manifest. Data flows one way, and
//! every stage takes the previous stage's types and returns its own, complete. The layers, bottom
//! first (a module imports only its own layer and those below; `tests/architecture.rs` fails on
//! an import that climbs or closes a circle):
//!
//! ```text
//!  commands   app (dispatch only) · cli (flags) · commands/<command>.rs · sample
//!     │        each command asks the pipeline for its months; never another command
//!  pipeline   one month's road: Settings → Ledger → generate (and publish), RunError
//!     │        sources → ingest → compute → analysis → report → publish
//!  ledger     every other month a month needs (earlier clients, figures, prior-period lines,
//!     │        watched accounts; closed months from their archive; cached), LedgerError; it has
//!     │        months computed through the pipeline's road (the Producer the pipeline gives it);
//!     │        the sign-off chain of a month (approvals: statements, SSH signatures, order);
//!     │        the filing package (filing: what `file` packs) and head office's reading of
//!     │        packages, untrusted, into the consolidation (package)
//!  report     one module per workbook, the payroll CSV, the manifest, head office's
//!     │        consolidation (汇总 and its CSV); atomic replacement
//!  analysis   MonthSummary, team analysis, reviews, what-if comparison (pure)
//!  compute    MonthInput + Standard → ComputedMonth, rule by rule (pure)
//!  ingest     files → MonthInput (typed rows, 数据异常, counts), FileError
//!  config     brokercomp.toml and the standards → Config, Standard, ConfigError
//!  model      the vocabulary: kinds and fields, Person, Issue, Components
//!
//!  leaves     money, calendar, lookup, digest, output (every file written goes through it:
//!             created private, flushed through its own handle, closed): used by every layer,
//!             importing only each other
//!  main       the command line → app → exit code; errors are formatted there alone
//! ```
//!
//! Only `ingest` (and `ledger`, for archives, its cache, approvals, key files and filing packages)
//! reads files, and only `report` (and `ledger::approvals`, appending to a month's
//! approvals.jsonl, `ledger::filing`, writing a package, `ledger::package`, spooling a package's
//! payroll into the consolidation's temporary folder, and the `close`, `whatif`, `consolidate` and
//! `dossier` commands, for archives, close records and their own files) writes them; `compute` and
//! `analysis` are pure. Each layer has its own error type. Anything that
//! reaches a report is ordered by construction (`clippy.toml` allows no iterable hash map).

/// The version and the fingerprint of the code this binary was built from (see `build.rs`):
/// caches are keyed on it and the manifest names it.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("BROKERCOMP_BUILD"));

pub mod analysis;
pub mod app;
pub mod calendar;
pub mod cli;
pub mod commands;
pub mod compute;
pub mod config;
pub mod digest;
pub mod ingest;
pub mod ledger;
pub mod lookup;
pub mod model;
pub mod money;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod sample;

/// Helpers of the unit tests: exact decimals, months and dates from text.
#[cfg(test)]
pub(crate) mod testing {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use crate::calendar::{Date, YearMonth};

    pub fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    pub fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    /// `YYYY-MM-DD`.
    pub fn date(s: &str) -> Date {
        let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap()).collect();
        Date::new(p[0] as i32, p[1], p[2]).unwrap()
    }
}
