//! What the peer remembers: auth keys from the registration window, billing keys and how each
//! card behaves, payments and their cancels, and the answer given to each idempotency key. It
//! decides every answer the way Toss would, with Toss's codes; the HTTP side only carries them.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::CardBehaviour;
use crate::pay::wire::{self, CancelBody, ChargeBody, Refused};

/// An answer as Toss gives it: a status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    fn ok(body: Value) -> Answer {
        Answer { status: 200, body }
    }

    pub(super) fn error(r: Refused) -> Answer {
        Answer {
            status: r.status,
            body: json!({"code": r.code, "message": r.message}),
        }
    }
}

/// How long the answer to a charge is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hold {
    None,
    /// [`super::LATE_DELAY`].
    Late,
    /// [`super::TIMEOUT_HOLD`]: longer than any client waits.
    Timeout,
}

/// A charge the peer made, as [`super::TossPeer::charges`] and `GET /peer/charges` list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerCharge {
    pub payment_key: String,
    pub order_id: String,
    pub billing_key: String,
    pub amount: i64,
    pub idempotency_key: Option<String>,
    pub cancelled_amount: i64,
}

#[derive(Debug)]
struct AuthKey {
    customer_key: String,
    card_number: String,
    used: bool,
}

#[derive(Debug)]
struct Card {
    customer_key: String,
    number: String,
    behaviour: CardBehaviour,
}

#[derive(Debug)]
struct Payment {
    payment_key: String,
    order_id: String,
    order_name: String,
    billing_key: String,
    card_number: String,
    amount: i64,
    approved_at: String,
    idempotency_key: Option<String>,
    cancels: Vec<Cancel>,
}

impl Payment {
    fn cancelled(&self) -> i64 {
        self.cancels.iter().map(|c| c.amount).sum()
    }
}

#[derive(Debug)]
struct Cancel {
    amount: i64,
    reason: String,
    at: String,
    transaction_key: String,
}

#[derive(Debug)]
pub(super) struct Ledger {
    /// Makes this peer's keys differ from another run's, so a key kept in a database from an
    /// earlier run is unknown here rather than someone else's card.
    nonce: String,
    seq: u64,
    auth_keys: HashMap<String, AuthKey>,
    cards: HashMap<String, Card>,
    payments: Vec<Payment>,
    /// Answers by (path, idempotency key): Toss keys them by key, API key, URL and method, and
    /// the peer has one API key and POSTs only.
    answers: HashMap<(String, String), Answer>,
}

impl Ledger {
    pub(super) fn new() -> Ledger {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        Ledger {
            nonce: format!("{:08x}", (nanos as u64) & 0xffff_ffff),
            seq: 0,
            auth_keys: HashMap::new(),
            cards: HashMap::new(),
            payments: Vec::new(),
            answers: HashMap::new(),
        }
    }

