//! Charging cards: the one trait the wallet charges through, [`PaymentGateway`], its real
//! implementation for Toss Payments' 자동결제(빌링) API ([`toss::TossPayments`]) and, with the
//! `testing` feature, a local peer that speaks the same API ([`peer::TossPeer`]).
//!
//! The flow is Toss's: the card registration window (Toss-hosted; the peer serves its own)
//! redirects the customer to Sangdam with a one-time `authKey`; [`PaymentGateway::issue_billing_key`]
//! turns it into a billing key; [`PaymentGateway::charge`] charges the billing key;
//! [`PaymentGateway::cancel`] refunds all or part of a payment. Every charge and cancel carries an
//! idempotency key, sent as Toss's `Idempotency-Key` header: the same key always gets the first
//! answer back and never a second charge, so a charge whose answer was lost is retried with the
//! same key (see [`PayError::retry_same_key`]).
//!
//! # Toss's documents this module follows
//!
//! - Endpoints and bodies: `POST /v1/billing/authorizations/issue` `{authKey, customerKey}`,
//!   `POST /v1/billing/{billingKey}` `{customerKey, amount, orderId, orderName, customerEmail?}`,
//!   `POST /v1/payments/{paymentKey}/cancel` `{cancelReason, cancelAmount?}` —
//!   docs.tosspayments.com/guides/billing/integration and /reference (자동결제 API, 결제 취소).
//! - Authentication: `Authorization: Basic base64(secretKey + ":")` —
//!   docs.tosspayments.com/reference/using-api/authorization (the guides' example header for the
//!   document test key `test_sk_zXLkKEypNArWmo50nX3lmeaxYG5R` is checked in the tests).
//! - Idempotency: docs.tosspayments.com/guides/using-api/idempotency-key — every POST takes
//!   `Idempotency-Key` (at most 300 characters, kept 15 days); a repeat with the same key, API
//!   key, URL and method is not executed again and gets the first answer (the English guide adds:
//!   errors too); a repeat while the first is still being processed gets
//!   `409 IDEMPOTENT_REQUEST_PROCESSING`; a key over 300 characters `400 INVALID_IDEMPOTENCY_KEY`.
//! - The Billing object (`billingKey`, `customerKey`, `cardCompany`, `cardNumber` masked like
//!   `43301234****123*`, `card {issuerCode, acquirerCode, number, cardType, ownerType}`) and the
//!   Payment object (`paymentKey`, `orderId`, `status` `DONE`, `totalAmount`, `balanceAmount`,
//!   `approvedAt`, `card`, `cancels[] {cancelAmount, canceledAt, …}`, `failure`) — the API
//!   reference; the Billing fields were confirmed from published integrations, since the
//!   reference page itself was not readable in the stored copies.
//! - Errors: a non-2xx status with `{"code", "message"}` — docs.tosspayments.com/reference/error-codes
//!   (전체 에러 목록, and the per-API tables 결제 승인, 카드 자동결제 승인, 결제 취소).
//!
//! # Error codes and what they mean here
//!
//! | Toss code (HTTP status) | Sangdam |
//! | --- | --- |
//! | `INVALID_STOPPED_CARD` (400) 정지된 카드 | [`Refusal::Dormant`] |
//! | `REJECT_CARD_PAYMENT` (403) 한도초과 혹은 잔액부족, `EXCEED_MAX_AMOUNT` (400), `EXCEED_MAX_PAYMENT_AMOUNT` (400), `EXCEED_MAX_DAILY_PAYMENT_COUNT` (400), `EXCEED_MAX_ONE_DAY_AMOUNT` (403), `EXCEED_MAX_MONTHLY_PAYMENT_AMOUNT` (400), `REJECT_ACCOUNT_PAYMENT` (403) 잔액부족 | [`Refusal::OverLimit`] |
//! | `INVALID_CARD_EXPIRATION` (400) | [`Refusal::Expired`] |
//! | `INVALID_CARD_LOST_OR_STOLEN` (400) 분실 혹은 도난 카드 | [`Refusal::LostOrStolen`] |
//! | `REJECT_CARD_COMPANY` (403) 결제 승인이 거절, `INVALID_REJECT_CARD` (400) 카드 사용이 거절, `EXCEED_MAX_AUTH_COUNT` (403), `FDS_ERROR` (403) | [`Refusal::Refused`] |
//! | `INVALID_BILL_KEY_REQUEST` (400), `BILLING_KEY_NOT_FOUND` (400), `NOT_FOUND_BILLING` (404, on a charge), `INVALID_CARD_NUMBER` (400), `INVALID_CARD` (400), `NOT_SUPPORTED_CARD_TYPE` (400), `NOT_REGISTERED_CARD_COMPANY` (400) | [`Refusal::InvalidCard`] |
//! | `PROVIDER_ERROR` (400), `CARD_PROCESSING_ERROR` (400), `FAILED_CARD_COMPANY_RESPONSE`, `IDEMPOTENT_REQUEST_PROCESSING` (409), `FORBIDDEN_CONSECUTIVE_REQUEST` (403), any 429 or 5xx (`FAILED_INTERNAL_SYSTEM_PROCESSING`, `FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING`, `UNKNOWN_PAYMENT_ERROR`, `COMMON_ERROR`, …) | [`PayError::Unavailable`] |
//! | `UNAUTHORIZED_KEY` (401), `INVALID_API_KEY` (400), `DUPLICATED_ORDER_ID` (400), `NOT_MATCHES_CUSTOMER_KEY` (400), `NOT_CANCELABLE_AMOUNT` (403), `ALREADY_CANCELED_PAYMENT` (400), `NOT_FOUND_PAYMENT` (404), and every other code | [`PayError::Rejected`] |
//!
//! Where the documents were silent: Toss has no code for a *dormant* card as such; 정지된 카드
//! (`INVALID_STOPPED_CARD`) is the nearest. Insufficient balance and over the limit share
//! `REJECT_CARD_PAYMENT` (the documents give one message for both). The per-API table of
//! 카드 자동결제 승인 is rendered by a script on Toss's page, so its exact rows were read from
//! copies of it in published integrations (they agree with the 결제 승인 table and the full
//! list); `INVALID_CARD_LOST_OR_STOLEN` is in the 결제 승인 table, not in the full list.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

