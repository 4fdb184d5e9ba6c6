//! One parser per input kind: a row's cells → the kind's typed row, and the checks that belong
//! to that kind alone (the roster's activity, the accounts' open dates, the scores' range).
//!
//! Each parser is a plain function of a [`super::rows::RowParse`]; what is shared by every kind
//! (duplicates, inactive managers) is in [`super::checks`], the crm's cross-row checks in
//! [`super::reconcile`].

pub mod accounts;
pub mod adjustments;
pub mod crm;
pub mod roster;
pub mod scores;
