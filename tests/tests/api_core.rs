//! The core endpoints of an assembly: health, modules, OpenAPI, error format, collectivités.
//! Run on SQLite by default and on PostgreSQL with `SOCLE_TEST_DATABASE_URL`.

use std::collections::BTreeSet;

use axum::Json;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use socle::prelude::*;
use utoipa_axum::routes;

/// A plug-in defined only in this test crate: the core and the server know nothing of it.
struct Essai;

/// Answers a constant, to prove the route is mounted.
#[utoipa::path(get, path = "/ping", tag = "essai", security(("jeton" = ["essai.ping.lire"])), responses((status = 200, description = "pong", body = String)))]
async fn ping() -> Json<&'static str> {
    Json("pong")
}

impl Module for Essai {
    fn id(&self) -> &'static str {
        "essai"
    }
    fn name(&self) -> &'static str {
        "Module d'essai"
    }
    fn version(&self) -> &'static str {
        "0.0.1"
    }
    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites"]
    }
    fn routes(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new().routes(routes!(ping))
    }
    fn permissions(&self) -> &'static [Permission] {
        const P: &[Permission] = &[Permission::new(
            "essai.ping.lire",
            "Interroger le module d'essai",
        )];
        P
    }
}

socle::register_module!(Essai);

#[tokio::test]
async fn health_answers_ok() {
    let app = tests_assemblage::app().await;
    let answer = app.get("/health").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["status"], "ok");
    assert_eq!(answer.body["database"], "ok");
}

#[tokio::test]
async fn responses_carry_security_headers_and_no_cors() {
    let app = tests_assemblage::app().await;
    let answer = app
        .send(
            Method::GET,
            "/api/v1/modules",
            &[("origin", "https://ailleurs.example")],
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.headers["x-content-type-options"], "nosniff");
    assert_eq!(answer.headers["x-frame-options"], "DENY");
    assert_eq!(answer.headers["referrer-policy"], "no-referrer");
    assert_eq!(answer.headers["cache-control"], "no-store");
    assert!(
        answer.headers.get("access-control-allow-origin").is_none(),
        "CORS is closed"
    );
}

#[tokio::test]
async fn modules_lists_every_linked_module_in_dependency_order() {
    let app = tests_assemblage::app().await;
    let answer = app.get("/api/v1/modules").await;
    assert_eq!(answer.status, StatusCode::OK);
    let ids: Vec<&str> = answer
        .body
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m["id"].as_str().expect("id"))
        .collect();
    // Every linked module, each after its dependencies, ties broken by id.
    for expected in [
        "collectivites",
        "droits",
        "journal",
        "rgpd",
        "cimetiere",
        "elections",
        "essai",
        "etat-civil",
    ] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
    let position = |id: &str| ids.iter().position(|m| *m == id);
    for module in app.state.registry().iter() {
        for dependency in module.dependencies() {
            assert!(position(dependency) < position(module.id()), "{ids:?}");
        }
    }
    let cimetiere = &answer.body[position("cimetiere").expect("listed")];
    assert_eq!(cimetiere["name"], "Cimetière");
    assert_eq!(
        cimetiere["dependencies"],
        json!(["collectivites", "usagers"])
    );
    assert!(
        cimetiere["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .all(|p| p["action"]
                .as_str()
                .is_some_and(|a| a.starts_with("cimetiere.")))
    );
}

#[tokio::test]
async fn test_module_routes_are_mounted_under_its_id() {
    let app = tests_assemblage::app().await;
    let answer = app.get("/api/v1/essai/ping").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, "pong");
}

fn openapi_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/oas-3.1-schema-2022-10-07.json"))
            .expect("schema fixture is JSON");
    jsonschema::validator_for(&schema).expect("the OpenAPI 3.1 schema compiles")
}

