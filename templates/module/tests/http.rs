//! The module through HTTP, on SQLite or PostgreSQL (`SOCLE_TEST_DATABASE_URL`): create, read,
//! list, and every refusal. A new module copied from this template starts with these tests.

use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::json;
use socle::ModuleRegistry;
use socle::testing::TestDb;
use socle_server::testing::TestApp;

async fn app() -> TestApp {
    let registry = ModuleRegistry::builder()
        .module(&socle_modele::Modele)
        .build()
        .expect("the module fits the core");
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date");
    let app = TestApp::start(registry, TestDb::new().await, today, Some("54084")).await;
    app.commune("54084", "Mont-Bonvillers").await;
    app
}

#[tokio::test]
async fn create_read_and_list() {
    let app = app().await;
    let created = app
        .post("/api/v1/modele/elements", &json!({"nom": " Premier "}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["nom"], "Premier");
    let id = created.body["id"].as_str().expect("id");

    let read = app.get(&format!("/api/v1/modele/elements/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["id"], id);

    let listed = app.get("/api/v1/modele/elements").await;
    assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn refusals_are_problem_json() {
    let app = app().await;
    let blank = app
        .post("/api/v1/modele/elements", &json!({"nom": "  "}))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(blank.body["errors"][0]["field"], "nom");

    let first = app
        .post("/api/v1/modele/elements", &json!({"nom": "Même"}))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = app
        .post("/api/v1/modele/elements", &json!({"nom": "Même"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "element-existant");

    // Another collectivité does not see it.
    app.commune("54395", "Nancy").await;
    let id = first.body["id"].as_str().expect("id");
    let other = app
        .get_for("54395", &format!("/api/v1/modele/elements/{id}"))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
