//! Missing episodes (issue 12): when a child was last seen and where, whether and when it
//! was reported to the police (their reference and risk grading), what the family did to
//! find them, Part 2 of the Philomena profile (clothing, possessions, state of mind), and
//! when, where and by whom they were found or came back, with the police's search nights
//! for the cost figures. A parent or carer can open one in a few taps from the portal
//! ([`NewMissingNow::parse`]); the rest is completed later ([`EpisodeDetails::parse`]).

use crate::code_enum;
use crate::ids::MemberId;
use crate::validate::{self as v, FieldErrors, RawDate, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

code_enum! {
    /// The police's grading of the risk to a missing child.
    RiskGrading {
        High => "high", "High risk";
        Medium => "medium", "Medium risk";
        Low => "low", "Low risk";
        NotKnown => "not_known", "Not known yet";
    }
}

code_enum! {
    /// Who found the child, or how they came back.
    FoundBy {
        Parent => "parent", "Their parent or carer";
        Police => "police", "The police";
        CameBack => "came_back", "They came back by themselves";
        Other => "other", "Someone else";
    }
}

/// How many episodes in how many days call for the plan to be reviewed.
pub const PATTERN_EPISODES: i64 = 3;
pub const PATTERN_DAYS: i64 = 90;
/// The most police search nights one episode records.
pub const SEARCH_NIGHTS_MAX: i64 = 365;

/// "My child is missing now", as a parent sends it: which child, and (if they know)
/// when and where they were last seen.
#[derive(Debug, Clone, Default)]
pub struct RawMissingNow {
    pub child: String,
    pub last_seen_time: String,
    pub last_seen_where: String,
}

/// A missing episode opened now.
#[derive(Debug, Clone)]
pub struct NewMissingNow {
    child: MemberId,
    last_seen_at: NaiveDateTime,
    last_seen_where: Option<String>,
}

impl NewMissingNow {
    /// Reads it. A time later than now is taken as yesterday's (a parent at 1 a.m.
    /// writing "10pm").
    pub fn parse(raw: &RawMissingNow, now: NaiveDateTime) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let child = v::chosen_id::<MemberId>(&mut e, "child", "Your child", &raw.child);
        if child.is_none() && raw.child.trim().is_empty() {
            e.add("child", "Choose which child is missing");
        }
        let time = v::time_of_day(
            &mut e,
            "last-seen-time",
            "When you last saw them",
            &raw.last_seen_time,
        );
        let last_seen_where = v::optional_text(
            &mut e,
            "last-seen-where",
            "Where they were last seen",
            &raw.last_seen_where,
            LONG_TEXT_MAX,
        );
        let last_seen_at = match time {
            Some(t) => {
                let today = now.date().and_time(t);
                if today > now {
                    today - chrono::Duration::days(1)
                } else {
                    today
                }
            }
            None => now,
        };
        let child = e.finish(child)?;
        Ok(Self {
            child: child.unwrap_or(MemberId::new(0)),
            last_seen_at,
            last_seen_where,
        })
    }
    pub fn child(&self) -> MemberId {
        self.child
    }
    pub fn last_seen_at(&self) -> NaiveDateTime {
        self.last_seen_at
    }
    pub fn last_seen_where(&self) -> Option<&str> {
        self.last_seen_where.as_deref()
    }
}

/// An episode's details as sent (a worker's form, or a parent's later). Form fields:
/// `last-seen` (date parts) and `last-seen-time`, `last-seen-where`, `last-seen-with`,
/// `reported` (`yes`/`no`), `reported-on` (date parts) and `reported-time`,
/// `reported-by`, `police-reference`, `risk`, `searches`, `clothing`, `possessions`,
/// `state-of-mind`, `returned` (date parts) and `returned-time`, `found-where`,
/// `found-by`, `found-with`, `how-returned`, `search-nights`.
#[derive(Debug, Clone, Default)]
pub struct RawEpisode {
    pub last_seen: RawDate,
    pub last_seen_time: String,
    pub last_seen_where: String,
    pub last_seen_with: String,
    pub reported: String,
    pub reported_on: RawDate,
    pub reported_time: String,
    pub reported_by: String,
    pub police_reference: String,
    pub risk: String,
    pub searches: String,
    pub clothing: String,
    pub possessions: String,
    pub state_of_mind: String,
    pub returned: RawDate,
    pub returned_time: String,
    pub found_where: String,
    pub found_by: String,
    pub found_with: String,
    pub how_returned: String,
    pub search_nights: String,
}

