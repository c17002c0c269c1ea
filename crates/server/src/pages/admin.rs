//! Admin: parameter management (`/admin/parameters`, the seed's help page made real) and the
//! site-settings API it uses, under `/api/v1/site` (admins only).
//!
//! The page is rendered with the site's current state, so it reads right without JavaScript;
//! `assets/admin.js` saves each section through the API and refreshes the chat URLs.
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

use askama::Template;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{CACHE_CONTROL, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use inflow::{
    Channel, Field, Settings, Slot, SlotSetting, SnippetOptions, TemplateError, Var,
    chat_button_snippet,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};
use store::{AgentRecord, ChannelUrls, Role, SiteRecord, SiteSettings};

use crate::auth::{AuthAgent, random_token};
use crate::error::ApiError;
use crate::pages::{Lang, PageLang, PageText, page, page_text};
use crate::state::AppState;

/// Longest custom-slot description (the help page's limit for a custom value, reused so that a
/// label fits where its value does).
pub const MAX_DESCRIPTION_CHARS: usize = 20;
pub const MAX_SENTINELS: usize = 50;
pub const MAX_SENTINEL_CHARS: usize = 50;
pub const MAX_URL_CHARS: usize = 2000;
/// Longest site_uid (R1.1): the hash helper refuses what an inflow would refuse.
const MAX_SITE_UID_CHARS: usize = 255;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/parameters", get(parameters_page))
        .route("/api/v1/site", get(get_site))
        .route("/api/v1/site/settings", put(put_settings))
        .route("/api/v1/site/secret", get(get_secret))
        .route("/api/v1/site/secret/rotate", post(rotate_secret))
        .route("/api/v1/site/uid-hash", post(uid_hash))
        .route("/api/v1/site/chat-urls", get(chat_urls))
}

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
#[derive(Debug, Clone, Serialize)]
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

fn site_json(site: &SiteRecord, urls: &ChannelUrls) -> Value {
    json!({
        "id": site.id,
        "name": site.name,
        "settings": site.settings,
        "require_verified_uid": site.require_verified_uid,
        "info_url_template": site.info_url_template,
        "channel_urls": urls,
        "template_variables": template_variables(),
        "limits": {
            "description_chars": MAX_DESCRIPTION_CHARS,
            "sentinels": MAX_SENTINELS,
            "sentinel_chars": MAX_SENTINEL_CHARS,
            "url_chars": MAX_URL_CHARS,
        },
    })
}

/// `GET /api/v1/site`: the site's parameter and identity settings.
pub async fn get_site(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Json<Value>, ApiError> {
    let site = st.store.site(agent.site_id).await?;
    let urls = st.store.channel_urls(agent.site_id).await?;
    Ok(Json(site_json(&site, &urls)))
}

/// One custom slot as sent by the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    pub enabled: bool,
    #[serde(default)]
    pub description: String,
}

/// The channel base URLs as sent; a missing, null or empty one is "not set".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelUrlsInput {
    #[serde(default)]
    pub kakao: Option<String>,
    #[serde(default)]
    pub naver: Option<String>,
}

/// `PUT /api/v1/site/settings`: each part given replaces the stored one; a part left out is
/// kept (so each section of the page saves on its own).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    #[serde(default)]
    pub slots: Option<Vec<SlotInput>>,
    #[serde(default)]
    pub sentinels: Option<Vec<String>>,
    #[serde(default)]
    pub require_verified_uid: Option<bool>,
    /// Absent: unchanged; `null` or `""`: cleared.
    #[serde(default, deserialize_with = "present")]
    pub info_url_template: Option<Option<String>>,
    #[serde(default)]
    pub channel_urls: Option<ChannelUrlsInput>,
}

