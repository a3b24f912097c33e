//! The `alongside` command line, run as a person would run it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn alongside(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alongside"));
    cmd.args(args)
        .env_remove("DATABASE_URL")
        .env("ALONGSIDE_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run alongside");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn identifiers_prints_one_json_object_a_line() {
    let input = "Car AB12 CDE, phone +44 (0) 7700 900123. Not 12345077009001234567.";
    let out = alongside(&["identifiers"], &[], input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["kind"], "vehicle");
    assert_eq!(lines[0]["value"], "AB12CDE");
    assert_eq!(lines[0]["raw"], "AB12 CDE");
    assert_eq!(lines[1]["value"], "+447700900123");
    let (start, end) = (
        lines[1]["start"].as_u64().unwrap() as usize,
        lines[1]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&input[start..end], lines[1]["raw"].as_str().unwrap());
}

#[test]
fn a_mistyped_database_url_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let out = alongside(
        &["migrate"],
        &[("DATABASE_URL", "postgress://someone@localhost/db")],
        "",
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("scheme 'postgress' is not supported"),
        "{}",
        text(&out.stderr)
    );
    let missing = dir.path().join("nope.db");
    let url = format!("sqlite://{}", missing.display());
    let out = alongside(&["serve", "--port", "0"], &[("DATABASE_URL", &url)], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("there is no SQLite database"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists(), "no empty database was made");
}

#[test]
fn users_demo_data_and_backups() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let out = alongside(
        &[
            "--data",
            data,
            "create-user",
            "--username",
            "a.worker",
            "--name",
            "A Worker",
            "--role",
            "plo",
            "--hub",
            "North",
        ],
        &[("ALONGSIDE_PASSWORD", "a-long-synthetic-password")],
        "",
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no hub called 'North'"));
    let out = alongside(
        &[
            "--data",
            data,
            "create-user",
            "--username",
            "a.worker",
            "--name",
            "A Worker",
            "--role",
            "boss",
            "--hub",
            "North",
        ],
        &[],
        "",
    );
    assert!(text(&out.stderr).contains("'boss' is not a role"));
    let out = alongside(
        &[
            "--data",
            data,
            "create-user",
            "--username",
            "a.worker",
            "--name",
            "A Worker",
            "--role",
            "plo",
            "--hub",
            "North",
            "--create-hub",
        ],
        &[],
        "too short\n",
    );
    assert!(text(&out.stderr).contains("at least 15 characters"));
    let out = alongside(
        &[
            "--data",
            data,
            "create-user",
            "--username",
            "a.worker",
            "--name",
            "A Worker",
            "--role",
            "plo",
            "--hub",
            "North",
            "--create-hub",
        ],
        &[],
        "a-long-synthetic-password\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = alongside(
        &["--data", data, "demo-data", "--families", "120"],
        &[("ALONGSIDE_DEMO_PASSWORD", "demo-synthetic-password")],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("with 120 synthetic families"), "{stdout}");
    assert!(stdout.contains("demo.manager") && stdout.contains("demo.plo"));
    let out = alongside(&["--data", data, "demo-data", "--families", "5"], &[], "");
    assert!(text(&out.stdout).contains("already exists"));
    assert!(
        text(&out.stdout).contains("Demo password (generated"),
        "a generated password is printed once"
    );

    // Looking after an account from the server, as a named administrator (audited).
    let account = |action: &str, extra: &[&str]| {
        let mut args = vec![
            "--data",
            data,
            "account",
            action,
            "demo.csw",
            "--as",
            "demo.admin",
        ];
        args.extend_from_slice(extra);
        alongside(&args, &[], "")
    };
    let out = account("disable", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("demo.csw: disabled"));
    let out = account("enable", &[]);
    assert!(text(&out.stdout).contains("demo.csw: enabled"));
    let out = account("reset-code", &[]);
    assert!(
        text(&out.stdout).contains("Reset code for demo.csw"),
        "{}",
        text(&out.stderr)
    );
    let out = account("role", &["--role", "plo"]);
    assert!(text(&out.stdout).contains("once a manager of the hub approves it"));
    let out = account("role", &["--role", "administrator"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("on the server"),
        "{}",
        text(&out.stderr)
    );
    let out = alongside(
        &[
            "--data", data, "account", "disable", "demo.csw", "--as", "demo.plo",
        ],
        &[],
        "",
    );
    assert!(text(&out.stderr).contains("not an active administrator"));

    let backup = dir.path().join("copy.db");
    let out = alongside(
        &["--data", data, "backup", "--to", backup.to_str().unwrap()],
        &[],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::metadata(&backup).unwrap().len() > 100_000);
    let out = alongside(
        &["--data", data, "backup", "--to", backup.to_str().unwrap()],
        &[],
        "",
    );
    assert!(
        text(&out.stderr).contains("already exists"),
        "a backup never overwrites"
    );
}
