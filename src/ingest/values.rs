//! Cell values (SPEC §2 "Cell values"): money, ratios, dates, text and IDs.
//!
//! Each parser takes one calamine cell and gives `Ok(None)` for an empty cell, `Ok(Some(v))` for
//! a value, or `Err(reason)` — never a silent zero. Excel floats are converted once, through
//! [`crate::money::from_excel_float`].

use std::str::FromStr;

use calamine::Data;
use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::model::Problem;
use crate::money::from_excel_float;

/// The most characters a spreadsheet cell holds (Excel's limit): a longer text cell is a broken
/// export, and no output could show it.
pub const MAX_CELL_CHARS: usize = 32_767;

/// How much of a value a message quotes.
const QUOTED_CHARS: usize = 200;

/// `text` as a message quotes it: whole up to [`QUOTED_CHARS`] characters, else its start and
/// "…".
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => text.to_string(),
        Some((at, _)) => format!("{}…", &text[..at]),
    }
}

/// The cell as the user typed it, for messages.
pub fn raw(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) => match Date::from_excel_serial(d.as_f64()) {
            Some(x) if !d.is_duration() => x.to_string(),
            _ => d.as_f64().to_string(),
        },
        Data::Error(e) => format!("{e}"),
    }
}

/// Feed a row's cells, as [`raw`] gives them, into a digest of a file's data rows (SPEC §4.11
/// `same_data`): each cell's text then a unit separator, trailing empty cells left out, then a
/// record separator; without allocating per cell (a million-row export passes through here).
pub fn digest_row(h: &mut sha2::Sha256, cells: &[Data]) {
    use sha2::Digest;
    use std::fmt::Write;
    struct Feed<'a>(&'a mut sha2::Sha256);
    impl Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let used = cells.iter().rposition(|c| !matches!(c, Data::Empty)).map_or(0, |i| i + 1);
    for c in &cells[..used] {
        match c {
            Data::Empty => {}
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => h.update(s.as_bytes()),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                let _ = write!(Feed(h), "{f:.0}");
            }
            Data::Float(f) => {
                let _ = write!(Feed(h), "{f}");
            }
            Data::Int(i) => {
                let _ = write!(Feed(h), "{i}");
            }
            other => h.update(raw(other).as_bytes()),
        }
        h.update([0x1f]);
    }
    h.update([0x1e]);
}

/// Whether a cell holds nothing (empty, or only spaces).
pub fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.chars().all(is_space),
        _ => false,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{feff}'
}

/// Trim ASCII, full-width and non-breaking spaces.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Full-width digits and signs to ASCII; spaces removed.
fn half_width(s: &str) -> String {
    s.chars()
        .filter(|c| !is_space(*c))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            '％' => '%',
            '，' => ',',
            '（' => '(',
            '）' => ')',
            '／' => '/',
            _ => c,
        })
        .collect()
}

/// Integers a float cell holds exactly (2^53): an id stored as a longer number has lost digits.
const EXACT_FLOAT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A text cell: trimmed; a number written without `.0`. Empty gives `None`.
///
/// # Errors
/// An error cell, or a number too long to be held exactly (an id of 16 digits or more stored as
/// a number has already lost its last digits).
pub fn text(cell: &Data) -> Result<Option<String>, Problem> {
    match cell {
        Data::Float(f) if f.is_finite() && f.abs() >= EXACT_FLOAT_INTEGER => Err(Problem::IdTooLong(raw(cell))),
        Data::Empty => Ok(None),
        Data::String(s) => {
            let t = trim(s);
            Ok(if t.is_empty() { None } else { Some(t.to_string()) })
        }
        Data::Error(e) => Err(Problem::ErrorCell(e.to_string())),
        other => Ok(Some(raw(other))),
    }
}