/// Tells a field given as `null` (`Some(None)`) from a field left out (`None`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// One refused part of a save, for the page to show next to its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// `parameter3`, `sentinels`, `info_url_template`, `channel_urls.kakao`, …
    pub field: String,
    pub code: &'static str,
    pub message: String,
    /// The offending names or values (unknown template variables, a too-long sentinel).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl FieldError {
    fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
            values: Vec::new(),
        }
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Checks the slots; the descriptions come back trimmed.
pub fn check_slots(slots: &[SlotInput], errors: &mut Vec<FieldError>) -> Option<Settings> {
    if slots.len() != inflow::Slot::COUNT {
        errors.push(FieldError::new(
            "slots",
            "invalid_slots",
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
                "description_too_long",
                format!(
                    "the description of {field} has {chars} characters; at most \
                     {MAX_DESCRIPTION_CHARS} are allowed"
                ),
            ));
        } else if has_control(description) {
            errors.push(FieldError::new(
                &field,
                "invalid_description",
                format!("the description of {field} contains a control character"),
            ));
        } else if input.enabled && description.is_empty() {
            errors.push(FieldError::new(
                &field,
                "description_required",
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
                "sentinel_too_long",
                format!("a sentinel has at most {MAX_SENTINEL_CHARS} characters"),
            );
            e.values
                .push(s.chars().take(MAX_SENTINEL_CHARS).collect::<String>() + "…");
            errors.push(e);
        } else if has_control(s) {
            errors.push(FieldError::new(
                "sentinels",
                "invalid_sentinel",
                "a sentinel contains a control character",
            ));
        } else if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_owned());
        }
    }
    if out.len() > MAX_SENTINELS {
        errors.push(FieldError::new(
            "sentinels",
            "too_many_sentinels",
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
            "template_too_long",
            format!("the consultation-info URL has more than {MAX_URL_CHARS} characters"),
        ));
        return None;
    }
    if has_control(source) {
        errors.push(FieldError::new(
            FIELD,
            "invalid_template",
            "the consultation-info URL contains a control character",
        ));
        return None;
    }
    match inflow::Template::parse(source) {
        Ok(t) => Some(Some(t.as_str().to_owned())),
        Err(e) => {
            let code = match &e {
                TemplateError::UnknownVariables(_) => "unknown_template_variable",
                TemplateError::NotHttp => "template_not_http",
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
            "url_too_long",
            format!("the {channel} chat URL has more than {MAX_URL_CHARS} characters"),
        ));
        return None;
    }
    if !is_http_url(url) {
        errors.push(FieldError::new(
            field,
            "invalid_url",
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

/// `PUT /api/v1/site/settings`: validates every part given, then saves them all or nothing.
pub async fn put_settings(
    State(st): State<AppState>,
    Admin(agent): Admin,
    body: Result<Json<SettingsUpdate>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
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
            code: "invalid_settings",
            message,
            details: json!({ "errors": errors }),
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
    Ok(Json(site_json(&saved, &urls)))
}

/// A JSON answer that no cache keeps (it carries the site secret).
fn no_store(body: Value) -> Response {
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /api/v1/site/secret`: the site secret (reveal).
pub async fn get_secret(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Response, ApiError> {
    let site = st.store.site(agent.site_id).await?;
    Ok(no_store(json!({ "secret": site.secret })))
}

/// `POST /api/v1/site/secret/rotate`: a new secret; hashes made with the old one stop
/// verifying at once.
pub async fn rotate_secret(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Response, ApiError> {
    let secret = random_token();
    st.store.rotate_site_secret(agent.site_id, &secret).await?;
    tracing::info!(site = %agent.site_id, agent = %agent.id, "site secret rotated");
    Ok(no_store(json!({ "secret": secret })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UidHashRequest {
    pub site_uid: String,
}

/// `POST /api/v1/site/uid-hash {site_uid}`: the `site_uid_hash` the site's server would
/// compute, for testing an integration. The ID is hashed exactly as given (as an inflow's
/// value is verified).
pub async fn uid_hash(
    State(st): State<AppState>,
    Admin(agent): Admin,
    body: Result<Json<UidHashRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    if req.site_uid.trim().is_empty() {
        return Err(ApiError::invalid("invalid_site_uid", "enter a site_uid"));
    }
    if req.site_uid.chars().count() > MAX_SITE_UID_CHARS {
        return Err(ApiError::invalid(
            "too_long",
            format!("a site_uid has at most {MAX_SITE_UID_CHARS} characters"),
        ));
    }
    let site = st.store.site(agent.site_id).await?;
    let hash = sangdam_core::site_uid_hash(site.secret.as_bytes(), &req.site_uid);
    Ok(no_store(
        json!({ "site_uid": req.site_uid, "site_uid_hash": hash }),
    ))
}

/// `GET /api/v1/site/chat-urls`: per channel the chat URL with the enabled custom parameters
/// as placeholders, and the web chat v2 button snippet.
pub async fn chat_urls(
    State(st): State<AppState>,
    Admin(agent): Admin,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let site = st.store.site(agent.site_id).await?;
    let urls = st.store.channel_urls(agent.site_id).await?;
    let origin = origin(&headers);
    Ok(Json(json!({
        "channels": chat_urls_for(&site, &urls, &origin),
        "snippet": snippet_for(&site, &origin),
        "script_url": format!("{origin}/assets/widget.js"),
    })))
}

// ---------------------------------------------------------------------------------------------
// The page.

/// One row of the fixed-parameter reference table.
#[derive(Debug, Clone)]
pub struct FixedRow {
    /// The key of the row's group.
    pub group: &'static str,
    pub name: &'static str,
    pub label: String,
    pub ty: String,
    pub length: String,
    pub input: bool,
    pub example: String,
    pub meaning: String,
}

/// The fixed parameters (R1.1, and `site_uid_hash` of R2.8), in the page's language: each is
/// the message `admin-fixed-<name>` with its `.meaning` (and `.example` or `.type` where those
/// are words); lengths come from the limits the parser applies.
pub fn fixed_rows(lang: Lang) -> Vec<FixedRow> {
    let chars = |field: Field| field.max_chars().map(|n| n.to_string()).unwrap_or_default();
    // (group, name, type, length, input, example when it is no words)
    let rows = [
        (
            "admin-group-customer",
            Field::SiteUid.name(),
            "String",
            chars(Field::SiteUid),
            true,
            "loginid",
        ),
        (
            "admin-group-customer",
            Field::Name.name(),
            "String",
            chars(Field::Name),
            true,
            "",
        ),
        (
            "admin-group-customer",
            Field::Phone.name(),
            "String",
            chars(Field::Phone),
            true,
            "01012345678",
        ),
        (
            "admin-group-customer",
            Field::Email.name(),
            "String",
            chars(Field::Email),
            true,
            "customer@example.com",
        ),
        (
            "admin-group-room",
            Field::UserParameter.name(),
            "String",
            chars(Field::UserParameter),
            true,
            "abcdabcd",
        ),
        (
            "admin-group-room",
            Field::CategoryId.name(),
            "Int",
            "11".to_owned(),
            true,
            "74133",
        ),
        (
            "admin-group-room",
            Field::DivisionId.name(),
            "Int",
            "11".to_owned(),
            true,
            "74134",
        ),
        (
            "admin-group-room",
            "category_name",
            "String",
            "100".to_owned(),
            false,
            "",
        ),
        (
            "admin-group-room",
            "division_name",
            "String",
            "100".to_owned(),
            false,
            "",
        ),
        (
            "admin-group-room",
            Field::BotStart.name(),
            "Bool",
            "—".to_owned(),
            true,
            "true",
        ),
        (
            "admin-group-verification",
            Field::SiteUidHash.name(),
            "String",
            "64".to_owned(),
            true,
            "9f86d081884c7d65…",
        ),
    ];
    rows.into_iter()
        .map(|(group, name, ty, length, input, example)| {
            let key = format!("admin-fixed-{name}");
            let words = |attribute: &str, otherwise: &str| {
                let key = format!("{key}.{attribute}");
                if i18n::has(lang, &key) {
                    i18n::t(lang, &key)
                } else {
                    otherwise.to_owned()
                }
            };
            FixedRow {
                group,
                name,
                label: i18n::t(lang, &key),
                ty: words("type", ty),
                length,
                input,
                example: words("example", example),
                meaning: i18n::t_args(
                    lang,
                    &format!("{key}.meaning"),
                    &[("max", Slot::MAX_CHARS.into())],
                ),
            }
        })
        .collect()
}

/// One custom slot row of the page.
#[derive(Debug, Clone)]
pub struct SlotRow {
    pub number: usize,
    pub name: &'static str,
    pub enabled: bool,
    pub description: String,
}

/// One channel's chat-URL field.
#[derive(Debug, Clone)]
pub struct ChatRow {
    pub channel: &'static str,
    /// The key of the channel's name.
    pub label: String,
    pub url: String,
    /// The key of the hint under the URL.
    pub hint: String,
}

/// The key of the hint under a channel's chat URL (`-missing` while the channel's base URL is
/// not saved; `assets/admin.js` picks the same keys after a save).
fn channel_hint(channel: Channel, missing: bool) -> String {
    let suffix = match channel {
        Channel::Kakao | Channel::Naver if missing => "-missing",
        _ => "",
    };
    format!("admin-url-hint-{}{suffix}", channel.as_str())
}

pub fn chat_rows(chat: &[ChatUrl]) -> Vec<ChatRow> {
    chat.iter()
        .map(|c| ChatRow {
            channel: c.channel.as_str(),
            label: format!("admin-channel-{}", c.channel.as_str()),
            url: c.url.clone().unwrap_or_default(),
            hint: channel_hint(c.channel, c.url.is_none()),
        })
        .collect()
}

/// A template variable as listed on the page, with the slot's description for custom slots.
#[derive(Debug, Clone)]
pub struct VarRow {
    pub name: &'static str,
    pub hint: String,
}

pub(crate) fn var_rows(settings: &Settings) -> Vec<VarRow> {
    Var::all()
        .map(|v| VarRow {
            name: v.name(),
            hint: match v {
                Var::Custom(slot) => settings.slot(slot).description.clone(),
                _ => String::new(),
            },
        })
        .collect()
}

/// What `assets/admin.js` says: its status lines, the secret's buttons, the chat-URL hints,
/// and the field errors by code, with the limits the checks above apply.
pub(crate) const SCRIPT_TEXTS: &[&str] = &[
    "admin-status-",
    "admin-secret-",
    "admin-url-hint-",
    "admin-err-",
];

pub(crate) fn script_texts(lang: Lang) -> String {
    crate::pages::script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-description", MAX_DESCRIPTION_CHARS.into()),
            ("max-sentinels", MAX_SENTINELS.into()),
            ("max-sentinel-chars", MAX_SENTINEL_CHARS.into()),
            ("max-url", MAX_URL_CHARS.into()),
            ("max-site-uid", MAX_SITE_UID_CHARS.into()),
        ],
    )
}

/// What a logged-in agent who is not the admin sees on an admin page.
#[derive(Debug, Template)]
#[template(path = "admin_forbidden.html")]
pub(crate) struct AdminForbidden<'a> {
    pub(crate) lang: Lang,
    /// The key of the sentence that says who may use the page.
    pub(crate) reason: &'a str,
    pub(crate) agent_name: &'a str,
}

impl PageText for AdminForbidden<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }
}

/// Who gets an admin page: the admin (`Ok(Ok(admin))`); without a login, the login page coming
/// back to `path`; anyone else logged in, a 403 page saying the text `reason` (a key)
/// (`Ok(Err(response))`).
pub(crate) fn admin_page_access(
    auth: Result<AuthAgent, ApiError>,
    lang: Lang,
    path: &str,
    reason: &str,
) -> Result<Result<AgentRecord, Response>, ApiError> {
    let agent = match auth {
        Ok(AuthAgent(agent)) => agent,
        Err(ApiError::Unauthorized) => {
            let next = path.replace('/', "%2F");
            return Ok(Err(
                Redirect::to(&format!("/login?next={next}")).into_response()
            ));
        }
        Err(e) => return Err(e),
    };
    if agent.role == Role::Admin {
        return Ok(Ok(agent));
    }
    let mut res = page(
        &AdminForbidden {
            lang,
            reason,
            agent_name: &agent.display_name,
        },
        lang,
    )?;
    *res.status_mut() = StatusCode::FORBIDDEN;
    Ok(Err(res))
}

#[derive(Debug, Template)]
#[template(path = "admin_parameters.html")]
pub struct ParametersPage {
    pub lang: Lang,
    pub site_name: String,
    pub agent_name: String,
    pub fixed: Vec<FixedRow>,
    pub slots: Vec<SlotRow>,
    pub max_description: usize,
    /// How many custom slots there are, and how long a value each keeps.
    pub slot_count: usize,
    pub slot_max_chars: usize,
    pub max_sentinels: usize,
    pub max_sentinel_chars: usize,
    pub chat: Vec<ChatRow>,
    pub snippet: String,
    pub kakao_base: String,
    pub naver_base: String,
    pub require_verified: bool,
    pub sentinels: String,
    pub template: String,
    pub variables: Vec<VarRow>,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(ParametersPage);

impl ParametersPage {
    pub(crate) fn empty(lang: Lang) -> Self {
        ParametersPage {
            lang,
            site_name: String::new(),
            agent_name: String::new(),
            fixed: Vec::new(),
            slots: Vec::new(),
            max_description: MAX_DESCRIPTION_CHARS,
            slot_count: Slot::COUNT,
            slot_max_chars: Slot::MAX_CHARS,
            max_sentinels: MAX_SENTINELS,
            max_sentinel_chars: MAX_SENTINEL_CHARS,
            chat: Vec::new(),
            snippet: String::new(),
            kakao_base: String::new(),
            naver_base: String::new(),
            require_verified: false,
            sentinels: String::new(),
            template: String::new(),
            variables: Vec::new(),
            texts: script_texts(lang),
        }
    }
}

/// `GET /admin/parameters`: the admin's parameter management page. Without a login: to the
/// login page; a logged-in non-admin: 403 with a page that says why.
pub async fn parameters_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(
        auth,
        lang,
        "/admin/parameters",
        "admin-forbidden-parameters",
    )? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let site = st.store.site(agent.site_id).await?;
    let urls = st.store.channel_urls(agent.site_id).await?;
    let origin = origin(&headers);
    let chat = chat_urls_for(&site, &urls, &origin);
    let mut p = ParametersPage::empty(lang);
    p.site_name = site.name.clone();
    p.agent_name = agent.display_name;
    p.fixed = fixed_rows(lang);
    p.slots = inflow::Slot::all()
        .map(|slot| {
            let s = site.settings.slot(slot);
            SlotRow {
                number: slot.number().into(),
                name: slot.name(),
                enabled: s.enabled,
                description: s.description.clone(),
            }
        })
        .collect();
    p.chat = chat_rows(&chat);
    p.snippet = snippet_for(&site, &origin);
    p.kakao_base = urls.kakao.clone().unwrap_or_default();
    p.naver_base = urls.naver.clone().unwrap_or_default();
    p.require_verified = site.require_verified_uid;
    p.sentinels = site.settings.sentinels.join("\n");
    p.template = site.info_url_template.clone().unwrap_or_default();
    p.variables = var_rows(&site.settings);
    page(&p, lang)
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
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
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
        assert_eq!(errors[0].code, "invalid_slots");
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
        let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
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
        assert_eq!(errors[0].code, "unknown_template_variable");
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
        assert_eq!(errors[1].code, "template_not_http");
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
