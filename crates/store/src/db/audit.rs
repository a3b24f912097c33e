//! The audit writer: every write's event goes into the same transaction as the write
//! ([`write`]); every read's event is queued to one task that writes batches durably
//! ([`SqlStore::audit_read`]), and the read is answered only once its event is stored
//! (decision 0005). This is the one place audit events are written.

use super::query::{Made, Query};
use super::{Conn, Db};
use crate::{Actor, AuditEvent, Result, SqlStore, StoreError};
use alongside_domain::ids::*;
use alongside_domain::Code;
use chrono::{DateTime, Utc};

/// An audit event of a read, waiting to be written; `done` hears when it is durable.
pub(crate) struct AuditJob {
    row: AuditRowNew,
    done: tokio::sync::oneshot::Sender<std::result::Result<(), String>>,
}

struct AuditRowNew {
    at: DateTime<Utc>,
    user_id: UserId,
    username: String,
    role: &'static str,
    hub_id: HubId,
    event: AuditEvent,
    origin: crate::Origin,
}

impl AuditRowNew {
    fn new(actor: &Actor, event: &AuditEvent) -> Self {
        Self {
            at: Utc::now(),
            user_id: actor.user_id,
            username: actor.username.clone(),
            role: actor.role.code(),
            hub_id: actor.hub_id,
            event: event.clone(),
            origin: actor.origin().clone(),
        }
    }
}

const INSERT: &str = "INSERT INTO audit_events (at, user_id, username, role, hub_id, action, record_type, record_id, family_id, before_value, after_value, address, session_ref, token_id) VALUES ";

/// Records an event in the transaction of the write it describes.
pub(crate) async fn write(conn: &mut Conn, actor: &Actor, ev: &AuditEvent) -> Result<()> {
    let row = AuditRowNew::new(actor, ev);
    let mut q = Query::new(INSERT, Made::Unscoped);
    push_row(&mut q, &row);
    q.execute(conn).await?;
    Ok(())
}

/// Records an event in another hub's log, in the transaction of the write it describes:
/// the actor caused something there (a cross-hub match), and that hub's log says who.
pub(crate) async fn write_in_hub(
    conn: &mut Conn,
    actor: &Actor,
    hub: HubId,
    ev: &AuditEvent,
) -> Result<()> {
    let mut row = AuditRowNew::new(actor, ev);
    row.hub_id = hub;
    let mut q = Query::new(INSERT, Made::Unscoped);
    push_row(&mut q, &row);
    q.execute(conn).await?;
    Ok(())
}

fn push_row<'a>(q: &mut Query<'a>, r: &'a AuditRowNew) {
    q.push("(")
        .push_bind(r.at)
        .push(", ")
        .push_bind(r.user_id)
        .push(", ")
        .push_bind(r.username.as_str())
        .push(", ")
        .push_bind(r.role)
        .push(", ")
        .push_bind(r.hub_id)
        .push(", ")
        .push_bind(r.event.action.code())
        .push(", ")
        .push_bind(r.event.record_type.code())
        .push(", ")
        .push_bind(r.event.record_id)
        .push(", ")
        .push_bind(r.event.family_id)
        .push(", ")
        .push_bind(r.event.before.as_deref())
        .push(", ")
        .push_bind(r.event.after.as_deref())
        .push(", ")
        .push_bind(r.origin.address.as_deref())
        .push(", ")
        .push_bind(r.origin.session_ref.as_deref())
        .push(", ")
        .push_bind(r.origin.token_id)
        .push(")");
}

/// Writes queued read-audit events: everything waiting, in one transaction (group
/// commit), then tells each reader. The reads themselves run side by side instead of
/// queueing behind SQLite's single writer, and on PostgreSQL many reads share one
/// commit's flush to disk. The pool reconnects after a failure (a restarted server, a
/// dropped connection), so one bad moment does not refuse every read until a restart.
pub(crate) async fn writer(db: Db, mut rx: tokio::sync::mpsc::Receiver<AuditJob>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < 500 {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut result = Err(String::new());
        for _attempt in 0..2 {
            result = insert_batch(&db, &batch).await.map_err(|e| e.to_string());
            if result.is_ok() {
                break;
            }
        }
        if let Err(e) = &result {
            tracing::error!(error = %e, "could not write audit events; the reads they record were refused");
        }
        for job in batch {
            let _ = job.done.send(result.clone());
        }
    }
}

async fn insert_batch(db: &Db, batch: &[AuditJob]) -> Result<()> {
    let mut conn = db.write().await?;
    let mut q = Query::new(INSERT, Made::Unscoped);
    for (i, job) in batch.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        push_row(&mut q, &job.row);
    }
    q.execute(&mut conn).await?;
    conn.commit().await
}

impl SqlStore {
    /// Records a read and waits until the record is stored.
    pub(crate) async fn audit_read(&self, actor: &Actor, ev: &AuditEvent) -> Result<()> {
        let (done, heard) = tokio::sync::oneshot::channel();
        let stopped = || StoreError::AuditWrite("the audit writer has stopped".into());
        self.audit_queue
            .send(AuditJob {
                row: AuditRowNew::new(actor, ev),
                done,
            })
            .await
            .map_err(|_| stopped())?;
        heard
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::AuditWrite)
    }
}
