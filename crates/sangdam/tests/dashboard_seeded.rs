//! The dashboard's figures over consultations made by `sangdam seed`, on SQLite and
//! PostgreSQL: what the store gathers (each backend its own way: SQLite hour by hour,
//! PostgreSQL grouped by the database) gives exactly the figures of the consultations read
//! one by one with a plain statement, for the whole history, a channel, a period and a custom
//! parameter value, in two time zones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{any_pool, create_site, on_fresh_database, run_seed};
use inflow::{Channel, Slot};
use sangdam_core::dashboard::{Fact, figures};
use sangdam_core::hours::Zone;
use sangdam_core::report::{Match, ParamCondition, ParamField, ReportFilter};
use sangdam_core::{AgentId, CategoryId, SiteId};
use sqlx::{AnyPool, Row};

/// 2025-12-01T00:00:00Z: a fixed end, so that the seeded rows are known.
const UNTIL: i64 = 1_764_547_200_000;

/// The facts of the site's consultations matching `extra` (SQL on `c`), read one by one.
async fn plain_facts(db: &AnyPool, site: i64, extra: &str) -> Vec<Fact> {
    sqlx::query(&format!(
        "SELECT c.created_at, c.channel, c.assigned_at - c.created_at AS waited, \
         c.first_response_at - c.created_at AS responded, c.category_id, c.agent_id, c.rating \
         FROM consultations c WHERE c.site_id = $1 {extra}"
    ))
    .bind(site)
    .fetch_all(db)
    .await
    .expect("consultations")
    .iter()
    .map(|r| Fact {
        created_at: r.get(0),
        channel: r.get::<String, _>(1).parse().expect("a channel"),
        waited_ms: r.get(2),
        first_response_ms: r.get(3),
        category_id: r.get::<Option<i64>, _>(4).map(CategoryId::new),
        agent_id: r.get::<Option<i64>, _>(5).map(AgentId::new),
        rating: r.get(6),
    })
    .collect()
}

async fn scenario(url: String) {
    let site = create_site(&url)["site_id"].as_i64().expect("site_id");
    let until = UNTIL.to_string();
    let seeded = run_seed(
        &url,
        site,
        &[
            "--consultations",
            "3000",
            "--days",
            "12",
            "--seed",
            "9",
            "--until",
            &until,
        ],
    );
    assert!(
        seeded.status.success(),
        "seed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let db = any_pool(&url).await;
    let store = store::Store::connect(&url).await.expect("the store");
    // The most frequent value of parameter1.
    let value: String = sqlx::query_scalar(
        "SELECT value FROM consultation_params WHERE site_id = $1 AND slot = 1 \
         GROUP BY value ORDER BY COUNT(*) DESC, value LIMIT 1",
    )
    .bind(site)
    .fetch_one(&db)
    .await
    .expect("a parameter1 value");
    let (from, before) = (UNTIL - 5 * 86_400_000 + 3_600_000, UNTIL - 2 * 86_400_000);
    let cases: Vec<(&str, ReportFilter, String)> = vec![
        ("everything", ReportFilter::default(), String::new()),
        (
            "kakao",
            ReportFilter {
                channels: vec![Channel::Kakao],
                ..ReportFilter::default()
            },
            "AND c.channel = 'kakao'".into(),
        ),
        (
            "a period starting at an odd hour",
            ReportFilter {
                created_from: Some(from),
                created_before: Some(before),
                ..ReportFilter::default()
            },
            format!("AND c.created_at >= {from} AND c.created_at < {before}"),
        ),
        (
            "parameter1",
            ReportFilter {
                params: vec![ParamCondition {
                    field: ParamField::Custom(Slot::new(1).expect("slot 1")),
                    matching: Match::Exact,
                    value: value.clone(),
                }],
                ..ReportFilter::default()
            },
            format!(
                "AND c.id IN (SELECT consultation_id FROM consultation_params \
                 WHERE slot = 1 AND value = '{value}')"
            ),
        ),
    ];
    for (name, filter, extra) in cases {
        let facts = plain_facts(&db, site, &extra).await;
        assert!(facts.len() > 50, "{name}: {} consultations", facts.len());
        let tally = store
            .dashboard_tally(SiteId::new(site), &filter)
            .await
            .expect("the dashboard");
        for zone in ["Asia/Seoul", "America/New_York"] {
            let zone = Zone::parse(zone).expect("a zone");
            let expected = figures(facts.clone(), &zone, None, None);
            assert!(
                expected.days.len() >= 3,
                "{name}: {} days",
                expected.days.len()
            );
            assert!(expected.waiting.count > 0 && expected.first_response.count > 0);
            assert!(expected.agents.len() > 2 && expected.categories.len() > 2);
            let got = tally.clone().figures(&zone, None, None);
            assert_eq!(got, expected, "{name} in {zone:?}");
        }
    }
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_on_sqlite_is_the_figures_of_its_consultations() {
    on_fresh_database(store::Backend::Sqlite, scenario).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_on_postgres_is_the_figures_of_its_consultations() {
    on_fresh_database(store::Backend::Postgres, scenario).await;
}
