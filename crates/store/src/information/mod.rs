//! The information log: entries (with how the person knows), their attachments, and review.

mod records;
mod review;

use crate::prelude::*;

pub use records::*;
pub use review::{EntryReview, Review};

/// Information-log entries and their review.
#[async_trait]
pub trait Information: Send + Sync {
    /// Records an entry. Parents pass `None` (their own family); workers name the family.
    async fn add_entry(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
        new: &NewEntry,
        now: DateTime<Utc>,
    ) -> Result<EntryId>;
    async fn entry(&self, actor: &Actor, entry_id: EntryId) -> Result<EntryDetail>;
    async fn family_entries(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<EntryRow>>;
    /// The person who recorded an entry confirms, corrects or rejects what was found in it.
    async fn check_identifiers(
        &self,
        actor: &Actor,
        entry_id: EntryId,
        checks: &[(IdentifierId, IdentifierCheck)],
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn attachment(
        &self,
        actor: &Actor,
        attachment_id: AttachmentId,
    ) -> Result<AttachmentFile>;
}

#[async_trait]
impl Information for SqlStore {
    async fn add_entry(
        &self,
        actor: &Actor,
        family_id: Option<FamilyId>,
        new: &NewEntry,
        now: DateTime<Utc>,
    ) -> Result<EntryId> {
        if !(actor.role.can(Capability::UseParentPortal) || actor.sees_families()) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::writable_family(&mut tx, actor, family_id).await?;
        let family_id = fam.id();
        let id: EntryId = fam.query(
            "INSERT INTO info_entries (hub_id, family_id, recorded_by, recorder_role, what, occurred_at, occurred_approx, place, people, how_known, how_known_who, how_known_detail, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind_hub()
        .bind_family()
        .bind(actor.user_id)
        .bind(actor.role.code())
        .bind(new.what())
        .bind(new.occurred_at())
        .bind(new.occurred_approx())
        .bind(new.place())
        .bind(new.people())
        .bind(new.how_known().code())
        .bind(new.how_known_who())
        .bind(new.how_known_detail())
        .bind(EntryStatus::New.code())
        .bind(now)
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        crate::information::insert_identifiers(
            &mut tx,
            &fam,
            "entry",
            id.get(),
            new.identifiers(),
            now,
        )
        .await?;
        if !new.attachments().is_empty() {
            photo_quota(&mut tx, &fam, actor, new, now).await?;
        }
        for a in new.attachments() {
            let aid: i64 = fam.query(
                "INSERT INTO attachments (hub_id, family_id, entry_id, filename, content_type, size_bytes, sha256, content, created_by, created_at, cleaned) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind_hub()
            .bind_family()
            .bind(id)
            .bind(a.filename())
            .bind(a.content_type())
            .bind(a.bytes().len() as i64)
            .bind(sha256_hex(a.bytes()))
            .bind(a.bytes())
            .bind(actor.user_id)
            .bind(now)
            .bind(a.cleaned())
            .fetch_one(&mut tx)
            .await?
            .try_get("id")?;
            audit::write(
                &mut tx,
                actor,
                &ev(
                    AuditAction::Create,
                    AuditRecord::Attachment,
                    Some(aid),
                    Some(family_id),
                ),
            )
            .await?;
        }
        let summary = format!(
            "Information recorded by {} ({})",
            actor.display_name,
            new.how_known().label().to_lowercase()
        );
        let when = new.occurred_at().unwrap_or_else(|| uk_local(now));
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Information,
                when,
                &summary,
                Visibility::Confidential,
            )
            .detail(Some(new.what()))
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::InfoEntry,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn entry(&self, actor: &Actor, entry_id: EntryId) -> Result<EntryDetail> {
        let mut tx = self.db.read().await?;
        let fam = access::entry(&mut tx, actor, entry_id).await?;
        let family_id = fam.id();
        let r = fam.query(
            "SELECT e.id, e.family_id, f.name AS family_name, u.display_name AS recorded_by_name, e.recorded_by, e.recorder_role, e.what, e.occurred_at, e.occurred_approx, \
             e.how_known, e.status, e.created_at, e.place, e.people, e.how_known_who, e.how_known_detail, e.review_reason, rv.display_name AS reviewed_by_name, e.reviewed_at, \
             e.submission_id, s.reference, s.status AS submission_status, s.outcome, s.outcome_at, s.created_at AS submitted_at, s.acknowledged_at \
             FROM info_entries e JOIN families f ON f.id = e.family_id JOIN users u ON u.id = e.recorded_by LEFT JOIN users rv ON rv.id = e.reviewed_by \
             LEFT JOIN submissions s ON s.id = e.submission_id WHERE e.id = $1 AND e.family_id = $2",
        )
        .bind(entry_id)
        .bind_family()
        .fetch_one(&mut tx)
        .await?;
        let identifiers = crate::information::load_identifiers(
            &mut tx,
            &fam,
            "entry",
            &[entry_id.get()],
            Identifiers::All,
        )
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
        let attachments = load_attachments(&mut tx, &fam, &[entry_id])
            .await?
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let detail = EntryDetail {
            row: entry_row(&r)?,
            recorded_by_id: r.try_get("recorded_by")?,
            place: r.try_get("place")?,
            people: r.try_get("people")?,
            how_known_who: r.try_get("how_known_who")?,
            how_known_detail: r.try_get("how_known_detail")?,
            review_reason: r.try_get("review_reason")?,
            reviewed_by: r.try_get("reviewed_by_name")?,
            reviewed_at: r.try_get("reviewed_at")?,
            submission_id: r.try_get("submission_id")?,
            submission_reference: r.try_get("reference")?,
            submission_status: opt_code(r.try_get("submission_status")?)?,
            outcome: opt_code(r.try_get("outcome")?)?,
            outcome_at: r.try_get("outcome_at")?,
            submitted_at: r.try_get("submitted_at")?,
            acknowledged_at: r.try_get("acknowledged_at")?,
            identifiers,
            attachments,
        };
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::InfoEntry,
                Some(entry_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(detail)
    }

    async fn family_entries(&self, actor: &Actor, family_id: FamilyId) -> Result<Vec<EntryRow>> {
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let rows = fam.query(
            "SELECT e.id, e.family_id, f.name AS family_name, u.display_name AS recorded_by_name, e.recorder_role, e.what, e.occurred_at, e.occurred_approx, e.how_known, e.status, e.created_at \
             FROM info_entries e JOIN families f ON f.id = e.family_id JOIN users u ON u.id = e.recorded_by WHERE e.family_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT 1000",
        )
        .bind_family()
        .fetch_all(&mut tx)
        .await?;
        let list = rows.iter().map(entry_row).collect::<Result<Vec<_>>>()?;
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::InfoEntry,
                None::<i64>,
                Some(family_id),
            )
            .listing(list.iter().map(|e| e.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn check_identifiers(
        &self,
        actor: &Actor,
        entry_id: EntryId,
        checks: &[(IdentifierId, IdentifierCheck)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let fam = access::entry(&mut tx, actor, entry_id).await?;
        if !entry_status(&mut tx, &fam, entry_id)
            .await?
            .identifiers_open()
        {
            return Err(Refusal::IdentifiersLocked.into());
        }
        apply_checks(&mut tx, &fam, actor, entry_id, checks, false, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn attachment(
        &self,
        actor: &Actor,
        attachment_id: AttachmentId,
    ) -> Result<AttachmentFile> {
        let mut tx = self.db.read().await?;
        let r = access::hub(actor).query(
            "SELECT a.id, a.entry_id, a.filename, a.content_type, a.size_bytes, a.sha256, a.content FROM attachments a WHERE a.id = $1 AND a.hub_id = $2",
        )
        .bind(attachment_id)
        .bind_hub()
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let entry_id: EntryId = r.try_get("entry_id")?;
        // The police reach a photo only through the submission that passed it on, by its
        // number there (`submission_photo`): no database id reaches them (decision 0009).
        let family_id = access::entry(&mut tx, actor, entry_id).await?.id();
        let file = AttachmentFile {
            meta: AttachmentMeta {
                id: r.try_get("id")?,
                filename: r.try_get("filename")?,
                content_type: r.try_get("content_type")?,
                size_bytes: r.try_get("size_bytes")?,
                sha256: r.try_get("sha256")?,
            },
            content: r.try_get("content")?,
        };
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Attachment,
                Some(attachment_id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(file)
    }
}

/// The attachments of some of the family's entries, with the id of each entry.
pub(crate) async fn load_attachments(
    tx: &mut Conn,
    fam: &FamilyScope,
    entry_ids: &[EntryId],
) -> Result<Vec<(EntryId, AttachmentMeta)>> {
    if entry_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = fam.query("SELECT id, entry_id, filename, content_type, size_bytes, sha256 FROM attachments WHERE family_id = ");
    q.push_family()
        .push(" AND entry_id IN ")
        .push_list(entry_ids.iter().copied())
        .push(" ORDER BY id");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("entry_id")?,
                AttachmentMeta {
                    id: r.try_get("id")?,
                    filename: r.try_get("filename")?,
                    content_type: r.try_get("content_type")?,
                    size_bytes: r.try_get("size_bytes")?,
                    sha256: r.try_get("sha256")?,
                },
            ))
        })
        .collect()
}

pub(crate) fn entry_row(r: &Row) -> Result<EntryRow> {
    Ok(EntryRow {
        id: r.try_get("id")?,
        family_id: r.try_get("family_id")?,
        family_name: r.try_get("family_name")?,
        recorded_by: r.try_get("recorded_by_name")?,
        recorder_role: code(&r.try_get::<String>("recorder_role")?)?,
        what: r.try_get("what")?,
        occurred_at: r.try_get("occurred_at")?,
        occurred_approx: r.try_get("occurred_approx")?,
        how_known: code(&r.try_get::<String>("how_known")?)?,
        status: code(&r.try_get::<String>("status")?)?,
        created_at: r.try_get("created_at")?,
        family_tag: None,
    })
}

/// The most photos a family's log may hold, in bytes (issue 10, L6).
pub const FAMILY_PHOTO_QUOTA: i64 = 1024 * 1024 * 1024;
/// The most photos one person may add in a day, in bytes and in number.
pub const PERSON_DAILY_PHOTO_BYTES: i64 = 150 * 1024 * 1024;
pub const PERSON_DAILY_PHOTOS: i64 = 60;

/// Refuses photos past the family's quota or the person's daily one, before any is kept.
async fn photo_quota(
    tx: &mut Conn,
    fam: &FamilyScope,
    actor: &Actor,
    new: &NewEntry,
    now: DateTime<Utc>,
) -> Result<()> {
    let adding: i64 = new
        .attachments()
        .iter()
        .map(|a| a.bytes().len() as i64)
        .sum();
    let family: i64 = fam
        .query("SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS n FROM attachments WHERE family_id = $1")
        .bind_family()
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if family + adding > FAMILY_PHOTO_QUOTA {
        return Err(Refusal::FamilyPhotoQuota.into());
    }
    let today = access::hub(actor)
        .query(
            "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes, COUNT(*) AS n FROM attachments WHERE hub_id = $1 AND created_by = $2 AND created_at > $3",
        )
        .bind_hub()
        .bind(actor.user_id)
    .bind(now - chrono::Duration::days(1))
    .fetch_one(&mut *tx)
    .await?;
    let (bytes, n): (i64, i64) = (today.try_get("bytes")?, today.try_get("n")?);
    if bytes + adding > PERSON_DAILY_PHOTO_BYTES
        || n + new.attachments().len() as i64 > PERSON_DAILY_PHOTOS
    {
        return Err(Refusal::DailyPhotoQuota.into());
    }
    Ok(())
}

/// Largest attachment accepted (bytes).
pub const ATTACHMENT_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Where one of the family's entries is in its lifecycle.
pub(crate) async fn entry_status(
    tx: &mut Conn,
    fam: &FamilyScope,
    entry_id: EntryId,
) -> Result<EntryStatus> {
    let row = fam
        .query("SELECT status FROM info_entries WHERE id = $1 AND family_id = $2")
        .bind(entry_id)
        .bind_family()
        .fetch_optional(tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    code(&row.try_get::<String>("status")?)
}

/// Applies what a person said about identifiers of an entry: its recorder on the check
/// page, or the PLO at review (`at_review`), whose word is what lets an identifier reach
/// the police (a later change by the recorder needs the PLO's word again; saving the
/// same answer again does not). `raw` (what was typed) is never changed; a correction keeps the value it
/// replaced.
pub(crate) async fn apply_checks(
    tx: &mut Conn,
    fam: &FamilyScope,
    actor: &Actor,
    entry_id: EntryId,
    checks: &[(IdentifierId, IdentifierCheck)],
    at_review: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let family_id = fam.id();
    for (id, check) in checks {
        let row = fam
            .query("SELECT value FROM identifiers WHERE id = $1 AND source_type = 'entry' AND source_id = $2 AND family_id = $3")
            .bind(id)
            .bind(entry_id)
            .bind_family()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let old: String = row.try_get("value")?;
        let (status, value, from) = match check {
            IdentifierCheck::Confirm => (IdentifierStatus::Confirmed, old.clone(), None),
            IdentifierCheck::Correct(v) if *v == old => {
                (IdentifierStatus::Confirmed, old.clone(), None)
            }
            IdentifierCheck::Correct(v) => {
                (IdentifierStatus::Corrected, v.clone(), Some(old.clone()))
            }
            IdentifierCheck::Reject => (IdentifierStatus::Rejected, old.clone(), None),
        };
        fam.query(
            "UPDATE identifiers SET status = $1, value = $2, corrected_from = COALESCE(corrected_from, $3), recognised = CASE WHEN $4 THEN $5 ELSE recognised END, checked_by = $6, checked_at = $7, \
             reviewed_by = CASE WHEN $8 THEN $6 WHEN status = $1 AND value = $2 THEN reviewed_by ELSE NULL END, \
             reviewed_at = CASE WHEN $8 THEN $7 WHEN status = $1 AND value = $2 THEN reviewed_at ELSE NULL END WHERE id = $9 AND family_id = $10",
        )
        .bind(status.code())
        .bind(&value)
        .bind(from)
        .bind(status == IdentifierStatus::Corrected)
        .bind(true)
        .bind(actor.user_id)
        .bind(now)
        .bind(at_review)
        .bind(id)
        .bind_family()
        .execute(&mut *tx)
        .await?;
        audit::write(
            tx,
            actor,
            &ev(
                AuditAction::Check,
                AuditRecord::Identifier,
                Some(*id),
                Some(family_id),
            ),
        )
        .await?;
    }
    Ok(())
}

// Identifiers found in entries and incidents: stored beside them, loaded with them.

/// Stores what was found in (or typed beside) an entry or incident of the family.
pub(crate) async fn insert_identifiers(
    tx: &mut Conn,
    fam: &FamilyScope,
    source_type: &str,
    source_id: i64,
    ids: &[NewIdentifier],
    now: DateTime<Utc>,
) -> Result<()> {
    for i in ids {
        // What a person typed in a field of its own is theirs already: confirmed.
        let status = if i.origin() == "field" {
            IdentifierStatus::Confirmed
        } else {
            IdentifierStatus::Suggested
        };
        fam.query(
            "INSERT INTO identifiers (hub_id, family_id, source_type, source_id, kind, value, raw, origin, start_offset, end_offset, recognised, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind_hub()
        .bind_family()
        .bind(source_type)
        .bind(source_id)
        .bind(i.kind().code())
        .bind(i.value())
        .bind(i.raw())
        .bind(i.origin())
        .bind(i.start())
        .bind(i.end())
        .bind(i.recognised())
        .bind(status.code())
        .bind(now)
        .execute(tx)
        .await?;
    }
    Ok(())
}

/// Which of the stored identifiers to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Identifiers {
    All,
    NotRejected,
    /// Those the PLO confirmed or corrected at review: what the police may be sent.
    PassedOn,
}

/// The identifiers of some of the family's entries or incidents, with the id of each
/// source.
pub(crate) async fn load_identifiers(
    tx: &mut Conn,
    fam: &FamilyScope,
    source_type: &str,
    source_ids: &[i64],
    which: Identifiers,
) -> Result<Vec<(i64, StoredIdentifier)>> {
    if source_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = fam.query(
        "SELECT id, source_id, kind, value, raw, origin, recognised, status, corrected_from, reviewed_at FROM identifiers WHERE family_id = ",
    );
    q.push_family()
        .push(" AND source_type = ")
        .push_bind(source_type)
        .push(" AND source_id IN ")
        .push_list(source_ids.iter().copied());
    match which {
        Identifiers::All => {}
        Identifiers::NotRejected => {
            q.push(" AND status <> 'rejected'");
        }
        // A child named is never the police's to be sent: the family's identity is the
        // hub's (decision 0009).
        Identifiers::PassedOn => {
            q.push(" AND status <> 'rejected' AND reviewed_at IS NOT NULL AND kind <> 'child'");
        }
    }
    q.push(" ORDER BY source_id, id");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let kind: ItemKind = code(&r.try_get::<String>("kind")?)?;
            let value: String = r.try_get("value")?;
            let raw: String = r.try_get("raw")?;
            let corrected_from: Option<String> = r.try_get("corrected_from")?;
            Ok((
                r.try_get("source_id")?,
                StoredIdentifier {
                    id: r.try_get("id")?,
                    kind,
                    display: kind.shown(&value, &raw, corrected_from.is_some()),
                    unusual: kind.unusual(&value),
                    value,
                    raw,
                    origin: r.try_get("origin")?,
                    recognised: r.try_get("recognised")?,
                    status: code(&r.try_get::<String>("status")?)?,
                    corrected_from,
                    reviewed: r.try_get::<Option<DateTime<Utc>>>("reviewed_at")?.is_some(),
                },
            ))
        })
        .collect()
}

/// Cleans the photos stored before photos were cleaned on the way in (issue 10, H2), or
/// stored through a test's unchecked path: each is encoded again from its pixels with no
/// metadata ([`alongside_domain::information::photo::clean`]) and renamed `photo-N.ext`
/// by its place among its entry's photos. Run when the store starts, after the schema
/// migrations. Past need-to-know: it reads every hub's photos, to change nothing but the
/// photo itself, and says nothing of them (a count only) in the log. A photo that cannot
/// be read keeps its bytes, loses its name, and stays uncleaned, so it is never served to
/// the police.
pub(crate) async fn clean_stored_photos(db: &crate::db::Db) -> Result<usize> {
    use alongside_domain::information::photo;
    let mut cleaned = 0;
    let mut after = 0i64;
    loop {
        let mut tx = db.write().await?;
        let rows = crate::access::past_need_to_know(
            "SELECT a.id, a.filename, a.content, \
             (SELECT COUNT(*) FROM attachments b WHERE b.entry_id = a.entry_id AND b.id <= a.id) AS number \
             FROM attachments a WHERE a.cleaned = FALSE AND a.id > $1 ORDER BY a.id LIMIT 20",
        )
        .bind(after)
        .fetch_all(&mut tx)
        .await?;
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(cleaned);
        }
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            after = id;
            let number: i64 = r.try_get("number")?;
            let content: Vec<u8> = r.try_get("content")?;
            let number = usize::try_from(number).unwrap_or(1);
            let done = tokio::task::spawn_blocking(move || photo::clean(&content))
                .await
                .map_err(|e| StoreError::Setup(format!("cleaning a photo stopped: {e}")))?;
            match done {
                Ok(clean) => {
                    crate::access::past_need_to_know(
                        "UPDATE attachments SET sha256 = $1, content_type = $2, size_bytes = $3, content = $4, filename = $5, cleaned = $6 WHERE id = $7",
                    )
                    .bind(sha256_hex(&clean.bytes))
                    .bind(clean.content_type)
                    .bind(clean.bytes.len() as i64)
                    .bind(clean.bytes.clone())
                    .bind(photo::filename(number, clean.extension))
                    .bind(true)
                    .bind(id)
                    .execute(&mut tx)
                    .await?;
                    cleaned += 1;
                }
                Err(_) => {
                    let ext = r
                        .try_get::<String>("filename")?
                        .rsplit('.')
                        .next()
                        .filter(|e| {
                            ["jpg", "jpeg", "png", "gif", "webp"]
                                .contains(&e.to_ascii_lowercase().as_str())
                        })
                        .map(str::to_ascii_lowercase)
                        .unwrap_or_else(|| "bin".into());
                    crate::access::past_need_to_know(
                        "UPDATE attachments SET filename = $1 WHERE id = $2",
                    )
                    .bind(photo::filename(number, &ext))
                    .bind(id)
                    .execute(&mut tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
    }
}
