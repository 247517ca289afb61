//! The end of a grave and the ossuaire (CGCT L2223-4, L2223-15, L2223-17, R2223-5).
//!
//! The commune takes an emplacement back when a concession was not renewed within two full
//! years of its expiry, when a reprise for abandonment ended with the maire's arrêté, or when a
//! grave of the terrain commun has passed its five years. The remains still there go to the
//! ossuaire, whose register of names is open to the public, or are cremated — only when the
//! deceased did not object and the relatives were told beforehand (decision 2024-1110 QPC).
//! This module owns that operation and the register.

pub(crate) mod api;
pub(crate) mod entity;
pub(crate) mod service;
