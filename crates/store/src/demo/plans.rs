//! The demo family's safety plan, missing-from-home profile and missing episodes (issue
//! 12), written through the same audited store calls people use.

use crate::{Result, Store};
use alongside_domain::clock::{uk_local, uk_today};
use alongside_domain::ids::*;
use chrono::{Duration, Utc};

/// The family's first child (at risk, or a sibling), as the profile pages list them.
async fn first_child(
    store: &dyn Store,
    actor: &crate::Actor,
    family: FamilyId,
) -> Result<Option<MemberId>> {
    Ok(store
        .missing_profiles(actor, Some(family))
        .await?
        .first()
        .map(|r| r.member_id))
}

/// The demo family's child's missing-from-home profile, written by the parent, with a
/// photo (the demo picture, kept as its pixels alone).
pub(super) async fn missing_profile(
    store: &dyn Store,
    parent: &crate::Actor,
    family: FamilyId,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    use crate::StoreError;
    use alongside_domain::missing::*;
    let Some(child) = first_child(store, parent, family).await? else {
        return Ok(());
    };
    let content = ProfileContent {
        nicknames: Some("Jas, JJ".into()),
        height: Some("5 foot 3".into()),
        build: Some("Slim".into()),
        hair: Some("Dark brown, long, often tied back".into()),
        eyes: Some("Brown".into()),
        marks: Some("A small scar above the left eyebrow".into()),
        phones: Some("07700 900321 (her own)".into()),
        online: Some("snapchat @demo_name_22 (the account she hides)".into()),
        friends: vec![Friend {
            name: "A school friend".into(),
            child: true,
            about: Some("Same year at school; her mother is helpful".into()),
        }],
        places: Some("The shopping centre; the park by the canal".into()),
        vehicles: Some("A grey car, AB12 CDE".into()),
        medication: Some("An inhaler for asthma, twice a day".into()),
        school: Some("Demo Academy, year 9".into()),
        transport: Some("The number 12 bus".into()),
        ..Default::default()
    };
    store
        .save_missing_profile(parent, child, 0, &NewProfile::unchecked(content), now)
        .await?;
    let photo = alongside_domain::information::photo::clean(
        &alongside_domain::information::photo::sample(),
    )
    .map_err(|_| StoreError::Setup("the demo photo could not be made".into()))?;
    store
        .add_profile_photo(parent, child, photo.content_type, &photo.bytes, now)
        .await
}

