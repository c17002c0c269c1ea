//! Who answers (R3.3) over HTTP: an agent's presence, the managers' board, an account's
//! limit and what it serves, the site's distribution settings, the queue, direct assignment,
//! sending back, and transfer requests.

use app::distribution::QueuePlace;
use axum::Json;
use axum::extract::State;
use inflow::Channel;
use sangdam_core::{AgentId, DistributionMode, Presence};
use serde::{Deserialize, Serialize};
use store::{AgentLoadRecord, DistributionSettings, PresenceChange, RoutingChange, TransferRecord};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::consultations::ConsultationAnswer;
use crate::api::extract::{
    AgentPath, Body, ConsultationPath, IdPath, TransferPath, id_number, whole_number,
};
use crate::api::schema;
use crate::api::site::Admin;
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_presence, set_presence))
        .routes(routes!(board))
        .routes(routes!(set_routing))
        .routes(routes!(get_settings, save_settings))
        .routes(routes!(queue))
        .routes(routes!(assign))
        .routes(routes!(send_back))
        .routes(routes!(request_transfer))
        .routes(routes!(transfers))
        .routes(routes!(accept_transfer))
        .routes(routes!(decline_transfer))
        .routes(routes!(withdraw_transfer))
}

fn field_error(field: &str, message: String) -> ApiError {
    ApiError::invalid_field(field, message)
}

/// A whole number in `range` from a JSON number, or the field's error.
fn number_in(
    field: &str,
    n: &serde_json::Number,
    range: std::ops::RangeInclusive<i64>,
) -> Result<u32, ApiError> {
    whole_number(n)
        .filter(|v| range.contains(v))
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| {
            field_error(
                field,
                format!(
                    "{field} is a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })
}

/// An account with what distribution counts of it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentLoad {
    #[schema(value_type = schema::Agent)]
    pub agent: store::AgentRecord,
    /// The presence distribution counts: the chosen status, or `offline` once every console
    /// of theirs has been gone for the site's `offline_after_minutes`.
    pub presence: Presence,
    /// Consultations held now (in progress).
    pub open: u32,
}

impl From<AgentLoadRecord> for AgentLoad {
    fn from(r: AgentLoadRecord) -> Self {
        AgentLoad {
            agent: r.agent,
            presence: r.presence,
            open: r.open,
        }
    }
}

/// The caller's presence and load (`3/10` is `open`/`agent.max_concurrent`).
#[utoipa::path(
    get,
    path = "/me/presence",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The caller's presence and load.", body = AgentLoad),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn get_presence(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<AgentLoad>, ApiError> {
    Ok(Json(st.app.my_load(&agent).await?.into()))
}

/// What an agent switches in the console header; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenceRequest {
    #[serde(default)]
    #[schema(value_type = Option<Presence>)]
    pub status: Option<String>,
    /// `false`: the "takes no consultations" switch on.
    #[serde(default)]
    pub takes_consultations: Option<bool>,
}

/// The caller switches their status (online, away, offline) or whether they take
/// consultations. Coming online (or raising what they take) lets distribution give them the
/// longest-waiting consultations they may take at once.
#[utoipa::path(
    put,
    path = "/me/presence",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    request_body = PresenceRequest,
    responses(
        (status = 200, description = "The caller's presence and load now.", body = AgentLoad),
        (status = 400, description = "The body is not a presence change.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "An unknown `status` (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn set_presence(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    body: Result<Body<PresenceRequest>, ApiError>,
) -> Result<Json<AgentLoad>, ApiError> {
    let Body(req) = body?;
    let status = req
        .status
        .as_deref()
        .map(str::parse::<Presence>)
        .transpose()?;
    let a = st
        .app
        .set_presence(
            &agent,
            PresenceChange {
                status,
                takes_consultations: req.takes_consultations,
            },
        )
        .await?;
    Ok(Json(st.app.my_load(&a).await?.into()))
}

/// Every account of the site with its presence and load.
#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub agents: Vec<AgentLoad>,
}

/// The live board: every account with its presence and load (managers and the admin).
#[utoipa::path(
    get,
    path = "/agents/board",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every account of the site, with presence and load.", body = Board),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent (the board is for managers and the admin).", body = ErrorBody),
    )
)]
pub async fn board(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<Board>, ApiError> {
    let agents = st.app.agent_board(&agent).await?;
    Ok(Json(Board {
        agents: agents.into_iter().map(AgentLoad::from).collect(),
    }))
}

/// How an account is given consultations; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRequest {
    /// 1 to 100.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub max_concurrent: Option<serde_json::Number>,
    /// Categories of the site's tree (top level, not divisions) served in `by_category` mode
    /// (empty: all); at most 100.
    #[serde(default)]
    #[schema(value_type = Option<Vec<sangdam_core::CategoryId>>, max_items = 100)]
    pub serves_categories: Option<Vec<serde_json::Number>>,
    /// Channels served in `by_channel` mode (empty: all).
    #[serde(default)]
    #[schema(value_type = Option<Vec<Channel>>)]
    pub serves_channels: Option<Vec<String>>,
}

