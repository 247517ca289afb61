//! The places of a cemetery through HTTP: zones, allées, emplacements of every kind, the
//! checks on each, the plan in GeoJSON and the photos of an emplacement in the GED.

use axum::http::StatusCode;
use serde_json::{Value, json};
use tests_assemblage::TestApp;

#[path = "cimetiere/parente.rs"]
mod parente;

const A: &str = "54084";
const B: &str = "54395";

/// A square of about 2 m around a point of Mont-Bonvillers, in WGS84.
fn carre(dx: f64) -> Value {
    let (lon, lat) = (5.8336 + dx, 49.3222);
    let d = 0.00002;
    json!({"type": "Polygon", "coordinates": [[
        [lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]
    ]]})
}

fn id(reponse: &Value) -> String {
    reponse["id"].as_str().expect("id").to_owned()
}

async fn cimetiere(app: &TestApp, nom: &str) -> String {
    let cree = app
        .post("/api/v1/cimetiere/cimetieres", &json!({"nom": nom}))
        .await;
    assert_eq!(cree.status, StatusCode::CREATED, "{:?}", cree.body);
    id(&cree.body)
}

#[tokio::test]
async fn a_cemetery_is_laid_out_in_zones_allees_and_emplacements() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let communal = cimetiere(&app, "Cimetière communal").await;
    let autre = cimetiere(&app, "Cimetière de Bonvillers").await;
    let base = format!("/api/v1/cimetiere/cimetieres/{communal}");

    let zone = app
        .post(
            &format!("{base}/zones"),
            &json!({"code": "A", "nom": "Carré ancien", "geometrie": carre(0.0)}),
        )
        .await;
    assert_eq!(zone.status, StatusCode::CREATED, "{:?}", zone.body);
    let zone_a = id(&zone.body);
    assert_eq!(zone.body["geometrie"]["type"], "Polygon");
    let doublon = app
        .post(&format!("{base}/zones"), &json!({"code": "A"}))
        .await;
    assert_eq!(doublon.status, StatusCode::CONFLICT);
    assert_eq!(doublon.body["code"], "code-existant");
    let ouvert = app
        .post(
            &format!("{base}/zones"),
            &json!({"code": "B", "geometrie": {"type": "Polygon", "coordinates": [[[5.8, 49.3], [5.9, 49.3], [5.9, 49.4]]]}}),
        )
        .await;
    assert_eq!(ouvert.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ouvert.body["errors"][0]["field"], "geometrie");
    let zone_autre = id(&app
        .post(
            &format!("/api/v1/cimetiere/cimetieres/{autre}/zones"),
            &json!({"code": "A"}),
        )
        .await
        .body);

    let allee = app
        .post(
            &format!("/api/v1/cimetiere/zones/{zone_a}/allees"),
            &json!({"code": "3", "nom": "Allée des Tilleuls"}),
        )
        .await;
    assert_eq!(allee.status, StatusCode::CREATED, "{:?}", allee.body);
    let allee_3 = id(&allee.body);
    let allee_ailleurs = id(&app
        .post(
            &format!("/api/v1/cimetiere/zones/{zone_autre}/allees"),
            &json!({"code": "1"}),
        )
        .await
        .body);
    let allees = app
        .get(&format!("/api/v1/cimetiere/zones/{zone_a}/allees"))
        .await;
    assert_eq!(allees.body.as_array().map(Vec::len), Some(1));

    // Every kind of emplacement.
    let emplacements = format!("{base}/emplacements");
    for (i, (numero, nature, places)) in [
        ("A-3-1", "concession", 4),
        ("A-3-2", "case_columbarium", 2),
        ("A-3-3", "cavurne", 4),
        ("A-3-4", "enfeu", 1),
        ("A-OSS", "ossuaire", 500),
        ("A-DEP", "depositoire", 6),
        ("A-TC-1", "terrain_commun", 1),
    ]
    .into_iter()
    .enumerate()
    {
        let cree = app
            .post(
                &emplacements,
                &json!({
                    "zone_id": zone_a, "allee_id": allee_3, "numero": numero,
                    "nature": nature, "places": places, "surface_m2": 2.5,
                    "geometrie": carre(0.0001 * (i as f64 + 1.0)),
                }),
            )
            .await;
        assert_eq!(
            cree.status,
            StatusCode::CREATED,
            "{numero}: {:?}",
            cree.body
        );
        assert_eq!(cree.body["nature"], nature);
        assert_eq!(cree.body["places"], places);
    }

    // Refusals, each naming its field.
    let refus = |corps: Value| {
        let (app, uri) = (&app, emplacements.clone());
        async move { app.post(&uri, &corps).await }
    };
    let deux_cercueils = refus(
        json!({"zone_id": zone_a, "numero": "A-TC-2", "nature": "terrain_commun", "places": 2}),
    )
    .await;
    assert_eq!(deux_cercueils.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(deux_cercueils.body["errors"][0]["code"], "terrain-commun");
    assert!(
        deux_cercueils.body["errors"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("R2223-3"))
    );
    let zone_etrangere =
        refus(json!({"zone_id": zone_autre, "numero": "X-1", "nature": "concession"})).await;
    assert_eq!(zone_etrangere.body["errors"][0]["code"], "autre-cimetiere");
    let allee_etrangere = refus(json!({"zone_id": zone_a, "allee_id": allee_ailleurs, "numero": "X-2", "nature": "concession"})).await;
    assert_eq!(allee_etrangere.body["errors"][0]["field"], "allee_id");
    let sans_place =
        refus(json!({"zone_id": zone_a, "numero": "X-3", "nature": "concession", "places": 0}))
            .await;
    assert_eq!(sans_place.body["errors"][0]["field"], "places");
    let nature_inconnue =
        refus(json!({"zone_id": zone_a, "numero": "X-4", "nature": "caveau"})).await;
    assert_eq!(nature_inconnue.status, StatusCode::UNPROCESSABLE_ENTITY);
    let meme_numero =
        refus(json!({"zone_id": zone_a, "numero": "A-3-1", "nature": "concession"})).await;
    assert_eq!(meme_numero.status, StatusCode::CONFLICT);

    // Lists by kind, and the plan of the whole cemetery.
    let concessions = app.get(&format!("{emplacements}?nature=concession")).await;
    assert_eq!(concessions.body["items"].as_array().map(Vec::len), Some(1));
    let toutes = app
        .get(&format!("{emplacements}?zone_id={zone_a}&limit=500"))
        .await;
    assert_eq!(toutes.body["items"].as_array().map(Vec::len), Some(7));
    let plan = app.get(&format!("{base}/plan")).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert_eq!(plan.content_type(), "application/geo+json");
    let objets: Vec<&str> = plan.body["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["objet"].as_str())
        .collect();
    assert_eq!(objets.iter().filter(|o| **o == "zone").count(), 1);
    assert_eq!(objets.iter().filter(|o| **o == "emplacement").count(), 7);

    // Another collectivité sees none of it.
    app.commune(B, "Longuyon").await;
    assert_eq!(
        app.get_for(B, &format!("{base}/zones")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_emplacement_keeps_its_photos_for_those_who_may_read_it() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    let emplacement = emplacement(&app, &base, &zone, "A-1", "concession", 2).await;
    let photo = app
        .formulaire(
            None,
            "/api/v1/ged/documents",
            &[
                ("titre", "Photo de la sépulture"),
                ("type_document", "photo"),
                ("module", "cimetiere"),
                ("objet_type", "emplacement"),
                ("objet_id", &emplacement),
            ],
            Some((
                "sepulture.png",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
            )),
        )
        .await;
    assert_eq!(photo.status, StatusCode::CREATED, "{:?}", photo.body);
    let contenu = format!(
        "/api/v1/ged/documents/{}/contenu",
        photo.body["id"].as_str().expect("id")
    );
    let ged_seule = app.jeton(A, &["ged.document.lire"]).await;
    let refuse = app.get_as(Some(&ged_seule), &contenu).await;
    assert_eq!(refuse.status, StatusCode::FORBIDDEN);
    let agent = app
        .jeton(A, &["ged.document.lire", "cimetiere.emplacement.lire"])
        .await;
    assert_eq!(
        app.get_as(Some(&agent), &contenu).await.status,
        StatusCode::OK
    );
    // Reading is not managing.
    let cree = app
        .post_as(
            Some(&agent),
            &format!("{base}/emplacements"),
            &json!({"zone_id": zone, "numero": "A-2", "nature": "concession"}),
        )
        .await;
    assert_eq!(cree.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_tariff_in_force_is_the_latest_one_on_the_date() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let tarifs = "/api/v1/cimetiere/tarifs";
    for corps in [
        json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2020-01-01", "deliberation": "2019-52"}),
        json!({"type_concession": "trentenaire", "montant_centimes": 36000, "date_effet": "2027-01-01", "deliberation": "2026-41"}),
        json!({"type_concession": "temporaire", "duree_ans": 15, "montant_centimes": 12000, "date_effet": "2020-01-01"}),
        json!({"type_concession": "perpetuelle", "montant_centimes": 150000, "date_effet": "2020-01-01"}),
        json!({"type_concession": "perpetuelle", "propose": false, "date_effet": "2026-07-01", "deliberation": "2026-20 : fin des perpétuelles"}),
        json!({"type_concession": "trentenaire", "nature_emplacement": "case_columbarium", "montant_centimes": 80000, "date_effet": "2020-01-01"}),
    ] {
        let cree = app.post(tarifs, &corps).await;
        assert_eq!(cree.status, StatusCode::CREATED, "{corps}: {:?}", cree.body);
    }
    let offre = |date: &'static str| {
        let app = &app;
        async move {
            let reponse = app.get(&format!("{tarifs}/en-vigueur?date={date}")).await;
            assert_eq!(reponse.status, StatusCode::OK, "{:?}", reponse.body);
            reponse
                .body
                .as_array()
                .expect("offer")
                .iter()
                .map(|l| {
                    format!(
                        "{} {} {} {}",
                        l["nature_emplacement"].as_str().unwrap_or_default(),
                        l["type_concession"].as_str().unwrap_or_default(),
                        l["duree_ans"],
                        l["montant_centimes"]
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // The day before the new 30-year price, and its first day.
    assert!(
        offre("2026-12-31")
            .await
            .contains(&"concession trentenaire 30 30000".to_owned())
    );
    assert!(
        offre("2027-01-01")
            .await
            .contains(&"concession trentenaire 30 36000".to_owned())
    );
    // Perpetual concessions: offered until 30 June 2026, withdrawn from 1 July.
    assert!(
        offre("2026-06-30")
            .await
            .contains(&"concession perpetuelle 0 150000".to_owned())
    );
    assert!(
        !offre("2026-07-01")
            .await
            .iter()
            .any(|l| l.contains("perpetuelle"))
    );
    // Before any deliberation, nothing is offered.
    assert!(offre("2019-12-31").await.is_empty());
    assert_eq!(
        offre("2026-11-24").await,
        [
            "case_columbarium trentenaire 30 80000",
            "concession temporaire 15 12000",
            "concession trentenaire 30 30000",
        ]
    );

    // The law's limits on kinds and durations.
    let refus = |corps: Value| {
        let app = &app;
        async move { app.post(tarifs, &corps).await }
    };
    let seize_ans = refus(json!({"type_concession": "temporaire", "duree_ans": 16, "montant_centimes": 1, "date_effet": "2027-01-01"})).await;
    assert_eq!(seize_ans.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(seize_ans.body["errors"][0]["field"], "duree_ans");
    assert!(
        seize_ans.body["errors"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("15 ans au plus"))
    );
    let quinze_ans = refus(json!({"type_concession": "temporaire", "duree_ans": 15, "montant_centimes": 13000, "date_effet": "2027-01-01"})).await;
    assert_eq!(quinze_ans.status, StatusCode::CREATED);
    let trente_et_un = refus(json!({"type_concession": "trentenaire", "duree_ans": 31, "montant_centimes": 1, "date_effet": "2027-01-01"})).await;
    assert_eq!(trente_et_un.body["errors"][0]["code"], "duree");
    let sans_prix =
        refus(json!({"type_concession": "cinquantenaire", "date_effet": "2027-01-01"})).await;
    assert_eq!(sans_prix.body["errors"][0]["field"], "montant_centimes");
    let ossuaire = refus(json!({"type_concession": "trentenaire", "nature_emplacement": "ossuaire", "montant_centimes": 1, "date_effet": "2027-01-01"})).await;
    assert_eq!(ossuaire.body["errors"][0]["code"], "non-concessible");
    let deux_fois = refus(json!({"type_concession": "trentenaire", "montant_centimes": 1, "date_effet": "2027-01-01"})).await;
    assert_eq!(deux_fois.status, StatusCode::CONFLICT);

    let lecteur = app.jeton(A, &["cimetiere.cimetiere.lire"]).await;
    assert_eq!(
        app.post_as(
            Some(&lecteur),
            tarifs,
            &json!({"type_concession": "cinquantenaire", "montant_centimes": 1, "date_effet": "2027-01-01"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(Some(&lecteur), tarifs).await.status,
        StatusCode::OK
    );
}

async fn usager(app: &TestApp, nom: &str) -> String {
    let cree = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": nom, "prenoms": "Paul", "date_naissance": "1950-04-04"}),
        )
        .await;
    assert_eq!(cree.status, StatusCode::CREATED, "{:?}", cree.body);
    id(&cree.body)
}

#[tokio::test]
async fn a_concession_is_sold_at_the_tariff_of_its_date_on_a_free_emplacement() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    let mut emplacements = Vec::new();
    for (numero, nature) in [
        ("A-1", "concession"),
        ("A-2", "concession"),
        ("A-3", "concession"),
        ("OSS", "ossuaire"),
    ] {
        let cree = app
            .post(
                &format!("{base}/emplacements"),
                &json!({"zone_id": zone, "numero": numero, "nature": nature, "places": 3}),
            )
            .await;
        emplacements.push(id(&cree.body));
    }
    for corps in [
        json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2020-01-01"}),
        json!({"type_concession": "trentenaire", "montant_centimes": 36000, "date_effet": "2026-11-24"}),
        json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 5000, "date_effet": "2015-01-01"}),
    ] {
        assert_eq!(
            app.post("/api/v1/cimetiere/tarifs", &corps).await.status,
            StatusCode::CREATED
        );
    }
    let titulaire = usager(&app, "MARTIN").await;
    let vendre = |corps: Value| {
        let app = &app;
        async move { app.post("/api/v1/cimetiere/concessions", &corps).await }
    };
    let acte = |numero: &str, emplacement: &str, date: &str| {
        json!({
            "emplacement_id": emplacement, "numero_acte": numero, "date_acte": date,
            "type_concession": "trentenaire", "forme": "familiale",
            "concessionnaire_id": titulaire,
            "personnes": [
                {"role": "ayant_droit", "nom": "Jeanne MARTIN", "lien": "fille"},
                {"role": "exclu", "nom": "Marc DURAND", "lien": "gendre"}
            ]
        })
    };

    // The day before the new price, then its first day.
    let veille = vendre(acte("2026-001", &emplacements[0], "2026-11-23")).await;
    assert_eq!(veille.status, StatusCode::CREATED, "{:?}", veille.body);
    assert_eq!(veille.body["montant_centimes"], 30000);
    assert_eq!(veille.body["date_echeance"], "2056-11-23");
    assert_eq!(veille.body["personnes"].as_array().map(Vec::len), Some(2));
    let jour = vendre(acte("2026-002", &emplacements[1], "2026-11-24")).await;
    assert_eq!(jour.body["montant_centimes"], 36000);
    let demain = vendre(acte("2026-003", &emplacements[2], "2026-11-25")).await;
    assert_eq!(demain.body["errors"][0]["field"], "date_acte");

    // The emplacement is taken; the act number too.
    let deja = vendre(acte("2026-004", &emplacements[0], "2026-11-24")).await;
    assert_eq!(deja.status, StatusCode::CONFLICT);
    assert_eq!(deja.body["code"], "emplacement-concede");
    let meme_acte = vendre(acte("2026-001", &emplacements[2], "2026-11-24")).await;
    assert_eq!(meme_acte.status, StatusCode::CONFLICT);
    assert_eq!(meme_acte.body["code"], "code-existant");

    // What the law and the commune's offer refuse.
    let mut ossuaire = acte("2026-005", &emplacements[3], "2026-11-24");
    ossuaire["forme"] = json!("familiale");
    assert_eq!(
        vendre(ossuaire).await.body["errors"][0]["code"],
        "non-concessible"
    );
    let mut dix_ans = acte("2026-006", &emplacements[2], "2026-11-24");
    dix_ans["type_concession"] = json!("temporaire");
    dix_ans["duree_ans"] = json!(10);
    let non_propose = vendre(dix_ans).await;
    assert_eq!(non_propose.body["errors"][0]["code"], "non-propose");
    let mut inconnu = acte("2026-007", &emplacements[2], "2026-11-24");
    inconnu["concessionnaire_id"] = json!(uuid::Uuid::now_v7());
    assert_eq!(
        vendre(inconnu).await.body["errors"][0]["field"],
        "concessionnaire_id"
    );
    let mut individuelle = acte("2026-008", &emplacements[2], "2026-11-24");
    individuelle["forme"] = json!("individuelle");
    let refus = vendre(individuelle).await;
    let champs: Vec<&str> = refus.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert_eq!(champs, ["exclusion", "individuelle"]);
    let mut collective = acte("2026-009", &emplacements[2], "2026-11-24");
    collective["forme"] = json!("collective");
    collective["personnes"] = json!([{"role": "nomme", "nom": "Paul MARTIN"}]);
    assert_eq!(
        vendre(collective).await.body["errors"][0]["code"],
        "collective"
    );

    // The concessionnaire's record lists it; reading it needs its permission.
    let lue = app
        .get(&format!(
            "/api/v1/cimetiere/concessions/{}",
            id(&veille.body)
        ))
        .await;
    assert_eq!(lue.body["personnes"][1]["role"], "exclu");
    let historique = app
        .get(&format!(
            "/api/v1/cimetiere/emplacements/{}/concessions",
            emplacements[0]
        ))
        .await;
    assert_eq!(historique.body[0]["personnes"], lue.body["personnes"]);
    let autre = app
        .get(&format!(
            "/api/v1/cimetiere/emplacements/{}/concessions",
            emplacements[1]
        ))
        .await;
    assert_eq!(autre.body[0]["numero_acte"], "2026-002");
    assert_eq!(autre.body[0]["personnes"].as_array().map(Vec::len), Some(2));
    let liens = app.get(&format!("/api/v1/usagers/{titulaire}")).await;
    assert!(
        liens.body.to_string().contains("2026-001"),
        "{:?}",
        liens.body
    );
    // Its title, read back from the PDF.
    let titre = app
        .get(&format!(
            "/api/v1/cimetiere/concessions/{}/titre",
            id(&veille.body)
        ))
        .await;
    let texte = tests_assemblage::texte_pdf(&titre);
    for attendu in [
        "2026-001",
        "MARTIN",
        "trentenaire familiale",
        "23 novembre 2026",
        "23 novembre 2056",
        "300,00",
        "Jeanne MARTIN (fille)",
        "Marc DURAND (gendre) — exclue par le titulaire",
    ] {
        assert!(
            texte.contains(attendu),
            "« {attendu} » missing from: {texte}"
        );
    }
    let sans_droit = app.jeton(A, &["cimetiere.cimetiere.lire"]).await;
    assert_eq!(
        app.get_as(
            Some(&sans_droit),
            &format!("/api/v1/cimetiere/concessions/{}", id(&veille.body))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_expired_concession_holds_its_emplacement_two_full_years() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    let emplacement = emplacement(&app, &base, &zone, "A-1", "concession", 2).await;
    for corps in [
        json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 5000, "date_effet": "2015-01-01"}),
        json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    ] {
        app.post("/api/v1/cimetiere/tarifs", &corps).await;
    }
    let titulaire = usager(&app, "PETIT").await;
    let acte = |numero: &str, date: &str, type_concession: &str, duree: Option<i32>| {
        json!({
            "emplacement_id": emplacement, "numero_acte": numero, "date_acte": date,
            "type_concession": type_concession, "duree_ans": duree,
            "forme": "individuelle", "concessionnaire_id": titulaire,
            "personnes": [{"role": "nomme", "nom": "Paul PETIT"}]
        })
    };
    // Five years from 23 November 2019: expired on 23 November 2024.
    let ancienne = app
        .post(
            "/api/v1/cimetiere/concessions",
            &acte("2019-017", "2019-11-23", "temporaire", Some(5)),
        )
        .await;
    assert_eq!(ancienne.status, StatusCode::CREATED, "{:?}", ancienne.body);
    assert_eq!(ancienne.body["date_echeance"], "2024-11-23");
    // The last day of the two years after expiry: still held.
    let trop_tot = app
        .post(
            "/api/v1/cimetiere/concessions",
            &acte("2026-050", "2026-11-22", "trentenaire", None),
        )
        .await;
    assert_eq!(trop_tot.status, StatusCode::CONFLICT, "{:?}", trop_tot.body);
    assert!(
        trop_tot.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2024-11-23") && d.contains("L2223-15"))
    );
    // Two full years after expiry: free again.
    let apres = app
        .post(
            "/api/v1/cimetiere/concessions",
            &acte("2026-051", "2026-11-23", "trentenaire", None),
        )
        .await;
    assert_eq!(apres.status, StatusCode::CREATED, "{:?}", apres.body);
    let historique = app
        .get(&format!(
            "/api/v1/cimetiere/emplacements/{emplacement}/concessions"
        ))
        .await;
    let actes: Vec<&str> = historique
        .body
        .as_array()
        .expect("concessions")
        .iter()
        .filter_map(|c| c["numero_acte"].as_str())
        .collect();
    assert_eq!(actes, ["2019-017", "2026-051"]);
}

#[tokio::test]
async fn a_concession_is_renewed_from_its_expiry_for_two_full_years_at_the_day_s_tariff() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    for corps in [
        json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 5000, "date_effet": "2015-01-01"}),
        json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 6000, "date_effet": "2024-12-01"}),
        json!({"type_concession": "perpetuelle", "montant_centimes": 150000, "date_effet": "2015-01-01"}),
    ] {
        app.post("/api/v1/cimetiere/tarifs", &corps).await;
    }
    let titulaire = usager(&app, "LEROY").await;
    let mut concessions = Vec::new();
    for (i, (date, type_concession)) in [
        ("2019-11-24", "temporaire"),
        ("2019-12-01", "temporaire"),
        ("2019-11-30", "temporaire"),
        ("2019-11-24", "perpetuelle"),
    ]
    .into_iter()
    .enumerate()
    {
        let emplacement = emplacement(&app, &base, &zone, &format!("A-{i}"), "concession", 1).await;
        let vendue = app
            .post(
                "/api/v1/cimetiere/concessions",
                &json!({
                    "emplacement_id": emplacement, "numero_acte": format!("2019-{i}"),
                    "date_acte": date, "type_concession": type_concession,
                    "duree_ans": (type_concession == "temporaire").then_some(5),
                    "forme": "familiale", "concessionnaire_id": titulaire,
                }),
            )
            .await;
        assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
        concessions.push(id(&vendue.body));
    }
    let renouveler = |concession: &str, date: &str| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/concessions/{concession}/renouvellements"),
        );
        let corps = json!({"date": date});
        async move { app.post(&uri, &corps).await }
    };

    // Expired on 24 November 2024: the day before is too early, the day after the two full
    // years too late, their last day is in time.
    let tot = renouveler(&concessions[0], "2024-11-23").await;
    assert_eq!(tot.status, StatusCode::CONFLICT);
    assert_eq!(tot.body["code"], "renouvellement-premature");
    let tard = renouveler(&concessions[0], "2026-11-24").await;
    assert_eq!(tard.status, StatusCode::CONFLICT);
    assert_eq!(tard.body["code"], "renouvellement-forclos");
    assert!(
        tard.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-23") && d.contains("L2223-15")),
        "{:?}",
        tard.body
    );
    let dernier_jour = renouveler(&concessions[0], "2026-11-23").await;
    assert_eq!(
        dernier_jour.status,
        StatusCode::CREATED,
        "{:?}",
        dernier_jour.body
    );
    assert_eq!(dernier_jour.body["ancienne_echeance"], "2024-11-24");
    assert_eq!(dernier_jour.body["nouvelle_echeance"], "2029-11-24");
    assert_eq!(dernier_jour.body["montant_centimes"], 6000);
    let apres = app
        .get(&format!("/api/v1/cimetiere/concessions/{}", concessions[0]))
        .await;
    assert_eq!(apres.body["date_echeance"], "2029-11-24");
    // Renewed: the next window opens at the new expiry.
    let encore = renouveler(&concessions[0], "2026-11-23").await;
    assert_eq!(encore.body["code"], "renouvellement-premature");

    // The tariff of the renewal's own day: the new price starts on 1 December 2024.
    let veille = renouveler(&concessions[2], "2024-11-30").await;
    assert_eq!(veille.status, StatusCode::CREATED, "{:?}", veille.body);
    assert_eq!(veille.body["montant_centimes"], 5000);
    let premier_jour = renouveler(&concessions[1], "2024-12-01").await;
    assert_eq!(premier_jour.body["montant_centimes"], 6000);

    // A perpetual concession has nothing to renew; dates are not in the future.
    let perpetuelle = renouveler(&concessions[3], "2026-11-24").await;
    assert_eq!(perpetuelle.body["code"], "concession-perpetuelle");
    let futur = renouveler(&concessions[1], "2026-11-25").await;
    assert_eq!(futur.body["errors"][0]["field"], "date");

    let historique = app
        .get(&format!(
            "/api/v1/cimetiere/concessions/{}/renouvellements",
            concessions[0]
        ))
        .await;
    assert_eq!(historique.body.as_array().map(Vec::len), Some(1));
}

/// A cemetery named `nom` with a zone `A`: the cemetery's routes prefix and the zone's id.
/// Creates the emplacement `numero` of `nature` with `places` in the zone `zone` of the
/// cemetery at `base`; its id.
async fn emplacement(
    app: &TestApp,
    base: &str,
    zone: &str,
    numero: &str,
    nature: &str,
    places: i32,
) -> String {
    let cree = app
        .post(
            &format!("{base}/emplacements"),
            &json!({"zone_id": zone, "numero": numero, "nature": nature, "places": places}),
        )
        .await;
    assert_eq!(cree.status, StatusCode::CREATED, "{:?}", cree.body);
    id(&cree.body)
}

async fn cimetiere_et_zone(app: &TestApp, nom: &str) -> (String, String) {
    let base = format!("/api/v1/cimetiere/cimetieres/{}", cimetiere(app, nom).await);
    let zone = app
        .post(&format!("{base}/zones"), &json!({"code": "A"}))
        .await;
    assert_eq!(zone.status, StatusCode::CREATED, "{:?}", zone.body);
    (base, id(&zone.body))
}

#[tokio::test]
async fn expiries_are_listed_by_period_and_each_has_its_renewal_letter() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (communal, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    let (bonvillers, zone_b) = cimetiere_et_zone(&app, "Cimetière de Bonvillers").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 5000, "date_effet": "2015-01-01"}),
    )
    .await;
    let titulaire = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "FONTAINE", "prenoms": "Hélène", "sexe": "F",
                    "date_naissance": "1950-04-04",
                    "adresses": [{"libelle": "3 rue Joffre", "code_postal": "54111", "commune": "Mont-Bonvillers"}]}),
        )
        .await;
    assert_eq!(
        titulaire.status,
        StatusCode::CREATED,
        "{:?}",
        titulaire.body
    );
    let titulaire = id(&titulaire.body);
    let mut par_echeance = std::collections::BTreeMap::new();
    // Acts five years before: expiries yesterday, today, in a year, a year and a day, and
    // one in the other cemetery.
    for (i, (acte, base, zone)) in [
        ("2021-11-23", &communal, &zone),
        ("2021-11-24", &communal, &zone),
        ("2022-11-24", &communal, &zone),
        ("2022-11-25", &communal, &zone),
        ("2022-01-10", &bonvillers, &zone_b),
    ]
    .into_iter()
    .enumerate()
    {
        let emplacement = emplacement(&app, base, zone, &format!("A-{i}"), "concession", 1).await;
        let vendue = app
            .post(
                "/api/v1/cimetiere/concessions",
                &json!({
                    "emplacement_id": emplacement, "numero_acte": format!("ACTE-{i}"),
                    "date_acte": acte, "type_concession": "temporaire", "duree_ans": 5,
                    "forme": "familiale", "concessionnaire_id": titulaire,
                }),
            )
            .await;
        assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
        par_echeance.insert(
            vendue.body["date_echeance"]
                .as_str()
                .expect("date")
                .to_owned(),
            id(&vendue.body),
        );
    }
    let echeances = |requete: String| {
        let app = &app;
        async move {
            let page = app
                .get(&format!("/api/v1/cimetiere/concessions/echeances{requete}"))
                .await;
            assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
            let dates: Vec<String> = page.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|e| e["date_echeance"].as_str().map(str::to_owned))
                .collect();
            (dates, page.body)
        }
    };
    // By default: from today to a year from today, both included.
    let (dates, page) = echeances(String::new()).await;
    assert_eq!(dates, ["2026-11-24", "2027-01-10", "2027-11-24"]);
    assert_eq!(page["items"][0]["dernier_jour"], "2028-11-23");
    assert_eq!(page["items"][0]["concessionnaire"], "FONTAINE Hélène");
    assert_eq!(page["items"][0]["emplacement"], "A-1");
    let (dates, _) = echeances("?du=2026-11-23&au=2027-11-25".to_owned()).await;
    assert_eq!(dates.len(), 5);
    let cimetiere_id = communal.rsplit('/').next().expect("id");
    let (dates, _) = echeances(format!("?cimetiere_id={cimetiere_id}")).await;
    assert_eq!(dates, ["2026-11-24", "2027-11-24"]);
    // Pages follow each other without overlap.
    let (premiere, page) = echeances("?limit=2".to_owned()).await;
    assert_eq!(premiere, ["2026-11-24", "2027-01-10"]);
    let suite = page["suite"].as_str().expect("a next page");
    let (seconde, page) = echeances(format!("?limit=2&apres={suite}")).await;
    assert_eq!(seconde, ["2027-11-24"]);
    assert!(page["suite"].is_null());
    let envers = app
        .get("/api/v1/cimetiere/concessions/echeances?du=2027-01-01&au=2026-01-01")
        .await;
    assert_eq!(envers.status, StatusCode::BAD_REQUEST);

    // The renewal letter of the one expiring today, read back from the PDF.
    let lettre = app
        .get(&format!(
            "/api/v1/cimetiere/concessions/{}/lettre-renouvellement?format=pdf",
            par_echeance["2026-11-24"]
        ))
        .await;
    let texte = tests_assemblage::texte_pdf(&lettre);
    for attendu in [
        "Madame Hélène FONTAINE",
        "3 rue Joffre, 54111 Mont-Bonvillers",
        "ACTE-1",
        "24 novembre 2026",
        "23 novembre 2028",
        "Cimetière communal",
        "50,00",
        "L2223-15",
    ] {
        assert!(
            texte.contains(attendu),
            "« {attendu} » missing from: {texte}"
        );
    }
    let journal = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=cimetiere.concession&objet_id={}",
            par_echeance["2026-11-24"]
        ))
        .await;
    assert!(
        journal.body.to_string().contains("\"edition\""),
        "{:?}",
        journal.body
    );
}

