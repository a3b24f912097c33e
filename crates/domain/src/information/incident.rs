//! The rules of a threat or incident against the family ([`NewIncident::parse`]), as a
//! worker, a parent or carer (the parent portal) or a program records it, with the
//! identifiers and people found in it.

use super::identifier::{people_identifiers, NewIdentifier};
use super::IncidentKind;
use crate::validate::{self as v, FieldErrors, RawDate, LONG_TEXT_MAX};
use chrono::NaiveDateTime;

/// Longest crime reference.
pub const CRIME_REFERENCE_MAX: usize = 50;
/// Longest "who was involved" in a threat or incident.
pub const INCIDENT_PEOPLE_MAX: usize = 2_000;

/// A threat or incident against the family, as sent. [`NewIncident::parse`] reads it.
///
/// | form field | API property | rule |
/// | --- | --- | --- |
/// | `date-day`, `date-month`, `date-year` | `date` (YYYY-MM-DD) | required, not in the future |
/// | `time` | `time` (HH:MM) | optional, not in the future |
/// | `kind` | `kind` | required, an [`IncidentKind`] code |
/// | `description` | `description` | required: what happened, up to 10,000 characters |
/// | `people` | `people` | optional: names, nicknames or descriptions of persons of concern, separated by commas or lines |
/// | `reported` (`yes`, `pending` for "yes, no reference yet", or `no`) | `reported_to_police` (true or false) | required |
/// | `crime-reference` | `crime_reference` | required with `yes`, optional when the API says true, up to 50 characters; empty when not reported or pending |
/// | `outcome` | `outcome` | optional |
#[derive(Debug, Clone, Default)]
pub struct RawIncident {
    pub date: RawDate,
    pub time: String,
    pub kind: String,
    pub description: String,
    pub people: String,
    /// `yes`/`no` (forms) or `true`/`false` (the API).
    pub reported: String,
    pub crime_reference: String,
    pub outcome: String,
}

/// A threat or incident, as its rules leave it: a crime reference when (and only when)
/// it was reported to the police.
#[derive(Debug, Clone)]
pub struct NewIncident {
    occurred_at: NaiveDateTime,
    kind: IncidentKind,
    description: String,
    people: Option<String>,
    reported_to_police: bool,
    crime_reference: Option<String>,
    outcome: Option<String>,
    identifiers: Vec<NewIdentifier>,
}

/// Everything a [`NewIncident`] holds, for code that makes one from data no person
/// typed (the demo data): [`NewIncident::unchecked`] takes it without applying the
/// rules. Named to stand out: pages and the API use [`NewIncident::parse`].
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct UncheckedIncident {
    pub occurred_at: NaiveDateTime,
    pub kind: IncidentKind,
    pub description: String,
    pub people: Option<String>,
    pub reported_to_police: bool,
    pub crime_reference: Option<String>,
    pub outcome: Option<String>,
    pub identifiers: Vec<NewIdentifier>,
}

impl NewIncident {
    /// Reads a threat or incident, with the identifiers in it: every vehicle mark, phone
    /// number, email, handle and postcode found in what happened and in who was involved
    /// (origin "text"; byte offsets given for what happened only, the text they point
    /// into), and each comma- or line-separated name in who was involved as a person of
    /// concern (origin "field"). `now` is UK local time.
    pub fn parse(raw: &RawIncident, now: NaiveDateTime) -> Result<NewIncident, FieldErrors> {
        let mut e = FieldErrors::new();
        let occurred_at = v::moment_past(
            &mut e,
            "date",
            "Date it happened",
            &raw.date,
            "time",
            "Time it happened",
            &raw.time,
            now,
        );
        let kind = v::code::<IncidentKind>(
            &mut e,
            "kind",
            "What kind of incident it was",
            &raw.kind,
            true,
        );
        let description = v::required_text(
            &mut e,
            "description",
            "What happened",
            &raw.description,
            LONG_TEXT_MAX,
        );
        let people = v::optional_text(
            &mut e,
            "people",
            "Who was involved",
            &raw.people,
            INCIDENT_PEOPLE_MAX,
        );
        // "Yes, but no reference yet" is reported all the same: a parent waiting for the
        // police's reference is not made to answer no.
        let pending = raw.reported.trim() == "pending";
        let reported = if pending {
            Some(true)
        } else {
            v::yes_no(
                &mut e,
                "reported",
                &raw.reported,
                "Select whether it was reported to the police",
                "Select yes or no for whether it was reported to the police",
            )
        };
        let crime_reference = v::optional_text(
            &mut e,
            "crime-reference",
            "Crime reference",
            &raw.crime_reference,
            CRIME_REFERENCE_MAX,
        );
        // The form's "yes" asks for the reference beside it; the API's `true` and the
        // form's "pending" may leave it for later.
        match (reported, &crime_reference) {
            (Some(true), None) if raw.reported.trim() == "yes" => e.add(
                "crime-reference",
                "Enter the crime reference the police gave, or choose the answer for no reference yet",
            ),
            (Some(true), Some(_)) if pending => e.add(
                "crime-reference",
                "Leave the crime reference empty when there is no reference yet, or choose the answer with a crime reference",
            ),
            (Some(false), Some(_)) => e.add(
                "crime-reference",
                "Leave the crime reference empty if it was not reported to the police, or select yes",
            ),
            _ => {}
        }
        let outcome = v::optional_text(&mut e, "outcome", "Outcome", &raw.outcome, LONG_TEXT_MAX);
        match (occurred_at, kind, reported) {
            (Some(occurred_at), Some(kind), Some(reported_to_police)) if e.is_empty() => {
                let identifiers = incident_identifiers(&description, people.as_deref());
                Ok(NewIncident {
                    occurred_at,
                    kind,
                    description,
                    people,
                    reported_to_police,
                    crime_reference,
                    outcome,
                    identifiers,
                })
            }
            _ => Err(e),
        }
    }

