//! The agents' tools (R3.6): the memo, flag, tags and grade of a customer; the site's tag
//! list; canned replies. Who may do what is the application's ([`app::agent_tools`]).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use sangdam_core::canned::{
    CannedScope, CannedVar, MAX_BODY_CHARS, MAX_SHORTCUT_CHARS, MAX_TITLE_CHARS, Rendered,
};
use sangdam_core::customer::{MAX_MEMO_CHARS, MAX_SITE_TAGS, MAX_TAG_CHARS, MAX_TAGS};
use sangdam_core::{AgentId, ConsultationId, Grade};
use serde::{Deserialize, Serialize};
use store::CannedRecord;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, CannedPath, IdPath, ProfilePath};
use crate::api::patterns;
use crate::api::profiles::{ProfileView, profile_view};
use crate::api::site::Admin;
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(save_memo))
        .routes(routes!(mark_customer))
        .routes(routes!(set_tags))
        .routes(routes!(get_site_tags, put_site_tags))
        .routes(routes!(list_canned, add_canned))
        .routes(routes!(edit_canned, delete_canned))
}

/// A new version of the memo on a customer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MemoRequest {
    /// The memo (trimmed; line breaks and tabs allowed, no other control characters); `""`
    /// clears it. At most 2,000 characters.
    #[schema(schema_with = memo_schema)]
    pub body: String,
}

fn memo_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::trimmed_lines(MAX_MEMO_CHARS, false), false)
}

/// Saves a new version of the memo on a customer; earlier versions stay in its history. The
/// admin and managers write on any customer of their site, an agent while holding an open
/// consultation of the customer.
#[utoipa::path(
    put,
    path = "/profiles/{id}/memo",
    tag = "profiles",
    security(("session" = []), ("bearer" = [])),
    params(ProfilePath),
    request_body = MemoRequest,
    responses(
        (status = 200, description = "The profile, with the new memo.", body = ProfileView),
        (status = 400, description = "The body is not a memo.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who reads the profile but holds no open consultation of the customer.", body = ErrorBody),
        (status = 404, description = "No such profile on the caller's site, or one an agent may not read.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`body`): too long, or a control character.", body = ErrorBody),
    )
)]
pub async fn save_memo(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ProfilePath,
    body: Result<Body<MemoRequest>, ApiError>,
) -> Result<Json<ProfileView>, ApiError> {
    let Body(req) = body?;
    st.app.save_memo(&agent, id, &req.body).await?;
    let p = st.app.store.profile(id).await?;
    Ok(Json(profile_view(&st, p).await?))
}

/// A change of a customer's grade or flag; what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarksRequest {
    #[serde(default)]
    pub grade: Option<Grade>,
    #[serde(default)]
    pub flagged: Option<bool>,
}

/// Sets a customer's grade (`normal`, `vip`, `blocked`) or flag. A blocked customer's new
/// consultations are recorded, answered with the site's `blocked` message and closed as they
/// open (end type `blocked`); one going on when they are blocked goes on. A change of grade is
/// in the audit log.
#[utoipa::path(
    patch,
    path = "/profiles/{id}/marks",
    tag = "profiles",
    security(("session" = []), ("bearer" = [])),
    params(ProfilePath),
    request_body = MarksRequest,
    responses(
        (status = 200, description = "The profile as it now is.", body = ProfileView),
        (status = 400, description = "The body is not a change of marks.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who reads the profile but holds no open consultation of the customer.", body = ErrorBody),
        (status = 404, description = "No such profile on the caller's site, or one an agent may not read.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A value of the wrong type.", body = ErrorBody),
    )
)]
pub async fn mark_customer(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ProfilePath,
    body: Result<Body<MarksRequest>, ApiError>,
) -> Result<Json<ProfileView>, ApiError> {
    let Body(req) = body?;
    let p = st
        .app
        .mark_customer(&agent, id, req.grade, req.flagged)
        .await?;
    Ok(Json(profile_view(&st, p).await?))
}

/// A list of tags.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct TagsBody {
    /// Each trimmed, 1 to 20 characters, without control characters or commas, not starting
    /// with `#`; a repeat (ignoring case) is kept once.
    #[schema(schema_with = tags_schema)]
    pub tags: Vec<String>,
}

fn tag_items() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(patterns::string(patterns::tag(MAX_TAG_CHARS), false))
}

fn tags_schema() -> utoipa::openapi::schema::Array {
    tag_items().max_items(Some(MAX_TAGS)).build()
}

