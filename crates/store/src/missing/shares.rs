//! A child's missing-from-home profile and the hub's police partner (issue 12). The police
//! read a profile only while the child is missing (an episode with no return yet) or while
//! the family or their PLO shares it; the rule is [`access::shared_profile`], and each
//! read is audited where the profile is read. A share is withdrawn, never deleted.

use super::{child_scope, profile_id, Reach};
use crate::prelude::*;
use crate::{PoliceReach, ProfileShare, SharedProfileRow};
use alongside_domain::validate::SHORT_TEXT_MAX;

/// Sharing profiles with the police partner, and the police partner's list of them.
#[async_trait]
pub trait ProfileShares: Send + Sync {
    /// The family (on the portal) or a worker of the family shares the profile with the
    /// hub's police partner, saying why. Refused if it is shared already, or not written.
    async fn share_profile(
        &self,
        actor: &Actor,
        child: MemberId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The share withdrawn: the police read the profile again only while the child is
    /// missing. Withdrawing what is not shared changes nothing.
    async fn withdraw_profile_share(
        &self,
        actor: &Actor,
        child: MemberId,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The profiles the police partner may read now (missing now or shared), newest
    /// first. Anyone else: not found.
    async fn shared_profiles(&self, actor: &Actor) -> Result<Vec<SharedProfileRow>>;
}

/// Whether, and why, the police may read this child's profile now.
pub(crate) async fn police_reach(
    conn: &mut Conn,
    fam: &FamilyScope,
    child: MemberId,
) -> Result<PoliceReach> {
    let missing_since = fam
        .query(
            "SELECT MIN(last_seen_at) AS since FROM missing_episodes \
             WHERE child_member_id = $1 AND family_id = $2 AND returned_at IS NULL",
        )
        .bind(child)
        .bind_family()
        .fetch_one(&mut *conn)
        .await?
        .try_get::<Option<NaiveDateTime>>("since")?;
    let share = fam
        .query(
            "SELECT s.reason, s.shared_at, u.display_name FROM profile_shares s JOIN users u ON u.id = s.shared_by \
             WHERE s.child_member_id = $1 AND s.family_id = $2 AND s.withdrawn_at IS NULL ORDER BY s.id DESC LIMIT 1",
        )
        .bind(child)
        .bind_family()
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| {
            Ok::<_, StoreError>(ProfileShare {
                reason: r.try_get("reason")?,
                shared_by: r.try_get("display_name")?,
                shared_at: r.try_get("shared_at")?,
            })
        })
        .transpose()?;
    Ok(PoliceReach {
        missing_since,
        share,
    })
}

#[async_trait]
impl ProfileShares for SqlStore {
    async fn share_profile(
        &self,
        actor: &Actor,
        child: MemberId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty()
            || reason.chars().count() > SHORT_TEXT_MAX
            || reason.chars().any(char::is_control)
        {
            return Err(StoreError::Conflict(Refusal::UnstorableText));
        }
        let mut tx = self.db.write().await?;
        let (fam, who) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        if profile_id(&mut tx, &fam, child).await?.is_none() {
            return Err(StoreError::Conflict(Refusal::NothingToShare));
        }
        if police_reach(&mut tx, &fam, child).await?.share.is_some() {
            return Err(StoreError::Conflict(Refusal::AlreadyShared));
        }
        let inserted = fam
            .query(
                "INSERT INTO profile_shares (hub_id, family_id, child_member_id, reason, shared_by, shared_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind_hub()
            .bind_family()
            .bind(child)
            .bind(reason.to_string())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut tx)
            .await;
        // Two shares at once: the one-standing-share index refuses the second.
        let id: i64 = match inserted {
            Err(e) if crate::db::is_unique_violation(&e) => {
                return Err(StoreError::Conflict(Refusal::AlreadyShared))
            }
            other => other?.try_get("id")?,
        };
        let summary = format!(
            "Missing-from-home profile for {} shared with the police",
            who.name()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Profile,
                uk_local(now),
                &summary,
                Visibility::Confidential,
            )
            .detail(Some(reason))
            .source(id),
            &ev(
                AuditAction::Share,
                AuditRecord::MissingProfile,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn withdraw_profile_share(
        &self,
        actor: &Actor,
        child: MemberId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let (fam, who) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        let done = fam
            .query(
                "UPDATE profile_shares SET withdrawn_by = $1, withdrawn_at = $2 \
                 WHERE child_member_id = $3 AND family_id = $4 AND withdrawn_at IS NULL",
            )
            .bind(actor.user_id)
            .bind(now)
            .bind(child)
            .bind_family()
            .execute(&mut tx)
            .await?;
        if done.rows_affected() > 0 {
            let summary = format!(
                "Missing-from-home profile for {} no longer shared with the police",
                who.name()
            );
            chronology::record(
                &mut tx,
                &fam,
                actor,
                Line::new(
                    ChronologyKind::Profile,
                    uk_local(now),
                    &summary,
                    Visibility::Confidential,
                ),
                &ev(
                    AuditAction::Withdraw,
                    AuditRecord::MissingProfile,
                    None::<i64>,
                    Some(fam.id()),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn shared_profiles(&self, actor: &Actor) -> Result<Vec<SharedProfileRow>> {
        if !actor.role.can(Capability::ReadSharedProfiles) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let sql = format!(
            "SELECT m.id, COALESCE(m.known_as, m.given_name) AS name, m.family_name, \
             (SELECT MIN(e.last_seen_at) FROM missing_episodes e WHERE e.child_member_id = m.id AND e.hub_id = m.hub_id AND e.returned_at IS NULL) AS since, \
             s.reason, s.shared_at, u.display_name AS shared_by \
             FROM family_members m \
             LEFT JOIN profile_shares s ON s.child_member_id = m.id AND s.hub_id = m.hub_id AND s.withdrawn_at IS NULL \
             LEFT JOIN users u ON u.id = s.shared_by \
             WHERE m.hub_id = $1 AND {} ORDER BY m.id DESC LIMIT 500",
            access::PROFILE_OPEN_TO_POLICE
        );
        let rows = access::hub(actor)
            .query(sql)
            .bind_hub()
            .fetch_all(&mut tx)
            .await?;
        let list = rows
            .iter()
            .map(|r| {
                let share = match r.try_get::<Option<String>>("reason")? {
                    Some(reason) => Some(ProfileShare {
                        reason,
                        shared_by: r
                            .try_get::<Option<String>>("shared_by")?
                            .unwrap_or_default(),
                        shared_at: r
                            .try_get::<Option<DateTime<Utc>>>("shared_at")?
                            .ok_or(StoreError::NotFound)?,
                    }),
                    None => None,
                };
                Ok(SharedProfileRow {
                    member_id: r.try_get("id")?,
                    name: format!(
                        "{} {}",
                        r.try_get::<String>("name")?,
                        r.try_get::<String>("family_name")?
                    ),
                    reach: PoliceReach {
                        missing_since: r.try_get("since")?,
                        share,
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::MissingProfile,
                None::<i64>,
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }
}
