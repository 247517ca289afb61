//! The `socle` command: serves the commune's application with every module this build links.
//!
//! ```text
//! cargo run --release -p socle-server -- serve --demo
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    socle_server::cli::run(&socle_server::linked_modules())
}
