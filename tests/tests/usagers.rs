//! The citizen registry through HTTP: creation, versions, idempotent creations, search,
//! synchronisation, tombstones, erasure refused with its legal reason, merges, duplicates,
//! the subject-access export, deaths, the GRU data source, and who may see what.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tests_assemblage::{Answer, TestApp};

const A: &str = "54084";
const B: &str = "54395";
const USAGERS: &str = "/api/v1/usagers";

/// The assembly with the commune A, on 24 November 2026.
async fn app() -> TestApp {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    app
}

/// Creates a usager of A and returns the answer's body.
async fn creer(app: &TestApp, fiche: &Value) -> Value {
    let answer = app.post(USAGERS, fiche).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    answer.body
}

/// The id of a usager (or of any record) in an answer's body.
fn id(body: &Value) -> String {
    body["id"].as_str().expect("id").to_owned()
}

fn uri(id: &str) -> String {
    format!("{USAGERS}/{id}")
}

fn en_tete<'a>(answer: &'a Answer, name: &str) -> &'a str {
    answer
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("header {name} missing: {:?}", answer.headers))
        .to_str()
        .expect("ASCII header")
}

/// `PATCH` of a usager with a JSON Merge Patch, with `If-Match` when given.
async fn patcher(app: &TestApp, id: &str, if_match: Option<&str>, patch: &Value) -> Answer {
    let mut headers = vec![("content-type", "application/merge-patch+json")];
    if let Some(tag) = if_match {
        headers.push(("if-match", tag));
    }
    app.send(
        Method::PATCH,
        &uri(id),
        &headers,
        Some(Body::from(patch.to_string())),
    )
    .await
}

async fn supprimer(app: &TestApp, id: &str) -> Answer {
    app.send(Method::DELETE, &uri(id), &[], None).await
}

/// `POST` of a creation with an `Idempotency-Key`, the body sent as given.
async fn creer_avec_cle(app: &TestApp, key: &str, body: &str) -> Answer {
    app.send(
        Method::POST,
        USAGERS,
        &[
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ],
        Some(Body::from(body.to_owned())),
    )
    .await
}

/// The ids of a page of usagers.
fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id)
        .collect()
}

/// The ids the list gives for a query string.
async fn trouves(app: &TestApp, query: &str) -> BTreeSet<String> {
    let answer = app.get(&format!("{USAGERS}?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{query}: {:?}", answer.body);
    ids(&answer.body).into_iter().collect()
}

fn ensemble(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// The fields at fault in a 422 answer.
fn champs(answer: &Answer) -> Vec<String> {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        answer.body
    );
    answer.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_owned())
        .collect()
}

/// A bureau de vote of A.
async fn bureau(app: &TestApp, code: &str) -> String {
    let created = app
        .post(
            "/api/v1/elections/bureaux",
            &json!({"code": code, "nom": "Mairie", "lieu": "Salle du conseil, 1 rue Joffre"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    id(&created.body)
}

/// Registers a usager on A's electoral list; the registration's id.
async fn inscrire(app: &TestApp, usager: &str, bureau: &str) -> String {
    let created = app
        .post(
            "/api/v1/elections/inscriptions",
            &json!({"usager_id": usager, "bureau_id": bureau}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    id(&created.body)
}

fn marie_lefevre() -> Value {
    json!({
        "nom_naissance": "Lefèvre-Dupont",
        "prenoms": "Marie-Hélène Anne",
        "sexe": "female",
        "date_naissance": "1954-06-12",
        "commune_naissance": "54084",
        "adresses": [{
            "libelle": "16 Bonvillers Village",
            "code_postal": "54111",
            "commune": "Mont-Bonvillers",
            "code_commune": "54084",
            "ban_id": "54084_b114_00016"
        }],
        "contacts": {"courriel": "marie.lefevre@example.fr", "telephone": "03 82 00 00 00"}
    })
}

#[tokio::test]
async fn a_created_usager_has_a_version_a_location_and_reads_back() {
    let app = app().await;
    let created = app.post(USAGERS, &marie_lefevre()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let usager = id(&created.body);
    assert_eq!(en_tete(&created, "etag"), "\"1\"");
    assert_eq!(en_tete(&created, "location"), uri(&usager));
    assert!(created.content_type().starts_with("application/json"));
    assert_eq!(created.body["version"], 1);
    assert_eq!(created.body["statut"], "vivant");
    assert_eq!(created.body["sexe"], "F", "FranceConnect's « female »");
    assert_eq!(
        created.body["pays_naissance"], "99100",
        "a commune of birth implies France"
    );
    assert_eq!(created.body["doublons_possibles"], json!([]));

    let read = app.get(&uri(&usager)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(en_tete(&read, "etag"), "\"1\"");
    for field in [
        "nom_naissance",
        "prenoms",
        "date_naissance",
        "commune_naissance",
        "adresses",
        "contacts",
    ] {
        assert_eq!(read.body[field], created.body[field], "{field}");
    }
    assert_eq!(read.body["prenoms"], "Marie-Hélène Anne");
    assert!(read.body.get("doublons_possibles").is_none());
    assert!(read.body.get("supprime_le").is_none());

    let unknown = app.get(&uri("0190c1e2-0000-7000-8000-000000000000")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invalid_fiches_name_their_fields_in_french() {
    let app = app().await;
    let bad_cog = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "commune_naissance": "5408"}),
        )
        .await;
    assert_eq!(champs(&bad_cog), ["commune_naissance"]);
    assert_eq!(bad_cog.body["errors"][0]["code"], "cog");
    assert!(
        bad_cog.body["errors"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("code officiel géographique de commune")),
        "{:?}",
        bad_cog.body
    );
    let country_as_commune = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "commune_naissance": "99217"}),
        )
        .await;
    assert_eq!(champs(&country_as_commune), ["commune_naissance"]);
    let bad_country = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Sato", "pays_naissance": "54084"}),
        )
        .await;
    assert_eq!(champs(&bad_country), ["pays_naissance"]);

    // Born tomorrow: refused; born today: accepted.
    let tomorrow = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "date_naissance": "2026-11-25"}),
        )
        .await;
    assert_eq!(champs(&tomorrow), ["date_naissance"]);
    assert_eq!(tomorrow.body["errors"][0]["code"], "future");
    assert_eq!(
        tomorrow.body["errors"][0]["detail"],
        "date de naissance dans le futur"
    );
    let next_month = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "date_naissance": "2026-12-00"}),
        )
        .await;
    assert_eq!(champs(&next_month), ["date_naissance"]);
    let today = creer(
        &app,
        &json!({"nom_naissance": "Dupont", "prenoms": "Léa", "date_naissance": "2026-11-24"}),
    )
    .await;
    assert_eq!(today["date_naissance"], "2026-11-24");
    let this_month = creer(
        &app,
        &json!({"nom_naissance": "Durand", "date_naissance": "2026-11-00"}),
    )
    .await;
    assert_eq!(this_month["date_naissance"], "2026-11-00");

    let bad_mail = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "contacts": {"courriel": "pas-une-adresse"}}),
        )
        .await;
    assert_eq!(champs(&bad_mail), ["contacts.courriel"]);
    assert_eq!(
        bad_mail.body["errors"][0]["detail"],
        "adresse électronique invalide"
    );
    let impossible = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "date_naissance": "1954-02-30"}),
        )
        .await;
    assert_eq!(champs(&impossible), ["date_naissance"]);
    let bad_sex = app
        .post(USAGERS, &json!({"nom_naissance": "Dupont", "sexe": "X"}))
        .await;
    assert_eq!(champs(&bad_sex), ["sexe"]);
    let no_name = app.post(USAGERS, &json!({"prenoms": "Marie"})).await;
    assert_eq!(champs(&no_name), ["nom_naissance"]);
    assert_eq!(no_name.body["errors"][0]["code"], "obligatoire");
    let digits = app.post(USAGERS, &json!({"nom_naissance": "1234"})).await;
    assert_eq!(champs(&digits), ["nom_naissance"]);

    // Only the two valid fiches were recorded.
    let all = trouves(&app, "limit=500").await;
    assert_eq!(all, ensemble(&[&id(&today), &id(&this_month)]));
}

