//! Writing demo data in bulk. No person is acting, so these writes go past need-to-know
//! and leave no audit event; only [`super::populate`] and the demo commands call them.

use crate::access::past_need_to_know;
use crate::db::query::Query;
use crate::families::contacts::contact_summary;
use crate::referrals::{name_key, triage_summary};
use crate::{Result, SqlStore};
use alongside_domain::family::{ChronologyKind, ContactStatus, Visibility};
use alongside_domain::ids::*;
use alongside_domain::Code;
use async_trait::async_trait;
use chrono::NaiveDateTime;

/// Bulk loading of synthetic data (bypasses need-to-know, hence the names).
#[async_trait]
pub trait DemoLoad: Send + Sync {
    async fn unscoped_bulk_load(&self, batch: &super::Batch) -> Result<()>;
    /// Makes a parent account belong to a family, as accepting an invitation does.
    async fn unscoped_link_parent(
        &self,
        user_id: UserId,
        family_id: FamilyId,
        hub_id: HubId,
    ) -> Result<()>;
}

/// Rows inserted by one statement.
const CHUNK: usize = 200;

/// One chronology line of a demo family.
struct Line {
    at: NaiveDateTime,
    kind: ChronologyKind,
    summary: String,
    detail: Option<String>,
    visibility: Visibility,
    source_id: Option<i64>,
    by: UserId,
}

