//! Sign-in sessions: the rows `tower-sessions` keeps, keyed by a hash of the session id.

mod tower;
pub use tower::{id_hash as session_id_hash, DbSessionStore, AUTH_ENTRY};

use crate::prelude::*;
use crate::SessionOwner;

/// Session records (see [`DbSessionStore`]).
#[async_trait]
pub trait Sessions: Send + Sync {
    /// The data and expiry (unix seconds) of a live session.
    async fn session_load(&self, id_hash: &str, now: i64) -> Result<Option<(String, i64)>>;
    async fn session_save(
        &self,
        id_hash: &str,
        data: &str,
        expires_at: i64,
        owner: &SessionOwner,
    ) -> Result<()>;
    /// Inserts a new session; `false` if the id is taken.
    async fn session_create(
        &self,
        id_hash: &str,
        data: &str,
        expires_at: i64,
        owner: &SessionOwner,
    ) -> Result<bool>;
    async fn session_delete(&self, id_hash: &str) -> Result<()>;
    async fn session_delete_expired(&self, now: i64) -> Result<u64>;
}

#[async_trait]
impl Sessions for SqlStore {
    async fn session_load(&self, id_hash: &str, now: i64) -> Result<Option<(String, i64)>> {
        let row = unscoped(
            "SELECT data, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&mut self.db.plain().await?)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some((r.try_get("data")?, r.try_get("expires_at")?))),
        }
    }

    async fn session_save(
        &self,
        id_hash: &str,
        data: &str,
        expires_at: i64,
        owner: &SessionOwner,
    ) -> Result<()> {
        unscoped(
            "INSERT INTO sessions (id_hash, data, expires_at, user_id, started_at, seen_at, agent) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, \
             user_id = excluded.user_id, started_at = excluded.started_at, seen_at = excluded.seen_at, agent = excluded.agent",
        )
        .bind(id_hash)
        .bind(data)
        .bind(expires_at)
        .bind(owner.user_id)
        .bind(owner.started_at)
        .bind(owner.seen_at)
        .bind(owner.agent.as_deref())
        .execute(&mut self.db.plain().await?)
        .await?;
        Ok(())
    }

    async fn session_create(
        &self,
        id_hash: &str,
        data: &str,
        expires_at: i64,
        owner: &SessionOwner,
    ) -> Result<bool> {
        let done = unscoped(
            "INSERT INTO sessions (id_hash, data, expires_at, user_id, started_at, seen_at, agent) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id_hash) DO NOTHING",
        )
        .bind(id_hash)
        .bind(data)
        .bind(expires_at)
        .bind(owner.user_id)
        .bind(owner.started_at)
        .bind(owner.seen_at)
        .bind(owner.agent.as_deref())
        .execute(&mut self.db.plain().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn session_delete(&self, id_hash: &str) -> Result<()> {
        unscoped("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut self.db.plain().await?)
            .await?;
        Ok(())
    }

    async fn session_delete_expired(&self, now: i64) -> Result<u64> {
        let done = unscoped("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut self.db.plain().await?)
            .await?;
        Ok(done.rows_affected())
    }
}
