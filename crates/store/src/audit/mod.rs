//! The audit log: reading it, and recording actions that have no other write.

mod records;

use crate::prelude::*;

pub use records::*;

/// The audit log.
#[async_trait]
pub trait Audit: Send + Sync {
    async fn audit_log(&self, actor: &Actor, filter: &AuditFilter) -> Result<Page<AuditRow>>;
    /// Records an action that has no other write (e.g. a refused access, an export).
    async fn record_audit(&self, actor: &Actor, event: &AuditEvent) -> Result<()>;
}

#[async_trait]
impl Audit for SqlStore {
    async fn audit_log(&self, actor: &Actor, filter: &AuditFilter) -> Result<Page<AuditRow>> {
        if !actor.role.can(Capability::ViewAuditLog) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let build = |select: &str| {
            let mut q = access::hub(actor).query(select.to_string());
            q.push(" WHERE hub_id = ").push_hub();
            if let Some(u) = &filter.username {
                q.push(" AND lower(username) = ")
                    .push_bind(u.to_lowercase());
            }
            if let Some(a) = &filter.action {
                q.push(" AND action = ").push_bind(a.clone());
            }
            if let Some(f) = filter.family_id {
                q.push(" AND family_id = ").push_bind(f);
            }
            if let Some(from) = filter.from {
                q.push(" AND at >= ")
                    .push_bind(from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
            }
            if let Some(to) = filter.to {
                q.push(" AND at < ").push_bind(
                    to.succ_opt()
                        .unwrap_or(to)
                        .and_hms_opt(0, 0, 0)
                        .unwrap_or_default()
                        .and_utc(),
                );
            }
            q
        };
        let total: i64 = build("SELECT COUNT(*) AS n FROM audit_events")
            .fetch_one(&mut tx)
            .await?
            .try_get("n")?;
        let mut q = build("SELECT id, at, username, role, action, record_type, record_id, family_id, before_value, after_value FROM audit_events");
        q.push(" ORDER BY id DESC LIMIT ")
            .push_bind(filter.limit)
            .push(" OFFSET ")
            .push_bind(filter.offset);
        let items = q
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    username: r.try_get("username")?,
                    role: r.try_get("role")?,
                    action: r.try_get("action")?,
                    record_type: r.try_get("record_type")?,
                    record_id: r.try_get("record_id")?,
                    family_id: r.try_get("family_id")?,
                    before_value: r.try_get("before_value")?,
                    after_value: r.try_get("after_value")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::AuditLog,
                None::<i64>,
                filter.family_id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Page { items, total })
    }

    async fn record_audit(&self, actor: &Actor, event: &AuditEvent) -> Result<()> {
        let mut tx = self.db.write().await?;
        audit::write(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(())
    }
}
