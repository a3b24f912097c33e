//! Turning what a person or program sent into records, with a message for each field at
//! fault. Forms and the JSON API share these, so both accept and refuse the same things.

use crate::forms::FormData;
use alongside_domain::validate::{
    self as v, FieldErrors, RawDate, When, LONG_TEXT_MAX, SHORT_TEXT_MAX,
};
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

// ---- intelligence submissions ----

use alongside_domain::information::{
    Grade, HandlingCode, IntelligenceAssessment, SourceEvaluation, SubmissionOutcome,
};
use alongside_domain::Code as _;
use alongside_store::{NewOutcome, NewSubmission};

/// Longest text of the conditions on sharing a submission graded with handling code C.
pub const HANDLING_CONDITIONS_MAX: usize = 2_000;
/// Longest police reference given with an outcome.
pub const POLICE_REFERENCE_MAX: usize = 100;
/// Longest note for the hub given with an outcome.
pub const OUTCOME_NOTE_MAX: usize = 2_000;
/// Most entries one submission may carry.
pub const SUBMISSION_ENTRIES_MAX: usize = 200;

/// A 3x5x2 grade as sent: three radio groups from a form, or one code ("B2P") from the API.
#[derive(Debug, Clone)]
pub enum RawGrade {
    Parts {
        source: String,
        assessment: String,
        handling: String,
    },
    Code(String),
}

impl Default for RawGrade {
    fn default() -> Self {
        RawGrade::Parts {
            source: String::new(),
            assessment: String::new(),
            handling: String::new(),
        }
    }
}

/// One part of a grade from its radio group.
fn grade_part<T: alongside_domain::Code>(
    e: &mut FieldErrors,
    field: &str,
    what: &str,
    value: &str,
) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, format!("Choose {what}"));
        return None;
    }
    let found = T::parse(v).or_else(|| T::parse(&v.to_ascii_uppercase()));
    if found.is_none() {
        e.add(field, format!("Choose {what} from the list"));
    }
    found
}

impl RawGrade {
    fn read(&self, e: &mut FieldErrors) -> Option<Grade> {
        match self {
            RawGrade::Parts {
                source,
                assessment,
                handling,
            } => {
                let s = grade_part::<SourceEvaluation>(
                    e,
                    "source-evaluation",
                    "a source evaluation",
                    source,
                );
                let a = grade_part::<IntelligenceAssessment>(
                    e,
                    "assessment",
                    "an intelligence assessment",
                    assessment,
                );
                let h = grade_part::<HandlingCode>(e, "handling", "a handling code", handling);
                Some(Grade {
                    source: s?,
                    assessment: a?,
                    handling: h?,
                })
            }
            RawGrade::Code(code) => {
                if code.trim().is_empty() {
                    e.add("grade", "Enter the grade, for example B2P");
                    return None;
                }
                let g = Grade::parse(code);
                if g.is_none() {
                    e.add(
                        "grade",
                        "Enter the grade as a source evaluation (A, B or C), an intelligence assessment (1 to 5) and a handling code (P or C), for example B2P",
                    );
                }
                g
            }
        }
    }
}

/// A submission to the police as typed: form field names are `entry-ids`, `summary`,
/// `source-evaluation`, `assessment`, `handling` and `handling-conditions` (the API's
/// are the same with underscores, and `grade` for the grade as one code).
#[derive(Debug, Clone, Default)]
pub struct RawSubmission {
    pub entry_ids: Vec<String>,
    pub summary: String,
    pub grade: RawGrade,
    pub handling_conditions: String,
}

