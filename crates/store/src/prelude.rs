//! What the area modules share: the domain's vocabulary, the query and scope types, the
//! audit and chronology writers. Only for use inside this crate.

pub(crate) use crate::access::{self, past_need_to_know, unscoped, FamilyScope, VISIBLE_FAMILIES};
pub(crate) use crate::db::audit;
pub(crate) use crate::db::query::Row;
pub(crate) use crate::db::{code, opt_code, Conn};
pub(crate) use crate::families::chronology::{self, Line};
pub(crate) use crate::referrals::name_key;
pub(crate) use crate::{
    Actor, AuditAction, AuditEvent, AuditRecord, Page, Refusal, Result, SqlStore, StoreError,
};
pub(crate) use alongside_domain::clock::uk_local;
pub(crate) use alongside_domain::family::{
    CarerKind, ChronologyKind, ContactKind, ContactStatus, LivingSituation, MemberRole, Visibility,
};
pub(crate) use alongside_domain::ids::*;
pub(crate) use alongside_domain::information::{
    AlertKind, CustodyEventKind, EntryStatus, EvidenceKind, Grade, HandlingCode, HowKnown,
    IdentifierStatus, IncidentKind, IntelligenceAssessment, ItemKind, SourceEvaluation,
    SubmissionOutcome, SubmissionStatus,
};
pub(crate) use alongside_domain::lifecycle;
pub(crate) use alongside_domain::referral::{
    Indicator, ReferralSource, ReferralStatus, Threshold, TriageDecision,
};
pub(crate) use alongside_domain::roles::{Capability, Role};
pub(crate) use alongside_domain::text::opening;
pub(crate) use alongside_domain::Code;
pub(crate) use async_trait::async_trait;
pub(crate) use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
pub(crate) use serde::Serialize;

/// An audit event about a record.
pub(crate) fn ev(
    action: AuditAction,
    record_type: AuditRecord,
    id: Option<impl Into<i64>>,
    family: Option<FamilyId>,
) -> AuditEvent {
    AuditEvent::new(action, record_type, id.map(Into::into), family)
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Moves a versioned record (a row of `table` with `current_version`) on from the version
/// `read` to the next, in the transaction that wrote the next version's content: refused
/// as changed if another was saved meanwhile, so two saves at once cannot both succeed.
/// Returns the new version.
pub(crate) async fn advance_version(
    conn: &mut Conn,
    fam: &FamilyScope,
    table: &'static str,
    id: i64,
    read: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let moved = fam
        .query(format!(
            "UPDATE {table} SET current_version = $1, updated_at = $2 \
             WHERE id = $3 AND family_id = $4 AND current_version = $5"
        ))
        .bind(read + 1)
        .bind(now)
        .bind(id)
        .bind_family()
        .bind(read)
        .execute(conn)
        .await?;
    if moved.rows_affected() != 1 {
        return Err(StoreError::Conflict(Refusal::ChangedSinceRead));
    }
    Ok(read + 1)
}
