//! Wall-clock time as the people who use Alongside live it: UK local time. Workers and
//! parents type local dates and times ("14:30 on 30 March"); the system clock is UTC.
//! Dates and times people enter, and "today" and "now" they are checked against, are
//! UK local; audit events and technical timestamps stay in UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Europe::London;

/// The UK local date and time of an instant.
pub fn uk_local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&London).naive_local()
}

/// The UK local date of an instant.
pub fn uk_today(t: DateTime<Utc>) -> NaiveDate {
    uk_local(t).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn summer_time_is_an_hour_ahead_and_winter_time_is_utc() {
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(uk_local(summer).to_string(), "2026-07-02 00:30:00");
        assert_eq!(uk_today(summer).to_string(), "2026-07-02");
        let winter = Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap();
        assert_eq!(uk_local(winter).to_string(), "2026-11-22 23:30:00");
    }
}
