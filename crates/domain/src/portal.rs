//! The parent portal's commands: inviting a parent or carer ([`NewInvitation`]) and an
//! invitation being accepted ([`Acceptance`]).
//!
//! Neither has rules of its own to apply here: who may be invited is read from the
//! family's record, whether a code is still usable is the store's to say, and the
//! password is checked and hashed by the web's sign-in code before an [`Acceptance`] is
//! made, so that no password is ever held in a command.

use crate::ids::MemberId;

/// An invitation to a parent or carer to join the portal.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    member_id: Option<MemberId>,
    display_name: String,
}

impl NewInvitation {
    /// `member_id`: the family member (a parent or carer) invited, if the record holds
    /// them; `display_name`: the name the invitation is for, as the worker wrote it.
    pub fn new(member_id: Option<MemberId>, display_name: String) -> NewInvitation {
        NewInvitation {
            member_id,
            display_name,
        }
    }

    /// The family member (a parent or carer) invited, if the record holds them.
    pub fn member_id(&self) -> Option<MemberId> {
        self.member_id
    }
    /// The name the invitation is for, as the worker wrote it.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
}

/// An invitation being accepted: the account the parent chooses.
#[derive(Debug, Clone)]
pub struct Acceptance {
    code: String,
    username: String,
    password_hash: String,
}

impl Acceptance {
    /// `password_hash` is the hash of the password chosen, never the password.
    pub fn new(code: String, username: String, password_hash: String) -> Acceptance {
        Acceptance {
            code,
            username,
            password_hash,
        }
    }

    /// The invitation code, as typed.
    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn password_hash(&self) -> &str {
        &self.password_hash
    }
}
