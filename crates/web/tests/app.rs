//! Integration tests through HTTP against the real application, each on SQLite and on
//! PostgreSQL: sign-in and sessions, CSRF, the referral → triage → contact → chronology
//! journey, hub isolation, audit, bad input, the JSON API, and the role × route matrix.

mod common;

use common::*;
use reqwest::StatusCode;

on_both_backends!(
    api_tokens_expire,
    lists_of_people_and_caseloads_are_audited,
    usernames_cannot_be_tested_across_hubs,
    an_administrator_cannot_give_themselves_the_families,
    a_known_child_is_answered_like_a_new_one_to_a_referrer,
    control_characters_get_a_message_never_a_500,
    security_headers_keep_the_stricter_policy_and_ask_for_tls,
    health_answers,
    sign_in_page_offers_joining_and_exit,
    sign_in_and_out,
    forms_without_a_valid_csrf_token_are_refused,
    referral_triage_contact_and_chronology,
    another_hubs_family_answers_like_a_missing_one,
    re_referrals_are_detected,
    referrals_past_the_first_contact_target_are_flagged,
    bad_referral_input_is_explained_and_kept,
    bad_contact_and_member_input,
    reads_and_writes_are_audited,
    api_tokens_and_json_errors,
    role_route_matrix,
    chronology_filter_and_csv_export,
    caseload_and_capacity,
    idle_sessions_end_and_sign_in_is_throttled,
    a_referrer_who_does_not_hold_the_family_learns_nothing_of_it,
    names_alone_are_possible_matches_not_re_referrals,
    search_folds_case_beyond_ascii,
    first_contact_and_overdue_follow_the_day,
    families_of_one_name_can_be_told_apart,
    members_and_planned_contacts_change_with_their_history,
    working_days_skip_the_hubs_bank_holidays,
);

