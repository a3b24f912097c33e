//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The command this area takes in, with its rules, lives in the domain crate.
pub use alongside_domain::information::NewIncident;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentRow {
    pub id: IncidentId,
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
