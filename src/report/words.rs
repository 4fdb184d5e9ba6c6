//! The sentences of the working (计算明细, `explain`, the pay statements), one table per
//! locale. Each is a template whose `{name}` places [`fill`] replaces with figures already
//! formatted, so that the words stay here and the code that computes the figures stays in
//! [`super::working`].

use crate::calendar::YearMonth;
use crate::config::Locale;

/// The working's sentences of one locale.
#[derive(Debug)]
pub struct Words {
    // Rules that are not a pay component.
    pub rule_attribution: &'static str,
    pub rule_total: &'static str,
    pub rule_status: &'static str,
    // Attribution.
    pub crm_rows: &'static str,
    pub crm_rows_working: &'static str,
    pub net_revenue_working: &'static str,
    // Base salary.
    pub level: &'static str,
    pub level_working: &'static str,
    pub days: &'static str,
    pub days_working: &'static str,
    pub no_date: &'static str,
    pub base_working: &'static str,
    // Minimum.
    pub minimum_none: &'static str,
    pub minimum_test: &'static str,
    pub met: &'static str,
    pub missed: &'static str,
    pub exempt_hired: &'static str,
    pub exempt_base_zero: &'static str,
    pub both_missed: &'static str,
    pub not_both_missed: &'static str,
    /// Between two clauses of one sentence.
    pub then: &'static str,
    // Net commission pay.
    pub marginal: &'static str,
    pub whole: &'static str,
    pub schedule: &'static str,
    /// The two schedules every standard has (`employee`, `part_time`), by name; others keep
    /// the standard's key.
    pub schedule_employee: &'static str,
    pub schedule_part_time: &'static str,
    pub schedule_nothing: &'static str,
    pub tier: &'static str,
    pub tier_working: &'static str,
    pub tier_open: &'static str,
    pub tiers_sum: &'static str,
    // Other components.
    pub other_pay_working: &'static str,
    pub accounts: &'static str,
    pub accounts_working: &'static str,
    pub account_type_working: &'static str,
    pub no_valid_accounts: &'static str,
    pub asset_working: &'static str,
    pub asset_no_cap: &'static str,
    pub adjustments_working: &'static str,
    pub adjustment_row: &'static str,
    pub leader_working: &'static str,
    pub leader_no_group: &'static str,
    pub cap_working: &'static str,
    pub cap_none: &'static str,
    pub prior_working: &'static str,
    /// §4.9: an account lost with assets below the threshold, and one absent from the CRM.
    pub clawback_low: &'static str,
    pub clawback_absent: &'static str,
    pub not_active: &'static str,
    pub not_active_working: &'static str,
    pub all_zero: &'static str,
    // explain
    pub explain_title: &'static str,
    pub explain_identity: &'static str,
    pub explain_standard: &'static str,
    pub explain_components: &'static str,
    pub explain_excluded: &'static str,
    pub no_group: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub issue_line: &'static str,
    pub issue_sheet: &'static str,
    pub issue_column: &'static str,
    pub issue_raw: &'static str,
}

/// `template` with every `{name}` replaced by its value; unknown places stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) => {
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A month as Chinese writes it: 2026年10月 (the working and the reasons of 数据异常 both say it
/// so).
pub fn month_zh(m: YearMonth) -> String {
    format!("{}年{}月", m.year, m.month)
}

impl Words {
    /// A commission schedule by name.
    pub fn schedule_name<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "employee" => self.schedule_employee,
            "part_time" => self.schedule_part_time,
            other => other,
        }
    }
}

pub fn words(locale: Locale) -> &'static Words {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

