//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewEntry {
    pub what: String,
    pub occurred_at: Option<NaiveDateTime>,
    pub occurred_approx: Option<String>,
    pub place: Option<String>,
    pub people: Option<String>,
    pub how_known: HowKnown,
    pub how_known_who: Option<String>,
    pub how_known_detail: Option<String>,
    pub identifiers: Vec<NewIdentifier>,
    pub attachments: Vec<NewAttachment>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentMeta {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub meta: AttachmentMeta,
    pub content: Vec<u8>,
}

/// An entry in a list: the review queue, a family's log.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryRow {
    pub id: i64,
    pub family_id: i64,
    pub family_name: String,
    pub recorded_by: String,
    pub recorder_role: Role,
    pub what: String,
    pub occurred_at: Option<NaiveDateTime>,
    pub occurred_approx: Option<String>,
    pub how_known: HowKnown,
    pub status: EntryStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryDetail {
    pub row: EntryRow,
    pub recorded_by_id: i64,
    pub place: Option<String>,
    pub people: Option<String>,
    pub how_known_who: Option<String>,
    pub how_known_detail: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub submission_id: Option<i64>,
    pub submission_reference: Option<String>,
    pub submission_status: Option<SubmissionStatus>,
    pub outcome: Option<SubmissionOutcome>,
    pub outcome_at: Option<DateTime<Utc>>,
    pub identifiers: Vec<StoredIdentifier>,
    pub attachments: Vec<AttachmentMeta>,
}
/// One identifier to store with an entry or incident.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewIdentifier {
    pub kind: ItemKind,
    /// Normalised (or, when not recognised, as typed).
    pub value: String,
    /// Exactly as written.
    pub raw: String,
    /// "text" when found in what was written, "field" when typed in a field of its own.
    pub origin: &'static str,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub recognised: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredIdentifier {
    pub id: i64,
    pub kind: ItemKind,
    pub value: String,
    /// How the value is shown (vehicle marks with their space).
    pub display: String,
    pub raw: String,
    pub origin: String,
    pub recognised: bool,
    pub status: IdentifierStatus,
    pub corrected_from: Option<String>,
}

/// What the person who recorded an entry says about one identifier found in it.
#[derive(Debug, Clone)]
pub enum IdentifierCheck {
    Confirm,
    /// The right value, normalised.
    Correct(String),
    Reject,
}