fn openapi_errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[tokio::test]
async fn openapi_document_is_valid_openapi_3_1_and_lists_every_module() {
    let app = tests_assemblage::app().await;
    let answer = app.get("/api/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let document = answer.body;
    assert_eq!(document["openapi"], "3.1.0");

    let validator = openapi_validator();
    let errors = openapi_errors(&validator, &document);
    assert!(errors.is_empty(), "invalid OpenAPI document: {errors:#?}");

    // Every schema the document describes is a valid JSON Schema 2020-12 schema.
    for (name, schema) in document["components"]["schemas"]
        .as_object()
        .expect("schemas")
    {
        assert!(
            jsonschema::meta::is_valid(schema),
            "component schema {name} is not valid JSON Schema"
        );
    }

    // Every local reference resolves.
    let text = document.to_string();
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("schemas");
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().expect("reference name");
        assert!(schemas.contains_key(name), "dangling $ref to {name}");
    }

    // Every module has routes in the document, under its own prefix.
    let paths: BTreeSet<&str> = document["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    for module in app.state.registry().iter() {
        let prefix = format!("/api/v1/{}", module.id());
        assert!(
            paths.iter().any(|p| p.starts_with(&prefix)),
            "no route of {} in {paths:?}",
            module.id()
        );
    }
    for expected in [
        "/health",
        "/api/v1/modules",
        "/api/v1/collectivites",
        "/api/v1/cimetiere/cimetieres",
        "/api/v1/elections/bureaux",
        "/api/v1/etat-civil/registres/{id}",
        "/api/v1/essai/ping",
    ] {
        assert!(
            paths.contains(expected),
            "{expected} missing from {paths:?}"
        );
    }
    let tags: Vec<&str> = document["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| t["name"].as_str().expect("tag name"))
        .collect();
    assert!(
        tags.contains(&"etat-civil") && tags.contains(&"essai"),
        "{tags:?}"
    );
}

/// Generated clients name their methods after `operationId`s: each is unique and names its
/// module, whatever the handlers of different modules are called.
#[tokio::test]
async fn every_operation_has_its_own_operation_id_named_after_its_module() {
    let app = tests_assemblage::app().await;
    let document = app.get("/api/openapi.json").await.body;
    let mut vus = BTreeSet::new();
    let mut total = 0;
    for (chemin, item) in document["paths"].as_object().expect("paths") {
        for (methode, operation) in item.as_object().expect("path item") {
            let Some(id) = operation["operationId"].as_str() else {
                panic!("{methode} {chemin} has no operationId");
            };
            total += 1;
            assert!(vus.insert(id.to_owned()), "{id} twice ({methode} {chemin})");
            let module = operation["tags"][0].as_str().unwrap_or("serveur");
            assert!(
                id.starts_with(&format!("{}_", module.replace('-', "_"))),
                "{id} for {methode} {chemin} in {module}"
            );
        }
    }
    assert!(total > 100, "{total} operations only");
    // A page's size is declared as the server checks it.
    let limite = &document["paths"]["/api/v1/cimetiere/cimetieres"]["get"]["parameters"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "limit").cloned())
        .expect("limit");
    assert_eq!(limite["schema"]["minimum"], 1, "{limite}");
    assert_eq!(limite["schema"]["maximum"], 500, "{limite}");
    // Two handlers named alike in one module are told apart by their path.
    assert!(
        vus.iter().filter(|id| id.starts_with("cimetiere_")).count() > 30,
        "{vus:?}"
    );
}