#[cfg(feature = "testing")]
pub mod peer;
pub mod toss;
pub(crate) mod wire;

pub use toss::TossPayments;

/// A future of the payment gateway.
pub type PayFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, PayError>> + Send + 'a>>;

/// Where the wallet charges cards. One implementation speaks Toss Payments' API; tests and
/// development point it at [`peer::TossPeer`] (feature `testing`) instead.
pub trait PaymentGateway: Send + Sync + Debug {
    /// Turns the card registration window's one-time auth key into a billing key.
    fn issue_billing_key<'a>(&'a self, req: &'a IssueRequest) -> PayFuture<'a, IssuedCard>;
    /// Charges `amount` KRW (gross, VAT included) with a billing key; `idempotency_key` makes a
    /// retry return the first answer.
    fn charge<'a>(&'a self, req: &'a ChargeRequest) -> PayFuture<'a, Charged>;
    /// Cancels (refunds) all or part of a payment.
    fn cancel<'a>(&'a self, req: &'a CancelRequest) -> PayFuture<'a, Cancelled>;
}

/// What the card registration window sent back to `successUrl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRequest {
    /// The window's one-time key (`authKey`); usable once.
    pub auth_key: String,
    /// The customer the card was registered for (`customerKey`); every charge of the billing
    /// key must name the same one.
    pub customer_key: String,
}

/// A registered card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCard {
    pub billing_key: String,
    /// The issuer as Toss names it (`cardCompany`, e.g. `현대`).
    pub card_company: String,
    /// The card number as Toss masks it, e.g. `43301234****123*`.
    pub masked_number: String,
    /// `신용`, `체크`, `기프트` (`card.cardType`).
    pub card_type: Option<String>,
    /// `개인`, `법인` (`card.ownerType`).
    pub owner_type: Option<String>,
}

/// One charge of a billing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeRequest {
    pub billing_key: String,
    /// The customer the billing key was issued for.
    pub customer_key: String,
    /// KRW, gross (VAT included); at least 100 (Toss's minimum for a card).
    pub amount: i64,
    /// Unique per successful charge: 6–64 of `A-Z a-z 0-9 - _`.
    pub order_id: String,
    /// What the customer sees on the statement and receipt; at most 100 characters.
    pub order_name: String,
    /// Where Toss sends the receipt.
    pub customer_email: Option<String>,
    /// The same key on a retry returns the first answer instead of charging again; at most 300
    /// characters.
    pub idempotency_key: String,
}

