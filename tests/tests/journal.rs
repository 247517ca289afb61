//! The audit journal: every read and change of a protected record is journaled, and any entry
//! edited, deleted or reordered directly in the database is reported by position.

use axum::http::{Method, StatusCode};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{Value, json};
use socle::journal::chain::Anomalie;

const A: &str = "54084";

async fn app_with_history() -> (tests_assemblage::TestApp, String) {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    let created = app
        .post(
            "/api/v1/cimetiere/cimetieres",
            &json!({"nom": "Cimetière communal"}),
        )
        .await;
    let id = created.body["id"].as_str().expect("id").to_owned();
    let uri = format!("/api/v1/cimetiere/cimetieres/{id}");
    app.send(
        Method::GET,
        &uri,
        &[("x-motif", "demande de concession n° 12")],
        None,
    )
    .await;
    app.get("/api/v1/cimetiere/cimetieres").await;
    app.post(
        "/api/v1/elections/bureaux",
        &json!({"code": "1", "nom": "Mairie", "lieu": "Mairie"}),
    )
    .await;
    app.get(&uri).await;
    (app, id)
}

async fn anomalies(app: &tests_assemblage::TestApp) -> Vec<Anomalie> {
    socle::journal::verifier(&app.db.db)
        .await
        .expect("readable")
        .anomalies
}

async fn sql(app: &tests_assemblage::TestApp, statement: &str) {
    app.db
        .db
        .execute_unprepared(statement)
        .await
        .expect("tampering statement");
}

#[tokio::test]
async fn reads_and_changes_are_journaled_with_who_and_why() {
    let (app, id) = app_with_history().await;
    let answer = app
        .get(&format!(
            "/api/v1/journal/entrees?objet_type=cimetiere.cimetiere&objet_id={id}"
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let entries = answer.body.as_array().expect("entries");
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["creation", "lecture", "lecture"]);
    assert_eq!(entries[1]["motif"], "demande de concession n° 12");
    assert!(entries[2]["motif"].is_null());
    let me = app.get("/api/v1/droits/moi").await;
    for entry in entries {
        assert_eq!(entry["acteur_type"], "agent");
        assert_eq!(entry["acteur_id"], me.body["principal"]["id"]);
    }
    let seqs: Vec<i64> = entries
        .iter()
        .map(|e| e["seq"].as_i64().expect("seq"))
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));

    let report = app.get("/api/v1/journal/verification").await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(report.body["anomalies"], json!([]));
    assert!(report.body["entrees_verifiees"].as_u64().expect("count") >= 5);
}

