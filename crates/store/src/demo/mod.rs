//! Synthetic demonstration data: invented families, referrals and contacts, seeded so a
//! run is repeatable. Every name is made up from short lists; every phone number is in
//! Ofcom's range reserved for drama (07700 900000-900999). Never a real person.
//!
//! Loading goes through [`DemoLoad::unscoped_bulk_load`], which writes without an actor
//! because no person is acting; nothing else may call it.

mod load;
mod plans;
pub use load::DemoLoad;
use plans::{continuity, missing_episodes, missing_profile, placements, safety_plans};

use crate::{NewContact, NewMember, NewUser, Refusal, Result, Store, Triage};
use alongside_domain::clock::{uk_local, uk_today};
use alongside_domain::family::{
    CarerKind, ContactKind, ContactStatus, LivingSituation, MemberRole, RawMember, Visibility,
};
use alongside_domain::ids::*;
use alongside_domain::referral::{
    Indicator, ReferralSource, ReferralStatus, Threshold, TriageDecision,
};
use alongside_domain::roles::Role;
use alongside_domain::validate::RawDate;
use alongside_domain::Code;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Families written in one transaction.
pub const BATCH_SIZE: usize = 100;

pub struct Batch {
    pub hub_id: HubId,
    pub manager_id: UserId,
    pub families: Vec<DemoFamily>,
}

pub struct DemoFamily {
    pub name: String,
    pub threshold: Option<Threshold>,
    pub strengths: Option<String>,
    pub own_words: Option<String>,
    pub lead_plo_id: Option<UserId>,
    pub csw_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub members: Vec<NewMember>,
    pub referral: DemoReferral,
    /// Each contact with the user who recorded it.
    pub contacts: Vec<(NewContact, UserId)>,
}

pub struct DemoReferral {
    pub source: ReferralSource,
    pub received_on: NaiveDate,
    pub referrer_name: String,
    pub referrer_contact: Option<String>,
    pub reasons: String,
    pub indicators: Vec<Indicator>,
    pub status: ReferralStatus,
    pub triage: Option<Triage>,
    pub triaged_at: Option<NaiveDateTime>,
    pub first_contact_at: Option<NaiveDateTime>,
}

const GIVEN: &[&str] = &[
    "Ash", "Bailey", "Cam", "Dani", "Eden", "Fin", "Gray", "Harley", "Indy", "Jules", "Kit", "Lou",
    "Morgan", "Nico", "Oakley", "Parker", "Quinn", "Remy", "Sage", "Tate", "Umi", "Vale", "Wren",
    "Xan", "Yael", "Zuri", "Arlo", "Bryn", "Cleo", "Dex", "Elio", "Faye", "Gus", "Hana", "Ivo",
    "Juno", "Kai", "Lyra", "Milo", "Nell", "Otis", "Pia", "Rio", "Skye", "Theo", "Uma", "Vida",
];
const SURNAMES: &[&str] = &[
    "Abbot-Lane",
    "Brookfield",
    "Carrow",
    "Dunmere",
    "Eastwick",
    "Fallowby",
    "Glenholt",
    "Harrowgate",
    "Ivesdale",
    "Juniper",
    "Kestley",
    "Larchmont",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pendry",
    "Quarrington",
    "Rookwood",
    "Stillwater",
    "Thornbury",
    "Underhill",
    "Vexley",
    "Willowmere",
    "Yarrowby",
    "Ashcombe",
    "Birchall",
    "Coldharbour",
    "Dovecote",
    "Elmstead",
    "Foxley",
];
const REASONS: &[&str] = &[
    "The young person has been going missing overnight and returns with new clothes and a second phone.",
    "School reports a sharp fall in attendance and older young people waiting at the gates in cars.",
    "Parent reports the child is receiving calls late at night and has become withdrawn and hostile at home.",
    "Police found the young person in another town with older males during a missing episode.",
    "The child has unexplained money and has been seen getting into unknown cars near the park.",
];
const NOTES: &[&str] = &[
    "Talked through the week with the parent; the child has been home every night.",
    "Parent worried about messages on the child's phone; agreed what to note in the log.",
    "Went through the safety plan together and updated who to call out of hours.",
    "Parent feels listened to by the school this week; sibling is struggling with the changes.",
    "Prepared for the strategy meeting; parent wants to attend and bring their notes.",
    "Child returned late after a missing night; parent reported it to police and stayed calm.",
    "Emotional support call; parent has not slept well and is linking in with the peer group.",
];
const STRENGTHS: &[&str] = &[
    "A close bond between the parent and the child; the grandparents help with the younger children.",
    "The family keeps careful notes and knows the child's friends and places well.",
    "The parents work as a team and have kept the child's room and routines ready.",
];
const OWN_WORDS: &[&str] = &[
    "We want someone to listen, and for the police to act on what we tell them.",
    "We need help to keep our younger son safe too, and a break now and then.",
    "We want to be in the meetings about our child, not hear about them afterwards.",
];

