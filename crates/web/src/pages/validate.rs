//! Turning what a person or program sent into records, with a message for each field at
//! fault. Forms and the JSON API share these, so both accept and refuse the same things.

use crate::forms::FormData;
use alongside_domain::family::{
    CarerKind, ContactKind, ContactStatus, LivingSituation, MemberRole, Visibility,
};
use alongside_domain::referral::{Indicator, ReferralSource, Threshold, TriageDecision};
use alongside_domain::validate::{self as v, FieldErrors, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use alongside_store::{NewContact, NewMember, NewPerson, NewReferral, Triage};
use chrono::{NaiveDate, NaiveDateTime};

/// The optional `from` and `to` date inputs of a filter, `to` not before `from`.
pub fn date_range(
    e: &mut FieldErrors,
    data: &FormData,
    today: NaiveDate,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let part = |name: &str, p: &str| data.get(&format!("{name}-{p}")).to_string();
    let mut read = |name: &str, label: &str| {
        v::date_parts(
            e,
            name,
            label,
            &part(name, "day"),
            &part(name, "month"),
            &part(name, "year"),
            false,
            When::Any,
            today,
        )
    };
    let from = read("from", "From date");
    let to = read("to", "To date");
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            e.add("to", "To date must be the same as or after the from date");
        }
    }
    (from, to)
}

/// The page asked for in a list's query string; 1 when absent or nonsense.
pub fn page_number(data: &FormData) -> i64 {
    data.get("page")
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1)
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
    #[allow(clippy::too_many_arguments)]
    fn read(
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
                v::date_parts(e, field, label, day, month, year, required, when, today)
            }
            RawDate::Iso(s) if !s.trim().is_empty() => v::iso_date(e, field, label, s, when, today),
            _ => {
                if required {
                    e.add(field, format!("Enter {}", label.to_lowercase()));
                }
                None
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RawPerson {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: RawDate,
    pub carer_kind: String,
}

#[derive(Debug, Clone, Default)]
pub struct RawReferral {
    pub source: String,
    pub received: RawDate,
    pub referrer_name: String,
    pub referrer_contact: String,
    pub reasons: String,
    pub indicators: Vec<String>,
    pub indicators_other: String,
    pub consent: String,
    /// Field-name prefix and person, for every child slot.
    pub children: Vec<(String, RawPerson)>,
    pub carers: Vec<(String, RawPerson)>,
}

fn person(
    e: &mut FieldErrors,
    prefix: &str,
    what: &str,
    p: &RawPerson,
    required: bool,
    carer: bool,
    today: NaiveDate,
) -> Option<NewPerson> {
    let blank = p.given_name.trim().is_empty() && p.family_name.trim().is_empty();
    if blank && !required {
        return None;
    }
    let given = v::required_text(
        e,
        &format!("{prefix}-given"),
        &format!("{what}'s first name"),
        &p.given_name,
        SHORT_TEXT_MAX,
    );
    let family = v::required_text(
        e,
        &format!("{prefix}-family"),
        &format!("{what}'s last name"),
        &p.family_name,
        SHORT_TEXT_MAX,
    );
    let dob = p.date_of_birth.read(
        e,
        &format!("{prefix}-dob"),
        &format!("{what}'s date of birth"),
        false,
        When::PastOrToday,
        today,
    );
    let carer_kind = if carer {
        v::code::<CarerKind>(
            e,
            &format!("{prefix}-kind"),
            "Kind of parent or carer",
            &p.carer_kind,
            false,
        )
    } else {
        None
    };
    Some(NewPerson {
        given_name: given,
        family_name: family,
        date_of_birth: dob,
        carer_kind,
    })
}

pub fn referral(raw: &RawReferral, today: NaiveDate) -> Result<NewReferral, FieldErrors> {
    let mut e = FieldErrors::new();
    let source =
        v::code::<ReferralSource>(&mut e, "source", "Who made the referral", &raw.source, true);
    let received_on = raw.received.read(
        &mut e,
        "received",
        "Date received",
        true,
        When::PastOrToday,
        today,
    );
    let referrer_name = v::required_text(
        &mut e,
        "referrer-name",
        "Referrer's name",
        &raw.referrer_name,
        SHORT_TEXT_MAX,
    );
    let referrer_contact = v::optional_text(
        &mut e,
        "referrer-contact",
        "Referrer's contact details",
        &raw.referrer_contact,
        SHORT_TEXT_MAX,
    );
    let mut children = Vec::new();
    for (i, (prefix, p)) in raw.children.iter().enumerate() {
        if let Some(c) = person(&mut e, prefix, "Child", p, i == 0, false, today) {
            children.push(c);
        }
    }
    let mut carers = Vec::new();
    for (prefix, p) in &raw.carers {
        if let Some(c) = person(&mut e, prefix, "Parent or carer", p, false, true, today) {
            carers.push(c);
        }
    }
    let reasons = v::required_text(
        &mut e,
        "reasons",
        "The reasons for the referral",
        &raw.reasons,
        LONG_TEXT_MAX,
    );
    let mut indicators = Vec::new();
    for i in &raw.indicators {
        match v::code::<Indicator>(&mut e, "indicators", "Indicators", i, false) {
            Some(ind) if !indicators.contains(&ind) => indicators.push(ind),
            _ => {}
        }
    }
    let indicators_other = v::optional_text(
        &mut e,
        "indicators-other",
        "Other indicators",
        &raw.indicators_other,
        SHORT_TEXT_MAX,
    );
    if indicators.contains(&Indicator::Other) && indicators_other.is_none() {
        e.add("indicators-other", "Describe the other indicators seen");
    }
    let consent = match raw.consent.trim() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        "" => {
            e.add(
                "consent",
                "Select whether the family consents to information being shared",
            );
            None
        }
        _ => {
            e.add("consent", "Select yes or no for consent to share");
            None
        }
    };
    match (source, received_on, consent) {
        (Some(source), Some(received_on), Some(consent_to_share)) if e.is_empty() => {
            Ok(NewReferral {
                source,
                received_on,
                referrer_name,
                referrer_contact,
                reasons,
                indicators,
                indicators_other,
                consent_to_share,
                children,
                carers,
            })
        }
        _ => Err(e),
    }
}