    fn next_key(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}_{}_{:06}", self.nonce, self.seq)
    }

    pub(super) fn replay(&self, path: &str, key: &str) -> Option<Answer> {
        self.answers
            .get(&(path.to_owned(), key.to_owned()))
            .cloned()
    }

    pub(super) fn remember(&mut self, path: String, key: String, answer: Answer) {
        self.answers.insert((path, key), answer);
    }

    /// What the registration window does with a card number: an auth key for it, or the
    /// refusal the window shows.
    pub(super) fn new_auth_key(
        &mut self,
        customer_key: &str,
        card_number: &str,
    ) -> Result<String, Refused> {
        wire::check_customer_key(customer_key)?;
        let number = card_digits(card_number).ok_or_else(|| {
            Refused::new(400, "INVALID_CARD_NUMBER", "카드번호를 다시 확인해주세요.")
        })?;
        let auth_key = self.next_key("auth");
        self.auth_keys.insert(
            auth_key.clone(),
            AuthKey {
                customer_key: customer_key.to_owned(),
                card_number: number,
                used: false,
            },
        );
        Ok(auth_key)
    }

    /// `POST /v1/billing/authorizations/issue`.
    pub(super) fn issue(&mut self, auth_key: &str, customer_key: &str) -> Answer {
        match self.try_issue(auth_key, customer_key) {
            Ok(body) => Answer::ok(body),
            Err(r) => Answer::error(r),
        }
    }

    fn try_issue(&mut self, auth_key: &str, customer_key: &str) -> Result<Value, Refused> {
        wire::check_auth_key(auth_key)?;
        wire::check_customer_key(customer_key)?;
        let nonce_key = self.next_key("bk");
        let auth = self.auth_keys.get_mut(auth_key).ok_or_else(|| {
            Refused::new(
                404,
                "NOT_FOUND_BILLING",
                "존재하지 않는 빌링 결제 인증 정보 입니다.",
            )
        })?;
        if auth.used {
            return Err(Refused::new(
                400,
                "INVALID_BILLING_AUTH",
                "유효하지 않은 빌링 인증입니다.",
            ));
        }
        if auth.customer_key != customer_key {
            return Err(not_matches_customer_key());
        }
        auth.used = true;
        let number = auth.card_number.clone();
        let behaviour = CardBehaviour::for_number(&number);
        let issuer = issuer(&number);
        // Billing keys are base64 at Toss and end in `=`: the peer's do too, so a client that
        // forgets to encode the path segment fails here as it would there.
        let billing_key = format!("{nonce_key}=");
        self.cards.insert(
            billing_key.clone(),
            Card {
                customer_key: customer_key.to_owned(),
                number: number.clone(),
                behaviour,
            },
        );
        Ok(json!({
            "mId": "sangdam_peer",
            "customerKey": customer_key,
            "authenticatedAt": now_kst(),
            "method": "카드",
            "billingKey": billing_key,
            "cardCompany": issuer.name,
            "cardNumber": mask(&number),
            "card": {
                "issuerCode": issuer.code,
                "acquirerCode": issuer.code,
                "number": mask(&number),
                "cardType": "신용",
                "ownerType": "개인",
            },
        }))
    }

    /// `POST /v1/billing/{billingKey}`.
    pub(super) fn charge(
        &mut self,
        billing_key: &str,
        body: &ChargeBody<'_>,
        idempotency_key: Option<&str>,
    ) -> (Answer, Hold) {
        match self.try_charge(billing_key, body, idempotency_key) {
            Ok((body, hold)) => (Answer::ok(body), hold),
            Err(r) => (Answer::error(r), Hold::None),
        }
    }

    fn try_charge(
        &mut self,
        billing_key: &str,
        body: &ChargeBody<'_>,
        idempotency_key: Option<&str>,
    ) -> Result<(Value, Hold), Refused> {
        wire::check_billing_key(billing_key)?;
        wire::check_charge(body)?;
        let card = self.cards.get(billing_key).ok_or_else(|| {
            Refused::new(
                400,
                "INVALID_BILL_KEY_REQUEST",
                "빌링키 인증이 완료되지 않았거나 유효하지 않은 빌링 거래 건입니다.",
            )
        })?;
        if card.customer_key != body.customer_key {
            return Err(not_matches_customer_key());
        }
        // Toss refuses an order id once it was approved (or cancelled); a refused charge
        // leaves it free.
        if self.payments.iter().any(|p| p.order_id == body.order_id) {
            return Err(Refused::new(
                400,
                "DUPLICATED_ORDER_ID",
                "이미 승인 및 취소가 진행된 중복된 주문번호 입니다. 다른 주문번호로 진행해주세요.",
            ));
        }
        let hold = match card.behaviour {
            CardBehaviour::Ok => Hold::None,
            CardBehaviour::Late => Hold::Late,
            CardBehaviour::Timeout => Hold::Timeout,
            refusal => return Err(refusal_answer(refusal)),
        };
        let card_number = card.number.clone();
        let payment = Payment {
            payment_key: self.next_key("pay"),
            order_id: body.order_id.to_owned(),
            order_name: body.order_name.to_owned(),
            billing_key: billing_key.to_owned(),
            card_number,
            amount: body.amount,
            approved_at: now_kst(),
            idempotency_key: idempotency_key.map(str::to_owned),
            cancels: Vec::new(),
        };
        let answer = payment_json(&payment);
        self.payments.push(payment);
        Ok((answer, hold))
    }

    /// `POST /v1/payments/{paymentKey}/cancel`.
    pub(super) fn cancel(&mut self, payment_key: &str, body: &CancelBody<'_>) -> Answer {
        match self.try_cancel(payment_key, body) {
            Ok(body) => Answer::ok(body),
            Err(r) => Answer::error(r),
        }
    }

    fn try_cancel(&mut self, payment_key: &str, body: &CancelBody<'_>) -> Result<Value, Refused> {
        wire::check_payment_key(payment_key)?;
        wire::check_cancel(body)?;
        let transaction_key = self.next_key("tx");
        let payment = self
            .payments
            .iter_mut()
            .find(|p| p.payment_key == payment_key)
            .ok_or_else(|| {
                Refused::new(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.")
            })?;
        let remaining = payment.amount - payment.cancelled();
        if remaining <= 0 {
            return Err(Refused::new(
                400,
                "ALREADY_CANCELED_PAYMENT",
                "이미 취소된 결제 입니다.",
            ));
        }
        let amount = body.cancel_amount.unwrap_or(remaining);
        if amount > remaining {
            return Err(Refused::new(
                403,
                "NOT_CANCELABLE_AMOUNT",
                "취소 할 수 없는 금액 입니다.",
            ));
        }
        payment.cancels.push(Cancel {
            amount,
            reason: body.cancel_reason.to_owned(),
            at: now_kst(),
            transaction_key,
        });
        Ok(payment_json(payment))
    }

    pub(super) fn set_behaviour(&mut self, billing_key: &str, behaviour: CardBehaviour) -> bool {
        match self.cards.get_mut(billing_key) {
            Some(card) => {
                card.behaviour = behaviour;
                true
            }
            None => false,
        }
    }

    pub(super) fn behaviour(&self, billing_key: &str) -> Option<CardBehaviour> {
        self.cards.get(billing_key).map(|c| c.behaviour)
    }

    pub(super) fn charges(&self) -> Vec<PeerCharge> {
        self.payments
            .iter()
            .map(|p| PeerCharge {
                payment_key: p.payment_key.clone(),
                order_id: p.order_id.clone(),
                billing_key: p.billing_key.clone(),
                amount: p.amount,
                idempotency_key: p.idempotency_key.clone(),
                cancelled_amount: p.cancelled(),
            })
            .collect()
    }
}

