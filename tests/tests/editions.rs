//! The editions service through HTTP: the elections module's attestation of registration in
//! PDF (its text read back with a PDF text extractor) and HTML, each collectivité's own
//! versions of the templates, its letterhead and logo, previews, and the errors an agent meets.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use base64::Engine;
use serde_json::{Value, json};
use tests_assemblage::{Answer, TestApp, app};

const A: &str = "54084";
const B: &str = "54395";
const ATTESTATION: &str = "/api/v1/editions/modeles/elections/attestation-inscription";

/// A 1×1 PNG image.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

fn id(body: &Value) -> String {
    body["id"].as_str().expect("id").to_owned()
}

use tests_assemblage::texte_pdf;

fn texte_html(answer: &Answer) -> String {
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert!(
        answer.content_type().starts_with("text/html"),
        "{}",
        answer.content_type()
    );
    String::from_utf8(answer.octets.to_vec()).expect("UTF-8")
}

/// A bureau, a usager and their registration in the collectivité `code`; the registration id.
async fn inscrire(app: &TestApp, code: &str, usager: Value, date: &str) -> String {
    let bureau = app
        .post_for(
            Some(code),
            "/api/v1/elections/bureaux",
            &json!({"code": "1", "nom": "Salle des fêtes", "lieu": "Place de l'Église"}),
        )
        .await;
    let bureau = if bureau.status == StatusCode::CONFLICT {
        let liste = app.get_for(code, "/api/v1/elections/bureaux").await;
        liste.body["items"][0].clone()
    } else {
        assert_eq!(bureau.status, StatusCode::CREATED, "{}", bureau.body);
        bureau.body
    };
    let usager = app.post_for(Some(code), "/api/v1/usagers", &usager).await;
    assert_eq!(usager.status, StatusCode::CREATED, "{}", usager.body);
    let inscription = app
        .post_for(
            Some(code),
            "/api/v1/elections/inscriptions",
            &json!({"usager_id": id(&usager.body), "bureau_id": id(&bureau), "date_inscription": date}),
        )
        .await;
    assert_eq!(
        inscription.status,
        StatusCode::CREATED,
        "{}",
        inscription.body
    );
    id(&inscription.body)
}

fn electrice() -> Value {
    json!({
        "nom_naissance": "Lœuillet", "nom_usage": "Mézières", "prenoms": "Élodie Françoise",
        "sexe": "F", "date_naissance": "1990-04-02",
        "adresses": [{"libelle": "3 rue de l'Abbé Grégoire", "code_postal": "54111", "commune": "Mont-Bonvillers"}]
    })
}

async fn send(
    app: &TestApp,
    method: Method,
    uri: &str,
    code: &str,
    json: Option<&Value>,
) -> Answer {
    let mut headers = vec![("x-collectivite", code)];
    if json.is_some() {
        headers.push(("content-type", "application/json"));
    }
    app.send(
        method,
        uri,
        &headers,
        json.map(|j| Body::from(j.to_string())),
    )
    .await
}

