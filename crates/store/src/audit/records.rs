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
    /// For a change of status: what it was, and what it became (codes, never free text).
    pub before: Option<String>,
    pub after: Option<String>,
}

impl AuditEvent {
    /// The event of a change of status, from `before` to `after`.
    pub fn change(mut self, before: impl Into<String>, after: impl Into<String>) -> Self {
        self.before = Some(before.into());
        self.after = Some(after.into());
        self
    }

    /// A list's or export's event, with the records it named and the filter it was asked
    /// with (issue 10, L8: one "list" event once covered 200 names and said nothing of
    /// which). Up to 500 ids are kept, then how many more.
    pub fn listing(mut self, ids: impl IntoIterator<Item = i64>, filter: Option<&str>) -> Self {
        let ids: Vec<i64> = ids.into_iter().collect();
        let mut shown: Vec<String> = ids.iter().take(500).map(|i| i.to_string()).collect();
        if ids.len() > 500 {
            shown.push(format!("and {} more", ids.len() - 500));
        }
        self.before = Some(match filter {
            Some(f) if !f.is_empty() => {
                format!("filter {}", f.chars().take(200).collect::<String>())
            }
            _ => "no filter".to_string(),
        });
        self.after = Some(format!("{} listed: {}", ids.len(), shown.join(",")));
        self
    }

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
            before: None,
            after: None,
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
    /// For a change of status: what it was and became.
    pub before_value: Option<String>,
    pub after_value: Option<String>,
    /// Where it came from: the address, a short session reference, or the API token.
    pub address: Option<String>,
    pub session_ref: Option<String>,
    pub token_id: Option<i64>,
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
