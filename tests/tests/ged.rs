//! Documents (GED) through HTTP: deposit attached to a record, versions, download with its
//! digest, one blob for the same content, documents that outlive their record, size and type
//! refusals, who may read what, retention purge and the removal of unused blobs.

use std::path::Path;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use socle::ged::{Ged, StockageFichiers};
use socle::testing::TestDb;
use tests_assemblage::{Answer, TestApp};

const A: &str = "54084";
const B: &str = "54395";
const DOCUMENTS: &str = "/api/v1/ged/documents";

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const PDF_V2: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Lang (fr) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

async fn app() -> TestApp {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    app
}

async fn creer_usager(app: &TestApp, nom: &str) -> String {
    let answer = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": nom, "prenoms": "Jeanne", "sexe": "F", "date_naissance": "1961-03-02"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    answer.body["id"].as_str().expect("id").to_owned()
}

/// Deposits `fichier` attached to usager `usager` and returns the document.
async fn deposer_pour(app: &TestApp, usager: &str, nom: &str, octets: &[u8]) -> Value {
    let answer = app
        .formulaire(
            None,
            DOCUMENTS,
            &[
                ("titre", "Justificatif de domicile"),
                ("type_document", "justificatif"),
                ("conservation_ans", "6"),
                ("module", "usagers"),
                ("objet_type", "usager"),
                ("objet_id", usager),
            ],
            Some((nom, octets)),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    answer.body
}

fn sha256(octets: &[u8]) -> String {
    hex(&Sha256::digest(octets))
}

fn hex(octets: &[u8]) -> String {
    octets.iter().map(|o| format!("{o:02x}")).collect()
}

fn blobs(racine: &Path) -> usize {
    fn compter(dossier: &Path) -> usize {
        std::fs::read_dir(dossier).map_or(0, |entrees| {
            entrees
                .flatten()
                .map(|e| {
                    let chemin = e.path();
                    if chemin.is_dir() { compter(&chemin) } else { 1 }
                })
                .sum()
        })
    }
    compter(&racine.join("sha256"))
}

#[tokio::test]
async fn a_document_outlives_the_record_it_is_attached_to() {
    let app = app().await;
    let usager = creer_usager(&app, "Martin").await;
    let doc = deposer_pour(&app, &usager, "domicile.pdf", PDF).await;
    let id = doc["id"].as_str().expect("id");
    assert_eq!(doc["version_courante"], 1);
    assert_eq!(doc["conserver_jusqu_au"], "2032-11-24");
    assert_eq!(doc["versions"][0]["type_mime"], "application/pdf");
    assert_eq!(doc["versions"][0]["empreinte"], sha256(PDF));
    assert_eq!(
        doc["rattachements"],
        json!([{"module": "usagers", "objet_type": "usager", "objet_id": usager}])
    );

    // The usager is deleted (a tombstone remains): its documents do not go with it.
    let supprime = app
        .send(
            Method::DELETE,
            &format!("/api/v1/usagers/{usager}"),
            &[],
            None,
        )
        .await;
    assert_eq!(
        supprime.status,
        StatusCode::NO_CONTENT,
        "{:?}",
        supprime.body
    );
    assert_eq!(
        app.get(&format!("/api/v1/usagers/{usager}")).await.status,
        StatusCode::GONE
    );
    let liste = app
        .get(&format!(
            "{DOCUMENTS}?module=usagers&objet_type=usager&objet_id={usager}"
        ))
        .await;
    assert_eq!(liste.status, StatusCode::OK, "{:?}", liste.body);
    assert_eq!(liste.body["items"].as_array().map(Vec::len), Some(1));
    let fichier = app.get(&format!("{DOCUMENTS}/{id}/contenu")).await;
    assert_eq!(fichier.status, StatusCode::OK);
    assert_eq!(fichier.octets.as_ref(), PDF);
    assert_eq!(fichier.content_type(), "application/pdf");
    assert_eq!(
        fichier.headers["etag"].to_str().ok(),
        Some(format!("\"{}\"", sha256(PDF)).as_str())
    );
    assert!(
        fichier.headers["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("filename=\"domicile.pdf\"")),
        "{:?}",
        fichier.headers
    );

    // The download is journaled with the version read.
    let journal = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=ged.document&objet_id={id}"
        ))
        .await;
    assert_eq!(journal.status, StatusCode::OK, "{:?}", journal.body);
    let actions: Vec<&str> = journal
        .body
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"creation"), "{actions:?}");
    assert!(actions.contains(&"lecture"), "{actions:?}");
}

