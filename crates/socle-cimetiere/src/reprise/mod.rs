//! Reprise for abandonment (CGCT L2223-17, R2223-12 to R2223-23): the procedure as a guided
//! workflow. Its preconditions — an act of thirty years at least, no inhumation for ten years,
//! no upkeep accepted by the commune through a gift or bequest — are checked when it opens;
//! each step (first procès-verbal after the heirs' convocation, its publication, the second
//! procès-verbal a year later — three before the 3DS law of 2022 —, the council's deliberation
//! a month after its notification, the maire's arrêté) is refused before its legal date, with
//! that date and the rule; the grave is cleared thirty days after the arrêté.

pub(crate) mod api;
pub(crate) mod entity;
pub(crate) mod service;
