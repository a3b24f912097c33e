//! Receiving a referral: whether its child is already known to the hub (a re-referral),
//! and the people it names whom the family record does not yet hold.

use super::NewReferral;
use crate::prelude::*;

/// The family of the hub holding a child of the referral, known by name AND date of
/// birth; a name alone is not enough (the manager sees it as a possible match instead).
pub(super) async fn known_family(
    tx: &mut Conn,
    actor: &Actor,
    new: &NewReferral,
) -> Result<Option<FamilyId>> {
    let mut known_family: Option<FamilyId> = None;
    for child in new.children() {
        let rows = access::hub(actor).query(
            "SELECT family_id, date_of_birth FROM family_members WHERE hub_id = $1 AND name_key = $2 \
             AND member_role IN ('child_at_risk', 'sibling') ORDER BY family_id",
        )
        .bind_hub()
        .bind(name_key(child.given_name(), child.family_name()))
        .fetch_all(&mut *tx)
        .await?;
        for r in rows {
            let dob: Option<chrono::NaiveDate> = r.try_get("date_of_birth")?;
            // Only a name AND date of birth both recorded attach a referral to a known
            // family; a name alone is shown to the manager as a possible match.
            if dob.is_some() && dob == child.date_of_birth() {
                known_family = Some(r.try_get("family_id")?);
                break;
            }
        }
        if known_family.is_some() {
            break;
        }
    }
    Ok(known_family)
}

/// Adds to the family the people the referral names whom it does not yet hold.
pub(super) async fn add_people(
    tx: &mut Conn,
    fam: &FamilyScope,
    new: &NewReferral,
    now: DateTime<Utc>,
) -> Result<()> {
    let people = new
        .children()
        .iter()
        .map(|p| (p, MemberRole::ChildAtRisk))
        .chain(new.carers().iter().map(|p| (p, MemberRole::ParentCarer)));
    for (p, role) in people {
        let key = name_key(p.given_name(), p.family_name());
        let exists = fam
            .query("SELECT id FROM family_members WHERE family_id = $1 AND name_key = $2")
            .bind_family()
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        fam.query(
            "INSERT INTO family_members (family_id, hub_id, given_name, family_name, name_key, member_role, carer_kind, date_of_birth, lives, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind_family()
        .bind_hub()
        .bind(p.given_name())
        .bind(p.family_name())
        .bind(&key)
        .bind(role.code())
        .bind(p.carer_kind().map(|k| k.code()))
        .bind(p.date_of_birth())
        .bind((role == MemberRole::ChildAtRisk).then_some("home"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
