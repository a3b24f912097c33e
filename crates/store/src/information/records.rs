//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The commands this area takes in, with their rules, live in the domain crate.
pub use alongside_domain::information::{IdentifierCheck, NewAttachment, NewEntry, NewIdentifier};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentMeta {
    pub id: AttachmentId,
    /// A neutral name (`photo-2.jpg`): the file's own name is never kept.
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl AttachmentMeta {
    /// The name a photo is shown by ("Photo 2").
    pub fn label(&self) -> String {
        alongside_domain::information::photo::label(&self.filename)
    }
}

#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub meta: AttachmentMeta,
    pub content: Vec<u8>,
}

/// An entry in a list: the review queue, a family's log.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryRow {
    pub id: EntryId,
    pub family_id: FamilyId,
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
    pub recorded_by_id: UserId,
    pub place: Option<String>,
    pub people: Option<String>,
    pub how_known_who: Option<String>,
    pub how_known_detail: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub submission_id: Option<SubmissionId>,
    pub submission_reference: Option<String>,
    pub submission_status: Option<SubmissionStatus>,
    pub outcome: Option<SubmissionOutcome>,
    pub outcome_at: Option<DateTime<Utc>>,
    pub identifiers: Vec<StoredIdentifier>,
    pub attachments: Vec<AttachmentMeta>,
}
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredIdentifier {
    pub id: IdentifierId,
    pub kind: ItemKind,
    pub value: String,
    /// How the value is shown (vehicle marks with their space).
    pub display: String,
    pub raw: String,
    pub origin: String,
    pub recognised: bool,
    pub status: IdentifierStatus,
    pub corrected_from: Option<String>,
    /// Checked by the PLO at review (only these may reach the police).
    pub reviewed: bool,
}