async fn entete(app: &TestApp, code: &str, body: &Value) {
    let answer = send(
        app,
        Method::PUT,
        "/api/v1/editions/entete",
        code,
        Some(body),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

fn attestation(inscription: &str, format: &str) -> String {
    format!("/api/v1/elections/inscriptions/{inscription}/attestation?format={format}")
}

#[tokio::test]
async fn the_attestation_pdf_holds_the_merged_text_with_its_accents() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    entete(
        &app,
        A,
        &json!({"adresse": "Place de la Mairie\n54111 Mont-Bonvillers", "telephone": "03 82 00 00 00",
                "signataire": {"nom": "Claire Lambert", "qualite": "La maire"}}),
    )
    .await;
    let inscription = inscrire(&app, A, electrice(), "2026-03-01").await;

    let pdf = app.get_for(A, &attestation(&inscription, "pdf")).await;
    assert!(
        pdf.headers["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("attestation-inscription.pdf"))
    );
    let texte = texte_pdf(&pdf);
    for attendu in [
        "MAIRIE DE MONT-BONVILLERS",
        "Place de la Mairie",
        "Attestation d'inscription sur la liste électorale",
        "La maire de Mont-Bonvillers atteste que",
        "LŒUILLET",
        "MÉZIÈRES",
        "Élodie Françoise",
        "Née le 2 avril 1990",
        "3 rue de l'Abbé Grégoire, 54111 Mont-Bonvillers",
        "est inscrite sur la liste électorale",
        "depuis le 1er mars 2026",
        "« Salle des fêtes » (Place de l'Église)",
        "Fait à Mont-Bonvillers, le 24 novembre 2026",
        "Claire Lambert",
    ] {
        assert!(texte.contains(attendu), "« {attendu} » absent de : {texte}");
    }
    // Merged, not copied: no merge field or tag of the template is left.
    for absent in ["{{", "{%", "usager.", "feminin", "date_longue"] {
        assert!(!texte.contains(absent), "« {absent} » dans : {texte}");
    }

    // The same attestation in HTML, by parameter or by Accept.
    let html = texte_html(&app.get_for(A, &attestation(&inscription, "html")).await);
    assert!(
        html.contains("MÉZIÈRES") && html.contains("1er mars 2026"),
        "{html}"
    );
    let negociee = app
        .send(
            Method::GET,
            &format!("/api/v1/elections/inscriptions/{inscription}/attestation"),
            &[
                ("x-collectivite", A),
                ("accept", "text/html,application/xhtml+xml"),
            ],
            None,
        )
        .await;
    assert_eq!(texte_html(&negociee), html);
    assert!(
        negociee.headers["content-security-policy"]
            .to_str()
            .is_ok_and(|p| p.contains("default-src 'none'"))
    );
    let sans_preference = app
        .get_for(
            A,
            &format!("/api/v1/elections/inscriptions/{inscription}/attestation"),
        )
        .await;
    assert_eq!(sans_preference.content_type(), "application/pdf");
    let inconnu = app.get_for(A, &attestation(&inscription, "docx")).await;
    assert_eq!(inconnu.status, StatusCode::BAD_REQUEST);
    assert_eq!(inconnu.body["code"], "parametre-invalide");

    // Each edition is journaled, with its template and format.
    let journal = app
        .get_for(
            A,
            &format!(
                "/api/v1/journal/entrees?objet_type=elections.inscription&objet_id={inscription}"
            ),
        )
        .await;
    let editions: Vec<&Value> = journal
        .body
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "edition")
        .collect();
    assert_eq!(editions.len(), 4, "{}", journal.body);
    assert_eq!(
        editions[0]["details"],
        json!({"modele": "elections/attestation-inscription", "format": "pdf"})
    );
    assert_eq!(editions[1]["details"]["format"], "html");

    // Another collectivité's registration is out of reach.
    app.commune(B, "Nancy").await;
    let ailleurs = app.get_for(B, &attestation(&inscription, "pdf")).await;
    assert_eq!(ailleurs.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn merged_values_are_escaped() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let inscription = inscrire(
        &app,
        A,
        json!({"nom_naissance": "<script>alert('x')</script>", "prenoms": "Jean & <b>Paul</b>", "sexe": "M"}),
        "2026-11-02",
    )
    .await;
    let html = texte_html(&app.get_for(A, &attestation(&inscription, "html")).await);
    assert!(
        !html.contains("<script>alert") && !html.contains("<b>Paul"),
        "{html}"
    );
    assert!(
        html.contains("&lt;SCRIPT&gt;ALERT(&#x27;X&#x27;)&lt;/SCRIPT&gt;"),
        "{html}"
    );
    assert!(
        html.contains("Jean &amp; &lt;b&gt;Paul&lt;/b&gt;"),
        "{html}"
    );
    // In the PDF, the same characters are text, shown as typed.
    let texte = texte_pdf(&app.get_for(A, &attestation(&inscription, "pdf")).await);
    assert!(texte.contains("<SCRIPT>ALERT('X')</SCRIPT>"), "{texte}");
    assert!(texte.contains("Jean & <b>Paul</b>"), "{texte}");
    assert!(texte.contains("est inscrit sur la liste"), "{texte}");
}

#[tokio::test]
async fn a_collectivite_s_version_changes_its_editions_only() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    app.commune(B, "Nancy").await;
    let chez_a = inscrire(&app, A, electrice(), "2026-03-01").await;
    let chez_b = inscrire(
        &app,
        B,
        json!({"nom_naissance": "Gérard", "prenoms": "Noël", "sexe": "M"}),
        "2025-12-01",
    )
    .await;

    // Nothing rewritten yet.
    let liste = app.get_for(A, "/api/v1/editions/modeles").await;
    assert_eq!(liste.status, StatusCode::OK);
    let items = liste.body["items"].as_array().expect("items");
    let noms: Vec<String> = items
        .iter()
        .map(|m| {
            format!(
                "{}/{}",
                m["module"].as_str().unwrap_or(""),
                m["nom"].as_str().unwrap_or("")
            )
        })
        .collect();
    for attendu in [
        "editions/en-tete",
        "editions/signature",
        "elections/attestation-inscription",
    ] {
        assert!(noms.iter().any(|n| n == attendu), "{noms:?}");
    }
    assert!(items.iter().all(|m| m["personnalise"] == false));
    let livre = app.get_for(A, ATTESTATION).await;
    assert_eq!(livre.status, StatusCode::OK);
    assert_eq!(livre.body["source"], livre.body["source_livree"]);
    let etag = livre.headers["etag"].to_str().expect("etag").to_owned();

    // A writes its own wording, and its own letterhead for every document.
    let source = "<h1>Certificat d'inscription électorale</h1>\n<p>{{ usager.prenoms }} {{ usager.nom | majuscules }}, bureau {{ bureau.code }}.</p>\n{% include \"editions/signature\" %}";
    let ecrit = app
        .send(
            Method::PUT,
            ATTESTATION,
            &[
                ("x-collectivite", A),
                ("content-type", "application/json"),
                ("if-match", &etag),
            ],
            Some(Body::from(json!({"source": source}).to_string())),
        )
        .await;
    assert_eq!(ecrit.status, StatusCode::OK, "{}", ecrit.body);
    assert_eq!(ecrit.body["personnalise"], true);
    assert_eq!(ecrit.body["source"], source);
    assert_eq!(ecrit.body["modifie_par"], "admin-test");
    // A second write with the old ETag is refused: it would overwrite the first.
    let perime = app
        .send(
            Method::PUT,
            ATTESTATION,
            &[
                ("x-collectivite", A),
                ("content-type", "application/json"),
                ("if-match", &etag),
            ],
            Some(Body::from(json!({"source": "<p>autre</p>"}).to_string())),
        )
        .await;
    assert_eq!(
        perime.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        perime.body
    );
    assert_eq!(perime.body["code"], "version-perimee");

    let texte_a = texte_pdf(&app.get_for(A, &attestation(&chez_a, "pdf")).await);
    assert!(
        texte_a.contains("Certificat d'inscription électorale")
            && texte_a.contains("Élodie Françoise MÉZIÈRES, bureau 1."),
        "{texte_a}"
    );
    assert!(!texte_a.contains("Attestation d'inscription"), "{texte_a}");
    let texte_b = texte_pdf(&app.get_for(B, &attestation(&chez_b, "pdf")).await);
    assert!(
        texte_b.contains("Attestation d'inscription sur la liste électorale")
            && texte_b.contains("GÉRARD")
            && texte_b.contains("MAIRIE DE NANCY"),
        "{texte_b}"
    );
    assert!(!texte_b.contains("Certificat"), "{texte_b}");
    let liste_b = app.get_for(B, "/api/v1/editions/modeles").await;
    assert!(
        liste_b.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|m| m["personnalise"] == false)
    );
    let liste_a = app.get_for(A, "/api/v1/editions/modeles").await;
    assert!(
        liste_a.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|m| { m["nom"] == "attestation-inscription" && m["personnalise"] == true })
    );

    // A's letterhead, written once, heads all of A's documents (B keeps the shipped one).
    let en_tete = send(
        &app,
        Method::PUT,
        "/api/v1/editions/modeles/editions/en-tete",
        A,
        Some(&json!({"source": "<p class=\"centre\"><strong>Ville fleurie de {{ collectivite.nom }}</strong></p>"})),
    )
    .await;
    assert_eq!(en_tete.status, StatusCode::OK, "{}", en_tete.body);
    let avec_en_tete = send(
        &app,
        Method::PUT,
        ATTESTATION,
        A,
        Some(&json!({"source": format!("{{% include \"editions/en-tete\" %}}\n{source}")})),
    )
    .await;
    assert_eq!(avec_en_tete.status, StatusCode::OK, "{}", avec_en_tete.body);
    let texte_a = texte_pdf(&app.get_for(A, &attestation(&chez_a, "pdf")).await);
    assert!(
        texte_a.contains("Ville fleurie de Mont-Bonvillers"),
        "{texte_a}"
    );
    let texte_b = texte_pdf(&app.get_for(B, &attestation(&chez_b, "pdf")).await);
    assert!(!texte_b.contains("Ville fleurie"), "{texte_b}");

    // A's logo shows in A's documents only.
    let png = base64::engine::general_purpose::STANDARD
        .decode(PNG)
        .expect("png");
    let logo = app
        .send(
            Method::PUT,
            "/api/v1/editions/entete/logo",
            &[("x-collectivite", A), ("content-type", "image/png")],
            Some(Body::from(png.clone())),
        )
        .await;
    assert_eq!(logo.status, StatusCode::OK, "{}", logo.body);
    assert_eq!(logo.body["largeur"], 1);
    send(
        &app,
        Method::DELETE,
        "/api/v1/editions/modeles/editions/en-tete",
        A,
        None,
    )
    .await;
    let html_a = texte_html(&app.get_for(A, &attestation(&chez_a, "html")).await);
    assert!(
        html_a.contains(&format!("data:image/png;base64,{PNG}")),
        "{html_a}"
    );
    let pdf_a = app.get_for(A, &attestation(&chez_a, "pdf")).await;
    assert!(
        contient(&pdf_a.octets, b"/Subtype/Image"),
        "no image in A's PDF"
    );
    let pdf_b = app.get_for(B, &attestation(&chez_b, "pdf")).await;
    assert!(
        !contient(&pdf_b.octets, b"/Subtype/Image"),
        "an image in B's PDF"
    );
    let lu = app.get_for(A, "/api/v1/editions/entete").await;
    assert_eq!(lu.body["logo"]["type_media"], "image/png");
    assert!(app.get_for(B, "/api/v1/editions/entete").await.body["logo"].is_null());

    // Back to the shipped template.
    let retabli = send(&app, Method::DELETE, ATTESTATION, A, None).await;
    assert_eq!(retabli.status, StatusCode::NO_CONTENT, "{}", retabli.body);
    let encore = send(&app, Method::DELETE, ATTESTATION, A, None).await;
    assert_eq!(encore.status, StatusCode::NOT_FOUND);
    let texte_a = texte_pdf(&app.get_for(A, &attestation(&chez_a, "pdf")).await);
    assert!(
        texte_a.contains("Attestation d'inscription sur la liste électorale"),
        "{texte_a}"
    );
    assert_eq!(
        app.get_for(A, ATTESTATION).await.body["personnalise"],
        false
    );

    // Each change is journaled.
    let journal = app
        .get_for(A, "/api/v1/journal/entrees?objet_type=editions.modele")
        .await;
    let actions: Vec<(&str, &str)> = journal
        .body
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or(""),
                e["objet_id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("modification", "elections/attestation-inscription"),
            ("modification", "editions/en-tete"),
            ("modification", "elections/attestation-inscription"),
            ("suppression", "editions/en-tete"),
            ("suppression", "elections/attestation-inscription"),
        ]
    );
}

