//! The reasons of 数据异常 in words, per locale: English is the terminal's wording
//! ([`Reason`]'s `Display`), zh-CN what finance reads in the workbooks.
//!
//! Takes a [`Reason`] and the kind of file it is about (a field is named as that kind's first
//! alias, the word the export itself uses); gives a sentence.

use super::words::{fill, month_zh};
use super::working::Speaker;
use crate::config::Locale;
use crate::model::{Duplicated, Issue, Kind, Problem, Reason, Severity};

/// The reason in the words of `locale`.
pub fn reason_text(locale: Locale, kind: Kind, r: &Reason) -> String {
    match locale {
        Locale::En => r.to_string(),
        Locale::ZhCn => zh(kind, r),
    }
}

/// One entry of 数据异常 as a line of text in the words of the speaker's locale (`explain`).
pub fn issue_text(sp: &Speaker, i: &Issue) -> String {
    let w = sp.words;
    let severity = match i.severity {
        Severity::Exception => sp.labels.exception,
        Severity::Information => sp.labels.information,
    };
    let sheet = if i.sheet.is_empty() { String::new() } else { fill(w.issue_sheet, &[("sheet", &i.sheet)]) };
    let column = if i.column.is_empty() { String::new() } else { fill(w.issue_column, &[("column", &i.column)]) };
    let raw = if i.raw.is_empty() { String::new() } else { fill(w.issue_raw, &[("raw", &i.raw)]) };
    fill(
        w.issue_line,
        &[
            ("severity", severity),
            ("file", &i.file),
            ("sheet", &sheet),
            ("row", &i.row.to_string()),
            ("column", &column),
            ("reason", &reason_text(sp.locale, i.kind, &i.reason)),
            ("raw", &raw),
        ],
    )
}

/// A field of `kind` by its Chinese name (the first alias), else as the program names it.
fn field_zh(kind: Kind, name: &str) -> &str {
    kind.fields().iter().find(|f| f.name == name).map(|f| f.aliases[0]).unwrap_or(name)
}

fn problem_zh(p: &Problem) -> String {
    match p {
        Problem::ErrorCell(e) => format!("错误值单元格 {e}"),
        Problem::NotAmount => "金额无法识别：不是数字".into(),
        Problem::NotFinite => "金额无法识别：不是有限的数".into(),
        Problem::BoolNotAmount => "金额无法识别：TRUE/FALSE 单元格不是金额".into(),
        Problem::DateNotAmount => "金额无法识别：日期单元格不是金额".into(),
        Problem::OutOfRange => "超出范围：金额达到或超过 10^15 元".into(),
        Problem::NotRatio => "比例无法识别".into(),
        Problem::RatioOutside => "比例不在 0 到 1 之间".into(),
        Problem::NotDate => "日期无法识别".into(),
        Problem::NotYesNo => "不是 是/否（Y/N、true/false）".into(),
        Problem::IdTooLong(n) => format!("数字 {n} 位数过长，末几位已丢失；编号请按文本保存"),
        Problem::NotRelation => "不是“开发”或“服务”".into(),
        Problem::NotEmployment => "不是“员工”或“兼职”".into(),
        Problem::DutyScoreRange => "职责得分不在 0–100 之间".into(),
    }
}

fn duplicated_zh(d: &Duplicated) -> String {
    match d {
        Duplicated::ClientManager { client, manager } => format!("客户 {client} 与客户经理 {manager}"),
        Duplicated::Manager(m) => format!("工号 {m}"),
        Duplicated::ClientType { client, account_type } => format!("客户 {client} 的{account_type}开户"),
        Duplicated::Score(m) => format!("客户经理 {m} 的得分"),
    }
}

/// What a missing optional column is taken to be, in words.
fn absent_zh(field: &str) -> &'static str {
    match field {
        "share" => "按 100% 计",
        "other_revenue" => "按 0 计",
        "regular_date" => "无人有转正日期，员工一律按试用期比例发放",
        "leave_date" => "视为无人离职",
        "leader" => "视为无人担任组长",
        "group" => "视为无人属于小组",
        _ => "留空",
    }
}

