//! The trust layer walked over every route of every linked module: anonymous callers, callers
//! lacking the route's permission, and callers of another collectivité. The walks read the
//! routes from the assembly itself, so a route added later is covered without editing them.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use socle::droits::Access;
use socle::module::DemoContext;
use tests_assemblage::TestApp;

const A: &str = "54084";
const B: &str = "54395";

fn concrete(path: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(id);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Lists that answer only when asked something, with a question that suits them.
const QUESTIONS: &[(&str, &str)] = &[("/api/v1/sig/zones/recherche", "lon=5.83&lat=49.32")];

/// `path`, with its question when it needs one.
fn listing(path: &str) -> String {
    match QUESTIONS.iter().find(|(p, _)| *p == path) {
        Some((_, question)) => format!("{path}?{question}"),
        None => path.to_owned(),
    }
}

fn grantable(app: &TestApp) -> Vec<&'static str> {
    app.state
        .registry()
        .iter()
        .flat_map(|m| m.permissions().iter())
        .filter(|p| !p.plateforme)
        .map(|p| p.action)
        .collect()
}

fn is_platform(app: &TestApp, action: &str) -> bool {
    app.state
        .registry()
        .iter()
        .flat_map(|m| m.permissions().iter())
        .any(|p| p.action == action && p.plateforme)
}

async fn call(
    app: &TestApp,
    token: Option<&str>,
    method: &Method,
    uri: &str,
) -> (StatusCode, Value) {
    let body =
        matches!(*method, Method::POST | Method::PUT | Method::PATCH).then(|| Body::from("{}"));
    let answer = app
        .send_as(
            token,
            method.clone(),
            uri,
            &[("content-type", "application/json")],
            body,
        )
        .await;
    (answer.status, answer.body)
}

