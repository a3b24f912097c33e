//! Referrals: receiving them (and spotting re-referrals), triage and allocation.

mod receive;
mod records;

use crate::prelude::*;
use alongside_domain::workdays::Nation;

pub use records::*;

/// Referrals and their triage.
#[async_trait]
pub trait Referrals: Send + Sync {
    async fn create_referral(
        &self,
        actor: &Actor,
        new: &NewReferral,
        now: DateTime<Utc>,
    ) -> Result<ReferralCreated>;
    async fn referrals(&self, actor: &Actor, open_only: bool) -> Result<Vec<ReferralRow>>;
    async fn referral(&self, actor: &Actor, id: ReferralId) -> Result<ReferralDetail>;
    async fn triage_referral(
        &self,
        actor: &Actor,
        id: ReferralId,
        triage: &Triage,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Sets how many working days the hub allows from referral to first contact.
    async fn set_first_contact_target(&self, actor: &Actor, days: i64) -> Result<()>;
    /// How many cross-hub matches one person of the hub may cause in a day (managers).
    async fn set_cross_hub_daily_limit(&self, actor: &Actor, limit: i64) -> Result<()>;
    /// The hub's nation and the bank holidays it added (anyone of the hub: no one's data).
    async fn hub_holidays(&self, actor: &Actor) -> Result<HubHolidays>;
    /// The hub's nation (managers, with the other hub settings).
    async fn set_hub_nation(&self, actor: &Actor, nation: Nation) -> Result<()>;
    /// A bank holiday the shipped list does not have (administrators).
    async fn add_bank_holiday(
        &self,
        actor: &Actor,
        day: NaiveDate,
        title: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The name the hub's parents and carers see (`None`: the neutral default).
    async fn parent_service_name(&self, actor: &Actor) -> Result<Option<String>>;
    async fn set_parent_service_name(&self, actor: &Actor, name: Option<&str>) -> Result<()>;
}

#[async_trait]
impl Referrals for SqlStore {
    async fn create_referral(
        &self,
        actor: &Actor,
        new: &NewReferral,
        now: DateTime<Utc>,
    ) -> Result<ReferralCreated> {
        if !actor.role.can(Capability::CreateReferral) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let known_family = receive::known_family(&mut tx, actor, new).await?;
        let earlier_referrals: i64 = match known_family {
            Some(fid) => access::referred_family(actor, fid)
                .query("SELECT COUNT(*) AS n FROM referrals WHERE family_id = $1")
                .bind_family()
                .fetch_one(&mut tx)
                .await?
                .try_get("n")?,
            None => 0,
        };
        let family_id = match known_family {
            Some(id) => id,
            None => {
                let surname = new
                    .children()
                    .first()
                    .map(|c| c.family_name())
                    .unwrap_or("Unnamed");
                access::hub(actor).query("INSERT INTO families (hub_id, name, search_key, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind_hub()
                    .bind(format!("{surname} family"))
                    .bind(format!("{surname} family").to_lowercase())
                    .bind(now)
                    .fetch_one(&mut tx)
                    .await?
                    .try_get("id")?
            }
        };
        let fam = access::referred_family(actor, family_id);
        receive::add_people(&mut tx, &fam, new, now).await?;
        let indicators: Vec<&str> = new.indicators().iter().map(|i| i.code()).collect();
        let referral_id: ReferralId = access::hub(actor).query(
            "INSERT INTO referrals (hub_id, family_id, source, received_on, referrer_name, referrer_contact, reasons, indicators, indicators_other, \
             consent_to_share, is_rereferral, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind_hub()
        .bind(family_id)
        .bind(new.source().code())
        .bind(new.received_on())
        .bind(new.referrer_name())
        .bind(new.referrer_contact())
        .bind(new.reasons())
        .bind(indicators.join(","))
        .bind(new.indicators_other())
        .bind(new.consent_to_share())
        .bind(known_family.is_some())
        .bind(ReferralStatus::AwaitingTriage.code())
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        let summary = if known_family.is_some() {
            format!(
                "Re-referral received from {} ({} earlier)",
                new.source().label().to_lowercase(),
                earlier_referrals
            )
        } else {
            format!(
                "Referral received from {}",
                new.source().label().to_lowercase()
            )
        };
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Referral,
                new.received_on().and_hms_opt(0, 0, 0).unwrap_or_default(),
                &summary,
                Visibility::Shareable,
            )
            .detail(Some(new.reasons()))
            .source(referral_id),
            &ev(
                AuditAction::Create,
                AuditRecord::Referral,
                Some(referral_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        // Only those who may see the family learn whether it was already known.
        // Nor which family it is filed under: a referrer who does not hold it is told the
        // same whether the child was new to the hub or not (issue 10, L3).
        let earlier_referrals = actor.sees_all_families().then_some(earlier_referrals);
        Ok(ReferralCreated {
            referral_id,
            family_id: actor.sees_all_families().then_some(family_id),
            earlier_referrals,
        })
    }

    async fn referrals(&self, actor: &Actor, open_only: bool) -> Result<Vec<ReferralRow>> {
        if !actor.role.can(Capability::TriageReferrals) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let sql = format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN families f ON f.id = r.family_id \
             WHERE r.hub_id = $1 AND ($2 OR r.status = 'awaiting_triage' OR (r.status = 'accepted' AND r.first_contact_at IS NULL)) \
             ORDER BY r.received_on, r.id LIMIT 1000"
        );
        let rows = access::hub(actor)
            .query(&sql)
            .bind_hub()
            .bind(!open_only)
            .fetch_all(&mut tx)
            .await?;
        let mut list = rows.iter().map(referral_row).collect::<Result<Vec<_>>>()?;
        let tags = crate::families::family_tags(
            &mut tx,
            actor,
            list.iter().filter_map(|r| r.family_id),
            Utc::now(),
        )
        .await?;
        for r in &mut list {
            r.family_label = r.family_id.and_then(|f| tags.get(&f)).map(|t| t.describe());
        }
        self.audit_read(
            actor,
            &ev(AuditAction::List, AuditRecord::Referral, None::<i64>, None).listing(
                list.iter().map(|r| r.id.get()),
                Some(if open_only { "open" } else { "all" }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn referral(&self, actor: &Actor, id: ReferralId) -> Result<ReferralDetail> {
        let mut tx = self.db.read().await?;
        // Managers see every referral of the hub; others those they made or whose
        // family they hold.
        let sql = format!(
            "SELECT {REFERRAL_COLUMNS}, r.referrer_name, r.referrer_contact, r.reasons, r.indicators, r.indicators_other, \
             r.consent_to_share, r.decision, r.threshold_reasoning, t.display_name AS triaged_by, f.lead_plo_id, f.csw_id, \
             c.display_name AS created_by \
             FROM referrals r JOIN families f ON f.id = r.family_id JOIN users c ON c.id = r.created_by \
             LEFT JOIN users t ON t.id = r.triaged_by \
             WHERE r.hub_id = $1 AND r.id = $4 AND ($2 OR r.created_by = $3 OR f.lead_plo_id = $3 OR f.csw_id = $3)"
        );
        let row = access::hub(actor)
            .query(&sql)
            .bind_hub()
            .bind(actor.sees_all_families())
            .bind(actor.user_id)
            .bind(id)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut row_data = referral_row(&row)?;
        let family_id: FamilyId = row.try_get("family_id")?;
        let indicators: String = row.try_get("indicators")?;
        let lead_plo_id: Option<UserId> = row.try_get("lead_plo_id")?;
        let csw_id: Option<UserId> = row.try_get("csw_id")?;
        // Whoever made the referral may read it; only those who hold the family
        // (or the whole hub) learn its history.
        let sees_family = actor.sees_all_families()
            || lead_plo_id == Some(actor.user_id)
            || csw_id == Some(actor.user_id);
        let fam = match sees_family {
            true => Some(access::family(&mut tx, actor, family_id).await?),
            false => None,
        };
        let earlier = if let Some(fam) = &fam {
            let earlier_sql = format!(
                "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN families f ON f.id = r.family_id \
                 WHERE r.family_id = $1 AND r.id <> $2 ORDER BY r.received_on DESC, r.id DESC LIMIT 100"
            );
            fam.query(earlier_sql)
                .bind_family()
                .bind(id)
                .fetch_all(&mut tx)
                .await?
                .iter()
                .map(referral_row)
                .collect::<Result<Vec<_>>>()?
        } else {
            // The referrer who does not hold the family: what they sent, nothing of the
            // family it was filed under (whether it was known, its name, its number, its
            // workers).
            row_data.is_rereferral = false;
            row_data.family_id = None;
            row_data.family_name = "family you referred".into();
            Vec::new()
        };
        // For the manager: other families of the hub with a child of the same name,
        // which a referral without dates of birth cannot be matched to safely.
        let possible_matches = if let Some(fam) = fam.filter(|_| actor.sees_all_families()) {
            fam.query(
                "SELECT DISTINCT f.id, f.name FROM family_members m JOIN families f ON f.id = m.family_id \
                 WHERE m.hub_id = $1 AND m.family_id <> $2 AND m.member_role IN ('child_at_risk', 'sibling') \
                 AND m.name_key IN (SELECT name_key FROM family_members WHERE family_id = $2 AND member_role IN ('child_at_risk', 'sibling')) \
                 ORDER BY f.id LIMIT 20",
            )
            .bind_hub()
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| Ok(FamilyRef { id: r.try_get("id")?, name: r.try_get("name")? }))
            .collect::<Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        // Who the referral is about, for those who hold the family: the children's first
        // names and ages (and the family's reference and area).
        let family_tag = match &fam {
            Some(_) => {
                crate::families::family_tags(&mut tx, actor, std::iter::once(family_id), Utc::now())
                    .await?
                    .remove(&family_id)
            }
            None => None,
        };
        let detail = ReferralDetail {
            family_tag,
            referrer_name: row.try_get("referrer_name")?,
            referrer_contact: row.try_get("referrer_contact")?,
            reasons: row.try_get("reasons")?,
            indicators: indicators
                .split(',')
                .filter(|s| !s.is_empty())
                .map(code)
                .collect::<Result<_>>()?,
            indicators_other: row.try_get("indicators_other")?,
            consent_to_share: row.try_get("consent_to_share")?,
            decision: opt_code::<TriageDecision>(row.try_get("decision")?)?,
            threshold_reasoning: row.try_get("threshold_reasoning")?,
            triaged_by: row.try_get("triaged_by")?,
            lead_plo_id: lead_plo_id.filter(|_| sees_family),
            csw_id: csw_id.filter(|_| sees_family),
            created_by: row.try_get("created_by")?,
            earlier,
            possible_matches,
            row: row_data,
        };
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Referral,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(detail)
    }

    async fn triage_referral(
        &self,
        actor: &Actor,
        id: ReferralId,
        t: &Triage,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::TriageReferrals) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let family_id: FamilyId = access::hub(actor)
            .query("SELECT family_id FROM referrals WHERE id = $1 AND hub_id = $2")
            .bind(id)
            .bind_hub()
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("family_id")?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let plo_name = match t.plo_id() {
            Some(p) => Some(
                crate::accounts::is_hub_worker(&mut tx, actor.hub_id, p, Role::Plo)
                    .await?
                    .ok_or_else(|| StoreError::from(Refusal::NotHubPlo))?,
            ),
            None => None,
        };
        let csw_name = match t.csw_id() {
            Some(c) => Some(
                crate::accounts::is_hub_worker(&mut tx, actor.hub_id, c, Role::Csw)
                    .await?
                    .ok_or_else(|| StoreError::from(Refusal::NotHubCsw))?,
            ),
            None => None,
        };
        let naive_now = uk_local(now);
        fam.query(
            "UPDATE referrals SET threshold = $1, threshold_reasoning = $2, decision = $3, status = $4, triaged_at = $5, triaged_by = $6 WHERE id = $7 AND family_id = $8",
        )
        .bind(t.threshold().code())
        .bind(t.reasoning())
        .bind(t.decision().code())
        .bind(t.decision().status().code())
        .bind(naive_now)
        .bind(actor.user_id)
        .bind(id)
        .bind_family()
        .execute(&mut tx)
        .await?;
        if t.decision() == TriageDecision::Accept {
            fam.query(
                "UPDATE families SET threshold = $1, lead_plo_id = $2, csw_id = $3 WHERE id = $4",
            )
            .bind(t.threshold().code())
            .bind(t.plo_id())
            .bind(t.csw_id())
            .bind_family()
            .execute(&mut tx)
            .await?;
            let allocate = crate::continuity::allocate;
            allocate(&mut tx, &fam, actor, Role::Plo, t.plo_id(), None, now).await?;
            allocate(&mut tx, &fam, actor, Role::Csw, t.csw_id(), None, now).await?;
        }
        let summary = triage_summary(t, plo_name.as_deref(), csw_name.as_deref());
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Triage,
                naive_now,
                &summary,
                Visibility::Shareable,
            )
            .detail(Some(t.reasoning()))
            .source(id),
            &ev(
                AuditAction::Triage,
                AuditRecord::Referral,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_first_contact_target(&self, actor: &Actor, days: i64) -> Result<()> {
        if !actor.role.can(Capability::TriageReferrals) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        access::hub(actor)
            .query("UPDATE hubs SET first_contact_target_days = $1 WHERE id = $2")
            .bind(days)
            .bind_hub()
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
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn hub_holidays(&self, actor: &Actor) -> Result<HubHolidays> {
        let mut conn = self.db.plain().await?;
        let nation: Nation = code(
            &access::hub(actor)
                .query("SELECT nation FROM hubs WHERE id = $1")
                .bind_hub()
                .fetch_one(&mut conn)
                .await?
                .try_get::<String>("nation")?,
        )?;
        let added = access::hub(actor)
            .query("SELECT h.day, h.title, u.display_name AS added_by_name, h.added_at FROM hub_bank_holidays h JOIN users u ON u.id = h.added_by WHERE h.hub_id = $1 ORDER BY h.day")
            .bind_hub()
            .fetch_all(&mut conn)
            .await?
            .iter()
            .map(|r| {
                Ok(AddedHoliday {
                    day: r.try_get("day")?,
                    title: r.try_get("title")?,
                    added_by: r.try_get("added_by_name")?,
                    added_at: r.try_get("added_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(HubHolidays { nation, added })
    }

    async fn set_hub_nation(&self, actor: &Actor, nation: Nation) -> Result<()> {
        if !actor.role.can(Capability::TriageReferrals) {
            return Err(StoreError::NotFound);
        }
        let was = self.hub_holidays(actor).await?.nation;
        if was == nation {
            return Ok(());
        }
        let mut tx = self.db.write().await?;
        access::hub(actor)
            .query("UPDATE hubs SET nation = $1 WHERE id = $2")
            .bind(nation.code())
            .bind_hub()
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
                format!("bank holidays of {}", was.label()),
                format!("bank holidays of {}", nation.label()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_bank_holiday(
        &self,
        actor: &Actor,
        day: NaiveDate,
        title: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::ManageUsers) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let taken = access::hub(actor)
            .query("SELECT 1 AS n FROM hub_bank_holidays WHERE hub_id = $1 AND day = $2")
            .bind_hub()
            .bind(day)
            .fetch_optional(&mut tx)
            .await?
            .is_some();
        if taken {
            return Err(Refusal::BankHolidayKnown.into());
        }
        access::hub(actor)
            .query("INSERT INTO hub_bank_holidays (hub_id, day, title, added_by, added_at) VALUES ($1, $2, $3, $4, $5)")
            .bind_hub()
            .bind(day)
            .bind(title)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut tx)
            .await?;
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Create,
                AuditRecord::HubSetting,
                Some(actor.hub_id),
                None,
            )
            .change("", format!("bank holiday {day}: {title}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn parent_service_name(&self, actor: &Actor) -> Result<Option<String>> {
        if !actor.role.can(Capability::TriageReferrals) {
            return Err(StoreError::NotFound);
        }
        Ok(access::hub(actor)
            .query("SELECT parent_service_name FROM hubs WHERE id = $1")
            .bind_hub()
            .fetch_one(&mut self.db.plain().await?)
            .await?
            .try_get("parent_service_name")?)
    }

    async fn set_parent_service_name(&self, actor: &Actor, name: Option<&str>) -> Result<()> {
        if !actor.role.can(Capability::TriageReferrals) {
            return Err(StoreError::NotFound);
        }
        let was = self.parent_service_name(actor).await?;
        if was.as_deref() == name {
            return Ok(());
        }
        let mut tx = self.db.write().await?;
        access::hub(actor)
            .query("UPDATE hubs SET parent_service_name = $1 WHERE id = $2")
            .bind(name)
            .bind_hub()
            .execute(&mut tx)
            .await?;
        let shown = |n: Option<&str>| {
            format!(
                "parents see \"{}\"",
                n.unwrap_or(crate::NEUTRAL_PARENT_SERVICE_NAME)
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
            .change(shown(was.as_deref()), shown(name)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_cross_hub_daily_limit(&self, actor: &Actor, limit: i64) -> Result<()> {
        if !actor.role.can(Capability::TriageReferrals) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let was: i64 = access::hub(actor)
            .query("SELECT cross_hub_daily_limit FROM hubs WHERE id = $1")
            .bind_hub()
            .fetch_one(&mut tx)
            .await?
            .try_get("cross_hub_daily_limit")?;
        access::hub(actor)
            .query("UPDATE hubs SET cross_hub_daily_limit = $1 WHERE id = $2")
            .bind(limit)
            .bind_hub()
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
                format!("cross-hub limit {was}"),
                format!("cross-hub limit {limit}"),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn referral_row(r: &Row) -> Result<ReferralRow> {
    Ok(ReferralRow {
        id: r.try_get("id")?,
        family_id: Some(r.try_get("family_id")?),
        family_name: r.try_get("family_name")?,
        source: code(&r.try_get::<String>("source")?)?,
        received_on: r.try_get("received_on")?,
        status: code(&r.try_get::<String>("status")?)?,
        threshold: opt_code(r.try_get("threshold")?)?,
        is_rereferral: r.try_get("is_rereferral")?,
        triaged_at: r.try_get("triaged_at")?,
        first_contact_at: r.try_get("first_contact_at")?,
        family_label: None,
    })
}

pub(crate) fn triage_summary(t: &Triage, plo: Option<&str>, csw: Option<&str>) -> String {
    let mut s = format!(
        "Threshold {}: {}",
        t.threshold().label().to_lowercase(),
        t.decision().label().to_lowercase()
    );
    if let Some(p) = plo {
        s = format!("{s}; Parent Liaison Officer {p}");
    }
    if let Some(c) = csw {
        s = format!("{s}; Child Support Worker {c}");
    }
    s
}

/// The key names are matched on for re-referrals: case and spacing do not matter.
pub(crate) fn name_key(given: &str, family: &str) -> String {
    format!("{given} {family}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The columns [`referral_row`] reads (`r` a referral, `f` its family).
pub(crate) const REFERRAL_COLUMNS: &str = "r.id, r.family_id, f.name AS family_name, r.source, r.received_on, r.status, r.threshold, r.is_rereferral, r.triaged_at, r.first_contact_at";
