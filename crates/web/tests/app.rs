//! Integration tests through HTTP against the real application, each on SQLite and on
//! PostgreSQL: sign-in and sessions, CSRF, the referral → triage → contact → chronology
//! journey, hub isolation, audit, bad input, the JSON API, and the role × route matrix.

mod common;

use common::*;
use reqwest::StatusCode;

on_both_backends!(
    health_answers,
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
);

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
    assert!(page.contains("Time of the contact must be a time in the form 14:30"));
    assert!(page.contains("Duration in minutes must be a whole number from 1 to 1440"));
    assert!(page.contains("Select who may read the note from the list"));
    assert!(page.contains("A note kept as typed"));
    // A planned contact in the future is fine.
    let res = plo
        .post_form(
            &format!("/families/{family_id}/contacts/new"),
            &[
                ("kind", "phone_call"),
                ("status", "planned"),
                ("date-day", "1"),
                ("date-month", "1"),
                ("date-year", &next_year),
                ("visibility", "shareable"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

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
        log.contains("<td class=\"govuk-table__cell\">read</td>"),
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
        .post_form("/account/tokens", &[("name", "Test script")])
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
    let res = api
        .put(format!(
            "{}/api/v1/families/{family_id}/strengths",
            app.base
        ))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"strengths":"Close to their grandmother","own_words":"We want to be heard"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
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
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["detail"], "Called to check in");

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
    assert!(csv.starts_with("date,time,type,summary,detail,visibility,recorded_by"));
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
        row.contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">1</td>"),
        "one high-threshold family"
    );
}

