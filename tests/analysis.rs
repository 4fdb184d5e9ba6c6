//! Team analysis, history and the reviews, through the binary.

mod common;
use common::*;

fn team_sheet(ws: &Workspace, month: &str) -> Vec<Vec<String>> {
    let book = ws.reports(month).join(format!("团队分析_{month}.xlsx"));
    sheet(&book, 0).iter().map(|r| r.iter().map(text).collect()).collect()
}

/// The row of `metric` in the block of `team` on the 团队汇总 sheet.
fn metric_row<'a>(rows: &'a [Vec<String>], team: &str, metric: &str) -> &'a Vec<String> {
    let start =
        rows.iter().position(|r| r.first().is_some_and(|c| c == team)).unwrap_or_else(|| panic!("block {team}"));
    rows[start..].iter().find(|r| r.first().is_some_and(|c| c == metric)).unwrap()
}

#[test]
fn month_on_month_year_to_date_and_year_on_year() {
    let ws = Workspace::new();
    for m in ["2025-10", "2026-09", "2026-10"] {
        standard_month(&ws, m);
    }
    // 乙队 grows in October: B01's commission 3000 → 6000 (net revenue 3200 → 6200).
    ws.csv(
        "2026-10",
        "crm.csv",
        CRM_HEADER,
        &[
            "C001,客户一,A01,开发,70%,500000,480000,100000,40000000,20000,1000",
            "C001,客户一,A02,服务,30%,500000,480000,100000,40000000,20000,1000",
            "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000,0",
            "C003,客户三,B01,开发,1,50000,50000,20000,4000000,6000,200",
            "C004,客户四,B02,开发,1,80000,80000,0,2000000,1000,0",
            "C005,客户五,A03,开发,1,30000,30000,30000,0,0,0",
        ],
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let rows = team_sheet(&ws, "2026-10");
    let nr = metric_row(&rows, "乙队", "净收入");
    assert_eq!(&nr[1..7], ["7200", "4200", "0.7142857142857143", "11400", "4200", "0.7142857142857143"]);
    let jia = metric_row(&rows, "甲队", "净收入");
    assert_eq!(&jia[1..7], ["66000", "66000", "0", "132000", "66000", "0"]);
    // Headcount is a stock: no year-to-date sum.
    assert_eq!(metric_row(&rows, "甲队", "人数")[4], "—");
    assert!(rows[1][0].contains("2026-09, 2026-10"), "{:?}", rows[1]);
    assert!(rows[2][0].contains("2026-01"), "the months without inputs are named: {:?}", rows[2]);
}

#[test]
fn a_missing_earlier_month_is_not_available_never_zero() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = team_sheet(&ws, "2026-10");
    let nr = metric_row(&rows, "甲队", "净收入");
    assert_eq!(&nr[1..7], ["66000", "无数据", "无数据", "66000", "无数据", "无数据"]);
    let book = ws.reports("2026-10").join("团队分析_2026-10.xlsx");
    let personnel: Vec<String> = sheet(&book, 5).iter().flatten().map(text).collect();
    assert!(personnel.iter().any(|t| t.contains("上月无输入数据")), "{personnel:?}");
}

