//! The site's settings (admins only), under `/api/v1/site`: the parameter and identity
//! settings, the site secret, the `site_uid_hash` helper and the chat URLs. The parameter page
//! (`/admin/parameters`) reads and saves through these.
//!
//! What a save accepts (one rule set for the page and the API; a refused save changes nothing):
//! - custom slots: exactly ten; a description has at most 20 characters and no control
//!   characters, and an enabled slot needs one (it is the label agents, reports and the
//!   chat-URL placeholder `parameter1={유입경로}` show);
//! - sentinels: at most 50 values of at most 50 characters each, trimmed, blanks dropped,
//!   duplicates (ignoring ASCII case) kept once;
//! - the consultation-info URL template: empty clears it; otherwise an `http(s)://` URL of at
//!   most 2000 characters whose `[variables]` are all known (`inflow::Template`);
//! - the Kakao channel and Naver TalkTalk base URLs: empty clears; otherwise `http(s)://host…`
//!   of at most 2000 characters without spaces.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{CACHE_CONTROL, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use inflow::{
    Channel, Settings, SlotSetting, SnippetOptions, TemplateError, Var, chat_button_snippet,
};
use sangdam_core::SiteId;
use serde::{Deserialize, Deserializer, Serialize};
use store::{AgentRecord, ChannelUrls, Role, SiteRecord, SiteSettings};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::schema;
use crate::auth::{AuthAgent, random_token};
use crate::error::{ApiError, ErrorBody, ErrorCode, ErrorDetails, FieldError};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_site))
        .routes(routes!(put_settings))
        .routes(routes!(get_secret))
        .routes(routes!(rotate_secret))
        .routes(routes!(uid_hash))
        .routes(routes!(chat_urls))
}

/// Longest custom-slot description (the help page's limit for a custom value, reused so that a
/// label fits where its value does).
pub const MAX_DESCRIPTION_CHARS: usize = 20;
pub const MAX_SENTINELS: usize = 50;
pub const MAX_SENTINEL_CHARS: usize = 50;
pub const MAX_URL_CHARS: usize = 2000;
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
// Where the server is reached: the base of web chat URLs and of the widget script.

/// `scheme://host[:port]` as the browser reached this server: the Host header (checked to be a
/// plain host, so nothing can be injected into the URLs built from it) and `X-Forwarded-Proto`
/// from a TLS-terminating proxy.
pub fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        })
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|p| p == "https" || p == "http")
        .unwrap_or_else(|| "http".to_owned());
    format!("{proto}://{host}")
}

// ---------------------------------------------------------------------------------------------
// Chat URLs and the button snippet.

/// One channel's chat URL as the site should publish it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChatUrl {
    pub channel: Channel,
    /// The channel's base URL (`None`: the site has not set its Kakao or Naver URL yet).
    pub base: Option<String>,
    /// The base with every enabled custom parameter appended as a placeholder.
    pub url: Option<String>,
    /// Why there is no URL.
    pub problem: Option<String>,
}

/// Every channel's chat URL, in [`Channel::ALL`] order.
pub fn chat_urls_for(site: &SiteRecord, urls: &ChannelUrls, origin: &str) -> Vec<ChatUrl> {
    let params = inflow::placeholder_params(&site.settings, &[]);
    Channel::ALL
        .iter()
        .map(|&channel| {
            let base = match channel {
                Channel::Kakao => urls.kakao.clone(),
                Channel::Naver => urls.naver.clone(),
                Channel::WebchatV2 => Some(format!("{origin}/chat/{}", site.id)),
                Channel::WebchatV1 => Some(format!("{origin}/chat/{}/v1?is_login=N&uid=", site.id)),
            };
            let (url, problem) = match &base {
                None => (
                    None,
                    Some("the base chat URL of this channel is not set".to_owned()),
                ),
                Some(b) => match inflow::build(channel, b, &params, &site.settings) {
                    Ok(u) => (Some(u), None),
                    Err(e) => (None, Some(e.to_string())),
                },
            };
            ChatUrl {
                channel,
                base,
                url,
                problem,
            }
        })
        .collect()
}

/// The web chat v2 button source, loading the widget from this server.
pub fn snippet_for(site: &SiteRecord, origin: &str) -> String {
    chat_button_snippet(&SnippetOptions {
        site_id: &site.id.to_string(),
        script_url: &format!("{origin}/assets/widget.js"),
        settings: &site.settings,
        fixed: &[],
    })
}

