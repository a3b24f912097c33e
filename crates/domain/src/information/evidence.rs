//! The rules of an evidence item ([`NewEvidence::parse`]) and of the entries of its
//! chain of custody: a handover ([`NewCustodyEvent::handover`]) or a correction to an
//! earlier entry ([`NewCustodyEvent::correction`]). Nothing in a chain is changed or
//! removed: a mistake is put right by a correction that names the entry it corrects.

use super::{CustodyEventKind, EvidenceKind};
use crate::validate::{self as v, FieldErrors, RawDate, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use chrono::NaiveDateTime;

/// Longest "where it was found" and "how it was stored".
pub const EVIDENCE_DETAIL_MAX: usize = 1_000;
/// Longest police collar number (letters and digits only).
pub const COLLAR_NUMBER_MAX: usize = 12;
/// Longest reference given with a handover (an exhibit or bag seal number).
pub const HANDOVER_REFERENCE_MAX: usize = 100;

/// An evidence item as sent.
///
/// | form field | API property | rule |
/// | --- | --- | --- |
/// | `kind` | `kind` | required, an [`EvidenceKind`] code |
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

/// An evidence item: what it is, who found it where and when, and how it was kept.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    kind: EvidenceKind,
    description: String,
    found_by: String,
    found_at: NaiveDateTime,
    found_where: String,
    storage: String,
    reference_numbers: Option<String>,
}

impl NewEvidence {
    /// `now` is UK local time: nothing is found in the future.
    pub fn parse(raw: &RawEvidence, now: NaiveDateTime) -> Result<NewEvidence, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind =
            v::code::<EvidenceKind>(&mut e, "kind", "What kind of item it is", &raw.kind, true);
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
        let found_at = v::moment_past(
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
            (Some(kind), Some(found_at)) if e.is_empty() => Ok(NewEvidence {
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

    /// An item made without the rules, for data no person typed (the demo data, tests).
    /// Named to stand out: pages and the API use [`NewEvidence::parse`].
    #[doc(hidden)]
    pub fn unchecked(
        kind: EvidenceKind,
        description: String,
        found_by: String,
        found_at: NaiveDateTime,
        found_where: String,
        storage: String,
        reference_numbers: Option<String>,
    ) -> NewEvidence {
        NewEvidence {
            kind,
            description,
            found_by,
            found_at,
            found_where,
            storage,
            reference_numbers,
        }
    }

    pub fn kind(&self) -> EvidenceKind {
        self.kind
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn found_by(&self) -> &str {
        &self.found_by
    }
    pub fn found_at(&self) -> NaiveDateTime {
        self.found_at
    }
    pub fn found_where(&self) -> &str {
        &self.found_where
    }
    pub fn storage(&self) -> &str {
        &self.storage
    }
    pub fn reference_numbers(&self) -> Option<&str> {
        self.reference_numbers.as_deref()
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

/// A correction to an entry of a chain of custody, as sent: `corrects` (the entry
/// number; API `corrects`) and `correction-note` (what was wrong and what is right; API
/// `note`). Whether the entry exists is the store's to say.
#[derive(Debug, Clone, Default)]
pub struct RawCorrection {
    pub corrects: String,
    pub note: String,
}

/// One entry of a chain of custody: a handover (who, to whom, when) or a correction
/// (which entry, and what is right).
#[derive(Debug, Clone)]
pub struct NewCustodyEvent {
    kind: CustodyEventKind,
    handed_by: Option<String>,
    handed_to: Option<String>,
    collar_number: Option<String>,
    at: Option<NaiveDateTime>,
    reference: Option<String>,
    note: Option<String>,
    /// For a correction: the number of the entry it corrects.
    corrects_seq: Option<i64>,
}

impl NewCustodyEvent {
    /// The rules of a handover. `now` is UK local time.
    pub fn handover(raw: &RawHandover, now: NaiveDateTime) -> Result<NewCustodyEvent, FieldErrors> {
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
        let at = v::moment_past(
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
            Some(at) if e.is_empty() => Ok(NewCustodyEvent {
                kind: CustodyEventKind::Transfer,
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

    /// The rules of a correction.
    pub fn correction(raw: &RawCorrection) -> Result<NewCustodyEvent, FieldErrors> {
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
            Some(n) if e.is_empty() => Ok(NewCustodyEvent {
                kind: CustodyEventKind::Correction,
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

    /// A handover made without the rules, for data no person typed (the demo data).
    /// Named to stand out: pages and the API use [`NewCustodyEvent::handover`].
    #[doc(hidden)]
    pub fn unchecked_handover(
        handed_by: String,
        handed_to: String,
        collar_number: Option<String>,
        at: NaiveDateTime,
        reference: Option<String>,
        note: Option<String>,
    ) -> NewCustodyEvent {
        NewCustodyEvent {
            kind: CustodyEventKind::Transfer,
            handed_by: Some(handed_by),
            handed_to: Some(handed_to),
            collar_number,
            at: Some(at),
            reference,
            note,
            corrects_seq: None,
        }
    }

    pub fn kind(&self) -> CustodyEventKind {
        self.kind
    }
    /// For a handover.
    pub fn handed_by(&self) -> Option<&str> {
        self.handed_by.as_deref()
    }
    /// For a handover.
    pub fn handed_to(&self) -> Option<&str> {
        self.handed_to.as_deref()
    }
    pub fn collar_number(&self) -> Option<&str> {
        self.collar_number.as_deref()
    }
    /// For a handover: when.
    pub fn at(&self) -> Option<NaiveDateTime> {
        self.at
    }
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
    /// For a correction: the number of the entry it corrects.
    pub fn corrects_seq(&self) -> Option<i64> {
        self.corrects_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
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
        assert!(NewCustodyEvent::handover(&raw, now())
            .unwrap_err()
            .get("collar-number")
            .is_some());
        raw.collar_number = "1234567890123".into();
        assert!(NewCustodyEvent::handover(&raw, now())
            .unwrap_err()
            .get("collar-number")
            .is_some());
        raw.collar_number = "pc4821".into();
        assert_eq!(
            NewCustodyEvent::handover(&raw, now())
                .unwrap()
                .collar_number(),
            Some("PC4821")
        );
    }

    #[test]
    fn a_correction_names_an_entry_and_says_what_is_right() {
        let e = NewCustodyEvent::correction(&RawCorrection::default()).unwrap_err();
        assert!(e.get("corrects").is_some() && e.get("correction-note").is_some());
        let c = NewCustodyEvent::correction(&RawCorrection {
            corrects: "1".into(),
            note: "The time was 14:30, not 13:30".into(),
        })
        .unwrap();
        assert_eq!(c.corrects_seq(), Some(1));
    }
}
