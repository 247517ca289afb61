//! The `socle` command line.
//!
//! ```text
//! socle serve [--addr 127.0.0.1:8080] [--demo] [--no-migrate]
//! socle migrate [--check]
//! socle demo
//! socle modules [--json]
//! socle sig importer-ban FICHIER [--rejets FICHIER]
//! ```
//!
//! Global settings, each also read from the environment: `--database` (`DATABASE_URL`, an SQLite
//! file `socle.db` by default), `--log` (`SOCLE_LOG`), `--log-format` (`SOCLE_LOG_FORMAT`),
//! `--today` (`SOCLE_TODAY`, fixes the date for training instances and tests), `--timezone`
//! (`SOCLE_TIMEZONE`), `--modules` (`SOCLE_MODULES`, the ids to enable; all linked ones by
//! default), `--collectivite` (`SOCLE_COLLECTIVITE`, the collectivité of requests that name
//! none).
//!
//! A configuration error stops the command with one line on standard error, in French, and exit
//! status 1.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;
use chrono_tz::Tz;
use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;
use socle::db::{self, DbConfig};
use socle::evenements::LivreurConfig;
use socle::http::AppState;
use socle::temps::{Clock, FixedClock, SystemClock};
use socle::{Module, ModuleRegistry};

use crate::logging::{self, LogFormat};