#[tokio::test]
async fn a_stale_version_is_refused_and_the_fresh_one_succeeds() {
    let app = app().await;
    let usager = id(&creer(&app, &marie_lefevre()).await);
    let first = patcher(
        &app,
        &usager,
        Some("\"1\""),
        &json!({"nom_usage": "MARTIN"}),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(en_tete(&first, "etag"), "\"2\"");
    assert_eq!(first.body["version"], 2);
    assert_eq!(first.body["nom_usage"], "MARTIN");

    // A second client still holding version 1.
    let stale = patcher(
        &app,
        &usager,
        Some("\"1\""),
        &json!({"nom_usage": "DURAND"}),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.body["code"], "version-perimee");
    assert_eq!(en_tete(&stale, "etag"), "\"2\"", "the current version");
    let unchanged = app.get(&uri(&usager)).await;
    assert_eq!(unchanged.body["nom_usage"], "MARTIN");
    assert_eq!(unchanged.body["version"], 2);

    // It reads again and retries with the fresh ETag.
    let fresh = en_tete(&unchanged, "etag").to_owned();
    let retried = patcher(&app, &usager, Some(&fresh), &json!({"nom_usage": "DURAND"})).await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    assert_eq!(en_tete(&retried, "etag"), "\"3\"");
    assert_eq!(retried.body["nom_usage"], "DURAND");

    // A weak form of the current ETag and `*` are accepted; garbage is not.
    let weak = patcher(&app, &usager, Some("W/\"3\""), &json!({"prenoms": "Marie"})).await;
    assert_eq!(weak.status, StatusCode::OK, "{:?}", weak.body);
    let any = patcher(&app, &usager, Some("*"), &json!({"prenoms": "Marie Anne"})).await;
    assert_eq!(any.status, StatusCode::OK, "{:?}", any.body);
    assert_eq!(en_tete(&any, "etag"), "\"5\"");
    let garbage = patcher(&app, &usager, Some("version-5"), &json!({"prenoms": "X"})).await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    assert_eq!(garbage.body["code"], "if-match-invalide");

    // A deletion with a stale ETag is refused too.
    let stale_delete = app
        .send(
            Method::DELETE,
            &uri(&usager),
            &[("if-match", "\"4\"")],
            None,
        )
        .await;
    assert_eq!(stale_delete.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(app.get(&uri(&usager)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_change_without_if_match_is_428() {
    let app = app().await;
    let usager = id(&creer(&app, &marie_lefevre()).await);
    let answer = patcher(&app, &usager, None, &json!({"nom_usage": "MARTIN"})).await;
    assert_eq!(answer.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(answer.body["code"], "if-match-requis");
    let read = app.get(&uri(&usager)).await;
    assert_eq!(read.body["version"], 1);
    assert!(read.body["nom_usage"].is_null());
}

#[tokio::test]
async fn a_merge_patch_null_removes_a_field() {
    let app = app().await;
    let mut fiche = marie_lefevre();
    fiche["nom_usage"] = json!("MARTIN");
    let usager = id(&creer(&app, &fiche).await);
    assert_eq!(
        trouves(&app, "q=martin").await,
        ensemble(&[&usager]),
        "found by usage name"
    );

    let patched = patcher(
        &app,
        &usager,
        Some("\"1\""),
        &json!({"nom_usage": null, "contacts": {"telephone": null}}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert!(patched.body["nom_usage"].is_null(), "{:?}", patched.body);
    assert_eq!(
        patched.body["contacts"],
        json!({"courriel": "marie.lefevre@example.fr"}),
        "the sibling member stays"
    );
    assert_eq!(patched.body["prenoms"], "Marie-Hélène Anne", "untouched");
    assert_eq!(patched.body["version"], 2);
    assert!(
        trouves(&app, "q=martin").await.is_empty(),
        "the usage name no longer matches"
    );

    // A patch whose result is invalid is refused as a creation would be.
    let invalid = patcher(
        &app,
        &usager,
        Some("\"2\""),
        &json!({"commune_naissance": "99999"}),
    )
    .await;
    assert_eq!(champs(&invalid), ["commune_naissance"]);
    let unknown = patcher(&app, &usager, Some("\"2\""), &json!({"surnom": "Mimi"})).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["errors"][0]["code"], "inconnu");
    // The same values again: nothing changes, not even the version.
    let same = patcher(
        &app,
        &usager,
        Some("\"2\""),
        &json!({"prenoms": "Marie-Hélène Anne"}),
    )
    .await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(en_tete(&same, "etag"), "\"2\"");
}

#[tokio::test]
async fn an_unknown_member_is_named_once() {
    let app = app().await;
    let created = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "surnom": "Mimi"}),
        )
        .await;
    assert_eq!(champs(&created), ["surnom"]);
    let usager = id(&creer(&app, &marie_lefevre()).await);
    let patched = patcher(&app, &usager, Some("\"1\""), &json!({"surnom": "Mimi"})).await;
    assert_eq!(champs(&patched), ["surnom"]);
    let nested = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "contacts": {"fax": "03 82 00 00 00"}}),
        )
        .await;
    assert_eq!(champs(&nested), ["contacts.fax"]);
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let app = app().await;
    let body = marie_lefevre().to_string();
    let first = creer_avec_cle(&app, "cle-1", &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert!(first.headers.get("idempotent-replayed").is_none());

    let again = creer_avec_cle(&app, "cle-1", &body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(en_tete(&again, "idempotent-replayed"), "true");
    assert_eq!(again.body, first.body, "the very same answer");
    assert_eq!(trouves(&app, "").await, ensemble(&[&id(&first.body)]));

    // The same key for another request.
    let mut other = marie_lefevre();
    other["prenoms"] = json!("Anne");
    let conflict = creer_avec_cle(&app, "cle-1", &other.to_string()).await;
    assert_eq!(conflict.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(conflict.body["code"], "idempotence-conflit");
    assert_eq!(trouves(&app, "").await.len(), 1);

    // A new key is a new creation (which the registry flags as a possible duplicate).
    let second = creer_avec_cle(&app, "cle-2", &body).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_ne!(id(&second.body), id(&first.body));
    assert_eq!(second.body["doublons_possibles"][0]["id"], id(&first.body));

    let empty = creer_avec_cle(&app, "", &body).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.body["code"], "idempotence-cle-invalide");
    assert_eq!(trouves(&app, "").await.len(), 2);
}

#[tokio::test]
async fn a_replayed_creation_keeps_its_headers() {
    let app = app().await;
    let body = marie_lefevre().to_string();
    let first = creer_avec_cle(&app, "cle-1", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = creer_avec_cle(&app, "cle-1", &body).await;
    assert_eq!(en_tete(&again, "idempotent-replayed"), "true");
    assert_eq!(en_tete(&again, "location"), en_tete(&first, "location"));
    assert_eq!(en_tete(&again, "etag"), en_tete(&first, "etag"));
}

#[tokio::test]
async fn concurrent_requests_with_one_key_create_one_usager() {
    let app = app().await;
    let body = marie_lefevre().to_string();
    let (a, b, c) = tokio::join!(
        creer_avec_cle(&app, "cle-simultanee", &body),
        creer_avec_cle(&app, "cle-simultanee", &body),
        creer_avec_cle(&app, "cle-simultanee", &body),
    );
    for answer in [&a, &b, &c] {
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
        assert_eq!(answer.body, a.body, "one answer for one key");
    }
    let replayed = [&a, &b, &c]
        .iter()
        .filter(|x| x.headers.get("idempotent-replayed").is_some())
        .count();
    assert_eq!(replayed, 2);
    assert_eq!(trouves(&app, "").await, ensemble(&[&id(&a.body)]));
}

#[tokio::test]
async fn search_ignores_accents_case_and_hyphens_and_hears_names() {
    let app = app().await;
    let marie = id(&creer(&app, &marie_lefevre()).await);
    let jean = id(&creer(
        &app,
        &json!({"nom_naissance": "Dupont", "prenoms": "Jean", "sexe": "M",
                "date_naissance": "1980-03-12", "commune_naissance": "57463"}),
    )
    .await);
    let paul = id(&creer(
        &app,
        &json!({"nom_naissance": "Martin", "prenoms": "Paul", "date_naissance": "1954-00-00"}),
    )
    .await);
    let jeanne = id(&creer(
        &app,
        &json!({"nom_naissance": "Durand", "prenoms": "Jeanne", "date_naissance": "1954-07-01",
                "commune_naissance": "54084"}),
    )
    .await);

    assert_eq!(trouves(&app, "q=lefevre").await, ensemble(&[&marie]));
    assert_eq!(
        trouves(&app, "q=LEFEVRE%20dupont").await,
        ensemble(&[&marie])
    );
    assert_eq!(
        trouves(&app, "q=lef%C3%A8vre-dupont").await,
        ensemble(&[&marie])
    );
    assert_eq!(trouves(&app, "q=marie%20helene").await, ensemble(&[&marie]));
    assert_eq!(
        trouves(&app, "q=dupont").await,
        ensemble(&[&marie, &jean]),
        "a word starting any name"
    );
    assert_eq!(
        trouves(&app, "q=Dupond").await,
        ensemble(&[&jean]),
        "pronounced like Dupont"
    );
    assert_eq!(trouves(&app, "q=dupont%20jean").await, ensemble(&[&jean]));
    assert!(
        trouves(&app, "q=upont").await.is_empty(),
        "not inside a word"
    );
    assert!(trouves(&app, "q=bernard").await.is_empty());

    // Dates: a partial date finds the days it may be, and year-only records.
    assert_eq!(
        trouves(&app, "date_naissance=1954-06-00").await,
        ensemble(&[&marie, &paul])
    );
    assert_eq!(
        trouves(&app, "date_naissance=1954-06-12").await,
        ensemble(&[&marie, &paul])
    );
    assert!(
        !trouves(&app, "date_naissance=1954-06-13")
            .await
            .contains(&marie)
    );
    assert_eq!(
        trouves(&app, "date_naissance=1954-00-00").await,
        ensemble(&[&marie, &paul, &jeanne])
    );
    assert_eq!(
        trouves(&app, "date_naissance=1980-03-12").await,
        ensemble(&[&jean])
    );
    assert_eq!(
        trouves(&app, "commune_naissance=54084").await,
        ensemble(&[&marie, &jeanne])
    );
    assert_eq!(
        trouves(&app, "commune_naissance=57463&q=dupont").await,
        ensemble(&[&jean])
    );
    assert_eq!(
        trouves(&app, "statut=vivant").await,
        ensemble(&[&marie, &jean, &paul, &jeanne])
    );
    assert!(trouves(&app, "statut=decede").await.is_empty());

    for bad in [
        "commune_naissance=99100",
        "date_naissance=1954-13-00",
        "statut=inconnu",
        "limit=0",
        "limit=501",
    ] {
        let answer = app.get(&format!("{USAGERS}?{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn pages_cover_the_registry_once() {
    let app = app().await;
    let mut created = BTreeSet::new();
    for n in 0..7 {
        let body = creer(
            &app,
            &json!({"nom_naissance": format!("Habitant{n}"), "prenoms": "Camille"}),
        )
        .await;
        created.insert(id(&body));
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = match &cursor {
            Some(c) => format!("{USAGERS}?limit=3&cursor={c}"),
            None => format!("{USAGERS}?limit=3"),
        };
        let page = app.get(&query).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        pages += 1;
        seen.extend(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 10, "the cursor goes forward");
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 7, "no duplicates: {seen:?}");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), created);

    let bad = app.get(&format!("{USAGERS}?cursor=n-importe-quoi")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["code"], "parametre-invalide");
}

/// Every usager changed since `since`, page by page (`limit` each), as a synchronising client
/// reads them.
async fn synchroniser(app: &TestApp, since: &str, limit: u32) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let mut query = format!("{USAGERS}?modifie_depuis={since}&limit={limit}");
        if let Some(c) = &cursor {
            query.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&query).await;
        assert_eq!(page.status, StatusCode::OK, "{query}: {:?}", page.body);
        items.extend(
            page.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .cloned(),
        );
        match page.body["next_cursor"].as_str() {
            Some(next) => {
                assert!(
                    next.parse::<uuid::Uuid>().is_err(),
                    "the synchronisation cursor is opaque"
                );
                cursor = Some(next.to_owned());
            }
            None => return items,
        }
    }
    panic!("the synchronisation does not end");
}

fn instant(value: &Value) -> chrono::DateTime<chrono::Utc> {
    value.as_str().expect("instant").parse().expect("RFC 3339")
}

/// Three usagers created, the first changed, the second deleted: the ids, in that order.
async fn trois_changements(app: &TestApp) -> (String, String, String) {
    let one = id(&creer(app, &json!({"nom_naissance": "Un", "prenoms": "Alix"})).await);
    let two = id(&creer(app, &json!({"nom_naissance": "Deux", "prenoms": "Bea"})).await);
    let three = id(&creer(app, &json!({"nom_naissance": "Trois", "prenoms": "Cyd"})).await);
    let changed = patcher(app, &one, Some("\"1\""), &json!({"prenoms": "Alix Marie"})).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(supprimer(app, &two).await.status, StatusCode::NO_CONTENT);
    (one, two, three)
}

/// What a synchronisation from the start of the day must give after [`trois_changements`].
fn verifier_synchronisation(items: &[Value], (one, two, three): &(String, String, String)) {
    let order: Vec<String> = items.iter().map(id).collect();
    assert_eq!(
        order,
        [three.clone(), one.clone(), two.clone()],
        "by change"
    );
    let times: Vec<_> = items.iter().map(|i| instant(&i["modifie_le"])).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let tombstone = &items[2];
    assert!(tombstone["supprime_le"].is_string(), "{tombstone:?}");
    assert!(tombstone.get("nom_naissance").is_none(), "{tombstone:?}");
    assert!(items[1]["supprime_le"].is_null());
    assert_eq!(items[1]["prenoms"], "Alix Marie");
}

/// The start of 24 November 2026 in Paris.
const DEBUT_DU_JOUR: &str = "2026-11-23T23:00:00Z";

#[tokio::test]
async fn synchronisation_returns_changes_and_tombstones_in_order() {
    let app = app().await;
    let ids = trois_changements(&app).await;
    let (_, two, three) = ids.clone();

    // From the start of the day: everything, by change, the tombstone included.
    let since = DEBUT_DU_JOUR;
    verifier_synchronisation(&synchroniser(&app, since, 500).await, &ids);

    // The next run starts from the last change received.
    let last = synchroniser(&app, since, 500).await;
    let mark = last[2]["modifie_le"]
        .as_str()
        .expect("modifie_le")
        .to_owned();
    let again = synchroniser(&app, &mark, 500).await;
    assert_eq!(again.iter().map(id).collect::<Vec<_>>(), [two.as_str()]);
    let changed = patcher(&app, &three, Some("\"1\""), &json!({"prenoms": "Cyd Léo"})).await;
    assert_eq!(changed.status, StatusCode::OK);
    let next = synchroniser(&app, &mark, 500).await;
    assert_eq!(next.iter().map(id).collect::<Vec<_>>(), [two, three]);

    // Tomorrow's changes: none yet.
    assert!(
        synchroniser(&app, "2026-11-24T23:00:00Z", 10)
            .await
            .is_empty()
    );
    let bad = app
        .get(&format!(
            "{USAGERS}?modifie_depuis={since}&cursor=bm9uLXZhbGlkZQ"
        ))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn synchronisation_pages_follow_each_other() {
    let app = app().await;
    let ids = trois_changements(&app).await;
    for limit in [1, 2] {
        let items = synchroniser(&app, DEBUT_DU_JOUR, limit).await;
        verifier_synchronisation(&items, &ids);
    }
}

#[tokio::test]
async fn a_deleted_usager_leaves_only_a_tombstone() {
    let app = app().await;
    let usager = id(&creer(&app, &marie_lefevre()).await);
    let kept = id(&creer(&app, &json!({"nom_naissance": "Martin", "prenoms": "Paul"})).await);
    let deleted = supprimer(&app, &usager).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    let gone = app.get(&uri(&usager)).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.body["code"], "usager-supprime");
    assert_eq!(gone.body["detail"], "Cet usager a été supprimé.");
    assert!(gone.headers.get("location").is_none());
    for answer in [
        supprimer(&app, &usager).await,
        patcher(&app, &usager, Some("*"), &json!({"prenoms": "Marie"})).await,
        app.get(&format!("{}/export", uri(&usager))).await,
        app.post(
            &format!("{}/deces", uri(&usager)),
            &json!({"date": "2026-11-02", "source": "declaration"}),
        )
        .await,
    ] {
        assert_eq!(answer.status, StatusCode::GONE, "{:?}", answer.body);
    }

    // Not listed nor found; the identity is gone from the tombstone.
    assert_eq!(trouves(&app, "").await, ensemble(&[&kept]));
    assert!(trouves(&app, "q=lefevre").await.is_empty());
    let gru = app.get(&format!("{USAGERS}/source-gru?q=lefevre")).await;
    assert_eq!(gru.body["data"], json!([]));
    let sync = synchroniser(&app, "2026-11-23T23:00:00Z", 500).await;
    let tombstone = sync
        .iter()
        .find(|i| id(i) == usager)
        .expect("the tombstone is synchronised");
    assert!(tombstone["supprime_le"].is_string());
    assert_eq!(tombstone["version"], 2);
    let text = tombstone.to_string();
    for identity in ["Lef", "Marie", "1954-06-12", "example.fr", "Bonvillers"] {
        assert!(!text.contains(identity), "{identity} left in {text}");
    }
    // The registry no longer offers it as a duplicate.
    let lookup = app
        .post(&format!("{USAGERS}/doublons/recherche"), &marie_lefevre())
        .await;
    assert_eq!(lookup.body, json!([]));
}

#[tokio::test]
async fn an_elector_cannot_be_erased_and_is_told_why() {
    let app = app().await;
    let usager = id(&creer(&app, &marie_lefevre()).await);
    let bureau = bureau(&app, "1").await;
    let inscription = inscrire(&app, &usager, &bureau).await;

    let refused = supprimer(&app, &usager).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["code"], "effacement-refuse");
    let detail = refused.body["detail"].as_str().expect("detail");
    for reason in [
        "L'usager ne peut pas être effacé",
        "Inscription sur la liste électorale (bureau 1 – Mairie)",
        "elections.inscription",
        "tenue en application du code électoral",
        "RGPD art. 17.3.b",
    ] {
        assert!(detail.contains(reason), "{reason} not in {detail}");
    }

    let still = app.get(&uri(&usager)).await;
    assert_eq!(still.status, StatusCode::OK);
    assert_eq!(still.body["version"], 1);
    assert_eq!(still.body["nom_naissance"], "Lefèvre-Dupont");
    assert_eq!(
        still.body["liens"][0]["objet_type"],
        "elections.inscription"
    );
    assert_eq!(still.body["liens"][0]["objet_id"], inscription);
    let registration = app
        .get(&format!("/api/v1/elections/inscriptions/{inscription}"))
        .await;
    assert_eq!(registration.body["usager_id"], usager);

    // A usager without such a record is erased.
    let free = id(&creer(&app, &json!({"nom_naissance": "Martin"})).await);
    assert_eq!(supprimer(&app, &free).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_merge_moves_the_records_and_points_to_the_kept_usager() {
    let app = app().await;
    let kept = id(&creer(
        &app,
        &json!({"nom_naissance": "Lefèvre", "prenoms": "Marie", "sexe": "F",
                "date_naissance": "1954-06-00"}),
    )
    .await);
    let absorbed_body = creer(
        &app,
        &json!({"nom_naissance": "LEFEBVRE", "prenoms": "Marie Anne",
                "date_naissance": "1954-06-12", "commune_naissance": "54084",
                "contacts": {"courriel": "marie@example.fr"}}),
    )
    .await;
    let absorbed = id(&absorbed_body);
    assert_eq!(absorbed_body["doublons_possibles"][0]["id"], kept);
    let bureau = bureau(&app, "1").await;
    let inscription = inscrire(&app, &absorbed, &bureau).await;

    let merged = app
        .post(
            &format!("{}/fusion", uri(&kept)),
            &json!({"absorbe": absorbed}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(merged.body["id"], kept);
    assert_eq!(merged.body["nom_naissance"], "Lefèvre", "the kept identity");
    assert_eq!(merged.body["prenoms"], "Marie");
    assert_eq!(
        merged.body["date_naissance"], "1954-06-12",
        "the more precise date"
    );
    assert_eq!(merged.body["commune_naissance"], "54084", "what it lacked");
    assert_eq!(merged.body["contacts"]["courriel"], "marie@example.fr");
    assert_eq!(merged.body["version"], 2);
    assert_eq!(en_tete(&merged, "etag"), "\"2\"");
    let links = merged.body["liens"].as_array().expect("liens");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["objet_id"], inscription);

    let read = app.get(&uri(&kept)).await;
    assert_eq!(read.body["liens"][0]["objet_id"], inscription);
    let registration = app
        .get(&format!("/api/v1/elections/inscriptions/{inscription}"))
        .await;
    assert_eq!(registration.status, StatusCode::OK);
    assert_eq!(registration.body["usager_id"], kept);

    let gone = app.get(&uri(&absorbed)).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.body["code"], "usager-supprime");
    assert_eq!(en_tete(&gone, "location"), uri(&kept));
    assert!(
        gone.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains(&kept)),
        "{:?}",
        gone.body
    );
    let sync = synchroniser(&app, "2026-11-23T23:00:00Z", 500).await;
    let tombstone = sync.iter().find(|i| id(i) == absorbed).expect("tombstone");
    assert_eq!(tombstone["fusionne_dans"], kept);

    // The kept usager now carries the registration: it cannot be erased, and it exports it.
    let refused = supprimer(&app, &kept).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let export = app.get(&format!("{}/export", uri(&kept))).await;
    assert_eq!(
        export.body["modules"]["elections"]["inscriptions"][0]["id"],
        inscription
    );
    // A usager merged away cannot absorb or be absorbed again.
    let again = app
        .post(
            &format!("{}/fusion", uri(&kept)),
            &json!({"absorbe": absorbed}),
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
}

#[tokio::test]
async fn merges_of_different_people_are_refused() {
    let app = app().await;
    let marie = id(&creer(
        &app,
        &json!({"nom_naissance": "Dupont", "prenoms": "Marie", "sexe": "F",
                "date_naissance": "1980-03-12"}),
    )
    .await);
    let other_sex = id(&creer(
        &app,
        &json!({"nom_naissance": "Dupont", "prenoms": "Marie", "sexe": "M"}),
    )
    .await);
    let other_day = id(&creer(
        &app,
        &json!({"nom_naissance": "Dupont", "prenoms": "Marie", "date_naissance": "1980-03-13"}),
    )
    .await);
    let fusion = |kept: String, absorbed: String| {
        let app = &app;
        async move {
            app.post(
                &format!("{}/fusion", uri(&kept)),
                &json!({"absorbe": absorbed}),
            )
            .await
        }
    };
    for (absorbed, why) in [
        (&other_sex, "sexe"),
        (&other_day, "dates de naissance"),
        (&marie, "lui-même"),
    ] {
        let refused = fusion(marie.clone(), absorbed.clone()).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{why}");
        assert_eq!(refused.body["code"], "fusion-impossible");
        assert!(
            refused.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains(why)),
            "{:?}",
            refused.body
        );
    }

    // Both on the electoral list: refused, and nothing moved.
    let twin = id(&creer(
        &app,
        &json!({"nom_naissance": "DUPONT", "prenoms": "Marie", "date_naissance": "1980-03-00"}),
    )
    .await);
    let bureau = bureau(&app, "1").await;
    let first = inscrire(&app, &marie, &bureau).await;
    let second = inscrire(&app, &twin, &bureau).await;
    let refused = fusion(marie.clone(), twin.clone()).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["code"], "fusion-impossible");
    assert!(
        refused.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("liste électorale")),
        "{:?}",
        refused.body
    );
    for (usager, inscription) in [(&marie, &first), (&twin, &second)] {
        let read = app.get(&uri(usager)).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(read.body["version"], 1);
        let links = read.body["liens"].as_array().expect("liens");
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!(links[0]["objet_id"], *inscription);
        let registration = app
            .get(&format!("/api/v1/elections/inscriptions/{inscription}"))
            .await;
        assert_eq!(registration.body["usager_id"], *usager);
    }

    let unknown = fusion(
        marie.clone(),
        "0190c1e2-0000-7000-8000-000000000000".to_owned(),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = app
        .post(
            &format!("{}/fusion", uri(&marie)),
            &json!({"absorbe": "pas-un-uuid"}),
        )
        .await;
    assert_eq!(champs(&malformed), ["absorbe"]);
}

#[tokio::test]
async fn a_creation_warns_of_possible_duplicates() {
    let app = app().await;
    let first = id(&creer(
        &app,
        &json!({"nom_naissance": "Lefèvre", "prenoms": "Marie", "sexe": "F",
                "date_naissance": "1954-06-12", "commune_naissance": "54084"}),
    )
    .await);

    // Other people: another first name, another year, another sex, another name.
    let mut others = BTreeSet::new();
    for other in [
        json!({"nom_naissance": "Lefèvre", "prenoms": "Paul", "date_naissance": "1954-06-12"}),
        json!({"nom_naissance": "Lefèvre", "prenoms": "Marie", "date_naissance": "1955-06-12"}),
        json!({"nom_naissance": "Lefèvre", "prenoms": "Marie", "sexe": "M",
               "date_naissance": "1954-06-12"}),
        json!({"nom_naissance": "Durand", "prenoms": "Marie", "date_naissance": "1954-06-12"}),
    ] {
        let created = creer(&app, &other).await;
        assert_eq!(created["doublons_possibles"], json!([]), "{other}");
        others.insert(id(&created));
    }

    // The same person written otherwise, with a partial date.
    let second = creer(
        &app,
        &json!({"nom_naissance": "LEFEBVRE", "prenoms": "Marie", "sexe": "F",
                "date_naissance": "1954-06-00"}),
    )
    .await;
    let found = second["doublons_possibles"].as_array().expect("doublons");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["id"], first);
    assert!(found[0]["score"].as_u64().is_some_and(|s| s >= 60));
    let reasons = found[0]["raisons"].to_string();
    assert!(
        reasons.contains("nom de même prononciation") && reasons.contains("même premier prénom"),
        "{reasons}"
    );
    let second = id(&second);

    // A lookup finds candidates without creating anything.
    let before = trouves(&app, "limit=500").await.len();
    let lookup = app
        .post(
            &format!("{USAGERS}/doublons/recherche"),
            &json!({"nom_naissance": "Lefebvre", "prenoms": "Marie", "sexe": "F",
                    "date_naissance": "1954-06-12"}),
        )
        .await;
    assert_eq!(lookup.status, StatusCode::OK, "{:?}", lookup.body);
    let candidates: BTreeSet<String> = lookup
        .body
        .as_array()
        .expect("candidates")
        .iter()
        .map(id)
        .collect();
    assert_eq!(candidates, ensemble(&[&first, &second]));
    assert_eq!(trouves(&app, "limit=500").await.len(), before);
    let invalid = app
        .post(
            &format!("{USAGERS}/doublons/recherche"),
            &json!({"nom_naissance": "Lefebvre", "date_naissance": "2027-01-01"}),
        )
        .await;
    assert_eq!(champs(&invalid), ["date_naissance"]);

    // The report pairs them, and none of the others with the first.
    let report = app.get(&format!("{USAGERS}/doublons")).await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    let pairs: Vec<BTreeSet<String>> = report
        .body
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            assert!(p["score"].as_u64().is_some_and(|s| s >= 60), "{p}");
            [&p["a"], &p["b"]]
                .iter()
                .map(|v| v.as_str().expect("id").to_owned())
                .collect()
        })
        .collect();
    assert!(pairs.contains(&ensemble(&[&first, &second])), "{pairs:?}");
    for pair in &pairs {
        assert!(
            !(pair.contains(&first) && pair.iter().any(|p| others.contains(p))),
            "{pair:?}"
        );
    }
}

