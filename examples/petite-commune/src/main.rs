//! # A small commune with two modules
//!
//! Shows a smaller assembly: a commune that manages its cemetery and its civil status with
//! Socle and keeps its electoral list elsewhere. Only the two module crates are dependencies,
//! and `run_exactly` assembles exactly them (even if a workspace build links more):
//! `/api/v1/elections/…` does not exist here, and the OpenAPI document lists only these
//! modules.
//!
//! ```text
//! cargo run -p petite-commune -- serve --demo --addr 127.0.0.1:8081
//! curl http://127.0.0.1:8081/api/v1/modules
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    socle_server::cli::run_exactly(&[&socle_cimetiere::Cimetiere, &socle_etat_civil::EtatCivil])
}
