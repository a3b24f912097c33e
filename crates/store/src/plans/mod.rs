//! Safety plans for a child of a family, made with the parents (issue 12): every version
//! kept, the parents' words beside the version they read. The support team writes plans;
//! a parent or carer reads their own family's and says what they think; no one else
//! (police, partners, another hub) reaches them.

mod records;

use crate::prelude::*;
use alongside_domain::plans::PLAN_ACTIONS_MAX;

pub use records::*;

/// Safety plans.
#[async_trait]
pub trait SafetyPlans: Send + Sync {
    /// A new plan for a child of the family (its first version).
    async fn add_safety_plan(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewSafetyPlan,
        now: DateTime<Utc>,
    ) -> Result<SafetyPlanId>;
    /// A new version of the plan, made from version `read` (refused if another was made
    /// meanwhile, so that no one's change is lost unseen). Returns the new version.
    async fn revise_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
        read: i64,
        new: &NewSafetyPlan,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// The family's plans (parents pass `None`: their own family's).
    async fn safety_plans(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
    ) -> Result<Vec<SafetyPlanRow>>;
    /// One plan with every version and response, to its family's workers and parents.
    async fn safety_plan(&self, actor: &Actor, id: SafetyPlanId) -> Result<SafetyPlanDetail>;
    /// A parent's or carer's agreement, disagreement or comment on `version`: written by
    /// the parent, or by a worker for the parent named in `for_parent`.
    async fn respond_to_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
        version: i64,
        for_parent: Option<&str>,
        new: &NewPlanResponse,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Plans of the families the actor holds (every family of the hub for a manager)
    /// whose review date is on or before `today`, the longest overdue first.
    async fn plan_reviews_due(&self, actor: &Actor, today: NaiveDate)
        -> Result<Vec<PlanReviewDue>>;
}

/// The family of a plan the actor may reach: a parent or carer their own family's plans,
/// a worker those of families they may see; `NotFound` otherwise.
async fn plan_family(conn: &mut Conn, actor: &Actor, id: SafetyPlanId) -> Result<FamilyScope> {
    let row = access::hub(actor)
        .query("SELECT family_id FROM safety_plans WHERE id = $1 AND hub_id = $2")
        .bind(id)
        .bind_hub()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let family_id: FamilyId = row.try_get("family_id")?;
    access::writable_family(conn, actor, Some(family_id)).await
}

const PLAN_COLUMNS: &str = "p.id, p.family_id, p.child_member_id, COALESCE(m.known_as, m.given_name) AS child_name, \
     p.current_version, p.review_on, p.updated_at, \
     (SELECT r.stance FROM safety_plan_responses r WHERE r.plan_id = p.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1) AS latest_stance";
const PLAN_FROM: &str = "FROM safety_plans p JOIN family_members m ON m.id = p.child_member_id";

fn plan_row(r: &Row) -> Result<SafetyPlanRow> {
    Ok(SafetyPlanRow {
        id: r.try_get("id")?,
        family_id: r.try_get("family_id")?,
        child_id: r.try_get("child_member_id")?,
        child_name: r.try_get("child_name")?,
        version: r.try_get("current_version")?,
        review_on: r.try_get("review_on")?,
        updated_at: r.try_get("updated_at")?,
        latest_stance: opt_code(r.try_get("latest_stance")?)?,
    })
}