fn contient(octets: &[u8], motif: &[u8]) -> bool {
    octets.windows(motif.len()).any(|w| w == motif)
}

#[tokio::test]
async fn a_template_that_does_not_compile_is_refused_with_its_line() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let refuse = send(
        &app,
        Method::PUT,
        ATTESTATION,
        A,
        Some(&json!({"source": "<h1>Attestation</h1>\n<p>{% if usager.nom %}{{ usager.nom }}</p>\n{% endfor %}"})),
    )
    .await;
    assert_eq!(
        refuse.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refuse.body
    );
    assert_eq!(refuse.body["code"], "modele-invalide");
    assert_eq!(refuse.body["errors"][0]["field"], "source");
    assert_eq!(refuse.body["errors"][0]["code"], "syntaxe");
    let detail = refuse.body["errors"][0]["detail"].as_str().expect("detail");
    assert!(detail.starts_with("ligne 3 : "), "{detail}");
    assert!(
        refuse.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ligne 3")),
        "{}",
        refuse.body
    );
    // Nothing was saved.
    assert_eq!(
        app.get_for(A, ATTESTATION).await.body["personnalise"],
        false
    );

    let vide = send(
        &app,
        Method::PUT,
        ATTESTATION,
        A,
        Some(&json!({"source": ""})),
    )
    .await;
    assert_eq!(vide.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(vide.body["errors"][0]["field"], "source");
    let inconnu = send(
        &app,
        Method::PUT,
        "/api/v1/editions/modeles/elections/carte-electorale",
        A,
        Some(&json!({"source": "<p>x</p>"})),
    )
    .await;
    assert_eq!(inconnu.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_for(A, "/api/v1/editions/modeles/inconnu/modele")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_missing_merge_field_is_named() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let inscription = inscrire(&app, A, electrice(), "2026-03-01").await;
    let ecrit = send(
        &app,
        Method::PUT,
        ATTESTATION,
        A,
        Some(&json!({"source": "<h1>Attestation</h1>\n<p>{{ usager.prenoms }}</p>\n<p>Surnom : {{ usager.surnom | majuscules }}</p>"})),
    )
    .await;
    assert_eq!(ecrit.status, StatusCode::OK, "{}", ecrit.body);
    for format in ["pdf", "html"] {
        let echec = app.get_for(A, &attestation(&inscription, format)).await;
        assert_eq!(
            echec.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            echec.body
        );
        assert_eq!(echec.body["code"], "champ-de-fusion-manquant");
        let detail = echec.body["detail"].as_str().expect("detail");
        assert!(
            detail.contains("« usager.surnom »")
                && detail.contains("elections/attestation-inscription")
                && detail.contains("ligne 3"),
            "{detail}"
        );
    }
    // A failed edition is not journaled as delivered.
    let journal = app
        .get_for(
            A,
            &format!(
                "/api/v1/journal/entrees?objet_type=elections.inscription&objet_id={inscription}"
            ),
        )
        .await;
    assert!(
        journal
            .body
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["action"] != "edition")
    );
}

