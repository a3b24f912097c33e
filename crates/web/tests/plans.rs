//! Safety plans through HTTP on both backends (issue 12): a plan made with the family,
//! changed into a second version with the first kept and the difference shown; the
//! parent reads it on the portal and answers in their own words, which stay as written;
//! an overdue review shows on the caseload and to the manager; bad input is explained
//! and kept; and no one outside the family's support team and parents reaches it.

mod common;

use common::*;
use reqwest::StatusCode;

on_both_backends!(
    a_plan_is_made_changed_and_answered_in_the_parents_words,
    plan_input_faults_are_explained_and_kept,
    only_the_family_and_its_workers_reach_a_plan,
    plans_through_the_api,
);

fn day(days: i64) -> (String, String, String) {
    let d = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    (
        d.format("%-d").to_string(),
        d.format("%-m").to_string(),
        d.format("%Y").to_string(),
    )
}

/// The child's member id, from the new-plan form's list.
async fn child_of(b: &Browser, family: FamilyId) -> String {
    let (status, page) = b.get_text(&format!("/families/{family}/plans/new")).await;
    assert_eq!(status, StatusCode::OK);
    let at = page.find("<option value=\"").expect("a child") + "<option value=\"".len();
    let rest = &page[at..];
    // The first option is "Choose a child" with an empty value.
    let at = rest.find("<option value=\"").expect("a child") + "<option value=\"".len();
    rest[at..].split('"').next().unwrap().to_string()
}