fn site_tags_schema() -> utoipa::openapi::schema::Array {
    tag_items().max_items(Some(MAX_SITE_TAGS)).build()
}

/// The site's tag list.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SiteTagsBody {
    /// At most 100 tags, each as a customer's.
    #[schema(schema_with = site_tags_schema)]
    pub tags: Vec<String>,
}

/// Replaces a customer's tags: the site's or free ones, at most 20.
#[utoipa::path(
    put,
    path = "/profiles/{id}/tags",
    tag = "profiles",
    security(("session" = []), ("bearer" = [])),
    params(ProfilePath),
    request_body = TagsBody,
    responses(
        (status = 200, description = "The profile as it now is.", body = ProfileView),
        (status = 400, description = "The body is not a list of tags.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who reads the profile but holds no open consultation of the customer.", body = ErrorBody),
        (status = 404, description = "No such profile on the caller's site, or one an agent may not read.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`tags`): too many, or a tag that breaks the rules.", body = ErrorBody),
    )
)]
pub async fn set_tags(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ProfilePath,
    body: Result<Body<TagsBody>, ApiError>,
) -> Result<Json<ProfileView>, ApiError> {
    let Body(req) = body?;
    st.app.set_customer_tags(&agent, id, &req.tags).await?;
    let p = st.app.store.profile(id).await?;
    Ok(Json(profile_view(&st, p).await?))
}

/// The site's tag list, which agents pick from (they may type others too).
#[utoipa::path(
    get,
    path = "/site/tags",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The list.", body = SiteTagsBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn get_site_tags(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<SiteTagsBody>, ApiError> {
    Ok(Json(SiteTagsBody {
        tags: st.app.site_tags(agent.site_id).await?,
    }))
}

/// The admin saves the site's tag list. Tags customers already carry stay on them.
#[utoipa::path(
    put,
    path = "/site/tags",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = SiteTagsBody,
    responses(
        (status = 200, description = "The list as saved.", body = SiteTagsBody),
        (status = 400, description = "The body is not a list of tags.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`tags`): too many, or a tag that breaks the rules.", body = ErrorBody),
    )
)]
pub async fn put_site_tags(
    State(st): State<AppState>,
    Admin(admin): Admin,
    body: Result<Body<SiteTagsBody>, ApiError>,
) -> Result<Json<SiteTagsBody>, ApiError> {
    let Body(req) = body?;
    Ok(Json(SiteTagsBody {
        tags: st.app.save_site_tags(&admin, &req.tags).await?,
    }))
}

/// A canned reply.
#[derive(Debug, Serialize, ToSchema)]
pub struct CannedView {
    pub id: i64,
    pub scope: CannedScope,
    /// The agent whose own it is (`null`: shared).
    pub owner_id: Option<AgentId>,
    /// Typed after `/` in the console.
    pub shortcut: String,
    pub title: String,
    /// As saved, with its `[variables]`.
    pub body: String,
    /// Filled in for the consultation asked about (`consultation_id`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered: Option<Rendered>,
    pub updated_at: i64,
}

impl CannedView {
    fn of(r: CannedRecord, rendered: Option<Rendered>) -> Self {
        CannedView {
            id: r.id,
            scope: r.scope(),
            owner_id: r.owner_id,
            shortcut: r.shortcut,
            title: r.title,
            body: r.body,
            rendered,
            updated_at: r.updated_at,
        }
    }
}

/// Canned replies found.
#[derive(Debug, Serialize, ToSchema)]
pub struct CannedList {
    /// Best first: exact shortcut, shortcut prefix, then shortcut, title and body containing
    /// the query; at most 50.
    pub replies: Vec<CannedView>,
}

/// `?q=&consultation_id=` of the canned replies.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CannedQuery {
    /// What was typed after `/` (a leading `/` is ignored; case too). Empty: all.
    #[serde(default)]
    pub q: Option<String>,
    /// Fill the replies in for this consultation (its customer's name, the caller's name);
    /// the caller must be able to read it.
    #[serde(default)]
    #[param(value_type = Option<i64>, minimum = 1)]
    pub consultation_id: Option<ConsultationId>,
}

