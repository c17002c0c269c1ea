//! The server's one error type, mapped to HTTP in one place.
//!
//! Every error leaves as `{"error": {"code", "message", "details"}}`; an internal error is
//! logged with its cause and the client gets a code and a sentence, never SQL or a trace.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sangdam_core::CoreError;
use serde_json::{Value, json};
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        details: Value,
    },
    #[error("log in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("too many requests; try again in a moment")]
    TooManyRequests,
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("{0}")]
    Upstream(String),
    /// Shutting down or overloaded: try again (the request changed nothing).
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            code,
            message: message.into(),
            details: Value::Null,
        }
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Invalid { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream_failed"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let details = match &self {
            ApiError::Invalid { details, .. } => details.clone(),
            _ => Value::Null,
        };
        let body =
            json!({"error": {"code": code, "message": self.to_string(), "details": details}});
        (status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ApiError::NotFound(what),
            StoreError::Conflict(msg) => ApiError::Conflict(msg),
            StoreError::Rule(rule) => rule.into(),
            StoreError::Unavailable(why) => ApiError::Unavailable(format!("{why}; try again")),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::InvalidTransition { .. } => ApiError::Conflict(e.to_string()),
            CoreError::InvalidField { field, .. } => ApiError::Invalid {
                code: e.code(),
                message: e.to_string(),
                // Which field, so a form can show the error beside it.
                details: serde_json::json!({ "field": field }),
            },
            other => ApiError::Invalid {
                code: other.code(),
                message: other.to_string(),
                details: Value::Null,
            },
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        // A body over the limit is not a malformed one: say 413 like every other endpoint
        // (the body-limit layer's own answer), not 400.
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::TooLarge {
                limit: crate::MAX_BODY_BYTES,
            };
        }
        ApiError::BadRequest(e.body_text())
    }
}

/// Every error leaves in the documented shape, also those axum answers itself before a
/// handler runs (unknown path, wrong method, unreadable query string, body over the limit,
/// missing WebSocket upgrade), which are plain text: their text becomes the message. Found by
/// the integration tests (`bad_input_gets_a_structured_4xx`), where such answers broke the
/// `{"error": {"code", "message", "details"}}` contract clients rely on.
pub async fn structured_errors(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
    let resp = next.run(req).await;
    let status = resp.status();
    // axum's own answers have no content type or plain text; JSON errors are ours already
    // and HTML error pages are meant for people.
    let plain = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).trim().to_owned();
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = match (text.is_empty(), status) {
        (false, s) if !s.is_server_error() => text,
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let body = json!({"error": {"code": code, "message": message, "details": Value::Null}});
    let mut out = (status, Json(body)).into_response();
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}
