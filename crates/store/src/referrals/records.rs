//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The commands this area takes in, with their rules, live in the domain crate.
pub use alongside_domain::referral::{NewPerson, NewReferral, Triage};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralCreated {
    pub referral_id: ReferralId,
    /// The family it was filed under: only for those who see the whole hub.
    pub family_id: Option<FamilyId>,
    /// How many referrals the family had before this one (0: new to the hub); only for
    /// those who see the whole hub.
    pub earlier_referrals: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralRow {
    pub id: ReferralId,
    /// The family it is filed under; none for a referrer who does not hold the family.
    pub family_id: Option<FamilyId>,
    pub family_name: String,
    pub source: ReferralSource,
    pub received_on: NaiveDate,
    pub status: ReferralStatus,
    pub threshold: Option<Threshold>,
    pub is_rereferral: bool,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub triaged_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub first_contact_at: Option<NaiveDateTime>,
    /// What tells the family from others of its name (the managers' referral list), in
    /// words ("F-00042 · Ash 14 · North Ashby").
    pub family_label: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralDetail {
    #[serde(flatten)]
    pub row: ReferralRow,
    pub referrer_name: String,
    pub referrer_contact: Option<String>,
    pub reasons: String,
    pub indicators: Vec<Indicator>,
    pub indicators_other: Option<String>,
    pub consent_to_share: bool,
    pub decision: Option<TriageDecision>,
    pub threshold_reasoning: Option<String>,
    pub triaged_by: Option<String>,
    pub lead_plo_id: Option<UserId>,
    pub csw_id: Option<UserId>,
    pub created_by: String,
    /// Earlier referrals of the same family, newest first (empty for a referrer who
    /// does not hold the family).
    pub earlier: Vec<ReferralRow>,
    /// For managers: other families with a child of the same name.
    pub possible_matches: Vec<FamilyRef>,
    /// The family's reference, its children's first names and ages, and area: for those
    /// who hold the family only.
    pub family_tag: Option<crate::FamilyTag>,
}

/// A family named by id and name only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilyRef {
    pub id: FamilyId,
    pub name: String,
}

/// A hub's bank holidays: its nation's (shipped with the program) and those it added.
#[derive(Debug, Clone)]
pub struct HubHolidays {
    pub nation: alongside_domain::workdays::Nation,
    pub added: Vec<AddedHoliday>,
}

impl HubHolidays {
    /// The days working days skip, besides weekends.
    pub fn holidays(&self) -> alongside_domain::workdays::Holidays {
        alongside_domain::workdays::Holidays::of(self.nation, self.added.iter().map(|a| a.day))
    }
}

/// A bank holiday a hub's administrator added.
#[derive(Debug, Clone)]
pub struct AddedHoliday {
    pub day: NaiveDate,
    pub title: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}
