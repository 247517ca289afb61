//! What the shared services cost, each figure next to the limit of the same work measured in
//! the same run:
//!
//! 1. GED writes: storing files by their SHA-256 (type check, digest, write, `fsync`, rename),
//!    then whole deposits through the HTTP API (multipart form, blob, metadata, journal), next
//!    to a plain copy of the same files with the same durability (`fs::copy` then `fsync`);
//! 2. the Base Adresse Nationale import: rows/s of a first import (creations) and of a
//!    re-import (every row compared, none changed), next to a plain read and a bare CSV parse
//!    of the same file.
//!
//! ```text
//! cargo bench -p socle-server --features testing --bench services                      # SQLite
//! SOCLE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1/socle_bench \
//!   cargo bench -p socle-server --features testing --bench services                    # PostgreSQL
//! ```
//!
//! Options (environment): `BANC_TOURS` (3), `BANC_GED_FICHIERS` (200), `BANC_GED_KO` (1024,
//! the size of each file), `BANC_BAN_COPIES` (200 copies of the shared BAL extract of 486
//! addresses, each under other street codes).

#![allow(
    clippy::disallowed_methods,
    reason = "the physical limit is measured with plain transactions, beside the units of work it is compared with"
)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use chrono::NaiveDate;
use socle::ModuleRegistry;
use socle::ged::{Ged, StockageFichiers};
use socle::testing::TestDb;
use socle_server::testing::TestApp;
use uuid::Uuid;

mod commun;
use commun::{mediane, setting};

/// `nombre` distinct PDF-looking contents of `taille` bytes (xorshift from `graine`).
fn contenus(nombre: u64, taille: u64, graine: u64) -> Vec<Bytes> {
    let mut etat = graine | 1;
    (0..nombre)
        .map(|_| {
            let mut octets = Vec::with_capacity(taille as usize);
            octets.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
            while (octets.len() as u64) < taille {
                etat ^= etat << 13;
                etat ^= etat >> 7;
                etat ^= etat << 17;
                octets.extend_from_slice(&etat.to_le_bytes());
            }
            octets.truncate(taille as usize);
            Bytes::from(octets)
        })
        .collect()
}

fn ligne(nom: &str, valeur: f64, unite: &str, rapport: &str) {
    println!("{nom:<52} {valeur:>12.1} {unite:<10} {rapport:>12}");
}

/// Copies every file of `source` into `cible` and flushes each copy to the disk.
fn copier(fichiers: &[std::path::PathBuf], cible: &Path) {
    for (i, fichier) in fichiers.iter().enumerate() {
        let destination = cible.join(format!("{i}.pdf"));
        std::fs::copy(fichier, &destination).expect("copie");
        std::fs::File::open(&destination)
            .and_then(|f| f.sync_all())
            .expect("fsync");
    }
}

/// The shared BAL extract repeated `copies` times, each copy under its own street codes.
fn fichier_ban(copies: u64) -> Vec<u8> {
    let source = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/adresses/bal-adresses-54084.csv"
    );
    let texte = std::fs::read_to_string(source).unwrap_or_else(|_| {
        // Without the shared data, addresses of the same layout.
        let mut t = "uid_adresse;cle_interop;commune_insee;commune_nom;voie_nom;numero;suffixe;position;long;lat\n".to_owned();
        for n in 1..=486 {
            t.push_str(&format!(
                ";54084_0200_{n:05};54084;Mont-Bonvillers;Rue Joffre;{n};;entrée;5.83{n:04};49.32{n:04}\n"
            ));
        }
        t
    });
    let mut lignes = texte.lines();
    let entete = lignes.next().expect("header");
    let donnees: Vec<&str> = lignes.filter(|l| !l.trim().is_empty()).collect();
    let mut sortie = format!("{entete}\n").into_bytes();
    const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    for copie in 0..copies {
        let prefixe = [
            BASE36[(copie / 36 % 36) as usize] as char,
            BASE36[(copie % 36) as usize] as char,
        ];
        let prefixe: String = prefixe.iter().collect();
        for ligne in &donnees {
            // `54084_0200_00001` becomes `54084_<copy>0200_00001`: a six-character street code.
            let ligne = ligne.replacen("54084_", &format!("54084_{prefixe}"), 1);
            sortie.extend_from_slice(ligne.as_bytes());
            sortie.push(b'\n');
        }
    }
    sortie
}

