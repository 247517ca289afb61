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

/// Whether a character is refused in a text, by the API as by the imports: a control character
/// other than tab, line feed and carriage return (U+0000 included), or a bidirectional override
/// or isolate (U+202A–U+202E, U+2066–U+2069), which can make a name read otherwise than it is
/// stored.
#[must_use]
pub fn caractere_interdit(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A cell of a CSV file the project writes, made safe to open in a spreadsheet: a text that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) is written after an apostrophe, which the spreadsheet shows as text; a character
/// [`caractere_interdit`] is written as its code (`<U+0000>`). Reports of imports copy the
/// files' texts; an agent opens them in a spreadsheet.
#[must_use]
pub fn cellule_csv(texte: &str) -> String {
    let mut cellule = String::with_capacity(texte.len() + 1);
    if texte.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cellule.push('\'');
    }
    for c in texte.chars() {
        if caractere_interdit(c) {
            cellule.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            cellule.push(c);
        }
    }
    cellule
}

/// A line of cells made safe with [`cellule_csv`].
#[must_use]
pub fn ligne_csv<S: AsRef<str>>(cellules: impl IntoIterator<Item = S>) -> Vec<String> {
    cellules
        .into_iter()
        .map(|c| cellule_csv(c.as_ref()))
        .collect()
}

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

#[cfg(test)]
mod tests_csv {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(
            cellule_csv("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cellule_csv("+33 1 23"), "'+33 1 23");
        assert_eq!(cellule_csv("-2+3"), "'-2+3");
        assert_eq!(cellule_csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cellule_csv("DUPONT"), "DUPONT");
        assert_eq!(cellule_csv(""), "");
        assert_eq!(ligne_csv(["a", "=b"]), ["a", "'=b"]);
        assert_eq!(cellule_csv("DU\u{0}PONT\u{202E}"), "DU<U+0000>PONT<U+202E>");
    }
}
