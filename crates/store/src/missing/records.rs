//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The command this area takes in, with its rules, lives in the domain crate.
pub use alongside_domain::missing::{Friend, NewProfile, ProfileContent};

/// A child of a family, as a profile is about them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileChild {
    pub member_id: MemberId,
    pub family_id: FamilyId,
    pub family_name: String,
    pub given_name: String,
    pub family_name_of_child: String,
    pub known_as: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
}

impl ProfileChild {
    /// The name the family uses.
    pub fn name(&self) -> &str {
        self.known_as.as_deref().unwrap_or(&self.given_name)
    }
}

/// A version of the profile, as it was saved.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileVersion {
    pub version: i64,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

/// A child's profile: who they are, Part 1 as it is now (if made), its versions, and
/// whether there is a photo.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileView {
    pub child: ProfileChild,
    pub profile_id: Option<ProfileId>,
    pub content: Option<ProfileContent>,
    /// Newest first.
    pub versions: Vec<ProfileVersion>,
    pub photo: Option<ProfilePhotoInfo>,
    /// Whether, and why, the hub's police partner may read it now.
    pub police: PoliceReach,
}

/// Whether the hub's police partner may read a child's profile now: while the child is
/// missing, or while the family or their PLO shares it.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PoliceReach {
    /// When the open episode began (the child was last seen), if they are missing now.
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub missing_since: Option<NaiveDateTime>,
    pub share: Option<ProfileShare>,
}

impl PoliceReach {
    pub fn open(&self) -> bool {
        self.missing_since.is_some() || self.share.is_some()
    }
}

/// The profile shared with the police partner, by whom and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileShare {
    pub reason: String,
    pub shared_by: String,
    pub shared_at: DateTime<Utc>,
}

/// A profile the police partner may read now, as their list shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SharedProfileRow {
    pub member_id: MemberId,
    pub name: String,
    pub reach: PoliceReach,
}

impl ProfileView {
    pub fn version(&self) -> i64 {
        self.versions.first().map(|v| v.version).unwrap_or(0)
    }
}

/// The photo kept with a profile (the newest given).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfilePhotoInfo {
    pub content_type: String,
    pub size_bytes: i64,
    pub given_at: DateTime<Utc>,
}

/// A child of the family and whether they have a profile (lists).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileRow {
    pub member_id: MemberId,
    pub name: String,
    pub version: Option<i64>,
    pub updated_at: Option<DateTime<Utc>>,
}
