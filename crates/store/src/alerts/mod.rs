//! Alerts: the same identifier or person in two families, and children not known to the hub.

mod records;

use crate::prelude::*;

pub use records::*;

/// Alerts.
#[async_trait]
pub trait Alerts: Send + Sync {
    /// Identifiers for the in-process alert index, in id order from `after_id`.
    async fn unscoped_identifiers_for_index(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<IndexRow>>;
    /// Confirms the index's candidates for a saved entry or incident against the database
    /// and records them as alerts; also suggests a referral for each child named who is
    /// not known to the hub. Returns how many alerts were raised, and the
    /// family the record belongs to.
    async fn raise_alerts(
        &self,
        actor: &Actor,
        source_type: &str,
        source_id: i64,
        candidates: &[AlertCandidate],
        children: &[String],
        now: DateTime<Utc>,
    ) -> Result<(usize, FamilyId)>;
    /// The hub's alerts, newest first (managers and police partners).
    async fn alerts(&self, actor: &Actor, limit: i64) -> Result<Vec<AlertRow>>;
    async fn unseen_alerts(&self, actor: &Actor) -> Result<i64>;
    async fn mark_alerts_seen(&self, actor: &Actor, now: DateTime<Utc>) -> Result<()>;
}

#[async_trait]
impl Alerts for SqlStore {
    async fn unscoped_identifiers_for_index(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<IndexRow>> {
        // Past need-to-know: the in-process index holds every hub's identifiers so that a
        // match can be found across hubs; it only proposes, and what it proposes is
        // confirmed and told as `raise_alerts` allows.
        let rows = past_need_to_know(
            "SELECT id, hub_id, family_id, source_id, kind, value FROM identifiers \
             WHERE id > $1 AND status <> 'rejected' AND kind <> 'child' ORDER BY id LIMIT $2",
        )
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(IndexRow {
                    id: r.try_get("id")?,
                    hub_id: r.try_get("hub_id")?,
                    family_id: r.try_get("family_id")?,
                    source_id: r.try_get("source_id")?,
                    kind: code(&r.try_get::<String>("kind")?)?,
                    value: r.try_get("value")?,
                })
            })
            .collect()
    }