/// A money cell, exact; `Ok(None)` when empty. `wan`: the column's unit is 万元 (× 10,000).
pub fn money(cell: &Data, wan: bool) -> Result<Option<Decimal>, Problem> {
    let v = match cell {
        Data::Empty => return Ok(None),
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(Problem::NotFinite);
            }
            if f.abs() >= 1e15 {
                return Err(Problem::OutOfRange);
            }
            from_excel_float(*f).ok_or(Problem::NotFinite)?
        }
        Data::Int(i) => Decimal::from(*i),
        Data::String(s) => {
            if trim(s).is_empty() {
                return Ok(None);
            }
            parse_money_text(s)?
        }
        Data::Error(e) => return Err(Problem::ErrorCell(e.to_string())),
        Data::Bool(_) => return Err(Problem::BoolNotAmount),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => return Err(Problem::DateNotAmount),
    };
    let v = if wan { v.checked_mul(Decimal::from(10_000)).ok_or(Problem::OutOfRange)? } else { v };
    if v.abs() >= crate::money::AMOUNT_LIMIT {
        return Err(Problem::OutOfRange);
    }
    Ok(Some(v))
}

/// Parse an amount written as text: `1,234.50`, `1，234.50`, `￥1234`, `1234元`, `(1,234.50)`.
///
/// # Errors
/// [`Problem::NotAmount`] for text that is not an amount, [`Problem::OutOfRange`] for one
/// whose exponent or digits go beyond what an amount can be.
pub fn parse_money_text(s: &str) -> Result<Decimal, Problem> {
    let bad = || Problem::NotAmount;
    let mut t = half_width(s);
    let mut negative = false;
    if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        negative = true;
        t = t[1..t.len() - 1].to_string();
    }
    let mut t = t.as_str();
    if let Some(r) = t.strip_prefix('-') {
        if negative {
            return Err(bad());
        }
        negative = true;
        t = r;
    } else if let Some(r) = t.strip_prefix('+') {
        t = r;
    }
    for p in ["¥", "￥", "RMB", "CNY"] {
        if let Some(r) = t.strip_prefix(p) {
            t = r;
            break;
        }
    }
    if let Some(r) = t.strip_suffix('元') {
        t = r;
    }
    if let Some(r) = t.strip_prefix('-') {
        if negative {
            return Err(bad());
        }
        negative = true;
        t = r;
    }
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(bad());
    }
    // Thousands separators: only between digits, groups of three before the point.
    let (int_part, frac) = match t.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (t, None),
    };
    if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(bad());
        }
    }
    let mut clean = int_part.replace(',', "");
    if let Some(f) = frac {
        clean.push('.');
        clean.push_str(f);
    }
    if !clean.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'+' || b == b'-') {
        return Err(bad());
    }
    let digits = clean.split(['.', 'e', 'E']).next().unwrap_or("").trim_start_matches('0').len();
    if digits > 16 {
        return Err(Problem::OutOfRange);
    }
    let v = match crate::money::parse_decimal(&clean) {
        Some(v) => v,
        // A well-formed exponent that no decimal can hold is an amount out of range.
        None if clean.split_once(['e', 'E']).is_some_and(|(m, e)| {
            crate::money::parse_decimal(m).is_some()
                && e.trim_start_matches(['+', '-']).bytes().all(|b| b.is_ascii_digit())
                && !e.starts_with('-')
                && !e.is_empty()
        }) =>
        {
            return Err(Problem::OutOfRange)
        }
        None => return Err(bad()),
    };
    Ok(if negative { -v } else { v })
}

/// A ratio: `0.6`, `60%` or `60` (above 1 read as a percentage); must end in [0, 1].
pub fn ratio(cell: &Data) -> Result<Option<Decimal>, Problem> {
    let (v, percent) = match cell {
        Data::Empty => return Ok(None),
        Data::Float(f) => (from_excel_float(*f).ok_or(Problem::NotRatio)?, false),
        Data::Int(i) => (Decimal::from(*i), false),
        Data::String(s) => {
            let t = half_width(s);
            if t.is_empty() {
                return Ok(None);
            }
            let (body, percent) = match t.strip_suffix('%') {
                Some(b) => (b.to_string(), true),
                None => (t.clone(), false),
            };
            let v = Decimal::from_str(&body).map_err(|_| Problem::NotRatio)?;
            (v, percent)
        }
        Data::Error(e) => return Err(Problem::ErrorCell(e.to_string())),
        _ => return Err(Problem::NotRatio),
    };
    let v = if percent || v > Decimal::ONE { v / Decimal::ONE_HUNDRED } else { v };
    if v < Decimal::ZERO || v > Decimal::ONE {
        return Err(Problem::RatioOutside);
    }
    Ok(Some(v.normalize()))
}

