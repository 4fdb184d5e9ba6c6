//! 人员名册: one person on the team this month (SPEC §2 roster), and who is active (§4: listed,
//! and employed on at least one day of the month).

use crate::calendar::YearMonth;
use crate::ingest::checks::{later_copies, reject_duplicates, row_issue, Blame, NO_COLUMN};
use crate::ingest::read::InputFile;
use crate::ingest::rows::RowParse;
use crate::ingest::values;
use crate::model::fields::roster as R;
use crate::model::{Duplicated, Employment, Issue, Kind, Person, Problem, Reason, Severity};

#[derive(Debug, Clone)]
pub struct RosterRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    /// Accepted and employed on at least one day of the month.
    pub active: bool,
    pub person: Person,
    /// The level cell as written (code or label); resolved against the standard in compute.
    pub level: String,
}

crate::checked_by_flag!(RosterRow, |r| (!r.person.manager_id.is_empty()).then_some(r.person.manager_id.as_str()));

/// The words a roster may use for 用工性质.
fn employment(text: &str) -> Option<Employment> {
    match text.to_lowercase().as_str() {
        "员工" | "employee" | "正式" | "正式员工" | "全职" => Some(Employment::Employee),
        "兼职" | "part_time" | "part-time" | "兼职经纪人" | "经纪人" => Some(Employment::PartTime),
        _ => None,
    }
}

/// Parse one roster row; a row missing a required value is kept (rejected) so that the file's
/// counts and the reconciliation see it.
pub fn parse(p: &mut RowParse<'_, '_>, file: u16, row: u32, month: YearMonth) -> RosterRow {
    let manager_id = p.req_text(R::MANAGER_ID);
    let name = p.req_text(R::NAME);
    let team = p.req_text(R::TEAM);
    let group = p.text(R::GROUP);
    let outlet = p.text(R::OUTLET);
    let level = p.req_text(R::LEVEL);
    let employment = match p.req_text(R::EMPLOYMENT) {
        None => None,
        Some(e) => {
            let v = employment(&e);
            if v.is_none() {
                p.fail(R::EMPLOYMENT, Reason::Cell(Problem::NotEmployment));
            }
            v
        }
    };
    let hire_date = p.req_date(R::HIRE_DATE);
    let regular_date = p.date(R::REGULAR_DATE);
    let leave_date = p.date(R::LEAVE_DATE);
    let leader = match values::yes_no(p.cell(R::LEADER)) {
        Ok(v) => v.unwrap_or(false),
        Err(e) => {
            p.fail(R::LEADER, Reason::Cell(e));
            false
        }
    };
    let ok = p.ok;
    if let (Some(manager_id), Some(name), Some(team), Some(level), Some(employment), Some(hire_date)) =
        (manager_id, name, team, level, employment, hire_date)
    {
        let person =
            Person { manager_id, name, team, group, outlet, employment, hire_date, regular_date, leave_date, leader };
        RosterRow { file, row, accepted: ok, active: false, person, level }
    } else {
        let person = Person {
            manager_id: String::new(),
            name: String::new(),
            team: String::new(),
            group: None,
            outlet: None,
            employment: Employment::Employee,
            hire_date: month.first_day(),
            regular_date: None,
            leave_date: None,
            leader: false,
        };
        RosterRow { file, row, accepted: false, active: false, person, level: String::new() }
    }
}

/// The roster's own checks: duplicates rejected, a leave date before the hire date rejected,
/// and activity in `month` marked (a person not employed in the month is information).
pub fn check(roster: &mut [RosterRow], month: YearMonth, files: &[InputFile], issues: &mut Vec<Issue>) {
    let raw = |r: &RosterRow| r.person.manager_id.clone();
    let blame = Blame { kind: Kind::Roster, field: R::MANAGER_ID, raw: &raw };
    let copies = later_copies(roster, |r| r.person.manager_id.as_str());
    reject_duplicates(roster, copies, blame, |r| Duplicated::Manager(r.person.manager_id.clone()), files, issues);
    for r in roster.iter_mut().filter(|r| r.accepted) {
        if let Some(l) = r.person.leave_date {
            if l < r.person.hire_date {
                r.accepted = false;
                let why = Reason::LeaveBeforeHire { leave: l, hire: r.person.hire_date };
                issues.push(row_issue(Kind::Roster, files, r, R::LEAVE_DATE, l.to_string(), why));
                continue;
            }
        }
        r.active = r.person.hire_date <= month.last_day() && r.person.leave_date.is_none_or(|l| l >= month.first_day());
        if !r.active {
            let why = if r.person.hire_date > month.last_day() {
                Reason::HiredLater { month, hire: r.person.hire_date }
            } else {
                Reason::LeftBefore { month, leave: r.person.leave_date }
            };
            let issue = row_issue(Kind::Roster, files, r, NO_COLUMN, r.person.manager_id.clone(), why);
            issues.push(Issue { severity: Severity::Information, ..issue });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;

    fn row(n: u32, id: &str, hire: (i32, u32, u32), leave: Option<(i32, u32, u32)>) -> RosterRow {
        let date = |(y, m, d): (i32, u32, u32)| Date::new(y, m, d).unwrap();
        RosterRow {
            file: 0,
            row: n,
            accepted: true,
            active: false,
            person: Person {
                manager_id: id.into(),
                name: id.into(),
                team: "t".into(),
                group: None,
                outlet: None,
                employment: Employment::Employee,
                hire_date: date(hire),
                regular_date: None,
                leave_date: leave.map(date),
                leader: false,
            },
            level: "L1".into(),
        }
    }

    #[test]
    fn activity_duplicates_and_impossible_dates() {
        let mut roster = vec![
            row(2, "A", (2020, 1, 1), None),
            row(3, "B", (2020, 1, 1), Some((2026, 10, 1))),
            row(4, "C", (2020, 1, 1), Some((2026, 9, 30))),
            row(5, "D", (2026, 11, 1), None),
            row(6, "E", (2026, 10, 5), Some((2026, 10, 4))),
            row(7, "A", (2020, 1, 1), None),
        ];
        let files = vec![InputFile::for_tests(Kind::Roster, "roster.csv")];
        let mut issues = Vec::new();
        check(&mut roster, YearMonth::parse("2026-10").unwrap(), &files, &mut issues);
        let active: Vec<&str> = roster.iter().filter(|r| r.active).map(|r| r.person.manager_id.as_str()).collect();
        assert_eq!(active, ["A", "B"], "B left on the 1st: one day employed");
        assert!(
            !roster[4].accepted
                && issues.iter().any(|i| i.row == 6 && i.reason.to_string().contains("before the hire date"))
        );
        assert!(!roster[5].accepted && issues.iter().any(|i| i.row == 7 && i.reason.to_string().contains("duplicate")));
        let info: Vec<u32> = issues.iter().filter(|i| !i.is_exception()).map(|i| i.row).collect();
        assert_eq!(info, [4, 5], "people not employed in the month are information");
    }
}
