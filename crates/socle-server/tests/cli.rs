//! The `socle` binary as an administrator meets it: it serves, answers `/health`, stops cleanly
//! on SIGTERM, and reports bad configuration in one French line, never a panic.
//! The database is the test's own: SQLite, or PostgreSQL with `SOCLE_TEST_DATABASE_URL`.

use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use socle::testing::TestDb;

fn socle() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_socle"));
    for var in [
        "DATABASE_URL",
        "SOCLE_MODULES",
        "SOCLE_TODAY",
        "SOCLE_ADDR",
        "SOCLE_TIMEZONE",
        "SOCLE_LOG_FORMAT",
    ] {
        command.env_remove(var);
    }
    command.env("SOCLE_LOG", "warn");
    command
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs a command that must fail, and returns its one line of standard error.
fn one_error_line(command: &mut Command) -> String {
    let Output { status, stderr, .. } = command.output().expect("socle runs");
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    assert_eq!(status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(lines[0].starts_with("socle : erreur : "), "{stderr}");
    lines[0].to_owned()
}

fn wait_for_exit(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("child status") {
            return status;
        }
        assert!(
            start.elapsed() < limit,
            "server did not stop within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn serves_health_and_openapi_then_stops_on_sigterm() {
    let db = TestDb::new().await;
    let port = free_port();
    let mut child = socle()
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db.url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("socle serve starts");

    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let start = Instant::now();
    let health = loop {
        match client.get(format!("{base}/health")).send().await {
            Ok(response) => break response,
            Err(_) if start.elapsed() < Duration::from_secs(60) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(err) => {
                child.kill().ok();
                panic!("server never answered: {err}");
            }
        }
    };
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.expect("json");
    assert_eq!(body["status"], "ok");

    let openapi: serde_json::Value = client
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .expect("openapi answers")
        .json()
        .await
        .expect("json");
    assert_eq!(openapi["openapi"], "3.1.0");
    let anonymous = client
        .get(format!("{base}/api/v1/cimetiere/cimetieres"))
        .send()
        .await
        .expect("answers");
    assert_eq!(anonymous.status(), 401);
    let session: serde_json::Value = client
        .post(format!("{base}/api/v1/droits/connexion"))
        .json(&serde_json::json!({"identifiant": "demo", "mot_de_passe": "demonstration"}))
        .send()
        .await
        .expect("login answers")
        .json()
        .await
        .expect("json");
    let token = session["jeton"].as_str().expect("a session token");
    let demo: serde_json::Value = client
        .get(format!("{base}/api/v1/cimetiere/cimetieres"))
        .bearer_auth(token)
        .send()
        .await
        .expect("demo data answers")
        .json()
        .await
        .expect("json");
    assert_eq!(demo["items"].as_array().map(Vec::len), Some(2));
    // The demo cemetery has an abandonment procedure in progress, waiting for its second
    // procès-verbal.
    let reprises: serde_json::Value = client
        .get(format!("{base}/api/v1/cimetiere/reprises"))
        .bearer_auth(token)
        .send()
        .await
        .expect("reprises answer")
        .json()
        .await
        .expect("json");
    assert_eq!(reprises[0]["etape"], "publication", "{reprises:?}");
    assert_eq!(reprises[0]["prochaine_etape"][0], "second_constat");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = wait_for_exit(&mut child, Duration::from_secs(15));
    assert!(
        status.success(),
        "graceful shutdown exits 0, got {status:?}"
    );
}

#[test]
fn unsupported_database_is_one_line() {
    let line =
        one_error_line(socle().args(["migrate", "--database", "mysql://root@localhost/socle"]));
    assert!(line.contains("« mysql » non pris en charge"), "{line}");
}

#[test]
fn malformed_database_url_is_one_line() {
    let line = one_error_line(socle().args(["migrate", "--database", "socle.db"]));
    assert!(
        line.contains("adresse de base de données invalide"),
        "{line}"
    );
}

#[test]
fn unreachable_database_is_one_line_without_password() {
    let port = free_port();
    let line = one_error_line(socle().args(["migrate"]).env(
        "DATABASE_URL",
        format!("postgres://agent:secret@127.0.0.1:{port}/socle"),
    ));
    assert!(
        line.contains("connexion impossible à la base de données"),
        "{line}"
    );
    assert!(!line.contains("secret"), "{line}");
}

#[test]
fn port_in_use_is_one_line() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr");
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let line =
        one_error_line(socle().args(["serve", "--addr", &addr.to_string(), "--database", &url]));
    assert!(line.contains("est déjà utilisée"), "{line}");
}

#[test]
fn unknown_default_collectivite_is_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let port = free_port();
    let line = one_error_line(socle().args([
        "serve",
        "--addr",
        &format!("127.0.0.1:{port}"),
        "--database",
        &url,
        "--collectivite",
        "75056",
    ]));
    assert!(
        line.contains("--collectivite / SOCLE_COLLECTIVITE"),
        "{line}"
    );
}

#[test]
fn partial_openid_connect_settings_are_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let port = free_port();
    let line = one_error_line(
        socle()
            .args([
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--database",
                &url,
            ])
            .env("SOCLE_OIDC_ISSUER", "https://idp.example")
            .env_remove("SOCLE_OIDC_CLIENT_SECRET"),
    );
    assert!(line.contains("SOCLE_OIDC_CLIENT_SECRET"), "{line}");
}

