//! Need-to-know, decided in one place. Every query the store runs is made here:
//!
//! - [`HubScope::query`]: a query of the actor's hub. Every actor has one: an [`Actor`]
//!   is made only for a member of the hub.
//! - [`FamilyScope::query`]: a query of one family's records. A `FamilyScope` is made
//!   only by the checks below ([`family`], [`parent_family`], [`entry`], ...), so a
//!   query of a family that the actor may not see cannot be written, inside the store
//!   either.
//! - [`unscoped`]: a query that names no family table (accounts, sessions, hubs). In
//!   debug builds, and so in every test, it refuses to run if it names one.
//! - [`past_need_to_know`]: the few deliberate exceptions (the demo loader, the alert
//!   index, confirming a match in another hub), each saying why at its call.
//!
//! A scoped query binds its hub or family from the scope ([`Query::bind_hub`],
//! [`Query::bind_family`]) and, in debug builds, refuses to run without doing so.
//! Anything an actor may not reach answers `NotFound`, exactly like a record that does
//! not exist.

use crate::db::query::{Made, Query};
use crate::db::Conn;
use crate::{Actor, Result, StoreError};
use alongside_domain::ids::*;
use alongside_domain::information::EntryStatus;
use alongside_domain::roles::Capability;
use alongside_domain::Code;
use std::borrow::Cow;

/// The actor's hub.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HubScope {
    hub_id: HubId,
}

/// One family that the actor may reach, in the actor's hub.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FamilyScope {
    hub_id: HubId,
    family_id: FamilyId,
}

/// What a scoped query was made from, for [`Query::bind_hub`] and [`Query::bind_family`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScopeIds {
    pub(crate) hub_id: HubId,
    pub(crate) family_id: Option<FamilyId>,
}

/// The actor's hub scope.
pub(crate) fn hub(actor: &Actor) -> HubScope {
    HubScope {
        hub_id: actor.hub_id,
    }
}

impl HubScope {
    pub(crate) fn id(&self) -> HubId {
        self.hub_id
    }

    pub(crate) fn query<'a>(&self, sql: impl Into<Cow<'a, str>>) -> Query<'a> {
        Query::new(sql, Made::Scoped).scoped(ScopeIds {
            hub_id: self.hub_id,
            family_id: None,
        })
    }
}

impl FamilyScope {
    pub(crate) fn id(&self) -> FamilyId {
        self.family_id
    }

    pub(crate) fn hub(&self) -> HubScope {
        HubScope {
            hub_id: self.hub_id,
        }
    }

    pub(crate) fn query<'a>(&self, sql: impl Into<Cow<'a, str>>) -> Query<'a> {
        Query::new(sql, Made::Scoped).scoped(ScopeIds {
            hub_id: self.hub_id,
            family_id: Some(self.family_id),
        })
    }
}

/// A query that names no family table.
pub(crate) fn unscoped<'a>(sql: impl Into<Cow<'a, str>>) -> Query<'a> {
    Query::new(sql, Made::Unscoped)
}

/// A query past need-to-know. Each caller says why it must be.
pub(crate) fn past_need_to_know<'a>(sql: impl Into<Cow<'a, str>>) -> Query<'a> {
    Query::new(sql, Made::PastNeedToKnow)
}

/// The families of its hub that an actor may see, as a condition on `f` (a `families`
/// row): the whole hub for those who see all of it, otherwise the families allocated to
/// the actor. Arguments: `$1` the hub (bound from the scope), `$2` whether the actor
/// sees the whole hub, `$3` the actor's user id; see [`bind_visible`].
pub(crate) const VISIBLE_FAMILIES: &str =
    "f.hub_id = $1 AND ($2 OR f.lead_plo_id = $3 OR f.csw_id = $3)";

/// Binds `$1`-`$3` of [`VISIBLE_FAMILIES`].
pub(crate) fn bind_visible<'a>(q: Query<'a>, actor: &Actor) -> Query<'a> {
    q.bind_hub()
        .bind(actor.sees_all_families())
        .bind(actor.user_id)
}

