//! Sangdam's HTTP server: the JSON API under `/api/v1`, WebSockets for chat windows and
//! consoles, the Kakao and Naver channel adapters, health and the OpenAPI document.
//!
//! Handlers are thin: they parse (inflow), decide (core), store (store) and publish (bus).

pub mod api;
pub mod auth;
pub mod bus;
pub mod channels;
pub mod error;
pub mod pages;
pub mod provision;
pub mod state;

pub use api::webchat;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::serve::ListenerExt;
use protocol::naver::NaverClient;
use store::Store;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

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
    /// Naver TalkTalk send API base URL and authorization key, if replies to Naver are sent.
    pub naver: Option<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            webchat_per_minute: 600,
            naver: None,
        }
    }
}

/// Read buffer of each WebSocket. Chat frames are small; the library's default (128 KiB) is
/// zeroed on every read, which at thousands of frames a second cost more CPU than anything
/// else in the server. Larger frames still arrive whole (the buffer grows for them).
pub const WS_READ_BUFFER: usize = 4096;

/// The OpenAPI document of every API route, as served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::router().into_openapi()
}

pub fn router(state: AppState) -> Router {
    let (api, doc) = api::router().split_for_parts();
    Router::new()
        .merge(api)
        .merge(api::document_route(doc))
        .merge(pages::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(error::structured_errors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The application state for a store and configuration (single instance: in-process bus).
pub fn state(store: Store, config: &Config) -> Result<AppState, ApiError> {
    let mut st = AppState::new(store, Arc::new(LocalBus::new()), config.webchat_per_minute);
    if let Some((endpoint, key)) = &config.naver {
        let client = NaverClient::new(endpoint.clone(), key.clone())
            .map_err(|e| ApiError::Internal(format!("Naver client: {e}")))?;
        st.naver = Some(Arc::new(client));
    }
    Ok(st)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state);
    // Chat traffic is many small frames: send each at once rather than waiting to fill a
    // segment (Nagle's algorithm would hold a reply back until the previous one is ACKed).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
