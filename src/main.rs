//! `alongside`: the command line. Thin by design: it reads arguments and environment,
//! opens the store, and calls into the crates.
#![forbid(unsafe_code)]

use alongside_domain::roles::Role;
use alongside_domain::Code;
use alongside_store::{connect, demo, ConnectOptions, DatabaseUrl, NewUser, Store};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use rand::Rng;
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "alongside",
    version,
    about = "Alongside: working with parents and carers to protect children from exploitation outside the home"
)]
struct Cli {
    /// Where the embedded SQLite database lives (ignored when DATABASE_URL is set).
    #[arg(
        long,
        global = true,
        default_value = "alongside-data",
        env = "ALONGSIDE_DATA"
    )]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Alongside over HTTP.
    Serve {
        #[arg(long, default_value_t = 8080, env = "ALONGSIDE_PORT")]
        port: u16,
        #[arg(long, default_value = "127.0.0.1", env = "ALONGSIDE_BIND")]
        bind: std::net::IpAddr,
        /// Add a demo hub with synthetic families and one user per role (if missing).
        #[arg(long)]
        demo: bool,
        /// How many synthetic families `--demo` creates.
        #[arg(long, default_value_t = 60)]
        demo_families: usize,
        /// Mark cookies Secure: set this when Alongside is served over TLS.
        #[arg(long, env = "ALONGSIDE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Minutes without a request before a person is signed out.
        #[arg(long, default_value_t = 30)]
        idle_timeout: i64,
        /// Hours after signing in before a person must sign in again, however busy.
        #[arg(long, default_value_t = 12)]
        session_hours: i64,
        /// The address people reach Alongside at (https://alongside.example.org), which
        /// invitations and links carry; http://BIND:PORT unless set.
        #[arg(long, env = "ALONGSIDE_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Create or bring up to date the database schema.
    Migrate,
    /// Create a user (password from ALONGSIDE_PASSWORD, or the first line of standard input).
    CreateUser {
        #[arg(long)]
        username: String,
        /// The person's full name as others see it.
        #[arg(long)]
        name: String,
        /// administrator, manager, plo, csw, police, social_care, commissioner, parent
        #[arg(long)]
        role: String,
        /// The hub the user belongs to (repeat for several).
        #[arg(long, required = true)]
        hub: Vec<String>,
        /// Create the hubs named if they do not exist.
        #[arg(long)]
        create_hub: bool,
    },
    /// Look after an account, as an administrator named with --as (audited as them):
    /// disable (its sessions and tokens end at once), enable, make a one-time
    /// password-reset code, or change its role (a casework role waits for a manager).
    Account {
        /// disable, enable, reset-code, or role
        action: String,
        /// The account's username.
        username: String,
        /// The administrator doing it (their username).
        #[arg(long = "as")]
        admin: String,
        /// For `role`: the new role.
        #[arg(long)]
        role: Option<String>,
    },
    /// Add a hub of synthetic demo families and users.
    DemoData {
        #[arg(long, default_value_t = 60)]
        families: usize,
        #[arg(long, default_value = "Demo hub")]
        hub: String,
        /// Prefix for the demo usernames (for a second demo hub).
        #[arg(long, default_value = "")]
        prefix: String,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Read free text on standard input; print the identifiers found in it (vehicle
    /// marks, phone numbers, emails, handles, postcodes), one JSON object a line.
    Identifiers,
    /// Link a CSV file of person records: which rows are probably the same person.
    /// Input: a header row with `id` and any of given_name, surname, full_name, nickname,
    /// date_of_birth, phone, vehicle, email, handle, postcode, address.
    Link {
        /// The CSV file of person records.
        #[arg(long)]
        input: PathBuf,
        /// Where to write `id,cluster_id` for every row kept.
        #[arg(long)]
        output: PathBuf,
        /// Where to write the accepted pairs with their match probability, match weight
        /// and reasons (what each comparison added).
        #[arg(long)]
        pairs: Option<PathBuf>,
        /// Where to write the m and u table learnt from the file, for an analyst to check.
        #[arg(long)]
        explain: Option<PathBuf>,
        /// Seeds the sampling the model is learnt from: the same seed and file give the
        /// same result.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Write a consistent copy of the SQLite database to a file.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ALONGSIDE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_target(false)
        .init();
    let cli = Cli::parse();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run(cli)));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The cause chain without a backtrace: these messages are for a person.
            eprintln!("Error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The database to use: DATABASE_URL if set (refused if mistyped; an SQLite file must
/// already exist unless `create` is set), else the SQLite file under `--data`.
async fn open(data: &Path, create: bool) -> Result<Arc<dyn Store>> {
    let (url, create_if_missing) = match std::env::var("DATABASE_URL") {
        Ok(raw) if !raw.trim().is_empty() => (
            DatabaseUrl::parse(&raw).context("DATABASE_URL is not usable")?,
            create,
        ),
        _ => (DatabaseUrl::Sqlite(data.join("alongside.db")), true),
    };
    let store = connect(
        &url,
        &ConnectOptions {
            create_if_missing,
            max_connections: pool_size(),
        },
    )
    .await
    .with_context(|| match &url {
        DatabaseUrl::Sqlite(p) => format!("cannot open the SQLite database at {}", p.display()),
        DatabaseUrl::Postgres(_) => {
            "cannot connect to the PostgreSQL server in DATABASE_URL".to_string()
        }
    })?;
    store
        .migrate()
        .await
        .context("cannot bring the database schema up to date")?;
    Ok(store)
}

/// Database connections to keep (16; `ALONGSIDE_DB_POOL` overrides). On the two-core
/// benchmark machine 4, 8 and 16 were within run-to-run noise of each other.
fn pool_size() -> u32 {
    std::env::var("ALONGSIDE_DB_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(16)
}

fn demo_password() -> (String, bool) {
    match std::env::var("ALONGSIDE_DEMO_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => {
            const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXYZ2346789";
            let mut rng = rand::thread_rng();
            (
                (0..20)
                    .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
                    .collect(),
                true,
            )
        }
    }
}

async fn add_demo(
    store: &dyn Store,
    hub: &str,
    prefix: &str,
    families: usize,
    seed: u64,
) -> Result<()> {
    let (password, generated) = demo_password();
    let hash = alongside_web::hash_password(&password).map_err(anyhow::Error::msg)?;
    if store.hub_by_name(hub).await?.is_some() {
        // The demo exists: give its accounts the password of this run.
        for (name, _, _) in demo::DEMO_USERS {
            store
                .set_password(&format!("{prefix}{name}"), &hash)
                .await
                .ok();
        }
        println!("Demo hub '{hub}' already exists.");
    } else {
        let started = std::time::Instant::now();
        let step = (families / 20).max(demo::BATCH_SIZE);
        let made = demo::populate(store, hub, prefix, families, &hash, seed, |done| {
            if done % step == 0 || done == families {
                eprintln!("  {done} of {families} families");
            }
        })
        .await?;
        println!(
            "Created demo hub '{hub}' with {} synthetic families in {:.1}s.",
            made.families,
            started.elapsed().as_secs_f64()
        );
    }
    println!("Demo users (one per role):");
    for (name, role, _) in demo::DEMO_USERS {
        println!("  {prefix}{name:<22} {}", role.label());
    }
    if generated {
        println!(
            "Demo password (generated; set ALONGSIDE_DEMO_PASSWORD to choose one): {password}"
        );
    } else {
        println!("Demo password: the value of ALONGSIDE_DEMO_PASSWORD");
    }
    Ok(())
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            port,
            bind,
            demo,
            demo_families,
            secure_cookies,
            idle_timeout,
            session_hours,
            public_url,
        } => {
            let public_url = alongside_web::public_url(
                public_url.as_deref(),
                &format!("http://{}", SocketAddr::new(bind, port)),
            )
            .map_err(|e| anyhow::anyhow!("--public-url: {e}"))?;
            let store = open(&cli.data, false).await?;
            if demo {
                add_demo(store.as_ref(), "Demo hub", "", demo_families, 2026).await?;
            }
            let config = alongside_web::Config {
                secure_cookies,
                idle_timeout: std::time::Duration::from_secs(60 * idle_timeout.max(1) as u64),
                session_lifetime: std::time::Duration::from_secs(
                    3600 * session_hours.max(1) as u64,
                ),
                demo,
                public_url,
            };
            let app = alongside_web::app(store.clone(), config);
            let addr = SocketAddr::new(bind, port);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            println!(
                "Alongside is listening on http://{addr} ({} database)",
                store.backend().name()
            );
            let sweeper = store.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
                loop {
                    tick.tick().await;
                    let _ = sweeper
                        .session_delete_expired(chrono::Utc::now().timestamp())
                        .await;
                }
            });
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
            Ok(())
        }
        Command::Migrate => {
            let store = open(&cli.data, true).await?;
            println!(
                "The {} database schema is up to date.",
                store.backend().name()
            );
            Ok(())
        }
        Command::CreateUser {
            username,
            name,
            role,
            hub,
            create_hub,
        } => {
            let Some(role) = Role::parse(&role) else {
                let all: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
                bail!("'{role}' is not a role; use one of: {}", all.join(", "));
            };
            let password = match std::env::var("ALONGSIDE_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    eprintln!("Password (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let mut errors = alongside_domain::validate::FieldErrors::new();
            let password = alongside_domain::accounts::password::check(
                &mut errors,
                "password",
                &password,
                &[&username, &name],
            );
            if let Some(why) = errors.get("password") {
                bail!("{why}");
            }
            let store = open(&cli.data, false).await?;
            let mut hub_ids = Vec::new();
            for h in &hub {
                let found = match store.hub_by_name(h).await? {
                    Some(found) => found,
                    None if create_hub => store.create_hub(h).await?,
                    None => bail!("there is no hub called '{h}' (add --create-hub to create it)"),
                };
                hub_ids.push(found.id);
            }
            let hash = alongside_web::hash_password(&password).map_err(anyhow::Error::msg)?;
            let user = store
                .create_user(&NewUser::new(username, name, role, hash, hub_ids))
                .await?;
            println!(
                "Created {} ({}) in {}.",
                user.username,
                role.label(),
                hub.join(", ")
            );
            Ok(())
        }
        Command::Account {
            action,
            username,
            admin,
            role,
        } => {
            let store = open(&cli.data, false).await?;
            let who = |name: &str| {
                let store = store.clone();
                let name = name.to_string();
                async move {
                    store
                        .credentials(&name)
                        .await?
                        .map(|c| c.user)
                        .with_context(|| format!("there is no account called '{name}'"))
                }
            };
            let admin_user = who(&admin).await?;
            let user = who(&username).await?;
            let their_hubs: Vec<_> = store
                .user_hubs(user.id)
                .await?
                .into_iter()
                .map(|h| h.id)
                .collect();
            let mut actor = None;
            for hub in store.user_hubs(admin_user.id).await? {
                if their_hubs.contains(&hub.id) {
                    actor = store.actor(admin_user.id, hub.id).await?;
                    break;
                }
            }
            let actor = actor
                .filter(|a| a.role() == Role::Administrator)
                .with_context(|| {
                    format!(
                        "'{admin}' is not an active administrator of a hub '{username}' belongs to"
                    )
                })?;
            let now = chrono::Utc::now();
            match action.as_str() {
                "disable" | "enable" => {
                    store
                        .set_user_active(&actor, user.id, action == "enable", now)
                        .await?;
                    println!("{username}: {action}d");
                }
                "reset-code" => {
                    let code = alongside_web::reset_code();
                    let until = store
                        .create_reset_code(
                            &actor,
                            user.id,
                            &alongside_web::reset_code_hash(&code),
                            now,
                        )
                        .await?;
                    println!("Reset code for {username} (once, until {until}): {code}");
                }
                "role" => {
                    let Some(to) = role.as_deref().and_then(Role::parse) else {
                        bail!("give the new role with --role");
                    };
                    match store.change_role(&actor, user.id, to).await? {
                        alongside_store::RoleChange::Now => {
                            println!("{username} is now {}", to.label())
                        }
                        alongside_store::RoleChange::ApprovedByAManager => println!(
                            "{username} becomes {} once a manager of the hub approves it",
                            to.label()
                        ),
                    }
                }
                other => {
                    bail!("'{other}' is not an action; use disable, enable, reset-code or role")
                }
            }
            Ok(())
        }
        Command::DemoData {
            families,
            hub,
            prefix,
            seed,
        } => {
            let store = open(&cli.data, false).await?;
            add_demo(store.as_ref(), &hub, &prefix, families, seed).await
        }
        Command::Identifiers => {
            use std::io::{Read, Write};
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("standard input is not UTF-8 text")?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for found in alongside_domain::identifiers::extract(&text) {
                serde_json::to_writer(&mut out, &found)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(())
        }
        Command::Link {
            input,
            output,
            pairs,
            explain,
            seed,
        } => link_files(&input, &output, pairs.as_deref(), explain.as_deref(), seed),
        Command::Backup { to } => {
            let store = open(&cli.data, false).await?;
            if to.exists() {
                bail!("{} already exists; choose a new file name", to.display());
            }
            store.backup(&to).await?;
            println!("Backed up to {}", to.display());
            Ok(())
        }
    }
}

/// `alongside link`: files opened here, the work done by `alongside_network::link_csv`;
/// a summary and a progress line (every 5%) on standard error.
fn link_files(
    input: &Path,
    output: &Path,
    pairs: Option<&Path>,
    explain: Option<&Path>,
    seed: u64,
) -> Result<()> {
    use std::io::{BufReader, BufWriter, Write};
    let reader = BufReader::new(
        std::fs::File::open(input).with_context(|| format!("cannot open {}", input.display()))?,
    );
    let create = |path: &Path| {
        std::fs::File::create(path)
            .map(BufWriter::new)
            .with_context(|| format!("cannot create {}", path.display()))
    };
    let out = create(output)?;
    let pairs_out = pairs.map(create).transpose()?;
    let explain_out = explain.map(create).transpose()?;
    let mut settings = alongside_network::Settings::default();
    settings.training.seed = seed;
    let started = std::time::Instant::now();
    let mut shown = None;
    // A bar redrawn in place on a terminal; a line every 5% when standard error is a file.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = alongside_network::link_csv_with(
        reader,
        out,
        pairs_out,
        explain_out,
        &settings,
        |done, total| {
            let percent = (done * 100).checked_div(total).unwrap_or(100).min(100) / 5 * 5;
            if total >= 100_000 && shown != Some(percent) {
                shown = Some(percent);
                let bar: String = (0..20)
                    .map(|i| if i < percent / 5 { '#' } else { '.' })
                    .collect();
                if terminal {
                    eprint!("\rScoring {total} candidate pairs [{bar}] {percent:>3}%");
                    if percent == 100 {
                        eprintln!();
                    }
                } else {
                    eprintln!("Scoring {total} candidate pairs [{bar}] {percent:>3}%");
                }
                std::io::stderr().flush().ok();
            }
        },
    )
    .with_context(|| format!("cannot link {}", input.display()))?;
    eprintln!(
        "Linked {} records into {} clusters ({} pairs accepted of {} compared) in {:.1} s.",
        report.records,
        report.clusters,
        report.pairs,
        report.candidate_pairs,
        started.elapsed().as_secs_f64()
    );
    if let Some(m) = &report.model {
        eprintln!(
            "Model learnt from the file: u from {} random pairs, m by EM on {} candidate pairs ({} iterations, {}).",
            m.random_pairs,
            m.em_pairs,
            m.iterations,
            if m.converged { "converged" } else { "did not converge" }
        );
    }
    if !report.skipped.is_empty() {
        eprintln!("Skipped {} rows:", report.skipped.len());
        for (line, why) in &report.skipped {
            eprintln!("  line {line}: {why}");
        }
    }
    for (line, what) in &report.warnings {
        eprintln!("  line {line}: {what}");
    }
    for (key, n) in &report.oversized_blocks {
        eprintln!("  blocking key {key} held by {n} records: not used for comparison");
    }
    Ok(())
}
