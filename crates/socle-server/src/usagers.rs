//! `socle usagers …`: the imports into the citizen registry, with a progress bar on a terminal.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use socle::temps::Clock;
use socle::usager::import::{self, BilanCsv, BilanDeces, ErreurImport};
use uuid::Uuid;

use crate::cli::CliError;

pub(crate) fn ouvrir(path: &Path) -> Result<(File, u64), CliError> {
    let file = File::open(path).map_err(|e| CliError::Fichier {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    Ok((file, size))
}

pub(crate) fn creer(path: &Path) -> Result<BufWriter<File>, CliError> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| CliError::Fichier {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
}

/// A progress bar over `size` bytes, drawn only on a terminal.
pub(crate) fn barre(size: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, reste {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

fn import_error(err: ErreurImport) -> CliError {
    match err {
        ErreurImport::Db(db) => CliError::Core(db.into()),
        other => CliError::Import(other.to_string()),
    }
}

/// `socle usagers importer-deces`.
///
/// # Errors
/// The files, the database.
pub(crate) async fn importer_deces(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    fichier: &Path,
    rapport: &Path,
    clock: &dyn Clock,
) -> Result<BilanDeces, CliError> {
    let (file, size) = ouvrir(fichier)?;
    let bar = barre(size, "Décès INSEE");
    let bilan = import::importer_deces(
        db,
        collectivite_id,
        BufReader::with_capacity(1 << 16, file),
        clock.today(),
        clock.now(),
        &mut |bytes| bar.set_position(bytes),
    )
    .await
    .map_err(import_error)?;
    bar.finish_and_clear();
    let mut out = csv_writer(creer(rapport)?);
    let io = |e: csv::Error| CliError::Import(e.to_string());
    out.write_record([
        "ligne",
        "identite",
        "date_naissance",
        "lieu_naissance",
        "date_deces",
        "numero_acte",
        "candidats",
        "raison",
    ])
    .map_err(io)?;
    for item in &bilan.a_verifier {
        let candidats: Vec<String> = item.candidats.iter().map(Uuid::to_string).collect();
        out.write_record(socle::validation::ligne_csv([
            item.ligne.to_string(),
            item.identite.clone(),
            item.date_naissance.clone(),
            item.lieu_naissance.clone().unwrap_or_default(),
            item.date_deces.clone(),
            item.numero_acte.clone().unwrap_or_default(),
            candidats.join(" "),
            item.raison.clone(),
        ]))
        .map_err(io)?;
    }
    out.flush().map_err(|e| CliError::Import(e.to_string()))?;
    Ok(bilan)
}

fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().delimiter(b';').from_writer(w)
}

/// `socle usagers importer`.
///
/// # Errors
/// The files, the database, a file that is not a usable CSV.
pub(crate) async fn importer_csv(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    fichier: &Path,
    rejets: &Path,
    clock: &dyn Clock,
) -> Result<BilanCsv, CliError> {
    let (file, size) = ouvrir(fichier)?;
    let bar = barre(size, "Usagers");
    let bilan = import::importer_csv(
        db,
        collectivite_id,
        file,
        creer(rejets)?,
        clock.today(),
        clock.now(),
        &mut |bytes| bar.set_position(bytes),
    )
    .await
    .map_err(import_error)?;
    bar.finish_and_clear();
    Ok(bilan)
}
