//! Intelligence submissions to the police, graded 3x5x2, and what the police make of them.

mod records;
mod sending;

use sending::{family_redactor, submittable_entries};

use crate::prelude::*;

pub use records::*;

/// Submissions and their outcomes.
#[async_trait]
pub trait Intelligence: Send + Sync {
    async fn create_submission(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewSubmission,
        now: DateTime<Utc>,
    ) -> Result<(SubmissionId, String)>;
    /// What a submission would send, for the PLO to check before sending it (it cannot
    /// be taken back): the text as the police would read it, the identifiers passed on
    /// and those held back, and the family's own names and address found in the text.
    /// Refuses as [`Intelligence::create_submission`] would.
    async fn submission_preview(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewSubmission,
    ) -> Result<SubmissionPreview>;
    async fn submissions(&self, actor: &Actor) -> Result<Vec<SubmissionRow>>;
    async fn submission(&self, actor: &Actor, id: SubmissionId) -> Result<SubmissionDetail>;
    /// Photo `number` of a submission (as [`SubmittedPhoto::number`] gives it), to whoever
    /// may read the submission.
    async fn submission_photo(
        &self,
        actor: &Actor,
        id: SubmissionId,
        number: u32,
    ) -> Result<SubmissionPhotoFile>;
    async fn acknowledge_submission(
        &self,
        actor: &Actor,
        id: SubmissionId,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn record_outcome(
        &self,
        actor: &Actor,
        id: SubmissionId,
        outcome: &NewOutcome,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

#[async_trait]
impl Intelligence for SqlStore {
    async fn create_submission(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewSubmission,
        now: DateTime<Utc>,
    ) -> Result<(SubmissionId, String)> {
        if !actor.role.can(Capability::SubmitIntelligence) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        let roles = submittable_entries(&mut tx, &fam, new.entry_ids()).await?;
        // The police learn what kind of person the source is, never who: the hub
        // holds the identity, and the named worker is the way back to it.
        let source_description = if roles.contains(Role::Parent.code()) {
            "A parent or carer of a child the hub supports. Their identity is held by the hub and is not disclosed here: contact the worker named below."
        } else {
            "A worker of the hub, from their own work with a family the hub supports. The family's identity is held by the hub: contact the worker named below."
        };
        let summary_sent = if new.redact() {
            family_redactor(&mut tx, &fam).await?.apply(new.summary())
        } else {
            new.summary().to_string()
        };
        let placeholder = format!(
            "pending-{}",
            sha256_hex(
                format!(
                    "{}-{}",
                    actor.user_id,
                    now.timestamp_nanos_opt().unwrap_or(0)
                )
                .as_bytes()
            )
        );
        let id: SubmissionId = fam.query(
            "INSERT INTO submissions (hub_id, family_id, reference, summary, source_evaluation, assessment, handling, handling_conditions, source_description, status, created_by, created_at, redacted) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind_hub()
        .bind_family()
        .bind(&placeholder)
        .bind(summary_sent)
        .bind(new.grade().source.code())
        .bind(new.grade().assessment.code())
        .bind(new.grade().handling.code())
        .bind(new.handling_conditions())
        .bind(source_description)
        .bind(SubmissionStatus::Submitted.code())
        .bind(actor.user_id)
        .bind(now)
        .bind(new.redact())
        .fetch_one(&mut tx)
        .await?
        .try_get("id")?;
        let reference = format!("INT-{}-{:05}", uk_local(now).format("%Y"), id);
        fam.query("UPDATE submissions SET reference = $1 WHERE id = $2 AND family_id = $3")
            .bind(&reference)
            .bind(id)
            .bind_family()
            .execute(&mut tx)
            .await?;
        let redactor = if new.redact() {
            Some(family_redactor(&mut tx, &fam).await?)
        } else {
            None
        };
        for e in new.entry_ids() {
            // Each entry was checked above, in this transaction, by `EntryStatus::submit`.
            // The text as sent is kept beside what was written when redaction changed it.
            let (what, place, people) = match &redactor {
                Some(r) => {
                    let row = fam
                        .query("SELECT what, place, people FROM info_entries WHERE id = $1 AND family_id = $2")
                        .bind(e)
                        .bind_family()
                        .fetch_one(&mut tx)
                        .await?;
                    let changed =
                        |t: Option<String>| t.and_then(|t| Some(r.apply(&t)).filter(|a| *a != t));
                    (
                        changed(row.try_get("what")?),
                        changed(row.try_get("place")?),
                        changed(row.try_get("people")?),
                    )
                }
                None => (None, None, None),
            };
            fam.query("UPDATE info_entries SET status = $1, submission_id = $2, submitted_what = $3, submitted_place = $4, submitted_people = $5 WHERE id = $6 AND family_id = $7")
                .bind(EntryStatus::Submitted.code())
                .bind(id)
                .bind(what)
                .bind(place)
                .bind(people)
                .bind(e)
                .bind_family()
                .execute(&mut tx)
                .await?;
        }
        let summary = format!(
            "Passed to the police as intelligence {reference}, graded {}",
            new.grade().code()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Intelligence,
                uk_local(now),
                &summary,
                Visibility::Confidential,
            )
            .source(id),
            &ev(
                AuditAction::Create,
                AuditRecord::Submission,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((id, reference))
    }

    async fn submission_preview(
        &self,
        actor: &Actor,
        family_id: FamilyId,
        new: &NewSubmission,
    ) -> Result<SubmissionPreview> {
        if !actor.role.can(Capability::SubmitIntelligence) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let fam = access::family(&mut tx, actor, family_id).await?;
        submittable_entries(&mut tx, &fam, new.entry_ids()).await?;
        let redactor = family_redactor(&mut tx, &fam).await?;
        let sent = |t: &str| {
            if new.redact() {
                redactor.apply(t)
            } else {
                t.to_string()
            }
        };
        let mut found = redactor.find(new.summary());
        let mut entries = Vec::new();
        for id in new.entry_ids() {
            let r = fam
                .query("SELECT what, occurred_at, occurred_approx, place, people FROM info_entries WHERE id = $1 AND family_id = $2")
                .bind(id)
                .bind_family()
                .fetch_one(&mut tx)
                .await?;
            let what: String = r.try_get("what")?;
            let place: Option<String> = r.try_get("place")?;
            let people: Option<String> = r.try_get("people")?;
            for t in [Some(&what), place.as_ref(), people.as_ref()]
                .into_iter()
                .flatten()
            {
                found.extend(redactor.find(t));
            }
            entries.push(PreviewEntry {
                id: *id,
                what: sent(&what),
                occurred_at: r.try_get("occurred_at")?,
                occurred_approx: r.try_get("occurred_approx")?,
                place: place.as_deref().map(sent),
                people: people.as_deref().map(sent),
            });
        }
        let ids: Vec<i64> = new.entry_ids().iter().map(|e| e.get()).collect();
        let (mut passed_on, mut held_back) = (Vec::new(), Vec::new());
        for (_, i) in crate::information::load_identifiers(
            &mut tx,
            &fam,
            "entry",
            &ids,
            crate::information::Identifiers::NotRejected,
        )
        .await?
        {
            // What the police will have: reviewed, never a child named, redacted as chosen.
            let goes = i.reviewed && i.kind != ItemKind::Child;
            let mut i = i;
            if goes {
                found.extend(redactor.find(&i.raw));
                found.extend(redactor.find(&i.display));
                i.display = sent(&i.display);
            }
            let list = if goes { &mut passed_on } else { &mut held_back };
            if !list
                .iter()
                .any(|x: &crate::StoredIdentifier| x.kind == i.kind && x.value == i.value)
            {
                list.push(i);
            }
        }
        found.sort();
        found.dedup();
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::InfoEntry,
                None::<i64>,
                Some(family_id),
            )
            .listing(ids.iter().copied(), None),
        )
        .await?;
        tx.commit().await?;
        Ok(SubmissionPreview {
            summary: sent(new.summary()),
            entries,
            passed_on,
            held_back,
            found: found
                .into_iter()
                .map(|f| FamilyDetail {
                    written: f.written,
                    stands_for: f.stands.label().to_string(),
                    replaced_by: f.stands.placeholder().to_string(),
                })
                .collect(),
        })
    }

    async fn submissions(&self, actor: &Actor) -> Result<Vec<SubmissionRow>> {
        let view = access::hub_view(actor);
        let police = view.is_police();
        if !police && !actor.role.can(Capability::SubmitIntelligence) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let rows = access::hub(actor).query(format!(
            "SELECT s.id, s.reference, s.family_id, f.name AS family_name, s.source_evaluation, s.assessment, s.handling, s.status, s.created_at, u.display_name AS submitted_by, s.outcome \
             FROM submissions s JOIN families f ON f.id = s.family_id JOIN users u ON u.id = s.created_by WHERE s.hub_id = $1 AND ($4 OR ({VISIBLE_FAMILIES})) ORDER BY s.created_at DESC, s.id DESC LIMIT 1000"
        ))
        .bind_hub()
        .bind(actor.sees_all_families())
        .bind(actor.user_id)
        .bind(police)
        .fetch_all(&mut tx)
        .await?;
        let mut list = rows
            .iter()
            .map(|r| submission_row(r, view.names_families()))
            .collect::<Result<Vec<_>>>()?;
        if view.names_families() {
            let tags = crate::families::family_tags(
                &mut tx,
                actor,
                list.iter().filter_map(|r| r.family_id),
                Utc::now(),
            )
            .await?;
            for r in &mut list {
                r.family_tag = r.family_id.and_then(|f| tags.get(&f)).map(|t| t.describe());
            }
        }
        self.audit_read(
            actor,
            &ev(
                AuditAction::List,
                AuditRecord::Submission,
                None::<i64>,
                None,
            )
            .listing(list.iter().map(|s| s.id.get()), None),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn submission(&self, actor: &Actor, id: SubmissionId) -> Result<SubmissionDetail> {
        let mut tx = self.db.read().await?;
        let fam = access::submission(&mut tx, actor, id).await?;
        let family_id = fam.id();
        let view = access::hub_view(actor);
        let r = fam.query(
            "SELECT s.id, s.reference, s.family_id, f.name AS family_name, s.source_evaluation, s.assessment, s.handling, s.status, s.created_at, u.display_name AS submitted_by, s.outcome, \
             s.summary, s.handling_conditions, s.source_description, h.name AS hub_name, a.display_name AS acknowledged_by_name, s.acknowledged_at, s.outcome_reference, s.outcome_note, \
             o.display_name AS outcome_by_name, s.outcome_at, p.display_name AS plo_name, s.redacted \
             FROM submissions s JOIN families f ON f.id = s.family_id JOIN users u ON u.id = s.created_by JOIN hubs h ON h.id = s.hub_id \
             LEFT JOIN users a ON a.id = s.acknowledged_by LEFT JOIN users o ON o.id = s.outcome_by LEFT JOIN users p ON p.id = f.lead_plo_id WHERE s.id = $1 AND s.family_id = $2",
        )
        .bind(id)
        .bind_family()
        .fetch_one(&mut tx)
        .await?;
        let entry_rows = fam
            .query(format!("SELECT id, COALESCE(submitted_what, what) AS what, occurred_at, occurred_approx, COALESCE(submitted_place, place) AS place, COALESCE(submitted_people, people) AS people, how_known FROM info_entries WHERE submission_id = $1 AND family_id = $2 ORDER BY {SUBMITTED_ENTRIES_ORDER}"))
            .bind(id)
            .bind_family()
            .fetch_all(&mut tx)
            .await?;
        let entry_ids: Vec<EntryId> = entry_rows
            .iter()
            .map(|e| e.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        let photos = submission_photos(&mut tx, &fam, &entry_ids).await?;
        let entries = entry_rows
            .iter()
            .map(|e| {
                let entry_id: EntryId = e.try_get("id")?;
                Ok(SubmittedEntry {
                    entry_id: view.names_families().then_some(entry_id),
                    what: e.try_get("what")?,
                    occurred_at: e.try_get("occurred_at")?,
                    occurred_approx: e.try_get("occurred_approx")?,
                    place: e.try_get("place")?,
                    people: e.try_get("people")?,
                    how_known: code(&e.try_get::<String>("how_known")?)?,
                    attachments: photos
                        .iter()
                        .filter(|(s, _, _)| *s == entry_id)
                        .map(|(_, _, p)| p.clone())
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // Sent with the family's names and address replaced: its identifiers read so too.
        let redactor = if r.try_get::<bool>("redacted")? {
            Some(family_redactor(&mut tx, &fam).await?)
        } else {
            None
        };
        let sent = |t: String| match &redactor {
            Some(x) => x.apply(&t),
            None => t,
        };
        let mut identifiers: Vec<SubmittedIdentifier> = Vec::new();
        for (_, i) in crate::information::load_identifiers(
            &mut tx,
            &fam,
            "entry",
            &entry_ids.iter().map(|e| e.get()).collect::<Vec<_>>(),
            crate::information::Identifiers::PassedOn,
        )
        .await?
        {
            if !identifiers
                .iter()
                .any(|x| x.kind == i.kind && x.value == i.value)
            {
                identifiers.push(SubmittedIdentifier {
                    number: identifiers.len() as u32 + 1,
                    kind: i.kind,
                    value: sent(i.value),
                    display: sent(i.display),
                    raw: sent(i.raw),
                    recognised: i.recognised,
                    status: i.status,
                    corrected_from: i.corrected_from.map(sent),
                    unusual: i.unusual,
                });
            }
        }
        let submitted_by: String = r.try_get("submitted_by")?;
        let contact = r
            .try_get::<Option<String>>("plo_name")?
            .unwrap_or_else(|| submitted_by.clone());
        let detail = SubmissionDetail {
            row: submission_row(&r, view.names_families())?,
            summary: r.try_get("summary")?,
            source_evaluation: code(&r.try_get::<String>("source_evaluation")?)?,
            assessment: code(&r.try_get::<String>("assessment")?)?,
            handling: code(&r.try_get::<String>("handling")?)?,
            handling_conditions: r.try_get("handling_conditions")?,
            source_description: r.try_get("source_description")?,
            contact,
            hub_name: r.try_get("hub_name")?,
            acknowledged_by: r.try_get("acknowledged_by_name")?,
            acknowledged_at: r.try_get("acknowledged_at")?,
            outcome_reference: r.try_get("outcome_reference")?,
            outcome_note: r.try_get("outcome_note")?,
            outcome_by: r.try_get("outcome_by_name")?,
            outcome_at: r.try_get("outcome_at")?,
            entries,
            identifiers,
            outcomes: fam
                .query(
                    "SELECT o.outcome, o.outcome_reference, o.outcome_note, u.display_name AS recorded_by_name, o.recorded_at \
                     FROM submission_outcomes o JOIN users u ON u.id = o.recorded_by \
                     WHERE o.submission_id = $1 AND o.family_id = $2 ORDER BY o.recorded_at DESC, o.id DESC",
                )
                .bind(id)
                .bind_family()
                .fetch_all(&mut tx)
                .await?
                .iter()
                .map(|o| {
                    Ok(OutcomeRecord {
                        outcome: code(&o.try_get::<String>("outcome")?)?,
                        reference: o.try_get("outcome_reference")?,
                        note: o.try_get("outcome_note")?,
                        recorded_by: o.try_get("recorded_by_name")?,
                        recorded_at: o.try_get("recorded_at")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        };
        self.audit_read(
            actor,
            &ev(
                AuditAction::Read,
                AuditRecord::Submission,
                Some(id),
                Some(family_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(detail)
    }

    async fn submission_photo(
        &self,
        actor: &Actor,
        id: SubmissionId,
        number: u32,
    ) -> Result<SubmissionPhotoFile> {
        let mut tx = self.db.read().await?;
        let fam = access::submission(&mut tx, actor, id).await?;
        let family_id = fam.id();
        let entry_ids: Vec<EntryId> = fam
            .query(format!(
                "SELECT id FROM info_entries WHERE submission_id = $1 AND family_id = $2 ORDER BY {SUBMITTED_ENTRIES_ORDER}"
            ))
            .bind(id)
            .bind_family()
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|e| e.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        let (_, attachment_id, photo) = submission_photos(&mut tx, &fam, &entry_ids)
            .await?
            .into_iter()
            .find(|(_, _, p)| p.number == number)
            .ok_or(StoreError::NotFound)?;
        let r = fam
            .query("SELECT content, cleaned FROM attachments WHERE id = $1 AND family_id = $2")
            .bind(attachment_id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?;
        // A photo not yet cleaned of its metadata never reaches the police (decision 0015).
        if access::hub_view(actor).is_police() && !r.try_get::<bool>("cleaned")? {
            return Err(StoreError::NotFound);
        }
        let content: Vec<u8> = r.try_get("content")?;
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
        Ok(SubmissionPhotoFile { photo, content })
    }

    async fn acknowledge_submission(
        &self,
        actor: &Actor,
        id: SubmissionId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::ReceiveIntelligence) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::submission(&mut tx, actor, id).await?;
        let family_id = fam.id();
        let was = submission_status(&mut tx, &fam, id).await?;
        let status = was
            .acknowledge()
            .map_err(|_| Refusal::AlreadyAcknowledged)?;
        let done = fam
            .query("UPDATE submissions SET status = $1, acknowledged_by = $2, acknowledged_at = $3 WHERE id = $4 AND family_id = $5 AND status = $6")
            .bind(status.code())
            .bind(actor.user_id)
            .bind(now)
            .bind(id)
            .bind_family()
            .bind(was.code())
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Refusal::AlreadyAcknowledged.into());
        }
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Intelligence,
                uk_local(now),
                "Police confirmed they received the intelligence",
                Visibility::Confidential,
            )
            .source(id),
            &ev(
                AuditAction::Acknowledge,
                AuditRecord::Submission,
                Some(id),
                Some(family_id),
            )
            .change(was.code(), status.code()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_outcome(
        &self,
        actor: &Actor,
        id: SubmissionId,
        o: &NewOutcome,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !actor.role.can(Capability::ReceiveIntelligence) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let fam = access::submission(&mut tx, actor, id).await?;
        let family_id = fam.id();
        let was = submission_status(&mut tx, &fam, id).await?;
        let status = was.record_outcome();
        let was_outcome: Option<String> = fam
            .query("SELECT outcome FROM submissions WHERE id = $1 AND family_id = $2")
            .bind(id)
            .bind_family()
            .fetch_one(&mut tx)
            .await?
            .try_get("outcome")?;
        // Every outcome is kept; the latest is also the submission's (what the parent
        // is told).
        fam.query(
            "INSERT INTO submission_outcomes (hub_id, family_id, submission_id, outcome, outcome_reference, outcome_note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind_hub()
        .bind_family()
        .bind(id)
        .bind(o.outcome().code())
        .bind(o.reference())
        .bind(o.note())
        .bind(actor.user_id)
        .bind(now)
        .execute(&mut tx)
        .await?;
        // Recording an outcome also acknowledges a submission not yet acknowledged.
        fam.query(
            "UPDATE submissions SET status = $8, outcome = $1, outcome_reference = $2, outcome_note = $3, outcome_by = $4, outcome_at = $5, \
             acknowledged_by = COALESCE(acknowledged_by, $4), acknowledged_at = COALESCE(acknowledged_at, $5) WHERE id = $6 AND family_id = $7",
        )
        .bind(o.outcome().code())
        .bind(o.reference())
        .bind(o.note())
        .bind(actor.user_id)
        .bind(now)
        .bind(id)
        .bind_family()
        .bind(status.code())
        .execute(&mut tx)
        .await?;
        let summary = format!(
            "Police recorded an outcome: {}",
            o.outcome().label().to_lowercase()
        );
        chronology::record(
            &mut tx,
            &fam,
            actor,
            Line::new(
                ChronologyKind::Intelligence,
                uk_local(now),
                &summary,
                Visibility::Confidential,
            )
            .source(id),
            &ev(
                AuditAction::Outcome,
                AuditRecord::Submission,
                Some(id),
                Some(family_id),
            )
            .change(
                format!(
                    "{}; outcome {}",
                    was.code(),
                    was_outcome.as_deref().unwrap_or("none")
                ),
                format!("{}; outcome {}", status.code(), o.outcome().code()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// How a submission's entries are ordered, on its pages and in numbering its photos.
const SUBMITTED_ENTRIES_ORDER: &str = "occurred_at, id";

/// The photos of a submission's entries (given in the submission's order), numbered from
/// 1 in that order, with the entry and the attachment each belongs to.
async fn submission_photos(
    tx: &mut Conn,
    fam: &FamilyScope,
    entry_ids: &[EntryId],
) -> Result<Vec<(EntryId, AttachmentId, SubmittedPhoto)>> {
    let mut stored = crate::information::load_attachments(tx, fam, entry_ids).await?;
    stored.sort_by_key(|(entry, a)| (entry_ids.iter().position(|e| e == entry), a.id));
    Ok(stored
        .into_iter()
        .enumerate()
        .map(|(i, (entry, a))| {
            let number = i as u32 + 1;
            let extension = a.filename.rsplit_once('.').map_or("jpg", |(_, e)| e);
            (
                entry,
                a.id,
                SubmittedPhoto {
                    number,
                    filename: alongside_domain::information::photo::filename(
                        number as usize,
                        extension,
                    ),
                    content_type: a.content_type,
                    size_bytes: a.size_bytes,
                    sha256: a.sha256,
                },
            )
        })
        .collect())
}

pub(crate) fn submission_row(r: &Row, show_family: bool) -> Result<SubmissionRow> {
    let grade = Grade {
        source: code(&r.try_get::<String>("source_evaluation")?)?,
        assessment: code(&r.try_get::<String>("assessment")?)?,
        handling: code(&r.try_get::<String>("handling")?)?,
    };
    Ok(SubmissionRow {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        family_name: if show_family {
            Some(r.try_get("family_name")?)
        } else {
            None
        },
        family_id: if show_family {
            Some(r.try_get("family_id")?)
        } else {
            None
        },
        grade: grade.code(),
        status: code(&r.try_get::<String>("status")?)?,
        created_at: r.try_get("created_at")?,
        submitted_by: r.try_get("submitted_by")?,
        outcome: opt_code(r.try_get("outcome")?)?,
        family_tag: None,
    })
}

/// Where one of the family's submissions is in its lifecycle.
async fn submission_status(
    tx: &mut Conn,
    fam: &FamilyScope,
    id: SubmissionId,
) -> Result<SubmissionStatus> {
    let row = fam
        .query("SELECT status FROM submissions WHERE id = $1 AND family_id = $2")
        .bind(id)
        .bind_family()
        .fetch_optional(tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    code(&row.try_get::<String>("status")?)
}