#[derive(Debug, Clone, Default)]
pub struct RawTriage {
    pub threshold: String,
    pub reasoning: String,
    pub decision: String,
    pub plo_id: String,
    pub csw_id: String,
}

pub fn triage(raw: &RawTriage) -> Result<Triage, FieldErrors> {
    let mut e = FieldErrors::new();
    let threshold =
        v::code::<Threshold>(&mut e, "threshold", "The threshold", &raw.threshold, true);
    let reasoning = v::required_text(
        &mut e,
        "reasoning",
        "The reasoning for the threshold",
        &raw.reasoning,
        LONG_TEXT_MAX,
    );
    let decision = v::code::<TriageDecision>(&mut e, "decision", "A decision", &raw.decision, true);
    let id = |e: &mut FieldErrors, field: &str, label: &str, s: &str| -> Option<i64> {
        if s.trim().is_empty() {
            return None;
        }
        match s.trim().parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                e.add(field, format!("Select {label} from the list"));
                None
            }
        }
    };
    let plo_id = id(&mut e, "plo", "a Parent Liaison Officer", &raw.plo_id);
    let csw_id = id(&mut e, "csw", "a Child Support Worker", &raw.csw_id);
    if decision == Some(TriageDecision::Accept) && plo_id.is_none() && e.get("plo").is_none() {
        e.add(
            "plo",
            "Select a Parent Liaison Officer to allocate the family to",
        );
    }
    match (threshold, decision) {
        (Some(threshold), Some(decision)) if e.is_empty() => Ok(Triage {
            threshold,
            reasoning,
            decision,
            plo_id,
            csw_id,
        }),
        _ => Err(e),
    }
}

#[derive(Debug, Clone, Default)]
pub struct RawContact {
    pub kind: String,
    pub status: String,
    pub date: RawDate,
    pub time: String,
    pub duration: String,
    pub participants: String,
    pub note: String,
    pub visibility: String,
}

pub fn contact(raw: &RawContact, now: NaiveDateTime) -> Result<NewContact, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = v::code::<ContactKind>(&mut e, "kind", "The kind of contact", &raw.kind, true);
    let status = v::code::<ContactStatus>(
        &mut e,
        "status",
        "Whether the contact has happened",
        &raw.status,
        true,
    );
    let date = raw.date.read(
        &mut e,
        "date",
        "Date of the contact",
        true,
        When::Any,
        now.date(),
    );
    let time = v::time_of_day(&mut e, "time", "Time of the contact", &raw.time);
    let duration = v::number_in_range(
        &mut e,
        "duration",
        "Duration in minutes",
        &raw.duration,
        1..=1440,
        false,
    );
    let participants = v::optional_text(
        &mut e,
        "participants",
        "Who took part",
        &raw.participants,
        SHORT_TEXT_MAX,
    );
    let note = v::optional_text(&mut e, "note", "The note", &raw.note, LONG_TEXT_MAX);
    let visibility = v::code::<Visibility>(
        &mut e,
        "visibility",
        "Who may read the note",
        &raw.visibility,
        true,
    );
    // No time given: 09:00, or now if a contact held today is recorded before nine.
    let occurred_at = date.map(|d| {
        let at = v::at(d, time);
        if time.is_none() && status == Some(ContactStatus::Held) && d == now.date() && at > now {
            now
        } else {
            at
        }
    });
    if let (Some(at), Some(ContactStatus::Held)) = (occurred_at, status) {
        if at > now {
            e.add("date", "A contact that has happened must be dated now or in the past; record a future one as planned");
        }
    }
    match (kind, status, occurred_at, visibility) {
        (Some(kind), Some(status), Some(occurred_at), Some(visibility)) if e.is_empty() => {
            Ok(NewContact {
                kind,
                status,
                occurred_at,
                duration_minutes: duration,
                participants,
                note,
                visibility,
            })
        }
        _ => Err(e),
    }
}

