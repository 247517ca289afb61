//! RGPD plumbing: the register of processing activities, erasure refused with its legal reason,
//! and the modules' retention sweeps, dated and journaled.

use axum::http::StatusCode;
use chrono::NaiveDate;
use sea_orm::EntityTrait;
use socle::module::PurgeContext;
use socle::prelude::*;
use socle::rgpd::{BaseLegale, Effacement, RefusEffacement, Traitement};

/// A module whose records expire: kept three years after their end, here a fixed date.
struct Archives;

/// The end date of the module's only record.
fn fin() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 3, 1).expect("date")
}

#[async_trait]
impl Module for Archives {
    fn id(&self) -> &'static str {
        "archives"
    }
    fn name(&self) -> &'static str {
        "Archives"
    }
    fn version(&self) -> &'static str {
        "0"
    }
    fn traitements(&self) -> &'static [Traitement] {
        &[Traitement {
            objet_type: "archives.fiche",
            finalite: "Essai",
            base_legale: BaseLegale::MissionInteretPublic,
            textes: "—",
            conservation: "3 ans après la fin",
            effacement: Effacement::Possible,
        }]
    }
    async fn purger_donnees(&self, ctx: &PurgeContext<'_>) -> Result<u64, sea_orm::DbErr> {
        let limit = fin()
            .checked_add_months(chrono::Months::new(36))
            .expect("date");
        Ok(u64::from(ctx.today > limit))
    }
}

socle::register_module!(Archives);

#[tokio::test]
async fn the_register_lists_every_declared_processing() {
    let app = tests_assemblage::app().await;
    let answer = app.get("/api/v1/rgpd/traitements").await;
    assert_eq!(answer.status, StatusCode::OK);
    let lines = answer.body.as_array().expect("register");
    let etat_civil = lines
        .iter()
        .find(|l| l["objet_type"] == "etat-civil.registre")
        .expect("état civil declares its registers");
    assert_eq!(etat_civil["module"], "etat-civil");
    assert_eq!(etat_civil["base_legale"], "obligation_legale");
    assert_eq!(etat_civil["effacement"], "refuse");
    assert!(
        etat_civil["motif"]
            .as_str()
            .expect("motif")
            .contains("code civil")
    );
    let agents = lines
        .iter()
        .find(|l| l["objet_type"] == "droits.agent")
        .expect("agents");
    assert_eq!(agents["effacement"], "possible");
    assert!(lines.iter().any(|l| l["objet_type"] == "journal.entree"));
}

#[tokio::test]
async fn erasure_of_a_mandated_record_is_refused_with_its_reason() {
    let app = tests_assemblage::app().await;
    let registry = app.state.registry();
    let refused = socle::rgpd::effacement(registry, "etat-civil.registre").expect_err("mandated");
    assert!(matches!(refused, RefusEffacement::Obligation { .. }));
    assert!(
        refused.to_string().contains("RGPD art. 17.3.b"),
        "{refused}"
    );
    assert_eq!(socle::rgpd::effacement(registry, "droits.agent"), Ok(()));
    assert!(matches!(
        socle::rgpd::effacement(registry, "inconnu.chose"),
        Err(RefusEffacement::NonDeclare(_))
    ));
}

#[tokio::test]
async fn retention_sweeps_run_on_their_date_and_are_journaled() {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let app = tests_assemblage::app().await;
    let registry = app.state.registry();
    // Three years after 1 March 2023 is 1 March 2026: kept on that day, purged the day after.
    let on_the_day = socle::temps::FixedClock::on(date(2026, 3, 1));
    let report = socle_server::rgpd::purger(&app.db.db, registry, &on_the_day)
        .await
        .expect("sweep");
    assert!(report.contains(&("archives", 0)), "{report:?}");
    let day_after = socle::temps::FixedClock::on(date(2026, 3, 2));
    let report = socle_server::rgpd::purger(&app.db.db, registry, &day_after)
        .await
        .expect("sweep");
    assert!(report.contains(&("archives", 1)), "{report:?}");

    let journaled = app.get("/api/v1/journal/verification").await;
    assert_eq!(journaled.body["anomalies"], serde_json::json!([]));
    let entries = socle::journal::entity::entree::Entity::find()
        .all(&app.db.db)
        .await
        .expect("entries");
    let purges: Vec<_> = entries.iter().filter(|e| e.action == "purge").collect();
    assert_eq!(purges.len(), 1);
    assert_eq!(purges[0].objet_id, "archives");
    assert_eq!(purges[0].acteur_type, "systeme");
}