/// Rows/s of the file's fields inserted as they are, as text, into a table of as many columns,
/// by multi-row INSERTs of 500 rows in one transaction: the database's limit for this import.
async fn inserer_brut(app: &TestApp, chemin: &Path) -> f64 {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

    let mut csv = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_path(chemin)
        .expect("ouvrir");
    let colonnes = csv.headers().expect("entête").len();
    let lignes: Vec<Vec<String>> = csv
        .records()
        .map(|r| {
            let r = r.expect("ligne");
            (0..colonnes)
                .map(|i| r.get(i).unwrap_or_default().to_owned())
                .collect()
        })
        .collect();
    let db = app.state.db();
    let backend = db.get_database_backend();
    let definition: Vec<String> = (0..colonnes).map(|i| format!("c{i} TEXT")).collect();
    db.execute_unprepared(&format!(
        "CREATE TABLE banc_adresse ({})",
        definition.join(", ")
    ))
    .await
    .expect("table");
    let debut = Instant::now();
    let txn = db.begin().await.expect("transaction");
    for lot in lignes.chunks(500) {
        let mut n = 0;
        let rangs: Vec<String> = lot
            .iter()
            .map(|_| {
                let marques: Vec<String> = (0..colonnes)
                    .map(|_| {
                        n += 1;
                        if backend == sea_orm::DbBackend::Postgres {
                            format!("${n}")
                        } else {
                            "?".to_owned()
                        }
                    })
                    .collect();
                format!("({})", marques.join(", "))
            })
            .collect();
        let valeurs: Vec<sea_orm::Value> = lot
            .iter()
            .flat_map(|l| l.iter().map(|v| v.clone().into()))
            .collect();
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            format!("INSERT INTO banc_adresse VALUES {}", rangs.join(", ")),
            valeurs,
        ))
        .await
        .expect("insert");
    }
    txn.commit().await.expect("commit");
    lignes.len() as f64 / debut.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let tours = setting("BANC_TOURS", 3).max(1);
    let nombre = setting("BANC_GED_FICHIERS", 200);
    let taille = setting("BANC_GED_KO", 1024) * 1024;
    let copies = setting("BANC_BAN_COPIES", 200);
    let db = TestDb::new().await;
    let moteur = format!("{:?}", db.engine());
    let registry = ModuleRegistry::builder().build().expect("modules");
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let app = Arc::new(TestApp::start(registry, db, today, Some("54084")).await);
    let collectivite: Uuid = app
        .commune("54084", "Mont-Bonvillers")
        .await
        .parse()
        .expect("uuid");

    // 1. GED writes. Each round has its own contents: the same content twice is one blob.
    let volume = (nombre * taille) as f64;
    let (mut copies_mo, mut stockage_mo, mut depots_mo) = (Vec::new(), Vec::new(), Vec::new());
    for tour in 0..tours {
        let dossier = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dossier");
        let sources = dossier.path().join("sources");
        std::fs::create_dir(&sources).expect("sources");
        let fichiers: Vec<std::path::PathBuf> = contenus(nombre, taille, 11 + tour)
            .iter()
            .enumerate()
            .map(|(i, octets)| {
                let chemin = sources.join(format!("{i}.pdf"));
                std::fs::write(&chemin, octets).expect("source");
                chemin
            })
            .collect();
        let cible = dossier.path().join("copies");
        std::fs::create_dir(&cible).expect("copies");
        let debut = Instant::now();
        copier(&fichiers, &cible);
        copies_mo.push(volume / debut.elapsed().as_secs_f64());

        let contenus_ged = contenus(nombre, taille, 1_000 + tour);
        let ged = Ged::new(
            Arc::new(StockageFichiers::new(dossier.path().join("ged"))),
            taille * 2,
        );
        let debut = Instant::now();
        for (i, octets) in contenus_ged.into_iter().enumerate() {
            let contenu = ged
                .preparer(&format!("{i}.pdf"), octets)
                .expect("fichier accepté");
            ged.stocker(app.state.db(), &contenu, app.state.clock().now())
                .await
                .expect("stocké");
        }
        stockage_mo.push(volume / debut.elapsed().as_secs_f64());

        let formulaires = contenus(nombre, taille, 2_000 + tour);
        let debut = Instant::now();
        for (i, octets) in formulaires.iter().enumerate() {
            let reponse = app
                .formulaire(
                    None,
                    "/api/v1/ged/documents",
                    &[("titre", "Pièce"), ("type_document", "piece")],
                    Some((&format!("{i}.pdf"), octets)),
                )
                .await;
            assert_eq!(reponse.status.as_u16(), 201, "{:?}", reponse.body);
        }
        depots_mo.push(volume / debut.elapsed().as_secs_f64());
    }
    let (copie, stockage, depot) = (mediane(copies_mo), mediane(stockage_mo), mediane(depots_mo));
    println!(
        "Socle — services partagés ({moteur}, {tours} tours, médiane)\n\nGED : {nombre} fichiers de {} Ko",
        taille / 1024
    );
    ligne(
        "copie simple (fs::copy + fsync, limite)",
        copie / 1e6,
        "Mo/s",
        "1,00 (réf.)",
    );
    ligne(
        &format!("stockage GED ({:.0} fichiers/s)", stockage / taille as f64),
        stockage / 1e6,
        "Mo/s",
        &format!("{:.2}", stockage / copie),
    );
    ligne(
        &format!("dépôt par l'API ({:.0} documents/s)", depot / taille as f64),
        depot / 1e6,
        "Mo/s",
        &format!("{:.2}", depot / copie),
    );

    // 2. The BAN import.
    let texte = fichier_ban(copies);
    let fichier = tempfile::NamedTempFile::new().expect("fichier");
    fichier.as_file().write_all(&texte).expect("écriture");
    let octets = texte.len() as f64;
    let (mut lectures, mut analyses, mut reimports) = (Vec::new(), Vec::new(), Vec::new());
    let mut lignes = 0_u64;
    for _ in 0..tours {
        let debut = Instant::now();
        let mut lecteur = std::fs::File::open(fichier.path()).expect("ouvrir");
        let mut tampon = vec![0_u8; 1 << 16];
        while lecteur.read(&mut tampon).expect("lecture") > 0 {}
        lectures.push(octets / debut.elapsed().as_secs_f64());

        let debut = Instant::now();
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .from_path(fichier.path())
            .expect("ouvrir");
        let mut record = csv::ByteRecord::new();
        lignes = 0;
        while csv.read_byte_record(&mut record).expect("csv") {
            lignes += 1;
        }
        analyses.push(lignes as f64 / debut.elapsed().as_secs_f64());
    }
    let brut = inserer_brut(&app, fichier.path()).await;
    let importer = || {
        let app = Arc::clone(&app);
        let chemin = fichier.path().to_owned();
        async move {
            let debut = Instant::now();
            let bilan = socle::sig::import::importer_ban(
                app.state.db(),
                collectivite,
                std::fs::File::open(chemin).expect("ouvrir"),
                None,
                app.state.clock().now(),
                &mut |_| {},
            )
            .await
            .expect("import");
            assert_eq!(bilan.rejetees, 0, "{:?}", bilan.exemples_rejets);
            (bilan, debut.elapsed().as_secs_f64())
        }
    };
    let (premier, duree) = importer().await;
    assert_eq!(premier.creees, lignes);
    let creations = lignes as f64 / duree;
    for _ in 0..tours {
        let (bilan, duree) = importer().await;
        assert_eq!(bilan.inchangees, lignes);
        reimports.push(lignes as f64 / duree);
    }
    let lecture = mediane(lectures) / octets * lignes as f64;
    let analyse = mediane(analyses);
    let reimport = mediane(reimports);
    println!("\nBAN : {lignes} adresses ({:.1} Mo)", octets / 1e6);
    ligne(
        "lecture simple du fichier (limite du fichier)",
        lecture,
        "lignes/s",
        "1,00 (réf.)",
    );
    ligne(
        "analyse CSV seule",
        analyse,
        "lignes/s",
        &format!("{:.3}", analyse / lecture),
    );
    ligne(
        "INSERT brut des mêmes champs (limite de la base)",
        brut,
        "lignes/s",
        "1,00 (réf.)",
    );
    ligne(
        "import initial (créations)",
        creations,
        "lignes/s",
        &format!("{:.2}", creations / brut),
    );
    ligne(
        "réimport (toutes comparées, inchangées)",
        reimport,
        "lignes/s",
        &format!("{:.2}", reimport / brut),
    );
}