/// A date: an Excel date, or text `2026-10-08`, `2026/10/8`, `20261008`, `2026年10月8日`.
pub fn date(cell: &Data) -> Result<Option<Date>, Problem> {
    let bad = || Problem::NotDate;
    match cell {
        Data::Empty => Ok(None),
        Data::DateTime(d) => Date::from_excel_serial(d.as_f64()).map(Some).ok_or_else(bad),
        Data::Float(f) => {
            if f.fract() == 0.0 && (19_000_101.0..=99_991_231.0).contains(f) {
                parse_date_text(&format!("{f:.0}")).map(Some).ok_or_else(bad)
            } else {
                Date::from_excel_serial(*f).map(Some).ok_or_else(bad)
            }
        }
        Data::Int(i) => date(&Data::Float(*i as f64)),
        Data::String(s) | Data::DateTimeIso(s) => {
            if trim(s).is_empty() {
                return Ok(None);
            }
            parse_date_text(s).map(Some).ok_or_else(bad)
        }
        Data::Error(e) => Err(Problem::ErrorCell(e.to_string())),
        _ => Err(bad()),
    }
}

/// Parse the text forms of a date; a time after the date is ignored.
pub fn parse_date_text(s: &str) -> Option<Date> {
    let first = trim(s).split(|c: char| c == 'T' || c.is_whitespace() || c == '\u{3000}').next().unwrap_or("");
    let t = half_width(first);
    let t = t.split("日").next().unwrap_or("");
    let nums: Vec<&str> = t.split(['-', '/', '.', '年', '月']).filter(|p| !p.is_empty()).collect();
    let parse = |p: &str| p.parse::<u32>().ok();
    let (y, m, d) = match nums.as_slice() {
        [one] if one.len() == 8 && one.bytes().all(|b| b.is_ascii_digit()) => {
            (parse(&one[..4])?, parse(&one[4..6])?, parse(&one[6..])?)
        }
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => (parse(y)?, parse(m)?, parse(d)?),
        _ => return None,
    };
    Date::new(i32::try_from(y).ok()?, m, d)
}

