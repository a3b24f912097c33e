//! Continuity and closure through HTTP on both backends (issue 12): the family's workers
//! over time, a manager changing them (the new worker lands on the handover summary),
//! and closing a case only by a manager, with the reason, the parent's view and a
//! step-down plan; reopening keeps the whole history.

mod common;

use common::*;
use reqwest::StatusCode;

on_both_backends!(
    workers_change_with_their_history_kept_and_a_handover,
    only_a_manager_closes_a_case_and_reopening_keeps_its_history,
);

async fn workers_change_with_their_history_kept_and_a_handover(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Pia", "Handwell").await;
    let plo = app.login("plo").await;
    let (status, page) = plo.get_text(&format!("/families/{family}/workers")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Who has worked with the family"), "{page}");
    assert!(
        !page.contains("Change the workers"),
        "only a manager changes them"
    );
    // A PLO may not change the workers.
    let plo2 = user_id(&app, "plo2").await.to_string();
    let res = plo
        .post_form(
            &format!("/families/{family}/workers"),
            &[("plo", &plo2), ("reason", "Mine now")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Without a reason, or with someone who is not a PLO of the hub: asked again, kept.
    let res = manager
        .post_form(&format!("/families/{family}/workers"), &[("plo", &plo2)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Enter why the workers are changing"));
    let police = user_id(&app, "police").await.to_string();
    let res = manager
        .post_form(
            &format!("/families/{family}/workers"),
            &[("plo", &police), ("reason", "Cover for leave")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("not a Parent Liaison Officer of this hub")
            && page.contains("Cover for leave")
    );
    let res = manager
        .post_form(
            &format!("/families/{family}/workers"),
            &[
                ("plo", &plo2),
                ("reason", "The first PLO moves to the south team"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/families/{family}/handover"));
    // The new PLO has the family, and its handover; the old one no longer reaches it.
    let second = app.login("plo2").await;
    let (_, caseload) = second.get_text("/caseload").await;
    assert!(
        caseload.contains(&format!("/families/{family}")),
        "{caseload}"
    );
    let (status, page) = second
        .get_text(&format!("/families/{family}/handover"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Handover summary") && page.contains("Workers so far"),
        "{page}"
    );
    assert!(
        page.contains("The first PLO moves to the south team"),
        "the reason, with who stepped back"
    );
    assert_eq!(
        plo.get(&format!("/families/{family}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Another hub's manager: not found.
    let south = app.login("south.manager").await;
    assert_eq!(
        south
            .get(&format!("/families/{family}/workers"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = south
        .post_form(
            &format!("/families/{family}/workers"),
            &[("plo", &plo2), ("reason", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

async fn only_a_manager_closes_a_case_and_reopening_keeps_its_history(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Oli", "Closewell").await;
    let plo = app.login("plo").await;
    let res = plo
        .post_form(
            &format!("/families/{family}/closure"),
            &[
                ("reason", "Done"),
                ("parent-view", "Fine"),
                ("step-down", "Early help"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, page) = plo.get_text(&format!("/families/{family}/closure")).await;
    assert!(page.contains("Only a manager closes a case"));
    // The parent's view and a step-down plan are required; what was typed is kept.
    let res = manager
        .post_form(
            &format!("/families/{family}/closure"),
            &[("reason", "Safe at home for six months")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Enter what the parents or carers say about closing"),
        "{page}"
    );
    assert!(
        page.contains("Enter the step-down plan") && page.contains("Safe at home for six months")
    );
    let res = manager
        .post_form(
            &format!("/families/{family}/closure"),
            &[
                ("reason", "Safe at home for six months"),
                ("parent-view", "We are ready, and we know where you are"),
                (
                    "step-down",
                    "Early help at school for a term; the PLO's number kept",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text(&format!("/families/{family}")).await;
    assert!(page.contains("govuk-tag--grey\">Closed"), "{page}");
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(
        !caseload.contains(&format!("/families/{family}\"")),
        "off the caseload"
    );
    // Closed twice: refused.
    let res = manager
        .post_form(
            &format!("/families/{family}/closure"),
            &[
                ("reason", "Again"),
                ("parent-view", "x"),
                ("step-down", "y"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already closed"));
    // Reopened with a reason: the closure and what the family said stay on record.
    let res = manager
        .post_form(&format!("/families/{family}/reopen"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = manager
        .post_form(
            &format!("/families/{family}/reopen"),
            &[("reopen-reason", "A new missing episode")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text(&format!("/families/{family}/closure")).await;
    assert!(
        page.contains("We are ready, and we know where you are")
            && page.contains("A new missing episode"),
        "{page}"
    );
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(
        caseload.contains(&format!("/families/{family}")),
        "back on the caseload"
    );
    let (_, chronology) = plo
        .get_text(&format!("/families/{family}/chronology"))
        .await;
    assert!(
        chronology.contains("Case closed by the manager") && chronology.contains("Case reopened")
    );
    let res = manager
        .post_form(
            &format!("/families/{family}/reopen"),
            &[("reopen-reason", "Again")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
