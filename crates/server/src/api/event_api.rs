//! The Event API in Kakao's shape (`docs/PROTOCOLS.md` §2): a business's server sends a
//! message to customers by an event name (`POST /api/v1/event/bots/{site_id}/talk`) and reads
//! the task's per-recipient results (`GET /api/v1/event/tasks/{task_id}`), with the site's Event
//! API key as `Authorization: KakaoAK {key}`; and the admin's settings of it
//! (`/api/v1/site/event-api`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use protocol::kakao::event::{EventAccepted, EventRequest};
use sangdam_core::SiteId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::event_api::{EventApiView, TaskView};

use crate::api::extract::Body;
use crate::api::site::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(talk))
        .routes(routes!(task))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(issue_key))
}

/// The site of the `KakaoAK` key the request carries.
async fn keyed_site(st: &AppState, headers: &HeaderMap) -> Result<SiteId, ApiError> {
    let key = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("KakaoAK "))
        .ok_or(ApiError::Unauthorized)?;
    if key.len() > 200 {
        return Err(ApiError::Unauthorized);
    }
    Ok(st.app.site_of_event_key(key).await?)
}

/// Send a message by an event name to up to 100 recipients.
///
/// Recipient types: `botUserKey`, `plusfriendUserKey`, `appUserId` (KakaoTalk, through Kakao's
/// Event API: a user who has not added the channel or blocked it fails there),
/// `talktalkUserId` (Naver TalkTalk, through the send API) and `siteUid` (web chat: into the
/// room of that member ID, only when it arrived verified). The event's block renders the
/// message; its texts may use `{{data.KEY}}` and `{{params.KEY}}`. Accepting is not
/// delivering: the task says each recipient's result, and only delivered messages are billed
/// (once per task and recipient). Send an `Idempotency-Key` to make a retry of the same request
/// answer the same task and send nothing again.
#[utoipa::path(
    post,
    path = "/event/bots/{site_id}/talk",
    tag = "event",
    params(
        ("site_id" = i64, Path, description = "The site's id."),
        ("Authorization" = String, Header, description = "`KakaoAK {the site's Event API key}`."),
        ("Idempotency-Key" = Option<String>, Header, description = "The request's own key (1 to 200 characters): a repeat answers the first task."),
    ),
    request_body(content = Object, description = "`{\"event\": {\"name\", \"data\"}, \"user\": [{\"type\", \"id\"}], \"params\": {}}`"),
    responses(
        (status = 200, description = "Accepted: `{\"taskId\", \"status\": \"SUCCESS\", \"message\", \"timestamp\"}`.", body = Object),
        (status = 400, description = "The body is not an event request.", body = ErrorBody),
        (status = 401, description = "No `KakaoAK` key of this site.", body = ErrorBody),
        (status = 403, description = "`business_not_verified`, `no_wallet` or `receivable_outstanding`: the site lacks what the Event API needs; nothing is sent.", body = ErrorBody),
        (status = 409, description = "The `Idempotency-Key` was used for another request.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each problem named by its path (an unknown event, a recipient type, more than 100 recipients, a value the block uses and the request lacks).", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many requests for the site this minute.", body = ErrorBody),
    )
)]
pub async fn talk(
    State(st): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
    body: Result<Body<EventRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let keyed = keyed_site(&st, &headers).await?;
    if site.parse::<SiteId>().ok() != Some(keyed) {
        return Err(ApiError::Unauthorized);
    }
    st.event_limiter
        .check_key(&keyed.get())
        .map_err(|_| ApiError::TooManyRequests)?;
    let Body(req) = body?;
    let key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let (task, created) = st.app.accept_event(keyed, key, &req).await?;
    let answer = EventAccepted {
        task_id: task.public_id,
        status: "SUCCESS".to_owned(),
        message: if created {
            "accepted".to_owned()
        } else {
            "accepted before under this Idempotency-Key".to_owned()
        },
        timestamp: task.created_at,
    };
    Ok((StatusCode::OK, Json(answer)).into_response())
}

/// A task's results: Kakao's counts and failures, and each recipient's state.
#[utoipa::path(
    get,
    path = "/event/tasks/{task_id}",
    tag = "event",
    params(
        ("task_id" = String, Path, description = "The id the request was answered with."),
        ("Authorization" = String, Header, description = "`KakaoAK {the site's Event API key}`."),
    ),
    responses(
        (status = 200, description = "The task.", body = TaskView),
        (status = 401, description = "No `KakaoAK` key of a site.", body = ErrorBody),
        (status = 404, description = "No such task of this site.", body = ErrorBody),
    )
)]
pub async fn task(
    State(st): State<AppState>,
    Path(task_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<TaskView>, ApiError> {
    let site = keyed_site(&st, &headers).await?;
    Ok(Json(st.app.event_task_view(site, &task_id).await?))
}

/// The site's Event API: whether a key is issued, its Kakao bot, what requests still need.
#[utoipa::path(
    get,
    path = "/site/event-api",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The settings (never a secret).", body = EventApiView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_settings(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Json<EventApiView>, ApiError> {
    Ok(Json(st.app.event_api_view(&agent).await?))
}

/// The site's Kakao bot for event messages.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventApiSettingsBody {
    /// The bot's id in Kakao's chatbot admin center (none: KakaoTalk recipients fail).
    #[schema(pattern = "^[!-~]{0,100}$")]
    pub kakao_bot_id: Option<String>,
    /// The Kakao app's REST API key (absent or empty: the stored one stays).
    #[schema(pattern = "^[!-~]{0,100}$")]
    pub kakao_rest_key: Option<String>,
    /// The event agents' replies to KakaoTalk users go out as once the callback of the
    /// user's last request has expired (billed like any event message; it must be bound to a
    /// block showing `data.text` in Kakao's admin center). Absent: they wait for the user's
    /// next message.
    #[schema(pattern = "^[A-Za-z0-9_]{0,50}$")]
    pub kakao_reply_event: Option<String>,
}

/// Set the Kakao bot event messages go through.
#[utoipa::path(
    put,
    path = "/site/event-api",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = EventApiSettingsBody,
    responses(
        (status = 200, description = "Saved.", body = EventApiView),
        (status = 400, description = "Not a settings body.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a bot id or key with spaces or over 100 characters.", body = ErrorBody),
    )
)]
pub async fn put_settings(
    State(st): State<AppState>,
    Admin(agent): Admin,
    body: Result<Body<EventApiSettingsBody>, ApiError>,
) -> Result<Json<EventApiView>, ApiError> {
    let Body(b) = body?;
    Ok(Json(
        st.app
            .set_event_kakao(
                &agent,
                b.kakao_bot_id.as_deref(),
                b.kakao_rest_key.as_deref(),
                b.kakao_reply_event.as_deref(),
            )
            .await?,
    ))
}

/// A newly issued key, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedKey {
    pub key: String,
}

/// Issue the site's Event API key (the one before stops working at once).
#[utoipa::path(
    post,
    path = "/site/event-api/key",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The key, shown once: keep it on the business's server.", body = IssuedKey),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn issue_key(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Response, ApiError> {
    let key = st.app.issue_event_key(&agent).await?;
    Ok((StatusCode::CREATED, Json(IssuedKey { key })).into_response())
}