#[tokio::test]
async fn the_same_content_takes_one_blob_and_versions_keep_their_own() {
    let app = app().await;
    let usager = creer_usager(&app, "Bernard").await;
    let premier = deposer_pour(&app, &usager, "acte.pdf", PDF).await;
    let second = deposer_pour(&app, &usager, "copie.pdf", PDF).await;
    assert_ne!(premier["id"], second["id"]);
    let racine = app.documents.path();
    assert_eq!(blobs(racine), 1, "one blob for two deposits of one content");

    // A new version of the first document.
    let id = premier["id"].as_str().expect("id");
    let versions = format!("{DOCUMENTS}/{id}/versions");
    let identique = app
        .formulaire(None, &versions, &[], Some(("acte.pdf", PDF)))
        .await;
    assert_eq!(
        identique.status,
        StatusCode::CONFLICT,
        "{:?}",
        identique.body
    );
    assert_eq!(identique.body["code"], "version-identique");
    let v2 = app
        .formulaire(
            None,
            &versions,
            &[("commentaire", "version signée")],
            Some(("acte-signe.pdf", PDF_V2)),
        )
        .await;
    assert_eq!(v2.status, StatusCode::CREATED, "{:?}", v2.body);
    assert_eq!(v2.body["version_courante"], 2);
    assert_eq!(v2.body["versions"][1]["commentaire"], "version signée");
    assert_eq!(blobs(racine), 2);

    let courante = app.get(&format!("{DOCUMENTS}/{id}/contenu")).await;
    assert_eq!(courante.octets.as_ref(), PDF_V2);
    let ancienne = app
        .get(&format!("{DOCUMENTS}/{id}/contenu?version=1"))
        .await;
    assert_eq!(ancienne.octets.as_ref(), PDF);
    let absente = app
        .get(&format!("{DOCUMENTS}/{id}/contenu?version=3"))
        .await;
    assert_eq!(absente.status, StatusCode::NOT_FOUND);
    assert_eq!(absente.body["code"], "version-introuvable");
}