#[tokio::test]
async fn married_names_meet_birth_names_in_the_report() {
    let app = app().await;
    let born = id(&creer(
        &app,
        &json!({"nom_naissance": "Dupont", "prenoms": "Marie", "date_naissance": "1980-03-12"}),
    )
    .await);
    let married = creer(
        &app,
        &json!({"nom_naissance": "Martin", "nom_usage": "Dupont", "prenoms": "Marie",
                "date_naissance": "1980-03-12"}),
    )
    .await;
    assert_eq!(married["doublons_possibles"][0]["id"], born);
    let report = app.get(&format!("{USAGERS}/doublons?limit=10")).await;
    let pairs = report.body.as_array().expect("pairs");
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert!(pairs[0]["raisons"].to_string().contains("nom d'usage"));
}

#[tokio::test]
async fn the_subject_access_export_holds_everything() {
    let app = app().await;
    let usager = id(&creer(&app, &marie_lefevre()).await);
    assert_eq!(app.get(&uri(&usager)).await.status, StatusCode::OK);
    let changed = patcher(
        &app,
        &usager,
        Some("\"1\""),
        &json!({"nom_usage": "MARTIN"}),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK);
    let bureau = bureau(&app, "2").await;
    let inscription = inscrire(&app, &usager, &bureau).await;

    let export = app.get(&format!("{}/export", uri(&usager))).await;
    assert_eq!(export.status, StatusCode::OK, "{:?}", export.body);
    let doc = &export.body;
    assert!(doc["genere_le"].is_string());
    assert_eq!(doc["usager"]["id"], usager);
    assert_eq!(doc["usager"]["nom_naissance"], "Lefèvre-Dupont");
    assert_eq!(doc["usager"]["nom_usage"], "MARTIN");
    assert_eq!(
        doc["usager"]["contacts"]["courriel"],
        "marie.lefevre@example.fr"
    );
    assert_eq!(doc["usager"]["adresses"][0]["ban_id"], "54084_b114_00016");
    assert_eq!(doc["usager"]["liens"][0]["objet_id"], inscription);
    let registrations = doc["modules"]["elections"]["inscriptions"]
        .as_array()
        .expect("the elections module's records");
    assert_eq!(registrations.len(), 1);
    assert_eq!(registrations[0]["id"], inscription);
    assert_eq!(registrations[0]["bureau_id"], bureau);
    assert_eq!(registrations[0]["date_inscription"], "2026-11-24");
    let actions: Vec<&str> = doc["journal"]
        .as_array()
        .expect("journal")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["creation", "lecture", "modification"], "{doc}");

    // The export itself is journaled, and needs its own permission.
    let again = app.get(&format!("{}/export", uri(&usager))).await;
    let last = again.body["journal"]
        .as_array()
        .expect("journal")
        .last()
        .cloned();
    assert_eq!(last.expect("entry")["action"], "export");
    let reader = app.jeton(A, &["usagers.usager.lire"]).await;
    let forbidden = app
        .get_as(Some(&reader), &format!("{}/export", uri(&usager)))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    // A usager without any module record has no `modules` entry for them.
    let plain = id(&creer(&app, &json!({"nom_naissance": "Martin"})).await);
    let plain_export = app.get(&format!("{}/export", uri(&plain))).await;
    assert_eq!(plain_export.body["modules"], json!({}));
}

