//! The rules of a submission to the police ([`NewSubmission::parse`]): which entries,
//! a summary, a 3x5x2 grade and, with handling code C, the conditions on sharing; and
//! of what the police say became of it ([`NewOutcome::parse`]).

use super::{Grade, HandlingCode, IntelligenceAssessment, SourceEvaluation, SubmissionOutcome};
use crate::ids::EntryId;
use crate::validate::{self as v, FieldErrors, LONG_TEXT_MAX};
use crate::Code;

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
fn grade_part<T: Code>(e: &mut FieldErrors, field: &str, what: &str, value: &str) -> Option<T> {
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
    /// `yes` to replace the family's own names and address with what they stand for
    /// (the default), `no` to send the text as written; the API's `redact_family_details`.
    pub redact: String,
}

/// A submission to the police, as its rules leave it. Whether the entries exist, belong
/// to the family and may be passed on is the store's to say.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    entry_ids: Vec<EntryId>,
    summary: String,
    grade: Grade,
    handling_conditions: Option<String>,
    redact: bool,
}

impl NewSubmission {
    /// Checks a submission before it goes to the store: at least one entry, a summary, a
    /// complete grade, and the conditions on sharing when (and only when) handling is C.
    pub fn parse(raw: &RawSubmission) -> Result<NewSubmission, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut entry_ids: Vec<EntryId> = Vec::new();
        let mut bad_id = false;
        for id in &raw.entry_ids {
            match id.trim().parse::<EntryId>() {
                Ok(n) => {
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
        let redact = match raw.redact.trim() {
            "" | "yes" | "true" => true,
            "no" | "false" => false,
            _ => {
                e.add(
                    "redact",
                    "Choose whether to replace the family's names and address",
                );
                true
            }
        };
        match grade {
            Some(grade) if e.is_empty() => Ok(NewSubmission {
                entry_ids,
                summary,
                grade,
                handling_conditions,
                redact,
            }),
            _ => Err(e),
        }
    }

    /// A submission made without the rules, for data no person typed (the demo data).
    /// Named to stand out: pages and the API use [`NewSubmission::parse`].
    #[doc(hidden)]
    pub fn unchecked(
        entry_ids: Vec<EntryId>,
        summary: String,
        grade: Grade,
        handling_conditions: Option<String>,
    ) -> NewSubmission {
        NewSubmission {
            entry_ids,
            summary,
            grade,
            handling_conditions,
            redact: true,
        }
    }

    /// The same submission sent with the text as written (`false`), or with the
    /// family's own names and address replaced by what they stand for (`true`).
    pub fn redacting(mut self, redact: bool) -> NewSubmission {
        self.redact = redact;
        self
    }

    /// Whether the family's own names and address are replaced before it is sent.
    pub fn redact(&self) -> bool {
        self.redact
    }

    /// At least one, each once.
    pub fn entry_ids(&self) -> &[EntryId] {
        &self.entry_ids
    }
    pub fn summary(&self) -> &str {
        &self.summary
    }
    pub fn grade(&self) -> Grade {
        self.grade
    }
    /// Only with handling code C, and then always.
    pub fn handling_conditions(&self) -> Option<&str> {
        self.handling_conditions.as_deref()
    }
}

/// What the police say became of a submission, as typed: `outcome`, `reference`, `note`.
#[derive(Debug, Clone, Default)]
pub struct RawOutcome {
    pub outcome: String,
    pub reference: String,
    pub note: String,
}

/// What the police say became of a submission.
#[derive(Debug, Clone)]
pub struct NewOutcome {
    outcome: SubmissionOutcome,
    reference: Option<String>,
    note: Option<String>,
}

impl NewOutcome {
    pub fn parse(raw: &RawOutcome) -> Result<NewOutcome, FieldErrors> {
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

    /// An outcome made without the rules, for data no person typed (the demo data).
    /// Named to stand out: pages and the API use [`NewOutcome::parse`].
    #[doc(hidden)]
    pub fn unchecked(
        outcome: SubmissionOutcome,
        reference: Option<String>,
        note: Option<String>,
    ) -> NewOutcome {
        NewOutcome {
            outcome,
            reference,
            note,
        }
    }

    pub fn outcome(&self) -> SubmissionOutcome {
        self.outcome
    }
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

#[cfg(test)]
mod tests {
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
            ..Default::default()
        };
        let s = NewSubmission::parse(&raw).unwrap();
        assert_eq!(s.entry_ids(), &[EntryId::new(3), EntryId::new(5)]);
        assert_eq!(s.summary(), "A car seen outside the school.");
        assert_eq!(s.grade().code(), "B2P");
        assert_eq!(s.handling_conditions(), None, "conditions are for C only");
        let c = NewSubmission::parse(&RawSubmission {
            grade: RawGrade::Code("b2c".into()),
            ..raw
        })
        .unwrap();
        assert_eq!(
            c.handling_conditions(),
            Some("Not to be shared outside the force")
        );
    }

    #[test]
    fn each_fault_is_named() {
        let e = NewSubmission::parse(&RawSubmission::default()).unwrap_err();
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
        let e = NewSubmission::parse(&RawSubmission {
            entry_ids: vec!["1".into()],
            summary: "s".into(),
            grade: parts("A", "1", "C"),
            handling_conditions: "  ".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            e.get("handling-conditions"),
            Some("Enter the conditions on sharing, because the handling code is C")
        );
        let e = NewSubmission::parse(&RawSubmission {
            entry_ids: vec!["x".into()],
            summary: "s".into(),
            grade: RawGrade::Code("D9Z".into()),
            handling_conditions: String::new(),
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.get("entry-ids").is_some());
        assert!(e.get("grade").unwrap().contains("for example B2P"));
    }

    #[test]
    fn outcomes_need_a_choice_and_bounded_text() {
        assert!(NewOutcome::parse(&RawOutcome::default())
            .unwrap_err()
            .get("outcome")
            .is_some());
        let e = NewOutcome::parse(&RawOutcome {
            outcome: "arrested".into(),
            reference: "x".repeat(101),
            note: String::new(),
        })
        .unwrap_err();
        assert!(e.get("outcome").is_some());
        assert!(e.get("reference").unwrap().contains("100 characters"));
        let o = NewOutcome::parse(&RawOutcome {
            outcome: "linked_to_investigation".into(),
            reference: " OP-TEST-123 ".into(),
            note: String::new(),
        })
        .unwrap();
        assert_eq!(o.outcome(), SubmissionOutcome::LinkedToInvestigation);
        assert_eq!(o.reference(), Some("OP-TEST-123"));
        assert_eq!(o.note(), None);
    }
}