fn not_matches_customer_key() -> Refused {
    Refused::new(
        400,
        "NOT_MATCHES_CUSTOMER_KEY",
        "빌링 인증 고객키와 결제 요청 고객키가 일치하지 않습니다.",
    )
}

/// The answer Toss gives a charge of a card that behaves like this (refusals only).
fn refusal_answer(behaviour: CardBehaviour) -> Refused {
    match behaviour {
        CardBehaviour::Dormant => Refused::new(400, "INVALID_STOPPED_CARD", "정지된 카드 입니다."),
        CardBehaviour::OverLimit => Refused::new(
            403,
            "REJECT_CARD_PAYMENT",
            "한도초과 혹은 잔액부족으로 결제에 실패했습니다.",
        ),
        CardBehaviour::Expired => Refused::new(
            400,
            "INVALID_CARD_EXPIRATION",
            "카드 정보를 다시 확인해주세요. (유효기간)",
        ),
        CardBehaviour::LostOrStolen => Refused::new(
            400,
            "INVALID_CARD_LOST_OR_STOLEN",
            "분실 혹은 도난 카드입니다.",
        ),
        CardBehaviour::InvalidCard => Refused::new(
            400,
            "INVALID_BILL_KEY_REQUEST",
            "빌링키 인증이 완료되지 않았거나 유효하지 않은 빌링 거래 건입니다.",
        ),
        CardBehaviour::Refused
        | CardBehaviour::Ok
        | CardBehaviour::Late
        | CardBehaviour::Timeout => {
            Refused::new(403, "REJECT_CARD_COMPANY", "결제 승인이 거절되었습니다.")
        }
    }
}

