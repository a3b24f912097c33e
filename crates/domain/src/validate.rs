//! Input validation that says what to fix. Every check adds a message for one field and
//! never throws away what was typed: the caller keeps the raw input to show it again.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

/// Longest single-line field we accept (names, references, contact details).
pub const SHORT_TEXT_MAX: usize = 200;
/// Longest free-text field we accept (reasons, notes, strengths).
pub const LONG_TEXT_MAX: usize = 10_000;

/// One problem with one field, in words the person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The form field or JSON property at fault.
    pub field: String,
    /// What to fix.
    pub message: String,
}

/// The problems found with one submission, in the order of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The message for a field, if it has one (forms show it beside the input).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
    /// Adds the problems found by another rule of the same form.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
    /// `Ok(value)` when nothing was wrong.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// A required single- or multi-line text: trimmed, not empty, not longer than `max`.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, format!("Enter {}", label.to_lowercase()));
    } else {
        check_len(errors, field, label, v, max);
    }
    v.to_string()
}

/// An optional text: trimmed; `None` when empty.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    check_len(errors, field, label, v, max);
    Some(v.to_string())
}

fn check_len(errors: &mut FieldErrors, field: &str, label: &str, v: &str, max: usize) {
    if let Some(message) = control_characters(label, v) {
        errors.add(field, message);
        return;
    }
    let n = v.chars().count();
    if n > max {
        errors.add(
            field,
            format!("{label} must be {max} characters or fewer (you entered {n})"),
        );
    }
}

/// Whether text holds a control character (Unicode category Cc: NUL, escape, delete and
/// the like) other than tab and line breaks: the message to show beside the field if so.
/// Format characters that names and scripts need (joiners, marks) are not controls, and
/// are kept.
pub fn control_characters(label: &str, v: &str) -> Option<String> {
    let bad = v
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    let what = match bad {
        '\0' => "a NUL character".to_string(),
        c => format!("a control character (U+{:04X})", c as u32),
    };
    Some(format!(
        "{label} contains {what}, which cannot be stored: remove it (it may have come with pasted text)"
    ))
}

/// Whether a date may lie in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Today or earlier (something that has happened).
    PastOrToday,
    /// Any real date.
    Any,
}

/// Reads a GOV.UK date input (day, month, year as typed). `None` with a message when the
/// date is missing, incomplete, not real or, for `When::PastOrToday`, after `today`.
#[allow(clippy::too_many_arguments)]
pub fn date_parts(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    day: &str,
    month: &str,
    year: &str,
    required: bool,
    when: When,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        if required {
            errors.add(field, format!("Enter {}", label.to_lowercase()));
        }
        return None;
    }
    let missing: Vec<&str> = [("a day", d), ("a month", m), ("a year", y)]
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        errors.add(
            field,
            format!("{label} must include {}", missing.join(" and ")),
        );
        return None;
    }
    let parsed = match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
        (Ok(d), Ok(m), Ok(y)) if (1900..=2200).contains(&y) && y.to_string().len() == 4 => {
            NaiveDate::from_ymd_opt(y, m, d)
        }
        _ => None,
    };
    check_date(errors, field, label, parsed, when, today)
}

/// Reads an ISO date (`YYYY-MM-DD`), as the API and filters send it.
pub fn iso_date(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    when: When,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2200).contains(&d.year()));
    if parsed.is_none() {
        errors.add(
            field,
            format!("{label} must be a real date in the form YYYY-MM-DD"),
        );
        return None;
    }
    check_date(errors, field, label, parsed, when, today)
}

fn check_date(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    parsed: Option<NaiveDate>,
    when: When,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match parsed {
        None => {
            errors.add(field, format!("{label} must be a real date"));
            None
        }
        Some(date) if when == When::PastOrToday && date > today => {
            errors.add(field, format!("{label} must be today or in the past"));
            None
        }
        Some(date) => Some(date),
    }
}

/// Reads a time of day as people write it: `21:30`, `21.30`, `2130`, `9:30pm`, `9.30 pm`,
/// `9pm`, `noon`, `midnight` (issue 11: "9.30pm" was refused). Empty is `None`: no time
/// is assumed.
pub fn time_of_day(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
) -> Option<NaiveTime> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match read_time(v) {
        Some(t) => Some(t),
        None => {
            errors.add(
                field,
                format!("{label} must be a time, like 21:30 or 9.30pm"),
            );
            None
        }
    }
}