#[derive(Debug, Clone, Default)]
pub struct RawMember {
    pub given_name: String,
    pub family_name: String,
    pub known_as: String,
    pub member_role: String,
    pub carer_kind: String,
    pub date_of_birth: RawDate,
    pub relationship: String,
    pub lives: String,
    pub lives_since: RawDate,
}

pub fn member(raw: &RawMember, today: NaiveDate) -> Result<NewMember, FieldErrors> {
    let mut e = FieldErrors::new();
    let given_name = v::required_text(
        &mut e,
        "given",
        "First name",
        &raw.given_name,
        SHORT_TEXT_MAX,
    );
    let family_name = v::required_text(
        &mut e,
        "family",
        "Last name",
        &raw.family_name,
        SHORT_TEXT_MAX,
    );
    let known_as = v::optional_text(
        &mut e,
        "known-as",
        "Known as",
        &raw.known_as,
        SHORT_TEXT_MAX,
    );
    let member_role = v::code::<MemberRole>(
        &mut e,
        "role",
        "Their place in the family",
        &raw.member_role,
        true,
    );
    let carer_kind = v::code::<CarerKind>(
        &mut e,
        "carer-kind",
        "Kind of parent or carer",
        &raw.carer_kind,
        false,
    );
    if carer_kind.is_some() && member_role.is_some() && member_role != Some(MemberRole::ParentCarer)
    {
        e.add(
            "carer-kind",
            "Only choose a kind of carer for a parent or carer",
        );
    }
    let date_of_birth = raw.date_of_birth.read(
        &mut e,
        "dob",
        "Date of birth",
        false,
        When::PastOrToday,
        today,
    );
    let relationship = v::optional_text(
        &mut e,
        "relationship",
        "Relationship",
        &raw.relationship,
        SHORT_TEXT_MAX,
    );
    let lives =
        v::code::<LivingSituation>(&mut e, "lives", "Where they live now", &raw.lives, false);
    let lives_since = raw.lives_since.read(
        &mut e,
        "lives-since",
        "Living there since",
        false,
        When::PastOrToday,
        today,
    );
    if let (Some(dob), Some(since)) = (date_of_birth, lives_since) {
        if since < dob {
            e.add(
                "lives-since",
                "Living there since must be on or after the date of birth",
            );
        }
    }
    match member_role {
        Some(member_role) if e.is_empty() => Ok(NewMember {
            given_name,
            family_name,
            known_as,
            member_role,
            carer_kind,
            date_of_birth,
            relationship,
            lives,
            lives_since,
        }),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn good() -> RawReferral {
        RawReferral {
            source: "school".into(),
            received: RawDate::Iso("2026-11-20".into()),
            referrer_name: "A teacher".into(),
            reasons: "Going missing after school.".into(),
            indicators: vec!["going_missing".into()],
            consent: "yes".into(),
            children: vec![(
                "child1".into(),
                RawPerson {
                    given_name: "Ash".into(),
                    family_name: "Dunmere".into(),
                    ..Default::default()
                },
            )],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_referral_is_accepted() {
        let r = referral(&good(), today()).unwrap();
        assert_eq!(r.children.len(), 1);
        assert_eq!(r.indicators, vec![Indicator::GoingMissing]);
    }

    #[test]
    fn each_fault_is_named_by_field() {
        let mut raw = good();
        raw.received = RawDate::Iso("2027-01-01".into());
        raw.children[0].1.given_name = " ".into();
        raw.indicators.push("lifestyle".into());
        raw.consent = String::new();
        let e = referral(&raw, today()).unwrap_err();
        assert_eq!(
            e.get("received"),
            Some("Date received must be today or in the past")
        );
        assert_eq!(e.get("child1-given"), Some("Enter child's first name"));
        assert_eq!(e.get("indicators"), Some("Select indicators from the list"));
        assert!(e.get("consent").is_some());
    }

    #[test]
    fn accepting_needs_a_plo() {
        let e = triage(&RawTriage {
            threshold: "high".into(),
            reasoning: "r".into(),
            decision: "accept".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.get("plo").is_some());
        assert!(triage(&RawTriage {
            threshold: "low".into(),
            reasoning: "r".into(),
            decision: "signpost".into(),
            ..Default::default()
        })
        .is_ok());
    }

    #[test]
    fn a_held_contact_cannot_be_in_the_future() {
        let now = today().and_hms_opt(12, 0, 0).unwrap();
        let raw = RawContact {
            kind: "home_visit".into(),
            status: "held".into(),
            date: RawDate::Iso("2026-11-23".into()),
            visibility: "confidential".into(),
            ..Default::default()
        };
        assert!(contact(&raw, now).unwrap_err().get("date").is_some());
        let planned = RawContact {
            status: "planned".into(),
            ..raw
        };
        assert!(contact(&planned, now).is_ok());
    }
}
