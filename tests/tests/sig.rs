//! Geography: Lambert-93 and WGS84 on real addresses, the import of Base Adresse Nationale
//! files (rejects, reruns), address search, and areas (which bureau de vote covers an address).
//!
//! The addresses are an excerpt of the real file of Mont-Bonvillers (`tests/fixtures/ban`);
//! when the whole file and the BAL error sample are present in `../shared/data/adresses`, they
//! are checked too.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use socle::sig::geometrie::{distance_lambert93, lambert93_vers_wgs84, wgs84_vers_lambert93};
use socle::sig::import::{BilanBan, importer_ban};
use tests_assemblage::{TestApp, app};
use uuid::Uuid;

const EXTRAIT: &str = include_str!("../fixtures/ban/bal-54084-extrait.csv");
const LIGNES_EXTRAIT: u64 = 132;

/// The shared test data, when this checkout has it.
fn partage(nom: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/adresses")
        .join(nom);
    path.exists().then_some(path)
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
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

async fn importer(app: &TestApp, texte: &[u8], rejets: Option<&mut Vec<u8>>) -> BilanBan {
    let coll = collectivite(app).await;
    let mut vu = 0;
    let bilan = importer_ban(
        app.state.db(),
        coll,
        Cursor::new(texte.to_vec()),
        rejets.map(|r| r as &mut dyn std::io::Write),
        app.state.clock().now(),
        &mut |octets| vu = octets,
    )
    .await
    .expect("import");
    assert_eq!(
        vu,
        texte.len() as u64,
        "progress reaches the end of the file"
    );
    bilan
}

/// Metres covered by half a unit of the last decimal written.
fn demi_unite(texte: &str) -> f64 {
    let decimales = texte.split_once('.').map_or(0, |(_, d)| d.len());
    0.5 * 10f64.powi(-i32::try_from(decimales).expect("few decimals"))
}

/// Every line's Lambert-93 and WGS84 forms agree within the file's own rounding, and a round
/// trip through both systems moves no point by a centimetre.
fn verifier_positions(texte: &str) -> usize {
    let mut lignes = texte.lines();
    let entete: Vec<&str> = lignes.next().expect("header").trim().split(';').collect();
    let col = |nom: &str| entete.iter().position(|c| *c == nom).expect(nom);
    let (cx, cy, clon, clat) = (col("x"), col("y"), col("long"), col("lat"));
    let mut verifiees = 0;
    for ligne in lignes {
        let champs: Vec<&str> = ligne.trim().split(';').collect();
        let nombre = |i: usize| champs[i].parse::<f64>().expect("number");
        let (x, y, lon, lat) = (nombre(cx), nombre(cy), nombre(clon), nombre(clat));
        let metres_par_degre = 111_320.0;
        let tolerance = demi_unite(champs[clon]) * metres_par_degre * lat.to_radians().cos()
            + demi_unite(champs[clat]) * metres_par_degre
            + demi_unite(champs[cx])
            + demi_unite(champs[cy])
            + 0.005;
        let projete = wgs84_vers_lambert93(lon, lat).expect("mainland");
        let ecart = distance_lambert93(projete, (x, y));
        assert!(
            ecart <= tolerance,
            "{ligne}: {ecart:.3} m > {tolerance:.3} m"
        );
        let (lon2, lat2) = lambert93_vers_wgs84(x, y).expect("mainland");
        let retour = wgs84_vers_lambert93(lon2, lat2).expect("back");
        assert!(distance_lambert93(retour, (x, y)) < 0.01, "{ligne}");
        verifiees += 1;
    }
    verifiees
}

#[test]
fn the_real_files_coordinates_agree_in_both_systems() {
    assert_eq!(verifier_positions(EXTRAIT), LIGNES_EXTRAIT as usize);
    if let Some(path) = partage("bal-adresses-54084.csv") {
        let texte = std::fs::read_to_string(path).expect("readable");
        assert_eq!(verifier_positions(&texte), 486);
    }
}

#[tokio::test]
async fn the_real_commune_file_imports_once() {
    let app = app().await;
    let bilan = importer(&app, EXTRAIT.as_bytes(), None).await;
    assert_eq!(
        (bilan.lignes, bilan.creees, bilan.rejetees),
        (LIGNES_EXTRAIT, LIGNES_EXTRAIT, 0),
        "{:?}",
        bilan.exemples_rejets
    );

    let again = importer(&app, EXTRAIT.as_bytes(), None).await;
    assert_eq!(
        (
            again.creees,
            again.modifiees,
            again.inchangees,
            again.rejetees
        ),
        (0, 0, LIGNES_EXTRAIT, 0)
    );

    // A street renamed in a new edition of the file: only its addresses change.
    let renomme = EXTRAIT.replace(";Rue Joffre;", ";Rue du Maréchal Joffre;");
    let bilan = importer(&app, renomme.as_bytes(), None).await;
    assert_eq!(
        (bilan.creees, bilan.modifiees, bilan.inchangees),
        (0, 29, LIGNES_EXTRAIT - 29)
    );
    let lue = app.get("/api/v1/sig/adresses/54084_0200_00001").await;
    assert_eq!(lue.body["libelle"], "1 Rue du Maréchal Joffre");

    let journal = app
        .get("/api/v1/journal/entrees?objet_type=sig.adresse")
        .await;
    assert_eq!(journal.status, StatusCode::OK, "{}", journal.body);
    assert!(
        journal.body.to_string().contains("Base Adresse Nationale"),
        "{}",
        journal.body
    );

    if let Some(path) = partage("bal-adresses-54084.csv") {
        let texte = std::fs::read(path).expect("readable");
        let bilan = importer(&app, &texte, None).await;
        assert_eq!(
            (bilan.lignes, bilan.creees, bilan.modifiees, bilan.rejetees),
            (486, 486 - LIGNES_EXTRAIT, 29, 0),
            "{:?}",
            bilan.exemples_rejets
        );
        let again = importer(&app, &texte, None).await;
        assert_eq!(
            (again.creees, again.modifiees, again.inchangees),
            (0, 0, 486)
        );
    }
}

#[tokio::test]
async fn addresses_are_found_as_agents_type_them() {
    let app = app().await;
    importer(&app, EXTRAIT.as_bytes(), None).await;
    let chercher = |q: &str| {
        let uri = format!("/api/v1/sig/adresses?q={}&limit=50", encode(q));
        let app = &app;
        async move {
            let answer = app.get(&uri).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            answer.body["items"].as_array().expect("items").clone()
        }
    };
    let libelles = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .map(|a| a["libelle"].as_str().expect("libelle").to_owned())
            .collect()
    };

    let seize = chercher("16 bonvillers").await;
    assert_eq!(
        libelles(&seize),
        [
            "16 Bonvillers Village",
            "16 a Bonvillers Village",
            "16 b Bonvillers Village",
            "16 t Bonvillers Village"
        ]
    );
    assert_eq!(
        libelles(&chercher("16B BONV").await),
        ["16 b Bonvillers Village"]
    );
    let b = &chercher("16b bonvillers").await[0];
    assert_eq!(b["cle_interop"], "54084_b114_00016_b");
    assert_eq!(b["commune_insee"], "54084");
    assert_eq!(b["position"], "entrée");
    assert_eq!(b["lon"], 5.841922);
    assert_eq!(b["x"], 906609.88);

    assert_eq!(chercher("rue joffre").await.len(), 29);
    assert_eq!(chercher("RUE JOFFRE").await.len(), 29);
    assert_eq!(libelles(&chercher("5 rue joffre").await), ["5 Rue Joffre"]);
    // Accents, hyphens and apostrophes do not matter.
    assert_eq!(chercher("rue jeanne-d'arc").await.len(), 34);
    assert_eq!(chercher("jeanne d’arc").await.len(), 34);
    assert_eq!(
        libelles(&chercher("3 ter bonvillers").await),
        ["3 ter Bonvillers Village", "3 ter Rue de Bonvillers"]
    );
    assert_eq!(
        libelles(&chercher("3 ter rue de bonvillers").await),
        ["3 ter Rue de Bonvillers"]
    );
    assert_eq!(
        libelles(&chercher("8 mai 1945").await),
        ["8 Impasse du 8 Mai 1945"]
    );
    // A number that is no address number is a word of the street.
    assert_eq!(chercher("1945 mai").await.len(), 17);
    assert!(chercher("rue inconnue").await.is_empty());

    // The default page of the autocomplete is short.
    let page = app.get("/api/v1/sig/adresses?q=rue").await;
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(20));

    // Without q, every address, page by page.
    let mut cursor: Option<String> = None;
    let mut total = 0;
    loop {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/sig/adresses?limit=50&cursor={c}"),
            None => "/api/v1/sig/adresses?limit=50".to_owned(),
        };
        let page = app.get(&uri).await;
        total += page.body["items"].as_array().map_or(0, Vec::len);
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(total, LIGNES_EXTRAIT as usize);

    // One address by its BAN key (as a usager's address keeps it) or by its id.
    let par_cle = app.get("/api/v1/sig/adresses/54084_0200_00001").await;
    assert_eq!(par_cle.status, StatusCode::OK);
    assert_eq!(par_cle.body["libelle"], "1 Rue Joffre");
    let id = par_cle.body["id"].as_str().expect("id");
    let par_id = app.get(&format!("/api/v1/sig/adresses/{id}")).await;
    assert_eq!(par_id.body["cle_interop"], "54084_0200_00001");
    let inconnue = app.get("/api/v1/sig/adresses/54084_9999_00001").await;
    assert_eq!(inconnue.status, StatusCode::NOT_FOUND);
    assert_eq!(inconnue.body["code"], "introuvable");

    let trop = app.get("/api/v1/sig/adresses?limit=0").await;
    assert_eq!(trop.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn addresses_are_a_geojson_map() {
    let app = app().await;
    importer(&app, EXTRAIT.as_bytes(), None).await;
    let carte = app.get("/api/v1/sig/adresses.geojson?q=rue+joffre").await;
    assert_eq!(carte.status, StatusCode::OK);
    assert_eq!(carte.content_type(), "application/geo+json");
    assert_eq!(carte.body["type"], "FeatureCollection");
    let features = carte.body["features"].as_array().expect("features");
    assert_eq!(features.len(), 29);
    let premiere = &features[0];
    assert_eq!(premiere["type"], "Feature");
    assert_eq!(premiere["geometry"]["type"], "Point");
    // RFC 7946: longitude first.
    assert_eq!(
        premiere["geometry"]["coordinates"],
        json!([5.833622, 49.322203])
    );
    assert_eq!(premiere["properties"]["cle_interop"], "54084_0200_00001");
    assert_eq!(premiere["properties"]["libelle"], "1 Rue Joffre");

    let page = app.get("/api/v1/sig/adresses.geojson?limit=100").await;
    assert_eq!(page.body["features"].as_array().map(Vec::len), Some(100));
    let suite = page.body["next_cursor"].as_str().expect("more");
    let fin = app
        .get(&format!(
            "/api/v1/sig/adresses.geojson?limit=100&cursor={suite}"
        ))
        .await;
    assert_eq!(
        fin.body["features"].as_array().map(Vec::len),
        Some(LIGNES_EXTRAIT as usize - 100)
    );
    assert!(fin.body.get("next_cursor").is_none());
}

/// A rectangle, WGS84, closed.
fn rectangle(ouest: f64, sud: f64, est: f64, nord: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[
        [ouest, sud], [est, sud], [est, nord], [ouest, nord], [ouest, sud]
    ]]})
}

