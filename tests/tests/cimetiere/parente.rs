//! Kinship decides: who rests in a family concession, who asks for an exhumation and who may
//! object to it, who renews or converts a concession — each side of each rule, through HTTP.

use axum::http::StatusCode;
use serde_json::{Value, json};
use tests_assemblage::{Answer, TestApp};

use super::{A, cimetiere_et_zone, emplacement, id, usager};

/// A family concession of `titulaire` on an emplacement of `places` places, sold on
/// 2015-05-01, naming `personnes`; returns the emplacement and the concession.
async fn concession_familiale(
    app: &TestApp,
    numero: &str,
    titulaire: &str,
    places: i32,
    personnes: Value,
) -> (String, String) {
    let (base, zone) = cimetiere_et_zone(app, &format!("Cimetière {numero}")).await;
    app.post(
        "/api/v1/cimetiere/tarifs",
        &json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    )
    .await;
    let lieu = emplacement(app, &base, &zone, numero, "concession", places).await;
    let vendue = app
        .post(
            "/api/v1/cimetiere/concessions",
            &json!({
                "emplacement_id": lieu, "numero_acte": numero, "date_acte": "2015-05-01",
                "type_concession": "trentenaire", "forme": "familiale",
                "concessionnaire_id": titulaire, "personnes": personnes,
            }),
        )
        .await;
    assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
    (lieu, id(&vendue.body))
}

/// An inhumation of `nom` in `lieu`, with the fields of `plus`.
async fn inhumer(app: &TestApp, lieu: &str, nom: &str, plus: Value) -> Answer {
    let mut corps = json!({"defunt_nom": nom, "date_deces": "2026-11-10",
                           "date_inhumation": "2026-11-13"});
    if let (Some(c), Some(p)) = (corps.as_object_mut(), plus.as_object()) {
        c.extend(p.clone());
    }
    app.post(
        &format!("/api/v1/cimetiere/emplacements/{lieu}/inhumations"),
        &corps,
    )
    .await
}

#[tokio::test]
async fn a_family_concession_receives_the_holder_s_family_and_others_with_the_heirs_consent() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let titulaire = usager(&app, "MOREL").await;
    let (lieu, _) = concession_familiale(
        &app,
        "F-1",
        &titulaire,
        30,
        json!([{"role": "exclu", "nom": "Marc DURAND", "lien": "gendre"}]),
    )
    .await;

    // The holder's family rests there of right, whatever word the agent uses.
    for (i, (mot, code)) in [
        ("épouse", "conjoint"),
        ("fils", "enfant"),
        ("fille adoptive", "enfant"),
        ("Mère", "parent"),
        ("petite-fille", "petit_enfant"),
        ("grand-père", "grand_parent"),
        ("arrière-petit-fils", "arriere_petit_enfant"),
        ("gendre", "allie"),
        ("belle-mère", "allie"),
        ("belle-sœur", "allie_collateral"),
    ]
    .into_iter()
    .enumerate()
    {
        let admise = inhumer(&app, &lieu, &format!("Famille N{i}"), json!({"lien": mot})).await;
        assert_eq!(
            admise.status,
            StatusCode::CREATED,
            "{mot}: {:?}",
            admise.body
        );
        assert_eq!(admise.body["lien"], code, "{mot}");
        assert_eq!(admise.body["consentement_ayants_droit"], false, "{mot}");
        let droit = admise.body["droit"].as_str().unwrap_or_default();
        assert!(
            droit.contains(&format!("{mot} du titulaire")),
            "{mot}: {droit}"
        );
    }

    // Outside the family (collaterals, a PACS partner, no kinship): the heirs' consent.
    for (i, (mot, libelle)) in [
        ("frère", "frère"),
        ("nièce", "nièce"),
        ("oncle", "oncle"),
        ("cousine", "cousine"),
        ("pacsée", "pacsée"),
        ("voisin", "voisin"),
        ("ami", "ami"),
        ("sans_lien", "sans lien de parenté"),
    ]
    .into_iter()
    .enumerate()
    {
        let nom = format!("Autre N{i}");
        for consentement in [json!(null), json!(false)] {
            let refusee = inhumer(
                &app,
                &lieu,
                &nom,
                json!({"lien": mot, "consentement_ayants_droit": consentement}),
            )
            .await;
            assert_eq!(
                refusee.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{mot}: {:?}",
                refusee.body
            );
            assert_eq!(
                refusee.body["errors"][0]["field"],
                "consentement_ayants_droit"
            );
            assert_eq!(refusee.body["errors"][0]["code"], "hors-famille");
            let detail = refusee.body["detail"].as_str().unwrap_or_default();
            assert!(
                detail.contains(&format!("{libelle} du titulaire")) && detail.contains("unanime"),
                "{detail}"
            );
        }
        let admise = inhumer(
            &app,
            &lieu,
            &nom,
            json!({"lien": mot, "consentement_ayants_droit": true}),
        )
        .await;
        assert_eq!(
            admise.status,
            StatusCode::CREATED,
            "{mot}: {:?}",
            admise.body
        );
        assert_eq!(admise.body["consentement_ayants_droit"], true);
        assert!(
            admise.body["droit"]
                .as_str()
                .is_some_and(|d| d.contains("consentement unanime des ayants droit"))
        );
    }

    // The person the holder excluded stays excluded, consent or not.
    let exclu = inhumer(
        &app,
        &lieu,
        "Marc  Durand",
        json!({"lien": "gendre", "consentement_ayants_droit": true}),
    )
    .await;
    assert_eq!(exclu.status, StatusCode::CONFLICT, "{:?}", exclu.body);
    assert_eq!(exclu.body["code"], "exclu");

    // A word no kinship names, or no kinship at all, is refused naming the field.
    let inconnu = inhumer(&app, &lieu, "Paul X", json!({"lien": "voisinage"})).await;
    assert_eq!(inconnu.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(inconnu.body["errors"][0]["field"], "lien");
    assert!(
        inconnu.body["errors"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("voisinage") && d.contains("petit_enfant"))
    );
    let sans = inhumer(
        &app,
        &lieu,
        "Paul X",
        json!({"consentement_ayants_droit": true}),
    )
    .await;
    assert_eq!(sans.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sans.body["errors"][0]["field"], "lien");

    // The holder themself is recognised by the registry's id, or by the registry's name, with
    // no kinship needed.
    let par_le_nom = inhumer(&app, &lieu, "MOREL Paul", json!({})).await;
    assert_eq!(
        par_le_nom.status,
        StatusCode::CREATED,
        "{:?}",
        par_le_nom.body
    );
    assert!(
        par_le_nom.body["droit"]
            .as_str()
            .is_some_and(|d| d.starts_with("titulaire"))
    );
    let lui = inhumer(&app, &lieu, "", json!({"defunt_id": titulaire})).await;
    assert_eq!(lui.status, StatusCode::CREATED, "{:?}", lui.body);
    assert!(
        lui.body["droit"]
            .as_str()
            .is_some_and(|d| d.starts_with("titulaire"))
    );
}

