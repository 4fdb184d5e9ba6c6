//! 档案/客户经理档案_<manager_id>_<from>_<to>.xlsx (SPEC §5 item 9; guideline articles 20–21): one
//! client manager's electronic file over a range of months.
//!
//! Takes a [`ManagerFile`]; writes its sheets: 基本情况 (identity from the latest roster, every
//! change of team, group, level and employment), 月度明细 (one row per month: level, the metrics,
//! every component and the total as that month's payroll, the slip's and statement's serials, a
//! month without inputs or without the manager said so; the range's totals), 考核记录 (the
//! quarterly proposals with their reasons, the annual grades), 调整与回收 (every adjustment with
//! its category and reason, every recovery, every prior-period line, each with its total),
//! 数据异常 (the exceptions and warnings naming the manager) and 走势 (net revenue and pay by month,
//! charted). Every sheet prints on A4: the identity portrait, the tables landscape one page wide.

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::labels::{analysis_labels, dossier_labels, labels, AnalysisLabels, DossierLabels, Labels};
use super::reasons::reason_text;
use super::review::{level_text, proposal_reason, proposal_text};
use super::style::{header_text, print_setup, properties, text_width, Styles, Widths};
use super::words::fill;
use crate::analysis::dossier::{Changed, ManagerFile, MonthState};
use crate::analysis::ManagerFigures;
use crate::config::{Config, Locale};
use crate::model::{Component, Employment, Metric};
use crate::money::to_cell;

/// A manager id as a file name may hold it: characters a file system refuses (or that would make
/// a path) become `_`.
pub fn file_safe(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        s.replace('.', "_") + "_"
    } else {
        s
    }
}

/// The file's name: `客户经理档案_<id>_<from>_<to>.xlsx`.
pub fn file_name(locale: Locale, f: &ManagerFile<'_>) -> String {
    format!("{}_{}_{}_{}.xlsx", dossier_labels(locale).file, file_safe(&f.manager_id), f.from, f.to)
}

/// The folder of the files under the reports folder (`档案`).
pub fn folder(locale: Locale) -> &'static str {
    dossier_labels(locale).folder
}

/// A metric of a month's row.
fn metric(m: &ManagerFigures, k: Metric) -> Decimal {
    match k {
        Metric::NetCommission => m.metrics.net_commission,
        Metric::OtherRevenue => m.metrics.other_revenue,
        Metric::NetRevenue => m.metrics.net_revenue,
        Metric::NetInflow => m.metrics.net_inflow,
        Metric::MonthEndAssets => m.metrics.month_end_assets,
        Metric::NewAccounts => m.new_accounts.into(),
        Metric::ValidAccounts => m.valid_accounts.into(),
    }
}

/// What every sheet of a file is written with: the words of the locale, the formats, the title
/// and range lines, the page header.
struct Book {
    locale: Locale,
    l: &'static Labels,
    d: &'static DossierLabels,
    al: &'static AnalysisLabels,
    st: Styles,
    title: String,
    range: String,
    page_header: String,
}

/// Write the file to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write(path: &Path, cfg: &Config, f: &ManagerFile<'_>) -> Result<(), XlsxError> {
    let locale = cfg.report.locale;
    let d = dossier_labels(locale);
    let org = &cfg.organization.name;
    let who = format!("{} {}", f.manager_id, f.latest.person.name);
    let b = Book {
        locale,
        l: labels(locale),
        d,
        al: analysis_labels(locale),
        st: Styles::new(),
        title: format!("{org} {} — {who}", d.title),
        range: fill(d.range, &[("from", &f.from.to_string()), ("to", &f.to.to_string())]),
        page_header: format!("&L{}&R{}", header_text(org), header_text(&who)),
    };
    let mut wb = Workbook::new();
    wb.set_properties(&properties(f.to, d.title, org)?);
    identity(&mut wb, &b, f)?;
    months(&mut wb, &b, f)?;
    reviews(&mut wb, &b, f)?;
    lines(&mut wb, &b, f)?;
    issues(&mut wb, &b, f)?;
    chart(&mut wb, &b, f)?;
    crate::output::save_workbook(&mut wb, path)
}

/// The title and range lines of a sheet across `cols` columns; gives the next free row.
fn head(ws: &mut Worksheet, title: &str, range: &str, cols: u16, st: &Styles) -> Result<u32, XlsxError> {
    ws.merge_range(0, 0, 0, cols.max(2) - 1, title, &st.title)?;
    ws.write_string(1, 0, range)?;
    Ok(3)
}

