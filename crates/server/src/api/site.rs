//! The site's settings (admins only), under `/api/v1/site`: the parameter and identity
//! settings, the title message, the site secret, the messenger channel keys, the `site_uid_hash` helper and the chat URLs. The parameter page
//! (`/admin/parameters`) reads and saves through these. The body a save takes is in
//! [`settings`] (what each part may hold is core's [`sangdam_core::settings`]); the chat URLs
//! and the button snippet in [`chat_urls`].

mod channel_keys;
mod chat_urls;
mod settings;

pub use channel_keys::{ChannelKeyView, ChannelKeys, RotateRequest};
pub use chat_urls::{ChatUrl, SnippetWords, chat_urls_for, origin, snippet_for, snippet_words};
// The limits are core's rules; the page shows them and the schemas state them.
pub use sangdam_core::settings::{
    MAX_DESCRIPTION_CHARS, MAX_FRAME_ORIGINS, MAX_ORIGIN_CHARS, MAX_SENTINEL_CHARS, MAX_SENTINELS,
    MAX_TITLE_TEMPLATE_CHARS, MAX_URL_CHARS,
};
pub use settings::{ChannelUrlsInput, CheckedUpdate, SettingsUpdate, SlotInput};

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use inflow::{Settings, Var};
use sangdam_core::{AuditAction, SiteId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::{AgentRecord, ChannelUrls, Role, SiteRecord, SiteSettings};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::Body;
use crate::api::{patterns, schema};
use crate::auth::{AuthAgent, random_token};
use crate::error::{ApiError, ErrorBody, ErrorCode, ErrorDetails};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_site))
        .routes(routes!(put_settings))
        .routes(routes!(get_secret))
        .routes(routes!(rotate_secret))
        .routes(routes!(uid_hash))
        .routes(routes!(chat_urls))
        .routes(routes!(channel_keys::get_channel_keys))
        .routes(routes!(channel_keys::rotate_channel_key))
}

/// Longest site_uid (R1.1): the hash helper refuses what an inflow would refuse.
pub const MAX_SITE_UID_CHARS: usize = 255;

/// The site's admin (session or API token); anyone else logged in gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub AgentRecord);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthAgent(agent) = AuthAgent::from_request_parts(parts, state).await?;
        admin_only(agent)
    }
}

fn admin_only(agent: AgentRecord) -> Result<Admin, ApiError> {
    if agent.role == Role::Admin {
        Ok(Admin(agent))
    } else {
        Err(ApiError::Forbidden(
            "only the site's admin manages its settings".into(),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The API.

pub(crate) fn template_variables() -> Vec<&'static str> {
    Var::all().map(Var::name).collect()
}

pub(crate) fn title_variables() -> Vec<&'static str> {
    Var::title().map(Var::name).collect()
}

/// The limits a save checks, for the page to show.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Limits {
    pub description_chars: usize,
    pub sentinels: usize,
    pub sentinel_chars: usize,
    pub url_chars: usize,
    pub frame_origins: usize,
    pub origin_chars: usize,
    pub title_chars: usize,
}

/// The site's parameter and identity settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteView {
    pub id: SiteId,
    pub name: String,
    pub settings: Settings,
    pub require_verified_uid: bool,
    pub info_url_template: Option<String>,
    /// The title message a consultation opens with; none when off.
    pub title_template: Option<String>,
    #[schema(value_type = schema::ChannelUrls)]
    pub channel_urls: ChannelUrls,
    /// The origins whose pages may show the chat window in a frame, besides Sangdam's own.
    pub frame_origins: Vec<String>,
    /// The variables a consultation-info URL template may use.
    pub template_variables: Vec<&'static str>,
    /// The variables a title message may use.
    pub title_variables: Vec<&'static str>,
    pub limits: Limits,
}

