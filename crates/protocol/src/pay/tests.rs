//! The error mapping against bodies copied from Toss's documents, and the real client against
//! the peer over real HTTP.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::peer::{CardBehaviour, TossPeer};
use super::toss::{self, Op};
use super::wire::{self, ErrorBody};
use super::*;

/// The document test key of Toss's guides, and the header the guides show for it.
const DOC_KEY: &str = "test_sk_zXLkKEypNArWmo50nX3lmeaxYG5R";
const DOC_HEADER: &str = "Basic dGVzdF9za196WExrS0V5cE5BcldtbzUwblgzbG1lYXhZRzVSOg==";
const KEY: &str = "test_sk_sangdam_peer";
const CUSTOMER: &str = "site-7_wallet";

fn body(v: Value) -> ErrorBody {
    serde_json::from_value(v).unwrap()
}

fn mapped(op: Op, status: u16, v: Value) -> PayError {
    toss::classify(op, status, body(v))
}

// --- the mapping -------------------------------------------------------------------------

#[test]
fn the_documented_header_is_what_is_sent() {
    assert_eq!(wire::basic_auth(DOC_KEY), DOC_HEADER);
    // RFC 4648's vectors.
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(wire::base64(plain.as_bytes()), encoded, "{plain:?}");
    }
}

#[test]
fn card_codes_from_the_documents_are_refusals() {
    let cases = [
        (
            400,
            "INVALID_STOPPED_CARD",
            "정지된 카드 입니다.",
            Refusal::Dormant,
        ),
        (
            403,
            "REJECT_CARD_PAYMENT",
            "한도초과 혹은 잔액부족으로 결제에 실패했습니다.",
            Refusal::OverLimit,
        ),
        (
            400,
            "EXCEED_MAX_AMOUNT",
            "거래금액 한도를 초과했습니다.",
            Refusal::OverLimit,
        ),
        (
            403,
            "REJECT_ACCOUNT_PAYMENT",
            "잔액부족으로 결제에 실패했습니다.",
            Refusal::OverLimit,
        ),
        (
            400,
            "INVALID_CARD_EXPIRATION",
            "카드 정보를 다시 확인해주세요. (유효기간)",
            Refusal::Expired,
        ),
        (
            400,
            "INVALID_CARD_LOST_OR_STOLEN",
            "분실 혹은 도난 카드입니다.",
            Refusal::LostOrStolen,
        ),
        (
            403,
            "REJECT_CARD_COMPANY",
            "결제 승인이 거절되었습니다.",
            Refusal::Refused,
        ),
        (
            400,
            "INVALID_REJECT_CARD",
            "카드 사용이 거절되었습니다. 카드사 문의가 필요합니다.",
            Refusal::Refused,
        ),
        (
            403,
            "EXCEED_MAX_AUTH_COUNT",
            "최대 인증 횟수를 초과했습니다. 카드사로 문의해주세요.",
            Refusal::Refused,
        ),
        (
            400,
            "INVALID_BILL_KEY_REQUEST",
            "빌링키 인증이 완료되지 않았거나 유효하지 않은 빌링 거래 건입니다.",
            Refusal::InvalidCard,
        ),
        (
            400,
            "NOT_SUPPORTED_CARD_TYPE",
            "지원되지 않는 카드 종류입니다.",
            Refusal::InvalidCard,
        ),
    ];
    for (status, code, message, reason) in cases {
        let e = mapped(
            Op::Charge,
            status,
            json!({"code": code, "message": message}),
        );
        assert_eq!(
            e,
            PayError::Refused {
                reason,
                code: code.into(),
                message: message.into()
            }
        );
        assert!(e.is_card_refusal() && !e.retry_same_key(), "{code}");
        assert_eq!(e.code(), reason.code());
    }
}

#[test]
fn a_missing_billing_key_is_the_card_on_a_charge_and_our_mistake_on_an_issue() {
    let v = json!({"code": "NOT_FOUND_BILLING", "message": "존재하지 않는 빌링 결제 인증 정보 입니다."});
    assert!(matches!(
        mapped(Op::Charge, 404, v.clone()),
        PayError::Refused {
            reason: Refusal::InvalidCard,
            ..
        }
    ));
    assert!(matches!(
        mapped(Op::Issue, 404, v),
        PayError::Rejected { code, .. } if code == "NOT_FOUND_BILLING"
    ));
}

