//! The missing-from-home profile of each child of a family (issue 12; the Philomena
//! Protocol's Part 1): kept ready by the parents on the portal and by the family's
//! workers, every change a new version, the photo kept as its pixels alone. The hub's
//! police partner reads one only while the child is missing or while it is shared with
//! them (`shares`).

mod episodes;
mod records;
mod shares;

use crate::prelude::*;
use alongside_domain::missing::FRIENDS_MAX;

pub use episodes::*;
pub use records::*;
pub use shares::ProfileShares;

/// Missing-from-home profiles.
#[async_trait]
pub trait MissingProfiles: Send + Sync {
    /// The child's profile (Part 1 as it is now, if made; its versions; the photo).
    async fn missing_profile(&self, actor: &Actor, child: MemberId) -> Result<ProfileView>;
    /// Saves Part 1 as a new version, made from version `read` (0 when none was made):
    /// refused if another was saved meanwhile. Returns the new version.
    async fn save_missing_profile(
        &self,
        actor: &Actor,
        child: MemberId,
        read: i64,
        new: &NewProfile,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Keeps a photo with the profile (the newest is the one shown); the bytes are a
    /// photo as `information::photo::clean` leaves it.
    async fn add_profile_photo(
        &self,
        actor: &Actor,
        child: MemberId,
        content_type: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The newest photo, if any: its type and bytes.
    async fn profile_photo(
        &self,
        actor: &Actor,
        child: MemberId,
    ) -> Result<Option<(String, Vec<u8>)>>;
    /// The family's children and whether each has a profile (parents pass `None`).
    async fn missing_profiles(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
    ) -> Result<Vec<ProfileRow>>;
}

/// Which of a child's records a call reaches: the profile as it is read (Part 1, its
/// photo, the list of episodes), which the police partner reads when it is open to them
/// (see [`access::shared_profile`]); or anything else (every change, an episode's full
/// record, the return-home interview), which only the family and its workers reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    Profile,
    Family,
}

/// The family scope of a child the actor may reach (a parent their own family's
/// children; a worker the children of families they may see), and the child.
pub(crate) async fn child_scope(
    conn: &mut Conn,
    actor: &Actor,
    child: MemberId,
    reach: Reach,
) -> Result<(FamilyScope, ProfileChild)> {
    if actor.role.can(Capability::ReadSharedProfiles) && reach != Reach::Profile {
        return Err(StoreError::NotFound);
    }
    let row = access::hub(actor)
        .query(
            "SELECT m.id, m.family_id, f.name AS family_name, m.given_name, m.family_name AS child_family_name, \
             m.known_as, m.date_of_birth, m.member_role \
             FROM family_members m JOIN families f ON f.id = m.family_id WHERE m.id = $1 AND m.hub_id = $2",
        )
        .bind(child)
        .bind_hub()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let role: MemberRole = code(&row.try_get::<String>("member_role")?)?;
    if !matches!(role, MemberRole::ChildAtRisk | MemberRole::Sibling) {
        return Err(StoreError::NotFound);
    }
    let family_id: FamilyId = row.try_get("family_id")?;
    let fam = if actor.role.can(Capability::ReadSharedProfiles) {
        access::shared_profile(conn, actor, child).await?
    } else {
        access::writable_family(conn, actor, Some(family_id)).await?
    };
    Ok((
        fam,
        ProfileChild {
            member_id: child,
            family_id,
            family_name: row.try_get("family_name")?,
            given_name: row.try_get("given_name")?,
            family_name_of_child: row.try_get("child_family_name")?,
            known_as: row.try_get("known_as")?,
            date_of_birth: row.try_get("date_of_birth")?,
        },
    ))
}

pub(crate) async fn profile_id(
    conn: &mut Conn,
    fam: &FamilyScope,
    child: MemberId,
) -> Result<Option<(ProfileId, i64)>> {
    fam.query("SELECT id, current_version FROM missing_profiles WHERE child_member_id = $1 AND family_id = $2")
        .bind(child)
        .bind_family()
        .fetch_optional(conn)
        .await?
        .map(|r| Ok((r.try_get("id")?, r.try_get("current_version")?)))
        .transpose()
}

#[async_trait]
impl MissingProfiles for SqlStore {
    async fn missing_profile(&self, actor: &Actor, child: MemberId) -> Result<ProfileView> {
        let mut tx = self.db.read().await?;
        let (fam, child) = child_scope(&mut tx, actor, child, Reach::Profile).await?;
        let found = profile_id(&mut tx, &fam, child.member_id).await?;
        let police = shares::police_reach(&mut tx, &fam, child.member_id).await?;
        let mut view = ProfileView {
            child,
            profile_id: found.map(|(id, _)| id),
            content: None,
            versions: Vec::new(),
            photo: None,
            police,
        };
        if let Some((id, current)) = found {
            let versions = fam
                .query(
                    "SELECT v.*, u.display_name AS saved_by FROM missing_profile_versions v JOIN users u ON u.id = v.created_by \
                     WHERE v.profile_id = $1 AND v.family_id = $2 ORDER BY v.version DESC",
                )
                .bind(id)
                .bind_family()
                .fetch_all(&mut tx)
                .await?;
            for v in &versions {
                view.versions.push(ProfileVersion {
                    version: v.try_get("version")?,
                    saved_by: v.try_get("saved_by")?,
                    saved_at: v.try_get("created_at")?,
                });
            }
            if let Some(v) = versions
                .iter()
                .find(|v| v.try_get::<i64>("version").ok() == Some(current))
            {
                let version_id: i64 = v.try_get("id")?;
                let friends = fam
                    .query(
                        "SELECT name, child, about FROM missing_profile_friends WHERE version_id = $1 AND family_id = $2 ORDER BY position",
                    )
                    .bind(version_id)
                    .bind_family()
                    .fetch_all(&mut tx)
                    .await?
                    .iter()
                    .map(|f| {
                        Ok(Friend {
                            name: f.try_get("name")?,
                            child: f.try_get("child")?,
                            about: f.try_get("about")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let t = |c: &str| v.try_get::<Option<String>>(c);
                view.content = Some(ProfileContent {
                    nicknames: t("nicknames")?,
                    place_of_birth: t("place_of_birth")?,
                    height: t("height")?,
                    build: t("build")?,
                    hair: t("hair")?,
                    eyes: t("eyes")?,
                    marks: t("marks")?,
                    appearance: t("appearance")?,
                    phones: t("phones")?,
                    other_sims: t("other_sims")?,
                    online: t("online")?,
                    friends,
                    places: t("places")?,
                    risk_locations: t("risk_locations")?,
                    vehicles: t("vehicles")?,
                    medical: t("medical")?,
                    medication: t("medication")?,
                    school: t("school")?,
                    transport: t("transport")?,
                });
            }
            view.photo = fam
                .query(
                    "SELECT content_type, size_bytes, created_at FROM missing_profile_photos \
                     WHERE profile_id = $1 AND family_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
                )
                .bind(id)
                .bind_family()
                .fetch_optional(&mut tx)
                .await?
                .map(|p| {
                    Ok::<_, StoreError>(ProfilePhotoInfo {
                        content_type: p.try_get("content_type")?,
                        size_bytes: p.try_get("size_bytes")?,
                        given_at: p.try_get("created_at")?,
                    })
                })
                .transpose()?;
        }
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::MissingProfile,
                view.profile_id,
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(view)
    }

    async fn save_missing_profile(
        &self,
        actor: &Actor,
        child: MemberId,
        read: i64,
        new: &NewProfile,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        if !(actor.sees_families() || actor.role.can(Capability::UseParentPortal)) {
            return Err(StoreError::NotFound);
        }
        let c = new.content();
        if c.friends.len() > FRIENDS_MAX {
            return Err(StoreError::Conflict(Refusal::UnstorableText));
        }
        let mut tx = self.db.write().await?;
        let (fam, who) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        let (id, current) = match profile_id(&mut tx, &fam, child).await? {
            Some(found) => found,
            None => {
                let id: ProfileId = fam
                    .query(
                        "INSERT INTO missing_profiles (hub_id, family_id, child_member_id, current_version, created_by, created_at, updated_at) \
                         VALUES ($1, $2, $3, 0, $4, $5, $6) RETURNING id",
                    )
                    .bind_hub()
                    .bind_family()
                    .bind(child)
                    .bind(actor.user_id)
                    .bind(now)
                    .bind(now)
                    .fetch_one(&mut tx)
                    .await?
                    .try_get("id")?;
                (id, 0)
            }
        };
        if current != read {
            return Err(StoreError::Conflict(Refusal::ChangedSinceRead));
        }
        let version = current + 1;
        let version_id: i64 = fam
            .query(
                "INSERT INTO missing_profile_versions (profile_id, hub_id, family_id, version, nicknames, place_of_birth, height, build, hair, eyes, marks, appearance, \
                 phones, other_sims, online, places, risk_locations, vehicles, medical, medication, school, transport, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id",
            )
            .bind(id)
            .bind_hub()
            .bind_family()
            .bind(version)
            .bind(c.nicknames.clone())
            .bind(c.place_of_birth.clone())
            .bind(c.height.clone())
            .bind(c.build.clone())
            .bind(c.hair.clone())
            .bind(c.eyes.clone())
            .bind(c.marks.clone())
            .bind(c.appearance.clone())
            .bind(c.phones.clone())
            .bind(c.other_sims.clone())
            .bind(c.online.clone())
            .bind(c.places.clone())
            .bind(c.risk_locations.clone())
            .bind(c.vehicles.clone())
            .bind(c.medical.clone())
            .bind(c.medication.clone())
            .bind(c.school.clone())
            .bind(c.transport.clone())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;
        for (i, f) in c.friends.iter().enumerate() {
            fam.query(
                "INSERT INTO missing_profile_friends (version_id, hub_id, family_id, position, name, child, about) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(version_id)
            .bind_hub()
            .bind_family()
            .bind(i as i64)
            .bind(f.name.clone())
            .bind(f.child)
            .bind(f.about.clone())
            .execute(&mut tx)
            .await?;
        }
        advance_version(&mut tx, &fam, "missing_profiles", id.into(), current, now).await?;
        let summary = format!(
            "Missing-from-home profile for {} {} (version {version})",
            who.name(),
            if version == 1 {
                "made"
            } else {
                "brought up to date"
            }
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
            .source(id),
            &ev(
                if version == 1 {
                    AuditAction::Create
                } else {
                    AuditAction::Update
                },
                AuditRecord::MissingProfile,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn add_profile_photo(
        &self,
        actor: &Actor,
        child: MemberId,
        content_type: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !(actor.sees_families() || actor.role.can(Capability::UseParentPortal)) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let (fam, who) = child_scope(&mut tx, actor, child, Reach::Family).await?;
        let (id, _) = profile_id(&mut tx, &fam, child)
            .await?
            .ok_or(StoreError::Conflict(Refusal::ProfileFirst))?;
        fam.query(
            "INSERT INTO missing_profile_photos (profile_id, hub_id, family_id, content_type, size_bytes, sha256, content, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind_hub()
        .bind_family()
        .bind(content_type.to_string())
        .bind(bytes.len() as i64)
        .bind(sha256_hex(bytes))
        .bind(bytes.to_vec())
        .bind(actor.user_id)
        .bind(now)
        .execute(&mut tx)
        .await?;
        let summary = format!(
            "A recent photo of {} added to their missing-from-home profile",
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
            .source(id),
            &ev(
                AuditAction::Update,
                AuditRecord::MissingProfile,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn profile_photo(
        &self,
        actor: &Actor,
        child: MemberId,
    ) -> Result<Option<(String, Vec<u8>)>> {
        let mut tx = self.db.read().await?;
        let (fam, _) = child_scope(&mut tx, actor, child, Reach::Profile).await?;
        let Some((id, _)) = profile_id(&mut tx, &fam, child).await? else {
            return Ok(None);
        };
        let photo = fam
            .query(
                "SELECT content_type, content FROM missing_profile_photos WHERE profile_id = $1 AND family_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(id)
            .bind_family()
            .fetch_optional(&mut tx)
            .await?
            .map(|p| Ok::<_, StoreError>((p.try_get("content_type")?, p.try_get("content")?)))
            .transpose()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::MissingProfile,
                Some(id),
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(photo)
    }

    async fn missing_profiles(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
    ) -> Result<Vec<ProfileRow>> {
        let mut tx = self.db.read().await?;
        let fam = access::writable_family(&mut tx, actor, family_id).await?;
        let list = fam
            .query(
                "SELECT m.id, COALESCE(m.known_as, m.given_name) AS name, p.current_version, p.updated_at \
                 FROM family_members m LEFT JOIN missing_profiles p ON p.child_member_id = m.id AND p.current_version > 0 \
                 WHERE m.family_id = $1 AND m.member_role IN ('child_at_risk', 'sibling') ORDER BY m.member_role, m.id",
            )
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| {
                Ok(ProfileRow {
                    member_id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    version: r.try_get("current_version")?,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::MissingProfile,
                None::<i64>,
                Some(fam.id()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }
}
