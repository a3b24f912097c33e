//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hub {
    pub id: HubId,
    pub name: String,
    pub first_contact_target_days: i64,
    /// How many cross-hub matches one person may cause in a day (issue 10, M1).
    pub cross_hub_daily_limit: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Made in the browser with a casework role, and not yet approved by a manager.
    pub awaiting_approval: bool,
    /// A casework role an administrator asked for, until a manager approves it.
    pub pending_role: Option<Role>,
}

/// A change to an account of the hub, for its managers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountNotice {
    /// made, approved, disabled, role_changed
    pub kind: String,
    pub role: Role,
    pub at: DateTime<Utc>,
    pub username: String,
    pub display_name: String,
    /// Who approved or changed it (none for an account made).
    pub by: Option<String>,
}

/// A user with the password hash, for signing in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// The command this area takes in lives in the domain crate.
pub use alongside_domain::accounts::NewUser;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// After this the token is refused.
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    pub scope: TokenScope,
}

pub use alongside_domain::accounts::TokenScope;

/// A live session of a person, for their account page.
#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    /// The SHA-256 of the session's id (the id itself is only in the person's cookie).
    pub id_hash: String,
    pub started_at: Option<DateTime<Utc>>,
    pub seen_at: Option<DateTime<Utc>>,
    /// How the browser describes itself, cut short.
    pub agent: Option<String>,
}

/// Who a session row belongs to, as the session layer saves it.
#[derive(Debug, Clone, Default)]
pub struct SessionOwner {
    pub user_id: Option<UserId>,
    /// Unix seconds.
    pub started_at: Option<i64>,
    pub seen_at: Option<i64>,
    pub agent: Option<String>,
}
