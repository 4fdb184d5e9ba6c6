//! Natural order (SPEC §5 item 1): names and ids compared as a Chinese reader expects.
//!
//! A run of ASCII digits compares by its numeric value (`9001` before `10001`), a run of Chinese
//! numerals (〇零一二两三四五六七八九十百千) by the number it writes (`二组` before `十组`),
//! everything else by Unicode code point, chunk by chunk; a number chunk sorts before a text
//! chunk at the same place; ties by code point of the whole string. Every order a report shows
//! and every serial it numbers follows [`natural_cmp`].

use std::cmp::Ordering;

/// One chunk of a string: a number, or one other character.
#[derive(Debug, PartialEq)]
enum Chunk {
    /// The value of a digit or numeral run (saturating: a run too long for u128 is huge).
    Number(u128),
    Char(char),
}

fn chinese_digit(c: char) -> Option<u128> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u128> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_unit(c).is_some()
}

/// The number a run of Chinese numerals writes: `十二` 12, `二十` 20, `一百零五` 105, `三五` 35
/// (digits without units read as a place-value number, as in `二〇二六`).
fn chinese_value(run: &[char]) -> u128 {
    if !run.iter().any(|c| chinese_unit(*c).is_some()) {
        return run.iter().fold(0u128, |v, c| v.saturating_mul(10).saturating_add(chinese_digit(*c).unwrap_or(0)));
    }
    let (mut total, mut digit) = (0u128, None::<u128>);
    for c in run {
        if let Some(d) = chinese_digit(*c) {
            digit = Some(d);
        } else if let Some(u) = chinese_unit(*c) {
            total = total.saturating_add(digit.unwrap_or(1).saturating_mul(u));
            digit = None;
        }
    }
    total.saturating_add(digit.unwrap_or(0))
}

fn chunks(s: &str) -> Vec<Chunk> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let mut v = 0u128;
            while i < chars.len() && chars[i].is_ascii_digit() {
                v = v.saturating_mul(10).saturating_add(u128::from(chars[i] as u32 - '0' as u32));
                i += 1;
            }
            out.push(Chunk::Number(v));
        } else if is_chinese_numeral(c) {
            let start = i;
            while i < chars.len() && is_chinese_numeral(chars[i]) {
                i += 1;
            }
            out.push(Chunk::Number(chinese_value(&chars[start..i])));
        } else {
            out.push(Chunk::Char(c));
            i += 1;
        }
    }
    out
}

/// Compare two names or ids in natural order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (x, y) = (chunks(a), chunks(b));
    for (p, q) in x.iter().zip(&y) {
        let o = match (p, q) {
            (Chunk::Number(m), Chunk::Number(n)) => m.cmp(n),
            (Chunk::Number(_), Chunk::Char(_)) => Ordering::Less,
            (Chunk::Char(_), Chunk::Number(_)) => Ordering::Greater,
            (Chunk::Char(c), Chunk::Char(d)) => c.cmp(d),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

/// A key that sorts in natural order (for `sort_by_key` and ordered maps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Natural(pub String);

impl PartialOrd for Natural {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Natural {
    fn cmp(&self, other: &Self) -> Ordering {
        natural_cmp(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(v: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn digits_by_value_chinese_numerals_by_the_number_they_write() {
        assert_eq!(sorted(&["10001", "9001", "900"]), ["900", "9001", "10001"]);
        assert_eq!(sorted(&["十组", "三组", "二组", "一组", "十一组"]), ["一组", "二组", "三组", "十组", "十一组"]);
        assert_eq!(sorted(&["A10", "A9", "A09", "B1"]), ["A09", "A9", "A10", "B1"], "ties by code point");
        assert_eq!(sorted(&["组x", "组1"]), ["组1", "组x"], "a number sorts before text at the same place");
        assert_eq!(sorted(&["一百零五", "二十", "九十九"]), ["二十", "九十九", "一百零五"]);
        assert_eq!(sorted(&["天琪团队", "鹏程团队"]), ["天琪团队", "鹏程团队"], "code point: 天 U+5929 < 鹏 U+9E4F");
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
    }

    #[test]
    fn numbers_too_long_for_any_integer_still_order() {
        let long = "9".repeat(60);
        assert_eq!(natural_cmp(&long, "1"), Ordering::Greater);
    }

    #[test]
    fn chinese_values() {
        let v = |s: &str| chinese_value(&s.chars().collect::<Vec<_>>());
        assert_eq!(v("十"), 10);
        assert_eq!(v("十二"), 12);
        assert_eq!(v("二十"), 20);
        assert_eq!(v("二十三"), 23);
        assert_eq!(v("一百零五"), 105);
        assert_eq!(v("二〇二六"), 2026);
        assert_eq!(v("两千"), 2000);
    }
}
