//! The demo commune's cemeteries: two cemeteries, several hundred emplacements of every kind
//! laid out on a plan, the commune's tariff schedule, and concessions of every kind sold from
//! 1966 to today to the demo usagers — some in force, some expired, some within their renewal
//! window — with their burials, a grave taken back to the ossuaire, a reprise for abandonment
//! in progress and works declared.

use chrono::{Datelike, Months, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, PaginatorTrait, QueryFilter, QueryOrder, Set};
use socle::prelude::*;
use socle::usager::entity::usager;
use uuid::Uuid;

use crate::concessions::entity::{concession, tarif};
use crate::concessions::service::TypeConcession;
use crate::concessions::vente::{OBJET_CONCESSION, echeance};
use crate::entity as cimetiere;
use crate::lieux::entity::{allee, emplacement, zone};
use crate::lieux::service::NatureEmplacement;

/// A small deterministic generator (xorshift): the same demo on every start.
struct Hasard(u64);

impl Hasard {
    fn suivant(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A square outline of about 2.5 m at column `x`, row `y` of a cemetery's grid, GeoJSON text.
fn contour(origine: (f64, f64), x: u64, y: u64) -> String {
    let (lon, lat) = (
        origine.0 + x as f64 * 0.00004,
        origine.1 + y as f64 * 0.00003,
    );
    let (dl, dh) = (0.00003, 0.00002);
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon:.7},{lat:.7}],[{:.7},{lat:.7}],[{:.7},{:.7}],[{lon:.7},{:.7}],[{lon:.7},{lat:.7}]]]}}"#,
        lon + dl,
        lon + dl,
        lat + dh,
        lat + dh
    )
}

/// The tariff schedule: prices from 2015, new ones from 1 January 2026; perpetual concessions
/// withdrawn from 2020.
/// One row of the demo schedule: kind of emplacement, duration, kind of concession, price in
/// cents (none: withdrawn), date of effect (year, month, day).
type LigneTarif = (
    &'static str,
    i32,
    &'static str,
    Option<i64>,
    (i32, u32, u32),
);

const TARIFS: &[LigneTarif] = &[
    ("concession", 15, "temporaire", Some(12_000), (2015, 1, 1)),
    ("concession", 30, "trentenaire", Some(30_000), (2015, 1, 1)),
    (
        "concession",
        50,
        "cinquantenaire",
        Some(55_000),
        (2015, 1, 1),
    ),
    ("concession", 0, "perpetuelle", Some(150_000), (2015, 1, 1)),
    ("concession", 0, "perpetuelle", None, (2020, 1, 1)),
    ("concession", 30, "trentenaire", Some(34_000), (2026, 1, 1)),
    (
        "case_columbarium",
        15,
        "temporaire",
        Some(45_000),
        (2015, 1, 1),
    ),
    (
        "case_columbarium",
        30,
        "trentenaire",
        Some(80_000),
        (2015, 1, 1),
    ),
    ("cavurne", 30, "trentenaire", Some(60_000), (2015, 1, 1)),
];

