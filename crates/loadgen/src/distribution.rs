//! Distribution under load: with `--distribution MODE` the loader sets the site's mode, gives
//! each agent account a limit (`--agent-limit`) and puts it online, and the consoles take
//! nothing by hand: each records the consultations distribution gives it. With `--burst N` it
//! measures instead how fast a burst of N new consultations is handed out: N sessions opened
//! with an explicit start as fast as the server takes them, then inflow → assigned latency from
//! each consultation's own times (`assigned_at - waiting_since`, the server's clock), the same
//! with the opening request's round trip added (what a customer could see at most, as a
//! consultation may be given inside the request that opens it), and the most any agent holds
//! against the limit. The sessions of a burst are dealt over the targets as the visitors are.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::failover::target_of;
use crate::{Res, Shared, open_session, pct};

/// Sets the site's mode (`None`: leaves it, the consoles take by hand) and makes every agent
/// account available with `--agent-limit` (consultations are taken within the limit either way).
pub(crate) async fn prepare(sh: &Shared, mode: Option<&str>, agent_tokens: &[String]) -> Res<()> {
    let a = &sh.args;
    if let Some(mode) = mode {
        let resp = sh
            .http
            .put(format!("{}/api/v1/site/distribution", a.first()))
            .bearer_auth(&a.token)
            .json(&json!({"mode": mode}))
            .send()
            .await?;
        if !resp.status().is_success() {
            return Err(
                format!("setting the mode: {} {}", resp.status(), resp.text().await?).into(),
            );
        }
    }
    for token in agent_tokens {
        let me: Value = sh
            .http
            .put(format!("{}/api/v1/me/presence", a.first()))
            .bearer_auth(token)
            .json(&json!({"status": "online"}))
            .send()
            .await?
            .json()
            .await?;
        let id = me["agent"]["id"]
            .as_u64()
            .ok_or_else(|| format!("presence answer without an agent: {me}"))?;
        let resp = sh
            .http
            .put(format!("{}/api/v1/agents/{id}/routing", a.first()))
            .bearer_auth(&a.token)
            .json(&json!({"max_concurrent": a.agent_limit}))
            .send()
            .await?;
        if !resp.status().is_success() {
            return Err(
                format!("setting a limit: {} {}", resp.status(), resp.text().await?).into(),
            );
        }
    }
    Ok(())
}

/// Opens `n` consultations at once and measures how they are handed out.
pub(crate) async fn burst(sh: Arc<Shared>, n: u32) -> Res<Value> {
    let a = sh.args.clone();
    let sem = Arc::new(Semaphore::new(a.ramp_concurrency.max(1)));
    let started = Instant::now();
    let mut opening = Vec::new();
    for i in 0..n {
        let sh = sh.clone();
        let sem = sem.clone();
        opening.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.map_err(|e| e.to_string())?;
            let a = &sh.args;
            let target = target_of(i, a.targets.len());
            let chat_url = format!(
                "{}/chat/{}?params=parameter1=('burst{i}')",
                a.target(target),
                a.site
            );
            let sent = Instant::now();
            let v = open_session(&sh, target, &chat_url)
                .await
                .map_err(|e| e.to_string())?;
            let rtt_ms = u64::try_from(sent.elapsed().as_millis()).unwrap_or(u64::MAX);
            v["consultation_id"]
                .as_u64()
                .map(|id| (id, rtt_ms))
                .ok_or_else(|| format!("session without a consultation: {v}"))
        }));
    }
    let mut ids = HashSet::new();
    // Each consultation's opening request, sent → answered.
    let mut rtt: HashMap<u64, u64> = HashMap::new();
    let mut errors = Vec::new();
    for o in opening {
        match o.await {
            Ok(Ok((id, ms))) => {
                ids.insert(id);
                rtt.insert(id, ms);
            }
            Ok(Err(e)) => errors.push(e),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let open_s = started.elapsed().as_secs_f64();
    let capacity = u64::from(a.agents) * u64::from(a.agent_limit);
    let expect = (ids.len() as u64).min(capacity);

    // Until every consultation that fits is assigned (or 30 s).
    let deadline = Instant::now() + Duration::from_secs(30);
    let in_progress = loop {
        let list = consultations(&sh, "in_progress").await?;
        let ours = list
            .iter()
            .filter(|c| c["id"].as_u64().is_some_and(|id| ids.contains(&id)))
            .count() as u64;
        if ours >= expect || Instant::now() >= deadline {
            break list;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let waiting = consultations(&sh, "waiting").await?;
    // Server side: the consultation's own times. Whole: its opening request's round trip
    // (sent until answered, which covers the inflow's queueing and transaction) plus the
    // server's wait from opening to assignment, an upper bound of what the customer sees.
    let mut latency: Histogram<u64> = Histogram::new_with_bounds(1, 3_600_000, 3)?;
    let mut whole: Histogram<u64> = Histogram::new_with_bounds(1, 3_600_000, 3)?;
    let mut held: BTreeMap<u64, u64> = BTreeMap::new();
    for c in &in_progress {
        if let Some(agent) = c["agent_id"].as_u64() {
            *held.entry(agent).or_default() += 1;
        }
        let ours = c["id"].as_u64().is_some_and(|id| ids.contains(&id));
        if let (true, Some(at), Some(since)) =
            (ours, c["assigned_at"].as_u64(), c["waiting_since"].as_u64())
        {
            let server = at.saturating_sub(since);
            let _ = latency.record(server.max(1));
            let sent = c["id"].as_u64().and_then(|id| rtt.get(&id)).copied();
            let _ = whole.record((server + sent.unwrap_or(0)).max(1));
        }
    }
    let max_held = held.values().copied().max().unwrap_or(0);
    let over = held
        .values()
        .filter(|n| **n > u64::from(a.agent_limit))
        .count();
    errors.truncate(20);
    Ok(json!({
        "burst": n,
        "opened": ids.len(),
        "open_seconds": open_s,
        "opened_per_second": ids.len() as f64 / open_s.max(1e-9),
        "assigned": latency.len(),
        "waiting": waiting.len(),
        "agents": a.agents,
        "agent_limit": a.agent_limit,
        "max_held": max_held,
        "agents_over_limit": over,
        "inflow_to_assigned_ms": {
            "p50": pct(&latency, 0.50) * 1000.0,
            "p95": pct(&latency, 0.95) * 1000.0,
            "p99": pct(&latency, 0.99) * 1000.0,
            "max": latency.max() as f64,
        },
        "request_to_assigned_ms": {
            "p50": pct(&whole, 0.50) * 1000.0,
            "p95": pct(&whole, 0.95) * 1000.0,
            "p99": pct(&whole, 0.99) * 1000.0,
            "max": whole.max() as f64,
        },
        "errors": errors,
    }))
}

async fn consultations(sh: &Shared, state: &str) -> Res<Vec<Value>> {
    let a = &sh.args;
    let v: Value = sh
        .http
        .get(format!(
            "{}/api/v1/consultations?state={state}&limit=1000",
            a.first()
        ))
        .bearer_auth(&a.token)
        .send()
        .await?
        .json()
        .await?;
    Ok(v["consultations"].as_array().cloned().unwrap_or_default())
}
