//! Profiles: what agents see of a customer across channels, their edits, and recorded mobile
//! verifications. The admin and managers reach every profile of their site; an agent reads the
//! profiles of the customers one of whose consultations is their business and edits one only
//! while holding an open consultation of it; only the admin records verifications
//! ([`app::access`]).

use axum::Json;
use axum::extract::State;
use inflow::{Channel, Slot};
use sangdam_core::{
    Action, AgentId, ConsultationId, ConsultationState, Grade, ProfileEdit, ProfileId, RoomId,
    VerificationMethod,
};
use serde::{Deserialize, Deserializer, Serialize};
use store::{MemoRecord, ProfileRecord, RoomRecord};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, IdPath, ProfilePath};
use crate::api::{patterns, schema};
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_profile, edit_profile))
        .routes(routes!(verify_mobile))
}

/// A custom value under the label the site gave its slot.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomValue {
    /// `parameter1` … `parameter10`.
    pub param: &'static str,
    pub label: String,
    pub value: String,
}

/// How the mobile number was verified.
#[derive(Debug, Serialize, ToSchema)]
pub struct MobileVerificationView {
    pub method: String,
    pub verified_at: Option<i64>,
}

/// One consultation of the customer's history, on any channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub consultation_id: ConsultationId,
    pub room_id: RoomId,
    pub channel: Channel,
    pub state: ConsultationState,
    pub state_code: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub agent_id: Option<AgentId>,
}

/// A profile as agents see it: its values, custom values labelled by the site's slot
/// descriptions, its rooms and its history across channels.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub profile_id: ProfileId,
    pub site_uid: Option<String>,
    pub verified: bool,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub mobile_verification: Option<MobileVerificationView>,
    pub email: Option<String>,
    pub custom: Vec<CustomValue>,
    #[schema(value_type = Vec<schema::Room>)]
    pub rooms: Vec<RoomRecord>,
    pub history: Vec<HistoryEntry>,
    /// How the site treats the customer: `blocked` customers' new consultations are answered
    /// with the `blocked` message and closed as they open, reaching no agent.
    pub grade: Grade,
    /// An agent's flag on the customer.
    pub flagged: bool,
    /// The customer's tags, in the order they were added.
    pub tags: Vec<String>,
    /// The memo: its newest version (`null` when none was ever written; an empty body when it
    /// was cleared).
    pub memo: Option<MemoView>,
    /// The memo's earlier versions, newest first (at most 49).
    pub memo_history: Vec<MemoView>,
}

/// One version of the memo on a customer: who wrote what, when.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemoView {
    pub agent_id: AgentId,
    /// The writer's display name as it is now.
    pub agent_name: String,
    /// Empty: the memo was cleared.
    pub body: String,
    pub created_at: i64,
}

impl From<MemoRecord> for MemoView {
    fn from(m: MemoRecord) -> Self {
        MemoView {
            agent_id: m.agent_id,
            agent_name: m.agent_name,
            body: m.body,
            created_at: m.created_at,
        }
    }
}

/// The profile with custom values labelled by the site's slot descriptions, and what agents
/// keep about the customer.
pub(crate) async fn profile_view(st: &AppState, p: ProfileRecord) -> Result<ProfileView, ApiError> {
    let site = st.app.store.site(p.site_id).await?;
    let custom = p
        .custom
        .iter()
        .map(|(slot, value): (&Slot, &String)| CustomValue {
            param: slot.name(),
            label: site.settings.label(*slot).to_owned(),
            value: value.clone(),
        })
        .collect();
    let rooms = st.app.store.rooms_of_profile(p.id).await?;
    let history = st
        .app
        .store
        .history_of_profile(p.id)
        .await?
        .into_iter()
        .map(|c| HistoryEntry {
            consultation_id: c.id,
            room_id: c.room_id,
            channel: c.channel,
            state: c.state,
            state_code: c.state_code,
            created_at: c.created_at,
            closed_at: c.closed_at,
            agent_id: c.agent_id,
        })
        .collect();
    let notes = st.app.customer_notes(&p).await?;
    let mut memos = notes.memos.into_iter().map(MemoView::from);
    let memo = memos.next();
    let mobile_verification = p.mobile_method.map(|method| MobileVerificationView {
        method,
        verified_at: p.mobile_verified_at,
    });
    Ok(ProfileView {
        profile_id: p.id,
        site_uid: p.site_uid,
        verified: p.verified,
        name: p.name,
        phone: p.phone,
        mobile: p.mobile,
        mobile_verification,
        email: p.email,
        custom,
        rooms,
        history,
        grade: p.grade,
        flagged: p.flagged,
        tags: notes.tags,
        memo,
        memo_history: memos.collect(),
    })
}