#[tokio::test]
async fn sizes_and_types_are_refused_with_a_reason() {
    let db = TestDb::new().await;
    let dossier = tempfile::tempdir().expect("tempdir");
    let ged = Ged::new(Arc::new(StockageFichiers::new(dossier.path())), 1024);
    let app = TestApp::start_with(
        tests_assemblage::registry(),
        db,
        tests_assemblage::default_today(),
        Some(A),
        move |state| state.with_ged(ged),
    )
    .await;
    app.commune(A, "Mont-Bonvillers").await;
    let champs = [("titre", "Photo de la tombe"), ("type_document", "photo")];

    let gros = app
        .formulaire(None, DOCUMENTS, &champs, Some(("scan.pdf", &[b'%'; 2048])))
        .await;
    assert_eq!(
        gros.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{:?}",
        gros.body
    );
    assert_eq!(gros.body["code"], "fichier-trop-volumineux");
    assert!(
        gros.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("scan.pdf") && d.contains("maximum")),
        "{:?}",
        gros.body
    );

    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0";
    let refuse = app
        .formulaire(None, DOCUMENTS, &champs, Some(("photo.exe", exe)))
        .await;
    assert_eq!(
        refuse.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{:?}",
        refuse.body
    );
    assert_eq!(refuse.body["code"], "type-non-autorise");

    let deguise = app
        .formulaire(None, DOCUMENTS, &champs, Some(("tombe.pdf", PNG)))
        .await;
    assert_eq!(deguise.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(deguise.body["code"], "type-incoherent");
    assert!(
        deguise.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("image PNG")),
        "{:?}",
        deguise.body
    );

    let vide = app
        .formulaire(None, DOCUMENTS, &champs, Some(("tombe.png", b"")))
        .await;
    assert_eq!(vide.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(vide.body["code"], "fichier-vide");

    let sans_fichier = app.formulaire(None, DOCUMENTS, &champs, None).await;
    assert_eq!(sans_fichier.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sans_fichier.body["errors"][0]["field"], "fichier");

    let sans_titre = app
        .formulaire(
            None,
            DOCUMENTS,
            &[("type_document", "photo")],
            Some(("tombe.png", PNG)),
        )
        .await;
    assert_eq!(sans_titre.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sans_titre.body["errors"][0]["field"], "titre");

    let module_inconnu = app
        .formulaire(
            None,
            DOCUMENTS,
            &[
                ("titre", "Plan"),
                ("type_document", "plan"),
                ("module", "voirie"),
                ("objet_type", "chantier"),
                ("objet_id", "12"),
            ],
            Some(("plan.png", PNG)),
        )
        .await;
    assert_eq!(module_inconnu.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(module_inconnu.body["errors"][0]["field"], "module");

    // Nothing refused left a blob behind.
    assert_eq!(blobs(dossier.path()), 0);
    let accepte = app
        .formulaire(None, DOCUMENTS, &champs, Some(("tombe.png", PNG)))
        .await;
    assert_eq!(accepte.status, StatusCode::CREATED, "{:?}", accepte.body);
    assert_eq!(blobs(dossier.path()), 1);
}

#[tokio::test]
async fn reading_a_document_needs_the_right_to_read_its_record() {
    let app = app().await;
    app.commune(B, "Longuyon").await;
    let usager = creer_usager(&app, "Petit").await;
    let doc = deposer_pour(&app, &usager, "domicile.pdf", PDF).await;
    let id = doc["id"].as_str().expect("id");
    let contenu = format!("{DOCUMENTS}/{id}/contenu");

    let ged_seul = app.jeton(A, &["ged.document.lire"]).await;
    let refuse = app.get_as(Some(&ged_seul), &contenu).await;
    assert_eq!(refuse.status, StatusCode::FORBIDDEN, "{:?}", refuse.body);
    assert!(
        refuse.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("usagers.usager.lire")),
        "{:?}",
        refuse.body
    );
    let liste = format!("{DOCUMENTS}?module=usagers&objet_type=usager&objet_id={usager}");
    assert_eq!(
        app.get_as(Some(&ged_seul), &liste).await.status,
        StatusCode::FORBIDDEN
    );

    let les_deux = app
        .jeton(A, &["ged.document.lire", "usagers.usager.lire"])
        .await;
    let lu = app.get_as(Some(&les_deux), &contenu).await;
    assert_eq!(lu.status, StatusCode::OK);
    assert_eq!(lu.octets.as_ref(), PDF);

    // Another collectivité does not see it.
    let autre = app.get_for(B, &contenu).await;
    assert_eq!(autre.status, StatusCode::NOT_FOUND);

    // A document attached to nothing needs only the GED's permission.
    let libre = app
        .formulaire(
            None,
            DOCUMENTS,
            &[
                ("titre", "Règlement du cimetière"),
                ("type_document", "reglement"),
            ],
            Some(("reglement.pdf", PDF_V2)),
        )
        .await;
    assert_eq!(libre.status, StatusCode::CREATED, "{:?}", libre.body);
    let libre_id = libre.body["id"].as_str().expect("id");
    let lu = app
        .get_as(Some(&ged_seul), &format!("{DOCUMENTS}/{libre_id}/contenu"))
        .await;
    assert_eq!(lu.status, StatusCode::OK);

    // The whole list shows each caller the documents it may read.
    let titres = |page: &Answer| -> Vec<String> {
        page.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["titre"].as_str().map(str::to_owned))
            .collect()
    };
    let tout = app.get_as(Some(&ged_seul), DOCUMENTS).await;
    assert_eq!(tout.status, StatusCode::OK, "{:?}", tout.body);
    assert_eq!(titres(&tout), ["Règlement du cimetière"]);
    let tout = app.get_as(Some(&les_deux), DOCUMENTS).await;
    assert_eq!(
        titres(&tout),
        ["Justificatif de domicile", "Règlement du cimetière"]
    );
    let page = app
        .get_as(Some(&les_deux), &format!("{DOCUMENTS}?limit=1"))
        .await;
    assert_eq!(titres(&page), ["Justificatif de domicile"]);
    let suite = page.body["next_cursor"].as_str().expect("a next page");
    let page = app
        .get_as(
            Some(&les_deux),
            &format!("{DOCUMENTS}?limit=1&cursor={suite}"),
        )
        .await;
    assert_eq!(titres(&page), ["Règlement du cimetière"]);
    assert!(page.body["next_cursor"].is_null());
    assert!(app.get_for(B, DOCUMENTS).await.body["items"] == json!([]));
    let partiel = app.get(&format!("{DOCUMENTS}?module=usagers")).await;
    assert_eq!(partiel.status, StatusCode::BAD_REQUEST);
    assert_eq!(partiel.body["errors"][0]["field"], "objet_type");

    // Attaching it to a usager then requires reading that usager.
    let rattacher = format!("{DOCUMENTS}/{libre_id}/rattachements");
    let objet = json!({"module": "usagers", "objet_type": "usager", "objet_id": usager});
    let depot_seul = app
        .jeton(A, &["ged.document.deposer", "ged.document.lire"])
        .await;
    assert_eq!(
        app.post_as(Some(&depot_seul), &rattacher, &objet)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let rattache = app.post(&rattacher, &objet).await;
    assert_eq!(rattache.status, StatusCode::OK, "{:?}", rattache.body);
    assert_eq!(
        rattache.body["rattachements"][0]["objet_id"],
        usager.as_str()
    );
    let detache = app
        .send(
            Method::DELETE,
            &format!("{rattacher}?module=usagers&objet_type=usager&objet_id={usager}"),
            &[],
            None,
        )
        .await;
    assert_eq!(detache.status, StatusCode::NO_CONTENT, "{:?}", detache.body);
    let encore = app
        .send(
            Method::DELETE,
            &format!("{rattacher}?module=usagers&objet_type=usager&objet_id={usager}"),
            &[],
            None,
        )
        .await;
    assert_eq!(encore.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_merge_moves_the_documents_to_the_usager_kept() {
    let app = app().await;
    let garde = creer_usager(&app, "Lefèvre").await;
    let absorbe = creer_usager(&app, "Lefebvre").await;
    deposer_pour(&app, &absorbe, "domicile.pdf", PDF).await;
    let fusion = app
        .post(
            &format!("/api/v1/usagers/{garde}/fusion"),
            &json!({"absorbe": absorbe}),
        )
        .await;
    assert_eq!(fusion.status, StatusCode::OK, "{:?}", fusion.body);
    let liste = |id: &str| format!("{DOCUMENTS}?module=usagers&objet_type=usager&objet_id={id}");
    assert_eq!(
        app.get(&liste(&garde)).await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        app.get(&liste(&absorbe)).await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

#[tokio::test]
async fn documents_are_purged_the_day_after_their_last_day_then_their_blobs_go() {
    let db = TestDb::new().await;
    let jour = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let app = tests_assemblage::app_with_db(db, jour).await;
    app.commune(A, "Mont-Bonvillers").await;
    let depot = app
        .formulaire(
            None,
            DOCUMENTS,
            &[
                ("titre", "Demande de place"),
                ("type_document", "demande"),
                ("conservation_ans", "1"),
            ],
            Some(("demande.pdf", PDF)),
        )
        .await;
    assert_eq!(depot.status, StatusCode::CREATED, "{:?}", depot.body);
    let id = depot.body["id"].as_str().expect("id").to_owned();
    assert_eq!(depot.body["conserver_jusqu_au"], "2027-11-24");
    let permanent = app
        .formulaire(
            None,
            DOCUMENTS,
            &[("titre", "Délibération"), ("type_document", "deliberation")],
            Some(("deliberation.pdf", PDF_V2)),
        )
        .await;
    assert_eq!(permanent.status, StatusCode::CREATED);
    let db = app.state.db();
    let stockage = app.state.ged().stockage();
    // A cleanup an hour and more after the deposits.
    let plus_tard = app.state.clock().now() + socle::ged::service::DELAI_NETTOYAGE;

    let dernier_jour = NaiveDate::from_ymd_opt(2027, 11, 24).expect("date");
    assert_eq!(
        socle::ged::service::purger(db, dernier_jour).await.ok(),
        Some(0)
    );
    assert_eq!(
        socle::ged::service::nettoyer(db, stockage, plus_tard)
            .await
            .ok(),
        Some(0)
    );
    assert_eq!(blobs(app.documents.path()), 2);

    assert_eq!(
        socle::ged::service::purger(db, dernier_jour + Duration::days(1))
            .await
            .ok(),
        Some(1)
    );
    assert_eq!(
        app.get(&format!("{DOCUMENTS}/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        socle::ged::service::nettoyer(db, stockage, plus_tard)
            .await
            .ok(),
        Some(1)
    );
    assert_eq!(
        blobs(app.documents.path()),
        1,
        "the permanent document stays"
    );
}

#[tokio::test]
async fn a_blob_whose_deposit_failed_is_removed_after_the_grace_period() {
    let app = app().await;
    let ged = app.state.ged();
    let maintenant = app.state.clock().now();
    // A deposit announced and wrote its blob, then its transaction failed: no version.
    let contenu = ged
        .preparer("brouillon.pdf", axum::body::Bytes::from_static(PDF))
        .expect("accepted");
    ged.stocker(app.state.db(), &contenu, maintenant)
        .await
        .expect("stored");
    assert_eq!(blobs(app.documents.path()), 1);
    let nettoyer = |avant| socle::ged::service::nettoyer(app.state.db(), ged.stockage(), avant);
    // Within the grace period (a deposit may be about to record its version): kept.
    assert_eq!(
        nettoyer(maintenant - socle::ged::service::DELAI_NETTOYAGE)
            .await
            .ok(),
        Some(0)
    );
    assert_eq!(blobs(app.documents.path()), 1);
    // After it: removed, row and content.
    assert_eq!(
        nettoyer(maintenant + Duration::seconds(1)).await.ok(),
        Some(1)
    );
    assert_eq!(blobs(app.documents.path()), 0);
    // The same content deposited again is written again.
    let depot = app
        .formulaire(
            None,
            DOCUMENTS,
            &[("titre", "Brouillon"), ("type_document", "brouillon")],
            Some(("brouillon.pdf", PDF)),
        )
        .await;
    assert_eq!(depot.status, StatusCode::CREATED, "{:?}", depot.body);
    let id = depot.body["id"].as_str().expect("id");
    let lu = app.get(&format!("{DOCUMENTS}/{id}/contenu")).await;
    assert_eq!(lu.octets.as_ref(), PDF);
}

#[tokio::test]
async fn a_record_is_named_as_written_and_another_collectivite_s_document_is_not_found() {
    let app = app().await;
    app.commune(B, "Longuyon").await;
    let usager = creer_usager(&app, "Roux").await;
    let doc = app
        .formulaire(
            None,
            DOCUMENTS,
            &[("titre", "Pièce"), ("type_document", "piece")],
            Some(("piece.pdf", PDF)),
        )
        .await;
    let id = doc.body["id"].as_str().expect("id").to_owned();
    // « usager » with a trailing space would name a kind no permission guards.
    let depot_seul = app
        .jeton(A, &["ged.document.deposer", "ged.document.lire"])
        .await;
    let espace = app
        .post_as(
            Some(&depot_seul),
            &format!("{DOCUMENTS}/{id}/rattachements"),
            &json!({"module": "usagers", "objet_type": "usager ", "objet_id": usager}),
        )
        .await;
    assert_eq!(
        espace.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        espace.body
    );
    assert_eq!(espace.body["errors"][0]["field"], "objet_type");
    let majuscules = app
        .formulaire(
            Some(&depot_seul),
            DOCUMENTS,
            &[
                ("titre", "Pièce"),
                ("type_document", "piece"),
                ("module", "usagers"),
                ("objet_type", "Usager"),
                ("objet_id", &usager),
            ],
            Some(("piece.pdf", PDF_V2)),
        )
        .await;
    assert_eq!(majuscules.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Another collectivité deleting it: not found, whatever its rights.
    let autre = app
        .send_as(
            Some(&app.token),
            Method::DELETE,
            &format!("{DOCUMENTS}/{id}?motif=erreur"),
            &[("x-collectivite", B)],
            None,
        )
        .await;
    assert_eq!(autre.status, StatusCode::NOT_FOUND);

    // A form that is not multipart is refused as a problem.
    let pas_un_formulaire = app
        .send_as(
            Some(&app.token),
            Method::POST,
            DOCUMENTS,
            &[("content-type", "text/plain")],
            Some(axum::body::Body::from("bonjour")),
        )
        .await;
    assert_eq!(pas_un_formulaire.status, StatusCode::BAD_REQUEST);
    assert_eq!(pas_un_formulaire.body["code"], "formulaire-invalide");
}
