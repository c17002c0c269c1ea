//! The server's one error type, mapped to HTTP in one place, and the codes it answers with.
//!
//! Every error leaves as `{"error": {"code", "message", "details"}}`; an internal error is
//! logged with its cause and the client gets a code and a sentence, never SQL or a trace.
//! `code` is one of [`ErrorCode`]: stable snake_case names a client may branch on and a UI
//! translates (`locales/{ko,en}/errors.ftl` hold a sentence for each); `message` is the specific
//! English sentence of this one error.

use app::AppError;
use app::error::Refusal;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sangdam_core::CoreError;
use sangdam_core::business::Requirement;
use sangdam_core::file::FileRefusal;
use sangdam_core::settings::{SettingsCode, SettingsProblem};
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

/// Declares [`ErrorCode`] with its stable names: one list, so the enum, [`ErrorCode::ALL`] and
/// [`ErrorCode::as_str`] cannot disagree.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)+) => {
        /// Every error code the server answers with, in `error.code` and in the `code` of each
        /// refused field of a settings save (`details.errors[].code`).
        ///
        /// Serialised by serde's snake_case of the variant, which a test checks against the name
        /// given here (the schema derive does not see a `rename` made by a macro).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The stable snake_case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)+
                }
            }
        }
    };
}

error_codes! {
    // What HTTP itself says.
    BadRequest => "bad_request",
    Unauthorized => "unauthorized",
    Forbidden => "forbidden",
    /// A browser request from another site's page (its `Origin` is not Sangdam's).
    ForbiddenOrigin => "forbidden_origin",
    NotFound => "not_found",
    MethodNotAllowed => "method_not_allowed",
    Conflict => "conflict",
    PayloadTooLarge => "payload_too_large",
    UnsupportedMediaType => "unsupported_media_type",
    RateLimited => "rate_limited",
    Internal => "internal",
    UpstreamFailed => "upstream_failed",
    Unavailable => "unavailable",
    // Refused values (422).
    BadCredentials => "bad_credentials",
    InvalidChannel => "invalid_channel",
    TooLong => "too_long",
    EmptyMessage => "empty_message",
    InvalidClientMsgId => "invalid_client_msg_id",
    InvalidRole => "invalid_role",
    InvalidName => "invalid_name",
    InvalidSiteUid => "invalid_site_uid",
    InvalidSettings => "invalid_settings",
    // A messenger platform's request without the site's channel key (401).
    ChannelKeyRefused => "channel_key_refused",
    // The domain rules' own codes (`CoreError::code`).
    InvalidId => "invalid_id",
    InvalidKey => "invalid_key",
    ChannelMismatch => "channel_mismatch",
    InvalidField => "invalid_field",
    MobileNotEditable => "mobile_not_editable",
    InvalidTransition => "invalid_transition",
    /// Agents do not take from the queue by hand on a site that distributes by itself (409).
    DistributionOnly => "distribution_only",
    /// One more consultation would exceed the agent's limit (409).
    LimitReached => "limit_reached",
    CategoryNameTooLong => "category_name_too_long",
    InvalidCategoryName => "invalid_category_name",
    DuplicateCategoryName => "duplicate_category_name",
    UnknownCategory => "unknown_category",
    NotACategory => "not_a_category",
    NotADivision => "not_a_division",
    CategoryUnused => "category_unused",
    DivisionNotOfCategory => "division_not_of_category",
    CategoryIsDefault => "category_is_default",
    InvalidPosition => "invalid_position",
    SubLabelTooLong => "sub_label_too_long",
    InvalidSubLabel => "invalid_sub_label",
    InvalidHours => "invalid_hours",
    InvalidAutoMessage => "invalid_auto_message",
    InvalidCalendar => "invalid_calendar",
    /// A rating of a consultation that has not ended or had no agent (409).
    NotRateable => "not_rateable",
    /// A second rating of one consultation (409).
    AlreadyRated => "already_rated",
    /// A rating too long after the close (409).
    RatingTooLate => "rating_too_late",
    /// A change the site's rules do not allow to an account: the admin's role, the admin's
    /// deactivation (409).
    AccountChangeRefused => "account_change_refused",
    /// A login whose account the admin deactivated (403).
    AccountDeactivated => "account_deactivated",
    /// The current password given to change one's own is not it (403).
    WrongPassword => "wrong_password",
    /// A feature that needs the site's business verified by the platform operator (403).
    BusinessNotVerified => "business_not_verified",
    /// A billed feature on a site without a wallet (403).
    NoWallet => "no_wallet",
    /// A plugin set up while an item of its checklist is missing; the message names it (403).
    PluginCheckMissing => "plugin_check_missing",
    // Images and files a site does not accept.
    FileEmpty => "file_empty",
    /// Over the site's size limit (413).
    FileTooLarge => "file_too_large",
    /// Bytes of no type Sangdam accepts, whatever the name says.
    FileTypeUnknown => "file_type_unknown",
    FileTypeNotAllowed => "file_type_not_allowed",
    ImageUnreadable => "image_unreadable",
    // One refused part of a settings save.
    InvalidSlots => "invalid_slots",
    DescriptionTooLong => "description_too_long",
    InvalidDescription => "invalid_description",
    DescriptionRequired => "description_required",
    SentinelTooLong => "sentinel_too_long",
    InvalidSentinel => "invalid_sentinel",
    TooManySentinels => "too_many_sentinels",
    TemplateTooLong => "template_too_long",
    InvalidTemplate => "invalid_template",
    UnknownTemplateVariable => "unknown_template_variable",
    TemplateNotHttp => "template_not_http",
    TemplateVariableInHost => "template_variable_in_host",
    UrlTooLong => "url_too_long",
    InvalidUrl => "invalid_url",
    InvalidFrameOrigin => "invalid_frame_origin",
    TooManyFrameOrigins => "too_many_frame_origins",
    // The wallet.
    /// Not enough free and paid cash, and no card to charge (409).
    InsufficientFunds => "insufficient_funds",
    /// A failed settlement is unpaid: billed features stop until it is (409).
    ReceivableOutstanding => "receivable_outstanding",
    /// No unused paid cash to refund, or less than asked (409).
    NothingToRefund => "nothing_to_refund",
    RefundOverBalance => "refund_over_balance",
    /// A person's 11th card, a wallet's 2nd payment card or 3rd backup card (409).
    TooManyCards => "too_many_cards",
    /// The card company or the gateway refused the card (402; `details.refusal` says why).
    CardRefused => "card_refused",
    /// This server has no payment gateway configured (409).
    PaymentsNotConfigured => "payments_not_configured",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&CoreError> for ErrorCode {
    fn from(e: &CoreError) -> Self {
        match e {
            CoreError::InvalidId(_) => ErrorCode::InvalidId,
            CoreError::InvalidKey(_) => ErrorCode::InvalidKey,
            CoreError::ChannelMismatch { .. } => ErrorCode::ChannelMismatch,
            CoreError::InvalidField { .. } => ErrorCode::InvalidField,
            CoreError::MobileNotEditable => ErrorCode::MobileNotEditable,
            CoreError::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            CoreError::DistributionOnly { .. } => ErrorCode::DistributionOnly,
            CoreError::AtLimit { .. } => ErrorCode::LimitReached,
            CoreError::CategoryNameTooLong { .. } => ErrorCode::CategoryNameTooLong,
            CoreError::InvalidCategoryName(_) => ErrorCode::InvalidCategoryName,
            CoreError::DuplicateCategoryName(_) => ErrorCode::DuplicateCategoryName,
            CoreError::UnknownCategory { .. } => ErrorCode::UnknownCategory,
            CoreError::NotACategory { .. } => ErrorCode::NotACategory,
            CoreError::NotADivision(_) => ErrorCode::NotADivision,
            CoreError::CategoryUnused { .. } => ErrorCode::CategoryUnused,
            CoreError::DivisionNotOfCategory { .. } => ErrorCode::DivisionNotOfCategory,
            CoreError::CategoryIsDefault(_) => ErrorCode::CategoryIsDefault,
            CoreError::InvalidPosition { .. } => ErrorCode::InvalidPosition,
            CoreError::SubLabelTooLong { .. } => ErrorCode::SubLabelTooLong,
            CoreError::InvalidSubLabel => ErrorCode::InvalidSubLabel,
            CoreError::InvalidHours { .. } => ErrorCode::InvalidHours,
            CoreError::InvalidAutoMessage { .. } => ErrorCode::InvalidAutoMessage,
            CoreError::InvalidCalendar(_) => ErrorCode::InvalidCalendar,
            CoreError::NotRateable => ErrorCode::NotRateable,
            CoreError::AlreadyRated => ErrorCode::AlreadyRated,
            CoreError::RatingTooLate { .. } => ErrorCode::RatingTooLate,
            CoreError::AccountChangeRefused(_) => ErrorCode::AccountChangeRefused,
            CoreError::FileRefused(r) => match r {
                FileRefusal::Empty => ErrorCode::FileEmpty,
                FileRefusal::TooLarge { .. } => ErrorCode::FileTooLarge,
                FileRefusal::UnknownType => ErrorCode::FileTypeUnknown,
                FileRefusal::NotAllowed { .. } => ErrorCode::FileTypeNotAllowed,
                FileRefusal::BrokenImage(_) => ErrorCode::ImageUnreadable,
            },
        }
    }
}

/// One refused part of a settings save, for the page to show next to its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// `parameter3`, `sentinels`, `info_url_template`, `channel_urls.kakao`, `frame_origins`, …
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
    /// The offending names or values (unknown template variables, a too-long sentinel).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The finer stable name of a business-hours or automatic-message problem
    /// (`overlapping_ranges`, `unknown_time_zone`, `unknown_variables`, `message_required`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl FieldError {
    /// A rule's refusal that names its field and its problem (business hours, automatic
    /// messages), as a form shows it beside the field.
    fn of_rule(e: &CoreError) -> Option<FieldError> {
        use sangdam_core::auto_message::MessageProblem;
        let problem = e.problem_code()?;
        let values = match e {
            CoreError::InvalidAutoMessage {
                problem: MessageProblem::UnknownVariables { names, .. },
                ..
            } => names.clone(),
            _ => Vec::new(),
        };
        Some(FieldError {
            field: e.field_name().unwrap_or_default().to_owned(),
            code: ErrorCode::from(e),
            message: e.to_string(),
            values,
            problem: Some(problem.to_owned()),
        })
    }
}

