//! Continuity and closure (issue 12): who has worked with a family over time (each
//! allocation kept, ended rather than overwritten when a worker changes), a manager
//! changing the workers, and closing a case (by a manager only, with the reason, the
//! parent's view and a step-down plan) or reopening it, the whole history kept.

use crate::accounts::is_hub_worker;
use crate::prelude::*;
use alongside_domain::continuity::Closure;

/// One worker's time with a family.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AllocationRow {
    /// "plo" or "csw".
    pub role: Role,
    pub worker: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Why the worker changed, when a manager said.
    pub reason: Option<String>,
}

/// A closure of the case, and its reopening if it was reopened.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClosureRow {
    pub closed_at: DateTime<Utc>,
    pub closed_by: String,
    pub reason: String,
    pub parent_view: String,
    pub step_down_plan: String,
    pub reopened_at: Option<DateTime<Utc>>,
    pub reopened_by: Option<String>,
    pub reopen_reason: Option<String>,
}

/// The workers and the closures of a family.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilyContinuity {
    /// Newest first.
    pub allocations: Vec<AllocationRow>,
    /// Newest first.
    pub closures: Vec<ClosureRow>,
}

impl FamilyContinuity {
    /// The closure in force, if the case is closed now.
    pub fn closed(&self) -> Option<&ClosureRow> {
        self.closures.first().filter(|c| c.reopened_at.is_none())
    }
}