/// Confirms the actor may see the family; `NotFound` otherwise (also for another hub's
/// family, and for roles that see no families).
pub(crate) async fn family(
    conn: &mut Conn,
    actor: &Actor,
    family_id: FamilyId,
) -> Result<FamilyScope> {
    if !actor.sees_families() {
        return Err(StoreError::NotFound);
    }
    let sql = format!("SELECT f.id FROM families f WHERE {VISIBLE_FAMILIES} AND f.id = $4");
    let found = bind_visible(hub(actor).query(sql), actor)
        .bind(family_id)
        .fetch_optional(conn)
        .await?;
    match found {
        Some(_) => Ok(FamilyScope {
            hub_id: actor.hub_id,
            family_id,
        }),
        None => Err(StoreError::NotFound),
    }
}

/// The family of a parent or carer's account; `NotFound` for anyone else.
pub(crate) async fn parent_family(conn: &mut Conn, actor: &Actor) -> Result<FamilyScope> {
    if !actor.role.can(Capability::UseParentPortal) {
        return Err(StoreError::NotFound);
    }
    let row = hub(actor)
        .query("SELECT family_id FROM family_parents WHERE user_id = $1 AND hub_id = $2")
        .bind(actor.user_id)
        .bind_hub()
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(FamilyScope {
        hub_id: actor.hub_id,
        family_id: row.try_get("family_id")?,
    })
}

/// The family an actor writes to: their own (parents) or one they may see.
pub(crate) async fn writable_family(
    conn: &mut Conn,
    actor: &Actor,
    family_id: Option<FamilyId>,
) -> Result<FamilyScope> {
    if actor.role.can(Capability::UseParentPortal) {
        let own = parent_family(conn, actor).await?;
        return match family_id {
            Some(f) if f != own.id() => Err(StoreError::NotFound),
            _ => Ok(own),
        };
    }
    family(conn, actor, family_id.ok_or(StoreError::NotFound)?).await
}

/// The family of a child whose missing-from-home profile the hub's police partner may
/// read: only while the child is missing (an episode without a return), or while the
/// family or their PLO shares it (a share not withdrawn). `NotFound` otherwise, as for
/// any record out of reach. Reading, never writing: no write asks this.
pub(crate) async fn shared_profile(
    conn: &mut Conn,
    actor: &Actor,
    child: MemberId,
) -> Result<FamilyScope> {
    if !actor.role.can(Capability::ReadSharedProfiles) {
        return Err(StoreError::NotFound);
    }
    let row = hub(actor)
        .query(format!(
            "SELECT m.family_id FROM family_members m WHERE m.id = $1 AND m.hub_id = $2 AND {PROFILE_OPEN_TO_POLICE}"
        ))
        .bind(child)
        .bind_hub()
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(FamilyScope {
        hub_id: actor.hub_id,
        family_id: row.try_get("family_id")?,
    })
}

/// The condition on a child `m` (a `family_members` row) under which the police partner
/// reads their profile: missing now, or shared and not withdrawn. An episode left open
/// does not count once the child has come back from one that began at or after it (a
/// parent's "missing now" beside one a worker opened; a past episode recorded without
/// its return), so the police's reading ends when the child is back.
pub(crate) const PROFILE_OPEN_TO_POLICE: &str =
    "m.member_role IN ('child_at_risk', 'sibling') AND (\
     EXISTS (SELECT 1 FROM missing_episodes e WHERE e.child_member_id = m.id AND e.hub_id = m.hub_id AND e.returned_at IS NULL \
       AND NOT EXISTS (SELECT 1 FROM missing_episodes b WHERE b.child_member_id = e.child_member_id AND b.id <> e.id \
         AND b.returned_at IS NOT NULL AND b.last_seen_at >= e.last_seen_at)) \
     OR EXISTS (SELECT 1 FROM profile_shares s WHERE s.child_member_id = m.id AND s.hub_id = m.hub_id AND s.withdrawn_at IS NULL))";

