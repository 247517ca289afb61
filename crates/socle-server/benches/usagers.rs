//! What the citizen registry costs, each figure next to the limit of the same work measured in
//! the same run:
//!
//! 1. creates/s and reads/s through the HTTP API (a usager, its journal entry and its outbox
//!    event per creation), next to raw one-row INSERT transactions and primary-key SELECTs on
//!    the same database with the same concurrency;
//! 2. the INSEE deaths file parse rate, next to a plain read of the same file;
//! 3. duplicate lookup latency at 10,000, 100,000 and 1,000,000 generated usagers, next to a
//!    primary-key lookup on the same table; then a deaths-file import against that registry.
//!
//! ```text
//! cargo bench -p socle-server --features testing --bench usagers                       # SQLite
//! SOCLE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1/socle_bench \
//!   cargo bench -p socle-server --features testing --bench usagers                     # PostgreSQL
//! ```
//!
//! Options (environment): `BANC_CLIENTS` (32), `BANC_SECONDES` (5), `BANC_TOURS` (3),
//! `BANC_USAGERS` (1000000), `BANC_DECES` (deaths file; the INSEE 1970 file of the shared data
//! by default, repeated to 100 MB), `BANC_SONDES` (1000 lookups per scale).

#![allow(
    clippy::disallowed_methods,
    reason = "the physical limit is measured with plain transactions, beside the units of work it is compared with"
)]

use std::io::{BufReader, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, TransactionTrait};
use socle::ModuleRegistry;
use socle::testing::TestDb;
use socle::usager::deces_insee::LecteurDeces;
use socle::usager::entity::usager;
use socle::usager::{FicheUsager, doublons, service};
use socle_server::testing::TestApp;
use uuid::Uuid;

mod commun;
use commun::{Mesure, charge, mediane, medianes, setting};

/// A small deterministic generator (xorshift), so that every run loads the same registry.
struct Hasard(u64);

impl Hasard {
    fn suivant(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn parmi<'a>(&mut self, choix: &[&'a str]) -> &'a str {
        choix[(self.suivant() % choix.len() as u64) as usize]
    }
}

const NOMS: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEVRE",
    "FAURE",
    "ANDRE",
    "MERCIER",
    "BLANC",
    "GUERIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANCOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "PERRIN",
    "ROBIN",
    "CLEMENT",
    "MORIN",
    "NICOLAS",
    "HENRY",
    "ROUSSEL",
    "MATHIEU",
    "GAUTIER",
    "MASSON",
    "SCHMITT",
];
const SYLLABES: &[&str] = &[
    "BER", "NAR", "DU", "PON", "LA", "MAR", "TIN", "CHE", "VA", "LIER", "GAR", "NIER", "RO", "BIN",
    "MOU", "LIN", "FER", "RAND", "BOU", "CHER", "DE", "LOR", "GUE", "RIN", "PE", "TIT", "CLAU",
    "DEL", "SAR", "KO", "WAL", "TER", "JO", "LY", "MAS", "SON", "VI", "GNE", "RA", "ZE",
];
const PRENOMS: &[&str] = &[
    "Marie",
    "Jean",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Jacques",
    "Alain",
    "Bernard",
    "Louis",
    "Paul",
    "Camille",
    "Léa",
    "Manon",
    "Emma",
    "Lucas",
    "Hugo",
    "Thomas",
    "Nicolas",
    "Julien",
    "Sophie",
    "Anne",
    "Claire",
    "Jean-Pierre",
    "Marie-Hélène",
    "Chantal",
    "Monique",
    "Christine",
    "Éric",
    "Laurent",
    "Inès",
];
const COMMUNES: &[&str] = &[
    "54084", "54395", "57463", "54099", "75056", "69123", "13055",
];

fn fiche(h: &mut Hasard) -> FicheUsager {
    let nom = if h.suivant() % 10 < 3 {
        h.parmi(NOMS).to_owned()
    } else {
        let n = 2 + h.suivant() % 2;
        (0..n).map(|_| h.parmi(SYLLABES)).collect()
    };
    let prenoms = format!("{} {}", h.parmi(PRENOMS), h.parmi(PRENOMS));
    let annee = 1920 + h.suivant() % 89;
    let mois = 1 + h.suivant() % 12;
    let jour = 1 + h.suivant() % 28;
    let json = serde_json::json!({
        "nom_naissance": nom,
        "prenoms": prenoms,
        "sexe": if h.suivant().is_multiple_of(2) { "M" } else { "F" },
        "date_naissance": format!("{annee:04}-{mois:02}-{jour:02}"),
        "commune_naissance": h.parmi(COMMUNES),
    });
    serde_json::from_value(json).expect("fiche")
}