/// Asks for the exhumation of `inhumation` by `demandeur`, of kinship `lien`.
async fn exhumer(app: &TestApp, inhumation: &str, demandeur: &str, lien: &str) -> Answer {
    app.post(
        &format!("/api/v1/cimetiere/inhumations/{inhumation}/exhumation"),
        &json!({"nature": "reduction", "demandeur_id": demandeur, "lien": lien,
                "attestation": true}),
    )
    .await
}

/// Records the objection of `opposant`, of kinship `lien`, to the exhumation of `inhumation`.
async fn opposer(app: &TestApp, inhumation: &str, opposant: &str, lien: &str) -> Answer {
    app.post(
        &format!("/api/v1/cimetiere/inhumations/{inhumation}/oppositions"),
        &json!({"opposant_id": opposant, "lien": lien, "recue_le": "2026-11-20",
                "motif": "Courrier du 18 novembre 2026"}),
    )
    .await
}

#[tokio::test]
async fn an_exhumation_is_asked_by_a_relative_and_waits_while_one_as_close_objects() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let titulaire = usager(&app, "ROUX").await;
    let (lieu, _) = concession_familiale(&app, "E-1", &titulaire, 4, json!([])).await;
    let rose = id(
        &inhumer(&app, &lieu, "Rose ROUX", json!({"lien": "épouse"}))
            .await
            .body,
    );
    let marcel = id(
        &inhumer(&app, &lieu, "Marcel ROUX", json!({"lien": "père"}))
            .await
            .body,
    );
    let fils = usager(&app, "FILS").await;
    let fille = usager(&app, "FILLE").await;
    let petit_fils = usager(&app, "PETITFILS").await;
    let neveu = usager(&app, "NEVEU").await;
    let voisin = usager(&app, "VOISIN").await;
    let gendre = usager(&app, "GENDRE").await;

    // No kinship, no exhumation; nor an objection.
    for mot in ["voisin", "aucun lien de parenté", "sans_lien"] {
        let refusee = exhumer(&app, &rose, &voisin, mot).await;
        assert_eq!(refusee.status, StatusCode::UNPROCESSABLE_ENTITY, "{mot}");
        assert_eq!(refusee.body["errors"][0]["field"], "lien");
        assert_eq!(refusee.body["errors"][0]["code"], "sans-parente");
        assert!(
            refusee.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("R2213-40"))
        );
    }
    let objection_voisin = opposer(&app, &rose, &voisin, "voisin").await;
    assert_eq!(objection_voisin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(objection_voisin.body["errors"][0]["code"], "sans-parente");

    // The daughter objects: her brother (same degree) and her nephew (further) must wait.
    let objection = opposer(&app, &rose, &fille, "fille").await;
    assert_eq!(
        objection.status,
        StatusCode::CREATED,
        "{:?}",
        objection.body
    );
    assert_eq!(objection.body["lien"], "enfant");
    assert_eq!(objection.body["lien_precision"], "fille");
    for (demandeur, mot) in [(&fils, "fils"), (&petit_fils, "petit-fils")] {
        let bloquee = exhumer(&app, &rose, demandeur, mot).await;
        assert_eq!(
            bloquee.status,
            StatusCode::CONFLICT,
            "{mot}: {:?}",
            bloquee.body
        );
        assert_eq!(bloquee.body["code"], "opposition-parent");
        assert!(
            bloquee.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("2026-11-20") && d.contains("tribunal judiciaire"))
        );
    }
    // A nephew's objection does not stop a closer relative.
    let plus_loin = opposer(&app, &rose, &neveu, "neveu").await;
    assert_eq!(plus_loin.status, StatusCode::CREATED);
    // Lifted once, not twice.
    let levee = app
        .post(
            &format!(
                "/api/v1/cimetiere/oppositions/{}/levee",
                id(&objection.body)
            ),
            &json!({}),
        )
        .await;
    assert_eq!(levee.status, StatusCode::OK, "{:?}", levee.body);
    assert_eq!(levee.body["levee_le"], "2026-11-24");
    let encore = app
        .post(
            &format!(
                "/api/v1/cimetiere/oppositions/{}/levee",
                id(&objection.body)
            ),
            &json!({}),
        )
        .await;
    assert_eq!(encore.status, StatusCode::CONFLICT);
    assert_eq!(encore.body["code"], "opposition-levee");
    let faite = exhumer(&app, &rose, &petit_fils, "petit-fils").await;
    assert_eq!(faite.status, StatusCode::CREATED, "{:?}", faite.body);
    let trop_tard = opposer(&app, &rose, &fils, "fils").await;
    assert_eq!(trop_tard.status, StatusCode::CONFLICT);
    assert_eq!(trop_tard.body["code"], "deja-exhume");
    assert_eq!(faite.body["lien"], "petit_enfant");
    assert_eq!(faite.body["lien_precision"], "petit-fils");
    let liste = app
        .get(&format!("/api/v1/cimetiere/inhumations/{rose}/oppositions"))
        .await;
    assert_eq!(liste.status, StatusCode::OK);
    let liste = liste.body.as_array().cloned().unwrap_or_default();
    assert_eq!(liste.len(), 2);
    assert_eq!(liste[0]["levee_le"], "2026-11-24");
    assert!(liste[1]["levee_le"].is_null());

    // The nephew's objection to the grandfather's exhumation: a grandson, closer, passes; a
    // nephew of the same degree waits. An ally with the attestation may ask.
    let objection = opposer(&app, &marcel, &neveu, "petit-neveu").await;
    assert_eq!(objection.status, StatusCode::UNPROCESSABLE_ENTITY);
    let objection = opposer(&app, &marcel, &neveu, "neveu").await;
    assert_eq!(objection.status, StatusCode::CREATED);
    let meme_degre = exhumer(&app, &marcel, &voisin, "nièce").await;
    assert_eq!(meme_degre.body["code"], "opposition-parent");
    let allie = exhumer(&app, &marcel, &gendre, "gendre").await;
    assert_eq!(allie.status, StatusCode::CREATED, "{:?}", allie.body);
    assert_eq!(allie.body["lien"], "allie");
}

