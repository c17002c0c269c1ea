//! Rooms: the list, one room with its consultations, inflows and link journal, its messages,
//! and setting or correcting its ID (with a preview of what that would link). The admin and
//! managers reach every room of their site; an agent reads the rooms of the customers one of
//! whose consultations is their business, and sets a room's ID only while holding an open
//! consultation in it ([`app::access`]).

use axum::Json;
use axum::extract::{Query, State};
use inflow::{Channel, Custom};
use sangdam_core::{
    Action, AgentId, CategoryId, ConsultationId, ConsultationState, EndType, ProfileId, RoomId,
};
use serde::{Deserialize, Serialize};
use store::{
    AgentRecord, ConsultationRecord, InflowRecord, LinkRecord, MessageRecord, ProfileRecord,
    RoomRecord,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, IdPath, ListFilter, RoomPath};
use crate::api::schema;
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rooms))
        .routes(routes!(get_room))
        .routes(routes!(room_messages))
        .routes(routes!(link_preview))
        .routes(routes!(link_room))
}

/// The room `id` if the agent may read it.
pub(crate) async fn readable_room(
    st: &AppState,
    agent: &AgentRecord,
    id: RoomId,
) -> Result<RoomRecord, ApiError> {
    Ok(st.app.room_for(agent, id, Action::Read).await?)
}

/// A room with its latest consultation.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomSummary {
    #[schema(value_type = schema::Room)]
    pub room: RoomRecord,
    #[schema(value_type = Option<schema::Consultation>)]
    pub latest_consultation: Option<ConsultationRecord>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoomList {
    pub rooms: Vec<RoomSummary>,
}

/// Rooms with their latest consultation, newest first: every room for the admin and managers;
/// for an agent, the rooms of the customers one of whose consultations (in any of their rooms)
/// waits in the queue or is assigned to them.
#[utoipa::path(
    get,
    path = "/rooms",
    tag = "rooms",
    security(("session" = []), ("bearer" = [])),
    params(ListFilter),
    responses(
        (status = 200, description = "The rooms the caller may read.", body = RoomList),
        (status = 400, description = "A query value of the wrong kind (`mine`, `limit`).", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 422, description = "An unknown `state` (`invalid_field`) or `channel` (`invalid_channel`).", body = ErrorBody),
    )
)]
pub async fn list_rooms(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    q: ListFilter,
) -> Result<Json<RoomList>, ApiError> {
    let rooms = st
        .app
        .rooms(&agent, q.into())
        .await?
        .into_iter()
        .map(|(room, latest_consultation)| RoomSummary {
            room,
            latest_consultation,
        })
        .collect();
    Ok(Json(RoomList { rooms }))
}

/// One consultation of a room, as the room view shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomConsultation {
    pub consultation_id: ConsultationId,
    pub state: ConsultationState,
    pub state_code: i64,
    pub channel: Channel,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub end_type: Option<EndType>,
    pub agent_id: Option<AgentId>,
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    pub sub_label: Option<String>,
    pub user_parameter: Option<String>,
    #[schema(value_type = schema::Custom)]
    pub custom: Custom,
    #[schema(value_type = Vec<schema::Inflow>)]
    pub inflows: Vec<InflowRecord>,
}

/// A room: its channel and key, its profile, every consultation with its inflow parameters and
/// warnings, the link journal, and the consultation-info link when the site has a template.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomView {
    pub room_id: RoomId,
    pub channel: Channel,
    pub customer_key: String,
    pub profile_id: ProfileId,
    pub created_at: i64,
    pub consultations: Vec<RoomConsultation>,
    #[schema(value_type = Vec<schema::Link>)]
    pub journal: Vec<LinkRecord>,
    /// The consultation-info link rendered from the site's template (absent without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info_url: Option<String>,
}

