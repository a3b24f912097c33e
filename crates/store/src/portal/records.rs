//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The commands this area takes in live in the domain crate.
pub use alongside_domain::portal::{Acceptance, NewInvitation};

/// A new invitation; the code is shown once and stored only as a hash.
#[derive(Debug, Clone)]
pub struct InvitationCreated {
    pub id: InvitationId,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub id: InvitationId,
    pub display_name: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl Invitation {
    pub fn state(&self, now: DateTime<Utc>) -> &'static str {
        lifecycle::InvitationState::of(self.used_at, self.withdrawn_at, self.expires_at, now)
            .label()
    }
}

/// One thing a parent shared, and what became of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParentEntry {
    pub id: EntryId,
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
    pub family_id: FamilyId,
    pub plo: Option<String>,
    pub entries: Vec<ParentEntry>,
    pub incidents: Vec<IncidentRow>,
}
