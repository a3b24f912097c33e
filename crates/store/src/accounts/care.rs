//! Looking after an account once it exists (issue 10, accounts; decision 0018): an
//! administrator disables and enables it, changes its role (a casework role waits for a
//! manager, M2) and makes one-time reset codes; a person changes their own password and
//! sees and ends their own sessions.

use super::*;

/// Looking after accounts.
#[async_trait]
pub trait AccountCare: Send + Sync {
    /// One account of the actor's hub (administrators).
    async fn hub_user(&self, actor: &Actor, user_id: UserId) -> Result<User>;
    /// Disables an account of the hub (its sessions and tokens end at once), or enables it
    /// again (administrators; never their own).
    async fn set_user_active(
        &self,
        actor: &Actor,
        user_id: UserId,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Changes an account's role: at once for a role that does no casework, else once a
    /// manager of the hub approves it (administrators; never their own).
    async fn change_role(&self, actor: &Actor, user_id: UserId, to: Role) -> Result<RoleChange>;
    /// Stores a one-time password-reset code (its hash) for an account of the hub,
    /// replacing any earlier one; returns when it expires (administrators).
    async fn create_reset_code(
        &self,
        actor: &Actor,
        user_id: UserId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>>;
    /// Sets a new password with a reset code, once; every session of the account ends.
    async fn use_reset_code(
        &self,
        username: &str,
        code_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(UserId, Vec<String>)>;
    /// Sets the actor's own password; every other session of theirs ends (their hashes
    /// are returned).
    async fn change_own_password(
        &self,
        actor: &Actor,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<Vec<String>>;
    /// The actor's live sessions, latest used first.
    async fn own_sessions(&self, actor: &Actor, now: i64) -> Result<Vec<SessionInfo>>;
    /// Ends one of the actor's sessions (`which`), or every one but `keep`.
    async fn end_own_sessions(
        &self,
        actor: &Actor,
        which: Option<&str>,
        keep: Option<&str>,
    ) -> Result<Vec<String>>;
}

#[async_trait]
impl AccountCare for SqlStore {
    async fn hub_user(&self, actor: &Actor, user_id: UserId) -> Result<User> {
        if !actor.role.can(Capability::ManageUsers) {
            return Err(StoreError::NotFound);
        }
        let user = member_of_hub(&mut self.db.plain().await?, actor, user_id).await?;
        self.audit_read(
            actor,
            &ev(AuditAction::Read, AuditRecord::User, Some(user_id), None),
        )
        .await?;
        Ok(user)
    }

    async fn set_user_active(
        &self,
        actor: &Actor,
        user_id: UserId,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        looks_after(actor, user_id)?;
        let mut tx = self.db.write().await?;
        let user = member_of_hub(&mut tx, actor, user_id).await?;
        if user.active == active {
            tx.commit().await?;
            return Ok(());
        }
        unscoped("UPDATE users SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        if !active {
            // Disabled: every session and token ends at once.
            unscoped("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut tx)
                .await?;
            unscoped(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        }
        let (was, kind) = if active {
            ("disabled", "enabled")
        } else {
            ("enabled", "disabled")
        };
        for hub in hubs_of_user(&mut tx, user_id).await? {
            notice(&mut tx, hub, user_id, kind, user.role, Some(actor.user_id)).await?;
        }
        audit::write(
            &mut tx,
            actor,
            &ev(AuditAction::Update, AuditRecord::User, Some(user_id), None).change(was, kind),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn change_role(&self, actor: &Actor, user_id: UserId, to: Role) -> Result<RoleChange> {
        looks_after(actor, user_id)?;
        let mut tx = self.db.write().await?;
        let user = member_of_hub(&mut tx, actor, user_id).await?;
        let change =
            alongside_domain::accounts::role_change(user.role, to).map_err(Refusal::RoleChange)?;
        let (sql, kind) = match change {
            RoleChange::Now => (
                "UPDATE users SET role = $1, pending_role = NULL WHERE id = $2",
                "role_changed",
            ),
            RoleChange::ApprovedByAManager => (
                "UPDATE users SET pending_role = $1 WHERE id = $2",
                "role_requested",
            ),
        };
        unscoped(sql)
            .bind(to.code())
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        for hub in hubs_of_user(&mut tx, user_id).await? {
            notice(&mut tx, hub, user_id, kind, to, Some(actor.user_id)).await?;
        }
        audit::write(
            &mut tx,
            actor,
            &ev(AuditAction::Update, AuditRecord::User, Some(user_id), None)
                .change(user.role.code(), to.code()),
        )
        .await?;
        tx.commit().await?;
        Ok(change)
    }

    async fn create_reset_code(
        &self,
        actor: &Actor,
        user_id: UserId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>> {
        looks_after(actor, user_id)?;
        let mut tx = self.db.write().await?;
        let user = member_of_hub(&mut tx, actor, user_id).await?;
        if !user.active {
            return Err(Refusal::AccountDisabled.into());
        }
        // A new code replaces any earlier one not yet used.
        unscoped("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        let expires_at =
            now + chrono::Duration::hours(alongside_domain::accounts::RESET_CODE_HOURS);
        unscoped(
            "INSERT INTO password_resets (user_id, code_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(code_hash)
        .bind(actor.user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut tx)
        .await?;
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Create,
                AuditRecord::PasswordReset,
                Some(user_id),
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(expires_at)
    }

    async fn use_reset_code(
        &self,
        username: &str,
        code_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(UserId, Vec<String>)> {
        let mut tx = self.db.write().await?;
        let row = unscoped(
            "SELECT r.id, u.id AS user_id FROM password_resets r JOIN users u ON u.id = r.user_id \
             WHERE r.code_hash = $1 AND lower(u.username) = lower($2) AND r.used_at IS NULL AND r.expires_at > $3 AND u.active = $4",
        )
        .bind(code_hash)
        .bind(username)
        .bind(now)
        .bind(true)
        .fetch_optional(&mut tx)
        .await?
        .ok_or(Refusal::ResetCodeUnknown)?;
        let reset: i64 = row.try_get("id")?;
        let user_id: UserId = row.try_get("user_id")?;
        unscoped("UPDATE password_resets SET used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(reset)
            .execute(&mut tx)
            .await?;
        set_password_hash(&mut tx, user_id, password_hash).await?;
        let ended = delete_sessions(&mut tx, user_id, None, None).await?;
        let me = own_actor(&mut tx, user_id).await?;
        audit::write(
            &mut tx,
            &me,
            &ev(
                AuditAction::Update,
                AuditRecord::Password,
                Some(user_id),
                None,
            )
            .change("reset code", "used"),
        )
        .await?;
        tx.commit().await?;
        Ok((user_id, ended))
    }

    async fn change_own_password(
        &self,
        actor: &Actor,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<Vec<String>> {
        let mut tx = self.db.write().await?;
        set_password_hash(&mut tx, actor.user_id, password_hash).await?;
        // Every other session ends: whoever else had the password is signed out.
        let ended = delete_sessions(&mut tx, actor.user_id, None, keep_session).await?;
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Update,
                AuditRecord::Password,
                Some(actor.user_id),
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    async fn own_sessions(&self, actor: &Actor, now: i64) -> Result<Vec<SessionInfo>> {
        let rows = unscoped(
            "SELECT id_hash, started_at, seen_at, agent FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY seen_at DESC, started_at DESC",
        )
        .bind(actor.user_id)
        .bind(now)
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        let when = |t: Option<i64>| t.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0));
        rows.iter()
            .map(|r| {
                Ok(SessionInfo {
                    id_hash: r.try_get("id_hash")?,
                    started_at: when(r.try_get("started_at")?),
                    seen_at: when(r.try_get("seen_at")?),
                    agent: r.try_get("agent")?,
                })
            })
            .collect()
    }

    async fn end_own_sessions(
        &self,
        actor: &Actor,
        which: Option<&str>,
        keep: Option<&str>,
    ) -> Result<Vec<String>> {
        let mut tx = self.db.write().await?;
        let ended = delete_sessions(&mut tx, actor.user_id, which, keep).await?;
        if which.is_some() && ended.is_empty() {
            return Err(StoreError::NotFound);
        }
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Revoke,
                AuditRecord::Session,
                Some(actor.user_id),
                None,
            )
            .change("signed in", format!("{} signed out", ended.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }
}

/// Deletes a user's sessions (only `which`, or all but `keep`) and returns the hashes
/// ended, so that the web forgets them at once (its session cache is in memory).
async fn delete_sessions(
    tx: &mut Conn,
    user_id: UserId,
    which: Option<&str>,
    keep: Option<&str>,
) -> Result<Vec<String>> {
    let rows = match which {
        Some(one) => {
            unscoped("SELECT id_hash FROM sessions WHERE user_id = $1 AND id_hash = $2")
                .bind(user_id)
                .bind(one)
                .fetch_all(&mut *tx)
                .await?
        }
        None => {
            unscoped("SELECT id_hash FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .bind(user_id)
                .bind(keep.unwrap_or(""))
                .fetch_all(&mut *tx)
                .await?
        }
    };
    let ended: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("id_hash"))
        .collect::<std::result::Result<_, _>>()?;
    for h in &ended {
        unscoped("DELETE FROM sessions WHERE id_hash = $1")
            .bind(h.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(ended)
}

/// An account of the actor's hub, for a change to it.
async fn member_of_hub(tx: &mut Conn, actor: &Actor, user_id: UserId) -> Result<User> {
    let row = access::hub(actor)
        .query(
            "SELECT u.id, u.username, u.display_name, u.role, u.active, u.awaiting_approval, u.pending_role FROM users u \
             JOIN hub_members m ON m.user_id = u.id WHERE m.hub_id = $1 AND u.id = $2",
        )
        .bind_hub()
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    user_row(&row)
}

/// An administrator may look after the accounts of their hub, never their own (another
/// administrator does that): anything else is a record that does not exist.
fn looks_after(actor: &Actor, user_id: UserId) -> Result<()> {
    if actor.role.can(Capability::ManageUsers) && user_id != actor.user_id {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

async fn set_password_hash(tx: &mut Conn, user_id: UserId, password_hash: &str) -> Result<()> {
    unscoped("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