fn pick<'a, T>(rng: &mut StdRng, xs: &'a [T]) -> &'a T {
    &xs[rng.gen_range(0..xs.len())]
}

fn person(
    rng: &mut StdRng,
    surname: &str,
    role: MemberRole,
    age_years: std::ops::Range<i64>,
    today: NaiveDate,
) -> NewMember {
    let dob = today - Duration::days(rng.gen_range(age_years.start * 365..age_years.end * 365));
    let child = matches!(role, MemberRole::ChildAtRisk | MemberRole::Sibling);
    let given_name = pick(rng, GIVEN).to_string();
    let carer_kind = (role == MemberRole::ParentCarer).then(|| {
        *pick(
            rng,
            &[
                CarerKind::Birth,
                CarerKind::Birth,
                CarerKind::Step,
                CarerKind::Kinship,
                CarerKind::Foster,
            ],
        )
    });
    let relationship = match role {
        MemberRole::ChildAtRisk => "",
        MemberRole::Sibling => "Sibling",
        MemberRole::ParentCarer => "Parent or carer",
        MemberRole::Other => "Grandparent",
    };
    // Demo members go through the same rules as a member typed into the form.
    let raw = RawMember {
        given_name,
        family_name: surname.to_string(),
        member_role: role.code().into(),
        carer_kind: carer_kind.map(|k| k.code()).unwrap_or_default().into(),
        date_of_birth: RawDate::Iso(dob.to_string()),
        relationship: relationship.into(),
        lives: if child {
            LivingSituation::Home.code()
        } else {
            ""
        }
        .into(),
        lives_since: if child {
            RawDate::Iso(dob.to_string())
        } else {
            RawDate::Missing
        },
        ..Default::default()
    };
    NewMember::parse(&raw, today)
        .expect("a demo member is born in the past and lives at home since birth")
}

/// Makes `count` synthetic families, allocated round-robin to the given workers.
pub fn generate(
    rng: &mut StdRng,
    count: usize,
    plo_ids: &[UserId],
    csw_ids: &[UserId],
    start_index: usize,
    now: DateTime<Utc>,
    contacts_per_family: usize,
) -> Vec<DemoFamily> {
    let today = uk_today(now);
    (0..count)
        .map(|i| {
            let n = start_index + i;
            let surname = pick(rng, SURNAMES).to_string();
            let mut members = vec![person(rng, &surname, MemberRole::ChildAtRisk, 12..17, today)];
            for _ in 0..rng.gen_range(0..3) {
                members.push(person(rng, &surname, MemberRole::Sibling, 4..19, today));
            }
            for _ in 0..rng.gen_range(1..3) {
                members.push(person(rng, &surname, MemberRole::ParentCarer, 32..55, today));
            }
            // Most referrals are long since triaged; about one in fifty is new and waits
            // for triage.
            let awaiting = rng.gen_bool(0.02);
            let received_on = today - Duration::days(if awaiting { rng.gen_range(0..10) } else { rng.gen_range(10..700) });
            let threshold = *pick(rng, Threshold::ALL);
            let triaged_at = (!awaiting).then(|| (received_on + Duration::days(rng.gen_range(0..3))).and_hms_opt(10, 0, 0).unwrap_or_default());
            let plo = plo_ids[n % plo_ids.len()];
            let csw = csw_ids[n % csw_ids.len()];
            let mut contacts = Vec::with_capacity(contacts_per_family);
            let span_days = (today - received_on).num_days().max(1);
            if !awaiting {
                for k in 0..contacts_per_family {
                    let planned = k + 2 >= contacts_per_family;
                    let when = if planned {
                        uk_local(now) + Duration::days(rng.gen_range(1..10))
                    } else {
                        (received_on + Duration::days(1 + (k as i64 * span_days) / contacts_per_family as i64)).and_hms_opt(rng.gen_range(8..20), 0, 0).unwrap_or_default()
                    };
                    contacts.push((
                        NewContact::unchecked(
                            *pick(rng, ContactKind::ALL),
                            if planned { ContactStatus::Planned } else { ContactStatus::Held },
                            when,
                            Some(rng.gen_range(10..120)),
                            Some("Parent or carer".into()),
                            (!planned).then(|| pick(rng, NOTES).to_string()),
                            if rng.gen_bool(0.7) { Visibility::Confidential } else { Visibility::Shareable },
                        ),
                        if k % 3 == 2 { csw } else { plo },
                    ));
                }
            }
            let first_contact_at = contacts.iter().find(|(c, _)| c.status() == ContactStatus::Held).map(|(c, _)| c.occurred_at());
            let indicators: Vec<Indicator> = Indicator::ALL.iter().copied().filter(|i| *i != Indicator::Other && rng.gen_bool(0.3)).collect();
            DemoFamily {
                name: format!("{surname} family"),
                threshold: (!awaiting).then_some(threshold),
                strengths: Some(pick(rng, STRENGTHS).to_string()),
                own_words: Some(pick(rng, OWN_WORDS).to_string()),
                lead_plo_id: (!awaiting).then_some(plo),
                csw_id: (!awaiting).then_some(csw),
                created_at: received_on.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc(),
                members,
                referral: DemoReferral {
                    source: *pick(rng, ReferralSource::ALL),
                    received_on,
                    referrer_name: format!("{} {}", pick(rng, GIVEN), pick(rng, SURNAMES)),
                    referrer_contact: Some(format!("07700 900{:03}", rng.gen_range(0..1000))),
                    reasons: pick(rng, REASONS).to_string(),
                    indicators: if indicators.is_empty() { vec![Indicator::GoingMissing] } else { indicators },
                    status: if awaiting { ReferralStatus::AwaitingTriage } else { ReferralStatus::Accepted },
                    triage: (!awaiting).then(|| Triage::unchecked(
                        threshold,
                        "Indicators of exploitation outside the home; the parents are engaged and want support.".into(),
                        TriageDecision::Accept,
                        Some(plo),
                        Some(csw),
                    )),
                    triaged_at,
                    first_contact_at,
                },
                contacts,
            }
        })
        .collect()
}