/// The room with its consultations, as the room view shows them.
async fn room_view(st: &AppState, room: &RoomRecord) -> Result<RoomView, ApiError> {
    let mut consultations = Vec::new();
    for c in st.app.store.consultations_of_room(room.id).await? {
        let inflows = st.app.store.inflows_of_consultation(c.id).await?;
        consultations.push(RoomConsultation {
            consultation_id: c.id,
            state: c.state,
            state_code: c.state_code,
            channel: c.channel,
            created_at: c.created_at,
            closed_at: c.closed_at,
            end_type: c.end_type,
            agent_id: c.agent_id,
            category_id: c.category_id,
            division_id: c.division_id,
            sub_label: c.sub_label,
            user_parameter: c.user_parameter,
            custom: c.custom,
            inflows,
        });
    }
    Ok(RoomView {
        room_id: room.id,
        channel: room.channel,
        customer_key: room.customer_key.clone(),
        profile_id: room.profile_id,
        created_at: room.created_at,
        consultations,
        journal: st.app.store.link_journal(room.id).await?,
        info_url: None,
    })
}

/// A room with every consultation's inflow parameters and warnings, its link journal and the
/// consultation-info link.
#[utoipa::path(
    get,
    path = "/rooms/{id}",
    tag = "rooms",
    security(("session" = []), ("bearer" = [])),
    params(RoomPath),
    responses(
        (status = 200, description = "The room.", body = RoomView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
(status = 404, description = "No such room on the caller's site, or one an agent may not read (no consultation of its customer is in the queue or theirs).", body = ErrorBody),
    )
)]
pub async fn get_room(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): RoomPath,
) -> Result<Json<RoomView>, ApiError> {
    let room = readable_room(&st, &agent, id).await?;
    let mut v = room_view(&st, &room).await?;
    let site = st.app.store.site(agent.site_id).await?;
    let profile = st.app.store.profile(room.profile_id).await?;
    if let Some(template) = site.info_url_template.as_deref()
        && let Ok(t) = inflow::Template::parse(template)
    {
        let open = st.app.store.open_consultation(room.id).await?;
        let latest = match open {
            Some(c) => Some(c),
            None => st.app.store.consultations_of_room(room.id).await?.pop(),
        };
        let tree = st.app.store.category_tree(site.id).await?;
        v.info_url = Some(crate::channels::render_info_url(
            &t,
            &room,
            &profile,
            latest.as_ref(),
            &tree,
        ));
    }
    Ok(Json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AfterQuery {
    /// Only messages after this number of the room's sequence (a message's `seq`).
    #[serde(default)]
    pub after: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    #[schema(value_type = Vec<schema::Message>)]
    pub messages: Vec<MessageRecord>,
}

/// Messages of a room, oldest first (at most 1000).
#[utoipa::path(
    get,
    path = "/rooms/{id}/messages",
    tag = "rooms",
    security(("session" = []), ("bearer" = [])),
    params(RoomPath, AfterQuery),
    responses(
        (status = 200, description = "The messages.", body = MessageList),
        (status = 400, description = "`after` is not a number.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
(status = 404, description = "No such room on the caller's site, or one an agent may not read (no consultation of its customer is in the queue or theirs).", body = ErrorBody),
    )
)]
pub async fn room_messages(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): RoomPath,
    Query(q): Query<AfterQuery>,
) -> Result<Json<MessageList>, ApiError> {
    let room = readable_room(&st, &agent, id).await?;
    let messages = st
        .app
        .store
        .room_messages(room.id, q.after.unwrap_or(0), 1000)
        .await?;
    Ok(Json(MessageList { messages }))
}

/// The ID to give a room.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkRequest {
    /// The site's ID of the customer.
    #[schema(schema_with = site_uid_schema)]
    pub site_uid: String,
}

/// `?site_uid=`, required (the derive leaves a parameter with its own schema optional).
#[derive(Debug)]
pub struct SiteUidQuery;

impl IntoParams for SiteUidQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        vec![
            ParameterBuilder::new()
                .name("site_uid")
                .parameter_in(ParameterIn::Query)
                .required(utoipa::openapi::Required::True)
                .description(Some("The ID the room would get."))
                .schema(Some(site_uid_schema()))
                .build(),
        ]
    }
}

