//! 团队分析_YYYYH1.xlsx, 团队分析_YYYYH2.xlsx and 团队分析_YYYY.xlsx: the half-year and annual team
//! business reports (SPEC §5 item 4, guideline article 6).
//!
//! Takes a [`PeriodAnalysis`]; writes per team (and the branch), group and outlet the period's
//! figures against the same period a year earlier, the accounts by type and the recoveries, the
//! plan over the period, every personnel change, the managers ranked over the period, and the
//! months side by side with the trend chart. Every sheet prints on A4 landscape, one page wide.

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use super::labels::AnalysisLabels;
use super::style::{header_text, print_setup, properties, text_width, Styles, Widths};
use super::words::fill;
use crate::analysis::period::{PeriodAggregate, PeriodAnalysis, PeriodKind, PeriodSide};
use crate::analysis::team::Aggregate;
use crate::calendar::YearMonth;
use crate::config::Config;
use crate::model::TeamMetric;
use crate::money::to_cell;

/// How a figure is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Count,
    Money,
    Ratio,
}

fn shape(m: TeamMetric) -> Shape {
    match m {
        TeamMetric::Headcount
        | TeamMetric::Employees
        | TeamMetric::Probation
        | TeamMetric::PartTime
        | TeamMetric::NewAccounts
        | TeamMetric::ValidAccounts => Shape::Count,
        TeamMetric::NetInflow
        | TeamMetric::MonthEndAssets
        | TeamMetric::NetCommission
        | TeamMetric::NetRevenue
        | TeamMetric::TotalPay
        | TeamMetric::RevenuePerHead => Shape::Money,
        TeamMetric::PayRatio => Shape::Ratio,
    }
}

/// A month's figure of an aggregate, as the monthly report shows it.
fn month_value(a: &Aggregate, m: TeamMetric) -> Option<Decimal> {
    match m {
        TeamMetric::Headcount => Some(a.headcount.into()),
        TeamMetric::Employees => Some(a.employees.into()),
        TeamMetric::Probation => Some(a.probation.into()),
        TeamMetric::PartTime => Some(a.part_time.into()),
        TeamMetric::NewAccounts => Some(a.new_accounts.into()),
        TeamMetric::ValidAccounts => Some(a.valid_accounts.into()),
        TeamMetric::NetInflow => Some(a.net_inflow),
        TeamMetric::MonthEndAssets => Some(a.month_end_assets),
        TeamMetric::NetCommission => Some(a.net_commission),
        TeamMetric::NetRevenue => Some(a.net_revenue),
        TeamMetric::TotalPay => Some(a.total_pay),
        TeamMetric::PayRatio => a.pay_ratio(),
        TeamMetric::RevenuePerHead => a.revenue_per_head(),
    }
}

/// Write a figure (or "not available").
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<Decimal>,
    shape: Shape,
    st: &Styles,
    na: &str,
) -> Result<(), XlsxError> {
    match (v, shape) {
        (Some(v), Shape::Count) => ws.write_number_with_format(row, col, to_cell(v), &st.count)?,
        (Some(v), Shape::Money) => ws.write_number_with_format(row, col, to_cell(v), &st.money)?,
        (Some(v), Shape::Ratio) => ws.write_number_with_format(row, col, to_cell(v), &st.ratio)?,
        (None, _) => ws.write_string_with_format(row, col, na, &st.text_right)?,
    };
    Ok(())
}

/// The change against a year earlier: relative for amounts and counts, in percentage points for
/// the ratio (SPEC §5 item 4); `None` when not defined.
fn change(now: Option<Decimal>, before: Option<Decimal>, shape: Shape) -> Option<Decimal> {
    let (c, b) = (now?, before?);
    match shape {
        Shape::Ratio => Some((c - b) * Decimal::ONE_HUNDRED),
        _ if b.is_zero() => None,
        _ => Some((c - b) / b.abs()),
    }
}