#[tokio::test]
async fn an_address_resolves_to_the_bureau_that_covers_it() {
    let app = app().await;
    importer(&app, EXTRAIT.as_bytes(), None).await;

    // Bureau 1: the Mont, west of 5.837° E (rue Joffre, rue Jeanne d'Arc…).
    let bureau1 = app
        .post(
            "/api/v1/sig/zones",
            &json!({"nature": "bureau_de_vote", "reference": "bureau-1", "nom": "Bureau 1 — Mairie",
                    "geometrie": rectangle(5.826, 49.3205, 5.837, 49.3315)}),
        )
        .await;
    assert_eq!(bureau1.status, StatusCode::CREATED, "{}", bureau1.body);
    let id1 = bureau1.body["id"].as_str().expect("id").to_owned();
    assert_eq!(
        bureau1.headers["location"],
        format!("/api/v1/sig/zones/{id1}").as_str()
    );

    // Bureau 2, beside it to the east (Bonvillers), drawn in Lambert-93.
    let coin = |lon: f64, lat: f64| {
        let (x, y) = wgs84_vers_lambert93(lon, lat).expect("mainland");
        json!([x, y])
    };
    let bonvillers = json!({"type": "Polygon", "coordinates": [[
        coin(5.837, 49.3205), coin(5.845, 49.3205), coin(5.845, 49.3260),
        coin(5.837, 49.3260), coin(5.837, 49.3205)
    ]]});
    let bureau2 = app
        .post(
            "/api/v1/sig/zones",
            &json!({"nature": "bureau_de_vote", "reference": "bureau-2", "nom": "Bureau 2 — Bonvillers",
                    "geometrie": bonvillers, "systeme": "lambert93"}),
        )
        .await;
    assert_eq!(bureau2.status, StatusCode::CREATED, "{}", bureau2.body);
    // Stored in WGS84.
    let sommet = &bureau2.body["geometrie"]["coordinates"][0][0];
    assert!(
        (sommet[0].as_f64().expect("lon") - 5.837).abs() < 1e-7,
        "{sommet}"
    );

    // Another kind of area over the whole village.
    let secteur = app
        .post(
            "/api/v1/sig/zones",
            &json!({"nature": "secteur_scolaire", "reference": "ecole-du-mont", "nom": "École du Mont",
                    "geometrie": rectangle(5.82, 49.32, 5.85, 49.34)}),
        )
        .await;
    assert_eq!(secteur.status, StatusCode::CREATED, "{}", secteur.body);

    let zones_de = |requete: &str| {
        let uri = format!("/api/v1/sig/zones/recherche?{requete}");
        let app = &app;
        async move {
            let answer = app.get(&uri).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
            answer
        }
    };
    let references = |answer: &tests_assemblage::Answer| -> Vec<String> {
        answer.body["zones"]
            .as_array()
            .expect("zones")
            .iter()
            .map(|z| z["reference"].as_str().expect("reference").to_owned())
            .collect()
    };

    let joffre = zones_de("adresse=54084_0200_00001&nature=bureau_de_vote").await;
    assert_eq!(references(&joffre), ["bureau-1"]);
    assert_eq!(joffre.body["adresse"]["libelle"], "1 Rue Joffre");
    assert_eq!(
        joffre.body["point"],
        json!({"lon": 5.833622, "lat": 49.322203})
    );
    let village = zones_de("adresse=54084_b114_00016_b&nature=bureau_de_vote").await;
    assert_eq!(references(&village), ["bureau-2"]);
    // Every kind, by kind then name.
    let tout = zones_de("adresse=54084_b114_00016_b").await;
    assert_eq!(references(&tout), ["bureau-2", "ecole-du-mont"]);
    // By coordinates, in either system.
    assert_eq!(
        references(&zones_de("lon=5.833622&lat=49.322203&nature=bureau_de_vote").await),
        ["bureau-1"]
    );
    assert_eq!(
        references(&zones_de("x=906010.92&y=6917321.29&nature=bureau_de_vote").await),
        ["bureau-1"]
    );
    // Outside every bureau.
    assert!(references(&zones_de("lon=5.9&lat=49.4").await).is_empty());

    // Every address of the excerpt falls in exactly one bureau, the one on its side of 5.837° E.
    let adresses = app.get("/api/v1/sig/adresses?limit=500").await;
    for adresse in adresses.body["items"].as_array().expect("items") {
        let cle = adresse["cle_interop"].as_str().expect("key");
        let attendu = if adresse["lon"].as_f64().expect("lon") < 5.837 {
            "bureau-1"
        } else {
            "bureau-2"
        };
        let trouve = zones_de(&format!("adresse={cle}&nature=bureau_de_vote")).await;
        assert_eq!(references(&trouve), [attendu], "{cle}");
    }

    let mauvaises = [
        "lon=5.83",
        "lon=5.83&lat=49.32&adresse=54084_0200_00001",
        "x=5.83&y=49.32",
        "lon=500&lat=49.32",
    ];
    for requete in mauvaises {
        let answer = app
            .get(&format!("/api/v1/sig/zones/recherche?{requete}"))
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{requete}");
        assert_eq!(answer.body["code"], "parametre-invalide");
    }
    let inconnue = app
        .get("/api/v1/sig/zones/recherche?adresse=54084_0200_00099")
        .await;
    assert_eq!(inconnue.status, StatusCode::NOT_FOUND);

    // The map of the bureaux.
    let carte = app.get("/api/v1/sig/zones?nature=bureau_de_vote").await;
    assert_eq!(carte.content_type(), "application/geo+json");
    let features = carte.body["features"].as_array().expect("features");
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["reference"], "bureau-1");
    assert_eq!(features[0]["geometry"]["type"], "Polygon");
    assert_eq!(features[0]["id"], id1.as_str());

    // One outline per bureau.
    let encore = app
        .post(
            "/api/v1/sig/zones",
            &json!({"nature": "bureau_de_vote", "reference": "bureau-1", "nom": "Bureau 1",
                    "geometrie": rectangle(5.82, 49.32, 5.83, 49.33)}),
        )
        .await;
    assert_eq!(encore.status, StatusCode::CONFLICT);
    assert_eq!(encore.body["code"], "zone-existante");

    // Another collectivité sees none of it.
    app.commune("54085", "Autre commune").await;
    let ailleurs = app.get_for("54085", "/api/v1/sig/zones").await;
    assert_eq!(ailleurs.body["features"], json!([]));
    let ailleurs = app
        .get_for("54085", "/api/v1/sig/adresses/54084_0200_00001")
        .await;
    assert_eq!(ailleurs.status, StatusCode::NOT_FOUND);

    // Deleting frees the reference; both changes are journaled.
    let supprime = app
        .send(
            Method::DELETE,
            &format!("/api/v1/sig/zones/{id1}"),
            &[],
            None,
        )
        .await;
    assert_eq!(supprime.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/sig/zones/{id1}")).await.status,
        StatusCode::NOT_FOUND
    );
    let journal = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=sig.zone&objet_id={id1}"
        ))
        .await;
    let texte = journal.body.to_string();
    assert!(
        texte.contains("creation") && texte.contains("suppression"),
        "{texte}"
    );
    assert_eq!(
        references(&zones_de("adresse=54084_0200_00001&nature=bureau_de_vote").await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn invalid_areas_say_which_field_and_why() {
    let app = app().await;
    collectivite(&app).await;
    let ouvert =
        json!({"type": "Polygon", "coordinates": [[[5.82, 49.32], [5.84, 49.32], [5.84, 49.33]]]});
    let answer = app
        .post(
            "/api/v1/sig/zones",
            &json!({"nature": "Bureau de vote", "reference": " ", "nom": "B", "geometrie": ouvert}),
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    let champs: Vec<&str> = answer.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(champs, ["nature", "reference", "geometrie"]);

    let point = json!({"nature": "bureau_de_vote", "reference": "b1", "nom": "B",
                       "geometrie": {"type": "Point", "coordinates": [5.83, 49.32]}});
    let answer = app.post("/api/v1/sig/zones", &point).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body["errors"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Polygon ou MultiPolygon")),
        "{}",
        answer.body
    );
    // Lambert-93 coordinates sent as WGS84.
    let lambert = json!({"nature": "bureau_de_vote", "reference": "b1", "nom": "B",
                         "geometrie": rectangle(906000.0, 6917300.0, 906100.0, 6917400.0)});
    let answer = app.post("/api/v1/sig/zones", &lambert).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn permissions_are_enforced() {
    let app = app().await;
    importer(&app, EXTRAIT.as_bytes(), None).await;
    let lecteur = app.jeton("54084", &["sig.adresse.lire"]).await;
    let answer = app
        .get_as(Some(&lecteur), "/api/v1/sig/adresses?q=rue+joffre")
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let answer = app
        .post_as(
            Some(&lecteur),
            "/api/v1/sig/zones",
            &json!({"nature": "bureau_de_vote", "reference": "b1", "nom": "B",
                    "geometrie": rectangle(5.82, 49.32, 5.83, 49.33)}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = app
        .get_as(
            Some(&lecteur),
            "/api/v1/sig/zones/recherche?lon=5.83&lat=49.32",
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_as(None, "/api/v1/sig/adresses").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bad_lines_are_rejected_with_their_reasons() {
    let app = app().await;
    // The kinds of faults BAL validators meet, in a file with a BOM and CRLF line ends.
    let fichier = [
        "\u{feff}cle_interop;uid_adresse;voie_nom;numero;suffixe;commune_nom;position;x;y;long;lat;source;date_der_maj",
        "A4084_0200_00001;;Rue Joffre;1;;Mont-Bonvillers;entrée;906010.92;6917321.29;5.833622;49.322203;test;2024-01-01",
        "00000_0200_00002;;Rue Joffre;2;;Mont-Bonvillers;segment;906030.59;6917318.43;5.833891;49.322171;test;",
        "54084_0200_4;;Rue Joffre;4;;Mont-Bonvillers;entrée;906003.4;6917309.89;5.833513;49.322103;test;",
        "54084_0200_00005;;Rue Joffre;5;;Mont-Bonvillers;xyz;905995.7;6917323.64;5.833414;49.322229;test;",
        "54084_0200_00006_BIS;;Rue Joffre;6;;Mont-Bonvillers;segment;906035.14;6917308.07;5.833951;49.322078;test;",
        "54084_0200_00007;;Rue Joffre;7,0000000000;;Mont-Bonvillers;entrée;905992.99;6917327.61;5.833377;49.322265;test;",
        "54084_0200_00008;;Rue Joffre;8;;Mont-Bonvillers;Entrée;906042.51;6917301.11;5.834052;49.322015;test;",
        "54084_0200_00009;;Rue Joffre;9;;Mont-Bonvillers;entrée;abc;6917330.2;5.833336;49.322289;test;",
        "54084_0200_00010;;Rue Joffre;10;;Mont-Bonvillers;entrée;6917301.11;906042.51;;;test;",
        "54084_0200_00011;;Rue Joffre;11;;Mont-Bonvillers;entrée;906042.51;6917301.11;5.9;49.322015;test;",
        "54084_0200_00008;;Rue Joffre;8;;Mont-Bonvillers;entrée;906042.51;6917301.11;5.834052;49.322015;test;",
        "54084_0200_00012;;;12;;Mont-Bonvillers;entrée;906042.51;6917301.11;5.834052;49.322015;test;",
    ]
    .join("\r\n");
    let mut rejets = Vec::new();
    let bilan = importer(&app, fichier.as_bytes(), Some(&mut rejets)).await;
    assert_eq!((bilan.lignes, bilan.creees, bilan.rejetees), (12, 1, 11));
    let motifs: Vec<(u64, &str)> = bilan
        .exemples_rejets
        .iter()
        .map(|r| (r.ligne, r.motif.as_str()))
        .collect();
    let attendus = [
        (2, "« A4084 » n'est pas un code de commune"),
        (3, "« 00000 » n'est pas un code de commune"),
        (4, "numéro sur 5 chiffres attendu (« 00004 »)"),
        (5, "position « xyz » inconnue"),
        (6, "suffixe « bis » différent de la colonne suffixe"),
        (7, "numero « 7,0000000000 » : entier de 0 à 99999 attendu"),
        (9, "x « abc » : nombre décimal attendu"),
        (10, "hors de France métropolitaine"),
        (11, "désignent deux points distants de"),
        (12, "déjà donnée à la ligne 8"),
        (13, "voie_nom manquant"),
    ];
    assert_eq!(motifs.len(), attendus.len(), "{motifs:?}");
    for ((ligne, motif), (ligne_attendue, extrait)) in motifs.iter().zip(attendus) {
        assert_eq!(*ligne, ligne_attendue, "{motifs:?}");
        assert!(motif.contains(extrait), "line {ligne}: {motif}");
    }
    // Only 8 rue Joffre, « Entrée » written with a capital, is imported.
    let huit = app.get("/api/v1/sig/adresses/54084_0200_00008").await;
    assert_eq!(huit.body["position"], "entrée");

    let rejets = String::from_utf8(rejets).expect("UTF-8");
    let mut lignes = rejets.lines();
    assert_eq!(
        lignes.next(),
        Some(
            "ligne;cle_interop;uid_adresse;voie_nom;numero;suffixe;commune_nom;position;x;y;long;lat;source;date_der_maj;motif"
        )
    );
    let premiere = lignes.next().expect("first reject");
    assert!(
        premiere.starts_with("2;A4084_0200_00001;;Rue Joffre;1;"),
        "{premiere}"
    );
    assert_eq!(lignes.count(), 10);

    // A file that is not an address file stops at once.
    let coll = collectivite(&app).await;
    let err = importer_ban(
        app.state.db(),
        coll,
        Cursor::new(b"nom;prenom\nDurand;Paul\n".to_vec()),
        None,
        app.state.clock().now(),
        &mut |_| {},
    )
    .await
    .expect_err("not a BAN file");
    assert!(err.to_string().contains("cle_interop"), "{err}");
}

#[tokio::test]
async fn the_bal_validators_error_sample_is_sorted_out() {
    let Some(path) = partage("bal-sample-with-errors.csv") else {
        return;
    };
    let app = app().await;
    let texte = std::fs::read(path).expect("readable");
    let bilan = importer(&app, &texte, None).await;
    // Only the two well-formed addresses of Acigné pass.
    assert_eq!((bilan.lignes, bilan.creees, bilan.rejetees), (15, 2, 13));
    let motif = |ligne: u64| {
        bilan
            .exemples_rejets
            .iter()
            .find(|r| r.ligne == ligne)
            .map(|r| r.motif.clone())
            .unwrap_or_default()
    };
    assert!(motif(2).contains("« A7482 » n'est pas un code de commune"));
    assert!(motif(3).contains("« 00000 » n'est pas un code de commune"));
    assert!(motif(7).contains("position « ddfdf » inconnue"));
    assert!(motif(12).contains("numéro sur 5 chiffres attendu"));
    assert!(motif(15).contains("suffixe « 3djsoi5 » différent"));
    assert!(motif(16).contains("numero « 163,0000000000 »"));
    let acigne = app.get("/api/v1/sig/adresses?q=ella+maillart").await;
    assert_eq!(acigne.body["items"].as_array().map(Vec::len), Some(2));
}
