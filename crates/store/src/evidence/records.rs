//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The commands this area takes in, with their rules, live in the domain crate.
pub use alongside_domain::information::{NewCustodyEvent, NewEvidence};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvidenceRow {
    pub id: EvidenceId,
    /// 0 for police partners, who are not told which family.
    /// The family, for those who see families (never for police partners).
    pub family_id: Option<FamilyId>,
    pub family_name: String,
    pub kind: EvidenceKind,
    pub description: String,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc")]
    pub found_at: NaiveDateTime,
    /// Who holds it now, by the latest handover (or who found it).
    pub held_by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CustodyEvent {
    pub seq: i64,
    pub kind: CustodyEventKind,
    pub handed_by: Option<String>,
    pub handed_to: Option<String>,
    pub collar_number: Option<String>,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
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