#[tokio::test]
async fn a_concession_in_force_converts_into_a_longer_one_with_its_time_left_credited() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    for corps in [
        json!({"type_concession": "temporaire", "duree_ans": 15, "montant_centimes": 12000, "date_effet": "2015-01-01"}),
        json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 5000, "date_effet": "2015-01-01"}),
        json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
        json!({"type_concession": "perpetuelle", "montant_centimes": 150000, "date_effet": "2015-01-01"}),
    ] {
        app.post("/api/v1/cimetiere/tarifs", &corps).await;
    }
    let titulaire = usager(&app, "GIRARD").await;
    let mut concessions = Vec::new();
    for (i, (acte, type_concession, duree)) in [
        ("2016-11-24", "temporaire", Some(15)),
        ("2021-11-23", "temporaire", Some(5)),
        ("2021-11-25", "temporaire", Some(5)),
        ("2016-11-24", "perpetuelle", None),
    ]
    .into_iter()
    .enumerate()
    {
        let emplacement = emplacement(&app, &base, &zone, &format!("C-{i}"), "concession", 1).await;
        let vendue = app
            .post(
                "/api/v1/cimetiere/concessions",
                &json!({
                    "emplacement_id": emplacement, "numero_acte": format!("CONV-{i}"),
                    "date_acte": acte, "type_concession": type_concession, "duree_ans": duree,
                    "forme": "familiale", "concessionnaire_id": titulaire,
                }),
            )
            .await;
        assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
        concessions.push(id(&vendue.body));
    }
    let convertir = |concession: &str, corps: Value| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/concessions/{concession}/conversions"),
        );
        async move { app.post(&uri, &corps).await }
    };

    // Fifteen years from 24 November 2016, converted ten years in: a third of its price (5 of
    // 15 years left) is credited against the 30-year tariff; thirty years run from today.
    let trente = convertir(&concessions[0], json!({"type_concession": "trentenaire"})).await;
    assert_eq!(trente.status, StatusCode::CREATED, "{:?}", trente.body);
    assert_eq!(trente.body["ancienne_echeance"], "2031-11-24");
    assert_eq!(trente.body["nouvelle_echeance"], "2056-11-24");
    assert_eq!(trente.body["prix_centimes"], 30000);
    assert_eq!(trente.body["credit_centimes"], 4000);
    assert_eq!(trente.body["a_payer_centimes"], 26000);
    let apres = app
        .get(&format!("/api/v1/cimetiere/concessions/{}", concessions[0]))
        .await;
    assert_eq!(apres.body["type_concession"], "trentenaire");
    assert_eq!(apres.body["date_echeance"], "2056-11-24");
    // Back to a shorter one: refused.
    let plus_courte = convertir(
        &concessions[0],
        json!({"type_concession": "temporaire", "duree_ans": 15}),
    )
    .await;
    assert_eq!(plus_courte.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(plus_courte.body["errors"][0]["code"], "plus-courte");

    // Expired yesterday: no conversion. Expiring tomorrow: one day of five years credited.
    let echue = convertir(&concessions[1], json!({"type_concession": "trentenaire"})).await;
    assert_eq!(echue.status, StatusCode::CONFLICT);
    assert_eq!(echue.body["code"], "concession-echue");
    let veille = convertir(&concessions[2], json!({"type_concession": "trentenaire"})).await;
    assert_eq!(veille.status, StatusCode::CREATED, "{:?}", veille.body);
    assert_eq!(veille.body["credit_centimes"], 2);
    assert_eq!(veille.body["a_payer_centimes"], 29998);

    let perpetuelle = convertir(&concessions[3], json!({"type_concession": "perpetuelle"})).await;
    assert_eq!(perpetuelle.body["code"], "concession-perpetuelle");
}

