//! The template engine: MiniJinja, set up for letters in French.
//!
//! - Templates are HTML; every merged value is escaped (`{{ usager.nom }}` with `<script>` in it
//!   prints `&lt;script&gt;`). `| safe` is the only way around it.
//! - A merge field that does not exist is an error that names it
//!   ([`ErreurModele::ChampManquant`]), never a blank in a letter; `{% if champ %}` tests one
//!   that may be absent, and a field that is present but empty (`null`) prints nothing.
//! - Templates see nothing but their context: no file, no network, no environment. Another
//!   template is reached by its name, `module/nom` (`{% include "editions/en-tete" %}`), through
//!   the sources the caller gives. A template that runs too long (a loop without end) is
//!   stopped.
//! - Filters for French letters: [`date_longue`] (« 24 novembre 2026 », « 1er mai 2027 »),
//!   `date_courte` (« 24/11/2026 »), `majuscules`, `minuscules`, `sauts_de_ligne` (line breaks
//!   of an address kept), `nombre` and `euros` (« 1 234,50 € »), `feminin` (« né » / « née »),
//!   `de` and `a` before a place name (« du Mans », « au Mans »).

use std::collections::BTreeMap;

use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior, Value};

/// Instructions a template may run before it is stopped (a few million: far above any letter
/// or list a commune prints, far below a loop without end).
const CARBURANT: u64 = 20_000_000;

/// Largest HTML a rendering may produce, in bytes.
pub const TAILLE_MAX_RENDU: usize = 8 * 1024 * 1024;

/// Why a template cannot be compiled or rendered. Every message is French, for the agent who
/// writes or uses the template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErreurModele {
    /// The source does not compile.
    #[error("{}", avec_ligne(*ligne, detail))]
    Syntaxe {
        /// Line of the source, from 1.
        ligne: Option<usize>,
        /// What is wrong.
        detail: String,
    },
    /// A merge field the template prints is not in the context.
    #[error("le champ de fusion « {champ} » n'existe pas dans les données de cette édition (modèle {modele}{})", ligne.map(|l| format!(", ligne {l}")).unwrap_or_default())]
    ChampManquant {
        /// The expression, as written in the template (`usager.prenom`).
        champ: String,
        /// The template it is written in (`module/nom`).
        modele: String,
        /// Line of that template.
        ligne: Option<usize>,
    },
    /// The template compiled but failed while rendering (a filter given a wrong value, an
    /// unknown filter, an included template that does not exist…).
    #[error("modèle {modele} : {}", avec_ligne(*ligne, detail))]
    Rendu {
        /// The template at fault (`module/nom`).
        modele: String,
        /// Line of that template.
        ligne: Option<usize>,
        /// What went wrong.
        detail: String,
    },
}

fn avec_ligne(ligne: Option<usize>, detail: &str) -> String {
    match ligne {
        Some(ligne) => format!("ligne {ligne} : {detail}"),
        None => detail.to_owned(),
    }
}

impl ErreurModele {
    /// The line at fault, when known.
    #[must_use]
    pub fn ligne(&self) -> Option<usize> {
        match self {
            Self::Syntaxe { ligne, .. }
            | Self::ChampManquant { ligne, .. }
            | Self::Rendu { ligne, .. } => *ligne,
        }
    }
}

