//! The platform operator and business verification over HTTP: a site's admin submits the
//! business (each wrong field named, one submission waiting at a time), the operator logs in
//! with their own cookie, reads the documents, rejects with a reason the admin reads, approves
//! a second submission, and the site's audit log shows both; features that need a verified
//! business name what is missing; the operator grants free cash once per key and sets a price
//! the next usage is billed at.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{PDF, TestApp, services};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use sangdam_core::business::Requirement;
use serde_json::{Value, json};
use store::Role;

both!(
    a_business_is_submitted_rejected_resubmitted_and_approved,
    the_operator_grants_free_cash_and_sets_prices,
);

/// A registration number whose last digit checks.
const NUMBER: &str = "220-81-62517";

/// An operator made as the command line makes one; their login and password.
async fn operator(app: &TestApp, login: &str) -> (String, String) {
    let (op, password) = services(app)
        .create_operator(login, "플랫폼 운영자")
        .await
        .unwrap();
    assert_eq!(op.login, login);
    (login.to_owned(), password)
}

/// The operator's cookie after logging in.
async fn operator_cookie(app: &TestApp, login: &str, password: &str) -> String {
    let r = app
        .request(
            Method::POST,
            "/api/v1/operator/login",
            None,
            Some(&json!({"login": login, "password": password})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["operator"]["login"], login);
    assert!(
        r.body["operator"].get("password_hash").is_none(),
        "the hash stays on the server"
    );
    let set = r.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_owned()
}

/// A request as the operator (by cookie).
async fn as_operator(
    app: &TestApp,
    cookie: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> common::Resp {
    let mut headers = vec![("cookie", cookie)];
    let bytes = match body {
        Some(b) => {
            headers.push(("content-type", "application/json"));
            serde_json::to_vec(b).unwrap()
        }
        None => Vec::new(),
    };
    app.raw(method, path, &headers, bytes).await
}

fn submission(number: &str, name: &str, documents: &[(&str, &[u8])]) -> Form {
    let mut f = Form::new()
        .text("business_number", number.to_owned())
        .text("business_name", name.to_owned())
        .text("representative", "홍길동");
    for (file, bytes) in documents {
        f = f.part(
            "document",
            Part::bytes(bytes.to_vec()).file_name((*file).to_owned()),
        );
    }
    f
}

/// Submits as `token`'s account: status and body.
async fn submit(app: &TestApp, token: &str, form: Form) -> (u16, Value) {
    let r = app
        .http
        .post(format!("{}/api/v1/site/business", app.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn field_names(error: &Value) -> Vec<String> {
    error["error"]["details"]["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn a_business_is_submitted_rejected_resubmitted_and_approved(app: TestApp) {
    let status = app.get("/api/v1/site/business").await.ok();
    assert_eq!(status["verified"], false);
    assert_eq!(status["pending"], false);
    assert_eq!(status["submissions"], json!([]));
    let site = sangdam_core::SiteId::new(app.site);
    let needed = [Requirement::BusinessVerified, Requirement::Wallet];
    match services(&app).require(site, &needed).await {
        Err(app::AppError::Denied { message, .. }) => {
            assert!(message.contains("not verified"), "{message}")
        }
        other => panic!("an unverified site is refused: {other:?}"),
    }

    // Every wrong field is named at once: the check digit, the empty name, the missing
    // document; then a document that is not a PDF or an image.
    let (code, body) = submit(&app, &app.token, submission("220-81-62518", " ", &[])).await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(
        field_names(&body),
        ["business_number", "business_name", "documents"],
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("last digit does not check"),
        "{body}"
    );
    let (code, body) = submit(
        &app,
        &app.token,
        submission(
            NUMBER,
            "상담 상사",
            &[("certificate.pdf", b"MZ\x90\0 not a pdf")],
        ),
    )
    .await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(field_names(&body), ["documents[0]"], "{body}");

    // Only the admin submits.
    let (_, agent_token) = app.agent("biz-agent", Role::Agent).await;
    let (code, body) = submit(
        &app,
        &agent_token,
        submission(NUMBER, "상담 상사", &[("certificate.pdf", PDF)]),
    )
    .await;
    assert_eq!(code, 403, "{body}");

    let (code, body) = submit(
        &app,
        &app.token,
        submission("2208162517", " 상담 상사 ", &[("사업자등록증.pdf", PDF)]),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    let first = body["verification"].clone();
    assert_eq!(first["verification"]["state"], "pending");
    assert_eq!(first["business_number"], NUMBER);
    assert_eq!(first["verification"]["business_name"], "상담 상사");
    assert_eq!(first["documents"][0]["name"], "사업자등록증.pdf");
    assert_eq!(first["documents"][0]["content_type"], "application/pdf");
    let first_id = first["verification"]["id"].as_i64().unwrap();
    let doc_id = first["documents"][0]["id"].as_i64().unwrap();
    // One waits at a time.
    let (code, body) = submit(
        &app,
        &app.token,
        submission(NUMBER, "상담 상사", &[("certificate.pdf", PDF)]),
    )
    .await;
    assert_eq!(code, 409, "{body}");
    let status = app.get("/api/v1/site/business").await.ok();
    assert_eq!(
        (status["verified"].clone(), status["pending"].clone()),
        (json!(false), json!(true))
    );

    // Another site's admin reads none of it.
    let other = app.other_site("다른 상사").await;
    let path = format!("/api/v1/site/business/{first_id}/documents/{doc_id}");
    app.request(Method::GET, &path, Some(&other.api_token), None)
        .await
        .err(404, "not_found");
    let own = app
        .http
        .get(format!("{}{path}", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    assert_eq!(own.bytes().await.unwrap().as_ref(), PDF);

    // The operator: nothing without their cookie, not even with the site admin's token.
    app.get("/api/v1/operator/verifications")
        .await
        .err(401, "unauthorized");
    let (login, password) = operator(&app, "platform-op").await;
    app.request(
        Method::POST,
        "/api/v1/operator/login",
        None,
        Some(&json!({"login": login, "password": "wrong-password"})),
    )
    .await
    .err(422, "bad_credentials");
    let cookie = operator_cookie(&app, &login, &password).await;
    let pending = as_operator(
        &app,
        &cookie,
        Method::GET,
        "/api/v1/operator/verifications?state=pending",
        None,
    )
    .await
    .ok();
    let listed = &pending["verifications"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{pending}");
    assert_eq!(listed[0]["site_name"], "테스트 쇼핑몰");
    let doc = app
        .http
        .get(format!(
            "{}/api/v1/operator/verifications/{first_id}/documents/{doc_id}",
            app.base
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status(), 200);
    assert_eq!(doc.headers()["x-content-type-options"], "nosniff");
    assert!(
        doc.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
        "a document is downloaded, never shown as a page"
    );
    assert_eq!(doc.bytes().await.unwrap().as_ref(), PDF);

    // A rejection says why; the admin reads it.
    let decide = format!("/api/v1/operator/verifications/{first_id}/decision");
    let refused = as_operator(
        &app,
        &cookie,
        Method::POST,
        &decide,
        Some(&json!({"decision": "reject", "reason": "  "})),
    )
    .await
    .err(422, "invalid_field");
    assert!(
        refused["message"].as_str().unwrap().contains("say why"),
        "{refused}"
    );
    let reason = "사업자등록증의 상호가 신청한 상호와 다릅니다";
    let rejected = as_operator(
        &app,
        &cookie,
        Method::POST,
        &decide,
        Some(&json!({"decision": "reject", "reason": reason})),
    )
    .await
    .ok();
    assert_eq!(
        rejected["verification"]["verification"]["state"],
        "rejected"
    );
    as_operator(
        &app,
        &cookie,
        Method::POST,
        &decide,
        Some(&json!({"decision": "approve"})),
    )
    .await
    .err(409, "conflict");
    let status = app.get("/api/v1/site/business").await.ok();
    assert_eq!(status["verified"], false);
    assert_eq!(status["pending"], false);
    assert_eq!(status["submissions"][0]["verification"]["reason"], reason);

    // Submitted again, approved: verified, and the wallet is what is missing now.
    let (code, body) = submit(
        &app,
        &app.token,
        submission(
            NUMBER,
            "상담 상사",
            &[("certificate.pdf", PDF), ("seal.png", &png())],
        ),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    let second = body["verification"]["verification"]["id"].as_i64().unwrap();
    let approved = as_operator(
        &app,
        &cookie,
        Method::POST,
        &format!("/api/v1/operator/verifications/{second}/decision"),
        Some(&json!({"decision": "approve"})),
    )
    .await
    .ok();
    assert_eq!(
        approved["verification"]["verification"]["state"],
        "approved"
    );
    let status = app.get("/api/v1/site/business").await.ok();
    assert_eq!(status["verified"], true);
    assert_eq!(status["submissions"].as_array().unwrap().len(), 2);
    match services(&app).require(site, &needed).await {
        Err(app::AppError::Denied { message, .. }) => {
            assert!(message.contains("no wallet"), "{message}")
        }
        other => panic!("a site without a wallet is refused: {other:?}"),
    }

    // The operator's list of sites shows it verified; the other site never submitted.
    let sites = as_operator(&app, &cookie, Method::GET, "/api/v1/operator/sites", None)
        .await
        .ok();
    let row = |id: i64| {
        sites["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["site"]["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(row(app.site)["verified"], true);
    assert_eq!(row(app.site)["verification"], "approved");
    assert_eq!(row(other.site_id.get())["verification"], Value::Null);

    // The site's audit log: the admin's submissions and the operator's decisions.
    let log = app.get("/api/v1/site/audit?limit=20").await.ok();
    let entries: Vec<(String, String)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        entries.contains(&("business_reviewed".into(), "플랫폼 운영자".into())),
        "{entries:?}"
    );
    assert_eq!(
        entries
            .iter()
            .filter(|(a, _)| a == "business_submitted")
            .count(),
        2
    );

    // The operator revokes the verification: only the approved submission, only with a
    // reason; the site is then not verified, says why, and may submit again.
    assert_eq!(row(app.site)["approved"], second);
    let revoke = format!("/api/v1/operator/verifications/{second}/decision");
    let e = as_operator(
        &app,
        &cookie,
        Method::POST,
        &revoke,
        Some(&json!({"decision": "revoke"})),
    )
    .await
    .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "reason", "{e}");
    as_operator(
        &app,
        &cookie,
        Method::POST,
        &format!("/api/v1/operator/verifications/{first_id}/decision"),
        Some(&json!({"decision": "revoke", "reason": "폐업"})),
    )
    .await
    .err(409, "conflict");
    let revoked = as_operator(
        &app,
        &cookie,
        Method::POST,
        &revoke,
        Some(&json!({"decision": "revoke", "reason": "폐업 신고가 확인되었습니다."})),
    )
    .await
    .ok();
    assert_eq!(revoked["verification"]["verification"]["state"], "revoked");
    as_operator(
        &app,
        &cookie,
        Method::POST,
        &revoke,
        Some(&json!({"decision": "revoke", "reason": "again"})),
    )
    .await
    .err(409, "conflict");
    let status = app.get("/api/v1/site/business").await.ok();
    assert_eq!(status["verified"], false);
    assert_eq!(status["pending"], false, "the site may submit again");
    assert_eq!(
        status["submissions"][0]["verification"]["reason"],
        "폐업 신고가 확인되었습니다."
    );
    match services(&app).require(site, &needed).await {
        Err(app::AppError::Denied { message, .. }) => {
            assert!(message.contains("not verified"), "{message}")
        }
        other => panic!("a revoked verification is refused: {other:?}"),
    }
    let sites = as_operator(&app, &cookie, Method::GET, "/api/v1/operator/sites", None)
        .await
        .ok();
    let mine = sites["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["site"]["id"] == app.site)
        .cloned()
        .unwrap();
    assert_eq!(
        (&mine["verified"], &mine["verification"], &mine["approved"]),
        (&json!(false), &json!("revoked"), &Value::Null)
    );

    // Logging out ends the operator's session.
    as_operator(&app, &cookie, Method::POST, "/api/v1/operator/logout", None).await;
    as_operator(&app, &cookie, Method::GET, "/api/v1/operator/me", None)
        .await
        .err(401, "unauthorized");
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 4, image::Rgb([20, 30, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn the_operator_grants_free_cash_and_sets_prices(app: TestApp) {
    let (login, password) = operator(&app, "prices-op").await;
    let cookie = operator_cookie(&app, &login, &password).await;
    let grants = format!("/api/v1/operator/sites/{}/grants", app.site);
    let grant = json!({"krw": 5000, "days": 30, "reason": "가입 축하", "key": "welcome-1"});
    // No wallet yet: nothing to grant to.
    as_operator(&app, &cookie, Method::POST, &grants, Some(&grant))
        .await
        .err(404, "not_found");
    let me = app.get("/api/v1/me").await.ok()["agent"]["id"].clone();
    app.post(
        "/api/v1/wallet",
        &json!({"name": "월렛", "kind": "personal", "master_id": me}),
    )
    .await
    .ok();
    let made = as_operator(&app, &cookie, Method::POST, &grants, Some(&grant)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["created"], true);
    // The same key again grants nothing more.
    let again = as_operator(&app, &cookie, Method::POST, &grants, Some(&grant)).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["created"], false);
    let wallet = app.get("/api/v1/wallet").await.ok();
    assert_eq!(wallet["balances"]["free"], 5000);
    for bad in [
        json!({"krw": 0, "days": 30, "reason": "x", "key": "k2"}),
        json!({"krw": 100, "days": 0, "reason": "x", "key": "k3"}),
        json!({"krw": 1.5, "days": 30, "reason": "x", "key": "k4"}),
        json!({"krw": 100, "days": 30, "reason": " ", "key": "k5"}),
    ] {
        as_operator(&app, &cookie, Method::POST, &grants, Some(&bad))
            .await
            .err(422, "invalid_field");
    }
    let log = app.get("/api/v1/site/audit?action=cash_granted").await.ok();
    assert_eq!(log["entries"].as_array().unwrap().len(), 1, "{log}");

    // Prices: the configured one until the operator sets another; the next usage costs it.
    let prices = as_operator(&app, &cookie, Method::GET, "/api/v1/operator/prices", None)
        .await
        .ok();
    assert_eq!(
        prices["prices"],
        json!([{"kind": "event_message", "krw": 15, "set_by_operator": false}])
    );
    let put = "/api/v1/operator/prices/event_message";
    as_operator(&app, &cookie, Method::PUT, put, Some(&json!({"krw": -1})))
        .await
        .err(422, "invalid_field");
    as_operator(
        &app,
        &cookie,
        Method::PUT,
        "/api/v1/operator/prices/no_such_kind",
        Some(&json!({"krw": 10})),
    )
    .await
    .err(404, "not_found");
    let set = as_operator(&app, &cookie, Method::PUT, put, Some(&json!({"krw": 20.0})))
        .await
        .ok();
    assert_eq!(
        set["prices"],
        json!([{"kind": "event_message", "krw": 20, "set_by_operator": true}])
    );
    let billed = app
        .post(
            "/api/v1/wallet/usages",
            &json!({"usages": [{"key": "after-price", "kind": "event_message"}]}),
        )
        .await
        .ok();
    assert_eq!(billed["results"][0]["free"], 20, "{billed}");
    assert_eq!(
        app.get("/api/v1/wallet").await.ok()["balances"]["free"],
        4980
    );
}
