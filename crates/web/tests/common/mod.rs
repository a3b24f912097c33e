//! Test harness: the real application on port 0 with a fresh database per test, on
//! SQLite or PostgreSQL, and signed-in HTTP clients for each role.
//!
//! PostgreSQL tests use `ALONGSIDE_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! to create a new database per test; `scripts/test` starts a server when none runs.
#![allow(dead_code)]

pub use alongside_domain::ids::*;
use alongside_domain::roles::Role;
use alongside_store::{connect, ConnectOptions, DatabaseUrl, NewUser, Store};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock};

pub const PASSWORD: &str = "synthetic-test-password-1";

static HASH: LazyLock<String> =
    LazyLock::new(|| alongside_web::hash_password(PASSWORD).expect("hash"));

#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Generates one test per backend from an async fn taking a `Db`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::Db::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::common::Db::Postgres).await
                }
            }
        )+
    };
}

pub struct TestApp {
    pub base: String,
    /// The database's URL, for a test that must look beneath the store.
    pub database: String,
    pub store: Arc<dyn Store>,
    pub hub_a: HubId,
    pub hub_b: HubId,
    _dir: Option<tempfile::TempDir>,
}

/// The users every test app has. Hub A ("North hub") has one per role; hub B ("South
/// hub") a manager, a PLO and a police partner of its own (`south.manager`, `south.plo`,
/// `south.police`).
pub const HUB_A_USERS: &[(&str, Role)] = &[
    ("admin", Role::Administrator),
    ("manager", Role::Manager),
    ("plo", Role::Plo),
    ("plo2", Role::Plo),
    ("csw", Role::Csw),
    ("police", Role::Police),
    ("socialcare", Role::SocialCare),
    ("commissioner", Role::Commissioner),
    ("parent", Role::Parent),
];

static COUNTER: AtomicU32 = AtomicU32::new(0);

async fn fresh_store(db: Db) -> (Arc<dyn Store>, Option<tempfile::TempDir>, String) {
    match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
            let store = connect(
                &url,
                &ConnectOptions {
                    create_if_missing: true,
                    max_connections: 8,
                },
            )
            .await
            .expect("sqlite");
            let database = format!("sqlite://{}", dir.path().join("test.db").display());
            (store, Some(dir), database)
        }
        Db::Postgres => {
            let admin = std::env::var("ALONGSIDE_TEST_PG")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let name = format!(
                "alongside_t_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.unwrap_or_else(|e| {
                panic!("PostgreSQL tests need a server at ALONGSIDE_TEST_PG ({admin}): {e}. Run scripts/test, which starts one.")
            });
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut conn)
                .await
                .expect("drop");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create database");
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin.clone());
            let database = format!("{base}/{name}");
            let url = DatabaseUrl::Postgres(database.clone());
            let store = connect(
                &url,
                &ConnectOptions {
                    create_if_missing: false,
                    max_connections: 8,
                },
            )
            .await
            .expect("postgres");
            (store, None, database)
        }
    }
}

pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, alongside_web::Config::default()).await
}

