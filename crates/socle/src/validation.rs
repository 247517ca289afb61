//! Validation rules shared by every module's request types, for use with `validator`:
//!
//! ```
//! use validator::Validate;
//!
//! #[derive(Validate)]
//! struct NouvelleSalle {
//!     #[validate(length(max = 200), custom(function = "socle::validation::non_blank"))]
//!     nom: String,
//! }
//!
//! assert!(NouvelleSalle { nom: "  ".into() }.validate().is_err());
//! assert!(NouvelleSalle { nom: "Salle des fêtes".into() }.validate().is_ok());
//! ```

use validator::ValidationError;

/// The text has something else than white space. Services trim what they store, so a name made
/// of spaces would be stored empty.
///
/// # Errors
/// Code `vide`, « ne doit pas être vide ».
pub fn non_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        Err(ValidationError::new("vide").with_message("ne doit pas être vide".into()))
    } else {
        Ok(())
    }
}
