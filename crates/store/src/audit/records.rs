//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;
pub use alongside_domain::audit::{AuditAction, AuditRecord};

/// What an audit event says was done.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: AuditAction,
    pub record_type: AuditRecord,
    pub record_id: Option<i64>,
    pub family_id: Option<FamilyId>,
}

impl AuditEvent {
    pub fn new(
        action: AuditAction,
        record_type: AuditRecord,
        record_id: Option<i64>,
        family_id: Option<FamilyId>,
    ) -> Self {
        Self {
            action,
            record_type,
            record_id,
            family_id,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub username: String,
    pub role: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<i64>,
    pub family_id: Option<FamilyId>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub family_id: Option<FamilyId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}
