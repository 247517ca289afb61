//! One address of a Base Adresse Nationale file, read and checked.
//!
//! Two layouts are read, by column name (any order, other columns ignored):
//!
//! | field | BAL 1.3 (Base Adresse Locale) | BAN export (`adresses-<dép>.csv`) |
//! |---|---|---|
//! | key | `cle_interop` | `id` |
//! | commune (COG) | `commune_insee` (else the key's first five characters) | `code_insee` |
//! | commune name | `commune_nom` | `nom_commune` |
//! | postcode | — | `code_postal` |
//! | street | `voie_nom` | `nom_voie` |
//! | lieu-dit | `lieudit_complement_nom` | `nom_ld` |
//! | number, suffix | `numero`, `suffixe` | `numero`, `rep` |
//! | kind of position | `position` | `type_position` |
//! | Lambert-93 | `x`, `y` | `x`, `y` |
//! | WGS84 | `long`, `lat` | `lon`, `lat` |
//!
//! The key (`cle_interop`) is `<commune>_<street>_<number>[_<suffix>]`: the COG code of the
//! commune (5 characters, `2A`/`2B` in Corsica), the street code (4 characters, FANTOIR or BAN,
//! or 6), the number on 5 digits padded with zeros, and the suffix in lower case, e.g.
//! `54084_0200_00001` or `54084_b114_00016_b`. Its number and suffix must be those of the
//! `numero` and `suffixe` columns.
//!
//! A position is given in WGS84, in Lambert-93, or both; when both are given in mainland France
//! they must designate the same point (within [`ECART_MAX`] metres, far above the files'
//! rounding). Overseas, `x`/`y` are in a local projection: only the longitude and latitude are
//! kept.

use std::sync::LazyLock;

use regex::Regex;

use super::geometrie::{
    dans_domaine_lambert93, distance_lambert93, lambert93_vers_wgs84, wgs84_valide,
    wgs84_vers_lambert93,
};
use crate::usager::identite::normaliser_nom;

/// Largest distance, in metres, between the Lambert-93 and the WGS84 forms of one position.
pub const ECART_MAX: f64 = 5.0;

/// The number BAL files give to a place without a number (a lieu-dit only).
pub const NUMERO_TOPONYME: i32 = 99_999;

static CLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?<commune>[0-9a-z]{5})_(?<voie>[0-9a-z]+)_(?<numero>[0-9]+)(?:_(?<suffixe>[0-9a-z]+))?$")
        .unwrap_or_else(|_| unreachable!())
});
static COMMUNE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{2}|2[AB])[0-9]{3}$").unwrap_or_else(|_| unreachable!()));
static SUFFIXE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9a-z]{1,10}$").unwrap_or_else(|_| unreachable!()));

/// The kinds of position BAL 1.3 names, as they are stored.
pub const POSITIONS: &[&str] = &[
    "entrée",
    "bâtiment",
    "cage d'escalier",
    "logement",
    "service technique",
    "délivrance postale",
    "parcelle",
    "segment",
];

/// Which column of the file holds each field.
#[derive(Debug, Clone, Default)]
pub struct Colonnes {
    cle: Option<usize>,
    commune_insee: Option<usize>,
    commune_nom: Option<usize>,
    code_postal: Option<usize>,
    voie_nom: Option<usize>,
    lieudit: Option<usize>,
    numero: Option<usize>,
    suffixe: Option<usize>,
    position: Option<usize>,
    x: Option<usize>,
    y: Option<usize>,
    lon: Option<usize>,
    lat: Option<usize>,
}

impl Colonnes {
    /// The column of the key, if the header has one.
    #[must_use]
    pub fn cle(&self) -> Option<usize> {
        self.cle
    }