pub static ZH: Words = Words {
    rule_attribution: "业绩归属",
    rule_total: "应发合计",
    rule_status: "在职状态",
    crm_rows: "计入的客户业绩行",
    crm_rows_working: "{rows} 行",
    net_revenue_working: "{nc_label} {nc} + {or_label} {or} = {nr}",
    level: "级别",
    level_working: "{label}（{code}），级别底薪 {base}",
    days: "在职天数",
    days_working: "本月 {days} 天，在职 {employed} 天（入职 {hire}，转正 {regular}，离职 {leave}），其中试用期 {probation} 天，试用期按 {ratio} 发放",
    no_date: "无",
    base_working: "级别底薪 {base} ÷ {days} 天 × （转正后 {regular_days} 天 + 试用期 {probation} 天 × {ratio}） = {exact}",
    minimum_none: "薪酬标准未设考核底线，不扣减",
    minimum_test: "有效户 {valid} 户（底线 {min_valid} 户，{valid_result}），净收入 {nr}（底线 {min_nr}，{nr_result}）",
    met: "达到",
    missed: "未达到",
    exempt_hired: "{month}入职，当月免考",
    exempt_base_zero: "基本工资为 0，免考",
    both_missed: "两项均未达到：扣减 基本工资 {base} × 扣减比例 {ratio}",
    not_both_missed: "并非两项均未达到，不扣减",
    then: "；",
    marginal: "超额累进",
    whole: "全额累进",
    schedule: "提成方案",
    schedule_employee: "员工提成表",
    schedule_part_time: "兼职提成表",
    schedule_nothing: "{schedule}（{mode}）：净佣金 {nc} 不大于 0，无提成",
    tier: "第 {n} 档",
    tier_working: "{schedule}（{mode}）区间 ({from}, {to}]：{base} × {rate} = {amount}",
    tier_open: "以上",
    tiers_sum: "各档合计 {exact}",
    other_pay_working: "其他净收入 {or}（负数按 0 计）× 比例 {rate} = {exact}",
    accounts: "开户",
    accounts_working: "新开户 {new} 户，其中有效户 {valid} 户",
    account_type_working: "{type}：有效户 {n} 户 × 每户 {bonus} = {amount}",
    no_valid_accounts: "无有效户",
    asset_working: "资金净流入 {ni}（负数按 0 计）× 比例 {rate} = {raw}，封顶 {cap}",
    asset_no_cap: "不封顶",
    adjustments_working: "{n} 笔手工调整，合计 {exact}",
    adjustment_row: "{file} 第 {row} 行 {category}：{reason}",
    leader_working: "{team}/{group} 其他 {members} 名组员的净佣金提成合计 {others} × 比例 {rate} = {exact}",
    leader_no_group: "组长未分在任何小组，无管理津贴",
    cap_working: "浮动薪酬 {variable}，上限 {cap}，超出上限的 {over} 扣减",
    cap_none: "薪酬标准未设浮动薪酬上限，不扣减",
    prior_working: "{month}：重算 {recomputed} − 已结账 {closed} − 此前已补 {carried} = {amount}",
    clawback_low: "{month}发放：客户 {client}（{type}）本月月末资产 {assets} 低于 {min}，回收开户奖励 {bonus}",
    clawback_absent: "{month}发放：客户 {client}（{type}）本月无 CRM 记录，回收开户奖励 {bonus}",
    not_active: "本月不在职",
    not_active_working: "本月不在职，仅发放以前月份调整",
    all_zero: "各项均为 0",
    explain_title: "{id} {name} — {month}",
    explain_identity: "团队 {team} / 小组 {group} / 级别 {label}（{code}）/ {employment} / 组长 {leader}",
    explain_standard: "薪酬标准 {name}（{file}，SHA-256 {sha}）",
    explain_components: "各项薪酬：",
    explain_excluded: "本人以下数据行未计入薪酬：",
    no_group: "无",
    yes: "是",
    no: "否",
    issue_line: "{severity}：{file}{sheet} 第 {row} 行{column}：{reason}{raw}",
    issue_sheet: "（工作表 {sheet}）",
    issue_column: " {column} 列",
    issue_raw: "（原值 “{raw}”）",
};

