//! brokercomp: the month-end compensation close of a brokerage branch's sales force.
//!
//! Each month it reads the CRM export, the account-opening export and the staff roster (plus
//! manual adjustments and duty scores), applies the salary standard in force that month, and
//! writes the workbooks finance signs, a payroll CSV and a manifest. Data flows one way, and
//! every stage takes the previous stage's types and returns its own, complete:
//!
//! ```text
//!  config/brokercomp.toml, standards/*.toml          <data>/<YYYY-MM>/*.xlsx|xls|ods|csv
//!              │                                                  │
//!          config ── Config, Standard ──────┐                     │
//!                                           ▼                     ▼
//!                                         ingest ── MonthInput (typed rows, 数据异常, counts)
//!                                           │
//!                                         compute ── ComputedMonth (pay, working, credited
//!                                           │         rows, accounts, reconciliation)
//!                           ledger ◄───────┤   (every other month: earlier clients,
//!                                           │     prior-period lines, neighbours; closed
//!                                           ▼     months from their archive; cached)
//!                                        analysis ── Analysis (team figures, reviews)
//!                                           │
//!                                         report ──► <reports>/<YYYY-MM>/ (replaced as a set)
//!
//!  model, calendar, money, lookup, digest: the vocabulary and tools every stage shares
//!  app: the commands (orchestration, and the only code that talks to the terminal);
//!  closing: close, reopen and verify a month (SPEC §4.10)
//!  whatif: a draft standard against the one in force (SPEC §6; analysis::whatif compares,
//!          report::whatif writes into <reports>/whatif/ only)
//!  main: the command line → app → exit code; errors are formatted there alone
//! ```
//!
//! Only `ingest` (and `ledger`, for archives and its cache) reads files, and only `report` (and
//! `closing`, for archives and close records; `whatif`, for its two files) writes them;
//! `compute` and `analysis` are pure. Each layer has its own error type. Anything that reaches a
//! report is ordered by construction (`clippy.toml` allows no iterable hash map).

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
