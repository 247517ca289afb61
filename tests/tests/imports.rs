//! Imports into the citizen registry: the INSEE deaths file (fixed width) and CSV files of
//! usagers, with their matching rules, rejects and reruns.

use std::io::Cursor;

use axum::http::StatusCode;
use serde_json::{Value, json};
use socle::usager::import::{self, BilanCsv, BilanDeces, ErreurImport};
use tests_assemblage::{TestApp, app, default_today};
use uuid::Uuid;

/// One line of the INSEE deaths file, in its fixed-width layout (198 characters).
fn ligne(
    nom_prenoms: &str,
    sexe: &str,
    naissance: &str,
    lieu: &str,
    deces: &str,
    acte: &str,
) -> String {
    format!(
        "{nom_prenoms:<80}{sexe:1}{naissance:8}{lieu:5}{:<30}{:<30}{deces:8}{:5}{acte:<9}{:22}",
        "COMMUNE", "", "54084", ""
    )
}

async fn collectivite(app: &TestApp) -> Uuid {
    let answer = app.get("/api/v1/collectivites/54084").await;
    if answer.status == StatusCode::OK {
        return answer.body["id"]
            .as_str()
            .expect("id")
            .parse()
            .expect("uuid");
    }
    app.commune("54084", "Mont-Bonvillers")
        .await
        .parse()
        .expect("uuid")
}

async fn usager(app: &TestApp, fiche: Value) -> String {
    let answer = app.post("/api/v1/usagers", &fiche).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer.body["id"].as_str().expect("id").to_owned()
}

async fn deces(app: &TestApp, lines: &[String]) -> BilanDeces {
    let coll = collectivite(app).await;
    let text = lines.join("\n") + "\n";
    let mut seen = 0;
    let bilan = import::importer_deces(
        app.state.db(),
        coll,
        Cursor::new(text.clone().into_bytes()),
        default_today(),
        app.state.clock().now(),
        &mut |bytes| seen = bytes,
    )
    .await
    .expect("import");
    assert_eq!(
        seen,
        text.len() as u64,
        "progress reaches the end of the file"
    );
    bilan
}

