//! Who a manager is (人员名册) and the words the inputs use about people and clients.
//!
//! Takes nothing; gives [`Person`], read from the roster by ingestion and carried unchanged by
//! every later stage (the computed month, the history, the reports).

use serde::{Deserialize, Serialize};

use crate::calendar::Date;

/// 用工性质.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Employment {
    Employee,
    PartTime,
}

impl Employment {
    /// The payroll CSV's word.
    pub fn code(self) -> &'static str {
        match self {
            Employment::Employee => "employee",
            Employment::PartTime => "part_time",
        }
    }
}

/// 开发 or 服务: how a client is related to a manager in the CRM export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Development,
    Service,
}

/// Who a manager is, as the roster of the month says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub manager_id: String,
    pub name: String,
    pub team: String,
    pub group: Option<String>,
    pub outlet: Option<String>,
    pub employment: Employment,
    pub hire_date: Date,
    pub regular_date: Option<Date>,
    pub leave_date: Option<Date>,
    /// 组长.
    pub leader: bool,
}
