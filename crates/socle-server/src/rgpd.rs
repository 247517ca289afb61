//! The retention sweep of every module (`socle rgpd purger`).

use sea_orm::DatabaseConnection;
use socle::ModuleRegistry;
use socle::journal::{self, Evenement};
use socle::module::PurgeContext;
use socle::temps::Clock;

/// Runs each module's [`socle::Module::purger_donnees`], in start-up order, each in its own
/// transaction with its journal entry; returns how many records each module deleted.
///
/// # Errors
/// The first module whose sweep fails; the sweeps before it are kept.
pub async fn purger(
    db: &DatabaseConnection,
    registry: &ModuleRegistry,
    clock: &dyn Clock,
) -> Result<Vec<(&'static str, u64)>, socle::Error> {
    let mut report = Vec::new();
    for module in registry.iter() {
        let mut txn = socle::unite::UniteDeTravail::systeme(db, None).await?;
        let ctx = PurgeContext {
            db: &txn,
            today: clock.today(),
        };
        let deleted = module.purger_donnees(&ctx).await?;
        if deleted > 0 {
            let evenement = Evenement::systeme("purge", "rgpd.traitement", module.id())
                .motif("durée de conservation échue")
                .avec(serde_json::json!({ "supprimes": deleted }));
            journal::consigner(&mut txn, evenement);
        } else {
            txn.sans_journal("aucune donnée échue : rien n'a été supprimé");
        }
        txn.valider().await?;
        report.push((module.id(), deleted));
    }
    Ok(report)
}
