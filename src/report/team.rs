//! 团队分析_YYYY-MM.xlsx: the team monthly business report (SPEC §5 item 4).

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use super::labels::AnalysisLabels;
use super::style::{header_text, print_setup, properties, Styles, Widths};
use super::words::fill;
use crate::analysis::team::{Aggregate, Change, ChangeKind, Comparison, PlanLine, TeamAnalysis};
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::model::{ByMetric, TeamMetric};
use crate::money::to_cell;

/// A figure of an aggregate: a count, an amount or a ratio; `None` when not defined.
#[derive(Clone, Copy)]
enum Fig {
    Count(u32),
    Money(Decimal),
    Ratio(Option<Decimal>),
    Money2(Option<Decimal>),
}

fn figures(a: &Aggregate) -> ByMetric<Fig> {
    ByMetric {
        headcount: Fig::Count(a.headcount),
        employees: Fig::Count(a.employees),
        probation: Fig::Count(a.probation),
        part_time: Fig::Count(a.part_time),
        new_accounts: Fig::Count(a.new_accounts),
        valid_accounts: Fig::Count(a.valid_accounts),
        net_inflow: Fig::Money(a.net_inflow),
        month_end_assets: Fig::Money(a.month_end_assets),
        net_commission: Fig::Money(a.net_commission),
        net_revenue: Fig::Money(a.net_revenue),
        total_pay: Fig::Money(a.total_pay),
        pay_ratio: Fig::Ratio(a.pay_ratio()),
        revenue_per_head: Fig::Money2(a.revenue_per_head()),
    }
}

fn value(f: &Fig) -> Option<Decimal> {
    match f {
        Fig::Count(c) => Some(Decimal::from(*c)),
        Fig::Money(m) => Some(*m),
        Fig::Ratio(r) | Fig::Money2(r) => *r,
    }
}

fn write_fig(ws: &mut Worksheet, row: u32, col: u16, f: &Fig, st: &Styles, na: &str) -> Result<(), XlsxError> {
    match f {
        Fig::Count(c) => ws.write_number_with_format(row, col, f64::from(*c), &st.count)?,
        Fig::Money(m) | Fig::Money2(Some(m)) => ws.write_number_with_format(row, col, to_cell(*m), &st.money)?,
        Fig::Ratio(Some(r)) => ws.write_number_with_format(row, col, to_cell(*r), &st.ratio)?,
        Fig::Ratio(None) | Fig::Money2(None) => ws.write_string_with_format(row, col, na, &st.text_right)?,
    };
    Ok(())
}

/// The change of a figure against an earlier month: relative for amounts and counts, in
/// percentage points for a ratio (SPEC §5 item 4). `None` when it is not defined.
enum Delta {
    Relative(Option<Decimal>),
    Points(Option<Decimal>),
}

fn delta(cur: &Fig, before: &Fig) -> Delta {
    match (cur, before) {
        (Fig::Ratio(c), Fig::Ratio(b)) => Delta::Points(c.zip(*b).map(|(c, b)| (c - b) * Decimal::ONE_HUNDRED)),
        _ => Delta::Relative(match (value(cur), value(before)) {
            (Some(c), Some(b)) if !b.is_zero() => Some((c - b) / b.abs()),
            _ => None,
        }),
    }
}

fn write_delta(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: Delta,
    st: &Styles,
    points: &Format,
    na: &str,
) -> Result<(), XlsxError> {
    match d {
        Delta::Relative(Some(v)) => ws.write_number_with_format(row, col, to_cell(v), &st.ratio)?,
        Delta::Points(Some(v)) => ws.write_number_with_format(row, col, to_cell(v), points)?,
        Delta::Relative(None) | Delta::Points(None) => ws.write_string_with_format(row, col, na, &st.text_right)?,
    };
    Ok(())
}

fn name_of(a: &Aggregate, l: &AnalysisLabels, no_group: &str) -> String {
    match a.key.as_slice() {
        [] => l.branch.to_string(),
        [team, group] => format!("{team} / {}", if group.is_empty() { no_group } else { group }),
        [k, ..] if k.is_empty() => no_group.to_string(),
        [k, ..] => k.clone(),
    }
}