/// A profile with its rooms and history across channels. An agent reads the profile of a
/// customer one of whose consultations waits in the queue or is theirs.
#[utoipa::path(
    get,
    path = "/profiles/{id}",
    tag = "profiles",
    security(("session" = []), ("bearer" = [])),
    params(ProfilePath),
    responses(
        (status = 200, description = "The profile.", body = ProfileView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
(status = 404, description = "No such profile on the caller's site, or one an agent may not read (no consultation of the customer is in the queue or theirs).", body = ErrorBody),
    )
)]
pub async fn get_profile(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ProfilePath,
) -> Result<Json<ProfileView>, ApiError> {
    let p = st.app.profile_for(&agent, id, Action::Read).await?;
    Ok(Json(profile_view(&st, p).await?))
}

/// An agent's edit of a profile: each value given replaces the stored one (`""` clears it);
/// one left out is kept. The mobile number is not editable: a body naming `mobile` is refused.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileEditRequest {
    /// At most 100 characters (trimmed), no control characters.
    #[serde(default)]
    #[schema(schema_with = profile_text_schema)]
    pub name: Option<String>,
    /// A phone number (trimmed): an optional `+`, 3 to 20 digits, at most three of
    /// ` ( ) . -` in a row between them; `""` clears it.
    #[serde(default)]
    #[schema(schema_with = phone_schema)]
    pub phone: Option<String>,
    /// One address `local@domain` (trimmed, at most 100 characters) without spaces, quotes,
    /// angle brackets, parentheses, commas, colons or semicolons; `""` clears it.
    #[serde(default)]
    #[schema(schema_with = email_schema)]
    pub email: Option<String>,
    /// Present (with any value) only to be refused: `mobile_not_editable`.
    #[serde(default, deserialize_with = "present")]
    #[schema(ignore)]
    pub mobile: Option<serde::de::IgnoredAny>,
}

/// Longest name, phone and e-mail (core's limit for an edit).
const MAX_PROFILE_CHARS: usize = 100;

fn profile_text_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::trimmed_text(MAX_PROFILE_CHARS, false), true)
}

fn phone_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::phone_or_empty(), true)
}

fn email_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::email_or_empty(MAX_PROFILE_CHARS), true)
}

/// A field that is there, whatever its value (`null` included).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<serde::de::IgnoredAny>, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(Some)
}

/// Edit a profile's name, phone and e-mail. The verified mobile is refused. The admin and
/// managers edit any profile of their site, an agent only one of a customer whose open
/// consultation they hold.
#[utoipa::path(
    patch,
    path = "/profiles/{id}",
    tag = "profiles",
    security(("session" = []), ("bearer" = [])),
    params(ProfilePath),
    request_body = ProfileEditRequest,
    responses(
        (status = 200, description = "The edited profile.", body = ProfileView),
        (status = 400, description = "The body is not a profile edit.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who reads the profile but holds no open consultation of the customer.", body = ErrorBody),
(status = 404, description = "No such profile on the caller's site, or one an agent may not read (no consultation of the customer is in the queue or theirs).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`mobile_not_editable`, or a refused value (`invalid_field`, the field in `details.field`).", body = ErrorBody),
    )
)]
pub async fn edit_profile(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ProfilePath,
    body: Result<Body<ProfileEditRequest>, ApiError>,
) -> Result<Json<ProfileView>, ApiError> {
    let Body(req) = body?;
    let edit = ProfileEdit {
        name: req.name,
        phone: req.phone,
        email: req.email,
    };
    let p = st
        .app
        .edit_profile(&agent, id, &edit, req.mobile.is_some())
        .await?;
    Ok(Json(profile_view(&st, p).await?))
}

/// A completed verification of the customer's mobile number.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MobileVerification {
    /// A Korean mobile number (`010-1234-5678`, `+82 10-1234-5678`, …).
    #[schema(
        pattern = r"^[- ]*(\+[- ]*8[- ]*2[- ]*(0[- ]*)?|0[- ]*)1[- ]*[016789]([- ]*[0-9]){7,8}[- ]*$"
    )]
    pub mobile: String,
    #[schema(value_type = VerificationMethod)]
    pub method: String,
}

/// The site's server (an admin credential) records a completed verification: the only way a
/// mobile number is ever set.
#[utoipa::path(
    post,
    path = "/profiles/{id}/mobile-verifications",
    tag = "profiles",
    security(("session" = []), ("bearer" = [])),
    params(ProfilePath),
    request_body = MobileVerification,
    responses(
        (status = 200, description = "The profile with its verified mobile.", body = ProfileView),
        (status = 400, description = "The body is not a verification.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the admin credential.", body = ErrorBody),
        (status = 404, description = "No such profile on the caller's site (or, to an agent, one they may not read).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "Not a Korean mobile number, or an unknown method (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn verify_mobile(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ProfilePath,
    body: Result<Body<MobileVerification>, ApiError>,
) -> Result<Json<ProfileView>, ApiError> {
    let Body(req) = body?;
    let p = st
        .app
        .record_mobile_verification(&agent, id, &req.mobile, &req.method)
        .await?;
    Ok(Json(profile_view(&st, p).await?))
}
