//! 薪酬月报表: the compensation monthly report (SPEC §5 item 1).
//!
//! Sheets: the report itself (one row per active manager in report order, team subtotals, grand
//! total, the standard's name and hash, the sign-off block), 计算明细, 手工调整, 数据异常 and 对账.
//! Every subtotal and total is the sum of the rounded figures above it, written as a number.

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::row::{value, Value};
use super::style::{header_text, print_setup, properties, Styles, Widths};
use super::working::{trace, ByManager, Speaker};
use super::{recon, ReportCtx};
use crate::compute::ManagerPay;
use crate::config::Locale;
use crate::model::{Column, Component, Employment, Severity, Unread};
use crate::money::to_cell;

pub fn employment_label(ctx: &ReportCtx<'_>, e: Employment) -> &'static str {
    match e {
        Employment::Employee => ctx.labels.employee,
        Employment::PartTime => ctx.labels.part_time,
    }
}

/// A manager's cell of `col` as the workbook shows it (the level by its label, employment in
/// words).
fn cell<'a>(ctx: &ReportCtx<'_>, m: &'a ManagerPay, col: Column) -> Value<'a> {
    value(m, col, ctx.rounding(), &m.level_label, employment_label(ctx, m.person.employment))
}

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write(path: &Path, ctx: &ReportCtx<'_>) -> Result<(), XlsxError> {
    let l = ctx.labels;
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(ctx.ym(), l.compensation_title, &ctx.config.organization.name)?);
    main_sheet(wb.add_worksheet(), ctx, &st)?;
    trace_sheet(wb.add_worksheet(), ctx, &st)?;
    adjustments_sheet(wb.add_worksheet(), ctx, &st)?;
    if !ctx.month.clawback.is_empty() {
        clawback_sheet(wb.add_worksheet(), ctx, &st)?;
    }
    if !ctx.month.prior_period.is_empty() {
        prior_sheet(wb.add_worksheet(), ctx, &st)?;
    }
    issues_sheet(wb.add_worksheet(), ctx, &st)?;
    recon_sheet(wb.add_worksheet(), ctx, &st)?;
    crate::output::save_workbook(&mut wb, path)
}

