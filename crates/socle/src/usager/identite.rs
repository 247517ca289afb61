//! Identity primitives of the citizen registry.
//!
//! - [`DateNaissance`]: a birth date that may be partial, as INSEE files it: `00` for an
//!   unknown month or day (`1954-00-00`, `19540600`).
//! - [`Sexe`]: from the FranceConnect `gender` claim (`male`/`female`) or the INSEE code
//!   (`1`/`2`).
//! - [`normaliser_nom`]: the form names are compared in — capitals without accents, hyphens and
//!   apostrophes as spaces, single spaces — so that « Lefèvre-Dupont » finds « LEFEVRE DUPONT ».

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

/// A birth date whose month or day may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateNaissance {
    annee: i32,
    mois: Option<u32>,
    jour: Option<u32>,
}

/// Why a birth date is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateInvalide {
    /// Not `AAAA-MM-JJ` nor `AAAAMMJJ`.
    #[error("date attendue au format AAAA-MM-JJ (00 pour un mois ou un jour inconnu)")]
    Format,
    /// The month is not 00 to 12.
    #[error("mois {0} invalide")]
    Mois(u32),
    /// The day does not exist in that month.
    #[error("jour {0} invalide pour ce mois")]
    Jour(u32),
    /// A known day with an unknown month.
    #[error("un jour connu suppose un mois connu")]
    JourSansMois,
    /// After today.
    #[error("date de naissance dans le futur")]
    Future,
}

impl DateNaissance {
    /// A birth date; `mois` and `jour` are `None` when unknown.
    ///
    /// # Errors
    /// A month outside 1–12, a day that does not exist, a day without a month.
    pub fn new(annee: i32, mois: Option<u32>, jour: Option<u32>) -> Result<Self, DateInvalide> {
        match (mois, jour) {
            (None, Some(_)) => return Err(DateInvalide::JourSansMois),
            (Some(m), _) if !(1..=12).contains(&m) => return Err(DateInvalide::Mois(m)),
            (Some(m), Some(d)) if NaiveDate::from_ymd_opt(annee, m, d).is_none() => {
                return Err(DateInvalide::Jour(d));
            }
            _ => {}
        }
        Ok(Self { annee, mois, jour })
    }

    /// The year.
    #[must_use]
    pub fn annee(&self) -> i32 {
        self.annee
    }

    /// The month, if known.
    #[must_use]
    pub fn mois(&self) -> Option<u32> {
        self.mois
    }

    /// The day, if known.
    #[must_use]
    pub fn jour(&self) -> Option<u32> {
        self.jour
    }

    /// The full date, when month and day are known.
    #[must_use]
    pub fn complete(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.annee, self.mois?, self.jour?)
    }

    /// Whether the date may have been `date` (same year, and same month and day where known):
    /// two records of one person can differ only where one of them does not know.
    #[must_use]
    pub fn compatible(&self, other: &Self) -> bool {
        let same = |a: Option<u32>, b: Option<u32>| a.zip(b).is_none_or(|(a, b)| a == b);
        self.annee == other.annee && same(self.mois, other.mois) && same(self.jour, other.jour)
    }

    /// Refuses a date after `today` (only what is known is compared).
    ///
    /// # Errors
    /// [`DateInvalide::Future`].
    pub fn pas_apres(self, today: NaiveDate) -> Result<Self, DateInvalide> {
        let earliest =
            NaiveDate::from_ymd_opt(self.annee, self.mois.unwrap_or(1), self.jour.unwrap_or(1));
        match earliest {
            Some(first_possible) if first_possible > today => Err(DateInvalide::Future),
            None if self.annee > today.year() => Err(DateInvalide::Future),
            _ => Ok(self),
        }
    }

    /// Parses the INSEE fixed-width form `AAAAMMJJ` (`00` for unknown).
    ///
    /// # Errors
    /// [`DateInvalide`] as for [`DateNaissance::new`], or a malformed field.
    pub fn from_insee(text: &str) -> Result<Self, DateInvalide> {
        if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateInvalide::Format);
        }
        Self::from_parts(&text[0..4], &text[4..6], &text[6..8])
    }

    fn from_parts(year: &str, month: &str, day: &str) -> Result<Self, DateInvalide> {
        let number = |s: &str| s.parse::<u32>().map_err(|_| DateInvalide::Format);
        let annee = i32::try_from(number(year)?).map_err(|_| DateInvalide::Format)?;
        let known = |n: u32| (n != 0).then_some(n);
        Self::new(annee, known(number(month)?), known(number(day)?))
    }
}

impl FromStr for DateNaissance {
    type Err = DateInvalide;

    /// `AAAA-MM-JJ` (FranceConnect, the API) or `AAAAMMJJ` (INSEE files), `00` for unknown.
    fn from_str(text: &str) -> Result<Self, DateInvalide> {
        let text = text.trim();
        match text.split('-').collect::<Vec<_>>().as_slice() {
            [year, month, day] if year.len() == 4 && month.len() == 2 && day.len() == 2 => {
                Self::from_parts(year, month, day)
            }
            _ => Self::from_insee(text),
        }
    }
}

impl fmt::Display for DateNaissance {
    /// `AAAA-MM-JJ`, `00` where unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.annee,
            self.mois.unwrap_or(0),
            self.jour.unwrap_or(0)
        )
    }
}

