//! Server-side sessions for `tower-sessions`, kept in our own database.
//!
//! The session id lives only in the person's cookie: the table holds its SHA-256, so a
//! copy of the database cannot be used to take over a session.

use crate::Store;
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

#[derive(Clone)]
pub struct DbSessionStore {
    store: Arc<dyn Store>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

/// The hash a session's row is kept under (its id is only in the person's cookie).
pub fn id_hash(id: &Id) -> String {
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

/// The entry of a session that names who is signed in to it: the web keeps `user_id`,
/// `started` and `seen` (unix seconds) and `agent` there, and the row carries them so that
/// a person can see and end their sessions, and disabling an account ends its sessions.
pub const AUTH_ENTRY: &str = "auth";

fn owner(record: &Record) -> crate::SessionOwner {
    let Some(auth) = record.data.get(AUTH_ENTRY) else {
        return crate::SessionOwner::default();
    };
    crate::SessionOwner {
        user_id: auth
            .get("user_id")
            .and_then(|v| v.as_i64())
            .and_then(|v| v.to_string().parse().ok()),
        started_at: auth.get("started").and_then(|v| v.as_i64()),
        seen_at: auth.get("seen").and_then(|v| v.as_i64()),
        agent: auth
            .get("agent")
            .and_then(|v| v.as_str())
            .map(|a| a.chars().take(200).collect()),
    }
}

fn backend(e: crate::StoreError) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        // A clash of 128-bit random ids is all but impossible; if it happens, draw again.
        loop {
            let created = self
                .store
                .session_create(
                    &id_hash(&record.id),
                    &data,
                    record.expiry_date.unix_timestamp(),
                    &owner(record),
                )
                .await
                .map_err(backend)?;
            if created {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.store
            .session_save(
                &id_hash(&record.id),
                &encode(record)?,
                record.expiry_date.unix_timestamp(),
                &owner(record),
            )
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some((data, expires_at)) = self
            .store
            .session_load(&id_hash(id), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(expires_at)
            .unwrap_or_else(|_| OffsetDateTime::now_utc());
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .session_delete(&id_hash(id))
            .await
            .map_err(backend)
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.store
            .session_delete_expired(now)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