/// An environment whose templates are `sources` (`module/nom` → source).
fn environnement(sources: BTreeMap<String, String>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_fuel(Some(CARBURANT));
    // Ten nested includes, or some twenty nested macro calls: far more than a letter needs, and
    // little stack for the task that renders.
    env.set_recursion_limit(100);
    env.set_debug(true);
    env.set_auto_reload(false);
    env.set_formatter(|sortie, etat, valeur| {
        // An empty field (`null`) prints nothing, not « none ».
        if valeur.is_none() {
            return Ok(());
        }
        // Text is escaped for HTML (`&`, `<`, `>`, `"`, `'`); a `/` is left as is, so that a
        // `data:image/png` URI or a date reads the same in the HTML source.
        if let (AutoEscape::Html, Some(texte), false) =
            (etat.auto_escape(), valeur.as_str(), valeur.is_safe())
        {
            return sortie
                .write_str(&echapper(texte))
                .map_err(|_| Error::new(ErrorKind::WriteFailure, "écriture du document"));
        }
        minijinja::escape_formatter(sortie, etat, valeur)
    });
    env.set_loader(move |nom| Ok(sources.get(nom).cloned()));
    env.add_filter("date_longue", filtre_date_longue);
    env.add_filter("date_courte", filtre_date_courte);
    env.add_filter("majuscules", |texte: Value| -> Result<String, Error> {
        Ok(texte_de(&texte, "majuscules")?.to_uppercase())
    });
    env.add_filter("minuscules", |texte: Value| -> Result<String, Error> {
        Ok(texte_de(&texte, "minuscules")?.to_lowercase())
    });
    env.add_filter("sauts_de_ligne", filtre_sauts_de_ligne);
    env.add_filter("nombre", filtre_nombre);
    env.add_filter("euros", filtre_euros);
    env.add_filter("feminin", filtre_feminin);
    env.add_filter("de", |nom: Value| -> Result<String, Error> {
        Ok(super::contexte::de(&texte_de(&nom, "de")?))
    });
    env.add_filter("a", |nom: Value| -> Result<String, Error> {
        Ok(super::contexte::a(&texte_de(&nom, "a")?))
    });
    env
}

/// Compiles `source` alone, to refuse a template that does not compile before it is saved.
///
/// # Errors
/// [`ErreurModele::Syntaxe`] with the line at fault.
pub fn verifier(source: &str) -> Result<(), ErreurModele> {
    let env = environnement(BTreeMap::new());
    env.template_from_named_str("modele", source)
        .map(drop)
        .map_err(|e| ErreurModele::Syntaxe {
            ligne: e.line(),
            detail: syntaxe_en_francais(&e),
        })
}

/// Renders the template `nom` of `sources` with `contexte`.
///
/// # Errors
/// A syntax error, a missing merge field, or any other failure, with the template and line.
pub fn rendre(
    sources: BTreeMap<String, String>,
    nom: &str,
    contexte: &serde_json::Value,
) -> Result<String, ErreurModele> {
    let env = environnement(sources);
    let modele = env.get_template(nom).map_err(|e| traduire(&e, nom))?;
    let trop_grand = || ErreurModele::Rendu {
        modele: nom.to_owned(),
        ligne: None,
        detail: format!(
            "le document produit dépasse {} Mio",
            TAILLE_MAX_RENDU / (1024 * 1024)
        ),
    };
    // Written into a bounded buffer: the output stops growing at the limit, whatever the
    // template does.
    let mut sortie = Borne::default();
    let rendu = modele
        .render_captured_to(Value::from(minijinja::value::Serde(contexte)), &mut sortie)
        .map(drop);
    if sortie.depasse {
        return Err(trop_grand());
    }
    rendu.map_err(|e| traduire(&e, nom))?;
    String::from_utf8(sortie.octets).map_err(|_| trop_grand())
}

/// A buffer that refuses to grow past [`TAILLE_MAX_RENDU`].
#[derive(Default)]
struct Borne {
    octets: Vec<u8>,
    depasse: bool,
}

