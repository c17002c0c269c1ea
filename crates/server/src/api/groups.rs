//! Groups (teams): the admin makes them and puts accounts in them (`PATCH /agents/{id}`,
//! `group_id`); a manager leads the group they are in and sees its accounts and consultations.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sangdam_core::{GroupId, MAX_GROUP_NAME_CHARS};
use serde::{Deserialize, Serialize};
use store::GroupRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, GroupPath, IdPath};
use crate::api::patterns;
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(rename_group, delete_group))
}

/// A group of the site's accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub id: GroupId,
    pub name: String,
    /// How many accounts are in it.
    pub members: i64,
    pub created_at: i64,
}

impl From<GroupRecord> for GroupView {
    fn from(g: GroupRecord) -> Self {
        GroupView {
            id: g.id,
            name: g.name,
            members: g.members,
            created_at: g.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    /// By name.
    pub groups: Vec<GroupView>,
}

/// A group's name.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupName {
    /// 1 to 30 characters once trimmed, no control characters; unique on the site, ignoring
    /// case.
    #[schema(schema_with = name_schema)]
    pub name: String,
}

fn name_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::trimmed_text(MAX_GROUP_NAME_CHARS, true), false)
}

/// The site's groups: managers and the admin.
#[utoipa::path(
    get,
    path = "/groups",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The groups.", body = GroupList),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
    )
)]
pub async fn list_groups(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<GroupList>, ApiError> {
    let groups = st.app.groups(&agent).await?;
    Ok(Json(GroupList {
        groups: groups.into_iter().map(GroupView::from).collect(),
    }))
}

/// The admin makes a group.
#[utoipa::path(
    post,
    path = "/groups",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    request_body = GroupName,
    responses(
        (status = 201, description = "The group.", body = GroupView),
        (status = 400, description = "The body is not a group.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 409, description = "`conflict`: the site has a group of that name.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`name`).", body = ErrorBody),
    )
)]
pub async fn create_group(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    body: Result<Body<GroupName>, ApiError>,
) -> Result<(StatusCode, Json<GroupView>), ApiError> {
    let Body(req) = body?;
    let g = st.app.create_group(&admin, &req.name).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

/// The admin renames a group.
#[utoipa::path(
    put,
    path = "/groups/{id}",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    params(GroupPath),
    request_body = GroupName,
    responses(
        (status = 200, description = "The group.", body = GroupView),
        (status = 400, description = "The body is not a group.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such group on the site.", body = ErrorBody),
        (status = 409, description = "`conflict`: the site has a group of that name.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`name`).", body = ErrorBody),
    )
)]
pub async fn rename_group(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): GroupPath,
    body: Result<Body<GroupName>, ApiError>,
) -> Result<Json<GroupView>, ApiError> {
    let Body(req) = body?;
    Ok(Json(
        st.app.rename_group(&admin, id, &req.name).await?.into(),
    ))
}

/// The admin deletes a group: its accounts stay, in no group; its managers see the whole
/// site again.
#[utoipa::path(
    delete,
    path = "/groups/{id}",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    params(GroupPath),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such group on the site.", body = ErrorBody),
    )
)]
pub async fn delete_group(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): GroupPath,
) -> Result<StatusCode, ApiError> {
    st.app.delete_group(&admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
