//! The link journal: undoing a room's latest ID change.

use axum::Json;
use axum::extract::State;
use sangdam_core::{ProfileId, RoomId};
use serde::Serialize;
use store::LinkRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{IdPath, LinkId, LinkPath};
use crate::api::schema;
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(undo_link))
}

/// The undone entry and the room's profile now.
#[derive(Debug, Serialize, ToSchema)]
pub struct UndoAnswer {
    #[schema(value_type = schema::Link)]
    pub link: LinkRecord,
    pub room_id: RoomId,
    pub profile_id: ProfileId,
}

/// Undo a link: the room's latest one still in force. The room and the profiles it touched are
/// restored to how they were before it. The admin and managers undo any of their site's; an
/// agent only a link of a room where they hold an open consultation.
#[utoipa::path(
    post,
    path = "/links/{id}/undo",
    tag = "rooms",
    security(("session" = []), ("bearer" = [])),
    params(LinkPath),
    responses(
        (status = 200, description = "Undone.", body = UndoAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent who reads the link's room but holds no open consultation in it.", body = ErrorBody),
        (status = 404, description = "No such link on the caller's site, or of a room an agent may not read.", body = ErrorBody),
        (status = 409, description = "Already undone, or not the room's latest link.", body = ErrorBody),
    )
)]
pub async fn undo_link(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(LinkId(id)): LinkPath,
) -> Result<Json<UndoAnswer>, ApiError> {
    let undone = st.app.undo_link(&agent, id).await?;
    Ok(Json(UndoAnswer {
        link: undone.link,
        room_id: undone.room_id,
        profile_id: undone.profile_id,
    }))
}