fn name_of(key: &[String], l: &AnalysisLabels, no_group: &str) -> String {
    match key {
        [] => l.branch.to_string(),
        [team, group] => format!("{team} / {}", if group.is_empty() { no_group } else { group }),
        [k, ..] if k.is_empty() => no_group.to_string(),
        [k, ..] => k.clone(),
    }
}

/// The period in words: `2026年上半年`.
fn period_words(a: &PeriodAnalysis, l: &AnalysisLabels) -> String {
    let p = a.current.period;
    let t = match p.kind {
        PeriodKind::FirstHalf => l.period.first_half,
        PeriodKind::SecondHalf => l.period.second_half,
        PeriodKind::Year => l.period.whole_year,
    };
    fill(t, &[("year", &p.year.to_string())])
}

fn months_text(v: &[YearMonth]) -> String {
    v.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", ")
}

/// The width (display columns) of a figures sheet's four columns, less a little: the lines under
/// its title wrap within it.
const HEADING_WIDTH: usize = 64;

/// The lines under a sheet's title: the period's months, those without inputs, the same period a
/// year earlier, how the figures are made — each across the `cols` columns, wrapped. Gives the
/// next free row.
fn heading(
    ws: &mut Worksheet,
    a: &PeriodAnalysis,
    l: &AnalysisLabels,
    st: &Styles,
    cols: u16,
) -> Result<u32, XlsxError> {
    let pl = &l.period;
    let last = cols.max(1) - 1;
    let title = if a.current.period.kind == PeriodKind::Year { pl.year_title } else { pl.half_year_title };
    // The organization is in the page header.
    ws.merge_range(0, 0, 0, last, &format!("{title} {}", period_words(a, l)), &st.title)?;
    let span = |p: crate::analysis::period::Period, t: &str| {
        let months = p.months();
        fill(t, &[("from", &months[0].to_string()), ("to", &months[months.len() - 1].to_string())])
    };
    let months_of = |side: &PeriodSide| {
        let mut s = format!("{}{}{}", pl.with_inputs, l.colon, months_text(&side.with_inputs));
        if !side.missing.is_empty() {
            s.push_str(&format!("{}{}{}{}", l.then, l.missing_months, l.colon, months_text(&side.missing)));
        }
        s
    };
    let earlier = a.current.period.a_year_earlier();
    let lines = [
        format!("{}{}{}", span(a.current.period, pl.this_period_line), l.then, months_of(&a.current)),
        match &a.last_year {
            None => format!("{}{}{}", span(earlier, pl.last_year_line), l.then, pl.last_year_none),
            Some(y) => format!("{}{}{}", span(earlier, pl.last_year_line), l.then, months_of(y)),
        },
        pl.how.to_string(),
    ];
    let wrap = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    for (i, line) in lines.iter().enumerate() {
        let row = 1 + i as u32;
        ws.merge_range(row, 0, row, last, line, &wrap)?;
        let n = text_width(line).div_ceil(HEADING_WIDTH).max(1);
        ws.set_row_height(row, 15.0 * n as f64)?;
    }
    Ok(5)
}