    /// Finds the columns in a header line.
    ///
    /// # Errors
    /// The French list of what is missing: the key, the street, the number, or any position.
    pub fn depuis_entete<'a>(entete: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let noms: Vec<String> = entete
            .into_iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
            .collect();
        let trouver = |candidats: &[&str]| {
            candidats
                .iter()
                .find_map(|c| noms.iter().position(|n| n == c))
        };
        let colonnes = Self {
            cle: trouver(&["cle_interop", "id"]),
            commune_insee: trouver(&["commune_insee", "code_insee"]),
            commune_nom: trouver(&["commune_nom", "nom_commune"]),
            code_postal: trouver(&["code_postal"]),
            voie_nom: trouver(&["voie_nom", "nom_voie"]),
            lieudit: trouver(&["lieudit_complement_nom", "nom_ld"]),
            numero: trouver(&["numero"]),
            suffixe: trouver(&["suffixe", "rep"]),
            position: trouver(&["position", "type_position"]),
            x: trouver(&["x"]),
            y: trouver(&["y"]),
            lon: trouver(&["long", "lon"]),
            lat: trouver(&["lat"]),
        };
        let mut manquantes = Vec::new();
        if colonnes.cle.is_none() {
            manquantes.push("cle_interop (ou id)");
        }
        if colonnes.voie_nom.is_none() {
            manquantes.push("voie_nom (ou nom_voie)");
        }
        if colonnes.numero.is_none() {
            manquantes.push("numero");
        }
        let wgs84 = colonnes.lon.is_some() && colonnes.lat.is_some();
        let lambert = colonnes.x.is_some() && colonnes.y.is_some();
        if !wgs84 && !lambert {
            manquantes.push("long et lat, ou x et y");
        }
        if manquantes.is_empty() {
            Ok(colonnes)
        } else {
            Err(format!(
                "colonnes manquantes dans l'en-tête : {} (fichier BAL 1.3 ou export de la Base Adresse Nationale attendu, séparateur « ; »)",
                manquantes.join(", ")
            ))
        }
    }
}

/// An address as a file gives it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct AdresseBan {
    /// `cle_interop`, in lower case.
    pub cle_interop: String,
    /// COG code of the commune.
    pub commune_insee: String,
    /// Name of the commune.
    pub commune_nom: Option<String>,
    /// Postcode (BAN export only).
    pub code_postal: Option<String>,
    /// Name of the street (or of the lieu-dit for a place without street).
    pub voie_nom: String,
    /// Lieu-dit complementing the street.
    pub lieudit: Option<String>,
    /// Number, `99999` for a place without a number.
    pub numero: i32,
    /// Suffix (`bis`, `ter`, `a`…), in lower case.
    pub suffixe: Option<String>,
    /// Kind of position (`entrée`, `segment`…).
    pub position: Option<String>,
    /// Lambert-93 easting, in mainland France.
    pub x: Option<f64>,
    /// Lambert-93 northing, in mainland France.
    pub y: Option<f64>,
    /// WGS84 longitude.
    pub lon: f64,
    /// WGS84 latitude.
    pub lat: f64,
}

impl AdresseBan {
    /// How the address is written on an envelope's street line: « 16 b Bonvillers Village ».
    #[must_use]
    pub fn libelle(&self) -> String {
        libelle(self.numero, self.suffixe.as_deref(), &self.voie_nom)
    }

    /// The normalised words searched by `q=`, each preceded by a space: number, suffix, street
    /// and lieu-dit. Not the commune, which every address of a commune shares: searches name
    /// it with a filter.
    #[must_use]
    pub fn recherche(&self) -> String {
        let numero = if self.numero == NUMERO_TOPONYME {
            String::new()
        } else {
            self.numero.to_string()
        };
        let texte = [
            numero.as_str(),
            self.suffixe.as_deref().unwrap_or_default(),
            &self.voie_nom,
            self.lieudit.as_deref().unwrap_or_default(),
        ]
        .join(" ");
        format!(" {} ", normaliser_nom(&texte))
    }
}

