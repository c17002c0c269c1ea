//! Extractors that turn a request's path and query into types, answering a bad value in the
//! error shape: a path id that cannot be one is `404` (whatever it names does not exist), a
//! query value of the wrong kind `400`, an unknown state or channel `422`.

use std::str::FromStr;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Path, Query, Request};
use axum::http::request::Parts;
use inflow::Channel;
use sangdam_core::{
    AgentId, CategoryId, ConsultationId, ConsultationState, ProfileId, RoomId, SessionId, SiteId,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{RefOr, Required, schema::Schema};
use utoipa::{IntoParams, PartialSchema};

use crate::error::{ApiError, ErrorCode};

/// An id type that appears in a path.
pub trait PathId: FromStr + PartialSchema + Send {
    /// What is reported as not found when the text is no id (`room not found`).
    const WHAT: &'static str;
    /// The parameter's name in the route.
    const PARAM: &'static str = "id";
    const DESCRIPTION: &'static str;
}

impl PathId for ConsultationId {
    const WHAT: &'static str = "consultation";
    const DESCRIPTION: &'static str = "The consultation's id.";
}

impl PathId for sangdam_core::FileId {
    const WHAT: &'static str = "file";
    const DESCRIPTION: &'static str = "The file's id.";
}

impl PathId for RoomId {
    const WHAT: &'static str = "room";
    const DESCRIPTION: &'static str = "The room's id.";
}

impl PathId for ProfileId {
    const WHAT: &'static str = "profile";
    const DESCRIPTION: &'static str = "The profile's id.";
}

impl PathId for CategoryId {
    const WHAT: &'static str = "category";
    const DESCRIPTION: &'static str = "The category's or division's id.";
}

impl PathId for sangdam_core::ExportId {
    const WHAT: &'static str = "export";
    const DESCRIPTION: &'static str = "The export's id.";
}

impl PathId for SiteId {
    const WHAT: &'static str = "site";
    const PARAM: &'static str = "site_id";
    const DESCRIPTION: &'static str = "The site's id.";
}

impl PathId for AgentId {
    const WHAT: &'static str = "agent";
    const DESCRIPTION: &'static str = "The account's id.";
}

impl PathId for sangdam_core::GroupId {
    const WHAT: &'static str = "group";
    const DESCRIPTION: &'static str = "The group's id.";
}

impl PathId for SessionId {
    const WHAT: &'static str = "session";
    const DESCRIPTION: &'static str = "The login session's id.";
}

/// The id of a transfer request (the store's row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferId(pub i64);

impl FromStr for TransferId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(TransferId)
    }
}

impl PartialSchema for TransferId {
    fn schema() -> RefOr<Schema> {
        RoomId::schema()
    }
}

impl PathId for TransferId {
    const WHAT: &'static str = "transfer request";
    const DESCRIPTION: &'static str = "The transfer request's id.";
}

/// A whole number sent as a JSON number: `60` and `60.0` are the same (JSON Schema's
/// `integer` counts both; schema-driven clients send either), `60.5` is none.
pub fn whole_number(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() <= 1e15)
            .map(|f| f as i64)
    })
}

/// An id of a record sent as a JSON number: any whole number from 1 up, of any size, as JSON
/// Schema's `integer` with `minimum: 1` allows (`7`, `7.0`, `1e20`); anything else is none.
/// One too large for an id names no record: it becomes `i64::MAX`, which no row has, so it is
/// not found like any other unknown id rather than refused as malformed.
pub fn id_number(n: &serde_json::Number) -> Option<i64> {
    if let Some(v) = n.as_i64() {
        return (v >= 1).then_some(v);
    }
    if n.as_u64().is_some() {
        return Some(i64::MAX);
    }
    // `as` saturates: a whole float past every i64 is i64::MAX too.
    n.as_f64()
        .filter(|f| f.fract() == 0.0 && *f >= 1.0)
        .map(|f| f as i64)
}

/// A record id in a JSON body, as [`id_number`] reads it; anything else is refused as not an id.
pub fn record_id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    id_number(&n).ok_or_else(|| serde::de::Error::custom(format!("{n} is not an id")))
}

/// A whole number in a JSON body, as [`whole_number`] reads it (`4` or `4.0`).
pub fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    whole_number(&n).ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number")))
}

/// A whole number or `null` in a JSON body, as [`whole`] reads the number.
pub fn optional_whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => whole_number(&n)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number"))),
    }
}

