//! What modules and the API call: the effective template of a collectivité (its own version,
//! else the shipped one), rendering to HTML and PDF, saving and removing a collectivité's
//! versions, its letterhead and its logo.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::contexte::{self, Signataire};
use super::entity::{entete, logo, modele};
use super::modele::ErreurModele;
use super::pdf::{self, PdfError};
use crate::collectivite::TenantScoped;
use crate::droits::{Auth, Principal};
use crate::http::AppState;
use crate::module::{EditionTemplate, ModuleRegistry};

/// Largest template source, in characters.
pub const TAILLE_MAX_SOURCE: u64 = 256 * 1024;
/// Largest logo, in bytes.
pub const TAILLE_MAX_LOGO: usize = 512 * 1024;

/// Why an edition cannot be rendered or a template saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EditionError {
    /// No linked module ships this template.
    #[error("aucun module ne livre le modèle d'édition « {module}/{nom} »")]
    ModeleInconnu {
        /// The module id.
        module: String,
        /// The template's name.
        nom: String,
    },
    /// The template does not compile, lacks a merge field, or fails.
    #[error(transparent)]
    Modele(#[from] ErreurModele),
    /// The PDF could not be written.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// A logo that is not a usable PNG or JPEG image.
    #[error("logo refusé : {0}")]
    LogoInvalide(String),
    /// The rendering task stopped (a panic, or the runtime shutting down).
    #[error("tâche de rendu interrompue : {0}")]
    Tache(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

/// An edition to render: which template, with which data.
///
/// ```no_run
/// # use socle::editions::{Edition, EditionError, Signataire};
/// # async fn exemple(state: &socle::http::AppState, collectivite_id: uuid::Uuid) -> Result<(), EditionError> {
/// let edition = Edition::new(
///     "elections",
///     "attestation-inscription",
///     serde_json::json!({"usager": {"nom": "Roussel", "prenoms": "Inès"}}),
/// )
/// .signataire(Signataire { nom: "Claire Lambert".into(), qualite: "La maire".into() });
/// let rendu = socle::editions::rendre(state, collectivite_id, &edition).await?;
/// let (_, pdf) = socle::editions::rendre_pdf(state, collectivite_id, &edition).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Edition {
    /// The module that ships the template.
    pub module: String,
    /// The template's name in that module.
    pub modele: String,
    /// The module's merge fields: a JSON object (`{"usager": …, "inscription": …}`).
    pub donnees: Value,
    /// Who signs, when not the collectivité's default signatory.
    pub signataire: Option<Signataire>,
    /// A draft source rendered in place of the effective one (preview before saving).
    pub(crate) brouillon: Option<String>,
}

impl Edition {
    /// The template `modele` of `module`, merged with `donnees`.
    #[must_use]
    pub fn new(module: impl Into<String>, modele: impl Into<String>, donnees: Value) -> Self {
        Self {
            module: module.into(),
            modele: modele.into(),
            donnees,
            signataire: None,
            brouillon: None,
        }
    }

    /// The same edition, signed by `signataire`.
    #[must_use]
    pub fn signataire(mut self, signataire: Signataire) -> Self {
        self.signataire = Some(signataire);
        self
    }

    /// `module/modele`, the template's full name.
    #[must_use]
    pub fn nom_complet(&self) -> String {
        format!("{}/{}", self.module, self.modele)
    }
}

/// A rendered edition.
#[derive(Debug, Clone)]
pub struct Rendu {
    /// The HTML document.
    pub html: String,
    /// The template's title (« Attestation d'inscription sur la liste électorale »).
    pub titre: String,
    /// A file name for the document, without extension (`attestation-inscription`).
    pub nom_fichier: String,
}

/// Every template the linked modules ship, as `(module id, template)`, by module then name.
#[must_use]
pub fn modeles_livres(registry: &ModuleRegistry) -> Vec<(&'static str, EditionTemplate)> {
    let mut modeles: Vec<(&'static str, EditionTemplate)> = registry
        .iter()
        .flat_map(|m| m.editions().iter().map(move |e| (m.id(), *e)))
        .collect();
    modeles.sort_by(|a, b| (a.0, a.1.name).cmp(&(b.0, b.1.name)));
    modeles
}

/// The template `nom` shipped by `module`.
#[must_use]
pub fn modele_livre(registry: &ModuleRegistry, module: &str, nom: &str) -> Option<EditionTemplate> {
    registry
        .get(module)?
        .editions()
        .iter()
        .find(|e| e.name == nom)
        .copied()
}

/// The templates a collectivité rewrote.
///
/// # Errors
/// A database failure.
pub async fn personnalisations<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
) -> Result<Vec<modele::Model>, sea_orm::DbErr> {
    modele::Entity::find_in(collectivite_id)
        .order_by_asc(modele::Column::Module)
        .order_by_asc(modele::Column::Nom)
        .all(db)
        .await
}

/// A collectivité's version of one template, if it has one.
///
/// # Errors
/// A database failure.
pub async fn personnalisation<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    module: &str,
    nom: &str,
) -> Result<Option<modele::Model>, sea_orm::DbErr> {
    modele::Entity::find_in(collectivite_id)
        .filter(modele::Column::Module.eq(module))
        .filter(modele::Column::Nom.eq(nom))
        .one(db)
        .await
}

