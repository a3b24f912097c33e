//! What a submission may carry before it is sent: which entries may be passed on, and the
//! family's own names and address to keep out of it (decision 0020).

use crate::prelude::*;
use alongside_domain::information::redact::{Redactor, Stands};

/// Checks that each entry may be passed on (this family's, not already submitted, not
/// reviewed as not relevant); returns the roles of those who recorded them.
pub(super) async fn submittable_entries(
    tx: &mut Conn,
    fam: &FamilyScope,
    ids: &[EntryId],
) -> Result<std::collections::BTreeSet<String>> {
    let mut roles = std::collections::BTreeSet::new();
    for id in ids {
        let r = fam
            .query(
                "SELECT status, recorder_role FROM info_entries WHERE id = $1 AND family_id = $2",
            )
            .bind(id)
            .bind_family()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status: EntryStatus = code(&r.try_get::<String>("status")?)?;
        status.submit().map_err(|refused| match refused {
            lifecycle::Refused::EntryNotRelevant => Refusal::EntryNotRelevant,
            _ => Refusal::EntryAlreadySubmitted,
        })?;
        roles.insert(r.try_get::<String>("recorder_role")?);
    }
    Ok(roles)
}

/// The family's own names and address, as its record holds them, to keep out of what
/// the police are sent.
pub(crate) async fn family_redactor(tx: &mut Conn, fam: &FamilyScope) -> Result<Redactor> {
    let mut r = Redactor::new();
    for m in fam
        .query("SELECT given_name, family_name, known_as, member_role FROM family_members WHERE family_id = $1")
        .bind_family()
        .fetch_all(&mut *tx)
        .await?
    {
        let role: MemberRole = code(&m.try_get::<String>("member_role")?)?;
        r.person(
            &m.try_get::<String>("given_name")?,
            &m.try_get::<String>("family_name")?,
            m.try_get::<Option<String>>("known_as")?.as_deref(),
            match role {
                MemberRole::ChildAtRisk | MemberRole::Sibling => Stands::Child,
                MemberRole::ParentCarer => Stands::Carer,
                MemberRole::Other => Stands::Member,
            },
        );
    }
    let f = fam
        .query("SELECT name, address FROM families WHERE id = $1")
        .bind_family()
        .fetch_one(&mut *tx)
        .await?;
    if let Some(a) = f.try_get::<Option<String>>("address")? {
        r.address(&a);
    }
    // "Ivesdale family": its name without the word family.
    let name: String = f.try_get("name")?;
    r.family_name(name.trim_end_matches(" family").trim_end_matches(" Family"));
    Ok(r)
}
