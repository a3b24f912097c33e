//! Evidence items with their chain of custody, and threats and harassment against the
//! family, through HTTP on both backends: recording, handovers and corrections (never
//! edits), the police partner's side, hub isolation, bad input, the chronology, the
//! manager's counts and the JSON API.

mod common;

use common::*;
use reqwest::StatusCode;

on_both_backends!(
    evidence_chain_of_custody_is_appended_and_corrected_never_edited,
    police_partners_handle_the_hubs_evidence_but_not_family_records,
    evidence_input_faults_are_explained_and_kept,
    incidents_reach_the_list_the_chronology_and_the_counts,
    incident_input_faults_are_explained_and_kept,
    the_incident_report_is_for_managers_and_checks_its_date,
    evidence_and_incidents_through_the_api,
    the_custody_table_refuses_changes_in_the_database,
);

/// A date `days` from today (negative: in the past), as form parts.
fn date_parts(days: i64) -> (String, String, String) {
    let d = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    (
        d.format("%-d").to_string(),
        d.format("%-m").to_string(),
        d.format("%Y").to_string(),
    )
}

fn iso_date(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The fields of a valid evidence form, found `days` ago.
fn evidence_fields(description: &str, days_ago: i64) -> Vec<(String, String)> {
    let (d, m, y) = date_parts(-days_ago);
    [
        ("kind", "phone"),
        ("description", description),
        ("found-by", "Sam Dunmere, the child's mother"),
        ("found-on-day", &d),
        ("found-on-month", &m),
        ("found-on-year", &y),
        ("found-time", "10:00"),
        ("found-where", "In a coat pocket in the hallway"),
        ("storage", "Sealed bag, not handled, photographed in place"),
        ("reference-numbers", "Bag seal 00412"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn handover_fields<'a>(
    by: &'a str,
    to: &'a str,
    collar: &'a str,
    parts: &'a (String, String, String),
    reference: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("handed-by", by),
        ("handed-to", to),
        ("collar-number", collar),
        ("handed-on-day", &parts.0),
        ("handed-on-month", &parts.1),
        ("handed-on-year", &parts.2),
        ("handed-time", "11:30"),
        ("reference", reference),
        ("handover-note", ""),
    ]
}

/// Records an evidence item for the family as `b`; returns its id.
async fn record_evidence(b: &Browser, family_id: FamilyId, description: &str) -> i64 {
    let res = b
        .post_pairs(
            &format!("/families/{family_id}/evidence/new"),
            &evidence_fields(description, 2),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "evidence saved");
    location(&res)
        .strip_prefix("/evidence/")
        .expect("redirect to the item")
        .parse()
        .expect("item id")
}

/// The body rows of the chain-of-custody table, in order.
fn custody_rows(page: &str) -> Vec<String> {
    let start = page
        .find("Chain of custody, oldest entry first")
        .expect("a custody table");
    let rest = &page[start..];
    let end = rest.find("</tbody>").expect("end of the table");
    rest[..end]
        .split("<tr class=\"govuk-table__row\">")
        .skip(2)
        .map(str::to_string)
        .collect()
}

async fn setup_on(db: Db) -> (TestApp, Browser, FamilyId) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (_, family_id) = referred_and_allocated(&app, &manager, "Ash", "Dunmere").await;
    let plo = app.login("plo").await;
    (app, plo, family_id)
}

async fn evidence_chain_of_custody_is_appended_and_corrected_never_edited(db: Db) {
    let (app, plo, family_id) = setup_on(db).await;
    let (status, page) = plo
        .get_text(&format!("/families/{family_id}/evidence"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Record an evidence item"));
    assert!(page.contains("No evidence items have been recorded"));

    let id = record_evidence(&plo, family_id, "A black phone in a cracked blue case").await;
    let (status, page) = plo.get_text(&format!("/evidence/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("A black phone in a cracked blue case"));
    assert!(page.contains("Sealed bag, not handled, photographed in place"));
    assert!(page.contains("Bag seal 00412"));
    assert!(page.contains("No handovers yet"));
    // The form offers whoever holds it now as the one handing it over.
    assert!(
        page.contains("value=\"Sam Dunmere, the child&#39;s mother\"")
            || page.contains("value=\"Sam Dunmere, the child&#x27;s mother\""),
        "handed-by prefilled"
    );

    let when = date_parts(-1);
    let res = plo
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields(
                "Sam Dunmere",
                "Alex Rowe, Parent Liaison Officer",
                "",
                &when,
                "",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/evidence/{id}"));
    let res = plo
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields(
                "Alex Rowe",
                "DC Jordan Vale, North Police",
                "pc4821",
                &when,
                "EXH-JV-01",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = plo
        .post_form(
            &format!("/evidence/{id}/corrections"),
            &[
                ("corrects", "1"),
                ("correction-note", "The handover was at 11:00, not 11:30"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (_, page) = plo.get_text(&format!("/evidence/{id}")).await;
    let rows = custody_rows(&page);
    assert_eq!(rows.len(), 3, "three entries: {rows:?}");
    assert!(rows[0].contains(">1</th>"));
    assert!(rows[0].contains("Alex Rowe, Parent Liaison Officer"));
    assert!(
        rows[0].contains("11:30am"),
        "entry 1 keeps what was recorded"
    );
    assert!(!rows[0].contains("Correction"));
    assert!(rows[1].contains(">2</th>"));
    assert!(rows[1].contains("DC Jordan Vale, North Police"));
    assert!(rows[1].contains("PC4821"), "collar number, upper case");
    assert!(rows[1].contains("EXH-JV-01"));
    assert!(rows[2].contains(">3</th>"));
    assert!(rows[2].contains("Correction to entry 1"));
    assert!(rows[2].contains("The handover was at 11:00, not 11:30"));
    assert!(rows[2].contains("Test plo"), "recorded by");
    // Held by now follows the last handover, not the correction.
    assert!(page.contains("<strong>DC Jordan Vale, North Police</strong>"));

    let (_, list) = plo
        .get_text(&format!("/families/{family_id}/evidence"))
        .await;
    assert!(list.contains(&format!("href=\"/evidence/{id}\"")));
    assert!(list.contains("DC Jordan Vale, North Police"));
    assert!(list.contains("Phone or other device"));

    // The CSW of the family sees it too; a PLO of another family does not.
    let csw = app.login("csw").await;
    assert_eq!(
        csw.get(&format!("/evidence/{id}")).await.status(),
        StatusCode::OK
    );
    let plo2 = app.login("plo2").await;
    assert_eq!(
        plo2.get(&format!("/evidence/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let res = plo2
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields("Someone", "Someone else", "", &when, ""),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Nonsense ids are simply not found.
    for path in ["/evidence/abc", "/evidence/0", "/evidence/999999"] {
        assert_eq!(
            plo.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // The chronology tells the story.
    let (_, chron) = plo
        .get_text(&format!("/families/{family_id}/chronology"))
        .await;
    assert!(chron.contains("Evidence recorded: A black phone in a cracked blue case"));
    assert!(chron.contains("Evidence handed to DC Jordan Vale, North Police"));
}

async fn police_partners_handle_the_hubs_evidence_but_not_family_records(db: Db) {
    let (app, plo, family_id) = setup_on(db).await;
    let id = record_evidence(&plo, family_id, "Screenshots of messages, printed").await;

    let police = app.login("police").await;
    let (status, page) = police.get_text("/evidence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Screenshots of messages, printed"));
    assert!(
        !page.contains("Dunmere family") && page.contains("A family the hub supports"),
        "police partners handle the item, not the family"
    );
    assert!(page.contains(&format!("href=\"/evidence/{id}\"")));

    let (status, page) = police.get_text(&format!("/evidence/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Record a handover"));
    assert!(page.contains("Back to all evidence"));
    assert!(
        !page.contains(&format!("href=\"/families/{family_id}")),
        "no link into the family record"
    );
    let when = date_parts(-1);
    let res = police
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields(
                "DC Jordan Vale",
                "Property store, North Police",
                "PC4821",
                &when,
                "PS-2026-0042",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = police.get_text(&format!("/evidence/{id}")).await;
    let rows = custody_rows(&page);
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("Property store, North Police"));
    assert!(rows[0].contains("Test police"), "recorded by the officer");
    // The worker sees the police's handover.
    let (_, page) = plo.get_text(&format!("/evidence/{id}")).await;
    assert!(page.contains("<strong>Property store, North Police</strong>"));

    // Police never reach family pages.
    for path in [
        format!("/families/{family_id}/evidence"),
        format!("/families/{family_id}/evidence/new"),
        format!("/families/{family_id}/incidents"),
        format!("/families/{family_id}/incidents/new"),
    ] {
        assert_eq!(
            police.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let res = police
        .post_pairs(
            &format!("/families/{family_id}/evidence/new"),
            &evidence_fields("Should not be saved", 1),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Another hub's manager: as if it did not exist.
    let south = app.login("south.manager").await;
    assert_eq!(
        south.get(&format!("/evidence/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let res = south
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields("Someone", "Someone else", "", &date_parts(-1), ""),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = south
        .post_form(
            &format!("/evidence/{id}/corrections"),
            &[
                ("corrects", "1"),
                ("correction-note", "Not theirs to correct"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The hub list is for police partners; roles that never handle evidence are refused.
    assert_eq!(plo.get("/evidence").await.status(), StatusCode::FORBIDDEN);
    for role in ["socialcare", "commissioner", "parent", "admin"] {
        let b = app.login(role).await;
        assert_eq!(
            b.get(&format!("/evidence/{id}")).await.status(),
            StatusCode::FORBIDDEN,
            "{role}"
        );
        assert_eq!(
            b.get("/evidence").await.status(),
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
}

async fn evidence_input_faults_are_explained_and_kept(db: Db) {
    let (_app, plo, family_id) = setup_on(db).await;
    let path = format!("/families/{family_id}/evidence/new");

    // A date in the future.
    let mut fields = evidence_fields("A diary with names in it", 0);
    let (d, m, y) = date_parts(3);
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "found-on-day" => *v = d.clone(),
            "found-on-month" => *v = m.clone(),
            "found-on-year" => *v = y.clone(),
            _ => {}
        }
    }
    let res = plo.post_pairs(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Date found must be today or in the past"));
    assert!(
        page.contains("A diary with names in it"),
        "description kept"
    );
    assert!(page.contains("value=\"Bag seal 00412\""), "reference kept");
    assert!(page.contains("There is a problem"));

    // Nothing filled in.
    let res = plo.post_form(&path, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for message in [
        "Select what kind of item it is",
        "Enter a description of the item",
        "Enter who found it",
        "Enter date found",
        "Enter where it was found",
        "Enter how it was stored",
    ] {
        assert!(page.contains(message), "{message}");
    }

    // Too long a description, and a kind that is not ours.
    let long = "x".repeat(10_001);
    let mut fields = evidence_fields(&long, 1);
    fields[0].1 = "weapon".into();
    let res = plo.post_pairs(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains(
        "A description of the item must be 10000 characters or fewer (you entered 10001)"
    ));
    assert!(page.contains("Select what kind of item it is from the list"));

    // Handovers and corrections.
    let id = record_evidence(&plo, family_id, "A phone left at the door").await;
    let res = plo
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields(
                "Sam Dunmere",
                "DC Vale",
                "PC 48/21",
                &date_parts(2),
                "EXH-9",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Collar number must contain only letters and digits"));
    assert!(page.contains("Date handed over must be today or in the past"));
    assert!(page.contains("value=\"PC 48/21\""), "collar number kept");
    assert!(page.contains("value=\"DC Vale\""), "handed to kept");
    assert!(page.contains("value=\"EXH-9\""), "reference kept");
    let res = plo
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields("", "", "ABCDEFGH12345", &date_parts(-1), ""),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enter who handed it over"));
    assert!(page.contains("Enter who it was handed to"));
    assert!(page.contains("Collar number must be 12 characters or fewer"));

    // A first handover, then a correction of an entry that does not exist.
    let res = plo
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields("Sam Dunmere", "DC Vale", "", &date_parts(-1), ""),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = plo
        .post_form(
            &format!("/evidence/{id}/corrections"),
            &[
                ("corrects", "9"),
                ("correction-note", "The officer was DC Vale"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("There is no entry 9 in this chain of custody to correct"));
    assert!(page.contains("value=\"9\""), "entry number kept");
    assert!(page.contains("The officer was DC Vale"), "note kept");
    let res = plo
        .post_form(
            &format!("/evidence/{id}/corrections"),
            &[("corrects", "first"), ("correction-note", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("The number of the entry it corrects must be a whole number"));
    assert!(page.contains("Enter what was wrong and what is right"));
    // Nothing was added by the refused posts.
    let (_, page) = plo.get_text(&format!("/evidence/{id}")).await;
    assert_eq!(custody_rows(&page).len(), 1);
}

/// The fields of a valid incident form.
fn incident_fields<'a>(
    parts: &'a (String, String, String),
    kind: &'a str,
    description: &'a str,
    reported: &'a str,
    crime_reference: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("date-day", &parts.0),
        ("date-month", &parts.1),
        ("date-year", &parts.2),
        ("time", "21:15"),
        ("kind", kind),
        ("description", description),
        ("people", "Danny K\n\"Tiny\", 07700 900456"),
        ("reported", reported),
        ("crime-reference", crime_reference),
        ("outcome", ""),
    ]
}

async fn incidents_reach_the_list_the_chronology_and_the_counts(db: Db) {
    let (app, plo, family_id) = setup_on(db).await;
    let (status, page) = plo
        .get_text(&format!("/families/{family_id}/incidents"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Record a threat or incident"));
    let (status, page) = plo
        .get_text(&format!("/families/{family_id}/incidents/new"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Threat by phone or message"));

    let yesterday = date_parts(-1);
    let res = plo
        .post_form(
            &format!("/families/{family_id}/incidents/new"),
            &incident_fields(
                &yesterday,
                "threat_by_phone",
                "A text from 07700 900123 said they know where we live. A car AB12 CDE waited outside.",
                "yes",
                "NP-20261121-0042",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/families/{family_id}/incidents"));
    let res = plo
        .post_form(
            &format!("/families/{family_id}/incidents/new"),
            &incident_fields(
                &yesterday,
                "damage_car",
                "The car's tyres were cut.",
                "no",
                "",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (_, page) = plo
        .get_text(&format!("/families/{family_id}/incidents"))
        .await;
    assert!(page.contains("A text from 07700 900123 said they know where we live."));
    assert!(page.contains("Yes, crime reference NP-20261121-0042"));
    assert!(page.contains("Danny K"));
    assert!(page.contains("Vehicle registration: AB12 CDE"), "{page}");
    assert!(page.contains("Phone number: +447700900123"));
    assert!(
        page.contains("Phone number: +447700900456"),
        "a phone in who was involved"
    );
    assert!(
        page.contains("Name or nickname of a person of concern: Danny K"),
        "a name as typed"
    );
    assert!(
        page.contains("The car&#39;s tyres were cut.")
            || page.contains("The car&#x27;s tyres were cut.")
    );

    let (_, chron) = plo
        .get_text(&format!("/families/{family_id}/chronology"))
        .await;
    assert!(
        chron.contains(
            "Threat by phone or message; reported to police, crime reference NP-20261121-0042"
        ),
        "the incident's summary in the chronology"
    );
    assert!(chron.contains("Damage to a car; not reported to police"));

    let manager = app.login("manager").await;
    let (status, page) = manager.get_text("/reports/incidents").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2 incidents, 1 reported to the police"));
    let row = |kind: &str| -> Vec<String> {
        let at = page
            .find(&format!(
                "<th scope=\"row\" class=\"govuk-table__header\" dir=\"auto\">{kind}</th>"
            ))
            .expect("a row for the kind");
        page[at..page[at..].find("</tr>").unwrap() + at]
            .split("govuk-table__cell--numeric\">")
            .skip(1)
            .map(|c| c.split('<').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(row("Threat by phone or message"), vec!["1", "1", "1"]);
    assert_eq!(row("Damage to a car"), vec!["1", "0", "1"]);
    assert_eq!(row("Assault"), vec!["0", "0", "0"]);
    // Counting from today leaves yesterday's incidents out.
    let (d, m, y) = date_parts(0);
    let (status, page) = manager
        .get_text(&format!(
            "/reports/incidents?since-day={d}&since-month={m}&since-year={y}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("0 incidents, 0 reported to the police"));
    // The capacity page links to the report.
    let (_, page) = manager.get_text("/capacity").await;
    assert!(page.contains("href=\"/reports/incidents\""));
}

async fn incident_input_faults_are_explained_and_kept(db: Db) {
    let (_app, plo, family_id) = setup_on(db).await;
    let path = format!("/families/{family_id}/incidents/new");
    let yesterday = date_parts(-1);

    // Reported, but no crime reference.
    let res = plo
        .post_form(
            &path,
            &incident_fields(
                &yesterday,
                "threat_in_person",
                "Shouted threats at the door",
                "yes",
                "",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enter the crime reference the police gave"));
    assert!(
        page.contains("Shouted threats at the door"),
        "description kept"
    );
    assert!(page.contains("Danny K"), "who kept");
    assert!(page.contains("value=\"yes\" checked"), "yes kept");

    // A future date, a reference that is too long, and too long a description.
    let long = "y".repeat(10_001);
    let ref51 = "R".repeat(51);
    let res = plo
        .post_form(
            &path,
            &incident_fields(&date_parts(2), "threat_in_person", &long, "yes", &ref51),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Date it happened must be today or in the past"));
    assert!(page.contains("Crime reference must be 50 characters or fewer (you entered 51)"));
    assert!(page.contains("What happened must be 10000 characters or fewer (you entered 10001)"));
    assert!(
        page.contains(&format!("value=\"{ref51}\"")),
        "reference kept"
    );

    // Nothing chosen.
    let res = plo.post_form(&path, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for message in [
        "Enter date it happened",
        "Select what kind of incident it was",
        "Enter what happened",
        "Select whether it was reported to the police",
    ] {
        assert!(page.contains(message), "{message}");
    }
    // Not reported, yet a crime reference given.
    let res = plo
        .post_form(
            &path,
            &incident_fields(
                &yesterday,
                "assault",
                "Pushed over outside school",
                "no",
                "NP-1",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Leave the crime reference empty if it was not reported to the police"));

    // Nothing was saved.
    let (_, page) = plo
        .get_text(&format!("/families/{family_id}/incidents"))
        .await;
    assert!(page.contains("No threats or incidents have been recorded"));
}

async fn the_incident_report_is_for_managers_and_checks_its_date(db: Db) {
    let app = spawn_app(db).await;
    let manager = app.login("manager").await;
    let (status, page) = manager.get_text("/reports/incidents").await;
    assert_eq!(status, StatusCode::OK);
    // Twelve months back by default, shown in the filter.
    let since = chrono::Utc::now().date_naive() - chrono::Months::new(12);
    assert!(page.contains(&format!(
        "name=\"since-year\" type=\"text\" inputmode=\"numeric\" value=\"{}\"",
        since.format("%Y")
    )));
    assert!(page.contains("Families affected"));

    let (fd, fm, fy) = date_parts(30);
    let future = format!("since-day={fd}&since-month={fm}&since-year={fy}");
    for (query, message) in [
        (
            "since-day=31&since-month=2&since-year=2026",
            "Since must be a real date",
        ),
        (future.as_str(), "Since must be today or in the past"),
        ("since-day=1&since-year=2026", "Since must include a month"),
    ] {
        let (status, page) = manager
            .get_text(&format!("/reports/incidents?{query}"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(page.contains(message), "{query}");
        assert!(!page.contains("Families affected"), "no table: {query}");
    }
    for role in [
        "plo",
        "csw",
        "police",
        "socialcare",
        "commissioner",
        "parent",
    ] {
        let b = app.login(role).await;
        assert_eq!(
            b.get("/reports/incidents").await.status(),
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
}

async fn evidence_and_incidents_through_the_api(db: Db) {
    let (app, plo, family_id) = setup_on(db).await;
    let id = record_evidence(&plo, family_id, "A diary kept by the child").await;

    let res = plo
        .get(&format!("/api/v1/families/{family_id}/evidence"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["link"]
        .to_str()
        .unwrap()
        .contains("rel=\"last\""));
    let page: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (
            page["total"].as_i64(),
            page["page"].as_i64(),
            page["per_page"].as_i64()
        ),
        (Some(1), Some(1), Some(50))
    );
    let list = page["items"].clone();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["kind"], "phone");

    let path = format!("/api/v1/evidence/{id}/handovers");
    let res = plo
        .post_json(
            &path,
            &serde_json::json!({
                "handed_by": "Sam Dunmere", "handed_to": "DC Vale",
                "collar_number": "PC 4821", "date": iso_date(2)
            })
            .to_string(),
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
    assert_eq!(fields, vec!["collar_number", "date"]);
    let res = plo
        .post_json(
            &path,
            &serde_json::json!({
                "handed_by": "Sam Dunmere", "handed_to": "DC Vale",
                "collar_number": "PC4821", "date": iso_date(-1), "time": "09:15",
                "reference": "EXH-1"
            })
            .to_string(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["entry"], 1);
    let res = plo
        .post_json(
            &path,
            r#"{"handed_by": "x", "handed_to": "y", "date": "2026-01-01", "colour": "red"}"#,
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let police = app.login("police").await;
    let res = police.get(&format!("/api/v1/evidence/{id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let item: serde_json::Value = res.json().await.unwrap();
    assert_eq!(item["events"][0]["seq"], 1);
    assert_eq!(item["events"][0]["kind"], "transfer");
    assert_eq!(item["events"][0]["collar_number"], "PC4821");
    assert_eq!(item["row"]["held_by"], "DC Vale");
    assert_eq!(
        police
            .get(&format!("/api/v1/families/{family_id}/evidence"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        police
            .get(&format!("/api/v1/families/{family_id}/incidents"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let south = app.login("south.manager").await;
    assert_eq!(
        south.get(&format!("/api/v1/evidence/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );

    let path = format!("/api/v1/families/{family_id}/incidents");
    let res = plo
        .post_json(
            &path,
            &serde_json::json!({
                "date": iso_date(-1), "kind": "threat_online",
                "description": "Messages from @danny_k1 on Instagram threatening the family",
                "reported_to_police": false, "crime_reference": "CR/1"
            })
            .to_string(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "crime_reference");
    // Told the police with no reference yet (issue 11): reported all the same.
    let res = plo
        .post_json(
            &path,
            &serde_json::json!({
                "date": iso_date(-1), "kind": "threat_online",
                "description": "A message said they would come round.",
                "reported_to_police": true
            })
            .to_string(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = plo
        .post_json(
            &path,
            &serde_json::json!({
                "date": iso_date(-1), "time": "20:00", "kind": "threat_online",
                "description": "Messages threatening the family; a grey car AB12 CDE followed the older sister.",
                "people": "Danny K, Tiny",
                "reported_to_police": true, "crime_reference": "NP-20261121-0077"
            })
            .to_string(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = plo.get(&path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let list: serde_json::Value = res.json::<serde_json::Value>().await.unwrap()["items"].clone();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let pending = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["description"] == "A message said they would come round.")
        .unwrap();
    assert_eq!(pending["reported_to_police"], true);
    assert!(pending["crime_reference"].is_null());
    let ids = list[0]["identifiers"].as_array().unwrap();
    let has =
        |kind: &str, value: &str| ids.iter().any(|i| i["kind"] == kind && i["value"] == value);
    assert!(has("vehicle", "AB12CDE"), "{ids:?}");
    assert!(has("person", "danny k"));
    assert!(has("person", "tiny"));

    // The OpenAPI document describes the new calls.
    let (_, doc) = plo.get_text("/api/v1/openapi.json").await;
    for p in [
        "/api/v1/families/{id}/evidence",
        "/api/v1/evidence/{id}",
        "/api/v1/evidence/{id}/handovers",
        "/api/v1/families/{id}/incidents",
    ] {
        assert!(doc.contains(&format!("\"{p}\"")), "{p}");
    }
}

async fn the_custody_table_refuses_changes_in_the_database(db: Db) {
    let (app, plo, family_id) = setup_on(db).await;
    let marker = format!(
        "A phone, append-only check {}",
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
    );
    let id = record_evidence(&plo, family_id, &marker).await;
    let res = plo
        .post_form(
            &format!("/evidence/{id}/handovers"),
            &handover_fields("Sam Dunmere", "DC Vale", "", &date_parts(-1), ""),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    use sqlx::Connection;
    match db {
        Db::Sqlite => {
            // A consistent copy of the test database has the same schema and triggers.
            let dir = tempfile::tempdir().unwrap();
            let copy = dir.path().join("copy.db");
            app.store.backup(&copy).await.expect("backup");
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", copy.display()))
                .await
                .unwrap();
            let update = sqlx::query("UPDATE custody_events SET handed_to = 'Someone else'")
                .execute(&mut conn)
                .await;
            assert!(update.is_err(), "an update is refused");
            let delete = sqlx::query("DELETE FROM custody_events")
                .execute(&mut conn)
                .await;
            assert!(delete.is_err(), "a delete is refused");
            let (to,): (String,) = sqlx::query_as("SELECT handed_to FROM custody_events")
                .fetch_one(&mut conn)
                .await
                .unwrap();
            assert_eq!(to, "DC Vale");
        }
        Db::Postgres => {
            let admin = std::env::var("ALONGSIDE_TEST_PG")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            let names: Vec<(String,)> =
                sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE $1")
                    .bind(format!("alongside_t_{}_%", std::process::id()))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            let mut checked = false;
            for (name,) in names {
                let mut db = sqlx::PgConnection::connect(&format!("{base}/{name}"))
                    .await
                    .unwrap();
                let found: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM evidence_items WHERE description = $1")
                        .bind(&marker)
                        .fetch_optional(&mut db)
                        .await
                        .unwrap_or(None);
                if found.is_none() {
                    continue;
                }
                let update = sqlx::query("UPDATE custody_events SET handed_to = 'Someone else'")
                    .execute(&mut db)
                    .await;
                let err = update.expect_err("an update is refused").to_string();
                assert!(err.contains("append-only"), "{err}");
                let delete = sqlx::query("DELETE FROM custody_events")
                    .execute(&mut db)
                    .await;
                assert!(delete.is_err(), "a delete is refused");
                checked = true;
            }
            assert!(checked, "found the test database");
        }
    }
    let (_, page) = plo.get_text(&format!("/evidence/{id}")).await;
    let rows = custody_rows(&page);
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("DC Vale"));
}
