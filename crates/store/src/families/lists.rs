//! Lists of families as workers read them: a worker's caseload, and the tag that tells a
//! family from others of its name.

use super::{CaseloadRow, FamilyTag};
use crate::prelude::*;

/// The tags of some of the hub's families ([`FamilyTag`]), for lists the actor is shown
/// (the caller has already decided they may see these families).
pub(crate) async fn family_tags(
    tx: &mut Conn,
    actor: &Actor,
    ids: impl Iterator<Item = FamilyId>,
    now: DateTime<Utc>,
) -> Result<std::collections::HashMap<FamilyId, FamilyTag>> {
    let ids: Vec<i64> = ids.map(FamilyId::get).collect();
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let today = alongside_domain::clock::uk_today(now);
    let mut q = access::hub(actor).query("SELECT id, area FROM families WHERE hub_id = ");
    q.push_hub()
        .push(" AND id IN ")
        .push_list(ids.iter().copied());
    for r in q.fetch_all(&mut *tx).await? {
        let id: FamilyId = r.try_get("id")?;
        out.insert(
            id,
            FamilyTag {
                reference: format!("F-{:05}", id.get()),
                children: Vec::new(),
                area: r.try_get("area")?,
            },
        );
    }
    let mut q = access::hub(actor).query(
        "SELECT family_id, given_name, known_as, date_of_birth FROM family_members WHERE hub_id = ",
    );
    q.push_hub()
        .push(" AND member_role IN ('child_at_risk', 'sibling') AND family_id IN ")
        .push_list(ids.iter().copied())
        .push(" ORDER BY family_id, date_of_birth, id");
    for r in q.fetch_all(&mut *tx).await? {
        let id: FamilyId = r.try_get("family_id")?;
        let name = r
            .try_get::<Option<String>>("known_as")?
            .unwrap_or(r.try_get("given_name")?);
        let born: Option<NaiveDate> = r.try_get("date_of_birth")?;
        let age = born.and_then(|b| today.years_since(b));
        if let Some(t) = out.get_mut(&id) {
            t.children.push((name, age));
        }
    }
    Ok(out)
}

/// The families a worker holds (lead PLO or CSW), highest threshold first, with their
/// contacts and tags.
pub(super) async fn caseload_of(
    tx: &mut Conn,
    backend: crate::Backend,
    actor: &Actor,
    worker: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<CaseloadRow>> {
    // A planned contact is overdue once its time has passed with no contact held
    // on or after its day (a held contact often has no time, or an earlier one).
    // A planned contact's day, in each dialect (SQLite keeps times as
    // "YYYY-MM-DD HH:MM:SS" text, which sorts after its "YYYY-MM-DD").
    let planned_day = match backend {
        crate::Backend::Sqlite => "date(p.occurred_at)",
        crate::Backend::Postgres => "date_trunc('day', p.occurred_at)",
    };
    let rows = access::hub(actor).query(format!(
            "SELECT f.id, f.name, f.threshold, \
             (SELECT MAX(c.occurred_at) FROM contacts c WHERE c.family_id = f.id AND c.status = 'held') AS last_contact, \
             (SELECT MIN(c.occurred_at) FROM contacts c WHERE c.family_id = f.id AND c.status = 'planned' AND c.occurred_at >= $3) AS next_planned, \
             (SELECT COUNT(*) FROM contacts p WHERE p.family_id = f.id AND p.status = 'planned' AND p.occurred_at < $3 \
                AND NOT EXISTS (SELECT 1 FROM contacts h WHERE h.family_id = f.id AND h.status = 'held' AND h.occurred_at >= {planned_day})) AS overdue \
             FROM families f WHERE f.hub_id = $1 AND f.closed_at IS NULL \
               AND f.id IN (SELECT id FROM families WHERE lead_plo_id = $2 UNION ALL SELECT id FROM families WHERE csw_id = $2) \
             ORDER BY CASE f.threshold WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, f.name, f.id LIMIT 500"
        ))
        .bind_hub()
        .bind(worker)
        .bind(uk_local(now))
        .fetch_all(&mut *tx)
        .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(CaseloadRow {
                family_id: r.try_get("id")?,
                family_name: r.try_get("name")?,
                tag: FamilyTag::default(),
                threshold: opt_code(r.try_get("threshold")?)?,
                last_contact: r.try_get("last_contact")?,
                next_planned: r.try_get("next_planned")?,
                overdue: r.try_get("overdue")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut list = list;
    let tags = family_tags(&mut *tx, actor, list.iter().map(|r| r.family_id), now).await?;
    for r in &mut list {
        r.tag = tags.get(&r.family_id).cloned().unwrap_or_default();
    }
    Ok(list)
}