/// A header row from `row`.
/// The width (display columns) at which a long text (a reason) wraps.
const WRAP_AT: usize = 56;

/// A long text in a cell of `width` columns, wrapped, its row as high as its lines.
fn wrapped(ws: &mut Worksheet, row: u32, col: u16, text: &str, width: usize, st: &Styles) -> Result<(), XlsxError> {
    let wrap = st.text.clone().set_text_wrap();
    ws.write_string_with_format(row, col, text, &wrap)?;
    let lines = text_width(text).div_ceil(width.max(1)).max(1);
    if lines > 1 {
        ws.set_row_height(row, 15.0 * lines as f64)?;
    }
    Ok(())
}

/// A header row from `row`: each header wraps onto two lines (half its width, the row twice as
/// high).
fn header(ws: &mut Worksheet, row: u32, cols: &[&str], st: &Styles, w: &mut Widths) -> Result<(), XlsxError> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &st.header)?;
        w.see_header(c, h);
    }
    ws.set_row_height(row, 30)?;
    Ok(())
}

fn employment(l: &Labels, e: Employment) -> &'static str {
    match e {
        Employment::Employee => l.employee,
        Employment::PartTime => l.part_time,
    }
}

/// 基本情况: who the manager is (the latest roster of the range that lists them) and every change.
fn identity(wb: &mut Workbook, b: &Book, f: &ManagerFile<'_>) -> Result<(), XlsxError> {
    let (l, d, st) = (b.l, b.d, &b.st);
    let (title, range, page_header) = (b.title.as_str(), b.range.as_str(), b.page_header.as_str());
    let al = b.al;
    let ws = wb.add_worksheet();
    ws.set_name(d.sheets.identity)?;
    let mut row = head(ws, title, range, 4, st)?;
    ws.write_string(row - 1, 0, fill(d.identity_from, &[("month", &f.latest_month.to_string())]))?;
    let p = &f.latest.person;
    let c = &l.columns;
    let date = |x: Option<crate::calendar::Date>| x.map(|x| x.to_string()).unwrap_or_else(|| d.none.to_string());
    let pairs: [(&str, String); 11] = [
        (c.manager_id, p.manager_id.clone()),
        (c.name, p.name.clone()),
        (c.team, p.team.clone()),
        (c.group, p.group.clone().unwrap_or_else(|| l.no_group.to_string())),
        (d.outlet, p.outlet.clone().unwrap_or_else(|| d.none.to_string())),
        (c.level, level_text(al, &f.latest.level_label, &f.latest.level)),
        (c.employment, employment(l, p.employment).to_string()),
        (l.hire_date, p.hire_date.to_string()),
        (d.regular_date, date(p.regular_date)),
        (d.leave_date, date(p.leave_date)),
        (d.leader, if p.leader { d.yes } else { d.no }.to_string()),
    ];
    row += 1;
    for (k, v) in &pairs {
        ws.write_string_with_format(row, 0, *k, &st.header)?;
        ws.merge_range(row, 1, row, 3, v, &st.text)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, d.changes_title, &st.bold)?;
    row += 1;
    let mut w = Widths::new(4, 40);
    header(ws, row, &d.change_columns, st, &mut w)?;
    row += 1;
    if f.changes.is_empty() {
        ws.merge_range(row, 0, row, 3, d.no_changes, &st.text)?;
    }
    for ch in &f.changes {
        let show = |m: &ManagerFigures| match ch.what {
            Changed::Team => m.person.team.clone(),
            Changed::Group => m.person.group.clone().unwrap_or_else(|| l.no_group.to_string()),
            Changed::Level => level_text(al, &m.level_label, &m.level),
            Changed::Employment => employment(l, m.person.employment).to_string(),
        };
        let what = d.changed[match ch.what {
            Changed::Team => 0,
            Changed::Group => 1,
            Changed::Level => 2,
            Changed::Employment => 3,
        }];
        let cells = [ch.month.to_string(), what.to_string(), show(ch.before), show(ch.after)];
        for (c, s) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, s, &st.text)?;
            w.see(c, s);
        }
        row += 1;
    }
    for (c, width) in [14.0, 24.0, 24.0, 24.0].iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    print_setup(ws, page_header, l.page_footer, None)?;
    ws.set_portrait();
    Ok(())
}