/// The sources a collectivité's editions are rendered with: every shipped template, replaced
/// by the collectivité's version where it has one, by full name (`module/nom`).
///
/// # Errors
/// A database failure.
pub async fn sources_effectives<C: ConnectionTrait>(
    db: &C,
    registry: &ModuleRegistry,
    collectivite_id: Uuid,
) -> Result<BTreeMap<String, String>, sea_orm::DbErr> {
    let mut sources: BTreeMap<String, String> = modeles_livres(registry)
        .into_iter()
        .map(|(module, e)| (format!("{module}/{}", e.name), e.source.to_owned()))
        .collect();
    for version in personnalisations(db, collectivite_id).await? {
        let cle = format!("{}/{}", version.module, version.nom);
        // A version of a template no linked module ships any more is kept but unused.
        if let Some(source) = sources.get_mut(&cle) {
            *source = version.source;
        }
    }
    Ok(sources)
}

/// Who made a change, as the tables record it (200 characters at most): the agent's login, or
/// the token's name.
#[must_use]
pub fn auteur(auth: &Auth) -> String {
    let auteur = match &auth.principal {
        Principal::Agent { identifiant, .. } => identifiant.clone(),
        Principal::Jeton { nom, .. } => format!("jeton « {nom} »"),
    };
    auteur.chars().take(200).collect()
}

/// Saves a collectivité's version of the template `(module, nom)` a module ships, after checking
/// that it compiles.
///
/// # Errors
/// [`EditionError::ModeleInconnu`] when no module ships it, [`ErreurModele::Syntaxe`] (with its
/// line) when it does not compile, or a database failure.
pub async fn enregistrer<C: ConnectionTrait>(
    db: &C,
    registry: &ModuleRegistry,
    collectivite_id: Uuid,
    (module, nom): (&str, &str),
    source: &str,
    par: &str,
    maintenant: DateTime<Utc>,
) -> Result<modele::Model, EditionError> {
    if modele_livre(registry, module, nom).is_none() {
        return Err(EditionError::ModeleInconnu {
            module: module.to_owned(),
            nom: nom.to_owned(),
        });
    }
    super::modele::verifier(source)?;
    let ligne = modele::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        module: Set(module.to_owned()),
        nom: Set(nom.to_owned()),
        source: Set(source.to_owned()),
        modifie_le: Set(maintenant),
        modifie_par: Set(par.to_owned()),
    };
    modele::Entity::insert(ligne)
        .on_conflict(
            OnConflict::columns([
                modele::Column::CollectiviteId,
                modele::Column::Module,
                modele::Column::Nom,
            ])
            .update_columns([
                modele::Column::Source,
                modele::Column::ModifieLe,
                modele::Column::ModifiePar,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    personnalisation(db, collectivite_id, module, nom)
        .await?
        .ok_or_else(|| EditionError::Db(sea_orm::DbErr::RecordNotInserted))
}

/// Removes a collectivité's version of a template: the shipped one applies again. Whether there
/// was one.
///
/// # Errors
/// A database failure.
pub async fn retirer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    module: &str,
    nom: &str,
) -> Result<bool, sea_orm::DbErr> {
    let retirees = modele::Entity::delete_many()
        .filter(modele::Column::CollectiviteId.eq(collectivite_id))
        .filter(modele::Column::Module.eq(module))
        .filter(modele::Column::Nom.eq(nom))
        .exec(db)
        .await?;
    Ok(retirees.rows_affected > 0)
}

/// A collectivité's letterhead, if it wrote one.
///
/// # Errors
/// A database failure.
pub async fn entete<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
) -> Result<Option<entete::Model>, sea_orm::DbErr> {
    entete::Entity::find_by_id(collectivite_id).one(db).await
}