/// One block per team, group or outlet: its name, then each figure this period, a year earlier
/// and the change. Gives the row after the last block.
#[allow(clippy::too_many_arguments)]
fn blocks(
    ws: &mut Worksheet,
    mut row: u32,
    current: &[PeriodAggregate],
    last_year: Option<&[PeriodAggregate]>,
    l: &AnalysisLabels,
    st: &Styles,
    points: &Format,
    no_group: &str,
    widths: &mut Widths,
) -> Result<u32, XlsxError> {
    let na = l.not_available;
    let mut breaks = Vec::new();
    for (i, cur) in current.iter().enumerate() {
        // Three blocks a portrait page (two on the first, under the heading), none cut in two.
        if (i + 1) % 3 == 0 {
            breaks.push(row);
        }
        ws.write_string_with_format(row, 0, name_of(&cur.key, l, no_group), &st.bold)?;
        row += 1;
        for (c, h) in l.period.comparison.header().iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &st.header)?;
            widths.see(c, h);
        }
        row += 1;
        let before = last_year.map(|v| v.iter().find(|a| a.key == cur.key));
        for (k, name) in l.metrics.iter() {
            let sh = shape(k);
            ws.write_string_with_format(row, 0, *name, &st.text)?;
            widths.see(0, name);
            let now = cur.value(k);
            write_value(ws, row, 1, now, sh, st, na)?;
            let then = match before {
                // No month of the same period last year has inputs.
                None => None,
                // The key had nobody then: its flows were 0 (its stocks too, where the last month had inputs).
                Some(None) => last_year.and_then(|v| v.first()).and_then(|any| {
                    let empty = PeriodAggregate {
                        key: cur.key.clone(),
                        flows: Aggregate::default(),
                        stocks: any.stocks.as_ref().map(|_| Aggregate::default()),
                        average_headcount: None,
                    };
                    empty.value(k)
                }),
                Some(Some(b)) => b.value(k),
            };
            write_value(ws, row, 2, then, sh, st, na)?;
            match (change(now, then, sh), sh) {
                (Some(v), Shape::Ratio) => ws.write_number_with_format(row, 3, to_cell(v), points)?,
                (Some(v), _) => ws.write_number_with_format(row, 3, to_cell(v), &st.ratio)?,
                (None, _) => ws.write_string_with_format(row, 3, na, &st.text_right)?,
            };
            for col in 1..4 {
                widths.see(col, "9,999,999,999.99");
            }
            row += 1;
        }
        row += 1;
    }
    ws.set_page_breaks(&breaks)?;
    Ok(row)
}