/// Toss's Payment object for a billing payment, with the fields Toss documents that a reader
/// is likely to look at.
fn payment_json(p: &Payment) -> Value {
    let cancelled = p.cancelled();
    let balance = p.amount - cancelled;
    let status = match (cancelled, balance) {
        (0, _) => "DONE",
        (_, 0) => "CANCELED",
        _ => "PARTIAL_CANCELED",
    };
    // VAT is a tenth of the supplied amount, so 1/11 of the gross, rounded (Toss's example:
    // 15,000 → 13,636 + 1,364).
    let vat = (balance + 5) / 11;
    let issuer = issuer(&p.card_number);
    let cancels: Vec<Value> = p
        .cancels
        .iter()
        .map(|c| {
            json!({
                "transactionKey": c.transaction_key,
                "cancelReason": c.reason,
                "taxExemptionAmount": 0,
                "canceledAt": c.at,
                "cancelAmount": c.amount,
                "taxFreeAmount": 0,
                "refundableAmount": balance,
                "cancelStatus": "DONE",
            })
        })
        .collect();
    json!({
        "mId": "sangdam_peer",
        "version": "2022-11-16",
        "paymentKey": p.payment_key,
        "lastTransactionKey": p.cancels.last().map(|c| c.transaction_key.as_str()),
        "orderId": p.order_id,
        "orderName": p.order_name,
        "type": "BILLING",
        "method": "카드",
        "status": status,
        "requestedAt": p.approved_at,
        "approvedAt": p.approved_at,
        "currency": "KRW",
        "totalAmount": p.amount,
        "balanceAmount": balance,
        "suppliedAmount": balance - vat,
        "vat": vat,
        "taxFreeAmount": 0,
        "taxExemptionAmount": 0,
        "isPartialCancelable": true,
        "card": {
            "issuerCode": issuer.code,
            "acquirerCode": issuer.code,
            "number": mask(&p.card_number),
            "installmentPlanMonths": 0,
            "isInterestFree": false,
            "approveNo": format!("{:08}", p.amount.rem_euclid(100_000_000)),
            "useCardPoint": false,
            "cardType": "신용",
            "ownerType": "개인",
            "acquireStatus": "READY",
            "amount": p.amount,
        },
        "cancels": if cancels.is_empty() { Value::Null } else { Value::Array(cancels) },
        "failure": null,
    })
}

/// A card number as the window takes it: 16 digits, spaces and hyphens ignored.
pub(super) fn card_digits(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.len() == 16 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Masked as Toss masks it: the first eight digits, four stars, three digits and a star
/// (`43301234****123*`).
pub(super) fn mask(number: &str) -> String {
    let head = number.get(..8).unwrap_or_default();
    let tail = number.get(12..15).unwrap_or_default();
    format!("{head}****{tail}*")
}

#[derive(Debug, Clone, Copy)]
struct Issuer {
    name: &'static str,
    code: &'static str,
}

/// A made-up issuer by the first digit, so several test cards look different.
fn issuer(number: &str) -> Issuer {
    let (name, code) = match number.as_bytes().first() {
        Some(b'4') => ("현대", "61"),
        Some(b'5') => ("신한", "41"),
        Some(b'9') => ("국민", "11"),
        Some(b'3') => ("삼성", "51"),
        _ => ("BC", "31"),
    };
    Issuer { name, code }
}

/// Now in Korea (UTC+9, no daylight saving), as Toss writes times: `2024-02-13T12:18:14+09:00`.
pub(super) fn now_kst() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    kst(secs)
}

pub(super) fn kst(unix_secs: u64) -> String {
    let t = unix_secs as i64 + 9 * 3600;
    let (days, rem) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+09:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_toss_writes_them() {
        assert_eq!(kst(0), "1970-01-01T09:00:00+09:00");
        assert_eq!(kst(1_707_794_294), "2024-02-13T12:18:14+09:00");
        // 2000-02-29T00:00:00Z: a leap day in a century year.
        assert_eq!(kst(951_782_400), "2000-02-29T09:00:00+09:00");
    }

    #[test]
    fn card_numbers_are_read_and_masked_like_the_window_and_toss() {
        assert_eq!(
            card_digits("4330-1234 1234-1234").as_deref(),
            Some("4330123412341234")
        );
        assert_eq!(card_digits("433012341234123"), None);
        assert_eq!(card_digits("43301234123412345"), None);
        assert_eq!(card_digits("4330x23412341234"), None);
        assert_eq!(mask("4330123412341234"), "43301234****123*");
        assert_eq!(
            CardBehaviour::for_number("4000000000000002"),
            CardBehaviour::OverLimit
        );
        assert_eq!(
            CardBehaviour::for_number("4000000000000010"),
            CardBehaviour::Ok
        );
    }

    #[test]
    fn vat_is_a_tenth_of_the_supplied_amount() {
        let p = Payment {
            payment_key: "pk".into(),
            order_id: "order-1".into(),
            order_name: "x".into(),
            billing_key: "bk".into(),
            card_number: "4330123412341234".into(),
            amount: 15_000,
            approved_at: kst(0),
            idempotency_key: None,
            cancels: Vec::new(),
        };
        let v = payment_json(&p);
        assert_eq!(
            (v["suppliedAmount"].as_i64(), v["vat"].as_i64()),
            (Some(13_636), Some(1_364))
        );
        assert_eq!(v["status"], "DONE");
        assert_eq!(v["cancels"], Value::Null);
    }
}
