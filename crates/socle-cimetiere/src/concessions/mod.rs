//! Concessions: the kinds a commune offers (temporaire ≤ 15 ans, trentenaire, cinquantenaire,
//! perpétuelle — CGCT L2223-14), their tariffs by kind and duration with dates of effect, and
//! the tariff in force on a given date (the one a sale or a renewal is charged at); the sale of
//! a concession ([`vente`]), its renewals ([`renouvellement`]) and conversions
//! ([`conversion`]), each asked by the holder or an heir ([`ayants_droit`]); the concessions
//! expiring in a period and the renewal letter ([`echeances`]).

pub(crate) mod api;
pub(crate) mod ayants_droit;
pub(crate) mod conversion;
pub(crate) mod echeances;
pub(crate) mod entity;
pub(crate) mod renouvellement;
pub(crate) mod service;
pub(crate) mod vente;
