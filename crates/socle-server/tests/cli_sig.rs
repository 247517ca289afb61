//! `socle sig importer-ban` as an administrator runs it: a Base Adresse Nationale file into the
//! collectivité, the refused lines in a reject file, and a rerun that adds nothing.
//! The database is the test's own: SQLite, or PostgreSQL with `SOCLE_TEST_DATABASE_URL`.

use std::path::Path;
use std::process::Command;

use socle::testing::TestDb;

fn socle(db: &TestDb) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_socle"));
    for var in [
        "SOCLE_MODULES",
        "SOCLE_TODAY",
        "SOCLE_TIMEZONE",
        "SOCLE_LOG_FORMAT",
    ] {
        command.env_remove(var);
    }
    command
        .env("SOCLE_LOG", "warn")
        .env("DATABASE_URL", db.url())
        .env("SOCLE_COLLECTIVITE", "54084");
    command
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("socle runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn a_ban_file_is_imported_from_the_command_line() {
    let db = TestDb::new().await;
    run(socle(&db).args(["demo"]));
    let fichier = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/ban/bal-54084-extrait.csv");
    let dir = tempfile::tempdir().expect("temporary directory");
    let rejets = dir.path().join("rejets.csv");

    let sortie = run(socle(&db)
        .args(["sig", "importer-ban"])
        .arg(&fichier)
        .arg("--rejets")
        .arg(&rejets));
    assert!(
        sortie.contains("132 ligne(s) lue(s) : 132 adresse(s) créée(s), 0 modifiée(s), 0 inchangée(s), 0 ligne(s) refusée(s)"),
        "{sortie}"
    );
    let again = run(socle(&db).args(["sig", "importer-ban"]).arg(&fichier));
    assert!(
        again.contains("0 adresse(s) créée(s), 0 modifiée(s), 132 inchangée(s)"),
        "{again}"
    );

    let mauvais = dir.path().join("mauvais.csv");
    std::fs::write(
        &mauvais,
        "cle_interop;voie_nom;numero;long;lat\n54084_0200_00001;Rue Joffre;1;5.833622;49.322203\n54084_0200_1;Rue Joffre;1;5.833622;49.322203\n",
    )
    .expect("written");
    let sortie = run(socle(&db)
        .args(["sig", "importer-ban"])
        .arg(&mauvais)
        .arg("--rejets")
        .arg(&rejets));
    assert!(sortie.contains("1 ligne(s) refusée(s) (voir"), "{sortie}");
    assert!(
        sortie.contains("ligne 3 : cle_interop « 54084_0200_1 »"),
        "{sortie}"
    );
    let rejets = std::fs::read_to_string(&rejets).expect("reject file");
    assert!(
        rejets.starts_with("ligne;cle_interop;voie_nom;numero;long;lat;motif\n3;54084_0200_1;"),
        "{rejets}"
    );

    let output = socle(&db)
        .args(["sig", "importer-ban", "/nulle/part.csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let erreur = String::from_utf8_lossy(&output.stderr);
    assert!(
        erreur.starts_with("socle : erreur : fichier /nulle/part.csv"),
        "{erreur}"
    );
}
