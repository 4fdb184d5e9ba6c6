//! What-if outputs (SPEC §6 `whatif`): `whatif_<from>_<to>.csv` (long format: one row per
//! month, manager and component) and the workbook 测算_<from>_<to>.xlsx (summary with the draft's
//! name and SHA-256 and the distribution of changes, per team with a chart, per month, per
//! manager, the managers who gain and lose most, and every manager's components both ways).

use std::io::Write;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::labels::{labels, Labels};
use super::payroll::formula_safe;
use super::style::{header_text, print_setup, properties, Styles, Widths};
use crate::analysis::whatif::{components, total, ManagerSum, Sum, TwoWays, WhatIf};
use crate::config::{Config, Locale};
use crate::money::{to_cell, Rounding, RoundingMode};

/// The CSV's header (SPEC §6).
pub const CSV_HEADER: [&str; 10] =
    ["month", "manager_id", "name", "team", "group", "level", "component", "current", "draft", "difference"];

/// The words of the what-if workbook.
pub struct WhatIfLabels {
    pub file: &'static str,
    pub title: &'static str,
    pub sheets: WhatIfSheetNames,
    pub draft: &'static str,
    pub current: &'static str,
    pub months: &'static str,
    pub to: &'static str,
    pub skipped: &'static str,
    pub exceptions: &'static str,
    /// The columns of a comparison of the two standards.
    pub compare: CompareLabels,
    pub distribution: &'static str,
    /// The bands of the distribution of changes.
    pub distribution_rows: DistributionLabels,
    pub people: &'static str,
    pub team: &'static str,
    pub month: &'static str,
    pub branch: &'static str,
    pub all: &'static str,
    pub chart: &'static str,
    /// The columns that say who a row is about.
    pub who: WhoLabels,
    pub difference_of: &'static str,
    pub gainers: &'static str,
    pub losers: &'static str,
    pub rank: &'static str,
    pub nobody: &'static str,
}

/// The sheets of the what-if workbook, by name.
pub struct WhatIfSheetNames {
    /// 汇总: who and what was compared, every component both ways, the distribution.
    pub summary: &'static str,
    /// 按团队, with the chart.
    pub by_team: &'static str,
    pub by_month: &'static str,
    pub by_manager: &'static str,
    /// 增减排名: the managers who gain and lose most.
    pub movers: &'static str,
    /// 分项明细: every manager's components both ways.
    pub components: &'static str,
}

/// The columns of a comparison: the item, then what `compare_cells` writes.
pub struct CompareLabels {
    /// 项目.
    pub item: &'static str,
    /// 现行: under the standard in force.
    pub current: &'static str,
    /// 草案: under the draft.
    pub draft: &'static str,
    pub difference: &'static str,
    /// The relative change.
    pub change: &'static str,
}

impl CompareLabels {
    /// The four columns `compare_cells` writes, in its order.
    pub fn amounts(&self) -> [&'static str; 4] {
        [self.current, self.draft, self.difference, self.change]
    }
}

/// The bands of the distribution of changes, as [`crate::analysis::whatif::Distribution`]
/// counts them.
pub struct DistributionLabels {
    pub gain_over_10: &'static str,
    pub gain_up_to_10: &'static str,
    pub unchanged: &'static str,
    pub lose_up_to_10: &'static str,
    pub lose_over_10: &'static str,
}

/// Who a row is about.
pub struct WhoLabels {
    pub manager_id: &'static str,
    pub name: &'static str,
    pub team: &'static str,
    pub group: &'static str,
    pub level: &'static str,
    /// The months of the range the manager was paid in.
    pub months: &'static str,
}

impl WhoLabels {
    /// ID, name, team, group and level: what `ident_cells` writes, in its order.
    fn identity(&self) -> [&'static str; 5] {
        [self.manager_id, self.name, self.team, self.group, self.level]
    }
}