#[tokio::test]
async fn an_inhumation_keeps_to_the_delays_the_places_and_who_may_rest_there() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "MOREL").await;
    let familiale = emplacement(&app, &base, &zone, "F-1", "concession", 2).await;
    let individuelle = emplacement(&app, &base, &zone, "I-1", "concession", 2).await;
    let commun = emplacement(&app, &base, &zone, "TC-1", "terrain_commun", 1).await;
    let vendre =
        |emplacement: String, numero: &'static str, forme: &'static str, personnes: Value| {
            let (app, titulaire) = (&app, titulaire.clone());
            async move {
                let vendue = app
                    .post(
                        "/api/v1/cimetiere/concessions",
                        &json!({
                            "emplacement_id": emplacement, "numero_acte": numero,
                            "date_acte": "2020-05-01", "type_concession": "trentenaire",
                            "forme": forme, "concessionnaire_id": titulaire, "personnes": personnes,
                        }),
                    )
                    .await;
                assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
            }
        };
    vendre(
        familiale.clone(),
        "F-2020",
        "familiale",
        json!([{"role": "exclu", "nom": "Marc DURAND", "lien": "gendre"}]),
    )
    .await;
    vendre(
        individuelle.clone(),
        "I-2020",
        "individuelle",
        json!([{"role": "nomme", "nom": "Louise MOREL"}]),
    )
    .await;
    let inhumer = |emplacement: &str, corps: Value| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/emplacements/{emplacement}/inhumations"),
        );
        async move { app.post(&uri, &corps).await }
    };
    let deces = |nom: &str, date_deces: &str, date: &str| json!({"defunt_nom": nom, "date_deces": date_deces, "date_inhumation": date});

    // Died on 1 November: from the 2nd to the 15th, else a prefectoral derogation.
    let meme_jour = inhumer(&familiale, {
        let mut d = deces("Jean MOREL", "2026-11-01", "2026-11-01");
        d["lien"] = json!("époux");
        d
    })
    .await;
    assert_eq!(meme_jour.status, StatusCode::CONFLICT);
    assert_eq!(meme_jour.body["code"], "delai-inhumation");
    assert!(
        meme_jour.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-02")
                && d.contains("2026-11-15")
                && d.contains("R2213-33"))
    );
    let seizieme = inhumer(&familiale, {
        let mut d = deces("Jean MOREL", "2026-11-01", "2026-11-16");
        d["lien"] = json!("époux");
        d
    })
    .await;
    assert_eq!(seizieme.body["code"], "delai-inhumation");
    let avec_derogation = inhumer(&familiale, {
        let mut d = deces("Jean MOREL", "2026-11-01", "2026-11-16");
        d["lien"] = json!("époux");
        d["derogation"] = json!("Arrêté préfectoral 2026-DR-118");
        d
    })
    .await;
    assert_eq!(
        avec_derogation.status,
        StatusCode::CREATED,
        "{:?}",
        avec_derogation.body
    );
    assert!(
        avec_derogation.body["droit"]
            .as_str()
            .is_some_and(|d| d.contains("époux du titulaire"))
    );

    // The family concession: the excluded son-in-law is refused, a stranger needs the heirs'.
    let exclu = inhumer(&familiale, {
        let mut d = deces("Marc  Durand", "2026-11-10", "2026-11-15");
        d["lien"] = json!("gendre");
        d
    })
    .await;
    assert_eq!(exclu.body["code"], "exclu");
    let sans_lien = inhumer(&familiale, deces("Ami FIDELE", "2026-11-10", "2026-11-12")).await;
    assert_eq!(sans_lien.body["errors"][0]["field"], "lien");
    let avec_accord = inhumer(&familiale, {
        let mut d = deces("Ami FIDELE", "2026-11-10", "2026-11-12");
        d["lien"] = json!("ami");
        d["consentement_ayants_droit"] = json!(true);
        d
    })
    .await;
    assert_eq!(
        avec_accord.status,
        StatusCode::CREATED,
        "{:?}",
        avec_accord.body
    );
    // Two places, both taken now.
    let complet = inhumer(&familiale, {
        let mut d = deces("Anne MOREL", "2026-11-20", "2026-11-22");
        d["lien"] = json!("fille");
        d
    })
    .await;
    assert_eq!(complet.body["code"], "emplacement-complet");
    let occupation = app
        .get(&format!(
            "/api/v1/cimetiere/emplacements/{familiale}/inhumations"
        ))
        .await;
    assert_eq!(occupation.body["places_libres"], 0);
    assert_eq!(
        occupation.body["inhumations"].as_array().map(Vec::len),
        Some(2)
    );

    // The individual concession receives only the person its act names.
    let autre = inhumer(
        &individuelle,
        deces("Paul MOREL", "2026-11-20", "2026-11-22"),
    )
    .await;
    assert_eq!(autre.body["code"], "non-nomme");
    let nommee = inhumer(
        &individuelle,
        deces("louise morel", "2026-11-20", "2026-11-22"),
    )
    .await;
    assert_eq!(nommee.status, StatusCode::CREATED, "{:?}", nommee.body);

    // The terrain commun: a ground of the right to burial, then five years before reopening.
    let sans_droit = inhumer(&commun, deces("Inconnu X", "2021-03-01", "2021-03-03")).await;
    assert_eq!(sans_droit.body["errors"][0]["field"], "droit");
    let premiere = inhumer(&commun, {
        let mut d = deces("Inconnu X", "2021-03-01", "2021-03-03");
        d["droit"] = json!("deces_dans_la_commune");
        d
    })
    .await;
    assert_eq!(premiere.status, StatusCode::CREATED, "{:?}", premiere.body);
    let place = id(&premiere.body);
    // (The remains leave the grave; the five years still run.)
    let db = app.state.db();
    let backend = sea_orm::ConnectionTrait::get_database_backend(db);
    let requete = if backend == sea_orm::DbBackend::Postgres {
        "UPDATE cimetiere_inhumation SET exhume_le = $1 WHERE id = $2"
    } else {
        "UPDATE cimetiere_inhumation SET exhume_le = ? WHERE id = ?"
    };
    let place: uuid::Uuid = place.parse().expect("uuid");
    let exhume = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).expect("date");
    sea_orm::ConnectionTrait::execute_raw(
        db,
        sea_orm::Statement::from_sql_and_values(backend, requete, [exhume.into(), place.into()]),
    )
    .await
    .expect("exhumed");
    let trop_tot = inhumer(&commun, {
        let mut d = deces("Inconnue Y", "2026-02-28", "2026-03-02");
        d["droit"] = json!("domicile_dans_la_commune");
        d
    })
    .await;
    assert_eq!(trop_tot.status, StatusCode::CONFLICT, "{:?}", trop_tot.body);
    assert_eq!(trop_tot.body["code"], "terrain-commun-5-ans");
    assert!(
        trop_tot.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-03-03") && d.contains("R2223-5"))
    );
    let cinq_ans = inhumer(&commun, {
        let mut d = deces("Inconnue Y", "2026-03-01", "2026-03-03");
        d["droit"] = json!("domicile_dans_la_commune");
        d
    })
    .await;
    assert_eq!(cinq_ans.status, StatusCode::CREATED, "{:?}", cinq_ans.body);

    // Without a concession in force, a plot receives no one.
    let libre = emplacement(&app, &base, &zone, "L-1", "concession", 2).await;
    let sans_concession = inhumer(&libre, {
        let mut d = deces("Paul MOREL", "2026-11-20", "2026-11-22");
        d["lien"] = json!("fils");
        d
    })
    .await;
    assert_eq!(sans_concession.body["code"], "sans-concession");
}