fn zh(kind: Kind, r: &Reason) -> String {
    match r {
        Reason::Missing(field) => format!("缺少必填值（{}）", field_zh(kind, field)),
        Reason::Cell(p) => problem_zh(p),
        Reason::TooManyFields { fields, header } => format!(
            "该行有 {fields} 个字段，而表头只有 {header} 个：未加引号的 1,234.50 或多余的分隔符会使其后各字段错位"
        ),
        Reason::CellTooLong { column, chars } => {
            format!("第 {column} 列有 {chars} 个字符，超过表格单元格的上限（32,767）：导出的文件已损坏，该行不予读取")
        }
        Reason::StrayQuote { from, to } => {
            format!("引号字段从第 {from} 行开始，一直延续到第 {to} 行，其中含有疑似完整的数据行：是否多了一个引号？")
        }
        Reason::Duplicate { what, first_file, first_row } => {
            let what = duplicated_zh(what);
            match first_file {
                Some(file) => format!("重复：{what} 已见于 {file} 第 {first_row} 行"),
                None => format!("重复：{what} 已见于第 {first_row} 行"),
            }
        }
        Reason::NotActive { manager, month } => format!("客户经理 {manager} 在{}不在职", month_zh(*month)),
        Reason::NotOnRoster { manager, month } => format!("客户经理 {manager} 不在{}的花名册上", month_zh(*month)),
        Reason::ClientDisagrees { field, first, first_row, other, other_row } => format!(
            "同一客户各行的{}不一致：第 {first_row} 行为 {first}，第 {other_row} 行为 {other}；该客户各行均不计入",
            field_zh(kind, field)
        ),
        Reason::SharesAbove(p) => format!("该客户的分配比例合计 {p}%，超过 100%：该客户各行均不计入"),
        Reason::LeaveBeforeHire { leave, hire } => format!("离职日期 {leave} 早于入职日期 {hire}"),
        Reason::HiredLater { month, hire } => format!("{}不在职：{hire} 入职", month_zh(*month)),
        Reason::LeftBefore { month, leave } => match leave {
            Some(d) => format!("{}不在职：{d} 离职", month_zh(*month)),
            None => format!("{}不在职", month_zh(*month)),
        },
        Reason::OpenDateOutside { date, month } => format!("开户日期 {date} 不在{}", month_zh(*month)),
        Reason::Returning(m) => format!("老客户：已于{}开户，不算新开户", month_zh(*m)),
        Reason::LeadingZeros { client, other } => format!(
            "客户 {client} 不在 CRM 导出中，但客户 {other} 在：是否某个导出丢失了开头的 0？（该开户按不在 CRM 中处理）"
        ),
        Reason::NoColumn { field, alias, .. } => format!("没有“{alias}”列（{field}）；{}", absent_zh(field)),
        Reason::Summary => "合计行，已跳过".into(),
        Reason::ClawbackNotJudged { paid } => {
            format!("开户奖励回收：该客户本月 CRM 行全部被拒，{}发放的开户奖励本月不作判断", month_zh(*paid))
        }
        Reason::ClawbackNotCharged { paid, manager, month } => format!(
            "开户奖励回收：客户已流失，但{}发放开户奖励的客户经理 {manager} 在{}不在岗，不予回收",
            month_zh(*paid),
            month_zh(*month)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Date, YearMonth};

    /// One of every reason, so that a new variant without Chinese words fails here.
    fn every_reason() -> Vec<(Kind, Reason)> {
        let m = YearMonth::new(2026, 10).unwrap();
        let d = Date::new(2026, 9, 30).unwrap();
        let problems = [
            Problem::ErrorCell("#DIV/0!".into()),
            Problem::NotAmount,
            Problem::NotFinite,
            Problem::BoolNotAmount,
            Problem::DateNotAmount,
            Problem::OutOfRange,
            Problem::NotRatio,
            Problem::RatioOutside,
            Problem::NotDate,
            Problem::NotYesNo,
            Problem::IdTooLong("12345678901234567890".into()),
            Problem::NotRelation,
            Problem::NotEmployment,
            Problem::DutyScoreRange,
        ];
        let mut v: Vec<(Kind, Reason)> = problems.into_iter().map(|p| (Kind::Crm, Reason::Cell(p))).collect();
        let dups = [
            Duplicated::ClientManager { client: "C1".into(), manager: "A01".into() },
            Duplicated::Manager("A01".into()),
            Duplicated::ClientType { client: "C1".into(), account_type: "普通".into() },
            Duplicated::Score("A01".into()),
        ];
        for (i, what) in dups.into_iter().enumerate() {
            let first_file = (i % 2 == 0).then(|| "crm_a.csv".to_string());
            v.push((Kind::Crm, Reason::Duplicate { what, first_file, first_row: 4 }));
        }
        v.extend([
            (Kind::Crm, Reason::Missing("client_id".into())),
            (Kind::Crm, Reason::TooManyFields { fields: 12, header: 11 }),
            (Kind::Crm, Reason::StrayQuote { from: 3, to: 90 }),
            (Kind::Crm, Reason::CellTooLong { column: "D".into(), chars: 100_000 }),
            (Kind::Crm, Reason::NotActive { manager: "A01".into(), month: m }),
            (Kind::Crm, Reason::NotOnRoster { manager: "Z".into(), month: m }),
            (
                Kind::Crm,
                Reason::ClientDisagrees {
                    field: "net_commission".into(),
                    first: "100".into(),
                    first_row: 2,
                    other: "101".into(),
                    other_row: 3,
                },
            ),
            (Kind::Crm, Reason::SharesAbove("110".into())),
            (Kind::Roster, Reason::LeaveBeforeHire { leave: d, hire: d }),
            (Kind::Roster, Reason::HiredLater { month: m, hire: d }),
            (Kind::Roster, Reason::LeftBefore { month: m, leave: Some(d) }),
            (Kind::Roster, Reason::LeftBefore { month: m, leave: None }),
            (Kind::Accounts, Reason::OpenDateOutside { date: d, month: m }),
            (Kind::Accounts, Reason::Returning(m)),
            (Kind::Accounts, Reason::LeadingZeros { client: "0012".into(), other: "12".into() }),
            (
                Kind::Crm,
                Reason::NoColumn {
                    field: "share".into(), alias: "分配比例".into(), absent: "taken as 100%".into()
                },
            ),
            (Kind::Crm, Reason::Summary),
            (Kind::Crm, Reason::ClawbackNotJudged { paid: m }),
            (Kind::Crm, Reason::ClawbackNotCharged { paid: m, manager: "M9".into(), month: m }),
        ]);
        v
    }

    #[test]
    fn every_reason_has_chinese_words_and_no_english_ones() {
        for (kind, r) in every_reason() {
            let zh = reason_text(Locale::ZhCn, kind, &r);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{r:?} → {zh}");
            // Latin only in ids, file names, CRM, TRUE/FALSE and the program's name of a missing
            // column (beside its Chinese header).
            let words: Vec<&str> = zh
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() > 3 && !["FALSE", "TRUE", "true", "false"].contains(w))
                .collect();
            let allowed: &[&str] = if matches!(r, Reason::NoColumn { .. }) { &["share"] } else { &[] };
            assert!(words.iter().all(|w| allowed.contains(w)), "English words in {zh:?}: {words:?}");
            assert_eq!(reason_text(Locale::En, kind, &r), r.to_string());
        }
    }

    #[test]
    fn fields_are_named_by_the_exports_own_header_and_months_in_chinese() {
        let r = Reason::Missing("client_id".into());
        assert_eq!(reason_text(Locale::ZhCn, Kind::Crm, &r), "缺少必填值（客户号）");
        let r = Reason::NotActive { manager: "A01".into(), month: YearMonth::new(2026, 3).unwrap() };
        assert_eq!(reason_text(Locale::ZhCn, Kind::Crm, &r), "客户经理 A01 在2026年3月不在职");
        let r = Reason::Duplicate { what: Duplicated::Manager("A01".into()), first_file: None, first_row: 4 };
        assert_eq!(reason_text(Locale::ZhCn, Kind::Roster, &r), "重复：工号 A01 已见于第 4 行");
    }
}
