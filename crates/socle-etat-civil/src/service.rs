//! Rules and storage of registers, without HTTP.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, PaginatorTrait, Set};
use serde::Deserialize;
use socle::db::on_unique;
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::entity::{self, NatureRegistre};
use crate::error::EtatCivilError;

/// A register to open.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouveauRegistre {
    /// The year it covers.
    #[schema(example = 2026)]
    #[validate(range(min = 1792, max = 9999))]
    pub annee: i32,
    /// The kind of acts it holds.
    pub nature: NatureRegistre,
    /// The day it is opened; today when absent.
    pub ouvert_le: Option<NaiveDate>,
}

/// A register of year `annee` is opened within that year, and not after `today`.
///
/// # Errors
/// A field error on `ouvert_le` saying which limit is crossed.
pub fn check_ouverture(
    annee: i32,
    ouvert_le: NaiveDate,
    today: NaiveDate,
) -> Result<(), FieldError> {
    if ouvert_le > today {
        return Err(FieldError::new(
            "ouvert_le",
            "date-future",
            format!(
                "un registre ne peut pas être ouvert à une date future (aujourd'hui : {today})"
            ),
        ));
    }
    if ouvert_le.year() != annee {
        return Err(FieldError::new(
            "ouvert_le",
            "hors-annee",
            format!("le registre de {annee} s'ouvre pendant l'année {annee}"),
        ));
    }
    Ok(())
}

/// Opens a register.
///
/// # Errors
/// [`EtatCivilError::Date`] when the opening date breaks [`check_ouverture`],
/// [`EtatCivilError::RegistreExistant`] when the collectivité already has the register of that
/// year and kind.
pub(crate) async fn open<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    new: NouveauRegistre,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<entity::Model, EtatCivilError> {
    let ouvert_le = new.ouvert_le.unwrap_or(today);
    check_ouverture(new.annee, ouvert_le, today).map_err(EtatCivilError::Date)?;
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        annee: Set(new.annee),
        nature: Set(new.nature),
        ouvert_le: Set(ouvert_le),
        clos_le: Set(None),
        created_at: Set(now),
    };
    model.insert(db).await.map_err(|e| {
        on_unique(e, || EtatCivilError::RegistreExistant {
            annee: new.annee,
            nature: new.nature,
        })
    })
}

/// The demo commune's registers of the current year, opened on 2 January.
pub(crate) async fn seed_demo(ctx: &DemoContext<'_>) -> Result<(), DbErr> {
    let present = entity::Entity::find_in(ctx.collectivite_id)
        .count(ctx.db)
        .await?;
    if present > 0 {
        return Ok(());
    }
    let year = ctx.today.year();
    let ouvert_le = NaiveDate::from_ymd_opt(year, 1, 2)
        .unwrap_or(ctx.today)
        .min(ctx.today);
    for nature in [
        NatureRegistre::Naissance,
        NatureRegistre::Mariage,
        NatureRegistre::Deces,
    ] {
        entity::ActiveModel {
            id: Set(Uuid::now_v7()),
            collectivite_id: Set(ctx.collectivite_id),
            annee: Set(year),
            nature: Set(nature),
            ouvert_le: Set(ouvert_le),
            clos_le: Set(None),
            created_at: Set(ctx.now),
        }
        .insert(ctx.db)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn opening_date_is_not_in_the_future() {
        let today = d(2026, 11, 24);
        assert!(check_ouverture(2026, d(2026, 11, 24), today).is_ok());
        let err = check_ouverture(2026, d(2026, 11, 25), today).expect_err("tomorrow");
        assert_eq!(err.code, "date-future");
    }

    #[test]
    fn opening_date_falls_in_the_register_year() {
        // The 2027 register cannot be opened on 31 December 2026 (neither future nor its year)…
        let err = check_ouverture(2027, d(2026, 12, 31), d(2026, 12, 31)).expect_err("too early");
        assert_eq!(err.code, "hors-annee");
        // …and can be on 1 January 2027.
        assert!(check_ouverture(2027, d(2027, 1, 1), d(2027, 1, 1)).is_ok());
        // A late opening of a past year's register is not allowed either.
        let err = check_ouverture(2025, d(2026, 1, 1), d(2026, 11, 24)).expect_err("wrong year");
        assert_eq!(err.code, "hors-annee");
        assert!(check_ouverture(2025, d(2025, 12, 31), d(2026, 11, 24)).is_ok());
    }
}