pub static ZH: WhatIfLabels = WhatIfLabels {
    file: "测算",
    title: "薪酬标准测算",
    sheets: WhatIfSheetNames {
        summary: "汇总",
        by_team: "按团队",
        by_month: "按月份",
        by_manager: "按客户经理",
        movers: "增减排名",
        components: "分项明细",
    },
    draft: "草案",
    current: "现行标准",
    months: "测算月份",
    to: "至",
    skipped: "无数据（未测算）的月份",
    exceptions: "数据异常行（两种口径都已排除）",
    compare: CompareLabels {
        item: "项目", current: "现行", draft: "草案", difference: "差额", change: "变动"
    },
    distribution: "变动分布（按测算期合计）",
    distribution_rows: DistributionLabels {
        gain_over_10: "增加超过 10%",
        gain_up_to_10: "增加 10% 以内",
        unchanged: "不变",
        lose_up_to_10: "减少 10% 以内",
        lose_over_10: "减少超过 10%",
    },
    people: "人数",
    team: "团队",
    month: "月份",
    branch: "全营业部",
    all: "合计",
    chart: "各团队应发合计：现行与草案",
    who: WhoLabels {
        manager_id: "工号", name: "姓名", team: "团队", group: "小组", level: "级别", months: "月数"
    },
    difference_of: "差额",
    gainers: "增加最多",
    losers: "减少最多",
    rank: "名次",
    nobody: "无",
};

pub static EN: WhatIfLabels = WhatIfLabels {
    file: "whatif",
    title: "What-if of a salary standard",
    sheets: WhatIfSheetNames {
        summary: "Summary",
        by_team: "By team",
        by_month: "By month",
        by_manager: "By manager",
        movers: "Gainers and losers",
        components: "Components",
    },
    draft: "Draft",
    current: "Standard in force",
    months: "Months",
    to: "to",
    skipped: "Months without inputs (not computed)",
    exceptions: "Rows with data exceptions (excluded both ways)",
    compare: CompareLabels {
        item: "Item",
        current: "Current",
        draft: "Draft",
        difference: "Difference",
        change: "Change",
    },
    distribution: "Distribution of changes (totals over the range)",
    distribution_rows: DistributionLabels {
        gain_over_10: "Gain over 10%",
        gain_up_to_10: "Gain up to 10%",
        unchanged: "Unchanged",
        lose_up_to_10: "Lose up to 10%",
        lose_over_10: "Lose over 10%",
    },
    people: "Managers",
    team: "Team",
    month: "Month",
    branch: "Branch",
    all: "Total",
    chart: "Total pay by team: current and draft",
    who: WhoLabels { manager_id: "ID", name: "Name", team: "Team", group: "Group", level: "Level", months: "Months" },
    difference_of: "difference",
    gainers: "Gain most",
    losers: "Lose most",
    rank: "Rank",
    nobody: "none",
};

pub fn whatif_labels(locale: Locale) -> &'static WhatIfLabels {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

/// The file names: the CSV (always English) and the workbook (in the report's language).
pub fn file_names(config: &Config, w: &WhatIf) -> (String, String) {
    let l = whatif_labels(config.report.locale);
    (format!("whatif_{}_{}.csv", w.from, w.to), format!("{}_{}_{}.xlsx", l.file, w.from, w.to))
}

fn fmt(v: Decimal, scale: u32) -> String {
    Rounding { mode: RoundingMode::HalfUp, scale }.format(v)
}

/// Write the CSV: UTF-8 with BOM, CRLF, RFC 4180; amounts with the scale of their own standard
/// (the difference with the larger of the two).
///
/// # Errors
/// Any I/O error of `out`.
pub fn write_csv(out: &mut dyn Write, w: &WhatIf) -> std::io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    csv.write_record(CSV_HEADER)?;
    for l in &w.lines {
        let month = l.month.to_string();
        let scale = l.current_scale.max(l.draft_scale);
        let ident = [
            formula_safe(&l.manager_id),
            formula_safe(&l.name),
            formula_safe(&l.team),
            formula_safe(l.group.as_deref().unwrap_or("")),
            formula_safe(&l.level),
        ];
        let mut row = |key: &str, c: Decimal, d: Decimal| {
            let amounts = [fmt(c, l.current_scale), fmt(d, l.draft_scale), fmt(d - c, scale)];
            let mut rec: Vec<&str> = vec![month.as_str()];
            rec.extend(ident.iter().map(String::as_str));
            rec.push(key);
            rec.extend(amounts.iter().map(String::as_str));
            csv.write_record(&rec)
        };
        for k in components() {
            row(k.key(), l.current.get(k), l.draft.get(k))?;
        }
        row("total", total(&l.current), total(&l.draft))?;
    }
    csv.flush()?;
    Ok(())
}

