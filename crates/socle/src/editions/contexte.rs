//! The merge fields every edition gets, and those of a usager, shared by every module.
//!
//! | champ | contenu |
//! |---|---|
//! | `collectivite.nom`, `.code`, `.nature` | the collectivité (`commune` or `intercommunalite`), COG code or SIREN |
//! | `collectivite.appellation` | « Mairie de Mont-Bonvillers », « Mairie du Mans » (the name of an intercommunalité as is) |
//! | `collectivite.adresse`, `.telephone`, `.courriel`, `.site_web` | its letterhead (`null` when not given); the address keeps its lines (`| sauts_de_ligne`) |
//! | `collectivite.logo` | its logo as a `data:` URI for `<img src>`, or `null` |
//! | `aujourd_hui` | today's date (`AAAA-MM-JJ`, the server's clock), `| date_longue` for « 24 novembre 2026 » |
//! | `signataire.nom`, `.qualite` | who signs (given by the module, else the collectivité's default), or `null` |
//! | `modele.module`, `.nom`, `.titre` | the template being rendered |
//!
//! A module adds its own fields next to these (`usager`, `inscription`, `bureau`…); the common
//! ones win over a module's field of the same name.

use base64::Engine;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use validator::Validate;

use super::entity::{entete, logo};
use crate::collectivite::entity as collectivite;
use crate::usager::entity::usager;

/// Who signs a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Signataire {
    /// Name, as printed under the signature.
    #[schema(example = "Claire Lambert")]
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::validation::non_blank")
    )]
    pub nom: String,
    /// Title, as printed above the name.
    #[schema(example = "La maire")]
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::validation::non_blank")
    )]
    pub qualite: String,
}

/// « de Mont-Bonvillers », « d'Auboué », « du Mans », « des Lilas », « de La Rochelle ».
#[must_use]
pub fn de(nom: &str) -> String {
    let nom = nom.trim();
    if let Some(reste) = nom.strip_prefix("Le ") {
        format!("du {reste}")
    } else if let Some(reste) = nom.strip_prefix("Les ") {
        format!("des {reste}")
    } else if commence_par_voyelle(nom) {
        format!("d'{nom}")
    } else {
        format!("de {nom}")
    }
}

/// « à Mont-Bonvillers », « au Mans », « aux Lilas », « à La Rochelle ».
#[must_use]
pub fn a(nom: &str) -> String {
    let nom = nom.trim();
    if let Some(reste) = nom.strip_prefix("Le ") {
        format!("au {reste}")
    } else if let Some(reste) = nom.strip_prefix("Les ") {
        format!("aux {reste}")
    } else {
        format!("à {nom}")
    }
}

/// Whether `de` elides before `nom` (a vowel; a mute h is not guessed).
fn commence_par_voyelle(nom: &str) -> bool {
    nom.chars()
        .next()
        .is_some_and(|c| "AEIOUYÂÀÄÉÈÊËÎÏÔÖÛÙÜŒaeiouyâàäéèêëîïôöûùüœ".contains(c))
}

/// The collectivité's fields.
#[must_use]
pub fn collectivite(
    fiche: &collectivite::Model,
    entete: Option<&entete::Model>,
    logo: Option<&logo::Model>,
) -> Value {
    let appellation = match fiche.nature {
        collectivite::Nature::Commune => format!("Mairie {}", de(&fiche.nom)),
        collectivite::Nature::Intercommunalite => fiche.nom.clone(),
    };
    let logo = logo.map(|l| {
        format!(
            "data:{};base64,{}",
            l.type_media,
            base64::engine::general_purpose::STANDARD.encode(&l.octets)
        )
    });
    json!({
        "id": fiche.id,
        "nom": fiche.nom,
        "code": fiche.code,
        "nature": fiche.nature,
        "appellation": appellation,
        "adresse": entete.and_then(|e| e.adresse.clone()),
        "telephone": entete.and_then(|e| e.telephone.clone()),
        "courriel": entete.and_then(|e| e.courriel.clone()),
        "site_web": entete.and_then(|e| e.site_web.clone()),
        "logo": logo,
    })
}

/// The collectivité's default signatory, from its letterhead.
#[must_use]
pub fn signataire_par_defaut(entete: Option<&entete::Model>) -> Option<Signataire> {
    let entete = entete?;
    Some(Signataire {
        nom: entete.signataire_nom.clone()?,
        qualite: entete.signataire_qualite.clone()?,
    })
}