fn main_sheet(ws: &mut Worksheet, ctx: &ReportCtx<'_>, st: &Styles) -> Result<(), XlsxError> {
    let l = ctx.labels;
    let org = &ctx.config.organization.name;
    let month = ctx.ym().to_string();
    let standard = &ctx.month.standard;
    ws.set_name(l.sheets.report)?;
    let columns = Column::report();
    let ncol = columns.len() as u16;
    ws.merge_range(0, 0, 0, ncol - 1, &format!("{org} {}", l.compensation_title), &st.title)?;
    ws.merge_range(
        1,
        0,
        1,
        ncol - 1,
        &format!(
            "{}{c}{month}    {}{c}{} ({})    {}{c}{}",
            l.month,
            l.standard,
            standard.name,
            standard.file_name(),
            l.sha256,
            standard.sha256,
            c = l.colon
        ),
        &st.subtitle,
    )?;
    let mut widths = Widths::new(ncol as usize, 40);
    for (c, col) in columns.iter().enumerate() {
        let h = l.columns.get(*col);
        ws.write_string_with_format(2, c as u16, h, &st.header)?;
        // Headers wrap onto two lines, so that columns are as wide as their figures.
        widths.see_header(c, h);
    }
    ws.set_row_height(2, 30)?;
    // The first numeric column: identity columns before it are text.
    let first_figure = columns.iter().position(|c| !matches!(c, Column::Identity(_))).unwrap_or(0);
    let mut row = 3u32;
    let mut grand = vec![Decimal::ZERO; columns.len()];
    let managers = &ctx.month.managers;
    let mut i = 0;
    while i < managers.len() {
        let team = &managers[i].person.team;
        let mut sub = vec![Decimal::ZERO; columns.len()];
        while i < managers.len() && &managers[i].person.team == team {
            let m = &managers[i];
            for (c, col) in columns.iter().enumerate() {
                match cell(ctx, m, *col) {
                    Value::Text(t) => {
                        ws.write_string_with_format(row, c as u16, t, &st.text)?;
                        widths.see(c, t);
                    }
                    v => {
                        let fmt = if matches!(v, Value::Count(_)) { &st.count } else { &st.money };
                        let n = v.number();
                        ws.write_number_with_format(row, c as u16, to_cell(n), fmt)?;
                        widths.see_money(c, to_cell(n));
                        sub[c] += n;
                    }
                }
            }
            row += 1;
            i += 1;
        }
        ws.write_string_with_format(row, 0, l.subtotal, &st.total_text)?;
        for c in 1..first_figure as u16 {
            ws.write_string_with_format(row, c, if c == 2 { team.as_str() } else { "" }, &st.total_text)?;
        }
        for (c, col) in columns.iter().enumerate().skip(first_figure) {
            let fmt = if is_count(*col) { &st.total_count } else { &st.total_money };
            ws.write_number_with_format(row, c as u16, to_cell(sub[c]), fmt)?;
            widths.see_money(c, to_cell(sub[c]));
            grand[c] += sub[c];
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, l.grand_total, &st.total_text)?;
    for c in 1..first_figure as u16 {
        ws.write_string_with_format(row, c, "", &st.total_text)?;
    }
    for (c, col) in columns.iter().enumerate().skip(first_figure) {
        let fmt = if is_count(*col) { &st.total_count } else { &st.total_money };
        ws.write_number_with_format(row, c as u16, to_cell(grand[c]), fmt)?;
        widths.see_money(c, to_cell(grand[c]));
    }
    row += 2;
    // Sign-off block (article 15): each role with a signature line and a date line.
    if !ctx.config.report.prepared_by.is_empty() {
        ws.write_string(row, 0, format!("{}{}{}", l.prepared_by, l.colon, ctx.config.report.prepared_by))?;
        row += 2;
    }
    // Each role with a signature line and a date line (article 15). A role can be long
    // (副经理（经理助理）, "Deputy manager (assistant to the manager) (signature)"): its label spans
    // five columns, the lines follow.
    let bold_right = st.bold.clone().set_align(rust_xlsxwriter::FormatAlign::Right);
    for role in &ctx.config.report.signoff {
        let label = super::words::fill(l.signature_of, &[("role", role)]);
        ws.merge_range(row, 0, row, 4, &format!("{label}{}", l.colon), &bold_right)?;
        ws.merge_range(row, 5, row, 8, "", &st.sign_line)?;
        ws.write_string_with_format(row, 9, format!("{}{}", l.date, l.colon), &bold_right)?;
        ws.merge_range(row, 10, row, 12, "", &st.sign_line)?;
        row += 2;
    }
    // Widths fitted to the figures with one column of room: the sheet prints one page wide,
    // and the narrower it is the larger its text (SPEC §5 item 1: at least 6 pt).
    widths.apply_with(ws, 1)?;
    ws.set_freeze_panes(3, 2)?;
    print_setup(
        ws,
        &format!("&L{}&R{} {}", header_text(org), header_text(l.month), month),
        l.page_footer,
        Some((0, 2)),
    )?;
    ws.set_paper_size(ctx.config.report.paper.code());
    Ok(())
}

/// A column of counts (written without decimals).
fn is_count(col: Column) -> bool {
    matches!(col, Column::Metric(m) if m.is_count())
}

fn trace_sheet(ws: &mut Worksheet, ctx: &ReportCtx<'_>, st: &Styles) -> Result<(), XlsxError> {
    let l = ctx.labels;
    ws.set_name(l.sheets.working)?;
    let mut widths = header_row(ws, &l.trace_columns, 90, st)?;
    let mut row = 1u32;
    let sp = Speaker::new(ctx.config.report.locale, ctx.month.standard.rounding);
    let by = ByManager::of(ctx.month);
    for m in &ctx.month.managers {
        for t in &trace(ctx.month, &by, m, &sp) {
            let cells = [
                m.person.manager_id.as_str(),
                m.person.name.as_str(),
                sp.rule(t.rule),
                t.item.as_str(),
                t.working.as_str(),
            ];
            for (c, s) in cells.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, *s, &st.text)?;
                widths.see(c, s);
            }
            match t.value {
                Some(v) => {
                    ws.write_number_with_format(row, 5, to_cell(v), &st.money)?;
                    widths.see_money(5, to_cell(v));
                }
                None => {
                    ws.write_string_with_format(row, 5, "", &st.text)?;
                }
            }
            row += 1;
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 5)?;
    sheet_print(ws, ctx)?;
    Ok(())
}

