//! The SQL of [`crate::partnership::Partnership`], written once and instantiated for each
//! backend by `impl_partnership!` inside `backend.rs` (so it shares that module's helpers:
//! `write_tx`, `read_tx`, `audit`, `audit_read`, `check_family`, `chronology_add`).

macro_rules! impl_partnership {
    ($store:ident, $db:ty) => {
        impl $store {
            /// The family of a parent or carer's account; `NotFound` for anyone else.
            async fn parent_family(tx: &mut <$db as sqlx::Database>::Connection, actor: &Actor) -> Result<i64> {
                if !actor.role.can(Capability::UseParentPortal) {
                    return Err(StoreError::NotFound);
                }
                let row = sqlx::query("SELECT family_id FROM family_parents WHERE user_id = $1 AND hub_id = $2")
                    .bind(actor.user_id)
                    .bind(actor.hub_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Ok(row.try_get("family_id")?)
            }

            /// The family an actor writes to: their own (parents) or one they may see.
            async fn writable_family(tx: &mut <$db as sqlx::Database>::Connection, actor: &Actor, family_id: Option<i64>) -> Result<i64> {
                if actor.role.can(Capability::UseParentPortal) {
                    let own = Self::parent_family(tx, actor).await?;
                    return match family_id {
                        Some(f) if f != own => Err(StoreError::NotFound),
                        _ => Ok(own),
                    };
                }
                let family_id = family_id.ok_or(StoreError::NotFound)?;
                Self::check_family(tx, actor, family_id).await?;
                Ok(family_id)
            }

            /// The family of an entry the actor may reach: a parent their own entries, a
            /// worker the entries of families they may see.
            async fn entry_access(tx: &mut <$db as sqlx::Database>::Connection, actor: &Actor, entry_id: i64) -> Result<i64> {
                let row = sqlx::query("SELECT family_id, recorded_by FROM info_entries WHERE id = $1 AND hub_id = $2")
                    .bind(entry_id)
                    .bind(actor.hub_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let family_id: i64 = row.try_get("family_id")?;
                let recorded_by: i64 = row.try_get("recorded_by")?;
                if actor.role.can(Capability::UseParentPortal) {
                    if recorded_by == actor.user_id && Self::parent_family(tx, actor).await? == family_id {
                        return Ok(family_id);
                    }
                    return Err(StoreError::NotFound);
                }
                Self::check_family(tx, actor, family_id).await?;
                Ok(family_id)
            }

            /// The family of a submission the actor may reach: police partners every
            /// submission of their hub; those who submit, the families they may see.
            async fn submission_access(tx: &mut <$db as sqlx::Database>::Connection, actor: &Actor, id: i64) -> Result<i64> {
                let row = sqlx::query("SELECT family_id FROM submissions WHERE id = $1 AND hub_id = $2")
                    .bind(id)
                    .bind(actor.hub_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let family_id: i64 = row.try_get("family_id")?;
                if actor.role.can(Capability::ReceiveIntelligence) {
                    return Ok(family_id);
                }
                if !actor.role.can(Capability::SubmitIntelligence) {
                    return Err(StoreError::NotFound);
                }
                Self::check_family(tx, actor, family_id).await?;
                Ok(family_id)
            }

            async fn evidence_access(tx: &mut <$db as sqlx::Database>::Connection, actor: &Actor, id: i64) -> Result<i64> {
                let row = sqlx::query("SELECT family_id FROM evidence_items WHERE id = $1 AND hub_id = $2")
                    .bind(id)
                    .bind(actor.hub_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let family_id: i64 = row.try_get("family_id")?;
                if !actor.role.can(Capability::HandleHubEvidence) {
                    Self::check_family(tx, actor, family_id).await?;
                }
                Ok(family_id)
            }

            async fn insert_identifiers(
                tx: &mut <$db as sqlx::Database>::Connection,
                actor: &Actor,
                family_id: i64,
                source_type: &str,
                source_id: i64,
                ids: &[NewIdentifier],
                now: DateTime<Utc>,
            ) -> Result<()> {
                for i in ids {
                    // What a person typed in a field of its own is theirs already: confirmed.
                    let status = if i.origin == "field" { IdentifierStatus::Confirmed } else { IdentifierStatus::Suggested };
                    sqlx::query(
                        "INSERT INTO identifiers (hub_id, family_id, source_type, source_id, kind, value, raw, origin, start_offset, end_offset, recognised, status, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    )
                    .bind(actor.hub_id)
                    .bind(family_id)
                    .bind(source_type)
                    .bind(source_id)
                    .bind(i.kind.code())
                    .bind(&i.value)
                    .bind(&i.raw)
                    .bind(i.origin)
                    .bind(i.start)
                    .bind(i.end)
                    .bind(i.recognised)
                    .bind(status.code())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                Ok(())
            }

            /// The identifiers of some entries or incidents, with the id of each source.
            async fn load_identifiers(
                tx: &mut <$db as sqlx::Database>::Connection,
                source_type: &str,
                source_ids: &[i64],
                skip_rejected: bool,
            ) -> Result<Vec<(i64, StoredIdentifier)>> {
                if source_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, source_id, kind, value, raw, origin, recognised, status, corrected_from FROM identifiers WHERE source_type = ",
                );
                q.push_bind(source_type.to_string());
                q.push(" AND source_id IN (");
                let mut sep = q.separated(", ");
                for id in source_ids {
                    sep.push_bind(*id);
                }
                q.push(")");
                if skip_rejected {
                    q.push(" AND status <> 'rejected'");
                }
                q.push(" ORDER BY source_id, id");
                let rows = q.build().fetch_all(&mut *tx).await?;
                rows.iter()
                    .map(|r| {
                        let kind: ItemKind = code(&r.try_get::<String, _>("kind")?)?;
                        let value: String = r.try_get("value")?;
                        Ok((
                            r.try_get("source_id")?,
                            StoredIdentifier {
                                id: r.try_get("id")?,
                                kind,
                                display: kind.display(&value),
                                value,
                                raw: r.try_get("raw")?,
                                origin: r.try_get("origin")?,
                                recognised: r.try_get("recognised")?,
                                status: code(&r.try_get::<String, _>("status")?)?,
                                corrected_from: r.try_get("corrected_from")?,
                            },
                        ))
                    })
                    .collect()
            }

            async fn load_attachments(tx: &mut <$db as sqlx::Database>::Connection, entry_ids: &[i64]) -> Result<Vec<(i64, AttachmentMeta)>> {
                if entry_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT id, entry_id, filename, content_type, size_bytes, sha256 FROM attachments WHERE entry_id IN (");
                let mut sep = q.separated(", ");
                for id in entry_ids {
                    sep.push_bind(*id);
                }
                q.push(") ORDER BY id");
                let rows = q.build().fetch_all(&mut *tx).await?;
                rows.iter()
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

            fn entry_row(r: &<$db as sqlx::Database>::Row) -> Result<EntryRow> {
                Ok(EntryRow {
                    id: r.try_get("id")?,
                    family_id: r.try_get("family_id")?,
                    family_name: r.try_get("family_name")?,
                    recorded_by: r.try_get("recorded_by_name")?,
                    recorder_role: code(&r.try_get::<String, _>("recorder_role")?)?,
                    what: r.try_get("what")?,
                    occurred_at: r.try_get("occurred_at")?,
                    occurred_approx: r.try_get("occurred_approx")?,
                    how_known: code(&r.try_get::<String, _>("how_known")?)?,
                    status: code(&r.try_get::<String, _>("status")?)?,
                    created_at: r.try_get("created_at")?,
                })
            }

            fn submission_row(r: &<$db as sqlx::Database>::Row, show_family: bool) -> Result<SubmissionRow> {
                let grade = Grade {
                    source: code(&r.try_get::<String, _>("source_evaluation")?)?,
                    assessment: code(&r.try_get::<String, _>("assessment")?)?,
                    handling: code(&r.try_get::<String, _>("handling")?)?,
                };
                Ok(SubmissionRow {
                    id: r.try_get("id")?,
                    reference: r.try_get("reference")?,
                    family_name: if show_family { Some(r.try_get("family_name")?) } else { None },
                    family_id: if show_family { Some(r.try_get("family_id")?) } else { None },
                    grade: grade.code(),
                    status: code(&r.try_get::<String, _>("status")?)?,
                    created_at: r.try_get("created_at")?,
                    submitted_by: r.try_get("submitted_by")?,
                    outcome: opt_code(r.try_get("outcome")?)?,
                })
            }

            fn incident_row(r: &<$db as sqlx::Database>::Row) -> Result<IncidentRow> {
                Ok(IncidentRow {
                    id: r.try_get("id")?,
                    occurred_at: r.try_get("occurred_at")?,
                    kind: code(&r.try_get::<String, _>("kind")?)?,
                    description: r.try_get("description")?,
                    people: r.try_get("people")?,
                    reported_to_police: r.try_get("reported_to_police")?,
                    crime_reference: r.try_get("crime_reference")?,
                    outcome: r.try_get("outcome")?,
                    recorded_by: r.try_get("recorded_by_name")?,
                    identifiers: Vec::new(),
                })
            }

            async fn incidents_of(tx: &mut <$db as sqlx::Database>::Connection, family_id: i64, recorded_by: Option<i64>) -> Result<Vec<IncidentRow>> {
                let rows = sqlx::query(
                    "SELECT i.id, i.occurred_at, i.kind, i.description, i.people, i.reported_to_police, i.crime_reference, i.outcome, u.display_name AS recorded_by_name \
                     FROM incidents i JOIN users u ON u.id = i.recorded_by WHERE i.family_id = $1 AND ($2 OR i.recorded_by = $3) ORDER BY i.occurred_at DESC, i.id DESC LIMIT 500",
                )
                .bind(family_id)
                .bind(recorded_by.is_none())
                .bind(recorded_by.unwrap_or(0))
                .fetch_all(&mut *tx)
                .await?;
                let mut items = rows.iter().map(Self::incident_row).collect::<Result<Vec<_>>>()?;
                let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
                let found = Self::load_identifiers(tx, "incident", &ids, true).await?;
                for item in &mut items {
                    item.identifiers = found.iter().filter(|(s, _)| *s == item.id).map(|(_, i)| i.clone()).collect();
                }
                Ok(items)
            }
        }

        #[async_trait]
        impl Partnership for $store {
            async fn create_invitation(&self, actor: &Actor, family_id: i64, new: &NewInvitation, now: DateTime<Utc>) -> Result<InvitationCreated> {
                if !actor.role.can(Capability::InviteParents) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                if let Some(m) = new.member_id {
                    let ok = sqlx::query("SELECT id FROM family_members WHERE id = $1 AND family_id = $2 AND member_role = 'parent_carer'")
                        .bind(m)
                        .bind(family_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if ok.is_none() {
                        return Err(StoreError::Conflict("Choose a parent or carer of this family".into()));
                    }
                }
                let code = new_invitation_code();
                let expires_at = now + chrono::Duration::days(INVITATION_DAYS);
                let id: i64 = sqlx::query(
                    "INSERT INTO parent_invitations (hub_id, family_id, member_id, display_name, code_hash, created_by, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(actor.hub_id)
                .bind(family_id)
                .bind(new.member_id)
                .bind(&new.display_name)
                .bind(invitation_hash(&code))
                .bind(actor.user_id)
                .bind(now)
                .bind(expires_at)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                let summary = format!("{} invited to the parent portal", new.display_name);
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Family, summary: &summary, detail: None, visibility: Visibility::Shareable, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &ev("create", "invitation", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(InvitationCreated { id, code, expires_at })
            }

            async fn invitations(&self, actor: &Actor, family_id: i64) -> Result<Vec<Invitation>> {
                let (_writer, mut tx) = self.read_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let rows = sqlx::query(
                    "SELECT i.id, i.display_name, u.display_name AS created_by_name, i.created_at, i.expires_at, i.used_at, i.withdrawn_at \
                     FROM parent_invitations i JOIN users u ON u.id = i.created_by WHERE i.family_id = $1 ORDER BY i.id DESC",
                )
                .bind(family_id)
                .fetch_all(&mut *tx)
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
                            withdrawn: r.try_get::<Option<DateTime<Utc>>, _>("withdrawn_at")?.is_some(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &ev("list", "invitation", None, Some(family_id))).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn withdraw_invitation(&self, actor: &Actor, family_id: i64, invitation_id: i64, now: DateTime<Utc>) -> Result<()> {
                if !actor.role.can(Capability::InviteParents) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let done = sqlx::query("UPDATE parent_invitations SET withdrawn_at = $1 WHERE id = $2 AND family_id = $3 AND used_at IS NULL AND withdrawn_at IS NULL")
                    .bind(now)
                    .bind(invitation_id)
                    .bind(family_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                Self::audit(&mut tx, actor, &ev("withdraw", "invitation", Some(invitation_id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn invitation_usable(&self, code: &str, now: DateTime<Utc>) -> Result<()> {
                let row = sqlx::query("SELECT expires_at, used_at, withdrawn_at FROM parent_invitations WHERE code_hash = $1")
                    .bind(invitation_hash(code))
                    .fetch_optional(&self.pool)
                    .await?;
                invitation_state(row.as_ref(), now)
            }

            async fn accept_invitation(&self, a: &Acceptance, now: DateTime<Utc>) -> Result<crate::User> {
                let (_writer, mut tx) = self.write_tx().await?;
                let row = sqlx::query(
                    "SELECT id, hub_id, family_id, member_id, display_name, created_by, expires_at, used_at, withdrawn_at FROM parent_invitations WHERE code_hash = $1",
                )
                .bind(invitation_hash(&a.code))
                .fetch_optional(&mut *tx)
                .await?;
                invitation_state(row.as_ref(), now)?;
                let row = row.ok_or(StoreError::NotFound)?;
                let taken = sqlx::query("SELECT id FROM users WHERE lower(username) = lower($1)")
                    .bind(&a.username)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!("The username '{}' is already taken: choose another", a.username)));
                }
                let invitation_id: i64 = row.try_get("id")?;
                let hub_id: i64 = row.try_get("hub_id")?;
                let family_id: i64 = row.try_get("family_id")?;
                let member_id: Option<i64> = row.try_get("member_id")?;
                let display_name: String = row.try_get("display_name")?;
                let user_row = sqlx::query(
                    "INSERT INTO users (username, display_name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     RETURNING id, username, display_name, role, active",
                )
                .bind(&a.username)
                .bind(&display_name)
                .bind(Role::Parent.code())
                .bind(&a.password_hash)
                .bind(true)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match e.as_database_error().map(|d| d.kind()) {
                    // Someone took the name between the check above and this insert.
                    Some(sqlx::error::ErrorKind::UniqueViolation) => {
                        StoreError::Conflict(format!("The username '{}' is already taken: choose another", a.username))
                    }
                    _ => StoreError::Database(e),
                })?;
                let user = Self::user_row(&user_row)?;
                sqlx::query("INSERT INTO hub_members (hub_id, user_id) VALUES ($1, $2)").bind(hub_id).bind(user.id).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO family_parents (user_id, family_id, hub_id, member_id) VALUES ($1, $2, $3, $4)")
                    .bind(user.id)
                    .bind(family_id)
                    .bind(hub_id)
                    .bind(member_id)
                    .execute(&mut *tx)
                    .await?;
                // Single use: only an unused invitation is marked, so a second acceptance racing
                // this one finds nothing to mark and is rolled back.
                let marked = sqlx::query("UPDATE parent_invitations SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL")
                    .bind(now)
                    .bind(user.id)
                    .bind(invitation_id)
                    .execute(&mut *tx)
                    .await?;
                if marked.rows_affected() != 1 {
                    return Err(StoreError::Conflict("This invitation has already been used. Sign in with the username you chose, or ask your Parent Liaison Officer for a new invitation".into()));
                }
                let actor = Actor { user_id: user.id, username: user.username.clone(), display_name: display_name.clone(), role: Role::Parent, hub_id, hub_name: String::new() };
                let summary = format!("{display_name} accepted the invitation to the parent portal");
                Self::chronology_add(&mut tx, &actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Family, summary: &summary, detail: None, visibility: Visibility::Shareable, source_id: Some(invitation_id) }).await?;
                Self::audit(&mut tx, &actor, &ev("accept", "invitation", Some(invitation_id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(user)
            }

            async fn parent_home(&self, actor: &Actor) -> Result<ParentHome> {
                let (_writer, mut tx) = self.read_tx().await?;
                let family_id = Self::parent_family(&mut tx, actor).await?;
                let plo: Option<String> = sqlx::query("SELECT u.display_name FROM families f LEFT JOIN users u ON u.id = f.lead_plo_id WHERE f.id = $1")
                    .bind(family_id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("display_name")?;
                let rows = sqlx::query(
                    "SELECT e.id, e.what, e.created_at, e.status, e.review_reason, e.reviewed_at, s.created_at AS submitted_at, s.status AS submission_status, \
                     s.acknowledged_at, s.outcome, s.outcome_at FROM info_entries e LEFT JOIN submissions s ON s.id = e.submission_id \
                     WHERE e.family_id = $1 AND e.recorded_by = $2 ORDER BY e.created_at DESC, e.id DESC LIMIT 500",
                )
                .bind(family_id)
                .bind(actor.user_id)
                .fetch_all(&mut *tx)
                .await?;
                let entries = rows
                    .iter()
                    .map(|r| {
                        Ok(ParentEntry {
                            id: r.try_get("id")?,
                            what: r.try_get("what")?,
                            created_at: r.try_get("created_at")?,
                            status: code(&r.try_get::<String, _>("status")?)?,
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
                let incidents = Self::incidents_of(&mut tx, family_id, Some(actor.user_id)).await?;
                self.audit_read(actor, &ev("read", "parent_home", None, Some(family_id))).await?;
                tx.commit().await?;
                Ok(ParentHome { family_id, plo, entries, incidents })
            }

            async fn add_entry(&self, actor: &Actor, family_id: Option<i64>, new: &NewEntry, now: DateTime<Utc>) -> Result<i64> {
                if !(actor.role.can(Capability::UseParentPortal) || actor.sees_families()) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id = Self::writable_family(&mut tx, actor, family_id).await?;
                let id: i64 = sqlx::query(
                    "INSERT INTO info_entries (hub_id, family_id, recorded_by, recorder_role, what, occurred_at, occurred_approx, place, people, how_known, how_known_who, how_known_detail, status, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                )
                .bind(actor.hub_id)
                .bind(family_id)
                .bind(actor.user_id)
                .bind(actor.role.code())
                .bind(&new.what)
                .bind(new.occurred_at)
                .bind(&new.occurred_approx)
                .bind(&new.place)
                .bind(&new.people)
                .bind(new.how_known.code())
                .bind(&new.how_known_who)
                .bind(&new.how_known_detail)
                .bind(EntryStatus::New.code())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                Self::insert_identifiers(&mut tx, actor, family_id, "entry", id, &new.identifiers, now).await?;
                for a in &new.attachments {
                    let aid: i64 = sqlx::query(
                        "INSERT INTO attachments (hub_id, family_id, entry_id, filename, content_type, size_bytes, sha256, content, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(actor.hub_id)
                    .bind(family_id)
                    .bind(id)
                    .bind(&a.filename)
                    .bind(&a.content_type)
                    .bind(a.bytes.len() as i64)
                    .bind(sha256_hex(&a.bytes))
                    .bind(&a.bytes)
                    .bind(actor.user_id)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("id")?;
                    Self::audit(&mut tx, actor, &ev("create", "attachment", Some(aid), Some(family_id))).await?;
                }
                let summary = format!("Information recorded by {} ({})", actor.display_name, new.how_known.label().to_lowercase());
                let when = new.occurred_at.unwrap_or_else(|| uk_local(now));
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: when, kind: ChronologyKind::Information, summary: &summary, detail: Some(&new.what), visibility: Visibility::Confidential, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &ev("create", "info_entry", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn entry(&self, actor: &Actor, entry_id: i64) -> Result<EntryDetail> {
                let (_writer, mut tx) = self.read_tx().await?;
                let family_id = Self::entry_access(&mut tx, actor, entry_id).await?;
                let r = sqlx::query(
                    "SELECT e.id, e.family_id, f.name AS family_name, u.display_name AS recorded_by_name, e.recorded_by, e.recorder_role, e.what, e.occurred_at, e.occurred_approx, \
                     e.how_known, e.status, e.created_at, e.place, e.people, e.how_known_who, e.how_known_detail, e.review_reason, rv.display_name AS reviewed_by_name, e.reviewed_at, \
                     e.submission_id, s.reference, s.status AS submission_status, s.outcome, s.outcome_at \
                     FROM info_entries e JOIN families f ON f.id = e.family_id JOIN users u ON u.id = e.recorded_by LEFT JOIN users rv ON rv.id = e.reviewed_by \
                     LEFT JOIN submissions s ON s.id = e.submission_id WHERE e.id = $1",
                )
                .bind(entry_id)
                .fetch_one(&mut *tx)
                .await?;
                let identifiers = Self::load_identifiers(&mut tx, "entry", &[entry_id], false).await?.into_iter().map(|(_, i)| i).collect();
                let attachments = Self::load_attachments(&mut tx, &[entry_id]).await?.into_iter().map(|(_, a)| a).collect();
                let detail = EntryDetail {
                    row: Self::entry_row(&r)?,
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
                    identifiers,
                    attachments,
                };
                self.audit_read(actor, &ev("read", "info_entry", Some(entry_id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(detail)
            }

            async fn family_entries(&self, actor: &Actor, family_id: i64) -> Result<Vec<EntryRow>> {
                let (_writer, mut tx) = self.read_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let rows = sqlx::query(
                    "SELECT e.id, e.family_id, f.name AS family_name, u.display_name AS recorded_by_name, e.recorder_role, e.what, e.occurred_at, e.occurred_approx, e.how_known, e.status, e.created_at \
                     FROM info_entries e JOIN families f ON f.id = e.family_id JOIN users u ON u.id = e.recorded_by WHERE e.family_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT 1000",
                )
                .bind(family_id)
                .fetch_all(&mut *tx)
                .await?;
                let list = rows.iter().map(Self::entry_row).collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &ev("list", "info_entry", None, Some(family_id))).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn check_identifiers(&self, actor: &Actor, entry_id: i64, checks: &[(i64, IdentifierCheck)], now: DateTime<Utc>) -> Result<()> {
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id = Self::entry_access(&mut tx, actor, entry_id).await?;
                let status: String = sqlx::query("SELECT status FROM info_entries WHERE id = $1")
                    .bind(entry_id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("status")?;
                if status == EntryStatus::Submitted.code() {
                    return Err(StoreError::Conflict("This has already been passed to the police, so its details can no longer be changed here: tell your Parent Liaison Officer what is wrong".into()));
                }
                for (id, check) in checks {
                    let row = sqlx::query("SELECT value FROM identifiers WHERE id = $1 AND source_type = 'entry' AND source_id = $2")
                        .bind(id)
                        .bind(entry_id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    let old: String = row.try_get("value")?;
                    let (status, value, from) = match check {
                        IdentifierCheck::Confirm => (IdentifierStatus::Confirmed, old.clone(), None),
                        IdentifierCheck::Correct(v) if *v == old => (IdentifierStatus::Confirmed, old.clone(), None),
                        IdentifierCheck::Correct(v) => (IdentifierStatus::Corrected, v.clone(), Some(old.clone())),
                        IdentifierCheck::Reject => (IdentifierStatus::Rejected, old.clone(), None),
                    };
                    // `raw` (what was typed) is never changed; a correction keeps the value it replaced.
                    sqlx::query(
                        "UPDATE identifiers SET status = $1, value = $2, corrected_from = COALESCE(corrected_from, $3), recognised = CASE WHEN $4 THEN $5 ELSE recognised END, checked_by = $6, checked_at = $7 WHERE id = $8",
                    )
                    .bind(status.code())
                    .bind(&value)
                    .bind(from)
                    .bind(status == IdentifierStatus::Corrected)
                    .bind(true)
                    .bind(actor.user_id)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    Self::audit(&mut tx, actor, &ev("check", "identifier", Some(*id), Some(family_id))).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn attachment(&self, actor: &Actor, attachment_id: i64) -> Result<AttachmentFile> {
                let (_writer, mut tx) = self.read_tx().await?;
                let r = sqlx::query(
                    "SELECT a.id, a.entry_id, a.filename, a.content_type, a.size_bytes, a.sha256, a.content, e.submission_id FROM attachments a \
                     JOIN info_entries e ON e.id = a.entry_id WHERE a.id = $1 AND a.hub_id = $2",
                )
                .bind(attachment_id)
                .bind(actor.hub_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
                let entry_id: i64 = r.try_get("entry_id")?;
                let submission_id: Option<i64> = r.try_get("submission_id")?;
                // The police see what was attached to entries submitted to them; everyone
                // else what they may see of the entry itself.
                let family_id = match submission_id {
                    Some(s) if actor.role.can(Capability::ReceiveIntelligence) => Self::submission_access(&mut tx, actor, s).await?,
                    _ => Self::entry_access(&mut tx, actor, entry_id).await?,
                };
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
                self.audit_read(actor, &ev("read", "attachment", Some(attachment_id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(file)
            }

            async fn review_queue(&self, actor: &Actor) -> Result<Vec<EntryRow>> {
                if !actor.role.can(Capability::ReviewInformation) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                let rows = sqlx::query(concat!(
                    "SELECT e.id, e.family_id, f.name AS family_name, u.display_name AS recorded_by_name, e.recorder_role, e.what, e.occurred_at, e.occurred_approx, e.how_known, e.status, e.created_at \
                     FROM info_entries e JOIN families f ON f.id = e.family_id JOIN users u ON u.id = e.recorded_by WHERE ",
                    family_access!(),
                    " AND e.hub_id = $1 AND e.status IN ('new', 'relevant') ORDER BY e.created_at, e.id LIMIT 500"
                ))
                .bind(actor.hub_id)
                .bind(actor.sees_all_families())
                .bind(actor.user_id)
                .fetch_all(&mut *tx)
                .await?;
                let list = rows.iter().map(Self::entry_row).collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &ev("list", "review_queue", None, None)).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn review_entry(&self, actor: &Actor, entry_id: i64, relevant: bool, reason: &str, now: DateTime<Utc>) -> Result<()> {
                if !actor.role.can(Capability::ReviewInformation) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id = Self::entry_access(&mut tx, actor, entry_id).await?;
                let status = if relevant { EntryStatus::Relevant } else { EntryStatus::NotRelevant };
                let done = sqlx::query("UPDATE info_entries SET status = $1, review_reason = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5 AND status <> 'submitted'")
                    .bind(status.code())
                    .bind(reason)
                    .bind(actor.user_id)
                    .bind(now)
                    .bind(entry_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict("This information has already been passed to the police; its review cannot be changed".into()));
                }
                let summary = format!("Information reviewed: {}", if relevant { "relevant" } else { "not passed on" });
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Information, summary: &summary, detail: Some(reason), visibility: Visibility::Confidential, source_id: Some(entry_id) }).await?;
                Self::audit(&mut tx, actor, &ev("review", "info_entry", Some(entry_id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_submission(&self, actor: &Actor, family_id: i64, new: &NewSubmission, now: DateTime<Utc>) -> Result<(i64, String)> {
                if !actor.role.can(Capability::SubmitIntelligence) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let mut roles = std::collections::BTreeSet::new();
                for id in &new.entry_ids {
                    let r = sqlx::query("SELECT status, recorder_role FROM info_entries WHERE id = $1 AND family_id = $2")
                        .bind(id)
                        .bind(family_id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    let status: EntryStatus = code(&r.try_get::<String, _>("status")?)?;
                    if status == EntryStatus::Submitted {
                        return Err(StoreError::Conflict("One of the chosen entries has already been passed to the police".into()));
                    }
                    if status == EntryStatus::NotRelevant {
                        return Err(StoreError::Conflict("One of the chosen entries was marked not relevant: review it again before passing it on".into()));
                    }
                    roles.insert(r.try_get::<String, _>("recorder_role")?);
                }
                // The police learn what kind of person the source is, never who: the hub
                // holds the identity, and the named worker is the way back to it.
                let source_description = if roles.contains(Role::Parent.code()) {
                    "A parent or carer of a child the hub supports. Their identity is held by the hub and is not disclosed here: contact the worker named below."
                } else {
                    "A worker of the hub, from their own work with a family the hub supports. The family's identity is held by the hub: contact the worker named below."
                };
                let placeholder = format!("pending-{}", sha256_hex(format!("{}-{}", actor.user_id, now.timestamp_nanos_opt().unwrap_or(0)).as_bytes()));
                let id: i64 = sqlx::query(
                    "INSERT INTO submissions (hub_id, family_id, reference, summary, source_evaluation, assessment, handling, handling_conditions, source_description, status, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(actor.hub_id)
                .bind(family_id)
                .bind(&placeholder)
                .bind(&new.summary)
                .bind(new.grade.source.code())
                .bind(new.grade.assessment.code())
                .bind(new.grade.handling.code())
                .bind(&new.handling_conditions)
                .bind(source_description)
                .bind(SubmissionStatus::Submitted.code())
                .bind(actor.user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                let reference = format!("INT-{}-{:05}", uk_local(now).format("%Y"), id);
                sqlx::query("UPDATE submissions SET reference = $1 WHERE id = $2").bind(&reference).bind(id).execute(&mut *tx).await?;
                for e in &new.entry_ids {
                    sqlx::query("UPDATE info_entries SET status = 'submitted', submission_id = $1 WHERE id = $2")
                        .bind(id)
                        .bind(e)
                        .execute(&mut *tx)
                        .await?;
                }
                let summary = format!("Passed to the police as intelligence {reference}, graded {}", new.grade.code());
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Intelligence, summary: &summary, detail: None, visibility: Visibility::Confidential, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &ev("create", "submission", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok((id, reference))
            }

            async fn submissions(&self, actor: &Actor) -> Result<Vec<SubmissionRow>> {
                let police = actor.role.can(Capability::ReceiveIntelligence);
                if !police && !actor.role.can(Capability::SubmitIntelligence) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                let rows = sqlx::query(concat!(
                    "SELECT s.id, s.reference, s.family_id, f.name AS family_name, s.source_evaluation, s.assessment, s.handling, s.status, s.created_at, u.display_name AS submitted_by, s.outcome \
                     FROM submissions s JOIN families f ON f.id = s.family_id JOIN users u ON u.id = s.created_by WHERE s.hub_id = $1 AND ($4 OR (",
                    family_access!(),
                    ")) ORDER BY s.created_at DESC, s.id DESC LIMIT 1000"
                ))
                .bind(actor.hub_id)
                .bind(actor.sees_all_families())
                .bind(actor.user_id)
                .bind(police)
                .fetch_all(&mut *tx)
                .await?;
                let list = rows.iter().map(|r| Self::submission_row(r, !police)).collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &ev("list", "submission", None, None)).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn submission(&self, actor: &Actor, id: i64) -> Result<SubmissionDetail> {
                let (_writer, mut tx) = self.read_tx().await?;
                let family_id = Self::submission_access(&mut tx, actor, id).await?;
                let police = actor.role.can(Capability::ReceiveIntelligence);
                let r = sqlx::query(
                    "SELECT s.id, s.reference, s.family_id, f.name AS family_name, s.source_evaluation, s.assessment, s.handling, s.status, s.created_at, u.display_name AS submitted_by, s.outcome, \
                     s.summary, s.handling_conditions, s.source_description, h.name AS hub_name, a.display_name AS acknowledged_by_name, s.acknowledged_at, s.outcome_reference, s.outcome_note, \
                     o.display_name AS outcome_by_name, s.outcome_at, p.display_name AS plo_name \
                     FROM submissions s JOIN families f ON f.id = s.family_id JOIN users u ON u.id = s.created_by JOIN hubs h ON h.id = s.hub_id \
                     LEFT JOIN users a ON a.id = s.acknowledged_by LEFT JOIN users o ON o.id = s.outcome_by LEFT JOIN users p ON p.id = f.lead_plo_id WHERE s.id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let entry_rows = sqlx::query("SELECT id, what, occurred_at, occurred_approx, place, people, how_known FROM info_entries WHERE submission_id = $1 ORDER BY occurred_at, id")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
                let entry_ids: Vec<i64> = entry_rows.iter().map(|e| e.try_get("id")).collect::<std::result::Result<_, _>>()?;
                let attachments = Self::load_attachments(&mut tx, &entry_ids).await?;
                let entries = entry_rows
                    .iter()
                    .map(|e| {
                        let entry_id: i64 = e.try_get("id")?;
                        Ok(SubmittedEntry {
                            entry_id: (!police).then_some(entry_id),
                            what: e.try_get("what")?,
                            occurred_at: e.try_get("occurred_at")?,
                            occurred_approx: e.try_get("occurred_approx")?,
                            place: e.try_get("place")?,
                            people: e.try_get("people")?,
                            how_known: code(&e.try_get::<String, _>("how_known")?)?,
                            attachments: attachments.iter().filter(|(s, _)| *s == entry_id).map(|(_, a)| a.clone()).collect(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let mut identifiers: Vec<StoredIdentifier> = Vec::new();
                for (_, i) in Self::load_identifiers(&mut tx, "entry", &entry_ids, true).await? {
                    if !identifiers.iter().any(|x| x.kind == i.kind && x.value == i.value) {
                        identifiers.push(i);
                    }
                }
                let submitted_by: String = r.try_get("submitted_by")?;
                let contact = r.try_get::<Option<String>, _>("plo_name")?.unwrap_or_else(|| submitted_by.clone());
                let detail = SubmissionDetail {
                    row: Self::submission_row(&r, !police)?,
                    summary: r.try_get("summary")?,
                    source_evaluation: code(&r.try_get::<String, _>("source_evaluation")?)?,
                    assessment: code(&r.try_get::<String, _>("assessment")?)?,
                    handling: code(&r.try_get::<String, _>("handling")?)?,
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
                };
                self.audit_read(actor, &ev("read", "submission", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(detail)
            }

            async fn acknowledge_submission(&self, actor: &Actor, id: i64, now: DateTime<Utc>) -> Result<()> {
                if !actor.role.can(Capability::ReceiveIntelligence) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id = Self::submission_access(&mut tx, actor, id).await?;
                let done = sqlx::query("UPDATE submissions SET status = 'acknowledged', acknowledged_by = $1, acknowledged_at = $2 WHERE id = $3 AND status = 'submitted'")
                    .bind(actor.user_id)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict("This submission has already been acknowledged".into()));
                }
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Intelligence, summary: "Police confirmed they received the intelligence", detail: None, visibility: Visibility::Confidential, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &ev("acknowledge", "submission", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn record_outcome(&self, actor: &Actor, id: i64, o: &NewOutcome, now: DateTime<Utc>) -> Result<()> {
                if !actor.role.can(Capability::ReceiveIntelligence) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id = Self::submission_access(&mut tx, actor, id).await?;
                // Recording an outcome also acknowledges a submission not yet acknowledged.
                sqlx::query(
                    "UPDATE submissions SET status = 'outcome_recorded', outcome = $1, outcome_reference = $2, outcome_note = $3, outcome_by = $4, outcome_at = $5, \
                     acknowledged_by = COALESCE(acknowledged_by, $4), acknowledged_at = COALESCE(acknowledged_at, $5) WHERE id = $6",
                )
                .bind(o.outcome.code())
                .bind(&o.reference)
                .bind(&o.note)
                .bind(actor.user_id)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let summary = format!("Police recorded an outcome: {}", o.outcome.label().to_lowercase());
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: uk_local(now), kind: ChronologyKind::Intelligence, summary: &summary, detail: None, visibility: Visibility::Confidential, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &ev("outcome", "submission", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_evidence(&self, actor: &Actor, family_id: i64, new: &NewEvidence, now: DateTime<Utc>) -> Result<i64> {
                let (_writer, mut tx) = self.write_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let id: i64 = sqlx::query(
                    "INSERT INTO evidence_items (hub_id, family_id, kind, description, found_by, found_at, found_where, storage, reference_numbers, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(actor.hub_id)
                .bind(family_id)
                .bind(new.kind.code())
                .bind(&new.description)
                .bind(&new.found_by)
                .bind(new.found_at)
                .bind(&new.found_where)
                .bind(&new.storage)
                .bind(&new.reference_numbers)
                .bind(actor.user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                let summary = format!("Evidence recorded: {} ({})", opening(&new.description, 80), new.kind.label().to_lowercase());
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: new.found_at, kind: ChronologyKind::Evidence, summary: &summary, detail: None, visibility: Visibility::Shareable, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &ev("create", "evidence", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn evidence_items(&self, actor: &Actor, family_id: Option<i64>) -> Result<Vec<EvidenceRow>> {
                let (_writer, mut tx) = self.read_tx().await?;
                let hub_wide = match family_id {
                    Some(f) => {
                        Self::check_family(&mut tx, actor, f).await?;
                        false
                    }
                    None if actor.role.can(Capability::HandleHubEvidence) => true,
                    None => return Err(StoreError::NotFound),
                };
                let rows = sqlx::query(
                    "SELECT v.id, v.family_id, f.name AS family_name, v.kind, v.description, v.found_at, v.found_by, \
                     (SELECT c.handed_to FROM custody_events c WHERE c.item_id = v.id AND c.kind = 'transfer' ORDER BY c.seq DESC LIMIT 1) AS holder \
                     FROM evidence_items v JOIN families f ON f.id = v.family_id WHERE v.hub_id = $1 AND ($2 OR v.family_id = $3) ORDER BY v.found_at DESC, v.id DESC LIMIT 1000",
                )
                .bind(actor.hub_id)
                .bind(hub_wide)
                .bind(family_id.unwrap_or(0))
                .fetch_all(&mut *tx)
                .await?;
                let list = rows
                    .iter()
                    .map(|r| {
                        let found_by: String = r.try_get("found_by")?;
                        Ok(EvidenceRow {
                            id: r.try_get("id")?,
                            // Police partners handle the item, not the family: no name, no id that other pages could tie to it.
                            family_id: if actor.sees_families() { r.try_get("family_id")? } else { 0 },
                            family_name: if actor.sees_families() { r.try_get("family_name")? } else { "A family the hub supports".to_string() },
                            kind: code(&r.try_get::<String, _>("kind")?)?,
                            description: r.try_get("description")?,
                            found_at: r.try_get("found_at")?,
                            held_by: r.try_get::<Option<String>, _>("holder")?.unwrap_or(found_by),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &ev("list", "evidence", None, family_id)).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn evidence_item(&self, actor: &Actor, id: i64) -> Result<EvidenceDetail> {
                let (_writer, mut tx) = self.read_tx().await?;
                let family_id = Self::evidence_access(&mut tx, actor, id).await?;
                let r = sqlx::query(
                    "SELECT v.id, v.family_id, f.name AS family_name, v.kind, v.description, v.found_at, v.found_by, v.found_where, v.storage, v.reference_numbers, v.created_at, \
                     u.display_name AS recorded_by_name, \
                     (SELECT c.handed_to FROM custody_events c WHERE c.item_id = v.id AND c.kind = 'transfer' ORDER BY c.seq DESC LIMIT 1) AS holder \
                     FROM evidence_items v JOIN families f ON f.id = v.family_id JOIN users u ON u.id = v.recorded_by WHERE v.id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let events = sqlx::query(
                    "SELECT c.seq, c.kind, c.handed_by, c.handed_to, c.collar_number, c.at, c.reference, c.note, c.corrects_seq, c.created_at, u.display_name AS recorded_by_name \
                     FROM custody_events c JOIN users u ON u.id = c.recorded_by WHERE c.item_id = $1 ORDER BY c.seq",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|c| {
                    Ok(CustodyEvent {
                        seq: c.try_get("seq")?,
                        kind: code(&c.try_get::<String, _>("kind")?)?,
                        handed_by: c.try_get("handed_by")?,
                        handed_to: c.try_get("handed_to")?,
                        collar_number: c.try_get("collar_number")?,
                        at: c.try_get("at")?,
                        reference: c.try_get("reference")?,
                        note: c.try_get("note")?,
                        corrects_seq: c.try_get("corrects_seq")?,
                        recorded_by: c.try_get("recorded_by_name")?,
                        created_at: c.try_get("created_at")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
                let found_by: String = r.try_get("found_by")?;
                let detail = EvidenceDetail {
                    row: EvidenceRow {
                        id: r.try_get("id")?,
                        // Police partners handle the item, not the family: no name, no id that other pages could tie to it.
                        family_id: if actor.sees_families() { r.try_get("family_id")? } else { 0 },
                        family_name: if actor.sees_families() { r.try_get("family_name")? } else { "A family the hub supports".to_string() },
                        kind: code(&r.try_get::<String, _>("kind")?)?,
                        description: r.try_get("description")?,
                        found_at: r.try_get("found_at")?,
                        held_by: r.try_get::<Option<String>, _>("holder")?.unwrap_or_else(|| found_by.clone()),
                    },
                    found_by,
                    found_where: r.try_get("found_where")?,
                    storage: r.try_get("storage")?,
                    reference_numbers: r.try_get("reference_numbers")?,
                    recorded_by: r.try_get("recorded_by_name")?,
                    created_at: r.try_get("created_at")?,
                    events,
                };
                self.audit_read(actor, &ev("read", "evidence", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(detail)
            }

            async fn add_custody_event(&self, actor: &Actor, item_id: i64, new: &NewCustodyEvent, now: DateTime<Utc>) -> Result<i64> {
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id = Self::evidence_access(&mut tx, actor, item_id).await?;
                let next: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM custody_events WHERE item_id = $1")
                    .bind(item_id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("next")?;
                if let Some(c) = new.corrects_seq {
                    if c < 1 || c >= next {
                        return Err(StoreError::Conflict(format!("There is no entry {c} in this chain of custody to correct")));
                    }
                }
                sqlx::query(
                    "INSERT INTO custody_events (item_id, seq, kind, handed_by, handed_to, collar_number, at, reference, note, corrects_seq, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(item_id)
                .bind(next)
                .bind(new.kind.code())
                .bind(&new.handed_by)
                .bind(&new.handed_to)
                .bind(&new.collar_number)
                .bind(new.at)
                .bind(&new.reference)
                .bind(&new.note)
                .bind(new.corrects_seq)
                .bind(actor.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let summary = match (new.kind, &new.handed_to) {
                    (CustodyEventKind::Transfer, Some(to)) => format!("Evidence handed to {to}"),
                    _ => format!("Correction to entry {} of an evidence item's chain of custody", new.corrects_seq.unwrap_or(0)),
                };
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: new.at.unwrap_or_else(|| uk_local(now)), kind: ChronologyKind::Evidence, summary: &summary, detail: new.note.as_deref(), visibility: Visibility::Shareable, source_id: Some(item_id) }).await?;
                Self::audit(&mut tx, actor, &ev("create", "custody_event", Some(item_id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(next)
            }

            async fn add_incident(&self, actor: &Actor, family_id: Option<i64>, new: &NewIncident, now: DateTime<Utc>) -> Result<i64> {
                if !(actor.role.can(Capability::UseParentPortal) || actor.sees_families()) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id = Self::writable_family(&mut tx, actor, family_id).await?;
                let id: i64 = sqlx::query(
                    "INSERT INTO incidents (hub_id, family_id, occurred_at, kind, description, people, reported_to_police, crime_reference, outcome, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(actor.hub_id)
                .bind(family_id)
                .bind(new.occurred_at)
                .bind(new.kind.code())
                .bind(&new.description)
                .bind(&new.people)
                .bind(new.reported_to_police)
                .bind(&new.crime_reference)
                .bind(&new.outcome)
                .bind(actor.user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                Self::insert_identifiers(&mut tx, actor, family_id, "incident", id, &new.identifiers, now).await?;
                let reported = match (&new.reported_to_police, &new.crime_reference) {
                    (true, Some(r)) => format!("; reported to police, crime reference {r}"),
                    (true, None) => "; reported to police".to_string(),
                    (false, _) => "; not reported to police".to_string(),
                };
                let summary = format!("{}{reported}", new.kind.label());
                Self::chronology_add(&mut tx, actor, Entry { family_id, occurred_at: new.occurred_at, kind: ChronologyKind::Incident, summary: &summary, detail: Some(&new.description), visibility: Visibility::Shareable, source_id: Some(id) }).await?;
                Self::audit(&mut tx, actor, &ev("create", "incident", Some(id), Some(family_id))).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn incidents(&self, actor: &Actor, family_id: i64) -> Result<Vec<IncidentRow>> {
                let (_writer, mut tx) = self.read_tx().await?;
                Self::check_family(&mut tx, actor, family_id).await?;
                let list = Self::incidents_of(&mut tx, family_id, None).await?;
                self.audit_read(actor, &ev("list", "incident", None, Some(family_id))).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn network_rows(
                &self,
                actor: &Actor,
                family_id: Option<i64>,
                from: Option<chrono::NaiveDate>,
                to: Option<chrono::NaiveDate>,
            ) -> Result<Vec<NetworkRow>> {
                let (_writer, mut tx) = self.read_tx().await?;
                match family_id {
                    Some(f) => Self::check_family(&mut tx, actor, f).await?,
                    None if actor.role.can(Capability::ViewNetwork) => {}
                    None => return Err(StoreError::NotFound),
                }
                // Dates are UK days; stored times are UTC: widen by a day each side and
                // let the caller's filter be exact on the day (a record at 00:30 BST).
                let from_t = from.map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::days(1));
                let to_t = to.map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + chrono::Duration::days(2));
                let rows = sqlx::query(
                    "SELECT i.family_id, CASE WHEN $2 OR f.lead_plo_id = $3 OR f.csw_id = $3 THEN f.name END AS family_name, \
                     i.source_type, i.source_id, i.kind, i.value, i.created_at, e.how_known, COALESCE(e.recorder_role, u.role) AS recorder_role \
                     FROM identifiers i JOIN families f ON f.id = i.family_id \
                     LEFT JOIN info_entries e ON i.source_type = 'entry' AND e.id = i.source_id \
                     LEFT JOIN incidents n ON i.source_type = 'incident' AND n.id = i.source_id LEFT JOIN users u ON u.id = n.recorded_by \
                     WHERE i.hub_id = $1 AND i.status <> 'rejected' AND i.recognised = $7 \
                     AND ($4 = 0 OR i.family_id = $4 OR EXISTS (SELECT 1 FROM identifiers j WHERE j.family_id = $4 AND j.kind = i.kind AND j.value = i.value AND j.status <> 'rejected')) \
                     AND ($5 IS NULL OR i.created_at >= $5) AND ($6 IS NULL OR i.created_at < $6) \
                     AND ($8 OR (i.source_type = 'entry' AND e.status = 'submitted') OR (i.source_type = 'incident' AND n.reported_to_police = $7)) \
                     ORDER BY i.id LIMIT 200000",
                )
                .bind(actor.hub_id)
                .bind(actor.sees_all_families())
                .bind(actor.user_id)
                .bind(family_id.unwrap_or(0))
                .bind(from_t)
                .bind(to_t)
                .bind(true)
                // Those who see families see everything recorded for them; police partners
                // only what was passed to them: submitted entries and reported incidents.
                .bind(actor.sees_families())
                .fetch_all(&mut *tx)
                .await?;
                let list = rows
                    .iter()
                    .map(|r| {
                        Ok(NetworkRow {
                            family_id: r.try_get("family_id")?,
                            family_name: r.try_get("family_name")?,
                            source_type: r.try_get("source_type")?,
                            source_id: r.try_get("source_id")?,
                            kind: code(&r.try_get::<String, _>("kind")?)?,
                            value: r.try_get("value")?,
                            recorded_at: r.try_get("created_at")?,
                            recorder_role: opt_code(r.try_get("recorder_role")?)?,
                            how_known: opt_code(r.try_get("how_known")?)?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &ev("read", "network", None, family_id)).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn merge_people(&self, actor: &Actor, name_a: &str, name_b: &str, reason: &str, now: DateTime<Utc>) -> Result<i64> {
                if !actor.role.can(Capability::ViewNetwork) {
                    return Err(StoreError::NotFound);
                }
                if name_a == name_b {
                    return Err(StoreError::Conflict("Choose two different names to merge".into()));
                }
                let (_writer, mut tx) = self.write_tx().await?;
                for n in [name_a, name_b] {
                    let known = sqlx::query("SELECT id FROM identifiers WHERE hub_id = $1 AND kind = 'person' AND value = $2 AND status <> 'rejected' LIMIT 1")
                        .bind(actor.hub_id)
                        .bind(n)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if known.is_none() {
                        return Err(StoreError::NotFound);
                    }
                }
                let dup = sqlx::query("SELECT id FROM person_merges WHERE hub_id = $1 AND unmerged_at IS NULL AND ((name_a = $2 AND name_b = $3) OR (name_a = $3 AND name_b = $2))")
                    .bind(actor.hub_id)
                    .bind(name_a)
                    .bind(name_b)
                    .fetch_optional(&mut *tx)
                    .await?;
                if dup.is_some() {
                    return Err(StoreError::Conflict("These two names are already merged".into()));
                }
                let id: i64 = sqlx::query("INSERT INTO person_merges (hub_id, name_a, name_b, reason, merged_by, merged_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(actor.hub_id)
                    .bind(name_a)
                    .bind(name_b)
                    .bind(reason)
                    .bind(actor.user_id)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("id")?;
                Self::audit(&mut tx, actor, &ev("merge", "person", Some(id), None)).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn unmerge_people(&self, actor: &Actor, merge_id: i64, reason: &str, now: DateTime<Utc>) -> Result<()> {
                if !actor.role.can(Capability::ViewNetwork) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                let done = sqlx::query("UPDATE person_merges SET unmerged_by = $1, unmerged_at = $2, unmerge_reason = $3 WHERE id = $4 AND hub_id = $5 AND unmerged_at IS NULL")
                    .bind(actor.user_id)
                    .bind(now)
                    .bind(reason)
                    .bind(merge_id)
                    .bind(actor.hub_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                Self::audit(&mut tx, actor, &ev("unmerge", "person", Some(merge_id), None)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn person_merges(&self, actor: &Actor) -> Result<Vec<PersonMerge>> {
                if !actor.role.can(Capability::ViewNetwork) && !actor.sees_families() {
                    return Err(StoreError::NotFound);
                }
                self.audit_read(actor, &ev("list", "person_merge", None, None)).await?;
                let rows = sqlx::query(
                    "SELECT m.id, m.name_a, m.name_b, m.reason, a.display_name AS merged_by_name, m.merged_at, b.display_name AS unmerged_by_name, m.unmerged_at, m.unmerge_reason \
                     FROM person_merges m JOIN users a ON a.id = m.merged_by LEFT JOIN users b ON b.id = m.unmerged_by WHERE m.hub_id = $1 ORDER BY m.id",
                )
                .bind(actor.hub_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(PersonMerge {
                            id: r.try_get("id")?,
                            name_a: r.try_get("name_a")?,
                            name_b: r.try_get("name_b")?,
                            reason: r.try_get("reason")?,
                            merged_by: r.try_get("merged_by_name")?,
                            merged_at: r.try_get("merged_at")?,
                            unmerged_by: r.try_get("unmerged_by_name")?,
                            unmerged_at: r.try_get("unmerged_at")?,
                            unmerge_reason: r.try_get("unmerge_reason")?,
                        })
                    })
                    .collect()
            }

            async fn unscoped_identifiers_for_index(&self, after_id: i64, limit: i64) -> Result<Vec<IndexRow>> {
                let rows = sqlx::query(
                    "SELECT id, hub_id, family_id, source_id, kind, value FROM identifiers \
                     WHERE id > $1 AND status <> 'rejected' AND kind <> 'child' ORDER BY id LIMIT $2",
                )
                .bind(after_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(IndexRow {
                            id: r.try_get("id")?,
                            hub_id: r.try_get("hub_id")?,
                            family_id: r.try_get("family_id")?,
                            source_id: r.try_get("source_id")?,
                            kind: code(&r.try_get::<String, _>("kind")?)?,
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
            ) -> Result<(usize, i64)> {
                let table = match source_type {
                    "entry" => "info_entries",
                    "incident" => "incidents",
                    _ => return Err(StoreError::NotFound),
                };
                let (_writer, mut tx) = self.write_tx().await?;
                let family_id: i64 = sqlx::query(&format!("SELECT family_id FROM {table} WHERE id = $1 AND hub_id = $2 AND recorded_by = $3"))
                    .bind(source_id)
                    .bind(actor.hub_id)
                    .bind(actor.user_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?
                    .try_get("family_id")?;
                let mut raised = 0;
                let mut told_hubs = std::collections::BTreeSet::new();
                for c in candidates {
                    // The index may only propose; the database confirms (a hash collision, or
                    // an identifier rejected since it was indexed, raises nothing).
                    let confirmed = if c.kind == AlertKind::SimilarName {
                        sqlx::query("SELECT id FROM identifiers WHERE hub_id = $1 AND family_id = $2 AND source_id = $3 AND kind = 'person' AND status <> 'rejected' LIMIT 1")
                            .bind(c.other_hub_id)
                            .bind(c.other_family_id)
                            .bind(c.other_source_id)
                            .fetch_optional(&mut *tx)
                            .await?
                            .is_some()
                    } else {
                        sqlx::query("SELECT id FROM identifiers WHERE hub_id = $1 AND family_id = $2 AND source_id = $3 AND kind = $4 AND value = $5 AND status <> 'rejected' LIMIT 1")
                            .bind(c.other_hub_id)
                            .bind(c.other_family_id)
                            .bind(c.other_source_id)
                            .bind(c.item_kind.code())
                            .bind(&c.item_value)
                            .fetch_optional(&mut *tx)
                            .await?
                            .is_some()
                    };
                    if !confirmed || (c.other_hub_id == actor.hub_id && c.other_family_id == family_id) {
                        continue;
                    }
                    if c.other_hub_id == actor.hub_id {
                        let other_type: Option<String> = sqlx::query("SELECT source_type FROM identifiers WHERE family_id = $1 AND source_id = $2 LIMIT 1")
                            .bind(c.other_family_id)
                            .bind(c.other_source_id)
                            .fetch_optional(&mut *tx)
                            .await?
                            .map(|r| r.try_get("source_type"))
                            .transpose()?;
                        sqlx::query(
                            "INSERT INTO alerts (hub_id, kind, item_kind, item_value, family_id, source_type, source_id, other_family_id, other_source_type, other_source_id, detail, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                        )
                        .bind(actor.hub_id)
                        .bind(c.kind.code())
                        .bind(c.item_kind.code())
                        .bind(&c.item_value)
                        .bind(family_id)
                        .bind(source_type)
                        .bind(source_id)
                        .bind(c.other_family_id)
                        .bind(other_type)
                        .bind(c.other_source_id)
                        .bind(&c.detail)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        raised += 1;
                    } else if told_hubs.insert(c.other_hub_id) {
                        // Across hubs only the fact of a match and the hubs involved: no
                        // identifier, no family, no content, in either hub.
                        let names = sqlx::query("SELECT id, name FROM hubs WHERE id = $1 OR id = $2")
                            .bind(actor.hub_id)
                            .bind(c.other_hub_id)
                            .fetch_all(&mut *tx)
                            .await?;
                        let name_of = |id: i64| -> String {
                            names.iter().find(|r| r.try_get::<i64, _>("id").ok() == Some(id)).and_then(|r| r.try_get("name").ok()).unwrap_or_default()
                        };
                        for (hub, other) in [(actor.hub_id, c.other_hub_id), (c.other_hub_id, actor.hub_id)] {
                            let detail = format!(
                                "Something recorded in {} matches a record held by {}. No details are shared between hubs: the managers or police partners of the two hubs should talk.",
                                name_of(hub),
                                name_of(other)
                            );
                            sqlx::query("INSERT INTO alerts (hub_id, kind, other_hub_id, detail, created_at) VALUES ($1, $2, $3, $4, $5)")
                                .bind(hub)
                                .bind(AlertKind::OtherHub.code())
                                .bind(other)
                                .bind(&detail)
                                .bind(now)
                                .execute(&mut *tx)
                                .await?;
                            raised += 1;
                        }
                    }
                }
                for child in children {
                    let words: Vec<&str> = child.split_whitespace().collect();
                    let known = if words.len() >= 2 {
                        sqlx::query("SELECT id FROM family_members WHERE hub_id = $1 AND name_key = $2 AND member_role IN ('child_at_risk', 'sibling') LIMIT 1")
                            .bind(actor.hub_id)
                            .bind(name_key(words[0], &words[1..].join(" ")))
                            .fetch_optional(&mut *tx)
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
                    sqlx::query(
                        "INSERT INTO alerts (hub_id, kind, item_kind, item_value, family_id, source_type, source_id, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(actor.hub_id)
                    .bind(AlertKind::PossibleReferral.code())
                    .bind(ItemKind::Child.code())
                    .bind(child)
                    .bind(family_id)
                    .bind(source_type)
                    .bind(source_id)
                    .bind(&detail)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    raised += 1;
                }
                if raised > 0 {
                    Self::audit(&mut tx, actor, &ev("raise", "alert", Some(source_id), Some(family_id))).await?;
                }
                tx.commit().await?;
                Ok((raised, family_id))
            }

            async fn alerts(&self, actor: &Actor, limit: i64) -> Result<Vec<AlertRow>> {
                if !actor.role.can(Capability::ReceiveAlerts) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.read_tx().await?;
                let rows = sqlx::query(
                    "SELECT a.id, a.kind, a.item_kind, a.item_value, a.family_id, f.name AS family_name, a.source_type, a.source_id, a.other_family_id, o.name AS other_family_name, \
                     a.other_source_id, h.name AS other_hub, a.detail, a.created_at, a.seen_at FROM alerts a LEFT JOIN families f ON f.id = a.family_id \
                     LEFT JOIN families o ON o.id = a.other_family_id LEFT JOIN hubs h ON h.id = a.other_hub_id WHERE a.hub_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
                )
                .bind(actor.hub_id)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
                // Police partners learn that families are linked, never which families.
                let named = actor.sees_families();
                let list = rows
                    .iter()
                    .map(|r| {
                        let item_kind: Option<ItemKind> = opt_code(r.try_get("item_kind")?)?;
                        let value: Option<String> = r.try_get("item_value")?;
                        Ok(AlertRow {
                            id: r.try_get("id")?,
                            kind: code(&r.try_get::<String, _>("kind")?)?,
                            item_display: match (item_kind, &value) {
                                (Some(k), Some(v)) if k != ItemKind::Child || named => Some(k.display(v)),
                                _ => None,
                            },
                            item_kind,
                            family_id: if named { r.try_get("family_id")? } else { None },
                            family_name: if named { r.try_get("family_name")? } else { None },
                            source_type: if named { r.try_get("source_type")? } else { None },
                            source_id: if named { r.try_get("source_id")? } else { None },
                            other_family_id: if named { r.try_get("other_family_id")? } else { None },
                            other_family_name: if named { r.try_get("other_family_name")? } else { None },
                            other_source_id: if named { r.try_get("other_source_id")? } else { None },
                            other_hub: r.try_get("other_hub")?,
                            detail: if named || r.try_get::<String, _>("kind")? != AlertKind::PossibleReferral.code() {
                                r.try_get("detail")?
                            } else {
                                "A child named in a family's record is not known to the hub.".to_string()
                            },
                            created_at: r.try_get("created_at")?,
                            seen: r.try_get::<Option<DateTime<Utc>>, _>("seen_at")?.is_some(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                self.audit_read(actor, &ev("list", "alert", None, None)).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn unseen_alerts(&self, actor: &Actor) -> Result<i64> {
                if !actor.role.can(Capability::ReceiveAlerts) {
                    return Ok(0);
                }
                Ok(sqlx::query("SELECT COUNT(*) AS n FROM alerts WHERE hub_id = $1 AND seen_at IS NULL")
                    .bind(actor.hub_id)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get("n")?)
            }

            async fn mark_alerts_seen(&self, actor: &Actor, now: DateTime<Utc>) -> Result<()> {
                if !actor.role.can(Capability::ReceiveAlerts) {
                    return Err(StoreError::NotFound);
                }
                let (_writer, mut tx) = self.write_tx().await?;
                sqlx::query("UPDATE alerts SET seen_at = $1, seen_by = $2 WHERE hub_id = $3 AND seen_at IS NULL")
                    .bind(now)
                    .bind(actor.user_id)
                    .bind(actor.hub_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn incident_counts(&self, actor: &Actor, since: chrono::NaiveDate) -> Result<Vec<IncidentCount>> {
                if !actor.role.can(Capability::ViewCapacity) {
                    return Err(StoreError::NotFound);
                }
                let rows = sqlx::query(
                    "SELECT kind, COUNT(*) AS total, COUNT(CASE WHEN reported_to_police THEN 1 END) AS reported, COUNT(DISTINCT family_id) AS families \
                     FROM incidents WHERE hub_id = $1 AND occurred_at >= $2 GROUP BY kind",
                )
                .bind(actor.hub_id)
                .bind(since.and_hms_opt(0, 0, 0).unwrap_or_default())
                .fetch_all(&self.pool)
                .await?;
                let mut counts = rows
                    .iter()
                    .map(|r| {
                        Ok(IncidentCount {
                            kind: code(&r.try_get::<String, _>("kind")?)?,
                            total: r.try_get("total")?,
                            reported: r.try_get("reported")?,
                            families: r.try_get("families")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                counts.sort_by_key(|c| c.kind);
                Ok(counts)
            }
        }
    };
}