/// The admin sets an account's limit of concurrent consultations and the categories and
/// channels it serves. A raised limit is filled from the queue at once.
#[utoipa::path(
    put,
    path = "/agents/{id}/routing",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    params(AgentPath),
    request_body = RoutingRequest,
    responses(
        (status = 200, description = "The account as it is now.", body = AgentLoad),
        (status = 400, description = "The body is not a routing change.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such account on the site, or a served category that is none of the site's.", body = ErrorBody),
        (status = 409, description = "A served category is a division of the site's tree (agents serve categories).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A limit outside 1–100, a category id that is not a positive whole number, too many categories (`invalid_field`), or an unknown channel (`invalid_channel`).", body = ErrorBody),
    )
)]
pub async fn set_routing(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): AgentPath,
    body: Result<Body<RoutingRequest>, ApiError>,
) -> Result<Json<AgentLoad>, ApiError> {
    let Body(req) = body?;
    let max_concurrent = req
        .max_concurrent
        .as_ref()
        .map(|n| {
            number_in(
                "max_concurrent",
                n,
                1..=i64::from(sangdam_core::MAX_OPEN_LIMIT),
            )
        })
        .transpose()?;
    let serves_categories = match &req.serves_categories {
        None => None,
        Some(list) if list.len() > 100 => {
            return Err(field_error(
                "serves_categories",
                "at most 100 categories".into(),
            ));
        }
        Some(list) => {
            let mut ids = Vec::with_capacity(list.len());
            for n in list {
                let id = id_number(n).ok_or_else(|| {
                    field_error(
                        "serves_categories",
                        "category ids are positive whole numbers".into(),
                    )
                })?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Some(ids)
        }
    };
    let serves_channels = match &req.serves_channels {
        None => None,
        Some(list) => {
            let mut channels = Vec::with_capacity(list.len());
            for c in list {
                let channel: Channel = c.parse().map_err(|_| {
                    ApiError::invalid(
                        ErrorCode::InvalidChannel,
                        format!(
                            "{c:?} is not a channel: expected webchat_v1, webchat_v2, kakao or naver"
                        ),
                    )
                })?;
                if !channels.contains(&channel) {
                    channels.push(channel);
                }
            }
            Some(channels)
        }
    };
    let a = st
        .app
        .set_routing(
            &admin,
            id,
            &RoutingChange {
                max_concurrent,
                serves_categories,
                serves_channels,
            },
        )
        .await?;
    Ok(Json(st.app.my_load(&a).await?.into()))
}

/// How a site's consultations reach agents.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistributionView {
    pub mode: DistributionMode,
    /// A returning customer goes to the agent who served them last when that agent is free.
    pub prefer_last_agent: bool,
    /// An agent whose consoles have all been gone this long counts as offline (1–60).
    pub offline_after_minutes: u32,
    /// An assigned consultation unanswered this long goes back to distribution (1–240);
    /// `null`: never.
    pub reclaim_after_minutes: Option<u32>,
    /// The most consultations that may wait in the queue (1–10000); one more arriving is
    /// closed at once with the over-capacity message (end type `over_capacity`). `null`: no
    /// limit.
    pub max_waiting: Option<u32>,
}

