//! Intelligence submissions through HTTP, each on SQLite and on PostgreSQL: a PLO grades
//! and submits relevant entries, the police partner receives them without the family's
//! identity, acknowledges and records an outcome; form and API validation; who may see
//! what; the print view and the JSON export.

mod common;

use alongside_domain::information::entry::UncheckedEntry;
use alongside_domain::information::{HowKnown, ItemKind};
use alongside_store::{
    Acceptance, EntryReview, NewAttachment, NewEntry, NewIdentifier, NewInvitation,
};
use common::*;
use reqwest::StatusCode;

on_both_backends!(
    plo_submits_and_police_answer,
    form_errors_are_explained_and_values_kept,
    who_may_see_and_do_what,
    print_view_and_json_export_leave_the_family_out,
    api_creates_lists_and_answers_submissions,
    police_reach_photos_and_identifiers_by_their_number_in_the_submission,
    what_reaches_the_police_is_what_the_plo_confirmed,
);

/// A distinctive family name, to prove the police never see it.
const FAMILY: &str = "Zephyrwood";
/// The parent or carer's name, likewise.
const PARENT: &str = "Robin Quillfeather";

struct Setup {
    family_id: FamilyId,
    /// The parent's entry (relevant, with a vehicle and a photo) and the PLO's (new).
    parent_entry: EntryId,
    plo_entry: EntryId,
}

/// A family allocated to `plo`, a parent of it on the portal, one entry by the parent
/// (reviewed as relevant) and one by the PLO (not yet reviewed).
async fn setup(app: &TestApp) -> Setup {
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(app, &manager, "Ash", FAMILY).await;
    let now = chrono::Utc::now();
    let plo = app
        .store
        .actor(user_id(app, "plo").await, app.hub_a)
        .await
        .expect("actor")
        .expect("plo in hub A");
    let invitation = app
        .store
        .create_invitation(
            &plo,
            family_id,
            &NewInvitation::new(None, PARENT.into()),
            now,
        )
        .await
        .expect("invitation");
    let parent_user = app
        .store
        .accept_invitation(
            &Acceptance::new(
                invitation.code,
                "robin.parent".into(),
                alongside_web::hash_password(PASSWORD).expect("hash"),
            ),
            now,
        )
        .await
        .expect("accepted");
    let parent = app
        .store
        .actor(parent_user.id, app.hub_a)
        .await
        .expect("actor")
        .expect("parent in hub A");
    let parent_entry = app
        .store
        .add_entry(
            &parent,
            None,
            &NewEntry::unchecked(UncheckedEntry {
                what: "A silver car waited outside the school gates at home time, ab12 cde.".into(),
                occurred_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                    .and_then(|d| d.and_hms_opt(15, 20, 0)),
                occurred_approx: None,
                place: Some("Outside the school gates".into()),
                people: Some("A person of concern known as 'Danny K'".into()),
                how_known: HowKnown::SeenMyself,
                how_known_who: None,
                how_known_detail: None,
                identifiers: vec![NewIdentifier::unchecked(
                    ItemKind::Vehicle,
                    "AB12CDE".into(),
                    "ab12 cde".into(),
                    "text",
                    Some(62),
                    Some(70),
                    true,
                )],
                attachments: vec![NewAttachment::image(1, &photo_with_metadata()).unwrap()],
            }),
            now,
        )
        .await
        .expect("parent entry");
    app.store
        .review_entry(
            &plo,
            parent_entry,
            &EntryReview::confirming(
                true,
                "Matches the car in the referral",
                &app.store
                    .entry(&plo, parent_entry)
                    .await
                    .unwrap()
                    .identifiers,
            ),
            now,
        )
        .await
        .expect("reviewed");
    let plo_entry = app
        .store
        .add_entry(
            &plo,
            Some(family_id),
            &NewEntry::unchecked(UncheckedEntry {
                what: "Calls from 07700 900123 late at night, said to be from a 'friend'.".into(),
                occurred_at: None,
                occurred_approx: Some("Most nights last week".into()),
                place: None,
                people: None,
                how_known: HowKnown::ChildTold,
                how_known_who: None,
                how_known_detail: None,
                identifiers: vec![],
                attachments: vec![],
            }),
            now,
        )
        .await
        .expect("plo entry");
    Setup {
        family_id,
        parent_entry,
        plo_entry,
    }
}