/// The street line of an address: number, suffix and street.
#[must_use]
pub fn libelle(numero: i32, suffixe: Option<&str>, voie_nom: &str) -> String {
    match (numero, suffixe) {
        (NUMERO_TOPONYME, _) => voie_nom.to_owned(),
        (n, Some(s)) => format!("{n} {s} {voie_nom}"),
        (n, None) => format!("{n} {voie_nom}"),
    }
}

/// A position kind written as people write it (`Entrée`, `cage d’escalier`), in its stored
/// form, or `None` if BAL does not name it.
#[must_use]
pub fn position_normalisee(texte: &str) -> Option<&'static str> {
    let cle = |t: &str| normaliser_nom(t);
    let voulu = cle(texte);
    POSITIONS.iter().copied().find(|p| cle(p) == voulu)
}

/// A COG commune code whose département exists.
fn commune_valide(code: &str) -> bool {
    COMMUNE.is_match(code) && !["00", "20", "96", "99"].contains(&&code[..2])
}

/// Parses a decimal coordinate written with a point.
fn nombre(champ: &str, texte: &str, erreurs: &mut Vec<String>) -> Option<f64> {
    match texte.parse::<f64>() {
        Ok(v) if v.is_finite() && !texte.contains(['e', 'E']) => Some(v),
        _ => {
            erreurs.push(format!(
                "{champ} « {texte} » : nombre décimal attendu (point décimal)"
            ));
            None
        }
    }
}

