//! The wallet over HTTP, against the payment gateway's local peer: a business wallet made with
//! its registration number checked, a card registered through the gateway's window and made
//! the payment card, paid cash bought, usages billed in order, the history read back from its
//! xlsx with an independent reader, a refund; and a hundred usages racing for the last 1,000
//! KRW, which never overdraw.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::sync::Arc;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use common::TestApp;
use protocol::pay::peer::TossPeer;
use protocol::pay::toss::TossPayments;
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;

both!(
    a_business_wallet_through_the_api,
    usages_racing_for_the_last_won_never_overdraw,
    a_thousand_usages_in_one_request,
);

const SECRET: &str = "test_sk_server_wallet";

/// The app reconfigured to charge cards through a fresh peer.
async fn with_gateway(app: &mut TestApp) -> TossPeer {
    let peer = TossPeer::start(SECRET).await;
    app.reconfigure(Config {
        payments: Some(app::wallet::Payments {
            gateway: Arc::new(TossPayments::new(
                &peer.base_url(),
                SECRET,
                Duration::from_secs(5),
            )),
            registration_url: format!("{}/peer/billing-auth", peer.base_url()),
        }),
        ..Config::default()
    })
    .await;
    peer
}

async fn admin_id(app: &TestApp) -> i64 {
    app.get("/api/v1/me").await.ok()["agent"]["id"]
        .as_i64()
        .unwrap()
}

/// The admin's own card, registered through the window and made the payment card.
async fn payment_card(app: &TestApp, peer: &TossPeer, number: &str) -> i64 {
    let reg = app
        .post(
            "/api/v1/wallet/card-registration",
            &json!({"return_url": "http://sangdam.test/wallet"}),
        )
        .await
        .ok();
    let url = reg["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/peer/billing-auth?", peer.base_url())),
        "{url}"
    );
    assert!(
        url.contains("successUrl=http%3A%2F%2Fsangdam.test%2Fwallet"),
        "{url}"
    );
    let customer = reg["customer_key"].as_str().unwrap();
    let auth = peer.auth_key_for(customer, number).unwrap();
    let card = app
        .post(
            "/api/v1/wallet/cards",
            &json!({"auth_key": auth, "customer_key": customer}),
        )
        .await;
    assert_eq!(card.status, 201, "{}", card.body);
    assert!(
        card.body.get("billing_key").is_none(),
        "the billing key stays on the server"
    );
    let id = card.body["id"].as_i64().unwrap();
    app.put(
        &format!("/api/v1/wallet/cards/{id}"),
        &json!({"slot": "payment"}),
    )
    .await
    .ok();
    id
}

async fn usage(app: &TestApp, key: &str, quantity: i64) -> Value {
    let r = app
        .post(
            "/api/v1/wallet/usages",
            &json!({"usages": [{"key": key, "kind": "event_message", "quantity": quantity}]}),
        )
        .await
        .ok();
    r["results"][0].clone()
}

