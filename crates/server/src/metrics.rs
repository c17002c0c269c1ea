//! `GET /metrics`: the server's figures in the Prometheus text format, for an operator's
//! Prometheus to scrape with the token set by `--metrics-token` (without one the path is not
//! served: the figures say how busy a business's desk is).
//!
//! What is recorded (names with the `sangdam_` prefix):
//! - `http_requests_total{method, route, status}` and `http_request_duration_seconds{method,
//!   route}` for every request that matched a route (`route` is the route's template, such as
//!   `/api/v1/consultations/{id}`, never the path with its ids);
//! - `websocket_connections{kind}` (`console`, `chat`) now open;
//! - `writer_batch_size` and `writer_batch_seconds`: the message writer's batches, how many
//!   messages each and how long writing and committing it took (the store);
//! - `queue_length{site}`: consultations waiting for an agent, as last published (the app);
//! - `jobs_total{kind, outcome}`: jobs run by the scheduler (`done`, `retry`, `failed`; the app).
//!
//! One recorder per process (the `metrics` facade's global one), installed on first use.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds: from a fast answer (1 ms) to a slow one.
const SECONDS_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Upper bounds of the writer's batch sizes (it writes at most 256 at once).
const BATCH_BUCKETS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];
/// How often histograms are folded so they do not grow without bound.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's recorder, installed on first use; `None` when another recorder was installed
/// first (an embedding program's own), in which case Sangdam's figures go there.
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("sangdam_writer_batch_size".into()),
                        &BATCH_BUCKETS,
                    )
                });
            match builder.and_then(|b| b.install_recorder()) {
                Ok(handle) => {
                    let upkeep = handle.clone();
                    std::thread::Builder::new()
                        .name("metrics-upkeep".into())
                        .spawn(move || {
                            loop {
                                std::thread::sleep(UPKEEP_EVERY);
                                upkeep.run_upkeep();
                            }
                        })
                        .ok()?;
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics are recorded elsewhere");
                    None
                }
            }
        })
        .as_ref()
}

/// Counts and times every request that matched a route.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::histogram!(
        "sangdam_http_request_duration_seconds",
        "method" => method.clone(),
        "route" => route.clone()
    )
    .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "sangdam_http_requests_total",
        "method" => method,
        "route" => route,
        "status" => status
    )
    .increment(1);
    resp
}

/// An open WebSocket of `kind`, counted while this lives.
#[derive(Debug)]
pub struct OpenSocket(&'static str);

impl OpenSocket {
    pub fn new(kind: &'static str) -> OpenSocket {
        metrics::gauge!("sangdam_websocket_connections", "kind" => kind).increment(1.0);
        OpenSocket(kind)
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        metrics::gauge!("sangdam_websocket_connections", "kind" => self.0).decrement(1.0);
    }
}

/// `GET /metrics` with `Authorization: Bearer <--metrics-token>`.
pub async fn scrape(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = st.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let matches = given.is_some_and(|g| {
        // Compared as digests: how long the comparison takes says nothing about the token.
        use sha2::{Digest, Sha256};
        Sha256::digest(g.as_bytes()) == Sha256::digest(token.as_bytes())
    });
    if !matches {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    match handle() {
        Some(h) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            h.render(),
        )
            .into_response(),
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
