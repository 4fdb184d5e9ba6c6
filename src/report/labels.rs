//! Every word a report shows, one table per locale (zh-CN and en).
//!
//! Report code never writes a label literal: it asks [`Labels`] for it, so that the two locales
//! carry the same numbers under different words.

use crate::config::Locale;
use crate::model::{ByComponent, ByMetric, Column, Component, Identity, Metric};

/// The labels of one locale.
#[derive(Debug)]
pub struct Labels {
    pub compensation_file: &'static str,
    pub detail_file: &'static str,
    pub slips_file: &'static str,
    pub statements_file: &'static str,
    pub statement_title: &'static str,
    /// item, working, amount
    pub statement_columns: [&'static str; 3],
    /// 本人确认: the manager confirms the statement.
    pub confirm: &'static str,
    pub hire_date: &'static str,
    /// Between a label and its value: full-width in Chinese, ": " in English.
    pub colon: &'static str,
    /// The name of each sheet of the month's workbooks.
    pub sheets: SheetNames,
    // titles
    pub compensation_title: &'static str,
    pub detail_title: &'static str,
    pub slip_title: &'static str,
    pub month: &'static str,
    pub organization: &'static str,
    pub standard: &'static str,
    pub sha256: &'static str,
    pub prepared_by: &'static str,
    pub signature: &'static str,
    /// A role's signature line: `{role}` is replaced by the role.
    pub signature_of: &'static str,
    pub date: &'static str,
    pub page_footer: &'static str,
    /// The label of each column of a manager's row.
    pub columns: ColumnLabels,
    pub subtotal: &'static str,
    pub grand_total: &'static str,
    pub no_group: &'static str,
    pub employee: &'static str,
    pub part_time: &'static str,
    pub trace_columns: [&'static str; 6],
    pub adjustment_columns: [&'static str; 7],
    /// 开户奖励回收 (SPEC §4.9).
    pub clawback_columns: [&'static str; 9],
    /// Where a lost client has no CRM row in the month.
    pub clawback_absent: &'static str,
    pub clawback_charged: &'static str,
    pub clawback_not_charged: &'static str,
    /// 以前月份调整 (SPEC §4.10).
    pub prior_columns: [&'static str; 8],
    pub prior_total: &'static str,
    pub prior_carried_before: &'static str,
    pub prior_this_month: &'static str,
    pub issue_columns: [&'static str; 8],
    pub exception: &'static str,
    pub information: &'static str,
    /// A completeness warning of §4.11 (预警).
    pub warning: &'static str,
    pub recon_columns: [&'static str; 6],
    pub holds: &'static str,
    pub fails: &'static str,
    pub detail_columns: [&'static str; 16],
    pub manager_subtotal: &'static str,
    pub slip_columns: [&'static str; 8],
    pub serial: &'static str,
    pub manager: &'static str,
    pub team: &'static str,
    pub team_leader: &'static str,
    pub valid: &'static str,
    pub not_valid: &'static str,
    pub low_deposit: &'static str,
    pub not_in_crm: &'static str,
    pub low_assets: &'static str,
    pub no_issues: &'static str,
    pub development: &'static str,
    pub service: &'static str,
    /// A file of the month folder not read: its name matches no input kind / it is no spreadsheet.
    pub unread_no_pattern: &'static str,
    pub unread_not_spreadsheet: &'static str,
    pub unread_folder: &'static str,
    pub recon: ReconLabels,
}

/// The label of each column of a manager's row (SPEC §5 item 1), one field per column: adding a
/// component is a compile error here until each locale names it.
#[derive(Debug)]
pub struct ColumnLabels {
    pub manager_id: &'static str,
    pub name: &'static str,
    pub team: &'static str,
    pub group: &'static str,
    pub level: &'static str,
    pub employment: &'static str,
    pub net_commission: &'static str,
    pub other_revenue: &'static str,
    pub net_revenue: &'static str,
    pub net_inflow: &'static str,
    pub month_end_assets: &'static str,
    pub new_accounts: &'static str,
    pub valid_accounts: &'static str,
    /// Each pay component's column name.
    pub components: ByComponent<&'static str>,
    pub total: &'static str,
}

/// The sheets of the month's workbooks, by name.
#[derive(Debug)]
pub struct SheetNames {
    /// 薪酬月报表's sheets: the report itself, 计算明细, 手工调整, 开户奖励回收 (§4.9), 以前月份调整
    /// (§4.10), 数据异常, 对账.
    pub report: &'static str,
    pub working: &'static str,
    pub adjustments: &'static str,
    pub clawback: &'static str,
    pub prior: &'static str,
    pub issues: &'static str,
    pub recon: &'static str,
    /// 业务明细's sheet; the second and later are numbered (`业务明细2`).
    pub detail: &'static str,
    /// 营销客户确认单's sheet, numbered likewise.
    pub slips: &'static str,
    /// 薪酬明细单's sheet, numbered likewise.
    pub statements: &'static str,
}

impl ReconLabels {
    /// The name of an input kind.
    pub fn kind(&self, k: crate::model::Kind) -> &'static str {
        use crate::model::Kind;
        match k {
            Kind::Crm => self.crm,
            Kind::Accounts => self.accounts_kind,
            Kind::Roster => self.roster,
            Kind::Adjustments => self.adjustments,
            Kind::Scores => self.scores,
        }
    }
}

impl ColumnLabels {
    pub fn get(&self, col: Column) -> &'static str {
        match col {
            Column::Identity(i) => match i {
                Identity::ManagerId => self.manager_id,
                Identity::Name => self.name,
                Identity::Team => self.team,
                Identity::Group => self.group,
                Identity::Level => self.level,
                Identity::Employment => self.employment,
            },
            Column::Metric(m) => self.metric(m),
            Column::Component(c) => self.component(c),
            Column::Total => self.total,
        }
    }

    pub fn metric(&self, m: Metric) -> &'static str {
        match m {
            Metric::NetCommission => self.net_commission,
            Metric::OtherRevenue => self.other_revenue,
            Metric::NetRevenue => self.net_revenue,
            Metric::NetInflow => self.net_inflow,
            Metric::MonthEndAssets => self.month_end_assets,
            Metric::NewAccounts => self.new_accounts,
            Metric::ValidAccounts => self.valid_accounts,
        }
    }

    pub fn component(&self, c: Component) -> &'static str {
        self.components.get(c)
    }
}

/// The words of the 对账 sheet.
#[derive(Debug)]
pub struct ReconLabels {
    /// The name of each input kind.
    pub crm: &'static str,
    pub accounts_kind: &'static str,
    pub roster: &'static str,
    pub adjustments: &'static str,
    pub scores: &'static str,
    pub rows: &'static str,
    pub read: &'static str,
    pub accepted: &'static str,
    pub rejected: &'static str,
    pub skipped: &'static str,
    /// net commission, other revenue, net inflow
    pub money: [&'static str; 3],
    pub file_total: &'static str,
    pub credited: &'static str,
    pub unattributed: &'static str,
    pub rejected_clients: &'static str,
    pub accounts: &'static str,
    pub valid: &'static str,
    pub not_valid: &'static str,
    pub returning: &'static str,
    pub total_pay: &'static str,
    pub sum_rows: &'static str,
    pub sum_components: &'static str,
    pub team_subtotals: &'static str,
    pub sum_subtotals: &'static str,
    pub grand_total: &'static str,
}

pub static ZH: Labels = Labels {
    compensation_file: "薪酬月报表",
    detail_file: "业务明细",
    slips_file: "营销客户确认单",
    statements_file: "薪酬明细单",
    statement_title: "薪酬明细单",
    statement_columns: ["项目", "计算过程", "金额"],
    confirm: "本人确认",
    hire_date: "入职日期",
    colon: "：",
    sheets: SheetNames {
        report: "薪酬月报表",
        working: "计算明细",
        adjustments: "手工调整",
        clawback: "开户奖励回收",
        prior: "以前月份调整",
        issues: "数据异常",
        recon: "对账",
        detail: "业务明细",
        slips: "确认单",
        statements: "薪酬明细单",
    },
    compensation_title: "营业部客户经理薪酬月报表",
    detail_title: "客户经理业务明细",
    slip_title: "客户经理营销客户确认单",
    month: "月份",
    organization: "营业部",
    standard: "薪酬标准",
    sha256: "SHA-256",
    prepared_by: "制表人",
    signature: "签字",
    signature_of: "{role}（签字）",
    date: "日期",
    page_footer: "&C第 &P 页 / 共 &N 页",
    columns: ColumnLabels {
        manager_id: "工号",
        name: "姓名",
        team: "团队",
        group: "小组",
        level: "级别",
        employment: "用工性质",
        net_commission: "净佣金",
        other_revenue: "其他净收入",
        net_revenue: "净收入",
        net_inflow: "资金净流入",
        month_end_assets: "月末资产",
        new_accounts: "新开户",
        valid_accounts: "有效户",
        components: ByComponent {
            base_salary: "基本工资",
            minimum_penalty: "考核扣减",
            net_commission_pay: "净佣金提成",
            other_revenue_pay: "其他收入提成",
            account_bonus: "开户奖励",
            asset_bonus: "资产奖励",
            leader_override: "管理津贴",
            cap_deduction: "封顶扣减",
            adjustments: "手工调整",
            clawback: "开户奖励回收",
            prior_period: "以前月份调整",
        },
        total: "应发合计",
    },
    subtotal: "小计",
    grand_total: "合计",
    no_group: "（未分组）",
    employee: "员工",
    part_time: "兼职",
    trace_columns: ["工号", "姓名", "规则", "项目", "计算过程", "结果"],
    adjustment_columns: ["文件", "行号", "工号", "姓名", "类别", "说明", "金额"],
    clawback_columns: [
        "发放月份",
        "客户号",
        "账户类型",
        "开户奖励",
        "本月月末资产",
        "工号",
        "姓名",
        "回收金额",
        "说明",
    ],
    clawback_absent: "无 CRM 记录",
    clawback_charged: "已回收",
    clawback_not_charged: "客户经理本月不在岗，不回收",
    prior_columns: ["所属月份", "工号", "姓名", "项目", "结账数", "重算数", "差额", "变动文件"],
    prior_total: "合计",
    prior_carried_before: "已由以后月份调整",
    prior_this_month: "本月调整",
    issue_columns: ["类型", "输入", "文件", "工作表", "行号", "列", "原值", "原因"],
    exception: "异常",
    information: "信息",
    warning: "预警",
    recon_columns: ["项目", "等式", "左边", "右边", "差额", "结果"],
    holds: "相符",
    fails: "不符",
    detail_columns: [
        "工号",
        "姓名",
        "团队",
        "客户号",
        "客户姓名",
        "关系类型",
        "分配比例",
        "月末资产",
        "日均资产",
        "资金净流入",
        "交易量",
        "净佣金",
        "其他净收入",
        "计入净佣金",
        "计入其他净收入",
        "计入资金净流入",
    ],
    manager_subtotal: "小计",
    slip_columns: ["序号", "客户号", "客户姓名", "开户日期", "账户类型", "网点", "首次入金", "是否有效户"],
    serial: "编号",
    manager: "客户经理",
    team: "团队",
    team_leader: "团队负责人",
    valid: "有效",
    not_valid: "无效",
    low_deposit: "首次入金不足",
    not_in_crm: "月末无资产记录",
    low_assets: "月末资产不足",
    no_issues: "无",
    development: "开发",
    service: "服务",
    unread_no_pattern: "文件名不匹配任何输入类型，未读取",
    unread_not_spreadsheet: "不是表格或文本文件，未读取",
    unread_folder: "是文件夹，未读取",
    recon: ReconLabels {
        crm: "客户业绩明细",
        accounts_kind: "开户明细",
        roster: "人员名册",
        adjustments: "手工调整",
        scores: "职责考核",
        rows: "行数",
        read: "读入",
        accepted: "接受",
        rejected: "拒绝",
        skipped: "跳过(空行/合计行)",
        money: ["净佣金", "其他净收入", "资金净流入"],
        file_total: "文件合计",
        credited: "已计入",
        unattributed: "未分配",
        rejected_clients: "已拒绝",
        accounts: "开户",
        valid: "有效",
        not_valid: "无效",
        returning: "老客户",
        total_pay: "应发合计",
        sum_rows: "各行应发合计之和",
        sum_components: "各项目合计之和",
        team_subtotals: "团队小计",
        sum_subtotals: "团队小计之和",
        grand_total: "合计",
    },
};

pub static EN: Labels = Labels {
    compensation_file: "compensation",
    detail_file: "business_detail",
    slips_file: "client_confirmation",
    statements_file: "pay_statements",
    statement_title: "Pay statement",
    statement_columns: ["Item", "Working", "Amount"],
    confirm: "Confirmed by the manager",
    hire_date: "Hired",
    colon: ": ",
    sheets: SheetNames {
        report: "Compensation",
        working: "Calculation",
        adjustments: "Adjustments",
        clawback: "Clawback",
        prior: "Prior-period",
        issues: "Exceptions",
        recon: "Reconciliation",
        detail: "Business detail",
        slips: "Slips",
        statements: "Pay statements",
    },
    compensation_title: "Client managers' compensation monthly report",
    detail_title: "Client managers' business detail",
    slip_title: "Marketing client confirmation slip",
    month: "Month",
    organization: "Branch",
    standard: "Salary standard",
    sha256: "SHA-256",
    prepared_by: "Prepared by",
    signature: "Signature",
    signature_of: "{role} (signature)",
    date: "Date",
    page_footer: "&CPage &P of &N",
    columns: ColumnLabels {
        manager_id: "ID",
        name: "Name",
        team: "Team",
        group: "Group",
        level: "Level",
        employment: "Employment",
        net_commission: "Net commission",
        other_revenue: "Other revenue",
        net_revenue: "Net revenue",
        net_inflow: "Net inflow",
        month_end_assets: "Month-end assets",
        new_accounts: "New accounts",
        valid_accounts: "Valid accounts",
        components: ByComponent {
            base_salary: "Base salary",
            minimum_penalty: "Minimum penalty",
            net_commission_pay: "Commission pay",
            other_revenue_pay: "Other revenue pay",
            account_bonus: "Account bonus",
            asset_bonus: "Asset bonus",
            leader_override: "Leader override",
            cap_deduction: "Cap deduction",
            adjustments: "Adjustments",
            clawback: "Clawback",
            prior_period: "Prior-period adjustment",
        },
        total: "Total",
    },
    subtotal: "Subtotal",
    grand_total: "Grand total",
    no_group: "(no group)",
    employee: "Employee",
    part_time: "Part-time",
    trace_columns: ["ID", "Name", "Rule", "Item", "Working", "Result"],
    adjustment_columns: ["File", "Row", "ID", "Name", "Category", "Reason", "Amount"],
    clawback_columns: ["Month paid", "Client", "Type", "Bonus", "Month-end assets", "ID", "Name", "Recovered", "Note"],
    clawback_absent: "absent",
    clawback_charged: "recovered",
    clawback_not_charged: "manager not active this month: not recovered",
    prior_columns: ["Month", "ID", "Name", "Item", "As closed", "Recomputed", "Difference", "Files changed"],
    prior_total: "Total",
    prior_carried_before: "Carried by later months",
    prior_this_month: "This month",
    issue_columns: ["Type", "Input", "File", "Sheet", "Row", "Column", "Value", "Reason"],
    exception: "Exception",
    information: "Information",
    warning: "Warning",
    recon_columns: ["Item", "Equation", "Left side", "Right side", "Difference", "Result"],
    holds: "holds",
    fails: "FAILS",
    detail_columns: [
        "ID",
        "Name",
        "Team",
        "Client",
        "Client name",
        "Relation",
        "Share",
        "Month-end assets",
        "Avg daily assets",
        "Net inflow",
        "Trade volume",
        "Net commission",
        "Other revenue",
        "Credited commission",
        "Credited other revenue",
        "Credited net inflow",
    ],
    manager_subtotal: "Subtotal",
    slip_columns: ["No.", "Client", "Client name", "Opened", "Type", "Outlet", "First deposit", "Valid account"],
    serial: "Serial",
    manager: "Client manager",
    team: "Team",
    team_leader: "Team leader",
    valid: "valid",
    not_valid: "not valid",
    low_deposit: "first deposit below",
    not_in_crm: "no month-end assets in the CRM export",
    low_assets: "month-end assets below",
    no_issues: "none",
    development: "development",
    service: "service",
    unread_no_pattern: "the name matches no input kind: not read",
    unread_not_spreadsheet: "not a spreadsheet or text file: not read",
    unread_folder: "a folder: not read",
    recon: ReconLabels {
        crm: "crm",
        accounts_kind: "accounts",
        roster: "roster",
        adjustments: "adjustments",
        scores: "scores",
        rows: "rows",
        read: "read",
        accepted: "accepted",
        rejected: "rejected",
        skipped: "skipped (blank/summary)",
        money: ["net commission", "other revenue", "net inflow"],
        file_total: "file total",
        credited: "credited",
        unattributed: "unattributed",
        rejected_clients: "rejected",
        accounts: "accounts",
        valid: "valid",
        not_valid: "not valid",
        returning: "returning",
        total_pay: "total pay",
        sum_rows: "Σ row totals",
        sum_components: "Σ component totals",
        team_subtotals: "team subtotals",
        sum_subtotals: "Σ team subtotals",
        grand_total: "grand total",
    },
};

pub fn analysis_labels(locale: Locale) -> &'static AnalysisLabels {
    match locale {
        Locale::ZhCn => &ZH_ANALYSIS,
        Locale::En => &EN_ANALYSIS,
    }
}

pub fn labels(locale: Locale) -> &'static Labels {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

/// The words of the team analysis and the reviews.
#[derive(Debug)]
pub struct AnalysisLabels {
    pub team_file: &'static str,
    pub quarterly_file: &'static str,
    pub annual_file: &'static str,
    pub team_title: &'static str,
    pub quarterly_title: &'static str,
    pub annual_title: &'static str,
    /// The name of each sheet of 团队分析.
    pub sheets: TeamSheetNames,
    /// The name of each figure of the team analysis.
    pub metrics: ByMetric<&'static str>,
    /// The header of a block of figures compared with earlier months.
    pub comparison: ComparisonLabels,
    pub not_available: &'static str,
    pub branch: &'static str,
    pub team: &'static str,
    pub group: &'static str,
    pub outlet: &'static str,
    pub account_type: &'static str,
    /// The recoveries block of the accounts sheet (SPEC §4.9): title, columns.
    pub clawback_title: &'static str,
    pub clawback_columns: [&'static str; 3],
    /// 团队, 项目, 计划, 实际, 完成率
    pub plan_columns: [&'static str; 5],
    /// The items of the plan.
    pub plan_items: PlanItemLabels,
    pub no_plan: &'static str,
    /// 类型, 工号, 姓名, 团队, 说明
    pub change_columns: [&'static str; 5],
    /// The kinds of personnel change.
    pub change_kinds: ChangeKindLabels,
    pub no_previous: &'static str,
    /// 名次, 工号, 姓名, 团队, 小组, 级别, 净收入, 净佣金, 有效户, 资金净流入, 应发合计
    pub ranking_columns: [&'static str; 11],
    pub month: &'static str,
    pub ytd_note: &'static str,
    pub chart_teams: &'static str,
    pub chart_trend: &'static str,
    /// 工号, 姓名, 团队, 小组, 级别, 在岗月数, 季度净收入, 季度有效户, 晋级条件, 降级条件, 职责得分, 全季同级, 建议, 说明
    pub quarter_columns: [&'static str; 14],
    /// The proposals of the quarterly review.
    pub proposals: ProposalLabels,
    pub yes: &'static str,
    pub no: &'static str,
    pub missing_months: &'static str,
    /// 名次, 工号, 姓名, 团队, 小组, 级别, 月数, 净佣金, 其他净收入, 净收入, 资金净流入, 新开户, 有效户, (9 components), 应发合计, 等级
    /// The annual review's first columns (rank, identity, months); the metric and component
    /// columns follow with the labels of [`ColumnLabels`], then the grade.
    pub annual_lead: [&'static str; 7],
    pub annual_grade: &'static str,
    /// A level as `{label}（{code}）`.
    pub level_with_code: &'static str,
    /// A proposal with its target level: `{proposal} {level}`.
    pub proposal_to: &'static str,
    pub min_duty_score: &'static str,
    pub colon: &'static str,
    /// Between two reasons of a proposal.
    pub then: &'static str,
    // The reason of every proposal, in words.
    pub why_incomplete: &'static str,
    pub why_below: &'static str,
    pub why_lowest: &'static str,
    pub why_met: &'static str,
    pub why_not_met: &'static str,
    pub why_score_ok: &'static str,
    pub why_score_low: &'static str,
    pub why_held: &'static str,
    pub why_not_held: &'static str,
    pub why_highest: &'static str,
    pub why_no_bars: &'static str,
    pub why_within: &'static str,
    /// A grade's band: `{grade}：前 {percent}%`.
    pub grade_band: &'static str,
    /// Personnel changes in words.
    pub change_joined: &'static str,
    pub change_left: &'static str,
    pub change_missing: &'static str,
    pub change_regularized: &'static str,
    pub change_level: &'static str,
    /// The number format of a change of a ratio, in percentage points.
    pub points_format: &'static str,
    /// The half-year and annual team reports (团队分析_YYYYH1, _YYYYH2, _YYYY).
    pub period: PeriodLabels,
}

/// The words of the half-year and annual team reports (SPEC §5 item 4, guideline article 6).
#[derive(Debug)]
pub struct PeriodLabels {
    pub half_year_title: &'static str,
    pub year_title: &'static str,
    /// The period in words, `{year}` replaced.
    pub first_half: &'static str,
    pub second_half: &'static str,
    pub whole_year: &'static str,
    pub sheets: PeriodSheetNames,
    /// The header of a block of figures against the same period a year earlier.
    pub comparison: PeriodComparisonLabels,
    /// `{from}`–`{to}`: the period's months.
    pub this_period_line: &'static str,
    pub last_year_line: &'static str,
    pub with_inputs: &'static str,
    /// None of the months a year earlier has inputs.
    pub last_year_none: &'static str,
    /// How the period's figures are made (flows summed, stocks at the last month, per head).
    pub how: &'static str,
    /// 月份, 类型, 工号, 姓名, 团队, 说明
    pub change_columns: [&'static str; 6],
    /// A month whose previous month has no inputs: `{month}` replaced.
    pub no_previous: &'static str,
    /// 名次, 工号, 姓名, 团队, 小组, 级别, 月数, 净收入, 净佣金, 有效户, 资金净流入, 应发合计
    pub ranking_columns: [&'static str; 12],
    /// The last column of the months side by side: the period's figure.
    pub period_column: &'static str,
    pub chart_trend: &'static str,
}

/// The sheets of a half-year or annual team report, by name.
#[derive(Debug)]
pub struct PeriodSheetNames {
    pub teams: &'static str,
    pub groups: &'static str,
    pub outlets: &'static str,
    pub account_types: &'static str,
    pub plan: &'static str,
    pub personnel: &'static str,
    pub ranking: &'static str,
    /// The period's months side by side, with the trend chart.
    pub months: &'static str,
}

/// The columns of a block of a period's figures (SPEC §5 item 4).
#[derive(Debug)]
pub struct PeriodComparisonLabels {
    pub figure: &'static str,
    pub this_period: &'static str,
    pub last_year: &'static str,
    pub year_on_year: &'static str,
}

impl PeriodComparisonLabels {
    /// The header row, in column order.
    pub fn header(&self) -> [&'static str; 4] {
        [self.figure, self.this_period, self.last_year, self.year_on_year]
    }
}

/// The sheets of 团队分析, by name.
#[derive(Debug)]
pub struct TeamSheetNames {
    /// 团队汇总, 小组, 网点: this month against earlier months.
    pub teams: &'static str,
    pub groups: &'static str,
    pub outlets: &'static str,
    /// 开户类型: accounts by team and type, and the month's recoveries.
    pub account_types: &'static str,
    /// 计划完成.
    pub plan: &'static str,
    /// 人员变动.
    pub personnel: &'static str,
    /// 客户经理排名.
    pub ranking: &'static str,
    /// 趋势: the year's net revenue by team, with its chart.
    pub trend: &'static str,
}

/// The columns of a block of figures compared with earlier months (SPEC §5 item 4).
#[derive(Debug)]
pub struct ComparisonLabels {
    /// 指标: the figure's name.
    pub figure: &'static str,
    /// 本月.
    pub this_month: &'static str,
    /// 上月, and its change 环比.
    pub previous_month: &'static str,
    pub month_on_month: &'static str,
    /// 本年累计.
    pub year_to_date: &'static str,
    /// 去年同期, and its change 同比.
    pub last_year: &'static str,
    pub year_on_year: &'static str,
}

impl ComparisonLabels {
    /// The header row, in column order.
    pub fn header(&self) -> [&'static str; 7] {
        [
            self.figure,
            self.this_month,
            self.previous_month,
            self.month_on_month,
            self.year_to_date,
            self.last_year,
            self.year_on_year,
        ]
    }
}

/// The items of a team's plan (SPEC §3 `[teams.plan]`).
#[derive(Debug)]
pub struct PlanItemLabels {
    pub new_hires: &'static str,
    pub regularized: &'static str,
    pub net_inflow: &'static str,
    pub outlets: &'static str,
}

/// The kinds of personnel change (a manager missing from the roster is counted as left).
#[derive(Debug)]
pub struct ChangeKindLabels {
    pub joined: &'static str,
    pub left: &'static str,
    pub regularized: &'static str,
    pub level_changed: &'static str,
}

/// The proposals of the quarterly review (SPEC §4.7).
#[derive(Debug)]
pub struct ProposalLabels {
    /// Followed by the level: `晋级至 L3`.
    pub promote: &'static str,
    pub demote: &'static str,
    pub flagged: &'static str,
    pub keep: &'static str,
    pub incomplete: &'static str,
}

pub static ZH_ANALYSIS: AnalysisLabels = AnalysisLabels {
    team_file: "团队分析",
    quarterly_file: "季度考核",
    annual_file: "年度考评",
    team_title: "团队月度经营分析报告",
    quarterly_title: "客户经理季度综合考核",
    annual_title: "客户经理年度考评",
    sheets: TeamSheetNames {
        teams: "团队汇总",
        groups: "小组",
        outlets: "网点",
        account_types: "开户类型",
        plan: "计划完成",
        personnel: "人员变动",
        ranking: "客户经理排名",
        trend: "趋势",
    },
    metrics: ByMetric {
        headcount: "人数",
        employees: "员工",
        probation: "见习",
        part_time: "兼职",
        new_accounts: "新开户",
        valid_accounts: "有效户",
        net_inflow: "资金净流入",
        month_end_assets: "月末资产",
        net_commission: "净佣金",
        net_revenue: "净收入",
        total_pay: "应发薪酬",
        pay_ratio: "薪酬/净收入",
        revenue_per_head: "人均净收入",
    },
    comparison: ComparisonLabels {
        figure: "指标",
        this_month: "本月",
        previous_month: "上月",
        month_on_month: "环比",
        year_to_date: "本年累计",
        last_year: "去年同期",
        year_on_year: "同比",
    },
    not_available: "无数据",
    branch: "全营业部",
    team: "团队",
    group: "小组",
    outlet: "网点",
    account_type: "账户类型",
    clawback_title: "开户奖励回收",
    clawback_columns: ["团队", "回收户数", "回收金额"],
    plan_columns: ["团队", "项目", "计划", "实际", "完成率"],
    plan_items: PlanItemLabels {
        new_hires: "新增人员",
        regularized: "转正人数",
        net_inflow: "资金净流入",
        outlets: "开发网点",
    },
    no_plan: "无计划",
    change_columns: ["类型", "工号", "姓名", "团队", "说明"],
    change_kinds: ChangeKindLabels {
        joined: "入职", left: "离职", regularized: "转正", level_changed: "职级变动"
    },
    no_previous: "上月无输入数据，无法比较人员变动",
    ranking_columns: [
        "名次",
        "工号",
        "姓名",
        "团队",
        "小组",
        "级别",
        "净收入",
        "净佣金",
        "有效户",
        "资金净流入",
        "应发合计",
    ],
    month: "月份",
    ytd_note: "本年累计所含月份",
    chart_teams: "各团队本月业绩",
    chart_trend: "本年各月净收入走势",
    quarter_columns: [
        "工号",
        "姓名",
        "团队",
        "小组",
        "级别",
        "在岗月数",
        "季度净收入",
        "季度有效户",
        "晋级条件",
        "降级条件",
        "职责得分",
        "全季同级",
        "建议",
        "说明",
    ],
    proposals: ProposalLabels {
        promote: "晋级至",
        demote: "降级至",
        flagged: "未达标",
        keep: "维持",
        incomplete: "数据不全",
    },
    yes: "是",
    no: "否",
    missing_months: "缺少输入数据的月份",
    annual_lead: ["名次", "工号", "姓名", "团队", "小组", "级别", "月数"],
    annual_grade: "等级",
    level_with_code: "{label}（{code}）",
    proposal_to: "{proposal} {level}",
    min_duty_score: "晋级最低职责得分 {score}",
    colon: "：",
    then: "；",
    why_incomplete: "{months} 无输入数据，本季不作建议",
    why_below: "{metric} {value} 低于降级线 {bar}",
    why_lowest: "已是最低考核级别，标记未达标",
    why_met: "{metric} {value} 达到晋级线 {bar}",
    why_not_met: "{metric} {value} 未达晋级线 {bar}",
    why_score_ok: "职责得分 {score} 不低于 {min}",
    why_score_low: "职责得分 {score} 低于晋级要求 {min}",
    why_held: "全季保持本级别",
    why_not_held: "本季未始终保持本级别",
    why_highest: "已是最高考核级别",
    why_no_bars: "本级别未设晋级线",
    why_within: "未低于降级线",
    grade_band: "{grade}：前 {percent}%",
    change_joined: "{date} 入职，{level}",
    change_left: "{date} 离职",
    change_missing: "未列入{month}花名册（无离职日期）",
    change_regularized: "{date} 转正，{from} → {to}",
    change_level: "{from} → {to}",
    points_format: "+0.00\" 个百分点\";-0.00\" 个百分点\";0.00\" 个百分点\"",
    period: PeriodLabels {
        half_year_title: "团队半年度经营分析报告",
        year_title: "团队年度经营分析报告",
        first_half: "{year}年上半年",
        second_half: "{year}年下半年",
        whole_year: "{year}年度",
        sheets: PeriodSheetNames {
            teams: "团队汇总",
            groups: "小组",
            outlets: "网点",
            account_types: "开户类型",
            plan: "计划完成",
            personnel: "人员变动",
            ranking: "客户经理排名",
            months: "各月对比",
        },
        comparison: PeriodComparisonLabels {
            figure: "指标",
            this_period: "本期",
            last_year: "上年同期",
            year_on_year: "同比",
        },
        this_period_line: "本期：{from} 至 {to}",
        last_year_line: "上年同期：{from} 至 {to}",
        with_inputs: "有输入数据的月份",
        last_year_none: "上年同期各月均无输入数据，不作同比",
        how: "开户数、资金净流入、净佣金、净收入、应发薪酬为本期有数据各月之和；人数与月末资产取期末月份；薪酬/净收入按本期合计计算，人均净收入按各月平均人数计算",
        change_columns: ["月份", "类型", "工号", "姓名", "团队", "说明"],
        no_previous: "上月无输入数据，{month}的人员变动无法比较",
        ranking_columns: [
            "名次",
            "工号",
            "姓名",
            "团队",
            "小组",
            "级别",
            "在岗月数",
            "净收入",
            "净佣金",
            "有效户",
            "资金净流入",
            "应发合计",
        ],
        period_column: "本期",
        chart_trend: "本期各月净收入走势",
    },
};

pub static EN_ANALYSIS: AnalysisLabels = AnalysisLabels {
    team_file: "team_analysis",
    quarterly_file: "quarterly_review",
    annual_file: "annual_review",
    team_title: "Team monthly business report",
    quarterly_title: "Quarterly review of client managers",
    annual_title: "Annual review of client managers",
    sheets: TeamSheetNames {
        teams: "Teams",
        groups: "Groups",
        outlets: "Outlets",
        account_types: "Account types",
        plan: "Plan",
        personnel: "Personnel",
        ranking: "Ranking",
        trend: "Trend",
    },
    metrics: ByMetric {
        headcount: "Headcount",
        employees: "Employees",
        probation: "On probation",
        part_time: "Part-time",
        new_accounts: "New accounts",
        valid_accounts: "Valid accounts",
        net_inflow: "Net inflow",
        month_end_assets: "Month-end assets",
        net_commission: "Net commission",
        net_revenue: "Net revenue",
        total_pay: "Total pay",
        pay_ratio: "Pay / net revenue",
        revenue_per_head: "Net revenue per head",
    },
    comparison: ComparisonLabels {
        figure: "Figure",
        this_month: "This month",
        previous_month: "Previous month",
        month_on_month: "MoM",
        year_to_date: "Year to date",
        last_year: "Same month last year",
        year_on_year: "YoY",
    },
    not_available: "n/a",
    branch: "Branch",
    team: "Team",
    group: "Group",
    outlet: "Outlet",
    account_type: "Account type",
    clawback_title: "Clawback of account bonuses",
    clawback_columns: ["Team", "Accounts recovered", "Amount recovered"],
    plan_columns: ["Team", "Item", "Plan", "Actual", "Completion"],
    plan_items: PlanItemLabels {
        new_hires: "New hires",
        regularized: "Regularised",
        net_inflow: "Net inflow",
        outlets: "Outlets developed",
    },
    no_plan: "no plan",
    change_columns: ["Change", "ID", "Name", "Team", "Detail"],
    change_kinds: ChangeKindLabels {
        joined: "joined",
        left: "left",
        regularized: "regularised",
        level_changed: "level changed",
    },
    no_previous: "the previous month has no inputs: no comparison of personnel",
    ranking_columns: [
        "Rank",
        "ID",
        "Name",
        "Team",
        "Group",
        "Level",
        "Net revenue",
        "Net commission",
        "Valid accounts",
        "Net inflow",
        "Total pay",
    ],
    month: "Month",
    ytd_note: "Months in the year to date",
    chart_teams: "Teams this month",
    chart_trend: "Net revenue by month this year",
    quarter_columns: [
        "ID",
        "Name",
        "Team",
        "Group",
        "Level",
        "Months active",
        "Quarter net revenue",
        "Quarter valid accounts",
        "Promotion bars",
        "Demotion bars",
        "Duty score",
        "Held level all quarter",
        "Proposal",
        "Notes",
    ],
    proposals: ProposalLabels {
        promote: "promote to",
        demote: "demote to",
        flagged: "below standard",
        keep: "keep",
        incomplete: "incomplete data",
    },
    yes: "yes",
    no: "no",
    missing_months: "Months without inputs",
    annual_lead: ["Rank", "ID", "Name", "Team", "Group", "Level", "Months"],
    annual_grade: "Grade",
    level_with_code: "{label} ({code})",
    proposal_to: "{proposal} {level}",
    min_duty_score: "minimum duty score to promote {score}",
    colon: ": ",
    then: "; ",
    why_incomplete: "no inputs for {months}: no proposal this quarter",
    why_below: "{metric} {value} below the demotion bar {bar}",
    why_lowest: "already the lowest reviewed level: flagged",
    why_met: "{metric} {value} meets the promotion bar {bar}",
    why_not_met: "{metric} {value} short of the promotion bar {bar}",
    why_score_ok: "duty score {score} not below {min}",
    why_score_low: "duty score {score} below the {min} required to promote",
    why_held: "held the level all quarter",
    why_not_held: "did not hold the level all quarter",
    why_highest: "already the highest reviewed level",
    why_no_bars: "the level has no promotion bar",
    why_within: "not below the demotion bars",
    grade_band: "{grade}: top {percent}%",
    change_joined: "joined {date} as {level}",
    change_left: "left {date}",
    change_missing: "not on the roster of {month} (no leave date)",
    change_regularized: "regularised {date}, {from} → {to}",
    change_level: "{from} → {to}",
    points_format: "+0.00\" pp\";-0.00\" pp\";0.00\" pp\"",
    period: PeriodLabels {
        half_year_title: "Team half-year business report",
        year_title: "Team annual business report",
        first_half: "first half of {year}",
        second_half: "second half of {year}",
        whole_year: "year {year}",
        sheets: PeriodSheetNames {
            teams: "Teams",
            groups: "Groups",
            outlets: "Outlets",
            account_types: "Account types",
            plan: "Plan",
            personnel: "Personnel",
            ranking: "Ranking",
            months: "Months",
        },
        comparison: PeriodComparisonLabels {
            figure: "Figure",
            this_period: "This period",
            last_year: "Same period last year",
            year_on_year: "YoY",
        },
        this_period_line: "This period: {from} to {to}",
        last_year_line: "Same period last year: {from} to {to}",
        with_inputs: "Months with inputs",
        last_year_none: "no month of the same period last year has inputs: no comparison",
        how: "accounts, net inflow, net commission, net revenue and pay are the sums of the period's months with inputs; headcount and month-end assets are those of its last month; pay / net revenue from the sums, net revenue per head over the average monthly headcount",
        change_columns: ["Month", "Change", "ID", "Name", "Team", "Detail"],
        no_previous: "the month before {month} has no inputs: no comparison of personnel",
        ranking_columns: [
            "Rank",
            "ID",
            "Name",
            "Team",
            "Group",
            "Level",
            "Months",
            "Net revenue",
            "Net commission",
            "Valid accounts",
            "Net inflow",
            "Total pay",
        ],
        period_column: "Period",
        chart_trend: "Net revenue by month of the period",
    },
};

/// The words of a client manager's file (客户经理档案, SPEC §5 item 9).
#[derive(Debug)]
pub struct DossierLabels {
    /// The folder under the reports folder, and the file's name before `_<id>_<from>_<to>`.
    pub folder: &'static str,
    pub file: &'static str,
    pub title: &'static str,
    pub sheets: DossierSheetNames,
    /// `{from}`, `{to}`: the range.
    pub range: &'static str,
    /// `{month}`: the roster the identity is taken from.
    pub identity_from: &'static str,
    pub outlet: &'static str,
    pub regular_date: &'static str,
    pub leave_date: &'static str,
    pub leader: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub changes_title: &'static str,
    /// 月份, 项目, 变动前, 变动后
    pub change_columns: [&'static str; 4],
    /// What changed: team, group, level, employment.
    pub changed: [&'static str; 4],
    pub no_changes: &'static str,
    /// What a month was: active, a prior-period row only, not active, no inputs.
    pub active: &'static str,
    pub prior_only: &'static str,
    pub not_active: &'static str,
    pub no_inputs: &'static str,
    /// The month table's first columns: 月份, 状态, 级别; its last: the slip's and statement's
    /// serials, the exceptions and warnings naming the manager.
    pub month_lead: [&'static str; 3],
    pub month_tail: [&'static str; 3],
    pub totals: &'static str,
    pub reviews_title: &'static str,
    /// 季度, 级别, 在岗月数, 季度净收入, 季度有效户, 建议, 说明
    pub review_columns: [&'static str; 7],
    pub no_reviews: &'static str,
    pub grades_title: &'static str,
    /// 年度, 名次, 参评人数, 年度净收入, 应发合计, 等级
    pub grade_columns: [&'static str; 6],
    pub no_grades: &'static str,
    pub adjustments_title: &'static str,
    /// 月份, 类别, 说明, 金额, 文件, 行号
    pub adjustment_columns: [&'static str; 6],
    pub clawback_title: &'static str,
    /// 月份, 发放月份, 客户号, 账户类型, 开户奖励, 本月月末资产, 回收金额, 说明
    pub clawback_columns: [&'static str; 8],
    pub prior_title: &'static str,
    /// 月份, 所属月份, 结账数, 重算数, 此前已调整, 本月调整, 变动文件
    pub prior_columns: [&'static str; 7],
    pub none: &'static str,
    /// 月份, 类型, 文件, 工作表, 行号, 列, 原值, 原因
    pub issue_columns: [&'static str; 8],
    pub no_issues: &'static str,
    pub chart_title: &'static str,
}

/// The sheets of a client manager's file, by name.
#[derive(Debug)]
pub struct DossierSheetNames {
    pub identity: &'static str,
    /// The months' figures (metrics, accounts, serials), and their pay.
    pub figures: &'static str,
    pub pay: &'static str,
    pub reviews: &'static str,
    pub lines: &'static str,
    pub issues: &'static str,
    pub chart: &'static str,
}

pub fn dossier_labels(locale: Locale) -> &'static DossierLabels {
    match locale {
        Locale::ZhCn => &ZH_DOSSIER,
        Locale::En => &EN_DOSSIER,
    }
}

pub static ZH_DOSSIER: DossierLabels = DossierLabels {
    folder: "档案",
    file: "客户经理档案",
    title: "客户经理档案",
    sheets: DossierSheetNames {
        identity: "基本情况",
        figures: "月度业绩",
        pay: "月度薪酬",
        reviews: "考核记录",
        lines: "调整与回收",
        issues: "数据异常",
        chart: "走势",
    },
    range: "期间：{from} 至 {to}",
    identity_from: "基本情况取自{month}花名册",
    outlet: "网点",
    regular_date: "转正日期",
    leave_date: "离职日期",
    leader: "组长",
    yes: "是",
    no: "否",
    changes_title: "期间内的变动",
    change_columns: ["月份", "项目", "变动前", "变动后"],
    changed: ["团队", "小组", "级别", "用工性质"],
    no_changes: "期间内团队、小组、级别、用工性质均无变动",
    active: "在岗",
    prior_only: "未在岗，仅以前月份调整",
    not_active: "未在岗",
    no_inputs: "无数据",
    month_lead: ["月份", "状态", "级别"],
    month_tail: ["确认单编号", "明细单编号", "异常/预警"],
    totals: "期间合计",
    reviews_title: "季度综合考核",
    review_columns: ["季度", "级别", "在岗月数", "季度净收入", "季度有效户", "建议", "说明"],
    no_reviews: "期间内无该客户经理的季度考核",
    grades_title: "年度考评",
    grade_columns: ["年度", "名次", "参评人数", "年度净收入", "年度应发合计", "等级"],
    no_grades: "期间内无该客户经理的年度考评",
    adjustments_title: "手工调整",
    adjustment_columns: ["月份", "类别", "说明", "金额", "文件", "行号"],
    clawback_title: "开户奖励回收",
    clawback_columns: ["月份", "发放月份", "客户号", "账户类型", "开户奖励", "本月月末资产", "回收金额", "说明"],
    prior_title: "以前月份调整",
    prior_columns: ["月份", "所属月份", "结账数", "重算数", "此前已调整", "本月调整", "变动文件"],
    none: "无",
    issue_columns: ["月份", "类型", "文件", "工作表", "行号", "列", "原值", "原因"],
    no_issues: "期间内无涉及该客户经理的数据异常或预警",
    chart_title: "各月净收入与应发合计",
};

pub static EN_DOSSIER: DossierLabels = DossierLabels {
    folder: "dossiers",
    file: "manager_file",
    title: "Client manager's file",
    sheets: DossierSheetNames {
        identity: "Identity",
        figures: "Months",
        pay: "Pay",
        reviews: "Reviews",
        lines: "Adjustments",
        issues: "Exceptions",
        chart: "Trend",
    },
    range: "Months {from} to {to}",
    identity_from: "identity from the roster of {month}",
    outlet: "Outlet",
    regular_date: "Regularised",
    leave_date: "Left",
    leader: "Group leader",
    yes: "yes",
    no: "no",
    changes_title: "Changes in the range",
    change_columns: ["Month", "Item", "Before", "After"],
    changed: ["Team", "Group", "Level", "Employment"],
    no_changes: "no change of team, group, level or employment in the range",
    active: "active",
    prior_only: "not active: prior-period adjustment only",
    not_active: "not active",
    no_inputs: "no inputs",
    month_lead: ["Month", "Status", "Level"],
    month_tail: ["Slip serial", "Statement serial", "Exceptions/warnings"],
    totals: "Range total",
    reviews_title: "Quarterly reviews",
    review_columns: [
        "Quarter",
        "Level",
        "Months active",
        "Quarter net revenue",
        "Quarter valid accounts",
        "Proposal",
        "Notes",
    ],
    no_reviews: "no quarterly review of the manager in the range",
    grades_title: "Annual reviews",
    grade_columns: ["Year", "Rank", "Ranked", "Year's net revenue", "Year's total pay", "Grade"],
    no_grades: "no annual review of the manager in the range",
    adjustments_title: "Adjustments",
    adjustment_columns: ["Month", "Category", "Reason", "Amount", "File", "Row"],
    clawback_title: "Clawback of account bonuses",
    clawback_columns: ["Month", "Month paid", "Client", "Type", "Bonus", "Month-end assets", "Recovered", "Note"],
    prior_title: "Prior-period adjustments",
    prior_columns: ["Month", "For month", "As closed", "Recomputed", "Carried before", "This month", "Files changed"],
    none: "none",
    issue_columns: ["Month", "Type", "File", "Sheet", "Row", "Column", "Value", "Reason"],
    no_issues: "no exception or warning naming the manager in the range",
    chart_title: "Net revenue and total pay by month",
};

/// The words of head office's consolidation (SPEC §4.13): 汇总_YYYY-MM.xlsx and the status of
/// each branch in consolidated_YYYY-MM.csv. Head office works in Chinese, whatever its branches'
/// locales: there is one table.
#[derive(Debug)]
pub struct ConsolidationLabels {
    /// `汇总`: the workbook is `汇总_YYYY-MM.xlsx`.
    pub file: &'static str,
    pub title: &'static str,
    pub sheets: ConsolidationSheetNames,
    /// A branch's status, by name.
    pub statuses: StatusLabels,
    /// A branch above `max_pay_ratio`: 超限.
    pub over_limit: &'static str,
    /// The columns that lead a branch's row, before the payroll's figures.
    pub code: &'static str,
    pub branch: &'static str,
    pub status: &'static str,
    pub managers: &'static str,
    /// The columns after the figures.
    pub pay_ratio: &'static str,
    pub standard: &'static str,
    pub standard_sha256: &'static str,
    pub closed_at: &'static str,
    pub closed_by: &'static str,
    pub approved_by: &'static str,
    /// After the names of a chain head office did not verify (it registers no signers for the
    /// branch), and the note under the totals that says what that means.
    pub unverified: &'static str,
    pub unverified_note: &'static str,
    /// 问题's status of a package attributed to no branch and month.
    pub unattributed: &'static str,
    /// 问题's columns: the package and what is wrong.
    pub package: &'static str,
    pub problem: &'static str,
    /// The totals row: the valid branches only.
    pub totals: &'static str,
    /// The subtitle: `{month}`, the counts of each status and the limit.
    pub month: &'static str,
    pub registered: &'static str,
    pub limit: &'static str,
    pub no_limit: &'static str,
    /// 问题 when there is nothing to say.
    pub no_problems: &'static str,
    /// Head office's own sign-off, each with a signature line and a date line.
    pub signoff: [&'static str; 3],
    pub signature_of: &'static str,
    pub date: &'static str,
    pub colon: &'static str,
    pub page_footer: &'static str,
}

/// The sheets of 汇总_YYYY-MM.xlsx.
#[derive(Debug)]
pub struct ConsolidationSheetNames {
    /// One row per registered branch and the totals of the valid ones.
    pub summary: &'static str,
    /// Every reason of every branch not 已备案, every 超限 and 未登记 package.
    pub problems: &'static str,
}

/// A branch's status in the consolidation, by name.
#[derive(Debug)]
pub struct StatusLabels {
    /// A valid package.
    pub filed: &'static str,
    /// No package for the month.
    pub missing: &'static str,
    /// A package that fails a check.
    pub invalid: &'static str,
    /// A package whose code head office does not register.
    pub unregistered: &'static str,
}

pub static CONSOLIDATION: ConsolidationLabels = ConsolidationLabels {
    file: "汇总",
    title: "各营业部客户经理薪酬月报表备案汇总",
    sheets: ConsolidationSheetNames { summary: "汇总", problems: "问题" },
    statuses: StatusLabels { filed: "已备案", missing: "缺失", invalid: "无效", unregistered: "未登记" },
    over_limit: "超限",
    code: "机构代码",
    branch: "营业部",
    status: "状态",
    managers: "人数",
    pay_ratio: "薪酬占净收入比",
    standard: "薪酬标准",
    standard_sha256: "薪酬标准 SHA-256",
    closed_at: "结账时间",
    closed_by: "结账人",
    approved_by: "审核签字",
    unverified: "（未经总部验证）",
    unverified_note: "注：审核签字注明“未经总部验证”的营业部，总部未在 branches.toml 登记其签字人：姓名取自备案包的签字链（approvals.jsonl），未以总部登记的公钥验证。",
    unattributed: "无法归属",
    package: "备案包",
    problem: "问题",
    totals: "合计（已备案）",
    month: "月份",
    registered: "登记营业部",
    limit: "薪酬占净收入比上限",
    no_limit: "未设",
    no_problems: "无问题：所有登记营业部均已备案，且无超限",
    signoff: ["制表", "复核", "经纪业务综合室负责人"],
    signature_of: "{role}（签字）",
    date: "日期",
    colon: "：",
    page_footer: "&C第 &P 页 / 共 &N 页",
};
