//! The citizen registry (référentiel usager): one identity per person, shared by every module.
//!
//! This module holds, for now, the identity primitives every part of the registry relies on:
//! [`identite`] — birth dates as INSEE and FranceConnect give them (possibly partial), sex
//! codes, and the normalisation of French names used to search and to detect duplicates.

pub mod identite;