#[test]
fn request_and_credential_codes_are_rejections() {
    for (status, code, message) in [
        (
            401,
            "UNAUTHORIZED_KEY",
            "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.",
        ),
        (400, "INVALID_API_KEY", "잘못된 시크릿키 연동 정보 입니다."),
        (
            400,
            "DUPLICATED_ORDER_ID",
            "이미 승인 및 취소가 진행된 중복된 주문번호 입니다. 다른 주문번호로 진행해주세요.",
        ),
        (
            400,
            "NOT_MATCHES_CUSTOMER_KEY",
            "빌링 인증 고객키와 결제 요청 고객키가 일치하지 않습니다.",
        ),
        (403, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다."),
        (404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다."),
        (400, "ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다."),
    ] {
        // Unknown keys next to code and message are ignored.
        let e = mapped(
            Op::Cancel,
            status,
            json!({"code": code, "message": message, "data": null}),
        );
        assert_eq!(
            e,
            PayError::Rejected {
                code: code.into(),
                message: message.into()
            }
        );
        assert!(!e.is_card_refusal() && !e.retry_same_key(), "{code}");
    }
}

#[test]
fn passing_faults_are_unavailable() {
    for (status, code, message) in [
        (
            400,
            "PROVIDER_ERROR",
            "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.",
        ),
        (
            400,
            "CARD_PROCESSING_ERROR",
            "카드사에서 오류가 발생했습니다.",
        ),
        (
            500,
            "FAILED_INTERNAL_SYSTEM_PROCESSING",
            "내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.",
        ),
        (
            500,
            "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING",
            "결제가 완료되지 않았어요. 다시 시도해주세요.",
        ),
        (
            409,
            "IDEMPOTENT_REQUEST_PROCESSING",
            "이전 멱등 요청이 처리 중입니다.",
        ),
        (
            403,
            "FORBIDDEN_CONSECUTIVE_REQUEST",
            "반복적인 요청은 허용되지 않습니다. 잠시 후 다시 시도해주세요.",
        ),
        (429, "TOO_MANY_REQUESTS", "요청량이 많습니다."),
    ] {
        let e = mapped(
            Op::Charge,
            status,
            json!({"code": code, "message": message}),
        );
        assert!(
            matches!(&e, PayError::Unavailable(m) if m.contains(code) && m.contains(message)),
            "{code}: {e:?}"
        );
        assert!(e.retry_same_key());
    }
}

#[test]
fn an_answer_without_toss_body_goes_by_its_status() {
    let e = toss::error_answer(
        Op::Charge,
        StatusCode::BAD_GATEWAY,
        b"<html>Bad Gateway</html>",
    );
    assert!(
        matches!(&e, PayError::Unavailable(m) if m.contains("502")),
        "{e:?}"
    );
    let e = toss::error_answer(Op::Charge, StatusCode::BAD_REQUEST, b"nope");
    assert_eq!(
        e,
        PayError::Rejected {
            code: "HTTP_400".into(),
            message: "nope".into()
        }
    );
    // A JSON body with the code as a number is still read.
    let e = toss::error_answer(Op::Charge, StatusCode::FORBIDDEN, br#"{"code": 7}"#);
    assert_eq!(
        e,
        PayError::Rejected {
            code: "7".into(),
            message: String::new()
        }
    );
}

#[test]
fn a_failed_payment_object_is_its_failure() {
    // The error-codes page's example: a payment read back with its failure inside.
    let bytes = r#"{
        "mId": "tosspayments", "version": "2022-11-16",
        "lastTransactionKey": "B7103F204998813B889C77C043D09502",
        "paymentKey": "5EnNZRJGvaBX7zk2yd8ydw26XvwXkLrx9POLqKQjmAw4b0e1",
        "orderId": "a4CWyWY5m89PNh7xJwhk1", "orderName": "토스 티셔츠 외 2건",
        "currency": "KRW", "method": "카드", "status": "ABORTED",
        "discount": null, "cancels": null, "secret": null, "type": "NORMAL",
        "easyPay": null, "country": "KR",
        "failure": {"code": "COMMON_ERROR", "message": "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요."},
        "totalAmount": 15000, "balanceAmount": 15000, "suppliedAmount": 13636,
        "vat": 1364, "taxFreeAmount": 0, "taxExemptionAmount": 0
    }"#.as_bytes();
    let payment: wire::Payment = toss::read(bytes).unwrap();
    assert_eq!(payment.total_amount, Some(15000));
    let e = toss::done(Op::Charge, payment, bytes).unwrap_err();
    // A passing fault (a 500 in the documents' list), even inside a 200.
    assert!(
        matches!(&e, PayError::Unavailable(m) if m.contains("COMMON_ERROR")),
        "{e:?}"
    );

    let done = r#"{"paymentKey": "pk1", "orderId": "o-000001", "status": "DONE",
        "totalAmount": "9900", "approvedAt": "2024-02-13T12:18:14+09:00", "newField": [1]}"#
        .as_bytes();
    let payment = toss::done(Op::Charge, toss::read(done).unwrap(), done).unwrap();
    assert_eq!(payment.total_amount, Some(9900));
    let e = toss::done(
        Op::Charge,
        toss::read(br#"{"status": "DONE"}"#).unwrap(),
        b"{}",
    )
    .unwrap_err();
    assert!(e.retry_same_key(), "{e:?}");
}

#[test]
fn both_shapes_of_the_billing_object_are_read() {
    // The current shape (cardCompany and cardNumber at the top).
    let bytes = r#"{"mId": "tosspayments", "customerKey": "aENcQAtPdYbTjGhtQnNVj",
        "authenticatedAt": "2020-09-25T14:38:41+09:00", "method": "카드",
        "billingKey": "Z_t5vOvQxrj4499PeiJcjen28-V2RyqgYTwN44Rdzk0=",
        "cardCompany": "신한", "cardNumber": "43301234****123*",
        "card": {"issuerCode": "4V", "acquirerCode": "41", "number": "43301234****123*",
                 "cardType": "신용", "ownerType": "개인"}}"#
        .as_bytes();
    let card = toss::issued_card(toss::read(bytes).unwrap(), bytes).unwrap();
    assert_eq!(
        card,
        IssuedCard {
            billing_key: "Z_t5vOvQxrj4499PeiJcjen28-V2RyqgYTwN44Rdzk0=".into(),
            card_company: "신한".into(),
            masked_number: "43301234****123*".into(),
            card_type: Some("신용".into()),
            owner_type: Some("개인".into()),
        }
    );
    // The older guide's shape (company and number inside card only).
    let bytes = r#"{"mId": "tosspayments", "customerKey": "c1",
        "authenticatedAt": "2021-01-01T10:01:30+09:00", "method": "카드", "billingKey": "bk1",
        "card": {"company": "현대", "number": "433012******1234", "cardType": "신용", "ownerType": "개인"}}"#.as_bytes();
    let card = toss::issued_card(toss::read(bytes).unwrap(), bytes).unwrap();
    assert_eq!(
        (card.card_company.as_str(), card.masked_number.as_str()),
        ("현대", "433012******1234")
    );
    // Only an issuer code: its name.
    let bytes = r#"{"billingKey": "bk2", "card": {"issuerCode": "61"}}"#.as_bytes();
    let card = toss::issued_card(toss::read(bytes).unwrap(), bytes).unwrap();
    assert_eq!(card.card_company, "현대");
    let e = toss::issued_card(toss::read(b"{}").unwrap(), b"{}").unwrap_err();
    assert!(matches!(e, PayError::Unavailable(_)));
}