/// A sheet of figures: its name, the period's aggregates and those a year earlier.
type Side<'a> = (&'a str, &'a [PeriodAggregate], Option<&'a [PeriodAggregate]>);

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write(path: &Path, cfg: &Config, a: &PeriodAnalysis, l: &AnalysisLabels) -> Result<(), XlsxError> {
    let st = Styles::new();
    let points = st.ratio.clone().set_num_format(l.points_format);
    let mut wb = Workbook::new();
    let org = &cfg.organization.name;
    let months = a.current.period.months();
    let last = months[months.len() - 1];
    let pl = &l.period;
    let title = if a.current.period.kind == PeriodKind::Year { pl.year_title } else { pl.half_year_title };
    wb.set_properties(&properties(last, title, org)?);
    let labels = super::labels::labels(cfg.report.locale);
    let footer = labels.page_footer;
    let page_header = format!("&L{}&R{}", header_text(org), a.current.period.code());
    let sheets = &pl.sheets;

    // --- Teams, groups and outlets against the same period a year earlier.
    let last_year = a.last_year.as_ref();
    let sides: [Side<'_>; 3] = [
        (sheets.teams, &a.current.teams, last_year.map(|y| y.teams.as_slice())),
        (sheets.groups, &a.current.groups, last_year.map(|y| y.groups.as_slice())),
        (sheets.outlets, &a.current.outlets, last_year.map(|y| y.outlets.as_slice())),
    ];
    for (sheet, current, before) in sides {
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        let row = heading(ws, a, l, &st, 4)?;
        let mut widths = Widths::new(4, 30);
        blocks(ws, row, current, before, l, &st, &points, labels.no_group, &mut widths)?;
        widths.apply(ws)?;
        print_setup(ws, &page_header, footer, None)?;
        // Four columns: A4 portrait.
        ws.set_portrait();
    }

    // --- Accounts by type over the period, and the recoveries.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.account_types)?;
    let heads = [l.team, l.account_type, l.metrics.new_accounts, l.metrics.valid_accounts];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    let (mut new, mut valid) = (0u32, 0u32);
    let mut r = 1u32;
    for (team, ty, n, v) in &a.accounts_by_type {
        ws.write_string_with_format(r, 0, team, &st.text)?;
        ws.write_string_with_format(r, 1, ty, &st.text)?;
        ws.write_number_with_format(r, 2, f64::from(*n), &st.count)?;
        ws.write_number_with_format(r, 3, f64::from(*v), &st.count)?;
        new += n;
        valid += v;
        r += 1;
    }
    ws.write_string_with_format(r, 0, l.branch, &st.total_text)?;
    ws.write_string_with_format(r, 1, "", &st.total_text)?;
    ws.write_number_with_format(r, 2, f64::from(new), &st.total_count)?;
    ws.write_number_with_format(r, 3, f64::from(valid), &st.total_count)?;
    if !a.clawback.is_empty() {
        super::team::clawback_block(ws, r + 2, &a.clawback, l, &st)?;
    }
    for (c, w) in [16.0, 14.0, 14.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- Plan vs actual over the period.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.plan)?;
    for (c, h) in l.plan_columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    super::team::plan_rows(ws, &a.plan, l, &st)?;
    for (c, w) in [16.0, 14.0, 18.0, 18.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- Every personnel change of the period, month by month.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.personnel)?;
    for (c, h) in pl.change_columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    let mut r = 1u32;
    for (month, changes) in &a.changes {
        let m = month.to_string();
        match changes {
            None => {
                ws.write_string_with_format(r, 0, &m, &st.text)?;
                ws.merge_range(r, 1, r, 5, &fill(pl.no_previous, &[("month", &m)]), &st.text)?;
                r += 1;
            }
            Some(changes) => {
                for ch in changes {
                    let (kind, detail) = super::team::change_words(ch, *month, l);
                    for (c, s) in [m.as_str(), kind, &ch.manager_id, &ch.name, &ch.team, &detail].iter().enumerate() {
                        ws.write_string_with_format(r, c as u16, *s, &st.text)?;
                    }
                    r += 1;
                }
            }
        }
    }
    for (c, w) in [10.0, 10.0, 10.0, 10.0, 14.0, 50.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- The managers ranked over the period, with the totals.
    let ws = wb.add_worksheet();
    ws.set_name(sheets.ranking)?;
    let mut widths = Widths::new(12, 30);
    for (c, h) in pl.ranking_columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
        widths.see(c, h);
    }
    let mut sums = (Decimal::ZERO, Decimal::ZERO, 0u32, Decimal::ZERO, Decimal::ZERO);
    for (i, m) in a.ranking.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.count)?;
        super::review::write_identity(ws, r, 1, &m.manager, l, &st, &mut widths)?;
        ws.write_number_with_format(r, 6, f64::from(m.months), &st.count)?;
        ws.write_number_with_format(r, 7, to_cell(m.net_revenue), &st.money)?;
        ws.write_number_with_format(r, 8, to_cell(m.net_commission), &st.money)?;
        ws.write_number_with_format(r, 9, f64::from(m.valid_accounts), &st.count)?;
        ws.write_number_with_format(r, 10, to_cell(m.net_inflow), &st.money)?;
        ws.write_number_with_format(r, 11, to_cell(m.total), &st.money)?;
        sums.0 += m.net_revenue;
        sums.1 += m.net_commission;
        sums.2 += m.valid_accounts;
        sums.3 += m.net_inflow;
        sums.4 += m.total;
        for c in 7..12 {
            widths.see(c, "9,999,999,999.99");
        }
    }
    let r = a.ranking.len() as u32 + 1;
    ws.write_string_with_format(r, 0, labels.grand_total, &st.total_text)?;
    for c in 1..7 {
        ws.write_string_with_format(r, c, "", &st.total_text)?;
    }
    ws.write_number_with_format(r, 7, to_cell(sums.0), &st.total_money)?;
    ws.write_number_with_format(r, 8, to_cell(sums.1), &st.total_money)?;
    ws.write_number_with_format(r, 9, f64::from(sums.2), &st.total_count)?;
    ws.write_number_with_format(r, 10, to_cell(sums.3), &st.total_money)?;
    ws.write_number_with_format(r, 11, to_cell(sums.4), &st.total_money)?;
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 3)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    months_sheet(&mut wb, a, l, &st, labels.no_group, &page_header, footer)?;
    crate::output::save_workbook(&mut wb, path)
}