#[test]
fn openapi_validator_rejects_an_invalid_document() {
    let validator = openapi_validator();
    let no_info = json!({"openapi": "3.1.0", "paths": {}});
    assert!(!openapi_errors(&validator, &no_info).is_empty());
    let old_version =
        json!({"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}});
    assert!(!openapi_errors(&validator, &old_version).is_empty());
    let bad_response = json!({
        "openapi": "3.1.0", "info": {"title": "x", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200": {"content": 3}}}}}
    });
    assert!(!openapi_errors(&validator, &bad_response).is_empty());
}

#[tokio::test]
async fn docs_page_is_served() {
    let app = tests_assemblage::app().await;
    let answer = app.send(Method::GET, "/api/docs", &[], None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type().starts_with("text/html"));
}

#[tokio::test]
async fn unknown_route_and_method_answer_problem_json() {
    let app = tests_assemblage::app().await;
    let answer = app.get("/api/v1/nulle-part").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.content_type(), "application/problem+json");
    assert_eq!(answer.body["code"], "route-inconnue");
    assert_eq!(answer.body["status"], 404);

    let answer = app.send(Method::DELETE, "/api/v1/modules", &[], None).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.body["code"], "methode-non-permise");
}

#[tokio::test]
async fn collectivite_round_trip() {
    let app = tests_assemblage::app().await;
    let answer = app
        .post(
            "/api/v1/collectivites",
            &json!({"code": "2a004", "nature": "commune", "nom": " Ajaccio "}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.body["code"], "2A004");
    assert_eq!(answer.body["nom"], "Ajaccio");
    let id = answer.body["id"].as_str().expect("id");
    let location = answer.headers["location"].to_str().expect("location");
    assert_eq!(location, format!("/api/v1/collectivites/{id}"));

    for reference in [id, "2A004", "2a004"] {
        let answer = app.get(&format!("/api/v1/collectivites/{reference}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{reference}");
        assert_eq!(answer.body["id"], id);
    }
    let answer = app.get("/api/v1/collectivites/99999").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.body["code"], "introuvable");
    assert_eq!(
        answer.body["detail"],
        "Collectivité « 99999 » : introuvable."
    );
}

#[tokio::test]
async fn invalid_collectivite_lists_every_field_in_french() {
    let app = tests_assemblage::app().await;
    let answer = app
        .post(
            "/api/v1/collectivites",
            &json!({"code": "", "nature": "commune", "nom": ""}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.content_type(), "application/problem+json");
    assert_eq!(answer.body["code"], "validation");
    assert_eq!(
        answer.body["errors"],
        json!([
            {"field": "code", "code": "longueur", "detail": "doit contenir entre 1 et 9 caractères"},
            {"field": "nom", "code": "longueur", "detail": "doit contenir entre 1 et 200 caractères"},
        ])
    );

    let answer = app
        .post(
            "/api/v1/collectivites",
            &json!({"code": "123", "nature": "commune", "nom": "Nulle part"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["errors"][0]["field"], "code");
    assert_eq!(answer.body["errors"][0]["code"], "format");

    let answer = app
        .post(
            "/api/v1/collectivites",
            &json!({"code": "200054782", "nature": "intercommunalite", "nom": "Clé fausse"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body["errors"][0]["detail"]
            .as_str()
            .expect("detail")
            .contains("SIREN")
    );

    let answer = app
        .post(
            "/api/v1/collectivites",
            &json!({"code": "54084", "nom": "Sans nature"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.body["errors"],
        json!([{"field": "nature", "code": "obligatoire", "detail": "champ obligatoire manquant"}])
    );

    let answer = app
        .post(
            "/api/v1/collectivites",
            &json!({"code": "54084", "nature": "departement", "nom": "x"}),
        )
        .await;
    assert_eq!(answer.body["errors"][0]["code"], "valeur");
    assert_eq!(
        answer.body["errors"][0]["detail"],
        "valeur « departement » non reconnue ; valeurs possibles : commune, intercommunalite"
    );
}

#[tokio::test]
async fn malformed_or_undeclared_bodies_are_refused() {
    let app = tests_assemblage::app().await;
    let answer = app
        .send(
            Method::POST,
            "/api/v1/collectivites",
            &[("content-type", "application/json")],
            Some(Body::from("{\"code\": ")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.body["code"], "json-invalide");

    let answer = app
        .send(
            Method::POST,
            "/api/v1/collectivites",
            &[("content-type", "text/plain")],
            Some(Body::from("{}")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(answer.body["code"], "type-de-contenu");

    let huge = format!(
        "{{\"code\": \"54084\", \"nature\": \"commune\", \"nom\": \"{}\"}}",
        "x".repeat(socle_server::app::MAX_BODY_BYTES + 1)
    );
    let answer = app
        .send(
            Method::POST,
            "/api/v1/collectivites",
            &[("content-type", "application/json")],
            Some(Body::from(huge)),
        )
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.body["code"], "corps-trop-volumineux");
}

/// The input policy holds on every backend: on PostgreSQL a U+0000 would otherwise fail the
/// insert (a 500), where SQLite stores it; a year 0 is not a PostgreSQL date.
#[tokio::test]
async fn texts_and_dates_follow_one_input_policy_on_every_database() {
    let app = tests_assemblage::app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    let creer = |corps: Value| {
        let app = &app;
        async move { app.post("/api/v1/usagers", &corps).await }
    };
    for (nom, code) in [("DU\u{0}PONT", "U+0000"), ("\u{202E}TNOPUD", "U+202E")] {
        let refus = creer(json!({"nom_naissance": nom, "prenoms": "Jean"})).await;
        assert_eq!(
            refus.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            refus.body
        );
        assert_eq!(refus.body["errors"][0]["field"], "nom_naissance");
        assert_eq!(refus.body["errors"][0]["code"], "caractere-interdit");
        assert!(
            refus.body["errors"][0]["detail"]
                .as_str()
                .is_some_and(|d| d.contains(code))
        );
    }
    let an_zero = creer(json!({"nom_naissance": "DUPONT", "prenoms": "Jean",
                               "date_naissance": "0000-01-01"}))
    .await;
    assert_eq!(an_zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(an_zero.body["errors"][0]["field"], "date_naissance");
    assert_eq!(an_zero.body["errors"][0]["code"], "date-hors-bornes");
    for corps in [
        "{\"nom_naissance\": \"DUPONT\", \"prenoms\": \"Jean\"}xxx",
        "{\"nom_naissance\": \"DUPONT\", \"prenoms\": \"Jean\"} {}",
    ] {
        let answer = app
            .send(
                Method::POST,
                "/api/v1/usagers",
                &[("content-type", "application/json")],
                Some(Body::from(corps)),
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{corps}");
        assert_eq!(answer.body["code"], "json-invalide");
    }
    // Nothing of the refused requests was written; a plain name still is.
    let liste = app.get("/api/v1/usagers?q=dupont").await;
    assert_eq!(
        liste.body["items"].as_array().map(Vec::len),
        Some(0),
        "{:?}",
        liste.body
    );
    let accepte = creer(json!({"nom_naissance": "DUPONT", "prenoms": "Jean"})).await;
    assert_eq!(accepte.status, StatusCode::CREATED, "{:?}", accepte.body);
}

#[tokio::test]
async fn duplicate_collectivite_is_a_conflict() {
    let app = tests_assemblage::app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    let answer = app
        .post(
            "/api/v1/collectivites",
            &json!({"code": "54084", "nature": "commune", "nom": "Autre"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(answer.body["code"], "collectivite-existante");
    assert_eq!(
        answer.body["detail"],
        "Une collectivité de code 54084 existe déjà."
    );
}

#[tokio::test]
async fn lists_are_paginated_by_cursor() {
    let app = tests_assemblage::app().await;
    for (code, nom) in [
        ("54084", "Mont-Bonvillers"),
        ("54395", "Nancy"),
        ("57463", "Metz"),
    ] {
        app.commune(code, nom).await;
    }
    let first = app.get("/api/v1/collectivites?limit=2").await;
    assert_eq!(first.status, StatusCode::OK);
    let names: Vec<&str> = first.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["nom"].as_str().expect("nom"))
        .collect();
    assert_eq!(names, ["Mont-Bonvillers", "Nancy"]);
    let cursor = first.body["next_cursor"].as_str().expect("a next page");

    let second = app
        .get(&format!("/api/v1/collectivites?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(second.body["items"].as_array().expect("items").len(), 1);
    assert_eq!(second.body["items"][0]["nom"], "Metz");
    assert!(second.body["next_cursor"].is_null());

    let bad = app.get("/api/v1/collectivites?limit=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["code"], "parametre-invalide");
    assert_eq!(bad.body["errors"][0]["field"], "limit");
    let bad = app.get("/api/v1/collectivites?cursor=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["errors"][0]["field"], "cursor");
}