/// The common fields, then the module's `donnees` (an object) beside them.
#[must_use]
pub fn assembler(
    commun_collectivite: Value,
    aujourd_hui: NaiveDate,
    signataire: Option<&Signataire>,
    modele: Value,
    donnees: &Value,
) -> Value {
    let mut contexte = match donnees {
        Value::Object(champs) => champs.clone(),
        Value::Null => serde_json::Map::new(),
        autre => {
            let mut champs = serde_json::Map::new();
            champs.insert("donnees".to_owned(), autre.clone());
            champs
        }
    };
    contexte.insert("collectivite".to_owned(), commun_collectivite);
    contexte.insert(
        "aujourd_hui".to_owned(),
        Value::String(aujourd_hui.format("%Y-%m-%d").to_string()),
    );
    contexte.insert("signataire".to_owned(), json!(signataire));
    contexte.insert("modele".to_owned(), modele);
    Value::Object(contexte)
}

/// The merge fields of a usager, the same in every module's editions:
///
/// `id`, `nom` (usage name, else birth name), `nom_naissance`, `nom_usage`, `prenoms`, `prenom`
/// (the first one), `sexe` (`M`/`F`), `civilite` (« Madame », « Monsieur »), `date_naissance`
/// (`AAAA-MM-JJ`, `00` when unknown: `| date_longue` writes « avril 1990 »),
/// `commune_naissance`, `pays_naissance` (COG codes), `adresse` (`libelle`, `code_postal`,
/// `commune`, and `ligne`: the three on one line) or `null`, `decede`, `date_deces`.
#[must_use]
pub fn usager(u: &usager::Model) -> Value {
    let adresse = u.adresses.as_array().and_then(|a| a.first()).map(|a| {
        let champ = |nom: &str| a.get(nom).and_then(Value::as_str).map(str::to_owned);
        let libelle = champ("libelle").unwrap_or_default();
        let ville = [champ("code_postal"), champ("commune")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let ligne = if ville.is_empty() {
            libelle.clone()
        } else {
            format!("{libelle}, {ville}")
        };
        json!({
            "libelle": libelle,
            "code_postal": champ("code_postal"),
            "commune": champ("commune"),
            "ligne": ligne,
        })
    });
    let civilite = match u.sexe.as_deref() {
        Some("F") => Some("Madame"),
        Some("M") => Some("Monsieur"),
        _ => None,
    };
    json!({
        "id": u.id,
        "nom": u.nom_usage.clone().unwrap_or_else(|| u.nom_naissance.clone()),
        "nom_naissance": u.nom_naissance,
        "nom_usage": u.nom_usage,
        "prenoms": u.prenoms,
        "prenom": u.prenoms.split_whitespace().next().unwrap_or_default(),
        "sexe": u.sexe,
        "civilite": civilite,
        "date_naissance": u.date_naissance,
        "commune_naissance": u.commune_naissance,
        "pays_naissance": u.pays_naissance,
        "adresse": adresse,
        "decede": u.statut == crate::usager::Statut::Decede.code(),
        "date_deces": u.date_deces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_prepositions_before_a_place_name() {
        assert_eq!(de("Mont-Bonvillers"), "de Mont-Bonvillers");
        assert_eq!(de("Auboué"), "d'Auboué");
        assert_eq!(de("Le Mans"), "du Mans");
        assert_eq!(de("Les Lilas"), "des Lilas");
        assert_eq!(de("La Rochelle"), "de La Rochelle");
        assert_eq!(a("Le Mans"), "au Mans");
        assert_eq!(a("Les Lilas"), "aux Lilas");
        assert_eq!(a("Épinal"), "à Épinal");
    }

    #[test]
    fn common_fields_win_over_the_module_s() {
        let contexte = assembler(
            json!({"nom": "Mont-Bonvillers"}),
            NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
            None,
            json!({"nom": "attestation"}),
            &json!({"collectivite": "à moi", "usager": {"nom": "Roussel"}}),
        );
        assert_eq!(contexte["collectivite"]["nom"], "Mont-Bonvillers");
        assert_eq!(contexte["usager"]["nom"], "Roussel");
        assert_eq!(contexte["aujourd_hui"], "2026-11-24");
        assert!(contexte["signataire"].is_null());
    }
}