#[tokio::test]
async fn an_exhumation_waits_for_the_end_of_a_family_dispute_and_frees_the_place() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "ROUX").await;
    let fils = usager(&app, "ROUX-FILS").await;
    let emplacement = emplacement(&app, &base, &zone, "E-1", "concession", 1).await;
    app.post(
        "/api/v1/cimetiere/concessions",
        &json!({
            "emplacement_id": emplacement, "numero_acte": "E-2010", "date_acte": "2015-05-01",
            "type_concession": "trentenaire", "forme": "familiale", "concessionnaire_id": titulaire,
        }),
    )
    .await;
    let inhumee = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{emplacement}/inhumations"),
            &json!({"defunt_nom": "Rose ROUX", "date_deces": "2020-02-01",
                    "date_inhumation": "2020-02-05", "lien": "épouse"}),
        )
        .await;
    assert_eq!(inhumee.status, StatusCode::CREATED, "{:?}", inhumee.body);
    let exhumation = format!(
        "/api/v1/cimetiere/inhumations/{}/exhumation",
        id(&inhumee.body)
    );
    let demande = |attestation: bool| {
        json!({"nature": "exhumation", "demandeur_id": fils, "lien": "fils",
               "attestation": attestation, "destination": "Cimetière de Metz-Est"})
    };

    let sans_attestation = app.post(&exhumation, &demande(false)).await;
    assert_eq!(sans_attestation.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sans_attestation.body["errors"][0]["field"], "attestation");

    let litige = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{emplacement}/litiges"),
            &json!({"motif": "Opposition de la fille de la défunte, courrier du 3 novembre"}),
        )
        .await;
    assert_eq!(litige.status, StatusCode::CREATED, "{:?}", litige.body);
    let bloquee = app.post(&exhumation, &demande(true)).await;
    assert_eq!(bloquee.status, StatusCode::CONFLICT);
    assert_eq!(bloquee.body["code"], "litige-familial");
    assert!(
        bloquee.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Opposition de la fille"))
    );

    let clos = app
        .post(
            &format!("/api/v1/cimetiere/litiges/{}/cloture", id(&litige.body)),
            &json!({}),
        )
        .await;
    assert_eq!(clos.status, StatusCode::OK, "{:?}", clos.body);
    assert_eq!(clos.body["clos_le"], "2026-11-24");
    let faite = app.post(&exhumation, &demande(true)).await;
    assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
    let occupation = app
        .get(&format!(
            "/api/v1/cimetiere/emplacements/{emplacement}/inhumations"
        ))
        .await;
    assert_eq!(occupation.body["places_libres"], 1);
    assert_eq!(occupation.body["inhumations"][0]["exhume_le"], "2026-11-24");
    let deux_fois = app.post(&exhumation, &demande(true)).await;
    assert_eq!(deux_fois.body["code"], "deja-exhume");
}