pub static EN: Words = Words {
    rule_attribution: "Attribution",
    rule_total: "Total",
    rule_status: "Status",
    crm_rows: "CRM rows credited",
    crm_rows_working: "{rows} row(s)",
    net_revenue_working: "{nc_label} {nc} + {or_label} {or} = {nr}",
    level: "Level",
    level_working: "{label} ({code}), level base salary {base}",
    days: "Days employed",
    days_working: "{employed} of the month's {days} days (hired {hire}, regularised {regular}, left {leave}); {probation} of them on probation, paid at {ratio}",
    no_date: "none",
    base_working: "level base {base} ÷ {days} days × ({regular_days} regular days + {probation} probation days × {ratio}) = {exact}",
    minimum_none: "the standard sets no minimum: no deduction",
    minimum_test: "valid accounts {valid} (minimum {min_valid}: {valid_result}), net revenue {nr} (minimum {min_nr}: {nr_result})",
    met: "met",
    missed: "missed",
    exempt_hired: "exempt: hired in {month}",
    exempt_base_zero: "exempt: base salary 0",
    both_missed: "both missed: − base salary {base} × penalty ratio {ratio}",
    not_both_missed: "not both missed: no deduction",
    then: "; ",
    marginal: "marginal",
    whole: "whole",
    schedule: "Schedule",
    schedule_employee: "employee schedule",
    schedule_part_time: "part-time schedule",
    schedule_nothing: "{schedule} ({mode}): net commission {nc} is not above 0, no commission pay",
    tier: "Tier {n}",
    tier_working: "{schedule} ({mode}) range ({from}, {to}]: {base} × {rate} = {amount}",
    tier_open: "∞",
    tiers_sum: "sum of the tiers {exact}",
    other_pay_working: "other revenue {or} (0 if negative) × rate {rate} = {exact}",
    accounts: "Accounts",
    accounts_working: "{new} new account(s), {valid} of them valid",
    account_type_working: "{type}: {n} valid × {bonus} each = {amount}",
    no_valid_accounts: "no valid account",
    asset_working: "net inflow {ni} (0 if negative) × rate {rate} = {raw}, capped at {cap}",
    asset_no_cap: "no cap",
    adjustments_working: "{n} adjustment row(s), total {exact}",
    adjustment_row: "{file} row {row} {category}: {reason}",
    leader_working: "net commission pay of the {members} other member(s) of {team}/{group} {others} × rate {rate} = {exact}",
    leader_no_group: "group leader without a group: no override",
    cap_working: "variable pay {variable}, cap {cap}: {over} above the cap deducted",
    cap_none: "the standard sets no cap on variable pay: no deduction",
    prior_working: "{month}: recomputed {recomputed} − as closed {closed} − carried before {carried} = {amount}",
    clawback_low: "paid {month}: client {client} ({type}) month-end assets {assets}, below {min}: bonus {bonus} recovered",
    clawback_absent: "paid {month}: client {client} ({type}) has no CRM row this month: bonus {bonus} recovered",
    not_active: "Not active",
    not_active_working: "not active in the month: only the prior-period adjustment is paid",
    all_zero: "every component is 0",
    explain_title: "{id} {name} — {month}",
    explain_identity: "team {team} / group {group} / level {label} ({code}) / {employment} / group leader {leader}",
    explain_standard: "standard {name} ({file}, SHA-256 {sha})",
    explain_components: "Components:",
    explain_excluded: "Rows of this manager excluded from pay:",
    no_group: "none",
    yes: "yes",
    no: "no",
    issue_line: "{severity}: {file}{sheet} row {row}{column}: {reason}{raw}",
    issue_sheet: " (sheet {sheet})",
    issue_column: ", column {column}",
    issue_raw: " (value \"{raw}\")",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_places_and_keeps_the_rest() {
        assert_eq!(fill("{a} × {b} = {c}", &[("a", "1"), ("b", "20%"), ("c", "0.20")]), "1 × 20% = 0.20");
        assert_eq!(fill("{a} {unknown} {", &[("a", "x")]), "x {unknown} {");
        assert_eq!(fill("无占位", &[]), "无占位");
    }
}