#[async_trait]
pub trait Continuity: Send + Sync {
    /// The family's workers over time and its closures (the family's workers and managers).
    async fn continuity(&self, actor: &Actor, family: FamilyId) -> Result<FamilyContinuity>;
    /// A manager changes the family's lead PLO and CSW, saying why: the allocations
    /// they replace end now and are kept.
    async fn reallocate(
        &self,
        actor: &Actor,
        family: FamilyId,
        plo: UserId,
        csw: Option<UserId>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// A manager closes the case. Refused if it is closed already.
    async fn close_case(
        &self,
        actor: &Actor,
        family: FamilyId,
        c: &Closure,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// A manager reopens a closed case, saying why; its history is as it was.
    async fn reopen_case(
        &self,
        actor: &Actor,
        family: FamilyId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

/// Records who holds the family for `role` from now: ends the open allocation of anyone
/// else, and opens one for `user` if they do not hold it already. In the transaction of
/// the change to `families`.
pub(crate) async fn allocate(
    conn: &mut Conn,
    fam: &FamilyScope,
    actor: &Actor,
    role: Role,
    user: Option<UserId>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let open: Option<UserId> = fam
        .query(
            "SELECT user_id FROM allocations WHERE family_id = $1 AND role = $2 AND ended_at IS NULL",
        )
        .bind_family()
        .bind(role.code())
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("user_id"))
        .transpose()?;
    if open == user {
        return Ok(());
    }
    fam.query(
        "UPDATE allocations SET ended_at = $1 WHERE family_id = $2 AND role = $3 AND ended_at IS NULL",
    )
    .bind(now)
    .bind_family()
    .bind(role.code())
    .execute(&mut *conn)
    .await?;
    if let Some(user) = user {
        fam.query(
            "INSERT INTO allocations (hub_id, family_id, role, user_id, started_at, reason, allocated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind_hub()
        .bind_family()
        .bind(role.code())
        .bind(user)
        .bind(now)
        .bind(reason.map(str::to_string))
        .bind(actor.user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn checked_reason(reason: &str) -> Result<&str> {
    let r = reason.trim();
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if r.is_empty() || r.chars().count() > 10_000 || r.chars().any(control) {
        return Err(StoreError::Conflict(Refusal::UnstorableText));
    }
    Ok(r)
}

#[async_trait]
impl Continuity for SqlStore {
    async fn continuity(&self, actor: &Actor, family: FamilyId) -> Result<FamilyContinuity> {
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, family).await?;
        let allocations = fam
            .query(
                "SELECT a.role, a.started_at, a.ended_at, a.reason, u.display_name FROM allocations a \
                 JOIN users u ON u.id = a.user_id WHERE a.family_id = $1 ORDER BY a.started_at DESC, a.id DESC",
            )
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| {
                Ok(AllocationRow {
                    role: code(&r.try_get::<String>("role")?)?,
                    worker: r.try_get("display_name")?,
                    started_at: r.try_get("started_at")?,
                    ended_at: r.try_get("ended_at")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let closures = fam
            .query(
                "SELECT c.*, a.display_name AS closer, b.display_name AS reopener FROM case_closures c \
                 JOIN users a ON a.id = c.closed_by LEFT JOIN users b ON b.id = c.reopened_by \
                 WHERE c.family_id = $1 ORDER BY c.closed_at DESC, c.id DESC",
            )
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| {
                Ok(ClosureRow {
                    closed_at: r.try_get("closed_at")?,
                    closed_by: r.try_get("closer")?,
                    reason: r.try_get("reason")?,
                    parent_view: r.try_get("parent_view")?,
                    step_down_plan: r.try_get("step_down_plan")?,
                    reopened_at: r.try_get("reopened_at")?,
                    reopened_by: r.try_get("reopener")?,
                    reopen_reason: r.try_get("reopen_reason")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Allocation,
                None::<i64>,
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(FamilyContinuity {
            allocations,
            closures,
        })
    }

    async fn reallocate(
        &self,
        actor: &Actor,
        family: FamilyId,
        plo: UserId,
        csw: Option<UserId>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::CloseCases) {
            return Err(StoreError::NotFound);
        }
        let reason = checked_reason(reason)?;
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family).await?;
        let plo_name = is_hub_worker(&mut tx, actor.hub_id, plo, Role::Plo)
            .await?
            .ok_or(StoreError::Conflict(Refusal::NotHubPlo))?;
        let csw_name = match csw {
            Some(c) => Some(
                is_hub_worker(&mut tx, actor.hub_id, c, Role::Csw)
                    .await?
                    .ok_or(StoreError::Conflict(Refusal::NotHubCsw))?,
            ),
            None => None,
        };
        fam.query("UPDATE families SET lead_plo_id = $1, csw_id = $2 WHERE id = $3")
            .bind(plo)
            .bind(csw)
            .bind_family()
            .execute(&mut tx)
            .await?;
        allocate(
            &mut tx,
            &fam,
            actor,
            Role::Plo,
            Some(plo),
            Some(reason),
            now,
        )
        .await?;
        allocate(&mut tx, &fam, actor, Role::Csw, csw, Some(reason), now).await?;
        let summary = match &csw_name {
            Some(c) => format!("Workers now: {plo_name} (PLO) and {c} (CSW)"),
            None => format!("Workers now: {plo_name} (PLO), no CSW"),
        };
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Allocation,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .detail(Some(reason)),
            &ev(
                AuditAction::Update,
                AuditRecord::Allocation,
                None::<i64>,
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn close_case(
        &self,
        actor: &Actor,
        family: FamilyId,
        c: &Closure,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::CloseCases) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family).await?;
        // The change of the family row is the guard: of two closes at once, one changes it.
        let closed = fam
            .query("UPDATE families SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
            .bind(now)
            .bind_family()
            .execute(&mut tx)
            .await?;
        if closed.rows_affected() != 1 {
            return Err(StoreError::Conflict(Refusal::AlreadyClosed));
        }
        // The police's reading of a shared profile ends with the case.
        fam.query(
            "UPDATE profile_shares SET withdrawn_by = $1, withdrawn_at = $2 WHERE family_id = $3 AND withdrawn_at IS NULL",
        )
        .bind(actor.user_id)
        .bind(now)
        .bind_family()
        .execute(&mut tx)
        .await?;
        let id: i64 = fam
            .query(
                "INSERT INTO case_closures (hub_id, family_id, closed_at, closed_by, reason, parent_view, step_down_plan) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind_hub()
            .bind_family()
            .bind(now)
            .bind(actor.user_id)
            .bind(c.reason.clone())
            .bind(c.parent_view.clone())
            .bind(c.step_down.clone())
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Closure,
                uk_local(now),
                "Case closed by the manager, with a step-down plan",
                Visibility::Shareable,
            )
            .detail(Some(&c.reason))
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::Closure,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reopen_case(
        &self,
        actor: &Actor,
        family: FamilyId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::CloseCases) {
            return Err(StoreError::NotFound);
        }
        let reason = checked_reason(reason)?;
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family).await?;
        let reopened = fam
            .query("UPDATE families SET closed_at = NULL WHERE id = $1 AND closed_at IS NOT NULL")
            .bind_family()
            .execute(&mut tx)
            .await?;
        if reopened.rows_affected() != 1 {
            return Err(StoreError::Conflict(Refusal::NotClosed));
        }
        fam.query(
            "UPDATE case_closures SET reopened_at = $1, reopened_by = $2, reopen_reason = $3 \
             WHERE family_id = $4 AND reopened_at IS NULL",
        )
        .bind(now)
        .bind(actor.user_id)
        .bind(reason.to_string())
        .bind_family()
        .execute(&mut tx)
        .await?;
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Closure,
                uk_local(now),
                "Case reopened by the manager",
                Visibility::Shareable,
            )
            .detail(Some(reason)),
            &ev(
                AuditAction::Update,
                AuditRecord::Closure,
                None::<i64>,
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
