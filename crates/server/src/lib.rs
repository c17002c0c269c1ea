//! Sangdam's HTTP server: the JSON API under `/api/v1`, WebSockets for chat windows and
//! consoles, the Kakao and Naver channel adapters, health and the OpenAPI document.
//!
//! Handlers are thin: they parse the request, call the application's use case (`app`), and
//! answer. [`App`] runs the server together with the application's background workers.

pub mod api;
pub mod application;
pub mod auth;
pub mod bus;
pub mod channels;
pub mod error;
pub mod metrics;
pub mod nats_bus;
pub mod pages;
pub mod provision;
pub mod security;
pub mod state;

pub use api::webchat;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::trace::TraceLayer;

pub use crate::application::App;
pub use crate::bus::{Event, EventBus, LocalBus};
pub use crate::error::ApiError;
pub use crate::state::AppState;

/// Largest request body accepted anywhere.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Web chat requests per minute per client address.
    pub webchat_per_minute: u32,
    /// Chat sessions opened per minute per client address (each page load opens one).
    pub sessions_per_minute: u32,
    /// Failed logins in a row from one address before it waits (a login's own limit is 5).
    pub login_failures_per_address: u32,
    /// Naver TalkTalk send API base URL and authorization key, if replies to Naver are sent.
    pub naver: Option<(String, String)>,
    /// Kakao's Event API base URL (none: Kakao's own, `https://bot-api.kakao.com`).
    pub kakao_bot_api: Option<String>,
    /// Event API requests per minute per site.
    pub event_requests_per_minute: u32,
    /// How long a Kakao request's callback URL is used, in milliseconds (Kakao's minute less a
    /// margin; shorter only for tests).
    pub kakao_callback_ms: i64,
    /// Where the application reads the time (tests give one they can move).
    pub clock: Arc<dyn app::Clock>,
    /// The job scheduler's lease, batch, polling and retry backoff.
    pub scheduler: app::scheduler::SchedulerConfig,
    /// The address people reach Sangdam at, when a proxy in front changes the `Host` header:
    /// requests from its pages are Sangdam's own (the origin check).
    pub public_url: Option<security::PublicUrl>,
    /// The bearer token a Prometheus scraper sends for `GET /metrics`; without one the figures
    /// are not served.
    pub metrics_token: Option<String>,
    /// How long a minute of the auto-close rules lasts, in milliseconds (a real minute;
    /// shorter only for tests and demos).
    pub auto_close_minute_ms: i64,
    /// Where report downloads are written; none: a fresh directory under the system's
    /// temporary directory (tests), which a restart does not find again.
    pub export_dir: Option<std::path::PathBuf>,
    /// Where images and files are stored (a temporary directory when none is given).
    pub files_dir: Option<std::path::PathBuf>,
    /// An S3-compatible bucket for images and files instead of `files_dir`.
    pub files_bucket: Option<Arc<app::files::Bucket>>,
    /// How long the chatbot waits for an outside skill server (Open Builder's 5 s).
    pub skill_timeout: std::time::Duration,
    /// The payment gateway the wallet charges cards through (none: charges are refused).
    pub payments: Option<app::wallet::Payments>,
    /// Where e-mail notices go out (none: they are kept and marked unsent).
    pub mailer: Option<Arc<dyn app::mail::Mailer>>,
    /// Prices and billing limits.
    pub billing: app::wallet::BillingConfig,
    /// The NATS server that carries events between instances (`nats://host:4222`); none: one
    /// instance, events stay in the process.
    pub nats_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            webchat_per_minute: 600,
            sessions_per_minute: 60,
            login_failures_per_address: sangdam_core::ThrottlePolicy::ADDRESS.free_failures,
            naver: None,
            kakao_bot_api: None,
            event_requests_per_minute: 120,
            kakao_callback_ms: app::kakao::CALLBACK_MS,
            clock: Arc::new(app::SystemClock),
            scheduler: app::scheduler::SchedulerConfig::default(),
            public_url: None,
            metrics_token: None,
            auto_close_minute_ms: sangdam_core::auto_close::MINUTE_MS,
            export_dir: None,
            files_dir: None,
            files_bucket: None,
            skill_timeout: protocol::kakao::SKILL_TIMEOUT,
            payments: None,
            mailer: None,
            billing: app::wallet::BillingConfig::default(),
            nats_url: None,
        }
    }
}

/// Read buffer of each WebSocket. Chat frames are small; the library's default (128 KiB) is
/// zeroed on every read, which at thousands of frames a second cost more CPU than anything
/// else in the server. Larger frames still arrive whole (the buffer grows for them).
pub const WS_READ_BUFFER: usize = 4096;

/// The OpenAPI document of every API route, as served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::router().into_openapi();
    security::document(&mut doc);
    doc
}

/// Every route, behind the layers every request passes: the security headers on every answer
/// (outermost, so refusals and axum's own answers carry them too), tracing, the origin check
/// (before any handler), the structured error shape and the body limit.
pub fn router(state: AppState, origins: security::OriginPolicy) -> Router {
    let (api, mut doc) = api::router().split_for_parts();
    security::document(&mut doc);
    // Installed before the first request, so a scrape sees every figure from the start.
    metrics::handle();
    let routes = Router::new()
        .merge(api)
        .merge(api::document_route(doc))
        .merge(pages::routes())
        .merge(api::files::link_routes())
        .route("/metrics", axum::routing::get(metrics::scrape))
        .route_layer(axum::middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(error::structured_errors))
        .layer(axum::middleware::from_fn_with_state(
            origins,
            security::check_origin,
        ))
        .layer(TraceLayer::new_for_http());
    security::headers(routes).with_state(state)
}