/// A column of the month tables after the month, its status and the level.
#[derive(Clone, Copy, PartialEq)]
enum Col {
    Metric(Metric),
    Component(Component),
    Total,
    Slip,
    Statement,
    /// The exceptions and warnings naming the manager.
    Findings,
}

/// 月度业绩 and 月度薪酬: one row per month of the range (the figures, then the pay), then the
/// range's totals. Two sheets, so that each prints legibly one A4 page wide.
fn months(wb: &mut Workbook, b: &Book, f: &ManagerFile<'_>) -> Result<(), XlsxError> {
    let mut figures: Vec<Col> = Metric::ALL.iter().map(|m| Col::Metric(*m)).collect();
    figures.extend([Col::Slip, Col::Statement, Col::Findings]);
    month_table(wb, b, f, b.d.sheets.figures, &figures)?;
    let mut pay: Vec<Col> = Component::ALL.iter().map(|c| Col::Component(*c)).collect();
    pay.push(Col::Total);
    month_table(wb, b, f, b.d.sheets.pay, &pay)
}

/// One table of the months: month, status, level, then `cols`; the range's totals under it, each
/// the sum of the figures shown above it (a stock, month-end assets, has none).
fn month_table(wb: &mut Workbook, b: &Book, f: &ManagerFile<'_>, sheet: &str, cols: &[Col]) -> Result<(), XlsxError> {
    let (l, d, st, al) = (b.l, b.d, &b.st, b.al);
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let mut names: Vec<&str> = d.month_lead.to_vec();
    names.extend(cols.iter().map(|c| match c {
        Col::Metric(m) => l.columns.metric(*m),
        Col::Component(k) => l.columns.component(*k),
        Col::Total => l.columns.total,
        Col::Slip => d.month_tail[0],
        Col::Statement => d.month_tail[1],
        Col::Findings => d.month_tail[2],
    }));
    let row0 = head(ws, &b.title, &b.range, names.len() as u16, st)?;
    let mut w = Widths::new(names.len(), 30);
    header(ws, row0, &names, st, &mut w)?;
    if let Some(i) = cols.iter().position(|c| *c == Col::Findings) {
        // A column of small counts: as wide as its header, on one line.
        w.see(i + 3, d.month_tail[2]);
    }
    let first = 3u16;
    let mut row = row0 + 1;
    let mut sums = vec![Decimal::ZERO; cols.len()];
    for m in &f.months {
        ws.write_string_with_format(row, 0, m.month.to_string(), &st.text)?;
        w.see(0, "2026-10");
        let state = match m.state {
            MonthState::NoInputs => d.no_inputs,
            MonthState::NotActive => d.not_active,
            MonthState::Row(r) if r.active => d.active,
            MonthState::Row(_) => d.prior_only,
        };
        ws.write_string_with_format(row, 1, state, &st.text)?;
        w.see(1, state);
        let r = match m.state {
            MonthState::Row(r) => Some(r),
            _ => None,
        };
        let level = r.filter(|r| r.active).map(|r| level_text(al, &r.level_label, &r.level)).unwrap_or_default();
        ws.write_string_with_format(row, 2, &level, &st.text)?;
        w.see(2, &level);
        for (i, c) in cols.iter().enumerate() {
            let col = first + i as u16;
            let figure = |r: &ManagerFigures| match c {
                Col::Metric(k) => Some(metric(r, *k)),
                Col::Component(k) => Some(r.components.get(*k)),
                Col::Total => Some(r.total),
                _ => None,
            };
            match (c, r) {
                (Col::Slip, Some(r)) => {
                    let slip = r.slip_serial.clone().unwrap_or_default();
                    ws.write_string_with_format(row, col, &slip, &st.text)?;
                    w.see(col as usize, &slip);
                }
                (Col::Statement, Some(r)) => {
                    ws.write_string_with_format(row, col, &r.statement_serial, &st.text)?;
                    w.see(col as usize, &r.statement_serial);
                }
                (Col::Findings, _) if m.state != MonthState::NoInputs => {
                    let n = (m.exceptions.len() + m.warnings.len()) as f64;
                    ws.write_number_with_format(row, col, n, &st.count)?;
                }
                (_, Some(r)) if figure(r).is_some() => {
                    let v = figure(r).unwrap_or_default();
                    let count = matches!(c, Col::Metric(k) if k.is_count());
                    ws.write_number_with_format(row, col, to_cell(v), if count { &st.count } else { &st.money })?;
                    w.see_money(col as usize, to_cell(v));
                    sums[i] += v;
                }
                _ => {
                    ws.write_blank(row, col, &st.text)?;
                }
            }
        }
        row += 1;
    }
    for c in 0..first {
        ws.write_string_with_format(row, c, if c == 0 { d.totals } else { "" }, &st.total_text)?;
    }
    for (i, c) in cols.iter().enumerate() {
        let col = first + i as u16;
        match c {
            Col::Metric(Metric::MonthEndAssets) => ws.write_string_with_format(row, col, "—", &st.total_text)?,
            Col::Metric(k) if k.is_count() => {
                ws.write_number_with_format(row, col, to_cell(sums[i]), &st.total_count)?
            }
            Col::Metric(_) | Col::Component(_) | Col::Total => {
                w.see_money(col as usize, to_cell(sums[i]));
                ws.write_number_with_format(row, col, to_cell(sums[i]), &st.total_money)?
            }
            Col::Slip | Col::Statement | Col::Findings => ws.write_string_with_format(row, col, "", &st.total_text)?,
        };
    }
    w.apply_with(ws, 1)?;
    ws.set_freeze_panes(row0 + 1, 1)?;
    print_setup(ws, &b.page_header, l.page_footer, Some((row0, row0)))?;
    Ok(())
}

