//! The places of a cemetery: cimetière > zone (carré) > allée > emplacement, with the kinds of
//! emplacement (concession, case de columbarium, cavurne, enfeu, ossuaire, dépositoire, terrain
//! commun), their capacity in places, their surface and their outline on the plan (GeoJSON).
//! Photos and documents of an emplacement are kept by the core's GED, attached to
//! `cimetiere/emplacement/{id}`.

pub(crate) mod api;
pub(crate) mod entity;
pub(crate) mod service;