/// What an episode says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EpisodeDetails {
    #[serde(serialize_with = "crate::clock::uk_as_utc")]
    pub last_seen_at: NaiveDateTime,
    pub last_seen_where: Option<String>,
    pub last_seen_with: Option<String>,
    #[serde(serialize_with = "crate::clock::uk_as_utc_opt")]
    pub reported_at: Option<NaiveDateTime>,
    pub reported_by: Option<String>,
    pub police_reference: Option<String>,
    pub risk: Option<RiskGrading>,
    pub searches: Option<String>,
    pub clothing: Option<String>,
    pub possessions: Option<String>,
    pub state_of_mind: Option<String>,
    #[serde(serialize_with = "crate::clock::uk_as_utc_opt")]
    pub returned_at: Option<NaiveDateTime>,
    pub found_where: Option<String>,
    pub found_by: Option<FoundBy>,
    pub found_with: Option<String>,
    pub how_returned: Option<String>,
    pub search_nights: i64,
}

impl EpisodeDetails {
    pub fn parse(raw: &RawEpisode, now: NaiveDateTime) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let last_seen_at = v::moment_past(
            &mut e,
            "last-seen",
            "When they were last seen",
            &raw.last_seen,
            "last-seen-time",
            "The time they were last seen",
            &raw.last_seen_time,
            now,
        );
        let text = |e: &mut FieldErrors, f: &str, l: &str, x: &str| {
            v::optional_text(e, f, l, x, LONG_TEXT_MAX)
        };
        let last_seen_where = text(
            &mut e,
            "last-seen-where",
            "Where they were last seen",
            &raw.last_seen_where,
        );
        let last_seen_with = text(
            &mut e,
            "last-seen-with",
            "Who they were with",
            &raw.last_seen_with,
        );
        let reported = match raw.reported.trim() {
            "" | "no" | "false" => false,
            "yes" | "true" => true,
            _ => {
                e.add("reported", "Choose yes or no");
                false
            }
        };
        let reported_at = if reported {
            let day = raw.reported_on.read(
                &mut e,
                "reported-on",
                "When it was reported",
                true,
                When::PastOrToday,
                now.date(),
            );
            let time = v::time_of_day(
                &mut e,
                "reported-time",
                "The time it was reported",
                &raw.reported_time,
            );
            day.map(|d| v::at(d, time))
        } else {
            None
        };
        let reported_by = if reported {
            v::optional_text(
                &mut e,
                "reported-by",
                "Who reported it",
                &raw.reported_by,
                SHORT_TEXT_MAX,
            )
        } else {
            None
        };
        let police_reference = if reported {
            v::optional_text(
                &mut e,
                "police-reference",
                "The police reference",
                &raw.police_reference,
                SHORT_TEXT_MAX,
            )
        } else {
            None
        };
        let risk = if reported {
            v::code::<RiskGrading>(
                &mut e,
                "risk",
                "The police's risk grading",
                &raw.risk,
                false,
            )
        } else {
            None
        };
        let searches = text(
            &mut e,
            "searches",
            "What the family did to find them",
            &raw.searches,
        );
        let clothing = text(&mut e, "clothing", "What they were wearing", &raw.clothing);
        let possessions = text(
            &mut e,
            "possessions",
            "What they had with them",
            &raw.possessions,
        );
        let state_of_mind = text(
            &mut e,
            "state-of-mind",
            "How they seemed",
            &raw.state_of_mind,
        );
        let returned_day = raw.returned.read(
            &mut e,
            "returned",
            "When they were found or came back",
            false,
            When::PastOrToday,
            now.date(),
        );
        let returned_time = v::time_of_day(
            &mut e,
            "returned-time",
            "The time they were found or came back",
            &raw.returned_time,
        );
        let returned_at = returned_day.map(|d| v::at(d, returned_time));
        if let (Some(r), Some(l)) = (returned_at, last_seen_at) {
            if r < l {
                e.add("returned", "They cannot have come back before they were last seen: check both dates and times");
            }
        }
        if let Some(r) = returned_at {
            if r > now {
                e.add(
                    "returned-time",
                    "The time they were found or came back must be now or earlier",
                );
            }
        }
        let found_by = v::code::<FoundBy>(
            &mut e,
            "found-by",
            "Who found them",
            &raw.found_by,
            returned_at.is_some(),
        );
        let found_where = text(
            &mut e,
            "found-where",
            "Where they were found",
            &raw.found_where,
        );
        let found_with = text(&mut e, "found-with", "Who they were with", &raw.found_with);
        let how_returned = text(
            &mut e,
            "how-returned",
            "How they got back",
            &raw.how_returned,
        );
        let search_nights = v::number_in_range(
            &mut e,
            "search-nights",
            "Police search nights",
            &raw.search_nights,
            0..=SEARCH_NIGHTS_MAX,
            false,
        )
        .unwrap_or(0);
        let last_seen_at = e.finish(last_seen_at)?;
        Ok(Self {
            last_seen_at: last_seen_at.unwrap_or(now),
            last_seen_where,
            last_seen_with,
            reported_at,
            reported_by,
            police_reference,
            risk,
            searches,
            clothing,
            possessions,
            state_of_mind,
            returned_at,
            found_where,
            found_by,
            found_with,
            how_returned,
            search_nights,
        })
    }

    /// Whether the child is still missing.
    pub fn open(&self) -> bool {
        self.returned_at.is_none()
    }
}

