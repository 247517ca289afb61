//! Test support for module authors: a whole application (the modules of a registry) on a
//! fresh database — SQLite by default, PostgreSQL when `SOCLE_TEST_DATABASE_URL` is set — driven
//! through HTTP in-process, without a network.
//!
//! ```ignore
//! let registry = socle::ModuleRegistry::builder().module(&MonModule).build()?;
//! let app = TestApp::start(registry, TestDb::new().await, today, Some("54084")).await;
//! let answer = app.post("/api/v1/mon-module/choses", &json!({"nom": "x"})).await;
//! assert_eq!(answer.status, StatusCode::CREATED);
//! ```

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::NaiveDate;
use serde_json::Value;
use socle::ModuleRegistry;
use socle::droits::service::{self, NouvelAgent};
use socle::http::AppState;
use socle::temps::FixedClock;
use socle::testing::TestDb;
use tower::ServiceExt;

/// A migrated application on its own database, with a fixed date.
pub struct TestApp {
    /// The database under test.
    pub db: TestDb,
    /// The application's state (database, clock, modules).
    pub state: AppState,
    /// The assembled router.
    pub router: Router,
    /// The OpenAPI document of the assembly.
    pub openapi: utoipa::openapi::OpenApi,
    /// Who may call each route.
    pub access: Arc<socle::droits::AccessMap>,
    /// A session token of a platform administrator, sent with every request unless a test
    /// says otherwise.
    pub token: String,
}

/// Login of the administrator every test application has.
pub const ADMIN_LOGIN: &str = "admin-test";
const ADMIN_PASSWORD: &str = "mot de passe de test";

/// One HTTP answer.
#[derive(Debug)]
pub struct Answer {
    /// Status code.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Body as JSON (`Null` when empty or not JSON).
    pub body: Value,
    /// Body as sent (a downloaded file, a PDF…).
    pub octets: axum::body::Bytes,
}

impl Answer {
    /// The `Content-Type` header.
    #[must_use]
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl TestApp {
    /// The application made of `registry`'s modules on `db`, migrated, whose clock reads
    /// `today`, acting for `default` when a request names no collectivité.
    ///
    /// # Panics
    /// When the database cannot be migrated.
    pub async fn start(
        registry: ModuleRegistry,
        db: TestDb,
        today: NaiveDate,
        default: Option<&str>,
    ) -> Self {
        Self::start_with(registry, db, today, default, |state| state).await
    }

    /// [`TestApp::start`], with the state adjusted by `adjust` before assembly (e.g. to add an
    /// OpenID Connect provider).
    ///
    /// # Panics
    /// When the database cannot be migrated.
    pub async fn start_with(
        registry: ModuleRegistry,
        db: TestDb,
        today: NaiveDate,
        default: Option<&str>,
        adjust: impl FnOnce(AppState) -> AppState,
    ) -> Self {
        registry.migrate(&db.db).await.expect("migrations apply");
        let mut state = AppState::new(db.db.clone(), Arc::new(FixedClock::on(today)), registry);
        if let Some(reference) = default {
            state = state.with_default_collectivite(reference);
        }
        let state = adjust(state);
        let assembled = crate::app::assemble(state.clone()).expect("routes declare their access");
        let now = state.clock().now();
        let admin = NouvelAgent {
            identifiant: ADMIN_LOGIN.to_owned(),
            nom: "Administrateur de test".to_owned(),
            mot_de_passe: ADMIN_PASSWORD.to_owned(),
            administrateur: true,
            oidc_sub: None,
        };
        match service::creer_agent(&db.db, admin, true, now).await {
            Ok(_) | Err(service::DroitsError::IdentifiantPris(_)) => {}
            Err(err) => panic!("test administrator: {err}"),
        }
        let (token, _, _) = service::connexion(
            &db.db,
            state.login_limiter(),
            ADMIN_LOGIN,
            ADMIN_PASSWORD,
            now,
        )
        .await
        .expect("the test administrator logs in");
        Self {
            db,
            state,
            router: assembled.router,
            openapi: assembled.openapi,
            access: assembled.access,
            token,
        }
    }

    /// Sends a request as the test administrator.
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<Body>,
    ) -> Answer {
        self.send_as(Some(&self.token), method, uri, headers, body)
            .await
    }

    /// Sends a request with `token` (a session or API token), or anonymously with `None`.
    ///
    /// # Panics
    /// When the router itself fails (it never should).
    pub async fn send_as(
        &self,
        token: Option<&str>,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<Body>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(body.unwrap_or_else(Body::empty))
            .expect("valid request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible router");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("readable body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            octets: bytes,
        }
    }

    /// `GET uri`.
    pub async fn get(&self, uri: &str) -> Answer {
        self.send(Method::GET, uri, &[], None).await
    }

    /// `GET uri` for the collectivité `code`.
    pub async fn get_for(&self, code: &str, uri: &str) -> Answer {
        self.send(Method::GET, uri, &[("x-collectivite", code)], None)
            .await
    }

    /// `POST uri` with a JSON body.
    pub async fn post(&self, uri: &str, json: &Value) -> Answer {
        self.post_for(None, uri, json).await
    }

    /// `POST uri` with a JSON body, for the collectivité `code` when given.
    pub async fn post_for(&self, code: Option<&str>, uri: &str, json: &Value) -> Answer {
        let mut headers = vec![("content-type", "application/json")];
        if let Some(code) = code {
            headers.push(("x-collectivite", code));
        }
        self.send(
            Method::POST,
            uri,
            &headers,
            Some(Body::from(json.to_string())),
        )
        .await
    }

    /// `GET uri` with `token` (anonymously with `None`).
    pub async fn get_as(&self, token: Option<&str>, uri: &str) -> Answer {
        self.send_as(token, Method::GET, uri, &[], None).await
    }

    /// `POST uri` with a JSON body and `token`.
    pub async fn post_as(&self, token: Option<&str>, uri: &str, json: &Value) -> Answer {
        self.send_as(
            token,
            Method::POST,
            uri,
            &[("content-type", "application/json")],
            Some(Body::from(json.to_string())),
        )
        .await
    }

    /// An API token of the collectivité `code` carrying `permissions`, created through the API.
    ///
    /// # Panics
    /// When the API refuses it.
    pub async fn jeton(&self, code: &str, permissions: &[&str]) -> String {
        let answer = self
            .post_for(
                Some(code),
                "/api/v1/droits/jetons",
                &serde_json::json!({"nom": "jeton d'essai", "permissions": permissions}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
        answer.body["jeton"].as_str().expect("secret").to_owned()
    }

    /// Creates a commune through the API and returns its id.
    ///
    /// # Panics
    /// When the API refuses it.
    pub async fn commune(&self, code: &str, nom: &str) -> String {
        let answer = self
            .post(
                "/api/v1/collectivites",
                &serde_json::json!({"code": code, "nature": "commune", "nom": nom}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
        answer.body["id"].as_str().expect("id").to_owned()
    }
}
