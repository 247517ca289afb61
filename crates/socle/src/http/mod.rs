//! The HTTP layer every module shares.
//!
//! - [`AppState`]: the one application state handlers receive (database, clock, modules).
//! - [`ApiError`]: every error answered as RFC 9457 `application/problem+json`, with a stable
//!   machine-readable `code`, a French `detail`, and for invalid input the list of fields with
//!   the reason for each.
//! - [`ValidatedJson`], [`Path`], [`Query`]: extractors whose rejections use that same format;
//!   [`ValidatedJson`] also runs `validator` on the request type.

mod extract;
pub mod pagination;
mod problem;
mod state;

pub use extract::{CorpsJson, Path, Query, ValidatedJson, parse_json};
pub use pagination::{Page, PageParams};
pub use problem::{ApiError, FieldError, Problem};
pub use state::AppState;
