//! Hubs, users and personal API tokens: administration, no family data. Looking after
//! an account once it exists (disabling, roles, reset codes, a person's own password and
//! sessions) is `care.rs`.

mod care;
mod records;

use crate::prelude::*;

pub use care::AccountCare;

pub use records::*;

pub use alongside_domain::accounts::RoleChange;

/// Hubs, users and API tokens.
#[async_trait]
pub trait Accounts: Send + Sync {
    async fn create_hub(&self, name: &str) -> Result<Hub>;
    async fn hub_by_name(&self, name: &str) -> Result<Option<Hub>>;
    async fn create_user(&self, new: &NewUser) -> Result<User>;
    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()>;
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>>;
    async fn user_hubs(&self, user_id: UserId) -> Result<Vec<Hub>>;
    /// The actor for a user in a hub, if the user is active and a member of that hub.
    async fn actor(&self, user_id: UserId, hub_id: HubId) -> Result<Option<Actor>>;
    /// Workers of the actor's hub holding `role` (for allocation choices).
    async fn hub_workers(&self, actor: &Actor, role: Role) -> Result<Vec<User>>;
    /// All users of the actor's hub (administrators).
    async fn hub_users(&self, actor: &Actor) -> Result<Vec<User>>;
    async fn create_api_token(
        &self,
        actor: &Actor,
        name: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        scope: TokenScope,
    ) -> Result<TokenId>;
    async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, actor: &Actor, token_id: TokenId) -> Result<()>;
    /// The user and hub a live token belongs to, and what it may do; marks it used.
    async fn api_token_owner(
        &self,
        token_hash: &str,
    ) -> Result<Option<(UserId, HubId, TokenScope, TokenId)>>;
    /// The accounts of the actor's hub waiting for a manager's approval (managers).
    async fn accounts_awaiting_approval(&self, actor: &Actor) -> Result<Vec<User>>;
    /// Approves an account of the actor's hub, so that it may sign in (managers).
    async fn approve_account(
        &self,
        actor: &Actor,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Every account of the actor's hub made, approved, disabled or changed in role,
    /// newest first (managers).
    async fn account_notices(&self, actor: &Actor, limit: i64) -> Result<Vec<AccountNotice>>;
}

#[async_trait]
impl Accounts for SqlStore {
    async fn create_hub(&self, name: &str) -> Result<Hub> {
        if self.hub_by_name(name).await?.is_some() {
            return Err(Refusal::HubExists(name.to_string()).into());
        }
        let row = unscoped("INSERT INTO hubs (name, created_at) VALUES ($1, $2) RETURNING id, name, first_contact_target_days, cross_hub_daily_limit")
            .bind(name)
            .bind(Utc::now())
            .fetch_one(&mut self.db.plain().await?)
            .await?;
        hub_row(&row)
    }

