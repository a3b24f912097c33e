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
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub occurred_at: Option<NaiveDateTime>,
    pub occurred_approx: Option<String>,
    pub how_known: HowKnown,
    pub status: EntryStatus,
    pub created_at: DateTime<Utc>,
    /// What tells the family from others of its name (lists of several families).
    pub family_tag: Option<String>,
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
    /// When it was passed to the police, and when they confirmed receiving it.
    pub submitted_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub identifiers: Vec<StoredIdentifier>,
    pub attachments: Vec<AttachmentMeta>,
}
/// One stage of a parent's note on its way: what happened, when, and any words for them.
#[derive(Debug, Clone)]
pub struct Stage {
    pub what: &'static str,
    pub at: DateTime<Utc>,
    pub words: Option<String>,
}

impl EntryDetail {
    /// The stages the note has passed, oldest first, in a parent's words: received, read
    /// (with the PLO's reason, written for them), passed to the police, received by them,
    /// answered.
    pub fn stages_for_parent(&self) -> Vec<Stage> {
        let mut out = vec![Stage {
            what: "Received",
            at: self.row.created_at,
            words: None,
        }];
        if let Some(at) = self.reviewed_at {
            out.push(Stage {
                what: "Read by your Parent Liaison Officer",
                at,
                words: self.review_reason.clone(),
            });
        }
        if let Some(at) = self.submitted_at {
            out.push(Stage {
                what: "Passed to the police",
                at,
                words: None,
            });
        }
        if let Some(at) = self.acknowledged_at {
            out.push(Stage {
                what: "The police confirmed they received it",
                at,
                words: None,
            });
        }
        if let (Some(at), Some(o)) = (self.outcome_at, self.outcome) {
            out.push(Stage {
                what: "The police answered",
                at,
                words: Some(o.for_parent().to_string()),
            });
        }
        out
    }
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
    /// Why it is unusual (a vehicle mark never issued: possibly a false plate).
    pub unusual: Option<String>,
}
