//! Events and webhooks through HTTP, delivered to a real receiver on 127.0.0.1: signed
//! messages, retries while the receiver is down or failing, order per usager, replays, paused
//! subscriptions, the event feed, and events that exist only when their change does.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::routing::post;
use serde_json::{Value, json};
use socle::evenements::livreur::Bilan;
use socle::evenements::signature::{self, SignatureInvalide};
use socle::evenements::{Livreur, LivreurConfig};
use tests_assemblage::{Answer, TestApp};
use tokio::task::JoinHandle;

const A: &str = "54084";
const USAGERS: &str = "/api/v1/usagers";
const EVENEMENTS: &str = "/api/v1/evenements";

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Recu {
    chemin: String,
    id: String,
    horodatage: String,
    signature: String,
    content_type: String,
    corps: Vec<u8>,
}

impl Recu {
    fn message(&self) -> Value {
        serde_json::from_slice(&self.corps).expect("a JSON message")
    }

    fn type_(&self) -> String {
        self.message()["type"].as_str().expect("type").to_owned()
    }
}

/// What the receiver got, and the statuses it will answer next (200 once they are used up).
#[derive(Clone, Default)]
struct Boite {
    recus: Arc<Mutex<Vec<Recu>>>,
    reponses: Arc<Mutex<VecDeque<StatusCode>>>,
}

impl Boite {
    fn recus(&self) -> Vec<Recu> {
        self.recus.lock().expect("lock").clone()
    }

    fn repondre(&self, statuses: &[StatusCode]) {
        self.reponses.lock().expect("lock").extend(statuses);
    }
}

async fn recevoir(
    State(boite): State<Boite>,
    uri: Uri,
    headers: HeaderMap,
    corps: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    boite.recus.lock().expect("lock").push(Recu {
        chemin: uri.path().to_owned(),
        id: header(signature::EN_TETE_ID),
        horodatage: header(signature::EN_TETE_HORODATAGE),
        signature: header(signature::EN_TETE_SIGNATURE),
        content_type: header("content-type"),
        corps: corps.to_vec(),
    });
    boite
        .reponses
        .lock()
        .expect("lock")
        .pop_front()
        .unwrap_or(StatusCode::OK)
}

/// A webhook receiver listening on 127.0.0.1; it stops when dropped.
struct Recepteur {
    boite: Boite,
    port: u16,
    tache: JoinHandle<()>,
}

impl Recepteur {
    /// A receiver on `port` (any free port for 0).
    async fn ecouter(port: u16, boite: Boite) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("the receiver's port is free");
        let port = listener.local_addr().expect("address").port();
        let router = Router::new()
            .route("/{*chemin}", post(recevoir))
            .with_state(boite.clone());
        let tache = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("receiver");
        });
        Self { boite, port, tache }
    }

    fn url(&self, chemin: &str) -> String {
        url(self.port, chemin)
    }
}

impl Drop for Recepteur {
    fn drop(&mut self) {
        self.tache.abort();
    }
}

fn url(port: u16, chemin: &str) -> String {
    format!("http://127.0.0.1:{port}/{chemin}")
}

/// A port nobody listens on: bound, noted, released.
fn port_ferme() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

/// The assembly with the commune A.
async fn app() -> TestApp {
    let app = tests_assemblage::app().await;
    app.commune(A, "Mont-Bonvillers").await;
    app
}

/// A sender over the test application's database, retrying within 20 to 100 ms.
fn livreur(app: &TestApp) -> Livreur {
    Livreur::new(
        app.state.db().clone(),
        app.state.clock_arc(),
        LivreurConfig {
            delai_initial: Duration::from_millis(20),
            delai_max: Duration::from_millis(100),
            delai_reponse: Duration::from_secs(5),
            // The test receivers listen on 127.0.0.1.
            reseau_prive: true,
            ..LivreurConfig::default()
        },
        app.state.reveil_livreur(),
    )
    .expect("HTTP client")
}

/// Longer than the sender's longest retry delay: after it, every failed delivery is due.
const APRES_DELAI: Duration = Duration::from_millis(150);

async fn passe(livreur: &Livreur) -> Bilan {
    livreur.passe().await.expect("a pass")
}

/// Passes until the subscription has nothing pending; what they did in all.
async fn livrer_tout(app: &TestApp, livreur: &Livreur, abonnement: &str) -> Bilan {
    let mut total = Bilan::default();
    for _ in 0..40 {
        let bilan = passe(livreur).await;
        total.livrees += bilan.livrees;
        total.echecs += bilan.echecs;
        if en_attente(app, abonnement).await == 0 {
            return total;
        }
        tokio::time::sleep(APRES_DELAI).await;
    }
    panic!("deliveries still pending: {total:?}");
}

