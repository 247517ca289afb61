//! OpenID Connect login for agents, against an identity provider served by the test itself:
//! discovery, authorization-code exchange with PKCE, ID token checks, account linking.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use jsonwebtoken::{EncodingKey, Header, encode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use socle::droits::oidc::OidcConfig;
use socle::testing::TestDb;
use tests_assemblage::TestApp;

const CLIENT_ID: &str = "socle-mairie";
const CLIENT_SECRET: &str = "secret partagé avec le fournisseur";

/// The provider: codes it issued, with the claims of their ID token and the PKCE challenge.
#[derive(Clone, Default)]
struct Provider {
    base: String,
    codes: Arc<Mutex<HashMap<String, (Value, String)>>>,
    /// The signing algorithms it announces.
    algs: Arc<Mutex<Vec<&'static str>>>,
}

async fn discovery(State(p): State<Provider>) -> Json<Value> {
    Json(json!({
        "issuer": p.base,
        "authorization_endpoint": format!("{}/authorize", p.base),
        "token_endpoint": format!("{}/token", p.base),
        "jwks_uri": format!("{}/jwks", p.base),
        "id_token_signing_alg_values_supported": *p.algs.lock().expect("algs"),
    }))
}

async fn token(
    State(p): State<Provider>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Json<Value>, StatusCode> {
    let (claims, challenge) = p
        .codes
        .lock()
        .expect("codes")
        .remove(&form["code"])
        .ok_or(StatusCode::BAD_REQUEST)?;
    // PKCE: the verifier must hash to the challenge of the authorization request.
    let verifier = form.get("code_verifier").ok_or(StatusCode::BAD_REQUEST)?;
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    if computed != challenge || form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
    {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let id_token = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(CLIENT_SECRET.as_bytes()),
    )
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(
        json!({"access_token": "a", "token_type": "Bearer", "id_token": id_token}),
    ))
}

async fn provider() -> Provider {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let provider = Provider {
        base: format!("http://{}", listener.local_addr().expect("addr")),
        codes: Arc::default(),
        algs: Arc::new(Mutex::new(vec!["HS256"])),
    };
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/token", post(token))
        .with_state(provider.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.expect("provider") });
    provider
}

async fn app_with(provider: &Provider) -> TestApp {
    let config = OidcConfig {
        issuer: provider.base.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        redirect_uri: "http://127.0.0.1:8080/api/v1/droits/oidc/retour".into(),
    };
    let app = TestApp::start_with(
        tests_assemblage::registry(),
        TestDb::new().await,
        tests_assemblage::default_today(),
        Some("54084"),
        |state| state.with_oidc(config),
    )
    .await;
    app.commune("54084", "Mont-Bonvillers").await;
    app
}

/// Starts a login; returns the cookie, the state, the nonce and the PKCE challenge.
async fn start(app: &TestApp) -> (String, String, String, String) {
    let answer = app.get_as(None, "/api/v1/droits/oidc/connexion").await;
    assert_eq!(answer.status, StatusCode::FOUND);
    let location =
        url::Url::parse(answer.headers["location"].to_str().expect("location")).expect("url");
    let query: HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(query["code_challenge_method"], "S256");
    let cookie = answer.headers["set-cookie"].to_str().expect("cookie");
    assert!(cookie.contains("HttpOnly"));
    let pair = cookie.split(';').next().expect("pair").to_owned();
    (
        pair,
        query["state"].clone(),
        query["nonce"].clone(),
        query["code_challenge"].clone(),
    )
}

fn claims(provider: &Provider, sub: &str, login: &str, nonce: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": provider.base, "aud": CLIENT_ID, "sub": sub, "preferred_username": login,
           "nonce": nonce, "iat": now, "exp": now + 300})
}

async fn finish(
    app: &TestApp,
    provider: &Provider,
    cookie: &str,
    state: &str,
    claims: Value,
    challenge: &str,
) -> tests_assemblage::Answer {
    provider
        .codes
        .lock()
        .expect("codes")
        .insert("code-1".into(), (claims, challenge.to_owned()));
    app.send_as(
        None,
        Method::GET,
        &format!("/api/v1/droits/oidc/retour?code=code-1&state={state}"),
        &[("cookie", cookie)],
        None,
    )
    .await
}

