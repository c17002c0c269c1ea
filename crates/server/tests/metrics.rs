//! `GET /metrics` as a Prometheus scraper reads it: only with the token, in the text format,
//! with the requests, the open WebSockets, the message writer, the queue and the jobs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::HashMap;

use common::TestApp;
use server::Config;

both!(
    a_scraper_with_the_token_reads_the_figures,
    without_a_token_configured_nothing_is_served,
);

const TOKEN: &str = "scrape-me-7f3a";

/// Parses the text format: `name{labels} value` lines (comments skipped), each line checked.
fn parse(text: &str) -> Vec<(String, HashMap<String, String>, f64)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("a sample without a value: {line}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line}"));
        let (name, labels) = match series.split_once('{') {
            None => (series.to_owned(), HashMap::new()),
            Some((name, rest)) => {
                let body = rest
                    .strip_suffix('}')
                    .unwrap_or_else(|| panic!("unclosed labels: {line}"));
                let mut labels = HashMap::new();
                for pair in body.split("\",").filter(|p| !p.is_empty()) {
                    let (k, v) = pair
                        .split_once("=\"")
                        .unwrap_or_else(|| panic!("a label without a value: {line}"));
                    labels.insert(k.to_owned(), v.trim_end_matches('"').to_owned());
                }
                (name.to_owned(), labels)
            }
        };
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "a metric name Prometheus refuses: {name}"
        );
        out.push((name, labels, value));
    }
    out
}

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut req = app.http.get(format!("{}/metrics", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

async fn a_scraper_with_the_token_reads_the_figures(app: TestApp) {
    let mut app = app;
    app.reconfigure(Config {
        metrics_token: Some(TOKEN.into()),
        ..Config::default()
    })
    .await;
    // Some traffic: a customer writes (the writer), an agent reads a consultation (a route
    // with an id), a console is connected.
    let s = app.chat(&app.v2_url("")).await;
    app.say(&s.visitor, "배송 문의드려요").await.ok();
    app.consultation(s.consultation).await;
    let auth = format!("Bearer {}", app.token);
    let _console = app
        .ws("/api/v1/console/ws", &[("authorization", auth.as_str())])
        .await;

    assert_eq!(scrape(&app, None).await.status(), 401);
    assert_eq!(scrape(&app, Some("wrong")).await.status(), 401);
    let resp = scrape(&app, Some(TOKEN)).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let samples = parse(&resp.text().await.unwrap());
    let find = |name: &str, want: &[(&str, &str)]| {
        samples
            .iter()
            .filter(|(n, labels, _)| {
                n == name
                    && want
                        .iter()
                        .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
            })
            .map(|(_, _, v)| *v)
            .sum::<f64>()
    };
    // Routes by their template, never by the path with its ids.
    assert!(
        find(
            "sangdam_http_requests_total",
            &[
                ("method", "GET"),
                ("route", "/api/v1/consultations/{id}"),
                ("status", "200")
            ]
        ) >= 1.0
    );
    let with_id = format!("/consultations/{}", s.consultation);
    assert!(
        !samples
            .iter()
            .any(|(_, l, _)| l.get("route").is_some_and(|r| r.contains(&with_id))),
        "a route label with an id"
    );
    assert!(
        find(
            "sangdam_http_request_duration_seconds_count",
            &[("route", "/api/v1/webchat/{site_id}/sessions")]
        ) >= 1.0
    );
    assert!(find("sangdam_writer_batch_size_count", &[]) >= 1.0);
    assert!(find("sangdam_writer_batch_seconds_count", &[]) >= 1.0);
    assert!(
        samples
            .iter()
            .any(|(n, _, _)| n == "sangdam_writer_batch_size_bucket"),
        "the batch sizes as a histogram"
    );
    // What the workers and sockets set as they get to it: the open console (its socket task
    // starts after the handshake) and the waiting consultation in its site's queue.
    let site = app.site.to_string();
    until_at_least(
        &app,
        "sangdam_websocket_connections",
        ("kind", "console"),
        1.0,
    )
    .await;
    until_at_least(&app, "sangdam_queue_length", ("site", &site), 1.0).await;
}

/// Scrapes until the series `name` with the label `label` reads at least `min`.
async fn until_at_least(app: &TestApp, name: &str, label: (&str, &str), min: f64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let value = parse(&scrape(app, Some(TOKEN)).await.text().await.unwrap())
            .into_iter()
            .find(|(n, l, _)| n == name && l.get(label.0).map(String::as_str) == Some(label.1))
            .map(|(_, _, v)| v);
        if value.is_some_and(|v| v >= min) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{name}{{{}={}}} is {value:?}, not at least {min}",
            label.0,
            label.1
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn without_a_token_configured_nothing_is_served(app: TestApp) {
    let resp = scrape(&app, Some(TOKEN)).await;
    assert_eq!(resp.status(), 404);
    let resp = scrape(&app, None).await;
    assert_eq!(resp.status(), 404);
}
