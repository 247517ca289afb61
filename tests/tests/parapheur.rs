//! The parapheur through HTTP: a circuit of two signatories who sign in order, the record of a
//! module that becomes final only when the last one has signed (through the `parapheur.signe`
//! event), a refusal, and the checks on circuits, turns and closed folders.

use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use socle::evenements::distribuer;
use tests_assemblage::{TestApp, default_today};

const A: &str = "54084";
const DOSSIERS: &str = "/api/v1/parapheur/dossiers";
const ARRETE_PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Title (Arrete 2026-12) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// A module of arrêtés: an arrêté is `brouillon` until the parapheur says it is signed
/// (`definitif`) or refused (`refuse`). Its table is created by the test.
struct Arretes;

#[socle::prelude::async_trait]
impl socle::Module for Arretes {
    fn id(&self) -> &'static str {
        "arretes"
    }
    fn name(&self) -> &'static str {
        "Arrêtés du maire"
    }
    fn version(&self) -> &'static str {
        "0"
    }
    fn events_handled(&self) -> &'static [&'static str] {
        &["parapheur.signe", "parapheur.refuse"]
    }
    async fn traiter_evenement(
        &self,
        ctx: &socle::module::EvenementRecu<'_>,
    ) -> Result<(), sea_orm::DbErr> {
        let objet = &ctx.donnees["objet"];
        if objet["module"] != "arretes" || objet["objet_type"] != "arrete" {
            return Ok(());
        }
        let etat = if ctx.type_ == "parapheur.signe" {
            "definitif"
        } else {
            "refuse"
        };
        let backend = ctx.db.get_database_backend();
        ctx.db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                sql(backend, "UPDATE test_arrete SET etat = ? WHERE id = ?"),
                [
                    etat.into(),
                    objet["objet_id"].as_str().unwrap_or_default().into(),
                ],
            ))
            .await?;
        Ok(())
    }
}

socle::register_module!(Arretes);

/// `?` placeholders as the backend wants them.
fn sql(backend: sea_orm::DbBackend, requete: &str) -> String {
    if backend == sea_orm::DbBackend::Postgres {
        let mut n = 0;
        requete
            .chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        requete.to_owned()
    }
}

async fn creer_arrete(app: &TestApp, id: &str) {
    let db = app.state.db();
    let backend = db.get_database_backend();
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS test_arrete (id VARCHAR(36) PRIMARY KEY, etat VARCHAR(20) NOT NULL)",
    )
    .await
    .expect("table");
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO test_arrete (id, etat) VALUES (?, 'brouillon')",
        ),
        [id.into()],
    ))
    .await
    .expect("arrêté");
}

async fn etat_arrete(app: &TestApp, id: &str) -> String {
    let db = app.state.db();
    let backend = db.get_database_backend();
    let ligne = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, "SELECT etat FROM test_arrete WHERE id = ?"),
            [id.into()],
        ))
        .await
        .expect("query")
        .expect("arrêté");
    ligne.try_get::<String>("", "etat").expect("etat")
}

/// One pass of the distribution of events to the modules.
async fn distribuer_evenements(app: &TestApp) {
    let rapport = distribuer(
        app.state.db(),
        app.state.registry(),
        default_today(),
        app.state.clock().now(),
    )
    .await
    .expect("distribution");
    let arretes = rapport
        .iter()
        .find(|d| d.module == "arretes")
        .expect("arretes handles events");
    assert_eq!(arretes.echec, None);
}

/// An arrêté and its PDF deposited in the GED, attached to it: the arrêté's id and the
/// document's.
async fn arrete_avec_document(app: &TestApp, numero: &str) -> (String, String) {
    let arrete = uuid::Uuid::now_v7().to_string();
    creer_arrete(app, &arrete).await;
    let depot = app
        .formulaire(
            None,
            "/api/v1/ged/documents",
            &[
                ("titre", &format!("Arrêté n° {numero}")),
                ("type_document", "arrete"),
                ("module", "arretes"),
                ("objet_type", "arrete"),
                ("objet_id", &arrete),
            ],
            Some(("arrete.pdf", ARRETE_PDF)),
        )
        .await;
    assert_eq!(depot.status, StatusCode::CREATED, "{:?}", depot.body);
    (arrete, depot.body["id"].as_str().expect("id").to_owned())
}

fn soumission(document: &str, arrete: &str, circuit: &[&str]) -> Value {
    json!({
        "titre": "Arrêté de voirie",
        "document_id": document,
        "circuit": circuit,
        "objet": {"module": "arretes", "objet_type": "arrete", "objet_id": arrete},
    })
}

