//! "A crash at any point loses or doubles nothing" for money, on the real binary: a settlement
//! is asked of the payment gateway (its local peer, answering late), `sangdam serve` is killed
//! with SIGKILL while the charge is in flight, and started again on the same database. The
//! card was charged once at the gateway, the ledger records it once and balances, and
//! `sangdam wallet check` finds nothing wrong.
//!
//! Runs on SQLite and on PostgreSQL (`SANGDAM_TEST_PG`; skipped loudly without it, a failure
//! on CI).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Server, create_site, on_fresh_database};
use protocol::pay::peer::TossPeer;
use serde_json::{Value, json};

const SECRET: &str = "test_sk_durability";
/// A card number the peer answers late (two seconds), after charging at once.
const LATE_CARD: &str = "4330123412340008";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settlement_killed_midway_charges_once_sqlite() {
    on_fresh_database(store::Backend::Sqlite, settlement_kill_restart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settlement_killed_midway_charges_once_postgres() {
    on_fresh_database(store::Backend::Postgres, settlement_kill_restart).await;
}

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> Value {
    let mut req = client.request(method.clone(), &url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let answer: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{method} {url}: {status} {answer}");
    answer
}

async fn settlement_kill_restart(database_url: String) {
    let site = create_site(&database_url);
    let token = site["api_token"].as_str().unwrap().to_owned();
    let peer = TossPeer::start(SECRET).await;
    let base_url = peer.base_url();
    let window = format!("{base_url}/peer/billing-auth");
    // Card usage from 1,000 KRW is charged at once; a run the kill interrupts is taken up
    // again once its 6-second lease has run out.
    let args = [
        "--payments-url",
        base_url.as_str(),
        "--payments-secret-key",
        SECRET,
        "--payments-registration-url",
        window.as_str(),
        "--settlement-threshold",
        "1000",
        "--job-lease-seconds",
        "6",
    ];
    let mut server = Server::start_with(&database_url, &args).await;
    let client = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1{path}", server.base);
    use reqwest::Method;
    let me = call(&client, Method::GET, api("/me"), &token, None).await;
    let me = me["agent"]["id"].as_i64().unwrap();
    call(
        &client,
        Method::POST,
        api("/wallet"),
        &token,
        Some(json!({"name": "월렛", "kind": "personal", "master_id": me})),
    )
    .await;
    let reg = call(
        &client,
        Method::POST,
        api("/wallet/card-registration"),
        &token,
        Some(json!({"return_url": "http://sangdam.test/wallet"})),
    )
    .await;
    let customer = reg["customer_key"].as_str().unwrap();
    let auth = peer.auth_key_for(customer, LATE_CARD).unwrap();
    let card = call(
        &client,
        Method::POST,
        api("/wallet/cards"),
        &token,
        Some(json!({"auth_key": auth, "customer_key": customer})),
    )
    .await;
    let card = card["id"].as_i64().unwrap();
    call(
        &client,
        Method::PUT,
        api(&format!("/wallet/cards/{card}")),
        &token,
        Some(json!({"slot": "payment"})),
    )
    .await;
    // 100 messages on the card: 1,500 due, over the threshold, so the settlement starts now.
    let billed = call(
        &client,
        Method::POST,
        api("/wallet/usages"),
        &token,
        Some(json!({"usages": [{"key": "burst", "kind": "event_message", "quantity": 100}]})),
    )
    .await;
    assert_eq!(billed["results"][0]["card"], 1_500, "{billed}");
    // Killed while the gateway holds its answer.
    let deadline = Instant::now() + Duration::from_secs(20);
    while peer.charges().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the settlement never reached the gateway"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill();

    let server = Server::start_with(&database_url, &args).await;
    let api = |path: &str| format!("{}/api/v1{path}", server.base);
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let w = call(&client, Method::GET, api("/wallet"), &token, None).await;
        if w["balances"]["due"] == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the settlement never finished: {w}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let charges = peer.charges();
    assert_eq!(charges.len(), 1, "charged once at the gateway: {charges:?}");
    assert_eq!(charges[0].amount, 1_650);
    let payments = call(&client, Method::GET, api("/wallet/payments"), &token, None).await;
    let done: Vec<_> = payments["payments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["state"] == "done")
        .collect();
    assert_eq!(done.len(), 1, "{payments}");
    let settled = call(
        &client,
        Method::GET,
        api("/wallet/history?kind=settled"),
        &token,
        None,
    )
    .await;
    assert_eq!(settled["entries"].as_array().unwrap().len(), 1, "{settled}");
    let check = Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(["wallet", "check", "--database-url", &database_url])
        .env("SANGDAM_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let problems: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(problems, json!({"problems": []}));
}
