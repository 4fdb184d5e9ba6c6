//! The vocabulary every stage shares, at the bottom of the house: every arrow points down to it.
//!
//! Takes nothing; gives the input kinds and their fields ([`fields`]), who a manager is
//! ([`person`]), the entries of 数据异常 ([`issue`]), the pay components and report columns
//! ([`pay`]) and the figures of the team analysis ([`team`]). It imports nothing of the crate but
//! `calendar`.

pub mod fields;
pub mod issue;
pub mod order;
pub mod pay;
pub mod person;
pub mod team;

pub use fields::{Field, FieldType, Kind, Unread};
pub use issue::{Duplicated, Issue, Problem, Reason, Severity};
pub use pay::{ByComponent, Column, Component, Components, Identity, Metric, Metrics};
pub use person::{Employment, Person, Relation};
pub use team::{ByMetric, TeamMetric};
