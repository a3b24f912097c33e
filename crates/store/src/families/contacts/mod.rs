//! Contacts with a family (visits, calls, planned and held) and the family's chronology.

mod records;

use crate::prelude::*;

pub use records::*;

/// Contacts and the chronology.
#[async_trait]
pub trait Contacts: Send + Sync {
    async fn add_contact(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        c: &NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactId>;
    async fn contacts(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<Contact>>;
    /// A planned contact of the family was held, or is cancelled: its status changes, the
    /// plan is kept, and what happened goes beside it and in the chronology.
    async fn close_planned_contact(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        contact_id: ContactId,
        outcome: ContactStatus,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn chronology(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        filter: &ChronologyFilter,
    ) -> Result<Page<ChronologyEntry>>;
}

#[async_trait]
impl Contacts for SqlStore {
    async fn add_contact(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        c: &NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactId> {
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let id: ContactId = fam.query(
            "INSERT INTO contacts (family_id, kind, status, occurred_at, duration_minutes, participants, note, visibility, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind_family()
        .bind(c.kind().code())
        .bind(c.status().code())
        .bind(c.occurred_at())
        .bind(c.duration_minutes())
        .bind(c.participants())
        .bind(c.note())
        .bind(c.visibility().code())
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        if c.status() == ContactStatus::Held {
            // The first contact held after an accepted referral stops its clock.
            fam.query(
                "UPDATE referrals SET first_contact_at = $1 WHERE family_id = $2 AND status = 'accepted' AND first_contact_at IS NULL \
                 AND received_on <= $3",
            )
            .bind(c.occurred_at())
            .bind_family()
            .bind(c.occurred_at().date())
            .execute(&mut tx)
            .await?;
        }
        let kind = match c.status() {
            ContactStatus::Held => ChronologyKind::Contact,
            ContactStatus::Planned | ContactStatus::Cancelled => ChronologyKind::PlannedContact,
        };
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(kind, c.occurred_at(), &contact_summary(c), c.visibility())
                .detail(c.note())
                .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::Contact,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn close_planned_contact(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        contact_id: ContactId,
        outcome: ContactStatus,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if outcome == ContactStatus::Planned {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let row = fam
            .query("SELECT kind, status, occurred_at, visibility FROM contacts WHERE id = $1 AND family_id = $2")
            .bind(contact_id)
            .bind_family()
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let was: ContactStatus = code(&row.try_get::<String>("status")?)?;
        if was != ContactStatus::Planned {
            return Err(Refusal::ContactNotPlanned.into());
        }
        let kind: ContactKind = code(&row.try_get::<String>("kind")?)?;
        let at: NaiveDateTime = row.try_get("occurred_at")?;
        let visibility: Visibility = code(&row.try_get::<String>("visibility")?)?;
        // Guarded by the status read: two people closing it at once cannot both.
        let done = fam
            .query("UPDATE contacts SET status = $1, outcome_note = $2, outcome_by = $3, outcome_at = $4 WHERE id = $5 AND family_id = $6 AND status = 'planned'")
            .bind(outcome.code())
            .bind(note)
            .bind(actor.user_id)
            .bind(now)
            .bind(contact_id)
            .bind_family()
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Refusal::ContactNotPlanned.into());
        }
        if outcome == ContactStatus::Held {
            fam.query(
                "UPDATE referrals SET first_contact_at = $1 WHERE family_id = $2 AND status = 'accepted' AND first_contact_at IS NULL \
                 AND received_on <= $3",
            )
            .bind(at)
            .bind_family()
            .bind(at.date())
            .execute(&mut tx)
            .await?;
        }
        let (line_kind, summary) = match outcome {
            ContactStatus::Held => (
                ChronologyKind::Contact,
                format!("{} held, as planned", kind.label()),
            ),
            _ => (
                ChronologyKind::PlannedContact,
                format!("{} cancelled (it was planned for this time)", kind.label()),
            ),
        };
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(line_kind, at, &summary, visibility)
                .detail(Some(note))
                .source(contact_id),
            &ev(
                AuditAction::Update,
                AuditRecord::Contact,
                Some(contact_id),
                Some(family_id),
            )
            .change(was.code(), outcome.code()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn contacts(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<Contact>> {
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let rows = fam.query(
            "SELECT c.id, c.kind, c.status, c.occurred_at, c.duration_minutes, c.participants, c.note, c.visibility, u.display_name AS recorded_by_name \
             FROM contacts c JOIN users u ON u.id = c.recorded_by WHERE c.family_id = $1 ORDER BY c.occurred_at DESC, c.id DESC LIMIT 500",
        )
        .bind_family()
        .fetch_all(&mut tx)
        .await?;
        let list = rows
            .iter()
            .map(|c| contact_row(c, actor))
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::Contact,
                None::<i64>,
                Some(family_id),
            )
            .listing(list.iter().map(|c| c.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn chronology(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        filter: &ChronologyFilter,
    ) -> Result<Page<ChronologyEntry>> {
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let build = |select: &str| {
            let mut q = fam.query(select.to_string());
            q.push(" WHERE ch.family_id = ").push_family();
            if !filter.kinds.is_empty() {
                q.push(" AND ch.kind IN ")
                    .push_list(filter.kinds.iter().map(|k| k.code()));
            }
            if let Some(from) = filter.from {
                q.push(" AND ch.occurred_at >= ")
                    .push_bind(from.and_hms_opt(0, 0, 0).unwrap_or_default());
            }
            if let Some(to) = filter.to {
                q.push(" AND ch.occurred_at < ").push_bind(
                    to.succ_opt()
                        .unwrap_or(to)
                        .and_hms_opt(0, 0, 0)
                        .unwrap_or_default(),
                );
            }
            q
        };
        let total: i64 = build("SELECT COUNT(*) AS n FROM chronology ch")
            .fetch_one(&mut tx)
            .await?
            .try_get("n")?;
        let mut q = build(
            "SELECT ch.id, ch.occurred_at, ch.kind, ch.summary, ch.detail, ch.visibility, u.display_name AS recorded_by_name \
             FROM chronology ch JOIN users u ON u.id = ch.recorded_by",
        );
        q.push(if filter.oldest_first {
            " ORDER BY ch.occurred_at, ch.id"
        } else {
            " ORDER BY ch.occurred_at DESC, ch.id DESC"
        });
        q.push(" LIMIT ")
            .push_bind(filter.limit)
            .push(" OFFSET ")
            .push_bind(filter.offset);
        let items = q
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|c| chronology::chronology_row(c, actor))
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Chronology,
                None::<i64>,
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Page { items, total })
    }
}

pub(crate) fn contact_row(r: &Row, actor: &Actor) -> Result<Contact> {
    let visibility: Visibility = code(&r.try_get::<String>("visibility")?)?;
    let note: Option<String> = r.try_get("note")?;
    Ok(Contact {
        id: r.try_get("id")?,
        kind: code(&r.try_get::<String>("kind")?)?,
        status: code(&r.try_get::<String>("status")?)?,
        occurred_at: r.try_get("occurred_at")?,
        duration_minutes: r.try_get("duration_minutes")?,
        participants: r.try_get("participants")?,
        note: note.filter(|_| {
            visibility == Visibility::Shareable || actor.role.sees_confidential_support_notes()
        }),
        visibility,
        recorded_by: r.try_get("recorded_by_name")?,
    })
}

pub(crate) fn contact_summary(c: &NewContact) -> String {
    let mut s = c.kind().label().to_string();
    if c.status() == ContactStatus::Planned {
        s = format!("{s} (planned)");
    }
    if let Some(d) = c.duration_minutes() {
        s = format!("{s}, {d} minutes");
    }
    if let Some(p) = &c.participants() {
        s = format!("{s}, with {p}");
    }
    s
}