/// The period's months side by side — per team and the branch, each figure month by month and
/// over the period — then the net revenue of each team by month and its line chart.
fn months_sheet(
    wb: &mut Workbook,
    a: &PeriodAnalysis,
    l: &AnalysisLabels,
    st: &Styles,
    no_group: &str,
    page_header: &str,
    footer: &str,
) -> Result<(), XlsxError> {
    let pl = &l.period;
    let sheet = pl.sheets.months;
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let n = a.by_month.len() as u16;
    let mut widths = Widths::new(n as usize + 2, 30);
    let na = l.not_available;
    // On the first page: each team's net revenue by month (a month without inputs is a gap) and
    // its line chart beside it.
    let teams: Vec<&PeriodAggregate> = a.current.teams.iter().filter(|x| !x.key.is_empty()).collect();
    ws.write_string_with_format(0, 0, l.month, &st.header)?;
    for (c, t) in teams.iter().enumerate() {
        ws.write_string_with_format(0, c as u16 + 1, &t.key[0], &st.header)?;
    }
    for (i, (m, aggs)) in a.by_month.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string_with_format(r, 0, m.to_string(), &st.text)?;
        for (c, t) in teams.iter().enumerate() {
            let v = aggs.as_ref().map(|v| v.iter().find(|x| x.key == t.key).map(|x| x.net_revenue).unwrap_or_default());
            match v {
                Some(v) => ws.write_number_with_format(r, c as u16 + 1, to_cell(v), &st.money)?,
                None => ws.write_blank(r, c as u16 + 1, &st.money)?,
            };
        }
    }
    if !teams.is_empty() && n > 0 {
        let last = n as u32;
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(pl.chart_trend);
        for c in 1..=teams.len() as u16 {
            chart
                .add_series()
                .set_name((sheet, 0, c))
                .set_categories((sheet, 1, 0, last, 0))
                .set_values((sheet, 1, c, last, c));
        }
        chart.y_axis().set_num_format("#,##0");
        chart.set_width(560).set_height(300);
        ws.insert_chart(0, teams.len() as u16 + 2, &chart)?;
    }
    // Then, from the next page, per team and the branch each figure month by month and over the
    // period.
    let first = (n as u32 + 2).max(17);
    let mut breaks = vec![first];
    let mut row = first;
    for (i, cur) in a.current.teams.iter().enumerate() {
        // Two blocks a landscape page, never one cut in two.
        if i > 0 && i % 2 == 0 {
            breaks.push(row);
        }
        ws.write_string_with_format(row, 0, name_of(&cur.key, l, no_group), &st.bold)?;
        row += 1;
        ws.write_string_with_format(row, 0, pl.comparison.figure, &st.header)?;
        for (i, (m, _)) in a.by_month.iter().enumerate() {
            ws.write_string_with_format(row, i as u16 + 1, m.to_string(), &st.header)?;
        }
        ws.write_string_with_format(row, n + 1, pl.period_column, &st.header)?;
        row += 1;
        for (k, name) in l.metrics.iter() {
            let sh = shape(k);
            ws.write_string_with_format(row, 0, *name, &st.text)?;
            widths.see(0, name);
            for (i, (_, aggs)) in a.by_month.iter().enumerate() {
                let col = i as u16 + 1;
                match aggs {
                    None => {
                        ws.write_string_with_format(row, col, na, &st.text_right)?;
                    }
                    Some(v) => {
                        let zero = Aggregate { key: cur.key.clone(), ..Default::default() };
                        let x = v.iter().find(|x| x.key == cur.key).unwrap_or(&zero);
                        write_value(ws, row, col, month_value(x, k), sh, st, na)?;
                    }
                }
                widths.see(col as usize, "999,999,999.99");
            }
            write_value(ws, row, n + 1, cur.value(k), sh, st, na)?;
            widths.see(n as usize + 1, "9,999,999,999.99");
            row += 1;
        }
        row += 1;
    }
    ws.set_page_breaks(&breaks)?;
    widths.apply(ws)?;
    ws.set_freeze_panes(0, 1)?;
    print_setup(ws, page_header, footer, None)?;
    Ok(())
}
