//! Toss Payments' JSON as it crosses the wire: the request bodies Sangdam sends (strict: only
//! what the documents allow), the Payment and Billing objects it reads (lenient: unknown keys
//! ignored, mistyped values tolerated) and the error body. The checks of what Toss accepts live
//! here too, so the client refuses a request before sending it and the peer refuses it with
//! the same code Toss would.

use serde::{Deserialize, Serialize};

use crate::lenient;

/// Toss's limit on an `Idempotency-Key`.
pub(crate) const MAX_IDEMPOTENCY_KEY: usize = 300;
/// Toss's smallest card payment, KRW.
pub(crate) const MIN_CARD_AMOUNT: i64 = 100;
const MAX_ORDER_NAME: usize = 100;
const MAX_CANCEL_REASON: usize = 200;
const MAX_BILLING_KEY: usize = 200;
const MAX_EMAIL: usize = 100;

/// `Basic base64(secretKey + ":")`: the secret key as the user name and no password, as Toss
/// authenticates every API call.
pub(crate) fn basic_auth(secret_key: &str) -> String {
    format!("Basic {}", base64(format!("{secret_key}:").as_bytes()))
}

/// Standard base64 with padding (RFC 4648 §4); a header is the only thing encoded, so a few
/// lines here rather than a dependency.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `{"code", "message"}`: every non-2xx answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
}

/// A code and sentence Toss would answer; what a check below refuses with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl Refused {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Refused {
        Refused {
            status,
            code,
            message: message.into(),
        }
    }
}

/// `POST /v1/billing/authorizations/issue`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IssueBody<'a> {
    pub auth_key: &'a str,
    pub customer_key: &'a str,
}

/// `POST /v1/billing/{billingKey}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ChargeBody<'a> {
    pub customer_key: &'a str,
    pub amount: i64,
    pub order_id: &'a str,
    pub order_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<&'a str>,
}

/// `POST /v1/payments/{paymentKey}/cancel`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CancelBody<'a> {
    pub cancel_reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_amount: Option<i64>,
}

/// The parts of Toss's Payment object Sangdam reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Payment {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub payment_key: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub total_amount: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub balance_amount: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub approved_at: Option<String>,
    #[serde(deserialize_with = "lenient::vec_of")]
    pub cancels: Vec<Cancel>,
    #[serde(deserialize_with = "lenient::opt")]
    pub failure: Option<ErrorBody>,
}

/// One entry of a Payment's `cancels`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Cancel {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub cancel_amount: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub cancel_status: Option<String>,
}

/// The parts of Toss's Billing object Sangdam reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Billing {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub billing_key: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub card_company: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub card_number: Option<String>,
    #[serde(deserialize_with = "lenient::or_default")]
    pub card: BillingCard,
}

/// A Billing object's `card` (older answers put `company` and `number` here only).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct BillingCard {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub company: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub issuer_code: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub number: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub card_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub owner_type: Option<String>,
}

/// The issuer's name for Toss's card company code (카드사 코드, as Toss's reference lists them),
/// for an answer that carries only `card.issuerCode`.
pub(crate) fn card_company_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "3K" => "기업비씨",
        "46" => "광주",
        "71" => "롯데",
        "30" => "산업",
        "31" => "BC",
        "51" => "삼성",
        "38" => "새마을",
        "41" => "신한",
        "62" => "신협",
        "36" => "씨티",
        "33" | "W1" => "우리",
        "37" => "우체국",
        "39" => "저축",
        "35" => "전북",
        "42" => "제주",
        "15" => "카카오뱅크",
        "3A" => "케이뱅크",
        "24" => "토스뱅크",
        "21" => "하나",
        "61" => "현대",
        "11" => "국민",
        "91" => "농협",
        "34" => "수협",
        _ => return None,
    })
}

fn is_order_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_customer_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=' | '.' | '@')
}

/// An `Idempotency-Key` Toss takes (and Sangdam always sends one: never empty).
pub(crate) fn check_idempotency_key(key: &str) -> Result<(), Refused> {
    if key.is_empty() || key.chars().count() > MAX_IDEMPOTENCY_KEY {
        return Err(Refused::new(
            400,
            "INVALID_IDEMPOTENCY_KEY",
            format!("멱등키는 1자 이상 {MAX_IDEMPOTENCY_KEY}자 이하여야 합니다."),
        ));
    }
    // A header value: visible ASCII only, so it reaches Toss byte for byte.
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refused::new(
            400,
            "INVALID_IDEMPOTENCY_KEY",
            "멱등키에는 공백이나 제어 문자를 쓸 수 없습니다.",
        ));
    }
    Ok(())
}