#[tokio::test]
async fn a_reprise_for_abandonment_opens_on_its_conditions_and_refuses_each_step_before_its_day() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "perpetuelle", "montant_centimes": 100000, "date_effet": "1970-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "LAMBERT").await;
    let mut concessions = Vec::new();
    for (i, acte) in [
        "1996-11-25",
        "1996-11-24",
        "1980-06-01",
        "1985-06-01",
        "1986-06-01",
    ]
    .into_iter()
    .enumerate()
    {
        let emplacement = emplacement(&app, &base, &zone, &format!("R-{i}"), "concession", 1).await;
        let vendue = app
            .post(
                "/api/v1/cimetiere/concessions",
                &json!({
                    "emplacement_id": emplacement, "numero_acte": format!("R-{i}"),
                    "date_acte": acte, "type_concession": "perpetuelle",
                    "forme": "familiale", "concessionnaire_id": titulaire,
                }),
            )
            .await;
        assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
        concessions.push((id(&vendue.body), emplacement));
    }
    let ouvrir = |concession: &str, corps: Value| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/concessions/{concession}/reprise"),
        );
        async move { app.post(&uri, &corps).await }
    };
    let aujourd_hui =
        json!({"mode_convocation": "lettre_recommandee", "convocation_le": "2026-10-24"});

    // Thirty years of the act: a day short, then the day.
    let trop_recent = ouvrir(&concessions[0].0, aujourd_hui.clone()).await;
    assert_eq!(trop_recent.status, StatusCode::CONFLICT);
    assert_eq!(trop_recent.body["code"], "acte-trop-recent");
    assert!(
        trop_recent.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-25"))
    );
    // The heirs called a month before: a day short.
    let tardive = ouvrir(
        &concessions[1].0,
        json!({"mode_convocation": "affichage", "convocation_le": "2026-10-25"}),
    )
    .await;
    assert_eq!(tardive.body["code"], "convocation-tardive");
    let commune = ouvrir(&concessions[1].0, {
        let mut c = aujourd_hui.clone();
        c["entretien_par_la_commune"] = json!(true);
        c
    })
    .await;
    assert_eq!(commune.body["code"], "entretien-par-la-commune");
    let ouverte = ouvrir(&concessions[1].0, aujourd_hui.clone()).await;
    assert_eq!(ouverte.status, StatusCode::CREATED, "{:?}", ouverte.body);
    assert_eq!(ouverte.body["etape"], "constat");
    assert_eq!(
        ouvrir(&concessions[1].0, aujourd_hui.clone()).await.body["code"],
        "reprise-en-cours"
    );

    // Ten years since the last inhumation: a day short.
    app.post(
        &format!(
            "/api/v1/cimetiere/emplacements/{}/inhumations",
            concessions[3].1
        ),
        &json!({"defunt_nom": "Marie LAMBERT", "date_deces": "2016-11-20",
                "date_inhumation": "2016-11-25", "lien": "épouse"}),
    )
    .await;
    let inhumation_recente = ouvrir(&concessions[3].0, aujourd_hui.clone()).await;
    assert_eq!(inhumation_recente.body["code"], "inhumation-trop-recente");
    assert!(
        inhumation_recente.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-25"))
    );
    // Ten years to the day: the procedure may open.
    let dix_ans = app
        .post(
            &format!(
                "/api/v1/cimetiere/emplacements/{}/inhumations",
                concessions[4].1
            ),
            &json!({"defunt_nom": "Henri LAMBERT", "date_deces": "2016-11-20",
                    "date_inhumation": "2016-11-24", "lien": "frère",
                    "consentement_ayants_droit": true}),
        )
        .await;
    assert_eq!(dix_ans.status, StatusCode::CREATED, "{:?}", dix_ans.body);
    let ouverte_a_dix_ans = ouvrir(&concessions[4].0, aujourd_hui.clone()).await;
    assert_eq!(
        ouverte_a_dix_ans.status,
        StatusCode::CREATED,
        "{:?}",
        ouverte_a_dix_ans.body
    );

    // A procedure opened in 2021, step by step.
    let ancienne = ouvrir(
        &concessions[2].0,
        json!({"mode_convocation": "lettre_recommandee", "convocation_le": "2021-01-15",
               "constat_le": "2021-03-01"}),
    )
    .await;
    assert_eq!(ancienne.status, StatusCode::CREATED, "{:?}", ancienne.body);
    let etapes = format!("/api/v1/cimetiere/reprises/{}/etapes", id(&ancienne.body));
    let etape = |corps: Value| {
        let (app, uri) = (&app, etapes.clone());
        async move { app.post(&uri, &corps).await }
    };
    let hors_ordre =
        etape(json!({"etape": "deliberation", "date": "2024-05-01", "reference": "D-1"})).await;
    assert_eq!(hors_ordre.body["code"], "etape-hors-ordre");
    let publiee = etape(json!({"etape": "publication", "date": "2021-03-10"})).await;
    assert_eq!(publiee.status, StatusCode::OK, "{:?}", publiee.body);
    assert_eq!(
        publiee.body["prochaine_etape"],
        json!(["second_constat", "2022-03-10"])
    );
    // A year after the publication (the 3DS law of 2022 shortened the three years).
    let tot = etape(json!({"etape": "second_constat", "date": "2022-03-09"})).await;
    assert_eq!(tot.status, StatusCode::CONFLICT);
    assert_eq!(tot.body["code"], "etape-prematuree");
    assert!(
        tot.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2022-03-10"))
    );
    let second =
        etape(json!({"etape": "second_constat", "date": "2022-03-10", "notifie_le": "2022-03-20"}))
            .await;
    assert_eq!(second.status, StatusCode::OK, "{:?}", second.body);
    assert_eq!(
        second.body["prochaine_etape"],
        json!(["deliberation", "2022-04-20"])
    );
    // A month after the notification of the second procès-verbal.
    let deliberation_tot =
        etape(json!({"etape": "deliberation", "date": "2022-04-19", "reference": "D-2022-12"}))
            .await;
    assert_eq!(deliberation_tot.body["code"], "etape-prematuree");
    let sans_reference = etape(json!({"etape": "deliberation", "date": "2022-04-20"})).await;
    assert_eq!(sans_reference.body["errors"][0]["field"], "reference");
    let deliberation =
        etape(json!({"etape": "deliberation", "date": "2022-04-20", "reference": "D-2022-12"}))
            .await;
    assert_eq!(
        deliberation.status,
        StatusCode::OK,
        "{:?}",
        deliberation.body
    );
    let arrete_tot =
        etape(json!({"etape": "arrete", "date": "2022-04-19", "reference": "A-2022-31"})).await;
    assert_eq!(arrete_tot.body["code"], "etape-prematuree");
    let arrete = etape(
        json!({"etape": "arrete", "date": "2022-05-02", "reference": "A-2022-31",
                              "notifie_le": "2022-05-06"}),
    )
    .await;
    assert_eq!(arrete.status, StatusCode::OK, "{:?}", arrete.body);
    assert_eq!(arrete.body["etape"], "arrete");
    assert!(arrete.body["prochaine_etape"].is_null());
    assert_eq!(arrete.body["enlevement_le"], "2022-06-05");
    // The concession taken back receives nobody any more.
    let apres_arrete = app
        .post(
            &format!(
                "/api/v1/cimetiere/emplacements/{}/inhumations",
                concessions[2].1
            ),
            &json!({"defunt_nom": "Paul LAMBERT", "date_deces": "2026-11-20",
                    "date_inhumation": "2026-11-23", "lien": "conjoint"}),
        )
        .await;
    assert_eq!(
        apres_arrete.body["code"], "sans-concession",
        "{:?}",
        apres_arrete.body
    );
    let apres = etape(json!({"etape": "arrete", "date": "2022-05-03", "reference": "A-2"})).await;
    assert_eq!(apres.body["code"], "reprise-terminee");

    // The grave is cleared thirty days after the arrêté's publication and notification; a
    // perpetual concession without arrêté is not taken back.
    let ossuaire = emplacement(&app, &base, &zone, "OSS", "ossuaire", 500).await;
    let reprendre = |emplacement: &str, date: &str| {
        let (app, uri, corps) = (
            &app,
            format!("/api/v1/cimetiere/emplacements/{emplacement}/reprise"),
            json!({"date": date, "ossuaire_id": ossuaire}),
        );
        async move { app.post(&uri, &corps).await }
    };
    let en_cours = reprendre(&concessions[1].1, "2026-11-24").await;
    assert_eq!(en_cours.body["code"], "concession-en-cours");
    let avant_arrete = reprendre(&concessions[2].1, "2022-06-04").await;
    assert_eq!(avant_arrete.body["code"], "reprise-prematuree");
    assert!(
        avant_arrete.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2022-06-05") && d.contains("R2223-20"))
    );
    let reprise = reprendre(&concessions[2].1, "2022-06-05").await;
    assert_eq!(reprise.status, StatusCode::CREATED, "{:?}", reprise.body);
    assert_eq!(reprise.body["motif"], "abandon");
    let finie = app
        .get(&format!(
            "/api/v1/cimetiere/concessions/{}",
            concessions[2].0
        ))
        .await;
    assert_eq!(finie.body["fin_le"], "2022-06-05");
    assert_eq!(finie.body["motif_fin"], "abandon");
    // The list of procedures says where each stands.
    let liste = app.get("/api/v1/cimetiere/reprises").await;
    let etapes: Vec<&str> = liste
        .body
        .as_array()
        .expect("reprises")
        .iter()
        .filter_map(|r| r["etape"].as_str())
        .collect();
    assert_eq!(etapes, ["constat", "constat", "arrete"]);
}

