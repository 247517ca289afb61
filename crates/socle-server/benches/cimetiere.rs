//! What the cemetery module costs on a large cemetery, each figure next to the limit of the same
//! work measured in the same run:
//!
//! 1. the concessions expiring in a year, over 100,000 concessions, through the API (every page
//!    of the list, with emplacement numbers and concessionnaires' names), next to the bare SQL
//!    query of the same rows on the same index;
//! 2. the plan of the whole cemetery in GeoJSON through the API (100,000 emplacement outlines),
//!    next to reading the same outlines from the database and writing them out as text.
//!
//! ```text
//! cargo bench -p socle-server --features testing --bench cimetiere                     # SQLite
//! SOCLE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1/socle_bench \
//!   cargo bench -p socle-server --features testing --bench cimetiere                   # PostgreSQL
//! ```
//!
//! Options (environment): `BANC_TOURS` (5), `BANC_CONCESSIONS` (100000).

#![allow(
    clippy::disallowed_methods,
    reason = "the physical limit is measured with plain transactions, beside the units of work it is compared with"
)]

use std::time::Instant;

use chrono::{Months, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};
use socle::ModuleRegistry;
use socle::testing::TestDb;
use socle_server::testing::TestApp;
use uuid::Uuid;

mod commun;
use commun::{mediane, setting};

/// `GET uri` through the router, the body read as bytes (a client's work, without parsing it):
/// the status and the body's length.
async fn obtenir(app: &TestApp, uri: &str) -> (u16, usize) {
    use tower::ServiceExt;
    let requete = axum::http::Request::get(uri)
        .header("authorization", format!("Bearer {}", app.token))
        .body(axum::body::Body::empty())
        .expect("request");
    let reponse = app.router.clone().oneshot(requete).await.expect("answer");
    let statut = reponse.status().as_u16();
    let corps = axum::body::to_bytes(reponse.into_body(), usize::MAX)
        .await
        .expect("body");
    (statut, corps.len())
}

fn ligne(nom: &str, valeur: f64, unite: &str, rapport: &str) {
    println!("{nom:<56} {valeur:>12.1} {unite:<12} {rapport:>12}");
}

/// `INSERT INTO table (colonnes) VALUES (…), (…)` of `lignes`, with the backend's placeholders.
fn insertion(
    backend: DbBackend,
    table: &str,
    colonnes: &[&str],
    lignes: Vec<Vec<Value>>,
) -> Statement {
    let mut n = 0;
    let mut rangs = Vec::with_capacity(lignes.len());
    for ligne in &lignes {
        let marques: Vec<String> = ligne
            .iter()
            .map(|_| {
                n += 1;
                if backend == DbBackend::Postgres {
                    format!("${n}")
                } else {
                    "?".to_owned()
                }
            })
            .collect();
        rangs.push(format!("({})", marques.join(", ")));
    }
    Statement::from_sql_and_values(
        backend,
        format!(
            "INSERT INTO {table} ({}) VALUES {}",
            colonnes.join(", "),
            rangs.join(", ")
        ),
        lignes.into_iter().flatten(),
    )
}

/// A square outline of about 2 m, the `i`-th of a grid, as GeoJSON text.
fn contour(i: u64) -> String {
    let (lon, lat) = (
        5.83 + (i % 400) as f64 * 0.00003,
        49.32 + (i / 400) as f64 * 0.00003,
    );
    let d = 0.00002;
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon:.7},{lat:.7}],[{:.7},{lat:.7}],[{:.7},{:.7}],[{lon:.7},{:.7}],[{lon:.7},{lat:.7}]]]}}"#,
        lon + d,
        lon + d,
        lat + d,
        lat + d
    )
}

