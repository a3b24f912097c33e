//! Storage for Alongside: the [`Store`] trait, the sum of one small trait per feature
//! area, implemented once by [`SqlStore`] for both backends (SQLite embedded by default,
//! PostgreSQL for scale), each with its own migrations.
//!
//! This crate is the only place SQL lives. The map of the house:
//! - `db/`: connecting, migrations, transactions, the one query type both backends run
//!   (decision 0010), and the audit writer;
//! - `access`: need-to-know, decided in one place: every query is made from a scope
//!   that only its checks can give;
//! - one folder per area (`accounts`, `sessions`, `referrals`, `families`, `portal`,
//!   `information`, `intelligence`, `evidence`, `incidents`, `network`, `alerts`,
//!   `audit`, `demo`), each with its trait, its SQL and its records.
//!
//! Every method that reads or writes a family's personal data takes an [`Actor`], which
//! only [`Accounts::actor`] can make for a member of the hub, and writes its audit event
//! (reads: durably, before the data is returned).
#![forbid(unsafe_code)]

pub(crate) mod access;
pub mod accounts;
pub mod alerts;
pub mod audit;
pub mod continuity;
pub mod costs;
pub(crate) mod db;
pub mod demo;
pub mod evidence;
pub mod families;
pub mod incidents;
pub mod information;
pub mod intelligence;
pub mod missing;
pub mod network;
pub mod placements;
pub mod plans;
pub mod portal;
mod prelude;
pub mod referrals;
mod refusal;
pub mod sessions;
mod url;

/// The area traits, for calling the store's methods on `dyn Store`.
pub mod traits {
    pub use crate::demo::DemoLoad;
    pub use crate::{
        AccountCare, Accounts, Alerts, Audit, Contacts, Continuity, Evidence, Families, HubCosts,
        Incidents, Information, Intelligence, MissingEpisodes, MissingProfiles, Network,
        Placements, Portal, ProfileShares, Referrals, ReturnInterviews, Review, SafetyPlans,
        Sessions, Store,
    };
}

pub use accounts::*;
pub use alerts::*;
pub use audit::*;
pub use continuity::*;
pub use costs::*;
pub use db::{connect, Backend, ConnectOptions};
pub use evidence::*;
pub use families::contacts::*;
pub use families::*;
pub use incidents::*;
pub use information::*;
pub use intelligence::*;
pub use missing::*;
pub use network::*;
pub use placements::*;
pub use plans::*;
pub use portal::*;
pub use referrals::*;
pub use refusal::Refusal;
pub use sessions::{session_id_hash, Sessions};
pub use url::{DatabaseUrl, UrlError};

/// The record ids, one type for each kind of record.
pub use alongside_domain::ids::*;
use alongside_domain::roles::Role;
use async_trait::async_trait;
use serde::Serialize;

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or the actor may not see it: the two look the same.
    #[error("not found")]
    NotFound,
    /// A rule of the data was broken (e.g. a username already taken): which one, and in
    /// its `Display` what to do about it.
    #[error("{0}")]
    Conflict(#[from] Refusal),
    /// The database could not be opened or used as asked: for the operator, never a page.
    #[error("{0}")]
    Setup(String),
    /// The database failed; the cause is for logs, never for the person.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// An audit event could not be stored, so the read it records was refused.
    #[error("audit log write failed: {0}")]
    AuditWrite(String),
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One page of a longer list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: i64,
}

/// The person acting, in the hub they act in. Made only by [`Accounts::actor`].
#[derive(Debug, Clone)]
pub struct Actor {
    user_id: UserId,
    username: String,
    display_name: String,
    role: Role,
    hub_id: HubId,
    hub_name: String,
    /// The name the hub's parents and carers see (its setting, if it has one).
    parent_service_name: Option<String>,
    origin: Origin,
}