#[test]
fn codes_are_stable_and_distinct() {
    let codes: Vec<_> = Refusal::ALL.iter().map(|r| r.code()).collect();
    let mut unique = codes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), codes.len());
    for r in Refusal::ALL {
        assert_eq!(Refusal::parse(r.code()), Some(r));
        assert_eq!(serde_json::to_value(r).unwrap(), json!(r.code()));
        assert!(!["timeout", "unavailable", "rejected"].contains(&r.code()));
    }
    for b in CardBehaviour::ALL {
        assert_eq!(CardBehaviour::parse(b.code()), Some(b));
        assert_eq!(serde_json::to_value(b).unwrap(), json!(b.code()));
    }
    assert!(PayError::Timeout.retry_same_key() && !PayError::Timeout.is_card_refusal());
}

#[test]
fn requests_toss_would_refuse_are_refused_before_sending() {
    let ok = wire::ChargeBody {
        customer_key: CUSTOMER,
        amount: 100,
        order_id: "order-000001",
        order_name: "상담 충전 10,000원",
        customer_email: Some("owner@example.com"),
    };
    assert_eq!(wire::check_charge(&ok), Ok(()));
    let code = |b: wire::ChargeBody<'_>| wire::check_charge(&b).unwrap_err().code;
    assert_eq!(
        code(wire::ChargeBody { amount: 0, ..ok }),
        "BELOW_ZERO_AMOUNT"
    );
    assert_eq!(
        code(wire::ChargeBody { amount: 99, ..ok }),
        "BELOW_MINIMUM_AMOUNT"
    );
    assert_eq!(
        code(wire::ChargeBody {
            order_id: "o-1",
            ..ok
        }),
        "INVALID_ORDER_ID"
    );
    assert_eq!(
        code(wire::ChargeBody {
            order_id: "order 000001",
            ..ok
        }),
        "INVALID_ORDER_ID"
    );
    let long = "가".repeat(101);
    assert_eq!(
        code(wire::ChargeBody {
            order_name: &long,
            ..ok
        }),
        "INVALID_ORDER_NAME"
    );
    assert_eq!(
        code(wire::ChargeBody {
            order_name: " ",
            ..ok
        }),
        "INVALID_REQUIRED_PARAM"
    );
    assert_eq!(
        code(wire::ChargeBody {
            customer_key: "a",
            ..ok
        }),
        "INVALID_CUSTOMER_KEY"
    );
    assert_eq!(
        code(wire::ChargeBody {
            customer_key: "a b",
            ..ok
        }),
        "INVALID_CUSTOMER_KEY"
    );
    assert_eq!(
        code(wire::ChargeBody {
            customer_email: Some("owner"),
            ..ok
        }),
        "INVALID_EMAIL"
    );
    assert_eq!(wire::check_idempotency_key(&"k".repeat(300)), Ok(()));
    assert!(wire::check_idempotency_key(&"k".repeat(301)).is_err());
    assert!(wire::check_idempotency_key("").is_err());
    assert!(wire::check_idempotency_key("a\nb").is_err());
}