fn submission_id(res: &reqwest::Response) -> i64 {
    location(res)
        .strip_prefix("/intelligence/")
        .and_then(|s| s.split('?').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to a submission, got '{}'", location(res)))
}

/// Submits the parent's entry graded B2P as the PLO, through the check before sending;
/// returns the submission id.
async fn submit_b2p(plo: &Browser, s: &Setup) -> i64 {
    let entry = s.parent_entry.to_string();
    let path = format!("/families/{}/intelligence/new", s.family_id);
    let mut fields = vec![
        ("entry-ids", entry.as_str()),
        (
            "summary",
            "A silver car, AB12 CDE, waits outside the school.",
        ),
        ("source-evaluation", "B"),
        ("assessment", "2"),
        ("handling", "P"),
        ("handling-conditions", "ignored for P"),
    ];
    // First what would be sent, to check: nothing is sent yet.
    let res = plo.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::OK, "the check before sending");
    let check = res.text().await.unwrap();
    assert!(
        check.contains("Check before sending to the police"),
        "{check}"
    );
    assert!(check.contains("cannot be taken back"));
    fields.push(("step", "send"));
    let res = plo.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "submission saved");
    submission_id(&res)
}

async fn plo_submits_and_police_answer(db: Db) {
    let app = spawn_app(db).await;
    let s = setup(&app).await;
    let plo = app.login("plo").await;

    // The family's intelligence: both entries can be passed on.
    let (status, page) = plo
        .get_text(&format!("/families/{}/intelligence", s.family_id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Prepare a submission to police"));
    assert!(page.contains("A silver car waited outside"));
    assert!(page.contains("Calls from 07700 900123"));

    // The form: the relevant entry chosen and its words in the summary, the promise
    // about the family's identity, grades with their words.
    let (status, page) = plo
        .get_text(&format!("/families/{}/intelligence/new", s.family_id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!(
        "value=\"{}\" checked aria-describedby",
        s.parent_entry
    )));
    assert!(page.contains(&format!("value=\"{}\" aria-describedby", s.plo_entry)));
    assert!(page.contains("2 March 2026 at 3:20pm\nA silver car waited outside"));
    assert!(
        page.contains("will not see the family&#x27;s name")
            || page.contains("will not see the family's name")
    );
    assert!(page.contains("B – Untested"));
    assert!(page.contains("2 – Known indirectly to the source but corroborated"));
    assert!(page.contains("C – Lawful sharing permitted with conditions"));

    let sid = submit_b2p(&plo, &s).await;
    let (status, page) = plo.get_text(&format!("/intelligence/{sid}")).await;
    assert_eq!(status, StatusCode::OK);
    let year = chrono::Utc::now().format("%Y").to_string();
    let reference = format!("INT-{year}-{sid:05}");
    assert!(page.contains(&reference), "reference shown");
    assert!(page.contains("B2P: untested source; known indirectly to the source but corroborated; lawful sharing permitted"));
    assert!(page.contains(FAMILY), "the hub sees the family");
    assert!(!page.contains("ignored for P"), "conditions only go with C");
    assert!(!page.contains("Acknowledge receipt"), "not for the PLO");

    // The submitted entry can no longer be chosen; submitting it again is explained.
    let (_, page) = plo
        .get_text(&format!("/families/{}/intelligence", s.family_id))
        .await;
    assert!(!page.contains("A silver car waited outside"));
    assert!(
        page.contains(&reference),
        "listed under submissions already made"
    );
    let entry = s.parent_entry.to_string();
    let res = plo
        .post_form(
            &format!("/families/{}/intelligence/new", s.family_id),
            &[
                ("entry-ids", entry.as_str()),
                ("summary", "Again"),
                ("source-evaluation", "B"),
                ("assessment", "2"),
                ("handling", "P"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("already been passed to the police"));

    // The police list: the submission, without the family.
    let police = app.login("police").await;
    let (status, page) = police.get_text("/intelligence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&reference));
    assert!(page.contains("B2P"));
    assert!(
        !page.contains(FAMILY),
        "the police list never names the family"
    );
    assert!(
        !page.contains(">Family</th>"),
        "no family column for the police"
    );
    // The hub's list does show it.
    let (_, page) = plo.get_text("/intelligence").await;
    assert!(page.contains(FAMILY) && page.contains(">Family</th>"));

    // The police detail: source described, not named; the worker to contact.
    let (status, page) = police.get_text(&format!("/intelligence/{sid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(FAMILY));
    assert!(
        !page.contains(PARENT),
        "the parent is not named to the police"
    );
    assert!(page.contains("A parent or carer of a child the hub supports"));
    assert!(page.contains("Test plo"), "the PLO is the contact");
    assert!(page.contains("Outside the school gates"));
    assert!(page.contains("AB12 CDE"), "identifiers shown for display");
    assert!(page.contains("ab12 cde"), "and as written");
    assert!(
        page.contains("/photos/1\""),
        "photos linked by their number"
    );
    assert!(page.contains("Acknowledge receipt"));
    assert!(
        page.contains("it was right to tell us"),
        "the parent's words shown as hints"
    );

    // Acknowledge, once.
    let res = police
        .post_form(&format!("/intelligence/{sid}/acknowledge"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/intelligence/{sid}"));
    let (_, page) = police.get_text(&format!("/intelligence/{sid}")).await;
    assert!(page.contains("by Test police"), "who received it");
    assert!(
        !page.contains("Acknowledge receipt"),
        "only while submitted"
    );
    let res = police
        .post_form(&format!("/intelligence/{sid}/acknowledge"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("already been acknowledged"));

    // The outcome, with the police's own reference.
    let res = police
        .post_form(
            &format!("/intelligence/{sid}/outcome"),
            &[
                ("outcome", "linked_to_investigation"),
                ("reference", "OP-SYNTH-42"),
                ("note", "Thank you; vehicle known to us."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for viewer in [&police, &plo] {
        let (_, page) = viewer.get_text(&format!("/intelligence/{sid}")).await;
        assert!(page.contains("Linked to an investigation"));
        assert!(page.contains("OP-SYNTH-42"));
        assert!(page.contains("Thank you; vehicle known to us."));
        assert!(page.contains("Outcome recorded"));
    }
    let (_, page) = plo.get_text("/intelligence").await;
    assert!(page.contains("Linked to an investigation"));

    // A second outcome replaces the first as the one in force, and the first is kept,
    // with who and when (M4); the audit says what the status and outcome were and became.
    let res = police
        .post_json(
            &format!("/api/v1/submissions/{sid}/outcome"),
            r#"{"outcome": "no_further_action", "note": "Reviewed again."}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, page) = plo.get_text(&format!("/intelligence/{sid}")).await;
    assert!(page.contains("Earlier outcomes, replaced"), "{page}");
    assert!(page.contains("OP-SYNTH-42") && page.contains("Thank you; vehicle known to us."));
    assert!(page.contains("Reviewed again."));
    let detail: serde_json::Value = plo
        .get(&format!("/api/v1/submissions/{sid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["row"]["outcome"], "no_further_action");
    assert_eq!(detail["outcomes"].as_array().unwrap().len(), 2);
    assert_eq!(detail["outcomes"][1]["outcome"], "linked_to_investigation");
    let manager = app.login("manager").await;
    let (_, audit) = manager.get_text("/audit?action=outcome").await;
    assert!(
        audit.contains("acknowledged; outcome none → outcome_recorded; outcome linked_to_investigation")
            && audit.contains("outcome_recorded; outcome linked_to_investigation → outcome_recorded; outcome no_further_action"),
        "{audit}"
    );
}

async fn form_errors_are_explained_and_values_kept(db: Db) {
    let app = spawn_app(db).await;
    let s = setup(&app).await;
    let plo = app.login("plo").await;
    let path = format!("/families/{}/intelligence/new", s.family_id);

    // No entry chosen, handling C without conditions: both explained, all kept.
    let res = plo
        .post_form(
            &path,
            &[
                ("summary", "Typed words to keep"),
                ("source-evaluation", "B"),
                ("assessment", "3"),
                ("handling", "C"),
                ("handling-conditions", "   "),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("<title>Error: "));
    assert!(page.contains("Choose at least one entry to submit"));
    assert!(page.contains("Enter the conditions on sharing, because the handling code is C"));
    assert!(page.contains(">Typed words to keep</textarea>"));
    assert!(page.contains("value=\"B\" checked"));
    assert!(page.contains("value=\"3\" checked"));
    assert!(page.contains("value=\"C\" checked"));
    assert!(
        page.contains("href=\"#entry-ids\""),
        "the summary links to the field"
    );
    assert!(page.contains("id=\"entry-ids\""));

    // Entries chosen but no grade: the choice is kept.
    let (a, b) = (s.parent_entry.to_string(), s.plo_entry.to_string());
    let res = plo
        .post_form(
            &path,
            &[
                ("entry-ids", a.as_str()),
                ("entry-ids", b.as_str()),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for msg in [
        "Choose a source evaluation",
        "Choose an intelligence assessment",
        "Choose a handling code",
        "Enter the summary for the police",
    ] {
        assert!(page.contains(msg), "{msg}");
    }
    assert!(page.contains(&format!("value=\"{a}\" checked")));
    assert!(page.contains(&format!("value=\"{b}\" checked")));

    // Nonsense is refused, not a failure.
    let res = plo
        .post_form(
            &path,
            &[
                ("entry-ids", "not-a-number"),
                ("summary", "x"),
                ("source-evaluation", "Z"),
                ("assessment", "9"),
                ("handling", "Q"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Choose entries from the list"));
    let res = plo
        .post_form(
            &path,
            &[
                ("entry-ids", "999999"),
                ("summary", "Typed summary kept"),
                ("source-evaluation", "A"),
                ("assessment", "1"),
                ("handling", "P"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an entry not of this family is explained, not a dead end"
    );
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Choose entries from this family") && page.contains("Typed summary kept")
    );

    // Handling C with its conditions: saved, and the conditions shown prominently.
    let res = plo
        .post_form(
            &path,
            &[
                ("entry-ids", a.as_str()),
                ("entry-ids", b.as_str()),
                ("summary", "Both together"),
                ("source-evaluation", "A"),
                ("assessment", "1"),
                ("handling", "C"),
                ("handling-conditions", "Not to be shared outside the force"),
                ("step", "send"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sid = submission_id(&res);
    let (_, page) = plo.get_text(&format!("/intelligence/{sid}")).await;
    assert!(page.contains("A1C"));
    assert!(page.contains("govuk-warning-text"));
    assert!(page.contains("Not to be shared outside the force"));
    assert!(page.contains("Entry 2 of 2"));

    // The police's outcome form: a choice is needed, lengths are bounded, values kept.
    let police = app.login("police").await;
    let long = "R".repeat(101);
    let res = police
        .post_form(
            &format!("/intelligence/{sid}/outcome"),
            &[("reference", long.as_str()), ("note", "Kept note")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Choose what became of the information"));
    assert!(page.contains("Police reference must be 100 characters or fewer"));
    assert!(page.contains(&format!("value=\"{long}\"")));
    assert!(page.contains(">Kept note</textarea>"));
    let res = police
        .post_form(
            &format!("/intelligence/{sid}/outcome"),
            &[("outcome", "arrested")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn who_may_see_and_do_what(db: Db) {
    let app = spawn_app(db).await;
    let s = setup(&app).await;
    let plo = app.login("plo").await;
    let sid = submit_b2p(&plo, &s).await;
    let family = s.family_id;

    // Another hub's police partner: like a record that does not exist.
    let south = app.login("south.police").await;
    for path in [
        format!("/intelligence/{sid}"),
        format!("/intelligence/{sid}/print"),
        format!("/intelligence/{sid}/export.json"),
    ] {
        assert_eq!(
            south.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = south
        .post_form(&format!("/intelligence/{sid}/acknowledge"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, page) = south.get_text("/intelligence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("INT-"), "nothing of hub A");

    // The police never make submissions.
    let police = app.login("police").await;
    for path in [
        format!("/families/{family}/intelligence"),
        format!("/families/{family}/intelligence/new"),
    ] {
        assert_eq!(
            police.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let res = police
        .post_form(
            &format!("/families/{family}/intelligence/new"),
            &[("summary", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Roles that do not do this work.
    for user in ["csw", "socialcare", "commissioner", "admin"] {
        let b = app.login(user).await;
        assert_eq!(
            b.get("/intelligence").await.status(),
            StatusCode::FORBIDDEN,
            "{user}"
        );
        assert_eq!(
            b.get(&format!("/intelligence/{sid}")).await.status(),
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
    let csw = app.login("csw").await;
    assert_eq!(
        csw.get(&format!("/families/{family}/intelligence/new"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Workers answer only for the police side's actions.
    let res = plo
        .post_form(&format!("/intelligence/{sid}/acknowledge"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = plo
        .post_form(
            &format!("/intelligence/{sid}/outcome"),
            &[("outcome", "actioned")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // A PLO who does not hold the family neither sees it nor submits for it.
    let plo2 = app.login("plo2").await;
    assert_eq!(
        plo2.get(&format!("/intelligence/{sid}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        plo2.get(&format!("/families/{family}/intelligence/new"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (_, page) = plo2.get_text("/intelligence").await;
    assert!(!page.contains(FAMILY));
    // The hub's manager sees every family's submissions.
    let manager = app.login("manager").await;
    let (_, page) = manager.get_text("/intelligence").await;
    assert!(page.contains(FAMILY));

    // Nonsense ids are simply not found.
    for path in [
        "/intelligence/abc",
        "/intelligence/-1",
        "/intelligence/0/print",
    ] {
        assert_eq!(
            police.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

async fn print_view_and_json_export_leave_the_family_out(db: Db) {
    let app = spawn_app(db).await;
    let s = setup(&app).await;
    let plo = app.login("plo").await;
    let sid = submit_b2p(&plo, &s).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    let reference = format!("INT-{year}-{sid:05}");
    let plo_actor = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let sha = app
        .store
        .entry(&plo_actor, s.parent_entry)
        .await
        .unwrap()
        .attachments[0]
        .sha256
        .clone();

    // Made by the police, and by the PLO to hand to them: the family is left out of both.
    for user in ["police", "plo"] {
        let b = app.login(user).await;
        let (status, page) = b.get_text(&format!("/intelligence/{sid}/print")).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert!(page.contains(&format!(
            "<title>Intelligence submission {reference}</title>"
        )));
        assert!(page.contains("/assets/alongside.css"));
        assert!(!page.contains("govuk-service-navigation"), "no navigation");
        assert!(page.contains("B2P: untested source"));
        assert!(page.contains("A parent or carer of a child the hub supports"));
        assert!(page.contains("AB12CDE"), "the normalised identifier");
        assert!(page.contains(&sha), "the attachment's SHA-256");
        assert!(page.contains("North hub"));
        assert!(!page.contains(FAMILY), "{user}: print view names no family");
        assert!(!page.contains(PARENT));

        let res = b.get(&format!("/intelligence/{sid}/export.json")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert!(header("content-type").starts_with("application/json"));
        assert_eq!(
            header("content-disposition"),
            format!("attachment; filename=\"{reference}.json\"")
        );
        let text = res.text().await.unwrap();
        assert!(!text.contains(FAMILY), "{user}: export names no family");
        assert!(!text.contains(PARENT));
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(json["grade"], "B2P");
        assert!(json["grade_words"]
            .as_str()
            .unwrap()
            .starts_with("B2P: untested source"));
        assert_eq!(json["row"]["reference"], reference.as_str());
        assert!(json["row"]["family_name"].is_null());
        assert!(json["row"]["family_id"].is_null());
        assert_eq!(json["entries"][0]["attachments"][0]["sha256"], sha.as_str());
        assert_eq!(json["identifiers"][0]["value"], "AB12CDE");
    }

    // Each export is audited.
    let manager = app.login("manager").await;
    let (_, page) = manager.get_text("/audit?action=export&user=police").await;
    assert!(page.contains("2 events"), "print and JSON by the police");
    assert!(page.contains(&format!("submission {sid}")));
}

async fn api_creates_lists_and_answers_submissions(db: Db) {
    let app = spawn_app(db).await;
    let s = setup(&app).await;
    let plo = app.login("plo").await;
    let path = format!("/api/v1/families/{}/submissions", s.family_id);

    // Every field at fault, named as the JSON names it.
    let res = plo.post_json(&path, "{}").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "invalid");
    let fields: Vec<String> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["entry_ids", "summary", "grade"]);

    let res = plo
        .post_json(
            &path,
            &format!(
                r#"{{"entry_ids": [{}], "summary": "s", "grade": "b2c"}}"#,
                s.parent_entry
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "handling_conditions");
    assert_eq!(
        body["fields"][0]["message"],
        "Enter the conditions on sharing, because the handling code is C"
    );
    let res = plo
        .post_json(
            &path,
            r#"{"entry_ids": [1], "summary": "s", "grade": "E7P"}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "grade");
    let res = plo.post_json(&path, r#"{"entry_ids": "one"}"#).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let res = plo
        .post_json(
            &path,
            &format!(
                r#"{{"entry_ids": [{}, {}], "summary": "Seen and heard.", "grade": "B2P"}}"#,
                s.parent_entry, s.plo_entry
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: serde_json::Value = res.json().await.unwrap();
    let sid = created["id"].as_i64().expect("id");
    let reference = created["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    assert!(reference.starts_with("INT-"));
    // The same entries again: refused, naming the field.
    let res = plo
        .post_json(
            &path,
            &format!(
                r#"{{"entry_ids": [{}], "summary": "Again", "grade": "B2P"}}"#,
                s.parent_entry
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "entry_ids");

    // The police list and detail: no family.
    let police = app.login("police").await;
    let res = police.get("/api/v1/submissions?per_page=1").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["link"]
        .to_str()
        .unwrap()
        .contains("per_page=1"));
    let list: serde_json::Value = res.json::<serde_json::Value>().await.unwrap()["items"].clone();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["reference"], reference.as_str());
    assert!(list[0]["family_name"].is_null());
    assert_eq!(list[0]["status"], "submitted");
    let res = police.get(&format!("/api/v1/submissions/{sid}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(!text.contains(FAMILY));
    let detail: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(detail["grade"], "B2P");
    assert_eq!(detail["entries"].as_array().unwrap().len(), 2);
    // The hub's workers see the family in the API.
    let res = plo.get("/api/v1/submissions").await;
    let list: serde_json::Value = res.json::<serde_json::Value>().await.unwrap()["items"].clone();
    assert!(list[0]["family_name"].as_str().unwrap().contains(FAMILY));

    // Acknowledge, then record an outcome; faults named.
    let ack = format!("/api/v1/submissions/{sid}/acknowledge");
    assert_eq!(
        plo.post_json(&ack, "").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        police.post_json(&ack, "").await.status(),
        StatusCode::NO_CONTENT
    );
    let res = police.post_json(&ack, "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("already been acknowledged"));
    let outcome = format!("/api/v1/submissions/{sid}/outcome");
    let long = "R".repeat(101);
    let res = police
        .post_json(
            &outcome,
            &format!(r#"{{"outcome": "arrested", "reference": "{long}"}}"#),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["outcome", "reference"]);
    let res = police
        .post_json(
            &outcome,
            r#"{"outcome": "added_to_systems", "reference": "PND-SYNTH-7", "note": "Recorded."}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = plo.get(&format!("/api/v1/submissions/{sid}")).await;
    let detail: serde_json::Value = res.json().await.unwrap();
    assert_eq!(detail["row"]["outcome"], "added_to_systems");
    assert_eq!(detail["row"]["status"], "outcome_recorded");
    assert_eq!(detail["outcome_reference"], "PND-SYNTH-7");
    assert_eq!(
        plo.post_json(&outcome, r#"{"outcome": "actioned"}"#)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Roles without this work, and the police making submissions.
    let csw = app.login("csw").await;
    assert_eq!(
        csw.get("/api/v1/submissions").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        police.post_json(&path, "{}").await.status(),
        StatusCode::FORBIDDEN
    );

    // Described in the OpenAPI document.
    let doc: serde_json::Value = plo.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/submissions"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/families/{id}/submissions"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/submissions/{id}/outcome"]["post"].is_object());
}

/// Issue 10, L9: what the police receive carries no database id of an identifier or an
/// attachment (decision 0009); photos are numbered within the submission and served by
/// that number, and the photo's database address is closed to the police.
async fn police_reach_photos_and_identifiers_by_their_number_in_the_submission(db: Db) {
    let app = spawn_app(db).await;
    let s = setup(&app).await;
    let plo = app.login("plo").await;
    let sid = submit_b2p(&plo, &s).await;
    let plo_actor = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let stored = app
        .store
        .entry(&plo_actor, s.parent_entry)
        .await
        .unwrap()
        .attachments[0]
        .clone();

    let police = app.login("police").await;
    for path in [
        format!("/api/v1/submissions/{sid}"),
        format!("/intelligence/{sid}/export.json"),
    ] {
        let json: serde_json::Value = police.get(&path).await.json().await.unwrap();
        let photo = &json["entries"][0]["attachments"][0];
        assert!(
            photo.get("id").is_none(),
            "{path}: no attachment id: {photo}"
        );
        assert_eq!(photo["number"], 1, "{path}");
        assert_eq!(photo["filename"], "photo-1.jpg", "{path}");
        assert_eq!(photo["sha256"], stored.sha256.as_str(), "{path}");
        let identifier = &json["identifiers"][0];
        assert!(
            identifier.get("id").is_none(),
            "{path}: no identifier id: {identifier}"
        );
        assert_eq!(identifier["number"], 1, "{path}");
        assert_eq!(identifier["value"], "AB12CDE", "{path}");
    }

    // The page links the photo by its number; the page and the API serve it.
    let (_, page) = police.get_text(&format!("/intelligence/{sid}")).await;
    assert!(page.contains(&format!("href=\"/intelligence/{sid}/photos/1\"")));
    assert!(
        !page.contains("/attachments/"),
        "no database address on the page"
    );
    for path in [
        format!("/intelligence/{sid}/photos/1"),
        format!("/api/v1/submissions/{sid}/photos/1"),
    ] {
        let res = police.get(&path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(
            res.headers()["content-disposition"],
            "inline; filename=\"photo-1.jpg\"",
            "{path}"
        );
        assert_eq!(
            res.headers()["content-security-policy"],
            "default-src 'none'; sandbox"
        );
        let bytes = res.bytes().await.unwrap();
        use sha2::Digest;
        assert_eq!(
            hex::encode(sha2::Sha256::digest(&bytes)),
            stored.sha256,
            "{path}"
        );
    }
    // A number the submission has not, a nonsense number, and the database address: not
    // found, like a record that does not exist.
    for path in [
        format!("/intelligence/{sid}/photos/2"),
        format!("/intelligence/{sid}/photos/0"),
        format!("/intelligence/{sid}/photos/x"),
        format!("/api/v1/submissions/{sid}/photos/2"),
        format!("/attachments/{}", stored.id),
    ] {
        assert_eq!(
            police.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The hub's PLO reaches it both ways; another hub's police partner neither.
    assert_eq!(
        plo.get(&format!("/intelligence/{sid}/photos/1"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        plo.get(&format!("/attachments/{}", stored.id))
            .await
            .status(),
        StatusCode::OK
    );
    let south = app.login("south.police").await;
    assert_eq!(
        south
            .get(&format!("/intelligence/{sid}/photos/1"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The read is audited.
    let manager = app.login("manager").await;
    let (_, page) = manager.get_text("/audit?action=read&user=police").await;
    assert!(
        page.contains(&format!("attachment {}", stored.id)),
        "photo reads audited"
    );
}

/// Issue 11: a description is not a person; the PLO confirms, corrects or rejects each
/// identifier at review and only what they confirmed reaches the police; the check before
/// sending warns of the family's own names and address, which are replaced by default.
async fn what_reaches_the_police_is_what_the_plo_confirmed(db: Db) {
    let app = spawn_app(db).await;
    let s = setup(&app).await;
    let parent = app
        .store
        .actor(user_id(&app, "robin.parent").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    // The family's area and address, kept with the hub, each change in the chronology.
    let plo = app.login("plo").await;
    let res = plo
        .post_form(
            &format!("/families/{}/details", s.family_id),
            &[
                ("area", "North Ashby"),
                ("address", "12 Elm Road\nAshby AB1 2CD"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text(&location_full(&res)).await;
    assert!(page.contains("Family details saved") && page.contains("North Ashby"));
    let (_, page) = plo
        .get_text(&format!("/families/{}/chronology", s.family_id))
        .await;
    assert!(
        page.contains("Area: North Ashby (was not recorded)"),
        "{page}"
    );
    let raw = alongside_domain::information::RawEntry {
        what: "Ash got into a grey car, AB12 CDE, by our house on Zephyrwood Close. The driver gave her 07700 900123.".into(),
        approx: "Yesterday evening".into(),
        place: "Outside our house, 12 Elm Road".into(),
        children: "Ash".into(),
        people: "Tee (driver, white man about 25, beard)\nUnknown number 07700 900456".into(),
        how_known: "seen_myself".into(),
        ..Default::default()
    };
    let new = NewEntry::parse(&raw, chrono::Utc::now().naive_utc()).expect("a valid entry");
    let entry = app
        .store
        .add_entry(&parent, None, &new, chrono::Utc::now())
        .await
        .expect("saved");
    let stored = app
        .store
        .entry(
            &app.store
                .actor(user_id(&app, "plo").await, app.hub_a)
                .await
                .unwrap()
                .unwrap(),
            entry,
        )
        .await
        .unwrap()
        .identifiers;
    let people: Vec<&str> = stored
        .iter()
        .filter(|i| i.kind == ItemKind::Person)
        .map(|i| i.display.as_str())
        .collect();
    assert_eq!(
        people,
        vec!["Tee"],
        "a name as typed, and descriptions are not people"
    );
    let id_of = |kind: ItemKind, value: &str| {
        stored
            .iter()
            .find(|i| i.kind == kind && i.value == value)
            .unwrap_or_else(|| panic!("{value} in {stored:?}"))
            .id
            .to_string()
    };
    let car = id_of(ItemKind::Vehicle, "AB12CDE");
    let given = id_of(ItemKind::Phone, "+447700900123");
    let unknown = id_of(ItemKind::Phone, "+447700900456");
    let place = id_of(ItemKind::Place, "outside our house, 12 elm road");
    let child = id_of(ItemKind::Child, "ash");
    let (c_place, c_child) = (format!("check-{place}"), format!("check-{child}"));

    // The review page asks about every identifier, typed or found.
    let (_, page) = plo.get_text(&format!("/information/{entry}")).await;
    for id in [&car, &given, &unknown] {
        assert!(page.contains(&format!("name=\"check-{id}\"")), "{page}");
    }
    assert!(page.contains("Only those you confirm or correct here are passed to the police"));
    // A correction that does not read as its kind is explained, and nothing is saved.
    let (c_car, c_given, c_unknown) = (
        format!("check-{car}"),
        format!("check-{given}"),
        format!("check-{unknown}"),
    );
    let f_given = format!("fix-{given}");
    let res = plo
        .post_form(
            &format!("/information/{entry}/review"),
            &[
                ("decision", "relevant"),
                (
                    "reason",
                    "The car and the number matter: the police should know.",
                ),
                (&c_car, "confirm"),
                (&c_given, "correct"),
                (&f_given, "not a number"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("There is a problem"));
    assert!(page.contains("not a number"), "what was typed is kept");
    let res = plo
        .post_form(
            &format!("/information/{entry}/review"),
            &[
                ("decision", "relevant"),
                (
                    "reason",
                    "The car and the number matter: the police should know.",
                ),
                (&c_car, "confirm"),
                (&c_given, "correct"),
                (&f_given, "07700 900124"),
                (&c_unknown, "reject"),
                (&c_place, "confirm"),
                (&c_child, "confirm"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location_full(&res);
    assert!(to.starts_with("/review?done=reviewed."), "{to}");
    let (_, queue) = plo.get_text(&to).await;
    assert!(queue.contains("govuk-notification-banner--success"));
    // The same banner from a link made for another session shows nothing.
    let (_, queue) = plo.get_text("/review?done=reviewed.0000000000000000").await;
    assert!(!queue.contains("govuk-notification-banner--success"));

    // The check before sending: the family named, what is held back, nothing sent yet.
    let path = format!("/families/{}/intelligence/new", s.family_id);
    let id = entry.to_string();
    let mut fields = vec![
        ("entry-ids", id.as_str()),
        ("summary", "Ash Zephyrwood was seen getting into AB12 CDE."),
        ("source-evaluation", "B"),
        ("assessment", "2"),
        ("handling", "P"),
    ];
    let res = plo.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let check = res.text().await.unwrap();
    assert!(check.contains("The text names the family"), "{check}");
    assert!(
        check.contains("<bdi>Ash</bdi>: a child&#39;s name"),
        "{check}"
    );
    assert!(
        check.contains("[child] [family name] was seen getting into AB12 CDE"),
        "replaced by default"
    );
    assert!(
        check.contains("Not confirmed at review"),
        "Tee is held back"
    );
    assert!(check.contains("<bdi>Tee</bdi>"));
    assert!(
        app.store
            .entry(&parent, entry)
            .await
            .unwrap()
            .submission_id
            .is_none(),
        "nothing is sent before the check"
    );
    // What the check page showed is what goes: an identifier reviewed meanwhile (here the
    // unanswered Tee, confirmed) sends the PLO back to check again, and nothing is sent.
    let digest: String = check
        .split("name=\"preview\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the check page's digest")
        .to_string();
    let tee = id_of(ItemKind::Person, "tee");
    let plo_actor = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    app.store
        .review_entry(
            &plo_actor,
            entry,
            &alongside_store::EntryReview {
                relevant: true,
                reason: "The car and the number matter: the police should know.".into(),
                checks: vec![(
                    tee.parse::<i64>().map(IdentifierId::new).unwrap(),
                    alongside_domain::information::IdentifierCheck::Confirm,
                )],
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    fields.push(("redact", "yes"));
    fields.push(("step", "send"));
    fields.push(("preview", digest.as_str()));
    let res = plo.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::OK, "checked again, not sent");
    let again = res.text().await.unwrap();
    assert!(again.contains("changed since you checked it"), "{again}");
    let digest2: String = again
        .split("name=\"preview\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    assert_ne!(digest, digest2);
    fields.pop();
    fields.push(("preview", digest2.as_str()));
    let res = plo.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sid = submission_id(&res);
    let sent_to = location_full(&res);

    // What the police have: the text without the family, the identifiers confirmed.
    let police = app
        .store
        .actor(user_id(&app, "police").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let d = app
        .store
        .submission(&police, SubmissionId::new(sid))
        .await
        .unwrap();
    assert_eq!(
        d.summary,
        "[child] [family name] was seen getting into AB12 CDE."
    );
    assert!(d.entries[0].what.starts_with("[child] got into a grey car"));
    assert!(d.entries[0].what.contains("on [family name] Close"));
    let sent: Vec<(ItemKind, &str)> = d
        .identifiers
        .iter()
        .map(|i| (i.kind, i.value.as_str()))
        .collect();
    assert_eq!(
        sent,
        vec![
            (ItemKind::Vehicle, "AB12CDE"),
            (ItemKind::Phone, "+447700900124"),
            (ItemKind::Person, "tee"),
            (ItemKind::Place, "outside our house, [family address]"),
        ],
        "only what the PLO confirmed or corrected, never a child named, the address replaced"
    );
    assert!(d.entries[0].place.as_deref() == Some("Outside our house, [family address]"));
    for i in &d.identifiers {
        assert!(!format!("{} {}", i.raw, i.display).contains("Elm"), "{i:?}");
    }
    // Nor does the police's network picture hold what the PLO did not confirm.
    let police_browser = app.login("police").await;
    let (_, json) = police_browser.get_text("/network/graph.json").await;
    assert!(json.contains("AB12CDE"), "{json}");
    assert!(
        !json.contains("900456") && !json.contains("900123"),
        "{json}"
    );
    // Never the child named, nor a place (the family's own address is often one).
    assert!(
        !json.contains("child:") && !json.contains("place:") && !json.contains("elm road"),
        "{json}"
    );
    // The family's own record keeps what was written.
    let e = app.store.entry(&parent, entry).await.unwrap();
    assert!(e.row.what.starts_with("Ash got into"));
    let (_, page) = plo.get_text(&sent_to).await;
    assert!(page.contains("Sent to the police"), "{sent_to}: {page}");
}
