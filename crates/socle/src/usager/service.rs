//! The registry's operations, without HTTP: create, change, mark deceased, delete, merge,
//! export. Each runs in the caller's transaction and publishes its event there.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;
use validator::Validate;

use super::entity::{lien, usager};
use super::error::UsagerError;
use super::fiche::{FicheUsager, InfoDeces, Statut, UsagerDto};
use super::identite::normaliser_nom;
use super::phonetique::{cle_nom, nom_sans_particule};
use crate::collectivite::TenantScoped;
use crate::evenements::{self, Publication};
use crate::http::{ApiError, FieldError};
use crate::module::{DonneesUsager, FusionUsager, ModuleRegistry};
use crate::rgpd::{self, RefusEffacement};

/// `usager.cree`: a usager was created.
pub const CREE: &str = "usager.cree";
/// `usager.modifie`: a usager's identity or contacts changed.
pub const MODIFIE: &str = "usager.modifie";
/// `usager.supprime`: a usager was deleted (tombstone).
pub const SUPPRIME: &str = "usager.supprime";
/// `usager.fusionne`: two usagers were merged.
pub const FUSIONNE: &str = "usager.fusionne";
/// `usager.deces`: a usager is known to have died.
pub const DECES: &str = "usager.deces";

/// The validated fiche, or every field at fault.
///
/// # Errors
/// [`UsagerError::Invalide`].
pub fn valider(fiche: FicheUsager, today: NaiveDate) -> Result<FicheUsager, UsagerError> {
    let fiche = fiche.nettoyee();
    if let Err(errors) = fiche.validate() {
        let api = ApiError::from(errors);
        return Err(UsagerError::Invalide(api.field_errors().to_vec()));
    }
    fiche.verifier(today).map_err(UsagerError::Invalide)?;
    Ok(fiche)
}

/// An instant as every database keeps it (microseconds): the synchronisation cursor compares
/// `modifie_le` exactly.
fn instant(now: DateTime<Utc>) -> DateTime<Utc> {
    now.trunc_subsecs(6)
}

/// Writes the fiche's fields and search keys into a row.
fn remplir(model: &mut usager::ActiveModel, fiche: &FicheUsager) {
    let usage = fiche.nom_usage.as_deref();
    let recherche = format!(
        " {} {} {} ",
        normaliser_nom(&fiche.nom_naissance),
        usage.map(normaliser_nom).unwrap_or_default(),
        normaliser_nom(&fiche.prenoms)
    );
    model.nom_naissance = Set(fiche.nom_naissance.clone());
    model.prenoms = Set(fiche.prenoms.clone());
    model.nom_usage = Set(fiche.nom_usage.clone());
    model.sexe = Set(fiche.sexe.map(|s| s.code().to_owned()));
    model.date_naissance = Set(fiche.date_naissance.map(|d| d.to_string()));
    model.annee_naissance = Set(fiche.date_naissance.map(|d| d.annee()));
    model.commune_naissance = Set(fiche.commune_naissance.clone());
    model.pays_naissance = Set(fiche.pays_naissance.clone());
    model.adresses = Set(serde_json::json!(fiche.adresses));
    model.contacts = Set(serde_json::json!(fiche.contacts));
    model.statut = Set(if fiche.deces.is_some() {
        Statut::Decede
    } else {
        Statut::Vivant
    }
    .code()
    .to_owned());
    model.date_deces = Set(fiche.deces.map(|d| d.date.to_string()));
    model.source_deces = Set(fiche.deces.map(|d| d.source.code().to_owned()));
    model.cle_nom = Set(nom_sans_particule(&fiche.nom_naissance));
    model.cle_nom_usage = Set(usage.map(nom_sans_particule));
    model.phon_nom = Set(cle_nom(&fiche.nom_naissance));
    model.phon_nom_usage = Set(usage.map(cle_nom));
    model.recherche = Set(recherche.chars().take(420).collect());
}

async fn publier<C: ConnectionTrait>(
    txn: &C,
    model: &usager::Model,
    type_: &str,
    donnees: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), UsagerError> {
    evenements::publier(
        txn,
        Publication {
            collectivite_id: model.collectivite_id,
            type_,
            sujet: model.id.to_string(),
            donnees,
        },
        now,
    )
    .await?;
    Ok(())
}

