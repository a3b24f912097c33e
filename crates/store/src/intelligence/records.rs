//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The commands this area takes in, with their rules, live in the domain crate.
pub use alongside_domain::information::{NewOutcome, NewSubmission};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmissionRow {
    pub id: SubmissionId,
    pub reference: String,
    /// Shown to hub workers only; `None` for the police (the source is protected).
    pub family_name: Option<String>,
    pub family_id: Option<FamilyId>,
    pub grade: String,
    pub status: SubmissionStatus,
    pub created_at: DateTime<Utc>,
    pub submitted_by: String,
    pub outcome: Option<SubmissionOutcome>,
    /// What tells the family from others of its name: hub workers only, never the police.
    pub family_tag: Option<String>,
}

/// The facts of one entry as a submission carries them to the police: what, when,
/// where and how it is known, never who the family is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmittedEntry {
    /// The entry, for the hub's workers; `None` for police partners, so that nothing ties
    /// a submission to the records (and so the family) behind it.
    pub entry_id: Option<EntryId>,
    pub what: String,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub occurred_at: Option<NaiveDateTime>,
    pub occurred_approx: Option<String>,
    pub place: Option<String>,
    pub people: Option<String>,
    pub how_known: HowKnown,
    pub attachments: Vec<SubmittedPhoto>,
}

/// A photo as a submission carries it: numbered within the submission, never by the
/// database id that could tie it to an entry and so to a family (decision 0009; issue 10,
/// L9). It is served at `/intelligence/{submission}/photos/{number}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmittedPhoto {
    /// 1 for the submission's first photo, in the order of its entries.
    pub number: u32,
    /// `photo-2.jpg` for the second.
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl SubmittedPhoto {
    /// The name the photo is shown by ("Photo 2").
    pub fn label(&self) -> String {
        alongside_domain::information::photo::label(&self.filename)
    }
}

/// A submission's photo with its bytes.
#[derive(Debug, Clone)]
pub struct SubmissionPhotoFile {
    pub photo: SubmittedPhoto,
    pub content: Vec<u8>,
}

/// An identifier found in what a submission passes on, numbered within it (no database
/// id: decision 0009).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmittedIdentifier {
    /// 1 for the first, in the order of the entries.
    pub number: u32,
    pub kind: ItemKind,
    pub value: String,
    /// How the value is shown (vehicle marks with their space).
    pub display: String,
    /// As it was written.
    pub raw: String,
    pub recognised: bool,
    pub status: IdentifierStatus,
    pub corrected_from: Option<String>,
    /// Why it is unusual (a vehicle mark never issued: possibly a false plate).
    pub unusual: Option<String>,
}

/// What a submission would send, for the PLO's last check ([`Intelligence::submission_preview`]).
#[derive(Debug, Clone)]
pub struct SubmissionPreview {
    /// As the police would read it.
    pub summary: String,
    pub entries: Vec<PreviewEntry>,
    /// Confirmed or corrected by the PLO at review: these go.
    pub passed_on: Vec<crate::StoredIdentifier>,
    /// Not confirmed at review: these stay on the record only.
    pub held_back: Vec<crate::StoredIdentifier>,
    /// The family's own names and address found in the text as written.
    pub found: Vec<FamilyDetail>,
}

/// One entry as a submission would carry it.
#[derive(Debug, Clone)]
pub struct PreviewEntry {
    pub id: EntryId,
    pub what: String,
    pub occurred_at: Option<NaiveDateTime>,
    pub occurred_approx: Option<String>,
    pub place: Option<String>,
    pub people: Option<String>,
}

/// One of the family's own names or its address, found in what would be sent.
#[derive(Debug, Clone)]
pub struct FamilyDetail {
    /// As written.
    pub written: String,
    /// "a child's name".
    pub stands_for: String,
    /// "[child]".
    pub replaced_by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmissionDetail {
    pub row: SubmissionRow,
    pub summary: String,
    pub source_evaluation: SourceEvaluation,
    pub assessment: IntelligenceAssessment,
    pub handling: HandlingCode,
    pub handling_conditions: Option<String>,
    pub source_description: String,
    /// The worker to contact about it.
    pub contact: String,
    pub hub_name: String,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub outcome_reference: Option<String>,
    pub outcome_note: Option<String>,
    pub outcome_by: Option<String>,
    pub outcome_at: Option<DateTime<Utc>>,
    pub entries: Vec<SubmittedEntry>,
    pub identifiers: Vec<SubmittedIdentifier>,
    /// Every outcome recorded, newest first: the first is the one in force; the ones
    /// after it were replaced, and are kept (issue 10, M4).
    pub outcomes: Vec<OutcomeRecord>,
}

/// An outcome the police recorded, with who and when.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutcomeRecord {
    pub outcome: SubmissionOutcome,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl SubmissionDetail {
    pub fn grade(&self) -> Grade {
        Grade {
            source: self.source_evaluation,
            assessment: self.assessment,
            handling: self.handling,
        }
    }
}
