//! The demo commune's usagers: a few families of Mont-Bonvillers, people born abroad, a partial
//! birth date, a married name, a death, and one pair of duplicates for the report to find.

use sea_orm::{DbErr, PaginatorTrait};

use super::entity::usager;
use super::fiche::FicheUsager;
use super::service;
use crate::collectivite::TenantScoped;
use crate::module::DemoContext;

const FICHES: &str = r#"[
  {"nom_naissance": "DUPONT", "prenoms": "Marie Hélène", "sexe": "F", "date_naissance": "1954-06-12",
   "commune_naissance": "54084",
   "adresses": [{"libelle": "1 Rue Joffre", "code_postal": "54111", "commune": "Mont-Bonvillers",
                 "code_commune": "54084", "ban_id": "54084_0200_00001"}],
   "contacts": {"telephone": "03 82 00 00 01"}},
  {"nom_naissance": "LEFEVRE", "prenoms": "Jean-Pierre", "sexe": "M", "date_naissance": "1948-03-02",
   "commune_naissance": "54395",
   "adresses": [{"libelle": "16 b Bonvillers Village", "code_postal": "54111", "commune": "Mont-Bonvillers",
                 "code_commune": "54084", "ban_id": "54084_b114_00016_b"}]},
  {"nom_naissance": "Lefebvre", "prenoms": "Jean Pierre", "sexe": "M", "date_naissance": "1948-03-00",
   "contacts": {"courriel": "jp.lefebvre@example.fr"}},
  {"nom_naissance": "BERTRAND", "nom_usage": "MARTIN", "prenoms": "Sophie Anne", "sexe": "F",
   "date_naissance": "1979-11-23", "commune_naissance": "57463",
   "contacts": {"courriel": "sophie.martin@example.fr", "telephone": "06 00 00 00 04"}},
  {"nom_naissance": "N'DIAYE", "prenoms": "Aminata", "sexe": "F", "date_naissance": "1990-05-17",
   "pays_naissance": "99341"},
  {"nom_naissance": "GARCIA", "prenoms": "Luis", "sexe": "M", "date_naissance": "1962-00-00",
   "pays_naissance": "99134"},
  {"nom_naissance": "SCHMITT", "prenoms": "Paul Joseph", "sexe": "M", "date_naissance": "1935-08-09",
   "commune_naissance": "54084", "deces": {"date": "2026-10-30", "source": "acte_etat_civil"}},
  {"nom_naissance": "de La Fontaine", "prenoms": "Claire", "sexe": "F", "date_naissance": "2001-01-15",
   "commune_naissance": "54084"},
  {"nom_naissance": "MÜLLER", "prenoms": "Thomas", "sexe": "M", "date_naissance": "1985-07-04",
   "commune_naissance": "54099"},
  {"nom_naissance": "ROUSSEAU", "prenoms": "Camille", "sexe": "F", "date_naissance": "2003-09-30",
   "commune_naissance": "54084"}
]"#;

/// Creates the demo usagers, unless the collectivité already has usagers.
///
/// # Errors
/// A database failure.
pub(crate) async fn seed(ctx: &DemoContext<'_>) -> Result<(), DbErr> {
    let present = usager::Entity::find_in(ctx.collectivite_id)
        .count(ctx.db)
        .await?;
    if present > 0 {
        return Ok(());
    }
    let fiches: Vec<FicheUsager> =
        serde_json::from_str(FICHES).map_err(|e| DbErr::Custom(e.to_string()))?;
    for fiche in fiches {
        let fiche = service::valider(fiche, ctx.today).map_err(|e| DbErr::Custom(e.to_string()))?;
        service::creer(ctx.db, ctx.collectivite_id, &fiche, ctx.now)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_fiches_are_valid() {
        let fiches: Vec<FicheUsager> = serde_json::from_str(FICHES).expect("json");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        for fiche in fiches {
            service::valider(fiche, today).expect("valid");
        }
    }
}