#[tokio::test]
async fn a_death_matching_one_usager_exactly_is_applied_once() {
    let app = app().await;
    collectivite(&app).await;
    let paul = usager(
        &app,
        json!({"nom_naissance": "Durand", "prenoms": "Paul Henri", "sexe": "M",
               "date_naissance": "1940-05-02", "commune_naissance": "54084"}),
    )
    .await;
    let other = usager(
        &app,
        json!({"nom_naissance": "Durand", "prenoms": "Pierre", "sexe": "M",
               "date_naissance": "1940-05-02", "commune_naissance": "54084"}),
    )
    .await;
    let lines = vec![
        ligne("MARTIN*JEAN/", "1", "19300101", "75056", "20261001", "12"),
        ligne(
            "DURAND*PAUL HENRI/",
            "1",
            "19400502",
            "54084",
            "20261002",
            "154",
        ),
    ];
    let bilan = deces(&app, &lines).await;
    assert_eq!((bilan.lignes, bilan.decedes, bilan.deja_decedes), (2, 1, 0));
    assert!(bilan.a_verifier.is_empty(), "{:?}", bilan.a_verifier);

    let read = app.get(&format!("/api/v1/usagers/{paul}")).await;
    assert_eq!(read.body["statut"], "decede");
    assert_eq!(read.body["deces"]["date"], "2026-10-02");
    assert_eq!(read.body["deces"]["source"], "fichier_insee");
    let untouched = app.get(&format!("/api/v1/usagers/{other}")).await;
    assert_eq!(untouched.body["statut"], "vivant");

    let events = app.get("/api/v1/evenements?type=usager.deces").await;
    assert_eq!(events.body.as_array().map(Vec::len), Some(1));
    assert_eq!(events.body[0]["data"]["id"], paul.as_str());
    let journal = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=usagers.usager&objet_id={paul}"
        ))
        .await;
    assert!(
        journal.body.to_string().contains("fichier INSEE"),
        "{}",
        journal.body
    );

    // The same file again changes nothing and publishes nothing.
    let again = deces(&app, &lines).await;
    assert_eq!((again.decedes, again.deja_decedes), (0, 1));
    let events = app.get("/api/v1/evenements?type=usager.deces").await;
    assert_eq!(events.body.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn partial_or_ambiguous_matches_are_listed_never_applied() {
    let app = app().await;
    collectivite(&app).await;
    // Two homonyms born the same day in the same commune.
    let a = usager(
        &app,
        json!({"nom_naissance": "Petit", "prenoms": "Louis", "date_naissance": "1950-01-01", "commune_naissance": "54084"}),
    )
    .await;
    let b = usager(
        &app,
        json!({"nom_naissance": "PETIT", "prenoms": "Louis", "date_naissance": "1950-01-01", "commune_naissance": "54084"}),
    )
    .await;
    // Birthplace unknown in the registry.
    let c = usager(
        &app,
        json!({"nom_naissance": "Roux", "prenoms": "Anne", "sexe": "F", "date_naissance": "1960-07-14"}),
    )
    .await;
    // Only the spelling differs (Lefèvre / LEFEBVRE).
    let d = usager(
        &app,
        json!({"nom_naissance": "Lefèvre", "prenoms": "Marc", "sexe": "M", "date_naissance": "1945-03-03", "commune_naissance": "54084"}),
    )
    .await;
    let e = usager(
        &app,
        json!({"nom_naissance": "Durand", "prenoms": "Jules", "sexe": "M", "date_naissance": "1955-05-05", "commune_naissance": "54084"}),
    )
    .await;
    // Another birth date, another sex: not the same person.
    usager(
        &app,
        json!({"nom_naissance": "Blanc", "prenoms": "Rose", "sexe": "F", "date_naissance": "1970-01-02", "commune_naissance": "54084"}),
    )
    .await;
    let bilan = deces(
        &app,
        &[
            ligne("PETIT*LOUIS/", "1", "19500101", "54084", "20261101", "1"),
            ligne("ROUX*ANNE/", "2", "19600714", "69123", "20261102", "2"),
            ligne("LEFEBVRE*MARC/", "1", "19450303", "54084", "20261103", "3"),
            ligne("BLANC*ROSE/", "2", "19700103", "54084", "20261104", "4"),
            ligne("BLANC*ROSE/", "1", "19700102", "54084", "20261104", "5"),
            // One more first name in the file than in the registry: maybe a twin.
            ligne(
                "DURAND*JULES HENRI/",
                "1",
                "19550505",
                "54084",
                "20261105",
                "6",
            ),
        ],
    )
    .await;
    assert_eq!(bilan.decedes, 0);
    let listed: Vec<(u64, Vec<String>)> = bilan
        .a_verifier
        .iter()
        .map(|v| (v.ligne, v.candidats.iter().map(Uuid::to_string).collect()))
        .collect();
    assert_eq!(listed.len(), 4, "{listed:?}");
    assert_eq!(listed[3], (6, vec![e.clone()]));
    assert_eq!(bilan.a_verifier[3].raison, "prénoms incomplets d'un côté");
    assert_eq!(listed[0].0, 1);
    assert!(listed[0].1.contains(&a) && listed[0].1.contains(&b));
    assert_eq!(listed[1], (2, vec![c.clone()]));
    assert_eq!(listed[2], (3, vec![d.clone()]));
    assert_eq!(
        bilan.a_verifier[0].raison,
        "plusieurs usagers correspondent"
    );
    for id in [&a, &b, &c, &d, &e] {
        let read = app.get(&format!("/api/v1/usagers/{id}")).await;
        assert_eq!(read.body["statut"], "vivant", "{id}");
    }
}

#[tokio::test]
async fn corsican_births_before_1976_and_unreadable_lines() {
    let app = app().await;
    collectivite(&app).await;
    let corse = usager(
        &app,
        json!({"nom_naissance": "Colonna", "prenoms": "Dominique", "date_naissance": "1931-02-11", "commune_naissance": "2A004"}),
    )
    .await;
    let bilan = deces(
        &app,
        &[
            ligne(
                "COLONNA*DOMINIQUE/",
                "1",
                "19310211",
                "20004",
                "20261003",
                "7",
            ),
            ligne("SANS ETOILE", "1", "19310211", "20004", "20261003", "8"),
            ligne("MAUVAIS*MOIS/", "1", "19311311", "20004", "20261003", "9"),
            String::new(),
        ],
    )
    .await;
    assert_eq!(bilan.decedes, 1);
    assert_eq!(bilan.rejetees, 2);
    assert_eq!(bilan.exemples_rejets[0].0, 2);
    assert_eq!(bilan.exemples_rejets[1].0, 3);
    assert!(!bilan.exemples_rejets[1].1.is_empty());
    let read = app.get(&format!("/api/v1/usagers/{corse}")).await;
    assert_eq!(read.body["statut"], "decede");
}

async fn csv(app: &TestApp, text: &str) -> Result<(BilanCsv, String), ErreurImport> {
    let coll = collectivite(app).await;
    let mut rejets = Vec::new();
    let bilan = import::importer_csv(
        app.state.db(),
        coll,
        Cursor::new(text.as_bytes().to_vec()),
        &mut rejets,
        default_today(),
        app.state.clock().now(),
        &mut |_| {},
    )
    .await?;
    Ok((bilan, String::from_utf8(rejets).expect("utf-8")))
}

const FICHIER: &str = "\u{feff}Nom de naissance;Prénoms;Nom d'usage;Sexe;Date de naissance;commune_naissance;courriel;adresse;code_postal;ban_id
DUPONT;Marie Hélène;MARTIN;F;12/06/1954;54084;marie@example.fr;1 Rue Joffre;54111;54084_0200_00001
Garcia;Luis;;M;1962-00-00;;;;;
Vellet;Philippe;;M;01/02/1970;01004;pas-une-adresse;;;
;Sans nom;;;;;;;;
Bernard;Zoé;;F;31/02/2000;;;;;
Future;Léa;;F;25/11/2026;;;;;
Aujourdhui;Léo;;M;24/11/2026;;;;;
Sexe;Inconnu;;X;01/01/1990;;;;;
";

#[tokio::test]
async fn csv_import_rejects_each_bad_line_with_its_reason_and_reruns_cleanly() {
    let app = app().await;
    let (bilan, rejets) = csv(&app, FICHIER).await.expect("import");
    assert_eq!(bilan.lignes, 8);
    assert_eq!(bilan.crees, 3, "{rejets}");
    assert_eq!(bilan.rejetees, 5);
    let lines: Vec<&str> = rejets.lines().collect();
    assert!(
        lines[0].starts_with("ligne;nom_naissance;prenoms;"),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(";motif"));
    let reason = |n: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{n};")))
            .map(|l| l.rsplit(';').next().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    assert!(reason("4").contains("courriel"), "{rejets}");
    assert!(reason("5").contains("nom_naissance"), "{rejets}");
    assert!(
        reason("6").contains("date_naissance") && reason("6").contains("31"),
        "{rejets}"
    );
    assert!(reason("7").contains("futur"), "{rejets}");
    assert!(reason("9").contains("sexe"), "{rejets}");
    assert_eq!(reason("8"), "", "born today is accepted");

    let found = app.get("/api/v1/usagers?q=dupont").await;
    assert_eq!(found.body["items"].as_array().map(Vec::len), Some(1));
    let dupont = &found.body["items"][0];
    assert_eq!(dupont["date_naissance"], "1954-06-12");
    assert_eq!(dupont["nom_usage"], "MARTIN");
    assert_eq!(dupont["adresses"][0]["ban_id"], "54084_0200_00001");
    assert_eq!(dupont["contacts"]["courriel"], "marie@example.fr");

    // Run again: nothing new.
    let (again, _) = csv(&app, FICHIER).await.expect("import");
    assert_eq!(
        (again.crees, again.deja_presents, again.rejetees),
        (0, 3, 5)
    );
    let all = app.get("/api/v1/usagers?limit=500").await;
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(3));
}

/// A line with a control character is refused with its column, as the API refuses it, and the
/// rest of the file is imported; the report neutralises a formula copied from the file.
#[tokio::test]
async fn csv_lines_follow_the_api_s_input_policy_and_the_report_is_safe_to_open() {
    let app = app().await;
    let fichier = "nom_naissance;prenoms;sexe;date_naissance
DU\u{0}PONT;Jean;M;01/02/1970
=HYPERLINK(\"http://exemple.invalid\");Jean;M;31/02/1970
\u{202E}LLEB;Anne;F;01/02/1970
BELL;Anne;F;01/02/1970
";
    let (bilan, rejets) = csv(&app, fichier).await.expect("import");
    assert_eq!(
        (bilan.lignes, bilan.crees, bilan.rejetees),
        (4, 1, 3),
        "{rejets}"
    );
    let lignes: Vec<&str> = rejets.lines().collect();
    let motif = |n: &str| {
        lignes
            .iter()
            .find(|l| l.starts_with(&format!("{n};")))
            .copied()
            .unwrap_or_default()
    };
    assert!(
        motif("2").contains("nom_naissance : caractère interdit U+0000"),
        "{rejets}"
    );
    assert!(motif("2").starts_with("2;DU<U+0000>PONT;"), "{rejets}");
    assert!(motif("3").contains(";\"'=HYPERLINK("), "{rejets}");
    assert!(motif("4").contains("U+202E"), "{rejets}");
    let trouve = app.get("/api/v1/usagers?q=bell").await;
    assert_eq!(trouve.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn csv_with_crlf_line_ends_reports_the_same_line_numbers() {
    let app = app().await;
    let (bilan, rejets) = csv(&app, &FICHIER.replace('\n', "\r\n"))
        .await
        .expect("import");
    assert_eq!((bilan.crees, bilan.rejetees), (3, 5));
    let numbers: Vec<&str> = rejets
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').next())
        .collect();
    assert_eq!(numbers, ["4", "5", "6", "7", "9"]);
}

#[tokio::test]
async fn csv_with_commas_and_unknown_columns() {
    let app = app().await;
    let (bilan, _) = csv(
        &app,
        "nom_naissance,prenoms,date_naissance\nLeroy,Jean,1980-01-01\n",
    )
    .await
    .expect("commas");
    assert_eq!(bilan.crees, 1);
    let err = csv(&app, "nom_naissance;prenom;age\nLeroy;Jean;45\n")
        .await
        .expect_err("unknown columns");
    let text = err.to_string();
    assert!(text.contains("prenom") && text.contains("age"), "{text}");
    let err = csv(&app, "prenoms\nJean\n").await.expect_err("no name");
    assert!(err.to_string().contains("nom_naissance obligatoire"));
}
