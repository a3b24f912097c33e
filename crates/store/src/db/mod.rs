//! The database: connecting (refusing a mistyped URL), migrations, transactions and the
//! audit writer. What differs between SQLite and PostgreSQL (pool settings, how a writing
//! transaction begins, backups, statistics) is decided here and nowhere else; the areas
//! write ordinary code over [`Conn`] and [`query::Query`].
//!
//! This module never decides who may see what: that is [`crate::access`].

pub(crate) mod audit;
mod migrate;
pub(crate) mod query;

use crate::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

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

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A pool of connections to one database, and (SQLite) its one writer's place in line.
#[derive(Clone)]
pub(crate) struct Db {
    pool: Pool,
    /// SQLite has one writer at a time: writers queue here, in order, rather than in
    /// SQLite's busy handler, whose back-off sleeps add up to tens of milliseconds.
    write_lock: Option<Arc<Mutex<()>>>,
}

/// A connection in use: a transaction, or (PostgreSQL reads) a plain connection.
/// Dropping it without [`Conn::commit`] rolls a transaction back.
pub(crate) struct Conn {
    inner: Inner,
    // Declared after `inner`, so the writer's place is given up only once the
    // transaction has ended.
    _writer: Option<OwnedMutexGuard<()>>,
}

enum Inner {
    SqliteTx(Transaction<'static, Sqlite>),
    SqlitePlain(PoolConnection<Sqlite>),
    PostgresTx(Transaction<'static, Postgres>),
    PostgresPlain(PoolConnection<Postgres>),
}

/// The driver's connection under a [`Conn`], for [`query::Query`] to run on.
pub(crate) enum Raw<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn {
    pub(crate) fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            Inner::SqliteTx(t) => Raw::Sqlite(t),
            Inner::SqlitePlain(c) => Raw::Sqlite(c),
            Inner::PostgresTx(t) => Raw::Postgres(t),
            Inner::PostgresPlain(c) => Raw::Postgres(c),
        }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self.inner {
            Inner::SqliteTx(t) => t.commit().await?,
            Inner::PostgresTx(t) => t.commit().await?,
            Inner::SqlitePlain(_) | Inner::PostgresPlain(_) => {}
        }
        Ok(())
    }
}

impl Db {
    pub(crate) fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// A connection for reads. SQLite: a deferred transaction, one consistent snapshot
    /// for the whole page that does not wait for the writer. PostgreSQL: a plain
    /// connection, since under its default isolation each statement has its own snapshot
    /// even inside a transaction, so BEGIN and COMMIT would only add two round trips.
    pub(crate) async fn read(&self) -> Result<Conn> {
        let inner = match &self.pool {
            Pool::Sqlite(p) => Inner::SqliteTx(p.begin().await?),
            Pool::Postgres(p) => Inner::PostgresPlain(p.acquire().await?),
        };
        Ok(Conn {
            inner,
            _writer: None,
        })
    }

    /// A plain connection for one statement outside any transaction.
    pub(crate) async fn plain(&self) -> Result<Conn> {
        let inner = match &self.pool {
            Pool::Sqlite(p) => Inner::SqlitePlain(p.acquire().await?),
            Pool::Postgres(p) => Inner::PostgresPlain(p.acquire().await?),
        };
        Ok(Conn {
            inner,
            _writer: None,
        })
    }