/// Checks a submission before it goes to the store: at least one entry, a summary, a
/// complete grade, and the conditions on sharing when (and only when) handling is C.
pub fn submission(raw: &RawSubmission) -> Result<NewSubmission, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut entry_ids: Vec<i64> = Vec::new();
    let mut bad_id = false;
    for id in &raw.entry_ids {
        match id.trim().parse::<i64>() {
            Ok(n) if n > 0 => {
                if !entry_ids.contains(&n) {
                    entry_ids.push(n);
                }
            }
            _ => bad_id = true,
        }
    }
    if bad_id {
        e.add("entry-ids", "Choose entries from the list");
    } else if entry_ids.is_empty() {
        e.add("entry-ids", "Choose at least one entry to submit");
    } else if entry_ids.len() > SUBMISSION_ENTRIES_MAX {
        e.add(
            "entry-ids",
            format!("Choose {SUBMISSION_ENTRIES_MAX} entries or fewer for one submission"),
        );
    }
    let summary = v::required_text(
        &mut e,
        "summary",
        "The summary for the police",
        &raw.summary,
        LONG_TEXT_MAX,
    );
    let grade = raw.grade.read(&mut e);
    let handling_conditions = match grade.map(|g| g.handling) {
        Some(HandlingCode::C) => {
            let c = v::optional_text(
                &mut e,
                "handling-conditions",
                "The conditions on sharing",
                &raw.handling_conditions,
                HANDLING_CONDITIONS_MAX,
            );
            if c.is_none() {
                e.add(
                    "handling-conditions",
                    "Enter the conditions on sharing, because the handling code is C",
                );
            }
            c
        }
        // Conditions belong to handling code C only: with P they are not kept.
        _ => None,
    };
    match grade {
        Some(grade) if e.is_empty() => Ok(NewSubmission {
            entry_ids,
            summary,
            grade,
            handling_conditions,
        }),
        _ => Err(e),
    }
}

/// What the police say became of a submission, as typed: `outcome`, `reference`, `note`.
#[derive(Debug, Clone, Default)]
pub struct RawOutcome {
    pub outcome: String,
    pub reference: String,
    pub note: String,
}

pub fn outcome(raw: &RawOutcome) -> Result<NewOutcome, FieldErrors> {
    let mut e = FieldErrors::new();
    let outcome = if raw.outcome.trim().is_empty() {
        e.add("outcome", "Choose what became of the information");
        None
    } else {
        let o = SubmissionOutcome::parse(raw.outcome.trim());
        if o.is_none() {
            e.add("outcome", "Choose an outcome from the list");
        }
        o
    };
    let reference = v::optional_text(
        &mut e,
        "reference",
        "Police reference",
        &raw.reference,
        POLICE_REFERENCE_MAX,
    );
    let note = v::optional_text(
        &mut e,
        "note",
        "The note for the hub",
        &raw.note,
        OUTCOME_NOTE_MAX,
    );
    match outcome {
        Some(outcome) if e.is_empty() => Ok(NewOutcome {
            outcome,
            reference,
            note,
        }),
        _ => Err(e),
    }
}

#[cfg(test)]
mod submission_tests {
    use super::*;

    fn parts(s: &str, a: &str, h: &str) -> RawGrade {
        RawGrade::Parts {
            source: s.into(),
            assessment: a.into(),
            handling: h.into(),
        }
    }

    #[test]
    fn a_complete_submission_is_accepted_and_conditions_go_with_c_only() {
        let raw = RawSubmission {
            entry_ids: vec!["3".into(), "5".into(), "3".into()],
            summary: " A car seen outside the school. ".into(),
            grade: parts("B", "2", "P"),
            handling_conditions: "Not to be shared outside the force".into(),
        };
        let s = submission(&raw).unwrap();
        assert_eq!(s.entry_ids, vec![3, 5]);
        assert_eq!(s.summary, "A car seen outside the school.");
        assert_eq!(s.grade.code(), "B2P");
        assert_eq!(s.handling_conditions, None, "conditions are for C only");
        let c = submission(&RawSubmission {
            grade: RawGrade::Code("b2c".into()),
            ..raw
        })
        .unwrap();
        assert_eq!(
            c.handling_conditions.as_deref(),
            Some("Not to be shared outside the force")
        );
    }

    #[test]
    fn each_fault_is_named() {
        let e = submission(&RawSubmission::default()).unwrap_err();
        assert_eq!(
            e.get("entry-ids"),
            Some("Choose at least one entry to submit")
        );
        assert_eq!(e.get("summary"), Some("Enter the summary for the police"));
        assert_eq!(
            e.get("source-evaluation"),
            Some("Choose a source evaluation")
        );
        assert_eq!(
            e.get("assessment"),
            Some("Choose an intelligence assessment")
        );
        assert_eq!(e.get("handling"), Some("Choose a handling code"));
        let e = submission(&RawSubmission {
            entry_ids: vec!["1".into()],
            summary: "s".into(),
            grade: parts("A", "1", "C"),
            handling_conditions: "  ".into(),
        })
        .unwrap_err();
        assert_eq!(
            e.get("handling-conditions"),
            Some("Enter the conditions on sharing, because the handling code is C")
        );
        let e = submission(&RawSubmission {
            entry_ids: vec!["x".into()],
            summary: "s".into(),
            grade: RawGrade::Code("D9Z".into()),
            handling_conditions: String::new(),
        })
        .unwrap_err();
        assert!(e.get("entry-ids").is_some());
        assert!(e.get("grade").unwrap().contains("for example B2P"));
    }

