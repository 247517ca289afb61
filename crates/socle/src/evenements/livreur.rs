//! The sender of webhook deliveries.
//!
//! Each pass reads, for every active subscription, the first pending delivery of each subject
//! that is due, and walks each subject's deliveries in event order from there: it reserves one
//! (so that another server sharing the database does not send it too), sends it, and goes on
//! to the next only when the receiver accepted it (2xx). A failure schedules the delivery again after an exponential
//! delay (`delai_initial` × 2ⁿ, capped at `delai_max`) and holds the subject's later deliveries
//! behind it: events about one usager arrive in order, at least once. After `abandon_apres`
//! without success a delivery is abandoned (a replay queues it again).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use uuid::Uuid;

use super::entity::{abonnement, evenement, livraison, tentative};
use super::signature::{self, EN_TETE_HORODATAGE, EN_TETE_ID, EN_TETE_SIGNATURE};
use super::{ABANDONNEE, EN_ATTENTE, LIVREE, Message};
use crate::http::AppState;
use crate::module::ModuleRegistry;
use crate::temps::Clock;

/// Settings of the sender.
#[derive(Debug, Clone)]
pub struct LivreurConfig {
    /// Time between two passes when nothing wakes the sender.
    pub intervalle: Duration,
    /// Delay before the first retry.
    pub delai_initial: Duration,
    /// Longest delay between two retries.
    pub delai_max: Duration,
    /// How long a delivery is retried before it is abandoned.
    pub abandon_apres: Duration,
    /// How long the receiver has to answer.
    pub delai_reponse: Duration,
    /// Pending deliveries read per subscription and pass.
    pub lot: u64,
    /// Subjects sent at the same time, per pass.
    pub simultanes: usize,
    /// Whether receivers may be on loopback, private or link-local addresses (an intranet
    /// partner). Off by default: a subscription must not make the server call its own network.
    pub reseau_prive: bool,
}

impl Default for LivreurConfig {
    /// A pass every second; retries after 5 s, 10 s, 20 s… then hourly, for three days.
    fn default() -> Self {
        Self {
            intervalle: Duration::from_secs(1),
            delai_initial: Duration::from_secs(5),
            delai_max: Duration::from_secs(3600),
            abandon_apres: Duration::from_secs(72 * 3600),
            delai_reponse: Duration::from_secs(10),
            lot: 500,
            simultanes: 16,
            reseau_prive: false,
        }
    }
}