/// Writes one version and its actions.
async fn insert_version(
    tx: &mut Conn,
    fam: &FamilyScope,
    actor: &Actor,
    plan: SafetyPlanId,
    version: i64,
    new: &NewSafetyPlan,
    now: DateTime<Utc>,
) -> Result<()> {
    let c = new.content();
    if c.actions.len() > PLAN_ACTIONS_MAX {
        return Err(StoreError::Conflict(Refusal::UnstorableText));
    }
    let version_id: i64 = fam
        .query(
            "INSERT INTO safety_plan_versions (plan_id, hub_id, family_id, version, risks_people, risks_places, risks_online, risks_times, agreed_contacts, what_if, review_on, change_note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(plan)
        .bind_hub()
        .bind_family()
        .bind(version)
        .bind(c.risks_people.clone())
        .bind(c.risks_places.clone())
        .bind(c.risks_online.clone())
        .bind(c.risks_times.clone())
        .bind(c.agreed_contacts.clone())
        .bind(c.what_if.clone())
        .bind(c.review_on)
        .bind(new.change_note().map(str::to_string))
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    for (i, a) in c.actions.iter().enumerate() {
        fam.query(
            "INSERT INTO safety_plan_actions (version_id, hub_id, family_id, position, responsible, name, agency, what) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(version_id)
        .bind_hub()
        .bind_family()
        .bind(i as i64)
        .bind(a.who.code())
        .bind(a.name.clone())
        .bind(a.agency.clone())
        .bind(a.what.clone())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl SafetyPlans for SqlStore {
    async fn add_safety_plan(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewSafetyPlan,
        now: DateTime<Utc>,
    ) -> Result<SafetyPlanId> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let child = new
            .child()
            .ok_or(StoreError::Conflict(Refusal::NotFamilyChild))?;
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let member = fam
            .query(
                "SELECT COALESCE(known_as, given_name) AS name, member_role FROM family_members WHERE id = $1 AND family_id = $2",
            )
            .bind(child)
            .bind_family()
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::Conflict(Refusal::NotFamilyChild))?;
        let role: MemberRole = code(&member.try_get::<String>("member_role")?)?;
        if !matches!(role, MemberRole::ChildAtRisk | MemberRole::Sibling) {
            return Err(StoreError::Conflict(Refusal::NotFamilyChild));
        }
        let name: String = member.try_get("name")?;
        let id: SafetyPlanId = fam
            .query(
                "INSERT INTO safety_plans (hub_id, family_id, child_member_id, current_version, review_on, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, 1, $4, $5, $6, $7) RETURNING id",
            )
            .bind_hub()
            .bind_family()
            .bind(child)
            .bind(new.content().review_on)
            .bind(actor.user_id)
            .bind(now)
            .bind(now)
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;
        insert_version(&mut tx, &fam, actor, id, 1, new, now).await?;
        let summary = format!(
            "Safety plan for {name} agreed; review by {}",
            new.content().review_on.format("%-d %B %Y")
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Plan,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .detail(new.change_note())
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::SafetyPlan,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn revise_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
        read: i64,
        new: &NewSafetyPlan,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = plan_family(&mut tx, actor, id).await?;
        let current: i64 = fam
            .query("SELECT current_version FROM safety_plans WHERE id = $1 AND family_id = $2")
            .bind(id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?
            .try_get("current_version")?;
        if current != read {
            return Err(StoreError::Conflict(Refusal::ChangedSinceRead));
        }
        let version = current + 1;
        insert_version(&mut tx, &fam, actor, id, version, new, now).await?;
        advance_version(&mut tx, &fam, "safety_plans", id.into(), current, now).await?;
        fam.query("UPDATE safety_plans SET review_on = $1 WHERE id = $2 AND family_id = $3")
            .bind(new.content().review_on)
            .bind(id)
            .bind_family()
            .execute(&mut tx)
            .await?;
        let summary = format!(
            "Safety plan changed (version {version}); review by {}",
            new.content().review_on.format("%-d %B %Y")
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Plan,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .detail(new.change_note())
            .source(id),
            &ev(
                AuditAction::Update,
                AuditRecord::SafetyPlan,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn safety_plans(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
    ) -> Result<Vec<SafetyPlanRow>> {
        let mut tx = self.db.read().await?;
        let fam = access::writable_family(&mut tx, actor, family_id).await?;
        let list = fam
            .query(format!(
                "SELECT {PLAN_COLUMNS} {PLAN_FROM} WHERE p.family_id = $1 ORDER BY p.updated_at DESC, p.id DESC"
            ))
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(plan_row)
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::SafetyPlan,
                None::<i64>,
                Some(fam.id()),
            )
            .listing(list.iter().map(|p| p.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn safety_plan(&self, actor: &Actor, id: SafetyPlanId) -> Result<SafetyPlanDetail> {
        let mut tx = self.db.read().await?;
        let fam = plan_family(&mut tx, actor, id).await?;
        let r = fam
            .query(format!(
                "SELECT {PLAN_COLUMNS} {PLAN_FROM} WHERE p.id = $1 AND p.family_id = $2"
            ))
            .bind(id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?;
        let plan = plan_row(&r)?;
        let family_name: String = fam
            .query("SELECT name FROM families WHERE id = $1")
            .bind_family()
            .fetch_one(&mut tx)
            .await?
            .try_get("name")?;
        let mut actions: std::collections::HashMap<i64, Vec<PlanAction>> = Default::default();
        for a in fam
            .query(
                "SELECT v.version, a.responsible, a.name, a.agency, a.what FROM safety_plan_actions a \
                 JOIN safety_plan_versions v ON v.id = a.version_id \
                 WHERE v.plan_id = $1 AND a.family_id = $2 ORDER BY v.version, a.position",
            )
            .bind(id)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
        {
            actions
                .entry(a.try_get("version")?)
                .or_default()
                .push(PlanAction {
                    who: code(&a.try_get::<String>("responsible")?)?,
                    name: a.try_get("name")?,
                    agency: a.try_get("agency")?,
                    what: a.try_get("what")?,
                });
        }
        let versions = fam
            .query(
                "SELECT v.*, u.display_name AS created_by_name FROM safety_plan_versions v \
                 JOIN users u ON u.id = v.created_by \
                 WHERE v.plan_id = $1 AND v.family_id = $2 ORDER BY v.version DESC",
            )
            .bind(id)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|v| {
                let version: i64 = v.try_get("version")?;
                Ok(PlanVersion {
                    version,
                    content: PlanContent {
                        risks_people: v.try_get("risks_people")?,
                        risks_places: v.try_get("risks_places")?,
                        risks_online: v.try_get("risks_online")?,
                        risks_times: v.try_get("risks_times")?,
                        actions: actions.remove(&version).unwrap_or_default(),
                        agreed_contacts: v.try_get("agreed_contacts")?,
                        what_if: v.try_get("what_if")?,
                        review_on: v.try_get("review_on")?,
                    },
                    change_note: v.try_get("change_note")?,
                    created_by: v.try_get("created_by_name")?,
                    created_at: v.try_get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let responses = fam
            .query(
                "SELECT r.version, r.stance, r.words, r.for_parent, r.created_at, u.display_name AS recorded_by_name \
                 FROM safety_plan_responses r JOIN users u ON u.id = r.recorded_by \
                 WHERE r.plan_id = $1 AND r.family_id = $2 ORDER BY r.created_at DESC, r.id DESC",
            )
            .bind(id)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| {
                Ok(PlanResponse {
                    version: r.try_get("version")?,
                    stance: code(&r.try_get::<String>("stance")?)?,
                    words: r.try_get("words")?,
                    recorded_by: r.try_get("recorded_by_name")?,
                    for_parent: r.try_get("for_parent")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::SafetyPlan,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(SafetyPlanDetail {
            plan,
            family_name,
            versions,
            responses,
        })
    }

    async fn respond_to_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
        version: i64,
        for_parent: Option<&str>,
        new: &NewPlanResponse,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let by_parent = actor.role.can(Capability::UseParentPortal);
        if !(by_parent || actor.sees_families()) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = plan_family(&mut tx, actor, id).await?;
        let known = fam
            .query("SELECT 1 AS one FROM safety_plan_versions WHERE plan_id = $1 AND version = $2 AND family_id = $3")
            .bind(id)
            .bind(version)
            .bind_family()
            .fetch_optional(&mut tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound);
        }
        let for_parent = if by_parent { None } else { for_parent };
        fam.query(
            "INSERT INTO safety_plan_responses (plan_id, hub_id, family_id, version, stance, words, recorded_by, for_parent, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind_hub()
        .bind_family()
        .bind(version)
        .bind(new.stance().code())
        .bind(new.words().to_string())
        .bind(actor.user_id)
        .bind(for_parent.map(str::to_string))
        .bind(now)
        .execute(&mut tx)
        .await?;
        let summary = format!(
            "Safety plan (version {version}): {}",
            new.stance().label().to_lowercase()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Plan,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .detail(Some(new.words()))
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::PlanResponse,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn plan_reviews_due(
        &self,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Vec<PlanReviewDue>> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let rows = access::bind_visible(
            access::hub(actor).query(format!(
                "SELECT {PLAN_COLUMNS}, f.name AS family_name {PLAN_FROM} JOIN families f ON f.id = p.family_id WHERE {VISIBLE_FAMILIES} AND p.review_on <= $4 \
                 ORDER BY p.review_on, p.id LIMIT 500"
            )),
            actor,
        )
        .bind(today)
        .fetch_all(&mut tx)
        .await?;
        let tags = crate::families::family_tags(
            &mut tx,
            actor,
            rows.iter()
                .map(|r| r.try_get::<FamilyId>("family_id"))
                .collect::<std::result::Result<Vec<_>, _>>()?
                .into_iter(),
            Utc::now(),
        )
        .await?;
        let due = rows
            .iter()
            .map(|r| {
                let plan = plan_row(r)?;
                Ok(PlanReviewDue {
                    family_tag: tags.get(&plan.family_id).map(|t| t.describe()),
                    family_name: r.try_get("family_name")?,
                    plan,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::SafetyPlan,
                None::<i64>,
                None,
            )
            .listing(due.iter().map(|d| d.plan.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(due)
    }
}