/// The demo family's safety plan, agreed and then changed, with the parent's words on it;
/// and, on another family of the demo PLO, a plan whose review is overdue (so the
/// caseload and the manager's page show one).
pub(super) async fn safety_plans(
    store: &dyn Store,
    plo: &crate::Actor,
    parent: &crate::Actor,
    family: FamilyId,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    use crate::StoreError;
    use alongside_domain::plans::*;
    let today = uk_today(now);
    let action = |who, name: Option<&str>, what: &str| PlanAction {
        who,
        name: name.map(str::to_string),
        agency: None,
        what: what.to_string(),
    };
    let first = PlanContent {
        risks_people: Some("A man who calls himself Danny K, in a grey car".into()),
        risks_places: Some("Outside the school gates at home time".into()),
        risks_online: Some("A hidden Snapchat account".into()),
        risks_times: Some("After school, and Friday evenings".into()),
        actions: vec![
            action(
                Responsible::Parent,
                None,
                "Collect her from school on Fridays",
            ),
            action(
                Responsible::Plo,
                None,
                "Call the family every evening this week",
            ),
            action(
                Responsible::Police,
                Some("Schools officer"),
                "Pass the school gates at 3.30pm",
            ),
        ],
        agreed_contacts: Some("The PLO in the day; 999 if she is in danger".into()),
        what_if: "If she is not home by 8pm: call her, then her friends, then 999 and the PLO."
            .into(),
        review_on: today + chrono::Duration::days(21),
    };
    let child = |f: FamilyId| async move {
        first_child(store, plo, f)
            .await?
            .ok_or(crate::StoreError::NotFound)
    };
    let plan = store
        .add_safety_plan(
            plo,
            family,
            &NewSafetyPlan::unchecked(
                Some(child(family).await?),
                first.clone(),
                Some(
                    "Made at a home visit with both parents; she took part for part of it.".into(),
                ),
            ),
            now - chrono::Duration::days(7),
        )
        .await?;
    let mut second = first;
    second.risks_places =
        Some("Outside the school gates at home time\nThe chicken shop on the high street".into());
    second.what_if =
        "If she is not home by 9pm: call her, then her friends, then 999 and the PLO.".into();
    store
        .revise_safety_plan(
            plo,
            plan,
            1,
            &NewSafetyPlan::unchecked(
                None,
                second,
                Some("A new place the family found her, and a later time the parents and she agreed.".into()),
            ),
            now - chrono::Duration::days(1),
        )
        .await?;
    store
        .respond_to_safety_plan(
            parent,
            plan,
            2,
            None,
            &NewPlanResponse::parse(&RawPlanResponse {
                stance: "partly".into(),
                words: "Fridays are fine. We still think 9pm is late for her, but we agreed to try it for a month.".into(),
            })
            .map_err(|_| StoreError::Setup("the demo response".into()))?,
            now,
        )
        .await?;
    // Another family of the PLO's: a plan whose review date has passed.
    if let Some(other) = store
        .caseload(plo, now)
        .await?
        .iter()
        .map(|r| r.family_id)
        .find(|f| *f != family)
    {
        if let Ok(c) = child(other).await {
            store
                .add_safety_plan(
                    plo,
                    other,
                    &NewSafetyPlan::unchecked(
                        Some(c),
                        PlanContent {
                            risks_people: None,
                            risks_places: Some("The park by the canal after dark".into()),
                            risks_online: None,
                            risks_times: Some("Late evenings".into()),
                            actions: vec![action(
                                Responsible::Parent,
                                None,
                                "Text him at 9pm to ask where he is",
                            )],
                            agreed_contacts: None,
                            what_if: "If he does not answer by 10pm, call 999.".into(),
                            review_on: today - chrono::Duration::days(3),
                        },
                        None,
                    ),
                    now - chrono::Duration::days(60),
                )
                .await?;
        }
    }
    Ok(())
}

/// The demo child's missing episodes: two in the past weeks, found and come back, and the
/// third this morning, still open (so the caseload shows a child missing now, and the
/// plan-review flag: three in ninety days).
pub(super) async fn missing_episodes(
    store: &dyn Store,
    plo: &crate::Actor,
    parent: &crate::Actor,
    family: FamilyId,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    use alongside_domain::episodes::*;
    let Some(child) = first_child(store, parent, family).await? else {
        return Ok(());
    };
    let today = uk_local(now);
    let past = |days: i64, hours: i64, found_by, found_where: &str, nights| EpisodeDetails {
        last_seen_at: today - Duration::days(days),
        last_seen_where: Some("Outside the school gates".into()),
        last_seen_with: Some("Two older boys in a grey car".into()),
        reported_at: Some(today - Duration::days(days) + Duration::hours(2)),
        reported_by: Some("Her mother".into()),
        police_reference: Some(format!("DEMO-MISS-{:04}", days)),
        risk: Some(RiskGrading::High),
        searches: Some("Rang her friends; drove round the shopping centre and the canal".into()),
        clothing: Some("Black puffer jacket, grey joggers, white trainers".into()),
        possessions: Some("Her phone (switched off), a small black bag".into()),
        state_of_mind: Some("Quiet and withdrawn that week".into()),
        returned_at: Some(today - Duration::days(days) + Duration::hours(hours)),
        found_where: Some(found_where.into()),
        found_by: Some(found_by),
        found_with: None,
        how_returned: Some("Brought home".into()),
        search_nights: nights,
    };
    let first = store
        .add_episode(
            plo,
            child,
            &past(40, 30, FoundBy::Police, "A flat in another town", 1),
            now,
        )
        .await?;
    store
        .record_interview(
            plo,
            first,
            &Interview {
                outcome: InterviewOutcome::Held,
                offered_at: Some(today - Duration::days(38)),
                offered_by: Some("A worker of the Demo Youth Service (independent)".into()),
                independent: Some(true),
                declined_info: None,
                not_held_reason: None,
                where_went: Some("A flat in another town".into()),
                with_whom: Some("Two older boys she met online".into()),
                travel: Some("A lift in a grey car; the train back with the police".into()),
                push_factors: Some("Arguments at school".into()),
                pull_factors: Some("Promised money and a new phone".into()),
                indicators: Some("New phone; gifts; older associates".into()),
            },
            now,
        )
        .await?;
    store
        .add_episode(
            plo,
            child,
            &past(12, 9, FoundBy::Parent, "The park by the canal", 0),
            now,
        )
        .await?;
    let missing_now = NewMissingNow::parse(
        &RawMissingNow {
            child: child.to_string(),
            last_seen_time: String::new(),
            last_seen_where: "She did not come home from school".into(),
        },
        today - Duration::hours(3),
    )
    .map_err(|_| crate::StoreError::Setup("the demo episode".into()))?;
    store.report_missing_now(parent, &missing_now, now).await?;
    Ok(())
}

