//! The hash chain: how an entry's hash is computed, and how a chain is checked.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

use super::entity::entree;

/// The "previous hash" of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an entry that its hash covers, with the previous hash, in a fixed order. Each
/// field is written with its length (`12:cimetiere.x`), an absent one as `-`, so that no two
/// different entries can produce the same bytes.
#[must_use]
pub fn hash_entry(previous: &str, entry: &entree::Model) -> String {
    let fields = [
        Some(previous.to_owned()),
        Some(entry.seq.to_string()),
        Some(timestamp(entry.horodatage)),
        entry.collectivite_id.map(|id| id.to_string()),
        Some(entry.acteur_type.clone()),
        entry.acteur_id.map(|id| id.to_string()),
        Some(entry.action.clone()),
        Some(entry.objet_type.clone()),
        Some(entry.objet_id.clone()),
        entry.motif.clone(),
        entry.details.as_ref().map(ToString::to_string),
    ];
    let mut hasher = Sha256::new();
    for field in fields {
        match field {
            Some(value) => hasher.update(format!("{}:{value}", value.len()).as_bytes()),
            None => hasher.update(b"-"),
        }
    }
    hex::encode(hasher.finalize())
}

/// The timestamp as hashed: RFC 3339, UTC, microseconds (what PostgreSQL keeps).
#[must_use]
pub fn timestamp(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// One break of the chain, found by verification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "anomalie", rename_all = "snake_case")]
pub enum Anomalie {
    /// Entries are missing: positions `de` to `a` (inclusive).
    EntreesManquantes {
        /// First missing position.
        de: i64,
        /// Last missing position.
        a: i64,
    },
    /// The entry's content no longer matches its hash: it was edited.
    EntreeModifiee {
        /// Position of the entry.
        seq: i64,
    },
    /// The entry does not chain from the one before it: entries were reordered, removed or
    /// inserted.
    ChaineRompue {
        /// Position of the entry.
        seq: i64,
    },
    /// Entries remain before the chain's starting point: the head was moved to hide them.
    EntreesAvantDepart {
        /// How many.
        nombre: u64,
        /// The starting point the head records.
        premiere_seq: i64,
    },
    /// Entries follow the last position the head records: they were added outside the journal.
    EntreesApresFin {
        /// First such position.
        de: i64,
        /// Last such position.
        a: i64,
    },
    /// The head's hash is not the hash of the last entry.
    TeteAlteree {
        /// Position of the last entry.
        seq: i64,
    },
    /// An entry does not have the hash kept outside the server.
    AncreExterneDifferente {
        /// Position of the anchored entry.
        seq: i64,
    },
    /// The last entries were removed: the chain ends before the position the head records.
    FinTronquee {
        /// Position of the last entry found.
        derniere: i64,
        /// Position the head records.
        attendue: i64,
    },
}

impl std::fmt::Display for Anomalie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EntreesManquantes { de, a } if de == a => write!(f, "entrée n° {de} supprimée"),
            Self::EntreesManquantes { de, a } => write!(f, "entrées n° {de} à {a} supprimées"),
            Self::EntreeModifiee { seq } => write!(f, "entrée n° {seq} modifiée"),
            Self::ChaineRompue { seq } => {
                write!(
                    f,
                    "chaîne rompue à l'entrée n° {seq} (entrées déplacées, supprimées ou insérées)"
                )
            }
            Self::EntreesAvantDepart {
                nombre,
                premiere_seq,
            } => write!(
                f,
                "{nombre} entrée(s) avant le point de départ n° {premiere_seq} : l'en-tête a été déplacé"
            ),
            Self::EntreesApresFin { de, a } => {
                write!(f, "entrées n° {de} à {a} ajoutées hors du journal")
            }
            Self::TeteAlteree { seq } => write!(
                f,
                "l'en-tête ne correspond pas à la dernière entrée n° {seq}"
            ),
            Self::AncreExterneDifferente { seq } => {
                write!(
                    f,
                    "l'entrée n° {seq} n'a plus l'empreinte conservée à l'extérieur"
                )
            }
            Self::FinTronquee { derniere, attendue } => write!(
                f,
                "fin du journal supprimée : dernière entrée n° {derniere}, l'en-tête en annonce {attendue}"
            ),
        }
    }
}

/// Checks entries given in `seq` order, starting from `(first_seq, anchor)`; `expected_last`
/// is the last position the head records.
#[derive(Debug)]
pub struct Verifier {
    next_seq: i64,
    previous: String,
    /// Breaks found so far.
    pub anomalies: Vec<Anomalie>,
    /// Entries checked.
    pub checked: u64,
}

impl Verifier {
    /// A verifier expecting the chain to start at `first_seq`, chained from `anchor`.
    #[must_use]
    pub fn new(first_seq: i64, anchor: &str) -> Self {
        Self {
            next_seq: first_seq,
            previous: anchor.to_owned(),
            anomalies: Vec::new(),
            checked: 0,
        }
    }

    /// Checks the next entry.
    pub fn check(&mut self, entry: &entree::Model) {
        self.checked += 1;
        let gap = entry.seq > self.next_seq;
        if gap {
            self.anomalies.push(Anomalie::EntreesManquantes {
                de: self.next_seq,
                a: entry.seq - 1,
            });
        }
        if hash_entry(&entry.empreinte_precedente, entry) != entry.empreinte {
            self.anomalies
                .push(Anomalie::EntreeModifiee { seq: entry.seq });
        } else if entry.empreinte_precedente != self.previous && !gap {
            // After missing entries the link is broken by construction: already reported.
            self.anomalies
                .push(Anomalie::ChaineRompue { seq: entry.seq });
        }
        self.previous = entry.empreinte.clone();
        self.next_seq = entry.seq + 1;
    }

    /// Ends the check against the head: its last position and hash.
    #[must_use]
    pub fn finish(mut self, head_seq: i64, head_hash: &str) -> Vec<Anomalie> {
        let last = self.next_seq - 1;
        if last < head_seq {
            self.anomalies.push(Anomalie::FinTronquee {
                derniere: last,
                attendue: head_seq,
            });
        } else if last > head_seq {
            self.anomalies.push(Anomalie::EntreesApresFin {
                de: head_seq + 1,
                a: last,
            });
        } else if self.checked > 0 && self.previous != head_hash {
            self.anomalies.push(Anomalie::TeteAlteree { seq: last });
        }
        self.anomalies
    }

    /// The hash of the last entry checked (the anchor, when none was).
    #[must_use]
    pub fn last_hash(&self) -> &str {
        &self.previous
    }
}