fn site_view(site: SiteRecord, urls: ChannelUrls) -> SiteView {
    SiteView {
        id: site.id,
        name: site.name,
        settings: site.settings,
        require_verified_uid: site.require_verified_uid,
        info_url_template: site.info_url_template,
        title_template: site.title_template,
        channel_urls: urls,
        frame_origins: site.frame_origins,
        template_variables: template_variables(),
        title_variables: title_variables(),
        limits: Limits {
            description_chars: MAX_DESCRIPTION_CHARS,
            sentinels: MAX_SENTINELS,
            sentinel_chars: MAX_SENTINEL_CHARS,
            url_chars: MAX_URL_CHARS,
            frame_origins: MAX_FRAME_ORIGINS,
            origin_chars: MAX_ORIGIN_CHARS,
            title_chars: MAX_TITLE_TEMPLATE_CHARS,
        },
    }
}

/// The site's parameter and identity settings (admin).
#[utoipa::path(
    get,
    path = "/site",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The settings.", body = SiteView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_site(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Json<SiteView>, ApiError> {
    let site = st.app.store.site(agent.site_id).await?;
    let urls = st.app.store.channel_urls(agent.site_id).await?;
    Ok(Json(site_view(site, urls)))
}

/// Save the settings (admin): every part given is checked, then they are all saved or none.
#[utoipa::path(
    put,
    path = "/site/settings",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = SettingsUpdate,
    responses(
        (status = 200, description = "Saved; the settings now.", body = SiteView),
        (status = 400, description = "The body is not a settings update.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_settings`: nothing was saved; `details.errors` lists each refused part.", body = ErrorBody),
    )
)]
pub async fn put_settings(
    State(st): State<AppState>,
    Admin(agent): Admin,
    body: Result<Body<SettingsUpdate>, ApiError>,
) -> Result<Json<SiteView>, ApiError> {
    let Body(update) = body?;
    let site = st.app.store.site(agent.site_id).await?;
    let stored_urls = st.app.store.channel_urls(agent.site_id).await?;

    let checked = update.check().map_err(|errors| {
        let message = errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        ApiError::Invalid {
            code: ErrorCode::InvalidSettings,
            message,
            details: Some(ErrorDetails::Errors { errors }),
        }
    })?;

    let mut settings = site.settings.clone();
    if let Some(slots) = checked.slots {
        settings.slots = slots;
    }
    if let Some(sentinels) = checked.sentinels {
        settings.sentinels = sentinels;
    }
    let template = checked
        .info_url_template
        .unwrap_or_else(|| site.info_url_template.clone());
    let title = checked
        .title_template
        .unwrap_or_else(|| site.title_template.clone());
    let urls = checked.channel_urls.unwrap_or(stored_urls);
    let require_verified_uid = checked
        .require_verified_uid
        .unwrap_or(site.require_verified_uid);
    let frame_origins = checked
        .frame_origins
        .unwrap_or_else(|| site.frame_origins.clone());
    let (saved, urls) = st
        .app
        .store
        .save_site_settings(
            agent.site_id,
            &SiteSettings {
                settings: &settings,
                require_verified_uid,
                info_url_template: template.as_deref(),
                title_template: title.as_deref(),
                channel_urls: &urls,
                frame_origins: &frame_origins,
            },
        )
        .await?;
    tracing::info!(site = %agent.site_id, agent = %agent.id, "site settings saved");
    let view = site_view(saved, urls);
    st.app
        .audit(
            &agent,
            AuditAction::SiteSettingsSaved,
            "",
            json!({
                "settings": view.settings,
                "require_verified_uid": view.require_verified_uid,
                "info_url_template": view.info_url_template,
                "title_template": view.title_template,
                "channel_urls": view.channel_urls,
                "frame_origins": view.frame_origins,
            }),
        )
        .await;
    Ok(Json(view))
}

/// A JSON answer that no cache keeps (it carries the site secret).
fn no_store(body: impl Serialize) -> Response {
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn uid_hash_schema() -> utoipa::openapi::Object {
    let mut s = patterns::string(patterns::not_blank(), false);
    s.max_length = Some(MAX_SITE_UID_CHARS);
    s
}

/// The site secret, which signs `site_uid_hash`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecretAnswer {
    pub secret: String,
}

