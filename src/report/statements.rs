//! 薪酬明细单_YYYY-MM.xlsx (SPEC §5 item 8): one pay statement per payroll row, each its own
//! printed page (A4 portrait), in report order, serial `<org code>-<YYYYMM>-XC<NNN>`: who, the
//! month's figures, every rule's working in words (the lines `explain` prints), each
//! adjustment, clawback and prior-period line, the total — equal to the payroll's — and the
//! manager's signature line (本人确认).

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthChar;

use super::labels::Labels;
use super::style::{header_text, print_setup, properties, Styles};
use super::working::{trace, ByManager, Rule, Speaker, TraceLine};
use super::ReportCtx;
use crate::compute::ManagerPay;
use crate::model::Employment;
use crate::money::to_cell;

/// Excel allows 1,023 manual page breaks a sheet: statements go on further sheets past this.
const STATEMENTS_PER_SHEET: usize = 1000;
/// Column widths: item, working, amount.
const WIDTHS: [f64; 3] = [20.0, 62.0, 16.0];
/// The body's font size at full scale, and the title's (points).
const FONT: f64 = 11.0;
const TITLE_FONT: f64 = 16.0;
/// A line of text at full scale, and the title's line (points).
const LINE: f64 = 15.0;
const TITLE_LINE: f64 = 21.0;
/// The smallest body font a statement is shrunk to (points): below it nothing is legible.
const SMALLEST_FONT: f64 = 4.0;

/// The height the rows of one statement may take on its page (points): A4 portrait (841.89 pt)
/// inside the top and bottom margins of [`print_setup`] (0.6 in each), less 12 pt for the
/// rounding of row heights, over the scale at which the sheet prints one page wide.
fn page_height() -> f64 {
    (841.89 - 2.0 * 43.2 - 12.0) / print_scale()
}

/// The scale at which the sheet prints one page wide (1 when the columns fit): a column of width
/// w takes 7w + 5 pixels of 0.75 pt; A4 portrait is 595.28 pt wide, less 0.4 in each side.
fn print_scale() -> f64 {
    let width: f64 = WIDTHS.iter().map(|w| (7.0 * w + 5.0) * 0.75).sum();
    ((595.28 - 2.0 * 28.8) / width).min(1.0)
}

/// The printed width of text in columns of the body font (a column holds one digit): a CJK
/// character 2.1 (the CJK fonts LibreOffice and Excel use are one em wide), narrow punctuation and
/// spaces 0.55, anything else 1 — rounded up a little, so that a working is never cut.
fn printed_width(s: &str) -> f64 {
    let width = |c: char| match c {
        _ if UnicodeWidthChar::width(c).unwrap_or(1) > 1 => 2.1,
        ',' | '.' | ' ' | ':' | ';' | '(' | ')' | '[' | ']' | '\'' | '|' | '!' | 'i' | 'l' => 0.55,
        _ => 1.0,
    };
    s.lines().map(|l| l.chars().map(width).sum::<f64>() * 1.05).fold(0.0, f64::max)
}

/// The lines text takes in a column of `width` at `scale` of the body font (wrapped).
fn lines_in(s: &str, width: f64, scale: f64) -> f64 {
    (printed_width(s) * scale / (width - 2.0)).ceil().max(1.0)
}

/// The serial of the `n`-th statement (from 0) of the month.
pub fn serial(ctx: &ReportCtx<'_>, n: usize) -> String {
    crate::analysis::serials::statement_serial(&ctx.config.organization.code, ctx.ym(), n)
}

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write(path: &Path, ctx: &ReportCtx<'_>) -> Result<(), XlsxError> {
    let l = ctx.labels;
    let mut looks = Looks::new(l);
    let sp = Speaker::new(ctx.config.report.locale, ctx.rounding());
    let by = ByManager::of(ctx.month);
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
            let rows = statement(ctx, &sp, &by, m, &serial);
            let font = fitting_font(&rows);
            row = write_rows(ws, row, &rows, looks.at(font))?;
        }
        ws.set_page_breaks(&breaks)?;
        print_setup(ws, &format!("&L{}", header_text(&ctx.config.organization.name)), l.page_footer, None)?;
        ws.set_portrait();
    }
    crate::output::save_workbook(&mut wb, path)
}

/// One row of a statement, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// The organization and 薪酬明细单, across the three columns.
    Title(String),
    /// The serial (first two columns) and the month (third).
    Serial(String, String),
    /// A line across the three columns (who the manager is).
    Wide(String),
    Blank,
    /// The column headers: item, working, amount.
    Header,
    /// The name of a rule, across the three columns.
    Section(String),
    /// One line of the working; `true` for the total.
    Line(TraceLine, bool),
    /// 本人确认 and the date, on signature lines.
    Confirm,
}

impl Row {
    /// The row's height at `scale` of the full-size fonts (points).
    pub fn height(&self, scale: f64) -> f64 {
        match self {
            Row::Title(_) => TITLE_LINE * scale,
            Row::Line(t, _) => {
                let lines = lines_in(&t.working, WIDTHS[1], scale).max(lines_in(&t.item, WIDTHS[0], scale));
                LINE * scale * lines
            }
            _ => LINE * scale,
        }
    }
}

/// The body font a statement is written in: the full size when it fits its page, else the
/// largest half point at which it does (SPEC §5 item 8: each statement on exactly one page,
/// scaled to fit, never cut onto a second).
pub fn fitting_font(rows: &[Row]) -> f64 {
    let budget = page_height();
    let mut font = FONT;
    while font > SMALLEST_FONT {
        let scale = font / FONT;
        if rows.iter().map(|r| r.height(scale)).sum::<f64>() <= budget {
            break;
        }
        font -= 0.5;
    }
    font
}

