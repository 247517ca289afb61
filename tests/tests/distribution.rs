//! Events given to the modules that handle them: the elections module flags the registration
//! of an elector whose death becomes known, once, in order, with its own changes committed
//! together with its position in the outbox.

use axum::http::StatusCode;
use serde_json::{Value, json};
use socle::evenements::distribuer;
use tests_assemblage::{TestApp, app, default_today};

fn id(body: &Value) -> String {
    body["id"].as_str().expect("id").to_owned()
}

async fn passe(app: &TestApp) -> Vec<socle::evenements::Distribution> {
    distribuer(
        app.state.db(),
        app.state.registry(),
        default_today(),
        app.state.clock().now(),
    )
    .await
    .expect("distribution")
}

#[tokio::test]
async fn a_registered_electors_death_is_flagged_once() {
    let app = app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    let bureau = app
        .post(
            "/api/v1/elections/bureaux",
            &json!({"code": "1", "nom": "Mairie", "lieu": "Salle du conseil"}),
        )
        .await;
    let mut inscriptions = Vec::new();
    let mut usagers = Vec::new();
    for nom in ["Garnier", "Perrin"] {
        let usager = app
            .post(
                "/api/v1/usagers",
                &json!({"nom_naissance": nom, "prenoms": "Yves", "date_naissance": "1940-02-02"}),
            )
            .await;
        let inscription = app
            .post(
                "/api/v1/elections/inscriptions",
                &json!({"usager_id": id(&usager.body), "bureau_id": id(&bureau.body)}),
            )
            .await;
        assert_eq!(
            inscription.status,
            StatusCode::CREATED,
            "{}",
            inscription.body
        );
        usagers.push(id(&usager.body));
        inscriptions.push(id(&inscription.body));
    }
    let read = |n: usize| {
        let (app, inscription) = (&app, inscriptions[n].clone());
        async move {
            app.get(&format!("/api/v1/elections/inscriptions/{inscription}"))
                .await
                .body
        }
    };
    let first = passe(&app).await;
    let elections = first
        .iter()
        .find(|d| d.module == "elections")
        .expect("elections handles events");
    assert_eq!(elections.traites, 0, "nobody died yet");
    assert!(read(0).await.get("a_verifier").is_none());

    let death = app
        .post(
            &format!("/api/v1/usagers/{}/deces", usagers[0]),
            &json!({"date": "2026-11-20", "source": "acte_etat_civil"}),
        )
        .await;
    assert_eq!(death.status, StatusCode::OK, "{}", death.body);
    // Not before the pass: the module reacts to the event, not to the request.
    assert!(read(0).await.get("a_verifier").is_none());
    let second = passe(&app).await;
    let elections = second
        .iter()
        .find(|d| d.module == "elections")
        .expect("elections");
    assert_eq!((elections.traites, elections.echec.clone()), (1, None));
    let flagged = read(0).await;
    assert!(
        flagged["a_verifier"]
            .as_str()
            .is_some_and(|m| m.contains("2026-11-20") && m.contains("radiation")),
        "{flagged}"
    );
    assert!(
        read(1).await.get("a_verifier").is_none(),
        "the other elector is untouched"
    );

    // Again: nothing new to handle.
    let third = passe(&app).await;
    let elections = third
        .iter()
        .find(|d| d.module == "elections")
        .expect("elections");
    assert_eq!(elections.traites, 0);
}

/// A module whose handler fails while [`EN_PANNE`] is set, and records what it handled.
struct Panne;

static EN_PANNE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);
static VUS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

#[socle::prelude::async_trait]
impl socle::Module for Panne {
    fn id(&self) -> &'static str {
        "panne"
    }
    fn name(&self) -> &'static str {
        "Module en panne"
    }
    fn version(&self) -> &'static str {
        "0"
    }
    fn events_handled(&self) -> &'static [&'static str] {
        &["usager.*"]
    }
    async fn traiter_evenement(
        &self,
        ctx: &socle::module::EvenementRecu<'_>,
    ) -> Result<(), sea_orm::DbErr> {
        if EN_PANNE.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(sea_orm::DbErr::Custom("service indisponible".into()));
        }
        VUS.lock()
            .expect("lock")
            .push(format!("{} {}", ctx.type_, ctx.sujet));
        Ok(())
    }
}

socle::register_module!(Panne);

#[tokio::test]
async fn a_failing_handler_holds_its_events_until_it_succeeds() {
    let app = app().await;
    app.commune("54084", "Mont-Bonvillers").await;
    let mut ids = Vec::new();
    for nom in ["PREMIER", "SECOND"] {
        let answer = app
            .post("/api/v1/usagers", &json!({"nom_naissance": nom}))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED);
        ids.push(id(&answer.body));
    }
    let ours = |v: &String| ids.iter().any(|i| v.ends_with(i.as_str()));
    for _ in 0..2 {
        let report = passe(&app).await;
        let panne = report.iter().find(|d| d.module == "panne").expect("panne");
        assert_eq!(panne.traites, 0);
        let (_, why) = panne.echec.clone().expect("failed");
        assert!(why.contains("service indisponible"), "{why}");
    }
    assert!(!VUS.lock().expect("lock").iter().any(ours));

    EN_PANNE.store(false, std::sync::atomic::Ordering::SeqCst);
    let report = passe(&app).await;
    let panne = report.iter().find(|d| d.module == "panne").expect("panne");
    assert_eq!((panne.traites, panne.echec.clone()), (2, None));
    // (Other tests of this file run beside this one: only this one's usagers are looked at.)
    let seen: Vec<String> = VUS
        .lock()
        .expect("lock")
        .iter()
        .filter(|v| ours(v))
        .cloned()
        .collect();
    assert_eq!(
        seen,
        [
            format!("usager.cree {}", ids[0]),
            format!("usager.cree {}", ids[1])
        ],
        "in publication order, each once"
    );
    let again = passe(&app).await;
    assert_eq!(
        again
            .iter()
            .find(|d| d.module == "panne")
            .map(|d| d.traites),
        Some(0)
    );
}
