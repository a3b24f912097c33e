//! Writing and reading the chronology: one dated line for everything done with a
//! family, so that a new worker can take over without the family repeating its story.

use super::contacts::ChronologyEntry;
use crate::access::FamilyScope;
use crate::db::query::Row;
use crate::db::{code, Conn};
use crate::{Actor, AuditEvent, Result};
use alongside_domain::family::{ChronologyKind, Visibility};
use alongside_domain::Code;
use chrono::{NaiveDateTime, Utc};

/// One chronology line to write.
pub(crate) struct Line<'a> {
    occurred_at: NaiveDateTime,
    kind: ChronologyKind,
    summary: &'a str,
    detail: Option<&'a str>,
    visibility: Visibility,
    source_id: Option<i64>,
}

impl<'a> Line<'a> {
    pub(crate) fn new(
        kind: ChronologyKind,
        occurred_at: NaiveDateTime,
        summary: &'a str,
        visibility: Visibility,
    ) -> Self {
        Self {
            occurred_at,
            kind,
            summary,
            detail: None,
            visibility,
            source_id: None,
        }
    }

    /// The detail shown under the summary (a confidential line's only to the support team).
    pub(crate) fn detail(mut self, detail: Option<&'a str>) -> Self {
        self.detail = detail;
        self
    }

    /// The record the line is about.
    pub(crate) fn source(mut self, id: impl Into<i64>) -> Self {
        self.source_id = Some(id.into());
        self
    }
}

/// Records something done with a family, in the transaction of the write: its line in
/// the chronology and its audit event.
pub(crate) async fn record(
    tx: &mut Conn,
    fam: &FamilyScope,
    actor: &Actor,
    line: Line<'_>,
    event: &AuditEvent,
) -> Result<()> {
    add(tx, fam, actor, line).await?;
    crate::db::audit::write(tx, actor, event).await
}

/// Adds a line to the family's chronology, in the transaction of what it records.
pub(crate) async fn add(
    tx: &mut Conn,
    fam: &FamilyScope,
    actor: &Actor,
    line: Line<'_>,
) -> Result<()> {
    fam.query(
        "INSERT INTO chronology (family_id, occurred_at, kind, summary, detail, visibility, source_id, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind_family()
    .bind(line.occurred_at)
    .bind(line.kind.code())
    .bind(line.summary)
    .bind(line.detail)
    .bind(line.visibility.code())
    .bind(line.source_id)
    .bind(actor.user_id)
    .bind(Utc::now())
    .execute(tx)
    .await?;
    Ok(())
}

/// A chronology line as the actor may read it: a confidential line's detail only for
/// those who see confidential support notes.
pub(crate) fn chronology_row(r: &Row, actor: &Actor) -> Result<ChronologyEntry> {
    let visibility: Visibility = code(&r.try_get::<String>("visibility")?)?;
    let detail: Option<String> = r.try_get("detail")?;
    Ok(ChronologyEntry {
        id: r.try_get("id")?,
        occurred_at: r.try_get("occurred_at")?,
        kind: code(&r.try_get::<String>("kind")?)?,
        summary: r.try_get("summary")?,
        detail: detail.filter(|_| {
            visibility == Visibility::Shareable || actor.role.sees_confidential_support_notes()
        }),
        visibility,
        recorded_by: r.try_get("recorded_by_name")?,
    })
}