/// Checks one line. `champ(i)` gives the line's field `i`, trimmed (`None` when empty or
/// absent).
///
/// # Errors
/// Every reason the line is refused, in French, field by field.
pub fn lire(
    colonnes: &Colonnes,
    champ: &dyn Fn(Option<usize>) -> Option<String>,
) -> Result<AdresseBan, Vec<String>> {
    let mut erreurs = Vec::new();

    let numero = match champ(colonnes.numero) {
        None => {
            erreurs.push("numero manquant".to_owned());
            None
        }
        Some(t) => match t.parse::<i32>() {
            Ok(n)
                if (0..=NUMERO_TOPONYME).contains(&n) && t.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(n)
            }
            _ => {
                erreurs.push(format!("numero « {t} » : entier de 0 à 99999 attendu"));
                None
            }
        },
    };
    let suffixe = champ(colonnes.suffixe).map(|s| s.to_lowercase());
    if let Some(s) = &suffixe
        && !SUFFIXE.is_match(s)
    {
        erreurs.push(format!(
            "suffixe « {s} » : lettres ou chiffres attendus (bis, ter, a…)"
        ));
    }

    let cle = champ(colonnes.cle).map(|c| c.to_lowercase());
    let mut commune_cle = None;
    match &cle {
        None => erreurs.push("cle_interop manquante".to_owned()),
        Some(c) => match CLE.captures(c) {
            None => erreurs.push(format!(
                "cle_interop « {c} » : commune_voie_numéro[_suffixe] attendu (ex. 54084_0200_00001)"
            )),
            Some(parts) => {
                let commune = parts["commune"].to_ascii_uppercase();
                let voie = &parts["voie"];
                let num = &parts["numero"];
                if !commune_valide(&commune) {
                    erreurs.push(format!(
                        "cle_interop « {c} » : « {commune} » n'est pas un code de commune (COG, ex. 54084 ou 2A004)"
                    ));
                } else {
                    commune_cle = Some(commune);
                }
                if voie.len() != 4 && voie.len() != 6 {
                    erreurs.push(format!(
                        "cle_interop « {c} » : code de voie « {voie} » sur 4 ou 6 caractères attendu"
                    ));
                }
                if num.len() != 5 {
                    erreurs.push(format!(
                        "cle_interop « {c} » : numéro sur 5 chiffres attendu (« {num:0>5} »)"
                    ));
                } else if let Some(n) = numero
                    && num.parse::<i32>().ok() != Some(n)
                {
                    erreurs.push(format!(
                        "cle_interop « {c} » : le numéro {num} n'est pas celui de la colonne numero ({n})"
                    ));
                }
                let suffixe_cle = parts.name("suffixe").map(|m| m.as_str());
                if suffixe_cle != suffixe.as_deref() {
                    erreurs.push(format!(
                        "cle_interop « {c} » : suffixe « {} » différent de la colonne suffixe (« {} »)",
                        suffixe_cle.unwrap_or_default(),
                        suffixe.as_deref().unwrap_or_default()
                    ));
                }
            }
        },
    }

    let commune_insee = match (champ(colonnes.commune_insee), commune_cle) {
        (Some(colonne), cle_commune) => {
            let colonne = colonne.to_ascii_uppercase();
            if !commune_valide(&colonne) {
                erreurs.push(format!(
                    "commune_insee « {colonne} » : code de commune (COG) attendu"
                ));
                None
            } else if cle_commune.as_ref().is_some_and(|k| *k != colonne) {
                erreurs.push(format!(
                    "commune_insee « {colonne} » différente de la commune de la cle_interop"
                ));
                None
            } else {
                Some(colonne)
            }
        }
        (None, cle_commune) => cle_commune,
    };

    let voie_nom = champ(colonnes.voie_nom);
    match &voie_nom {
        None => erreurs.push("voie_nom manquant".to_owned()),
        Some(v) if v.chars().count() > 200 => {
            erreurs.push("voie_nom : 200 caractères au plus".to_owned());
        }
        Some(_) => {}
    }

    let lieudit = champ(colonnes.lieudit);
    if lieudit.as_ref().is_some_and(|l| l.chars().count() > 200) {
        erreurs.push("lieudit_complement_nom : 200 caractères au plus".to_owned());
    }
    let commune_nom = champ(colonnes.commune_nom);
    if commune_nom
        .as_ref()
        .is_some_and(|c| c.chars().count() > 100)
    {
        erreurs.push("commune_nom : 100 caractères au plus".to_owned());
    }

    let position = match champ(colonnes.position) {
        None => None,
        Some(p) => match position_normalisee(&p) {
            Some(p) => Some(p.to_owned()),
            None => {
                erreurs.push(format!(
                    "position « {p} » inconnue : {} attendu",
                    POSITIONS.join(", ")
                ));
                None
            }
        },
    };

    let coordonnees = coordonnees(colonnes, champ, &mut erreurs);

    let code_postal = champ(colonnes.code_postal);
    if let Some(cp) = &code_postal
        && (cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()))
    {
        erreurs.push(format!("code_postal « {cp} » : 5 chiffres attendus"));
    }

    match (cle, commune_insee, voie_nom, numero, coordonnees) {
        (
            Some(cle_interop),
            Some(commune_insee),
            Some(voie_nom),
            Some(numero),
            Some((x, y, lon, lat)),
        ) if erreurs.is_empty() => Ok(AdresseBan {
            cle_interop,
            commune_insee,
            commune_nom,
            code_postal,
            voie_nom,
            lieudit,
            numero,
            suffixe,
            position,
            x,
            y,
            lon,
            lat,
        }),
        _ => {
            if erreurs.is_empty() {
                erreurs.push("ligne incomplète".to_owned());
            }
            Err(erreurs)
        }
    }
}

type Coordonnees = (Option<f64>, Option<f64>, f64, f64);