/// One block per team, group or outlet from `row`: its name, then each figure this month,
/// last month, the change, the year to date, the same month last year and the change. Gives the
/// row after the last block.
#[allow(clippy::too_many_arguments)]
fn comparison_blocks(
    ws: &mut Worksheet,
    mut row: u32,
    c: &Comparison,
    l: &AnalysisLabels,
    st: &Styles,
    points: &Format,
    no_group: &str,
    widths: &mut Widths,
) -> Result<u32, XlsxError> {
    let na = l.not_available;
    for cur in &c.current {
        let key = &cur.key;
        let find = |v: &Option<Vec<Aggregate>>| {
            v.as_ref().map(|v| {
                v.iter()
                    .find(|a| &a.key == key)
                    .cloned()
                    .unwrap_or(Aggregate { key: key.clone(), ..Default::default() })
            })
        };
        let prev = find(&c.previous);
        let last = find(&c.last_year);
        let ytd = c.ytd.iter().find(|a| &a.key == key);
        ws.write_string_with_format(row, 0, name_of(cur, l, no_group), &st.bold)?;
        row += 1;
        for (col, h) in l.comparison.header().iter().enumerate() {
            ws.write_string_with_format(row, col as u16, *h, &st.header)?;
            widths.see(col, h);
        }
        row += 1;
        let cf = figures(cur);
        let pf = prev.as_ref().map(figures);
        let lf = last.as_ref().map(figures);
        let yf = ytd.map(figures);
        for (k, name) in l.metrics.iter() {
            let now = cf.get(k);
            ws.write_string_with_format(row, 0, *name, &st.text)?;
            widths.see(0, name);
            write_fig(ws, row, 1, &now, st, na)?;
            for (col, other) in [(2u16, &pf), (5, &lf)] {
                match other {
                    Some(p) => {
                        write_fig(ws, row, col, &p.get(k), st, na)?;
                        write_delta(ws, row, col + 1, delta(&now, &p.get(k)), st, points, na)?;
                    }
                    None => {
                        ws.write_string_with_format(row, col, na, &st.text_right)?;
                        ws.write_string_with_format(row, col + 1, na, &st.text_right)?;
                    }
                }
            }
            // A year to date of the flows only: stocks and ratios do not add up over months.
            match (&yf, k.is_flow()) {
                (Some(y), true) => write_fig(ws, row, 4, &y.get(k), st, na)?,
                _ => {
                    ws.write_string_with_format(row, 4, "—", &st.text_right)?;
                }
            }
            for col in 1..7 {
                widths.see(col, "9,999,999,999.99");
            }
            row += 1;
        }
        row += 1;
    }
    Ok(row)
}

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
/// A personnel change in words: its kind and what changed (`month`: the month it was found in).
pub(super) fn change_words(ch: &Change, month: YearMonth, l: &AnalysisLabels) -> (&'static str, String) {
    let kinds = &l.change_kinds;
    let kind = match &ch.kind {
        ChangeKind::Joined { .. } => kinds.joined,
        ChangeKind::Left(_) | ChangeKind::Missing => kinds.left,
        ChangeKind::Regularized { .. } => kinds.regularized,
        ChangeKind::LevelChanged { .. } => kinds.level_changed,
    };
    let level = |n: &crate::analysis::team::LevelName| super::review::level_text(l, &n.label, &n.code);
    let detail = match &ch.kind {
        ChangeKind::Joined { hire, level: to } => {
            fill(l.change_joined, &[("date", &hire.to_string()), ("level", &level(to))])
        }
        ChangeKind::Left(d) => fill(l.change_left, &[("date", &d.to_string())]),
        ChangeKind::Missing => fill(l.change_missing, &[("month", &month.to_string())]),
        ChangeKind::Regularized { date, from, to } => {
            fill(l.change_regularized, &[("date", &date.to_string()), ("from", &level(from)), ("to", &level(to))])
        }
        ChangeKind::LevelChanged { from, to } => fill(l.change_level, &[("from", &level(from)), ("to", &level(to))]),
    };
    (kind, detail)
}

/// The plan lines from row 1 (the header is row 0): team, item, plan (无计划 when none), actual
/// and the completion rate (none without a plan, or with a plan of 0).
pub(super) fn plan_rows(
    ws: &mut Worksheet,
    plan: &[PlanLine],
    l: &AnalysisLabels,
    st: &Styles,
) -> Result<(), XlsxError> {
    for (i, p) in plan.iter().enumerate() {
        let r = i as u32 + 1;
        let item = match p.item {
            "new_hires" => l.plan_items.new_hires,
            "regularized" => l.plan_items.regularized,
            "net_inflow" => l.plan_items.net_inflow,
            _ => l.plan_items.outlets,
        };
        let fmt = if p.item == "net_inflow" { &st.money } else { &st.count };
        ws.write_string_with_format(r, 0, &p.team, &st.text)?;
        ws.write_string_with_format(r, 1, item, &st.text)?;
        match p.plan {
            Some(v) => ws.write_number_with_format(r, 2, to_cell(v), fmt)?,
            None => ws.write_string_with_format(r, 2, l.no_plan, &st.text_right)?,
        };
        ws.write_number_with_format(r, 3, to_cell(p.actual), fmt)?;
        match p.completion() {
            Some(v) => ws.write_number_with_format(r, 4, to_cell(v), &st.ratio)?,
            None => ws.write_string_with_format(r, 4, l.no_plan, &st.text_right)?,
        };
    }
    Ok(())
}

