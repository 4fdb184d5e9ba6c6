//! 对账: the reconciliation equations of SPEC §7, each with its exact figures.

use rust_decimal::Decimal;

use super::compensation::row_figures;
use super::ReportCtx;
use crate::compute::MonthResult;
use crate::config::Locale;
use crate::ingest::Kind;
use crate::money::exact;

/// One equation: `left = right`, with the working written out.
#[derive(Debug, Clone)]
pub struct Equation {
    pub item: String,
    pub equation: String,
    pub left: Decimal,
    pub right: Decimal,
}

impl Equation {
    pub fn holds(&self) -> bool {
        self.left == self.right
    }
}

fn kind_label(k: Kind, locale: Locale) -> &'static str {
    match (k, locale) {
        (Kind::Crm, Locale::ZhCn) => "客户业绩明细",
        (Kind::Accounts, Locale::ZhCn) => "开户明细",
        (Kind::Roster, Locale::ZhCn) => "人员名册",
        (Kind::Adjustments, Locale::ZhCn) => "手工调整",
        (Kind::Scores, Locale::ZhCn) => "职责考核",
        (k, Locale::En) => k.name(),
    }
}

/// Every equation of the month.
pub fn equations(ctx: &ReportCtx<'_>) -> Vec<Equation> {
    let zh = ctx.config.report.locale == Locale::ZhCn;
    let t = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
    let mut out = Vec::new();
    let d = |n: u64| Decimal::from(n);

    for kind in Kind::ALL {
        let files: Vec<_> = ctx.input.files.iter().filter(|f| f.kind == kind).collect();
        if files.is_empty() {
            continue;
        }
        let read: u64 = files.iter().map(|f| f.counts.rows_read).sum();
        let acc: u64 = files.iter().map(|f| f.accepted).sum();
        let rej: u64 = files.iter().map(|f| f.rejected).sum();
        let skip: u64 = files.iter().map(|f| f.counts.blank + f.counts.summary).sum();
        out.push(Equation {
            item: format!("{}: {}", kind_label(kind, ctx.config.report.locale), t("行数", "rows")),
            equation: format!(
                "{} {read} = {} {acc} + {} {rej} + {} {skip}",
                t("读入", "read"),
                t("接受", "accepted"),
                t("拒绝", "rejected"),
                t("跳过(空行/合计行)", "skipped (blank/summary)")
            ),
            left: d(read),
            right: d(acc + rej + skip),
        });
    }

    let names = [("净佣金", "net commission"), ("其他净收入", "other revenue"), ("资金净流入", "net inflow")];
    for (r, (zhn, enn)) in ctx.input.crm_recon.iter().zip(names) {
        out.push(Equation {
            item: format!("{}: {}", kind_label(Kind::Crm, ctx.config.report.locale), t(zhn, enn)),
            equation: format!(
                "{} {} = {} {} + {} {} + {} {}",
                t("文件合计", "file total"),
                exact(r.file_total),
                t("已计入", "credited"),
                exact(r.credited),
                t("未分配", "unattributed"),
                exact(r.unattributed),
                t("已拒绝", "rejected"),
                exact(r.rejected)
            ),
            left: r.file_total,
            right: r.credited + r.unattributed + r.rejected,
        });
    }

    let a = &ctx.result.accounts_recon;
    out.push(Equation {
        item: format!("{}: {}", kind_label(Kind::Accounts, ctx.config.report.locale), t("开户", "accounts")),
        equation: format!(
            "{} {} = {} {} + {} {} + {} {} + {} {}",
            t("行数", "rows"),
            a.rows,
            t("有效", "valid"),
            a.valid,
            t("无效", "not valid"),
            a.not_valid,
            t("老客户", "returning"),
            a.returning,
            t("拒绝", "rejected"),
            a.rejected
        ),
        left: d(a.rows),
        right: d(a.valid + a.not_valid + a.returning + a.rejected),
    });

    // Pay: the grand total against the rows and against the team subtotals.
    let rows_total: Decimal = ctx.result.managers.iter().map(|m| m.total).sum();
    let components_total: Decimal = MonthResult::totals(&ctx.result.managers).0.iter().copied().sum();
    out.push(Equation {
        item: t("应发合计", "total pay"),
        equation: format!(
            "{} {} = {} {}",
            t("各行应发合计之和", "Σ row totals"),
            exact(rows_total),
            t("各项目合计之和", "Σ component totals"),
            exact(components_total)
        ),
        left: rows_total,
        right: components_total,
    });
    let mut teams: Vec<Decimal> = Vec::new();
    let mut last: Option<&str> = None;
    for m in &ctx.result.managers {
        if last != Some(m.person.team.as_str()) {
            teams.push(Decimal::ZERO);
            last = Some(m.person.team.as_str());
        }
        *teams.last_mut().expect("pushed") += row_figures(ctx, m)[15];
    }
    let teams_total: Decimal = teams.iter().copied().sum();
    out.push(Equation {
        item: t("团队小计", "team subtotals"),
        equation: format!(
            "{} {} = {} {}",
            t("团队小计之和", "Σ team subtotals"),
            exact(teams_total),
            t("合计", "grand total"),
            exact(rows_total)
        ),
        left: teams_total,
        right: rows_total,
    });
    out
}
