//! The demo collectivité: Mont-Bonvillers (Meurthe-et-Moselle, COG 54084), whose real address
//! base ships with the project's test data, filled by each module with realistic records.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use socle::ModuleRegistry;
use socle::collectivite::{self, Nature, NouvelleCollectivite};
use socle::module::DemoContext;
use socle::temps::Clock;

/// COG code of the demo commune.
pub const DEMO_CODE: &str = "54084";
/// Login of the demo administrator.
pub const DEMO_LOGIN: &str = "demo";
/// Password of the demo administrator: a demo server is not for real data.
pub const DEMO_PASSWORD: &str = "demonstration";

/// Creates the demo collectivité if it is not there, then lets every module add its demo
/// records, in dependency order, in one transaction. Running it again adds nothing.
///
/// # Errors
/// Any database error; nothing is written then.
pub async fn seed(
    db: &DatabaseConnection,
    registry: &ModuleRegistry,
    clock: &dyn Clock,
) -> Result<(), socle::Error> {
    let mut txn = socle::unite::UniteDeTravail::systeme(db, None).await?;
    let collectivite = match collectivite::find(&txn, DEMO_CODE).await? {
        Some(existing) => existing,
        None => {
            collectivite::create(
                &txn,
                NouvelleCollectivite {
                    code: DEMO_CODE.to_owned(),
                    nature: Nature::Commune,
                    nom: "Mont-Bonvillers".to_owned(),
                },
                clock.now(),
            )
            .await?
        }
    };
    let demo_agent = socle::droits::entity::agent::Entity::find()
        .filter(socle::droits::entity::agent::Column::Identifiant.eq(DEMO_LOGIN))
        .one(&txn)
        .await?;
    if demo_agent.is_none() {
        let agent = socle::droits::service::creer_agent(
            &txn,
            socle::droits::service::NouvelAgent {
                identifiant: DEMO_LOGIN.to_owned(),
                nom: "Administrateur de démonstration".to_owned(),
                mot_de_passe: DEMO_PASSWORD.to_owned(),
                administrateur: true,
                oidc_sub: None,
            },
            true,
            clock.now(),
        )
        .await?;
        let evenement = socle::journal::Evenement::systeme("creation", "droits.agent", agent.id)
            .motif("démonstration");
        socle::journal::consigner(&mut txn, evenement);
    }
    let ctx = DemoContext {
        db: &txn,
        collectivite_id: collectivite.id,
        today: clock.today(),
        now: clock.now(),
    };
    for module in registry.iter() {
        module.seed_demo(&ctx).await?;
        tracing::debug!(module = module.id(), "demo records ready");
    }
    let evenement = socle::journal::Evenement::systeme(
        "demonstration",
        "collectivites.collectivite",
        collectivite.id,
    )
    .motif("données de démonstration");
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    tracing::info!(collectivite = %collectivite.nom, code = DEMO_CODE, "demo collectivité ready");
    tracing::info!(
        "compte de démonstration : identifiant « {DEMO_LOGIN} », mot de passe « {DEMO_PASSWORD} »"
    );
    Ok(())
}
