//! The bot's channels and plugins (`/api/v1/site/plugins`, `/api/v1/site/bot-channels`), the
//! site admin's: each plugin's checklist, setting plugins up and taking them off, and the
//! development and operating channels (unlinking the development channel stops the plugins set
//! up on it).

use axum::Json;
use axum::extract::{Path, State};
use sangdam_core::plugin::Plugin;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::plugins::{ChannelsInput, PluginsView};

use crate::api::extract::Body;
use crate::api::site::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_plugins))
        .routes(routes!(put_channels))
        .routes(routes!(enable, disable))
}

fn plugin_of(name: &str) -> Result<Plugin, ApiError> {
    Plugin::parse(name).ok_or(ApiError::NotFound("plugin"))
}

/// The bot's channels and every plugin with its checklist.
#[utoipa::path(
    get,
    path = "/site/plugins",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The channels; each plugin: set up or not, on which channel, stopped and why, its checklist with what is met.", body = PluginsView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_plugins(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Json<PluginsView>, ApiError> {
    Ok(Json(st.app.plugins_view(&agent).await?))
}

/// Save the bot's development and operating channels and what Kakao's console says of the app.
/// Unlinking the development channel stops the plugins set up on it: they are answered in
/// `broken_now`, and each says why and what to redo.
#[utoipa::path(
    put,
    path = "/site/bot-channels",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = ChannelsInput,
    responses(
        (status = 200, description = "Saved.", body = PluginsView),
        (status = 400, description = "Not a channels body.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a channel id with spaces or over 100 characters.", body = ErrorBody),
    )
)]
pub async fn put_channels(
    State(st): State<AppState>,
    Admin(agent): Admin,
    body: Result<Body<ChannelsInput>, ApiError>,
) -> Result<Json<PluginsView>, ApiError> {
    let Body(input) = body?;
    Ok(Json(st.app.save_bot_channels(&agent, &input).await?))
}

/// Set a plugin up, on the channel the bot is linked to now (the operating one when linked).
#[utoipa::path(
    put,
    path = "/site/plugins/{plugin}",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    params(("plugin" = String, Path, description = "`profile`, `kakao_sync`, `consultation` or `location`.")),
    responses(
        (status = 200, description = "Set up.", body = PluginsView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin; or `plugin_check_missing`: the message names the first item of the plugin's checklist the site lacks.", body = ErrorBody),
        (status = 404, description = "No such plugin.", body = ErrorBody),
        (status = 409, description = "The bot is linked to no channel.", body = ErrorBody),
    )
)]
pub async fn enable(
    State(st): State<AppState>,
    Admin(agent): Admin,
    Path(name): Path<String>,
) -> Result<Json<PluginsView>, ApiError> {
    let plugin = plugin_of(&name)?;
    Ok(Json(st.app.enable_plugin(&agent, plugin).await?))
}

/// Take a plugin off.
#[utoipa::path(
    delete,
    path = "/site/plugins/{plugin}",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    params(("plugin" = String, Path, description = "`profile`, `kakao_sync`, `consultation` or `location`.")),
    responses(
        (status = 200, description = "Taken off.", body = PluginsView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such plugin, or it is not set up.", body = ErrorBody),
    )
)]
pub async fn disable(
    State(st): State<AppState>,
    Admin(agent): Admin,
    Path(name): Path<String>,
) -> Result<Json<PluginsView>, ApiError> {
    let plugin = plugin_of(&name)?;
    Ok(Json(st.app.disable_plugin(&agent, plugin).await?))
}