/// A time of day from what a person typed, if it is one.
fn read_time(typed: &str) -> Option<NaiveTime> {
    let t: String = typed
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\u{2236}' { ':' } else { c })
        .collect();
    match t.as_str() {
        "noon" | "midday" | "12noon" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" | "12midnight" => return NaiveTime::from_hms_opt(0, 0, 0),
        _ => {}
    }
    let t = t.trim_end_matches('.');
    let (clock, half) = if let Some(x) = t.strip_suffix("am").or_else(|| t.strip_suffix("a.m")) {
        (x, Some(false))
    } else if let Some(x) = t.strip_suffix("pm").or_else(|| t.strip_suffix("p.m")) {
        (x, Some(true))
    } else {
        (t, None)
    };
    let (h, m): (&str, &str) = match clock.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        // "2130": four ASCII digits (split by bytes only once they are known to be).
        None if half.is_none() && clock.len() == 4 && clock.bytes().all(|b| b.is_ascii_digit()) => {
            clock.split_at(2)
        }
        None => (clock, "0"),
    };
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit());
    if !all_digits(h) || !(all_digits(m) && (m.len() == 2 || m == "0")) {
        return None;
    }
    let (mut h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match half {
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            h %= 12;
            if pm {
                h += 12;
            }
        }
        None if h > 23 => return None,
        None => {}
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Joins a date and an optional time (09:00 when no time is given).
pub fn at(date: NaiveDate, time: Option<NaiveTime>) -> NaiveDateTime {
    date.and_time(time.unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).expect("valid time")))
}

/// Reads a whole number in a range, e.g. a duration in minutes.
pub fn number_in_range(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
    required: bool,
) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.add(field, format!("Enter {}", label.to_lowercase()));
        }
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if range.contains(&n) => Some(n),
        Ok(_) | Err(_) => {
            errors.add(
                field,
                format!(
                    "{label} must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            );
            None
        }
    }
}

/// Reads a code from a closed vocabulary.
pub fn code<T: crate::Code>(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.add(field, format!("Select {}", label.to_lowercase()));
        }
        return None;
    }
    match T::parse(v) {
        Some(c) => Some(c),
        None => {
            errors.add(
                field,
                format!("Select {} from the list", label.to_lowercase()),
            );
            None
        }
    }
}

/// A date as sent: GOV.UK date parts from a form, or ISO text from the API.
#[derive(Debug, Clone, Default)]
pub enum RawDate {
    Parts {
        day: String,
        month: String,
        year: String,
    },
    Iso(String),
    #[default]
    Missing,
}

impl RawDate {
    /// Reads the date; `None` with a message when it is wrong (or missing and required).
    #[allow(clippy::too_many_arguments)]
    pub fn read(
        &self,
        e: &mut FieldErrors,
        field: &str,
        label: &str,
        required: bool,
        when: When,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        match self {
            RawDate::Parts { day, month, year } => {
                date_parts(e, field, label, day, month, year, required, when, today)
            }
            RawDate::Iso(s) if !s.trim().is_empty() => iso_date(e, field, label, s, when, today),
            _ => {
                if required {
                    e.add(field, format!("Enter {}", label.to_lowercase()));
                }
                None
            }
        }
    }
}

/// A moment that has happened: a required date, not in the future, and an optional
/// time. Without a time the moment is 09:00, or now for today before nine (as contacts).
#[allow(clippy::too_many_arguments)]
pub fn moment_past(
    e: &mut FieldErrors,
    date_field: &str,
    date_label: &str,
    date: &RawDate,
    time_field: &str,
    time_label: &str,
    time: &str,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let day = date.read(
        e,
        date_field,
        date_label,
        true,
        When::PastOrToday,
        now.date(),
    );
    let time = time_of_day(e, time_field, time_label, time);
    let at = at(day?, time);
    if at <= now {
        Some(at)
    } else if time.is_none() {
        Some(now)
    } else {
        e.add(time_field, format!("{time_label} must be now or earlier"));
        None
    }
}

/// A yes-or-no question: `yes`/`no` from a form, `true`/`false` from the API. `missing`
/// is the message when nothing was chosen, `wrong` when something else was sent.
pub fn yes_no(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    missing: &str,
    wrong: &str,
) -> Option<bool> {
    match value.trim() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        "" => {
            e.add(field, missing);
            None
        }
        _ => {
            e.add(field, wrong);
            None
        }
    }
}

