//! `socle sig …`: the import of Base Adresse Nationale files, with a progress bar on a terminal.

use std::io::{BufReader, Write};
use std::path::Path;

use sea_orm::DatabaseConnection;
use socle::sig::import::{self, BilanBan, ErreurImport};
use socle::temps::Clock;
use uuid::Uuid;

use crate::cli::CliError;
use crate::usagers::{barre, creer, ouvrir};

fn import_error(err: ErreurImport) -> CliError {
    match err {
        ErreurImport::Db(db) => CliError::Core(db.into()),
        other => CliError::Import(other.to_string()),
    }
}

/// `socle sig importer-ban`.
///
/// # Errors
/// The files, the database, a file that is not a BAN or BAL file.
pub(crate) async fn importer_ban(
    db: &DatabaseConnection,
    collectivite_id: Uuid,
    fichier: &Path,
    rejets: Option<&Path>,
    clock: &dyn Clock,
) -> Result<BilanBan, CliError> {
    let (file, size) = ouvrir(fichier)?;
    let mut sortie = match rejets {
        Some(path) => Some(creer(path)?),
        None => None,
    };
    let bar = barre(size, "Adresses");
    let bilan = import::importer_ban(
        db,
        collectivite_id,
        BufReader::with_capacity(1 << 16, file),
        sortie.as_mut().map(|w| w as &mut dyn Write),
        clock.now(),
        &mut |bytes| bar.set_position(bytes),
    )
    .await
    .map_err(import_error)?;
    bar.finish_and_clear();
    Ok(bilan)
}
