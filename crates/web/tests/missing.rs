//! The missing-from-home profile through HTTP on both backends (issue 12): a parent or
//! carer writes it on the portal and adds a photo (its metadata removed); every change
//! is a new version; the worker reads and changes it too; the print view holds it; bad
//! input is explained and kept; nobody outside the family and its workers reaches it.

mod common;

use common::*;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;

on_both_backends!(
    a_parent_keeps_the_profile_ready_and_every_version_is_kept,
    only_the_family_and_its_workers_reach_a_profile,
    the_profile_pdf_holds_its_text_and_photo,
    a_child_missing_now_is_told_at_once_and_completed_later,
    three_episodes_in_ninety_days_flag_a_plan_review,
    the_return_home_interview_is_offered_within_72_hours,
    the_police_read_a_profile_only_while_missing_or_shared,
    where_a_child_lives_and_the_reviews_at_16_and_18,
    search_nights_are_costed_at_the_hubs_unit_cost_and_patterns_shown,
);

/// The child's member id, from the family page's profile link.
async fn child_of(b: &Browser, family: FamilyId) -> String {
    let (_, page) = b.get_text(&format!("/families/{family}")).await;
    let marker = "href=\"/children/";
    let at = page.find(marker).expect("a profile link") + marker.len();
    page[at..].split('/').next().unwrap().to_string()
}