async fn a_business_wallet_through_the_api(mut app: TestApp) {
    let peer = with_gateway(&mut app).await;
    let me = admin_id(&app).await;
    // Nobody sees a wallet before it exists.
    app.get("/api/v1/wallet").await.err(404, "not_found");
    // A wrong check digit and a missing invoice address are both named.
    let refused = app
        .post(
            "/api/v1/wallet",
            &json!({"name": "쇼핑몰 월렛", "kind": "business", "business_number": "123-45-67890",
                    "business_name": "(주)쇼핑몰", "representative": "홍길동", "master_id": me}),
        )
        .await
        .err(422, "invalid_field");
    let fields: Vec<&str> = refused["details"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["business_number", "invoice_email"]);
    let made = app
        .post(
            "/api/v1/wallet",
            &json!({"name": "쇼핑몰 월렛", "kind": "business", "business_number": "1234567891",
                    "business_name": "(주)쇼핑몰", "representative": "홍길동",
                    "invoice_email": "tax@shop.test", "master_id": me}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["wallet"]["business_number"], "123-45-67891");
    assert_eq!(made.body["role"], "master");

    // Without a card or cash, a usage is refused and nothing is billed.
    let refused = usage(&app, "e-0", 1).await;
    assert_eq!(refused["result"], "refused");
    assert_eq!(refused["code"], "insufficient_funds");

    let card = payment_card(&app, &peer, "4330123412341234").await;
    let view = app.get("/api/v1/wallet").await.ok();
    assert_eq!(view["cards"][0]["order"], 1);
    assert_eq!(view["cards"][0]["slot"], "payment");
    assert_eq!(
        view["cards"][0]["card"]["masked_number"],
        view["my_cards"][0]["masked_number"]
    );

    // 10,000 of paid cash: the card pays 11,000.
    let bought = app
        .post(
            "/api/v1/wallet/cash",
            &json!({"card_id": card, "amount": 10_000, "idempotency_key": "buy-1"}),
        )
        .await;
    assert_eq!(bought.status, 200, "{}", bought.body);
    assert_eq!(bought.body["state"], "done");
    // The same request again: the same payment, no second charge.
    let again = app
        .post(
            "/api/v1/wallet/cash",
            &json!({"card_id": card, "amount": 10_000, "idempotency_key": "buy-1"}),
        )
        .await
        .ok();
    assert_eq!(again["payment"]["id"], bought.body["payment"]["id"]);
    assert_eq!(
        peer.charges().iter().map(|c| c.amount).collect::<Vec<_>>(),
        vec![11_000]
    );

    // 100 messages from paid cash; the same key again bills nothing.
    let billed = usage(&app, "e-1", 100).await;
    assert_eq!(
        (billed["result"].as_str(), billed["paid"].as_i64()),
        (Some("billed"), Some(1_500))
    );
    assert_eq!(usage(&app, "e-1", 100).await["result"], "replayed");
    let view = app.get("/api/v1/wallet").await.ok();
    assert_eq!(view["balances"]["paid"], 8_500);
    assert_eq!(view["billable"], true);

    // The history, and the same as an xlsx read back with calamine.
    let history = app.get("/api/v1/wallet/history").await.ok();
    let entries = history["entries"].as_array().unwrap();
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["usage", "cash_charged"]);
    let only_usage = app
        .get("/api/v1/wallet/history?kind=usage&usage_kind=event_message")
        .await
        .ok();
    assert_eq!(only_usage["entries"].as_array().unwrap().len(), 1);
    app.get("/api/v1/wallet/history?from=2026-13-01")
        .await
        .err(422, "invalid_field");
    let resp = app
        .http
        .get(format!("{}/api/v1/wallet/history.xlsx", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("월렛 내역").unwrap();
    assert_eq!(sheet.get_size(), (3, 8));
    assert_eq!(sheet.get((0, 1)), Some(&Data::String("구분".into())));
    assert_eq!(sheet.get((1, 1)), Some(&Data::String("사용".into())));
    assert_eq!(
        sheet.get((1, 2)),
        Some(&Data::String("event_message".into()))
    );
    assert_eq!(sheet.get((1, 3)), Some(&Data::Float(100.0)));
    assert_eq!(sheet.get((1, 5)), Some(&Data::Float(1_500.0)));
    assert_eq!(
        sheet.get((2, 1)),
        Some(&Data::String("유상캐시 충전".into()))
    );
    assert!(matches!(sheet.get((1, 0)), Some(Data::DateTime(_))));

    // The month's statement adds up.
    let month = {
        let seoul = jiff::tz::TimeZone::get("Asia/Seoul").unwrap();
        let now = seoul.to_datetime(jiff::Timestamp::now());
        format!("{:04}-{:02}", now.year(), now.month())
    };
    let st = app
        .get(&format!("/api/v1/wallet/statement?month={month}"))
        .await
        .ok();
    assert_eq!(st["statement"]["closing"]["paid"], 8_500, "{st}");
    assert_eq!(st["statement"]["lines"].as_array().unwrap().len(), 2);

    // Refunding all the paid cash left returns it with VAT to the card.
    let refunded = app
        .post(
            "/api/v1/wallet/refund",
            &json!({"idempotency_key": "refund-1"}),
        )
        .await
        .ok();
    assert_eq!(refunded["refunded"], 8_500);
    assert_eq!(peer.charges()[0].cancelled_amount, 9_350);
    app.post(
        "/api/v1/wallet/refund",
        &json!({"idempotency_key": "refund-2"}),
    )
    .await
    .err(409, "nothing_to_refund");
    assert_eq!(app.get("/api/v1/wallet").await.ok()["balances"]["paid"], 0);
    // A dormant card is refused with the card company's reason.
    let dormant = payment_card(&app, &peer, "4330123412340001").await;
    let no = app
        .post(
            "/api/v1/wallet/cash",
            &json!({"card_id": dormant, "amount": 5_000, "idempotency_key": "buy-2"}),
        )
        .await
        .err(402, "card_refused");
    assert!(no["message"].as_str().unwrap().contains("refused"), "{no}");
    assert_eq!(no["details"]["refusal"], "dormant", "{no}");
    assert_eq!(app.store.check_ledger().await.unwrap(), vec![]);
}

async fn usages_racing_for_the_last_won_never_overdraw(mut app: TestApp) {
    let peer = with_gateway(&mut app).await;
    let me = admin_id(&app).await;
    app.post(
        "/api/v1/wallet",
        &json!({"name": "월렛", "kind": "personal", "master_id": me}),
    )
    .await
    .ok();
    let card = payment_card(&app, &peer, "4330123412341234").await;
    app.post(
        "/api/v1/wallet/cash",
        &json!({"card_id": card, "amount": 1_000, "idempotency_key": "last-1000"}),
    )
    .await
    .ok();
    // The card leaves the wallet: only the 1,000 of paid cash is left to spend.
    app.request(
        Method::DELETE,
        &format!("/api/v1/wallet/cards/{card}"),
        Some(&app.token),
        None,
    )
    .await
    .ok();
    let app = Arc::new(app);
    let mut racing = tokio::task::JoinSet::new();
    for n in 0..100 {
        let app = app.clone();
        racing.spawn(async move { usage(&app, &format!("race-{n}"), 1).await });
    }
    let mut billed = 0;
    let mut refused = 0;
    while let Some(r) = racing.join_next().await {
        let r = r.unwrap();
        match r["result"].as_str().unwrap() {
            "billed" => billed += 1,
            "refused" => {
                assert_eq!(r["code"], "insufficient_funds", "{r}");
                refused += 1;
            }
            other => panic!("{other}: {r}"),
        }
    }
    // 66 messages of 15 fit in 1,000; the other 34 are refused; 10 is left.
    assert_eq!((billed, refused), (66, 34));
    let view = app.get("/api/v1/wallet").await.ok();
    assert_eq!(view["balances"]["paid"], 10);
    assert_eq!(view["balances"]["due"], 0);
    assert_eq!(app.store.check_ledger().await.unwrap(), vec![]);
}

async fn a_thousand_usages_in_one_request(app: TestApp) {
    let me = admin_id(&app).await;
    app.post(
        "/api/v1/wallet",
        &json!({"name": "월렛", "kind": "personal", "master_id": me}),
    )
    .await
    .ok();
    let site = sangdam_core::SiteId::new(app.site);
    let wallet = app.store.wallet_of_site(site).await.unwrap().unwrap();
    app.store
        .grant_cash(
            wallet.id,
            billing::Krw::won(20_000),
            i64::MAX / 2,
            "시험",
            &billing::IdempotencyKey::parse("grant").unwrap(),
            0,
        )
        .await
        .unwrap();
    let usages: Vec<Value> = (0..1000)
        .map(|n| json!({"key": format!("bulk-{n}"), "kind": "event_message"}))
        .collect();
    let r = app
        .post("/api/v1/wallet/usages", &json!({"usages": usages}))
        .await
        .ok();
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), 1000);
    // 20,000 of free cash pays 1,333 messages: all of these.
    assert!(
        results
            .iter()
            .all(|x| x["result"] == "billed" && x["free"] == 15)
    );
    assert!(results.iter().all(|x| x["entry_id"].as_i64().unwrap() > 0));
    let view = app.get("/api/v1/wallet").await.ok();
    assert_eq!(view["balances"]["free"], 5_000);
    // One more than the limit is refused whole.
    let over: Vec<Value> = (0..1001)
        .map(|n| json!({"key": format!("over-{n}"), "kind": "event_message"}))
        .collect();
    app.post("/api/v1/wallet/usages", &json!({"usages": over}))
        .await
        .err(422, "invalid_field");
    // An unknown kind and a bad quantity are named by their place.
    let bad = app
        .post(
            "/api/v1/wallet/usages",
            &json!({"usages": [{"key": "x", "kind": "fax"}, {"key": "y", "kind": "event_message", "quantity": 0}]}),
        )
        .await
        .err(422, "invalid_field");
    let fields: Vec<&str> = bad["details"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["usages[0].kind", "usages[1].quantity"]);
    assert_eq!(app.store.check_ledger().await.unwrap(), vec![]);
}
