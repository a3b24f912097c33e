//! Storage of the parents-as-partners work. Who may see what is decided here, in the
//! queries, as for families:
//! - a parent or carer reaches only their own family (through `family_parents`) and only
//!   the entries and incidents they recorded themselves;
//! - PLOs, CSWs and managers reach the families they may see (`family_access!`);
//! - a police partner reaches the hub's submissions and evidence, never entries, support
//!   notes or the family behind a submission.
//!
//! Anything else answers `NotFound`, exactly like a record that does not exist.

use crate::types::AuditEvent;
use crate::{Actor, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use crate::partnership_types::*;

/// How long an invitation to the parent portal stays open.
pub const INVITATION_DAYS: i64 = 7;

/// Largest attachment accepted (bytes).
pub const ATTACHMENT_MAX_BYTES: usize = 5 * 1024 * 1024;

#[async_trait]
pub trait Partnership: Send + Sync {
    // ---- the parent portal ----
    async fn create_invitation(
        &self,
        actor: &Actor,
        family_id: i64,
        new: &NewInvitation,
        now: DateTime<Utc>,
    ) -> Result<InvitationCreated>;
    async fn invitations(&self, actor: &Actor, family_id: i64) -> Result<Vec<Invitation>>;
    async fn withdraw_invitation(
        &self,
        actor: &Actor,
        family_id: i64,
        invitation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Creates the parent's account from a live invitation. `Conflict` says, in words a
    /// parent can act on, why a code cannot be used (unknown, expired, used, withdrawn) or
    /// the username is taken.
    async fn accept_invitation(&self, a: &Acceptance, now: DateTime<Utc>) -> Result<crate::User>;
    /// Whether a code names an invitation that can still be accepted (no data returned).
    async fn invitation_usable(&self, code: &str, now: DateTime<Utc>) -> Result<()>;
    async fn parent_home(&self, actor: &Actor) -> Result<ParentHome>;

    // ---- the information log ----
    /// Records an entry. Parents pass `None` (their own family); workers name the family.
    async fn add_entry(
        &self,
        actor: &Actor,
        family_id: Option<i64>,
        new: &NewEntry,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn entry(&self, actor: &Actor, entry_id: i64) -> Result<EntryDetail>;
    async fn family_entries(&self, actor: &Actor, family_id: i64) -> Result<Vec<EntryRow>>;
    /// The person who recorded an entry confirms, corrects or rejects what was found in it.
    async fn check_identifiers(
        &self,
        actor: &Actor,
        entry_id: i64,
        checks: &[(i64, IdentifierCheck)],
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn attachment(&self, actor: &Actor, attachment_id: i64) -> Result<AttachmentFile>;
    /// New entries of the families the actor holds (all the hub's for a manager).
    async fn review_queue(&self, actor: &Actor) -> Result<Vec<EntryRow>>;
    async fn review_entry(
        &self,
        actor: &Actor,
        entry_id: i64,
        relevant: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;

    // ---- intelligence ----
    async fn create_submission(
        &self,
        actor: &Actor,
        family_id: i64,
        new: &NewSubmission,
        now: DateTime<Utc>,
    ) -> Result<(i64, String)>;
    async fn submissions(&self, actor: &Actor) -> Result<Vec<SubmissionRow>>;
    async fn submission(&self, actor: &Actor, id: i64) -> Result<SubmissionDetail>;
    async fn acknowledge_submission(
        &self,
        actor: &Actor,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn record_outcome(
        &self,
        actor: &Actor,
        id: i64,
        outcome: &NewOutcome,
        now: DateTime<Utc>,
    ) -> Result<()>;

    // ---- evidence ----
    async fn add_evidence(
        &self,
        actor: &Actor,
        family_id: i64,
        new: &NewEvidence,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// A family's evidence (workers), or the hub's (police partners) when `None`.
    async fn evidence_items(
        &self,
        actor: &Actor,
        family_id: Option<i64>,
    ) -> Result<Vec<EvidenceRow>>;
    async fn evidence_item(&self, actor: &Actor, id: i64) -> Result<EvidenceDetail>;
    async fn add_custody_event(
        &self,
        actor: &Actor,
        item_id: i64,
        new: &NewCustodyEvent,
        now: DateTime<Utc>,
    ) -> Result<i64>;

    // ---- threats and harassment ----
    /// Parents pass `None` (their own family); workers name the family.
    async fn add_incident(
        &self,
        actor: &Actor,
        family_id: Option<i64>,
        new: &NewIncident,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn incidents(&self, actor: &Actor, family_id: i64) -> Result<Vec<IncidentRow>>;
    // ---- the network picture ----
    /// Every identifier recorded in the hub (those who may see the whole network), or, for
    /// one family, its identifiers and those of other families that share one with it;
    /// recorded between `from` and `to` when given.
    async fn network_rows(
        &self,
        actor: &Actor,
        family_id: Option<i64>,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Result<Vec<NetworkRow>>;

    /// Records that two names (as normalised in the identifiers) are one person of concern.
    async fn merge_people(
        &self,
        actor: &Actor,
        name_a: &str,
        name_b: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Undoes a merge; the merge stays in the record, marked undone, with the reason.
    async fn unmerge_people(
        &self,
        actor: &Actor,
        merge_id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The hub's merges, made and undone (names only: no family is named).
    async fn person_merges(&self, actor: &Actor) -> Result<Vec<PersonMerge>>;

    // ---- alerts ----
    /// Identifiers for the in-process alert index, in id order from `after_id`.
    async fn unscoped_identifiers_for_index(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<IndexRow>>;
    /// Confirms the index's candidates for a saved entry or incident against the database
    /// and records them as alerts; also suggests a referral for each child named who is
    /// not known to the hub. Returns how many alerts were raised, and the
    /// family the record belongs to.
    async fn raise_alerts(
        &self,
        actor: &Actor,
        source_type: &str,
        source_id: i64,
        candidates: &[AlertCandidate],
        children: &[String],
        now: DateTime<Utc>,
    ) -> Result<(usize, i64)>;
    /// The hub's alerts, newest first (managers and police partners).
    async fn alerts(&self, actor: &Actor, limit: i64) -> Result<Vec<AlertRow>>;
    async fn unseen_alerts(&self, actor: &Actor) -> Result<i64>;
    async fn mark_alerts_seen(&self, actor: &Actor, now: DateTime<Utc>) -> Result<()>;

    /// Counts for the hub since a date (managers).
    async fn incident_counts(
        &self,
        actor: &Actor,
        since: chrono::NaiveDate,
    ) -> Result<Vec<IncidentCount>>;
}

/// An audit event about a record of this module.
pub(crate) fn ev(
    action: &'static str,
    record_type: &'static str,
    id: Option<i64>,
    family: Option<i64>,
) -> AuditEvent {
    AuditEvent {
        action,
        record_type,
        record_id: id,
        family_id: family,
    }
}

/// A fresh invitation code: 12 characters from an alphabet without look-alikes, in
/// groups of four ("K7QM-2XPA-9HTD"), about 60 bits.
pub(crate) fn new_invitation_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let chars: Vec<char> = (0..12)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The hash an invitation code is stored as; case, spaces and dashes do not matter.
pub(crate) fn invitation_hash(code: &str) -> String {
    use sha2::Digest;
    let canonical: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(sha2::Sha256::digest(canonical.as_bytes()))
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

pub(crate) use alongside_domain::text::opening;

/// Whether an invitation row can be accepted now, with the reason in a parent's words.
pub(crate) fn invitation_state<R: sqlx::Row>(
    row: Option<&R>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::Result<()>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> chrono::DateTime<chrono::Utc>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    use crate::StoreError::Conflict;
    let Some(row) = row else {
        return Err(Conflict("We could not find an invitation with that code. Check it against the message from your Parent Liaison Officer".into()));
    };
    let used: Option<chrono::DateTime<chrono::Utc>> = row.try_get("used_at")?;
    let withdrawn: Option<chrono::DateTime<chrono::Utc>> = row.try_get("withdrawn_at")?;
    let expires: chrono::DateTime<chrono::Utc> = row.try_get("expires_at")?;
    if used.is_some() {
        return Err(Conflict("This invitation has already been used. Sign in with the username you chose, or ask your Parent Liaison Officer for a new invitation".into()));
    }
    if withdrawn.is_some() {
        return Err(Conflict(
            "This invitation was withdrawn. Ask your Parent Liaison Officer for a new one".into(),
        ));
    }
    if expires <= now {
        return Err(Conflict(
            "This invitation has expired. Ask your Parent Liaison Officer for a new one".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_codes_are_grouped_and_hash_however_typed() {
        let code = new_invitation_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(invitation_hash(&code), invitation_hash(&typed));
        assert_ne!(invitation_hash(&code), invitation_hash("AAAA-AAAA-AAAA"));
    }
}
