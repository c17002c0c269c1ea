//! Consultations: the list, one consultation with its inflows and messages, and what agents
//! do with one (take, reply, close). Who may see and do what is the application's
//! ([`app::access`]): the admin and managers everything of their site; an agent the queue and
//! their own consultations (and the history of the customers of those).

use app::Services;
use app::consultations::Actor;
use axum::Json;
use axum::extract::State;
use sangdam_core::{Action, ConsultationId, EndType, Transition};
use serde::{Deserialize, Serialize};
use store::{AgentRecord, ClassificationRecord, ConsultationRecord, InflowRecord, MessageRecord};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, ConsultationPath, IdPath, ListFilter};
use crate::api::schema;
use crate::auth::AuthAgent;
use crate::channels::Delivery;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new()
        .routes(routes!(list_consultations))
        .routes(routes!(get_consultation, delete_consultation))
        .routes(routes!(take))
        .routes(routes!(close))
        .routes(routes!(send))
        .routes(routes!(mark_read));
    // A close needs no body (`end_type` has a default), but one that is sent is an object, not
    // `null`: the derive can say only one of the two.
    if let Some(body) = router
        .get_openapi_mut()
        .paths
        .paths
        .get_mut("/consultations/{id}/close")
        .and_then(|item| item.post.as_mut())
        .and_then(|op| op.request_body.as_mut())
    {
        body.required = Some(utoipa::openapi::Required::False);
    }
    router
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationList {
    #[schema(value_type = Vec<schema::Consultation>)]
    pub consultations: Vec<ConsultationRecord>,
    /// Per consultation id, how many customer messages came after the agents' read mark
    /// (those with none are left out).
    #[schema(value_type = std::collections::HashMap<String, i64>)]
    pub unread: std::collections::HashMap<ConsultationId, i64>,
    /// Per consultation id, the last message a person wrote in it (the customer, an agent,
    /// the bot), for the list's preview; those with none are left out.
    #[schema(value_type = std::collections::HashMap<String, Preview>)]
    pub last_messages: std::collections::HashMap<ConsultationId, Preview>,
}

/// The start of a message, as a list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    /// `customer`, `agent` or `bot`.
    pub sender: String,
    /// At most 100 characters of it, ending in `…` when cut (a file: its name).
    pub body: String,
    /// `image`, `pdf`, `office`, `archive` or `text` when it carries a file.
    pub file_kind: Option<String>,
    pub created_at: i64,
}

/// Longest preview of a message.
const PREVIEW_CHARS: usize = 100;

impl From<MessageRecord> for Preview {
    fn from(m: MessageRecord) -> Self {
        let mut body: String = m.body.chars().take(PREVIEW_CHARS).collect();
        if m.body.chars().count() > PREVIEW_CHARS {
            body.pop();
            body.push('…');
        }
        Preview {
            sender: m.sender.as_str().to_owned(),
            body,
            file_kind: m.file.map(|f| f.kind.as_str().to_owned()),
            created_at: m.created_at,
        }
    }
}

/// Consultations of the site, newest first: every one for the admin and managers; for an agent,
/// the queue (waiting, no agent) and the consultations assigned to them.
#[utoipa::path(
    get,
    path = "/consultations",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ListFilter),
    responses(
        (status = 200, description = "The consultations the caller may see (an agent: the queue and their own).", body = ConsultationList),
        (status = 400, description = "A query value of the wrong kind (`mine`, `limit`).", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 422, description = "An unknown `state` (`invalid_field`) or `channel` (`invalid_channel`).", body = ErrorBody),
    )
)]
pub async fn list_consultations(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    q: ListFilter,
) -> Result<Json<ConsultationList>, ApiError> {
    let consultations = st.app.consultations(&agent, q.into()).await?;
    let ids: Vec<ConsultationId> = consultations.iter().map(|c| c.id).collect();
    let unread = st.app.store.unread_counts(&ids).await?;
    let last_messages = st
        .app
        .store
        .last_messages(&ids)
        .await?
        .into_iter()
        .map(|(id, m)| (id, Preview::from(m)))
        .collect();
    Ok(Json(ConsultationList {
        consultations,
        unread,
        last_messages,
    }))
}

