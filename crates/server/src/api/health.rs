//! `GET /healthz`: the server answers and its database too.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    #[schema(value_type = String, pattern = "^ok$")]
    pub status: &'static str,
}

/// The server answers and its database too.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses(
        (status = 200, description = "Healthy.", body = Health),
        (status = 503, description = "The database does not answer.", body = ErrorBody),
    )
)]
pub async fn healthz(State(st): State<AppState>) -> Result<Json<Health>, ApiError> {
    st.app.store.ping().await?;
    Ok(Json(Health { status: "ok" }))
}