// ---------------------------------------------------------------------------------------------
// The API.

fn template_variables() -> Vec<&'static str> {
    Var::all().map(Var::name).collect()
}

/// The limits a save checks, for the page to show.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Limits {
    pub description_chars: usize,
    pub sentinels: usize,
    pub sentinel_chars: usize,
    pub url_chars: usize,
}

/// The site's parameter and identity settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteView {
    pub id: SiteId,
    pub name: String,
    pub settings: Settings,
    pub require_verified_uid: bool,
    pub info_url_template: Option<String>,
    #[schema(value_type = schema::ChannelUrls)]
    pub channel_urls: ChannelUrls,
    /// The variables a consultation-info URL template may use.
    pub template_variables: Vec<&'static str>,
    pub limits: Limits,
}

fn site_view(site: SiteRecord, urls: ChannelUrls) -> SiteView {
    SiteView {
        id: site.id,
        name: site.name,
        settings: site.settings,
        require_verified_uid: site.require_verified_uid,
        info_url_template: site.info_url_template,
        channel_urls: urls,
        template_variables: template_variables(),
        limits: Limits {
            description_chars: MAX_DESCRIPTION_CHARS,
            sentinels: MAX_SENTINELS,
            sentinel_chars: MAX_SENTINEL_CHARS,
            url_chars: MAX_URL_CHARS,
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
    let site = st.store.site(agent.site_id).await?;
    let urls = st.store.channel_urls(agent.site_id).await?;
    Ok(Json(site_view(site, urls)))
}

/// One custom slot as sent by the page.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    pub enabled: bool,
    /// At most 20 characters (trimmed), no control characters; required when enabled.
    #[serde(default)]
    pub description: String,
}

/// The channel base URLs as sent; a missing, null or empty one is "not set".
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelUrlsInput {
    #[serde(default)]
    pub kakao: Option<String>,
    #[serde(default)]
    pub naver: Option<String>,
}

/// `PUT /api/v1/site/settings`: each part given replaces the stored one; a part left out is
/// kept (so each section of the page saves on its own).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    /// Exactly ten, `parameter1` first.
    #[serde(default)]
    pub slots: Option<Vec<SlotInput>>,
    /// At most 50 values of at most 50 characters each.
    #[serde(default)]
    pub sentinels: Option<Vec<String>>,
    #[serde(default)]
    pub require_verified_uid: Option<bool>,
    /// Absent: unchanged; `null` or `""`: cleared.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub info_url_template: Option<Option<String>>,
    #[serde(default)]
    pub channel_urls: Option<ChannelUrlsInput>,
}

/// Tells a field given as `null` (`Some(None)`) from a field left out (`None`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Checks the slots; the descriptions come back trimmed.
pub fn check_slots(slots: &[SlotInput], errors: &mut Vec<FieldError>) -> Option<Settings> {
    if slots.len() != inflow::Slot::COUNT {
        errors.push(FieldError::new(
            "slots",
            ErrorCode::InvalidSlots,
            format!(
                "exactly {} custom slots are expected, got {}",
                inflow::Slot::COUNT,
                slots.len()
            ),
        ));
        return None;
    }
    let mut settings = Settings::default();
    let before = errors.len();
    for (i, (input, out)) in slots.iter().zip(settings.slots.iter_mut()).enumerate() {
        let field = format!("parameter{}", i + 1);
        let description = input.description.trim();
        let chars = description.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            errors.push(FieldError::new(
                &field,
                ErrorCode::DescriptionTooLong,
                format!(
                    "the description of {field} has {chars} characters; at most \
                     {MAX_DESCRIPTION_CHARS} are allowed"
                ),
            ));
        } else if has_control(description) {
            errors.push(FieldError::new(
                &field,
                ErrorCode::InvalidDescription,
                format!("the description of {field} contains a control character"),
            ));
        } else if input.enabled && description.is_empty() {
            errors.push(FieldError::new(
                &field,
                ErrorCode::DescriptionRequired,
                format!(
                    "{field} is enabled without a description; agents and reports show the \
                     description as its label"
                ),
            ));
        }
        *out = SlotSetting {
            enabled: input.enabled,
            description: description.to_owned(),
        };
    }
    (errors.len() == before).then_some(settings)
}