#[tokio::test]
async fn an_emplacement_is_taken_back_after_its_delay_and_its_remains_go_to_the_ossuaire() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    for corps in [
        json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 5000, "date_effet": "2015-01-01"}),
        json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    ] {
        app.post("/api/v1/cimetiere/tarifs", &corps).await;
    }
    let ossuaire = emplacement(&app, &base, &zone, "OSS-1", "ossuaire", 500).await;
    let tombe = emplacement(&app, &base, &zone, "T-1", "concession", 2).await;
    let titulaire = usager(&app, "PETIT").await;
    // Five years from 24 November 2019: expired on 24 November 2024, renewable until
    // 23 November 2026, taken back from 24 November 2026 (today).
    let vendue = app
        .post(
            "/api/v1/cimetiere/concessions",
            &json!({
                "emplacement_id": tombe, "numero_acte": "2019-020", "date_acte": "2019-11-24",
                "type_concession": "temporaire", "duree_ans": 5, "forme": "collective",
                "concessionnaire_id": titulaire,
                "personnes": [{"role": "nomme", "nom": "Paul PETIT"}, {"role": "nomme", "nom": "Jeanne PETIT"}]
            }),
        )
        .await;
    assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
    let concession = id(&vendue.body);
    let mut inhumations = Vec::new();
    for (nom, deces, jour) in [
        ("Paul PETIT", "2020-03-10", "2020-03-12"),
        ("Jeanne PETIT", "2021-06-01", "2021-06-04"),
    ] {
        let faite = app
            .post(
                &format!("/api/v1/cimetiere/emplacements/{tombe}/inhumations"),
                &json!({"defunt_nom": nom, "date_deces": deces, "date_inhumation": jour}),
            )
            .await;
        assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
        inhumations.push(id(&faite.body));
    }
    let uri = format!("/api/v1/cimetiere/emplacements/{tombe}/reprise");
    // Past the renewal window, the emplacement cannot be granted again while the dead rest there.
    let revendue = |numero: &str| {
        json!({
            "emplacement_id": tombe, "numero_acte": numero, "date_acte": "2026-11-24",
            "type_concession": "trentenaire", "forme": "familiale",
            "concessionnaire_id": titulaire,
        })
    };
    let avec_restes = app
        .post("/api/v1/cimetiere/concessions", &revendue("2026-089"))
        .await;
    assert_eq!(avec_restes.status, StatusCode::CONFLICT);
    assert_eq!(avec_restes.body["code"], "restes-presents");
    let cremation = |informes: Option<&str>| {
        json!({"inhumation_id": inhumations[1], "devenir": "cremation",
               "proches_informes_le": informes, "moyen_information": "lettre recommandée à M. Luc PETIT"})
    };

    // The last day to renew: not yet.
    let tot = app
        .post(
            &uri,
            &json!({"date": "2026-11-23", "ossuaire_id": ossuaire}),
        )
        .await;
    assert_eq!(tot.status, StatusCode::CONFLICT);
    assert_eq!(tot.body["code"], "reprise-prematuree");
    assert!(
        tot.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-24") && d.contains("L2223-15")),
        "{:?}",
        tot.body
    );
    // Not an ossuaire; a cremation the deceased objected to.
    let pas_ossuaire = app.post(&uri, &json!({"ossuaire_id": tombe})).await;
    assert_eq!(pas_ossuaire.body["errors"][0]["field"], "ossuaire_id");
    let mut opposee = cremation(Some("2026-11-01"));
    opposee["opposition_cremation"] = json!(true);
    let refus = app
        .post(&uri, &json!({"ossuaire_id": ossuaire, "restes": [opposee]}))
        .await;
    assert_eq!(refus.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refus.body["errors"][0]["field"], "restes[0].devenir");
    // A cremation needs the relatives told before the day of the reprise (2024-1110 QPC).
    for informes in [None, Some("2026-11-24")] {
        let non_informes = app
            .post(
                &uri,
                &json!({"ossuaire_id": ossuaire, "restes": [cremation(informes)]}),
            )
            .await;
        assert_eq!(non_informes.status, StatusCode::CONFLICT);
        assert_eq!(non_informes.body["code"], "information-des-proches");
        assert!(
            non_informes.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("Jeanne PETIT") && d.contains("2024-1110"))
        );
    }
    let reprise = app
        .post(
            &uri,
            &json!({"ossuaire_id": ossuaire, "restes": [cremation(Some("2026-11-23"))]}),
        )
        .await;
    assert_eq!(reprise.status, StatusCode::CREATED, "{:?}", reprise.body);
    assert_eq!(reprise.body["motif"], "echeance");
    assert_eq!(reprise.body["depots"].as_array().map(Vec::len), Some(2));

    // The grave is empty, the concession ended, the register names both.
    let occupation = app.get(&uri.replace("/reprise", "/inhumations")).await;
    assert_eq!(occupation.body["places_libres"], 2);
    let finie = app
        .get(&format!("/api/v1/cimetiere/concessions/{concession}"))
        .await;
    assert_eq!(finie.body["fin_le"], "2026-11-24");
    let registre = app
        .get(&format!("/api/v1/cimetiere/ossuaires/{ossuaire}/registre"))
        .await;
    let lignes: Vec<(&str, &str, &str)> = registre.body["items"]
        .as_array()
        .expect("registre")
        .iter()
        .map(|l| {
            (
                l["defunt_nom"].as_str().unwrap_or_default(),
                l["devenir"].as_str().unwrap_or_default(),
                l["provenance"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        lignes,
        [
            (
                "Paul PETIT",
                "ossuaire",
                "Cimetière communal, emplacement T-1"
            ),
            (
                "Jeanne PETIT",
                "cremation",
                "Cimetière communal, emplacement T-1"
            ),
        ]
    );
    let cherche = app
        .get(&format!(
            "/api/v1/cimetiere/ossuaires/{ossuaire}/registre?nom=jeanne"
        ))
        .await;
    assert_eq!(cherche.body["items"].as_array().map(Vec::len), Some(1));
    // The register to print or post, in PDF.
    let imprime = app
        .get(&format!(
            "/api/v1/cimetiere/ossuaires/{ossuaire}/registre/edition"
        ))
        .await;
    assert_eq!(imprime.status, StatusCode::OK, "{:?}", imprime.body);
    let texte = tests_assemblage::texte_pdf(&imprime);
    for attendu in [
        "Registre de l'ossuaire",
        "OSS-1",
        "Paul PETIT",
        "Jeanne PETIT",
        "10 mars 2020",
        "Cimetière communal, emplacement T-1",
        "concession non renouvelée",
        "crémation",
        "24 novembre 2026",
    ] {
        assert!(
            texte.contains(attendu),
            "« {attendu} » missing from: {texte}"
        );
    }
    let pas_un_ossuaire = app
        .get(&format!(
            "/api/v1/cimetiere/ossuaires/{tombe}/registre/edition"
        ))
        .await;
    assert_eq!(pas_un_ossuaire.status, StatusCode::NOT_FOUND);
    // Nothing more to renew; the emplacement can be granted again.
    let renouveler = app
        .post(
            &format!("/api/v1/cimetiere/concessions/{concession}/renouvellements"),
            &json!({}),
        )
        .await;
    assert_eq!(renouveler.body["code"], "concession-terminee");
    let nouvelle = app
        .post(
            "/api/v1/cimetiere/concessions",
            &json!({
                "emplacement_id": tombe, "numero_acte": "2026-090", "date_acte": "2026-11-24",
                "type_concession": "trentenaire", "forme": "familiale",
                "concessionnaire_id": usager(&app, "ROUX").await,
            }),
        )
        .await;
    assert_eq!(nouvelle.status, StatusCode::CREATED, "{:?}", nouvelle.body);

    // A grave of the terrain commun: five years after its inhumation, not a day before.
    let mut communes = Vec::new();
    for (numero, jour) in [("TC-1", "2021-11-25"), ("TC-2", "2021-11-24")] {
        let fosse = emplacement(&app, &base, &zone, numero, "terrain_commun", 1).await;
        let faite = app
            .post(
                &format!("/api/v1/cimetiere/emplacements/{fosse}/inhumations"),
                &json!({"defunt_nom": format!("Inconnu {numero}"), "date_deces": "2021-11-20",
                        "date_inhumation": jour, "droit": "deces_dans_la_commune"}),
            )
            .await;
        assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
        communes.push(fosse);
    }
    let corps = json!({"ossuaire_id": ossuaire});
    let cinq_ans = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{}/reprise", communes[0]),
            &corps,
        )
        .await;
    assert_eq!(cinq_ans.body["code"], "terrain-commun-5-ans");
    assert!(
        cinq_ans.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-25"))
    );
    let reprise_commune = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{}/reprise", communes[1]),
            &corps,
        )
        .await;
    assert_eq!(
        reprise_commune.status,
        StatusCode::CREATED,
        "{:?}",
        reprise_commune.body
    );
    assert_eq!(reprise_commune.body["motif"], "terrain_commun");
    // Nothing left to take back.
    let vide = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{}/reprise", communes[1]),
            &corps,
        )
        .await;
    assert_eq!(vide.body["code"], "rien-a-reprendre");
}

#[tokio::test]
async fn remains_are_transferred_to_a_grave_that_may_receive_them() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "ROUX").await;
    let fosse = emplacement(&app, &base, &zone, "TC-9", "terrain_commun", 1).await;
    let pleine = emplacement(&app, &base, &zone, "F-1", "concession", 1).await;
    let libre = emplacement(&app, &base, &zone, "F-2", "concession", 1).await;
    for (lieu, acte) in [(&pleine, "F-2020"), (&libre, "F-2026")] {
        let vendue = app
            .post(
                "/api/v1/cimetiere/concessions",
                &json!({
                    "emplacement_id": lieu, "numero_acte": acte, "date_acte": "2020-01-01",
                    "type_concession": "trentenaire", "forme": "familiale",
                    "concessionnaire_id": titulaire,
                }),
            )
            .await;
        assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
    }
    app.post(
        &format!("/api/v1/cimetiere/emplacements/{pleine}/inhumations"),
        &json!({"defunt_nom": "Rose ROUX", "date_deces": "2022-02-01",
                "date_inhumation": "2022-02-04", "lien": "épouse"}),
    )
    .await;
    let inhumee = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{fosse}/inhumations"),
            &json!({"defunt_nom": "Louis ROUX", "date_deces": "2024-01-05",
                    "date_inhumation": "2024-01-10", "droit": "domicile_dans_la_commune"}),
        )
        .await;
    assert_eq!(inhumee.status, StatusCode::CREATED, "{:?}", inhumee.body);
    let uri = format!(
        "/api/v1/cimetiere/inhumations/{}/exhumation",
        id(&inhumee.body)
    );
    let transfert = |vers: &str, lien: Option<&str>| {
        json!({"nature": "exhumation", "demandeur_id": titulaire, "lien": "fils",
               "attestation": true, "transfert": {"emplacement_id": vers, "lien": lien}})
    };

    // A full grave, a family concession without the kinship: refused, nothing moved.
    let complete = app.post(&uri, &transfert(&pleine, Some("fils"))).await;
    assert_eq!(complete.status, StatusCode::CONFLICT);
    assert_eq!(complete.body["code"], "emplacement-complet");
    let sans_lien = app.post(&uri, &transfert(&libre, None)).await;
    assert_eq!(sans_lien.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sans_lien.body["errors"][0]["field"], "transfert.lien");
    let reduction = app
        .post(&uri, &{
            let mut t = transfert(&libre, Some("fils"));
            t["nature"] = json!("reduction");
            t
        })
        .await;
    assert_eq!(
        reduction.body["errors"][0]["field"],
        "transfert.emplacement_id"
    );
    let source = format!("/api/v1/cimetiere/emplacements/{fosse}/inhumations");
    assert_eq!(app.get(&source).await.body["places_libres"], 0);

    // Into the free family grave: out of the terrain commun, into the concession.
    let fait = app.post(&uri, &transfert(&libre, Some("fils"))).await;
    assert_eq!(fait.status, StatusCode::CREATED, "{:?}", fait.body);
    assert_eq!(
        fait.body["destination"],
        "transfert : Cimetière communal, emplacement F-2"
    );
    assert_eq!(app.get(&source).await.body["places_libres"], 1);
    let arrivee = app
        .get(&format!(
            "/api/v1/cimetiere/emplacements/{libre}/inhumations"
        ))
        .await;
    assert_eq!(arrivee.body["places_libres"], 0);
    let nouvelle = &arrivee.body["inhumations"][0];
    assert_eq!(nouvelle["id"], fait.body["reinhumation_id"]);
    assert_eq!(nouvelle["defunt_nom"], "Louis ROUX");
    assert_eq!(nouvelle["date_deces"], "2024-01-05");
    assert_eq!(nouvelle["date_inhumation"], "2026-11-24");
    assert!(
        nouvelle["droit"]
            .as_str()
            .is_some_and(|d| d.contains("fils du titulaire") && d.contains("transférés"))
    );
}

#[tokio::test]
async fn works_are_declared_beforehand_by_the_holder_or_a_person_the_act_names() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "temporaire", "duree_ans": 10, "montant_centimes": 9000, "date_effet": "2015-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "BLANC").await;
    let fille = usager(&app, "BLANC-FILLE").await;
    let voisin = usager(&app, "VOISIN").await;
    let tombe = emplacement(&app, &base, &zone, "W-1", "concession", 2).await;
    // Ten years from 1 December 2016: in force until 30 November 2026.
    let vendue = app
        .post(
            "/api/v1/cimetiere/concessions",
            &json!({
                "emplacement_id": tombe, "numero_acte": "W-2016", "date_acte": "2016-12-01",
                "type_concession": "temporaire", "duree_ans": 10, "forme": "familiale",
                "concessionnaire_id": titulaire,
                "personnes": [{"role": "ayant_droit", "usager_id": fille, "nom": "Claire BLANC", "lien": "fille"}]
            }),
        )
        .await;
    assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
    let uri = format!("/api/v1/cimetiere/emplacements/{tombe}/travaux");
    let declaration = |declarant: &str, debut: &str, fin: &str| {
        json!({"declarant_id": declarant, "nature": "pose_monument",
               "entreprise": "Marbrerie Lorraine", "debut": debut, "fin_prevue": fin})
    };

    // Declared before they start, ending after they begin.
    let passe = app
        .post(&uri, &declaration(&titulaire, "2026-11-23", "2026-11-25"))
        .await;
    assert_eq!(passe.body["errors"][0]["field"], "debut");
    let a_rebours = app
        .post(&uri, &declaration(&titulaire, "2026-11-26", "2026-11-25"))
        .await;
    assert_eq!(a_rebours.body["errors"][0]["field"], "fin_prevue");
    // Someone the act does not name.
    let tiers = app
        .post(&uri, &declaration(&voisin, "2026-11-24", "2026-11-25"))
        .await;
    assert_eq!(tiers.status, StatusCode::CONFLICT);
    assert_eq!(tiers.body["code"], "declarant-sans-qualite");
    // The concession's last day, then its expiry: works wait for a renewal.
    let dernier_jour = app
        .post(&uri, &declaration(&fille, "2026-11-30", "2026-12-05"))
        .await;
    assert_eq!(
        dernier_jour.status,
        StatusCode::CREATED,
        "{:?}",
        dernier_jour.body
    );
    let echue = app
        .post(&uri, &declaration(&titulaire, "2026-12-01", "2026-12-05"))
        .await;
    assert_eq!(echue.body["code"], "sans-concession");

    // Done: not before they began, once.
    let achevement = format!(
        "/api/v1/cimetiere/travaux/{}/achevement",
        id(&dernier_jour.body)
    );
    let trop_tot = app.post(&achevement, &json!({"date": "2026-11-24"})).await;
    assert_eq!(trop_tot.body["errors"][0]["field"], "date");
    let gravure = app
        .post(&uri, &declaration(&titulaire, "2026-11-24", "2026-11-24"))
        .await;
    let achevement = format!("/api/v1/cimetiere/travaux/{}/achevement", id(&gravure.body));
    let fait = app.post(&achevement, &json!({})).await;
    assert_eq!(fait.status, StatusCode::OK, "{:?}", fait.body);
    assert_eq!(fait.body["termine_le"], "2026-11-24");
    assert_eq!(
        app.post(&achevement, &json!({})).await.body["code"],
        "travaux-acheves"
    );
    let liste = app.get(&uri).await;
    assert_eq!(liste.body[0]["entreprise"], "Marbrerie Lorraine");
    assert!(liste.body[0]["termine_le"].is_null());
    assert_eq!(liste.body[1]["termine_le"], "2026-11-24");
}

