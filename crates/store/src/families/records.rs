//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilySummary {
    pub id: FamilyId,
    pub name: String,
    /// How to tell it from other families of the same name.
    pub tag: FamilyTag,
    pub threshold: Option<Threshold>,
    pub lead_plo: Option<String>,
    pub csw: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Family {
    pub id: FamilyId,
    pub name: String,
    pub threshold: Option<Threshold>,
    pub strengths: Option<String>,
    pub own_words: Option<String>,
    pub lead_plo_id: Option<UserId>,
    pub lead_plo: Option<String>,
    pub csw_id: Option<UserId>,
    pub csw: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The area it lives in, which tells families of one name apart in lists.
    pub area: Option<String>,
    /// Its address: never passed to the police (submissions replace it).
    pub address: Option<String>,
    /// When the case was closed, if it is closed now (see `Continuity`).
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: MemberId,
    pub given_name: String,
    pub family_name: String,
    pub known_as: Option<String>,
    pub member_role: MemberRole,
    pub carer_kind: Option<CarerKind>,
    pub date_of_birth: Option<NaiveDate>,
    pub relationship: Option<String>,
    pub lives: Option<LivingSituation>,
    pub lives_since: Option<NaiveDate>,
}

/// The command this area takes in, with its rules, lives in the domain crate.
pub use alongside_domain::family::NewMember;

/// Everything the family page shows, read in a bounded number of queries.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilyPage {
    pub family: Family,
    pub members: Vec<Member>,
    pub referrals: Vec<ReferralRow>,
    pub upcoming: Vec<Contact>,
    pub recent: Vec<ChronologyEntry>,
    pub chronology_total: i64,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub last_contact: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseloadRow {
    pub family_id: FamilyId,
    pub family_name: String,
    pub tag: FamilyTag,
    pub threshold: Option<Threshold>,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub last_contact: Option<NaiveDateTime>,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub next_planned: Option<NaiveDateTime>,
    /// Planned contacts whose time has passed without a held contact being recorded.
    pub overdue: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CapacityRow {
    pub user_id: UserId,
    pub display_name: String,
    pub role: Role,
    pub high: i64,
    pub medium: i64,
    pub low: i64,
    pub not_set: i64,
}

impl Family {
    /// The version of its strengths and own words, as an ETag: what a change through the
    /// API must name in If-Match, so that two people cannot overwrite each other unseen.
    pub fn strengths_tag(&self) -> String {
        strengths_tag(self.strengths.as_deref(), self.own_words.as_deref())
    }
}

/// The version of a family's strengths and own words (a strong ETag, quoted).
pub fn strengths_tag(strengths: Option<&str>, own_words: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(strengths.unwrap_or("").as_bytes());
    h.update([0u8]);
    h.update(own_words.unwrap_or("").as_bytes());
    format!("\"{}\"", hex::encode(&h.finalize()[..10]))
}

impl CapacityRow {
    pub fn total(&self) -> i64 {
        self.high + self.medium + self.low + self.not_set
    }

    /// The caseload weighed by threshold (a family not yet given one counts as low).
    pub fn load(&self, rules: &CaseloadRules) -> i64 {
        self.high * rules.weight_high
            + self.medium * rules.weight_medium
            + (self.low + self.not_set) * rules.weight_low
    }
}

/// How a hub weighs caseloads: a limit per worker, in weighted points, and what a family
/// at each threshold counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CaseloadRules {
    pub limit: i64,
    pub weight_high: i64,
    pub weight_medium: i64,
    pub weight_low: i64,
}

impl Default for CaseloadRules {
    fn default() -> Self {
        CaseloadRules {
            limit: 20,
            weight_high: 3,
            weight_medium: 2,
            weight_low: 1,
        }
    }
}

/// What tells a family from others of the same name ("Ivesdale family" five times): its
/// reference, its children's first names and ages, and its area. For the hub's workers
/// only: the police never see a family's reference.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct FamilyTag {
    /// "F-00042".
    pub reference: String,
    /// First names (as known) and ages, eldest first.
    pub children: Vec<(String, Option<u32>)>,
    pub area: Option<String>,
}

impl FamilyTag {
    /// "F-00042 · Ash 14, Bea 9 · North Ashby".
    pub fn describe(&self) -> String {
        let mut parts = vec![self.reference.clone()];
        if !self.children.is_empty() {
            parts.push(
                self.children
                    .iter()
                    .map(|(n, a)| match a {
                        Some(a) => format!("{n} {a}"),
                        None => n.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if let Some(a) = &self.area {
            parts.push(a.clone());
        }
        parts.join(" \u{b7} ")
    }
}
