//! `explain`: one manager's month in the terminal — every rule's inputs and result, the
//! components, the total, and the manager's own rows excluded from pay.
//!
//! Takes a computed month and one of its managers; gives the text (the caller prints it).

use std::fmt::Write;

use super::working::trace;
use crate::compute::{ComputedMonth, ManagerPay};
use crate::model::Component;

/// The terminal text of `explain`.
pub fn text(month: &ComputedMonth, m: &ManagerPay) -> String {
    let standard = &month.standard;
    let mut s = String::new();
    let _ = writeln!(s, "{} {} — {}", m.person.manager_id, m.person.name, month.month);
    let _ = writeln!(
        s,
        "team {} / group {} / level {} {} / {} / leader {}",
        m.person.team,
        m.person.group.as_deref().unwrap_or("-"),
        m.level,
        m.level_label,
        m.person.employment.code(),
        if m.person.leader { "yes" } else { "no" }
    );
    let _ = writeln!(s, "standard {} ({}, sha256 {})", standard.name, standard.file_name(), standard.sha256);
    let mut last = "";
    for t in &trace(m, &month.prior_period) {
        if t.rule != last {
            let _ = writeln!(s, "\n[{}]", t.rule);
            last = t.rule;
        }
        match t.value {
            Some(v) => {
                let _ = writeln!(s, "  {:<28} {}  → {}", t.item, t.working, standard.rounding.format(v));
            }
            None => {
                let _ = writeln!(s, "  {:<28} {}", t.item, t.working);
            }
        }
    }
    let _ = writeln!(s, "\ncomponents:");
    for c in Component::ALL {
        let _ = writeln!(s, "  {:<20} {:>14}", c.key(), standard.rounding.format(m.components.get(c)));
    }
    let _ = writeln!(s, "  {:<20} {:>14}", "total", standard.rounding.format(m.total));
    let own: Vec<_> = month
        .issues
        .iter()
        .filter(|i| i.is_exception() && i.manager_id.as_deref() == Some(m.person.manager_id.as_str()))
        .collect();
    if !own.is_empty() {
        let _ = writeln!(s, "\nrows of this manager excluded from pay:");
        for i in own {
            let _ = writeln!(s, "  {i}");
        }
    }
    s
}