// --- the client against the peer ---------------------------------------------------------

fn client(peer: &TossPeer, timeout: Duration) -> TossPayments {
    TossPayments::new(&peer.base_url(), KEY, timeout)
}

async fn register(peer: &TossPeer, gateway: &TossPayments, number: &str) -> IssuedCard {
    let auth_key = peer.auth_key_for(CUSTOMER, number).unwrap();
    gateway
        .issue_billing_key(&IssueRequest {
            auth_key,
            customer_key: CUSTOMER.into(),
        })
        .await
        .unwrap()
}

fn charge_of(card: &IssuedCard, order: &str, amount: i64, key: &str) -> ChargeRequest {
    ChargeRequest {
        billing_key: card.billing_key.clone(),
        customer_key: CUSTOMER.into(),
        amount,
        order_id: order.into(),
        order_name: "상담 충전".into(),
        customer_email: Some("owner@example.com".into()),
        idempotency_key: key.into(),
    }
}

#[tokio::test]
async fn a_card_is_registered_and_charged() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    let card = register(&peer, &gateway, "4330-1234-1234-1234").await;
    assert!(card.billing_key.ends_with('='), "{card:?}");
    assert_eq!(card.masked_number, "43301234****123*");
    assert_eq!(card.card_company, "현대");
    assert_eq!(card.card_type.as_deref(), Some("신용"));
    assert_eq!(card.owner_type.as_deref(), Some("개인"));
    assert_eq!(peer.behaviour(&card.billing_key), Some(CardBehaviour::Ok));

    // Through the trait object the wallet holds.
    let gateway: Arc<dyn PaymentGateway> = Arc::new(gateway);
    let charged = gateway
        .charge(&charge_of(&card, "order-000001", 9900, "idem-1"))
        .await
        .unwrap();
    assert_eq!(charged.order_id, "order-000001");
    assert_eq!(charged.amount, 9900);
    assert!(charged.approved_at.ends_with("+09:00"), "{charged:?}");
    let charges = peer.charges();
    assert_eq!(charges.len(), 1);
    assert_eq!(charges[0].payment_key, charged.payment_key);
    assert_eq!(charges[0].billing_key, card.billing_key);
    assert_eq!(charges[0].amount, 9900);
    assert_eq!(charges[0].idempotency_key.as_deref(), Some("idem-1"));
    assert_eq!(charges[0].cancelled_amount, 0);
}

