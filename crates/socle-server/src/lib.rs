//! # socle-server — one commune's application, assembled
//!
//! This crate turns the modules linked into a binary into one HTTP API and gives the `socle`
//! command that runs it:
//!
//! - [`app::assemble`] mounts every module's routes under `/api/v1/<id>/`, adds `/health`,
//!   `/api/v1/modules`, the OpenAPI 3.1 document at `/api/openapi.json` (merged from every
//!   module's fragment) and its browsable page at `/api/docs`;
//! - [`cli::run`] is the command line: `serve`, `migrate`, `demo`, `modules`, `agent`, `journal`,
//!   `rgpd`, `usagers` and `sig` (imports with a progress bar);
//! - [`demo::seed`] creates the demo collectivité and asks each module for its demo records.
//!
//! Which modules are linked is chosen with this crate's Cargo features (`elections`,
//! `cimetiere`, `etat-civil`); [`linked_modules`] names each one so the linker keeps it.

pub mod app;
pub mod cli;
pub mod demo;
pub mod logging;
pub mod rgpd;
mod sig;
#[cfg(feature = "testing")]
pub mod testing;
mod usagers;

use socle::Module;

/// The plug-in modules this build of the server links, chosen by Cargo features.
///
/// Naming each module here is what keeps its crate — and its `inventory` registration — in the
/// binary: Rust drops a dependency that no code names.
#[must_use]
pub fn linked_modules() -> Vec<&'static dyn Module> {
    vec![
        #[cfg(feature = "elections")]
        &socle_elections::Elections,
        #[cfg(feature = "cimetiere")]
        &socle_cimetiere::Cimetiere,
        #[cfg(feature = "etat-civil")]
        &socle_etat_civil::EtatCivil,
    ]
}
