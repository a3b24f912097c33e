//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// One identifier of one record, for the network picture.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NetworkRow {
    pub family_id: FamilyId,
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
    pub id: MergeId,
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