/// Socle : le serveur d'application de la collectivité.
#[derive(Debug, Parser)]
#[command(name = "socle", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Command,
    /// Base de données : sqlite://fichier.db?mode=rwc ou postgres://utilisateur@hôte/base.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database: Option<String>,
    /// Niveau de journalisation (syntaxe RUST_LOG : info, debug, socle=debug…).
    #[arg(long, env = "SOCLE_LOG", default_value = "info", global = true)]
    log: String,
    /// Format des journaux.
    #[arg(
        long,
        env = "SOCLE_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    log_format: LogFormat,
    /// Date du jour imposée (AAAA-MM-JJ), pour une instance de formation ou des tests.
    #[arg(long, env = "SOCLE_TODAY", global = true)]
    today: Option<String>,
    /// Fuseau horaire de la collectivité.
    #[arg(
        long,
        env = "SOCLE_TIMEZONE",
        default_value = "Europe/Paris",
        global = true
    )]
    timezone: String,
    /// Modules à activer, séparés par des virgules (tous les modules présents par défaut).
    #[arg(long, env = "SOCLE_MODULES", value_delimiter = ',', global = true)]
    modules: Option<Vec<String>>,
    /// Collectivité des requêtes qui n'en précisent pas (en-tête X-Collectivite) : code INSEE,
    /// SIREN ou identifiant. Pour un serveur qui n'en héberge qu'une.
    #[arg(long, env = "SOCLE_COLLECTIVITE", global = true)]
    collectivite: Option<String>,
    /// Autorise les webhooks vers des adresses internes (boucle locale, réseaux privés) : pour
    /// un partenaire sur le réseau de la collectivité. Refusées par défaut.
    #[arg(long, env = "SOCLE_WEBHOOKS_RESEAU_PRIVE", global = true)]
    webhooks_reseau_prive: bool,
    /// Dossier des documents (GED), s'ils ne sont pas dans un compartiment S3.
    #[arg(
        long,
        env = "SOCLE_GED_DOSSIER",
        default_value = "socle-documents",
        global = true
    )]
    ged_dossier: std::path::PathBuf,
    /// Taille maximale d'un fichier déposé, en mégaoctets.
    #[arg(
        long,
        env = "SOCLE_GED_TAILLE_MAX_MO",
        default_value_t = 25,
        global = true
    )]
    ged_taille_max_mo: u64,
    /// Compartiment S3 des documents (au lieu du dossier) ; clés dans SOCLE_GED_S3_CLE et
    /// SOCLE_GED_S3_SECRET.
    #[arg(long, env = "SOCLE_GED_S3_BUCKET", global = true)]
    ged_s3_bucket: Option<String>,
    /// Adresse du service S3 compatible, avec son schéma (`https://s3.fr-par.scw.cloud`,
    /// `http://minio:9000`…) ; AWS par défaut.
    #[arg(long, env = "SOCLE_GED_S3_ENDPOINT", global = true)]
    ged_s3_endpoint: Option<String>,
    /// Région S3.
    #[arg(long, env = "SOCLE_GED_S3_REGION", global = true)]
    ged_s3_region: Option<String>,
    /// Dossier dans le compartiment S3.
    #[arg(long, env = "SOCLE_GED_S3_PREFIXE", default_value = "", global = true)]
    ged_s3_prefixe: String,
    /// Fournisseur OpenID Connect des agents (URL de l'émetteur) ; facultatif.
    #[arg(long, env = "SOCLE_OIDC_ISSUER", global = true)]
    oidc_issuer: Option<String>,
    /// Identifiant client de Socle chez le fournisseur OpenID Connect.
    #[arg(long, env = "SOCLE_OIDC_CLIENT_ID", global = true)]
    oidc_client_id: Option<String>,
    /// Adresse de retour déclarée chez le fournisseur (…/api/v1/droits/oidc/retour).
    #[arg(long, env = "SOCLE_OIDC_REDIRECT_URI", global = true)]
    oidc_redirect_uri: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sert l'API de la collectivité.
    Serve {
        /// Adresse d'écoute.
        #[arg(long, env = "SOCLE_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Crée la collectivité de démonstration et ses données avant de servir, et en fait la
        /// collectivité par défaut.
        #[arg(long)]
        demo: bool,
        /// N'applique pas les migrations en attente (refuse de démarrer s'il y en a).
        #[arg(long)]
        no_migrate: bool,
    },
    /// Applique les migrations en attente de chaque module (sans effet si tout est à jour).
    Migrate {
        /// Liste les migrations en attente sans les appliquer ; code de sortie 1 s'il y en a.
        #[arg(long)]
        check: bool,
    },
    /// Crée la collectivité de démonstration et ses données (sans effet si elles existent).
    Demo,
    /// Gère les comptes d'agents (création du premier administrateur, par exemple).
    Agent {
        /// L'action.
        #[command(subcommand)]
        action: AgentAction,
    },
    /// Vérifie ou purge le journal d'audit.
    Journal {
        /// L'action.
        #[command(subcommand)]
        action: JournalAction,
    },
    /// Applique les durées de conservation de chaque module (RGPD).
    Rgpd {
        /// L'action.
        #[command(subcommand)]
        action: RgpdAction,
    },
    /// Importe dans le référentiel usager (fichier INSEE des décès, fichier CSV d'usagers).
    Usagers {
        /// L'action.
        #[command(subcommand)]
        action: UsagersAction,
    },
    /// Importe les adresses de la Base Adresse Nationale (fichier BAL ou export BAN).
    Sig {
        /// L'action.
        #[command(subcommand)]
        action: SigAction,
    },
    /// Liste les modules présents dans ce serveur.
    Modules {
        /// Sortie JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AgentAction {
    /// Crée un compte ; le mot de passe est lu dans SOCLE_MOT_DE_PASSE ou sur l'entrée standard.
    #[command(alias = "create")]
    Creer {
        /// Identifiant de connexion (minuscules, chiffres, . _ -).
        #[arg(long)]
        identifiant: String,
        /// Nom affiché.
        #[arg(long)]
        nom: String,
        /// Administrateur de la plateforme : toutes les permissions dans toutes les collectivités.
        #[arg(long)]
        administrateur: bool,
        /// Identité (`sub`) de l'agent chez le fournisseur OpenID Connect, pour qu'il s'y connecte.
        #[arg(long)]
        oidc_sub: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum JournalAction {
    /// Parcourt toute la chaîne et signale chaque entrée modifiée, supprimée ou déplacée ;
    /// code de sortie 1 s'il y en a.
    #[command(alias = "verify")]
    Verifier {
        /// Une empreinte conservée hors du serveur, « position:empreinte », telle qu'une
        /// vérification précédente l'a affichée : l'entrée doit l'avoir encore.
        #[arg(long)]
        ancre: Option<String>,
    },
    /// Supprime les entrées plus anciennes que la durée de conservation.
    #[command(alias = "purge")]
    Purger {
        /// Durée de conservation en mois, de 6 à 36 (recommandation CNIL).
        #[arg(long, env = "SOCLE_JOURNAL_CONSERVATION_MOIS", default_value_t = socle::journal::DEFAULT_RETENTION_MONTHS)]
        conservation_mois: u32,
    },
}

#[derive(Debug, Subcommand)]
enum UsagersAction {
    /// Marque décédés les usagers que le fichier INSEE des personnes décédées désigne sans
    /// ambiguïté ; les autres correspondances sont écrites dans le rapport pour un agent.
    /// Peut être relancé sans effet sur les décès déjà enregistrés.
    ImporterDeces {
        /// Le fichier INSEE (largeur fixe, un décès par ligne).
        fichier: std::path::PathBuf,
        /// Fichier CSV des décès à vérifier par un agent.
        #[arg(long, default_value = "deces-a-verifier.csv")]
        rapport: std::path::PathBuf,
    },
    /// Importe des usagers d'un fichier CSV (« ; » ou « , », UTF-8, ligne d'en-tête) ; les
    /// lignes refusées vont dans le fichier des rejets avec leur motif. Peut être relancé :
    /// une identité déjà présente n'est pas créée deux fois.
    Importer {
        /// Le fichier CSV.
        fichier: std::path::PathBuf,
        /// Fichier CSV des lignes refusées, avec le motif.
        #[arg(long, default_value = "usagers-rejets.csv")]
        rejets: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum SigAction {
    /// Importe les adresses d'un fichier de la Base Adresse Nationale (BAL 1.3 ou export BAN,
    /// « ; », UTF-8) dans la collectivité ; les lignes refusées sont comptées, et recopiées avec
    /// leur motif dans le fichier des rejets s'il est demandé. Peut être relancé : une adresse
    /// inchangée n'est pas réécrite.
    ImporterBan {
        /// Le fichier CSV.
        fichier: std::path::PathBuf,
        /// Fichier CSV des lignes refusées, avec le motif.
        #[arg(long)]
        rejets: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum RgpdAction {
    /// Supprime, module par module, ce que les durées de conservation ne permettent plus de
    /// garder ; chaque purge est journalisée. À lancer chaque jour.
    Purger,
}

/// Why a command could not run: one line for the person at the terminal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// A setting has a value that cannot be used.
    #[error("réglage {setting} invalide « {value} » : {reason}")]
    Setting {
        /// The flag and its environment variable.
        setting: &'static str,
        /// The value given.
        value: String,
        /// What is expected.
        reason: String,
    },
    /// The modules do not fit together, or the database failed.
    #[error(transparent)]
    Core(#[from] socle::Error),
    /// Another program already listens on the address.
    #[error(
        "l'adresse {0} est déjà utilisée par un autre programme ; choisissez-en une autre avec --addr ou SOCLE_ADDR"
    )]
    AddressInUse(SocketAddr),
    /// The address cannot be listened on.
    #[error("impossible d'écouter sur {addr} : {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// `serve --no-migrate` with migrations pending.
    #[error("des migrations sont en attente ({0}) ; lancez « socle migrate » avant de démarrer")]
    PendingMigrations(String),
    /// The server stopped on an I/O error.
    #[error("le serveur s'est arrêté sur une erreur : {0}")]
    Serve(std::io::Error),
    /// A file cannot be opened or created.
    #[error("fichier {path} : {reason}")]
    Fichier {
        /// The path.
        path: String,
        /// What the system said.
        reason: String,
    },
    /// An import stopped.
    #[error("import interrompu : {0}")]
    Import(String),
    /// The webhook sender cannot start.
    #[error("l'envoi des webhooks ne peut pas démarrer : {0}")]
    Webhooks(String),
}

impl From<socle::module::ModuleError> for CliError {
    fn from(err: socle::module::ModuleError) -> Self {
        Self::Core(err.into())
    }
}

impl From<socle::db::DbError> for CliError {
    fn from(err: socle::db::DbError) -> Self {
        Self::Core(err.into())
    }
}

/// Which modules make up the server.
#[derive(Clone, Copy)]
enum Assembly<'a> {
    /// Every module registered in the linked crates, plus these.
    Discovered(&'a [&'static dyn Module]),
    /// Exactly these (and the core's).
    Exactly(&'a [&'static dyn Module]),
}

/// Runs the command line of a server made of every module registered in the linked crates,
/// plus `anchors` (naming a module keeps its crate linked). Returns the process exit status.
#[must_use]
pub fn run(anchors: &[&'static dyn Module]) -> ExitCode {
    run_assembly(Assembly::Discovered(anchors))
}

/// Runs the command line of a server made of exactly `modules` (and the core's), whatever else
/// is linked: an assembly that stays the same when Cargo unifies features across a workspace.
#[must_use]
pub fn run_exactly(modules: &[&'static dyn Module]) -> ExitCode {
    run_assembly(Assembly::Exactly(modules))
}

fn run_assembly(assembly: Assembly<'_>) -> ExitCode {
    let cli = Cli::parse();
    if let Err(message) = logging::init(&cli.log, cli.log_format) {
        eprintln!("socle : erreur : {message}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("socle : erreur : démarrage impossible : {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli, assembly)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("socle : erreur : {err}");
            ExitCode::FAILURE
        }
    }
}

fn registry(cli: &Cli, assembly: Assembly<'_>) -> Result<ModuleRegistry, CliError> {
    let (mut builder, modules) = match assembly {
        Assembly::Discovered(anchors) => (ModuleRegistry::builder().discovered(), anchors),
        Assembly::Exactly(modules) => (ModuleRegistry::builder(), modules),
    };
    for module in modules {
        builder = builder.module(*module);
    }
    if let Some(enabled) = &cli.modules {
        builder = builder.enable_only(enabled.iter().map(|s| s.trim()).filter(|s| !s.is_empty()));
    }
    Ok(builder.build()?)
}

fn clock(cli: &Cli) -> Result<Arc<dyn Clock>, CliError> {
    let timezone: Tz = cli.timezone.parse().map_err(|_| CliError::Setting {
        setting: "--timezone / SOCLE_TIMEZONE",
        value: cli.timezone.clone(),
        reason: "fuseau horaire IANA attendu, par exemple Europe/Paris ou Indian/Reunion".into(),
    })?;
    match &cli.today {
        None => Ok(Arc::new(SystemClock::new(timezone))),
        Some(text) => {
            let today =
                NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| CliError::Setting {
                    setting: "--today / SOCLE_TODAY",
                    value: text.clone(),
                    reason: "date attendue au format AAAA-MM-JJ, par exemple 2031-05-01".into(),
                })?;
            Ok(Arc::new(FixedClock::new(today, timezone)))
        }
    }
}

async fn connect(cli: &Cli) -> Result<DatabaseConnection, CliError> {
    let url = cli.database.as_deref().unwrap_or(db::DEFAULT_URL);
    Ok(DbConfig::new(url).connect().await?)
}

/// `position:empreinte` as `verifier` prints it.
fn parse_ancre(text: &str) -> Result<(i64, String), CliError> {
    let invalid = || CliError::Setting {
        setting: "--ancre",
        value: text.to_owned(),
        reason: "« position:empreinte » attendu, par exemple 1532:3f9c…".into(),
    };
    let (seq, hash) = text.split_once(':').ok_or_else(invalid)?;
    let seq = seq.parse().map_err(|_| invalid())?;
    if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    Ok((seq, hash.to_lowercase()))
}

/// The OpenID Connect settings: all of them or none. The client secret comes from the
/// environment only (`SOCLE_OIDC_CLIENT_SECRET`), never from the command line.
fn oidc_config(cli: &Cli) -> Result<Option<socle::droits::oidc::OidcConfig>, CliError> {
    let secret = std::env::var("SOCLE_OIDC_CLIENT_SECRET").ok();
    match (&cli.oidc_issuer, &cli.oidc_client_id, &cli.oidc_redirect_uri, secret) {
        (None, None, None, None) => Ok(None),
        (Some(issuer), Some(client_id), Some(redirect_uri), Some(client_secret)) => {
            Ok(Some(socle::droits::oidc::OidcConfig {
                issuer: issuer.clone(),
                client_id: client_id.clone(),
                client_secret,
                redirect_uri: redirect_uri.clone(),
            }))
        }
        _ => Err(CliError::Setting {
            setting: "OpenID Connect",
            value: String::new(),
            reason: "donnez les quatre réglages SOCLE_OIDC_ISSUER, SOCLE_OIDC_CLIENT_ID, SOCLE_OIDC_CLIENT_SECRET et SOCLE_OIDC_REDIRECT_URI, ou aucun".into(),
        }),
    }
}

/// The GED of the settings: a directory by default, an S3-compatible bucket when
/// `SOCLE_GED_S3_BUCKET` is set.
fn ged(cli: &Cli) -> Result<socle::ged::Ged, CliError> {
    let taille_max = cli
        .ged_taille_max_mo
        .checked_mul(1024 * 1024)
        .filter(|t| *t > 0 && *t <= 4096 * 1024 * 1024)
        .ok_or_else(|| CliError::Setting {
            setting: "--ged-taille-max-mo / SOCLE_GED_TAILLE_MAX_MO",
            value: cli.ged_taille_max_mo.to_string(),
            reason: "entre 1 et 4096 Mo".into(),
        })?;
    let stockage: Arc<dyn socle::ged::Stockage> = match &cli.ged_s3_bucket {
        None => Arc::new(socle::ged::StockageFichiers::new(&cli.ged_dossier)),
        Some(bucket) => {
            let cle = |nom: &'static str| {
                std::env::var(nom).map_err(|_| CliError::Setting {
                    setting: nom,
                    value: String::new(),
                    reason: "obligatoire avec SOCLE_GED_S3_BUCKET".into(),
                })
            };
            let reglages = socle::ged::ReglagesS3 {
                bucket: bucket.clone(),
                region: cli.ged_s3_region.clone(),
                endpoint: cli.ged_s3_endpoint.clone(),
                cle: cle("SOCLE_GED_S3_CLE")?,
                secret: cle("SOCLE_GED_S3_SECRET")?,
                prefixe: cli.ged_s3_prefixe.clone(),
            };
            Arc::new(
                socle::ged::StockageObjet::s3(&reglages).map_err(|e| CliError::Setting {
                    setting: "SOCLE_GED_S3_*",
                    value: bucket.clone(),
                    reason: e.to_string(),
                })?,
            )
        }
    };
    Ok(socle::ged::Ged::new(stockage, taille_max))
}

/// The new agent's password: `SOCLE_MOT_DE_PASSE`, or the first line of standard input.
fn read_password() -> Result<String, CliError> {
    if let Ok(password) = std::env::var("SOCLE_MOT_DE_PASSE") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::Setting {
            setting: "mot de passe (SOCLE_MOT_DE_PASSE ou entrée standard)",
            value: String::new(),
            reason: e.to_string(),
        })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn parse_addr(text: &str) -> Result<SocketAddr, CliError> {
    text.parse().map_err(|_| CliError::Setting {
        setting: "--addr / SOCLE_ADDR",
        value: text.to_owned(),
        reason: "adresse IP et port attendus, par exemple 127.0.0.1:8080 ou 0.0.0.0:80".into(),
    })
}

async fn execute(cli: Cli, assembly: Assembly<'_>) -> Result<ExitCode, CliError> {
    let registry = registry(&cli, assembly)?;
    let clock = clock(&cli)?;
    match &cli.command {
        Command::Modules { json } => {
            print_modules(&registry, *json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { check } => {
            let db = connect(&cli).await?;
            let code = if *check {
                let waiting = registry.pending_migrations(&db).await?;
                for module in &waiting {
                    println!(
                        "{} : {} migration(s) en attente : {}",
                        module.module,
                        module.applied.len(),
                        module.applied.join(", ")
                    );
                }
                if waiting.is_empty() {
                    println!("Base à jour.");
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            } else {
                for module in registry.migrate(&db).await? {
                    match module.applied.len() {
                        0 => println!("{} : à jour", module.module),
                        n => println!(
                            "{} : {n} migration(s) appliquée(s) : {}",
                            module.module,
                            module.applied.join(", ")
                        ),
                    }
                }
                ExitCode::SUCCESS
            };
            db.close().await.ok();
            Ok(code)
        }
        Command::Demo => {
            let db = connect(&cli).await?;
            registry.migrate(&db).await?;
            crate::demo::seed(&db, &registry, clock.as_ref()).await?;
            println!(
                "Collectivité de démonstration prête : Mont-Bonvillers ({}).",
                crate::demo::DEMO_CODE
            );
            db.close().await.ok();
            Ok(ExitCode::SUCCESS)
        }
        Command::Usagers { action } => {
            let db = connect(&cli).await?;
            registry.migrate(&db).await?;
            let collectivite = collectivite_requise(&cli, &db).await?;
            match action {
                UsagersAction::ImporterDeces { fichier, rapport } => {
                    let bilan = crate::usagers::importer_deces(
                        &db,
                        collectivite,
                        fichier,
                        rapport,
                        clock.as_ref(),
                    )
                    .await?;
                    println!(
                        "{} ligne(s) lue(s) : {} usager(s) marqué(s) décédé(s), {} déjà décédé(s), {} décès à vérifier (voir {}), {} ligne(s) illisible(s).",
                        bilan.lignes,
                        bilan.decedes,
                        bilan.deja_decedes,
                        bilan.a_verifier.len(),
                        rapport.display(),
                        bilan.rejetees
                    );
                    for (ligne, raison) in bilan.exemples_rejets.iter().take(5) {
                        println!("  ligne {ligne} : {raison}");
                    }
                }
                UsagersAction::Importer { fichier, rejets } => {
                    let bilan = crate::usagers::importer_csv(
                        &db,
                        collectivite,
                        fichier,
                        rejets,
                        clock.as_ref(),
                    )
                    .await?;
                    println!(
                        "{} ligne(s) lue(s) : {} usager(s) créé(s) (dont {} doublon(s) possible(s) à vérifier), {} déjà présent(s), {} ligne(s) refusée(s) (voir {}).",
                        bilan.lignes,
                        bilan.crees,
                        bilan.doublons_possibles,
                        bilan.deja_presents,
                        bilan.rejetees,
                        rejets.display()
                    );
                }
            }
            db.close().await.ok();
            Ok(ExitCode::SUCCESS)
        }
        Command::Sig {
            action: SigAction::ImporterBan { fichier, rejets },
        } => {
            let db = connect(&cli).await?;
            registry.migrate(&db).await?;
            let collectivite = collectivite_requise(&cli, &db).await?;
            let bilan = crate::sig::importer_ban(
                &db,
                collectivite,
                fichier,
                rejets.as_deref(),
                clock.as_ref(),
            )
            .await?;
            println!(
                "{} ligne(s) lue(s) : {} adresse(s) créée(s), {} modifiée(s), {} inchangée(s), {} ligne(s) refusée(s){}.",
                bilan.lignes,
                bilan.creees,
                bilan.modifiees,
                bilan.inchangees,
                bilan.rejetees,
                rejets
                    .as_ref()
                    .map(|r| format!(" (voir {})", r.display()))
                    .unwrap_or_default()
            );
            for rejet in bilan.exemples_rejets.iter().take(5) {
                println!("  ligne {} : {}", rejet.ligne, rejet.motif);
            }
            db.close().await.ok();
            Ok(ExitCode::SUCCESS)
        }
        Command::Rgpd {
            action: RgpdAction::Purger,
        } => {
            let db = connect(&cli).await?;
            registry.migrate(&db).await?;
            let ged = ged(&cli)?;
            for (module, deleted) in crate::rgpd::purger(&db, &registry, clock.as_ref()).await? {
                println!("{module} : {deleted} enregistrement(s) supprimé(s)");
            }
            let avant = clock.now() - socle::ged::service::DELAI_NETTOYAGE;
            let blobs = socle::ged::service::nettoyer(&db, ged.stockage(), avant)
                .await
                .map_err(|e| CliError::Setting {
                    setting: "stockage des documents",
                    value: ged.stockage().decrire(),
                    reason: e.to_string(),
                })?;
            println!("ged : {blobs} contenu(s) sans version retiré(s) du stockage");
            db.close().await.ok();
            Ok(ExitCode::SUCCESS)
        }
        Command::Journal { action } => {
            let db = connect(&cli).await?;
            registry.migrate(&db).await?;
            let code = match action {
                JournalAction::Verifier { ancre } => {
                    let ancre = match ancre {
                        None => None,
                        Some(text) => Some(parse_ancre(text)?),
                    };
                    let report = socle::journal::verifier_avec_ancre(
                        &db,
                        ancre.as_ref().map(|(seq, hash)| (*seq, hash.as_str())),
                    )
                    .await
                    .map_err(socle::Error::from)?;
                    for anomalie in &report.anomalies {
                        println!("ANOMALIE : {anomalie}");
                    }
                    if report.anomalies.is_empty() {
                        println!(
                            "Journal intact : {} entrée(s) vérifiée(s), dernière n° {}, empreinte {}",
                            report.entrees_verifiees, report.derniere_seq, report.empreinte_finale
                        );
                        println!(
                            "À conserver hors du serveur : --ancre {}:{}",
                            report.derniere_seq, report.empreinte_finale
                        );
                        ExitCode::SUCCESS
                    } else {
                        println!("Journal altéré : {} anomalie(s).", report.anomalies.len());
                        ExitCode::FAILURE
                    }
                }
                JournalAction::Purger { conservation_mois } => {
                    let months = *conservation_mois;
                    if !(socle::journal::MIN_RETENTION_MONTHS
                        ..=socle::journal::MAX_RETENTION_MONTHS)
                        .contains(&months)
                    {
                        return Err(CliError::Setting {
                            setting: "--conservation-mois / SOCLE_JOURNAL_CONSERVATION_MOIS",
                            value: months.to_string(),
                            reason:
                                "entre 6 et 36 mois (recommandation CNIL sur la journalisation)"
                                    .into(),
                        });
                    }
                    // Retention counts from the real date, never from a date fixed for training.
                    let now = chrono::Utc::now();
                    let cutoff = now
                        .checked_sub_months(chrono::Months::new(months))
                        .unwrap_or(now);
                    let deleted = socle::journal::purger(
                        &db,
                        cutoff,
                        format!("conservation de {months} mois"),
                    )
                    .await
                    .map_err(socle::Error::from)?;
                    println!(
                        "{deleted} entrée(s) antérieure(s) au {} supprimée(s).",
                        cutoff.date_naive()
                    );
                    ExitCode::SUCCESS
                }
            };
            db.close().await.ok();
            Ok(code)
        }
        Command::Agent {
            action:
                AgentAction::Creer {
                    identifiant,
                    nom,
                    administrateur,
                    oidc_sub,
                },
        } => {
            let mot_de_passe = read_password()?;
            let new = socle::droits::service::NouvelAgent {
                identifiant: identifiant.clone(),
                nom: nom.clone(),
                mot_de_passe,
                administrateur: *administrateur,
                oidc_sub: oidc_sub.clone(),
            };
            if let Err(errors) = validator::Validate::validate(&new) {
                let problem = socle::http::ApiError::from(errors);
                let reasons: Vec<String> = problem
                    .field_errors()
                    .iter()
                    .map(|f| format!("{} {}", f.field, f.detail))
                    .collect();
                return Err(CliError::Setting {
                    setting: "agent",
                    value: identifiant.clone(),
                    reason: reasons.join(" ; "),
                });
            }
            let db = connect(&cli).await?;
            registry.migrate(&db).await?;
            let mut txn = socle::unite::UniteDeTravail::systeme(&db, None)
                .await
                .map_err(socle::Error::from)?;
            let agent = socle::droits::service::creer_agent(&txn, new, true, clock.now())
                .await
                .map_err(socle::Error::from)?;
            let evenement =
                socle::journal::Evenement::systeme("creation", "droits.agent", agent.id)
                    .motif("ligne de commande");
            socle::journal::consigner(&mut txn, evenement);
            txn.valider().await.map_err(socle::Error::from)?;
            println!(
                "Compte « {} » créé{}.",
                agent.identifiant,
                if agent.administrateur {
                    " (administrateur)"
                } else {
                    ""
                }
            );
            db.close().await.ok();
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            addr,
            demo,
            no_migrate,
        } => {
            // Bind first: a port already taken is reported before any database work.
            let listener = listen(parse_addr(addr)?).await?;
            let db = connect(&cli).await?;
            if *no_migrate {
                let pending: Vec<&str> = registry
                    .pending_migrations(&db)
                    .await?
                    .iter()
                    .map(|m| m.module)
                    .collect();
                if !pending.is_empty() {
                    return Err(CliError::PendingMigrations(pending.join(", ")));
                }
            } else {
                registry.migrate(&db).await?;
            }
            let ged = ged(&cli)?;
            tracing::info!(stockage = %ged.stockage().decrire(), "documents (GED)");
            let mut state = AppState::new(db.clone(), clock, registry).with_ged(ged);
            if *demo {
                crate::demo::seed(&db, state.registry(), state.clock()).await?;
            }
            let default = cli
                .collectivite
                .clone()
                .or_else(|| demo.then(|| crate::demo::DEMO_CODE.to_owned()));
            if let Some(reference) = default {
                if socle::collectivite::find(&db, &reference)
                    .await
                    .map_err(socle::Error::from)?
                    .is_none()
                {
                    return Err(CliError::Setting {
                        setting: "--collectivite / SOCLE_COLLECTIVITE",
                        value: reference,
                        reason: "aucune collectivité ne porte ce code ou cet identifiant ; créez-la d'abord (POST /api/v1/collectivites)".into(),
                    });
                }
                state = state.with_default_collectivite(reference);
            }
            if let Some(config) = oidc_config(&cli)? {
                state = state.with_oidc(config);
            }
            let livreur = LivreurConfig {
                reseau_prive: cli.webhooks_reseau_prive,
                ..LivreurConfig::default()
            };
            serve(listener, state, livreur).await?;
            db.close().await.ok();
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The collectivité named by `--collectivite` / `SOCLE_COLLECTIVITE`, which commands that
/// write a collectivité's records require.
async fn collectivite_requise(cli: &Cli, db: &DatabaseConnection) -> Result<uuid::Uuid, CliError> {
    let reference = cli.collectivite.clone().ok_or_else(|| CliError::Setting {
        setting: "--collectivite / SOCLE_COLLECTIVITE",
        value: String::new(),
        reason: "précisez la collectivité (code INSEE, SIREN ou identifiant)".into(),
    })?;
    socle::collectivite::find(db, &reference)
        .await
        .map_err(socle::Error::from)?
        .map(|c| c.id)
        .ok_or_else(|| CliError::Setting {
            setting: "--collectivite / SOCLE_COLLECTIVITE",
            value: reference,
            reason: "aucune collectivité ne porte ce code ou cet identifiant".into(),
        })
}

async fn listen(addr: SocketAddr) -> Result<tokio::net::TcpListener, CliError> {
    tokio::net::TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            CliError::AddressInUse(addr)
        } else {
            CliError::Listen { addr, source }
        }
    })
}

async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    livreur: LivreurConfig,
) -> Result<(), CliError> {
    let addr = listener.local_addr().map_err(CliError::Serve)?;
    let modules = state.registry().ids().join(", ");
    let livreur = socle::evenements::Livreur::pour(&state, livreur)
        .map_err(|e| CliError::Webhooks(e.to_string()))?;
    let app = crate::app::assemble(state).map_err(socle::Error::from)?;
    tracing::info!(%addr, %modules, "Socle à l'écoute sur http://{addr} (documentation : http://{addr}/api/docs)");
    let (stopping, mut stop) = tokio::sync::watch::channel(false);
    let mut livreur_stop = stop.clone();
    let livreur = tokio::spawn(livreur.tourner(async move {
        let _ = livreur_stop.wait_for(|stopping| *stopping).await;
    }));
    let server = axum::serve(listener, app.router).with_graceful_shutdown(async move {
        shutdown_signal().await;
        stopping.send_replace(true);
    });
    let deadline = async move {
        // Resolves only once the signal came, then gives requests in progress some time.
        let _ = stop.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = server => served.map_err(CliError::Serve)?,
        () = deadline => tracing::warn!(
            "des requêtes étaient encore en cours {} s après le signal d'arrêt ; arrêt forcé",
            SHUTDOWN_GRACE.as_secs()
        ),
    }
    // The sender stops between two deliveries; what it did not send stays queued.
    let _ = livreur.await;
    tracing::info!("Socle arrêté");
    Ok(())
}

/// How long requests in progress may run after a stop signal.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Resolves on Ctrl-C or SIGTERM; the server then finishes the requests in progress.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("signal d'arrêt reçu, fin des requêtes en cours");
}

fn print_modules(registry: &ModuleRegistry, json: bool) {
    let infos = registry.infos();
    if json {
        match serde_json::to_string_pretty(&infos) {
            Ok(text) => println!("{text}"),
            Err(err) => eprintln!("socle : erreur : {err}"),
        }
        return;
    }
    println!("{:<16} {:<8} {:<28} dépend de", "module", "version", "nom");
    for info in infos {
        println!(
            "{:<16} {:<8} {:<28} {}",
            info.id,
            info.version,
            info.name,
            if info.dependencies.is_empty() {
                "—".to_owned()
            } else {
                info.dependencies.join(", ")
            }
        );
    }
}
