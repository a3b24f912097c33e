//! Missing episodes (issue 12): opened by a parent or carer from the portal ("my child is
//! missing now") or by a worker, completed as the facts come in; each change audited with
//! what it replaced. The children missing now, and those missing three times in ninety
//! days, for the caseload and the manager.

use super::{child_scope, ProfileChild, Reach};
use crate::prelude::*;
use alongside_domain::episodes::{
    interview_due, EpisodeDetails, FoundBy, Interview, NewMissingNow, RiskGrading, PATTERN_DAYS,
    PATTERN_EPISODES,
};

/// An episode, with the child it is about.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EpisodeView {
    pub id: EpisodeId,
    pub child: ProfileChild,
    pub details: EpisodeDetails,
    pub opened_by: String,
    /// Opened by the parent or carer (from the portal).
    pub by_parent: bool,
    pub opened_at: DateTime<Utc>,
    /// The return-home interview, once recorded. To a parent or carer only what became
    /// of it: what the child said there is the child's, and the team's.
    pub interview: Option<Interview>,
}

/// An episode in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EpisodeRow {
    pub id: EpisodeId,
    pub family_id: FamilyId,
    pub child_id: MemberId,
    pub child_name: String,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc")]
    pub last_seen_at: NaiveDateTime,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub returned_at: Option<NaiveDateTime>,
    pub found_where: Option<String>,
    pub search_nights: i64,
}

/// A child who needs the team's attention now: missing, or missing often.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MissingAttention {
    pub child_id: MemberId,
    pub child_name: String,
    pub family_id: FamilyId,
    pub family_name: String,
    /// The open episode, if the child is missing now.
    pub open_episode: Option<EpisodeId>,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc_opt")]
    pub missing_since: Option<NaiveDateTime>,
    /// Episodes in the last ninety days.
    pub recent: i64,
}

impl MissingAttention {
    /// Three or more in ninety days: the child's plan needs reviewing.
    pub fn needs_plan_review(&self) -> bool {
        self.recent >= PATTERN_EPISODES
    }
}