/// Seeds the demo (once: nothing is done when the collectivité already has cemeteries).
///
/// # Errors
/// The database failed.
pub(crate) async fn seed(ctx: &DemoContext<'_>) -> Result<(), DbErr> {
    if cimetiere::Entity::find_in(ctx.collectivite_id)
        .count(ctx.db)
        .await?
        > 0
    {
        return Ok(());
    }
    for (nature, duree, type_concession, montant, (a, m, j)) in TARIFS {
        tarif::ActiveModel {
            id: Set(Uuid::now_v7()),
            collectivite_id: Set(ctx.collectivite_id),
            type_concession: Set((*type_concession).to_owned()),
            duree_ans: Set(*duree),
            nature_emplacement: Set((*nature).to_owned()),
            montant_centimes: Set(*montant),
            date_effet: Set(NaiveDate::from_ymd_opt(*a, *m, *j).unwrap_or(ctx.today)),
            deliberation: Set(Some(format!("Délibération du conseil municipal ({a})"))),
            cree_le: Set(ctx.now),
        }
        .insert(ctx.db)
        .await?;
    }
    let titulaires: Vec<Uuid> = usager::Entity::find_in(ctx.collectivite_id)
        .filter(usager::Column::SupprimeLe.is_null())
        .filter(usager::Column::Statut.eq(socle::usager::Statut::Vivant.code()))
        .order_by_asc(usager::Column::Id)
        .all(ctx.db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut hasard = Hasard(0x5eed_c1e7);
    let mut numero_acte = 0;
    for (nom, adresse, origine, plan) in [
        (
            "Cimetière communal",
            "Rue Joffre, 54111 Mont-Bonvillers",
            (5.8330, 49.3230),
            // zones: (code, name, allées, plots per allée, kind)
            &[
                ("A", "Carré ancien", 4, 25, NatureEmplacement::Concession),
                ("B", "Carré neuf", 4, 25, NatureEmplacement::Concession),
                (
                    "C",
                    "Terrain commun",
                    2,
                    15,
                    NatureEmplacement::TerrainCommun,
                ),
                (
                    "D",
                    "Columbarium",
                    2,
                    20,
                    NatureEmplacement::CaseColumbarium,
                ),
                ("E", "Jardin des urnes", 1, 20, NatureEmplacement::Cavurne),
                ("F", "Ossuaire", 1, 1, NatureEmplacement::Ossuaire),
                ("G", "Dépositoire", 1, 1, NatureEmplacement::Depositoire),
            ][..],
        ),
        (
            "Cimetière de Bonvillers",
            "Bonvillers Village, 54111 Mont-Bonvillers",
            (5.8450, 49.3290),
            &[("A", "Carré unique", 2, 20, NatureEmplacement::Concession)][..],
        ),
    ] {
        let cimetiere_id = Uuid::now_v7();
        cimetiere::ActiveModel {
            id: Set(cimetiere_id),
            collectivite_id: Set(ctx.collectivite_id),
            nom: Set(nom.to_owned()),
            adresse: Set(Some(adresse.to_owned())),
            created_at: Set(ctx.now),
        }
        .insert(ctx.db)
        .await?;
        let mut rangee = 0;
        for (code, nom_zone, allees, par_allee, nature) in plan {
            let zone_id = Uuid::now_v7();
            zone::ActiveModel {
                id: Set(zone_id),
                collectivite_id: Set(ctx.collectivite_id),
                cimetiere_id: Set(cimetiere_id),
                code: Set((*code).to_owned()),
                nom: Set(Some((*nom_zone).to_owned())),
                geometrie: Set(None),
                cree_le: Set(ctx.now),
            }
            .insert(ctx.db)
            .await?;
            for a in 1..=*allees {
                let allee_id = Uuid::now_v7();
                allee::ActiveModel {
                    id: Set(allee_id),
                    collectivite_id: Set(ctx.collectivite_id),
                    zone_id: Set(zone_id),
                    code: Set(a.to_string()),
                    nom: Set(None),
                    cree_le: Set(ctx.now),
                }
                .insert(ctx.db)
                .await?;
                for n in 1..=*par_allee {
                    let emplacement_id = Uuid::now_v7();
                    emplacement::ActiveModel {
                        id: Set(emplacement_id),
                        collectivite_id: Set(ctx.collectivite_id),
                        cimetiere_id: Set(cimetiere_id),
                        zone_id: Set(zone_id),
                        allee_id: Set(Some(allee_id)),
                        numero: Set(format!("{code}-{a}-{n}")),
                        nature: Set(nature.code().to_owned()),
                        places: Set(match nature {
                            NatureEmplacement::Concession => 2 + (n % 3),
                            NatureEmplacement::TerrainCommun => 1,
                            NatureEmplacement::Ossuaire => 500,
                            _ => 4,
                        }),
                        surface_m2: Set(Some(match nature {
                            NatureEmplacement::Concession => 2.5,
                            NatureEmplacement::TerrainCommun => 2.0,
                            _ => 0.25,
                        })),
                        geometrie: Set(Some(contour(origine, n as u64, rangee))),
                        cree_le: Set(ctx.now),
                    }
                    .insert(ctx.db)
                    .await?;
                    // Two plots in three are granted, to the demo usagers in turn.
                    if !crate::concessions::service::concessible(*nature)
                        || titulaires.is_empty()
                        || hasard.suivant().is_multiple_of(3)
                    {
                        continue;
                    }
                    let annees = hasard.suivant() % 61;
                    let acte = NaiveDate::from_ymd_opt(1966, 1, 1)
                        .and_then(|d| d.checked_add_months(Months::new(12 * annees as u32)))
                        .and_then(|d| d.checked_add_days(chrono::Days::new(hasard.suivant() % 365)))
                        .filter(|d| *d <= ctx.today)
                        .unwrap_or(ctx.today);
                    let (type_concession, duree) = match (nature, hasard.suivant() % 4) {
                        (NatureEmplacement::Concession, 0) if acte.year() < 2020 => {
                            (TypeConcession::Perpetuelle, 0)
                        }
                        (NatureEmplacement::Concession, 1) => (TypeConcession::Cinquantenaire, 50),
                        (_, 2) => (TypeConcession::Temporaire, 15),
                        _ => (TypeConcession::Trentenaire, 30),
                    };
                    numero_acte += 1;
                    let id = Uuid::now_v7();
                    let titulaire = titulaires[numero_acte % titulaires.len()];
                    concession::ActiveModel {
                        id: Set(id),
                        collectivite_id: Set(ctx.collectivite_id),
                        emplacement_id: Set(emplacement_id),
                        numero_acte: Set(format!("{}-{numero_acte:04}", acte.year())),
                        date_acte: Set(acte),
                        type_concession: Set(type_concession.code().to_owned()),
                        duree_ans: Set(duree),
                        forme: Set(if numero_acte % 5 == 0 {
                            "individuelle"
                        } else {
                            "familiale"
                        }
                        .to_owned()),
                        date_echeance: Set(echeance(acte, duree)),
                        montant_centimes: Set(match duree {
                            0 => 150_000,
                            15 => 12_000,
                            50 => 55_000,
                            _ => 30_000,
                        }),
                        concessionnaire_id: Set(titulaire),
                        cree_le: Set(ctx.now),
                        fin_le: Set(None),
                        motif_fin: Set(None),
                    }
                    .insert(ctx.db)
                    .await?;
                    socle::usager::lier(
                        ctx.db,
                        ctx.collectivite_id,
                        titulaire,
                        OBJET_CONCESSION,
                        id,
                        &format!("Concessionnaire (emplacement {code}-{a}-{n}, {nom})"),
                        ctx.now,
                    )
                    .await
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
                }
                rangee += 1;
            }
            rangee += 1;
        }
    }
    operations(ctx)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))
}