/// What `usager.cree` and `usager.modifie` carry: the id and the new version, never the
/// identity. The outbox is kept 90 days and replayed to partners; the identity is read through
/// the API, where rights are checked and each read is journaled, and an erasure leaves nothing
/// behind in the events.
fn reference(model: &usager::Model) -> serde_json::Value {
    serde_json::json!({ "id": model.id, "version": model.version })
}

fn donnees_deces(model: &usager::Model, deces: &InfoDeces) -> serde_json::Value {
    serde_json::json!({
        "id": model.id,
        "version": model.version,
        "date": deces.date,
        "source": deces.source,
    })
}

/// The row of a new usager (the fiche already validated), with its search keys: what
/// [`creer`] inserts, for bulk loads that insert many rows at once.
#[must_use]
pub fn nouveau(
    collectivite_id: Uuid,
    fiche: &FicheUsager,
    now: DateTime<Utc>,
) -> usager::ActiveModel {
    let now = instant(now);
    let mut model = usager::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        version: Set(1),
        cree_le: Set(now),
        modifie_le: Set(now),
        modifie_us: Set(now.timestamp_micros()),
        supprime_le: Set(None),
        fusionne_dans: Set(None),
        ..Default::default()
    };
    remplir(&mut model, fiche);
    model
}

/// Creates a usager (the fiche already validated). Publishes `usager.cree` (and `usager.deces`
/// when the fiche records a death). Possible duplicates are looked up by the caller
/// ([`crate::usager::doublons::candidats`]), before the write transaction where it can.
///
/// # Errors
/// A database failure.
pub async fn creer<C: ConnectionTrait>(
    txn: &C,
    collectivite_id: Uuid,
    fiche: &FicheUsager,
    now: DateTime<Utc>,
) -> Result<usager::Model, UsagerError> {
    let created = nouveau(collectivite_id, fiche, now).insert(txn).await?;
    publier(txn, &created, CREE, reference(&created), now).await?;
    if let Some(deces) = &fiche.deces {
        publier(txn, &created, DECES, donnees_deces(&created, deces), now).await?;
    }
    Ok(created)
}

/// The usager `id` of the collectivité, if it is not deleted.
///
/// # Errors
/// [`UsagerError::Introuvable`], [`UsagerError::Supprime`].
pub async fn trouver<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<usager::Model, UsagerError> {
    let found = usager::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(UsagerError::Introuvable)?;
    if found.supprime_le.is_some() {
        return Err(UsagerError::Supprime {
            fusionne_dans: found.fusionne_dans,
        });
    }
    Ok(found)
}

/// Locks the usager `id` of the collectivité for the rest of the transaction (a no-op update:
/// a row lock on PostgreSQL; SQLite writers are serialised already) and reads it. Every change
/// of a usager, and every new link to it, takes this lock first, so that two changes never both
/// pass the version check, and no link slips in while the usager is erased.
///
/// # Errors
/// [`UsagerError::Introuvable`], [`UsagerError::Supprime`].
pub async fn verrouiller<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<usager::Model, UsagerError> {
    usager::Entity::update_many()
        .col_expr(usager::Column::Version, Expr::col(usager::Column::Version))
        .filter(usager::Column::Id.eq(id))
        .filter(usager::Column::CollectiviteId.eq(collectivite_id))
        .exec(db)
        .await?;
    trouver(db, collectivite_id, id).await
}

/// The links of a usager, oldest first.
///
/// # Errors
/// A database failure.
pub async fn liens<C: ConnectionTrait>(
    db: &C,
    usager_id: Uuid,
) -> Result<Vec<lien::Model>, UsagerError> {
    Ok(lien::Entity::find()
        .filter(lien::Column::UsagerId.eq(usager_id))
        .order_by_asc(lien::Column::CreeLe)
        .order_by_asc(lien::Column::Id)
        .all(db)
        .await?)
}

fn verifier_version(model: &usager::Model, attendue: Option<i64>) -> Result<(), UsagerError> {
    match attendue {
        Some(v) if v != model.version => Err(UsagerError::VersionPerimee {
            attendue: v,
            actuelle: model.version,
        }),
        _ => Ok(()),
    }
}