/// The rows of one statement: who, the working of every rule, the total, the signature.
pub fn statement(ctx: &ReportCtx<'_>, sp: &Speaker, by: &ByManager<'_>, m: &ManagerPay, serial: &str) -> Vec<Row> {
    let l = ctx.labels;
    let cols = &l.columns;
    let colon = l.colon;
    let org = &ctx.config.organization.name;
    let mut rows = vec![
        Row::Title(format!("{org} {}", l.statement_title)),
        Row::Serial(format!("{}{colon}{serial}", l.serial), format!("{}{colon}{}", l.month, sp.month(ctx.ym()))),
    ];
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
        rows.push(Row::Wide(text.join(sep)));
    }
    rows.push(Row::Blank);
    rows.push(Row::Header);
    let lines = trace(ctx.month, by, m, sp);
    let mut last: Option<Rule> = None;
    for t in &lines {
        if t.rule == Rule::Total {
            break;
        }
        if last != Some(t.rule) {
            rows.push(Row::Section(sp.rule(t.rule).to_string()));
            last = Some(t.rule);
        }
        rows.push(Row::Line(t.clone(), false));
    }
    for t in lines.iter().filter(|t| t.rule == Rule::Total) {
        rows.push(Row::Line(t.clone(), true));
    }
    rows.extend([Row::Blank, Row::Blank, Row::Confirm, Row::Blank]);
    rows
}

/// Write a statement's rows from `row`, each as high as its text at the look's font; gives the
/// row after it.
fn write_rows(ws: &mut Worksheet, mut row: u32, rows: &[Row], look: &Look) -> Result<u32, XlsxError> {
    for r in rows {
        match r {
            Row::Title(t) => {
                ws.merge_range(row, 0, row, 2, t, &look.title)?;
            }
            Row::Serial(serial, month) => {
                ws.merge_range(row, 0, row, 1, serial, &look.plain)?;
                ws.write_string_with_format(row, 2, month, &look.plain)?;
            }
            Row::Wide(t) => {
                ws.merge_range(row, 0, row, 2, t, &look.plain)?;
            }
            Row::Blank => {}
            Row::Header => {
                for (c, h) in look.labels.statement_columns.iter().enumerate() {
                    ws.write_string_with_format(row, c as u16, *h, &look.header)?;
                }
            }
            Row::Section(t) => {
                ws.merge_range(row, 0, row, 2, t, &look.section)?;
            }
            Row::Line(t, false) => line(ws, row, t, &look.wrap, &look.text, &look.money)?,
            Row::Line(t, true) => line(ws, row, t, &look.total_wrap, &look.total_text, &look.total_money)?,
            Row::Confirm => {
                ws.write_string_with_format(
                    row,
                    0,
                    format!("{}{}", look.labels.confirm, look.labels.colon),
                    &look.plain,
                )?;
                ws.write_string_with_format(row, 1, "", &look.sign_line)?;
                ws.write_string_with_format(
                    row,
                    2,
                    format!("{}{}", look.labels.date, look.labels.colon),
                    &look.sign_line,
                )?;
            }
        }
        ws.set_row_height(row, r.height(look.scale))?;
        row += 1;
    }
    Ok(row)
}

/// One line: item, working (wrapped), amount.
fn line(
    ws: &mut Worksheet,
    row: u32,
    t: &TraceLine,
    wrap: &Format,
    text: &Format,
    money: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, &t.item, wrap)?;
    ws.write_string_with_format(row, 1, &t.working, wrap)?;
    match t.value {
        Some(v) => ws.write_number_with_format(row, 2, to_cell(v), money)?,
        None => ws.write_blank(row, 2, text)?,
    };
    Ok(())
}

/// The formats of a statement at one font size: centred vertically (a wrapped working makes its
/// row several lines high).
struct Look {
    /// The fonts' scale of their full size.
    scale: f64,
    labels: &'static Labels,
    title: Format,
    plain: Format,
    header: Format,
    wrap: Format,
    text: Format,
    money: Format,
    total_wrap: Format,
    total_text: Format,
    total_money: Format,
    section: Format,
    sign_line: Format,
}

impl Look {
    fn new(font: f64, labels: &'static Labels) -> Self {
        let st = Styles::new();
        let scale = font / FONT;
        // Title sizes in half points, as Excel offers them.
        let title = ((TITLE_FONT * scale) * 2.0).floor().max(2.0) / 2.0;
        let sized = |f: &Format| f.clone().set_font_size(font);
        let middle = |f: &Format| sized(f).set_align(FormatAlign::VerticalCenter);
        Look {
            scale,
            labels,
            title: st.title.clone().set_font_size(title),
            plain: sized(&Format::new()),
            header: sized(&st.header),
            wrap: middle(&st.text).set_text_wrap(),
            text: middle(&st.text),
            money: middle(&st.money),
            total_wrap: middle(&st.total_text).set_text_wrap(),
            total_text: middle(&st.total_text),
            total_money: middle(&st.total_money),
            section: sized(&st.bold).set_background_color(rust_xlsxwriter::Color::RGB(0xF2F2F2)),
            sign_line: sized(&st.sign_line),
        }
    }
}

/// The looks of a workbook, one per font size used.
struct Looks {
    labels: &'static Labels,
    looks: Vec<Look>,
}

impl Looks {
    fn new(labels: &'static Labels) -> Self {
        Looks { labels, looks: Vec::new() }
    }

    fn at(&mut self, font: f64) -> &Look {
        match self.looks.iter().position(|l| (l.scale * FONT - font).abs() < 1e-9) {
            Some(i) => &self.looks[i],
            None => {
                self.looks.push(Look::new(font, self.labels));
                self.looks.last().expect("just pushed")
            }
        }
    }
}