/// The demo accounts, one per role, that `populate` prints.
pub const DEMO_USERS: &[(&str, Role, &str)] = &[
    ("demo.admin", Role::Administrator, "Demo Administrator"),
    ("demo.manager", Role::Manager, "Demo Manager"),
    ("demo.plo", Role::Plo, "Demo Parent Liaison Officer"),
    ("demo.csw", Role::Csw, "Demo Child Support Worker"),
    ("demo.police", Role::Police, "Demo Police Partner"),
    (
        "demo.socialcare",
        Role::SocialCare,
        "Demo Social Care Partner",
    ),
    ("demo.commissioner", Role::Commissioner, "Demo Commissioner"),
    ("demo.parent", Role::Parent, "Demo Parent"),
];

/// What [`populate`] made.
pub struct Populated {
    pub hub_id: HubId,
    pub usernames: Vec<String>,
    pub families: usize,
}

/// Creates a demo hub with one user per role (all with `password_hash`), one PLO and one
/// CSW per 25 families, and `families` synthetic families. Refuses if the hub exists.
pub async fn populate(
    store: &dyn Store,
    hub_name: &str,
    prefix: &str,
    families: usize,
    password_hash: &str,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> Result<Populated> {
    if store.hub_by_name(hub_name).await?.is_some() {
        return Err(Refusal::DemoHubExists(hub_name.to_string()).into());
    }
    let hub = store.create_hub(hub_name).await?;
    let mut usernames = Vec::new();
    let mut manager_id = None;
    let mut plo_ids = Vec::new();
    let mut csw_ids = Vec::new();
    let mut ids_by_role = Vec::new();
    for (name, role, display) in DEMO_USERS {
        let username = format!("{prefix}{name}");
        let u = store
            .create_user(&NewUser::new(
                username.clone(),
                display.to_string(),
                *role,
                password_hash.into(),
                vec![hub.id],
            ))
            .await?;
        ids_by_role.push((*role, u.id));
        match role {
            Role::Manager => manager_id = Some(u.id),
            Role::Plo => plo_ids.push(u.id),
            Role::Csw => csw_ids.push(u.id),
            _ => {}
        }
        usernames.push(username);
    }
    // An account an administrator made in the browser, waiting for the manager's approval
    // (separation of duties): the manager's dashboard shows it. It cannot sign in.
    store
        .create_user(
            &NewUser::new(
                format!("{prefix}demo.newplo"),
                "New Worker (demo)".to_string(),
                Role::Plo,
                password_hash.into(),
                vec![hub.id],
            )
            .awaiting_approval(),
        )
        .await?;
    let workers = families / 25;
    let mut rng = StdRng::seed_from_u64(seed);
    for i in 1..workers {
        for (role, ids, label) in [
            (Role::Plo, &mut plo_ids, "plo"),
            (Role::Csw, &mut csw_ids, "csw"),
        ] {
            let u = store
                .create_user(&NewUser::new(
                    format!("{prefix}{label}{i}"),
                    format!("{} {}", pick(&mut rng, GIVEN), pick(&mut rng, SURNAMES)),
                    role,
                    password_hash.into(),
                    vec![hub.id],
                ))
                .await?;
            ids.push(u.id);
        }
    }
    let now = Utc::now();
    let mut done = 0;
    while done < families {
        let n = BATCH_SIZE.min(families - done);
        let batch = Batch {
            hub_id: hub.id,
            manager_id: manager_id.ok_or(crate::StoreError::NotFound)?,
            families: generate(&mut rng, n, &plo_ids, &csw_ids, done, now, 95),
        };
        store.unscoped_bulk_load(&batch).await?;
        done += n;
        progress(done);
    }
    if families > 0 {
        partners_story(store, hub.id, &ids_by_role, now).await?;
    }
    store.optimize(true).await?;
    Ok(Populated {
        hub_id: hub.id,
        usernames,
        families,
    })
}

/// A parent's story through the product, so the demo shows it: the demo parent belongs
/// to one of the demo PLO's families, has shared two things (one passed to the police,
/// who have answered), logged a threat, and an evidence item has been handed over.
/// Everything goes through the same audited store calls people use.
async fn partners_story(
    store: &dyn Store,
    hub_id: HubId,
    ids: &[(Role, UserId)],
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    use crate::*;
    use alongside_domain::information::entry::UncheckedEntry;
    use alongside_domain::information::incident::UncheckedIncident;
    use alongside_domain::information::*;
    let actor = |role: Role| async move {
        let id = ids
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, id)| *id)
            .ok_or(StoreError::NotFound)?;
        store.actor(id, hub_id).await?.ok_or(StoreError::NotFound)
    };
    let (plo, parent, police) = (
        actor(Role::Plo).await?,
        actor(Role::Parent).await?,
        actor(Role::Police).await?,
    );
    let Some(family) = store
        .caseload(&plo, now)
        .await?
        .first()
        .map(|r| r.family_id)
    else {
        return Ok(());
    };
    store
        .unscoped_link_parent(parent.user_id(), family, hub_id)
        .await?;
    // Areas (which tell families of one name apart) and an address, which submissions
    // keep from the police; all invented.
    const AREAS: &[&str] = &[
        "North Ashby",
        "Millbrook",
        "Eastfield",
        "Old Town",
        "Riverside",
    ];
    for (i, row) in store.caseload(&plo, now).await?.iter().enumerate() {
        let address = (i == 0).then_some("12 Example Road\nAshby AB1 2CD");
        store
            .update_family_details(
                &plo,
                row.family_id,
                Some(AREAS[i % AREAS.len()]),
                address,
                now,
            )
            .await?;
    }
    let ident = NewIdentifier::named;
    let today = alongside_domain::clock::uk_local(now);
    let first = store
        .add_entry(
            &parent,
            None,
            &NewEntry::unchecked(UncheckedEntry {
                what: "A grey car, AB12 CDE, waited outside the school gates at home time again. The driver called my daughter over and gave her a phone number, 07700 900123.".into(),
                occurred_at: Some(today - chrono::Duration::days(6)),
                occurred_approx: None,
                place: Some("Outside the school gates".into()),
                people: Some("Driver, about 20, calls himself Danny K".into()),
                how_known: HowKnown::SeenMyself,
                how_known_who: None,
                how_known_detail: None,
                identifiers: vec![ident(ItemKind::Vehicle, "AB12 CDE"), ident(ItemKind::Phone, "07700 900123"), ident(ItemKind::Person, "Danny K")],
                attachments: vec![NewAttachment::image(1, &alongside_domain::information::photo::sample())
                    .map_err(|_| StoreError::Setup("the demo photo could not be made".into()))?],
            }),
            now,
        )
        .await?;
    store
        .add_entry(
            &parent,
            None,
            &NewEntry::unchecked(UncheckedEntry {
                what: "My daughter's friend says she has a new Snapchat account, @demo_name_22, that she hides from us.".into(),
                occurred_at: None,
                occurred_approx: Some("last weekend".into()),
                place: None,
                people: None,
                how_known: HowKnown::OtherPersonTold,
                how_known_who: Some("A friend of my daughter".into()),
                how_known_detail: None,
                identifiers: vec![ident(ItemKind::Handle, "snapchat @demo_name_22")],
                attachments: Vec::new(),
            }),
            now,
        )
        .await?;
    store
        .review_entry(
            &plo,
            first,
            &EntryReview::confirming(
                true,
                "A car and a phone seen with your daughter: the police should know.",
                &store.entry(&plo, first).await?.identifiers,
            ),
            now,
        )
        .await?;
    let (sid, _) = store
        .create_submission(
            &plo,
            family,
            &NewSubmission::unchecked(
                vec![first],
                "A grey car, AB12 CDE, seen waiting outside a school at home time; the driver gave a 14-year-old girl the number 07700 900123. Seen directly by her parent.".into(),
                Grade { source: SourceEvaluation::B, assessment: IntelligenceAssessment::One, handling: HandlingCode::P },
                None,
            ),
            now,
        )
        .await?;
    store.acknowledge_submission(&police, sid, now).await?;
    // An earlier outcome, replaced: the submission keeps both (the hub sees the history).
    store
        .record_outcome(
            &police,
            sid,
            &NewOutcome::unchecked(
                SubmissionOutcome::LinkedToInvestigation,
                Some("DEMO-OP-0001".into()),
                Some("Looked at alongside a current operation.".into()),
            ),
            now - chrono::Duration::hours(2),
        )
        .await?;
    store
        .record_outcome(
            &police,
            sid,
            &NewOutcome::unchecked(
                SubmissionOutcome::AddedToSystems,
                Some("DEMO-REF-0001".into()),
                None,
            ),
            now,
        )
        .await?;
    store
        .add_incident(
            &parent,
            None,
            &NewIncident::unchecked(UncheckedIncident {
                occurred_at: today - chrono::Duration::days(3),
                kind: IncidentKind::DamageCar,
                description:
                    "Our car's tyres were slashed overnight, the day after we spoke to the police."
                        .into(),
                people: None,
                reported_to_police: true,
                crime_reference: Some("DEMO-CRIME-0002".into()),
                outcome: None,
                identifiers: Vec::new(),
            }),
            now,
        )
        .await?;
    // Read by the PLO, who wrote what followed for the parent; and one still waiting,
    // told to the police with no reference yet.
    let tyres = store
        .incident_review_queue(&plo)
        .await?
        .into_iter()
        .find(|i| i.family_id == family)
        .map(|i| i.row.id);
    if let Some(tyres) = tyres {
        store
            .review_incident(
                &plo,
                tyres,
                "I have told the officer in the case, and I will call you tomorrow to talk about keeping the car safe.",
                now,
            )
            .await?;
    }
    store
        .add_incident(
            &parent,
            None,
            &NewIncident::unchecked(UncheckedIncident {
                occurred_at: today - chrono::Duration::days(1),
                kind: IncidentKind::ThreatInPerson,
                description: "A man at the door said we should stop talking to the police.".into(),
                people: Some("Tee (driver, white man about 25, beard)".into()),
                reported_to_police: true,
                crime_reference: None,
                outcome: None,
                identifiers: vec![NewIdentifier::person("Tee")],
            }),
            now,
        )
        .await?;
    let item = store
        .add_evidence(
            &plo,
            family,
            &NewEvidence::unchecked(
                EvidenceKind::Phone,
                "A second phone found in the child's school bag".into(),
                "The child's mother".into(),
                today - chrono::Duration::days(2),
                "In the child's school bag, at home".into(),
                "Sealed bag, not switched on or handled since".into(),
                Some("Bag seal DEMO-0003".into()),
            ),
            now,
        )
        .await?;
    store
        .add_custody_event(
            &plo,
            item,
            &NewCustodyEvent::unchecked_handover(
                "The child's mother".into(),
                "Demo Parent Liaison Officer".into(),
                None,
                today - chrono::Duration::days(2),
                None,
                Some("Handed over still sealed at a home visit.".into()),
            ),
            now,
        )
        .await?;
    safety_plans(store, &plo, &parent, family, now).await?;
    missing_profile(store, &parent, family, now).await?;
    placements(store, &plo, family, now).await?;
    continuity(store, &actor(Role::Manager).await?, &plo, family, now).await?;
    missing_episodes(store, &plo, &parent, family, now).await
}
