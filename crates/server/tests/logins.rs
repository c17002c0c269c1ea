//! Logins are throttled per account and per address, with a clear answer, and a login that
//! does not exist costs what a wrong password costs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::TestClock;
use common::TestApp;
use reqwest::Method;
use serde_json::json;
use server::Config;

both!(
    an_account_waits_after_five_failures,
    an_address_waits_after_its_limit,
    unknown_logins_cost_what_known_ones_do,
    the_login_page_says_how_long_to_wait,
);

async fn try_login(app: &TestApp, login: &str, password: &str) -> common::Resp {
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&json!({"login": login, "password": password})),
    )
    .await
}

async fn an_account_waits_after_five_failures(mut app: TestApp) {
    let clock = TestClock::at(1_800_000_000_000);
    app.reconfigure(Config {
        clock: Arc::new(clock.clone()),
        ..Config::default()
    })
    .await;
    let login = app.admin_login.clone();
    let password = app.admin_password.clone();
    for _ in 0..5 {
        try_login(&app, &login, "wrong-password")
            .await
            .err(422, "bad_credentials");
    }
    // Now even the right password waits, and the answer says for how long.
    let refused = try_login(&app, &login, &password).await;
    assert_eq!(
        refused
            .headers
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap(),
        "30"
    );
    let e = refused.err(429, "rate_limited");
    assert!(e["message"].as_str().unwrap().contains("30 seconds"), "{e}");
    // The same login typed differently is the same account.
    try_login(&app, &format!("  {}  ", login.to_uppercase()), &password)
        .await
        .err(429, "rate_limited");
    // Another account is not affected.
    try_login(&app, "someone-else", "x")
        .await
        .err(422, "bad_credentials");

    clock.advance(30_000);
    try_login(&app, &login, &password).await.ok();
    // A success starts the count again.
    for _ in 0..5 {
        try_login(&app, &login, "wrong-password")
            .await
            .err(422, "bad_credentials");
    }
    try_login(&app, &login, "wrong-password")
        .await
        .err(429, "rate_limited");
    // The next wait is longer (doubling).
    clock.advance(30_000);
    try_login(&app, &login, "wrong-password")
        .await
        .err(422, "bad_credentials");
    let again = try_login(&app, &login, &password).await;
    assert_eq!(
        again.headers.get("retry-after").unwrap().to_str().unwrap(),
        "60"
    );

    // A login nobody has is throttled the same way: a lockout tells nothing either.
    for _ in 0..5 {
        try_login(&app, "no-such-login", "x")
            .await
            .err(422, "bad_credentials");
    }
    try_login(&app, "no-such-login", "x")
        .await
        .err(429, "rate_limited");
}

async fn an_address_waits_after_its_limit(mut app: TestApp) {
    app.reconfigure(Config {
        login_failures_per_address: 3,
        ..Config::default()
    })
    .await;
    for n in 0..3 {
        try_login(&app, &format!("guess{n}"), "x")
            .await
            .err(422, "bad_credentials");
    }
    let e = try_login(&app, &app.admin_login.clone(), &app.admin_password.clone())
        .await
        .err(429, "rate_limited");
    assert!(
        e["message"].as_str().unwrap().contains("from this address"),
        "{e}"
    );
    // API tokens are not logins: they keep working.
    app.get("/api/v1/me").await.ok();
}

async fn unknown_logins_cost_what_known_ones_do(mut app: TestApp) {
    app.reconfigure(Config {
        login_failures_per_address: 1_000,
        ..Config::default()
    })
    .await;
    // Known logins of their own, so no account reaches its limit.
    let mut known = Vec::new();
    for n in 0..4 {
        let login = format!("timed{n}");
        let p = server::provision::create_account(
            &app.store,
            sangdam_core::SiteId::new(app.site),
            server::provision::NewAccount {
                login: &login,
                display_name: "시간",
                role: store::Role::Agent,
                password: Some("correct horse battery"),
                api_token: false,
            },
        )
        .await
        .unwrap();
        known.push(p.agent.login);
    }
    let time = |login: String| {
        let app = &app;
        async move {
            let started = Instant::now();
            try_login(app, &login, "not the password")
                .await
                .err(422, "bad_credentials");
            started.elapsed()
        }
    };
    let mut known_times = Vec::new();
    let mut unknown_times = Vec::new();
    for (n, login) in known.into_iter().enumerate() {
        known_times.push(time(login).await);
        unknown_times.push(time(format!("nobody{n}")).await);
    }
    known_times.sort();
    unknown_times.sort();
    let (k, u) = (known_times[1], unknown_times[1]);
    // A wrong password is an argon2 verification (tens of milliseconds); an unknown login
    // answered without one took well under a millisecond. The medians are compared with a
    // wide margin for a busy machine.
    assert!(
        u * 3 >= k && k >= Duration::from_millis(1),
        "unknown {unknown_times:?} vs known {known_times:?}"
    );
}

async fn the_login_page_says_how_long_to_wait(app: TestApp) {
    let form = |password: &str| {
        format!(
            "login={}&password={}",
            app.admin_login,
            password.replace(' ', "+")
        )
    };
    for _ in 0..5 {
        let r = app
            .raw(
                Method::POST,
                "/login",
                &[("content-type", "application/x-www-form-urlencoded")],
                form("wrong").into_bytes(),
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let r = app
        .raw(
            Method::POST,
            "/login",
            &[("content-type", "application/x-www-form-urlencoded")],
            form(&app.admin_password.clone()).into_bytes(),
        )
        .await;
    assert_eq!(r.status, 429);
    let page = r.body.as_str().unwrap_or_default().to_owned();
    assert!(
        page.contains("로그인 실패가 너무 많습니다") && page.contains("30초"),
        "{page}"
    );
}