/// A positive whole-number id chosen from a list; `None` when empty.
pub fn chosen_id<I: crate::ids::Id>(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
) -> Option<I> {
    if value.trim().is_empty() {
        return None;
    }
    match value.trim().parse::<I>() {
        Ok(id) => Some(id),
        _ => {
            e.add(field, format!("Select {label} from the list"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn dates_say_what_is_missing_or_wrong() {
        let mut e = FieldErrors::new();
        let cases = [
            ("", "11", "2026", "Date received must include a day"),
            ("31", "2", "2026", "Date received must be a real date"),
            ("1", "1", "26", "Date received must be a real date"),
            (
                "1",
                "1",
                "2027",
                "Date received must be today or in the past",
            ),
            ("x", "1", "2026", "Date received must be a real date"),
        ];
        for (d, m, y, msg) in cases {
            e = FieldErrors::new();
            let got = date_parts(
                &mut e,
                "received",
                "Date received",
                d,
                m,
                y,
                true,
                When::PastOrToday,
                today(),
            );
            assert_eq!(got, None);
            assert_eq!(e.get("received"), Some(msg), "{d}/{m}/{y}");
        }
        assert!(e.get("other").is_none());
        let mut e = FieldErrors::new();
        assert_eq!(
            date_parts(
                &mut e,
                "r",
                "Date",
                " 22 ",
                "11",
                "2026",
                true,
                When::PastOrToday,
                today()
            ),
            Some(today())
        );
        assert!(e.is_empty());
    }

    #[test]
    fn control_characters_are_refused_and_joiners_kept() {
        for bad in ["abc\u{0}def", "a\u{1b}[31m", "x\u{7f}", "a\u{85}b"] {
            let mut e = FieldErrors::new();
            optional_text(&mut e, "n", "Name", bad, 100);
            assert!(e.get("n").unwrap().contains("cannot be stored"), "{bad:?}");
        }
        let mut e = FieldErrors::new();
        // Tab, line breaks, a zero-width joiner and a combining mark are text.
        for good in ["a\tb\r\nc", "\u{915}\u{94d}\u{200d}\u{937}", "Zoe\u{301}"] {
            required_text(&mut e, "n", "Name", good, 100);
        }
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        let mut e = FieldErrors::new();
        assert_eq!(required_text(&mut e, "n", "Name", "  Ash ", 10), "Ash");
        assert!(e.is_empty());
        required_text(&mut e, "n", "Name", "   ", 10);
        assert_eq!(e.get("n"), Some("Enter name"));
        let mut e = FieldErrors::new();
        required_text(&mut e, "n", "Name", &"x".repeat(11), 10);
        assert_eq!(
            e.get("n"),
            Some("Name must be 10 characters or fewer (you entered 11)")
        );
    }

    #[test]
    fn numbers_and_codes() {
        let mut e = FieldErrors::new();
        assert_eq!(
            number_in_range(&mut e, "d", "Duration", "600", 1..=480, false),
            None
        );
        assert!(e.get("d").unwrap().contains("from 1 to 480"));
        let mut e = FieldErrors::new();
        let t: Option<crate::referral::Threshold> = code(&mut e, "t", "Threshold", "extreme", true);
        assert_eq!(t, None);
        assert_eq!(e.get("t"), Some("Select threshold from the list"));
    }

    #[test]
    fn times_are_read_as_people_write_them() {
        let read = |s: &str| {
            let mut e = FieldErrors::new();
            super::time_of_day(&mut e, "t", "The time", s).map(|t| t.format("%H:%M").to_string())
        };
        for (typed, want) in [
            ("21:30", "21:30"),
            ("21.30", "21:30"),
            ("2130", "21:30"),
            ("9:30pm", "21:30"),
            ("9.30pm", "21:30"),
            ("9.30 PM", "21:30"),
            ("9pm", "21:00"),
            ("9 am", "09:00"),
            ("12am", "00:00"),
            ("12pm", "12:00"),
            ("12.15am", "00:15"),
            ("noon", "12:00"),
            ("Midnight", "00:00"),
            ("09:05", "09:05"),
            ("7.30p.m.", "19:30"),
        ] {
            assert_eq!(read(typed).as_deref(), Some(want), "{typed}");
        }
        for bad in [
            "25:00",
            "13pm",
            "0am",
            "9.3pm",
            "21:60",
            "half nine",
            "9:30:00",
            "1.2.3",
            // Characters of several bytes are refused, never sliced (schemathesis found a
            // four-byte one panicking here).
            "\u{65fdb}",
            "ab\u{e9}",
            "\u{e9}\u{e9}",
            "1\u{e9}",
        ] {
            let mut e = FieldErrors::new();
            assert!(
                super::time_of_day(&mut e, "t", "The time", bad).is_none(),
                "{bad}"
            );
            assert_eq!(
                e.get("t"),
                Some("The time must be a time, like 21:30 or 9.30pm"),
                "{bad}"
            );
        }
    }
}
