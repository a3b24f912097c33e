//! The records the store hands out and takes in. Rows hold domain types, not raw codes.

use alongside_domain::family::{
    CarerKind, ChronologyKind, ContactKind, ContactStatus, LivingSituation, MemberRole, Visibility,
};
use alongside_domain::referral::{
    Indicator, ReferralSource, ReferralStatus, Threshold, TriageDecision,
};
use alongside_domain::roles::Role;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;

/// One page of a longer list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many there are in all (for "showing 1 to 50 of 812").
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hub {
    pub id: i64,
    pub name: String,
    pub first_contact_target_days: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

/// A user with the password hash, for signing in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub hub_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

/// A person named in a referral.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub carer_kind: Option<CarerKind>,
}

#[derive(Debug, Clone)]
pub struct NewReferral {
    pub source: ReferralSource,
    pub received_on: NaiveDate,
    pub referrer_name: String,
    pub referrer_contact: Option<String>,
    pub reasons: String,
    pub indicators: Vec<Indicator>,
    pub indicators_other: Option<String>,
    pub consent_to_share: bool,
    pub children: Vec<NewPerson>,
    pub carers: Vec<NewPerson>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralCreated {
    pub referral_id: i64,
    pub family_id: i64,
    /// How many referrals the family had before this one (0: new to the hub); only for
    /// those who see the whole hub.
    pub earlier_referrals: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralRow {
    pub id: i64,
    pub family_id: i64,
    pub family_name: String,
    pub source: ReferralSource,
    pub received_on: NaiveDate,
    pub status: ReferralStatus,
    pub threshold: Option<Threshold>,
    pub is_rereferral: bool,
    pub triaged_at: Option<NaiveDateTime>,
    pub first_contact_at: Option<NaiveDateTime>,
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
    pub lead_plo_id: Option<i64>,
    pub csw_id: Option<i64>,
    pub created_by: String,
    /// Earlier referrals of the same family, newest first (empty for a referrer who
    /// does not hold the family).
    pub earlier: Vec<ReferralRow>,
    /// For managers: other families with a child of the same name.
    pub possible_matches: Vec<FamilyRef>,
}

/// A family named by id and name only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilyRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Triage {
    pub threshold: Threshold,
    pub reasoning: String,
    pub decision: TriageDecision,
    pub plo_id: Option<i64>,
    pub csw_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilySummary {
    pub id: i64,
    pub name: String,
    pub threshold: Option<Threshold>,
    pub lead_plo: Option<String>,
    pub csw: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Family {
    pub id: i64,
    pub name: String,
    pub threshold: Option<Threshold>,
    pub strengths: Option<String>,
    pub own_words: Option<String>,
    pub lead_plo_id: Option<i64>,
    pub lead_plo: Option<String>,
    pub csw_id: Option<i64>,
    pub csw: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: i64,
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

#[derive(Debug, Clone)]
pub struct NewMember {
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: i64,
    pub kind: ContactKind,
    pub status: ContactStatus,
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: Option<i64>,
    pub participants: Option<String>,
    /// `None` when the reader may not see a confidential note.
    pub note: Option<String>,
    pub visibility: Visibility,
    pub recorded_by: String,
}

#[derive(Debug, Clone)]
pub struct NewContact {
    pub kind: ContactKind,
    pub status: ContactStatus,
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: Option<i64>,
    pub participants: Option<String>,
    pub note: Option<String>,
    pub visibility: Visibility,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChronologyEntry {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub kind: ChronologyKind,
    pub summary: String,
    pub detail: Option<String>,
    pub visibility: Visibility,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default)]
pub struct ChronologyFilter {
    /// Empty means every kind.
    pub kinds: Vec<ChronologyKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
    /// Oldest first (for export) rather than newest first.
    pub oldest_first: bool,
}

/// Everything the family page shows, read in a bounded number of queries.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilyPage {
    pub family: Family,
    pub members: Vec<Member>,
    pub referrals: Vec<ReferralRow>,
    pub upcoming: Vec<Contact>,
    pub recent: Vec<ChronologyEntry>,
    pub chronology_total: i64,
    pub last_contact: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseloadRow {
    pub family_id: i64,
    pub family_name: String,
    pub threshold: Option<Threshold>,
    pub last_contact: Option<NaiveDateTime>,
    pub next_planned: Option<NaiveDateTime>,
    /// Planned contacts whose time has passed without a held contact being recorded.
    pub overdue: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CapacityRow {
    pub user_id: i64,
    pub display_name: String,
    pub role: Role,
    pub high: i64,
    pub medium: i64,
    pub low: i64,
    pub not_set: i64,
}

impl CapacityRow {
    pub fn total(&self) -> i64 {
        self.high + self.medium + self.low + self.not_set
    }
}

/// What an audit event says was done.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: &'static str,
    pub record_type: &'static str,
    pub record_id: Option<i64>,
    pub family_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub username: String,
    pub role: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<i64>,
    pub family_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub family_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}
