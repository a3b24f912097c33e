//! The network picture's rows, and merging people of concern.

mod records;

use crate::prelude::*;

pub use records::*;

/// The network and merges.
#[async_trait]
pub trait Network: Send + Sync {
    /// Every identifier recorded in the hub (those who may see the whole network), or, for
    /// one family, its identifiers and those of other families that share one with it;
    /// recorded between `from` and `to` when given.
    async fn network_rows(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Result<Vec<NetworkRow>>;
    /// Records that two names (as normalised in the identifiers) are one person of concern.
    async fn merge_people(
        &self,
        actor: &Actor,
        name_a: &str,
        name_b: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<MergeId>;
    /// Undoes a merge; the merge stays in the record, marked undone, with the reason.
    async fn unmerge_people(
        &self,
        actor: &Actor,
        merge_id: MergeId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The hub's merges, made and undone (names only: no family is named).
    async fn person_merges(&self, actor: &Actor) -> Result<Vec<PersonMerge>>;
}

#[async_trait]
impl Network for SqlStore {
    async fn network_rows(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Result<Vec<NetworkRow>> {
        let mut tx = self.db.read().await?;
        match family_id {
            Some(f) => {
                access::family(&mut tx, actor, f).await?;
            }
            None if actor.role.can(Capability::ViewNetwork) => {}
            None => return Err(StoreError::NotFound),
        }
        // Dates are UK days; stored times are UTC: widen by a day each side and
        // let the caller's filter be exact on the day (a record at 00:30 BST).
        let from_t = from.map(|d| {
            d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::days(1)
        });
        let to_t = to.map(|d| {
            d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + chrono::Duration::days(2)
        });
        let rows = access::hub(actor).query(format!(
            "SELECT i.family_id, CASE WHEN $2 OR f.lead_plo_id = $3 OR f.csw_id = $3 THEN f.name END AS family_name, \
             i.source_type, i.source_id, i.kind, i.value, i.created_at, e.how_known, COALESCE(e.recorder_role, u.role) AS recorder_role \
             FROM identifiers i JOIN families f ON f.id = i.family_id \
             LEFT JOIN info_entries e ON i.source_type = 'entry' AND e.id = i.source_id \
             LEFT JOIN incidents n ON i.source_type = 'incident' AND n.id = i.source_id LEFT JOIN users u ON u.id = n.recorded_by \
             WHERE i.hub_id = $1 AND i.status <> 'rejected' AND i.recognised = $7 \
             AND ($4 = 0 OR i.family_id = $4 OR EXISTS (SELECT 1 FROM identifiers j WHERE j.family_id = $4 AND j.kind = i.kind AND j.value = i.value AND j.status <> 'rejected')) \
             AND ($5 IS NULL OR i.created_at >= $5) AND ($6 IS NULL OR i.created_at < $6) \
             AND {} \
             ORDER BY i.id LIMIT 200000",
            access::hub_view(actor).passed("i.source_type", "i.source_id", "i.kind", "i.value"),
        ))
        .bind_hub()
        .bind(actor.sees_all_families())
        .bind(actor.user_id)
        .bind(family_id.map_or(0, FamilyId::get))
        .bind(from_t)
        .bind(to_t)
        .bind(true)
        .fetch_all(&mut tx)
        .await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(NetworkRow {
                    family_id: r.try_get("family_id")?,
                    family_name: r.try_get("family_name")?,
                    source_type: r.try_get("source_type")?,
                    source_id: r.try_get("source_id")?,
                    kind: code(&r.try_get::<String>("kind")?)?,
                    value: r.try_get("value")?,
                    recorded_at: r.try_get("created_at")?,
                    recorder_role: opt_code(r.try_get("recorder_role")?)?,
                    how_known: opt_code(r.try_get("how_known")?)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Network,
                None::<i64>,
                family_id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn merge_people(
        &self,
        actor: &Actor,
        name_a: &str,
        name_b: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<MergeId> {
        if !actor.role.can(Capability::ViewNetwork) {
            return Err(StoreError::NotFound);
        }
        if name_a == name_b {
            return Err(Refusal::SameNames.into());
        }
        let mut tx = self.db.write().await?;
        for n in [name_a, name_b] {
            let known = access::hub(actor).query("SELECT id FROM identifiers WHERE hub_id = $1 AND kind = 'person' AND value = $2 AND status <> 'rejected' LIMIT 1")
                .bind_hub()
                .bind(n)
                .fetch_optional(&mut tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        let dup = access::hub(actor).query("SELECT id FROM person_merges WHERE hub_id = $1 AND unmerged_at IS NULL AND ((name_a = $2 AND name_b = $3) OR (name_a = $3 AND name_b = $2))")
            .bind_hub()
            .bind(name_a)
            .bind(name_b)
            .fetch_optional(&mut tx)
            .await?;
        if dup.is_some() {
            return Err(Refusal::AlreadyMerged.into());
        }
        let id: MergeId = access::hub(actor).query("INSERT INTO person_merges (hub_id, name_a, name_b, reason, merged_by, merged_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind_hub()
            .bind(name_a)
            .bind(name_b)
            .bind(reason)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;
        audit::write(
            &mut tx,
            actor,
            &ev(AuditAction::Merge, AuditRecord::Person, Some(id), None),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn unmerge_people(
        &self,
        actor: &Actor,
        merge_id: MergeId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::ViewNetwork) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let done = access::hub(actor).query("UPDATE person_merges SET unmerged_by = $1, unmerged_at = $2, unmerge_reason = $3 WHERE id = $4 AND hub_id = $5 AND unmerged_at IS NULL")
            .bind(actor.user_id)
            .bind(now)
            .bind(reason)
            .bind(merge_id)
            .bind_hub()
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Unmerge,
                AuditRecord::Person,
                Some(merge_id),
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn person_merges(&self, actor: &Actor) -> Result<Vec<PersonMerge>> {
        if !actor.role.can(Capability::ViewNetwork) && !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::PersonMerge,
                None::<i64>,
                None,
            ),
        )
        .await?;
        let rows = access::hub(actor).query(
            "SELECT m.id, m.name_a, m.name_b, m.reason, a.display_name AS merged_by_name, m.merged_at, b.display_name AS unmerged_by_name, m.unmerged_at, m.unmerge_reason \
             FROM person_merges m JOIN users a ON a.id = m.merged_by LEFT JOIN users b ON b.id = m.unmerged_by WHERE m.hub_id = $1 ORDER BY m.id",
        )
        .bind_hub()
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PersonMerge {
                    id: r.try_get("id")?,
                    name_a: r.try_get("name_a")?,
                    name_b: r.try_get("name_b")?,
                    reason: r.try_get("reason")?,
                    merged_by: r.try_get("merged_by_name")?,
                    merged_at: r.try_get("merged_at")?,
                    unmerged_by: r.try_get("unmerged_by_name")?,
                    unmerged_at: r.try_get("unmerged_at")?,
                    unmerge_reason: r.try_get("unmerge_reason")?,
                })
            })
            .collect()
    }
}
