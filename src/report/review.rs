//! 季度考核_YYYYQn.xlsx and 年度考评_YYYY.xlsx (SPEC §5 item 5): the bars, each manager's
//! figures against them, and the proposal or grade.

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::labels::AnalysisLabels;
use super::style::{header_text, print_setup, properties, Styles, Widths};
use crate::analysis::review::{AnnualReview, AnnualRow, Proposal, QuarterReview};
use crate::analysis::ManagerFigures;
use crate::config::standard::Bars;
use crate::config::Config;
use crate::model::{Component, Metric};
use crate::money::{exact, to_cell};

/// A level's bars in words: "净收入 120000, 有效户 15".
fn bars(b: &Option<Bars>, l: &AnalysisLabels) -> String {
    match b {
        None => "—".into(),
        Some(b) => {
            let mut v = Vec::new();
            if let Some(n) = b.net_revenue {
                v.push(format!("{} {}", l.metrics[9], exact(n)));
            }
            if let Some(a) = b.valid_accounts {
                v.push(format!("{} {a}", l.metrics[5]));
            }
            v.join(", ")
        }
    }
}

/// A manager's ID, name, team, group and level in five cells from `col`.
pub(super) fn write_identity(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    m: &ManagerFigures,
    st: &Styles,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    let g = m.person.group.clone().unwrap_or_default();
    for (c, s) in [&m.person.manager_id, &m.person.name, &m.person.team, &g, &m.level_label].iter().enumerate() {
        ws.write_string_with_format(row, col + c as u16, *s, &st.text)?;
        widths.see(col as usize + c, s);
    }
    Ok(())
}

/// Widths, frozen panes and print setup of a review sheet, whose header is on row 3.
fn finish(ws: &mut Worksheet, cfg: &Config, widths: &Widths, freeze_cols: u16) -> Result<(), XlsxError> {
    widths.apply(ws)?;
    ws.set_freeze_panes(4, freeze_cols)?;
    let footer = super::labels::labels(cfg.report.locale).page_footer;
    print_setup(ws, &format!("&L{}", header_text(&cfg.organization.name)), footer, Some((3, 3))).map(|_| ())
}

/// Write the quarterly review.
///
/// # Errors
/// Any error of the writer.
pub fn write_quarter(path: &Path, cfg: &Config, q: &QuarterReview, l: &AnalysisLabels) -> Result<(), XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let org = &cfg.organization.name;
    wb.set_properties(&properties(q.months[2], l.quarterly_title, org)?);
    let ws = wb.add_worksheet();
    ws.set_name(format!("{}Q{}", q.year, q.quarter))?;
    let ncol = l.quarter_columns.len() as u16;
    ws.merge_range(0, 0, 0, ncol - 1, &format!("{org} {} {}Q{}", l.quarterly_title, q.year, q.quarter), &st.title)?;
    let months: Vec<String> = q.months.iter().map(|m| m.to_string()).collect();
    let mut line = format!("{}  ·  {}", months.join(" / "), q.standard);
    if let Some(s) = q.min_duty_score {
        line.push_str(&format!("  ·  min duty score {s}"));
    }
    ws.write_string(1, 0, line)?;
    if !q.missing.is_empty() {
        let m: Vec<String> = q.missing.iter().map(|m| m.to_string()).collect();
        ws.write_string(2, 0, format!("{}：{}", l.missing_months, m.join(", ")))?;
    }
    let mut widths = Widths::new(ncol as usize, 40);
    for (c, h) in l.quarter_columns.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &st.header)?;
        widths.see(c, h);
    }
    for (i, r) in q.rows.iter().enumerate() {
        let row = 4 + i as u32;
        write_identity(ws, row, 0, &r.manager, &st, &mut widths)?;
        ws.write_number_with_format(row, 5, f64::from(r.months_active), &st.count)?;
        ws.write_number_with_format(row, 6, to_cell(r.net_revenue), &st.money)?;
        widths.see_money(6, to_cell(r.net_revenue));
        ws.write_number_with_format(row, 7, f64::from(r.valid_accounts), &st.count)?;
        let (p, d) = (bars(&r.promote_if, l), bars(&r.demote_if_below, l));
        ws.write_string_with_format(row, 8, &p, &st.text)?;
        ws.write_string_with_format(row, 9, &d, &st.text)?;
        widths.see(8, &p);
        widths.see(9, &d);
        match r.duty_score {
            Some(s) => ws.write_number_with_format(row, 10, to_cell(s), &st.count)?,
            None => ws.write_string_with_format(row, 10, "—", &st.text)?,
        };
        ws.write_string_with_format(row, 11, if r.held_level { l.yes } else { l.no }, &st.text)?;
        let proposal = match &r.proposal {
            Proposal::Promote(to) => format!("{} {to}", l.proposals[0]),
            Proposal::Demote(to) => format!("{} {to}", l.proposals[1]),
            Proposal::Flagged => l.proposals[2].to_string(),
            Proposal::Keep => l.proposals[3].to_string(),
            Proposal::Incomplete => l.proposals[4].to_string(),
        };
        ws.write_string_with_format(row, 12, &proposal, &st.text)?;
        widths.see(12, &proposal);
        let notes = r.notes.join("; ");
        ws.write_string_with_format(row, 13, &notes, &st.text)?;
        widths.see(13, &notes);
    }
    finish(ws, cfg, &widths, 2)?;
    wb.save(path)
}

