//! Retention of what the registry and the event outbox keep only for a while: `Idempotency-Key`
//! answers (honoured 24 hours, deleted after two days) and events (kept 90 days once every
//! delivery is settled), with dates on both sides of each limit.

use axum::http::Method;
use chrono::{Duration, NaiveDate};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use socle::evenements::entity::{evenement, livraison};
use socle::usager::entity::idempotence;
use tests_assemblage::{TestApp, app_on};

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

async fn creer_avec_cle(app: &TestApp, cle: &str) {
    let answer = app
        .send(
            Method::POST,
            "/api/v1/usagers",
            &[
                ("content-type", "application/json"),
                ("idempotency-key", cle),
            ],
            Some(
                json!({"nom_naissance": "Durand", "prenoms": "Anne"})
                    .to_string()
                    .into(),
            ),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
}

#[tokio::test]
async fn idempotency_answers_are_forgotten_after_two_days() {
    let created_on = date("2026-01-10");
    let app = app_on(created_on).await;
    app.commune("54084", "Mont-Bonvillers").await;
    creer_avec_cle(&app, "cle-1").await;
    let db = app.state.db();
    let kept = |n| async move { idempotence::Entity::find().count(db).await.map(|c| c == n) };

    let two_days_later = created_on + Duration::days(2);
    assert_eq!(
        socle::usager::idempotence::purger(db, two_days_later)
            .await
            .ok(),
        Some(0)
    );
    assert_eq!(kept(1).await.ok(), Some(true));
    let three_days_later = created_on + Duration::days(3);
    assert_eq!(
        socle::usager::idempotence::purger(db, three_days_later)
            .await
            .ok(),
        Some(1)
    );
    assert_eq!(kept(0).await.ok(), Some(true));
}

#[tokio::test]
async fn events_are_kept_ninety_days_and_while_a_delivery_waits() {
    let published_on = date("2026-01-01");
    let app = app_on(published_on).await;
    app.commune("54084", "Mont-Bonvillers").await;
    // A subscription whose receiver never answers keeps one delivery pending.
    let subscription = app
        .post(
            "/api/v1/evenements/abonnements",
            &json!({"url": "http://127.0.0.1:9/", "types": ["usager.cree"]}),
        )
        .await;
    assert_eq!(subscription.status, 201, "{}", subscription.body);
    let answer = app
        .post(
            "/api/v1/usagers",
            &json!({"nom_naissance": "Petit", "prenoms": "Jean"}),
        )
        .await;
    assert_eq!(answer.status, 201);
    let db = app.state.db();
    let events = || async { evenement::Entity::find().count(db).await.expect("count") };
    assert_eq!(events().await, 1);

    // Ninety days later, still there; the day after, kept while its delivery waits.
    let day_90 = published_on + Duration::days(socle::evenements::CONSERVATION_JOURS);
    assert_eq!(socle::evenements::purger(db, day_90).await.ok(), Some(0));
    assert_eq!(
        socle::evenements::purger(db, day_90 + Duration::days(1))
            .await
            .ok(),
        Some(0)
    );
    assert_eq!(events().await, 1);

    // Once the delivery is settled (abandoned), the event and its log go.
    livraison::Entity::update_many()
        .col_expr(
            livraison::Column::Statut,
            sea_orm::sea_query::Expr::value(socle::evenements::ABANDONNEE),
        )
        .exec(db)
        .await
        .expect("settle");
    assert_eq!(socle::evenements::purger(db, day_90).await.ok(), Some(0));
    assert_eq!(
        socle::evenements::purger(db, day_90 + Duration::days(1))
            .await
            .ok(),
        Some(1)
    );
    assert_eq!(events().await, 0);
    assert_eq!(livraison::Entity::find().count(db).await.ok(), Some(0));
}
