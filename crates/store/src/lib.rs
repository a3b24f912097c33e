//! Storage for Alongside: one [`Store`] trait and one implementation per backend
//! (SQLite embedded by default, PostgreSQL for scale), each with its own migrations.
//!
//! This crate is the only place SQL lives. Every method that reads or writes a family's
//! personal data takes an [`Actor`], filters by the actor's hub and need-to-know in the
//! query itself, and writes its audit event in the same transaction. An `Actor` can only
//! be made by [`Store::actor`], which checks hub membership, so a query for another hub's
//! family cannot be written from outside this crate.
#![forbid(unsafe_code)]

#[macro_use]
mod partnership_impl;
mod backend;
pub mod demo;
pub mod partnership;
mod partnership_types;
pub mod sessions;
mod types;
mod url;

pub use backend::{connect, Backend, ConnectOptions};
pub use partnership_types::*;
pub use types::*;
pub use url::{DatabaseUrl, UrlError};

use alongside_domain::roles::Role;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or the actor may not see it: the two look the same.
    #[error("not found")]
    NotFound,
    /// A rule of the data was broken (e.g. a username already taken); the message is safe
    /// to show to the person.
    #[error("{0}")]
    Conflict(String),
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

/// The person acting, in the hub they act in. Made only by [`Store::actor`].
#[derive(Debug, Clone)]
pub struct Actor {
    user_id: i64,
    username: String,
    display_name: String,
    role: Role,
    hub_id: i64,
    hub_name: String,
}

impl Actor {
    pub fn user_id(&self) -> i64 {
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
    pub fn hub_id(&self) -> i64 {
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

/// Everything Alongside stores. Implemented once per backend.
#[async_trait]
pub trait Store: partnership::Partnership + Send + Sync + 'static {
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

    // ---- hubs and users (administration; no family data) ----
    async fn create_hub(&self, name: &str) -> Result<Hub>;
    async fn hub_by_name(&self, name: &str) -> Result<Option<Hub>>;
    async fn create_user(&self, new: &NewUser) -> Result<User>;
    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()>;
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>>;
    async fn user(&self, user_id: i64) -> Result<Option<User>>;
    async fn user_hubs(&self, user_id: i64) -> Result<Vec<Hub>>;
    /// The actor for a user in a hub, if the user is active and a member of that hub.
    async fn actor(&self, user_id: i64, hub_id: i64) -> Result<Option<Actor>>;
    /// Workers of the actor's hub holding `role` (for allocation choices).
    async fn hub_workers(&self, actor: &Actor, role: Role) -> Result<Vec<User>>;
    /// All users of the actor's hub (administrators).
    async fn hub_users(&self, actor: &Actor) -> Result<Vec<User>>;

    // ---- personal API tokens ----
    async fn create_api_token(&self, actor: &Actor, name: &str, token_hash: &str) -> Result<i64>;
    async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, actor: &Actor, token_id: i64) -> Result<()>;
    /// The user and hub a live token belongs to; marks it used.
    async fn api_token_owner(&self, token_hash: &str) -> Result<Option<(i64, i64)>>;

    // ---- sessions (tower-sessions records, keyed by a hash of the session id) ----
    /// The data and expiry (unix seconds) of a live session.
    async fn session_load(&self, id_hash: &str, now: i64) -> Result<Option<(String, i64)>>;
    async fn session_save(&self, id_hash: &str, data: &str, expires_at: i64) -> Result<()>;
    /// Inserts a new session; `false` if the id is taken.
    async fn session_create(&self, id_hash: &str, data: &str, expires_at: i64) -> Result<bool>;
    async fn session_delete(&self, id_hash: &str) -> Result<()>;
    async fn session_delete_expired(&self, now: i64) -> Result<u64>;

    // ---- referrals ----
    async fn create_referral(
        &self,
        actor: &Actor,
        new: &NewReferral,
        now: DateTime<Utc>,
    ) -> Result<ReferralCreated>;
    async fn referrals(&self, actor: &Actor, open_only: bool) -> Result<Vec<ReferralRow>>;
    async fn referral(&self, actor: &Actor, id: i64) -> Result<ReferralDetail>;
    async fn triage_referral(
        &self,
        actor: &Actor,
        id: i64,
        triage: &Triage,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Sets how many working days the hub allows from referral to first contact.
    async fn set_first_contact_target(&self, actor: &Actor, days: i64) -> Result<()>;

    // ---- families ----
    async fn families(
        &self,
        actor: &Actor,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<FamilySummary>>;
    async fn family_page(&self, actor: &Actor, id: i64) -> Result<FamilyPage>;
    async fn add_member(
        &self,
        actor: &Actor,
        family_id: i64,
        m: &NewMember,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn update_strengths(
        &self,
        actor: &Actor,
        family_id: i64,
        strengths: Option<&str>,
        own_words: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn add_contact(
        &self,
        actor: &Actor,
        family_id: i64,
        c: &NewContact,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn contacts(&self, actor: &Actor, family_id: i64) -> Result<Vec<Contact>>;
    async fn chronology(
        &self,
        actor: &Actor,
        family_id: i64,
        filter: &ChronologyFilter,
    ) -> Result<Page<ChronologyEntry>>;
    async fn caseload(&self, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<CaseloadRow>>;
    async fn capacity(&self, actor: &Actor) -> Result<Vec<CapacityRow>>;

    // ---- audit ----
    async fn audit_log(&self, actor: &Actor, filter: &AuditFilter) -> Result<Page<AuditRow>>;
    /// Records an action that has no other write (e.g. a refused access, an export).
    async fn record_audit(&self, actor: &Actor, event: &AuditEvent) -> Result<()>;

    // ---- demo data (bulk; bypasses need-to-know, hence the name) ----
    async fn unscoped_bulk_load(&self, batch: &demo::Batch) -> Result<()>;
    async fn unscoped_count_families(&self) -> Result<i64>;
    /// Makes a parent account belong to a family, as accepting an invitation does.
    async fn unscoped_link_parent(&self, user_id: i64, family_id: i64, hub_id: i64) -> Result<()>;
}