impl std::io::Write for Borne {
    fn write(&mut self, morceau: &[u8]) -> std::io::Result<usize> {
        if self.octets.len() + morceau.len() > TAILLE_MAX_RENDU {
            self.depasse = true;
            return Err(std::io::Error::other("document trop grand"));
        }
        self.octets.extend_from_slice(morceau);
        Ok(morceau.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The innermost error of the chain (the one inside an included template).
fn plus_profonde(erreur: &Error) -> &Error {
    let mut courante = erreur;
    while let Some(source) =
        std::error::Error::source(courante).and_then(|s| s.downcast_ref::<Error>())
    {
        courante = source;
    }
    courante
}

fn traduire(erreur: &Error, nom: &str) -> ErreurModele {
    let erreur = plus_profonde(erreur);
    let modele = erreur.name().unwrap_or(nom).to_owned();
    let ligne = erreur.line();
    match erreur.kind() {
        ErrorKind::SyntaxError => ErreurModele::Rendu {
            modele,
            ligne,
            detail: syntaxe_en_francais(erreur),
        },
        ErrorKind::UndefinedError => {
            // The engine names the expression that gave the undefined value in its detail
            // (« `usager.prenom` is undefined »); else the failing expression is the field.
            let nomme = erreur
                .detail()
                .and_then(|d| d.split('`').nth(1))
                .filter(|_| erreur.detail().is_some_and(|d| d.contains("` is undefined")))
                .map(str::to_owned);
            let champ = nomme
                .or_else(|| {
                    erreur
                        .range()
                        .and_then(|r| erreur.template_source().and_then(|s| s.get(r)))
                        .map(str::to_owned)
                })
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "?".to_owned());
            ErreurModele::ChampManquant {
                champ,
                modele,
                ligne,
            }
        }
        ErrorKind::TemplateNotFound => ErreurModele::Rendu {
            modele,
            ligne,
            detail: format!(
                "modèle inclus introuvable{} (un modèle s'inclut par son nom module/nom, par exemple « editions/en-tete »)",
                erreur
                    .detail()
                    .and_then(|d| d.split('"').nth(1))
                    .map(|n| format!(" : « {n} »"))
                    .unwrap_or_default()
            ),
        },
        ErrorKind::OutOfFuel => ErreurModele::Rendu {
            modele,
            ligne,
            detail: "le modèle a été arrêté : il ne se termine pas (boucle sans fin ?) ou produit un document démesuré".to_owned(),
        },
        kind => ErreurModele::Rendu {
            modele,
            ligne,
            detail: match (kind, erreur.detail()) {
                (ErrorKind::UnknownFilter, d) => format!("filtre inconnu{}", nom_inconnu(d)),
                (ErrorKind::UnknownFunction, d) => {
                    format!("fonction inconnue{}", nom_inconnu(d))
                }
                (ErrorKind::UnknownTest, d) => format!("test inconnu{}", nom_inconnu(d)),
                (ErrorKind::UnknownMethod, d) => format!("méthode inconnue{}", nom_inconnu(d)),
                (ErrorKind::TooManyArguments, _) => "trop d'arguments".to_owned(),
                (ErrorKind::MissingArgument, _) => "argument manquant".to_owned(),
                (ErrorKind::InvalidOperation, Some(d)) => d.to_owned(),
                (_, Some(d)) => format!("opération impossible ({d})"),
                (_, None) => format!("opération impossible ({kind})"),
            },
        },
    }
}

/// « « nom » » from the engine's « filter nom is unknown », or nothing.
fn nom_inconnu(detail: Option<&str>) -> String {
    detail
        .and_then(|d| d.strip_suffix(" is unknown"))
        .and_then(|d| d.split_whitespace().last())
        .map(|nom| format!(" « {} »", nom.trim_matches('`')))
        .unwrap_or_default()
}

/// The French reading of a syntax error.
fn syntaxe_en_francais(erreur: &Error) -> String {
    let detail = erreur.detail().unwrap_or("");
    let mot = |anglais: &str| -> String {
        match anglais.trim() {
            "end of input" => "la fin du modèle".to_owned(),
            "end of block" => "la fin de la balise « %} »".to_owned(),
            "end of variable block" => "la fin du champ « }} »".to_owned(),
            "identifier" => "un nom".to_owned(),
            "expression" => "une expression".to_owned(),
            "block keyword" | "keyword" => "un mot-clé (if, for, endif…)".to_owned(),
            "assignment operator" | "`=`" => "« = »".to_owned(),
            "comma" => "« , »".to_owned(),
            autre => format!("« {} »", autre.trim_matches('`')),
        }
    };
    if detail == "unexpected end of input, expected keyword"
        || detail.starts_with("unexpected end of input, expected end of block")
    {
        return "le modèle se termine alors qu'un bloc ({% if %}, {% for %}, {% macro %}…) n'est pas fermé ou qu'une balise n'est pas terminée".to_owned();
    }
    if let Some(reste) = detail.strip_prefix("unexpected ")
        && let Some((inattendu, attendu)) = reste.split_once(", expected ")
    {
        return format!("attendu : {} ; trouvé : {}", mot(attendu), mot(inattendu));
    }
    if let Some(nom) = detail.strip_prefix("unknown statement ") {
        return if nom.starts_with("end") {
            format!("la balise « {nom} » ne ferme aucun bloc ouvert à cet endroit")
        } else {
            format!("balise inconnue « {nom} »")
        };
    }
    if let Some(quoi) = detail.strip_prefix("unexpected ") {
        return format!("{} n'a pas sa place ici", mot(quoi));
    }
    if detail.is_empty() {
        "syntaxe incorrecte".to_owned()
    } else {
        format!("syntaxe incorrecte ({detail})")
    }
}

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A date (`AAAA-MM-JJ`, possibly followed by a time; `00` for an unknown month or day) as its
/// year, month and day.
fn lire_date(valeur: &Value, filtre: &str) -> Result<(i32, u32, u32), Error> {
    let texte = texte_de(valeur, filtre)?;
    let invalide = || {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("{filtre} : « {texte} » n'est pas une date (AAAA-MM-JJ attendu)"),
        )
    };
    let date = texte.get(..10).ok_or_else(invalide)?;
    let mut parties = date.split('-');
    let (Some(a), Some(m), Some(j), None) = (
        parties.next(),
        parties.next(),
        parties.next(),
        parties.next(),
    ) else {
        return Err(invalide());
    };
    let (annee, mois, jour): (i32, u32, u32) = (
        a.parse().map_err(|_| invalide())?,
        m.parse().map_err(|_| invalide())?,
        j.parse().map_err(|_| invalide())?,
    );
    let valide = match (mois, jour) {
        (0, 0) => true,
        (1..=12, 0) => true,
        (1..=12, _) => chrono::NaiveDate::from_ymd_opt(annee, mois, jour).is_some(),
        _ => false,
    };
    if valide {
        Ok((annee, mois, jour))
    } else {
        Err(invalide())
    }
}

/// A date in words, as French letters write it: « 24 novembre 2026 », « 1er mai 2027 »; a date
/// whose day is unknown (`1990-04-00`) gives « avril 1990 », whose month is unknown « 1990 ».
#[must_use]
pub fn date_longue(annee: i32, mois: u32, jour: u32) -> String {
    let nom_mois = mois
        .checked_sub(1)
        .and_then(|m| MOIS.get(m as usize))
        .copied();
    match (nom_mois, jour) {
        (None, _) => annee.to_string(),
        (Some(m), 0) => format!("{m} {annee}"),
        (Some(m), 1) => format!("1er {m} {annee}"),
        (Some(m), j) => format!("{j} {m} {annee}"),
    }
}

fn filtre_date_longue(valeur: Value) -> Result<String, Error> {
    let (annee, mois, jour) = lire_date(&valeur, "date_longue")?;
    Ok(date_longue(annee, mois, jour))
}

fn filtre_date_courte(valeur: Value) -> Result<Value, Error> {
    let (annee, mois, jour) = lire_date(&valeur, "date_courte")?;
    // Digits and slashes only: nothing to escape (the engine would write `/` as `&#x2f;`).
    Ok(Value::from_safe_string(match (mois, jour) {
        (0, _) => annee.to_string(),
        (m, 0) => format!("{m:02}/{annee}"),
        (m, j) => format!("{j:02}/{m:02}/{annee}"),
    }))
}

/// Refuses an undefined value given to a filter. The engine's own error is used: it remembers
/// where the value came from, so the message names the field (`usager.prenom`), not the filter.
fn absent(valeur: &Value, filtre: &str) -> Result<(), Error> {
    if !valeur.is_undefined() {
        return Ok(());
    }
    Err(valeur.get_attr("valeur").err().unwrap_or_else(|| {
        Error::new(
            ErrorKind::UndefinedError,
            format!("{filtre} : valeur absente"),
        )
    }))
}

/// The text of a value given to a filter; a number prints as itself.
fn texte_de(valeur: &Value, filtre: &str) -> Result<String, Error> {
    absent(valeur, filtre)?;
    if valeur.is_none() {
        return Ok(String::new());
    }
    Ok(valeur
        .as_str()
        .map_or_else(|| valeur.to_string(), str::to_owned))
}

/// Escapes `texte` for HTML.
fn echapper(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    for c in texte.chars() {
        match c {
            '&' => sortie.push_str("&amp;"),
            '<' => sortie.push_str("&lt;"),
            '>' => sortie.push_str("&gt;"),
            '"' => sortie.push_str("&quot;"),
            '\'' => sortie.push_str("&#x27;"),
            c => sortie.push(c),
        }
    }
    sortie
}

/// Each line of a text (an address) escaped, joined by `<br>`.
fn filtre_sauts_de_ligne(etat: &State, valeur: Value) -> Result<Value, Error> {
    let texte = texte_de(&valeur, "sauts_de_ligne")?;
    let lignes: Vec<String> = texte
        .lines()
        .map(|l| match etat.auto_escape() {
            AutoEscape::None => l.to_owned(),
            _ => echapper(l),
        })
        .collect();
    Ok(Value::from_safe_string(lignes.join("<br>")))
}

/// Digits grouped by three with a narrow no-break space, as French typography writes numbers.
fn grouper(entier: u64) -> String {
    let chiffres = entier.to_string();
    let mut sortie = String::new();
    for (rang, c) in chiffres.chars().enumerate() {
        if rang > 0 && (chiffres.len() - rang).is_multiple_of(3) {
            sortie.push('\u{202f}');
        }
        sortie.push(c);
    }
    sortie
}

fn nombre_francais(valeur: f64, decimales: usize) -> String {
    let signe = if valeur < 0.0 { "-" } else { "" };
    let texte = format!("{:.*}", decimales, valeur.abs());
    let (entier, fraction) = texte.split_once('.').unwrap_or((&texte, ""));
    let entier = entier
        .parse::<u64>()
        .map_or_else(|_| entier.to_owned(), grouper);
    if fraction.is_empty() {
        format!("{signe}{entier}")
    } else {
        format!("{signe}{entier},{fraction}")
    }
}

fn nombre_de(valeur: &Value, filtre: &str) -> Result<f64, Error> {
    absent(valeur, filtre)?;
    if let Ok(n) = f64::try_from(valeur.clone()) {
        return Ok(n);
    }
    valeur
        .as_str()
        .and_then(|s| s.trim().replace(',', ".").parse::<f64>().ok())
        .filter(|n| n.is_finite())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("{filtre} : « {valeur} » n'est pas un nombre"),
            )
        })
}

