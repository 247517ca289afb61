//! What the benches share: settings from the environment, concurrent HTTP load, medians.

#![allow(dead_code, reason = "each bench uses part of it")]

use std::future::Future;
use std::time::{Duration, Instant};

/// A numeric setting from the environment, or its default.
pub(crate) fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Throughput and latency of one load.
pub(crate) struct Mesure {
    /// Operations per second.
    pub(crate) par_seconde: f64,
    /// Median latency.
    pub(crate) p50: Duration,
    /// 99th percentile latency.
    pub(crate) p99: Duration,
}

impl Mesure {
    /// From the latencies of every operation over `secondes`.
    pub(crate) fn de(mut latences: Vec<Duration>, secondes: f64) -> Self {
        latences.sort_unstable();
        let rang = |q: f64| latences[((latences.len() as f64 - 1.0) * q) as usize];
        Self {
            par_seconde: latences.len() as f64 / secondes,
            p50: rang(0.50),
            p99: rang(0.99),
        }
    }
}

/// Runs `operation(client number, iteration)` in `clients` concurrent tasks for `duree`.
pub(crate) async fn charge<F, Fut>(clients: u64, duree: Duration, operation: F) -> Mesure
where
    F: Fn(u64, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let debut = Instant::now();
    let mut taches = Vec::new();
    for client in 0..clients {
        let operation = operation.clone();
        taches.push(tokio::spawn(async move {
            let mut latences = Vec::new();
            let mut n = 0;
            while debut.elapsed() < duree {
                let t = Instant::now();
                operation(client, n).await;
                latences.push(t.elapsed());
                n += 1;
            }
            latences
        }));
    }
    let mut latences = Vec::new();
    for tache in taches {
        latences.extend(tache.await.expect("client"));
    }
    Mesure::de(latences, debut.elapsed().as_secs_f64())
}

/// GETs `url` with a bearer `token` from `clients` concurrent clients for `duree`.
pub(crate) async fn charge_get(url: &str, token: &str, clients: u64, duree: Duration) -> Mesure {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients as usize)
        .build()
        .expect("client");
    let (url, token) = (url.to_owned(), token.to_owned());
    charge(clients, duree, move |_, _| {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        async move {
            let reponse = client
                .get(&url)
                .bearer_auth(&token)
                .send()
                .await
                .expect("réponse");
            assert!(reponse.status().is_success(), "{url}: {}", reponse.status());
            reponse.bytes().await.expect("corps");
        }
    })
    .await
}

/// The median.
pub(crate) fn mediane(mut valeurs: Vec<f64>) -> f64 {
    valeurs.sort_by(f64::total_cmp);
    valeurs[valeurs.len() / 2]
}

/// The median of several loads: throughput, p50 and p99 in milliseconds.
pub(crate) fn medianes(mesures: &[Mesure]) -> (f64, f64, f64) {
    (
        mediane(mesures.iter().map(|m| m.par_seconde).collect()),
        mediane(
            mesures
                .iter()
                .map(|m| m.p50.as_secs_f64() * 1000.0)
                .collect(),
        ),
        mediane(
            mesures
                .iter()
                .map(|m| m.p99.as_secs_f64() * 1000.0)
                .collect(),
        ),
    )
}