/// 考核记录: the quarterly proposals with their reasons, the annual grades.
fn reviews(wb: &mut Workbook, b: &Book, f: &ManagerFile<'_>) -> Result<(), XlsxError> {
    let (l, d, st) = (b.l, b.d, &b.st);
    let (title, range, page_header) = (b.title.as_str(), b.range.as_str(), b.page_header.as_str());
    let al = b.al;
    let ws = wb.add_worksheet();
    ws.set_name(d.sheets.reviews)?;
    let mut row = head(ws, title, range, 7, st)?;
    let mut w = Widths::new(7, WRAP_AT);
    ws.write_string_with_format(row, 0, d.reviews_title, &st.bold)?;
    row += 1;
    header(ws, row, &d.review_columns, st, &mut w)?;
    row += 1;
    if f.reviews.is_empty() {
        ws.merge_range(row, 0, row, 6, d.no_reviews, &st.text)?;
        row += 1;
    }
    for (q, r) in &f.reviews {
        let quarter = format!("{}Q{}", q.year, q.quarter);
        let level = level_text(al, &r.manager.level_label, &r.manager.level);
        let (proposal, reason) = (proposal_text(&r.proposal, al), proposal_reason(r, q, al));
        ws.write_string_with_format(row, 0, &quarter, &st.text)?;
        ws.write_string_with_format(row, 1, &level, &st.text)?;
        ws.write_number_with_format(row, 2, f64::from(r.months_active), &st.count)?;
        ws.write_number_with_format(row, 3, to_cell(r.net_revenue), &st.money)?;
        ws.write_number_with_format(row, 4, f64::from(r.valid_accounts), &st.count)?;
        ws.write_string_with_format(row, 5, &proposal, &st.text)?;
        wrapped(ws, row, 6, &reason, WRAP_AT, st)?;
        for (c, s) in [(0, &quarter), (1, &level), (5, &proposal)] {
            w.see(c, s);
        }
        w.see(6, &"x".repeat(WRAP_AT));
        w.see_money(3, to_cell(r.net_revenue));
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, d.grades_title, &st.bold)?;
    row += 1;
    header(ws, row, &d.grade_columns, st, &mut w)?;
    row += 1;
    if f.grades.is_empty() {
        ws.merge_range(row, 0, row, 5, d.no_grades, &st.text)?;
    }
    for (a, r) in &f.grades {
        ws.write_string_with_format(row, 0, a.year.to_string(), &st.text)?;
        ws.write_number_with_format(row, 1, r.rank as f64, &st.count)?;
        ws.write_number_with_format(row, 2, a.rows.len() as f64, &st.count)?;
        ws.write_number_with_format(row, 3, to_cell(r.net_revenue), &st.money)?;
        ws.write_number_with_format(row, 4, to_cell(r.total), &st.money)?;
        ws.write_string_with_format(row, 5, &r.grade, &st.text)?;
        w.see_money(3, to_cell(r.net_revenue));
        w.see_money(4, to_cell(r.total));
        row += 1;
    }
    w.apply(ws)?;
    print_setup(ws, page_header, l.page_footer, None)?;
    Ok(())
}

