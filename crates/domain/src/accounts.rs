//! The accounts' command: a new user ([`NewUser`]).
//!
//! It has no rules of its own to apply here: the web checks the username and password
//! typed, and hashes the password, before a [`NewUser`] is made, so that no password is
//! ever held in a command; whether the username is free is the store's to say.

use crate::ids::HubId;
use crate::roles::Role;

/// A user to create, with the hubs they belong to.
#[derive(Debug, Clone)]
pub struct NewUser {
    username: String,
    display_name: String,
    role: Role,
    password_hash: String,
    hub_ids: Vec<HubId>,
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
        }
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