    async fn hub_by_name(&self, name: &str) -> Result<Option<Hub>> {
        let row = unscoped("SELECT id, name, first_contact_target_days, cross_hub_daily_limit FROM hubs WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut self.db.plain().await?)
            .await?;
        row.as_ref().map(hub_row).transpose()
    }

    async fn create_user(&self, new: &NewUser) -> Result<User> {
        let mut tx = self.db.write().await?;
        let taken = unscoped("SELECT id FROM users WHERE lower(username) = lower($1)")
            .bind(new.username())
            .fetch_optional(&mut tx)
            .await?;
        if taken.is_some() {
            return Err(Refusal::UsernameTaken.into());
        }
        let row = unscoped(
            "INSERT INTO users (username, display_name, role, password_hash, active, created_at, awaiting_approval) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, username, display_name, role, active, awaiting_approval, pending_role",
        )
        .bind(new.username())
        .bind(new.display_name())
        .bind(new.role().code())
        .bind(new.password_hash())
        .bind(true)
        .bind(Utc::now())
        .bind(new.is_awaiting_approval())
        .fetch_one(&mut tx)
        .await?;
        let user = user_row(&row)?;
        for hub in new.hub_ids() {
            // A hub's first manager comes from the server, never from the browser: no
            // one would be there to approve them.
            if new.is_awaiting_approval() && new.role() == Role::Manager {
                let managers: i64 = unscoped(
                    "SELECT COUNT(*) AS n FROM users u JOIN hub_members m ON m.user_id = u.id \
                     WHERE m.hub_id = $1 AND u.role = $2 AND u.active = $3 AND u.awaiting_approval = $4",
                )
                .bind(hub)
                .bind(Role::Manager.code())
                .bind(true)
                .bind(false)
                .fetch_one(&mut tx)
                .await?
                .try_get("n")?;
                if managers == 0 {
                    return Err(Refusal::FirstManagerFromTheServer.into());
                }
            }
            unscoped("INSERT INTO hub_members (hub_id, user_id) VALUES ($1, $2)")
                .bind(hub)
                .bind(user.id)
                .execute(&mut tx)
                .await?;
            notice(&mut tx, *hub, user.id, "made", new.role(), None).await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()> {
        let done =
            unscoped("UPDATE users SET password_hash = $1 WHERE lower(username) = lower($2)")
                .bind(password_hash)
                .bind(username)
                .execute(&mut self.db.plain().await?)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let row = unscoped(
            "SELECT id, username, display_name, role, active, awaiting_approval, pending_role, password_hash FROM users WHERE lower(username) = lower($1)",
        )
        .bind(username)
        .fetch_optional(&mut self.db.plain().await?)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(Credentials {
                user: user_row(&r)?,
                password_hash: r.try_get("password_hash")?,
            })),
        }
    }

    async fn user_hubs(&self, user_id: UserId) -> Result<Vec<Hub>> {
        let rows = unscoped(
            "SELECT h.id, h.name, h.first_contact_target_days, h.cross_hub_daily_limit FROM hubs h JOIN hub_members m ON m.hub_id = h.id \
             WHERE m.user_id = $1 ORDER BY h.name",
        )
        .bind(user_id)
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        rows.iter().map(hub_row).collect()
    }

    async fn actor(&self, user_id: UserId, hub_id: HubId) -> Result<Option<Actor>> {
        let row = unscoped(
            "SELECT u.id, u.username, u.display_name, u.role, h.name AS hub_name, h.parent_service_name FROM users u \
             JOIN hub_members m ON m.user_id = u.id JOIN hubs h ON h.id = m.hub_id \
             WHERE u.id = $1 AND m.hub_id = $2 AND u.active = $3 AND u.awaiting_approval = $4",
        )
        .bind(user_id)
        .bind(hub_id)
        .bind(true)
        .bind(false)
        .fetch_optional(&mut self.db.plain().await?)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(Actor {
                user_id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                role: code(&r.try_get::<String>("role")?)?,
                hub_id,
                hub_name: r.try_get("hub_name")?,
                parent_service_name: r.try_get("parent_service_name")?,
                origin: crate::Origin::default(),
            })),
        }
    }

    async fn hub_workers(&self, actor: &Actor, role: Role) -> Result<Vec<User>> {
        let rows = access::hub(actor)
            .query(
                "SELECT u.id, u.username, u.display_name, u.role, u.active, u.awaiting_approval, u.pending_role FROM users u \
             JOIN hub_members m ON m.user_id = u.id \
             WHERE m.hub_id = $1 AND u.role = $2 AND u.active = $3 AND u.awaiting_approval = $4 ORDER BY u.display_name",
            )
            .bind_hub()
            .bind(role.code())
            .bind(true)
            .bind(false)
            .fetch_all(&mut self.db.plain().await?)
            .await?;
        rows.iter().map(user_row).collect()
    }

    async fn hub_users(&self, actor: &Actor) -> Result<Vec<User>> {
        let rows = access::hub(actor).query(
            "SELECT u.id, u.username, u.display_name, u.role, u.active, u.awaiting_approval, u.pending_role FROM users u \
             JOIN hub_members m ON m.user_id = u.id WHERE m.hub_id = $1 ORDER BY u.role, u.display_name",
        )
        .bind_hub()
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        let users = rows.iter().map(user_row).collect::<Result<Vec<_>>>()?;
        // The list names parents and carers too: reading it is audited.
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::User, None::<i64>, None)
                .listing(users.iter().map(|u| u.id.get()), None),
        )
        .await?;
        Ok(users)
    }

    async fn create_api_token(
        &self,
        actor: &Actor,
        name: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        scope: TokenScope,
    ) -> Result<TokenId> {
        let mut tx = self.db.write().await?;
        let id: TokenId = access::hub(actor).query(
            "INSERT INTO api_tokens (user_id, hub_id, name, token_hash, created_at, expires_at, scope) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(actor.user_id)
        .bind_hub()
        .bind(name)
        .bind(token_hash)
        .bind(Utc::now())
        .bind(expires_at)
        .bind(scope.code())
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        audit::write(
            &mut tx,
            actor,
            &ev(AuditAction::Create, AuditRecord::ApiToken, Some(id), None),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        let rows = access::hub(actor).query(
            "SELECT id, name, created_at, last_used_at, revoked_at, expires_at, scope FROM api_tokens WHERE user_id = $1 AND hub_id = $2 ORDER BY id DESC",
        )
        .bind(actor.user_id)
        .bind_hub()
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        rows.iter()
            .map(|r| {
                let created_at: DateTime<Utc> = r.try_get("created_at")?;
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    expires_at: r.try_get::<Option<DateTime<Utc>>>("expires_at")?.unwrap_or(
                        created_at
                            + chrono::Duration::days(
                                alongside_domain::accounts::TOKEN_LIFETIME_DAYS,
                            ),
                    ),
                    created_at,
                    last_used_at: r.try_get("last_used_at")?,
                    revoked: r.try_get::<Option<DateTime<Utc>>>("revoked_at")?.is_some(),
                    scope: code(&r.try_get::<String>("scope")?)?,
                })
            })
            .collect()
    }

    async fn revoke_api_token(&self, actor: &Actor, token_id: TokenId) -> Result<()> {
        let mut tx = self.db.write().await?;
        let done = unscoped("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(Utc::now())
            .bind(token_id)
            .bind(actor.user_id)
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Revoke,
                AuditRecord::ApiToken,
                Some(token_id),
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn accounts_awaiting_approval(&self, actor: &Actor) -> Result<Vec<User>> {
        if !actor.role.can(Capability::ApproveAccounts) {
            return Err(StoreError::NotFound);
        }
        let rows = access::hub(actor)
            .query(
                "SELECT u.id, u.username, u.display_name, u.role, u.active, u.awaiting_approval, u.pending_role FROM users u \
                 JOIN hub_members m ON m.user_id = u.id WHERE m.hub_id = $1 AND (u.awaiting_approval = $2 OR u.pending_role IS NOT NULL) ORDER BY u.id",
            )
            .bind_hub()
            .bind(true)
            .fetch_all(&mut self.db.plain().await?)
            .await?;
        rows.iter().map(user_row).collect()
    }

    async fn approve_account(
        &self,
        actor: &Actor,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::ApproveAccounts) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let row = access::hub(actor)
            .query(
                "SELECT u.role, u.pending_role, u.awaiting_approval FROM users u JOIN hub_members m ON m.user_id = u.id \
                 WHERE m.hub_id = $1 AND u.id = $2 AND (u.awaiting_approval = $3 OR u.pending_role IS NOT NULL)",
            )
            .bind_hub()
            .bind(user_id)
            .bind(true)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let role: Role = code(&row.try_get::<String>("role")?)?;
        let pending: Option<Role> = opt_code(row.try_get("pending_role")?)?;
        if let Some(to) = pending {
            // A role change an administrator asked for.
            unscoped("UPDATE users SET role = $1, pending_role = NULL WHERE id = $2")
                .bind(to.code())
                .bind(user_id)
                .execute(&mut tx)
                .await?;
            notice(
                &mut tx,
                actor.hub_id,
                user_id,
                "role_changed",
                to,
                Some(actor.user_id),
            )
            .await?;
            audit::write(
                &mut tx,
                actor,
                &ev(AuditAction::Approve, AuditRecord::User, Some(user_id), None)
                    .change(role.code(), to.code()),
            )
            .await?;
        }
        if row.try_get::<bool>("awaiting_approval")? {
            unscoped("UPDATE users SET awaiting_approval = $1 WHERE id = $2")
                .bind(false)
                .bind(user_id)
                .execute(&mut tx)
                .await?;
            notice(
                &mut tx,
                actor.hub_id,
                user_id,
                "approved",
                pending.unwrap_or(role),
                Some(actor.user_id),
            )
            .await?;
            audit::write(
                &mut tx,
                actor,
                &ev(AuditAction::Approve, AuditRecord::User, Some(user_id), None)
                    .change("awaiting_approval", "approved"),
            )
            .await?;
        }
        let _ = now;
        tx.commit().await?;
        Ok(())
    }

    async fn account_notices(&self, actor: &Actor, limit: i64) -> Result<Vec<AccountNotice>> {
        if !actor.role.can(Capability::ApproveAccounts) {
            return Err(StoreError::NotFound);
        }
        let rows = access::hub(actor)
            .query(
                "SELECT n.kind, n.role, n.at, u.username, u.display_name, b.display_name AS by_name FROM account_notices n \
                 JOIN users u ON u.id = n.user_id LEFT JOIN users b ON b.id = n.by_user_id \
                 WHERE n.hub_id = $1 ORDER BY n.at DESC, n.id DESC LIMIT $2",
            )
            .bind_hub()
            .bind(limit)
            .fetch_all(&mut self.db.plain().await?)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AccountNotice {
                    kind: r.try_get("kind")?,
                    role: code(&r.try_get::<String>("role")?)?,
                    at: r.try_get("at")?,
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    by: r.try_get("by_name")?,
                })
            })
            .collect()
    }

    async fn api_token_owner(
        &self,
        token_hash: &str,
    ) -> Result<Option<(UserId, HubId, TokenScope, TokenId)>> {
        let row = unscoped(
            "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL \
             AND ((expires_at IS NULL AND created_at > $3) OR expires_at > $1) RETURNING user_id, hub_id, scope, id",
        )
        .bind(Utc::now())
        .bind(token_hash)
        // A token made before tokens expired lasts the default from when it was made.
        .bind(Utc::now() - chrono::Duration::days(alongside_domain::accounts::TOKEN_LIFETIME_DAYS))
        .fetch_optional(&mut self.db.plain().await?)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some((
                r.try_get("user_id")?,
                r.try_get("hub_id")?,
                code(&r.try_get::<String>("scope")?)?,
                r.try_get("id")?,
            ))),
        }
    }
}

