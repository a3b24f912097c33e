//! Working days, for response-time targets ("5 working days to first contact").
//!
//! Weekends are skipped, and so are the bank holidays of the hub's nation: the UK's
//! published ones ship in `data/uk-bank-holidays.csv` (England and Wales, Scotland,
//! Northern Ireland; written by `scripts/bank-holidays.py` from PyPI's `holidays`), and a
//! hub's administrator adds any the file does not have (a one-off, or the years after).

use std::collections::BTreeSet;

use crate::Code;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

crate::code_enum! {
    /// Which of the UK's sets of bank holidays a hub keeps.
    Nation {
        EnglandAndWales => "england_and_wales", "England and Wales";
        Scotland => "scotland", "Scotland";
        NorthernIreland => "northern_ireland", "Northern Ireland";
    }
}

const SHIPPED: &str = include_str!("../data/uk-bank-holidays.csv");

/// The bank holidays shipped for a nation: (day, name), in order.
pub fn shipped(nation: Nation) -> Vec<(NaiveDate, &'static str)> {
    SHIPPED
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (n, rest) = line.split_once(',')?;
            let (day, title) = rest.split_once(',')?;
            (n == nation.code()).then_some(())?;
            Some((day.parse().ok()?, title.trim_matches('"')))
        })
        .collect()
}

/// The days that are not working days besides weekends.
#[derive(Debug, Clone, Default)]
pub struct Holidays {
    days: BTreeSet<NaiveDate>,
}

impl Holidays {
    /// No bank holidays: weekends only.
    pub fn none() -> Self {
        Self::default()
    }

    /// A nation's shipped bank holidays and the hub's own additions.
    pub fn of(nation: Nation, added: impl IntoIterator<Item = NaiveDate>) -> Self {
        let mut days: BTreeSet<NaiveDate> = shipped(nation).into_iter().map(|(d, _)| d).collect();
        days.extend(added);
        Holidays { days }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.days.contains(&d)
    }

    fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.contains(d)
    }
}

/// The number of working days after `from` up to and including `to` (0 if `to <= from`).
pub fn working_days_between(from: NaiveDate, to: NaiveDate, holidays: &Holidays) -> i64 {
    if to <= from {
        return 0;
    }
    let days = (to - from).num_days();
    let full_weeks = days / 7;
    let mut count = full_weeks * 5;
    let mut d = from + Duration::days(full_weeks * 7);
    while d < to {
        d += Duration::days(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
    }
    // Bank holidays on weekdays in the span do not count.
    count
        - holidays
            .days
            .range(from + Duration::days(1)..=to)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count() as i64
}

/// The date `n` working days after `from`.
pub fn add_working_days(from: NaiveDate, n: i64, holidays: &Holidays) -> NaiveDate {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if holidays.is_working_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekends_do_not_count() {
        // Friday 20 Nov 2026 to Monday 23 Nov 2026 is one working day.
        let none = Holidays::none();
        assert_eq!(
            working_days_between(d(2026, 11, 20), d(2026, 11, 23), &none),
            1
        );
        assert_eq!(
            working_days_between(d(2026, 11, 16), d(2026, 11, 23), &none),
            5
        );
        assert_eq!(
            working_days_between(d(2026, 11, 23), d(2026, 11, 16), &none),
            0
        );
        assert_eq!(add_working_days(d(2026, 11, 20), 5, &none), d(2026, 11, 27));
    }

    #[test]
    fn counting_agrees_with_adding() {
        for nation in Nation::ALL {
            let h = Holidays::of(*nation, [d(2026, 6, 9)]);
            for start in [d(2026, 1, 1), d(2026, 3, 27), d(2026, 12, 18)] {
                for n in 0..60 {
                    let end = add_working_days(start, n, &h);
                    assert_eq!(
                        working_days_between(start, end, &h),
                        n,
                        "{nation:?} {start} {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn each_nation_keeps_its_own_bank_holidays() {
        let ew = Holidays::of(Nation::EnglandAndWales, []);
        let sc = Holidays::of(Nation::Scotland, []);
        let ni = Holidays::of(Nation::NorthernIreland, []);
        // Easter Monday 2026: England and Wales and Northern Ireland, not Scotland.
        assert!(
            ew.contains(d(2026, 4, 6)) && ni.contains(d(2026, 4, 6)) && !sc.contains(d(2026, 4, 6))
        );
        // St Andrew's Day (Scotland), St Patrick's Day (Northern Ireland).
        assert!(sc.contains(d(2026, 11, 30)) && !ew.contains(d(2026, 11, 30)));
        assert!(ni.contains(d(2026, 3, 17)) && !ew.contains(d(2026, 3, 17)));
        // Christmas week 2026: Friday 25th and Monday 28th (Boxing Day observed) are not
        // working days, so Thursday 24th to Tuesday 29th is one working day.
        assert_eq!(
            working_days_between(d(2026, 12, 24), d(2026, 12, 29), &ew),
            1
        );
        assert_eq!(add_working_days(d(2026, 12, 24), 1, &ew), d(2026, 12, 29));
        // The years shipped, each with its holidays.
        for year in 2024..=2030 {
            for nation in Nation::ALL {
                let n = shipped(*nation)
                    .iter()
                    .filter(|(day, _)| day.year() == year)
                    .count();
                assert!(n >= 8, "{nation:?} {year}: {n}");
            }
        }
        // A hub's own addition counts too.
        let h = Holidays::of(Nation::EnglandAndWales, [d(2031, 1, 1)]);
        assert!(h.contains(d(2031, 1, 1)));
    }
}