/// Whether a child's episodes (their dates last seen) call for their plan to be
/// reviewed: [`PATTERN_EPISODES`] or more within [`PATTERN_DAYS`] days up to `today`.
pub fn pattern_flag(last_seen: &[NaiveDate], today: NaiveDate) -> bool {
    let since = today - chrono::Duration::days(PATTERN_DAYS);
    last_seen
        .iter()
        .filter(|d| **d > since && **d <= today)
        .count() as i64
        >= PATTERN_EPISODES
}

code_enum! {
    /// What became of the return-home interview after an episode.
    InterviewOutcome {
        Held => "held", "Held";
        Declined => "declined", "Offered, and the child declined";
        NotHeld => "not_held", "Decided not to hold one";
    }
}

/// The return-home interview is offered within this many hours of the child's return
/// (DfE statutory guidance, 2014).
pub const INTERVIEW_HOURS: i64 = 72;

/// The return-home interview as sent. Form fields: `offered` (date parts) and
/// `offered-time`, `offered-by`, `independent` (`yes`/`no`), `outcome`, `declined-info`,
/// `not-held-reason`, `where-went`, `with-whom`, `travel`, `push-factors`,
/// `pull-factors`, `indicators`.
#[derive(Debug, Clone, Default)]
pub struct RawInterview {
    pub offered: RawDate,
    pub offered_time: String,
    pub offered_by: String,
    pub independent: String,
    pub outcome: String,
    pub declined_info: String,
    pub not_held_reason: String,
    pub where_went: String,
    pub with_whom: String,
    pub travel: String,
    pub push_factors: String,
    pub pull_factors: String,
    pub indicators: String,
}

/// A return-home interview, as its rules leave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Interview {
    pub outcome: InterviewOutcome,
    #[serde(serialize_with = "crate::clock::uk_as_utc_opt")]
    pub offered_at: Option<NaiveDateTime>,
    pub offered_by: Option<String>,
    /// Offered by someone independent of the child's care.
    pub independent: Option<bool>,
    /// Declined: the information offered to the carers instead.
    pub declined_info: Option<String>,
    /// Not held: why.
    pub not_held_reason: Option<String>,
    pub where_went: Option<String>,
    pub with_whom: Option<String>,
    pub travel: Option<String>,
    pub push_factors: Option<String>,
    pub pull_factors: Option<String>,
    pub indicators: Option<String>,
}