/// Tells a field given as `null` (`Some(None)`) from a field left out (`None`).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// An account id in a JSON body, as [`id_number`] reads it (`7`, `7.0`, or a whole number too
/// large to be anyone's, which is then nobody's); anything else is refused as not an id.
pub fn account_id<'de, D: Deserializer<'de>>(d: D) -> Result<AgentId, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    id_number(&n)
        .map(AgentId::new)
        .ok_or_else(|| serde::de::Error::custom(format!("{n} is not an account id")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "account_id")]
        to: AgentId,
    }

    fn to(json: &str) -> Option<i64> {
        serde_json::from_str::<Body>(json).ok().map(|b| b.to.get())
    }

    #[test]
    fn account_ids_are_whole_numbers_from_one_of_any_size() {
        assert_eq!(to(r#"{"to": 7}"#), Some(7));
        assert_eq!(to(r#"{"to": 7.0}"#), Some(7));
        // Whole, but past what a float counts exactly: nobody's (not found), not malformed.
        assert_eq!(
            to(r#"{"to": 6402373705728001.0}"#),
            Some(6_402_373_705_728_001)
        );
        assert_eq!(to(r#"{"to": 1e20}"#), Some(i64::MAX));
        assert_eq!(to(r#"{"to": 18446744073709551615}"#), Some(i64::MAX));
        for refused in [
            r#"{"to": 0}"#,
            r#"{"to": -3}"#,
            r#"{"to": 7.5}"#,
            r#"{"to": "7"}"#,
        ] {
            assert_eq!(to(refused), None, "{refused}");
        }
    }
}

/// The id of a link journal entry (the store's row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkId(pub i64);

impl FromStr for LinkId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(LinkId)
    }
}

impl PartialSchema for LinkId {
    fn schema() -> RefOr<Schema> {
        RoomId::schema()
    }
}

impl PathId for LinkId {
    const WHAT: &'static str = "link";
    const DESCRIPTION: &'static str = "The link journal entry's id.";
}

/// The id of a canned reply (the store's row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CannedId(pub i64);

impl FromStr for CannedId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(CannedId)
    }
}

impl PartialSchema for CannedId {
    fn schema() -> RefOr<Schema> {
        RoomId::schema()
    }
}

impl PathId for CannedId {
    const WHAT: &'static str = "canned reply";
    const DESCRIPTION: &'static str = "The canned reply's id.";
}

/// A typed id from the route's one path parameter; one that cannot be an id is `404`.
#[derive(Debug, Clone, Copy)]
pub struct IdPath<T>(pub T);

impl<S: Send + Sync, T: PathId> FromRequestParts<S> for IdPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        raw.parse()
            .map(IdPath)
            .map_err(|_| ApiError::NotFound(T::WHAT))
    }
}

impl<T: PathId> IntoParams for IdPath<T> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name(T::PARAM)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(T::DESCRIPTION))
                .schema(Some(T::schema()))
                .build(),
        ]
    }
}

pub type ConsultationPath = IdPath<ConsultationId>;
pub type RoomPath = IdPath<RoomId>;
pub type ProfilePath = IdPath<ProfileId>;
pub type SitePath = IdPath<SiteId>;
pub type LinkPath = IdPath<LinkId>;
pub type AgentPath = IdPath<AgentId>;
pub type TransferPath = IdPath<TransferId>;
pub type SessionPath = IdPath<SessionId>;
pub type FilePath = IdPath<sangdam_core::FileId>;
pub type CannedPath = IdPath<CannedId>;
pub type GroupPath = IdPath<sangdam_core::GroupId>;
pub type BlockPath = IdPath<BlockId>;
pub type EntryPath = IdPath<EntryId>;

/// The query of the consultation and room lists, as sent.
#[derive(Debug, Deserialize)]
struct RawListQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    mine: Option<bool>,
    #[serde(default)]
    limit: Option<i64>,
}

/// `?state=&channel=&mine=&limit=` of the consultation and room lists.
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Only consultations (rooms whose latest consultation is) in this state.
    pub state: Option<ConsultationState>,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only the calling agent's consultations (the consultation list only).
    pub mine: Option<bool>,
    /// At most this many, newest first (200 when absent; kept between 1 and 1000).
    pub limit: Option<i64>,
}