impl From<SettingsCode> for ErrorCode {
    fn from(code: SettingsCode) -> Self {
        match code {
            SettingsCode::InvalidSlots => ErrorCode::InvalidSlots,
            SettingsCode::DescriptionTooLong => ErrorCode::DescriptionTooLong,
            SettingsCode::InvalidDescription => ErrorCode::InvalidDescription,
            SettingsCode::DescriptionRequired => ErrorCode::DescriptionRequired,
            SettingsCode::SentinelTooLong => ErrorCode::SentinelTooLong,
            SettingsCode::InvalidSentinel => ErrorCode::InvalidSentinel,
            SettingsCode::TooManySentinels => ErrorCode::TooManySentinels,
            SettingsCode::TemplateTooLong => ErrorCode::TemplateTooLong,
            SettingsCode::InvalidTemplate => ErrorCode::InvalidTemplate,
            SettingsCode::UnknownTemplateVariable => ErrorCode::UnknownTemplateVariable,
            SettingsCode::TemplateNotHttp => ErrorCode::TemplateNotHttp,
            SettingsCode::TemplateVariableInHost => ErrorCode::TemplateVariableInHost,
            SettingsCode::UrlTooLong => ErrorCode::UrlTooLong,
            SettingsCode::InvalidUrl => ErrorCode::InvalidUrl,
            SettingsCode::InvalidFrameOrigin => ErrorCode::InvalidFrameOrigin,
            SettingsCode::TooManyFrameOrigins => ErrorCode::TooManyFrameOrigins,
        }
    }
}

