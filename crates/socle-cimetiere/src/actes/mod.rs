//! The documents of the cemetery's acts: the two procès-verbaux of a reprise for abandonment
//! and the maire's arrêté that ends it (CGCT L2223-17, R2223-12 to R2223-23), and the maire's
//! authorisations of an inhumation and of an exhumation, réduction or réunion de corps.
//!
//! What this module owns:
//!
//! - the five templates (`cimetiere/proces-verbal-abandon`,
//!   `cimetiere/second-proces-verbal-abandon`, `cimetiere/arrete-reprise`, `cimetiere/autorisation-inhumation`,
//!   `cimetiere/autorisation-exhumation`), which a collectivité may rewrite for itself;
//! - [`donnees`]: the merge fields each of them receives, read from the procedure, the
//!   concession, its emplacement and the inhumations recorded there;
//! - [`api`]: the routes that edit them in PDF or HTML and journal each edition. A document of
//!   a step not yet recorded is refused (`409 etape-non-faite`).
//!
//! It records nothing: the procedure and the operations are kept by [`crate::reprise`] and
//! [`crate::operations`].

pub(crate) mod api;
pub(crate) mod donnees;