/// A sheet's header row (the labels `heads`), and the widths it needs (at most `max`).
fn header_row(ws: &mut Worksheet, heads: &[&str], max: usize, st: &Styles) -> Result<Widths, XlsxError> {
    let mut widths = Widths::new(heads.len(), max);
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
        widths.see(c, h);
    }
    Ok(widths)
}

/// The print setup of a further sheet: the organization in the header, the header row repeated.
fn sheet_print(ws: &mut Worksheet, ctx: &ReportCtx<'_>) -> Result<(), XlsxError> {
    print_setup(ws, &format!("&L{}", header_text(&ctx.config.organization.name)), ctx.labels.page_footer, Some((0, 0)))
}

/// Each active manager's name by id.
fn names<'a>(ctx: &ReportCtx<'a>) -> std::collections::BTreeMap<&'a str, &'a str> {
    ctx.month.managers.iter().map(|m| (m.person.manager_id.as_str(), m.person.name.as_str())).collect()
}

/// The total line of an itemised sheet at `(row, col)`: what reaches pay (the sum of the report's
/// column of `component`); when the exact Σ of the lines differs (amounts with more decimals than
/// the standard), it is printed under it, so that neither figure hides the other.
fn paid_total(
    ws: &mut Worksheet,
    ctx: &ReportCtx<'_>,
    (row, col): (u32, u16),
    component: Component,
    exact: Decimal,
    st: &Styles,
) -> Result<(), XlsxError> {
    let paid: Decimal = ctx.month.managers.iter().map(|m| m.components.get(component)).sum();
    ws.write_string_with_format(row, 0, ctx.labels.grand_total, &st.total_text)?;
    ws.write_number_with_format(row, col, to_cell(paid), &st.total_money)?;
    if paid != exact {
        ws.write_string(row + 1, 0, format!("Σ = {}", crate::money::exact(exact)))?;
    }
    Ok(())
}

fn adjustments_sheet(ws: &mut Worksheet, ctx: &ReportCtx<'_>, st: &Styles) -> Result<(), XlsxError> {
    let l = ctx.labels;
    ws.set_name(l.sheets.adjustments)?;
    let mut widths = header_row(ws, &l.adjustment_columns, 60, st)?;
    let names = names(ctx);
    let mut row = 1u32;
    let mut total = Decimal::ZERO;
    for a in &ctx.month.adjustments {
        let cells = [
            a.file.as_str(),
            "",
            a.manager_id.as_str(),
            names.get(a.manager_id.as_str()).copied().unwrap_or(""),
            a.category.as_str(),
            a.reason.as_str(),
        ];
        for (c, s) in cells.iter().enumerate() {
            if c == 1 {
                ws.write_number_with_format(row, 1, f64::from(a.row), &st.row_number)?;
            } else {
                ws.write_string_with_format(row, c as u16, *s, &st.text)?;
                widths.see(c, s);
            }
        }
        ws.write_number_with_format(row, 6, to_cell(a.amount), &st.money)?;
        widths.see_money(6, to_cell(a.amount));
        total += a.amount;
        row += 1;
    }
    paid_total(ws, ctx, (row, 6), Component::Adjustments, total, st)?;
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    sheet_print(ws, ctx)?;
    Ok(())
}

