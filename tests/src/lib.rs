//! Support for the black-box tests: the whole assembly (every linked module plus the test's
//! own) on a fresh database — SQLite by default, PostgreSQL when `SOCLE_TEST_DATABASE_URL` is
//! set — through [`socle_server::testing::TestApp`].

use chrono::NaiveDate;
use socle::ModuleRegistry;
use socle::testing::TestDb;
pub use socle_server::testing::{Answer, TestApp};

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

/// The assembly on a fresh database, on [`default_today`].
pub async fn app() -> TestApp {
    app_on(default_today()).await
}

/// The assembly on a fresh database, whose clock reads `today`.
pub async fn app_on(today: NaiveDate) -> TestApp {
    app_with_db(TestDb::new().await, today).await
}

/// The assembly on an existing test database (e.g. to change the date between requests),
/// acting for [`DEFAULT_COLLECTIVITE`] when a request names no collectivité.
pub async fn app_with_db(db: TestDb, today: NaiveDate) -> TestApp {
    TestApp::start(registry(), db, today, Some(DEFAULT_COLLECTIVITE)).await
}

/// The assembly on `db`, with no default collectivité.
pub async fn app_without_default(db: TestDb) -> TestApp {
    TestApp::start(registry(), db, default_today(), None).await
}

/// The text of a PDF answer as a text extractor reads it, whitespace collapsed: what a reader
/// of the document sees, not the template it came from.
///
/// # Panics
/// When the answer is not a readable PDF.
#[must_use]
pub fn texte_pdf(answer: &Answer) -> String {
    assert_eq!(
        answer.status,
        axum::http::StatusCode::OK,
        "{:?}",
        answer.body
    );
    assert_eq!(answer.content_type(), "application/pdf");
    assert!(answer.octets.starts_with(b"%PDF-"), "not a PDF");
    let texte = pdf_extract::extract_text_from_mem(&answer.octets).expect("readable PDF");
    texte.split_whitespace().collect::<Vec<_>>().join(" ")
}
