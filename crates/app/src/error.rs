//! The application's one error type. The server maps it to HTTP in one place.

use sangdam_core::CoreError;
use store::StoreError;

/// Why a value was refused: each maps to one stable error code of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Longer than its limit (and never cut).
    TooLong,
    EmptyMessage,
    InvalidClientMsgId,
    /// Not a channel this entry point serves.
    InvalidChannel,
}

/// Why a caller who is who they say was still refused: each maps to one stable error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The login and password match an account the admin deactivated.
    AccountDeactivated,
    /// The current password given to change one's own is not it.
    WrongPassword,
    /// The site does not meet what the feature needs (a verified business, a wallet, …).
    RequirementMissing(sangdam_core::business::Requirement),
    /// A plugin's checklist lacks this item.
    PluginCheckMissing(sangdam_core::plugin::Check),
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input breaks a rule.
    #[error("{message}")]
    Invalid { code: Refusal, message: String },
    /// Missing, or of another site (which a caller must not learn).
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    /// Refused for a reason of its own (a deactivated account, a wrong current password).
    #[error("{message}")]
    Denied { code: Denial, message: String },
    /// No valid credential.
    #[error("log in first")]
    Unauthorized,
    /// Too many failed attempts: try again after this many seconds.
    #[error("{message}")]
    Throttled {
        retry_after_secs: i64,
        message: String,
    },
    /// A messenger platform's request without the site's channel key.
    #[error("{0}")]
    ChannelKeyRefused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Rule(#[from] CoreError),
    /// Every value of a save a rule refused (a form shows each beside its field), at least one.
    #[error("{}", sentences(.0))]
    Rules(Vec<CoreError>),
    /// A well-formed request a rule refuses because of what the site holds now (its category
    /// tree), not because of its form: a conflict that keeps the rule's own code.
    #[error(transparent)]
    Refused(CoreError),
    /// Values refused, each located by a path a page shows beside its field (a bot block's
    /// `response.outputs[0].basicCard.title`) with the limit it breaks; at least one.
    #[error("{}", .0.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; "))]
    Fields(Vec<(String, String)>),
    /// A wallet rule refused the movement (not enough cash, a receivable outstanding, …).
    #[error(transparent)]
    Billing(#[from] billing::BillingError),
    /// This server has no payment gateway configured.
    #[error("no payment gateway is configured on this server")]
    PaymentsNotConfigured,
    /// The payment gateway refused a card or could not be reached.
    #[error(transparent)]
    Payment(protocol::pay::PayError),
    /// Long work (a report's download) stopped because it was cancelled.
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Internal(String),
}

/// The sentences of several refusals, as one.
pub fn sentences(errors: &[CoreError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl AppError {
    pub fn invalid(code: Refusal, message: impl Into<String>) -> Self {
        AppError::Invalid {
            code,
            message: message.into(),
        }
    }
}