fn plan_fields(child: &str, review_in_days: i64, places: &str) -> Vec<(String, String)> {
    let (d, m, y) = day(review_in_days);
    [
        ("child", child),
        ("risks-places", places),
        ("risks-times", "After school, and late on Fridays"),
        ("action1-who", "parent"),
        ("action1-what", "Collect from school on Fridays"),
        ("action2-who", "police"),
        ("action2-name", "PC on the schools beat"),
        ("action2-what", "Pass the park at 3.30pm"),
        (
            "what-if",
            "If she is not home by 9pm: call her, then 999, then the PLO",
        ),
        ("review-day", &d),
        ("review-month", &m),
        ("review-year", &y),
        ("change-note", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn a_plan_is_made_changed_and_answered_in_the_parents_words(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Rowan", "Plansworth").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let res = plo
        .post_pairs(
            &format!("/families/{family}/plans/new"),
            &plan_fields(&child, 28, "The park behind the flats"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let plan = location(&res);
    assert!(plan.starts_with("/plans/"), "{plan}");
    let (_, page) = plo.get_text(&location_full(&res)).await;
    assert!(page.contains("Safety plan saved"), "the banner");
    assert!(page.contains("Version 1"), "{page}");
    assert!(page.contains("Police (PC on the schools beat): Pass the park at 3.30pm"));

    // A second version: the first is kept, and the page shows what changed.
    let mut fields = plan_fields(
        &child,
        14,
        "The park behind the flats\nThe chicken shop on the high street",
    );
    fields.retain(|(k, _)| k != "child" && k != "change-note");
    fields.push(("read".into(), "1".into()));
    fields.push((
        "change-note".into(),
        "A new place the family found her".into(),
    ));
    let res = plo.post_pairs(&format!("{plan}/revise"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{plan}/versions/2"));
    let (_, page) = plo.get_text(&location(&res)).await;
    assert!(page.contains("What changed from version 1"), "{page}");
    assert!(page.contains("Added: </span>The chicken shop on the high street"));
    assert!(page.contains("A new place the family found her"));
    // The same form again, made from version 1: someone changed it since.
    let res = plo.post_pairs(&format!("{plan}/revise"), &fields).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = res.text().await.unwrap();
    assert!(page.contains("version 2 is the plan now"), "{page}");
    assert!(
        page.contains("A new place the family found her"),
        "what was typed is kept"
    );
    // A form that does not say which version it was filled from: refused, nothing saved.
    let unread: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k != "read")
        .cloned()
        .collect();
    let res = plo.post_pairs(&format!("{plan}/revise"), &unread).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("did not say which version it was filled from"),
        "{page}"
    );
    assert!(page.contains("A new place the family found her"), "kept");
    assert!(!plo
        .get_text(&format!("{plan}/versions/3"))
        .await
        .0
        .is_success());
    let (_, page) = plo.get_text(&format!("{plan}/versions/1")).await;
    assert!(page.contains("This is version 1"));
    assert!(
        !page.contains("The chicken shop"),
        "version 1 as it was agreed"
    );

    // The parent reads it on the portal and answers; their words are kept as written.
    let parent = joined_parent(&app, &plo, family, "plan.parent").await;
    let (_, home) = parent.get_text("/my").await;
    let my_plan = plan.replace("/plans/", "/my/plans/");
    assert!(home.contains(&my_plan), "the plan is on the parent's page");
    assert!(home.contains("You have not said what you think of it yet"));
    let (status, page) = parent.get_text(&my_plan).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("Change the plan"),
        "parents do not change the plan here"
    );
    let res = parent
        .post_form(
            &format!("{my_plan}/responses"),
            &[
                ("version", "2"),
                ("stance", "partly"),
                (
                    "words",
                    "Fridays are fine; the 9pm time is too early for a 15-year-old",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), my_plan);
    // A worker writes down what the other parent said, with whose words they are.
    let res = plo
        .post_form(
            &format!("{plan}/responses"),
            &[
                ("version", "2"),
                ("for-parent", "The child's father"),
                ("stance", "agree"),
                ("words", "We will both stick to it"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text(&plan).await;
    assert!(page.contains("the 9pm time is too early for a 15-year-old"));
    assert!(
        page.contains("The words of <bdi>The child&#39;s father</bdi>"),
        "{page}"
    );
    // The chronology has each step.
    let (_, chron) = plo
        .get_text(&format!("/families/{family}/chronology"))
        .await;
    assert!(chron.contains("Safety plan for Rowan agreed"), "{chron}");
    assert!(chron.contains("Safety plan changed (version 2)"));
    assert!(chron.contains("agrees with some of it"));

    // Not yet due: not on the caseload. Past its date (as the database says): on the
    // PLO's caseload and the manager's capacity page.
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(!caseload.contains("Safety plan reviews due"));
    let id: i64 = plan.trim_start_matches("/plans/").parse().unwrap();
    app.exec_sql(&format!(
        "UPDATE safety_plans SET review_on = '2026-01-05' WHERE id = {id}"
    ))
    .await;
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(caseload.contains("Safety plan reviews due"), "{caseload}");
    assert!(caseload.contains(&format!("href=\"{plan}\"")));
    let (_, capacity) = manager.get_text("/capacity").await;
    assert!(capacity.contains("Safety plan reviews due"));
    let (_, family_page) = plo.get_text(&format!("/families/{family}")).await;
    assert!(family_page.contains("Review overdue"));
}

async fn plan_input_faults_are_explained_and_kept(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Ash", "Faultley").await;
    let (_, other) = referred_and_allocated(&app, &manager, "Bea", "Otherley").await;
    let plo = app.login("plo").await;
    let theirs = child_of(&plo, other).await;
    // Nothing but a place typed, an action with no one to do it, a past review date.
    let (d, m, y) = day(-1);
    let res = plo
        .post_form(
            &format!("/families/{family}/plans/new"),
            &[
                ("risks-places", "The bus station"),
                ("action1-what", "Walk her to the bus"),
                ("action1-who", "other"),
                ("review-day", &d),
                ("review-month", &m),
                ("review-year", &y),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for message in [
        "Choose the child the plan is for",
        "Name who will do thing 1",
        "Enter what to do if",
        "The review date must be today or later",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
    assert!(
        page.contains("The bus station") && page.contains("Walk her to the bus"),
        "kept"
    );
    // Another family's child is not one of this family's.
    let res = plo
        .post_pairs(
            &format!("/families/{family}/plans/new"),
            &plan_fields(&theirs, 10, "The bus station"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Choose one of this family&#39;s children"));
    // A response needs the parent's own words.
    let child = child_of(&plo, family).await;
    let res = plo
        .post_pairs(
            &format!("/families/{family}/plans/new"),
            &plan_fields(&child, 10, "The bus station"),
        )
        .await;
    let plan = location(&res);
    let res = plo
        .post_form(
            &format!("{plan}/responses"),
            &[("version", "1"), ("stance", "agree"), ("words", " ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enter whose words these are"));
    assert!(page.contains("Enter what you want to say, in your own words"));
    // A version that is not the plan's, and a plan that is not there.
    let res = plo
        .post_form(
            &format!("{plan}/responses"),
            &[
                ("version", "7"),
                ("for-parent", "Mum"),
                ("stance", "agree"),
                ("words", "Yes"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        plo.get("/plans/99999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        plo.get(&format!("{plan}/versions/x")).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn only_the_family_and_its_workers_reach_a_plan(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Cal", "Keptly").await;
    let (_, other) = referred_and_allocated(&app, &manager, "Dee", "Elsewhere").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let res = plo
        .post_pairs(
            &format!("/families/{family}/plans/new"),
            &plan_fields(&child, 10, "The underpass"),
        )
        .await;
    let plan = location(&res);
    let my_plan = plan.replace("/plans/", "/my/plans/");
    // Another family's parent, the police, social care, another hub: as if there were none.
    let stranger = joined_parent(&app, &plo, other, "other.parent").await;
    assert_eq!(stranger.get(&my_plan).await.status(), StatusCode::NOT_FOUND);
    let res = stranger
        .post_form(
            &format!("{my_plan}/responses"),
            &[("version", "1"), ("stance", "agree"), ("words", "Not mine")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let south = app.login("south.plo").await;
    assert_eq!(south.get(&plan).await.status(), StatusCode::NOT_FOUND);
    for who in ["police", "socialcare", "commissioner", "admin"] {
        let b = app.login(who).await;
        let status = b.get(&plan).await.status();
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{who}: {status}"
        );
        assert!(
            !b.get_text(&plan).await.1.contains("The underpass"),
            "{who}"
        );
    }
    // Every read is audited.
    assert_eq!(plo.get(&plan).await.status(), StatusCode::OK);
    let n = app
        .count_sql(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE record_type = 'safety_plan' AND action = 'read' AND record_id = {}",
            plan.trim_start_matches("/plans/")
        ))
        .await;
    assert!(n >= 1, "reads audited: {n}");
}

async fn plans_through_the_api(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Eli", "Apiworth").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let review = (chrono::Utc::now().date_naive() + chrono::Duration::days(20)).to_string();
    let body = format!(
        r#"{{"child_id":{child},"risks_places":"The station","actions":[{{"who":"parent","what":"Meet the train"}}],"what_if":"Call 999","review_on":"{review}"}}"#
    );
    let res = plo
        .post_json(&format!("/api/v1/families/{family}/plans"), &body)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // A field at fault is named as the API names it.
    let bad = format!(
        r#"{{"actions":[{{"who":"other","what":"Walk her"}}],"what_if":"Call 999","review_on":"{review}"}}"#
    );
    let res = plo
        .post_json(&format!("/api/v1/families/{family}/plans"), &bad)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["child_id", "risks_people", "actions[0].name"],
        "{json}"
    );
    // A new version from version 1; the same again is refused, as changed since read.
    let next = format!(
        r#"{{"risks_places":"The station\nThe bus stop","actions":[{{"who":"parent","what":"Meet the train"}}],"what_if":"Call 999","review_on":"{review}","change_note":"A new place","read":1}}"#
    );
    let res = plo
        .post_json(&format!("/api/v1/plans/{id}/versions"), &next)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["version"], 2);
    let res = plo
        .post_json(&format!("/api/v1/plans/{id}/versions"), &next)
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = plo
        .post_json(
            &format!("/api/v1/plans/{id}/responses"),
            r#"{"version":2,"stance":"agree","words":"Yes","for_parent":"The child's mother"}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let json: serde_json::Value = plo
        .get(&format!("/api/v1/plans/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["plan"]["version"], 2);
    assert_eq!(json["versions"].as_array().unwrap().len(), 2);
    assert_eq!(json["responses"][0]["for_parent"], "The child's mother");
    let json: serde_json::Value = plo
        .get(&format!("/api/v1/families/{family}/plans"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["total"], 1);
    // Another hub's worker and the police: as if there were no such plan.
    let south = app.login("south.plo").await;
    assert_eq!(
        south.get(&format!("/api/v1/plans/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let police = app.login("police").await;
    assert_eq!(
        police.get(&format!("/api/v1/plans/{id}")).await.status(),
        StatusCode::FORBIDDEN
    );
}
