//! The fiche usager: what a client sends to create or change a usager, its checks, and how the
//! API shows a usager.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::entity::{lien, usager};
use super::identite::{DateNaissance, Sexe};
use crate::http::FieldError;

/// France in the COG's list of countries.
pub const PAYS_FRANCE: &str = "99100";

static COMMUNE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{2}|2[AB])[0-9]{3}$").unwrap_or_else(|_| unreachable!()));
static PAYS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^99[0-9]{3}$").unwrap_or_else(|_| unreachable!()));
static CODE_POSTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{5}$").unwrap_or_else(|_| unreachable!()));
static BAN_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{2}|2[AB])[0-9]{3}_[0-9a-z]{4}([0-9a-z]{2})?_[0-9]{5}(_[0-9a-z]+)?$")
        .unwrap_or_else(|_| unreachable!())
});
static TELEPHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\+?[0-9][0-9 .\-]{5,19}$").unwrap_or_else(|_| unreachable!()));

fn erreur(code: &'static str, message: &'static str) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

/// A COG commune code (5 characters, `2A`/`2B` for Corsica), not a country code.
///
/// # Errors
/// Code `cog`.
pub fn cog_commune(code: &str) -> Result<(), ValidationError> {
    if COMMUNE.is_match(code) && !code.starts_with("99") {
        Ok(())
    } else {
        Err(erreur(
            "cog",
            "code officiel géographique de commune attendu (5 caractères, ex. 54084 ou 2A004)",
        ))
    }
}

fn cog_pays(code: &str) -> Result<(), ValidationError> {
    if PAYS.is_match(code) {
        Ok(())
    } else {
        Err(erreur(
            "cog-pays",
            "code officiel géographique de pays attendu (99xxx, France : 99100)",
        ))
    }
}

fn format_code_postal(code: &str) -> Result<(), ValidationError> {
    if CODE_POSTAL.is_match(code) {
        Ok(())
    } else {
        Err(erreur("code-postal", "code postal à 5 chiffres attendu"))
    }
}

fn format_ban(id: &str) -> Result<(), ValidationError> {
    if BAN_ID.is_match(&id.to_ascii_lowercase()) {
        Ok(())
    } else {
        Err(erreur(
            "ban",
            "identifiant d'adresse de la Base Adresse Nationale attendu (ex. 54084_0200_00001)",
        ))
    }
}

fn format_telephone(numero: &str) -> Result<(), ValidationError> {
    if TELEPHONE.is_match(numero) {
        Ok(())
    } else {
        Err(erreur(
            "telephone",
            "numéro de téléphone attendu (chiffres, espaces, points ou tirets, + pour l'international)",
        ))
    }
}

fn nom(value: &str) -> Result<(), ValidationError> {
    crate::validation::non_blank(value)?;
    if value.chars().any(char::is_alphabetic) {
        Ok(())
    } else {
        Err(erreur("lettres", "doit contenir au moins une lettre"))
    }
}

/// A postal address of the usager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Adresse {
    /// Number and street (`1 Rue Joffre`), with any complement.
    #[schema(example = "1 Rue Joffre")]
    #[validate(length(max = 300), custom(function = "crate::validation::non_blank"))]
    pub libelle: String,
    /// Postal code.
    #[schema(example = "54111")]
    #[validate(custom(function = "format_code_postal"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_postal: Option<String>,
    /// Commune name.
    #[schema(example = "Mont-Bonvillers")]
    #[validate(length(max = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// COG code of the commune.
    #[schema(example = "54084")]
    #[validate(custom(function = "cog_commune"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_commune: Option<String>,
    /// Address id in the Base Adresse Nationale, where known.
    #[schema(example = "54084_0200_00001")]
    #[validate(custom(function = "format_ban"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ban_id: Option<String>,
}

/// How to reach the usager.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// E-mail address.
    #[schema(example = "marie.dupont@example.fr")]
    #[validate(email(message = "adresse électronique invalide"), length(max = 254))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
    /// Telephone.
    #[schema(example = "03 82 00 00 00")]
    #[validate(custom(function = "format_telephone"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
}

/// How a death is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceDeces {
    /// An act of the commune's état civil.
    ActeEtatCivil,
    /// The INSEE deaths file.
    FichierInsee,
    /// Declared to an agent (family, undertaker).
    Declaration,
    /// Another source.
    Autre,
}

