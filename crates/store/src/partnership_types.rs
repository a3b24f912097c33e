//! Records of the parents-as-partners work: invitations, the information log, its
//! identifiers and attachments, intelligence submissions, evidence and incidents.

use alongside_domain::information::{
    CustodyEventKind, EntryStatus, EvidenceKind, Grade, HandlingCode, HowKnown, IdentifierStatus,
    IncidentKind, IntelligenceAssessment, ItemKind, SourceEvaluation, SubmissionOutcome,
    SubmissionStatus,
};
use alongside_domain::roles::Role;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct NewInvitation {
    /// The family member (a parent or carer) invited, if the record holds them.
    pub member_id: Option<i64>,
    /// The name the invitation is for, as the worker wrote it.
    pub display_name: String,
}

/// A new invitation; the code is shown once and stored only as a hash.
#[derive(Debug, Clone)]
pub struct InvitationCreated {
    pub id: i64,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub display_name: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub withdrawn: bool,
}

impl Invitation {
    pub fn state(&self, now: DateTime<Utc>) -> &'static str {
        if self.used_at.is_some() {
            "Accepted"
        } else if self.withdrawn {
            "Withdrawn"
        } else if self.expires_at <= now {
            "Expired"
        } else {
            "Waiting"
        }
    }
}

/// An invitation being accepted: the account the parent chooses.
#[derive(Debug, Clone)]
pub struct Acceptance {
    pub code: String,
    pub username: String,
    pub password_hash: String,
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

/// One thing a parent shared, and what became of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParentEntry {
    pub id: i64,
    pub what: String,
    pub created_at: DateTime<Utc>,
    pub status: EntryStatus,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submission_status: Option<SubmissionStatus>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub outcome: Option<SubmissionOutcome>,
    pub outcome_at: Option<DateTime<Utc>>,
}

/// The parent portal's home: their family, their worker, what they shared.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParentHome {
    pub family_id: i64,
    pub plo: Option<String>,
    pub entries: Vec<ParentEntry>,
    pub incidents: Vec<IncidentRow>,
}

#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub entry_ids: Vec<i64>,
    pub summary: String,
    pub grade: Grade,
    pub handling_conditions: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmissionRow {
    pub id: i64,
    pub reference: String,
    /// Shown to hub workers only; `None` for the police (the source is protected).
    pub family_name: Option<String>,
    pub family_id: Option<i64>,
    pub grade: String,
    pub status: SubmissionStatus,
    pub created_at: DateTime<Utc>,
    pub submitted_by: String,
    pub outcome: Option<SubmissionOutcome>,
}

/// The facts of one entry as a submission carries them to the police: what, when,
/// where and how it is known, never who the family is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmittedEntry {
    /// The entry, for the hub's workers; `None` for police partners, so that nothing ties
    /// a submission to the records (and so the family) behind it.
    pub entry_id: Option<i64>,
    pub what: String,
    pub occurred_at: Option<NaiveDateTime>,
    pub occurred_approx: Option<String>,
    pub place: Option<String>,
    pub people: Option<String>,
    pub how_known: HowKnown,
    pub attachments: Vec<AttachmentMeta>,
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
    pub identifiers: Vec<StoredIdentifier>,
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

