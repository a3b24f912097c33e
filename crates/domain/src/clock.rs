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

/// The instant a UK local date and time names (the earlier, when the clocks go back; the
/// moment after the gap, when they go forward).
pub fn uk_instant(t: NaiveDateTime) -> DateTime<Utc> {
    use chrono::TimeZone;
    match London.from_local_datetime(&t) {
        chrono::LocalResult::Single(x) | chrono::LocalResult::Ambiguous(x, _) => {
            x.with_timezone(&Utc)
        }
        chrono::LocalResult::None => London
            .from_local_datetime(&(t + chrono::Duration::hours(1)))
            .earliest()
            .map_or_else(|| t.and_utc(), |x| x.with_timezone(&Utc)),
    }
}

/// Serialises a UK local date and time as the UTC instant it names, RFC 3339 with `Z`
/// ("2026-11-25T06:18:30Z"), as the API promises.
pub fn uk_as_utc<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&uk_instant(*t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// [`uk_as_utc`] for an optional one (`null` when absent).
pub fn uk_as_utc_opt<S: serde::Serializer>(
    t: &Option<NaiveDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => uk_as_utc(t, s),
        None => s.serialize_none(),
    }
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
        assert_eq!(uk_instant(uk_local(summer)), summer);
        assert_eq!(uk_instant(uk_local(winter)), winter);
        // 01:30 on the last Sunday of March does not exist in the UK: the hour after.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(uk_instant(gap).to_string(), "2026-03-29 01:30:00 UTC");
    }
}
