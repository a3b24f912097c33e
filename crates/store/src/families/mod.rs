//! The family record: families, their members and strengths, caseloads and capacity.

pub(crate) mod chronology;
pub mod contacts;
mod lists;
mod records;

use lists::caseload_of;
pub(crate) use lists::family_tags;

use crate::prelude::*;
use crate::{Accounts, User};

pub use records::*;

/// Families and the work of holding them.
#[async_trait]
pub trait Families: Send + Sync {
    async fn families(
        &self,
        actor: &Actor,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<FamilySummary>>;
    async fn family_page(&self, actor: &Actor, id: FamilyId) -> Result<FamilyPage>;
    async fn add_member(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        m: &NewMember,
        now: DateTime<Utc>,
    ) -> Result<MemberId>;
    /// The family's strengths and own words. With `expected`, only if they are still the
    /// version of that tag ([`Family::strengths_tag`]); else refused as changed.
    async fn update_strengths(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        strengths: Option<&str>,
        own_words: Option<&str>,
        expected: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// A family member's details corrected: what changed goes in the chronology with
    /// what it was, so nothing is lost.
    async fn update_member(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        member_id: MemberId,
        m: &NewMember,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The area the family lives in and its address; each change goes in the chronology
    /// with what it was.
    async fn update_family_details(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        area: Option<&str>,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn caseload(&self, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<CaseloadRow>>;
    async fn capacity(&self, actor: &Actor) -> Result<Vec<CapacityRow>>;
    /// The hub's caseload limit and weights (anyone who allocates or views capacity).
    async fn caseload_rules(&self, actor: &Actor) -> Result<CaseloadRules>;
    async fn set_caseload_rules(&self, actor: &Actor, rules: &CaseloadRules) -> Result<()>;
    /// One worker's caseload, for the manager (a worker of the hub, or not found).
    async fn worker_caseload(
        &self,
        actor: &Actor,
        worker: UserId,
        now: DateTime<Utc>,
    ) -> Result<(User, Vec<CaseloadRow>)>;
}

#[async_trait]
impl Families for SqlStore {
    async fn families(
        &self,
        actor: &Actor,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<FamilySummary>> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        // LIKE's wildcards and PostgreSQL's escape character are taken out of what was typed.
        let pattern =
            search.map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_', '\\'], "")));
        // Two shapes, so each can use its index: the whole hub by name, or the
        // actor's own families by allocation.
        let build = |select: &str| {
            let mut q = access::hub(actor).query(select.to_string());
            q.push(" WHERE f.hub_id = ").push_hub();
            if !actor.sees_all_families() {
                q.push(" AND f.id IN (SELECT id FROM families WHERE lead_plo_id = ")
                    .push_bind(actor.user_id)
                    .push(" UNION ALL SELECT id FROM families WHERE csw_id = ")
                    .push_bind(actor.user_id)
                    .push(")");
            }
            if let Some(p) = &pattern {
                q.push(" AND f.search_key LIKE ").push_bind(p.clone());
            }
            q
        };
        let total: i64 = build("SELECT COUNT(*) AS n FROM families f")
            .fetch_one(&mut tx)
            .await?
            .try_get("n")?;
        let mut q = build(
            "SELECT f.id, f.name, f.threshold, p.display_name AS plo, c.display_name AS csw FROM families f \
             LEFT JOIN users p ON p.id = f.lead_plo_id LEFT JOIN users c ON c.id = f.csw_id",
        );
        q.push(" ORDER BY f.name, f.id LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let rows = q.fetch_all(&mut tx).await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(FamilySummary {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    tag: FamilyTag::default(),
                    threshold: opt_code(r.try_get("threshold")?)?,
                    lead_plo: r.try_get("plo")?,
                    csw: r.try_get("csw")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut items = items;
        let tags = family_tags(&mut tx, actor, items.iter().map(|f| f.id), Utc::now()).await?;
        for f in &mut items {
            f.tag = tags.get(&f.id).cloned().unwrap_or_default();
        }
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::Family, None::<i64>, None)
                .listing(items.iter().map(|f| f.id.get()), pattern.as_deref()),
        )
        .await?;
        tx.commit().await?;
        Ok(Page { items, total })
    }

    async fn family_page(&self, actor: &Actor, id: FamilyId) -> Result<FamilyPage> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, id).await?;
        let r = fam
            .query(
                "SELECT f.id, f.name, f.threshold, f.strengths, f.own_words, f.lead_plo_id, f.csw_id, f.created_at, f.area, f.address, f.closed_at, \
                 p.display_name AS plo, c.display_name AS csw, \
                 (SELECT COUNT(*) FROM chronology ch WHERE ch.family_id = f.id) AS total, \
                 (SELECT MAX(k.occurred_at) FROM contacts k WHERE k.family_id = f.id AND k.status = 'held') AS last_contact \
                 FROM families f \
                 LEFT JOIN users p ON p.id = f.lead_plo_id LEFT JOIN users c ON c.id = f.csw_id WHERE f.id = $1",
            )
            .bind_family()
            .fetch_one(&mut tx)
            .await?;
        let family = Family {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            threshold: opt_code(r.try_get("threshold")?)?,
            strengths: r.try_get("strengths")?,
            own_words: r.try_get("own_words")?,
            lead_plo_id: r.try_get("lead_plo_id")?,
            lead_plo: r.try_get("plo")?,
            csw_id: r.try_get("csw_id")?,
            csw: r.try_get("csw")?,
            created_at: r.try_get("created_at")?,
            area: r.try_get("area")?,
            address: r.try_get("address")?,
            closed_at: r.try_get("closed_at")?,
        };
        let chronology_total: i64 = r.try_get("total")?;
        let last_contact: Option<NaiveDateTime> = r.try_get("last_contact")?;
        let members = fam.query(
            "SELECT id, given_name, family_name, known_as, member_role, carer_kind, date_of_birth, relationship, lives, lives_since \
             FROM family_members WHERE family_id = $1 ORDER BY CASE member_role WHEN 'child_at_risk' THEN 0 WHEN 'sibling' THEN 1 WHEN 'parent_carer' THEN 2 ELSE 3 END, id LIMIT 200",
        )
        .bind_family()
        .fetch_all(&mut tx)
        .await?
        .iter()
        .map(|m| {
            Ok(Member {
                id: m.try_get("id")?,
                given_name: m.try_get("given_name")?,
                family_name: m.try_get("family_name")?,
                known_as: m.try_get("known_as")?,
                member_role: code(&m.try_get::<String>("member_role")?)?,
                carer_kind: opt_code(m.try_get("carer_kind")?)?,
                date_of_birth: m.try_get("date_of_birth")?,
                relationship: m.try_get("relationship")?,
                lives: opt_code(m.try_get("lives")?)?,
                lives_since: m.try_get("lives_since")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let referral_sql = format!(
            "SELECT {} FROM referrals r JOIN families f ON f.id = r.family_id WHERE r.family_id = $1 ORDER BY r.received_on DESC, r.id DESC LIMIT 50",
            crate::referrals::REFERRAL_COLUMNS
        );
        let referrals = fam
            .query(referral_sql)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(crate::referrals::referral_row)
            .collect::<Result<Vec<_>>>()?;
        let upcoming = fam.query(
            "SELECT c.id, c.kind, c.status, c.occurred_at, c.duration_minutes, c.participants, c.note, c.visibility, u.display_name AS recorded_by_name \
             FROM contacts c JOIN users u ON u.id = c.recorded_by WHERE c.family_id = $1 AND c.status = 'planned' \
             ORDER BY c.occurred_at LIMIT 20",
        )
        .bind_family()
        .fetch_all(&mut tx)
        .await?
        .iter()
        .map(|c| crate::families::contacts::contact_row(c, actor))
        .collect::<Result<Vec<_>>>()?;
        let recent = fam.query(
            "SELECT ch.id, ch.occurred_at, ch.kind, ch.summary, ch.detail, ch.visibility, u.display_name AS recorded_by_name \
             FROM chronology ch JOIN users u ON u.id = ch.recorded_by WHERE ch.family_id = $1 ORDER BY ch.occurred_at DESC, ch.id DESC LIMIT 10",
        )
        .bind_family()
        .fetch_all(&mut tx)
        .await?
        .iter()
        .map(|c| chronology::chronology_row(c, actor))
        .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(AuditAction::Read, AuditRecord::Family, Some(id), Some(id)),
        )
        .await?;
        tx.commit().await?;
        Ok(FamilyPage {
            family,
            members,
            referrals,
            upcoming,
            recent,
            chronology_total,
            last_contact,
        })
    }

    async fn add_member(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        m: &NewMember,
        now: DateTime<Utc>,
    ) -> Result<MemberId> {
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let id: MemberId = fam.query(
            "INSERT INTO family_members (family_id, hub_id, given_name, family_name, name_key, known_as, member_role, carer_kind, date_of_birth, relationship, lives, lives_since, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind_family()
        .bind_hub()
        .bind(m.given_name())
        .bind(m.family_name())
        .bind(name_key(m.given_name(), m.family_name()))
        .bind(m.known_as())
        .bind(m.member_role().code())
        .bind(m.carer_kind().map(|k| k.code()))
        .bind(m.date_of_birth())
        .bind(m.relationship())
        .bind(m.lives().map(|k| k.code()))
        .bind(m.lives_since())
        .bind(now)
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        let summary = format!(
            "{} added to the family record ({})",
            m.given_name(),
            m.member_role().label().to_lowercase()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Family,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::FamilyMember,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_member(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        member_id: MemberId,
        m: &NewMember,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let old = fam
            .query("SELECT given_name, family_name, known_as, member_role, carer_kind, date_of_birth, relationship, lives, lives_since FROM family_members WHERE id = $1 AND family_id = $2")
            .bind(member_id)
            .bind_family()
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let text = |v: Option<String>| v.unwrap_or_else(|| "not recorded".into());
        let date = |v: Option<NaiveDate>| {
            v.map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_else(|| "not recorded".into())
        };
        let label = |c: Option<String>, f: fn(&str) -> Option<&'static str>| {
            c.and_then(|c| f(&c).map(str::to_string))
        };
        let fields: Vec<(&str, String, String)> = vec![
            (
                "First name",
                old.try_get("given_name")?,
                m.given_name().to_string(),
            ),
            (
                "Last name",
                old.try_get("family_name")?,
                m.family_name().to_string(),
            ),
            (
                "Known as",
                text(old.try_get("known_as")?),
                text(m.known_as().map(str::to_string)),
            ),
            (
                "Place in the family",
                text(label(old.try_get("member_role")?, |c| {
                    MemberRole::parse(c).map(|r| r.label())
                })),
                m.member_role().label().to_string(),
            ),
            (
                "Kind of carer",
                text(label(old.try_get("carer_kind")?, |c| {
                    CarerKind::parse(c).map(|k| k.label())
                })),
                text(m.carer_kind().map(|k| k.label().to_string())),
            ),
            (
                "Date of birth",
                date(old.try_get("date_of_birth")?),
                date(m.date_of_birth()),
            ),
            (
                "Relationship",
                text(old.try_get("relationship")?),
                text(m.relationship().map(str::to_string)),
            ),
            (
                "Lives",
                text(label(old.try_get("lives")?, |c| {
                    LivingSituation::parse(c).map(|l| l.label())
                })),
                text(m.lives().map(|l| l.label().to_string())),
            ),
            (
                "Living there since",
                date(old.try_get("lives_since")?),
                date(m.lives_since()),
            ),
        ];
        let changes: Vec<String> = fields
            .iter()
            .filter(|(_, was, now)| was != now)
            .map(|(what, was, now)| format!("{what}: {now} (was {was})"))
            .collect();
        if changes.is_empty() {
            return Ok(());
        }
        fam.query(
            "UPDATE family_members SET given_name = $1, family_name = $2, name_key = $3, known_as = $4, member_role = $5, carer_kind = $6, \
             date_of_birth = $7, relationship = $8, lives = $9, lives_since = $10 WHERE id = $11 AND family_id = $12",
        )
        .bind(m.given_name())
        .bind(m.family_name())
        .bind(name_key(m.given_name(), m.family_name()))
        .bind(m.known_as())
        .bind(m.member_role().code())
        .bind(m.carer_kind().map(|k| k.code()))
        .bind(m.date_of_birth())
        .bind(m.relationship())
        .bind(m.lives().map(|k| k.code()))
        .bind(m.lives_since())
        .bind(member_id)
        .bind_family()
        .execute(&mut tx)
        .await?;
        let summary = format!("{}'s details changed", m.given_name());
        let detail = changes.join("\n");
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Family,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .detail(Some(&detail))
            .source(member_id),
            &ev(
                AuditAction::Update,
                AuditRecord::FamilyMember,
                Some(member_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_family_details(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        area: Option<&str>,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let was = fam
            .query("SELECT area, address FROM families WHERE id = $1")
            .bind_family()
            .fetch_one(&mut tx)
            .await?;
        let (old_area, old_address): (Option<String>, Option<String>) =
            (was.try_get("area")?, was.try_get("address")?);
        fam.query("UPDATE families SET area = $1, address = $2 WHERE id = $3")
            .bind(area)
            .bind(address)
            .bind_family()
            .execute(&mut tx)
            .await?;
        // The chronology keeps what each was, so a change is never lost.
        let shown = |v: Option<&str>| v.unwrap_or("not recorded").to_string();
        let mut changes = Vec::new();
        if old_area.as_deref() != area {
            changes.push(format!(
                "Area: {} (was {})",
                shown(area),
                shown(old_area.as_deref())
            ));
        }
        if old_address.as_deref() != address {
            changes.push(format!(
                "Address: {} (was {})",
                shown(address),
                shown(old_address.as_deref())
            ));
        }
        if changes.is_empty() {
            return Ok(());
        }
        let detail = changes.join("\n");
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Family,
                uk_local(now),
                "Family details changed",
                Visibility::Confidential,
            )
            .detail(Some(&detail)),
            &ev(
                AuditAction::Update,
                AuditRecord::Family,
                Some(family_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_strengths(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        strengths: Option<&str>,
        own_words: Option<&str>,
        expected: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        if let Some(expected) = expected {
            let r = fam
                .query("SELECT strengths, own_words FROM families WHERE id = $1")
                .bind_family()
                .fetch_one(&mut tx)
                .await?;
            let now_tag = strengths_tag(
                r.try_get::<Option<String>>("strengths")?.as_deref(),
                r.try_get::<Option<String>>("own_words")?.as_deref(),
            );
            if now_tag != expected {
                return Err(Refusal::ChangedSinceRead.into());
            }
        }
        fam.query("UPDATE families SET strengths = $1, own_words = $2 WHERE id = $3")
            .bind(strengths)
            .bind(own_words)
            .bind_family()
            .execute(&mut tx)
            .await?;
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Family,
                uk_local(now),
                "Strengths and the family's own words updated",
                Visibility::Shareable,
            ),
            &ev(
                AuditAction::Update,
                AuditRecord::Family,
                Some(family_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn caseload(&self, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<CaseloadRow>> {
        if !actor.role.can(Capability::HoldCaseload) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let list = caseload_of(&mut tx, self.db.backend(), actor, actor.user_id, now).await?;
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::Caseload, None::<i64>, None)
                .listing(list.iter().map(|r| r.family_id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn worker_caseload(
        &self,
        actor: &Actor,
        worker: UserId,
        now: DateTime<Utc>,
    ) -> Result<(User, Vec<CaseloadRow>)> {
        if !actor.role.can(Capability::ViewCapacity) {
            return Err(StoreError::NotFound);
        }
        let user = self
            .hub_workers(actor, Role::Plo)
            .await?
            .into_iter()
            .chain(self.hub_workers(actor, Role::Csw).await?)
            .find(|u| u.id == worker)
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.db.read().await?;
        let list = caseload_of(&mut tx, self.db.backend(), actor, worker, now).await?;
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::Caseload, Some(worker), None)
                .listing(list.iter().map(|r| r.family_id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok((user, list))
    }

    async fn caseload_rules(&self, actor: &Actor) -> Result<CaseloadRules> {
        if !(actor.role.can(Capability::ViewCapacity)
            || actor.role.can(Capability::TriageReferrals))
        {
            return Err(StoreError::NotFound);
        }
        let r = access::hub(actor)
            .query("SELECT caseload_limit, weight_high, weight_medium, weight_low FROM hubs WHERE id = $1")
            .bind_hub()
            .fetch_one(&mut self.db.plain().await?)
            .await?;
        Ok(CaseloadRules {
            limit: r.try_get("caseload_limit")?,
            weight_high: r.try_get("weight_high")?,
            weight_medium: r.try_get("weight_medium")?,
            weight_low: r.try_get("weight_low")?,
        })
    }

    async fn set_caseload_rules(&self, actor: &Actor, rules: &CaseloadRules) -> Result<()> {
        if !actor.role.can(Capability::ViewCapacity) {
            return Err(StoreError::NotFound);
        }
        let was = self.caseload_rules(actor).await?;
        let mut tx = self.db.write().await?;
        access::hub(actor)
            .query("UPDATE hubs SET caseload_limit = $1, weight_high = $2, weight_medium = $3, weight_low = $4 WHERE id = $5")
            .bind(rules.limit)
            .bind(rules.weight_high)
            .bind(rules.weight_medium)
            .bind(rules.weight_low)
            .bind_hub()
            .execute(&mut tx)
            .await?;
        let words = |r: &CaseloadRules| {
            format!(
                "caseload limit {}, weights high {} medium {} low {}",
                r.limit, r.weight_high, r.weight_medium, r.weight_low
            )
        };
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Update,
                AuditRecord::HubSetting,
                Some(actor.hub_id),
                None,
            )
            .change(words(&was), words(rules)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn capacity(&self, actor: &Actor) -> Result<Vec<CapacityRow>> {
        if !actor.role.can(Capability::ViewCapacity) {
            return Err(StoreError::NotFound);
        }
        let rows = access::hub(actor).query(
            "SELECT u.id, u.display_name, u.role, \
             COUNT(CASE WHEN a.threshold = 'high' THEN 1 END) AS high, \
             COUNT(CASE WHEN a.threshold = 'medium' THEN 1 END) AS medium, \
             COUNT(CASE WHEN a.threshold = 'low' THEN 1 END) AS low, \
             COUNT(CASE WHEN a.uid IS NOT NULL AND a.threshold IS NULL THEN 1 END) AS not_set \
             FROM users u JOIN hub_members m ON m.user_id = u.id AND m.hub_id = $1 \
             LEFT JOIN (SELECT lead_plo_id AS uid, threshold FROM families WHERE hub_id = $1 AND lead_plo_id IS NOT NULL AND closed_at IS NULL \
                        UNION ALL SELECT csw_id AS uid, threshold FROM families WHERE hub_id = $1 AND csw_id IS NOT NULL AND closed_at IS NULL) a ON a.uid = u.id \
             WHERE u.role IN ('plo', 'csw') AND u.active = $2 \
             GROUP BY u.id, u.display_name, u.role ORDER BY u.role DESC, u.display_name",
        )
        .bind_hub()
        .bind(true)
        .fetch_all(&mut self.db.plain().await?)
        .await?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok(CapacityRow {
                    user_id: r.try_get("id")?,
                    display_name: r.try_get("display_name")?,
                    role: code(&r.try_get::<String>("role")?)?,
                    high: r.try_get("high")?,
                    medium: r.try_get("medium")?,
                    low: r.try_get("low")?,
                    not_set: r.try_get("not_set")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::Caseload, None::<i64>, None),
        )
        .await?;
        Ok(rows)
    }
}