    /// A transaction that will write. On SQLite it begins IMMEDIATE, after waiting for
    /// the writer's place in line.
    pub(crate) async fn write(&self) -> Result<Conn> {
        let writer = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let inner = match &self.pool {
            Pool::Sqlite(p) => Inner::SqliteTx(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Inner::PostgresTx(p.begin().await?),
        };
        Ok(Conn {
            inner,
            _writer: writer,
        })
    }

    /// Brings the schema up to date.
    pub(crate) async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => migrate::sqlite().run(p).await?,
            Pool::Postgres(p) => migrate::postgres().run(p).await?,
        }
        Ok(())
    }

    /// Refreshes the query planner's statistics.
    pub(crate) async fn optimize(&self, full: bool) -> Result<()> {
        let mut c = self.plain().await?;
        match (&self.pool, full) {
            // Without statistics SQLite may walk a whole hub to find one worker's families.
            (Pool::Sqlite(_), true) => query::Query::new("ANALYZE", query::Made::Unscoped),
            (Pool::Sqlite(_), false) => {
                query::Query::new("PRAGMA optimize=0x10002", query::Made::Unscoped)
            }
            (Pool::Postgres(_), true) => query::Query::new("ANALYZE", query::Made::Unscoped),
            // Autovacuum keeps statistics in the normal run of things.
            (Pool::Postgres(_), false) => return Ok(()),
        }
        .execute(&mut c)
        .await?;
        Ok(())
    }

    /// Writes a consistent copy of the database to `dest` (SQLite `VACUUM INTO`).
    pub(crate) async fn backup(&self, dest: &Path) -> Result<()> {
        match self.backend() {
            Backend::Sqlite => {
                query::Query::new("VACUUM INTO $1", query::Made::Unscoped)
                    .bind(dest.to_string_lossy().to_string())
                    .execute(&mut self.plain().await?)
                    .await?;
                Ok(())
            }
            Backend::Postgres => Err(StoreError::Setup(
                "backups of a PostgreSQL database are made with pg_dump, which keeps the server's own consistency guarantees: run `pg_dump --format=custom` against DATABASE_URL".into(),
            )),
        }
    }

    fn is_closed(&self) -> bool {
        match &self.pool {
            Pool::Sqlite(p) => p.is_closed(),
            Pool::Postgres(p) => p.is_closed(),
        }
    }
}

/// Opens the database a URL names.
pub async fn connect(
    url: &crate::DatabaseUrl,
    opts: &ConnectOptions,
) -> Result<Arc<dyn crate::Store>> {
    let (db, audit_db) = match url {
        crate::DatabaseUrl::Sqlite(path) => open_sqlite(path, opts).await?,
        crate::DatabaseUrl::Postgres(raw) => {
            let options = PgConnectOptions::from_str(raw)?;
            let pool = |n| {
                PgPoolOptions::new()
                    .max_connections(n)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_lazy_with(options.clone())
            };
            let main = pool(opts.max_connections);
            // Answer now if the server cannot be reached, rather than at the first page.
            main.acquire().await?;
            let db = Db {
                pool: Pool::Postgres(main),
                write_lock: None,
            };
            let audit_db = Db {
                pool: Pool::Postgres(pool(1)),
                write_lock: None,
            };
            (db, audit_db)
        }
    };
    Ok(Arc::new(crate::SqlStore::new(db, audit_db)))
}

async fn open_sqlite(path: &Path, opts: &ConnectOptions) -> Result<(Db, Db)> {
    if !opts.create_if_missing && !path.exists() {
        return Err(StoreError::Setup(format!(
            "there is no SQLite database at {}: check the path, or run `alongside migrate` to create one",
            path.display()
        )));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Setup(format!("cannot create {}: {e}", dir.display())))?;
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
    let lock = Arc::new(Mutex::new(()));
    let db = Db {
        pool: Pool::Sqlite(pool),
        write_lock: Some(lock.clone()),
    };
    // A read's audit event must survive a power cut once the read is answered: the audit
    // writer commits with a full sync (group commit shares its cost). It takes the same
    // place in line as every other writer.
    let durable = options.synchronous(SqliteSynchronous::Full);
    let audit_db = Db {
        pool: Pool::Sqlite(
            SqlitePoolOptions::new()
                .max_connections(1)
                .connect_lazy_with(durable),
        ),
        write_lock: Some(lock),
    };
    // Checkpoint the write-ahead log in the background, so that copying pages back into
    // the database (and its fsync) never holds up a writer.
    let checkpointer = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        loop {
            tick.tick().await;
            if checkpointer.is_closed() {
                break;
            }
            if let Ok(mut c) = checkpointer.plain().await {
                let _ = query::Query::new("PRAGMA wal_checkpoint(PASSIVE)", query::Made::Unscoped)
                    .execute(&mut c)
                    .await;
            }
        }
    });
    Ok((db, audit_db))
}

/// Reads a stored vocabulary code. An unknown code in the database is a data fault.
pub(crate) fn code<T: alongside_domain::Code>(s: &str) -> Result<T> {
    T::parse(s).ok_or_else(|| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unknown code '{s}' in database").into(),
        ))
    })
}

pub(crate) fn opt_code<T: alongside_domain::Code>(s: Option<String>) -> Result<Option<T>> {
    s.as_deref().map(code).transpose()
}

/// Whether a statement failed on a unique constraint (a race the code checked for first).
pub(crate) fn is_unique_violation(e: &StoreError) -> bool {
    matches!(e, StoreError::Database(sqlx::Error::Database(d))
        if d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}
