//! The hub's unit costs (issue 12; the reports of issue 14 read them too): the model's
//! defaults unless the hub's administrator has changed one, each change audited with
//! what it replaced. Not personal data: every member of the hub but parents reads them.

use crate::prelude::*;
use alongside_domain::costs::{pounds, UnitCost};

/// One unit cost as the hub uses it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitCostRow {
    pub cost: UnitCost,
    pub pence: i64,
    /// Who changed it from the default, and when; `None` while it is the default.
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

impl UnitCostRow {
    pub fn pounds(&self) -> String {
        pounds(self.pence)
    }
    pub fn default_pounds(&self) -> String {
        pounds(self.cost.default_pence())
    }
}

/// The hub's unit costs, each found by what it costs.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitCosts {
    pub rows: Vec<UnitCostRow>,
}

impl UnitCosts {
    pub fn pence(&self, cost: UnitCost) -> i64 {
        self.rows
            .iter()
            .find(|r| r.cost == cost)
            .map(|r| r.pence)
            .unwrap_or(cost.default_pence())
    }
}

#[async_trait]
pub trait HubCosts: Send + Sync {
    async fn unit_costs(&self, actor: &Actor) -> Result<UnitCosts>;
    /// The administrator changes one (setting it back to the default keeps the change
    /// on record).
    async fn set_unit_cost(
        &self,
        actor: &Actor,
        cost: UnitCost,
        pence: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

#[async_trait]
impl HubCosts for SqlStore {
    async fn unit_costs(&self, actor: &Actor) -> Result<UnitCosts> {
        if actor.role.can(Capability::UseParentPortal) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let stored = access::hub(actor)
            .query(
                "SELECT c.cost, c.pence, c.updated_at, u.display_name FROM unit_costs c \
                 JOIN users u ON u.id = c.updated_by WHERE c.hub_id = $1",
            )
            .bind_hub()
            .fetch_all(&mut tx)
            .await?;
        tx.commit().await?;
        let mut rows = Vec::new();
        for cost in UnitCost::ALL {
            let found = stored
                .iter()
                .find(|r| r.try_get::<String>("cost").ok().as_deref() == Some(cost.code()));
            rows.push(match found {
                Some(r) => UnitCostRow {
                    cost: *cost,
                    pence: r.try_get("pence")?,
                    changed_by: r.try_get("display_name")?,
                    changed_at: r.try_get("updated_at")?,
                },
                None => UnitCostRow {
                    cost: *cost,
                    pence: cost.default_pence(),
                    changed_by: None,
                    changed_at: None,
                },
            });
        }
        Ok(UnitCosts { rows })
    }

    async fn set_unit_cost(
        &self,
        actor: &Actor,
        cost: UnitCost,
        pence: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::ManageUsers) {
            return Err(StoreError::NotFound);
        }
        if !(0..=alongside_domain::costs::MAX_PENCE).contains(&pence) {
            return Err(StoreError::Conflict(Refusal::UnstorableText));
        }
        let mut tx = self.db.write().await?;
        let before: i64 = access::hub(actor)
            .query("SELECT pence FROM unit_costs WHERE hub_id = $1 AND cost = $2")
            .bind_hub()
            .bind(cost.code())
            .fetch_optional(&mut tx)
            .await?
            .map(|r| r.try_get("pence"))
            .transpose()?
            .unwrap_or(cost.default_pence());
        // One statement, so two saves at once both succeed, the later winning.
        access::hub(actor)
            .query(
                "INSERT INTO unit_costs (hub_id, cost, pence, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (hub_id, cost) DO UPDATE SET pence = excluded.pence, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind_hub()
            .bind(cost.code())
            .bind(pence)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut tx)
            .await?;
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Update,
                AuditRecord::HubSetting,
                Some(actor.hub_id),
                None,
            )
            .change(
                format!("{}: {}", cost.code(), pounds(before)),
                format!("{}: {}", cost.code(), pounds(pence)),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
