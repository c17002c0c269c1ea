//! Search as agents use it: a customer by part of their name or phone, a consultation by a
//! parameter's value, a message by a Korean word inside it whatever the spacing; each caller
//! finds only what they may see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::{TestApp, enc};
use reqwest::Method;
use serde_json::Value;
use store::Role;

both!(
    agents_find_customers_parameters_and_words_in_messages,
    each_caller_finds_only_what_they_may_see,
    a_search_says_what_it_needs,
);

/// Searches as the account of `token` (the site's admin without one).
async fn search(app: &TestApp, token: Option<&str>, q: &str) -> Value {
    app.request(
        Method::GET,
        &format!("/api/v1/search?q={}", enc(q)),
        Some(token.unwrap_or(&app.token)),
        None,
    )
    .await
    .ok()
}

fn ids(found: &Value, kind: &str, key: &str) -> Vec<i64> {
    found[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[key].as_i64().unwrap())
        .collect()
}

/// Waits until the message index has taken in every message written so far.
async fn indexed(app: &TestApp) {
    let start = Instant::now();
    loop {
        let index = search(app, None, "색인").await["index"].clone();
        if index["done"] == index["newest"] {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the index did not catch up: {index}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn agents_find_customers_parameters_and_words_in_messages(app: TestApp) {
    let params = format!(
        "cus_extra_username=('{}'),cus_extra_phone=('010-2345-6789'),parameter1=('{}')",
        enc("김민지"),
        enc("봄세일")
    );
    let kim = app.chat(&app.v2_url(&params)).await;
    app.say(&kim.visitor, "지난주에 주문한 운동화 환불 요청드립니다!")
        .await
        .ok();
    let other = app.chat(&app.v2_url("cus_extra_username=('Lee')")).await;
    app.say(&other.visitor, "배송이 언제 되나요?").await.ok();
    indexed(&app).await;

    // A Korean word inside a message, whatever the spacing; not a word that is not there.
    for q in ["환불", "환불요청", "환불 요청", "운동화", "요청드립"] {
        let found = search(&app, None, q).await;
        assert_eq!(
            ids(&found, "messages", "consultation_id"),
            [kim.consultation],
            "{q}: {found}"
        );
        assert_eq!(found["messages"][0]["customer_name"], "김민지");
        assert_eq!(found["messages"][0]["sender"], "customer");
    }
    assert!(
        search(&app, None, "교환").await["messages"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        ids(
            &search(&app, None, "배송").await,
            "messages",
            "consultation_id"
        ),
        [other.consultation]
    );

    // A customer by part of the name, by the phone with or without dashes.
    for q in ["민지", "김민지", "2345-6789", "01023456789"] {
        let found = search(&app, None, q).await;
        assert_eq!(
            ids(&found, "customers", "room_id"),
            [kim.room],
            "{q}: {found}"
        );
        assert_eq!(found["customers"][0]["name"], "김민지");
        assert_eq!(found["customers"][0]["consultation_id"], kim.consultation);
    }
    assert_eq!(
        ids(&search(&app, None, "lee").await, "customers", "room_id"),
        [other.room],
        "any case"
    );
    // A consultation by a custom parameter's exact value.
    let found = search(&app, None, "봄세일").await;
    assert_eq!(
        ids(&found, "parameters", "consultation_id"),
        [kim.consultation]
    );
    assert_eq!(found["parameters"][0]["slot"], 1);
    assert!(
        search(&app, None, "봄세").await["parameters"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

async fn each_caller_finds_only_what_they_may_see(app: TestApp) {
    let (_, holder) = app.agent("search-holder", Role::Agent).await;
    let (_, bystander) = app.agent("search-bystander", Role::Agent).await;
    let (_, manager) = app.agent("search-manager", Role::Manager).await;
    let other = app.other_site("다른 회사").await;

    let held = app
        .chat(&app.v2_url(&format!("cus_extra_username=('{}')", enc("박보람"))))
        .await;
    app.say(&held.visitor, "환불 문의입니다").await.ok();
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{}/take", held.consultation),
        Some(&holder),
        None,
    )
    .await
    .ok();
    let waiting = app
        .chat(&app.v2_url(&format!("cus_extra_username=('{}')", enc("박대기"))))
        .await;
    app.say(&waiting.visitor, "환불 가능한가요").await.ok();
    indexed(&app).await;

    let seen = |found: &Value| {
        (
            ids(found, "messages", "consultation_id"),
            ids(found, "customers", "consultation_id"),
        )
    };
    let both = vec![waiting.consultation, held.consultation];
    for (who, token) in [("admin", None), ("manager", Some(manager.as_str()))] {
        let found = search(&app, token, "환불").await;
        assert_eq!(seen(&found).0, both, "{who}: {found}");
    }
    // The holder: theirs and the queue's; another agent: the queue's only.
    assert_eq!(seen(&search(&app, Some(&holder), "환불").await).0, both);
    assert_eq!(
        seen(&search(&app, Some(&bystander), "환불").await).0,
        [waiting.consultation]
    );
    assert_eq!(
        seen(&search(&app, Some(&bystander), "박보람").await).1,
        Vec::<i64>::new(),
        "another agent's customer"
    );
    assert_eq!(
        seen(&search(&app, Some(&holder), "박보람").await).1,
        [held.consultation]
    );
    // Another site finds nothing of this one.
    let found = search(&app, Some(&other.api_token), "환불").await;
    assert_eq!(seen(&found), (vec![], vec![]), "{found}");
}

async fn a_search_says_what_it_needs(app: TestApp) {
    for (query, field) in [
        ("", "q"),
        ("?q=", "q"),
        ("?q=%ED%99%98", "q"),
        ("?q=!!", "q"),
        ("?q=ab&limit=0", "limit"),
        ("?q=ab&limit=51", "limit"),
        ("?q=ab&limit=x", "limit"),
    ] {
        let e = app
            .get(&format!("/api/v1/search{query}"))
            .await
            .err(422, "invalid_field");
        assert_eq!(e["details"]["field"], field, "{query}: {e}");
    }
    let long = "가".repeat(101);
    app.get(&format!("/api/v1/search?q={}", enc(&long)))
        .await
        .err(422, "invalid_field");
    app.request(Method::GET, "/api/v1/search?q=ab", None, None)
        .await
        .err(401, "unauthorized");
}
