//! Accounts and what people type, each on SQLite and on PostgreSQL: the password rule
//! (NIST SP 800-63B revision 4), and text with bidirectional controls shown isolated and
//! neutralised in exports (issue 10, L10); a person's own password and sessions, and what
//! an administrator does to an account (issue 10, accounts; L7).

mod common;

use common::*;
use reqwest::StatusCode;

on_both_backends!(
    weak_passwords_are_refused_and_passphrases_welcome,
    bidi_controls_are_isolated_on_pages_and_neutralised_in_exports,
    people_change_their_password_and_end_their_sessions,
    administrators_disable_reset_and_change_roles,
    sessions_end_after_their_lifetime_and_tokens_keep_their_scope,
    wrong_passwords_slow_the_attacker_not_the_owner,
    the_audit_log_says_where_from_and_cannot_be_changed,
);

/// L10: length, a list of common and breached passwords, no composition rules, for staff
/// accounts and parents alike; the forms say passphrases are welcome.
async fn weak_passwords_are_refused_and_passphrases_welcome(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.login("admin").await;
    let (_, page) = admin.get_text("/admin/users").await;
    assert!(
        page.contains("passphrase of three or four random words"),
        "{page}"
    );
    for (weak, why) in [
        ("aaaaaaaaaaaa", "at least 15 characters"),
        ("aaaaaaaaaaaaaaaaaa", "harder to guess"),
        ("password123456789", "harder to guess"),
        ("qwertyuiopasdfghjkl", "harder to guess"),
        ("new.worker.new.worker", "harder to guess"),
    ] {
        let res = admin
            .post_form(
                "/admin/users",
                &[
                    ("username", "new.worker"),
                    ("display-name", "A New Worker"),
                    ("role", "commissioner"),
                    ("password", weak),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        let page = res.text().await.unwrap();
        assert!(page.contains(why), "{weak}: {page}");
        assert!(
            page.contains("value=\"new.worker\""),
            "what was typed is kept"
        );
        assert!(
            !page.contains(weak) || weak == "new.worker.new.worker",
            "never the password"
        );
    }
    assert!(
        app.store.credentials("new.worker").await.unwrap().is_none(),
        "no account made"
    );
    // Lower-case words and spaces alone: no composition rules.
    let res = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "new.worker"),
                ("display-name", "A New Worker"),
                ("role", "commissioner"),
                ("password", "marble kettle orchard"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let b = app.browser();
    assert_eq!(
        b.sign_in("new.worker", "marble kettle orchard")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // Typed on a keyboard that gives a full-width letter, it is the same password (NFKC).
    let b = app.browser();
    assert_eq!(
        b.sign_in("new.worker", "ｍarble kettle orchard")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // A parent joining: the same rule, with the same advice on the form.
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Pass", "Phrase").await;
    let plo = app.login("plo").await;
    let res = plo
        .post_form(
            &format!("/families/{family}/invitations"),
            &[("name", "A Parent")],
        )
        .await;
    let page = res.text().await.unwrap();
    let marker = "app-invitation-code\">";
    let at = page.find(marker).expect("an invitation code") + marker.len();
    let code = page[at..at + 14].to_string();
    let b = app.browser();
    let (_, join) = b.get_text(&format!("/join?code={code}")).await;
    assert!(join.contains("passphrase of three or four random words"));
    for weak in ["1111111111", "111111111111111111"] {
        let token = csrf_in(&b.get_text("/join").await.1);
        let res = b
            .client
            .post(b.url("/join"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("code", code.as_str()),
                ("username", "a.parent.joining"),
                ("password", weak),
                ("confirm", weak),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains("at least 15 characters") || page.contains("harder to guess"),
            "{page}"
        );
    }
}

/// Where each occurrence of `needle` in `html` sits: true when it is inside an element
/// that isolates its direction (`dir` set, or `<bdi>`), or inside a tag with `dir` set
/// (an input's value).
fn isolated_everywhere(html: &str, needle: &str) -> Result<usize, String> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut found = 0;
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < html.len() {
        if bytes[i] == b'<' {
            let end = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
            let tag = &html[i..end];
            let isolates = tag.contains(" dir=\"") || tag.starts_with("<bdi");
            if tag.contains(needle) {
                found += 1;
                if !isolates && !stack.iter().any(|(_, iso)| *iso) {
                    return Err(format!("in a tag with no dir: {tag}"));
                }
            }
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if tag.starts_with("</") {
                if let Some(at) = stack.iter().rposition(|(n, _)| *n == name) {
                    stack.truncate(at);
                }
            } else if !tag.starts_with("<!")
                && !VOID.contains(&name.as_str())
                && !tag.ends_with("/>")
            {
                stack.push((name, isolates));
            }
            i = end;
        } else {
            let end = html[i..].find('<').map_or(html.len(), |e| i + e);
            let text = &html[i..end];
            if text.contains(needle) {
                found += text.matches(needle).count();
                // A title holds no markup: the text is isolated by FSI and PDI there.
                let in_title = stack.last().is_some_and(|(n, _)| n == "title");
                let at = text.find(needle).unwrap_or(0);
                let fenced = text[..at].contains("&#x2068;") && text[at..].contains("&#x2069;");
                if in_title && !fenced {
                    return Err(format!("title {text:?} not fenced by FSI and PDI"));
                }
                if !in_title && !stack.iter().any(|(_, iso)| *iso) {
                    let open: Vec<&str> = stack.iter().map(|(n, _)| n.as_str()).collect();
                    return Err(format!("text {text:?} inside {open:?} with no dir"));
                }
            }
            i = end;
        }
    }
    Ok(found)
}

/// L10: a right-to-left override typed into a name and a note is stored as typed, shown
/// isolated on every page (so it cannot turn the words around it), and written as its
/// code in exports.
async fn bidi_controls_are_isolated_on_pages_and_neutralised_in_exports(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let rlo = "\u{202E}";
    let family_name = format!("Reed{rlo}nosnibor");
    let (referral, family) = referred_and_allocated(&app, &manager, "Ash", &family_name).await;
    let note = format!("Called about the car{rlo}gpj.exe");
    let res = manager
        .post_form(
            &format!("/families/{family}/contacts/new"),
            &[
                ("kind", "phone_call"),
                ("status", "held"),
                ("date-day", "5"),
                ("date-month", "1"),
                ("date-year", "2026"),
                ("time", "10:00"),
                ("duration", "30"),
                ("participants", "A parent"),
                ("visibility", "shareable"),
                ("note", note.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "contact saved");

    let plo = app.login("plo").await;
    let res = plo
        .post_json(
            &format!("/api/v1/families/{family}/entries"),
            &serde_json::json!({"what": format!("A car{rlo}ABC seen"), "approx": "today", "how_known": "seen_myself"}).to_string(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let entry: serde_json::Value = res.json().await.unwrap();
    let entry = entry["id"].as_i64().unwrap();

    for (who, path) in [
        (&manager, "/families".to_string()),
        (&manager, format!("/families/{family}")),
        (&manager, format!("/families/{family}/chronology")),
        (&manager, "/referrals".to_string()),
        (&manager, format!("/referrals/{referral}")),
        (&plo, "/caseload".to_string()),
        (&plo, format!("/families/{family}/information")),
        (&plo, format!("/information/{entry}")),
        (&manager, "/review".to_string()),
    ] {
        let (status, page) = who.get_text(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        match isolated_everywhere(&page, rlo) {
            Ok(n) => assert!(n > 0, "{path}: the text is shown, as typed"),
            Err(e) => panic!("{path}: {e}"),
        }
    }
    // A form shown again keeps it, isolated too.
    let res = manager
        .post_form(
            &format!("/families/{family}/contacts/new"),
            &[("kind", "phone_call"), ("note", note.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(isolated_everywhere(&page, rlo).unwrap() > 0);

    // The chronology's spreadsheet export writes the control as its code.
    let res = manager
        .get(&format!("/families/{family}/chronology.csv"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(!csv.contains(rlo), "{csv}");
    assert!(csv.contains("the car[U+202E]gpj.exe"), "{csv}");
}

/// The hash of the session a browser's cookie names, as the account page lists it.
async fn sessions_listed(b: &Browser, page: &str) -> Vec<String> {
    let (_, html) = b.get_text(page).await;
    html.match_indices("/account/sessions/")
        .filter_map(|(i, _)| {
            let rest = &html[i + "/account/sessions/".len()..];
            let id = &rest[..rest.find('/')?];
            (id.len() == 64).then(|| id.to_string())
        })
        .collect()
}

/// Everyone changes their own password (the other sessions end) and sees and ends their
/// sessions; a parent's page for it names nothing else, and the staff page is closed to
/// them.
async fn people_change_their_password_and_end_their_sessions(db: Db) {
    let app = spawn_app(db).await;
    let here = app.login("plo").await;
    let phone = app.login("plo").await;
    let listed = sessions_listed(&here, "/account").await;
    assert_eq!(listed.len(), 2, "both sessions listed");
    let (_, page) = here.get_text("/account").await;
    assert!(page.contains("This device"));

    // A wrong current password, and a weak new one: said, nothing changed.
    let res = here
        .post_form(
            "/account/password",
            &[
                ("current-password", "not my password"),
                ("new-password", "aaaaaaaaaaaaaaaa"),
                ("confirm-password", "aaaaaaaaaaaaaaaa"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("That is not your current password"));
    assert!(page.contains("harder to guess"));
    assert_eq!(phone.get("/caseload").await.status(), StatusCode::OK);

    let res = here
        .post_form(
            "/account/password",
            &[
                ("current-password", PASSWORD),
                ("new-password", "willow copper lantern harbour"),
                ("confirm-password", "willow copper lantern harbour"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location_full(&res), "/account?done=password");
    // This session goes on; the other has ended.
    assert_eq!(here.get("/caseload").await.status(), StatusCode::OK);
    assert_eq!(phone.get("/caseload").await.status(), StatusCode::SEE_OTHER);
    let b = app.browser();
    assert_eq!(
        b.sign_in("plo", "willow copper lantern harbour")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.browser().sign_in("plo", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Ending one session by name, then everywhere else.
    let third = app.browser();
    third.sign_in("plo", "willow copper lantern harbour").await;
    let listed = sessions_listed(&here, "/account").await;
    assert_eq!(listed.len(), 3);
    let (_, page) = here.get_text("/account").await;
    let mine = listed
        .iter()
        .find(|id| {
            let at = page.find(id.as_str()).unwrap();
            page[..at]
                .rfind("<li")
                .is_some_and(|li| page[li..at].contains("This device"))
        })
        .cloned()
        .expect("this device marked");
    let other = listed.iter().find(|id| **id != mine).unwrap().clone();
    let res = here
        .post_form(&format!("/account/sessions/{other}/end"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(sessions_listed(&here, "/account").await.len(), 2);
    let res = here.post_form("/account/sessions/end-others", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(sessions_listed(&here, "/account").await, vec![mine.clone()]);
    assert_eq!(b.get("/caseload").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(third.get("/caseload").await.status(), StatusCode::SEE_OTHER);
    // Another person's session cannot be ended by its hash: not found.
    let other_person = app.login("csw").await;
    let theirs = sessions_listed(&other_person, "/account").await[0].clone();
    assert_eq!(
        here.post_form(&format!("/account/sessions/{theirs}/end"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(other_person.get("/caseload").await.status(), StatusCode::OK);
    // Ending this one signs out here.
    let res = here
        .post_form(&format!("/account/sessions/{mine}/end"), &[])
        .await;
    assert_eq!(location(&res), "/login");
    assert_eq!(here.get("/caseload").await.status(), StatusCode::SEE_OTHER);

    // Audited.
    let manager = app.login("manager").await;
    let (_, log) = manager.get_text("/audit?user=plo").await;
    assert!(
        log.contains(&format!(">password {}", user_id(&app, "plo").await))
            && log.contains(">session ")
            && log.contains("signed in → 1 signed out"),
        "{log}"
    );
}

/// An administrator disables an account (its sessions and tokens end at once) and enables
/// it; changes a role (a casework role waits for a manager); and makes a one-time reset
/// code that the person takes at /reset.
async fn administrators_disable_reset_and_change_roles(db: Db) {
    let app = spawn_app(db).await;
    let plo = app.login("plo").await;
    let res = plo
        .post_form(
            "/account/tokens",
            &[("name", "Script"), ("scope", "read_write")],
        )
        .await;
    let page = res.text().await.unwrap();
    let at = page.find("alg_").expect("token shown once");
    let token = page[at..at + 68].to_string();
    let api = reqwest::Client::new();
    let me = || {
        api.get(format!("{}/api/v1/me", app.base))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(me().await.unwrap().status(), StatusCode::OK);

    let admin = app.login("admin").await;
    let id = user_id(&app, "plo").await;
    let (status, page) = admin.get_text(&format!("/admin/users/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Disable account"));
    let res = admin
        .post_form(&format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(
        location_full(&res),
        format!("/admin/users/{id}?done=disabled")
    );
    assert_eq!(
        plo.get("/caseload").await.status(),
        StatusCode::SEE_OTHER,
        "signed out at once"
    );
    assert_eq!(
        me().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "token ended"
    );
    assert_eq!(
        app.browser().sign_in("plo", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let res = admin
        .post_form(&format!("/admin/users/{id}/reset-code"), &[])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "enable first"
    );
    admin
        .post_form(&format!("/admin/users/{id}/enable"), &[])
        .await;
    assert_eq!(
        app.browser().sign_in("plo", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        me().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "tokens stay ended"
    );

    // A role change to casework waits for a manager; to a role that does none, it is at
    // once. Never to administrator or parent.
    let colleague = user_id(&app, "csw").await;
    let res = admin
        .post_form(
            &format!("/admin/users/{colleague}/role"),
            &[("role", "administrator")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("on the server"));
    let res = admin
        .post_form(
            &format!("/admin/users/{colleague}/role"),
            &[("role", "plo")],
        )
        .await;
    assert_eq!(
        location_full(&res),
        format!("/admin/users/{colleague}?done=role-requested")
    );
    let csw = app.login("csw").await;
    assert_eq!(
        csw.get("/caseload").await.status(),
        StatusCode::OK,
        "still a CSW meanwhile"
    );
    let manager = app.login("manager").await;
    let (_, dashboard) = manager.get_text("/referrals").await;
    assert!(
        dashboard.contains(&format!("/accounts/{colleague}/approve")),
        "{dashboard}"
    );
    let res = manager
        .post_form(&format!("/accounts/{colleague}/approve"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.get_text(&format!("/admin/users/{colleague}")).await;
    assert!(
        page.contains("Parent Liaison Officer"),
        "the role changed once approved"
    );
    let res = admin
        .post_form(
            &format!("/admin/users/{colleague}/role"),
            &[("role", "commissioner")],
        )
        .await;
    assert_eq!(
        location_full(&res),
        format!("/admin/users/{colleague}?done=role")
    );

    // A reset code: shown once, works once, with the username; every session ends.
    let res = admin
        .post_form(&format!("/admin/users/{id}/reset-code"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    let marker = "id=\"reset-code\">";
    let at = page.find(marker).expect("the code") + marker.len();
    let code = page[at..at + 14].to_string();
    let again = app.login("plo").await;
    let b = app.browser();
    let (_, form) = b.get_text("/reset").await;
    let try_code = |code: String, username: &'static str, password: &'static str| {
        let token = csrf_in(&form);
        let b = &b;
        async move {
            b.client
                .post(b.url("/reset"))
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("username", username),
                    ("code", code.as_str()),
                    ("new-password", password),
                    ("confirm-password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let res = try_code(code.clone(), "csw", "ember quartz meadow falcon").await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not their code"
    );
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("do not match a reset code"));
    let res = try_code(code.to_lowercase(), "plo", "ember quartz meadow falcon").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Your password is changed"));
    assert_eq!(
        again.get("/caseload").await.status(),
        StatusCode::SEE_OTHER,
        "signed out everywhere"
    );
    let res = try_code(code.clone(), "plo", "another fine passphrase here").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "once only");
    assert_eq!(
        app.browser()
            .sign_in("plo", "ember quartz meadow falcon")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // Another hub's administrator finds none of it.
    for path in [format!("/admin/users/{id}")] {
        let (status, _) = admin
            .get_text(&path.replace(&id.to_string(), "999999"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    // Every step reached the audit log and the managers' notices.
    let (_, log) = admin.get_text("/audit?user=admin").await;
    assert!(
        log.contains(&format!(">password_reset {id}")) && log.contains("enabled → disabled"),
        "{log}"
    );
    let (_, dashboard) = manager.get_text("/referrals").await;
    assert!(
        dashboard.contains("disabled") && dashboard.contains("role"),
        "{dashboard}"
    );
}

/// Sessions last 12 hours at most however busy (here, one second); a read-only token
/// reads and may not write; parents have their own account page and not the staff one.
async fn sessions_end_after_their_lifetime_and_tokens_keep_their_scope(db: Db) {
    let app = spawn_app_with(
        db,
        alongside_web::Config {
            session_lifetime: std::time::Duration::from_secs(1),
            ..alongside_web::Config::default()
        },
    )
    .await;
    let b = app.login("plo").await;
    assert_eq!(b.get("/caseload").await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(b.get("/caseload").await.status(), StatusCode::SEE_OTHER);

    let app = spawn_app(db).await;
    let plo = app.login("plo").await;
    let res = plo
        .post_form("/account/tokens", &[("name", "Reader")])
        .await;
    let page = res.text().await.unwrap();
    assert!(page.contains("Read only"), "read only unless asked");
    let at = page.find("alg_").unwrap();
    let token = page[at..at + 68].to_string();
    let api = reqwest::Client::new();
    let res = api
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = api
        .post(format!("{}/api/v1/referrals", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("may only read"));
}

/// A browser whose requests come from `address` (any of 127.0.0.0/8 reaches the server).
fn browser_from(app: &TestApp, address: &str) -> Browser {
    Browser {
        client: reqwest::Client::builder()
            .local_address(address.parse::<std::net::IpAddr>().unwrap())
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        base: app.base.clone(),
    }
}

/// L5: wrong passwords for one account from one address back off; the owner signing in
/// from elsewhere is not slowed; every failure is recorded; an address trying many
/// accounts is told to the managers of their hubs.
async fn wrong_passwords_slow_the_attacker_not_the_owner(db: Db) {
    let app = spawn_app(db).await;
    let attacker = browser_from(&app, "127.0.0.2");
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(attacker.sign_in("plo", "a wrong password").await.status());
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "the attacker is slowed: {statuses:?}"
    );
    // The owner, elsewhere, signs in at once.
    let owner = browser_from(&app, "127.0.0.1");
    assert_eq!(
        owner.sign_in("plo", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    // Even the right password waits from the attacker's address for a moment (at most
    // 30 seconds), then works.
    // Every failure is in the hub's log, with the address.
    let manager = app.login("manager").await;
    let (_, log) = manager.get_text("/audit?action=failed_sign_in").await;
    assert!(log.contains("from 127.0.0.2"), "{log}");
    assert!(!log.contains("a wrong password"), "never the password");
    let (_, log) = manager.get_text("/audit?action=sign_in&user=plo").await;
    assert!(log.contains("from 127.0.0.1"), "sign-ins recorded: {log}");

    // Spraying: one address, one password, many accounts.
    let sprayer = browser_from(&app, "127.0.0.3");
    for name in [
        "admin",
        "manager",
        "csw",
        "police",
        "social",
        "commissioner",
        "parent",
        "nobody1",
        "nobody2",
        "nobody3",
        "plo",
    ] {
        sprayer.sign_in(name, "Summer2026!").await;
    }
    let (_, dashboard) = manager.get_text("/referrals").await;
    assert!(
        dashboard.contains("failed sign-ins from one address that is trying many accounts"),
        "{dashboard}"
    );
}

/// L8: events say where they came from (address, session, API token); signing in and out
/// and refused probes of records are recorded; the audit table refuses changes and
/// deletions on both backends.
async fn the_audit_log_says_where_from_and_cannot_be_changed(db: Db) {
    let app = spawn_app(db).await;
    let plo = app.login("plo").await;
    assert_eq!(
        plo.get("/families/999999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(plo.get("/capacity").await.status(), StatusCode::FORBIDDEN);
    let res = plo
        .post_form("/account/tokens", &[("name", "Reader")])
        .await;
    let page = res.text().await.unwrap();
    let at = page.find("alg_").unwrap();
    let token = page[at..at + 68].to_string();
    reqwest::Client::new()
        .get(format!("{}/api/v1/families/999998", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let res = plo.post_form("/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let manager = app.login("manager").await;
    let (_, log) = manager.get_text("/audit?user=plo&action=refuse").await;
    assert!(log.contains("GET /families/{id} → 404 999999"), "{log}");
    assert!(log.contains("GET /capacity"), "{log}");
    assert!(log.contains("API token"), "the token named: {log}");
    assert!(log.contains(", session "), "the session named: {log}");
    let (_, log) = manager.get_text("/audit?user=plo&action=sign_out").await;
    assert!(
        log.contains("Signed out") || log.contains("sign_out"),
        "{log}"
    );

    // Lists and exports say which records they named, and with what filter.
    let (_, family) = referred_and_allocated(&app, &manager, "Lis", "Tedfamily").await;
    manager.get("/families?q=tedfam").await;
    manager
        .get(&format!("/families/{family}/chronology.csv?kind=contact"))
        .await;
    let (_, log) = manager.get_text("/audit?user=manager&action=list").await;
    assert!(log.contains(&format!("1 listed: {family}")), "{log}");
    assert!(
        log.contains("filter %tedfam%") || log.contains("filter tedfam"),
        "{log}"
    );
    let (_, log) = manager.get_text("/audit?user=manager&action=export").await;
    assert!(log.contains("filter kind=contact"), "{log}");

    // Beneath the store: the audit log cannot be changed or emptied.
    use sqlx::Connection;
    let (update, delete) = if app.database.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(&app.database)
            .await
            .unwrap();
        (
            sqlx::query("UPDATE audit_events SET username = 'someone else'")
                .execute(&mut c)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_events")
                .execute(&mut c)
                .await
                .is_err(),
        )
    } else {
        let mut c = sqlx::PgConnection::connect(&app.database).await.unwrap();
        (
            sqlx::query("UPDATE audit_events SET username = 'someone else'")
                .execute(&mut c)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_events")
                .execute(&mut c)
                .await
                .is_err(),
        )
    };
    assert!(update && delete, "the audit log is append-only");
}
