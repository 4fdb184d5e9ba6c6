//! 季度综合考核 and 年度考评 (SPEC §4.7, §4.8; guideline article 17): pure functions of the
//! months' summaries and the standard in force in the review month.

use rust_decimal::Decimal;

use super::{ManagerFigures, MonthSummary};
use crate::calendar::YearMonth;
use crate::config::standard::Bars;
use crate::config::{Config, Level, Standard};
use crate::model::order::natural_cmp;
use crate::model::{Components, Employment};

/// What the review proposes; the roster of the next month decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// Promote one level (to this level: code and label).
    Promote {
        code: String,
        label: String,
    },
    /// Demote one level (to this level: code and label).
    Demote {
        code: String,
        label: String,
    },
    /// Below the demotion bars at the lowest reviewed level: 未达标.
    Flagged,
    Keep,
    /// A month of the quarter has no inputs: 数据不全, nobody gets a proposal.
    Incomplete,
}

/// One manager's quarter.
#[derive(Debug, Clone)]
pub struct QuarterRow {
    pub manager: ManagerFigures,
    pub months_active: u32,
    pub net_revenue: Decimal,
    pub valid_accounts: u32,
    pub duty_score: Option<Decimal>,
    pub held_level: bool,
    pub promote_if: Option<Bars>,
    pub demote_if_below: Option<Bars>,
    pub proposal: Proposal,
    /// Why a promotion whose bars were met is not proposed.
    pub notes: Vec<Note>,
}

/// Why a manager whose promotion bars were met keeps the level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    DutyScoreBelow { score: Decimal, min: Decimal },
    NotHeldAllQuarter,
    HighestLevel,
}

#[derive(Debug, Clone)]
pub struct QuarterReview {
    pub year: i32,
    pub quarter: u32,
    pub months: [YearMonth; 3],
    pub missing: Vec<YearMonth>,
    pub standard: String,
    pub min_duty_score: Option<Decimal>,
    pub rows: Vec<QuarterRow>,
}

/// The quarter of a quarter-end month (03, 06, 09, 12), else `None`.
pub fn quarter_of(m: YearMonth) -> Option<(u32, [YearMonth; 3])> {
    if !m.month.is_multiple_of(3) {
        return None;
    }
    let first = m.prev().prev();
    Some((m.month / 3, [first, m.prev(), m]))
}

fn missed(b: &Bars, nr: Decimal, valid: u32) -> bool {
    b.net_revenue.is_some_and(|x| nr < x) || b.valid_accounts.is_some_and(|x| valid < x)
}

fn met(b: &Bars, nr: Decimal, valid: u32) -> bool {
    b.net_revenue.is_none_or(|x| nr >= x) && b.valid_accounts.is_none_or(|x| valid >= x)
}

fn neighbour<'s>(standard: &'s Standard, level: &Level, up: bool) -> Option<&'s Level> {
    let reviewed = standard.levels.values().filter(|l| l.reviewed);
    if up {
        reviewed.filter(|l| l.order > level.order).min_by_key(|l| l.order)
    } else {
        reviewed.filter(|l| l.order < level.order).max_by_key(|l| l.order)
    }
}

/// Review the quarter ending in `months[2]`. `summaries` are the three months' summaries, `None`
/// where a month has no inputs; the last must exist.
pub fn quarterly_review(
    cfg: &Config,
    standard: &Standard,
    months: [YearMonth; 3],
    summaries: [Option<&MonthSummary>; 3],
) -> QuarterReview {
    let missing: Vec<YearMonth> = months.iter().zip(&summaries).filter(|(_, s)| s.is_none()).map(|(m, _)| *m).collect();
    let last = summaries[2];
    let min_score = cfg.review.min_duty_score_to_promote;
    let mut rows = Vec::new();
    for m in last.map(|s| s.managers.as_slice()).unwrap_or(&[]) {
        let Some(level) = standard.levels.get(&m.level).filter(|l| l.reviewed) else { continue };
        let mut months_active = 0;
        let mut nr = Decimal::ZERO;
        let mut valid = 0;
        let mut same_level = 0;
        for s in summaries.iter().flatten() {
            if let Some(x) = s.manager(&m.person.manager_id) {
                months_active += 1;
                nr += x.metrics.net_revenue;
                valid += x.valid_accounts;
                if x.level == m.level {
                    same_level += 1;
                }
            }
        }
        let held_level = same_level == 3;
        let duty_score =
            summaries.iter().rev().flatten().find_map(|s| s.manager(&m.person.manager_id).and_then(|x| x.duty_score));
        let mut notes = Vec::new();
        let proposal = if !missing.is_empty() {
            Proposal::Incomplete
        } else if level.demote_if_below.as_ref().is_some_and(|b| missed(b, nr, valid)) {
            match neighbour(standard, level, false) {
                Some(lower) => Proposal::Demote { code: lower.code.clone(), label: lower.label.clone() },
                None => Proposal::Flagged,
            }
        } else if level.promote_if.as_ref().is_some_and(|b| met(b, nr, valid)) {
            let blocked_by_score = match (duty_score, min_score) {
                (Some(s), Some(min)) if s < min => {
                    notes.push(Note::DutyScoreBelow { score: s, min });
                    true
                }
                _ => false,
            };
            if !held_level {
                notes.push(Note::NotHeldAllQuarter);
            }
            match neighbour(standard, level, true) {
                Some(higher) if !blocked_by_score && held_level => {
                    Proposal::Promote { code: higher.code.clone(), label: higher.label.clone() }
                }
                Some(_) => Proposal::Keep,
                None => {
                    notes.push(Note::HighestLevel);
                    Proposal::Keep
                }
            }
        } else {
            Proposal::Keep
        };
        rows.push(QuarterRow {
            manager: m.clone(),
            months_active,
            net_revenue: nr,
            valid_accounts: valid,
            duty_score,
            held_level,
            promote_if: level.promote_if.clone(),
            demote_if_below: level.demote_if_below.clone(),
            proposal,
            notes,
        });
    }
    QuarterReview {
        year: months[2].year,
        quarter: months[2].month / 3,
        months,
        missing,
        standard: standard.name.clone(),
        min_duty_score: min_score,
        rows,
    }
}

