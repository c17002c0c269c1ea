//! The channel keys Kakao skill requests and Naver webhooks must carry: the webhook URLs to
//! paste into Open Builder and TalkTalk's partner center, and their rotation.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use sangdam_core::{AuditAction, MAX_GRACE_MS, MessengerPlatform, SiteId};
use serde::{Deserialize, Serialize};
use store::ChannelKeyRecord;
use utoipa::ToSchema;

use super::{Admin, no_store, origin};
use crate::api::extract::Body;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Longest grace period a rotation may give the old key, in minutes (a week).
pub const MAX_GRACE_MINUTES: i64 = MAX_GRACE_MS / 60_000;
/// The grace period when a rotation names none: a day.
pub const DEFAULT_GRACE_MINUTES: i64 = 24 * 60;

/// One platform's key and the URL that carries it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelKeyView {
    pub platform: MessengerPlatform,
    /// The URL to paste into the platform's settings (Open Builder's skill URL, TalkTalk's
    /// webhook URL): Sangdam's address as this request reached it, with `?key=`.
    pub webhook_url: String,
    pub key: String,
    /// Until when (ms since the epoch) the key before the last rotation is still accepted.
    pub previous_valid_until: Option<i64>,
    pub rotated_at: i64,
}

/// Both platforms' keys.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelKeys {
    pub keys: Vec<ChannelKeyView>,
}

fn webhook_path(site: SiteId, platform: MessengerPlatform) -> String {
    match platform {
        MessengerPlatform::Kakao => format!("/kakao/{site}/skill"),
        MessengerPlatform::Naver => format!("/naver/{site}/webhook"),
    }
}

fn view(origin: &str, record: ChannelKeyRecord, now: i64) -> ChannelKeyView {
    ChannelKeyView {
        platform: record.platform,
        webhook_url: format!(
            "{origin}{}?key={}",
            webhook_path(record.site_id, record.platform),
            record.key
        ),
        key: record.key,
        previous_valid_until: record.previous.map(|(_, until)| until).filter(|u| *u > now),
        rotated_at: record.rotated_at,
    }
}

/// The webhook URLs with the site's channel keys (admin).
#[utoipa::path(
    get,
    path = "/site/channel-keys",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Both platforms' keys and webhook URLs (not cached).", body = ChannelKeys,
            headers(("cache-control" = String, description = "`no-store`"))),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_channel_keys(
    State(st): State<AppState>,
    Admin(agent): Admin,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let origin = origin(&headers);
    let mut keys = Vec::with_capacity(MessengerPlatform::ALL.len());
    for platform in MessengerPlatform::ALL {
        let record = st.app.channel_key(agent.site_id, platform).await?;
        keys.push(view(&origin, record, st.now()));
    }
    st.app
        .audit(
            &agent,
            AuditAction::ChannelKeyViewed,
            "",
            serde_json::json!({}),
        )
        .await;
    Ok(no_store(ChannelKeys { keys }))
}

/// How long the old key keeps working.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    /// Minutes the old key is still accepted (0: refused at once; at most 10080, a week).
    /// Default 1440 (a day): time to paste the new URL into the platform's settings.
    /// (Read as a JSON number: `60` and `60.0` are the same whole number.)
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 10080)]
    pub grace_minutes: Option<serde_json::Number>,
}

/// Issue a new key for a platform (admin). The old one keeps working for the grace period,
/// then requests that carry it are refused.
#[utoipa::path(
    post,
    path = "/site/channel-keys/{platform}/rotate",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    params(("platform" = MessengerPlatform, Path, description = "`kakao` or `naver`.")),
    request_body = RotateRequest,
    responses(
        (status = 200, description = "The new key and webhook URL (not cached).", body = ChannelKeyView,
            headers(("cache-control" = String, description = "`no-store`"))),
        (status = 400, description = "The body is not a rotation request (`{}` takes the default grace).", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such platform.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a grace period outside 0 to 10080 minutes.", body = ErrorBody),
    )
)]
pub async fn rotate_channel_key(
    State(st): State<AppState>,
    Admin(agent): Admin,
    Path(platform): Path<String>,
    headers: HeaderMap,
    body: Result<Body<RotateRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let platform =
        MessengerPlatform::parse(&platform).ok_or(ApiError::NotFound("messenger platform"))?;
    let Body(req) = body?;
    let minutes = match &req.grace_minutes {
        None => Some(DEFAULT_GRACE_MINUTES),
        Some(n) => crate::api::extract::whole_number(n),
    };
    let minutes = minutes.unwrap_or(-1);
    if !(0..=MAX_GRACE_MINUTES).contains(&minutes) {
        return Err(ApiError::invalid_field(
            "grace_minutes",
            format!("grace_minutes is 0 to {MAX_GRACE_MINUTES} (a week)"),
        ));
    }
    let record = st
        .app
        .rotate_channel_key(agent.site_id, platform, minutes * 60_000)
        .await?;
    tracing::info!(site = %agent.site_id, agent = %agent.id, platform = platform.as_str(),
        grace_minutes = minutes, "channel key rotated");
    st.app
        .audit(
            &agent,
            AuditAction::ChannelKeyRotated,
            platform.as_str(),
            serde_json::json!({ "grace_minutes": minutes }),
        )
        .await;
    Ok(no_store(view(&origin(&headers), record, st.now())))
}
