//! Import of Base Adresse Nationale files, streamed in constant memory and safe to run again.
//!
//! [`importer_ban`] reads a BAL 1.3 file or a BAN export (see [`super::ban`] for the columns):
//! `;`-separated, UTF-8 with or without BOM, LF or CRLF line ends. Each line is checked; a
//! refused line goes to the reject file with its reasons. Addresses are matched by their key
//! (`cle_interop`): a new key is created, a known key whose fields changed is updated, an
//! unchanged one is left alone — importing the same file again changes nothing.
//!
//! Lines are written by batches of [`LOT`], one transaction each; memory holds one batch,
//! whatever the file size. A key repeated within a batch is refused on its second line (files
//! are sorted by key, so repeats are neighbours); across batches, the last line wins.

use std::collections::HashMap;
use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, Unchanged,
};
use serde::Serialize;
use uuid::Uuid;

use super::OBJET_ADRESSE;
use super::ban::{AdresseBan, Colonnes, lire};
use super::entity::adresse;
use crate::collectivite::TenantScoped;
use crate::journal::Evenement;
use crate::unite::UniteDeTravail;

/// Addresses written per transaction.
pub const LOT: usize = 500;

/// How many refused lines [`BilanBan::exemples_rejets`] keeps.
const EXEMPLES: usize = 100;

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErreurImport {
    /// The file could not be read or the reject file written.
    #[error("lecture ou écriture impossible : {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a BAN file (no header, missing columns).
    #[error("{0}")]
    Format(String),
    /// A database failure.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<csv::Error> for ErreurImport {
    fn from(err: csv::Error) -> Self {
        if err.is_io_error()
            && let csv::ErrorKind::Io(io) = err.into_kind()
        {
            return Self::Io(io);
        }
        Self::Format("fichier CSV illisible".to_owned())
    }
}

/// A refused line.
#[derive(Debug, Clone, Serialize)]
pub struct Rejet {
    /// Line in the file (the header is line 1).
    pub ligne: u64,
    /// Its key, when it has one.
    pub cle: Option<String>,
    /// Why, in French; several reasons are separated by « ; ».
    pub motif: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BilanBan {
    /// Data lines read.
    pub lignes: u64,
    /// Addresses created.
    pub creees: u64,
    /// Known addresses whose fields changed.
    pub modifiees: u64,
    /// Known addresses the file gives unchanged.
    pub inchangees: u64,
    /// Lines refused.
    pub rejetees: u64,
    /// The first refused lines (at most 100).
    pub exemples_rejets: Vec<Rejet>,
}

impl BilanBan {
    fn rejeter(&mut self, ligne: u64, cle: Option<String>, motif: String) {
        self.rejetees += 1;
        if self.exemples_rejets.len() < EXEMPLES {
            self.exemples_rejets.push(Rejet { ligne, cle, motif });
        }
    }
}

/// Whether the stored address already says what the file says.
fn identique(stocke: &adresse::Model, lu: &AdresseBan) -> bool {
    stocke.commune_insee == lu.commune_insee
        && stocke.commune_nom == lu.commune_nom
        && stocke.code_postal == lu.code_postal
        && stocke.voie_nom == lu.voie_nom
        && stocke.lieudit == lu.lieudit
        && stocke.numero == lu.numero
        && stocke.suffixe == lu.suffixe
        && stocke.position == lu.position
        && stocke.x == lu.x
        && stocke.y == lu.y
        && stocke.lon == lu.lon
        && stocke.lat == lu.lat
}

/// The fields an import sets, on a new or a known address.
fn remplir(modele: &mut adresse::ActiveModel, lu: AdresseBan, now: DateTime<Utc>) {
    modele.libelle = Set(lu.libelle());
    modele.recherche = Set(lu.recherche());
    modele.commune_insee = Set(lu.commune_insee);
    modele.commune_nom = Set(lu.commune_nom);
    modele.code_postal = Set(lu.code_postal);
    modele.voie_nom = Set(lu.voie_nom);
    modele.lieudit = Set(lu.lieudit);
    modele.numero = Set(lu.numero);
    modele.suffixe = Set(lu.suffixe);
    modele.position = Set(lu.position);
    modele.x = Set(lu.x);
    modele.y = Set(lu.y);
    modele.lon = Set(lu.lon);
    modele.lat = Set(lu.lat);
    modele.modifie_le = Set(now);
}

/// Writes one batch in its own transaction.
async fn ecrire_lot(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    lot: Vec<AdresseBan>,
    now: DateTime<Utc>,
    bilan: &mut BilanBan,
) -> Result<(), DbErr> {
    if lot.is_empty() {
        return Ok(());
    }
    let txn = crate::db::ecriture(db).await?;
    let cles: Vec<String> = lot.iter().map(|a| a.cle_interop.clone()).collect();
    let mut connues: HashMap<String, adresse::Model> = adresse::Entity::find_in(collectivite_id)
        .filter(adresse::Column::CleInterop.is_in(cles))
        .all(&*txn)
        .await?
        .into_iter()
        .map(|m| (m.cle_interop.clone(), m))
        .collect();
    let mut nouvelles = Vec::new();
    for lu in lot {
        match connues.remove(&lu.cle_interop) {
            Some(stocke) if identique(&stocke, &lu) => bilan.inchangees += 1,
            Some(stocke) => {
                let mut modele = adresse::ActiveModel {
                    id: Unchanged(stocke.id),
                    ..Default::default()
                };
                remplir(&mut modele, lu, now);
                modele.update(&*txn).await?;
                bilan.modifiees += 1;
            }
            None => {
                let mut modele = adresse::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    collectivite_id: Set(collectivite_id),
                    cle_interop: Set(lu.cle_interop.clone()),
                    cree_le: Set(now),
                    ..Default::default()
                };
                remplir(&mut modele, lu, now);
                nouvelles.push(modele);
            }
        }
    }
    bilan.creees += nouvelles.len() as u64;
    if !nouvelles.is_empty() {
        adresse::Entity::insert_many(nouvelles)
            .exec_without_returning(&*txn)
            .await?;
    }
    txn.commit().await
}

