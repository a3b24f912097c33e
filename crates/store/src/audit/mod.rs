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
    /// Records a failed sign-in (issue 10, L5 and L8): kept with the name typed and the
    /// address; an account that exists has the event in its hub's log, and when one
    /// address has failed against many accounts lately (spraying), the managers of each
    /// account's hub are told on their dashboard.
    async fn record_failed_sign_in(
        &self,
        username: &str,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

/// How many different accounts one address may fail against in [`SPRAY_WINDOW_MINUTES`]
/// before the managers of those accounts' hubs are told.
pub const SPRAY_ACCOUNTS: i64 = 10;
pub const SPRAY_WINDOW_MINUTES: i64 = 15;

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
        let mut q = build("SELECT id, at, username, role, action, record_type, record_id, family_id, before_value, after_value, address, session_ref, token_id FROM audit_events");
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
                    address: r.try_get("address")?,
                    session_ref: r.try_get("session_ref")?,
                    token_id: r.try_get("token_id")?,
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

    async fn record_failed_sign_in(
        &self,
        username: &str,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let typed: String = username.to_lowercase().chars().take(64).collect();
        let user = unscoped("SELECT id, role FROM users WHERE lower(username) = $1")
            .bind(typed.as_str())
            .fetch_optional(&mut tx)
            .await?;
        let user_id: Option<UserId> = user.as_ref().map(|r| r.try_get("id")).transpose()?;
        // Kept for 30 days: long enough to see a pattern, no longer.
        unscoped("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(now - chrono::Duration::days(30))
            .execute(&mut tx)
            .await?;
        unscoped(
            "INSERT INTO sign_in_failures (at, username, user_id, address) VALUES ($1, $2, $3, $4)",
        )
        .bind(now)
        .bind(typed.as_str())
        .bind(user_id)
        .bind(address)
        .execute(&mut tx)
        .await?;
        if let (Some(user_id), Some(row)) = (user_id, user) {
            if let Ok(me) = crate::accounts::own_actor(&mut tx, user_id).await {
                let me = me.with_origin(crate::Origin {
                    address: address.map(str::to_string),
                    ..Default::default()
                });
                audit::write(
                    &mut tx,
                    &me,
                    &ev(
                        AuditAction::FailedSignIn,
                        AuditRecord::Session,
                        Some(user_id),
                        None,
                    ),
                )
                .await?;
                // Spraying: one address failing against many accounts lately.
                let since = now - chrono::Duration::minutes(SPRAY_WINDOW_MINUTES);
                let accounts: i64 = unscoped(
                    "SELECT COUNT(DISTINCT username) AS n FROM sign_in_failures WHERE address = $1 AND at > $2",
                )
                .bind(address.unwrap_or(""))
                .bind(since)
                .fetch_one(&mut tx)
                .await?
                .try_get("n")?;
                if address.is_some() && accounts >= SPRAY_ACCOUNTS {
                    let role: Role = code(&row.try_get::<String>("role")?)?;
                    let told: i64 = unscoped(
                        "SELECT COUNT(*) AS n FROM account_notices WHERE user_id = $1 AND kind = 'spraying' AND at > $2",
                    )
                    .bind(user_id)
                    .bind(now - chrono::Duration::hours(1))
                    .fetch_one(&mut tx)
                    .await?
                    .try_get("n")?;
                    if told == 0 {
                        crate::accounts::notice_all_hubs(&mut tx, user_id, "spraying", role)
                            .await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