#[tokio::test]
async fn the_client_never_shows_its_key() {
    let peer = TossPeer::start(KEY).await;
    let shown = format!("{:?}", client(&peer, Duration::from_secs(1)));
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(
        !shown.contains(&wire::base64(format!("{KEY}:").as_bytes())),
        "{shown}"
    );
}

#[tokio::test]
async fn an_auth_key_issues_one_billing_key() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    let auth_key = peer.auth_key_for(CUSTOMER, "5000 1111 2222 3333").unwrap();
    let req = IssueRequest {
        auth_key: auth_key.clone(),
        customer_key: CUSTOMER.into(),
    };
    let first = gateway.issue_billing_key(&req).await.unwrap();
    assert_eq!(first.card_company, "신한");
    // The client sends the auth key as the idempotency key: a retry gets the same card.
    assert_eq!(gateway.issue_billing_key(&req).await.unwrap(), first);
    // Without that key, the auth key is spent.
    let (status, body) = post(
        &peer,
        "/v1/billing/authorizations/issue",
        Some(&wire::basic_auth(KEY)),
        None,
        json!({"authKey": auth_key, "customerKey": CUSTOMER}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("INVALID_BILLING_AUTH"))
    );
    let e = gateway
        .issue_billing_key(&IssueRequest {
            auth_key: "auth_never_issued".into(),
            customer_key: CUSTOMER.into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "NOT_FOUND_BILLING"),
        "{e:?}"
    );
    // Another customer cannot take the card.
    let auth_key = peer.auth_key_for(CUSTOMER, "5000111122223334").unwrap();
    let e = gateway
        .issue_billing_key(&IssueRequest {
            auth_key,
            customer_key: "someone-else".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(&e, PayError::Rejected { code, .. } if code == "NOT_MATCHES_CUSTOMER_KEY"));
}