/// Imports a BAN or BAL file `source` into the collectivité's addresses (see the module's
/// documentation). Refused lines are written to `rejets`, when given, as CSV: the line number,
/// the line's fields, the reasons. `progression` receives the bytes read so far.
///
/// # Errors
/// A file without the needed columns, unreadable, the reject file not writable, the database
/// failing. Batches written before the failure stay written; running the import again
/// completes it.
pub async fn importer_ban<R: Read>(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    source: R,
    rejets: Option<&mut dyn Write>,
    now: DateTime<Utc>,
    progression: &mut dyn FnMut(u64),
) -> Result<BilanBan, ErreurImport> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(source);
    let entete: Vec<String> = reader
        .byte_headers()?
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let colonnes =
        Colonnes::depuis_entete(entete.iter().map(String::as_str)).map_err(ErreurImport::Format)?;
    let mut rejets = rejets.map(|w| csv::WriterBuilder::new().delimiter(b';').from_writer(w));
    if let Some(out) = rejets.as_mut() {
        let mut ligne = vec!["ligne".to_owned()];
        ligne.extend(
            entete
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').to_owned()),
        );
        ligne.push("motif".to_owned());
        out.write_record(crate::validation::ligne_csv(&ligne))?;
    }

    let mut bilan = BilanBan::default();
    let mut lot: Vec<AdresseBan> = Vec::with_capacity(LOT);
    let mut lignes_du_lot: HashMap<String, u64> = HashMap::with_capacity(LOT);
    let mut record = csv::ByteRecord::new();
    let mut seuil_statistiques = 2 * LOT as u64;
    while reader.read_byte_record(&mut record)? {
        bilan.lignes += 1;
        // Counted here: the csv crate's own line numbers lag by one in CRLF files. Address
        // files have no field spanning lines.
        let ligne = bilan.lignes + 1;
        let texte: Option<Vec<String>> = record
            .iter()
            .map(|f| std::str::from_utf8(f).ok().map(str::to_owned))
            .collect();
        let resultat = match &texte {
            None => Err(vec!["texte illisible : UTF-8 attendu".to_owned()]),
            Some(champs) => lire(&colonnes, &|i| {
                i.and_then(|i| champs.get(i))
                    .filter(|s| !s.is_empty())
                    .cloned()
            }),
        };
        let resultat = resultat.and_then(|adresse| {
            match lignes_du_lot.insert(adresse.cle_interop.clone(), ligne) {
                Some(premiere) => {
                    lignes_du_lot.insert(adresse.cle_interop.clone(), premiere);
                    Err(vec![format!(
                        "cle_interop « {} » déjà donnée à la ligne {premiere}",
                        adresse.cle_interop
                    )])
                }
                None => Ok(adresse),
            }
        });
        match resultat {
            Ok(adresse) => lot.push(adresse),
            Err(motifs) => {
                let motif = motifs.join(" ; ");
                let cle = colonnes_cle(&colonnes, texte.as_deref());
                if let Some(out) = rejets.as_mut() {
                    let mut sortie = vec![ligne.to_string()];
                    sortie.extend(
                        record
                            .iter()
                            .map(|f| String::from_utf8_lossy(f).into_owned()),
                    );
                    sortie.resize(entete.len() + 1, String::new());
                    sortie.push(motif.clone());
                    out.write_record(crate::validation::ligne_csv(&sortie))?;
                }
                bilan.rejeter(ligne, cle, motif);
            }
        }
        if lot.len() == LOT {
            ecrire_lot(
                db,
                collectivite_id,
                std::mem::take(&mut lot),
                now,
                &mut bilan,
            )
            .await?;
            lignes_du_lot.clear();
            if bilan.creees >= seuil_statistiques
                && db.get_database_backend() == sea_orm::DbBackend::Postgres
            {
                // A first import fills an empty table: without fresh statistics PostgreSQL
                // keeps planning each batch's key lookup as a scan of the whole table.
                db.execute_unprepared("ANALYZE sig_adresse").await?;
                seuil_statistiques = bilan.creees * 2;
            }
            progression(record.position().map_or(0, |p| p.byte()));
        }
    }
    ecrire_lot(db, collectivite_id, lot, now, &mut bilan).await?;
    if let Some(mut out) = rejets {
        out.flush()?;
    }

    let mut txn = UniteDeTravail::systeme(db, Some(collectivite_id)).await?;
    let mut evenement = Evenement::systeme("import", OBJET_ADRESSE, "*")
        .motif("import de la Base Adresse Nationale")
        .avec(serde_json::json!({
            "lignes": bilan.lignes,
            "creees": bilan.creees,
            "modifiees": bilan.modifiees,
            "inchangees": bilan.inchangees,
            "rejetees": bilan.rejetees,
        }));
    evenement.collectivite_id = Some(collectivite_id);
    txn.consigner_a(evenement, now);
    txn.valider().await?;
    if bilan.creees > 1000 && db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Fresh statistics, so that searches keep using the indexes after a large import.
        db.execute_unprepared("ANALYZE sig_adresse").await?;
    }
    progression(reader.position().byte());
    Ok(bilan)
}

/// The key of a refused line, for the report.
fn colonnes_cle(colonnes: &Colonnes, champs: Option<&[String]>) -> Option<String> {
    colonnes
        .cle()
        .and_then(|i| champs.and_then(|c| c.get(i)))
        .filter(|c| !c.is_empty())
        .cloned()
}