    async fn raise_alerts(
        &self,
        actor: &Actor,
        source_type: &str,
        source_id: i64,
        candidates: &[AlertCandidate],
        children: &[String],
        now: DateTime<Utc>,
    ) -> Result<(usize, FamilyId)> {
        let table = match source_type {
            "entry" => "info_entries",
            "incident" => "incidents",
            _ => return Err(StoreError::NotFound),
        };
        let mut tx = self.db.write().await?;
        // The person who recorded it (after a save), or who reviewed an entry (matching
        // across hubs once it is reviewed as relevant).
        let fam = match access::own_record(&mut tx, actor, table, source_id).await {
            Err(StoreError::NotFound) if source_type == "entry" => {
                access::entry(&mut tx, actor, EntryId::new(source_id)).await?
            }
            other => other?,
        };
        let family_id = fam.id();
        let mut raised = 0;
        let mut told_hubs = std::collections::BTreeSet::new();
        for c in candidates {
            // The index may only propose; the database confirms (a hash collision, or
            // an identifier rejected since it was indexed, raises nothing).
            // Past need-to-know: the candidate may be another hub's, and is only confirmed
            // here; nothing of it is returned, and across hubs only the fact is recorded.
            let confirmed = if c.kind == AlertKind::SimilarName {
                past_need_to_know("SELECT id FROM identifiers WHERE hub_id = $1 AND family_id = $2 AND source_id = $3 AND kind = 'person' AND status <> 'rejected' LIMIT 1")
                    .bind(c.other_hub_id)
                    .bind(c.other_family_id)
                    .bind(c.other_source_id)
                    .fetch_optional(&mut tx)
                    .await?
                    .is_some()
            } else {
                past_need_to_know("SELECT id FROM identifiers WHERE hub_id = $1 AND family_id = $2 AND source_id = $3 AND kind = $4 AND value = $5 AND status <> 'rejected' LIMIT 1")
                    .bind(c.other_hub_id)
                    .bind(c.other_family_id)
                    .bind(c.other_source_id)
                    .bind(c.item_kind.code())
                    .bind(&c.item_value)
                    .fetch_optional(&mut tx)
                    .await?
                    .is_some()
            };
            if !confirmed || (c.other_hub_id == actor.hub_id && c.other_family_id == family_id) {
                continue;
            }
            if c.other_hub_id == actor.hub_id {
                let other_type: Option<String> = access::hub(actor)
                    .query("SELECT source_type FROM identifiers WHERE hub_id = $1 AND family_id = $2 AND source_id = $3 LIMIT 1")
                    .bind_hub()
                    .bind(c.other_family_id)
                    .bind(c.other_source_id)
                    .fetch_optional(&mut tx)
                    .await?
                    .map(|r| r.try_get("source_type"))
                    .transpose()?;
                fam.query(
                    "INSERT INTO alerts (hub_id, kind, item_kind, item_value, family_id, source_type, source_id, other_family_id, other_source_type, other_source_id, detail, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind_hub()
                .bind(c.kind.code())
                .bind(c.item_kind.code())
                .bind(&c.item_value)
                .bind_family()
                .bind(source_type)
                .bind(source_id)
                .bind(c.other_family_id)
                .bind(other_type)
                .bind(c.other_source_id)
                .bind(&c.detail)
                .bind(now)
                .execute(&mut tx)
                .await?;
                raised += 1;
            } else if !told_hubs.contains(&c.other_hub_id) {
                // Across hubs (issue 10, M1; decision 0019): not a free oracle. Only an
                // entry reviewed as relevant by someone other than its recorder takes part,
                // on both sides; each person may cause so many a day (the hub's setting);
                // both hubs' logs say who caused it, and the other hub is told who asked.
                if source_type != "entry" || !vetted(&mut tx, &fam, source_id).await? {
                    continue;
                }
                let other_vetted = past_need_to_know(
                    "SELECT e.id FROM identifiers i JOIN info_entries e ON e.id = i.source_id AND e.hub_id = i.hub_id \
                     WHERE i.hub_id = $1 AND i.family_id = $2 AND i.source_id = $3 AND i.source_type = 'entry' \
                     AND e.status = 'relevant' AND e.reviewed_by IS NOT NULL AND e.reviewed_by <> e.recorded_by LIMIT 1",
                )
                .bind(c.other_hub_id)
                .bind(c.other_family_id)
                .bind(c.other_source_id)
                .fetch_optional(&mut tx)
                .await?
                .is_some();
                if !other_vetted {
                    continue;
                }
                let limit: i64 = unscoped("SELECT cross_hub_daily_limit FROM hubs WHERE id = $1")
                    .bind(actor.hub_id)
                    .fetch_one(&mut tx)
                    .await?
                    .try_get("cross_hub_daily_limit")?;
                let today: i64 = access::hub(actor)
                    .query(
                        "SELECT COUNT(*) AS n FROM alerts WHERE hub_id = $1 AND kind = $2 AND caused_by = $3 AND created_at > $4",
                    )
                    .bind_hub()
                    .bind(AlertKind::OtherHub.code())
                    .bind(actor.user_id)
                    .bind(now - chrono::Duration::days(1))
                    .fetch_one(&mut tx)
                    .await?
                    .try_get("n")?;
                if today >= limit {
                    audit::write(
                        &mut tx,
                        actor,
                        &ev(
                            AuditAction::Refuse,
                            AuditRecord::Alert,
                            None::<i64>,
                            Some(family_id),
                        )
                        .change(
                            "cross-hub matches today",
                            format!("limit of {limit} reached"),
                        ),
                    )
                    .await?;
                    continue;
                }
                told_hubs.insert(c.other_hub_id);
                let names = unscoped("SELECT id, name FROM hubs WHERE id = $1 OR id = $2")
                    .bind(actor.hub_id)
                    .bind(c.other_hub_id)
                    .fetch_all(&mut tx)
                    .await?;
                let name_of = |id: HubId| -> String {
                    names
                        .iter()
                        .find(|r| r.try_get::<HubId>("id").ok() == Some(id))
                        .and_then(|r| r.try_get("name").ok())
                        .unwrap_or_default()
                };
                for (hub, other) in [
                    (actor.hub_id, c.other_hub_id),
                    (c.other_hub_id, actor.hub_id),
                ] {
                    let detail = if hub == actor.hub_id {
                        format!(
                            "Something recorded in {} matches a record held by {}. No details are shared between hubs: the managers or police partners of the two hubs should talk. {} has been told that you asked.",
                            name_of(hub),
                            name_of(other),
                            name_of(other)
                        )
                    } else {
                        format!(
                            "{} ({}) of {} reviewed as relevant a record that matches one held here. No details are shared between hubs: decide whether to contact them.",
                            actor.display_name,
                            actor.role.label(),
                            name_of(other)
                        )
                    };
                    // Past need-to-know: the other hub is told that a match exists, with
                    // which hub and who asked, nothing more.
                    past_need_to_know("INSERT INTO alerts (hub_id, kind, other_hub_id, detail, created_at, caused_by) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(hub)
                        .bind(AlertKind::OtherHub.code())
                        .bind(other)
                        .bind(&detail)
                        .bind(now)
                        .bind(actor.user_id)
                        .execute(&mut tx)
                        .await?;
                    raised += 1;
                    let event = ev(AuditAction::Raise, AuditRecord::Alert, None::<i64>, None)
                        .change("cross-hub match", name_of(other));
                    if hub == actor.hub_id {
                        audit::write(&mut tx, actor, &event).await?;
                    } else {
                        audit::write_in_hub(&mut tx, actor, hub, &event).await?;
                    }
                }
            }
        }
        for child in children {
            let words: Vec<&str> = child.split_whitespace().collect();
            let known = if words.len() >= 2 {
                access::hub(actor).query("SELECT id FROM family_members WHERE hub_id = $1 AND name_key = $2 AND member_role IN ('child_at_risk', 'sibling') LIMIT 1")
                    .bind_hub()
                    .bind(name_key(words[0], &words[1..].join(" ")))
                    .fetch_optional(&mut tx)
                    .await?
                    .is_some()
            } else {
                false
            };
            if known {
                continue;
            }
            let detail = format!(
                "A child or young person named \u{201c}{child}\u{201d} in this record is not known to the hub as a child of any family. If what is recorded is substantial, consider a new referral."
            );
            fam.query(
                "INSERT INTO alerts (hub_id, kind, item_kind, item_value, family_id, source_type, source_id, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind_hub()
            .bind(AlertKind::PossibleReferral.code())
            .bind(ItemKind::Child.code())
            .bind(child)
            .bind_family()
            .bind(source_type)
            .bind(source_id)
            .bind(&detail)
            .bind(now)
            .execute(&mut tx)
            .await?;
            raised += 1;
        }
        if raised > 0 {
            audit::write(
                &mut tx,
                actor,
                &ev(
                    AuditAction::Raise,
                    AuditRecord::Alert,
                    Some(source_id),
                    Some(family_id),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok((raised, family_id))
    }

    async fn alerts(&self, actor: &Actor, limit: i64) -> Result<Vec<AlertRow>> {
        if !actor.role.can(Capability::ReceiveAlerts) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let rows = access::hub(actor).query(format!(
            "SELECT a.id, a.kind, a.item_kind, a.item_value, a.family_id, f.name AS family_name, a.source_type, a.source_id, a.other_family_id, o.name AS other_family_name, \
             a.other_source_id, h.name AS other_hub, a.detail, a.created_at, a.seen_at FROM alerts a LEFT JOIN families f ON f.id = a.family_id \
             LEFT JOIN families o ON o.id = a.other_family_id LEFT JOIN hubs h ON h.id = a.other_hub_id WHERE a.hub_id = $1 AND {} ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
            visible_alerts(actor, "a"),
        ))
        .bind_hub()
        .bind(limit)
        .fetch_all(&mut tx)
        .await?;
        // Police partners learn that families are linked, never which families.
        let named = access::hub_view(actor).names_families();
        let list = rows
            .iter()
            .map(|r| {
                let item_kind: Option<ItemKind> = opt_code(r.try_get("item_kind")?)?;
                let value: Option<String> = r.try_get("item_value")?;
                Ok(AlertRow {
                    id: r.try_get("id")?,
                    kind: code(&r.try_get::<String>("kind")?)?,
                    item_display: match (item_kind, &value) {
                        (Some(k), Some(v)) if k != ItemKind::Child || named => Some(k.display(v)),
                        _ => None,
                    },
                    item_kind,
                    family_id: if named { r.try_get("family_id")? } else { None },
                    family_name: if named {
                        r.try_get("family_name")?
                    } else {
                        None
                    },
                    source_type: if named {
                        r.try_get("source_type")?
                    } else {
                        None
                    },
                    source_id: if named { r.try_get("source_id")? } else { None },
                    other_family_id: if named {
                        r.try_get("other_family_id")?
                    } else {
                        None
                    },
                    other_family_name: if named {
                        r.try_get("other_family_name")?
                    } else {
                        None
                    },
                    other_source_id: if named {
                        r.try_get("other_source_id")?
                    } else {
                        None
                    },
                    other_hub: r.try_get("other_hub")?,
                    detail: if named
                        || r.try_get::<String>("kind")? != AlertKind::PossibleReferral.code()
                    {
                        r.try_get("detail")?
                    } else {
                        "A child named in a family's record is not known to the hub.".to_string()
                    },
                    created_at: r.try_get("created_at")?,
                    seen: r.try_get::<Option<DateTime<Utc>>>("seen_at")?.is_some(),
                    family_label: None,
                    other_family_label: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut list = list;
        if named {
            let ids: Vec<FamilyId> = list
                .iter()
                .flat_map(|a| [a.family_id, a.other_family_id])
                .flatten()
                .collect();
            let tags =
                crate::families::family_tags(&mut tx, actor, ids.into_iter(), Utc::now()).await?;
            for a in &mut list {
                a.family_label = a.family_id.and_then(|f| tags.get(&f)).map(|t| t.describe());
                a.other_family_label = a
                    .other_family_id
                    .and_then(|f| tags.get(&f))
                    .map(|t| t.describe());
            }
        }
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::Alert, None::<i64>, None)
                .listing(list.iter().map(|a| a.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn unseen_alerts(&self, actor: &Actor) -> Result<i64> {
        if !actor.role.can(Capability::ReceiveAlerts) {
            return Ok(0);
        }
        Ok(access::hub(actor)
            .query(format!(
                "SELECT COUNT(*) AS n FROM alerts a WHERE a.hub_id = $1 AND a.seen_at IS NULL AND {}",
                visible_alerts(actor, "a")
            ))
            .bind_hub()
            .fetch_one(&mut self.db.plain().await?)
            .await?
            .try_get("n")?)
    }

    async fn mark_alerts_seen(&self, actor: &Actor, now: DateTime<Utc>) -> Result<()> {
        if !actor.role.can(Capability::ReceiveAlerts) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        access::hub(actor).query(format!("UPDATE alerts SET seen_at = $1, seen_by = $2 WHERE hub_id = $3 AND seen_at IS NULL AND {}", visible_alerts(actor, "alerts")))
            .bind(now)
            .bind(actor.user_id)
            .bind_hub()
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The hub's alerts the actor may see, as an SQL condition on the alerts table (or alias)
/// `a`. Police partners see an alert only when every record it links was passed to them
/// ([`access::HubView::passed`]); an alert about another hub, or a record kept in the hub,
/// is not theirs, nor is its identifier.
fn visible_alerts(actor: &Actor, a: &str) -> String {
    let view = access::hub_view(actor);
    if !view.is_police() {
        return "(1 = 1)".into();
    }
    format!(
        "({a}.source_id IS NOT NULL AND {} AND ({a}.other_source_id IS NULL OR {}))",
        view.passed(
            &format!("{a}.source_type"),
            &format!("{a}.source_id"),
            &format!("{a}.item_kind"),
            &format!("{a}.item_value")
        ),
        view.passed(
            &format!("{a}.other_source_type"),
            &format!("{a}.other_source_id"),
            &format!("{a}.item_kind"),
            &format!("{a}.item_value")
        ),
    )
}

/// Whether an entry of the family was reviewed as relevant by someone other than the
/// person who recorded it: only such entries take part in cross-hub matching (M1).
async fn vetted(tx: &mut Conn, fam: &FamilyScope, entry: i64) -> Result<bool> {
    Ok(fam
        .query(
            "SELECT id FROM info_entries WHERE id = $1 AND family_id = $2 AND status = 'relevant' \
             AND reviewed_by IS NOT NULL AND reviewed_by <> recorded_by",
        )
        .bind(entry)
        .bind_family()
        .fetch_optional(&mut *tx)
        .await?
        .is_some())
}