#[tokio::test]
async fn each_refusing_card_is_its_refusal() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    for (n, (number, reason, code)) in [
        ("4000000000000001", Refusal::Dormant, "INVALID_STOPPED_CARD"),
        (
            "4000000000000002",
            Refusal::OverLimit,
            "REJECT_CARD_PAYMENT",
        ),
        ("4000000000000003", Refusal::Refused, "REJECT_CARD_COMPANY"),
        (
            "4000000000000004",
            Refusal::Expired,
            "INVALID_CARD_EXPIRATION",
        ),
        (
            "4000000000000005",
            Refusal::LostOrStolen,
            "INVALID_CARD_LOST_OR_STOLEN",
        ),
        (
            "4000000000000006",
            Refusal::InvalidCard,
            "INVALID_BILL_KEY_REQUEST",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let card = register(&peer, &gateway, number).await;
        let e = gateway
            .charge(&charge_of(
                &card,
                &format!("order-refused-{n}"),
                1000,
                &format!("k{n}"),
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, PayError::Refused { reason: r, code: c, .. } if *r == reason && c == code),
            "{number}: {e:?}"
        );
    }
    // A billing key the gateway never issued.
    let ghost = IssuedCard {
        billing_key: "bk_never_issued=".into(),
        card_company: String::new(),
        masked_number: String::new(),
        card_type: None,
        owner_type: None,
    };
    let e = gateway
        .charge(&charge_of(&ghost, "order-ghost-1", 1000, "k-ghost"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            PayError::Refused {
                reason: Refusal::InvalidCard,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(peer.charges().is_empty(), "a refused card is never charged");
}

#[tokio::test]
async fn a_card_changes_behaviour_when_told() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    let card = register(&peer, &gateway, "9410000000001234").await;
    // Through the HTTP control.
    let res = reqwest::Client::new()
        .post(format!(
            "{}/peer/cards/{}/behaviour",
            peer.base_url(),
            card.billing_key
        ))
        .json(&json!({"behaviour": "over_limit"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let e = gateway
        .charge(&charge_of(&card, "order-limit-1", 50_000, "limit-1"))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        PayError::Refused {
            reason: Refusal::OverLimit,
            ..
        }
    ));
    // The first answer to a key stays its answer, even once the card would go through.
    assert!(peer.set_behaviour(&card.billing_key, CardBehaviour::Ok));
    let again = gateway
        .charge(&charge_of(&card, "order-limit-1", 50_000, "limit-1"))
        .await
        .unwrap_err();
    assert_eq!(again, e);
    assert!(peer.charges().is_empty());
    // A new key for the same order goes through: a refusal does not use the order id up.
    let charged = gateway
        .charge(&charge_of(&card, "order-limit-1", 50_000, "limit-2"))
        .await
        .unwrap();
    assert_eq!(peer.charges()[0].payment_key, charged.payment_key);
    assert!(!peer.set_behaviour("bk_unknown=", CardBehaviour::Dormant));
    let res = reqwest::Client::new()
        .post(format!(
            "{}/peer/cards/bk_unknown=/behaviour",
            peer.base_url()
        ))
        .json(&json!({"behaviour": "dormant"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_timed_out_charge_retried_with_its_key_is_charged_once() {
    let peer = TossPeer::start(KEY).await;
    let impatient = client(&peer, Duration::from_millis(700));
    let card = register(&peer, &impatient, "4000000000000007").await;
    let req = charge_of(&card, "order-timeout-1", 30_000, "timeout-1");
    assert_eq!(impatient.charge(&req).await.unwrap_err(), PayError::Timeout);
    // The charge happened.
    let charges = peer.charges();
    assert_eq!(charges.len(), 1);

    let started = Instant::now();
    let retried = impatient.charge(&req).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "the kept answer comes at once"
    );
    assert_eq!(retried.payment_key, charges[0].payment_key);
    assert_eq!(peer.charges().len(), 1, "never charged twice");

    // A new key for the paid order is refused as a duplicate, and charges nothing.
    let e = impatient
        .charge(&charge_of(&card, "order-timeout-1", 30_000, "timeout-2"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "DUPLICATED_ORDER_ID"),
        "{e:?}"
    );
    assert_eq!(peer.charges().len(), 1);
}

#[tokio::test]
async fn a_late_answer_is_waited_for() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(10));
    let card = register(&peer, &gateway, "4000000000000008").await;
    let started = Instant::now();
    let charged = gateway
        .charge(&charge_of(&card, "order-late-1", 1000, "late-1"))
        .await
        .unwrap();
    assert!(started.elapsed() >= peer::LATE_DELAY);
    assert_eq!(peer.charges()[0].payment_key, charged.payment_key);
}

#[tokio::test]
async fn the_same_key_is_the_same_payment_and_a_paid_order_is_not_paid_again() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    let card = register(&peer, &gateway, "4330123412341234").await;
    let first = gateway
        .charge(&charge_of(&card, "order-dup-1", 5000, "dup-1"))
        .await
        .unwrap();
    let replay = gateway
        .charge(&charge_of(&card, "order-dup-1", 5000, "dup-1"))
        .await
        .unwrap();
    assert_eq!(replay, first);
    let e = gateway
        .charge(&charge_of(&card, "order-dup-1", 5000, "dup-2"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "DUPLICATED_ORDER_ID"),
        "{e:?}"
    );
    assert_eq!(peer.charges().len(), 1);
}

#[tokio::test]
async fn a_wrong_secret_key_is_rejected() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    let card = register(&peer, &gateway, "4330123412341234").await;
    let wrong = TossPayments::new(
        &peer.base_url(),
        "test_sk_someone_else",
        Duration::from_secs(5),
    );
    let e = wrong
        .charge(&charge_of(&card, "order-wrong-1", 1000, "wrong-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "UNAUTHORIZED_KEY"),
        "{e:?}"
    );
    let auth_key = peer.auth_key_for(CUSTOMER, "4330123412341234").unwrap();
    let e = wrong
        .issue_billing_key(&IssueRequest {
            auth_key,
            customer_key: CUSTOMER.into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(&e, PayError::Rejected { code, .. } if code == "UNAUTHORIZED_KEY"));
    assert!(peer.charges().is_empty());
    // The header without its colon is not the key either.
    let (status, body) = post(
        &peer,
        &format!("/v1/billing/{}", card.billing_key.replace('=', "%3D")),
        Some(&format!("Basic {}", wire::base64(KEY.as_bytes()))),
        None,
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("UNAUTHORIZED_KEY"))
    );
}

#[tokio::test]
async fn a_payment_is_refunded_in_parts_never_beyond_what_is_left() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    let card = register(&peer, &gateway, "4330123412341234").await;
    let charged = gateway
        .charge(&charge_of(&card, "order-refund-1", 10_000, "refund-charge"))
        .await
        .unwrap();
    let cancel = |amount: Option<i64>, key: &str| CancelRequest {
        payment_key: charged.payment_key.clone(),
        amount,
        reason: "고객 요청".into(),
        idempotency_key: key.into(),
    };
    let part = gateway.cancel(&cancel(Some(3000), "c-1")).await.unwrap();
    assert_eq!(part.cancelled_amount, 3000);
    assert_eq!(part.payment_key, charged.payment_key);
    // The same key again refunds nothing more.
    assert_eq!(
        gateway.cancel(&cancel(Some(3000), "c-1")).await.unwrap(),
        part
    );
    assert_eq!(peer.charges()[0].cancelled_amount, 3000);

    let e = gateway
        .cancel(&cancel(Some(7001), "c-2"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "NOT_CANCELABLE_AMOUNT"),
        "{e:?}"
    );
    let rest = gateway.cancel(&cancel(None, "c-3")).await.unwrap();
    assert_eq!(rest.cancelled_amount, 7000);
    assert_eq!(peer.charges()[0].cancelled_amount, 10_000);
    let e = gateway.cancel(&cancel(Some(1), "c-4")).await.unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "ALREADY_CANCELED_PAYMENT"),
        "{e:?}"
    );
    let e = gateway
        .cancel(&CancelRequest {
            payment_key: "pay_unknown".into(),
            ..cancel(None, "c-5")
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "NOT_FOUND_PAYMENT"),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_registration_window_sends_the_customer_back_with_an_auth_key() {
    let peer = TossPeer::start(KEY).await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let success = "https://sangdam.example/wallet/cards/success?site=7";
    let fail = "https://sangdam.example/wallet/cards/fail";
    let page = browser
        .get(peer.billing_auth_url(CUSTOMER, success, fail))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("카드 번호") && html.contains("등록") && html.contains("<form"));
    assert!(html.contains(r#"action="billing-auth""#));
    assert!(html.contains("site=7"));

    let submit = |number: &'static str| {
        browser
            .post(format!("{}/peer/billing-auth", peer.base_url()))
            .form(&[
                ("customerKey", CUSTOMER),
                ("successUrl", success),
                ("failUrl", fail),
                ("cardNumber", number),
            ])
            .send()
    };
    let res = submit("4330 1234 1234 1234").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(success), "{location}");
    let query = query_of(&location);
    assert_eq!(query["customerKey"], CUSTOMER);
    assert_eq!(query["site"], "7");
    let card = client(&peer, Duration::from_secs(5))
        .issue_billing_key(&IssueRequest {
            auth_key: query["authKey"].clone(),
            customer_key: query["customerKey"].clone(),
        })
        .await
        .unwrap();
    assert_eq!(card.masked_number, "43301234****123*");

    let res = submit("1234").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(fail), "{location}");
    assert_eq!(query_of(&location)["code"], "INVALID_CARD_NUMBER");

    // No way back at all: the window says so itself.
    let res = browser
        .get(peer.billing_auth_url(CUSTOMER, "javascript:alert(1)", fail))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("INCORRECT_SUCCESS_URL_FORMAT")
    );
}

