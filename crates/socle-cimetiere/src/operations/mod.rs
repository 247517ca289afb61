//! Funeral operations on the emplacements: inhumations, with the legal delays after death (or a
//! recorded prefectoral derogation), the right to be buried in each kind of concession and the
//! free places; the terrain commun's five years before a grave is reopened; exhumations,
//! réductions and réunions de corps at the request of the closest relative, blocked while a
//! family dispute is recorded or a relative of the same or a closer degree objects; transfers
//! of remains; the link of each deceased to the usager registry.

pub(crate) mod api;
pub(crate) mod defunts;
pub(crate) mod entity;
pub(crate) mod exhumation;
pub(crate) mod inhumation;
pub(crate) mod opposition;