#[async_trait]
impl DemoLoad for SqlStore {
    async fn unscoped_bulk_load(&self, batch: &super::Batch) -> Result<()> {
        let mut tx = self.db.write().await?;
        for fam in &batch.families {
            let family_id: FamilyId = past_need_to_know(
                "INSERT INTO families (hub_id, name, search_key, threshold, strengths, own_words, lead_plo_id, csw_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(batch.hub_id)
            .bind(fam.name.as_str())
            .bind(fam.name.to_lowercase())
            .bind(fam.threshold.map(|t| t.code()))
            .bind(fam.strengths.as_deref())
            .bind(fam.own_words.as_deref())
            .bind(fam.lead_plo_id)
            .bind(fam.csw_id)
            .bind(fam.created_at)
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;
            // Its workers' history: allocated when the record was made.
            for (role, user) in [("plo", fam.lead_plo_id), ("csw", fam.csw_id)] {
                if let Some(user) = user {
                    past_need_to_know(
                        "INSERT INTO allocations (hub_id, family_id, role, user_id, started_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(batch.hub_id)
                    .bind(family_id)
                    .bind(role)
                    .bind(user)
                    .bind(fam.created_at)
                    .execute(&mut tx)
                    .await?;
                }
            }

            let mut q = past_need_to_know(
                "INSERT INTO family_members (family_id, hub_id, given_name, family_name, name_key, known_as, member_role, carer_kind, date_of_birth, relationship, lives, lives_since, created_at) VALUES ",
            );
            for (i, m) in fam.members.iter().enumerate() {
                q.push(if i == 0 { "(" } else { ", (" })
                    .push_bind(family_id)
                    .push(", ")
                    .push_bind(batch.hub_id)
                    .push(", ")
                    .push_bind(m.given_name())
                    .push(", ")
                    .push_bind(m.family_name())
                    .push(", ")
                    .push_bind(name_key(m.given_name(), m.family_name()))
                    .push(", ")
                    .push_bind(m.known_as())
                    .push(", ")
                    .push_bind(m.member_role().code())
                    .push(", ")
                    .push_bind(m.carer_kind().map(|k| k.code()))
                    .push(", ")
                    .push_bind(m.date_of_birth())
                    .push(", ")
                    .push_bind(m.relationship())
                    .push(", ")
                    .push_bind(m.lives().map(|k| k.code()))
                    .push(", ")
                    .push_bind(m.lives_since())
                    .push(", ")
                    .push_bind(fam.created_at)
                    .push(")");
            }
            if !fam.members.is_empty() {
                q.execute(&mut tx).await?;
            }

            let r = &fam.referral;
            let indicators = r
                .indicators
                .iter()
                .map(|i| i.code())
                .collect::<Vec<_>>()
                .join(",");
            let referral_id: ReferralId = past_need_to_know(
                "INSERT INTO referrals (hub_id, family_id, source, received_on, referrer_name, referrer_contact, reasons, indicators, \
                 consent_to_share, is_rereferral, status, threshold, threshold_reasoning, decision, triaged_at, triaged_by, first_contact_at, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
            )
            .bind(batch.hub_id)
            .bind(family_id)
            .bind(r.source.code())
            .bind(r.received_on)
            .bind(r.referrer_name.as_str())
            .bind(r.referrer_contact.as_deref())
            .bind(r.reasons.as_str())
            .bind(indicators)
            .bind(true)
            .bind(false)
            .bind(r.status.code())
            .bind(r.triage.as_ref().map(|t| t.threshold().code()))
            .bind(r.triage.as_ref().map(|t| t.reasoning()))
            .bind(r.triage.as_ref().map(|t| t.decision().code()))
            .bind(r.triaged_at)
            .bind(r.triage.as_ref().map(|_| batch.manager_id))
            .bind(r.first_contact_at)
            .bind(batch.manager_id)
            .bind(fam.created_at)
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;

            for chunk in fam.contacts.chunks(CHUNK) {
                let mut q = past_need_to_know(
                    "INSERT INTO contacts (family_id, kind, status, occurred_at, duration_minutes, participants, note, visibility, recorded_by, created_at) VALUES ",
                );
                for (i, (c, by)) in chunk.iter().enumerate() {
                    q.push(if i == 0 { "(" } else { ", (" })
                        .push_bind(family_id)
                        .push(", ")
                        .push_bind(c.kind().code())
                        .push(", ")
                        .push_bind(c.status().code())
                        .push(", ")
                        .push_bind(c.occurred_at())
                        .push(", ")
                        .push_bind(c.duration_minutes())
                        .push(", ")
                        .push_bind(c.participants())
                        .push(", ")
                        .push_bind(c.note())
                        .push(", ")
                        .push_bind(c.visibility().code())
                        .push(", ")
                        .push_bind(*by)
                        .push(", ")
                        .push_bind(fam.created_at)
                        .push(")");
                }
                q.execute(&mut tx).await?;
            }

            let mut lines = Vec::with_capacity(fam.contacts.len() + 2);
            lines.push(Line {
                at: r.received_on.and_hms_opt(0, 0, 0).unwrap_or_default(),
                kind: ChronologyKind::Referral,
                summary: format!("Referral received from {}", r.source.label().to_lowercase()),
                detail: Some(r.reasons.clone()),
                visibility: Visibility::Shareable,
                source_id: Some(referral_id.get()),
                by: batch.manager_id,
            });
            if let (Some(t), Some(at)) = (&r.triage, r.triaged_at) {
                lines.push(Line {
                    at,
                    kind: ChronologyKind::Triage,
                    summary: triage_summary(t, None, None),
                    detail: Some(t.reasoning().to_string()),
                    visibility: Visibility::Shareable,
                    source_id: Some(referral_id.get()),
                    by: batch.manager_id,
                });
            }
            for (c, by) in &fam.contacts {
                lines.push(Line {
                    at: c.occurred_at(),
                    kind: if c.status() == ContactStatus::Held {
                        ChronologyKind::Contact
                    } else {
                        ChronologyKind::PlannedContact
                    },
                    summary: contact_summary(c),
                    detail: c.note().map(str::to_string),
                    visibility: c.visibility(),
                    source_id: None,
                    by: *by,
                });
            }
            for chunk in lines.chunks(CHUNK) {
                chronology_insert(chunk, family_id, fam.created_at)
                    .execute(&mut tx)
                    .await?;
            }
        }
        tx.commit().await
    }

    async fn unscoped_link_parent(
        &self,
        user_id: UserId,
        family_id: FamilyId,
        hub_id: HubId,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        past_need_to_know(
            "INSERT INTO family_parents (user_id, family_id, hub_id) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(family_id)
        .bind(hub_id)
        .execute(&mut tx)
        .await?;
        tx.commit().await
    }
}

fn chronology_insert<'a>(
    lines: &'a [Line],
    family_id: FamilyId,
    created_at: chrono::DateTime<chrono::Utc>,
) -> Query<'a> {
    let mut q = past_need_to_know(
        "INSERT INTO chronology (family_id, occurred_at, kind, summary, detail, visibility, source_id, recorded_by, created_at) VALUES ",
    );
    for (i, l) in lines.iter().enumerate() {
        q.push(if i == 0 { "(" } else { ", (" })
            .push_bind(family_id)
            .push(", ")
            .push_bind(l.at)
            .push(", ")
            .push_bind(l.kind.code())
            .push(", ")
            .push_bind(l.summary.as_str())
            .push(", ")
            .push_bind(l.detail.as_deref())
            .push(", ")
            .push_bind(l.visibility.code())
            .push(", ")
            .push_bind(l.source_id)
            .push(", ")
            .push_bind(l.by)
            .push(", ")
            .push_bind(created_at);
        q.push(")");
    }
    q
}