    #[test]
    fn outcomes_need_a_choice_and_bounded_text() {
        assert!(outcome(&RawOutcome::default())
            .unwrap_err()
            .get("outcome")
            .is_some());
        let e = outcome(&RawOutcome {
            outcome: "arrested".into(),
            reference: "x".repeat(101),
            note: String::new(),
        })
        .unwrap_err();
        assert!(e.get("outcome").is_some());
        assert!(e.get("reference").unwrap().contains("100 characters"));
        let o = outcome(&RawOutcome {
            outcome: "linked_to_investigation".into(),
            reference: " OP-TEST-123 ".into(),
            note: String::new(),
        })
        .unwrap();
        assert_eq!(o.outcome, SubmissionOutcome::LinkedToInvestigation);
        assert_eq!(o.reference.as_deref(), Some("OP-TEST-123"));
        assert_eq!(o.note, None);
    }
}

// ---- evidence, its chain of custody, and threats and harassment ----
//
// Forms, the parent portal and the JSON API all read these through the functions below,
// so each accepts and refuses the same things. Items here use full paths so that this
// section does not depend on the imports of the others.

/// Longest "where it was found" and "how it was stored".
pub const EVIDENCE_DETAIL_MAX: usize = 1_000;
/// Longest police collar number (letters and digits only).
pub const COLLAR_NUMBER_MAX: usize = 12;
/// Longest reference given with a handover (an exhibit or bag seal number).
pub const HANDOVER_REFERENCE_MAX: usize = 100;
/// Longest crime reference.
pub const CRIME_REFERENCE_MAX: usize = 50;
/// Longest "who was involved" in a threat or incident.
pub const INCIDENT_PEOPLE_MAX: usize = 2_000;

/// The GOV.UK date parts `{name}-day`, `{name}-month` and `{name}-year` of a form.
fn form_date(data: &FormData, name: &str) -> RawDate {
    RawDate::Parts {
        day: data.get(&format!("{name}-day")).to_string(),
        month: data.get(&format!("{name}-month")).to_string(),
        year: data.get(&format!("{name}-year")).to_string(),
    }
}

/// A moment that has happened: a required date, not in the future, and an optional
/// time. Without a time the moment is 09:00, or now for today before nine (as contacts).
#[allow(clippy::too_many_arguments)]
fn moment_past(
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
    let time = v::time_of_day(e, time_field, time_label, time);
    let at = v::at(day?, time);
    if at <= now {
        Some(at)
    } else if time.is_none() {
        Some(now)
    } else {
        e.add(time_field, format!("{time_label} must be now or earlier"));
        None
    }
}

/// An evidence item as sent.
///
/// | form field | API property | rule |
/// | --- | --- | --- |
/// | `kind` | `kind` | required, an [`EvidenceKind`](alongside_domain::information::EvidenceKind) code |
/// | `description` | `description` | required, up to 10,000 characters |
/// | `found-by` | `found_by` | required |
/// | `found-on-day`, `-month`, `-year` | `found_on` (YYYY-MM-DD) | required, not in the future |
/// | `found-time` | `found_time` (HH:MM) | optional, not in the future |
/// | `found-where` | `found_where` | required |
/// | `storage` | `storage` | required: how it was kept |
/// | `reference-numbers` | `reference_numbers` | optional: exhibit or bag seal numbers |
#[derive(Debug, Clone, Default)]
pub struct RawEvidence {
    pub kind: String,
    pub description: String,
    pub found_by: String,
    pub found_on: RawDate,
    pub found_time: String,
    pub found_where: String,
    pub storage: String,
    pub reference_numbers: String,
}

impl RawEvidence {
    pub fn from_form(data: &FormData) -> Self {
        RawEvidence {
            kind: data.get("kind").into(),
            description: data.get("description").into(),
            found_by: data.get("found-by").into(),
            found_on: form_date(data, "found-on"),
            found_time: data.get("found-time").into(),
            found_where: data.get("found-where").into(),
            storage: data.get("storage").into(),
            reference_numbers: data.get("reference-numbers").into(),
        }
    }
}

