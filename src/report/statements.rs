//! 薪酬明细单_YYYY-MM.xlsx (SPEC §5 item 8): one pay statement per payroll row, each its own
//! printed page (A4 portrait), in report order, serial `<org code>-<YYYYMM>-XC<NNN>`: who, the
//! month's figures, every rule's working in words (the lines `explain` prints), each
//! adjustment, clawback and prior-period line, the total — equal to the payroll's — and the
//! manager's signature line (本人确认).

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::style::{header_text, print_setup, properties, text_width, Styles};
use super::working::{trace, Rule, Speaker, TraceLine};
use super::ReportCtx;
use crate::compute::ManagerPay;
use crate::model::Employment;
use crate::money::to_cell;

/// Excel allows 1,023 manual page breaks a sheet: statements go on further sheets past this.
const STATEMENTS_PER_SHEET: usize = 1000;
/// Column widths: item, working, amount.
const WIDTHS: [f64; 3] = [20.0, 62.0, 16.0];

/// The serial of the `n`-th statement (from 0) of the month.
pub fn serial(ctx: &ReportCtx<'_>, n: usize) -> String {
    format!("{}-{}-XC{:03}", ctx.config.organization.code, ctx.ym().compact(), n + 1)
}

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write(path: &Path, ctx: &ReportCtx<'_>) -> Result<(), XlsxError> {
    let l = ctx.labels;
    let look = Look::new(Styles::new());
    let sp = Speaker::new(ctx.config.report.locale, ctx.rounding());
    let mut wb = Workbook::new();
    wb.set_properties(&properties(ctx.ym(), l.statement_title, &ctx.config.organization.name)?);
    let managers = &ctx.month.managers;
    let chunks: Vec<&[ManagerPay]> =
        if managers.is_empty() { vec![&[]] } else { managers.chunks(STATEMENTS_PER_SHEET).collect() };
    for (n, chunk) in chunks.iter().enumerate() {
        let ws = wb.add_worksheet();
        let name = if n == 0 { l.sheets.statements.to_string() } else { format!("{}{}", l.sheets.statements, n + 1) };
        ws.set_name(name)?;
        for (c, w) in WIDTHS.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        if chunk.is_empty() {
            ws.write_string(0, 0, l.no_issues)?;
        }
        let mut row = 0u32;
        let mut breaks = Vec::new();
        for (k, m) in chunk.iter().enumerate() {
            if row > 0 {
                breaks.push(row);
            }
            let serial = serial(ctx, n * STATEMENTS_PER_SHEET + k);
            row = statement(ws, row, ctx, &sp, m, &serial, &look)?;
        }
        ws.set_page_breaks(&breaks)?;
        print_setup(ws, &format!("&L{}", header_text(&ctx.config.organization.name)), l.page_footer, None)?;
        ws.set_portrait();
    }
    crate::output::save_workbook(&mut wb, path)
}

/// One statement from `row`; gives the row after it.
fn statement(
    ws: &mut Worksheet,
    mut row: u32,
    ctx: &ReportCtx<'_>,
    sp: &Speaker,
    m: &ManagerPay,
    serial: &str,
    look: &Look,
) -> Result<u32, XlsxError> {
    let st = &look.st;
    let l = ctx.labels;
    let cols = &l.columns;
    let colon = l.colon;
    let org = &ctx.config.organization.name;
    ws.merge_range(row, 0, row, 2, &format!("{org} {}", l.statement_title), &st.title)?;
    row += 1;
    ws.merge_range(row, 0, row, 1, &format!("{}{colon}{serial}", l.serial), &Format::new())?;
    ws.write_string(row, 2, format!("{}{colon}{}", l.month, sp.month(ctx.ym())))?;
    row += 1;
    let p = &m.person;
    let employment = match p.employment {
        Employment::Employee => l.employee,
        Employment::PartTime => l.part_time,
    };
    let sep = "    ";
    let who = [
        (cols.manager_id, p.manager_id.as_str()),
        (cols.name, p.name.as_str()),
        (cols.team, p.team.as_str()),
        (cols.group, p.group.as_deref().unwrap_or(l.no_group)),
    ];
    let what_level = format!("{}（{}）", m.level_label, m.level);
    let hire = p.hire_date.to_string();
    let how = [(cols.level, what_level.as_str()), (cols.employment, employment), (l.hire_date, hire.as_str())];
    for pairs in [&who[..], &how[..]] {
        let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}{colon}{v}")).collect();
        ws.merge_range(row, 0, row, 2, &text.join(sep), &Format::new())?;
        row += 1;
    }
    row += 1;
    for (c, h) in l.statement_columns.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &st.header)?;
    }
    row += 1;
    let lines = trace(ctx.month, m, sp);
    let mut last: Option<Rule> = None;
    for t in &lines {
        if t.rule == Rule::Total {
            break;
        }
        if last != Some(t.rule) {
            ws.merge_range(row, 0, row, 2, sp.rule(t.rule), &look.section)?;
            row += 1;
            last = Some(t.rule);
        }
        line(ws, row, t, &look.wrap, &look.text, &look.money)?;
        row += 1;
    }
    for t in lines.iter().filter(|t| t.rule == Rule::Total) {
        line(ws, row, t, &look.total_wrap, &look.total_text, &look.total_money)?;
        row += 1;
    }
    row += 2;
    ws.write_string(row, 0, format!("{}{colon}", l.confirm))?;
    ws.write_string_with_format(row, 1, "", &st.sign_line)?;
    ws.write_string_with_format(row, 2, format!("{}{colon}", l.date), &st.sign_line)?;
    row += 1;
    Ok(row + 1)
}

/// One line: item, working (wrapped, the row as high as its lines), amount.
fn line(
    ws: &mut Worksheet,
    row: u32,
    t: &TraceLine,
    wrap: &Format,
    text: &Format,
    money: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, &t.item, text)?;
    ws.write_string_with_format(row, 1, &t.working, wrap)?;
    match t.value {
        Some(v) => ws.write_number_with_format(row, 2, to_cell(v), money)?,
        None => ws.write_blank(row, 2, text)?,
    };
    let width = (WIDTHS[1] as usize).saturating_sub(2).max(1);
    let lines = text_width(&t.working).div_ceil(width).max(text_width(&t.item).div_ceil(WIDTHS[0] as usize - 1));
    if lines > 1 {
        ws.set_row_height(row, 15.0 * lines as f64)?;
    }
    Ok(())
}

/// The formats of a statement's lines: centred vertically (a wrapped working makes its row
/// several lines high).
struct Look {
    wrap: Format,
    text: Format,
    money: Format,
    total_wrap: Format,
    total_text: Format,
    total_money: Format,
    section: Format,
    /// The house styles the others derive from.
    st: Styles,
}

impl Look {
    fn new(st: Styles) -> Self {
        let middle = |f: &Format| f.clone().set_align(FormatAlign::VerticalCenter);
        Look {
            wrap: middle(&st.text).set_text_wrap(),
            text: middle(&st.text),
            money: middle(&st.money),
            total_wrap: middle(&st.total_text).set_text_wrap(),
            total_text: middle(&st.total_text),
            total_money: middle(&st.total_money),
            section: st.bold.clone().set_background_color(rust_xlsxwriter::Color::RGB(0xF2F2F2)),
            st,
        }
    }
}
