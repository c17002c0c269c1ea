//! The JSON API: one module and one router per area, merged here, and the OpenAPI document
//! generated from the same routes and types (`/api/openapi.json`).
//!
//! Each handler carries its own `#[utoipa::path]` (path, parameters, request and answer types,
//! every status it can answer) and is registered with `routes!`, so a route and its description
//! are one value and cannot drift apart.

pub mod accounts;
pub mod agent_tools;
pub mod audit;
pub mod auth;
pub mod auto_close;
pub mod bot;
pub mod categories;
pub mod console;
pub mod consultations;
pub mod distribution;
pub mod event_api;
pub mod extract;
pub mod files;
pub mod groups;
pub mod health;
pub mod hours;
pub mod links;
pub mod patterns;
pub mod platform;
pub mod plugins;
pub mod profiles;
pub mod reports;
pub mod rooms;
pub mod schema;
pub mod search;
pub mod sessions;
pub mod site;
pub mod wallet;
pub mod webchat;
pub mod webchat_plugins;

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use auth::{LoginRequest, login};

/// Names of the security schemes in the document.
pub const SESSION: &str = "session";
pub const BEARER: &str = "bearer";

/// Every API route with its description: `/api/v1/…`, the channel adapters, `/healthz`.
pub fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(auth::router())
        .merge(accounts::router())
        .merge(groups::router())
        .merge(consultations::router())
        .merge(distribution::router())
        .merge(rooms::router())
        .merge(links::router())
        .merge(profiles::router())
        .merge(agent_tools::router())
        .merge(categories::router())
        .merge(console::router())
        .merge(webchat::router())
        .merge(webchat_plugins::router())
        .merge(files::router())
        .merge(site::router())
        .merge(hours::router())
        .merge(auto_close::router())
        .merge(sessions::router())
        .merge(audit::router())
        .merge(reports::router())
        .merge(search::router())
        .merge(bot::router())
        .merge(wallet::router())
        .merge(platform::router())
        .merge(event_api::router())
        .merge(plugins::router());
    OpenApiRouter::with_openapi(base_document())
        .nest("/api/v1", v1)
        .merge(crate::channels::router())
        .merge(health::router())
}

/// The document's frame: title, version, security schemes, and the error shape.
fn base_document() -> OpenApi {
    let mut doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Sangdam API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Errors are `{\"error\": {\"code\", \"message\", \"details\"}}` (`ErrorBody`); \
                     `code` is one of `ErrorCode`. Agents authenticate with the session cookie \
                     set by `POST /api/v1/auth/login` or with `Authorization: Bearer <api token>`.\n\n\
                     Roles: the admin may do everything of their site; a manager everything but \
                     the admin's own operations (site settings, adding accounts, recording \
                     verified mobile numbers); an agent acts on the queue (consultations waiting \
                     for an agent, none assigned) and on the consultations assigned to them: they \
                     take a waiting one, reply in and close their own, read the rooms, messages \
                     and profile (with the history across rooms) of a customer one of whose \
                     consultations is theirs or queued, and edit that customer or set a room's ID \
                     only while holding an open consultation of theirs there. What an account may \
                     not see (another site's records; for an agent, others' consultations) \
                     answers `404 not_found`; what it sees but may not do, `403 forbidden`.\n\n\
                     A state-changing request (any method but GET, HEAD, OPTIONS and TRACE) or a \
                     WebSocket upgrade whose `Origin` header is present and is not Sangdam's own \
                     (its host and port are not the request's `Host` nor the configured public \
                     URL; `null` included) is refused with 403 `forbidden_origin`; requests \
                     without `Origin` are not. The Kakao and Naver webhooks are not checked.",
                ))
                .build(),
        )
        .build();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
            crate::auth::SESSION_COOKIE,
        ))),
    );
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API token (shown once when it is issued)."))
                .build(),
        ),
    );
    doc
}

/// `GET /api/openapi.json`.
pub fn document_route(doc: OpenApi) -> axum::Router<AppState> {
    let doc = std::sync::Arc::new(doc);
    axum::Router::new().route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let doc = doc.clone();
            async move { Json(doc.as_ref().clone()) }
        }),
    )
}
