//! The hash chain: how an entry's hash is computed, and how a chain is checked.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

use super::entity::entree;

/// The "previous hash" of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an entry that its hash covers, with the previous hash, in a fixed order,
/// separated by the ASCII unit separator (0x1F), absent values as empty strings.
#[must_use]
pub fn hash_entry(previous: &str, entry: &entree::Model) -> String {
    let optional = |v: Option<String>| v.unwrap_or_default();
    let fields = [
        previous.to_owned(),
        entry.seq.to_string(),
        timestamp(entry.horodatage),
        optional(entry.collectivite_id.map(|id| id.to_string())),
        entry.acteur_type.clone(),
        optional(entry.acteur_id.map(|id| id.to_string())),
        entry.action.clone(),
        entry.objet_type.clone(),
        entry.objet_id.clone(),
        optional(entry.motif.clone()),
        optional(entry.details.as_ref().map(ToString::to_string)),
    ];
    hex::encode(Sha256::digest(fields.join("\u{1f}").as_bytes()))
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

    /// Ends the check against the head's last position.
    #[must_use]
    pub fn finish(mut self, expected_last: i64) -> Vec<Anomalie> {
        let last = self.next_seq - 1;
        if last < expected_last {
            self.anomalies.push(Anomalie::FinTronquee {
                derniere: last,
                attendue: expected_last,
            });
        }
        self.anomalies
    }
}
