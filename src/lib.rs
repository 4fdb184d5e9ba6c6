//! brokercomp: the month-end compensation close of a brokerage branch's sales force.
//!
//! Each month it reads the CRM export, the account-opening export and the staff roster (plus
//! manual adjustments and duty scores), applies the salary standard in force that month, and
//! writes the workbooks finance signs, a payroll CSV and a manifest. Data flows one way:
//!
//! ```text
//!  <data>/<YYYY-MM>/*.xlsx|xls|ods|csv       config/brokercomp.toml, config/standards/*.toml
//!            │                                          │
//!        ingest ── typed rows + 数据异常 ──►  compute ◄─┘  (pure: rules of SPEC §4)
//!                                               │
//!                                            report ──► <reports>/<YYYY-MM>/ (atomic, locked)
//! ```
//!
//! Only `ingest` and `report` touch files; `money` holds the one rounding policy.

/// The version and the fingerprint of the code this binary was built from (see `build.rs`):
/// caches are keyed on it and the manifest names it.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("BROKERCOMP_BUILD"));

pub mod analysis;
pub mod app;
pub mod calendar;
pub mod cli;
pub mod compute;
pub mod config;
pub mod digest;
pub mod error;
pub mod history;
pub mod ingest;
pub mod lookup;
pub mod model;
pub mod money;
pub mod report;
pub mod sample;
