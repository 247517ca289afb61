//! Works declarations (travaux) on the emplacements: a monument laid, a vault built, an
//! inscription engraved… declared before they start by the concessionnaire or a person the act
//! names, on a concession in force, then marked done. This module owns the declarations.

pub(crate) mod api;
pub(crate) mod entity;
pub(crate) mod service;