/// The recoveries per team (SPEC §4.9) from row `r`: a title, the header, a row per team and the
/// branch's total (the month's, or a period's summed).
pub(super) fn clawback_block(
    ws: &mut Worksheet,
    mut r: u32,
    clawback: &[(String, u32, Decimal)],
    l: &AnalysisLabels,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, l.clawback_title, &st.bold)?;
    r += 1;
    for (c, h) in l.clawback_columns.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &st.header)?;
    }
    r += 1;
    let (mut n, mut amount) = (0u32, Decimal::ZERO);
    for (team, count, value) in clawback {
        ws.write_string_with_format(r, 0, team, &st.text)?;
        ws.write_number_with_format(r, 1, f64::from(*count), &st.count)?;
        ws.write_number_with_format(r, 2, to_cell(*value), &st.money)?;
        n += count;
        amount += value;
        r += 1;
    }
    ws.write_string_with_format(r, 0, l.branch, &st.total_text)?;
    ws.write_number_with_format(r, 1, f64::from(n), &st.total_count)?;
    ws.write_number_with_format(r, 2, to_cell(amount), &st.total_money)?;
    Ok(())
}

pub fn write(path: &Path, cfg: &Config, t: &TeamAnalysis, l: &AnalysisLabels) -> Result<(), XlsxError> {
    let st = Styles::new();
    let points = st.ratio.clone().set_num_format(l.points_format);
    let mut wb = Workbook::new();
    let org = &cfg.organization.name;
    wb.set_properties(&properties(t.month, l.team_title, org)?);
    let labels = super::labels::labels(cfg.report.locale);
    let footer = labels.page_footer;
    let page_header = format!("&L{}&R{}", header_text(org), t.month);
    let ytd: Vec<String> = t.ytd_months.iter().map(|m| m.to_string()).collect();
    let missing: Vec<String> = t.ytd_missing.iter().map(|m| m.to_string()).collect();

    // --- Teams, groups and outlets: this month against the previous month, the year to date
    // and last year; each sheet titled.
    let sheets = &l.sheets;
    let blocks =
        [(sheets.teams, &t.teams, true), (sheets.groups, &t.groups, false), (sheets.outlets, &t.outlets, false)];
    for (sheet, comparison, charts) in blocks {
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        ws.merge_range(0, 0, 0, 6, &format!("{org} {} {} — {sheet}", l.team_title, t.month), &st.title)?;
        ws.write_string(1, 0, format!("{}{}{}", l.ytd_note, l.colon, ytd.join(", ")))?;
        if !missing.is_empty() {
            ws.write_string(2, 0, format!("{}{}{}", l.missing_months, l.colon, missing.join(", ")))?;
        }
        let mut widths = Widths::new(7, 30);
        let row = comparison_blocks(ws, 4, comparison, l, &st, &points, labels.no_group, &mut widths)?;
        if charts {
            teams_chart(ws, row, t, l, &st)?;
        }
        widths.apply(ws)?;
        print_setup(ws, &page_header, footer, None)?;
    }
    // --- Accounts by type.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.account_types)?;
    let heads = [l.team, l.account_type, l.metrics.new_accounts, l.metrics.valid_accounts];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    for (i, (team, ty, new, valid)) in t.accounts_by_type.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, team, &st.text)?;
        ws.write_string_with_format(r, 1, ty, &st.text)?;
        ws.write_number_with_format(r, 2, f64::from(*new), &st.count)?;
        ws.write_number_with_format(r, 3, f64::from(*valid), &st.count)?;
    }
    if !t.clawback.is_empty() {
        // The month's recoveries per team (SPEC §4.9), under the accounts, with their total.
        clawback_block(ws, t.accounts_by_type.len() as u32 + 2, &t.clawback, l, &st)?;
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 14)?;
    ws.set_column_width(3, 10)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- Plan vs actual.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.plan)?;
    for (c, h) in l.plan_columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    plan_rows(ws, &t.plan, l, &st)?;
    for (c, w) in [16.0, 14.0, 18.0, 18.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- Personnel changes.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.personnel)?;
    for (c, h) in l.change_columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    match &t.changes {
        None => {
            ws.write_string(1, 0, l.no_previous)?;
        }
        Some(changes) => {
            for (i, ch) in changes.iter().enumerate() {
                let r = i as u32 + 1;
                let (kind, detail) = change_words(ch, t.month, l);
                for (c, s) in [kind, &ch.manager_id, &ch.name, &ch.team, &detail].iter().enumerate() {
                    ws.write_string_with_format(r, c as u16, *s, &st.text)?;
                }
            }
        }
    }
    for (c, w) in [12.0, 10.0, 10.0, 14.0, 50.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- Ranking of managers by net revenue.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.ranking)?;
    let mut widths = Widths::new(11, 30);
    for (c, h) in l.ranking_columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
        widths.see(c, h);
    }
    for (i, m) in t.ranking.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.count)?;
        super::review::write_identity(ws, r, 1, m, l, &st, &mut widths)?;
        ws.write_number_with_format(r, 6, to_cell(m.metrics.net_revenue), &st.money)?;
        ws.write_number_with_format(r, 7, to_cell(m.metrics.net_commission), &st.money)?;
        ws.write_number_with_format(r, 8, f64::from(m.valid_accounts), &st.count)?;
        ws.write_number_with_format(r, 9, to_cell(m.metrics.net_inflow), &st.money)?;
        ws.write_number_with_format(r, 10, to_cell(m.total), &st.money)?;
        for c in 6..11 {
            widths.see(c, "9,999,999,999.99");
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 3)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- Trend of the year, with its chart.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.trend)?;
    ws.write_string_with_format(0, 0, l.month, &st.header)?;
    for (c, (team, _)) in t.trend.iter().enumerate() {
        ws.write_string_with_format(0, c as u16 + 1, team, &st.header)?;
        ws.set_column_width(c as u16 + 1, 18)?;
    }
    ws.set_column_width(0, 12)?;
    for (i, m) in t.trend_months.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, m.to_string(), &st.text)?;
        for (c, (_, values)) in t.trend.iter().enumerate() {
            match values.get(i).copied().flatten() {
                Some(v) => ws.write_number_with_format(r, c as u16 + 1, to_cell(v), &st.money)?,
                // Not available: an empty cell (a gap in the chart), never a zero.
                None => ws.write_blank(r, c as u16 + 1, &st.money)?,
            };
        }
    }
    let n = t.trend_months.len() as u32;
    if n > 0 && !t.trend.is_empty() {
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(l.chart_trend);
        for c in 1..=t.trend.len() as u16 {
            chart.add_series().set_name((sheets.trend, 0, c)).set_categories((sheets.trend, 1, 0, n, 0)).set_values((
                sheets.trend,
                1,
                c,
                n,
                c,
            ));
        }
        chart.y_axis().set_num_format("#,##0");
        chart.set_width(640).set_height(320);
        ws.insert_chart(1, t.trend.len() as u16 + 2, &chart)?;
    }
    print_setup(ws, &page_header, footer, None)?;
    crate::output::save_workbook(&mut wb, path)
}

