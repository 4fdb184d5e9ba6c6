//! `explain`: one manager's month in the terminal — every rule's inputs and result, the
//! components, the total, and the manager's own rows excluded from pay — in the report's
//! language.
//!
//! Takes a computed month and one of its managers; gives the text (the caller prints it).

use std::fmt::Write;

use super::reasons::issue_text;
use super::working::{trace, ByManager, Speaker};
use crate::compute::{ComputedMonth, ManagerPay};
use crate::config::Locale;
use crate::model::{Component, Employment};
use crate::report::words::fill;

/// The terminal text of `explain`.
pub fn text(month: &ComputedMonth, m: &ManagerPay, locale: Locale) -> String {
    let standard = &month.standard;
    let sp = Speaker::new(locale, standard.rounding);
    let (w, l) = (sp.words, sp.labels);
    let mut s = String::new();
    let title = fill(
        w.explain_title,
        &[("id", &m.person.manager_id), ("name", &m.person.name), ("month", &sp.month(month.month))],
    );
    let employment = match m.person.employment {
        Employment::Employee => l.employee,
        Employment::PartTime => l.part_time,
    };
    let identity = fill(
        w.explain_identity,
        &[
            ("team", &m.person.team),
            ("group", m.person.group.as_deref().unwrap_or(w.no_group)),
            ("label", &m.level_label),
            ("code", &m.level),
            ("employment", employment),
            ("leader", if m.person.leader { w.yes } else { w.no }),
        ],
    );
    let std_line = fill(
        w.explain_standard,
        &[("name", &standard.name), ("file", &standard.file_name()), ("sha", &standard.sha256)],
    );
    let _ = writeln!(s, "{title}\n{identity}\n{std_line}");
    let mut last = None;
    for t in &trace(month, &ByManager::of(month), m, &sp) {
        if last != Some(t.rule) {
            let _ = writeln!(s, "\n【{}】", sp.rule(t.rule));
            last = Some(t.rule);
        }
        let colon = if locale == Locale::ZhCn { "：" } else { ": " };
        match t.value {
            Some(v) => {
                let _ = writeln!(s, "  {}{colon}{}  → {}", t.item, t.working, sp.amount(v));
            }
            None => {
                let _ = writeln!(s, "  {}{colon}{}", t.item, t.working);
            }
        }
    }
    let _ = writeln!(s, "\n{}", w.explain_components);
    let width = Component::ALL.iter().map(|c| display_width(l.columns.component(*c))).max().unwrap_or(0);
    for (label, v) in Component::ALL
        .iter()
        .map(|c| (l.columns.component(*c), m.components.get(*c)))
        .chain([(l.columns.total, m.total)])
    {
        let pad = " ".repeat(width.saturating_sub(display_width(label)));
        let _ = writeln!(s, "  {label}{pad} {:>16}", sp.amount(v));
    }
    let own: Vec<_> = month
        .issues
        .iter()
        .filter(|i| i.is_exception() && i.manager_id.as_deref() == Some(m.person.manager_id.as_str()))
        .collect();
    if !own.is_empty() {
        let _ = writeln!(s, "\n{}", w.explain_excluded);
        for i in own {
            let _ = writeln!(s, "  {}", issue_text(&sp, i));
        }
    }
    s
}

/// Columns a label takes in a terminal: a CJK character takes two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum()
}