pub fn evidence(
    raw: &RawEvidence,
    now: NaiveDateTime,
) -> Result<alongside_store::NewEvidence, FieldErrors> {
    use alongside_domain::information::EvidenceKind;
    let mut e = FieldErrors::new();
    let kind = v::code::<EvidenceKind>(&mut e, "kind", "What kind of item it is", &raw.kind, true);
    let description = v::required_text(
        &mut e,
        "description",
        "A description of the item",
        &raw.description,
        LONG_TEXT_MAX,
    );
    let found_by = v::required_text(
        &mut e,
        "found-by",
        "Who found it",
        &raw.found_by,
        SHORT_TEXT_MAX,
    );
    let found_at = moment_past(
        &mut e,
        "found-on",
        "Date found",
        &raw.found_on,
        "found-time",
        "Time found",
        &raw.found_time,
        now,
    );
    let found_where = v::required_text(
        &mut e,
        "found-where",
        "Where it was found",
        &raw.found_where,
        EVIDENCE_DETAIL_MAX,
    );
    let storage = v::required_text(
        &mut e,
        "storage",
        "How it was stored",
        &raw.storage,
        EVIDENCE_DETAIL_MAX,
    );
    let reference_numbers = v::optional_text(
        &mut e,
        "reference-numbers",
        "Reference numbers",
        &raw.reference_numbers,
        SHORT_TEXT_MAX,
    );
    match (kind, found_at) {
        (Some(kind), Some(found_at)) if e.is_empty() => Ok(alongside_store::NewEvidence {
            kind,
            description,
            found_by,
            found_at,
            found_where,
            storage,
            reference_numbers,
        }),
        _ => Err(e),
    }
}

/// A handover in an evidence item's chain of custody, as sent.
///
/// | form field | API property | rule |
/// | --- | --- | --- |
/// | `handed-by` | `handed_by` | required |
/// | `handed-to` | `handed_to` | required |
/// | `collar-number` | `collar_number` | optional; letters and digits only, up to 12 |
/// | `handed-on-day`, `-month`, `-year` | `date` (YYYY-MM-DD) | required, not in the future |
/// | `handed-time` | `time` (HH:MM) | optional, not in the future |
/// | `reference` | `reference` | optional |
/// | `handover-note` | `note` | optional |
#[derive(Debug, Clone, Default)]
pub struct RawHandover {
    pub handed_by: String,
    pub handed_to: String,
    pub collar_number: String,
    pub date: RawDate,
    pub time: String,
    pub reference: String,
    pub note: String,
}

impl RawHandover {
    pub fn from_form(data: &FormData) -> Self {
        RawHandover {
            handed_by: data.get("handed-by").into(),
            handed_to: data.get("handed-to").into(),
            collar_number: data.get("collar-number").into(),
            date: form_date(data, "handed-on"),
            time: data.get("handed-time").into(),
            reference: data.get("reference").into(),
            note: data.get("handover-note").into(),
        }
    }
}

pub fn handover(
    raw: &RawHandover,
    now: NaiveDateTime,
) -> Result<alongside_store::NewCustodyEvent, FieldErrors> {
    let mut e = FieldErrors::new();
    let handed_by = v::required_text(
        &mut e,
        "handed-by",
        "Who handed it over",
        &raw.handed_by,
        SHORT_TEXT_MAX,
    );
    let handed_to = v::required_text(
        &mut e,
        "handed-to",
        "Who it was handed to",
        &raw.handed_to,
        SHORT_TEXT_MAX,
    );
    let collar = raw.collar_number.trim();
    let collar_number = if collar.is_empty() {
        None
    } else if !collar.chars().all(|c| c.is_ascii_alphanumeric()) {
        e.add(
            "collar-number",
            "Collar number must contain only letters and digits",
        );
        None
    } else if collar.len() > COLLAR_NUMBER_MAX {
        e.add(
            "collar-number",
            format!("Collar number must be {COLLAR_NUMBER_MAX} characters or fewer"),
        );
        None
    } else {
        Some(collar.to_ascii_uppercase())
    };
    let at = moment_past(
        &mut e,
        "handed-on",
        "Date handed over",
        &raw.date,
        "handed-time",
        "Time handed over",
        &raw.time,
        now,
    );
    let reference = v::optional_text(
        &mut e,
        "reference",
        "Reference",
        &raw.reference,
        HANDOVER_REFERENCE_MAX,
    );
    let note = v::optional_text(&mut e, "handover-note", "Note", &raw.note, LONG_TEXT_MAX);
    match at {
        Some(at) if e.is_empty() => Ok(alongside_store::NewCustodyEvent {
            kind: alongside_domain::information::CustodyEventKind::Transfer,
            handed_by: Some(handed_by),
            handed_to: Some(handed_to),
            collar_number,
            at: Some(at),
            reference,
            note,
            corrects_seq: None,
        }),
        _ => Err(e),
    }
}

