//! What a chat window sends through a bot block's plugin step (R6.1): the profile form, and
//! the browser's location. Both answer a bot message that asked for them.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use sangdam_core::MessageId;
use sangdam_core::plugin_step::{Location, ProfileForm};
use serde::Deserialize;
use store::MessageRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, IdPath, SitePath};
use crate::api::schema;
use crate::api::webchat::{VisitorHeader, VisitorQuery, visitor_of};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(profile_form))
        .routes(routes!(location))
}

/// The profile form as the window sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileFormRequest {
    /// The bot message whose form this answers.
    #[schema(value_type = i64, minimum = 1)]
    #[serde(deserialize_with = "crate::api::extract::record_id")]
    pub message_id: i64,
    /// At most 100 characters; empty or absent: not given.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// A phone number (digits with spaces, hyphens, dots or parentheses, an optional leading
    /// +); stored as the profile's phone, never as the verified mobile.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub phone: Option<String>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub email: Option<String>,
    /// The customer agreed to give these details (required).
    pub consent: bool,
}

/// The customer sends the profile form a bot message drew: the values go into their profile,
/// and the conversation shows what they sent.
#[utoipa::path(
    post,
    path = "/webchat/{site_id}/profile-form",
    tag = "webchat",
    params(SitePath, VisitorQuery, VisitorHeader),
    request_body = ProfileFormRequest,
    responses(
        (status = 200, description = "The customer's message saying what they sent.", body = schema::Message),
        (status = 400, description = "The body is not a profile form.", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site, or no such message of this window.", body = ErrorBody),
        (status = 409, description = "The message asks for no profile, its consultation has ended, or the plugin cannot be used now (the message says why).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "No consent (`consent`), nothing given, or a value that is not a name, phone number or e-mail address (named).", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn profile_form(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    body: Result<Body<ProfileFormRequest>, ApiError>,
) -> Result<Json<MessageRecord>, ApiError> {
    st.check_rate(addr.ip())?;
    let Body(req) = body?;
    let v = visitor_of(&st, site, &headers, &q).await?;
    let form = ProfileForm {
        name: req.name,
        phone: req.phone,
        email: req.email,
        consent: req.consent,
    };
    Ok(Json(
        st.app
            .customer_profile_form(&v, MessageId::new(req.message_id), &form)
            .await?,
    ))
}

/// A location the browser gave, with the customer's consent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationRequest {
    /// The bot message whose request this answers.
    #[schema(value_type = i64, minimum = 1)]
    #[serde(deserialize_with = "crate::api::extract::record_id")]
    pub message_id: i64,
    /// Degrees, -90 to 90.
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: f64,
    /// Degrees, -180 to 180.
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: f64,
    /// Metres the browser is sure of (0 or more).
    #[serde(default)]
    #[schema(minimum = 0)]
    pub accuracy: Option<f64>,
}

/// The customer shares their current location, as a bot message asked: it is written into
/// the conversation for the agent, with a map link.
#[utoipa::path(
    post,
    path = "/webchat/{site_id}/location",
    tag = "webchat",
    params(SitePath, VisitorQuery, VisitorHeader),
    request_body = LocationRequest,
    responses(
        (status = 200, description = "The customer's message with the location.", body = schema::Message),
        (status = 400, description = "The body is not a location.", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site, or no such message of this window.", body = ErrorBody),
        (status = 409, description = "The message asks for no location, its consultation has ended, or the plugin cannot be used now (the message says why).", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A coordinate out of range (named).", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn location(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    body: Result<Body<LocationRequest>, ApiError>,
) -> Result<Json<MessageRecord>, ApiError> {
    st.check_rate(addr.ip())?;
    let Body(req) = body?;
    let v = visitor_of(&st, site, &headers, &q).await?;
    let location = Location::new(req.latitude, req.longitude, req.accuracy)?;
    Ok(Json(
        st.app
            .customer_location(&v, MessageId::new(req.message_id), location)
            .await?,
    ))
}