pub(crate) async fn hubs_of_user(tx: &mut Conn, user_id: UserId) -> Result<Vec<HubId>> {
    unscoped("SELECT hub_id FROM hub_members WHERE user_id = $1 ORDER BY hub_id")
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get("hub_id")?))
        .collect()
}

/// The account itself as the actor of what it does before signing in (a reset code), in
/// its first hub.
pub(crate) async fn own_actor(tx: &mut Conn, user_id: UserId) -> Result<Actor> {
    let r = unscoped(
        "SELECT u.id, u.username, u.display_name, u.role, h.id AS hub_id, h.name AS hub_name, h.parent_service_name FROM users u \
         JOIN hub_members m ON m.user_id = u.id JOIN hubs h ON h.id = m.hub_id WHERE u.id = $1 ORDER BY h.id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(Actor {
        user_id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: code(&r.try_get::<String>("role")?)?,
        hub_id: r.try_get("hub_id")?,
        hub_name: r.try_get("hub_name")?,
        parent_service_name: r.try_get("parent_service_name")?,
        origin: crate::Origin::default(),
    })
}

/// Tells the managers of every hub of an account of something about it.
pub(crate) async fn notice_all_hubs(
    tx: &mut Conn,
    user: UserId,
    kind: &str,
    role: Role,
) -> Result<()> {
    for hub in hubs_of_user(tx, user).await? {
        notice(tx, hub, user, kind, role, None).await?;
    }
    Ok(())
}