/// The family of an information-log entry the actor may reach: a parent their own
/// entries, a worker the entries of families they may see.
pub(crate) async fn entry(
    conn: &mut Conn,
    actor: &Actor,
    entry_id: EntryId,
) -> Result<FamilyScope> {
    let row = hub(actor)
        .query("SELECT family_id, recorded_by FROM info_entries WHERE id = $1 AND hub_id = $2")
        .bind(entry_id)
        .bind_hub()
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let family_id: FamilyId = row.try_get("family_id")?;
    let recorded_by: UserId = row.try_get("recorded_by")?;
    if actor.role.can(Capability::UseParentPortal) {
        let own = parent_family(conn, actor).await?;
        if recorded_by == actor.user_id && own.id() == family_id {
            return Ok(own);
        }
        return Err(StoreError::NotFound);
    }
    family(conn, actor, family_id).await
}

/// The family of a threat or incident the actor may reach: a parent or carer only their
/// own, in their own family; others as the family itself.
pub(crate) async fn incident(
    conn: &mut Conn,
    actor: &Actor,
    incident_id: IncidentId,
) -> Result<FamilyScope> {
    let row = hub(actor)
        .query("SELECT family_id, recorded_by FROM incidents WHERE id = $1 AND hub_id = $2")
        .bind(incident_id)
        .bind_hub()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let family_id: FamilyId = row.try_get("family_id")?;
    let recorded_by: UserId = row.try_get("recorded_by")?;
    if actor.role.can(Capability::UseParentPortal) {
        let own = parent_family(conn, actor).await?;
        if recorded_by == actor.user_id && own.id() == family_id {
            return Ok(own);
        }
        return Err(StoreError::NotFound);
    }
    family(conn, actor, family_id).await
}

/// The family of a submission the actor may reach: police partners every submission of
/// their hub; those who submit, the families they may see.
pub(crate) async fn submission(
    conn: &mut Conn,
    actor: &Actor,
    id: SubmissionId,
) -> Result<FamilyScope> {
    let row = hub(actor)
        .query("SELECT family_id FROM submissions WHERE id = $1 AND hub_id = $2")
        .bind(id)
        .bind_hub()
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let family_id: FamilyId = row.try_get("family_id")?;
    if actor.role.can(Capability::ReceiveIntelligence) {
        return Ok(FamilyScope {
            hub_id: actor.hub_id,
            family_id,
        });
    }
    if !actor.role.can(Capability::SubmitIntelligence) {
        return Err(StoreError::NotFound);
    }
    family(conn, actor, family_id).await
}

/// The family of an evidence item the actor may reach: police partners (who handle the
/// hub's evidence) every item of their hub; workers those of families they may see.
pub(crate) async fn evidence(
    conn: &mut Conn,
    actor: &Actor,
    id: EvidenceId,
) -> Result<FamilyScope> {
    let row = hub(actor)
        .query("SELECT family_id FROM evidence_items WHERE id = $1 AND hub_id = $2")
        .bind(id)
        .bind_hub()
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let family_id: FamilyId = row.try_get("family_id")?;
    if actor.role.can(Capability::HandleHubEvidence) {
        return Ok(FamilyScope {
            hub_id: actor.hub_id,
            family_id,
        });
    }
    family(conn, actor, family_id).await
}

