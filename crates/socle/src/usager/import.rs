//! Imports into the registry, streamed in constant memory whatever the file size, and safe to
//! run again.
//!
//! - [`importer_deces`]: the INSEE deaths file marks the matching usagers deceased. A death is
//!   applied only when exactly one usager matches on birth name, first names, full date and
//!   place of birth; a partial match (a name that only sounds the same, a partial date, an
//!   unknown place, two possible usagers) is listed for an agent and never applied. A usager
//!   already deceased is left as is, so a file can be imported twice.
//! - [`importer_csv`]: usagers from a CSV file (`;` or `,`, UTF-8, one header line naming the
//!   columns); each refused line goes to a reject file with the reason, field by field. A line
//!   whose identity is already in the registry is skipped, so a file can be imported twice.
//!
//! Both report progress as bytes read, for a progress bar.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, QueryFilter, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use super::deces_insee::{Deces, LecteurDeces};
use super::entity::usager;
use super::fiche::{Adresse, Contacts, FicheUsager, InfoDeces, SourceDeces, Statut};
use super::identite::{DateNaissance, Sexe, normaliser_nom};
use super::phonetique::{cle_nom, nom_sans_particule};
use super::{OBJET, UsagerError, doublons, service};
use crate::collectivite::TenantScoped;
use crate::journal::Evenement;
use crate::unite::UniteDeTravail;

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErreurImport {
    /// The file could not be read or the reject file written.
    #[error("lecture ou écriture impossible : {0}")]
    Io(#[from] std::io::Error),
    /// The CSV file is malformed beyond a line (no header, unknown columns).
    #[error("{0}")]
    Format(String),
    /// A database failure.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<UsagerError> for ErreurImport {
    fn from(err: UsagerError) -> Self {
        match err {
            UsagerError::Db(db) => Self::Db(db),
            other => Self::Db(DbErr::Custom(other.to_string())),
        }
    }
}

impl From<csv::Error> for ErreurImport {
    fn from(err: csv::Error) -> Self {
        Self::Format(format!("fichier CSV illisible : {err}"))
    }
}

/// A death the file reports that an agent must check.
#[derive(Debug, Clone, Serialize)]
pub struct DecesAVerifier {
    /// Line in the file.
    pub ligne: u64,
    /// Name and first names as INSEE gives them.
    pub identite: String,
    /// Date of birth.
    pub date_naissance: String,
    /// COG code of the place of birth.
    pub lieu_naissance: Option<String>,
    /// Date of death.
    pub date_deces: String,
    /// Death act number.
    pub numero_acte: Option<String>,
    /// The usagers it may be.
    pub candidats: Vec<Uuid>,
    /// Why it was not applied.
    pub raison: String,
}

/// What an import of the deaths file did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BilanDeces {
    /// Lines read.
    pub lignes: u64,
    /// Lines that could not be read.
    pub rejetees: u64,
    /// The first unreadable lines and why (at most 100).
    pub exemples_rejets: Vec<(u64, String)>,
    /// Usagers marked deceased.
    pub decedes: u64,
    /// Matching usagers already recorded as deceased (a file imported again).
    pub deja_decedes: u64,
    /// Deaths left for an agent to check.
    pub a_verifier: Vec<DecesAVerifier>,
}

/// What the registry index keeps of a living usager.
struct Personne {
    id: Uuid,
    nom: String,
    prenoms: Vec<String>,
    date: Option<DateNaissance>,
    lieu: Option<String>,
    sexe: Option<Sexe>,
    decede: bool,
}