#[test]
fn personnel_changes_and_plan_against_the_previous_month() {
    let ws = Workspace::with_config_extra(
        "[[teams]]\nname = \"丙队\"\n[teams.plan.\"2026-10\"]\nnew_hires = 2\nregularized = 1\nnet_inflow = 1000000\noutlets = 1\n",
    );
    standard_month(&ws, "2026-09");
    standard_month(&ws, "2026-10");
    ws.csv(
        "2026-10",
        "roster.csv",
        ROSTER_HEADER,
        &[
            "A01,甲一,甲队,一组,JT,L3,员工,2020-01-01,2020-04-01,,是",
            "A02,甲二,甲队,一组,JT,L1,员工,2021-01-01,2021-04-01,2026-10-20,否",
            "A03,甲三,甲队,,JT,L1,员工,2026-09-15,2026-10-15,,否",
            "B01,乙一,乙队,一组,ZS,L1,员工,2022-01-01,2022-04-01,,否",
            "C01,丙一,丙队,一组,ZS,T,员工,2026-10-08,,,否",
        ],
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let book = ws.reports("2026-10").join("团队分析_2026-10.xlsx");
    let changes: Vec<Vec<String>> = sheet(&book, 5).iter().skip(1).map(|r| r.iter().map(text).collect()).collect();
    let has = |kind: &str, id: &str| changes.iter().any(|r| r[0] == kind && r[1] == id);
    assert!(has("职级变动", "A01"), "{changes:?}");
    assert!(has("离职", "A02"), "left within the month");
    assert!(has("转正", "A03"));
    assert!(has("离职", "B02"), "no longer on the roster");
    assert!(has("入职", "C01"));
    let plan: Vec<Vec<String>> = sheet(&book, 4).iter().skip(1).map(|r| r.iter().map(text).collect()).collect();
    let line = plan.iter().find(|r| r[0] == "丙队" && r[1] == "新增人员").unwrap();
    assert_eq!(&line[2..5], ["2", "1", "0.5"]);
    let line = plan.iter().find(|r| r[0] == "甲队" && r[1] == "新增人员").unwrap();
    assert_eq!(line[2], "无计划");
}

fn copy_month(from: &Workspace, to: &Workspace) {
    for m in std::fs::read_dir(from.data()).unwrap() {
        let m = m.unwrap();
        for f in std::fs::read_dir(m.path()).unwrap() {
            let f = f.unwrap();
            to.file(
                &m.file_name().to_string_lossy(),
                &f.file_name().to_string_lossy(),
                std::fs::read(f.path()).unwrap(),
            );
        }
    }
}

#[test]
fn a_month_inside_a_range_equals_the_month_run_alone_and_the_cache_never_goes_stale() {
    let a = Workspace::new();
    for m in ["2026-07", "2026-08", "2026-09", "2026-10"] {
        standard_month(&a, m);
    }
    let b = Workspace::new();
    copy_month(&a, &b);
    assert!(matches!(a.run(&["run", "--from", "2026-07", "--to", "2026-10"]).status.code(), Some(0 | 1)));
    assert!(matches!(b.run(&["run", "--month", "2026-10"]).status.code(), Some(0 | 1)));
    for f in ["团队分析_2026-10.xlsx", "薪酬月报表_2026-10.xlsx", "payroll_2026-10.csv"] {
        let x = std::fs::read(a.reports("2026-10").join(f)).unwrap();
        let y = std::fs::read(b.reports("2026-10").join(f)).unwrap();
        assert!(x == y, "{f} differs between the range run and the single-month run");
    }
    let q = |ws: &Workspace| std::fs::read(ws.reports("2026-09").join("季度考核_2026Q3.xlsx")).unwrap();
    assert!(matches!(b.run(&["run", "--month", "2026-09"]).status.code(), Some(0 | 1)));
    assert!(q(&a) == q(&b), "quarterly review of a range = alone");

    // Change September's inputs: October's comparison must follow, cache or not.
    b.csv("2026-09", "adjustments.csv", ADJ_HEADER, &["B01,10000,奖励,x"]);
    assert!(matches!(b.run(&["run", "--month", "2026-10"]).status.code(), Some(0 | 1)));
    let rows: Vec<Vec<String>> = sheet(&b.reports("2026-10").join("团队分析_2026-10.xlsx"), 0)
        .iter()
        .map(|r| r.iter().map(text).collect())
        .collect();
    let pay = metric_row(&rows, "乙队", "应发薪酬");
    let before = metric_row(
        &sheet(&a.reports("2026-10").join("团队分析_2026-10.xlsx"), 0)
            .iter()
            .map(|r| r.iter().map(text).collect::<Vec<_>>())
            .collect::<Vec<_>>(),
        "乙队",
        "应发薪酬",
    )[2]
    .parse::<f64>()
    .unwrap();
    assert_eq!(pay[2].parse::<f64>().unwrap(), before + 10000.0, "previous month's pay reflects the change");
}

#[test]
fn quarterly_review_with_a_missing_month_is_incomplete() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-07");
    standard_month(&ws, "2026-09");
    assert!(matches!(ws.run(&["run", "--month", "2026-09"]).status.code(), Some(0 | 1)));
    let rows: Vec<Vec<String>> = sheet(&ws.reports("2026-09").join("季度考核_2026Q3.xlsx"), 0)
        .iter()
        .map(|r| r.iter().map(text).collect())
        .collect();
    assert!(rows[2][0].contains("2026-08"), "{:?}", rows[2]);
    let body: Vec<&Vec<String>> = rows.iter().skip(4).filter(|r| !r.is_empty()).collect();
    // Reviewed levels only: A01 (L2), A02 (L1), B01 (L1); not the probationer or the part-timer.
    assert_eq!(body.len(), 3);
    assert!(body.iter().all(|r| r[12] == "数据不全"), "{body:?}");
}

#[test]
fn quarterly_review_proposes_and_annual_review_grades() {
    let ws = Workspace::new();
    for m in ["2026-10", "2026-11", "2026-12"] {
        standard_month(&ws, m);
    }
    assert!(matches!(ws.run(&["run", "--month", "2026-12"]).status.code(), Some(0 | 1)));
    let dir = ws.reports("2026-12");
    let q: Vec<Vec<String>> =
        sheet(&dir.join("季度考核_2026Q4.xlsx"), 0).iter().map(|r| r.iter().map(text).collect()).collect();
    let row = |id: &str| q.iter().find(|r| r.first().is_some_and(|c| c == id)).unwrap().clone();
    // A02: NR 51300 × 3 = 153900 ≥ 120000 but valid accounts 0 < 15: keeps L1.
    assert_eq!(row("A02")[6], "153900");
    assert_eq!(row("A02")[12], "维持");
    assert_eq!(row("A02")[13], "有效户 0 未达晋级线 15；未低于降级线");
    // B01: NR 3200 × 3 = 9600 < 20000 at L1, the lowest reviewed level: 未达标.
    assert_eq!(row("B01")[12], "未达标");
    assert_eq!(row("B01")[13], "净收入 9,600.00 低于降级线 20,000.00；已是最低考核级别，标记未达标");
    // A01: 14700 × 3 = 44100 < 60000 at L2: demote to L1, shown by its label with its code.
    assert_eq!(row("A01")[12], "降级至 客户经理（L1）");
    assert_eq!(row("A01")[13], "净收入 44,100.00 低于降级线 60,000.00");
    assert_eq!(row("A01")[4], "高级客户经理（L2）");
    let y: Vec<Vec<String>> =
        sheet(&dir.join("年度考评_2026.xlsx"), 0).iter().map(|r| r.iter().map(text).collect()).collect();
    let ranked: Vec<(String, String)> =
        y.iter().skip(4).filter(|r| r.len() > 25 && !r[1].is_empty()).map(|r| (r[1].clone(), r[25].clone())).collect();
    // Employees active in December, by the year's net revenue: A02 153900, A01 44100, B01 9600, A03 0.
    // 4 people: A ⌈0.8⌉ = 1, B up to ⌈2⌉ = 2, C up to ⌈3.6⌉ = 4.
    let want: Vec<(String, String)> = [("A02", "A"), ("A01", "B"), ("B01", "C"), ("A03", "C")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(ranked, want);
}
