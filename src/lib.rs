//! brokercomp: the month-end compensation close of a brokerage branch's sales force.
pub mod calendar;
pub mod config;
pub mod error;
pub mod ingest;
pub mod money;