/// 开户奖励回收 (SPEC §4.9): every account lost in the month — month paid, client, type, bonus,
/// the month's assets or "absent", manager, what is recovered; the total is the report's
/// 开户奖励回收 column (lines of managers not active are listed, not recovered).
fn clawback_sheet(ws: &mut Worksheet, ctx: &ReportCtx<'_>, st: &Styles) -> Result<(), XlsxError> {
    let l = ctx.labels;
    ws.set_name(l.sheets.clawback)?;
    let mut widths = header_row(ws, &l.clawback_columns, 40, st)?;
    let names = names(ctx);
    let mut row = 1u32;
    let mut total = Decimal::ZERO;
    for line in &ctx.month.clawback {
        let a = &line.account;
        let paid = a.month.to_string();
        let name = names.get(a.manager_id.as_str()).copied().unwrap_or("");
        let note = if line.charged { l.clawback_charged } else { l.clawback_not_charged };
        for (c, t) in
            [(0usize, paid.as_str()), (1, &a.client_id), (2, &a.account_type), (5, &a.manager_id), (6, name), (8, note)]
        {
            ws.write_string_with_format(row, c as u16, t, &st.text)?;
            widths.see(c, t);
        }
        ws.write_number_with_format(row, 3, to_cell(a.bonus), &st.money)?;
        widths.see_money(3, to_cell(a.bonus));
        match line.assets {
            Some(v) => {
                ws.write_number_with_format(row, 4, to_cell(v), &st.money)?;
                widths.see_money(4, to_cell(v));
            }
            None => {
                ws.write_string_with_format(row, 4, l.clawback_absent, &st.text_right)?;
                widths.see(4, l.clawback_absent);
            }
        }
        let recovered = if line.charged { -a.bonus } else { Decimal::ZERO };
        ws.write_number_with_format(row, 7, to_cell(recovered), &st.money)?;
        widths.see_money(7, to_cell(recovered));
        total += recovered;
        row += 1;
    }
    paid_total(ws, ctx, (row, 7), Component::Clawback, total, st)?;
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 8)?;
    sheet_print(ws, ctx)?;
    Ok(())
}

/// 以前月份调整: per closed month and manager, every component as closed and as recomputed,
/// the difference, what later closed months already carried, and this month's adjustment; the
/// total is the report's 以前月份调整 column.
fn prior_sheet(ws: &mut Worksheet, ctx: &ReportCtx<'_>, st: &Styles) -> Result<(), XlsxError> {
    let l = ctx.labels;
    ws.set_name(l.sheets.prior)?;
    let mut widths = header_row(ws, &l.prior_columns, 60, st)?;
    let mut row = 1u32;
    let mut total = Decimal::ZERO;
    for line in &ctx.month.prior_period {
        let month = line.month.to_string();
        let ident = [month.as_str(), line.manager_id.as_str(), line.person.name.as_str()];
        let files = line.files_changed.join(", ");
        let mut money_row = |ws: &mut Worksheet,
                             item: &str,
                             closed: Option<Decimal>,
                             recomputed: Option<Decimal>,
                             diff: Decimal,
                             fmt: &Format|
         -> Result<(), XlsxError> {
            for (c, t) in ident.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, *t, &st.text)?;
                widths.see(c, t);
            }
            ws.write_string_with_format(row, 3, item, &st.text)?;
            widths.see(3, item);
            for (c, v) in [(4u16, closed), (5, recomputed)] {
                match v {
                    Some(v) => ws.write_number_with_format(row, c, to_cell(v), &st.money)?,
                    None => ws.write_blank(row, c, &st.text)?,
                };
            }
            ws.write_number_with_format(row, 6, to_cell(diff), fmt)?;
            widths.see_money(6, to_cell(diff));
            ws.write_string_with_format(row, 7, &files, &st.text)?;
            widths.see(7, &files);
            row += 1;
            Ok(())
        };
        for c in Component::ALL.into_iter().filter(|c| *c != Component::PriorPeriod) {
            let (a, b) = (line.closed.get(c), line.recomputed.get(c));
            money_row(ws, l.columns.component(c), Some(a), Some(b), b - a, &st.money)?;
        }
        let (a, b) = (line.closed.total(), line.recomputed.total());
        money_row(ws, l.prior_total, Some(a), Some(b), b - a, &st.money)?;
        if !line.carried_before.is_zero() {
            money_row(ws, l.prior_carried_before, None, None, -line.carried_before, &st.money)?;
        }
        money_row(ws, l.prior_this_month, None, None, line.amount, &st.total_money)?;
        total += line.amount;
    }
    paid_total(ws, ctx, (row, 6), Component::PriorPeriod, total, st)?;
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 3)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 7)?;
    sheet_print(ws, ctx)?;
    Ok(())
}

