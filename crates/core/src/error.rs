//! The one error type of the crate: every rule that refuses something says why here.
//!
//! Each variant has a stable snake_case [`CoreError::code`] that the HTTP layer puts in
//! `{"error": {"code", …}}` (and a UI can translate), and a `Display` sentence for a person.

use inflow::Channel;

use crate::consultation::ConsultationState;

/// Why a domain rule refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// An id that is not a positive decimal integer.
    #[error("{0:?} is not a valid id: expected a positive whole number")]
    InvalidId(String),
    /// A customer or visitor key that breaks its format; the string says how.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// A platform user given for a channel it does not belong to (a Kakao user on web chat).
    #[error("a {user} user cannot arrive through the {channel} channel")]
    ChannelMismatch {
        channel: Channel,
        /// Which kind of user was given: `visitor`, `kakao` or `naver`.
        user: &'static str,
    },
    /// A value a person or an integrator entered that the field does not accept.
    #[error("{field}: {reason}")]
    InvalidField { field: &'static str, reason: String },
    /// The mobile number comes only from a recorded verification (R2.6).
    #[error(
        "the mobile number cannot be edited: it is set only by a verification (SMS code or Kakao Sync)"
    )]
    MobileNotEditable,
    /// An action the consultation's current state does not allow.
    #[error("a consultation that is {} cannot be {}", from.label(), past_tense(action))]
    InvalidTransition {
        from: ConsultationState,
        /// The action's snake_case name, as [`crate::Transition::action`] gives it.
        action: &'static str,
    },
    /// The site's distribution gives consultations out itself; agents do not pick from the
    /// queue by hand.
    #[error(
        "this site distributes consultations automatically ({mode}); agents do not take them from the queue by hand"
    )]
    DistributionOnly { mode: crate::DistributionMode },
    /// One more consultation would exceed the agent's limit.
    #[error("the agent already holds {open} of at most {max_open} consultations")]
    AtLimit { open: u32, max_open: u32 },
}

impl CoreError {
    /// The stable snake_case code of the error kind, for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::InvalidId(_) => "invalid_id",
            CoreError::InvalidKey(_) => "invalid_key",
            CoreError::ChannelMismatch { .. } => "channel_mismatch",
            CoreError::InvalidField { .. } => "invalid_field",
            CoreError::MobileNotEditable => "mobile_not_editable",
            CoreError::InvalidTransition { .. } => "invalid_transition",
            CoreError::DistributionOnly { .. } => "distribution_only",
            CoreError::AtLimit { .. } => "limit_reached",
        }
    }

    pub(crate) fn field(field: &'static str, reason: impl Into<String>) -> Self {
        CoreError::InvalidField {
            field,
            reason: reason.into(),
        }
    }
}

/// How an action reads in a sentence ("cannot be taken by an agent").
fn past_tense(action: &str) -> &str {
    match action {
        "hand_to_agent" => "handed to an agent",
        "take" => "taken by an agent",
        "transfer" => "transferred",
        "send_back" => "sent back to the queue",
        "close" => "closed",
        "delete" => "deleted",
        "bot_end" => "ended by the chatbot",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_distinct_code_and_a_sentence() {
        let all = [
            CoreError::InvalidId("x".into()),
            CoreError::InvalidKey("empty".into()),
            CoreError::ChannelMismatch {
                channel: Channel::Kakao,
                user: "visitor",
            },
            CoreError::field("email", "not an address"),
            CoreError::MobileNotEditable,
            CoreError::InvalidTransition {
                from: ConsultationState::Closed,
                action: "take",
            },
            CoreError::DistributionOnly {
                mode: crate::DistributionMode::LeastOpen,
            },
            CoreError::AtLimit {
                open: 10,
                max_open: 10,
            },
        ];
        let mut codes: Vec<_> = all.iter().map(CoreError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for e in &all {
            let code = e.code();
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn sentences_name_what_went_wrong() {
        assert_eq!(
            CoreError::InvalidTransition {
                from: ConsultationState::Closed,
                action: "take",
            }
            .to_string(),
            "a consultation that is closed cannot be taken by an agent"
        );
        assert_eq!(
            CoreError::ChannelMismatch {
                channel: Channel::WebchatV2,
                user: "kakao",
            }
            .to_string(),
            "a kakao user cannot arrive through the webchat_v2 channel"
        );
        assert_eq!(
            CoreError::InvalidId("-3".into()).to_string(),
            "\"-3\" is not a valid id: expected a positive whole number"
        );
    }
}