/// `{{ 1234.5 | nombre }}` → « 1 234 » ; `{{ 1234.5 | nombre(2) }}` → « 1 234,50 ».
fn filtre_nombre(valeur: Value, decimales: Option<usize>) -> Result<String, Error> {
    let n = nombre_de(&valeur, "nombre")?;
    Ok(nombre_francais(n, decimales.unwrap_or(0).min(6)))
}

/// `{{ 1234.5 | euros }}` → « 1 234,50 € » ; `{{ 123450 | euros(centimes=true) }}` for an amount
/// kept in cents.
fn filtre_euros(valeur: Value, options: Kwargs) -> Result<String, Error> {
    let centimes: Option<bool> = options.get("centimes")?;
    options.assert_all_used()?;
    let mut n = nombre_de(&valeur, "euros")?;
    if centimes.unwrap_or(false) {
        n /= 100.0;
    }
    Ok(format!("{}\u{a0}€", nombre_francais(n, 2)))
}

/// Agreement with a person's sex (`M` or `F`): `{{ "inscrit" | feminin(usager.sexe) }}` gives
/// « inscrite » for a woman, « inscrit » for a man, « inscrit(e) » when unknown;
/// `{{ "né" | feminin(usager.sexe, "née") }}` names the feminine form (« né(e) » when unknown,
/// « le maire / la maire » when one form does not extend the other).
fn filtre_feminin(masculin: Value, sexe: Value, feminin: Option<String>) -> Result<String, Error> {
    let masculin = texte_de(&masculin, "feminin")?;
    let sexe = if sexe.is_undefined() || sexe.is_none() {
        String::new()
    } else {
        texte_de(&sexe, "feminin")?
    };
    let feminin = feminin.unwrap_or_else(|| format!("{masculin}e"));
    Ok(match sexe.trim() {
        "F" | "f" => feminin,
        "M" | "m" => masculin,
        // Unknown: both forms, as « né(e) » when the feminine only adds letters.
        _ => match feminin.strip_prefix(masculin.as_str()) {
            Some(ajout) if !ajout.is_empty() => format!("{masculin}({ajout})"),
            _ => format!("{masculin} / {feminin}"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sources(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
            .collect()
    }

    fn rendre_seul(source: &str, contexte: serde_json::Value) -> Result<String, ErreurModele> {
        rendre(
            sources(&[("essai/modele", source)]),
            "essai/modele",
            &contexte,
        )
    }

    #[test]
    fn merged_values_are_escaped_and_null_prints_nothing() {
        let html = rendre_seul(
            "<p>{{ usager.nom }} {{ usager.nom_usage }}|{{ titre | safe }}</p>",
            json!({"usager": {"nom": "<script>alert('x')</script> & fils", "nom_usage": null}, "titre": "<b>ok</b>"}),
        )
        .expect("rendu");
        assert_eq!(
            html,
            "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; fils |<b>ok</b></p>"
        );
    }

    #[test]
    fn a_missing_merge_field_is_named() {
        let erreur = rendre_seul(
            "<p>Bonjour</p>\n<p>{{ usager.prenom | majuscules }} {{ usager.nom }}</p>",
            json!({"usager": {"nom": "Roussel"}}),
        )
        .expect_err("champ manquant");
        assert_eq!(
            erreur,
            ErreurModele::ChampManquant {
                champ: "usager.prenom".to_owned(),
                modele: "essai/modele".to_owned(),
                ligne: Some(2),
            },
            "{erreur}"
        );
        assert!(erreur.to_string().contains("« usager.prenom »"));
        // Testing an absent field is allowed.
        let html = rendre_seul(
            "{% if usager.prenom %}{{ usager.prenom }}{% else %}—{% endif %}",
            json!({"usager": {}}),
        )
        .expect("rendu");
        assert_eq!(html, "—");
        // A whole object missing is named too.
        let erreur = rendre_seul("{{ electeur.nom }}", json!({})).expect_err("absent");
        assert!(
            matches!(&erreur, ErreurModele::ChampManquant { champ, .. } if champ.starts_with("electeur")),
            "{erreur:?}"
        );
    }

    #[test]
    fn syntax_errors_give_their_line_in_french() {
        let erreur =
            verifier("<p>un</p>\n<p>{% if x %}deux</p>\n{% endfor %}").expect_err("erreur");
        assert_eq!(erreur.ligne(), Some(3), "{erreur}");
        assert!(erreur.to_string().starts_with("ligne 3 : "), "{erreur}");
        assert_eq!(
            erreur.to_string(),
            "ligne 3 : la balise « endfor » ne ferme aucun bloc ouvert à cet endroit"
        );
        let erreur = verifier("<p>{% if x %}</p>\n").expect_err("erreur");
        assert!(erreur.to_string().contains("n'est pas fermé"), "{erreur}");
        let erreur = verifier("<p>{{ usager.nom </p>").expect_err("erreur");
        assert_eq!(erreur.ligne(), Some(1));
        assert!(!erreur.to_string().contains("unexpected"), "{erreur}");
        assert!(verifier("{% if a %}{{ a | date_longue }}{% endif %}").is_ok());
    }

    #[test]
    fn includes_reach_other_templates_by_name_only() {
        let html = rendre(
            sources(&[
                (
                    "essai/lettre",
                    "{% include \"editions/en-tete\" %}<p>corps</p>",
                ),
                ("editions/en-tete", "<h1>{{ collectivite.nom }}</h1>"),
            ]),
            "essai/lettre",
            &json!({"collectivite": {"nom": "Mont-Bonvillers"}}),
        )
        .expect("rendu");
        assert_eq!(html, "<h1>Mont-Bonvillers</h1><p>corps</p>");
        let erreur = rendre_seul("{% include \"/etc/passwd\" %}", json!({})).expect_err("absent");
        assert!(erreur.to_string().contains("introuvable"), "{erreur}");
        // A missing field inside an include names the included template.
        let erreur = rendre(
            sources(&[
                (
                    "essai/lettre",
                    "<p>x</p>\n{% include \"editions/en-tete\" %}",
                ),
                ("editions/en-tete", "\n\n{{ collectivite.adresse }}"),
            ]),
            "essai/lettre",
            &json!({"collectivite": {"nom": "M"}}),
        )
        .expect_err("absent");
        assert_eq!(
            erreur,
            ErreurModele::ChampManquant {
                champ: "collectivite.adresse".to_owned(),
                modele: "editions/en-tete".to_owned(),
                ligne: Some(3)
            }
        );
    }

    #[test]
    fn unknown_filters_are_named() {
        let erreur = rendre_seul("\n{{ x | inconnu }}", json!({"x": 1})).expect_err("inconnu");
        assert_eq!(
            erreur.to_string(),
            "modèle essai/modele : ligne 2 : filtre inconnu « inconnu »"
        );
    }

    #[test]
    fn a_template_including_itself_is_stopped() {
        let erreur = rendre(
            sources(&[("essai/boucle", "x{% include \"essai/boucle\" %}")]),
            "essai/boucle",
            &json!({}),
        )
        .expect_err("arrêté");
        assert!(matches!(erreur, ErreurModele::Rendu { .. }), "{erreur}");
    }

    #[test]
    fn endless_templates_are_stopped() {
        let erreur = rendre_seul(
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            json!({}),
        )
        .expect_err("arrêté");
        assert!(erreur.to_string().contains("arrêté"), "{erreur}");
    }

    #[test]
    fn french_filters() {
        let html = rendre_seul(
            "{{ d | date_longue }}|{{ p | date_longue }}|{{ a | date_longue }}|{{ t | date_longue }}|{{ d | date_courte }}|\
             {{ nom | majuscules }}|{{ adresse | sauts_de_ligne }}|{{ 1234567.891 | nombre(2) }}|{{ 12345 | euros(centimes=true) }}|\
             {{ 'inscrit' | feminin('F') }} {{ 'né' | feminin('M', 'née') }} {{ 'inscrit' | feminin(none) }} \
             {{ 'né' | feminin('', 'née') }} {{ 'le maire' | feminin(none, 'la maire') }}",
            json!({"d": "2026-11-01", "p": "1990-04-00", "a": "1990-00-00", "t": "2026-11-24T10:00:00Z",
                   "nom": "Élodie Œuvray", "adresse": "1 rue <Haute>\n54111 Mont-Bonvillers"}),
        )
        .expect("rendu");
        assert_eq!(
            html,
            "1er novembre 2026|avril 1990|1990|24 novembre 2026|01/11/2026|ÉLODIE ŒUVRAY|\
             1 rue &lt;Haute&gt;<br>54111 Mont-Bonvillers|1\u{202f}234\u{202f}567,89|123,45\u{a0}€|\
             inscrite né inscrit(e) né(e) le maire / la maire"
        );
        let erreur = rendre_seul("\n{{ 'demain' | date_longue }}", json!({})).expect_err("date");
        assert_eq!(erreur.ligne(), Some(2));
        assert!(
            erreur.to_string().contains("n'est pas une date"),
            "{erreur}"
        );
        assert!(rendre_seul("{{ '2026-02-30' | date_longue }}", json!({})).is_err());
    }
}
