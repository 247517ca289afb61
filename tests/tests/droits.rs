//! Agents, sessions, roles and API tokens through HTTP.

use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use socle::droits::entity::attribution;

const A: &str = "54084";
const B: &str = "54395";

async fn agent(
    app: &tests_assemblage::TestApp,
    login: &str,
    code: &str,
    permissions: &[&str],
) -> String {
    app.agent(login, code, permissions).await.1
}

#[tokio::test]
async fn login_logout_and_cookie() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let answer = app
        .post_as(
            None,
            "/api/v1/droits/connexion",
            &json!({"identifiant": "admin-test", "mot_de_passe": "mot de passe de test"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let cookie = answer.headers["set-cookie"].to_str().expect("cookie");
    assert!(
        cookie.starts_with("socle_session=socle_s_")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
    );
    let token = answer.body["jeton"].as_str().expect("token");
    assert!(answer.body["agent"].get("mot_de_passe").is_none());

    // The cookie alone authenticates.
    let session_cookie = cookie.split(';').next().expect("pair");
    let me = app
        .send_as(
            None,
            Method::GET,
            "/api/v1/droits/moi",
            &[("cookie", session_cookie)],
            None,
        )
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["principal"]["identifiant"], "admin-test");
    assert_eq!(me.body["collectivite"], A);

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
    let after = app.get_as(Some(token), "/api/v1/droits/moi").await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.body["code"], "jeton-invalide");
    assert_eq!(after.headers["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn wrong_credentials_say_nothing_about_which_is_wrong() {
    let app = tests_assemblage::app().await;
    for (login, password) in [
        ("admin-test", "mauvais mot de passe"),
        ("inconnu", "mot de passe de test"),
    ] {
        let answer = app
            .post_as(
                None,
                "/api/v1/droits/connexion",
                &json!({"identifiant": login, "mot_de_passe": password}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.body["code"], "identifiants-incorrects");
        assert_eq!(
            answer.body["detail"],
            "Identifiant ou mot de passe incorrect."
        );
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = tests_assemblage::app().await;
    let attempt = |password: &'static str| {
        let app = &app;
        async move {
            app.post_as(
                None,
                "/api/v1/droits/connexion",
                &json!({"identifiant": "admin-test", "mot_de_passe": password}),
            )
            .await
        }
    };
    for _ in 0..socle::droits::limiter::MAX_FAILURES {
        assert_eq!(attempt("mauvais").await.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now.
    let locked = attempt("mot de passe de test").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.body["code"], "trop-de-tentatives");
    let wait: u64 = locked.headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
}

#[tokio::test]
async fn tokens_carry_only_their_permissions_and_stop_when_revoked() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let token = app.jeton(A, &["cimetiere.cimetiere.lire"]).await;
    let read = app
        .get_as(Some(&token), "/api/v1/cimetiere/cimetieres")
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let write = app
        .post_as(
            Some(&token),
            "/api/v1/cimetiere/cimetieres",
            &json!({"nom": "Nouveau"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(write.body["code"], "droit-insuffisant");

    let listed = app.get("/api/v1/droits/jetons").await;
    let record = listed
        .body
        .as_array()
        .expect("list")
        .first()
        .expect("one token")
        .clone();
    assert!(record.get("jeton").is_none(), "the secret is never listed");
    assert!(!listed.body.to_string().contains(&token));
    let revoked = app
        .send(
            Method::DELETE,
            &format!(
                "/api/v1/droits/jetons/{}",
                record["id"].as_str().expect("id")
            ),
            &[],
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(revoked.body["revoque_le"].is_string());
    let after = app
        .get_as(Some(&token), "/api/v1/cimetiere/cimetieres")
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_expires_at_its_date() {
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    let app = tests_assemblage::app_on(day(24)).await;
    app.commune(A, "Mont-Bonvillers").await;
    let created = app
        .post(
            "/api/v1/droits/jetons",
            &json!({"nom": "GRU", "permissions": ["cimetiere.cimetiere.lire"], "expire_le": "2026-11-25T23:00:00Z"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let token = created.body["jeton"].as_str().expect("secret").to_owned();
    // An API token is not logged out, it is revoked: the logout says so and changes nothing.
    let logout = app
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/droits/deconnexion",
            &[],
            None,
        )
        .await;
    assert_eq!(logout.status, StatusCode::BAD_REQUEST);
    assert_eq!(logout.body["code"], "deconnexion-jeton-api");
    assert_eq!(
        app.get_as(Some(&token), "/api/v1/cimetiere/cimetieres")
            .await
            .status,
        StatusCode::OK
    );

    // A token that would be expired from its creation is refused, naming the field.
    for passe in ["2026-11-23T10:00:00Z", "2026-11-24T00:00:00Z"] {
        let refus = app
            .post(
                "/api/v1/droits/jetons",
                &json!({"nom": "GRU", "permissions": ["cimetiere.cimetiere.lire"], "expire_le": passe}),
            )
            .await;
        assert_eq!(refus.status, StatusCode::UNPROCESSABLE_ENTITY, "{passe}");
        assert_eq!(refus.body["errors"][0]["field"], "expire_le");
    }

    // Valid above, on the 24th (before the 25th at 23:00 UTC); refused on the 27th.
    let later = tests_assemblage::app_with_db(app.db, day(27)).await;
    let answer = later
        .get_as(Some(&token), "/api/v1/cimetiere/cimetieres")
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "jeton-invalide");
}

#[tokio::test]
async fn no_one_gives_more_than_they_hold() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let reader = agent(
        &app,
        "lecteur",
        A,
        &["cimetiere.cimetiere.lire", "droits.jeton.gerer"],
    )
    .await;
    let escalate = app
        .post_as(
            Some(&reader),
            "/api/v1/droits/jetons",
            &json!({"nom": "plus", "permissions": ["cimetiere.cimetiere.creer"]}),
        )
        .await;
    assert_eq!(escalate.status, StatusCode::FORBIDDEN);
    assert_eq!(escalate.body["code"], "droit-insuffisant");
    let fine = app
        .post_as(
            Some(&reader),
            "/api/v1/droits/jetons",
            &json!({"nom": "lecture", "permissions": ["cimetiere.cimetiere.lire"]}),
        )
        .await;
    assert_eq!(fine.status, StatusCode::CREATED);

    let platform = app
        .post(
            "/api/v1/droits/roles",
            &json!({"nom": "Trop", "permissions": ["collectivites.collectivite.creer"]}),
        )
        .await;
    assert_eq!(platform.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(platform.body["errors"][0]["field"], "permissions");
    let unknown = app
        .post(
            "/api/v1/droits/roles",
            &json!({"nom": "Faute", "permissions": ["cimetiere.concession.vendr"]}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body["errors"][0]["detail"]
            .as_str()
            .expect("detail")
            .contains("vendr")
    );
}

#[tokio::test]
async fn an_agent_acts_only_where_it_holds_a_role() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    app.commune(B, "Nancy").await;
    let agent_a = agent(&app, "agent-a", A, &["cimetiere.cimetiere.lire"]).await;
    let mine = app
        .send_as(
            Some(&agent_a),
            Method::GET,
            "/api/v1/cimetiere/cimetieres",
            &[("x-collectivite", A)],
            None,
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    let theirs = app
        .send_as(
            Some(&agent_a),
            Method::GET,
            "/api/v1/cimetiere/cimetieres",
            &[("x-collectivite", B)],
            None,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    assert_eq!(theirs.body["code"], "collectivite-interdite");
    let me = app.get_as(Some(&agent_a), "/api/v1/droits/moi").await;
    assert_eq!(me.body["permissions"], json!(["cimetiere.cimetiere.lire"]));
}

#[tokio::test]
async fn agent_accounts_are_validated() {
    let app = tests_assemblage::app().await;
    let short = app
        .post(
            "/api/v1/droits/agents",
            &json!({"identifiant": "Marie Durand", "nom": "Marie", "mot_de_passe": "court"}),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = short.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["identifiant", "mot_de_passe"]);
    let ok = app
        .post("/api/v1/droits/agents", &json!({"identifiant": "m.durand", "nom": "Marie Durand", "mot_de_passe": "un mot de passe long"}))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert!(ok.body.get("mot_de_passe").is_none());
    let again = app
        .post("/api/v1/droits/agents", &json!({"identifiant": "m.durand", "nom": "Autre", "mot_de_passe": "un mot de passe long"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "identifiant-pris");
}

#[tokio::test]
async fn a_role_manager_cannot_grant_more_than_it_holds() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let manager = agent(
        &app,
        "gestionnaire",
        A,
        &["droits.role.gerer", "cimetiere.cimetiere.lire"],
    )
    .await;
    // A role with a permission the manager lacks is refused…
    let wider = app
        .post_as(
            Some(&manager),
            "/api/v1/droits/roles",
            &json!({"nom": "Export", "permissions": ["journal.export"]}),
        )
        .await;
    assert_eq!(wider.status, StatusCode::FORBIDDEN);
    assert_eq!(wider.body["code"], "droit-insuffisant");
    // …and so is giving oneself a wider role someone else made.
    let made_by_admin = app
        .post("/api/v1/droits/roles", &json!({"nom": "Tout le journal", "permissions": ["journal.export", "journal.entree.lire"]}))
        .await;
    let me = app.get_as(Some(&manager), "/api/v1/droits/moi").await;
    let uri = format!(
        "/api/v1/droits/agents/{}/roles",
        me.body["principal"]["id"].as_str().expect("id")
    );
    let grant = app
        .post_as(
            Some(&manager),
            &uri,
            &json!({"role_id": made_by_admin.body["id"]}),
        )
        .await;
    assert_eq!(grant.status, StatusCode::FORBIDDEN);
    // Within its own permissions, it may.
    let narrow = app
        .post_as(
            Some(&manager),
            "/api/v1/droits/roles",
            &json!({"nom": "Lecture", "permissions": ["cimetiere.cimetiere.lire"]}),
        )
        .await;
    assert_eq!(narrow.status, StatusCode::CREATED);
    // Given twice, a role stays given once: the second grant changes nothing and fails
    // nothing (a unique violation inside a PostgreSQL transaction would abort the rest of it).
    for _ in 0..2 {
        let again = app.post(&uri, &json!({"role_id": narrow.body["id"]})).await;
        assert_eq!(again.status, StatusCode::NO_CONTENT, "{:?}", again.body);
    }
    let (agent_id, role_id): (uuid::Uuid, uuid::Uuid) = (
        me.body["principal"]["id"]
            .as_str()
            .and_then(|i| i.parse().ok())
            .expect("agent"),
        narrow.body["id"]
            .as_str()
            .and_then(|i| i.parse().ok())
            .expect("role"),
    );
    let fois = attribution::Entity::find()
        .filter(attribution::Column::AgentId.eq(agent_id))
        .filter(attribution::Column::RoleId.eq(role_id))
        .count(&app.db.db)
        .await
        .expect("count");
    assert_eq!(fois, 1);
}

#[tokio::test]
async fn a_token_follows_its_creator_rights() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let creator = agent(
        &app,
        "createur",
        A,
        &[
            "cimetiere.cimetiere.lire",
            "cimetiere.cimetiere.creer",
            "droits.jeton.gerer",
        ],
    )
    .await;
    let created = app
        .post_as(
            Some(&creator),
            "/api/v1/droits/jetons",
            &json!({"nom": "partenaire", "permissions": ["cimetiere.cimetiere.lire", "cimetiere.cimetiere.creer"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let token = created.body["jeton"].as_str().expect("secret").to_owned();
    assert_eq!(
        app.get_as(Some(&token), "/api/v1/cimetiere/cimetieres")
            .await
            .status,
        StatusCode::OK
    );

    // The creator's role is narrowed: the token loses what the creator lost.
    let me = app.get_as(Some(&creator), "/api/v1/droits/moi").await;
    let creator_id = me.body["principal"]["id"].as_str().expect("id").to_owned();
    let role = app
        .post(
            "/api/v1/droits/roles",
            &json!({"nom": "createur", "permissions": []}),
        )
        .await;
    assert_eq!(
        role.status,
        StatusCode::CONFLICT,
        "the role exists: {:?}",
        role.body
    );
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db.db,
        "UPDATE droits_role SET permissions = '[\"cimetiere.cimetiere.lire\", \"droits.jeton.gerer\"]' WHERE nom = 'createur'",
    )
    .await
    .expect("narrow the role");
    let write = app
        .post_as(
            Some(&token),
            "/api/v1/cimetiere/cimetieres",
            &json!({"nom": "X"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_as(Some(&token), "/api/v1/cimetiere/cimetieres")
            .await
            .status,
        StatusCode::OK
    );

    // The creator is disabled: the token stops working.
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let id: uuid::Uuid = creator_id.parse().expect("uuid");
    let account = socle::droits::entity::agent::Entity::find_by_id(id)
        .one(&app.db.db)
        .await
        .expect("readable")
        .expect("the creator");
    let mut disabled: socle::droits::entity::agent::ActiveModel = account.into();
    disabled.actif = Set(false);
    disabled.update(&app.db.db).await.expect("disable");
    let after = app
        .get_as(Some(&token), "/api/v1/cimetiere/cimetieres")
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}