async fn post_photo(b: &Browser, path: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = b.csrf().await;
    let form = Form::new().text("csrf_token", token).part(
        "photos",
        Part::bytes(bytes)
            .file_name("photo.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    b.client
        .post(b.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn a_parent_keeps_the_profile_ready_and_every_version_is_kept(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Skye", "Profilewood").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let parent = joined_parent(&app, &plo, family, "profile.parent").await;
    let (_, home) = parent.get_text("/my").await;
    let mine = format!("/my/children/{child}/profile");
    assert!(home.contains(&mine), "{home}");
    // Nothing written: refused with a reason; a friend with no answer to "under 18?".
    let res = parent
        .post_form(&format!("{mine}/edit"), &[("read", "0")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Write at least one thing"));
    let res = parent
        .post_form(
            &format!("{mine}/edit"),
            &[
                ("read", "0"),
                ("hair", "Dark, shoulder length"),
                ("friend1-name", "Kai"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Say whether friend 1 is a child"), "{page}");
    assert!(page.contains("Dark, shoulder length"), "kept");
    // Saved: version 1.
    let fields = [
        ("read", "0"),
        ("nicknames", "Sky, Skye B"),
        ("hair", "Dark, shoulder length"),
        ("phones", "07700 900123 (her own)"),
        ("friend1-name", "Kai"),
        ("friend1-child", "yes"),
        ("friend1-about", "From school, lives on Mill Lane"),
        ("medication", "An inhaler, twice a day"),
    ];
    let res = parent.post_form(&format!("{mine}/edit"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), mine);
    // The same form again, made from version 0: someone saved meanwhile.
    let res = parent.post_form(&format!("{mine}/edit"), &fields).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // A photo: not an image, refused; a JPEG with metadata, kept without it.
    let res = post_photo(
        &parent,
        &format!("{mine}/photo"),
        b"not a photo at all".to_vec(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("is not a photo or screenshot"));
    let res = post_photo(&parent, &format!("{mine}/photo"), photo_with_metadata()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = parent.get(&format!("{mine}/photo")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    assert!(
        !has_photo_metadata(&bytes),
        "where and when it was taken, removed"
    );
    // The worker brings it up to date: version 2; the form starts from version 1.
    let theirs = format!("/children/{child}/profile");
    let (_, form) = plo.get_text(&format!("{theirs}/edit")).await;
    assert!(
        form.contains("An inhaler, twice a day"),
        "the form starts from what is saved"
    );
    let mut next: Vec<(&str, &str)> = fields.to_vec();
    next[0] = ("read", "1");
    next.push(("vehicles", "A grey car, AB12 CDE, seen twice"));
    let res = plo.post_form(&format!("{theirs}/edit"), &next).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = parent.get_text(&mine).await;
    assert!(
        page.contains("Version 2") && page.contains("Version 1"),
        "{page}"
    );
    assert!(page.contains("A grey car, AB12 CDE"));
    assert!(page.contains("Kai</bdi> (a child)"));
    let (status, print) = parent.get_text(&format!("{mine}/print")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("Philomena Protocol") && print.contains("An inhaler, twice a day"));
    assert!(print.contains(&format!("src=\"{mine}/photo\"")));
    let n = app
        .count_sql("SELECT COUNT(*) FROM missing_profile_versions")
        .await;
    assert_eq!(n, 2, "both versions kept");
    let (_, chron) = plo
        .get_text(&format!("/families/{family}/chronology"))
        .await;
    assert!(
        chron.contains("Missing-from-home profile for Skye made (version 1)"),
        "{chron}"
    );
}

async fn only_the_family_and_its_workers_reach_a_profile(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Remy", "Keptwell").await;
    let (_, other) = referred_and_allocated(&app, &manager, "Noor", "Elsewise").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let res = plo
        .post_form(
            &format!("/children/{child}/profile/edit"),
            &[("read", "0"), ("nicknames", "Rem")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stranger = joined_parent(&app, &plo, other, "elsewise.parent").await;
    for path in [
        format!("/my/children/{child}/profile"),
        format!("/my/children/{child}/profile/print"),
        format!("/my/children/{child}/profile/edit"),
        format!("/my/children/{child}/profile/photo"),
    ] {
        assert_eq!(
            stranger.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = stranger
        .post_form(
            &format!("/my/children/{child}/profile/edit"),
            &[("read", "1"), ("nicknames", "Not mine")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let south = app.login("south.plo").await;
    assert_eq!(
        south
            .get(&format!("/children/{child}/profile"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    for who in ["police", "socialcare", "commissioner", "admin"] {
        let b = app.login(who).await;
        let (status, page) = b.get_text(&format!("/children/{child}/profile")).await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{who}: {status}"
        );
        assert!(!page.contains("Rem"), "{who}");
    }
    // A parent or carer member is not a child: no profile page for them.
    let (_, page) = plo.get_text(&format!("/families/{family}")).await;
    assert!(!page.contains("/children/999999"));
    assert_eq!(
        plo.get("/children/999999/profile").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn the_profile_pdf_holds_its_text_and_photo(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Aria", "Pdfton").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let parent = joined_parent(&app, &plo, family, "pdf.parent").await;
    let mine = format!("/my/children/{child}/profile");
    // Not written yet: nothing to make a document of.
    assert_eq!(
        parent.get(&format!("{mine}.pdf")).await.status(),
        StatusCode::NOT_FOUND
    );
    let long = "A very long description of where she goes after school, ".repeat(40);
    let res = parent
        .post_form(
            &format!("{mine}/edit"),
            &[
                ("read", "0"),
                ("hair", "Dark, shoulder length"),
                ("phones", "07700 900123 (her own)"),
                ("vehicles", "A grey car, AB12 CDE"),
                ("places", &long),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_photo(&parent, &format!("{mine}/photo"), photo_with_metadata()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = parent.get(&format!("{mine}.pdf")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let pdf = res.bytes().await.unwrap().to_vec();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        !has_photo_metadata(&pdf),
        "the photo's metadata is not in the PDF"
    );
    // The worker's copy is the same document.
    assert_eq!(
        plo.get(&format!("/children/{child}/profile.pdf"))
            .await
            .status(),
        StatusCode::OK
    );
    // Read back by a PDF reader nobody here wrote (pypdf): the text, and the photo.
    let Some(python) = std::env::var_os("ALONGSIDE_ORACLE_PYTHON") else {
        assert!(
            std::env::var("ALONGSIDE_ORACLES_REQUIRED").as_deref() != Ok("1"),
            "ALONGSIDE_ORACLE_PYTHON is needed (a Python with pypdf)"
        );
        eprintln!("the PDF was not read back: ALONGSIDE_ORACLE_PYTHON is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(
            "import sys, pypdf\n\
             r = pypdf.PdfReader(sys.argv[1])\n\
             print('PAGES', len(r.pages))\n\
             print('IMAGES', sum(len(p.images) for p in r.pages))\n\
             print(' '.join(p.extract_text() for p in r.pages).replace('\\n', ' '))\n",
        )
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("IMAGES 1"), "{text}");
    assert!(
        !text.contains("PAGES 1\n"),
        "the long description runs onto a second page: {text}"
    );
    for want in [
        "Missing-from-home profile",
        "Aria",
        "Dark, shoulder length",
        "07700 900123",
        "AB12 CDE",
        "Version 1",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

async fn a_child_missing_now_is_told_at_once_and_completed_later(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Jude", "Missingham").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let parent = joined_parent(&app, &plo, family, "missing.parent").await;
    // No child chosen: asked for; a time that is not one: named; what was typed kept.
    let res = parent
        .post_form(
            "/my/missing-now",
            &[
                ("last-seen-time", "about nine"),
                ("last-seen-where", "The bus station"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Choose which child is missing"), "{page}");
    assert!(page.contains("The bus station"));
    // Another family's child is not theirs.
    let res = parent
        .post_form("/my/missing-now", &[("child", "999999")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = parent
        .post_form(
            "/my/missing-now",
            &[("child", &child), ("last-seen-where", "The bus station")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let next = location(&res);
    assert!(next.ends_with("/now"), "{next}");
    let (_, page) = parent.get_text(&next).await;
    assert!(page.contains("999") && page.contains(&format!("/my/children/{child}/profile.pdf")));
    let episode = next
        .trim_start_matches("/my/episodes/")
        .trim_end_matches("/now")
        .to_string();
    // The PLO sees it at once.
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(caseload.contains("Missing now"), "{caseload}");
    assert!(caseload.contains(&format!("/episodes/{episode}")));
    // Completed later: a return before the departure is refused, with what was typed kept.
    // Last seen yesterday (today's 00:30 is still to come in the first half hour of a day).
    let (d, m, y) = {
        let t = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
        (
            t.format("%-d").to_string(),
            t.format("%-m").to_string(),
            t.format("%Y").to_string(),
        )
    };
    let (yd, ym, yy) = {
        let t = chrono::Utc::now().date_naive() - chrono::Duration::days(2);
        (
            t.format("%-d").to_string(),
            t.format("%-m").to_string(),
            t.format("%Y").to_string(),
        )
    };
    let fields = |rd: &str, rm: &str, ry: &str| {
        vec![
            ("last-seen-day".to_string(), d.clone()),
            ("last-seen-month".to_string(), m.clone()),
            ("last-seen-year".to_string(), y.clone()),
            ("last-seen-time".to_string(), "00:05".to_string()),
            ("reported".to_string(), "yes".to_string()),
            ("reported-on-day".to_string(), d.clone()),
            ("reported-on-month".to_string(), m.clone()),
            ("reported-on-year".to_string(), y.clone()),
            ("police-reference".to_string(), "DEMO-MISS-0042".to_string()),
            ("risk".to_string(), "high".to_string()),
            (
                "clothing".to_string(),
                "Black puffer jacket, grey joggers, white trainers".to_string(),
            ),
            ("returned-day".to_string(), rd.to_string()),
            ("returned-month".to_string(), rm.to_string()),
            ("returned-year".to_string(), ry.to_string()),
            ("returned-time".to_string(), "00:01".to_string()),
            ("found-by".to_string(), "parent".to_string()),
            (
                "found-where".to_string(),
                "At a friend's flat on Mill Lane".to_string(),
            ),
            ("search-nights".to_string(), "1".to_string()),
        ]
    };
    let res = plo
        .post_pairs(&format!("/episodes/{episode}"), &fields(&yd, &ym, &yy))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("They cannot have come back before they were last seen"),
        "{page}"
    );
    assert!(page.contains("Black puffer jacket"), "kept");
    let mut ok = fields(&d, &m, &y);
    for f in ok.iter_mut() {
        if f.0 == "returned-time" {
            f.1 = "00:30".into();
        }
    }
    let res = plo.post_pairs(&format!("/episodes/{episode}"), &ok).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(
        !caseload.contains(&format!("/episodes/{episode}\"")),
        "no longer missing"
    );
    // The profile lists it; the parent reads it; the chronology has both lines.
    let (_, profile) = parent
        .get_text(&format!("/my/children/{child}/profile"))
        .await;
    assert!(
        profile.contains("At a friend&#39;s flat on Mill Lane"),
        "{profile}"
    );
    let (_, chron) = plo
        .get_text(&format!("/families/{family}/chronology"))
        .await;
    assert!(
        chron.contains("Jude reported missing by their parent or carer"),
        "{chron}"
    );
    assert!(chron.contains("Jude found"));
    // What it replaced is in the audit log.
    let n = app
        .count_sql(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE record_type = 'missing_episode' AND action = 'update' AND record_id = {episode} AND before_value IS NOT NULL"
        ))
        .await;
    assert_eq!(n, 1);
}

async fn three_episodes_in_ninety_days_flag_a_plan_review(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Wren", "Oftenly").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    for days_ago in [50, 20, 5] {
        let t = chrono::Utc::now().date_naive() - chrono::Duration::days(days_ago);
        let r = t + chrono::Duration::days(1);
        let res = plo
            .post_form(
                &format!("/children/{child}/episodes/new"),
                &[
                    ("last-seen-day", &t.format("%-d").to_string()),
                    ("last-seen-month", &t.format("%-m").to_string()),
                    ("last-seen-year", &t.format("%Y").to_string()),
                    ("returned-day", &r.format("%-d").to_string()),
                    ("returned-month", &r.format("%-m").to_string()),
                    ("returned-year", &r.format("%Y").to_string()),
                    ("found-by", "police"),
                    ("search-nights", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, caseload) = plo.get_text("/caseload").await;
        assert_eq!(
            caseload.contains("Missing 3 times in 90 days"),
            days_ago == 5,
            "after the episode {days_ago} days ago"
        );
    }
    let (_, capacity) = manager.get_text("/capacity").await;
    assert!(capacity.contains("Missing 3 times in 90 days"));
    // Another hub's worker and the police: as if there were none.
    let south = app.login("south.plo").await;
    assert_eq!(
        south
            .get(&format!("/children/{child}/episodes/new"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let police = app.login("police").await;
    assert_ne!(
        police
            .get(&format!("/children/{child}/episodes/new"))
            .await
            .status(),
        StatusCode::OK
    );
}

async fn the_return_home_interview_is_offered_within_72_hours(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Ines", "Returnley").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let parent = joined_parent(&app, &plo, family, "interview.parent").await;
    let t = chrono::Utc::now().date_naive() - chrono::Duration::days(2);
    let r = t + chrono::Duration::days(1);
    let day = |d: chrono::NaiveDate| {
        (
            d.format("%-d").to_string(),
            d.format("%-m").to_string(),
            d.format("%Y").to_string(),
        )
    };
    let (td, tm, ty) = day(t);
    let (rd, rm, ry) = day(r);
    let res = plo
        .post_form(
            &format!("/children/{child}/episodes/new"),
            &[
                ("last-seen-day", &td),
                ("last-seen-month", &tm),
                ("last-seen-year", &ty),
                ("returned-day", &rd),
                ("returned-month", &rm),
                ("returned-year", &ry),
                ("found-by", "came_back"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let episode = location(&res);
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(
        caseload.contains("Return-home interviews to offer"),
        "{caseload}"
    );
    assert!(
        !caseload.contains("govuk-tag--red\">Overdue"),
        "within 72 hours"
    );
    let id = episode.trim_start_matches("/episodes/");
    app.exec_sql(&format!(
        "UPDATE missing_episodes SET returned_at = '{}' WHERE id = {id}",
        (chrono::Utc::now().naive_utc() - chrono::Duration::days(4)).format("%Y-%m-%d %H:%M:%S")
    ))
    .await;
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(caseload.contains("govuk-tag--red\">Overdue"), "{caseload}");
    // Declined, without what was offered to the carers: asked for, the rest kept.
    let (od, om, oy) = day(chrono::Utc::now().date_naive());
    let res = plo
        .post_form(
            &format!("{episode}/interview"),
            &[
                ("outcome", "declined"),
                ("offered-day", &od),
                ("offered-month", &om),
                ("offered-year", &oy),
                ("offered-by", "An independent worker, Demo Youth Service"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Say what information was offered to the parents or carers instead"),
        "{page}"
    );
    assert!(page.contains("Demo Youth Service"), "kept");
    let res = plo
        .post_form(
            &format!("{episode}/interview"),
            &[
                ("outcome", "held"),
                ("offered-day", &od),
                ("offered-month", &om),
                ("offered-year", &oy),
                ("offered-by", "An independent worker, Demo Youth Service"),
                ("independent", "yes"),
                ("where-went", "A flat above a shop in another town"),
                ("pull-factors", "Promised money and a phone"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(
        !caseload.contains("Return-home interviews to offer"),
        "recorded"
    );
    let (_, page) = plo.get_text(&episode).await;
    assert!(page.contains("A flat above a shop in another town"));
    // The parent reads that it was held, not what the child said.
    let (status, page) = parent.get_text(&format!("/my{episode}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Return-home interview") && page.contains("Held"),
        "{page}"
    );
    assert!(
        !page.contains("A flat above a shop"),
        "the child's account stays with the team"
    );
    assert!(!page.contains("Save the interview"));
}

async fn the_police_read_a_profile_only_while_missing_or_shared(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Tove", "Sharewell").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let parent = joined_parent(&app, &plo, family, "share.parent").await;
    let mine = format!("/my/children/{child}/profile");
    let theirs = format!("/police/children/{child}/profile");
    // Nothing to share before the profile is written.
    let res = parent
        .post_form(
            &format!("{mine}/share"),
            &[("share-reason", "An officer asked")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Write the profile first"));
    let res = parent
        .post_form(
            &format!("{mine}/edit"),
            &[("read", "0"), ("nicknames", "Tovi")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Neither missing nor shared: the police reach nothing, and their list is empty of it.
    let police = app.login("police").await;
    for path in [
        theirs.clone(),
        format!("{theirs}/print"),
        format!("{theirs}/photo"),
        format!("/police/children/{child}/profile.pdf"),
    ] {
        assert_eq!(
            police.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (_, list) = police.get_text("/police/profiles").await;
    assert!(!list.contains(&theirs), "{list}");
    // Shared by the parent without a reason: asked for one.
    let res = parent.post_form(&format!("{mine}/share"), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Enter why the police should have it now"));
    let res = parent
        .post_form(
            &format!("{mine}/share"),
            &[("share-reason", "The officer looking into the car")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Shared twice: refused, the first share kept.
    let res = plo
        .post_form(
            &format!("/children/{child}/profile/share"),
            &[("share-reason", "Again")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already shared"));
    let (_, list) = police.get_text("/police/profiles").await;
    assert!(
        list.contains(&theirs) && list.contains("The officer looking into the car"),
        "{list}"
    );
    let reads = format!(
        "SELECT COUNT(*) FROM audit_events WHERE username = 'police' AND action = 'read' \
         AND record_type = 'missing_profile' AND family_id = {family}"
    );
    let before = app.count_sql(&reads).await;
    let (status, page) = police.get_text(&theirs).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Tovi") && page.contains("because it was shared with you"),
        "{page}"
    );
    // Read only: no way to change it on the page, and every change refused.
    assert!(!page.contains("/edit\""), "{page}");
    assert_eq!(
        app.count_sql(&reads).await,
        before + 1,
        "the read is audited"
    );
    for path in [
        format!("/children/{child}/profile/edit"),
        format!("/my/children/{child}/profile/edit"),
        format!("/children/{child}/profile/share/withdraw"),
    ] {
        let res = police
            .post_form(&path, &[("read", "1"), ("nicknames", "Changed")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // Another hub's police partner: not found, as if there were no such child.
    let south = app.login("south.police").await;
    assert_eq!(south.get(&theirs).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = south.get_text("/police/profiles").await;
    assert!(!list.contains("Tovi"));
    // Withdrawn by the PLO: gone from the police again.
    let res = plo
        .post_form(&format!("/children/{child}/profile/share/withdraw"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(police.get(&theirs).await.status(), StatusCode::NOT_FOUND);
    // Missing now: the police read it until the child is back.
    let res = parent
        .post_form("/my/missing-now", &[("child", &child)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, page) = police.get_text(&theirs).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("is missing"), "{page}");
    assert!(police
        .get(&format!("/police/children/{child}/profile.pdf"))
        .await
        .status()
        .is_success());
    let episode = location(&res)
        .trim_start_matches("/my/episodes/")
        .trim_end_matches("/now")
        .to_string();
    // The episode's own record stays with the family and its workers.
    assert_eq!(
        police.get(&format!("/episodes/{episode}")).await.status(),
        StatusCode::FORBIDDEN
    );
    app.exec_sql(&format!(
        "UPDATE missing_episodes SET returned_at = last_seen_at WHERE id = {episode}"
    ))
    .await;
    assert_eq!(police.get(&theirs).await.status(), StatusCode::NOT_FOUND);
    // An episode left open (here: the parent reports again, then a worker records that
    // absence from an earlier last-seen with its return): back is back, the reading ends.
    let res = parent
        .post_form("/my/missing-now", &[("child", &child)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(police.get(&theirs).await.status(), StatusCode::OK);
    app.exec_sql(&format!(
        "INSERT INTO missing_episodes (hub_id, family_id, child_member_id, last_seen_at, returned_at, search_nights, opened_by, opened_at, updated_at) \
         SELECT hub_id, family_id, child_member_id, last_seen_at, last_seen_at, 0, opened_by, opened_at, updated_at FROM missing_episodes \
         WHERE child_member_id = {child} AND returned_at IS NULL"
    ))
    .await;
    assert_eq!(police.get(&theirs).await.status(), StatusCode::NOT_FOUND);
    // Shared, then the case closed by the manager: the share ends with it.
    let res = parent
        .post_form(
            &format!("{mine}/share"),
            &[("share-reason", "For the officer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(police.get(&theirs).await.status(), StatusCode::OK);
    let res = manager
        .post_form(
            &format!("/families/{family}/closure"),
            &[
                ("reason", "Safe"),
                ("parent-view", "Ready"),
                ("step-down", "Early help"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(police.get(&theirs).await.status(), StatusCode::NOT_FOUND);
    // The family may share it again.
    let (_, page) = parent.get_text(&mine).await;
    assert!(page.contains("Share it with the police"), "{page}");
}

/// A date's GOV.UK form fields.
fn date_fields(name: &str, d: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{name}-day"), d.format("%-d").to_string()),
        (format!("{name}-month"), d.format("%-m").to_string()),
        (format!("{name}-year"), d.format("%Y").to_string()),
    ]
}

async fn where_a_child_lives_and_the_reviews_at_16_and_18(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Ola", "Placewell").await;
    let (_, other) = referred_and_allocated(&app, &manager, "Ines", "Otherwise").await;
    let plo = app.login("plo").await;
    let child = child_of(&plo, family).await;
    let path = format!("/children/{child}/placements");
    let today = chrono::Utc::now().date_naive();
    // Foster care without the contact arrangements: asked for, what was typed kept.
    let mut fields = vec![
        ("kind".to_string(), "foster".to_string()),
        ("place".to_string(), "Carers in the next town".to_string()),
    ];
    fields.extend(date_fields("from", today - chrono::Duration::days(30)));
    let res = plo.post_pairs(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Enter how they and their parents keep in touch"),
        "{page}"
    );
    assert!(page.contains("Carers in the next town"));
    fields.push((
        "contact".into(),
        "Saturdays at the family centre; calls on Wednesdays".into(),
    ));
    let res = plo.post_pairs(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = plo.get_text(&path).await;
    assert!(
        page.contains("In foster care") && page.contains("Not agreed yet"),
        "{page}"
    );
    // The parents read it on the portal, with how they keep in touch.
    let parent = joined_parent(&app, &plo, family, "place.parent").await;
    let (status, page) = parent
        .get_text(&format!("/my/children/{child}/placements"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Saturdays at the family centre"), "{page}");
    assert!(
        !page.contains("Save where they live"),
        "parents read, not record"
    );
    assert_eq!(
        parent.post_pairs(&path, &fields).await.status(),
        StatusCode::FORBIDDEN
    );
    // Starting before the current placement: refused, nothing changed.
    let mut early = vec![("kind".to_string(), "home".to_string())];
    early.extend(date_fields("from", today - chrono::Duration::days(60)));
    let res = plo.post_pairs(&path, &early).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("before the current placement began"));
    // Home again: the foster placement ends that day, and the history shows both.
    let mut home = vec![("kind".to_string(), "home".to_string())];
    home.extend(date_fields("from", today));
    assert_eq!(
        plo.post_pairs(&path, &home).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = plo.get_text(&path).await;
    assert!(page.contains("Where they have lived") && page.contains("At home with their family"));
    // Nobody else reaches it.
    let stranger = joined_parent(&app, &plo, other, "place.stranger").await;
    assert_eq!(
        stranger
            .get(&format!("/my/children/{child}/placements"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.login("south.plo").await.get(&path).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.login("police").await.get(&path).await.status(),
        StatusCode::FORBIDDEN
    );
    // Sixteen in ten days: the caseload asks for a transition review until one is held.
    let born = today - chrono::Duration::days(16 * 365 + 4 - 10);
    app.exec_sql(&format!(
        "UPDATE family_members SET date_of_birth = '{born}' WHERE id = {child}"
    ))
    .await;
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(
        caseload.contains("Transition reviews due") && caseload.contains(&path),
        "{caseload}"
    );
    let res = plo
        .post_pairs(
            &format!("/children/{child}/transition-reviews"),
            &[("age".into(), "16".into())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter what was agreed"));
    let mut review = vec![
        ("age".to_string(), "16".to_string()),
        (
            "notes".to_string(),
            "The PLO stays; college support to be asked for".to_string(),
        ),
    ];
    review.extend(date_fields("held-on", today));
    let res = plo
        .post_pairs(&format!("/children/{child}/transition-reviews"), &review)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, caseload) = plo.get_text("/caseload").await;
    assert!(!caseload.contains("Transition reviews due"), "{caseload}");
    let (_, page) = parent
        .get_text(&format!("/my/children/{child}/placements"))
        .await;
    assert!(page.contains("college support"), "{page}");
}

async fn search_nights_are_costed_at_the_hubs_unit_cost_and_patterns_shown(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.login("admin").await;
    let (status, page) = admin.get_text("/admin/unit-costs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("value=\"1,300\"") && page.contains("The model's figure: £1,300"),
        "{page}"
    );
    // Not money: explained, what was typed kept, nothing changed.
    let res = admin
        .post_form(
            "/admin/unit-costs",
            &[
                ("search_night", "ten"),
                ("plo_week", "50"),
                ("residential_week", "4,500"),
                ("looked_after_year", "37,669"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("in pounds, like 1300") && page.contains("value=\"ten\""),
        "{page}"
    );
    let res = admin
        .post_form(
            "/admin/unit-costs",
            &[
                ("search_night", "£1,250.50"),
                ("plo_week", "50"),
                ("residential_week", "4,500"),
                ("looked_after_year", "37,669"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let changed = app
        .count_sql("SELECT COUNT(*) FROM audit_events WHERE username = 'admin' AND record_type = 'hub_setting' AND action = 'update'")
        .await;
    assert_eq!(changed, 1, "one change, audited");
    let plo = app.login("plo").await;
    assert_eq!(
        plo.get("/admin/unit-costs").await.status(),
        StatusCode::FORBIDDEN
    );
    // An episode with two search nights is costed at the hub's figure.
    let manager = app.login("manager").await;
    let (_, family) = referred_and_allocated(&app, &manager, "Ren", "Costwell").await;
    let child = child_of(&plo, family).await;
    let today = chrono::Utc::now().date_naive();
    for (days, place) in [
        (20, "The bus station"),
        (10, "the bus station"),
        (5, "A flat in town"),
    ] {
        let d = today - chrono::Duration::days(days);
        let back = d + chrono::Duration::days(2);
        let res = plo
            .post_pairs(
                &format!("/children/{child}/episodes/new"),
                &[
                    ("last-seen-day".into(), d.format("%-d").to_string()),
                    ("last-seen-month".into(), d.format("%-m").to_string()),
                    ("last-seen-year".into(), d.format("%Y").to_string()),
                    ("last-seen-time".into(), "23:00".into()),
                    ("returned-day".into(), back.format("%-d").to_string()),
                    ("returned-month".into(), back.format("%-m").to_string()),
                    ("returned-year".into(), back.format("%Y").to_string()),
                    ("found-where".into(), place.into()),
                    ("found-by".into(), "police".into()),
                    ("search-nights".into(), "2".into()),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "{}",
            res.text().await.unwrap()
        );
        if days == 5 {
            let (_, page) = plo.get_text(&location(&res)).await;
            assert!(
                page.contains("£1,250.50 a night, this episode's searching cost £2,501"),
                "{page}"
            );
        }
    }
    let (_, page) = plo.get_text(&format!("/children/{child}/profile")).await;
    assert!(
        page.contains("Patterns") && page.contains("At night (10pm to 6am): 3"),
        "{page}"
    );
    assert!(
        page.to_lowercase().contains("the bus station</bdi>: 2"),
        "the same place written twice counts once"
    );
}