impl Interview {
    /// Reads it for an episode the child came back from at `returned_at`.
    pub fn parse(
        raw: &RawInterview,
        returned_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let outcome = v::code::<InterviewOutcome>(
            &mut e,
            "outcome",
            "What became of the interview",
            &raw.outcome,
            true,
        );
        let offered_required = matches!(
            outcome,
            Some(InterviewOutcome::Held | InterviewOutcome::Declined)
        );
        let offered_day = raw.offered.read(
            &mut e,
            "offered",
            "When it was offered",
            offered_required,
            When::PastOrToday,
            now.date(),
        );
        let offered_time = v::time_of_day(
            &mut e,
            "offered-time",
            "The time it was offered",
            &raw.offered_time,
        );
        let offered_at = offered_day.map(|d| v::at(d, offered_time));
        if offered_at.is_some_and(|o| o.date() < returned_at.date()) {
            e.add(
                "offered",
                "The interview is offered after they came back: check the date",
            );
        }
        let offered_by = v::optional_text(
            &mut e,
            "offered-by",
            "Who offered it",
            &raw.offered_by,
            SHORT_TEXT_MAX,
        );
        if offered_required && offered_by.is_none() && e.get("offered-by").is_none() {
            e.add("offered-by", "Enter who offered it");
        }
        let independent = match raw.independent.trim() {
            "yes" | "true" => Some(true),
            "no" | "false" => Some(false),
            _ => None,
        };
        let text = |e: &mut FieldErrors, f: &str, l: &str, x: &str| {
            v::optional_text(e, f, l, x, LONG_TEXT_MAX)
        };
        let declined_info = text(
            &mut e,
            "declined-info",
            "What was offered to the carers instead",
            &raw.declined_info,
        );
        if outcome == Some(InterviewOutcome::Declined)
            && declined_info.is_none()
            && e.get("declined-info").is_none()
        {
            e.add(
                "declined-info",
                "Say what information was offered to the parents or carers instead",
            );
        }
        let not_held_reason = text(
            &mut e,
            "not-held-reason",
            "Why it was not held",
            &raw.not_held_reason,
        );
        if outcome == Some(InterviewOutcome::NotHeld)
            && not_held_reason.is_none()
            && e.get("not-held-reason").is_none()
        {
            e.add("not-held-reason", "Say why it was decided not to hold one");
        }
        let where_went = text(&mut e, "where-went", "Where they went", &raw.where_went);
        let with_whom = text(&mut e, "with-whom", "Who they were with", &raw.with_whom);
        let travel = text(&mut e, "travel", "How they travelled", &raw.travel);
        let push_factors = text(
            &mut e,
            "push-factors",
            "What pushed them to go",
            &raw.push_factors,
        );
        let pull_factors = text(
            &mut e,
            "pull-factors",
            "What pulled them away",
            &raw.pull_factors,
        );
        let indicators = text(
            &mut e,
            "indicators",
            "Signs of exploitation",
            &raw.indicators,
        );
        let outcome = e.finish(outcome)?;
        Ok(Self {
            outcome: outcome.unwrap_or(InterviewOutcome::NotHeld),
            offered_at,
            offered_by,
            independent,
            declined_info,
            not_held_reason,
            where_went,
            with_whom,
            travel,
            push_factors,
            pull_factors,
            indicators,
        })
    }
}