/// The change column where the current figure is 0 (no rate to show).
const NO_CHANGE: &str = "—";

/// Current, draft, difference and change from `col` on `row`.
fn compare_cells(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    (c, d): (Decimal, Decimal),
    st: &Styles,
    bold: bool,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    let money = if bold { &st.total_money } else { &st.money };
    for (k, v) in [c, d, d - c].into_iter().enumerate() {
        ws.write_number_with_format(row, col + k as u16, to_cell(v), money)?;
        widths.see_money(col as usize + k, to_cell(v));
    }
    if c.is_zero() {
        ws.write_string_with_format(row, col + 3, NO_CHANGE, &st.text_right)?;
    } else {
        ws.write_number_with_format(row, col + 3, to_cell((d - c) / c.abs()), &st.ratio)?;
    }
    widths.see(col as usize + 3, "-100.00%");
    Ok(())
}

fn headers(ws: &mut Worksheet, row: u32, cells: &[&str], st: &Styles, widths: &mut Widths) -> Result<(), XlsxError> {
    for (c, h) in cells.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &st.header)?;
        widths.see_header(c, h);
    }
    Ok(())
}

fn sum_totals(s: &Sum) -> (Decimal, Decimal) {
    (s.current_total(), s.draft_total())
}

/// Write the workbook to `path`.
///
/// # Errors
/// Any error of the writer.
pub fn write_workbook(path: &Path, config: &Config, w: &WhatIf) -> Result<(), XlsxError> {
    let l = whatif_labels(config.report.locale);
    let rl = labels(config.report.locale);
    let st = Styles::new();
    let org = &config.organization.name;
    let page_header = format!("&L{}&R{} {} {} {}", header_text(org), l.title, w.from, l.to, w.to);
    let mut wb = Workbook::new();
    wb.set_properties(&properties(w.to, l.title, org)?);

    summary_sheet(wb.add_worksheet(), config, w, l, rl, &st)?;
    let footer = rl.page_footer;

    // --- By team, with the chart.
    let ws = wb.add_worksheet();
    let sheet = l.sheets.by_team;
    ws.set_name(sheet)?;
    let mut widths = Widths::new(6, 30);
    let mut heads = vec![l.team, l.people];
    heads.extend(l.compare.amounts());
    headers(ws, 0, &heads, &st, &mut widths)?;
    let mut row = 1u32;
    for (team, s) in &w.teams {
        ws.write_string_with_format(row, 0, team, &st.text)?;
        widths.see(0, team);
        ws.write_number_with_format(row, 1, f64::from(s.managers), &st.count)?;
        compare_cells(ws, row, 2, sum_totals(s), &st, false, &mut widths)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, l.branch, &st.total_text)?;
    ws.write_number_with_format(row, 1, f64::from(w.branch.managers), &st.total_count)?;
    compare_cells(ws, row, 2, sum_totals(&w.branch), &st, true, &mut widths)?;
    if !w.teams.is_empty() {
        let last = w.teams.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(l.chart);
        for c in [2u16, 3] {
            chart
                .add_series()
                .set_name((sheet, 0, c))
                .set_categories((sheet, 1, 0, last, 0))
                .set_values((sheet, 1, c, last, c));
        }
        chart.y_axis().set_num_format("#,##0").set_min(0);
        chart.set_width(620).set_height(300);
        ws.insert_chart(row + 2, 0, &chart)?;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 1)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- By month.
    let ws = wb.add_worksheet();
    ws.set_name(l.sheets.by_month)?;
    let mut widths = Widths::new(6, 30);
    let mut heads = vec![l.month, l.people];
    heads.extend(l.compare.amounts());
    headers(ws, 0, &heads, &st, &mut widths)?;
    let mut row = 1u32;
    let mut all = Sum::default();
    for (m, s) in &w.by_month {
        ws.write_string_with_format(row, 0, m.to_string(), &st.text)?;
        widths.see(0, "2026-10");
        ws.write_number_with_format(row, 1, f64::from(s.managers), &st.count)?;
        compare_cells(ws, row, 2, sum_totals(s), &st, false, &mut widths)?;
        all.current.add(&s.current);
        all.draft.add(&s.draft);
        row += 1;
    }
    ws.write_string_with_format(row, 0, l.all, &st.total_text)?;
    compare_cells(ws, row, 2, sum_totals(&all), &st, true, &mut widths)?;
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 1)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- By manager: totals both ways, then the difference of every component.
    let ws = wb.add_worksheet();
    ws.set_name(l.sheets.by_manager)?;
    let mut widths = Widths::new(10 + components().count(), 24);
    let component_heads: Vec<String> =
        components().map(|c| format!("{} {}", rl.columns.component(c), l.difference_of)).collect();
    let mut heads: Vec<&str> = l.who.identity().to_vec();
    heads.push(l.who.months);
    heads.extend(l.compare.amounts());
    heads.extend(component_heads.iter().map(String::as_str));
    let wrap = st.header.clone().set_text_wrap();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &wrap)?;
        widths.see_header(c, h);
    }
    ws.set_row_height(0, 30)?;
    let mut row = 1u32;
    for m in &w.managers {
        manager_ident(ws, row, m, rl, &st, &mut widths)?;
        compare_cells(ws, row, 6, (m.current_total(), m.draft_total()), &st, false, &mut widths)?;
        for (k, c) in components().enumerate() {
            let v = to_cell(m.draft.get(c) - m.current.get(c));
            ws.write_number_with_format(row, 10 + k as u16, v, &st.money)?;
            widths.see_money(10 + k, v);
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, l.branch, &st.total_text)?;
    compare_cells(ws, row, 6, sum_totals(&w.branch), &st, true, &mut widths)?;
    for (k, c) in components().enumerate() {
        let v = to_cell(w.branch.draft.get(c) - w.branch.current.get(c));
        ws.write_number_with_format(row, 10 + k as u16, v, &st.total_money)?;
    }
    widths.apply_with(ws, 1)?;
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), (heads.len() - 1) as u16)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    // --- Gainers and losers.
    let ws = wb.add_worksheet();
    ws.set_name(l.sheets.movers)?;
    let mut widths = Widths::new(10, 30);
    let (gain, lose) = w.movers(10);
    let mut row = 0u32;
    for (title, list) in [(l.gainers, gain), (l.losers, lose)] {
        ws.write_string_with_format(row, 0, title, &st.subtitle)?;
        row += 1;
        let mut heads: Vec<&str> = vec![l.rank];
        heads.extend(l.who.identity());
        heads.extend(l.compare.amounts());
        headers(ws, row, &heads, &st, &mut widths)?;
        row += 1;
        if list.is_empty() {
            ws.write_string_with_format(row, 0, l.nobody, &st.text)?;
            row += 1;
        }
        for (i, m) in list.iter().enumerate() {
            ws.write_number_with_format(row, 0, (i + 1) as f64, &st.count)?;
            for (c, t) in ident_cells(m, rl).iter().enumerate() {
                ws.write_string_with_format(row, 1 + c as u16, t, &st.text)?;
                widths.see(1 + c, t);
            }
            compare_cells(ws, row, 6, (m.current_total(), m.draft_total()), &st, false, &mut widths)?;
            row += 1;
        }
        row += 1;
    }
    widths.apply(ws)?;
    print_setup(ws, &page_header, footer, None)?;

    // --- Every manager's components both ways.
    let ws = wb.add_worksheet();
    ws.set_name(l.sheets.components)?;
    let mut widths = Widths::new(8, 30);
    let mut heads = vec![l.who.manager_id, l.who.name, l.who.team, l.compare.item];
    heads.extend(l.compare.amounts());
    headers(ws, 0, &heads, &st, &mut widths)?;
    let mut row = 1u32;
    for m in &w.managers {
        let items = components()
            .map(|c| (rl.columns.component(c), m.current.get(c), m.draft.get(c), false))
            .chain(std::iter::once((rl.columns.total, m.current_total(), m.draft_total(), true)));
        for (item, c, d, bold) in items {
            for (k, t) in [m.manager_id.as_str(), m.name.as_str(), m.team.as_str(), item].iter().enumerate() {
                ws.write_string_with_format(row, k as u16, *t, if bold { &st.total_text } else { &st.text })?;
                widths.see(k, t);
            }
            compare_cells(ws, row, 4, (c, d), &st, bold, &mut widths)?;
            row += 1;
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 2)?;
    print_setup(ws, &page_header, footer, Some((0, 0)))?;

    crate::output::save_workbook(&mut wb, path)
}

