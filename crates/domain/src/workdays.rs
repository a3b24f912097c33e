//! Working days, for response-time targets ("5 working days to first contact").
//!
//! Weekends are skipped. Bank holidays differ between the four nations and change every
//! year, so they are not guessed here; a target measured across one runs a day long.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The number of working days after `from` up to and including `to` (0 if `to <= from`).
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    if to <= from {
        return 0;
    }
    let days = (to - from).num_days();
    let full_weeks = days / 7;
    let mut count = full_weeks * 5;
    let mut d = from + Duration::days(full_weeks * 7);
    while d < to {
        d += Duration::days(1);
        if is_working_day(d) {
            count += 1;
        }
    }
    count
}

/// The date `n` working days after `from`.
pub fn add_working_days(from: NaiveDate, n: i64) -> NaiveDate {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if is_working_day(d) {
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
        assert_eq!(working_days_between(d(2026, 11, 20), d(2026, 11, 23)), 1);
        assert_eq!(working_days_between(d(2026, 11, 16), d(2026, 11, 23)), 5);
        assert_eq!(working_days_between(d(2026, 11, 23), d(2026, 11, 16)), 0);
        assert_eq!(add_working_days(d(2026, 11, 20), 5), d(2026, 11, 27));
    }

    #[test]
    fn counting_agrees_with_adding() {
        let start = d(2026, 1, 1);
        for n in 0..60 {
            let end = add_working_days(start, n);
            assert_eq!(working_days_between(start, end), n);
        }
    }
}
