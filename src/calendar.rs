//! Months and dates: the calendar arithmetic the rules need, and nothing more.
//!
//! A [`YearMonth`] names a reporting month (`2026-10`); a [`Date`] is a civil date. Both order
//! chronologically and print in ISO form.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A reporting month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Self { year, month })
    }

    /// Parse `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        if !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn days(&self) -> u32 {
        days_in_month(self.year, self.month)
    }
    pub fn first_day(&self) -> Date {
        Date { year: self.year, month: self.month, day: 1 }
    }
    pub fn last_day(&self) -> Date {
        Date { year: self.year, month: self.month, day: self.days() }
    }
    pub fn prev(&self) -> Self {
        if self.month == 1 {
            Self { year: self.year - 1, month: 12 }
        } else {
            Self { year: self.year, month: self.month - 1 }
        }
    }
    pub fn next(&self) -> Self {
        if self.month == 12 {
            Self { year: self.year + 1, month: 1 }
        } else {
            Self { year: self.year, month: self.month + 1 }
        }
    }
    /// `YYYYMM`, as in serial numbers.
    pub fn compact(&self) -> String {
        format!("{:04}{:02}", self.year, self.month)
    }
    /// Whether `d` falls in this month.
    pub fn contains(&self, d: Date) -> bool {
        d.year == self.year && d.month == self.month
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A civil date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        (day >= 1 && day <= days_in_month(year, month)).then_some(Self { year, month, day })
    }

    pub fn year_month(&self) -> YearMonth {
        YearMonth { year: self.year, month: self.month }
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn to_days(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Self {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Self { year: (y + i64::from(m <= 2)) as i32, month: m, day: d }
    }

    /// The Excel serial day number of the date (1900 system): the inverse of
    /// [`Date::from_excel_serial`].
    pub fn to_excel_serial(&self) -> f64 {
        let s = self.to_days() + 25_569;
        (if s < 61 { s - 1 } else { s }) as f64
    }

    /// The date of an Excel serial day number (1900 system, with Excel's 1900-02-29).
    pub fn from_excel_serial(serial: f64) -> Option<Self> {
        if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let mut days = serial.floor() as i64;
        if days < 61 {
            // Excel's phantom 1900-02-29: serials before it are one day off.
            days += 1;
        }
        // Serial 25569 is 1970-01-01.
        let d = Self::from_days(days - 25_569);
        Self::new(d.year, d.month, d.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

// Months and dates are written as `2026-10` and `2026-10-08` in every file this tool keeps
// (caches, archived contexts, close records), so that a person can read them.
impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        YearMonth::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a month YYYY-MM")))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || serde::de::Error::custom(format!("{s:?} is not a date YYYY-MM-DD"));
        let p: Vec<&str> = s.split('-').collect();
        let [y, m, day] = p.as_slice() else { return Err(bad()) };
        let (y, m, day) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, day.parse().map_err(|_| bad())?);
        Date::new(y, m, day).ok_or_else(bad)
    }
}

/// The UTC time now, as `2026-11-05T08:30:00Z`.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let day = Date::from_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}Z", t / 3600, t % 3600 / 60, t % 60)
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_lengths() {
        assert_eq!(YearMonth::parse("2026-02").unwrap().days(), 28);
        assert_eq!(YearMonth::parse("2024-02").unwrap().days(), 29);
        assert_eq!(YearMonth::parse("2026-09").unwrap().days(), 30);
        assert_eq!(YearMonth::parse("2026-10").unwrap().days(), 31);
    }

    #[test]
    fn parse_rejects_nonsense() {
        assert!(YearMonth::parse("2026-13").is_none());
        assert!(YearMonth::parse("2026/10").is_none());
        assert!(YearMonth::parse("26-10").is_none());
        assert_eq!(YearMonth::parse("2026-1").unwrap().to_string(), "2026-01");
    }

    #[test]
    fn excel_serials() {
        assert_eq!(Date::from_excel_serial(46303.0).unwrap().to_string(), "2026-10-08");
        assert_eq!(Date::from_excel_serial(25569.0).unwrap().to_string(), "1970-01-01");
        assert_eq!(Date::from_excel_serial(1.0).unwrap().to_string(), "1900-01-01");
        assert!(Date::from_excel_serial(-3.0).is_none());
        for s in [1.0, 59.0, 61.0, 25569.0, 46303.0] {
            assert_eq!(Date::from_excel_serial(s).unwrap().to_excel_serial(), s);
        }
    }

    #[test]
    fn days_round_trip() {
        for z in [-1000i64, 0, 365, 20000, 20454] {
            assert_eq!(Date::from_days(z).to_days(), z);
        }
    }
}
