//! The network picture through HTTP on both backends: the hub's page ranks what links
//! families; police partners see families only by reference; a family's page shows other
//! families it shares something with, unnamed unless the viewer holds them; exports carry
//! sources and dates, and the GraphML is read back by a real reader (NetworkX).

mod common;

use common::*;
use reqwest::multipart::Form;
use reqwest::StatusCode;

on_both_backends!(
    the_network_picture_and_its_exports,
    people_are_merged_and_unmerged_by_a_person,
);

async fn post_entry(b: &Browser, family: FamilyId, fields: &[(&str, &str)]) {
    let token = b.csrf().await;
    let mut form = Form::new().text("csrf_token", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let res = b
        .client
        .post(b.url(&format!("/families/{family}/information/new")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

async fn the_network_picture_and_its_exports(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, f1) = referred_and_allocated(&app, &manager, "Noor", "Netone").await;
    let (_, f2) = referred_and_allocated(&app, &manager, "Pip", "Nettwo").await;
    let plo = app.login("plo").await;
    post_entry(
        &plo,
        f1,
        &[
            ("what", "Car AB12 CDE and phone 07700 900123."),
            ("approx", "today"),
            ("how-known", "seen_myself"),
        ],
    )
    .await;
    post_entry(
        &plo,
        f2,
        &[
            ("what", "The same car, ab12cde, again."),
            ("approx", "today"),
            ("how-known", "seen_myself"),
        ],
    )
    .await;

    let (status, page) = manager.get_text("/network").await;
    assert_eq!(status, StatusCode::OK);
    // Without JavaScript, every link is listed, with betweenness in plain words; the
    // drawing has a key.
    assert!(
        page.contains("<caption class=\"govuk-visually-hidden\">Links between families"),
        "{page}"
    );
    assert!(page.contains("Vehicle registration: <bdi>AB12 CDE</bdi>"));
    assert!(page.contains("lies on the shortest path between two others"));
    assert!(page.contains("Key to the drawing"));
    let car = page.find("AB12 CDE").expect("the car is ranked");
    let phone = page.find("+447700900123").expect("the phone is listed");
    assert!(car < phone, "the car links two families and ranks first");
    assert!(page.contains("2 families"), "{page}");
    // Filtered to phones only, the car is gone; a nonsense date is explained, not a 500.
    let (_, page) = manager.get_text("/network?kind=phone").await;
    assert!(!page.contains("AB12 CDE") && page.contains("+447700900123"));
    let (status, page) = manager
        .get_text("/network?from-day=31&from-month=2&from-year=2026")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("must be a real date"));

    // Police partners: only what was passed to them, families numbered within the picture
    // (no name, no record id that a submission or other page could tie to a family).
    let police = app.login("police").await;
    let (status, json) = police.get_text("/network/graph.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !json.contains("AB12CDE"),
        "nothing unsubmitted reaches the police: {json}"
    );
    let plo_actor = app
        .store
        .actor(user_id(&app, "plo").await, app.hub_a)
        .await
        .unwrap()
        .unwrap();
    let entry = app.store.family_entries(&plo_actor, f1).await.unwrap()[0].id;
    reviewed_relevant(&app, &plo_actor, entry).await;
    app.store
        .create_submission(
            &plo_actor,
            f1,
            &new_submission(&[entry], "A car and a phone.", "B2P"),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let (_, json) = police.get_text("/network/graph.json").await;
    assert!(
        json.contains("vehicle:AB12CDE") && json.contains("+447700900123"),
        "{json}"
    );
    assert!(
        json.contains("\"Family 1\"") && !json.contains("\"Family 2\""),
        "{json}"
    );
    assert!(!json.contains("Netone") && !json.contains("Nettwo") && !json.contains("Family ref."));
    let (_, i2) = police.get_text("/network/export/i2-links.csv").await;
    assert!(
        i2.contains("entry 1 (parent liaison officer: i saw it myself)"),
        "{i2}"
    );

    // A family's own picture; a worker who does not hold the other family sees a reference.
    let (status, page) = plo.get_text(&format!("/families/{f1}/network")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("AB12 CDE"));
    assert_eq!(
        police
            .get(&format!("/families/{f1}/network"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(plo.get("/network").await.status(), StatusCode::FORBIDDEN);
    let south = app.login("south.manager").await;
    let (_, page) = south.get_text("/network").await;
    assert!(
        !page.contains("AB12"),
        "another hub's picture holds nothing of this one"
    );

    // Exports.
    let (status, gml) = manager.get_text("/network/export/network.graphml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(gml.contains("<graphml") && gml.contains("entry "));
    // Every source says who recorded it (by role, never by name) and how they know.
    assert!(
        gml.contains("(parent liaison officer: i saw it myself)"),
        "{gml}"
    );
    let (_, nodes) = manager.get_text("/network/export/gephi-nodes.csv").await;
    assert!(nodes
        .starts_with("\u{feff}Id,Label,Kind,Degree,Betweenness,FirstSeen,LastSeen,Sources\r\n"));
    let (_, i2) = manager.get_text("/network/export/i2-links.csv").await;
    assert!(i2.contains("Vehicle,vehicle:AB12CDE,AB12 CDE"), "{i2}");
    assert_eq!(
        manager.get("/network/export/other.txt").await.status(),
        StatusCode::NOT_FOUND
    );

    // A real GraphML reader reads it back with its attributes.
    let python = std::env::var("ALONGSIDE_GRAPHML_PYTHON").unwrap_or_else(|_| {
        panic!("set ALONGSIDE_GRAPHML_PYTHON to a Python with NetworkX (scripts/test installs one)")
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("network.graphml");
    std::fs::write(&file, &gml).unwrap();
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(
            "import sys, networkx as nx\n\
             g = nx.read_graphml(sys.argv[1])\n\
             [car_id] = [n for n, d in g.nodes(data=True) if d['identity'] == 'vehicle:AB12CDE']\n\
             car = g.nodes[car_id]\n\
             assert car['kind'] == 'vehicle' and car['degree'] == 2, car\n\
             assert g.degree(car_id) == 2\n\
             e = next(iter(g.edges(data=True)))\n\
             assert 'sources' in e[2] and 'first_seen' in e[2], e\n\
             print(g.number_of_nodes(), g.number_of_edges())",
        )
        .arg(&file)
        .output()
        .expect("run the GraphML reader");
    assert!(
        out.status.success(),
        "NetworkX could not read the export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "4 3");
}

async fn people_are_merged_and_unmerged_by_a_person(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, f1) = referred_and_allocated(&app, &manager, "Mae", "Mergeone").await;
    let (_, f2) = referred_and_allocated(&app, &manager, "Lu", "Mergetwo").await;
    let plo = app.login("plo").await;
    post_entry(
        &plo,
        f1,
        &[
            ("what", "Seen with him."),
            ("approx", "today"),
            ("how-known", "seen_myself"),
            ("people", "Danny K"),
        ],
    )
    .await;
    post_entry(
        &plo,
        f2,
        &[
            ("what", "Seen with him."),
            ("approx", "today"),
            ("how-known", "seen_myself"),
            ("people", "Dan Kay"),
        ],
    )
    .await;
    let (_, page) = manager.get_text("/network").await;
    assert!(page.contains("danny k") && page.contains("dan kay"));
    assert!(!page.contains("dan kay = danny k"));
    // Refused without a reason, or the same name twice; kept as chosen.
    let res = manager
        .post_form(
            "/network/merges",
            &[("a", "danny k"), ("b", "danny k"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Choose two different people")
            && page.contains("Enter why they are one person")
    );
    // In the error summary at the top of the page, and the title says so.
    let summary = page.find("govuk-error-summary").expect("an error summary");
    assert!(
        summary < page.find("<h1").unwrap(),
        "the summary comes first"
    );
    assert!(page.contains("<title>Error: Network picture"));
    // A name not recorded in this hub is refused, not merged.
    let res = manager
        .post_form(
            "/network/merges",
            &[("a", "danny k"), ("b", "someone else"), ("reason", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = manager
        .post_form(
            "/network/merges",
            &[
                ("a", "danny k"),
                ("b", "dan kay"),
                ("reason", "Same phone and description in both records."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager.get_text("/network").await;
    assert!(page.contains("dan kay = danny k"), "one node now");
    assert!(page.contains("Same phone and description"));
    // The police partner unmerges it, with a reason; the history stays.
    let police = app.login("police").await;
    let merges = app
        .store
        .person_merges(
            &app.store
                .actor(user_id(&app, "police").await, app.hub_a)
                .await
                .unwrap()
                .unwrap(),
        )
        .await
        .unwrap();
    let id = merges[0].id;
    let res = police
        .post_form(&format!("/network/merges/{id}/unmerge"), &[("reason", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = police
        .post_form(
            &format!("/network/merges/{id}/unmerge"),
            &[("reason", "Different dates of birth on police systems.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager.get_text("/network").await;
    assert!(
        !page.contains("dan kay = danny k")
            && page.contains("(undone)")
            && page.contains("Different dates of birth")
    );
    // Audited, both ways; a PLO cannot merge; another hub cannot unmerge.
    let admin_view = app.login("admin").await;
    let (_, audit) = admin_view.get_text("/audit?action=merge").await;
    assert!(audit.contains("merge"));
    assert_eq!(
        plo.post_form(
            "/network/merges",
            &[("a", "danny k"), ("b", "dan kay"), ("reason", "x")]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let south = app.login("south.manager").await;
    assert_eq!(
        south
            .post_form(&format!("/network/merges/{id}/unmerge"), &[("reason", "x")])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