#[tokio::test]
async fn previews_render_sample_data_and_drafts() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let exemple = json!({
        "usager": {"nom_naissance": "Dupré", "nom_usage": null, "prenoms": "Zoé", "sexe": "F",
                   "date_naissance": "2001-07-14", "adresse": null},
        "inscription": {"date_inscription": "2026-11-01"},
        "bureau": {"code": "2", "nom": "École Jules-Ferry", "lieu": "Rue de l'École"}
    });
    let apercu = |format: &'static str, corps: Value| {
        let app = &app;
        async move {
            send(
                app,
                Method::POST,
                &format!("{ATTESTATION}/apercu?format={format}"),
                A,
                Some(&corps),
            )
            .await
        }
    };
    let texte = texte_pdf(&apercu("pdf", json!({"donnees": exemple})).await);
    assert!(
        texte.contains("DUPRÉ")
            && texte.contains("Née le 14 juillet 2001")
            && texte.contains("depuis le 1er novembre 2026")
            && texte.contains("« École Jules-Ferry »"),
        "{texte}"
    );
    // A draft is rendered without being saved, with the signatory given.
    let brouillon = apercu(
        "html",
        json!({"donnees": exemple, "source": "<p>{{ usager.prenoms }} — {{ signataire.nom }}, {{ signataire.qualite | minuscules }}</p>",
               "signataire": {"nom": "Paul Ébert", "qualite": "Le Premier adjoint"}}),
    )
    .await;
    assert_eq!(
        texte_html(&brouillon),
        "<p>Zoé — Paul Ébert, le premier adjoint</p>"
    );
    assert_eq!(
        app.get_for(A, ATTESTATION).await.body["personnalise"],
        false
    );
    // Sample data lacking a field the template prints.
    let manque = apercu(
        "html",
        json!({"donnees": {"usager": {"nom_naissance": "Dupré"}}}),
    )
    .await;
    assert_eq!(
        manque.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        manque.body
    );
    assert_eq!(manque.body["code"], "champ-de-fusion-manquant");
    // A draft that does not compile.
    let casse = apercu(
        "html",
        json!({"donnees": exemple, "source": "{{ usager.nom "}),
    )
    .await;
    assert_eq!(casse.body["code"], "modele-invalide");
    // Data that is not an object.
    let liste = apercu("html", json!({"donnees": [1, 2]})).await;
    assert_eq!(liste.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(liste.body["errors"][0]["field"], "donnees");
}

