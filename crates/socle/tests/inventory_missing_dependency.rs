//! A linked module whose dependency is not linked stops the start-up, naming both.

use socle::module::ModuleError;
use socle::prelude::*;

struct Reservations;

impl Module for Reservations {
    fn id(&self) -> &'static str {
        "reservations"
    }
    fn name(&self) -> &'static str {
        "Réservations"
    }
    fn version(&self) -> &'static str {
        "1.0.0"
    }
    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites", "salles"]
    }
}

socle::register_module!(Reservations);

#[test]
fn missing_dependency_is_refused_naming_both_modules() {
    let err = socle::ModuleRegistry::discover().expect_err("salles is not linked");
    assert_eq!(
        err,
        ModuleError::MissingDependency {
            module: "reservations".into(),
            module_type: "inventory_missing_dependency::Reservations".into(),
            missing: "salles".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "le module « reservations » (inventory_missing_dependency::Reservations) dépend du module « salles », qui n'est pas présent dans ce serveur ; ajoutez-le ou retirez « reservations »"
    );
}