pub async fn spawn_app_with(db: Db, config: alongside_web::Config) -> TestApp {
    let (store, dir, database) = fresh_store(db).await;
    store.migrate().await.expect("migrate");
    let hub_a = store.create_hub("North hub").await.expect("hub a").id;
    let hub_b = store.create_hub("South hub").await.expect("hub b").id;
    for (name, role) in HUB_A_USERS {
        add_user(&store, name, *role, vec![hub_a]).await;
    }
    add_user(&store, "south.manager", Role::Manager, vec![hub_b]).await;
    add_user(&store, "south.plo", Role::Plo, vec![hub_b]).await;
    add_user(&store, "south.police", Role::Police, vec![hub_b]).await;
    let app = alongside_web::app(store.clone(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    TestApp {
        base: format!("http://{addr}"),
        database,
        store,
        hub_a,
        hub_b,
        _dir: dir,
    }
}

pub async fn add_user(store: &Arc<dyn Store>, name: &str, role: Role, hubs: Vec<HubId>) {
    store
        .create_user(&NewUser::new(
            name.into(),
            format!("Test {name}"),
            role,
            HASH.clone(),
            hubs,
        ))
        .await
        .expect("user");
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub struct Browser {
    pub client: Client,
    pub base: String,
}

/// A submission of `entries` to the police, read by the same rules as the form's.
pub fn new_submission(
    entries: &[EntryId],
    summary: &str,
    grade: &str,
) -> alongside_store::NewSubmission {
    alongside_store::NewSubmission::parse(&alongside_domain::information::RawSubmission {
        entry_ids: entries.iter().map(EntryId::to_string).collect(),
        summary: summary.into(),
        grade: alongside_domain::information::RawGrade::Code(grade.into()),
        handling_conditions: String::new(),
        ..Default::default()
    })
    .expect("a valid submission")
}

pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a csrf token on the page") + marker.len();
    html[start..start + 64].to_string()
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client");
        Browser {
            client,
            base: self.base.clone(),
        }
    }

    /// Signs in as `username`, asserting it worked.
    pub async fn login(&self, username: &str) -> Browser {
        let b = self.browser();
        let res = b.sign_in(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        b
    }
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("get")
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let s = r.status();
        (s, r.text().await.expect("body"))
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        let (_, page) = self.get_text("/login").await;
        let token = csrf_in(&page);
        self.client
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("post login")
    }

    /// The session's CSRF token, read from a page.
    pub async fn csrf(&self) -> String {
        let (status, page) = self.get_text("/account").await;
        if status == StatusCode::OK {
            return csrf_in(&page);
        }
        // A parent or carer's account page.
        let (_, page) = self.get_text("/my/account").await;
        csrf_in(&page)
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("post")
    }

    pub async fn post_json(&self, path: &str, body: &str) -> Response {
        let token = self.csrf().await;
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .header("x-csrf-token", token)
            .body(body.to_string())
            .send()
            .await
            .expect("post json")
    }
}

/// Where a redirect goes, without the sealed success notice (`?done=…`) it may carry:
/// [`location_full`] keeps it.
pub fn location(res: &Response) -> String {
    let full = location_full(res);
    match full.split_once("?done=") {
        Some((path, _)) => path.to_string(),
        None => match full.split_once("&done=") {
            Some((path, _)) => path.to_string(),
            None => full,
        },
    }
}

/// Where a redirect goes, exactly.
pub fn location_full(res: &Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The fields of a valid referral form for a child of the given name.
pub fn referral_form(
    given: &str,
    family: &str,
    received: (&str, &str, &str),
) -> Vec<(String, String)> {
    [
        ("source", "school"),
        ("received-day", received.0),
        ("received-month", received.1),
        ("received-year", received.2),
        ("referrer-name", "A synthetic teacher"),
        ("referrer-contact", "07700 900123"),
        ("child1-given", given),
        ("child1-family", family),
        ("child1-dob-day", "3"),
        ("child1-dob-month", "4"),
        ("child1-dob-year", "2012"),
        ("carer1-given", "Sam"),
        ("carer1-family", family),
        ("carer1-kind", "birth"),
        (
            "reasons",
            "Going missing after school; seen getting into an unknown car.",
        ),
        ("indicators", "going_missing"),
        ("indicators", "unknown_cars"),
        ("consent", "yes"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

impl Browser {
    pub async fn post_pairs(&self, path: &str, fields: &[(String, String)]) -> Response {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post_form(path, &pairs).await
    }
}

/// Records a referral as the manager and triages it to `plo` and `csw`; returns
/// (referral id, family id).
pub async fn referred_and_allocated(
    app: &TestApp,
    manager: &Browser,
    given: &str,
    family: &str,
) -> (ReferralId, FamilyId) {
    let today = chrono::Utc::now().date_naive();
    let (d, m, y) = (
        today.format("%d").to_string(),
        today.format("%m").to_string(),
        today.format("%Y").to_string(),
    );
    let res = manager
        .post_pairs("/referrals", &referral_form(given, family, (&d, &m, &y)))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "referral saved");
    let referral_id: ReferralId = location(&res)
        .trim_start_matches("/referrals/")
        .parse()
        .expect("referral id");
    let plo = user_id(app, "plo").await;
    let csw = user_id(app, "csw").await;
    let res = manager
        .post_form(
            &format!("/referrals/{referral_id}/triage"),
            &[
                ("threshold", "high"),
                ("reasoning", "Missing episodes and an unknown car."),
                ("decision", "accept"),
                ("plo", &plo.to_string()),
                ("csw", &csw.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "triage saved");
    let (_, page) = manager.get_text(&format!("/referrals/{referral_id}")).await;
    let marker = "href=\"/families/";
    let at = page.find(marker).expect("family link") + marker.len();
    let family_id: FamilyId = page[at..]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .expect("family id");
    (referral_id, family_id)
}

pub async fn user_id(app: &TestApp, username: &str) -> UserId {
    app.store
        .credentials(username)
        .await
        .expect("lookup")
        .expect("user exists")
        .user
        .id
}

/// Words in [`photo_with_metadata`]'s EXIF block that must never reach anyone.
pub const PHOTO_METADATA: &[&str] = &["OwnerName", "A Parent", "GPSLatitude", "Exif"];

/// A real JPEG photo (8 x 4 pixels) carrying what a phone writes into one: an EXIF block
/// with an orientation, an owner's name and a GPS position (all synthetic).
pub fn photo_with_metadata() -> Vec<u8> {
    use image::ImageEncoder;
    let mut exif = b"II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"OwnerName A Parent GPSLatitude 51.50 GPSLongitude -0.12");
    let pixels: Vec<u8> = (0..8 * 4).flat_map(|i| [i as u8 * 7, 90, 200]).collect();
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
    enc.set_exif_metadata(exif).unwrap();
    enc.write_image(&pixels, 8, 4, image::ExtendedColorType::Rgb8)
        .unwrap();
    // The EXIF block sits in an APP1 segment tagged "Exif".
    assert!(out.windows(4).any(|w| w == b"Exif"));
    out
}

/// Whether bytes hold any of [`PHOTO_METADATA`].
pub fn has_photo_metadata(bytes: &[u8]) -> bool {
    PHOTO_METADATA
        .iter()
        .any(|m| bytes.windows(m.len()).any(|w| w == m.as_bytes()))
}

/// Reviews an entry as relevant as `actor`, confirming every identifier as it stands (so
/// that what is submitted afterwards passes them on).
pub async fn reviewed_relevant(app: &TestApp, actor: &alongside_store::Actor, entry: EntryId) {
    let ids = app
        .store
        .entry(actor, entry)
        .await
        .expect("the entry")
        .identifiers;
    app.store
        .review_entry(
            actor,
            entry,
            &alongside_store::EntryReview::confirming(true, "The police should know.", &ids),
            chrono::Utc::now(),
        )
        .await
        .expect("reviewed");
}

// ---- the parent portal: inviting a parent or carer, and joining ----

/// The invitation code on the page that made it.
pub fn code_in(html: &str) -> String {
    let marker = "app-invitation-code\">";
    let start = html.find(marker).expect("an invitation code on the page") + marker.len();
    html[start..start + 14].to_string()
}

pub async fn invite(plo: &Browser, family: FamilyId, name: &str) -> String {
    let res = plo
        .post_form(
            &format!("/families/{family}/invitations"),
            &[("name", name)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("/join</strong>") && page.contains("http"),
        "the whole address to join at"
    );
    code_in(&page)
}

pub async fn join_with(app: &TestApp, code: &str, username: &str) -> (Browser, reqwest::Response) {
    let b = app.browser();
    let (status, page) = b.get_text(&format!("/join?code={code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(code), "the code from the link is filled in");
    let token = csrf_in(&page);
    let res = b
        .client
        .post(b.url("/join"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("code", code),
            ("username", username),
            ("password", "three random words"),
            ("confirm", "three random words"),
        ])
        .send()
        .await
        .unwrap();
    (b, res)
}

pub async fn joined_parent(
    app: &TestApp,
    plo: &Browser,
    family: FamilyId,
    username: &str,
) -> Browser {
    let code = invite(plo, family, "Sam Synthetic").await;
    let (b, res) = join_with(app, &code, username).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/my");
    b
}

impl TestApp {
    /// Runs a statement beneath the store (a test setting the clock's effect, say).
    pub async fn exec_sql(&self, sql: &str) {
        use sqlx::Connection;
        if self.database.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(&self.database)
                .await
                .unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(&self.database).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }

    /// The one number a `SELECT COUNT(*) ...` gives.
    pub async fn count_sql(&self, sql: &str) -> i64 {
        use sqlx::{Connection, Row};
        if self.database.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(&self.database)
                .await
                .unwrap();
            sqlx::query(sql)
                .fetch_one(&mut c)
                .await
                .unwrap()
                .get::<i64, _>(0)
        } else {
            let mut c = sqlx::PgConnection::connect(&self.database).await.unwrap();
            sqlx::query(sql)
                .fetch_one(&mut c)
                .await
                .unwrap()
                .get::<i64, _>(0)
        }
    }
}
