//! What the audit journal costs.
//!
//! Serves a bench-only module whose two routes read the same record, one journaling the read
//! and one not, and loads them over loopback HTTP with concurrent clients, next to `/health`
//! (the HTTP floor). Then measures the raw journal append rate next to plain one-row commits on
//! the same database (the physical limit of "one more row per transaction").
//!
//! ```text
//! cargo bench -p socle-server --features testing --bench journal                       # SQLite
//! SOCLE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1/socle_bench \
//!   cargo bench -p socle-server --features testing --bench journal                     # PostgreSQL
//! ```
//!
//! Options (environment): `BANC_CLIENTS` (32), `BANC_SECONDES` (5), `BANC_TOURS` (3).

#![allow(
    clippy::disallowed_methods,
    reason = "the physical limit is measured with plain transactions, beside the units of work it is compared with"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, TransactionTrait};
use socle::ModuleRegistry;
use socle::prelude::*;
use socle::testing::TestDb;
use socle_server::testing::TestApp;
use utoipa_axum::routes;

mod commun;
use commun::{charge_get as charge, medianes, setting};

/// The bench-only module.
struct Banc;

const PERMISSIONS: &[Permission] = &[Permission::new("banc.lire", "Lire")];

/// Read the collectivité, journaling the read.
#[utoipa::path(get, path = "/journalise", tag = "banc", security(("jeton" = ["banc.lire"])), responses((status = 200, body = String)))]
async fn journalise(
    State(state): State<AppState>,
    auth: Auth,
    c: CollectiviteCourante,
) -> Result<Json<String>, ApiError> {
    let found = socle::collectivite::find(state.db(), &c.code)
        .await?
        .ok_or_else(|| ApiError::not_found("x"))?;
    socle::journal::lecture(&state, &auth, "banc.collectivite", found.id).await?;
    Ok(Json(found.nom))
}

/// Read the collectivité, without journaling.
#[utoipa::path(get, path = "/brut", tag = "banc", security(("jeton" = ["banc.lire"])), responses((status = 200, body = String)))]
async fn brut(
    State(state): State<AppState>,
    c: CollectiviteCourante,
) -> Result<Json<String>, ApiError> {
    let found = socle::collectivite::find(state.db(), &c.code)
        .await?
        .ok_or_else(|| ApiError::not_found("x"))?;
    Ok(Json(found.nom))
}

impl Module for Banc {
    fn id(&self) -> &'static str {
        "banc"
    }
    fn name(&self) -> &'static str {
        "Banc d'essai"
    }
    fn version(&self) -> &'static str {
        "0"
    }
    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites"]
    }
    fn routes(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new()
            .routes(routes!(journalise))
            .routes(routes!(brut))
    }
    fn permissions(&self) -> &'static [Permission] {
        PERMISSIONS
    }
}

#[tokio::main]
async fn main() {
    let clients = setting("BANC_CLIENTS", 32);
    let duree = Duration::from_secs(setting("BANC_SECONDES", 5));
    let tours = setting("BANC_TOURS", 3) as usize;
    let db = TestDb::new().await;
    let moteur = format!("{:?}", db.engine());
    let registry = ModuleRegistry::builder()
        .module(&Banc)
        .build()
        .expect("modules");
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let app = Arc::new(TestApp::start(registry, db, today, Some("54084")).await);
    app.commune("54084", "Mont-Bonvillers").await;
    let token = app.jeton("54084", &["banc.lire"]).await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let addr = listener.local_addr().expect("adresse");
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serveur") });

    println!(
        "Socle — coût du journal ({moteur}, {clients} clients, {} s × {tours} tours, médiane)",
        duree.as_secs()
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>12}",
        "scénario", "req/s", "p50 (ms)", "p99 (ms)", "rapport"
    );
    let mut reference = None;
    for (nom, chemin) in [
        ("/health (plancher HTTP)", "/health"),
        ("lecture sans journal", "/api/v1/banc/brut"),
        ("lecture journalisée", "/api/v1/banc/journalise"),
    ] {
        let url = format!("http://{addr}{chemin}");
        let mut mesures = Vec::new();
        for _ in 0..tours {
            mesures.push(charge(&url, &token, clients, duree).await);
        }
        let (debit, p50, p99) = medianes(&mesures);
        let rapport = match (chemin, reference) {
            ("/api/v1/banc/brut", _) => {
                reference = Some(debit);
                String::from("1,00 (réf.)")
            }
            ("/api/v1/banc/journalise", Some(r)) => format!("{:.2}", debit / r),
            _ => String::from("—"),
        };
        println!("{nom:<28} {debit:>10.0} {p50:>10.2} {p99:>10.2} {rapport:>12}");
    }

    // The physical limit of one more row per transaction on this database, single client.
    let n = 2_000;
    let db = &app.db.db;
    db.execute_unprepared(
        "CREATE TABLE banc_ligne (id BIGINT PRIMARY KEY, texte VARCHAR(64) NOT NULL)",
    )
    .await
    .expect("table");
    let debut = Instant::now();
    for i in 0..n {
        let txn = db.begin().await.expect("txn");
        txn.execute_unprepared(&format!(
            "INSERT INTO banc_ligne (id, texte) VALUES ({i}, 'ligne')"
        ))
        .await
        .expect("insert");
        txn.commit().await.expect("commit");
    }
    let brut = f64::from(n) / debut.elapsed().as_secs_f64();
    let debut = Instant::now();
    for _ in 0..n {
        let evenement = socle::journal::Evenement::systeme("lecture", "banc.ligne", 1);
        socle::journal::consigner_seul(db, evenement, chrono::Utc::now())
            .await
            .expect("entrée");
    }
    let journal = f64::from(n) / debut.elapsed().as_secs_f64();
    println!();
    println!("{:<28} {:>10}", "un client, transactions/s", "");
    println!(
        "{:<28} {brut:>10.0} {:>35}",
        "INSERT d'une ligne (limite)", "1,00 (réf.)"
    );
    println!(
        "{:<28} {journal:>10.0} {:>35.2}",
        "entrée de journal chaînée",
        journal / brut
    );

    let debut = Instant::now();
    let rapport = socle::journal::verifier(db).await.expect("vérification");
    let secondes = debut.elapsed().as_secs_f64();
    println!(
        "\nvérification : {} entrées en {:.3} s ({:.0} entrées/s), {} anomalie(s)",
        rapport.entrees_verifiees,
        secondes,
        rapport.entrees_verifiees as f64 / secondes,
        rapport.anomalies.len()
    );
}
