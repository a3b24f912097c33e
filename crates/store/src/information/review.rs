//! The PLO's review of the information log: the queue of new entries, and the decision,
//! with its reason for the parent, whether each is relevant.

use super::{entry_row, entry_status, EntryRow};
use crate::prelude::*;
use alongside_domain::information::IdentifierCheck;

/// The PLO's decision on an entry: relevant or not, the reason written for the parent,
/// and their word on each identifier (only those confirmed or corrected here may reach
/// the police).
#[derive(Debug, Clone)]
pub struct EntryReview {
    pub relevant: bool,
    pub reason: String,
    pub checks: Vec<(IdentifierId, IdentifierCheck)>,
}

impl EntryReview {
    /// A review that confirms every identifier as it stands (the demo data and tests; the
    /// review page asks about each).
    pub fn confirming(
        relevant: bool,
        reason: &str,
        identifiers: &[super::StoredIdentifier],
    ) -> Self {
        EntryReview {
            relevant,
            reason: reason.to_string(),
            checks: identifiers
                .iter()
                .filter(|i| i.status != IdentifierStatus::Rejected)
                .map(|i| (i.id, IdentifierCheck::Confirm))
                .collect(),
        }
    }
}

/// The review queue and reviewing.
#[async_trait]
pub trait Review: Send + Sync {
    /// New entries of the families the actor holds (all the hub's for a manager).
    async fn review_queue(&self, actor: &Actor) -> Result<Vec<EntryRow>>;
    async fn review_entry(
        &self,
        actor: &Actor,
        entry_id: EntryId,
        review: &EntryReview,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

#[async_trait]
impl Review for SqlStore {
    async fn review_queue(&self, actor: &Actor) -> Result<Vec<EntryRow>> {
        if !actor.role.can(Capability::ReviewInformation) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let mut q = access::bind_visible(
            access::hub(actor).query(format!(
                "SELECT e.id, e.family_id, f.name AS family_name, u.display_name AS recorded_by_name, e.recorder_role, e.what, e.occurred_at, e.occurred_approx, e.how_known, e.status, e.created_at \
                 FROM info_entries e JOIN families f ON f.id = e.family_id JOIN users u ON u.id = e.recorded_by WHERE {VISIBLE_FAMILIES} \
                 AND e.hub_id = $1 AND e.status IN "
            )),
            actor,
        );
        q.push_list(
            EntryStatus::ALL
                .iter()
                .filter(|s| s.awaits_review())
                .map(|s| s.code()),
        )
        .push(" ORDER BY e.created_at, e.id LIMIT 500");
        let rows = q.fetch_all(&mut tx).await?;
        let mut list = rows.iter().map(entry_row).collect::<Result<Vec<_>>>()?;
        let tags = crate::families::family_tags(
            &mut tx,
            actor,
            list.iter().map(|e| e.family_id),
            Utc::now(),
        )
        .await?;
        for e in &mut list {
            e.family_tag = tags.get(&e.family_id).map(|t| t.describe());
        }
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::ReviewQueue,
                None::<i64>,
                None,
            )
            .listing(list.iter().map(|e| e.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn review_entry(
        &self,
        actor: &Actor,
        entry_id: EntryId,
        review: &EntryReview,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (relevant, reason) = (review.relevant, review.reason.as_str());
        if !actor.role.can(Capability::ReviewInformation) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::entry(&mut tx, actor, entry_id).await?;
        let family_id = fam.id();
        let was = entry_status(&mut tx, &fam, entry_id).await?;
        let status = was.review(relevant).map_err(|_| Refusal::ReviewLocked)?;
        // Guarded by the state read, so a submission made meanwhile is not overwritten.
        let done = fam
            .query("UPDATE info_entries SET status = $1, review_reason = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5 AND family_id = $6 AND status = $7")
            .bind(status.code())
            .bind(reason)
            .bind(actor.user_id)
            .bind(now)
            .bind(entry_id)
            .bind_family()
            .bind(was.code())
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Refusal::ReviewLocked.into());
        }
        super::apply_checks(&mut tx, &fam, actor, entry_id, &review.checks, true, now).await?;
        let summary = format!(
            "Information reviewed: {}",
            if relevant {
                "relevant"
            } else {
                "not passed on"
            }
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Information,
                uk_local(now),
                &summary,
                Visibility::Confidential,
            )
            .detail(Some(reason))
            .source(entry_id),
            &ev(
                AuditAction::Review,
                AuditRecord::InfoEntry,
                Some(entry_id),
                Some(family_id),
            )
            .change(was.code(), status.code()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