impl LivreurConfig {
    /// The delay before the retry that follows `tentatives` failed attempts.
    #[must_use]
    pub fn delai(&self, tentatives: i32) -> Duration {
        let exponent = u32::try_from(tentatives.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.delai_initial
            .saturating_mul(2_u32.saturating_pow(exponent))
            .min(self.delai_max)
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bilan {
    /// Deliveries the receiver accepted.
    pub livrees: u64,
    /// Attempts that failed (to be retried or abandoned).
    pub echecs: u64,
}

/// Sends webhook deliveries. Cheap to clone.
#[derive(Clone)]
pub struct Livreur {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
    config: Arc<LivreurConfig>,
    reveil: Arc<Notify>,
    modules: Option<Arc<ModuleRegistry>>,
}

impl std::fmt::Debug for Livreur {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Livreur")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

struct Envoi {
    livraison: livraison::Model,
    evenement: evenement::Model,
}

impl Livreur {
    /// The sender of a server: its database and clock, woken by the requests that publish.
    ///
    /// # Errors
    /// The HTTP client could not be built (no TLS roots).
    pub fn pour(state: &AppState, config: LivreurConfig) -> Result<Self, reqwest::Error> {
        let mut livreur = Self::new(
            state.db().clone(),
            state.clock_arc(),
            config,
            state.reveil_livreur(),
        )?;
        livreur.modules = Some(state.registry_arc());
        Ok(livreur)
    }

    /// A sender over `db`, woken by `reveil`.
    ///
    /// # Errors
    /// The HTTP client could not be built (no TLS roots).
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        config: LivreurConfig,
        reveil: Arc<Notify>,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(config.delai_reponse)
            .user_agent(concat!("Socle-Webhooks/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            db,
            clock,
            client,
            config: Arc::new(config),
            reveil,
            modules: None,
        })
    }

    /// Wakes the sender before its next pass (after a commit that published events).
    pub fn reveiller(&self) {
        self.reveil.notify_one();
    }

    /// Runs passes until `arret` completes: webhook deliveries, then (for a sender made by
    /// [`Livreur::pour`]) the modules' event handlers ([`super::distribuer`]).
    pub async fn tourner(self, arret: impl std::future::Future<Output = ()>) {
        tokio::pin!(arret);
        loop {
            // A stop signal cancels the pass: the deliveries in flight stay reserved a moment,
            // then pending, and are sent again (at least once).
            tokio::select! {
                () = &mut arret => return,
                outcome = self.passe() => {
                    if let Err(err) = outcome {
                        tracing::error!(%err, "webhook deliveries: pass failed");
                    }
                }
            }
            if let Some(modules) = &self.modules {
                let (today, now) = (self.clock.today(), self.clock.now());
                if let Err(err) = super::distribuer(&self.db, modules, today, now).await {
                    tracing::error!(%err, "event handlers: pass failed");
                }
            }
            tokio::select! {
                () = &mut arret => return,
                () = self.reveil.notified() => {}
                () = tokio::time::sleep(self.config.intervalle) => {}
            }
        }
    }

    /// One pass over every active subscription.
    ///
    /// # Errors
    /// A database failure.
    pub async fn passe(&self) -> Result<Bilan, DbErr> {
        let subscriptions = abonnement::Entity::find()
            .filter(abonnement::Column::Actif.eq(true))
            .all(&self.db)
            .await?;
        let mut tasks = JoinSet::new();
        let places = Arc::new(tokio::sync::Semaphore::new(self.config.simultanes.max(1)));
        for subscription in subscriptions {
            for head in self.file(&subscription).await? {
                let this = self.clone();
                let subscription = subscription.clone();
                let places = Arc::clone(&places);
                tasks.spawn(async move {
                    let _place = places.acquire_owned().await;
                    this.envoyer_suite(&subscription, head).await
                });
            }
        }
        let mut bilan = Bilan::default();
        while let Some(done) = tasks.join_next().await {
            let part = done.map_err(|e| DbErr::Custom(e.to_string()))??;
            bilan.livrees += part.livrees;
            bilan.echecs += part.echecs;
        }
        Ok(bilan)
    }

    /// The first pending delivery of each subject of a subscription that is due now (event
    /// order, at most `lot`): a subject whose first delivery waits for its retry is left out
    /// without hiding the others, however many deliveries it holds back.
    async fn file(&self, subscription: &abonnement::Model) -> Result<Vec<Envoi>, DbErr> {
        let now = self.clock.now();
        let heads = livraison::Entity::find()
            .filter(livraison::Column::AbonnementId.eq(subscription.id))
            .filter(livraison::Column::Statut.eq(EN_ATTENTE))
            .filter(livraison::Column::ProchaineTentative.lte(now))
            .filter(
                Condition::any()
                    .add(livraison::Column::ReserveeJusquA.is_null())
                    .add(livraison::Column::ReserveeJusquA.lte(now)),
            )
            .filter(Expr::cust(
                "NOT EXISTS (SELECT 1 FROM webhook_livraison AS avant \
                 WHERE avant.abonnement_id = webhook_livraison.abonnement_id \
                 AND avant.sujet = webhook_livraison.sujet \
                 AND avant.statut = 'en_attente' \
                 AND avant.evenement_seq < webhook_livraison.evenement_seq)",
            ))
            .order_by_asc(livraison::Column::EvenementSeq)
            .limit(self.config.lot)
            .all(&self.db)
            .await?;
        self.avec_evenements(heads).await
    }

    /// The deliveries with their events.
    async fn avec_evenements(
        &self,
        deliveries: Vec<livraison::Model>,
    ) -> Result<Vec<Envoi>, DbErr> {
        if deliveries.is_empty() {
            return Ok(Vec::new());
        }
        let seqs: Vec<i64> = deliveries.iter().map(|d| d.evenement_seq).collect();
        let mut events: HashMap<i64, evenement::Model> = evenement::Entity::find()
            .filter(evenement::Column::Seq.is_in(seqs))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.seq, e))
            .collect();
        Ok(deliveries
            .into_iter()
            .filter_map(|livraison| {
                let evenement = events.remove(&livraison.evenement_seq)?;
                Some(Envoi {
                    livraison,
                    evenement,
                })
            })
            .collect())
    }

    /// The subject's next pending delivery after `seq`, if any.
    async fn suivante(
        &self,
        subscription: &abonnement::Model,
        sujet: &str,
        seq: i64,
    ) -> Result<Option<Envoi>, DbErr> {
        let next = livraison::Entity::find()
            .filter(livraison::Column::AbonnementId.eq(subscription.id))
            .filter(livraison::Column::Sujet.eq(sujet))
            .filter(livraison::Column::Statut.eq(EN_ATTENTE))
            .filter(livraison::Column::EvenementSeq.gt(seq))
            .order_by_asc(livraison::Column::EvenementSeq)
            .limit(1)
            .all(&self.db)
            .await?;
        Ok(self.avec_evenements(next).await?.pop())
    }

    /// Sends a subject's deliveries in order from `premier`, stopping at the first that fails.
    async fn envoyer_suite(
        &self,
        subscription: &abonnement::Model,
        premier: Envoi,
    ) -> Result<Bilan, DbErr> {
        let mut bilan = Bilan::default();
        let mut current = Some(premier);
        while let Some(envoi) = current.take() {
            if !self.reserver(&envoi.livraison).await? {
                break;
            }
            if !self.envoyer(subscription, &envoi).await? {
                bilan.echecs += 1;
                break;
            }
            bilan.livrees += 1;
            current = self
                .suivante(
                    subscription,
                    &envoi.livraison.sujet,
                    envoi.livraison.evenement_seq,
                )
                .await?;
        }
        Ok(bilan)
    }

    /// Reserves a delivery for this sender; false when another has it or it was settled.
    async fn reserver(&self, delivery: &livraison::Model) -> Result<bool, DbErr> {
        let now = self.clock.now();
        let until = now + self.reservation();
        let done = livraison::Entity::update_many()
            .col_expr(livraison::Column::ReserveeJusquA, Expr::value(until))
            .filter(livraison::Column::Id.eq(delivery.id))
            .filter(livraison::Column::Statut.eq(EN_ATTENTE))
            .filter(
                Condition::any()
                    .add(livraison::Column::ReserveeJusquA.is_null())
                    .add(livraison::Column::ReserveeJusquA.lte(now)),
            )
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected == 1)
    }

