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
    #[error("{0}")]
    Upstream(String),
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
            ApiError::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream_failed"),
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
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::InvalidTransition { .. } => ApiError::Conflict(e.to_string()),
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
        ApiError::BadRequest(e.body_text())
    }
}
