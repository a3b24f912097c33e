//! The parent portal: invitations, joining, and what a parent or carer sees at home.

mod records;

use crate::prelude::*;

pub use records::*;

/// Invitations and the parent's home page.
#[async_trait]
pub trait Portal: Send + Sync {
    async fn create_invitation(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewInvitation,
        now: DateTime<Utc>,
    ) -> Result<InvitationCreated>;
    async fn invitations(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<Invitation>>;
    async fn withdraw_invitation(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        invitation_id: InvitationId,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Creates the parent's account from a live invitation. `Conflict` says, in words a
    /// parent can act on, why a code cannot be used (unknown, expired, used, withdrawn) or
    /// the username is taken.
    async fn accept_invitation(&self, a: &Acceptance, now: DateTime<Utc>) -> Result<crate::User>;
    /// Whether a code names an invitation that can still be accepted (no data returned).
    async fn invitation_usable(&self, code: &str, now: DateTime<Utc>) -> Result<()>;
    async fn parent_home(&self, actor: &Actor) -> Result<ParentHome>;
}

#[async_trait]
impl Portal for SqlStore {
    async fn create_invitation(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewInvitation,
        now: DateTime<Utc>,
    ) -> Result<InvitationCreated> {
        if !actor.role.can(Capability::InviteParents) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        if let Some(m) = new.member_id() {
            let ok = fam.query("SELECT id FROM family_members WHERE id = $1 AND family_id = $2 AND member_role = 'parent_carer'")
                .bind(m)
                .bind_family()
                .fetch_optional(&mut tx)
                .await?;
            if ok.is_none() {
                return Err(Refusal::NotParentCarer.into());
            }
        }
        let code = new_invitation_code();
        let expires_at = now + chrono::Duration::days(INVITATION_DAYS);
        let id: InvitationId = fam.query(
            "INSERT INTO parent_invitations (hub_id, family_id, member_id, display_name, code_hash, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind_hub()
        .bind_family()
        .bind(new.member_id())
        .bind(new.display_name())
        .bind(invitation_hash(&code))
        .bind(actor.user_id)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        let summary = format!("{} invited to the parent portal", new.display_name());
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
                AuditRecord::Invitation,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(InvitationCreated {
            id,
            code,
            expires_at,
        })
    }

    async fn invitations(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<Invitation>> {
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let rows = fam.query(
            "SELECT i.id, i.display_name, u.display_name AS created_by_name, i.created_at, i.expires_at, i.used_at, i.withdrawn_at \
             FROM parent_invitations i JOIN users u ON u.id = i.created_by WHERE i.family_id = $1 ORDER BY i.id DESC",
        )
        .bind_family()
        .fetch_all(&mut tx)
        .await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(Invitation {
                    id: r.try_get("id")?,
                    display_name: r.try_get("display_name")?,
                    created_by: r.try_get("created_by_name")?,
                    created_at: r.try_get("created_at")?,
                    expires_at: r.try_get("expires_at")?,
                    used_at: r.try_get("used_at")?,
                    withdrawn_at: r.try_get("withdrawn_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::Invitation,
                None::<i64>,
                Some(family_id),
            )
            .listing(list.iter().map(|i| i.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn withdraw_invitation(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        invitation_id: InvitationId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::InviteParents) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let done = fam.query("UPDATE parent_invitations SET withdrawn_at = $1 WHERE id = $2 AND family_id = $3 AND used_at IS NULL AND withdrawn_at IS NULL")
            .bind(now)
            .bind(invitation_id)
            .bind_family()
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::write(
            &mut tx,
            actor,
            &ev(
                AuditAction::Withdraw,
                AuditRecord::Invitation,
                Some(invitation_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn accept_invitation(&self, a: &Acceptance, now: DateTime<Utc>) -> Result<crate::User> {
        let mut tx = self.db.write().await?;
        let found = access::invitation(&mut tx, &invitation_hash(a.code())).await?;
        invitation_state(found.as_ref().map(|(r, _)| r), now)?;
        let (row, fam) = found.ok_or(StoreError::NotFound)?;
        let taken = unscoped("SELECT id FROM users WHERE lower(username) = lower($1)")
            .bind(a.username())
            .fetch_optional(&mut tx)
            .await?;
        if taken.is_some() {
            return Err(Refusal::UsernameTaken.into());
        }
        let invitation_id: InvitationId = row.try_get("id")?;
        let hub_id = fam.hub().id();
        let family_id = fam.id();
        let member_id: Option<MemberId> = row.try_get("member_id")?;
        let display_name: String = row.try_get("display_name")?;
        let user_row = unscoped(
            "INSERT INTO users (username, display_name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             RETURNING id, username, display_name, role, active, awaiting_approval, pending_role",
        )
        .bind(a.username())
        .bind(&display_name)
        .bind(Role::Parent.code())
        .bind(a.password_hash())
        .bind(true)
        .bind(now)
        .fetch_one(&mut tx)
        .await
        .map_err(|e| {
            // Someone took the name between the check above and this insert.
            if crate::db::is_unique_violation(&e) {
                Refusal::UsernameTaken.into()
            } else {
                e
            }
        })?;
        let user = crate::accounts::user_row(&user_row)?;
        unscoped("INSERT INTO hub_members (hub_id, user_id) VALUES ($1, $2)")
            .bind(hub_id)
            .bind(user.id)
            .execute(&mut tx)
            .await?;
        fam.query("INSERT INTO family_parents (user_id, family_id, hub_id, member_id) VALUES ($1, $2, $3, $4)")
            .bind(user.id)
            .bind_family()
            .bind_hub()
            .bind(member_id)
            .execute(&mut tx)
            .await?;
        // Single use: only an unused invitation is marked, so a second acceptance racing
        // this one finds nothing to mark and is rolled back.
        let marked = fam.query("UPDATE parent_invitations SET used_at = $1, used_by = $2 WHERE id = $3 AND family_id = $4 AND used_at IS NULL")
            .bind(now)
            .bind(user.id)
            .bind(invitation_id)
            .bind_family()
            .execute(&mut tx)
            .await?;
        if marked.rows_affected() != 1 {
            return Err(Refusal::InvitationUsed.into());
        }
        let actor = Actor {
            user_id: user.id,
            username: user.username.clone(),
            display_name: display_name.clone(),
            role: Role::Parent,
            hub_id,
            hub_name: String::new(),
            parent_service_name: None,
            origin: crate::Origin::default(),
        };
        let summary = format!("{display_name} accepted the invitation to the parent portal");
        chronology::record(
            &mut tx,
            &fam,
            &actor,
            Line::new(
                ChronologyKind::Family,
                uk_local(now),
                &summary,
                Visibility::Shareable,
            )
            .source(invitation_id),
            &ev(
                AuditAction::Accept,
                AuditRecord::Invitation,
                Some(invitation_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn invitation_usable(&self, code: &str, now: DateTime<Utc>) -> Result<()> {
        let found = access::invitation(&mut self.db.plain().await?, &invitation_hash(code)).await?;
        invitation_state(found.as_ref().map(|(r, _)| r), now)
    }

    async fn parent_home(&self, actor: &Actor) -> Result<ParentHome> {
        let mut tx = self.db.read().await?;
        let fam = access::parent_family(&mut tx, actor).await?;
        let family_id = fam.id();
        let plo: Option<String> = fam.query("SELECT u.display_name FROM families f LEFT JOIN users u ON u.id = f.lead_plo_id WHERE f.id = $1")
            .bind_family()
            .fetch_one(&mut tx)
            .await?
            .try_get("display_name")?;
        let rows = fam.query(
            "SELECT e.id, e.what, e.created_at, e.status, e.review_reason, e.reviewed_at, s.created_at AS submitted_at, s.status AS submission_status, \
             s.acknowledged_at, s.outcome, s.outcome_at FROM info_entries e LEFT JOIN submissions s ON s.id = e.submission_id \
             WHERE e.family_id = $1 AND e.recorded_by = $2 ORDER BY e.created_at DESC, e.id DESC LIMIT 500",
        )
        .bind_family()
        .bind(actor.user_id)
        .fetch_all(&mut tx)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                Ok(ParentEntry {
                    id: r.try_get("id")?,
                    what: r.try_get("what")?,
                    created_at: r.try_get("created_at")?,
                    status: code(&r.try_get::<String>("status")?)?,
                    review_reason: r.try_get("review_reason")?,
                    reviewed_at: r.try_get("reviewed_at")?,
                    submitted_at: r.try_get("submitted_at")?,
                    submission_status: opt_code(r.try_get("submission_status")?)?,
                    acknowledged_at: r.try_get("acknowledged_at")?,
                    outcome: opt_code(r.try_get("outcome")?)?,
                    outcome_at: r.try_get("outcome_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let incidents = crate::incidents::incidents_of(&mut tx, &fam, Some(actor.user_id)).await?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::ParentHome,
                None::<i64>,
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ParentHome {
            family_id,
            plo,
            entries,
            incidents,
        })
    }
}

/// How long an invitation to the parent portal stays open.
pub const INVITATION_DAYS: i64 = 7;

/// A fresh invitation code: 12 characters from an alphabet without look-alikes, in
/// groups of four ("K7QM-2XPA-9HTD"), about 60 bits.
pub(crate) fn new_invitation_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let chars: Vec<char> = (0..12)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The hash an invitation code is stored as; case, spaces and dashes do not matter.
pub(crate) fn invitation_hash(code: &str) -> String {
    use sha2::Digest;
    let canonical: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(sha2::Sha256::digest(canonical.as_bytes()))
}

/// Whether an invitation row can be accepted now, with the reason in a parent's words.
fn invitation_state(row: Option<&Row>, now: DateTime<Utc>) -> Result<()> {
    use lifecycle::InvitationState;
    let Some(row) = row else {
        return Err(Refusal::InvitationUnknown.into());
    };
    let state = InvitationState::of(
        row.try_get("used_at")?,
        row.try_get("withdrawn_at")?,
        row.try_get("expires_at")?,
        now,
    );
    match state {
        InvitationState::Waiting => Ok(()),
        InvitationState::Accepted => Err(Refusal::InvitationUsed.into()),
        InvitationState::Withdrawn => Err(Refusal::InvitationWithdrawn.into()),
        InvitationState::Expired => Err(Refusal::InvitationExpired.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_codes_are_grouped_and_hash_however_typed() {
        let code = new_invitation_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(invitation_hash(&code), invitation_hash(&typed));
        assert_ne!(invitation_hash(&code), invitation_hash("AAAA-AAAA-AAAA"));
    }
}