impl SourceDeces {
    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::ActeEtatCivil => "acte_etat_civil",
            Self::FichierInsee => "fichier_insee",
            Self::Declaration => "declaration",
            Self::Autre => "autre",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "acte_etat_civil" => Self::ActeEtatCivil,
            "fichier_insee" => Self::FichierInsee,
            "declaration" => Self::Declaration,
            _ => Self::Autre,
        }
    }
}

/// The usager's death.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InfoDeces {
    /// Date of death (`00` for an unknown month or day).
    #[schema(value_type = String, example = "2026-11-02")]
    pub date: DateNaissance,
    /// How it is known.
    pub source: SourceDeces,
}

/// A usager's identity and contact details: the body of a creation, and what a partial update
/// (JSON Merge Patch) is applied to. Field names follow the FranceConnect identité pivot where
/// it has one (in brackets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FicheUsager {
    /// Nom de naissance (`family_name`).
    #[schema(example = "DUPONT")]
    #[validate(length(max = 100), custom(function = "nom"))]
    pub nom_naissance: String,
    /// Every first name, space-separated, in civil-status order (`given_name`).
    #[schema(example = "Marie Hélène")]
    #[validate(length(max = 200))]
    #[serde(default)]
    pub prenoms: String,
    /// Nom d'usage (`preferred_username`).
    #[schema(example = "MARTIN")]
    #[validate(length(max = 100))]
    #[serde(default)]
    pub nom_usage: Option<String>,
    /// `M` or `F` (`gender`: `male`/`female` accepted).
    #[schema(value_type = Option<String>, example = "F")]
    #[serde(default)]
    pub sexe: Option<Sexe>,
    /// Date of birth, `AAAA-MM-JJ`, `00` for an unknown month or day (`birthdate`).
    #[schema(value_type = Option<String>, example = "1954-06-00")]
    #[serde(default)]
    pub date_naissance: Option<DateNaissance>,
    /// COG code of the commune of birth, when born in France (`birthplace`).
    #[schema(example = "54084")]
    #[validate(custom(function = "cog_commune"))]
    #[serde(default)]
    pub commune_naissance: Option<String>,
    /// COG code of the country of birth, `99100` for France (`birthcountry`).
    #[schema(example = "99100")]
    #[validate(custom(function = "cog_pays"))]
    #[serde(default)]
    pub pays_naissance: Option<String>,
    /// Postal addresses (ten at most).
    #[validate(length(max = 10), nested)]
    #[serde(default)]
    pub adresses: Vec<Adresse>,
    /// E-mail and telephone.
    #[validate(nested)]
    #[serde(default)]
    pub contacts: Contacts,
    /// The death, if the usager died.
    #[serde(default)]
    pub deces: Option<InfoDeces>,
}

impl FicheUsager {
    /// Trims names and drops empty optional texts, as they are stored.
    #[must_use]
    pub fn nettoyee(mut self) -> Self {
        let clean = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        self.nom_naissance = self.nom_naissance.trim().to_owned();
        self.prenoms = self
            .prenoms
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.nom_usage = clean(self.nom_usage);
        self.commune_naissance = clean(self.commune_naissance).map(|c| c.to_ascii_uppercase());
        self.pays_naissance = clean(self.pays_naissance);
        if self.commune_naissance.is_some() && self.pays_naissance.is_none() {
            self.pays_naissance = Some(PAYS_FRANCE.to_owned());
        }
        self.contacts.courriel = clean(self.contacts.courriel);
        self.contacts.telephone = clean(self.contacts.telephone);
        self
    }