#[tokio::test]
async fn a_failed_change_leaves_no_entry() {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    app.post("/api/v1/cimetiere/cimetieres", &json!({"nom": "Unique"}))
        .await;
    let before = socle::journal::verifier(&app.db.db)
        .await
        .expect("report")
        .derniere_seq;
    let again = app
        .post("/api/v1/cimetiere/cimetieres", &json!({"nom": "Unique"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let after = socle::journal::verifier(&app.db.db)
        .await
        .expect("report")
        .derniere_seq;
    assert_eq!(before, after, "nothing half-written");
}

#[tokio::test]
async fn an_untouched_journal_verifies() {
    let (app, _) = app_with_history().await;
    assert_eq!(anomalies(&app).await, []);
}

#[tokio::test]
async fn an_edited_entry_is_reported() {
    let (app, _) = app_with_history().await;
    sql(
        &app,
        "UPDATE journal_entree SET objet_id = 'autre' WHERE seq = 2",
    )
    .await;
    assert_eq!(anomalies(&app).await, [Anomalie::EntreeModifiee { seq: 2 }]);
}

#[tokio::test]
async fn a_deleted_entry_is_reported() {
    let (app, _) = app_with_history().await;
    sql(&app, "DELETE FROM journal_entree WHERE seq = 3").await;
    assert_eq!(
        anomalies(&app).await,
        [Anomalie::EntreesManquantes { de: 3, a: 3 }]
    );
}

#[tokio::test]
async fn reordered_entries_are_reported() {
    let (app, _) = app_with_history().await;
    // Swap the positions of entries 2 and 3.
    sql(&app, "UPDATE journal_entree SET seq = -2 WHERE seq = 2").await;
    sql(&app, "UPDATE journal_entree SET seq = 2 WHERE seq = 3").await;
    sql(&app, "UPDATE journal_entree SET seq = 3 WHERE seq = -2").await;
    let found = anomalies(&app).await;
    assert!(
        found.contains(&Anomalie::EntreeModifiee { seq: 2 }),
        "{found:?}"
    );
    assert!(
        found.contains(&Anomalie::EntreeModifiee { seq: 3 }),
        "{found:?}"
    );
}

#[tokio::test]
async fn a_truncated_journal_is_reported() {
    let (app, _) = app_with_history().await;
    let last = socle::journal::verifier(&app.db.db)
        .await
        .expect("report")
        .derniere_seq;
    sql(
        &app,
        &format!("DELETE FROM journal_entree WHERE seq >= {}", last - 1),
    )
    .await;
    assert_eq!(
        anomalies(&app).await,
        [Anomalie::FinTronquee {
            derniere: last - 2,
            attendue: last
        }]
    );
}

#[tokio::test]
async fn retention_purges_old_entries_and_the_rest_still_verifies() {
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    // A year and a half ago…
    let then = tests_assemblage::app_on(date(2025, 5, 2)).await;
    then.commune(A, "Mont-Bonvillers").await;
    then.post("/api/v1/cimetiere/cimetieres", &json!({"nom": "Ancien"}))
        .await;
    then.get("/api/v1/cimetiere/cimetieres").await;
    let old = socle::journal::verifier(&then.db.db)
        .await
        .expect("report")
        .derniere_seq;
    // …and today.
    let now = tests_assemblage::app_with_db(then.db, date(2026, 11, 24)).await;
    now.post("/api/v1/cimetiere/cimetieres", &json!({"nom": "Récent"}))
        .await;
    now.get("/api/v1/cimetiere/cimetieres").await;
    let last = socle::journal::verifier(&now.db.db)
        .await
        .expect("report")
        .derniere_seq;

    // Twelve months of retention on 24 November 2026: everything before 24 November 2025 goes.
    let cutoff = date(2025, 11, 24)
        .and_hms_opt(0, 0, 0)
        .expect("time")
        .and_utc();
    let deleted = socle::journal::purger(&now.db.db, cutoff, "essai".into())
        .await
        .expect("purge");
    assert_eq!(deleted, u64::try_from(old).expect("positive"));
    let report = socle::journal::verifier(&now.db.db).await.expect("report");
    assert_eq!(report.anomalies, []);
    // What was kept, and the purge's own entry, which records the new starting point.
    assert_eq!(
        report.entrees_verifiees,
        u64::try_from(last - old + 1).expect("positive")
    );

    // Deleting the first kept entry is still seen.
    sql(
        &now,
        &format!("DELETE FROM journal_entree WHERE seq = {}", old + 1),
    )
    .await;
    assert_eq!(
        anomalies(&now).await,
        [Anomalie::EntreesManquantes {
            de: old + 1,
            a: old + 1
        }]
    );
}

#[tokio::test]
async fn the_auditor_export_is_journaled() {
    let (app, _) = app_with_history().await;
    let answer = app
        .send(Method::GET, "/api/v1/journal/export", &[], None)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type(), "application/x-ndjson");
    let after = app
        .get("/api/v1/journal/entrees?objet_type=journal.entree")
        .await;
    let exports: Vec<&Value> = after
        .body
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "export")
        .collect();
    assert_eq!(exports.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_are_all_journaled_in_one_unbroken_chain() {
    let app = std::sync::Arc::new(tests_assemblage::app().await);
    app.commune(A, "Mont-Bonvillers").await;
    let created = app
        .post(
            "/api/v1/cimetiere/cimetieres",
            &json!({"nom": "Cimetière communal"}),
        )
        .await;
    let uri = format!(
        "/api/v1/cimetiere/cimetieres/{}",
        created.body["id"].as_str().expect("id")
    );
    let before = socle::journal::verifier(&app.db.db)
        .await
        .expect("report")
        .derniere_seq;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let (app, uri) = (std::sync::Arc::clone(&app), uri.clone());
        tasks.push(tokio::spawn(async move { app.get(&uri).await.status }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("request"), StatusCode::OK);
    }
    let report = socle::journal::verifier(&app.db.db).await.expect("report");
    assert_eq!(report.anomalies, []);
    assert_eq!(
        report.derniere_seq,
        before + 40,
        "one entry per read, none lost"
    );
}

#[tokio::test]
async fn moving_the_head_or_forging_its_hash_is_reported() {
    let (app, _) = app_with_history().await;
    let report = socle::journal::verifier(&app.db.db).await.expect("report");
    let (last, hash) = (report.derniere_seq, report.empreinte_finale.clone());
    let second = socle::journal::entity::entree::Entity::find_by_id(2i64)
        .one(&app.db.db)
        .await
        .expect("readable")
        .expect("entry 2")
        .empreinte;

    // Hiding entries 1 and 2 by moving the starting point past them.
    sql(
        &app,
        &format!("UPDATE journal_tete SET premiere_seq = 3, ancre = '{second}'"),
    )
    .await;
    assert_eq!(
        anomalies(&app).await,
        [Anomalie::EntreesAvantDepart {
            nombre: 2,
            premiere_seq: 3
        }]
    );
    let genesis = socle::journal::chain::GENESIS;
    sql(
        &app,
        &format!("UPDATE journal_tete SET premiere_seq = 1, ancre = '{genesis}'"),
    )
    .await;
    assert_eq!(anomalies(&app).await, []);

    // A head whose hash is not the last entry's.
    sql(&app, "UPDATE journal_tete SET empreinte = 'ffff'").await;
    assert_eq!(anomalies(&app).await, [Anomalie::TeteAlteree { seq: last }]);
    sql(
        &app,
        &format!("UPDATE journal_tete SET empreinte = '{hash}'"),
    )
    .await;

    // An anchor kept outside the server: a rewritten chain no longer matches it.
    let intact = socle::journal::verifier_avec_ancre(&app.db.db, Some((2, second.as_str())))
        .await
        .expect("report");
    assert_eq!(intact.anomalies, []);
    let other = "0".repeat(64);
    let rewritten = socle::journal::verifier_avec_ancre(&app.db.db, Some((2, other.as_str())))
        .await
        .expect("report");
    assert_eq!(
        rewritten.anomalies,
        [Anomalie::AncreExterneDifferente { seq: 2 }]
    );
}

/// A new collectivité written in `unite`, through the core's service.
async fn nouvelle_collectivite(unite: &socle::unite::UniteDeTravail, code: &str) {
    socle::collectivite::create(
        unite,
        socle::collectivite::NouvelleCollectivite {
            code: code.to_owned(),
            nature: socle::collectivite::Nature::Commune,
            nom: format!("Commune {code}"),
        },
        chrono::Utc::now(),
    )
    .await
    .expect("created");
}

async fn collectivite_existe(app: &tests_assemblage::TestApp, code: &str) -> bool {
    socle::collectivite::find(&app.db.db, code)
        .await
        .expect("readable")
        .is_some()
}

#[tokio::test]
async fn a_change_is_committed_with_its_journal_entries_or_a_reason_or_not_at_all() {
    use socle::unite::UniteDeTravail;
    let app = tests_assemblage::app().await;
    let db = &app.db.db;
    let avant = socle::journal::verifier(db).await.expect("report");

    // No entry, no reason: nothing is written.
    let unite = UniteDeTravail::systeme(db, None).await.expect("opened");
    nouvelle_collectivite(&unite, "54395").await;
    let refus = unite.valider().await.expect_err("refused");
    assert!(
        refus.to_string().contains("sans entrée de journal"),
        "{refus}"
    );
    assert!(!collectivite_existe(&app, "54395").await);

    // With its entries: committed, the entries chained at the end of the journal.
    let mut unite = UniteDeTravail::systeme(db, None).await.expect("opened");
    nouvelle_collectivite(&unite, "54395").await;
    let premiere = unite.evenement("creation", "collectivites.collectivite", "54395");
    unite.consigner(premiere);
    socle::journal::creation(&mut unite, "collectivites.essai", 2);
    unite.valider().await.expect("committed");
    assert!(collectivite_existe(&app, "54395").await);
    let apres = socle::journal::verifier(db).await.expect("report");
    assert_eq!(apres.derniere_seq, avant.derniere_seq + 2);
    assert!(apres.anomalies.is_empty(), "{:?}", apres.anomalies);

    // With a reason instead: committed, nothing journaled.
    let mut unite = UniteDeTravail::systeme(db, None).await.expect("opened");
    nouvelle_collectivite(&unite, "54396").await;
    unite.sans_journal("essai d'une modification technique");
    unite.valider().await.expect("committed");
    assert!(collectivite_existe(&app, "54396").await);
    let enfin = socle::journal::verifier(db).await.expect("report");
    assert_eq!(enfin.derniere_seq, apres.derniere_seq);

    // Dropped: nothing.
    let unite = UniteDeTravail::systeme(db, None).await.expect("opened");
    nouvelle_collectivite(&unite, "54397").await;
    drop(unite);
    assert!(!collectivite_existe(&app, "54397").await);
}

/// Two changes publish an event each; the first holds its transaction open while the second
/// commits. Positions in the outbox follow the commits: when the second is committed, the first
/// is too, with the smaller position — a reader past the second never misses the first.
#[tokio::test]
async fn outbox_positions_follow_the_order_of_commits() {
    use socle::evenements::{Publication, entity::evenement};
    use socle::unite::UniteDeTravail;
    let app = tests_assemblage::app().await;
    let collectivite: uuid::Uuid = app
        .commune(A, "Mont-Bonvillers")
        .await
        .parse()
        .expect("uuid");
    let publier = |type_: &'static str| {
        let db = app.db.db.clone();
        async move {
            let unite = UniteDeTravail::systeme(&db, Some(collectivite))
                .await
                .expect("opened");
            let publie = socle::evenements::publier(
                &unite,
                Publication {
                    collectivite_id: collectivite,
                    type_,
                    sujet: type_.to_owned(),
                    donnees: json!({}),
                },
                chrono::Utc::now(),
            )
            .await
            .expect("published");
            (unite, publie.seq)
        }
    };
    let lent = tokio::spawn({
        let premier = publier("essai.premier");
        async move {
            let (mut unite, seq) = premier.await;
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            let entree = unite.evenement("essai", "evenements.essai", seq);
            unite.consigner(entree);
            unite.valider().await.expect("committed");
            seq
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let (mut unite, second) = publier("essai.second").await;
    let entree = unite.evenement("essai", "evenements.essai", second);
    unite.consigner(entree);
    unite.valider().await.expect("committed");
    // The second is committed: everything before its position is visible.
    let visibles: Vec<i64> = evenement::Entity::find()
        .all(&app.db.db)
        .await
        .expect("readable")
        .into_iter()
        .filter(|e| e.type_.starts_with("essai."))
        .map(|e| e.seq)
        .collect();
    let premier = lent.await.expect("first change");
    assert!(premier < second, "{premier} then {second}");
    assert!(
        visibles.contains(&premier),
        "position {second} visible while {premier} was not committed: {visibles:?}"
    );
}
