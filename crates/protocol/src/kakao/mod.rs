//! The Kakao i Open Builder skill protocol (`docs/PROTOCOLS.md` §1).
//!
//! [`SkillRequest`] is what Open Builder POSTs; read it with [`SkillRequest::from_slice`]
//! and use its accessors (they hide the two spellings of duplicated keys and the other
//! quirks of real traffic). [`SkillResponse`] is what a skill server answers; build it with the
//! component types and check it with [`SkillResponse::validate`].
//!
//! ```
//! use protocol::kakao::{QuickReply, SkillRequest, SkillResponse};
//!
//! let body = r#"{"userRequest": {"utterance": "배송 언제 와요?", "lang": "kr",
//!     "user": {"id": "USERKEY70", "properties": {"plusfriend_user_key": "pf"}}},
//!     "bot": {"id": "5ae9b76d7409b11ec845b746!"}, "somethingNew": 1}"#;
//! let req = SkillRequest::from_slice(body.as_bytes())?;
//! assert_eq!(req.user_key(), Some("USERKEY70"));
//! assert_eq!(req.plusfriend_user_key(), Some("pf"));
//! assert_eq!(req.lang(), Some("ko"));
//! assert!(req.is_development_bot() && !req.is_friend());
//!
//! let res = SkillResponse::text("2~3일 걸려요.")
//!     .with_quick_replies([QuickReply::message("상담원 연결", "상담원")]);
//! res.validate().map_err(protocol::kakao::KakaoError::Invalid)?;
//! let json = serde_json::to_string(&res)?;
//! assert!(json.starts_with(r#"{"version":"2.0","template":{"outputs":[{"simpleText""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod client;
pub mod event;
#[cfg(feature = "testing")]
pub mod event_peer;
mod request;
mod response;
mod validate;

pub use client::{SKILL_TIMEOUT, SkillCall, SkillCallError, SkillClient, skill_request};
pub use request::*;
pub use response::*;
pub use validate::limits;

pub use crate::{LimitError, LimitKind};

/// Why a skill request could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KakaoError {
    #[error("the skill request is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("the skill request is not a JSON object")]
    NotAnObject,
    #[error("the skill response breaks {} limit(s): {}", .0.len(), join(.0))]
    Invalid(Vec<crate::LimitError>),
}

fn join(errors: &[crate::LimitError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<Vec<crate::LimitError>> for KakaoError {
    fn from(errors: Vec<crate::LimitError>) -> Self {
        KakaoError::Invalid(errors)
    }
}

#[cfg(test)]
mod tests;
