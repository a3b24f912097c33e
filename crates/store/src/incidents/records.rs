//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The command this area takes in, with its rules, lives in the domain crate.
pub use alongside_domain::information::NewIncident;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentRow {
    pub id: IncidentId,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc")]
    pub occurred_at: NaiveDateTime,
    pub kind: IncidentKind,
    pub description: String,
    pub people: Option<String>,
    pub reported_to_police: bool,
    pub crime_reference: Option<String>,
    pub outcome: Option<String>,
    pub recorded_by: String,
    pub identifiers: Vec<StoredIdentifier>,
    /// When the PLO read it (at once for what a worker records).
    pub reviewed_at: Option<DateTime<Utc>>,
    /// What followed, written by the PLO for the parent or carer.
    pub review_note: Option<String>,
}

/// A threat or incident with its family and its reading by the PLO.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentDetail {
    pub row: IncidentRow,
    pub family_id: FamilyId,
    pub family_name: String,
    /// What tells the family from others of its name (in the review queue).
    pub family_tag: Option<String>,
    /// Logged by a parent or carer (it waits for the PLO to read it).
    pub by_parent: bool,
    pub created_at: DateTime<Utc>,
    pub reviewed_by: Option<String>,
}

/// Threats and harassment of the hub's families, counted by kind.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentCount {
    pub kind: IncidentKind,
    pub total: i64,
    pub reported: i64,
    pub families: i64,
}