/// A consultation with its inflows (parameters, warnings), its messages, and the changes
/// agents made to its classification.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationDetail {
    #[schema(value_type = schema::Consultation)]
    pub consultation: ConsultationRecord,
    #[schema(value_type = Vec<schema::Inflow>)]
    pub inflows: Vec<InflowRecord>,
    #[schema(value_type = Vec<schema::Message>)]
    pub messages: Vec<MessageRecord>,
    /// Every assignment, transfer, send-back and reclaim, with who or what did it.
    #[schema(value_type = Vec<schema::TimelineEntry>)]
    pub timeline: Vec<store::TimelineEntry>,
    /// Who set its category, division and sub-label, to what and when, oldest first.
    #[schema(value_type = Vec<schema::Classification>)]
    pub classifications: Vec<ClassificationRecord>,
    /// Why the chatbot handed the customer to agents, for a consultation that started with
    /// it: `{"kind": "operator"}` (the customer asked), `{"kind": "block", "block_id",
    /// "block_name"}` (a block that connects to an agent) or `{"kind": "fallbacks", "in_row"}`
    /// (the bot did not understand them that many times and they took its offer). The bot's
    /// conversation is among `messages` (sender `bot`). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub handoff: Option<serde_json::Value>,
}

/// A consultation, its inflows (parameters and warnings), its messages and its
/// classification changes. An agent reads the
/// queue's, their own, and those of the customers of these (their history across rooms).
#[utoipa::path(
    get,
    path = "/consultations/{id}",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    responses(
        (status = 200, description = "The consultation.", body = ConsultationDetail),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such consultation on the caller's site, or one an agent may not read (not in the queue, not theirs, not of a customer of theirs).", body = ErrorBody),
    )
)]
pub async fn get_consultation(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
) -> Result<Json<ConsultationDetail>, ApiError> {
    let c = st.app.consultation_for(&agent, id, Action::Read).await?;
    let inflows = st.app.store.inflows_of_consultation(c.id).await?;
    let messages = st.app.store.consultation_messages(c.id).await?;
    let timeline = st.app.store.timeline(c.id).await?;
    let classifications = st.app.store.classifications_of(c.id).await?;
    let (_, handoff) = st.app.store.bot_state(c.id).await?;
    let handoff = handoff.and_then(|h| serde_json::from_str(&h).ok());
    Ok(Json(ConsultationDetail {
        consultation: c,
        inflows,
        messages,
        timeline,
        classifications,
        handoff,
    }))
}

/// The consultation after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationAnswer {
    #[schema(value_type = schema::Consultation)]
    pub consultation: ConsultationRecord,
}

async fn change(
    st: &AppState,
    agent: &AgentRecord,
    id: ConsultationId,
    t: Transition,
) -> Result<Json<ConsultationAnswer>, ApiError> {
    let consultation = st.app.transition(Actor::Agent(agent), id, t).await?;
    Ok(Json(ConsultationAnswer { consultation }))
}

/// Take a waiting consultation. Agents take only from the queue.
#[utoipa::path(
    post,
    path = "/consultations/{id}/take",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    responses(
        (status = 200, description = "Taken: in progress with this agent.", body = ConsultationAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent, and the consultation (of a customer of theirs) is another agent's.", body = ErrorBody),
        (status = 404, description = "No such consultation on the caller's site, or one an agent may not read (not in the queue, not theirs, not of a customer of theirs).", body = ErrorBody),
        (status = 409, description = "Its state does not allow it (taken by someone else, closed, …).", body = ErrorBody),
    )
)]
pub async fn take(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
) -> Result<Json<ConsultationAnswer>, ApiError> {
    change(&st, &agent, id, Transition::Take).await
}

/// Why a consultation ends; without it, `agent` for agents and `manager` for managers and the
/// admin.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CloseRequest {
    #[serde(default)]
    #[schema(value_type = Option<EndType>)]
    pub end_type: Option<String>,
}