fn issues_sheet(ws: &mut Worksheet, ctx: &ReportCtx<'_>, st: &Styles) -> Result<(), XlsxError> {
    let l = ctx.labels;
    ws.set_name(l.sheets.issues)?;
    let mut widths = header_row(ws, &l.issue_columns, 80, st)?;
    let mut row = 1u32;
    // The completeness warnings first (§4.11): a month that may be incomplete is the first thing
    // a reviewer must see; then the checks that could not run for want of history.
    let zh = ctx.config.report.locale == Locale::ZhCn;
    if let Some(checks) = ctx.checks {
        let lines = checks.warnings.iter().map(|w| (l.warning, w.check.label(zh), w.file.as_deref(), w.words(zh)));
        let not_run = checks.not_run.iter().map(|n| (l.information, n.check.label(zh), None, n.words(zh)));
        for (sev, check, file, words) in lines.chain(not_run) {
            for (c, s) in [(0u16, sev), (1, check), (2, file.unwrap_or("—")), (7, words.as_str())] {
                ws.write_string_with_format(row, c, s, &st.text)?;
                widths.see(c as usize, s);
            }
            row += 1;
        }
    }
    for (file, why) in &ctx.month.unread {
        let reason = match why {
            Unread::NoPattern => l.unread_no_pattern,
            Unread::NotSpreadsheet => l.unread_not_spreadsheet,
            Unread::Folder => l.unread_folder,
        };
        for (c, s) in [(0u16, l.information), (1, "—"), (2, file.as_str()), (7, reason)] {
            ws.write_string_with_format(row, c, s, &st.text)?;
            widths.see(c as usize, s);
        }
        row += 1;
    }
    for i in &ctx.month.issues {
        let sev = match i.severity {
            Severity::Exception => l.exception,
            Severity::Information => l.information,
        };
        let cells = [sev, i.kind.name(), i.file.as_str(), i.sheet.as_str()];
        for (c, s) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *s, &st.text)?;
            widths.see(c, s);
        }
        ws.write_number_with_format(row, 4, f64::from(i.row), &st.row_number)?;
        let reason = super::reasons::reason_text(ctx.config.report.locale, i.kind, &i.reason);
        for (c, s) in [(5u16, &i.column), (6, &i.raw), (7, &reason)] {
            ws.write_string_with_format(row, c, s.as_str(), &st.text)?;
            widths.see(c as usize, s);
        }
        row += 1;
    }
    if row == 1 {
        ws.write_string(1, 0, l.no_issues)?;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    if row > 1 {
        ws.autofilter(0, 0, row - 1, 7)?;
    }
    sheet_print(ws, ctx)?;
    Ok(())
}

fn recon_sheet(ws: &mut Worksheet, ctx: &ReportCtx<'_>, st: &Styles) -> Result<(), XlsxError> {
    let l = ctx.labels;
    ws.set_name(l.sheets.recon)?;
    let mut widths = header_row(ws, &l.recon_columns, 100, st)?;
    for (row, e) in (1u32..).zip(recon::equations(&ctx.month.reconciliation, &l.recon)) {
        ws.write_string_with_format(row, 0, &e.item, &st.text)?;
        ws.write_string_with_format(row, 1, &e.equation, &st.text)?;
        widths.see(0, &e.item);
        widths.see(1, &e.equation);
        ws.write_number_with_format(row, 2, to_cell(e.left), &st.money4)?;
        ws.write_number_with_format(row, 3, to_cell(e.right), &st.money4)?;
        ws.write_number_with_format(row, 4, to_cell(e.left - e.right), &st.money4)?;
        widths.see_money(2, to_cell(e.left));
        widths.see_money(3, to_cell(e.right));
        ws.write_string_with_format(row, 5, if e.holds() { l.holds } else { l.fails }, &st.text)?;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    sheet_print(ws, ctx)?;
    Ok(())
}
