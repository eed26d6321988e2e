//! Calendar dates and months as the content uses them: plain local dates, no time zone.

use std::fmt;

/// A valid calendar date (years 1900–2199, which covers every rating period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// A calendar month, the unit the points committee awards in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Month {
    pub year: u16,
    pub month: u8,
}

impl Date {
    /// A date if the numbers make one, else None (2022-02-30 is None).
    pub fn new(year: i64, month: i64, day: i64) -> Option<Date> {
        if !(1900..=2199).contains(&year) || !(1..=12).contains(&month) || day < 1 {
            return None;
        }
        let (year, month, day) = (year as u16, month as u8, day as u8);
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// From a TOML datetime: only a plain date (`2022-11-05`) is accepted.
    pub fn from_toml(value: &toml::value::Datetime) -> Option<Date> {
        if value.time.is_some() || value.offset.is_some() {
            return None;
        }
        let d = value.date?;
        Date::new(i64::from(d.year), i64::from(d.month), i64::from(d.day))
    }

    pub fn month(self) -> Month {
        Month {
            year: self.year,
            month: self.month,
        }
    }

    /// RFC 3339 at midnight China time, for the Atom feed.
    pub fn rfc3339(self) -> String {
        format!("{self}T00:00:00+08:00")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Month {
    pub fn contains(self, date: Date) -> bool {
        date.month() == self
    }

    /// 2022年11月
    pub fn zh(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::new(2022, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2022, 13, 1).is_none());
        assert!(Date::new(1800, 1, 1).is_none());
    }

    #[test]
    fn toml_dates_must_be_plain() {
        let d: toml::value::Datetime = "2022-11-05".parse().unwrap();
        assert_eq!(Date::from_toml(&d).unwrap().to_string(), "2022-11-05");
        let dt: toml::value::Datetime = "2022-11-05T10:00:00".parse().unwrap();
        assert!(Date::from_toml(&dt).is_none());
    }
}