#[tokio::test]
async fn the_letterhead_and_logo_are_checked() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let vide = app.get_for(A, "/api/v1/editions/entete").await;
    assert_eq!(vide.status, StatusCode::OK);
    assert_eq!(vide.body["nom"], "Mont-Bonvillers");
    assert!(vide.body["adresse"].is_null() && vide.body["logo"].is_null());
    let invalide = send(
        &app,
        Method::PUT,
        "/api/v1/editions/entete",
        A,
        Some(&json!({"courriel": "pas un courriel", "signataire": {"nom": " ", "qualite": "Le maire"}})),
    )
    .await;
    assert_eq!(invalide.status, StatusCode::UNPROCESSABLE_ENTITY);
    let champs: Vec<&str> = invalide.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(champs, ["courriel", "signataire.nom"], "{}", invalide.body);

    let deposer = |type_: &'static str, octets: Vec<u8>| {
        let app = &app;
        async move {
            app.send(
                Method::PUT,
                "/api/v1/editions/entete/logo",
                &[("x-collectivite", A), ("content-type", type_)],
                Some(Body::from(octets)),
            )
            .await
        }
    };
    let png = base64::engine::general_purpose::STANDARD
        .decode(PNG)
        .expect("png");
    let pas_une_image = deposer("image/png", b"GIF89a, pas du PNG".to_vec()).await;
    assert_eq!(pas_une_image.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pas_une_image.body["code"], "logo-invalide");
    let tronque = deposer("image/png", png[..30].to_vec()).await;
    assert_eq!(
        tronque.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        tronque.body
    );
    let mal_declare = deposer("image/jpeg", png.clone()).await;
    assert_eq!(mal_declare.status, StatusCode::UNPROCESSABLE_ENTITY);
    let autre_type = deposer("image/svg+xml", b"<svg/>".to_vec()).await;
    assert_eq!(autre_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A small PNG declaring a huge picture is refused before anything is decoded.
    let mut bombe = png.clone();
    bombe[16..20].copy_from_slice(&100_000_u32.to_be_bytes());
    bombe[20..24].copy_from_slice(&100_000_u32.to_be_bytes());
    let crc = crc32(&bombe[12..29]);
    bombe[29..33].copy_from_slice(&crc.to_be_bytes());
    let bombe = deposer("image/png", bombe).await;
    assert_eq!(
        bombe.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bombe.body
    );
    assert_eq!(bombe.body["code"], "logo-invalide");
    let mut enorme = png.clone();
    enorme.resize(600 * 1024, 0);
    let trop_gros = deposer("image/png", enorme).await;
    assert_eq!(trop_gros.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(app.get_for(A, "/api/v1/editions/entete").await.body["logo"].is_null());

    assert_eq!(deposer("image/png", png).await.status, StatusCode::OK);
    let retire = send(
        &app,
        Method::DELETE,
        "/api/v1/editions/entete/logo",
        A,
        None,
    )
    .await;
    assert_eq!(retire.status, StatusCode::NO_CONTENT);
    let encore = send(
        &app,
        Method::DELETE,
        "/api/v1/editions/entete/logo",
        A,
        None,
    )
    .await;
    assert_eq!(encore.status, StatusCode::NOT_FOUND);
}

/// An agent of `code` whose role grants `permissions`, logged in.
async fn agent(app: &TestApp, login: &str, code: &str, permissions: &[&str]) -> String {
    app.agent(login, code, permissions).await.1
}

/// The CRC-32 of PNG chunks (ISO 3309), to forge a header the decoder would believe.
fn crc32(octets: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for octet in octets {
        crc ^= u32::from(*octet);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test]
async fn rights_are_enforced() {
    let app = app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let inscription = inscrire(&app, A, electrice(), "2026-03-01").await;
    let lecteur = agent(&app, "lecteur", A, &["editions.modele.lire"]).await;
    let guichet = agent(&app, "guichet", A, &["elections.inscription.lire"]).await;

    let lu = app.get_as(Some(&lecteur), ATTESTATION).await;
    assert_eq!(lu.status, StatusCode::OK);
    let ecrire = app
        .send_as(
            Some(&lecteur),
            Method::PUT,
            ATTESTATION,
            &[("content-type", "application/json")],
            Some(Body::from(json!({"source": "<p>x</p>"}).to_string())),
        )
        .await;
    assert_eq!(ecrire.status, StatusCode::FORBIDDEN);
    assert_eq!(ecrire.body["code"], "droit-insuffisant");
    let logo = app
        .send_as(
            Some(&lecteur),
            Method::DELETE,
            "/api/v1/editions/entete/logo",
            &[],
            None,
        )
        .await;
    assert_eq!(logo.status, StatusCode::FORBIDDEN);
    // A draft is a template about to be saved: previewing one needs the right to change them.
    let brouillon = app
        .post_as(
            Some(&lecteur),
            &format!("{ATTESTATION}/apercu?format=html"),
            &json!({"donnees": {}, "source": "<p>{% for i in range(10) %}x{% endfor %}</p>"}),
        )
        .await;
    assert_eq!(
        brouillon.status,
        StatusCode::FORBIDDEN,
        "{}",
        brouillon.body
    );
    // Templates are not records of the elections module: reading them needs their own right.
    let refuse = app.get_as(Some(&guichet), ATTESTATION).await;
    assert_eq!(refuse.status, StatusCode::FORBIDDEN);
    let sans_droit = app
        .get_as(Some(&lecteur), &attestation(&inscription, "pdf"))
        .await;
    assert_eq!(sans_droit.status, StatusCode::FORBIDDEN);
    assert_eq!(sans_droit.body["code"], "droit-insuffisant");
    let delivree = app
        .get_as(Some(&guichet), &attestation(&inscription, "pdf"))
        .await;
    assert!(texte_pdf(&delivree).contains("MÉZIÈRES"));
}

#[tokio::test]
async fn every_shipped_template_compiles() {
    let app = app().await;
    let livres = socle::editions::service::modeles_livres(app.state.registry());
    assert!(livres.len() >= 3);
    for (module, modele) in livres {
        assert!(
            modele
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{module}/{}",
            modele.name
        );
        if let Err(erreur) = socle::editions::modele::verifier(modele.source) {
            panic!("{module}/{} : {erreur}", modele.name);
        }
    }
}