/// 调整与回收: every adjustment row, every recovery, every prior-period line, each block with its
/// total.
fn lines(wb: &mut Workbook, b: &Book, f: &ManagerFile<'_>) -> Result<(), XlsxError> {
    let (l, d, st) = (b.l, b.d, &b.st);
    let (title, range, page_header) = (b.title.as_str(), b.range.as_str(), b.page_header.as_str());
    let ws = wb.add_worksheet();
    ws.set_name(d.sheets.lines)?;
    let mut row = head(ws, title, range, 8, st)?;
    let mut w = Widths::new(8, 40);
    let total_row = |ws: &mut Worksheet, row: u32, col: u16, v: Decimal, cols: u16| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, l.grand_total, &st.total_text)?;
        for c in 1..cols {
            if c != col {
                ws.write_string_with_format(row, c, "", &st.total_text)?;
            }
        }
        ws.write_number_with_format(row, col, to_cell(v), &st.total_money)?;
        Ok(())
    };

    ws.write_string_with_format(row, 0, d.adjustments_title, &st.bold)?;
    row += 1;
    header(ws, row, &d.adjustment_columns, st, &mut w)?;
    row += 1;
    let mut sum = Decimal::ZERO;
    for (m, a) in &f.adjustments {
        let cells = [m.to_string(), a.category.clone(), a.reason.clone()];
        for (c, s) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, s, &st.text)?;
            w.see(c, s);
        }
        ws.write_number_with_format(row, 3, to_cell(a.amount), &st.money)?;
        ws.write_string_with_format(row, 4, &a.file, &st.text)?;
        ws.write_number_with_format(row, 5, f64::from(a.row), &st.row_number)?;
        w.see(4, &a.file);
        sum += a.amount;
        row += 1;
    }
    if f.adjustments.is_empty() {
        ws.merge_range(row, 0, row, 5, d.none, &st.text)?;
        row += 1;
    }
    total_row(ws, row, 3, sum, 6)?;
    row += 2;

    ws.write_string_with_format(row, 0, d.clawback_title, &st.bold)?;
    row += 1;
    header(ws, row, &d.clawback_columns, st, &mut w)?;
    row += 1;
    let mut sum = Decimal::ZERO;
    for (m, c) in &f.clawbacks {
        let recovered = if c.charged { -c.bonus } else { Decimal::ZERO };
        let note = if c.charged { l.clawback_charged } else { l.clawback_not_charged };
        for (col, s) in
            [(0u16, m.to_string()), (1, c.paid.to_string()), (2, c.client_id.clone()), (3, c.account_type.clone())]
        {
            ws.write_string_with_format(row, col, &s, &st.text)?;
            w.see(col as usize, &s);
        }
        ws.write_number_with_format(row, 4, to_cell(c.bonus), &st.money)?;
        match c.assets {
            Some(a) => ws.write_number_with_format(row, 5, to_cell(a), &st.money)?,
            None => ws.write_string_with_format(row, 5, l.clawback_absent, &st.text_right)?,
        };
        ws.write_number_with_format(row, 6, to_cell(recovered), &st.money)?;
        ws.write_string_with_format(row, 7, note, &st.text)?;
        w.see(7, note);
        sum += recovered;
        row += 1;
    }
    if f.clawbacks.is_empty() {
        ws.merge_range(row, 0, row, 7, d.none, &st.text)?;
        row += 1;
    }
    total_row(ws, row, 6, sum, 8)?;
    row += 2;

    ws.write_string_with_format(row, 0, d.prior_title, &st.bold)?;
    row += 1;
    header(ws, row, &d.prior_columns, st, &mut w)?;
    row += 1;
    let mut sum = Decimal::ZERO;
    for (m, p) in &f.prior_period {
        ws.write_string_with_format(row, 0, m.to_string(), &st.text)?;
        ws.write_string_with_format(row, 1, p.month.to_string(), &st.text)?;
        let figures = [p.closed.total(), p.recomputed.total(), p.carried_before, p.amount];
        for (k, v) in figures.iter().enumerate() {
            ws.write_number_with_format(row, 2 + k as u16, to_cell(*v), &st.money)?;
            w.see_money(2 + k, to_cell(*v));
        }
        let files = p.files_changed.join("、");
        ws.write_string_with_format(row, 6, &files, &st.text)?;
        w.see(6, &files);
        sum += p.amount;
        row += 1;
    }
    if f.prior_period.is_empty() {
        ws.merge_range(row, 0, row, 6, d.none, &st.text)?;
        row += 1;
    }
    total_row(ws, row, 5, sum, 7)?;
    for c in 2..7 {
        w.see(c, "999,999,999.99");
    }
    w.apply(ws)?;
    print_setup(ws, page_header, l.page_footer, None)?;
    Ok(())
}