/// Close a consultation: the admin and managers any open one of their site, an agent only one
/// they hold (a waiting one is taken first).
#[utoipa::path(
    post,
    path = "/consultations/{id}/close",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body(content = CloseRequest, description = "Optional."),
    responses(
        (status = 200, description = "Closed.", body = ConsultationAnswer),
        (status = 400, description = "A JSON body that is not a close request.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent, and the consultation is not theirs (waiting in the queue, or another agent's of a customer of theirs).", body = ErrorBody),
        (status = 404, description = "No such consultation on the caller's site, or one an agent may not read (not in the queue, not theirs, not of a customer of theirs).", body = ErrorBody),
        (status = 409, description = "Already closed.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "An unknown `end_type` (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn close(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Option<Body<CloseRequest>>,
) -> Result<Json<ConsultationAnswer>, ApiError> {
    let req = body.map(|Body(b)| b).unwrap_or_default();
    let end = match req.end_type.as_deref() {
        Some(e) => e.parse::<EndType>()?,
        None => Services::default_end_type(&agent),
    };
    change(&st, &agent, id, Transition::Close(end)).await
}

/// An agent's reply.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AgentMessage {
    /// 1 to 4000 characters once trimmed (3000 to a KakaoTalk user).
    #[schema(schema_with = crate::api::webchat::message_body_schema)]
    pub body: String,
}

/// The stored reply and how it reached (or will reach) the customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentAnswer {
    #[schema(value_type = schema::Message)]
    pub message: MessageRecord,
    pub delivery: Delivery,
}

/// Reply in a consultation: the admin and managers in any open one of their site, an agent
/// only in one they hold.
#[utoipa::path(
    post,
    path = "/consultations/{id}/messages",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body = AgentMessage,
    responses(
        (status = 200, description = "Stored; `delivery` says how it goes out.", body = SentAnswer),
        (status = 400, description = "The body is not a message.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent, and the consultation is not theirs (waiting in the queue: take it first; or another agent's of a customer of theirs).", body = ErrorBody),
        (status = 404, description = "No such consultation on the caller's site, or one an agent may not read (not in the queue, not theirs, not of a customer of theirs).", body = ErrorBody),
        (status = 409, description = "The consultation is closed.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`empty_message`, or `too_long` (over 4000 characters; over 3000 to a KakaoTalk user).", body = ErrorBody),
    )
)]
pub async fn send(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Result<Body<AgentMessage>, ApiError>,
) -> Result<Json<SentAnswer>, ApiError> {
    let Body(req) = body?;
    let reply = st.app.reply(&agent, id, &req.body).await?;
    Ok(Json(SentAnswer {
        message: reply.message,
        delivery: reply.delivery,
    }))
}

/// A read mark: every message up to this one has been read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReadRequest {
    /// A message of the consultation.
    #[schema(value_type = i64, minimum = 1)]
    #[serde(deserialize_with = "crate::api::extract::record_id")]
    pub message_id: i64,
}

/// The agent has read the consultation up to `message_id`: the customer's window shows their
/// messages as read, and the consoles' unread counts drop. A mark never moves back. The
/// holder, managers and the admin mark; another agent may not.
#[utoipa::path(
    post,
    path = "/consultations/{id}/read",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body = ReadRequest,
    responses(
        (status = 204, description = "Marked (or already marked further)."),
        (status = 400, description = "The body is not a read mark (`message_id` must be a positive whole number).", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who does not hold it.", body = ErrorBody),
        (status = 404, description = "No such consultation the caller may see, or `message_id` is no message of it.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
    )
)]
pub async fn mark_read(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Result<Body<ReadRequest>, ApiError>,
) -> Result<axum::http::StatusCode, ApiError> {
    let Body(req) = body?;
    st.app.agent_read(&agent, id, req.message_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// What deleting a consultation's data removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedAnswer {
    /// The consultation, now `deleted`.
    #[schema(value_type = schema::Consultation)]
    pub consultation: ConsultationRecord,
    /// How many messages and files went.
    pub messages: u64,
    pub files: u64,
}

/// The admin deletes a finished consultation's data: its messages (and their place in the
/// search index), the files they carried (their contents too, unless another file holds the
/// same bytes) and its inflows (the chat URLs and parameters). The consultation stays, marked
/// `deleted`, so reports still count it. It cannot be undone; it is in the audit log.
#[utoipa::path(
    delete,
    path = "/consultations/{id}",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    responses(
        (status = 200, description = "Deleted.", body = DeletedAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such consultation on the site.", body = ErrorBody),
        (status = 409, description = "`conflict`: it is still open (close it first), or deleted already.", body = ErrorBody),
    )
)]
pub async fn delete_consultation(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): ConsultationPath,
) -> Result<Json<DeletedAnswer>, ApiError> {
    let d = st.app.delete_consultation_data(&admin, id).await?;
    Ok(Json(DeletedAnswer {
        consultation: d.consultation,
        messages: d.messages,
        files: d.files,
    }))
}
