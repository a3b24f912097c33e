//! The two backends. Their SQL is written once, in the dialect SQLite and PostgreSQL
//! share (numbered `$n` parameters, `RETURNING`, `COALESCE`, `COUNT(CASE ...)`), and the
//! `impl_store!` macro instantiates it for each driver, so the two cannot drift apart.
//! What differs (migrations, how a transaction that will write begins, backups, pool
//! settings) is passed to the macro or written per backend below.

use crate::partnership::*;
use crate::types::*;
use crate::{demo, Actor, Result, Store, StoreError};
use alongside_domain::clock::uk_local;
use alongside_domain::family::{ChronologyKind, ContactStatus, MemberRole, Visibility};
use alongside_domain::information::{
    AlertKind, CustodyEventKind, EntryStatus, Grade, IdentifierStatus, ItemKind, SubmissionStatus,
};
use alongside_domain::referral::{ReferralStatus, TriageDecision};
use alongside_domain::roles::Capability;
use alongside_domain::roles::Role;
use alongside_domain::Code;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Row;
use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// How to open a database.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Create the SQLite file if it is missing. Off for user-given URLs, so that a
    /// mistyped path is refused rather than answered with a new, empty database.
    pub create_if_missing: bool,
    pub max_connections: u32,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            create_if_missing: false,
            max_connections: 16,
        }
    }
}

/// Opens the database a URL names.
pub async fn connect(url: &crate::DatabaseUrl, opts: &ConnectOptions) -> Result<Arc<dyn Store>> {
    match url {
        crate::DatabaseUrl::Sqlite(path) => {
            if !opts.create_if_missing && !path.exists() {
                return Err(StoreError::Conflict(format!(
                    "there is no SQLite database at {}: check the path, or run `alongside migrate` to create one",
                    path.display()
                )));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Conflict(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(opts.create_if_missing)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-65536")
                // The background checkpointer does the work; this only bounds the log.
                .pragma("wal_autocheckpoint", "20000");
            let pool = SqlitePoolOptions::new()
                .max_connections(opts.max_connections)
                .connect_with(options.clone())
                .await?;
            let lock = Arc::new(tokio::sync::Mutex::new(()));
            let (audit_queue, rx) = tokio::sync::mpsc::channel(4096);
            // A read's audit event must survive a power cut once the read is answered:
            // the audit writer commits with a full sync (group commit shares its cost).
            let durable = options.clone().synchronous(SqliteSynchronous::Full);
            tokio::spawn(SqliteStore::audit_writer(durable, Some(lock.clone()), rx));
            // Checkpoint the write-ahead log in the background, so that copying pages
            // back into the database (and its fsync) never holds up a writer.
            let checkpointer = pool.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(2));
                loop {
                    tick.tick().await;
                    if checkpointer.is_closed() {
                        break;
                    }
                    let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                        .execute(&checkpointer)
                        .await;
                }
            });
            Ok(Arc::new(SqliteStore {
                pool,
                write_lock: Some(lock),
                audit_queue,
            }))
        }
        crate::DatabaseUrl::Postgres(raw) => {
            let options = PgConnectOptions::from_str(raw)?;
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options.clone())
                .await?;
            let (audit_queue, rx) = tokio::sync::mpsc::channel(4096);
            tokio::spawn(PgStore::audit_writer(options, None, rx));
            Ok(Arc::new(PgStore {
                pool,
                write_lock: None,
                audit_queue,
            }))
        }
    }
}