#[tokio::test]
async fn a_concession_is_renewed_or_converted_by_its_holder_or_an_heir() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let (base, zone) = cimetiere_et_zone(&app, "Cimetière communal").await;
    for corps in [
        json!({"type_concession": "temporaire", "duree_ans": 5, "montant_centimes": 5000, "date_effet": "2015-01-01"}),
        json!({"type_concession": "trentenaire", "montant_centimes": 30000, "date_effet": "2015-01-01"}),
    ] {
        app.post("/api/v1/cimetiere/tarifs", &corps).await;
    }
    let titulaire = usager(&app, "LEROY").await;
    let fille = usager(&app, "FILLE").await;
    let neveu = usager(&app, "NEVEU").await;
    let tiers = usager(&app, "TIERS").await;
    let mut concessions = Vec::new();
    for i in 0..3 {
        let lieu = emplacement(&app, &base, &zone, &format!("R-{i}"), "concession", 1).await;
        let vendue = app
            .post(
                "/api/v1/cimetiere/concessions",
                &json!({
                    "emplacement_id": lieu, "numero_acte": format!("R-{i}"),
                    "date_acte": "2019-11-24", "type_concession": "temporaire", "duree_ans": 5,
                    "forme": "familiale", "concessionnaire_id": titulaire,
                    "personnes": [{"role": "ayant_droit", "usager_id": fille,
                                   "nom": "Claire LEROY", "lien": "fille"}],
                }),
            )
            .await;
        assert_eq!(vendue.status, StatusCode::CREATED, "{:?}", vendue.body);
        concessions.push(id(&vendue.body));
    }
    let renouveler = |concession: &str, corps: Value| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/concessions/{concession}/renouvellements"),
        );
        async move { app.post(&uri, &corps).await }
    };

    // Someone unrelated to the concession is refused, with the way to prove a quality.
    let tiers_refuse = renouveler(
        &concessions[0],
        json!({"date": "2025-01-10", "demandeur_id": tiers}),
    )
    .await;
    assert_eq!(
        tiers_refuse.status,
        StatusCode::CONFLICT,
        "{:?}",
        tiers_refuse.body
    );
    assert_eq!(tiers_refuse.body["code"], "demandeur-sans-qualite");
    assert!(
        tiers_refuse.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("R-0") && d.contains("ayant_droit"))
    );
    let sans_justificatif = renouveler(
        &concessions[0],
        json!({"date": "2025-01-10", "demandeur_id": neveu,
               "ayant_droit": {"lien": "neveu", "justificatif": "  "}}),
    )
    .await;
    assert_eq!(sans_justificatif.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        sans_justificatif.body["errors"][0]["field"],
        "ayant_droit.justificatif"
    );
    // The heir the act records, the holder, an heir who proves it (then recorded).
    let par_la_fille = renouveler(
        &concessions[0],
        json!({"date": "2025-01-10", "demandeur_id": fille}),
    )
    .await;
    assert_eq!(
        par_la_fille.status,
        StatusCode::CREATED,
        "{:?}",
        par_la_fille.body
    );
    let par_le_titulaire = renouveler(&concessions[1], json!({"date": "2025-01-10"})).await;
    assert_eq!(par_le_titulaire.status, StatusCode::CREATED);
    assert_eq!(par_le_titulaire.body["demandeur_id"], titulaire.as_str());
    let par_le_neveu = renouveler(
        &concessions[2],
        json!({"date": "2025-01-10", "demandeur_id": neveu,
               "ayant_droit": {"lien": "neveu",
                               "justificatif": "Acte de notoriété du 3 janvier 2025"}}),
    )
    .await;
    assert_eq!(
        par_le_neveu.status,
        StatusCode::CREATED,
        "{:?}",
        par_le_neveu.body
    );
    let concession = app
        .get(&format!("/api/v1/cimetiere/concessions/{}", concessions[2]))
        .await;
    let inscrit = concession.body["personnes"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["usager_id"] == neveu.as_str()).cloned())
        .expect("the heir recorded");
    assert_eq!(inscrit["role"], "ayant_droit");
    assert_eq!(inscrit["lien"], "neveu_niece");
    assert_eq!(
        inscrit["justificatif"],
        "Acte de notoriété du 3 janvier 2025"
    );

    // Conversion: the same people; a kind the commune does not offer is named in French.
    let convertir = |concession: &str, corps: Value| {
        let (app, uri) = (
            &app,
            format!("/api/v1/cimetiere/concessions/{concession}/conversions"),
        );
        async move { app.post(&uri, &corps).await }
    };
    let conversion = json!({"date": "2026-11-20", "type_concession": "trentenaire",
                            "demandeur_id": tiers});
    let refusee = convertir(&concessions[1], conversion.clone()).await;
    assert_eq!(refusee.status, StatusCode::CONFLICT, "{:?}", refusee.body);
    assert_eq!(refusee.body["code"], "demandeur-sans-qualite");
    let perpetuelle = convertir(
        &concessions[1],
        json!({"date": "2026-11-20", "type_concession": "perpetuelle"}),
    )
    .await;
    assert_eq!(perpetuelle.status, StatusCode::UNPROCESSABLE_ENTITY);
    let detail = perpetuelle.body["errors"][0]["detail"]
        .as_str()
        .unwrap_or_default();
    assert!(
        detail.contains("concession perpétuelle au") && !detail.contains("0 ans"),
        "{detail}"
    );
    let par_la_fille = convertir(
        &concessions[1],
        json!({"date": "2026-11-20", "type_concession": "trentenaire", "demandeur_id": fille}),
    )
    .await;
    assert_eq!(
        par_la_fille.status,
        StatusCode::CREATED,
        "{:?}",
        par_la_fille.body
    );
    assert_eq!(par_la_fille.body["demandeur_id"], fille.as_str());
}
