//! The vertical modules through HTTP: their first rules, with dates on both sides of each limit.

use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::json;
use socle::testing::TestDb;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[tokio::test]
async fn a_register_opens_in_its_own_year_not_before() {
    // 31 December 2026: the 2027 register cannot be opened yet.
    let eve = tests_assemblage::app_on(date(2026, 12, 31)).await;
    eve.commune("54084", "Mont-Bonvillers").await;
    let refused = eve
        .post(
            "/api/v1/etat-civil/registres",
            &json!({"annee": 2027, "nature": "naissance"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["errors"][0]["field"], "ouvert_le");
    assert_eq!(refused.body["errors"][0]["code"], "hors-annee");
    let future = eve
        .post(
            "/api/v1/etat-civil/registres",
            &json!({"annee": 2027, "nature": "naissance", "ouvert_le": "2027-01-01"}),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(future.body["errors"][0]["code"], "date-future");

    // 1 January 2027, same database: it opens, dated today.
    let new_year = tests_assemblage::app_with_db(eve.db, date(2027, 1, 1)).await;
    let opened = new_year
        .post(
            "/api/v1/etat-civil/registres",
            &json!({"annee": 2027, "nature": "naissance"}),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    assert_eq!(opened.body["ouvert_le"], "2027-01-01");
    assert!(opened.body["clos_le"].is_null());
}

#[tokio::test]
async fn one_register_per_year_and_kind() {
    let app = tests_assemblage::app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    let first = app
        .post(
            "/api/v1/etat-civil/registres",
            &json!({"annee": 2026, "nature": "deces", "ouvert_le": "2026-01-02"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = app
        .post(
            "/api/v1/etat-civil/registres",
            &json!({"annee": 2026, "nature": "deces"}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.body["code"], "registre-existant");
    assert_eq!(
        second.body["detail"],
        "Le registre des décès de 2026 est déjà ouvert : un seul registre par année et par nature d'acte."
    );
    // Another kind, the same year: allowed.
    let births = app
        .post(
            "/api/v1/etat-civil/registres",
            &json!({"annee": 2026, "nature": "naissance"}),
        )
        .await;
    assert_eq!(births.status, StatusCode::CREATED);
    let listed = app.get("/api/v1/etat-civil/registres").await;
    assert_eq!(listed.body["items"].as_array().expect("items").len(), 2);
}

#[tokio::test]
async fn bureau_codes_are_unique_within_a_collectivite() {
    let app = tests_assemblage::app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    let bureau = json!({"code": "1", "nom": "Mairie", "lieu": "Salle du conseil"});
    let first = app.post("/api/v1/elections/bureaux", &bureau).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.body["id"].as_str().expect("id");
    let again = app.post("/api/v1/elections/bureaux", &bureau).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "bureau-existant");
    let read = app.get(&format!("/api/v1/elections/bureaux/{id}")).await;
    assert_eq!(read.body["lieu"], "Salle du conseil");
    let bad_id = app.get("/api/v1/elections/bureaux/pas-un-uuid").await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_id.body["code"], "parametre-invalide");
}

#[tokio::test]
async fn cemetery_names_are_unique_within_a_collectivite() {
    let app = tests_assemblage::app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    let blank = app
        .post("/api/v1/cimetiere/cimetieres", &json!({"nom": "   "}))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        blank.body["errors"],
        json!([{"field": "nom", "code": "vide", "detail": "ne doit pas être vide"}])
    );
    let body = json!({"nom": "Cimetière communal", "adresse": "  "});
    let first = app.post("/api/v1/cimetiere/cimetieres", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(
        first.body["adresse"].is_null(),
        "a blank address is no address"
    );
    let again = app.post("/api/v1/cimetiere/cimetieres", &body).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "cimetiere-existant");
}

#[tokio::test]
async fn migrations_and_demo_can_run_twice() {
    let db = TestDb::new().await;
    let registry = tests_assemblage::registry();
    let first = registry.migrate(&db.db).await.expect("first run");
    assert!(first.iter().all(|m| !m.applied.is_empty()), "{first:?}");
    let second = registry.migrate(&db.db).await.expect("second run");
    assert!(second.iter().all(|m| m.applied.is_empty()), "{second:?}");
    assert!(
        registry
            .pending_migrations(&db.db)
            .await
            .expect("readable")
            .is_empty()
    );

    let clock = socle::temps::FixedClock::on(date(2026, 11, 24));
    socle_server::demo::seed(&db.db, &registry, &clock)
        .await
        .expect("demo");
    socle_server::demo::seed(&db.db, &registry, &clock)
        .await
        .expect("demo again");
    let app = tests_assemblage::app_with_db(db, date(2026, 11, 24)).await;
    let communes = app.get("/api/v1/collectivites").await;
    assert_eq!(communes.body["items"].as_array().expect("items").len(), 1);
    for (uri, count) in [
        ("/api/v1/cimetiere/cimetieres", 2),
        ("/api/v1/elections/bureaux", 2),
        ("/api/v1/etat-civil/registres", 3),
    ] {
        let answer = app.get(uri).await;
        assert_eq!(
            answer.body["items"].as_array().expect("items").len(),
            count,
            "{uri}"
        );
    }
}
