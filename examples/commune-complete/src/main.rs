//! # A commune with every module
//!
//! Shows the assembly of a full commune's application: the core plus the elections, cemetery
//! and civil-status modules. Linking a module crate and naming it here is the whole act of
//! installing it; the server finds its registration, runs its migrations and mounts its routes
//! under `/api/v1/<id>/`.
//!
//! ```text
//! cargo run -p commune-complete -- serve --demo
//! curl http://127.0.0.1:8080/api/v1/modules
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    socle_server::cli::run(&[
        &socle_elections::Elections,
        &socle_cimetiere::Cimetiere,
        &socle_etat_civil::EtatCivil,
    ])
}
