//! Hubs, users and personal API tokens: administration, no family data.

mod records;

use crate::prelude::*;

pub use records::*;

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
    ) -> Result<TokenId>;
    async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, actor: &Actor, token_id: TokenId) -> Result<()>;
    /// The user and hub a live token belongs to; marks it used.
    async fn api_token_owner(&self, token_hash: &str) -> Result<Option<(UserId, HubId)>>;
}

#[async_trait]
impl Accounts for SqlStore {
    async fn create_hub(&self, name: &str) -> Result<Hub> {
        if self.hub_by_name(name).await?.is_some() {
            return Err(Refusal::HubExists(name.to_string()).into());
        }
        let row = unscoped("INSERT INTO hubs (name, created_at) VALUES ($1, $2) RETURNING id, name, first_contact_target_days")
            .bind(name)
            .bind(Utc::now())
            .fetch_one(&mut self.db.plain().await?)
            .await?;
        hub_row(&row)
    }

    async fn hub_by_name(&self, name: &str) -> Result<Option<Hub>> {
        let row = unscoped("SELECT id, name, first_contact_target_days FROM hubs WHERE name = $1")
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
            return Err(Refusal::UsernameTaken(new.username().to_string()).into());
        }
        let row = unscoped(
            "INSERT INTO users (username, display_name, role, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, username, display_name, role, active",
        )
        .bind(new.username())
        .bind(new.display_name())
        .bind(new.role().code())
        .bind(new.password_hash())
        .bind(true)
        .bind(Utc::now())
        .fetch_one(&mut tx)
        .await?;
        let user = user_row(&row)?;
        for hub in new.hub_ids() {
            unscoped("INSERT INTO hub_members (hub_id, user_id) VALUES ($1, $2)")
                .bind(hub)
                .bind(user.id)
                .execute(&mut tx)
                .await?;
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
            "SELECT id, username, display_name, role, active, password_hash FROM users WHERE lower(username) = lower($1)",
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
            "SELECT h.id, h.name, h.first_contact_target_days FROM hubs h JOIN hub_members m ON m.hub_id = h.id \
             WHERE m.user_id = $1 ORDER BY h.name",
        )
        .bind(user_id)
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        rows.iter().map(hub_row).collect()
    }

    async fn actor(&self, user_id: UserId, hub_id: HubId) -> Result<Option<Actor>> {
        let row = unscoped(
            "SELECT u.id, u.username, u.display_name, u.role, h.name AS hub_name FROM users u \
             JOIN hub_members m ON m.user_id = u.id JOIN hubs h ON h.id = m.hub_id \
             WHERE u.id = $1 AND m.hub_id = $2 AND u.active = $3",
        )
        .bind(user_id)
        .bind(hub_id)
        .bind(true)
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
            })),
        }
    }

    async fn hub_workers(&self, actor: &Actor, role: Role) -> Result<Vec<User>> {
        let rows = access::hub(actor)
            .query(
                "SELECT u.id, u.username, u.display_name, u.role, u.active FROM users u \
             JOIN hub_members m ON m.user_id = u.id \
             WHERE m.hub_id = $1 AND u.role = $2 AND u.active = $3 ORDER BY u.display_name",
            )
            .bind_hub()
            .bind(role.code())
            .bind(true)
            .fetch_all(&mut self.db.plain().await?)
            .await?;
        rows.iter().map(user_row).collect()
    }

    async fn hub_users(&self, actor: &Actor) -> Result<Vec<User>> {
        let rows = access::hub(actor).query(
            "SELECT u.id, u.username, u.display_name, u.role, u.active FROM users u \
             JOIN hub_members m ON m.user_id = u.id WHERE m.hub_id = $1 ORDER BY u.role, u.display_name",
        )
        .bind_hub()
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        rows.iter().map(user_row).collect()
    }

    async fn create_api_token(
        &self,
        actor: &Actor,
        name: &str,
        token_hash: &str,
    ) -> Result<TokenId> {
        let mut tx = self.db.write().await?;
        let id: TokenId = access::hub(actor).query(
            "INSERT INTO api_tokens (user_id, hub_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(actor.user_id)
        .bind_hub()
        .bind(name)
        .bind(token_hash)
        .bind(Utc::now())
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
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 AND hub_id = $2 ORDER BY id DESC",
        )
        .bind(actor.user_id)
        .bind_hub()
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                    revoked: r.try_get::<Option<DateTime<Utc>>>("revoked_at")?.is_some(),
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

    async fn api_token_owner(&self, token_hash: &str) -> Result<Option<(UserId, HubId)>> {
        let row = unscoped(
            "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING user_id, hub_id",
        )
        .bind(Utc::now())
        .bind(token_hash)
        .fetch_optional(&mut self.db.plain().await?)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some((r.try_get("user_id")?, r.try_get("hub_id")?))),
        }
    }
}

pub(crate) fn user_row(r: &Row) -> Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: code(&r.try_get::<String>("role")?)?,
        active: r.try_get("active")?,
    })
}

pub(crate) fn hub_row(r: &Row) -> Result<Hub> {
    Ok(Hub {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        first_contact_target_days: r.try_get("first_contact_target_days")?,
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