/// One pass of the distribution of events to the modules; the cemetery's must succeed.
async fn distribuer_evenements(app: &TestApp) {
    let rapport = socle::evenements::distribuer(
        app.state.db(),
        app.state.registry(),
        tests_assemblage::default_today(),
        app.state.clock().now(),
    )
    .await
    .expect("distribution");
    let cimetiere = rapport
        .iter()
        .find(|d| d.module == "cimetiere")
        .expect("the cemetery handles events");
    assert_eq!(cimetiere.echec, None);
}

#[tokio::test]
async fn a_death_made_known_proposes_linking_the_deceased_to_the_usager() {
    let app = tests_assemblage::app().await;
    let commune = app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    let garnier = usager(&app, "GARNIER").await;
    let leroy = id(&app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "Leroy", "nom_usage": "Dupont", "prenoms": "Marie Anne",
                    "date_naissance": "1940-02-02"}),
        )
        .await
        .body);
    let mut inhumations = Vec::new();
    for (i, (nom, deces)) in [
        ("Paul Garnier", "2026-11-10"),
        ("Paul GARNIER", "2026-11-09"),
        ("Marie DUPONT née LEROY", "2026-11-12"),
    ]
    .into_iter()
    .enumerate()
    {
        let fosse = emplacement(&app, &base, &zone, &format!("D-{i}"), "terrain_commun", 1).await;
        let faite = app
            .post(
                &format!("/api/v1/cimetiere/emplacements/{fosse}/inhumations"),
                &json!({"defunt_nom": nom, "date_deces": deces, "date_inhumation": "2026-11-20",
                        "droit": "deces_dans_la_commune"}),
            )
            .await;
        assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
        inhumations.push(id(&faite.body));
    }
    // The registry learns Paul Garnier's death; a civil-status module, Marie Dupont's.
    let deces = app
        .post(
            &format!("/api/v1/usagers/{garnier}/deces"),
            &json!({"date": "2026-11-10", "source": "declaration"}),
        )
        .await;
    assert_eq!(deces.status, StatusCode::OK, "{:?}", deces.body);
    socle::evenements::publier(
        app.state.db(),
        socle::evenements::Publication {
            collectivite_id: commune.parse().expect("uuid"),
            type_: "etat-civil.deces_enregistre",
            sujet: "acte-2026-031".to_owned(),
            donnees: json!({"usager_id": leroy, "date_deces": "2026-11-12"}),
        },
        app.state.clock().now(),
    )
    .await
    .expect("publication");
    distribuer_evenements(&app).await;
    distribuer_evenements(&app).await;

    let propositions = app.get("/api/v1/cimetiere/defunts/propositions").await;
    assert_eq!(
        propositions.status,
        StatusCode::OK,
        "{:?}",
        propositions.body
    );
    let paires: Vec<(&str, &str)> = propositions
        .body
        .as_array()
        .expect("propositions")
        .iter()
        .map(|p| {
            (
                p["inhumation_id"].as_str().unwrap_or_default(),
                p["usager_id"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(paires.len(), 2, "{:?}", propositions.body);
    assert!(paires.contains(&(inhumations[0].as_str(), garnier.as_str())));
    assert!(paires.contains(&(inhumations[2].as_str(), leroy.as_str())));

    // Accepting: a usager whose death the registry does not know is refused.
    let lier = |inhumation: &str, usager: &str| {
        let (app, uri, corps) = (
            &app,
            format!("/api/v1/cimetiere/inhumations/{inhumation}/defunt"),
            json!({"usager_id": usager}),
        );
        async move { app.post(&uri, &corps).await }
    };
    let vivante = lier(&inhumations[2], &leroy).await;
    assert_eq!(vivante.status, StatusCode::CONFLICT);
    assert_eq!(vivante.body["code"], "usager-non-decede");
    let lie = lier(&inhumations[0], &garnier).await;
    assert_eq!(lie.status, StatusCode::OK, "{:?}", lie.body);
    assert_eq!(lie.body["defunt_id"], garnier.as_str());
    let fiche = app.get(&format!("/api/v1/usagers/{garnier}")).await;
    assert!(
        fiche
            .body
            .to_string()
            .contains("Défunt inhumé le 2026-11-20"),
        "{:?}",
        fiche.body
    );
    let autre = id(&app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "Martin", "prenoms": "Luc", "date_naissance": "1930-01-01",
                    "deces": {"date": "2026-11-10", "source": "declaration"}}),
        )
        .await
        .body);
    assert_eq!(
        lier(&inhumations[0], &autre).await.body["code"],
        "defunt-deja-lie"
    );
    let restantes = app.get("/api/v1/cimetiere/defunts/propositions").await;
    assert_eq!(restantes.body.as_array().map(Vec::len), Some(1));
    assert_eq!(restantes.body[0]["usager_id"], leroy.as_str());
    // The burial is part of what the registry holds about them, and is kept.
    let effacement = app
        .send(
            axum::http::Method::DELETE,
            &format!("/api/v1/usagers/{garnier}"),
            &[("if-match", "*")],
            None,
        )
        .await;
    assert_eq!(
        effacement.status,
        StatusCode::CONFLICT,
        "{:?}",
        effacement.body
    );
    assert!(
        effacement.body.to_string().contains("cimetiere.inhumation"),
        "{:?}",
        effacement.body
    );
}

/// The text of the edition at `uri`, read back from its PDF.
async fn texte_edition(app: &TestApp, uri: &str) -> String {
    tests_assemblage::texte_pdf(&app.get(uri).await)
}

fn contient_tout(texte: &str, attendus: &[&str]) {
    for attendu in attendus {
        assert!(
            texte.contains(attendu),
            "« {attendu} » missing from: {texte}"
        );
    }
}