impl From<ListFilter> for app::access::ListFilter {
    fn from(q: ListFilter) -> Self {
        app::access::ListFilter {
            state: q.state,
            channel: q.channel,
            mine: q.mine.unwrap_or(false),
            limit: q.limit,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ListFilter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(raw) = Query::<RawListQuery>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let state = raw
            .state
            .as_deref()
            .map(str::parse::<ConsultationState>)
            .transpose()?;
        let channel = raw
            .channel
            .as_deref()
            .map(|c| {
                c.parse::<Channel>()
                    .map_err(|e| ApiError::invalid(ErrorCode::InvalidChannel, e.to_string()))
            })
            .transpose()?;
        Ok(ListFilter {
            state,
            channel,
            mine: raw.mine,
            limit: raw.limit,
        })
    }
}

/// A JSON request body, deserialised into `T`, which must be a JSON object: serde would also
/// take a struct written as an array of its fields (`["login", "password"]`), which no client
/// means and the document does not allow. Errors are those of axum's `Json` in the error shape
/// (a body over the limit is 413).
#[derive(Debug)]
pub struct Body<T>(pub T);

fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

async fn json_object<S: Send + Sync, T: DeserializeOwned>(
    req: Request,
    state: &S,
) -> Result<T, ApiError> {
    let bytes = Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: crate::MAX_BODY_BYTES,
            }
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })?;
    let Json(value) = Json::<T>::from_bytes(&bytes)?;
    let first = bytes
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first != Some(&b'{') {
        return Err(ApiError::BadRequest(
            "Failed to deserialize the JSON body into the target type: expected a JSON object"
                .into(),
        ));
    }
    Ok(value)
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::BadRequest(
                "Expected request with `Content-Type: application/json`".into(),
            ));
        }
        json_object(req, state).await.map(Body)
    }
}

/// An optional body: none without a JSON content type, else as [`Body`].
impl<S: Send + Sync, T: DeserializeOwned> OptionalFromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        if !json_content_type(req.headers()) {
            return Ok(None);
        }
        json_object(req, state).await.map(|v| Some(Body(v)))
    }
}

/// The header a messenger platform may carry the site's channel key in, instead of the URL.
pub const CHANNEL_KEY_HEADER: &str = "x-sangdam-channel-key";

/// The channel key of a messenger platform's request: the `key` query parameter of the webhook
/// URL (what Open Builder and TalkTalk's partner center are given), else the
/// `X-Sangdam-Channel-Key` header. Never refused here: the application decides.
#[derive(Debug, Clone, Default)]
pub struct ChannelKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ChannelKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let from_query = parts.uri.query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(name, _)| name == "key")
                .map(|(_, value)| value.into_owned())
        });
        let from_header = || {
            parts
                .headers
                .get(CHANNEL_KEY_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(ChannelKey(from_query.or_else(from_header)))
    }
}

/// The documented parameters of [`ChannelKey`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ChannelKeyParams {
    /// The site's channel key for this platform, as in the webhook URL shown on the site's
    /// channel settings page (or sent in the `X-Sangdam-Channel-Key` header instead). Without
    /// the current key (or the previous one during its grace period after a rotation) the
    /// request is refused with 401 `channel_key_refused` and nothing is read or stored.
    key: Option<String>,
}

/// The id of a chatbot block (the store's row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockId(pub i64);

impl FromStr for BlockId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(BlockId)
    }
}

impl PartialSchema for BlockId {
    fn schema() -> RefOr<Schema> {
        RoomId::schema()
    }
}

impl PathId for BlockId {
    const WHAT: &'static str = "block";
    const DESCRIPTION: &'static str = "The block's id.";
}

/// The id of a knowledge-base entry (the store's row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryId(pub i64);

impl FromStr for EntryId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(EntryId)
    }
}

impl PartialSchema for EntryId {
    fn schema() -> RefOr<Schema> {
        RoomId::schema()
    }
}

impl PathId for EntryId {
    const WHAT: &'static str = "entry";
    const DESCRIPTION: &'static str = "The knowledge-base entry's id.";
}

/// The id of a registered card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardPathId(pub billing::CardId);

impl FromStr for CardPathId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(|id| CardPathId(billing::CardId::new(id)))
    }
}

impl PartialSchema for CardPathId {
    fn schema() -> RefOr<Schema> {
        RoomId::schema()
    }
}

impl PathId for CardPathId {
    const WHAT: &'static str = "card";
    const DESCRIPTION: &'static str = "The card's id.";
}

/// The id of a tax invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceId(pub i64);

impl FromStr for InvoiceId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(InvoiceId)
    }
}

impl PartialSchema for InvoiceId {
    fn schema() -> RefOr<Schema> {
        RoomId::schema()
    }
}

impl PathId for InvoiceId {
    const WHAT: &'static str = "invoice";
    const DESCRIPTION: &'static str = "The invoice's id.";
}

pub type CardPath = IdPath<CardPathId>;
pub type InvoicePath = IdPath<InvoiceId>;