const NOMS: &[&str] = &[
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
];
const PRENOMS: &[&str] = &[
    "Jean",
    "Marie",
    "Pierre",
    "Jeanne",
    "Louis",
    "Marguerite",
    "Henri",
    "Germaine",
    "Joseph",
    "Madeleine",
    "André",
    "Suzanne",
    "René",
    "Yvonne",
    "Marcel",
    "Simone",
];

/// The history of the graves: a burial in two concessions in three, a burial in half the graves
/// of the terrain commun, one expired concession taken back (its remains in the ossuaire), one
/// reprise for abandonment in progress, and works declared on a grave.
async fn operations(ctx: &DemoContext<'_>) -> Result<(), crate::error::CimetiereError> {
    use crate::operations::entity::inhumation;
    use crate::operations::inhumation::DroitSepulture;

    let mut hasard = Hasard(0x0b5e_55ed);
    let defunt = |hasard: &mut Hasard| {
        format!(
            "{} {}",
            PRENOMS[usize::try_from(hasard.suivant() % PRENOMS.len() as u64).unwrap_or(0)],
            NOMS[usize::try_from(hasard.suivant() % NOMS.len() as u64).unwrap_or(0)]
        )
    };
    let inhumer =
        |lieu: Uuid, concession: Option<Uuid>, nom: String, deces: NaiveDate, droit: String| {
            inhumation::ActiveModel {
                id: Set(Uuid::now_v7()),
                collectivite_id: Set(ctx.collectivite_id),
                emplacement_id: Set(lieu),
                concession_id: Set(concession),
                defunt_id: Set(None),
                defunt_nom: Set(nom),
                date_deces: Set(deces),
                date_inhumation: Set(deces + chrono::Days::new(4)),
                derogation: Set(None),
                droit: Set(droit),
                exhume_le: Set(None),
                cree_le: Set(ctx.now),
                mort_pour_la_france: Set(false),
                lien: Set(None),
                lien_precision: Set(None),
                consentement_ayants_droit: Set(false),
            }
        };
    let concessions = concession::Entity::find_in(ctx.collectivite_id)
        .order_by_asc(concession::Column::DateActe)
        .all(ctx.db)
        .await?;
    for (i, c) in concessions.iter().enumerate() {
        let deces = c.date_acte + chrono::Days::new(10 + hasard.suivant() % 300);
        if i % 3 == 2 || c.forme != "familiale" || deces + chrono::Days::new(4) > ctx.today {
            continue;
        }
        let conjoint = socle::usager::Parente::Conjoint;
        let mut inhumation = inhumer(
            c.emplacement_id,
            Some(c.id),
            defunt(&mut hasard),
            deces,
            format!(
                "concession familiale (acte {}) : {} du titulaire",
                c.numero_acte,
                conjoint.libelle()
            ),
        );
        inhumation.lien = Set(Some(conjoint.code().to_owned()));
        inhumation.insert(ctx.db).await?;
    }
    let fosses = emplacement::Entity::find_in(ctx.collectivite_id)
        .filter(emplacement::Column::Nature.eq(NatureEmplacement::TerrainCommun.code()))
        .order_by_asc(emplacement::Column::Numero)
        .all(ctx.db)
        .await?;
    for (i, fosse) in fosses.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let deces = ctx.today - chrono::Days::new(40 + 130 * i as u64);
        inhumer(
            fosse.id,
            None,
            defunt(&mut hasard),
            deces,
            DroitSepulture::DecesDansLaCommune.libelle().to_owned(),
        )
        .insert(ctx.db)
        .await?;
    }

    // An expired concession whose two years have passed, taken back today.
    let ossuaire = emplacement::Entity::find_in(ctx.collectivite_id)
        .filter(emplacement::Column::Nature.eq(NatureEmplacement::Ossuaire.code()))
        .one(ctx.db)
        .await?;
    let delaissee = concessions.iter().find(|c| {
        c.date_echeance
            .and_then(crate::concessions::renouvellement::dernier_jour_pour_renouveler)
            .is_some_and(|dernier| dernier < ctx.today)
    });
    if let (Some(ossuaire), Some(c)) = (ossuaire, delaissee) {
        crate::ossuaire::service::reprendre(
            ctx.db,
            ctx.collectivite_id,
            c.emplacement_id,
            crate::ossuaire::service::RepriseEmplacement {
                date: None,
                ossuaire_id: ossuaire.id,
                restes: Vec::new(),
            },
            ctx.today,
            ctx.now,
        )
        .await?;
    }

    // A perpetual concession left abandoned: the procedure is at its publication, the second
    // procès-verbal comes a year after it.
    let abandonnee = concessions.iter().find(|c| {
        c.duree_ans == 0
            && c.date_acte
                .checked_add_months(Months::new(12 * 31))
                .is_some_and(|d| d < ctx.today)
    });
    if let Some(c) = abandonnee {
        let il_y_a = |mois: u32| {
            ctx.today
                .checked_sub_months(Months::new(mois))
                .unwrap_or(ctx.today)
        };
        let ouverte = crate::reprise::service::ouvrir(
            ctx.db,
            ctx.collectivite_id,
            c.id,
            crate::reprise::service::OuvertureReprise {
                mode_convocation: crate::reprise::service::ModeConvocation::LettreRecommandee,
                convocation_le: il_y_a(8),
                constat_le: Some(il_y_a(7)),
                entretien_par_la_commune: false,
            },
            ctx.today,
            ctx.now,
        )
        .await?;
        crate::reprise::service::avancer(
            ctx.db,
            ctx.collectivite_id,
            ouverte.id,
            crate::reprise::service::EtapeFaite {
                etape: crate::reprise::service::Etape::Publication,
                date: Some(il_y_a(6)),
                reference: None,
                notifie_le: None,
            },
            ctx.today,
        )
        .await?;
    }

    // A monument to be laid on a grave in force, declared by its holder.
    if let Some(c) = concessions.iter().rev().find(|c| {
        c.date_echeance
            .is_none_or(|fin| fin > ctx.today + chrono::Days::new(60))
    }) {
        crate::travaux::service::declarer(
            ctx.db,
            ctx.collectivite_id,
            c.emplacement_id,
            crate::travaux::service::NouveauxTravaux {
                declarant_id: c.concessionnaire_id,
                nature: crate::travaux::service::NatureTravaux::PoseMonument,
                description: Some("Stèle en granit gris et semelle".to_owned()),
                entreprise: Some("Marbrerie du Pays-Haut".to_owned()),
                debut: ctx.today + chrono::Days::new(14),
                fin_prevue: ctx.today + chrono::Days::new(21),
            },
            ctx.today,
            ctx.now,
        )
        .await?;
    }
    Ok(())
}