/// Subscribes `url` to `types`; the subscription's id and secret.
async fn abonner(app: &TestApp, url: &str, types: &[&str]) -> (String, String) {
    let created = app
        .post(
            &format!("{EVENEMENTS}/abonnements"),
            &json!({"url": url, "types": types, "description": "GRC de la commune"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let secret = created.body["secret"].as_str().expect("secret").to_owned();
    (id(&created.body), secret)
}

async fn en_attente(app: &TestApp, abonnement: &str) -> u64 {
    let read = app
        .get(&format!("{EVENEMENTS}/abonnements/{abonnement}"))
        .await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
    read.body["en_attente"].as_u64().expect("en_attente")
}

async fn livraisons(app: &TestApp, abonnement: &str) -> Vec<Value> {
    let log = app
        .get(&format!(
            "{EVENEMENTS}/abonnements/{abonnement}/livraisons?limit=500"
        ))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{:?}", log.body);
    log.body.as_array().expect("deliveries").clone()
}

/// The collectivité's usager events, in publication order.
async fn fil(app: &TestApp) -> Vec<Value> {
    let feed = app
        .get(&format!("{EVENEMENTS}?type=usager.*&limit=1000"))
        .await;
    assert_eq!(feed.status, StatusCode::OK, "{:?}", feed.body);
    feed.body.as_array().expect("events").clone()
}

fn id(body: &Value) -> String {
    body["id"].as_str().expect("id").to_owned()
}

fn texte(value: &Value) -> String {
    value.as_str().expect("text").to_owned()
}

async fn creer(app: &TestApp, fiche: &Value) -> String {
    let answer = app.post(USAGERS, fiche).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    id(&answer.body)
}

async fn patcher(app: &TestApp, usager: &str, if_match: &str, patch: &Value) -> Answer {
    app.send(
        Method::PATCH,
        &format!("{USAGERS}/{usager}"),
        &[
            ("content-type", "application/merge-patch+json"),
            ("if-match", if_match),
        ],
        Some(Body::from(patch.to_string())),
    )
    .await
}

/// Checks a received message as a partner would, at the server's current time.
fn verifier(
    app: &TestApp,
    secret: &str,
    recu: &Recu,
    corps: &[u8],
) -> Result<(), SignatureInvalide> {
    signature::verifier(
        secret,
        &recu.id,
        &recu.horodatage,
        &recu.signature,
        corps,
        app.state.clock().now().timestamp(),
        300,
    )
}

/// The events of the feed grouped by subject, each subject's event ids in publication order.
fn par_sujet(events: &[Value]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for event in events {
        out.entry(texte(&event["sujet"]))
            .or_default()
            .push(id(event));
    }
    out
}

#[tokio::test]
async fn deliveries_wait_for_a_receiver_that_is_down_then_arrive_in_order() {
    let app = app().await;
    let port = port_ferme();
    let (abonnement, secret) = abonner(&app, &url(port, "webhooks/socle"), &["usager.*"]).await;
    assert!(secret.starts_with("whsec_"), "{secret}");

    // While the receiver is down: a usager created, changed, dead; another deleted; two merged.
    let marie = creer(
        &app,
        &json!({"nom_naissance": "Lefèvre", "prenoms": "Marie", "date_naissance": "1954-06-12"}),
    )
    .await;
    let changed = patcher(&app, &marie, "\"1\"", &json!({"nom_usage": "MARTIN"})).await;
    assert_eq!(changed.status, StatusCode::OK);
    let died = app
        .post(
            &format!("{USAGERS}/{marie}/deces"),
            &json!({"date": "2026-11-02", "source": "declaration"}),
        )
        .await;
    assert_eq!(died.status, StatusCode::OK, "{:?}", died.body);
    let paul = creer(&app, &json!({"nom_naissance": "Martin", "prenoms": "Paul"})).await;
    let deleted = app
        .send(Method::DELETE, &format!("{USAGERS}/{paul}"), &[], None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let kept = creer(
        &app,
        &json!({"nom_naissance": "Dupont", "prenoms": "Jean", "date_naissance": "1980-03-00"}),
    )
    .await;
    let absorbed = creer(
        &app,
        &json!({"nom_naissance": "DUPOND", "prenoms": "Jean", "date_naissance": "1980-03-12"}),
    )
    .await;
    let merged = app
        .post(
            &format!("{USAGERS}/{kept}/fusion"),
            &json!({"absorbe": absorbed}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);

    let events = fil(&app).await;
    let subjects = par_sujet(&events);
    let types_of = |subject: &str| -> Vec<String> {
        events
            .iter()
            .filter(|e| e["sujet"] == subject)
            .map(|e| texte(&e["type"]))
            .collect()
    };
    assert_eq!(
        types_of(&marie),
        [
            "usager.cree",
            "usager.modifie",
            "usager.modifie",
            "usager.deces"
        ]
    );
    assert_eq!(types_of(&paul), ["usager.cree", "usager.supprime"]);
    assert_eq!(
        types_of(&kept),
        ["usager.cree", "usager.modifie", "usager.fusionne"]
    );
    // The absorbed usager's own stream ends with its deletion (pointing to the kept one).
    assert_eq!(types_of(&absorbed), ["usager.cree", "usager.supprime"]);
    assert_eq!(subjects.len(), 4);
    assert_eq!(en_attente(&app, &abonnement).await, events.len() as u64);

    // Each pass tries the first delivery of each usager, and only that one.
    let livreur = livreur(&app);
    for round in 1..=3 {
        let bilan = passe(&livreur).await;
        assert_eq!(
            bilan,
            Bilan {
                livrees: 0,
                echecs: 4
            },
            "pass {round}"
        );
        tokio::time::sleep(APRES_DELAI).await;
    }
    let log = livraisons(&app, &abonnement).await;
    assert_eq!(log.len(), events.len());
    for (subject, ids) in &subjects {
        for (rank, event_id) in ids.iter().enumerate() {
            let seq = events
                .iter()
                .find(|e| e["id"] == *event_id)
                .map(|e| e["seq"].clone())
                .expect("event");
            let delivery = log
                .iter()
                .find(|d| d["evenement_seq"] == seq)
                .expect("a delivery per event");
            assert_eq!(delivery["sujet"], *subject);
            assert_eq!(delivery["statut"], "en_attente");
            assert!(delivery["prochaine_tentative"].is_string());
            let attempts = delivery["historique"].as_array().expect("historique");
            if rank == 0 {
                assert_eq!(delivery["tentatives"], 3, "{delivery}");
                assert_eq!(attempts.len(), 3);
                for attempt in attempts {
                    assert!(attempt["statut_http"].is_null(), "{attempt}");
                    assert!(
                        attempt["erreur"]
                            .as_str()
                            .is_some_and(|e| e.starts_with("connexion impossible")),
                        "{attempt}"
                    );
                }
            } else {
                assert_eq!(
                    delivery["tentatives"], 0,
                    "waits behind the first: {delivery}"
                );
                assert_eq!(attempts.len(), 0);
            }
        }
    }

    // The receiver comes up on the same port: everything arrives.
    let receiver = Recepteur::ecouter(port, Boite::default()).await;
    let bilan = livrer_tout(&app, &livreur, &abonnement).await;
    assert_eq!(bilan.livrees, events.len() as u64);
    assert_eq!(bilan.echecs, 0);
    let received = receiver.boite.recus();
    assert_eq!(received.len(), events.len(), "each event exactly once");
    let mut arrived: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for recu in &received {
        let message = recu.message();
        let event = events
            .iter()
            .find(|e| e["id"] == recu.id.as_str())
            .expect("a published event");
        assert_eq!(recu.chemin, "/webhooks/socle");
        assert_eq!(recu.content_type, "application/json");
        assert_eq!(message["id"], event["id"]);
        assert_eq!(message["type"], event["type"]);
        assert_eq!(message["data"], event["data"]);
        assert_eq!(message["timestamp"], event["timestamp"]);
        assert!(message["collectivite_id"].is_string());
        assert_eq!(verifier(&app, &secret, recu, &recu.corps), Ok(()));
        arrived
            .entry(texte(&event["sujet"]))
            .or_default()
            .push(recu.id.clone());
    }
    assert_eq!(arrived, subjects, "in publication order per usager");
    let marie_types: Vec<String> = received
        .iter()
        .filter(|r| r.message()["data"]["id"] == marie.as_str())
        .map(Recu::type_)
        .collect();
    assert_eq!(
        marie_types,
        [
            "usager.cree",
            "usager.modifie",
            "usager.modifie",
            "usager.deces"
        ]
    );

    // A message altered in transit, or checked with another secret, is refused.
    let sample = &received[0];
    let mut tampered = sample.corps.clone();
    let at = tampered
        .iter()
        .position(|b| *b == b'u')
        .expect("a letter to change");
    tampered[at] = b'v';
    assert_eq!(
        verifier(&app, &secret, sample, &tampered),
        Err(SignatureInvalide::Signature)
    );
    let other_secret = signature::nouveau_secret().expect("random");
    assert_eq!(
        verifier(&app, &other_secret, sample, &sample.corps),
        Err(SignatureInvalide::Signature)
    );

    // The log shows the failed attempts, then the success.
    let log = livraisons(&app, &abonnement).await;
    assert!(log.iter().all(|d| d["statut"] == "livree"), "{log:?}");
    let first_of_marie = log
        .iter()
        .find(|d| d["sujet"] == marie.as_str() && d["type"] == "usager.cree")
        .expect("delivery");
    assert_eq!(first_of_marie["tentatives"], 4);
    assert!(first_of_marie["livree_le"].is_string());
    assert!(first_of_marie["prochaine_tentative"].is_null());
    let attempts = first_of_marie["historique"].as_array().expect("historique");
    assert_eq!(attempts.len(), 4);
    assert_eq!(attempts[3]["statut_http"], 200);
    assert!(attempts[3]["erreur"].is_null());
    let delivered = app
        .get(&format!(
            "{EVENEMENTS}/abonnements/{abonnement}/livraisons?statut=livree"
        ))
        .await;
    assert_eq!(delivered.body.as_array().map(Vec::len), Some(events.len()));
    let pending = app
        .get(&format!(
            "{EVENEMENTS}/abonnements/{abonnement}/livraisons?statut=en_attente"
        ))
        .await;
    assert_eq!(pending.body, json!([]));
    let nothing_left = passe(&livreur).await;
    assert_eq!(nothing_left, Bilan::default());
}

#[tokio::test]
async fn a_receiver_error_is_retried_with_the_same_id() {
    let app = app().await;
    let receiver = Recepteur::ecouter(0, Boite::default()).await;
    receiver.boite.repondre(&[
        StatusCode::INTERNAL_SERVER_ERROR,
        StatusCode::SERVICE_UNAVAILABLE,
    ]);
    let (abonnement, secret) = abonner(&app, &receiver.url("hook"), &["usager.cree"]).await;
    let usager = creer(&app, &json!({"nom_naissance": "Dupont"})).await;
    let livreur = livreur(&app);

    let first = passe(&livreur).await;
    assert_eq!(
        first,
        Bilan {
            livrees: 0,
            echecs: 1
        }
    );
    tokio::time::sleep(APRES_DELAI).await;
    let second = passe(&livreur).await;
    assert_eq!(
        second,
        Bilan {
            livrees: 0,
            echecs: 1
        }
    );
    tokio::time::sleep(APRES_DELAI).await;
    let third = passe(&livreur).await;
    assert_eq!(
        third,
        Bilan {
            livrees: 1,
            echecs: 0
        }
    );

    let received = receiver.boite.recus();
    assert_eq!(received.len(), 3);
    assert!(
        received.iter().all(|r| r.id == received[0].id),
        "one webhook-id"
    );
    assert!(
        received.iter().all(|r| r.corps == received[0].corps),
        "one body"
    );
    for recu in &received {
        assert_eq!(verifier(&app, &secret, recu, &recu.corps), Ok(()));
    }
    assert_eq!(received[0].message()["data"]["id"], usager);

    let log = livraisons(&app, &abonnement).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["statut"], "livree");
    assert_eq!(log[0]["tentatives"], 3);
    let attempts = log[0]["historique"].as_array().expect("historique");
    let statuses: Vec<&Value> = attempts.iter().map(|a| &a["statut_http"]).collect();
    assert_eq!(statuses, [&json!(500), &json!(503), &json!(200)]);
    assert_eq!(attempts[0]["erreur"], "réponse HTTP 500");
    assert_eq!(attempts[1]["erreur"], "réponse HTTP 503");
    assert!(attempts[2]["erreur"].is_null());
    assert!(attempts.iter().all(|a| a["duree_ms"].as_i64().is_some()));

    // A usager.modifie is not among the subscribed types.
    let changed = patcher(&app, &usager, "\"1\"", &json!({"prenoms": "Jean"})).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(en_attente(&app, &abonnement).await, 0);
    assert_eq!(passe(&livreur).await, Bilan::default());
}

#[tokio::test]
async fn deliveries_are_replayed_one_by_one_or_since_an_instant() {
    let app = app().await;
    let receiver = Recepteur::ecouter(0, Boite::default()).await;
    let (abonnement, secret) = abonner(&app, &receiver.url("a"), &["usager.*"]).await;
    let usager = creer(&app, &json!({"nom_naissance": "Dupont", "prenoms": "Jean"})).await;
    let changed = patcher(&app, &usager, "\"1\"", &json!({"prenoms": "Jean Paul"})).await;
    assert_eq!(changed.status, StatusCode::OK);
    let other = creer(&app, &json!({"nom_naissance": "Martin"})).await;
    let livreur = livreur(&app);
    livrer_tout(&app, &livreur, &abonnement).await;
    assert_eq!(receiver.boite.recus().len(), 3);
    let events = fil(&app).await;
    assert_eq!(events.len(), 3);

    // One delivery sent again: the same event, the same webhook-id.
    let log = livraisons(&app, &abonnement).await;
    let created = log
        .iter()
        .find(|d| d["type"] == "usager.cree" && d["sujet"] == usager.as_str())
        .expect("delivery");
    let replay = app
        .send(
            Method::POST,
            &format!("{EVENEMENTS}/livraisons/{}/rejouer", texte(&created["id"])),
            &[],
            None,
        )
        .await;
    assert_eq!(replay.status, StatusCode::ACCEPTED, "{:?}", replay.body);
    assert_eq!(en_attente(&app, &abonnement).await, 1);
    assert_eq!(
        passe(&livreur).await,
        Bilan {
            livrees: 1,
            echecs: 0
        }
    );
    let received = receiver.boite.recus();
    assert_eq!(received.len(), 4);
    let resent = &received[3];
    assert_eq!(resent.type_(), "usager.cree");
    assert_eq!(resent.message()["data"]["id"], usager);
    let original = received[..3]
        .iter()
        .find(|r| r.id == resent.id)
        .expect("the same webhook-id as the first sending");
    assert_eq!(original.corps, resent.corps);
    assert_eq!(verifier(&app, &secret, resent, &resent.corps), Ok(()));
    let log = livraisons(&app, &abonnement).await;
    let created = log
        .iter()
        .find(|d| d["id"] == created["id"])
        .expect("delivery");
    assert_eq!(created["statut"], "livree");
    assert_eq!(created["historique"].as_array().map(Vec::len), Some(2));

    let unknown = app
        .send(
            Method::POST,
            &format!("{EVENEMENTS}/livraisons/0190c1e2-0000-7000-8000-000000000000/rejouer"),
            &[],
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Every event since the change, sent again in order.
    let since = texte(&events[1]["timestamp"]);
    let expected: Vec<String> = events
        .iter()
        .filter(|e| {
            texte(&e["timestamp"])
                .parse::<chrono::DateTime<chrono::Utc>>()
                .expect("instant")
                >= since
                    .parse::<chrono::DateTime<chrono::Utc>>()
                    .expect("instant")
        })
        .map(id)
        .collect();
    assert_eq!(expected.len(), 2);
    let again = app
        .post(
            &format!("{EVENEMENTS}/abonnements/{abonnement}/rejouer"),
            &json!({"depuis": since}),
        )
        .await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{:?}", again.body);
    assert_eq!(again.body["livraisons"], 2);
    livrer_tout(&app, &livreur, &abonnement).await;
    let received = receiver.boite.recus();
    let replayed: BTreeSet<String> = received[4..].iter().map(|r| r.id.clone()).collect();
    assert_eq!(received.len(), 6);
    assert_eq!(replayed, expected.into_iter().collect::<BTreeSet<_>>());
    assert!(
        received[4..]
            .iter()
            .any(|r| r.message()["data"]["id"] == other.as_str())
    );

    // A subscription made afterwards receives the past on demand.
    let (late, late_secret) = abonner(&app, &receiver.url("b"), &["usager.cree"]).await;
    assert_eq!(
        en_attente(&app, &late).await,
        0,
        "nothing from before it existed"
    );
    let past = app
        .post(
            &format!("{EVENEMENTS}/abonnements/{late}/rejouer"),
            &json!({"depuis": "2026-11-23T23:00:00Z"}),
        )
        .await;
    assert_eq!(past.status, StatusCode::ACCEPTED);
    assert_eq!(past.body["livraisons"], 2, "the two creations only");
    livrer_tout(&app, &livreur, &late).await;
    let to_late: Vec<Recu> = receiver
        .boite
        .recus()
        .into_iter()
        .filter(|r| r.chemin == "/b")
        .collect();
    assert_eq!(to_late.len(), 2);
    for recu in &to_late {
        assert_eq!(recu.type_(), "usager.cree");
        assert_eq!(verifier(&app, &late_secret, recu, &recu.corps), Ok(()));
        assert_eq!(
            verifier(&app, &secret, recu, &recu.corps),
            Err(SignatureInvalide::Signature),
            "each subscription has its own secret"
        );
    }
    let nothing = app
        .post(
            &format!("{EVENEMENTS}/abonnements/{late}/rejouer"),
            &json!({"depuis": "2026-11-24T23:00:00Z"}),
        )
        .await;
    assert_eq!(nothing.body["livraisons"], 0);
}

#[tokio::test]
async fn a_paused_subscription_receives_nothing_until_resumed() {
    let app = app().await;
    let receiver = Recepteur::ecouter(0, Boite::default()).await;
    let (abonnement, _) = abonner(&app, &receiver.url("hook"), &["usager.*"]).await;
    let uri = format!("{EVENEMENTS}/abonnements/{abonnement}");
    let change = |actif: bool| {
        let app = &app;
        let uri = uri.clone();
        async move {
            app.send(
                Method::PATCH,
                &uri,
                &[("content-type", "application/json")],
                Some(Body::from(json!({ "actif": actif }).to_string())),
            )
            .await
        }
    };
    let paused = change(false).await;
    assert_eq!(paused.status, StatusCode::OK, "{:?}", paused.body);
    assert_eq!(paused.body["actif"], false);
    assert!(
        paused.body.get("secret").is_none(),
        "the secret is shown once"
    );

    let usager = creer(&app, &json!({"nom_naissance": "Dupont"})).await;
    let livreur = livreur(&app);
    for _ in 0..3 {
        assert_eq!(passe(&livreur).await, Bilan::default());
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert!(receiver.boite.recus().is_empty());
    assert_eq!(en_attente(&app, &abonnement).await, 1, "kept for later");

    let resumed = change(true).await;
    assert_eq!(resumed.body["actif"], true);
    assert_eq!(
        passe(&livreur).await,
        Bilan {
            livrees: 1,
            echecs: 0
        }
    );
    let received = receiver.boite.recus();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].message()["data"]["id"], usager);
}

#[tokio::test]
async fn subscriptions_are_checked_listed_and_deleted() {
    let app = app().await;
    let (abonnement, secret) =
        abonner(&app, "https://grc.example.fr/webhooks/socle", &["usager.*"]).await;
    assert!(secret.starts_with("whsec_"));
    let read = app
        .get(&format!("{EVENEMENTS}/abonnements/{abonnement}"))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["url"], "https://grc.example.fr/webhooks/socle");
    assert_eq!(read.body["types"], json!(["usager.*"]));
    assert_eq!(read.body["description"], "GRC de la commune");
    assert_eq!(read.body["actif"], true);
    assert!(read.body.get("secret").is_none());
    let list = app.get(&format!("{EVENEMENTS}/abonnements")).await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(1));
    assert!(list.body[0].get("secret").is_none());

    for (body, field) in [
        (
            json!({"url": "ftp://grc.example.fr", "types": ["usager.*"]}),
            "url",
        ),
        (
            json!({"url": "pas une adresse", "types": ["usager.*"]}),
            "url",
        ),
        (
            json!({"url": "https://grc.example.fr", "types": []}),
            "types",
        ),
        (
            json!({"url": "https://grc.example.fr", "types": ["usa*ger"]}),
            "types",
        ),
    ] {
        let refused = app.post(&format!("{EVENEMENTS}/abonnements"), &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(refused.body["errors"][0]["field"], field, "{body}");
    }

    // Deliveries queued for it go with it.
    creer(&app, &json!({"nom_naissance": "Dupont"})).await;
    assert_eq!(en_attente(&app, &abonnement).await, 1);
    let deleted = app
        .send(
            Method::DELETE,
            &format!("{EVENEMENTS}/abonnements/{abonnement}"),
            &[],
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app
        .get(&format!("{EVENEMENTS}/abonnements/{abonnement}"))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let log = app
        .get(&format!("{EVENEMENTS}/abonnements/{abonnement}/livraisons"))
        .await;
    assert_eq!(log.status, StatusCode::NOT_FOUND);

    // Another collectivité sees none of it.
    app.commune("54395", "Autreville").await;
    let (other, _) = abonner(&app, "https://grc.example.fr/a", &["usager.*"]).await;
    let from_b = app
        .get_for("54395", &format!("{EVENEMENTS}/abonnements/{other}"))
        .await;
    assert_eq!(from_b.status, StatusCode::NOT_FOUND);
    let list_b = app
        .get_for("54395", &format!("{EVENEMENTS}/abonnements"))
        .await;
    assert_eq!(list_b.body, json!([]));
    let feed_b = app.get_for("54395", EVENEMENTS).await;
    assert_eq!(feed_b.body, json!([]));
}

#[tokio::test]
async fn the_feed_lists_events_in_publication_order() {
    let app = app().await;
    let marie = creer(
        &app,
        &json!({"nom_naissance": "Lefèvre", "prenoms": "Marie", "date_naissance": "1954-06-12"}),
    )
    .await;
    let changed = patcher(&app, &marie, "\"1\"", &json!({"prenoms": "Marie Anne"})).await;
    assert_eq!(changed.status, StatusCode::OK);
    let died = app
        .post(
            &format!("{USAGERS}/{marie}/deces"),
            &json!({"date": "2026-11-24", "source": "fichier_insee"}),
        )
        .await;
    assert_eq!(died.status, StatusCode::OK);
    let paul = creer(&app, &json!({"nom_naissance": "Martin", "prenoms": "Paul"})).await;
    let deleted = app
        .send(Method::DELETE, &format!("{USAGERS}/{paul}"), &[], None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    let events = fil(&app).await;
    let summary: Vec<(String, String)> = events
        .iter()
        .map(|e| (texte(&e["type"]), texte(&e["sujet"])))
        .collect();
    let expected: Vec<(String, String)> = [
        ("usager.cree", &marie),
        ("usager.modifie", &marie),
        ("usager.modifie", &marie),
        ("usager.deces", &marie),
        ("usager.cree", &paul),
        ("usager.supprime", &paul),
    ]
    .iter()
    .map(|(t, s)| ((*t).to_owned(), (*s).clone()))
    .collect();
    assert_eq!(summary, expected);
    let seqs: Vec<i64> = events
        .iter()
        .map(|e| e["seq"].as_i64().expect("seq"))
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    // Events carry references, never the identity: it is read through the journaled API.
    assert_eq!(events[0]["data"], json!({"id": marie, "version": 1}));
    assert!(events[0]["data"].get("nom_naissance").is_none());
    assert_eq!(events[1]["data"], json!({"id": marie, "version": 2}));
    assert_eq!(
        events[3]["data"],
        json!({"id": marie, "version": 3, "date": "2026-11-24", "source": "fichier_insee"})
    );
    assert_eq!(events[5]["data"], json!({"id": paul}), "no identity left");

    // Reading on from a position, by type, a few at a time.
    let after = app.get(&format!("{EVENEMENTS}?apres={}", seqs[3])).await;
    let rest: Vec<i64> = after
        .body
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["seq"].as_i64().expect("seq"))
        .collect();
    assert_eq!(rest, seqs[4..]);
    let deaths = app.get(&format!("{EVENEMENTS}?type=usager.deces")).await;
    assert_eq!(deaths.body.as_array().map(Vec::len), Some(1));
    assert_eq!(deaths.body[0]["id"], events[3]["id"]);
    let two = app.get(&format!("{EVENEMENTS}?limit=2")).await;
    assert_eq!(two.body.as_array().map(Vec::len), Some(2));
    assert_eq!(two.body[1]["seq"], seqs[1]);
    let none = app.get(&format!("{EVENEMENTS}?type=cimetiere.*")).await;
    assert_eq!(none.body, json!([]));

    // Reading the feed needs its permission.
    let reader = app.jeton(A, &["usagers.usager.lire"]).await;
    let refused = app.get_as(Some(&reader), EVENEMENTS).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_rejected_change_publishes_nothing() {
    let app = app().await;
    let (abonnement, _) = abonner(&app, "https://grc.example.fr/hook", &["*"]).await;
    let marie = creer(
        &app,
        &json!({"nom_naissance": "Lefèvre", "prenoms": "Marie", "sexe": "F",
                "date_naissance": "1954-06-12"}),
    )
    .await;
    let jean = creer(&app, &json!({"nom_naissance": "Lefebvre", "sexe": "M"})).await;
    let bureau = app
        .post(
            "/api/v1/elections/bureaux",
            &json!({"code": "1", "nom": "Mairie", "lieu": "Salle du conseil"}),
        )
        .await;
    let registered = app
        .post(
            "/api/v1/elections/inscriptions",
            &json!({"usager_id": marie, "bureau_id": id(&bureau.body)}),
        )
        .await;
    assert_eq!(registered.status, StatusCode::CREATED);
    let published = fil(&app).await.len();
    assert_eq!(published, 2);
    assert_eq!(en_attente(&app, &abonnement).await, 2);

    let stale = patcher(&app, &marie, "\"7\"", &json!({"prenoms": "Anne"})).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let missing = app
        .send(
            Method::PATCH,
            &format!("{USAGERS}/{marie}"),
            &[("content-type", "application/merge-patch+json")],
            Some(Body::from(json!({"prenoms": "Anne"}).to_string())),
        )
        .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let invalid_change = patcher(
        &app,
        &marie,
        "\"1\"",
        &json!({"date_naissance": "2030-01-01"}),
    )
    .await;
    assert_eq!(invalid_change.status, StatusCode::UNPROCESSABLE_ENTITY);
    let invalid = app
        .post(
            USAGERS,
            &json!({"nom_naissance": "Dupont", "date_naissance": "2026-11-25"}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let future_death = app
        .post(
            &format!("{USAGERS}/{marie}/deces"),
            &json!({"date": "2026-11-25", "source": "declaration"}),
        )
        .await;
    assert_eq!(future_death.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused_erasure = app
        .send(Method::DELETE, &format!("{USAGERS}/{marie}"), &[], None)
        .await;
    assert_eq!(refused_erasure.status, StatusCode::CONFLICT);
    let refused_merge = app
        .post(
            &format!("{USAGERS}/{marie}/fusion"),
            &json!({"absorbe": jean}),
        )
        .await;
    assert_eq!(refused_merge.status, StatusCode::CONFLICT);
    let no_change = patcher(&app, &marie, "\"1\"", &json!({"prenoms": "Marie"})).await;
    assert_eq!(no_change.status, StatusCode::OK);

    assert_eq!(fil(&app).await.len(), published, "nothing was published");
    assert_eq!(en_attente(&app, &abonnement).await, 2, "nothing was queued");
    assert_eq!(
        app.get(&format!("{USAGERS}/{marie}")).await.body["version"],
        1
    );

    // The same change, accepted: one event, one delivery.
    let accepted = patcher(&app, &marie, "\"1\"", &json!({"prenoms": "Anne"})).await;
    assert_eq!(accepted.status, StatusCode::OK);
    let events = fil(&app).await;
    assert_eq!(events.len(), published + 1);
    assert_eq!(events[published]["type"], "usager.modifie");
    assert_eq!(
        events[published]["data"],
        json!({"id": marie, "version": 2})
    );
    assert_eq!(en_attente(&app, &abonnement).await, 3);
}

#[tokio::test]
async fn a_usager_waiting_for_its_retry_does_not_hold_back_the_others() {
    let app = app().await;
    let recepteur = Recepteur::ecouter(0, Boite::default()).await;
    recepteur
        .boite
        .repondre(&[StatusCode::INTERNAL_SERVER_ERROR]);
    abonner(&app, &recepteur.url("socle"), &["usager.*"]).await;
    let x = creer(&app, &json!({"nom_naissance": "Premier"})).await;
    for (version, prenoms) in [("\"1\"", "Anne"), ("\"2\"", "Anne Marie")] {
        let changed = patcher(&app, &x, version, &json!({ "prenoms": prenoms })).await;
        assert_eq!(changed.status, StatusCode::OK);
    }
    let y = creer(&app, &json!({"nom_naissance": "Second"})).await;
    // One delivery read per pass, and a retry far away: the window is as small as can be.
    let livreur = Livreur::new(
        app.state.db().clone(),
        app.state.clock_arc(),
        LivreurConfig {
            lot: 1,
            delai_initial: Duration::from_secs(600),
            reseau_prive: true,
            ..LivreurConfig::default()
        },
        app.state.reveil_livreur(),
    )
    .expect("HTTP client");
    let first = passe(&livreur).await;
    assert_eq!(
        (first.livrees, first.echecs),
        (0, 1),
        "the first usager's creation fails"
    );
    let second = passe(&livreur).await;
    assert_eq!((second.livrees, second.echecs), (1, 0));
    let recus = recepteur.boite.recus();
    assert_eq!(recus.len(), 2);
    assert_eq!(recus[0].message()["data"]["id"], x.as_str());
    assert_eq!(recus[1].message()["data"]["id"], y.as_str());
    assert_eq!(recus[1].type_(), "usager.cree");
}