/// A collectivité's logo, if it has one.
///
/// # Errors
/// A database failure.
pub async fn logo<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
) -> Result<Option<logo::Model>, sea_orm::DbErr> {
    logo::Entity::find_by_id(collectivite_id).one(db).await
}

/// What a collectivité's letterhead says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NouvelEntete {
    /// Postal address, one line per line.
    pub adresse: Option<String>,
    /// Telephone.
    pub telephone: Option<String>,
    /// E-mail.
    pub courriel: Option<String>,
    /// Web site.
    pub site_web: Option<String>,
    /// Who signs by default.
    pub signataire: Option<Signataire>,
}

/// Saves a collectivité's letterhead, replacing the previous one.
///
/// # Errors
/// A database failure.
pub async fn enregistrer_entete<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    nouvel: NouvelEntete,
    par: &str,
    maintenant: DateTime<Utc>,
) -> Result<entete::Model, sea_orm::DbErr> {
    let nettoyer = |texte: Option<String>| {
        texte
            .map(|t| t.trim().replace("\r\n", "\n"))
            .filter(|t| !t.is_empty())
    };
    let (signataire_nom, signataire_qualite) = match nouvel.signataire {
        Some(s) => (
            Some(s.nom.trim().to_owned()),
            Some(s.qualite.trim().to_owned()),
        ),
        None => (None, None),
    };
    let ligne = entete::ActiveModel {
        collectivite_id: Set(collectivite_id),
        adresse: Set(nettoyer(nouvel.adresse)),
        telephone: Set(nettoyer(nouvel.telephone)),
        courriel: Set(nettoyer(nouvel.courriel)),
        site_web: Set(nettoyer(nouvel.site_web)),
        signataire_nom: Set(signataire_nom),
        signataire_qualite: Set(signataire_qualite),
        modifie_le: Set(maintenant),
        modifie_par: Set(par.to_owned()),
    };
    entete::Entity::insert(ligne)
        .on_conflict(
            OnConflict::column(entete::Column::CollectiviteId)
                .update_columns([
                    entete::Column::Adresse,
                    entete::Column::Telephone,
                    entete::Column::Courriel,
                    entete::Column::SiteWeb,
                    entete::Column::SignataireNom,
                    entete::Column::SignataireQualite,
                    entete::Column::ModifieLe,
                    entete::Column::ModifiePar,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    entete(db, collectivite_id)
        .await?
        .ok_or(sea_orm::DbErr::RecordNotInserted)
}

/// The media type of a logo's bytes: PNG or JPEG, recognised by their signature.
fn type_image(octets: &[u8]) -> Option<&'static str> {
    if octets.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if octets.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Saves a collectivité's logo, replacing the previous one, after checking that it is a PNG or
/// JPEG image of at most [`TAILLE_MAX_LOGO`] bytes that a PDF can show.
///
/// # Errors
/// [`EditionError::LogoInvalide`] with the reason, or a database failure.
pub async fn enregistrer_logo<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    octets: Vec<u8>,
    par: &str,
    maintenant: DateTime<Utc>,
) -> Result<logo::Model, EditionError> {
    if octets.len() > TAILLE_MAX_LOGO {
        return Err(EditionError::LogoInvalide(format!(
            "{} Kio, au-delà des {} Kio admis",
            octets.len().div_ceil(1024),
            TAILLE_MAX_LOGO / 1024
        )));
    }
    let type_media = type_image(&octets).ok_or_else(|| {
        EditionError::LogoInvalide("le fichier n'est ni une image PNG ni une image JPEG".to_owned())
    })?;
    let (verification, octets) =
        tokio::task::spawn_blocking(move || (pdf::verifier_image(&octets), octets))
            .await
            .map_err(|e| EditionError::Tache(e.to_string()))?;
    let (largeur, hauteur) = verification.map_err(EditionError::LogoInvalide)?;
    let ligne = logo::ActiveModel {
        collectivite_id: Set(collectivite_id),
        type_media: Set(type_media.to_owned()),
        octets: Set(octets),
        largeur: Set(i32::try_from(largeur).unwrap_or(i32::MAX)),
        hauteur: Set(i32::try_from(hauteur).unwrap_or(i32::MAX)),
        modifie_le: Set(maintenant),
        modifie_par: Set(par.to_owned()),
    };
    logo::Entity::insert(ligne)
        .on_conflict(
            OnConflict::column(logo::Column::CollectiviteId)
                .update_columns([
                    logo::Column::TypeMedia,
                    logo::Column::Octets,
                    logo::Column::Largeur,
                    logo::Column::Hauteur,
                    logo::Column::ModifieLe,
                    logo::Column::ModifiePar,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    logo(db, collectivite_id)
        .await?
        .ok_or(EditionError::Db(sea_orm::DbErr::RecordNotInserted))
}

/// Removes a collectivité's logo. Whether there was one.
///
/// # Errors
/// A database failure.
pub async fn retirer_logo<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let retires = logo::Entity::delete_by_id(collectivite_id).exec(db).await?;
    Ok(retires.rows_affected > 0)
}

/// Renders an edition to HTML for a collectivité: its version of the template (else the
/// shipped one), merged with the common fields and the edition's data.
///
/// # Errors
/// [`EditionError::ModeleInconnu`], a template error ([`ErreurModele`]: missing merge field with
/// its name, syntax or other failure with its line), or a database failure.
pub async fn rendre(
    state: &AppState,
    collectivite_id: Uuid,
    edition: &Edition,
) -> Result<Rendu, EditionError> {
    let livre =
        modele_livre(state.registry(), &edition.module, &edition.modele).ok_or_else(|| {
            EditionError::ModeleInconnu {
                module: edition.module.clone(),
                nom: edition.modele.clone(),
            }
        })?;
    let db = state.db();
    let fiche = crate::collectivite::entity::Entity::find_by_id(collectivite_id)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("collectivité".to_owned()))?;
    let entete = entete(db, collectivite_id).await?;
    let logo = logo(db, collectivite_id).await?;
    let mut sources = sources_effectives(db, state.registry(), collectivite_id).await?;
    let nom = edition.nom_complet();
    if let Some(brouillon) = &edition.brouillon {
        super::modele::verifier(brouillon)?;
        sources.insert(nom.clone(), brouillon.clone());
    }
    let signataire = edition
        .signataire
        .clone()
        .or_else(|| contexte::signataire_par_defaut(entete.as_ref()));
    let contexte = contexte::assembler(
        contexte::collectivite(&fiche, entete.as_ref(), logo.as_ref()),
        state.today(),
        signataire.as_ref(),
        json!({"module": edition.module, "nom": edition.modele, "titre": livre.title}),
        &edition.donnees,
    );
    let nom_rendu = nom.clone();
    let html =
        tokio::task::spawn_blocking(move || super::modele::rendre(sources, &nom_rendu, &contexte))
            .await
            .map_err(|e| EditionError::Tache(e.to_string()))??;
    Ok(Rendu {
        html,
        titre: livre.title.to_owned(),
        nom_fichier: edition.modele.clone(),
    })
}

/// Renders an edition to PDF (A4, fonts embedded): [`rendre`], then the HTML laid out on pages.
///
/// # Errors
/// Those of [`rendre`], or the PDF writer's.
pub async fn rendre_pdf(
    state: &AppState,
    collectivite_id: Uuid,
    edition: &Edition,
) -> Result<(Rendu, Vec<u8>), EditionError> {
    let rendu = rendre(state, collectivite_id, edition).await?;
    let (html, titre) = (rendu.html.clone(), rendu.titre.clone());
    let octets = tokio::task::spawn_blocking(move || pdf::html_vers_pdf(&html, &titre))
        .await
        .map_err(|e| EditionError::Tache(e.to_string()))??;
    Ok((rendu, octets))
}