impl From<DistributionSettings> for DistributionView {
    fn from(s: DistributionSettings) -> Self {
        DistributionView {
            mode: s.mode,
            prefer_last_agent: s.prefer_last_agent,
            offline_after_minutes: s.offline_after_minutes,
            reclaim_after_minutes: s.reclaim_after_minutes,
            max_waiting: s.max_waiting,
        }
    }
}

/// The site's distribution settings (every account reads them; the console shows the mode).
#[utoipa::path(
    get,
    path = "/site/distribution",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The settings.", body = DistributionView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn get_settings(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<DistributionView>, ApiError> {
    Ok(Json(
        st.app.distribution_settings(agent.site_id).await?.into(),
    ))
}

/// New distribution settings; absent fields stay as they are (`reclaim_after_minutes: null`
/// turns reclaim off, `max_waiting: null` lifts the queue limit).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistributionRequest {
    #[serde(default)]
    #[schema(value_type = Option<DistributionMode>)]
    pub mode: Option<String>,
    #[serde(default)]
    pub prefer_last_agent: Option<bool>,
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 60)]
    pub offline_after_minutes: Option<serde_json::Number>,
    #[serde(default, deserialize_with = "crate::api::extract::present")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 240, nullable)]
    pub reclaim_after_minutes: Option<Option<serde_json::Number>>,
    #[serde(default, deserialize_with = "crate::api::extract::present")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 10000, nullable)]
    pub max_waiting: Option<Option<serde_json::Number>>,
}

/// The admin chooses the distribution mode and its timers. Switching to an automatic mode
/// distributes the queue at once.
#[utoipa::path(
    put,
    path = "/site/distribution",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    request_body = DistributionRequest,
    responses(
        (status = 200, description = "The settings as saved.", body = DistributionView),
        (status = 400, description = "The body is not a settings change.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "An unknown mode or a time out of range (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn save_settings(
    State(st): State<AppState>,
    Admin(admin): Admin,
    body: Result<Body<DistributionRequest>, ApiError>,
) -> Result<Json<DistributionView>, ApiError> {
    let Body(req) = body?;
    let mut s = st.app.distribution_settings(admin.site_id).await?;
    if let Some(mode) = req.mode.as_deref() {
        s.mode = mode.parse()?;
    }
    if let Some(p) = req.prefer_last_agent {
        s.prefer_last_agent = p;
    }
    if let Some(n) = &req.offline_after_minutes {
        s.offline_after_minutes = number_in(
            "offline_after_minutes",
            n,
            1..=i64::from(sangdam_core::MAX_OFFLINE_AFTER_MINUTES),
        )?;
    }
    match &req.reclaim_after_minutes {
        None => {}
        Some(None) => s.reclaim_after_minutes = None,
        Some(Some(n)) => {
            s.reclaim_after_minutes = Some(number_in(
                "reclaim_after_minutes",
                n,
                1..=i64::from(sangdam_core::MAX_RECLAIM_AFTER_MINUTES),
            )?);
        }
    }
    match &req.max_waiting {
        None => {}
        Some(None) => s.max_waiting = None,
        Some(Some(n)) => {
            s.max_waiting = Some(number_in(
                "max_waiting",
                n,
                1..=i64::from(sangdam_core::MAX_QUEUE_LIMIT),
            )?);
        }
    }
    st.app.save_distribution_settings(&admin, &s).await?;
    Ok(Json(s.into()))
}

/// The queue, in the order it is served.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueView {
    #[schema(value_type = Vec<schema::QueuePlace>)]
    pub places: Vec<QueuePlace>,
}

/// The site's queue: waiting consultations oldest first, with positions and estimated waits.
#[utoipa::path(
    get,
    path = "/queue",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The queue.", body = QueueView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn queue(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<QueueView>, ApiError> {
    Ok(Json(QueueView {
        places: st.app.queue(agent.site_id).await?,
    }))
}

/// The account a consultation is given to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    #[serde(deserialize_with = "crate::api::extract::account_id")]
    pub agent_id: AgentId,
}