fn ligne(nom: &str, valeur: f64, unite: &str, rapport: &str) {
    println!("{nom:<44} {valeur:>12.0} {unite:<10} {rapport:>12}");
}

#[tokio::main]
async fn main() {
    let clients = setting("BANC_CLIENTS", 32);
    let duree = Duration::from_secs(setting("BANC_SECONDES", 5));
    let tours = setting("BANC_TOURS", 3) as usize;
    let total = setting("BANC_USAGERS", 1_000_000);
    let sondes = setting("BANC_SONDES", 1000);
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
    let token = app
        .jeton("54084", &["usagers.usager.creer", "usagers.usager.lire"])
        .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let addr = listener.local_addr().expect("adresse");
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serveur") });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients as usize)
        .build()
        .expect("client");

    println!(
        "Socle — référentiel usager ({moteur}, {clients} clients, {} s × {tours} tours, médiane)\n",
        duree.as_secs()
    );
    println!(
        "{:<44} {:>12} {:<10} {:>12}",
        "opération", "débit", "", "rapport"
    );

    // 1. HTTP creates and reads, next to raw INSERT and SELECT on the same database.
    let crees = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut mesures = Vec::new();
    for tour in 0..tours {
        let (client, token, crees) = (client.clone(), token.clone(), Arc::clone(&crees));
        let url = format!("http://{addr}/api/v1/usagers");
        mesures.push(
            charge(clients, duree, move |c, n| {
                let (client, token, crees, url) = (
                    client.clone(),
                    token.clone(),
                    Arc::clone(&crees),
                    url.clone(),
                );
                async move {
                    let mut h =
                        Hasard(0x9E37_79B9_7F4A_7C15 ^ ((tour as u64) << 48 | c << 32 | n) | 1);
                    let body = serde_json::to_value(fiche(&mut h)).expect("json");
                    let reponse = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .expect("réponse");
                    assert_eq!(reponse.status(), 201);
                    let created: serde_json::Value = reponse.json().await.expect("corps");
                    if let Some(id) = created["id"].as_str() {
                        crees.lock().expect("verrou").push(id.to_owned());
                    }
                }
            })
            .await,
        );
    }
    let (api_creations, c50, c99) = medianes(&mesures);

    app.db
        .db
        .execute_unprepared(
            "CREATE TABLE banc_usager (id VARCHAR(36) PRIMARY KEY, nom VARCHAR(100) NOT NULL, prenoms VARCHAR(200) NOT NULL, date_naissance VARCHAR(10))",
        )
        .await
        .expect("table");
    let compteur = Arc::new(AtomicU64::new(0));
    let mut mesures = Vec::new();
    for _ in 0..tours {
        let (db, compteur) = (app.db.db.clone(), Arc::clone(&compteur));
        mesures.push(
            charge(clients, duree, move |_, _| {
                let (db, compteur) = (db.clone(), Arc::clone(&compteur));
                async move {
                    let i = compteur.fetch_add(1, Ordering::Relaxed);
                    let txn = db.begin().await.expect("txn");
                    txn.execute_unprepared(&format!(
                        "INSERT INTO banc_usager (id, nom, prenoms, date_naissance) VALUES ('{}', 'NOM{i}', 'Marie Hélène', '1954-06-12')",
                        Uuid::now_v7()
                    ))
                    .await
                    .expect("insert");
                    txn.commit().await.expect("commit");
                }
            })
            .await,
        );
    }
    let (brut_insertions, _, _) = medianes(&mesures);
    ligne(
        "INSERT d'une ligne par transaction (limite)",
        brut_insertions,
        "/s",
        "1,00 (réf.)",
    );
    ligne(
        &format!("création par l'API (p50 {c50:.1} ms, p99 {c99:.1} ms)"),
        api_creations,
        "/s",
        &format!("{:.2}", api_creations / brut_insertions),
    );

    let ids: Arc<Vec<String>> = Arc::new(crees.lock().expect("verrou").clone());
    let uuids: Arc<Vec<Uuid>> = Arc::new(ids.iter().filter_map(|i| i.parse().ok()).collect());
    let mut mesures = Vec::new();
    for _ in 0..tours {
        let (db, uuids) = (app.db.db.clone(), Arc::clone(&uuids));
        mesures.push(
            charge(clients, duree, move |c, n| {
                let (db, uuids) = (db.clone(), Arc::clone(&uuids));
                async move {
                    let id = uuids[((c * 7919 + n * 104_729) % uuids.len() as u64) as usize];
                    usager::Entity::find_by_id(id)
                        .one(&db)
                        .await
                        .expect("select")
                        .expect("trouvé");
                }
            })
            .await,
        );
    }
    let (brut_lectures, _, _) = medianes(&mesures);
    let mut mesures: Vec<Mesure> = Vec::new();
    for _ in 0..tours {
        let (client, token, ids) = (client.clone(), token.clone(), Arc::clone(&ids));
        mesures.push(
            charge(clients, duree, move |c, n| {
                let (client, token, ids) = (client.clone(), token.clone(), Arc::clone(&ids));
                async move {
                    let id = &ids[((c * 7919 + n * 104_729) % ids.len() as u64) as usize];
                    let reponse = client
                        .get(format!("http://{addr}/api/v1/usagers/{id}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .expect("réponse");
                    assert_eq!(reponse.status(), 200);
                    reponse.bytes().await.expect("corps");
                }
            })
            .await,
        );
    }
    let (api_lectures, l50, l99) = medianes(&mesures);
    ligne(
        "SELECT par clé primaire (limite)",
        brut_lectures,
        "/s",
        "1,00 (réf.)",
    );
    ligne(
        &format!("lecture par l'API (p50 {l50:.1} ms, p99 {l99:.1} ms)"),
        api_lectures,
        "/s",
        &format!("{:.2}", api_lectures / brut_lectures),
    );

    // 2. The deaths file: plain read, then parse.
    let source = std::env::var("BANC_DECES").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/deces/deces-1970.txt"
        )
        .to_owned()
    });
    let original = std::fs::read(&source).unwrap_or_else(|_| {
        // Without the file, lines of the same layout.
        let mut h = Hasard(7);
        let mut text = Vec::new();
        for _ in 0..27_000 {
            let f = fiche(&mut h);
            let line = format!(
                "{:<80}1{}54084{:<30}{:<30}2026110254084{:<9}{:22}\n",
                format!("{}*{}/", f.nom_naissance, f.prenoms.to_uppercase()),
                f.date_naissance
                    .map(|d| d.to_string().replace('-', ""))
                    .unwrap_or_default(),
                "COMMUNE",
                "",
                "12",
                ""
            );
            text.extend_from_slice(line.as_bytes());
        }
        text
    });
    let fichier = tempfile::NamedTempFile::new().expect("fichier");
    {
        let mut out = std::io::BufWriter::new(fichier.as_file());
        let mut written = 0;
        while written < 100 << 20 {
            out.write_all(&original).expect("écriture");
            written += original.len();
        }
    }
    let taille = fichier.as_file().metadata().expect("taille").len() as f64;
    let mut lectures = Vec::new();
    let mut analyses = Vec::new();
    let mut lignes = 0;
    for _ in 0..tours.max(3) {
        let debut = Instant::now();
        let mut reader = BufReader::with_capacity(
            1 << 16,
            std::fs::File::open(fichier.path()).expect("ouvrir"),
        );
        let mut buffer = vec![0_u8; 1 << 16];
        while reader.read(&mut buffer).expect("lecture") > 0 {}
        lectures.push(taille / debut.elapsed().as_secs_f64());
        let debut = Instant::now();
        let reader = BufReader::with_capacity(
            1 << 16,
            std::fs::File::open(fichier.path()).expect("ouvrir"),
        );
        lignes = 0;
        for item in LecteurDeces::new(reader) {
            let (_, parsed) = item.expect("lecture");
            if parsed.is_ok() {
                lignes += 1;
            }
        }
        analyses.push(taille / debut.elapsed().as_secs_f64());
    }
    let (lecture, analyse) = (mediane(lectures), mediane(analyses));
    println!();
    ligne(
        &format!(
            "lecture simple du fichier des décès ({:.0} Mo)",
            taille / 1e6
        ),
        lecture / 1e6,
        "Mo/s",
        "1,00 (réf.)",
    );
    ligne(
        &format!(
            "analyse ({:.0} lignes/s)",
            lecture.min(analyse) / taille * lignes as f64
        ),
        analyse / 1e6,
        "Mo/s",
        &format!("{:.2}", analyse / lecture),
    );

    // 3. Duplicate lookups as the registry grows, next to a primary-key lookup.
    println!();
    println!(
        "{:<44} {:>12} {:>10} {:>12}",
        "recherche de doublons", "p50 (ms)", "p99 (ms)", "p50 / clé"
    );
    let mut h = Hasard(0xD1B5_4A32_D192_ED03);
    let mut charges = 0_u64;
    let now = app.state.clock().now();
    let debut_chargement = Instant::now();
    let mut echelle = 10_000_u64.min(total);
    let mut gardes: Vec<FicheUsager> = Vec::new();
    while charges < total {
        let txn = app.db.db.begin().await.expect("txn");
        while charges < echelle {
            let lot: Vec<_> = (0..1000.min(echelle - charges))
                .map(|_| {
                    let f = fiche(&mut h);
                    if gardes.len() < sondes as usize && h.suivant().is_multiple_of(50) {
                        gardes.push(f.clone());
                    }
                    service::nouveau(collectivite, &f, now)
                })
                .collect();
            charges += lot.len() as u64;
            usager::Entity::insert_many(lot)
                .exec_without_returning(&txn)
                .await
                .expect("insert");
        }
        txn.commit().await.expect("commit");
        // What any bulk load is followed by on PostgreSQL: fresh statistics for the planner.
        if app.db.db.get_database_backend() == sea_orm::DbBackend::Postgres {
            app.db
                .db
                .execute_unprepared("ANALYZE usager")
                .await
                .expect("analyze");
        }
        let mut latences = Vec::new();
        let mut cles = Vec::new();
        let mut trouves = 0;
        let some_ids: Vec<Uuid> = usager::Entity::find()
            .select_only()
            .column(usager::Column::Id)
            .into_tuple::<Uuid>()
            .all(&app.db.db)
            .await
            .expect("ids")
            .into_iter()
            .step_by((charges / sondes).max(1) as usize)
            .collect();
        for i in 0..sondes as usize {
            // Half known people (found again), half newcomers.
            let probe = if i % 2 == 0 && !gardes.is_empty() {
                gardes[i % gardes.len()].clone()
            } else {
                fiche(&mut h)
            };
            let t = Instant::now();
            let found = doublons::candidats(&app.db.db, collectivite, &probe, None)
                .await
                .expect("candidats");
            latences.push(t.elapsed());
            trouves += usize::from(!found.is_empty());
            let id = some_ids[i % some_ids.len()];
            let t = Instant::now();
            usager::Entity::find_by_id(id)
                .one(&app.db.db)
                .await
                .expect("select");
            cles.push(t.elapsed());
        }
        let d = Mesure::de(latences, 1.0);
        let k = Mesure::de(cles, 1.0);
        println!(
            "{:<44} {:>12.3} {:>10.3} {:>12.1}",
            format!("{charges} usagers ({trouves}/{sondes} avec candidats)"),
            d.p50.as_secs_f64() * 1000.0,
            d.p99.as_secs_f64() * 1000.0,
            d.p50.as_secs_f64() / k.p50.as_secs_f64()
        );
        echelle = (echelle * 10).min(total);
    }
    println!(
        "(chargement de {charges} usagers : {:.0} lignes/s)",
        charges as f64 / debut_chargement.elapsed().as_secs_f64()
    );

    // The deaths file against that registry.
    let reader = BufReader::with_capacity(
        1 << 16,
        std::fs::File::open(fichier.path()).expect("ouvrir"),
    );
    let debut = Instant::now();
    let bilan = socle::usager::import::importer_deces(
        &app.db.db,
        collectivite,
        reader,
        today,
        now,
        &mut |_| {},
    )
    .await
    .expect("import");
    let secondes = debut.elapsed().as_secs_f64();
    println!(
        "import du fichier des décès contre {charges} usagers : {:.0} lignes/s ({:.2} de l'analyse seule), {} décès appliqués, {} à vérifier",
        bilan.lignes as f64 / secondes,
        (taille / secondes) / analyse,
        bilan.decedes,
        bilan.a_verifier.len()
    );
}