/// Checks the sentinels; they come back trimmed, without blanks or duplicates.
pub fn check_sentinels(given: &[String], errors: &mut Vec<FieldError>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let before = errors.len();
    for s in given.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if s.chars().count() > MAX_SENTINEL_CHARS {
            let mut e = FieldError::new(
                "sentinels",
                ErrorCode::SentinelTooLong,
                format!("a sentinel has at most {MAX_SENTINEL_CHARS} characters"),
            );
            e.values
                .push(s.chars().take(MAX_SENTINEL_CHARS).collect::<String>() + "…");
            errors.push(e);
        } else if has_control(s) {
            errors.push(FieldError::new(
                "sentinels",
                ErrorCode::InvalidSentinel,
                "a sentinel contains a control character",
            ));
        } else if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_owned());
        }
    }
    if out.len() > MAX_SENTINELS {
        errors.push(FieldError::new(
            "sentinels",
            ErrorCode::TooManySentinels,
            format!(
                "{} sentinels given; at most {MAX_SENTINELS} are allowed",
                out.len()
            ),
        ));
    }
    (errors.len() == before).then_some(out)
}

/// Checks a template; `Some(None)` clears it.
pub fn check_template(given: Option<&str>, errors: &mut Vec<FieldError>) -> Option<Option<String>> {
    let source = given.map(str::trim).unwrap_or_default();
    if source.is_empty() {
        return Some(None);
    }
    const FIELD: &str = "info_url_template";
    if source.chars().count() > MAX_URL_CHARS {
        errors.push(FieldError::new(
            FIELD,
            ErrorCode::TemplateTooLong,
            format!("the consultation-info URL has more than {MAX_URL_CHARS} characters"),
        ));
        return None;
    }
    if has_control(source) {
        errors.push(FieldError::new(
            FIELD,
            ErrorCode::InvalidTemplate,
            "the consultation-info URL contains a control character",
        ));
        return None;
    }
    match inflow::Template::parse(source) {
        Ok(t) => Some(Some(t.as_str().to_owned())),
        Err(e) => {
            let code = match &e {
                TemplateError::UnknownVariables(_) => ErrorCode::UnknownTemplateVariable,
                TemplateError::NotHttp => ErrorCode::TemplateNotHttp,
            };
            let mut err = FieldError::new(FIELD, code, e.to_string());
            if let TemplateError::UnknownVariables(names) = e {
                err.values = names;
            }
            errors.push(err);
            None
        }
    }
}

/// Whether `url` is an `http(s)://` URL with a host and nothing a chat URL cannot contain.
fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#', '|']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    !host.is_empty()
        && !host.contains('@')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks one channel base URL; `Some(None)` means "not set".
fn check_channel_url(
    channel: Channel,
    given: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<Option<String>> {
    let url = given.map(str::trim).unwrap_or_default();
    if url.is_empty() {
        return Some(None);
    }
    let field = format!("channel_urls.{channel}");
    if url.chars().count() > MAX_URL_CHARS {
        errors.push(FieldError::new(
            field,
            ErrorCode::UrlTooLong,
            format!("the {channel} chat URL has more than {MAX_URL_CHARS} characters"),
        ));
        return None;
    }
    if !is_http_url(url) {
        errors.push(FieldError::new(
            field,
            ErrorCode::InvalidUrl,
            format!("the {channel} chat URL must be an http:// or https:// address without spaces"),
        ));
        return None;
    }
    Some(Some(url.to_owned()))
}

pub fn check_channel_urls(
    given: &ChannelUrlsInput,
    errors: &mut Vec<FieldError>,
) -> Option<ChannelUrls> {
    let kakao = check_channel_url(Channel::Kakao, given.kakao.as_deref(), errors);
    let naver = check_channel_url(Channel::Naver, given.naver.as_deref(), errors);
    Some(ChannelUrls {
        kakao: kakao?,
        naver: naver?,
    })
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
    body: Result<Json<SettingsUpdate>, JsonRejection>,
) -> Result<Json<SiteView>, ApiError> {
    let Json(update) = body?;
    let site = st.store.site(agent.site_id).await?;
    let stored_urls = st.store.channel_urls(agent.site_id).await?;

    let mut errors = Vec::new();
    let slots = update.slots.as_deref().map(|s| check_slots(s, &mut errors));
    let sentinels = update
        .sentinels
        .as_deref()
        .map(|s| check_sentinels(s, &mut errors));
    let template = update
        .info_url_template
        .as_ref()
        .map(|t| check_template(t.as_deref(), &mut errors));
    let urls = update
        .channel_urls
        .as_ref()
        .map(|u| check_channel_urls(u, &mut errors));
    if !errors.is_empty() {
        let message = errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ApiError::Invalid {
            code: ErrorCode::InvalidSettings,
            message,
            details: Some(ErrorDetails::Errors { errors }),
        });
    }

    let mut settings = site.settings.clone();
    if let Some(Some(new)) = slots {
        settings.slots = new.slots;
    }
    if let Some(Some(new)) = sentinels {
        settings.sentinels = new;
    }
    let template = match template {
        Some(Some(t)) => t,
        _ => site.info_url_template.clone(),
    };
    let urls = match urls {
        Some(Some(u)) => u,
        _ => stored_urls,
    };
    let require_verified_uid = update
        .require_verified_uid
        .unwrap_or(site.require_verified_uid);
    let (saved, urls) = st
        .store
        .save_site_settings(
            agent.site_id,
            &SiteSettings {
                settings: &settings,
                require_verified_uid,
                info_url_template: template.as_deref(),
                channel_urls: &urls,
            },
        )
        .await?;
    tracing::info!(site = %agent.site_id, agent = %agent.id, "site settings saved");
    Ok(Json(site_view(saved, urls)))
}