struct Equipe {
    dgs: (String, String),
    maire: (String, String),
    secretaire: (String, String),
}

async fn equipe(app: &TestApp) -> Equipe {
    let signataire = ["parapheur.dossier.signer", "parapheur.dossier.lire"];
    Equipe {
        dgs: app.agent("dgs", A, &signataire).await,
        maire: app.agent("maire", A, &signataire).await,
        secretaire: app
            .agent("secretaire", A, &["parapheur.dossier.lire"])
            .await,
    }
}

#[tokio::test]
async fn a_record_becomes_final_only_after_both_signatories_sign() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let equipe = equipe(&app).await;
    let (arrete, document) = arrete_avec_document(&app, "2026-12").await;

    let soumis = app
        .post(
            DOSSIERS,
            &soumission(&document, &arrete, &[&equipe.dgs.0, &equipe.maire.0]),
        )
        .await;
    assert_eq!(soumis.status, StatusCode::CREATED, "{:?}", soumis.body);
    let id = soumis.body["id"].as_str().expect("id").to_owned();
    assert_eq!(soumis.body["etat"], "en_cours");
    assert_eq!(soumis.body["etape_courante"], 1);
    assert_eq!(soumis.body["version"], 1);
    let empreinte = hex(&Sha256::digest(ARRETE_PDF));
    assert_eq!(soumis.body["empreinte"], empreinte.as_str());
    let signature = format!("{DOSSIERS}/{id}/signature");

    // The maire is second: not his turn yet, and not in his list of folders to sign.
    let trop_tot = app
        .post_as(Some(&equipe.maire.1), &signature, &json!({}))
        .await;
    assert_eq!(
        trop_tot.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        trop_tot.body
    );
    assert_eq!(trop_tot.body["code"], "pas-votre-tour");
    assert!(
        trop_tot.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("étape 1") && d.contains("dgs")),
        "{:?}",
        trop_tot.body
    );
    let a_signer = |jeton: String| {
        let app = &app;
        async move {
            app.get_as(Some(&jeton), &format!("{DOSSIERS}?a_signer=true"))
                .await
                .body["items"]
                .as_array()
                .map(Vec::len)
        }
    };
    assert_eq!(a_signer(equipe.maire.1.clone()).await, Some(0));
    assert_eq!(a_signer(equipe.dgs.1.clone()).await, Some(1));
    // An API token is not a signatory.
    let jeton = app.jeton(A, &["parapheur.dossier.signer"]).await;
    let par_jeton = app.post_as(Some(&jeton), &signature, &json!({})).await;
    assert_eq!(par_jeton.status, StatusCode::FORBIDDEN);
    assert_eq!(par_jeton.body["code"], "signataire-agent");

    // The first signature: the folder waits for the maire; the arrêté is still a draft.
    let premiere = app
        .post_as(
            Some(&equipe.dgs.1),
            &signature,
            &json!({"commentaire": "Vu, conforme"}),
        )
        .await;
    assert_eq!(premiere.status, StatusCode::OK, "{:?}", premiere.body);
    assert_eq!(premiere.body["etat"], "en_cours");
    assert_eq!(premiere.body["etape_courante"], 2);
    assert_eq!(premiere.body["etapes"][0]["etat"], "signee");
    assert_eq!(premiere.body["etapes"][0]["empreinte"], empreinte.as_str());
    assert_eq!(premiere.body["etapes"][0]["commentaire"], "Vu, conforme");
    assert!(premiere.body["etapes"][0]["decide_le"].is_string());
    assert_eq!(premiere.body["etapes"][1]["etat"], "en_attente");
    distribuer_evenements(&app).await;
    assert_eq!(etat_arrete(&app, &arrete).await, "brouillon");
    let pas_encore = app.get(&format!("{DOSSIERS}/{id}/document-signe")).await;
    assert_eq!(pas_encore.status, StatusCode::CONFLICT);
    assert_eq!(pas_encore.body["code"], "dossier-non-signe");
    // The dgs cannot sign twice.
    let deux_fois = app
        .post_as(Some(&equipe.dgs.1), &signature, &json!({}))
        .await;
    assert_eq!(deux_fois.body["code"], "pas-votre-tour");
    assert_eq!(a_signer(equipe.maire.1.clone()).await, Some(1));

    // The second and last signature: signed; the arrêté becomes final when the event comes.
    let seconde = app
        .post_as(Some(&equipe.maire.1), &signature, &json!({}))
        .await;
    assert_eq!(seconde.status, StatusCode::OK, "{:?}", seconde.body);
    assert_eq!(seconde.body["etat"], "signe");
    assert_eq!(seconde.body["version_signee"], 1);
    assert!(seconde.body["etape_courante"].is_null());
    assert_eq!(etat_arrete(&app, &arrete).await, "brouillon");
    distribuer_evenements(&app).await;
    assert_eq!(etat_arrete(&app, &arrete).await, "definitif");

    let signe = app.get(&format!("{DOSSIERS}/{id}/document-signe")).await;
    assert_eq!(signe.status, StatusCode::OK, "{:?}", signe.body);
    assert_eq!(signe.body["empreinte"], empreinte.as_str());
    let signataires: Vec<&str> = signe.body["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .filter_map(|s| s["signataire"].as_str())
        .collect();
    assert_eq!(signataires, ["dgs", "maire"]);
    let contenu = app
        .get(signe.body["contenu"].as_str().expect("download"))
        .await;
    assert_eq!(contenu.status, StatusCode::OK);
    assert_eq!(contenu.octets.as_ref(), ARRETE_PDF);

    // Closed: nobody signs it any more.
    let apres = app
        .post_as(Some(&equipe.maire.1), &signature, &json!({}))
        .await;
    assert_eq!(apres.status, StatusCode::CONFLICT);
    assert_eq!(apres.body["code"], "dossier-clos");

    // Submission, both signatures, in the journal.
    let journal = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=parapheur.dossier&objet_id={id}"
        ))
        .await;
    let actions: Vec<&str> = journal
        .body
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| ["soumission", "signature"].contains(a))
            .count(),
        3,
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_refusal_ends_the_circuit_and_the_record_is_refused() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let equipe = equipe(&app).await;
    let (arrete, document) = arrete_avec_document(&app, "2026-13").await;
    let soumis = app
        .post(
            DOSSIERS,
            &soumission(&document, &arrete, &[&equipe.dgs.0, &equipe.maire.0]),
        )
        .await;
    let id = soumis.body["id"].as_str().expect("id").to_owned();

    let sans_motif = app
        .post_as(
            Some(&equipe.dgs.1),
            &format!("{DOSSIERS}/{id}/refus"),
            &json!({"motif": "  "}),
        )
        .await;
    assert_eq!(sans_motif.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sans_motif.body["errors"][0]["field"], "motif");

    let refus = app
        .post_as(
            Some(&equipe.dgs.1),
            &format!("{DOSSIERS}/{id}/refus"),
            &json!({"motif": "Visa du contrôle de légalité manquant"}),
        )
        .await;
    assert_eq!(refus.status, StatusCode::OK, "{:?}", refus.body);
    assert_eq!(refus.body["etat"], "refuse");
    assert_eq!(
        refus.body["motif_refus"],
        "Visa du contrôle de légalité manquant"
    );
    assert_eq!(refus.body["etapes"][1]["etat"], "en_attente");
    distribuer_evenements(&app).await;
    assert_eq!(etat_arrete(&app, &arrete).await, "refuse");

    // The maire is not asked any more.
    let trop_tard = app
        .post_as(
            Some(&equipe.maire.1),
            &format!("{DOSSIERS}/{id}/signature"),
            &json!({}),
        )
        .await;
    assert_eq!(trop_tard.status, StatusCode::CONFLICT);
    assert_eq!(trop_tard.body["code"], "dossier-clos");
    let liste = app.get(&format!("{DOSSIERS}?etat=refuse")).await;
    assert_eq!(liste.body["items"].as_array().map(Vec::len), Some(1));
    let mauvais_etat = app.get(&format!("{DOSSIERS}?etat=perdu")).await;
    assert_eq!(mauvais_etat.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_circuit_names_distinct_agents_allowed_to_sign() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let equipe = equipe(&app).await;
    let (arrete, document) = arrete_avec_document(&app, "2026-14").await;
    let inconnu = uuid::Uuid::now_v7().to_string();
    let refuse = app
        .post(
            DOSSIERS,
            &soumission(
                &document,
                &arrete,
                &[
                    &equipe.maire.0,
                    &equipe.secretaire.0,
                    &equipe.maire.0,
                    &inconnu,
                ],
            ),
        )
        .await;
    assert_eq!(
        refuse.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refuse.body
    );
    let erreurs: Vec<(String, String)> = refuse.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        erreurs,
        [
            ("circuit[1]".to_owned(), "droit".to_owned()),
            ("circuit[2]".to_owned(), "doublon".to_owned()),
            ("circuit[3]".to_owned(), "inconnu".to_owned()),
        ]
    );
    let vide = app
        .post(DOSSIERS, &soumission(&document, &arrete, &[]))
        .await;
    assert_eq!(vide.body["errors"][0]["field"], "circuit");

    // A document that does not exist, or a version it does not have.
    let absent = app
        .post(DOSSIERS, &soumission(&inconnu, &arrete, &[&equipe.maire.0]))
        .await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    let mut version = soumission(&document, &arrete, &[&equipe.maire.0]);
    version["version"] = json!(7);
    let sans_version = app.post(DOSSIERS, &version).await;
    assert_eq!(sans_version.status, StatusCode::NOT_FOUND);
    assert_eq!(sans_version.body["code"], "version-introuvable");

    // Submitting needs its permission.
    let lecteur = app.jeton(A, &["parapheur.dossier.lire"]).await;
    let interdit = app
        .post_as(
            Some(&lecteur),
            DOSSIERS,
            &soumission(&document, &arrete, &[&equipe.maire.0]),
        )
        .await;
    assert_eq!(interdit.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_document_altered_in_the_store_is_not_signed() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let equipe = equipe(&app).await;
    let (arrete, document) = arrete_avec_document(&app, "2026-15").await;
    let soumis = app
        .post(DOSSIERS, &soumission(&document, &arrete, &[&equipe.dgs.0]))
        .await;
    let id = soumis.body["id"].as_str().expect("id").to_owned();

    // Someone edits the stored file behind the application's back.
    let empreinte = hex(&Sha256::digest(ARRETE_PDF));
    let blob = app
        .documents
        .path()
        .join("sha256")
        .join(&empreinte[..2])
        .join(&empreinte[2..4])
        .join(&empreinte);
    std::fs::write(&blob, b"%PDF-1.4\n% autre contenu\n%%EOF\n").expect("altered");

    let signature = app
        .post_as(
            Some(&equipe.dgs.1),
            &format!("{DOSSIERS}/{id}/signature"),
            &json!({}),
        )
        .await;
    assert_eq!(signature.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(signature.body["code"], "contenu-altere");
    let dossier = app.get(&format!("{DOSSIERS}/{id}")).await;
    assert_eq!(dossier.body["etat"], "en_cours");
    assert_eq!(dossier.body["etapes"][0]["etat"], "en_attente");
    distribuer_evenements(&app).await;
    assert_eq!(etat_arrete(&app, &arrete).await, "brouillon");
}

#[tokio::test]
async fn a_folder_decides_only_about_the_record_of_its_document_and_holds_it() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let equipe = equipe(&app).await;
    let (arrete, document) = arrete_avec_document(&app, "2026-16").await;
    let (autre_arrete, _) = arrete_avec_document(&app, "2026-17").await;

    // Submitting the first arrêté's document as if it were the second's.
    let detourne = app
        .post(
            DOSSIERS,
            &soumission(&document, &autre_arrete, &[&equipe.dgs.0]),
        )
        .await;
    assert_eq!(detourne.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(detourne.body["errors"][0]["code"], "non-rattache");

    // Its own: accepted, and the document is held by the folder.
    let soumis = app
        .post(DOSSIERS, &soumission(&document, &arrete, &[&equipe.dgs.0]))
        .await;
    assert_eq!(soumis.status, StatusCode::CREATED, "{:?}", soumis.body);
    let doc = app.get(&format!("/api/v1/ged/documents/{document}")).await;
    assert!(
        doc.body["retenu_par"]
            .as_str()
            .is_some_and(|r| r.contains("dossier de signature")),
        "{:?}",
        doc.body
    );
    let suppression = app
        .send(
            axum::http::Method::DELETE,
            &format!("/api/v1/ged/documents/{document}?motif=erreur"),
            &[],
            None,
        )
        .await;
    assert_eq!(suppression.status, StatusCode::CONFLICT);
    assert_eq!(suppression.body["code"], "document-retenu");

    // Someone who may read folders but not the arrêtés' documents sees nothing of it.
    let lecteur = app.jeton(A, &["parapheur.dossier.lire"]).await;
    let id = soumis.body["id"].as_str().expect("id");
    assert_eq!(
        app.get_as(Some(&lecteur), &format!("{DOSSIERS}/{id}"))
            .await
            .status,
        StatusCode::OK,
        "no permission guards the test module's arrêtés"
    );
}

fn hex(octets: &[u8]) -> String {
    octets.iter().map(|o| format!("{o:02x}")).collect()
}