/// Every route for every role: who may, who may not, and that "may not" never leaks.
async fn role_route_matrix(db: Db) {
    use alongside_domain::roles::Role;
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (r, f) = referred_and_allocated(&app, &manager, "Indy", "Eastwick").await;

    const S: &[Role] = &[Role::Manager, Role::Plo, Role::Csw];
    // The parents-as-partners records: an entry with a photo, submitted to the police;
    // an evidence item; the test parent belongs to the family.
    let (e, a, s, ev) = partners_records(&app, f).await;
    let parent_id = user_id(&app, "parent").await;
    app.store
        .unscoped_link_parent(parent_id, f, app.hub_a)
        .await
        .unwrap();
    const MP: &[Role] = &[Role::Manager, Role::Plo];
    const MPP: &[Role] = &[Role::Manager, Role::Plo, Role::Police];
    const SP: &[Role] = &[Role::Manager, Role::Plo, Role::Csw, Role::Police];
    // (method, path, roles allowed, status when allowed, status when refused)
    let routes: Vec<(&str, String, &[Role], u16, u16)> = vec![
        ("GET", "/caseload".into(), &[Role::Plo, Role::Csw], 200, 403),
        ("GET", "/referrals".into(), &[Role::Manager], 200, 403),
        ("GET", "/referrals/new".into(), S, 200, 403),
        ("GET", format!("/referrals/{r}"), S, 200, 404),
        (
            "GET",
            format!("/referrals/{r}/triage"),
            &[Role::Manager],
            200,
            403,
        ),
        ("GET", "/families".into(), S, 200, 403),
        ("GET", format!("/families/{f}"), S, 200, 403),
        ("GET", format!("/families/{f}/members/new"), S, 200, 403),
        ("GET", format!("/families/{f}/strengths"), S, 200, 403),
        ("GET", format!("/families/{f}/contacts/new"), S, 200, 403),
        ("GET", format!("/families/{f}/chronology"), S, 200, 403),
        ("GET", format!("/families/{f}/chronology.csv"), S, 200, 403),
        ("GET", "/capacity".into(), &[Role::Manager], 200, 403),
        (
            "GET",
            "/audit".into(),
            &[Role::Manager, Role::Administrator],
            200,
            403,
        ),
        (
            "GET",
            "/admin/users".into(),
            &[Role::Administrator],
            200,
            403,
        ),
        (
            "GET",
            "/account".into(),
            <Role as alongside_domain::Code>::ALL,
            200,
            403,
        ),
        (
            "GET",
            "/api/v1/me".into(),
            <Role as alongside_domain::Code>::ALL,
            200,
            403,
        ),
        ("GET", "/api/v1/families".into(), S, 200, 403),
        ("GET", format!("/api/v1/families/{f}"), S, 200, 403),
        ("GET", format!("/api/v1/families/{f}/contacts"), S, 200, 403),
        (
            "GET",
            format!("/api/v1/families/{f}/chronology"),
            S,
            200,
            403,
        ),
        (
            "GET",
            "/api/v1/referrals".into(),
            &[Role::Manager],
            200,
            403,
        ),
        ("GET", format!("/api/v1/referrals/{r}"), S, 200, 404),
        ("POST", "/referrals".into(), S, 422, 403),
        (
            "POST",
            "/referrals/settings".into(),
            &[Role::Manager],
            422,
            403,
        ),
        (
            "POST",
            format!("/referrals/{r}/triage"),
            &[Role::Manager],
            422,
            403,
        ),
        ("POST", format!("/families/{f}/members/new"), S, 422, 403),
        ("POST", format!("/families/{f}/contacts/new"), S, 422, 403),
        (
            "POST",
            "/admin/users".into(),
            &[Role::Administrator],
            422,
            403,
        ),
        (
            "POST",
            "/account/tokens".into(),
            <Role as alongside_domain::Code>::ALL,
            422,
            403,
        ),
        ("POST", "/api/v1/referrals".into(), S, 400, 403),
        (
            "POST",
            format!("/api/v1/referrals/{r}/triage"),
            &[Role::Manager],
            400,
            403,
        ),
        (
            "POST",
            format!("/api/v1/families/{f}/contacts"),
            S,
            400,
            403,
        ),
        ("POST", format!("/api/v1/families/{f}/members"), S, 400, 403),
        // Parents as partners.
        ("GET", format!("/families/{f}/information"), S, 200, 403),
        ("GET", format!("/families/{f}/information/new"), S, 200, 403),
        ("GET", format!("/information/{e}"), S, 200, 403),
        (
            "GET",
            format!("/information/{e}/check"),
            &[Role::Plo],
            200,
            403,
        ),
        ("GET", "/review".into(), MP, 200, 403),
        ("POST", format!("/information/{e}/review"), MP, 422, 403),
        ("GET", format!("/attachments/{a}"), SP, 200, 404),
        (
            "GET",
            format!("/families/{f}/invitations"),
            &[Role::Plo],
            200,
            403,
        ),
        (
            "POST",
            format!("/families/{f}/invitations"),
            &[Role::Plo],
            422,
            403,
        ),
        ("GET", format!("/families/{f}/intelligence"), MP, 200, 403),
        (
            "GET",
            format!("/families/{f}/intelligence/new"),
            MP,
            200,
            403,
        ),
        (
            "POST",
            format!("/families/{f}/intelligence/new"),
            MP,
            422,
            403,
        ),
        ("GET", "/intelligence".into(), MPP, 200, 403),
        ("GET", format!("/intelligence/{s}"), MPP, 200, 403),
        ("GET", format!("/intelligence/{s}/print"), MPP, 200, 403),
        (
            "GET",
            format!("/intelligence/{s}/export.json"),
            MPP,
            200,
            403,
        ),
        (
            "POST",
            format!("/intelligence/{s}/outcome"),
            &[Role::Police],
            422,
            403,
        ),
        ("GET", "/api/v1/submissions".into(), MPP, 200, 403),
        ("GET", format!("/api/v1/submissions/{s}"), MPP, 200, 403),
        ("GET", format!("/families/{f}/evidence"), S, 200, 403),
        ("GET", format!("/families/{f}/evidence/new"), S, 200, 403),
        ("GET", format!("/evidence/{ev}"), SP, 200, 403),
        ("POST", format!("/evidence/{ev}/handovers"), SP, 422, 403),
        ("GET", "/evidence".into(), &[Role::Police], 200, 403),
        ("GET", format!("/families/{f}/incidents"), S, 200, 403),
        ("GET", format!("/families/{f}/incidents/new"), S, 200, 403),
        ("POST", format!("/families/{f}/incidents/new"), S, 422, 403),
        (
            "GET",
            "/reports/incidents".into(),
            &[Role::Manager],
            200,
            403,
        ),
        (
            "GET",
            "/alerts".into(),
            &[Role::Manager, Role::Police],
            200,
            403,
        ),
        (
            "GET",
            "/network".into(),
            &[Role::Manager, Role::Police],
            200,
            403,
        ),
        (
            "GET",
            "/network/graph.json".into(),
            &[Role::Manager, Role::Police],
            200,
            403,
        ),
        (
            "GET",
            "/network/export/network.graphml".into(),
            &[Role::Manager, Role::Police],
            200,
            403,
        ),
        ("GET", format!("/families/{f}/network"), S, 200, 403),
        (
            "POST",
            "/network/merges".into(),
            &[Role::Manager, Role::Police],
            422,
            403,
        ),
        ("GET", format!("/api/v1/families/{f}/entries"), S, 200, 403),
        ("GET", format!("/api/v1/entries/{e}"), S, 200, 403),
        ("POST", format!("/api/v1/families/{f}/entries"), S, 400, 403),
        ("GET", "/my".into(), &[Role::Parent], 200, 403),
        ("GET", "/my/notes/new".into(), &[Role::Parent], 200, 403),
        ("GET", "/my/incidents/new".into(), &[Role::Parent], 200, 403),
        (
            "POST",
            "/my/incidents/new".into(),
            &[Role::Parent],
            422,
            403,
        ),
    ];
    let homes: &[(Role, u16)] = &[
        (Role::Administrator, 303),
        (Role::Manager, 303),
        (Role::Plo, 303),
        (Role::Csw, 303),
        (Role::Police, 303),
        (Role::SocialCare, 200),
        (Role::Commissioner, 200),
        (Role::Parent, 303),
    ];
    let mut failures = Vec::new();
    for (username, role) in HUB_A_USERS.iter().filter(|(n, _)| *n != "plo2") {
        let b = app.login(username).await;
        let home = homes.iter().find(|(r, _)| r == role).unwrap().1;
        let got = b.get("/").await.status().as_u16();
        if got != home {
            failures.push(format!("{role:?} GET / -> {got}, expected {home}"));
        }
        for (method, path, allowed, ok, refused) in &routes {
            let expected = if allowed.contains(role) {
                *ok
            } else {
                *refused
            };
            let got = if *method == "GET" {
                b.get(path).await.status().as_u16()
            } else if path.starts_with("/api/") {
                b.post_json(path, "{}").await.status().as_u16()
            } else {
                b.post_form(path, &[]).await.status().as_u16()
            };
            if got != expected {
                failures.push(format!(
                    "{role:?} {method} {path} -> {got}, expected {expected}"
                ));
            }
        }
    }
    // Signed out: pages send you to sign in, the API says 401.
    let anon = app.browser();
    for (method, path, _, _, _) in &routes {
        let got = if *method == "GET" {
            anon.get(path).await.status().as_u16()
        } else {
            anon.client
                .post(anon.url(path))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        let expected = if path.starts_with("/api/") {
            401
        } else if *method == "GET" {
            303
        } else {
            403
        };
        if got != expected {
            failures.push(format!(
                "signed out {method} {path} -> {got}, expected {expected}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "role × route matrix:\n{}",
        failures.join("\n")
    );
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
async fn partners_records(app: &TestApp, f: i64) -> (i64, i64, i64, i64) {
    use alongside_domain::information::{EvidenceKind, Grade, HowKnown};
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
            &NewEntry {
                what: "A car AB12 CDE outside the house.".into(),
                occurred_at: None,
                occurred_approx: Some("last night".into()),
                place: None,
                people: None,
                how_known: HowKnown::SeenMyself,
                how_known_who: None,
                how_known_detail: None,
                identifiers: Vec::new(),
                attachments: vec![NewAttachment {
                    filename: "car.png".into(),
                    content_type: "image/png".into(),
                    bytes: b"\x89PNG\r\n\x1a\n synthetic".to_vec(),
                }],
            },
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
            &NewSubmission {
                entry_ids: vec![e],
                summary: "A car outside the house.".into(),
                grade: Grade::parse("B2P").unwrap(),
                handling_conditions: None,
            },
            now,
        )
        .await
        .unwrap();
    let ev = app
        .store
        .add_evidence(
            &plo,
            f,
            &NewEvidence {
                kind: EvidenceKind::Phone,
                description: "A second phone".into(),
                found_by: "A parent".into(),
                found_at: alongside_domain::clock::uk_local(now),
                found_where: "At home".into(),
                storage: "Sealed bag".into(),
                reference_numbers: None,
            },
            now,
        )
        .await
        .unwrap();
    (e, a, s, ev)
}