/// Write the annual review.
///
/// # Errors
/// Any error of the writer.
pub fn write_annual(
    path: &Path,
    cfg: &Config,
    a: &AnnualReview,
    l: &AnalysisLabels,
    december: crate::calendar::YearMonth,
) -> Result<(), XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let org = &cfg.organization.name;
    wb.set_properties(&properties(december, l.annual_title, org)?);
    let ws = wb.add_worksheet();
    ws.set_name(a.year.to_string())?;
    let columns = super::labels::labels(cfg.report.locale);
    let mut header: Vec<&str> = l.annual_lead.to_vec();
    header.extend(
        [
            Metric::NetCommission,
            Metric::OtherRevenue,
            Metric::NetRevenue,
            Metric::NetInflow,
            Metric::NewAccounts,
            Metric::ValidAccounts,
        ]
        .iter()
        .map(|m| columns.columns.metric(*m)),
    );
    header.extend(Component::ALL.iter().map(|c| columns.columns.component(*c)));
    header.push(columns.columns.total);
    header.push(l.annual_grade);
    let ncol = header.len() as u16;
    ws.merge_range(0, 0, 0, ncol - 1, &format!("{org} {} {}", l.annual_title, a.year), &st.title)?;
    let grades: Vec<String> =
        cfg.review.annual_grades.iter().map(|g| format!("{} ≤ {}%", g.grade, g.top_percent)).collect();
    ws.write_string(1, 0, grades.join("  ·  "))?;
    if !a.missing.is_empty() {
        let m: Vec<String> = a.missing.iter().map(|m| m.to_string()).collect();
        ws.write_string(2, 0, format!("{}：{}", l.missing_months, m.join(", ")))?;
    }
    let mut widths = Widths::new(ncol as usize, 30);
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &st.header)?;
        widths.see(c, h);
    }
    // The year's figures: the metrics, then every component, then the total.
    let figures = |r: &AnnualRow| -> Vec<(Decimal, bool)> {
        let mut f = vec![
            (r.net_commission, false),
            (r.other_revenue, false),
            (r.net_revenue, false),
            (r.net_inflow, false),
            (Decimal::from(r.new_accounts), true),
            (Decimal::from(r.valid_accounts), true),
        ];
        f.extend(Component::ALL.iter().map(|c| (r.components.get(*c), false)));
        f.push((r.total, false));
        f
    };
    let mut totals: Vec<(Decimal, bool)> = Vec::new();
    for (i, r) in a.rows.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_number_with_format(row, 0, r.rank as f64, &st.count)?;
        write_identity(ws, row, 1, &r.manager, &st, &mut widths)?;
        ws.write_number_with_format(row, 6, f64::from(r.months), &st.count)?;
        let f = figures(r);
        totals.resize(f.len(), (Decimal::ZERO, false));
        for (k, (v, count)) in f.iter().enumerate() {
            let fmt = if *count { &st.count } else { &st.money };
            ws.write_number_with_format(row, 7 + k as u16, to_cell(*v), fmt)?;
            widths.see_money(7 + k, to_cell(*v));
            totals[k] = (totals[k].0 + v, *count);
        }
        ws.write_string_with_format(row, 7 + f.len() as u16, &r.grade, &st.text)?;
    }
    let row = 4 + a.rows.len() as u32;
    ws.write_string_with_format(row, 0, super::labels::labels(cfg.report.locale).grand_total, &st.total_text)?;
    for (k, (v, count)) in totals.iter().enumerate() {
        let fmt = if *count { &st.total_count } else { &st.total_money };
        ws.write_number_with_format(row, 7 + k as u16, to_cell(*v), fmt)?;
    }
    finish(ws, cfg, &widths, 3)?;
    wb.save(path)
}
