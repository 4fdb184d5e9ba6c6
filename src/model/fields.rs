//! The input kinds of SPEC §2 and their fields: names, header aliases, types, whether required,
//! and what an absent optional field is taken to be.
//!
//! Takes nothing; gives the tables every stage reads (the configuration checks extra aliases
//! against them, ingestion maps headers with them, reports name columns by them). One table per
//! kind, with a module of column indexes beside it, so that a parser says `crm::NET_COMMISSION`,
//! never a bare number.

use std::fmt;

/// The input kinds of SPEC §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Crm,
    Accounts,
    Roster,
    Adjustments,
    Scores,
}

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Money,
    Ratio,
    Date,
    YesNo,
}

/// One column of a kind: its name, header aliases, type and whether it is required.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub ty: FieldType,
    pub required: bool,
}

impl Field {
    /// What an optional field is taken to be when a file has no column for it (the information
    /// line says so, so that a misspelt header never turns into silent zeros).
    pub fn when_absent(&self) -> &'static str {
        match self.name {
            "share" => "taken as 100%",
            "other_revenue" => "taken as 0",
            "regular_date" => "nobody has a 转正 date, so every employee is paid at the probation ratio",
            "leave_date" => "nobody has left",
            "leader" => "nobody is a group leader",
            "group" => "nobody is in a group",
            _ => "left empty",
        }
    }
}

