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
    /// A category or division name over its limit (R3.2).
    #[error(
        "a category or division name has at most {max} characters; this one has {chars}",
        max = crate::category::MAX_CATEGORY_NAME_CHARS
    )]
    CategoryNameTooLong { chars: usize },
    /// A category or division name that is empty or has a control character; the string
    /// says which.
    #[error("{0}")]
    InvalidCategoryName(String),
    /// A name its siblings already have.
    #[error("{0:?} is already the name of another one at the same level")]
    DuplicateCategoryName(String),
    /// An id that names nothing of the site's category tree; `field` is where it was given.
    #[error("{field}: {id} names no category or division of this site")]
    UnknownCategory { field: &'static str, id: i64 },
    /// A division given where a category is needed (a division's parent, the default).
    #[error("{field}: {id} is a division, not a category (a division has no divisions)")]
    NotACategory { field: &'static str, id: i64 },
    /// A category given where a division is needed.
    #[error("division_id: {0} is a category, not a division")]
    NotADivision(i64),
    /// A category or division that is switched off, where one in use is needed (a division
    /// under it, the default, a consultation's classification).
    #[error("{field}: {id} is not in use; switch it on first")]
    CategoryUnused { field: &'static str, id: i64 },
    /// A division given with a category it does not belong to.
    #[error("division_id: {division} is not a division of category {category}")]
    DivisionNotOfCategory { division: i64, category: i64 },
    /// Switching off the default category.
    #[error(
        "category {0} is the default category: choose another default (or none) before \
         switching it off"
    )]
    CategoryIsDefault(i64),
    /// A position outside the siblings' (0 to `last`).
    #[error("position {position} is outside 0 to {last}")]
    InvalidPosition { position: i64, last: i64 },
    /// A consultation's sub-label over its limit.
    #[error(
        "a sub-label has at most {max} characters; this one has {chars}",
        max = crate::category::MAX_SUB_LABEL_CHARS
    )]
    SubLabelTooLong { chars: usize },
    /// A sub-label with a control character.
    #[error("a sub-label contains a control character")]
    InvalidSubLabel,
    /// Business hours that break a rule (R3.4); `field` says where (`time_zone`,
    /// `saturday.ranges[1]`, `holidays[3].date`) and `problem` what, with its own stable code.
    #[error("{field}: {problem}")]
    InvalidHours {
        field: String,
        problem: crate::hours::HoursProblem,
    },
    /// An automatic message that breaks a rule (R3.4); `field` is `auto_messages.<kind>.text`.
    #[error("{field}: {problem}")]
    InvalidAutoMessage {
        field: String,
        problem: crate::auto_message::MessageProblem,
    },
    /// An iCalendar file that cannot be read as one; the string says where and why.
    #[error("the calendar file cannot be read: {0}")]
    InvalidCalendar(String),
    /// A rating of a consultation that has not ended, or that no agent had (R3.8).
    #[error("only a consultation an agent had, once it has ended, can be rated")]
    NotRateable,
    /// A second rating of one consultation.
    #[error("this consultation has been rated already")]
    AlreadyRated,
    /// A rating too long after the close.
    #[error("a consultation can be rated within {days} days of its end")]
    RatingTooLate { days: i64 },
    /// A change to an account the site's rules do not allow (the admin's own role, its
    /// deactivation); the string says which.
    #[error("{0}")]
    AccountChangeRefused(&'static str),
    /// An image or file the site does not accept (R3.7); the refusal says why.
    #[error(transparent)]
    FileRefused(crate::file::FileRefusal),
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
            CoreError::CategoryNameTooLong { .. } => "category_name_too_long",
            CoreError::InvalidCategoryName(_) => "invalid_category_name",
            CoreError::DuplicateCategoryName(_) => "duplicate_category_name",
            CoreError::UnknownCategory { .. } => "unknown_category",
            CoreError::NotACategory { .. } => "not_a_category",
            CoreError::NotADivision(_) => "not_a_division",
            CoreError::CategoryUnused { .. } => "category_unused",
            CoreError::DivisionNotOfCategory { .. } => "division_not_of_category",
            CoreError::CategoryIsDefault(_) => "category_is_default",
            CoreError::InvalidPosition { .. } => "invalid_position",
            CoreError::SubLabelTooLong { .. } => "sub_label_too_long",
            CoreError::InvalidSubLabel => "invalid_sub_label",
            CoreError::InvalidHours { .. } => "invalid_hours",
            CoreError::InvalidAutoMessage { .. } => "invalid_auto_message",
            CoreError::InvalidCalendar(_) => "invalid_calendar",
            CoreError::NotRateable => "not_rateable",
            CoreError::AlreadyRated => "already_rated",
            CoreError::RatingTooLate { .. } => "rating_too_late",
            CoreError::AccountChangeRefused(_) => "account_change_refused",
            CoreError::FileRefused(r) => r.code(),
        }
    }

    /// The request field an error is about, when it names one (for a form to show it there).
    pub fn field_name(&self) -> Option<&str> {
        match self {
            CoreError::InvalidHours { field, .. } | CoreError::InvalidAutoMessage { field, .. } => {
                Some(field)
            }
            CoreError::InvalidField { field, .. }
            | CoreError::UnknownCategory { field, .. }
            | CoreError::NotACategory { field, .. }
            | CoreError::CategoryUnused { field, .. } => Some(field),
            CoreError::CategoryNameTooLong { .. }
            | CoreError::InvalidCategoryName(_)
            | CoreError::DuplicateCategoryName(_) => Some("name"),
            CoreError::NotADivision(_) | CoreError::DivisionNotOfCategory { .. } => {
                Some("division_id")
            }
            CoreError::CategoryIsDefault(_) => Some("used"),
            CoreError::InvalidPosition { .. } => Some("position"),
            CoreError::SubLabelTooLong { .. } | CoreError::InvalidSubLabel => Some("sub_label"),
            CoreError::InvalidId(_)
            | CoreError::InvalidKey(_)
            | CoreError::ChannelMismatch { .. }
            | CoreError::MobileNotEditable
            | CoreError::InvalidTransition { .. }
            | CoreError::DistributionOnly { .. }
            | CoreError::AtLimit { .. }
            | CoreError::InvalidCalendar(_)
            | CoreError::NotRateable
            | CoreError::AlreadyRated
            | CoreError::RatingTooLate { .. }
            | CoreError::AccountChangeRefused(_)
            | CoreError::FileRefused(_) => None,
        }
    }

    /// The finer stable code of a business-hours or automatic-message problem
    /// (`overlapping_ranges`, `unknown_variables`), for `details`; `None` for other errors.
    pub fn problem_code(&self) -> Option<&'static str> {
        match self {
            CoreError::InvalidHours { problem, .. } => Some(problem.code()),
            CoreError::InvalidAutoMessage { problem, .. } => Some(problem.code()),
            _ => None,
        }
    }

    /// A value refused on its field, for rules that need what is stored (a name already
    /// used): `invalid_field`, with the field in its details.
    pub fn invalid_field(field: &'static str, reason: impl Into<String>) -> Self {
        Self::field(field, reason)
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
            CoreError::CategoryNameTooLong { chars: 16 },
            CoreError::InvalidCategoryName("a name is required".into()),
            CoreError::DuplicateCategoryName("상품문의".into()),
            CoreError::UnknownCategory {
                field: "parent_id",
                id: 9,
            },
            CoreError::NotACategory {
                field: "parent_id",
                id: 9,
            },
            CoreError::NotADivision(9),
            CoreError::CategoryUnused {
                field: "parent_id",
                id: 9,
            },
            CoreError::DivisionNotOfCategory {
                division: 9,
                category: 8,
            },
            CoreError::CategoryIsDefault(9),
            CoreError::InvalidPosition {
                position: 5,
                last: 2,
            },
            CoreError::SubLabelTooLong { chars: 9 },
            CoreError::InvalidSubLabel,
            CoreError::InvalidHours {
                field: "time_zone".into(),
                problem: crate::hours::HoursProblem::UnknownTimeZone("Mars/Base".into()),
            },
            CoreError::InvalidAutoMessage {
                field: "auto_messages.greeting.text".into(),
                problem: crate::auto_message::MessageProblem::Required,
            },
            CoreError::InvalidCalendar("no VCALENDAR".into()),
            CoreError::NotRateable,
            CoreError::AlreadyRated,
            CoreError::RatingTooLate { days: 7 },
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
        assert_eq!(
            CoreError::CategoryNameTooLong { chars: 16 }.to_string(),
            "a category or division name has at most 15 characters; this one has 16"
        );
        assert_eq!(
            CoreError::SubLabelTooLong { chars: 9 }.to_string(),
            "a sub-label has at most 8 characters; this one has 9"
        );
        assert_eq!(
            CoreError::CategoryIsDefault(3).to_string(),
            "category 3 is the default category: choose another default (or none) before \
             switching it off"
        );
    }
}
