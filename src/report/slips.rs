//! 营销客户确认单: one confirmation slip per manager with new accounts in the month (SPEC §5
//! item 3, guideline article 21), each on its own printed page, with a serial number
//! `<org code>-<YYYYMM>-<NNN>` numbered from 001 in manager_id order (natural order).

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, XlsxError};

use super::style::{header_text, print_setup, properties, Styles, Widths};
use super::words::fill;
use super::ReportCtx;
use crate::analysis::serials::{slip_holders, slip_serial};
use crate::compute::rules::account_bonus::Invalid;
use crate::compute::{AccountOutcome, ManagerPay};
use crate::money::{grouped, to_cell};

/// Page breaks per sheet stay under Excel's 1,023.
const SLIPS_PER_SHEET: usize = 1000;

/// One slip: serial, manager and the manager's new accounts.
pub struct Slip<'a> {
    pub serial: String,
    pub manager: &'a ManagerPay,
    pub accounts: Vec<&'a AccountOutcome>,
}

/// The slips of the month, in manager_id order (natural: `9001` before `10001`), numbered from
/// 001 ([`crate::analysis::serials`]).
pub fn slips<'a>(ctx: &'a ReportCtx<'a>) -> Vec<Slip<'a>> {
    let code = &ctx.config.organization.code;
    slip_holders(ctx.month)
        .into_iter()
        .enumerate()
        .map(|(i, (m, accounts))| Slip { serial: slip_serial(code, ctx.ym(), i), manager: m, accounts })
        .collect()
}

/// Why an account is not valid, in the report's words.
pub fn invalid_text(ctx: &ReportCtx<'_>, why: &Invalid) -> String {
    let l = ctx.labels;
    match why {
        Invalid::LowDeposit { deposit, min } => {
            format!("{}{}{} {} < {}", l.not_valid, l.colon, l.low_deposit, grouped(*deposit), grouped(*min))
        }
        Invalid::NotInCrm => format!("{}{}{}", l.not_valid, l.colon, l.not_in_crm),
        Invalid::LowAssets { assets, min } => {
            format!("{}{}{} {} < {}", l.not_valid, l.colon, l.low_assets, grouped(*assets), grouped(*min))
        }
    }
}

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write(path: &Path, ctx: &ReportCtx<'_>) -> Result<(), XlsxError> {
    let l = ctx.labels;
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(ctx.ym(), l.slip_title, &ctx.config.organization.name)?);
    let all = slips(ctx);
    let c = l.colon;
    let org = &ctx.config.organization.name;
    let chunks: Vec<&[Slip<'_>]> = if all.is_empty() { vec![&[]] } else { all.chunks(SLIPS_PER_SHEET).collect() };
    for (n, chunk) in chunks.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(if n == 0 { l.sheets.slips.to_string() } else { format!("{}{}", l.sheets.slips, n + 1) })?;
        let mut widths = Widths::new(8, 40);
        for (c, h) in l.slip_columns.iter().enumerate() {
            widths.see(c, h);
        }
        let mut row = 0u32;
        let mut breaks = Vec::new();
        if chunk.is_empty() {
            ws.write_string(0, 0, l.no_issues)?;
        }
        for slip in chunk.iter() {
            if row > 0 {
                breaks.push(row);
            }
            let m = slip.manager;
            ws.merge_range(row, 0, row, 7, &format!("{org} {}", l.slip_title), &st.title)?;
            row += 1;
            ws.write_string(row, 0, format!("{}{c}{}", l.serial, slip.serial))?;
            ws.write_string(row, 5, format!("{}{c}{}", l.month, ctx.ym()))?;
            row += 1;
            ws.write_string(row, 0, format!("{}{c}{}（{}）", l.manager, m.person.name, m.person.manager_id))?;
            ws.write_string(
                row,
                5,
                format!("{}{c}{} {}", l.team, m.person.team, m.person.group.as_deref().unwrap_or("")),
            )?;
            row += 1;
            for (c, h) in l.slip_columns.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, *h, &st.header)?;
            }
            row += 1;
            let mut deposits = Decimal::ZERO;
            let mut valid = 0;
            for (k, o) in slip.accounts.iter().enumerate() {
                let a = o;
                ws.write_number_with_format(row, 0, (k + 1) as f64, &st.count)?;
                let date = a.open_date.map(|d| d.to_string()).unwrap_or_default();
                let cells = [
                    a.client_id.as_str(),
                    a.client_name.as_str(),
                    date.as_str(),
                    a.account_type.as_str(),
                    a.outlet.as_str(),
                ];
                for (c, s) in cells.iter().enumerate() {
                    ws.write_string_with_format(row, c as u16 + 1, *s, &st.text)?;
                    widths.see(c + 1, s);
                }
                ws.write_number_with_format(row, 6, to_cell(a.first_deposit), &st.money)?;
                widths.see_money(6, to_cell(a.first_deposit));
                let v = match &o.valid {
                    Ok(()) => {
                        valid += 1;
                        l.valid.to_string()
                    }
                    Err(why) => invalid_text(ctx, why),
                };
                ws.write_string_with_format(row, 7, &v, &st.text)?;
                widths.see(7, &v);
                deposits += a.first_deposit;
                row += 1;
            }
            ws.write_string_with_format(row, 0, l.grand_total, &st.total_text)?;
            for c in 1..6u16 {
                ws.write_string_with_format(
                    row,
                    c,
                    if c == 1 { format!("{}", slip.accounts.len()) } else { String::new() },
                    &st.total_text,
                )?;
            }
            ws.write_number_with_format(row, 6, to_cell(deposits), &st.total_money)?;
            ws.write_string_with_format(row, 7, format!("{} {valid}", l.valid), &st.total_text)?;
            row += 3;
            ws.write_string(row, 0, format!("{}{c}", fill(l.signature_of, &[("role", l.manager)])))?;
            ws.merge_range(row, 2, row, 3, "", &st.sign_line)?;
            ws.write_string(row, 4, format!("{}{c}", l.date))?;
            ws.merge_range(row, 5, row, 6, "", &st.sign_line)?;
            row += 2;
            ws.write_string(row, 0, format!("{}{c}", fill(l.signature_of, &[("role", l.team_leader)])))?;
            ws.merge_range(row, 2, row, 3, "", &st.sign_line)?;
            ws.write_string(row, 4, format!("{}{c}", l.date))?;
            ws.merge_range(row, 5, row, 6, "", &st.sign_line)?;
            row += 2;
        }
        widths.apply(ws)?;
        ws.set_page_breaks(&breaks)?;
        print_setup(ws, &format!("&L{}", header_text(org)), ctx.labels.page_footer, None)?;
        ws.set_portrait();
    }
    crate::output::save_workbook(&mut wb, path)
}
