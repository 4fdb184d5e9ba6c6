//! The rules of SPEC §4.2–4.6, one file each, each a pure function on exact decimals that
//! returns its value rounded once and what it was made of (the working that 计算明细 and
//! `explain` show). A rule applied across the month's rows or managers (the accounts of §4.5,
//! the leader override, the cap) has that step, `apply`, in its file too, after the formula. To
//! change a rule, change its file and the tests beside it.

pub mod account_bonus;
pub mod base_salary;
pub mod cap;
pub mod commission;
pub mod leader;
pub mod minimum;
pub mod other_pay;