/// The position of a line: Lambert-93 (mainland France only) and WGS84.
fn coordonnees(
    colonnes: &Colonnes,
    champ: &dyn Fn(Option<usize>) -> Option<String>,
    erreurs: &mut Vec<String>,
) -> Option<Coordonnees> {
    let avant = erreurs.len();
    let mut lire = |nom: &str, i: Option<usize>| champ(i).map(|t| (nombre(nom, &t, erreurs), t));
    let x = lire("x", colonnes.x);
    let y = lire("y", colonnes.y);
    let lon = lire("long", colonnes.lon);
    let lat = lire("lat", colonnes.lat);
    if erreurs.len() > avant {
        return None;
    }
    let valeur = |c: &Option<(Option<f64>, String)>| c.as_ref().and_then(|(v, _)| *v);
    let (x, y, lon, lat) = (valeur(&x), valeur(&y), valeur(&lon), valeur(&lat));
    let wgs84 = match (lon, lat) {
        (Some(lon), Some(lat)) if wgs84_valide(lon, lat) => Some((lon, lat)),
        (Some(lon), Some(lat)) => {
            erreurs.push(format!(
                "long/lat ({lon}, {lat}) : longitude de −180 à 180 et latitude de −90 à 90 attendues"
            ));
            return None;
        }
        (None, None) => None,
        _ => {
            erreurs.push("long et lat vont ensemble : l'une manque".to_owned());
            return None;
        }
    };
    let lambert = match (x, y) {
        (Some(x), Some(y)) => Some((x, y)),
        (None, None) => None,
        _ => {
            erreurs.push("x et y vont ensemble : l'un manque".to_owned());
            return None;
        }
    };
    match (lambert, wgs84) {
        (None, None) => {
            erreurs.push("position manquante : long/lat ou x/y attendus".to_owned());
            None
        }
        (Some((x, y)), None) => match lambert93_vers_wgs84(x, y) {
            Ok((lon, lat)) => Some((Some(x), Some(y), lon, lat)),
            Err(_) => {
                erreurs.push(format!(
                    "x/y ({x}, {y}) : hors de France métropolitaine en Lambert-93 ; donnez long/lat"
                ));
                None
            }
        },
        (lambert, Some((lon, lat))) if dans_domaine_lambert93(lon, lat) => {
            let projete = wgs84_vers_lambert93(lon, lat).ok();
            match (lambert, projete) {
                (Some((x, y)), Some(p)) => {
                    let ecart = distance_lambert93((x, y), p);
                    if ecart > ECART_MAX {
                        erreurs.push(format!(
                            "x/y ({x}, {y}) et long/lat ({lon}, {lat}) désignent deux points distants de {ecart:.0} m"
                        ));
                        return None;
                    }
                    Some((Some(x), Some(y), lon, lat))
                }
                (None, Some((x, y))) => Some((Some(round2(x)), Some(round2(y)), lon, lat)),
                (_, None) => Some((None, None, lon, lat)),
            }
        }
        // Overseas: x/y are in a local projection, not Lambert-93.
        (_, Some((lon, lat))) => Some((None, None, lon, lat)),
    }
}