/// A correction to an entry of a chain of custody, as sent: `corrects` (the entry
/// number; API `corrects`) and `correction-note` (what was wrong and what is right; API
/// `note`). Whether the entry exists is the store's to say.
#[derive(Debug, Clone, Default)]
pub struct RawCorrection {
    pub corrects: String,
    pub note: String,
}

impl RawCorrection {
    pub fn from_form(data: &FormData) -> Self {
        RawCorrection {
            corrects: data.get("corrects").into(),
            note: data.get("correction-note").into(),
        }
    }
}

pub fn correction(raw: &RawCorrection) -> Result<alongside_store::NewCustodyEvent, FieldErrors> {
    let mut e = FieldErrors::new();
    let corrects = v::number_in_range(
        &mut e,
        "corrects",
        "The number of the entry it corrects",
        &raw.corrects,
        1..=1_000_000,
        true,
    );
    let note = v::required_text(
        &mut e,
        "correction-note",
        "What was wrong and what is right",
        &raw.note,
        LONG_TEXT_MAX,
    );
    match corrects {
        Some(n) if e.is_empty() => Ok(alongside_store::NewCustodyEvent {
            kind: alongside_domain::information::CustodyEventKind::Correction,
            handed_by: None,
            handed_to: None,
            collar_number: None,
            at: None,
            reference: None,
            note: Some(note),
            corrects_seq: Some(n),
        }),
        _ => Err(e),
    }
}

/// A threat or incident against the family, as sent by a worker, a parent or carer
/// (the parent portal) or a program. [`incident`] reads it.
///
/// | form field | API property | rule |
/// | --- | --- | --- |
/// | `date-day`, `date-month`, `date-year` | `date` (YYYY-MM-DD) | required, not in the future |
/// | `time` | `time` (HH:MM) | optional, not in the future |
/// | `kind` | `kind` | required, an [`IncidentKind`](alongside_domain::information::IncidentKind) code |
/// | `description` | `description` | required: what happened, up to 10,000 characters |
/// | `people` | `people` | optional: names, nicknames or descriptions of persons of concern, separated by commas or lines |
/// | `reported` (`yes` or `no`) | `reported_to_police` (true or false) | required |
/// | `crime-reference` | `crime_reference` | required when reported, up to 50 characters; empty when not |
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

impl RawIncident {
    /// The fields of a submitted form, named as in the table above.
    pub fn from_form(data: &FormData) -> Self {
        RawIncident {
            date: form_date(data, "date"),
            time: data.get("time").into(),
            kind: data.get("kind").into(),
            description: data.get("description").into(),
            people: data.get("people").into(),
            reported: data.get("reported").into(),
            crime_reference: data.get("crime-reference").into(),
            outcome: data.get("outcome").into(),
        }
    }
}

