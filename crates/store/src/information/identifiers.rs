//! Identifiers found in entries and incidents: stored beside them, loaded with them.

use super::{NewIdentifier, StoredIdentifier};
use crate::access::FamilyScope;
use crate::db::{code, Conn};
use crate::Result;
use alongside_domain::information::{IdentifierStatus, ItemKind};
use alongside_domain::Code;
use chrono::{DateTime, Utc};

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

/// The identifiers of some of the family's entries or incidents, with the id of each
/// source.
pub(crate) async fn load_identifiers(
    tx: &mut Conn,
    fam: &FamilyScope,
    source_type: &str,
    source_ids: &[i64],
    skip_rejected: bool,
) -> Result<Vec<(i64, StoredIdentifier)>> {
    if source_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = fam.query(
        "SELECT id, source_id, kind, value, raw, origin, recognised, status, corrected_from FROM identifiers WHERE family_id = ",
    );
    q.push_family()
        .push(" AND source_type = ")
        .push_bind(source_type)
        .push(" AND source_id IN ")
        .push_list(source_ids.iter().copied());
    if skip_rejected {
        q.push(" AND status <> 'rejected'");
    }
    q.push(" ORDER BY source_id, id");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let kind: ItemKind = code(&r.try_get::<String>("kind")?)?;
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
                    status: code(&r.try_get::<String>("status")?)?,
                    corrected_from: r.try_get("corrected_from")?,
                },
            ))
        })
        .collect()
}
