//! A module defined only in this test crate is found through `inventory`, with no edit to the
//! core: registering it is the whole act of installing it.

use socle::prelude::*;

/// A module the core has never heard of.
struct Essai;

impl Module for Essai {
    fn id(&self) -> &'static str {
        "essai"
    }
    fn name(&self) -> &'static str {
        "Essai"
    }
    fn version(&self) -> &'static str {
        "9.9.9"
    }
    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites"]
    }
    fn permissions(&self) -> &'static [Permission] {
        const P: &[Permission] = &[Permission::new("essai.chose.lire", "Lire")];
        P
    }
}

socle::register_module!(Essai);

#[test]
fn registered_module_is_discovered_after_its_dependencies() {
    let registry = socle::ModuleRegistry::discover().expect("consistent modules");
    let ids = registry.ids();
    let position = |id: &str| ids.iter().position(|m| *m == id);
    assert!(position("essai").is_some(), "{ids:?}");
    assert!(
        position("collectivites") < position("essai"),
        "dependency first: {ids:?}"
    );
    let essai = registry.get("essai").expect("discovered");
    assert_eq!(essai.version(), "9.9.9");
    let info = registry
        .infos()
        .into_iter()
        .find(|i| i.id == "essai")
        .expect("listed");
    assert_eq!(info.permissions[0].action, "essai.chose.lire");
}