#[test]
fn bad_settings_are_one_line() {
    let line = one_error_line(socle().args(["serve", "--addr", "localhost"]));
    assert!(line.contains("--addr / SOCLE_ADDR"), "{line}");
    let line = one_error_line(socle().args(["modules"]).env("SOCLE_TODAY", "01/05/2031"));
    assert!(line.contains("AAAA-MM-JJ"), "{line}");
    let line = one_error_line(socle().args(["modules", "--timezone", "Paris"]));
    assert!(line.contains("fuseau horaire"), "{line}");
    let line = one_error_line(
        socle()
            .args(["modules"])
            .env("SOCLE_MODULES", "cimetiere,salles"),
    );
    assert!(line.contains("« salles »"), "{line}");
}

#[tokio::test]
async fn migrate_is_idempotent() {
    let db = TestDb::new().await;
    let run = || {
        let output = socle()
            .args(["migrate"])
            .env("DATABASE_URL", db.url())
            .output()
            .expect("socle migrate runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let first = run();
    assert!(
        first.contains("cimetiere : 14 migration(s) appliquée(s)"),
        "{first}"
    );
    let second = run();
    for module in ["collectivites", "cimetiere", "elections", "etat-civil"] {
        assert!(second.contains(&format!("{module} : à jour")), "{second}");
    }
    let check = socle()
        .args(["migrate", "--check"])
        .env("DATABASE_URL", db.url())
        .output()
        .expect("runs");
    assert!(check.status.success());
}

#[test]
fn modules_lists_what_is_linked_and_enabled() {
    let output = socle().args(["modules"]).output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    for id in ["collectivites", "cimetiere", "elections", "etat-civil"] {
        assert!(text.contains(id), "{text}");
    }
    let output = socle()
        .args(["modules", "--json"])
        .env("SOCLE_MODULES", "etat-civil")
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let ids: Vec<&str> = json
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m["id"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&"etat-civil") && ids.contains(&"collectivites"),
        "{ids:?}"
    );
    assert!(
        !ids.contains(&"cimetiere") && !ids.contains(&"elections"),
        "{ids:?}"
    );
}

#[tokio::test]
async fn journal_verification_reports_tampering_with_exit_status() {
    let db = TestDb::new().await;
    let run = |args: &[&str]| {
        socle()
            .args(args)
            .env("DATABASE_URL", db.url())
            .output()
            .expect("socle runs")
    };
    assert!(run(&["demo"]).status.success());
    // The demo administrator, the demo's records and the purge are journaled: three entries.
    let purge = run(&["journal", "purger", "--conservation-mois", "6"]);
    assert!(
        purge.status.success(),
        "{}",
        String::from_utf8_lossy(&purge.stderr)
    );
    let intact = run(&["journal", "verifier"]);
    let text = String::from_utf8_lossy(&intact.stdout);
    assert!(intact.status.success(), "{text}");
    assert!(
        text.starts_with("Journal intact : 3 entrée(s) vérifiée(s)"),
        "{text}"
    );
    assert!(text.contains("--ancre 3:"), "{text}");

    sea_orm::ConnectionTrait::execute_unprepared(
        &db.db,
        "UPDATE journal_entree SET motif = 'rien' WHERE seq = 1",
    )
    .await
    .expect("tamper");
    let tampered = run(&["journal", "verifier"]);
    let text = String::from_utf8_lossy(&tampered.stdout);
    assert_eq!(tampered.status.code(), Some(1), "{text}");
    assert!(text.contains("ANOMALIE : entrée n° 1 modifiée"), "{text}");

    let line = one_error_line(
        socle()
            .args(["journal", "purger", "--conservation-mois", "48"])
            .env("DATABASE_URL", db.url()),
    );
    assert!(line.contains("entre 6 et 36 mois"), "{line}");
}

#[tokio::test]
async fn the_first_administrator_is_created_from_the_command_line() {
    let db = TestDb::new().await;
    let create = |login: &str, password: &str| {
        socle()
            .args([
                "agent",
                "creer",
                "--identifiant",
                login,
                "--nom",
                "Service informatique",
                "--administrateur",
            ])
            .env("DATABASE_URL", db.url())
            .env("SOCLE_MOT_DE_PASSE", password)
            .output()
            .expect("socle runs")
    };
    let created = create("admin", "un mot de passe solide");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&created.stdout).trim(),
        "Compte « admin » créé (administrateur)."
    );
    let line = one_error_line(
        socle()
            .args(["agent", "creer", "--identifiant", "admin2", "--nom", "X"])
            .env("DATABASE_URL", db.url())
            .env("SOCLE_MOT_DE_PASSE", "court"),
    );
    assert!(line.contains("mot_de_passe"), "{line}");
    let again = create("admin", "un mot de passe solide");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("déjà pris"));
    // The password never shows, not even in the journal-free error path.
    assert!(!String::from_utf8_lossy(&created.stderr).contains("solide"));

    // `verify` is accepted as well as `verifier`.
    let verify = socle()
        .args(["journal", "verify"])
        .env("DATABASE_URL", db.url())
        .output()
        .expect("runs");
    assert!(verify.status.success());
}