#[tokio::test]
async fn the_controls_speak_json() {
    let peer = TossPeer::start(KEY).await;
    let http = reqwest::Client::new();
    let res: Value = http
        .post(format!("{}/peer/auth-keys", peer.base_url()))
        .json(&json!({"customerKey": CUSTOMER, "cardNumber": "4330123412341234"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let gateway = client(&peer, Duration::from_secs(5));
    let card = gateway
        .issue_billing_key(&IssueRequest {
            auth_key: res["authKey"].as_str().unwrap().into(),
            customer_key: CUSTOMER.into(),
        })
        .await
        .unwrap();
    gateway
        .charge(&charge_of(&card, "order-ctl-1", 2000, "ctl-1"))
        .await
        .unwrap();
    let listed: Value = http
        .get(format!("{}/peer/charges", peer.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed, serde_json::to_value(peer.charges()).unwrap());
    assert_eq!(listed[0]["orderId"], "order-ctl-1");
    assert_eq!(listed[0]["idempotencyKey"], "ctl-1");
    assert_eq!(listed[0]["cancelledAmount"], 0);
    let res = http
        .post(format!("{}/peer/auth-keys", peer.base_url()))
        .json(&json!({"customerKey": CUSTOMER, "cardNumber": "12"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "INVALID_CARD_NUMBER"
    );
}

#[tokio::test]
async fn the_peer_checks_bodies_as_toss_does() {
    let peer = TossPeer::start(KEY).await;
    let gateway = client(&peer, Duration::from_secs(5));
    let card = register(&peer, &gateway, "4330123412341234").await;
    let auth = wire::basic_auth(KEY);
    let path = format!("/v1/billing/{}", card.billing_key.replace('=', "%3D"));
    let (status, body) = post(
        &peer,
        &path,
        Some(&auth),
        Some("body-1"),
        json!({"customerKey": CUSTOMER, "orderId": "order-body-1", "orderName": "x"}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("INVALID_REQUIRED_PARAM"))
    );
    let (status, body) = post(
        &peer,
        &path,
        Some(&auth),
        Some("body-2"),
        json!({"customerKey": CUSTOMER, "orderId": "o", "orderName": "x", "amount": 1000}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("INVALID_ORDER_ID"))
    );
    let (status, body) = post(&peer, &path, Some(&auth), Some(&"k".repeat(301)), json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("INVALID_IDEMPOTENCY_KEY"))
    );
    let res = reqwest::Client::new()
        .post(format!("{}{path}", peer.base_url()))
        .header("authorization", &auth)
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "INVALID_REQUEST"
    );
    // The client refuses such a request itself, and the peer never sees it.
    let e = gateway
        .charge(&charge_of(&card, "bad order!", 1000, "body-3"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PayError::Rejected { code, .. } if code == "INVALID_ORDER_ID"),
        "{e:?}"
    );
    assert!(peer.charges().is_empty());
}

#[tokio::test]
async fn a_gateway_that_is_not_there_is_unavailable() {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let gateway = TossPayments::new(&format!("http://{addr}"), KEY, Duration::from_secs(2));
    let card = IssuedCard {
        billing_key: "bk=".into(),
        card_company: String::new(),
        masked_number: String::new(),
        card_type: None,
        owner_type: None,
    };
    let e = gateway
        .charge(&charge_of(&card, "order-away-1", 1000, "away-1"))
        .await
        .unwrap_err();
    assert!(matches!(e, PayError::Unavailable(_)), "{e:?}");
    assert!(e.retry_same_key());
    let e = TossPayments::new("not a url", KEY, Duration::from_secs(1))
        .charge(&charge_of(&card, "order-away-1", 1000, "away-1"))
        .await
        .unwrap_err();
    assert!(matches!(&e, PayError::Rejected { code, .. } if code == "INVALID_BASE_URL"));
}

/// POSTs a raw body to the peer; the status and the JSON answer.
async fn post(
    peer: &TossPeer,
    path: &str,
    authorization: Option<&str>,
    idempotency_key: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", peer.base_url()))
        .json(&body);
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    if let Some(k) = idempotency_key {
        req = req.header("idempotency-key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}