/// Tells the hub's managers of a change to one of its accounts.
pub(crate) async fn notice(
    tx: &mut Conn,
    hub: HubId,
    user: UserId,
    kind: &str,
    role: Role,
    by: Option<UserId>,
) -> Result<()> {
    unscoped(
        "INSERT INTO account_notices (hub_id, user_id, kind, role, by_user_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hub)
    .bind(user)
    .bind(kind)
    .bind(role.code())
    .bind(by)
    .bind(Utc::now())
    .execute(tx)
    .await?;
    Ok(())
}

pub(crate) fn user_row(r: &Row) -> Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: code(&r.try_get::<String>("role")?)?,
        active: r.try_get("active")?,
        awaiting_approval: r.try_get("awaiting_approval")?,
        pending_role: opt_code(r.try_get("pending_role")?)?,
    })
}

pub(crate) fn hub_row(r: &Row) -> Result<Hub> {
    Ok(Hub {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        first_contact_target_days: r.try_get("first_contact_target_days")?,
        cross_hub_daily_limit: r.try_get("cross_hub_daily_limit")?,
    })
}

/// Whether `user_id` is an active member of the hub holding `role`.
pub(crate) async fn is_hub_worker(
    tx: &mut Conn,
    hub_id: HubId,
    user_id: UserId,
    role: Role,
) -> Result<Option<String>> {
    let row = unscoped(
        "SELECT u.display_name FROM users u JOIN hub_members m ON m.user_id = u.id \
         WHERE u.id = $1 AND m.hub_id = $2 AND u.role = $3 AND u.active = $4",
    )
    .bind(user_id)
    .bind(hub_id)
    .bind(role.code())
    .bind(true)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|r| r.try_get("display_name")).transpose()?)
}