/// A JSON answer that no cache keeps (it carries the site secret).
fn no_store(body: impl Serialize) -> Response {
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
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
    let site = st.store.site(agent.site_id).await?;
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
    st.store.rotate_site_secret(agent.site_id, &secret).await?;
    tracing::info!(site = %agent.site_id, agent = %agent.id, "site secret rotated");
    Ok(no_store(SecretAnswer { secret }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UidHashRequest {
    /// Not blank; at most 255 characters.
    #[schema(max_length = 255, pattern = r"\S")]
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
    body: Result<Json<UidHashRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
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
    let site = st.store.site(agent.site_id).await?;
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
    headers: HeaderMap,
) -> Result<Json<ChatUrls>, ApiError> {
    let site = st.store.site(agent.site_id).await?;
    let urls = st.store.channel_urls(agent.site_id).await?;
    let origin = origin(&headers);
    Ok(Json(ChatUrls {
        channels: chat_urls_for(&site, &urls, &origin),
        snippet: snippet_for(&site, &origin),
        script_url: format!("{origin}/assets/widget.js"),
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn slots(f: impl Fn(usize) -> SlotInput) -> Vec<SlotInput> {
        (0..10).map(f).collect()
    }

    #[test]
    fn enabled_slots_need_a_short_description() {
        let mut errors = Vec::new();
        let ok = check_slots(
            &slots(|i| SlotInput {
                enabled: i == 2,
                description: if i == 2 {
                    " 캠페인 ".into()
                } else {
                    String::new()
                },
            }),
            &mut errors,
        )
        .unwrap();
        assert!(errors.is_empty());
        assert_eq!(ok.slots[2].description, "캠페인");
        assert!(ok.slots[2].enabled && !ok.slots[0].enabled);

        let bad = check_slots(
            &slots(|i| SlotInput {
                enabled: i < 2,
                description: if i == 1 {
                    "가".repeat(21)
                } else {
                    String::new()
                },
            }),
            &mut errors,
        );
        assert!(bad.is_none());
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("parameter1", "description_required"),
                ("parameter2", "description_too_long")
            ]
        );
        // Twenty Hangul syllables are twenty characters, not sixty bytes.
        let mut errors = Vec::new();
        assert!(
            check_slots(
                &slots(|_| SlotInput {
                    enabled: true,
                    description: "가".repeat(20)
                }),
                &mut errors
            )
            .is_some()
        );
        assert!(
            check_slots(
                &slots(|_| SlotInput {
                    enabled: false,
                    description: String::new()
                })[..9],
                &mut errors
            )
            .is_none()
        );
        assert_eq!(errors[0].code, ErrorCode::InvalidSlots);
    }

    #[test]
    fn sentinels_are_trimmed_deduplicated_and_bounded() {
        let mut errors = Vec::new();
        let given: Vec<String> = [" undefined", "UNDEFINED", "", "null ", "-"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            check_sentinels(&given, &mut errors).unwrap(),
            ["undefined", "null", "-"]
        );
        let many: Vec<String> = (0..51).map(|i| format!("s{i}")).collect();
        assert!(check_sentinels(&many, &mut errors).is_none());
        assert!(check_sentinels(&["x".repeat(51)], &mut errors).is_none());
        let codes: Vec<_> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["too_many_sentinels", "sentinel_too_long"]);
    }

    #[test]
    fn templates_name_their_unknown_variables() {
        let mut errors = Vec::new();
        assert_eq!(check_template(Some("  "), &mut errors), Some(None));
        assert_eq!(
            check_template(
                Some(" https://crm.example.com/v?id=[site_uid] "),
                &mut errors
            ),
            Some(Some("https://crm.example.com/v?id=[site_uid]".into()))
        );
        assert!(errors.is_empty());
        assert_eq!(
            check_template(Some("https://crm.example.com/v?m=[member_no]"), &mut errors),
            None
        );
        assert_eq!(errors[0].code, ErrorCode::UnknownTemplateVariable);
        assert!(
            errors[0].message.contains("member_no"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].values, ["member_no"]);
        assert_eq!(
            check_template(Some("ftp://x/[site_uid]"), &mut errors),
            None
        );
        assert_eq!(errors[1].code, ErrorCode::TemplateNotHttp);
    }

    #[test]
    fn channel_urls_must_be_http() {
        let mut errors = Vec::new();
        let ok = check_channel_urls(
            &ChannelUrlsInput {
                kakao: Some(" https://pf.kakao.com/_abc/chat ".into()),
                naver: Some(String::new()),
            },
            &mut errors,
        )
        .unwrap();
        assert_eq!(ok.kakao.as_deref(), Some("https://pf.kakao.com/_abc/chat"));
        assert_eq!(ok.naver, None);
        for bad in [
            "javascript:alert(1)",
            "https://",
            "pf.kakao.com/_abc",
            "https://a b",
        ] {
            let mut errors = Vec::new();
            let r = check_channel_urls(
                &ChannelUrlsInput {
                    kakao: Some(bad.into()),
                    naver: None,
                },
                &mut errors,
            );
            assert!(r.is_none(), "{bad}");
            assert_eq!(errors[0].field, "channel_urls.kakao");
        }
    }

    #[test]
    fn origin_comes_from_a_plain_host_only() {
        let mut h = HeaderMap::new();
        assert_eq!(origin(&h), "http://localhost");
        h.insert(HOST, HeaderValue::from_static("chat.example.com:8080"));
        assert_eq!(origin(&h), "http://chat.example.com:8080");
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(origin(&h), "https://chat.example.com:8080");
        h.insert(HOST, HeaderValue::from_static("evil.com/\"><script>"));
        assert_eq!(origin(&h), "https://localhost");
    }

    #[test]
    fn chat_urls_carry_enabled_slots_as_placeholders() {
        let mut settings = Settings::default();
        settings.slots[2].enabled = true;
        settings.slots[2].description = "캠페인".into();
        let site = SiteRecord {
            id: sangdam_core::SiteId::new(7),
            name: "s".into(),
            secret: "k".into(),
            settings,
            require_verified_uid: false,
            info_url_template: None,
            created_at: 0,
        };
        let urls = ChannelUrls {
            kakao: Some("https://pf.kakao.com/_abc/chat".into()),
            naver: None,
        };
        let chat = chat_urls_for(&site, &urls, "http://h");
        let by = |c: Channel| chat.iter().find(|u| u.channel == c).unwrap();
        assert_eq!(
            by(Channel::Kakao).url.as_deref(),
            Some("https://pf.kakao.com/_abc/chat?parameter3={캠페인}")
        );
        assert_eq!(
            by(Channel::WebchatV2).url.as_deref(),
            Some("http://h/chat/7?params=parameter3=('{캠페인}')")
        );
        assert_eq!(
            by(Channel::WebchatV1).url.as_deref(),
            Some("http://h/chat/7/v1?is_login=N&uid=&parameter3={캠페인}")
        );
        assert!(by(Channel::Naver).url.is_none());
        let snippet = snippet_for(&site, "http://h");
        assert!(
            snippet.contains("// parameter3: '', // 캠페인"),
            "{snippet}"
        );
        assert!(snippet.contains("http://h/assets/widget.js"));
    }
}