    /// The rules that need today's date or several fields: no birth or death in the future,
    /// no death before birth, a commune of birth only with France as country.
    ///
    /// # Errors
    /// Every field at fault.
    pub fn verifier(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(date) = self.date_naissance
            && let Err(e) = date.pas_apres(today)
        {
            errors.push(FieldError::new("date_naissance", "future", e.to_string()));
        }
        if let Some(deces) = self.deces {
            if let Err(e) = deces.date.pas_apres(today) {
                errors.push(FieldError::new("deces.date", "future", e.to_string()));
            }
            if let Some(naissance) = self.date_naissance
                && avant(deces.date, naissance)
            {
                errors.push(FieldError::new(
                    "deces.date",
                    "avant-naissance",
                    "la date de décès précède la date de naissance",
                ));
            }
        }
        if self.commune_naissance.is_some()
            && self
                .pays_naissance
                .as_deref()
                .is_some_and(|p| p != PAYS_FRANCE)
        {
            errors.push(FieldError::new(
                "pays_naissance",
                "incoherent",
                "une commune de naissance française suppose le pays 99100 (France)",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Whether `a` is certainly before `b` (what is unknown is not compared).
fn avant(a: DateNaissance, b: DateNaissance) -> bool {
    if a.annee() != b.annee() {
        return a.annee() < b.annee();
    }
    match (a.mois().zip(b.mois()), a.jour().zip(b.jour())) {
        (Some((ma, mb)), _) if ma != mb => ma < mb,
        (Some(_), Some((ja, jb))) => ja < jb,
        _ => false,
    }
}

impl From<&usager::Model> for FicheUsager {
    fn from(m: &usager::Model) -> Self {
        Self {
            nom_naissance: m.nom_naissance.clone(),
            prenoms: m.prenoms.clone(),
            nom_usage: m.nom_usage.clone(),
            sexe: m.sexe.as_deref().and_then(Sexe::from_code),
            date_naissance: m.date_naissance.as_deref().and_then(|d| d.parse().ok()),
            commune_naissance: m.commune_naissance.clone(),
            pays_naissance: m.pays_naissance.clone(),
            adresses: serde_json::from_value(m.adresses.clone()).unwrap_or_default(),
            contacts: serde_json::from_value(m.contacts.clone()).unwrap_or_default(),
            deces: m
                .date_deces
                .as_deref()
                .and_then(|d| d.parse().ok())
                .map(|date| InfoDeces {
                    date,
                    source: SourceDeces::from_code(m.source_deces.as_deref().unwrap_or("")),
                }),
        }
    }
}

/// A record of a module about the usager.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LienDto {
    /// The kind of record (`elections.inscription`).
    pub objet_type: String,
    /// The record's id.
    pub objet_id: String,
    /// What it is, in French.
    pub libelle: String,
    /// When it was linked.
    pub cree_le: DateTime<Utc>,
}

impl From<lien::Model> for LienDto {
    fn from(m: lien::Model) -> Self {
        Self {
            objet_type: m.objet_type,
            objet_id: m.objet_id,
            libelle: m.libelle,
            cree_le: m.cree_le,
        }
    }
}

/// `vivant` or `decede`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Statut {
    /// Living (as far as the commune knows).
    Vivant,
    /// Deceased.
    Decede,
}

impl Statut {
    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Vivant => "vivant",
            Self::Decede => "decede",
        }
    }
}

/// A usager as the API shows it. A deleted or merged usager (`supprime_le` set) shows only its
/// id, version and dates: its identity was erased.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsagerDto {
    /// Identifier.
    pub id: Uuid,
    /// Identity and contacts (absent for a deleted usager).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub fiche: Option<FicheUsager>,
    /// `vivant` or `decede`.
    pub statut: Statut,
    /// The records modules hold on the usager.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub liens: Vec<LienDto>,
    /// Version, also the `ETag`; send it back in `If-Match` to change the usager.
    pub version: i64,
    /// When it was created.
    pub cree_le: DateTime<Utc>,
    /// When it last changed.
    pub modifie_le: DateTime<Utc>,
    /// When it was deleted (tombstone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supprime_le: Option<DateTime<Utc>>,
    /// The usager it was merged into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fusionne_dans: Option<Uuid>,
}