pub(crate) fn check_customer_key(key: &str) -> Result<(), Refused> {
    let n = key.chars().count();
    if !(2..=255).contains(&n) || !key.chars().all(is_customer_key_char) {
        return Err(Refused::new(
            400,
            "INVALID_CUSTOMER_KEY",
            "customerKey는 영문 대소문자, 숫자, 특수문자 -, _, =, ., @로 2자 이상 255자 이하여야 합니다.",
        ));
    }
    Ok(())
}

/// A one-time key from the registration window. Sangdam also sends it as the issue request's
/// idempotency key, so it must fit that header.
pub(crate) fn check_auth_key(key: &str) -> Result<(), Refused> {
    if key.is_empty() {
        return Err(missing("authKey"));
    }
    check_idempotency_key(key).map_err(|_| {
        Refused::new(
            400,
            "INVALID_REQUEST",
            "authKey가 올바르지 않습니다.".to_owned(),
        )
    })
}

/// A billing key as a path segment.
pub(crate) fn check_billing_key(key: &str) -> Result<(), Refused> {
    if key.is_empty() || key.chars().count() > MAX_BILLING_KEY || key.chars().any(char::is_control)
    {
        return Err(Refused::new(
            400,
            "INVALID_BILL_KEY_REQUEST",
            "빌링키 인증이 완료되지 않았거나 유효하지 않은 빌링 거래 건입니다.",
        ));
    }
    Ok(())
}

pub(crate) fn check_payment_key(key: &str) -> Result<(), Refused> {
    if key.is_empty() || key.chars().count() > 200 || key.chars().any(char::is_control) {
        return Err(Refused::new(
            400,
            "INVALID_PAYMENT_KEY",
            "잘못된 결제 키 입니다.",
        ));
    }
    Ok(())
}

pub(crate) fn missing(field: &str) -> Refused {
    Refused::new(
        400,
        "INVALID_REQUIRED_PARAM",
        format!("필수 파라미터가 누락되었습니다. ({field})"),
    )
}

/// The body of a charge, as Toss checks it.
pub(crate) fn check_charge(body: &ChargeBody<'_>) -> Result<(), Refused> {
    check_customer_key(body.customer_key)?;
    if body.amount <= 0 {
        return Err(Refused::new(
            400,
            "BELOW_ZERO_AMOUNT",
            "금액은 0보다 커야 합니다.",
        ));
    }
    if body.amount < MIN_CARD_AMOUNT {
        return Err(Refused::new(
            400,
            "BELOW_MINIMUM_AMOUNT",
            "신용카드는 결제금액이 100원 이상, 계좌는 200원이상부터 결제가 가능합니다.",
        ));
    }
    let n = body.order_id.chars().count();
    if !(6..=64).contains(&n) || !body.order_id.chars().all(is_order_id_char) {
        return Err(Refused::new(
            400,
            "INVALID_ORDER_ID",
            "orderId는 영문 대소문자, 숫자, 특수문자(-, _) 만 허용합니다. 6자 이상 64자 이하여야 합니다.",
        ));
    }
    if body.order_name.trim().is_empty() {
        return Err(missing("orderName"));
    }
    if body.order_name.chars().count() > MAX_ORDER_NAME {
        return Err(Refused::new(
            400,
            "INVALID_ORDER_NAME",
            "주문 이름은 100자 이하여야 합니다.",
        ));
    }
    if let Some(email) = body.customer_email {
        let well_formed = email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !email.chars().any(char::is_whitespace);
        if !well_formed || email.chars().count() > MAX_EMAIL {
            return Err(Refused::new(
                400,
                "INVALID_EMAIL",
                "이메일 주소 형식에 맞지 않습니다.",
            ));
        }
    }
    Ok(())
}

/// The body of a cancel, as Toss checks it.
pub(crate) fn check_cancel(body: &CancelBody<'_>) -> Result<(), Refused> {
    if body.cancel_reason.trim().is_empty() {
        return Err(missing("cancelReason"));
    }
    if body.cancel_reason.chars().count() > MAX_CANCEL_REASON {
        return Err(Refused::new(
            400,
            "INVALID_REQUEST",
            "cancelReason은 200자 이하여야 합니다.",
        ));
    }
    if body.cancel_amount.is_some_and(|a| a <= 0) {
        return Err(Refused::new(
            400,
            "INVALID_REFUND_AMOUNT",
            "잘못된 환불 금액입니다.",
        ));
    }
    Ok(())
}