#[tokio::main]
async fn main() {
    let tours = setting("BANC_TOURS", 5).max(1) as usize;
    let total = setting("BANC_CONCESSIONS", 100_000);
    let db = TestDb::new().await;
    let moteur = format!("{:?}", db.engine());
    let registry = ModuleRegistry::builder()
        .module(&socle_cimetiere::Cimetiere)
        .build()
        .expect("modules");
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let app = TestApp::start(registry, db, today, Some("54084")).await;
    let collectivite: Uuid = app
        .commune("54084", "Mont-Bonvillers")
        .await
        .parse()
        .expect("uuid");
    let cimetiere = app
        .post(
            "/api/v1/cimetiere/cimetieres",
            &serde_json::json!({"nom": "Cimetière communal"}),
        )
        .await;
    let cimetiere: Uuid = cimetiere.body["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    let zone = app
        .post(
            &format!("/api/v1/cimetiere/cimetieres/{cimetiere}/zones"),
            &serde_json::json!({"code": "A"}),
        )
        .await;
    let zone: Uuid = zone.body["id"].as_str().expect("id").parse().expect("uuid");
    let titulaire = app
        .post(
            "/api/v1/usagers",
            &serde_json::json!({"nom_naissance": "MARTIN", "prenoms": "Paul"}),
        )
        .await;
    let titulaire: Uuid = titulaire.body["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");

    // 100,000 emplacements with their outline, each under a concession of 30 years granted
    // between 1996 and 2046: their expiries spread over fifty years.
    let db = app.state.db();
    let backend = db.get_database_backend();
    let now = app.state.clock().now();
    let debut = Instant::now();
    let txn = db.begin().await.expect("transaction");
    let ids: Vec<u64> = (0..total).collect();
    for lot in ids.chunks(500) {
        let mut emplacements = Vec::with_capacity(lot.len());
        let mut concessions = Vec::with_capacity(lot.len());
        for &i in lot {
            let emplacement = Uuid::now_v7();
            emplacements.push(vec![
                emplacement.into(),
                collectivite.into(),
                cimetiere.into(),
                zone.into(),
                format!("A-{i:06}").into(),
                "concession".into(),
                2_i32.into(),
                contour(i).into(),
                now.into(),
            ]);
            let acte = NaiveDate::from_ymd_opt(1996, 1, 1).expect("date")
                + chrono::Days::new(i * 18_262 / total.max(1));
            concessions.push(vec![
                Uuid::now_v7().into(),
                collectivite.into(),
                emplacement.into(),
                format!("ACTE-{i:06}").into(),
                acte.into(),
                "trentenaire".into(),
                30_i32.into(),
                "familiale".into(),
                acte.checked_add_months(Months::new(360)).into(),
                30_000_i64.into(),
                titulaire.into(),
                now.into(),
            ]);
        }
        txn.execute_raw(insertion(
            backend,
            "cimetiere_emplacement",
            &[
                "id",
                "collectivite_id",
                "cimetiere_id",
                "zone_id",
                "numero",
                "nature",
                "places",
                "geometrie",
                "cree_le",
            ],
            emplacements,
        ))
        .await
        .expect("emplacements");
        txn.execute_raw(insertion(
            backend,
            "cimetiere_concession",
            &[
                "id",
                "collectivite_id",
                "emplacement_id",
                "numero_acte",
                "date_acte",
                "type_concession",
                "duree_ans",
                "forme",
                "date_echeance",
                "montant_centimes",
                "concessionnaire_id",
                "cree_le",
            ],
            concessions,
        ))
        .await
        .expect("concessions");
    }
    txn.commit().await.expect("commit");
    if backend == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.expect("analyze");
    }
    println!(
        "Socle — cimetière ({moteur}, {total} concessions chargées en {:.1} s, {tours} tours, médiane)\n",
        debut.elapsed().as_secs_f64()
    );

    // 1. A year of expiries.
    let au = today.checked_add_months(Months::new(12)).expect("date");
    let (mut api, mut brut) = (Vec::new(), Vec::new());
    let mut nombre = 0;
    for _ in 0..tours {
        let debut = Instant::now();
        let mut apres = String::new();
        nombre = 0;
        loop {
            let page = app
                .get(&format!(
                    "/api/v1/cimetiere/concessions/echeances?du={today}&au={au}&limit=1000{apres}"
                ))
                .await;
            assert_eq!(page.status.as_u16(), 200, "{:?}", page.body);
            nombre += page.body["items"].as_array().map_or(0, Vec::len);
            match page.body["suite"].as_str() {
                Some(suite) => apres = format!("&apres={suite}"),
                None => break,
            }
        }
        api.push(debut.elapsed().as_secs_f64());
        let debut = Instant::now();
        let lignes = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                if backend == DbBackend::Postgres {
                    "SELECT * FROM cimetiere_concession WHERE collectivite_id = $1 AND date_echeance BETWEEN $2 AND $3 ORDER BY date_echeance, id"
                } else {
                    "SELECT * FROM cimetiere_concession WHERE collectivite_id = ? AND date_echeance BETWEEN ? AND ? ORDER BY date_echeance, id"
                },
                [collectivite.into(), today.into(), au.into()],
            ))
            .await
            .expect("query");
        assert_eq!(lignes.len(), nombre);
        brut.push(debut.elapsed().as_secs_f64());
    }
    let (api, brut) = (mediane(api), mediane(brut));
    println!("Échéances d'une année ({nombre} concessions sur {total})");
    ligne(
        "SELECT des mêmes lignes sur l'index (limite)",
        brut * 1e3,
        "ms",
        "1,00 (réf.)",
    );
    ligne(
        "GET /concessions/echeances, toutes les pages",
        api * 1e3,
        "ms",
        &format!("{:.2}", brut / api),
    );

    // 2. The plan of the whole cemetery.
    let (mut api, mut brut) = (Vec::new(), Vec::new());
    let mut taille = 0;
    for _ in 0..tours {
        let debut = Instant::now();
        let (statut, longueur) = obtenir(
            &app,
            &format!("/api/v1/cimetiere/cimetieres/{cimetiere}/plan"),
        )
        .await;
        assert_eq!(statut, 200);
        taille = longueur;
        api.push(debut.elapsed().as_secs_f64());
        let debut = Instant::now();
        let lignes = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                if backend == DbBackend::Postgres {
                    "SELECT id, numero, geometrie FROM cimetiere_emplacement WHERE cimetiere_id = $1"
                } else {
                    "SELECT id, numero, geometrie FROM cimetiere_emplacement WHERE cimetiere_id = ?"
                },
                [cimetiere.into()],
            ))
            .await
            .expect("query");
        let mut sortie = String::with_capacity(taille);
        for l in &lignes {
            let geometrie: String = l.try_get("", "geometrie").expect("geometrie");
            let numero: String = l.try_get("", "numero").expect("numero");
            sortie.push_str(&geometrie);
            sortie.push_str(&numero);
        }
        assert!(!sortie.is_empty());
        brut.push(debut.elapsed().as_secs_f64());
    }
    let (api, brut) = (mediane(api), mediane(brut));
    println!(
        "\nPlan GeoJSON du cimetière ({total} emplacements, {:.1} Mo)",
        taille as f64 / 1e6
    );
    ligne(
        "SELECT des contours et copie du texte (limite)",
        brut * 1e3,
        "ms",
        "1,00 (réf.)",
    );
    ligne(
        "GET /cimetieres/{id}/plan",
        api * 1e3,
        "ms",
        &format!("{:.2}", brut / api),
    );
}
