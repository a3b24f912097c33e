//! Accounts and what people type, each on SQLite and on PostgreSQL: the password rule
//! (NIST SP 800-63B revision 4), and text with bidirectional controls shown isolated and
//! neutralised in exports (issue 10, L10).

mod common;

use common::*;
use reqwest::StatusCode;

on_both_backends!(
    weak_passwords_are_refused_and_passphrases_welcome,
    bidi_controls_are_isolated_on_pages_and_neutralised_in_exports,
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