#[derive(Debug, Clone)]
pub struct NewOutcome {
    pub outcome: SubmissionOutcome,
    pub reference: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub kind: EvidenceKind,
    pub description: String,
    pub found_by: String,
    pub found_at: NaiveDateTime,
    pub found_where: String,
    pub storage: String,
    pub reference_numbers: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvidenceRow {
    pub id: i64,
    /// 0 for police partners, who are not told which family.
    pub family_id: i64,
    pub family_name: String,
    pub kind: EvidenceKind,
    pub description: String,
    pub found_at: NaiveDateTime,
    /// Who holds it now, by the latest handover (or who found it).
    pub held_by: String,
}

#[derive(Debug, Clone)]
pub struct NewCustodyEvent {
    pub kind: CustodyEventKind,
    pub handed_by: Option<String>,
    pub handed_to: Option<String>,
    pub collar_number: Option<String>,
    pub at: Option<NaiveDateTime>,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// For a correction: the number of the entry it corrects.
    pub corrects_seq: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CustodyEvent {
    pub seq: i64,
    pub kind: CustodyEventKind,
    pub handed_by: Option<String>,
    pub handed_to: Option<String>,
    pub collar_number: Option<String>,
    pub at: Option<NaiveDateTime>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub corrects_seq: Option<i64>,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvidenceDetail {
    pub row: EvidenceRow,
    pub found_by: String,
    pub found_where: String,
    pub storage: String,
    pub reference_numbers: Option<String>,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
    pub events: Vec<CustodyEvent>,
}

#[derive(Debug, Clone)]
pub struct NewIncident {
    pub occurred_at: NaiveDateTime,
    pub kind: IncidentKind,
    pub description: String,
    pub people: Option<String>,
    pub reported_to_police: bool,
    pub crime_reference: Option<String>,
    pub outcome: Option<String>,
    pub identifiers: Vec<NewIdentifier>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub kind: IncidentKind,
    pub description: String,
    pub people: Option<String>,
    pub reported_to_police: bool,
    pub crime_reference: Option<String>,
    pub outcome: Option<String>,
    pub recorded_by: String,
    pub identifiers: Vec<StoredIdentifier>,
}

/// Threats and harassment of the hub's families, counted by kind.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentCount {
    pub kind: IncidentKind,
    pub total: i64,
    pub reported: i64,
    pub families: i64,
}

/// One identifier as the alert index loads it.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub id: i64,
    pub hub_id: i64,
    pub family_id: i64,
    pub source_id: i64,
    pub kind: ItemKind,
    pub value: String,
}

/// A match the index found for a saved entry or incident, for the store to confirm and
/// record as an alert.
#[derive(Debug, Clone)]
pub struct AlertCandidate {
    pub kind: alongside_domain::information::AlertKind,
    pub item_kind: ItemKind,
    /// The normalised value in the new record (for a name: the name as written there).
    pub item_value: String,
    pub other_hub_id: i64,
    pub other_family_id: i64,
    pub other_source_id: i64,
    /// The reasons, in words an analyst can check.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertRow {
    pub id: i64,
    pub kind: alongside_domain::information::AlertKind,
    pub item_kind: Option<ItemKind>,
    pub item_display: Option<String>,
    /// Families are named only to those who may see them (not to police partners).
    pub family_id: Option<i64>,
    pub family_name: Option<String>,
    pub source_type: Option<String>,
    pub source_id: Option<i64>,
    pub other_family_id: Option<i64>,
    pub other_family_name: Option<String>,
    pub other_source_id: Option<i64>,
    pub other_hub: Option<String>,
    pub detail: String,
    pub created_at: DateTime<Utc>,
    pub seen: bool,
}

/// One identifier of one record, for the network picture.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NetworkRow {
    pub family_id: i64,
    /// `None` when the actor may not see the family (police partners; other families).
    pub family_name: Option<String>,
    pub source_type: String,
    pub source_id: i64,
    pub kind: ItemKind,
    pub value: String,
    pub recorded_at: DateTime<Utc>,
    /// The role of whoever recorded it (never their name).
    pub recorder_role: Option<Role>,
    /// For an entry: how the person knows.
    pub how_known: Option<HowKnown>,
}

/// Two names judged by a person to be one person of concern.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonMerge {
    pub id: i64,
    pub name_a: String,
    pub name_b: String,
    pub reason: String,
    pub merged_by: String,
    pub merged_at: DateTime<Utc>,
    pub unmerged_by: Option<String>,
    pub unmerged_at: Option<DateTime<Utc>>,
    pub unmerge_reason: Option<String>,
}

impl PersonMerge {
    pub fn active(&self) -> bool {
        self.unmerged_at.is_none()
    }
}