/// A manager gives a consultation (waiting, or another agent's) to an agent directly, within
/// that agent's limit; recorded on its timeline.
#[utoipa::path(
    post,
    path = "/consultations/{id}/assign",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Assigned.", body = ConsultationAnswer),
        (status = 400, description = "The body is not an assignment.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent (only managers and the admin assign).", body = ErrorBody),
        (status = 404, description = "No such consultation or account on the site.", body = ErrorBody),
        (status = 409, description = "Closed, already with that agent, or the agent is at their limit (`limit_reached`).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
    )
)]
pub async fn assign(
    State(st): State<AppState>,
    AuthAgent(manager): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Result<Body<AssignRequest>, ApiError>,
) -> Result<Json<ConsultationAnswer>, ApiError> {
    let Body(req) = body?;
    let consultation = st.app.reassign(&manager, id, req.agent_id).await?;
    Ok(Json(ConsultationAnswer { consultation }))
}

/// A category or division named in a body: a well-formed id (one of nothing is the tree's to
/// say, 404), else refused naming `field`.
fn category_ref(
    field: &str,
    n: Option<&serde_json::Number>,
) -> Result<Option<sangdam_core::CategoryId>, ApiError> {
    n.map(|n| {
        id_number(n)
            .map(sangdam_core::CategoryId::new)
            .ok_or_else(|| field_error(field, format!("{field} is a positive whole number")))
    })
    .transpose()
}

/// Why a consultation goes back to the queue, and into which category (each optional).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBackRequest {
    /// At most 200 characters, shown on the timeline.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub note: Option<String>,
    /// A category of the site's tree in use to send it into (or the one it has). Without a
    /// `division_id`, it keeps its division when this is its category, and has none otherwise.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub category_id: Option<serde_json::Number>,
    /// A division in use of that category (given alone, its category is taken).
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub division_id: Option<serde_json::Number>,
}

/// The holder (or a manager) sends an assigned consultation back to distribution; it keeps its
/// place by when it first started waiting. With a `category_id` or `division_id` it is
/// reclassified in the same step (recorded on its timeline and among its classification
/// changes), and distribution then places it by that category (`by_category`: with an agent
/// who serves it).
#[utoipa::path(
    post,
    path = "/consultations/{id}/send-back",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body = SendBackRequest,
    responses(
        (status = 200, description = "Waiting again.", body = ConsultationAnswer),
        (status = 400, description = "The body is not a send-back.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent, and the consultation is not theirs.", body = ErrorBody),
        (status = 404, description = "No such consultation the caller may see, or a `category_id` or `division_id` that names nothing of the site's tree.", body = ErrorBody),
        (status = 409, description = "Not assigned (waiting, closed) or changed meanwhile (`conflict`); or the site's tree refuses the category: `not_a_category` (a division as `category_id`), `not_a_division` (a category as `division_id`), `division_not_of_category`, `category_unused` (switched off).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A note over 200 characters, or an id that is not a positive whole number (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn send_back(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Result<Body<SendBackRequest>, ApiError>,
) -> Result<Json<ConsultationAnswer>, ApiError> {
    let Body(req) = body?;
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > sangdam_core::MAX_TRANSFER_NOTE_CHARS) {
        return Err(field_error(
            "note",
            format!(
                "a note has at most {} characters",
                sangdam_core::MAX_TRANSFER_NOTE_CHARS
            ),
        ));
    }
    let category = category_ref("category_id", req.category_id.as_ref())?;
    let division = category_ref("division_id", req.division_id.as_ref())?;
    let into = (category.is_some() || division.is_some()).then_some((category, division));
    let consultation = st.app.send_back(&agent, id, into, note).await?;
    Ok(Json(ConsultationAnswer { consultation }))
}

