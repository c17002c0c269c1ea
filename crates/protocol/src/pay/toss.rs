//! The client of Toss Payments' 자동결제(빌링) API: registration, charges and refunds over
//! HTTPS, each error answer read into a [`PayError`] (see the table in the module above).

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{StatusCode, Url};
use serde::Serialize;

use super::wire::{self, Billing, CancelBody, ChargeBody, ErrorBody, IssueBody, Payment};
use super::{
    CancelRequest, Cancelled, ChargeRequest, Charged, IssueRequest, IssuedCard, PayError,
    PayFuture, PaymentGateway, Refusal,
};

/// Toss Payments' API host.
pub const DEFAULT_BASE_URL: &str = "https://api.tosspayments.com";
/// A card company's approval can take several seconds; 30 s leaves room for it without holding
/// a worker for ever.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read; a Payment object is a few KiB.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Toss Payments, authenticated with one secret key.
#[derive(Clone)]
pub struct TossPayments {
    base_url: String,
    /// `Basic base64(secretKey + ":")`, marked sensitive so no debug output shows it.
    authorization: HeaderValue,
    http: reqwest::Client,
    timeout: Duration,
}

impl fmt::Debug for TossPayments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the secret key, even encoded.
        f.debug_struct("TossPayments")
            .field("base_url", &self.base_url)
            .field("secret_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl TossPayments {
    /// A client of the API at `base_url` ([`DEFAULT_BASE_URL`], or a peer's), giving up on an
    /// answer after `timeout`. A base URL that is not one is reported by each call.
    pub fn new(base_url: &str, secret_key: &str, timeout: Duration) -> TossPayments {
        let http = reqwest::Client::builder()
            // The API never redirects; following one could send the key elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .build()
            // Building fails only when the TLS backend cannot start; the default client then
            // fails each request alike, and the timeout is set on each request anyway.
            .unwrap_or_default();
        TossPayments {
            base_url: base_url.trim_end_matches('/').to_owned(),
            authorization: basic_auth(secret_key),
            http,
            timeout,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `{base}/{segments…}`, each segment percent-encoded (billing keys carry `=` and `/`-like
    /// characters of base64).
    fn url(&self, segments: &[&str]) -> Result<Url, PayError> {
        let mut url = Url::parse(&self.base_url).map_err(|e| {
            PayError::rejected("INVALID_BASE_URL", format!("{}: {e}", self.base_url))
        })?;
        url.path_segments_mut()
            .map_err(|()| PayError::rejected("INVALID_BASE_URL", self.base_url.clone()))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    pub async fn issue_billing_key(&self, req: &IssueRequest) -> Result<IssuedCard, PayError> {
        wire::check_auth_key(&req.auth_key).map_err(refused)?;
        wire::check_customer_key(&req.customer_key).map_err(refused)?;
        let url = self.url(&["v1", "billing", "authorizations", "issue"])?;
        let body = IssueBody {
            auth_key: &req.auth_key,
            customer_key: &req.customer_key,
        };
        // The auth key is single-use and unique to this registration: as the idempotency key
        // it makes a retry after a lost answer get the billing key back instead of "already
        // used".
        let bytes = self.post(Op::Issue, url, &req.auth_key, &body).await?;
        issued_card(read(&bytes)?, &bytes)
    }

    pub async fn charge(&self, req: &ChargeRequest) -> Result<Charged, PayError> {
        wire::check_billing_key(&req.billing_key).map_err(refused)?;
        wire::check_idempotency_key(&req.idempotency_key).map_err(refused)?;
        let body = ChargeBody {
            customer_key: &req.customer_key,
            amount: req.amount,
            order_id: &req.order_id,
            order_name: &req.order_name,
            customer_email: req.customer_email.as_deref(),
        };
        wire::check_charge(&body).map_err(refused)?;
        let url = self.url(&["v1", "billing", &req.billing_key])?;
        let bytes = self
            .post(Op::Charge, url, &req.idempotency_key, &body)
            .await?;
        let payment = done(Op::Charge, read(&bytes)?, &bytes)?;
        Ok(Charged {
            payment_key: payment.payment_key.unwrap_or_default(),
            order_id: payment.order_id.unwrap_or_else(|| req.order_id.clone()),
            amount: payment.total_amount.unwrap_or(req.amount),
            approved_at: payment.approved_at.unwrap_or_default(),
        })
    }

    pub async fn cancel(&self, req: &CancelRequest) -> Result<Cancelled, PayError> {
        wire::check_payment_key(&req.payment_key).map_err(refused)?;
        wire::check_idempotency_key(&req.idempotency_key).map_err(refused)?;
        let body = CancelBody {
            cancel_reason: &req.reason,
            cancel_amount: req.amount,
        };
        wire::check_cancel(&body).map_err(refused)?;
        let url = self.url(&["v1", "payments", &req.payment_key, "cancel"])?;
        let bytes = self
            .post(Op::Cancel, url, &req.idempotency_key, &body)
            .await?;
        let payment: Payment = read(&bytes)?;
        if let Some(failure) = payment.failure.filter(|f| f.code.is_some()) {
            return Err(classify(Op::Cancel, 200, failure));
        }
        // Toss lists the cancels oldest first; a replayed answer is the first one, whose last
        // entry is still this cancel.
        let cancelled_amount = payment
            .cancels
            .last()
            .and_then(|c| c.cancel_amount)
            .or(req.amount)
            .or_else(|| Some(payment.total_amount? - payment.balance_amount?))
            .unwrap_or_default();
        Ok(Cancelled {
            payment_key: payment
                .payment_key
                .unwrap_or_else(|| req.payment_key.clone()),
            cancelled_amount,
        })
    }

    /// POSTs `body` with the idempotency key and answers the 2xx body; any other answer, or
    /// none, is the error it stands for.
    async fn post<B: Serialize + ?Sized>(
        &self,
        op: Op,
        url: Url,
        idempotency_key: &str,
        body: &B,
    ) -> Result<Vec<u8>, PayError> {
        let res = self
            .http
            .post(url)
            .header(reqwest::header::AUTHORIZATION, self.authorization.clone())
            .header("Idempotency-Key", idempotency_key)
            .timeout(self.timeout)
            .json(body)
            .send()
            .await
            .map_err(transport)?;
        let status = res.status();
        if res
            .content_length()
            .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
        {
            return Err(PayError::Unavailable(format!(
                "HTTP {status} with an answer over 1 MiB"
            )));
        }
        let bytes = res.bytes().await.map_err(transport)?;
        if bytes.len() > MAX_ANSWER_BYTES {
            return Err(PayError::Unavailable(format!(
                "HTTP {status} with an answer over 1 MiB"
            )));
        }
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        Err(error_answer(op, status, &bytes))
    }
}

impl PaymentGateway for TossPayments {
    fn issue_billing_key<'a>(&'a self, req: &'a IssueRequest) -> PayFuture<'a, IssuedCard> {
        Box::pin(TossPayments::issue_billing_key(self, req))
    }

    fn charge<'a>(&'a self, req: &'a ChargeRequest) -> PayFuture<'a, Charged> {
        Box::pin(TossPayments::charge(self, req))
    }

    fn cancel<'a>(&'a self, req: &'a CancelRequest) -> PayFuture<'a, Cancelled> {
        Box::pin(TossPayments::cancel(self, req))
    }
}

/// Which call an answer belongs to: a few codes mean different things on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Issue,
    Charge,
    Cancel,
}

/// The `Authorization` header for a secret key, marked sensitive.
pub(crate) fn basic_auth(secret_key: &str) -> HeaderValue {
    let mut value = HeaderValue::try_from(wire::basic_auth(secret_key))
        // Base64 is always a valid header value; an empty one would be refused by Toss with
        // 401, the right outcome for a key that cannot be sent.
        .unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

/// The refusal a Toss error code stands for, whatever the call (see the table in the module
/// above; `NOT_FOUND_BILLING` is one only on a charge, see [`classify`]).
pub fn refusal_for(code: &str) -> Option<Refusal> {
    Some(match code {
        "INVALID_STOPPED_CARD" => Refusal::Dormant,
        "REJECT_CARD_PAYMENT"
        | "REJECT_ACCOUNT_PAYMENT"
        | "EXCEED_MAX_AMOUNT"
        | "EXCEED_MAX_PAYMENT_AMOUNT"
        | "EXCEED_MAX_DAILY_PAYMENT_COUNT"
        | "EXCEED_MAX_ONE_DAY_AMOUNT"
        | "EXCEED_MAX_MONTHLY_PAYMENT_AMOUNT" => Refusal::OverLimit,
        "INVALID_CARD_EXPIRATION" => Refusal::Expired,
        "INVALID_CARD_LOST_OR_STOLEN" => Refusal::LostOrStolen,
        "REJECT_CARD_COMPANY" | "INVALID_REJECT_CARD" | "EXCEED_MAX_AUTH_COUNT" | "FDS_ERROR" => {
            Refusal::Refused
        }
        "INVALID_BILL_KEY_REQUEST"
        | "BILLING_KEY_NOT_FOUND"
        | "INVALID_CARD_NUMBER"
        | "INVALID_CARD"
        | "NOT_SUPPORTED_CARD_TYPE"
        | "NOT_REGISTERED_CARD_COMPANY" => Refusal::InvalidCard,
        _ => return None,
    })
}

/// Codes that say "not now": Toss or the card company had a passing fault. Most come with a
/// 5xx anyway; these are the ones that also come with a 4xx, or inside a Payment's `failure`.
fn is_transient(code: &str) -> bool {
    matches!(
        code,
        "PROVIDER_ERROR"
            | "CARD_PROCESSING_ERROR"
            | "FAILED_CARD_COMPANY_RESPONSE"
            | "IDEMPOTENT_REQUEST_PROCESSING"
            | "FORBIDDEN_CONSECUTIVE_REQUEST"
            | "TOO_MANY_REQUESTS"
            | "COMMON_ERROR"
            | "UNKNOWN_ERROR"
            | "UNKNOWN_PAYMENT_ERROR"
            | "FAILED_INTERNAL_SYSTEM_PROCESSING"
            | "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING"
    )
}

/// The error a Toss error body stands for, answered with `status` to `op`.
pub(crate) fn classify(op: Op, status: u16, body: ErrorBody) -> PayError {
    let code = body.code.unwrap_or_default();
    let message = body.message.unwrap_or_default();
    // The billing key a charge names is gone: the card behind it is no longer usable. On an
    // issue the same code means the auth key is unknown, which is our request's fault.
    let refusal = refusal_for(&code).or_else(|| {
        (op == Op::Charge && code == "NOT_FOUND_BILLING").then_some(Refusal::InvalidCard)
    });
    if let Some(reason) = refusal {
        return PayError::Refused {
            reason,
            code,
            message,
        };
    }
    if is_transient(&code) || status >= 500 || status == 429 || status == 409 {
        let what = if code.is_empty() {
            format!("HTTP {status}")
        } else {
            format!("HTTP {status} {code}")
        };
        return PayError::Unavailable(if message.is_empty() {
            what
        } else {
            format!("{what}: {message}")
        });
    }
    if code.is_empty() {
        return PayError::Rejected {
            code: format!("HTTP_{status}"),
            message,
        };
    }
    PayError::Rejected { code, message }
}

/// A non-2xx answer: Toss's error body if it has one, else the status alone.
pub(crate) fn error_answer(op: Op, status: StatusCode, bytes: &[u8]) -> PayError {
    let body = serde_json::from_slice::<ErrorBody>(bytes).unwrap_or_default();
    let body = if body.code.is_none() && body.message.is_none() {
        ErrorBody {
            code: None,
            message: Some(snippet(bytes)),
        }
    } else {
        body
    };
    classify(op, status.as_u16(), body)
}

/// The card a Billing object describes.
pub(super) fn issued_card(billing: Billing, bytes: &[u8]) -> Result<IssuedCard, PayError> {
    let billing_key = billing
        .billing_key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| unreadable("no billingKey", bytes))?;
    let card = billing.card;
    let card_company = billing
        .card_company
        .or(card.company)
        .or_else(|| {
            let code = card.issuer_code.as_deref()?;
            Some(wire::card_company_name(code).unwrap_or(code).to_owned())
        })
        .unwrap_or_default();
    Ok(IssuedCard {
        billing_key,
        card_company,
        masked_number: billing.card_number.or(card.number).unwrap_or_default(),
        card_type: card.card_type,
        owner_type: card.owner_type,
    })
}

/// A Payment that is `DONE`; a failed one is its failure's error.
pub(super) fn done(op: Op, payment: Payment, bytes: &[u8]) -> Result<Payment, PayError> {
    if let Some(failure) = payment.failure.clone().filter(|f| f.code.is_some()) {
        return Err(classify(op, 200, failure));
    }
    if payment.payment_key.as_deref().is_none_or(str::is_empty) {
        return Err(unreadable("no paymentKey", bytes));
    }
    match payment.status.as_deref() {
        // An answer without a status is read as the success its 200 says it is.
        None | Some("DONE") => Ok(payment),
        Some(other) => Err(PayError::Rejected {
            code: other.to_owned(),
            message: format!(
                "payment {} is {other}, not DONE",
                payment.payment_key.unwrap_or_default()
            ),
        }),
    }
}

pub(super) fn read<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, PayError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| unreadable(&e.to_string(), bytes))?;
    crate::lenient::fit(value).ok_or_else(|| unreadable("not a JSON object", bytes))
}

/// A 2xx answer Sangdam cannot read: whatever happened at Toss happened, so the same key
/// retried later gets the same answer back (see [`PayError::retry_same_key`]).
fn unreadable(why: &str, bytes: &[u8]) -> PayError {
    PayError::Unavailable(format!("unreadable answer ({why}): {}", snippet(bytes)))
}

fn snippet(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
}

fn refused(r: wire::Refused) -> PayError {
    PayError::rejected(r.code, r.message)
}

fn transport(e: reqwest::Error) -> PayError {
    if e.is_timeout() {
        PayError::Timeout
    } else if e.is_connect() {
        PayError::Unavailable(format!("cannot connect: {e}"))
    } else if e.is_builder() {
        // Nothing was sent: the request itself could not be made.
        PayError::rejected("INVALID_REQUEST", e.to_string())
    } else {
        // Sent, but the answer broke off: like a timeout, the charge may have happened, and
        // the same key finds out.
        PayError::Unavailable(format!("the answer broke off: {e}"))
    }
}