#[tokio::test]
async fn the_reprise_s_proces_verbaux_and_arrete_are_edited_once_their_step_is_recorded() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "perpetuelle", "montant_centimes": 100000, "date_effet": "1970-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "LAMBERT").await;
    let emplacement = emplacement(&app, &base, &zone, "R-7", "concession", 3).await;
    let vendue = app
        .post(
            "/api/v1/cimetiere/concessions",
            &json!({
                "emplacement_id": emplacement, "numero_acte": "P-1980-07",
                "date_acte": "1980-06-01", "type_concession": "perpetuelle",
                "forme": "familiale", "concessionnaire_id": titulaire,
                "personnes": [{"role": "ayant_droit", "nom": "Claire LAMBERT", "lien": "fille"}],
            }),
        )
        .await;
    assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
    let inhumee = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{emplacement}/inhumations"),
            &json!({"defunt_nom": "Henri LAMBERT", "date_deces": "2005-03-02",
                    "date_inhumation": "2005-03-05", "lien": "frère",
                    "consentement_ayants_droit": true}),
        )
        .await;
    assert_eq!(inhumee.status, StatusCode::CREATED, "{:?}", inhumee.body);
    let ouverte = app
        .post(
            &format!("/api/v1/cimetiere/concessions/{}/reprise", id(&vendue.body)),
            &json!({"mode_convocation": "lettre_recommandee", "convocation_le": "2021-01-15",
                    "constat_le": "2021-03-01"}),
        )
        .await;
    assert_eq!(ouverte.status, StatusCode::CREATED, "{:?}", ouverte.body);
    let reprise = format!("/api/v1/cimetiere/reprises/{}", id(&ouverte.body));
    let etape = |corps: Value| {
        let (app, uri) = (&app, format!("{reprise}/etapes"));
        async move {
            let faite = app.post(&uri, &corps).await;
            assert_eq!(faite.status, StatusCode::OK, "{:?}", faite.body);
        }
    };
    let refusee = |document: &'static str, etape: &'static str| {
        let (app, uri) = (&app, format!("{reprise}/{document}"));
        async move {
            let refus = app.get(&uri).await;
            assert_eq!(
                refus.status,
                StatusCode::CONFLICT,
                "{document}: {:?}",
                refus.body
            );
            assert_eq!(refus.body["code"], "etape-non-faite");
            assert!(
                refus.body["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains(etape)),
                "{:?}",
                refus.body
            );
        }
    };

    // The first procès-verbal, as soon as the procedure is open.
    let premier = texte_edition(&app, &format!("{reprise}/proces-verbal")).await;
    contient_tout(
        &premier,
        &[
            "Procès-verbal de constat d'abandon",
            "L2223-17",
            "R2223-13",
            "P-1980-07",
            "1er juin 1980",
            "perpétuelle familiale",
            "Paul LAMBERT",
            "Cimetière communal",
            "R-7, carré A",
            "Claire LAMBERT (fille)",
            "Henri LAMBERT — décès le 2 mars 2005, inhumation le 5 mars 2005",
            "lettre recommandée avec demande d'avis de réception du 15 janvier 2021",
            "Le 1er mars 2021",
            "état d'abandon",
            "un an après",
            "second procès-verbal",
            "Fait à Mont-Bonvillers, le 1er mars 2021",
        ],
    );
    let html = app
        .get(&format!("{reprise}/proces-verbal?format=html"))
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.content_type().starts_with("text/html"));
    // The second and the arrêté wait for their step, and say which.
    refusee("second-proces-verbal", "« second procès-verbal »").await;
    refusee("arrete", "« arrêté de reprise »").await;

    etape(json!({"etape": "publication", "date": "2021-03-10"})).await;
    refusee("second-proces-verbal", "2022-03-10").await;
    etape(json!({"etape": "second_constat", "date": "2024-03-10"})).await;
    let second = texte_edition(&app, &format!("{reprise}/second-proces-verbal")).await;
    contient_tout(
        &second,
        &[
            "Second procès-verbal de constat d'abandon",
            "R2223-18",
            "dressé le 1er mars 2021",
            "le 10 mars 2021",
            "Le 10 mars 2024",
            "toujours en état d'abandon",
            "délai d'un mois",
            "conseil municipal",
            "P-1980-07",
            "Henri LAMBERT",
            "Fait à Mont-Bonvillers, le 10 mars 2024",
        ],
    );
    etape(json!({"etape": "deliberation", "date": "2024-04-10", "reference": "D-2024-12"})).await;
    refusee("arrete", "« arrêté de reprise »").await;
    etape(json!({"etape": "arrete", "date": "2024-05-02", "reference": "A-2024-31"})).await;
    let arrete = texte_edition(&app, &format!("{reprise}/arrete")).await;
    contient_tout(
        &arrete,
        &[
            "Arrêté n° A-2024-31 du 2 mai 2024",
            "L2223-4, L2223-17, L2223-18 et R2223-12 à R2223-23",
            "P-1980-07 du 1er juin 1980",
            "Paul LAMBERT",
            "procès-verbal du 1er mars 2021",
            "le 10 mars 2021",
            "second procès-verbal du 10 mars 2024",
            "délibération du conseil municipal n° D-2024-12 du 10 avril 2024",
            "ARRÊTE",
            "est prononcée",
            "Henri LAMBERT, décès le 2 mars 2005",
            "ossuaire",
            "publié",
            "notifié",
            "Fait à Mont-Bonvillers, le 2 mai 2024",
        ],
    );
    // Once the remains have gone to the ossuaire, the arrêté printed again still names them.
    let ossuaire = self::emplacement(&app, &base, &zone, "OSS", "ossuaire", 100).await;
    let reprise_emplacement = app
        .post(
            &format!("/api/v1/cimetiere/emplacements/{emplacement}/reprise"),
            &json!({"ossuaire_id": ossuaire}),
        )
        .await;
    assert_eq!(
        reprise_emplacement.status,
        StatusCode::CREATED,
        "{:?}",
        reprise_emplacement.body
    );
    let reimprime = texte_edition(&app, &format!("{reprise}/arrete")).await;
    contient_tout(&reimprime, &["Henri LAMBERT, décès le 2 mars 2005"]);
    // Each edition is journaled on the procedure.
    let journal = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=cimetiere.reprise&objet_id={}",
            id(&ouverte.body)
        ))
        .await;
    assert!(
        journal.body.to_string().matches("\"edition\"").count() >= 4,
        "{:?}",
        journal.body
    );

    // Reading the concessions is needed; another collectivité does not see the procedure.
    let inhumations_seules = app.jeton(A, &["cimetiere.inhumation.lire"]).await;
    assert_eq!(
        app.get_as(Some(&inhumations_seules), &format!("{reprise}/arrete"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let lecteur = app.jeton(A, &["cimetiere.concession.lire"]).await;
    assert_eq!(
        app.get_as(Some(&lecteur), &format!("{reprise}/arrete"))
            .await
            .status,
        StatusCode::OK
    );
    app.commune(B, "Longuyon").await;
    let ailleurs = app.get_for(B, &format!("{reprise}/proces-verbal")).await;
    assert_eq!(
        ailleurs.status,
        StatusCode::NOT_FOUND,
        "{:?}",
        ailleurs.body
    );
    let inconnue = app
        .get(&format!(
            "/api/v1/cimetiere/reprises/{}/proces-verbal",
            uuid::Uuid::now_v7()
        ))
        .await;
    assert_eq!(inconnue.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_maire_s_authorisations_of_inhumation_and_exhumation_are_edited() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "ROUX").await;
    let fils = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "ROUX", "prenoms": "Jacques", "sexe": "M",
                    "date_naissance": "1975-06-12",
                    "adresses": [{"libelle": "8 rue des Lilas", "code_postal": "54111", "commune": "Mont-Bonvillers"}]}),
        )
        .await;
    assert_eq!(fils.status, StatusCode::CREATED, "{:?}", fils.body);
    let fils = id(&fils.body);
    let caveau = emplacement(&app, &base, &zone, "E-1", "concession", 3).await;
    let commun = emplacement(&app, &base, &zone, "TC-1", "terrain_commun", 1).await;
    let vendue = app
        .post(
            "/api/v1/cimetiere/concessions",
            &json!({
                "emplacement_id": caveau, "numero_acte": "E-2015", "date_acte": "2015-05-01",
                "type_concession": "trentenaire", "forme": "familiale", "concessionnaire_id": titulaire,
            }),
        )
        .await;
    assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
    let inhumer = |emplacement: &str, corps: Value| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/emplacements/{emplacement}/inhumations"),
        );
        async move {
            let faite = app.post(&uri, &corps).await;
            assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
            id(&faite.body)
        }
    };
    let rose = inhumer(
        &caveau,
        json!({"defunt_nom": "Rose ROUX", "date_deces": "2020-02-01",
               "date_inhumation": "2020-02-05", "lien": "épouse"}),
    )
    .await;
    let marcel = inhumer(
        &caveau,
        json!({"defunt_nom": "Marcel ROUX", "date_deces": "2016-01-10",
               "date_inhumation": "2016-01-14", "lien": "père"}),
    )
    .await;
    let jean = inhumer(
        &caveau,
        json!({"defunt_nom": "Jean ROUX", "date_deces": "2026-11-01",
               "date_inhumation": "2026-11-16", "lien": "frère",
               "consentement_ayants_droit": true,
               "derogation": "Arrêté préfectoral 2026-DR-118"}),
    )
    .await;
    let defunt = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "BERNARD", "prenoms": "Louis", "sexe": "M",
                    "date_naissance": "1940-02-02"}),
        )
        .await;
    assert_eq!(defunt.status, StatusCode::CREATED, "{:?}", defunt.body);
    let louis = inhumer(
        &commun,
        json!({"defunt_id": id(&defunt.body), "date_deces": "2026-11-20",
               "date_inhumation": "2026-11-23", "droit": "deces_dans_la_commune"}),
    )
    .await;

    // The authorisations of inhumation: in a concession, with a derogation, in the terrain commun.
    let autorisation =
        |inhumation: &str| format!("/api/v1/cimetiere/inhumations/{inhumation}/autorisation");
    let texte = texte_edition(&app, &autorisation(&rose)).await;
    contient_tout(
        &texte,
        &[
            "Autorisation d'inhumation",
            "Le maire de Mont-Bonvillers",
            "R2213-31",
            "Rose ROUX",
            "le 1er février 2020",
            "le 5 février 2020",
            "Cimetière communal",
            "n° E-1, carré A",
            "acte de concession n° E-2015 du 1er mai 2015",
            "trentenaire familiale",
            "Paul ROUX",
            "concession familiale (acte E-2015) : épouse du titulaire",
        ],
    );
    assert!(!texte.contains("Dérogation préfectorale"), "{texte}");
    let texte = texte_edition(&app, &autorisation(&jean)).await;
    contient_tout(
        &texte,
        &[
            "Jean ROUX",
            "le 1er novembre 2026",
            "le 16 novembre 2026",
            "accordée par le préfet",
            "Arrêté préfectoral 2026-DR-118",
        ],
    );
    let texte = texte_edition(&app, &autorisation(&louis)).await;
    contient_tout(
        &texte,
        &[
            "l'inhumation, le 23 novembre 2026",
            "de Louis BERNARD",
            "décédé le 20 novembre 2026",
            "TC-1",
            "aucune (terrain commun)",
            "décédé dans la commune (CGCT L2223-3, 1°)",
        ],
    );

    // The authorisations of exhumation and of réduction de corps.
    let exhumer = |inhumation: &str, corps: Value| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/inhumations/{inhumation}/exhumation"),
        );
        async move {
            let faite = app.post(&uri, &corps).await;
            assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
            id(&faite.body)
        }
    };
    let exhumation = exhumer(
        &rose,
        json!({"nature": "exhumation", "demandeur_id": fils, "lien": "fils",
               "attestation": true, "destination": "Cimetière de Metz-Est",
               "date": "2026-11-20"}),
    )
    .await;
    let texte = texte_edition(
        &app,
        &format!("/api/v1/cimetiere/exhumations/{exhumation}/autorisation"),
    )
    .await;
    contient_tout(
        &texte,
        &[
            "Autorisation d'exhumation",
            "R2213-40",
            "Monsieur Jacques ROUX, demeurant 8 rue des Lilas, 54111 Mont-Bonvillers",
            "en qualité de plus proche parent de la personne défunte (fils)",
            "aucun parent de la personne défunte de même degré ou d'un degré plus proche ne s'oppose",
            "l'exhumation des restes mortels de Rose ROUX",
            "1er février 2020",
            "5 février 2020",
            "n° E-1, carré A",
            "E-2015",
            "20 novembre 2026",
            "Cimetière de Metz-Est",
        ],
    );
    let reduction = exhumer(
        &marcel,
        json!({"nature": "reduction", "demandeur_id": fils, "lien": "petit-fils",
               "attestation": true}),
    )
    .await;
    let texte = texte_edition(
        &app,
        &format!("/api/v1/cimetiere/exhumations/{reduction}/autorisation"),
    )
    .await;
    contient_tout(
        &texte,
        &[
            "Autorisation de réduction de corps",
            "la réduction du corps de Marcel ROUX",
            "petit-fils",
            "reliquaire",
            "24 novembre 2026",
        ],
    );
    assert!(!texte.contains("Destination des restes"), "{texte}");
    let journal = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=cimetiere.exhumation&objet_id={exhumation}"
        ))
        .await;
    assert!(
        journal.body.to_string().contains("\"edition\""),
        "{:?}",
        journal.body
    );

    // Reading the inhumations is needed; an unknown or foreign id is not found.
    let concessions_seules = app.jeton(A, &["cimetiere.concession.lire"]).await;
    assert_eq!(
        app.get_as(Some(&concessions_seules), &autorisation(&rose))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let lecteur = app.jeton(A, &["cimetiere.inhumation.lire"]).await;
    assert_eq!(
        app.get_as(
            Some(&lecteur),
            &format!("/api/v1/cimetiere/exhumations/{exhumation}/autorisation")
        )
        .await
        .status,
        StatusCode::OK
    );
    let pas_une_exhumation = app
        .get(&format!(
            "/api/v1/cimetiere/exhumations/{rose}/autorisation"
        ))
        .await;
    assert_eq!(pas_une_exhumation.status, StatusCode::NOT_FOUND);
    app.commune(B, "Longuyon").await;
    assert_eq!(
        app.get_for(B, &autorisation(&rose)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn with_the_hours_given_the_twenty_four_hours_are_counted_to_the_minute() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    let fosse = emplacement(&app, &base, &zone, "H-1", "terrain_commun", 1).await;
    let uri = format!("/api/v1/cimetiere/emplacements/{fosse}/inhumations");
    let demande = |heure_deces: Option<&str>, heure_inhumation: Option<&str>| {
        json!({"defunt_nom": "Louise FABRE", "date_deces": "2026-11-01", "heure_deces": heure_deces,
               "date_inhumation": "2026-11-02", "heure_inhumation": heure_inhumation,
               "droit": "deces_dans_la_commune"})
    };
    let seule = app.post(&uri, &demande(Some("18:30"), None)).await;
    assert_eq!(seule.body["errors"][0]["field"], "heure_inhumation");
    // Died at 18:30: a minute short of 24 hours, then the minute.
    let tot = app.post(&uri, &demande(Some("18:30"), Some("18:29"))).await;
    assert_eq!(tot.status, StatusCode::CONFLICT, "{:?}", tot.body);
    assert_eq!(tot.body["code"], "delai-inhumation");
    assert!(
        tot.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-02 à 18:30")),
        "{:?}",
        tot.body
    );
    let faite = app.post(&uri, &demande(Some("18:30"), Some("18:30"))).await;
    assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
}

#[tokio::test]
async fn a_perpetual_grave_of_a_person_mort_pour_la_france_waits_fifty_years() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "perpetuelle", "montant_centimes": 100000, "date_effet": "1960-01-01"}),
    )
    .await;
    let titulaire = usager(&app, "VIDAL").await;
    let mut concessions = Vec::new();
    // Fifty years after the inhumation: tomorrow, then today.
    for (i, inhumation) in ["1976-11-25", "1976-11-24"].into_iter().enumerate() {
        let emplacement = emplacement(&app, &base, &zone, &format!("M-{i}"), "concession", 1).await;
        let vendue = app
            .post(
                "/api/v1/cimetiere/concessions",
                &json!({
                    "emplacement_id": emplacement, "numero_acte": format!("M-{i}"),
                    "date_acte": "1970-03-01", "type_concession": "perpetuelle",
                    "forme": "familiale", "concessionnaire_id": titulaire,
                }),
            )
            .await;
        assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
        let inhumee = app
            .post(
                &format!("/api/v1/cimetiere/emplacements/{emplacement}/inhumations"),
                &json!({"defunt_nom": "Lucien VIDAL", "date_deces": "1976-11-20",
                        "date_inhumation": inhumation, "lien": "fils",
                        "mort_pour_la_france": true}),
            )
            .await;
        assert_eq!(inhumee.status, StatusCode::CREATED, "{:?}", inhumee.body);
        assert_eq!(inhumee.body["mort_pour_la_france"], true);
        concessions.push(id(&vendue.body));
    }
    let ouverture = json!({"mode_convocation": "affichage", "convocation_le": "2026-10-24"});
    let trop_tot = app
        .post(
            &format!("/api/v1/cimetiere/concessions/{}/reprise", concessions[0]),
            &ouverture,
        )
        .await;
    assert_eq!(trop_tot.status, StatusCode::CONFLICT);
    assert_eq!(trop_tot.body["code"], "mort-pour-la-france");
    assert!(
        trop_tot.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2026-11-25") && d.contains("R2223-22"))
    );
    let cinquante_ans = app
        .post(
            &format!("/api/v1/cimetiere/concessions/{}/reprise", concessions[1]),
            &ouverture,
        )
        .await;
    assert_eq!(
        cinquante_ans.status,
        StatusCode::CREATED,
        "{:?}",
        cinquante_ans.body
    );
}