    /// See [`UncheckedIncident`].
    #[doc(hidden)]
    pub fn unchecked(u: UncheckedIncident) -> NewIncident {
        NewIncident {
            occurred_at: u.occurred_at,
            kind: u.kind,
            description: u.description,
            people: u.people,
            reported_to_police: u.reported_to_police,
            crime_reference: u.crime_reference,
            outcome: u.outcome,
            identifiers: u.identifiers,
        }
    }

    pub fn occurred_at(&self) -> NaiveDateTime {
        self.occurred_at
    }
    pub fn kind(&self) -> IncidentKind {
        self.kind
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn people(&self) -> Option<&str> {
        self.people.as_deref()
    }
    pub fn reported_to_police(&self) -> bool {
        self.reported_to_police
    }
    /// Given when, and only when, it was reported to the police.
    pub fn crime_reference(&self) -> Option<&str> {
        self.crime_reference.as_deref()
    }
    pub fn outcome(&self) -> Option<&str> {
        self.outcome.as_deref()
    }
    pub fn identifiers(&self) -> &[NewIdentifier] {
        &self.identifiers
    }
}

/// The identifiers of a threat or incident (see [`NewIncident::parse`]). A "who was
/// involved" item that is wholly an identifier (a phone number on its own) is not also
/// taken as a name, and the same identifier is kept once.
pub fn incident_identifiers(description: &str, people: Option<&str>) -> Vec<NewIdentifier> {
    let mut out = NewIdentifier::found_in(description, "text");
    let Some(people) = people else {
        return out;
    };
    let add = |out: &mut Vec<NewIdentifier>, i: NewIdentifier| {
        if !out
            .iter()
            .any(|o| o.kind() == i.kind() && o.value() == i.value())
        {
            out.push(i);
        }
    };
    // Offsets point into the description only, so those found in "who" carry none.
    for i in people_identifiers(people) {
        add(&mut out, i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::information::ItemKind;
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    fn good_incident() -> RawIncident {
        RawIncident {
            date: RawDate::Iso("2026-11-21".into()),
            time: "21:15".into(),
            kind: "threat_by_phone".into(),
            description: "A text from 07700 900123 said they know where we live. A car AB12 CDE waited outside.".into(),
            people: "Danny K, \"Tiny\"\n07700 900123".into(),
            reported: "yes".into(),
            crime_reference: "CR/0001/26".into(),
            outcome: String::new(),
        }
    }

    #[test]
    fn an_incident_carries_its_identifiers_and_names() {
        let i = NewIncident::parse(&good_incident(), now()).unwrap();
        assert!(i.reported_to_police());
        let text = &good_incident().description;
        let phone = i
            .identifiers()
            .iter()
            .find(|x| x.kind() == ItemKind::Phone)
            .unwrap();
        assert_eq!(phone.value(), "+447700900123");
        let (s, e) = (
            phone.start().unwrap() as usize,
            phone.end().unwrap() as usize,
        );
        assert_eq!(&text[s..e], phone.raw());
        assert!(i
            .identifiers()
            .iter()
            .any(|x| x.kind() == ItemKind::Vehicle && x.value() == "AB12CDE"));
        let names: Vec<&str> = i
            .identifiers()
            .iter()
            .filter(|x| x.kind() == ItemKind::Person)
            .map(|x| x.value())
            .collect();
        assert_eq!(names, vec!["danny k", "\"tiny\""], "matched on folded keys");
        // The phone number in "who" is the one already found: kept once.
        assert_eq!(
            i.identifiers()
                .iter()
                .filter(|x| x.kind() == ItemKind::Phone)
                .count(),
            1
        );
    }

    #[test]
    fn an_incident_needs_a_crime_reference_only_when_reported() {
        let mut raw = good_incident();
        raw.crime_reference = " ".into();
        let e = NewIncident::parse(&raw, now()).unwrap_err();
        assert_eq!(
            e.get("crime-reference"),
            Some("Enter the crime reference the police gave, or choose the answer for no reference yet")
        );
        // Told the police, no reference yet: reported, with none.
        raw.reported = "pending".into();
        let i = NewIncident::parse(&raw, now()).unwrap();
        assert!(i.reported_to_police() && i.crime_reference().is_none());
        // The API's true may come without one.
        raw.reported = "true".into();
        assert!(NewIncident::parse(&raw, now()).is_ok());
        raw.reported = "no".into();
        assert!(NewIncident::parse(&raw, now()).is_ok());
        raw.crime_reference = "x".repeat(51);
        assert!(NewIncident::parse(&raw, now())
            .unwrap_err()
            .get("crime-reference")
            .is_some());
    }

    #[test]
    fn an_incident_cannot_be_in_the_future() {
        let mut raw = good_incident();
        raw.date = RawDate::Iso("2026-11-22".into());
        raw.time = "12:01".into();
        let e = NewIncident::parse(&raw, now()).unwrap_err();
        assert_eq!(
            e.get("time"),
            Some("Time it happened must be now or earlier")
        );
        raw.time = String::new();
        assert_eq!(
            NewIncident::parse(&raw, now()).unwrap().occurred_at(),
            now().date().and_hms_opt(9, 0, 0).unwrap()
        );
        raw.date = RawDate::Iso("2026-11-23".into());
        assert!(NewIncident::parse(&raw, now())
            .unwrap_err()
            .get("date")
            .is_some());
    }
}
