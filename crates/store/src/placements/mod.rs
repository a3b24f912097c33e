//! Where a child lives over time, and the transition reviews at 16 and 18 (issue 12).
//! Recorded by the family's workers; read by the parents on the portal (the contact
//! arrangements and the plan for coming home are theirs to know). A new placement ends
//! the one before on the day it begins, so the history has no gaps or overlaps.

use crate::missing::{child_scope, Reach};
use crate::prelude::*;
use crate::ProfileChild;
use alongside_domain::placements::{transition_due, NewPlacement, PlacementKind, TransitionReview};

/// One placement, as the history lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlacementRow {
    pub id: i64,
    pub kind: PlacementKind,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub contact_arrangements: Option<String>,
    pub exit_plan: Option<String>,
    pub recorded_by: String,
}

/// A transition review held.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransitionReviewRow {
    pub age: i64,
    pub held_on: NaiveDate,
    pub notes: String,
    pub recorded_by: String,
}

/// Where a child has lived, newest first, and the transition reviews held.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChildPlacements {
    pub child: ProfileChild,
    pub history: Vec<PlacementRow>,
    pub reviews: Vec<TransitionReviewRow>,
}

impl ChildPlacements {
    /// Where they live now, if recorded.
    pub fn current(&self) -> Option<&PlacementRow> {
        self.history.iter().find(|p| p.ended_on.is_none())
    }
    /// The transition review they are due, if any (16 or 18).
    pub fn transition_due(&self, today: NaiveDate) -> Option<u32> {
        let held: Vec<u32> = self.reviews.iter().map(|r| r.age as u32).collect();
        self.child
            .date_of_birth
            .and_then(|b| transition_due(b, today, &held))
    }
}

/// A child due a transition review, for the caseload.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransitionDue {
    pub member_id: MemberId,
    pub child_name: String,
    pub family_name: String,
    pub age: u32,
    pub birthday: NaiveDate,
}