    fn reservation(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.config.delai_reponse * 2 + Duration::from_secs(5))
            .unwrap_or(chrono::Duration::MAX)
    }

    /// One attempt; true when the receiver accepted it.
    async fn envoyer(
        &self,
        subscription: &abonnement::Model,
        envoi: &Envoi,
    ) -> Result<bool, DbErr> {
        let started = Instant::now();
        let attempt_at = self.clock.now();
        let outcome = self
            .poster(subscription, &envoi.evenement, attempt_at)
            .await;
        let duree_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (statut_http, erreur) = match &outcome {
            Ok(status) if (200..300).contains(status) => (Some(i32::from(*status)), None),
            Ok(status) => (
                Some(i32::from(*status)),
                Some(format!("réponse HTTP {status}")),
            ),
            Err(err) => (None, Some(err.clone())),
        };
        let accepted = erreur.is_none();
        tentative::ActiveModel {
            id: Set(Uuid::now_v7()),
            livraison_id: Set(envoi.livraison.id),
            horodatage: Set(attempt_at),
            statut_http: Set(statut_http),
            erreur: Set(erreur.clone()),
            duree_ms: Set(duree_ms),
        }
        .insert(&self.db)
        .await?;
        let tentatives = envoi.livraison.tentatives.saturating_add(1);
        let mut update = livraison::ActiveModel {
            id: Set(envoi.livraison.id),
            tentatives: Set(tentatives),
            reservee_jusqu_a: Set(None),
            dernier_statut_http: Set(statut_http),
            derniere_erreur: Set(erreur),
            ..Default::default()
        };
        if accepted {
            update.statut = Set(LIVREE.to_owned());
            update.livree_le = Set(Some(self.clock.now()));
        } else if self.abandonner(&envoi.livraison, attempt_at) {
            update.statut = Set(ABANDONNEE.to_owned());
        } else {
            let delay = chrono::Duration::from_std(self.config.delai(tentatives))
                .unwrap_or(chrono::Duration::MAX);
            update.prochaine_tentative = Set(attempt_at + delay);
        }
        update.update(&self.db).await?;
        Ok(accepted)
    }

    fn abandonner(&self, delivery: &livraison::Model, now: DateTime<Utc>) -> bool {
        chrono::Duration::from_std(self.config.abandon_apres)
            .is_ok_and(|limit| now - delivery.cree_le >= limit)
    }

    /// Posts the signed message; the receiver's status, or why nothing was received.
    async fn poster(
        &self,
        subscription: &abonnement::Model,
        event: &evenement::Model,
        now: DateTime<Utc>,
    ) -> Result<u16, String> {
        if !self.config.reseau_prive {
            adresse_publique(&subscription.url).await?;
        }
        let body = serde_json::to_vec(&Message::from(event)).map_err(|e| e.to_string())?;
        let id = event.id.to_string();
        let timestamp = now.timestamp();
        let signed = signature::signer(&subscription.secret, &id, timestamp, &body)
            .map_err(|e| e.to_string())?;
        let response = self
            .client
            .post(&subscription.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(EN_TETE_ID, &id)
            .header(EN_TETE_HORODATAGE, timestamp.to_string())
            .header(EN_TETE_SIGNATURE, signed)
            .body(body)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        Ok(response.status().as_u16())
    }
}