/// The agent asked to take a consultation over, and a note for them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequestBody {
    #[serde(deserialize_with = "crate::api::extract::account_id")]
    pub to_agent_id: AgentId,
    /// At most 200 characters.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub note: Option<String>,
}

/// A transfer request: made, answered or lapsed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferView {
    #[schema(value_type = schema::Transfer)]
    pub transfer: TransferRecord,
}

/// The holder asks another agent to take a consultation over. The other accepts (it becomes
/// theirs, within their limit) or declines; unanswered, the request lapses after two minutes
/// and the consultation stays with the sender.
#[utoipa::path(
    post,
    path = "/consultations/{id}/transfers",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body = TransferRequestBody,
    responses(
        (status = 200, description = "Requested.", body = TransferView),
        (status = 400, description = "The body is not a transfer request.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent, and the consultation is not theirs.", body = ErrorBody),
        (status = 404, description = "No such consultation the caller may see, or no such account on the site.", body = ErrorBody),
        (status = 409, description = "Not in progress, not held by the caller, to the caller themselves, or a request is already waiting (`conflict`).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A note over 200 characters (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn request_transfer(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Result<Body<TransferRequestBody>, ApiError>,
) -> Result<Json<TransferView>, ApiError> {
    let Body(req) = body?;
    let transfer = st
        .app
        .request_transfer(
            &agent,
            id,
            req.to_agent_id,
            req.note.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(Json(TransferView { transfer }))
}

/// Transfer requests waiting for an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferList {
    #[schema(value_type = Vec<schema::Transfer>)]
    pub transfers: Vec<TransferRecord>,
}

/// The caller's pending transfer requests, sent and received.
#[utoipa::path(
    get,
    path = "/transfers",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Pending requests to or from the caller.", body = TransferList),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn transfers(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<TransferList>, ApiError> {
    Ok(Json(TransferList {
        transfers: st.app.pending_transfers(&agent).await?,
    }))
}

async fn answer(
    st: &AppState,
    agent: &store::AgentRecord,
    id: i64,
    accept: bool,
) -> Result<Json<TransferView>, ApiError> {
    let (transfer, _) = st.app.answer_transfer(agent, id, accept).await?;
    Ok(Json(TransferView { transfer }))
}

/// The agent asked accepts: the consultation becomes theirs (within their limit).
#[utoipa::path(
    post,
    path = "/transfers/{id}/accept",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    params(TransferPath),
    responses(
        (status = 200, description = "Accepted; the consultation is the caller's.", body = TransferView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such request to the caller.", body = ErrorBody),
        (status = 409, description = "Answered or lapsed already, the consultation moved meanwhile, or the caller is at their limit (`limit_reached`).", body = ErrorBody),
    )
)]
pub async fn accept_transfer(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): TransferPath,
) -> Result<Json<TransferView>, ApiError> {
    answer(&st, &agent, id.0, true).await
}

/// The agent asked declines: the consultation stays with the sender.
#[utoipa::path(
    post,
    path = "/transfers/{id}/decline",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    params(TransferPath),
    responses(
        (status = 200, description = "Declined.", body = TransferView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such request to the caller.", body = ErrorBody),
        (status = 409, description = "Answered or lapsed already.", body = ErrorBody),
    )
)]
pub async fn decline_transfer(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): TransferPath,
) -> Result<Json<TransferView>, ApiError> {
    answer(&st, &agent, id.0, false).await
}

/// The sender withdraws a request nobody has answered yet: the consultation stays theirs.
#[utoipa::path(
    post,
    path = "/transfers/{id}/withdraw",
    tag = "distribution",
    security(("session" = []), ("bearer" = [])),
    params(TransferPath),
    responses(
        (status = 200, description = "Withdrawn.", body = TransferView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such request from the caller.", body = ErrorBody),
        (status = 409, description = "Answered or lapsed already.", body = ErrorBody),
    )
)]
pub async fn withdraw_transfer(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): TransferPath,
) -> Result<Json<TransferView>, ApiError> {
    let transfer = st.app.withdraw_transfer(&agent, id.0).await?;
    Ok(Json(TransferView { transfer }))
}
