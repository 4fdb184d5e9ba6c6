//! Formats and widths, in one place.
//!
//! Money is `#,##0.00` (negative amounts shown with a minus), ratios `0.00%`, counts `#,##0`.
//! Column widths are measured in display columns: a CJK character counts two.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::calendar::YearMonth;

pub const MONEY: &str = "#,##0.00;-#,##0.00;0.00";
pub const RATIO: &str = "0.00%";
pub const COUNT: &str = "#,##0";

/// The formats of a workbook.
pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub text: Format,
    /// Text among numbers ("—", 无数据): right-aligned like them.
    pub text_right: Format,
    pub money: Format,
    pub money4: Format,
    pub ratio: Format,
    /// Without borders: column formats of the million-row detail.
    pub money_plain: Format,
    pub ratio_plain: Format,
    pub count: Format,
    /// A row or line number of an input file: no separator (as the file's own numbering).
    pub row_number: Format,
    pub total_text: Format,
    pub total_money: Format,
    pub total_count: Format,
    pub sign_line: Format,
    pub bold: Format,
}

impl Styles {
    pub fn new() -> Self {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        let total = |f: Format| border(f).set_bold().set_background_color(Color::RGB(0xF2F2F2));
        Styles {
            title: Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center),
            subtitle: Format::new().set_font_size(10),
            header: border(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_background_color(Color::RGB(0xDDEBF7)),
            ),
            text: border(Format::new().set_num_format("@")),
            text_right: border(Format::new().set_num_format("@").set_align(FormatAlign::Right)),
            money: border(Format::new().set_num_format(MONEY)),
            money4: border(Format::new().set_num_format("#,##0.0000;-#,##0.0000;0")),
            ratio: border(Format::new().set_num_format(RATIO)),
            money_plain: Format::new().set_num_format(MONEY),
            ratio_plain: Format::new().set_num_format(RATIO),
            count: border(Format::new().set_num_format(COUNT)),
            row_number: border(Format::new().set_num_format("0")),
            total_text: total(Format::new()),
            total_money: total(Format::new().set_num_format(MONEY)),
            total_count: total(Format::new().set_num_format(COUNT)),
            sign_line: Format::new().set_border_bottom(FormatBorder::Thin),
            bold: Format::new().set_bold(),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Self::new()
    }
}

/// Display width of text: a CJK character is two columns.
pub fn text_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Text from an untrusted source (a head-office package) as a cell shows it: at most 1,000
/// characters, the rest cut and marked "…" — a cell holds at most 32,767, and a longer string
/// would stop the whole workbook from being written.
pub fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 1_000;
    match text.char_indices().nth(MAX) {
        None => std::borrow::Cow::Borrowed(text),
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..at])),
    }
}

/// Tracks the widest cell of each column, then sets the widths.
pub struct Widths {
    w: Vec<usize>,
    max: usize,
}

impl Widths {
    pub fn new(columns: usize, max: usize) -> Self {
        Self { w: vec![4; columns], max }
    }
    pub fn see(&mut self, col: usize, text: &str) {
        if col >= self.w.len() {
            self.w.resize(col + 1, 4);
        }
        self.w[col] = self.w[col].max(text_width(text));
    }
    /// A header cell that wraps onto two lines: half its width, but never less than its
    /// longest word.
    pub fn see_header(&mut self, col: usize, text: &str) {
        let longest = text.split_whitespace().map(text_width).max().unwrap_or(0);
        let half = text_width(text).div_ceil(2);
        let need = if text.contains(' ') { longest.max(half) } else { half };
        self.see(col, &"x".repeat(need));
    }
    /// A money cell as `#,##0.00` shows it: "-1,234,567.89".
    pub fn see_money(&mut self, col: usize, v: f64) {
        let s = format!("{:.2}", v.abs());
        let int = s.find('.').unwrap_or(s.len());
        let width = s.len() + (int.max(1) - 1) / 3 + usize::from(v < 0.0);
        self.see(col, &"9".repeat(width));
    }
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        self.apply_with(ws, 2)
    }
    /// The widths with `pad` columns of room each (the main report, which must print legibly
    /// one page wide, takes 1).
    pub fn apply_with(&self, ws: &mut Worksheet, pad: usize) -> Result<(), XlsxError> {
        for (c, w) in self.w.iter().enumerate() {
            ws.set_column_width(c as u16, ((*w).min(self.max) + pad) as f64)?;
        }
        Ok(())
    }
    /// The sum of the widths `apply_with(pad)` sets.
    pub fn total(&self, pad: usize) -> usize {
        self.w.iter().map(|w| (*w).min(self.max) + pad).sum()
    }
}

/// Fixed document properties: the same inputs give byte-identical files.
pub fn properties(month: YearMonth, title: &str, company: &str) -> Result<DocProperties, XlsxError> {
    let date = ExcelDateTime::from_ymd(month.year as u16, month.month as u8, 1)?;
    Ok(DocProperties::new().set_title(title).set_company(company).set_author("brokercomp").set_creation_datetime(&date))
}

/// A4 landscape, one page wide, header rows repeated, page X of Y in the footer.
pub fn print_setup(
    ws: &mut Worksheet,
    header: &str,
    footer: &str,
    repeat: Option<(u32, u32)>,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_header(header);
    ws.set_footer(footer);
    if let Some((a, b)) = repeat {
        ws.set_repeat_rows(a, b)?;
    }
    Ok(())
}

/// Text for a page header: `&` doubled so that it is not read as a code.
pub fn header_text(s: &str) -> String {
    s.replace('&', "&&")
}
