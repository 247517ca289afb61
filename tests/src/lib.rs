//! Support for the black-box tests: a whole Socle assembly (every linked module plus the test's
//! own) on a fresh database — SQLite by default, PostgreSQL when `SOCLE_TEST_DATABASE_URL` is
//! set — driven through HTTP in-process.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::NaiveDate;
use serde_json::Value;
use socle::ModuleRegistry;
use socle::http::AppState;
use socle::temps::FixedClock;
use socle::testing::TestDb;
use tower::ServiceExt;

pub use socle::testing::TEST_DATABASE_ENV;

/// The collectivité requests act for when they send no `X-Collectivite` header.
pub const DEFAULT_COLLECTIVITE: &str = "54084";

/// The date the test commune lives on unless a test chooses another.
#[must_use]
pub fn default_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date")
}

/// Every module linked into the test binary, validated and ordered.
///
/// # Panics
/// When the linked modules do not fit together.
#[must_use]
pub fn registry() -> ModuleRegistry {
    let mut builder = ModuleRegistry::builder().discovered();
    for module in socle_server::linked_modules() {
        builder = builder.module(module);
    }
    builder.build().expect("linked modules fit together")
}

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
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Answer {
    /// Status code.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Body as JSON (`Null` when empty or not JSON).
    pub body: Value,
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
    /// An application on [`default_today`].
    pub async fn new() -> Self {
        Self::on(default_today()).await
    }

    /// An application whose clock reads `today`.
    ///
    /// # Panics
    /// When the database cannot be created or migrated.
    pub async fn on(today: NaiveDate) -> Self {
        let db = TestDb::new().await;
        Self::with_db(db, today).await
    }

    /// An application on an existing test database (e.g. to change the date between requests),
    /// acting for [`DEFAULT_COLLECTIVITE`] when a request names no collectivité.
    pub async fn with_db(db: TestDb, today: NaiveDate) -> Self {
        Self::configure(db, today, Some(DEFAULT_COLLECTIVITE)).await
    }

    /// An application on `db`, on `today`, with `default` as the collectivité of requests that
    /// name none.
    ///
    /// # Panics
    /// When the database cannot be migrated.
    pub async fn configure(db: TestDb, today: NaiveDate, default: Option<&str>) -> Self {
        let registry = registry();
        registry.migrate(&db.db).await.expect("migrations apply");
        let mut state = AppState::new(db.db.clone(), Arc::new(FixedClock::on(today)), registry);
        if let Some(reference) = default {
            state = state.with_default_collectivite(reference);
        }
        let assembled = socle_server::app::assemble(state.clone());
        Self {
            db,
            state,
            router: assembled.router,
            openapi: assembled.openapi,
        }
    }

    /// Sends a request; `body` is sent as JSON when given.
    ///
    /// # Panics
    /// When the router itself fails (it never should).
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<Body>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
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
