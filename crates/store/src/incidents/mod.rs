//! Threats and harassment against families, and their counts for the hub.

mod records;

use crate::prelude::*;

pub use records::*;

/// Incidents.
#[async_trait]
pub trait Incidents: Send + Sync {
    /// Parents pass `None` (their own family); workers name the family.
    async fn add_incident(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
        new: &NewIncident,
        now: DateTime<Utc>,
    ) -> Result<IncidentId>;
    async fn incidents(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<IncidentRow>>;
    /// One threat or incident, to those who may see its family (a parent only their own).
    async fn incident(&self, actor: &Actor, id: IncidentId) -> Result<IncidentDetail>;
    /// Threats and incidents parents and carers logged that no PLO has read yet, of the
    /// families the actor holds (all the hub's for a manager), oldest first.
    async fn incident_review_queue(&self, actor: &Actor) -> Result<Vec<IncidentDetail>>;
    /// The PLO has read it, and writes what followed, for the parent or carer.
    async fn review_incident(
        &self,
        actor: &Actor,
        id: IncidentId,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Counts for the hub since a date (managers).
    async fn incident_counts(
        &self,
        actor: &Actor,
        since: chrono::NaiveDate,
    ) -> Result<Vec<IncidentCount>>;
}

#[async_trait]
impl Incidents for SqlStore {
    async fn add_incident(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
        new: &NewIncident,
        now: DateTime<Utc>,
    ) -> Result<IncidentId> {
        if !(actor.role.can(Capability::UseParentPortal) || actor.sees_families()) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::writable_family(&mut tx, actor, family_id).await?;
        let family_id = fam.id();
        let by_parent = actor.role.can(Capability::UseParentPortal);
        let id: IncidentId = fam.query(
            "INSERT INTO incidents (hub_id, family_id, occurred_at, kind, description, people, reported_to_police, crime_reference, outcome, recorded_by, created_at, reviewed_by, reviewed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind_hub()
        .bind_family()
        .bind(new.occurred_at())
        .bind(new.kind().code())
        .bind(new.description())
        .bind(new.people())
        .bind(new.reported_to_police())
        .bind(new.crime_reference())
        .bind(new.outcome())
        .bind(actor.user_id)
        .bind(now)
        // What a worker records is read already; a parent's waits in the review queue.
        .bind((!by_parent).then_some(actor.user_id))
        .bind((!by_parent).then_some(now))
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        crate::information::insert_identifiers(
            &mut tx,
            &fam,
            "incident",
            id.get(),
            new.identifiers(),
            now,
        )
        .await?;
        let reported = match (&new.reported_to_police(), &new.crime_reference()) {
            (true, Some(r)) => format!("; reported to police, crime reference {r}"),
            (true, None) => "; reported to police".to_string(),
            (false, _) => "; not reported to police".to_string(),
        };
        let summary = format!("{}{reported}", new.kind().label());
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Incident,
                new.occurred_at(),
                &summary,
                Visibility::Shareable,
            )
            .detail(Some(new.description()))
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::Incident,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn incidents(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<IncidentRow>> {
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let list = incidents_of(&mut tx, &fam, None).await?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::Incident,
                None::<i64>,
                Some(family_id),
            )
            .listing(list.iter().map(|i| i.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn incident(&self, actor: &Actor, id: IncidentId) -> Result<IncidentDetail> {
        let mut tx = self.db.read().await?;
        let fam = access::incident(&mut tx, actor, id).await?;
        let family_id = fam.id();
        let r = fam
            .query(format!(
                "{INCIDENT_DETAIL} WHERE i.id = $1 AND i.family_id = $2"
            ))
            .bind(id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?;
        let mut d = incident_detail(&r)?;
        d.row.identifiers = crate::information::load_identifiers(
            &mut tx,
            &fam,
            "incident",
            &[id.get()],
            crate::information::Identifiers::NotRejected,
        )
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Incident,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(d)
    }

    async fn incident_review_queue(&self, actor: &Actor) -> Result<Vec<IncidentDetail>> {
        if !actor.role.can(Capability::ReviewInformation) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let q = access::bind_visible(
            access::hub(actor).query(format!(
                "{INCIDENT_DETAIL} WHERE {VISIBLE_FAMILIES} AND i.hub_id = $1 AND i.reviewed_at IS NULL ORDER BY i.created_at, i.id LIMIT 500"
            )),
            actor,
        );
        let mut list = q
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(incident_detail)
            .collect::<Result<Vec<_>>>()?;
        let tags = crate::families::family_tags(
            &mut tx,
            actor,
            list.iter().map(|i| i.family_id),
            Utc::now(),
        )
        .await?;
        for i in &mut list {
            i.family_tag = tags.get(&i.family_id).map(|t| t.describe());
        }
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::ReviewQueue,
                None::<i64>,
                None,
            )
            .listing(list.iter().map(|i| i.row.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn review_incident(
        &self,
        actor: &Actor,
        id: IncidentId,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::ReviewInformation) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::incident(&mut tx, actor, id).await?;
        let family_id = fam.id();
        let recorder_role: String = fam
            .query("SELECT u.role FROM incidents i JOIN users u ON u.id = i.recorded_by WHERE i.id = $1 AND i.family_id = $2")
            .bind(id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?
            .try_get("role")?;
        if recorder_role != Role::Parent.code() {
            return Err(Refusal::IncidentNotFromParent.into());
        }
        fam.query("UPDATE incidents SET reviewed_by = $1, reviewed_at = $2, review_note = $3 WHERE id = $4 AND family_id = $5")
            .bind(actor.user_id)
            .bind(now)
            .bind(note)
            .bind(id)
            .bind_family()
            .execute(&mut tx)
            .await?;
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Incident,
                uk_local(now),
                "Threat or incident read; what followed written for the parent or carer",
                Visibility::Shareable,
            )
            .detail(Some(note))
            .source(id),
            &ev(
                AuditAction::Review,
                AuditRecord::Incident,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn incident_counts(
        &self,
        actor: &Actor,
        since: chrono::NaiveDate,
    ) -> Result<Vec<IncidentCount>> {
        if !actor.role.can(Capability::ViewCapacity) {
            return Err(StoreError::NotFound);
        }
        let rows = access::hub(actor).query(
            "SELECT kind, COUNT(*) AS total, COUNT(CASE WHEN reported_to_police THEN 1 END) AS reported, COUNT(DISTINCT family_id) AS families \
             FROM incidents WHERE hub_id = $1 AND occurred_at >= $2 GROUP BY kind",
        )
        .bind_hub()
        .bind(since.and_hms_opt(0, 0, 0).unwrap_or_default())
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        let mut counts = rows
            .iter()
            .map(|r| {
                Ok(IncidentCount {
                    kind: code(&r.try_get::<String>("kind")?)?,
                    total: r.try_get("total")?,
                    reported: r.try_get("reported")?,
                    families: r.try_get("families")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        counts.sort_by_key(|c| c.kind);
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::Incident, None::<i64>, None),
        )
        .await?;
        Ok(counts)
    }
}

/// The columns of [`incident_detail`] (`i` an incident, `f` its family, `u` its recorder,
/// `rv` its reader), before a WHERE.
const INCIDENT_DETAIL: &str = "SELECT i.id, i.occurred_at, i.kind, i.description, i.people, i.reported_to_police, i.crime_reference, i.outcome, u.display_name AS recorded_by_name, \
     i.family_id, f.name AS family_name, u.role AS recorder_role, i.created_at, rv.display_name AS reviewed_by_name, i.reviewed_at, i.review_note \
     FROM incidents i JOIN families f ON f.id = i.family_id JOIN users u ON u.id = i.recorded_by LEFT JOIN users rv ON rv.id = i.reviewed_by";

fn incident_detail(r: &Row) -> Result<IncidentDetail> {
    Ok(IncidentDetail {
        row: incident_row(r)?,
        family_id: r.try_get("family_id")?,
        family_name: r.try_get("family_name")?,
        family_tag: None,
        by_parent: r.try_get::<String>("recorder_role")? == Role::Parent.code(),
        created_at: r.try_get("created_at")?,
        reviewed_by: r.try_get("reviewed_by_name")?,
    })
}

pub(crate) fn incident_row(r: &Row) -> Result<IncidentRow> {
    Ok(IncidentRow {
        id: r.try_get("id")?,
        occurred_at: r.try_get("occurred_at")?,
        kind: code(&r.try_get::<String>("kind")?)?,
        description: r.try_get("description")?,
        people: r.try_get("people")?,
        reported_to_police: r.try_get("reported_to_police")?,
        crime_reference: r.try_get("crime_reference")?,
        outcome: r.try_get("outcome")?,
        recorded_by: r.try_get("recorded_by_name")?,
        identifiers: Vec::new(),
        reviewed_at: r.try_get("reviewed_at")?,
        review_note: r.try_get("review_note")?,
    })
}

/// The family's incidents: all of them, or those `recorded_by` one person.
pub(crate) async fn incidents_of(
    tx: &mut Conn,
    fam: &FamilyScope,
    recorded_by: Option<UserId>,
) -> Result<Vec<IncidentRow>> {
    let rows = fam.query(
        "SELECT i.id, i.occurred_at, i.kind, i.description, i.people, i.reported_to_police, i.crime_reference, i.outcome, u.display_name AS recorded_by_name, i.reviewed_at, i.review_note \
         FROM incidents i JOIN users u ON u.id = i.recorded_by WHERE i.family_id = $1 AND ($2 OR i.recorded_by = $3) ORDER BY i.occurred_at DESC, i.id DESC LIMIT 500",
    )
    .bind_family()
    .bind(recorded_by.is_none())
    .bind(recorded_by.map_or(0, UserId::get))
    .fetch_all(&mut *tx)
    .await?;
    let mut items = rows.iter().map(incident_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|i| i.id.get()).collect();
    let found = crate::information::load_identifiers(
        tx,
        fam,
        "incident",
        &ids,
        crate::information::Identifiers::NotRejected,
    )
    .await?;
    for item in &mut items {
        item.identifiers = found
            .iter()
            .filter(|(s, _)| *s == item.id.get())
            .map(|(_, i)| i.clone())
            .collect();
    }
    Ok(items)
}