/// Rounded to the centimetre.
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAL: &str = "uid_adresse;cle_interop;commune_insee;commune_nom;commune_deleguee_insee;commune_deleguee_nom;voie_nom;lieudit_complement_nom;numero;suffixe;position;x;y;long;lat;cad_parcelles;source;date_der_maj;certification_commune";

    fn ligne(entete: &str, texte: &str) -> Result<AdresseBan, Vec<String>> {
        let colonnes = Colonnes::depuis_entete(entete.split(';')).expect("header");
        let champs: Vec<&str> = texte.split(';').collect();
        lire(&colonnes, &|i| {
            i.and_then(|i| champs.get(i))
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        })
    }

    #[test]
    fn a_bal_line_is_read() {
        let adresse = ligne(
            BAL,
            ";54084_b114_00016_b;54084;Mont-Bonvillers;;;Bonvillers Village;;16;b;entrée;906609.88;6917459.71;5.841922;49.323253;;inconnue;;0",
        )
        .expect("valid");
        assert_eq!(adresse.cle_interop, "54084_b114_00016_b");
        assert_eq!(adresse.libelle(), "16 b Bonvillers Village");
        assert_eq!(adresse.recherche(), " 16 B BONVILLERS VILLAGE ");
        assert_eq!(adresse.position.as_deref(), Some("entrée"));
        assert_eq!(
            (adresse.x, adresse.y),
            (Some(906_609.88), Some(6_917_459.71))
        );
    }

    #[test]
    fn a_ban_export_line_is_read() {
        let entete = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles";
        let adresse = ligne(
            entete,
            "54084_0200_00001;54084_0200;1;;Rue Joffre;54560;54084;Mont-Bonvillers;;;906010.92;6917321.29;5.833622;49.322203;segment;;;MONT BONVILLERS;RUE JOFFRE;commune;commune;0;",
        )
        .expect("valid");
        assert_eq!(adresse.code_postal.as_deref(), Some("54560"));
        assert_eq!(adresse.libelle(), "1 Rue Joffre");
        assert_eq!(adresse.position.as_deref(), Some("segment"));
    }

    #[test]
    fn bad_lines_say_why() {
        let entete = "cle_interop;voie_nom;numero;suffixe;position;x;y;long;lat";
        let refus = |texte: &str| ligne(entete, texte).expect_err("refused").join(" ; ");
        assert!(
            refus("A7482_6956_11;Rue;11;;;1049409.0;6838286.4;7.737072;48.55045")
                .contains("n'est pas un code de commune")
        );
        assert!(
            refus("67482_0340_43;Rue;43;;;1051485.9;6844700.9;7.770409;48.606923")
                .contains("« 00043 »")
        );
        assert!(
            refus("29189_0421_00163;Rue;163,0000000000;;parcelle;156513.07;6834959.14;-4.35;48.38")
                .contains("entier de 0 à 99999")
        );
        assert!(
            refus("67482_2498_00016;Rue;16;;ddfdf;1046166.3;6842137.1;7.696314;48.586769")
                .contains("position « ddfdf » inconnue")
        );
        assert!(
            refus("35001_0010_00005_bis;Rue;5;;;363405.72;6791858.39;-1.5276;48.1402")
                .contains("suffixe « bis » différent")
        );
        assert!(
            refus("54084_0200_00001;Rue;1;;;906010.92;6917321.29;5.9;49.322203")
                .contains("distants de")
        );
        assert!(
            refus("54084_0200_00001;Rue;1;;;906010,92;6917321.29;;").contains("x « 906010,92 »")
        );
        assert!(refus("54084_0200_00001;Rue;1;;;;;;").contains("position manquante"));
        assert!(refus("54084_0200_00001;;1;;;;;5.8;49.3").contains("voie_nom manquant"));
    }

    #[test]
    fn only_one_form_of_the_position_is_enough() {
        let entete = "cle_interop;voie_nom;numero;x;y;long;lat";
        let lambert = ligne(
            entete,
            "54084_0200_00001;Rue Joffre;1;906010.92;6917321.29;;",
        )
        .expect("x/y");
        assert!((lambert.lon - 5.833_622).abs() < 1e-6);
        let wgs84 =
            ligne(entete, "54084_0200_00001;Rue Joffre;1;;;5.833622;49.322203").expect("lon/lat");
        assert!((wgs84.x.unwrap_or_default() - 906_010.92).abs() < 0.1);
        // Saint-Denis (La Réunion): x/y in the local projection are not Lambert-93.
        let outremer = ligne(
            entete,
            "97411_0420_00002;Rue de Paris;2;338650.5;7690560.1;55.4503;-20.8789",
        )
        .expect("overseas");
        assert_eq!((outremer.x, outremer.y), (None, None));
    }

    #[test]
    fn headers_without_the_needed_columns_are_refused() {
        let err = Colonnes::depuis_entete("nom;prenom".split(';')).expect_err("not a BAN file");
        assert!(err.contains("cle_interop"), "{err}");
        assert!(
            Colonnes::depuis_entete("\u{feff}cle_interop;voie_nom;numero;long;lat".split(';'))
                .is_ok()
        );
    }

    #[test]
    fn position_kinds_as_people_write_them() {
        assert_eq!(position_normalisee("Entrée"), Some("entrée"));
        assert_eq!(
            position_normalisee("cage d’escalier"),
            Some("cage d'escalier")
        );
        assert_eq!(position_normalisee("batiment"), Some("bâtiment"));
        assert_eq!(position_normalisee("ddfdf"), None);
    }
}
