//! The records of this area that the store hands out and takes in.

use super::*;
#[allow(unused_imports)]
use crate::*;

/// The commands this area takes in, with their rules, live in the domain crate.
pub use alongside_domain::plans::{
    Change, DiffLine, Difference, NewPlanResponse, NewSafetyPlan, PlanAction, PlanContent,
    Responsible, Stance,
};

/// A safety plan in a list: the family's plans, or the plans whose review is due.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SafetyPlanRow {
    pub id: SafetyPlanId,
    pub family_id: FamilyId,
    pub child_id: MemberId,
    /// The child's first name as the family uses it (known as, or given name).
    pub child_name: String,
    pub version: i64,
    pub review_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
    /// What a parent or carer last said of it, if anything.
    pub latest_stance: Option<Stance>,
}

/// A plan whose review date has come, with the family it belongs to (caseload, managers).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanReviewDue {
    pub plan: SafetyPlanRow,
    pub family_name: String,
    /// What tells the family from others of its name.
    pub family_tag: Option<String>,
}

/// One version of a plan, as it was agreed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanVersion {
    pub version: i64,
    pub content: PlanContent,
    /// What changed and why (the first version: how it was made, if said).
    pub change_note: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// What a parent or carer said of a version, in their own words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanResponse {
    pub version: i64,
    pub stance: Stance,
    pub words: String,
    /// Who wrote it down: the parent themselves, or a worker.
    pub recorded_by: String,
    /// When a worker wrote it down: whose words they are.
    pub for_parent: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A plan with every version (newest first) and every response.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SafetyPlanDetail {
    pub plan: SafetyPlanRow,
    pub family_name: String,
    pub versions: Vec<PlanVersion>,
    pub responses: Vec<PlanResponse>,
}

impl SafetyPlanDetail {
    /// The version in force.
    pub fn current(&self) -> &PlanVersion {
        &self.versions[0]
    }

    /// A version by number.
    pub fn version(&self, n: i64) -> Option<&PlanVersion> {
        self.versions.iter().find(|v| v.version == n)
    }

    /// What changed in version `n` from the one before it (none for the first).
    pub fn changes_in(&self, n: i64) -> Vec<Difference> {
        match (self.version(n - 1), self.version(n)) {
            (Some(before), Some(after)) => {
                alongside_domain::plans::differences(&before.content, &after.content)
            }
            _ => Vec::new(),
        }
    }
}