/// A yes/no cell: 是/否, Y/N, true/false, 1/0. Empty gives `None`.
pub fn yes_no(cell: &Data) -> Result<Option<bool>, Problem> {
    match cell {
        Data::Bool(b) => Ok(Some(*b)),
        Data::Empty => Ok(None),
        other => {
            let t = raw(other);
            match trim(&t).to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "是" | "y" | "yes" | "true" | "1" | "组长" | "√" => Ok(Some(true)),
                "否" | "n" | "no" | "false" | "0" => Ok(Some(false)),
                _ => Err(Problem::NotYesNo),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn s(x: &str) -> Data {
        Data::String(x.into())
    }

    #[test]
    fn money_text_forms() {
        let money = |c: &Data| super::money(c, false);
        assert_eq!(money(&s("1,234.50")).unwrap(), Some(d("1234.50")));
        assert_eq!(money(&s("1，234.50")).unwrap(), Some(d("1234.50")));
        assert_eq!(money(&s("１２３４．５")).unwrap(), Some(d("1234.5")));
        assert_eq!(money(&s("¥1,000")).unwrap(), Some(d("1000")));
        assert_eq!(money(&s("￥1000")).unwrap(), Some(d("1000")));
        assert_eq!(money(&s("1000元")).unwrap(), Some(d("1000")));
        assert_eq!(money(&s("(1,234.50)")).unwrap(), Some(d("-1234.50")));
        assert_eq!(money(&s("（1,234.50）")).unwrap(), Some(d("-1234.50")));
        assert_eq!(money(&s("-12.5")).unwrap(), Some(d("-12.5")));
        assert_eq!(money(&s("  ")).unwrap(), None);
        assert_eq!(money(&Data::Float(1234.56789)).unwrap(), Some(d("1234.5679")));
        assert_eq!(money(&Data::Int(-7)).unwrap(), Some(d("-7")));
    }

    #[test]
    fn money_refuses_what_it_cannot_read() {
        for bad in ["abc", "1,23.4", "12,3456", "--5", "(-5)", "1.2.3", "-", "元", "1e", "1e5.5"] {
            assert!(matches!(money(&s(bad), false), Err(Problem::NotAmount)), "{bad} should be refused");
        }
    }

    #[test]
    fn amounts_of_ten_to_the_fifteen_or_more_are_out_of_range_never_an_overflow() {
        let out = |c: &Data, wan| matches!(money(c, wan), Err(Problem::OutOfRange));
        for t in ["5e28", "1e400", "1e15", "-1e15", "99999999999999999999999999999999", "1000000000000000"] {
            assert!(out(&s(t), false), "{t}");
        }
        assert!(out(&Data::Float(1e25), true));
        assert!(out(&Data::Float(1e11), true), "1e11 万元 is 1e15 yuan");
        assert!(out(&Data::Float(5e28), false));
        assert!(out(&Data::Float(f64::MAX), false));
        assert!(out(&Data::Int(i64::MAX), false));
        assert!(out(&s("1e25"), true));
        assert_eq!(money(&s("999999999999999.99"), false).unwrap(), Some(d("999999999999999.99")));
        assert_eq!(money(&Data::Float(99_999_999_999.0), true).unwrap(), Some(d("999999999990000")));
        assert_eq!(money(&s("1.5e3"), false).unwrap(), Some(d("1500")));
        assert_eq!(money(&s("2E-2"), false).unwrap(), Some(d("0.02")));
        assert_eq!(money(&s("0e999999"), false).unwrap(), Some(d("0")));
    }

    #[test]
    fn ratio_forms() {
        assert_eq!(ratio(&Data::Float(0.6)).unwrap(), Some(d("0.6")));
        assert_eq!(ratio(&s("60%")).unwrap(), Some(d("0.6")));
        assert_eq!(ratio(&s("60")).unwrap(), Some(d("0.6")));
        assert_eq!(ratio(&s("１００％")).unwrap(), Some(d("1")));
        assert_eq!(ratio(&Data::Int(1)).unwrap(), Some(d("1")));
        assert!(ratio(&s("120%")).is_err());
        assert!(ratio(&s("-0.1")).is_err());
        assert!(ratio(&s("150")).is_err());
    }

    #[test]
    fn date_forms() {
        let want = Some(Date::new(2026, 10, 8).unwrap());
        for t in ["2026-10-08", "2026/10/8", "20261008", "2026年10月8日", "2026-10-08 00:00:00"] {
            assert_eq!(date(&s(t)).unwrap(), want, "{t}");
        }
        assert_eq!(date(&Data::Float(46303.0)).unwrap(), want);
        assert_eq!(date(&Data::Int(20261008)).unwrap(), want);
        assert!(date(&s("2026-02-30")).is_err());
        assert!(date(&s("yesterday")).is_err());
    }

    #[test]
    fn ids_stored_as_numbers_lose_the_point_zero() {
        assert_eq!(text(&Data::Float(1001.0)).unwrap().unwrap(), "1001");
        assert_eq!(text(&Data::Float(6_222_000_123_456.0)).unwrap().unwrap(), "6222000123456");
        assert_eq!(text(&s(" C001\u{3000}")).unwrap().unwrap(), "C001");
        assert!(text(&Data::Float(6_222_021_234_567_890_123.0)).is_err(), "19 digits as a float have lost some");
    }
}