/// A charge that went through (Toss status `DONE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charged {
    pub payment_key: String,
    pub order_id: String,
    /// What Toss charged (`totalAmount`), KRW.
    pub amount: i64,
    /// When the card company approved it, ISO 8601 with offset (`approvedAt`, e.g.
    /// `2024-02-13T12:18:14+09:00`).
    pub approved_at: String,
}

/// A refund of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelRequest {
    pub payment_key: String,
    /// KRW to refund; `None` refunds everything not refunded yet.
    pub amount: Option<i64>,
    /// Why (`cancelReason`), at most 200 characters; shown in Toss's records.
    pub reason: String,
    /// The same key on a retry returns the first answer instead of refunding again.
    pub idempotency_key: String,
}

/// A refund that went through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancelled {
    pub payment_key: String,
    /// What this cancel refunded, KRW.
    pub cancelled_amount: i64,
}

/// Why a card was refused: the wallet tries the customer's next card for any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Suspended or dormant (정지된 카드).
    Dormant,
    /// Over the card's limit or not enough balance.
    OverLimit,
    /// Past its expiry date.
    Expired,
    /// Reported lost or stolen.
    LostOrStolen,
    /// The card company declined without saying more.
    Refused,
    /// The billing key or the card it stands for is no longer usable.
    InvalidCard,
}

impl Refusal {
    pub const ALL: [Refusal; 6] = [
        Refusal::Dormant,
        Refusal::OverLimit,
        Refusal::Expired,
        Refusal::LostOrStolen,
        Refusal::Refused,
        Refusal::InvalidCard,
    ];

    /// A stable snake_case code (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Dormant => "dormant",
            Refusal::OverLimit => "over_limit",
            Refusal::Expired => "expired",
            Refusal::LostOrStolen => "lost_or_stolen",
            Refusal::Refused => "refused",
            Refusal::InvalidCard => "invalid_card",
        }
    }

    /// The refusal named by `code` (see [`Refusal::code`]).
    pub fn parse(code: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What went wrong charging, registering or refunding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayError {
    /// The card company or gateway refused the card: try the next card.
    #[error("the card was refused ({reason}, {code}): {message}")]
    Refused {
        reason: Refusal,
        code: String,
        message: String,
    },
    /// No answer in time: the charge may or may not have happened; retry with the SAME
    /// idempotency key.
    #[error("the payment gateway did not answer in time")]
    Timeout,
    /// The gateway could not be reached or answered 5xx: retry later with the same key.
    #[error("the payment gateway is unavailable: {0}")]
    Unavailable(String),
    /// Our request or credentials are wrong (4xx that is not a card refusal): do not retry
    /// blindly.
    #[error("the payment gateway rejected the request ({code}): {message}")]
    Rejected { code: String, message: String },
}

impl PayError {
    /// The card itself was refused: the next card may go through.
    pub fn is_card_refusal(&self) -> bool {
        matches!(self, PayError::Refused { .. })
    }

    /// The outcome is unknown or the gateway was away: retry later with the same idempotency
    /// key, which returns the first answer if there was one and charges at most once.
    ///
    /// An [`PayError::Unavailable`] that Toss *answered* (a 5xx or a transient code) is
    /// replayed for the same key like any answer, for the key's 15 days; no charge was made by
    /// such an answer, so after the same-key retry returns it again a fresh key is safe.
    pub fn retry_same_key(&self) -> bool {
        matches!(self, PayError::Timeout | PayError::Unavailable(_))
    }

    /// A stable snake_case code: the refusal's for a refused card, else the kind.
    pub fn code(&self) -> &'static str {
        match self {
            PayError::Refused { reason, .. } => reason.code(),
            PayError::Timeout => "timeout",
            PayError::Unavailable(_) => "unavailable",
            PayError::Rejected { .. } => "rejected",
        }
    }

    pub(crate) fn rejected(code: &str, message: impl Into<String>) -> PayError {
        PayError::Rejected {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests;
