//! The parent portal and the information log, through HTTP on both backends: invitations
//! (single use, expiry, withdrawal), joining, a parent's note with photos and identifiers,
//! the check of what was found, review, what the parent is told, and who may see what.

mod common;

use common::*;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;

on_both_backends!(
    a_parent_joins_shares_and_hears_what_became_of_it,
    invitations_are_single_use_and_expire,
    uploads_are_checked_and_typed_text_is_kept,
    a_parent_reaches_only_their_own,
    police_see_submissions_never_support_notes,
    a_parent_logs_a_threat_against_the_family,
    the_information_log_through_the_api,
    photos_stored_before_cleaning_are_cleaned_when_the_store_starts,
    photos_have_quotas_and_anonymous_bodies_are_not_read,
);

/// Posts the note form as a browser does (multipart), with the session's token first.
async fn post_note(
    b: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let token = b.csrf().await;
    let mut form = Form::new().text("csrf_token", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part(
            "photos",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("image/png")
                .unwrap(),
        );
    }
    b.client
        .post(b.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

const SIGHTING: &[(&str, &str)] = &[
    (
        "what",
        "A silver car ab12cde waited by the park; the driver gave my son 07700 900123.",
    ),
    ("approx", "yesterday after school"),
    ("place", "By the park gates"),
    ("people", "Danny K, a tall man"),
    ("how-known", "seen_myself"),
    ("handle", "snap: demo_name_22"),
];

fn id_after<I: std::str::FromStr>(prefix: &str, loc: &str) -> I
where
    I::Err: std::fmt::Debug,
{
    loc.trim_start_matches(prefix)
        .split(['/', '?'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn a_parent_joins_shares_and_hears_what_became_of_it(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Rowan", "Testfield").await;
    let plo = app.login("plo").await;
    let parent = joined_parent(&app, &plo, family, "sam.synthetic").await;

    let (status, home) = parent.get_text("/my").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("<title>Home – Notes</title>"),
        "a neutral title, not the service's name"
    );
    assert!(
        !home.contains("Alongside"),
        "nothing on the page names the service"
    );
    // The hub may choose the name its parents see.
    let manager = app.login("manager").await;
    let (_, page) = manager.get_text("/referrals").await;
    let res = manager
        .post_form(
            "/referrals/settings",
            &[("target", "5"), ("parent-service-name", "Family diary")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{page}");
    let (_, home) = parent.get_text("/my").await;
    assert!(
        home.contains("<title>Home – Family diary</title>"),
        "{home}"
    );
    let res = manager
        .post_form(
            "/referrals/settings",
            &[("target", "5"), ("parent-service-name", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(home.contains("govuk-exit-this-page") && home.contains("href=\"/exit\""));
    assert!(home.contains("Hello, Sam Synthetic"));

    let res = post_note(
        &parent,
        "/my/notes/new",
        SIGHTING,
        vec![("IMG_A_Parent_gates.jpg", photo_with_metadata())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let loc = location(&res);
    assert!(
        loc.starts_with("/my/notes/") && loc.ends_with("/check"),
        "{loc}"
    );
    let entry: EntryId = id_after("/my/notes/", &loc);

    // The check page shows what was found, as typed and as stored.
    let (status, check) = parent.get_text(&loc).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        check.contains("Vehicle registration: <bdi>AB12 CDE</bdi>"),
        "{check}"
    );
    assert!(check.contains("You wrote “ab12cde”"));
    assert!(check.contains("Phone number: <bdi>+447700900123</bdi>"));
    // Correct the phone, confirm the car; a wrong correction is refused and kept.
    let detail = app
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
        .unwrap();
    let car = detail
        .identifiers
        .iter()
        .find(|i| i.value == "AB12CDE")
        .unwrap()
        .id;
    let phone = detail
        .identifiers
        .iter()
        .find(|i| i.value == "+447700900123")
        .unwrap()
        .id;
    let (c, p) = (format!("check-{car}"), format!("check-{phone}"));
    let (pf,) = (format!("fix-{phone}"),);
    let res = parent
        .post_form(
            &format!("/my/notes/{entry}/check"),
            &[(&c, "confirm"), (&p, "correct"), (&pf, "0770090")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("is not a UK phone number") && page.contains("value=\"0770090\""));
    let res = parent
        .post_form(
            &format!("/my/notes/{entry}/check"),
            &[(&c, "confirm"), (&p, "correct"), (&pf, "07700 900124")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let detail = app
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
        .unwrap();
    let fixed = detail.identifiers.iter().find(|i| i.id == phone).unwrap();
    assert_eq!(fixed.value, "+447700900124");
    assert_eq!(
        fixed.raw, "07700 900123",
        "what was typed is never rewritten"
    );
    assert_eq!(fixed.corrected_from.as_deref(), Some("+447700900123"));
    assert!(detail
        .identifiers
        .iter()
        .any(|i| i.value == "snapchat:demo_name_22" || i.value.contains("demo_name_22")));
    assert!(detail.row.what.contains("ab12cde"));

    let (_, home) = parent.get_text("/my").await;
    assert!(home.contains("Received. Your Parent Liaison Officer will read it."));

    // The PLO reviews it from the queue, and passes it on.
    let (_, queue) = plo.get_text("/review").await;
    assert!(queue.contains(&format!("/information/{entry}")));
    let (status, shown) = plo.get_text(&format!("/information/{entry}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shown.contains("AB12 CDE") && shown.contains("Photo 1"));
    assert!(
        !shown.contains("IMG_A_Parent"),
        "the file's own name is not kept"
    );
    let res = plo
        .post_form(
            &format!("/information/{entry}/review"),
            &[("decision", "relevant")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    assert!(res.text().await.unwrap().contains("Enter the reason"));
    let res = plo
        .post_form(
            &format!("/information/{entry}/review"),
            &[
                ("decision", "relevant"),
                ("reason", "The police should know about this car."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, home) = parent.get_text("/my").await;
    assert!(home.contains("thinks it matters"));
    assert!(home.contains("The police should know about this car."));

    let plo_actor = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let police = app
        .store
        .actor(user_id(&app, "police").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    use alongside_domain::information::*;
    let (sid, _) = app
        .store
        .create_submission(
            &plo_actor,
            family,
            &new_submission(&[entry], "A car and a phone.", "B1P"),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let (_, home) = parent.get_text("/my").await;
    assert!(home.contains("They have not replied yet"), "{home}");
    // Once passed to the police its details are fixed: what they hold cannot change.
    let res = parent
        .post_form(
            &format!("/my/notes/{entry}/check"),
            &[(&c, "reject"), (&p, "confirm")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("passed to the police, so the details can no longer be changed"));
    app.store
        .record_outcome(
            &police,
            sid,
            &NewOutcome::parse(&RawOutcome {
                outcome: "linked_to_investigation".into(),
                reference: "OP-SYNTH-1".into(),
                note: "internal".into(),
            })
            .unwrap(),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let (_, home) = parent.get_text("/my").await;
    assert!(home.contains("linked what you told us to an investigation"));
    assert!(
        !home.contains("OP-SYNTH-1") && !home.contains("internal"),
        "police notes stay with the hub"
    );
    // The note itself: the PLO's reason, written for the parent, and every stage it passed.
    let (_, note) = parent.get_text(&format!("/my/notes/{entry}")).await;
    assert!(
        note.contains(
            "Your Parent Liaison Officer said: “<bdi>The police should know about this car.</bdi>”"
        ),
        "{note}"
    );
    let stages: Vec<usize> = [
        "<strong>Received</strong>",
        "<strong>Read by your Parent Liaison Officer</strong>",
        "<strong>Passed to the police</strong>",
        "<strong>The police answered</strong>",
    ]
    .iter()
    .map(|st| note.find(st).unwrap_or_else(|| panic!("{st} in {note}")))
    .collect();
    assert!(stages.windows(2).all(|w| w[0] < w[1]), "oldest first");
    assert!(
        note.contains("can no longer be changed"),
        "no check link once passed on"
    );
    assert!(!note.contains("Check these details"));
    assert!(!note.contains("OP-SYNTH-1"));

    // Exit this page ends the session: the page cannot be had back.
    let res = parent.get("/exit").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("https://www.bbc.co.uk/"));
    let res = parent.get("/my").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
}

async fn invitations_are_single_use_and_expire(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Ash", "Codeley").await;
    let plo = app.login("plo").await;
    let code = invite(&plo, family, "Alex Synthetic").await;
    let (_, res) = join_with(&app, &code, "alex.one").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Reused: refused with a reason, the username kept.
    let (_, res) = join_with(&app, &code, "alex.two").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("already been used") && page.contains("value=\"alex.two\""));
    // Unknown, and a taken username.
    let (_, res) = join_with(&app, "AAAA-BBBB-CCCC", "alex.three").await;
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("could not find an invitation"));
    let code2 = invite(&plo, family, "Alex Again").await;
    let (_, res) = join_with(&app, &code2, "Alex.One").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Choose a different username") && !page.contains("taken"),
        "{page}"
    );
    // Expired: a week later the code no longer works (the store decides by the clock given).
    let later = chrono::Utc::now() + chrono::Duration::days(8);
    let err = app
        .store
        .invitation_usable(&code2, later)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
    // Withdrawn.
    let (_, page) = plo
        .get_text(&format!("/families/{family}/invitations"))
        .await;
    assert!(page.contains("Accepted") && page.contains("Waiting"));
    let inv = app
        .store
        .invitations(
            &app.store
                .actor(user_id(&app, "plo").await, app.hub_a)
                .await
                .unwrap()
                .unwrap(),
            family,
        )
        .await
        .unwrap();
    let waiting = inv.iter().find(|i| i.used_at.is_none()).unwrap().id;
    let res = plo
        .post_form(
            &format!("/families/{family}/invitations/{waiting}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, res) = join_with(&app, &code2, "alex.four").await;
    assert!(res.text().await.unwrap().contains("withdrawn"));
    // Bad passwords are explained; the password is never sent back.
    let b = app.browser();
    let (_, page) = b.get_text("/join").await;
    let token = csrf_in(&page);
    let res = b
        .client
        .post(b.url("/join"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("code", ""),
            ("username", "x y"),
            ("password", "short"),
            ("confirm", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Enter the invitation code")
            && page.contains("at least 15 characters")
            && page.contains("only letters, numbers")
    );
    assert!(!page.contains("value=\"short\""));
    // A CSW cannot invite; another hub's PLO finds no such family.
    let csw = app.login("csw").await;
    assert_eq!(
        csw.get(&format!("/families/{family}/invitations"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let other = app.login("south.plo").await;
    assert_eq!(
        other
            .get(&format!("/families/{family}/invitations"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn uploads_are_checked_and_typed_text_is_kept(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Kit", "Uploadson").await;
    let plo = app.login("plo").await;
    let path = format!("/families/{family}/information/new");
    // Not an image, whatever it says it is.
    let res = post_note(
        &plo,
        &path,
        SIGHTING,
        vec![("notes.png", b"just some text".to_vec())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("notes.png is not a photo or screenshot"),
        "{page}"
    );
    assert!(
        page.contains("waited by the park"),
        "the text typed is kept"
    );
    // Too large.
    let mut big = photo_with_metadata();
    big.resize(5 * 1024 * 1024 + 10, 0);
    let res = post_note(&plo, &path, SIGHTING, vec![("big.png", big)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("big.png is larger than 5 MB"));
    // Too many.
    let files = (0..4)
        .map(|i| {
            (
                ["a.png", "b.png", "c.png", "d.png"][i],
                photo_with_metadata(),
            )
        })
        .collect();
    let res = post_note(&plo, &path, SIGHTING, files).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("up to 3"));
    // Missing fields, and a future date.
    let res = post_note(
        &plo,
        &path,
        &[
            ("what", ""),
            ("date-day", "1"),
            ("date-month", "1"),
            ("date-year", "2999"),
        ],
        vec![],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Enter what you saw or heard")
            && page.contains("today or in the past")
            && page.contains("Choose how you know it is true")
            || page.contains("how you know it is true"),
        "{page}"
    );
    // Nothing was stored by any of those.
    let actor = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    assert!(app
        .store
        .family_entries(&actor, family)
        .await
        .unwrap()
        .is_empty());
    // A good one is stored, and its photo served only to those allowed.
    let res = post_note(
        &plo,
        &path,
        SIGHTING,
        vec![("gates.png", photo_with_metadata())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let entries = app.store.family_entries(&actor, family).await.unwrap();
    let detail = app.store.entry(&actor, entries[0].id).await.unwrap();
    let a = detail.attachments[0].id;
    let res = plo.get(&format!("/attachments/{a}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let kept = res.bytes().await.unwrap();
    assert!(image::load_from_memory(&kept).is_ok(), "still a photo");
    assert!(!has_photo_metadata(&kept), "kept without its metadata");
    for who in ["police", "south.manager", "parent"] {
        let b = app.login(who).await;
        assert_eq!(
            b.get(&format!("/attachments/{a}")).await.status(),
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
}

async fn a_parent_reaches_only_their_own(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, f1) = referred_and_allocated(&app, &manager, "Lee", "Onefamily").await;
    let (_, f2) = referred_and_allocated(&app, &manager, "Jo", "Twofamily").await;
    let plo = app.login("plo").await;
    let p1 = joined_parent(&app, &plo, f1, "parent.one").await;
    let p2 = joined_parent(&app, &plo, f2, "parent.two").await;
    let res = post_note(
        &p2,
        "/my/notes/new",
        &[
            ("what", "Nothing with identifiers."),
            ("approx", "today"),
            ("how-known", "heard_myself"),
        ],
        vec![],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let theirs: EntryId = id_after("/my/notes/", &location(&res));
    // Another family's note, a worker page, another family's record: nothing.
    assert_eq!(
        p1.get(&format!("/my/notes/{theirs}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        p1.get(&format!("/my/notes/{theirs}/check")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        p1.get("/my/notes/abc").await.status(),
        StatusCode::NOT_FOUND
    );
    for path in [
        format!("/families/{f2}"),
        format!("/families/{f1}"),
        format!("/information/{theirs}"),
        "/review".into(),
        "/intelligence".into(),
        "/caseload".into(),
    ] {
        let s = p1.get(&path).await.status();
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{path}: {s}"
        );
    }
    assert_eq!(
        p1.get(&format!("/api/v1/families/{f1}")).await.status(),
        StatusCode::FORBIDDEN
    );
    // A worker's page of a parent's note is theirs to review, not to check for the parent.
    assert_eq!(
        plo.get(&format!("/information/{theirs}/check"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // Workers cannot use the parent pages.
    assert_eq!(plo.get("/my").await.status(), StatusCode::FORBIDDEN);
    // The parent's own note is theirs.
    let (status, page) = p2.get_text(&format!("/my/notes/{theirs}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Nothing with identifiers.")
            && page.contains("<title>Your note – Notes</title>")
    );
}

async fn police_see_submissions_never_support_notes(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Mo", "Policeside").await;
    let plo = app.login("plo").await;
    let res = post_note(
        &plo,
        &format!("/families/{family}/information/new"),
        SIGHTING,
        vec![("IMG_A_Parent_home.jpg", photo_with_metadata())],
    )
    .await;
    let entry: EntryId = id_after("/information/", &location(&res));
    let police = app.login("police").await;
    // Entries, family records, contacts and chronology (support notes) are not theirs.
    for path in [
        format!("/information/{entry}"),
        format!("/families/{family}"),
        format!("/families/{family}/chronology"),
        format!("/families/{family}/information"),
    ] {
        assert_eq!(
            police.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        police
            .get(&format!("/api/v1/families/{family}/contacts"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // Once submitted, the submission (and its photo) reaches them, without the family's name.
    let actor = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let (sid, reference) = app
        .store
        .create_submission(
            &actor,
            family,
            &new_submission(&[entry], "A car.", "B2P"),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let (status, page) = police.get_text(&format!("/intelligence/{sid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&reference) && !page.contains("Policeside"),
        "no family name for the police"
    );
    // The photo reaches them as its picture alone (H2): no EXIF, no GPS, no owner, and
    // never the name it was sent with, on the page or in the download.
    assert!(
        !page.contains("IMG_") && !page.contains("A_Parent") && page.contains("Photo 1"),
        "{page}"
    );
    let photo = format!("/intelligence/{sid}/photos/1");
    let res = police.get(&photo).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-disposition"],
        "inline; filename=\"photo-1.jpg\""
    );
    let got = res.bytes().await.unwrap();
    assert_ne!(got.as_ref(), photo_with_metadata().as_slice());
    assert!(!has_photo_metadata(&got), "no metadata reaches the police");
    assert_eq!(
        image::load_from_memory(&got)
            .unwrap()
            .to_rgb8()
            .dimensions(),
        (4, 8),
        "turned upright by its orientation before the metadata went"
    );
    let (_, json) = police.get_text(&format!("/api/v1/submissions/{sid}")).await;
    assert!(
        !json.contains("IMG_") && !json.contains("A_Parent"),
        "{json}"
    );
    // A second hub's police partner: nothing, the submission and its photo answer as if
    // they did not exist.
    let other = app.login("south.police").await;
    for path in [
        format!("/intelligence/{sid}"),
        format!("/intelligence/{sid}/print"),
        format!("/api/v1/submissions/{sid}"),
        photo,
    ] {
        assert_eq!(
            other.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Nor a second hub's manager the entry.
    let other = app.login("south.manager").await;
    assert_eq!(
        other.get(&format!("/information/{entry}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_parent_logs_a_threat_against_the_family(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Pat", "Threatley").await;
    let plo = app.login("plo").await;
    let parent = joined_parent(&app, &plo, family, "pat.parent").await;
    let res = parent
        .post_form(
            "/my/incidents/new",
            &[
                ("reported", "yes"),
                ("description", "Someone shouted threats at our door."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Someone shouted threats at our door.")
            && page.contains("govuk-error-summary")
    );
    let today = chrono::Utc::now().date_naive();
    let (d, m, y) = (
        today.format("%d").to_string(),
        today.format("%m").to_string(),
        today.format("%Y").to_string(),
    );
    let res = parent
        .post_form(
            "/my/incidents/new",
            &[
                ("date-day", &d),
                ("date-month", &m),
                ("date-year", &y),
                ("kind", "threat_by_phone"),
                (
                    "description",
                    "Threatening calls from 07700 900456 after we spoke to the police.",
                ),
                ("people", "Danny K"),
                ("reported", "yes"),
                ("crime-reference", "SYN/1234/26"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, home) = parent.get_text("/my").await;
    assert!(home.contains("Threat by phone or message") && home.contains("SYN/1234/26"));
    let (_, chronology) = plo
        .get_text(&format!("/families/{family}/chronology"))
        .await;
    assert!(chronology
        .contains("Threat by phone or message; reported to police, crime reference SYN/1234/26"));

    // Told the police with no reference yet: accepted as reported (issue 11).
    let res = parent
        .post_form(
            "/my/incidents/new",
            &[
                ("date-day", &d),
                ("date-month", &m),
                ("date-year", &y),
                ("kind", "threat_in_person"),
                (
                    "description",
                    "A man at the door said we should stop talking.",
                ),
                ("reported", "pending"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, home) = parent.get_text("/my").await;
    assert!(
        home.contains("Your Parent Liaison Officer will read this."),
        "{home}"
    );

    // Both wait in the PLO's review queue; the PLO writes what followed, for the parent.
    let (_, queue) = plo.get_text("/review").await;
    assert!(queue.contains("Threats and incidents from parents and carers"));
    assert!(
        queue.contains("A man at the door said we should stop talking."),
        "{queue}"
    );
    assert!(queue.contains("Yes, no reference yet"));
    let text_at = queue.find("A man at the door").unwrap();
    let at = queue[..text_at]
        .rfind("href=\"/incidents/")
        .expect("a link to the threat")
        + "href=\"/incidents/".len();
    let incident: String = queue[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (status, page) = plo.get_text(&format!("/incidents/{incident}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Read and answer"));
    let res = plo
        .post_form(&format!("/incidents/{incident}/review"), &[("note", " ")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let note = "I have called the police officer in the case; I will phone you tomorrow.";
    let res = plo
        .post_form(&format!("/incidents/{incident}/review"), &[("note", note)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location_full(&res).starts_with("/review?done=incident-reviewed."));
    let (_, home) = parent.get_text("/my").await;
    assert!(home.contains(note), "the parent hears what followed");
    // A parent cannot reach the worker's page of it, nor another hub anything.
    assert_eq!(
        parent.get(&format!("/incidents/{incident}")).await.status(),
        StatusCode::FORBIDDEN
    );
    let south = app.login("south.plo").await;
    assert_eq!(
        south.get(&format!("/incidents/{incident}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, queue) = plo.get_text("/review").await;
    assert!(
        !queue.contains("A man at the door said we should stop talking."),
        "read, so off the queue"
    );
}

async fn the_information_log_through_the_api(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Ivo", "Apiston").await;
    let plo = app.login("plo").await;
    let path = format!("/api/v1/families/{family}/entries");
    let res = plo
        .post_json(&path, r#"{"what": "Seen with a man in a car, 0770 0900 123.", "approx": "Saturday night", "how_known": "child_told", "vehicle": "ab12 cd"}"#)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let res = plo.get(&format!("/api/v1/entries/{id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let e: serde_json::Value = res.json().await.unwrap();
    // A time of characters of several bytes is refused, never a 500 (schemathesis found it).
    let res = plo
        .post_json(&path, "{\"what\": \"x\", \"how_known\": \"seen_myself\", \"date\": \"2026-01-05\", \"time\": \"\u{65fdb}\"}")
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Times are UTC with Z (RFC 3339): a UK summer 10:00 is 09:00Z, a winter one 10:00Z.
    for (date, want) in [
        ("2026-07-01", "2026-07-01T09:00:00Z"),
        ("2026-01-05", "2026-01-05T10:00:00Z"),
    ] {
        let res = plo
            .post_json(
                &path,
                &format!(r#"{{"what": "Seen again.", "date": "{date}", "time": "10:00", "how_known": "seen_myself"}}"#),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let other = res.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap();
        let got: serde_json::Value = plo
            .get(&format!("/api/v1/entries/{other}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            got["row"]["occurred_at"]
                .as_str()
                .or(got["occurred_at"].as_str()),
            Some(want),
            "{got}"
        );
    }
    let ids = e["identifiers"].as_array().unwrap();
    assert!(ids
        .iter()
        .any(|i| i["value"] == "+447700900123" && i["raw"] == "0770 0900 123"));
    assert!(
        ids.iter()
            .any(|i| i["kind"] == "vehicle" && i["raw"] == "ab12 cd" && i["recognised"] == false),
        "a partial plate is kept as typed"
    );
    let res = plo.get(&path).await;
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "the entry, and the two dated ones"
    );
    // Bad input names the fields; unknown fields and bad JSON are refused; nothing stored.
    let res = plo
        .post_json(
            &path,
            r#"{"what": "", "how_known": "guessed", "date": "2999-01-01"}"#,
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
    assert!(
        fields.contains(&"what") && fields.contains(&"how_known") && fields.contains(&"date"),
        "{fields:?}"
    );
    assert_eq!(
        plo.post_json(
            &path,
            r#"{"what": "x", "how_known": "seen_myself", "colour": "red"}"#
        )
        .await
        .status(),
        StatusCode::BAD_REQUEST
    );
    let res = plo.get(&path).await;
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Police partners and other hubs: no.
    let police = app.login("police").await;
    assert_eq!(
        police.get(&format!("/api/v1/entries/{id}")).await.status(),
        StatusCode::FORBIDDEN
    );
    let south = app.login("south.manager").await;
    assert_eq!(
        south.get(&format!("/api/v1/entries/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Photos stored before photos were cleaned on the way in (here through the unchecked
/// path, which stores bytes and name as given) are cleaned when the store next starts;
/// one that cannot be read loses its name and never reaches the police.
async fn photos_stored_before_cleaning_are_cleaned_when_the_store_starts(db: Db) {
    use alongside_domain::information::entry::UncheckedEntry;
    use alongside_domain::information::HowKnown;
    use alongside_store::{NewAttachment, NewEntry};
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Kit", "Beforehand").await;
    let plo = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    let entry = app
        .store
        .add_entry(
            &plo,
            Some(family),
            &NewEntry::unchecked(UncheckedEntry {
                what: "A car outside.".into(),
                occurred_at: None,
                occurred_approx: Some("yesterday".into()),
                place: None,
                people: None,
                how_known: HowKnown::SeenMyself,
                how_known_who: None,
                how_known_detail: None,
                identifiers: vec![],
                attachments: vec![
                    NewAttachment::unchecked(
                        "IMG_A_Parent_home.jpg".into(),
                        "image/jpeg".into(),
                        photo_with_metadata(),
                    ),
                    NewAttachment::unchecked(
                        "A_Parent_broken.png".into(),
                        "image/png".into(),
                        b"\x89PNG\r\n\x1a\n cut short".to_vec(),
                    ),
                ],
            }),
            now,
        )
        .await
        .unwrap();
    let before = app.store.entry(&plo, entry).await.unwrap();
    assert_eq!(before.attachments[0].filename, "IMG_A_Parent_home.jpg");
    let (sid, _) = app
        .store
        .create_submission(
            &plo,
            family,
            &new_submission(&[entry], "A car.", "B2P"),
            now,
        )
        .await
        .unwrap();
    let police = app.login("police").await;
    let first = format!("/intelligence/{sid}/photos/1");
    assert_eq!(
        police.get(&first).await.status(),
        StatusCode::NOT_FOUND,
        "not yet cleaned: not served to the police"
    );

    app.store.migrate().await.expect("start again");

    let after = app.store.entry(&plo, entry).await.unwrap();
    assert_eq!(after.attachments[0].filename, "photo-1.jpg");
    assert_eq!(after.attachments[1].filename, "photo-2.png");
    assert_ne!(after.attachments[0].sha256, before.attachments[0].sha256);
    let res = police.get(&first).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!has_photo_metadata(&res.bytes().await.unwrap()));
    let second = format!("/intelligence/{sid}/photos/2");
    assert_eq!(police.get(&second).await.status(), StatusCode::NOT_FOUND);
    let (_, page) = police.get_text(&format!("/intelligence/{sid}")).await;
    assert!(
        !page.contains("A_Parent") && page.contains("Photo 2"),
        "{page}"
    );
    // Starting again changes nothing more.
    app.store.migrate().await.expect("start again");
    let again = app.store.entry(&plo, entry).await.unwrap();
    assert_eq!(again.attachments[0].sha256, after.attachments[0].sha256);
}

/// L6: a person may add so many photos a day (60, or 150 MB), and a family's log holds at
/// most 1 GB; past it the note is refused with what to do and what was typed kept. A form
/// body sent without a session is refused before it is read, and a large one is refused
/// unless someone is signed in; the sign-in, joining and reset pages keep no session.
async fn photos_have_quotas_and_anonymous_bodies_are_not_read(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Quota", "Keeper").await;
    let plo = app.login("plo").await;
    let parent = joined_parent(&app, &plo, family, "quota.parent").await;
    let photo = photo_with_metadata;
    let mut refused = None;
    for i in 0..25 {
        let res = post_note(
            &parent,
            "/my/notes/new",
            SIGHTING,
            vec![("a.png", photo()), ("b.png", photo()), ("c.png", photo())],
        )
        .await;
        if res.status() == StatusCode::UNPROCESSABLE_ENTITY {
            refused = Some((i, res.text().await.unwrap()));
            break;
        }
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "note {i}");
    }
    let (i, page) = refused.expect("refused once the day's photos are used");
    assert_eq!(i, 20, "60 photos a day, 3 a note");
    assert!(
        page.contains("as many photos as can be added in one day"),
        "{page}"
    );
    assert!(page.contains("By the park gates"), "what was typed is kept");
    // Without photos the note is saved.
    let res = post_note(&parent, "/my/notes/new", SIGHTING, vec![]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Anonymous: a 2 MB multipart body with no token is refused at once, and one with the
    // sign-in form's token is refused as too large. The server answers without reading
    // the body, so the client may see the connection close while it is still sending.
    let refused_unread =
        |res: Result<reqwest::Response, reqwest::Error>, want: StatusCode| match res {
            Ok(res) => assert_eq!(res.status(), want),
            Err(e) => assert!(e.is_request(), "{e}"),
        };
    let anon = app.browser();
    let big = vec![b'x'; 2 * 1024 * 1024];
    let form = Form::new()
        .text("csrf_token", "nothing")
        .part("photos", Part::bytes(big.clone()).file_name("x.png"));
    let res = anon
        .client
        .post(anon.url("/join"))
        .multipart(form)
        .send()
        .await;
    refused_unread(res, StatusCode::FORBIDDEN);
    // A new client: the refused request's connection is closed by the server, and a pooled
    // client may try it again before it has seen the close (IncompleteMessage).
    let anon = app.browser();
    let (_, page) = anon.get_text("/login").await;
    let token = csrf_in(&page);
    let form = Form::new()
        .text("csrf_token", token)
        .part("photos", Part::bytes(big).file_name("x.png"));
    let res = anon
        .client
        .post(anon.url("/join"))
        .multipart(form)
        .send()
        .await;
    refused_unread(res, StatusCode::PAYLOAD_TOO_LARGE);

    // The pages used before signing in keep no session.
    let rows = |url: String| async move {
        use sqlx::Connection;
        if url.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
                .fetch_one(&mut c)
                .await
                .unwrap()
        } else {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
                .fetch_one(&mut c)
                .await
                .unwrap()
        }
    };
    let before = rows(app.database.clone()).await;
    for path in ["/login", "/join", "/reset", "/login", "/join?code=ABCD"] {
        assert_eq!(
            app.browser().get(path).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }
    assert_eq!(
        rows(app.database.clone()).await,
        before,
        "no session row for them"
    );
    // And signing in still works from the form's token alone.
    let b = app.browser();
    assert_eq!(
        b.sign_in("plo", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}