impl serde::Serialize for DateNaissance {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateNaissance {
    /// `AAAA-MM-JJ` or `AAAAMMJJ`; the error says why in French.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Sex, as the civil registers record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sexe {
    /// Masculin (FranceConnect `male`, INSEE `1`).
    Masculin,
    /// Féminin (FranceConnect `female`, INSEE `2`).
    Feminin,
}

impl Sexe {
    /// From the FranceConnect `gender` claim.
    #[must_use]
    pub fn from_franceconnect(gender: &str) -> Option<Self> {
        match gender {
            "male" => Some(Self::Masculin),
            "female" => Some(Self::Feminin),
            _ => None,
        }
    }

    /// From the INSEE code.
    #[must_use]
    pub fn from_insee(code: &str) -> Option<Self> {
        match code.trim() {
            "1" => Some(Self::Masculin),
            "2" => Some(Self::Feminin),
            _ => None,
        }
    }

    /// The one-letter code the registry stores and the API shows: `M` or `F`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Masculin => "M",
            Self::Feminin => "F",
        }
    }

    /// From any of the codes in use: `M`/`F`, FranceConnect `male`/`female`, INSEE `1`/`2`,
    /// `masculin`/`feminin`, whatever the case.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "m" | "male" | "1" | "masculin" | "homme" => Some(Self::Masculin),
            "f" | "female" | "2" | "feminin" | "féminin" | "femme" => Some(Self::Feminin),
            _ => None,
        }
    }
}

impl serde::Serialize for Sexe {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Sexe {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_code(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "sexe « {text} » non reconnu (M ou F ; male/female et 1/2 sont acceptés)"
            ))
        })
    }
}

/// A name in the form names are compared in: capitals, no accents or ligatures (œ → OE),
/// hyphens, apostrophes and dots as spaces, single spaces, trimmed.
#[must_use]
pub fn normaliser_nom(nom: &str) -> String {
    let mut out = String::with_capacity(nom.len());
    for c in nom.nfd() {
        match c {
            'œ' | 'Œ' => out.push_str("OE"),
            'æ' | 'Æ' => out.push_str("AE"),
            'ß' => out.push_str("SS"),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            '-' | '\'' | '’' | '.' | '_' | ',' => out.push(' '),
            c if c.is_whitespace() => out.push(' '),
            c => out.extend(c.to_uppercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn partial_dates_as_insee_files_them() {
        let full: DateNaissance = "1954-06-01".parse().expect("full");
        assert_eq!(full.complete(), Some(date(1954, 6, 1)));
        let no_day: DateNaissance = "19540600".parse().expect("insee");
        assert_eq!((no_day.mois(), no_day.jour()), (Some(6), None));
        assert_eq!(no_day.to_string(), "1954-06-00");
        let year_only: DateNaissance = "1922-00-00".parse().expect("year");
        assert_eq!(year_only.complete(), None);
        assert_eq!(year_only.to_string(), "1922-00-00");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(
            "1954-13-01".parse::<DateNaissance>(),
            Err(DateInvalide::Mois(13))
        );
        assert_eq!(
            "1954-02-30".parse::<DateNaissance>(),
            Err(DateInvalide::Jour(30))
        );
        assert_eq!(
            "1954-00-12".parse::<DateNaissance>(),
            Err(DateInvalide::JourSansMois)
        );
        assert_eq!(
            "12/06/1954".parse::<DateNaissance>(),
            Err(DateInvalide::Format)
        );
        assert_eq!(
            "1954-6-1".parse::<DateNaissance>(),
            Err(DateInvalide::Format)
        );
        // 29 February exists in leap years only.
        assert!("2024-02-29".parse::<DateNaissance>().is_ok());
        assert_eq!(
            "2023-02-29".parse::<DateNaissance>(),
            Err(DateInvalide::Jour(29))
        );
    }

    #[test]
    fn no_birth_in_the_future() {
        let today = date(2026, 11, 24);
        let ok = |s: &str| s.parse::<DateNaissance>().expect("valid").pas_apres(today);
        assert!(ok("2026-11-24").is_ok());
        assert_eq!(ok("2026-11-25"), Err(DateInvalide::Future));
        assert!(ok("2026-11-00").is_ok(), "this month, day unknown");
        assert_eq!(ok("2026-12-00"), Err(DateInvalide::Future));
        assert!(ok("2026-00-00").is_ok());
        assert_eq!(ok("2027-00-00"), Err(DateInvalide::Future));
    }

    #[test]
    fn partial_dates_are_compatible_where_unknown() {
        let d = |s: &str| s.parse::<DateNaissance>().expect("valid");
        assert!(d("1954-06-01").compatible(&d("1954-06-00")));
        assert!(d("1954-06-01").compatible(&d("1954-00-00")));
        assert!(!d("1954-06-01").compatible(&d("1954-07-00")));
        assert!(!d("1954-06-01").compatible(&d("1955-06-01")));
    }

    #[test]
    fn sexes_from_franceconnect_and_insee() {
        assert_eq!(Sexe::from_franceconnect("female"), Some(Sexe::Feminin));
        assert_eq!(Sexe::from_insee("1"), Some(Sexe::Masculin));
        assert_eq!(Sexe::from_insee("9"), None);
    }

    #[test]
    fn names_compare_without_accents_hyphens_or_case() {
        assert_eq!(normaliser_nom("Lefèvre-Dupont"), "LEFEVRE DUPONT");
        assert_eq!(normaliser_nom("  d'Estaing "), "D ESTAING");
        assert_eq!(normaliser_nom("Cœur"), "COEUR");
        assert_eq!(normaliser_nom("Marie-Hélène  Anaïs"), "MARIE HELENE ANAIS");
        assert_eq!(normaliser_nom("ÉLODIE"), normaliser_nom("elodie"));
        assert_eq!(normaliser_nom("N'Diaye"), normaliser_nom("N’DIAYE"));
    }
}
