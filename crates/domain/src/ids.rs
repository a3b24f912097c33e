//! The numbers that name records, one type for each kind of record, so an entry's number
//! cannot be passed where a family's is asked for, and an access check is always asked
//! about the record it means.
//!
//! Each id is a positive whole number as the database gave it. It reads from and writes to
//! JSON and addresses as the bare number (`/families/42`), so nothing outside the program
//! sees the types. [`std::str::FromStr`] accepts only a positive number: anything else in an
//! address is answered as a record that does not exist.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The address held something that names no record (not a positive whole number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnId;

impl fmt::Display for NotAnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a record number")
    }
}

impl std::error::Error for NotAnId {}

/// What every record id is: read from an address or form only as a positive number.
pub trait Id: FromStr<Err = NotAnId> + Copy + Into<i64> + fmt::Display {}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = i64)]
        pub struct $name(i64);

        impl $name {
            /// The id the database gave a record of this kind.
            pub const fn new(n: i64) -> Self {
                Self(n)
            }
            /// The number, for SQL and arithmetic.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl Id for $name {}

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = NotAnId;
            fn from_str(s: &str) -> Result<Self, NotAnId> {
                match s.parse::<i64>() {
                    Ok(n) if n > 0 => Ok(Self(n)),
                    _ => Err(NotAnId),
                }
            }
        }
    )*};
}

ids! {
    /// A hub: one team, with its own families, workers and police partners.
    HubId,
    /// A person who signs in (a worker, a partner, a parent or carer).
    UserId,
    /// A referral received by a hub.
    ReferralId,
    /// A family's record.
    FamilyId,
    /// A person on a family's record (a child, a parent or carer, a sibling).
    MemberId,
    /// A contact with a family (a visit, a call, a message).
    ContactId,
    /// A safety plan for a child of a family (its versions are numbered within it).
    SafetyPlanId,
    /// A child's missing-from-home profile (its versions are numbered within it).
    ProfileId,
    /// A child's missing episode: from last seen to found or back.
    EpisodeId,
    /// An invitation for a parent or carer to join the portal.
    InvitationId,
    /// An entry of a family's information log.
    EntryId,
    /// A photo or screenshot attached to an entry.
    AttachmentId,
    /// A vehicle mark, phone number, email, handle or postcode found in an entry or incident.
    IdentifierId,
    /// An intelligence submission to the police.
    SubmissionId,
    /// An item of evidence, with its chain of custody.
    EvidenceId,
    /// A threat or harassment against a family.
    IncidentId,
    /// An alert: the same identifier or person seen in two families.
    AlertId,
    /// An API token.
    TokenId,
    /// Two names in the network picture recorded as one person.
    MergeId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_numbers_name_a_record() {
        assert_eq!("42".parse::<FamilyId>(), Ok(FamilyId::new(42)));
        for bad in ["0", "-1", "", "4x", "1.5", " 1", "99999999999999999999"] {
            assert_eq!(bad.parse::<EntryId>(), Err(NotAnId), "{bad:?}");
        }
    }

    #[test]
    fn an_id_is_its_bare_number_outside() {
        let id = SubmissionId::new(7);
        assert_eq!(id.to_string(), "7");
        assert_eq!(serde_json::to_string(&id).unwrap(), "7");
        assert_eq!(serde_json::from_str::<SubmissionId>("7").unwrap(), id);
    }
}