#[tokio::test]
async fn an_agent_logs_in_through_the_provider_by_its_subject_only() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    let created = app
        .post("/api/v1/droits/agents", &json!({"identifiant": "m.durand", "nom": "Marie Durand", "mot_de_passe": "un mot de passe long", "oidc_sub": "sub-42"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);

    let (cookie, state, nonce, challenge) = start(&app).await;
    let answer = finish(
        &app,
        &provider,
        &cookie,
        &state,
        claims(&provider, "sub-42", "m.durand", &nonce),
        &challenge,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(answer.body["agent"]["identifiant"], "m.durand");
    let token = answer.body["jeton"].as_str().expect("session");
    let me = app.get_as(Some(token), "/api/v1/droits/moi").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["principal"]["identifiant"], "m.durand");
    assert!(
        me.body["collectivite"].is_null(),
        "no role yet in the default collectivité"
    );
    assert_eq!(me.body["permissions"], json!([]));
    let cemeteries = app
        .get_as(Some(token), "/api/v1/cimetiere/cimetieres")
        .await;
    assert_eq!(
        cemeteries.status,
        StatusCode::BAD_REQUEST,
        "{:?}",
        cemeteries.body
    );
    let out = app
        .send_as(
            Some(token),
            Method::POST,
            "/api/v1/droits/deconnexion",
            &[],
            None,
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);

    // The account is found by its subject, whatever name the provider sends…
    let (cookie, state, nonce, challenge) = start(&app).await;
    let again = finish(
        &app,
        &provider,
        &cookie,
        &state,
        claims(&provider, "sub-42", "marie", &nonce),
        &challenge,
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["agent"]["id"], created.body["id"]);

    // …and a name alone never opens an account: another subject calling itself m.durand (or
    // the administrator) is refused.
    for login in ["m.durand", "admin-test"] {
        let (cookie, state, nonce, challenge) = start(&app).await;
        let usurper = finish(
            &app,
            &provider,
            &cookie,
            &state,
            claims(&provider, "sub-autre", login, &nonce),
            &challenge,
        )
        .await;
        assert_eq!(usurper.status, StatusCode::FORBIDDEN, "{login}");
        assert_eq!(usurper.body["code"], "agent-inconnu");
    }
}

#[tokio::test]
async fn a_return_that_does_not_match_the_login_is_refused() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    let (cookie, _, nonce, challenge) = start(&app).await;
    let forged = finish(
        &app,
        &provider,
        &cookie,
        "autre-etat",
        claims(&provider, "s", "admin-test", &nonce),
        &challenge,
    )
    .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert_eq!(forged.body["code"], "oidc-etat-invalide");
    let (_, state, nonce, challenge) = start(&app).await;
    let no_cookie = finish(
        &app,
        &provider,
        "",
        &state,
        claims(&provider, "s", "admin-test", &nonce),
        &challenge,
    )
    .await;
    assert_eq!(no_cookie.body["code"], "oidc-etat-invalide");
}

#[tokio::test]
async fn invalid_id_tokens_are_refused() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    type Claims = Box<dyn Fn(&str) -> Value>;
    let mut cases: Vec<(&str, Claims)> = Vec::new();
    let p = provider.clone();
    cases.push((
        "another nonce",
        Box::new(move |_| claims(&p, "s", "admin-test", "rejoue")),
    ));
    let p = provider.clone();
    cases.push((
        "another audience",
        Box::new(move |n| {
            let mut c = claims(&p, "s", "admin-test", n);
            c["aud"] = json!("autre-client");
            c
        }),
    ));
    let p = provider.clone();
    cases.push((
        "expired",
        Box::new(move |n| {
            let mut c = claims(&p, "s", "admin-test", n);
            c["exp"] = json!(chrono::Utc::now().timestamp() - 3600);
            c
        }),
    ));
    let p = provider.clone();
    cases.push((
        "another issuer",
        Box::new(move |n| {
            let mut c = claims(&p, "s", "admin-test", n);
            c["iss"] = json!("https://ailleurs.example");
            c
        }),
    ));
    for (case, make) in cases {
        let (cookie, state, nonce, challenge) = start(&app).await;
        let answer = finish(&app, &provider, &cookie, &state, make(&nonce), &challenge).await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{case}: {:?}",
            answer.body
        );
        assert_eq!(answer.body["code"], "oidc-jeton-invalide", "{case}");
    }
}

#[tokio::test]
async fn an_identity_without_an_account_is_refused() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    let (cookie, state, nonce, challenge) = start(&app).await;
    let answer = finish(
        &app,
        &provider,
        &cookie,
        &state,
        claims(&provider, "sub-x", "inconnu", &nonce),
        &challenge,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.body["code"], "agent-inconnu");
}

#[tokio::test]
async fn without_a_provider_the_route_says_so() {
    let app = tests_assemblage::app().await;
    let answer = app.get_as(None, "/api/v1/droits/oidc/connexion").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.body["code"], "oidc-non-configure");
}

#[tokio::test]
async fn a_token_signed_with_an_algorithm_the_provider_does_not_announce_is_refused() {
    let provider = provider().await;
    // The provider says it signs with its private key only…
    *provider.algs.lock().expect("algs") = vec!["RS256"];
    let app = app_with(&provider).await;
    let (cookie, state, nonce, challenge) = start(&app).await;
    // …so a token signed with the (possibly leaked) client secret is not accepted.
    let answer = finish(
        &app,
        &provider,
        &cookie,
        &state,
        claims(&provider, "sub-42", "admin-test", &nonce),
        &challenge,
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "oidc-jeton-invalide");
    assert!(
        answer.body["detail"]
            .as_str()
            .expect("detail")
            .contains("HS256")
    );
}