const fn f(name: &'static str, aliases: &'static [&'static str], ty: FieldType, required: bool) -> Field {
    Field { name, aliases, ty, required }
}

use FieldType::*;

/// Column indexes of the crm fields.
pub mod crm {
    pub const CLIENT_ID: usize = 0;
    pub const CLIENT_NAME: usize = 1;
    pub const MANAGER_ID: usize = 2;
    pub const RELATION: usize = 3;
    pub const SHARE: usize = 4;
    pub const MONTH_END_ASSETS: usize = 5;
    pub const AVG_DAILY_ASSETS: usize = 6;
    pub const NET_INFLOW: usize = 7;
    pub const TRADE_VOLUME: usize = 8;
    pub const NET_COMMISSION: usize = 9;
    pub const OTHER_REVENUE: usize = 10;
}
static CRM: [Field; 11] = [
    f("client_id", &["客户号", "客户代码", "资金账号", "client_id"], Text, true),
    f("client_name", &["客户姓名", "客户名称", "client_name"], Text, false),
    f("manager_id", &["客户经理编号", "员工编号", "工号", "所属员工", "manager_id"], Text, true),
    f("relation", &["关系类型", "relation"], Text, false),
    f("share", &["分配比例", "分成比例", "share"], Ratio, false),
    f("month_end_assets", &["月末资产", "期末资产", "总资产", "month_end_assets"], Money, true),
    f("avg_daily_assets", &["日均资产", "avg_daily_assets"], Money, false),
    f("net_inflow", &["资金净流入", "净流入", "资产净流入", "net_inflow"], Money, true),
    f("trade_volume", &["交易量", "成交金额", "trade_volume"], Money, false),
    f("net_commission", &["净佣金", "net_commission"], Money, true),
    f("other_revenue", &["其他净收入", "其它净收入", "其他收入", "其它收入", "other_revenue"], Money, false),
];

/// Column indexes of the accounts fields.
pub mod accounts {
    pub const CLIENT_ID: usize = 0;
    pub const CLIENT_NAME: usize = 1;
    pub const OPEN_DATE: usize = 2;
    pub const ACCOUNT_TYPE: usize = 3;
    pub const MANAGER_ID: usize = 4;
    pub const OUTLET: usize = 5;
    pub const FIRST_DEPOSIT: usize = 6;
}
static ACCOUNTS: [Field; 7] = [
    f("client_id", &["客户号", "资金账号", "client_id"], Text, true),
    f("client_name", &["客户姓名", "client_name"], Text, false),
    f("open_date", &["开户日期", "open_date"], Date, true),
    f("account_type", &["账户类型", "开户类型", "account_type"], Text, true),
    f("manager_id", &["开发人员编号", "营销人员", "客户经理编号", "工号", "manager_id"], Text, true),
    f("outlet", &["网点", "营业网点", "银行网点", "outlet"], Text, false),
    f("first_deposit", &["首次入金", "首笔入金", "开户资产", "first_deposit"], Money, true),
];

/// Column indexes of the roster fields.
pub mod roster {
    pub const MANAGER_ID: usize = 0;
    pub const NAME: usize = 1;
    pub const TEAM: usize = 2;
    pub const GROUP: usize = 3;
    pub const OUTLET: usize = 4;
    pub const LEVEL: usize = 5;
    pub const EMPLOYMENT: usize = 6;
    pub const HIRE_DATE: usize = 7;
    pub const REGULAR_DATE: usize = 8;
    pub const LEAVE_DATE: usize = 9;
    pub const LEADER: usize = 10;
}
static ROSTER: [Field; 11] = [
    f("manager_id", &["工号", "员工编号", "manager_id"], Text, true),
    f("name", &["姓名", "name"], Text, true),
    f("team", &["团队", "team"], Text, true),
    f("group", &["小组", "group"], Text, false),
    f("outlet", &["网点", "驻点网点", "outlet"], Text, false),
    f("level", &["级别", "职级", "level"], Text, true),
    f("employment", &["用工性质", "employment"], Text, true),
    f("hire_date", &["入职日期", "hire_date"], Date, true),
    f("regular_date", &["转正日期", "regular_date"], Date, false),
    f("leave_date", &["离职日期", "leave_date"], Date, false),
    f("leader", &["是否组长", "组长", "leader"], YesNo, false),
];

/// Column indexes of the adjustments fields.
pub mod adjustments {
    pub const MANAGER_ID: usize = 0;
    pub const AMOUNT: usize = 1;
    pub const CATEGORY: usize = 2;
    pub const REASON: usize = 3;
}
static ADJUSTMENTS: [Field; 4] = [
    f("manager_id", &["工号", "员工编号", "客户经理编号", "manager_id"], Text, true),
    f("amount", &["金额", "调整金额", "amount"], Money, true),
    f("category", &["类别", "调整类别", "category"], Text, false),
    f("reason", &["说明", "原因", "备注", "reason"], Text, false),
];

/// Column indexes of the scores fields.
pub mod scores {
    pub const MANAGER_ID: usize = 0;
    pub const DUTY_SCORE: usize = 1;
}
static SCORES: [Field; 2] = [
    f("manager_id", &["工号", "员工编号", "客户经理编号", "manager_id"], Text, true),
    f("duty_score", &["职责得分", "职责考核得分", "得分", "duty_score"], Money, true),
];

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Crm, Kind::Accounts, Kind::Roster, Kind::Adjustments, Kind::Scores];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Crm => "crm",
            Kind::Accounts => "accounts",
            Kind::Roster => "roster",
            Kind::Adjustments => "adjustments",
            Kind::Scores => "scores",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    pub fn required(self) -> bool {
        matches!(self, Kind::Crm | Kind::Accounts | Kind::Roster)
    }

    pub fn default_patterns(self) -> &'static [&'static str] {
        match self {
            Kind::Crm => &["crm*", "*业绩*"],
            Kind::Accounts => &["accounts*", "*开户*"],
            Kind::Roster => &["roster*", "*名册*"],
            Kind::Adjustments => &["adjustments*", "*调整*"],
            Kind::Scores => &["scores*", "*考核*"],
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Crm => &CRM,
            Kind::Accounts => &ACCOUNTS,
            Kind::Roster => &ROSTER,
            Kind::Adjustments => &ADJUSTMENTS,
            Kind::Scores => &SCORES,
        }
    }

    /// The key cell of a row (summary detection): client_id for crm and accounts, else manager_id.
    pub fn key_field(self) -> usize {
        0
    }

    /// The field naming the manager a row belongs to.
    pub fn manager_field(self) -> usize {
        match self {
            Kind::Crm => crm::MANAGER_ID,
            Kind::Accounts => accounts::MANAGER_ID,
            Kind::Roster => roster::MANAGER_ID,
            Kind::Adjustments => adjustments::MANAGER_ID,
            Kind::Scores => scores::MANAGER_ID,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file of the month folder that is not read, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Its name matches the patterns of no input kind.
    NoPattern,
    /// Its extension is not one of a spreadsheet or text file.
    NotSpreadsheet,
    /// A folder inside the month folder.
    Folder,
}