fn migrator(files: &[(i64, &'static str, &'static str)]) -> Migrator {
    // The fields are public for `sqlx::migrate!`; we fill them from files embedded with
    // `include_str!` rather than pull in sqlx's query macros (and a second build of both
    // drivers) for that one macro. The version is pinned in Cargo.lock.
    Migrator {
        migrations: Cow::Owned(
            files
                .iter()
                .map(|(v, d, sql)| {
                    Migration::new(
                        *v,
                        Cow::Borrowed(d),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect(),
        ),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

pub struct SqliteStore {
    pool: SqlitePool,
    /// SQLite has one writer at a time: queue writers in the process.
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Audit events of reads, written in batches by one task (see `audit_read`).
    audit_queue: tokio::sync::mpsc::Sender<AuditJob>,
}

pub struct PgStore {
    pool: PgPool,
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    audit_queue: tokio::sync::mpsc::Sender<AuditJob>,
}

/// Where a read runs: a transaction, or a plain pooled connection.
enum ReadConn<DB: sqlx::Database> {
    Tx(sqlx::Transaction<'static, DB>),
    Plain(sqlx::pool::PoolConnection<DB>),
}

impl<DB: sqlx::Database> std::ops::Deref for ReadConn<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        match self {
            ReadConn::Tx(t) => t,
            ReadConn::Plain(c) => c,
        }
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for ReadConn<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        match self {
            ReadConn::Tx(t) => t,
            ReadConn::Plain(c) => c,
        }
    }
}

impl<DB: sqlx::Database> ReadConn<DB> {
    async fn commit(self) -> Result<()> {
        if let ReadConn::Tx(t) = self {
            t.commit().await?;
        }
        Ok(())
    }
}

/// An audit event of a read, waiting to be written; `done` hears when it is durable.
struct AuditJob {
    row: AuditRowNew,
    done: tokio::sync::oneshot::Sender<std::result::Result<(), String>>,
}

struct AuditRowNew {
    at: DateTime<Utc>,
    user_id: i64,
    username: String,
    role: &'static str,
    hub_id: i64,
    event: AuditEvent,
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
        }
    }
}

impl SqliteStore {
    /// Reads run in a deferred transaction: one consistent snapshot for the whole page,
    /// which does not wait for the writer.
    async fn read_tx(
        &self,
    ) -> Result<(
        Option<tokio::sync::MutexGuard<'_, ()>>,
        ReadConn<sqlx::Sqlite>,
    )> {
        Ok((None, ReadConn::Tx(self.pool.begin().await?)))
    }

    async fn optimize_now(&self, full: bool) -> Result<()> {
        // Without statistics SQLite may walk a whole hub to find one worker's families.
        let sql = if full {
            "ANALYZE"
        } else {
            "PRAGMA optimize=0x10002"
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }
    fn migrations() -> Migrator {
        migrator(&[
            (
                1,
                "init",
                include_str!("../migrations/sqlite/0001_init.sql"),
            ),
            (
                2,
                "family search key",
                include_str!("../migrations/sqlite/0002_family_search_key.sql"),
            ),
            (
                3,
                "information log, intelligence, evidence, incidents",
                include_str!("../migrations/sqlite/0003_information.sql"),
            ),
            (
                4,
                "alerts",
                include_str!("../migrations/sqlite/0004_alerts.sql"),
            ),
            (
                5,
                "person merges",
                include_str!("../migrations/sqlite/0005_person_merges.sql"),
            ),
        ])
    }
    async fn backup_to(&self, dest: &Path) -> Result<()> {
        sqlx::query("VACUUM INTO $1")
            .bind(dest.to_string_lossy().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl PgStore {
    /// Reads run on a plain connection: under PostgreSQL's default isolation each
    /// statement has its own snapshot even inside a transaction, so BEGIN and COMMIT
    /// would only add two round trips.
    async fn read_tx(
        &self,
    ) -> Result<(
        Option<tokio::sync::MutexGuard<'_, ()>>,
        ReadConn<sqlx::Postgres>,
    )> {
        Ok((None, ReadConn::Plain(self.pool.acquire().await?)))
    }

    async fn optimize_now(&self, full: bool) -> Result<()> {
        // Autovacuum keeps statistics in the normal run of things; after a bulk load, now.
        if full {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }
    fn migrations() -> Migrator {
        migrator(&[
            (
                1,
                "init",
                include_str!("../migrations/postgres/0001_init.sql"),
            ),
            (
                2,
                "family search key",
                include_str!("../migrations/postgres/0002_family_search_key.sql"),
            ),
            (
                3,
                "information log, intelligence, evidence, incidents",
                include_str!("../migrations/postgres/0003_information.sql"),
            ),
            (
                4,
                "alerts",
                include_str!("../migrations/postgres/0004_alerts.sql"),
            ),
            (
                5,
                "person merges",
                include_str!("../migrations/postgres/0005_person_merges.sql"),
            ),
        ])
    }
    async fn backup_to(&self, _dest: &Path) -> Result<()> {
        Err(StoreError::Conflict(
            "backups of a PostgreSQL database are made with pg_dump, which keeps the server's own consistency guarantees: run `pg_dump --format=custom` against DATABASE_URL".into(),
        ))
    }
}

/// Reads a stored vocabulary code. An unknown code in the database is a data fault.
fn code<T: Code>(s: &str) -> Result<T> {
    T::parse(s).ok_or_else(|| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unknown code '{s}' in database").into(),
        ))
    })
}

fn opt_code<T: Code>(s: Option<String>) -> Result<Option<T>> {
    s.as_deref().map(code).transpose()
}

/// The key names are matched on for re-referrals: case and spacing do not matter.
pub(crate) fn name_key(given: &str, family: &str) -> String {
    format!("{given} {family}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn contact_summary(c: &NewContact) -> String {
    let mut s = c.kind.label().to_string();
    if c.status == ContactStatus::Planned {
        s = format!("{s} (planned)");
    }
    if let Some(d) = c.duration_minutes {
        s = format!("{s}, {d} minutes");
    }
    if let Some(p) = &c.participants {
        s = format!("{s}, with {p}");
    }
    s
}

fn triage_summary(t: &Triage, plo: Option<&str>, csw: Option<&str>) -> String {
    let mut s = format!(
        "Threshold {}: {}",
        t.threshold.label().to_lowercase(),
        t.decision.label().to_lowercase()
    );
    if let Some(p) = plo {
        s = format!("{s}; Parent Liaison Officer {p}");
    }
    if let Some(c) = csw {
        s = format!("{s}; Child Support Worker {c}");
    }
    s
}

/// One chronology entry to write.
struct Entry<'a> {
    family_id: i64,
    occurred_at: NaiveDateTime,
    kind: ChronologyKind,
    summary: &'a str,
    detail: Option<&'a str>,
    visibility: Visibility,
    source_id: Option<i64>,
}

/// The clause every family query carries: the actor's hub, and either the whole hub
/// (managers) or only the families allocated to the actor. Parameters `$1` hub, `$2`
/// sees-all, `$3` user id; queries number their own parameters from `$4`.
macro_rules! family_access {
    () => {
        "f.hub_id = $1 AND ($2 OR f.lead_plo_id = $3 OR f.csw_id = $3)"
    };
}

const REFERRAL_COLUMNS: &str = "r.id, r.family_id, f.name AS family_name, r.source, r.received_on, r.status, r.threshold, r.is_rereferral, r.triaged_at, r.first_contact_at";

macro_rules! impl_store {
    // `$planned_day`: the start of the day of a planned contact `p`, in the dialect.
    ($store:ident, $db:ty, $backend:expr, $begin_write:literal, $planned_day:literal) => {
        impl $store {
            /// Writes queued read-audit events: everything waiting, in one transaction (group
            /// commit), then tells each reader. A reader returns its data only after hearing
            /// that its event is stored, so no read leaves the store unaudited; the reads
            /// themselves run side by side instead of queueing behind SQLite's single writer,
            /// and on PostgreSQL many reads share one commit's flush to disk.
            async fn audit_writer(
                options: <<$db as sqlx::Database>::Connection as sqlx::Connection>::Options,
                lock: Option<Arc<tokio::sync::Mutex<()>>>,
                mut rx: tokio::sync::mpsc::Receiver<AuditJob>,
            ) {
                // The connection is opened on first use and opened again after a failure
                // (a restarted server, a dropped connection), so one bad moment does not
                // refuse every read until the service restarts.
                let mut conn: Option<<$db as sqlx::Database>::Connection> = None;
                while let Some(first) = rx.recv().await {
                    let mut batch = vec![first];
                    while batch.len() < 500 {
                        match rx.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    let result = {
                        let _writer = match &lock {
                            Some(l) => Some(l.lock().await),
                            None => None,
                        };
                        let mut result = Err(String::new());
                        for _attempt in 0..2 {
                            let c = match conn.as_mut() {
                                Some(c) => c,
                                None => match sqlx::ConnectOptions::connect(&options).await {
                                    Ok(c) => conn.insert(c),
                                    Err(e) => {
                                        result = Err(e.to_string());
                                        continue;
                                    }
                                },
                            };
                            result = Self::insert_audit_batch(c, &batch).await.map_err(|e| e.to_string());
                            if result.is_ok() {
                                break;
                            }
                            conn = None;
                        }
                        result
                    };
                    if let Err(e) = &result {
                        tracing::error!(error = %e, "could not write audit events; the reads they record were refused");
                    }
                    for job in batch {
                        let _ = job.done.send(result.clone());
                    }
                }
            }

            async fn insert_audit_batch(conn: &mut <$db as sqlx::Database>::Connection, batch: &[AuditJob]) -> std::result::Result<(), sqlx::Error> {
                use sqlx::Connection;
                let mut tx = conn.begin_with($begin_write).await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO audit_events (at, user_id, username, role, hub_id, action, record_type, record_id, family_id) ",
                );
                q.push_values(batch, |mut b, job| {
                    let r = &job.row;
                    b.push_bind(r.at)
                        .push_bind(r.user_id)
                        .push_bind(r.username.clone())
                        .push_bind(r.role)
                        .push_bind(r.hub_id)
                        .push_bind(r.event.action)
                        .push_bind(r.event.record_type)
                        .push_bind(r.event.record_id)
                        .push_bind(r.event.family_id);
                });
                q.build().execute(&mut *tx).await?;
                tx.commit().await
            }

            /// Records a read and waits until the record is stored.
            async fn audit_read(&self, actor: &Actor, ev: &AuditEvent) -> Result<()> {
                let (done, heard) = tokio::sync::oneshot::channel();
                let stopped = || StoreError::AuditWrite("the audit writer has stopped".into());
                self.audit_queue.send(AuditJob { row: AuditRowNew::new(actor, ev), done }).await.map_err(|_| stopped())?;
                heard.await.map_err(|_| stopped())?.map_err(StoreError::AuditWrite)
            }

            /// Begins a transaction that will write. On SQLite, writers queue here, in
            /// order, rather than in SQLite's busy handler, whose back-off sleeps would
            /// add up to tens of milliseconds under load.
            async fn write_tx(&self) -> Result<(Option<tokio::sync::MutexGuard<'_, ()>>, sqlx::Transaction<'static, $db>)> {
                let guard = match &self.write_lock {
                    Some(lock) => Some(lock.lock().await),
                    None => None,
                };
                Ok((guard, self.pool.begin_with($begin_write).await?))
            }

            async fn audit(
                tx: &mut <$db as sqlx::Database>::Connection,
                actor: &Actor,
                ev: &AuditEvent,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_events (at, user_id, username, role, hub_id, action, record_type, record_id, family_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(Utc::now())
                .bind(actor.user_id)
                .bind(&actor.username)
                .bind(actor.role.code())
                .bind(actor.hub_id)
                .bind(ev.action)
                .bind(ev.record_type)
                .bind(ev.record_id)
                .bind(ev.family_id)
                .execute(&mut *tx)
                .await?;
                Ok(())
            }

            /// Confirms the actor may see the family; `NotFound` otherwise (also for
            /// another hub's family, and for roles that see no families).
            async fn check_family(
                tx: &mut <$db as sqlx::Database>::Connection,
                actor: &Actor,
                family_id: i64,
            ) -> Result<()> {
                if !actor.sees_families() {
                    return Err(StoreError::NotFound);
                }
                let found = sqlx::query(concat!("SELECT f.id FROM families f WHERE ", family_access!(), " AND f.id = $4"))
                    .bind(actor.hub_id)
                    .bind(actor.sees_all_families())
                    .bind(actor.user_id)
                    .bind(family_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                found.map(|_| ()).ok_or(StoreError::NotFound)
            }

            async fn chronology_add(
                tx: &mut <$db as sqlx::Database>::Connection,
                actor: &Actor,
                e: Entry<'_>,
            ) -> Result<()> {
                let Entry { family_id, occurred_at, kind, summary, detail, visibility, source_id } = e;
                sqlx::query(
                    "INSERT INTO chronology (family_id, occurred_at, kind, summary, detail, visibility, source_id, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(family_id)
                .bind(occurred_at)
                .bind(kind.code())
                .bind(summary)
                .bind(detail)
                .bind(visibility.code())
                .bind(source_id)
                .bind(actor.user_id)
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
                Ok(())
            }

            fn referral_row(r: &<$db as sqlx::Database>::Row) -> Result<ReferralRow> {
                Ok(ReferralRow {
                    id: r.try_get("id")?,
                    family_id: r.try_get("family_id")?,
                    family_name: r.try_get("family_name")?,
                    source: code(&r.try_get::<String, _>("source")?)?,
                    received_on: r.try_get("received_on")?,
                    status: code(&r.try_get::<String, _>("status")?)?,
                    threshold: opt_code(r.try_get("threshold")?)?,
                    is_rereferral: r.try_get("is_rereferral")?,
                    triaged_at: r.try_get("triaged_at")?,
                    first_contact_at: r.try_get("first_contact_at")?,
                })
            }

            fn user_row(r: &<$db as sqlx::Database>::Row) -> Result<User> {
                Ok(User {
                    id: r.try_get("id")?,
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    role: code(&r.try_get::<String, _>("role")?)?,
                    active: r.try_get("active")?,
                })
            }

            fn hub_row(r: &<$db as sqlx::Database>::Row) -> Result<Hub> {
                Ok(Hub {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    first_contact_target_days: r.try_get("first_contact_target_days")?,
                })
            }

            fn chronology_row(r: &<$db as sqlx::Database>::Row, actor: &Actor) -> Result<ChronologyEntry> {
                let visibility: Visibility = code(&r.try_get::<String, _>("visibility")?)?;
                let detail: Option<String> = r.try_get("detail")?;
                Ok(ChronologyEntry {
                    id: r.try_get("id")?,
                    occurred_at: r.try_get("occurred_at")?,
                    kind: code(&r.try_get::<String, _>("kind")?)?,
                    summary: r.try_get("summary")?,
                    detail: detail.filter(|_| visibility == Visibility::Shareable || actor.role.sees_confidential_support_notes()),
                    visibility,
                    recorded_by: r.try_get("recorded_by_name")?,
                })
            }

            fn contact_row(r: &<$db as sqlx::Database>::Row, actor: &Actor) -> Result<Contact> {
                let visibility: Visibility = code(&r.try_get::<String, _>("visibility")?)?;
                let note: Option<String> = r.try_get("note")?;
                Ok(Contact {
                    id: r.try_get("id")?,
                    kind: code(&r.try_get::<String, _>("kind")?)?,
                    status: code(&r.try_get::<String, _>("status")?)?,
                    occurred_at: r.try_get("occurred_at")?,
                    duration_minutes: r.try_get("duration_minutes")?,
                    participants: r.try_get("participants")?,
                    note: note.filter(|_| visibility == Visibility::Shareable || actor.role.sees_confidential_support_notes()),
                    visibility,
                    recorded_by: r.try_get("recorded_by_name")?,
                })
            }

            /// Whether `user_id` is an active member of the hub holding `role`.
            async fn is_hub_worker(
                tx: &mut <$db as sqlx::Database>::Connection,
                hub_id: i64,
                user_id: i64,
                role: Role,
            ) -> Result<Option<String>> {
                let row = sqlx::query(
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
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> Backend {
                $backend
            }

            async fn migrate(&self) -> Result<()> {
                Self::migrations().run(&self.pool).await?;
                Ok(())
            }

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn backup(&self, dest: &Path) -> Result<()> {
                self.backup_to(dest).await
            }

            async fn optimize(&self, full: bool) -> Result<()> {
                self.optimize_now(full).await
            }

            async fn create_hub(&self, name: &str) -> Result<Hub> {
                if self.hub_by_name(name).await?.is_some() {
                    return Err(StoreError::Conflict(format!("a hub called '{name}' already exists")));
                }
                let row = sqlx::query("INSERT INTO hubs (name, created_at) VALUES ($1, $2) RETURNING id, name, first_contact_target_days")
                    .bind(name)
                    .bind(Utc::now())
                    .fetch_one(&self.pool)
                    .await?;
                Self::hub_row(&row)
            }

            async fn hub_by_name(&self, name: &str) -> Result<Option<Hub>> {
                let row = sqlx::query("SELECT id, name, first_contact_target_days FROM hubs WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::hub_row).transpose()
            }

            async fn create_user(&self, new: &NewUser) -> Result<User> {
                let (_writer, mut tx) = self.write_tx().await?;
                let taken = sqlx::query("SELECT id FROM users WHERE lower(username) = lower($1)")
                    .bind(&new.username)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!("the username '{}' is already taken", new.username)));
                }
                let row = sqlx::query(
                    "INSERT INTO users (username, display_name, role, password_hash, active, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, username, display_name, role, active",
                )
                .bind(&new.username)
                .bind(&new.display_name)
                .bind(new.role.code())
                .bind(&new.password_hash)
                .bind(true)
                .bind(Utc::now())
                .fetch_one(&mut *tx)
                .await?;
                let user = Self::user_row(&row)?;
                for hub in &new.hub_ids {
                    sqlx::query("INSERT INTO hub_members (hub_id, user_id) VALUES ($1, $2)")
                        .bind(hub)
                        .bind(user.id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(user)
            }

            async fn set_password(&self, username: &str, password_hash: &str) -> Result<()> {
                let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE lower(username) = lower($2)")
                    .bind(password_hash)
                    .bind(username)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            }

            async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
                let row = sqlx::query(
                    "SELECT id, username, display_name, role, active, password_hash FROM users WHERE lower(username) = lower($1)",
                )
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    None => Ok(None),
                    Some(r) => Ok(Some(Credentials { user: Self::user_row(&r)?, password_hash: r.try_get("password_hash")? })),
                }
            }

            async fn user(&self, user_id: i64) -> Result<Option<User>> {
                let row = sqlx::query("SELECT id, username, display_name, role, active FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::user_row).transpose()
            }

            async fn user_hubs(&self, user_id: i64) -> Result<Vec<Hub>> {
                let rows = sqlx::query(
                    "SELECT h.id, h.name, h.first_contact_target_days FROM hubs h JOIN hub_members m ON m.hub_id = h.id \
                     WHERE m.user_id = $1 ORDER BY h.name",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::hub_row).collect()
            }

            async fn actor(&self, user_id: i64, hub_id: i64) -> Result<Option<Actor>> {
                let row = sqlx::query(
                    "SELECT u.id, u.username, u.display_name, u.role, h.name AS hub_name FROM users u \
                     JOIN hub_members m ON m.user_id = u.id JOIN hubs h ON h.id = m.hub_id \
                     WHERE u.id = $1 AND m.hub_id = $2 AND u.active = $3",
                )
                .bind(user_id)
                .bind(hub_id)
                .bind(true)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    None => Ok(None),
                    Some(r) => Ok(Some(Actor {
                        user_id: r.try_get("id")?,
                        username: r.try_get("username")?,
                        display_name: r.try_get("display_name")?,
                        role: code(&r.try_get::<String, _>("role")?)?,
                        hub_id,
                        hub_name: r.try_get("hub_name")?,
                    })),
                }
            }

            async fn hub_workers(&self, actor: &Actor, role: Role) -> Result<Vec<User>> {
                let rows = sqlx::query(
                    "SELECT u.id, u.username, u.display_name, u.role, u.active FROM users u \
                     JOIN hub_members m ON m.user_id = u.id \
                     WHERE m.hub_id = $1 AND u.role = $2 AND u.active = $3 ORDER BY u.display_name",
                )
                .bind(actor.hub_id)
                .bind(role.code())
                .bind(true)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::user_row).collect()
            }

            async fn hub_users(&self, actor: &Actor) -> Result<Vec<User>> {
                let rows = sqlx::query(
                    "SELECT u.id, u.username, u.display_name, u.role, u.active FROM users u \
                     JOIN hub_members m ON m.user_id = u.id WHERE m.hub_id = $1 ORDER BY u.role, u.display_name",
                )
                .bind(actor.hub_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::user_row).collect()
            }

            async fn create_api_token(&self, actor: &Actor, name: &str, token_hash: &str) -> Result<i64> {
                let (_writer, mut tx) = self.write_tx().await?;
                let id: i64 = sqlx::query(
                    "INSERT INTO api_tokens (user_id, hub_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(actor.user_id)
                .bind(actor.hub_id)
                .bind(name)
                .bind(token_hash)
                .bind(Utc::now())
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                Self::audit(&mut tx, actor, &AuditEvent { action: "create", record_type: "api_token", record_id: Some(id), family_id: None }).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
                let rows = sqlx::query(
                    "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 AND hub_id = $2 ORDER BY id DESC",
                )
                .bind(actor.user_id)
                .bind(actor.hub_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(ApiToken {
                            id: r.try_get("id")?,
                            name: r.try_get("name")?,
                            created_at: r.try_get("created_at")?,
                            last_used_at: r.try_get("last_used_at")?,
                            revoked: r.try_get::<Option<DateTime<Utc>>, _>("revoked_at")?.is_some(),
                        })
                    })
                    .collect()
            }

            async fn revoke_api_token(&self, actor: &Actor, token_id: i64) -> Result<()> {
                let (_writer, mut tx) = self.write_tx().await?;
                let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                    .bind(Utc::now())
                    .bind(token_id)
                    .bind(actor.user_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                Self::audit(&mut tx, actor, &AuditEvent { action: "revoke", record_type: "api_token", record_id: Some(token_id), family_id: None }).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn api_token_owner(&self, token_hash: &str) -> Result<Option<(i64, i64)>> {
                let row = sqlx::query(
                    "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING user_id, hub_id",
                )
                .bind(Utc::now())
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    None => Ok(None),
                    Some(r) => Ok(Some((r.try_get("user_id")?, r.try_get("hub_id")?))),
                }
            }

            async fn session_load(&self, id_hash: &str, now: i64) -> Result<Option<(String, i64)>> {
                let row = sqlx::query("SELECT data, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2")
                    .bind(id_hash)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    None => Ok(None),
                    Some(r) => Ok(Some((r.try_get("data")?, r.try_get("expires_at")?))),
                }
            }

            async fn session_save(&self, id_hash: &str, data: &str, expires_at: i64) -> Result<()> {
                sqlx::query(
                    "INSERT INTO sessions (id_hash, data, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                )
                .bind(id_hash)
                .bind(data)
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn session_create(&self, id_hash: &str, data: &str, expires_at: i64) -> Result<bool> {
                let done = sqlx::query(
                    "INSERT INTO sessions (id_hash, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id_hash) DO NOTHING",
                )
                .bind(id_hash)
                .bind(data)
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn session_delete(&self, id_hash: &str) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn session_delete_expired(&self, now: i64) -> Result<u64> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
                Ok(done.rows_affected())
            }

            async fn create_referral(&self, actor: &Actor, new: &NewReferral, now: DateTime<Utc>) -> Result<ReferralCreated> {
                if !actor.role.can(alongside_domain::roles::Capability::CreateReferral) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                // A re-referral: a child already known to the hub by name and date of birth.
                let mut known_family: Option<i64> = None;
                for child in &new.children {
                    let rows = sqlx::query(
                        "SELECT family_id, date_of_birth FROM family_members WHERE hub_id = $1 AND name_key = $2 \
                         AND member_role IN ('child_at_risk', 'sibling') ORDER BY family_id",
                    )
                    .bind(actor.hub_id)
                    .bind(name_key(&child.given_name, &child.family_name))
                    .fetch_all(&mut *tx)
                    .await?;
                    for r in rows {
                        let dob: Option<chrono::NaiveDate> = r.try_get("date_of_birth")?;
                        // Only a name AND date of birth both recorded attach a referral to a known
                        // family; a name alone is shown to the manager as a possible match.
                        if dob.is_some() && dob == child.date_of_birth {
                            known_family = Some(r.try_get("family_id")?);
                            break;
                        }
                    }
                    if known_family.is_some() {
                        break;
                    }
                }
                let earlier_referrals: i64 = match known_family {
                    Some(fid) => sqlx::query("SELECT COUNT(*) AS n FROM referrals WHERE family_id = $1")
                        .bind(fid)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get("n")?,
                    None => 0,
                };
                let family_id = match known_family {
                    Some(id) => id,
                    None => {
                        let surname = new.children.first().map(|c| c.family_name.as_str()).unwrap_or("Unnamed");
                        sqlx::query("INSERT INTO families (hub_id, name, search_key, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                            .bind(actor.hub_id)
                            .bind(format!("{surname} family"))
                            .bind(format!("{surname} family").to_lowercase())
                            .bind(now)
                            .fetch_one(&mut *tx)
                            .await?
                            .try_get("id")?
                    }
                };
                // Add the people this referral names whom the family record does not yet hold.
                let people = new
                    .children
                    .iter()
                    .map(|p| (p, MemberRole::ChildAtRisk))
                    .chain(new.carers.iter().map(|p| (p, MemberRole::ParentCarer)));
                for (p, role) in people {
                    let key = name_key(&p.given_name, &p.family_name);
                    let exists = sqlx::query("SELECT id FROM family_members WHERE family_id = $1 AND name_key = $2")
                        .bind(family_id)
                        .bind(&key)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if exists.is_some() {
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO family_members (family_id, hub_id, given_name, family_name, name_key, member_role, carer_kind, date_of_birth, lives, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(family_id)
                    .bind(actor.hub_id)
                    .bind(&p.given_name)
                    .bind(&p.family_name)
                    .bind(&key)
                    .bind(role.code())
                    .bind(p.carer_kind.map(|k| k.code()))
                    .bind(p.date_of_birth)
                    .bind((role == MemberRole::ChildAtRisk).then_some("home"))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let indicators: Vec<&str> = new.indicators.iter().map(|i| i.code()).collect();
                let referral_id: i64 = sqlx::query(
                    "INSERT INTO referrals (hub_id, family_id, source, received_on, referrer_name, referrer_contact, reasons, indicators, indicators_other, \
                     consent_to_share, is_rereferral, status, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                )
                .bind(actor.hub_id)
                .bind(family_id)
                .bind(new.source.code())
                .bind(new.received_on)
                .bind(&new.referrer_name)
                .bind(&new.referrer_contact)
                .bind(&new.reasons)
                .bind(indicators.join(","))
                .bind(&new.indicators_other)
                .bind(new.consent_to_share)
                .bind(known_family.is_some())
                .bind(ReferralStatus::AwaitingTriage.code())
                .bind(actor.user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                let summary = if known_family.is_some() {
                    format!("Re-referral received from {} ({} earlier)", new.source.label().to_lowercase(), earlier_referrals)
                } else {
                    format!("Referral received from {}", new.source.label().to_lowercase())
                };
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: new.received_on.and_hms_opt(0, 0, 0).unwrap_or_default(), kind: ChronologyKind::Referral, summary: &summary, detail: Some(&new.reasons), visibility: Visibility::Shareable, source_id: Some(referral_id) })
                .await?;
                Self::audit(&mut tx, actor, &AuditEvent { action: "create", record_type: "referral", record_id: Some(referral_id), family_id: Some(family_id) }).await?;
                tx.commit().await?;
                // Only those who may see the family learn whether it was already known.
                let earlier_referrals = actor.sees_all_families().then_some(earlier_referrals);
                Ok(ReferralCreated { referral_id, family_id, earlier_referrals })
            }

            async fn referrals(&self, actor: &Actor, open_only: bool) -> Result<Vec<ReferralRow>> {
                if !actor.role.can(alongside_domain::roles::Capability::TriageReferrals) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                let sql = format!(
                    "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN families f ON f.id = r.family_id \
                     WHERE r.hub_id = $1 AND ($2 OR r.status = 'awaiting_triage' OR (r.status = 'accepted' AND r.first_contact_at IS NULL)) \
                     ORDER BY r.received_on, r.id LIMIT 1000"
                );
                let rows = sqlx::query(&sql)
                    .bind(actor.hub_id)
                    .bind(!open_only)
                    .fetch_all(&mut *tx)
                    .await?;
                let list = rows.iter().map(Self::referral_row).collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &AuditEvent { action: "list", record_type: "referral", record_id: None, family_id: None }).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn referral(&self, actor: &Actor, id: i64) -> Result<ReferralDetail> {
                let (_writer, mut tx) = self.read_tx().await?;
                // Managers see every referral of the hub; others those they made or whose
                // family they hold.
                let sql = format!(
                    "SELECT {REFERRAL_COLUMNS}, r.referrer_name, r.referrer_contact, r.reasons, r.indicators, r.indicators_other, \
                     r.consent_to_share, r.decision, r.threshold_reasoning, t.display_name AS triaged_by, f.lead_plo_id, f.csw_id, \
                     c.display_name AS created_by \
                     FROM referrals r JOIN families f ON f.id = r.family_id JOIN users c ON c.id = r.created_by \
                     LEFT JOIN users t ON t.id = r.triaged_by \
                     WHERE r.hub_id = $1 AND r.id = $4 AND ($2 OR r.created_by = $3 OR f.lead_plo_id = $3 OR f.csw_id = $3)"
                );
                let row = sqlx::query(&sql)
                    .bind(actor.hub_id)
                    .bind(actor.sees_all_families())
                    .bind(actor.user_id)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let mut row_data = Self::referral_row(&row)?;
                let indicators: String = row.try_get("indicators")?;
                let lead_plo_id: Option<i64> = row.try_get("lead_plo_id")?;
                let csw_id: Option<i64> = row.try_get("csw_id")?;
                // Whoever made the referral may read it; only those who hold the family
                // (or the whole hub) learn its history.
                let sees_family = actor.sees_all_families() || lead_plo_id == Some(actor.user_id) || csw_id == Some(actor.user_id);
                let earlier = if sees_family {
                    let earlier_sql = format!(
                        "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN families f ON f.id = r.family_id \
                         WHERE r.family_id = $1 AND r.id <> $2 ORDER BY r.received_on DESC, r.id DESC LIMIT 100"
                    );
                    sqlx::query(&earlier_sql)
                        .bind(row_data.family_id)
                        .bind(id)
                        .fetch_all(&mut *tx)
                        .await?
                        .iter()
                        .map(Self::referral_row)
                        .collect::<Result<Vec<_>>>()?
                } else {
                    row_data.is_rereferral = false;
                    Vec::new()
                };
                // For the manager: other families of the hub with a child of the same name,
                // which a referral without dates of birth cannot be matched to safely.
                let possible_matches = if actor.sees_all_families() {
                    sqlx::query(
                        "SELECT DISTINCT f.id, f.name FROM family_members m JOIN families f ON f.id = m.family_id \
                         WHERE m.hub_id = $1 AND m.family_id <> $2 AND m.member_role IN ('child_at_risk', 'sibling') \
                         AND m.name_key IN (SELECT name_key FROM family_members WHERE family_id = $2 AND member_role IN ('child_at_risk', 'sibling')) \
                         ORDER BY f.id LIMIT 20",
                    )
                    .bind(actor.hub_id)
                    .bind(row_data.family_id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| Ok(FamilyRef { id: r.try_get("id")?, name: r.try_get("name")? }))
                    .collect::<Result<Vec<_>>>()?
                } else {
                    Vec::new()
                };
                let detail = ReferralDetail {
                    referrer_name: row.try_get("referrer_name")?,
                    referrer_contact: row.try_get("referrer_contact")?,
                    reasons: row.try_get("reasons")?,
                    indicators: indicators.split(',').filter(|s| !s.is_empty()).map(code).collect::<Result<_>>()?,
                    indicators_other: row.try_get("indicators_other")?,
                    consent_to_share: row.try_get("consent_to_share")?,
                    decision: opt_code::<TriageDecision>(row.try_get("decision")?)?,
                    threshold_reasoning: row.try_get("threshold_reasoning")?,
                    triaged_by: row.try_get("triaged_by")?,
                    lead_plo_id,
                    csw_id,
                    created_by: row.try_get("created_by")?,
                    earlier,
                    possible_matches,
                    row: row_data,
                };
                self.audit_read(actor, &AuditEvent { action: "read", record_type: "referral", record_id: Some(id), family_id: Some(detail.row.family_id) }).await?;
                tx.commit().await?;
                Ok(detail)
            }

            async fn triage_referral(&self, actor: &Actor, id: i64, t: &Triage, now: DateTime<Utc>) -> Result<()> {
                if !actor.role.can(alongside_domain::roles::Capability::TriageReferrals) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id: i64 = sqlx::query("SELECT family_id FROM referrals WHERE id = $1 AND hub_id = $2")
                    .bind(id)
                    .bind(actor.hub_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?
                    .try_get("family_id")?;
                let plo_name = match t.plo_id {
                    Some(p) => Some(Self::is_hub_worker(&mut tx, actor.hub_id, p, Role::Plo).await?.ok_or_else(|| {
                        StoreError::Conflict("The Parent Liaison Officer chosen is not a Parent Liaison Officer of this hub".into())
                    })?),
                    None => None,
                };
                let csw_name = match t.csw_id {
                    Some(c) => Some(Self::is_hub_worker(&mut tx, actor.hub_id, c, Role::Csw).await?.ok_or_else(|| {
                        StoreError::Conflict("The Child Support Worker chosen is not a Child Support Worker of this hub".into())
                    })?),
                    None => None,
                };
                let naive_now = uk_local(now);
                sqlx::query(
                    "UPDATE referrals SET threshold = $1, threshold_reasoning = $2, decision = $3, status = $4, triaged_at = $5, triaged_by = $6 WHERE id = $7",
                )
                .bind(t.threshold.code())
                .bind(&t.reasoning)
                .bind(t.decision.code())
                .bind(t.decision.status().code())
                .bind(naive_now)
                .bind(actor.user_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if t.decision == TriageDecision::Accept {
                    sqlx::query("UPDATE families SET threshold = $1, lead_plo_id = $2, csw_id = $3 WHERE id = $4")
                        .bind(t.threshold.code())
                        .bind(t.plo_id)
                        .bind(t.csw_id)
                        .bind(family_id)
                        .execute(&mut *tx)
                        .await?;
                }
                let summary = triage_summary(t, plo_name.as_deref(), csw_name.as_deref());
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: naive_now, kind: ChronologyKind::Triage, summary: &summary, detail: Some(&t.reasoning), visibility: Visibility::Shareable, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &AuditEvent { action: "triage", record_type: "referral", record_id: Some(id), family_id: Some(family_id) }).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn set_first_contact_target(&self, actor: &Actor, days: i64) -> Result<()> {
                if !actor.role.can(alongside_domain::roles::Capability::TriageReferrals) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                sqlx::query("UPDATE hubs SET first_contact_target_days = $1 WHERE id = $2")
                    .bind(days)
                    .bind(actor.hub_id)
                    .execute(&mut *tx)
                    .await?;
                Self::audit(&mut tx, actor, &AuditEvent { action: "update", record_type: "hub_setting", record_id: Some(actor.hub_id), family_id: None }).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn families(&self, actor: &Actor, search: Option<&str>, limit: i64, offset: i64) -> Result<Page<FamilySummary>> {
                if !actor.sees_families() {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                // LIKE's wildcards and PostgreSQL's escape character are taken out of what was typed.
                let pattern = search.map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_', '\\'], "")));
                // Two shapes, so each can use its index: the whole hub by name, or the
                // actor's own families by allocation.
                let build = |select: &str| {
                    let mut q = sqlx::QueryBuilder::<$db>::new(select);
                    q.push(" WHERE f.hub_id = ").push_bind(actor.hub_id);
                    if !actor.sees_all_families() {
                        q.push(" AND f.id IN (SELECT id FROM families WHERE lead_plo_id = ")
                            .push_bind(actor.user_id)
                            .push(" UNION ALL SELECT id FROM families WHERE csw_id = ")
                            .push_bind(actor.user_id)
                            .push(")");
                    }
                    if let Some(p) = &pattern {
                        q.push(" AND f.search_key LIKE ").push_bind(p.clone());
                    }
                    q
                };
                let total: i64 = build("SELECT COUNT(*) AS n FROM families f").build().fetch_one(&mut *tx).await?.try_get("n")?;
                let mut q = build(
                    "SELECT f.id, f.name, f.threshold, p.display_name AS plo, c.display_name AS csw FROM families f \
                     LEFT JOIN users p ON p.id = f.lead_plo_id LEFT JOIN users c ON c.id = f.csw_id",
                );
                q.push(" ORDER BY f.name, f.id LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
                let rows = q.build().fetch_all(&mut *tx).await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(FamilySummary {
                            id: r.try_get("id")?,
                            name: r.try_get("name")?,
                            threshold: opt_code(r.try_get("threshold")?)?,
                            lead_plo: r.try_get("plo")?,
                            csw: r.try_get("csw")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &AuditEvent { action: "list", record_type: "family", record_id: None, family_id: None }).await?;
                tx.commit().await?;
                Ok(Page { items, total })
            }

            async fn family_page(&self, actor: &Actor, id: i64) -> Result<FamilyPage> {
                if !actor.sees_families() {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                let r = sqlx::query(concat!(
                    "SELECT f.id, f.name, f.threshold, f.strengths, f.own_words, f.lead_plo_id, f.csw_id, f.created_at, \
                     p.display_name AS plo, c.display_name AS csw, \
                     (SELECT COUNT(*) FROM chronology ch WHERE ch.family_id = f.id) AS total, \
                     (SELECT MAX(k.occurred_at) FROM contacts k WHERE k.family_id = f.id AND k.status = 'held') AS last_contact \
                     FROM families f \
                     LEFT JOIN users p ON p.id = f.lead_plo_id LEFT JOIN users c ON c.id = f.csw_id WHERE ",
                    family_access!(),
                    " AND f.id = $4"
                ))
                .bind(actor.hub_id)
                .bind(actor.sees_all_families())
                .bind(actor.user_id)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
                let family = Family {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    threshold: opt_code(r.try_get("threshold")?)?,
                    strengths: r.try_get("strengths")?,
                    own_words: r.try_get("own_words")?,
                    lead_plo_id: r.try_get("lead_plo_id")?,
                    lead_plo: r.try_get("plo")?,
                    csw_id: r.try_get("csw_id")?,
                    csw: r.try_get("csw")?,
                    created_at: r.try_get("created_at")?,
                };
                let chronology_total: i64 = r.try_get("total")?;
                let last_contact: Option<NaiveDateTime> = r.try_get("last_contact")?;
                let members = sqlx::query(
                    "SELECT id, given_name, family_name, known_as, member_role, carer_kind, date_of_birth, relationship, lives, lives_since \
                     FROM family_members WHERE family_id = $1 ORDER BY CASE member_role WHEN 'child_at_risk' THEN 0 WHEN 'sibling' THEN 1 WHEN 'parent_carer' THEN 2 ELSE 3 END, id LIMIT 200",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|m| {
                    Ok(Member {
                        id: m.try_get("id")?,
                        given_name: m.try_get("given_name")?,
                        family_name: m.try_get("family_name")?,
                        known_as: m.try_get("known_as")?,
                        member_role: code(&m.try_get::<String, _>("member_role")?)?,
                        carer_kind: opt_code(m.try_get("carer_kind")?)?,
                        date_of_birth: m.try_get("date_of_birth")?,
                        relationship: m.try_get("relationship")?,
                        lives: opt_code(m.try_get("lives")?)?,
                        lives_since: m.try_get("lives_since")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
                let referral_sql = format!(
                    "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN families f ON f.id = r.family_id WHERE r.family_id = $1 ORDER BY r.received_on DESC, r.id DESC LIMIT 50"
                );
                let referrals = sqlx::query(&referral_sql)
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(Self::referral_row)
                    .collect::<Result<Vec<_>>>()?;
                let upcoming = sqlx::query(
                    "SELECT c.id, c.kind, c.status, c.occurred_at, c.duration_minutes, c.participants, c.note, c.visibility, u.display_name AS recorded_by_name \
                     FROM contacts c JOIN users u ON u.id = c.recorded_by WHERE c.family_id = $1 AND c.status = 'planned' AND c.occurred_at >= $2 \
                     ORDER BY c.occurred_at LIMIT 5",
                )
                .bind(id)
                .bind(uk_local(Utc::now()))
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|c| Self::contact_row(c, actor))
                .collect::<Result<Vec<_>>>()?;
                let recent = sqlx::query(
                    "SELECT ch.id, ch.occurred_at, ch.kind, ch.summary, ch.detail, ch.visibility, u.display_name AS recorded_by_name \
                     FROM chronology ch JOIN users u ON u.id = ch.recorded_by WHERE ch.family_id = $1 ORDER BY ch.occurred_at DESC, ch.id DESC LIMIT 10",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|c| Self::chronology_row(c, actor))
                .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &AuditEvent { action: "read", record_type: "family", record_id: Some(id), family_id: Some(id) }).await?;
                tx.commit().await?;
                Ok(FamilyPage {
                    family,
                    members,
                    referrals,
                    upcoming,
                    recent,
                    chronology_total,
                    last_contact,
                })
            }

            async fn add_member(&self, actor: &Actor, family_id: i64, m: &NewMember, now: DateTime<Utc>) -> Result<i64> {
                let (_writer, mut tx) = self.write_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let id: i64 = sqlx::query(
                    "INSERT INTO family_members (family_id, hub_id, given_name, family_name, name_key, known_as, member_role, carer_kind, date_of_birth, relationship, lives, lives_since, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(family_id)
                .bind(actor.hub_id)
                .bind(&m.given_name)
                .bind(&m.family_name)
                .bind(name_key(&m.given_name, &m.family_name))
                .bind(&m.known_as)
                .bind(m.member_role.code())
                .bind(m.carer_kind.map(|k| k.code()))
                .bind(m.date_of_birth)
                .bind(&m.relationship)
                .bind(m.lives.map(|k| k.code()))
                .bind(m.lives_since)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                let summary = format!("{} added to the family record ({})", m.given_name, m.member_role.label().to_lowercase());
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Family, summary: &summary, detail: None, visibility: Visibility::Shareable, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &AuditEvent { action: "create", record_type: "family_member", record_id: Some(id), family_id: Some(family_id) }).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn update_strengths(&self, actor: &Actor, family_id: i64, strengths: Option<&str>, own_words: Option<&str>, now: DateTime<Utc>) -> Result<()> {
                let (_writer, mut tx) = self.write_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                sqlx::query("UPDATE families SET strengths = $1, own_words = $2 WHERE id = $3")
                    .bind(strengths)
                    .bind(own_words)
                    .bind(family_id)
                    .execute(&mut *tx)
                    .await?;
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Family, summary: "Strengths and the family's own words updated", detail: None, visibility: Visibility::Shareable, source_id: None }).await?;
                Self::audit(&mut tx, actor, &AuditEvent { action: "update", record_type: "family", record_id: Some(family_id), family_id: Some(family_id) }).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_contact(&self, actor: &Actor, family_id: i64, c: &NewContact, now: DateTime<Utc>) -> Result<i64> {
                let (_writer, mut tx) = self.write_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let id: i64 = sqlx::query(
                    "INSERT INTO contacts (family_id, kind, status, occurred_at, duration_minutes, participants, note, visibility, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(family_id)
                .bind(c.kind.code())
                .bind(c.status.code())
                .bind(c.occurred_at)
                .bind(c.duration_minutes)
                .bind(&c.participants)
                .bind(&c.note)
                .bind(c.visibility.code())
                .bind(actor.user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                if c.status == ContactStatus::Held {
                    // The first contact held after an accepted referral stops its clock.
                    sqlx::query(
                        "UPDATE referrals SET first_contact_at = $1 WHERE family_id = $2 AND status = 'accepted' AND first_contact_at IS NULL \
                         AND received_on <= $3",
                    )
                    .bind(c.occurred_at)
                    .bind(family_id)
                    .bind(c.occurred_at.date())
                    .execute(&mut *tx)
                    .await?;
                }
                let kind = match c.status {
                    ContactStatus::Held => ChronologyKind::Contact,
                    ContactStatus::Planned => ChronologyKind::PlannedContact,
                };
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: c.occurred_at, kind, summary: &contact_summary(c), detail: c.note.as_deref(), visibility: c.visibility, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &AuditEvent { action: "create", record_type: "contact", record_id: Some(id), family_id: Some(family_id) }).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn contacts(&self, actor: &Actor, family_id: i64) -> Result<Vec<Contact>> {
                let (_writer, mut tx) = self.read_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let rows = sqlx::query(
                    "SELECT c.id, c.kind, c.status, c.occurred_at, c.duration_minutes, c.participants, c.note, c.visibility, u.display_name AS recorded_by_name \
                     FROM contacts c JOIN users u ON u.id = c.recorded_by WHERE c.family_id = $1 ORDER BY c.occurred_at DESC, c.id DESC LIMIT 500",
                )
                .bind(family_id)
                .fetch_all(&mut *tx)
                .await?;
                let list = rows.iter().map(|c| Self::contact_row(c, actor)).collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &AuditEvent { action: "list", record_type: "contact", record_id: None, family_id: Some(family_id) }).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn chronology(&self, actor: &Actor, family_id: i64, filter: &ChronologyFilter) -> Result<Page<ChronologyEntry>> {
                let (_writer, mut tx) = self.read_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let build = |select: &str| {
                    let mut q = sqlx::QueryBuilder::<$db>::new(select);
                    q.push(" WHERE ch.family_id = ").push_bind(family_id);
                    if !filter.kinds.is_empty() {
                        q.push(" AND ch.kind IN (");
                        let mut sep = q.separated(", ");
                        for k in &filter.kinds {
                            sep.push_bind(k.code());
                        }
                        q.push(")");
                    }
                    if let Some(from) = filter.from {
                        q.push(" AND ch.occurred_at >= ").push_bind(from.and_hms_opt(0, 0, 0).unwrap_or_default());
                    }
                    if let Some(to) = filter.to {
                        q.push(" AND ch.occurred_at < ").push_bind(to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).unwrap_or_default());
                    }
                    q
                };
                let total: i64 = build("SELECT COUNT(*) AS n FROM chronology ch").build().fetch_one(&mut *tx).await?.try_get("n")?;
                let mut q = build(
                    "SELECT ch.id, ch.occurred_at, ch.kind, ch.summary, ch.detail, ch.visibility, u.display_name AS recorded_by_name \
                     FROM chronology ch JOIN users u ON u.id = ch.recorded_by",
                );
                q.push(if filter.oldest_first { " ORDER BY ch.occurred_at, ch.id" } else { " ORDER BY ch.occurred_at DESC, ch.id DESC" });
                q.push(" LIMIT ").push_bind(filter.limit).push(" OFFSET ").push_bind(filter.offset);
                let items = q
                    .build()
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|c| Self::chronology_row(c, actor))
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &AuditEvent { action: "read", record_type: "chronology", record_id: None, family_id: Some(family_id) }).await?;
                tx.commit().await?;
                Ok(Page { items, total })
            }

            async fn caseload(&self, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<CaseloadRow>> {
                if !actor.role.can(alongside_domain::roles::Capability::HoldCaseload) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                // A planned contact is overdue once its time has passed with no contact held
                // on or after its day (a held contact often has no time, or an earlier one).
                let rows = sqlx::query(concat!(
                    "SELECT f.id, f.name, f.threshold, \
                     (SELECT MAX(c.occurred_at) FROM contacts c WHERE c.family_id = f.id AND c.status = 'held') AS last_contact, \
                     (SELECT MIN(c.occurred_at) FROM contacts c WHERE c.family_id = f.id AND c.status = 'planned' AND c.occurred_at >= $3) AS next_planned, \
                     (SELECT COUNT(*) FROM contacts p WHERE p.family_id = f.id AND p.status = 'planned' AND p.occurred_at < $3 \
                        AND NOT EXISTS (SELECT 1 FROM contacts h WHERE h.family_id = f.id AND h.status = 'held' AND h.occurred_at >= ",
                    $planned_day,
                    ")) AS overdue \
                     FROM families f WHERE f.hub_id = $1 \
                       AND f.id IN (SELECT id FROM families WHERE lead_plo_id = $2 UNION ALL SELECT id FROM families WHERE csw_id = $2) \
                     ORDER BY CASE f.threshold WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, f.name, f.id LIMIT 500"
                ))
                .bind(actor.hub_id)
                .bind(actor.user_id)
                .bind(uk_local(now))
                .fetch_all(&mut *tx)
                .await?;
                let list = rows
                    .iter()
                    .map(|r| {
                        Ok(CaseloadRow {
                            family_id: r.try_get("id")?,
                            family_name: r.try_get("name")?,
                            threshold: opt_code(r.try_get("threshold")?)?,
                            last_contact: r.try_get("last_contact")?,
                            next_planned: r.try_get("next_planned")?,
                            overdue: r.try_get("overdue")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &AuditEvent { action: "list", record_type: "caseload", record_id: None, family_id: None }).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn capacity(&self, actor: &Actor) -> Result<Vec<CapacityRow>> {
                if !actor.role.can(alongside_domain::roles::Capability::ViewCapacity) {
                    return Err(StoreError::NotFound);
                }
                let rows = sqlx::query(
                    "SELECT u.id, u.display_name, u.role, \
                     COUNT(CASE WHEN a.threshold = 'high' THEN 1 END) AS high, \
                     COUNT(CASE WHEN a.threshold = 'medium' THEN 1 END) AS medium, \
                     COUNT(CASE WHEN a.threshold = 'low' THEN 1 END) AS low, \
                     COUNT(CASE WHEN a.uid IS NOT NULL AND a.threshold IS NULL THEN 1 END) AS not_set \
                     FROM users u JOIN hub_members m ON m.user_id = u.id AND m.hub_id = $1 \
                     LEFT JOIN (SELECT lead_plo_id AS uid, threshold FROM families WHERE hub_id = $1 AND lead_plo_id IS NOT NULL \
                                UNION ALL SELECT csw_id AS uid, threshold FROM families WHERE hub_id = $1 AND csw_id IS NOT NULL) a ON a.uid = u.id \
                     WHERE u.role IN ('plo', 'csw') AND u.active = $2 \
                     GROUP BY u.id, u.display_name, u.role ORDER BY u.role DESC, u.display_name",
                )
                .bind(actor.hub_id)
                .bind(true)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(CapacityRow {
                            user_id: r.try_get("id")?,
                            display_name: r.try_get("display_name")?,
                            role: code(&r.try_get::<String, _>("role")?)?,
                            high: r.try_get("high")?,
                            medium: r.try_get("medium")?,
                            low: r.try_get("low")?,
                            not_set: r.try_get("not_set")?,
                        })
                    })
                    .collect()
            }

            async fn audit_log(&self, actor: &Actor, filter: &AuditFilter) -> Result<Page<AuditRow>> {
                if !actor.role.can(alongside_domain::roles::Capability::ViewAuditLog) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                let build = |select: &str| {
                    let mut q = sqlx::QueryBuilder::<$db>::new(select);
                    q.push(" WHERE hub_id = ").push_bind(actor.hub_id);
                    if let Some(u) = &filter.username {
                        q.push(" AND lower(username) = ").push_bind(u.to_lowercase());
                    }
                    if let Some(a) = &filter.action {
                        q.push(" AND action = ").push_bind(a.clone());
                    }
                    if let Some(f) = filter.family_id {
                        q.push(" AND family_id = ").push_bind(f);
                    }
                    if let Some(from) = filter.from {
                        q.push(" AND at >= ").push_bind(from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
                    }
                    if let Some(to) = filter.to {
                        q.push(" AND at < ").push_bind(to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
                    }
                    q
                };
                let total: i64 = build("SELECT COUNT(*) AS n FROM audit_events").build().fetch_one(&mut *tx).await?.try_get("n")?;
                let mut q = build("SELECT id, at, username, role, action, record_type, record_id, family_id FROM audit_events");
                q.push(" ORDER BY id DESC LIMIT ").push_bind(filter.limit).push(" OFFSET ").push_bind(filter.offset);
                let items = q
                    .build()
                    .fetch_all(&mut *tx)
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
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &AuditEvent { action: "read", record_type: "audit_log", record_id: None, family_id: filter.family_id }).await?;
                tx.commit().await?;
                Ok(Page { items, total })
            }

            async fn record_audit(&self, actor: &Actor, event: &AuditEvent) -> Result<()> {
                let (_writer, mut tx) = self.write_tx().await?;
                Self::audit(&mut tx, actor, event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn unscoped_bulk_load(&self, batch: &demo::Batch) -> Result<()> {
                let (_writer, mut tx) = self.write_tx().await?;
                for fam in &batch.families {
                    let family_id: i64 = sqlx::query(
                        "INSERT INTO families (hub_id, name, search_key, threshold, strengths, own_words, lead_plo_id, csw_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    )
                    .bind(batch.hub_id)
                    .bind(&fam.name)
                    .bind(fam.name.to_lowercase())
                    .bind(fam.threshold.map(|t| t.code()))
                    .bind(&fam.strengths)
                    .bind(&fam.own_words)
                    .bind(fam.lead_plo_id)
                    .bind(fam.csw_id)
                    .bind(fam.created_at)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("id")?;
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO family_members (family_id, hub_id, given_name, family_name, name_key, known_as, member_role, carer_kind, date_of_birth, relationship, lives, lives_since, created_at) ",
                    );
                    q.push_values(&fam.members, |mut b, m| {
                        b.push_bind(family_id)
                            .push_bind(batch.hub_id)
                            .push_bind(m.given_name.clone())
                            .push_bind(m.family_name.clone())
                            .push_bind(name_key(&m.given_name, &m.family_name))
                            .push_bind(m.known_as.clone())
                            .push_bind(m.member_role.code())
                            .push_bind(m.carer_kind.map(|k| k.code()))
                            .push_bind(m.date_of_birth)
                            .push_bind(m.relationship.clone())
                            .push_bind(m.lives.map(|k| k.code()))
                            .push_bind(m.lives_since)
                            .push_bind(fam.created_at);
                    });
                    q.build().execute(&mut *tx).await?;
                    let r = &fam.referral;
                    let referral_id: i64 = sqlx::query(
                        "INSERT INTO referrals (hub_id, family_id, source, received_on, referrer_name, referrer_contact, reasons, indicators, \
                         consent_to_share, is_rereferral, status, threshold, threshold_reasoning, decision, triaged_at, triaged_by, first_contact_at, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
                    )
                    .bind(batch.hub_id)
                    .bind(family_id)
                    .bind(r.source.code())
                    .bind(r.received_on)
                    .bind(&r.referrer_name)
                    .bind(&r.referrer_contact)
                    .bind(&r.reasons)
                    .bind(r.indicators.iter().map(|i| i.code()).collect::<Vec<_>>().join(","))
                    .bind(true)
                    .bind(false)
                    .bind(r.status.code())
                    .bind(r.triage.as_ref().map(|t| t.threshold.code()))
                    .bind(r.triage.as_ref().map(|t| t.reasoning.clone()))
                    .bind(r.triage.as_ref().map(|t| t.decision.code()))
                    .bind(r.triaged_at)
                    .bind(r.triage.as_ref().map(|_| batch.manager_id))
                    .bind(r.first_contact_at)
                    .bind(batch.manager_id)
                    .bind(fam.created_at)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("id")?;
                    for chunk in fam.contacts.chunks(200) {
                        let mut q = sqlx::QueryBuilder::<$db>::new(
                            "INSERT INTO contacts (family_id, kind, status, occurred_at, duration_minutes, participants, note, visibility, recorded_by, created_at) ",
                        );
                        q.push_values(chunk, |mut b, (c, by)| {
                            b.push_bind(family_id)
                                .push_bind(c.kind.code())
                                .push_bind(c.status.code())
                                .push_bind(c.occurred_at)
                                .push_bind(c.duration_minutes)
                                .push_bind(c.participants.clone())
                                .push_bind(c.note.clone())
                                .push_bind(c.visibility.code())
                                .push_bind(*by)
                                .push_bind(fam.created_at);
                        });
                        q.build().execute(&mut *tx).await?;
                    }
                    let mut entries: Vec<(NaiveDateTime, ChronologyKind, String, Option<String>, Visibility, Option<i64>, i64)> =
                        Vec::with_capacity(fam.contacts.len() + 2);
                    entries.push((
                        r.received_on.and_hms_opt(0, 0, 0).unwrap_or_default(),
                        ChronologyKind::Referral,
                        format!("Referral received from {}", r.source.label().to_lowercase()),
                        Some(r.reasons.clone()),
                        Visibility::Shareable,
                        Some(referral_id),
                        batch.manager_id,
                    ));
                    if let (Some(t), Some(at)) = (&r.triage, r.triaged_at) {
                        entries.push((at, ChronologyKind::Triage, triage_summary(t, None, None), Some(t.reasoning.clone()), Visibility::Shareable, Some(referral_id), batch.manager_id));
                    }
                    for (c, by) in &fam.contacts {
                        let kind = if c.status == ContactStatus::Held { ChronologyKind::Contact } else { ChronologyKind::PlannedContact };
                        entries.push((c.occurred_at, kind, contact_summary(c), c.note.clone(), c.visibility, None, *by));
                    }
                    for chunk in entries.chunks(200) {
                        let mut q = sqlx::QueryBuilder::<$db>::new(
                            "INSERT INTO chronology (family_id, occurred_at, kind, summary, detail, visibility, source_id, recorded_by, created_at) ",
                        );
                        q.push_values(chunk, |mut b, e| {
                            b.push_bind(family_id)
                                .push_bind(e.0)
                                .push_bind(e.1.code())
                                .push_bind(e.2.clone())
                                .push_bind(e.3.clone())
                                .push_bind(e.4.code())
                                .push_bind(e.5)
                                .push_bind(e.6)
                                .push_bind(fam.created_at);
                        });
                        q.build().execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn unscoped_link_parent(&self, user_id: i64, family_id: i64, hub_id: i64) -> Result<()> {
                let (_writer, mut tx) = self.write_tx().await?;
                sqlx::query("INSERT INTO family_parents (user_id, family_id, hub_id) VALUES ($1, $2, $3)")
                    .bind(user_id)
                    .bind(family_id)
                    .bind(hub_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn unscoped_count_families(&self) -> Result<i64> {
                Ok(sqlx::query("SELECT COUNT(*) AS n FROM families").fetch_one(&self.pool).await?.try_get("n")?)
            }
        }
    };
}

// SQLite keeps times as "YYYY-MM-DD HH:MM:SS" text, which sorts after its "YYYY-MM-DD".
impl_store!(
    SqliteStore,
    sqlx::Sqlite,
    Backend::Sqlite,
    "BEGIN IMMEDIATE",
    "date(p.occurred_at)"
);
impl_store!(
    PgStore,
    sqlx::Postgres,
    Backend::Postgres,
    "BEGIN",
    "date_trunc('day', p.occurred_at)"
);
impl_partnership!(SqliteStore, sqlx::Sqlite);
impl_partnership!(PgStore, sqlx::Postgres);
