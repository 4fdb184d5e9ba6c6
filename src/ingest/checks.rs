//! The checks every kind of row shares: duplicates (the first copy is kept) and rows whose
//! manager is not active in the month (SPEC §7).
//!
//! Takes a kind's parsed rows; rejects, in place, the rows these checks refuse, each with an
//! [`Issue`] naming the file, the row, the column as the file names it and the raw value.

use super::read::{Activity, InputFile};
use crate::lookup::Lookup;
use crate::model::{Duplicated, Issue, Kind, Reason, Severity};

/// A checked input row: where it is, whether it still counts, and how it is rejected.
pub trait Checked {
    /// Still accepted (for accounts: a new account not yet rejected).
    fn live(&self) -> bool;
    fn reject(&mut self);
    /// (file index, row number)
    fn at(&self) -> (u16, u32);
    /// The manager the row belongs to, when it names one.
    fn manager(&self) -> Option<&str>;
}

/// [`Checked`] for a row type with `accepted`, `file` and `row` fields; `$manager` gives the
/// manager the row names.
#[macro_export]
macro_rules! checked_by_flag {
    ($t:ty, $manager:expr) => {
        impl $crate::ingest::checks::Checked for $t {
            fn live(&self) -> bool {
                self.accepted
            }
            fn reject(&mut self) {
                self.accepted = false;
            }
            fn at(&self) -> (u16, u32) {
                (self.file, self.row)
            }
            fn manager(&self) -> Option<&str> {
                let f: fn(&$t) -> Option<&str> = $manager;
                f(self)
            }
        }
    };
}

/// For an issue that concerns the whole row rather than one column.
pub const NO_COLUMN: usize = usize::MAX;

/// The issue of a row: its place, the column (as the file names it) of `field`, the raw value
/// and the reason. An exception; make it information with `Issue { severity, ..issue }`.
pub fn row_issue<T: Checked>(
    kind: Kind,
    files: &[InputFile],
    r: &T,
    field: usize,
    raw: String,
    reason: Reason,
) -> Issue {
    let (file, row) = r.at();
    let f = &files[file as usize];
    let column = f.headers.get(field).map(String::as_str).unwrap_or("");
    Issue {
        severity: Severity::Exception,
        kind,
        file: f.label.clone(),
        sheet: f.sheet.clone(),
        row,
        column: column.into(),
        raw,
        reason,
        manager_id: r.manager().map(str::to_string),
    }
}

/// Where a row's issue is reported: its kind, the column and the raw value of that column.
pub struct Blame<'a, T> {
    pub kind: Kind,
    pub field: usize,
    pub raw: &'a dyn Fn(&T) -> String,
}

/// The later copies of a key among the rows still live, with where the first copy is; the first
/// (in file order, a month's files in name order) is kept (SPEC §7 "Duplicates"). Keys may
/// borrow from the rows: no allocation per row.
pub fn later_copies<'a, T: Checked, K: std::hash::Hash + Eq>(
    rows: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Vec<(usize, (u16, u32))> {
    let mut seen: Lookup<K, (u16, u32)> = Lookup::with_capacity(rows.len());
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.live()) {
        let k = key(r);
        match seen.get(&k) {
            Some(first) => out.push((i, *first)),
            None => {
                seen.insert(k, r.at());
            }
        }
    }
    out
}

/// Reject the rows [`later_copies`] found. `what` names the duplicated thing (client C001 and
/// manager A01); the reason names the first copy's file when it is another one.
pub fn reject_duplicates<T: Checked>(
    rows: &mut [T],
    copies: Vec<(usize, (u16, u32))>,
    blame: Blame<'_, T>,
    what: impl Fn(&T) -> Duplicated,
    files: &[InputFile],
    issues: &mut Vec<Issue>,
) {
    for (i, (first_file, first_row)) in copies {
        let r = &mut rows[i];
        let (file, _) = r.at();
        let first_file = (first_file != file).then(|| files[first_file as usize].label.clone());
        let why = Reason::Duplicate { what: what(r), first_file, first_row };
        issues.push(row_issue(blame.kind, files, r, blame.field, (blame.raw)(r), why));
        r.reject();
    }
}

/// Reject the live rows whose manager is not active in the month.
pub fn reject_inactive<T: Checked>(
    rows: &mut [T],
    blame: (Kind, usize),
    activity: &Activity,
    files: &[InputFile],
    issues: &mut Vec<Issue>,
) {
    for r in rows.iter_mut().filter(|r| r.live()) {
        let m = r.manager().unwrap_or("");
        if !activity.is_active(m) {
            issues.push(row_issue(blame.0, files, r, blame.1, m.to_string(), activity.not_active_reason(m)));
            r.reject();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Row {
        at: (u16, u32),
        key: &'static str,
        manager: &'static str,
        live: bool,
    }

    impl Checked for Row {
        fn live(&self) -> bool {
            self.live
        }
        fn reject(&mut self) {
            self.live = false;
        }
        fn at(&self) -> (u16, u32) {
            self.at
        }
        fn manager(&self) -> Option<&str> {
            Some(self.manager)
        }
    }

    fn rows() -> Vec<Row> {
        [(0, 2, "C1", "A"), (0, 3, "C2", "B"), (0, 4, "C1", "A"), (1, 2, "C1", "Z"), (1, 3, "C3", "A")]
            .into_iter()
            .map(|(f, r, key, manager)| Row { at: (f, r), key, manager, live: true })
            .collect()
    }

    fn files() -> Vec<InputFile> {
        ["crm_a.csv", "crm_b.csv"].iter().map(|l| InputFile::for_tests(Kind::Crm, l)).collect()
    }

    #[test]
    fn the_first_copy_is_kept_and_later_ones_name_it() {
        let mut rows = rows();
        let mut issues = Vec::new();
        let copies = later_copies(&rows, |r| r.key);
        assert_eq!(copies, vec![(2, (0, 2)), (3, (0, 2))]);
        let raw = |r: &Row| r.key.to_string();
        let blame = Blame { kind: Kind::Crm, field: 0, raw: &raw };
        reject_duplicates(&mut rows, copies, blame, |r| Duplicated::Score(r.key.to_string()), &files(), &mut issues);
        assert_eq!(rows.iter().map(|r| r.live).collect::<Vec<_>>(), [true, true, false, false, true]);
        assert_eq!(issues[0].reason.to_string(), "duplicate: a score of manager C1 already on row 2");
        assert_eq!(issues[1].reason.to_string(), "duplicate: a score of manager C1 already on crm_a.csv row 2");
        assert_eq!((issues[1].file.as_str(), issues[1].row), ("crm_b.csv", 2));
        assert_eq!(issues[1].manager_id.as_deref(), Some("Z"));
    }

    #[test]
    fn rows_of_managers_not_active_are_rejected_with_the_reason() {
        let mut rows = rows();
        rows[1].live = false;
        let mut issues = Vec::new();
        let activity = Activity::for_tests(&["A"], &["A", "B"], "2026-10");
        reject_inactive(&mut rows, (Kind::Crm, 2), &activity, &files(), &mut issues);
        assert_eq!(rows.iter().map(|r| r.live).collect::<Vec<_>>(), [true, false, true, false, true]);
        assert_eq!(issues.len(), 1, "a row already rejected is not rejected twice");
        assert_eq!(issues[0].reason.to_string(), "manager Z is not on the roster of 2026-10");
    }
}
