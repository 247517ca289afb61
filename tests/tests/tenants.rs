//! Tenant isolation: a module's records belong to one collectivité and are invisible to the
//! others; the collectivité comes from the `X-Collectivite` header, or is implied when the
//! server hosts only one.

use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn records_of_one_collectivite_are_invisible_to_another() {
    let app = tests_assemblage::app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    app.commune("54395", "Nancy").await;

    let created = app
        .post_for(
            Some("54084"),
            "/api/v1/cimetiere/cimetieres",
            &json!({"nom": "Cimetière communal"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().expect("id");

    let mine = app.get_for("54084", "/api/v1/cimetiere/cimetieres").await;
    assert_eq!(mine.body["items"].as_array().expect("items").len(), 1);
    let theirs = app.get_for("54395", "/api/v1/cimetiere/cimetieres").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.body["items"].as_array().expect("items").is_empty());

    let uri = format!("/api/v1/cimetiere/cimetieres/{id}");
    assert_eq!(app.get_for("54084", &uri).await.status, StatusCode::OK);
    let other = app.get_for("54395", &uri).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.body["code"], "introuvable");

    // The same name is free in the other collectivité.
    let same_name = app
        .post_for(
            Some("54395"),
            "/api/v1/cimetiere/cimetieres",
            &json!({"nom": "Cimetière communal"}),
        )
        .await;
    assert_eq!(same_name.status, StatusCode::CREATED);
}

#[tokio::test]
async fn requests_without_header_act_for_the_default_collectivite() {
    let app = tests_assemblage::app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    app.commune("54395", "Nancy").await;
    let created = app
        .post(
            "/api/v1/elections/bureaux",
            &json!({"code": "1", "nom": "Mairie", "lieu": "Mairie"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(
        app.get_for("54084", "/api/v1/elections/bureaux").await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        app.get_for("54395", "/api/v1/elections/bureaux").await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    let answer = app.get_for("99999", "/api/v1/elections/bureaux").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(
        answer.body["detail"],
        "Collectivité « 99999 » : introuvable."
    );
}

#[tokio::test]
async fn without_default_the_header_is_required() {
    let db = socle::testing::TestDb::new().await;
    let app = tests_assemblage::app_without_default(db).await;
    app.commune("54084", "Mont-Bonvillers").await;
    let answer = app.get("/api/v1/etat-civil/registres").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.body["code"], "collectivite-requise");
    let answer = app.get_for("54084", "/api/v1/etat-civil/registres").await;
    assert_eq!(answer.status, StatusCode::OK);
}
