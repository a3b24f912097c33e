//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: ContactId,
    pub kind: ContactKind,
    pub status: ContactStatus,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc")]
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: Option<i64>,
    pub participants: Option<String>,
    /// `None` when the reader may not see a confidential note.
    pub note: Option<String>,
    pub visibility: Visibility,
    pub recorded_by: String,
}

/// The command this area takes in, with its rules, lives in the domain crate.
pub use alongside_domain::family::NewContact;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChronologyEntry {
    pub id: i64,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc")]
    pub occurred_at: NaiveDateTime,
    pub kind: ChronologyKind,
    pub summary: String,
    pub detail: Option<String>,
    pub visibility: Visibility,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default)]
pub struct ChronologyFilter {
    /// Empty means every kind.
    pub kinds: Vec<ChronologyKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
    /// Oldest first (for export) rather than newest first.
    pub oldest_first: bool,
}