/// 数据异常: each exception of a month naming the manager (a row of theirs rejected, with file,
/// row, column, value and reason) and each completeness warning naming them.
fn issues(wb: &mut Workbook, b: &Book, f: &ManagerFile<'_>) -> Result<(), XlsxError> {
    let (l, d, st) = (b.l, b.d, &b.st);
    let (title, range, page_header) = (b.title.as_str(), b.range.as_str(), b.page_header.as_str());
    let locale = b.locale;
    let ws = wb.add_worksheet();
    ws.set_name(d.sheets.issues)?;
    let row0 = head(ws, title, range, 8, st)?;
    let mut w = Widths::new(8, WRAP_AT);
    header(ws, row0, &d.issue_columns, st, &mut w)?;
    let mut row = row0 + 1;
    for m in &f.months {
        let month = m.month.to_string();
        for i in &m.exceptions {
            let reason = reason_text(locale, i.kind, &i.reason);
            let cells = [&month, l.exception, &i.file, &i.sheet];
            for (c, s) in cells.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, *s, &st.text)?;
                w.see(c, s);
            }
            ws.write_number_with_format(row, 4, f64::from(i.row), &st.row_number)?;
            for (c, s) in [(5u16, &i.column), (6, &i.raw)] {
                ws.write_string_with_format(row, c, s, &st.text)?;
                w.see(c as usize, s);
            }
            wrapped(ws, row, 7, &reason, WRAP_AT, st)?;
            w.see(7, &"x".repeat(WRAP_AT.min(text_width(&reason))));
            row += 1;
        }
        for wn in &m.warnings {
            let words = wn.words(locale == Locale::ZhCn);
            let file = wn.file.clone().unwrap_or_default();
            for (c, s) in [(0u16, month.as_str()), (1, l.warning), (2, &file)] {
                ws.write_string_with_format(row, c, s, &st.text)?;
                w.see(c as usize, s);
            }
            wrapped(ws, row, 7, &words, WRAP_AT, st)?;
            w.see(7, &"x".repeat(WRAP_AT.min(text_width(&words))));
            row += 1;
        }
    }
    if row == row0 + 1 {
        ws.merge_range(row, 0, row, 7, d.no_issues, &st.text)?;
    }
    w.apply(ws)?;
    ws.set_freeze_panes(row0 + 1, 0)?;
    print_setup(ws, page_header, l.page_footer, Some((row0, row0)))?;
    Ok(())
}

/// 走势: net revenue and total pay by month (a month without a row of the manager is a gap), and
/// their chart.
fn chart(wb: &mut Workbook, b: &Book, f: &ManagerFile<'_>) -> Result<(), XlsxError> {
    let (l, d, st, page_header) = (b.l, b.d, &b.st, b.page_header.as_str());
    let sheet = d.sheets.chart;
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let heads = [d.month_lead[0], l.columns.net_revenue, l.columns.total];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    for (i, m) in f.months.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, m.month.to_string(), &st.text)?;
        match m.state {
            MonthState::Row(x) => {
                ws.write_number_with_format(r, 1, to_cell(x.metrics.net_revenue), &st.money)?;
                ws.write_number_with_format(r, 2, to_cell(x.total), &st.money)?;
            }
            _ => {
                ws.write_blank(r, 1, &st.money)?;
                ws.write_blank(r, 2, &st.money)?;
            }
        }
    }
    let n = f.months.len() as u32;
    let mut c = Chart::new(ChartType::Column);
    c.title().set_name(d.chart_title);
    for col in 1..=2u16 {
        c.add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, 0, n, 0))
            .set_values((sheet, 1, col, n, col));
    }
    c.y_axis().set_num_format("#,##0");
    c.set_width(720).set_height(360);
    ws.insert_chart(1, 4, &c)?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 18)?;
    print_setup(ws, page_header, l.page_footer, Some((0, 0)))?;
    Ok(())
}