/// Issue 11: working days ignored bank holidays. A hub keeps its nation's (shipped), its
/// manager chooses the nation, and its administrator adds those the program lacks.
async fn working_days_skip_the_hubs_bank_holidays(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.login("admin").await;
    let (status, page) = admin.get_text("/admin/bank-holidays").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("England and Wales") && page.contains("Christmas Day"),
        "{page}"
    );
    let add = |day: &'static str| {
        vec![
            ("day-day", day),
            ("day-month", "1"),
            ("day-year", "2031"),
            ("title", "New Year's Day"),
        ]
    };
    let res = admin.post_form("/admin/bank-holidays", &add("32")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().await.unwrap().contains("value=\"32\""),
        "kept as typed"
    );
    let res = admin.post_form("/admin/bank-holidays", &add("1")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.get_text(&location_full(&res)).await;
    assert!(
        page.contains("Bank holiday added") && page.contains("1 January 2031"),
        "{page}"
    );
    let res = admin.post_form("/admin/bank-holidays", &add("1")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "once");
    // The manager chooses the nation; the referrals page counts with it.
    let manager = app.login("manager").await;
    let res = manager
        .post_form(
            "/referrals/settings",
            &[("target", "5"), ("nation", "scotland")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.get_text("/admin/bank-holidays").await;
    assert!(
        page.contains("the bank holidays of Scotland") && page.contains("Saint Andrew"),
        "{page}"
    );
    let res = manager
        .post_form(
            "/referrals/settings",
            &[("target", "5"), ("nation", "wales")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not one of the nations"
    );
    // Another hub's administrator sees only their hub's additions.
    assert_eq!(
        manager.get("/admin/bank-holidays").await.status(),
        StatusCode::FORBIDDEN
    );
}

/// Issue 11: nothing could be changed after saving. A member's details are corrected and
/// a planned contact is marked held or cancelled; each change is in the chronology with
/// what it was, and what was typed is kept when it is refused.
async fn members_and_planned_contacts_change_with_their_history(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Ash", "Amberly").await;
    let plo = app.login("plo").await;
    let (_, page) = plo.get_text(&format!("/families/{family}")).await;
    let marker = format!("href=\"/families/{family}/members/");
    let member: String = page
        .match_indices(&marker)
        .map(|(i, _)| {
            page[i + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .find(|id| !id.is_empty())
        .expect("a Change link for the child");
    let path = format!("/families/{family}/members/{member}");
    let (status, form) = plo.get_text(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("value=\"Ash\"") && form.contains("Change Ash&#39;s details"),
        "{form}"
    );
    let edit = |known: &'static str, given: &'static str| {
        vec![
            ("given", given),
            ("family", "Amberly"),
            ("known-as", known),
            ("role", "child_at_risk"),
            ("dob-day", "3"),
            ("dob-month", "4"),
            ("dob-year", "2012"),
        ]
    };
    let res = plo.post_form(&path, &edit("Ashy", "")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("There is a problem") && page.contains("value=\"Ashy\""),
        "kept"
    );
    let res = plo.post_form(&path, &edit("Ashy", "Ash")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text(&location_full(&res)).await;
    assert!(
        page.contains("Family member&#39;s details saved")
            || page.contains("Family member's details saved"),
        "{page}"
    );
    assert!(page.contains("(known as Ashy)"));
    let (_, chronology) = plo
        .get_text(&format!("/families/{family}/chronology"))
        .await;
    assert!(
        chronology.contains("Ash&#39;s details changed")
            || chronology.contains("Ash's details changed")
    );
    assert!(
        chronology.contains("Known as: Ashy (was not recorded)"),
        "{chronology}"
    );

    // Two planned contacts: one held, one cancelled.
    let next = (chrono::Utc::now().date_naive() + chrono::Duration::days(3))
        .format("%-d %-m %Y")
        .to_string();
    let parts: Vec<&str> = next.split(' ').collect();
    for kind in ["home_visit", "phone_call"] {
        let res = plo
            .post_form(
                &format!("/families/{family}/contacts/new"),
                &[
                    ("kind", kind),
                    ("status", "planned"),
                    ("date-day", parts[0]),
                    ("date-month", parts[1]),
                    ("date-year", parts[2]),
                    ("time", "10am"),
                    ("visibility", "confidential"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{kind} planned");
    }
    let (_, page) = plo.get_text(&format!("/families/{family}")).await;
    let marker = format!("href=\"/families/{family}/contacts/");
    let ids: Vec<String> = page
        .match_indices(&marker)
        .map(|(i, _)| {
            page[i + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|id| !id.is_empty())
        .collect();
    assert_eq!(ids.len(), 2, "{page}");
    let held = format!("/families/{family}/contacts/{}", ids[0]);
    let cancelled = format!("/families/{family}/contacts/{}", ids[1]);
    let res = plo
        .post_form(&held, &[("note", "Talked with the family")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().await.unwrap().contains("Talked with the family"),
        "kept"
    );
    let res = plo
        .post_form(
            &held,
            &[("outcome", "held"), ("note", "Talked with the family")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = plo
        .post_form(
            &cancelled,
            &[
                ("outcome", "cancelled"),
                ("note", "The family asked to move it"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Closed once: no longer planned, so not found again.
    assert_eq!(plo.get(&held).await.status(), StatusCode::NOT_FOUND);
    let (_, chronology) = plo
        .get_text(&format!("/families/{family}/chronology"))
        .await;
    assert!(
        chronology.contains("Home visit held, as planned")
            && chronology.contains("Talked with the family")
    );
    assert!(
        chronology.contains("Phone call cancelled")
            && chronology.contains("The family asked to move it"),
        "{chronology}"
    );
    let (_, page) = plo.get_text(&format!("/families/{family}")).await;
    assert!(page.contains("No contacts are planned."));
    // Another hub's worker: as if none existed.
    let south = app.login("south.plo").await;
    assert_eq!(south.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(south.get(&cancelled).await.status(), StatusCode::NOT_FOUND);
}

/// Issue 11: "Ivesdale family" five times cannot be told apart; every list shows the
/// family's reference, its children's first names and ages, and its area.
async fn families_of_one_name_can_be_told_apart(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, a) = referred_and_allocated(&app, &manager, "Ash", "Ivesdale").await;
    let (_, b) = referred_and_allocated(&app, &manager, "Bea", "Ivesdale").await;
    let plo = app.login("plo").await;
    let res = plo
        .post_form(
            &format!("/families/{b}/details"),
            &[("area", "North Ashby")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let born = chrono::NaiveDate::from_ymd_opt(2012, 4, 3).unwrap();
    let age = chrono::Utc::now().date_naive().years_since(born).unwrap();
    let tag_a = format!("F-{:05} \u{b7} Ash {age}", a.get());
    let tag_b = format!("F-{:05} \u{b7} Bea {age} \u{b7} North Ashby", b.get());
    for (who, page) in [
        (&manager, "/families"),
        (&plo, "/families"),
        (&plo, "/caseload"),
    ] {
        let (_, html) = who.get_text(page).await;
        assert!(
            html.contains(&tag_a) && html.contains(&tag_b),
            "{page}: {html}"
        );
    }
    // The review queue too.
    let res = plo
        .post_json(
            &format!("/api/v1/families/{b}/entries"),
            r#"{"what":"Seen with a man in a car.","approx":"today","how_known":"seen_myself"}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let (_, html) = plo.get_text("/review").await;
    assert!(html.contains(&tag_b), "{html}");
}

/// The sign-in page offers joining with an invitation code, and Exit this page (a parent
/// may be on it).
async fn sign_in_page_offers_joining_and_exit(db: Db) {
    let app = spawn_app(db).await;
    let (status, page) = app.browser().get_text("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("href=\"/join\"") && page.contains("join with your code"));
    assert!(page.contains("govuk-exit-this-page") && page.contains("href=\"/exit\""));
    assert!(page.contains("rel=\"icon\" href=\"/favicon.ico\""));
    let res = app.browser().get("/favicon.ico").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/x-icon");
    // Assets: versioned addresses cached a year, gzip when asked, 304 when unchanged.
    let css = page
        .split("href=\"")
        .find(|s| s.starts_with("/assets/alongside.css?v="))
        .and_then(|s| s.split('"').next())
        .expect("a versioned stylesheet")
        .to_string();
    let res = app
        .browser()
        .client
        .get(app.browser().url(&css))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let res = app
        .browser()
        .client
        .get(app.browser().url("/assets/alongside.css"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
}

async fn health_answers(db: Db) {
    let app = spawn_app(db).await;
    let (status, body) = app.browser().get_text("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "ok\n");
}

async fn sign_in_and_out(db: Db) {
    let app = spawn_app(db).await;
    let b = app.browser();
    // Not signed in: sent to the sign-in page, remembering where to.
    let res = b.get("/caseload").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=%2Fcaseload");

    let res = b.sign_in("plo", "wrong password").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body = res.text().await.unwrap();
    assert!(body.contains("Enter a correct username and password"));
    assert!(body.contains("value=\"plo\""), "the username is kept");

    let res = b.sign_in("nobody", "wrong password").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let res = b.sign_in("", "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Enter your username") && body.contains("Enter your password"));

    let res = b.sign_in("plo", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let session_value = cookie.split(';').next().unwrap().to_string();
    assert_eq!(b.get("/caseload").await.status(), StatusCode::OK);
    // The session id is stored hashed, never as the cookie carries it.
    let raw = session_value.split_once('=').unwrap().1.to_string();
    assert!(
        app.store.session_load(&raw, 0).await.unwrap().is_none(),
        "not stored in plain"
    );
    let hashed = sha256_hex(&raw);
    assert!(
        app.store.session_load(&hashed, 0).await.unwrap().is_some(),
        "stored as its SHA-256"
    );

    // Signing out ends the session on the server: the old cookie no longer works.
    let res = b.post_form("/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.get("/caseload").await.status(), StatusCode::SEE_OTHER);
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = replay
        .get(b.url("/caseload"))
        .header("cookie", session_value)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "a signed-out session cannot be replayed"
    );

    assert!(
        app.store.session_load(&hashed, 0).await.unwrap().is_none(),
        "deleted on sign-out"
    );
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

async fn forms_without_a_valid_csrf_token_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let b = app.login("manager").await;
    let res = b
        .client
        .post(b.url("/referrals"))
        .form(&[("source", "school")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("This form has expired"));
    let res = b
        .client
        .post(b.url("/referrals"))
        .form(&[
            ("csrf_token", "0".repeat(64).as_str()),
            ("source", "school"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nothing was saved.
    let (_, page) = b.get_text("/referrals").await;
    assert!(page.contains("There are no open referrals"));
    // Signing in needs the token too.
    let anon = app.browser();
    let res = anon
        .client
        .post(anon.url("/login"))
        .form(&[("username", "manager"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn referral_triage_contact_and_chronology(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (referral_id, family_id) =
        referred_and_allocated(&app, &manager, "Rowan", "Testwell").await;

    let (status, page) = manager.get_text(&format!("/referrals/{referral_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Testwell family"));
    assert!(page.contains("Accept for support"));
    assert!(page.contains("Unknown cars"));

    // The PLO holds the family now.
    let plo = app.login("plo").await;
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(
        caseload.contains(&format!("/families/{family_id}")),
        "family on the PLO's caseload"
    );
    let (status, family) = plo.get_text(&format!("/families/{family_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(family.contains("Rowan Testwell"));
    assert!(family.contains("Birth parent"));

    // A held contact stops the referral's clock and joins the chronology.
    let res = plo
        .post_form(
            &format!("/families/{family_id}/contacts/new"),
            &[
                ("kind", "home_visit"),
                ("status", "held"),
                ("date-day", &chrono::Utc::now().format("%d").to_string()),
                ("date-month", &chrono::Utc::now().format("%m").to_string()),
                ("date-year", &chrono::Utc::now().format("%Y").to_string()),
                ("time", "00:05"),
                ("duration", "60"),
                ("participants", "Both parents"),
                (
                    "note",
                    "Talked through the week; the parent kept a careful diary.",
                ),
                ("visibility", "confidential"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let (_, chronology) = plo
        .get_text(&format!("/families/{family_id}/chronology"))
        .await;
    assert!(chronology.contains("Home visit, 60 minutes, with Both parents"));
    assert!(chronology.contains("the parent kept a careful diary"));
    assert!(chronology.contains("Referral received from school"));
    assert!(chronology.contains("Threshold high: accept for support"));
    let (_, referral) = manager.get_text(&format!("/referrals/{referral_id}")).await;
    assert!(!referral.contains("First contact with the parent or carer</dt><dd class=\"govuk-summary-list__value\">Not yet"), "first contact recorded");

    // Another PLO of the same hub does not hold this family.
    let plo2 = app.login("plo2").await;
    assert_eq!(
        plo2.get(&format!("/families/{family_id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn another_hubs_family_answers_like_a_missing_one(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (referral_id, family_id) = referred_and_allocated(&app, &manager, "Ash", "Northcott").await;
    let south = app.login("south.manager").await;
    let (s1, missing) = south.get_text("/families/999999").await;
    for path in [
        format!("/families/{family_id}"),
        format!("/families/{family_id}/chronology"),
        format!("/families/{family_id}/chronology.csv"),
        format!("/families/{family_id}/members/new"),
        format!("/families/{family_id}/contacts/new"),
        format!("/families/{family_id}/strengths"),
        format!("/referrals/{referral_id}"),
        format!("/referrals/{referral_id}/triage"),
    ] {
        let (status, body) = south.get_text(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(s1, StatusCode::NOT_FOUND);
        assert_eq!(body, missing, "{path} looks exactly like a missing record");
    }
    let res = south.get(&format!("/api/v1/families/{family_id}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = south.get("/api/v1/families/999999").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    for path in [
        format!("/api/v1/families/{family_id}/contacts"),
        format!("/api/v1/families/{family_id}/chronology"),
        format!("/api/v1/referrals/{referral_id}"),
    ] {
        assert_eq!(
            south.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = south
        .post_json(
            &format!("/api/v1/families/{family_id}/contacts"),
            r#"{"kind":"phone_call","status":"held","date":"2026-01-05","visibility":"shareable"}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Writes to another hub's family change nothing.
    let res = south
        .post_form(
            &format!("/families/{family_id}/strengths"),
            &[("strengths", "overwritten")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, page) = manager.get_text(&format!("/families/{family_id}")).await;
    assert!(!page.contains("overwritten"));
    // The south hub's lists do not show it.
    let (_, list) = south.get_text("/families").await;
    assert!(!list.contains("Northcott"));
}

async fn re_referrals_are_detected(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (first, family_id) = referred_and_allocated(&app, &manager, "Kit", "Rookwood").await;
    // The same child, written differently, referred again.
    let mut form = referral_form("kit ", "ROOKWOOD", ("1", "11", "2026"));
    form.retain(|(k, _)| !k.starts_with("carer"));
    let res = manager.post_pairs("/referrals", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager.get_text(&location(&res)).await;
    assert!(page.contains("This is a re-referral"), "re-referral shown");
    assert!(page.contains(&format!("/families/{family_id}")));
    assert!(
        page.contains(&format!("/referrals/{first}")),
        "earlier referral listed"
    );
    let (_, list) = manager.get_text("/referrals").await;
    assert!(list.contains("Re-referral"));
}

async fn referrals_past_the_first_contact_target_are_flagged(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let old = chrono::Utc::now().date_naive() - chrono::Duration::days(21);
    let (d, m, y) = (
        old.format("%d").to_string(),
        old.format("%m").to_string(),
        old.format("%Y").to_string(),
    );
    let res = manager
        .post_pairs(
            "/referrals",
            &referral_form("Wren", "Oakhurst", (&d, &m, &y)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager.get_text("/referrals").await;
    assert!(
        page.contains("(past target)"),
        "three weeks is past five working days"
    );
    assert!(page.contains("1 referral is past the target"));
    // A longer target clears the flag; a nonsense one is explained.
    let res = manager
        .post_form("/referrals/settings", &[("target", "40")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager.get_text("/referrals").await;
    assert!(!page.contains("(past target)"));
    let res = manager
        .post_form("/referrals/settings", &[("target", "many")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Working days to first contact must be a whole number from 1 to 60"));
}

async fn bad_referral_input_is_explained_and_kept(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let res = manager.post_form("/referrals", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for msg in [
        "There is a problem",
        "Select who made the referral",
        "Enter date received",
        "Enter child&#39;s first name",
        "Enter the reasons for the referral",
    ] {
        assert!(page.contains(msg), "{msg} in error page");
    }

    let mut form = referral_form("Juniper", "Glenholt", ("31", "2", "2026"));
    form.push(("reasons".into(), "x".repeat(10_001)));
    form.retain(|(k, v)| !(k == "reasons" && v.len() < 10_001));
    let res = manager.post_pairs("/referrals", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Date received must be a real date"));
    assert!(page.contains(
        "The reasons for the referral must be 10000 characters or fewer (you entered 10001)"
    ));
    assert!(page.contains("value=\"Juniper\""), "typed values are kept");
    assert!(
        page.contains("value=\"going_missing\" checked"),
        "ticked boxes stay ticked"
    );

    let next_year = (chrono::Utc::now().date_naive() + chrono::Duration::days(400))
        .format("%Y")
        .to_string();
    let res = manager
        .post_pairs(
            "/referrals",
            &referral_form("Juniper", "Glenholt", ("1", "1", &next_year)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Date received must be today or in the past"));

    let mut form = referral_form("Juniper", "Glenholt", ("1", "1", "2026"));
    form.push(("indicators".into(), "lifestyle_choice".into()));
    form.push(("source".into(), "ignored-second-value".into()));
    let res = manager.post_pairs("/referrals", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Select indicators from the list"));

    // Nothing half-saved along the way.
    let (_, page) = manager.get_text("/referrals").await;
    assert!(page.contains("There are no open referrals"));

    // Unknown and malformed ids are simply not found.
    for path in [
        "/referrals/999999",
        "/referrals/abc",
        "/referrals/-1",
        "/referrals/99999999999999999999999",
        "/families/0/chronology",
    ] {
        assert_eq!(
            manager.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = manager
        .post_form(
            "/referrals/999999/triage",
            &[
                ("threshold", "low"),
                ("reasoning", "r"),
                ("decision", "nfa"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

async fn bad_contact_and_member_input(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(&app, &manager, "Milo", "Pendry").await;
    let plo = app.login("plo").await;
    let next_year = (chrono::Utc::now().date_naive() + chrono::Duration::days(400))
        .format("%Y")
        .to_string();
    let res = plo
        .post_form(
            &format!("/families/{family_id}/contacts/new"),
            &[
                ("kind", "home_visit"),
                ("status", "held"),
                ("date-day", "1"),
                ("date-month", "1"),
                ("date-year", &next_year),
                ("time", "25:99"),
                ("duration", "0"),
                ("note", "A note kept as typed"),
                ("visibility", "everyone"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Time of the contact must be a time, like 21:30 or 9.30pm"));
    assert!(page.contains("Duration in minutes must be a whole number from 1 to 1440"));
    assert!(page.contains("Select who may read the note from the list"));
    assert!(page.contains("A note kept as typed"));
    // A planned contact in the future is fine, its time written as people write times
    // (issue 11: "9.30pm" was refused).
    let res = plo
        .post_form(
            &format!("/families/{family_id}/contacts/new"),
            &[
                ("kind", "phone_call"),
                ("status", "planned"),
                ("date-day", "1"),
                ("date-month", "1"),
                ("date-year", &next_year),
                ("time", "9.30pm"),
                ("visibility", "shareable"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo
        .get_text(&format!("/families/{family_id}/chronology"))
        .await;
    assert!(page.contains("at 9:30pm"), "{page}");

    let res = plo
        .post_form(
            &format!("/families/{family_id}/members/new"),
            &[
                ("given", ""),
                ("family", "Pendry"),
                ("role", "sibling"),
                ("carer-kind", "foster"),
                ("dob-day", "1"),
                ("dob-month", "13"),
                ("dob-year", "2015"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enter first name"));
    assert!(page.contains("Only choose a kind of carer for a parent or carer"));
    assert!(page.contains("Date of birth must be a real date"));
    let res = plo
        .post_form(
            &format!("/families/{family_id}/members/new"),
            &[
                ("given", "Cleo"),
                ("family", "Pendry"),
                ("role", "sibling"),
                ("dob-day", "1"),
                ("dob-month", "2"),
                ("dob-year", "2015"),
                ("lives", "home"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text(&format!("/families/{family_id}")).await;
    assert!(page.contains("Cleo Pendry"));
}

async fn reads_and_writes_are_audited(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(&app, &manager, "Tate", "Vexley").await;
    let plo = app.login("plo").await;
    assert_eq!(
        plo.get(&format!("/families/{family_id}")).await.status(),
        StatusCode::OK
    );
    let (status, log) = manager
        .get_text(&format!("/audit?user=plo&family={family_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        log.contains("<td class=\"govuk-table__cell\" dir=\"auto\">read</td>"),
        "the PLO's read is logged"
    );
    assert!(log.contains("Parent Liaison Officer"));
    let (_, log) = manager.get_text("/audit?action=triage").await;
    assert!(log.contains("referral"));
    let (status, page) = manager
        .get_text("/audit?family=abc&from-day=40&from-month=1&from-year=2026")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Family number must be a whole number"));
    assert!(page.contains("From date must be a real date"));
    // The south hub's audit log shows nothing of the north.
    let south = app.login("south.manager").await;
    let (_, log) = south.get_text(&format!("/audit?family={family_id}")).await;
    assert!(log.contains("0 events"));
}

async fn api_tokens_and_json_errors(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(&app, &manager, "Gus", "Foxley").await;
    let plo = app.login("plo").await;
    let res = plo
        .post_form(
            "/account/tokens",
            &[("name", "Test script"), ("scope", "read_write")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    let at = page.find("alg_").expect("token shown once");
    let token = page[at..at + 68].to_string();

    let api = reqwest::Client::new();
    let get = |path: String| {
        api.get(format!("{}{}", app.base, path))
            .bearer_auth(&token)
            .send()
    };
    let res = get(format!("/api/v1/families/{family_id}")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["family"]["name"], "Foxley family");
    // Members and strengths through the API, with the form's rules.
    let res = api
        .post(format!("{}/api/v1/families/{family_id}/members", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"given_name":"Bryn","family_name":"Foxley","member_role":"sibling","carer_kind":"foster","date_of_birth":"2014-13-01"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"carer_kind") && fields.contains(&"date_of_birth"),
        "{json}"
    );
    let res = api
        .post(format!("{}/api/v1/families/{family_id}/members", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"given_name":"Bryn","family_name":"Foxley","member_role":"sibling","date_of_birth":"2014-02-01","lives":"home"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    // A change names the version it replaces (If-Match), so none is overwritten unseen.
    let read = get(format!("/api/v1/families/{family_id}")).await.unwrap();
    let etag = read.headers()["etag"].to_str().unwrap().to_string();
    let put = |tag: Option<String>| {
        let mut r = api
            .put(format!(
                "{}/api/v1/families/{family_id}/strengths",
                app.base
            ))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(
                r#"{"strengths":"Close to their grandmother","own_words":"We want to be heard"}"#,
            );
        if let Some(t) = tag {
            r = r.header("if-match", t);
        }
        r.send()
    };
    let res = put(None).await.unwrap();
    assert_eq!(res.status(), StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let res = put(Some(etag.clone())).await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // The same old version again: someone (here, the first change) changed it since.
    let res = put(Some(etag)).await.unwrap();
    assert_eq!(res.status(), StatusCode::PRECONDITION_FAILED);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], 412);
    assert_eq!(body["type"], "/api/v1/problems#precondition_failed");
    // A tag that is not text names no version: changed, not "missing".
    let res = put(Some("F-00122 \u{b7} 0".into())).await.unwrap();
    assert_eq!(res.status(), StatusCode::PRECONDITION_FAILED);
    // "If-Match: *" replaces whatever is there (RFC 9110), as the caller said.
    let res = put(Some("*".into())).await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // Dates and times in the one form the document gives; `1.0` is the number 1; an
    // empty date is not a date.
    let res = api
        .post(format!("{}/api/v1/families/{family_id}/members", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"given_name":"Cai","family_name":"Foxley","member_role":"sibling","date_of_birth":""}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["fields"][0]["field"], "date_of_birth", "{json}");
    let res = api
        .post(format!("{}/api/v1/families/{family_id}/contacts", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"kind":"phone_call","status":"held","date":"2026-01-05","time":"9.30pm","visibility":"shareable"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = res.json().await.unwrap();
    assert!(
        json["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("HH:MM"),
        "{json}"
    );
    let res = api
        .post(format!("{}/api/v1/families/{family_id}/contacts", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"kind":"phone_call","status":"held","date":"2026-01-05","time":"21:30","duration_minutes":15.0,"visibility":"shareable"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    // The document says so: every free string refuses control characters, dates and
    // times have their pattern.
    let doc: serde_json::Value = get("/api/v1/openapi.json".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contact = &doc["components"]["schemas"]["ContactRequest"]["properties"];
    assert!(
        contact["note"]["pattern"]
            .as_str()
            .unwrap()
            .contains("u0000"),
        "{contact}"
    );
    assert!(
        contact["date"]["pattern"]
            .as_str()
            .unwrap()
            .starts_with("^(19"),
        "{contact}"
    );
    assert_eq!(
        contact["time"]["pattern"],
        "^([01][0-9]|2[0-3]):[0-5][0-9]$"
    );
    // An unknown API address answers as the API does.
    let res = get("/api/v1/no-such-thing".to_string()).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let json: serde_json::Value = get(format!("/api/v1/families/{family_id}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["family"]["own_words"], "We want to be heard");
    assert!(json["members"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["given_name"] == "Bryn"));
    let res = get("/api/v1/families".into()).await.unwrap();
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["total"], 1);
    let res = get("/api/v1/families?per_page=0".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Writes: malformed JSON, wrong fields, then a good one.
    let post = |path: String, body: &'static str| {
        api.post(format!("{}{}", app.base, path))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let res = post(
        format!("/api/v1/families/{family_id}/contacts"),
        "{not json",
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["error"], "bad_json");
    let res = post(
        format!("/api/v1/families/{family_id}/contacts"),
        r#"{"kind":"visit","status":"held","date":"2026-02-30","visibility":"shareable"}"#,
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"kind") && fields.contains(&"date"),
        "{json}"
    );
    let res = post(format!("/api/v1/families/{family_id}/contacts"), r#"{"kind":"phone_call","status":"held","date":"2026-01-05","time":"10:00","visibility":"shareable","note":"Called to check in"}"#).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = get(format!(
        "/api/v1/families/{family_id}/chronology?kind=contact"
    ))
    .await
    .unwrap();
    let json: serde_json::Value = res.json().await.unwrap();
    // This one, and the one recorded above with its duration written `15.0`.
    assert_eq!(json["total"], 2);
    assert_eq!(json["items"][1]["detail"], "Called to check in");

    // A referral through the API, with field names in JSON terms.
    let res = post("/api/v1/referrals".into(), r#"{"source":"health","received_on":"2026-11-01","referrer_name":"A nurse","reasons":"Concern","consent_to_share":true,"children":[{"given_name":"","family_name":"Larchmont"}]}"#).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        json["fields"][0]["field"], "children[0].given_name",
        "{json}"
    );

    // A session write without the CSRF header is refused; with it, accepted.
    let res = plo
        .client
        .post(plo.url(&format!("/api/v1/families/{family_id}/contacts")))
        .header("content-type", "application/json")
        .body(
            r#"{"kind":"phone_call","status":"held","date":"2026-01-05","visibility":"shareable"}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = plo
        .post_json(
            &format!("/api/v1/families/{family_id}/contacts"),
            r#"{"kind":"phone_call","status":"held","date":"2026-01-05","visibility":"shareable"}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // Without credentials, and with a revoked token.
    let res = api
        .get(format!("{}/api/v1/families", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (_, account) = plo.get_text("/account").await;
    let at = account.find("/account/tokens/").unwrap() + "/account/tokens/".len();
    let id: String = account[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let res = plo
        .post_form(&format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = get("/api/v1/me".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The OpenAPI document is served and names the fixed paths.
    let res = api
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    let doc: serde_json::Value = res.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/families/{id}"].is_object());
    assert!(doc["paths"]["/api/v1/referrals"]["post"].is_object());
    // Every operation has a tag and a summary, and documents the statuses it can answer.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{method} {path}");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{what}: a tag"
            );
            assert!(
                op["summary"].as_str().is_some_and(|t| !t.is_empty()),
                "{what}: a summary"
            );
            if path != "/api/v1/openapi.json" {
                for status in ["401", "403"] {
                    assert!(op["responses"][status].is_object(), "{what}: {status}");
                    assert!(
                        op["responses"][status]["content"]["application/problem+json"].is_object(),
                        "{what}"
                    );
                }
            }
            if path.contains('{') {
                assert!(op["responses"]["404"].is_object(), "{what}: 404");
            }
            if method == "post" || method == "put" {
                assert!(op["responses"]["422"].is_object(), "{what}: 422");
            }
        }
    }
    assert!(
        doc["components"]["securitySchemes"]["session"].is_object(),
        "cookie sign-in described"
    );
}

async fn chronology_filter_and_csv_export(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(&app, &manager, "Lyra", "Thornbury").await;
    let res = manager
        .post_form(
            &format!("/families/{family_id}/contacts/new"),
            &[
                ("kind", "message"),
                ("status", "held"),
                ("date-day", "2"),
                ("date-month", "1"),
                ("date-year", "2026"),
                ("note", "=HYPERLINK(\"http://example.invalid\")"),
                ("visibility", "shareable"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager
        .get_text(&format!("/families/{family_id}/chronology?kind=contact"))
        .await;
    assert!(page.contains("1 event,"), "only the contact");
    let (_, page) = manager.get_text(&format!("/families/{family_id}/chronology?from-day=1&from-month=1&from-year=2026&to-day=3&to-month=1&to-year=2026")).await;
    assert!(page.contains("1 event,"));
    let (status, page) = manager.get_text(&format!("/families/{family_id}/chronology?from-day=5&from-month=1&from-year=2026&to-day=3&to-month=1&to-year=2026")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("To date must be the same as or after the from date"));
    let res = manager
        .get(&format!("/families/{family_id}/chronology.csv"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    // For Excel: a byte-order mark, then CRLF line ends.
    assert!(csv.starts_with("\u{feff}date,time,type,summary,detail,visibility,recorded_by\r\n"));
    assert!(csv.contains("2026-01-02,09:00,Contact,Text or message"));
    assert!(csv.contains("'=HYPERLINK"), "formulas are neutralised");
    assert_eq!(csv.lines().count(), 4, "header, referral, triage, contact");
}

async fn caseload_and_capacity(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(&app, &manager, "Otis", "Stillwater").await;
    let plo = app.login("plo").await;
    // A planned contact whose time has passed is overdue until a contact is held.
    let res = plo
        .post_form(
            &format!("/families/{family_id}/contacts/new"),
            &[
                ("kind", "home_visit"),
                ("status", "planned"),
                ("date-day", "1"),
                ("date-month", "1"),
                ("date-year", "2026"),
                ("visibility", "shareable"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text("/caseload").await;
    assert!(page.contains("1 overdue"));
    assert!(page.contains("1 family has a planned contact that is overdue"));
    let (_, page) = manager.get_text("/capacity").await;
    assert!(page.contains("Test plo"));
    let row = &page[page.find("Test plo").unwrap()..];
    assert!(
        row.contains(
            "<td class=\"govuk-table__cell govuk-table__cell--numeric\" data-label=\"High\">1</td>"
        ),
        "one high-threshold family"
    );
    // Weighed by threshold: one high family counts 3 of the limit 20.
    assert!(
        row.contains("data-label=\"Weighted, of 20\"><strong>3</strong>"),
        "{row}"
    );
    // The hub sets the limit and weights; a limit of 2 puts the worker over it.
    let res = manager
        .post_form(
            "/capacity/settings",
            &[
                ("limit", "x"),
                ("weight-high", "3"),
                ("weight-medium", "2"),
                ("weight-low", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().await.unwrap().contains("value=\"x\""),
        "kept as typed"
    );
    let res = manager
        .post_form(
            "/capacity/settings",
            &[
                ("limit", "2"),
                ("weight-high", "3"),
                ("weight-medium", "2"),
                ("weight-low", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager.get_text("/capacity").await;
    assert!(page.contains("Over the limit"), "{page}");
    // And a way into the worker's own list.
    let plo_id = user_id(&app, "plo").await;
    let (status, page) = manager.get_text(&format!("/capacity/{plo_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Families held by Test plo") && page.contains("1 overdue"),
        "{page}"
    );
    let csw_of_other_hub = user_id(&app, "south.plo").await;
    assert_eq!(
        manager
            .get(&format!("/capacity/{csw_of_other_hub}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The triage form shows each worker with their caseload.
    let (referral, _) = referred_and_allocated(&app, &manager, "Opal", "Quietwater").await;
    let (_, page) = manager
        .get_text(&format!("/referrals/{referral}/triage"))
        .await;
    assert!(
        page.contains("Test plo (2 families, 2 high; weighted 6 of 2, over the limit)"),
        "{page}"
    );
    assert!(page.contains("Indicators seen"));
}

/// Every route of the route table, for every role: who may, who may not, that "may not"
/// never leaks, what a signed-out visitor gets, and that another hub's record answers
/// exactly like a missing one.
///
/// The routes come from `alongside_web::route_table()`, the table the router is built
/// from: a route without a row below fails this test by name. What each role should get
/// is written here by hand (the rows, and `ROLE_CAPABILITIES`), never read from the code
/// under test.
async fn role_route_matrix(db: Db) {
    use std::collections::BTreeSet;

    // ---- the rows cover the route table, no more and no less ----
    let table = alongside_web::route_table();
    let rows = route_rows();
    let mut problems = Vec::new();
    for t in &table {
        let n = rows
            .iter()
            .filter(|r| r.method == t.method.as_str() && r.path == t.path)
            .count();
        if n == 0 {
            problems.push(format!(
                "{} {} is in the route table but has no row in route_rows() (tests/app.rs): \
                 add one naming the record it is tried on and what each role gets",
                t.method, t.path
            ));
        } else if n > 1 {
            problems.push(format!("{} {} has {n} rows; keep one", t.method, t.path));
        }
    }
    for r in &rows {
        if !table
            .iter()
            .any(|t| r.method == t.method.as_str() && r.path == t.path)
        {
            problems.push(format!(
                "the row for {} {} names no route of the route table: remove it or correct it",
                r.method, r.path
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "role × route rows and the route table disagree:\n{}",
        problems.join("\n")
    );

    // ---- what the table declares is what the rows expect ----
    let mut failures = Vec::new();
    for t in &table {
        let row = rows
            .iter()
            .find(|r| r.method == t.method.as_str() && r.path == t.path)
            .unwrap();
        let declared = match t.access {
            alongside_web::Access::Public => Need::Public,
            alongside_web::Access::SignedIn => Need::SignedIn,
            _ => Need::Any(t.access.capabilities().to_vec()),
        };
        if declared.normalised() != row.need.normalised() {
            failures.push(format!(
                "{} {}: the route table declares {:?}, the test expects {:?}",
                t.method, t.path, declared, row.need
            ));
        }
    }
    // The hand-written table of capabilities is the one the service means.
    for role in <Role as alongside_domain::Code>::ALL {
        if !ROLE_CAPABILITIES.iter().any(|(r, _)| r == role) {
            failures.push(format!("{role:?} has no line in ROLE_CAPABILITIES"));
        }
    }
    for (role, caps) in ROLE_CAPABILITIES {
        for cap in &all_capabilities() {
            if role.can(*cap) != caps.contains(cap) {
                failures.push(format!(
                    "{role:?} {} {cap:?} in the code, but the test's table says {}",
                    if role.can(*cap) { "may" } else { "may not" },
                    if caps.contains(cap) { "may" } else { "may not" },
                ));
            }
        }
    }

    let app = spawn_app(db).await;
    let rec = matrix_records(&app).await;

    // ---- the API's description has exactly the table's API calls ----
    let doc: serde_json::Value = app
        .browser()
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let described: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let api_calls: BTreeSet<(String, String)> = table
        .iter()
        .filter(|t| t.path.starts_with("/api/v1/") && t.path != "/api/v1/openapi.json")
        .map(|t| (t.method.to_string(), t.path.clone()))
        .collect();
    if described != api_calls {
        failures.push(format!(
            "the OpenAPI document describes {:?} beyond the table and misses {:?}",
            described.difference(&api_calls).collect::<Vec<_>>(),
            api_calls.difference(&described).collect::<Vec<_>>()
        ));
    }

    // ---- every role of hub A ----
    for (username, role) in HUB_A_USERS.iter().filter(|(n, _)| *n != "plo2") {
        let b = app.login(username).await;
        let csrf = b.csrf().await;
        for row in &rows {
            let expected = row.expected(*role);
            let url = row.url(&rec, false);
            let got = if row.ends_session {
                let once = app.login(username).await;
                let token = once.csrf().await;
                row.send(&once, Some(&token), &url, &rec, false).await
            } else {
                row.send(&b, Some(&csrf), &url, &rec, false).await
            };
            let got = got.status().as_u16();
            if got != expected {
                failures.push(format!(
                    "{role:?} {} {url} -> {got}, expected {expected}",
                    row.method
                ));
            }
        }
    }

    // ---- signed out: pages send you to sign in, the API says 401, forms need a token ----
    let anon = app.browser();
    for row in &rows {
        let url = row.url(&rec, false);
        let res = row.send(&anon, None, &url, &rec, false).await;
        let got = res.status().as_u16();
        let expected = row.signed_out_answer();
        if got != expected {
            failures.push(format!(
                "signed out {} {url} -> {got}, expected {expected}",
                row.method
            ));
        } else if row.signed_out.is_none() && got == 303 && !location(&res).starts_with("/login") {
            failures.push(format!(
                "signed out {} {url} -> 303 to {}, expected the sign-in page",
                row.method,
                location(&res)
            ));
        }
    }

    // ---- another hub's record answers exactly like a missing one ----
    for username in ["south.manager", "south.plo", "south.police"] {
        let b = app.login(username).await;
        let csrf = b.csrf().await;
        for row in rows.iter().filter(|r| r.on.is_record()) {
            let theirs = row.url(&rec, false);
            let missing = row.url(&rec, true);
            let a = row.send(&b, Some(&csrf), &theirs, &rec, false).await;
            let m = row.send(&b, Some(&csrf), &missing, &rec, true).await;
            let (sa, sm) = (a.status().as_u16(), m.status().as_u16());
            let (la, lm) = (location(&a), location(&m));
            let (ba, bm) = (a.text().await.unwrap(), m.text().await.unwrap());
            if sa != sm || la != lm {
                failures.push(format!(
                    "{username} {} {theirs} (hub A's) -> {sa} {la}, but a missing record -> {sm} {lm}",
                    row.method
                ));
            } else if row.method == "GET" && ba != bm {
                failures.push(format!(
                    "{username} GET {theirs} (hub A's) answers {sa} with another body than a missing record"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "role × route matrix:\n{}",
        failures.join("\n")
    );
}

use alongside_domain::roles::{Capability, Capability::*, Role};

/// What each role may do, written out by hand from the service design (not read from
/// `Role::can`, which the test checks against it).
const ROLE_CAPABILITIES: &[(Role, &[Capability])] = &[
    (
        Role::Administrator,
        &[ViewAuditLog, ManageUsers, UseApiTokens],
    ),
    (
        Role::Manager,
        &[
            SeeAllHubFamilies,
            CreateReferral,
            TriageReferrals,
            ViewCapacity,
            ViewAuditLog,
            ReviewInformation,
            SubmitIntelligence,
            ReceiveAlerts,
            ViewNetwork,
            ApproveAccounts,
            UseApiTokens,
            CloseCases,
        ],
    ),
    (
        Role::Plo,
        &[
            SeeAllocatedFamilies,
            CreateReferral,
            HoldCaseload,
            InviteParents,
            ReviewInformation,
            SubmitIntelligence,
            UseApiTokens,
        ],
    ),
    (
        Role::Csw,
        &[
            SeeAllocatedFamilies,
            CreateReferral,
            HoldCaseload,
            UseApiTokens,
        ],
    ),
    (
        Role::Police,
        &[
            ReceiveIntelligence,
            HandleHubEvidence,
            ReceiveAlerts,
            ViewNetwork,
            UseApiTokens,
            ReadSharedProfiles,
        ],
    ),
    (Role::SocialCare, &[UseApiTokens]),
    (Role::Commissioner, &[UseApiTokens]),
    (Role::Parent, &[UseParentPortal]),
];

/// Every capability. The match names each with no wildcard, so that a new capability
/// does not compile until it is listed here and given to its roles above.
fn all_capabilities() -> Vec<Capability> {
    let all = vec![
        SeeAllHubFamilies,
        SeeAllocatedFamilies,
        CreateReferral,
        TriageReferrals,
        HoldCaseload,
        ViewCapacity,
        ViewAuditLog,
        ManageUsers,
        InviteParents,
        ReviewInformation,
        SubmitIntelligence,
        ReceiveIntelligence,
        HandleHubEvidence,
        UseParentPortal,
        ReceiveAlerts,
        ViewNetwork,
        ApproveAccounts,
        UseApiTokens,
        ReadSharedProfiles,
        CloseCases,
    ];
    for c in &all {
        match c {
            SeeAllHubFamilies | SeeAllocatedFamilies | CreateReferral | TriageReferrals
            | HoldCaseload | ViewCapacity | ViewAuditLog | ManageUsers | InviteParents
            | ReviewInformation | SubmitIntelligence | ReceiveIntelligence | HandleHubEvidence
            | UseParentPortal | ReceiveAlerts | ViewNetwork | ApproveAccounts | UseApiTokens
            | ReadSharedProfiles | CloseCases => {}
        }
    }
    all
}

/// Who the test expects may call a route.
#[derive(Debug, Clone, PartialEq)]
enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// A role with at least one of these.
    Any(Vec<Capability>),
}

impl Need {
    fn normalised(&self) -> (u8, Vec<String>) {
        match self {
            Need::Public => (0, vec![]),
            Need::SignedIn => (1, vec![]),
            Need::Any(caps) => {
                let mut v: Vec<String> = caps.iter().map(|c| format!("{c:?}")).collect();
                v.sort();
                v.dedup();
                (2, v)
            }
        }
    }

    /// From the hand-written table, never from `Role::can`.
    fn allows(&self, role: Role) -> bool {
        match self {
            Need::Public | Need::SignedIn => true,
            Need::Any(caps) => {
                let has = ROLE_CAPABILITIES
                    .iter()
                    .find(|(r, _)| *r == role)
                    .expect("every role in the table")
                    .1;
                caps.iter().any(|c| has.contains(c))
            }
        }
    }
}

fn can(c: Capability) -> Need {
    Need::Any(vec![c])
}

/// The support team's family records.
fn families() -> Need {
    Need::Any(vec![SeeAllHubFamilies, SeeAllocatedFamilies])
}

/// Evidence: the family's support team, or the hub's police partners.
fn evidence() -> Need {
    Need::Any(vec![
        SeeAllHubFamilies,
        SeeAllocatedFamilies,
        HandleHubEvidence,
    ])
}

/// Intelligence submissions: who makes them and who receives them.
fn intelligence() -> Need {
    Need::Any(vec![SubmitIntelligence, ReceiveIntelligence])
}

/// The records the rows are tried on, all in hub A.
struct Records {
    hub: HubId,
    family: FamilyId,
    referral: ReferralId,
    entry: EntryId,
    unchecked_entry: EntryId,
    attachment: AttachmentId,
    submission: SubmissionId,
    to_acknowledge: SubmissionId,
    to_acknowledge_by_api: SubmissionId,
    evidence: EvidenceId,
    /// A threat the parent logged, waiting for the PLO to read it.
    incident: IncidentId,
    /// A member of the family, and a contact with it that is planned.
    member: MemberId,
    /// A PLO of hub A, whose caseload a manager may open.
    worker: UserId,
    planned_contact: ContactId,
    parent_note: EntryId,
    token: TokenId,
    invitation: InvitationId,
    merge: MergeId,
    awaiting_approval: UserId,
    /// A commissioner of hub A that administrators may disable, enable, reset and change.
    colleague: UserId,
    /// The family's child's safety plan (one version).
    plan: SafetyPlanId,
    /// A missing episode of the family's child.
    episode: EpisodeId,
}

/// A number no record has.
const MISSING: i64 = 999_999_999;
/// A session hash no session has.
const NO_SESSION: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The record (or records, in path order) a row is tried on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum On {
    Nothing,
    /// A file name in the path.
    File(&'static str),
    /// Hub A, as the form's `hub_id`.
    Hub,
    /// The family indicated, allocated to the PLO and CSW, with the parent linked to it.
    Family,
    Referral,
    /// Recorded by the PLO and submitted to the police, with a photo.
    Entry,
    /// Recorded by the PLO, not yet checked or submitted.
    UncheckedEntry,
    Attachment,
    Submission,
    /// The submission's first photo, by its number there.
    SubmissionPhoto,
    /// A submission that the page acknowledges (once).
    ToAcknowledge,
    /// Another, that the API acknowledges (once).
    ToAcknowledgeByApi,
    Evidence,
    Incident,
    /// The family and one of its members.
    Member,
    /// A worker of the hub.
    Worker,
    /// The family and a contact with it that is planned.
    PlannedContact,
    /// The parent's own note.
    ParentNote,
    /// The PLO's personal API token.
    Token,
    /// The family and an invitation to it.
    Invitation,
    /// An account made in the browser, waiting for a manager's approval.
    AwaitingApproval,
    /// Two names of persons of concern judged one by the manager.
    Merge,
    /// An account of hub A an administrator looks after.
    Colleague,
    /// The family's safety plan.
    Plan,
    /// The plan and its first version.
    PlanVersion,
    /// The family's child (who has a missing-from-home profile with a photo).
    Child,
    /// A missing episode of the child.
    Episode,
}

impl On {
    fn is_record(&self) -> bool {
        !matches!(self, On::Nothing | On::File(_))
    }

    fn values(&self, rec: &Records, missing: bool) -> Vec<String> {
        fn shown(v: impl Into<i64>, missing: bool) -> String {
            if missing { MISSING } else { v.into() }.to_string()
        }
        match self {
            On::Nothing => vec![],
            On::File(f) => vec![f.to_string()],
            On::Hub => vec![shown(rec.hub, missing)],
            On::Family => vec![shown(rec.family, missing)],
            On::Referral => vec![shown(rec.referral, missing)],
            On::Entry => vec![shown(rec.entry, missing)],
            On::UncheckedEntry => vec![shown(rec.unchecked_entry, missing)],
            On::Attachment => vec![shown(rec.attachment, missing)],
            On::Submission => vec![shown(rec.submission, missing)],
            On::SubmissionPhoto => vec![shown(rec.submission, missing), "1".to_string()],
            On::ToAcknowledge => vec![shown(rec.to_acknowledge, missing)],
            On::ToAcknowledgeByApi => vec![shown(rec.to_acknowledge_by_api, missing)],
            On::Evidence => vec![shown(rec.evidence, missing)],
            On::Incident => vec![shown(rec.incident, missing)],
            On::Member => vec![shown(rec.family, missing), shown(rec.member, missing)],
            On::Worker => vec![shown(rec.worker, missing)],
            On::PlannedContact => vec![
                shown(rec.family, missing),
                shown(rec.planned_contact, missing),
            ],
            On::ParentNote => vec![shown(rec.parent_note, missing)],
            On::Token => vec![shown(rec.token, missing)],
            On::Invitation => vec![shown(rec.family, missing), shown(rec.invitation, missing)],
            On::Merge => vec![shown(rec.merge, missing)],
            On::AwaitingApproval => vec![shown(rec.awaiting_approval, missing)],
            On::Colleague => vec![shown(rec.colleague, missing)],
            On::Plan => vec![shown(rec.plan, missing)],
            On::PlanVersion => vec![shown(rec.plan, missing), "1".to_string()],
            On::Child => vec![shown(rec.member, missing)],
            On::Episode => vec![shown(rec.episode, missing)],
        }
    }
}

/// What a row sends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Body {
    /// GET: nothing. A page's POST: a form with only the CSRF token. An API write: `{}`.
    Usual,
    /// A form with files, as the browser sends it (only the CSRF token).
    Multipart,
    /// A form with this field set to the row's record.
    RecordIn(&'static str),
}

/// One route, the record it is tried on and the answer each role gets.
struct Row {
    method: &'static str,
    /// The path pattern, as the route table holds it.
    path: &'static str,
    need: Need,
    on: On,
    /// The answer to a role that may.
    ok: u16,
    /// The answer to a signed-in role that may not (0 where the route lets every
    /// signed-in role through).
    refused: u16,
    /// The record narrows who may, among those the route lets through; the rest get the
    /// answer given.
    only: Option<(&'static [Role], u16)>,
    /// Answers that differ role by role (the start page).
    per_role: Option<&'static [(Role, u16)]>,
    /// When not the usual (the sign-in page; 401 from the API; a form without its token
    /// refused, 403).
    signed_out: Option<u16>,
    body: Body,
    /// Signs the person out: tried on a session of its own.
    ends_session: bool,
}

fn row(method: &'static str, path: &'static str, need: Need, on: On, ok: u16, refused: u16) -> Row {
    Row {
        method,
        path,
        need,
        on,
        ok,
        refused,
        only: None,
        per_role: None,
        signed_out: None,
        body: Body::Usual,
        ends_session: false,
    }
}

impl Row {
    fn only(mut self, roles: &'static [Role], otherwise: u16) -> Self {
        self.only = Some((roles, otherwise));
        self
    }
    fn per_role(mut self, answers: &'static [(Role, u16)]) -> Self {
        self.per_role = Some(answers);
        self
    }
    fn signed_out(mut self, status: u16) -> Self {
        self.signed_out = Some(status);
        self
    }
    fn multipart(mut self) -> Self {
        self.body = Body::Multipart;
        self
    }
    fn record_in(mut self, field: &'static str) -> Self {
        self.body = Body::RecordIn(field);
        self
    }
    fn ends_session(mut self) -> Self {
        self.ends_session = true;
        self
    }

    fn expected(&self, role: Role) -> u16 {
        if let Some(answers) = self.per_role {
            return answers
                .iter()
                .find(|(r, _)| *r == role)
                .expect("an answer for every role")
                .1;
        }
        if !self.need.allows(role) {
            return self.refused;
        }
        match self.only {
            Some((roles, otherwise)) if !roles.contains(&role) => otherwise,
            _ => self.ok,
        }
    }

    fn signed_out_answer(&self) -> u16 {
        self.signed_out
            .unwrap_or(if self.path.starts_with("/api/") {
                401
            } else if self.method == "GET" {
                303
            } else {
                403
            })
    }

    /// The path with the row's record(s) in place of its parameters.
    fn url(&self, rec: &Records, missing: bool) -> String {
        let mut values = self.on.values(rec, missing).into_iter();
        let mut url = String::new();
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').unwrap() + open;
            url.push_str(&rest[..open]);
            url.push_str(&values.next().expect("a record for each parameter"));
            rest = &rest[close + 1..];
        }
        url.push_str(rest);
        url
    }

    async fn send(
        &self,
        b: &Browser,
        csrf: Option<&str>,
        url: &str,
        rec: &Records,
        missing: bool,
    ) -> reqwest::Response {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        let req = b.client.request(method, b.url(url));
        let req = match (csrf, self.method) {
            (_, "GET") => req,
            // Signed out: no token to send.
            (None, _) => req,
            (Some(token), _) if self.path.starts_with("/api/") => req
                .header("content-type", "application/json")
                .header("x-csrf-token", token)
                .body("{}"),
            (Some(token), _) => match self.body {
                Body::Usual => req.form(&[("csrf_token", token)]),
                Body::Multipart => req.multipart(
                    reqwest::multipart::Form::new().text("csrf_token", token.to_string()),
                ),
                Body::RecordIn(field) => {
                    let value = self.on.values(rec, missing).pop().unwrap();
                    req.form(&[("csrf_token", token), (field, value.as_str())])
                }
            },
        };
        req.send().await.expect("request")
    }
}

/// Every route and what each role gets. Roles who may call a route are those the
/// hand-written `ROLE_CAPABILITIES` give what the row needs; `only` narrows that to those
/// the record is shared with. One row a line, so that it reads as a table (hence no
/// rustfmt).
#[rustfmt::skip]
fn route_rows() -> Vec<Row> {
    use Role::*;
    const SUPPORT: &[Role] = &[Manager, Plo, Csw];
    const HOMES: &[(Role, u16)] = &[
        (Administrator, 303),
        (Manager, 303),
        (Plo, 303),
        (Csw, 303),
        (Police, 303),
        (SocialCare, 200),
        (Commissioner, 200),
        (Parent, 303),
    ];
    let public = || Need::Public;
    let signed_in = || Need::SignedIn;
    vec![
        // Outside sessions.
        row("GET", "/healthz", public(), On::Nothing, 200, 0).signed_out(200),
        row("GET", "/assets/{file}", public(), On::File("alongside.css"), 200, 0).signed_out(200),
        row("GET", "/favicon.ico", public(), On::Nothing, 200, 0).signed_out(200),
        // Signing in and out; the start page sends each role to its work.
        row("GET", "/", signed_in(), On::Nothing, 0, 0).per_role(HOMES),
        row("GET", "/login", public(), On::Nothing, 303, 0).signed_out(200),
        row("POST", "/login", public(), On::Nothing, 422, 0),
        row("POST", "/logout", public(), On::Nothing, 303, 0).ends_session(),
        row("POST", "/hub", signed_in(), On::Hub, 303, 0).record_in("hub_id"),
        // Referrals and triage. A referral is seen by the support team of its hub.
        row("GET", "/referrals", can(TriageReferrals), On::Nothing, 200, 403),
        row("POST", "/referrals", can(CreateReferral), On::Nothing, 422, 403),
        row("GET", "/referrals/new", can(CreateReferral), On::Nothing, 200, 403),
        row("POST", "/referrals/settings", can(TriageReferrals), On::Nothing, 422, 403),
        row("GET", "/referrals/{id}", signed_in(), On::Referral, 200, 0).only(SUPPORT, 404),
        row("GET", "/referrals/{id}/triage", can(TriageReferrals), On::Referral, 200, 403),
        row("POST", "/referrals/{id}/triage", can(TriageReferrals), On::Referral, 422, 403),
        // Families.
        row("GET", "/families", families(), On::Nothing, 200, 403),
        row("GET", "/families/{id}", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/members/new", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/members/new", families(), On::Family, 422, 403),
        row("GET", "/families/{id}/details", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/members/{member}", families(), On::Member, 200, 403),
        row("POST", "/families/{id}/members/{member}", families(), On::Member, 422, 403),
        row("GET", "/families/{id}/plans/new", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/plans/new", families(), On::Family, 422, 403),
        row("GET", "/plans/{id}", families(), On::Plan, 200, 403),
        row("GET", "/plans/{id}/versions/{n}", families(), On::PlanVersion, 200, 403),
        row("GET", "/plans/{id}/revise", families(), On::Plan, 200, 403),
        row("POST", "/plans/{id}/revise", families(), On::Plan, 422, 403),
        row("POST", "/plans/{id}/responses", families(), On::Plan, 422, 403),
        row("GET", "/families/{id}/contacts/{contact}", families(), On::PlannedContact, 200, 403),
        row("POST", "/families/{id}/contacts/{contact}", families(), On::PlannedContact, 422, 403),
        row("POST", "/families/{id}/details", families(), On::Family, 303, 403),
        row("GET", "/families/{id}/strengths", families(), On::Family, 200, 403),
        // An empty form is a valid answer: no strengths written yet.
        row("POST", "/families/{id}/strengths", families(), On::Family, 303, 403),
        row("GET", "/families/{id}/contacts/new", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/contacts/new", families(), On::Family, 422, 403),
        row("GET", "/children/{id}/profile", families(), On::Child, 200, 403),
        row("GET", "/children/{id}/profile/edit", families(), On::Child, 200, 403),
        row("POST", "/children/{id}/profile/edit", families(), On::Child, 422, 403),
        row("POST", "/children/{id}/profile/photo", families(), On::Child, 422, 403).multipart(),
        row("GET", "/children/{id}/profile/photo", families(), On::Child, 200, 403),
        row("GET", "/children/{id}/profile/print", families(), On::Child, 200, 403),
        row("GET", "/children/{id}/profile.pdf", families(), On::Child, 200, 403),
        row("POST", "/children/{id}/profile/share", families(), On::Child, 422, 403),
        row("POST", "/children/{id}/profile/share/withdraw", families(), On::Child, 303, 403),
        // The police partner: the child is missing (the episode is open), so they read it.
        row("GET", "/police/profiles", can(ReadSharedProfiles), On::Nothing, 200, 403),
        row("GET", "/police/children/{id}/profile", can(ReadSharedProfiles), On::Child, 200, 403),
        row("GET", "/police/children/{id}/profile/photo", can(ReadSharedProfiles), On::Child, 200, 403),
        row("GET", "/police/children/{id}/profile/print", can(ReadSharedProfiles), On::Child, 200, 403),
        row("GET", "/police/children/{id}/profile.pdf", can(ReadSharedProfiles), On::Child, 200, 403),
        row("GET", "/families/{id}/workers", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/workers", can(CloseCases), On::Family, 422, 403),
        row("GET", "/families/{id}/handover", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/closure", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/closure", can(CloseCases), On::Family, 422, 403),
        row("POST", "/families/{id}/reopen", can(CloseCases), On::Family, 422, 403),
        row("GET", "/children/{id}/placements", families(), On::Child, 200, 403),
        row("POST", "/children/{id}/placements", families(), On::Child, 422, 403),
        row("POST", "/children/{id}/transition-reviews", families(), On::Child, 422, 403),
        row("GET", "/children/{id}/episodes/new", families(), On::Child, 200, 403),
        row("POST", "/children/{id}/episodes/new", families(), On::Child, 422, 403),
        row("GET", "/episodes/{id}", families(), On::Episode, 200, 403),
        row("POST", "/episodes/{id}", families(), On::Episode, 422, 403),
        row("POST", "/episodes/{id}/interview", families(), On::Episode, 409, 403),
        row("GET", "/families/{id}/chronology", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/chronology.csv", families(), On::Family, 200, 403),
        // Work, oversight, administration, one's own account and tokens.
        row("GET", "/caseload", can(HoldCaseload), On::Nothing, 200, 403),
        row("GET", "/capacity", can(ViewCapacity), On::Nothing, 200, 403),
        row("POST", "/capacity/settings", can(ViewCapacity), On::Nothing, 422, 403),
        row("GET", "/capacity/{id}", can(ViewCapacity), On::Worker, 200, 403),
        row("GET", "/audit", can(ViewAuditLog), On::Nothing, 200, 403),
        row("GET", "/admin/users", can(ManageUsers), On::Nothing, 200, 403),
        row("GET", "/admin/bank-holidays", can(ManageUsers), On::Nothing, 200, 403),
        row("POST", "/admin/bank-holidays", can(ManageUsers), On::Nothing, 422, 403),
        row("GET", "/admin/unit-costs", can(ManageUsers), On::Nothing, 200, 403),
        row("POST", "/admin/unit-costs", can(ManageUsers), On::Nothing, 422, 403),
        row("POST", "/admin/users", can(ManageUsers), On::Nothing, 422, 403),
        row("POST", "/accounts/{id}/approve", can(ApproveAccounts), On::AwaitingApproval, 303, 403),
        // A person's own account: staff keep tokens; everyone changes their password and
        // ends their sessions; parents have a page of their own with only that.
        row("GET", "/account", can(UseApiTokens), On::Nothing, 200, 403),
        row("POST", "/account/tokens", can(UseApiTokens), On::Nothing, 422, 403),
        row("POST", "/account/password", signed_in(), On::Nothing, 422, 0),
        row("POST", "/account/sessions/{id}/end", signed_in(), On::File(NO_SESSION), 404, 0),
        row("POST", "/account/sessions/end-others", signed_in(), On::Nothing, 303, 0),
        row("GET", "/my/account", can(UseParentPortal), On::Nothing, 200, 403),
        // An administrator looks after the hub's accounts.
        row("GET", "/admin/users/{id}", can(ManageUsers), On::Colleague, 200, 403),
        row("POST", "/admin/users/{id}/role", can(ManageUsers), On::Colleague, 422, 403),
        row("POST", "/admin/users/{id}/reset-code", can(ManageUsers), On::Colleague, 200, 403),
        row("POST", "/admin/users/{id}/disable", can(ManageUsers), On::Colleague, 303, 403),
        row("POST", "/admin/users/{id}/enable", can(ManageUsers), On::Colleague, 303, 403),
        row("GET", "/reset", public(), On::Nothing, 200, 0).signed_out(200),
        row("POST", "/reset", public(), On::Nothing, 422, 0),
        // Only its owner revokes a token; to anyone else it does not exist.
        row("POST", "/account/tokens/{id}/revoke", can(UseApiTokens), On::Token, 303, 403).only(&[Plo], 404),
        // The information log.
        row("GET", "/families/{id}/information", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/information/new", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/information/new", families(), On::Family, 422, 403).multipart(),
        row("GET", "/information/{id}", families(), On::Entry, 200, 403),
        // Only the person who recorded an entry checks what was found in it.
        row("GET", "/information/{id}/check", families(), On::UncheckedEntry, 200, 403).only(&[Plo], 403),
        row("POST", "/information/{id}/check", families(), On::UncheckedEntry, 303, 403).only(&[Plo], 403),
        row("POST", "/information/{id}/review", can(ReviewInformation), On::Entry, 422, 403),
        row("GET", "/review", can(ReviewInformation), On::Nothing, 200, 403),
        // A photo reaches the family's workers by its id; the police only through the
        // submission that passed it on, by its number there (issue 10, L9).
        row("GET", "/attachments/{id}", signed_in(), On::Attachment, 200, 0).only(&[Manager, Plo, Csw], 404),
        // The parent portal: invitations, joining, leaving at once, the parent's pages.
        row("GET", "/families/{id}/invitations", can(InviteParents), On::Family, 200, 403),
        row("POST", "/families/{id}/invitations", can(InviteParents), On::Family, 422, 403),
        row("POST", "/families/{id}/invitations/{inv}/withdraw", can(InviteParents), On::Invitation, 303, 403),
        row("GET", "/join", public(), On::Nothing, 200, 0).signed_out(200),
        row("POST", "/join", public(), On::Nothing, 422, 0),
        row("GET", "/exit", public(), On::Nothing, 303, 0).ends_session().signed_out(303),
        row("GET", "/my", can(UseParentPortal), On::Nothing, 200, 403),
        row("GET", "/my/notes/new", can(UseParentPortal), On::Nothing, 200, 403),
        row("POST", "/my/notes/new", can(UseParentPortal), On::Nothing, 422, 403).multipart(),
        row("GET", "/my/notes/{id}", can(UseParentPortal), On::ParentNote, 200, 403),
        row("GET", "/my/notes/{id}/check", can(UseParentPortal), On::ParentNote, 200, 403),
        row("POST", "/my/notes/{id}/check", can(UseParentPortal), On::ParentNote, 303, 403),
        row("GET", "/my/children/{id}/profile", can(UseParentPortal), On::Child, 200, 403),
        row("GET", "/my/children/{id}/profile/edit", can(UseParentPortal), On::Child, 200, 403),
        row("POST", "/my/children/{id}/profile/edit", can(UseParentPortal), On::Child, 422, 403),
        row("POST", "/my/children/{id}/profile/photo", can(UseParentPortal), On::Child, 422, 403).multipart(),
        row("GET", "/my/children/{id}/profile/photo", can(UseParentPortal), On::Child, 200, 403),
        row("GET", "/my/children/{id}/profile/print", can(UseParentPortal), On::Child, 200, 403),
        row("GET", "/my/children/{id}/profile.pdf", can(UseParentPortal), On::Child, 200, 403),
        row("GET", "/my/children/{id}/placements", can(UseParentPortal), On::Child, 200, 403),
        row("POST", "/my/children/{id}/profile/share", can(UseParentPortal), On::Child, 422, 403),
        row("POST", "/my/children/{id}/profile/share/withdraw", can(UseParentPortal), On::Child, 303, 403),
        row("GET", "/my/missing-now", can(UseParentPortal), On::Nothing, 200, 403),
        row("POST", "/my/missing-now", can(UseParentPortal), On::Nothing, 422, 403),
        row("GET", "/my/episodes/{id}/now", can(UseParentPortal), On::Episode, 200, 403),
        row("GET", "/my/episodes/{id}", can(UseParentPortal), On::Episode, 200, 403),
        row("POST", "/my/episodes/{id}", can(UseParentPortal), On::Episode, 422, 403),
        row("GET", "/my/plans/{id}", can(UseParentPortal), On::Plan, 200, 403),
        row("GET", "/my/plans/{id}/versions/{n}", can(UseParentPortal), On::PlanVersion, 200, 403),
        row("POST", "/my/plans/{id}/responses", can(UseParentPortal), On::Plan, 422, 403),
        row("GET", "/my/incidents/new", can(UseParentPortal), On::Nothing, 200, 403),
        row("POST", "/my/incidents/new", can(UseParentPortal), On::Nothing, 422, 403),
        // Intelligence submissions to the police.
        row("GET", "/families/{id}/intelligence", can(SubmitIntelligence), On::Family, 200, 403),
        row("GET", "/families/{id}/intelligence/new", can(SubmitIntelligence), On::Family, 200, 403),
        row("POST", "/families/{id}/intelligence/new", can(SubmitIntelligence), On::Family, 422, 403),
        row("GET", "/intelligence", intelligence(), On::Nothing, 200, 403),
        row("GET", "/intelligence/{id}", intelligence(), On::Submission, 200, 403),
        row("POST", "/intelligence/{id}/acknowledge", can(ReceiveIntelligence), On::ToAcknowledge, 303, 403),
        row("POST", "/intelligence/{id}/outcome", can(ReceiveIntelligence), On::Submission, 422, 403),
        row("GET", "/intelligence/{id}/photos/{n}", intelligence(), On::SubmissionPhoto, 200, 403),
        row("GET", "/intelligence/{id}/print", intelligence(), On::Submission, 200, 403),
        row("GET", "/intelligence/{id}/export.json", intelligence(), On::Submission, 200, 403),
        // Evidence and its chain of custody; threats and incidents.
        row("GET", "/families/{id}/evidence", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/evidence/new", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/evidence/new", families(), On::Family, 422, 403),
        row("GET", "/evidence", can(HandleHubEvidence), On::Nothing, 200, 403),
        row("GET", "/evidence/{id}", evidence(), On::Evidence, 200, 403),
        row("POST", "/evidence/{id}/handovers", evidence(), On::Evidence, 422, 403),
        row("POST", "/evidence/{id}/corrections", evidence(), On::Evidence, 422, 403),
        row("GET", "/families/{id}/incidents", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/incidents/new", families(), On::Family, 200, 403),
        row("POST", "/families/{id}/incidents/new", families(), On::Family, 422, 403),
        row("GET", "/incidents/{id}", families(), On::Incident, 200, 403),
        row("POST", "/incidents/{id}/review", can(ReviewInformation), On::Incident, 422, 403),
        row("GET", "/reports/incidents", can(ViewCapacity), On::Nothing, 200, 403),
        // Alerts and the network picture.
        row("GET", "/alerts", can(ReceiveAlerts), On::Nothing, 200, 403),
        row("GET", "/network", can(ViewNetwork), On::Nothing, 200, 403),
        row("GET", "/network/graph.json", can(ViewNetwork), On::Nothing, 200, 403),
        row("GET", "/network/export/{file}", can(ViewNetwork), On::File("network.graphml"), 200, 403),
        row("GET", "/families/{id}/network", families(), On::Family, 200, 403),
        row("GET", "/families/{id}/network/graph.json", families(), On::Family, 200, 403),
        row("POST", "/network/merges", can(ViewNetwork), On::Nothing, 422, 403),
        row("POST", "/network/merges/{id}/unmerge", can(ViewNetwork), On::Merge, 422, 403),
        // The JSON API. `{}` is not a valid body for most writes (400 or 422).
        row("GET", "/api/v1/openapi.json", public(), On::Nothing, 200, 0).signed_out(200),
        row("GET", "/api/v1/me", signed_in(), On::Nothing, 200, 0),
        row("GET", "/api/v1/families", families(), On::Nothing, 200, 403),
        row("GET", "/api/v1/families/{id}", families(), On::Family, 200, 403),
        row("GET", "/api/v1/families/{id}/contacts", families(), On::Family, 200, 403),
        row("POST", "/api/v1/families/{id}/contacts", families(), On::Family, 400, 403),
        row("GET", "/api/v1/families/{id}/chronology", families(), On::Family, 200, 403),
        row("POST", "/api/v1/families/{id}/members", families(), On::Family, 400, 403),
        // Every field of the strengths is optional: `{}` clears them.
        row("PUT", "/api/v1/families/{id}/strengths", families(), On::Family, 428, 403),
        row("GET", "/api/v1/referrals", can(TriageReferrals), On::Nothing, 200, 403),
        row("POST", "/api/v1/referrals", can(CreateReferral), On::Nothing, 400, 403),
        row("GET", "/api/v1/referrals/{id}", signed_in(), On::Referral, 200, 0).only(SUPPORT, 404),
        row("POST", "/api/v1/referrals/{id}/triage", can(TriageReferrals), On::Referral, 400, 403),
        row("GET", "/api/v1/submissions", intelligence(), On::Nothing, 200, 403),
        row("GET", "/api/v1/submissions/{id}", intelligence(), On::Submission, 200, 403),
        row("GET", "/api/v1/submissions/{id}/photos/{number}", intelligence(), On::SubmissionPhoto, 200, 403),
        row("POST", "/api/v1/submissions/{id}/acknowledge", can(ReceiveIntelligence), On::ToAcknowledgeByApi, 204, 403),
        row("POST", "/api/v1/submissions/{id}/outcome", can(ReceiveIntelligence), On::Submission, 422, 403),
        row("POST", "/api/v1/families/{id}/submissions", can(SubmitIntelligence), On::Family, 422, 403),
        row("GET", "/api/v1/families/{id}/evidence", families(), On::Family, 200, 403),
        row("GET", "/api/v1/evidence/{id}", evidence(), On::Evidence, 200, 403),
        row("GET", "/api/v1/families/{id}/plans", families(), On::Family, 200, 403),
        row("POST", "/api/v1/families/{id}/plans", families(), On::Family, 400, 403),
        row("GET", "/api/v1/plans/{id}", families(), On::Plan, 200, 403),
        row("GET", "/api/v1/children/{id}/profile", families(), On::Child, 200, 403),
        row("GET", "/api/v1/children/{id}/episodes", families(), On::Child, 200, 403),
        row("GET", "/api/v1/episodes/{id}", families(), On::Episode, 200, 403),
        row("GET", "/api/v1/children/{id}/placements", families(), On::Child, 200, 403),
        row("GET", "/api/v1/families/{id}/continuity", families(), On::Family, 200, 403),
        row("POST", "/api/v1/plans/{id}/versions", families(), On::Plan, 400, 403),
        row("POST", "/api/v1/plans/{id}/responses", families(), On::Plan, 400, 403),
        row("POST", "/api/v1/evidence/{id}/handovers", evidence(), On::Evidence, 400, 403),
        row("GET", "/api/v1/families/{id}/incidents", families(), On::Family, 200, 403),
        row("POST", "/api/v1/families/{id}/incidents", families(), On::Family, 400, 403),
        row("GET", "/api/v1/families/{id}/entries", families(), On::Family, 200, 403),
        row("POST", "/api/v1/families/{id}/entries", families(), On::Family, 400, 403),
        row("GET", "/api/v1/entries/{id}", families(), On::Entry, 200, 403),
    ]
}

/// The records of hub A the rows are tried on.
async fn matrix_records(app: &TestApp) -> Records {
    use alongside_store::NewInvitation;
    let manager = app.login("manager").await;
    let (referral, family) = referred_and_allocated(app, &manager, "Indy", "Eastwick").await;
    // An entry with a photo, submitted to the police; an evidence item.
    let (entry, attachment, submission, evidence) = partners_records(app, family).await;
    let parent_id = user_id(app, "parent").await;
    app.store
        .unscoped_link_parent(parent_id, family, app.hub_a)
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let actor = |name: &'static str| async move {
        app.store
            .actor(user_id(app, name).await, app.hub_a)
            .await
            .unwrap()
            .unwrap()
    };
    let plo = actor("plo").await;
    let parent = actor("parent").await;
    let unchecked_entry = app
        .store
        .add_entry(&plo, Some(family), &plain_entry("Seen by the park."), now)
        .await
        .unwrap();
    let parent_note = app
        .store
        .add_entry(&parent, None, &plain_entry("A car again tonight."), now)
        .await
        .unwrap();
    let incident = app
        .store
        .add_incident(
            &parent,
            None,
            &alongside_domain::information::NewIncident::parse(
                &alongside_domain::information::RawIncident {
                    date: alongside_domain::validate::RawDate::Iso(now.date_naive().to_string()),
                    kind: "threat_by_phone".into(),
                    description: "A call said they know where we live.".into(),
                    reported: "pending".into(),
                    ..Default::default()
                },
                alongside_domain::clock::uk_local(now),
            )
            .unwrap(),
            now,
        )
        .await
        .unwrap();
    let member = app.store.family_page(&plo, family).await.unwrap().members[0].id;
    let plan = app
        .store
        .add_safety_plan(
            &plo,
            family,
            &alongside_domain::plans::NewSafetyPlan::parse(
                &alongside_domain::plans::RawSafetyPlan {
                    child: member.to_string(),
                    risks_places: "The underpass".into(),
                    actions: vec![alongside_domain::plans::RawPlanAction {
                        who: "parent".into(),
                        what: "Collect her from the bus".into(),
                        ..Default::default()
                    }],
                    what_if: "Call 999".into(),
                    review_on: alongside_domain::validate::RawDate::Iso(
                        (now.date_naive() + chrono::Duration::days(30)).to_string(),
                    ),
                    ..Default::default()
                },
                alongside_domain::plans::Revision::New,
                now.date_naive(),
            )
            .unwrap(),
            now,
        )
        .await
        .unwrap();
    app.store
        .save_missing_profile(
            &plo,
            member,
            0,
            &alongside_domain::missing::NewProfile::parse(&alongside_domain::missing::RawProfile {
                nicknames: "Ash".into(),
                ..Default::default()
            })
            .unwrap(),
            now,
        )
        .await
        .unwrap();
    let episode = app
        .store
        .add_episode(
            &plo,
            member,
            &alongside_domain::episodes::EpisodeDetails::parse(
                &alongside_domain::episodes::RawEpisode {
                    last_seen: alongside_domain::validate::RawDate::Iso(
                        (now.date_naive() - chrono::Duration::days(3)).to_string(),
                    ),
                    ..Default::default()
                },
                alongside_domain::clock::uk_local(now),
            )
            .unwrap(),
            now,
        )
        .await
        .unwrap();
    let clean = alongside_domain::information::photo::clean(
        &alongside_domain::information::photo::sample(),
    )
    .unwrap();
    app.store
        .add_profile_photo(&plo, member, clean.content_type, &clean.bytes, now)
        .await
        .unwrap();
    let planned_contact = app
        .store
        .add_contact(
            &plo,
            family,
            &alongside_domain::family::NewContact::parse(
                &alongside_domain::family::RawContact {
                    kind: "home_visit".into(),
                    status: "planned".into(),
                    date: alongside_domain::validate::RawDate::Iso(
                        (now.date_naive() + chrono::Duration::days(7)).to_string(),
                    ),
                    visibility: "confidential".into(),
                    ..Default::default()
                },
                alongside_domain::clock::uk_local(now),
            )
            .unwrap(),
            now,
        )
        .await
        .unwrap();
    let mut to_acknowledge = Vec::new();
    for what in ["A van outside school.", "A new phone."] {
        let e = app
            .store
            .add_entry(&plo, Some(family), &plain_entry(what), now)
            .await
            .unwrap();
        let (s, _) = app
            .store
            .create_submission(&plo, family, &new_submission(&[e], what, "B2P"), now)
            .await
            .unwrap();
        to_acknowledge.push(s);
    }
    let token = app
        .store
        .create_api_token(
            &plo,
            "matrix",
            &"ab".repeat(32),
            chrono::Utc::now() + chrono::Duration::days(90),
            alongside_store::TokenScope::ReadWrite,
        )
        .await
        .unwrap();
    let invitation = app
        .store
        .create_invitation(
            &plo,
            family,
            &NewInvitation::new(None, "Sam Eastwick".into()),
            now,
        )
        .await
        .unwrap()
        .id;
    // Two names of persons of concern, judged one person.
    let plo_browser = app.login("plo").await;
    for person in ["Danny K", "Dan Kay"] {
        let res = plo_browser
            .post_json(
                &format!("/api/v1/families/{family}/entries"),
                &format!(
                    r#"{{"what":"Seen with him.","approx":"today","how_known":"seen_myself","people":"{person}"}}"#
                ),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "entry naming {person}");
    }
    let res = manager
        .post_form(
            "/network/merges",
            &[
                ("a", "danny k"),
                ("b", "dan kay"),
                ("reason", "The same phone in both records."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "merged");
    let merge = app
        .store
        .person_merges(&actor("manager").await)
        .await
        .unwrap()[0]
        .id;
    Records {
        hub: app.hub_a,
        family,
        referral,
        entry,
        unchecked_entry,
        attachment,
        submission,
        to_acknowledge: to_acknowledge[0],
        to_acknowledge_by_api: to_acknowledge[1],
        evidence,
        incident,
        member,
        worker: plo.user_id(),
        planned_contact,
        parent_note,
        token,
        invitation,
        merge,
        plan,
        episode,
        awaiting_approval: app
            .store
            .create_user(
                &alongside_store::NewUser::new(
                    "waiting.plo".into(),
                    "A worker waiting".into(),
                    Role::Plo,
                    "not-a-hash".into(),
                    vec![app.hub_a],
                )
                .awaiting_approval(),
            )
            .await
            .unwrap()
            .id,
        colleague: app
            .store
            .create_user(&alongside_store::NewUser::new(
                "a.colleague".into(),
                "A colleague".into(),
                Role::Commissioner,
                "not-a-hash".into(),
                vec![app.hub_a],
            ))
            .await
            .unwrap()
            .id,
    }
}

fn plain_entry(what: &str) -> alongside_store::NewEntry {
    alongside_store::NewEntry::unchecked(alongside_domain::information::entry::UncheckedEntry {
        what: what.into(),
        occurred_at: None,
        occurred_approx: Some("last night".into()),
        place: None,
        people: None,
        how_known: alongside_domain::information::HowKnown::SeenMyself,
        how_known_who: None,
        how_known_detail: None,
        identifiers: Vec::new(),
        attachments: vec![],
    })
}

async fn idle_sessions_end_and_sign_in_is_throttled(db: Db) {
    let config = alongside_web::Config {
        idle_timeout: std::time::Duration::from_secs(3),
        ..Default::default()
    };
    let app = spawn_app_with(db, config).await;
    let b = app.login("csw").await;
    // Activity keeps the session alive past the timeout...
    for _ in 0..3 {
        assert_eq!(b.get("/caseload").await.status(), StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    }
    assert_eq!(b.get("/caseload").await.status(), StatusCode::OK);
    // ...and idleness ends it. (Time must pass here: the timeout is what is tested.)
    tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
    let res = b.get("/caseload").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
    // The expired session is swept from the database too.
    let swept = app
        .store
        .session_delete_expired(chrono::Utc::now().timestamp())
        .await
        .unwrap();
    assert!(swept >= 1);

    // Guessing one account's password is slowed down, and the page says why.
    let guesser = app.browser();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(
            guesser
                .sign_in("manager", "not the password")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses[0], 401);
    assert_eq!(*statuses.last().unwrap(), 429, "{statuses:?}");
    let res = guesser.sign_in("manager", PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("too many attempts to sign in"));
    // Other accounts are not locked out by it.
    assert_eq!(
        app.browser().sign_in("plo", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn a_referrer_who_does_not_hold_the_family_learns_nothing_of_it(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (first, family_id) = referred_and_allocated(&app, &manager, "Nell", "Merriweather").await;
    // plo2 refers the same child (same name and date of birth) without holding the family.
    let plo2 = app.login("plo2").await;
    let res = plo2
        .post_pairs(
            "/referrals",
            &referral_form("Nell", "Merriweather", ("2", "11", "2026")),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, page) = plo2.get_text(&location(&res)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the referrer may read what they sent"
    );
    assert!(
        !page.contains("re-referral"),
        "no hint that the child is known"
    );
    assert!(
        !page.contains(&format!("/referrals/{first}")),
        "no earlier referrals"
    );
    assert!(
        !page.contains(&format!("/families/{family_id}")),
        "no link to the family"
    );
    // Through the API too.
    let res = plo2
        .post_json(
            "/api/v1/referrals",
            r#"{"source":"school","received_on":"2026-11-02","referrer_name":"A teacher","reasons":"Concern","consent_to_share":true,"children":[{"given_name":"Nell","family_name":"Merriweather","date_of_birth":"2012-04-03"}]}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: serde_json::Value = res.json().await.unwrap();
    assert!(created.get("earlier_referrals").is_none(), "{created}");
    let res = plo2
        .get(&format!("/api/v1/referrals/{}", created["id"]))
        .await;
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["is_rereferral"], false);
    assert_eq!(json["earlier"].as_array().unwrap().len(), 0);
    // The manager sees it for what it is.
    let (_, page) = manager
        .get_text(&format!("/referrals/{}", created["id"]))
        .await;
    assert!(page.contains("This is a re-referral"));
}

async fn names_alone_are_possible_matches_not_re_referrals(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(&app, &manager, "Remy", "Harrowgate").await;
    // Same name, no date of birth: a new family record, flagged to the manager.
    let mut form = referral_form("Remy", "Harrowgate", ("2", "11", "2026"));
    form.retain(|(k, _)| !k.starts_with("child1-dob"));
    let res = manager.post_pairs("/referrals", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager.get_text(&location(&res)).await;
    assert!(!page.contains("This is a re-referral"));
    assert!(page.contains("Possible earlier records"));
    assert!(page.contains(&format!("href=\"/families/{family_id}\"")));
}

async fn search_folds_case_beyond_ascii(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    referred_and_allocated(&app, &manager, "Ada", "Östergård").await;
    for q in ["östergård", "ÖSTERGÅRD", "Östergård fam"] {
        let encoded: String = form_urlencoded_bytes(q);
        let (_, page) = manager.get_text(&format!("/families?q={encoded}")).await;
        assert!(page.contains("Östergård family"), "search {q}");
    }
    let (_, page) = manager.get_text("/families?q=%25%25").await;
    assert!(
        page.contains("Östergård family"),
        "a typed % is not a wildcard"
    );
    let (_, page) = manager.get_text("/families?q=zzz").await;
    assert!(!page.contains("Östergård family"));
}

fn form_urlencoded_bytes(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn first_contact_and_overdue_follow_the_day(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (referral_id, family_id) = referred_and_allocated(&app, &manager, "Faye", "Dovecote").await;
    let plo = app.login("plo").await;
    let path = format!("/families/{family_id}/contacts/new");
    // A contact dated before the referral was received does not stop its clock.
    let held_before = [
        ("kind", "phone_call"),
        ("status", "held"),
        ("date-day", "1"),
        ("date-month", "1"),
        ("date-year", "2025"),
        ("visibility", "shareable"),
    ];
    assert_eq!(
        plo.post_form(&path, &held_before).await.status(),
        StatusCode::SEE_OTHER
    );
    let json: serde_json::Value = plo
        .get(&format!("/api/v1/referrals/{referral_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(json["first_contact_at"].is_null(), "{json}");
    // Planned for 14:00 on a past day; held that day with no time given: not overdue.
    let planned = [
        ("kind", "home_visit"),
        ("status", "planned"),
        ("date-day", "5"),
        ("date-month", "1"),
        ("date-year", "2026"),
        ("time", "14:00"),
        ("visibility", "shareable"),
    ];
    assert_eq!(
        plo.post_form(&path, &planned).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = plo.get_text("/caseload").await;
    assert!(page.contains("1 overdue"));
    let held_that_day = [
        ("kind", "home_visit"),
        ("status", "held"),
        ("date-day", "5"),
        ("date-month", "1"),
        ("date-year", "2026"),
        ("visibility", "shareable"),
    ];
    assert_eq!(
        plo.post_form(&path, &held_that_day).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = plo.get_text("/caseload").await;
    assert!(
        !page.contains("overdue</strong>"),
        "held on the planned day"
    );
    // An API date outside any plausible range is refused, not stored.
    let res = plo
        .post_json(
            &format!("/api/v1/families/{family_id}/contacts"),
            r#"{"kind":"phone_call","status":"held","date":"0001-01-01","visibility":"shareable"}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// An entry (recorded by "plo", with a photo) submitted to the police, and an evidence
/// item, in family `f`: (entry, attachment, submission, evidence item).
async fn partners_records(
    app: &TestApp,
    f: FamilyId,
) -> (EntryId, AttachmentId, SubmissionId, EvidenceId) {
    use alongside_domain::information::entry::UncheckedEntry;
    use alongside_domain::information::{EvidenceKind, HowKnown};
    use alongside_store::*;
    let plo = app
        .store
        .actor(user_id(app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    let e = app
        .store
        .add_entry(
            &plo,
            Some(f),
            &NewEntry::unchecked(UncheckedEntry {
                what: "A car AB12 CDE outside the house.".into(),
                occurred_at: None,
                occurred_approx: Some("last night".into()),
                place: None,
                people: None,
                how_known: HowKnown::SeenMyself,
                how_known_who: None,
                how_known_detail: None,
                identifiers: Vec::new(),
                attachments: vec![NewAttachment::image(1, &photo_with_metadata()).unwrap()],
            }),
            now,
        )
        .await
        .unwrap();
    let a = app.store.entry(&plo, e).await.unwrap().attachments[0].id;
    let (s, _) = app
        .store
        .create_submission(
            &plo,
            f,
            &new_submission(&[e], "A car outside the house.", "B2P"),
            now,
        )
        .await
        .unwrap();
    let ev = app
        .store
        .add_evidence(
            &plo,
            f,
            &NewEvidence::unchecked(
                EvidenceKind::Phone,
                "A second phone".into(),
                "A parent".into(),
                alongside_domain::clock::uk_local(now),
                "At home".into(),
                "Sealed bag".into(),
                None,
            ),
            now,
        )
        .await
        .unwrap();
    (e, a, s, ev)
}

/// A NUL byte or another control character in any text gets a message that says what to
/// fix, with what was typed kept; never a 500 (PostgreSQL cannot store NUL), and nothing
/// stored is lost (issue 10, M3).
async fn control_characters_get_a_message_never_a_500(db: Db) {
    let app = spawn_app(db).await;
    // Before sign-in: the username.
    let res = app
        .browser()
        .sign_in("plo\u{0}x", "whatever-password")
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("cannot be stored"));

    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Nul", "Bytewise").await;
    let res = manager
        .post_form(
            &format!("/families/{family}/strengths"),
            &[("strengths", "Loves football"), ("own-words", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "a first, good save");

    for bad in ["abc\u{0}def", "red\u{1b}[31m", "del\u{7f}ete"] {
        // A form: the message beside the field, and what was typed shown again.
        let res = manager
            .post_form(
                &format!("/families/{family}/strengths"),
                &[("strengths", bad), ("own-words", "")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        let page = res.text().await.unwrap();
        assert!(page.contains("cannot be stored"), "{page}");
        assert!(page.contains(&bad[..3]), "what was typed is kept");

        // The API: 422 with the field named.
        let token = manager.csrf().await;
        let res = manager
            .client
            .put(manager.url(&format!("/api/v1/families/{family}/strengths")))
            .header("content-type", "application/json")
            .header("x-csrf-token", token)
            .body(serde_json::json!({ "strengths": bad }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(res.text().await.unwrap().contains("strengths"));

        for (path, body) in [
            (
                format!("/api/v1/families/{family}/contacts"),
                serde_json::json!({"kind":"phone_call","status":"held","date":"2026-01-05","time":"10:00","visibility":"shareable","note": bad}),
            ),
            (
                format!("/api/v1/families/{family}/entries"),
                serde_json::json!({"what": bad, "approx": "today", "how_known": "seen_myself"}),
            ),
        ] {
            let res = manager.post_json(&path, &body.to_string()).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path} {bad:?}"
            );
        }

        // Searches and filters.
        let q: String = form_urlencoded::byte_serialize(bad.as_bytes()).collect();
        let (status, page) = manager.get_text(&format!("/families?q={q}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("cannot be stored") && page.contains("govuk-error-message"));
        let res = manager.get(&format!("/api/v1/families?search={q}")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let admin = app.login("admin").await;
    let res = admin.get("/audit?user=a%00b").await;
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(res.text().await.unwrap().contains("cannot be stored"));

    // What was stored first is still there.
    let (_, page) = manager.get_text(&format!("/families/{family}")).await;
    assert!(page.contains("Loves football"), "nothing stored is lost");
}

/// A photo keeps its own stricter policy (L1); with `--secure-cookies` (served over TLS)
/// every response asks browsers to use TLS only (L2).
async fn security_headers_keep_the_stricter_policy_and_ask_for_tls(db: Db) {
    let app = spawn_app(db).await;
    let res = app.browser().get("/login").await;
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
    assert!(res.headers().get("strict-transport-security").is_none());
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Csp", "Strictly").await;
    let (_, attachment, _, _) = partners_records(&app, family).await;
    let b = app.login("plo").await;
    let res = b.get(&format!("/attachments/{attachment}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );

    let tls = spawn_app_with(
        db,
        alongside_web::Config {
            secure_cookies: true,
            ..alongside_web::Config::default()
        },
    )
    .await;
    let res = tls.browser().get("/login").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

/// A PLO who refers a child the hub already knows, in a family they do not hold, is told
/// exactly what they are told of a child new to the hub: no family number, name, history
/// or workers (L3).
async fn a_known_child_is_answered_like_a_new_one_to_a_referrer(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, known) = referred_and_allocated(&app, &manager, "Ari", "Knownfam").await;
    // The known family gets a name of its own, which the referrer never typed.
    let res = manager
        .post_form(
            &format!("/families/{known}/strengths"),
            &[("strengths", "Close to their aunt"), ("own-words", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let csw = app.login("plo2").await;
    let body = |given: &str, family: &str| {
        serde_json::json!({
            "source": "school", "received_on": "2026-11-02", "referrer_name": "A teacher",
            "reasons": "Missing from school", "consent_to_share": true,
            "children": [{"given_name": given, "family_name": family, "date_of_birth": "2012-04-03"}]
        })
        .to_string()
    };
    let mut shapes = Vec::new();
    for (given, family) in [("Ari", "Knownfam"), ("Newt", "Newfam")] {
        let res = csw
            .post_json("/api/v1/referrals", &body(given, family))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{given}");
        let created: serde_json::Value = res.json().await.unwrap();
        assert!(created.get("family_id").is_none(), "{created}");
        assert!(created.get("earlier_referrals").is_none(), "{created}");
        let rid = created["id"].as_i64().unwrap();
        let detail: serde_json::Value = csw
            .get(&format!("/api/v1/referrals/{rid}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(detail["family_id"].is_null(), "{detail}");
        assert_eq!(detail["family_name"], "family you referred");
        assert_eq!(detail["is_rereferral"], false);
        assert!(detail["lead_plo_id"].is_null() && detail["csw_id"].is_null());
        assert_eq!(detail["earlier"].as_array().unwrap().len(), 0);
        let (status, page) = csw.get_text(&format!("/referrals/{rid}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !page.contains("Knownfam family") && !page.contains("re-referral"),
            "{page}"
        );
        assert!(!page.contains(&format!("/families/{known}")));
        shapes.push(
            detail
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(shapes[0], shapes[1], "the same answer, known child or not");
    // The manager sees that it was a re-referral, and of which family.
    let detail: serde_json::Value = manager
        .get("/api/v1/referrals?status=all")
        .await
        .json()
        .await
        .unwrap();
    assert!(detail.to_string().contains("Knownfam family"));
}

/// Separation of duties (M2): an account an administrator makes with a casework role
/// waits for a manager of the hub to approve it; administrators and a hub's first
/// manager come only from the server; the hub's managers see every account made and
/// approved.
async fn an_administrator_cannot_give_themselves_the_families(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.login("admin").await;
    let (_, family) = {
        let manager = app.login("manager").await;
        referred_and_allocated(&app, &manager, "Sep", "Ofduties").await
    };
    let make = |username: &'static str, role: &'static str| {
        let admin = &admin;
        async move {
            admin
                .post_form(
                    "/admin/users",
                    &[
                        ("username", username),
                        ("display-name", "A new account"),
                        ("role", role),
                        ("password", "a long enough passphrase"),
                    ],
                )
                .await
        }
    };
    // A manager account, made by the administrator, for the administrator to use.
    let res = make("second.manager", "manager").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("once a manager of the hub approves it"));
    let res = app
        .browser()
        .sign_in("second.manager", "a long enough passphrase")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("waiting for a manager of your hub"));
    // Administrators are never made in the browser.
    let res = make("another.admin", "administrator").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("added on the server"));
    // A role that works on no cases is active at once.
    let res = make("a.commissioner", "commissioner").await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .browser()
        .sign_in("a.commissioner", "a long enough passphrase")
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The hub's manager is told, and approves.
    let manager = app.login("manager").await;
    let (_, home) = manager.get_text("/referrals").await;
    assert!(
        home.contains("waiting for your approval") && home.contains("second.manager"),
        "{home}"
    );
    assert!(home.contains("Changes to the hub") && home.contains("was made"));
    let waiting = user_id(&app, "second.manager").await;
    // Another hub's manager cannot approve it: it is not theirs.
    let south = app.login("south.manager").await;
    assert_eq!(
        south
            .post_form(&format!("/accounts/{waiting}/approve"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = manager
        .post_form(&format!("/accounts/{waiting}/approve"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, home) = manager.get_text("/referrals").await;
    assert!(!home.contains("waiting for your approval"));
    assert!(home.contains("was approved by"), "{home}");
    let res = app
        .browser()
        .sign_in("second.manager", "a long enough passphrase")
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, audit) = manager.get_text("/audit?action=approve").await;
    assert!(audit.contains("awaiting_approval → approved"), "{audit}");
    let _ = family;

    // A hub with no manager yet: its first comes from the server, not the browser.
    let west = app.store.create_hub("West hub").await.unwrap().id;
    add_user(&app.store, "west.admin", Role::Administrator, vec![west]).await;
    let west_admin = app.login("west.admin").await;
    let res = west_admin
        .post_form(
            "/admin/users",
            &[
                ("username", "west.manager"),
                ("display-name", "A manager"),
                ("role", "manager"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("first manager is added on the server"));
    assert!(
        app.store
            .credentials("west.manager")
            .await
            .unwrap()
            .is_none(),
        "nothing stored"
    );
}

/// Whether a username exists, in this hub or another, cannot be learnt from the answer:
/// every refusal reads alike, and each refused name is audited (L4).
async fn usernames_cannot_be_tested_across_hubs(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.login("admin").await;
    let mut pages = Vec::new();
    for name in ["plo", "south.plo", "south.manager"] {
        let res = admin
            .post_form(
                "/admin/users",
                &[
                    ("username", name),
                    ("display-name", "Someone"),
                    ("role", "commissioner"),
                    ("password", "a long enough passphrase"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let page = res.text().await.unwrap();
        assert!(page.contains("Choose a different username"), "{page}");
        assert!(
            !page.contains("taken") && !page.contains("South hub"),
            "{page}"
        );
        // The message beside the field (the page also lists this hub's own accounts).
        let at = page
            .find("id=\"username-error\"")
            .expect("a message beside the username");
        let message = &page[at..at + page[at..].find("</p>").unwrap()];
        pages.push(message.to_string());
    }
    assert_eq!(
        pages[0], pages[1],
        "a name of this hub and of another read alike"
    );
    let (_, audit) = admin.get_text("/audit?action=refuse").await;
    assert!(audit.contains("3 events"), "{audit}");
}

/// The users list (which names parents and carers), the capacity page and the incidents
/// report leave an audit event each (L8, in part).
async fn lists_of_people_and_caseloads_are_audited(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.login("admin").await;
    assert_eq!(admin.get("/admin/users").await.status(), StatusCode::OK);
    let (_, audit) = admin.get_text("/audit?user=admin&action=list").await;
    assert!(
        audit.contains("1 event") && audit.contains(">user<"),
        "{audit}"
    );
    let manager = app.login("manager").await;
    assert_eq!(manager.get("/capacity").await.status(), StatusCode::OK);
    assert_eq!(
        manager.get("/reports/incidents").await.status(),
        StatusCode::OK
    );
    let (_, audit) = admin.get_text("/audit?user=manager&action=list").await;
    assert!(
        audit.contains(">caseload<") && audit.contains(">incident<"),
        "{audit}"
    );
}

/// A staff token stops working when it expires: 90 days unless made shorter (L7, in part).
async fn api_tokens_expire(db: Db) {
    let app = spawn_app(db).await;
    let plo = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let api = reqwest::Client::new();
    let call = |token: String| {
        let api = api.clone();
        let url = format!("{}/api/v1/families", app.base);
        async move {
            api.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let live = format!("alg_{}", "c".repeat(64));
    let gone = format!("alg_{}", "d".repeat(64));
    let now = chrono::Utc::now();
    for (token, expires) in [
        (&live, now + chrono::Duration::days(1)),
        (&gone, now - chrono::Duration::seconds(1)),
    ] {
        app.store
            .create_api_token(
                &plo,
                "script",
                &alongside_web::token_hash(token),
                expires,
                alongside_store::TokenScope::ReadWrite,
            )
            .await
            .unwrap();
    }
    assert_eq!(call(live.clone()).await, StatusCode::OK);
    assert_eq!(call(gone.clone()).await, StatusCode::UNAUTHORIZED);
    // The page made in the browser says when.
    let b = app.login("plo").await;
    let res = b.post_form("/account/tokens", &[("name", "Another")]).await;
    let page = res.text().await.unwrap();
    let in_90 = (now + chrono::Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    assert!(page.contains("Expires") && page.contains(&in_90), "{page}");
}