/// Where a request came from, for the audit events it causes (issue 10, L8): the
/// address, a short reference to the session (the first 12 hex digits of its hash, enough
/// to tell one person's sessions apart and never enough to use one), or the API token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub address: Option<String>,
    pub session_ref: Option<String>,
    pub token_id: Option<TokenId>,
}

/// What a hub's parents and carers see as the service's name unless the hub sets one.
pub const NEUTRAL_PARENT_SERVICE_NAME: &str = "Notes";

impl Actor {
    /// The name of the service as this person sees it: "Alongside" for workers; for a
    /// parent or carer the hub's neutral name for it ("Notes" unless the hub set one).
    pub fn service_name(&self) -> &str {
        if self.role == Role::Parent {
            self.parent_service_name
                .as_deref()
                .unwrap_or(NEUTRAL_PARENT_SERVICE_NAME)
        } else {
            "Alongside"
        }
    }

    /// The same actor, acting from `origin`.
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
    pub fn user_id(&self) -> UserId {
        self.user_id
    }
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn hub_id(&self) -> HubId {
        self.hub_id
    }
    pub fn hub_name(&self) -> &str {
        &self.hub_name
    }
    /// Whether the actor sees every family of the hub rather than only their own.
    fn sees_all_families(&self) -> bool {
        self.role
            .can(alongside_domain::roles::Capability::SeeAllHubFamilies)
    }
    /// Whether the actor may see any family at all.
    fn sees_families(&self) -> bool {
        self.role.sees_families()
    }
}

/// Everything Alongside stores: the sum of the areas, plus the database itself.
#[async_trait]
pub trait Store:
    Accounts
    + AccountCare
    + Sessions
    + Referrals
    + Families
    + Contacts
    + Portal
    + Information
    + Review
    + Intelligence
    + Evidence
    + Incidents
    + SafetyPlans
    + MissingProfiles
    + MissingEpisodes
    + ReturnInterviews
    + ProfileShares
    + Placements
    + Continuity
    + HubCosts
    + Network
    + Alerts
    + Audit
    + demo::DemoLoad
    + Send
    + Sync
    + 'static
{
    /// Which backend this is ("sqlite" or "postgres").
    fn backend(&self) -> Backend;
    /// Brings the schema up to date.
    async fn migrate(&self) -> Result<()>;
    /// Answers when the database answers.
    async fn ping(&self) -> Result<()>;
    /// Refreshes the query planner's statistics (after bulk loads, and now and then).
    /// `full` analyses every table now; otherwise only where the database thinks it due.
    async fn optimize(&self, full: bool) -> Result<()>;
    /// Writes a consistent copy of the database to `dest` (SQLite `VACUUM INTO`).
    async fn backup(&self, dest: &std::path::Path) -> Result<()>;
}

/// The store of both backends: which one is decided by the connection in [`db`].
pub struct SqlStore {
    db: db::Db,
    /// Audit events of reads, written in batches by one task (see `db::audit`).
    audit_queue: tokio::sync::mpsc::Sender<db::audit::AuditJob>,
}

impl SqlStore {
    fn new(db: db::Db, audit_db: db::Db) -> Self {
        let (audit_queue, rx) = tokio::sync::mpsc::channel(4096);
        tokio::spawn(db::audit::writer(audit_db, rx));
        Self { db, audit_queue }
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.db.backend()
    }

    async fn migrate(&self) -> Result<()> {
        self.db.migrate().await?;
        let cleaned = information::clean_stored_photos(&self.db).await?;
        if cleaned > 0 {
            tracing::info!(
                cleaned,
                "photos stored before cleaning were cleaned of metadata"
            );
        }
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        access::unscoped("SELECT 1")
            .execute(&mut self.db.plain().await?)
            .await?;
        Ok(())
    }

    async fn optimize(&self, full: bool) -> Result<()> {
        self.db.optimize(full).await
    }

    async fn backup(&self, dest: &std::path::Path) -> Result<()> {
        self.db.backup(dest).await
    }
}