/// The data of the teams chart below the blocks from `row`, and the chart beside the blocks.
fn teams_chart(
    ws: &mut Worksheet,
    row: u32,
    t: &TeamAnalysis,
    l: &AnalysisLabels,
    st: &Styles,
) -> Result<(), XlsxError> {
    let chart_top = row + 1;
    let sheet = l.sheets.teams;
    ws.write_string_with_format(chart_top, 0, l.team, &st.header)?;
    // The charted figures (amounts), one series each.
    let charted = [TeamMetric::NetCommission, TeamMetric::NetRevenue, TeamMetric::TotalPay];
    for (c, k) in charted.iter().enumerate() {
        ws.write_string_with_format(chart_top, c as u16 + 1, l.metrics.get(*k), &st.header)?;
    }
    let teams: Vec<&Aggregate> = t.teams.current.iter().filter(|a| !a.key.is_empty()).collect();
    for (i, a) in teams.iter().enumerate() {
        let r = chart_top + 1 + i as u32;
        ws.write_string_with_format(r, 0, &a.key[0], &st.text)?;
        let f = figures(a);
        for (c, k) in charted.iter().enumerate() {
            write_fig(ws, r, c as u16 + 1, &f.get(*k), st, l.not_available)?;
        }
    }
    if !teams.is_empty() {
        let last_row = chart_top + teams.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(l.chart_teams);
        for c in 1..=3u16 {
            chart
                .add_series()
                .set_name((sheet, chart_top, c))
                .set_categories((sheet, chart_top + 1, 0, last_row, 0))
                .set_values((sheet, chart_top + 1, c, last_row, c));
        }
        chart.y_axis().set_num_format("#,##0");
        chart.set_width(640).set_height(320);
        ws.insert_chart(4, 8, &chart)?;
    }
    Ok(())
}
