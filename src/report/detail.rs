//! 业务明细: every credited CRM row with its manager, share and credited amounts (SPEC §5
//! item 2). Written in constant memory, row by row, so a million rows are fine; per-manager
//! subtotals follow each manager's rows, and a grand total (合计) ends the last sheet.

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, XlsxError};

use super::style::{header_text, print_setup, properties, Styles};
use super::ReportCtx;
use crate::model::Relation;
use crate::money::to_cell;

/// Rows a sheet takes before the detail continues on a new sheet (Excel's limit is 1,048,576).
const ROWS_PER_SHEET: u32 = 1_000_000;

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write(path: &Path, ctx: &ReportCtx<'_>) -> Result<(), XlsxError> {
    let l = ctx.labels;
    let st = Styles::new();
    let rounding = ctx.rounding();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(ctx.ym(), l.detail_title, &ctx.config.organization.name)?);

    let widths: [f64; 16] =
        [10.0, 10.0, 14.0, 14.0, 16.0, 8.0, 8.0, 16.0, 16.0, 16.0, 16.0, 14.0, 14.0, 14.0, 14.0, 16.0];
    let org = &ctx.config.organization.name;
    let open_sheet = |wb: &mut Workbook, n: u32| -> Result<usize, XlsxError> {
        let ws = wb.add_worksheet_with_constant_memory()?;
        let name = if n == 0 { l.sheets.detail.to_string() } else { format!("{}{}", l.sheets.detail, n + 1) };
        ws.set_name(name)?;
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        // Column formats instead of a format per cell: a million rows write much faster.
        ws.set_column_format(6, &st.ratio_plain)?;
        for c in 7..16u16 {
            ws.set_column_format(c, &st.money_plain)?;
        }
        ws.write_string_with_format(0, 0, format!("{org} {} {}", l.detail_title, ctx.ym()), &st.bold)?;
        for (c, h) in l.detail_columns.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &st.header)?;
        }
        ws.set_freeze_panes(2, 0)?;
        print_setup(ws, &format!("&L{}", header_text(org)), l.page_footer, Some((1, 1)))?;
        Ok(n as usize)
    };
    let close_sheet = |wb: &mut Workbook, idx: usize, row: u32| -> Result<(), XlsxError> {
        wb.worksheet_from_index(idx)?.autofilter(1, 0, row.saturating_sub(1).max(2), 15)?;
        Ok(())
    };
    // Past a sheet's last row, that sheet is closed and the rows go on on a new one.
    let room = |wb: &mut Workbook, sheet_no: &mut u32, idx: &mut usize, row: &mut u32| -> Result<(), XlsxError> {
        if *row >= ROWS_PER_SHEET {
            close_sheet(wb, *idx, *row)?;
            *sheet_no += 1;
            *idx = open_sheet(wb, *sheet_no)?;
            *row = 2;
        }
        Ok(())
    };
    let mut sheet_no = 0u32;
    let mut idx = open_sheet(&mut wb, sheet_no)?;
    let mut row = 2u32;
    // The grand total: the sum of the managers' subtotals, so that it equals the compensation
    // report's metric totals.
    let mut grand = [Decimal::ZERO; 3];
    for m in &ctx.month.managers {
        let rows = &m.rows;
        if rows.is_empty() {
            continue;
        }
        let mut sub = [Decimal::ZERO; 3];
        // A manager's rows and subtotal: one line more than the rows.
        for k in 0..=rows.len() {
            room(&mut wb, &mut sheet_no, &mut idx, &mut row)?;
            let ws = wb.worksheet_from_index(idx)?;
            if k == rows.len() {
                ws.write_string_with_format(row, 0, &m.person.manager_id, &st.total_text)?;
                ws.write_string_with_format(row, 1, &m.person.name, &st.total_text)?;
                ws.write_string_with_format(row, 2, l.manager_subtotal, &st.total_text)?;
                for c in 3..13u16 {
                    ws.write_blank(row, c, &st.total_text)?;
                }
                // The subtotal is the manager's credited sum rounded once, as on the payroll
                // and the compensation report.
                for (k, v) in sub.iter().enumerate() {
                    let v = rounding.round(*v);
                    grand[k] += v;
                    ws.write_number_with_format(row, 13 + k as u16, to_cell(v), &st.total_money)?;
                }
                row += 1;
                break;
            }
            let r = &rows[k];
            let share = r.share;
            let rel = match r.relation {
                Some(Relation::Development) => l.development,
                Some(Relation::Service) => l.service,
                None => "",
            };
            ws.write_string(row, 0, &m.person.manager_id)?;
            ws.write_string(row, 1, &m.person.name)?;
            ws.write_string(row, 2, &m.person.team)?;
            ws.write_string(row, 3, &r.client_id)?;
            ws.write_string(row, 4, &r.client_name)?;
            ws.write_string(row, 5, rel)?;
            ws.write_number(row, 6, to_cell(share))?;
            let client_vals = [
                r.month_end_assets,
                r.avg_daily_assets,
                r.net_inflow,
                r.trade_volume,
                r.net_commission,
                r.other_revenue,
            ];
            for (c, v) in client_vals.iter().enumerate() {
                if let Some(v) = v {
                    ws.write_number(row, 7 + c as u16, to_cell(*v))?;
                }
            }
            let credited = [r.credited_net_commission, r.credited_other_revenue, r.credited_net_inflow];
            for (c, v) in credited.iter().enumerate() {
                ws.write_number(row, 13 + c as u16, to_cell(*v))?;
                sub[c] += v;
            }
            row += 1;
        }
    }
    room(&mut wb, &mut sheet_no, &mut idx, &mut row)?;
    let ws = wb.worksheet_from_index(idx)?;
    ws.write_string_with_format(row, 0, l.grand_total, &st.total_text)?;
    for c in 1..13u16 {
        ws.write_blank(row, c, &st.total_text)?;
    }
    for (k, v) in grand.iter().enumerate() {
        ws.write_number_with_format(row, 13 + k as u16, to_cell(*v), &st.total_money)?;
    }
    // The autofilter stops above the grand total, so that filtering never hides it.
    close_sheet(&mut wb, idx, row)?;
    crate::output::save_workbook(&mut wb, path)
}