/// The canned replies the caller may use (the shared ones and their own) that match `q`.
#[utoipa::path(
    get,
    path = "/canned-replies",
    tag = "canned replies",
    security(("session" = []), ("bearer" = [])),
    params(CannedQuery),
    responses(
        (status = 200, description = "The replies found.", body = CannedList),
        (status = 400, description = "A query parameter of the wrong type.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "`consultation_id` names no consultation the caller may read.", body = ErrorBody),
    )
)]
pub async fn list_canned(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    query: Result<Query<CannedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CannedList>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let found = st
        .app
        .canned_replies(&agent, q.q.as_deref().unwrap_or(""), q.consultation_id)
        .await?;
    Ok(Json(CannedList {
        replies: found
            .into_iter()
            .map(|f| CannedView::of(f.reply, f.rendered))
            .collect(),
    }))
}

fn canned_vars() -> Vec<&'static str> {
    CannedVar::ALL.iter().map(|v| v.name()).collect()
}

fn shortcut_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::shortcut(MAX_SHORTCUT_CHARS), false)
}

fn title_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::trimmed_text(MAX_TITLE_CHARS, false), false)
}

fn canned_body_schema() -> utoipa::openapi::Object {
    patterns::string(
        patterns::lines_template(MAX_BODY_CHARS, &canned_vars()),
        false,
    )
}

/// A canned reply's texts.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CannedTexts {
    /// One word of at most 20 characters (no spaces, control characters or `/`); a leading
    /// `/` is dropped. Unique, ignoring case, among the shared replies and among each agent's
    /// own.
    #[schema(schema_with = shortcut_schema)]
    pub shortcut: String,
    /// At most 50 characters; empty takes the body's first line.
    #[serde(default)]
    #[schema(schema_with = title_schema)]
    pub title: String,
    /// At most 4,000 characters; may use `[customer_name]` and `[counselor_name]`.
    #[schema(schema_with = canned_body_schema)]
    pub body: String,
}

/// A new canned reply.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCanned {
    /// `personal` (the caller's own) or `shared` (the site's: managers and the admin).
    pub scope: CannedScope,
    #[serde(flatten)]
    pub texts: CannedTexts,
}

/// Adds a canned reply: one's own, or a shared one (managers and the admin).
#[utoipa::path(
    post,
    path = "/canned-replies",
    tag = "canned replies",
    security(("session" = []), ("bearer" = [])),
    request_body = NewCanned,
    responses(
        (status = 201, description = "The reply.", body = CannedView),
        (status = 400, description = "The body is not a canned reply.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent adding a shared reply.", body = ErrorBody),
        (status = 409, description = "`conflict`: the scope holds its most (500 shared, 200 personal).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`shortcut`, `title` or `body`): e.g. a variable replies may not use, or a shortcut its scope already uses.", body = ErrorBody),
    )
)]
pub async fn add_canned(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    body: Result<Body<NewCanned>, ApiError>,
) -> Result<(StatusCode, Json<CannedView>), ApiError> {
    let Body(req) = body?;
    let t = req.texts;
    let r = st
        .app
        .add_canned_reply(&agent, req.scope, &t.shortcut, &t.title, &t.body)
        .await?;
    Ok((StatusCode::CREATED, Json(CannedView::of(r, None))))
}

/// Changes a canned reply: one's own, or a shared one (managers and the admin).
#[utoipa::path(
    put,
    path = "/canned-replies/{id}",
    tag = "canned replies",
    security(("session" = []), ("bearer" = [])),
    params(CannedPath),
    request_body = CannedTexts,
    responses(
        (status = 200, description = "The reply as it now is.", body = CannedView),
        (status = 400, description = "The body is not a canned reply.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent changing a shared reply.", body = ErrorBody),
        (status = 404, description = "No such reply the caller may see (another agent's own is absent).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`shortcut`, `title` or `body`), a shortcut its scope already uses among them.", body = ErrorBody),
    )
)]
pub async fn edit_canned(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): CannedPath,
    body: Result<Body<CannedTexts>, ApiError>,
) -> Result<Json<CannedView>, ApiError> {
    let Body(t) = body?;
    let r = st
        .app
        .edit_canned_reply(&agent, id.0, &t.shortcut, &t.title, &t.body)
        .await?;
    Ok(Json(CannedView::of(r, None)))
}

/// Deletes a canned reply: one's own, or a shared one (managers and the admin).
#[utoipa::path(
    delete,
    path = "/canned-replies/{id}",
    tag = "canned replies",
    security(("session" = []), ("bearer" = [])),
    params(CannedPath),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent deleting a shared reply.", body = ErrorBody),
        (status = 404, description = "No such reply the caller may see.", body = ErrorBody),
    )
)]
pub async fn delete_canned(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): CannedPath,
) -> Result<StatusCode, ApiError> {
    st.app.delete_canned_reply(&agent, id.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
