//! Auto-close (R3.5) over HTTP: the site's rules, the admin's, under `/api/v1/site`, and an
//! agent's hold on a consultation. What the rules may be is core's
//! ([`sangdam_core::auto_close`]); a refusal names its field.

use app::auto_close::SiteAutoClose;
use axum::Json;
use axum::extract::State;
use sangdam_core::auto_close::{
    AutoCloseSettings, DEFAULT_CUSTOMER_IDLE_MINUTES, MAX_IDLE_MINUTES,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::consultations::ConsultationAnswer;
use crate::api::extract::{Body, ConsultationPath, IdPath, optional_whole};
use crate::api::site::Admin;
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_auto_close, put_auto_close))
        .routes(routes!(set_hold))
}

/// A site's auto-close rules. A rule or the warning that is `null` is off.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AutoCloseView {
    /// Close after this many minutes without a customer reply to the agent's last message.
    pub customer_idle_minutes: Option<u32>,
    /// Close after this many minutes without an agent reply to the customer's last message
    /// (counted from the assignment when the customer wrote while waiting).
    pub agent_idle_minutes: Option<u32>,
    /// Warn the customer this many minutes before the close.
    pub warning_minutes: Option<u32>,
    /// Whether the site ever saved its rules (if not, these are the defaults).
    pub saved: bool,
    /// The longest wait a rule may have, in minutes.
    pub max_minutes: u32,
}

impl AutoCloseView {
    fn of(settings: &AutoCloseSettings, saved: bool) -> Self {
        AutoCloseView {
            customer_idle_minutes: settings.customer_idle_minutes,
            agent_idle_minutes: settings.agent_idle_minutes,
            warning_minutes: settings.warning_minutes,
            saved,
            max_minutes: MAX_IDLE_MINUTES,
        }
    }
}

fn default_customer_idle() -> Option<i64> {
    Some(i64::from(DEFAULT_CUSTOMER_IDLE_MINUTES))
}

/// The rules to save. A field that is `null` switches its rule (or the warning) off; an absent
/// `customer_idle_minutes` is the default (30), the others absent are off. Minutes are whole
/// numbers (`20` or `20.0`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoCloseRequest {
    #[serde(default = "default_customer_idle", deserialize_with = "optional_whole")]
    #[schema(minimum = 1, maximum = 10080)]
    pub customer_idle_minutes: Option<i64>,
    #[serde(default, deserialize_with = "optional_whole")]
    #[schema(minimum = 1, maximum = 10080)]
    pub agent_idle_minutes: Option<i64>,
    /// Shorter than every rule switched on; needs one switched on.
    #[serde(default, deserialize_with = "optional_whole")]
    #[schema(minimum = 1, maximum = 10079)]
    pub warning_minutes: Option<i64>,
}

/// The site's auto-close rules (admin).
#[utoipa::path(
    get,
    path = "/site/auto-close",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The rules as they apply.", body = AutoCloseView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_auto_close(
    State(st): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<AutoCloseView>, ApiError> {
    let SiteAutoClose { settings, saved } = st.app.site_auto_close(&admin).await?;
    Ok(Json(AutoCloseView::of(&settings, saved)))
}

/// Save the site's auto-close rules (admin). Every consultation in progress is timed again by
/// the new rules at once.
#[utoipa::path(
    put,
    path = "/site/auto-close",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = AutoCloseRequest,
    responses(
        (status = 200, description = "Saved; the rules now.", body = AutoCloseView),
        (status = 400, description = "The body is not a set of rules.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`, naming it: a wait outside 1 to 10080 minutes, or a warning that is not shorter than every rule switched on (or comes with none).", body = ErrorBody),
    )
)]
pub async fn put_auto_close(
    State(st): State<AppState>,
    Admin(admin): Admin,
    body: Result<Body<AutoCloseRequest>, ApiError>,
) -> Result<Json<AutoCloseView>, ApiError> {
    let Body(req) = body?;
    let settings = AutoCloseSettings::parse(
        req.customer_idle_minutes,
        req.agent_idle_minutes,
        req.warning_minutes,
    )
    .map_err(app::AppError::from)?;
    let settings = st.app.save_auto_close(&admin, settings).await?;
    Ok(Json(AutoCloseView::of(&settings, true)))
}

/// Whether a consultation is held.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldRequest {
    pub hold: bool,
}

/// Put a consultation on hold, exempt from auto-close until it ends (or take it off hold: it
/// is timed again from its last messages). The holder, managers and the admin.
#[utoipa::path(
    put,
    path = "/consultations/{id}/hold",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body = HoldRequest,
    responses(
        (status = 200, description = "Changed.", body = ConsultationAnswer),
        (status = 400, description = "The body is not a hold.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent, and the consultation is not theirs.", body = ErrorBody),
        (status = 404, description = "No such consultation the caller may see.", body = ErrorBody),
        (status = 409, description = "The consultation is closed (`conflict`).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "An id that is not a positive whole number (`invalid_field`).", body = ErrorBody),
    )
)]
pub async fn set_hold(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Result<Body<HoldRequest>, ApiError>,
) -> Result<Json<ConsultationAnswer>, ApiError> {
    let Body(req) = body?;
    let consultation = st.app.set_hold(&agent, id, req.hold).await?;
    Ok(Json(ConsultationAnswer { consultation }))
}