impl From<SettingsProblem> for FieldError {
    fn from(p: SettingsProblem) -> Self {
        FieldError {
            field: p.field,
            code: p.code.into(),
            message: p.message,
            values: p.values,
            problem: None,
        }
    }
}

/// What more an error says, for a form to show it where it belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ErrorDetails {
    /// The one refused field (`login`, `password`, `email`, …).
    Field { field: String },
    /// Every refused part of a settings save.
    Errors { errors: Vec<FieldError> },
    /// Why a card was refused: `dormant`, `over_limit`, `expired`, `lost_or_stolen`,
    /// `refused`, `invalid_card`.
    Refusal { refusal: String },
}

/// `{"error": {"code", "message", "details"}}`: the shape of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorObject,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorObject {
    pub code: ErrorCode,
    /// The specific sentence, in English.
    pub message: String,
    pub details: Option<ErrorDetails>,
}

impl ErrorBody {
    fn new(code: ErrorCode, message: String, details: Option<ErrorDetails>) -> Self {
        ErrorBody {
            error: ErrorObject {
                code,
                message,
                details,
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Invalid {
        code: ErrorCode,
        message: String,
        details: Option<ErrorDetails>,
    },
    #[error("log in first")]
    Unauthorized,
    #[error("{0}")]
    ChannelKeyRefused(String),
    #[error("{0}")]
    Forbidden(String),
    /// Forbidden with a code of its own (a deactivated account, a wrong current password).
    #[error("{message}")]
    Denied { code: ErrorCode, message: String },
    /// Refused before any handler ran: the request came from another site's page.
    #[error("{0}")]
    ForbiddenOrigin(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// A conflict with a code of its own (a limit reached, a mode that forbids it).
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },
    #[error("too many requests; try again in a moment")]
    TooManyRequests,
    /// Too many failed attempts: answered with `Retry-After`.
    #[error("{message}")]
    RetryLater {
        retry_after_secs: i64,
        message: String,
    },
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// A file over its site's limit (413 `file_too_large`).
    #[error("{0}")]
    FileTooLarge(String),
    #[error("{0}")]
    Upstream(String),
    /// The card was refused (402 `card_refused`), with the refusal's code when known.
    #[error("{message}")]
    CardRefused {
        message: String,
        refusal: Option<String>,
    },
    /// No payment gateway is configured (409 `payments_not_configured`).
    #[error("{0}")]
    PaymentsNotConfigured(String),
    /// Shutting down or overloaded: try again (the request changed nothing).
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            code,
            message: message.into(),
            details: None,
        }
    }

    /// `invalid_field`, naming the field in `details.field`.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            code: ErrorCode::InvalidField,
            message: message.into(),
            details: Some(ErrorDetails::Field {
                field: field.into(),
            }),
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.parts().1
    }

