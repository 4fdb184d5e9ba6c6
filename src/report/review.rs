//! 季度考核_YYYYQn.xlsx and 年度考评_YYYY.xlsx (SPEC §5 item 5): the bars, each manager's
//! figures against them, and the proposal or grade.

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::labels::AnalysisLabels;
use super::style::{header_text, print_setup, properties, Styles, Widths};
use super::words::fill;
use crate::analysis::review::{AnnualReview, AnnualRow, Note, Proposal, QuarterReview, QuarterRow};
use crate::analysis::ManagerFigures;
use crate::config::standard::Bars;
use crate::config::Config;
use crate::model::{Component, Metric};
use crate::money::{display, exact, to_cell};

/// A level's bars in words: "净收入 120,000.00，有效户 15".
fn bars(b: &Option<Bars>, l: &AnalysisLabels) -> String {
    match b {
        None => "—".into(),
        Some(b) => {
            let mut v = Vec::new();
            if let Some(n) = b.net_revenue {
                v.push(format!("{} {}", l.metrics.net_revenue, display(n)));
            }
            if let Some(a) = b.valid_accounts {
                v.push(format!("{} {a}", l.metrics.valid_accounts));
            }
            v.join(l.then)
        }
    }
}

/// A level by its label, with its code.
pub(super) fn level_text(l: &AnalysisLabels, label: &str, code: &str) -> String {
    fill(l.level_with_code, &[("label", label), ("code", code)])
}

/// One bar of a level against the quarter's figures.
struct BarCheck {
    metric: &'static str,
    value: String,
    bar: String,
    met: bool,
}

/// Each bar of `b` against the quarter's figures.
fn bar_checks(b: &Bars, r: &QuarterRow, l: &AnalysisLabels) -> Vec<BarCheck> {
    let mut v = Vec::new();
    if let Some(n) = b.net_revenue {
        v.push(BarCheck {
            metric: l.metrics.net_revenue,
            value: display(r.net_revenue),
            bar: display(n),
            met: r.net_revenue >= n,
        });
    }
    if let Some(a) = b.valid_accounts {
        v.push(BarCheck {
            metric: l.metrics.valid_accounts,
            value: r.valid_accounts.to_string(),
            bar: a.to_string(),
            met: r.valid_accounts >= a,
        });
    }
    v
}

/// A proposal in words, with its target level: `晋级至 高级客户经理（L2）`.
pub fn proposal_text(p: &Proposal, l: &AnalysisLabels) -> String {
    let to = |p: &str, code: &str, label: &str| {
        fill(l.proposal_to, &[("proposal", p), ("level", &level_text(l, label, code))])
    };
    match p {
        Proposal::Promote { code, label } => to(l.proposals.promote, code, label),
        Proposal::Demote { code, label } => to(l.proposals.demote, code, label),
        Proposal::Flagged => l.proposals.flagged.to_string(),
        Proposal::Keep => l.proposals.keep.to_string(),
        Proposal::Incomplete => l.proposals.incomplete.to_string(),
    }
}

/// The reason of a proposal, in words.
pub fn proposal_reason(r: &QuarterRow, q: &QuarterReview, l: &AnalysisLabels) -> String {
    let says = |t: &str, c: &BarCheck| fill(t, &[("metric", c.metric), ("value", &c.value), ("bar", &c.bar)]);
    let mut why: Vec<String> = Vec::new();
    match &r.proposal {
        Proposal::Incomplete => {
            let months: Vec<String> = q.missing.iter().map(|m| m.to_string()).collect();
            why.push(fill(l.why_incomplete, &[("months", &months.join(", "))]));
        }
        Proposal::Demote { .. } | Proposal::Flagged => {
            if let Some(b) = &r.demote_if_below {
                for c in bar_checks(b, r, l).iter().filter(|c| !c.met) {
                    why.push(says(l.why_below, c));
                }
            }
            if r.proposal == Proposal::Flagged {
                why.push(l.why_lowest.to_string());
            }
        }
        Proposal::Promote { .. } | Proposal::Keep => match &r.promote_if {
            None => why.push(l.why_no_bars.to_string()),
            Some(b) => {
                let checks = bar_checks(b, r, l);
                let all_met = checks.iter().all(|c| c.met);
                for c in checks.iter().filter(|c| all_met || !c.met) {
                    why.push(says(if c.met { l.why_met } else { l.why_not_met }, c));
                }
                if all_met {
                    if let (Some(score), Some(min)) = (r.duty_score, q.min_duty_score) {
                        let t = if score < min { l.why_score_low } else { l.why_score_ok };
                        why.push(fill(t, &[("score", &exact(score)), ("min", &exact(min))]));
                    }
                    for n in &r.notes {
                        match n {
                            Note::DutyScoreBelow { .. } => {}
                            Note::NotHeldAllQuarter => why.push(l.why_not_held.to_string()),
                            Note::HighestLevel => why.push(l.why_highest.to_string()),
                        }
                    }
                    if r.held_level && matches!(r.proposal, Proposal::Promote { .. }) {
                        why.push(l.why_held.to_string());
                    }
                } else if r.demote_if_below.is_some() {
                    why.push(l.why_within.to_string());
                }
            }
        },
    }
    why.join(l.then)
}

/// A manager's ID, name, team, group and level (label with code) in five cells from `col`.
pub(super) fn write_identity(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    m: &ManagerFigures,
    l: &AnalysisLabels,
    st: &Styles,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    let g = m.person.group.clone().unwrap_or_default();
    let level = level_text(l, &m.level_label, &m.level);
    for (c, s) in [&m.person.manager_id, &m.person.name, &m.person.team, &g, &level].iter().enumerate() {
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
        line.push_str("  ·  ");
        line.push_str(&fill(l.min_duty_score, &[("score", &exact(s))]));
    }
    ws.write_string(1, 0, line)?;
    if !q.missing.is_empty() {
        let m: Vec<String> = q.missing.iter().map(|m| m.to_string()).collect();
        ws.write_string(2, 0, format!("{}{}{}", l.missing_months, l.colon, m.join(", ")))?;
    }
    let mut widths = Widths::new(ncol as usize, 40);
    for (c, h) in l.quarter_columns.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &st.header)?;
        widths.see(c, h);
    }
    for (i, r) in q.rows.iter().enumerate() {
        let row = 4 + i as u32;
        write_identity(ws, row, 0, &r.manager, l, &st, &mut widths)?;
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
        let proposal = proposal_text(&r.proposal, l);
        ws.write_string_with_format(row, 12, &proposal, &st.text)?;
        widths.see(12, &proposal);
        let reason = proposal_reason(r, q, l);
        ws.write_string_with_format(row, 13, &reason, &st.text)?;
        widths.see(13, &reason);
    }
    finish(ws, cfg, &widths, 2)?;
    crate::output::save_workbook(&mut wb, path)
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
    let grades: Vec<String> = cfg
        .review
        .annual_grades
        .iter()
        .map(|g| fill(l.grade_band, &[("grade", &g.grade), ("percent", &exact(g.top_percent))]))
        .collect();
    ws.write_string(1, 0, grades.join("  ·  "))?;
    if !a.missing.is_empty() {
        let m: Vec<String> = a.missing.iter().map(|m| m.to_string()).collect();
        ws.write_string(2, 0, format!("{}{}{}", l.missing_months, l.colon, m.join(", ")))?;
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
        write_identity(ws, row, 1, &r.manager, l, &st, &mut widths)?;
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
    crate::output::save_workbook(&mut wb, path)
}