fn ident_cells(m: &ManagerSum, rl: &Labels) -> [String; 5] {
    [
        m.manager_id.clone(),
        m.name.clone(),
        m.team.clone(),
        m.group.clone().unwrap_or(rl.no_group.into()),
        m.level.clone(),
    ]
}

fn manager_ident(
    ws: &mut Worksheet,
    row: u32,
    m: &ManagerSum,
    rl: &Labels,
    st: &Styles,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    for (c, t) in ident_cells(m, rl).iter().enumerate() {
        ws.write_string_with_format(row, c as u16, t, &st.text)?;
        widths.see(c, t);
    }
    ws.write_number_with_format(row, 5, f64::from(m.months), &st.count)?;
    Ok(())
}

/// 汇总: who and what was compared, the totals of every component both ways, the distribution.
fn summary_sheet(
    ws: &mut Worksheet,
    config: &Config,
    w: &WhatIf,
    l: &WhatIfLabels,
    rl: &Labels,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(l.sheets.summary)?;
    let colon = rl.colon;
    let org = &config.organization.name;
    ws.merge_range(0, 0, 0, 4, &format!("{} {} {} {}", l.title, w.from, l.to, w.to), &st.title)?;
    let d = &w.draft;
    let mut row = 1u32;
    let mut line = |ws: &mut Worksheet, text: String| -> Result<(), XlsxError> {
        ws.write_string(row, 0, text)?;
        row += 1;
        Ok(())
    };
    line(ws, format!("{}{colon}{}（{}）", l.draft, d.name, d.file))?;
    line(ws, format!("SHA-256{colon}{}", d.sha256))?;
    let current: Vec<String> = w.current.iter().map(|s| format!("{}（{}）", s.name, s.file)).collect();
    line(ws, format!("{}{colon}{}", l.current, current.join("，")))?;
    let months: Vec<String> = w.months.iter().map(|m| m.to_string()).collect();
    line(ws, format!("{}{colon}{}", l.months, months.join(", ")))?;
    if !w.skipped.is_empty() {
        let skipped: Vec<String> = w.skipped.iter().map(|m| m.to_string()).collect();
        line(ws, format!("{}{colon}{}", l.skipped, skipped.join(", ")))?;
    }
    if w.exceptions > 0 {
        line(ws, format!("{}{colon}{}", l.exceptions, w.exceptions))?;
    }
    row += 1;
    let mut widths = Widths::new(5, 30);
    widths.see(0, "xxxxxxxxxxxx");
    let mut heads = vec![l.compare.item];
    heads.extend(l.compare.amounts());
    headers(ws, row, &heads, st, &mut widths)?;
    let table_top = row;
    row += 1;
    for c in components() {
        let name = rl.columns.component(c);
        ws.write_string_with_format(row, 0, name, &st.text)?;
        widths.see(0, name);
        compare_cells(ws, row, 1, (w.branch.current.get(c), w.branch.draft.get(c)), st, false, &mut widths)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, rl.columns.total, &st.total_text)?;
    compare_cells(ws, row, 1, sum_totals(&w.branch), st, true, &mut widths)?;
    row += 2;
    ws.write_string_with_format(row, 0, l.distribution, &st.subtitle)?;
    row += 1;
    ws.write_string_with_format(row, 0, l.compare.change, &st.header)?;
    ws.write_string_with_format(row, 1, l.people, &st.header)?;
    row += 1;
    let dist = &w.distribution;
    let bands = &l.distribution_rows;
    let counts = [
        (bands.gain_over_10, dist.gain_over_10),
        (bands.gain_up_to_10, dist.gain_up_to_10),
        (bands.unchanged, dist.unchanged),
        (bands.lose_up_to_10, dist.lose_up_to_10),
        (bands.lose_over_10, dist.lose_over_10),
    ];
    for (name, n) in counts {
        ws.write_string_with_format(row, 0, name, &st.text)?;
        ws.write_number_with_format(row, 1, f64::from(n), &st.count)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, l.all, &st.total_text)?;
    ws.write_number_with_format(row, 1, f64::from(counts.iter().map(|(_, n)| n).sum::<u32>()), &st.total_count)?;
    widths.apply(ws)?;
    print_setup(ws, &format!("&L{}", header_text(org)), rl.page_footer, Some((table_top, table_top)))?;
    Ok(())
}