    fn parts(&self) -> (StatusCode, ErrorCode) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            ApiError::Invalid { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            ApiError::ChannelKeyRefused(_) => {
                (StatusCode::UNAUTHORIZED, ErrorCode::ChannelKeyRefused)
            }
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ApiError::Denied { code, .. } => (StatusCode::FORBIDDEN, *code),
            ApiError::ForbiddenOrigin(_) => (StatusCode::FORBIDDEN, ErrorCode::ForbiddenOrigin),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            ApiError::Refused { code, .. } => (StatusCode::CONFLICT, *code),
            ApiError::TooManyRequests | ApiError::RetryLater { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited)
            }
            ApiError::TooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            }
            ApiError::FileTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::FileTooLarge),
            ApiError::Upstream(_) => (StatusCode::BAD_GATEWAY, ErrorCode::UpstreamFailed),
            ApiError::CardRefused { .. } => (StatusCode::PAYMENT_REQUIRED, ErrorCode::CardRefused),
            ApiError::PaymentsNotConfigured(_) => {
                (StatusCode::CONFLICT, ErrorCode::PaymentsNotConfigured)
            }
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let message = self.to_string();
        let retry_after = match &self {
            ApiError::RetryLater {
                retry_after_secs, ..
            } => axum::http::HeaderValue::from_str(&retry_after_secs.max(&1).to_string()).ok(),
            _ => None,
        };
        let details = match self {
            ApiError::Invalid { details, .. } => details,
            ApiError::CardRefused {
                refusal: Some(refusal),
                ..
            } => Some(ErrorDetails::Refusal { refusal }),
            _ => None,
        };
        let mut res = (status, Json(ErrorBody::new(code, message, details))).into_response();
        if let Some(v) = retry_after {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        res
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid { code, message } => ApiError::Invalid {
                code: match code {
                    Refusal::TooLong => ErrorCode::TooLong,
                    Refusal::EmptyMessage => ErrorCode::EmptyMessage,
                    Refusal::InvalidClientMsgId => ErrorCode::InvalidClientMsgId,
                    Refusal::InvalidChannel => ErrorCode::InvalidChannel,
                },
                message,
                details: None,
            },
            AppError::NotFound(what) => ApiError::NotFound(what),
            AppError::Conflict(msg) => ApiError::Conflict(msg),
            AppError::Forbidden(msg) => ApiError::Forbidden(msg),
            AppError::Denied { code, message } => ApiError::Denied {
                code: match code {
                    app::error::Denial::AccountDeactivated => ErrorCode::AccountDeactivated,
                    app::error::Denial::WrongPassword => ErrorCode::WrongPassword,
                    app::error::Denial::RequirementMissing(r) => match r {
                        Requirement::BusinessVerified => ErrorCode::BusinessNotVerified,
                        Requirement::Wallet => ErrorCode::NoWallet,
                        Requirement::NoReceivable => ErrorCode::ReceivableOutstanding,
                    },
                    app::error::Denial::PluginCheckMissing(_) => ErrorCode::PluginCheckMissing,
                },
                message,
            },
            AppError::Unauthorized => ApiError::Unauthorized,
            AppError::ChannelKeyRefused(why) => ApiError::ChannelKeyRefused(why),
            AppError::Throttled {
                retry_after_secs,
                message,
            } => ApiError::RetryLater {
                retry_after_secs,
                message,
            },
            AppError::Store(e) => e.into(),
            AppError::Rule(e) => e.into(),
            AppError::Rules(errors) => {
                let message = app::error::sentences(&errors);
                let code = errors
                    .first()
                    .map_or(ErrorCode::InvalidField, ErrorCode::from);
                ApiError::Invalid {
                    code,
                    message,
                    details: Some(ErrorDetails::Errors {
                        errors: errors
                            .iter()
                            .map(|e| {
                                FieldError::of_rule(e).unwrap_or_else(|| FieldError {
                                    field: e.field_name().unwrap_or_default().to_owned(),
                                    code: ErrorCode::from(e),
                                    message: e.to_string(),
                                    values: Vec::new(),
                                    problem: None,
                                })
                            })
                            .collect(),
                    }),
                }
            }
            AppError::Refused(e) => ApiError::Refused {
                code: ErrorCode::from(&e),
                message: e.to_string(),
            },
            AppError::Fields(problems) => ApiError::Invalid {
                code: ErrorCode::InvalidField,
                message: problems
                    .iter()
                    .map(|(f, m)| format!("{f}: {m}"))
                    .collect::<Vec<_>>()
                    .join("; "),
                details: Some(ErrorDetails::Errors {
                    errors: problems
                        .into_iter()
                        .map(|(field, message)| FieldError {
                            field,
                            code: ErrorCode::InvalidField,
                            message,
                            values: Vec::new(),
                            problem: None,
                        })
                        .collect(),
                }),
            },
            AppError::Billing(e) => {
                use billing::BillingError as B;
                let code = match &e {
                    B::InsufficientFunds { .. } => Some(ErrorCode::InsufficientFunds),
                    B::ReceivableOutstanding { .. } => Some(ErrorCode::ReceivableOutstanding),
                    B::NothingToRefund => Some(ErrorCode::NothingToRefund),
                    B::RefundOverBalance { .. } => Some(ErrorCode::RefundOverBalance),
                    B::TooManyCards { .. } | B::TooManyPaymentCards | B::TooManyBackupCards => {
                        Some(ErrorCode::TooManyCards)
                    }
                    _ => None,
                };
                match code {
                    Some(code) => ApiError::Refused {
                        code,
                        message: e.to_string(),
                    },
                    None => ApiError::invalid(ErrorCode::InvalidField, e.to_string()),
                }
            }
            AppError::Payment(e) => {
                use protocol::pay::PayError as P;
                match e {
                    P::Refused { reason, .. } => ApiError::CardRefused {
                        message: e.to_string(),
                        refusal: Some(reason.code().to_owned()),
                    },
                    P::Timeout | P::Unavailable(_) => ApiError::Upstream(format!(
                        "the payment gateway did not answer; try again ({e})"
                    )),
                    P::Rejected { .. } => {
                        tracing::error!(error = %e, "the payment gateway rejected a request");
                        ApiError::Upstream("the payment gateway refused the request".into())
                    }
                }
            }
            AppError::PaymentsNotConfigured => ApiError::PaymentsNotConfigured(
                "no payment gateway is configured on this server".into(),
            ),
            AppError::Cancelled => ApiError::Conflict("the work was cancelled".into()),
            AppError::Internal(cause) => ApiError::Internal(cause),
        }
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
        let code = ErrorCode::from(&e);
        match e {
            CoreError::InvalidTransition { .. } => ApiError::Conflict(e.to_string()),
            CoreError::FileRefused(FileRefusal::TooLarge { .. }) => {
                ApiError::FileTooLarge(e.to_string())
            }
            CoreError::DistributionOnly { .. }
            | CoreError::AtLimit { .. }
            | CoreError::NotRateable
            | CoreError::AlreadyRated
            | CoreError::RatingTooLate { .. }
            | CoreError::AccountChangeRefused(_) => ApiError::Refused {
                code,
                message: e.to_string(),
            },
            other => ApiError::Invalid {
                code,
                message: other.to_string(),
                // Which field (and, for hours and automatic messages, which problem), so a
                // form can show the error beside it.
                details: match FieldError::of_rule(&other) {
                    Some(error) => Some(ErrorDetails::Errors {
                        errors: vec![error],
                    }),
                    None => other.field_name().map(|field| ErrorDetails::Field {
                        field: field.to_owned(),
                    }),
                },
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
    use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
    let mut resp = next.run(req).await;
    let status = resp.status();
    // A body refused as too large was never read to its end, so the connection cannot carry
    // another request: say so, or a client puts it back in its pool and its next request
    // fails on a connection the server has closed.
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        resp.headers_mut()
            .insert(CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
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
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    };
    let message = match (text.is_empty(), status) {
        (false, s) if !s.is_server_error() => text,
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let mut out = (status, Json(ErrorBody::new(code, message, None))).into_response();
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn codes_are_distinct_snake_case_and_serialise_as_named() {
        let names: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for &code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(name.to_owned())
            );
        }
    }

    #[test]
    fn core_errors_keep_their_own_codes() {
        use inflow::Channel;
        use sangdam_core::ConsultationState;
        let all = [
            CoreError::InvalidId("x".into()),
            CoreError::InvalidKey("k".into()),
            CoreError::ChannelMismatch {
                channel: Channel::Kakao,
                user: "visitor",
            },
            CoreError::InvalidField {
                field: "email",
                reason: "no".into(),
            },
            CoreError::MobileNotEditable,
            CoreError::InvalidTransition {
                from: ConsultationState::Closed,
                action: "take",
            },
            CoreError::DistributionOnly {
                mode: sangdam_core::DistributionMode::RoundRobin,
            },
            CoreError::AtLimit {
                open: 3,
                max_open: 3,
            },
            CoreError::CategoryNameTooLong { chars: 16 },
            CoreError::InvalidCategoryName("empty".into()),
            CoreError::DuplicateCategoryName("a".into()),
            CoreError::UnknownCategory {
                field: "parent_id",
                id: 1,
            },
            CoreError::NotACategory {
                field: "parent_id",
                id: 1,
            },
            CoreError::NotADivision(1),
            CoreError::CategoryUnused {
                field: "parent_id",
                id: 1,
            },
            CoreError::DivisionNotOfCategory {
                division: 2,
                category: 1,
            },
            CoreError::CategoryIsDefault(1),
            CoreError::InvalidPosition {
                position: 3,
                last: 1,
            },
            CoreError::SubLabelTooLong { chars: 9 },
            CoreError::InvalidSubLabel,
            CoreError::InvalidHours {
                field: "time_zone".into(),
                problem: sangdam_core::hours::HoursProblem::UnknownTimeZone("Mars/Base".into()),
            },
            CoreError::InvalidAutoMessage {
                field: "auto_messages.greeting.text".into(),
                problem: sangdam_core::auto_message::MessageProblem::Required,
            },
            CoreError::InvalidCalendar("no VCALENDAR".into()),
            CoreError::NotRateable,
            CoreError::AlreadyRated,
            CoreError::RatingTooLate { days: 7 },
            CoreError::FileRefused(FileRefusal::Empty),
            CoreError::FileRefused(FileRefusal::TooLarge { size: 2, max: 1 }),
            CoreError::FileRefused(FileRefusal::UnknownType),
            CoreError::FileRefused(FileRefusal::NotAllowed {
                kind: sangdam_core::file::FileKind::Pdf,
            }),
            CoreError::FileRefused(FileRefusal::BrokenImage("x".into())),
        ];
        for e in &all {
            assert_eq!(ErrorCode::from(e).as_str(), e.code());
        }
    }

    #[test]
    fn settings_problems_keep_their_own_codes() {
        for code in SettingsCode::ALL {
            assert_eq!(ErrorCode::from(code).as_str(), code.as_str());
        }
    }

    #[test]
    fn a_settings_problem_keeps_its_field_message_and_values() {
        let problem = sangdam_core::settings::check_template(Some("https://x/?m=[member_no]"))
            .err()
            .unwrap();
        let e = FieldError::from(problem.clone());
        assert_eq!(e.field, "info_url_template");
        assert_eq!(e.code, ErrorCode::UnknownTemplateVariable);
        assert_eq!(e.message, problem.message);
        assert_eq!(e.values, ["member_no"]);
        assert_eq!(
            serde_json::to_value(&e).unwrap()["values"],
            serde_json::json!(["member_no"])
        );
    }

    /// `error-<code> = text` lines of a Fluent file (ignoring comments, blank lines and
    /// continuation lines, which start with a space).
    fn fluent_ids(path: &str) -> BTreeSet<String> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut ids = BTreeSet::new();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') || line.starts_with(' ') {
                continue;
            }
            let (id, value) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("{path}:{}: not `id = value`: {line:?}", n + 1));
            let id = id.trim();
            assert!(
                !value.trim().is_empty(),
                "{path}:{}: {id} has no text",
                n + 1
            );
            let code = id
                .strip_prefix("error-")
                .unwrap_or_else(|| panic!("{path}:{}: {id} is not error-<code>", n + 1));
            assert!(ids.insert(code.to_owned()), "{path}:{}: {id} twice", n + 1);
        }
        ids
    }

    #[test]
    fn every_code_has_a_text_in_korean_and_english() {
        let codes: BTreeSet<String> = ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        for lang in ["ko", "en"] {
            let path = format!(
                "{}/../../locales/{lang}/errors.ftl",
                env!("CARGO_MANIFEST_DIR")
            );
            let ids = fluent_ids(&path);
            let missing: Vec<_> = codes.difference(&ids).collect();
            let unknown: Vec<_> = ids.difference(&codes).collect();
            assert!(missing.is_empty(), "{path} lacks {missing:?}");
            assert!(
                unknown.is_empty(),
                "{path} has codes ErrorCode lacks: {unknown:?}"
            );
        }
    }
}