/// Missing episodes.
#[async_trait]
pub trait MissingEpisodes: Send + Sync {
    /// A parent or carer says their child is missing now.
    async fn report_missing_now(
        &self,
        actor: &Actor,
        new: &NewMissingNow,
        now: DateTime<Utc>,
    ) -> Result<EpisodeId>;
    /// A worker (or a parent) records an episode of the child.
    async fn add_episode(
        &self,
        actor: &Actor,
        child: MemberId,
        details: &EpisodeDetails,
        now: DateTime<Utc>,
    ) -> Result<EpisodeId>;
    /// The episode's details as they are now known (what they replace is audited).
    async fn update_episode(
        &self,
        actor: &Actor,
        id: EpisodeId,
        details: &EpisodeDetails,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn episode(&self, actor: &Actor, id: EpisodeId) -> Result<EpisodeView>;
    /// A child's episodes, newest first.
    async fn child_episodes(&self, actor: &Actor, child: MemberId) -> Result<Vec<EpisodeRow>>;
    /// The children of the actor's families (every family of the hub for a manager) who
    /// are missing now, or were missing three or more times in ninety days up to `today`.
    async fn missing_attention(
        &self,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Vec<MissingAttention>>;
}

const EPISODE_ROW: &str = "SELECT e.id, e.family_id, e.child_member_id, COALESCE(m.known_as, m.given_name) AS child_name, \
     e.last_seen_at, e.returned_at, e.found_where, e.search_nights \
     FROM missing_episodes e JOIN family_members m ON m.id = e.child_member_id";

fn episode_row(r: &Row) -> Result<EpisodeRow> {
    Ok(EpisodeRow {
        id: r.try_get("id")?,
        family_id: r.try_get("family_id")?,
        child_id: r.try_get("child_member_id")?,
        child_name: r.try_get("child_name")?,
        last_seen_at: r.try_get("last_seen_at")?,
        returned_at: r.try_get("returned_at")?,
        found_where: r.try_get("found_where")?,
        search_nights: r.try_get("search_nights")?,
    })
}

fn details_of(r: &Row) -> Result<EpisodeDetails> {
    Ok(EpisodeDetails {
        last_seen_at: r.try_get("last_seen_at")?,
        last_seen_where: r.try_get("last_seen_where")?,
        last_seen_with: r.try_get("last_seen_with")?,
        reported_at: r.try_get("reported_at")?,
        reported_by: r.try_get("reported_by")?,
        police_reference: r.try_get("police_reference")?,
        risk: opt_code::<RiskGrading>(r.try_get("risk")?)?,
        searches: r.try_get("searches")?,
        clothing: r.try_get("clothing")?,
        possessions: r.try_get("possessions")?,
        state_of_mind: r.try_get("state_of_mind")?,
        returned_at: r.try_get("returned_at")?,
        found_where: r.try_get("found_where")?,
        found_by: opt_code::<FoundBy>(r.try_get("found_by")?)?,
        found_with: r.try_get("found_with")?,
        how_returned: r.try_get("how_returned")?,
        search_nights: r.try_get("search_nights")?,
    })
}

/// The family scope of an episode the actor may reach, and its child.
async fn episode_scope(
    conn: &mut Conn,
    actor: &Actor,
    id: EpisodeId,
) -> Result<(FamilyScope, ProfileChild)> {
    let child: MemberId = access::hub(actor)
        .query("SELECT child_member_id FROM missing_episodes WHERE id = $1 AND hub_id = $2")
        .bind(id)
        .bind_hub()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("child_member_id")?;
    child_scope(conn, actor, child, Reach::Family).await
}

async fn insert(
    tx: &mut Conn,
    fam: &FamilyScope,
    actor: &Actor,
    child: &ProfileChild,
    d: &EpisodeDetails,
    now: DateTime<Utc>,
    by_parent_now: bool,
) -> Result<EpisodeId> {
    let id: EpisodeId = fam
        .query(
            "INSERT INTO missing_episodes (hub_id, family_id, child_member_id, last_seen_at, last_seen_where, last_seen_with, reported_at, reported_by, police_reference, risk, \
             searches, clothing, possessions, state_of_mind, returned_at, found_where, found_by, found_with, how_returned, search_nights, opened_by, opened_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) RETURNING id",
        )
        .bind_hub()
        .bind_family()
        .bind(child.member_id)
        .bind(d.last_seen_at)
        .bind(d.last_seen_where.clone())
        .bind(d.last_seen_with.clone())
        .bind(d.reported_at)
        .bind(d.reported_by.clone())
        .bind(d.police_reference.clone())
        .bind(d.risk.map(|r| r.code()))
        .bind(d.searches.clone())
        .bind(d.clothing.clone())
        .bind(d.possessions.clone())
        .bind(d.state_of_mind.clone())
        .bind(d.returned_at)
        .bind(d.found_where.clone())
        .bind(d.found_by.map(|f| f.code()))
        .bind(d.found_with.clone())
        .bind(d.how_returned.clone())
        .bind(d.search_nights)
        .bind(actor.user_id)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    let summary = if by_parent_now {
        format!("{} reported missing by their parent or carer", child.name())
    } else {
        format!("{} missing (an episode recorded)", child.name())
    };
    chronology::record(
        tx,
        fam,
        actor,
        Line::new(
            ChronologyKind::Missing,
            d.last_seen_at,
            &summary,
            Visibility::Shareable,
        )
        .detail(d.last_seen_where.as_deref())
        .source(id),
        &ev(
            AuditAction::Create,
            AuditRecord::MissingEpisode,
            Some(id),
            Some(fam.id()),
        ),
    )
    .await?;
    Ok(id)
}

#[async_trait]
impl MissingEpisodes for SqlStore {
    async fn report_missing_now(
        &self,
        actor: &Actor,
        new: &NewMissingNow,
        now: DateTime<Utc>,
    ) -> Result<EpisodeId> {
        if !actor.role.can(Capability::UseParentPortal) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let (fam, child) = super::child_scope(&mut tx, actor, new.child(), Reach::Family)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::Conflict(Refusal::NotFamilyChild),
                other => other,
            })?;
        let d = EpisodeDetails {
            last_seen_at: new.last_seen_at(),
            last_seen_where: new.last_seen_where().map(str::to_string),
            last_seen_with: None,
            reported_at: None,
            reported_by: None,
            police_reference: None,
            risk: None,
            searches: None,
            clothing: None,
            possessions: None,
            state_of_mind: None,
            returned_at: None,
            found_where: None,
            found_by: None,
            found_with: None,
            how_returned: None,
            search_nights: 0,
        };
        let id = insert(&mut tx, &fam, actor, &child, &d, now, true).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn add_episode(
        &self,
        actor: &Actor,
        child: MemberId,
        details: &EpisodeDetails,
        now: DateTime<Utc>,
    ) -> Result<EpisodeId> {
        let mut tx = self.db.write().await?;
        let (fam, child) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        let id = insert(&mut tx, &fam, actor, &child, details, now, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_episode(
        &self,
        actor: &Actor,
        id: EpisodeId,
        d: &EpisodeDetails,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let (fam, child) = episode_scope(&mut tx, actor, id).await?;
        let before = details_of(
            &fam.query("SELECT * FROM missing_episodes WHERE id = $1 AND family_id = $2")
                .bind(id)
                .bind_family()
                .fetch_one(&mut tx)
                .await?,
        )?;
        fam.query(
            "UPDATE missing_episodes SET last_seen_at = $1, last_seen_where = $2, last_seen_with = $3, reported_at = $4, reported_by = $5, police_reference = $6, risk = $7, \
             searches = $8, clothing = $9, possessions = $10, state_of_mind = $11, returned_at = $12, found_where = $13, found_by = $14, found_with = $15, how_returned = $16, \
             search_nights = $17, updated_at = $18 WHERE id = $19 AND family_id = $20",
        )
        .bind(d.last_seen_at)
        .bind(d.last_seen_where.clone())
        .bind(d.last_seen_with.clone())
        .bind(d.reported_at)
        .bind(d.reported_by.clone())
        .bind(d.police_reference.clone())
        .bind(d.risk.map(|r| r.code()))
        .bind(d.searches.clone())
        .bind(d.clothing.clone())
        .bind(d.possessions.clone())
        .bind(d.state_of_mind.clone())
        .bind(d.returned_at)
        .bind(d.found_where.clone())
        .bind(d.found_by.map(|f| f.code()))
        .bind(d.found_with.clone())
        .bind(d.how_returned.clone())
        .bind(d.search_nights)
        .bind(now)
        .bind(id)
        .bind_family()
        .execute(&mut tx)
        .await?;
        let event = ev(
            AuditAction::Update,
            AuditRecord::MissingEpisode,
            Some(id),
            Some(fam.id()),
        )
        .change(
            serde_json::to_string(&before).unwrap_or_default(),
            serde_json::to_string(d).unwrap_or_default(),
        );
        if before.returned_at.is_none() && d.returned_at.is_some() {
            let summary = match d.found_by {
                Some(FoundBy::CameBack) => format!("{} came back", child.name()),
                Some(f) => format!("{} found ({})", child.name(), f.label().to_lowercase()),
                None => format!("{} back", child.name()),
            };
            chronology::record(
                &mut tx,
                &fam,
                actor,
                Line::new(
                    ChronologyKind::Missing,
                    d.returned_at.unwrap_or(d.last_seen_at),
                    &summary,
                    Visibility::Shareable,
                )
                .detail(d.found_where.as_deref())
                .source(id),
                &event,
            )
            .await?;
        } else {
            audit::write(&mut tx, actor, &event).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn episode(&self, actor: &Actor, id: EpisodeId) -> Result<EpisodeView> {
        let mut tx = self.db.read().await?;
        let (fam, child) = episode_scope(&mut tx, actor, id).await?;
        let r = fam
            .query(
                "SELECT e.*, u.display_name AS opened_by_name, u.role AS opener_role FROM missing_episodes e JOIN users u ON u.id = e.opened_by \
                 WHERE e.id = $1 AND e.family_id = $2",
            )
            .bind(id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?;
        let view = EpisodeView {
            id,
            child,
            details: details_of(&r)?,
            opened_by: r.try_get("opened_by_name")?,
            by_parent: r.try_get::<String>("opener_role")? == Role::Parent.code(),
            opened_at: r.try_get("opened_at")?,
            interview: fam
                .query("SELECT * FROM return_interviews WHERE episode_id = $1 AND family_id = $2")
                .bind(id)
                .bind_family()
                .fetch_optional(&mut tx)
                .await?
                .map(|r| interview_of(&r))
                .transpose()?
                .map(|i| {
                    if actor.role.can(Capability::UseParentPortal) {
                        Interview {
                            where_went: None,
                            with_whom: None,
                            travel: None,
                            push_factors: None,
                            pull_factors: None,
                            indicators: None,
                            ..i
                        }
                    } else {
                        i
                    }
                }),
        };
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::MissingEpisode,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(view)
    }

    async fn child_episodes(&self, actor: &Actor, child: MemberId) -> Result<Vec<EpisodeRow>> {
        let mut tx = self.db.read().await?;
        let (fam, _) = child_scope(&mut tx, actor, child, Reach::Profile).await?;
        let list = fam
            .query(format!("{EPISODE_ROW} WHERE e.child_member_id = $1 AND e.family_id = $2 ORDER BY e.last_seen_at DESC, e.id DESC LIMIT 500"))
            .bind(child)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(episode_row)
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::MissingEpisode,
                None::<i64>,
                Some(fam.id()),
            )
            .listing(list.iter().map(|e| e.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn missing_attention(
        &self,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Vec<MissingAttention>> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let since = today - chrono::Duration::days(PATTERN_DAYS);
        let since_at = since.and_hms_opt(23, 59, 59).expect("a time of day");
        let rows = access::bind_visible(
            access::hub(actor).query(format!(
                "SELECT e.id, e.child_member_id, COALESCE(m.known_as, m.given_name) AS child_name, e.family_id, f.name AS family_name, e.last_seen_at, e.returned_at \
                 FROM missing_episodes e JOIN family_members m ON m.id = e.child_member_id JOIN families f ON f.id = e.family_id \
                 WHERE {VISIBLE_FAMILIES} AND (e.returned_at IS NULL OR e.last_seen_at > $4) ORDER BY e.last_seen_at LIMIT 2000"
            )),
            actor,
        )
        .bind(since_at)
        .fetch_all(&mut tx)
        .await?;
        let mut by_child: std::collections::BTreeMap<i64, MissingAttention> = Default::default();
        for r in &rows {
            let child: MemberId = r.try_get("child_member_id")?;
            let last_seen: NaiveDateTime = r.try_get("last_seen_at")?;
            let returned: Option<NaiveDateTime> = r.try_get("returned_at")?;
            let a = by_child.entry(child.get()).or_insert(MissingAttention {
                child_id: child,
                child_name: r.try_get("child_name")?,
                family_id: r.try_get("family_id")?,
                family_name: r.try_get("family_name")?,
                open_episode: None,
                missing_since: None,
                recent: 0,
            });
            if last_seen.date() > since && last_seen.date() <= today {
                a.recent += 1;
            }
            // Two reports of one absence (the parent's "missing now" beside one a worker
            // opened): the newest report is the one to complete.
            let id: EpisodeId = r.try_get("id")?;
            if returned.is_none() && a.open_episode.is_none_or(|open| id > open) {
                a.open_episode = Some(id);
                a.missing_since = Some(last_seen);
            }
        }
        let list: Vec<MissingAttention> = by_child
            .into_values()
            .filter(|a| a.open_episode.is_some() || a.needs_plan_review())
            .collect();
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::MissingEpisode,
                None::<i64>,
                None,
            )
            .listing(
                list.iter().map(|a| a.child_id.get()),
                Some("missing now or often"),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }
}

/// An episode whose return-home interview has not been recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InterviewDue {
    pub episode_id: EpisodeId,
    pub child_name: String,
    pub family_name: String,
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc")]
    pub returned_at: NaiveDateTime,
    /// 72 hours after the return.
    #[serde(serialize_with = "alongside_domain::clock::uk_as_utc")]
    pub due_at: NaiveDateTime,
}

impl InterviewDue {
    pub fn overdue(&self, now: &NaiveDateTime) -> bool {
        *now > self.due_at
    }
}

/// Return-home interviews.
#[async_trait]
pub trait ReturnInterviews: Send + Sync {
    /// The interview after an episode the child has come back from (workers of the
    /// family); a second record replaces the first, and what it replaced is audited.
    async fn record_interview(
        &self,
        actor: &Actor,
        episode: EpisodeId,
        interview: &Interview,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Episodes of the actor's families (every family of the hub for a manager) that
    /// are over, with no interview recorded, the soonest due first.
    async fn interviews_due(&self, actor: &Actor) -> Result<Vec<InterviewDue>>;
}

pub(super) fn interview_of(r: &Row) -> Result<Interview> {
    Ok(Interview {
        outcome: code(&r.try_get::<String>("outcome")?)?,
        offered_at: r.try_get("offered_at")?,
        offered_by: r.try_get("offered_by")?,
        independent: r.try_get("independent")?,
        declined_info: r.try_get("declined_info")?,
        not_held_reason: r.try_get("not_held_reason")?,
        where_went: r.try_get("where_went")?,
        with_whom: r.try_get("with_whom")?,
        travel: r.try_get("travel")?,
        push_factors: r.try_get("push_factors")?,
        pull_factors: r.try_get("pull_factors")?,
        indicators: r.try_get("indicators")?,
    })
}

#[async_trait]
impl ReturnInterviews for SqlStore {
    async fn record_interview(
        &self,
        actor: &Actor,
        episode: EpisodeId,
        i: &Interview,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let (fam, child) = episode_scope(&mut tx, actor, episode).await?;
        let returned: Option<NaiveDateTime> = fam
            .query("SELECT returned_at FROM missing_episodes WHERE id = $1 AND family_id = $2")
            .bind(episode)
            .bind_family()
            .fetch_one(&mut tx)
            .await?
            .try_get("returned_at")?;
        if returned.is_none() {
            return Err(StoreError::Conflict(Refusal::StillMissing));
        }
        let before = fam
            .query("SELECT * FROM return_interviews WHERE episode_id = $1 AND family_id = $2")
            .bind(episode)
            .bind_family()
            .fetch_optional(&mut tx)
            .await?
            .map(|r| interview_of(&r))
            .transpose()?;
        if before.is_some() {
            fam.query("DELETE FROM return_interviews WHERE episode_id = $1 AND family_id = $2")
                .bind(episode)
                .bind_family()
                .execute(&mut tx)
                .await?;
        }
        fam.query(
            "INSERT INTO return_interviews (episode_id, hub_id, family_id, outcome, offered_at, offered_by, independent, declined_info, not_held_reason, \
             where_went, with_whom, travel, push_factors, pull_factors, indicators, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(episode)
        .bind_hub()
        .bind_family()
        .bind(i.outcome.code())
        .bind(i.offered_at)
        .bind(i.offered_by.clone())
        .bind(i.independent)
        .bind(i.declined_info.clone())
        .bind(i.not_held_reason.clone())
        .bind(i.where_went.clone())
        .bind(i.with_whom.clone())
        .bind(i.travel.clone())
        .bind(i.push_factors.clone())
        .bind(i.pull_factors.clone())
        .bind(i.indicators.clone())
        .bind(actor.user_id)
        .bind(now)
        .execute(&mut tx)
        .await?;
        let mut event = ev(
            if before.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            AuditRecord::ReturnInterview,
            Some(episode),
            Some(fam.id()),
        );
        if let Some(b) = &before {
            event = event.change(
                serde_json::to_string(b).unwrap_or_default(),
                serde_json::to_string(i).unwrap_or_default(),
            );
        }
        let summary = format!(
            "Return-home interview for {}: {}",
            child.name(),
            i.outcome.label().to_lowercase()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Missing,
                uk_local(now),
                &summary,
                Visibility::Confidential,
            )
            .source(episode),
            &event,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn interviews_due(&self, actor: &Actor) -> Result<Vec<InterviewDue>> {
        if !actor.sees_families() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let rows = access::bind_visible(
            access::hub(actor).query(format!(
                "SELECT e.id, COALESCE(m.known_as, m.given_name) AS child_name, f.name AS family_name, e.returned_at \
                 FROM missing_episodes e JOIN family_members m ON m.id = e.child_member_id JOIN families f ON f.id = e.family_id \
                 WHERE {VISIBLE_FAMILIES} AND e.returned_at IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM return_interviews i WHERE i.episode_id = e.id) \
                 ORDER BY e.returned_at, e.id LIMIT 500"
            )),
            actor,
        )
        .fetch_all(&mut tx)
        .await?;
        let list = rows
            .iter()
            .map(|r| {
                let returned_at: NaiveDateTime = r.try_get("returned_at")?;
                Ok(InterviewDue {
                    episode_id: r.try_get("id")?,
                    child_name: r.try_get("child_name")?,
                    family_name: r.try_get("family_name")?,
                    returned_at,
                    due_at: interview_due(returned_at),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::ReturnInterview,
                None::<i64>,
                None,
            )
            .listing(list.iter().map(|d| d.episode_id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }
}