/// Reveal the site secret (admin).
#[utoipa::path(
    get,
    path = "/site/secret",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The secret (not cached).", body = SecretAnswer,
            headers(("cache-control" = String, description = "`no-store`"))),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_secret(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Response, ApiError> {
    let site = st.app.store.site(agent.site_id).await?;
    st.app
        .audit(&agent, AuditAction::SiteSecretViewed, "", json!({}))
        .await;
    Ok(no_store(SecretAnswer {
        secret: site.secret,
    }))
}

/// Issue a new site secret (admin); hashes made with the old one stop verifying at once.
#[utoipa::path(
    post,
    path = "/site/secret/rotate",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The new secret (not cached).", body = SecretAnswer,
            headers(("cache-control" = String, description = "`no-store`"))),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn rotate_secret(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Response, ApiError> {
    let secret = random_token();
    st.app
        .store
        .rotate_site_secret(agent.site_id, &secret)
        .await?;
    tracing::info!(site = %agent.site_id, agent = %agent.id, "site secret rotated");
    st.app
        .audit(&agent, AuditAction::SiteSecretRotated, "", json!({}))
        .await;
    Ok(no_store(SecretAnswer { secret }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UidHashRequest {
    /// Not blank; at most 255 characters.
    #[schema(max_length = 255, schema_with = uid_hash_schema)]
    pub site_uid: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UidHashAnswer {
    pub site_uid: String,
    /// Lowercase hex HMAC-SHA256 of `site_uid` under the site secret.
    pub site_uid_hash: String,
}

/// The `site_uid_hash` the site's server would compute, for testing an integration (admin).
/// The ID is hashed exactly as given (as an inflow's value is verified).
#[utoipa::path(
    post,
    path = "/site/uid-hash",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = UidHashRequest,
    responses(
        (status = 200, description = "The hash (not cached).", body = UidHashAnswer,
            headers(("cache-control" = String, description = "`no-store`"))),
        (status = 400, description = "The body is not a hash request.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_site_uid` (blank) or `too_long`.", body = ErrorBody),
    )
)]
pub async fn uid_hash(
    State(st): State<AppState>,
    Admin(agent): Admin,
    body: Result<Body<UidHashRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let Body(req) = body?;
    if req.site_uid.trim().is_empty() {
        return Err(ApiError::invalid(
            ErrorCode::InvalidSiteUid,
            "enter a site_uid",
        ));
    }
    if req.site_uid.chars().count() > MAX_SITE_UID_CHARS {
        return Err(ApiError::invalid(
            ErrorCode::TooLong,
            format!("a site_uid has at most {MAX_SITE_UID_CHARS} characters"),
        ));
    }
    let site = st.app.store.site(agent.site_id).await?;
    let hash = sangdam_core::site_uid_hash(site.secret.as_bytes(), &req.site_uid);
    Ok(no_store(UidHashAnswer {
        site_uid: req.site_uid,
        site_uid_hash: hash,
    }))
}

/// Every channel's chat URL and the web chat v2 button.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChatUrls {
    pub channels: Vec<ChatUrl>,
    /// The button's source, to paste into the site's pages.
    pub snippet: String,
    pub script_url: String,
}

/// Per channel the chat URL with the enabled custom parameters as placeholders, and the web
/// chat v2 button snippet (admin).
#[utoipa::path(
    get,
    path = "/site/chat-urls",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The chat URLs and the snippet.", body = ChatUrls),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn chat_urls(
    State(st): State<AppState>,
    Admin(agent): Admin,
    crate::pages::PageLang(lang): crate::pages::PageLang,
    headers: HeaderMap,
) -> Result<Json<ChatUrls>, ApiError> {
    let site = st.app.store.site(agent.site_id).await?;
    let urls = st.app.store.channel_urls(agent.site_id).await?;
    let origin = origin(&headers);
    Ok(Json(ChatUrls {
        channels: chat_urls_for(&site, &urls, &origin),
        snippet: snippet_for(&site, &origin, lang),
        script_url: format!("{origin}/assets/widget.js"),
    }))
}
