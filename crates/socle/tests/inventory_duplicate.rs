//! Two linked modules declaring the same id stop the start-up, and the error names both.

use socle::module::ModuleError;
use socle::prelude::*;

struct PremierRegistre;
struct SecondRegistre;

macro_rules! same_id {
    ($ty:ident) => {
        impl Module for $ty {
            fn id(&self) -> &'static str {
                "registres"
            }
            fn name(&self) -> &'static str {
                stringify!($ty)
            }
            fn version(&self) -> &'static str {
                "1.0.0"
            }
        }
        socle::register_module!($ty);
    };
}

same_id!(PremierRegistre);
same_id!(SecondRegistre);

#[test]
fn duplicate_id_is_refused_naming_both_modules() {
    let err = socle::ModuleRegistry::discover().expect_err("two modules share an id");
    let ModuleError::DuplicateId { id, first, second } = &err else {
        panic!("unexpected error: {err}");
    };
    assert_eq!(id, "registres");
    let mut types = [first.as_str(), second.as_str()];
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "inventory_duplicate::PremierRegistre",
            "inventory_duplicate::SecondRegistre"
        ]
    );
    let message = err.to_string();
    assert!(
        message.contains("PremierRegistre") && message.contains("SecondRegistre"),
        "{message}"
    );
}
