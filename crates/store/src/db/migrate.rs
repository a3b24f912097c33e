//! Each backend's migrations, embedded in the binary. The two lists name the same
//! versions; `tests/schema_parity.rs` checks that the schemas they make agree.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

macro_rules! migrations {
    ($dir:literal) => {
        [
            (
                1,
                "init",
                include_str!(concat!("../../migrations/", $dir, "/0001_init.sql")),
            ),
            (
                2,
                "family search key",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0002_family_search_key.sql"
                )),
            ),
            (
                3,
                "information log, intelligence, evidence, incidents",
                include_str!(concat!("../../migrations/", $dir, "/0003_information.sql")),
            ),
            (
                4,
                "alerts",
                include_str!(concat!("../../migrations/", $dir, "/0004_alerts.sql")),
            ),
            (
                5,
                "person merges",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0005_person_merges.sql"
                )),
            ),
            (
                6,
                "schema parity",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0006_schema_parity.sql"
                )),
            ),
            (
                7,
                "clean photos",
                include_str!(concat!("../../migrations/", $dir, "/0007_clean_photos.sql")),
            ),
            (
                8,
                "outcome history",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0008_outcome_history.sql"
                )),
            ),
            (
                9,
                "account approval",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0009_account_approval.sql"
                )),
            ),
            (
                10,
                "token expiry",
                include_str!(concat!("../../migrations/", $dir, "/0010_token_expiry.sql")),
            ),
            (
                11,
                "uncleaned photos",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0011_uncleaned_photos.sql"
                )),
            ),
            (
                12,
                "accounts",
                include_str!(concat!("../../migrations/", $dir, "/0012_accounts.sql")),
            ),
            (
                13,
                "audit origin",
                include_str!(concat!("../../migrations/", $dir, "/0013_audit_origin.sql")),
            ),
            (
                14,
                "cross-hub limits",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0014_cross_hub_limits.sql"
                )),
            ),
            (
                15,
                "review before the police",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0015_review_before_police.sql"
                )),
            ),
            (
                16,
                "safety plans",
                include_str!(concat!("../../migrations/", $dir, "/0016_safety_plans.sql")),
            ),
            (
                17,
                "missing profiles",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0017_missing_profiles.sql"
                )),
            ),
            (
                18,
                "missing episodes",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0018_missing_episodes.sql"
                )),
            ),
            (
                19,
                "return interviews",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0019_return_interviews.sql"
                )),
            ),
            (
                20,
                "profile shares",
                include_str!(concat!(
                    "../../migrations/",
                    $dir,
                    "/0020_profile_shares.sql"
                )),
            ),
            (
                21,
                "placements",
                include_str!(concat!("../../migrations/", $dir, "/0021_placements.sql")),
            ),
            (
                22,
                "continuity",
                include_str!(concat!("../../migrations/", $dir, "/0022_continuity.sql")),
            ),
            (
                23,
                "unit costs",
                include_str!(concat!("../../migrations/", $dir, "/0023_unit_costs.sql")),
            ),
            (
                24,
                "one current",
                include_str!(concat!("../../migrations/", $dir, "/0024_one_current.sql")),
            ),
        ]
    };
}

pub(super) fn sqlite() -> Migrator {
    migrator(&migrations!("sqlite"))
}

pub(super) fn postgres() -> Migrator {
    migrator(&migrations!("postgres"))
}

fn migrator(files: &[(i64, &'static str, &'static str)]) -> Migrator {
    // The fields are public for `sqlx::migrate!`; we fill them from files embedded with
    // `include_str!` rather than pull in sqlx's query macros (and a second build of both
    // drivers) for that one macro. The version is pinned in Cargo.lock.
    Migrator {
        migrations: Cow::Owned(
            files
                .iter()
                .map(|(v, d, sql)| {
                    Migration::new(
                        *v,
                        Cow::Borrowed(d),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect(),
        ),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

#[cfg(test)]
mod tests {
    /// Every file in each migrations directory is run, in the order of its number: a file
    /// added but not listed would silently never run.
    #[test]
    fn every_migration_file_is_listed() {
        for (dir, files) in [
            ("sqlite", migrations!("sqlite")),
            ("postgres", migrations!("postgres")),
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir);
            let mut on_disk: Vec<i64> = std::fs::read_dir(&path)
                .expect("migrations directory")
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    name.strip_suffix(".sql")
                        .and_then(|n| n.split('_').next())
                        .and_then(|n| n.parse().ok())
                })
                .collect();
            on_disk.sort();
            let listed: Vec<i64> = files.iter().map(|(v, _, _)| *v).collect();
            assert_eq!(
                listed, on_disk,
                "{dir}: every migration file listed, in order"
            );
        }
    }
}