/// When the return-home interview is due to have been offered by.
pub fn interview_due(returned_at: NaiveDateTime) -> NaiveDateTime {
    returned_at + chrono::Duration::hours(INTERVIEW_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap()
    }

    #[test]
    fn missing_now_at_night_reads_a_late_time_as_yesterday() {
        let m = NewMissingNow::parse(
            &RawMissingNow {
                child: "4".into(),
                last_seen_time: "10pm".into(),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
        assert_eq!(
            m.last_seen_at().date(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        let e = NewMissingNow::parse(&RawMissingNow::default(), now()).unwrap_err();
        assert_eq!(e.0[0].field, "child");
    }

    #[test]
    fn a_return_before_the_departure_is_refused() {
        let raw = RawEpisode {
            last_seen: RawDate::Iso("2026-11-29".into()),
            last_seen_time: "20:00".into(),
            returned: RawDate::Iso("2026-11-29".into()),
            returned_time: "19:00".into(),
            found_by: "parent".into(),
            ..Default::default()
        };
        let e = EpisodeDetails::parse(&raw, now()).unwrap_err();
        assert_eq!(e.0[0].field, "returned");
        let raw = RawEpisode {
            returned_time: "23:00".into(),
            ..raw
        };
        let d = EpisodeDetails::parse(&raw, now()).unwrap();
        assert!(!d.open());
    }

    #[test]
    fn three_episodes_in_ninety_days_call_for_a_review() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let d = |n| today - chrono::Duration::days(n);
        assert!(!pattern_flag(&[d(1), d(40)], today));
        assert!(pattern_flag(&[d(1), d(40), d(89)], today));
        assert!(!pattern_flag(&[d(1), d(40), d(95)], today));
    }

    #[test]
    fn an_interview_says_what_became_of_it_and_why() {
        let back = NaiveDate::from_ymd_opt(2026, 11, 29)
            .unwrap()
            .and_hms_opt(23, 0, 0)
            .unwrap();
        let e = Interview::parse(&RawInterview::default(), back, now()).unwrap_err();
        assert_eq!(e.0[0].field, "outcome");
        let e = Interview::parse(
            &RawInterview {
                outcome: "declined".into(),
                offered: RawDate::Iso("2026-11-30".into()),
                offered_by: "An independent worker".into(),
                ..Default::default()
            },
            back,
            now(),
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "declined-info");
        let e = Interview::parse(
            &RawInterview {
                outcome: "not_held".into(),
                ..Default::default()
            },
            back,
            now(),
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "not-held-reason");
        let e = Interview::parse(
            &RawInterview {
                outcome: "held".into(),
                offered: RawDate::Iso("2026-11-28".into()),
                offered_by: "An independent worker".into(),
                ..Default::default()
            },
            back,
            now(),
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "offered");
        assert_eq!(interview_due(back), back + chrono::Duration::hours(72));
    }
}

/// A child's missing episodes seen together: how many each month over the last year,
/// where they were found (the same place written differently counts once: case and
/// spaces aside), and the time of day they were last seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patterns {
    /// The last twelve months, oldest first: ("March 2026", episodes).
    pub by_month: Vec<(String, usize)>,
    /// Places found, most often first.
    pub places: Vec<(String, usize)>,
    /// Night (22:00-05:59), morning, afternoon, evening: episodes last seen then.
    pub times: Vec<(&'static str, usize)>,
}

impl Patterns {
    /// `episodes`: when each was last seen, and where the child was found.
    pub fn of(episodes: &[(NaiveDateTime, Option<&str>)], today: NaiveDate) -> Patterns {
        use chrono::{Datelike, Timelike};
        let mut by_month = Vec::new();
        let (mut y, mut m) = (today.year(), today.month());
        for _ in 0..12 {
            let n = episodes
                .iter()
                .filter(|(at, _)| at.year() == y && at.month() == m)
                .count();
            let label = NaiveDate::from_ymd_opt(y, m, 1)
                .map(|d| d.format("%B %Y").to_string())
                .unwrap_or_default();
            by_month.push((label, n));
            if m == 1 {
                (y, m) = (y - 1, 12);
            } else {
                m -= 1;
            }
        }
        by_month.reverse();
        let mut places: Vec<(String, String, usize)> = Vec::new();
        for (_, place) in episodes {
            let Some(place) = place.map(str::trim).filter(|p| !p.is_empty()) else {
                continue;
            };
            let key = place
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            match places.iter_mut().find(|(k, _, _)| *k == key) {
                Some(found) => found.2 += 1,
                None => places.push((key, place.to_string(), 1)),
            }
        }
        places.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
        let mut times = vec![
            ("At night (10pm to 6am)", 0),
            ("In the morning (6am to noon)", 0),
            ("In the afternoon (noon to 6pm)", 0),
            ("In the evening (6pm to 10pm)", 0),
        ];
        for (at, _) in episodes {
            let slot = match at.hour() {
                22..=23 | 0..=5 => 0,
                6..=11 => 1,
                12..=17 => 2,
                _ => 3,
            };
            times[slot].1 += 1;
        }
        Patterns {
            by_month,
            places: places.into_iter().map(|(_, p, n)| (p, n)).collect(),
            times,
        }
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::*;

    #[test]
    fn patterns_count_months_places_and_times_of_day() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let eps = [
            (at("2026-11-02 23:30"), Some("The bus station")),
            (at("2026-11-20 16:00"), Some("the  bus station ")),
            (at("2026-10-05 02:00"), Some("A flat on the estate")),
            (at("2025-01-01 09:00"), None),
        ];
        let p = Patterns::of(&eps, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(p.by_month.len(), 12);
        assert_eq!(p.by_month[11], ("November 2026".to_string(), 2));
        assert_eq!(p.by_month[10], ("October 2026".to_string(), 1));
        assert_eq!(p.by_month[0].0, "December 2025");
        assert_eq!(p.places[0], ("The bus station".to_string(), 2));
        assert_eq!(p.places.len(), 2);
        assert_eq!(p.times[0].1, 2, "two at night");
        assert_eq!(p.times[1].1, 1);
        assert_eq!(p.times[2].1, 1);
    }
}