/// Applies a JSON Merge Patch (RFC 7396): members set replace, `null` removes.
pub fn fusionner_patch(cible: &mut serde_json::Value, patch: &serde_json::Value) {
    match (cible, patch) {
        (serde_json::Value::Object(target), serde_json::Value::Object(changes)) => {
            for (key, value) in changes {
                if value.is_null() {
                    target.remove(key);
                } else {
                    fusionner_patch(
                        target.entry(key.clone()).or_insert(serde_json::Value::Null),
                        value,
                    );
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// Changes a usager by a JSON Merge Patch of its fiche, if its version is still `attendue`
/// (`None`: `If-Match` was absent, which is refused; `Some(None)`: `If-Match: *`).
/// The result is checked as a creation is. Publishes `usager.modifie`, and `usager.deces` when
/// the change records a death.
///
/// # Errors
/// Not found, deleted, stale version, invalid result.
pub async fn modifier(
    txn: &DatabaseTransaction,
    collectivite_id: Uuid,
    id: Uuid,
    attendue: Option<Option<i64>>,
    patch: &serde_json::Value,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usager::Model, UsagerError> {
    let current = verrouiller(txn, collectivite_id, id).await?;
    verifier_version(&current, attendue.ok_or(UsagerError::IfMatchRequis)?)?;
    if !patch.is_object() {
        return Err(UsagerError::Invalide(vec![FieldError::new(
            "",
            "type",
            "un objet JSON (JSON Merge Patch) est attendu",
        )]));
    }
    let before = FicheUsager::from(&current);
    let mut document =
        serde_json::to_value(&before).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    fusionner_patch(&mut document, patch);
    let text = document.to_string();
    let fiche: FicheUsager = crate::http::parse_json(text.as_bytes())
        .map_err(|e| UsagerError::Invalide(e.field_errors().to_vec()))?;
    let fiche = valider(fiche, today)?;
    enregistrer(txn, current, &before, &fiche, now).await
}

async fn enregistrer(
    txn: &DatabaseTransaction,
    current: usager::Model,
    before: &FicheUsager,
    fiche: &FicheUsager,
    now: DateTime<Utc>,
) -> Result<usager::Model, UsagerError> {
    if fiche == before {
        return Ok(current);
    }
    let version = current.version + 1;
    let mut model: usager::ActiveModel = current.into();
    remplir(&mut model, fiche);
    model.version = Set(version);
    model.modifie_le = Set(instant(now));
    model.modifie_us = Set(now.timestamp_micros());
    let updated = model.update(txn).await?;
    publier(txn, &updated, MODIFIE, reference(&updated), now).await?;
    if let (None, Some(deces)) = (&before.deces, &fiche.deces) {
        publier(txn, &updated, DECES, donnees_deces(&updated, deces), now).await?;
    }
    Ok(updated)
}

/// Records a usager's death (no-op when the same death is already recorded).
///
/// # Errors
/// Not found, deleted, a death date before birth or in the future.
pub async fn marquer_deces(
    txn: &DatabaseTransaction,
    collectivite_id: Uuid,
    id: Uuid,
    deces: InfoDeces,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usager::Model, UsagerError> {
    let current = verrouiller(txn, collectivite_id, id).await?;
    let before = FicheUsager::from(&current);
    if let Some(known) = before.deces
        && known != deces
    {
        return Err(UsagerError::DecesDejaEnregistre);
    }
    let mut fiche = before.clone();
    fiche.deces = Some(deces);
    let fiche = valider(fiche, today)?;
    enregistrer(txn, current, &before, &fiche, now).await
}

/// Clears a usager's identity and keeps its id as a tombstone.
async fn effacer(
    txn: &DatabaseTransaction,
    current: usager::Model,
    fusionne_dans: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<usager::Model, UsagerError> {
    // The first answer to its creation held the identity: it goes too.
    super::entity::idempotence::Entity::delete_many()
        .filter(super::entity::idempotence::Column::CollectiviteId.eq(current.collectivite_id))
        .filter(super::entity::idempotence::Column::Corps.contains(current.id.to_string()))
        .exec(txn)
        .await?;
    let version = current.version + 1;
    let mut model: usager::ActiveModel = current.into();
    let vide = FicheUsager {
        nom_naissance: String::new(),
        prenoms: String::new(),
        nom_usage: None,
        sexe: None,
        date_naissance: None,
        commune_naissance: None,
        pays_naissance: None,
        adresses: Vec::new(),
        contacts: super::fiche::Contacts::default(),
        deces: None,
    };
    remplir(&mut model, &vide);
    model.recherche = Set(String::new());
    model.version = Set(version);
    model.modifie_le = Set(instant(now));
    model.modifie_us = Set(now.timestamp_micros());
    model.supprime_le = Set(Some(instant(now)));
    model.fusionne_dans = Set(fusionne_dans);
    Ok(model.update(txn).await?)
}

/// Deletes a usager, unless a record the law requires is linked to it: the refusal then gives
/// every legal reason. Links to records whose erasure is possible are removed; the usager
/// stays as a tombstone. Publishes `usager.supprime`.
///
/// # Errors
/// Not found, deleted, stale version, [`UsagerError::EffacementRefuse`].
pub async fn supprimer(
    txn: &DatabaseTransaction,
    registry: &ModuleRegistry,
    collectivite_id: Uuid,
    id: Uuid,
    attendue: Option<i64>,
    now: DateTime<Utc>,
) -> Result<usager::Model, UsagerError> {
    let current = verrouiller(txn, collectivite_id, id).await?;
    verifier_version(&current, attendue)?;
    let links = liens(txn, id).await?;
    let mut motifs: Vec<String> = Vec::new();
    for link in &links {
        match rgpd::effacement(registry, &link.objet_type) {
            Ok(()) => {}
            Err(RefusEffacement::Obligation { motif, .. }) => {
                let reason = format!("{} ({}) — {motif}", link.libelle, link.objet_type);
                if !motifs.contains(&reason) {
                    motifs.push(reason);
                }
            }
            Err(other) => motifs.push(format!("{} — {other}", link.libelle)),
        }
    }
    if !motifs.is_empty() {
        return Err(UsagerError::EffacementRefuse(motifs.join(" ; ")));
    }
    lien::Entity::delete_many()
        .filter(lien::Column::UsagerId.eq(id))
        .exec(txn)
        .await?;
    let deleted = effacer(txn, current, None, now).await?;
    publier(
        txn,
        &deleted,
        SUPPRIME,
        serde_json::json!({ "id": id }),
        now,
    )
    .await?;
    Ok(deleted)
}

/// Merges `absorbe` into `conserve`: every module's links and records move to `conserve`, what
/// `conserve` does not know is taken from `absorbe`, and `absorbe` becomes a tombstone pointing
/// to `conserve`. Refused when the two identities contradict each other (sex, date of birth).
/// Publishes `usager.fusionne`.
///
/// # Errors
/// Not found, deleted, the same usager twice, contradictory identities.
pub async fn fusionner(
    txn: &DatabaseTransaction,
    registry: &ModuleRegistry,
    collectivite_id: Uuid,
    conserve: Uuid,
    absorbe: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usager::Model, UsagerError> {
    if conserve == absorbe {
        return Err(UsagerError::FusionImpossible(
            "Un usager ne peut pas être fusionné avec lui-même.".to_owned(),
        ));
    }
    // Locked in id order, so that two merges of the same pair cannot wait on each other.
    let (kept, gone) = if conserve < absorbe {
        let kept = verrouiller(txn, collectivite_id, conserve).await?;
        (kept, verrouiller(txn, collectivite_id, absorbe).await?)
    } else {
        let gone = verrouiller(txn, collectivite_id, absorbe).await?;
        (verrouiller(txn, collectivite_id, conserve).await?, gone)
    };
    let before = FicheUsager::from(&kept);
    let other = FicheUsager::from(&gone);
    let merged = completer(before.clone(), other)?;
    let merged = valider(merged, today)?;
    lien::Entity::update_many()
        .col_expr(lien::Column::UsagerId, Expr::value(conserve))
        .filter(lien::Column::UsagerId.eq(absorbe))
        .exec(txn)
        .await?;
    let ctx = FusionUsager {
        db: txn,
        collectivite_id,
        conserve,
        absorbe,
    };
    for module in registry.iter() {
        module.usager_fusionne(&ctx).await?;
    }
    let gone = effacer(txn, gone, Some(conserve), now).await?;
    // The absorbed usager's own stream ends with its deletion, after its earlier events.
    publier(
        txn,
        &gone,
        SUPPRIME,
        serde_json::json!({ "id": absorbe, "fusionne_dans": conserve }),
        now,
    )
    .await?;
    let mut updated = enregistrer(txn, kept, &before, &merged, now).await?;
    if merged == before {
        // The identity did not change, but the usager did (its links): a new version.
        let version = updated.version + 1;
        let mut model: usager::ActiveModel = updated.into();
        model.version = Set(version);
        model.modifie_le = Set(instant(now));
        model.modifie_us = Set(now.timestamp_micros());
        updated = model.update(txn).await?;
    }
    publier(
        txn,
        &updated,
        FUSIONNE,
        serde_json::json!({ "conserve": conserve, "absorbe": absorbe }),
        now,
    )
    .await?;
    Ok(updated)
}

/// The kept fiche completed with what only the absorbed one knows.
fn completer(mut kept: FicheUsager, other: FicheUsager) -> Result<FicheUsager, UsagerError> {
    if let (Some(a), Some(b)) = (kept.sexe, other.sexe)
        && a != b
    {
        return Err(UsagerError::FusionImpossible(
            "Les deux usagers n'ont pas le même sexe : ce ne sont pas la même personne.".to_owned(),
        ));
    }
    if let (Some(a), Some(b)) = (kept.date_naissance, other.date_naissance) {
        if !a.compatible(&b) {
            return Err(UsagerError::FusionImpossible(format!(
                "Les dates de naissance diffèrent ({a} et {b}) : ce ne sont pas la même personne."
            )));
        }
        // Keep the more precise of two compatible dates.
        if b.jour().is_some() && a.jour().is_none() || b.mois().is_some() && a.mois().is_none() {
            kept.date_naissance = Some(b);
        }
    }
    if kept.prenoms.is_empty() {
        kept.prenoms = other.prenoms;
    }
    kept.nom_usage = kept.nom_usage.or(other.nom_usage);
    kept.sexe = kept.sexe.or(other.sexe);
    kept.date_naissance = kept.date_naissance.or(other.date_naissance);
    kept.commune_naissance = kept.commune_naissance.or(other.commune_naissance);
    kept.pays_naissance = kept.pays_naissance.or(other.pays_naissance);
    kept.contacts.courriel = kept.contacts.courriel.or(other.contacts.courriel);
    kept.contacts.telephone = kept.contacts.telephone.or(other.contacts.telephone);
    kept.deces = kept.deces.or(other.deces);
    for address in other.adresses {
        let known = kept
            .adresses
            .iter()
            .any(|a| normaliser_nom(&a.libelle) == normaliser_nom(&address.libelle));
        if !known && kept.adresses.len() < 10 {
            kept.adresses.push(address);
        }
    }
    Ok(kept)
}

/// Everything the collectivité holds on a usager, as one JSON document (RGPD art. 15): the
/// fiche, the links, each module's own records, and the journal of who read or changed it.
///
/// # Errors
/// Not found, deleted, a database failure.
pub async fn exporter(
    txn: &DatabaseTransaction,
    registry: &ModuleRegistry,
    collectivite_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<serde_json::Value, UsagerError> {
    let found = trouver(txn, collectivite_id, id).await?;
    let links = liens(txn, id).await?;
    let ctx = DonneesUsager {
        db: txn,
        collectivite_id,
        usager_id: id,
    };
    let mut modules = serde_json::Map::new();
    for module in registry.iter() {
        if let Some(data) = module.donnees_usager(&ctx).await? {
            modules.insert(module.id().to_owned(), data);
        }
    }
    let journal: Vec<serde_json::Value> = crate::journal::entity::entree::Entity::find()
        .filter(crate::journal::entity::entree::Column::ObjetType.eq(super::OBJET))
        .filter(crate::journal::entity::entree::Column::ObjetId.eq(id.to_string()))
        .order_by_asc(crate::journal::entity::entree::Column::Seq)
        .all(txn)
        .await?
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "horodatage": e.horodatage,
                "action": e.action,
                "acteur_type": e.acteur_type,
                "motif": e.motif,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "genere_le": now,
        "usager": UsagerDto::new(&found, links),
        "modules": modules,
        "journal": journal,
    }))
}
