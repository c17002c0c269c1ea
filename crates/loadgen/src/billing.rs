//! `--billed-per-second N`: billed messages alongside the chat load, as the Event API would bill
//! them. The site gets a wallet whose payment card is registered at the server's payment
//! gateway (the local one `serve --demo` runs: its window's auth key is asked of it directly),
//! so usages accrue on the card and the settlement runs when the threshold is reached. Every
//! 100 ms one request bills N/10 usages, each with its own key; the report gives the billed,
//! refused and failed counts and the requests' latency. The setup goes to the first target; the
//! usages too, or to the next target while one refuses connections.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde_json::{Value, json};

use crate::{Res, Shared, histogram};

/// What the billing did.
pub struct BillingStats {
    pub requests: u64,
    pub billed: u64,
    pub refused: u64,
    pub errors: Vec<String>,
    pub latency: Histogram<u64>,
}

async fn call(
    sh: &Shared,
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> Res<Value> {
    let mut req = sh
        .http
        .request(method.clone(), &url)
        .bearer_auth(&sh.args.token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await?;
    let status = resp.status();
    let answer: Value = resp.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        return Err(format!("{method} {url}: {status} {answer}").into());
    }
    Ok(answer)
}

/// The site's wallet with a payment card (made once; a second run finds them).
pub async fn setup(sh: &Shared) -> Res<()> {
    let t = sh.args.first();
    let me = call(sh, reqwest::Method::GET, format!("{t}/api/v1/me"), None).await?;
    let me = me["agent"]["id"].clone();
    let wallet = sh
        .http
        .get(format!("{t}/api/v1/wallet"))
        .bearer_auth(&sh.args.token)
        .send()
        .await?;
    let view: Value = if wallet.status().is_success() {
        wallet.json().await?
    } else {
        call(
            sh,
            reqwest::Method::POST,
            format!("{t}/api/v1/wallet"),
            Some(json!({"name": "부하 시험", "kind": "personal", "master_id": me})),
        )
        .await?
    };
    if view["cards"].as_array().is_some_and(|c| !c.is_empty()) {
        return Ok(());
    }
    let reg = call(
        sh,
        reqwest::Method::POST,
        format!("{t}/api/v1/wallet/card-registration"),
        Some(json!({"return_url": format!("{t}/wallet")})),
    )
    .await
    .map_err(|e| format!("{e} (is the server's payment gateway the local one of --demo?)"))?;
    let url = reg["url"].as_str().ok_or("no registration url")?;
    let peer = url
        .split("/peer/billing-auth")
        .next()
        .filter(|p| p.starts_with("http://127.0.0.1") || p.starts_with("http://localhost"))
        .ok_or(
            "the card window is not a local gateway's: --billed-per-second needs serve --demo's",
        )?;
    let customer = reg["customer_key"].as_str().ok_or("no customer key")?;
    let auth: Value = sh
        .http
        .post(format!("{peer}/peer/auth-keys"))
        .json(&json!({"customerKey": customer, "cardNumber": "4330123412341234"}))
        .send()
        .await?
        .json()
        .await?;
    let auth = auth["authKey"]
        .as_str()
        .ok_or("the gateway gave no auth key")?;
    let card = call(
        sh,
        reqwest::Method::POST,
        format!("{t}/api/v1/wallet/cards"),
        Some(json!({"auth_key": auth, "customer_key": customer})),
    )
    .await?;
    let id = card["id"].as_i64().ok_or("no card id")?;
    call(
        sh,
        reqwest::Method::PUT,
        format!("{t}/api/v1/wallet/cards/{id}"),
        Some(json!({"slot": "payment"})),
    )
    .await?;
    Ok(())
}

/// Bills `per_second` usages a second, a tenth every 100 ms, until the loader's clock passes
/// `until` (microseconds).
pub async fn run(sh: &Shared, per_second: u32, until: u64) -> Res<BillingStats> {
    let batch = (per_second / 10).max(1);
    let mut stats = BillingStats {
        requests: 0,
        billed: 0,
        refused: 0,
        errors: Vec::new(),
        latency: histogram()?,
    };
    let run_id = sh.clock.us();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut n: u64 = 0;
    while sh.clock.us() < until {
        tick.tick().await;
        let usages: Vec<Value> = (0..batch)
            .map(|i| {
                json!({"key": format!("load-{run_id}-{n}-{i}"), "kind": "event_message",
                       "reference": format!("load:{n}:{i}")})
            })
            .collect();
        n += 1;
        let started = sh.clock.us();
        let body = json!({ "usages": usages });
        let answer = crate::failover::send_any(sh, 0, |t| {
            sh.http
                .post(format!("{t}/api/v1/wallet/usages"))
                .bearer_auth(&sh.args.token)
                .json(&body)
        })
        .await;
        stats.requests += 1;
        match answer {
            Ok(r) if r.status().is_success() => {
                let body: Value = r.json().await.unwrap_or(Value::Null);
                stats.latency.record((sh.clock.us() - started).max(1)).ok();
                for o in body["results"].as_array().into_iter().flatten() {
                    match o["result"].as_str() {
                        Some("billed") => stats.billed += 1,
                        _ => stats.refused += 1,
                    }
                }
            }
            Ok(r) => stats.errors.push(format!("usages: {}", r.status())),
            Err(e) => stats.errors.push(format!("usages: {e}")),
        }
    }
    Ok(stats)
}
