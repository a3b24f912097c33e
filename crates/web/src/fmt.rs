//! Dates and times as GOV.UK writes them ("22 November 2026", "9:05am").

use alongside_domain::referral::{ReferralStatus, Threshold};
use alongside_domain::Code;
use chrono::{NaiveDate, NaiveDateTime, Timelike};

pub fn date(d: &NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub fn opt_date(d: &Option<NaiveDate>) -> String {
    d.as_ref().map(date).unwrap_or_default()
}

pub fn time(t: &NaiveDateTime) -> String {
    let (pm, h) = t.hour12();
    format!("{}:{:02}{}", h, t.minute(), if pm { "pm" } else { "am" })
}

pub fn datetime(t: &NaiveDateTime) -> String {
    format!("{} at {}", date(&t.date()), time(t))
}

/// When a chronology event happened: a referral is received on a day, so its day alone
/// (never "at 12:00am"); everything else with its time.
pub fn event_when(kind: &alongside_domain::family::ChronologyKind, t: &NaiveDateTime) -> String {
    match kind {
        alongside_domain::family::ChronologyKind::Referral => date(&t.date()),
        _ => datetime(t),
    }
}

/// The UK date of a moment stored in UTC.
pub fn utc_date(t: &chrono::DateTime<chrono::Utc>) -> String {
    date(&alongside_domain::clock::uk_local(*t).date())
}

/// The UK date and time of a moment stored in UTC.
pub fn utc_datetime(t: &chrono::DateTime<chrono::Utc>) -> String {
    datetime(&alongside_domain::clock::uk_local(*t))
}

pub fn opt_utc_datetime(t: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.as_ref().map(utc_datetime).unwrap_or_default()
}

/// The tag colour of a threshold: the higher the risk, the stronger the colour.
pub fn threshold_class(t: &Option<Threshold>) -> &'static str {
    match t {
        Some(Threshold::High) => "govuk-tag--red",
        Some(Threshold::Medium) => "govuk-tag--orange",
        Some(Threshold::Low) => "govuk-tag--green",
        None => "govuk-tag--grey",
    }
}

pub fn threshold_label(t: &Option<Threshold>) -> &'static str {
    t.map(|t| t.label()).unwrap_or("Not set")
}

/// The tag colour of a referral's status.
pub fn status_class(s: &ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::AwaitingTriage => "govuk-tag--yellow",
        ReferralStatus::Accepted => "govuk-tag--blue",
        ReferralStatus::Signposted | ReferralStatus::Closed => "govuk-tag--grey",
    }
}

pub use alongside_domain::text::opening;

/// When something recorded says it happened: the time given, the words given, or both.
pub fn when(at: &Option<NaiveDateTime>, approx: &Option<String>) -> Option<String> {
    match (at, approx) {
        (Some(t), Some(a)) => Some(format!("{} ({a})", datetime(t))),
        (Some(t), None) => Some(datetime(t)),
        (None, Some(a)) => Some(a.clone()),
        (None, None) => None,
    }
}

/// A child's age on a day, as a list shows it: "aged 14".
pub fn age_on(born: NaiveDate, today: NaiveDate) -> String {
    match today.years_since(born) {
        Some(y) => format!("aged {y}"),
        None => "not born yet".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_govuk() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(13, 5, 0)
            .unwrap();
        assert_eq!(datetime(&t), "2 November 2026 at 1:05pm");
        let t = NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(0, 30, 0)
            .unwrap();
        assert_eq!(time(&t), "12:30am");
    }
}