/// What an ID may be: at most 255 characters, and not what a chat URL's parser takes for "no
/// ID" (blank, or one of the site's sentinels, by default `undefined`, `null`, `none`, `nil`,
/// `NaN`, `0` and `-` in any case) or for an unfilled placeholder (`{…}`, `[…]`, `<…>`,
/// `('…')`, `("…")`, `${…}`, a field's label such as `고객ID`, or a custom slot's description).
/// The pattern spells out what does not depend on the site: its admin edits the sentinels and
/// the descriptions (`GET /api/v1/site` shows them).
fn site_uid_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let labels: Vec<String> = inflow::Field::ALL
        .iter()
        .map(|f| f.placeholder_label().chars().map(regex_escape).collect())
        .collect();
    // The wrappers of `inflow`'s placeholder rule.
    let wrapped = [
        r"\{[\s\S]*\}",
        r"\[[\s\S]*\]",
        r"<[\s\S]*>",
        r"\('[\s\S]*'\)",
        r#"\("[\s\S]*"\)"#,
        r"\$\{[\s\S]*\}",
    ];
    let ws = crate::api::patterns::ws();
    let pattern = format!(
        r"^(?!{ws}*$)(?!{ws}*(?:{}|{}){ws}*$)[\s\S]*$",
        wrapped.join("|"),
        labels.join("|"),
    );
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(255))
        .pattern(Some(pattern))
        .description(Some(
            "At most 255 characters; not a sentinel of the site (by default `undefined`, `null`, \
             `none`, `nil`, `NaN`, `0`, `-`, blank, in any case) nor an unfilled placeholder \
             (`{…}`, `[…]`, `<…>`, `('…')`, `(\"…\")`, `${…}`, a field's label such as `고객ID`, a \
             custom slot's description).",
        ))
        .build()
}

fn regex_escape(c: char) -> String {
    if r"\^$.|?*+()[]{}-".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// Which profile a room would join with an ID.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkPreview {
    #[schema(value_type = schema::Profile)]
    pub current_profile: ProfileRecord,
    /// The profile of that ID, if there is one.
    #[schema(value_type = Option<schema::Profile>)]
    pub target_profile: Option<ProfileRecord>,
    /// Whether the room would join another profile.
    pub merges: bool,
}

/// Which profile the room would join with `site_uid`: for whoever may set the room's ID (the
/// admin, managers, an agent holding an open consultation in the room).
#[utoipa::path(
    get,
    path = "/rooms/{id}/link-preview",
    tag = "rooms",
    security(("session" = []), ("bearer" = [])),
    params(RoomPath, SiteUidQuery),
    responses(
        (status = 200, description = "What setting the ID would do.", body = LinkPreview),
        (status = 400, description = "No `site_uid`.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who reads the room but holds no open consultation in it.", body = ErrorBody),
(status = 404, description = "No such room on the caller's site, or one an agent may not read (no consultation of its customer is in the queue or theirs).", body = ErrorBody),
        (status = 422, description = "Not a usable ID (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn link_preview(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): RoomPath,
    Query(q): Query<LinkRequest>,
) -> Result<Json<LinkPreview>, ApiError> {
    let p = st.app.link_preview(&agent, id, &q.site_uid).await?;
    Ok(Json(LinkPreview {
        current_profile: p.current_profile,
        target_profile: p.target_profile,
        merges: p.merges,
    }))
}

/// The room's profile after setting its ID, and the journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkAnswer {
    pub room_id: RoomId,
    pub profile_id: ProfileId,
    #[schema(value_type = Vec<schema::Link>)]
    pub journal: Vec<LinkRecord>,
}

/// Set or correct a room's ID; journaled. The admin and managers in any room of their site, an
/// agent only in a room where they hold an open consultation.
#[utoipa::path(
    put,
    path = "/rooms/{id}/site_uid",
    tag = "rooms",
    security(("session" = []), ("bearer" = [])),
    params(RoomPath),
    request_body = LinkRequest,
    responses(
        (status = 200, description = "Linked.", body = LinkAnswer),
        (status = 400, description = "The body is not a link request.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who reads the room but holds no open consultation in it.", body = ErrorBody),
(status = 404, description = "No such room on the caller's site, or one an agent may not read (no consultation of its customer is in the queue or theirs).", body = ErrorBody),
        (status = 409, description = "The room changed in the meantime.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "Not a usable ID (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn link_room(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): RoomPath,
    body: Result<Body<LinkRequest>, ApiError>,
) -> Result<Json<LinkAnswer>, ApiError> {
    let Body(req) = body?;
    let linked = st.app.link_room(&agent, id, &req.site_uid).await?;
    Ok(Json(LinkAnswer {
        room_id: linked.room_id,
        profile_id: linked.profile_id,
        journal: linked.journal,
    }))
}