/// An agent (not an administrator) holding every grantable permission in `code`, logged in.
async fn agent_with_every_role_permission(app: &TestApp, code: &str, login: &str) -> String {
    let created = app
        .post(
            "/api/v1/droits/agents",
            &json!({"identifiant": login, "nom": "Agent", "mot_de_passe": "un mot de passe long"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let role = app
        .post_for(
            Some(code),
            "/api/v1/droits/roles",
            &json!({"nom": format!("Tout {login}"), "permissions": grantable(app)}),
        )
        .await;
    assert_eq!(role.status, StatusCode::CREATED, "{:?}", role.body);
    let granted = app
        .post_for(
            Some(code),
            &format!(
                "/api/v1/droits/agents/{}/roles",
                created.body["id"].as_str().expect("id")
            ),
            &json!({"role_id": role.body["id"]}),
        )
        .await;
    assert_eq!(granted.status, StatusCode::NO_CONTENT, "{:?}", granted.body);
    let session = app
        .post_as(
            None,
            "/api/v1/droits/connexion",
            &json!({"identifiant": login, "mot_de_passe": "un mot de passe long"}),
        )
        .await;
    assert_eq!(session.status, StatusCode::OK, "{:?}", session.body);
    session.body["jeton"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn every_route_but_the_public_ones_requires_authentication() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let mut public = BTreeSet::new();
    for (method, path, access) in app.access.iter() {
        let uri = concrete(path, "01a20bc2-9d82-742f-9713-2343122d0918");
        if *access == Access::Public {
            public.insert(path.to_owned());
            continue;
        }
        let (status, body) = call(&app, None, method, &uri).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        assert_eq!(body["code"], "authentification-requise", "{method} {path}");
        let (status, body) = call(&app, Some("socle_j_0000"), method, &uri).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(body["code"], "jeton-invalide", "{method} {path}");
    }
    assert_eq!(
        public,
        BTreeSet::from([
            "/health".to_owned(),
            "/api/v1/droits/connexion".to_owned(),
            "/api/v1/droits/oidc/connexion".to_owned(),
            "/api/v1/droits/oidc/retour".to_owned(),
        ])
    );
}

#[tokio::test]
async fn every_permission_is_enforced_on_its_route() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let every = grantable(&app);
    let agent = agent_with_every_role_permission(&app, A, "agent-a").await;
    let mut checked = 0;
    for (method, path, access) in app.access.iter() {
        let Access::Permissions(actions) = access else {
            continue;
        };
        let uri = concrete(path, "01a20bc2-9d82-742f-9713-2343122d0918");
        for action in actions {
            let token = if is_platform(&app, action) {
                // No role can grant a platform permission: a fully equipped agent is refused.
                agent.clone()
            } else {
                let others: Vec<&str> = every.iter().copied().filter(|p| p != action).collect();
                app.jeton(A, &others).await
            };
            let (status, body) = call(&app, Some(&token), method, &uri).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{method} {path} without {action}: {body}"
            );
            assert_eq!(body["code"], "droit-insuffisant", "{method} {path}");
            assert!(
                body["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains(action.as_str()))
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} routes walked");
}

#[tokio::test]
async fn records_of_another_collectivite_are_out_of_reach() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let b_id = app.commune(B, "Nancy").await;

    // Collectivité B gets records in every module, and a role and a token of its own.
    let db = &app.db.db;
    let b_uuid = b_id.parse().expect("uuid");
    let mut txn = socle::unite::UniteDeTravail::systeme(db, Some(b_uuid))
        .await
        .expect("transaction");
    let ctx = DemoContext {
        db: &txn,
        collectivite_id: b_uuid,
        today: tests_assemblage::default_today(),
        now: app.state.clock().now(),
    };
    for module in app.state.registry().iter() {
        module.seed_demo(&ctx).await.expect("demo records");
    }
    txn.sans_journal("données de démonstration d'un test");
    txn.valider().await.expect("commit");
    app.post_for(
        Some(B),
        "/api/v1/droits/roles",
        &json!({"nom": "Rôle de B", "permissions": []}),
    )
    .await;
    app.jeton(B, &["cimetiere.cimetiere.lire"]).await;

    // Everything B holds, as seen by an administrator acting for B.
    let routes: Vec<(Method, String, Access)> = app
        .access
        .iter()
        .map(|(m, p, a)| (m.clone(), p.to_owned(), a.clone()))
        .collect();
    let tenant_route = |access: &Access| match access {
        Access::Permissions(actions) => !actions.iter().any(|a| is_platform(&app, a)),
        _ => false,
    };
    let mut b_ids: Vec<(String, String)> = Vec::new();
    for (method, path, access) in &routes {
        if *method != Method::GET || path.contains('{') || !tenant_route(access) {
            continue;
        }
        let answer = app.get_for(B, &listing(path)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {:?}", answer.body);
        let items = answer.body.get("items").unwrap_or(&answer.body);
        for item in items.as_array().into_iter().flatten() {
            if let Some(id) = item["id"].as_str() {
                b_ids.push((path.clone(), id.to_owned()));
            }
        }
    }
    assert!(b_ids.len() >= 8, "B has too few records to walk: {b_ids:?}");

    // A token of A holding every permission.
    let a_token = app.jeton(A, &grantable(&app)).await;
    let b_set: BTreeSet<&str> = b_ids.iter().map(|(_, id)| id.as_str()).collect();
    let mut probes = 0;
    for (method, path, access) in &routes {
        if !tenant_route(access) {
            continue;
        }
        if !path.contains('{') {
            if *method == Method::GET {
                let answer = app.get_as(Some(&a_token), &listing(path)).await;
                assert_eq!(answer.status, StatusCode::OK, "{path}");
                let text = answer.body.to_string();
                for id in &b_set {
                    assert!(!text.contains(id), "{path} shows B's record {id} to A");
                }
            }
            continue;
        }
        let collection = &path[..path.find("/{").unwrap_or(path.len())];
        for (_, id) in b_ids.iter().filter(|(c, _)| c == collection) {
            let (status, body) = call(&app, Some(&a_token), method, &concrete(path, id)).await;
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                "{method} {path} with B's {id} answered {status} to A: {body}"
            );
            probes += 1;
        }
        // Naming B in the header does not help a token of A.
        let answer = app
            .send_as(
                Some(&a_token),
                method.clone(),
                &concrete(path, "x"),
                &[("x-collectivite", B)],
                None,
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {:?}",
            answer.body
        );
        assert_eq!(answer.body["code"], "jeton-autre-collectivite");
    }
    assert!(probes >= 4, "only {probes} probes");
}

#[tokio::test]
async fn every_declared_permission_guards_some_route() {
    let app = tests_assemblage::app().await;
    let used: BTreeSet<String> = app
        .access
        .iter()
        .filter_map(|(_, _, access)| match access {
            Access::Permissions(actions) => Some(actions.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    for module in app.state.registry().iter() {
        for permission in module.permissions() {
            assert!(
                used.contains(permission.action),
                "{} declares {} but no route requires it",
                module.id(),
                permission.action
            );
        }
    }
}