/// The family a record belongs to, for the person who recorded it (raising alerts after
/// a save). `table` is one of the store's own names, never input.
pub(crate) async fn own_record(
    conn: &mut Conn,
    actor: &Actor,
    table: &'static str,
    id: i64,
) -> Result<FamilyScope> {
    let sql =
        format!("SELECT family_id FROM {table} WHERE id = $1 AND hub_id = $2 AND recorded_by = $3");
    let row = hub(actor)
        .query(sql)
        .bind(id)
        .bind_hub()
        .bind(actor.user_id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(FamilyScope {
        hub_id: actor.hub_id,
        family_id: row.try_get("family_id")?,
    })
}

/// The family a referral is attached to: one the referral found in the actor's hub by a
/// child's name and date of birth, or one it has just created. Only `referrals` calls it.
pub(crate) fn referred_family(actor: &Actor, family_id: FamilyId) -> FamilyScope {
    FamilyScope {
        hub_id: actor.hub_id,
        family_id,
    }
}

/// An invitation found by its code, and the family it opens. The code is the credential
/// of someone who is not yet an actor (a parent joining), so this is the check.
pub(crate) async fn invitation(
    conn: &mut Conn,
    code_hash: &str,
) -> Result<Option<(crate::db::query::Row, FamilyScope)>> {
    let row = past_need_to_know(
        "SELECT id, hub_id, family_id, member_id, display_name, created_by, expires_at, used_at, withdrawn_at \
         FROM parent_invitations WHERE code_hash = $1",
    )
    .bind(code_hash)
    .fetch_optional(conn)
    .await?;
    match row {
        None => Ok(None),
        Some(r) => {
            let fam = FamilyScope {
                hub_id: r.try_get("hub_id")?,
                family_id: r.try_get("family_id")?,
            };
            Ok(Some((r, fam)))
        }
    }
}

/// What the police may see of their hub, decided here once (decisions 0008 and 0009) and
/// asked by submissions, evidence, the network picture and alerts: every submission passed
/// to them and every item handed to them, never the family behind either; in the network
/// picture only what was passed to them (submitted entries, incidents reported to them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HubView {
    police: bool,
}

/// How the actor sees the records of their hub.
pub(crate) fn hub_view(actor: &Actor) -> HubView {
    HubView {
        police: actor.role.can(Capability::ReceiveIntelligence) && !actor.sees_families(),
    }
}

impl HubView {
    /// A police partner: they receive the hub's submissions and evidence.
    pub(crate) fn is_police(self) -> bool {
        self.police
    }

    /// Whether a record names (or numbers) the family behind it and its entries.
    pub(crate) fn names_families(self) -> bool {
        !self.police
    }

    /// The one rule of which of a hub's records reach its police partners, as an SQL
    /// condition on the record named by the columns `source_type` and `source_id`, and on
    /// one identifier of it (the columns `item_kind` and `item_value`): an
    /// information-log entry once submitted to them, and of it only the identifiers the
    /// PLO confirmed or corrected at review (issue 11), never a child named nor a place
    /// (the family's own address is often one: the police have places only in the
    /// submissions, where they are redacted); an incident once reported to them
    /// and read by the PLO. (Submissions and evidence items are theirs whole.) For
    /// everyone else the condition holds. The network picture, its exports and alerts all
    /// ask it, so no view can show the police what another keeps from them.
    pub(crate) fn passed(
        self,
        source_type: &str,
        source_id: &str,
        item_kind: &str,
        item_value: &str,
    ) -> String {
        debug_assert!(
            [source_type, source_id, item_kind, item_value]
                .iter()
                .all(|c| c
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.')),
            "column names, never input"
        );
        if !self.police {
            return "(1 = 1)".into();
        }
        format!(
            "(({source_type} = 'entry' AND EXISTS (SELECT 1 FROM info_entries passed_e WHERE passed_e.id = {source_id} AND passed_e.status = '{submitted}') \
               AND EXISTS (SELECT 1 FROM identifiers passed_i WHERE passed_i.source_type = 'entry' AND passed_i.source_id = {source_id} AND passed_i.kind = {item_kind} AND passed_i.value = {item_value} \
               AND passed_i.status <> 'rejected' AND passed_i.reviewed_at IS NOT NULL AND passed_i.kind NOT IN ('child', 'place'))) \
             OR ({source_type} = 'incident' AND EXISTS (SELECT 1 FROM incidents passed_n WHERE passed_n.id = {source_id} AND passed_n.reported_to_police = TRUE AND passed_n.reviewed_at IS NOT NULL)))",
            submitted = EntryStatus::Submitted.code(),
        )
    }
}
