//! Funeral operations on the emplacements: inhumations, with the legal delays after death (or a
//! recorded prefectoral derogation), the right to be buried in each kind of concession and the
//! free places; the terrain commun's five years before a grave is reopened.

pub(crate) mod api;
pub(crate) mod entity;
pub(crate) mod inhumation;
