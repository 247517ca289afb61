//! The electoral list of the elections module: registrations of usagers of the core registry,
//! with the rules the module applies (one registration per person, living, not dated in the
//! future, a bureau of the collectivité).

use axum::http::StatusCode;
use serde_json::{Value, json};
use tests_assemblage::{TestApp, app};

async fn prepare(app: &TestApp) -> (String, String) {
    app.commune("54084", "Mont-Bonvillers").await;
    let bureau = app
        .post(
            "/api/v1/elections/bureaux",
            &json!({"code": "1", "nom": "Mairie", "lieu": "Salle du conseil"}),
        )
        .await;
    assert_eq!(bureau.status, StatusCode::CREATED, "{}", bureau.body);
    let usager = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "Roussel", "prenoms": "Inès", "date_naissance": "1990-04-02"}),
        )
        .await;
    assert_eq!(usager.status, StatusCode::CREATED);
    (id(&bureau.body), id(&usager.body))
}

fn id(body: &Value) -> String {
    body["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn a_usager_is_registered_once_and_listed() {
    let app = app().await;
    let (bureau, usager) = prepare(&app).await;
    let body = json!({"usager_id": usager, "bureau_id": bureau, "date_inscription": "2026-11-24"});
    let created = app.post("/api/v1/elections/inscriptions", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["usager_id"], usager.as_str());
    assert_eq!(created.body["date_inscription"], "2026-11-24");

    let one = app
        .get(&format!(
            "/api/v1/elections/inscriptions/{}",
            id(&created.body)
        ))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["bureau_id"], bureau.as_str());
    let list = app.get("/api/v1/elections/inscriptions").await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));

    let again = app.post("/api/v1/elections/inscriptions", &body).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "deja-inscrit");

    let read = app.get(&format!("/api/v1/usagers/{usager}")).await;
    assert_eq!(read.body["liens"][0]["objet_type"], "elections.inscription");
    let unknown = app
        .get("/api/v1/elections/inscriptions/01a20000-0000-7000-8000-000000000000")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn registrations_follow_the_rules() {
    let app = app().await;
    let (bureau, usager) = prepare(&app).await;
    let post = |body: Value| {
        let app = &app;
        async move { app.post("/api/v1/elections/inscriptions", &body).await }
    };
    // Dated tomorrow: refused; today is accepted (above).
    let future =
        post(json!({"usager_id": usager, "bureau_id": bureau, "date_inscription": "2026-11-25"}))
            .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(future.body["errors"][0]["field"], "date_inscription");

    let no_bureau = post(json!({"usager_id": usager, "bureau_id": usager})).await;
    assert_eq!(no_bureau.status, StatusCode::NOT_FOUND);
    let no_usager = post(json!({"usager_id": bureau, "bureau_id": bureau})).await;
    assert_eq!(no_usager.status, StatusCode::NOT_FOUND);

    let dead = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "Vidal", "prenoms": "Paul",
                    "deces": {"date": "2026-10-01", "source": "declaration"}}),
        )
        .await;
    let refused = post(json!({"usager_id": id(&dead.body), "bureau_id": bureau})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["code"], "usager-decede");

    let deleted = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "Morel", "prenoms": "Luc"}),
        )
        .await;
    let gone = id(&deleted.body);
    let answer = app
        .send(
            axum::http::Method::DELETE,
            &format!("/api/v1/usagers/{gone}"),
            &[],
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    let tombstone = post(json!({"usager_id": gone, "bureau_id": bureau})).await;
    assert_eq!(tombstone.status, StatusCode::GONE);
}