/// Where the demo children live: the parent's child at home (after a spell with their
/// grandmother), and another family's child in foster care, with how they and their
/// parents keep in touch and the plan for coming home.
pub(super) async fn placements(
    store: &dyn Store,
    plo: &crate::Actor,
    family: FamilyId,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    use alongside_domain::placements::{NewPlacement, PlacementKind};
    let today = uk_today(now);
    if let Some(child) = first_child(store, plo, family).await? {
        for (kind, days, place, contact) in [
            (PlacementKind::Home, 900, None, None),
            (
                PlacementKind::Kin,
                120,
                Some("With her grandmother"),
                Some("Her parents visit every day after work"),
            ),
            (PlacementKind::Home, 75, None, None),
        ] {
            store
                .add_placement(
                    plo,
                    child,
                    &NewPlacement::unchecked(
                        kind,
                        today - Duration::days(days),
                        place.map(str::to_string),
                        contact.map(str::to_string),
                        None,
                    ),
                    now,
                )
                .await?;
        }
    }
    let other = store
        .caseload(plo, now)
        .await?
        .iter()
        .map(|r| r.family_id)
        .find(|f| *f != family);
    if let Some(other) = other {
        if let Some(child) = first_child(store, plo, other).await? {
            store
                .add_placement(
                    plo,
                    child,
                    &NewPlacement::unchecked(
                        PlacementKind::Foster,
                        today - Duration::days(40),
                        Some("Foster carers in the next borough".into()),
                        Some("Saturdays at the family centre, 10am to 1pm; a phone call on Wednesday evenings".into()),
                        Some("Home by the summer holidays if the weekend visits go well: the PLO and the social worker review it with the parents every four weeks".into()),
                    ),
                    now,
                )
                .await?;
        }
    }
    Ok(())
}

/// Continuity in the demo: another family of the demo PLO's gets a new Child Support
/// Worker (the one before stays in its history), and a third is closed by the manager
/// with the parent's view and a step-down plan. The parent's own family is left as it is.
pub(super) async fn continuity(
    store: &dyn Store,
    manager: &crate::Actor,
    plo: &crate::Actor,
    family: FamilyId,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    use alongside_domain::continuity::Closure;
    use alongside_domain::roles::Role;
    let others: Vec<FamilyId> = store
        .caseload(plo, now)
        .await?
        .iter()
        .map(|r| r.family_id)
        .filter(|f| *f != family)
        .collect();
    let Some(&moving) = others.get(1) else {
        return Ok(());
    };
    let page = store.family_page(manager, moving).await?;
    let csws = store.hub_workers(manager, Role::Csw).await?;
    if let (Some(lead), Some(next)) = (
        page.family.lead_plo_id,
        csws.iter().find(|c| Some(c.id) != page.family.csw_id),
    ) {
        store
            .reallocate(
                manager,
                moving,
                lead,
                Some(next.id),
                "The Child Support Worker before moved to the evening team",
                now,
            )
            .await?;
    }
    if let Some(&other) = others.get(2) {
        store
            .close_case(
                manager,
                other,
                &Closure {
                    reason: "No missing episodes or contact with the people of concern for six months; the family's safety plan is working".into(),
                    parent_view: "We feel ready. We know we can come back if it starts again.".into(),
                    step_down: "Early help at school for a term; the PLO calls in a month; the family keeps the hub's number".into(),
                },
                now,
            )
            .await?;
    }
    Ok(())
}
