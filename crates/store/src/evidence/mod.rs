//! Evidence items and their chain of custody (append-only in the database itself).

mod records;

use crate::prelude::*;

pub use records::*;

/// Evidence and custody.
#[async_trait]
pub trait Evidence: Send + Sync {
    async fn add_evidence(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewEvidence,
        now: DateTime<Utc>,
    ) -> Result<EvidenceId>;
    /// A family's evidence (workers), or the hub's (police partners) when `None`.
    async fn evidence_items(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
    ) -> Result<Vec<EvidenceRow>>;
    async fn evidence_item(&self, actor: &Actor, id: EvidenceId) -> Result<EvidenceDetail>;
    async fn add_custody_event(
        &self,
        actor: &Actor,
        item_id: EvidenceId,
        new: &NewCustodyEvent,
        now: DateTime<Utc>,
    ) -> Result<i64>;
}

#[async_trait]
impl Evidence for SqlStore {
    async fn add_evidence(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewEvidence,
        now: DateTime<Utc>,
    ) -> Result<EvidenceId> {
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let id: EvidenceId = fam.query(
            "INSERT INTO evidence_items (hub_id, family_id, kind, description, found_by, found_at, found_where, storage, reference_numbers, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind_hub()
        .bind_family()
        .bind(new.kind().code())
        .bind(new.description())
        .bind(new.found_by())
        .bind(new.found_at())
        .bind(new.found_where())
        .bind(new.storage())
        .bind(new.reference_numbers())
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        let summary = format!(
            "Evidence recorded: {} ({})",
            opening(new.description(), 80),
            new.kind().label().to_lowercase()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Evidence,
                new.found_at(),
                &summary,
                Visibility::Shareable,
            )
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::Evidence,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn evidence_items(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
    ) -> Result<Vec<EvidenceRow>> {
        let mut tx = self.db.read().await?;
        let hub_wide = match family_id {
            Some(f) => {
                access::family(&mut tx, actor, f).await?;
                false
            }
            None if actor.role.can(Capability::HandleHubEvidence) => true,
            None => return Err(StoreError::NotFound),
        };
        let rows = access::hub(actor).query(
            "SELECT v.id, v.family_id, f.name AS family_name, v.kind, v.description, v.found_at, v.found_by, \
             (SELECT c.handed_to FROM custody_events c WHERE c.item_id = v.id AND c.kind = 'transfer' ORDER BY c.seq DESC LIMIT 1) AS holder \
             FROM evidence_items v JOIN families f ON f.id = v.family_id WHERE v.hub_id = $1 AND ($2 OR v.family_id = $3) ORDER BY v.found_at DESC, v.id DESC LIMIT 1000",
        )
        .bind_hub()
        .bind(hub_wide)
        .bind(family_id.map_or(0, FamilyId::get))
        .fetch_all(&mut tx)
        .await?;
        let list = rows
            .iter()
            .map(|r| {
                let found_by: String = r.try_get("found_by")?;
                Ok(EvidenceRow {
                    id: r.try_get("id")?,
                    // Police partners handle the item, not the family: no name, no id that other pages could tie to it.
                    family_id: if access::hub_view(actor).names_families() {
                        r.try_get("family_id")?
                    } else {
                        None
                    },
                    family_name: if access::hub_view(actor).names_families() {
                        r.try_get("family_name")?
                    } else {
                        "A family the hub supports".to_string()
                    },
                    kind: code(&r.try_get::<String>("kind")?)?,
                    description: r.try_get("description")?,
                    found_at: r.try_get("found_at")?,
                    held_by: r.try_get::<Option<String>>("holder")?.unwrap_or(found_by),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::Evidence,
                None::<i64>,
                family_id,
            )
            .listing(list.iter().map(|e| e.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn evidence_item(&self, actor: &Actor, id: EvidenceId) -> Result<EvidenceDetail> {
        let mut tx = self.db.read().await?;
        let fam = access::evidence(&mut tx, actor, id).await?;
        let family_id = fam.id();
        let r = fam.query(
            "SELECT v.id, v.family_id, f.name AS family_name, v.kind, v.description, v.found_at, v.found_by, v.found_where, v.storage, v.reference_numbers, v.created_at, \
             u.display_name AS recorded_by_name, \
             (SELECT c.handed_to FROM custody_events c WHERE c.item_id = v.id AND c.kind = 'transfer' ORDER BY c.seq DESC LIMIT 1) AS holder \
             FROM evidence_items v JOIN families f ON f.id = v.family_id JOIN users u ON u.id = v.recorded_by WHERE v.id = $1 AND v.family_id = $2",
        )
        .bind(id)
        .bind_family()
        .fetch_one(&mut tx)
        .await?;
        let events = fam.query(
            "SELECT c.seq, c.kind, c.handed_by, c.handed_to, c.collar_number, c.at, c.reference, c.note, c.corrects_seq, c.created_at, u.display_name AS recorded_by_name \
             FROM custody_events c JOIN users u ON u.id = c.recorded_by JOIN evidence_items v ON v.id = c.item_id \
             WHERE c.item_id = $1 AND v.family_id = $2 ORDER BY c.seq",
        )
        .bind(id)
        .bind_family()
        .fetch_all(&mut tx)
        .await?
        .iter()
        .map(|c| {
            Ok(CustodyEvent {
                seq: c.try_get("seq")?,
                kind: code(&c.try_get::<String>("kind")?)?,
                handed_by: c.try_get("handed_by")?,
                handed_to: c.try_get("handed_to")?,
                collar_number: c.try_get("collar_number")?,
                at: c.try_get("at")?,
                reference: c.try_get("reference")?,
                note: c.try_get("note")?,
                corrects_seq: c.try_get("corrects_seq")?,
                recorded_by: c.try_get("recorded_by_name")?,
                created_at: c.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let found_by: String = r.try_get("found_by")?;
        let detail = EvidenceDetail {
            row: EvidenceRow {
                id: r.try_get("id")?,
                // Police partners handle the item, not the family: no name, no id that other pages could tie to it.
                family_id: if access::hub_view(actor).names_families() {
                    r.try_get("family_id")?
                } else {
                    None
                },
                family_name: if access::hub_view(actor).names_families() {
                    r.try_get("family_name")?
                } else {
                    "A family the hub supports".to_string()
                },
                kind: code(&r.try_get::<String>("kind")?)?,
                description: r.try_get("description")?,
                found_at: r.try_get("found_at")?,
                held_by: r
                    .try_get::<Option<String>>("holder")?
                    .unwrap_or_else(|| found_by.clone()),
            },
            found_by,
            found_where: r.try_get("found_where")?,
            storage: r.try_get("storage")?,
            reference_numbers: r.try_get("reference_numbers")?,
            recorded_by: r.try_get("recorded_by_name")?,
            created_at: r.try_get("created_at")?,
            events,
        };
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Evidence,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(detail)
    }

    async fn add_custody_event(
        &self,
        actor: &Actor,
        item_id: EvidenceId,
        new: &NewCustodyEvent,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut tx = self.db.write().await?;
        let fam = access::evidence(&mut tx, actor, item_id).await?;
        let family_id = fam.id();
        let next: i64 = fam
            .query("SELECT COALESCE(MAX(c.seq), 0) + 1 AS next FROM custody_events c JOIN evidence_items v ON v.id = c.item_id WHERE c.item_id = $1 AND v.family_id = $2")
            .bind(item_id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?
            .try_get("next")?;
        if let Some(c) = new.corrects_seq() {
            if c < 1 || c >= next {
                return Err(Refusal::NoSuchCustodyEntry(c).into());
            }
        }
        fam.query(
            "INSERT INTO custody_events (item_id, seq, kind, handed_by, handed_to, collar_number, at, reference, note, corrects_seq, recorded_by, created_at) \
             SELECT v.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM evidence_items v WHERE v.id = $1 AND v.family_id = $13",
        )
        .bind(item_id)
        .bind(next)
        .bind(new.kind().code())
        .bind(new.handed_by())
        .bind(new.handed_to())
        .bind(new.collar_number())
        .bind(new.at())
        .bind(new.reference())
        .bind(new.note())
        .bind(new.corrects_seq())
        .bind(actor.user_id)
        .bind(now)
        .bind_family()
        .execute(&mut tx)
        .await?;
        let summary = match (new.kind(), &new.handed_to()) {
            (CustodyEventKind::Transfer, Some(to)) => format!("Evidence handed to {to}"),
            _ => format!(
                "Correction to entry {} of an evidence item's chain of custody",
                new.corrects_seq().unwrap_or(0)
            ),
        };
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Evidence,
                new.at().unwrap_or_else(|| uk_local(now)),
                &summary,
                Visibility::Shareable,
            )
            .detail(new.note())
            .source(item_id),
            &ev(
                AuditAction::Create,
                AuditRecord::CustodyEvent,
                Some(item_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }
}