/// Reads a threat or incident, with the identifiers in it: every vehicle mark, phone
/// number, email, handle and postcode found in what happened and in who was involved
/// (origin "text"; byte offsets given for what happened only, the text they point into),
/// and each comma- or line-separated name in who was involved as a person of concern
/// (origin "field").
pub fn incident(
    raw: &RawIncident,
    now: NaiveDateTime,
) -> Result<alongside_store::NewIncident, FieldErrors> {
    use alongside_domain::information::IncidentKind;
    let mut e = FieldErrors::new();
    let occurred_at = moment_past(
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
    let reported = match raw.reported.trim() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        "" => {
            e.add("reported", "Select whether it was reported to the police");
            None
        }
        _ => {
            e.add(
                "reported",
                "Select yes or no for whether it was reported to the police",
            );
            None
        }
    };
    let crime_reference = v::optional_text(
        &mut e,
        "crime-reference",
        "Crime reference",
        &raw.crime_reference,
        CRIME_REFERENCE_MAX,
    );
    match (reported, &crime_reference) {
        (Some(true), None) => e.add(
            "crime-reference",
            "Enter the crime reference the police gave",
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
            Ok(alongside_store::NewIncident {
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

/// The identifiers of a threat or incident (see [`incident`]). A "who was involved" item
/// that is wholly an identifier (a phone number on its own) is not also taken as a name,
/// and the same identifier is kept once.
pub fn incident_identifiers(
    description: &str,
    people: Option<&str>,
) -> Vec<alongside_store::NewIdentifier> {
    use super::entry_form::{found_in, person, split_names};
    let mut out = found_in(description, "text");
    let Some(people) = people else {
        return out;
    };
    let add = |out: &mut Vec<alongside_store::NewIdentifier>, i: alongside_store::NewIdentifier| {
        if !out.iter().any(|o| o.kind == i.kind && o.value == i.value) {
            out.push(i);
        }
    };
    // Offsets point into the description only, so those found in "who" carry none.
    for mut i in found_in(people, "text") {
        i.start = None;
        i.end = None;
        add(&mut out, i);
    }
    for name in split_names(people) {
        // A "who" that is wholly an identifier (a lone phone number) is not also a name.
        let whole = alongside_domain::identifiers::extract(name);
        if whole.len() == 1 && whole[0].raw.trim() == name {
            continue;
        }
        add(&mut out, person(name));
    }
    out
}

#[cfg(test)]
mod evidence_and_incident_tests {
    use super::*;
    use alongside_domain::information::ItemKind;

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
        let i = incident(&good_incident(), now()).unwrap();
        assert!(i.reported_to_police);
        let text = &good_incident().description;
        let phone = i
            .identifiers
            .iter()
            .find(|x| x.kind == ItemKind::Phone)
            .unwrap();
        assert_eq!(phone.value, "+447700900123");
        let (s, e) = (phone.start.unwrap() as usize, phone.end.unwrap() as usize);
        assert_eq!(&text[s..e], phone.raw);
        assert!(i
            .identifiers
            .iter()
            .any(|x| x.kind == ItemKind::Vehicle && x.value == "AB12CDE"));
        let names: Vec<&str> = i
            .identifiers
            .iter()
            .filter(|x| x.kind == ItemKind::Person)
            .map(|x| x.value.as_str())
            .collect();
        assert_eq!(names, vec!["danny k", "\"tiny\""]);
        // The phone number in "who" is the one already found: kept once.
        assert_eq!(
            i.identifiers
                .iter()
                .filter(|x| x.kind == ItemKind::Phone)
                .count(),
            1
        );
    }

    #[test]
    fn an_incident_needs_a_crime_reference_only_when_reported() {
        let mut raw = good_incident();
        raw.crime_reference = " ".into();
        let e = incident(&raw, now()).unwrap_err();
        assert_eq!(
            e.get("crime-reference"),
            Some("Enter the crime reference the police gave")
        );
        raw.reported = "no".into();
        assert!(incident(&raw, now()).is_ok());
        raw.crime_reference = "x".repeat(51);
        assert!(incident(&raw, now())
            .unwrap_err()
            .get("crime-reference")
            .is_some());
    }

    #[test]
    fn an_incident_cannot_be_in_the_future() {
        let mut raw = good_incident();
        raw.date = RawDate::Iso("2026-11-22".into());
        raw.time = "12:01".into();
        let e = incident(&raw, now()).unwrap_err();
        assert_eq!(
            e.get("time"),
            Some("Time it happened must be now or earlier")
        );
        raw.time = String::new();
        assert_eq!(
            incident(&raw, now()).unwrap().occurred_at,
            now().date().and_hms_opt(9, 0, 0).unwrap()
        );
        raw.date = RawDate::Iso("2026-11-23".into());
        assert!(incident(&raw, now()).unwrap_err().get("date").is_some());
    }

    #[test]
    fn collar_numbers_are_letters_and_digits() {
        let mut raw = RawHandover {
            handed_by: "Sam Dunmere".into(),
            handed_to: "DC Rowe".into(),
            collar_number: "ab 123".into(),
            date: RawDate::Iso("2026-11-22".into()),
            ..Default::default()
        };
        assert!(handover(&raw, now())
            .unwrap_err()
            .get("collar-number")
            .is_some());
        raw.collar_number = "1234567890123".into();
        assert!(handover(&raw, now())
            .unwrap_err()
            .get("collar-number")
            .is_some());
        raw.collar_number = "pc4821".into();
        assert_eq!(
            handover(&raw, now()).unwrap().collar_number.as_deref(),
            Some("PC4821")
        );
    }

    #[test]
    fn a_correction_names_an_entry_and_says_what_is_right() {
        let e = correction(&RawCorrection::default()).unwrap_err();
        assert!(e.get("corrects").is_some() && e.get("correction-note").is_some());
        let c = correction(&RawCorrection {
            corrects: "1".into(),
            note: "The time was 14:30, not 13:30".into(),
        })
        .unwrap();
        assert_eq!(c.corrects_seq, Some(1));
    }
}