/// One employee's year.
#[derive(Debug, Clone)]
pub struct AnnualRow {
    pub rank: usize,
    pub manager: ManagerFigures,
    pub months: u32,
    pub net_commission: Decimal,
    pub other_revenue: Decimal,
    pub net_revenue: Decimal,
    pub net_inflow: Decimal,
    pub new_accounts: u32,
    pub valid_accounts: u32,
    pub components: Components,
    pub total: Decimal,
    pub grade: String,
}

#[derive(Debug, Clone)]
pub struct AnnualReview {
    pub year: i32,
    /// Months of the year whose inputs exist.
    pub months: Vec<YearMonth>,
    pub missing: Vec<YearMonth>,
    pub rows: Vec<AnnualRow>,
}

/// Rank the employees active in December by the year's net revenue and grade them.
pub fn annual_review(cfg: &Config, year: &[(YearMonth, Option<&MonthSummary>)]) -> AnnualReview {
    let december = year.iter().find(|(m, _)| m.month == 12).and_then(|(_, s)| *s);
    let mut rows: Vec<AnnualRow> = Vec::new();
    for m in december.map(|s| s.managers.as_slice()).unwrap_or(&[]) {
        if m.person.employment != Employment::Employee {
            continue;
        }
        let mut r = AnnualRow {
            rank: 0,
            manager: m.clone(),
            months: 0,
            net_commission: Decimal::ZERO,
            other_revenue: Decimal::ZERO,
            net_revenue: Decimal::ZERO,
            net_inflow: Decimal::ZERO,
            new_accounts: 0,
            valid_accounts: 0,
            components: Components::default(),
            total: Decimal::ZERO,
            grade: String::new(),
        };
        for (_, s) in year {
            if let Some(x) = s.and_then(|s| s.manager(&m.person.manager_id)) {
                r.months += 1;
                r.net_commission += x.metrics.net_commission;
                r.other_revenue += x.metrics.other_revenue;
                r.net_revenue += x.metrics.net_revenue;
                r.net_inflow += x.metrics.net_inflow;
                r.new_accounts += x.new_accounts;
                r.valid_accounts += x.valid_accounts;
                r.components.add(&x.components);
                r.total += x.total;
            }
        }
        rows.push(r);
    }
    rows.sort_by(|a, b| {
        b.net_revenue
            .cmp(&a.net_revenue)
            .then_with(|| natural_cmp(&a.manager.person.manager_id, &b.manager.person.manager_id))
    });
    let n = Decimal::from(rows.len());
    let mut taken = 0usize;
    for g in &cfg.review.annual_grades {
        let upto = (n * g.top_percent / Decimal::ONE_HUNDRED).ceil();
        let upto = usize::try_from(upto.mantissa()).unwrap_or(0) / 10usize.pow(upto.scale());
        while taken < upto.min(rows.len()) {
            rows[taken].grade = g.grade.clone();
            taken += 1;
        }
    }
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    AnnualReview {
        year: year.first().map(|(m, _)| m.year).unwrap_or(0),
        months: year.iter().filter(|(_, s)| s.is_some()).map(|(m, _)| *m).collect(),
        missing: year.iter().filter(|(_, s)| s.is_none()).map(|(m, _)| *m).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use crate::model::Metrics;
    use crate::model::Person;
    use crate::testing::{d, ym};
    use std::path::Path;

    fn standard() -> Standard {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/standards/2026.toml")).unwrap();
        Standard::parse(&text, Path::new("2026.toml")).unwrap()
    }
    fn config(grades: &str) -> Config {
        let t = format!(
            "[organization]\nname = \"x\"\ncode = \"X\"\n[paths]\ndata = \"d\"\nreports = \"r\"\nstandards = \"s\"\n[review]\nmin_duty_score_to_promote = 60\n{grades}"
        );
        Config::parse(&t, Path::new("c.toml"), Path::new(".")).unwrap()
    }
    fn fig(id: &str, level: &str, nr: &str, valid: u32, score: Option<&str>) -> ManagerFigures {
        ManagerFigures {
            person: Person {
                manager_id: id.into(),
                name: id.into(),
                team: "甲队".into(),
                group: None,
                outlet: None,
                employment: if level == "P" { Employment::PartTime } else { Employment::Employee },
                hire_date: Date::new(2020, 1, 1).unwrap(),
                regular_date: None,
                leave_date: None,
                leader: false,
            },
            level: level.into(),
            level_label: level.into(),
            reviewed: !matches!(level, "T" | "P"),
            level_order: 0,
            probation: level == "T",
            metrics: Metrics { net_commission: d(nr), net_revenue: d(nr), ..Metrics::default() },
            new_accounts: valid,
            valid_accounts: valid,
            components: Components::default(),
            total: d("9"),
            duty_score: score.map(d),
            active: true,
            statement_serial: String::new(),
            slip_serial: None,
        }
    }
    fn month(m: &str, managers: Vec<ManagerFigures>) -> MonthSummary {
        MonthSummary {
            month: ym(m),
            standard: "s".into(),
            managers,
            accounts: vec![],
            lost: vec![],
            adjustments: vec![],
            prior_period: vec![],
            exceptions: vec![],
            exception_count: 0,
        }
    }
    fn review(months: [Option<MonthSummary>; 3]) -> QuarterReview {
        let q = [ym("2026-07"), ym("2026-08"), ym("2026-09")];
        quarterly_review(&config(""), &standard(), q, [months[0].as_ref(), months[1].as_ref(), months[2].as_ref()])
    }
    fn proposal(r: &QuarterReview, id: &str) -> Proposal {
        r.rows.iter().find(|x| x.manager.person.manager_id == id).unwrap().proposal.clone()
    }

    #[test]
    fn every_quarterly_outcome() {
        // Per month: A promotes (40000 × 3 = 120000, 5 × 3 = 15 valid), B is blocked by its duty
        // score, C changed level within the quarter, D is demoted, E is flagged at the lowest
        // level, F keeps, G the top level keeps although above every bar.
        let m = |mm: &str, c_level: &str| {
            month(
                mm,
                vec![
                    fig("A", "L1", "40000", 5, Some("80")),
                    fig("B", "L1", "40000", 5, if mm == "2026-09" { Some("59") } else { Some("90") }),
                    fig("C", c_level, "40000", 5, None),
                    fig("D", "L2", "19999.99", 0, None),
                    fig("E", "L1", "6666.66", 0, None),
                    fig("F", "L1", "20000", 1, None),
                    fig("G", "L3", "900000", 50, None),
                    fig("T", "T", "0", 0, None),
                ],
            )
        };
        let r = review([Some(m("2026-07", "T")), Some(m("2026-08", "L1")), Some(m("2026-09", "L1"))]);
        assert!(matches!(proposal(&r, "A"), Proposal::Promote { code, .. } if code == "L2"));
        assert_eq!(proposal(&r, "B"), Proposal::Keep);
        assert!(
            r.rows.iter().find(|x| x.manager.person.manager_id == "B").unwrap().notes[0]
                == Note::DutyScoreBelow { score: d("59"), min: d("60") }
        );
        assert_eq!(proposal(&r, "C"), Proposal::Keep);
        assert!(!r.rows.iter().find(|x| x.manager.person.manager_id == "C").unwrap().held_level);
        // D: 59999.97 < 60000 at L2 → L1.
        assert!(matches!(proposal(&r, "D"), Proposal::Demote { code, .. } if code == "L1"));
        // E: 19999.98 < 20000 at L1, the lowest reviewed level.
        assert_eq!(proposal(&r, "E"), Proposal::Flagged);
        assert_eq!(proposal(&r, "F"), Proposal::Keep);
        assert_eq!(proposal(&r, "G"), Proposal::Keep);
        assert!(r.rows.iter().all(|x| x.manager.person.manager_id != "T"), "probationers are not reviewed");
    }

    #[test]
    fn a_missing_score_does_not_block_and_the_latest_score_counts() {
        let m1 = month("2026-07", vec![fig("A", "L1", "40000", 5, Some("10"))]);
        let m2 = month("2026-08", vec![fig("A", "L1", "40000", 5, Some("70"))]);
        let m3 = month("2026-09", vec![fig("A", "L1", "40000", 5, None)]);
        let r = review([Some(m1), Some(m2), Some(m3)]);
        assert_eq!(r.rows[0].duty_score, Some(d("70")));
        assert!(matches!(proposal(&r, "A"), Proposal::Promote { code, .. } if code == "L2"));
    }

    #[test]
    fn a_missing_month_leaves_everyone_without_a_proposal() {
        let m1 = month("2026-07", vec![fig("A", "L1", "90000", 15, None)]);
        let m3 = month("2026-09", vec![fig("A", "L1", "90000", 15, None), fig("D", "L2", "0", 0, None)]);
        let r = review([Some(m1), None, Some(m3)]);
        assert_eq!(r.missing, vec![ym("2026-08")]);
        assert!(r.rows.iter().all(|x| x.proposal == Proposal::Incomplete));
    }

    #[test]
    fn demotion_is_checked_before_promotion() {
        // Net revenue high enough to promote, but the valid-account demotion bar is missed.
        let mut s = standard();
        s.levels.get_mut("L1").unwrap().demote_if_below = Some(Bars { net_revenue: None, valid_accounts: Some(20) });
        let ms: Vec<MonthSummary> = ["2026-07", "2026-08", "2026-09"]
            .iter()
            .map(|m| month(m, vec![fig("A", "L1", "50000", 5, None)]))
            .collect();
        let r = quarterly_review(
            &config(""),
            &s,
            [ym("2026-07"), ym("2026-08"), ym("2026-09")],
            [Some(&ms[0]), Some(&ms[1]), Some(&ms[2])],
        );
        assert_eq!(r.rows[0].proposal, Proposal::Flagged);
    }

    #[test]
    fn annual_grade_boundaries() {
        let grades = "annual_grades = [ { grade = \"A\", top_percent = 20 }, { grade = \"B\", top_percent = 50 }, { grade = \"C\", top_percent = 90 }, { grade = \"D\", top_percent = 100 } ]";
        let cfg = config(grades);
        // 7 employees and a part-timer: A covers ⌈1.4⌉ = 2, B up to ⌈3.5⌉ = 4, C up to ⌈6.3⌉ = 7.
        let dec: Vec<ManagerFigures> = [
            ("E1", "700"),
            ("E2", "600"),
            ("E3", "500"),
            ("E4", "500"),
            ("E5", "300"),
            ("E6", "200"),
            ("E7", "100"),
            ("P1", "9999"),
        ]
        .iter()
        .map(|(id, nr)| fig(id, if id.starts_with('P') { "P" } else { "L1" }, nr, 0, None))
        .collect();
        let nov = month("2026-11", vec![fig("E7", "L1", "1000", 0, None)]);
        let decs = month("2026-12", dec);
        let mut year: Vec<(YearMonth, Option<&MonthSummary>)> =
            (1..=10).map(|m| (YearMonth::new(2026, m).unwrap(), None)).collect();
        year.push((ym("2026-11"), Some(&nov)));
        year.push((ym("2026-12"), Some(&decs)));
        let r = annual_review(&cfg, &year);
        let got: Vec<(&str, &str, usize)> =
            r.rows.iter().map(|x| (x.manager.person.manager_id.as_str(), x.grade.as_str(), x.rank)).collect();
        assert_eq!(
            got,
            vec![
                ("E7", "A", 1),
                ("E1", "A", 2),
                ("E2", "B", 3),
                ("E3", "B", 4),
                ("E4", "C", 5),
                ("E5", "C", 6),
                ("E6", "C", 7)
            ]
        );
        assert_eq!(r.rows[0].net_revenue, d("1100"));
        assert_eq!(r.rows[0].months, 2);
        assert_eq!(r.missing.len(), 10);
    }

    #[test]
    fn ties_rank_by_manager_id() {
        let cfg =
            config("annual_grades = [ { grade = \"A\", top_percent = 50 }, { grade = \"B\", top_percent = 100 } ]");
        let decs = month("2026-12", vec![fig("Z", "L1", "5", 0, None), fig("A", "L1", "5", 0, None)]);
        let r = annual_review(&cfg, &[(ym("2026-12"), Some(&decs))]);
        assert_eq!(r.rows[0].manager.person.manager_id, "A");
        assert_eq!(r.rows[0].grade, "A");
        assert_eq!(r.rows[1].grade, "B");
    }
}