impl UsagerDto {
    /// The usager, with the links given.
    #[must_use]
    pub fn new(m: &usager::Model, liens: Vec<lien::Model>) -> Self {
        Self {
            id: m.id,
            fiche: m.supprime_le.is_none().then(|| FicheUsager::from(m)),
            statut: if m.statut == Statut::Decede.code() {
                Statut::Decede
            } else {
                Statut::Vivant
            },
            liens: liens.into_iter().map(LienDto::from).collect(),
            version: m.version,
            cree_le: m.cree_le,
            modifie_le: m.modifie_le,
            supprime_le: m.supprime_le,
            fusionne_dans: m.fusionne_dans,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fiche(json: serde_json::Value) -> FicheUsager {
        serde_json::from_value::<FicheUsager>(json)
            .expect("valid json")
            .nettoyee()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
    }

    #[test]
    fn codes_of_birthplace_and_country_are_checked() {
        let ok = fiche(serde_json::json!({
            "nom_naissance": " Dupont ", "prenoms": " Marie   Hélène ",
            "commune_naissance": "2a004", "sexe": "female", "date_naissance": "1954-06-00"
        }));
        assert!(ok.validate().is_ok());
        assert_eq!(ok.verifier(today()), Ok(()));
        assert_eq!(ok.nom_naissance, "Dupont");
        assert_eq!(ok.prenoms, "Marie Hélène");
        assert_eq!(ok.commune_naissance.as_deref(), Some("2A004"));
        assert_eq!(ok.pays_naissance.as_deref(), Some(PAYS_FRANCE));
        assert_eq!(ok.sexe, Some(Sexe::Feminin));

        let abroad = fiche(serde_json::json!({"nom_naissance": "Sato", "pays_naissance": "99217"}));
        assert!(abroad.validate().is_ok());
        for (field, value) in [
            ("commune_naissance", "99217"),
            ("commune_naissance", "5408"),
            ("pays_naissance", "54084"),
        ] {
            let mut json = serde_json::json!({"nom_naissance": "Dupont"});
            json[field] = serde_json::json!(value);
            let errors = fiche(json).validate().expect_err(value);
            assert!(errors.field_errors().contains_key(field), "{field}={value}");
        }
        let both = fiche(serde_json::json!({
            "nom_naissance": "Dupont", "commune_naissance": "54084", "pays_naissance": "99217"
        }));
        let errors = both.verifier(today()).expect_err("incoherent");
        assert_eq!(errors[0].field, "pays_naissance");
    }

    #[test]
    fn names_must_hold_letters() {
        for bad in ["", "   ", "1234", "--"] {
            let f = fiche(serde_json::json!({ "nom_naissance": bad }));
            assert!(f.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates_on_both_sides_of_today_and_of_birth() {
        let with = |naissance: &str, deces: Option<&str>| {
            let mut json =
                serde_json::json!({"nom_naissance": "Dupont", "date_naissance": naissance});
            if let Some(d) = deces {
                json["deces"] = serde_json::json!({"date": d, "source": "declaration"});
            }
            fiche(json).verifier(today())
        };
        assert!(with("2026-11-24", None).is_ok());
        assert_eq!(
            with("2026-11-25", None).expect_err("future")[0].field,
            "date_naissance"
        );
        assert!(with("1954-06-01", Some("2026-11-24")).is_ok());
        assert_eq!(
            with("1954-06-01", Some("2026-11-25")).expect_err("future")[0].field,
            "deces.date"
        );
        assert!(with("1954-06-01", Some("1954-06-01")).is_ok(), "same day");
        assert_eq!(
            with("1954-06-01", Some("1954-05-31")).expect_err("before birth")[0].code,
            "avant-naissance"
        );
        assert!(
            with("1954-06-00", Some("1954-06-01")).is_ok(),
            "unknown day"
        );
    }

    #[test]
    fn contacts_and_addresses_are_checked() {
        let f = fiche(serde_json::json!({
            "nom_naissance": "Dupont",
            "contacts": {"courriel": "pas-une-adresse", "telephone": "abc"},
            "adresses": [{"libelle": "1 Rue Joffre", "code_postal": "5411", "ban_id": "54084_0200_00001"}]
        }));
        let errors = f.validate().expect_err("invalid");
        let text = format!("{errors:?}");
        assert!(
            text.contains("courriel") && text.contains("telephone") && text.contains("code_postal"),
            "{text}"
        );
        let ok = fiche(serde_json::json!({
            "nom_naissance": "Dupont",
            "contacts": {"courriel": "marie@example.fr", "telephone": "+33 3 82 00 00 00"},
            "adresses": [{"libelle": "16 Bonvillers Village", "ban_id": "54084_b114_00016_b"}]
        }));
        assert!(ok.validate().is_ok());
    }
}