/// Placements and transition reviews.
#[async_trait]
pub trait Placements: Send + Sync {
    async fn child_placements(&self, actor: &Actor, child: MemberId) -> Result<ChildPlacements>;
    /// Where the child lives from a date: the current placement ends that day. Refused if
    /// it begins before the current one did (correct that one instead).
    async fn add_placement(
        &self,
        actor: &Actor,
        child: MemberId,
        p: &NewPlacement,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn record_transition_review(
        &self,
        actor: &Actor,
        child: MemberId,
        r: &TransitionReview,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The children of the actor's families due a transition review.
    async fn transitions_due(&self, actor: &Actor, today: NaiveDate) -> Result<Vec<TransitionDue>>;
}

#[async_trait]
impl Placements for SqlStore {
    async fn child_placements(&self, actor: &Actor, child: MemberId) -> Result<ChildPlacements> {
        let mut tx = self.db.read().await?;
        let (fam, child) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        let history = fam
            .query(
                "SELECT p.*, u.display_name FROM placements p JOIN users u ON u.id = p.created_by \
                 WHERE p.child_member_id = $1 AND p.family_id = $2 ORDER BY p.started_on DESC, p.id DESC",
            )
            .bind(child.member_id)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| {
                Ok(PlacementRow {
                    id: r.try_get("id")?,
                    kind: code(&r.try_get::<String>("kind")?)?,
                    started_on: r.try_get("started_on")?,
                    ended_on: r.try_get("ended_on")?,
                    place: r.try_get("place")?,
                    contact_arrangements: r.try_get("contact_arrangements")?,
                    exit_plan: r.try_get("exit_plan")?,
                    recorded_by: r.try_get("display_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let reviews = fam
            .query(
                "SELECT t.*, u.display_name FROM transition_reviews t JOIN users u ON u.id = t.created_by \
                 WHERE t.child_member_id = $1 AND t.family_id = $2 ORDER BY t.age DESC, t.id DESC",
            )
            .bind(child.member_id)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| {
                Ok(TransitionReviewRow {
                    age: r.try_get("age")?,
                    held_on: r.try_get("held_on")?,
                    notes: r.try_get("notes")?,
                    recorded_by: r.try_get("display_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Placement,
                Some(child.member_id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ChildPlacements {
            child,
            history,
            reviews,
        })
    }

    async fn add_placement(
        &self,
        actor: &Actor,
        child: MemberId,
        p: &NewPlacement,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let (fam, who) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        let current = fam
            .query(
                "SELECT id, started_on FROM placements WHERE child_member_id = $1 AND family_id = $2 AND ended_on IS NULL",
            )
            .bind(child)
            .bind_family()
            .fetch_optional(&mut tx)
            .await?;
        if let Some(c) = current {
            let started: NaiveDate = c.try_get("started_on")?;
            if p.from() < started {
                return Err(StoreError::Conflict(Refusal::PlacementBeforeCurrent(
                    started.format("%-d %B %Y").to_string(),
                )));
            }
            let ended = fam
                .query("UPDATE placements SET ended_on = $1 WHERE id = $2 AND family_id = $3 AND ended_on IS NULL")
                .bind(p.from())
                .bind(c.try_get::<i64>("id")?)
                .bind_family()
                .execute(&mut tx)
                .await?;
            if ended.rows_affected() != 1 {
                return Err(StoreError::Conflict(Refusal::ChangedSinceRead));
            }
        }
        let inserted = fam
            .query(
                "INSERT INTO placements (hub_id, family_id, child_member_id, kind, started_on, place, contact_arrangements, exit_plan, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind_hub()
            .bind_family()
            .bind(child)
            .bind(p.kind().code())
            .bind(p.from())
            .bind(p.place().map(str::to_string))
            .bind(p.contact().map(str::to_string))
            .bind(p.exit_plan().map(str::to_string))
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut tx)
            .await;
        // Two new placements at once: the one-current-placement index refuses the second.
        let id: i64 = match inserted {
            Err(e) if crate::db::is_unique_violation(&e) => {
                return Err(StoreError::Conflict(Refusal::ChangedSinceRead))
            }
            other => other?.try_get("id")?,
        };
        let summary = format!(
            "{}: {} from {}",
            who.name(),
            p.kind().label().to_lowercase(),
            p.from().format("%-d %B %Y")
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Placement,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .detail(p.contact())
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::Placement,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_transition_review(
        &self,
        actor: &Actor,
        child: MemberId,
        r: &TransitionReview,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let (fam, who) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        let id: i64 = fam
            .query(
                "INSERT INTO transition_reviews (hub_id, family_id, child_member_id, age, held_on, notes, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind_hub()
            .bind_family()
            .bind(child)
            .bind(r.age as i64)
            .bind(r.held_on)
            .bind(r.notes.clone())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;
        let summary = format!(
            "Transition review at {} for {}: support goes on",
            r.age,
            who.name()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Placement,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .detail(Some(&r.notes))
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::TransitionReview,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn transitions_due(&self, actor: &Actor, today: NaiveDate) -> Result<Vec<TransitionDue>> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        // Children within reach of 16 (born up to 18 years and 8 weeks before today, at
        // most 16 years less 8 weeks): the rule itself is the domain's.
        let born_after = today - chrono::Duration::days(365 * 19);
        let born_before = today - chrono::Duration::days(365 * 15);
        // From the actor's own families (by the allocation indexes) or, for those who see
        // the whole hub, from the children born in the window (by the birth index).
        let mut q = access::hub(actor).query(
            "SELECT m.id, COALESCE(m.known_as, m.given_name) AS child_name, f.name AS family_name, m.date_of_birth, \
             (SELECT MAX(t.age) FROM transition_reviews t WHERE t.child_member_id = m.id AND t.age = 16) AS held16, \
             (SELECT MAX(t.age) FROM transition_reviews t WHERE t.child_member_id = m.id AND t.age = 18) AS held18 \
             FROM family_members m JOIN families f ON f.id = m.family_id WHERE m.hub_id = "
                .to_string(),
        );
        q.push_hub()
            .push(" AND m.member_role IN ('child_at_risk', 'sibling') AND m.date_of_birth > ")
            .push_bind(born_after)
            .push(" AND m.date_of_birth < ")
            .push_bind(born_before);
        if !actor.sees_all_families() {
            q.push(" AND m.family_id IN (SELECT id FROM families WHERE lead_plo_id = ")
                .push_bind(actor.user_id)
                .push(" UNION ALL SELECT id FROM families WHERE csw_id = ")
                .push_bind(actor.user_id)
                .push(")");
        }
        q.push(" ORDER BY m.date_of_birth, m.id LIMIT 500");
        let rows = q.fetch_all(&mut tx).await?;
        let mut list = Vec::new();
        for r in &rows {
            let member_id: MemberId = r.try_get("id")?;
            let born: NaiveDate = r.try_get("date_of_birth")?;
            let mut held = Vec::new();
            for (col, age) in [("held16", 16), ("held18", 18)] {
                if r.try_get::<Option<i64>>(col)?.is_some() {
                    held.push(age);
                }
            }
            if let Some(age) = transition_due(born, today, &held) {
                list.push(TransitionDue {
                    member_id,
                    child_name: r.try_get("child_name")?,
                    family_name: r.try_get("family_name")?,
                    age,
                    birthday: alongside_domain::placements::birthday(born, age),
                });
            }
        }
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::TransitionReview,
                None::<i64>,
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }
}