#[tokio::test]
async fn a_death_is_recorded_up_to_today_and_after_birth() {
    let app = app().await;
    let usager = id(&creer(&app, &marie_lefevre()).await);
    let deces = format!("{}/deces", uri(&usager));

    let tomorrow = app
        .post(
            &deces,
            &json!({"date": "2026-11-25", "source": "declaration"}),
        )
        .await;
    assert_eq!(champs(&tomorrow), ["deces.date"]);
    assert_eq!(tomorrow.body["errors"][0]["code"], "future");
    let before_birth = app
        .post(
            &deces,
            &json!({"date": "1954-06-11", "source": "declaration"}),
        )
        .await;
    assert_eq!(champs(&before_birth), ["deces.date"]);
    assert_eq!(before_birth.body["errors"][0]["code"], "avant-naissance");
    let bad_source = app
        .post(&deces, &json!({"date": "2026-11-02", "source": "rumeur"}))
        .await;
    assert_eq!(champs(&bad_source), ["source"]);
    assert_eq!(app.get(&uri(&usager)).await.body["statut"], "vivant");

    let recorded = app
        .post(
            &deces,
            &json!({"date": "2026-11-24", "source": "declaration"}),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{:?}", recorded.body);
    assert_eq!(recorded.body["statut"], "decede");
    assert_eq!(
        recorded.body["deces"],
        json!({"date": "2026-11-24", "source": "declaration"})
    );
    assert_eq!(en_tete(&recorded, "etag"), "\"2\"");
    let same = app
        .post(
            &deces,
            &json!({"date": "2026-11-24", "source": "declaration"}),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(
        same.body["version"], 2,
        "the same death again changes nothing"
    );

    assert_eq!(trouves(&app, "statut=decede").await, ensemble(&[&usager]));
    assert!(trouves(&app, "statut=vivant").await.is_empty());

    // A death on the day of birth is possible; a deceased usager is not registered to vote.
    let baby = id(&creer(
        &app,
        &json!({"nom_naissance": "Martin", "date_naissance": "2026-11-02"}),
    )
    .await);
    let same_day = app
        .post(
            &format!("{}/deces", uri(&baby)),
            &json!({"date": "2026-11-02", "source": "acte_etat_civil"}),
        )
        .await;
    assert_eq!(same_day.status, StatusCode::OK, "{:?}", same_day.body);
    let bureau = bureau(&app, "1").await;
    let refused = app
        .post(
            "/api/v1/elections/inscriptions",
            &json!({"usager_id": usager, "bureau_id": bureau}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["code"], "usager-decede");
}

#[tokio::test]
async fn the_gru_data_source_speaks_wcs() {
    let app = app().await;
    let married = id(&creer(
        &app,
        &json!({"nom_naissance": "Dupont", "nom_usage": "Martin", "prenoms": "Marie",
                "sexe": "F", "date_naissance": "1980-03-12"}),
    )
    .await);
    let partial = id(&creer(
        &app,
        &json!({"nom_naissance": "Bernard", "prenoms": "Luc", "date_naissance": "1954-06-00"}),
    )
    .await);
    let bare = id(&creer(&app, &json!({"nom_naissance": "Caron"})).await);

    let carrel = id(&creer(&app, &json!({"nom_naissance": "Carrel"})).await);

    // A form cannot page through the registry: no list without three letters or an id.
    for query in ["", "?q=du", "?q=%20%20"] {
        let answer = app.get(&format!("{USAGERS}/source-gru{query}")).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, json!({"err": 0, "data": []}), "{query}");
    }
    let by_name = app.get(&format!("{USAGERS}/source-gru?q=car")).await;
    let order: Vec<String> = by_name.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(id)
        .collect();
    assert_eq!(order, [bare.clone(), carrel.clone()], "by name");
    let mut data = Vec::new();
    for one in [&married, &partial, &bare] {
        let answer = app.get(&format!("{USAGERS}/source-gru?id={one}")).await;
        assert_eq!(answer.body["err"], 0);
        data.extend(
            answer.body["data"]
                .as_array()
                .expect("data")
                .iter()
                .cloned(),
        );
    }
    let text = |id: &str| {
        data.iter()
            .find(|d| d["id"] == id)
            .and_then(|d| d["text"].as_str())
            .expect("text")
            .to_owned()
    };
    assert_eq!(text(&married), "Martin (née Dupont) Marie, 12/03/1980");
    assert_eq!(text(&partial), "Bernard Luc, 06/1954");
    assert_eq!(text(&bare), "Caron");

    let filtered = app.get(&format!("{USAGERS}/source-gru?q=dupont")).await;
    let data = filtered.body["data"].as_array().expect("data");
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["id"], married);
    assert_eq!(data[0]["nom_naissance"], "Dupont");
    assert_eq!(data[0]["nom_usage"], "Martin");
    let by_usage = app
        .get(&format!("{USAGERS}/source-gru?q=martin%20marie"))
        .await;
    assert_eq!(by_usage.body["data"][0]["id"], married);
    let one = app.get(&format!("{USAGERS}/source-gru?id={bare}")).await;
    assert_eq!(one.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(one.body["data"][0]["id"], bare);
    let none = app.get(&format!("{USAGERS}/source-gru?q=zzz")).await;
    assert_eq!(none.body, json!({"err": 0, "data": []}));
    let limited = app
        .get(&format!("{USAGERS}/source-gru?q=car&limit=1"))
        .await;
    assert_eq!(limited.body["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn another_collectivite_sees_none_of_a_usagers() {
    let app = app().await;
    app.commune(B, "Autreville").await;
    let usager = id(&creer(&app, &marie_lefevre()).await);
    let all = [
        "usagers.usager.lire",
        "usagers.usager.creer",
        "usagers.usager.modifier",
        "usagers.usager.supprimer",
        "usagers.usager.fusionner",
        "usagers.usager.exporter",
    ];
    let token_b = app.jeton(B, &all).await;
    let mine = app.post_as(Some(&token_b), USAGERS, &marie_lefevre()).await;
    assert_eq!(mine.status, StatusCode::CREATED, "{:?}", mine.body);
    assert_eq!(
        mine.body["doublons_possibles"],
        json!([]),
        "A's usager is not B's duplicate"
    );
    let mine = id(&mine.body);

    let read = app.get_as(Some(&token_b), &uri(&usager)).await;
    assert_eq!(read.status, StatusCode::NOT_FOUND);
    assert_eq!(read.body["code"], "introuvable");
    for (method, path, body) in [
        (Method::PATCH, uri(&usager), Some(json!({"prenoms": "X"}))),
        (Method::DELETE, uri(&usager), None),
        (Method::GET, format!("{}/export", uri(&usager)), None),
        (
            Method::POST,
            format!("{}/deces", uri(&usager)),
            Some(json!({"date": "2026-11-02", "source": "declaration"})),
        ),
        (
            Method::POST,
            format!("{}/fusion", uri(&usager)),
            Some(json!({"absorbe": mine})),
        ),
        (
            Method::POST,
            format!("{}/fusion", uri(&mine)),
            Some(json!({"absorbe": usager})),
        ),
    ] {
        let answer = app
            .send_as(
                Some(&token_b),
                method.clone(),
                &path,
                &[("content-type", "application/json"), ("if-match", "*")],
                body.map(|b| Body::from(b.to_string())),
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    let listed = app.get_as(Some(&token_b), USAGERS).await;
    assert_eq!(ids(&listed.body), [mine.as_str()]);
    let searched = app
        .get_as(Some(&token_b), &format!("{USAGERS}?q=lefevre"))
        .await;
    assert_eq!(ids(&searched.body), [mine.as_str()]);
    let gru = app
        .get_as(Some(&token_b), &format!("{USAGERS}/source-gru?id={usager}"))
        .await;
    assert_eq!(gru.body["data"], json!([]));
    let report = app
        .get_as(Some(&token_b), &format!("{USAGERS}/doublons"))
        .await;
    assert_eq!(report.body, json!([]));

    // A's usager is untouched.
    let a = app.get(&uri(&usager)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["version"], 1);
}

#[tokio::test]
async fn each_operation_needs_its_permission() {
    let app = app().await;
    let reader = app.jeton(A, &["usagers.usager.lire"]).await;
    let refused = app.post_as(Some(&reader), USAGERS, &marie_lefevre()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.body["code"], "droit-insuffisant");
    assert!(
        refused.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("usagers.usager.creer")),
        "{:?}",
        refused.body
    );
    assert!(trouves(&app, "").await.is_empty(), "nothing was created");

    let writer = app.jeton(A, &["usagers.usager.creer"]).await;
    let created = app.post_as(Some(&writer), USAGERS, &marie_lefevre()).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let usager = id(&created.body);
    let read = app.get_as(Some(&reader), &uri(&usager)).await;
    assert_eq!(read.status, StatusCode::OK);
    let cannot_read = app.get_as(Some(&writer), &uri(&usager)).await;
    assert_eq!(cannot_read.status, StatusCode::FORBIDDEN);
    let cannot_delete = app
        .send_as(Some(&reader), Method::DELETE, &uri(&usager), &[], None)
        .await;
    assert_eq!(cannot_delete.status, StatusCode::FORBIDDEN);
    let anonymous = app.get_as(None, &uri(&usager)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&uri(&usager)).await.body["version"], 1);
}