/// Refuses a receiver whose name resolves to an address of the server's own networks
/// (loopback, private, link-local, unique local, unspecified): a subscription must not reach
/// internal services. Allowed with [`LivreurConfig::reseau_prive`].
async fn adresse_publique(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("adresse invalide : {e}"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| "adresse sans hôte".to_owned())?
        .trim_matches(['[', ']']);
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addresses = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("nom introuvable : {e}"))?;
    for address in addresses {
        if interne(address.ip()) {
            return Err(format!(
                "adresse interne refusée ({}) : un récepteur sur le réseau de la collectivité s'autorise par le réglage SOCLE_WEBHOOKS_RESEAU_PRIVE",
                address.ip()
            ));
        }
    }
    Ok(())
}

/// Whether an address belongs to the server's own or private networks.
fn interne(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| interne(std::net::IpAddr::V4(v4)))
        }
    }
}

fn describe(err: &reqwest::Error) -> String {
    let what = if err.is_timeout() {
        "délai de réponse dépassé"
    } else if err.is_connect() {
        "connexion impossible"
    } else {
        "échec de l'envoi"
    };
    let mut text = format!("{what} : {err}");
    text.truncate(480);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.10",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(interne(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["8.8.8.8", "193.51.24.1", "2001:db8::1", "100.128.0.1"] {
            assert!(!interne(ip.parse().expect("ip")), "{ip}");
        }
    }

    #[tokio::test]
    async fn receivers_on_internal_networks_are_refused_by_default() {
        let refused = adresse_publique("http://127.0.0.1:8080/recepteur").await;
        assert!(refused.is_err_and(|e| e.contains("SOCLE_WEBHOOKS_RESEAU_PRIVE")));
        assert!(adresse_publique("http://localhost/").await.is_err());
        assert!(adresse_publique("http://[::1]:9000/").await.is_err());
    }

    #[test]
    fn retry_delays_double_up_to_the_cap() {
        let config = LivreurConfig::default();
        let secs = |n| config.delai(n).as_secs();
        assert_eq!(
            [secs(1), secs(2), secs(3), secs(4)],
            [5, 10, 20, 40],
            "5 s, then doubled"
        );
        assert_eq!(secs(10), 2560);
        assert_eq!(secs(11), 3600, "capped at one hour");
        assert_eq!(secs(1000), 3600);
        // A partner down for a day is retried about thirty times, the last within the hour.
        let mut elapsed = 0;
        let mut n = 0;
        while elapsed < 24 * 3600 {
            n += 1;
            elapsed += secs(n);
        }
        assert!((30..40).contains(&n), "{n} attempts in a day");
    }
}
