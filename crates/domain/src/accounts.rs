//! The accounts' command: a new user ([`NewUser`]), and the rules of a username and of a
//! password ([`password`]).
//!
//! The web checks the username and password typed, and hashes the password, before a
//! [`NewUser`] is made, so that no password is ever held in a command; whether the
//! username is free is the store's to say.

pub mod password;

use crate::ids::HubId;
use crate::roles::Role;
use crate::validate::FieldErrors;

/// A user to create, with the hubs they belong to.
#[derive(Debug, Clone)]
pub struct NewUser {
    username: String,
    display_name: String,
    role: Role,
    password_hash: String,
    hub_ids: Vec<HubId>,
    awaiting_approval: bool,
}

/// How long an API token lasts, in days, unless made to expire sooner.
pub const TOKEN_LIFETIME_DAYS: i64 = 90;

/// How long a one-time password-reset code may be used, in hours.
pub const RESET_CODE_HOURS: i64 = 24;

crate::code_enum! {
    /// What an API token may do: read only (GET), or read and write.
    TokenScope {
        Read => "read", "Read only";
        ReadWrite => "read_write", "Read and write";
    }
}

/// Why an administrator may not change an account's role in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    /// Takes effect at once (a role that does no casework).
    Now,
    /// Waits for a manager of the hub to approve it (separation of duties, M2).
    ApprovedByAManager,
}

/// Whether a role change made in the browser takes effect now, waits for a manager, or is
/// not made there at all: administrators come only from the server, and parents and carers
/// only from an invitation (and stay parents).
pub fn role_change(from: Role, to: Role) -> Result<RoleChange, &'static str> {
    if from == Role::Parent || to == Role::Parent {
        return Err("A parent or carer's account comes from an invitation and keeps its role: choose a staff account");
    }
    if to == Role::Administrator || from == Role::Administrator {
        return Err("Administrators are added and changed on the server, with alongside create-user: choose another role");
    }
    if from == to {
        return Err("The account already has that role: choose another");
    }
    Ok(if to.is_casework() {
        RoleChange::ApprovedByAManager
    } else {
        RoleChange::Now
    })
}

/// The rule of a username, for every way an account is made (an administrator's form,
/// a parent joining): required, at most 64 characters, only letters, numbers, dots,
/// dashes and underscores. Whether it is free is the store's to say, in the same words
/// whatever the reason (`Choose a different username`), so no one learns which exist.
pub fn username(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let name = crate::validate::required_text(errors, field, "A username", value, 64);
    if errors.get(field).is_none()
        && !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        errors.add(
            field,
            "Choose a different username: use only letters, numbers, dots, dashes and underscores",
        );
    }
    name
}

/// Why an administrator may not make an account in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotInTheBrowser {
    /// Administrators come only from the server's command line.
    Administrator,
}

/// Separation of duties (issue 10, M2): an account an administrator makes in the
/// browser waits for a manager of its hub to approve it when its role works on cases;
/// administrators themselves, and a hub's first manager, come only from the command line
/// on the server (`alongside create-user`). `Ok(true)`: it waits for approval.
pub fn made_in_the_browser(role: Role) -> Result<bool, NotInTheBrowser> {
    match role {
        Role::Administrator => Err(NotInTheBrowser::Administrator),
        r => Ok(r.is_casework()),
    }
}

impl NewUser {
    /// `password_hash` is the hash of the password chosen, never the password.
    pub fn new(
        username: String,
        display_name: String,
        role: Role,
        password_hash: String,
        hub_ids: Vec<HubId>,
    ) -> NewUser {
        NewUser {
            username,
            display_name,
            role,
            password_hash,
            hub_ids,
            awaiting_approval: false,
        }
    }

    /// The account waits for a manager of its hub to approve it before it may sign in.
    pub fn awaiting_approval(mut self) -> NewUser {
        self.awaiting_approval = true;
        self
    }

    pub fn is_awaiting_approval(&self) -> bool {
        self.awaiting_approval
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
    pub fn password_hash(&self) -> &str {
        &self.password_hash
    }
    pub fn hub_ids(&self) -> &[HubId] {
        &self.hub_ids
    }
}
