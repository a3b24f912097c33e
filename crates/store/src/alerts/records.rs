//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// One identifier as the alert index loads it.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub id: i64,
    pub hub_id: HubId,
    pub family_id: FamilyId,
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
    pub other_hub_id: HubId,
    pub other_family_id: FamilyId,
    pub other_source_id: i64,
    /// The reasons, in words an analyst can check.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertRow {
    pub id: AlertId,
    pub kind: alongside_domain::information::AlertKind,
    pub item_kind: Option<ItemKind>,
    pub item_display: Option<String>,
    /// Families are named only to those who may see them (not to police partners).
    pub family_id: Option<FamilyId>,
    pub family_name: Option<String>,
    pub source_type: Option<String>,
    pub source_id: Option<i64>,
    pub other_family_id: Option<FamilyId>,
    pub other_family_name: Option<String>,
    pub other_source_id: Option<i64>,
    pub other_hub: Option<String>,
    pub detail: String,
    pub created_at: DateTime<Utc>,
    pub seen: bool,
    /// What tells each family from others of its name, in words (hub workers only).
    pub family_label: Option<String>,
    pub other_family_label: Option<String>,
}