/// The registry of one collectivité, by phonetic key of the birth name: memory grows with the
/// registry, not with the file.
async fn indexer(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
) -> Result<HashMap<String, Vec<Personne>>, DbErr> {
    type Ligne = (
        Uuid,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );
    let rows: Vec<Ligne> = usager::Entity::find_in(collectivite_id)
        .filter(usager::Column::SupprimeLe.is_null())
        .select_only()
        .columns([
            usager::Column::Id,
            usager::Column::PhonNom,
            usager::Column::CleNom,
            usager::Column::Prenoms,
            usager::Column::DateNaissance,
            usager::Column::CommuneNaissance,
            usager::Column::PaysNaissance,
            usager::Column::Sexe,
            usager::Column::Statut,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let mut index: HashMap<String, Vec<Personne>> = HashMap::new();
    for (id, phon, nom, prenoms, date, commune, pays, sexe, statut) in rows {
        index.entry(phon).or_default().push(Personne {
            id,
            nom,
            prenoms: mots(&prenoms),
            date: date.and_then(|d| d.parse().ok()),
            lieu: commune.or(pays.filter(|p| p != super::fiche::PAYS_FRANCE)),
            sexe: sexe.as_deref().and_then(Sexe::from_code),
            decede: statut == Statut::Decede.code(),
        });
    }
    Ok(index)
}

fn mots(prenoms: &str) -> Vec<String> {
    normaliser_nom(prenoms)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Two COG codes of one place: equal, or a Corsican code from before 1976 (`20xxx`) and its
/// `2A`/`2B` successor.
fn meme_lieu(a: &str, b: &str) -> bool {
    let corse = |c: &str| c.starts_with("20") || c.starts_with("2A") || c.starts_with("2B");
    a == b || (corse(a) && corse(b) && a.get(2..) == b.get(2..))
}

/// How one usager compares to one death.
enum Accord {
    /// Everything matches and is known on both sides.
    Certain,
    /// Nothing contradicts, something is unknown or only alike.
    Possible(&'static str),
    /// Not the same person.
    Non,
}

fn comparer(deces: &Deces, nom: &str, prenoms: &[String], p: &Personne) -> Accord {
    // What contradicts first: sex, first names, place, date.
    if let (Some(a), Some(b)) = (deces.sexe, p.sexe)
        && a != b
    {
        return Accord::Non;
    }
    let prenoms_egaux = prenoms == p.prenoms.as_slice() && !prenoms.is_empty();
    let (short, long) = if prenoms.len() <= p.prenoms.len() {
        (prenoms, p.prenoms.as_slice())
    } else {
        (p.prenoms.as_slice(), prenoms)
    };
    let prenoms_compatibles = !short.is_empty() && long.starts_with(short);
    if !prenoms_compatibles && !short.first().is_some_and(|f| long.contains(f)) {
        return Accord::Non;
    }
    let lieu_connu = match (deces.lieu_naissance.as_deref(), p.lieu.as_deref()) {
        (Some(a), Some(b)) if !meme_lieu(a, b) => return Accord::Non,
        (Some(_), Some(_)) => true,
        _ => false,
    };
    let Some(date) = p.date else {
        // Without a birth date, only an otherwise exact match is worth an agent's look.
        return if prenoms_egaux && lieu_connu && p.nom == nom {
            Accord::Possible("date de naissance inconnue dans le registre")
        } else {
            Accord::Non
        };
    };
    if !date.compatible(&deces.date_naissance) {
        return Accord::Non;
    }
    if !prenoms_compatibles {
        return Accord::Possible("prénoms dans un autre ordre");
    }
    if !prenoms_egaux {
        return Accord::Possible("prénoms incomplets d'un côté");
    }
    if !lieu_connu {
        return Accord::Possible("lieu de naissance inconnu d'un côté");
    }
    if p.nom != nom {
        return Accord::Possible("nom de même prononciation, orthographe différente");
    }
    if date.complete().is_none()
        || deces.date_naissance.complete().is_none()
        || date != deces.date_naissance
    {
        return Accord::Possible("date de naissance partielle");
    }
    Accord::Certain
}

/// Imports the INSEE deaths file `source` into the registry of the collectivité (see the
/// module's documentation). `progression` receives the bytes read so far.
///
/// # Errors
/// The file cannot be read, the database fails.
pub async fn importer_deces<R: BufRead>(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    source: R,
    today: NaiveDate,
    now: DateTime<Utc>,
    progression: &mut dyn FnMut(u64),
) -> Result<BilanDeces, ErreurImport> {
    let index = indexer(db, collectivite_id).await?;
    let debut = std::time::Instant::now();
    // Each change stamped when it is made, not when the import began: partners synchronising
    // by modification date see every one.
    let maintenant = || now + chrono::Duration::from_std(debut.elapsed()).unwrap_or_default();
    let mut bilan = BilanDeces::default();
    let mut lecteur = LecteurDeces::new(source);
    while let Some(item) = lecteur.next() {
        let (ligne, parsed) = item?;
        bilan.lignes += 1;
        if bilan.lignes % 4096 == 0 {
            progression(lecteur.octets_lus());
        }
        let deces = match parsed {
            Ok(deces) => deces,
            Err(err) => {
                bilan.rejetees += 1;
                if bilan.exemples_rejets.len() < 100 {
                    bilan.exemples_rejets.push((ligne, err.to_string()));
                }
                continue;
            }
        };
        let Some(people) = index.get(&cle_nom(&deces.nom)) else {
            continue;
        };
        let nom = nom_sans_particule(&deces.nom);
        let prenoms = mots(&deces.prenoms);
        let mut certain = Vec::new();
        let mut possible: Vec<(&Personne, &str)> = Vec::new();
        for person in people {
            match comparer(&deces, &nom, &prenoms, person) {
                Accord::Certain => certain.push(person),
                Accord::Possible(why) => possible.push((person, why)),
                Accord::Non => {}
            }
        }
        let a_verifier = |raison: String, candidats: Vec<Uuid>| DecesAVerifier {
            ligne,
            identite: format!("{} {}", deces.nom, deces.prenoms),
            date_naissance: deces.date_naissance.to_string(),
            lieu_naissance: deces.lieu_naissance.clone(),
            date_deces: deces.date_deces.to_string(),
            numero_acte: deces.numero_acte.clone(),
            candidats,
            raison,
        };
        match (certain.as_slice(), possible.as_slice()) {
            ([], []) => {}
            ([one], []) if one.decede => bilan.deja_decedes += 1,
            ([one], []) => {
                match appliquer(
                    db,
                    collectivite_id,
                    one.id,
                    &deces,
                    ligne,
                    today,
                    maintenant(),
                )
                .await
                {
                    Ok(()) => bilan.decedes += 1,
                    Err(
                        err @ (UsagerError::Supprime { .. }
                        | UsagerError::Introuvable
                        | UsagerError::DecesDejaEnregistre),
                    ) => {
                        // Changed while the file was read: an agent looks at it.
                        bilan
                            .a_verifier
                            .push(a_verifier(err.to_string(), vec![one.id]));
                    }
                    Err(UsagerError::Invalide(errors)) => {
                        let why = errors
                            .iter()
                            .map(|e| e.detail.clone())
                            .collect::<Vec<_>>()
                            .join(" ; ");
                        bilan.a_verifier.push(a_verifier(why, vec![one.id]));
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            _ => {
                let candidats: Vec<Uuid> = certain
                    .iter()
                    .map(|p| p.id)
                    .chain(possible.iter().map(|(p, _)| p.id))
                    .collect();
                let raison = match (certain.len(), possible.first()) {
                    (n, _) if n > 1 => "plusieurs usagers correspondent".to_owned(),
                    (_, Some((_, why))) => (*why).to_owned(),
                    _ => "correspondance incomplète".to_owned(),
                };
                if certain
                    .iter()
                    .chain(possible.iter().map(|(p, _)| p))
                    .all(|p| p.decede)
                {
                    bilan.deja_decedes += 1;
                } else {
                    bilan.a_verifier.push(a_verifier(raison, candidats));
                }
            }
        }
    }
    progression(lecteur.octets_lus());
    Ok(bilan)
}

async fn appliquer(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    id: Uuid,
    deces: &Deces,
    ligne: u64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), UsagerError> {
    let mut txn = UniteDeTravail::systeme(db, Some(collectivite_id)).await?;
    let info = InfoDeces {
        date: deces.date_deces,
        source: SourceDeces::FichierInsee,
    };
    service::marquer_deces(&txn, collectivite_id, id, info, today, now).await?;
    let mut evenement = Evenement::systeme("deces", OBJET, id)
        .motif("fichier INSEE des personnes décédées")
        .avec(serde_json::json!({ "ligne": ligne, "acte": deces.numero_acte }));
    evenement.collectivite_id = Some(collectivite_id);
    txn.consigner_a(evenement, now);
    txn.valider().await?;
    Ok(())
}

/// What a CSV import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BilanCsv {
    /// Data lines read.
    pub lignes: u64,
    /// Usagers created.
    pub crees: u64,
    /// Lines whose identity was already in the registry (skipped).
    pub deja_presents: u64,
    /// Created usagers that may duplicate an existing one (see the duplicates report).
    pub doublons_possibles: u64,
    /// Lines refused (written to the reject file).
    pub rejetees: u64,
}

/// Columns a CSV file may have (any order; `nom_naissance` required).
pub const COLONNES: &[&str] = &[
    "nom_naissance",
    "prenoms",
    "nom_usage",
    "sexe",
    "date_naissance",
    "commune_naissance",
    "pays_naissance",
    "courriel",
    "telephone",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "ban_id",
];

/// Lines created per transaction.
const LOT: usize = 500;

/// A column name as people write it: `Nom de naissance`, `NOM_NAISSANCE`, `prénoms`.
fn colonne(name: &str) -> String {
    normaliser_nom(name)
        .to_lowercase()
        .replace(' ', "_")
        .replace("nom_de_naissance", "nom_naissance")
        .replace("date_de_naissance", "date_naissance")
        .replace("commune_de_naissance", "commune_naissance")
        .replace("pays_de_naissance", "pays_naissance")
        .replace("nom_d_usage", "nom_usage")
}

/// A date as a CSV may give it: `AAAA-MM-JJ`, `AAAAMMJJ` or `JJ/MM/AAAA` (`00` for unknown).
fn date_csv(text: &str) -> Result<DateNaissance, String> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('/').collect();
    let iso = match parts.as_slice() {
        [d, m, y] if y.len() == 4 && d.len() == 2 && m.len() == 2 => format!("{y}-{m}-{d}"),
        _ => text.to_owned(),
    };
    iso.parse::<DateNaissance>().map_err(|e| e.to_string())
}

fn fiche_csv(get: &dyn Fn(&str) -> Option<String>) -> Result<FicheUsager, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let date_naissance = match get("date_naissance") {
        Some(text) => match date_csv(&text) {
            Ok(date) => Some(date),
            Err(why) => {
                errors.push(("date_naissance".to_owned(), why));
                None
            }
        },
        None => None,
    };
    let sexe = match get("sexe") {
        Some(text) => match Sexe::from_code(&text) {
            Some(s) => Some(s),
            None => {
                errors.push(("sexe".to_owned(), format!("« {text} » : M ou F attendu")));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let adresses = get("adresse")
        .map(|libelle| Adresse {
            libelle,
            code_postal: get("code_postal"),
            commune: get("commune"),
            code_commune: get("code_commune"),
            ban_id: get("ban_id"),
        })
        .into_iter()
        .collect();
    Ok(FicheUsager {
        nom_naissance: get("nom_naissance").unwrap_or_default(),
        prenoms: get("prenoms").unwrap_or_default(),
        nom_usage: get("nom_usage"),
        sexe,
        date_naissance,
        commune_naissance: get("commune_naissance"),
        pays_naissance: get("pays_naissance"),
        adresses,
        contacts: Contacts {
            courriel: get("courriel"),
            telephone: get("telephone"),
        },
        deces: None,
    })
}

/// Whether the registry already holds exactly this identity.
fn meme_identite(a: &FicheUsager, b: &FicheUsager) -> bool {
    nom_sans_particule(&a.nom_naissance) == nom_sans_particule(&b.nom_naissance)
        && normaliser_nom(&a.prenoms) == normaliser_nom(&b.prenoms)
        && a.date_naissance == b.date_naissance
        && a.commune_naissance == b.commune_naissance
        && a.pays_naissance == b.pays_naissance
}

/// Imports usagers from a CSV file into the collectivité (see the module's documentation).
/// Refused lines are written to `rejets` as CSV: line number, the line's fields, the reason.
///
/// # Errors
/// No header, unknown or missing columns, the file unreadable, the database failing.
pub async fn importer_csv<R: Read, W: Write>(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    source: R,
    rejets: W,
    today: NaiveDate,
    now: DateTime<Utc>,
    progression: &mut dyn FnMut(u64),
) -> Result<BilanCsv, ErreurImport> {
    let mut source = std::io::BufReader::new(source);
    let delimiter = {
        let head = source.fill_buf()?;
        let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
        let count = |c: u8| first.iter().filter(|b| **b == c).count();
        if count(b';') >= count(b',') {
            b';'
        } else {
            b','
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(source);
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| colonne(h.trim_start_matches('\u{feff}')))
        .collect();
    let unknown: Vec<&String> = headers
        .iter()
        .filter(|h| !COLONNES.contains(&h.as_str()))
        .collect();
    if !unknown.is_empty() || !headers.iter().any(|h| h == "nom_naissance") {
        return Err(ErreurImport::Format(format!(
            "colonnes non reconnues : {} ; colonnes possibles : {} (nom_naissance obligatoire)",
            if unknown.is_empty() {
                "aucune".to_owned()
            } else {
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            COLONNES.join(", ")
        )));
    }
    let mut rejets = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(rejets);
    let mut header_out = vec!["ligne".to_owned()];
    header_out.extend(headers.iter().cloned());
    header_out.push("motif".to_owned());
    rejets.write_record(crate::validation::ligne_csv(&header_out))?;

    let mut bilan = BilanCsv::default();
    let debut = std::time::Instant::now();
    let maintenant = || now + chrono::Duration::from_std(debut.elapsed()).unwrap_or_default();
    let mut record = csv::StringRecord::new();
    let mut txn = lot_d_import(db, collectivite_id).await?;
    let mut in_batch = 0;
    while reader.read_record(&mut record)? {
        bilan.lignes += 1;
        // The data line's number in the file (the header is line 1), counted here: the csv
        // crate's own numbers lag by one in CRLF files.
        let ligne = bilan.lignes + 1;
        if bilan.lignes % 1024 == 0 {
            progression(record.position().map_or(0, |p| p.byte()));
        }
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .map(str::to_owned)
                .filter(|v| !v.is_empty())
        };
        let refuse = |motif: String, rejets: &mut csv::Writer<W>| -> Result<(), csv::Error> {
            let mut out = vec![ligne.to_string()];
            out.extend(record.iter().map(str::to_owned));
            out.resize(headers.len() + 1, String::new());
            out.push(motif);
            rejets.write_record(crate::validation::ligne_csv(&out))
        };
        // The same policy as the API's bodies: no control character, no bidirectional override.
        let interdit = headers.iter().zip(record.iter()).find_map(|(colonne, valeur)| {
            valeur
                .chars()
                .find(|c| crate::validation::caractere_interdit(*c))
                .map(|c| {
                    format!(
                        "{colonne} : caractère interdit U+{:04X} (ni caractère de contrôle, ni inversion du sens de lecture)",
                        u32::from(c)
                    )
                })
        });
        if let Some(motif) = interdit {
            bilan.rejetees += 1;
            refuse(motif, &mut rejets)?;
            continue;
        }
        let fiche = match fiche_csv(&get).map_err(|errors| {
            errors
                .into_iter()
                .map(|(f, why)| format!("{f} : {why}"))
                .collect::<Vec<_>>()
                .join(" ; ")
        }) {
            Ok(fiche) => fiche,
            Err(motif) => {
                bilan.rejetees += 1;
                refuse(motif, &mut rejets)?;
                continue;
            }
        };
        let fiche = match service::valider(fiche, today) {
            Ok(fiche) => fiche,
            Err(UsagerError::Invalide(errors)) => {
                bilan.rejetees += 1;
                let motif = errors
                    .iter()
                    .map(|e| format!("{} : {}", e.field, e.detail))
                    .collect::<Vec<_>>()
                    .join(" ; ");
                refuse(motif, &mut rejets)?;
                continue;
            }
            Err(err) => return Err(err.into()),
        };
        // The same identity already there (a rerun): looked up by its normalised name and
        // birth date, whatever the duplicate score.
        let twins = usager::Entity::find_in(collectivite_id)
            .filter(usager::Column::SupprimeLe.is_null())
            .filter(usager::Column::CleNom.eq(nom_sans_particule(&fiche.nom_naissance)))
            .filter(match fiche.date_naissance {
                Some(date) => usager::Column::DateNaissance.eq(date.to_string()),
                None => usager::Column::DateNaissance.is_null(),
            })
            .all(&*txn)
            .await?;
        let present = twins
            .iter()
            .any(|existing| meme_identite(&FicheUsager::from(existing), &fiche));
        let candidates = if present {
            Vec::new()
        } else {
            doublons::candidats(&*txn, collectivite_id, &fiche, None).await?
        };
        if present {
            bilan.deja_presents += 1;
            continue;
        }
        let created = service::creer(&txn, collectivite_id, &fiche, maintenant()).await?;
        let mut evenement = Evenement::systeme("creation", OBJET, created.id)
            .motif("import CSV")
            .avec(serde_json::json!({ "ligne": ligne }));
        evenement.collectivite_id = Some(collectivite_id);
        txn.consigner_a(evenement, maintenant());
        bilan.crees += 1;
        if !candidates.is_empty() {
            bilan.doublons_possibles += 1;
        }
        in_batch += 1;
        if in_batch == LOT {
            txn.valider().await?;
            txn = lot_d_import(db, collectivite_id).await?;
            in_batch = 0;
        }
    }
    txn.valider().await?;
    if bilan.crees > 1000 && db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Fresh statistics, so that lookups keep using the indexes after a large import.
        db.execute_unprepared("ANALYZE usager").await?;
    }
    rejets.flush()?;
    progression(reader.position().byte());
    Ok(bilan)
}

/// The unit of work of a batch of imported lines: each line created is journaled; a batch that
/// created none (a rerun) commits nothing.
async fn lot_d_import(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
) -> Result<UniteDeTravail, DbErr> {
    let mut lot = UniteDeTravail::systeme(db, Some(collectivite_id)).await?;
    lot.sans_journal("un lot d'import sans ligne nouvelle ne change rien");
    Ok(lot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corsican_codes_before_and_after_1976_are_one_place() {
        assert!(meme_lieu("20004", "2A004"));
        assert!(meme_lieu("2B033", "20033"));
        assert!(!meme_lieu("20004", "2A005"));
        assert!(!meme_lieu("54084", "54085"));
    }

    #[test]
    fn csv_dates_in_french_or_iso_form() {
        assert_eq!(
            date_csv("12/06/1954").map(|d| d.to_string()),
            Ok("1954-06-12".into())
        );
        assert_eq!(
            date_csv("00/06/1954").map(|d| d.to_string()),
            Ok("1954-06-00".into())
        );
        assert_eq!(
            date_csv("19540612").map(|d| d.to_string()),
            Ok("1954-06-12".into())
        );
        assert!(date_csv("31/02/1954").is_err());
    }

    #[test]
    fn column_names_as_people_write_them() {
        assert_eq!(colonne("Nom de naissance"), "nom_naissance");
        assert_eq!(colonne("Prénoms"), "prenoms");
        assert_eq!(colonne("NOM D'USAGE"), "nom_usage");
        assert_eq!(colonne("Date de naissance"), "date_naissance");
    }
}
