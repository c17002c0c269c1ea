//! `GET /api/v1/search?q=&limit=`: customers, consultations by a parameter's value, and
//! messages by their text, within what the caller may see (the application's search).

use axum::Json;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use inflow::Channel;
use sangdam_core::search::MAX_QUERY_CHARS;
use sangdam_core::{AgentId, ConsultationId, ConsultationState, RoomId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// The most results of each kind.
const MAX_LIMIT: u32 = 50;
/// Results of each kind when `limit` is absent.
const DEFAULT_LIMIT: u32 = 20;

#[derive(Debug, Deserialize)]
struct RawSearchQuery {
    q: Option<String>,
    limit: Option<String>,
}

/// What to search for.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The text: at least 2 letters or digits, at most 100 characters. Messages match where
    /// it stands in their text (spacing, punctuation, case and full-width letters aside);
    /// customers where it is part of their name, phone (with or without dashes), e-mail, ID
    /// or customer key; consultations where a custom parameter has exactly this value.
    /// (The pattern asks only for two characters other than spaces, anywhere: letters and
    /// digits of every script count, which a pattern of JSON Schema's common dialect cannot
    /// name, so a text with fewer than two of them is refused with 422.)
    #[param(max_length = 100, pattern = "\\S[\\s\\S]*\\S")]
    pub q: String,
    /// At most this many of each kind (20 when absent; 1 to 50).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

impl<S: Send + Sync> FromRequestParts<S> for SearchQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(raw) = Query::<RawSearchQuery>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let q = raw
            .q
            .ok_or_else(|| ApiError::invalid_field("q", "say what to search for: ?q="))?;
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::invalid_field(
                "q",
                format!("a search has at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        let limit = raw
            .limit
            .as_deref()
            .map(|l| {
                serde_json::from_str::<serde_json::Number>(l.trim())
                    .ok()
                    .as_ref()
                    .and_then(crate::api::extract::whole_number)
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        ApiError::invalid_field(
                            "limit",
                            format!("limit is a whole number from 1 to {MAX_LIMIT}, not {l:?}"),
                        )
                    })
            })
            .transpose()?;
        Ok(SearchQuery { q, limit })
    }
}

/// A customer whose name, phone, e-mail, ID or customer key holds the text.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerFound {
    pub room_id: RoomId,
    pub profile_id: i64,
    #[schema(value_type = Channel)]
    pub channel: String,
    pub customer_key: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub site_uid: Option<String>,
    /// The room's latest consultation the caller may see.
    pub consultation_id: ConsultationId,
    /// That consultation's state.
    pub state: ConsultationState,
    pub created_at: i64,
}

/// A consultation one of whose custom parameters has the value.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParameterFound {
    pub consultation_id: ConsultationId,
    pub room_id: RoomId,
    #[schema(value_type = Channel)]
    pub channel: String,
    /// The custom slot, 1 to 10.
    pub slot: i64,
    pub value: String,
    pub customer_name: Option<String>,
    pub state: ConsultationState,
    pub created_at: i64,
}

/// A message whose text holds the query.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageFound {
    pub message_id: i64,
    pub consultation_id: ConsultationId,
    pub room_id: RoomId,
    #[schema(value_type = Channel)]
    pub channel: String,
    /// `customer`, `agent`, `bot` or `system`.
    pub sender: String,
    pub agent_id: Option<AgentId>,
    pub body: String,
    pub created_at: i64,
    pub customer_name: Option<String>,
}

/// How much of the message text is searchable.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndexProgressBody {
    /// Messages up to this id are searchable; newer ones are indexed within a second or so,
    /// and after an upgrade the older ones in the background.
    pub done: i64,
    /// The newest message's id.
    pub newest: i64,
}

/// What a search found, each kind newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchAnswer {
    #[schema(value_type = Vec<CustomerFound>)]
    pub customers: Vec<store::CustomerHit>,
    #[schema(value_type = Vec<ParameterFound>)]
    pub parameters: Vec<store::ParameterHit>,
    #[schema(value_type = Vec<MessageFound>)]
    pub messages: Vec<store::MessageHit>,
    #[schema(value_type = IndexProgressBody)]
    pub index: store::IndexProgress,
}

/// Search the caller's site: customers by name, phone, e-mail, ID or customer key;
/// consultations by a custom parameter's value; messages by their text (Korean-aware: a
/// two-syllable word matches inside longer text, spacing aside). Managers and the admin search
/// the whole site; an agent the consultations they hold or held and those waiting.
#[utoipa::path(
    get,
    path = "/search",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(SearchQuery),
    responses(
        (status = 200, description = "What was found.", body = SearchAnswer),
        (status = 400, description = "The query string cannot be read.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`q`: missing, fewer than 2 letters or digits, over 100 characters; `limit`: not 1 to 50).", body = ErrorBody),
    )
)]
pub async fn search(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    query: SearchQuery,
) -> Result<Json<SearchAnswer>, ApiError> {
    let found = st
        .app
        .search(&agent, &query.q, query.limit.unwrap_or(DEFAULT_LIMIT))
        .await?;
    Ok(Json(SearchAnswer {
        customers: found.customers,
        parameters: found.parameters,
        messages: found.messages,
        index: found.index,
    }))
}

#[cfg(test)]
mod tests {
    use sangdam_core::{ConsultationId, ConsultationState, RoomId};

    use super::*;
    use crate::api::schema::tests::{described, serialised};

    #[test]
    fn descriptions_have_the_hits_keys() {
        let customer = store::CustomerHit {
            room_id: RoomId::new(1),
            profile_id: 1,
            channel: "kakao".into(),
            customer_key: "k".into(),
            name: None,
            phone: None,
            email: None,
            site_uid: None,
            consultation_id: ConsultationId::new(1),
            state: ConsultationState::Waiting,
            created_at: 0,
        };
        assert_eq!(serialised(&customer), described::<CustomerFound>());
        let parameter = store::ParameterHit {
            consultation_id: ConsultationId::new(1),
            room_id: RoomId::new(1),
            channel: "kakao".into(),
            slot: 1,
            value: "v".into(),
            customer_name: None,
            state: ConsultationState::Closed,
            created_at: 0,
        };
        assert_eq!(serialised(&parameter), described::<ParameterFound>());
        let message = store::MessageHit {
            message_id: 1,
            consultation_id: ConsultationId::new(1),
            room_id: RoomId::new(1),
            channel: "kakao".into(),
            sender: "customer".into(),
            agent_id: None,
            body: "b".into(),
            created_at: 0,
            customer_name: None,
        };
        assert_eq!(serialised(&message), described::<MessageFound>());
        let index = store::IndexProgress { done: 1, newest: 2 };
        assert_eq!(serialised(index), described::<IndexProgressBody>());
    }
}
